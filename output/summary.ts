// One line per packet, tshark's default columns: No. Time Source → Destination Protocol Length Info.
import type { PacketInfo, RawPacket } from '../core/packet.js';
import { formatTime, type TimeFormat, type TimeRefs } from './time.js';
import { escapeText } from '../core/escape.js';
import type { ChalkInstance } from 'chalk';
import { SEVERITY_RANK } from '../core/expert.js';

export interface SummaryOptions {
  timeFormat: TimeFormat;
  /** fractional digits: 6 for µs captures, 9 for ns */
  digits: number;
  chalk?: ChalkInstance;
}

function padLeft(s: string, w: number): string {
  return s.length >= w ? s : ' '.repeat(w - s.length) + s;
}
function padRight(s: string, w: number): string {
  return s.length >= w ? s : s + ' '.repeat(w - s.length);
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

/** The uncoloured line from its columns (the summary fast path calls this directly). */
export function plainLine(num: number, raw: RawPacket, src: string, dst: string, proto: string, info: string, refs: TimeRefs, o: SummaryOptions): string {
  const time = raw.noTs ? '' : formatTime(o.timeFormat, raw.tsSec, raw.tsNsec, refs, raw.tsDigits ?? o.digits);
  // src/dst are made from address octets (hex digits, dots, colons): nothing to escape
  return `${padLeft(String(num), 5)} ${padLeft(time, 10)} ${padLeft(src, 12)} → ${padRight(dst, 12)} ${escapeText(proto)} ${raw.origlen} ${escapeText(info)}`;
}
