// Bad input never crashes and never loses the rest: for every packet of every
// capture under fixtures/ (walked, so every area's fixtures are included), every
// prefix and a bounded number of seeded random byte flips dissect without an
// exception escaping; the packet after it dissects exactly as it does after the
// intact packet (a fixed, unrelated sentinel packet, compared in full), and the
// capture's own next packet still dissects (not compared: reassembly and echo
// matching legitimately depend on what came before, in tshark too).
import { describe, it, expect, beforeAll } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ready } from './util/dissect.js';
import { Engine } from '../core/engine.js';
import type { PacketInfo, RawPacket } from '../core/packet.js';
import { itemLabel } from '../core/format.js';
import { openCapture, ReaderError } from '../readers/open.js';
import type { Item } from '../core/tree.js';
import { FIXTURES } from './util/cli.js';

const FLIPS = 20;
/** prefixes of long packets are sampled so the whole run stays well under 30 s */
const MAX_PREFIXES = 128;

function walk(dir: string, out: string[]): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(pcap|pcapng|cap)$/i.test(n)) out.push(p);
  }
  return out;
}

function packetsOf(path: string): RawPacket[] {
  const out: RawPacket[] = [];
  try {
    const cap = openCapture(path);
    for (const p of cap.packets) out.push({ ...p, data: Buffer.from(p.data) });
    cap.source.close();
  } catch (e) {
    if (!(e instanceof ReaderError)) throw e;
  }
  return out;
}

/** mulberry32: small seeded PRNG, so failures reproduce */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Everything a packet shows: columns, layers, experts and the whole tree. */
function signature(p: PacketInfo): string {
  const parts = [p.proto, p.info, p.srcText, p.dstText, p.layers.join(':'), String(p.malformed), p.expert.map((e) => e.id).join(',')];
  const lines: string[] = [];
  const rec = (it: Item, d: number) => {
    lines.push(d + ' ' + itemLabel(it));
    if (it.children) for (const c of it.children) rec(c, d + 1);
  };
  if (p.tree) rec(p.tree, 0);
  return parts.join('|') + '\n' + lines.join('\n');
}

/** A stateless engine (no analyzers): what the next packet shows depends on its bytes only. */
function engine(): Engine {
  const e = new Engine();
  e.analyzers = [];
  return e;
}

describe('robustness over every fixture', () => {
  beforeAll(ready);
  const files = walk(FIXTURES, []);
  it('finds fixtures', () => {
    expect(files.length).toBeGreaterThan(10);
  });
  it('prefixes and byte flips never escape, the next packet is unchanged', () => {
    const t0 = Date.now();
    const bugs = new Map<string, number>();
    let cases = 0;
    const rand = rng(0x6d697036);
    // the sentinel: a UDP/IPv6 frame from the readers fixtures, related to nothing else
    const sentinel = packetsOf(join(FIXTURES, 'readers', 'pcap_us_le.pcap'))[2]!;
    for (const file of files) {
      const pkts = packetsOf(file);
      for (let i = 0; i < pkts.length; i++) {
        const pkt = pkts[i]!;
        const next = pkts[(i + 1) % pkts.length]!;
        // the sentinel at this packet's time, so frame times compare equal
        const sent: RawPacket = { ...sentinel, tsSec: pkt.tsSec, tsNsec: pkt.tsNsec };
        const want = signature(engine().dissect(sent, 2, true));
        expect(want).toContain('2001:db8::2');
        const variants: Buffer[] = [];
        const n = pkt.data.length;
        const step = Math.max(1, Math.ceil(n / MAX_PREFIXES));
        for (let k = 0; k < n; k += step) variants.push(pkt.data.subarray(0, k));
        for (let f = 0; f < FLIPS && n > 0; f++) {
          const b = Buffer.from(pkt.data);
          const flips = 1 + Math.floor(rand() * 3);
          for (let j = 0; j < flips; j++) b[Math.floor(rand() * n)] = Math.floor(rand() * 256);
          variants.push(b);
        }
        for (const v of variants) {
          const mut: RawPacket = { ...pkt, data: v, caplen: v.length };
          const e = engine();
          let p: PacketInfo;
          try {
            p = e.dissect(mut, 1, true);
            // the summary path (no tree) must hold too
            engine().dissect(mut, 1, false);
          } catch (err) {
            throw new Error(`${file} packet ${i + 1} (${v.length} octets ${v.toString('hex')}): exception escaped: ${(err as Error).stack}`);
          }
          for (const x of p.expert) if (x.id === 'dissector.bug') bugs.set(`${x.message}`, (bugs.get(x.message) ?? 0) + 1);
          const got = signature(e.dissect(sent, 2, true));
          if (got !== want) {
            throw new Error(`${file}: the packet after a mutated packet ${i + 1} (${v.toString('hex')}) changed`);
          }
          e.dissect(next, 3, true);
          cases++;
        }
      }
    }
    const ms = Date.now() - t0;
    console.log(`robustness: ${files.length} files, ${cases} mutated packets in ${ms} ms`);
    if (bugs.size) console.log('dissector bugs caught (reported as expert items, not escaping):\n' + [...bugs].map(([m, c]) => `  ${c}x ${m}`).join('\n'));
    expect(cases).toBeGreaterThan(1000);
  }, 120000);
});
