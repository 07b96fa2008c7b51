// tshark -T json / -T ek layouts (tshark 4.0). Keys are display-filter names;
// values are the strings tshark prints; duplicate keys are kept as tshark does
// (--no-duplicate-keys merges them into arrays), so jq scripts written against
// tshark work unchanged. Built by plain string concatenation with cached keys:
// this runs once per item of every packet.
import type { Item } from '../core/tree.js';
import type { PacketInfo } from '../core/packet.js';
import type { Expert } from '../core/expert.js';
import { getField, fieldCache } from '../core/fields.js';
import { jsonValue, jsonKey, jsonTreeKey, ekKey, absTimeIso, flat } from '../core/format.js';
import { SEVERITY_CODE, GROUP_CODE } from '../core/expert.js';
import { escapeText } from '../core/escape.js';
import { plainLayers } from './json_plain.js';

const q = JSON.stringify;

const IND: string[] = [''];
function ind(n: number): string {
  while (IND.length <= n) IND.push(' '.repeat(IND.length));
  return IND[n]!;
}

export interface JsonOptions {
  /** --no-duplicate-keys: sibling keys merged, values and subtrees as arrays */
  noDupKeys?: boolean;
  /** -j / -J: protocols (and fields) to show; others are written as {"filtered": name} */
  filter?: Set<string>;
  /** -J: the listed protocols are expanded fully */
  filterAll?: boolean;
}

function hasValue(it: Item): boolean {
  const f = it.field;
  return !!f && f.type !== 'protocol' && f.type !== 'none';
}

/** the key of an item: its field name, or a text item's label (tshark's json key) */
function keyOf(it: Item): string {
  if (it.expert) return '"_ws.expert"';
  if (it.field) return jsonKey(it.field);
  return q(escapeText((it.text ?? '') + (it.suffix ?? '')));
}

function severityCode(e: Expert): string {
  return String(SEVERITY_CODE[e.severity] ?? SEVERITY_CODE.error);
}

function groupCode(e: Expert): string {
  return String(GROUP_CODE[e.group ?? 'protocol'] ?? GROUP_CODE.protocol);
}

export function expertObject(e: Expert, n: number): string {
  const i1 = ind(n + 2);
  return `{\n${i1}${q(e.id)}: "",\n${i1}"_ws.expert.message": ${q(escapeText(e.message))},\n${i1}"_ws.expert.severity": "${severityCode(e)}",\n${i1}"_ws.expert.group": "${groupCode(e)}"\n${ind(n)}}`;
}

class JsonWriter {
  constructor(private o: JsonOptions) {}

  /** "{ members }" for `items` whose keys sit at indent n + 2 */
  object(items: Item[], n: number, depthFilter = -1): string {
    const m = this.o.noDupKeys ? this.groupedMembers(items, n + 2, depthFilter) : this.members(items, n + 2, depthFilter);
    return m ? '{\n' + m + '\n' + ind(n) + '}' : '{}';
  }

  members(items: Item[], n: number, df: number): string {
    let s = '';
    for (let i = 0; i < items.length; i++) {
      const m = this.member(items[i]!, n, df);
      if (m) s += (s ? ',\n' : '') + m;
    }
    return s;
  }

  children(it: Item, n: number, df: number): string {
    // -j: below the first level of a listed protocol, subtrees are "filtered" unless listed
    if (df === 0 && !(it.field && this.o.filter!.has(it.field.abbrev))) return `{\n${ind(n + 2)}"filtered": ${q(it.field?.abbrev ?? escapeText(it.text ?? ''))}\n${ind(n)}}`;
    return this.object(it.children!, n, df > 0 ? df - 1 : df);
  }

  member(it: Item, n: number, df: number): string {
    const i0 = ind(n);
    if (it.expert) return i0 + '"_ws.expert": ' + expertObject(it.expert, n);
    const kids = it.children;
    const hasKids = kids !== null && kids.length > 0;
    if (hasValue(it)) {
      let s = i0 + jsonKey(it.field!) + ': ' + q(jsonValue(it.field!, it.value));
      if (hasKids) s += ',\n' + i0 + jsonTreeKey(it.field!) + ': ' + this.children(it, n, df);
      return s;
    }
    if (hasKids) return i0 + keyOf(it) + ': ' + this.children(it, n, df);
    return i0 + keyOf(it) + ': ""';
  }

