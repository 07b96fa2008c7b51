// The summary fast path (core/fast.ts) may only ever agree with the full
// dissectors: for every fixture packet, and for mutated ones, whenever the fast
// path takes a packet its Protocol, Source, Destination and Info columns must be
// exactly the full dissection's. And the CLI's summary output is the same with
// the fast path switched off (MIP6SCOPE_NO_FAST=1).
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { ready } from './util/dissect.js';
import { run, ROOT } from './util/cli.js';
import { loadFixturePackets, fixtureFiles, applyMutations, mutationArb, type Template } from '../bench/fuzzlib.js';
import { Engine } from '../core/engine.js';
import { fastFrame, type FastState } from '../core/fast.js';
import { ipv6ToString } from '../core/addr.js';
import { applyDecodeAs } from '../core/tables.js';
import type { RawPacket } from '../core/packet.js';

let packets: Template[] = [];
beforeAll(async () => {
  await ready();
  packets = loadFixturePackets(ROOT, 64);
});

const st: FastState = { raw: null as unknown as RawPacket, buf: Buffer.alloc(0), proto: '', info: '', src: -1, dst: -1, depth: 0, hoaSet: false };

/** null when the fast path declines; else whether its columns equal the full dissection's */
function compare(raw: RawPacket): { fast: string; full: string } | null {
  st.raw = raw;
  if (!fastFrame(st)) return null;
  const fast = [st.proto, st.src >= 0 ? ipv6ToString(st.buf, st.src) : '', st.dst >= 0 ? ipv6ToString(st.buf, st.dst) : '', st.info].join(' | ');
  const p = new Engine().dissect(raw, 1, false);
  return { fast, full: [p.proto, p.srcText, p.dstText, p.info].join(' | ') };
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
    fc.assert(
      fc.property(fc.nat(), mutationArb, (i, ms) => {
        const t = packets[i % packets.length]!;
        const data = applyMutations(t.raw.data, ms);
        const r = compare({ ...t.raw, data, caplen: data.length, origlen: data.length });
        if (r) expect(r.fast).toBe(r.full);
      }),
      { numRuns: 3000, seed: 7 },
    );
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
