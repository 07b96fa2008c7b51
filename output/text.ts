// The -V detail tree in tshark -V's layout: 4 spaces per level, [generated] items,
// expert items with severity and group, hidden items left out, a hex dump under
// each "Data" protocol item (unless -x prints the whole packet), and -O to expand
// chosen protocols only. Every label goes through escapeText: labels carry packet text.
import type { Item } from '../core/tree.js';
import type { PacketInfo } from '../core/packet.js';
import { itemLabel } from '../core/format.js';
import { escapeText } from '../core/escape.js';
import { hexDumpLines, sourceBuffer } from './hex.js';
import type { ChalkInstance } from 'chalk';

const SEV: Record<string, string> = { error: 'Error', warning: 'Warning', note: 'Note', chat: 'Chat', comment: 'Comment' };

const INDENT: string[] = [''];
function indent(d: number): string {
  while (INDENT.length <= d) INDENT.push(INDENT[INDENT.length - 1] + '    ');
  return INDENT[d]!;
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

class TreeWriter {
  s = '';
  constructor(private p: PacketInfo, private o: TreeTextOptions) {}

  line(depth: number, text: string, style?: (t: string) => string): void {
    this.s += indent(depth) + (style ? style(text) : text) + '\n';
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
    const c = this.o.chalk;
    const style = c && c.level > 0 ? (depth === 0 ? c.bold : it.generated ? c.dim : undefined) : undefined;
    this.line(depth, itemLabel(it), style);
    if (f && f.abbrev === 'data' && f.type === 'protocol' && !this.o.hex && it.length > 0) {
      // tshark -V: uninterpreted data is dumped in hex under its item
      const buf = sourceBuffer(this.p, it.ds);
      if (buf) this.s += '\n' + hexDumpLines(buf.subarray(it.offset, Math.min(buf.length, it.offset + it.length)));
    }
    const kids = it.children;
    if (kids) for (let i = 0; i < kids.length; i++) this.item(kids[i]!, depth + 1);
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
  return w.s;
}
