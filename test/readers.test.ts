// Readers: classic pcap (µs/ns, both byte orders, snap length, FCS bits) and
// pcapng (byte orders, sections, if_tsresol 10^-n and 2^-n, if_tsoffset, if_name,
// EPB/SPB/PB, comments, skipped blocks) against tshark on the same files and the
// values the generator wrote; bad and hostile files give one clear error.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { openCapture, openCaptureSource, ReaderError } from '../readers/open.js';
import { bufferSource, type ByteSource } from '../readers/source.js';
import type { RawPacket } from '../core/packet.js';
import { haveTshark, tshark, flattenJson } from './util/tshark.js';
import { FIXTURES } from './util/cli.js';

const DIR = join(FIXTURES, 'readers');
const BAD = join(DIR, 'bad');
const HAVE = haveTshark();
if (!HAVE) console.log('tshark not installed: reader comparisons with tshark skipped');

function readAll(path: string): RawPacket[] {
  const cap = openCapture(path);
  const out: RawPacket[] = [];
  for (const p of cap.packets) out.push(p);
  cap.source.close();
  return out;
}

const epoch = (p: RawPacket) => (p.noTs ? '' : `${p.tsSec}.${String(p.tsNsec).padStart(9, '0')}`);

/** Read until the reader throws; return the packets and the error. */
function readUntilError(path: string): { pkts: RawPacket[]; err: ReaderError | null } {
  const pkts: RawPacket[] = [];
  try {
    const cap = openCapture(path);
    for (const p of cap.packets) pkts.push(p);
    return { pkts, err: null };
  } catch (e) {
    if (e instanceof ReaderError) return { pkts, err: e };
    throw e;
  }
}

const GOOD = ['pcap_us_le.pcap', 'eth_trailer.pcap', 'pcap_us_be.pcap', 'pcap_ns_le.pcap', 'pcap_ns_be.pcap', 'pcap_snaplen.pcap', 'pcap_fcs.pcap', 'vlan.pcap', 'sll.pcap', 'sll2.pcap', 'null.pcap', 'loop.pcap', 'raw101.pcap', 'raw229.pcap', 'ng_tsresol.pcapng', 'ng_sections.pcapng'];

