// craft builds CBU (spec §5, §7). Everything craft wrote is checked here from the
// spec's formulas with node:crypto alone (no project crypto or craft code): own
// pcap/IPv6/MH/TLV parsing, the MH checksum, DH (node's own RFC 3526 group, ECDH,
// X25519), the key schedule, every MAC, AES-GCM opening of each Sealed field and
// its plaintext, signatures against the certificates' keys, the certificates'
// chain and RFC 3779 / subjectAltName content; then `mip6scope verify --json`
// accepts the flows and flags exactly the packets broken on purpose.
import { describe, it, expect } from 'vitest';
import {
  createHmac, createDecipheriv, createDiffieHellman, createECDH, createPrivateKey, createPublicKey, diffieHellman, getDiffieHellman,
  verify as cryptoVerify, X509Certificate, type KeyObject,
} from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run, FIXTURES } from './util/cli.js';

const CRAFT = join(FIXTURES, 'craft');
const KEYRING = join(CRAFT, 'cbu-keyring.json');
const RING = JSON.parse(readFileSync(KEYRING, 'utf8')).cbu;
const CA = new X509Certificate(readFileSync(join(FIXTURES, 'ext', 'cbu_ca.pem')));
const tmp = mkdtempSync(join(tmpdir(), 'mip6scope-craft-cbu-'));

// ---------------------------------------------------------------- parsing
const ip6 = (s: string) => {
  // enough for the documentation addresses used here: groups, one "::"
  const [a, b] = s.split('::') as [string, string | undefined];
  const l = a ? a.split(':') : [];
  const r = b ? b.split(':') : [];
  const g = [...l, ...Array(8 - l.length - r.length).fill('0'), ...r];
  return Buffer.from(g.map((x) => x.padStart(4, '0')).join(''), 'hex');
};

interface Tlv { type: number; value: Buffer }
interface Frame {
  t: number;
  outer?: { src: Buffer; dst: Buffer };
  src: Buffer;
  dst: Buffer;
  hlim: number;
  /** the whole MH as on the wire */
  mh: Buffer;
  cbuType: number;
  flags: number;
  fields: Tlv[];
  pad: Buffer;
  get(t: number): Buffer;
}

function ipv6(b: Buffer) {
  expect(b[0]! >> 4).toBe(6);
  return { plen: b.readUInt16BE(4), nxt: b[6]!, hlim: b[7]!, src: b.subarray(8, 24), dst: b.subarray(24, 40), payload: b.subarray(40, 40 + b.readUInt16BE(4)) };
}

/** CBU fields (§5 TLVs) up to the first Pad1/PadN, then the padding (checked against §7 by padOk). */
function tlvs(data: Buffer): { fields: Tlv[]; pad: Buffer } {
  const fields: Tlv[] = [];
  let o = 0;
  while (o < data.length && data[o] !== 0 && data[o] !== 1) {
    expect(data[o + 1], 'Reserved octet').toBe(0);
    const len = data.readUInt16BE(o + 2);
    expect(o + 4 + len).toBeLessThanOrEqual(data.length);
    fields.push({ type: data[o]!, value: data.subarray(o + 4, o + 4 + len) });
    o += 4 + len;
  }
  return { fields, pad: data.subarray(o) };
}

function readPcap(file: string): Frame[] {
  const b = readFileSync(file);
  expect(b.readUInt32LE(0)).toBe(0xa1b2c3d4);
  expect(b.readUInt32LE(20)).toBe(1);
  const out: Frame[] = [];
  for (let o = 24; o < b.length;) {
    const t = b.readUInt32LE(o) + b.readUInt32LE(o + 4) / 1e6;
    const n = b.readUInt32LE(o + 8);
    const eth = b.subarray(o + 16, o + 16 + n);
    o += 16 + n;
    expect(eth.readUInt16BE(12)).toBe(0x86dd);
    let ip = ipv6(eth.subarray(14));
    let outer: Frame['outer'];
    if (ip.nxt === 41) { outer = { src: ip.src, dst: ip.dst }; ip = ipv6(ip.payload); }
    expect(ip.nxt, 'CBU: no Home Address option or routing header, MH directly').toBe(135);
    const mh = ip.payload;
    expect(mh.length).toBe((mh[1]! + 1) * 8);
    expect([mh[0], mh[2], mh[3]]).toEqual([59, 11, 0]);
    expect([mh[6], mh[7]], 'CBU magic and version').toEqual([0xcb, 0x01]);
    const { fields, pad } = tlvs(mh.subarray(10));
    out.push({
      t, outer, src: ip.src, dst: ip.dst, hlim: ip.hlim, mh, cbuType: mh[8]!, flags: mh[9]!, fields, pad,
      get(ty: number) { const f = fields.find((x) => x.type === ty); if (!f) throw new Error(`no field 0x${ty.toString(16)}`); return f.value; },
    });
  }
  return out;
}

/** §7 padding: 1-3 Pad1s, 4-7 = 01 00 00 00 then Pad1s. */
function padOk(pad: Buffer): boolean {
  if (pad.length > 7) return false;
  if (pad.length < 4) return pad.every((x) => x === 0);
  return pad.subarray(0, 4).equals(Buffer.from([1, 0, 0, 0])) && pad.subarray(4).every((x) => x === 0);
}

