// CBU wire layout for craft (spec §5, §7): field TLVs (Type, Reserved, Length16,
// Value), the 0xCB 0x01 preamble, and Pad1/PadN to the MH's 8-octet multiple;
// plus the names a scenario uses for field types (in "omit", "list", "extra").
import { ScenarioError } from '../scenario.js';
import { hex, num } from '../values.js';

export const F = {
  HOA: 0x10, COA: 0x11, CN: 0x12, CN_COA: 0x13, RCOA: 0x14, MAP: 0x15,
  N0: 0x20, N1: 0x21, N2: 0x22, N3: 0x23, C0: 0x28, C1: 0x29,
  DH: 0x30, TS: 0x31, SIG: 0x32, CERT: 0x33, SEQ: 0x38, LT_BU: 0x39, LT_BA: 0x3a, LT_EN: 0x3b, FLAG: 0x3c,
  MAC: 0x40, SEALED: 0x50, K_BU: 0x60, K_BA: 0x61, K_EN: 0x62, K_HA_NEXT: 0x63, K_EN_NEW: 0x64,
} as const;

/** §5 names of the field types, as a scenario may write them (case-insensitive). */
const NAMES: Record<string, number> = {
  padn: 0x01, hoa: F.HOA, coa: F.COA, cn: F.CN, cn_coa: F.CN_COA, rcoa: F.RCOA, map: F.MAP, lcoa: F.MAP,
  n0: F.N0, n1: F.N1, n2: F.N2, n3: F.N3, c0: F.C0, c1: F.C1, dh: F.DH, ts: F.TS, signature: F.SIG,
  certificate: F.CERT, seq: F.SEQ, 'seq#': F.SEQ, lt_bu: F.LT_BU, lt_ba: F.LT_BA, lt_en: F.LT_EN, flag: F.FLAG,
  mac: F.MAC, sealed: F.SEALED, k_bu: F.K_BU, k_ba: F.K_BA, k_en: F.K_EN, 'k_ha-next': F.K_HA_NEXT, 'k_en-new': F.K_EN_NEW,
};

/** A field type named in a scenario: a §5 name ("MAC", "k_HA-next") or a number (16, "0x10"). */
export function fieldType(v: unknown, where: string): number {
  if (typeof v === 'string' && NAMES[v.toLowerCase()] !== undefined) return NAMES[v.toLowerCase()]!;
  if (typeof v === 'number' || (typeof v === 'string' && /^0x[0-9a-f]+$/i.test(v))) return num(v, where, 255);
  throw new ScenarioError(`${where}: a field type: a number or one of ${Object.keys(NAMES).join(', ')}`);
}

export interface CbuField {
  type: number;
  value: Buffer;
}

export function encodeField(f: CbuField): Buffer {
  if (f.value.length > 0xffff) throw new ScenarioError(`field type 0x${f.type.toString(16)}: value longer than 65535 octets`);
  const h = Buffer.alloc(4);
  h[0] = f.type;
  h.writeUInt16BE(f.value.length, 2);
  return Buffer.concat([h, f.value]);
}

export const encodeFields = (list: CbuField[]) => Buffer.concat(list.map(encodeField));

/** §7: 1-3 octets are Pad1s; 4-7 are PadN with length 0 (01 00 00 00) then Pad1s. */
export function cbuPadding(n: number): Buffer {
  const need = (8 - (n % 8)) % 8;
  const b = Buffer.alloc(need);
  if (need >= 4) b[0] = 0x01;
  return b;
}

/** Message data of a CBU MH: magic, version, message type, flags, fields, padding (MH header of 6 before it). */
export function cbuMessageData(msgType: number, flags: number, fields: CbuField[]): Buffer {
  const body = Buffer.concat([Buffer.from([0xcb, 0x01, msgType, flags]), encodeFields(fields)]);
  return Buffer.concat([body, cbuPadding(6 + body.length)]);
}

/** Raw fields from a scenario list: [{"type": "MAC", "value": "00…"}]. */
export function rawFields(v: unknown, where: string): CbuField[] {
  if (!Array.isArray(v)) throw new ScenarioError(`${where}: an array of {"type": …, "value": "hex"} is required`);
  return v.map((e, i) => {
    const w = `${where}[${i}]`;
    if (!e || typeof e !== 'object') throw new ScenarioError(`${w}: an object {"type": …, "value": "hex"} is required`);
    return { type: fieldType((e as any).type, `${w}.type`), value: hex((e as any).value ?? '', `${w}.value`) };
  });
}
