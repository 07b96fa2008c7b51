// IPsec transforms of the keyring's `esp` entries (spec §6): ESP ICV and decryption
// (RFC 4303; NULL RFC 2410, AES-CBC RFC 3602, AES-GCM RFC 4106 with a 16-octet ICV)
// and the AH ICV (RFC 4302). Pure functions over Buffers; the ICV is compared in
// constant time and checked before anything is decrypted.
import { createDecipheriv, createHmac, timingSafeEqual, type CipherGCMTypes } from 'node:crypto';
import type { EspAuth, EspEntry } from '../keyring/types.js';

export const ICV_LEN: Record<EspAuth, number> = { none: 0, 'hmac-sha1-96': 12, 'hmac-sha256-128': 16 };
const HASH: Record<EspAuth, string> = { none: '', 'hmac-sha1-96': 'sha1', 'hmac-sha256-128': 'sha256' };
const GCM_IV = 8;
const GCM_ICV = 16;
const CBC_IV = 16;

export type EspOpen =
  | { ok: true; nextHeader: number; plaintext: Buffer; padLength: number; icv: 'ok' | 'none' }
  /** icv: the integrity check failed (wrong key or altered packet); short: too short for the SA; pad: padding is not 1, 2, 3... (wrong key without integrity) */
  | { ok: false; why: 'icv' | 'short' | 'pad' };

export function hmacIcv(auth: EspAuth, key: Buffer, parts: Buffer[]): Buffer {
  const h = createHmac(HASH[auth], key);
  for (const p of parts) h.update(p);
  return h.digest().subarray(0, ICV_LEN[auth]);
}

function sameIcv(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `hdr` = SPI | sequence (8 octets); `payload` = everything after it (IV, ciphertext, ICV). */
export function espOpen(sa: EspEntry, hdr: Buffer, payload: Buffer): EspOpen {
  let plain: Buffer;
  let icv: 'ok' | 'none' = 'none';
  if (sa.encryption === 'aes-gcm') {
    if (payload.length < GCM_IV + GCM_ICV + 4) return { ok: false, why: 'short' };
    const keyLen = sa.encKey.length - 4;
    const iv = payload.subarray(0, GCM_IV);
    const ct = payload.subarray(GCM_IV, payload.length - GCM_ICV);
    const d = createDecipheriv(`aes-${keyLen * 8}-gcm` as CipherGCMTypes, sa.encKey.subarray(0, keyLen), Buffer.concat([sa.encKey.subarray(keyLen), iv]));
    d.setAAD(hdr);
    d.setAuthTag(payload.subarray(payload.length - GCM_ICV));
    try {
      plain = Buffer.concat([d.update(ct), d.final()]);
    } catch {
      return { ok: false, why: 'icv' };
    }
    icv = 'ok';
  } else {
    const n = ICV_LEN[sa.auth];
    if (payload.length < n + 2) return { ok: false, why: 'short' };
    const body = payload.subarray(0, payload.length - n);
    if (n) {
      if (!sameIcv(hmacIcv(sa.auth, sa.authKey, [hdr, body]), payload.subarray(payload.length - n))) return { ok: false, why: 'icv' };
      icv = 'ok';
    }
    if (sa.encryption === 'null') plain = body;
    else {
      if (body.length < CBC_IV + 16 || (body.length - CBC_IV) % 16) return { ok: false, why: 'short' };
      const d = createDecipheriv(`aes-${sa.encKey.length * 8}-cbc`, sa.encKey, body.subarray(0, CBC_IV));
      d.setAutoPadding(false);
      plain = Buffer.concat([d.update(body.subarray(CBC_IV)), d.final()]);
    }
  }
  if (plain.length < 2) return { ok: false, why: 'short' };
  const padLength = plain[plain.length - 2]!;
  const nextHeader = plain[plain.length - 1]!;
  const end = plain.length - 2 - padLength;
  if (end < 0) return { ok: false, why: 'pad' };
  // RFC 4303 2.4: default padding is 1, 2, 3, ...; checked so that a wrong key without integrity is noticed
  for (let i = 0; i < padLength; i++) if (plain[end + i] !== i + 1) return { ok: false, why: 'pad' };
  return { ok: true, nextHeader, plaintext: plain.subarray(0, end), padLength, icv };
}
