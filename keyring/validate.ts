// Validation of a parsed keyring document (spec §6): every section is checked for
// shape, hex and sizes before any packet is read. The first problem throws a
// KeyringError naming the entry (e.g. `staticKbm[1].kcn: 12 octets, at least 20
// required`); the caller prefixes the file name. Messages never hold key values.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { parseIPv6, ipv6ToString } from '../core/addr.js';
import type { Expert } from '../core/expert.js';
import type {
  Keyring, StaticKbmEntry, RrEntry, LkeEntry, CookieEntry, CbuKeyring, EspEntry, EspAuth, EspEncryption,
} from './types.js';

export class KeyringError extends Error {
  constructor(message: string, public id = 'keyring.invalid') {
    super(message);
  }
}

const fail = (where: string, what: string, id?: string): never => {
  throw new KeyringError(`${where}: ${what}`, id);
};

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

// Members §6 does not name are neither a parse failure nor a wrong size: another
// implementation's keyring may carry its own, so they are warned about and ignored.
let unknownNotes: Expert[] = [];

function unknownMember(where: string, what: string): void {
  unknownNotes.push({ severity: 'warning', id: 'keyring.unknown_member', group: 'protocol', message: `${where}: ${what} (ignored)` });
}

/** Members allowed in an entry; "comment" is allowed everywhere. */
function members(o: Obj, where: string, required: string[], optional: string[] = []): void {
  for (const r of required) if (!(r in o)) fail(where, `missing "${r}"`);
  const ok = new Set([...required, ...optional, 'comment']);
  for (const k of Object.keys(o)) if (!ok.has(k)) unknownMember(where, `unknown member "${k}" (expected ${[...required, ...optional].join(', ')})`);
}

function entryObj(v: unknown, where: string): Obj {
  if (!isObj(v)) fail(where, `must be an object, not ${kind(v)}`);
  return v as Obj;
}

function list(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) fail(where, `must be an array, not ${kind(v)}`);
  return v as unknown[];
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string') fail(where, `must be a string, not ${kind(v)}`);
  return v as string;
}

/** Hex: "a1b2", "0xa1b2" or "a1:b2". */
export function parseHex(v: unknown, where: string): Buffer {
  let s = str(v, where).trim();
  if (/^0x/i.test(s)) s = s.slice(2);
  if (s.includes(':')) {
    if (!/^([0-9a-f]{2}:)*[0-9a-f]{2}$/i.test(s)) fail(where, 'not hex (expected pairs of hex digits, optionally separated by ":")');
    s = s.replace(/:/g, '');
  }
  if (!/^[0-9a-f]*$/i.test(s)) fail(where, 'not hex (expected only 0-9, a-f)');
  if (s.length % 2) fail(where, `not hex: odd number of digits (${s.length})`);
  return Buffer.from(s, 'hex');
}

function hexSized(v: unknown, where: string, sizes: { exact?: number[]; min?: number; max?: number }, id?: string): Buffer {
  const b = parseHex(v, where);
  const n = b.length;
  const oct = `${n} octet${n === 1 ? '' : 's'}`;
  if (sizes.exact && !sizes.exact.includes(n)) fail(where, `${oct}, ${sizes.exact.join(' or ')} required`, id);
  if (sizes.min !== undefined && n < sizes.min) fail(where, `${oct}, at least ${sizes.min} required`, id);
  if (sizes.max !== undefined && n > sizes.max) fail(where, `${oct}, at most ${sizes.max} allowed`, id);
  return b;
}

function addr(v: unknown, where: string): Buffer {
  const s = str(v, where);
  const a = parseIPv6(s);
  if (!a || s.includes('/')) fail(where, `"${s}" is not an IPv6 address`);
  return a!;
}

function prefix(v: unknown, where: string): { addr: Buffer; len: number } {
  const s = str(v, where);
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(s.trim());
  const a = m ? parseIPv6(m[1]!) : null;
  const len = m?.[2] !== undefined ? Number(m[2]) : 128;
  if (!a || len > 128) fail(where, `"${s}" is not an IPv6 address or prefix`);
  return { addr: a!, len };
}

