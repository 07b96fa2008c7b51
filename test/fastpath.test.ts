// The summary fast path (core/fast.ts) may only ever agree with the full
// dissectors: for every fixture packet, and for mutated ones, whenever the fast
// path takes a packet its Protocol, Source, Destination and Info columns must be
// exactly the full dissection's. And the CLI's summary output is the same with
// the fast path switched off (MIP6SCOPE_NO_FAST=1).
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { ready } from './util/dissect.js';
import { run, ROOT } from './util/cli.js';
import { a6 } from './util/pcap6.js';
import { loadFixturePackets, fixtureFiles, applyMutations, mutationArb, type Template, type Mutation } from '../bench/fuzzlib.js';
import { Engine } from '../core/engine.js';
import { fastFrame, fastState } from '../core/fast.js';
import { ipv6ToString } from '../core/addr.js';
import { applyDecodeAs, table } from '../core/tables.js';
import type { RawPacket } from '../core/packet.js';

let packets: Template[] = [];
beforeAll(async () => {
  await ready();
  packets = loadFixturePackets(ROOT, 64);
});

// no engine: the stateful variants (echo matching) decline, each packet stands alone
const st = fastState(null);

/** An Ethernet frame: IPv6 from src to dst (first next header nxt) carrying the parts */
function ip6Frame(src: Buffer, dst: Buffer, nxt: number, parts: Buffer[], hlim = 64): Buffer {
  const body = Buffer.concat(parts);
  const ip = Buffer.alloc(40);
  ip[0] = 0x60;
  ip.writeUInt16BE(body.length, 4);
  ip[6] = nxt;
  ip[7] = hlim;
  src.copy(ip, 8);
  dst.copy(ip, 24);
  return Buffer.concat([Buffer.from('02000000000202000000000186dd', 'hex'), ip, body]);
}

function rawOf(data: Buffer, tsSec = 1700000000): RawPacket {
  return { tsSec, tsNsec: 0, caplen: data.length, origlen: data.length, linktype: 1, data, fileOffset: 0, tsDigits: 6, fcsLen: undefined } as RawPacket;
}

/** null when the fast path declines; else whether its columns equal the full dissection's */
function compare(raw: RawPacket): { fast: string; full: string } | null {
  st.raw = raw;
  if (!fastFrame(st)) return null;
  const fast = [st.proto, st.src >= 0 ? ipv6ToString(st.buf, st.src) : '', st.dst >= 0 ? ipv6ToString(st.buf, st.dst) : '', st.info].join(' | ');
  const p = new Engine().dissect(raw, 1, false);
  return { fast, full: [p.proto, p.srcText, p.dstText, p.info].join(' | ') };
}

function full(raw: RawPacket) {
  return new Engine().dissect(raw, 1, false);
}

/** 3,000 mutated packets of `pool` (mutations placed by `aim`): whenever the fast path takes one, it agrees. */
function agreesWhenMutated(pool: Template[], aim: (t: Template, ms: Mutation[]) => Mutation[], seed: number): void {
  fc.assert(
    fc.property(fc.nat(), mutationArb, (i, ms) => {
      const t = pool[i % pool.length]!;
      const data = applyMutations(t.raw.data, aim(t, ms));
      const r = compare({ ...t.raw, data, caplen: data.length, origlen: data.length });
      if (r) expect(r.fast).toBe(r.full);
    }),
    { numRuns: 3000, seed },
  );
}

