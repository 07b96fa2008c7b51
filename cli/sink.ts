// What happens to each packet after reading, for files and live capture alike:
// dissect, read filter, display filter, taps, -w, and the chosen output format.
import type { Engine } from '../core/engine.js';
import type { PacketInfo, RawPacket } from '../core/packet.js';
import type { Out } from '../output/writer.js';
import { summaryLine } from '../output/summary.js';
import { treeText } from '../output/text.js';
import { hexDump } from '../output/hex.js';
import { jsonPacket, ekPacket, fieldValues } from '../output/json.js';
import type { TimeFormat, TimeRefs } from '../output/time.js';
import type { Tap } from '../output/taps.js';
import { openWriter, type PacketWriter } from '../output/pcapwriter.js';
import type { PacketFilter } from '../filter/api.js';
import type { ChalkInstance } from 'chalk';
import type { DissectArgs } from './dissect.js';

export interface FieldsOpts {
  header: boolean;
  sep: string;
  quote: string;
  occurrence: string;
  aggregator: string;
}

export interface SinkContext {
  out: Out;
  engine: Engine;
  filter: PacketFilter | null;
  readFilter: PacketFilter | null;
  taps: Tap[];
  wantTree: boolean;
  count: number;
  fopts: FieldsOpts;
  chalk: ChalkInstance;
  only?: Set<string>;
  /** fractional digits of the Time column */
  digits: number;
  /** -w pcap precision */
  nanosecond: boolean;
}

function dateIndex(p: RawPacket): string {
  const d = new Date(p.tsSec * 1000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export class PacketSink {
  refs: TimeRefs = { firstSec: NaN, firstNsec: 0, prevSec: NaN, prevNsec: 0, prevDispSec: NaN, prevDispNsec: 0 };
  writer: PacketWriter | null = null;
  num = 0;
  shown = 0;
  first = true;
  private textOut: boolean;

  constructor(private a: DissectArgs, private c: SinkContext) {
    this.textOut = a.format === 'text' || a.format === 'tabs';
  }

  begin(): void {
    const { a, c } = this;
    if (a.format === 'json') c.out.write('[\n');
    if (a.format === 'fields' && c.fopts.header) c.out.line(a.fields.join(c.fopts.sep));
  }

  /** Handle one packet; false = stop reading (count reached, output closed). */
  handle(raw: RawPacket): boolean {
    const { a, c, refs } = this;
    this.num++;
    if (Number.isNaN(refs.firstSec)) {
      refs.firstSec = raw.tsSec;
      refs.firstNsec = raw.tsNsec;
    }
    const p = c.engine.dissect(raw, this.num, c.wantTree);
    if (!c.readFilter || c.readFilter(p)) {
      if (!c.filter || c.filter(p)) {
        this.shown++;
        for (const t of c.taps) t.packet(p);
        if (a.writeFile) {
          this.writer ??= openWriter(a.writeFile, raw.linktype, c.nanosecond);
          this.writer.write(raw);
        }
        if (!a.quiet && a.writeFile !== '-') this.emit(p, raw);
        refs.prevDispSec = raw.tsSec;
        refs.prevDispNsec = raw.tsNsec;
      }
    }
    refs.prevSec = raw.tsSec;
    refs.prevNsec = raw.tsNsec;
    return !c.out.closed && this.shown < c.count;
  }

  emit(p: PacketInfo, raw: RawPacket): void {
    const { a, c } = this;
    const out = c.out;
    if (this.textOut) {
      if (a.verbose || c.only) {
        if (!this.first) out.write('\n');
        out.write(treeText(p, c.only));
      } else out.line(summaryLine(p, this.refs, { timeFormat: a.timeFormat as TimeFormat, digits: c.digits, chalk: c.chalk }));
      if (a.hex) {
        if (a.verbose || c.only) out.write('\n');
        out.write(hexDump(raw.data));
        out.write('\n');
      }
    } else if (a.format === 'json') {
      out.write((this.first ? '' : ',\n') + jsonPacket(p, dateIndex(raw)));
    } else if (a.format === 'ek') {
      out.line(ekPacket(p, dateIndex(raw)));
    } else if (a.format === 'fields') {
      const f = c.fopts;
      const cols = a.fields.map((name) => {
        let vs = fieldValues(p, name);
        if (f.occurrence === 'f') vs = vs.slice(0, 1);
        else if (f.occurrence === 'l') vs = vs.slice(-1);
        else if (/^\d+$/.test(f.occurrence)) vs = vs.slice(Number(f.occurrence) - 1, Number(f.occurrence));
        const v = vs.join(f.aggregator);
        return f.quote && v ? f.quote + v + f.quote : v;
      });
      out.line(cols.join(f.sep));
    }
    this.first = false;
    if (a.lineBuffered) out.flush();
  }

  finish(): void {
    const { a, c } = this;
    if (a.format === 'json') c.out.write(this.first ? ']\n' : '\n]\n');
    for (const t of c.taps) t.finish(c.out);
    this.writer?.close();
    c.out.flush();
  }
}
