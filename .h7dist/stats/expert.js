// -z expert: expert items grouped by severity with a count per (group, protocol,
// message), in tshark -z expert's layout.
import { registerTap } from '../output/taps.js';
import { escapeText } from '../core/escape.js';
const SECTIONS = [['error', 'Errors'], ['warning', 'Warnings'], ['note', 'Notes'], ['chat', 'Chats'], ['comment', 'Comments']];
const RANK = { comment: 0, chat: 1, note: 2, warning: 3, error: 4 };
/** The protocol column: from the expert id's first part (mh.malformed -> MIPv6). */
export function expertProtocol(id) {
    const head = id.split('.')[0];
    const map = {
        mh: 'MIPv6', mip6: 'MIPv6', seq: 'MIPv6', verify: 'MIPv6', rr: 'MIPv6', cbu: 'MIPv6', cookie: 'MIPv6', lke: 'MIPv6',
        ipsec: 'MIPv6', hao: 'IPv6', ipv6: 'IPv6', icmpv6: 'ICMPv6', frame: 'Frame', keyring: 'Keyring', udp: 'UDP',
        eth: 'Ethernet', esp: 'ESP', ah: 'AH', analysis: 'Analysis', malformed: 'Malformed', dissector: 'Dissector',
    };
    return map[head] ?? head.toUpperCase();
}
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
registerTap({
    prefix: 'expert',
    help: 'expert[,error|warn|note|chat|comment][,FILTER]: expert items by severity (tshark -z expert)',
    create(arg) {
        const parts = arg.split(',').slice(1);
        let min = 0;
        const lv = { error: 4, warn: 3, warning: 3, note: 2, chat: 1, comment: 0 };
        if (parts.length && lv[parts[0]] !== undefined)
            min = lv[parts.shift()];
        if (parts.length)
            throw new Error('a display filter after expert is not supported; use -Y');
        const rows = new Map();
        return {
            // some items (packet comments) exist only when the tree is built
            needsTree: true,
            packet(p) {
                for (const e of p.expert) {
                    if ((RANK[e.severity] ?? 0) < min)
                        continue;
                    const group = e.severity === 'comment' ? 'Comment' : cap(e.group ?? 'protocol');
                    const proto = e.severity === 'comment' ? 'Frame' : expertProtocol(e.id);
                    const key = `${e.severity}\0${group}\0${proto}\0${e.message}`;
                    const r = rows.get(key);
                    if (r)
                        r.n++;
                    else
                        rows.set(key, { sev: e.severity, group, proto, msg: e.message, n: 1 });
                }
            },
            finish(out) {
                for (const [sev, title] of SECTIONS) {
                    const rs = [...rows.values()].filter((r) => r.sev === sev);
                    if (!rs.length)
                        continue;
                    out.line('');
                    out.line(`${title} (${rs.reduce((a, r) => a + r.n, 0)})`);
                    out.line('=============');
                    out.line('   Frequency      Group           Protocol  Summary');
                    for (const r of rs)
                        out.line(`${String(r.n).padStart(12)} ${r.group.padStart(10)} ${r.proto.padStart(18)}  ${escapeText(r.msg)}`);
                }
            },
        };
    },
});
