// -z statistics: io,stat and conv,ipv6 byte-for-byte against tshark 4.0 on the same
// captures; expert in tshark's layout; mip6,msgs and mip6,bindings against counts
// from tshark and the facts written into fixtures/gen/analysis.py.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { haveTshark, tshark } from './util/tshark.js';
import { run, FIXTURES } from './util/cli.js';

const PCAPNG = join(FIXTURES, 'analysis', 'mobility.pcapng');
const PCAP = join(FIXTURES, 'analysis', 'mobility.pcap');
const NOISE = join(FIXTURES, 'analysis', 'noise.pcap');
const HAS_TSHARK = haveTshark();
if (!HAS_TSHARK) console.log('tshark not found: skipping the tshark comparisons of -z output');

const ours = (file: string, z: string, extra: string[] = []) => {
  const r = run(['-r', file, '-q', '-z', z, ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
};
const theirs = (file: string, z: string) => tshark(['-r', file, '-q', '-z', z]);

describe('-z io,stat matches tshark', () => {
  const args = [
    'io,stat,1',
    'io,stat,10',
    'io,stat,2.5',
    'io,stat,0.25',
    'io,stat,7,mipv6,ipv6.src==2001:db8:1::1 && mip6.mhtype==6',
    'io,stat,30,mipv6,ipv6.src==2001:db8:1::1 && mip6.mhtype==6,,frame.len>80 and frame.len < 100 and ipv6.src == 2001:db8:1::1 and ipv6.dst == 2001:db8:1::100 or udp',
  ];
  for (const z of args) {
    it.skipIf(!HAS_TSHARK)(z, () => {
      expect(ours(PCAPNG, z)).toBe(theirs(PCAPNG, z));
    });
  }
  it('rejects a bad interval or filter with one line', () => {
    const r = run(['-r', PCAP, '-q', '-z', 'io,stat,abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid -z "io,stat,abc": "abc" is not a valid interval/);
    const r2 = run(['-r', PCAP, '-q', '-z', 'io,stat,1,nosuch.field']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/neither a field nor a protocol name/);
  });
});

describe('-z conv,ipv6', () => {
  it.skipIf(!HAS_TSHARK)('matches tshark on IPv6 traffic tshark counts (ICMPv6/UDP)', () => {
    expect(ours(NOISE, 'conv,ipv6')).toBe(theirs(NOISE, 'conv,ipv6'));
    expect(ours(NOISE, 'conv,ipv6,icmpv6')).toBe(theirs(NOISE, 'conv,ipv6,icmpv6'));
  });
  it('counts Mobility Header packets too (tshark 4.0 leaves them out)', () => {
    const t = ours(PCAP, 'conv,ipv6');
    // MN2 at b1 with the HA: BU 11, BA 12, BU 13, BA 14 (94 octets each)
    expect(t).toMatch(/^2001:db8:b1::200 +<-> 2001:db8:1::1 +2 188 bytes +2 188 bytes +4 376 bytes +5\.000000000 +0\.5100$/m);
  });
});

describe('-z expert', () => {
  it.skipIf(!HAS_TSHARK)('comments section and layout as tshark', () => {
    const t = theirs(PCAPNG, 'expert,comment');
    const o = ours(PCAPNG, 'expert,comment');
    const section = (s: string, title: string) => s.slice(s.indexOf(title)).split('\n\n')[0];
    expect(section(o, 'Comments (4)')).toBe(section(t, 'Comments (4)'));
    expect(o).toContain('   Frequency      Group           Protocol  Summary');
    // the malformed MH: tshark words it differently, but it is an error in the Malformed group
    expect(o).toMatch(/^Errors \(\d+\)\n=============\n {3}Frequency {6}Group {11}Protocol {2}Summary\n(.*\n)*? +1 +Malformed +MIPv6 +/m);
  });
  it('a severity argument limits the sections', () => {
    const o = ours(PCAPNG, 'expert,error');
    expect(o).toContain('Errors (');
    expect(o).not.toContain('Comments');
  });
});

describe('-z mip6,msgs', () => {
  it.skipIf(!HAS_TSHARK)('counts per MH type and BA status agree with tshark', () => {
    const o = ours(PCAP, 'mip6,msgs');
    const types = tshark(['-r', PCAP, '-Y', 'mipv6', '-T', 'fields', '-e', 'mip6.mhtype']).trim().split('\n');
    const count = (v: string) => types.filter((t) => t === v).length;
    for (const [name, t] of [['Binding Refresh Request', '0'], ['Home Test Init', '1'], ['Care-of Test Init', '2'], ['Home Test', '3'], ['Care-of Test', '4'], ['Binding Update', '5'], ['Binding Acknowledgement', '6'], ['Binding Error', '7']] as const) {
      expect(o).toMatch(new RegExp(`^${name} \\(${t}\\) +${count(t)}$`, 'm'));
    }
    expect(o).toMatch(new RegExp(`^Total Mobility Header messages +${types.length}$`, 'm'));
    const st = tshark(['-r', PCAP, '-Y', 'mip6.ba.status', '-T', 'fields', '-e', 'mip6.ba.status']).trim().split('\n');
    expect(o).toMatch(new RegExp(`^  0 accepted: Binding Update accepted +${st.filter((s) => s === '0').length}$`, 'm'));
    expect(o).toMatch(/^ {2}135 rejected: Sequence number out of window +1$/m);
    expect(o).toMatch(/^ {2}2 Unrecognized MH Type value +1$/m);
  });
});

describe('-z mip6,bindings', () => {
  // facts from fixtures/gen/analysis.py
  const o = () => ours(PCAP, 'mip6,bindings');
  it('one section per home address with CoA history, lifetimes and BA results', () => {
    const t = o();
    expect(t).toContain('Home address 2001:db8:1::100');
    expect(t).toContain('Home address 2001:db8:1::200');
    expect(t).not.toContain('Home address 2001:db8:a2::100'); // the malformed BU belongs to MN1 by its CoA
    const mn1 = t.slice(t.indexOf('Home address 2001:db8:1::100'), t.indexOf('Home address 2001:db8:1::200'));
    expect(mn1).toMatch(/^ +1 +0\.000000 +BU +2001:db8:1::1 +2001:db8:a1::100 +100 +240s/m);
    expect(mn1).toMatch(/^ +18 +30\.010000 +BA +2001:db8:1::1 +2001:db8:a2::100 +101 +180s +accepted \(1 /m);
    expect(mn1).toMatch(/^ +25 +55\.000000 +BU .* deregistration/m);
    expect(mn1).toMatch(/2001:db8:a1::100 +with 2001:db8:1::1 +accepted +BU frame 1, BA frame 2, lifetime 240s, from 0\.000000 to 30\.000000/);
    expect(mn1).toMatch(/2001:db8:a2::100 +with 2001:db8:1::1 +accepted +BU frame 17, BA frame 18, lifetime 180s, from 30\.000000 to 55\.000000/);
    // the replayed BU (frame 19) got no acknowledgement and ends nothing
    expect(mn1).toMatch(/2001:db8:a1::100 +with 2001:db8:1::1 +pending +BU frame 19/);
    expect(mn1).toMatch(/2001:db8:a1::100 +with 2001:db8:cc::10 +accepted +BU frame 9, BA frame 10, lifetime 120s/);
    const mn2 = t.slice(t.indexOf('Home address 2001:db8:1::200'));
    expect(mn2).toMatch(/^ +12 +5\.010000 +BA .* REJECTED \(135 Sequence number out of window\)/m);
    expect(mn2).toMatch(/2001:db8:b1::200 +with 2001:db8:1::1 +rejected +BU frame 11, BA frame 12/);
    expect(mn2).toMatch(/Rejected \(BA status >= 128\): frames 12/);
    expect(mn2).toMatch(/2001:db8:b2::200 +with 2001:db8:1::1 +accepted +BU frame 22, BA frame 23, lifetime 400s, from 42\.000000 to 442\.000000 \(lifetime\)/);
  });
  it('lists replays and verdicts from the analyzers (an empty keyring turns them on)', () => {
    const r = run(['-r', PCAP, '-q', '-2', '-k', join(FIXTURES, 'analysis', 'empty-keyring.json'), '-z', 'mip6,bindings']);
    expect(r.code).toBe(0);
    // frame 19 repeats seq 101, already accepted in frame 18
    expect(r.stdout).toMatch(/^ +19 +31\.000000 +BU .*\[seq\.replay\]/m);
    expect(r.stdout).toMatch(/Replays \(seq\.replay\): frames 19$/m);
    expect(r.stdout).toMatch(/^ +1 +0\.000000 +BU .*mh_checksum=ok/m);
  });
});
