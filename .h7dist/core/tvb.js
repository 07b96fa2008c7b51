// Bounds-checked view over packet bytes, Wireshark's tvbuff in spirit.
// Offsets are absolute within `buf`; `end` is the captured limit of this layer,
// `rend` the limit the packet claims (larger when the snap length cut it).
// Every read checks before it touches memory and throws BoundsError, which the
// dissector caller turns into a "[Malformed]" or "[Packet size limited]" mark.
export class BoundsError extends Error {
    offset;
    need;
    avail;
    truncated;
    what;
    constructor(offset, need, avail, 
    /** true when the bytes exist on the wire but were not captured (snaplen) */
    truncated, what) {
        super(`${what ? what + ': ' : ''}needs ${need} octet${need === 1 ? '' : 's'} at offset ${offset}, ${Math.max(0, avail)} available`);
        this.offset = offset;
        this.need = need;
        this.avail = avail;
        this.truncated = truncated;
        this.what = what;
    }
}
export class Tvb {
    buf;
    end;
    rend;
    ds;
    constructor(buf, end, rend = end, 
    /** data source index (0 = the frame; others = reassembled/decrypted buffers) */
    ds = 0) {
        this.buf = buf;
        this.end = end;
        this.rend = rend;
        this.ds = ds;
    }
    static of(buf, ds = 0) {
        return new Tvb(buf, buf.length, buf.length, ds);
    }
    has(off, n) {
        return off >= 0 && off + n <= this.end;
    }
    remaining(off) {
        return this.end - off;
    }
    check(off, n, what) {
        if (off < 0 || n < 0 || off + n > this.end)
            this.fail(off, n, what);
    }
    fail(off, n, what) {
        // truncated = the claimed packet holds these bytes but the capture does not
        const truncated = off + n <= this.rend && this.end < this.rend;
        throw new BoundsError(off, n, this.end - off, truncated, what);
    }
    u8(off) {
        if (off + 1 > this.end || off < 0)
            this.fail(off, 1);
        return this.buf[off];
    }
    u16(off) {
        if (off + 2 > this.end || off < 0)
            this.fail(off, 2);
        return (this.buf[off] << 8) | this.buf[off + 1];
    }
    u24(off) {
        if (off + 3 > this.end || off < 0)
            this.fail(off, 3);
        return (this.buf[off] << 16) | (this.buf[off + 1] << 8) | this.buf[off + 2];
    }
    u32(off) {
        if (off + 4 > this.end || off < 0)
            this.fail(off, 4);
        return this.buf.readUInt32BE(off);
    }
    u64(off) {
        if (off + 8 > this.end || off < 0)
            this.fail(off, 8);
        return this.buf.readBigUInt64BE(off);
    }
    u16le(off) {
        if (off + 2 > this.end || off < 0)
            this.fail(off, 2);
        return this.buf.readUInt16LE(off);
    }
    u32le(off) {
        if (off + 4 > this.end || off < 0)
            this.fail(off, 4);
        return this.buf.readUInt32LE(off);
    }
    /** A view (no copy) of n octets. */
    bytes(off, n, what) {
        if (n < 0 || off < 0 || off + n > this.end)
            this.fail(off, n, what);
        return this.buf.subarray(off, off + n);
    }
    /** Narrow the view to [.., newEnd); the claimed end narrows with it. */
    limit(newEnd, claimedEnd = newEnd) {
        const e = Math.min(newEnd, this.end);
        const r = Math.min(claimedEnd, this.rend);
        if (e === this.end && r === this.rend)
            return this;
        return new Tvb(this.buf, e, Math.max(e, r), this.ds);
    }
}
