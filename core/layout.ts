// Field layouts as data (Scapy's field lists, Wireshark's hf arrays): one table per
// message drives decoding, the tree, JSON and filter names. `decodeLayout` checks
// bounds before each field and names the field that runs past the data.
import { fieldMaker, type Field, type FT } from './fields.js';
import type { Tvb } from './tvb.js';
import type { Item } from './tree.js';
import { BlockCache, useBlock } from './block.js';

export type Vals = Record<string, unknown>;

export interface LEntry {
  /** the field added to the tree (absent for an anonymous flags container) */
  f?: Field;
  /** fixed width in octets */
  w?: number;
  /** variable width: computed from earlier values and the octets remaining */
  len?: (vals: Vals, remaining: number) => number;
  /** masked sub-fields sharing these octets (Wireshark's bitfields) */
  bits?: Field[];
  /** decode but keep out of the tree (e.g. reserved octets tshark does not show) */
  hidden?: boolean;
  /** a variable-length field of zero octets is not shown (tshark omits an empty PadN) */
  omitEmpty?: boolean;
  /** shared items of this entry's flags by octets (core/block.ts), made on first use */
  blocks?: BlockCache;
}

export type Layout = LEntry[];

const FIXED: Partial<Record<FT, number>> = {
  uint8: 1, uint16: 2, uint24: 3, uint32: 4, int32: 4, uint64: 8, ipv6: 16, ipv4: 4, ether: 6, bool: 1,
};

export function readValue(tvb: Tvb, f: Field, off: number, w: number): unknown {
  switch (f.type) {
    case 'uint8': case 'bool': return w === 1 ? tvb.u8(off) : w === 2 ? tvb.u16(off) : w === 4 ? tvb.u32(off) : tvb.u24(off);
    case 'uint16': return tvb.u16(off);
    case 'uint24': return tvb.u24(off);
    case 'uint32': return tvb.u32(off);
    case 'int32': return tvb.u32(off) | 0;
    case 'uint64': return tvb.u64(off);
    default: return tvb.bytes(off, w, f.name);
  }
}

function readContainer(tvb: Tvb, off: number, w: number): number {
  return w === 1 ? tvb.u8(off) : w === 2 ? tvb.u16(off) : w === 3 ? tvb.u24(off) : tvb.u32(off);
}

/** Apply a mask and shift: the value Wireshark stores for a bitfield. */
export function maskValue(container: number, mask: number): number {
  // containers are at most 32 bits: the lowest set bit gives the shift (mask 0: none)
  const low = mask & -mask;
  return ((container & mask) >>> (low === 0 ? 0 : 31 - Math.clz32(low)));
}

/**
 * Decode `layout` at `off`, storing values in `vals` (by field abbrev) and adding
 * items under `tree` when a tree is wanted. Returns the offset after the last field.
 */
