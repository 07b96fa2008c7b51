// Certificate-based Binding Update (spec §5, seed 001): a Mobility Header of type
// 11 (RFC 5096 Experimental, a default: `-d mip6.mhtype==N,mip6.cbu` moves it)
// whose message data starts 0xCB 0x01. Registered at 'heur:11' and declining
// without the magic, so other MH 11 stay plain "Experimental".
// Leaves pinfo.data.cbu (CbuInfo) for verifiers; Sealed stays opaque here (a
// verifier with k_HA / k_CN decrypts and calls dissectCbuFields on the plaintext).
import { fieldMaker } from '../../core/fields.js';
import { registerDissector, table } from '../../core/tables.js';
import { registerFast } from '../../core/fast.js';
import type { Tvb } from '../../core/tvb.js';
import type { PacketInfo } from '../../core/packet.js';
import type { Item } from '../../core/tree.js';
import type { Engine } from '../../core/engine.js';
import { ipv6ToString, bytesToHex } from '../../core/addr.js';
import { escapeText } from '../../core/escape.js';
import type { MhMessageCtx } from '../mip6/api.js';
import { CBU_MAGIC, CBU_VERSION, CBU_MSG_NAMES, CBU_FIELDS, CBU_FIELD_NAMES, CBU_FLAG_MEANING, DH_GROUPS, DH_VALUE_LEN, PAD1, PADN } from './types.js';
import { decodeCertificate, type CertInfo } from './cert.js';

const F = fieldMaker('mipv6');
const hf = {
  cbu: F('mip6.cbu', 'Certificate-based Binding Update', 'none'),
  magic: F('mip6.cbu.magic', 'Magic', 'uint8', { base: 'hex' }),
  version: F('mip6.cbu.version', 'Version', 'uint8'),
  type: F('mip6.cbu.type', 'CBU Message Type', 'uint8', { vals: CBU_MSG_NAMES }),
  flags: F('mip6.cbu.flags', 'Flags', 'uint8', { base: 'hex' }),
  field: F('mip6.cbu.field', 'CBU Field', 'none'),
  ftype: F('mip6.cbu.field.type', 'Type', 'uint8', { base: 'hex', vals: CBU_FIELD_NAMES }),
  freserved: F('mip6.cbu.field.reserved', 'Reserved', 'uint8', { base: 'hex' }),
  flen: F('mip6.cbu.field.length', 'Length', 'uint16'),
  fvalue: F('mip6.cbu.field.value', 'Value', 'bytes'),
  pad1: F('mip6.cbu.pad1', 'Pad1', 'none'),
  padn: F('mip6.cbu.padn', 'PadN', 'bytes'),
  padding: F('mip6.cbu.padding', 'Padding octets', 'uint32'),
  dhGroup: F('mip6.cbu.dh.group', 'DH Group', 'uint16', { vals: DH_GROUPS }),
  sealedIv: F('mip6.cbu.sealed.iv', 'IV', 'bytes'),
  sealedCt: F('mip6.cbu.sealed.ciphertext', 'Ciphertext', 'bytes'),
  sealedTag: F('mip6.cbu.sealed.tag', 'Tag', 'bytes'),
  certSubject: F('mip6.cbu.cert.subject', 'Subject', 'string'),
  certIssuer: F('mip6.cbu.cert.issuer', 'Issuer', 'string'),
  certSerial: F('mip6.cbu.cert.serial', 'Serial Number', 'string'),
  certNotBefore: F('mip6.cbu.cert.not_before', 'Not Before', 'abs_time'),
  certNotAfter: F('mip6.cbu.cert.not_after', 'Not After', 'abs_time'),
  certKeyType: F('mip6.cbu.cert.key_type', 'Public Key Type', 'string'),
  certKeyBits: F('mip6.cbu.cert.key_bits', 'Public Key Size', 'uint32', { unit: ' bits' }),
  certCurve: F('mip6.cbu.cert.curve', 'Curve', 'string'),
  certIpBlock: F('mip6.cbu.cert.ip_block', 'IP Address Block (RFC 3779)', 'string'),
  certSanIp: F('mip6.cbu.cert.san_ip', 'subjectAltName iPAddress', 'ipv6'),
  certSha256: F('mip6.cbu.cert.sha256', 'SHA-256 Fingerprint', 'bytes'),
};
// one value field per §5 field type (addresses as ipv6, counters as uints, the rest as bytes)
const valueField: Record<number, ReturnType<typeof F>> = {};
for (const [k, d] of Object.entries(CBU_FIELDS)) {
  const t = Number(k);
  if (d.kind === 'padn') continue;
  const type = d.kind === 'addr' ? 'ipv6' : d.kind === 'seq' || d.kind === 'lt' ? 'uint16' : d.kind === 'flag' ? 'uint8'
    : d.kind === 'ts' ? 'abs_time' : 'bytes';
  valueField[t] = F(d.abbrev, d.name, type, d.kind === 'flag' ? { base: 'hex' } : {});
}

