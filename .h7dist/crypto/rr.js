// Return-routability key material (RFC 6275 5.2.4-5.2.6, spec §1-§2): keygen
// tokens, Kbm and the Binding Authorization Data authenticator. Pure functions
// over Buffers, shared by the verifiers and the tests.
import { createHash, createHmac } from 'node:crypto';
/** First(64, HMAC_SHA1(Kcn, address | nonce | 0x00 or 0x01)). */
export function keygenToken(kcn, addr, nonce, careOf) {
    return createHmac('sha1', kcn).update(addr).update(nonce).update(Buffer.of(careOf ? 1 : 0)).digest().subarray(0, 8);
}
export function homeKeygenToken(kcn, hoa, nonce) {
    return keygenToken(kcn, hoa, nonce, false);
}
export function careofKeygenToken(kcn, coa, nonce) {
    return keygenToken(kcn, coa, nonce, true);
}
/** SHA1(home token | care-of token), or SHA1(home token) when deregistering (care-of token null). */
export function kbmFromTokens(homeToken, careofToken) {
    const h = createHash('sha1').update(homeToken);
    if (careofToken)
        h.update(careofToken);
    return h.digest();
}
/**
 * MH Data for the authenticator: the whole MH with the Checksum taken as zero and
 * the authenticator octets [authOff, authOff+authLen) left out. One copy, made
 * only when a verification runs.
 */
export function mhDataForAuth(buf, mhOff, mhLen, authOff, authLen) {
    const out = Buffer.alloc(mhLen - authLen);
    const src = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    src.copy(out, 0, mhOff, authOff);
    src.copy(out, authOff - mhOff, authOff + authLen, mhOff + mhLen);
    // Checksum: octets 4-5 of the MH (always before the options)
    out[4] = 0;
    out[5] = 0;
    return out;
}
/** First(96, HMAC_SHA1(Kbm, care-of address | correspondent | MH Data)). */
export function authenticator(kbm, coa, cn, mhData) {
    return createHmac('sha1', kbm).update(coa).update(cn).update(mhData).digest().subarray(0, 12);
}
/** RFC 6275 9.5.1: x is newer than y when 0 < (x - y) mod 2^16 < 2^15. */
export function seqNewer(x, y) {
    const d = (x - y) & 0xffff;
    return d > 0 && d < 0x8000;
}
/** Constant-time comparison of equal-length buffers (false when lengths differ). */
export function sameBytes(a, b) {
    if (a.length !== b.length)
        return false;
    let d = 0;
    for (let i = 0; i < a.length; i++)
        d |= a[i] ^ b[i];
    return d === 0;
}
