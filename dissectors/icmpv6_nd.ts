// Neighbor Discovery options (RFC 4861 4.6; RFC 6275 7.2-7.4) in table
// `icmpv6.nd.opt.type`. The ICMPv6 dissector looks each option up with the keys
// [`${icmpType}/${optType}`, optType]: a context key first, then the plain type, so
// a later module can claim a code point in one message only (e.g. '134/6' for an
// option in a Router Advertisement) without touching this file. An option
// dissector may return false to decline (the next key, then "unknown", is tried).
//
// Option dissector contract: called as fn(tvb, off, pinfo, tree, ctx) where `tvb`
// ends at the option's end (Length * 8 octets), `off` is the option's Type octet,
// `tree` is the ICMPv6 message item (or null: build nothing) and `ctx` is an NdCtx.
import { fieldMaker } from '../core/fields.js';
import { registerDissector, table } from '../core/tables.js';
import { registerFast, type FastFn } from '../core/fast.js';
import type { Item } from '../core/tree.js';
import type { PacketInfo } from '../core/packet.js';
import type { Tvb } from '../core/tvb.js';
import { etherToString, ipv6ToString } from '../core/addr.js';

/** Context passed as `data` to every ND option dissector. */
export interface NdCtx {
  /** ICMPv6 type of the message carrying the option (133..137, 146, 147, ...) */
  icmpType: number;
  /** the ND message's tree item (null when no tree is built) */
  item: Item | null;
  /** Router Advertisement H (Home Agent) bit; false for other messages */
  raH: boolean;
  /** option type and Length octet (units of 8 octets) */
  optType: number;
  optLen: number;
  /** text the option adds to the Info column (e.g. " from 02:..."), collected by ICMPv6 */
  info: string[];
}

const F = fieldMaker('icmpv6');
export const ND_OPT_NAMES: Record<number, string> = {
  1: 'Source link-layer address', 2: 'Target link-layer address', 3: 'Prefix information', 4: 'Redirected header',
  5: 'MTU', 6: 'NBMA Shortcut Limit Option', 7: 'Advertisement Interval', 8: 'Home Agent Information',
  9: 'Source Address List', 10: 'Target Address List', 11: 'CGA', 12: 'RSA Signature', 13: 'Timestamp',
  14: 'Nonce', 15: 'Trust Anchor', 16: 'Certificate', 17: 'IP Address/Prefix Option', 18: 'New Router Prefix Information Option',
  19: 'Link-layer Address Option', 20: 'Neighbor Advertisement Acknowledgment Option', 23: 'MAP Option',
  24: 'Route Information', 25: 'Recursive DNS Server', 26: 'RA Flags Extension Option', 31: 'DNS Search List Option',
  253: 'RFC3692-style Experiment 1', 254: 'RFC3692-style Experiment 2',
};
export const hfNd = {
  opt: F('icmpv6.opt', 'ICMPv6 Option', 'none'),
  type: F('icmpv6.opt.type', 'Type', 'uint8', { vals: ND_OPT_NAMES }),
  length: F('icmpv6.opt.length', 'Length', 'uint8'),
  reserved: F('icmpv6.opt.reserved', 'Reserved', 'none'),
  linkaddr: F('icmpv6.opt.linkaddr', 'Link-layer address', 'bytes'),
  srcLinkaddr: F('icmpv6.opt.src_linkaddr', 'Source Link-layer address', 'bytes'),
  tgtLinkaddr: F('icmpv6.opt.target_linkaddr', 'Target Link-layer address', 'bytes'),
  mtu: F('icmpv6.opt.mtu', 'MTU', 'uint32'),
  prefixLen: F('icmpv6.opt.prefix.length', 'Prefix Length', 'uint8'),
  prefixFlag: F('icmpv6.opt.prefix.flag', 'Flag', 'uint8', { base: 'hex' }),
  prefixL: F('icmpv6.opt.prefix.flag.l', 'On-link flag(L)', 'bool', { mask: 0x80, bits: 8, tfs: ['Set', 'Not set'] }),
  prefixA: F('icmpv6.opt.prefix.flag.a', 'Autonomous address-configuration flag(A)', 'bool', { mask: 0x40, bits: 8, tfs: ['Set', 'Not set'] }),
  prefixR: F('icmpv6.opt.prefix.flag.r', 'Router address flag(R)', 'bool', { mask: 0x20, bits: 8, tfs: ['Set', 'Not set'] }),
  prefixRes: F('icmpv6.opt.prefix.flag.reserved', 'Reserved', 'uint8', { mask: 0x1f, bits: 8 }),
  validLt: F('icmpv6.opt.prefix.valid_lifetime', 'Valid Lifetime', 'uint32'),
  prefLt: F('icmpv6.opt.prefix.preferred_lifetime', 'Preferred Lifetime', 'uint32'),
  prefix: F('icmpv6.opt.prefix', 'Prefix', 'ipv6'),
  redirected: F('icmpv6.opt.redirected_packet', 'Redirected Packet', 'none'),
  advInt: F('icmpv6.opt.advertisement_interval', 'Advertisement Interval', 'uint32'),
  haPref: F('icmpv6.opt.home_agent_preference', 'Home Agent Preference', 'uint16'),
  haLife: F('icmpv6.opt.home_agent_lifetime', 'Home Agent Lifetime', 'uint16'),
  unknown: F('icmpv6.unknown_data', 'Unknown Data', 'bytes'),
};

