// Parser and compiler: the expression becomes a tree of closures once; running a
// filter is calling them with a packet (values come from a per-packet item index).
//
//   expr    := xorExpr (('or' | '||') xorExpr)*
//   xorExpr := andExpr (('xor' | '^^') andExpr)*
//   andExpr := unary (('and' | '&&') unary)*
//   unary   := ('not' | '!') unary | '(' expr ')' | test
//   test    := entity [relop entity | ['not'] 'in' set | 'contains' entity | ('matches' | '~') string]
//   entity  := name ['[' slices ']'] | fn '(' entity ')' | literal
import type { PacketInfo } from '../core/packet.js';
import { FilterSyntaxError, type PacketFilter } from './api.js';
import { tokenize, type Tok } from './lexer.js';
import { resolveName, type Ref } from './names.js';
import { parseLiteral, parseBytes, eqVal, cmpVal, containsVal, matchText, isBytesKind, type Kind, type Lit, type Val } from './values.js';

type Pred = (p: PacketInfo) => boolean;

interface Getter {
  kind: Kind;
  ref: Ref | null;
  /** text for messages */
  text: string;
  col: number;
  get(p: PacketInfo): Val[];
}

interface LitNode {
  lit: true;
  text: string;
  quoted: boolean;
  raw?: Buffer;
  col: number;
  len: number;
}

type Entity = Getter | LitNode;

const isLit = (e: Entity): e is LitNode => (e as LitNode).lit === true;

const REL: Record<string, string> = {
  '==': 'eq', eq: 'eq', any_eq: 'eq',
  '!=': 'ne', ne: 'ne', all_ne: 'ne',
  '===': 'alleq', all_eq: 'alleq',
  '!==': 'anyne', '~=': 'anyne', any_ne: 'anyne',
  '<': 'lt', lt: 'lt', '>': 'gt', gt: 'gt', '<=': 'le', le: 'le', '>=': 'ge', ge: 'ge',
};
const FLIP: Record<string, string> = { eq: 'eq', ne: 'ne', alleq: 'alleq', anyne: 'anyne', lt: 'gt', gt: 'lt', le: 'ge', ge: 'le' };
const FUNCS = new Set(['len', 'count', 'lower', 'upper', 'string']);

