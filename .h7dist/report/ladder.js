// The signalling ladder: hosts (columns) with roles inferred from the messages, and
// one edge per Mobility Header message. Used by `flows` (terminal, JSON) and `report` (SVG).
import { eventLabel } from '../stats/mip6events.js';
const ORDER = ['MN', 'AR', 'MAP', 'HA', 'CN', 'host'];
/** `t0` = [seconds, nanoseconds] of the capture's first frame (edge times are relative to it) */
export function buildLadder(events, t0) {
    // 1. MNs by home address, and which care-of addresses belong to them
    const owner = new Map(); // address -> home address
    // BU/BA with a Home Address option / type 2 RH tie a care-of address to its home address
    for (const e of events) {
        if ((e.type === 5 || e.type === 6) && e.hoa && e.coa && e.hoa !== e.coa) {
            owner.set(e.hoa, e.hoa);
            owner.set(e.coa, e.hoa);
        }
    }
    // then messages sent at home (deregistration) or without those headers, if still unknown
    for (const e of events) {
        if ((e.type === 5 || e.type === 6 || e.type === 1) && e.hoa && !owner.has(e.hoa))
            owner.set(e.hoa, e.hoa);
    }
    // 2. roles of the other ends
    const role = new Map();
    const setRole = (a, r) => {
        const old = role.get(a);
        if (!old || ORDER.indexOf(r) < ORDER.indexOf(old))
            role.set(a, r);
    };
    for (const e of events) {
        if (e.type === 5)
            setRole(e.dst, e.flags.includes('M') ? 'MAP' : e.flags.includes('H') ? 'HA' : 'CN');
        else if (e.type === 6 && !owner.has(e.src))
            setRole(e.src, role.get(e.src) ?? 'CN');
        else if (e.type === 1 || e.type === 2)
            setRole(e.dst, 'CN');
        else if (e.type === 3 || e.type === 4)
            setRole(e.src, 'CN');
        else if (e.type === 0)
            setRole(e.src, role.get(e.src) ?? 'HA');
        else if ((e.type === 8 || e.type === 10) && /key exchange|finished/i.test(e.name))
            setRole(e.dst, 'AR');
        else if (e.type === 9 && /key exchange/i.test(e.name))
            setRole(e.src, 'AR');
    }
    // 3. hosts
    const hosts = new Map();
    const hostOf = (addr) => {
        const hoa = owner.get(addr);
        if (hoa && !role.has(addr)) {
            const id = 'MN:' + hoa;
            let h = hosts.get(id);
            if (!h)
                hosts.set(id, (h = { id, role: 'MN', name: 'MN', detail: hoa, addrs: [hoa] }));
            if (!h.addrs.includes(addr))
                h.addrs.push(addr);
            return id;
        }
        const id = addr;
        if (!hosts.has(id))
            hosts.set(id, { id, role: role.get(addr) ?? 'host', name: role.get(addr) ?? 'host', detail: addr, addrs: [addr] });
        return id;
    };
    const edges = [];
    for (const e of events) {
        const from = hostOf(e.src), to = hostOf(e.dst);
        const failed = Object.values(e.verdicts).includes('fail') || e.expert.some((x) => x.severity === 'error');
        edges.push({
            frame: e.frame, time: Math.round((e.sec - t0[0]) * 1e9 + (e.nsec - t0[1])) / 1e9, from, to, src: e.src, dst: e.dst, msg: e.abbr, label: eventLabel(e),
            seq: e.seq, status: e.status, lifetime: e.lifetime,
            ok: !(e.malformed || failed || (e.status !== undefined && e.type === 6 && e.status >= 128)),
        });
    }
    // 4. names: MN1, MN2 ... numbered per role in order of first appearance
    const list = [...hosts.values()].sort((a, b) => ORDER.indexOf(a.role) - ORDER.indexOf(b.role));
    const count = new Map();
    for (const h of list)
        count.set(h.role, (count.get(h.role) ?? 0) + 1);
    const seen = new Map();
    for (const h of list) {
        const k = (seen.get(h.role) ?? 0) + 1;
        seen.set(h.role, k);
        h.name = (count.get(h.role) > 1 || h.role === 'MN' ? h.role + k : h.role);
    }
    return { hosts: list, edges };
}
/** The ladder as terminal text (box drawing or ASCII), fitted to `width` columns where possible. */
export function drawLadder(l, o) {
    const U = o.unicode;
    const V = U ? '│' : '|', H = U ? '─' : '-', R = U ? '▶' : '>', L = U ? '◀' : '<', ELL = U ? '…' : '~';
    const prefixW = 19; // "   12.345678  12345 "
    const n = Math.max(1, l.hosts.length);
    const colW = Math.max(14, Math.floor((o.width - prefixW) / n));
    const x = (i) => prefixW + i * colW + Math.floor(colW / 2);
    const total = x(n - 1) + Math.ceil(colW / 2);
    const index = new Map(l.hosts.map((h, i) => [h.id, i]));
    const fit = (s, w) => (s.length <= w ? s : w <= 1 ? s.slice(0, w) : s.slice(0, w - 1) + ELL);
    const blank = () => {
        const row = new Array(total).fill(' ');
        for (let i = 0; i < n; i++)
            row[x(i)] = V;
        return row;
    };
    const put = (row, at, s) => {
        for (let k = 0; k < s.length; k++)
            if (at + k >= 0 && at + k < row.length)
                row[at + k] = s[k];
    };
    const lines = [];
    const header = (pick, left) => {
        const row = new Array(total).fill(' ');
        put(row, 0, left);
        l.hosts.forEach((h, i) => {
            const s = fit(pick(h), colW - 1);
            put(row, x(i) - Math.floor(s.length / 2), s);
        });
        lines.push(row.join('').trimEnd());
    };
    header((h) => (h.role === 'MN' ? h.name + ' (HoA)' : h.name), '      Time  Frame');
    header((h) => h.detail, '');
    for (const e of l.edges) {
        const a = index.get(e.from), b = index.get(e.to);
        const row = blank();
        put(row, 0, e.time.toFixed(6).padStart(11) + '  ' + String(e.frame).padStart(5));
        const mark = e.ok ? '' : U ? ' ✗' : ' !';
        if (a === b) {
            put(row, x(a) + 1, (U ? '↺ ' : '@ ') + e.label + mark);
        }
        else {
            const lo = Math.min(x(a), x(b)), hi = Math.max(x(a), x(b));
            for (let c = lo + 1; c < hi; c++)
                row[c] = H;
            if (a < b)
                row[hi - 1] = R;
            else
                row[lo + 1] = L;
            const span = hi - lo - 3;
            // drop detail until the label fits: lifetime, then flags, then everything but name and seq
            const forms = [e.label, e.label.replace(/ lt=\d+s/, ''), e.label.replace(/ lt=\d+s/, '').replace(/ [A-Z]+$/, ''), e.msg + (e.seq !== undefined ? ' ' + e.seq : '') + (e.status !== undefined ? ' st=' + e.status : ''), e.msg + (e.status !== undefined ? ' st=' + e.status : e.seq !== undefined ? ' ' + e.seq : '')];
            const best = forms.find((f) => f.length + mark.length + 2 <= span) ?? forms[forms.length - 1];
            const text = fit(' ' + best + mark + ' ', Math.max(0, span));
            put(row, lo + 2 + Math.floor((span - text.length) / 2), text);
        }
        lines.push(row.join('').trimEnd());
    }
    // legend: every address of every host (care-of addresses do not fit the header)
    lines.push('');
    for (const h of l.hosts) {
        const [first, ...rest] = h.addrs;
        lines.push(`${h.name}: ${h.role === 'MN' ? `HoA ${first}${rest.length ? ', CoA ' + rest.join(', ') : ''}` : h.addrs.join(', ')}`);
    }
    return lines.join('\n') + '\n';
}
