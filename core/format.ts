// Value text as tshark prints it: `jsonValue` for -T json/-T fields (FTREPR_DISPLAY),
// `itemLabel` for the -V tree line.
import type { Field } from './fields.js';
import { valueString } from './fields.js';
import type { Item } from './tree.js';
import { ipv6ToString, ipv4ToString, etherToString, bytesToColonHex } from './addr.js';
import { escapeText, bytesToSafeString } from './escape.js';

const WIDTH: Partial<Record<Field['type'], number>> = { uint8: 8, uint16: 16, uint24: 24, uint32: 32, uint64: 64, int32: 32 };

export function typeBits(f: Field): number {
  return f.bits ?? WIDTH[f.type] ?? 8;
}

function hexDigits(f: Field): number {
  return Math.ceil(typeBits(f) / 4);
}

function hex(f: Field, v: number | bigint): string {
  return '0x' + v.toString(16).padStart(hexDigits(f), '0');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** value of abs_time items: [seconds, nanoseconds] */
export function absTimeString(sec: number, nsec: number): string {
  const d = new Date(sec * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}, ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(nsec, 9)} UTC`;
}

/** tshark's field value string (what -T json and -T fields print). */
export function jsonValue(f: Field, v: unknown): string {
  switch (f.type) {
    case 'bool':
      return v ? '1' : '0';
    case 'uint8': case 'uint16': case 'uint24': case 'uint32': case 'int32': case 'uint64': case 'framenum': {
      if (typeof v !== 'number' && typeof v !== 'bigint') return String(v ?? '');
      const base = f.base ?? 'dec';
      if (base === 'hex' || base === 'hex_dec') return hex(f, v);
      return String(v);
    }
    case 'ipv6':
      return v instanceof Uint8Array ? ipv6ToString(v) : String(v ?? '');
    case 'ipv4':
      return v instanceof Uint8Array ? ipv4ToString(v) : String(v ?? '');
    case 'ether':
      return v instanceof Uint8Array ? etherToString(v) : String(v ?? '');
    case 'bytes': case 'protocol': case 'none':
      return v instanceof Uint8Array ? bytesToColonHex(v) : v == null ? '' : escapeText(String(v));
    case 'string':
      return v instanceof Uint8Array ? bytesToSafeString(v) : escapeText(String(v ?? ''));
    case 'abs_time':
      return Array.isArray(v) ? absTimeString(v[0], v[1]) : String(v);
    case 'rel_time':
      return typeof v === 'number' ? v.toFixed(9) : String(v);
    case 'double':
      return String(v);
  }
  return String(v);
}

/** The bit-pattern prefix Wireshark shows for masked fields: "..1. .... = ". */
export function bitPattern(f: Field, v: number): string {
  const bits = typeBits(f);
  const mask = f.mask!;
  let shift = 0;
  while (shift < 32 && ((mask >>> shift) & 1) === 0) shift++;
  const raw = (v << shift) >>> 0;
  let s = '';
  for (let i = bits - 1; i >= 0; i--) {
    const m = 2 ** i;
    s += Math.floor(mask / m) % 2 ? (Math.floor(raw / m) % 2 ? '1' : '0') : '.';
    if (i % 4 === 0 && i !== 0) s += ' ';
  }
  return s + ' = ';
}

/** The -V line for one item. */
export function itemLabel(it: Item): string {
  let s: string;
  const f = it.field;
  if (it.text != null) s = it.text;
  else if (!f) s = '';
  else if (f.type === 'protocol' || f.type === 'none') s = f.name;
  else s = f.name + ': ' + displayValue(f, it.value);
  if (f && f.mask && it.text == null && typeof it.value === 'number') s = bitPattern(f, it.value) + s;
  if (it.suffix) s += it.suffix;
  if (it.generated) s = '[' + s + ']';
  return s;
}

/** Human value text for the tree: value strings, units, true/false strings. */
export function displayValue(f: Field, v: unknown): string {
  if (f.type === 'bool') {
    const on = !!v;
    if (f.tfs) return on ? f.tfs[0] : f.tfs[1];
    return on ? 'True' : 'False';
  }
  if (typeof v === 'number' && f.vals) {
    const name = valueString(f.vals, v);
    const raw = (f.base === 'hex' || f.base === 'hex_dec') ? hex(f, v) : String(v);
    return (name ?? 'Unknown') + ' (' + raw + ')' + (f.unit ?? '');
  }
  if ((typeof v === 'number' || typeof v === 'bigint') && f.base === 'dec_hex') return `${v} (${hex(f, v)})${f.unit ?? ''}`;
  if ((typeof v === 'number' || typeof v === 'bigint') && f.base === 'hex_dec') return `${hex(f, v)} (${v})${f.unit ?? ''}`;
  if (f.type === 'bytes' && v instanceof Uint8Array) return v.length === 0 ? '<MISSING>' : Buffer.from(v).toString('hex');
  return jsonValue(f, v) + (f.unit ?? '');
}
