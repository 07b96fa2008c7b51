// Local Key Exchange verification and checks (spec §3, §7, §8; issue 6): KER
// decryption with the AR's RSA key (the recovered Kbm then serves that MN), KEA and
// DAD Request/Reply HMACs, authenticators of BU/BA to the previous AR and of
// Finished (src | dst of the packet), the Finished nonce against the BA's Finished
// Request, and the checks lke.not_link_local, lke.lifetime_above_max,
// lke.capability_without_h, lke.rate_limit, seq.replay (KER), lke.dad_reply_missing.
//
// State is rebuilt on every pass in capture order (time rules use capture time
// stamps); only the AR address ties learned from KEAs carry over to the second
// pass, so a keyring entry naming the AR's global address can open an earlier KER.
// Like the binding analysis, it runs when verification is asked for (a keyring).
import { detach } from '../core/detach.js';
import { registerAnalyzer, type Engine } from '../core/engine.js';
import type { PacketInfo } from '../core/packet.js';
import type { Item } from '../core/tree.js';
import type { Severity } from '../core/expert.js';
import { fieldMaker } from '../core/fields.js';
import { ipv6ToString } from '../core/addr.js';
import type { Mip6Info, Mip6Option } from '../dissectors/mip6/api.js';
import type { LkeNdOption } from '../dissectors/lke/nd.js';
import { LKE_NAMES } from '../dissectors/lke/mh.js';
import { keyringOf, type Keyring } from '../keyring/types.js';
import { seqNewer, sameBytes } from '../crypto/rr.js';
import { rsaDecryptEither } from '../crypto/rsa_decrypt.js';
import { recordVerdict, recordFinding, type Verdict } from '../verify/api.js';
import { checkAuthenticator, claimAuthenticator } from '../verify/binding_auth.js';
import { tiesOf, isLinkLocal, rsaKeyFor, isKnownAr, chooseKbm, lbsaKey, packetHmac, type ArTies, type Lbsa } from '../verify/lke_keys.js';

const F = fieldMaker('mipv6');
const hf = {
  padding: F('mip6.lke.analysis.ked_padding', 'Key Exchange Data padding', 'string'),
  keySource: F('mip6.lke.analysis.key_source', 'Kbm from', 'string'),
  finReqIn: F('mip6.lke.analysis.finished_request_in', 'Finished Request in frame', 'framenum'),
  kbm: F('mip6.lke.keys.kbm', 'LKE Kbm (decrypted)', 'bytes'),
  expected: F('mip6.lke.keys.expected_mac', 'Expected HMAC / authenticator', 'bytes'),
};

/** Rate limit window for KERs from one link-local source (spec §3). */
const RATE_WINDOW_NS = 3_000_000_000n;
const MAX_DAD = 4096;
const PADDING_NAMES = { 'oaep-sha1': 'RSAES-OAEP (SHA-1)', 'pkcs1-v1_5': 'RSAES-PKCS1-v1_5' };

const keep = detach;
const k16 = (a: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, 16).toString('latin1');
const hex32 = (n: number) => '0x' + n.toString(16).padStart(8, '0');

interface PassState {
  lbsas: Map<string, Lbsa>;
  /** last KER per link-local source: capture time (ns) and sequence number */
  kers: Map<string, { t: bigint; seq: number; frame: number }>;
  /** advertised Maximum Lifetime per AR link-local address */
  maxLife: Map<string, { v: number; frame: number }>;
  /** authenticated DAD NS waiting for its NA, by target address */
  dad: Map<string, { frame: number }>;
  /** Finished Request of a BA, by AR global | MN new CoA */
  finReq: Map<string, { nonce: number; frame: number }>;
}

const newPass = (): PassState => ({ lbsas: new Map(), kers: new Map(), maxLife: new Map(), dad: new Map(), finReq: new Map() });

/** Everything one packet's results need to be shown (tree, Info, verify, keys). */
class Out {
  private it: Item | null | undefined;
  /** `item` is looked up only when something is shown (null: no tree) */
  constructor(private pinfo: PacketInfo, private findItem: () => Item | null, private showKeys: boolean) {}
  get item(): Item | null {
    if (this.it === undefined) this.it = this.findItem();
    return this.it;
  }
  verdict(name: string, v: Verdict, msg?: () => string): void {
    recordVerdict(this.pinfo, name, v, { item: this.item, message: msg });
  }
  finding(sev: Severity, id: string, msg: string): void {
    recordFinding(this.pinfo, sev, id, msg, this.item, id.startsWith('seq.') ? 'sequence' : 'security');
  }
  field(f: (typeof hf)[keyof typeof hf], v: unknown): void {
    this.item?.addGenerated(f, v);
  }
  key(f: (typeof hf)['kbm' | 'expected'], v: Buffer): void {
    if (!this.showKeys) return;
    this.item?.addGenerated(f, v);
    ((this.pinfo.data.verifyKeys ??= []) as Array<{ name: string; hex: string }>).push({ name: f.name, hex: v.toString('hex') });
  }
}