/** The option item with its Type and Length children (for option dissectors in other modules). */
export function ndOptionItem(tree: Item, tvb: Tvb, off: number, label: string): Item {
  const type = tvb.u8(off), len = tvb.u8(off + 1);
  const it = tree.add(hfNd.opt, off, len * 8, null, `ICMPv6 Option (${label})`);
  it.add(hfNd.type, off, 1, type);
  it.add(hfNd.length, off + 1, 1, len).suffix = ` (${len * 8} bytes)`;
  return it;
}

/** `fast`: the summary fast path's variant (core/fast.ts), given [option start, option end) */
function reg(name: string, key: number, fn: (tvb: Tvb, off: number, pinfo: PacketInfo, tree: Item | null, ctx: NdCtx) => void | boolean, fast?: FastFn): void {
  const h = registerDissector(name, 'ICMPv6 ND option', fn);
  table('icmpv6.nd.opt.type', 'ICMPv6 ND option type').add(key, h);
  if (fast) registerFast(name, fast);
}

function linkLayer(tvb: Tvb, off: number, pinfo: PacketInfo, tree: Item | null, ctx: NdCtx, src: boolean): void {
  const n = ctx.optLen * 8 - 2;
  const a = tvb.bytes(off + 2, n, 'Link-layer address');
  // Ethernet-sized addresses print as MAC; others as hex
  const text = n === 6 ? etherToString(a) : Buffer.from(a).toString('hex');
  ctx.info.push(src ? ` from ${text}` : ` is at ${text}`);
  if (!tree) return;
  const it = ndOptionItem(tree, tvb, off, `${src ? 'Source' : 'Target'} link-layer address : ${text}`);
  it.add(hfNd.linkaddr, off + 2, n, a, n === 6 ? `Link-layer address: ${text} (${text})` : null);
  it.add(src ? hfNd.srcLinkaddr : hfNd.tgtLinkaddr, off + 2, n, a).hidden = true;
}

// the fast variants append the option's Info text to st.info, as ICMPv6 would
function fastLinkLayer(src: boolean): FastFn {
  return (off, end, st) => {
    const n = end - off - 2;
    const text = n === 6 ? etherToString(st.buf, off + 2) : st.buf.toString('hex', off + 2, end);
    st.info += src ? ` from ${text}` : ` is at ${text}`;
    return true;
  };
}

reg('icmpv6.nd.opt.slla', 1, (tvb, off, pinfo, tree, ctx) => linkLayer(tvb, off, pinfo, tree, ctx, true), fastLinkLayer(true));
reg('icmpv6.nd.opt.tlla', 2, (tvb, off, pinfo, tree, ctx) => linkLayer(tvb, off, pinfo, tree, ctx, false), fastLinkLayer(false));

// an option's Length is at least 1 (8 octets: ICMPv6 checks): enough for these
const ALWAYS: FastFn = () => true;

