// Where LKE key material comes from (spec §3, §6, §7): keyring `lke` entries name
// the AR by its link-local address (KER destination) or its global one (KEA's AR
// Address option, BU destination); the KEA ties the two. The AR's RSA key decrypts
// KERs; a Kbm comes from a decrypted KER (per AR and MN care-of address, the
// KER's Home Address option) or from a keyring `kbm` entry.
import { createHmac } from 'node:crypto';
import { keyringOf } from '../keyring/types.js';
import { setKerKeyLengthResolver, parsesAsOptions } from '../dissectors/lke/mh.js';
import { modulusOctets } from '../crypto/rsa_decrypt.js';
const k16 = (a) => Buffer.from(a.buffer, a.byteOffset, 16).toString('latin1');
/** AR link-local <-> global address pairs learned from KEAs; kept across passes. */
export class ArTies {
    m = new Map();
    tie(ll, global) {
        this.m.set(k16(ll), Buffer.from(global));
        this.m.set(k16(global), Buffer.from(ll));
    }
    /** the other address of the same AR */
    other(a) {
        return this.m.get(k16(a));
    }
    /** the AR's link-local address when known (a itself when link-local or unknown) */
    linkLocal(a) {
        if (isLinkLocal(a))
            return Buffer.from(a.buffer, a.byteOffset, 16);
        return this.m.get(k16(a)) ?? Buffer.from(a.buffer, a.byteOffset, 16);
    }
}
export function tiesOf(engine) {
    return (engine.state['lke.ties'] ??= new ArTies());
}
export function isLinkLocal(a) {
    return a.length === 16 && a[0] === 0xfe && (a[1] & 0xc0) === 0x80;
}
/** Keyring entries for this AR, by either of its addresses. */
export function entriesFor(k, ties, ar) {
    if (!k || !k.lke.length)
        return [];
    const other = ties.other(ar);
    return k.lke.filter((e) => e.ar.equals(ar) || (other !== undefined && e.ar.equals(other)));
}
export function rsaKeyFor(k, ties, ar) {
    const e = entriesFor(k, ties, ar).find((x) => x.rsaKey);
    return e ? { key: e.rsaKey, where: e.where } : null;
}
export function isKnownAr(k, ties, a) {
    return ties.other(a) !== undefined || entriesFor(k, ties, a).length > 0;
}
export function lbsaKey(arLL, coa) {
    return k16(arLL) + k16(coa);
}
/** Kbm for messages between this AR (either address) and the MN at `coa`. */
export function chooseKbm(k, ties, lbsas, ar, coa) {
    const l = lbsas.get(lbsaKey(ties.linkLocal(ar), coa));
    if (l)
        return l;
    const e = entriesFor(k, ties, ar).find((x) => x.kbm);
    return e ? { kbm: e.kbm, source: `Kbm of ${e.where}` } : null;
}
/**
 * HMAC_SHA1(Kbm, packet) over buf[start, end) with the given [offset, length)
 * ranges taken as zero (checksum, HMAC field). No copy: zero runs are fed as such.
 */
export function packetHmac(kbm, buf, start, end, zero) {
    const h = createHmac('sha1', kbm);
    let at = start;
    for (const [o, n] of [...zero].sort((a, b) => a[0] - b[0])) {
        if (o > at)
            h.update(buf.subarray(at, o));
        h.update(Buffer.alloc(n));
        at = o + n;
    }
    if (end > at)
        h.update(buf.subarray(at, end));
    return h.digest();
}
// The decoder asks for k (the Key Exchange Data length) when the AR's key is known:
// the key's modulus length, if the rest of the message then parses as options.
setKerKeyLengthResolver((pinfo, mh) => {
    const engine = pinfo.data.engine;
    if (!engine)
        return undefined;
    const k = keyringOf(engine);
    if (!k || !k.lke.length)
        return undefined;
    const rk = rsaKeyFor(k, tiesOf(engine), mh.dst);
    if (!rk)
        return undefined;
    const n = modulusOctets(rk.key);
    const kedOff = mh.offset + 8;
    const claimedEnd = mh.offset + (mh.hlen + 1) * 8;
    // cut by the snap length: the key still says how long the data is
    if (claimedEnd > mh.buf.length)
        return n;
    return parsesAsOptions(mh.buf, kedOff + n, claimedEnd) ? n : undefined;
});
