// The -V detail tree (tshark -V layout: 4 spaces per level, [generated] items,
// expert items with their severity and group), and -O to expand chosen protocols.
import type { Item } from '../core/tree.js';
import type { PacketInfo } from '../core/packet.js';
import { itemLabel } from '../core/format.js';
import { escapeText } from '../core/escape.js';

const SEV = { error: 'Error', warning: 'Warning', note: 'Note', chat: 'Chat' } as const;

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function writeItem(it: Item, depth: number, out: string[]): void {
  if (it.hidden) return;
  const ind = '    '.repeat(depth);
  if (it.expert) {
    const e = it.expert;
    const g = cap(e.group ?? 'protocol');
    out.push(`${ind}[Expert Info (${SEV[e.severity]}/${g}): ${escapeText(e.message)}]`);
    out.push(`${ind}    [${escapeText(e.message)}]`);
    out.push(`${ind}    [Severity level: ${SEV[e.severity]}]`);
    out.push(`${ind}    [Group: ${g}]`);
    return;
  }
  out.push(ind + escapeText(itemLabel(it)));
  if (it.children) for (const c of it.children) writeItem(c, depth + 1, out);
}

/**
 * Render a packet's tree. `only` (from -O) limits expansion to those protocols;
 * the others show their top line only, as tshark does.
 */
export function treeText(p: PacketInfo, only?: Set<string>): string {
  const out: string[] = [];
  const root = p.tree;
  if (!root?.children) return '';
  for (const top of root.children) {
    if (top.hidden) continue;
    if (only && !(top.field && only.has(top.field.abbrev))) {
      // show nested expanded protocols (e.g. mipv6 under ipv6) but not the rest
      out.push(escapeText(itemLabel(top)));
      const nested = top.children?.filter((c) => c.field && only.has(c.field.abbrev)) ?? [];
      for (const n of nested) writeItem(n, 1, out);
      continue;
    }
    writeItem(top, 0, out);
  }
  return out.join('\n') + '\n';
}
