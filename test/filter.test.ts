// Display filters: frame numbers selected by -Y agree with tshark -Y on the same
// capture (fixtures/analysis, built by fixtures/gen/analysis.py), plus syntax errors,
// Wireshark 4.0 any/all semantics and the expert pseudo-fields.
import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { dissectFile, ready } from './util/dissect.js';
import { haveTshark, tshark } from './util/tshark.js';
import { run, FIXTURES } from './util/cli.js';
import { compileFilter, FilterSyntaxError } from '../filter/index.js';
import type { PacketInfo } from '../core/packet.js';

const PCAPNG = join(FIXTURES, 'analysis', 'mobility.pcapng');
const PCAP = join(FIXTURES, 'analysis', 'mobility.pcap');
const HAS_TSHARK = haveTshark();
if (!HAS_TSHARK) console.log('tshark not found: skipping the tshark comparisons');

// Filters both tools understand (Wireshark 4.0 syntax); each is run by both.
const SHARED = [
  'frame.number == 010',
  'frame.len > 0x50',
  'frame.len in {70, 78}',
  'frame.len in {70..78, 94}',
  'frame.len not in {70, 78}',
  'frame.len ge 94 or icmpv6',
  'frame.time_relative > 30.5',
  'frame.time_delta > 1',
  'frame.time >= "Nov 14, 2023 22:13:50"',
  'frame.comment',
  'frame.comment == "MN2 retry"',
  'frame.comment contains "retry"',
  'frame.comment matches "SCRIPT"',
  'frame.comment matches "(?-i)SCRIPT"',
  'frame.comment matches "^mn[0-9]"',
  'lower(frame.comment) contains "mn1"',
  'frame[12:2] == 86:dd',
  'frame contains 86:dd',
  'eth.src == 02:00:00:00:01:00',
  'eth.src == 02.00.00.00.01.00',
  'eth.src[-1] == 01',
  'eth.addr == 02:00:00:00:00:cc && !(eth.dst == 02:00:00:00:00:cc)',
  'eth.type == 0x86dd',
  'len(eth.src) == 6',
  'ipv6',
  'ipv6.src == 2001:db8:1::/48',
  'ipv6.src == 2001:db8:1::1/128',
  'ipv6.src > 2001:db8:a1::',
  'ipv6.addr == 2001:db8:cc::10',
  'ipv6.addr != 2001:db8:1::1',
  'ipv6.addr ~= 2001:db8:1::1',
  'ipv6.addr !== 2001:db8:1::1',
  'ipv6.addr === 2001:db8:1::1',
  'ipv6.addr == 2001:db8:1::1 and !(ipv6.addr == 2001:db8:1::100)',
  'ipv6.src == ipv6.dst',
  'count(ipv6.addr) == 2',
  'ipv6.dst[0:4] == 20:01:0d:b8',
  'ipv6.nxt == 43 || ipv6.nxt eq 60',
  'ipv6.plen >= 32 and ipv6.plen <= 40',
  'ipv6.hlim lt 64',
  'ipv6 contains "ping"',
  'ipv6.opt.mipv6.home_address',
  'ipv6.opt.mipv6.home_address == 2001:db8:1::200',
  'ipv6.routing.mipv6.home_address == 2001:db8:1::100',
  'ipv6.routing.type == 2',
  'icmpv6',
  'icmpv6.type == 128',
  'udp.port == 53',
  'udp.srcport > 1024',
  'mipv6',
  'mipv6 && ipv6.nxt == 43',
  'mip6.mhtype eq 5 and not ipv6.dst == 2001:db8:cc::10',
  'mip6.mhtype in {1..4}',
  'mip6.bu.a_flag == True',
  'mip6.bu.a_flag == 1',
  'mip6.bu.h_flag == 0',
  'mip6.bu.seqnr in {100..101, 7}',
  'mip6.bu.seqnr >= 500',
  'mip6.bu.lifetime == 0',
  'mip6.ba.status >= 128',
  'mip6.ba.status == 0 && mip6.ba.lifetime > 50',
  'mip6.ba.seqnr == mip6.ba.seqnr',
  'mip6.hoti.cookie == 0x1111111111111111',
  'mip6.hot.token == 0xa1a2a3a4a5a6a7a8',
  'mip6.hot.nindex == 7',
  'mip6.cot.nindex',
  'mip6.be.status == 2',
  'mip6.be.haddr == 2001:db8:1::200',
  '_ws.malformed',
  'not mipv6 and not icmpv6',
];

