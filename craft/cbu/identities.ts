// CBU signers for craft (spec §5): the scenario's top-level "identities", each a
// private key (PEM/DER file relative to the scenario) and a certificate, either
// read from a file or issued here with @peculiar/x509 by another identity (a CA,
// or the HA for Cert_MN), carrying the RFC 3779 home prefix and/or a
// subjectAltName iPAddress. Issuing is asynchronous (WebCrypto), so it runs in the
// craft prepare step, before any packet is built.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  createPrivateKey, createPublicKey, sign as cryptoSign, verify as cryptoVerify, webcrypto, X509Certificate, type KeyObject,
} from 'node:crypto';
import type * as X509 from '@peculiar/x509';
import { parseIPv6 } from '../../core/addr.js';
import { decodeCertificate, x509 } from '../../dissectors/cbu/cert.js';
import { ScenarioError, type Scenario } from '../scenario.js';
import { signP256Deterministic } from './ecdsa.js';

export interface Identity {
  name: string;
  where: string;
  key?: KeyObject;
  /** DER certificate */
  cert?: Buffer;
  /** RFC 3779 IPv6 prefixes and subjectAltName addresses of the certificate (who it speaks for) */
  prefixes: Array<{ addr: Buffer; plen: number }>;
  sans: Buffer[];
}

const MEMBERS = ['key', 'cert', 'issuer', 'subject', 'serial', 'notBefore', 'notAfter', 'prefix', 'san', 'ca', 'comment'];

function readFile(dir: string, v: unknown, where: string): Buffer {
  if (typeof v !== 'string' || !v) throw new ScenarioError(`${where}: a file name (relative to the scenario) is required`);
  try {
    return readFileSync(resolve(dir, v));
  } catch (e: any) {
    throw new ScenarioError(`${where}: cannot read "${v}": ${e.code === 'ENOENT' ? 'no such file' : e.code ?? e.message}`);
  }
}

function loadKey(dir: string, v: unknown, where: string): KeyObject {
  const b = readFile(dir, v, where);
  try {
    const pem = b.toString('latin1').includes('-----BEGIN');
    const k = pem ? createPrivateKey(b.toString('latin1')) : createPrivateKey({ key: b, format: 'der', type: 'pkcs8' });
    keyKind(k, where);
    return k;
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    throw new ScenarioError(`${where}: "${v}" is not a private key (PEM, or DER PKCS#8)`);
  }
}

/** The three signer kinds §5 names; anything else is a scenario error. */
function keyKind(k: KeyObject, where: string): 'rsa' | 'p256' | 'ed25519' {
  if (k.asymmetricKeyType === 'rsa') return 'rsa';
  if (k.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (k.asymmetricKeyType === 'ec' && k.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'p256';
  throw new ScenarioError(`${where}: a ${k.asymmetricKeyType} key${k.asymmetricKeyDetails?.namedCurve ? ` on ${k.asymmetricKeyDetails.namedCurve}` : ''}; CBU signs with RSA, ECDSA P-256 or Ed25519`);
}

function loadCert(dir: string, v: unknown, where: string): Buffer {
  const b = readFile(dir, v, where);
  try {
    const text = b.toString('latin1');
    return new X509Certificate(text.includes('-----BEGIN') ? text : b).raw;
  } catch {
    throw new ScenarioError(`${where}: "${v}" is not an X.509 certificate (PEM or DER)`);
  }
}

function date(v: unknown, where: string, def: number): Date {
  if (v === undefined) return new Date(def * 1000);
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) throw new ScenarioError(`${where}: a date like "2024-01-01T00:00:00Z" is required`);
  return new Date(t);
}

export function parsePrefix(v: unknown, where: string): { addr: Buffer; plen: number } {
  const m = typeof v === 'string' ? /^([^/]+)\/(\d{1,3})$/.exec(v) : null;
  const addr = m ? parseIPv6(m[1]!) : null;
  const plen = m ? Number(m[2]) : NaN;
  if (!addr || !(plen >= 0 && plen <= 128)) throw new ScenarioError(`${where}: an IPv6 prefix like "2001:db8:1::/64" is required`);
  return { addr, plen };
}

/** RFC 3779 IPAddrBlocks with one IPv6 prefix (DER): SEQUENCE { SEQUENCE { OCTET STRING 0002, SEQUENCE { BIT STRING } } }. */
export function ipAddrBlocksDer(addr: Buffer, plen: number): Buffer {
  const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag, body.length]), body]);
  const n = Math.ceil(plen / 8);
  const bits = Buffer.from(addr.subarray(0, n));
  if (plen % 8) bits[n - 1]! &= (0xff << (8 - (plen % 8))) & 0xff;
  const bitString = tlv(0x03, Buffer.concat([Buffer.from([n * 8 - plen]), bits]));
  return tlv(0x30, tlv(0x30, Buffer.concat([tlv(0x04, Buffer.from([0, 2])), tlv(0x30, bitString)])));
}

