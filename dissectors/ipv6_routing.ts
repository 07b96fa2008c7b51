// Routing header (43): type 2 (RFC 6275 6.4) fully, type 0 (RFC 2460, deprecated)
// and type 4 (RFC 8754 segment routing) address lists, other types as raw data.
// Sets ip.rh2 and ip.finalDst (the pseudo-header destination while segments are
// left), and, as tshark, the Destination column.
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerDissector, table } from '../core/tables.js';
import { registerFast, fastFromTable } from '../core/fast.js';
import type { Item } from '../core/tree.js';
import { ipv6ToString } from '../core/addr.js';
import { IP_PROTO_NAMES } from './ipproto.js';
import { ipOf, extParent, nextHeader, inErrorPacket } from './ipv6.js';

const P = defineProtocol('ipv6.routing', 'Routing Header for IPv6');
const F = fieldMaker('ipv6.routing');
export const RH_TYPES: Record<number, string> = {
  0: 'Source Route', 1: 'Nimrod', 2: 'Type 2 Routing', 3: 'RPL Source Route', 4: 'Segment Routing',
  5: 'Compact Routing Header 16', 6: 'Compact Routing Header 32', 253: 'Experiment 1', 254: 'Experiment 2',
};
export const hf = {
  nxt: F('ipv6.routing.nxt', 'Next Header', 'uint8', { vals: IP_PROTO_NAMES }),
  len: F('ipv6.routing.len', 'Length', 'uint8'),
  lenOct: F('ipv6.routing.len_oct', 'Length', 'uint16'),
  type: F('ipv6.routing.type', 'Type', 'uint8', { vals: RH_TYPES }),
  segleft: F('ipv6.routing.segleft', 'Segments Left', 'uint8'),
  unknown: F('ipv6.routing.unknown_data', 'Type-Specific Data', 'bytes'),
  srcReserved: F('ipv6.routing.src.reserved', 'Reserved', 'bytes'),
  srcAddr: F('ipv6.routing.src.addr', 'Address', 'ipv6'),
  mipReserved: F('ipv6.routing.mipv6.reserved', 'Reserved', 'bytes'),
  mipHoa: F('ipv6.routing.mipv6.home_address', 'Home Address', 'ipv6'),
  srhLast: F('ipv6.routing.srh.last_entry', 'Last Entry', 'uint8'),
  srhFlags: F('ipv6.routing.srh.flags', 'Flags', 'uint8', { base: 'hex' }),
  srhTag: F('ipv6.routing.srh.tag', 'Tag', 'bytes'),
  srhAddr: F('ipv6.routing.srh.addr', 'Address', 'ipv6'),
};

const h = registerDissector('ipv6.routing', 'Routing Header for IPv6', (tvb, off, pinfo, tree, data) => {
  const ip = ipOf(pinfo, data);
  const nxt = tvb.u8(off);
  const lenw = tvb.u8(off + 1);
  const type = tvb.u8(off + 2);
  const segleft = tvb.u8(off + 3);
  const hlen = (lenw + 1) * 8;
  pinfo.layers.push('ipv6.routing');
  const parent = extParent(ip, tree);
  let t: Item | null = null;
  if (parent) {
    t = parent.add(P, off, Math.min(hlen, tvb.end - off), null, `Routing Header for IPv6 (${RH_TYPES[type] ?? 'Unknown'})`);
    t.add(hf.nxt, off, 1, nxt);
    t.add(hf.len, off + 1, 1, lenw);
    t.add(hf.lenOct, off + 1, 1, hlen, `Length: ${hlen} bytes`).generated = true;
    const ti = t.add(hf.type, off + 2, 1, type);
    if (type === 0) pinfo.addExpert('note', 'ipv6.routing.deprecated', 'Routing header type is deprecated', ti, 'deprecated');
    t.add(hf.segleft, off + 3, 1, segleft);
  } else if (type === 0) pinfo.addExpert('note', 'ipv6.routing.deprecated', 'Routing header type is deprecated', null, 'deprecated');
  const r = tvb.limit(off + hlen, off + hlen);
  let o = off + 4;
  let final: Buffer | null = null;
  const end = off + hlen;
  if (type === 0 || type === 2) {
    const reserved = r.bytes(o, 4, 'Reserved');
    t?.add(type === 2 ? hf.mipReserved : hf.srcReserved, o, 4, reserved);
    o += 4;
    const n = Math.floor((end - o) / 16);
    if (type === 2 && (lenw !== 2 || segleft !== 1)) {
      if (lenw !== 2) pinfo.addExpert('error', 'ipv6.routing.invalid_length', 'Invalid IPv6 Routing header length', t, 'malformed');
      if (segleft !== 1) pinfo.addExpert('error', 'ipv6.routing.invalid_segleft', 'IPv6 Routing Header segments left field must not exceed address count', t, 'malformed');
    }
    for (let i = 0; i < n; i++, o += 16) {
      const a = r.bytes(o, 16, 'Address');
      t?.add(type === 2 ? hf.mipHoa : hf.srcAddr, o, 16, a, `Address[${i + 1}]: ${ipv6ToString(a)}`);
      if (type === 2 && i === 0 && ip) ip.rh2 = a;
      final = a;
    }
  } else if (type === 4) {
    const last = r.u8(o);
    const flags = r.u8(o + 1);
    const tag = r.bytes(o + 2, 2);
    if (t) {
      t.add(hf.srhLast, o, 1, last);
      t.add(hf.srhFlags, o + 1, 1, flags);
      t.add(hf.srhTag, o + 2, 2, tag);
    }
    o += 4;
    // segment list[0] is the last segment: the final destination
    for (let i = 0; o + 16 <= end; i++, o += 16) {
      const a = r.bytes(o, 16, 'Address');
      t?.add(hf.srhAddr, o, 16, a, `Address[${i}]: ${ipv6ToString(a)}`);
      if (i === 0) final = a;
    }
  } else if (end > o) {
    t?.add(hf.unknown, o, end - o, r.bytes(o, end - o, 'Type-Specific Data'));
  }
  r.check(off, hlen, 'Routing header');
  if (ip && final && segleft > 0) {
    ip.finalDst = final;
    if (!inErrorPacket(pinfo) && pinfo.ip === ip) pinfo.setDst('ipv6', final);
  }
  nextHeader(nxt, tvb, end, pinfo, tree, ip);
});

table('ipv6.nxt', 'IPv6 next header').add(43, h);

const T_IPV6_NXT = table('ipv6.nxt');
// summary fast path (core/fast.ts): a routing header that fits, and for type 2 is
// well formed (RFC 6275 6.4: length 2, one segment left); with segments left, the
// final address (type 0: the last, type 2: the only one, type 4: list[0]) is the
// Destination column, as above
registerFast('ipv6.routing', (off, end, st) => {
  const buf = st.buf;
  if (off + 8 > end) return false;
  const hlen = (buf[off + 1]! + 1) * 8;
  const type = buf[off + 2]!;
  if (off + hlen > end) return false;
  if (type === 2) {
    if (hlen !== 24 || buf[off + 3] !== 1) return false;
    st.dst = off + 8;
  } else if (type === 0) {
    const n = (hlen - 8) >> 4;
    if (n > 0 && buf[off + 3]! > 0) st.dst = off + 8 + 16 * (n - 1);
  } else if (type === 4) {
    if (hlen >= 24 && buf[off + 3]! > 0) st.dst = off + 8;
  }
  return fastFromTable(T_IPV6_NXT, buf[off]!, off + hlen, end, st);
});
