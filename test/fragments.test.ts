// IPv6 reassembly (dissectors/ipv6_frag.ts addFragment) against a plain model of
// what it must compute, written here from RFC 8200 4.5 and Wireshark's fragment
// flags: a part overlaps when any earlier part shares an octet with it, and
// conflicts when such a shared octet differs; a datagram completes when its last
// fragment has come and [0, total) is covered, its octets taken in offset order
// (earlier frames first where offsets tie). The module finds a repeated fragment
// without comparing it with every part; this checks that shortcut changes nothing,
// on fragment sequences with many repeats, overlaps and conflicting copies.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { addFragment, newFragState } from '../dissectors/ipv6_frag.js';

interface ModelPart { off: number; data: Buffer; frame: number; overlap: boolean; conflict: boolean }

class Model {
  parts: ModelPart[] = [];
  total: number | null = null;
  add(frame: number, off: number, more: boolean, data: Buffer): null | { frames: number[]; overlap: boolean[]; conflict: boolean[]; buf: Buffer } {
    let overlap = false;
    let conflict = false;
    for (const q of this.parts) {
      for (let i = 0; i < data.length; i++) {
        const at = off + i - q.off;
        if (at < 0 || at >= q.data.length) continue;
        overlap = true;
        if (q.data[at] !== data[i]) conflict = true;
      }
    }
    this.parts.push({ off, data, frame, overlap, conflict });
    if (!more) this.total = off + data.length;
    if (this.total === null) return null;
    // complete when every octet of [0, total) came in some part
    const total = this.total;
    const have = new Uint8Array(total);
    for (const q of this.parts) for (let i = 0; i < q.data.length && q.off + i < total; i++) have[q.off + i] = 1;
    if (have.includes(0)) return null;
    // octet by octet, in offset order, a later part writing over an earlier one
    const sorted = [...this.parts].sort((a, b) => a.off - b.off || a.frame - b.frame);
    const buf = Buffer.alloc(total);
    for (const q of sorted) for (let i = 0; i < q.data.length && q.off + i < total; i++) buf[q.off + i] = q.data[i]!;
    const done = { frames: sorted.map((q) => q.frame), overlap: sorted.map((q) => q.overlap), conflict: sorted.map((q) => q.conflict), buf };
    this.parts = [];
    this.total = null;
    return done;
  }
}

// a few fragments to choose from, so that repeats, overlaps and conflicting copies are common
const piece = fc.record({
  off: fc.constantFrom(0, 8, 16, 24),
  len: fc.constantFrom(8, 16),
  fill: fc.constantFrom(0x11, 0x22),
  more: fc.boolean(),
});

describe('IPv6 fragment reassembly', () => {
  it('repeated, overlapping and conflicting fragments: the same flags, completions and octets as the model', () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 60 }), (seq) => {
        const s = newFragState();
        const model = new Model();
        seq.forEach((f, i) => {
          const data = Buffer.alloc(f.len, f.fill);
          data[0] = f.off; // octets differ by place as well as by fill
          const got = addFragment(s, 'k', { num: i + 1, raw: { tsSec: 0 } as never }, f.off, f.more, data);
          const want = model.add(i + 1, f.off, f.more, data);
          if (want === null) {
            expect(got, `fragment ${i + 1}`).toBeNull();
            return;
          }
          expect(got, `fragment ${i + 1}`).not.toBeNull();
          expect(got!.parts.map((q) => q.frame)).toEqual(want.frames);
          expect(got!.parts.map((q) => q.overlap)).toEqual(want.overlap);
          expect(got!.parts.map((q) => q.conflict)).toEqual(want.conflict);
          expect(got!.buf.equals(want.buf)).toBe(true);
        });
      }),
      { numRuns: 2000, seed: 11 },
    );
  });

  it('a fragment past the end of the datagram is left out of it (it used to throw)', () => {
    const s = newFragState();
    expect(addFragment(s, 'k', { num: 1, raw: { tsSec: 0 } as never }, 24, true, Buffer.alloc(8, 0xcc))).toBeNull();
    expect(addFragment(s, 'k', { num: 2, raw: { tsSec: 0 } as never }, 8, false, Buffer.alloc(8, 0xbb))).toBeNull();
    const done = addFragment(s, 'k', { num: 3, raw: { tsSec: 0 } as never }, 0, true, Buffer.alloc(8, 0xaa))!;
    expect(done.buf.toString('hex')).toBe('aa'.repeat(8) + 'bb'.repeat(8));
    expect(done.parts.map((q) => q.frame)).toEqual([3, 2, 1]);
  });

  it('a fragment repeated up to the part limit still completes its datagram once the rest comes', () => {
    const s = newFragState();
    const first = Buffer.alloc(16, 0xaa);
    for (let i = 1; i <= 100; i++) expect(addFragment(s, 'k', { num: i, raw: { tsSec: 0 } as never }, 0, true, first)).toBeNull();
    const done = addFragment(s, 'k', { num: 101, raw: { tsSec: 0 } as never }, 16, false, Buffer.alloc(8, 0xbb))!;
    expect(done).not.toBeNull();
    expect(done.parts).toHaveLength(101);
    expect(done.parts.slice(1, 100).every((q) => q.overlap && !q.conflict)).toBe(true);
    expect(done.buf.toString('hex')).toBe('aa'.repeat(16) + 'bb'.repeat(8));
  });
});
