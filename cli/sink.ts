// What happens to each packet after reading, for files and live capture alike:
// dissect, read filter, display filter, taps, -w, and the chosen output format.
import type { Engine } from '../core/engine.js';
import type { PacketInfo, RawPacket } from '../core/packet.js';
import { Out } from '../output/writer.js';
import { PacketPrinter } from '../output/printer.js';
import type { JsonOptions } from '../output/json.js';
import type { FieldsOpts } from '../output/fields.js';
import type { TimeFormat, TimeRefs } from '../output/time.js';
import type { Tap } from '../output/taps.js';
import { openWriter, type PacketWriter } from '../output/pcapwriter.js';
import { fastFrame, fastState, type FastState } from '../core/fast.js';
import type { PacketFilter } from '../filter/api.js';
import type { ChalkInstance } from 'chalk';
import type { DissectArgs } from './dissect.js';

export type { FieldsOpts } from '../output/fields.js';

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
  /** --no-duplicate-keys, -j/-J */
  json?: JsonOptions;
}

export class PacketSink {
  refs: TimeRefs = { firstSec: NaN, firstNsec: 0, prevSec: NaN, prevNsec: 0, prevDispSec: NaN, prevDispNsec: 0 };
  writer: PacketWriter | null = null;
  num = 0;
  shown = 0;
  /** the output formats (output/printer.ts) */
  printer: PacketPrinter;
  /** the summary fast path's reused state, when this run may use it (core/fast.ts) */
  private fast: FastState | null = null;

  constructor(private a: DissectArgs, private c: SinkContext) {
    this.printer = new PacketPrinter(c.out, {
      format: a.format, verbose: a.verbose, hex: a.hex, only: c.only, fields: a.fields, fopts: c.fopts, json: c.json,
      timeFormat: a.timeFormat as TimeFormat, digits: c.digits, chalk: c.chalk, lineBuffered: a.lineBuffered, summary: a.printSummary,
    });
    this.printer.trackDisplayed(c.engine);
    // the summary fast path: only the plain one-line summary, nothing that needs
    // a full dissection (filters, taps, analysis, colour by severity, -o)
    const summaryOnly = a.format === 'text' && !a.verbose && !c.only && !a.hex && !c.wantTree;
    const plain = !c.filter && !c.readFilter && c.taps.length === 0 && c.engine.analyzers.length === 0 && c.chalk.level === 0;
    if (summaryOnly && plain && a.prefs.length === 0 && !a.twoPass && process.env.MIP6SCOPE_NO_FAST !== '1') {
      this.fast = fastState(c.engine);
    }
  }

  /** whether packets are dissected with their tree (-V, JSON) */
  get wantTree(): boolean {
    return this.c.wantTree;
  }

  begin(): void {
    // -w: create the file now (bad path reported first; no match = empty capture)
    if (this.a.writeFile) this.writer = openWriter(this.a.writeFile, null, this.c.nanosecond);
    this.printer.begin();
  }

  /** Handle one packet; false = stop reading (count reached, output closed). */
  handle(raw: RawPacket): boolean {
    const { c, refs } = this;
    this.num++;
    if (Number.isNaN(refs.firstSec)) {
      refs.firstSec = raw.tsSec;
      refs.firstNsec = raw.tsNsec;
    }
    const fs = this.fast;
    if (fs !== null && ((fs.raw = raw), (fs.num = this.num), fastFrame(fs))) {
      c.engine.skip(raw);
      this.display(raw, null);
    } else {
      const p = c.engine.dissect(raw, this.num, c.wantTree);
      if ((!c.readFilter || c.readFilter(p)) && (!c.filter || c.filter(p))) this.display(raw, p);
    }
    refs.prevSec = raw.tsSec;
    refs.prevNsec = raw.tsNsec;
    return !c.out.closed && this.shown < c.count;
  }

  /**
   * A packet another lane prints (cli/parallel.ts): only what later packets
   * depend on happens here: the dissectors' state (fragments, echo pairs, TCP
   * sequence bases) and the display bookkeeping. A packet the fast path takes
   * costs only the fast decode (which updates what state it touches, as
   * dissection would).
   */
  shadow(raw: RawPacket, stateless: FastState | null): boolean {
    const { c, refs } = this;
    this.num++;
    if (Number.isNaN(refs.firstSec)) {
      refs.firstSec = raw.tsSec;
      refs.firstNsec = raw.tsNsec;
    }
    if (stateless !== null && ((stateless.raw = raw), (stateless.num = this.num), fastFrame(stateless))) c.engine.skip(raw);
    else c.engine.dissect(raw, this.num, false);
    this.shown++;
    this.printer.displayed(c.engine, raw);
    this.printer.first = false;
    refs.prevDispSec = refs.prevSec = raw.tsSec;
    refs.prevDispNsec = refs.prevNsec = raw.tsNsec;
    return this.shown < c.count;
  }

  /** A displayed packet: taps, -w, the output; `p` null = decoded by the summary fast path. */
  private display(raw: RawPacket, p: PacketInfo | null): void {
    const { a, c, refs } = this;
    this.shown++;
    this.printer.displayed(c.engine, raw);
    if (p) for (const t of c.taps) t.packet(p);
    if (a.writeFile) {
      this.writer ??= openWriter(a.writeFile, raw.linktype, c.nanosecond);
      this.writer.write(raw);
    }
    // as tshark: -w alone prints nothing (statistics still print); -P prints as well
    // (not when the capture goes to stdout)
    if (!a.quiet && (!a.writeFile || (a.printSummary && a.writeFile !== '-'))) {
      if (p) this.emit(p, raw);
      else {
        const fs = this.fast!;
        this.printer.fastLine(this.num, raw, fs.buf, fs.src, fs.dst, fs.proto, fs.info, refs);
      }
    }
    refs.prevDispSec = raw.tsSec;
    refs.prevDispNsec = raw.tsNsec;
  }

  emit(p: PacketInfo, _raw: RawPacket): void {
    this.printer.packet(p, this.refs);
  }

  finish(): void {
    const { a, c } = this;
    this.printer.finish();
    // with -w - the capture owns standard output: statistics go to stderr
    const tapOut = a.writeFile === '-' ? new Out(2) : c.out;
    for (const t of c.taps) t.finish(tapOut);
    if (tapOut !== c.out) tapOut.flush();
    this.writer?.close();
    c.out.flush();
  }
}
