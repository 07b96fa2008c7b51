// tshark -T json / -T ek layouts. Keys are display-filter names; values are the
// strings tshark prints; duplicate keys are kept (as tshark does) so jq scripts
// written against tshark work unchanged.
import type { Item } from '../core/tree.js';
import type { PacketInfo } from '../core/packet.js';
import { jsonValue } from '../core/format.js';
import { SEVERITY_CODE, GROUP_CODE } from '../core/expert.js';
import { escapeText } from '../core/escape.js';

const q = (s: string) => JSON.stringify(s);

function itemKey(it: Item): string {
  if (it.field) return it.field.abbrev;
  return escapeText(it.text ?? '');
}

function hasValue(it: Item): boolean {
  const f = it.field;
  if (!f) return false;
  return f.type !== 'protocol' && f.type !== 'none';
}

function writeMembers(items: Item[], ind: string, out: string[]): void {
  const parts: string[] = [];
  for (const it of items) {
    const sub: string[] = [];
    writeItem(it, ind, sub);
    if (sub.length) parts.push(sub.join(',\n'));
  }
  out.push(parts.join(',\n'));
}

function writeObject(items: Item[] | null, ind: string): string {
  if (!items || items.length === 0) return '{}';
  const inner: string[] = [];
  writeMembers(items, ind + '  ', inner);
  return '{\n' + inner.join('') + '\n' + ind + '}';
}

function writeItem(it: Item, ind: string, out: string[]): void {
  if (it.expert) {
    const e = it.expert;
    out.push(`${ind}"_ws.expert": {\n${ind}  ${q(e.id)}: "",\n${ind}  "_ws.expert.message": ${q(escapeText(e.message))},\n${ind}  "_ws.expert.severity": "${SEVERITY_CODE[e.severity]}",\n${ind}  "_ws.expert.group": "${GROUP_CODE[e.group ?? 'protocol'] ?? GROUP_CODE.protocol}"\n${ind}}`);
    return;
  }
  const key = itemKey(it);
  const kids = it.children;
  if (hasValue(it)) {
    out.push(`${ind}${q(key)}: ${q(jsonValue(it.field!, it.value))}`);
    if (kids && kids.length) out.push(`${ind}${q(key + '_tree')}: ${writeObject(kids, ind)}`);
  } else if (kids && kids.length) {
    out.push(`${ind}${q(key)}: ${writeObject(kids, ind)}`);
  } else {
    out.push(`${ind}${q(key)}: ""`);
  }
}

export function jsonPacket(p: PacketInfo, dateIndex: string): string {
  const ind = '        ';
  const layers = p.tree?.children ?? [];
  const inner: string[] = [];
  writeMembers(layers, ind + '  ', inner);
  return `  {\n    "_index": "packets-${dateIndex}",\n    "_type": "doc",\n    "_score": null,\n    "_source": {\n      "layers": {\n${inner.join('')}\n      }\n    }\n  }`;
}

/** -T ek: one index line and one flattened document per packet. */
export function ekPacket(p: PacketInfo, dateIndex: string): string {
  const layers: string[] = [];
  for (const top of p.tree?.children ?? []) {
    if (!top.field) continue;
    const proto = top.field.abbrev;
    const acc = new Map<string, string[]>();
    const walk = (it: Item) => {
      if (it.field && hasValue(it)) {
        const k = proto.replace(/\./g, '_') + '_' + it.field.abbrev.replace(/\./g, '_');
        let a = acc.get(k);
        if (!a) acc.set(k, (a = []));
        a.push(jsonValue(it.field, it.value));
      }
      if (it.children) for (const c of it.children) walk(c);
    };
    for (const c of top.children ?? []) walk(c);
    const members = [...acc].map(([k, v]) => `${q(k)}:${v.length === 1 ? q(v[0]!) : '[' + v.map(q).join(',') + ']'}`);
    layers.push(`${q(proto)}:{${members.join(',')}}`);
  }
  const ms = p.raw.tsSec * 1000 + Math.floor(p.raw.tsNsec / 1e6);
  return `{"index":{"_index":"packets-${dateIndex}","_type":"doc"}}\n{"timestamp":"${ms}","layers":{${layers.join(',')}}}`;
}

/** All values of `abbrev` in the packet, in tree order (for -T fields and filters). */
export function fieldValues(p: PacketInfo, abbrev: string): string[] {
  const out: string[] = [];
  if (!p.tree) return out;
  for (const it of p.tree.walk()) if (it.field?.abbrev === abbrev) out.push(jsonValue(it.field, it.value));
  return out;
}
