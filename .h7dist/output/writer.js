// Buffered, synchronous stdout: strings are UTF-8-encoded straight into one
// reused buffer (no per-write arrays, no join), written once ~64 KiB are
// pending; EPIPE (| head) ends quietly.
import * as fs from 'node:fs';
const sleeper = new Int32Array(new SharedArrayBuffer(4));
export class Out {
    fd;
    limit;
    buf;
    pos = 0;
    closed = false;
    constructor(fd = 1, limit = 1 << 16) {
        this.fd = fd;
        this.limit = limit;
        this.buf = Buffer.allocUnsafe(Math.max(1 << 17, limit * 2));
    }
    write(s) {
        if (this.closed)
            return;
        const buf = this.buf;
        // worst case 3 octets per UTF-16 unit
        if (this.pos + s.length * 3 > buf.length) {
            this.flush();
            if (this.closed)
                return;
            if (s.length * 3 > buf.length) {
                this.writeAll(Buffer.from(s, 'utf8'), 0);
                return;
            }
        }
        this.pos += buf.utf8Write ? buf.utf8Write(s, this.pos) : buf.write(s, this.pos, 'utf8');
        if (this.pos >= this.limit)
            this.flush();
    }
    line(s) {
        this.write(s + '\n');
    }
    flush() {
        if (this.pos === 0 || this.closed)
            return;
        const n = this.pos;
        this.pos = 0;
        this.writeAll(this.buf.subarray(0, n), 0);
    }
    writeAll(b, off) {
        while (off < b.length) {
            try {
                off += fs.writeSync(this.fd, b, off, b.length - off);
            }
            catch (e) {
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
    write(s) {
        this.text += s;
    }
    flush() { }
}
