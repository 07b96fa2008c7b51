// Mobility options as data: one OptionDef per option type (RFC layout, length
// and alignment rules) turned into a dissector registered in table `mip6.option`.
// The MH walker (mh.ts) hands each option a tvb that ends where the option ends,
// the offset of its type octet and an MhOptionCtx {mh, opt}.
import { fieldMaker, type Field } from '../../core/fields.js';
import { decodeLayout, layoutFits, layoutMaker, type Layout, type Vals } from '../../core/layout.js';
import { registerDissector, table, type Handle } from '../../core/tables.js';
import { registerFast } from '../../core/fast.js';
import { BoundsError, Tvb } from '../../core/tvb.js';
import { PacketInfo, type RawPacket } from '../../core/packet.js';
import type { Item } from '../../core/tree.js';
import type { MhOptionCtx, Mip6Info, Mip6Option } from './api.js';

export const L = layoutMaker('mipv6');
export const F = fieldMaker('mipv6');

/** Option type names: tshark 4.0's where it has one, the IANA registry's otherwise. */
export const OPTION_NAMES: Record<number, string> = {
  0: 'Pad1', 1: 'PadN', 2: 'Binding Refresh Advice', 3: 'Alternate Care-of Address',
  4: 'Nonce Indices', 5: 'Authorization Data', 6: 'Mobile Network Prefix',
  7: 'Mobility Header Link-Layer Address', 8: 'Mobile Node Identifier', 9: 'AUTH', 10: 'MESG-ID',
  11: 'CGA Parameters Request', 12: 'CGA Parameters', 13: 'Signature', 14: 'Permanent Home Keygen Token',
  15: 'Care-of Test Init', 16: 'Care-of Test', 17: 'DNS-UPDATE-TYPE', 18: 'Experimental',
  19: 'Vendor Specific', 20: 'Service Selection', 21: 'Binding Authorization Data for FMIPv6 (BADF)',
  22: 'Home Network Prefix', 23: 'Handoff Indicator', 24: 'Access Technology Type',
  25: 'Mobile Node Link-layer Identifier', 26: 'Link-local Address', 27: 'Timestamp', 28: 'Restart Counter',
  29: 'IPv4 Home Address', 30: 'IPv4 Address Acknowledgement', 31: 'NAT Detection', 32: 'IPv4 Care-of Address',
  33: 'GRE Key', 34: 'Mobility Header IPv6 Address/Prefix', 35: 'Binding Identifier',
  36: 'IPv4 Home Address Request', 37: 'IPv4 Home Address Reply', 38: 'IPv4 Default-Router Address',
  39: 'IPv4 DHCP Support Mode', 40: 'Context Request', 41: 'Local Mobility Anchor Address',
  42: 'Mobile Node Link-local Address Interface Identifier', 43: 'Transient Binding', 44: 'Flow Summary',
  45: 'Flow Identification', 46: 'Redirect-Capability', 47: 'Redirect', 48: 'Load Information',
  49: 'Alternate IPv4 Care-of Address', 50: 'Mobile Node Group Identifier', 51: 'MAG IPv6 Address',
  52: 'Access Network Identifier', 53: 'IPv4 Traffic Offload Selector', 54: 'Dynamic IP Multicast Selector',
  55: 'Delegated Mobile Network Prefix', 56: 'Active Multicast Subscription IPv4',
  57: 'Active Multicast Subscription IPv6', 58: 'Quality-of-Service', 59: 'LMA User-Plane Address',
  60: 'Multicast Mobility', 61: 'Multicast Acknowledgement', 62: 'LMA-Controlled MAG Parameters',
  63: 'MAG Multipath-Binding', 64: 'MAG Identifier', 65: 'Anchored Prefix', 66: 'Local Prefix',
  67: 'Previous MAAR', 68: 'Serving MAAR', 69: 'DLIF Link-Local Address', 70: 'DLIF Link-Layer Address',
};

export const hf = {
  type: F('mip6.mobility_opt', 'Mobility Option', 'uint8', { vals: OPTION_NAMES }),
  len: F('mip6.mobility_opt.len', 'Length', 'uint8'),
  data: F('mip6.mobility_opt.data', 'Option Data', 'bytes', { desc: 'value of an option this tool does not decode' }),
  pad1: F('mip6.options.pad1', 'MIPv6 Option - Pad1', 'bytes'),
};

/** Length rule on the Length octet (octets after Type and Length). */
export interface LenRule {
  /** allowed exact values */
  eq?: number[];
  min?: number;
  max?: number;
}

/** What a custom decoder gets: the option's tvb, where its value starts and ends, its item. */
export interface OptCtx {
  tvb: Tvb;
  /** offset of the type octet */
  off: number;
  /** offset of the first value octet (off + 2) */
  voff: number;
  /** claimed end of the option (voff + Length); the tvb may end earlier */
  end: number;
  len: number;
  vals: Vals;
  item: Item | null;
  pinfo: PacketInfo;
  opt: Mip6Option;
  /** the message (absent when called without the MH walker, e.g. decode-as tests) */
  mh?: Mip6Info;
  def: OptionDef;
}