/** RFC 6275 6.1.1 / RFC 8200 8.1: the one's complement sum over pseudo-header and MH is 0xffff. */
function checksumOk(f: Frame): boolean {
  const ph = Buffer.alloc(40);
  f.src.copy(ph, 0);
  f.dst.copy(ph, 16);
  ph.writeUInt32BE(f.mh.length, 32);
  ph[39] = 135;
  const all = Buffer.concat([ph, f.mh, Buffer.alloc(f.mh.length % 2)]);
  let s = 0;
  for (let i = 0; i < all.length; i += 2) s += all.readUInt16BE(i);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s === 0xffff;
}

// ---------------------------------------------------------------- crypto from the spec
const H = (key: Buffer, ...parts: Buffer[]) => { const h = createHmac('sha256', key); for (const p of parts) h.update(p); return h.digest(); };
const mac12 = (key: Buffer, ...parts: Buffer[]) => H(key, ...parts).subarray(0, 12);
const hx = (s: string) => Buffer.from(s, 'hex');
const u16 = (n: number) => { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; };

function open(key: Buffer, sealed: Buffer): Tlv[] {
  const d = createDecipheriv('aes-128-gcm', key.subarray(0, 16), sealed.subarray(0, 12));
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  const plain = Buffer.concat([d.update(sealed.subarray(12, sealed.length - 16)), d.final()]);
  const { fields, pad } = tlvs(plain);
  expect(pad.length, 'no padding inside Sealed').toBe(0);
  return fields;
}
const val = (l: Tlv[], t: number) => l.find((f) => f.type === t)?.value;

/** RFC 3526 group 14 as node:crypto knows it (its own table, not the project's prime) */
const modp14 = () => { const g = getDiffieHellman('modp14'); return createDiffieHellman(g.getPrime(), g.getGenerator()); };