  /** --no-duplicate-keys: one member per key, in order of first appearance */
  groupedMembers(items: Item[], n: number, df: number): string {
    const groups = new Map<string, Item[]>();
    for (const it of items) {
      const k = keyOf(it);
      const g = groups.get(k);
      if (g) g.push(it);
      else groups.set(k, [it]);
    }
    let s = '';
    const i0 = ind(n);
    const i1 = ind(n + 2);
    for (const [k, g] of groups) {
      let m = '';
      if (g[0]!.expert) {
        m = i0 + k + ': ' + (g.length === 1 ? expertObject(g[0]!.expert!, n) : '[\n' + g.map((x) => i1 + expertObject(x.expert!, n + 2)).join(',\n') + '\n' + i0 + ']');
      } else {
        const valued = hasValue(g[0]!);
        const withKids = g.filter((x) => x.children && x.children.length > 0);
        if (valued) {
          const vals = g.map((x) => q(jsonValue(x.field!, x.value)));
          m = i0 + k + ': ' + (vals.length === 1 ? vals[0] : '[\n' + vals.map((v) => i1 + v).join(',\n') + '\n' + i0 + ']');
        }
        if (withKids.length) {
          const tk = valued ? jsonTreeKey(g[0]!.field!) : k;
          const objs = withKids.length === 1 ? this.children(withKids[0]!, n, df) : '[\n' + withKids.map((x) => i1 + this.children(x, n + 2, df)).join(',\n') + '\n' + i0 + ']';
          m += (m ? ',\n' : '') + i0 + tk + ': ' + objs;
        } else if (!valued) m = i0 + k + ': ""';
      }
      s += (s ? ',\n' : '') + m;
    }
    return s;
  }

  /** the layers object: top-level protocols, filtered by -j/-J */
  layers(items: Item[], n: number): string {
    const f = this.o.filter;
    if (!f) return this.object(items, n);
    const kept: Item[] = [];
    let s = '';
    const emit = (m: string) => (s += (s ? ',\n' : '') + m);
    for (const it of items) {
      const name = it.field?.abbrev;
      if (name && f.has(name)) {
        kept.length = 0;
        kept.push(it);
        emit(this.o.noDupKeys ? this.groupedMembers(kept, n + 2, this.o.filterAll ? -1 : 1) : this.member(it, n + 2, this.o.filterAll ? -1 : 1));
      } else if (it.field && it.field.type === 'protocol') {
        emit(`${ind(n + 2)}${jsonKey(it.field)}: {\n${ind(n + 4)}"filtered": ${q(it.field.abbrev)}\n${ind(n + 2)}}`);
      }
    }
    return s ? '{\n' + s + '\n' + ind(n) + '}' : '{}';
  }
}

let headDate = '';
let head = '';

/** a packet's text before its layers (one date per capture, mostly) */
function packetHead(dateIndex: string): string {
  if (dateIndex !== headDate) {
    headDate = dateIndex;
    head = flat(`  {\n    "_index": "packets-${dateIndex}",\n    "_type": "doc",\n    "_score": null,\n    "_source": {\n      "layers": `);
  }
  return head;
}

/** One packet of a -T json array (without the separating comma). */
export function jsonPacket(p: PacketInfo, dateIndex: string, opts?: JsonOptions): string {
  const items = p.tree?.children ?? [];
  const layers = opts && (opts.noDupKeys || opts.filter) ? new JsonWriter(opts).layers(items, 6) : plainLayers(items, 6);
  return packetHead(dateIndex) + layers + '\n    }\n  }';
}

// ---- -T ek ---------------------------------------------------------------

const TEXT_KEY = '"text"';

/**
 * tshark prefixes a field with the protocol that registered it. A field name two
 * protocols share (ip.version in IPv4 and IPv6) has one entry here: when its
 * protocol is not in the packet, the enclosing protocol registered it.
 */
function ekItemKey(it: Item, enclosing: string, present: Set<string>): string {
  if (it.expert) return '"_ws_expert"';
  const f = it.field;
  if (!f) return TEXT_KEY;
  if (f.type !== 'protocol' && f.proto !== f.abbrev && enclosing && !present.has(f.proto)) {
    const m = (fieldCache(f).ekKeys ??= new Map());
    let k = m.get(enclosing);
    if (k === undefined) m.set(enclosing, (k = JSON.stringify((enclosing + '_' + f.abbrev).split('.').join('_'))));
    return k;
  }
  return ekKey(f);
}

