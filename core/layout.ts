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
  // a decoder compiled for this layout (below) does the same as the loop: the
  // layout is compiled on its second use (a one-off array is not worth it)
  const l = layout as CompiledLayout;
  if (!tree) {
    const fn = l[COMPILED];
    if (fn !== undefined) return fn(tvb, off, vals);
    if (usedOnce.has(layout)) return (l[COMPILED] = compileLayout(layout, false) as Compiled)(tvb, off, vals);
  } else {
    const fn = l[COMPILED_TREE];
    if (fn !== undefined) return fn(tvb, off, vals, tree);
    if (usedOnceTree.has(layout)) return (l[COMPILED_TREE] = compileLayout(layout, true) as CompiledTree)(tvb, off, vals, tree);
  }
  (tree ? usedOnceTree : usedOnce).add(layout);
  for (let i = 0; i < layout.length; i++) {
    const e = layout[i]!;
    const w = e.w ?? (e.len ? e.len(vals, tvb.end - off) : 0);
    // the field's name is looked up only when it runs past the data
    if (off < 0 || w < 0 || off + w > tvb.end) tvb.fail(off, w, e.f?.name ?? e.bits?.[0]?.name);
    if (e.bits) decodeBits(tvb, off, w, e, vals, tree);
    else if (e.f) {
      const f = e.f;
      const v = readChecked(tvb, f, off, w);
      vals[f.abbrev] = v;
      if (tree && !e.hidden && !(e.omitEmpty && w === 0)) tree.add(f, off, w, v);
    }
    off += w;
  }
  return off;
}

/** a field's value from checked octets [off, off + w): integers straight from the buffer */
function readChecked(tvb: Tvb, f: Field, off: number, w: number): unknown {
  const buf = tvb.buf;
  switch (f.type) {
    case 'uint8': case 'bool':
      return w === 1 ? buf[off]! : w === 2 ? (buf[off]! << 8) | buf[off + 1]! : readValue(tvb, f, off, w);
    case 'uint16':
      return w >= 2 ? (buf[off]! << 8) | buf[off + 1]! : readValue(tvb, f, off, w);
    case 'uint32':
      return w >= 4 ? ((buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!) >>> 0 : readValue(tvb, f, off, w);
    default:
      return readValue(tvb, f, off, w);
  }
}

/** A flags entry at checked octets [off, off + w): the container and its masked fields. */
function decodeBits(tvb: Tvb, off: number, w: number, e: LEntry, vals: Vals, tree: Item | null | undefined): void {
  const buf = tvb.buf;
  const c = w === 1 ? buf[off]! : w === 2 ? (buf[off]! << 8) | buf[off + 1]! : w === 3 ? (buf[off]! << 16) | (buf[off + 1]! << 8) | buf[off + 2]!
    : w === 4 ? ((buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!) >>> 0 : readContainer(tvb, off, w);
  const bits = e.bits!;
  if (e.f) vals[e.f.abbrev] = c;
  for (let j = 0; j < bits.length; j++) vals[bits[j]!.abbrev] = bitValue(bits[j]!, c);
  if (tree && !e.hidden) bitsItems(buf, off, w, e, c, tree);
}

function bitValue(b: Field, c: number): number | boolean {
  const m = b.mask ? maskValue(c, b.mask) : c;
  return b.type === 'bool' ? m !== 0 : m;
}

/** The items of a flags entry whose container value is c (values already stored). */
function bitsItems(buf: Buffer, off: number, w: number, e: LEntry, c: number, tree: Item): void {
  const bits = e.bits!;
  // a flags word's items depend on its octets alone: shared while they repeat
  const share = tree.block === null && bits.length >= 3;
  const blk = share ? (e.blocks ??= new BlockCache(16)).get(buf, off, w, tree.ds) : null;
  if (blk) {
    useBlock(tree, blk);
    return;
  }
  const from = share && tree.children ? tree.children.length : 0;
  const parent = e.f ? tree.add(e.f, off, w, c) : tree;
  for (let j = 0; j < bits.length; j++) parent.add(bits[j]!, off, w, bitValue(bits[j]!, c));
  if (share) e.blocks!.put(buf, off, w, tree.ds, tree, from);
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
      return typeof len === 'number' ? { f, w: len } : { f, len: len === 'rest' ? REST : len };
    },
    string: (abbrev: string, name: string, len: number | 'rest' | ((v: Vals, rem: number) => number), extra: Partial<Field> = {}): LEntry => {
      const f = F(abbrev, name, 'string', extra);
      return typeof len === 'number' ? { f, w: len } : { f, len: len === 'rest' ? REST : len };
    },
    flags8: flags(1), flags16: flags(2), flags24: flags(3), flags32: flags(4),
    hidden: (e: LEntry): LEntry => ({ ...e, hidden: true }),
  };
}

