// Field layouts as data (Scapy's field lists, Wireshark's hf arrays): one table per
// message drives decoding, the tree, JSON and filter names. `decodeLayout` checks
// bounds before each field and names the field that runs past the data.
import { fieldMaker } from './fields.js';
const FIXED = {
    uint8: 1, uint16: 2, uint24: 3, uint32: 4, int32: 4, uint64: 8, ipv6: 16, ipv4: 4, ether: 6, bool: 1,
};
export function readValue(tvb, f, off, w) {
    switch (f.type) {
        case 'uint8':
        case 'bool': return w === 1 ? tvb.u8(off) : w === 2 ? tvb.u16(off) : w === 4 ? tvb.u32(off) : tvb.u24(off);
        case 'uint16': return tvb.u16(off);
        case 'uint24': return tvb.u24(off);
        case 'uint32': return tvb.u32(off);
        case 'int32': return tvb.u32(off) | 0;
        case 'uint64': return tvb.u64(off);
        default: return tvb.bytes(off, w, f.name);
    }
}
function readContainer(tvb, off, w) {
    return w === 1 ? tvb.u8(off) : w === 2 ? tvb.u16(off) : w === 3 ? tvb.u24(off) : tvb.u32(off);
}
/** Apply a mask and shift: the value Wireshark stores for a bitfield. */
export function maskValue(container, mask) {
    // containers are at most 32 bits: the lowest set bit gives the shift (mask 0: none)
    const low = mask & -mask;
    return ((container & mask) >>> (low === 0 ? 0 : 31 - Math.clz32(low)));
}
/**
 * Decode `layout` at `off`, storing values in `vals` (by field abbrev) and adding
 * items under `tree` when a tree is wanted. Returns the offset after the last field.
 */
export function decodeLayout(tvb, off, layout, vals, tree) {
    for (const e of layout) {
        const w = e.w ?? (e.len ? e.len(vals, tvb.end - off) : 0);
        tvb.check(off, w, e.f?.name ?? e.bits?.[0]?.name);
        if (e.bits) {
            const c = readContainer(tvb, off, w);
            let parent = tree;
            if (e.f) {
                vals[e.f.abbrev] = c;
                if (tree && !e.hidden)
                    parent = tree.add(e.f, off, w, c);
            }
            for (const b of e.bits) {
                const v = b.mask ? maskValue(c, b.mask) : c;
                vals[b.abbrev] = b.type === 'bool' ? v !== 0 : v;
                if (parent && !e.hidden)
                    parent.add(b, off, w, b.type === 'bool' ? v !== 0 : v);
            }
        }
        else if (e.f) {
            const v = readValue(tvb, e.f, off, w);
            vals[e.f.abbrev] = v;
            if (tree && !e.hidden)
                tree.add(e.f, off, w, v);
        }
        off += w;
    }
    return off;
}
/** Builders bound to one protocol, so a message table reads like a field list. */
export function layoutMaker(proto) {
    const F = fieldMaker(proto);
    const fixed = (type) => (abbrev, name, extra = {}) => {
        const f = F(abbrev, name, type, extra);
        return { f, w: FIXED[type] ?? 0 };
    };
    const flags = (bytes) => (container, subs) => {
        const bits = subs.map(([a, n, mask, extra]) => {
            const oneBit = (mask & (mask - 1)) === 0;
            return F(a, n, oneBit ? 'bool' : bytes === 1 ? 'uint8' : bytes === 2 ? 'uint16' : bytes === 3 ? 'uint24' : 'uint32', { mask, bits: bytes * 8, ...extra });
        });
        const f = container ? F(container[0], container[1], bytes === 1 ? 'uint8' : bytes === 2 ? 'uint16' : bytes === 3 ? 'uint24' : 'uint32', { base: 'hex', ...container[2] }) : undefined;
        return { f, w: bytes, bits };
    };
    return {
        F,
        u8: fixed('uint8'), u16: fixed('uint16'), u24: fixed('uint24'), u32: fixed('uint32'), u64: fixed('uint64'),
        ipv6: fixed('ipv6'), ipv4: fixed('ipv4'), ether: fixed('ether'),
        bytes: (abbrev, name, len, extra = {}) => {
            const f = F(abbrev, name, 'bytes', extra);
            return typeof len === 'number' ? { f, w: len } : { f, len: len === 'rest' ? (_v, rem) => Math.max(0, rem) : len };
        },
        string: (abbrev, name, len, extra = {}) => {
            const f = F(abbrev, name, 'string', extra);
            return typeof len === 'number' ? { f, w: len } : { f, len: len === 'rest' ? (_v, rem) => Math.max(0, rem) : len };
        },
        flags8: flags(1), flags16: flags(2), flags24: flags(3), flags32: flags(4),
        hidden: (e) => ({ ...e, hidden: true }),
    };
}