function timeNs(p: PacketInfo): bigint {
  return BigInt(p.raw.tsSec) * 1_000_000_000n + BigInt(p.raw.tsNsec);
}

const opt = (mh: Mip6Info, type: number, len?: number): Mip6Option | undefined =>
  mh.options.find((o) => o.type === type && !o.malformed && (len === undefined || o.len === len));

/** The MH as its Header Len claims it, all captured (else nothing sound can be said). */
function mhWhole(mh: Mip6Info): boolean {
  const claimed = (mh.hlen + 1) * 8;
  return mh.length === claimed && mh.offset + claimed <= mh.buf.length;
}

class LkeAnalyzer {
  pass = 0;
  s: PassState = newPass();
  ties: ArTies;

  constructor(private engine: Engine, private k: Keyring) {
    this.ties = tiesOf(engine);
  }

  packet(pinfo: PacketInfo, tree: Item | null): void {
    if (pinfo.pass !== this.pass) {
      this.pass = pinfo.pass;
      this.s = newPass();
    }
    const mh = pinfo.data.mip6 as Mip6Info | undefined;
    const nd = pinfo.data.lkeNd as LkeNdOption[] | undefined;
    const icmp = pinfo.data.icmpv6 as { type: number; offset: number; length: number; buf: Buffer } | undefined;
    const show = !!this.engine.opts.showKeys;
    if (mh && !pinfo.data.inErrorPkt) {
      const o = new Out(pinfo, () => (tree ? ((mh.item as Item | undefined) ?? tree) : null), show);
      const lke = LKE_NAMES[mh.type] !== undefined && mh.name === LKE_NAMES[mh.type];
      if (lke && mh.type === 8) this.ker(pinfo, mh, o);
      else if (lke && mh.type === 9) this.kea(pinfo, mh, o);
      else if (lke && mh.type === 10) this.finished(mh, o);
      else if (mh.type === 5) this.bu(mh, o);
      else if (mh.type === 6) this.ba(pinfo, mh, o);
    } else if (icmp && (icmp.type === 134 || icmp.type === 135 || icmp.type === 136)) {
      const o = new Out(pinfo, () => (tree ? icmpItem(tree, icmp.offset) : null), show);
      if (icmp.type === 134) this.ra(pinfo, nd, o);
      else if (icmp.type === 135) this.ns(pinfo, icmp, nd, o);
      else this.na(pinfo, icmp, nd, o);
    }
  }

  /** KER and KEA travel link-local to link-local with hop limit 255. */
  linkLocalRule(pinfo: PacketInfo, mh: Mip6Info, o: Out): void {
    const hlim = pinfo.ip?.version === 6 ? pinfo.ip.hlim : undefined;
    const bad: string[] = [];
    if (!isLinkLocal(mh.src)) bad.push(`source ${ipv6ToString(mh.src)} is not link-local`);
    if (!isLinkLocal(mh.dst)) bad.push(`destination ${ipv6ToString(mh.dst)} is not link-local`);
    if (hlim !== undefined && hlim !== 255) bad.push(`hop limit ${hlim}, 255 required`);
    if (bad.length) o.finding('error', 'lke.not_link_local', `${mh.name}: ${bad.join(', ')}`);
  }

  ker(pinfo: PacketInfo, mh: Mip6Info, o: Out): void {
    this.linkLocalRule(pinfo, mh, o);
    const seq = mh.vals['mip6.lke.seq'];
    const src = k16(mh.src);
    const now = timeNs(pinfo);
    const prev = this.s.kers.get(src);
    if (prev) {
      const dt = now - prev.t;
      if (dt >= 0n && dt < RATE_WINDOW_NS) {
        o.finding('warning', 'lke.rate_limit', `Key Exchange Request from ${ipv6ToString(mh.src)} ${(Number(dt) / 1e9).toFixed(3)} s after the one in frame ${prev.frame}: more than one within 3 s`);
      }
      if (typeof seq === 'number' && !seqNewer(seq, prev.seq)) {
        o.finding('warning', 'seq.replay', `Key Exchange Request sequence number ${seq} is not newer than ${prev.seq} (frame ${prev.frame}) from ${ipv6ToString(mh.src)}: replay`);
      }
    }
    if (typeof seq === 'number') this.s.kers.set(src, { t: now, seq, frame: pinfo.num });
    const rl = opt(mh, 3, 2)?.vals['mip6.lke.req_lifetime'];
    const ml = this.s.maxLife.get(k16(mh.dst));
    if (typeof rl === 'number' && ml && rl > ml.v) {
      o.finding('warning', 'lke.lifetime_above_max', `Requested Lifetime ${rl} s is above the Maximum Lifetime ${ml.v} s the AR advertised (frame ${ml.frame})`);
    }
    const rk = rsaKeyFor(this.k, this.ties, mh.dst);
    if (!rk) {
      o.verdict('ker_decrypt', 'unverifiable');
      return;
    }
    const ked = mh.vals['mip6.lke.ked'] as Buffer | undefined;
    if (!ked || !mhWhole(mh)) {
      o.verdict('ker_decrypt', 'not checked');
      return;
    }
    const r = rsaDecryptEither(rk.key, ked, 16);
    if (!r.ok) {
      o.verdict('ker_decrypt', 'fail', () => `Key Exchange Data does not decrypt with the RSA key of ${rk.where}: ${r.why}`);
      return;
    }
    o.verdict('ker_decrypt', 'ok');
    o.field(hf.padding, PADDING_NAMES[r.padding]);
    o.key(hf.kbm, r.plain);
    // the LBSA of this MN: AR link-local address and the KER's Home Address option (the CoA)
    this.s.lbsas.set(lbsaKey(mh.dst, mh.hoa ?? mh.src), { kbm: r.plain, source: `KER #${pinfo.num} decrypted with ${rk.where}` });
  }

