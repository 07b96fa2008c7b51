// The Mobility Header (RFC 6275 6.1): the 6-octet header, the checksum with the
// MIPv6 pseudo-header rules, dispatch of the message body through table
// `mip6.mhtype`, and the mobility-option walker that feeds table `mip6.option`.
// Message layouts live in messages/*.ts; options in options/ (another module).
import { defineProtocol, fieldMaker } from '../../core/fields.js';
import { registerDissector, dissectFromTable, table, getHandle, perTables, type DissectFn, type Handle } from '../../core/tables.js';
import { registerFast, fastFromTable, fastFromKeys, type FastState } from '../../core/fast.js';
import { decodeLayout, type Layout, type Vals } from '../../core/layout.js';
import { registerPref } from '../../core/prefs.js';
import type { PacketInfo } from '../../core/packet.js';
import type { Item } from '../../core/tree.js';
import { Tvb } from '../../core/tvb.js';
import { ipv6Checksum } from '../inet_cksum.js';
import { IP_PROTO_NAMES } from '../ipproto.js';
import { MH_TYPE_NAMES, CSUM_STATUS } from './names.js';
import type { Mip6Info, Mip6Option, MhMessageCtx, MhOptionCtx } from './api.js';
import { BlockCache, useBlock } from '../../core/block.js';
import { eachTlv } from '../../core/tlv.js';

export const P = defineProtocol('mipv6', 'Mobile IPv6');
const F = fieldMaker('mipv6');
export const hf = {
  proto: F('mip6.proto', 'Payload protocol', 'uint8', { vals: IP_PROTO_NAMES }),
  hlen: F('mip6.hlen', 'Header length', 'uint8'),
  mhtype: F('mip6.mhtype', 'Mobility Header Type', 'uint8', { vals: MH_TYPE_NAMES }),
  reserved: F('mip6.reserved', 'Reserved', 'uint8', { base: 'hex' }),
  csum: F('mip6.csum', 'Checksum', 'uint16', { base: 'hex' }),
  csumStatus: F('mip6.csum.status', 'Checksum Status', 'uint8', { vals: CSUM_STATUS }),
  unknownData: F('mip6.unknown_type_data', 'Message Data', 'bytes'),
  // defined as the options module (optdefs.ts) defines them: one vocabulary
  pad1: F('mip6.options.pad1', 'MIPv6 Option - Pad1', 'bytes'),
  // raw view of an option when no option module is loaded
  optType: F('mip6.mobility_opt', 'Mobility Option', 'uint8'),
  optLen: F('mip6.mobility_opt.len', 'Length', 'uint8'),
  optRaw: F('mip6.mobility_opt.data', 'Option Data', 'bytes'),
};

// Profile for the MH 8-10 collision (spec section 3): LKE (default) or RFC 5568 FMIPv6.
registerPref({
  name: 'mip6.profile',
  def: 'lke',
  desc: 'Meaning of MH types 8-10: lke (Local Key Exchange, draft) or fmipv6 (RFC 5568 FBU/FBack/FNA)',
  choices: ['lke', 'fmipv6'],
});

table('mip6.mhtype', 'Mobility Header type');
table('mip6.option', 'Mobility option type');

const MH_HDR = 6;
const ZERO16 = Buffer.alloc(16);
// table keys built once, not per packet
const MH_KEYS: Array<[string, number]> = Array.from({ length: 256 }, (_, i) => [`heur:${i}`, i]);

/** Message name as tshark's Info shows it. */
export function mhTypeName(type: number): string {
  return MH_TYPE_NAMES[type] ?? `Unknown Mobility Header (${type})`;
}

const BLOCKS = new BlockCache(256);

