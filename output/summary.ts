// One line per packet, tshark's default columns: No. Time Source → Destination Protocol Length Info.
import type { PacketInfo, RawPacket } from '../core/packet.js';
import { formatTime, type TimeFormat, type TimeRefs } from './time.js';
import type { Out } from './writer.js';
import { escapeText } from '../core/escape.js';
import { ipv6ToString, word } from '../core/addr.js';
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

// " src → dst " by the 32 address octets, for the summary fast path: a small
// direct-mapped cache (8 words compared) spares it both address strings and the
// two Map lookups of middle() on every line
const MID_SLOTS = 1024;
const midWords = new Int32Array(MID_SLOTS * 8);
const midBytes: Array<Buffer | undefined> = new Array(MID_SLOTS);

/** middle() for two IPv6 addresses at octets [s, s + 16) and [d, d + 16) of `b` */
function middleAt(b: Uint8Array, s: number, d: number): Buffer {
  let h = 0x811c9dc5;
  for (let i = 0; i < 16; i += 4) h = Math.imul(h ^ word(b, s + i), 0x9e3779b1);
  for (let i = 0; i < 16; i += 4) h = Math.imul(h ^ word(b, d + i), 0x85ebca6b);
  const slot = (h >>> 22) & (MID_SLOTS - 1);
  const k = slot * 8;
  const hit = midBytes[slot];
  if (
    hit !== undefined &&
    midWords[k] === word(b, s) && midWords[k + 1] === word(b, s + 4) && midWords[k + 2] === word(b, s + 8) && midWords[k + 3] === word(b, s + 12) &&
    midWords[k + 4] === word(b, d) && midWords[k + 5] === word(b, d + 4) && midWords[k + 6] === word(b, d + 8) && midWords[k + 7] === word(b, d + 12)
  ) return hit;
  const m = middle(ipv6ToString(b, s), ipv6ToString(b, d));
  for (let i = 0; i < 4; i++) {
    midWords[k + i] = word(b, s + 4 * i);
    midWords[k + 4 + i] = word(b, d + 4 * i);
  }
  midBytes[slot] = m;
  return m;
}

/**
 * plainLine's octets put straight into the output buffer: digits, encoded
 * address pairs and protocol names, and the Info text, with no line string
 * built (the summary's largest cost once its packets take the fast path).
 */
export function writePlainLine(out: Out, num: number, raw: RawPacket, src: string, dst: string, proto: string, info: string, refs: TimeRefs, o: SummaryOptions): void {
  if (!putLine(out, num, raw, middle(src, dst), proto, info, refs, o)) {
    if (!out.closed) out.write(plainLine(num, raw, src, dst, proto, info, refs, o) + '\n');
  }
}

/**
 * writePlainLine for the summary fast path: the columns' addresses are the IPv6
 * addresses at octets `s` and `d` of `b` (-1: none, an empty column).
 */
export function writeLineAt(out: Out, num: number, raw: RawPacket, b: Uint8Array, s: number, d: number, proto: string, info: string, refs: TimeRefs, o: SummaryOptions): void {
  const mid = s >= 0 && d >= 0 ? middleAt(b, s, d) : middle(s >= 0 ? ipv6ToString(b, s) : '', d >= 0 ? ipv6ToString(b, d) : '');
  if (!putLine(out, num, raw, mid, proto, info, refs, o)) {
    if (!out.closed) out.write(plainLine(num, raw, s >= 0 ? ipv6ToString(b, s) : '', d >= 0 ? ipv6ToString(b, d) : '', proto, info, refs, o) + '\n');
  }
}

/** The line into the buffer; false = it does not fit (or the output is closed): nothing was put. */
function putLine(out: Out, num: number, raw: RawPacket, mid: Buffer, proto: string, info: string, refs: TimeRefs, o: SummaryOptions): boolean {
  const pb = protoBytes(proto);
  const digits = raw.tsDigits ?? o.digits;
  // relative times (the default) as digits; other formats as text
  let s = -1;
  let n = 0;
  let time = '';
  if (!raw.noTs) {
    if (o.timeFormat === 'r' && digits >= 1 && digits <= 9) {
      s = raw.tsSec - refs.firstSec;
      n = raw.tsNsec - refs.firstNsec;
      if (n < 0) {
        n += 1e9;
        s -= 1;
      }
    }
    if (!(s >= 0)) time = formatTime(o.timeFormat, raw.tsSec, raw.tsNsec, refs, digits);
  }
  // escaped text is ASCII, at most 6 characters for one UTF-16 unit
  if (!out.reserve(64 + mid.length + pb.length + 6 * info.length + 3 * time.length)) return false;
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
  // the Info text as it is when its octets hold nothing to escape (a scan of the
  // octets is cheaper than escapeText's regex); otherwise written again escaped
  const at = out.mark();
  out.putText(info);
  if (!out.noEscapesSince(at)) {
    out.rewind(at);
    out.putText(escapeText(info));
  }
  out.endLine();
  return true;
}

/** The uncoloured line from its columns (the summary fast path calls this directly). */
export function plainLine(num: number, raw: RawPacket, src: string, dst: string, proto: string, info: string, refs: TimeRefs, o: SummaryOptions): string {
  const time = raw.noTs ? '' : formatTime(o.timeFormat, raw.tsSec, raw.tsNsec, refs, raw.tsDigits ?? o.digits);
  // src/dst are made from address octets (hex digits, dots, colons): nothing to escape
  return `${padLeft(String(num), 5)} ${padLeft(time, 10)} ${padLeft(src, 12)} → ${padRight(dst, 12)} ${escapeText(proto)} ${raw.origlen} ${escapeText(info)}`;
}
