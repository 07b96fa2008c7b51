// CBU verification (spec §5, §7, §8; issue 8): Sealed fields opened with k_HA /
// k_HA-next / k_CN and their plaintext shown, SIG_HA / SIG_CN / SIG_MN, Cert_* chain,
// validity at capture time and address-in-prefix, C0/C1 cookies, every MAC, the DH
// key schedule against the keyring and against REP/KEYS, k_HA-next and k_EN-new,
// BU/FWD sequence replay and the missing BC guard (two-pass).
// State is built in capture order on the first pass; a second pass replays each
// frame's findings (FrameResults), plus those settled later (missing BC, HMIPv6 chain).
import { detach } from '../core/detach.js';
import { registerAnalyzer, type Engine } from '../core/engine.js';
import type { PacketInfo } from '../core/packet.js';
import type { Item } from '../core/tree.js';
import { Tvb } from '../core/tvb.js';
import { ipv6ToString } from '../core/addr.js';
import { escapeText } from '../core/escape.js';
import type { Mip6Info } from '../dissectors/mip6/api.js';
import { dissectCbuFields, type CbuInfo } from '../dissectors/cbu/cbu.js';
import { keyringOf, type Keyring, type CbuKeyring } from '../keyring/types.js';
import { prf, macMatches, openSealed, verifySignature, type Prf, type SessionKeys } from '../crypto/cbu.js';
import { FrameResults, FrameResultsAnalyzer, type Finding } from './cookie_frames.js';
import { chainToAnchor, validityAt, addressInCert, decodeCertificate } from './cbu_certs.js';
import { deriveFromDh, type Exch } from './cbu_dh.js';
import type { Verdict } from './api.js';

const T = {
  HOA: 0x10, COA: 0x11, CN: 0x12, RCOA: 0x14, N0: 0x20, N1: 0x21, N2: 0x22, N3: 0x23, C0: 0x28, C1: 0x29,
  DH: 0x30, TS: 0x31, SIG: 0x32, CERT: 0x33, SEQ: 0x38, LTBU: 0x39, LTBA: 0x3a, LTEN: 0x3b, FLAG: 0x3c, MAC: 0x40,
  SEALED: 0x50, KBU: 0x60, KBA: 0x61, KEN: 0x62, KHANEXT: 0x63, KENNEW: 0x64,
} as const;
const FIXED: Record<number, number> = { 0x10: 16, 0x11: 16, 0x12: 16, 0x13: 16, 0x14: 16, 0x15: 16, 0x20: 8, 0x21: 8, 0x22: 8, 0x23: 8, 0x28: 8, 0x29: 8, 0x31: 8, 0x38: 2, 0x39: 2, 0x3a: 2, 0x3b: 2, 0x3c: 1, 0x60: 32, 0x61: 32, 0x62: 32, 0x63: 32, 0x64: 32 };

type Fields = Map<number, Buffer>;
/** records a verdict; the failure text is built only on failure */
type VFn = (name: string, v: Verdict, msg?: string | (() => string)) => void;
const A = (b: Uint8Array) => ipv6ToString(b);
const k2 = (a: Buffer, b: Buffer) => a.toString('latin1') + b.toString('latin1');
const copy = detach;
/** exchanges remembered (the newest): enough for any capture's live sessions, bounded for long ones */
const MAX_EXCH = 1024;

/** First value of each field type, copied, sizes checked (a wrong-size field is left out). */
function fieldMap(list: Array<{ type: number; value: Buffer }>): Fields {
  const m: Fields = new Map();
  for (const f of list) {
    if (m.has(f.type)) continue;
    const want = FIXED[f.type];
    if (want !== undefined && f.value.length !== want) continue;
    m.set(f.type, copy(f.value));
  }
  return m;
}

