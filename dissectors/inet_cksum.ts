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
  let s = onesSum(src, 0, 16);
  s = onesSum(dst, 0, 16, s);
  s += Math.floor(len / 0x10000) + (len & 0xffff);
  s += nxt;
  s = onesSum(b, off, len, s);
  if (csumOff >= off && csumOff + 1 < off + len) s -= (b[csumOff]! << 8) | b[csumOff + 1]!;
  // subtracting may go negative before folding: add enough 0xffff to stay in range
  while (s < 0) s += 0xffff;
  const r = (~fold(s)) & 0xffff;
  return r;
}
