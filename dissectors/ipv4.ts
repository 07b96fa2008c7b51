// IPv4 (RFC 791) for IPv4-in-IPv6 tunnels (next header 4) and ethertype 0x0800:
// header with checksum verification (pref ip.check_checksum), then table `ip.proto`.
// No IPv4 reassembly: fragments show as data with tshark's Info text.
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerDissector, dissectFromTable, table } from '../core/tables.js';
import { registerPref, pref } from '../core/prefs.js';
import type { IpLayer } from '../core/packet.js';
import type { Item } from '../core/tree.js';
import { ipv4ToString } from '../core/addr.js';
import { bitPattern } from '../core/format.js';
import { onesSum } from './inet_cksum.js';
import { IP_PROTO_NAMES } from './ipproto.js';
import { statusItem } from './inet_cksum.js';
import { DSCP_VALS, DSCP_SHORT, ECN_VALS, ECN_SHORT, inErrorPacket, dataDissect } from './ipv6.js';

const P = defineProtocol('ip', 'Internet Protocol Version 4');
const F = fieldMaker('ip');
export const hf = {
  version: F('ip.version', 'Version', 'uint8', { mask: 0xf0, bits: 8 }),
  hdrLen: F('ip.hdr_len', 'Header Length', 'uint8', { mask: 0x0f, bits: 8 }),
  dsfield: F('ip.dsfield', 'Differentiated Services Field', 'uint8', { base: 'hex' }),
  dscp: F('ip.dsfield.dscp', 'Differentiated Services Codepoint', 'uint8', { mask: 0xfc, bits: 8, vals: DSCP_VALS }),
  ecn: F('ip.dsfield.ecn', 'Explicit Congestion Notification', 'uint8', { mask: 0x03, bits: 8, vals: ECN_VALS }),
  len: F('ip.len', 'Total Length', 'uint16'),
  id: F('ip.id', 'Identification', 'uint16', { base: 'hex_dec' }),
  flags: F('ip.flags', 'Flags', 'uint8', { base: 'hex', mask: 0xe0, bits: 8 }),
  rb: F('ip.flags.rb', 'Reserved bit', 'bool', { mask: 0x80, bits: 8, tfs: ['Set', 'Not set'] }),
  df: F('ip.flags.df', "Don't fragment", 'bool', { mask: 0x40, bits: 8, tfs: ['Set', 'Not set'] }),
  mf: F('ip.flags.mf', 'More fragments', 'bool', { mask: 0x20, bits: 8, tfs: ['Set', 'Not set'] }),
  fragOffset: F('ip.frag_offset', 'Fragment Offset', 'uint16', { mask: 0x1fff, bits: 16 }),
  ttl: F('ip.ttl', 'Time to Live', 'uint8'),
  proto: F('ip.proto', 'Protocol', 'uint8', { vals: IP_PROTO_NAMES }),
  checksum: F('ip.checksum', 'Header Checksum', 'uint16', { base: 'hex' }),
  checksumStatus: F('ip.checksum.status', 'Header checksum status', 'uint8', { vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } }),
  checksumCalc: F('ip.checksum_calculated', 'Calculated Checksum', 'uint16', { base: 'hex' }),
  src: F('ip.src', 'Source Address', 'ipv4'),
  addr: F('ip.addr', 'Source or Destination Address', 'ipv4'),
  srcHost: F('ip.src_host', 'Source Host', 'string'),
  host: F('ip.host', 'Source or Destination Host', 'string'),
  dst: F('ip.dst', 'Destination Address', 'ipv4'),
  dstHost: F('ip.dst_host', 'Destination Host', 'string'),
};

registerPref({ name: 'ip.check_checksum', def: 'TRUE', desc: 'Validate the IPv4 header checksum (tshark default: FALSE)', choices: ['TRUE', 'FALSE'] });

