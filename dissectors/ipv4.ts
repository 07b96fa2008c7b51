// IPv4 header (RFC 791), enough for the link-layer cases that carry it (BSD
// loopback AF_INET, raw IP, SLL, Ethernet) and IPv4 care-of paths: tshark's
// ip.* header fields, addresses in the columns, the payload to table `ip.proto`.
// Options are shown as one block; fragments after the first are not reassembled.
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerDissector, dissectFromTable, table } from '../core/tables.js';
import type { IpLayer } from '../core/packet.js';
import { ipv4ToString } from '../core/addr.js';
import { IP_PROTO_NAMES } from './ipproto.js';

const P = defineProtocol('ip', 'Internet Protocol Version 4');
const F = fieldMaker('ip');
export const hf = {
  version: F('ip.version', 'Version', 'uint8', { mask: 0xf0, bits: 8 }),
  hdrLen: F('ip.hdr_len', 'Header Length', 'uint8', { mask: 0x0f, bits: 8 }),
  dsfield: F('ip.dsfield', 'Differentiated Services Field', 'uint8', { base: 'hex' }),
  dscp: F('ip.dsfield.dscp', 'Differentiated Services Codepoint', 'uint8', { mask: 0xfc, bits: 8 }),
  ecn: F('ip.dsfield.ecn', 'Explicit Congestion Notification', 'uint8', { mask: 0x03, bits: 8 }),
  len: F('ip.len', 'Total Length', 'uint16'),
  id: F('ip.id', 'Identification', 'uint16', { base: 'hex_dec' }),
  flags: F('ip.flags', 'Flags', 'uint8', { base: 'hex' }),
  rb: F('ip.flags.rb', 'Reserved bit', 'bool', { mask: 0x80, bits: 8, tfs: ['Set', 'Not set'] }),
  df: F('ip.flags.df', "Don't fragment", 'bool', { mask: 0x40, bits: 8, tfs: ['Set', 'Not set'] }),
  mf: F('ip.flags.mf', 'More fragments', 'bool', { mask: 0x20, bits: 8, tfs: ['Set', 'Not set'] }),
  fragOffset: F('ip.frag_offset', 'Fragment Offset', 'uint16', { mask: 0x1fff, bits: 16 }),
  ttl: F('ip.ttl', 'Time to Live', 'uint8'),
  proto: F('ip.proto', 'Protocol', 'uint8', { vals: IP_PROTO_NAMES }),
  checksum: F('ip.checksum', 'Header Checksum', 'uint16', { base: 'hex' }),
  checksumStatus: F('ip.checksum.status', 'Header checksum status', 'uint8', { vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } }),
  options: F('ip.options', 'Options', 'bytes'),
  src: F('ip.src', 'Source Address', 'ipv4'),
  addr: F('ip.addr', 'Source or Destination Address', 'ipv4'),
  srcHost: F('ip.src_host', 'Source Host', 'string'),
  host: F('ip.host', 'Source or Destination Host', 'string'),
  dst: F('ip.dst', 'Destination Address', 'ipv4'),
  dstHost: F('ip.dst_host', 'Destination Host', 'string'),
};

export const ipv4Handle = registerDissector('ip', 'IPv4', (tvb, off, pinfo, tree) => {
  const b0 = tvb.u8(off);
  const hl = (b0 & 0x0f) * 4;
  pinfo.layers.push('ip');
  pinfo.setProto('IPv4');
  tvb.check(off, 20, 'IPv4 header');
  const tos = tvb.u8(off + 1), len = tvb.u16(off + 2), id = tvb.u16(off + 4), fw = tvb.u16(off + 6);
  const ttl = tvb.u8(off + 8), proto = tvb.u8(off + 9), csum = tvb.u16(off + 10);
  const src = tvb.bytes(off + 12, 4), dst = tvb.bytes(off + 16, 4);
  pinfo.setSrc('ipv4', src);
  pinfo.setDst('ipv4', dst);
  let t = null;
  if (tree) {
    t = tree.add(P, off, Math.max(20, hl), null, `Internet Protocol Version 4, Src: ${ipv4ToString(src)}, Dst: ${ipv4ToString(dst)}`);
    t.add(hf.version, off, 1, b0 >> 4);
    t.add(hf.hdrLen, off, 1, b0 & 0xf, `.... ${(b0 & 0xf).toString(2).padStart(4, '0')} = Header Length: ${hl} bytes (${b0 & 0xf})`);
    const ds = t.add(hf.dsfield, off + 1, 1, tos);
    ds.add(hf.dscp, off + 1, 1, tos >> 2);
    ds.add(hf.ecn, off + 1, 1, tos & 3);
    t.add(hf.len, off + 2, 2, len);
    t.add(hf.id, off + 4, 2, id);
    const fl = t.add(hf.flags, off + 6, 1, fw >> 13);
    fl.add(hf.rb, off + 6, 1, (fw & 0x8000) !== 0);
    fl.add(hf.df, off + 6, 1, (fw & 0x4000) !== 0);
    fl.add(hf.mf, off + 6, 1, (fw & 0x2000) !== 0);
    t.add(hf.fragOffset, off + 6, 2, fw & 0x1fff);
    t.add(hf.ttl, off + 8, 1, ttl);
    t.add(hf.proto, off + 9, 1, proto);
    t.add(hf.checksum, off + 10, 2, csum);
    t.addGenerated(hf.checksumStatus, 2, 'Header checksum status: Unverified');
    if (hl > 20 && tvb.has(off + 20, hl - 20)) t.add(hf.options, off + 20, hl - 20, tvb.bytes(off + 20, hl - 20));
    const ss = ipv4ToString(src), ds2 = ipv4ToString(dst);
    t.add(hf.src, off + 12, 4, src);
    for (const [f, v] of [[hf.addr, src], [hf.srcHost, ss], [hf.host, ss]] as const) t.add(f, off + 12, 4, v).hidden = true;
    t.add(hf.dst, off + 16, 4, dst);
    for (const [f, v] of [[hf.addr, dst], [hf.dstHost, ds2], [hf.host, ds2]] as const) t.add(f, off + 16, 4, v).hidden = true;
  }
  if (b0 >> 4 !== 4 || hl < 20 || len < hl) {
    pinfo.malformed = true;
    pinfo.addExpert('error', 'ip.bogus_header', b0 >> 4 !== 4 ? `Bogus IP version (${b0 >> 4})` : `Bogus IP header or total length (${hl}, ${len})`, t, 'malformed');
    return;
  }
  const ip: IpLayer = {
    version: 4, src, dst, hlim: ttl, offset: off, payloadEnd: off + len,
    hoa: null, rh2: null, finalDst: null, protectedBy: null, chain: [], inner: pinfo.ipStack.length > 0, item: t,
  };
  pinfo.ipStack.push(ip);
  pinfo.ip = ip;
  if ((fw & 0x1fff) !== 0) {
    dissectFromTable('ip.fragment', 0, tvb.limit(off + len, off + len), off + hl, pinfo, tree);
    return;
  }
  dissectFromTable('ip.proto', proto, tvb.limit(off + len, off + len), off + hl, pinfo, tree, ip);
});

table('ethertype', 'Ethertype').add(0x0800, ipv4Handle);
table('ip.proto', 'IP protocol').add(4, ipv4Handle);
