// Dissector handles and tables, keyed like Wireshark's (`ethertype`, `ipv6.nxt`,
// `mip6.mhtype`, `mip6.option`, `icmpv6.nd.opt.type`). A protocol module registers
// itself; `-d table==key,handle` (decode-as) overrides an entry at run time.
import { BoundsError, type Tvb } from './tvb.js';
import type { PacketInfo } from './packet.js';
import type { Item } from './tree.js';
import { fieldMaker } from './fields.js';
import { invalidateBlocks } from './block.js';

/** tshark's mark for a layer cut by the snap length */
const hfShort = fieldMaker('_ws')('_ws.short', 'Packet size limited during capture', 'string');
// tshark puts a top-level "_ws.malformed" item in the tree (and JSON) of a malformed packet
const hfMalformed = fieldMaker('_ws')('_ws.malformed', 'Malformed Packet', 'protocol');

/**
 * A dissector decodes from `off` to `tvb.end`. It may return `false` to decline
 * (a context-dependent entry that does not apply: the caller tries the next key).
 */
export type DissectFn = (tvb: Tvb, off: number, pinfo: PacketInfo, tree: Item | null, data?: any) => void | boolean;

export interface Handle {
  name: string;
  /** protocol long name, for messages */
  proto: string;
  fn: DissectFn;
  /** expert id used when this dissector runs past its data (spec §8 wants mh.malformed) */
  malformedId?: string;
  /** the summary fast path's variant (core/fast.ts), if the module gives one */
  fast?: (off: number, end: number, st: any) => boolean;
  /**
   * true when the dissector would decline these octets (return false, so the next
   * key of the table is tried): lets the fast path walk a table's keys as
   * dissectFromTable does, for a dissector that can decline
   */
  fastDeclines?: (off: number, end: number, st: any) => boolean;
}

const handles = new Map<string, Handle>();
/** bumped on every registration or table change: the per-table lookup caches check it */
let generation = 0;
function bump(): void {
  generation++;
  invalidateBlocks();
}

/** A value made from handles and tables (a lookup), made again only after they change (registration, decode-as). */
export function perTables<T>(make: () => T): () => T {
  let gen = -1;
  let v: T;
  return () => {
    if (gen !== generation) {
      gen = generation;
      v = make();
    }
    return v;
  };
}

export function registerDissector(name: string, proto: string, fn: DissectFn, malformedId?: string): Handle {
  const h: Handle = { name, proto, fn, malformedId, fast: undefined, fastDeclines: undefined };
  handles.set(name, h);
  bump();
  return h;
}

export function getHandle(name: string): Handle | undefined {
  return handles.get(name);
}

export function allHandles(): Handle[] {
  return [...handles.values()];
}

export type TableKey = number | string;

export class DissectorTable {
  private entries = new Map<TableKey, string>();
  private overrides = new Map<TableKey, string>();
  /** key -> resolved handle (null = none), valid while `cacheGen === generation` */
  private cache = new Map<TableKey, Handle | null>();
  private cacheGen = -1;
  // small integer keys (next headers, MH and option types, ethertypes) first go
  // through a direct-mapped array: a Map lookup per layer and option was ~2 % of
  // a tree dissection
  private numKeys = new Int32Array(256).fill(-1);
  private numHandles: Array<Handle | null> = new Array(256).fill(null);

  constructor(public name: string, public description: string) {}

  /** Register `handle` (or a handle name, resolved lazily) for `key`. */
  add(key: TableKey, handle: Handle | string): void {
    this.entries.set(key, typeof handle === 'string' ? handle : handle.name);
    bump();
  }

  remove(key: TableKey): void {
    this.entries.delete(key);
    bump();
  }

  decodeAs(key: TableKey, handleName: string): void {
    this.overrides.set(key, handleName);
    bump();
  }

  clearDecodeAs(): void {
    this.overrides.clear();
    bump();
  }

  get(key: TableKey): Handle | undefined {
    // one Map lookup per packet and layer instead of three
    if (this.cacheGen !== generation) {
      this.cache.clear();
      this.numKeys.fill(-1);
      this.cacheGen = generation;
    }
    const num = typeof key === 'number' && key >= 0 && key <= 0x7fffffff && (key | 0) === key;
    if (num) {
      const s = (key as number) & 255;
      if (this.numKeys[s] === key) return this.numHandles[s] ?? undefined;
    }
    const c = this.cache.get(key);
    if (c !== undefined) {
      if (num) this.remember(key as number, c);
      return c ?? undefined;
    }
    const n = this.overrides.get(key) ?? this.entries.get(key);
    const h = n === undefined ? undefined : handles.get(n);
    // bounded: keys come from packets (numbers < 2^16, short strings)
    if (this.cache.size < 4096) this.cache.set(key, h ?? null);
    if (num) this.remember(key as number, h ?? null);
    return h;
  }

