// X.509 certificates carried in CBU Certificate fields (spec §5): parsed with
// @peculiar/x509 (subject, issuer, validity, extensions, subjectAltName), the key
// described with node:crypto, RFC 3779 blocks through rfc3779.ts. Loaded lazily
// (only runs that meet a certificate pay for the library) and cached by
// content, since one certificate recurs across a capture.
import { createRequire } from 'node:module';
import { createHash, createPublicKey } from 'node:crypto';
import type * as X509 from '@peculiar/x509';
import { parseIpAddrBlocks, OID_IP_ADDR_BLOCKS, type IpBlock } from './rfc3779.js';
import { parseIPv6 } from '../../core/addr.js';

export interface CertInfo {
  sha256: Buffer;
  /** set when the DER could not be parsed; the other fields are then absent */
  error?: string;
  subject?: string;
  issuer?: string;
  serial?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** 'rsa' | 'ec' | 'ed25519' | 'ed448' | ... (node:crypto asymmetricKeyType) */
  keyType?: string;
  keyBits?: number;
  curve?: string;
  /** DER SubjectPublicKeyInfo, for signature checks */
  spki?: Buffer;
  ipBlocks?: IpBlock[];
  /** error text when the RFC 3779 extension is present but broken */
  ipBlocksError?: string;
  sanIps?: Buffer[];
  selfIssued?: boolean;
}

let lib: typeof X509 | null = null;
/** @peculiar/x509, loaded on first use (craft issues certificates with it too). */
export function x509(): typeof X509 {
  if (!lib) {
    const require = createRequire(import.meta.url);
    // tsyringe, under @peculiar/x509, needs the Reflect metadata API first
    require('reflect-metadata');
    lib = require('@peculiar/x509') as typeof X509;
  }
  return lib;
}

const cache = new Map<string, CertInfo>();

const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, 'P-256': 256, 'P-384': 384, 'P-521': 521 };

export interface SpkiInfo { keyType: string; keyBits?: number; curve?: string }
const spkiCache = new Map<string, SpkiInfo>();

/** Describe a DER SubjectPublicKeyInfo: key type, size in bits, curve (cached: an AR advertises one key all day). */
export function describeSpki(spki: Uint8Array): SpkiInfo {
  const key = Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength).toString('latin1');
  let d = spkiCache.get(key);
  if (!d) {
    d = describeSpkiUncached(spki);
    if (spkiCache.size > 256) spkiCache.clear();
    spkiCache.set(key, d);
  }
  return d;
}

function describeSpkiUncached(spki: Uint8Array): SpkiInfo {
  const k = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  const d = k.asymmetricKeyDetails ?? {};
  const keyType = k.asymmetricKeyType ?? 'unknown';
  if (d.modulusLength) return { keyType, keyBits: d.modulusLength };
  if (d.namedCurve) return { keyType, keyBits: CURVE_BITS[d.namedCurve], curve: d.namedCurve };
  if (keyType === 'ed25519' || keyType === 'x25519') return { keyType, keyBits: 256 };
  if (keyType === 'ed448') return { keyType, keyBits: 456 };
  return { keyType };
}

export function decodeCertificate(der: Uint8Array): CertInfo {
  // cache key: the DER itself (latin1 is lossless), cheaper than hashing it on every packet
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1');
  const hit = cache.get(key);
  if (hit) return hit;
  const sha256 = createHash('sha256').update(der).digest();
  const info: CertInfo = { sha256 };
  try {
    const X = x509();
    const c = new X.X509Certificate(Buffer.from(der));
    info.subject = c.subject;
    info.issuer = c.issuer;
    info.serial = c.serialNumber;
    info.notBefore = c.notBefore;
    info.notAfter = c.notAfter;
    info.selfIssued = c.subject === c.issuer;
    info.spki = Buffer.from(c.publicKey.rawData);
    try {
      Object.assign(info, describeSpki(info.spki));
    } catch (e) {
      info.keyType = 'unsupported';
    }
    for (const ext of c.extensions) {
      if (ext.type === OID_IP_ADDR_BLOCKS) {
        try {
          info.ipBlocks = parseIpAddrBlocks(new Uint8Array(ext.value));
        } catch (e) {
          info.ipBlocksError = (e as Error).message;
        }
      } else if (ext instanceof X.SubjectAlternativeNameExtension) {
        for (const n of ext.names.items) {
          if (n.type !== 'ip') continue;
          const a = parseIPv6(n.value);
          if (a) (info.sanIps ??= []).push(a);
        }
      }
    }
  } catch (e) {
    info.error = (e as Error).message || 'unparsable certificate';
  }
  if (cache.size > 256) cache.clear();
  cache.set(key, info);
  return info;
}