/** the width of a field that takes the rest of the data ('rest'): it always fits */
const REST = (_v: Vals, rem: number): number => Math.max(0, rem);

const MIN_FIT = Symbol('fewest octets that always decode');

/**
 * The fewest octets in which `layout` always decodes: fixed-width fields, then
 * at most one last field taking the rest. -1 when a width depends on the values
 * (only decoding tells). The summary fast path checks a length with it instead
 * of decoding values nobody reads.
 */
export function minFit(layout: Layout): number {
  const l = layout as Layout & { [MIN_FIT]?: number };
  let n = l[MIN_FIT];
  if (n === undefined) {
    n = 0;
    for (let i = 0; i < layout.length; i++) {
      const e = layout[i]!;
      if (e.w !== undefined) n += e.w;
      else if (e.len !== undefined && !(e.len === REST && i === layout.length - 1)) {
        n = -1;
        break;
      }
    }
    l[MIN_FIT] = n;
  }
  return n;
}

/**
 * Whether `layout` decodes at `off` in `tvb` (the summary fast path's check): by
 * minFit when the widths settle it, else by decoding into `scratch`.
 */
export function layoutFits(tvb: Tvb, off: number, layout: Layout, scratch: Vals): boolean {
  const fit = minFit(layout);
  if (fit >= 0) return tvb.end - off >= fit;
  try {
    decodeLayout(tvb, off, layout, scratch, null);
    return true;
  } catch {
    return false;
  }
}

// ---- decoders compiled per layout ----
// The same reads, checks, values and items as decodeLayout's loop, as straight-line
// code with the field names as literals: V8 then stores each value through a
// monomorphic property access instead of a generic (megamorphic) keyed one, and
// no per-entry branching is left. Compiled once per layout table, on its second
// use: one decoder without a tree (summary, filters, analysis), one with items.

type Compiled = (tvb: Tvb, off: number, vals: Vals) => number;
type CompiledTree = (tvb: Tvb, off: number, vals: Vals, tree: Item) => number;
// kept on the layout array itself: one property load per call instead of a WeakMap lookup
const COMPILED = Symbol('compiled decoder');
const COMPILED_TREE = Symbol('compiled tree decoder');
type CompiledLayout = Layout & { [COMPILED]?: Compiled; [COMPILED_TREE]?: CompiledTree };
const usedOnce = new WeakSet<Layout>();
const usedOnceTree = new WeakSet<Layout>();

const read = (w: number): string =>
  w === 1 ? 'buf[off]' : w === 2 ? '((buf[off] << 8) | buf[off + 1])' : w === 3 ? '((buf[off] << 16) | (buf[off + 1] << 8) | buf[off + 2])'
    : '(((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0)';

function compileLayout(layout: Layout, withTree: boolean): Compiled | CompiledTree {
  const lines: string[] = ['const buf = tvb.buf; const end = tvb.end; let w = 0, c = 0, v;'];
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
      // the items (which flags words may share: block caches) as the loop makes them
      if (withTree && !e.hidden) lines.push(`bitsItems(buf, off, w, L[${i}], c, tree);`);
    } else if (e.f) {
      const f = e.f;
      const t = f.type;
      const fw = e.w;
      let v = `readValue(tvb, L[${i}].f, off, w)`;
      if ((t === 'uint8' || t === 'bool') && (fw === 1 || fw === 2)) v = read(fw);
      else if (t === 'uint16' && fw !== undefined && fw >= 2) v = read(2);
      else if (t === 'uint32' && fw !== undefined && fw >= 4) v = read(4);
      if (withTree && !e.hidden) {
        lines.push(`v = ${v};`, `vals[${k(f.abbrev)}] = v;`);
        lines.push(e.omitEmpty ? `if (w !== 0) tree.add(L[${i}].f, off, w, v);` : `tree.add(L[${i}].f, off, w, v);`);
      } else lines.push(`vals[${k(f.abbrev)}] = ${v};`);
    }
    lines.push('off += w;');
  });
  lines.push('return off;');
  const make = new Function('L', 'readValue', 'readContainer', 'maskValue', 'bitsItems',
    `return function decode(tvb, off, vals${withTree ? ', tree' : ''}) {\n${lines.join('\n')}\n};`);
  return make(layout, readValue, readContainer, maskValue, bitsItems) as Compiled | CompiledTree;
}
