// RFC 6275 messages (BRR, HoTI, CoTI, HoT, CoT, BU, BA, BE) and options (Pad1,
// PadN, BRA, Alternate CoA, Nonce Indices, Binding Authorization Data): addressing
// by message and role (§6, §9–§11), keygen tokens from a keyring `rr` entry, and
// the authenticator from `staticKbm`/`rr` (spec §1–§2, §7) or another module's key.
import { createHmac } from 'node:crypto';
import { parseIPv6 } from '../../core/addr.js';
import { ScenarioError } from '../scenario.js';
import type { Host } from '../scenario.js';
import { ALIGN, layoutOptions, mobilityHeader, type BuiltOption } from '../encode.js';
import { keygenToken, kbmFromTokens as kbmFrom } from '../../crypto/rr.js';
import { hex, num, flags, sameAddr as same } from '../values.js';
import {
  registerCraftMessage, registerCraftOption, bindingKeyProviders, craftOption, craftOptionNames,
  moduleState, type CraftContext, type CraftedLayer, type OptionContext,
} from '../registry.js';

export const MH_TYPES: Record<string, number> = { BRR: 0, HOTI: 1, COTI: 2, HOT: 3, COT: 4, BU: 5, BA: 6, BE: 7 };
export const BU_FLAGS: Record<string, number> = { A: 0x8000, H: 0x4000, L: 0x2000, K: 0x1000, M: 0x0800, R: 0x0400, P: 0x0200, F: 0x0100, T: 0x0080, B: 0x0040 };
export const BA_FLAGS: Record<string, number> = { K: 0x80, R: 0x40, P: 0x20, T: 0x10, B: 0x08 };

function hostAddr(h: Host, role: 'home' | 'careof'): Buffer {
  return h.addr ?? (role === 'home' ? h.hoa! : h.coa!);
}

/** Kbm of the last BU per (HoA, CN), for its BA. */
interface BindingState {
  kbm: Buffer;
  prefix: Buffer;
}
const bindings = (ctx: CraftContext) => moduleState(ctx, 'rfc6275.bindings', () => new Map<string, BindingState>());

/** Addressing by message (RFC 6275): the MN speaks from its CoA with a Home Address
 *  option; answers reach it at its CoA with a type 2 routing header. */
export function rfc6275Addressing(ctx: CraftContext, type: number) {
  const { from, to, p } = ctx;
  const home = p.fields.home === true;
  let src: Buffer, dst: Buffer, hao: Buffer | null = null, rh2: Buffer | null = null;
  const mnFrom = !from.addr;
  const mnTo = !to.addr;
  switch (type) {
    case 1: src = from.hoa ?? from.addr!; dst = hostAddr(to, 'home'); break; // HoTI: from the HoA (tunnelled)
    case 3: src = from.addr ?? from.coa!; dst = to.hoa ?? to.addr!; break; // HoT: to the HoA (tunnelled)
    case 2: src = from.coa ?? from.addr!; dst = hostAddr(to, 'careof'); break; // CoTI
    case 4: src = from.addr ?? from.hoa!; dst = to.coa ?? to.addr!; break; // CoT
    default:
      if (mnFrom) {
        src = home ? from.hoa! : from.coa!;
        dst = hostAddr(to, 'home');
        if (!home) hao = from.hoa!;
      } else {
        src = from.addr!;
        dst = mnTo ? (home ? to.hoa! : to.coa!) : to.addr!;
        if (mnTo && !home && type !== 7) rh2 = to.hoa!;
      }
  }
  if (p.src) src = p.src;
  if (p.dst) dst = p.dst;
  if (p.hao !== undefined) hao = p.hao;
  if (p.rh2 !== undefined) rh2 = p.rh2;
  const mn = mnFrom ? from : mnTo ? to : null;
  const cn = mnFrom ? dst : src;
  const hoa = hao ?? rh2 ?? mn?.hoa ?? (mnFrom ? src : dst);
  const coa = mnFrom ? src : dst;
  return { src, dst, hao, rh2, hoa, cn, coa };
}

