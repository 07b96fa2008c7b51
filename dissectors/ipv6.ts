// IPv6 header (RFC 8200) at tshark 4.0 parity. Extension headers and upper layers
// register in table `ipv6.nxt`; each sees the IpLayer context in pinfo.ip (and as
// `data`). Extension headers (and the MH) hang below the IPv6 item (ip.item), as
// tshark's JSON nests them; ICMPv6, UDP, TCP, ESP and tunnelled IP are top level.
import { defineProtocol, fieldMaker, type Field } from '../core/fields.js';
import { registerDissector, dissectFromTable, table, getHandle, callDissector } from '../core/tables.js';
import { registerFast, fastFromTable } from '../core/fast.js';
import type { IpLayer, PacketInfo } from '../core/packet.js';
import type { Item } from '../core/tree.js';
import type { Tvb } from '../core/tvb.js';
import { ipv6ToString } from '../core/addr.js';
import { bitPattern } from '../core/format.js';
import { PairMemo } from '../core/memo.js';
import { BlockCache, useBlock } from '../core/block.js';
import { IP_PROTO_NAMES } from './ipproto.js';

const P = defineProtocol('ipv6', 'Internet Protocol Version 6');
const F = fieldMaker('ipv6');

/** Wireshark's dscp_vals (long) and dscp_short_vals (for the Traffic Class label). */
export const DSCP_VALS: Record<number, string> = {
  0: 'Default', 1: 'Lower Effort', 8: 'Class Selector 1', 10: 'Assured Forwarding 11', 12: 'Assured Forwarding 12',
  14: 'Assured Forwarding 13', 16: 'Class Selector 2', 18: 'Assured Forwarding 21', 20: 'Assured Forwarding 22',
  22: 'Assured Forwarding 23', 24: 'Class Selector 3', 26: 'Assured Forwarding 31', 28: 'Assured Forwarding 32',
  30: 'Assured Forwarding 33', 32: 'Class Selector 4', 34: 'Assured Forwarding 41', 36: 'Assured Forwarding 42',
  38: 'Assured Forwarding 43', 40: 'Class Selector 5', 44: 'Voice Admit', 46: 'Expedited Forwarding',
  48: 'Class Selector 6', 56: 'Class Selector 7',
};
export const DSCP_SHORT: Record<number, string> = {
  0: 'CS0', 1: 'LE', 8: 'CS1', 10: 'AF11', 12: 'AF12', 14: 'AF13', 16: 'CS2', 18: 'AF21', 20: 'AF22', 22: 'AF23',
  24: 'CS3', 26: 'AF31', 28: 'AF32', 30: 'AF33', 32: 'CS4', 34: 'AF41', 36: 'AF42', 38: 'AF43', 40: 'CS5',
  44: 'VOICE-ADMIT', 46: 'EF PHB', 48: 'CS6', 56: 'CS7',
};
export const ECN_VALS: Record<number, string> = {
  0: 'Not ECN-Capable Transport', 1: "ECN-Capable Transport codepoint '01'", 2: "ECN-Capable Transport codepoint '10'", 3: 'Congestion Experienced',
};
export const ECN_SHORT: Record<number, string> = { 0: 'Not-ECT', 1: 'ECT(1)', 2: 'ECT(0)', 3: 'CE' };

