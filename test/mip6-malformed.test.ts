// Bad Mobility Headers (equivalents of tcpdump's mobility edge cases): nothing
// throws, what parses is shown, the fault is flagged, the next packet is dissected.
// Also: the summary-only fast path leaves pinfo.data.mip6 complete, and the
// mip6.profile preference moves MH 8-10 between LKE and FMIPv6.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dissectFile, values, value, ready } from './util/dissect.js';
import { run, FIXTURES } from './util/cli.js';
import { Engine } from '../core/engine.js';
import { openCapture } from '../readers/open.js';
import { setPref, applyPrefs, resetPrefs } from '../core/prefs.js';
import { table } from '../core/tables.js';
import type { PacketInfo } from '../core/packet.js';
import type { Mip6Info } from '../dissectors/mip6/api.js';

const BAD = join(FIXTURES, 'mip6', 'malformed.pcap');
const RR = join(FIXTURES, 'mipv6-rr-exchange.pcap');
const OTHERS = join(FIXTURES, 'mip6', 'others.pcap');
const recs = JSON.parse(readFileSync(join(FIXTURES, 'mip6', 'malformed.json'), 'utf8'));
const mip6 = (p: PacketInfo) => p.data.mip6 as Mip6Info;
const ids = (p: PacketInfo) => p.expert.map((e) => e.id);