const WEBCRYPTO = {
  rsa: { imp: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, alg: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } },
  p256: { imp: { name: 'ECDSA', namedCurve: 'P-256' }, alg: { name: 'ECDSA', hash: 'SHA-256' } },
  ed25519: { imp: { name: 'Ed25519' }, alg: { name: 'Ed25519' } },
};

interface Pending {
  name: string;
  where: string;
  cfg: Record<string, unknown>;
  key?: KeyObject;
  cert?: Buffer;
}

/** Read the scenario's "identities", issuing the certificates it asks for (issuers first). */
export async function loadIdentities(sc: Scenario): Promise<Map<string, Identity>> {
  const out = new Map<string, Identity>();
  const doc = sc.doc?.identities;
  if (doc === undefined) return out;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new ScenarioError('identities: an object of named identities is required');
  const dir = sc.dir ?? process.cwd();
  const pend = new Map<string, Pending>();
  for (const [name, cfg] of Object.entries<any>(doc)) {
    const where = `identities.${name}`;
    if (!cfg || typeof cfg !== 'object' || Array.isArray(cfg)) throw new ScenarioError(`${where}: an object is required`);
    for (const k of Object.keys(cfg)) if (!MEMBERS.includes(k)) throw new ScenarioError(`${where}.${k}: unknown member (expected ${MEMBERS.join(', ')})`);
    const p: Pending = { name, where, cfg };
    if (cfg.key !== undefined) p.key = loadKey(dir, cfg.key, `${where}.key`);
    if (cfg.cert !== undefined) p.cert = loadCert(dir, cfg.cert, `${where}.cert`);
    else if (!p.key) throw new ScenarioError(`${where}: needs "key" (to sign, and to issue its certificate) or "cert"`);
    if (cfg.issuer !== undefined && typeof cfg.issuer !== 'string') throw new ScenarioError(`${where}.issuer: the name of another identity`);
    if (cfg.issuer !== undefined && !(cfg.issuer in doc)) throw new ScenarioError(`${where}.issuer: unknown identity "${cfg.issuer}"`);
    pend.set(name, p);
  }
  let serial = 0;
  const issuing = new Set<string>();
  const issue = async (p: Pending): Promise<void> => {
    if (p.cert) return;
    if (issuing.has(p.name)) throw new ScenarioError(`${p.where}.issuer: issuers form a loop`);
    issuing.add(p.name);
    const issuerName = p.cfg.issuer as string | undefined;
    const iss = issuerName && issuerName !== p.name ? pend.get(issuerName)! : p;
    if (iss !== p) await issue(iss);
    if (!iss.key) throw new ScenarioError(`${p.where}.issuer: identity "${iss.name}" has no "key" to sign with`);
    p.cert = await issueCert(sc, p, iss, ++serial);
  };
  for (const p of pend.values()) await issue(p);
  for (const p of pend.values()) {
    const info = decodeCertificate(p.cert!);
    const prefixes = (info.ipBlocks ?? []).filter((b) => b.afi === 2 && b.prefix && b.plen !== undefined).map((b) => ({ addr: b.prefix!, plen: b.plen! }));
    out.set(p.name, { name: p.name, where: p.where, key: p.key, cert: p.cert, prefixes, sans: info.sanIps ?? [] });
  }
  return out;
}

