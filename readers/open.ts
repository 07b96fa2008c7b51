// Open a capture by its magic (pcap or pcapng), streaming.
import type { RawPacket } from '../core/packet.js';
import { ChunkReader } from './chunks.js';
import { ReaderError } from './errors.js';
import { PCAP_MAGICS, readPcap, type CaptureInfo } from './pcap.js';
import { SHB, readPcapng } from './pcapng.js';
import { openSource, type ByteSource } from './source.js';

export { ReaderError } from './errors.js';
export type { CaptureInfo } from './pcap.js';

export interface Capture {
  info: CaptureInfo;
  packets: Generator<RawPacket>;
  source: ByteSource;
  /** offset read so far (progress) */
  position(): number;
}

export function openCaptureSource(src: ByteSource): Capture {
  const cr = new ChunkReader(src);
  if (!cr.ensure(4)) throw new ReaderError(`"${src.name}" is not a capture file: it is ${cr.available() === 0 ? 'empty' : 'too short'}`);
  const magic = cr.view(4).readUInt32BE(0);
  const info: CaptureInfo = { format: 'pcap' };
  let packets: Generator<RawPacket>;
  if (PCAP_MAGICS.includes(magic)) packets = readPcap(cr, info);
  else if (magic === SHB) packets = readPcapng(cr, info);
  else throw new ReaderError(`"${src.name}" is not a capture file this reader understands (not pcap or pcapng: magic 0x${magic.toString(16).padStart(8, '0')})`);
  return { info, packets, source: src, position: () => cr.offset };
}

/** Open `path` ('-' = stdin). Throws ReaderError with one clear line. */
export function openCapture(path: string): Capture {
  let src: ByteSource;
  try {
    src = openSource(path);
  } catch (e: any) {
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'it is a directory' : e.message;
    throw new ReaderError(`cannot open "${path}": ${why}`);
  }
  return openCaptureSource(src);
}