describe('malformed Mobility Headers', () => {
  it('every packet is dissected, shown as far as it parses, and flagged', async () => {
    const ps = await dissectFile(BAD);
    expect(ps).toHaveLength(recs.length);
    for (const p of ps) expect(ids(p)).not.toContain('dissector.bug');

    // 1. option length past the message: the BU fields are there, the option is flagged, walk stops
    const m1 = mip6(ps[0]!);
    expect(m1.vals['mip6.bu.seqnr']).toBe(21);
    expect(ids(ps[0]!)).toContain('mh.malformed');
    const o = m1.options.find((x) => x.type === 3)!;
    expect([o.len, o.malformed]).toEqual([16, true]);
    expect(ps[0]!.expert.find((e) => e.id === 'mh.malformed')!.message).toContain(`(${recs[0].left} octets left)`);
    expect(ps[0]!.info).toContain('[Malformed Packet]');

    // 2. zero-length options: walked one by one, no loop, nothing malformed at the MH level
    expect(mip6(ps[1]!).options.map((x) => x.type)).toEqual(recs[1].options);
    expect(mip6(ps[1]!).malformed).toBe(false);

    // 3. header length past the payload: flagged, the cookie still decoded
    expect(ps[2]!.expert.some((e) => e.id === 'mh.malformed' && e.message.includes('Bogus header length: 10'))).toBe(true);
    expect(value(ps[2]!, 'mip6.hoti.cookie')).toBe(recs[2].cookie);
    expect(ps[2]!.info).toBe('Home Test Init [Malformed Packet]');

    // 4. header length shorter than the BU: the sequence number (inside the 8 octets) shown, then flagged
    expect(mip6(ps[3]!).vals['mip6.bu.seqnr']).toBe(21);
    expect(ids(ps[3]!)).toContain('mh.malformed');

    // 5. snap length cut: decoded as far as captured, checksum unverifiable, marked truncated
    expect(ps[4]!.truncated).toBe(true);
    expect(mip6(ps[4]!).csumOk).toBe(null);
    expect(value(ps[4]!, 'mip6.csum.status')).toBe('2');
    expect(mip6(ps[4]!).vals['mip6.bu.seqnr']).toBe(21);
    expect(ids(ps[4]!)).not.toContain('mh.malformed');

    // 6. four octets of MH
    expect(ids(ps[5]!)).toContain('mh.malformed');
    expect(value(ps[5]!, 'mip6.proto')).toBeUndefined();

    // 7. an option type octet with no length octet
    expect(ps[6]!.expert.some((e) => e.id === 'mh.malformed' && /no room for its length/.test(e.message))).toBe(true);
    expect(mip6(ps[6]!).options.at(-1)!.malformed).toBe(true);

    // 8. HAS claiming 5 addresses: the one present is shown
    expect(values(ps[7]!, 'mip6.has.address')).toEqual([recs[7].first]);
    expect(ids(ps[7]!)).toContain('mh.malformed');

    // 9. unknown type: header plus raw data, flagged
    expect(ps[8]!.info).toBe('Unknown Mobility Header (99)');
    expect(value(ps[8]!, 'mip6.unknown_type_data')).toBe(recs[8].data.match(/../g).join(':'));
    expect(ids(ps[8]!)).toContain('mh.malformed');

    // 10. IPv6 payload length past the frame: the CoTI still decoded
    expect(value(ps[9]!, 'mip6.coti.cookie')).toBe(recs[9].cookie);

    // 11. a good packet after all of them
    expect(mip6(ps[10]!).csumOk).toBe(true);
    expect(ps[10]!.expert).toEqual([]);

    // 12. capture cut inside an option: truncated, the option started, nothing called malformed
    expect(ps[11]!.truncated).toBe(true);
    expect(mip6(ps[11]!).options.map((x) => x.type)).toEqual([1, 3]);
    expect(ids(ps[11]!)).not.toContain('mh.malformed');
    expect(ps[11]!.malformed).toBe(false);
  });

  it('the CLI prints every frame of the malformed capture and exits 0', () => {
    const r = run(['-r', BAD]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(recs.length);
    expect(r.stdout).toContain('Unknown Mobility Header (99)');
  });
});

describe('summary-only fast path', () => {
  it('fills pinfo.data.mip6 (vals, options, checksum) without building a tree', async () => {
    await ready();
    const engine = new Engine();
    const cap = openCapture(RR);
    const ps: PacketInfo[] = [];
    let n = 0;
    for (const r of cap.packets) ps.push(engine.dissect(r, ++n, false));
    cap.source.close();
    for (const p of ps) expect(p.tree).toBeNull();
    const bu = mip6(ps[6]!);
    expect(bu.vals['mip6.bu.seqnr']).toBe(17);
    expect(bu.csumOk).toBe(true);
    expect(bu.item).toBeUndefined();
    expect(bu.options.map((o) => o.type)).toEqual([4, 5]);
    expect(mip6(ps[5]!).vals['mip6.hot.token']).toBeTypeOf('bigint');
    expect(ps[0]!.info).toBe('Binding Update seq=4101 A H lifetime=1000');
  });
});

describe('mip6.profile', () => {
  it('fmipv6 decodes MH 8-10 as RFC 5568; back to lke restores the default handles', async () => {
    await ready();
    const before = [8, 9, 10].map((k) => table('mip6.mhtype').get(k)?.name);
    try {
      expect(setPref('mip6.profile:fmipv6')).toBeNull();
      applyPrefs();
      const ps = await dissectFile(OTHERS);
      expect(ps[0]!.info).toBe('Fast Binding Update seq=300 A H lifetime=15');
      expect(mip6(ps[0]!).vals['mip6.fbu.lifetime']).toBe(15);
      expect(ps[1]!.info).toBe('Fast Binding Acknowledgment seq=300 status=1 lifetime=12');
      expect([mip6(ps[1]!).vals['mip6.fback.status'], mip6(ps[1]!).vals['mip6.fback.k_flag']]).toEqual([1, true]);
      expect(ps[2]!.info).toBe('Fast Neighbor Advertisement');
      expect(mip6(ps[2]!).options.map((o) => o.type)).toEqual([7, 1]);
    } finally {
      resetPrefs();
      applyPrefs();
    }
    expect([8, 9, 10].map((k) => table('mip6.mhtype').get(k)?.name)).toEqual(before);
  });

  it('decode-as moves a message type (-d mip6.mhtype==200,mip6.bu)', () => {
    const r = run(['-r', OTHERS, '-d', 'mip6.mhtype==200,mip6.bu']);
    expect(r.code).toBe(0);
    // the unassigned type's bytes 01 02 | 03 04 | 05 06 read as seq, flags, lifetime
    expect(r.stdout.trim().split('\n').at(-1)).toContain('Binding Update seq=258 P F lifetime=1286');
  });

  it('is a -o option of the CLI', () => {
    const r = run(['-r', OTHERS, '-o', 'mip6.profile:fmipv6', '-c', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Fast Binding Update seq=300 A H lifetime=15');
    const bad = run(['-r', OTHERS, '-o', 'mip6.profile:nope']);
    expect(bad.code).toBe(2);
  });
});
