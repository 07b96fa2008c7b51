// Stateful Mobile IPv6 analysis (spec §1, §2, §7), keyed by addresses like
// Wireshark's conversations: return-routability exchanges (HoTI/HoT, CoTI/CoT by
// cookie; keygen tokens by nonce index and address), BU <-> BA matching, bindings
// per (HoA, CN/HA) with the last accepted sequence number, and the verifications
// mh_checksum, authenticator, home_keygen_token, care_of_keygen_token.
//
// Results are computed on every pass, in capture order, from fresh state; a later
// packet that settles an earlier one (the BA accepting a BU) adds "late" items,
// kept from the first pass, that a second pass (tshark -2, always used by
// `verify`) shows.
// Runs only when verification is asked for (a keyring, possibly empty, is given).
import { detach } from '../core/detach.js';
import { registerAnalyzer, type Engine } from '../core/engine.js';
import type { PacketInfo } from '../core/packet.js';
import type { Item } from '../core/tree.js';
import type { Severity } from '../core/expert.js';
import { fieldMaker, type Field } from '../core/fields.js';
import { ipv6ToString } from '../core/addr.js';
import type { Mip6Info } from '../dissectors/mip6/api.js';
import { keyringOf, findRr, type Keyring } from '../keyring/types.js';
import { homeKeygenToken, careofKeygenToken, seqNewer, sameBytes } from '../crypto/rr.js';
import { recordVerdict, recordFinding, type Verdict } from '../verify/api.js';
import { chooseKey, checkAuthenticator, authenticatorClaimed, type KeyChoice, type TokenLookup, type TokenSeen } from '../verify/binding_auth.js';
import { MH, OPT, val, num, oct8, option, altCoa, nonceIndices, hex } from './mip6_values.js';

const F = fieldMaker('mipv6');
export const hf = {
  responseIn: F('mip6.analysis.response_in', 'Response in frame', 'framenum'),
  responseTo: F('mip6.analysis.response_to', 'Response to frame', 'framenum'),
  accepted: F('mip6.analysis.accepted', 'Binding accepted', 'bool'),
  keySource: F('mip6.analysis.key_source', 'Kbm from', 'string'),
  homeToken: F('mip6.keys.home_token', 'Home keygen token (derived)', 'bytes'),
  careofToken: F('mip6.keys.careof_token', 'Care-of keygen token (derived)', 'bytes'),
  kbm: F('mip6.keys.kbm', 'Binding management key Kbm (derived)', 'bytes'),
  expectedAuth: F('mip6.keys.expected_auth', 'Expected authenticator', 'bytes'),
  foundAuth: F('mip6.keys.found_auth', 'Found authenticator', 'bytes'),
  expectedToken: F('mip6.keys.expected_token', 'Expected keygen token', 'bytes'),
};

type Action =
  | { t: 'verdict'; name: string; v: Verdict; msg?: string }
  | { t: 'expert'; sev: Severity; id: string; msg: string }
  | { t: 'field'; f: Field; value: unknown }
  | { t: 'key'; f: Field; value: Buffer };

interface FrameResult {
  actions: Action[];
  /** settled by later packets; shown on a second pass */
  late: Action[];
}

export interface BuRecord {
  frame: number;
  hoa: Buffer;
  cn: Buffer;
  coa: Buffer;
  seq: number;
  dereg: boolean;
  hadAltCoa: boolean;
  ni: { hni: number; cni: number } | null;
  key: KeyChoice | null;
  auth: Verdict | null;
  baFrame: number | null;
  accepted: boolean | null;
}

export interface Binding {
  hoa: Buffer;
  cn: Buffer;
  lastAccepted: number | null;
  lastAcceptedFrame: number | null;
  /** care-of address of the last accepted BU */
  coa: Buffer | null;
  /** recent BUs, oldest first (bounded) */
  bus: BuRecord[];
}

/**
 * What later frames settled about earlier ones (response in, accepted), kept for
 * the next pass. One per answered exchange, so it grows with the capture: held
 * as columns (7 octets a finding) rather than a Map of object arrays (~270 octets
 * a frame, 40 MB at 1M packets), in blocks of frames so that ordering them by
 * frame never needs a copy of the whole.
 */
export class Lates {
  private blocks = new Map<number, LateBlock>();