describe('timestamps and lengths match tshark to the nanosecond', () => {
  for (const f of GOOD) {
    it.skipIf(!HAVE)(f, () => {
      const path = join(DIR, f);
      // tshark 4.0 names the interfaces of a second section by the first section's
      // table (s1-eth for section 2's interfaces), so names are checked only for
      // single-section files; the sections test checks them from the generator
      const names = !f.includes('sections');
      const want = tshark(['-n', '-r', path, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len', ...(names ? ['-e', 'frame.interface_name'] : [])]).replace(/\n$/, '').split('\n');
      const got = readAll(path).map((p) => [epoch(p), p.origlen, p.caplen, ...(names ? [p.ifName ?? ''] : [])].join('\t'));
      expect(got).toEqual(want);
    });
  }
});

describe('classic pcap from the generator\'s values', () => {
  it('µs and ns magics, both byte orders: the same frames and times', () => {
    const ref = readAll(join(DIR, 'pcap_ns_le.pcap'));
    // generator times: (1700000000, 999999123), (1700000001, 1456), (1700000003, 500000789)
    expect(ref.map(epoch)).toEqual(['1700000000.999999123', '1700000001.000001456', '1700000003.500000789']);
    expect(ref.map((p) => p.tsDigits)).toEqual([9, 9, 9]);
    expect(readAll(join(DIR, 'pcap_ns_be.pcap')).map(epoch)).toEqual(ref.map(epoch));
    for (const f of ['pcap_us_le.pcap', 'pcap_us_be.pcap']) {
      const us = readAll(join(DIR, f));
      expect(us.map(epoch)).toEqual(['1700000000.999999000', '1700000001.000001000', '1700000003.500000000']);
      expect(us.map((p) => p.tsDigits)).toEqual([6, 6, 6]);
      expect(us.map((p) => p.data.toString('hex'))).toEqual(ref.map((p) => p.data.toString('hex')));
    }
  });
  it('caplen < origlen keeps both', () => {
    const ps = readAll(join(DIR, 'pcap_snaplen.pcap'));
    expect(ps.map((p) => [p.caplen, p.origlen])).toEqual([[60, 70], [60, 70], [60, 67], [10, 70]]);
  });
  it('FCS bits in the link-type word: link type 1, 4 FCS octets', () => {
    const cap = openCapture(join(DIR, 'pcap_fcs.pcap'));
    const ps = [...cap.packets];
    expect(cap.info.linktype).toBe(1);
    expect(ps.every((p) => p.linktype === 1 && p.fcsLen === 4)).toBe(true);
  });
});

describe('pcapng', () => {
  it('both byte orders read the same; comments exact (escaping is for output)', () => {
    const le = readAll(join(DIR, 'ng_basic_le.pcapng'));
    const be = readAll(join(DIR, 'ng_basic_be.pcapng'));
    expect(le.map(epoch)).toEqual(be.map(epoch));
    expect(le.map((p) => p.comments ?? [])).toEqual([['first echo'], ['bad \x1b[31mred\x1b[0m\nline', 'second'], []]);
    expect(be.map((p) => p.comments ?? [])).toEqual(le.map((p) => p.comments ?? []));
    expect(le.map((p) => p.ifName)).toEqual(['eth0', 'eth0', 'eth0']);
  });
  it.skipIf(!HAVE)('comments as tshark reads them', () => {
    const rows = flattenJson(tshark(['-n', '-r', join(DIR, 'ng_basic_le.pcapng'), '-T', 'json']));
    const theirs = rows.filter((r) => r.key === 'frame.comment').map((r) => r.value);
    const ours = readAll(join(DIR, 'ng_basic_le.pcapng')).flatMap((p) => p.comments ?? []);
    expect(ours).toEqual(theirs);
  });
  it('if_tsresol 10^-9, 2^-20, 10^-3 with if_tsoffset, 10^-7, default: exact times and precision', () => {
    const ps = readAll(join(DIR, 'ng_tsresol.pcapng'));
    // 777777 / 2^20 s = 0.741745948... (floor to ns); 1699999000.042 + 1000 s offset
    expect(ps.map(epoch)).toEqual(['1700000000.123456789', '1700000000.741745948', '1700000000.042000000', '1700000002.123456700', '1700000003.000005000']);
    // Wireshark 4.0 precisions: ns, µs (2^-20 and 10^-7 round to µs), ms, µs
    expect(ps.map((p) => p.tsDigits)).toEqual([9, 6, 3, 6, 6]);
    expect(ps.map((p) => p.linktype)).toEqual([1, 1, 1, 1, 101]);
  });
  it('sections restart interfaces; SPB has no time stamp; obsolete PB read', () => {
    const ps = readAll(join(DIR, 'ng_sections.pcapng'));
    expect(ps.map((p) => [p.section, p.ifIndex, p.ifName, p.linktype])).toEqual([
      [1, 0, 's1-eth', 1], [1, 0, 's1-eth', 1], [2, 1, 's2-eth', 1], [2, 0, 's2-raw', 101], [2, 0, 's2-raw', 101], [2, 0, 's2-raw', 101],
    ]);
    expect(ps.map((p) => !!p.noTs)).toEqual([false, false, false, false, true, false]);
    expect(ps[2]!.tsDigits).toBe(9);
  });
  it('NRB, ISB, custom and unknown blocks are skipped', () => {
    expect(readAll(join(DIR, 'ng_basic_le.pcapng'))).toHaveLength(3);
  });
});

describe('bad and hostile input', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['truncated_last.pcap', 3, /truncated record at offset 279: 70 octets announced, 20 present/],
    ['truncated_header.pcap', 3, /truncated record header at offset 279/],
    ['garbage_after3.pcap', 3, /record at offset 279 claims 4022250974 captured octets/],
    ['truncated_last.pcapng', 3, /truncated block at offset 588: 52 octets announced, 42 present/],
    ['not_a_capture.txt', 0, /is not a capture file this reader understands/],
    ['empty.pcap', 0, /is not a capture file: it is empty/],
    ['short_header.pcap', 0, /ends inside the pcap file header/],
    ['hostile_caplen.pcap', 0, /record at offset 24 claims 4294967295 captured octets/],
    ['hostile_blocklen.pcapng', 0, /block at offset 28 claims 4294967292 octets/],
    ['hostile_ifid.pcapng', 0, /names interface 1000000000, which was not described/],
  ];
  for (const [f, n, re] of cases) {
    it(f, () => {
      const before = process.memoryUsage().arrayBuffers;
      const { pkts, err } = readUntilError(join(BAD, f));
      expect(pkts).toHaveLength(n);
      expect(err?.message).toMatch(re);
      expect(err!.message.split('\n')).toHaveLength(1);
      // no allocation sized by the hostile field
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 << 20);
    });
  }
  it('an SPB claiming 4 GiB is bounded by its block', () => {
    const ps = readAll(join(BAD, 'hostile_snaplen_ng.pcapng'));
    expect(ps).toHaveLength(1);
    expect(ps[0]!.caplen).toBe(ps[0]!.data.length);
    expect(ps[0]!.origlen).toBe(0xffffffff);
  });
  it('if_tsresol 2^-127 and a 2^64-1 time stamp: no crash, finite time', () => {
    const ps = readAll(join(BAD, 'hostile_tsresol.pcapng'));
    expect(ps).toHaveLength(1);
    expect(Number.isFinite(ps[0]!.tsSec) && Number.isFinite(ps[0]!.tsNsec)).toBe(true);
  });
  it('a billion interface descriptions are refused at the cap, not stored', () => {
    // 65537 IDBs (20 octets each) in one section
    const shb = Buffer.from('0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000', 'hex');
    const idb = Buffer.from('01000000140000000100000000000400' + '14000000', 'hex');
    const buf = Buffer.concat([shb, ...Array(65537).fill(idb)]);
    const cap = openCaptureSource(bufferSource(buf));
    expect(() => [...cap.packets]).toThrow(/more than 65536 interfaces/);
  });
});

