// The plain -T json layers object (no -j/-J, duplicate keys kept), the common
// case, appended to one string. A member's constant part — separator, indent,
// quoted key: ',\n      "ipv6.hlim": ' — is built once per field and depth and
// flattened, so a member costs two rope leaves (one when its value is small and
// the whole member is cached); values known to need no JSON escaping (numbers,
// addresses, hex) are quoted without JSON.stringify, and repeated values are
// taken quoted from per-field memos (core/memo.ts).
// The output is exactly JsonWriter's (output/json.ts) for the same tree.
import type { Item } from '../core/tree.js';
import { fieldCache, type Field } from '../core/fields.js';
import { jsonValue, jsonKey, jsonTreeKey, flat } from '../core/format.js';
import { escapeText } from '../core/escape.js';
import { expertObject } from './json.js';
import { Memo, StringMemo } from '../core/memo.js';
import { blockIntact, type Block } from '../core/block.js';

const IND: string[] = [''];
function ind(n: number): string {
  while (IND.length <= n) IND.push(' '.repeat(IND.length));
  return IND[n]!;
}

/** "\n" + indent + "}" by indent */
const CLOSE: string[] = [];
function close(n: number): string {
  return (CLOSE[n] ??= flat('\n' + ind(n) + '}'));
}

function keyPrefix(f: Field, n: number, first: boolean): string {
  // by indent: [2n] first in its object, [2n + 1] after a sibling
  const a = (fieldCache(f).memberPrefix ??= []);
  const i = 2 * n + (first ? 0 : 1);
  return a[i] ?? (a[i] = flat((first ? '\n' : ',\n') + ind(n) + jsonKey(f) + ': '));
}

function treePrefix(f: Field, n: number): string {
  const a = (fieldCache(f).treePrefix ??= []);
  return a[n] ?? (a[n] = flat(',\n' + ind(n) + jsonTreeKey(f) + ': '));
}

/** any character JSON.stringify would escape (controls, quote, backslash, surrogates) */
const JSON_UNSAFE = /["\\\x00-\x1f\ud800-\udfff]/;

/** no character JSON.stringify would escape (a native regex scan: a character loop cost several times more) */
function jsonSafe(s: string): boolean {
  return !JSON_UNSAFE.test(s);
}

export function quote(s: string): string {
  return jsonSafe(s) ? '"' + s + '"' : JSON.stringify(s);
}

/** JSON.stringify(jsonValue(f, v)) */
function quotedValue(f: Field, v: unknown): string {
  if (typeof v === 'number') {
    const m = (fieldCache(f).quoted ??= new Map());
    let s = m.get(v);
    if (s === undefined) {
      // a number's text (digits, hex, a time) never needs escaping
      s = '"' + jsonValue(f, v) + '"';
      if (m.size < 1024) m.set(v, flat(s));
    }
    return s;
  }
  if (v instanceof Uint8Array) {
    // address and hex text is never escaped
    const t = f.type;
    if (t === 'ipv6' || t === 'ether' || t === 'ipv4' || t === 'bytes') return '"' + jsonValue(f, v) + '"';
  } else if (typeof v === 'string') {
    // strings (host names, resolved addresses) repeat: keyed by themselves
    const sm = (fieldCache(f).quotedStrings ??= new StringMemo());
    if (!sm.on) return quote(jsonValue(f, v));
    let q = sm.get(v);
    if (q === undefined) sm.set(v, (q = flat(quote(jsonValue(f, v)))));
    return q;
  }
  const m = (fieldCache(f).quoteMemo ??= new Memo());
  // [sec, nsec] times print as digits, a dot and a date: nothing to escape
  if (!m.on) return Array.isArray(v) ? '"' + jsonValue(f, v) + '"' : quote(jsonValue(f, v));
  let s = m.get(v, 0);
  if (s === null) m.set(v, 0, (s = flat(quote(jsonValue(f, v)))));
  return s;
}

/** values below this have their whole member cached */
const SMALL = 256;

/** a whole value member (prefix and quoted value) of a small value k (0/1 for booleans) */
function cachedMember(f: Field, n: number, first: boolean, k: number, v: unknown): string {
  // per field: members by indent * 2 + first, then by value
  const byIndent = (fieldCache(f).members ??= []);
  const m = (byIndent[2 * n + (first ? 0 : 1)] ??= new Array<string | undefined>(SMALL));
  return m[k] ?? (m[k] = flat(keyPrefix(f, n, first) + quotedValue(f, v)));
}

// keys of text items ("Binding Acknowledgement"): few distinct labels per capture
const textKeys = new Map<string, string>();

function textKey(it: Item): string {
  const t = it.text ?? '';
  if (it.suffix) return quote(escapeText(t + it.suffix));
  let k = textKeys.get(t);
  if (k === undefined) {
    k = quote(escapeText(t));
    if (textKeys.size < 4096) textKeys.set(t, flat(k));
  }
  return k;
}

const EXPERT_KEY: string[] = [];
function expertPrefix(n: number, first: boolean): string {
  const i = 2 * n + (first ? 0 : 1);
  return (EXPERT_KEY[i] ??= flat((first ? '\n' : ',\n') + ind(n) + '"_ws.expert": '));
}

class PlainJson {
  s = '';

  /** "{ members }" for items whose keys sit at indent n + 2; the items' parent may hold a block */
  object(items: Item[], n: number, parent: Item | null = null): void {
    if (items.length === 0) {
      this.s += '{}';
      return;
    }
    this.s += '{';
    const b = parent !== null ? parent.block : null;
    const at = b !== null && blockIntact(items, b, parent!.blockAt) ? parent!.blockAt : -1;
    for (let i = 0; i < items.length; i++) {
      if (i === at) {
        // a shared block (core/block.ts): its members are made once per indent
        const k = 2 * n + (i === 0 ? 0 : 1);
        this.s += b!.json[k] ?? this.blockJson(b!, n, k);
        i += b!.items.length - 1;
      } else this.member(items[i]!, n + 2, i === 0);
    }
    this.s += close(n);
  }

  private blockJson(b: Block, n: number, k: number): string {
    const w = new PlainJson();
    for (let i = 0; i < b.items.length; i++) w.member(b.items[i]!, n + 2, i === 0 && k % 2 === 0);
    return (b.json[k] = flat(w.s));
  }

  member(it: Item, n: number, first: boolean): void {
    if (it.expert) {
      this.s += expertPrefix(n, first) + expertObject(it.expert, n);
      return;
    }
    const f = it.field;
    const kids = it.children;
    const hasKids = kids !== null && kids.length > 0;
    if (f) {
      if (f.type !== 'protocol' && f.type !== 'none') {
        const v = it.value;
        const k = typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'number' && v >= 0 && v < SMALL && v === (v | 0) ? v : -1;
        this.s += k >= 0 ? cachedMember(f, n, first, k, v) : keyPrefix(f, n, first) + quotedValue(f, v);
        if (hasKids) {
          this.s += treePrefix(f, n);
          this.object(kids, n, it);
        }
        return;
      }
      this.s += keyPrefix(f, n, first);
    } else this.s += (first ? '\n' : ',\n') + ind(n) + textKey(it) + ': ';
    if (hasKids) this.object(kids, n, it);
    else this.s += '""';
  }
}

/** the layers object of one packet (JsonWriter.layers without -j/-J) */
export function plainLayers(items: Item[], n: number): string {
  const w = new PlainJson();
  w.object(items, n);
  return w.s;
}