function oneOf<T extends string | number>(v: unknown, where: string, choices: readonly T[]): T {
  if (!choices.includes(v as T)) fail(where, `${JSON.stringify(v)} is not one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`);
  return v as T;
}

const KCN_MIN = 20;
const NONCE = 8;

function staticKbm(v: unknown): StaticKbmEntry[] {
  return list(v, 'staticKbm').map((e, i) => {
    const where = `staticKbm[${i}]`;
    const o = entryObj(e, where);
    members(o, where, ['hoa', 'cn', 'kcn', 'homeNonce', 'careofNonce']);
    return {
      where,
      hoa: addr(o.hoa, `${where}.hoa`),
      cn: addr(o.cn, `${where}.cn`),
      kcn: hexSized(o.kcn, `${where}.kcn`, { min: KCN_MIN }, 'keyring.kcn_short'),
      homeNonce: hexSized(o.homeNonce, `${where}.homeNonce`, { exact: [NONCE] }),
      careofNonce: hexSized(o.careofNonce, `${where}.careofNonce`, { exact: [NONCE] }),
    };
  });
}

function rr(v: unknown): RrEntry[] {
  return list(v, 'rr').map((e, i) => {
    const where = `rr[${i}]`;
    const o = entryObj(e, where);
    members(o, where, ['cn', 'kcn'], ['nonces']);
    const nonces = new Map<number, Buffer>();
    if (o.nonces !== undefined) {
      const no = entryObj(o.nonces, `${where}.nonces`);
      for (const [k, val] of Object.entries(no)) {
        const w = `${where}.nonces["${k}"]`;
        if (!/^\d{1,5}$/.test(k) || Number(k) > 0xffff) fail(w, 'a nonce index is a whole number from 0 to 65535');
        nonces.set(Number(k), hexSized(val, w, { exact: [NONCE] }));
      }
    }
    return { where, cn: addr(o.cn, `${where}.cn`), kcn: hexSized(o.kcn, `${where}.kcn`, { min: KCN_MIN }, 'keyring.kcn_short'), nonces };
  });
}

function lke(v: unknown): LkeEntry[] {
  return list(v, 'lke').map((e, i) => {
    const where = `lke[${i}]`;
    const o = entryObj(e, where);
    members(o, where, ['ar'], ['kbm', 'rsaPrivateKeyPem']);
    if (o.kbm === undefined && o.rsaPrivateKeyPem === undefined) fail(where, 'needs "kbm" or "rsaPrivateKeyPem"');
    const out: LkeEntry = { where, ar: addr(o.ar, `${where}.ar`) };
    if (o.kbm !== undefined) out.kbm = hexSized(o.kbm, `${where}.kbm`, { exact: [16] });
    if (o.rsaPrivateKeyPem !== undefined) {
      const pem = str(o.rsaPrivateKeyPem, `${where}.rsaPrivateKeyPem`);
      try {
        out.rsaKey = createPrivateKey(pem);
      } catch {
        fail(`${where}.rsaPrivateKeyPem`, 'not a PEM private key');
      }
      if (out.rsaKey!.asymmetricKeyType !== 'rsa') fail(`${where}.rsaPrivateKeyPem`, `an ${out.rsaKey!.asymmetricKeyType} key, RSA required`);
      const bits = out.rsaKey!.asymmetricKeyDetails?.modulusLength ?? 0;
      if (![1024, 2048, 3072, 4096].includes(bits)) fail(`${where}.rsaPrivateKeyPem`, `${bits}-bit modulus, 1024, 2048, 3072 or 4096 required`);
      out.rsaPrivateKeyPem = pem;
    }
    return out;
  });
}

function cookie(v: unknown): CookieEntry[] {
  return list(v, 'cookie').map((e, i) => {
    const where = `cookie[${i}]`;
    const o = entryObj(e, where);
    members(o, where, ['cn', 'method', 'secret'], ['hash', 'hoa']);
    const out: CookieEntry = {
      where,
      cn: addr(o.cn, `${where}.cn`),
      method: oneOf(o.method, `${where}.method`, [1, 2] as const),
      secret: hexSized(o.secret, `${where}.secret`, { min: 1 }),
      hash: o.hash === undefined ? 'sha1' : oneOf(o.hash, `${where}.hash`, ['sha1', 'sha256'] as const),
    };
    if (o.hoa !== undefined) out.hoa = addr(o.hoa, `${where}.hoa`);
    return out;
  });
}

