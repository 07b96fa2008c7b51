// Buffered, synchronous stdout: one write per ~64 KiB, EPIPE (| head) ends quietly.
import * as fs from 'node:fs';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

export class Out {
  private parts: string[] = [];
  private size = 0;
  closed = false;

  constructor(public fd = 1, private limit = 1 << 16) {}

  write(s: string): void {
    if (this.closed) return;
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= this.limit) this.flush();
  }

  line(s: string): void {
    this.write(s + '\n');
  }

  flush(): void {
    if (this.parts.length === 0 || this.closed) return;
    const b = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.size = 0;
    let off = 0;
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

/** Collects output in memory (tests, reports). */
export class MemOut extends Out {
  text = '';
  constructor() {
    super(-1);
  }
  override write(s: string): void {
    this.text += s;
  }
  override flush(): void {}
}
