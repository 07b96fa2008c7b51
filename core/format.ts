// Value text as tshark prints it: `jsonValue` for -T json/-T fields (FTREPR_DISPLAY),
// `itemLabel` for the -V tree line. Called once per item on hot paths: no regex,
// no per-call closures, hex widths and key strings cached.
import type { Field } from './fields.js';
import { valueString, fieldCache } from './fields.js';
import type { Item } from './tree.js';
import { ipv6ToString, ipv4ToString, etherToString, bytesToColonHex } from './addr.js';
import { escapeText, bytesToSafeString } from './escape.js';

let flatSink = 0;
/**
 * Flatten a concatenated string before caching it: V8 keeps `a + b` as a rope,
 * and a rope leaf that is itself a rope makes every later write walk it again.
 * (charCodeAt flattens in place; the sink keeps the call from being optimised away.)
 */
export function flat(s: string): string {
  flatSink ^= s.charCodeAt(0) | 0;
  return s;
}

const WIDTH: Partial<Record<Field['type'], number>> = { uint8: 8, uint16: 16, uint24: 24, uint32: 32, uint64: 64, int32: 32, bool: 8 };

/** Container width in bits (masked fields: `bits`, else the type's width). */
export function typeBits(f: Field): number {
  return f.bits ?? WIDTH[f.type] ?? 8;
}

function shiftOf(mask: number): number {
  let s = 0;
  while (s < 52 && Math.floor(mask / 2 ** s) % 2 === 0) s++;
  return s;
}

/** Bits a masked field really has (Wireshark's hfinfo_mask_bitwidth). */
function maskWidth(mask: number): number {
  const m = Math.floor(mask / 2 ** shiftOf(mask));
  let w = 0;
  while (2 ** w <= m) w++;
  return w;
}

/** hex digits for -T json/fields: the type's width (FT_UINT32 -> 8 digits) */
function typeDigits(f: Field): number {
  return Math.ceil((WIDTH[f.type] ?? typeBits(f)) / 4);
}

/** hex digits in -V labels: masked fields use the mask's width (0x0ff00000 -> 2) */
function labelDigits(f: Field): number {
  if (!f.mask) return typeDigits(f);
  const c = fieldCache(f);
  if (c.labelDigits < 0) c.labelDigits = Math.ceil(maskWidth(f.mask) / 4);
  return c.labelDigits;
}

