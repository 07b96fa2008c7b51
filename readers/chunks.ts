// Chunked input: large reads, packets handed out as subarrays of the chunk (no
// copy per packet). A chunk is never overwritten, so earlier packet views stay
// valid; memory is what live views hold, not the file size.
import type { ByteSource } from './source.js';

export const CHUNK = 1 << 20;

export class ChunkReader {
  buf: Buffer = Buffer.alloc(0);
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
    const rest = this.len - this.pos;
    const size = Math.max(CHUNK, n);
    const nb = Buffer.allocUnsafe(size);
    this.buf.copy(nb, 0, this.pos, this.len);
    this.base += this.pos;
    this.buf = nb;
    this.pos = 0;
    this.len = rest;
    while (this.len < n) {
      const r = this.src.read(nb, this.len, size - this.len);
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
    return this.buf.subarray(this.pos, this.pos + n);
  }
}