  kea(pinfo: PacketInfo, mh: Mip6Info, o: Out): void {
    this.linkLocalRule(pinfo, mh, o);
    const arGl = opt(mh, 4, 16)?.vals['mip6.lke.ar_addr'] as Uint8Array | undefined;
    if (arGl && isLinkLocal(mh.src)) this.ties.tie(mh.src, arGl);
    const h = opt(mh, 5, 20);
    if (!h) return;
    const coa = mh.rh2 ?? mh.dst;
    // the HMAC covers the packet as on the wire: not a message taken out of ESP
    const onWire = mhWhole(mh) && mh.buf === pinfo.raw.data;
    this.macCheck(pinfo, 'kea_hmac', 'Key Exchange Ack', mh.src, coa, onWire ? mh.offset + (mh.hlen + 1) * 8 : -1, mh.offset + 4, h.off + 2, o);
  }

  /** HMAC_SHA1(Kbm, IPv6 packet up to `end`) with the checksum and the 20 HMAC octets zero (KEA, DAD). */
  macCheck(pinfo: PacketInfo, name: string, what: string, ar: Uint8Array, coa: Uint8Array, end: number, csumOff: number, macOff: number, o: Out): void {
    const kc = chooseKbm(this.k, this.ties, this.s.lbsas, ar, coa);
    if (!kc) {
      o.verdict(name, 'unverifiable');
      return;
    }
    o.field(hf.keySource, kc.source);
    const ip = pinfo.ip;
    const buf = pinfo.raw.data;
    if (!ip || ip.version !== 6 || end < 0 || end > buf.length || macOff + 20 > end) {
      o.verdict(name, 'not checked');
      return;
    }
    const exp = packetHmac(kc.kbm, buf, ip.offset, end, [[csumOff, 2], [macOff, 20]]);
    const ok = sameBytes(exp, buf.subarray(macOff, macOff + 20));
    o.key(hf.expected, exp);
    o.verdict(name, ok ? 'ok' : 'fail', () => `${what} HMAC does not verify (Kbm from ${kc.source}, care-of address ${ipv6ToString(coa)})`);
  }

  ra(pinfo: PacketInfo, nd: LkeNdOption[] | undefined, o: Out): void {
    const cap = nd?.find((x) => x.kind === 'capability');
    if (!cap || !pinfo.ip || pinfo.ip.version !== 6) return;
    const ml = cap.vals['mip6.lke.cap.max_lifetime'];
    if (typeof ml === 'number') this.s.maxLife.set(k16(pinfo.ip.src), { v: ml, frame: pinfo.num });
    if (cap.vals['icmpv6.nd.ra.flag.h'] === false) {
      o.finding('warning', 'lke.capability_without_h', 'LKE Capability in a Router Advertisement without the H (Home Agent) bit: not valid');
    }
  }

  ns(pinfo: PacketInfo, icmp: { offset: number; length: number }, nd: LkeNdOption[] | undefined, o: Out): void {
    const req = nd?.find((x) => x.kind === 'dad_request');
    if (!req || icmp.offset + 24 > pinfo.raw.data.length) return;
    const target = pinfo.raw.data.subarray(icmp.offset + 8, icmp.offset + 24);
    // bounded: a flood of NS without answers must not grow the state without end
    if (this.s.dad.size >= MAX_DAD) this.s.dad.delete(this.s.dad.keys().next().value!);
    this.s.dad.set(k16(target), { frame: pinfo.num });
    const ar = req.vals['mip6.lke.dad.ar_addr'] as Uint8Array | undefined;
    if (!ar) return;
    this.macCheck(pinfo, 'dad_request_hmac', 'DAD Authentication Request', ar, target, icmp.offset + icmp.length, icmp.offset + 2, req.off + 24, o);
  }

