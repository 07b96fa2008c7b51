export const CHUNK = 1 << 20;
export class ChunkReader {
    src;
    buf = Buffer.alloc(0);
    pos = 0;
    len = 0;
    /** file offset of buf[0] */
    base = 0;
    eof = false;
    constructor(src) {
        this.src = src;
    }
    get offset() {
        return this.base + this.pos;
    }
    available() {
        return this.len - this.pos;
    }
    /** Make n octets available at pos; false if the data ends first. */
    ensure(n) {
        if (this.len - this.pos >= n)
            return true;
        if (this.eof)
            return false;
        if (this.buf.length - this.pos < n) {
            // not enough room after pos: move the unread tail to a fresh chunk
            const rest = this.len - this.pos;
            const nb = Buffer.allocUnsafe(Math.max(CHUNK, n));
            this.buf.copy(nb, 0, this.pos, this.len);
            this.base += this.pos;
            this.buf = nb;
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
    skip(n) {
        this.pos += n;
    }
    /** view of n octets at pos (after ensure) */
    view(n) {
        return this.buf.subarray(this.pos, this.pos + n);
    }
}