function ekValue(it: Item): string {
  const f = it.field;
  if (!f) return q(escapeText((it.text ?? '') + (it.suffix ?? '')));
  switch (f.type) {
    case 'bool': return it.value ? 'true' : 'false';
    case 'none': return 'null';
    case 'abs_time': return Array.isArray(it.value) ? q(absTimeIso(it.value[0], it.value[1])) : q(jsonValue(f, it.value));
    default: return q(jsonValue(f, it.value));
  }
}

function ekExpert(e: Expert): string {
  const f = getField(e.id);
  const proto = f ? f.proto : e.id.slice(0, Math.max(0, e.id.indexOf('.')));
  const idKey = ((proto && proto !== e.id ? proto + '_' : '') + e.id).split('.').join('_');
  return `{${q(idKey)}:null,"_ws_expert__ws_expert_message":${q(escapeText(e.message))},"_ws_expert__ws_expert_severity":"${severityCode(e)}","_ws_expert__ws_expert_group":"${groupCode(e)}"}`;
}

// scratch arrays per recursion depth: ekMembers runs for every level of every packet
const keyStack: string[][] = [];
const takenStack: Uint8Array[] = [];
let ekDepth = 0;

/** members of one ek object: siblings grouped by key (first appearance), non-protocol subtrees flattened in */
function ekMembers(items: Item[], enclosing: string, present: Set<string>): string {
  const n = items.length;
  const d = ekDepth++;
  const keys = (keyStack[d] ??= []);
  let taken = takenStack[d];
  if (!taken || taken.length < n) taken = takenStack[d] = new Uint8Array(Math.max(64, n * 2));
  for (let i = 0; i < n; i++) {
    keys[i] = ekItemKey(items[i]!, enclosing, present);
    taken[i] = 0;
  }
  let s = '';
  try {
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      const k = keys[i]!;
      let g: Item[] | null = null;
      for (let j = i + 1; j < n; j++) {
        if (!taken[j] && keys[j] === k) {
          taken[j] = 1;
          (g ??= [items[i]!]).push(items[j]!);
        }
      }
      const m = g ? ekGroup(k, g, enclosing, present) : ekGroup1(k, items[i]!, enclosing, present);
      if (m) s += (s ? ',' : '') + m;
    }
  } finally {
    ekDepth--;
  }
  return s;
}

function ekGroup1(k: string, it: Item, enclosing: string, present: Set<string>): string {
  if (it.expert) return k + ':' + ekExpert(it.expert);
  const kids = it.children;
  if (it.field && it.field.type === 'protocol') return k + ':{' + (kids ? ekMembers(kids, it.field.abbrev, present) : '') + '}';
  let s = k + ':' + ekValue(it);
  if (kids && kids.length) {
    const m = ekMembers(kids, enclosing, present);
    if (m) s += ',' + m;
  }
  return s;
}

function ekGroup(k: string, g: Item[], enclosing: string, present: Set<string>): string {
  const first = g[0]!;
  if (first.expert) return k + ':[' + g.map((x) => ekExpert(x.expert!)).join(',') + ']';
  if (first.field && first.field.type === 'protocol') return k + ':[' + g.map((x) => '{' + (x.children ? ekMembers(x.children, x.field!.abbrev, present) : '') + '}').join(',') + ']';
  let s = k + ':[' + g.map(ekValue).join(',') + ']';
  // the subtrees of a key's items are merged, then grouped again (tshark)
  const kids: Item[] = [];
  for (const x of g) if (x.children) for (const c of x.children) kids.push(c);
  if (kids.length) {
    const m = ekMembers(kids, enclosing, present);
    if (m) s += ',' + m;
  }
  return s;
}

/** -T ek: one index line and one flattened document per packet (no trailing newline). */
export function ekPacket(p: PacketInfo, dateIndex: string): string {
  const ms = p.raw.tsSec * 1000 + Math.floor(p.raw.tsNsec / 1e6);
  const present = new Set(p.layers);
  present.add('frame');
  present.add('pkt_comment');
  return `{"index":{"_index":"packets-${dateIndex}","_type":"doc"}}\n{"timestamp":"${ms}","layers":{${ekMembers(p.tree?.children ?? [], '', present)}}}`;
}

/** All values of `abbrev` in the packet, in tree order (for -T fields and filters). */
export function fieldValues(p: PacketInfo, abbrev: string): string[] {
  const out: string[] = [];
  if (!p.tree) return out;
  for (const it of p.tree.walk()) if (it.field?.abbrev === abbrev) out.push(jsonValue(it.field, it.value));
  return out;
}
