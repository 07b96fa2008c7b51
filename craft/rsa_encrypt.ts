// RSA encryption of the LKE Kbm (spec §3) with a caller-given seed, so the same
// scenario always crafts the same bytes: EME-OAEP with SHA-1 and MGF1-SHA1
// (RFC 8017 7.1.1) or EME-PKCS1-v1_5 (7.2.1) done here, then the raw RSA
// operation (RSA_NO_PADDING) by node:crypto.
import { createHash, createPublicKey, publicEncrypt, constants, type KeyObject } from 'node:crypto';

export type KerPadding = 'oaep' | 'pkcs1';

/** Modulus length in octets (k). */
export function modulusOctets(key: KeyObject): number {
  return Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
}

/** The public half of a PEM key (private or public); throws when it is not RSA. */
export function rsaPublicKey(pem: string): KeyObject {
  const k = createPublicKey(pem);
  if (k.asymmetricKeyType !== 'rsa') throw new Error(`an ${k.asymmetricKeyType} key, RSA required`);
  return k;
}

/** DER SubjectPublicKeyInfo of a public key (the LKE Capability's Public Key). */
export function spkiDer(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' }) as Buffer;
}

/** Deterministic octets: SHA-256 in counter mode over a label. */
export function detBytes(label: string, n: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0, got = 0; got < n; i++, got += 32) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(i);
    parts.push(createHash('sha256').update(label).update(c).digest());
  }
  return Buffer.concat(parts).subarray(0, n);
}

function mgf1Sha1(seed: Buffer, n: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0, got = 0; got < n; i++, got += 20) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(i);
    parts.push(createHash('sha1').update(seed).update(c).digest());
  }
  return Buffer.concat(parts).subarray(0, n);
}

const xor = (a: Buffer, b: Buffer) => Buffer.from(a.map((x, i) => x ^ b[i]!));

/** EM = 0x00 | maskedSeed | maskedDB, empty label (RFC 8017 7.1.1 step 2). `seed`: 20 octets. */
export function emeOaepSha1(k: number, m: Buffer, seed: Buffer): Buffer {
  const hLen = 20;
  if (m.length > k - 2 * hLen - 2) throw new Error(`message too long for a ${k * 8}-bit key`);
  if (seed.length !== hLen) throw new Error('the OAEP seed is 20 octets');
  const lHash = createHash('sha1').digest();
  const db = Buffer.concat([lHash, Buffer.alloc(k - m.length - 2 * hLen - 2), Buffer.from([1]), m]);
  const maskedDb = xor(db, mgf1Sha1(seed, k - hLen - 1));
  const maskedSeed = xor(seed, mgf1Sha1(maskedDb, hLen));
  return Buffer.concat([Buffer.from([0]), maskedSeed, maskedDb]);
}

/** EM = 0x00 | 0x02 | PS (nonzero, from `ps`) | 0x00 | M (RFC 8017 7.2.1 step 2). */
export function emePkcs1v15(k: number, m: Buffer, ps: Buffer): Buffer {
  const need = k - m.length - 3;
  if (need < 8) throw new Error(`message too long for a ${k * 8}-bit key`);
  const nz = Buffer.from(ps.filter((b) => b !== 0)).subarray(0, need);
  if (nz.length < need) throw new Error('not enough nonzero padding octets');
  return Buffer.concat([Buffer.from([0, 2]), nz, Buffer.from([0]), m]);
}

/** RSA-encrypt `m` under `key`; `seed` (20 octets) is the OAEP seed, or makes the PKCS#1 v1.5 padding string. */
export function rsaEncrypt(key: KeyObject, m: Buffer, padding: KerPadding, seed: Buffer): Buffer {
  const k = modulusOctets(key);
  // enough nonzero octets from the seed for any key size (a zero octet is 1 in 256)
  const em = padding === 'oaep' ? emeOaepSha1(k, m, seed) : emePkcs1v15(k, m, detBytes(seed.toString('hex'), 2 * k));
  return publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, em);
}
