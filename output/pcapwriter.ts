// -w: write packets as pcap (µs or ns, by the input's precision) or pcapng (by
// the file extension), keeping original timestamps and lengths.
import * as fs from 'node:fs';
import type { RawPacket } from '../core/packet.js';

export interface PacketWriter {
  write(p: RawPacket): void;
  close(): void;
}

export function openWriter(path: string, linktype: number, nanosecond: boolean): PacketWriter {
  const fd = path === '-' ? 1 : fs.openSync(path, 'w');
  const ng = /\.pcapng$|\.ntar$/i.test(path);
  const chunks: Buffer[] = [];
  let size = 0;
  const flush = () => {
    if (chunks.length) fs.writeSync(fd, Buffer.concat(chunks));
    chunks.length = 0;
    size = 0;
  };
  const push = (b: Buffer) => {
    chunks.push(b);
    size += b.length;
    if (size > 1 << 20) flush();
  };
  const ifaces = new Map<number, number>(); // linktype -> interface id (pcapng)
  if (ng) {
    const shb = Buffer.alloc(28);
    shb.writeUInt32LE(0x0a0d0d0a, 0);
    shb.writeUInt32LE(28, 4);
    shb.writeUInt32LE(0x1a2b3c4d, 8);
    shb.writeUInt16LE(1, 12);
    shb.writeUInt16LE(0, 14);
    shb.writeBigInt64LE(-1n, 16);
    shb.writeUInt32LE(28, 24);
    push(shb);
  } else {
    const h = Buffer.alloc(24);
    h.writeUInt32LE(nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, 0);
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeUInt32LE(262144, 16);
    h.writeUInt32LE(linktype, 20);
    push(h);
  }
  const idb = (lt: number): number => {
    let id = ifaces.get(lt);
    if (id !== undefined) return id;
    id = ifaces.size;
    ifaces.set(lt, id);
    // if_tsresol = 9 (ns) so no precision is lost
    const b = Buffer.alloc(32);
    b.writeUInt32LE(1, 0);
    b.writeUInt32LE(32, 4);
    b.writeUInt16LE(lt, 8);
    b.writeUInt32LE(262144, 12);
    b.writeUInt16LE(9, 16);
    b.writeUInt16LE(1, 18);
    b.writeUInt8(9, 20);
    b.writeUInt16LE(0, 24);
    b.writeUInt16LE(0, 26);
    b.writeUInt32LE(32, 28);
    push(b);
    return id;
  };
  return {
    write(p) {
      if (ng) {
        const id = idb(p.linktype);
        const padded = (p.caplen + 3) & ~3;
        const total = 32 + padded;
        const b = Buffer.alloc(total);
        b.writeUInt32LE(6, 0);
        b.writeUInt32LE(total, 4);
        b.writeUInt32LE(id, 8);
        const t = BigInt(p.tsSec) * 1000000000n + BigInt(p.tsNsec);
        b.writeUInt32LE(Number(t >> 32n), 12);
        b.writeUInt32LE(Number(t & 0xffffffffn), 16);
        b.writeUInt32LE(p.caplen, 20);
        b.writeUInt32LE(p.origlen, 24);
        p.data.copy(b, 28, 0, p.caplen);
        b.writeUInt32LE(total, total - 4);
        push(b);
      } else {
        const h = Buffer.alloc(16);
        h.writeUInt32LE(p.tsSec, 0);
        h.writeUInt32LE(nanosecond ? p.tsNsec : Math.floor(p.tsNsec / 1000), 4);
        h.writeUInt32LE(p.caplen, 8);
        h.writeUInt32LE(p.origlen, 12);
        push(h);
        push(p.data.subarray(0, p.caplen));
      }
    },
    close() {
      flush();
      if (fd !== 1) fs.closeSync(fd);
    },
  };
}