describe('pcapng packet blocks read from the chunk', () => {
  // a capture built here from known values: EPBs of 1-1500 octets over 2 MiB (so
  // blocks straddle the reader's 1 MiB chunks), every 7th with a comment option,
  // every 11th with an option area holding only opt_endofopt
  function build(): { file: Buffer; want: Array<{ data: Buffer; sec: number; usec: number; comment?: string }> } {
    const parts: Buffer[] = [];
    const shb = Buffer.alloc(28);
    shb.writeUInt32LE(0x0a0d0d0a, 0); shb.writeUInt32LE(28, 4); shb.writeUInt32LE(0x1a2b3c4d, 8);
    shb.writeUInt16LE(1, 12); shb.writeUInt16LE(0, 14); shb.writeBigInt64LE(-1n, 16); shb.writeUInt32LE(28, 24);
    const idb = Buffer.alloc(20);
    idb.writeUInt32LE(1, 0); idb.writeUInt32LE(20, 4); idb.writeUInt16LE(1, 8); idb.writeUInt32LE(65535, 12); idb.writeUInt32LE(20, 16);
    parts.push(shb, idb);
    const want: Array<{ data: Buffer; sec: number; usec: number; comment?: string }> = [];
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8);
    let size = 48;
    for (let i = 0; size < (2 << 20) + 50000; i++) {
      const caplen = 1 + (rnd() % 1500);
      const data = Buffer.alloc(caplen);
      for (let k = 0; k < caplen; k++) data[k] = rnd() & 0xff;
      const sec = 1700000000 + i, usec = rnd() % 1000000;
      const comment = i % 7 === 0 ? `packet ${i}` : undefined;
      const pad = (caplen + 3) & ~3;
      const opt = comment ? 4 + ((Buffer.byteLength(comment) + 3) & ~3) + 4 : i % 11 === 0 ? 4 : 0;
      const total = 32 + pad + opt;
      const b = Buffer.alloc(total);
      b.writeUInt32LE(6, 0); b.writeUInt32LE(total, 4); b.writeUInt32LE(0, 8);
      const t = BigInt(sec) * 1000000n + BigInt(usec);
      b.writeUInt32LE(Number(t >> 32n), 12); b.writeUInt32LE(Number(t & 0xffffffffn), 16);
      b.writeUInt32LE(caplen, 20); b.writeUInt32LE(caplen + 4, 24);
      data.copy(b, 28);
      if (comment) {
        b.writeUInt16LE(1, 28 + pad); b.writeUInt16LE(Buffer.byteLength(comment), 30 + pad);
        b.write(comment, 32 + pad);
      }
      b.writeUInt32LE(total, total - 4);
      parts.push(b);
      size += total;
      want.push({ data, sec, usec, comment });
    }
    return { file: Buffer.concat(parts), want };
  }

  it('every packet, time, length and comment as written, whole or 60 KiB at a time', () => {
    const { file, want } = build();
    expect(file.length).toBeGreaterThan(2 << 20);
    let pos = 0;
    const pipe: ByteSource = { name: 'pipe', read(buf, off, len) { const n = Math.min(len, 61440, file.length - pos); file.copy(buf, off, pos, pos + n); pos += n; return n; }, close() {} };
    for (const src of [bufferSource(file), pipe]) {
      const got = [...openCaptureSource(src).packets];
      expect(got).toHaveLength(want.length);
      got.forEach((p, i) => {
        const w = want[i]!;
        expect(p.data.equals(w.data)).toBe(true);
        expect(Buffer.isBuffer(p.data)).toBe(true);
        expect([p.tsSec, p.tsNsec, p.caplen, p.origlen, p.ifIndex, p.section]).toEqual([w.sec, w.usec * 1000, w.data.length, w.data.length + 4, 0, 1]);
        expect(p.comments).toEqual(w.comment === undefined ? undefined : [w.comment]);
        expect(p.fcsLen).toBeUndefined();
      });
    }
  });
});

