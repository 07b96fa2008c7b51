// A tiny, independent reader for what craft writes (µs pcap, Ethernet, IPv6 with
// Home Address option / type 2 routing header, MH or ICMPv6), and the upper-layer
// checksum from RFC 8200 8.1 / RFC 6275 6.1.1: the craft tests judge the bytes with
// this, never with the project's own dissectors or craft code.
import { readFileSync } from 'node:fs';

export interface Pkt {
  /** seconds since 1970 */
  t: number;
  eth: { dst: Buffer; src: Buffer };
  /** the IPv6 packet (from the version octet to the end of the upper layer) */
  ip: Buffer;
  src: Buffer;
  dst: Buffer;
  hlim: number;
  hao: Buffer | null;
  rh2: Buffer | null;
  /** upper-layer protocol (135 MH, 58 ICMPv6) and its offset in `ip` */
  nxt: number;
  ulOff: number;
  ul: Buffer;
}

export function readPcap(path: string): Pkt[] {
  const d = readFileSync(path);
  if (d.readUInt32LE(0) !== 0xa1b2c3d4 || d.readUInt32LE(20) !== 1) throw new Error('not a µs Ethernet pcap');
  const out: Pkt[] = [];
  for (let o = 24; o < d.length; ) {
    const sec = d.readUInt32LE(o), usec = d.readUInt32LE(o + 4), cl = d.readUInt32LE(o + 8);
    const f = d.subarray(o + 16, o + 16 + cl);
    o += 16 + cl;
    if (f.readUInt16BE(12) !== 0x86dd) throw new Error('not IPv6');
    out.push(parseIp(sec + usec / 1e6, f.subarray(0, 6), f.subarray(6, 12), f.subarray(14)));
  }
  return out;
}

function parseIp(t: number, edst: Buffer, esrc: Buffer, ip: Buffer): Pkt {
  if (ip[0]! >> 4 !== 6 || ip.readUInt16BE(4) !== ip.length - 40) throw new Error('bad IPv6 header');
  let nxt = ip[6]!;
  let off = 40;
  let hao: Buffer | null = null, rh2: Buffer | null = null;
  while (nxt === 60 || nxt === 43) {
    const len = (ip[off + 1]! + 1) * 8;
    if (nxt === 43) {
      if (ip[off + 2] !== 2 || ip[off + 3] !== 1) throw new Error('not a type 2 routing header');
      rh2 = ip.subarray(off + 8, off + 24);
    } else {
      for (let i = off + 2; i < off + len; ) {
        if (ip[i] === 0) { i++; continue; }
        if (ip[i] === 201 && ip[i + 1] === 16) hao = ip.subarray(i + 2, i + 18);
        i += 2 + ip[i + 1]!;
      }
    }
    nxt = ip[off]!;
    off += len;
  }
  return {
    t, eth: { dst: edst, src: esrc }, ip, src: ip.subarray(8, 24), dst: ip.subarray(24, 40), hlim: ip[7]!,
    hao, rh2, nxt, ulOff: off, ul: ip.subarray(off),
  };
}

/** One's complement sum over the pseudo-header (HoA as source, RH2 address as destination) and the upper layer. */
export function checksumOk(p: Pkt): boolean {
  const ph = Buffer.alloc(40);
  (p.hao ?? p.src).copy(ph, 0);
  (p.rh2 ?? p.dst).copy(ph, 16);
  ph.writeUInt32BE(p.ul.length, 32);
  ph[39] = p.nxt;
  const all = Buffer.concat([ph, p.ul, Buffer.alloc(p.ul.length % 2)]);
  let s = 0;
  for (let i = 0; i < all.length; i += 2) s += all.readUInt16BE(i);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s === 0xffff;
}

export function a6(s: string): Buffer {
  const [h, t = ''] = s.split('::');
  const g = (x: string) => (x ? x.split(':') : []);
  const parts = s.includes('::') ? [...g(h!), ...Array(8 - g(h!).length - g(t).length).fill('0'), ...g(t)] : g(s);
  return Buffer.from(parts.map((p) => p.padStart(4, '0')).join(''), 'hex');
}

/** The IPv6 packet with the given [offset, length) ranges (offsets into the upper layer) zeroed. */
export function zeroed(p: Pkt, ranges: Array<[number, number]>): Buffer {
  const c = Buffer.from(p.ip);
  for (const [o, n] of ranges) c.fill(0, p.ulOff + o, p.ulOff + o + n);
  return c;
}

/** Mobility options after `start` in an MH: type, offset, value. */
export function mhOptions(mh: Buffer, start: number): Array<{ type: number; off: number; value: Buffer }> {
  const out: Array<{ type: number; off: number; value: Buffer }> = [];
  for (let i = start; i < mh.length; ) {
    if (mh[i] === 0) { out.push({ type: 0, off: i, value: Buffer.alloc(0) }); i++; continue; }
    out.push({ type: mh[i]!, off: i, value: mh.subarray(i + 2, i + 2 + mh[i + 1]!) });
    i += 2 + mh[i + 1]!;
  }
  return out;
}
