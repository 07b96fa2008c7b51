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
  packets: IterableIterator<RawPacket>;
  source: ByteSource;
  /** offset read so far (progress) */
  position(): number;
}

/** The first octets of a capture: which reader, or the ReaderError that says it is none. */
export function captureKind(head: Buffer, name: string): 'pcap' | 'pcapng' {
  if (head.length < 4) throw new ReaderError(`"${name}" is not a capture file: it is ${head.length === 0 ? 'empty' : 'too short'}`);
  const magic = head.readUInt32BE(0);
  if (PCAP_MAGICS.includes(magic)) return 'pcap';
  if (magic === SHB) return 'pcapng';
  throw new ReaderError(`"${name}" is not a capture file this reader understands (not pcap or pcapng: magic 0x${magic.toString(16).padStart(8, '0')})`);
}

export function openCaptureSource(src: ByteSource): Capture {
  const cr = new ChunkReader(src);
  cr.ensure(4);
  const kind = captureKind(cr.view(Math.min(4, cr.available())), src.name);
  const info: CaptureInfo = { format: 'pcap' };
  const packets = kind === 'pcap' ? readPcap(cr, info) : readPcapng(cr, info);
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