function fixedPart(ctx: CraftContext, type: number, a: ReturnType<typeof rfc6275Addressing>): Buffer {
  const f = ctx.p.fields;
  const fw = `${ctx.w}.fields`;
  switch (type) {
    case 0: return Buffer.alloc(2);
    case 1: case 2: return Buffer.concat([Buffer.alloc(2), hex(f.cookie ?? '0000000000000000', `${fw}.cookie`, 8)]);
    case 3: case 4: {
      const idx = num(f.nonceIndex, `${fw}.nonceIndex`, 0xffff, 0);
      let token: Buffer;
      if (f.token !== undefined) token = hex(f.token, `${fw}.token`, 8);
      else {
        const rr = (ctx.sc.keyring.rr ?? []).find((e: any) => same(a.src, e.cn));
        const nonceHex = rr?.nonces?.[String(idx)];
        if (!rr || !nonceHex) throw new ScenarioError(`${fw}.token: give it, or a keyring "rr" entry for ${ctx.p.from} with nonce ${idx}`);
        token = keygenToken(hex(rr.kcn, 'keyring rr.kcn'), a.dst, hex(nonceHex, `keyring rr.nonces.${idx}`), type !== 3);
        ctx.notes.push(`${type === 3 ? 'home' : 'care-of'} keygen token from keyring`);
      }
      const b = Buffer.alloc(18);
      b.writeUInt16BE(idx, 0);
      hex(f.cookie ?? '0000000000000000', `${fw}.cookie`, 8).copy(b, 2);
      token.copy(b, 10);
      return b;
    }
    case 5: {
      const b = Buffer.alloc(6);
      b.writeUInt16BE(num(f.seq, `${fw}.seq`, 0xffff, 0), 0);
      b.writeUInt16BE(flags(f.flags, BU_FLAGS, `${fw}.flags`, 0xffff), 2);
      b.writeUInt16BE(num(f.lifetime, `${fw}.lifetime`, 0xffff, 0), 4);
      return b;
    }
    case 6: {
      const b = Buffer.alloc(6);
      b[0] = num(f.status, `${fw}.status`, 255, 0);
      b[1] = flags(f.flags, BA_FLAGS, `${fw}.flags`, 255);
      b.writeUInt16BE(num(f.seq, `${fw}.seq`, 0xffff, 0), 2);
      b.writeUInt16BE(num(f.lifetime, `${fw}.lifetime`, 0xffff, 0), 4);
      return b;
    }
    default: { // BE
      const b = Buffer.alloc(18);
      b[0] = num(f.status, `${fw}.status`, 255, 1);
      (f.hoa !== undefined ? parseIPv6(String(f.hoa)) ?? a.hoa : a.hoa).copy(b, 2);
      return b;
    }
  }
}

export interface MhOptionsResult {
  opts: BuiltOption[];
  /** index of the Binding Authorization Data option to fill in, or -1 */
  badIndex: number;
  octx: OptionContext;
}

/** Build a packet's `options` with the registered option kinds. */
export function buildOptions(ctx: CraftContext, octx: OptionContext): MhOptionsResult {
  let badIndex = -1;
  const opts = ctx.p.options.map((o, k) => {
    const ow = `${ctx.w}.options[${k}]`;
    const t = String(o.type).toLowerCase();
    const kind = craftOption(t);
    if (!kind) throw new ScenarioError(`${ow}.type: "${o.type}" is not one of ${craftOptionNames().join(', ')}`);
    const b = kind.build(o, ow, octx);
    if (t === 'bad' && o.authenticator === undefined) badIndex = k;
    return b;
  });
  return { opts, badIndex, octx };
}