describe('summary fast path', () => {
  it('agrees with the full dissection on every fixture packet it takes, and takes the ordinary MIPv6 ones', () => {
    let taken = 0;
    const infos = new Set<string>();
    for (const t of packets) {
      const r = compare(t.raw);
      if (!r) continue;
      taken++;
      infos.add(r.full.split(' | ')[3]!.split(' ')[0]!);
      expect(r.fast, `${t.file} #${t.index + 1}`).toBe(r.full);
    }
    expect(taken).toBeGreaterThan(200);
    // RFC 6275 messages, CBU and the layout-driven others all go the fast way
    for (const w of ['Binding', 'Home', 'Care-of', 'CBU']) expect(infos.has(w)).toBe(true);
  });

  it('takes UDP, ESP and every stateless ICMPv6 type of the fixtures, and agrees', () => {
    const taken = new Set<string>();
    for (const t of packets) {
      const r = compare(t.raw);
      if (!r) continue;
      expect(r.fast, `${t.file} #${t.index + 1}`).toBe(r.full);
      const [proto, , , info] = r.full.split(' | ') as [string, string, string, string];
      taken.add(proto);
      if (proto === 'ICMPv6') taken.add(info.replace(/ (from|for|is at|\(|[0-9a-f]*:).*$/, ''));
      if (proto === 'UDP') taken.add(info.replace(/^.*?(\[|$)/, '$1'));
    }
    for (const w of ['UDP', 'ESP', '[ILLEGAL CHECKSUM (0)]', '[UDP CHECKSUM INCORRECT]', 'Destination Unreachable', 'Packet Too Big',
      'Time Exceeded', 'Parameter Problem', 'Router Solicitation', 'Router Advertisement', 'Neighbor Solicitation',
      'Neighbor Advertisement', 'Redirect', 'Home Agent Address Discovery Request', 'Home Agent Address Discovery Reply',
      'Mobile Prefix Solicitation', 'Mobile Prefix Advertisement']) expect(taken.has(w), w).toBe(true);
    // echo request/reply matching is state: without an engine, the full path
    for (const t of packets) if (full(t.raw).info.startsWith('Echo ')) expect(compare(t.raw)).toBeNull();
  });

  it('echo matching through the fast path leaves the same state and Info as the dissectors, packet after packet', () => {
    const a = a6('2001:db8:1::100'), b = a6('2001:db8:2::1'), coa = a6('2001:db8:3::100');
    const echoPkt = (src: Buffer, dst: Buffer, type: number, id: number, seq: number, ext?: Buffer, hlim = 64) =>
      ip6Frame(src, dst, ext ? 60 : 58, [...(ext ? [ext] : []), Buffer.from([type, 0, 0, 0, id >> 8, id & 255, seq >> 8, seq & 255, 1, 2, 3, 4])], hlim);
    // a Home Address option: the matching keys on the header's own addresses, not the HoA
    const hao = Buffer.concat([Buffer.from([58, 2, 1, 2, 0, 0, 0xc9, 16]), a]);
    const seq: Buffer[] = [
      echoPkt(b, a, 129, 7, 1), // a reply before any request: unmatched
      echoPkt(a, b, 128, 7, 1),
      echoPkt(b, a, 129, 7, 1, undefined, 63), // matched
      echoPkt(b, a, 129, 7, 1), // again: matched to the same request
      echoPkt(a, b, 128, 7, 2),
      echoPkt(a, b, 129, 7, 2), // same direction as the request: matched as well (direction-agnostic)
      echoPkt(coa, b, 128, 9, 1, hao),
      echoPkt(b, coa, 129, 9, 1), // matched by the header's addresses (CoA)
      echoPkt(b, a, 129, 9, 1), // not by the HoA
      echoPkt(a, b, 128, 10, 1).subarray(0, 60), // cut inside the sequence number: the full path's, and no request recorded
      echoPkt(b, a, 129, 10, 1),
    ];
    const fastEngine = new Engine();
    const fullEngine = new Engine();
    const fs = fastState(fastEngine);
    let taken = 0;
    seq.forEach((data, i) => {
      const raw = rawOf(data, 1700000000 + i);
      fs.raw = raw;
      fs.num = i + 1;
      let info: string;
      if (fastFrame(fs)) {
        taken++;
        fastEngine.skip(raw);
        info = fs.info;
      } else info = fastEngine.dissect(raw, i + 1, false).info;
      expect(info, `frame ${i + 1}`).toBe(fullEngine.dissect(raw, i + 1, false).info);
    });
    expect(taken).toBe(seq.length - 1);
    // the pairings the sequence above makes (RFC 4443 echo; tshark's Info wording)
    const e = new Engine();
    const fs2 = fastState(e);
    const got = seq.map((data, i) => {
      fs2.raw = rawOf(data, 1700000000 + i);
      fs2.num = i + 1;
      return fastFrame(fs2) ? fs2.info : e.dissect(fs2.raw, i + 1, false).info;
    });
    expect(got[0]).toBe('Echo (ping) reply id=0x0007, seq=1, hop limit=64');
    expect(got[2]).toBe('Echo (ping) reply id=0x0007, seq=1, hop limit=63 (request in 2)');
    expect(got[3]).toMatch(/\(request in 2\)$/);
    expect(got[5]).toMatch(/\(request in 5\)$/);
    expect(got[7]).toMatch(/\(request in 7\)$/);
    expect(got[8]).not.toMatch(/request in/);
    expect(got[9]).toMatch(/\[Malformed Packet\]$/);
    expect(got[10]).toBe('Echo (ping) reply id=0x000a, seq=1, hop limit=64');
  });

  it('takes Hop-by-Hop and Destination Options headers whose options all check out, and agrees', () => {
    const src = a6('2001:db8:1::100'), dst = a6('2001:db8:2::1');
    // an empty datagram, checksum 0
    const frame = (ext: Buffer, first: number) => rawOf(ip6Frame(src, dst, first, [ext, Buffer.from([0x04, 0xd2, 0x16, 0x2e, 0, 8, 0, 0])]));
    // Hop-by-Hop: Router Alert (RFC 2711) and PadN; then Destination Options: an
    // experimental (RFC 4727) and an unknown option, which only add a note
    const hbh = Buffer.from([60, 0, 0x05, 2, 0, 0, 1, 0]);
    const dsto = Buffer.from([17, 1, 0x3e, 2, 0xaa, 0xbb, 0xc5, 4, 1, 2, 3, 4, 1, 2, 0, 0]);
    const good = frame(Buffer.concat([hbh, dsto]), 0);
    const r = compare(good)!;
    expect(r).not.toBeNull();
    expect(r.fast).toBe(r.full);
    expect(r.full).toBe('UDP | 2001:db8:1::100 | 2001:db8:2::1 | 1234 → 5678 Len=0 [ILLEGAL CHECKSUM (0)]');
    // a Router Alert of the wrong length is malformed: declined, and the full path says so
    const bad = frame(Buffer.concat([Buffer.from([60, 0, 0x05, 3, 0, 0, 0, 0]), dsto]), 0);
    expect(compare(bad)).toBeNull();
    expect(full(bad).malformed).toBe(true);
    // a Home Address option in a Hop-by-Hop header names no source (RFC 6275 6.3)
    const hoaHbh = Buffer.concat([Buffer.from([17, 2, 1, 2, 0, 0, 0xc9, 16]), a6('2001:db8:9::9')]);
    const r2 = compare(frame(hoaHbh, 0))!;
    expect(r2.fast).toBe(r2.full);
    expect(r2.full.split(' | ')[1]).toBe('2001:db8:1::100');
  });

  it('verifies the UDP checksum over the Home Address and the type 2 routing header address', () => {
    const coa = a6('2001:db8:3::100'), hoa = a6('2001:db8:1::100'), cn = a6('2001:db8:2::1');
    const udp = (src: Buffer, dst: Buffer) => {
      const u = Buffer.from([0x9c, 0x54, 0x9c, 0x55, 0, 12, 0, 0, 0x61, 0x62, 0x63, 0x64]);
      let s = 12 + 17;
      for (const b of [src, dst, u]) for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);
      while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
      u.writeUInt16BE(~s & 0xffff || 0xffff, 6);
      return u;
    };
    const frame = (src: Buffer, dst: Buffer, ext: Buffer, nxt: number, u: Buffer) => rawOf(ip6Frame(src, dst, nxt, [ext, u]));
    // Destination Options: PadN, then the Home Address option (the pseudo-header source)
    const dstopts = Buffer.concat([Buffer.from([17, 2, 1, 2, 0, 0, 0xc9, 16]), hoa]);
    const withHoa = frame(coa, cn, dstopts, 60, udp(hoa, cn));
    // a type 2 routing header: its address is the pseudo-header destination
    const rh2 = Buffer.concat([Buffer.from([17, 2, 2, 1, 0, 0, 0, 0]), hoa]);
    const withRh2 = frame(cn, coa, rh2, 43, udp(cn, hoa));
    for (const raw of [withHoa, withRh2]) {
      const r = compare(raw)!;
      expect(r).not.toBeNull();
      expect(r.fast).toBe(r.full);
      expect(r.full).toMatch(/ 40020 → 40021 Len=4$/);
      const bad = Buffer.from(raw.data);
      bad[bad.length - 1]! ^= 1;
      const rb = compare({ ...raw, data: bad })!;
      expect(rb.fast).toBe(rb.full);
      expect(rb.full).toContain('[UDP CHECKSUM INCORRECT]');
    }
  });

  it('declines UDP whose payload a port dissector takes, and ICMPv6 errors whose invoking packet sets columns', () => {
    // a datagram with room for an ESP header, moved to ESP by decode-as (as NAT traversal would)
    const u = packets.find((t) => t.raw.data.readUInt16BE(12) === 0x86dd && /^UDP .* Len=([89]|\d\d+)$/.test(compare(t.raw)?.full ?? ''))!;
    expect(u).toBeDefined();
    const sport = Number(/^(\d+) →/.exec(full(u.raw).info)![1]);
    expect(applyDecodeAs(`udp.port==${sport},esp`)).toBeNull();
    try {
      expect(full(u.raw).proto).toBe('ESP');
      expect(compare(u.raw)).toBeNull();
    } finally {
      table('udp.port').clearDecodeAs();
    }
    expect(compare(u.raw)).not.toBeNull();
    // a Destination Unreachable quoting a Binding Update: the MH sets the columns
    const bu = packets.find((t) => compare(t.raw)?.full.includes('Binding Update') && t.raw.data.readUInt16BE(12) === 0x86dd)!;
    const inner = bu.raw.data.subarray(14, 14 + 40 + bu.raw.data.readUInt16BE(18));
    const ip = Buffer.from(bu.raw.data.subarray(14, 54));
    ip.writeUInt16BE(8 + inner.length, 4);
    ip[6] = 58;
    const icmp = Buffer.from([1, 3, 0, 0, 0, 0, 0, 0]);
    const data = Buffer.concat([bu.raw.data.subarray(0, 14), ip, icmp, inner]);
    const err = { ...bu.raw, data, caplen: data.length, origlen: data.length };
    expect(full(err).proto).toBe('MIPv6');
    expect(compare(err)).toBeNull();
    // the same error quoting a UDP datagram leaves them: taken
    const uin = u.raw.data.subarray(14, 14 + 40 + u.raw.data.readUInt16BE(18));
    const ip2 = Buffer.from(ip);
    ip2.writeUInt16BE(8 + uin.length, 4);
    const d2 = Buffer.concat([bu.raw.data.subarray(0, 14), ip2, icmp, uin]);
    const r2 = compare({ ...bu.raw, data: d2, caplen: d2.length, origlen: d2.length })!;
    expect(r2).not.toBeNull();
    expect(r2.fast).toBe(r2.full);
    expect(r2.full).toMatch(/\| Destination Unreachable \(Address unreachable\)$/);
  });

  it('mutated UDP, ICMPv6 and ESP packets: whenever the fast path takes one, it agrees', () => {
    const kinds = packets.filter((t) => /^(UDP|ICMPv6|ESP) /.test(compare(t.raw)?.full ?? ''));
    expect(kinds.length).toBeGreaterThan(20);
    // aim past the Ethernet and IPv6 headers, where the new variants read
    agreesWhenMutated(kinds, (t, ms) => ms.map((m) => ('at' in m ? { ...m, at: 54 + (m.at % Math.max(1, t.raw.data.length - 54)) } : m)), 11);
  });

  it('takes context options (cookie, Experimental, unknown types), a non-CBU Experimental MH and routing headers of types 0 and 4, and agrees', () => {
    const src = a6('2001:db8:1::100'), dst = a6('2001:db8:2::1');
    // the MH checksum over the RFC 2460 pseudo-header, computed here independently
    const mh = (type: number, body: Buffer): Buffer => {
      const m = Buffer.concat([Buffer.from([59, 0, type, 0, 0, 0]), body]);
      expect(m.length % 8).toBe(0);
      m[1] = m.length / 8 - 1;
      const ph = Buffer.concat([src, dst, Buffer.from([0, 0, m.length >> 8, m.length & 0xff, 0, 0, 0, 135]), m]);
      let sum = 0;
      for (let i = 0; i < ph.length; i += 2) sum += (ph[i]! << 8) | (ph[i + 1] ?? 0);
      while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
      m.writeUInt16BE(~sum & 0xffff, 4);
      return m;
    };
    const bu = (opts: Buffer) => mh(5, Buffer.concat([Buffer.from([0, 7, 0x80, 0, 0, 25]), opts]));
    const padn = (n: number) => Buffer.concat([Buffer.from([1, n]), Buffer.alloc(n)]);
    const optionNames = (r: RawPacket) => (full(r).data.mip6.options as Array<{ name?: string }>).map((o) => o.name ?? '?');
    const takes = (r: RawPacket, info: string) => {
      const c = compare(r);
      expect(c).not.toBeNull();
      expect(c!.fast).toBe(c!.full);
      expect(c!.full.split(' | ')[3]).toBe(info);
      return c!;
    };
    // option 18 of length 30 is the cookie (spec §4, key heur:18) ...
    const cookie = Buffer.concat([Buffer.from([18, 30, 0x04, 0x69]), a6('2001:db8:9::100'), Buffer.alloc(12, 0xab)]);
    const withCookie = rawOf(ip6Frame(src, dst, 135, [bu(Buffer.concat([cookie, padn(2)]))]));
    takes(withCookie, 'Binding Update seq=7 A lifetime=25');
    expect(optionNames(withCookie)).toEqual(['Cookie', 'PadN']);
    // ... of another length the cookie declines and RFC 5096's Experimental option takes it
    const experimental = rawOf(ip6Frame(src, dst, 135, [bu(Buffer.concat([Buffer.from([18, 4, 1, 2, 3, 4]), padn(4)]))]));
    takes(experimental, 'Binding Update seq=7 A lifetime=25');
    expect(optionNames(experimental)[0]).toBe('Experimental');
    // an unassigned type goes to the unknown-option dissector
    const unknown = rawOf(ip6Frame(src, dst, 135, [bu(Buffer.concat([Buffer.from([200, 4, 1, 2, 3, 4]), padn(4)]))]));
    takes(unknown, 'Binding Update seq=7 A lifetime=25');
    expect(optionNames(unknown)[0]).toBe('Unknown (200)');
    // with the cookie also at key 18 (-d), it declines there too and the unknown-option
    // dissector takes the option, in both paths
    expect(applyDecodeAs('mip6.option==18,mip6.cookie')).toBeNull();
    try {
      takes(experimental, 'Binding Update seq=7 A lifetime=25');
      takes(withCookie, 'Binding Update seq=7 A lifetime=25');
      expect(full(experimental).expert.map((e) => e.id)).not.toContain('mh.malformed');
    } finally {
      table('mip6.option').clearDecodeAs();
    }
    expect(optionNames(experimental)[0]).toBe('Experimental');
    // MH type 11 whose data does not start with the CBU magic is RFC 5096's Experimental MH
    takes(rawOf(ip6Frame(src, dst, 135, [mh(11, Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))])), 'Experimental Mobility Header');
    // routing headers: type 0 names its last address, type 4 (SRH) its list[0], both
    // only with segments left; an unknown type changes nothing; No Next Header after them
    const hop1 = a6('2001:db8:7::1'), hop2 = a6('2001:db8:7::2');
    const rh0 = (segleft: number) => Buffer.concat([Buffer.from([59, 4, 0, segleft, 0, 0, 0, 0]), hop1, hop2]);
    const rh4 = Buffer.concat([Buffer.from([59, 4, 4, 1, 1, 0, 0, 0]), hop2, hop1]);
    const rh9 = Buffer.from([59, 0, 9, 1, 0, 0, 0, 0]);
    const dsts: string[] = [];
    for (const rh of [rh0(2), rh0(0), rh4, rh9]) {
      const c = takes(rawOf(ip6Frame(src, dst, 43, [rh])), 'IPv6 no next header');
      dsts.push(c.full.split(' | ')[2]!);
    }
    expect(dsts).toEqual(['2001:db8:7::2', '2001:db8:2::1', '2001:db8:7::2', '2001:db8:2::1']);
    // a routing header longer than the payload is malformed: declined
    expect(compare(rawOf(ip6Frame(src, dst, 43, [rh0(2).subarray(0, 24)])))).toBeNull();
  });

  it('declines what it cannot know without the full dissectors (malformed, truncated, stateful)', () => {
    const bu = packets.find((t) => compare(t.raw)?.full.includes('Binding Update'))!;
    expect(bu).toBeDefined();
    const cut = { ...bu.raw, caplen: bu.raw.caplen - 1, data: bu.raw.data.subarray(0, bu.raw.data.length - 1) };
    expect(compare(cut)).toBeNull();
    // the last 8 octets gone, frame and IPv6 payload length disagree: the full dissector marks it
    const bad = applyMutations(bu.raw.data, [{ kind: 'truncate', len: bu.raw.data.length - 8 }]);
    expect(compare({ ...bu.raw, caplen: bad.length, origlen: bad.length, data: bad })).toBeNull();
  });

  it('mutated packets: whenever the fast path takes one, it agrees', () => {
    agreesWhenMutated(packets, (_t, ms) => ms, 7);
  });

  it('follows decode-as: a table entry moved elsewhere moves the fast variant with it', () => {
    const cot = packets.find((t) => compare(t.raw)?.full.includes('Care-of Test index'))!;
    expect(cot).toBeDefined();
    expect(applyDecodeAs('mip6.mhtype==4,mip6.hot')).toBeNull();
    try {
      const r = compare(cot.raw)!;
      expect(r.full).toContain('Home Test index');
      expect(r.fast).toBe(r.full);
    } finally {
      expect(applyDecodeAs('mip6.mhtype==4,mip6.cot')).toBeNull();
    }
  });

  it('the CLI prints the same summary with and without it, for every fixture file', () => {
    for (const f of fixtureFiles(ROOT)) {
      const a = run(['-r', f]);
      const b = run(['-r', f], { env: { MIP6SCOPE_NO_FAST: '1' } });
      expect(a.stdout, f).toBe(b.stdout);
      expect(a.stderr, f).toBe(b.stderr);
      expect(a.code, f).toBe(b.code);
    }
  }, 240000);
});
