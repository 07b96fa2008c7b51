// CBU crypto (spec §5): prf, the DH shared secret of groups 14 / 19 / 31 from a
// configured private value, the key schedule, Sealed (AES-128-GCM) opening and
// signature checks with a certificate's key. node:crypto only; no key is logged.
import {
  createHmac, createDiffieHellman, createECDH, createPrivateKey, createPublicKey, diffieHellman,
  createDecipheriv, verify as cryptoVerify, timingSafeEqual, type KeyObject,
} from 'node:crypto';

export type Prf = 'hmac-sha256' | 'hmac-sha1';

export function prf(alg: Prf, key: Buffer, ...parts: Uint8Array[]): Buffer {
  const h = createHmac(alg === 'hmac-sha1' ? 'sha1' : 'sha256', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** Compare a MAC field with First(len, prf(...)); a MAC longer than the prf output never matches. */
export function macMatches(expected: Buffer, found: Buffer): boolean {
  if (found.length === 0 || found.length > expected.length) return false;
  return timingSafeEqual(expected.subarray(0, found.length), found);
}

// RFC 3526 group 14 prime, generator 2
const MODP2048_P = Buffer.from(
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD'
  + 'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED'
  + 'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F'
  + '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B'
  + 'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510'
  + '15728E5A8AACAA68FFFFFFFFFFFFFFFF', 'hex');

const X25519_PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI = Buffer.from('302a300506032b656e032100', 'hex');

function leftPad(b: Buffer, n: number): Buffer {
  return b.length >= n ? b : Buffer.concat([Buffer.alloc(n - b.length), b]);
}

export interface DhResult {
  /** the public value the private value yields (to tie it to the side that sent it) */
  ownPublic: Buffer;
  /** k_DH (§5): MODP 256 octets, P-256 x coordinate, X25519 output */
  kdh: Buffer;
}

/** The public value a private value yields (group 14: 256 octets; 19: uncompressed point; 31: 32 octets). */
export function dhPublic(group: number, priv: Buffer): Buffer {
  if (group === 14) {
    const dh = createDiffieHellman(MODP2048_P, Buffer.from([2]));
    dh.setPrivateKey(priv);
    return leftPad(dh.generateKeys(), 256);
  }
  if (group === 19) {
    const e = createECDH('prime256v1');
    e.setPrivateKey(leftPad(priv, 32));
    return e.getPublicKey();
  }
  if (group === 31) {
    const privateKey = createPrivateKey({ key: Buffer.concat([X25519_PKCS8, priv]), format: 'der', type: 'pkcs8' });
    const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    return spki.subarray(spki.length - 32);
  }
  throw new Error(`DH group ${group} is not supported`);
}

/** k_DH from our private value and the peer's public value (the octets after the group). Throws on bad input. */
export function dhShared(group: number, priv: Buffer, peer: Buffer): DhResult {
  if (group === 14) {
    const dh = createDiffieHellman(MODP2048_P, Buffer.from([2]));
    dh.setPrivateKey(priv);
    const ownPublic = leftPad(dh.generateKeys(), 256);
    return { ownPublic, kdh: leftPad(dh.computeSecret(peer), 256) };
  }
  if (group === 19) {
    const e = createECDH('prime256v1');
    e.setPrivateKey(leftPad(priv, 32));
    const ownPublic = e.getPublicKey(null, peer.length === 33 ? 'compressed' : 'uncompressed');
    return { ownPublic, kdh: e.computeSecret(peer) };
  }
  if (group === 31) {
    if (priv.length !== 32 || peer.length !== 32) throw new Error('X25519 values are 32 octets');
    const privateKey = createPrivateKey({ key: Buffer.concat([X25519_PKCS8, priv]), format: 'der', type: 'pkcs8' });
    const publicKey = createPublicKey({ key: Buffer.concat([X25519_SPKI, peer]), format: 'der', type: 'spki' });
    const ownSpki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    return { ownPublic: ownSpki.subarray(ownSpki.length - 32), kdh: diffieHellman({ privateKey, publicKey }) };
  }
  throw new Error(`DH group ${group} is not supported`);
}

export interface SessionKeys {
  kMaster: Buffer;
  kBU: Buffer;
  kBA: Buffer;
  kEN: Buffer;
}

/** k_master = prf(k_DH, N1 | N2); k_BU, k_BA, k_EN = prf(k_master, N1 | N2 | 0/1/2). */
export function sessionKeys(alg: Prf, kdh: Buffer, n1: Buffer, n2: Buffer): SessionKeys {
  const kMaster = prf(alg, kdh, n1, n2);
  const k = (b: number) => prf(alg, kMaster, n1, n2, Buffer.from([b]));
  return { kMaster, kBU: k(0), kBA: k(1), kEN: k(2) };
}

/** AES-128-GCM Sealed value (IV 12 | ciphertext | tag 16), key = first 16 octets; null if the tag fails. */
export function openSealed(key: Buffer, sealed: Buffer): Buffer | null {
  if (sealed.length < 28 || key.length < 16) return null;
  try {
    const d = createDecipheriv('aes-128-gcm', key.subarray(0, 16), sealed.subarray(0, 12));
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([d.update(sealed.subarray(12, sealed.length - 16)), d.final()]);
  } catch {
    return null;
  }
}

const keyCache = new Map<string, KeyObject>();

/** Verify a signature with a DER SubjectPublicKeyInfo: RSA PKCS#1 v1.5 SHA-256, ECDSA P-256 SHA-256 (DER), Ed25519. */
export function verifySignature(spki: Buffer, data: Buffer, sig: Buffer): boolean {
  const ck = spki.toString('latin1');
  let key = keyCache.get(ck);
  if (!key) {
    try {
      key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    } catch {
      return false;
    }
    if (keyCache.size > 64) keyCache.clear();
    keyCache.set(ck, key);
  }
  const t = key.asymmetricKeyType;
  try {
    if (t === 'ed25519' || t === 'ed448') return cryptoVerify(null, data, key, sig);
    return cryptoVerify('sha256', data, key, sig);
  } catch {
    return false;
  }
}
