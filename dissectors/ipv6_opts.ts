// Hop-by-Hop Options (0) and Destination Options (60) headers (RFC 8200 4.2-4.6),
// with the Home Address option (RFC 6275 6.3): it sets ip.hoa (the checksum
// pseudo-header source) and, as tshark, the Source column.
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerDissector, table } from '../core/tables.js';
import { registerFast, fastFromTable, type FastState } from '../core/fast.js';
import type { Item } from '../core/tree.js';
import type { PacketInfo, IpLayer } from '../core/packet.js';
import type { Tvb } from '../core/tvb.js';
import { IP_PROTO_NAMES } from './ipproto.js';
import { ipOf, extParent, nextHeader, inErrorPacket } from './ipv6.js';
import { BlockCache, useBlock } from '../core/block.js';
import { eachTlv } from '../core/tlv.js';

const PH = defineProtocol('ipv6.hopopts', 'IPv6 Hop-by-Hop Option');
const PD = defineProtocol('ipv6.dstopts', 'Destination Options for IPv6');
const FH = fieldMaker('ipv6.hopopts');
const FD = fieldMaker('ipv6.dstopts');
const F = fieldMaker('ipv6');

const hfHop = {
  nxt: FH('ipv6.hopopts.nxt', 'Next Header', 'uint8', { vals: IP_PROTO_NAMES }),
  len: FH('ipv6.hopopts.len', 'Length', 'uint8'),
  lenOct: FH('ipv6.hopopts.len_oct', 'Length', 'uint16'),
};
const hfDst = {
  nxt: FD('ipv6.dstopts.nxt', 'Next Header', 'uint8', { vals: IP_PROTO_NAMES }),
  len: FD('ipv6.dstopts.len', 'Length', 'uint8'),
  lenOct: FD('ipv6.dstopts.len_oct', 'Length', 'uint16'),
};

/** RFC 4727 experimental option types */
const EXPERIMENTAL = new Set([0x1e, 0x3e, 0x5e, 0x7e, 0x9e, 0xbe, 0xde, 0xfe]);
const OPT_NAMES: Record<number, string> = {
  0x00: 'Pad1', 0x01: 'PadN', 0x04: 'Tunnel Encapsulation Limit', 0x05: 'Router Alert', 0xc2: 'Jumbo Payload',
  0xc9: 'Home Address', 0x63: 'RPL Option', 0x26: 'Quick-Start', 0x07: 'CALIPSO', 0x08: 'SMF_DPD', 0x8b: 'ILNP Nonce',
  0x8c: 'Line Identification Option', 0x6d: 'MPL Option', 0xee: 'IP_DFF', 0x0f: 'Performance and Diagnostic Metrics',
  0x30: 'Minimum Path MTU Hop-by-Hop Option', 0x31: 'IOAM Option', 0x11: 'IOAM Option',
};
function optName(t: number): string | undefined {
  return EXPERIMENTAL.has(t) ? `Experimental (0x${t.toString(16).toUpperCase().padStart(2, '0')})` : OPT_NAMES[t];
}

export const hfOpt = {
  opt: F('ipv6.opt', 'IPv6 Option', 'none'),
  type: F('ipv6.opt.type', 'Type', 'uint8', { base: 'hex', vals: optName }),
  action: F('ipv6.opt.type.action', 'Action', 'uint8', { mask: 0xc0, bits: 8, vals: { 0: 'Skip and continue', 1: 'Discard', 2: 'Discard and send ICMP', 3: 'Discard and send ICMP if not multicast' } }),
  change: F('ipv6.opt.type.change', 'May Change', 'bool', { mask: 0x20, bits: 8, tfs: ['Yes', 'No'] }),
  rest: F('ipv6.opt.type.rest', 'Low-Order Bits', 'uint8', { base: 'hex', mask: 0x1f, bits: 8 }),
  length: F('ipv6.opt.length', 'Length', 'uint8'),
  pad1: F('ipv6.opt.pad1', 'Pad1', 'none'),
  padn: F('ipv6.opt.padn', 'PadN', 'bytes'),
  routerAlert: F('ipv6.opt.router_alert', 'Router Alert', 'uint16', { vals: { 0: 'MLD', 1: 'RSVP', 2: 'Active Networks' } }),
  tel: F('ipv6.opt.tel', 'Tunnel Encapsulation Limit', 'uint8'),
  jumbo: F('ipv6.opt.jumbo', 'Payload Length', 'uint32'),
  hoa: F('ipv6.opt.mipv6.home_address', 'MIPv6 Home Address', 'ipv6'),
  experimental: F('ipv6.opt.experimental', 'Experimental Option', 'bytes'),
  unknown: F('ipv6.opt.unknown', 'Unknown Option Payload', 'bytes'),
};