/** Parse a Sealed plaintext (no tree, no expert items); null when it does not parse. */
function parsePlain(b: Buffer): Fields | null {
  const out: Array<{ type: number; value: Buffer }> = [];
  let o = 0;
  while (o < b.length) {
    const t = b[o]!;
    if (t === 0) { o++; continue; }
    if (o + 4 > b.length) return null;
    const len = b.readUInt16BE(o + 2);
    if (o + 4 + len > b.length) return null;
    if (t !== 1) out.push({ type: t, value: b.subarray(o + 4, o + 4 + len) });
    o += 4 + len;
  }
  return fieldMap(out);
}

const isNewer = (x: number, y: number) => { const d = (x - y) & 0xffff; return d > 0 && d < 0x8000; };

interface BcWindow { frame: number; cn: Buffer; coa: Buffer; hoa: Buffer; t: number; count: number }
interface PendingMn { frame: number; der: Buffer; hoa: Buffer; t: number }
interface Opened { plain: Buffer; key: string; msgType: number }

class CbuVerifier extends FrameResultsAnalyzer {
  cb: CbuKeyring | null;
  alg: Prf;
  plains = new Map<number, Opened>();
  /** certificates seen so far, once each (intermediates for chains) */
  pool = new Map<string, Buffer>();
  cookie0 = new Map<string, { c0: Buffer; frame: number }>();
  cookie1 = new Map<string, { c0: Buffer; c1: Buffer; frame: number }>();
  reqs = new Map<string, { hoa: Buffer; n0: Buffer; frame: number }>();
  reqKeys = new Map<string, { hoa: Buffer; n0: Buffer; frame: number }>();
  exch: Exch[] = [];
  kHaNext = new Map<string, Buffer>();
  lastSeq = new Map<string, number>();
  windows: BcWindow[] = [];
  pendingMn: PendingMn[] = [];
  noAnchorNoted = false;

  constructor(private engine: Engine, k: Keyring) {
    super(engine);
    this.cb = k.cbu;
    this.alg = this.cb?.prf ?? 'hmac-sha256';
  }

  packet(pinfo: PacketInfo, tree: Item | null): void {
    if (pinfo.pass === 1 && this.windows.length) this.watch(pinfo);
    const cbu = pinfo.data.cbu as CbuInfo | undefined;
    const mh = pinfo.data.mip6 as Mip6Info | undefined;
    if (!cbu || !mh) return;
    const fs = this.res.of(pinfo, () => (cbu.malformed ? [] : this.message(pinfo, cbu, mh)));
    const item = tree ? ((mh.item as Item | undefined)?.find('mip6.cbu') ?? (mh.item as Item | undefined) ?? tree) : null;
    FrameResults.render(pinfo, fs, item);
    // opened while computing this frame's findings; shown once, then let go
    const op = this.plains.get(pinfo.num);
    this.plains.delete(pinfo.num);
    if (item && op) this.showPlain(pinfo, item, op);
  }

  /** The decrypted Sealed plaintext as its own data source, dissected like the message body. */
  showPlain(pinfo: PacketInfo, item: Item, op: Opened): void {
    const ds = pinfo.sources.push({ name: 'Decrypted CBU Sealed', buf: op.plain });
    const t = item.addText(`Sealed plaintext (opened with ${op.key}, ${op.plain.length} octets)`, 0, op.plain.length);
    t.ds = ds;
    t.generated = true;
    try {
      dissectCbuFields(new Tvb(op.plain, op.plain.length, op.plain.length, ds), 0, op.plain.length, pinfo, t, [], op.msgType, true);
    } catch {
      t.append(' [malformed plaintext]');
    }
  }

  finish(pass: number): void {
    if (pass !== 1) return;
    for (const w of this.windows) this.missingBc(w, 'the capture ends first');
    this.windows = [];
    for (const p of this.pendingMn) {
      this.res.late(p.frame, { t: 'verdict', name: 'cert_chain', v: 'fail', msg: 'Cert_MN: no certificate in the capture (Cert_HA) chains it to a trust anchor' });
      this.res.late(p.frame, { t: 'verdict', name: 'hoa_in_prefix', v: 'unverifiable' });
    }
    this.pendingMn = [];
  }

