// Byte builders for craft: IPv6 with Home Address option / type 2 routing header /
// IPv6-in-IPv6, the Mobility Header with RFC 6275 messages and options (aligned,
// padded to 8 octets), and its checksum.

export const ALIGN: Record<string, [number, number]> = {
  bra: [2, 0], acoa: [8, 6], ni: [2, 0], bad: [8, 2],
};

export function padding(n: number): Buffer {
  if (n <= 0) return Buffer.alloc(0);
  if (n === 1) return Buffer.from([0]);
  const b = Buffer.alloc(n);
  b[0] = 1;
  b[1] = n - 2;
  return b;
}

export interface BuiltOption {
  type: number;
  body: Buffer;
  align?: [number, number];
}

/** Lay options out after `start` octets of MH with alignment padding; returns bytes and each option's offset. */
export function layoutOptions(start: number, opts: BuiltOption[], padLast = true): { bytes: Buffer; offsets: number[] } {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let off = start;
  for (const o of opts) {
    if (o.type === 0) {
      parts.push(Buffer.from([0]));
      offsets.push(off);
      off += 1;
      continue;
    }
    if (o.align) {
      const [x, y] = o.align;
      const need = (((y - off) % x) + x) % x;
      if (need) {
        parts.push(padding(need));
        off += need;
      }
    }
    offsets.push(off);
    parts.push(Buffer.from([o.type, o.body.length]), o.body);
    off += 2 + o.body.length;
  }
  if (padLast && off % 8) {
    const n = 8 - (off % 8);
    parts.push(padding(n));
    off += n;
  }
  return { bytes: Buffer.concat(parts), offsets };
}

/** A Mobility Header: proto 59, hlen computed, checksum left zero. */
export function mobilityHeader(type: number, body: Buffer, o: { proto?: number; hlen?: number } = {}): Buffer {
  const len = 6 + body.length;
  const mh = Buffer.alloc(len);
  mh[0] = o.proto ?? 59;
  mh[1] = o.hlen ?? Math.ceil(len / 8) - 1;
  mh[2] = type;
  body.copy(mh, 6);
  return mh;
}

export function destOptsHao(nxt: number, hoa: Buffer): Buffer {
  // PadN(2) puts the option at 8n+6 as RFC 6275 6.3 requires
  const b = Buffer.alloc(24);
  b[0] = nxt;
  b[1] = 2;
  b[2] = 1;
  b[3] = 2;
  b[6] = 201;
  b[7] = 16;
  hoa.copy(b, 8);
  return b;
}

export function routingType2(nxt: number, addr: Buffer): Buffer {
  const b = Buffer.alloc(24);
  b[0] = nxt;
  b[1] = 2;
  b[2] = 2;
  b[3] = 1;
  addr.copy(b, 8);
  return b;
}

export function ipv6Header(nxt: number, plen: number, src: Buffer, dst: Buffer, hlim = 64): Buffer {
  const b = Buffer.alloc(40);
  b.writeUInt32BE(0x60000000, 0);
  b.writeUInt16BE(plen, 4);
  b[6] = nxt;
  b[7] = hlim;
  src.copy(b, 8);
  dst.copy(b, 24);
  return b;
}

export function ethernet(dst: Buffer, src: Buffer, payload: Buffer): Buffer {
  const h = Buffer.alloc(14);
  dst.copy(h, 0);
  src.copy(h, 6);
  h.writeUInt16BE(0x86dd, 12);
  return Buffer.concat([h, payload]);
}

export function pcapFile(linktype: number, packets: Array<{ t: number; data: Buffer }>): Buffer {
  const parts: Buffer[] = [];
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(262144, 16);
  h.writeUInt32LE(linktype, 20);
  parts.push(h);
  for (const p of packets) {
    const r = Buffer.alloc(16);
    const sec = Math.floor(p.t);
    r.writeUInt32LE(sec, 0);
    r.writeUInt32LE(Math.round((p.t - sec) * 1e6) % 1000000, 4);
    r.writeUInt32LE(p.data.length, 8);
    r.writeUInt32LE(p.data.length, 12);
    parts.push(r, p.data);
  }
  return Buffer.concat(parts);
}
