// Buffered, synchronous stdout: one write per ~64 KiB, EPIPE (| head) ends quietly.
import * as fs from 'node:fs';
const sleeper = new Int32Array(new SharedArrayBuffer(4));
export class Out {
    fd;
    limit;
    parts = [];
    size = 0;
    closed = false;
    constructor(fd = 1, limit = 1 << 16) {
        this.fd = fd;
        this.limit = limit;
    }
    write(s) {
        if (this.closed)
            return;
        this.parts.push(s);
        this.size += s.length;
        if (this.size >= this.limit)
            this.flush();
    }
    line(s) {
        this.write(s + '\n');
    }
    flush() {
        if (this.parts.length === 0 || this.closed)
            return;
        const b = Buffer.from(this.parts.join(''), 'utf8');
        this.parts = [];
        this.size = 0;
        let off = 0;
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