reg('icmpv6.nd.opt.prefix', 3, (tvb, off, _pinfo, tree) => {
  tvb.check(off, 32, 'Prefix information');
  if (!tree) return;
  const plen = tvb.u8(off + 2), flags = tvb.u8(off + 3);
  const prefix = tvb.bytes(off + 16, 16);
  const it = ndOptionItem(tree, tvb, off, `Prefix information : ${ipv6ToString(prefix)}/${plen}`);
  it.add(hfNd.prefixLen, off + 2, 1, plen);
  const names = [flags & 0x80 ? 'On-link flag(L)' : '', flags & 0x40 ? 'Autonomous address-configuration flag(A)' : '', flags & 0x20 ? 'Router address flag(R)' : ''].filter(Boolean);
  const fi = it.add(hfNd.prefixFlag, off + 3, 1, flags, `Flag: 0x${flags.toString(16).padStart(2, '0')}${names.length ? ', ' + names.join(', ') : ''}`);
  fi.add(hfNd.prefixL, off + 3, 1, (flags & 0x80) !== 0);
  fi.add(hfNd.prefixA, off + 3, 1, (flags & 0x40) !== 0);
  fi.add(hfNd.prefixR, off + 3, 1, (flags & 0x20) !== 0);
  fi.add(hfNd.prefixRes, off + 3, 1, flags & 0x1f);
  it.add(hfNd.validLt, off + 4, 4, tvb.u32(off + 4));
  it.add(hfNd.prefLt, off + 8, 4, tvb.u32(off + 8));
  it.add(hfNd.reserved, off + 12, 4, null);
  it.add(hfNd.prefix, off + 16, 16, prefix);
}, (off, end) => end - off >= 32);

reg('icmpv6.nd.opt.mtu', 5, (tvb, off, _pinfo, tree) => {
  const mtu = tvb.u32(off + 4);
  if (!tree) return;
  const it = ndOptionItem(tree, tvb, off, `MTU : ${mtu}`);
  it.add(hfNd.reserved, off + 2, 2, null);
  it.add(hfNd.mtu, off + 4, 4, mtu);
}, ALWAYS);

reg('icmpv6.nd.opt.adv_interval', 7, (tvb, off, _pinfo, tree) => {
  const v = tvb.u32(off + 4);
  if (!tree) return;
  const it = ndOptionItem(tree, tvb, off, `Advertisement Interval : ${v}`);
  it.add(hfNd.reserved, off + 2, 2, null);
  it.add(hfNd.advInt, off + 4, 4, v);
}, ALWAYS);

reg('icmpv6.nd.opt.ha_info', 8, (tvb, off, _pinfo, tree) => {
  tvb.check(off, 8, 'Home Agent Information');
  if (!tree) return;
  const it = ndOptionItem(tree, tvb, off, 'Home Agent Information');
  it.add(hfNd.reserved, off + 2, 2, null);
  it.add(hfNd.haPref, off + 4, 2, tvb.u16(off + 4));
  it.add(hfNd.haLife, off + 6, 2, tvb.u16(off + 6));
}, ALWAYS);

// Redirected Header: the invoking packet is dissected below the option (set by icmpv6.ts)
export type RedirectedDissector = (tvb: Tvb, off: number, pinfo: PacketInfo, tree: Item | null) => void;
let redirected: RedirectedDissector | null = null;
export function setRedirectedDissector(fn: RedirectedDissector): void {
  redirected = fn;
}

reg('icmpv6.nd.opt.redirected', 4, (tvb, off, pinfo, tree) => {
  tvb.check(off, 8, 'Redirected header');
  let it: Item | null = null;
  if (tree) {
    it = ndOptionItem(tree, tvb, off, 'Redirected header');
    it.add(hfNd.reserved, off + 2, 6, null);
    it.add(hfNd.redirected, off + 8, tvb.end - off - 8, null);
  }
  if (redirected && tvb.end > off + 8) redirected(tvb, off + 8, pinfo, it);
});

// any option nothing else claimed (no Info text)
registerDissector('icmpv6.nd.opt.unknown', 'ICMPv6 ND option', (tvb, off, pinfo, tree, ctx: NdCtx) => {
  const n = tvb.end - off - 2;
  const it = tree ? ndOptionItem(tree, tvb, off, ND_OPT_NAMES[ctx.optType] ?? `Unknown (${ctx.optType})`) : null;
  if (n > 0) {
    const u = it ? it.add(hfNd.unknown, off + 2, n, tvb.bytes(off + 2, n)) : null;
    pinfo.addExpert('note', 'icmpv6.undecoded.option', 'Undecoded option', u, 'undecoded');
  }
});

registerFast('icmpv6.nd.opt.unknown', ALWAYS);
