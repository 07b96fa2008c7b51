import type { Memo, StringMemo } from './memo.js';

// Field registry: every named field (Wireshark "header field") lives here once,
// so the tree, JSON, `-T fields`, `-G fields` and display filters share one vocabulary.

export type FT =
  | 'protocol' | 'none' | 'bool'
  | 'uint8' | 'uint16' | 'uint24' | 'uint32' | 'uint64' | 'int32'
  | 'ipv6' | 'ipv4' | 'ether' | 'bytes' | 'string'
  | 'abs_time' | 'rel_time' | 'framenum' | 'double';

export type Base = 'dec' | 'hex' | 'dec_hex' | 'hex_dec' | 'none';

export type ValueStrings = Record<number, string> | ((v: number) => string | undefined);

export interface Field {
  abbrev: string;
  name: string;
  type: FT;
  base?: Base;
  /** bit mask within the container (uints and bools); 0/undefined = whole value */
  mask?: number;
  /** container width in bits for masked fields (bool display "1... ....") */
  bits?: number;
  vals?: ValueStrings;
  /** true/false strings for booleans, as Wireshark's tfs */
  tfs?: [string, string];
  unit?: string;
  desc?: string;
  proto: string;
  /** printers' derived strings (see FieldCache) */
  cache?: FieldCache;
}

/**
 * Strings the printers derive from a field (labels, JSON keys, member prefixes),
 * made on first use by core/format.ts and output/*. One class, so every field has
 * the same shape and the per-item code that reads these stays monomorphic.
 */
export class FieldCache {
  /** -V labels of numeric and boolean values */
  label: Map<unknown, string> | null = null;
  /** bit-pattern prefixes of masked fields, by raw container value */
  bits: Map<number, string> | null = null;
  /** mask shift and label hex digits (-1: not yet known) */
  shift = -1;
  labelDigits = -1;
  /** JSON keys: "abbrev", "abbrev_tree", the -T ek key and ek keys by enclosing protocol */
  jsonKey: string | null = null;
  jsonTreeKey: string | null = null;
  ekKey: string | null = null;
  ekKeys: Map<string, string> | null = null;
  /** plain -T json member prefixes (output/json_plain.ts) and quoted numeric values */
  memberPrefix: string[] | null = null;
  treePrefix: string[] | null = null;
  quoted: Map<number, string> | null = null;
  /** whole plain -T json members of small numeric and boolean values, by indent and value */
  members: Array<Array<string | undefined>> | null = null;
  /** -V lines and quoted -T json values of the latest other values (core/memo.ts) */
  lineMemo: Memo | null = null;
  /** -V lines of custom labels and of addresses by their text, by depth (output/text.ts) */
  textLines: StringMemo[] | null = null;
  addrLines: StringMemo[] | null = null;
  quoteMemo: Memo | null = null;
  quotedStrings: StringMemo | null = null;
  /** -V lines of small numeric and boolean values, by depth and value (output/text.ts) */
  lines: Array<Array<string | undefined>> | null = null;
}

/** The cache of a field, made on first use. */
export function fieldCache(f: Field): FieldCache {
  return (f.cache ??= new FieldCache());
}

// Every registered field is one of these, whatever optional members its definition
// has: a single hidden class for the hot paths that read f.type, f.mask, f.cache.
class FieldDef implements Field {
  abbrev: string;
  name: string;
  type: FT;
  base?: Base;
  mask?: number;
  bits?: number;
  vals?: ValueStrings;
  tfs?: [string, string];
  unit?: string;
  desc?: string;
  proto: string;
  cache?: FieldCache;

  constructor(f: Field) {
    this.abbrev = f.abbrev;
    this.name = f.name;
    this.type = f.type;
    this.base = f.base;
    this.mask = f.mask;
    this.bits = f.bits;
    this.vals = f.vals;
    this.tfs = f.tfs;
    this.unit = f.unit;
    this.desc = f.desc;
    this.proto = f.proto;
    this.cache = undefined;
    // members this class does not know (none today) are kept as they were
    for (const k of Object.keys(f)) if (!(k in this)) (this as any)[k] = (f as any)[k];
  }
}

const registry = new Map<string, Field>();

/** Register a field (idempotent for identical redefinitions; later wins otherwise). */
export function defineField(f: Field): Field {
  const old = registry.get(f.abbrev);
  if (old) {
    // keep one object so layouts created earlier stay valid; derived strings are redone
    Object.assign(old, f);
    old.cache = undefined;
    return old;
  }
  const d = new FieldDef(f);
  registry.set(f.abbrev, d);
  return d;
}

export function getField(abbrev: string): Field | undefined {
  return registry.get(abbrev);
}

export function allFields(): Field[] {
  return [...registry.values()];
}

/** Convenience: define a protocol entry (tshark's "P" rows). */
export function defineProtocol(abbrev: string, name: string): Field {
  return defineField({ abbrev, name, type: 'protocol', proto: abbrev });
}

/** Shorthand factory bound to one protocol. */
export function fieldMaker(proto: string) {
  return (abbrev: string, name: string, type: FT, extra: Partial<Field> = {}): Field =>
    defineField({ abbrev, name, type, proto, ...extra });
}

export function valueString(vs: ValueStrings | undefined, v: number): string | undefined {
  if (!vs) return undefined;
  return typeof vs === 'function' ? vs(v) : vs[v];
}
