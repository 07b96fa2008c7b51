// Return-routability key material (RFC 6275 5.2.5, spec §1–§2) for craft:
// keygen tokens, Kbm and the Binding Authorization Data authenticator.
import { createHash, createHmac } from 'node:crypto';
export function keygenToken(kcn, addr, nonce, which) {
    return createHmac('sha1', kcn).update(Buffer.concat([addr, nonce, Buffer.from([which])])).digest().subarray(0, 8);
}
/** Kbm = SHA1(home token | care-of token), or SHA1(home token) when deregistering. */
export function kbmFrom(homeToken, careofToken) {
    return createHash('sha1').update(careofToken ? Buffer.concat([homeToken, careofToken]) : homeToken).digest();
}
/** First(96, HMAC_SHA1(Kbm, care-of address | correspondent | MH Data)). */
export function authenticator(kbm, coa, cn, mhData) {
    return createHmac('sha1', kbm).update(Buffer.concat([coa, cn, mhData])).digest().subarray(0, 12);
}