/** One decoded CBU field (value = a view into the packet or plaintext buffer). */
export interface CbuField {
  type: number;
  /** offset of the field's Type octet in `buf` */
  off: number;
  /** value length */
  len: number;
  value: Buffer;
}

export interface CbuInfo {
  msgType: number;
  name: string;
  flags: number;
  /** offset of the magic octet (message data start) in `buf` */
  offset: number;
  buf: Buffer;
  fields: CbuField[];
  /** Pad1/PadN octets after the fields */
  padding: number;
  malformed: boolean;
  /** first field of a type, for convenience */
  get(type: number): CbuField | undefined;
}

function showKeys(pinfo: PacketInfo): boolean {
  return !!(pinfo.data.engine as Engine | undefined)?.opts.showKeys;
}

function lifetimeText(v: number): string {
  return `${v} (${v * 4} seconds)`;
}

/** Short value text for a field's label (tree only). */
function valueText(type: number, v: Buffer, msgType: number, keysShown: boolean): string {
  const d = CBU_FIELDS[type]!;
  switch (d.kind) {
    case 'addr': return ipv6ToString(v);
    case 'seq': return String(v.readUInt16BE(0));
    case 'lt': return lifetimeText(v.readUInt16BE(0));
    case 'flag': return `0x${v[0]!.toString(16).padStart(2, '0')}${CBU_FLAG_MEANING[msgType] ? ` (${CBU_FLAG_MEANING[msgType]})` : ''}`;
    case 'ts': {
      const d = new Date(Number(v.readBigUInt64BE(0)) * 1000);
      return Number.isNaN(d.getTime()) ? `${v.readBigUInt64BE(0)} (out of range)` : d.toISOString().replace('.000Z', 'Z');
    }
    case 'dh': { const g = v.readUInt16BE(0); return `group ${g}${DH_GROUPS[g] ? ` (${DH_GROUPS[g]})` : ''}, ${v.length - 2} octets`; }
    case 'key': return keysShown ? bytesToHex(v) : `<${v.length} octets hidden; --show-keys prints keys>`;
    case 'nonce': case 'mac': return bytesToHex(v);
    default: return `${v.length} octets`;
  }
}

function fixedOk(type: number, len: number): boolean {
  const d = CBU_FIELDS[type];
  if (!d) return true;
  if (d.len !== undefined) return len === d.len;
  if (d.min !== undefined) return len >= d.min;
  return true;
}

function addCert(pinfo: PacketInfo, it: Item | null, der: Buffer, off: number): CertInfo {
  const c = decodeCertificate(der);
  if (c.error) {
    pinfo.addExpert('error', 'cbu.bad_certificate', `Certificate: unparsable DER (${escapeText(c.error)})`, it, 'malformed');
  } else if (c.ipBlocksError) {
    pinfo.addExpert('error', 'cbu.bad_certificate', `Certificate: RFC 3779 IP address blocks unparsable (${escapeText(c.ipBlocksError)})`, it, 'malformed');
  }
  if (!it) return c;
  const g = (f: ReturnType<typeof F>, v: unknown, text: string | null = null) => {
    const x = it.add(f, off, der.length, v, text);
    x.generated = true;
    return x;
  };
  if (!c.error) {
    g(hf.certSubject, c.subject!);
    g(hf.certIssuer, c.issuer!);
    g(hf.certSerial, c.serial!);
    g(hf.certNotBefore, [Math.floor(c.notBefore!.getTime() / 1000), 0]);
    g(hf.certNotAfter, [Math.floor(c.notAfter!.getTime() / 1000), 0]);
    if (c.keyType) g(hf.certKeyType, c.keyType);
    if (c.keyBits) g(hf.certKeyBits, c.keyBits);
    if (c.curve) g(hf.certCurve, c.curve);
    for (const b of c.ipBlocks ?? []) g(hf.certIpBlock, b.text);
    for (const a of c.sanIps ?? []) g(hf.certSanIp, a);
  }
  g(hf.certSha256, c.sha256);
  return c;
}

/**
 * Decode a CBU field list in [off, end) of `tvb`: the message body, or a decrypted
 * Sealed plaintext (inSealed: k_* fields allowed there only). Pushes into `out`,
 * returns the padding octets seen. Bounds are checked before each read.
 */