  /** frame's exchange was answered in frame `responseIn` (which accepted it or not, for a BU) */
  add(frame: number, responseIn: number, accepted?: boolean): void {
    const k = Math.floor(frame / LATE_BLOCK);
    let b = this.blocks.get(k);
    if (!b) {
      this.blocks.set(k, (b = { offs: new Uint16Array(8), resp: new Uint32Array(8), kind: new Uint8Array(8), n: 0, sorted: true }));
      // answers mostly come soon: trim a block left behind (a late add regrows it)
      const old = this.blocks.get(k - 2);
      if (old && old.n !== old.offs.length) sealBlock(old);
    }
    if (b.n === b.offs.length) grow(b, b.n * 2);
    const off = frame - k * LATE_BLOCK;
    if (b.n && off < b.offs[b.n - 1]!) b.sorted = false;
    b.offs[b.n] = off;
    b.resp[b.n] = responseIn;
    b.kind[b.n++] = accepted === undefined ? 0 : accepted ? 2 : 1;
  }

  /** Order each block by frame, keeping the order of a frame's findings, and trim it. */
  seal(): void {
    for (const b of this.blocks.values()) sealBlock(b);
  }

  /** The late actions of a frame, in the order found. */
  get(frame: number): Action[] | undefined {
    const k = Math.floor(frame / LATE_BLOCK);
    const b = this.blocks.get(k);
    if (!b) return undefined;
    if (!b.sorted) sealBlock(b);
    const off = frame - k * LATE_BLOCK;
    const o = b.offs;
    let lo = 0, hi = b.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (o[mid]! < off) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= b.n || o[lo] !== off) return undefined;
    const out: Action[] = [];
    for (let i = lo; i < b.n && o[i] === off; i++) {
      out.push({ t: 'field', f: hf.responseIn, value: b.resp[i]! });
      if (b.kind[i]) out.push({ t: 'field', f: hf.accepted, value: b.kind[i] === 2 });
    }
    return out;
  }
}

interface LateBlock { offs: Uint16Array; resp: Uint32Array; kind: Uint8Array; n: number; sorted: boolean }

const LATE_BLOCK = 4096;

function grow(b: LateBlock, size: number): void {
  const o = new Uint16Array(size), r = new Uint32Array(size), k = new Uint8Array(size);
  o.set(b.offs.subarray(0, b.n));
  r.set(b.resp.subarray(0, b.n));
  k.set(b.kind.subarray(0, b.n));
  b.offs = o;
  b.resp = r;
  b.kind = k;
}

function sealBlock(b: LateBlock): void {
  if (!b.sorted) {
    const { offs, resp, kind } = b;
    const idx = Array.from({ length: b.n }, (_, i) => i).sort((x, y) => offs[x]! - offs[y]! || x - y);
    b.offs = Uint16Array.from(idx, (i) => offs[i]!);
    b.resp = Uint32Array.from(idx, (i) => resp[i]!);
    b.kind = Uint8Array.from(idx, (i) => kind[i]!);
    b.sorted = true;
  } else if (b.n !== b.offs.length) grow(b, b.n);
}

export interface Mip6State {
  bindings: Map<string, Binding>;
  /** what later frames settled about earlier ones: kept for the next pass */
  lates: Lates;
  /** cookie|src|dst of pending HoTI/CoTI -> frame */
  inits: Map<string, number>;
  tokens: Map<string, TokenSeen>;
}

const STATE = 'mip6.bindings';
/** Copies: the frame buffer of a packet is not kept alive by state that outlives it. */
const keep = detach;
const MAX_BUS = 32;

/** The binding state of a run (other analyzers may read it: accepted bindings per HoA). */
export function bindingState(engine: Engine): Mip6State | undefined {
  return engine.state[STATE] as Mip6State | undefined;
}

// map keys: latin1 is the cheapest lossless string form of 16 octets
const bkey = (hoa: Uint8Array, cn: Uint8Array) => Buffer.from(hoa.buffer, hoa.byteOffset, 16).toString('latin1') + Buffer.from(cn.buffer, cn.byteOffset, 16).toString('latin1');

/** The binding of (HoA, CN), made on first sight; its own copies of the addresses serve every later record of it. */
function binding(s: Mip6State, hoa: Buffer, cn: Buffer): Binding {
  const k = bkey(hoa, cn);
  let b = s.bindings.get(k);
  if (!b) s.bindings.set(k, (b = { hoa: keep(hoa), cn: keep(cn), lastAccepted: null, lastAcceptedFrame: null, coa: null, bus: [] }));
  return b;
}

