// Buffered, synchronous stdout: strings are UTF-8-encoded straight into one
// reused buffer (no per-write arrays, no join), written once ~64 KiB are
// pending; EPIPE (| head) ends quietly.
import * as fs from 'node:fs';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

type Utf8Writer = Buffer & { utf8Write?: (s: string, off: number) => number };

export class Out {
  private buf: Utf8Writer;
  private pos = 0;
  closed = false;

  constructor(public fd = 1, private limit = 1 << 16) {
    this.buf = Buffer.allocUnsafe(Math.max(1 << 17, limit * 2));
  }

  /** short strings wait here and are encoded together: one native call per ~8 K characters */
  private pending = '';

  write(s: string): void {
    if (s.length < 512) {
      this.pending += s;
      if (this.pending.length < 8192) return;
      s = this.pending;
      this.pending = '';
    } else this.encodePending();
    this.encode(s);
  }

  /** what waits in `pending`, encoded (before anything written after it) */
  private encodePending(): void {
    if (this.pending) {
      const p = this.pending;
      this.pending = '';
      this.encode(p);
    }
  }

  private encode(s: string): void {
    if (this.closed) return;
    const buf = this.buf;
    // worst case 3 octets per UTF-16 unit
    if (this.pos + s.length * 3 > buf.length) {
      this.flush();
      if (this.closed) return;
      if (s.length * 3 > buf.length) {
        this.emit(Buffer.from(s, 'utf8'));
        return;
      }
    }
    this.putText(s);
    if (this.pos >= this.limit) this.flush();
  }

  // ---- direct writes (the summary line): octets put straight into the buffer ----

  /**
   * Room for n octets after everything written so far, for the put* calls that
   * follow (false: the output is closed, or n is more than the buffer holds).
   */
  reserve(n: number): boolean {
    this.encodePending();
    if (this.pos + n > this.buf.length) this.flush();
    return !this.closed && this.pos + n <= this.buf.length;
  }

  putByte(c: number): void {
    this.buf[this.pos++] = c;
  }

  /** n spaces */
  putSpaces(n: number): void {
    const b = this.buf;
    for (let i = 0; i < n; i++) b[this.pos++] = 0x20;
  }

  /** a few octets made once (copied by a loop: a native call costs more for so few) */
  putBytes(src: Uint8Array): void {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < src.length; i++) b[p++] = src[i]!;
    this.pos = p;
  }

  /** a whole number >= 0 in decimal, right-aligned in `width`, zero-padded to `zeros` digits */
  putDecimal(n: number, width = 0, zeros = 1): void {
    let d = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) d++;
    if (d < zeros) d = zeros;
    if (width > d) this.putSpaces(width - d);
    const b = this.buf;
    let p = this.pos + d;
    this.pos = p;
    for (let i = 0; i < d; i++) {
      const q = Math.floor(n / 10);
      b[--p] = 0x30 + (n - q * 10);
      n = q;
    }
  }

  /** text, UTF-8 (at most 3 octets per UTF-16 unit: reserve for it) */
  putText(s: string): void {
    const b = this.buf;
    this.pos += b.utf8Write ? b.utf8Write(s, this.pos) : b.write(s, this.pos, 'utf8');
  }

  /** where the next put goes (for rewind) */
  mark(): number {
    return this.pos;
  }

  /** drop what was put since mark() */
  rewind(at: number): void {
    this.pos = at;
  }

  /**
   * What was put since mark() (well-formed UTF-8) holds nothing escapeText would
   * change: no C0 control, DEL or backslash, no C1 control (C2 80-9F), no
   * U+2028-202E (E2 80 A8-AE) and no U+2066-2069 (E2 81 A6-A9).
   */
  noEscapesSince(at: number): boolean {
    const b = this.buf;
    const end = this.pos;
    for (let i = at; i < end; i++) {
      const c = b[i]!;
      if (c < 0x80) {
        if (c < 0x20 || c === 0x7f || c === 0x5c) return false;
      } else if (c === 0xc2) {
        if (b[i + 1]! < 0xa0) return false;
      } else if (c === 0xe2) {
        const c1 = b[i + 1]!, c2 = b[i + 2]!;
        if ((c1 === 0x80 && c2 >= 0xa8 && c2 <= 0xae) || (c1 === 0x81 && c2 >= 0xa6 && c2 <= 0xa9)) return false;
      }
    }
    return true;
  }

  /** the end of a line put directly: flushed as write() would */
  endLine(): void {
    this.buf[this.pos++] = 0x0a;
    if (this.pos >= this.limit) this.flush();
  }

  line(s: string): void {
    this.write(s + '\n');
  }

  flush(): void {
    this.encodePending();
    if (this.pos === 0 || this.closed) return;
    const n = this.pos;
    this.pos = 0;
    this.emit(this.buf.subarray(0, n));
  }

  /** Octets already encoded (another thread's output, cli/parallel.ts): after what is pending. */
  writeBytes(b: Uint8Array): void {
    this.flush();
    if (!this.closed && b.length > 0) this.emit(Buffer.from(b.buffer, b.byteOffset, b.length));
  }

  /** where encoded output goes: the file descriptor (a subclass may keep it) */
  protected emit(b: Buffer): void {
    this.writeAll(b, 0);
  }

  private writeAll(b: Buffer, off: number): void {
    while (off < b.length) {
      try {
        off += fs.writeSync(this.fd, b, off, b.length - off);
      } catch (e: any) {
        if (e.code === 'EAGAIN') {
          Atomics.wait(sleeper, 0, 0, 2);
          continue;
        }
        if (e.code === 'EPIPE') {
          this.closed = true;
          return;
        }
        throw e;
      }
    }
  }
}

/** Collects encoded output in memory, taken as one buffer per batch (cli/parallel.ts). */
export class BatchOut extends Out {
  // one growing buffer, reused from batch to batch
  private acc = Buffer.allocUnsafe(1 << 18);
  private size = 0;
  constructor() {
    super(-1);
  }
  protected override emit(b: Buffer): void {
    if (this.size + b.length > this.acc.length) {
      const n = Buffer.allocUnsafe(Math.max(this.acc.length * 2, this.size + b.length));
      this.acc.copy(n, 0, 0, this.size);
      this.acc = n;
    }
    b.copy(this.acc, this.size);
    this.size += b.length;
  }
  /** everything written since the last take or drop, as a view of the reused buffer (valid until the next write) */
  view(): Uint8Array {
    this.flush();
    return this.acc.subarray(0, this.size);
  }

  drop(): void {
    this.size = 0;
  }

  /** everything written since the last take, in a buffer of its own (transferable) */
  take(): Uint8Array {
    this.flush();
    const r = new Uint8Array(this.size);
    r.set(this.acc.subarray(0, this.size));
    this.size = 0;
    return r;
  }
}

/** Collects output in memory (tests, reports). */
export class MemOut extends Out {
  private acc = '';
  constructor() {
    super(-1);
  }
  /** everything written so far (direct writes too) */
  get text(): string {
    this.flush();
    return this.acc;
  }
  set text(v: string) {
    this.flush();
    this.acc = v;
  }
  override write(s: string): void {
    this.flush();
    this.acc += s;
  }
  protected override emit(b: Buffer): void {
    this.acc += b.toString('utf8');
  }
}