function mhDissect(tvb: Tvb, off: number, pinfo: PacketInfo, tree: Item | null): void {
  const ip = pinfo.ip;
  const parent = ip?.item ?? tree;
  pinfo.layers.push('mipv6');
  pinfo.setProto('MIPv6');
  const type = tvb.has(off + 2, 1) ? tvb.buf[off + 2]! : -1;
  if (type >= 0) pinfo.setInfo(mhTypeName(type));
  const payloadLen = tvb.rend - off;
  const hlen = tvb.has(off + 1, 1) ? tvb.buf[off + 1]! : 0;
  const claimed = (hlen + 1) * 8;
  const mhEnd = Math.min(off + claimed, tvb.end);
  const src = ip?.src ?? ZERO16;
  const dst = ip?.dst ?? ZERO16;
  const hoa = ip?.hoa ?? null;
  const rh2 = ip?.rh2 ?? null;
  const mh: Mip6Info = {
    type, name: type >= 0 ? mhTypeName(type) : 'Mobility Header', offset: off,
    length: Math.max(0, mhEnd - off), buf: tvb.buf, hlen, proto: 0, csum: 0, csumOk: null,
    vals: {}, optionsOffset: mhEnd, options: [],
    // RFC 6275 6.1.1: HoA from the Home Address option, final destination from the RH2
    pseudoSrc: hoa ?? src, pseudoDst: rh2 ?? ip?.finalDst ?? dst,
    src, dst, hoa, rh2, protectedBy: ip?.protectedBy ?? null, malformed: false,
  };
  pinfo.data.mip6 = mh;
  let t: Item | null = null;
  if (parent) {
    t = parent.add(P, off, Math.max(0, mhEnd - off), null, 'Mobile IPv6');
    mh.item = t;
  }
  tvb.check(off, MH_HDR, 'Mobility Header');
  const proto = tvb.u8(off);
  const reserved = tvb.u8(off + 3);
  const csum = tvb.u16(off + 4);
  mh.proto = proto;
  mh.csum = csum;
  let csumItem: Item | null = null;
  if (t) {
    // the first four fields depend on their octets alone: shared while they repeat
    const b = BLOCKS.get(tvb.buf, off, 4, t.ds);
    if (b) useBlock(t, b);
    else {
      t.add(hf.proto, off, 1, proto);
      t.add(hf.hlen, off + 1, 1, hlen, (HLEN_TEXT[hlen] ??= `Header length: ${hlen} (${claimed} bytes)`));
      t.add(hf.mhtype, off + 2, 1, type);
      t.add(hf.reserved, off + 3, 1, reserved);
      BLOCKS.put(tvb.buf, off, 4, t.ds, t);
    }
    csumItem = t.add(hf.csum, off + 4, 2, csum);
  }
  // Checksum over the upper-layer length the IPv6 header claims (RFC 8200 8.1),
  // only when all of it was captured.
  let status = 2;
  if (ip && tvb.end === tvb.rend && payloadLen >= MH_HDR) {
    const want = ipv6Checksum(mh.pseudoSrc, mh.pseudoDst, 135, tvb.buf, off, payloadLen, off + 4);
    mh.csumExpected = want;
    mh.csumOk = want === csum;
    status = mh.csumOk ? 1 : 0;
    if (csumItem) csumItem.append(mh.csumOk ? ' [correct]' : ` [incorrect, should be 0x${want.toString(16).padStart(4, '0')}]`);
    if (!mh.csumOk) {
      pinfo.addExpert('error', 'mip6.checksum_bad', `Bad checksum [should be 0x${want.toString(16).padStart(4, '0')}]`, csumItem, 'checksum');
    }
  }
  if (t) t.add(hf.csumStatus, off + 4, 0, status).generated = true;

  let mtvb = tvb.limit(mhEnd, off + claimed);
  if (off + claimed > tvb.rend) {
    // Header Len claims more than the IPv6 payload holds: decode what is there
    mh.malformed = true;
    pinfo.malformed = true;
    pinfo.addExpert('error', 'mh.malformed', `Bogus header length: ${hlen} (${claimed} bytes) runs past the IPv6 payload (${payloadLen} bytes)`, t, 'malformed');
    mtvb = tvb.limit(tvb.end, tvb.rend);
  }
  const ctx: MhMessageCtx = { mh };
  const done = dissectFromTable(T_MIP6_MHTYPE, MH_KEYS[type]!, mtvb, off + MH_HDR, pinfo, t, ctx, null);
  if (!done) unknownType(mtvb, off + MH_HDR, pinfo, t, mh);
  // the message dissector rewrites Info: mark it afterwards
  if (mh.malformed && !pinfo.info.includes('[Malformed Packet]')) pinfo.appendInfo(' [Malformed Packet]');
}

