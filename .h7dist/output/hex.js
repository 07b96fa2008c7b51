import { escapeText } from '../core/escape.js';
function offsetDigits(len) {
    let d = 4;
    const max = Math.max(0, len - 1);
    while (d < 8 && max >= 16 ** d)
        d++;
    return d;
}
const HEXC = Buffer.from('0123456789abcdef', 'latin1');
/**
 * Lines of a dump of `b`, each ending in "\n"; offsets from 0. Written as bytes
 * into one buffer (this runs for every packet with -x).
 */
export function hexDumpLines(b) {
    const len = b.length;
    if (len === 0)
        return '';
    const dig = offsetDigits(len);
    const lineLen = dig + 2 + 48 + 2 + 16 + 1;
    const lines = Math.ceil(len / 16);
    const out = Buffer.allocUnsafe(lines * lineLen);
    let w = 0;
    for (let o = 0; o < len; o += 16) {
        const n = len - o < 16 ? len - o : 16;
        for (let d = dig - 1; d >= 0; d--)
            out[w++] = HEXC[Math.floor(o / 16 ** d) % 16];
        out[w++] = 0x20;
        out[w++] = 0x20;
        for (let i = 0; i < 16; i++) {
            if (i < n) {
                const c = b[o + i];
                out[w++] = HEXC[c >> 4];
                out[w++] = HEXC[c & 15];
            }
            else {
                out[w++] = 0x20;
                out[w++] = 0x20;
            }
            out[w++] = 0x20;
        }
        // tshark leaves 3 spaces before the ASCII column
        out[w++] = 0x20;
        out[w++] = 0x20;
        for (let i = 0; i < n; i++) {
            const c = b[o + i];
            out[w++] = c >= 0x20 && c < 0x7f ? c : 0x2e;
        }
        out[w++] = 0x0a;
    }
    return out.toString('latin1', 0, w);
}
/** One buffer's dump (kept for callers of the first version). */
export function hexDump(b) {
    return hexDumpLines(b);
}
/** The buffer of data source `ds` (0 = the frame, i = pinfo.sources[i - 1]). */
export function sourceBuffer(p, ds) {
    return ds === 0 ? p.raw.data : p.sources[ds - 1]?.buf;
}
/** tshark -x for one packet: the frame, then every extra data source, named when there are several. */
export function packetHex(p) {
    const data = p.raw.data;
    if (p.sources.length === 0)
        return hexDumpLines(data);
    let s = `Frame (${data.length} byte${data.length === 1 ? '' : 's'}):\n` + hexDumpLines(data);
    for (const src of p.sources) {
        // names are set by dissectors; nothing a terminal could act on passes
        const name = escapeText(src.name);
        s += `${name} (${src.buf.length} byte${src.buf.length === 1 ? '' : 's'}):\n` + hexDumpLines(src.buf);
    }
    return s;
}
