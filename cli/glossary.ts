// -G: tshark -G reports in tshark's formats, from our registries.
//   fields:        P<TAB>name<TAB>abbrev, then F<TAB>name<TAB>abbrev<TAB>type<TAB>protocol<TAB>base<TAB>bitmask<TAB>blurb
//   protocols:     name<TAB>short name<TAB>filter name
//   decodes:       table<TAB>selector<TAB>protocol
//   dissector-tables, column-formats, defaultprefs/currentprefs (preferences file), commands
import { allFields, type Field } from '../core/fields.js';
import { allTables, allHandles } from '../core/tables.js';
import { allPrefs, pref } from '../core/prefs.js';
import { allCommands } from './commands.js';
import { UsageError } from './errors.js';
import { Out } from '../output/writer.js';
import { escapeText } from '../core/escape.js';

const FT_NAME: Record<string, string> = {
  protocol: 'FT_PROTOCOL', none: 'FT_NONE', bool: 'FT_BOOLEAN', uint8: 'FT_UINT8', uint16: 'FT_UINT16', uint24: 'FT_UINT24',
  uint32: 'FT_UINT32', uint64: 'FT_UINT64', int32: 'FT_INT32', ipv6: 'FT_IPv6', ipv4: 'FT_IPv4', ether: 'FT_ETHER',
  bytes: 'FT_BYTES', string: 'FT_STRING', abs_time: 'FT_ABSOLUTE_TIME', rel_time: 'FT_RELATIVE_TIME', framenum: 'FT_FRAMENUM', double: 'FT_DOUBLE',
};
const BASE_NAME: Record<string, string> = { dec: 'BASE_DEC', hex: 'BASE_HEX', dec_hex: 'BASE_DEC_HEX', hex_dec: 'BASE_HEX_DEC', none: 'BASE_NONE' };
const INTEGER = new Set(['uint8', 'uint16', 'uint24', 'uint32', 'uint64', 'int32']);

/** tshark's base column: BASE_* for integers, the container width for booleans, empty otherwise */
function baseColumn(f: Field): string {
  if (INTEGER.has(f.type)) return BASE_NAME[f.base ?? 'dec'] ?? 'BASE_DEC';
  if (f.type === 'bool') return String(f.mask ? (f.bits ?? 8) : 0);
  return '';
}

/** F row, exactly tshark -G fields' columns */
export function fieldRow(f: Field): string {
  return `F\t${cell(f.name)}\t${f.abbrev}\t${FT_NAME[f.type]}\t${f.proto}\t${baseColumn(f)}\t0x${(f.mask ?? 0).toString(16)}\t${cell(f.desc ?? '')}`;
}

/** one table cell: no tab or line break may split a row */
function cell(s: string): string {
  let o = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    o += c === 9 || c === 10 || c === 13 ? ' ' : s[i];
  }
  return escapeText(o);
}

/** the protocols' short names, from the dissector handles named like the protocol */
function shortName(abbrev: string, name: string): string {
  for (const h of allHandles()) if (h.name === abbrev) return h.proto;
  return name;
}

function prefsFile(current: boolean, out: Out): void {
  out.line('# Preferences of mip6scope, in the format of tshark -G ' + (current ? 'currentprefs' : 'defaultprefs') + '.');
  out.line('# Set one with -o name:value.');
  out.line('');
  for (const p of [...allPrefs()].sort((a, b) => a.name.localeCompare(b.name))) {
    out.line(`# ${p.desc}`);
    if (p.choices) {
      out.line(`# One of: ${p.choices.join(', ')}`);
    }
    const v = current ? pref(p.name) : p.def;
    // a value left at its default is commented out, as in Wireshark's preferences file
    out.line(`${v === p.def ? '#' : ''}${p.name}: ${escapeText(v)}`);
    out.line('');
  }
}

export function listGlossary(report: string): number {
  const out = new Out();
  switch (report) {
    case 'fields': {
      // each protocol's P row, then its fields in registration order (tshark's grouping)
      const byProto = new Map<string, Field[]>();
      const protos: Field[] = [];
      for (const f of allFields()) {
        // a field registered as its own protocol (Wireshark's "protocol in name only",
        // e.g. mip6.options.mnid) is a P row too
        if (f.proto === f.abbrev) protos.push(f);
        else {
          let l = byProto.get(f.proto);
          if (!l) byProto.set(f.proto, (l = []));
          l.push(f);
        }
      }
      protos.sort((a, b) => a.abbrev.localeCompare(b.abbrev));
      const seen = new Set<string>();
      for (const p of protos) {
        seen.add(p.abbrev);
        out.line(`P\t${cell(p.name)}\t${p.abbrev}`);
        for (const f of byProto.get(p.abbrev) ?? []) out.line(fieldRow(f));
      }
      // fields whose protocol has no P entry of its own
      for (const [proto, l] of [...byProto].sort((a, b) => a[0].localeCompare(b[0]))) if (!seen.has(proto)) for (const f of l) out.line(fieldRow(f));
      break;
    }
    case 'fieldcount': {
      const fs = allFields();
      const np = fs.filter((f) => f.proto === f.abbrev).length;
      out.line(`There are ${fs.length} header fields registered, of which:`);
      out.line(`\t0 are deregistered`);
      out.line(`\t${np} are protocols`);
      out.line(`\t0 have the same name as another field`);
      break;
    }
    case 'protocols':
      for (const f of allFields().filter((x) => x.proto === x.abbrev).sort((a, b) => a.name.localeCompare(b.name)))
        out.line(`${f.name}\t${shortName(f.abbrev, f.name)}\t${f.abbrev}`);
      break;
    case 'decodes':
      for (const t of allTables().sort((a, b) => a.name.localeCompare(b.name)))
        for (const k of t.keys()) out.line(`${t.name}\t${k}\t${t.get(k)?.name ?? '?'}`);
      break;
    case 'dissector-tables':
      for (const t of allTables().sort((a, b) => a.name.localeCompare(b.name))) {
        const numeric = t.keys().every((k) => typeof k === 'number');
        out.line(`${t.name}\t${t.description}\t${numeric ? 'FT_UINT32' : 'FT_STRING'}\t${numeric ? 'BASE_DEC' : 'BASE_NONE'}`);
      }
      break;
    case 'column-formats':
      for (const [code, title] of [['%m', 'Number'], ['%t', 'Time (format as specified)'], ['%s', 'Source address'], ['%d', 'Destination address'], ['%p', 'Protocol'], ['%L', 'Packet length (bytes)'], ['%i', 'Information']]) out.line(`${code}\t${title}`);
      break;
    case 'prefs':
    case 'currentprefs':
      prefsFile(true, out);
      break;
    case 'defaultprefs':
      prefsFile(false, out);
      break;
    case 'commands':
      for (const c of allCommands()) out.line(`${c.name}\t${c.summary}`);
      break;
    default:
      throw new UsageError(`unknown glossary report "${report}" (fields, fieldcount, protocols, decodes, dissector-tables, column-formats, defaultprefs, currentprefs, commands)`);
  }
  out.flush();
  return 0;
}