/** An MH type no module claims: header plus raw message data, as tshark. */
function unknownType(tvb: Tvb, off: number, pinfo: PacketInfo, t: Item | null, mh: Mip6Info): void {
  mh.optionsOffset = tvb.end;
  const n = Math.max(0, tvb.end - off);
  if (t && n > 0) t.add(hf.unknownData, off, n, tvb.buf.subarray(off, off + n));
  // RFC 6275 9.2: a receiver answers an unknown type with Binding Error status 2
  pinfo.addExpert('warning', 'mh.malformed', `Unknown Mobility Header type ${mh.type}`, t, 'malformed');
}

export const mhHandle = registerDissector('mipv6', 'MIPv6', mhDissect, 'mh.malformed');
table('ipv6.nxt', 'IPv6 next header').add(135, mhHandle);
table('ip.proto', 'IP protocol').add(135, mhHandle);

// ---- the option walker ----

// Shown when no module handles an option (the options module registers
// 'mip6.option.unknown'; until it is loaded, this keeps the walker useful).
const rawOption = registerDissector('mip6.option.raw', 'MIPv6 option', (tvb, off, _pinfo, tree, data?: MhOptionCtx) => {
  const type = tvb.u8(off);
  const len = tvb.u8(off + 1);
  if (data) data.opt.name ??= `Mobility Option ${type}`;
  if (tree) {
    const it = tree.add(hf.optType, off, Math.min(2 + len, tvb.end - off), type, `MIPv6 Option - Unknown (${type})`);
    it.add(hf.optLen, off + 1, 1, len);
    const n = Math.min(len, Math.max(0, tvb.end - off - 2));
    if (n > 0) it.add(hf.optRaw, off + 2, n, tvb.buf.subarray(off + 2, off + 2 + n));
  }
  tvb.check(off + 2, len, `Mobility option ${type} data`);
}, 'mh.malformed');
// the fast path hands it only options that fit: nothing to flag
registerFast(rawOption.name, () => true);

/**
 * Walk the mobility options in [off, end) (end = the MH's end, tvb.rend or tvb.end). Pad1 is shown here;
 * every other option goes to table `mip6.option` with keys
 * [`${mhType}/${optType}`, `heur:${optType}`, optType]. A length past the message
 * is flagged (mh.malformed) and stops the walk; the rest of the packet goes on.
 */
export function walkOptions(tvb: Tvb, off: number, end: number, pinfo: PacketInfo, mhTree: Item | null, mh: Mip6Info): void {
  mh.optionsOffset = off;
  // claimed: where the message says it ends; captured: where the bytes stop
  // (an `end` at the captured end means "to the message end": callers may pass tvb.end)
  const claimedEnd = end >= tvb.end ? tvb.rend : end;
  const capEnd = Math.min(claimedEnd, tvb.end);
  if (off >= claimedEnd) return;
  const optTree = mhTree ? mhTree.addText('Mobility Options', off, Math.max(0, capEnd - off)) : null;
  if (optTree && claimedEnd === capEnd && plainOptions(tvb.buf, off, claimedEnd, mh.type)) {
    // options whose items depend on their octets alone (padding, RFC 6275's fixed
    // ones): shared while they repeat; the key holds the offset within the MH, which
    // the alignment rules look at
    const ctx = optTree.ds + 256 * (off - mh.offset);
    const b = OPT_BLOCKS.get(tvb.buf, off, claimedEnd - off, ctx);
    if (b) {
      walkOptionList(tvb, off, claimedEnd, capEnd, pinfo, null, mhTree, mh);
      useBlock(optTree, b);
      return;
    }
    const experts = pinfo.expert.length;
    walkOptionList(tvb, off, claimedEnd, capEnd, pinfo, optTree, mhTree, mh);
    if (pinfo.expert.length === experts && !mh.malformed) OPT_BLOCKS.put(tvb.buf, off, claimedEnd - off, ctx, optTree);
    return;
  }
  walkOptionList(tvb, off, claimedEnd, capEnd, pinfo, optTree, mhTree, mh);
}

const OPT_BLOCKS = new BlockCache(256);
// the option dissectors whose items are a function of the option's octets and its offset
const PLAIN_OPTIONS = new Set(['mip6.opt.padn', 'mip6.opt.bra', 'mip6.opt.acoa', 'mip6.opt.ni']);