export function compile(expr: string): PacketFilter & { needsTree: boolean } {
  const toks = tokenize(expr);
  let pos = 0;
  // true once any part of the filter reads tree items (fields, bytes of protocols)
  let needsTree = false;
  const peek = (): Tok => toks[pos]!;
  const next = (): Tok => toks[pos++]!;
  const isWord = (t: Tok, ...w: string[]) => t.kind === 'word' && w.includes(t.text);
  const isOp = (t: Tok, ...o: string[]) => t.kind === 'op' && o.includes(t.text);
  const unexpected = (t: Tok): never => {
    if (t.kind === 'end') throw new FilterSyntaxError('unexpected end of filter string.', t.col);
    throw new FilterSyntaxError(`"${t.kind === 'str' ? expr.slice(t.col, t.col + t.len) : t.text}" was unexpected in this context.`, t.col);
  };
  const expect = (o: string) => {
    const t = next();
    if (!isOp(t, o)) {
      if (t.kind === 'end') throw new FilterSyntaxError(`missing "${o}".`, t.col);
      unexpected(t);
    }
  };

  function parseOr(): Pred {
    let l = parseXor();
    while (isWord(peek(), 'or') || isOp(peek(), '||')) {
      next();
      const a = l, b = parseXor();
      l = (p) => a(p) || b(p);
    }
    return l;
  }
  function parseXor(): Pred {
    let l = parseAnd();
    while (isWord(peek(), 'xor') || isOp(peek(), '^^')) {
      next();
      const a = l, b = parseAnd();
      l = (p) => a(p) !== b(p);
    }
    return l;
  }
  function parseAnd(): Pred {
    let l = parseUnary();
    while (isWord(peek(), 'and') || isOp(peek(), '&&')) {
      next();
      const a = l, b = parseUnary();
      l = (p) => a(p) && b(p);
    }
    return l;
  }
  function parseUnary(): Pred {
    const t = peek();
    if (isWord(t, 'not') || isOp(t, '!')) {
      next();
      const a = parseUnary();
      return (p) => !a(p);
    }
    if (isOp(t, '(')) {
      next();
      const e = parseOr();
      expect(')');
      return e;
    }
    return parseTest();
  }

  function parseSlices(g: Getter, open: Tok): Getter {
    // [i:j] start:length, [i-j] start-end inclusive, [i], [:j], [i:]; comma joins ranges
    const ranges: Array<(b: Uint8Array) => Uint8Array | null> = [];
    for (;;) {
      const t = next();
      if (t.kind !== 'word') unexpected(t);
      const m = /^(-?\d*)(?:(:)(\d*)|-(\d+))?$/.exec(t.text) ?? /^(-?\d+)(-)(\d+)$/.exec(t.text);
      if (!m || (m[1] === '' && m[2] !== ':')) throw new FilterSyntaxError(`"${t.text}" is not a valid slice.`, t.col);
      const start = m[1] === '' ? 0 : Number(m[1]);
      const colon = m[2] === ':';
      const lenTxt = colon ? m[3] : undefined;
      const endIncl = !colon && m[2] !== undefined ? Number(m[3] ?? m[4]) : m[4] !== undefined ? Number(m[4]) : undefined;
      ranges.push((b) => {
        const s = start < 0 ? b.length + start : start;
        let e: number;
        if (colon) e = lenTxt === '' || lenTxt === undefined ? b.length : s + Number(lenTxt);
        else if (endIncl !== undefined) e = endIncl + 1;
        else e = s + 1;
        if (s < 0 || e > b.length || e < s) return null;
        return b.subarray(s, e);
      });
      const sep = next();
      if (isOp(sep, ']')) break;
      if (!isOp(sep, ',')) unexpected(sep);
    }
    const ref = g.ref;
    if (!ref) throw new FilterSyntaxError(`"${g.text}" cannot be sliced.`, open.col);
    needsTree = true;
    return {
      kind: 'bytes', ref: null, text: g.text + '[...]', col: g.col,
      get(p) {
        const out: Val[] = [];
        for (const b of ref.bytes(p)) {
          const parts: Uint8Array[] = [];
          let ok = true;
          for (const r of ranges) {
            const s = r(b);
            if (!s) { ok = false; break; }
            parts.push(s);
          }
          if (ok) out.push(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
        }
        return out;
      },
    };
  }

  function parseEntity(): Entity {
    const t = next();
    if (t.kind === 'str') return { lit: true, text: t.text, quoted: true, raw: t.bytes, col: t.col, len: t.len };
    if (t.kind !== 'word') return unexpected(t);
    if (FUNCS.has(t.text) && isOp(peek(), '(')) {
      next();
      const arg = parseEntity();
      expect(')');
      if (isLit(arg)) throw new FilterSyntaxError(`"${arg.text}" is neither a field nor a protocol name.`, arg.col);
      return applyFunc(t, arg);
    }
    const ref = resolveName(t.text);
    if (!ref) return { lit: true, text: t.text, quoted: false, col: t.col, len: t.len };
    if (!ref.treeFree) needsTree = true;
    let g: Getter = { kind: ref.kind, ref, text: t.text, col: t.col, get: (p) => ref.values(p) };
    if (isOp(peek(), '[')) g = parseSlices(g, next());
    return g;
  }

  function applyFunc(t: Tok, arg: Getter): Getter {
    const base = { ref: null, text: `${t.text}(${arg.text})`, col: t.col };
    switch (t.text) {
      case 'count':
        return { ...base, kind: 'num', get: (p) => [arg.get(p).length] };
      case 'len':
        if (arg.kind === 'proto') needsTree = true;
        return {
          ...base, kind: 'num',
          get(p) {
            if (arg.ref && arg.kind !== 'str') {
              const bs = arg.ref.bytes(p);
              if (bs.length) return bs.map((b) => b.length);
            }
            return arg.get(p).map((v) => (typeof v === 'string' ? Buffer.byteLength(v) : v instanceof Uint8Array ? v.length : String(v).length));
          },
        };
      case 'lower': case 'upper': case 'string': {
        const f = t.text === 'lower' ? (s: string) => s.toLowerCase() : t.text === 'upper' ? (s: string) => s.toUpperCase() : (s: string) => s;
        return { ...base, kind: 'str', get: (p) => arg.get(p).map((v) => f(typeof v === 'string' ? v : v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : String(v))) };
      }
    }
    return unexpected(t);
  }

  function toLit(g: Getter, l: LitNode, forContains = false): Lit {
    if (g.ref?.names && !l.quoted || (g.ref?.names && l.quoted)) {
      const n = g.ref!.names![l.text.toLowerCase()];
      if (n !== undefined) return { v: n };
    }
    let kind: Kind = g.kind;
    if (forContains && kind !== 'str') kind = 'bytes';
    if (forContains && kind === 'bytes' && !l.quoted) {
      const b = parseBytes(l.text);
      if (!b) throw new FilterSyntaxError(`"${l.text}" is not a valid byte string.`, l.col);
      return { v: b };
    }
    const r = parseLiteral(kind, l.text, l.quoted, g.ref?.field ?? null, l.raw);
    if (typeof r === 'string') throw new FilterSyntaxError(r, l.col);
    return r;
  }

  function parseSet(g: Getter): Array<(v: Val) => boolean> {
    expect('{');
    const tests: Array<(v: Val) => boolean> = [];
    for (;;) {
      const t = next();
      if (isOp(t, '}')) break;
      if (isOp(t, ',')) continue;
      if (t.kind !== 'word' && t.kind !== 'str') unexpected(t);
      const lit = (text: string, col: number): Lit => toLit(g, { lit: true, text, quoted: t.kind === 'str', raw: t.bytes, col, len: text.length });
      let lo: Lit | null = null, hi: Lit | null = null;
      const dd = t.kind === 'word' ? t.text.indexOf('..') : -1;
      if (dd > 0 && dd < t.text.length - 2) {
        lo = lit(t.text.slice(0, dd), t.col);
        hi = lit(t.text.slice(dd + 2), t.col + dd + 2);
      } else if (dd > 0) {
        // "1.. 3"
        lo = lit(t.text.slice(0, dd), t.col);
        const h = next();
        hi = lit(h.text, h.col);
      } else if (isWord(peek(), '..')) {
        next();
        lo = lit(t.text, t.col);
        const h = next();
        hi = lit(h.text, h.col);
      } else if (t.kind === 'word' && /^\.\.(.+)$/.test(peek().text) && peek().kind === 'word') {
        const h = next();
        lo = lit(t.text, t.col);
        hi = lit(h.text.slice(2), h.col + 2);
      }
      if (lo && hi) {
        const a = lo.v, b = hi.v;
        tests.push((v) => cmpVal(v, a) >= 0 && cmpVal(v, b) <= 0);
      } else {
        const one = lit(t.text, t.col);
        tests.push((v) => eqVal(g.kind, v, one));
      }
    }
    if (tests.length === 0) throw new FilterSyntaxError('a set needs at least one element.', peek().col);
    return tests;
  }

  function parseTest(): Pred {
    const start = peek();
    let lhs = parseEntity();
    const t = peek();
    const relName = t.kind === 'op' || t.kind === 'word' ? REL[t.text] : undefined;
    if (relName) {
      next();
      // "_ws.expert.group == malformed": a value name wins over a field of that name
      const nt = peek();
      const named = !isLit(lhs) && lhs.ref?.names && nt.kind === 'word' && lhs.ref.names[nt.text.toLowerCase()] !== undefined;
      let rhs: Entity = named ? (next(), { lit: true, text: nt.text, quoted: false, col: nt.col, len: nt.len }) : parseEntity();
      let op = relName;
      if (isLit(lhs) && !isLit(rhs)) {
        [lhs, rhs] = [rhs, lhs];
        op = FLIP[op]!;
      }
      if (isLit(lhs)) throw new FilterSyntaxError(`"${lhs.text}" is neither a field nor a protocol name.`, lhs.col);
      return comparison(lhs, op, rhs, t);
    }
    if (isLit(lhs)) throw new FilterSyntaxError(`"${lhs.text}" is neither a field nor a protocol name.`, lhs.col);
    const g = lhs;
    if (isWord(t, 'in') || (isWord(t, 'not') && isWord(toks[pos + 1]!, 'in'))) {
      const negate = t.text === 'not';
      next();
      if (negate) next();
      const tests = parseSet(g);
      const inSet = (p: PacketInfo) => g.get(p).some((v) => tests.some((f) => f(v)));
      return negate ? (p) => g.get(p).length > 0 && !inSet(p) : inSet;
    }
    if (isWord(t, 'contains')) {
      next();
      if (g.kind === 'proto') needsTree = true;
      const r = parseEntity();
      if (!isBytesKind(g.kind) && g.kind !== 'str') throw new FilterSyntaxError(`"${g.text}" cannot be used with "contains".`, t.col);
      if (isLit(r)) {
        const lit = toLit(g, r, true).v;
        return (p) => g.get(p).some((v) => containsVal(v, lit));
      }
      return (p) => {
        const bs = r.get(p);
        return g.get(p).some((v) => bs.some((b) => containsVal(v, b)));
      };
    }
    if (isWord(t, 'matches') || isOp(t, '~')) {
      next();
      if (g.kind === 'proto') needsTree = true;
      const r = next();
      if (r.kind !== 'str') throw new FilterSyntaxError('"matches" needs a quoted regular expression.', r.col);
      let src = r.text;
      let flags = 'i'; // Wireshark 4.0: case-insensitive unless (?-i)
      const m = /^\(\?(-?)i\)/.exec(src);
      if (m) {
        flags = m[1] ? '' : 'i';
        src = src.slice(m[0].length);
      }
      let re: RegExp;
      try {
        re = new RegExp(src, flags);
      } catch (e) {
        throw new FilterSyntaxError(`invalid regular expression: ${(e as Error).message}`, r.col);
      }
      return (p) => g.get(p).some((v) => re.test(matchText(v)));
    }
    if (t.kind !== 'end' && !isOp(t, ')') && !isWord(t, 'and', 'or', 'xor') && !isOp(t, '&&', '||', '^^')) unexpected(t);
    void start;
    return (p) => g.get(p).length > 0;
  }

  function comparison(g: Getter, op: string, rhs: Entity, opTok: Tok): Pred {
    if (g.kind === 'proto' || (!isLit(rhs) && rhs.kind === 'proto')) needsTree = true;
    if (isLit(rhs)) {
      const lit = toLit(g, rhs);
      const k = g.kind;
      const eq = (v: Val) => eqVal(k, v, lit);
      const b = lit.v;
      switch (op) {
        case 'eq': return (p) => g.get(p).some(eq);
        case 'ne': return (p) => { const vs = g.get(p); return vs.length > 0 && !vs.some(eq); };
        case 'alleq': return (p) => { const vs = g.get(p); return vs.length > 0 && vs.every(eq); };
        case 'anyne': return (p) => g.get(p).some((v) => !eq(v));
        case 'lt': return (p) => g.get(p).some((v) => cmpVal(v, b) < 0);
        case 'gt': return (p) => g.get(p).some((v) => cmpVal(v, b) > 0);
        case 'le': return (p) => g.get(p).some((v) => cmpVal(v, b) <= 0);
        case 'ge': return (p) => g.get(p).some((v) => cmpVal(v, b) >= 0);
      }
      return unexpected(opTok);
    }
    const numeric = (k: Kind) => k === 'num' || k === 'float' || k === 'time';
    const bytesish = (k: Kind) => isBytesKind(k);
    if (!(g.kind === rhs.kind || (numeric(g.kind) && numeric(rhs.kind)) || (bytesish(g.kind) && bytesish(rhs.kind)))) {
      throw new FilterSyntaxError(`${g.text} and ${rhs.text} are not of compatible types.`, opTok.col);
    }
    const k = g.kind;
    const pair = (f: (a: Val, b: Val) => boolean) => (p: PacketInfo) => {
      const bs = rhs.get(p);
      return g.get(p).some((a) => bs.some((b) => f(a, b)));
    };
    const eq = (a: Val, b: Val) => eqVal(k, a, { v: b });
    switch (op) {
      case 'eq': return pair(eq);
      case 'ne': return (p) => { const as = g.get(p), bs = rhs.get(p); return as.length > 0 && bs.length > 0 && !as.some((a) => bs.some((b) => eq(a, b))); };
      case 'alleq': return (p) => { const as = g.get(p), bs = rhs.get(p); return as.length > 0 && bs.length > 0 && as.every((a) => bs.every((b) => eq(a, b))); };
      case 'anyne': return pair((a, b) => !eq(a, b));
      case 'lt': return pair((a, b) => cmpVal(a, b) < 0);
      case 'gt': return pair((a, b) => cmpVal(a, b) > 0);
      case 'le': return pair((a, b) => cmpVal(a, b) <= 0);
      case 'ge': return pair((a, b) => cmpVal(a, b) >= 0);
    }
    return unexpected(opTok);
  }

  if (peek().kind === 'end') throw new FilterSyntaxError('the filter is empty.', 0);
  const pred = parseOr();
  if (peek().kind !== 'end') unexpected(peek());
  return Object.assign((p: PacketInfo) => pred(p), { needsTree });
}
