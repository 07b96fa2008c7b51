// Typed key material (spec §6), as the keyring loader hands it to verifiers.
// Addresses are 16-octet Buffers; every key is a Buffer; `where` names the entry
// (e.g. "staticKbm[1]") for messages, never its value.
import type { KeyObject, X509Certificate } from 'node:crypto';

export interface StaticKbmEntry {
  where: string;
  hoa: Buffer;
  cn: Buffer;
  kcn: Buffer;
  homeNonce: Buffer;
  careofNonce: Buffer;
}

export interface RrEntry {
  where: string;
  cn: Buffer;
  kcn: Buffer;
  /** nonce index -> 8-octet nonce */
  nonces: Map<number, Buffer>;
}

export interface LkeEntry {
  where: string;
  /** link-local or global address of the access router */
  ar: Buffer;
  kbm?: Buffer;
  rsaPrivateKeyPem?: string;
  rsaKey?: KeyObject;
}

export interface CookieEntry {
  where: string;
  cn: Buffer;
  method: 1 | 2;
  secret: Buffer;
  hash: 'sha1' | 'sha256';
  /** method 1 (per binding cache entry secret) may name the home address */
  hoa?: Buffer;
}

export interface CbuDhPrivate {
  where: string;
  /** as written: an address or a prefix */
  owner: string;
  ownerAddr: Buffer;
  /** 128 for a plain address */
  prefixLen: number;
  group: 14 | 19 | 31;
  value: Buffer;
}

export interface CbuSessionKeys {
  where: string;
  hoa: Buffer;
  cn: Buffer;
  kBU: Buffer;
  kBA: Buffer;
  kEN: Buffer;
}

export interface CbuKha {
  where: string;
  hoa: Buffer;
  z: Buffer;
  current?: Buffer;
}

export interface CbuKcn {
  where: string;
  cnCoA: Buffer;
  key: Buffer;
}

export interface CbuKeyring {
  trustAnchorsPem: string[];
  trustAnchors: X509Certificate[];
  prf: 'hmac-sha256' | 'hmac-sha1';
  dhPrivate: CbuDhPrivate[];
  sessionKeys: CbuSessionKeys[];
  kHA: CbuKha[];
  kCN: CbuKcn[];
}

export type EspEncryption = 'null' | 'aes-cbc' | 'aes-gcm';
export type EspAuth = 'none' | 'hmac-sha1-96' | 'hmac-sha256-128';

export interface EspEntry {
  where: string;
  spi: number;
  /** SA selectors (HoA and CN), not the outer header */
  src: Buffer;
  dst: Buffer;
  encryption: EspEncryption;
  encKey: Buffer;
  auth: EspAuth;
  authKey: Buffer;
}

export interface Keyring {
  /** the file it came from ('' for an empty in-memory keyring) */
  path: string;
  staticKbm: StaticKbmEntry[];
  rr: RrEntry[];
  lke: LkeEntry[];
  cookie: CookieEntry[];
  cbu: CbuKeyring | null;
  esp: EspEntry[];
}

export function emptyKeyring(): Keyring {
  return { path: '', staticKbm: [], rr: [], lke: [], cookie: [], cbu: null, esp: [] };
}

/** The keyring of a run, or null when the engine was given none. */
export function keyringOf(engine: { opts: { keyring?: unknown } }): Keyring | null {
  const k = engine.opts.keyring as Keyring | undefined;
  return k && Array.isArray(k.staticKbm) ? k : null;
}

export function findStatic(k: Keyring | null, hoa: Uint8Array, cn: Uint8Array): StaticKbmEntry | undefined {
  return k?.staticKbm.find((e) => e.hoa.equals(hoa) && e.cn.equals(cn));
}

export function findRr(k: Keyring | null, cn: Uint8Array): RrEntry | undefined {
  return k?.rr.find((e) => e.cn.equals(cn));
}

export function findEsp(k: Keyring | null, spi: number): EspEntry | undefined {
  return k?.esp.find((e) => e.spi === spi);
}