/** A kept copy of a BU's care-of address, shared with the binding's earlier records when equal (most BUs repeat one). */
function keptCoa(b: Binding, coa: Buffer): Buffer {
  if (coa.equals(b.hoa)) return b.hoa;
  if (b.coa?.equals(coa)) return b.coa;
  const last = b.bus[b.bus.length - 1];
  if (last?.coa.equals(coa)) return last.coa;
  return keep(coa);
}

class Mip6Analyzer {
  s: Mip6State = { bindings: new Map(), lates: new Lates(), inits: new Map(), tokens: new Map() };
  /** a later pass: lates come from the pass before and are not recorded again */
  replay = false;
  tokens: TokenLookup;
  twoPass: boolean;

  constructor(private engine: Engine, private keyring: Keyring) {
    this.twoPass = (engine.opts.passes ?? 1) > 1;
    engine.state[STATE] = this.s;
    const t = this.s.tokens;
    this.tokens = {
      hot: (hoa, cn, ni) => t.get(`h|${bkey(hoa, cn)}|${ni}`),
      cot: (coa, cn, ni) => t.get(`c|${bkey(coa, cn)}|${ni}`),
    };
  }

  packet(pinfo: PacketInfo, tree: Item | null): void {
    const mh = pinfo.data.mip6 as Mip6Info | undefined;
    if (!mh) return;
    // every pass computes from the state so far (a later pass starts afresh,
    // Engine.beginPass); a later pass adds what later frames settled
    const res: FrameResult = { actions: [], late: this.replay ? this.s.lates.get(pinfo.num) ?? [] : [] };
    this.analyse(pinfo.num, mh, res);
    const item = tree ? ((mh.item as Item | undefined) ?? tree) : null;
    this.checksum(pinfo, mh, item);
    this.render(pinfo, res, item, this.replay);
  }

  carry(): unknown {
    this.s.lates.seal();
    return this.s.lates;
  }

  adopt(c: unknown): void {
    this.s.lates = c as Lates;
    this.replay = true;
  }

  /** The MH checksum verdict: stateless, so recomputed on every pass instead of kept. */
  checksum(pinfo: PacketInfo, mh: Mip6Info, item: Item | null): void {
    let v: Verdict = 'not checked';
    let msg: string | undefined;
    if (mh.csumOk === true) v = 'ok';
    else if (mh.csumOk === false) {
      const exp = mh.csumExpected !== undefined ? ` (should be 0x${mh.csumExpected.toString(16).padStart(4, '0')})` : '';
      v = 'fail';
      msg = `Bad MH checksum 0x${mh.csum.toString(16).padStart(4, '0')}${exp}`;
    }
    recordVerdict(pinfo, 'mh_checksum', v, { item, message: msg ? () => msg! : undefined, group: 'checksum' });
  }

  /** Late findings of an earlier frame, recorded on the first pass of two: its response frame, and whether it was accepted. */
  late(frame: number, responseIn: number, accepted?: boolean): void {
    if (!this.twoPass || this.replay) return;
    this.s.lates.add(frame, responseIn, accepted);
  }

  render(pinfo: PacketInfo, res: FrameResult, item: Item | null, withLate: boolean): void {
    const show = !!this.engine.opts.showKeys;
    const acts = withLate ? [...res.actions, ...res.late] : res.actions;
    for (const a of acts) {
      switch (a.t) {
        case 'verdict':
          recordVerdict(pinfo, a.name, a.v, { item, message: a.msg ? () => a.msg! : undefined, group: a.name === 'mh_checksum' ? 'checksum' : 'security' });
          break;
        case 'expert':
          recordFinding(pinfo, a.sev, a.id, a.msg, item, a.id.startsWith('seq.') ? 'sequence' : 'security');
          break;
        case 'field':
          item?.addGenerated(a.f, a.value);
          break;
        case 'key':
          if (!show) break;
          item?.addGenerated(a.f, a.value);
          ((pinfo.data.verifyKeys ??= []) as Array<{ name: string; hex: string }>).push({ name: a.f.name, hex: a.value.toString('hex') });
          break;
      }
    }
  }

  analyse(frame: number, mh: Mip6Info, r: FrameResult): void {
    switch (mh.type) {
      case MH.HOTI: case MH.COTI: {
        const c = oct8(val(mh, mh.type === MH.HOTI ? 'mip6.hoti.cookie' : 'mip6.coti.cookie'));
        if (c) this.s.inits.set(`${mh.type}|${hex(c)}|${bkey(mh.src, mh.dst)}`, frame);
        break;
      }
      case MH.HOT: case MH.COT: this.test(frame, mh, r); break;
      case MH.BU: this.bu(frame, mh, r); break;
      case MH.BA: this.ba(frame, mh, r); break;
    }
  }

