// Classic libpcap files: µs (a1b2c3d4) and ns (a1b23c4d) magics, either byte order.
import type { RawPacket } from '../core/packet.js';
import { ChunkReader } from './chunks.js';
import { ReaderError, MAX_RECORD } from './errors.js';

export const PCAP_MAGICS = [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1];

export interface CaptureInfo {
  format: 'pcap' | 'pcapng';
  nanosecond?: boolean;
  littleEndian?: boolean;
  linktype?: number;
  snaplen?: number;
  version?: string;
  /** octets of FCS per frame announced in the header */
  fcsLen?: number;
}

export function* readPcap(cr: ChunkReader, info: CaptureInfo): Generator<RawPacket> {
  if (!cr.ensure(24)) throw new ReaderError('the file ends inside the pcap file header', cr.offset);
  const h = cr.view(24);
  const magicBE = h.readUInt32BE(0);
  const le = magicBE === 0xd4c3b2a1 || magicBE === 0x4d3cb2a1;
  const ns = magicBE === 0xa1b23c4d || magicBE === 0x4d3cb2a1;
  const u16 = le ? (b: Buffer, o: number) => b.readUInt16LE(o) : (b: Buffer, o: number) => b.readUInt16BE(o);
  const u32 = le ? (b: Buffer, o: number) => b.readUInt32LE(o) : (b: Buffer, o: number) => b.readUInt32BE(o);
  const snaplen = u32(h, 16);
  // FCS bits live in the upper bits of the link-type word (pcap-savefile(5)):
  // bit 28 says bits 31..29 hold the FCS length in 16-bit words
  const lword = u32(h, 20);
  const linktype = lword & 0x0fffffff;
  const fcsLen = lword & 0x10000000 ? ((lword >>> 29) & 7) * 2 : undefined;
  info.format = 'pcap';
  info.nanosecond = ns;
  info.littleEndian = le;
  info.linktype = linktype;
  info.snaplen = snaplen;
  info.fcsLen = fcsLen;
  info.version = `${u16(h, 4)}.${u16(h, 6)}`;
  cr.skip(24);
  const mult = ns ? 1 : 1000;
  const digits = ns ? 9 : 6;
  const units = ns ? 1e9 : 1e6;
  for (;;) {
    if (!cr.ensure(16)) {
      if (cr.available() === 0) return;
      throw new ReaderError(`truncated record header at offset ${cr.offset} (${cr.available()} of 16 octets)`, cr.offset);
    }
    // header fields straight from the chunk: no view object per record
    const b = cr.buf, o = cr.pos;
    const sec = le ? b.readUInt32LE(o) : b.readUInt32BE(o);
    const frac = le ? b.readUInt32LE(o + 4) : b.readUInt32BE(o + 4);
    const caplen = le ? b.readUInt32LE(o + 8) : b.readUInt32BE(o + 8);
    const origlen = le ? b.readUInt32LE(o + 12) : b.readUInt32BE(o + 12);
    const recOff = cr.offset;
    if (caplen > MAX_RECORD) {
      throw new ReaderError(`record at offset ${recOff} claims ${caplen} captured octets, more than the ${MAX_RECORD} this reader accepts`, recOff);
    }
    cr.skip(16);
    if (!cr.ensure(caplen)) {
      throw new ReaderError(`truncated record at offset ${recOff}: ${caplen} octets announced, ${cr.available()} present`, recOff);
    }
    const data = cr.view(caplen);
    cr.skip(caplen);
    // a second or more in the sub-second field (buggy writers): carry it
    const carry = frac >= units ? Math.floor(frac / units) : 0;
    // one object shape for every record (fcsLen always present) keeps the loop monomorphic
    yield { tsSec: sec + carry, tsNsec: (frac - carry * units) * mult, caplen, origlen: origlen > caplen ? origlen : caplen, linktype, data, fileOffset: recOff, tsDigits: digits, fcsLen };
  }
}