  // ---- missing BC (§7): 10 further packets between the CN and that CoA, or 10 s
  watch(pinfo: PacketInfo): void {
    const t = pinfo.raw.tsSec + pinfo.raw.tsNsec / 1e9;
    const cbu = pinfo.data.cbu as CbuInfo | undefined;
    const mh = pinfo.data.mip6 as Mip6Info | undefined;
    const keep: BcWindow[] = [];
    for (const w of this.windows) {
      if (t - w.t > 10) { this.missingBc(w, '10 s pass first'); continue; }
      const between = pinfo.ipStack.some((ip) => (ip.src.equals(w.cn) && ip.dst.equals(w.coa)) || (ip.src.equals(w.coa) && ip.dst.equals(w.cn)));
      if (!between) { keep.push(w); continue; }
      if (cbu && mh && cbu.msgType === 9 && cbu.get(T.HOA)?.value.equals(w.hoa)) continue; // BC seen
      if (++w.count >= 10) this.missingBc(w, '10 further packets pass first');
      else keep.push(w);
    }
    this.windows = keep;
  }

  missingBc(w: BcWindow, why: string): void {
    this.res.late(w.frame, {
      t: 'expert', sev: 'warning', id: 'cbu.missing_bc',
      msg: `No BC for home address ${A(w.hoa)} after this BA to ${A(w.coa)}: ${why} (third-party bombing guard)`,
    });
  }

  // ---- per message
  message(pinfo: PacketInfo, cbu: CbuInfo, mh: Mip6Info): Finding[] {
    const out: Finding[] = [];
    const f = fieldMap(cbu.fields);
    const src = copy(mh.src), dst = copy(mh.dst);
    const t = pinfo.raw.tsSec + pinfo.raw.tsNsec / 1e9;
    const v: VFn = (name, verdict, msg) => out.push({ t: 'verdict', name, v: verdict, msg: verdict === 'fail' ? (typeof msg === 'function' ? msg() : msg) : undefined });
    switch (cbu.msgType) {
      case 1: case 6: case 10: case 13: case 16: this.sealed(pinfo, cbu, f, src, dst, out, v); break;
      case 2: if (f.get(T.C0)) this.cookie0.set(k2(src, dst), { c0: f.get(T.C0)!, frame: pinfo.num }); break;
      case 3: {
        const c0 = f.get(T.C0), c1 = f.get(T.C1);
        const issued = this.cookie0.get(k2(dst, src));
        if (c0 && issued) v('cookies', c0.equals(issued.c0) ? 'ok' : 'fail', () => `COOKIE1 echoes C0 ${c0.toString('hex')}, COOKIE0 #${issued.frame} issued ${issued.c0.toString('hex')}`);
        else v('cookies', 'not checked');
        if (c0 && c1) this.cookie1.set(k2(dst, src), { c0, c1, frame: pinfo.num });
        break;
      }
      case 4: this.exch0(pinfo, mh, f, src, dst, t, v, out); break;
      case 5: this.exch1(f, src, dst, t, v, out); break;
      case 7: case 17: this.bu(cbu.msgType, f, src, dst, v, out); break;
      case 8: this.ba(pinfo, f, src, dst, t, v); break;
      case 9: {
        const hoa = f.get(T.HOA);
        const s = hoa ? this.session(hoa, dst) : undefined;
        this.mac(v, s?.keys?.kBA, f, 'BC', () => [hoa!, src, f.get(T.SEQ)!, f.get(T.FLAG)!], [T.HOA, T.SEQ, T.FLAG]);
        break;
      }
      case 11: {
        const s = this.session(src, dst);
        const n1p = f.get(T.N1);
        if (s && n1p) s.n1p = n1p;
        this.mac(v, s?.keys?.kEN, f, "EXCH0'", () => [src, n1p!], [T.N1]);
        break;
      }
      case 12: {
        const s = this.session(dst, src);
        const n1p = f.get(T.N1), n2p = f.get(T.N2);
        if (s && n2p) { s.n1p = n1p ?? s.n1p; s.n2p = n2p; }
        this.mac(v, s?.keys?.kEN, f, "EXCH1'", () => [src, n1p!, n2p!, f.get(T.LTEN)!], [T.N1, T.N2, T.LTEN]);
        break;
      }
      case 18: this.hbu(pinfo, f, src, dst, t, v, out); break;
      case 20: {
        const der = f.get(T.CERT);
        if (der) {
          this.certChecks(der, t, 'Cert_HA', v, out);
          this.addPool(der);
          this.resolveMn();
        }
        break;
      }
      default: break;
    }
    return out;
  }