const isPlain = (type: number): boolean => PLAIN_OPTIONS.has(T_MIP6_OPTION.get(type)?.name ?? '');

/** [off, end) is a whole list of Pad1 and plain options, each taken by its usual dissector */
function plainOptions(buf: Buffer, off: number, end: number, mhType: number): boolean {
  return eachOrdinaryOption(buf, off, end, mhType, isPlain, null);
}

/**
 * Walk a list of options that all fit, where only each option's plain type key
 * has a dissector (no per-MH-type or heuristic claimant); `ok(type, off, end, ctx)`
 * must accept every option but Pad1. The summary fast path and the option blocks use it.
 */
function eachOrdinaryOption<C>(buf: Buffer, off: number, end: number, mhType: number, ok: (type: number, off: number, end: number, ctx: C) => boolean, ctx: C): boolean {
  return eachTlv(buf, off, end, (type, o, optEnd) => plainKeyOnly(mhType, type) && ok(type, o, optEnd, ctx), null);
}

/** neither the "mh/opt" nor the "heur:opt" key of this option has a dissector */
function plainKeyLookup(mhType: number, type: number): boolean {
  const keys = optionKeys(mhType, type);
  return !T_MIP6_OPTION.get(keys[0]!) && !T_MIP6_OPTION.get(keys[1]!);
}

// plainKeyLookup per (MH type, option type): 1 yes, 0 no, -1 not yet known;
// made afresh when the tables change
const plainKeys = perTables(() => new Int8Array(256 * 256).fill(-1));

function plainKeyOnly(mhType: number, type: number): boolean {
  if (mhType < 0 || mhType > 255) return plainKeyLookup(mhType, type);
  const a = plainKeys();
  const i = (mhType << 8) | type;
  if (a[i]! < 0) a[i] = plainKeyLookup(mhType, type) ? 1 : 0;
  return a[i] === 1;
}

// the unknown-option dissector when a module registered one, else the raw one
const optionFallback = perTables(() => (getHandle('mip6.option.unknown') ? 'mip6.option.unknown' : rawOption.name));

function walkOptionList(tvb: Tvb, off: number, claimedEnd: number, capEnd: number, pinfo: PacketInfo, optTree: Item | null, mhTree: Item | null, mh: Mip6Info): void {
  const fallback = optionFallback();
  const buf = tvb.buf;
  while (off < claimedEnd) {
    // cut by the snap length: a truncation mark, not a malformed packet
    if (off >= capEnd) tvb.fail(off, 1, 'Mobility option');
    const type = buf[off]!;
    if (type === 0) {
      mh.options.push({ type: 0, off, len: 0, vals: {}, name: 'Pad1' });
      optTree?.add(hf.pad1, off, 1, buf.subarray(off, off + 1), 'MIPv6 Option - Pad1');
      off += 1;
      continue;
    }
    if (off + 2 > claimedEnd) {
      mh.options.push({ type, off, len: 0, vals: {}, malformed: true });
      flagOption(pinfo, optTree ?? mhTree, mh, `Mobility option ${type}: no room for its length octet`);
      break;
    }
    if (off + 2 > capEnd) tvb.fail(off, 2, 'Mobility option');
    const len = buf[off + 1]!;
    const optEnd = off + 2 + len;
    const o: Mip6Option = { type, off, len, vals: {} };
    mh.options.push(o);
    const ctx: MhOptionCtx = { mh, opt: o };
    const keys = optionKeys(mh.type, type);
    if (optEnd > claimedEnd) {
      o.malformed = true;
      flagOption(pinfo, optTree ?? mhTree, mh, `Mobility option ${type}: length ${len} runs past the end of the message (${claimedEnd - off - 2} octets left)`);
      // shown as far as it parses, then the walk stops
      dissectFromTable(T_MIP6_OPTION, keys, tvb.limit(capEnd, claimedEnd), off, pinfo, optTree, ctx, fallback);
      break;
    }
    dissectFromTable(T_MIP6_OPTION, keys, tvb.limit(optEnd, optEnd), off, pinfo, optTree, ctx, fallback);
    if (optEnd > capEnd) break; // the option dissector marked the truncation
    off = optEnd;
  }
}