describe('streaming', () => {
  it('a source that delivers one octet at a time reads the same packets', () => {
    const file = readFileSync(join(DIR, 'ng_sections.pcapng'));
    let pos = 0;
    const slow: ByteSource = {
      name: 'slow',
      read(buf, off, len) {
        if (pos >= file.length || len === 0) return 0;
        buf[off] = file[pos++]!;
        return 1;
      },
      close() {},
    };
    const got = [...openCaptureSource(slow).packets].map((p) => [epoch(p), p.data.toString('hex')]);
    const want = readAll(join(DIR, 'ng_sections.pcapng')).map((p) => [epoch(p), p.data.toString('hex')]);
    expect(got).toEqual(want);
  });
  it('packet views stay valid after later reads (no chunk reuse)', () => {
    const file = readFileSync(join(DIR, 'pcap_us_le.pcap'));
    const copies: string[] = [];
    const views: Buffer[] = [];
    let pos = 0;
    const src: ByteSource = { name: 'x', read(buf, off, len) { const n = Math.min(len, 7, file.length - pos); file.copy(buf, off, pos, pos + n); pos += n; return n; }, close() {} };
    for (const p of openCaptureSource(src).packets) {
      views.push(p.data);
      copies.push(p.data.toString('hex'));
    }
    expect(views.map((v) => v.toString('hex'))).toEqual(copies);
  });

  it('a packet is a Buffer viewing the chunk: Buffer methods, no copy, its own bounds', () => {
    const file = readFileSync(join(DIR, 'pcap_us_le.pcap'));
    const cap = openCaptureSource(bufferSource(file));
    const pkts = [...cap.packets];
    expect(pkts.length).toBeGreaterThan(1);
    let at = 24;
    for (const p of pkts) {
      const d = p.data;
      at += 16;
      // the record's octets, read from the file by hand
      const want = file.subarray(at, at + p.caplen);
      at += p.caplen;
      expect(Buffer.isBuffer(d)).toBe(true);
      expect(d.length).toBe(p.caplen);
      expect(d.equals(want)).toBe(true);
      expect(d.toString('hex')).toBe(want.toString('hex'));
      expect(d.readUInt16BE(0)).toBe(want.readUInt16BE(0));
      expect(d.subarray(2, 4).equals(want.subarray(2, 4))).toBe(true);
      expect(Buffer.concat([d, d]).length).toBe(2 * p.caplen);
      // out of its bounds reads nothing (a typed array's own length)
      expect(d[p.caplen]).toBeUndefined();
    }
    // views of one chunk share its memory, one record after the other (no copy)
    const a = pkts[0]!.data;
    const b = pkts[1]!.data;
    expect(a.buffer).toBe(b.buffer);
    expect(b.byteOffset).toBe(a.byteOffset + pkts[0]!.caplen + 16);
  });
});
