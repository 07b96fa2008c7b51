// Display filters (-Y, -R, flows/report -Y): Wireshark 4.0 syntax compiled once
// to closures over the packet tree. The README ("Display filters") lists the names.
import { compile } from './compile.js';
import type { PacketFilter } from './api.js';

export { FilterSyntaxError, type PacketFilter } from './api.js';
export { registerExpertId, itemIndex } from './names.js';

/** Compile `expr`; throws FilterSyntaxError (message + column) when it is invalid. */
export function compileFilter(expr: string): PacketFilter {
  return compile(expr);
}
