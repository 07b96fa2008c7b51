// RSA decryption of the LKE Key Exchange Data (spec §3): RSAES-OAEP with SHA-1 or
// RSAES-PKCS1-v1_5, whichever the sender used. Node 20 refuses PKCS#1 v1.5 private
// decryption (CVE-2023-46809), so v1.5 is done as a raw RSA operation
// (RSA_NO_PADDING) and the EME-PKCS1-v1_5 padding is checked here (RFC 8017 7.2.2).
import { privateDecrypt, constants, type KeyObject } from 'node:crypto';

export type RsaPadding = 'oaep-sha1' | 'pkcs1-v1_5';

export type RsaDecryptResult =
  | { ok: true; padding: RsaPadding; plain: Buffer }
  | { ok: false; why: string };

/** Modulus length in octets (k). */
export function modulusOctets(key: KeyObject): number {
  return Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
}

/**
 * EME-PKCS1-v1_5 decoding: EM = 0x00 || 0x02 || PS (>= 8 nonzero octets) || 0x00 || M.
 * Returns M, or null when EM is not a valid encoding.
 */
export function unpadPkcs1v15(em: Uint8Array): Buffer | null {
  if (em.length < 11 || em[0] !== 0 || em[1] !== 2) return null;
  let i = 2;
  while (i < em.length && em[i] !== 0) i++;
  if (i >= em.length || i - 2 < 8) return null;
  return Buffer.from(em.subarray(i + 1));
}

/**
 * Decrypt `c` with the private key, trying OAEP-SHA1 first, then PKCS#1 v1.5.
 * `expectLen` (the Kbm's 16 octets) must match the plaintext length: a wrong key
 * that happens to yield a well-formed padding still fails here.
 */
export function rsaDecryptEither(key: KeyObject, c: Uint8Array, expectLen?: number): RsaDecryptResult {
  const k = modulusOctets(key);
  if (c.length !== k) return { ok: false, why: `${c.length} octets of Key Exchange Data for a ${k * 8}-bit key (${k} expected)` };
  const lenOk = (p: Buffer) => expectLen === undefined || p.length === expectLen;
  try {
    const p = privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, c);
    if (lenOk(p)) return { ok: true, padding: 'oaep-sha1', plain: p };
    return { ok: false, why: `OAEP plaintext of ${p.length} octets, ${expectLen} expected` };
  } catch {
    // not OAEP (or the wrong key): try v1.5
  }
  let em: Buffer;
  try {
    em = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, c);
  } catch (e) {
    // e.g. the ciphertext is not below the modulus
    return { ok: false, why: `RSA decryption failed (${(e as Error).message})` };
  }
  const m = unpadPkcs1v15(em);
  if (m && lenOk(m)) return { ok: true, padding: 'pkcs1-v1_5', plain: m };
  if (m) return { ok: false, why: `PKCS#1 v1.5 plaintext of ${m.length} octets, ${expectLen} expected` };
  return { ok: false, why: 'neither a valid RSAES-OAEP-SHA1 nor a valid RSAES-PKCS1-v1_5 encoding (wrong key or corrupted data)' };
}
