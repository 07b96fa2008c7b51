// Prints displayed packets in the chosen format, with tshark's framing:
//   summary lines; -V (tree + blank line); -x (hex + blank line); -V -x (tree,
//   blank, hex, blank); -T json (an array); -T ek (index + document lines);
//   -T fields (optional header, one line per packet).
import type { PacketInfo, RawPacket } from '../core/packet.js';
import type { Engine } from '../core/engine.js';
import type { Out } from './writer.js';
import type { ChalkInstance } from 'chalk';
import { summaryLine, writePlainLine, writeLineAt } from './summary.js';
import { treeText } from './text.js';
import { packetHex } from './hex.js';
import { jsonPacket, ekPacket, type JsonOptions } from './json.js';
import { FieldsPrinter, type FieldsOpts } from './fields.js';
import { formatTime, type TimeFormat, type TimeRefs } from './time.js';
import { escapeText } from '../core/escape.js';
import { PREV_DISPLAYED, DISPLAY_TRACKED } from '../dissectors/frame.js';

export interface PrinterOptions {
  format: string;
  verbose: boolean;
  hex: boolean;
  only?: Set<string>;
  fields: string[];
  fopts: FieldsOpts;
  json?: JsonOptions;
  timeFormat: TimeFormat;
  digits: number;
  chalk?: ChalkInstance;
  lineBuffered?: boolean;
  /** -P: the summary line too, before -V/-x output */
  summary?: boolean;
}

// the local date changes rarely: made again only when the second changes
let dateSec = NaN;
let dateText = '';

/** tshark's _index date: the packet's local date */
export function dateIndex(p: RawPacket): string {
  if (p.tsSec === dateSec) return dateText;
  const d = new Date(p.tsSec * 1000);
  const m = d.getMonth() + 1;
  const day = d.getDate();
  dateSec = p.tsSec;
  return (dateText = `${d.getFullYear()}-${m < 10 ? '0' + m : m}-${day < 10 ? '0' + day : day}`);
}

export class PacketPrinter {
  first = true;
  private fp: FieldsPrinter | null = null;
  private detail: boolean;

  constructor(private out: Out, private o: PrinterOptions) {
    this.detail = o.verbose || !!o.only;
    if (o.format === 'fields') this.fp = new FieldsPrinter(o.fields, o.fopts, { timeFormat: o.timeFormat, digits: o.digits });
  }

  /** Let frame.time_delta_displayed follow what is displayed (call once, before the first packet). */
  trackDisplayed(engine: Engine): void {
    engine.state[DISPLAY_TRACKED] = true;
    delete engine.state[PREV_DISPLAYED];
  }

  /** Record a displayed packet (also when -q prints nothing). */
  displayed(engine: Engine, raw: RawPacket): void {
    // one pair per engine, updated in place (frame.ts reads it while dissecting the next packet)
    const pd = engine.state[PREV_DISPLAYED] as [number, number] | undefined;
    if (pd === undefined) engine.state[PREV_DISPLAYED] = [raw.tsSec, raw.tsNsec];
    else {
      pd[0] = raw.tsSec;
      pd[1] = raw.tsNsec;
    }
  }

  begin(): void {
    if (this.o.format === 'json') this.out.write('[');
    else if (this.fp && this.o.fopts.header) this.out.line(this.fp.header());
  }

  packet(p: PacketInfo, refs: TimeRefs): void {
    const o = this.o;
    const out = this.out;
    switch (o.format) {
      case 'json':
        out.write((this.first ? '\n' : ',\n') + jsonPacket(p, dateIndex(p.raw), o.json));
        break;
      case 'ek':
        out.write(ekPacket(p, dateIndex(p.raw)) + '\n');
        break;
      case 'fields':
        out.write(this.fp!.line(p, refs) + '\n');
        break;
      case 'tabs':
        if (!this.detail && !o.hex) out.write(this.tabsLine(p, refs) + '\n');
        else this.text(p, refs);
        break;
      default:
        this.text(p, refs);
    }
    this.first = false;
    if (o.lineBuffered) out.flush();
  }

  /** text output: summary line, or -V/-O tree and blank line, and/or -x dump and blank line */
  text(p: PacketInfo, refs: TimeRefs): void {
    const o = this.o;
    if (o.summary || (!this.detail && !o.hex)) {
      if (!o.chalk || o.chalk.level === 0) writePlainLine(this.out, p.num, p.raw, p.srcText, p.dstText, p.proto, p.info, refs, o);
      else this.out.write(summaryLine(p, refs, { timeFormat: o.timeFormat, digits: o.digits, chalk: o.chalk }) + '\n');
    }
    // tshark: a blank line closes the details (also the empty details of -P -x)
    if (this.detail) this.out.write(treeText(p, { only: o.only, hex: o.hex, chalk: o.chalk }) + '\n');
    else if (o.summary && o.hex) this.out.write('\n');
    if (o.hex) this.out.write(packetHex(p) + '\n');
  }

  /** A summary line from the fast path's columns (core/fast.ts; only without colour). */
  fastLine(num: number, raw: RawPacket, buf: Uint8Array, src: number, dst: number, proto: string, info: string, refs: TimeRefs): void {
    writeLineAt(this.out, num, raw, buf, src, dst, proto, info, refs, this.o);
    this.first = false;
    if (this.o.lineBuffered) this.out.flush();
  }

  /** -T tabs: the summary columns separated by tabs (tshark keeps the number and time padding) */
  tabsLine(p: PacketInfo, refs: TimeRefs): string {
    const num = String(p.num);
    const time = p.raw.noTs ? '' : formatTime(this.o.timeFormat, p.raw.tsSec, p.raw.tsNsec, refs, p.raw.tsDigits ?? this.o.digits);
    const pad = (t: string, w: number) => (t.length >= w ? t : ' '.repeat(w - t.length) + t);
    return `${pad(num, 5)}\t${pad(time, 10)}\t${p.srcText}\t→\t${p.dstText}\t${escapeText(p.proto)}\t${p.raw.origlen}\t${escapeText(p.info)}`;
  }

  finish(): void {
    if (this.o.format === 'json') this.out.write(this.first ? ']\n' : '\n]\n');
  }
}