export function dissectCbuFields(tvb: Tvb, off: number, end: number, pinfo: PacketInfo, tree: Item | null,
  out: CbuField[], msgType: number, inSealed: boolean): number {
  let padding = 0;
  const keysShown = tree ? showKeys(pinfo) : false;
  while (off < end) {
    const t = tvb.u8(off);
    if (t === PAD1) {
      tree?.add(hf.pad1, off, 1, null);
      padding++;
      off++;
      continue;
    }
    tvb.check(off, 4, 'CBU field header');
    const len = tvb.u16(off + 2);
    tvb.check(off + 4, len, `CBU field ${CBU_FIELD_NAMES[t] ?? 'type 0x' + t.toString(16)} (length ${len})`);
    if (off + 4 + len > end) tvb.fail(off + 4, len, `CBU field ${CBU_FIELD_NAMES[t] ?? t} runs past the message`);
    const v = tvb.buf.subarray(off + 4, off + 4 + len);
    if (t === PADN) {
      padding += 4 + len;
      if (tree) {
        const p = tree.add(hf.padn, off, 4 + len, tvb.buf.subarray(off, off + 4 + len), `PadN: ${4 + len} octets`);
        p.add(hf.ftype, off, 1, t);
        p.add(hf.flen, off + 2, 2, len);
      }
      off += 4 + len;
      continue;
    }
    const d = CBU_FIELDS[t];
    out.push({ type: t, off, len, value: v });
    const sizeOk = fixedOk(t, len);
    let it: Item | null = null;
    if (tree) {
      const label = !d ? `Unknown field 0x${t.toString(16).padStart(2, '0')} (${len} octets)`
        : sizeOk ? `${d.name}: ${valueText(t, v, msgType, keysShown)}` : `${d.name}: bad length ${len}`;
      it = tree.add(hf.field, off, 4 + len, null, label);
      it.add(hf.ftype, off, 1, t);
      it.add(hf.freserved, off + 1, 1, tvb.u8(off + 1));
      it.add(hf.flen, off + 2, 2, len);
    }
    const vo = off + 4;
    if (!d) {
      it?.add(hf.fvalue, vo, len, v);
      pinfo.addExpert('note', 'cbu.unknown_field', `Unknown CBU field type 0x${t.toString(16).padStart(2, '0')}`, it, 'undecoded');
    } else if (!sizeOk) {
      it?.add(hf.fvalue, vo, len, v);
      pinfo.malformed = true;
      pinfo.addExpert('error', 'mh.malformed', `CBU field ${d.name}: length ${len}, expected ${d.len ?? 'at least ' + d.min}`, it, 'malformed');
    } else {
      if (d.kind === 'key' && !inSealed) {
        pinfo.addExpert('warning', 'cbu.key_outside_sealed', `CBU field ${d.name} outside a Sealed field`, it, 'security');
      }
      if (it) addValue(t, v, vo, it, msgType, keysShown);
      if (d.kind === 'dh') {
        const g = v.readUInt16BE(0);
        const want = DH_VALUE_LEN[g];
        if (!want) pinfo.addExpert('note', 'cbu.dh_group_unknown', `DH group ${g} is not one of 14, 19, 31`, it, 'protocol');
        else if (!want.includes(len - 2)) pinfo.addExpert('warning', 'cbu.dh_length', `DH value of ${len - 2} octets does not fit group ${g} (expected ${want.join(' or ')})`, it, 'protocol');
      } else if (d.kind === 'cert') {
        addCert(pinfo, it, v, vo);
      }
    }
    off += 4 + len;
  }
  return padding;
}

function addValue(t: number, v: Buffer, vo: number, it: Item, msgType: number, keysShown: boolean): void {
  const d = CBU_FIELDS[t]!;
  const f = valueField[t]!;
  switch (d.kind) {
    case 'addr': it.add(f, vo, 16, v); break;
    case 'seq': it.add(f, vo, 2, v.readUInt16BE(0)); break;
    case 'lt': { const n = v.readUInt16BE(0); it.add(f, vo, 2, n, `${d.name}: ${lifetimeText(n)}`); break; }
    case 'flag': it.add(f, vo, 1, v[0]!, `Flag: ${valueText(t, v, msgType, keysShown)}`); break;
    case 'ts': it.add(f, vo, 8, [Number(v.readBigUInt64BE(0)), 0]); break;
    case 'dh': {
      it.add(hf.dhGroup, vo, 2, v.readUInt16BE(0));
      it.add(f, vo + 2, v.length - 2, v.subarray(2));
      break;
    }
    case 'sealed': {
      it.add(hf.sealedIv, vo, 12, v.subarray(0, 12));
      it.add(hf.sealedCt, vo + 12, v.length - 28, v.subarray(12, v.length - 16));
      it.add(hf.sealedTag, vo + v.length - 16, 16, v.subarray(v.length - 16));
      break;
    }
    case 'key':
      if (keysShown) it.add(f, vo, v.length, v);
      else it.addText(`${d.name}: <${v.length} octets hidden; --show-keys prints keys>`, vo, v.length);
      break;
    default: it.add(f, vo, v.length, v);
  }
}