// option table keys per (MH type, option type), built once on first use
const OPT_KEYS: Array<Array<Array<string | number>> | undefined> = [];
function optionKeys(mhType: number, type: number): Array<string | number> {
  if (mhType < 0 || mhType > 255) return [`${mhType}/${type}`, `heur:${type}`, type];
  const row = (OPT_KEYS[mhType] ??= []);
  return (row[type] ??= [`${mhType}/${type}`, `heur:${type}`, type]);
}

function flagOption(pinfo: PacketInfo, item: Item | null, mh: Mip6Info, msg: string): void {
  mh.malformed = true;
  pinfo.malformed = true;
  pinfo.addExpert('error', 'mh.malformed', msg, item, 'malformed');
  if (!pinfo.info.includes('[Malformed Packet]')) pinfo.appendInfo(' [Malformed Packet]');
}

// ---- message dissectors from layout tables ----

export interface MessageSpec {
  /** message name (Info and subtree); a function when it depends on a field (Binding Revocation) */
  name: string | ((v: Vals) => string);
  /** the fixed fields after the 6-octet header */
  layout: Layout;
  /** subtree label when it differs from the Info name (tshark: "Fast Binding Acknowledgement" vs "...Acknowledgment") */
  treeName?: string;
  /** fields directly under the MH item (tshark's BRR, FNA, Experimental) instead of a named subtree */
  flat?: boolean;
  /** mobility options follow the fixed part (default true) */
  options?: boolean;
  /** text appended to the message name in Info (tshark shows only the name) */
  info?: (v: Vals) => string;
  /** label values by field abbrev (e.g. lifetimes in 4-second units) */
  labels?: Record<string, (v: any) => string>;
  /** Protocol column when it is not "MIPv6" (tshark says "NEMO" for a BU/BA with the R flag) */
  proto?: (v: Vals) => string | undefined;
  /** variable part after the fixed layout (address lists, type-dependent fields); returns the next offset */
  more?: (tvb: Tvb, off: number, v: Vals, sub: Item | null) => number;
}

/** "Header length: 1 (16 bytes)" by header length, made once */
const HLEN_TEXT: string[] = [];

/** Build a `mip6.mhtype` dissector from a layout table. */
export function messageDissector(spec: MessageSpec): DissectFn {
  const labels = spec.labels ? Object.entries(spec.labels) : null;
  // the spec's members as constants (see fastMessage: loads from the many spec shapes were megamorphic)
  const { flat, layout, more, treeName, info, proto: protoOf } = spec;
  const specName = spec.name;
  const withOptions = spec.options !== false;
  const fixedLen = fixedLength(layout);
  return (tvb, off, pinfo, tree, data?: MhMessageCtx) => {
    const mh = data?.mh ?? (pinfo.data.mip6 as Mip6Info);
    const v = mh.vals;
    let sub: Item | null = null;
    if (tree) sub = flat ? tree : tree.addText(typeof specName === 'string' ? specName : mhTypeName(mh.type), off, 0);
    let next: number;
    try {
      next = decodeLayout(tvb, off, layout, v, sub);
      if (more) next = more(tvb, next, v, sub);
    } finally {
      const name = typeof specName === 'string' ? specName : specName(v);
      mh.name = name;
      pinfo.setInfo(name);
      if (sub && !flat) {
        sub.text = treeName ?? name;
        sub.setLength(Math.max(0, Math.min(tvb.end, off + fixedLen) - off));
        if (sub.children?.length) {
          const last = sub.children[sub.children.length - 1]!;
          sub.setLength(Math.max(sub.length, last.offset + last.length - off));
        }
      }
    }
    if (sub && labels && sub.children) {
      const kids = sub.children;
      // shared flag items (core/block.ts) are never relabelled: they are frozen
      const b0 = sub.block ? sub.blockAt : kids.length;
      const b1 = sub.block ? b0 + sub.block.items.length : kids.length;
      for (let i = 0; i < kids.length; i++) {
        const c = kids[i]!;
        if (c.field === null || (i >= b0 && i < b1)) continue;
        // a short list compared by name: a keyed load on each spec's own labels object was megamorphic
        const a = c.field.abbrev;
        for (let j = 0; j < labels.length; j++) {
          if (labels[j]![0] === a) {
            c.text = `${c.field.name}: ${labels[j]![1](c.value)}`;
            break;
          }
        }
      }
    }
    if (info) pinfo.setInfo(mh.name + info(v));
    if (protoOf) {
      const proto = protoOf(v);
      if (proto) pinfo.setProto(proto);
    }
    mh.optionsOffset = next;
    if (withOptions) walkOptions(tvb, next, tvb.rend, pinfo, tree, mh);
    return true;
  };
}

