// The -V detail tree in tshark -V's layout: 4 spaces per level, [generated] items,
// expert items with severity and group, hidden items left out, a hex dump under
// each "Data" protocol item (unless -x prints the whole packet), and -O to expand
// chosen protocols only. Every label goes through escapeText: labels carry packet text.
import type { Item } from '../core/tree.js';
import type { PacketInfo } from '../core/packet.js';
import { itemLabel, jsonValue, flat } from '../core/format.js';
import { escapeText } from '../core/escape.js';
import { fieldCache, type Field } from '../core/fields.js';
import { Memo, StringMemo } from '../core/memo.js';
import { blockIntact, type Block } from '../core/block.js';
import { hexDumpLines, sourceBuffer } from './hex.js';
import type { ChalkInstance } from 'chalk';

const SEV: Record<string, string> = { error: 'Error', warning: 'Warning', note: 'Note', chat: 'Chat', comment: 'Comment' };

const INDENT: string[] = [''];
function indent(d: number): string {
  while (INDENT.length <= d) INDENT.push(INDENT[INDENT.length - 1] + '    ');
  return INDENT[d]!;
}

/** "\n" + indent: a line's newline is written when the next line starts */
const NL_INDENT: string[] = [];
function nlIndent(d: number): string {
  return (NL_INDENT[d] ??= flat('\n' + indent(d)));
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export interface TreeTextOptions {
  /** -O: expand only these protocols (by filter name) */
  only?: Set<string>;
  /** -x is on: no hex dump under Data items (tshark prints the whole packet instead) */
  hex?: boolean;
  chalk?: ChalkInstance;
}

/** values below this have their whole line cached */
const SMALL = 256;

/** "\n" + indent + label of a plain item with a small value k (0/1 for booleans) */
function cachedLine(it: Item, f: Field, k: number, depth: number): string {
  // per field: lines by depth * 2 + generated, then by value
  const byDepth = (fieldCache(f).lines ??= []);
  const lines = (byDepth[2 * depth + (it.generated ? 1 : 0)] ??= new Array<string | undefined>(SMALL));
  return lines[k] ?? (lines[k] = flat(nlIndent(depth) + itemLabel(it)));
}

/** "\n" + indent + label of another plain item: repeats of the latest values are memoised */
function memoLine(it: Item, f: Field, depth: number): string {
  const v = it.value;
  if (v instanceof Uint8Array && (f.type === 'ipv6' || f.type === 'ether' || f.type === 'ipv4')) {
    // addresses: keyed by their text (core/addr.ts caches it), a capture has a few hosts
    const tag = 2 * depth + (it.generated ? 1 : 0);
    const m = ((fieldCache(f).addrLines ??= [])[tag] ??= new StringMemo());
    if (!m.on) return nlIndent(depth) + itemLabel(it);
    const k = jsonValue(f, v);
    let l = m.get(k);
    if (l === undefined) m.set(k, (l = flat(nlIndent(depth) + itemLabel(it))));
    return l;
  }
  const m = (fieldCache(f).lineMemo ??= new Memo());
  if (!m.on) return nlIndent(depth) + itemLabel(it);
  const tag = 2 * depth + (it.generated ? 1 : 0);
  let l = m.get(it.value, tag);
  if (l === null) m.set(it.value, tag, (l = flat(nlIndent(depth) + itemLabel(it))));
  return l;
}

// lines of text items without a field ("Mobility Options"): constant names, by depth * 2 + generated
const FREE_TEXT: Array<Map<string, string>> = [];

/** "\n" + indent + label of a plain text item: the same text gives the same line */
function textLine(it: Item, f: Field | null, depth: number): string {
  const tag = 2 * depth + (it.generated ? 1 : 0);
  const t = it.text!;
  let l: string | null | undefined;
  if (f) {
    // labels with values in them ("Frame Length: 70 bytes (560 bits)") repeat from packet to packet
    const m = ((fieldCache(f).textLines ??= [])[tag] ??= new StringMemo());
    if (!m.on) return nlIndent(depth) + itemLabel(it);
    l = m.get(t);
    if (l === undefined) m.set(t, (l = flat(nlIndent(depth) + itemLabel(it))));
    return l;
  }
  const m = (FREE_TEXT[tag] ??= new Map());
  l = m.get(t);
  if (l === undefined) {
    l = flat(nlIndent(depth) + itemLabel(it));
    if (m.size < 4096) m.set(t, l);
  }
  return l;
}

class TreeWriter {
  s = '';
  /** a line was written and its newline is still due (the next line, or the end, writes it) */
  nl = false;
  /** no colours: plain lines may come from the line cache */
  private plain: boolean;
  constructor(private p: PacketInfo, private o: TreeTextOptions) {
    this.plain = !(o.chalk && o.chalk.level > 0);
  }

  line(depth: number, text: string, style?: (t: string) => string): void {
    this.s += (this.nl ? nlIndent(depth) : indent(depth)) + (style ? style(text) : text);
    this.nl = true;
  }

  /** the text, ending in a newline */
  finish(): string {
    if (this.nl) {
      this.s += '\n';
      this.nl = false;
    }
    return this.s;
  }

  expert(it: Item, depth: number): void {
    const e = it.expert!;
    const g = cap(e.group ?? 'protocol');
    const sev = SEV[e.severity] ?? cap(e.severity);
    const msg = escapeText(e.message);
    const c = this.o.chalk;
    const style = c && c.level > 0 ? (e.severity === 'error' ? c.red : e.severity === 'warning' ? c.yellow : e.severity === 'comment' ? c.green : c.cyan) : undefined;
    this.line(depth, `[Expert Info (${sev}/${g}): ${msg}]`, style);
    this.line(depth + 1, `[${msg}]`, style);
    this.line(depth + 1, `[Severity level: ${sev}]`, style);
    this.line(depth + 1, `[Group: ${g}]`, style);
  }

  item(it: Item, depth: number): void {
    if (it.hidden) return;
    if (it.expert) {
      this.expert(it, depth);
      return;
    }
    const f = it.field;
    const v = it.value;
    const k = typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'number' && v >= 0 && v < SMALL && v === (v | 0) ? v : -1;
    if (k >= 0 && this.plain && this.nl && f && it.text == null && it.suffix == null) {
      // the same field and small value print the same line at the same depth
      this.s += cachedLine(it, f, k, depth);
    } else if (this.plain && this.nl && it.suffix == null && (f || it.text != null)) {
      this.s += it.text == null ? memoLine(it, f!, depth) : textLine(it, f, depth);
    } else {
      const c = this.o.chalk;
      const style = c && c.level > 0 ? (depth === 0 ? c.bold : it.generated ? c.dim : undefined) : undefined;
      this.line(depth, itemLabel(it), style);
    }
    if (f && f.abbrev === 'data' && f.type === 'protocol' && !this.o.hex && it.length > 0) {
      // tshark -V: uninterpreted data is dumped in hex under its item
      const buf = sourceBuffer(this.p, it.ds);
      if (buf) {
        this.s += '\n\n' + hexDumpLines(buf.subarray(it.offset, Math.min(buf.length, it.offset + it.length)));
        this.nl = false;
      }
    }
    const kids = it.children;
    if (kids) {
      const b = it.block;
      const at = b !== null && this.plain && blockIntact(kids, b, it.blockAt) ? it.blockAt : -1;
      for (let i = 0; i < kids.length; i++) {
        if (i === at && this.nl) {
          // a shared block (core/block.ts): its lines are made once per depth
          this.s += b!.text[depth + 1] ?? this.blockText(b!, depth + 1);
          i += b!.items.length - 1;
        } else this.item(kids[i]!, depth + 1);
      }
    }
  }

  private blockText(b: Block, depth: number): string {
    const w = new TreeWriter(this.p, this.o);
    w.nl = true;
    for (const x of b.items) w.item(x, depth);
    return (b.text[depth] = flat(w.s));
  }

  /** -O: a top line only, but protocols named in -O nested below it are expanded */
  collapsed(it: Item, depth: number): void {
    if (it.hidden) return;
    if (it.expert) return;
    const only = this.o.only!;
    if (it.field && only.has(it.field.abbrev)) {
      this.item(it, depth);
      return;
    }
    if (depth === 0) this.line(0, itemLabel(it), this.o.chalk && this.o.chalk.level > 0 ? this.o.chalk.bold : undefined);
    const kids = it.children;
    if (kids) for (let i = 0; i < kids.length; i++) if (kids[i]!.children) this.collapsed(kids[i]!, depth + 1);
  }
}

/**
 * Render a packet's tree, without the blank line tshark prints after each packet.
 * `only` (from -O) limits expansion to those protocols; the others show their top
 * line only, as tshark does.
 */
export function treeText(p: PacketInfo, only?: Set<string> | TreeTextOptions): string {
  const o: TreeTextOptions = only instanceof Set ? { only } : only ?? {};
  const root = p.tree;
  if (!root?.children) return '';
  const w = new TreeWriter(p, o);
  for (const top of root.children) {
    if (o.only) w.collapsed(top, 0);
    else w.item(top, 0);
  }
  return w.finish();
}
