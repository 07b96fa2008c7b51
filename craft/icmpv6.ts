// ICMPv6 Neighbor Discovery byte builders for craft (RFC 4861 4.2-4.6): the
// Router Advertisement, Neighbor Solicitation and Neighbor Advertisement fixed
// parts and ND options (Length in 8-octet units, zero-padded). Checksums stay zero:
// build.ts fills them in over the IPv6 pseudo-header.

/** An ND option: Type, Length (8-octet units), body, zero padding to a multiple of 8. */
export function ndOption(type: number, body: Buffer): Buffer {
  const len = Math.ceil((2 + body.length) / 8) * 8;
  if (len / 8 > 255) throw new RangeError(`ND option ${type}: ${body.length} octets do not fit a Length of 255 units`);
  const b = Buffer.alloc(len);
  b[0] = type;
  b[1] = len / 8;
  body.copy(b, 2);
  return b;
}

/** Solicited-node multicast address ff02::1:ffXX:XXXX of `a` (RFC 4291 2.7.1). */
export function solicitedNode(a: Buffer): Buffer {
  const b = Buffer.from('ff0200000000000000000001ff000000', 'hex');
  a.copy(b, 13, 13, 16);
  return b;
}

export const ALL_NODES = Buffer.from('ff020000000000000000000000000001', 'hex');
export const UNSPECIFIED = Buffer.alloc(16);

export const RA_FLAGS: Record<string, number> = { M: 0x80, O: 0x40, H: 0x20 };
export const NA_FLAGS: Record<string, number> = { R: 0x80000000, S: 0x40000000, O: 0x20000000 };

/** Router Advertisement header (16 octets) then options. */
export function routerAdvertisement(o: { curHopLimit: number; flags: number; routerLifetime: number; reachable: number; retrans: number }, opts: Buffer[]): Buffer {
  const b = Buffer.alloc(16);
  b[0] = 134;
  b[4] = o.curHopLimit;
  b[5] = o.flags;
  b.writeUInt16BE(o.routerLifetime, 6);
  b.writeUInt32BE(o.reachable, 8);
  b.writeUInt32BE(o.retrans, 12);
  return Buffer.concat([b, ...opts]);
}

/** Neighbor Solicitation (135) or Advertisement (136): type, flags/reserved, target, options. */
export function neighborMessage(type: 135 | 136, flags: number, target: Buffer, opts: Buffer[]): Buffer {
  const b = Buffer.alloc(24);
  b[0] = type;
  b.writeUInt32BE(flags >>> 0, 4);
  target.copy(b, 8);
  return Buffer.concat([b, ...opts]);
}

/** Prefix Information option body (RFC 4861 4.6.2), L and A set. */
export function prefixInfo(prefix: Buffer, plen: number, valid = 86400, preferred = 14400): Buffer {
  const b = Buffer.alloc(30);
  b[0] = plen;
  b[1] = 0xc0;
  b.writeUInt32BE(valid, 2);
  b.writeUInt32BE(preferred, 6);
  prefix.copy(b, 14);
  return b;
}
