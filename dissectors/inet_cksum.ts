import type { Item } from '../core/tree.js';
import { valueString, type Field } from '../core/fields.js';

// Internet checksum (RFC 1071) with the IPv6 pseudo-header (RFC 8200 8.1), shared
// by ICMPv6, UDP, TCP and the Mobility Header (RFC 6275 6.1.1).

/** One's-complement sum of `len` octets at `off` (not folded). */
export function onesSum(b: Uint8Array, off: number, len: number, sum = 0): number {
  let i = off;
  const end = off + len - 1;
  for (; i < end; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
  if (i === end) sum += b[i]! << 8;
  return sum;
}

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/**
 * Checksum over pseudo-header (src, dst, upper-layer length, next header) and the
 * upper-layer data with its checksum field (at `csumOff`) taken as zero.
 * Returns the value the checksum field should hold.
 */
export function ipv6Checksum(src: Uint8Array, dst: Uint8Array, nxt: number, b: Uint8Array, off: number, len: number, csumOff: number): number {
  return finishV6(onesSum(dst, 0, 16, onesSum(src, 0, 16)), nxt, b, off, len, csumOff);
}

/** ipv6Checksum with both addresses read from `b` itself (the summary fast path makes no views). */
export function ipv6ChecksumAt(b: Uint8Array, srcOff: number, dstOff: number, nxt: number, off: number, len: number, csumOff: number): number {
  return finishV6(onesSum(b, dstOff, 16, onesSum(b, srcOff, 16)), nxt, b, off, len, csumOff);
}

/** the rest of the IPv6 checksum, once the two addresses are summed into `s` */
function finishV6(s: number, nxt: number, b: Uint8Array, off: number, len: number, csumOff: number): number {
  s += Math.floor(len / 0x10000) + (len & 0xffff);
  s += nxt;
  s = onesSum(b, off, len, s);
  if (csumOff >= off && csumOff + 1 < off + len) s -= (b[csumOff]! << 8) | b[csumOff + 1]!;
  // subtracting may go negative before folding: add enough 0xffff to stay in range
  while (s < 0) s += 0xffff;
  const r = (~fold(s)) & 0xffff;
  return r;
}

/** The same over the IPv4 pseudo-header (RFC 768: src, dst, zero, protocol, length). */
export function ipv4Checksum(src: Uint8Array, dst: Uint8Array, proto: number, b: Uint8Array, off: number, len: number, csumOff: number): number {
  let s = onesSum(src, 0, 4);
  s = onesSum(dst, 0, 4, s);
  s += proto + (len & 0xffff);
  s = onesSum(b, off, len, s);
  if (csumOff >= off && csumOff + 1 < off + len) s -= (b[csumOff]! << 8) | b[csumOff + 1]!;
  return (~fold(s)) & 0xffff;
}

/** Pseudo-header addresses for an upper layer: HAO source, routing-header final destination. */
export interface PseudoIp {
  version: 4 | 6;
  src: Uint8Array;
  dst: Uint8Array;
  hoa: Uint8Array | null;
  finalDst: Uint8Array | null;
}

/** Transport checksum (UDP, TCP, ICMPv6) over the right pseudo-header for `ip`. */
export function transportChecksum(ip: PseudoIp, proto: number, b: Uint8Array, off: number, len: number, csumOff: number): number {
  if (ip.version === 4) return ipv4Checksum(ip.src, ip.dst, proto, b, off, len, csumOff);
  return ipv6Checksum(ip.hoa ?? ip.src, ip.finalDst ?? ip.dst, proto, b, off, len, csumOff);
}

/** The generated "[Checksum Status: Good]" item (tshark prints the name only, no number). */
export function statusItem(parent: Item, f: Field, off: number, v: number): void {
  const it = parent.add(f, off, 0, v, `${f.name}: ${valueString(f.vals, v) ?? v}`);
  it.generated = true;
}