function optionItem(parent: Item, tvb: Tvb, o: number, type: number, len: number): Item {
  const name = optName(type);
  const it = parent.add(hfOpt.opt, o, type === 0 ? 1 : 2 + len, null, name ?? `Unknown IPv6 Option (${type})`);
  const ti = it.add(hfOpt.type, o, 1, type);
  if (type === 0) {
    // tshark: Pad1 shows its type and a marker, without the type's bit fields
    it.add(hfOpt.pad1, o, 1, null);
    return it;
  }
  ti.add(hfOpt.action, o, 1, type >> 6);
  ti.add(hfOpt.change, o, 1, (type & 0x20) !== 0);
  ti.add(hfOpt.rest, o, 1, type & 0x1f);
  return it;
}

/** Walk the options of one header in [o, end) of `h` (a tvb limited to the header). */
function walkOptions(h: Tvb, o: number, end: number, pinfo: PacketInfo, parent: Item | null, ip: IpLayer | null, isDst: boolean): void {
  while (o < end) {
    const type = h.u8(o);
    if (type === 0) {
      if (parent) optionItem(parent, h, o, 0, 0);
      o += 1;
      continue;
    }
    const len = h.u8(o + 1);
    let it: Item | null = null;
    if (parent) {
      it = optionItem(parent, h, o, type, len);
      it.add(hfOpt.length, o + 1, 1, len);
    }
    const v = o + 2;
    h.check(v, len, optName(type) ?? 'IPv6 option');
    switch (type) {
      case 0x01:
        if (it) {
          const pi = it.add(hfOpt.padn, v, len, h.buf.subarray(v, v + len));
          if (len === 0) pi.text = 'PadN: <none>';
        }
        break;
      case 0x05:
        if (len === 2) {
          it?.add(hfOpt.routerAlert, v, 2, h.u16(v));
          break;
        }
        invalidLen(pinfo, it);
        break;
      case 0x04:
        if (len === 1) it?.add(hfOpt.tel, v, 1, h.u8(v));
        else invalidLen(pinfo, it);
        break;
      case 0xc2:
        if (len === 4) it?.add(hfOpt.jumbo, v, 4, h.u32(v));
        else invalidLen(pinfo, it);
        break;
      case 0xc9:
        if (len === 16) {
          const a = h.bytes(v, 16);
          it?.add(hfOpt.hoa, v, 16, a);
          // RFC 6275 6.3: only meaningful in a Destination Options header
          if (isDst && ip && !ip.hoa) {
            ip.hoa = Buffer.from(a.buffer, a.byteOffset, 16);
            if (!inErrorPacket(pinfo) && pinfo.ip === ip) pinfo.setSrc('ipv6', ip.hoa);
          }
        } else invalidLen(pinfo, it);
        break;
      default:
        if (EXPERIMENTAL.has(type)) it?.add(hfOpt.experimental, v, len, h.buf.subarray(v, v + len));
        else {
          const u = it ? it.add(hfOpt.unknown, v, len, h.buf.subarray(v, v + len)) : null;
          pinfo.addExpert('note', 'ipv6.opt.unknown_data.expert', 'Unknown Data (not interpreted)', u, 'undecoded');
        }
    }
    o = v + len;
  }
}

function invalidLen(pinfo: PacketInfo, it: Item | null): void {
  pinfo.addExpert('error', 'ipv6.opt.invalid_len', 'Invalid IPv6 option length', it, 'malformed');
  pinfo.malformed = true;
}

