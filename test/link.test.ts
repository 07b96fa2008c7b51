// Link layers at tshark parity: every eth.*, vlan.*, ieee8021ad.*, sll.*, null.*
// field tshark emits for the link-layer fixtures, in order, against ours.
import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { dissectFile, dissect, values, ready } from './util/dissect.js';
import { haveTshark, tshark, flattenJson, type Row } from './util/tshark.js';
import { FIXTURES } from './util/cli.js';
import { jsonValue } from '../core/format.js';
import type { PacketInfo } from '../core/packet.js';

const DIR = join(FIXTURES, 'readers');
const HAVE = haveTshark();
if (!HAVE) console.log('tshark not installed: link-layer comparisons with tshark skipped');

// tshark fills these from its OUI database; we carry none (documented gap)
const NO_OUI_DB = /\.oui_resolved$/;
const LINK_KEY = /^(eth|vlan|ieee8021ad|ieee8021ah|sll|null)\./;

function ours(p: PacketInfo): string[] {
  const out: string[] = [];
  if (!p.tree) return out;
  for (const it of p.tree.walk()) {
    const f = it.field;
    if (f && LINK_KEY.test(f.abbrev) && f.type !== 'protocol' && !it.expert) out.push(`${f.abbrev}=${jsonValue(f, it.value)}`);
  }
  return out;
}

function theirs(rows: Row[], pkt: number): string[] {
  return rows.filter((r) => r.pkt === pkt && LINK_KEY.test(r.key) && !NO_OUI_DB.test(r.key)).map((r) => `${r.key}=${r.value}`);
}

const FILES = ['pcap_us_le.pcap', 'pcap_fcs.pcap', 'eth_trailer.pcap', 'vlan.pcap', 'sll.pcap', 'sll2.pcap', 'null.pcap', 'loop.pcap', 'raw101.pcap', 'ng_sections.pcapng', 'pcap_snaplen.pcap'];

describe('link layers match tshark field by field', () => {
  beforeAll(ready);
  for (const f of FILES) {
    it.skipIf(!HAVE)(f, async () => {
      const path = join(DIR, f);
      const rows = flattenJson(tshark(['-n', '-r', path, '-T', 'json']));
      const pkts = await dissectFile(path);
      const n = new Set(rows.map((r) => r.pkt)).size;
      expect(pkts.length).toBe(n);
      for (let i = 0; i < pkts.length; i++) expect(ours(pkts[i]!), `${f} frame ${i + 1}`).toEqual(theirs(rows, i));
    });
  }
  it.skipIf(!HAVE)('frame.protocols for the link stacks', async () => {
    for (const f of ['vlan.pcap', 'sll.pcap', 'sll2.pcap', 'null.pcap', 'loop.pcap', 'raw101.pcap', 'raw229.pcap', 'pcap_us_le.pcap']) {
      const path = join(DIR, f);
      const want = tshark(['-n', '-r', path, '-T', 'fields', '-e', 'frame.protocols']).trim().split('\n');
      const pkts = await dissectFile(path);
      // compare the link part: everything up to and including the first ip/ipv6
      const cut = (s: string) => s.replace(/^((?:.*?:)?(?:ip|ipv6))(?::.*)?$/, '$1');
      expect(pkts.map((p) => cut(p.layers.join(':'))), f).toEqual(want.map(cut));
    }
  });
});

