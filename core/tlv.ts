// The option list format IPv6 extension headers (RFC 8200 4.2) and the Mobility
// Header (RFC 6275 6.2.1) share: Pad1 is a single zero octet, every other option
// is type, length, value.

/**
 * Visit each option of [off, end) but Pad1 as visit(type, optOff, optEnd, ctx):
 * false when an option does not fit or the visitor says no.
 */
export function eachTlv<C>(buf: Uint8Array, off: number, end: number, visit: (type: number, off: number, end: number, ctx: C) => boolean, ctx: C): boolean {
  while (off < end) {
    const type = buf[off]!;
    if (type === 0) {
      off++;
      continue;
    }
    if (off + 2 > end) return false;
    const optEnd = off + 2 + buf[off + 1]!;
    if (optEnd > end || !visit(type, off, optEnd, ctx)) return false;
    off = optEnd;
  }
  return true;
}