const BLOCKS = new BlockCache(256);

function dissectOpts(isDst: boolean) {
  return (tvb: Tvb, off: number, pinfo: PacketInfo, tree: Item | null, data?: unknown): void => {
    const ip = ipOf(pinfo, data);
    const nxt = tvb.u8(off);
    const lenw = tvb.u8(off + 1);
    const hlen = (lenw + 1) * 8;
    pinfo.layers.push(isDst ? 'ipv6.dstopts' : 'ipv6.hopopts');
    const parent = extParent(ip, tree);
    let t: Item | null = null;
    // a Destination Options header's items depend on its octets alone (a MN sends
    // the same Home Address option again and again): shared while they repeat
    const share = parent !== null && isDst && off + hlen <= tvb.end;
    const b = share ? BLOCKS.get(tvb.buf, off, hlen, parent.ds) : null;
    const experts = pinfo.expert.length;
    if (parent) {
      const hf = isDst ? hfDst : hfHop;
      t = parent.add(isDst ? PD : PH, off, Math.min(hlen, tvb.end - off), null);
      if (b) useBlock(t, b);
      else {
        t.add(hf.nxt, off, 1, nxt);
        t.add(hf.len, off + 1, 1, lenw);
        const lo = t.add(hf.lenOct, off + 1, 1, hlen, `Length: ${hlen} bytes`);
        lo.generated = true;
      }
    }
    if (!isDst && ip && ip.chain.length > 1) {
      pinfo.addExpert('error', 'ipv6.hopopts.not_first', 'IPv6 Hop-by-Hop extension header must appear immediately after IPv6 header', t, 'protocol');
      // tshark shows it first in the header
      if (t) t.children!.unshift(t.children!.pop()!);
    }
    const h = tvb.limit(off + hlen, off + hlen);
    // with a block the walk only sets what later layers read (the Home Address)
    walkOptions(h, off + 2, off + hlen, pinfo, b ? null : t, ip, isDst);
    if (share && !b && pinfo.expert.length === experts) BLOCKS.put(tvb.buf, off, hlen, t!.ds, t!);
    nextHeader(nxt, tvb, off + hlen, pinfo, tree, ip);
  };
}

const hop = registerDissector('ipv6.hopopts', 'IPv6 Hop-by-Hop Option', dissectOpts(false));
const dst = registerDissector('ipv6.dstopts', 'Destination Options for IPv6', dissectOpts(true));
table('ipv6.nxt', 'IPv6 next header').add(0, hop);

const T_IPV6_NXT = table('ipv6.nxt');
// the option lengths walkOptions checks (a wrong one marks the packet malformed)
const FIXED_LEN: Record<number, number> = { 0x05: 2, 0x04: 1, 0xc2: 4, 0xc9: 16 };

/**
 * Summary fast path (core/fast.ts): a header whose options all fit, each known
 * one with its right length, as walkOptions would walk it without a mark (an
 * unknown option's note and a misplaced Hop-by-Hop header's error change no
 * column). In a Destination Options header the first Home Address names the source.
 */
function fastOpts(isDst: boolean) {
  const visit = (type: number, o: number, oe: number, st: FastState): boolean => {
    const want = FIXED_LEN[type];
    if (want !== undefined && oe - o - 2 !== want) return false;
    if (type === 0xc9 && isDst && !st.hoaSet) {
      st.hoaSet = true;
      st.src = o + 2;
    }
    return true;
  };
  return (off: number, end: number, st: FastState): boolean => {
    const buf = st.buf;
    if (off + 2 > end) return false;
    const hend = off + (buf[off + 1]! + 1) * 8;
    return hend <= end && eachTlv(buf, off + 2, hend, visit, st) && fastFromTable(T_IPV6_NXT, buf[off]!, hend, end, st);
  };
}
registerFast('ipv6.dstopts', fastOpts(true));
registerFast('ipv6.hopopts', fastOpts(false));
table('ipv6.nxt').add(60, dst);
