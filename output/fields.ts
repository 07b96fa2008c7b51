// -T fields: one line per packet, the -e fields in order, tshark's -E options
// (header, separator, quote, occurrence, aggregator) and the _ws.col.* column
// pseudo-fields. One walk of the tree per packet collects every requested field.
import type { PacketInfo } from '../core/packet.js';
import type { Item } from '../core/tree.js';
import { jsonValue } from '../core/format.js';
import { escapeText } from '../core/escape.js';
import { SEVERITY_CODE, GROUP_CODE } from '../core/expert.js';
import { formatTime, type TimeFormat, type TimeRefs } from './time.js';

export interface FieldsOpts {
  header: boolean;
  sep: string;
  quote: string;
  /** f, l, a, or a 1-based occurrence number */
  occurrence: string;
  aggregator: string;
}

/** The summary columns tshark offers as _ws.col.<title> (default column titles). */
export const COLUMN_FIELDS = ['_ws.col.No.', '_ws.col.Time', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', '_ws.col.Length', '_ws.col.Info'];
const EXPERT_FIELDS = ['_ws.expert', '_ws.expert.message', '_ws.expert.severity', '_ws.expert.group'];

/** true for pseudo-fields this printer supplies itself (not in the field registry) */
export function isPseudoField(name: string): boolean {
  return COLUMN_FIELDS.includes(name) || EXPERT_FIELDS.includes(name) || name === '_ws.malformed';
}

export interface ColumnContext {
  timeFormat: TimeFormat;
  digits: number;
}

/** Parse -E options (tshark's vocabulary); throws Error with one line for a bad one. */
export function parseFieldOpts(list: string[]): FieldsOpts {
  const o: FieldsOpts = { header: false, sep: '\t', quote: '', occurrence: 'a', aggregator: ',' };
  const unesc = (v: string) => (v === '/t' ? '\t' : v === '/s' ? ' ' : v);
  for (const e of list) {
    const eq = e.indexOf('=');
    if (eq <= 0) throw new Error(`invalid -E "${e}": expected name=value`);
    const k = e.slice(0, eq);
    const v = e.slice(eq + 1);
    if (k === 'header') {
      if (v !== 'y' && v !== 'n') throw new Error(`invalid -E header "${v}": y or n`);
      o.header = v === 'y';
    } else if (k === 'separator') o.sep = unesc(v);
    else if (k === 'quote') {
      if (!['d', 's', 'n'].includes(v)) throw new Error(`invalid -E quote "${v}": d, s or n`);
      o.quote = v === 'd' ? '"' : v === 's' ? "'" : '';
    } else if (k === 'occurrence') {
      if (!/^(f|l|a|-?[1-9]\d*)$/.test(v)) throw new Error(`invalid -E occurrence "${v}": f, l, a or a number`);
      o.occurrence = v;
    } else if (k === 'aggregator') o.aggregator = unesc(v);
    else if (k === 'bom' || k === 'escape') { /* accepted, as tshark; values are always escaped */ }
    else throw new Error(`invalid -E option "${k}" (header, separator, quote, occurrence, aggregator)`);
  }
  return o;
}

export class FieldsPrinter {
  private index = new Map<string, number>();
  private vals: string[][];
  private occ: number;

  constructor(private names: string[], private o: FieldsOpts, private col: ColumnContext) {
    names.forEach((n, i) => {
      if (!this.index.has(n)) this.index.set(n, i);
    });
    this.vals = names.map(() => []);
    this.occ = /^-?\d+$/.test(o.occurrence) ? Number(o.occurrence) : 0;
  }

  header(): string {
    return this.names.join(this.o.sep);
  }

  private walk(it: Item): void {
    const f = it.field;
    if (f) {
      const i = this.index.get(f.abbrev);
      if (i !== undefined) this.vals[i]!.push(jsonValue(f, it.value));
    } else if (it.expert) {
      const e = it.expert;
      let i = this.index.get('_ws.expert.message');
      if (i !== undefined) this.vals[i]!.push(escapeText(e.message));
      i = this.index.get('_ws.expert.severity');
      if (i !== undefined) this.vals[i]!.push(String(SEVERITY_CODE[e.severity]));
      i = this.index.get('_ws.expert.group');
      if (i !== undefined) this.vals[i]!.push(String(GROUP_CODE[e.group ?? 'protocol'] ?? GROUP_CODE.protocol));
      i = this.index.get('_ws.expert');
      if (i !== undefined) this.vals[i]!.push('');
    }
    const k = it.children;
    if (k) for (let j = 0; j < k.length; j++) this.walk(k[j]!);
  }

  private column(name: string, p: PacketInfo, refs: TimeRefs): string {
    switch (name) {
      case '_ws.col.No.': return String(p.num);
      case '_ws.col.Time': return p.raw.noTs ? '' : formatTime(this.col.timeFormat, p.raw.tsSec, p.raw.tsNsec, refs, p.raw.tsDigits ?? this.col.digits);
      case '_ws.col.Source': return p.srcText;
      case '_ws.col.Destination': return p.dstText;
      case '_ws.col.Protocol': return escapeText(p.proto);
      case '_ws.col.Length': return String(p.raw.origlen);
      case '_ws.col.Info': return escapeText(p.info);
      case '_ws.malformed': return p.malformed ? 'Malformed Packet' : '';
    }
    return '';
  }

  line(p: PacketInfo, refs: TimeRefs): string {
    for (const v of this.vals) v.length = 0;
    if (p.tree) this.walk(p.tree);
    const o = this.o;
    let s = '';
    for (let i = 0; i < this.names.length; i++) {
      const name = this.names[i]!;
      let vs = this.vals[this.index.get(name)!]!;
      let v: string;
      if (name.charCodeAt(0) === 0x5f && (name.startsWith('_ws.col.') || name === '_ws.malformed')) v = this.column(name, p, refs);
      else {
        if (o.occurrence === 'f') vs = vs.slice(0, 1);
        else if (o.occurrence === 'l') vs = vs.slice(-1);
        else if (this.occ > 0) vs = vs.slice(this.occ - 1, this.occ);
        else if (this.occ < 0) vs = vs.length + this.occ >= 0 ? [vs[vs.length + this.occ]!] : [];
        v = vs.length === 1 ? vs[0]! : vs.join(o.aggregator);
      }
      if (i) s += o.sep;
      s += o.quote && v ? o.quote + v + o.quote : v;
    }
    return s;
  }
}
