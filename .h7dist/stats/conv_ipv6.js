// -z conv,ipv6[,FILTER]: IPv6 conversations in tshark 4.0's table layout
// (A = source of the first packet; "->" counts A to B; sorted by total frames).
// Unlike tshark 4.0, which leaves Mobility Header packets out of this table,
// every IPv6 packet (outermost header) is counted.
import { registerTap } from '../output/taps.js';
import { ipv6ToString } from '../core/addr.js';
import { compileFilter } from '../filter/index.js';
/** Wireshark's format_size for bytes (SI prefixes, whole numbers). */
export function formatSize(n) {
    const units = [[1e12, 'TB'], [1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB']];
    for (const [p, u] of units)
        if (n / p >= 10)
            return `${Math.floor(n / p)} ${u}`;
    return `${n} bytes`;
}
registerTap({
    prefix: 'conv,ipv6',
    help: 'conv,ipv6[,FILTER]: IPv6 conversations (tshark layout)',
    create(arg) {
        const ftext = arg.length > 9 ? arg.slice(10) : '';
        const flt = ftext ? compileFilter(ftext) : null;
        const convs = new Map();
        const order = [];
        return {
            needsTree: !!flt && flt.needsTree !== false,
            packet(p) {
                if (flt && !flt(p))
                    return;
                const ip = p.ipStack[0];
                if (!ip || ip.version !== 6)
                    return;
                const s = ipv6ToString(ip.src), d = ipv6ToString(ip.dst);
                const eng = p.data.engine;
                const t = eng ? p.raw.tsSec - eng.firstSec + (p.raw.tsNsec - eng.firstNsec) / 1e9 : 0;
                const k1 = s + ' ' + d, k2 = d + ' ' + s;
                let c = convs.get(k1) ?? convs.get(k2);
                if (!c) {
                    c = { a: s, b: d, rxF: 0, rxB: 0, txF: 0, txB: 0, start: t, stop: t };
                    convs.set(k1, c);
                    order.push(c);
                }
                if (t < c.start)
                    c.start = t;
                if (t > c.stop)
                    c.stop = t;
                const len = p.raw.origlen;
                if (c.a === s) {
                    c.txF++;
                    c.txB += len;
                }
                else {
                    c.rxF++;
                    c.rxB += len;
                }
            },
            finish(out) {
                out.line('================================================================================');
                out.line('IPv6 Conversations');
                out.line(`Filter:${ftext || '<No Filter>'}`);
                out.line('                                               |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |');
                out.line('                                               | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |');
                const sorted = order.map((c, i) => ({ c, i })).sort((x, y) => (y.c.rxF + y.c.txF) - (x.c.rxF + x.c.txF) || x.i - y.i);
                for (const { c } of sorted) {
                    out.line(`${c.a.padEnd(20)} <-> ${c.b.padEnd(20)}  ${String(c.rxF).padStart(6)} ${formatSize(c.rxB).padEnd(9)}  ${String(c.txF).padStart(6)} ${formatSize(c.txB).padEnd(9)}  ${String(c.rxF + c.txF).padStart(6)} ${formatSize(c.rxB + c.txB).padEnd(9)}  ${c.start.toFixed(9).padStart(14)}   ${(c.stop - c.start).toFixed(4).padStart(12)}`);
                }
                out.line('================================================================================');
            },
        };
    },
});