  /** HoT / CoT: match the init by cookie, remember the token, check it against a configured Kcn. */
  test(frame: number, mh: Mip6Info, r: FrameResult): void {
    const home = mh.type === MH.HOT;
    const p = home ? 'mip6.hot' : 'mip6.cot';
    const cookie = oct8(val(mh, `${p}.cookie`));
    const ni = num(val(mh, `${p}.nindex`, `${p}.nonce_index`));
    const token = oct8(home ? val(mh, 'mip6.hot.token') : val(mh, 'mip6.cot.token', 'mip6.hot.token', 'mip6.cot.co_keygen_tok'));
    if (cookie) {
      const k = `${home ? MH.HOTI : MH.COTI}|${hex(cookie)}|${bkey(mh.dst, mh.src)}`;
      const init = this.s.inits.get(k);
      if (init !== undefined) {
        this.s.inits.delete(k);
        r.actions.push({ t: 'field', f: hf.responseTo, value: init });
        this.late(init, frame);
      }
    }
    if (ni === null || !token) return;
    // the test went to the address it tests: HoT to the HoA, CoT to the CoA; from the CN
    this.s.tokens.set(`${home ? 'h' : 'c'}|${bkey(mh.dst, mh.src)}|${ni}`, { frame, token: keep(token) });
    const name = home ? 'home_keygen_token' : 'care_of_keygen_token';
    const rr = findRr(this.keyring, mh.src);
    const nonce = rr?.nonces.get(ni);
    if (!rr || !nonce) {
      r.actions.push({ t: 'verdict', name, v: 'unverifiable' });
      return;
    }
    const exp = home ? homeKeygenToken(rr.kcn, mh.dst, nonce) : careofKeygenToken(rr.kcn, mh.dst, nonce);
    const ok = sameBytes(exp, token);
    r.actions.push({ t: 'key', f: hf.expectedToken, value: exp });
    r.actions.push({
      t: 'verdict', name, v: ok ? 'ok' : 'fail',
      msg: ok ? undefined : `${home ? 'Home' : 'Care-of'} keygen token does not match Kcn and nonce ${ni} of ${rr.where} for ${ipv6ToString(mh.dst)}`,
    });
  }

  bu(frame: number, mh: Mip6Info, r: FrameResult): void {
    const A = r.actions;
    const seq = num(val(mh, 'mip6.bu.seqnr'));
    if (seq === null) return;
    // the record outlives the packet: it holds the binding's copies, not views
    const b = binding(this.s, mh.hoa ?? mh.src, mh.dst);
    const { hoa, cn } = b;
    const ao = option(mh, OPT.ACOA);
    const acoa = ao ? altCoa(mh, ao) : null;
    const coa = keptCoa(b, acoa ?? mh.src);
    const nio = option(mh, OPT.NI);
    const ni = nio ? nonceIndices(mh, nio) : null;
    const bu: BuRecord = { frame, hoa, cn, coa, seq, dereg: coa.equals(hoa), hadAltCoa: !!acoa, ni, key: null, auth: null, baFrame: null, accepted: null };
    if (b.lastAccepted !== null && !seqNewer(seq, b.lastAccepted)) {
      A.push({
        t: 'expert', sev: 'warning', id: 'seq.replay',
        msg: `Binding Update sequence number ${seq} is not newer than the last accepted one (${b.lastAccepted}, frame ${b.lastAcceptedFrame}) from ${ipv6ToString(hoa)} to ${ipv6ToString(cn)}: replay`,
      });
    }
    const bad = option(mh, OPT.BAD);
    if (bad && !authenticatorClaimed(mh)) {
      const key = chooseKey(this.keyring, this.tokens, { hoa, cn, coa, dereg: bu.dereg, ni });
      bu.key = key;
      if (!key) {
        bu.auth = 'unverifiable';
        A.push({ t: 'verdict', name: 'authenticator', v: 'unverifiable' });
      } else {
        A.push({ t: 'field', f: hf.keySource, value: key.source + (bu.dereg ? ', deregistration: Kbm = SHA1(home keygen token)' : '') });
        if (key.kind === 'static' && ni) {
          A.push({ t: 'expert', sev: 'note', id: 'rr.nonce_indices_ignored', msg: `Nonce Indices (${ni.hni}, ${ni.cni}) in a Binding Update under a static key: ignored, not part of the computation` });
        }
        if (key.kind === 'tokens') {
          A.push({ t: 'expert', sev: 'note', id: 'rr.kbm_from_tokens', msg: key.cotFrame !== undefined ? `Kbm derived from HoT #${key.hotFrame} and CoT #${key.cotFrame}` : `Kbm derived from HoT #${key.hotFrame} (deregistration)` });
        }
        const res = checkAuthenticator(mh, bad, key.kbm, coa, cn);
        bu.auth = res.verdict;
        this.keys(A, key, res);
        A.push({ t: 'verdict', name: 'authenticator', v: res.verdict, msg: res.verdict === 'fail' ? `Binding Update authenticator does not verify: ${res.why} (Kbm from ${key.source}, care-of address ${ipv6ToString(coa)})` : undefined });
      }
    }
    b.bus.push(bu);
    if (b.bus.length > MAX_BUS) b.bus.shift();
  }