function hexN(v: number | bigint, digits: number): string {
  const s = v.toString(16);
  return s.length >= digits ? '0x' + s : '0x' + '0'.repeat(digits - s.length) + s;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => (n < 10 ? '0' + n : String(n));
const p9 = (n: number) => {
  const s = String(n);
  return s.length >= 9 ? s : '000000000'.slice(s.length) + s;
};

// packets come in time order: the date and time of day are formatted once per second
let absSec = NaN;
let absHead = '';
let isoSec = NaN;
let isoHead = '';

/** abs_time as tshark prints it: "Nov 14, 2023 22:13:20.123456000 UTC". */
export function absTimeString(sec: number, nsec: number): string {
  if (sec !== absSec) {
    const d = new Date(sec * 1000);
    const day = d.getUTCDate();
    absHead = flat(`${MONTHS[d.getUTCMonth()]} ${day < 10 ? ' ' + day : day}, ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.`);
    absSec = sec;
  }
  return absHead + p9(nsec) + ' UTC';
}

/** abs_time in -T ek: ISO 8601 with nanoseconds ("2023-11-14T22:13:20.123456000Z"). */
export function absTimeIso(sec: number, nsec: number): string {
  if (sec !== isoSec) {
    const d = new Date(sec * 1000);
    isoHead = flat(`${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.`);
    isoSec = sec;
  }
  return isoHead + p9(nsec) + 'Z';
}

/** rel_time from [sec, nsec] (exact) or seconds as a number: 9 digits, as tshark. */
export function relTimeString(v: unknown): string {
  if (Array.isArray(v)) {
    let s = v[0] as number;
    let n = v[1] as number;
    let neg = false;
    if (s < 0 || (s === 0 && n < 0)) {
      neg = true;
      s = -s;
      n = -n;
      if (n < 0) {
        n += 1e9;
        s -= 1;
      }
    }
    return (neg ? '-' : '') + s + '.' + p9(n);
  }
  if (typeof v === 'number') return v.toFixed(9);
  return String(v ?? '');
}

/** tshark's field value string (what -T json and -T fields print). */
export function jsonValue(f: Field, v: unknown): string {
  switch (f.type) {
    case 'bool':
      return v ? '1' : '0';
    case 'uint8': case 'uint16': case 'uint24': case 'uint32': case 'int32': case 'uint64': case 'framenum': {
      if (typeof v !== 'number' && typeof v !== 'bigint') return v == null ? '' : escapeText(String(v));
      const base = f.base;
      if (base === 'hex' || base === 'hex_dec') return hexN(v, typeDigits(f));
      return String(v);
    }
    case 'ipv6':
      return v instanceof Uint8Array ? ipv6ToString(v) : escapeText(String(v ?? ''));
    case 'ipv4':
      return v instanceof Uint8Array ? ipv4ToString(v) : escapeText(String(v ?? ''));
    case 'ether':
      return v instanceof Uint8Array ? etherToString(v) : escapeText(String(v ?? ''));
    case 'bytes':
      return v instanceof Uint8Array ? bytesToColonHex(v) : v == null ? '' : escapeText(String(v));
    case 'protocol': case 'none':
      return '';
    case 'string':
      return v instanceof Uint8Array ? bytesToSafeString(v) : escapeText(String(v ?? ''));
    case 'abs_time':
      return Array.isArray(v) ? absTimeString(v[0], v[1]) : escapeText(String(v ?? ''));
    case 'rel_time':
      return relTimeString(v);
    case 'double':
      return String(v);
  }
  return escapeText(String(v));
}

function fieldShift(f: Field): number {
  const c = fieldCache(f);
  if (c.shift < 0) c.shift = shiftOf(f.mask!);
  return c.shift;
}

function patternOf(bits: number, mask: number, raw: number): string {
  let s = '';
  for (let i = bits - 1; i >= 0; i--) {
    const m = 2 ** i;
    s += Math.floor(mask / m) % 2 ? (Math.floor(raw / m) % 2 ? '1' : '0') : '.';
    if (i % 4 === 0 && i !== 0) s += ' ';
  }
  return s + ' = ';
}

/** The bit-pattern prefix Wireshark shows for masked fields: "..1. .... = " (cached per field and value). */
export function bitPattern(f: Field, v: unknown): string {
  const mask = f.mask!;
  const raw = typeof v === 'boolean' ? (v ? mask : 0) : typeof v === 'number' ? v * 2 ** fieldShift(f) : 0;
  const c = fieldCache(f);
  const cache = (c.bits ??= new Map());
  let s = cache.get(raw);
  if (s === undefined) {
    s = patternOf(typeBits(f), mask, raw);
    if (cache.size < 4096) cache.set(raw, s);
  }
  return s;
}

/**
 * The -V line for one item, safe for a terminal: custom labels and suffixes (which
 * may quote packet text) are escaped here, values are escaped by jsonValue.
 */
export function itemLabel(it: Item): string {
  let s: string;
  const f = it.field;
  const v = it.value;
  if (it.text != null) s = escapeText(it.text);
  else if (!f) s = '';
  else if (f.type === 'protocol' || f.type === 'none') s = f.name;
  else if (typeof v === 'number' || typeof v === 'boolean') {
    // labels of small values repeat from packet to packet: cache them per field
    const cache = (fieldCache(f).label ??= new Map());
    const hit = cache.get(v);
    if (hit !== undefined) s = hit;
    else {
      // a custom label (it.text) carries its own bit pattern: dissectors build it with bitPattern()
      s = (f.mask ? bitPattern(f, v) : '') + f.name + ': ' + displayValue(f, v);
      if (cache.size < 4096) cache.set(v, s);
    }
  } else s = f.name + ': ' + displayValue(f, v);
  if (it.suffix) s += escapeText(it.suffix);
  if (it.generated) s = '[' + s + ']';
  return s;
}

/** Wireshark shows at most 36 octets of a byte field in a label, then "…". */
const LABEL_BYTES = 36;

/** Human value text for the tree: value strings, units, true/false strings. */
export function displayValue(f: Field, v: unknown): string {
  if (f.type === 'bool') {
    const on = !!v;
    if (f.tfs) return on ? f.tfs[0] : f.tfs[1];
    return on ? 'True' : 'False';
  }
  if (typeof v === 'number' || typeof v === 'bigint') {
    const hexBase = f.base === 'hex' || f.base === 'hex_dec';
    if (f.vals && typeof v === 'number') {
      const name = valueString(f.vals, v);
      return (name ?? 'Unknown') + ' (' + (hexBase ? hexN(v, labelDigits(f)) : String(v)) + ')';
    }
    if (f.type === 'rel_time') return relTimeString(v) + ' seconds';
    if (f.type === 'double') return String(v) + (f.unit ?? '');
    if (f.base === 'dec_hex') return `${v} (${hexN(v, labelDigits(f))})${f.unit ?? ''}`;
    if (f.base === 'hex_dec') return `${hexN(v, labelDigits(f))} (${v})${f.unit ?? ''}`;
    if (f.base === 'hex') return hexN(v, labelDigits(f)) + (f.unit ?? '');
    return String(v) + (f.unit ?? '');
  }
  if (f.type === 'bytes' && v instanceof Uint8Array) {
    if (v.length === 0) return '<MISSING>';
    const b = Buffer.from(v.buffer, v.byteOffset, Math.min(v.length, LABEL_BYTES));
    return b.toString('hex') + (v.length > LABEL_BYTES ? '…' : '') + (f.unit ?? '');
  }
  if (f.type === 'rel_time') return relTimeString(v) + ' seconds';
  return jsonValue(f, v) + (f.unit ?? '');
}

/** JSON key strings, cached per field ("\"ipv6.src\"" and the -T ek key). */
export function jsonKey(f: Field): string {
  const c = fieldCache(f);
  return (c.jsonKey ??= JSON.stringify(f.abbrev));
}

export function jsonTreeKey(f: Field): string {
  const c = fieldCache(f);
  return (c.jsonTreeKey ??= JSON.stringify(f.abbrev + '_tree'));
}

/** tshark -T ek key: "<protocol>_<abbrev>" with dots as underscores; protocols alone. */
export function ekKey(f: Field): string {
  const c = fieldCache(f);
  if (c.ekKey === null) {
    const name = f.type === 'protocol' || f.proto === f.abbrev ? f.abbrev : f.proto + '_' + f.abbrev;
    c.ekKey = JSON.stringify(name.split('.').join('_'));
  }
  return c.ekKey;
}