  addPool(der: Buffer): void {
    const k = der.toString('latin1');
    if (!this.pool.has(k)) this.pool.set(k, der);
  }

  remember(e: Exch): void {
    this.exch.push(e);
    if (this.exch.length > MAX_EXCH) this.exch.shift();
  }

  /** The exchange for (HoA, CN), where the CN may be named by its CoA (two-MN case); else the only one of that HoA. */
  session(hoa: Buffer, cn: Buffer): Exch | undefined {
    for (let i = this.exch.length - 1; i >= 0; i--) {
      const e = this.exch[i]!;
      if (e.hoa.equals(hoa) && (e.cn.equals(cn) || e.cnCoa?.equals(cn))) return e;
    }
    const mine = this.exch.filter((e) => e.hoa.equals(hoa));
    if (mine.length === 1) return mine[0];
    // no exchange seen: the keyring's session keys alone
    const sk = this.cb?.sessionKeys.find((s) => s.hoa.equals(hoa) && s.cn.equals(cn));
    if (sk) {
      const e: Exch = { hoa, cn, frame: 0, keys: { kMaster: Buffer.alloc(0), kBU: sk.kBU, kBA: sk.kBA, kEN: sk.kEN }, keysFrom: sk.where, fromDh: false };
      this.remember(e);
      return e;
    }
    return undefined;
  }

  mac(v: VFn, key: Buffer | undefined, f: Fields, what: string,
    parts: () => Buffer[], need: number[]): void {
    const found = f.get(T.MAC);
    if (!found || need.some((n) => !f.get(n))) { v('mac', 'not checked'); return; }
    if (!key) { v('mac', 'unverifiable'); return; }
    const ok = macMatches(prf(this.alg, key, ...parts()), found);
    v('mac', ok ? 'ok' : 'fail', () => `${what} MAC ${found.toString('hex')} does not verify with the session key`);
  }