  na(pinfo: PacketInfo, icmp: { offset: number; length: number }, nd: LkeNdOption[] | undefined, o: Out): void {
    if (icmp.offset + 24 > pinfo.raw.data.length) return;
    const target = pinfo.raw.data.subarray(icmp.offset + 8, icmp.offset + 24);
    const pending = this.s.dad.get(k16(target));
    const rep = nd?.find((x) => x.kind === 'dad_reply');
    if (pending) this.s.dad.delete(k16(target));
    if (!rep) {
      if (pending) o.finding('warning', 'lke.dad_reply_missing', `Neighbor Advertisement for ${ipv6ToString(target)} answers the authenticated DAD NS of frame ${pending.frame} without a DAD Authentication Reply: the AR must drop the LBSA`);
      return;
    }
    const ar = rep.vals['mip6.lke.dad.ar_addr'] as Uint8Array | undefined;
    if (!ar) return;
    this.macCheck(pinfo, 'dad_reply_hmac', 'DAD Authentication Reply', ar, target, icmp.offset + icmp.length, icmp.offset + 2, rep.off + 24, o);
  }

  /** Authenticator over src | dst of this packet (spec §3, §7) with the LBSA's Kbm. */
  auth(mh: Mip6Info, a: Mip6Option, ar: Uint8Array, coa: Uint8Array, what: string, o: Out): void {
    // the binding analysis leaves these to us (see verify/binding_auth.ts claimAuthenticator)
    claimAuthenticator(mh);
    const kc = chooseKbm(this.k, this.ties, this.s.lbsas, ar, coa);
    if (!kc) {
      o.verdict('authenticator', 'unverifiable');
      return;
    }
    o.field(hf.keySource, kc.source);
    const r = checkAuthenticator(mh, a, kc.kbm, mh.src, mh.dst);
    if (r.expected) o.key(hf.expected, Buffer.from(r.expected));
    o.verdict('authenticator', r.verdict, () => `${what} authenticator does not verify: ${r.why} (LKE Kbm from ${kc.source}, src | dst ${ipv6ToString(mh.src)} | ${ipv6ToString(mh.dst)})`);
  }

  /** BU to the previous AR: new CoA -> AR global, Home Address option = previous CoA. */
  bu(mh: Mip6Info, o: Out): void {
    const a = opt(mh, 5);
    if (!a || !isKnownAr(this.k, this.ties, mh.dst)) return;
    this.auth(mh, a, mh.dst, mh.hoa ?? mh.src, 'LKE Binding Update', o);
  }

  /** BA from the previous AR: AR global -> new CoA, type 2 RH = previous CoA; may carry a Finished Request. */
  ba(pinfo: PacketInfo, mh: Mip6Info, o: Out): void {
    if (!isKnownAr(this.k, this.ties, mh.src)) return;
    const fr = opt(mh, 6, 6)?.vals['mip6.lke.fin_req.nonce'];
    if (typeof fr === 'number') this.s.finReq.set(k16(mh.src) + k16(mh.dst), { nonce: fr, frame: pinfo.num });
    const a = opt(mh, 5);
    if (a) this.auth(mh, a, mh.src, mh.rh2 ?? mh.dst, 'LKE Binding Acknowledgement', o);
  }

  finished(mh: Mip6Info, o: Out): void {
    const a = opt(mh, 5, 12);
    if (a) this.auth(mh, a, mh.dst, mh.hoa ?? mh.src, 'Finished', o);
    const n = mh.vals['mip6.lke.nonce'];
    if (typeof n !== 'number') return;
    const fr = this.s.finReq.get(k16(mh.dst) + k16(mh.src));
    if (!fr) {
      o.verdict('finished_nonce', 'not checked');
      return;
    }
    o.field(hf.finReqIn, fr.frame);
    o.verdict('finished_nonce', fr.nonce === n ? 'ok' : 'fail', () => `Finished nonce ${hex32(n)} does not match the Finished Request nonce ${hex32(fr.nonce)} of frame ${fr.frame}`);
  }
}

/** The ICMPv6 item of the tree (verdicts of ND options hang there). */
function icmpItem(root: Item, off: number): Item {
  for (const it of root.walk()) if (it.field?.abbrev === 'icmpv6' && it.offset === off) return it;
  return root;
}

registerAnalyzer({
  name: 'lke',
  // before the binding analysis (50), which skips the authenticators claimed here
  order: 45,
  create(engine) {
    const k = keyringOf(engine);
    return k ? new LkeAnalyzer(engine, k) : null;
  },
});
