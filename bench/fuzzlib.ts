// Mutation fuzzing shared by the CI property test and `npm run fuzz`: every fixture
// packet is mutated (byte flips, truncation, length-like fields forced to 0 or
// max), dissected with a tree and printed in every format; nothing may escape, and
// the intact packet dissected after it must come out exactly as it does alone.
import * as fs from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Engine } from '../core/engine.js';
import type { PacketInfo, RawPacket } from '../core/packet.js';
import type { Item } from '../core/tree.js';
import { jsonValue } from '../core/format.js';
import { openCapture } from '../readers/open.js';
import { jsonPacket } from '../output/json.js';
import { treeText } from '../output/text.js';
import { summaryLine } from '../output/summary.js';

export interface Template {
  file: string;
  index: number;
  raw: RawPacket;
}

export function fixtureFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of fs.readdirSync(d).sort()) {
      const p = join(d, n);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (/\.(pcap|pcapng)$/.test(n)) out.push(p);
    }
  };
  walk(join(root, 'fixtures'));
  return out;
}

export function loadFixturePackets(root: string, maxPerFile = 64): Template[] {
  const out: Template[] = [];
  for (const f of fixtureFiles(root)) {
    try {
      const cap = openCapture(f);
      let i = 0;
      for (const p of cap.packets) {
        out.push({ file: f, index: i, raw: { ...p, data: Buffer.from(p.data) } });
        if (++i >= maxPerFile) break;
      }
      cap.source.close();
    } catch {
      /* hostile and broken fixtures are read up to their fault */
    }
  }
  return out;
}

export type Mutation =
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'truncate'; len: number }
  | { kind: 'set8'; at: number; value: number }
  | { kind: 'set16'; at: number; value: number };

export function applyMutations(data: Buffer, ms: Mutation[]): Buffer {
  let b = Buffer.from(data);
  for (const m of ms) {
    if (b.length === 0) break;
    switch (m.kind) {
      case 'flip': b[m.at % b.length]! ^= m.mask || 1; break;
      case 'truncate': b = b.subarray(0, m.len % (b.length + 1)); break;
      case 'set8': b[m.at % b.length] = m.value; break;
      case 'set16': { const at = m.at % b.length; b[at] = m.value >> 8; if (at + 1 < b.length) b[at + 1] = m.value & 0xff; break; }
    }
  }
  return b;
}

export const mutationArb: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ kind: fc.constant('truncate' as const), len: fc.nat() }),
    fc.record({ kind: fc.constant('set8' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 0x7f, 0x80, 0xff) }),
    fc.record({ kind: fc.constant('set16' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 0x7fff, 0x8000, 0xffff) }),
  ),
  { minLength: 1, maxLength: 4 },
);

const REFS = { firstSec: 0, firstNsec: 0, prevSec: NaN, prevNsec: 0, prevDispSec: NaN, prevDispNsec: 0 };

/** Dissect and render in every format; returns the JSON of the packet. Throws only on a real escape. */
export function dissectAll(engine: Engine, raw: RawPacket, num: number): string {
  const p = engine.dissect(raw, num, true);
  // the core turns a dissector's exception into an expert item so a capture goes
  // on; for fuzzing that item is the crash
  const bug = p.expert.find((e) => e.id === 'dissector.bug' || e.id === 'analysis.bug');
  if (bug) throw new Error(bug.message);
  treeText(p);
  summaryLine(p, REFS, { timeFormat: 'r', digits: 6 });
  const fast = engine.dissect(raw, num, false);
  summaryLine(fast, REFS, { timeFormat: 'r', digits: 6 });
  jsonPacket(p, 'x');
  return stableText(p);
}

/**
 * The packet's stateless decoding: every item but the frame block, generated items
 * (analysis across packets: echo matching, response times, reassembly references)
 * and expert items, which may rightly depend on the packets before.
 */
export function stableText(p: PacketInfo): string {
  const out: string[] = [];
  const walk = (it: Item, depth: number) => {
    if (it.generated || it.expert) return;
    if (depth > 0 || it.field?.abbrev !== 'frame') {
      out.push(`${depth} ${it.field?.abbrev ?? it.text} ${it.offset}+${it.length} ${it.field ? jsonValue(it.field, it.value) : ''}`);
      if (it.children) for (const c of it.children) walk(c, depth + 1);
    }
  };
  for (const top of p.tree?.children ?? []) walk(top, 0);
  return out.join('\n');
}

/** One case: the mutated packet, then an intact one whose dissection must not change. */
export function checkCase(t: Template, next: Template, ms: Mutation[]): void {
  const data = applyMutations(t.raw.data, ms);
  const raw: RawPacket = { ...t.raw, data, caplen: data.length, origlen: Math.max(t.raw.origlen, data.length) };
  const alone = dissectAll(new Engine(), next.raw, 2);
  const engine = new Engine();
  dissectAll(engine, raw, 1);
  const after = dissectAll(engine, next.raw, 2);
  // a fragment may rightly be reassembled with the (mutated) one before it, and TCP's
  // relative sequence numbers count from the first segment seen of the stream
  if (/^\d+ (ipv6\.fraghdr|tcp) /m.test(alone)) return;
  if (after !== alone) throw new Error(`packet after a mutated one decoded differently (${next.file} #${next.index + 1})`);
}
