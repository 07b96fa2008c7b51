// Display filters (-Y, -R, flows/report -Y): Wireshark 4.0 syntax compiled once
// to closures over the packet tree. See docs/readme/analysis.md for the names.
import { compile } from './compile.js';
export { FilterSyntaxError } from './api.js';
export { registerExpertId, itemIndex } from './names.js';
/** Compile `expr`; throws FilterSyntaxError (message + column) when it is invalid. */
export function compileFilter(expr) {
    return compile(expr);
}
