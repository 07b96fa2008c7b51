// IPv6 header (RFC 8200). Extension headers and upper layers register in table
// `ipv6.nxt`; each sees the IpLayer context in pinfo.ip.
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerDissector, dissectFromTable, table } from '../core/tables.js';
import type { IpLayer } from '../core/packet.js';
import { ipv6ToString } from '../core/addr.js';
import { IP_PROTO_NAMES } from './ipproto.js';

const P = defineProtocol('ipv6', 'Internet Protocol Version 6');
const F = fieldMaker('ipv6');
export const hf = {
  version: F('ipv6.version', 'Version', 'uint8', { mask: 0xf0, bits: 8 }),
  ipVersion: F('ip.version', 'Version', 'uint8', { mask: 0xf0, bits: 8 }),
  tclass: F('ipv6.tclass', 'Traffic Class', 'uint32', { base: 'hex', mask: 0x0ff00000, bits: 32 }),
  dscp: F('ipv6.tclass.dscp', 'Differentiated Services Codepoint', 'uint32', { mask: 0x0fc00000, bits: 32 }),
  ecn: F('ipv6.tclass.ecn', 'Explicit Congestion Notification', 'uint32', { mask: 0x00300000, bits: 32 }),
  flow: F('ipv6.flow', 'Flow Label', 'uint24', { base: 'hex', mask: 0x0fffff, bits: 24 }),
  plen: F('ipv6.plen', 'Payload Length', 'uint16'),
  nxt: F('ipv6.nxt', 'Next Header', 'uint8', { vals: IP_PROTO_NAMES }),
  hlim: F('ipv6.hlim', 'Hop Limit', 'uint8'),
  src: F('ipv6.src', 'Source Address', 'ipv6'),
  addr: F('ipv6.addr', 'Source or Destination Address', 'ipv6'),
  srcHost: F('ipv6.src_host', 'Source Host', 'string'),
  host: F('ipv6.host', 'Source or Destination Host', 'string'),
  dst: F('ipv6.dst', 'Destination Address', 'ipv6'),
  dstHost: F('ipv6.dst_host', 'Destination Host', 'string'),
};

export const ipv6Handle = registerDissector('ipv6', 'IPv6', (tvb, off, pinfo, tree) => {
  const b0 = tvb.u8(off);
  if (b0 >> 4 !== 6) {
    tvb.check(off, 40);
  }
  tvb.check(off, 40, 'IPv6 header');
  const buf = tvb.buf;
  const w0 = tvb.u32(off);
  const plen = tvb.u16(off + 4);
  const nxt = tvb.u8(off + 6);
  const hlim = tvb.u8(off + 7);
  const src = buf.subarray(off + 8, off + 24);
  const dst = buf.subarray(off + 24, off + 40);
  const inner = pinfo.ipStack.length > 0;
  const ip: IpLayer = {
    version: 6, src, dst, hlim, offset: off, payloadEnd: off + 40 + plen,
    hoa: null, rh2: null, finalDst: null, protectedBy: null, chain: [], inner, item: null,
  };
  pinfo.ipStack.push(ip);
  pinfo.ip = ip;
  pinfo.layers.push('ipv6');
  pinfo.setSrc('ipv6', src);
  pinfo.setDst('ipv6', dst);
  pinfo.setProto('IPv6');
  let t = null;
  if (tree) {
    t = tree.add(P, off, 40, null, `Internet Protocol Version 6, Src: ${ipv6ToString(src)}, Dst: ${ipv6ToString(dst)}`);
    t.add(hf.version, off, 1, b0 >> 4);
    const iv = t.add(hf.ipVersion, off, 1, b0 >> 4);
    iv.hidden = true;
    const tc = (w0 >>> 20) & 0xff;
    const tci = t.add(hf.tclass, off, 4, tc);
    tci.add(hf.dscp, off, 4, tc >> 2);
    tci.add(hf.ecn, off, 4, tc & 3);
    t.add(hf.flow, off + 1, 3, w0 & 0xfffff);
    t.add(hf.plen, off + 4, 2, plen);
    t.add(hf.nxt, off + 6, 1, nxt);
    t.add(hf.hlim, off + 7, 1, hlim);
    const ss = ipv6ToString(src);
    const ds = ipv6ToString(dst);
    t.add(hf.src, off + 8, 16, src);
    for (const [f, v] of [[hf.addr, src], [hf.srcHost, ss], [hf.host, ss]] as const) t.add(f, off + 8, 16, v).hidden = true;
    t.add(hf.dst, off + 24, 16, dst);
    for (const [f, v] of [[hf.addr, dst], [hf.dstHost, ds], [hf.host, ds]] as const) t.add(f, off + 24, 16, v).hidden = true;
  }
  // jumbograms (plen 0 with HBH) are not expected in MIPv6 signalling: treat as "to the end"
  const end = plen === 0 ? tvb.end : off + 40 + plen;
  if (end > tvb.rend) {
    pinfo.addExpert('error', 'ipv6.plen_exceeds_framing', `IPv6 payload length (${plen}) exceeds framing length (${tvb.rend - off - 40} bytes)`, t, 'malformed');
    pinfo.malformed = true;
  }
  ip.item = t;
  const sub = tvb.limit(end, end);
  dissectFromTable('ipv6.nxt', nxt, sub, off + 40, pinfo, tree, ip);
});

table('ethertype', 'Ethertype').add(0x86dd, ipv6Handle);
table('wtap_encap', 'Link type').add(101, ipv6Handle);
table('wtap_encap').add(229, ipv6Handle);
table('ip.proto', 'IP protocol').add(41, ipv6Handle);
table('ipv6.nxt', 'IPv6 next header').add(41, ipv6Handle);
