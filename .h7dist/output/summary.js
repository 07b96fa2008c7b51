import { formatTime } from './time.js';
import { escapeText } from '../core/escape.js';
import { SEVERITY_RANK } from '../core/expert.js';
function padLeft(s, w) {
    return s.length >= w ? s : ' '.repeat(w - s.length) + s;
}
function padRight(s, w) {
    return s.length >= w ? s : s + ' '.repeat(w - s.length);
}
/** The highest expert severity in the packet, for colouring and marks. */
export function worstSeverity(p) {
    let w = 0;
    for (const e of p.expert)
        w = Math.max(w, SEVERITY_RANK[e.severity]);
    return w;
}
/**
 * tshark's line: No. (right, 5), Time (right, 10), Source (right, 12) → Destination
 * (left, 12), then Protocol, Length and Info unpadded, one space apart. The time has
 * the record's own precision (pcapng: per interface); a record without a time
 * stamp (pcapng SPB) leaves the column blank.
 */
export function summaryLine(p, refs, o) {
    const raw = p.raw;
    const time = raw.noTs ? '' : formatTime(o.timeFormat, raw.tsSec, raw.tsNsec, refs, raw.tsDigits ?? o.digits);
    const info = escapeText(p.info);
    const line = `${padLeft(String(p.num), 5)} ${padLeft(time, 10)} ${padLeft(escapeText(p.srcText), 12)} → ${padRight(escapeText(p.dstText), 12)} ${escapeText(p.proto)} ${raw.origlen} ${info}`;
    const c = o.chalk;
    if (!c || c.level === 0)
        return line;
    const w = worstSeverity(p);
    if (w >= 4 || p.malformed)
        return c.red(line);
    if (w === 3 || p.truncated)
        return c.yellow(line);
    if (p.proto === 'MIPv6')
        return c.cyan(line);
    return line;
}
