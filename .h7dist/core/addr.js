// Address text forms (RFC 5952 for IPv6), written for speed: the summary line
// formats two addresses per packet.
const HEX = [];
for (let i = 0; i < 0x10000; i++)
    HEX.push(i.toString(16));
export function ipv6ToString(b, off = 0) {
    // find longest run of zero groups (length >= 2)
    let bestStart = -1, bestLen = 0, curStart = -1, curLen = 0;
    for (let i = 0; i < 8; i++) {
        const g = (b[off + 2 * i] << 8) | b[off + 2 * i + 1];
        if (g === 0) {
            if (curStart < 0) {
                curStart = i;
                curLen = 1;
            }
            else
                curLen++;
            if (curLen > bestLen) {
                bestLen = curLen;
                bestStart = curStart;
            }
        }
        else
            curStart = -1;
    }
    if (bestLen < 2)
        bestStart = -1;
    // IPv4-mapped ::ffff:a.b.c.d, as Wireshark prints it
    if (bestStart === 0 && bestLen === 5 && b[off + 10] === 0xff && b[off + 11] === 0xff) {
        return `::ffff:${b[off + 12]}.${b[off + 13]}.${b[off + 14]}.${b[off + 15]}`;
    }
    let s = '';
    for (let i = 0; i < 8; i++) {
        if (i === bestStart) {
            s += i === 0 ? '::' : ':';
            i += bestLen - 1;
            continue;
        }
        s += HEX[(b[off + 2 * i] << 8) | b[off + 2 * i + 1]];
        if (i < 7)
            s += ':';
    }
    return s;
}
export function ipv4ToString(b, off = 0) {
    return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}
const HEX2 = [];
for (let i = 0; i < 256; i++)
    HEX2.push(i.toString(16).padStart(2, '0'));
export function etherToString(b, off = 0) {
    return `${HEX2[b[off]]}:${HEX2[b[off + 1]]}:${HEX2[b[off + 2]]}:${HEX2[b[off + 3]]}:${HEX2[b[off + 4]]}:${HEX2[b[off + 5]]}`;
}
/** colon-separated hex, as tshark shows FT_BYTES */
export function bytesToColonHex(b) {
    if (b.length === 0)
        return '';
    let s = HEX2[b[0]];
    for (let i = 1; i < b.length; i++)
        s += ':' + HEX2[b[i]];
    return s;
}
export function bytesToHex(b) {
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
/** Parse an IPv6 address (with optional embedded IPv4) into 16 octets; null if invalid. */
export function parseIPv6(s) {
    let str = s.trim();
    const pct = str.indexOf('%');
    if (pct >= 0)
        str = str.slice(0, pct);
    const out = Buffer.alloc(16);
    let tail4 = null;
    const lastColon = str.lastIndexOf(':');
    if (str.indexOf('.', lastColon) >= 0) {
        const v4 = parseIPv4(str.slice(lastColon + 1));
        if (!v4)
            return null;
        tail4 = [...v4];
        str = str.slice(0, lastColon + 1) + '0:0';
    }
    const dbl = str.split('::');
    if (dbl.length > 2)
        return null;
    const parseGroups = (p) => {
        if (p === '')
            return [];
        const gs = p.split(':');
        const r = [];
        for (const g of gs) {
            if (!/^[0-9a-fA-F]{1,4}$/.test(g))
                return null;
            r.push(parseInt(g, 16));
        }
        return r;
    };
    const head = parseGroups(dbl[0]);
    const tail = dbl.length === 2 ? parseGroups(dbl[1]) : [];
    if (!head || !tail)
        return null;
    let groups;
    if (dbl.length === 2) {
        const fill = 8 - head.length - tail.length;
        if (fill < 1)
            return null;
        groups = [...head, ...new Array(fill).fill(0), ...tail];
    }
    else
        groups = head;
    if (groups.length !== 8)
        return null;
    groups.forEach((g, i) => out.writeUInt16BE(g, 2 * i));
    if (tail4)
        out.set(tail4, 12);
    return out;
}
export function parseIPv4(s) {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
    if (!m)
        return null;
    const b = Buffer.alloc(4);
    for (let i = 0; i < 4; i++) {
        const v = Number(m[i + 1]);
        if (v > 255)
            return null;
        b[i] = v;
    }
    return b;
}