function kdh(group: number, priv: Buffer, peer: Buffer): Buffer {
  if (group === 14) {
    const dh = modp14();
    dh.setPrivateKey(priv);
    const s = dh.computeSecret(peer);
    return Buffer.concat([Buffer.alloc(256 - s.length), s]);
  }
  if (group === 19) {
    const e = createECDH('prime256v1');
    e.setPrivateKey(priv);
    return e.computeSecret(peer);
  }
  // RFC 8410 PKCS#8 / SPKI wrappers around the raw X25519 values
  const privateKey = createPrivateKey({ key: Buffer.concat([hx('302e020100300506032b656e04220420'), priv]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey({ key: Buffer.concat([hx('302a300506032b656e032100'), peer]), format: 'der', type: 'spki' });
  return diffieHellman({ privateKey, publicKey });
}

function dhPublic(group: number, priv: Buffer): Buffer {
  if (group === 14) {
    const dh = modp14();
    dh.setPrivateKey(priv);
    const p = dh.generateKeys();
    return Buffer.concat([Buffer.alloc(256 - p.length), p]);
  }
  if (group === 19) { const e = createECDH('prime256v1'); e.setPrivateKey(priv); return e.getPublicKey(); }
  const k = createPrivateKey({ key: Buffer.concat([hx('302e020100300506032b656e04220420'), priv]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(k).export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - 32);
}

function schedule(k: Buffer, n1: Buffer, n2: Buffer) {
  const km = H(k, n1, n2);
  return { km, kBU: H(km, n1, n2, hx('00')), kBA: H(km, n1, n2, hx('01')), kEN: H(km, n1, n2, hx('02')) };
}

const mnDh = (g: number) => hx(RING.dhPrivate.find((d: { group: number }) => d.group === g).value);

function sigOk(certDer: Buffer, data: Buffer, sig: Buffer): boolean {
  const key: KeyObject = new X509Certificate(certDer).publicKey;
  return cryptoVerify(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', data, key, sig);
}

/** The RFC 3779 extension (critical) with exactly one IPv6 prefix, as DER in the certificate. */
function has3779(der: Buffer, prefixHex: string, plen: number): boolean {
  const n = Math.ceil(plen / 8);
  const bits = Buffer.concat([Buffer.from([n * 8 - plen]), hx(prefixHex).subarray(0, n)]);
  const t = (tag: number, b: Buffer) => Buffer.concat([Buffer.from([tag, b.length]), b]);
  const value = t(0x30, t(0x30, Buffer.concat([t(0x04, hx('0002')), t(0x30, t(0x03, bits))])));
  const ext = t(0x30, Buffer.concat([hx('06082b06010505070107'), hx('0101ff'), t(0x04, value)]));
  return der.includes(ext);
}

const chains = (der: Buffer, issuer: X509Certificate) => { const c = new X509Certificate(der); return c.checkIssued(issuer) && c.verify(issuer.publicKey); };

function craft(scenario: string, out: string): void {
  const r = run(['craft', scenario, '-w', out]);
  if (r.code !== 0 || r.stderr) throw new Error(`craft ${scenario}: exit ${r.code}: ${r.stderr}`);
}

/** Craft once, on first use, and parse what was written. */
function crafted(name: string): () => { out: string; fr: Frame[] } {
  let v: { out: string; fr: Frame[] } | undefined;
  return () => {
    if (!v) {
      const out = join(tmp, `${name}.pcap`);
      craft(join(CRAFT, `cbu-${name}.json`), out);
      v = { out, fr: readPcap(out) };
    }
    return v;
  };
}

interface VDoc { frames: Array<{ frame: number; summary: string; verify: Record<string, string>; expert: Array<{ severity: string; id: string; message: string }> }>; totals: Record<string, number> }
function verify(pcap: string, keyring = KEYRING): { code: number; doc: VDoc } {
  const r = run(['verify', '--json', '-r', pcap, '-k', keyring]);
  expect(r.stderr).toBe('');
  return { code: r.code, doc: JSON.parse(r.stdout) as VDoc };
}
/** "frame:name" of every verification that failed, and of every error-level expert item */
const fails = (d: VDoc) => d.frames.flatMap((f) => Object.entries(f.verify).filter(([, v]) => v === 'fail').map(([k]) => `${f.frame}:${k}`));
const errors = (d: VDoc) => d.frames.flatMap((f) => f.expert.filter((e) => e.severity !== 'note').map((e) => `${f.frame}:${e.id}`));

const MN = { hoa: ip6('2001:db8:1::100'), coa: ip6('2001:db8:5::100') };
const HA = ip6('2001:db8:1::1');
const CN = ip6('2001:db8:2::1');
const Z = hx(RING.kHA[0].z);

// ---------------------------------------------------------------- figure 2
describe('craft CBU: figure 2 (REQ ... BC, re-keying), checked from the spec', () => {
  const fig2 = crafted('fig2');
  const F = () => {
    const [req, ck0, ck1, ex0, ex1, rep, bu, ba, bc, reqKey, ex0p, ex1p, newkey, badBu] = fig2().fr as Frame[] & Record<number, Frame>;
    return { req, ck0, ck1, ex0, ex1, rep, bu, ba, bc, reqKey, ex0p, ex1p, newkey, badBu } as Record<string, Frame>;
  };

  it('has the 14 messages with their types, addressing, tunnels, padding and checksums', () => {
    const { req, ck0, ex0, ex0p, rep, bu, ba, bc, reqKey, newkey } = F();
    const fr = fig2().fr;
    expect(fr.map((f) => f.cbuType)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 7]);
    for (const f of fr) {
      expect(checksumOk(f), `MH checksum of CBU type ${f.cbuType}`).toBe(true);
      expect(padOk(f.pad), `padding of type ${f.cbuType}: ${f.pad.toString('hex')}`).toBe(true);
      expect(f.flags).toBe(0);
    }
    // §7: REQ/REQ_KEY/REP/NEWKEY through the HA, checksums over the inner header
    for (const f of [req, reqKey]) expect([f.outer?.src, f.outer?.dst, f.src, f.dst]).toEqual([MN.coa, HA, MN.hoa, HA]);
    for (const f of [rep, newkey]) expect([f.outer?.src, f.outer?.dst, f.src, f.dst]).toEqual([HA, MN.coa, CN, MN.coa]);
    for (const f of [ck0, ex0, ex0p]) expect([f.outer, f.src, f.dst]).toEqual([undefined, MN.hoa, CN]);
    for (const f of [bu, bc]) expect([f.src, f.dst]).toEqual([MN.coa, CN]);
    expect([ba.src, ba.dst]).toEqual([CN, MN.coa]);
  });

  it('seals REQ under z with {HoA, CoA, CN, N0}, cookies and nonces chain through the exchange', () => {
    const { req, ck0, ck1, ex0, ex1 } = F();
    expect(req.fields.map((f) => f.type)).toEqual([0x50]);
    const p = open(Z, req.get(0x50));
    expect(p.map((f) => f.type)).toEqual([0x10, 0x11, 0x12, 0x20]);
    expect([val(p, 0x10), val(p, 0x11), val(p, 0x12), val(p, 0x20)]).toEqual([MN.hoa, MN.coa, CN, hx('a0a1a2a3a4a5a6a7')]);
    expect(ck0.fields.map((f) => [f.type, f.value.length])).toEqual([[0x28, 8]]);
    expect(ck1.fields.map((f) => [f.type, f.value.length])).toEqual([[0x28, 8], [0x29, 8], [0x21, 8]]);
    expect(ck1.get(0x28)).toEqual(ck0.get(0x28));
    expect(ex0.fields.map((f) => f.type)).toEqual([0x28, 0x29, 0x21, 0x22, 0x30, 0x31, 0x32, 0x33]);
    expect([ex0.get(0x28), ex0.get(0x29), ex0.get(0x21)]).toEqual([ck1.get(0x28), ck1.get(0x29), ck1.get(0x21)]);
    expect(ex1.fields.map((f) => f.type)).toEqual([0x28, 0x29, 0x30, 0x32, 0x33]);
    expect([ex1.get(0x28), ex1.get(0x29)]).toEqual([ck1.get(0x28), ck1.get(0x29)]);
    // TS = the EXCH0's capture time in whole seconds
    expect(Number(ex0.get(0x31).readBigUInt64BE(0))).toBe(Math.floor(ex0.t));
  });

  it('signs EXCH0 and EXCH1 with the certificates\' keys; the certificates chain and say what §5 wants', () => {
    const { ex0, ex1 } = F();
    const gx = ex0.get(0x30);
    expect(gx.length, 'MODP value padded to 256 (field length 258)').toBe(258);
    expect(gx.readUInt16BE(0)).toBe(14);
    expect(gx.subarray(2)).toEqual(dhPublic(14, mnDh(14)));
    const certHa = ex0.get(0x33);
    const sigHaInput = Buffer.concat([MN.hoa, CN, gx.subarray(2), ex0.get(0x21), ex0.get(0x22), ex0.get(0x31)]);
    expect(sigOk(certHa, sigHaInput, ex0.get(0x32))).toBe(true);
    expect(new X509Certificate(certHa).publicKey.asymmetricKeyType).toBe('rsa');
    expect(chains(certHa, CA)).toBe(true);
    expect(has3779(certHa, '20010db8000100000000000000000000', 64)).toBe(true);
    const c = new X509Certificate(certHa);
    expect(Date.parse(c.validFrom) / 1000 <= ex0.t && ex0.t <= Date.parse(c.validTo) / 1000).toBe(true);
    // SIG_CN covers the EXCH0 MH as sent, checksum zero
    const ex0z = Buffer.from(ex0.mh);
    ex0z.writeUInt16BE(0, 4);
    const certCn = ex1.get(0x33);
    const gy = ex1.get(0x30);
    expect(sigOk(certCn, Buffer.concat([CN, MN.hoa, gy.subarray(2), ex0z]), ex1.get(0x32))).toBe(true);
    expect(new X509Certificate(certCn).publicKey.asymmetricKeyType).toBe('ec');
    expect(chains(certCn, CA)).toBe(true);
    expect(new X509Certificate(certCn).subjectAltName).toBe('IP Address:2001:DB8:2:0:0:0:0:1');
  });

  it('REP carries N0, the key schedule of the DH exchange and k_HA-next = prf(z, N0 | N1)', () => {
    const { ex0, ex1, rep } = F();
    const k = schedule(kdh(14, mnDh(14), ex1.get(0x30).subarray(2)), ex0.get(0x21), ex0.get(0x22));
    const p = open(Z, rep.get(0x50));
    expect(p.map((f) => [f.type, f.value.length])).toEqual([[0x20, 8], [0x60, 32], [0x61, 32], [0x62, 32], [0x63, 32]]);
    expect(val(p, 0x20)).toEqual(hx('a0a1a2a3a4a5a6a7'));
    expect([val(p, 0x60), val(p, 0x61), val(p, 0x62)]).toEqual([k.kBU, k.kBA, k.kEN]);
    expect(val(p, 0x63)).toEqual(H(Z, hx('a0a1a2a3a4a5a6a7'), ex0.get(0x21)));
  });

  it('BU, BA and BC: exact layout and MACs First(96, prf(...)) per §5', () => {
    const { ex0, ex1, bu, ba, bc, badBu } = F();
    const k = schedule(kdh(14, mnDh(14), ex1.get(0x30).subarray(2)), ex0.get(0x21), ex0.get(0x22));
    const seq = u16(1), ltBu = u16(75), ltEn = u16(900);
    const tlv = (t: number, v: Buffer) => Buffer.concat([Buffer.from([t, 0]), u16(v.length), v]);
    // 6 + 4 + 20 + 6 + 6 + 16 = 58 octets, then PadN(0) and two Pad1s to 64
    const want = Buffer.concat([hx('3b070b000000'), hx('cb010700'), tlv(0x10, MN.hoa), tlv(0x38, seq), tlv(0x39, ltBu),
      tlv(0x40, mac12(k.kBU, MN.hoa, MN.coa, seq, ltBu)), hx('010000000000')]);
    const got = Buffer.from(bu.mh);
    got.writeUInt16BE(0, 4);
    expect(got.toString('hex')).toBe(want.toString('hex'));
    expect(ba.fields.map((f) => f.type)).toEqual([0x10, 0x38, 0x3a, 0x3b, 0x40]);
    expect([ba.get(0x38), ba.get(0x3a), ba.get(0x3b)]).toEqual([seq, ltBu, ltEn]);
    expect(ba.get(0x40)).toEqual(mac12(k.kBA, MN.coa, CN, seq, ltBu, ltEn));
    expect(bc.fields.map((f) => f.type)).toEqual([0x10, 0x38, 0x3c, 0x40]);
    expect(bc.get(0x3c)).toEqual(hx('01'));
    expect(bc.get(0x40)).toEqual(mac12(k.kBA, MN.hoa, MN.coa, seq, hx('01')));
    // the last BU: seq 2, MAC broken on purpose
    expect(badBu.get(0x38)).toEqual(u16(2));
    expect(badBu.get(0x40)).not.toEqual(mac12(k.kBU, MN.hoa, MN.coa, u16(2), u16(60)));
  });

  it('re-keying: REQ_KEY and NEWKEY under k_HA-next, EXCH0\'/EXCH1\' MACs, k_EN-new = prf(k_master, N1\' | N2\' | 2)', () => {
    const { ex0, ex1, reqKey, ex0p, ex1p, newkey } = F();
    const k = schedule(kdh(14, mnDh(14), ex1.get(0x30).subarray(2)), ex0.get(0x21), ex0.get(0x22));
    const next = H(Z, hx('a0a1a2a3a4a5a6a7'), ex0.get(0x21));
    const rk = open(next, reqKey.get(0x50));
    expect(rk.map((f) => f.type)).toEqual([0x10, 0x11, 0x12, 0x20, 0x3c]);
    expect(val(rk, 0x3c)).toEqual(hx('01'));
    const n1p = ex0p.get(0x21);
    expect(ex0p.get(0x40)).toEqual(mac12(k.kEN, MN.hoa, n1p));
    expect(ex1p.get(0x21)).toEqual(n1p);
    const n2p = ex1p.get(0x22);
    expect(ex1p.get(0x40)).toEqual(mac12(k.kEN, CN, n1p, n2p, ex1p.get(0x3b)));
    const nk = open(next, newkey.get(0x50));
    expect(nk.map((f) => f.type)).toEqual([0x20, 0x64, 0x3b]);
    expect(val(nk, 0x20)).toEqual(val(rk, 0x20));
    expect(val(nk, 0x64)).toEqual(H(k.km, n1p, n2p, hx('02')));
    expect(() => open(Z, newkey.get(0x50))).toThrow();
  });

  it('mip6scope verify accepts the flow and flags only the broken BU', () => {
    const { out } = fig2();
    const { code, doc } = verify(out);
    expect(code).toBe(1);
    expect(doc.frames.every((f) => f.verify.mh_checksum === 'ok')).toBe(true);
    expect(fails(doc)).toEqual(['14:mac']);
    expect(errors(doc)).toEqual(['14:verify.mac']);
    const ok = (n: number, names: string[]) => { for (const x of names) expect(doc.frames[n - 1]!.verify[x], `frame ${n} ${x}`).toBe('ok'); };
    ok(1, ['sealed_decrypt']);
    ok(3, ['cookies']);
    ok(4, ['cookies', 'cert_chain', 'cert_validity', 'hoa_in_prefix', 'sig_ha']);
    ok(5, ['cookies', 'cert_chain', 'cert_validity', 'cn_hoa_in_prefix', 'sig_cn', 'session_keys_from_dh']);
    ok(6, ['sealed_decrypt', 'rep_n0_matches_req', 'session_keys_match', 'k_ha_next_derivation']);
    for (const n of [7, 8, 9, 11, 12]) ok(n, ['mac']);
    ok(10, ['sealed_decrypt']);
    ok(13, ['sealed_decrypt', 'rep_n0_matches_req', 'k_en_new_derivation']);
  });

  it('is reproducible: the same scenario gives the same bytes (RFC 6979 ECDSA, fixed IVs and nonces)', () => {
    const { out } = fig2();
    const again = join(tmp, 'fig2-again.pcap');
    craft(join(CRAFT, 'cbu-fig2.json'), again);
    expect(readFileSync(again).equals(readFileSync(out))).toBe(true);
  });
});

// ---------------------------------------------------------------- two mobile nodes
describe('craft CBU: two-MN case (X25519, Ed25519 Cert_CN, KEYS, FWD)', () => {
  const twomn = crafted('twomn');
  const CN_HOA = ip6('2001:db8:3::200'), CN_COA = ip6('2001:db8:6::200'), CN_HA = ip6('2001:db8:3::1');

  it('derives the keys from X25519, hands them to CN_CoA under k_CN, and MACs BU/FWD/BA/BC with them', () => {
    const { fr } = twomn();
    expect(fr.map((f) => f.cbuType)).toEqual([2, 3, 4, 5, 14, 15, 16, 7, 17, 8, 9]);
    for (const f of fr) { expect(checksumOk(f)).toBe(true); expect(padOk(f.pad)).toBe(true); }
    const [, , ex0, ex1, test, alive, keys, bu, fwd, ba, bc] = fr as Frame[] as [Frame, Frame, Frame, Frame, Frame, Frame, Frame, Frame, Frame, Frame, Frame];
    expect(ex0.get(0x30).subarray(0, 2)).toEqual(u16(31));
    expect(ex0.get(0x30).subarray(2)).toEqual(dhPublic(31, mnDh(31)));
    const k = schedule(kdh(31, mnDh(31), ex1.get(0x30).subarray(2)), ex0.get(0x21), ex0.get(0x22));
    // SIG_CN with the CN_HA's Ed25519 key; Cert_CN carries the CN's home prefix
    const ex0z = Buffer.from(ex0.mh);
    ex0z.writeUInt16BE(0, 4);
    expect(sigOk(ex1.get(0x33), Buffer.concat([CN_HOA, MN.hoa, ex1.get(0x30).subarray(2), ex0z]), ex1.get(0x32))).toBe(true);
    expect(new X509Certificate(ex1.get(0x33)).publicKey.asymmetricKeyType).toBe('ed25519');
    expect(has3779(ex1.get(0x33), '20010db8000300000000000000000000', 64)).toBe(true);
    expect([test.src, test.dst, test.get(0x3c)]).toEqual([CN_HA, CN_COA, hx('01')]);
    expect([alive.src, alive.dst]).toEqual([CN_COA, CN_HA]);
    const p = open(hx(RING.kCN[0].key), keys.get(0x50));
    expect(p.map((f) => f.type)).toEqual([0x23, 0x60, 0x61, 0x62]);
    expect([val(p, 0x23), val(p, 0x60), val(p, 0x61), val(p, 0x62)]).toEqual([alive.get(0x23), k.kBU, k.kBA, k.kEN]);
    expect([bu.src, bu.dst, fwd.src, fwd.dst]).toEqual([MN.coa, CN_HOA, MN.coa, CN_COA]);
    const seq = u16(3);
    expect(bu.get(0x40)).toEqual(mac12(k.kBU, MN.hoa, MN.coa, seq, u16(60)));
    expect([fwd.get(0x38), fwd.get(0x39), fwd.get(0x40)]).toEqual([seq, u16(60), bu.get(0x40)]);
    expect([ba.src, ba.dst]).toEqual([CN_COA, MN.coa]);
    expect(ba.fields.map((f) => f.type)).toEqual([0x10, 0x12, 0x38, 0x3a, 0x3b, 0x40]);
    expect(ba.get(0x12)).toEqual(CN_HOA);
    expect(ba.get(0x40)).toEqual(mac12(k.kBA, MN.coa, CN_COA, seq, u16(60), u16(900)));
    expect([bc.src, bc.dst]).toEqual([MN.coa, CN_COA]);
    expect(bc.get(0x40)).toEqual(mac12(k.kBA, MN.hoa, MN.coa, seq, hx('01')));
  });

  it('mip6scope verify accepts all of it (FWD repeating the Seq# is no replay)', () => {
    const { out } = twomn();
    const { code, doc } = verify(out);
    expect(code).toBe(0);
    expect(fails(doc)).toEqual([]);
    expect(errors(doc)).toEqual([]);
    expect(doc.frames[3]!.verify.session_keys_from_dh).toBe('ok');
    expect(doc.frames[6]!.verify.session_keys_match).toBe('ok');
    expect([8, 9, 10, 11].map((n) => doc.frames[n - 1]!.verify.mac)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });
});

// ---------------------------------------------------------------- HMIPv6
describe('craft CBU: HMIPv6 (HBU, REQ_Cert, REP_Cert)', () => {
  const hmip = crafted('hmip');
  const LCOA = ip6('2001:db8:7::100'), MAP = ip6('2001:db8:8::1'), RCOA = ip6('2001:db8:8::100');

  it('SIG_MN = Sig(SK_MN, LCoA | MAP | HoA | RCoA); Cert_MN is issued by Cert_HA, which REP_Cert carries', () => {
    const { fr } = hmip();
    expect(fr.map((f) => f.cbuType)).toEqual([18, 19, 20, 18]);
    const [hbu, reqc, repc, bad] = fr as [Frame, Frame, Frame, Frame];
    for (const f of fr) { expect(checksumOk(f)).toBe(true); expect(padOk(f.pad)).toBe(true); }
    expect(hbu.fields.map((f) => f.type)).toEqual([0x10, 0x14, 0x32, 0x33]);
    expect([hbu.src, hbu.dst, hbu.get(0x10), hbu.get(0x14)]).toEqual([LCOA, MAP, MN.hoa, RCOA]);
    const certMn = hbu.get(0x33);
    expect(sigOk(certMn, Buffer.concat([LCOA, MAP, MN.hoa, RCOA]), hbu.get(0x32))).toBe(true);
    expect(new X509Certificate(certMn).subjectAltName).toBe('IP Address:2001:DB8:1:0:0:0:0:100');
    expect([reqc.src, reqc.dst, reqc.get(0x3c)]).toEqual([MAP, HA, hx('01')]);
    const certHa = repc.get(0x33);
    expect([repc.src, repc.dst]).toEqual([HA, MAP]);
    expect(chains(certMn, new X509Certificate(certHa))).toBe(true);
    expect(chains(certHa, CA)).toBe(true);
    // the second HBU, from another LCoA, has its signature broken on purpose
    expect(bad.src).toEqual(ip6('2001:db8:7::101'));
    expect(sigOk(certMn, Buffer.concat([bad.src, MAP, MN.hoa, RCOA]), bad.get(0x32))).toBe(false);
  });

  it('mip6scope verify settles the chain on the second pass and flags only the broken SIG_MN', () => {
    const { out } = hmip();
    const { code, doc } = verify(out);
    expect(code).toBe(1);
    expect(fails(doc)).toEqual(['4:sig_mn']);
    expect(errors(doc)).toEqual(['4:verify.sig_mn']);
    expect(doc.frames[0]!.verify).toMatchObject({ sig_mn: 'ok', cert_chain: 'ok', cert_validity: 'ok', hoa_in_prefix: 'ok' });
  });
});

// ---------------------------------------------------------------- broken on purpose
/** fig2 without its broken BU, changed by `edit`, written with absolute paths to tmp. */
function variant(name: string, edit: (doc: any) => void): string {
  const doc = JSON.parse(readFileSync(join(CRAFT, 'cbu-fig2.json'), 'utf8'));
  doc.packets.pop();
  doc.keyring = KEYRING;
  for (const id of Object.values<any>(doc.identities)) for (const k of ['key', 'cert']) if (id[k]) id[k] = resolve(CRAFT, id[k]);
  const ext = (f: string) => join(FIXTURES, 'ext', f);
  Object.assign(doc.identities, {
    ha_old: { key: ext('cbu_ha_key.pem'), issuer: 'ca', subject: 'HA 2001:db8:1::1', prefix: '2001:db8:1::/64', notBefore: '2020-01-01T00:00:00Z', notAfter: '2023-06-01T00:00:00Z' },
    ha_other: { key: ext('cbu_ha_key.pem'), issuer: 'ca', subject: 'HA 2001:db8:1::1', prefix: '2001:db8:9::/64' },
    evil_ca: { key: ext('cbu_cn2_key.pem'), subject: 'O=mip6scope test, CN=mip6scope test CA' },
    ha_evil: { key: ext('cbu_ha_key.pem'), issuer: 'evil_ca', subject: 'HA 2001:db8:1::1', prefix: '2001:db8:1::/64' },
  });
  edit(doc);
  const f = join(tmp, `${name}.json`);
  writeFileSync(f, JSON.stringify(doc));
  return f;
}
const pkt = (doc: any, msg: string) => doc.packets.find((p: any) => p.msg === msg);

describe('craft CBU: each computed value can be broken on purpose, and verify names it (§8)', () => {
  const cases: Array<[string, (d: any) => void, string[], string[]?]> = [
    ['SIG_HA broken', (d) => { pkt(d, 'EXCH0').fields.break = 'signature'; }, ['4:sig_ha']],
    ['SIG_CN broken', (d) => { pkt(d, 'EXCH1').fields = { break: ['signature'] }; }, ['5:sig_cn']],
    ['REQ sealed under a wrong key', (d) => { pkt(d, 'REQ').fields.sealedKey = '00'.repeat(32); }, ['1:sealed_decrypt']],
    ['Cert_HA expired at capture time', (d) => { pkt(d, 'EXCH0').fields.identity = 'ha_old'; }, ['4:cert_validity']],
    ['Cert_HA for another prefix', (d) => { pkt(d, 'EXCH0').fields.identity = 'ha_other'; }, ['4:hoa_in_prefix']],
    ['Cert_HA from an untrusted CA of the same name', (d) => { pkt(d, 'EXCH0').fields.identity = 'ha_evil'; }, ['4:cert_chain']],
    ['EXCH1 echoes a C1 never issued', (d) => { pkt(d, 'EXCH1').fields = { c1: 'ffffffffffffffff' }; }, ['5:cookies']],
    ['REP with a k_BU that is not the derived one', (d) => { pkt(d, 'REP').fields = { kBU: '11'.repeat(32) }; }, ['6:session_keys_match']],
    ['BC with a given MAC', (d) => { pkt(d, 'BC').fields = { mac: '000000000000000000000000' }; }, ['9:mac']],
    ['BA checksum overridden', (d) => { pkt(d, 'CBU-BA').override = { checksum: 1 }; }, ['8:mh_checksum'], ['8:mip6.checksum_bad', '8:verify.mh_checksum']],
    ['DH on P-256 instead: nothing fails', (d) => { pkt(d, 'EXCH0').fields.dh = { group: 19 }; }, []],
  ];
  for (const [what, edit, want, experts] of cases) {
    it(what, () => {
      const name = what.replace(/\W+/g, '_');
      const pcap = join(tmp, `${name}.pcap`);
      craft(variant(name, edit), pcap);
      const { code, doc } = verify(pcap);
      expect(fails(doc)).toEqual(want);
      expect(errors(doc)).toEqual(experts ?? want.map((x) => x.replace(':', ':verify.')));
      expect(code).toBe(want.length ? 1 : 0);
      if (what.startsWith('DH on P-256')) {
        const fr = readPcap(pcap);
        const ex0 = fr[3]!, ex1 = fr[4]!;
        expect(ex0.get(0x30).subarray(2)).toEqual(dhPublic(19, mnDh(19)));
        expect(ex1.get(0x30).length).toBe(2 + 65);
        const k = schedule(kdh(19, mnDh(19), ex1.get(0x30).subarray(2)), ex0.get(0x21), ex0.get(0x22));
        expect(fr[6]!.get(0x40)).toEqual(mac12(k.kBU, MN.hoa, MN.coa, u16(1), u16(75)));
        expect(doc.frames[4]!.verify.session_keys_from_dh).toBe('ok');
      }
    });
  }
});

// ---------------------------------------------------------------- keys from the keyring, layout knobs
describe('craft CBU: keyring session keys (hmac-sha1), layout knobs, bad scenarios', () => {
  const k20 = (c: string) => c.repeat(20);
  const ring = { cbu: { prf: 'hmac-sha1', sessionKeys: [{ hoa: '2001:db8:1::100', cn: '2001:db8:2::1', kBU: k20('b1'), kBA: k20('ba'), kEN: k20('e1') }] } };
  const base = {
    start: '2024-01-01T00:00:00Z', keyring: ring,
    hosts: { mn: { hoa: '2001:db8:1::100', coa: '2001:db8:5::100' }, cn: { addr: '2001:db8:2::1' } },
  };
  const write = (name: string, packets: unknown[]) => { const f = join(tmp, name); writeFileSync(f, JSON.stringify({ ...base, packets })); return f; };
  const SHA1 = (key: Buffer, ...p: Buffer[]) => { const h = createHmac('sha1', key); for (const x of p) h.update(x); return h.digest().subarray(0, 12); };

  it('uses cbu.sessionKeys when no exchange was crafted, with the keyring\'s prf', () => {
    const f = write('keys-only.json', [
      { msg: 'CBU-BU', from: 'mn', to: 'cn', fields: { seq: 9, ltBu: 10 } },
      { msg: 'CBU-BA', from: 'cn', to: 'mn' },
      { msg: 'BC', from: 'mn', to: 'cn' },
      { msg: "EXCH0'", from: 'mn', to: 'cn', fields: { n1: '0102030405060708' } },
      { msg: "EXCH1'", from: 'cn', to: 'mn', fields: { n2: '1112131415161718', ltEn: 5 } },
    ]);
    const pcap = join(tmp, 'keys-only.pcap');
    craft(f, pcap);
    const [bu, ba, bc, e0, e1] = readPcap(pcap) as [Frame, Frame, Frame, Frame, Frame];
    expect(bu.get(0x40)).toEqual(SHA1(hx(k20('b1')), MN.hoa, MN.coa, u16(9), u16(10)));
    expect(ba.get(0x40)).toEqual(SHA1(hx(k20('ba')), MN.coa, CN, u16(9), u16(10), u16(900)));
    expect(bc.get(0x40)).toEqual(SHA1(hx(k20('ba')), MN.hoa, MN.coa, u16(9), hx('01')));
    expect(e0.get(0x40)).toEqual(SHA1(hx(k20('e1')), MN.hoa, hx('0102030405060708')));
    expect(e1.get(0x40)).toEqual(SHA1(hx(k20('e1')), CN, hx('0102030405060708'), hx('1112131415161718'), u16(5)));
    const kr = join(tmp, 'keys-only-ring.json');
    writeFileSync(kr, JSON.stringify(ring));
    const { code, doc } = verify(pcap, kr);
    expect(fails(doc)).toEqual([]);
    expect(doc.frames.map((x) => x.verify.mac)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(code).toBe(0);
  });

  it('omit, extra, list and flags lay out exactly what they say', () => {
    const f = write('layout.json', [
      { msg: 'CBU-BU', from: 'mn', to: 'cn', fields: { seq: 1, omit: ['MAC', 'LT_BU'], extra: [{ type: '0x99', value: '0102' }], flags: 128 } },
      { msg: 'COOKIE0', from: 'mn', to: 'cn', fields: { list: [{ type: 'C1', value: 'c1c1c1c1c1c1c1c1' }, { type: 16, value: '' }] } },
    ]);
    const pcap = join(tmp, 'layout.pcap');
    craft(f, pcap);
    const [a, b] = readPcap(pcap) as [Frame, Frame];
    expect(a.flags).toBe(0x80);
    expect(a.fields.map((x) => [x.type, x.value.toString('hex')])).toEqual([[0x10, MN.hoa.toString('hex')], [0x38, '0001'], [0x99, '0102']]);
    expect(b.fields.map((x) => [x.type, x.value.toString('hex')])).toEqual([[0x29, 'c1c1c1c1c1c1c1c1'], [0x10, '']]);
    for (const x of [a, b]) { expect(checksumOk(x)).toBe(true); expect(padOk(x.pad)).toBe(true); }
  });

  it('a bad scenario is one line naming the place, exit 2', () => {
    const bad: Array<[unknown[], RegExp, object?]> = [
      [[{ msg: 'EXCH0', from: 'mn', to: 'cn' }], /packets\[0\]\.fields\.identity: no identity for SIG_HA/],
      [[{ msg: 'CBU-BU', from: 'mn', to: 'cn', fields: { sequence: 1 } }], /packets\[0\]\.fields\.sequence: not a member CBU BU reads/],
      [[{ msg: 'COOKIE1', from: 'cn', to: 'mn', fields: { c1: '00' } }], /packets\[0\]\.fields\.c1: 8 octets required/],
      [[{ msg: 'REQ', from: 'mn', to: 'cn', fields: { cn: 'cn' } }], /packets\[0\]: no k_HA to seal with/],
      [[{ msg: 'REP', from: 'cn', to: 'mn' }], /packets\[0\]\.via: name the home agent/],
      [[{ msg: 'EXCH1', from: 'cn', to: 'mn', fields: { omit: ['Certificate'], identity: 'nobody' } }], /packets\[0\]\.fields\.identity: "nobody" is not one of/],
      [[{ msg: 'EXCH0', from: 'mn', to: 'cn', fields: { dh: { group: 19, private: 'ff'.repeat(32) }, omit: ['Signature', 'Certificate'] } }], /packets\[0\]\.fields\.dh\.private: no public value/],
      [[{ msg: 'CBU-BU', from: 'mn', to: 'cn', fields: { break: 'everything' } }], /packets\[0\]\.fields\.break: "everything" is not one of/],
      [[{ msg: 'HBU', from: 'mn', to: 'cn' }], /identities\.mn\.key: cannot read "missing\.pem": no such file/, { identities: { mn: { key: 'missing.pem' } } }],
      [[{ msg: 'HBU', from: 'mn', to: 'cn' }], /identities\.mn\.issuer: unknown identity "ca"/, { identities: { mn: { key: join(FIXTURES, 'ext', 'cbu_mn_key.pem'), issuer: 'ca' } } }],
      [[{ msg: 'CBU-BU', from: 'mn', to: 'cn' }], /keyring:? cbu\.sessionKeys\[0\]\.kBU/, { keyring: { cbu: { sessionKeys: [{ hoa: '2001:db8:1::100', cn: '2001:db8:2::1', kBU: '00', kBA: '00', kEN: '00' }] } } }],
    ];
    bad.forEach(([packets, re, extra], i) => {
      const f = join(tmp, `bad${i}.json`);
      writeFileSync(f, JSON.stringify({ ...base, keyring: {}, ...extra, packets }));
      const r = run(['craft', f, '-w', join(tmp, 'bad.pcap')]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(re);
    });
  });
});

