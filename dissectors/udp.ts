// UDP (RFC 768; RFC 8200 8.1 for the zero checksum over IPv6): ports, length,
// checksum verified over the pseudo-header (HAO / routing header applied), then
// table `udp.port` (lower port first, as Wireshark) or data.
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerDissector, dissectFromTable, table } from '../core/tables.js';
import { registerFast } from '../core/fast.js';
import { registerPref, pref } from '../core/prefs.js';
import type { Item } from '../core/tree.js';
import { transportChecksum, ipv6ChecksumAt } from './inet_cksum.js';
import { statusItem } from './inet_cksum.js';
import { ipOf, inErrorPacket } from './ipv6.js';

const P = defineProtocol('udp', 'User Datagram Protocol');
const F = fieldMaker('udp');
export const CSUM_STATUS = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' };
export const hf = {
  srcport: F('udp.srcport', 'Source Port', 'uint16'),
  dstport: F('udp.dstport', 'Destination Port', 'uint16'),
  port: F('udp.port', 'Source or Destination Port', 'uint16'),
  length: F('udp.length', 'Length', 'uint16'),
  checksum: F('udp.checksum', 'Checksum', 'uint16', { base: 'hex' }),
  checksumCalc: F('udp.checksum_calculated', 'Calculated Checksum', 'uint16', { base: 'hex' }),
  checksumStatus: F('udp.checksum.status', 'Checksum Status', 'uint8', { vals: CSUM_STATUS }),
  payload: F('udp.payload', 'Payload', 'bytes'),
};

registerPref({ name: 'udp.check_checksum', def: 'TRUE', desc: 'Validate the UDP checksum (tshark default: FALSE)', choices: ['TRUE', 'FALSE'] });