/** Mark the option, the message and the packet malformed: error mh.malformed and the Info mark. */
export function flagMalformed(pinfo: PacketInfo, opt: Mip6Option, mh: Mip6Info | undefined, msg: string, item: Item | null): void {
  opt.malformed = true;
  if (mh) mh.malformed = true;
  pinfo.malformed = true;
  pinfo.addExpert('error', 'mh.malformed', msg, item, 'malformed');
  if (!pinfo.info.includes('[Malformed Packet]')) pinfo.appendInfo(' [Malformed Packet]');
}

export interface OptionDef {
  type: number;
  /** option item abbreviation suffix: mip6.options.<short> */
  short: string;
  /** text after "MIPv6 Option - " when tshark's label differs from the type name */
  label?: string;
  rfc: string;
  len?: LenRule;
  /** alignment of the type octet relative to the MH start: [n, k] means n*x + k */
  align?: [number, number];
  /** fixed value fields, decoded from voff */
  layout?: Layout;
  /** custom decoding after (or instead of) the layout */
  decode?: (c: OptCtx) => void;
  /** text appended to the option label (tshark style "Name: value"), tree only */
  summary?: (v: Vals) => string | undefined;
}

export const defs = new Map<number, OptionDef>();

export function lenRuleText(r: LenRule): string {
  if (r.eq) return r.eq.join(' or ');
  if (r.max !== undefined) return `${r.min ?? 0} to ${r.max}`;
  return `at least ${r.min ?? 0}`;
}

function lenOk(r: LenRule, n: number): boolean {
  if (r.eq && !r.eq.includes(n)) return false;
  if (r.min !== undefined && n < r.min) return false;
  if (r.max !== undefined && n > r.max) return false;
  return true;
}

/** Register an option: its field, its dissector, its table entry. */
export function defineOption(def: OptionDef): Handle {
  const name = OPTION_NAMES[def.type] ?? `Option ${def.type}`;
  const label = 'MIPv6 Option - ' + (def.label ?? name);
  const of = F('mip6.options.' + def.short, label, 'bytes', { desc: `${name} (${def.rfc})` });
  defs.set(def.type, def);
  // the def's members as constants: every option's dissector and fast variant is
  // the same code, and loads from ~70 def objects of different shapes were megamorphic there
  const { len: rule, align, layout, decode, summary, type } = def;
  const h = registerDissector('mip6.opt.' + def.short, 'MIPv6', (tvb, off, pinfo, tree, data?: MhOptionCtx) => {
    const len = tvb.u8(off + 1);
    const opt: Mip6Option = data?.opt ?? { type, off, len, vals: {} };
    opt.name = name;
    const voff = off + 2;
    const end = voff + len;
    const avail = Math.min(end, tvb.end) - off;
    let item: Item | null = null;
    if (tree) {
      item = tree.add(of, off, avail, tvb.buf.subarray(off, off + avail), label);
      item.add(hf.len, off + 1, 1, len);
    }
    let flagged = false;
    if (rule && !lenOk(rule, len)) {
      flagged = true;
      const li = item?.children?.[0] ?? item;
      flagMalformed(pinfo, opt, data?.mh, `${name} (with option length = ${len} bytes; should be ${lenRuleText(rule)})`, li);
    }
    if (align && data?.mh) {
      const rel = off - data.mh.offset;
      const [n, k] = align;
      if (rel % n !== k) {
        pinfo.addExpert('note', 'mh.option_alignment', `${name} option at offset ${rel} of the Mobility Header breaks its ${k ? `${n}n+${k}` : `${n}n`} alignment (${def.rfc})`, item, 'protocol');
      }
    }
    const ctx: OptCtx = { tvb: tvb.limit(end), off, voff, end, len, vals: opt.vals, item, pinfo, opt, mh: data?.mh, def };
    try {
      if (layout) decodeLayout(ctx.tvb, voff, layout, opt.vals, item);
      if (decode) decode(ctx);
      // a value cut by the capture or by the message end: flagged here (truncated or malformed)
      if (end > ctx.tvb.end) ctx.tvb.check(voff, len, `${name} option value`);
    } catch (e) {
      // a wrong length was flagged already: show what parsed and stop quietly;
      // a cut capture (truncated) or an unflagged overrun goes to callDissector
      if (!(e instanceof BoundsError) || e.truncated || !flagged) {
        if (e instanceof BoundsError && !e.truncated) {
          opt.malformed = true;
          if (data?.mh) data.mh.malformed = true;
        }
        throw e;
      }
    }
    if (item && summary) {
      const s = summary(opt.vals);
      if (s) item.text = label + ': ' + s;
    }
  }, 'mh.malformed');
  table('mip6.option', 'Mobility option type').add(def.type, h);
  // summary fast path (core/fast.ts): a right length, a layout that decodes and a
  // decoder that flags nothing (it reports into a scratch PacketInfo, never shown)
  const fastVals: Vals = {};
  registerFast(h.name, (off, end, st) => {
    const len = end - off - 2;
    if (rule && !lenOk(rule, len)) return false;
    if (!layout && !decode) return true;
    // a layout alone sets the same values in the same order every time: one object serves
    if (!decode) return layoutFits(FAST_TVB.at(st.buf, end), off + 2, layout!, fastVals);
    const opt: Mip6Option = { type, off, len, vals: {} };
    const tvb = FAST_TVB.at(st.buf, end);
    try {
      if (layout) decodeLayout(tvb, off + 2, layout, opt.vals, null);
      const pinfo = scratchPinfo(st.raw);
      decode({ tvb, off, voff: off + 2, end, len, vals: opt.vals, item: null, pinfo, opt, def });
      if (pinfo.malformed) return false;
      return !opt.malformed;
    } catch {
      return false;
    }
  });
  return h;
}