/** Kbm for the BU/BA at hand: other modules' providers first, then static Kcn, then RR. */
function bindingKey(ctx: CraftContext, octx: OptionContext, badOpt: Record<string, unknown>, acoa: Buffer | null, ni: [number, number] | null, lifetime: number) {
  for (const prov of bindingKeyProviders()) {
    const k = prov(octx, badOpt, ctx.w);
    if (k) return k;
  }
  const { hoa, cn, mhType } = octx;
  const key = `${hoa.toString('hex')}/${cn.toString('hex')}`;
  if (mhType === 6) {
    const b = bindings(ctx).get(key);
    if (!b) throw new ScenarioError(`${ctx.w}: no earlier BU from this HoA to this correspondent to take Kbm from`);
    return { kbm: b.kbm, prefix: b.prefix, note: 'Kbm of the BU' };
  }
  if (mhType !== 5) throw new ScenarioError(`${ctx.w}: Binding Authorization Data is computed only for BU and BA`);
  const coa = acoa ?? octx.src;
  const st = (ctx.sc.keyring.staticKbm ?? []).find((e: any) => same(hoa, e.hoa) && same(cn, e.cn));
  const rr = (ctx.sc.keyring.rr ?? []).find((e: any) => same(cn, e.cn));
  const dereg = lifetime === 0 && coa.equals(hoa);
  let kbm: Buffer, note: string;
  if (st) {
    const kcn = hex(st.kcn, 'keyring staticKbm.kcn');
    const ht = keygenToken(kcn, hoa, hex(st.homeNonce, 'keyring staticKbm.homeNonce'), false);
    kbm = kbmFrom(ht, dereg ? null : keygenToken(kcn, coa, hex(st.careofNonce, 'keyring staticKbm.careofNonce'), true));
    note = 'Kbm from static Kcn';
  } else if (rr && ni) {
    const kcn = hex(rr.kcn, 'keyring rr.kcn');
    const hn = rr.nonces?.[String(ni[0])];
    const cnn = rr.nonces?.[String(ni[1])];
    if (!hn || (!dereg && !cnn)) throw new ScenarioError(`${ctx.w}: keyring rr has no nonce ${!hn ? ni[0] : ni[1]}`);
    const ht = keygenToken(kcn, hoa, hex(hn, 'keyring rr nonce'), false);
    kbm = kbmFrom(ht, dereg ? null : keygenToken(kcn, coa, hex(cnn, 'keyring rr nonce'), true));
    note = 'Kbm from RR Kcn and nonces';
  } else throw new ScenarioError(`${ctx.w}: the authenticator needs a keyring "staticKbm" entry for this HoA and CN, or an "rr" entry with a Nonce Indices option (or give options[].authenticator)`);
  const prefix = Buffer.concat([coa, cn]);
  bindings(ctx).set(key, { kbm, prefix });
  return { kbm, prefix, note };
}

/**
 * Fill the authenticator of option `badIndex` (at MH offset `authOff`) in an MH
 * already placed in `ip` at `ulOff`: First(96, HMAC_SHA1(Kbm, prefix | MH Data)).
 */
export function fillAuthenticator(ip: Buffer, ulOff: number, mhLen: number, authOff: number, key: { kbm: Buffer; prefix: Buffer }): void {
  const mh = ip.subarray(ulOff, ulOff + mhLen);
  const data = Buffer.concat([mh.subarray(0, authOff), mh.subarray(authOff + 12)]);
  data.writeUInt16BE(0, 4);
  createHmac('sha1', key.kbm).update(key.prefix).update(data).digest().subarray(0, 12).copy(mh, authOff);
}

/** MH override: proto and hlen, as the RFC 6275 messages take them. */
export function mhOverrides(ctx: CraftContext): { proto?: number; hlen?: number } {
  const o = ctx.p.override;
  return {
    proto: o.proto === undefined ? undefined : num(o.proto, `${ctx.w}.override.proto`, 255),
    hlen: o.hlen === undefined ? undefined : num(o.hlen, `${ctx.w}.override.hlen`, 255),
  };
}