describe('link layers from the RFC/vendor layouts (no tshark needed)', () => {
  beforeAll(ready);
  it('802.1Q tag: PCP 5, DEI 0, VID 100, inner IPv6', async () => {
    const [p] = await dissectFile(join(DIR, 'vlan.pcap'));
    expect(values(p!, 'vlan.priority')).toEqual(['5']);
    expect(values(p!, 'vlan.id')).toEqual(['100']);
    expect(values(p!, 'vlan.etype')).toEqual(['0x86dd']);
    expect(p!.srcText).toBe('2001:db8::1');
  });
  it('QinQ: 802.1ad S-tag (3,1,200) then C-tag 300; 0x9100 S-tag 4094 then C-tag 1', async () => {
    const [, q, old] = await dissectFile(join(DIR, 'vlan.pcap'));
    expect([values(q!, 'ieee8021ad.priority'), values(q!, 'ieee8021ad.dei'), values(q!, 'ieee8021ad.id'), values(q!, 'ieee8021ah.etype')]).toEqual([['3'], ['1'], ['200'], ['0x8100']]);
    expect(values(q!, 'vlan.id')).toEqual(['300']);
    expect(values(old!, 'vlan.id')).toEqual(['4094', '1']);
    expect(values(old!, 'eth.type')).toEqual(['0x9100']);
  });
  it('SLL v1/v2: packet type, address, protocol, interface index', async () => {
    const s1 = await dissectFile(join(DIR, 'sll.pcap'));
    expect(values(s1[0]!, 'sll.pkttype')).toEqual(['4']);
    expect(values(s1[0]!, 'sll.src.eth')).toEqual(['00:11:22:33:44:55']);
    expect(values(s1[3]!, 'sll.etype')).toEqual(['0x0800']);
    const s2 = await dissectFile(join(DIR, 'sll2.pcap'));
    expect(s2.map((p) => values(p, 'sll.ifindex')[0])).toEqual(['2', '7', '1', '2']);
    expect(values(s2[2]!, 'sll.hatype')).toEqual(['772']);
  });
  it('BSD null: AF_INET6 24/28/30 in either byte order, AF_INET 2', async () => {
    const ps = await dissectFile(join(DIR, 'null.pcap'));
    expect(ps.map((p) => values(p, 'null.family')[0])).toEqual(['24', '28', '30', '24', '28', '30', '2', '2']);
    expect(ps.map((p) => p.layers.slice(0, 2).join(':'))).toEqual(['null:ipv6', 'null:ipv6', 'null:ipv6', 'null:ipv6', 'null:ipv6', 'null:ipv6', 'null:ip', 'null:ip']);
  });
  it('raw IP picks IPv4 or IPv6 by the version nibble', async () => {
    const ps = await dissectFile(join(DIR, 'raw101.pcap'));
    expect(ps.map((p) => p.layers.slice(0, 2).join(':'))).toEqual(['raw:ipv6', 'raw:ip', 'raw:ipv6']);
  });
  it('FCS in the link-type word: 4 octets taken off the payload and shown', async () => {
    const ps = await dissectFile(join(DIR, 'pcap_fcs.pcap'));
    // generator wrote 0xdeadbeef little-endian: octets ef be ad de
    expect(values(ps[0]!, 'eth.fcs')).toEqual(['0xefbeadde']);
    expect(values(ps[0]!, 'eth.trailer')).toEqual([]);
  });
  it('padding to 60 octets, a 4-octet trailer taken as FCS (Wireshark\'s guess), 802.3 length', async () => {
    const ps = await dissectFile(join(DIR, 'eth_trailer.pcap'));
    expect(values(ps[0]!, 'eth.padding')).toEqual([Array(12).fill('00').join(':')]);
    // the generator appended "TRLR" after the IPv6 datagram
    expect(values(ps[1]!, 'eth.fcs')).toEqual(['0x54524c52']);
    expect(values(ps[2]!, 'eth.len')).toEqual(['8']);
    expect(values(ps[2]!, 'eth.padding')).toHaveLength(1);
  });
  it('an unknown link type is shown as data, per packet, never fatal', async () => {
    const ps = await dissectFile(join(DIR, 'unknown_linktype.pcap'));
    expect(ps).toHaveLength(2);
    expect(values(ps[0]!, 'data.len')).toEqual(['15']);
    expect(ps.every((p) => !p.malformed)).toBe(true);
  });
  it('Ethernet cut after the destination: destination column set, frame marked cut', async () => {
    const ps = await dissectFile(join(DIR, 'pcap_snaplen.pcap'));
    const p = ps[3]!;
    expect(p.dstText).toBe('02:aa:bb:cc:dd:ee');
    expect(p.srcText).toBe('');
    expect(p.info).toBe('[Packet size limited during capture]');
    expect(values(p, '_ws.short')).toEqual(['[Packet size limited during capture: Ethernet truncated]']);
  });
  it('short frames: every prefix of a QinQ frame dissects without an exception', async () => {
    const [, q] = await dissectFile(join(DIR, 'vlan.pcap'));
    const full = q!.raw.data;
    for (let n = 0; n <= full.length; n++) {
      const p = await dissect(full.subarray(0, n), 1);
      expect(p.expert.some((e) => e.id === 'dissector.bug')).toBe(false);
    }
  });
});