export const hf = {
  version: F('ipv6.version', 'Version', 'uint8', { mask: 0xf0, bits: 8 }),
  ipVersion: F('ip.version', 'Version', 'uint8', { mask: 0xf0, bits: 8 }),
  tclass: F('ipv6.tclass', 'Traffic Class', 'uint32', { base: 'hex', mask: 0x0ff00000, bits: 32 }),
  dscp: F('ipv6.tclass.dscp', 'Differentiated Services Codepoint', 'uint32', { mask: 0x0fc00000, bits: 32, vals: DSCP_VALS }),
  ecn: F('ipv6.tclass.ecn', 'Explicit Congestion Notification', 'uint32', { mask: 0x00300000, bits: 32, vals: ECN_VALS }),
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

/**
 * True while the invoking packet inside an ICMPv6 error (or a Redirected Header) is
 * dissected: tshark then keeps the outer columns, skips checksums and reassembly.
 */
export function inErrorPacket(pinfo: PacketInfo): boolean {
  return !!pinfo.data.inErrorPkt;
}

/** The IpLayer a protocol below IPv6 should use (the handle's `data`, else pinfo.ip). */
export function ipOf(pinfo: PacketInfo, data: unknown): IpLayer | null {
  const d = data as IpLayer | undefined;
  return d && typeof d === 'object' && 'version' in d && 'chain' in d ? d : pinfo.ip;
}

/** Where an extension header hangs its item: below the IPv6 item when there is one. */
export function extParent(ip: IpLayer | null, tree: Item | null): Item | null {
  return tree ? (ip?.item ?? tree) : null;
}

/** Source and destination of the transport pseudo-header (RFC 8200 8.1, RFC 6275 6.3). */
export function pseudoAddrs(ip: IpLayer): { src: Buffer; dst: Buffer } {
  return { src: ip.hoa ?? ip.src, dst: ip.finalDst ?? ip.dst };
}

/** Hand the rest of an extension header chain to table `ipv6.nxt`. */
export function nextHeader(nxt: number, tvb: Tvb, off: number, pinfo: PacketInfo, tree: Item | null, ip: IpLayer | null): void {
  if (ip) ip.chain.push(nxt);
  dissectFromTable(T_IPV6_NXT, nxt, tvb, off, pinfo, tree, ip ?? undefined);
}

/** Show the rest as undissected data (tshark's "data"). */
export function dataDissect(tvb: Tvb, off: number, pinfo: PacketInfo, tree: Item | null): void {
  const h = getHandle('data');
  if (h && tvb.end > off) callDissector(h, tvb, off, pinfo, tree);
}

// the protocol line repeats within a conversation
const IP_LABELS = new PairMemo();
const ipLabel = (s: string, d: string) => `Internet Protocol Version 6, Src: ${s}, Dst: ${d}`;

// one label per traffic class value, made once
const TCLASS_TEXT: string[] = [];

function tclassLabel(tc: number): string {
  const f = hf.tclass;
  const d = tc >> 2, e = tc & 3;
  return (TCLASS_TEXT[tc] ??= bitPattern(f, tc) + `Traffic Class: 0x${tc.toString(16).padStart(2, '0')} (DSCP: ${DSCP_SHORT[d] ?? 'Unknown'}, ECN: ${ECN_SHORT[e]})`);
}

/** The header fields that fit in `avail` octets (a short header shows what it has, as tshark). */
function headerTree(t: Item, tvb: Tvb, off: number, avail: number): Item | null {
  const buf = tvb.buf;
  const b0 = buf[off]!;
  t.add(hf.version, off, 1, b0 >> 4);
  t.add(hf.ipVersion, off, 1, b0 >> 4).hidden = true;
  if (avail < 4) return null;
  const w0 = tvb.u32(off);
  const tc = (w0 >>> 20) & 0xff;
  const tci = t.add(hf.tclass, off, 4, tc, tclassLabel(tc));
  tci.add(hf.dscp, off, 4, tc >> 2);
  tci.add(hf.ecn, off, 4, tc & 3);
  t.add(hf.flow, off + 1, 3, w0 & 0xfffff);
  if (avail < 6) return null;
  const pl = t.add(hf.plen, off + 4, 2, tvb.u16(off + 4));
  if (avail >= 7) t.add(hf.nxt, off + 6, 1, buf[off + 6]!);
  if (avail >= 8) t.add(hf.hlim, off + 7, 1, buf[off + 7]!);
  if (avail >= 24) addrItems(t, buf, off + 8, hf.src, hf.srcHost);
  if (avail >= 40) addrItems(t, buf, off + 24, hf.dst, hf.dstHost);
  return pl;
}

/** an address and the hidden items tshark adds with it */
function addrItems(t: Item, buf: Buffer, o: number, fa: Field, fh: Field): void {
  const a = buf.subarray(o, o + 16);
  const text = ipv6ToString(a);
  t.add(fa, o, 16, a);
  t.add(hf.addr, o, 16, a).hidden = true;
  t.add(fh, o, 16, text).hidden = true;
  t.add(hf.host, o, 16, text).hidden = true;
}

const BLOCKS = new BlockCache(1024);

export const ipv6Handle = registerDissector('ipv6', 'IPv6', (tvb, off, pinfo, tree) => {
  const b0 = tvb.u8(off);
  const errPkt = inErrorPacket(pinfo);
  pinfo.layers.push('ipv6');
  if (!errPkt) {
    pinfo.setProto('IPv6');
    // tshark clears Info here: link-layer text (VLAN PRI, "Raw packet data") must not stay
    pinfo.setInfo('');
  }
  if (b0 >> 4 !== 6) {
    // tshark: "Bogus IPv6 version", the rest is data
    let t: Item | null = null;
    if (tree) {
      const p = tree.add(P, off, Math.min(40, tvb.end - off), null, 'Internet Protocol Version 6');
      t = p.add(hf.version, off, 1, b0 >> 4);
      p.add(hf.ipVersion, off, 1, b0 >> 4).hidden = true;
    }
    pinfo.malformed = true;
    pinfo.addExpert('error', 'ipv6.bogus_ipv6_version', 'Bogus IPv6 version', t, 'malformed');
    dataDissect(tvb, off, pinfo, tree);
    return;
  }
  const avail = tvb.end - off;
  if (avail < 40) {
    // show what the short header holds, then mark it (truncated or malformed)
    if (!errPkt && avail >= 24) pinfo.setSrc('ipv6', tvb.buf.subarray(off + 8, off + 24));
    if (tree) {
      const t = tree.add(P, off, avail, null, 'Internet Protocol Version 6');
      headerTree(t, tvb, off, avail);
      if (off + 40 > tvb.rend) {
        pinfo.addExpert('error', 'ipv6.invalid_header', 'IPv6 header must be exactly 40 bytes', t, 'malformed');
        // tshark shows it right after the version
        t.children!.splice(2, 0, t.children!.pop()!);
      }
    }
    else if (off + 40 > tvb.rend) pinfo.addExpert('error', 'ipv6.invalid_header', 'IPv6 header must be exactly 40 bytes', null, 'malformed');
    if (!errPkt && off + 40 > tvb.rend) pinfo.setInfo(`Invalid IPv6 header (${tvb.rend - off} bytes, need exactly 40)`);
    tvb.check(off, 40, 'IPv6 header');
  }
  const buf = tvb.buf;
  const plen = tvb.u16(off + 4);
  const nxt = buf[off + 6]!;
  const hlim = buf[off + 7]!;
  const src = buf.subarray(off + 8, off + 24);
  const dst = buf.subarray(off + 24, off + 40);
  const inner = pinfo.ipStack.length > 0;
  const ip: IpLayer = {
    version: 6, src, dst, hlim, offset: off, payloadEnd: off + 40 + plen,
    hoa: null, rh2: null, finalDst: null, protectedBy: null, chain: [], inner, item: null,
  };
  // an ESP/AH-protected tunnel keeps its protection for the inner packet
  if (inner && pinfo.ip?.protectedBy) ip.protectedBy = pinfo.ip.protectedBy;
  pinfo.ipStack.push(ip);
  pinfo.ip = ip;
  if (!errPkt) {
    pinfo.setSrc('ipv6', src);
    pinfo.setDst('ipv6', dst);
  }
  const over = off + 40 + plen > tvb.rend && plen !== 0 && !errPkt;
  let t: Item | null = null;
  let pl: Item | null = null;
  if (tree) {
    // the header's items (and the label) depend on its 40 octets alone, unless an
    // expert is hung on the payload length: shared while they repeat (core/block.ts)
    const b = over ? null : BLOCKS.get(buf, off, 40, tree.ds);
    t = tree.add(P, off, 40, null, b ? b.label : IP_LABELS.get(ipv6ToString(src), ipv6ToString(dst), ipLabel));
    if (b) useBlock(t, b);
    else {
      pl = headerTree(t, tvb, off, 40);
      if (!over) BLOCKS.put(buf, off, 40, t.ds, t);
    }
    ip.item = t;
  }
  if (over) pinfo.addExpert('warning', 'ipv6.plen_exceeds_framing', `IPv6 payload length exceeds framing length (${tvb.rend - off - 40} bytes)`, pl, 'protocol');
  // plen 0 without a jumbo option (TSO captures): take the frame's length, as tshark
  const end = plen === 0 ? tvb.rend : off + 40 + plen;
  const sub = tvb.limit(end, end);
  ip.payloadEnd = Math.min(end, tvb.rend);
  nextHeader(nxt, sub, off + 40, pinfo, tree, ip);
});

const T_IPV6_NXT = table('ipv6.nxt');
// summary fast path (core/fast.ts): a whole header whose payload length fits the
// frame exactly or with link padding after it; anything else is dissected normally
registerFast('ipv6', (off, end, st) => {
  const buf = st.buf;
  if (end - off < 40 || buf[off]! >> 4 !== 6 || ++st.depth > 8) return false;
  const plen = (buf[off + 4]! << 8) | buf[off + 5]!;
  if (plen === 0 || off + 40 + plen > end) return false;
  st.proto = 'IPv6';
  st.info = '';
  st.src = off + 8;
  st.dst = off + 24;
  st.ip = off;
  st.hoaSet = false;
  return fastFromTable(T_IPV6_NXT, buf[off + 6]!, off + 40, off + 40 + plen, st);
});

// No Next Header (59): tshark's Info "IPv6 no next header"; trailing octets are data
registerDissector('ipv6.nonxt', 'IPv6 No Next Header', (tvb, off, pinfo, tree) => {
  if (!inErrorPacket(pinfo)) pinfo.setInfo('IPv6 no next header');
  dataDissect(tvb, off, pinfo, tree);
});

// summary fast path: nothing after the header (trailing octets go the normal way)
registerFast('ipv6.nonxt', (off, end, st) => {
  if (off !== end) return false;
  st.info = 'IPv6 no next header';
  return true;
});

table('ethertype', 'Ethertype').add(0x86dd, ipv6Handle);
// 101 (raw IP, v4 or v6) belongs to raw.ts; 229 is IPv6 only
table('wtap_encap', 'Link type').add(229, ipv6Handle);
table('ip.proto', 'IP protocol').add(41, ipv6Handle);
table('ipv6.nxt', 'IPv6 next header').add(41, ipv6Handle);
table('ipv6.nxt').add(59, 'ipv6.nonxt');
