// The summary line put straight into the output buffer (writePlainLine) must be
// octet for octet the line plainLine builds as a string: every time format and
// precision, negative and missing times, escaped and non-ASCII text, lines longer
// than the buffer, and a buffer flushed in the middle of a run of lines.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { plainLine, writePlainLine } from '../output/summary.js';
import { MemOut, Out } from '../output/writer.js';
import { TIME_FORMATS, type TimeFormat, type TimeRefs } from '../output/time.js';
import type { RawPacket } from '../core/packet.js';

const raw = (tsSec: number, tsNsec: number, origlen: number, tsDigits?: number, noTs?: boolean): RawPacket =>
  ({ tsSec, tsNsec, caplen: 0, origlen, linktype: 1, data: Buffer.alloc(0), tsDigits, noTs }) as RawPacket;

const refs = (firstSec: number, firstNsec: number): TimeRefs => ({ firstSec, firstNsec, prevSec: firstSec, prevNsec: 0, prevDispSec: NaN, prevDispNsec: 0 });

describe('summary line written directly', () => {
  it('is the text plainLine makes, for generated columns and times', () => {
    const text = fc.string({ unit: fc.oneof(fc.constantFrom('a', 'Z', ' ', '=', '\\', '\n', '\x1b', '\x7f', '\x85', '→', 'é', '\u202e', '\ud83d'), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))), maxLength: 60 });
    fc.assert(
      fc.property(
        fc.record({
          num: fc.integer({ min: 1, max: 2 ** 40 }),
          sec: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          nsec: fc.integer({ min: 0, max: 999_999_999 }),
          firstSec: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          firstNsec: fc.integer({ min: 0, max: 999_999_999 }),
          digits: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
          noTs: fc.boolean(),
          len: fc.integer({ min: 0, max: 0xffffffff }),
          fmt: fc.constantFrom(...TIME_FORMATS),
          src: fc.constantFrom('', '::', '2001:db8::1', 'fe80::1234:5678:9abc:def0', '192.0.2.1'),
          dst: fc.constantFrom('', 'ff02::1', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'),
          proto: fc.oneof(fc.constantFrom('MIPv6', 'IPv6', 'ICMPv6', 'UDP'), text),
          info: text,
        }),
        (c) => {
          const r = raw(c.sec, c.nsec, c.len, c.digits, c.noTs);
          const rf = refs(c.firstSec, c.firstNsec);
          const o = { timeFormat: c.fmt as TimeFormat, digits: 6 };
          const out = new MemOut();
          writePlainLine(out, c.num, r, c.src, c.dst, c.proto, c.info, rf, o);
          // compared as the octets written (a lone surrogate is U+FFFD either way)
          expect(Buffer.from(out.text).toString('hex')).toBe(Buffer.from(plainLine(c.num, r, c.src, c.dst, c.proto, c.info, rf, o) + '\n').toString('hex'));
        },
      ),
      { numRuns: 3000, seed: 23 },
    );
  });

  it('matches tshark\'s layout on known lines (relative µs and ns times, padding, escapes)', () => {
    const o = { timeFormat: 'r' as TimeFormat, digits: 6 };
    const line = (num: number, r: RawPacket, rf: TimeRefs, src: string, dst: string, proto: string, info: string) => {
      const out = new MemOut();
      writePlainLine(out, num, r, src, dst, proto, info, rf, o);
      return out.text;
    };
    expect(line(1, raw(1700000000, 0, 70), refs(1700000000, 0), '2001:db8:a::1', '2001:db8:b::2', 'MIPv6', 'Binding Update seq=1'))
      .toBe('    1   0.000000 2001:db8:a::1 → 2001:db8:b::2 MIPv6 70 Binding Update seq=1\n');
    expect(line(123456, raw(1700000012, 345678901, 1514, 9), refs(1700000000, 0), 'fe80::1', 'ff02::1', 'ICMPv6', 'Router Solicitation'))
      .toBe('123456 12.345678901      fe80::1 → ff02::1      ICMPv6 1514 Router Solicitation\n');
    // earlier than the first packet: tshark's negative relative time
    expect(line(3, raw(1699999999, 500000000, 60), refs(1700000000, 0), '::', '::', 'IPv6', 'x'))
      .toBe('    3  -0.500000           :: → ::           IPv6 60 x\n');
    // a record without a time stamp (pcapng SPB): a blank column
    expect(line(4, raw(0, 0, 60, undefined, true), refs(1700000000, 0), '::', '::', 'IPv6', 'a\x1b[31mb\\'))
      .toBe('    4' + ' '.repeat(22) + ':: → ::           IPv6 60 a\\x1b[31mb\\\\\n');
  });

  it('keeps lines whole and in order across buffer flushes, and after text written the other way', () => {
    const o = { timeFormat: 'r' as TimeFormat, digits: 6 };
    const rf = refs(1700000000, 0);
    const got = new MemOut();
    const want: string[] = [];
    for (let i = 1; i <= 5000; i++) {
      const r = raw(1700000000 + i, i * 1000, 60 + (i % 50));
      const info = i % 97 === 0 ? 'é'.repeat(70000) : `Binding Update seq=${i}`; // some lines longer than the buffer
      if (i % 10 === 0) got.write(`-- ${i}\n`);
      writePlainLine(got, i, r, '2001:db8::1', '2001:db8::2', 'MIPv6', info, rf, o);
      if (i % 10 === 0) want.push(`-- ${i}\n`);
      want.push(plainLine(i, r, '2001:db8::1', '2001:db8::2', 'MIPv6', info, rf, o) + '\n');
    }
    expect(got.text).toBe(want.join(''));
  });

  it('escapes exactly what escapeText escapes, code point by code point (C0, DEL, C1, U+2028-202E, U+2066-2069 and their neighbours)', () => {
    const o = { timeFormat: 'r' as TimeFormat, digits: 6 };
    const rf = refs(1700000000, 0);
    const r = raw(1700000000, 0, 60);
    const points: number[] = [];
    for (let c = 0; c < 0x300; c++) points.push(c);
    for (let c = 0x2000; c < 0x2100; c++) points.push(c);
    points.push(0xd800, 0xdbff, 0xdc00, 0xdfff, 0xfeff, 0xfffd, 0xffff);
    const out = new MemOut();
    let want = '';
    for (const c of points) {
      const info = `x${String.fromCharCode(c)}y ${String.fromCharCode(c)}`;
      writePlainLine(out, 1, r, '::', '::', 'IPv6', info, rf, o);
      want += plainLine(1, r, '::', '::', 'IPv6', info, rf, o) + '\n';
    }
    expect(Buffer.from(out.text).toString('hex')).toBe(Buffer.from(want).toString('hex'));
    // and the escapes are there: a C1 control and a bidi override never pass through
    expect(out.text).toContain('x\\x85y');
    expect(out.text).toContain('x\\u202ey');
    expect(out.text).toContain('x\\u2067y');
    expect(out.text).toContain('x\u2065y');
  });

  it('stops quietly once the output is closed', () => {
    const out = new Out(-1);
    out.closed = true;
    expect(() => writePlainLine(out, 1, raw(0, 0, 60), '::', '::', 'IPv6', 'x', refs(0, 0), { timeFormat: 'r', digits: 6 })).not.toThrow();
  });
});
