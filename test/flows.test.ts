// flows: the ladder's edges are the capture's Mobility Header packets (frame numbers
// and addresses from tshark), hosts get the roles the scenario in
// fixtures/gen/analysis.py gives them, and the drawing fits the width asked for.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { haveTshark, tshark } from './util/tshark.js';
import { run, FIXTURES } from './util/cli.js';

const PCAP = join(FIXTURES, 'analysis', 'mobility.pcap');
const PCAPNG = join(FIXTURES, 'analysis', 'mobility.pcapng');
const HAS_TSHARK = haveTshark();
if (!HAS_TSHARK) console.log('tshark not found: skipping the tshark cross-check of flows');

const json = (args: string[]) => {
  const r = run(['flows', '-r', PCAP, '--json', ...args]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { hosts: any[]; edges: any[] };
};

describe('flows --json', () => {
  it('hosts and roles: MN1/MN2 with their home and care-of addresses, HA, CN', () => {
    const { hosts } = json([]);
    const by = Object.fromEntries(hosts.map((h) => [h.name, h]));
    expect(Object.keys(by).sort()).toEqual(['CN', 'HA', 'MN1', 'MN2']);
    expect(by.MN1.role).toBe('MN');
    expect(by.MN1.addrs.sort()).toEqual(['2001:db8:1::100', '2001:db8:a1::100', '2001:db8:a2::100']);
    expect(by.MN2.addrs.sort()).toEqual(['2001:db8:1::200', '2001:db8:b1::200', '2001:db8:b2::200']);
    expect(by.HA.addrs).toEqual(['2001:db8:1::1']);
    expect(by.CN.addrs).toEqual(['2001:db8:cc::10']);
    expect(hosts.map((h: any) => h.name)).toEqual(['MN1', 'MN2', 'HA', 'CN']);
  });
  it.skipIf(!HAS_TSHARK)('one edge per Mobility Header packet, with tshark\'s frame numbers, addresses, seq and status', () => {
    const { edges, hosts } = json([]);
    const ref = tshark(['-r', PCAP, '-Y', 'mipv6', '-T', 'fields', '-e', 'frame.number', '-e', 'ipv6.src', '-e', 'ipv6.dst', '-e', 'mip6.bu.seqnr', '-e', 'mip6.ba.seqnr', '-e', 'mip6.ba.status'])
      .trim().split('\n').map((l) => l.split('\t'));
    expect(edges.map((e) => e.frame)).toEqual(ref.map((r) => Number(r[0])));
    const hostOf = (addr: string) => hosts.find((h: any) => h.addrs.includes(addr))!.id;
    edges.forEach((e, i) => {
      const [, src, dst, buSeq, baSeq, st] = ref[i]!;
      expect([e.src, e.dst]).toEqual([src, dst]);
      expect([e.from, e.to]).toEqual([hostOf(src!), hostOf(dst!)]);
      if (buSeq || baSeq) expect(e.seq).toBe(Number(buSeq || baSeq));
      if (st) expect(e.status).toBe(Number(st));
    });
    // rejected BA (135) and the malformed BU are marked
    expect(edges.filter((e) => !e.ok).map((e) => e.frame)).toEqual([12, 24]);
  });
  it('-Y narrows the edges', () => {
    const { edges, hosts } = json(['-Y', 'ipv6.addr == 2001:db8:b1::200 && mip6.mhtype in {5 6}'.replace('5 6', '5, 6')]);
    expect(edges.map((e) => e.frame)).toEqual([11, 12, 13, 14]);
    expect(hosts.map((h: any) => h.name)).toEqual(['MN1', 'HA']);
  });
});

describe('flows diagram', () => {
  it('ASCII, width-aware, one line per message, labels with seq and status', () => {
    for (const width of [60, 100, 140]) {
      const r = run(['flows', '-r', PCAPNG, '--ascii', '--width', String(width)]);
      expect(r.code).toBe(0);
      const lines = r.stdout.split('\n');
      expect(r.stdout).toMatch(/^[\x20-\x7e\n]*$/); // ASCII only
      const body = lines.filter((l) => /^\s+\d+\.\d{6}\s+\d+ /.test(l));
      expect(body).toHaveLength(22);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(Math.max(width, 19 + 4 * 14));
      expect(lines[0]).toMatch(/Time +Frame +MN1 \(HoA\) +MN2 \(HoA\) +HA +CN/);
    }
    const r = run(['flows', '-r', PCAPNG, '--ascii', '--width', '140']);
    expect(r.stdout).toMatch(/^ +0\.000000 +1 +\|-+ BU seq=100 lt=240s AH -+>\|/m);
    expect(r.stdout).toMatch(/^ +5\.010000 +12 +\| +\|<-+ BA seq=500 status=135( lt=0s)? ! -+\|/m);
    expect(r.stdout).toMatch(/^MN1: HoA 2001:db8:1::100, CoA 2001:db8:a1::100, 2001:db8:a2::100$/m);
  });
  it('Unicode box drawing with --unicode or a UTF-8 locale', () => {
    const r = run(['flows', '-r', PCAPNG, '--width', '120'], { env: { LANG: 'C.UTF-8', LC_ALL: '' } });
    expect(r.stdout).toContain('│');
    expect(r.stdout).toMatch(/─▶│/);
    expect(r.stdout).toMatch(/│◀─/);
    const a = run(['flows', '-r', PCAPNG, '--width', '120'], { env: { LANG: 'C', LC_ALL: '' } });
    expect(a.stdout).not.toContain('│');
  });
  it('bad arguments: one line, exit 2', () => {
    for (const args of [['flows'], ['flows', '-r', PCAP, '--width', 'x'], ['flows', '-r', PCAP, '-Y', 'mip6.nosuch'], ['flows', '-r', 'no/such.pcap']]) {
      const r = run(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().length).toBeGreaterThan(0);
      expect(r.stdout).toBe('');
    }
  });
});