const h = registerDissector('ip', 'IPv4', (tvb, off, pinfo, tree) => {
  const b0 = tvb.u8(off);
  const ihl = (b0 & 0x0f) * 4;
  const err = inErrorPacket(pinfo);
  pinfo.layers.push('ip');
  if (!err) {
    pinfo.setProto('IPv4');
    pinfo.setInfo(''); // as tshark: link-layer text does not stay in Info
  }
  tvb.check(off, 20, 'IPv4 header');
  const buf = tvb.buf;
  const tos = buf[off + 1]!;
  const totLen = tvb.u16(off + 2);
  const id = tvb.u16(off + 4);
  const fw = tvb.u16(off + 6);
  const ttl = buf[off + 8]!;
  const proto = buf[off + 9]!;
  const csum = tvb.u16(off + 10);
  const src = buf.subarray(off + 12, off + 16);
  const dst = buf.subarray(off + 16, off + 20);
  const ip: IpLayer = {
    version: 4, src, dst, hlim: ttl, offset: off, payloadEnd: off + totLen,
    hoa: null, rh2: null, finalDst: null, protectedBy: null, chain: [proto], inner: pinfo.ipStack.length > 0, item: null,
  };
  if (ip.inner && pinfo.ip?.protectedBy) ip.protectedBy = pinfo.ip.protectedBy;
  pinfo.ipStack.push(ip);
  pinfo.ip = ip;
  if (!err) {
    pinfo.setSrc('ipv4', src);
    pinfo.setDst('ipv4', dst);
  }
  const check = pref('ip.check_checksum') !== 'FALSE' && tvb.has(off, ihl) && ihl >= 20;
  const calc = check ? (~foldSum(onesSum(buf, off, ihl) - csum)) & 0xffff : 0;
  let t: Item | null = null;
  if (tree) {
    const ss = ipv4ToString(src), ds = ipv4ToString(dst);
    t = tree.add(P, off, Math.min(ihl, tvb.end - off), null, `Internet Protocol Version 4, Src: ${ss}, Dst: ${ds}`);
    t.add(hf.version, off, 1, b0 >> 4);
    t.add(hf.hdrLen, off, 1, ihl, bitPattern(hf.hdrLen, b0 & 0x0f) + `Header Length: ${ihl} bytes (${b0 & 0x0f})`);
    const dsi = t.add(hf.dsfield, off + 1, 1, tos, `Differentiated Services Field: 0x${tos.toString(16).padStart(2, '0')} (DSCP: ${DSCP_SHORT[tos >> 2] ?? 'Unknown'}, ECN: ${ECN_SHORT[tos & 3]})`);
    dsi.add(hf.dscp, off + 1, 1, tos >> 2);
    dsi.add(hf.ecn, off + 1, 1, tos & 3);
    t.add(hf.len, off + 2, 2, totLen);
    t.add(hf.id, off + 4, 2, id);
    const fl = fw >> 13;
    const names = [fl & 4 ? 'Reserved bit' : '', fl & 2 ? "Don't fragment" : '', fl & 1 ? 'More fragments' : ''].filter(Boolean);
    const fi = t.add(hf.flags, off + 6, 1, fl, bitPattern(hf.flags, fl) + `Flags: 0x${fl.toString(16)}${names.length ? ', ' + names.join(', ') : ''}`);
    fi.add(hf.rb, off + 6, 1, (fl & 4) !== 0);
    fi.add(hf.df, off + 6, 1, (fl & 2) !== 0);
    fi.add(hf.mf, off + 6, 1, (fl & 1) !== 0);
    t.add(hf.fragOffset, off + 6, 2, fw & 0x1fff);
    t.add(hf.ttl, off + 8, 1, ttl);
    t.add(hf.proto, off + 9, 1, proto);
    const ci = t.add(hf.checksum, off + 10, 2, csum);
    if (check) {
      const ok = calc === csum;
      ci.suffix = ok ? ' [correct]' : ` incorrect, should be 0x${calc.toString(16).padStart(4, '0')}(may be caused by "IP checksum offload"?)`;
      if (!ok && !err) pinfo.addExpert('error', 'ip.checksum_bad.expert', `Bad checksum [should be 0x${calc.toString(16).padStart(4, '0')}]`, ci, 'checksum');
      statusItem(t, hf.checksumStatus, off + 10, ok ? 1 : 0);
      t.add(hf.checksumCalc, off + 10, 2, calc).generated = true;
    } else {
      ci.suffix = ' [validation disabled]';
      statusItem(t, hf.checksumStatus, off + 10, 2);
    }
    t.add(hf.src, off + 12, 4, src);
    t.add(hf.addr, off + 12, 4, src).hidden = true;
    t.add(hf.srcHost, off + 12, 4, ss).hidden = true;
    t.add(hf.host, off + 12, 4, ss).hidden = true;
    t.add(hf.dst, off + 16, 4, dst);
    t.add(hf.addr, off + 16, 4, dst).hidden = true;
    t.add(hf.dstHost, off + 16, 4, ds).hidden = true;
    t.add(hf.host, off + 16, 4, ds).hidden = true;
    ip.item = t;
  } else if (check && calc !== csum && !err) {
    pinfo.addExpert('error', 'ip.checksum_bad.expert', `Bad checksum [should be 0x${calc.toString(16).padStart(4, '0')}]`, null, 'checksum');
  }
  if (ihl < 20 || totLen < ihl) {
    pinfo.malformed = true;
    pinfo.addExpert('error', 'ip.bogus_header_length', `Bogus IPv4 header or total length (${ihl}, ${totLen})`, t, 'malformed');
    return;
  }
  const end = off + totLen;
  const sub = tvb.limit(end, end);
  const po = off + ihl;
  if ((fw & 0x3fff) !== 0) {
    if (!err) pinfo.setInfo(`Fragmented IP protocol (proto=${IP_PROTO_NAMES[proto] ?? proto} ${proto}, off=${(fw & 0x1fff) * 8}, ID=${id.toString(16).padStart(4, '0')})`);
    dataDissect(sub, po, pinfo, tree);
    return;
  }
  dissectFromTable('ip.proto', proto, sub, po, pinfo, tree, ip);
});

function foldSum(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

table('ethertype', 'Ethertype').add(0x0800, h);
table('ip.proto', 'IP protocol').add(4, h);
table('ipv6.nxt', 'IPv6 next header').add(4, h);
