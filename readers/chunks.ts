// Chunked input: large reads, packets handed out as subarrays of the chunk (no
// copy per packet). Bytes already handed out are never overwritten (new data is
// appended after them, or goes to a fresh chunk), so earlier packet views stay
// valid; memory is what live views hold, not the file size.
import type { ByteSource } from './source.js';

export const CHUNK = 1 << 20;

/**
 * A packet's view of its chunk: a Uint8Array with Buffer's methods, as Node's own
 * Buffers are (Buffer.isBuffer is true). Made from the chunk's ArrayBuffer kept at
 * hand: `buf.subarray` first asks the chunk for its `.buffer` through a native
 * call (31 against 12 ns a view here), once for every packet.
 */
class ChunkView extends Uint8Array {}
Object.setPrototypeOf(ChunkView.prototype, Buffer.prototype);

export class ChunkReader {
  buf: Buffer = Buffer.alloc(0);
  /** buf's ArrayBuffer and where buf starts in it (for the packet views) */
  private ab = this.buf.buffer as ArrayBuffer;
  private abOff = this.buf.byteOffset;
  pos = 0;
  len = 0;
  /** file offset of buf[0] */
  base = 0;
  eof = false;

  constructor(private src: ByteSource) {}

  get offset(): number {
    return this.base + this.pos;
  }

  available(): number {
    return this.len - this.pos;
  }

  /** Make n octets available at pos; false if the data ends first. */
  ensure(n: number): boolean {
    if (this.len - this.pos >= n) return true;
    if (this.eof) return false;
    if (this.buf.length - this.pos < n) {
      // not enough room after pos: move the unread tail to a fresh chunk
      const rest = this.len - this.pos;
      const nb = Buffer.allocUnsafe(Math.max(CHUNK, n));
      this.buf.copy(nb, 0, this.pos, this.len);
      this.base += this.pos;
      this.buf = nb;
      this.ab = nb.buffer as ArrayBuffer;
      this.abOff = nb.byteOffset;
      this.pos = 0;
      this.len = rest;
    }
    // a slow pipe delivers a little at a time: keep reading until n or the end
    while (this.len - this.pos < n) {
      const r = this.src.read(this.buf, this.len, this.buf.length - this.len);
      if (r === 0) {
        this.eof = true;
        break;
      }
      this.len += r;
    }
    return this.len - this.pos >= n;
  }

  skip(n: number): void {
    this.pos += n;
  }

  /** view of n octets at pos (after ensure) */
  view(n: number): Buffer {
    return new ChunkView(this.ab, this.abOff + this.pos, n) as unknown as Buffer;
  }

  /** view of n octets at pos + at (after ensure of at least at + n) */
  viewAt(at: number, n: number): Buffer {
    return new ChunkView(this.ab, this.abOff + this.pos + at, n) as unknown as Buffer;
  }
}
