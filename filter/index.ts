// Display filters: Wireshark syntax compiled to a predicate over the packet tree.
// (Placeholder grammar: field existence and ==; replaced by the full compiler.)
import type { PacketInfo } from '../core/packet.js';
import { getField } from '../core/fields.js';
import { fieldValues } from '../output/json.js';
import { FilterSyntaxError, type PacketFilter } from './api.js';

export { FilterSyntaxError, type PacketFilter } from './api.js';

export function compileFilter(expr: string): PacketFilter {
  const m = /^\s*([\w.]+)\s*(?:(==)\s*(\S+))?\s*$/.exec(expr);
  if (!m) throw new FilterSyntaxError('syntax error', 0);
  const [, name, op, val] = m as unknown as [string, string, string | undefined, string | undefined];
  if (!getField(name)) throw new FilterSyntaxError(`"${name}" is neither a field nor a protocol name.`, expr.indexOf(name));
  return (p: PacketInfo) => {
    const vs = p.layers.includes(name) ? [''] : fieldValues(p, name);
    if (!op) return vs.length > 0;
    return vs.includes(val!);
  };
}