function cbu(v: unknown): CbuKeyring {
  const o = entryObj(v, 'cbu');
  members(o, 'cbu', [], ['trustAnchorsPem', 'prf', 'dhPrivate', 'sessionKeys', 'kHA', 'kCN']);
  const prf = o.prf === undefined ? 'hmac-sha256' : oneOf(o.prf, 'cbu.prf', ['hmac-sha256', 'hmac-sha1'] as const);
  const keyLen = prf === 'hmac-sha256' ? 32 : 20;
  const trustAnchorsPem = o.trustAnchorsPem === undefined ? [] : list(o.trustAnchorsPem, 'cbu.trustAnchorsPem').map((p, i) => str(p, `cbu.trustAnchorsPem[${i}]`));
  const trustAnchors = trustAnchorsPem.map((p, i) => {
    try {
      return new X509Certificate(p);
    } catch {
      return fail(`cbu.trustAnchorsPem[${i}]`, 'not a PEM X.509 certificate');
    }
  });
  const opt = (name: string) => (o[name] === undefined ? [] : list(o[name], `cbu.${name}`));
  const dhPrivate = opt('dhPrivate').map((e, i) => {
    const where = `cbu.dhPrivate[${i}]`;
    const d = entryObj(e, where);
    members(d, where, ['owner', 'group', 'value']);
    const p = prefix(d.owner, `${where}.owner`);
    const group = oneOf(d.group, `${where}.group`, [14, 19, 31] as const);
    const value = hexSized(d.value, `${where}.value`, group === 14 ? { min: 1, max: 256 } : { exact: [32] });
    return { where, owner: d.owner as string, ownerAddr: p.addr, prefixLen: p.len, group, value };
  });
  const sessionKeys = opt('sessionKeys').map((e, i) => {
    const where = `cbu.sessionKeys[${i}]`;
    const d = entryObj(e, where);
    members(d, where, ['hoa', 'cn', 'kBU', 'kBA', 'kEN']);
    const k = (n: string) => hexSized(d[n], `${where}.${n}`, { exact: [keyLen] });
    return { where, hoa: addr(d.hoa, `${where}.hoa`), cn: addr(d.cn, `${where}.cn`), kBU: k('kBU'), kBA: k('kBA'), kEN: k('kEN') };
  });
  const kHA = opt('kHA').map((e, i) => {
    const where = `cbu.kHA[${i}]`;
    const d = entryObj(e, where);
    members(d, where, ['hoa', 'z'], ['current']);
    const out: CbuKeyring['kHA'][number] = { where, hoa: addr(d.hoa, `${where}.hoa`), z: hexSized(d.z, `${where}.z`, { min: 16 }) };
    if (d.current !== undefined) out.current = hexSized(d.current, `${where}.current`, { min: 16 });
    return out;
  });
  const kCN = opt('kCN').map((e, i) => {
    const where = `cbu.kCN[${i}]`;
    const d = entryObj(e, where);
    members(d, where, ['cnCoA', 'key']);
    return { where, cnCoA: addr(d.cnCoA, `${where}.cnCoA`), key: hexSized(d.key, `${where}.key`, { min: 16 }) };
  });
  return { trustAnchorsPem, trustAnchors, prf, dhPrivate, sessionKeys, kHA, kCN };
}

const ENC_KEY: Record<EspEncryption, number[]> = { null: [0], 'aes-cbc': [16, 24, 32], 'aes-gcm': [20, 28, 36] };
const AUTH_KEY: Record<EspAuth, number[]> = { none: [0], 'hmac-sha1-96': [20], 'hmac-sha256-128': [32] };