const h = registerDissector('udp', 'UDP', (tvb, off, pinfo, tree, data) => {
  const ip = ipOf(pinfo, data);
  tvb.check(off, 8, 'UDP header');
  const sport = tvb.u16(off);
  const dport = tvb.u16(off + 2);
  const ulen = tvb.u16(off + 4);
  const csum = tvb.u16(off + 6);
  const err = inErrorPacket(pinfo);
  pinfo.layers.push('udp');
  const claimed = tvb.rend - off;
  // an ICMPv6 error quotes as much of the invoking packet as fits: no length complaint there
  const badLen = !err && (ulen < 8 || ulen > claimed);
  // 0 = bad, 1 = good, 2 = unverified, 3 = not present, 4 = illegal
  let status = 2;
  let calc = 0;
  if (csum === 0) status = ip?.version === 4 ? 3 : 4;
  else if (!err && ip && !badLen && pref('udp.check_checksum') !== 'FALSE' && tvb.has(off, ulen)) {
    calc = transportChecksum(ip, 17, tvb.buf, off, ulen, off + 6);
    if (calc === 0) calc = 0xffff;
    status = calc === csum ? 1 : 0;
  }
  if (!err) {
    pinfo.setProto('UDP');
    let info = `${sport} → ${dport} Len=${ulen - 8}`;
    if (status === 0) info += ' [UDP CHECKSUM INCORRECT]';
    if (status === 4) info += ' [ILLEGAL CHECKSUM (0)]';
    if (badLen) info += ` [BAD UDP LENGTH ${ulen} ${ulen < 8 ? '<' : '>'} IP PAYLOAD LENGTH]`;
    pinfo.setInfo(info);
  }
  pinfo.data.udp = { srcport: sport, dstport: dport, length: ulen, offset: off, csumOk: status === 1 ? true : status === 0 ? false : null };
  let t: Item | null = null;
  if (tree) {
    t = tree.add(P, off, 8, null, `User Datagram Protocol, Src Port: ${sport}, Dst Port: ${dport}`);
    t.add(hf.srcport, off, 2, sport);
    t.add(hf.dstport, off + 2, 2, dport);
    t.add(hf.port, off, 2, sport).hidden = true;
    t.add(hf.port, off + 2, 2, dport).hidden = true;
    const li = t.add(hf.length, off + 4, 2, ulen);
    if (badLen) pinfo.addExpert('error', 'udp.length.bad', `Bad length value ${ulen} ${ulen < 8 ? '<' : '>'} IP payload length`, li, 'malformed');
    const ci = t.add(hf.checksum, off + 6, 2, csum);
    const hx = (v: number) => '0x' + v.toString(16).padStart(4, '0');
    if (status === 1) {
      ci.suffix = ' [correct]';
      ci.add(hf.checksumCalc, off + 6, 2, calc).generated = true;
      statusItem(t, hf.checksumStatus, off + 6, 1);
    } else if (status === 0) {
      ci.suffix = ` incorrect, should be ${hx(calc)} (maybe caused by "UDP checksum offload"?)`;
      pinfo.addExpert('error', 'udp.checksum.bad', `Bad checksum [should be ${hx(calc)}]`, ci, 'checksum');
      ci.add(hf.checksumCalc, off + 6, 2, calc).generated = true;
      statusItem(t, hf.checksumStatus, off + 6, 0);
    } else if (status === 4) {
      ci.suffix = ' [zero-value illegal]';
      pinfo.addExpert('error', 'udp.checksum.zero', 'Illegal checksum value (0)', ci, 'checksum');
      statusItem(ci, hf.checksumStatus, off + 6, 4);
    } else if (status === 3) {
      ci.suffix = ' [zero-value ignored]';
      statusItem(t, hf.checksumStatus, off + 6, 3);
    } else {
      ci.suffix = ' [unverified]';
      statusItem(t, hf.checksumStatus, off + 6, 2);
    }
  } else {
    if (badLen) pinfo.addExpert('error', 'udp.length.bad', `Bad length value ${ulen} ${ulen < 8 ? '<' : '>'} IP payload length`, null, 'malformed');
    if (status === 0) pinfo.addExpert('error', 'udp.checksum.bad', `Bad checksum [should be 0x${calc.toString(16).padStart(4, '0')}]`, null, 'checksum');
    if (status === 4) pinfo.addExpert('error', 'udp.checksum.zero', 'Illegal checksum value (0)', null, 'checksum');
  }
  const end = badLen ? tvb.end : off + ulen;
  const sub = tvb.limit(end, end);
  const po = off + 8;
  if (sub.end > po && t) {
    const n = sub.end - po;
    t.add(hf.payload, po, n, sub.buf.subarray(po, sub.end), `UDP payload (${n} byte${n === 1 ? '' : 's'})`);
  }
  if (sub.end > po || sub.rend > po) {
    const lo = Math.min(sport, dport), hi = Math.max(sport, dport);
    // tshark puts the payload's protocol at the top level, even inside an ICMPv6 error
    dissectFromTable('udp.port', lo === hi ? [lo] : [lo, hi], sub, po, pinfo, tree && (pinfo.tree ?? tree), ip ?? undefined);
  }
});

const T_UDP_PORT = table('udp.port', 'UDP port');
table('ipv6.nxt', 'IPv6 next header').add(17, h);
table('ip.proto', 'IP protocol').add(17, h);

// summary fast path (core/fast.ts): a datagram whose length fits the IPv6 payload
// and whose payload goes to no port dissector (it would set the columns). The fast
// path's addresses are IPv6 and already the pseudo-header's (HoA, RH2 address).
registerFast('udp', (off, end, st) => {
  const buf = st.buf;
  if (end - off < 8 || st.src < 0 || st.dst < 0) return false;
  const sport = (buf[off]! << 8) | buf[off + 1]!;
  const dport = (buf[off + 2]! << 8) | buf[off + 3]!;
  const ulen = (buf[off + 4]! << 8) | buf[off + 5]!;
  const csum = (buf[off + 6]! << 8) | buf[off + 7]!;
  if (ulen < 8 || ulen > end - off) return false;
  if (ulen > 8 && (T_UDP_PORT.get(sport) !== undefined || T_UDP_PORT.get(dport) !== undefined)) return false;
  let info = `${sport} → ${dport} Len=${ulen - 8}`;
  if (csum === 0) info += ' [ILLEGAL CHECKSUM (0)]';
  else if (pref('udp.check_checksum') !== 'FALSE') {
    const calc = ipv6ChecksumAt(buf, st.src, st.dst, 17, off, ulen, off + 6) || 0xffff;
    if (calc !== csum) info += ' [UDP CHECKSUM INCORRECT]';
  }
  st.proto = 'UDP';
  st.info = info;
  return true;
});
