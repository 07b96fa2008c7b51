import { escapeText } from '../core/escape.js';
const HEX3 = [];
for (let i = 0; i < 256; i++)
    HEX3.push(i.toString(16).padStart(2, '0') + ' ');
const ASC = [];
for (let i = 0; i < 256; i++)
    ASC.push(i >= 0x20 && i < 0x7f ? String.fromCharCode(i) : '.');
const PAD = [];
for (let i = 0; i <= 16; i++)
    PAD.push('   '.repeat(16 - i));
function offsetDigits(len) {
    let d = 4;
    const max = Math.max(0, len - 1);
    while (d < 8 && max >= 16 ** d)
        d++;
    return d;
}
/** Lines of a dump of `b`, each ending in "\n"; offsets from 0. */
export function hexDumpLines(b) {
    const dig = offsetDigits(b.length);
    let s = '';
    for (let o = 0; o < b.length; o += 16) {
        const n = Math.min(16, b.length - o);
        let hex = '';
        let asc = '';
        for (let i = 0; i < n; i++) {
            const c = b[o + i];
            hex += HEX3[c];
            asc += ASC[c];
        }
        // "xx " * n, then pad to 16 columns; tshark leaves 3 spaces before the ASCII
        s += o.toString(16).padStart(dig, '0') + '  ' + hex + PAD[n] + '  ' + asc + '\n';
    }
    return s;
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
