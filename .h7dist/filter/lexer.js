// Display-filter tokens (Wireshark 4.0 syntax). Unquoted literals and field names
// share one "word" token; the parser decides which it is from the registry.
import { FilterSyntaxError } from './api.js';
// longest first
const OPS = ['!==', '===', '==', '!=', '~=', '<=', '>=', '&&', '||', '^^', '<', '>', '!', '~', '(', ')', '{', '}', '[', ']', ','];
const WORD = /[A-Za-z0-9_.:\-/+%]/;
function readString(expr, i, raw) {
    const quote = expr[i];
    let j = i + 1;
    const out = [];
    const pushText = (s) => {
        for (const b of Buffer.from(s, 'utf8'))
            out.push(b);
    };
    while (j < expr.length && expr[j] !== quote) {
        const c = expr[j];
        if (c === '\\' && !raw) {
            const n = expr[j + 1];
            if (n === undefined)
                break;
            const simple = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, '"': 34, "'": 39, '0': 0 };
            if (n === 'x' && /^[0-9a-fA-F]{1,2}/.test(expr.slice(j + 2))) {
                const m = /^[0-9a-fA-F]{1,2}/.exec(expr.slice(j + 2))[0];
                out.push(parseInt(m, 16));
                j += 2 + m.length;
                continue;
            }
            if (/[0-7]/.test(n) && /^[0-7]{1,3}/.test(expr.slice(j + 1))) {
                const m = /^[0-7]{1,3}/.exec(expr.slice(j + 1))[0];
                out.push(parseInt(m, 8) & 0xff);
                j += 1 + m.length;
                continue;
            }
            if (n === 'u' && /^[0-9a-fA-F]{4}/.test(expr.slice(j + 2))) {
                pushText(String.fromCharCode(parseInt(expr.slice(j + 2, j + 6), 16)));
                j += 6;
                continue;
            }
            if (simple[n] !== undefined) {
                out.push(simple[n]);
                j += 2;
                continue;
            }
            throw new FilterSyntaxError(`invalid escape sequence "\\${n}" in string`, j);
        }
        // keep multi-byte characters whole
        const cp = expr.codePointAt(j);
        const ch = String.fromCodePoint(cp);
        pushText(ch);
        j += ch.length;
    }
    if (j >= expr.length)
        throw new FilterSyntaxError('the string is not terminated (missing closing quote)', i);
    return { end: j + 1, bytes: Buffer.from(out) };
}
export function tokenize(expr) {
    const toks = [];
    let i = 0;
    while (i < expr.length) {
        const c = expr[i];
        if (/\s/.test(c)) {
            i++;
            continue;
        }
        if (c === '"' || ((c === 'r' || c === 'R') && expr[i + 1] === '"')) {
            const raw = c !== '"';
            const s = readString(expr, raw ? i + 1 : i, raw);
            toks.push({ kind: 'str', text: s.bytes.toString('utf8'), bytes: s.bytes, col: i, len: s.end - i });
            i = s.end;
            continue;
        }
        if (c === "'") {
            // character constant: 'a' or '\x41' -> a number
            const s = readString(expr, i, false);
            if (s.bytes.length !== 1)
                throw new FilterSyntaxError('a character constant holds exactly one character', i);
            toks.push({ kind: 'word', text: String(s.bytes[0]), col: i, len: s.end - i });
            i = s.end;
            continue;
        }
        const op = OPS.find((o) => expr.startsWith(o, i));
        if (op) {
            toks.push({ kind: 'op', text: op, col: i, len: op.length });
            i += op.length;
            continue;
        }
        if (WORD.test(c)) {
            let j = i;
            while (j < expr.length && WORD.test(expr[j]))
                j++;
            toks.push({ kind: 'word', text: expr.slice(i, j), col: i, len: j - i });
            i = j;
            continue;
        }
        throw new FilterSyntaxError(`"${c}" was unexpected in this context.`, i);
    }
    toks.push({ kind: 'end', text: '', col: expr.length, len: 0 });
    return toks;
}