function fixedLength(layout: Layout): number {
  let n = 0;
  for (const e of layout) n += e.w ?? 0;
  return n;
}

const T_MIP6_MHTYPE = table('mip6.mhtype');
const T_MIP6_OPTION = table('mip6.option');
/** Register a layout-driven message under `keys` of table `mip6.mhtype`. */
export function registerMessage(handleName: string, spec: MessageSpec, keys: Array<number | string>): Handle {
  const h = registerDissector(handleName, 'MIPv6', messageDissector(spec), 'mh.malformed');
  registerFast(handleName, fastMessage(spec));
  for (const k of keys) table('mip6.mhtype').add(k, h);
  return h;
}

// ---- summary fast path (core/fast.ts) ----

/**
 * The MH: its header, then table `mip6.mhtype` as mhDissect dispatches it. Only
 * an MH that fills the IPv6 payload exactly, with no heuristic claimant for its
 * type, is ordinary.
 */
registerFast('mipv6', (off, end, st) => {
  const buf = st.buf;
  if (end - off < MH_HDR || off + (buf[off + 1]! + 1) * 8 !== end) return false;
  const type = buf[off + 2]!;
  st.proto = 'MIPv6';
  // a heuristic claimant (CBU at heur:11) decides first, as in mhDissect; most
  // types have none, and one numeric lookup serves
  return heurTypes()[type] === 1 ? fastFromKeys(T_MIP6_MHTYPE, MH_KEYS[type]!, off, end, st) : fastFromTable(T_MIP6_MHTYPE, type, off, end, st);
});

// which MH types have a heuristic entry ('heur:N'), made again when the tables change
const heurTypes = perTables(() => Uint8Array.from({ length: 256 }, (_, i) => (T_MIP6_MHTYPE.get(MH_KEYS[i]![0]) ? 1 : 0)));

/** The fast variant of a layout-driven message: the same table, name, info and proto functions. */
function fastMessage(spec: MessageSpec) {
  // without a variable part the layout sets the same values in the same order
  // every time: one object serves every packet (nothing from an earlier one is left)
  const shared: Vals | null = spec.more ? null : {};
  const tvb = new Tvb(Buffer.alloc(0), 0, 0);
  // the spec's members as constants: every message's variant is the same code, and
  // loads from ~30 spec objects of different shapes were megamorphic there
  const { layout, more, name: specName, info, proto: protoOf } = spec;
  const withOptions = spec.options !== false;
  return (off: number, end: number, st: FastState): boolean => {
    const v: Vals = shared ?? {};
    let next: number;
    try {
      next = decodeLayout(tvb.at(st.buf, end), off + MH_HDR, layout, v, null);
      if (more) next = more(tvb, next, v, null);
    } catch {
      return false;
    }
    const name = typeof specName === 'string' ? specName : specName(v);
    st.info = info ? name + info(v) : name;
    if (protoOf) {
      const proto = protoOf(v);
      if (proto) st.proto = proto;
    }
    return !withOptions || fastOptions(st, next, end, st.buf[off + 2]!);
  };
}

/**
 * Every option is ordinary: it fits, and the dissector that walkOptionList would
 * give it (by its keys, in order) has a fast variant that takes it.
 */
function fastOptions(st: FastState, off: number, end: number, mhType: number): boolean {
  fastMhType = mhType;
  return eachTlv(st.buf, off, end, fastOption, st);
}

// the MH type of the option list fastOptions walks (no closure made per packet;
// option variants never walk another MH's options)
let fastMhType = 0;

function fastOption(type: number, off: number, end: number, st: FastState): boolean {
  // most options have only their plain key: one lookup
  const h = plainKeyOnly(fastMhType, type) ? T_MIP6_OPTION.get(type) : undefined;
  if (h !== undefined) return h.fast !== undefined && h.fast(off, end, st);
  return fastFromKeys(T_MIP6_OPTION, optionKeys(fastMhType, type), off, end, st, getHandle(optionFallback()));
}