  private remember(key: number, h: Handle | null): void {
    const s = key & 255;
    this.numKeys[s] = key;
    this.numHandles[s] = h;
  }

  keys(): TableKey[] {
    return [...new Set([...this.entries.keys(), ...this.overrides.keys()])];
  }
}

const tables = new Map<string, DissectorTable>();

/** Get (creating on first use) the table `name`. Registration order does not matter. */
export function table(name: string, description = name): DissectorTable {
  let t = tables.get(name);
  if (!t) {
    t = new DissectorTable(name, description);
    tables.set(name, t);
  } else if (description !== name && t.description === name) t.description = description;
  return t;
}

export function allTables(): DissectorTable[] {
  return [...tables.values()];
}

/** Parse and apply `-d table==key,handle`; returns an error message or null. */
export function applyDecodeAs(spec: string): string | null {
  const m = /^([\w.]+)\s*==\s*([^,]+),\s*([\w.\-]+)$/.exec(spec.trim());
  if (!m) return `invalid -d "${spec}": expected <table>==<value>,<protocol>`;
  const [, tname, keyText, hname] = m as unknown as [string, string, string, string];
  if (!tables.has(tname)) return `invalid -d "${spec}": no dissector table "${tname}" (see: mip6scope -G decodes)`;
  if (!handles.has(hname)) return `invalid -d "${spec}": no dissector "${hname}" (see: mip6scope -G decodes)`;
  const k = keyText.trim();
  const key: TableKey = /^(0x[0-9a-f]+|\d+)$/i.test(k) ? Number(k) : k;
  tables.get(tname)!.decodeAs(key, hname);
  return null;
}

export interface CallResult {
  ok: boolean;
}

/**
 * Run a dissector, catching bounds errors so a malformed layer is marked where it
 * broke and the rest of the packet (and capture) goes on. Returns false when the
 * dissector declined.
 */
export function callDissector(h: Handle, tvb: Tvb, off: number, pinfo: PacketInfo, tree: Item | null, data?: any): boolean {
  try {
    return h.fn(tvb, off, pinfo, tree, data) !== false;
  } catch (e) {
    if (e instanceof BoundsError) {
      reportBounds(e, h, pinfo, tree);
      return true;
    }
    // a bug in a dissector must not lose the capture: report and continue
    pinfo.malformed = true;
    pinfo.addExpert('error', 'dissector.bug', `Dissector bug, protocol ${h.proto}: ${(e as Error).message}`, tree, 'malformed');
    return true;
  }
}

export function reportBounds(e: BoundsError, h: Handle, pinfo: PacketInfo, tree: Item | null): void {
  if (e.truncated) {
    // as tshark: a top-level "_ws.short" line (no expert item) and the Info mark
    pinfo.truncated = true;
    if (pinfo.tree) {
      const msg = `[Packet size limited during capture: ${h.proto} truncated]`;
      pinfo.tree.add(hfShort, 0, 0, msg, msg);
    }
    pinfo.appendInfo('[Packet size limited during capture]');
  } else {
    pinfo.malformed = true;
    pinfo.addExpert('error', h.malformedId ?? 'malformed', `[Malformed Packet: ${h.proto}] ${e.message}`, tree, 'malformed');
    if (pinfo.tree && !pinfo.tree.children?.some((c) => c.field === hfMalformed)) pinfo.tree.add(hfMalformed, 0, 0, null, `[Malformed Packet: ${h.proto}]`);
    if (!pinfo.info.includes('[Malformed Packet]')) pinfo.appendInfo(' [Malformed Packet]');
  }
}

/** Look `key` up in `tname` and call it; `fallback` (usually "data") when absent or declined. */
export function dissectFromTable(tname: string | DissectorTable, keys: TableKey | TableKey[], tvb: Tvb, off: number, pinfo: PacketInfo, tree: Item | null, data?: any, fallback: string | null = 'data'): boolean {
  // hot callers pass the table itself (one Map lookup less per layer or option)
  const t = typeof tname === 'string' ? table(tname) : tname;
  if (Array.isArray(keys)) {
    for (let i = 0; i < keys.length; i++) {
      const h = t.get(keys[i]!);
      if (h && callDissector(h, tvb, off, pinfo, tree, data)) return true;
    }
  } else {
    const h = t.get(keys);
    if (h && callDissector(h, tvb, off, pinfo, tree, data)) return true;
  }
  if (fallback) {
    const fb = handles.get(fallback);
    if (fb) callDissector(fb, tvb, off, pinfo, tree, data);
  }
  return false;
}