function makeInfo(msgType: number, flags: number, offset: number, buf: Buffer): CbuInfo {
  return {
    msgType, name: CBU_MSG_NAMES[msgType] ?? `type ${msgType}`, flags, offset, buf, fields: [], padding: 0, malformed: false,
    get(type: number) { return this.fields.find((f) => f.type === type); },
  };
}

export const cbuHandle = registerDissector('mip6.cbu', 'CBU', (tvb, off, pinfo, tree, data?: MhMessageCtx) => {
  const mh = data?.mh;
  // message data begins after the 6-octet MH header, whichever offset the caller passes
  const start = mh ? mh.offset + 6 : off;
  if (!tvb.has(start, 2) || tvb.buf[start] !== CBU_MAGIC || tvb.buf[start + 1] !== CBU_VERSION) return false;
  const end = mh ? Math.min(tvb.rend, mh.offset + (mh.hlen + 1) * 8) : tvb.rend;
  const msgType = tvb.u8(start + 2);
  const flags = tvb.u8(start + 3);
  const info = makeInfo(msgType, flags, start, tvb.buf);
  pinfo.data.cbu = info;
  const label = `CBU ${CBU_MSG_NAMES[msgType] ?? `Unknown (${msgType})`}`;
  if (mh) mh.name = label;
  pinfo.setInfo(label);
  let t: Item | null = null;
  if (tree) {
    t = tree.add(hf.cbu, start, end - start, null, `Certificate-based Binding Update: ${label.slice(4)}`);
    t.add(hf.magic, start, 1, CBU_MAGIC);
    t.add(hf.version, start + 1, 1, CBU_VERSION);
    t.add(hf.type, start + 2, 1, msgType);
    t.add(hf.flags, start + 3, 1, flags);
  }
  if (!CBU_MSG_NAMES[msgType]) pinfo.addExpert('note', 'cbu.unknown_type', `Unknown CBU message type ${msgType}`, t, 'undecoded');
  try {
    info.padding = dissectCbuFields(tvb, start + 4, end, pinfo, t, info.fields, msgType, false);
    if (t) t.add(hf.padding, end, 0, info.padding).generated = true;
  } catch (e) {
    info.malformed = true;
    throw e;
  } finally {
    // Info names the sequence number even when a later field broke
    const seq = info.get(0x38);
    if (seq && seq.len === 2) pinfo.appendInfo(` seq=${seq.value.readUInt16BE(0)}`);
    const dh = info.get(0x30);
    if (dh && dh.len >= 2) pinfo.appendInfo(` group=${dh.value.readUInt16BE(0)}`);
    if (pinfo.malformed) info.malformed = true;
  }
  return true;
}, 'mh.malformed');

table('mip6.mhtype', 'Mobility Header type').add('heur:11', cbuHandle);

// summary fast path (core/fast.ts): `off` is the MH start. Ordinary = the magic,
// a known message type, and fields that fit with their right sizes; the Info
// suffixes (seq, group) come from the first such field, as above.
registerFast('mip6.cbu', (off, end, st) => {
  const buf: Buffer = st.buf;
  const start = off + 6;
  if (start + 4 > end || buf[start] !== CBU_MAGIC || buf[start + 1] !== CBU_VERSION) return false;
  const msgType = buf[start + 2]!;
  const name = CBU_MSG_NAMES[msgType];
  if (!name) return false;
  let seq = -1, group = -1;
  let o = start + 4;
  while (o < end) {
    const t = buf[o]!;
    if (t === PAD1) {
      o++;
      continue;
    }
    if (o + 4 > end) return false;
    const len = (buf[o + 2]! << 8) | buf[o + 3]!;
    if (o + 4 + len > end) return false;
    if (t !== PADN) {
      if (!CBU_FIELDS[t] || !fixedOk(t, len)) return false;
      if (t === 0x38 && seq < 0 && len === 2) seq = (buf[o + 4]! << 8) | buf[o + 5]!;
      else if (t === 0x30 && group < 0 && len >= 2) group = (buf[o + 4]! << 8) | buf[o + 5]!;
    }
    o += 4 + len;
  }
  st.info = `CBU ${name}` + (seq >= 0 ? ` seq=${seq}` : '') + (group >= 0 ? ` group=${group}` : '');
  return true;
}, (off, end, st) => off + 8 > end || st.buf[off + 6] !== CBU_MAGIC || st.buf[off + 7] !== CBU_VERSION);
