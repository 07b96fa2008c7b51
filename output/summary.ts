// One line per packet, tshark's default columns: No. Time Source → Destination Protocol Length Info.
import type { PacketInfo, RawPacket } from '../core/packet.js';
import { formatTime, tsDiff, type TimeFormat, type TimeRefs } from './time.js';
import type { Out } from './writer.js';
import { escapeText } from '../core/escape.js';
import type { ChalkInstance } from 'chalk';
import { SEVERITY_RANK } from '../core/expert.js';

export interface SummaryOptions {
  timeFormat: TimeFormat;
  /** fractional digits: 6 for µs captures, 9 for ns */
  digits: number;
  chalk?: ChalkInstance;
}

// runs of spaces made once (' '.repeat per column and line showed in profiles)
const SPACES = Array.from({ length: 13 }, (_, n) => ' '.repeat(n));

function padLeft(s: string, w: number): string {
  return s.length >= w ? s : SPACES[w - s.length] + s;
}
function padRight(s: string, w: number): string {
  return s.length >= w ? s : s + SPACES[w - s.length];
}

/** The highest expert severity in the packet, for colouring and marks. */
export function worstSeverity(p: PacketInfo): number {
  let w = 0;
  for (const e of p.expert) w = Math.max(w, SEVERITY_RANK[e.severity]);
  return w;
}

/**
 * tshark's line: No. (right, 5), Time (right, 10), Source (right, 12) → Destination
 * (left, 12), then Protocol, Length and Info unpadded, one space apart. The time has
 * the record's own precision (pcapng: per interface); a record without a time
 * stamp (pcapng SPB) leaves the column blank.
 */
export function summaryLine(p: PacketInfo, refs: TimeRefs, o: SummaryOptions): string {
  const line = plainLine(p.num, p.raw, p.srcText, p.dstText, p.proto, p.info, refs, o);
  const c = o.chalk;
  if (!c || c.level === 0) return line;
  const w = worstSeverity(p);
  if (w >= 4 || p.malformed) return c.red(line);
  if (w === 3 || p.truncated) return c.yellow(line);
  if (p.proto === 'MIPv6') return c.cyan(line);
  return line;
}

// " src → dst " (padded) by source and destination, encoded: a capture's lines
// repeat a few pairs
const MIDDLE = new Map<string, Map<string, Buffer>>();
let middles = 0;
function middle(src: string, dst: string): Buffer {
  let m = MIDDLE.get(src);
  if (m === undefined) MIDDLE.set(src, (m = new Map()));
  let b = m.get(dst);
  if (b === undefined) {
    b = Buffer.from(` ${padLeft(src, 12)} → ${padRight(dst, 12)} `);
    // bounded: many hosts (a scan) start again from empty
    if (++middles > 4096) {
      MIDDLE.clear();
      middles = 0;
    } else m.set(dst, b);
  }
  return b;
}

// the Protocol column, escaped and encoded, and a space
const PROTOS = new Map<string, Buffer>();
function protoBytes(proto: string): Buffer {
  let b = PROTOS.get(proto);
  if (b === undefined) {
    b = Buffer.from(escapeText(proto) + ' ');
    if (PROTOS.size < 256) PROTOS.set(proto, b);
  }
  return b;
}

const FRAC_DIV = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 1e2, 10, 1];

/**
 * plainLine's octets put straight into the output buffer: digits, encoded
 * address pairs and protocol names, and the Info text, with no line string
 * built (the summary's largest cost once its packets take the fast path).
 */
export function writePlainLine(out: Out, num: number, raw: RawPacket, src: string, dst: string, proto: string, info: string, refs: TimeRefs, o: SummaryOptions): void {
  const inf = escapeText(info);
  const mid = middle(src, dst);
  const pb = protoBytes(proto);
  const digits = raw.tsDigits ?? o.digits;
  // relative times (the default) as digits; other formats as text
  let s = -1;
  let n = 0;
  let time = '';
  if (!raw.noTs) {
    if (o.timeFormat === 'r' && digits >= 1 && digits <= 9) [s, n] = tsDiff(raw.tsSec, raw.tsNsec, refs.firstSec, refs.firstNsec);
    if (!(s >= 0)) time = formatTime(o.timeFormat, raw.tsSec, raw.tsNsec, refs, digits);
  }
  if (!out.reserve(64 + mid.length + pb.length + 3 * (inf.length + time.length))) {
    if (!out.closed) out.write(plainLine(num, raw, src, dst, proto, info, refs, o) + '\n');
    return;
  }
  out.putDecimal(num, 5);
  out.putByte(0x20);
  if (s >= 0) {
    let w = 2 + digits;
    for (let x = s; x >= 10; x = Math.floor(x / 10)) w++;
    if (w < 10) out.putSpaces(10 - w);
    out.putDecimal(s);
    out.putByte(0x2e);
    out.putDecimal(Math.floor(n / FRAC_DIV[digits]!), 0, digits);
  } else {
    if (time.length < 10) out.putSpaces(10 - time.length);
    out.putText(time);
  }
  out.putBytes(mid);
  out.putBytes(pb);
  out.putDecimal(raw.origlen);
  out.putByte(0x20);
  out.putText(inf);
  out.endLine();
}

/** The uncoloured line from its columns (the summary fast path calls this directly). */
export function plainLine(num: number, raw: RawPacket, src: string, dst: string, proto: string, info: string, refs: TimeRefs, o: SummaryOptions): string {
  const time = raw.noTs ? '' : formatTime(o.timeFormat, raw.tsSec, raw.tsNsec, refs, raw.tsDigits ?? o.digits);
  // src/dst are made from address octets (hex digits, dots, colons): nothing to escape
  return `${padLeft(String(num), 5)} ${padLeft(time, 10)} ${padLeft(src, 12)} → ${padRight(dst, 12)} ${escapeText(proto)} ${raw.origlen} ${escapeText(info)}`;
}
