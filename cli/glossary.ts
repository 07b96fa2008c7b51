// -G: like tshark -G (fields, protocols, decodes, prefs), tab-separated.
import { allFields } from '../core/fields.js';
import { allTables } from '../core/tables.js';
import { allPrefs } from '../core/prefs.js';
import { allCommands } from './commands.js';
import { UsageError } from './errors.js';
import { Out } from '../output/writer.js';

const FT_NAME: Record<string, string> = {
  protocol: 'FT_PROTOCOL', none: 'FT_NONE', bool: 'FT_BOOLEAN', uint8: 'FT_UINT8', uint16: 'FT_UINT16', uint24: 'FT_UINT24',
  uint32: 'FT_UINT32', uint64: 'FT_UINT64', int32: 'FT_INT32', ipv6: 'FT_IPv6', ipv4: 'FT_IPv4', ether: 'FT_ETHER',
  bytes: 'FT_BYTES', string: 'FT_STRING', abs_time: 'FT_ABSOLUTE_TIME', rel_time: 'FT_RELATIVE_TIME', framenum: 'FT_FRAMENUM', double: 'FT_DOUBLE',
};
const BASE_NAME: Record<string, string> = { dec: 'BASE_DEC', hex: 'BASE_HEX', dec_hex: 'BASE_DEC_HEX', hex_dec: 'BASE_HEX_DEC', none: 'BASE_NONE' };

export function listGlossary(report: string): number {
  const out = new Out();
  const fields = allFields().sort((a, b) => a.abbrev.localeCompare(b.abbrev));
  switch (report) {
    case 'fields':
      for (const f of fields) {
        if (f.type === 'protocol') out.line(`P\t${f.name}\t${f.abbrev}`);
        else {
          const base = f.base ? BASE_NAME[f.base] : /uint|int/.test(f.type) ? 'BASE_DEC' : 'BASE_NONE';
          out.line(`F\t${f.name}\t${f.abbrev}\t${FT_NAME[f.type]}\t${f.proto}\t${base}\t0x${(f.mask ?? 0).toString(16)}\t${f.desc ?? ''}`);
        }
      }
      break;
    case 'protocols':
      for (const f of fields) if (f.type === 'protocol') out.line(`${f.name}\t${f.name}\t${f.abbrev}`);
      break;
    case 'decodes':
      for (const t of allTables().sort((a, b) => a.name.localeCompare(b.name)))
        for (const k of t.keys()) out.line(`${t.name}\t${k}\t${t.get(k)?.name ?? '?'}`);
      break;
    case 'prefs':
      for (const p of allPrefs()) out.line(`${p.name}\t${p.def}\t${p.desc}${p.choices ? ' (' + p.choices.join('|') + ')' : ''}`);
      break;
    case 'commands':
      for (const c of allCommands()) out.line(`${c.name}\t${c.summary}`);
      break;
    default:
      throw new UsageError(`unknown glossary report "${report}" (fields, protocols, decodes, prefs, commands)`);
  }
  out.flush();
  return 0;
}
