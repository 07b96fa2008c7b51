export const MH = { HOTI: 1, COTI: 2, HOT: 3, COT: 4, BU: 5, BA: 6 };
export const OPT = { ACOA: 3, NI: 4, BAD: 5 };
/** First value present among alternative names (Wireshark's name first). */
export function val(mh, ...names) {
    for (const n of names) {
        const x = mh.vals[n];
        if (x !== undefined)
            return x;
    }
    return undefined;
}
export function num(x) {
    if (typeof x === 'number')
        return x;
    if (typeof x === 'bigint')
        return Number(x);
    if (typeof x === 'boolean')
        return x ? 1 : 0;
    return null;
}
/** An 8-octet value (cookie, token) whether the dissector kept it as bigint or bytes. */
export function oct8(x) {
    if (typeof x === 'bigint') {
        const b = Buffer.alloc(8);
        b.writeBigUInt64BE(BigInt.asUintN(64, x));
        return b;
    }
    if (x instanceof Uint8Array && x.length === 8)
        return Buffer.from(x.buffer, x.byteOffset, 8);
    return null;
}
export function option(mh, type) {
    return mh.options.find((o) => o.type === type && !o.malformed);
}
function optBytes(mh, o, at, n) {
    const s = o.off + 2 + at;
    return o.len >= at + n && s + n <= mh.buf.length ? mh.buf.subarray(s, s + n) : null;
}
export function altCoa(mh, o) {
    const x = val(o, 'mip6.acoa.acoa');
    if (x instanceof Uint8Array && x.length === 16)
        return Buffer.from(x.buffer, x.byteOffset, 16);
    return o.len === 16 ? optBytes(mh, o, 0, 16) : null;
}
export function nonceIndices(mh, o) {
    let hni = num(val(o, 'mip6.ni.hni'));
    let cni = num(val(o, 'mip6.ni.cni'));
    if ((hni === null || cni === null) && o.len === 4) {
        const b = optBytes(mh, o, 0, 4);
        if (b) {
            hni = b.readUInt16BE(0);
            cni = b.readUInt16BE(2);
        }
    }
    return hni === null || cni === null ? null : { hni, cni };
}
export const hex = (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