  keys(A: Action[], key: KeyChoice | null, res: { expected?: Buffer; found?: Buffer }): void {
    if (key) {
      A.push({ t: 'key', f: hf.homeToken, value: key.homeToken });
      if (key.careofToken) A.push({ t: 'key', f: hf.careofToken, value: key.careofToken });
      A.push({ t: 'key', f: hf.kbm, value: key.kbm });
    }
    // shown side by side with --show-keys only, to explain a mismatch
    if (res.expected) A.push({ t: 'key', f: hf.expectedAuth, value: Buffer.from(res.expected) });
    if (res.found) A.push({ t: 'key', f: hf.foundAuth, value: Buffer.from(res.found) });
  }

  ba(frame: number, mh: Mip6Info, r: FrameResult): void {
    const A = r.actions;
    const status = num(val(mh, 'mip6.ba.status'));
    const seq = num(val(mh, 'mip6.ba.seqnr'));
    if (status === null || seq === null) return;
    // the BA goes to the BU's source with a type 2 RH = HoA (to the HoA itself after a deregistration)
    const b = binding(this.s, mh.rh2 ?? mh.dst, mh.src);
    const { hoa, cn } = b;
    const open = b.bus.filter((x) => x.baFrame === null);
    // status 135 carries the last accepted number, not the BU's: it answers the latest BU
    const bu = status === 135 ? open[open.length - 1] : [...open].reverse().find((x) => x.seq === seq) ?? [...b.bus].reverse().find((x) => x.seq === seq);
    if (bu) {
      bu.baFrame = frame;
      A.push({ t: 'field', f: hf.responseTo, value: bu.frame });
      const accepted = bu.auth !== 'fail' && status < 128;
      bu.accepted = accepted;
      A.push({ t: 'field', f: hf.accepted, value: accepted });
      this.late(bu.frame, frame, accepted);
      if (accepted) {
        const prev = b.lastAccepted;
        if (prev !== null && seqNewer(bu.seq, prev) && bu.seq < prev) {
          A.push({ t: 'expert', sev: 'note', id: 'seq.wrapped', msg: `Sequence number counter of ${ipv6ToString(hoa)} wrapped (${prev} -> ${bu.seq}): rekeying advised` });
        }
        b.lastAccepted = bu.seq;
        b.lastAcceptedFrame = bu.frame;
        b.coa = bu.coa;
      }
    }
    const bad = option(mh, OPT.BAD);
    if (!bad || authenticatorClaimed(mh)) return;
    // §7: the BU's care-of address (its Alternate CoA when it had one), then the CN
    // not kept: only read while this packet is analysed
    const coa = bu ? bu.coa : mh.dst;
    const key = bu?.key ?? chooseKey(this.keyring, this.tokens, { hoa, cn, coa, dereg: coa.equals(hoa), ni: bu?.ni ?? null });
    if (!key) {
      A.push({ t: 'verdict', name: 'authenticator', v: 'unverifiable' });
      return;
    }
    A.push({ t: 'field', f: hf.keySource, value: key.source });
    const res = checkAuthenticator(mh, bad, key.kbm, coa, cn);
    // the BU frame already showed the tokens and Kbm
    this.keys(A, bu ? null : key, res);
    A.push({ t: 'verdict', name: 'authenticator', v: res.verdict, msg: res.verdict === 'fail' ? `Binding Acknowledgement authenticator does not verify: ${res.why} (Kbm from ${key.source}, care-of address ${ipv6ToString(coa)})` : undefined });
  }
}

registerAnalyzer({
  name: STATE,
  order: 50,
  create(engine) {
    const k = keyringOf(engine);
    return k ? new Mip6Analyzer(engine, k) : null;
  },
});