async function issueCert(sc: Scenario, p: Pending, iss: Pending, n: number): Promise<Buffer> {
  const X = x509();
  const c = p.cfg;
  const w = p.where;
  if (c.subject !== undefined && (typeof c.subject !== 'string' || !c.subject)) throw new ScenarioError(`${w}.subject: a name like "HA 2001:db8:1::1" or "O=…, CN=…"`);
  // a bare name becomes the common name; "O=…, CN=…" is taken as the whole DN
  const name = (c.subject as string | undefined) ?? p.name;
  const subject = name.includes('=') ? name : `O=mip6scope craft, CN=${name}`;
  const exts: X509.Extension[] = [];
  if (c.prefix !== undefined) {
    const pf = parsePrefix(c.prefix, `${w}.prefix`);
    exts.push(new X.Extension('1.3.6.1.5.5.7.1.7', true, new Uint8Array(ipAddrBlocksDer(pf.addr, pf.plen))));
  }
  if (c.san !== undefined) {
    const list = Array.isArray(c.san) ? c.san : [c.san];
    exts.push(new X.SubjectAlternativeNameExtension(list.map((a, i) => {
      if (typeof a !== 'string' || !parseIPv6(a)) throw new ScenarioError(`${w}.san${Array.isArray(c.san) ? `[${i}]` : ''}: an IPv6 address is required`);
      return { type: 'ip' as const, value: a };
    })));
  }
  const selfSigned = iss === p;
  if (c.ca !== undefined && typeof c.ca !== 'boolean') throw new ScenarioError(`${w}.ca: true or false`);
  if (c.ca ?? selfSigned) exts.push(new X.BasicConstraintsExtension(true, undefined, true));
  // default serials stay clear of a loaded CA's own (often 1): issuer and serial must not repeat
  const serial = c.serial === undefined ? 100 + n : c.serial;
  if (!Number.isInteger(serial) || (serial as number) < 1) throw new ScenarioError(`${w}.serial: a whole number from 1`);
  const kind = keyKind(iss.key!, `${iss.where}.key`);
  try {
    const signingKey = await webcrypto.subtle.importKey('pkcs8', iss.key!.export({ format: 'der', type: 'pkcs8' }), WEBCRYPTO[kind].imp, false, ['sign']);
    const publicKey = new X.PublicKey(createPublicKey(p.key!).export({ format: 'der', type: 'spki' }));
    const hexSerial = (serial as number).toString(16);
    const cert = await X.X509CertificateGenerator.create({
      serialNumber: hexSerial.length % 2 ? '0' + hexSerial : hexSerial,
      subject,
      issuer: selfSigned ? subject : new X.X509Certificate(new Uint8Array(iss.cert!)).subjectName,
      notBefore: date(c.notBefore, `${w}.notBefore`, sc.start - 86400),
      notAfter: date(c.notAfter, `${w}.notAfter`, sc.start + 365 * 86400),
      publicKey, signingKey, signingAlgorithm: WEBCRYPTO[kind].alg, extensions: exts,
    }, webcrypto as unknown as Crypto);
    return Buffer.from(cert.rawData);
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    throw new ScenarioError(`${w}: cannot issue the certificate (${(e as Error).message})`);
  }
}

/** Sign as §5 says for the signer's key: RSA PKCS#1 v1.5 SHA-256, ECDSA P-256 SHA-256 (DER, RFC 6979), Ed25519. */
export function signAs(id: Identity, data: Buffer, where: string): Buffer {
  if (!id.key) throw new ScenarioError(`${where}: identity "${id.name}" has no "key" to sign with`);
  const kind = keyKind(id.key, `${id.where}.key`);
  if (kind === 'ed25519') return cryptoSign(null, data, id.key);
  if (kind === 'rsa') return cryptoSign('sha256', data, id.key);
  const sig = signP256Deterministic(id.key, data);
  // our own ECDSA: never hand out a signature node:crypto would not accept
  if (!cryptoVerify('sha256', data, createPublicKey(id.key), sig)) throw new Error('internal error: deterministic ECDSA signature does not verify');
  return sig;
}

function covers(pf: { addr: Buffer; plen: number }, a: Buffer): boolean {
  const whole = pf.plen >> 3;
  if (!a.subarray(0, whole).equals(pf.addr.subarray(0, whole))) return false;
  const rem = pf.plen & 7;
  return !rem || ((a[whole]! ^ pf.addr[whole]!) & (0xff << (8 - rem)) & 0xff) === 0;
}

/** The identity whose certificate speaks for `a` (subjectAltName equal, or RFC 3779 prefix covering it). */
export function identityFor(ids: Map<string, Identity>, a: Buffer, by: 'san' | 'prefix' | 'any'): Identity | undefined {
  for (const id of ids.values()) {
    if (by !== 'prefix' && id.sans.some((s) => s.equals(a))) return id;
    if (by !== 'san' && id.prefixes.some((p) => covers(p, a))) return id;
  }
  return undefined;
}