function esp(v: unknown): EspEntry[] {
  const seen = new Map<number, string>();
  return list(v, 'esp').map((e, i) => {
    const where = `esp[${i}]`;
    const o = entryObj(e, where);
    members(o, where, ['spi', 'src', 'dst', 'encryption'], ['encKey', 'auth', 'authKey']);
    let spi: number;
    if (typeof o.spi === 'number') spi = o.spi;
    else {
      const s = str(o.spi, `${where}.spi`).trim();
      spi = /^0x[0-9a-f]{1,8}$/i.test(s) ? parseInt(s.slice(2), 16) : /^\d{1,10}$/.test(s) ? Number(s) : NaN;
    }
    if (!Number.isInteger(spi) || spi < 1 || spi > 0xffffffff) fail(`${where}.spi`, `${JSON.stringify(o.spi)} is not an SPI (1 to 0xffffffff)`);
    const prev = seen.get(spi);
    if (prev) fail(`${where}.spi`, `SPI 0x${spi.toString(16).padStart(8, '0')} already used by ${prev} (SPIs must be unique)`);
    seen.set(spi, where);
    const encryption = oneOf(o.encryption, `${where}.encryption`, ['null', 'aes-cbc', 'aes-gcm'] as const);
    const auth = o.auth === undefined ? 'none' : oneOf(o.auth, `${where}.auth`, ['none', 'hmac-sha1-96', 'hmac-sha256-128'] as const);
    if (encryption === 'aes-gcm' && auth !== 'none') fail(`${where}.auth`, 'aes-gcm authenticates by itself: auth must be "none"');
    const encKey = hexSized(o.encKey ?? '', `${where}.encKey`, { exact: ENC_KEY[encryption] });
    const authKey = hexSized(o.authKey ?? '', `${where}.authKey`, { exact: AUTH_KEY[auth] });
    return { where, spi, src: addr(o.src, `${where}.src`), dst: addr(o.dst, `${where}.dst`), encryption, encKey, auth, authKey };
  });
}

const SECTIONS = ['staticKbm', 'rr', 'lke', 'cookie', 'cbu', 'esp'];

/**
 * Validate a parsed JSON document. Throws KeyringError (message without the file
 * name) on the first problem; returns the typed keyring and its warnings.
 */
export function validateKeyring(doc: unknown, path = ''): { keyring: Keyring; warnings: Expert[] } {
  if (!isObj(doc)) fail('top level', `must be an object, not ${kind(doc)}`);
  const o = doc as Obj;
  unknownNotes = [];
  for (const k of Object.keys(o)) if (!SECTIONS.includes(k) && k !== 'comment') unknownMember(`"${k}"`, `unknown section (expected ${SECTIONS.join(', ')})`);
  const keyring: Keyring = {
    path,
    staticKbm: o.staticKbm === undefined ? [] : staticKbm(o.staticKbm),
    rr: o.rr === undefined ? [] : rr(o.rr),
    lke: o.lke === undefined ? [] : lke(o.lke),
    cookie: o.cookie === undefined ? [] : cookie(o.cookie),
    cbu: o.cbu === undefined ? null : cbu(o.cbu),
    esp: o.esp === undefined ? [] : esp(o.esp),
  };
  const warnings: Expert[] = [...unknownNotes];
  // one (hoa, cn) pair, one key; one CN, one Kcn (an ambiguous keyring is an error)
  keyring.staticKbm.forEach((e, i) => {
    const j = keyring.staticKbm.findIndex((f) => f.hoa.equals(e.hoa) && f.cn.equals(e.cn));
    if (j < i) fail(e.where, `a second entry for ${ipv6ToString(e.hoa)} and ${ipv6ToString(e.cn)} (first: staticKbm[${j}])`);
  });
  keyring.rr.forEach((e, i) => {
    const j = keyring.rr.findIndex((f) => f.cn.equals(e.cn));
    if (j < i) fail(e.where, `a second entry for correspondent ${ipv6ToString(e.cn)} (first: rr[${j}])`);
  });
  // §2: the same Kcn for two home addresses is a warning, said once per pair of entries
  const byKcn = new Map<string, typeof keyring.staticKbm[number]>();
  for (const e of keyring.staticKbm) {
    const k = e.kcn.toString('hex');
    const first = byKcn.get(k);
    if (!first) byKcn.set(k, e);
    else if (!first.hoa.equals(e.hoa)) {
      warnings.push({
        severity: 'warning', id: 'keyring.kcn_duplicate', group: 'security',
        message: `${first.where} and ${e.where} use the same Kcn for two home addresses (${ipv6ToString(first.hoa)}, ${ipv6ToString(e.hoa)})`,
      });
    }
  }
  return { keyring, warnings };
}