let packets: PacketInfo[] = [];
let pcapPackets: PacketInfo[] = [];
const sel = (f: string, ps: PacketInfo[]) => {
  const flt = compileFilter(f);
  return ps.filter((p) => flt(p)).map((p) => p.num);
};

beforeAll(async () => {
  await ready();
  packets = await dissectFile(PCAPNG);
  pcapPackets = await dissectFile(PCAP);
});

describe('-Y agrees with tshark -Y', () => {
  it('has at least 25 shared filters', () => expect(SHARED.length).toBeGreaterThanOrEqual(25));
  for (const f of SHARED) {
    it.skipIf(!HAS_TSHARK)(f, () => {
      const ref = tshark(['-r', PCAPNG, '-Y', f, '-T', 'fields', '-e', 'frame.number']).split('\n').filter(Boolean).map(Number);
      let ours: number[];
      try {
        ours = sel(f, packets);
      } catch (e) {
        if (e instanceof FilterSyntaxError && /neither a field/.test(e.message)) {
          // a field another part of the project has not registered yet shows here
          throw new Error(`filter "${f}" not compiled: ${e.message}`);
        }
        throw e;
      }
      expect(ours).toEqual(ref);
    });
  }
});

describe('filter syntax errors', () => {
  const bad: Array<[string, RegExp, number]> = [
    ['ipv6.srcc == 2001:db8::1', /"ipv6.srcc" is neither a field nor a protocol name/, 0],
    ['frame.len == ', /unexpected end/, 13],
    ['frame.len == 1e2', /"1e2" is not a valid number/, 13],
    ['eth.dst == ff:ff', /too few bytes/, 11],
    ['(frame.len > 3', /missing "\)"/, 14],
    ['frame.comment matches "("', /invalid regular expression/, 22],
    ['ipv6.src == 2001:db8::/129', /prefix length/, 12],
    ['frame.len === ', /unexpected end/, 14],
    ['frame.len >> 3', /">" was unexpected/, 11],
    ['"abc"', /neither a field nor a protocol name/, 0],
  ];
  for (const [f, re, col] of bad) {
    it(`rejects ${f}`, async () => {
      await ready();
      let err: unknown;
      try {
        compileFilter(f);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(FilterSyntaxError);
      expect((err as FilterSyntaxError).message).toMatch(re);
      expect((err as FilterSyntaxError).column).toBe(col);
    });
  }
  it('the CLI prints one line, the filter and a caret under the column, exit 2', () => {
    const r = run(['-r', PCAP, '-Y', 'ipv6.src == 2001:db8::1 and mip6.bu.seqnumber > 3']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/-Y.*"mip6.bu.seqnumber" is neither a field nor a protocol name/);
    expect(lines[1]).toBe('    ipv6.src == 2001:db8::1 and mip6.bu.seqnumber > 3');
    expect(lines[2]).toBe('    ' + ' '.repeat('ipv6.src == 2001:db8::1 and '.length) + '^');
    expect(r.stdout).toBe('');
  });
});

describe('filter semantics beyond tshark 4.0', () => {
  it('xor / ^^, slices with ranges, string escapes and functions', () => {
    // frames 5-8 are 70/78 octets; mipv6 frames with 70 octets: 5,6,24,25,26
    expect(sel('frame.len == 70 xor mipv6', packets)).toEqual(sel('(frame.len == 70 and not mipv6) or (mipv6 and not frame.len == 70)', packets));
    expect(sel('frame.len == 70 ^^ frame.len == 70', packets)).toEqual([]);
    expect(sel('frame[12-13] == 86:dd', packets)).toHaveLength(27);
    expect(sel('eth.src[0:1,5] == 02:01', packets)).toEqual(sel('eth.src == 02:00:00:00:00:01', packets));
    expect(sel('frame.comment contains "\\x3cscript"', packets)).toEqual([26]);
    expect(sel('upper(frame.comment) == "MN2 RETRY"', packets)).toEqual([13]);
    expect(sel('frame.comment matches "(?-i)^MN1"', packets)).toEqual([1]);
    expect(sel('mip6.mhtype == "Binding Error"', packets)).toEqual([21]);
    expect(sel("frame.len == 'F'", packets)).toEqual(sel('frame.len == 70', packets));
    expect(sel('frame.time < "2023-11-14 22:13:22.6Z"', packets)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
  it('expert pseudo-fields: _ws.expert, severity names, ids as fields, messages', () => {
    const malformed = sel('mh.malformed', packets);
    expect(malformed).toEqual([24]);
    expect(sel('_ws.expert.severity == error', packets)).toEqual(sel('_ws.expert.severity == 8388608', packets));
    expect(sel('_ws.expert.severity == error', packets)).toContain(24);
    expect(sel('_ws.expert.id == "mh.malformed"', packets)).toEqual([24]);
    expect(sel('_ws.expert.message contains "header length"', packets)).toEqual([24]);
    expect(sel('_ws.expert.group == malformed', packets)).toContain(24);
    expect(sel('_ws.malformed', packets)).toEqual([24]);
    // comments are expert items of severity "comment", as in tshark
    expect(sel('_ws.expert.severity == comment', packets)).toEqual([1, 13, 19, 26]);
    expect(sel('not _ws.expert', pcapPackets)).not.toContain(24);
  });
  it('verdict.<name> reads pinfo.data.verify', () => {
    const p = packets[0]!;
    const saved = p.data.verify;
    p.data.verify = { authenticator: 'fail', mh_checksum: 'ok' };
    try {
      expect(compileFilter('verdict.authenticator == "fail"')(p)).toBe(true);
      expect(compileFilter('verdict.mh_checksum == "fail"')(p)).toBe(false);
      expect(compileFilter('verdict == "fail"')(p)).toBe(true);
      expect(compileFilter('verdict.cookie_mac')(p)).toBe(false);
    } finally {
      p.data.verify = saved;
    }
  });
  it('runs compiled closures fast (index per packet)', () => {
    const f = compileFilter('ipv6.addr == 2001:db8:1::/48 && (mip6.bu.seqnr in {100..502} || icmpv6) && !(frame.len > 100)');
    const t = performance.now();
    let n = 0;
    for (let i = 0; i < 2000; i++) for (const p of packets) if (f(p)) n++;
    const per = (performance.now() - t) / (2000 * packets.length);
    console.log(`filter evaluation: ${(per * 1000).toFixed(2)} µs per packet`);
    expect(n).toBeGreaterThan(0);
    expect(per).toBeLessThan(0.05); // ms
  });
});

describe('filters that need no tree', () => {
  it('protocol, expert and verdict tests run on pinfo alone, with the same result', async () => {
    const { Engine } = await import('../core/engine.js');
    const { openCapture } = await import('../readers/open.js');
    const engine = new Engine();
    const cap = openCapture(PCAPNG);
    const bare: PacketInfo[] = [];
    let n = 0;
    for (const r of cap.packets) bare.push(engine.dissect(r, ++n, false));
    cap.source.close();
    expect(bare[0]!.tree).toBeNull();
    for (const f of ['mipv6', 'icmpv6 or udp', '!mipv6 && ipv6', '_ws.malformed', 'mh.malformed', '_ws.expert.severity == error',
      '_ws.expert.severity == comment', 'pkt_comment', 'frame', 'ipv6.dstopts', 'ipv6.routing xor ipv6.dstopts']) {
      const c = compileFilter(f);
      expect(c.needsTree, f).toBe(false);
      expect(bare.filter((p) => c(p)).map((p) => p.num), f).toEqual(sel(f, packets));
    }
    for (const f of ['frame.len > 3', 'mipv6 contains 01:02', 'ipv6[0] == 60', 'mip6.bu.seqnr', 'len(ipv6) > 3']) expect(compileFilter(f).needsTree, f).toBe(true);
  });
});
