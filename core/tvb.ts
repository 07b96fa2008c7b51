// Bounds-checked view over packet bytes, Wireshark's tvbuff in spirit.
// Offsets are absolute within `buf`; `end` is the captured limit of this layer,
// `rend` the limit the packet claims (larger when the snap length cut it).
// Every read checks before it touches memory and throws BoundsError, which the
// dissector caller turns into a "[Malformed]" or "[Packet size limited]" mark.

export class BoundsError extends Error {
  offset: number;
  need: number;
  avail: number;
  /** true when the bytes exist on the wire but were not captured (snaplen) */
  truncated: boolean;
  what?: string;

  constructor(offset: number, need: number, avail: number, truncated: boolean, what?: string) {
    // no stack trace: thrown for every malformed layer and always caught by
    // callDissector; capturing the stack cost more than the rest of the packet
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`${what ? what + ': ' : ''}needs ${need} octet${need === 1 ? '' : 's'} at offset ${offset}, ${Math.max(0, avail)} available`);
    Error.stackTraceLimit = limit;
    this.offset = offset;
    this.need = need;
    this.avail = avail;
    this.truncated = truncated;
    this.what = what;
  }
}

export class Tvb {
  constructor(
    public buf: Buffer,
    public end: number,
    public rend: number = end,
    /** data source index (0 = the frame; others = reassembled/decrypted buffers) */
    public ds: number = 0,
  ) {}

  /** Point this view at [.., end) of buf, claimed end the same (a view a fast variant reuses). */
  at(buf: Buffer, end: number): this {
    this.buf = buf;
    this.end = this.rend = end;
    return this;
  }

  static of(buf: Buffer, ds = 0): Tvb {
    return new Tvb(buf, buf.length, buf.length, ds);
  }

  has(off: number, n: number): boolean {
    return off >= 0 && off + n <= this.end;
  }

  remaining(off: number): number {
    return this.end - off;
  }

  check(off: number, n: number, what?: string): void {
    if (off < 0 || n < 0 || off + n > this.end) this.fail(off, n, what);
  }

  fail(off: number, n: number, what?: string): never {
    // truncated = the claimed packet holds these bytes but the capture does not
    const truncated = off + n <= this.rend && this.end < this.rend;
    throw new BoundsError(off, n, this.end - off, truncated, what);
  }

  u8(off: number): number {
    if (off + 1 > this.end || off < 0) this.fail(off, 1);
    return this.buf[off]!;
  }
  u16(off: number): number {
    if (off + 2 > this.end || off < 0) this.fail(off, 2);
    return (this.buf[off]! << 8) | this.buf[off + 1]!;
  }
  u24(off: number): number {
    if (off + 3 > this.end || off < 0) this.fail(off, 3);
    return (this.buf[off]! << 16) | (this.buf[off + 1]! << 8) | this.buf[off + 2]!;
  }
  u32(off: number): number {
    if (off + 4 > this.end || off < 0) this.fail(off, 4);
    return this.buf.readUInt32BE(off);
  }
  u64(off: number): bigint {
    if (off + 8 > this.end || off < 0) this.fail(off, 8);
    return this.buf.readBigUInt64BE(off);
  }
  u16le(off: number): number {
    if (off + 2 > this.end || off < 0) this.fail(off, 2);
    return this.buf.readUInt16LE(off);
  }
  u32le(off: number): number {
    if (off + 4 > this.end || off < 0) this.fail(off, 4);
    return this.buf.readUInt32LE(off);
  }
  /** A view (no copy) of n octets. */
  bytes(off: number, n: number, what?: string): Buffer {
    if (n < 0 || off < 0 || off + n > this.end) this.fail(off, n, what);
    return this.buf.subarray(off, off + n);
  }
  /** Narrow the view to [.., newEnd); the claimed end narrows with it. */
  limit(newEnd: number, claimedEnd: number = newEnd): Tvb {
    const e = Math.min(newEnd, this.end);
    const r = Math.min(claimedEnd, this.rend);
    if (e === this.end && r === this.rend) return this;
    return new Tvb(this.buf, e, Math.max(e, r), this.ds);
  }
}