function build(ctx: CraftContext): CraftedLayer {
  const type = MH_TYPES[ctx.p.msg.toUpperCase()]!;
  const a = rfc6275Addressing(ctx, type);
  const fixed = fixedPart(ctx, type, a);
  const octx: OptionContext = { ctx, mhType: type, src: a.src, dst: a.dst, hoa: a.hoa, cn: a.cn, coa: a.coa };
  const { opts, badIndex } = buildOptions(ctx, octx);
  const laid = layoutOptions(6 + fixed.length, opts);
  const mh = mobilityHeader(type, Buffer.concat([fixed, laid.bytes]), mhOverrides(ctx));
  const p = ctx.p;
  const overAuth = p.override.authenticator;
  const badAt = p.options.findIndex((o) => String(o.type).toLowerCase() === 'bad');
  return {
    nxt: 135, payload: mh, checksumAt: 4, src: a.src, dst: a.dst, hao: a.hao, rh2: a.rh2, hlim: p.hlim,
    finish(ip, ulOff) {
      if (badIndex >= 0) {
        const acoaOpt = p.options.find((o) => String(o.type).toLowerCase() === 'acoa');
        const niOpt = p.options.find((o) => String(o.type).toLowerCase() === 'ni');
        const acoa = acoaOpt ? parseIPv6(String(acoaOpt.addr)) : null;
        const ni: [number, number] | null = niOpt ? [Number(niOpt.hni), Number(niOpt.cni)] : null;
        const key = bindingKey(ctx, octx, p.options[badIndex]!, acoa, ni, type === 5 ? fixed.readUInt16BE(4) : 0);
        ctx.notes.push(key.note);
        fillAuthenticator(ip, ulOff, mh.length, laid.offsets[badIndex]! + 2, key);
      }
      // a wrong authenticator on purpose still gets a right checksum: one fault at a time
      if (overAuth !== undefined && badAt >= 0) hex(overAuth, `${ctx.w}.override.authenticator`, 12).copy(ip, ulOff + laid.offsets[badAt]! + 2);
    },
  };
}

for (const n of ['BRR', 'HoTI', 'CoTI', 'HoT', 'CoT', 'BU', 'BA', 'BE']) registerCraftMessage({ names: [n], build });

registerCraftOption({ names: ['pad1'], build: () => ({ type: 0, body: Buffer.alloc(0) }) });
registerCraftOption({ names: ['padn'], build: (o, ow) => ({ type: 1, body: Buffer.alloc(num(o.len, `${ow}.len`, 255, 0)) }) });
registerCraftOption({
  names: ['bra'],
  build(o, ow) {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(num(o.interval, `${ow}.interval`, 0xffff, 0));
    return { type: 2, body: b, align: ALIGN.bra };
  },
});
registerCraftOption({
  names: ['acoa'],
  build(o, ow) {
    const a = parseIPv6(String(o.addr));
    if (!a) throw new ScenarioError(`${ow}.addr: an IPv6 address`);
    return { type: 3, body: a, align: ALIGN.acoa };
  },
});
registerCraftOption({
  names: ['ni'],
  build(o, ow) {
    const b = Buffer.alloc(4);
    b.writeUInt16BE(num(o.hni, `${ow}.hni`, 0xffff), 0);
    b.writeUInt16BE(num(o.cni, `${ow}.cni`, 0xffff), 2);
    return { type: 4, body: b, align: ALIGN.ni };
  },
});
registerCraftOption({
  names: ['bad'],
  build: (o, ow) => ({ type: 5, body: o.authenticator !== undefined ? hex(o.authenticator, `${ow}.authenticator`) : Buffer.alloc(12), align: ALIGN.bad }),
});
registerCraftOption({
  names: ['raw'],
  build: (o, ow) => ({ type: num(o.code, `${ow}.code`, 255), body: hex(o.data ?? '', `${ow}.data`) }),
});
