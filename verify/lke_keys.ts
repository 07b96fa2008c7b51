// Where LKE key material comes from (spec §3, §6, §7): keyring `lke` entries name
// the AR by its link-local address (KER destination) or its global one (KEA's AR
// Address option, BU destination); the KEA ties the two. The AR's RSA key decrypts
// KERs; a Kbm comes from a decrypted KER (per AR and MN care-of address, the
// KER's Home Address option) or from a keyring `kbm` entry.
import { createHmac, type KeyObject } from 'node:crypto';
import type { Engine } from '../core/engine.js';
import type { PacketInfo } from '../core/packet.js';
import { keyringOf, type Keyring, type LkeEntry } from '../keyring/types.js';
import type { Mip6Info } from '../dissectors/mip6/api.js';
import { setKerKeyLengthResolver, parsesAsOptions } from '../dissectors/lke/mh.js';
import { modulusOctets } from '../crypto/rsa_decrypt.js';

const k16 = (a: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, 16).toString('latin1');

/** AR link-local <-> global address pairs learned from KEAs; kept across passes. */
export class ArTies {
  private m = new Map<string, Buffer>();
  tie(ll: Uint8Array, global: Uint8Array): void {
    this.m.set(k16(ll), Buffer.from(global));
    this.m.set(k16(global), Buffer.from(ll));
  }
  /** the other address of the same AR */
  other(a: Uint8Array): Buffer | undefined {
    return this.m.get(k16(a));
  }
  /** the AR's link-local address when known (a itself when link-local or unknown) */
  linkLocal(a: Uint8Array): Buffer {
    if (isLinkLocal(a)) return Buffer.from(a.buffer, a.byteOffset, 16);
    return this.m.get(k16(a)) ?? Buffer.from(a.buffer, a.byteOffset, 16);
  }
}

export function tiesOf(engine: Engine): ArTies {
  return (engine.state['lke.ties'] ??= new ArTies()) as ArTies;
}

export function isLinkLocal(a: Uint8Array): boolean {
  return a.length === 16 && a[0] === 0xfe && (a[1]! & 0xc0) === 0x80;
}

/** Keyring entries for this AR, by either of its addresses. */
export function entriesFor(k: Keyring | null, ties: ArTies, ar: Uint8Array): LkeEntry[] {
  if (!k || !k.lke.length) return [];
  const other = ties.other(ar);
  return k.lke.filter((e) => e.ar.equals(ar) || (other !== undefined && e.ar.equals(other)));
}

export function rsaKeyFor(k: Keyring | null, ties: ArTies, ar: Uint8Array): { key: KeyObject; where: string } | null {
  const e = entriesFor(k, ties, ar).find((x) => x.rsaKey);
  return e ? { key: e.rsaKey!, where: e.where } : null;
}

export function isKnownAr(k: Keyring | null, ties: ArTies, a: Uint8Array): boolean {
  return ties.other(a) !== undefined || entriesFor(k, ties, a).length > 0;
}

/** Security associations (LBSAs) of one pass: Kbm per (AR link-local, MN care-of address). */
export interface Lbsa {
  kbm: Buffer;
  /** "KER #2 (lke[1])" — never the key itself */
  source: string;
}

export interface KbmChoice extends Lbsa {}

export function lbsaKey(arLL: Uint8Array, coa: Uint8Array): string {
  return k16(arLL) + k16(coa);
}

/** Kbm for messages between this AR (either address) and the MN at `coa`. */
export function chooseKbm(k: Keyring | null, ties: ArTies, lbsas: Map<string, Lbsa>, ar: Uint8Array, coa: Uint8Array): KbmChoice | null {
  const l = lbsas.get(lbsaKey(ties.linkLocal(ar), coa));
  if (l) return l;
  const e = entriesFor(k, ties, ar).find((x) => x.kbm);
  return e ? { kbm: e.kbm!, source: `Kbm of ${e.where}` } : null;
}

/**
 * HMAC_SHA1(Kbm, packet) over buf[start, end) with the given [offset, length)
 * ranges taken as zero (checksum, HMAC field). No copy: zero runs are fed as such.
 */
export function packetHmac(kbm: Uint8Array, buf: Uint8Array, start: number, end: number, zero: Array<[number, number]>): Buffer {
  const h = createHmac('sha1', kbm);
  let at = start;
  for (const [o, n] of [...zero].sort((a, b) => a[0] - b[0])) {
    if (o > at) h.update(buf.subarray(at, o));
    h.update(Buffer.alloc(n));
    at = o + n;
  }
  if (end > at) h.update(buf.subarray(at, end));
  return h.digest();
}

// The decoder asks for k (the Key Exchange Data length) when the AR's key is known:
// the key's modulus length, if the rest of the message then parses as options.
setKerKeyLengthResolver((pinfo: PacketInfo, mh: Mip6Info) => {
  const engine = pinfo.data.engine as Engine | undefined;
  if (!engine) return undefined;
  const k = keyringOf(engine);
  if (!k || !k.lke.length) return undefined;
  const rk = rsaKeyFor(k, tiesOf(engine), mh.dst);
  if (!rk) return undefined;
  const n = modulusOctets(rk.key);
  const kedOff = mh.offset + 8;
  const claimedEnd = mh.offset + (mh.hlen + 1) * 8;
  // cut by the snap length: the key still says how long the data is
  if (claimedEnd > mh.buf.length) return n;
  return parsesAsOptions(mh.buf, kedOff + n, claimedEnd) ? n : undefined;
});