export function decodeLayout(tvb: Tvb, off: number, layout: Layout, vals: Vals, tree: Item | null | undefined): number {
  // without a tree (summary, filters, analysis) a decoder compiled for this layout
  // does the same; a layout is compiled on its second use (a one-off array is not worth it)
  if (!tree) {
    const fn = (layout as CompiledLayout)[COMPILED];
    if (fn !== undefined) return fn(tvb, off, vals);
    if (usedOnce.has(layout)) return compiled(layout)(tvb, off, vals);
    usedOnce.add(layout);
  }
  const buf = tvb.buf;
  for (let i = 0; i < layout.length; i++) {
    const e = layout[i]!;
    const w = e.w ?? (e.len ? e.len(vals, tvb.end - off) : 0);
    // the field's name is looked up only when it runs past the data
    if (off < 0 || w < 0 || off + w > tvb.end) tvb.fail(off, w, e.f?.name ?? e.bits?.[0]?.name);
    // [off, off + w) is checked: read integers straight from the buffer
    if (e.bits) {
      const c = w === 1 ? buf[off]! : w === 2 ? (buf[off]! << 8) | buf[off + 1]! : w === 3 ? (buf[off]! << 16) | (buf[off + 1]! << 8) | buf[off + 2]!
        : w === 4 ? ((buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!) >>> 0 : readContainer(tvb, off, w);
      const bits = e.bits;
      // a flags word's items depend on its octets alone: shared while they repeat
      const share = tree && !e.hidden && tree.block === null && bits.length >= 3;
      const blk = share ? (e.blocks ??= new BlockCache(16)).get(buf, off, w, tree.ds) : null;
      let parent = blk ? null : tree;
      const from = share && tree.children ? tree.children.length : 0;
      if (e.f) {
        vals[e.f.abbrev] = c;
        if (parent && !e.hidden) parent = parent.add(e.f, off, w, c);
      }
      for (let j = 0; j < bits.length; j++) {
        const b = bits[j]!;
        const m = b.mask ? maskValue(c, b.mask) : c;
        const v = b.type === 'bool' ? m !== 0 : m;
        vals[b.abbrev] = v;
        if (parent && !e.hidden) parent.add(b, off, w, v);
      }
      if (blk) useBlock(tree!, blk);
      else if (share) e.blocks!.put(buf, off, w, tree.ds, tree, from);
    } else if (e.f) {
      const f = e.f;
      let v: unknown;
      switch (f.type) {
        case 'uint8': case 'bool':
          v = w === 1 ? buf[off]! : w === 2 ? (buf[off]! << 8) | buf[off + 1]! : readValue(tvb, f, off, w);
          break;
        case 'uint16':
          v = w >= 2 ? (buf[off]! << 8) | buf[off + 1]! : readValue(tvb, f, off, w);
          break;
        case 'uint32':
          v = w >= 4 ? ((buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!) >>> 0 : readValue(tvb, f, off, w);
          break;
        default:
          v = readValue(tvb, f, off, w);
      }
      vals[f.abbrev] = v;
      if (tree && !e.hidden && !(e.omitEmpty && w === 0)) tree.add(f, off, w, v);
    }
    off += w;
  }
  return off;
}

/** Builders bound to one protocol, so a message table reads like a field list. */
export function layoutMaker(proto: string) {
  const F = fieldMaker(proto);
  const fixed = (type: FT) => (abbrev: string, name: string, extra: Partial<Field> = {}): LEntry => {
    const f = F(abbrev, name, type, extra);
    return { f, w: FIXED[type] ?? 0 };
  };
  type BitSpec = [abbrev: string, name: string, mask: number, extra?: Partial<Field>];
  const flags = (bytes: number) => (container: [string, string, Partial<Field>?] | null, subs: BitSpec[]): LEntry => {
    const bits = subs.map(([a, n, mask, extra]) => {
      const oneBit = (mask & (mask - 1)) === 0;
      return F(a, n, oneBit ? 'bool' : bytes === 1 ? 'uint8' : bytes === 2 ? 'uint16' : bytes === 3 ? 'uint24' : 'uint32', { mask, bits: bytes * 8, ...extra });
    });
    const f = container ? F(container[0], container[1], bytes === 1 ? 'uint8' : bytes === 2 ? 'uint16' : bytes === 3 ? 'uint24' : 'uint32', { base: 'hex', ...container[2] }) : undefined;
    return { f, w: bytes, bits };
  };
  return {
    F,
    u8: fixed('uint8'), u16: fixed('uint16'), u24: fixed('uint24'), u32: fixed('uint32'), u64: fixed('uint64'),
    ipv6: fixed('ipv6'), ipv4: fixed('ipv4'), ether: fixed('ether'),
    bytes: (abbrev: string, name: string, len: number | 'rest' | ((v: Vals, rem: number) => number), extra: Partial<Field> = {}): LEntry => {
      const f = F(abbrev, name, 'bytes', extra);
      return typeof len === 'number' ? { f, w: len } : { f, len: len === 'rest' ? (_v, rem) => Math.max(0, rem) : len };
    },
    string: (abbrev: string, name: string, len: number | 'rest' | ((v: Vals, rem: number) => number), extra: Partial<Field> = {}): LEntry => {
      const f = F(abbrev, name, 'string', extra);
      return typeof len === 'number' ? { f, w: len } : { f, len: len === 'rest' ? (_v, rem) => Math.max(0, rem) : len };
    },
    flags8: flags(1), flags16: flags(2), flags24: flags(3), flags32: flags(4),
    hidden: (e: LEntry): LEntry => ({ ...e, hidden: true }),
  };
}

// ---- no-tree decoding compiled per layout ----
// The same reads, checks and values as decodeLayout's loop, as straight-line code
// with the field names as literals: V8 then stores each value through a
// monomorphic property access instead of a generic keyed one, and no per-entry
// branching is left. Compiled once per layout table, on first use.

type Compiled = (tvb: Tvb, off: number, vals: Vals) => number;
// kept on the layout array itself: one property load per call instead of a WeakMap lookup
const COMPILED = Symbol('compiled decoder');
type CompiledLayout = Layout & { [COMPILED]?: Compiled };
const usedOnce = new WeakSet<Layout>();

function compiled(layout: Layout): Compiled {
  const l = layout as CompiledLayout;
  return (l[COMPILED] ??= compileLayout(layout));
}

const read = (w: number): string =>
  w === 1 ? 'buf[off]' : w === 2 ? '((buf[off] << 8) | buf[off + 1])' : w === 3 ? '((buf[off] << 16) | (buf[off + 1] << 8) | buf[off + 2])'
    : '(((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0)';

function compileLayout(layout: Layout): Compiled {
  const lines: string[] = ['const buf = tvb.buf; const end = tvb.end; let w = 0, c = 0;'];
  const k = (s: string) => JSON.stringify(s);
  layout.forEach((e, i) => {
    const name = e.f?.name ?? e.bits?.[0]?.name;
    lines.push(e.w !== undefined ? `w = ${e.w};` : e.len ? `w = L[${i}].len(vals, end - off);` : 'w = 0;');
    lines.push(`if (off < 0 || w < 0 || off + w > end) tvb.fail(off, w, ${name === undefined ? 'undefined' : k(name)});`);
    if (e.bits) {
      const w = e.w;
      lines.push(w !== undefined && w >= 1 && w <= 4 ? `c = ${read(w)};` : 'c = readContainer(tvb, off, w);');
      if (e.f) lines.push(`vals[${k(e.f.abbrev)}] = c;`);
      for (const b of e.bits) {
        const m = b.mask ? `maskValue(c, ${b.mask})` : 'c';
        lines.push(`vals[${k(b.abbrev)}] = ${b.type === 'bool' ? `${m} !== 0` : m};`);
      }
    } else if (e.f) {
      const f = e.f;
      const t = f.type;
      const fw = e.w;
      let v = `readValue(tvb, L[${i}].f, off, w)`;
      if ((t === 'uint8' || t === 'bool') && (fw === 1 || fw === 2)) v = read(fw);
      else if (t === 'uint16' && fw !== undefined && fw >= 2) v = read(2);
      else if (t === 'uint32' && fw !== undefined && fw >= 4) v = read(4);
      lines.push(`vals[${k(f.abbrev)}] = ${v};`);
    }
    lines.push('off += w;');
  });
  lines.push('return off;');
  const make = new Function('L', 'readValue', 'readContainer', 'maskValue', `return function decode(tvb, off, vals) {\n${lines.join('\n')}\n};`);
  return make(layout, readValue, readContainer, maskValue) as Compiled;
}