// One PacketInfo whose marks nobody shows, made fresh in place for each option a
// fast variant decodes (option decoders report into it): a new one per option
// was most of the summary's allocation on packets with options.
let scratch: PacketInfo | null = null;
function scratchPinfo(raw: RawPacket): PacketInfo {
  const p = scratch;
  if (p === null || p.expert.length > 64) return (scratch = new PacketInfo(0, raw));
  p.raw = raw;
  p.info = '';
  p.proto = '';
  p.malformed = false;
  p.truncated = false;
  p.expert.length = 0;
  p.layers.length = 0;
  p.ipStack.length = 0;
  p.ip = null;
  p.sources.length = 0;
  for (const _ in p.data) {
    p.data = Object.create(null);
    break;
  }
  return p;
}

// the bounds-checked view of a fast variant's option, reused (decoders only read through it)
const FAST_TVB = new Tvb(Buffer.alloc(0), 0, 0);

/** Add one item (and its value to vals) — for custom decoders. */
export function put(c: OptCtx, f: Field, off: number, w: number, v: unknown, parent: Item | null = c.item): Item | null {
  c.vals[f.abbrev] = v;
  return parent ? parent.add(f, off, w, v) : null;
}

/**
 * Walk a nested type-length-value list (ANI sub-options, Flow Identification
 * sub-options, QoS attributes, ...) from `off` to `c.end`, bounds-checked.
 * `pad1Type` names a one-octet pad type (no length octet) when the registry has one.
 * `each` decodes the value of one element; it gets the element's item.
 */
export function walkTlv(
  c: OptCtx, off: number,
  spec: { text: (t: number, l: number) => string; container?: Field; type: Field; len: Field; data: Field; pad1Type?: number },
  each?: (t: number, voff: number, l: number, it: Item | null, sub: Vals) => void,
): void {
  const tvb = c.tvb;
  while (off < c.end) {
    const t = tvb.u8(off);
    if (spec.pad1Type !== undefined && t === spec.pad1Type) {
      off += 1;
      continue;
    }
    const l = tvb.u8(off + 1);
    const voff = off + 2;
    const avail = Math.min(voff + l, tvb.end) - off;
    let it: Item | null = null;
    if (c.item) {
      it = spec.container
        ? c.item.add(spec.container, off, avail, null, spec.text(t, l))
        : c.item.addText(spec.text(t, l), off, avail);
      it.add(spec.type, off, 1, t);
      it.add(spec.len, off + 1, 1, l);
    }
    const sub: Vals = {};
    sub[spec.type.abbrev] = t;
    sub[spec.len.abbrev] = l;
    if (voff + l > c.end) {
      flagMalformed(c.pinfo, c.opt, c.mh, `${c.opt.name}: sub-option ${t} (length ${l}) runs past the option's end`, it);
      if (it) it.add(spec.data, voff, Math.max(0, Math.min(c.end, tvb.end) - voff), tvb.buf.subarray(voff, Math.max(voff, Math.min(c.end, tvb.end))));
      return;
    }
    tvb.check(voff, l, 'sub-option value');
    if (each) each(t, voff, l, it, sub);
    else if (it && l) it.add(spec.data, voff, l, tvb.buf.subarray(voff, voff + l));
    // each key's first value goes to the option's vals (repeats stay in the tree)
    for (const k in sub) if (!(k in c.vals)) c.vals[k] = sub[k];
    off = voff + l;
  }
}

/** Decode a layout under a sub-element item. */
export function subLayout(c: OptCtx, off: number, layout: Layout, sub: Vals, it: Item | null): number {
  return decodeLayout(c.tvb, off, layout, sub, it);
}