  sealed(pinfo: PacketInfo, cbu: CbuInfo, f: Fields, src: Buffer, dst: Buffer, out: Finding[], v: VFn): void {
    const sealed = f.get(T.SEALED);
    if (!sealed) return;
    const cands: Array<{ key: Buffer; name: string }> = [];
    const mt = cbu.msgType;
    if (mt === 16) {
      const ks = this.cb?.kCN ?? [];
      for (const e of [...ks.filter((x) => x.cnCoA.equals(dst)), ...ks]) cands.push({ key: e.key, name: `k_CN (${e.where})` });
    } else {
      const ha = this.cb?.kHA ?? [];
      const hoaFirst = [...ha.filter((x) => x.hoa.equals(mt === 1 || mt === 10 ? src : dst)), ...ha];
      if (mt === 10 || mt === 13) {
        for (const e of hoaFirst) { const n = this.kHaNext.get(e.hoa.toString('latin1')); if (n) cands.push({ key: n, name: `k_HA-next (from REP, ${e.where})` }); }
        for (const [, n] of this.kHaNext) cands.push({ key: n, name: 'k_HA-next (from REP)' });
      }
      for (const e of hoaFirst) {
        if (e.current) cands.push({ key: e.current, name: `k_HA (${e.where}.current)` });
        cands.push({ key: e.z, name: `k_HA = z (${e.where})` });
      }
    }
    if (!cands.length) { v('sealed_decrypt', 'unverifiable'); return; }
    let plain: Buffer | null = null;
    let name = '';
    for (const c of cands) {
      plain = openSealed(c.key, sealed);
      if (plain) { name = c.name; break; }
    }
    if (!plain) {
      v('sealed_decrypt', 'fail', () => `Sealed field of ${cbu.name} does not open with any configured ${mt === 16 ? 'k_CN' : 'k_HA'} (${cands.length} tried): GCM tag mismatch`);
      return;
    }
    v('sealed_decrypt', 'ok');
    this.plains.set(pinfo.num, { plain, key: name.replace(/ \(.*/, ''), msgType: mt });
    const p = parsePlain(plain);
    if (!p) return;
    const hoa = p.get(T.HOA);
    if (mt === 1 || mt === 10) {
      const coa = p.get(T.COA), cn = p.get(T.CN), n0 = p.get(T.N0);
      if (hoa && coa && cn && n0) (mt === 1 ? this.reqs : this.reqKeys).set(k2(coa, cn), { hoa, n0, frame: pinfo.num });
      return;
    }
    if (mt === 6 || mt === 13) {
      const req = (mt === 6 ? this.reqs : this.reqKeys).get(k2(dst, src));
      const n0 = p.get(T.N0);
      if (req && n0) v('rep_n0_matches_req', n0.equals(req.n0) ? 'ok' : 'fail', () => `${cbu.name} carries N0 ${n0.toString('hex')}, ${mt === 6 ? 'REQ' : 'REQ_KEY'} #${req.frame} sent ${req.n0.toString('hex')}`);
      else v('rep_n0_matches_req', 'not checked');
      // no REQ seen (or not opened): the latest exchange with that CN
      const s = req ? this.session(req.hoa, src) : [...this.exch].reverse().find((e) => e.cn.equals(src) && e.frame > 0);
      const hoa = req?.hoa ?? s?.hoa;
      if (mt === 6) {
        this.compareKeys(p, s, 'REP', v);
        const next = p.get(T.KHANEXT);
        const kha = hoa ? this.cb?.kHA.find((e) => e.hoa.equals(hoa)) : undefined;
        if (next && hoa) this.kHaNext.set(hoa.toString('latin1'), next);
        if (next && kha && n0 && s?.n1) {
          const want = prf(this.alg, kha.z, n0, s.n1);
          v('k_ha_next_derivation', want.equals(next) ? 'ok' : 'fail', () => `k_HA-next in REP is not prf(z, N0 | N1) with z of ${kha.where}`);
        } else if (next) v('k_ha_next_derivation', 'unverifiable');
      } else {
        const kn = p.get(T.KENNEW);
        if (kn && s?.fromDh && s.keys && s.n1p && s.n2p) {
          const want = prf(this.alg, s.keys.kMaster, s.n1p, s.n2p, Buffer.from([2]));
          v('k_en_new_derivation', want.equals(kn) ? 'ok' : 'fail', "k_EN-new in NEWKEY is not prf(k_master, N1' | N2' | 0x02)");
          s.keys = { ...s.keys, kEN: kn };
        } else if (kn) {
          v('k_en_new_derivation', 'unverifiable');
          if (s?.keys) s.keys = { ...s.keys, kEN: kn };
        }
      }
      return;
    }
    if (mt === 16) {
      // KEYS: CN_HA -> CN_CoA; the exchange is the latest one holding keys (its CN is the CN_HoA)
      let s = [...this.exch].reverse().find((e) => e.cnCoa?.equals(dst)) ?? [...this.exch].reverse().find((e) => !e.cnCoa && e.frame > 0);
      if (s) s.cnCoa = dst;
      this.compareKeys(p, s, 'KEYS', v);
    }
  }

  compareKeys(p: Fields, s: Exch | undefined, what: string, v: VFn): void {
    const got = { kBU: p.get(T.KBU), kBA: p.get(T.KBA), kEN: p.get(T.KEN) };
    if (!got.kBU || !got.kBA || !got.kEN) return;
    if (!s?.keys) {
      v('session_keys_match', 'unverifiable');
      if (s) { s.keys = { kMaster: Buffer.alloc(0), kBU: got.kBU, kBA: got.kBA, kEN: got.kEN }; s.keysFrom = what; }
      return;
    }
    const bad = (['kBU', 'kBA', 'kEN'] as const).filter((n) => !s.keys![n].equals(got[n]!));
    v('session_keys_match', bad.length ? 'fail' : 'ok', () => `${what} carries ${bad.map((n) => n.replace('k', 'k_')).join(', ')} differing from the keys ${s.fromDh ? 'derived from the DH exchange' : `of ${s.keysFrom}`}`);
  }

  certChecks(der: Buffer, t: number, what: string, v: VFn, out: Finding[]): ReturnType<typeof chainToAnchor> {
    const anchors = this.cb?.trustAnchors ?? [];
    const ch = chainToAnchor(der, anchors, this.pool.values());
    if (ch.verdict === 'not checked' && !this.noAnchorNoted) {
      this.noAnchorNoted = true;
      out.push({ t: 'expert', sev: 'note', id: 'cbu.no_trust_anchor', msg: `${what} not checked against a trust anchor: the keyring configures none (cbu.trustAnchorsPem)` });
    }
    v('cert_chain', ch.verdict, () => `${what}: ${ch.why ?? 'does not chain'}`);
    const val = validityAt(ch.path.length ? ch.path : [], t);
    if (ch.path.length) v('cert_validity', val.verdict, () => `${what}: ${val.why}`);
    return ch;
  }

  exch0(pinfo: PacketInfo, mh: Mip6Info, f: Fields, hoa: Buffer, cn: Buffer, t: number, v: VFn, out: Finding[]): void {
    const c0 = f.get(T.C0), c1 = f.get(T.C1), n1 = f.get(T.N1), n2 = f.get(T.N2), dh = f.get(T.DH), ts = f.get(T.TS);
    const ck = this.cookie1.get(k2(hoa, cn));
    if (ck && c0 && c1) v('cookies', ck.c0.equals(c0) && ck.c1.equals(c1) ? 'ok' : 'fail', () => `EXCH0 C0/C1 ${c0.toString('hex')}/${c1.toString('hex')} differ from COOKIE1 #${ck.frame}'s ${ck.c0.toString('hex')}/${ck.c1.toString('hex')}`);
    else v('cookies', 'not checked');
    // EXCH0 as sent, Checksum zero (SIG_CN covers it); only when captured whole
    const len = (mh.hlen + 1) * 8;
    let ex0z: Buffer | undefined;
    if (mh.offset + len <= mh.buf.length) {
      ex0z = detach(mh.buf.subarray(mh.offset, mh.offset + len));
      ex0z.writeUInt16BE(0, 4);
    }
    const e: Exch = { hoa, cn, frame: pinfo.num, n1, n2, gx: dh, ex0z, fromDh: false };
    this.remember(e);
    const der = f.get(T.CERT);
    if (der) {
      this.certChecks(der, t, 'Cert_HA', v, out);
      const info = decodeCertificate(der);
      const r = addressInCert(info, hoa);
      v('hoa_in_prefix', r.verdict, () => `HoA ${A(hoa)} ${r.why} of Cert_HA`);
      this.addPool(der);
      const sig = f.get(T.SIG);
      if (sig && info.spki && dh && n1 && n2 && ts) {
        v('sig_ha', verifySignature(info.spki, Buffer.concat([hoa, cn, dh.subarray(2), n1, n2, ts]), sig) ? 'ok' : 'fail',
          () => `SIG_HA does not verify with Cert_HA's ${info.keyType ?? ''} key (${escapeText(info.subject ?? '')})`);
      } else v('sig_ha', 'unverifiable');
    } else v('sig_ha', 'unverifiable');
  }

  exch1(f: Fields, cn: Buffer, hoa: Buffer, t: number, v: VFn, out: Finding[]): void {
    const c0 = f.get(T.C0), c1 = f.get(T.C1), dh = f.get(T.DH);
    const ck = this.cookie1.get(k2(hoa, cn));
    if (ck && c0 && c1) v('cookies', ck.c0.equals(c0) && ck.c1.equals(c1) ? 'ok' : 'fail', () => `EXCH1 C0/C1 ${c0.toString('hex')}/${c1.toString('hex')} differ from those COOKIE1 #${ck.frame} issued (${ck.c0.toString('hex')}/${ck.c1.toString('hex')})`);
    else v('cookies', 'not checked');
    const e = [...this.exch].reverse().find((x) => x.hoa.equals(hoa) && x.cn.equals(cn));
    const der = f.get(T.CERT);
    if (der) {
      this.certChecks(der, t, 'Cert_CN', v, out);
      const info = decodeCertificate(der);
      const r = addressInCert(info, cn);
      v('cn_hoa_in_prefix', r.verdict, () => `CN address ${A(cn)} ${r.why} of Cert_CN`);
      this.addPool(der);
      const sig = f.get(T.SIG);
      if (sig && info.spki && dh && e?.ex0z) {
        v('sig_cn', verifySignature(info.spki, Buffer.concat([cn, hoa, dh.subarray(2), e.ex0z]), sig) ? 'ok' : 'fail',
          () => `SIG_CN does not verify with Cert_CN's ${info.keyType ?? ''} key (${escapeText(info.subject ?? '')}) over EXCH0 #${e.frame}`);
      } else v('sig_cn', 'unverifiable');
    } else v('sig_cn', 'unverifiable');
    if (e && dh) {
      e.gy = dh;
      const r = deriveFromDh(this.cb, this.alg, e);
      if (r) v('session_keys_from_dh', r.verdict, r.msg);
    }
  }

  bu(mt: number, f: Fields, coa: Buffer, cn: Buffer, v: VFn, out: Finding[]): void {
    const hoa = f.get(T.HOA), seq = f.get(T.SEQ);
    const s = hoa ? this.session(hoa, cn) : undefined;
    const what = mt === 7 ? 'BU' : 'FWD';
    this.mac(v, s?.keys?.kBU, f, what, () => [hoa!, coa, seq!, f.get(T.LTBU)!], [T.HOA, T.SEQ, T.LTBU]);
    if (!hoa || !seq) return;
    const macFailed = out.some((x) => x.t === 'verdict' && x.name === 'mac' && x.v === 'fail');
    const key = hoa.toString('latin1') + (s ? s.cn.toString('latin1') : cn.toString('latin1'));
    const n = seq.readUInt16BE(0);
    const last = this.lastSeq.get(key);
    // FWD repeats the forwarded BU's number (§7): equal is fine for it
    if (last !== undefined && !isNewer(n, last) && !(mt === 17 && n === last)) {
      out.push({ t: 'expert', sev: 'warning', id: 'seq.replay', msg: `${what} sequence number ${n} is not newer than the last one (${last}) for home address ${A(hoa)}` });
    } else if (!macFailed && (last === undefined || isNewer(n, last))) {
      if (last !== undefined && n < last) {
        out.push({ t: 'expert', sev: 'note', id: 'seq.wrapped', msg: `${what} sequence number counter of ${A(hoa)} wrapped (${last} -> ${n}): rekeying advised` });
      }
      this.lastSeq.set(key, n);
    }
  }

  ba(pinfo: PacketInfo, f: Fields, cnAddr: Buffer, coa: Buffer, t: number, v: VFn): void {
    const hoa = f.get(T.HOA);
    const cnHoa = f.get(T.CN);
    const s = hoa ? this.session(hoa, cnHoa ?? cnAddr) : undefined;
    if (s && cnHoa && !cnAddr.equals(cnHoa)) s.cnCoa = cnAddr;
    this.mac(v, s?.keys?.kBA, f, 'BA', () => [coa, cnAddr, f.get(T.SEQ)!, f.get(T.LTBA)!, f.get(T.LTEN)!], [T.SEQ, T.LTBA, T.LTEN]);
    if (hoa && pinfo.pass === 1) this.windows.push({ frame: pinfo.num, cn: cnAddr, coa, hoa, t, count: 0 });
  }

  hbu(pinfo: PacketInfo, f: Fields, lcoa: Buffer, map: Buffer, t: number, v: VFn, out: Finding[]): void {
    const hoa = f.get(T.HOA), rcoa = f.get(T.RCOA), sig = f.get(T.SIG), der = f.get(T.CERT);
    if (!der) { v('sig_mn', 'unverifiable'); return; }
    const info = decodeCertificate(der);
    if (sig && info.spki && hoa && rcoa) {
      v('sig_mn', verifySignature(info.spki, Buffer.concat([lcoa, map, hoa, rcoa]), sig) ? 'ok' : 'fail',
        () => `SIG_MN does not verify with Cert_MN's ${info.keyType ?? ''} key (${escapeText(info.subject ?? '')})`);
    } else v('sig_mn', 'unverifiable');
    const anchors = this.cb?.trustAnchors ?? [];
    const ch = chainToAnchor(der, anchors, this.pool.values());
    if (!hoa) return;
    if (ch.verdict === 'fail' && anchors.length && info.error === undefined) {
      // §7: Cert_HA may come later (REP_Cert): settle on the second pass
      this.pendingMn.push({ frame: pinfo.num, der, hoa, t });
      const nc = ch.path[0];
      if (nc) { const val = validityAt([nc], t); v('cert_validity', val.verdict, () => `Cert_MN: ${val.why}`); }
      return;
    }
    for (const x of this.mnVerdicts(ch, hoa, t)) out.push(x);
  }

  mnVerdicts(ch: ReturnType<typeof chainToAnchor>, hoa: Buffer, t: number): Finding[] {
    const out: Finding[] = [];
    const push: VFn = (name, verdict, msg) => out.push({ t: 'verdict', name, v: verdict, msg: verdict === 'fail' ? (typeof msg === 'function' ? msg() : msg) : undefined });
    if (ch.verdict === 'not checked') {
      out.push({ t: 'expert', sev: 'note', id: 'cbu.no_trust_anchor', msg: 'Cert_MN not checked against a trust anchor: the keyring configures none (cbu.trustAnchorsPem)' });
    }
    push('cert_chain', ch.verdict, () => `Cert_MN: ${ch.why}`);
    const val = validityAt(ch.path, t);
    push('cert_validity', val.verdict, () => `Cert_MN chain: ${val.why}`);
    // the HoA prefix is Cert_HA's (the certificate that signed Cert_MN)
    const ha = ch.path[1];
    if (ha) {
      const r = addressInCert(decodeCertificate(ha.raw), hoa);
      push('hoa_in_prefix', r.verdict, () => `HoA ${A(hoa)} ${r.why} of Cert_HA`);
    }
    return out;
  }

  resolveMn(): void {
    const anchors = this.cb?.trustAnchors ?? [];
    this.pendingMn = this.pendingMn.filter((p) => {
      const ch = chainToAnchor(p.der, anchors, this.pool.values());
      if (ch.verdict !== 'ok') return true;
      for (const x of this.mnVerdicts(ch, p.hoa, p.t)) {
        if (x.t === 'verdict' && x.name === 'cert_validity') continue; // already given at the HBU for Cert_MN; the chain's adds below
        this.res.late(p.frame, x);
      }
      const val = validityAt(ch.path.slice(1), p.t);
      if (val.verdict === 'fail') this.res.late(p.frame, { t: 'verdict', name: 'cert_validity', v: 'fail', msg: `Cert_HA: ${val.why}` });
      return false;
    });
  }
}

registerAnalyzer({
  name: 'verify.cbu',
  order: 60,
  create(engine) {
    const k = keyringOf(engine);
    return k ? new CbuVerifier(engine, k) : null;
  },
});
