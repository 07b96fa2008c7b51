import { parseIPv6, parseIPv4 } from '../core/addr.js';
export function kindOf(t) {
    switch (t) {
        case 'bool':
        case 'uint8':
        case 'uint16':
        case 'uint24':
        case 'uint32':
        case 'uint64':
        case 'int32':
        case 'framenum':
            return 'num';
        case 'rel_time':
        case 'double': return 'float';
        case 'abs_time': return 'time';
        case 'ipv6': return 'ipv6';
        case 'ipv4': return 'ipv4';
        case 'ether': return 'ether';
        case 'string': return 'str';
        case 'bytes': return 'bytes';
        default: return 'proto';
    }
}
export function isBytesKind(k) {
    return k === 'bytes' || k === 'ipv6' || k === 'ipv4' || k === 'ether' || k === 'proto';
}
/** The comparable value of one tree item; `frame` is the packet's bytes (for protocol items). */
export function itemVal(f, k, it, frame) {
    const v = it.value;
    switch (k) {
        case 'num':
            return typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'number' || typeof v === 'bigint' ? v : Number(v ?? 0);
        case 'float':
        case 'time':
            return Array.isArray(v) ? v[0] + v[1] / 1e9 : Number(v ?? 0);
        case 'str':
            return v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8') : String(v ?? '');
        case 'proto':
            // Wireshark's FT_PROTOCOL value is the protocol's data to the end of its buffer
            if (v instanceof Uint8Array)
                return v;
            return it.ds === 0 && it.offset < frame.length ? frame.subarray(it.offset) : new Uint8Array(0);
        default:
            if (v instanceof Uint8Array)
                return v;
            if (typeof v === 'string')
                return Buffer.from(v, 'utf8');
            return it.ds === 0 ? frame.subarray(it.offset, it.offset + it.length) : new Uint8Array(0);
    }
    void f;
}
/** The raw octets behind an item, for slices of any field (Wireshark slices the bytes). */
export function itemBytes(it, frame, k) {
    const v = it.value;
    if (v instanceof Uint8Array)
        return v;
    if (k === 'str' && typeof v === 'string')
        return Buffer.from(v, 'utf8');
    if (k === 'proto')
        return it.ds === 0 ? frame.subarray(Math.min(it.offset, frame.length)) : new Uint8Array(0);
    return it.ds === 0 ? frame.subarray(it.offset, it.offset + it.length) : new Uint8Array(0);
}
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
export function parseInteger(s) {
    const m = /^([+-]?)(0x[0-9a-f]+|0b[01]+|0[0-7]*|[1-9][0-9]*)$/i.exec(s);
    if (!m)
        return null;
    const body = m[2];
    let n;
    if (/^0x/i.test(body))
        n = BigInt(body);
    else if (/^0b/i.test(body))
        n = BigInt(body);
    else if (body.length > 1 && body[0] === '0')
        n = BigInt('0o' + body.slice(1));
    else
        n = BigInt(body);
    if (m[1] === '-')
        n = -n;
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}
/** Bytes as Wireshark writes them: aa:bb:cc, aa-bb, aa.bb, or one run of hex pairs. */
export function parseBytes(s) {
    if (/^[0-9a-f]{1,2}([:.\-][0-9a-f]{1,2})*$/i.test(s))
        return Buffer.from(s.split(/[:.\-]/).map((x) => parseInt(x, 16)));
    if (/^([0-9a-f]{2})+$/i.test(s))
        return Buffer.from(s, 'hex');
    return null;
}
function parseTime(s) {
    const t = s.trim();
    if (/^\d+(\.\d+)?$/.test(t))
        return Number(t);
    // "Nov 14, 2023 22:13:50[.frac][ UTC]" (Wireshark's) or "2023-11-14 22:13:50[.frac]"; local time unless UTC/Z
    let m = /^([A-Za-z]{3})\s+(\d{1,2}),\s*(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(UTC|Z)?$/.exec(t);
    let y, mo, d, h, mi, sec, frac, utc;
    if (m) {
        mo = MONTHS.indexOf(m[1].toLowerCase());
        if (mo < 0)
            return null;
        d = +m[2];
        y = +m[3];
        h = +m[4];
        mi = +m[5];
        sec = +(m[6] ?? 0);
        frac = m[7] ? Number(m[7]) : 0;
        utc = !!m[8];
    }
    else {
        m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(UTC|Z)?$/.exec(t);
        if (!m)
            return null;
        y = +m[1];
        mo = +m[2] - 1;
        d = +m[3];
        h = +m[4];
        mi = +m[5];
        sec = +(m[6] ?? 0);
        frac = m[7] ? Number(m[7]) : 0;
        utc = !!m[8];
    }
    const ms = utc ? Date.UTC(y, mo, d, h, mi, sec) : new Date(y, mo, d, h, mi, sec).getTime();
    return ms / 1000 + frac;
}
/**
 * Convert literal text (unquoted word or quoted string) for a field of kind `k`.
 * Returns an error message instead when it cannot be converted.
 */
export function parseLiteral(k, text, quoted, f, raw) {
    switch (k) {
        case 'num': {
            if (!quoted && f?.type === 'bool') {
                if (/^true$/i.test(text))
                    return { v: 1 };
                if (/^false$/i.test(text))
                    return { v: 0 };
            }
            const n = quoted ? null : parseInteger(text);
            if (n === null) {
                if (f?.vals && typeof f.vals === 'object') {
                    // value strings: mip6.mhtype == "Binding Update"
                    for (const [key, name] of Object.entries(f.vals))
                        if (name.toLowerCase() === text.toLowerCase())
                            return { v: Number(key) };
                }
                return `"${text}" is not a valid number.`;
            }
            return { v: n };
        }
        case 'float': {
            if (quoted || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text))
                return `"${text}" is not a valid number.`;
            return { v: Number(text) };
        }
        case 'time': {
            const t = parseTime(text);
            return t === null ? `"${text}" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"` : { v: t };
        }
        case 'ipv6': {
            const [a, b] = text.split('/');
            const addr = parseIPv6(a);
            if (!addr)
                return `"${text}" is not a valid hostname or IPv6 address.`;
            if (b === undefined)
                return { v: addr };
            if (!/^\d+$/.test(b) || +b > 128)
                return `"${b}" is not a valid IPv6 prefix length.`;
            return { v: addr, bits: +b };
        }
        case 'ipv4': {
            const [a, b] = text.split('/');
            const addr = parseIPv4(a);
            if (!addr)
                return `"${text}" is not a valid hostname or IPv4 address.`;
            if (b === undefined)
                return { v: addr };
            if (!/^\d+$/.test(b) || +b > 32)
                return `"${b}" is not a valid IPv4 prefix length.`;
            return { v: addr, bits: +b };
        }
        case 'ether': {
            const b = quoted ? null : parseBytes(text);
            if (!b)
                return `"${text}" is not a valid Ethernet address.`;
            if (b.length < 6)
                return `"${text}" contains too few bytes to be a valid Ethernet address.`;
            if (b.length > 6)
                return `"${text}" contains too many bytes to be a valid Ethernet address.`;
            return { v: b };
        }
        case 'bytes':
        case 'proto': {
            if (quoted)
                return { v: raw ?? Buffer.from(text, 'utf8') };
            const b = parseBytes(text);
            if (!b)
                return `"${text}" is not a valid byte string.`;
            return { v: b };
        }
        case 'str':
            return { v: quoted && raw ? raw.toString('utf8') : text };
    }
}
function cmpBytes(a, b) {
    return Buffer.compare(a, b);
}
function prefixMatch(a, p, bits) {
    if (a.length !== p.length)
        return false;
    const full = bits >> 3;
    for (let i = 0; i < full; i++)
        if (a[i] !== p[i])
            return false;
    const rem = bits & 7;
    if (rem === 0)
        return true;
    const m = (0xff << (8 - rem)) & 0xff;
    return (a[full] & m) === (p[full] & m);
}
/** Equality (prefix-aware for address literals). */
export function eqVal(k, a, b) {
    if (typeof a === 'string' || typeof b.v === 'string')
        return String(a) === String(b.v);
    if (a instanceof Uint8Array && b.v instanceof Uint8Array) {
        if (b.bits !== undefined)
            return prefixMatch(a, b.v, b.bits);
        return a.length === b.v.length && cmpBytes(a, b.v) === 0;
    }
    if (a instanceof Uint8Array || b.v instanceof Uint8Array)
        return false;
    // number vs bigint compare by value
    return a == b.v;
    void k;
}
/** Ordering: negative, zero, positive. */
export function cmpVal(a, b) {
    if (a instanceof Uint8Array && b instanceof Uint8Array)
        return cmpBytes(a, b);
    if (typeof a === 'string' || typeof b === 'string') {
        const x = String(a), y = String(b);
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a instanceof Uint8Array || b instanceof Uint8Array)
        return NaN;
    return a < b ? -1 : a > b ? 1 : 0;
}
export function containsVal(a, b) {
    if (typeof a === 'string')
        return a.includes(typeof b === 'string' ? b : Buffer.from(b).toString('utf8'));
    if (a instanceof Uint8Array) {
        const needle = typeof b === 'string' ? Buffer.from(b, 'utf8') : b instanceof Uint8Array ? b : null;
        if (!needle)
            return false;
        return Buffer.from(a.buffer, a.byteOffset, a.byteLength).indexOf(needle) >= 0;
    }
    return false;
}
/** Text a regex runs over: strings as they are, bytes as Latin-1 (one char per octet). */
export function matchText(a) {
    if (typeof a === 'string')
        return a;
    if (a instanceof Uint8Array)
        return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('latin1');
    return String(a);
}
