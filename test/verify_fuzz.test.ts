// Bad input never breaks the analysis: mutated BU/BA/HoT/CoT frames go through one
// engine (state carried between them) with a keyring; the analyzer must never
// throw (the engine would flag "analysis.bug") and every frame is dissected.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './util/cli.js';
import { ready, raw } from './util/dissect.js';
import { Engine } from '../core/engine.js';
import { loadKeyring } from '../keyring/index.js';
import { openCapture } from '../readers/open.js';

function frames(name: string): Buffer[] {
  const cap = openCapture(join(FIXTURES, 'verify', name));
  const out = [...cap.packets].map((p) => Buffer.from(p.data));
  cap.source.close();
  return out;
}

describe('analysis survives mutated signalling', () => {
  it('no analysis.bug over random byte changes, cuts and reorderings', async () => {
    await ready();
    const pool = [...frames('static.pcap'), ...frames('rr.pcap')];
    const keyring = {
      ...loadKeyring(join(FIXTURES, 'verify', 'static.keyring.json')).keyring,
      rr: loadKeyring(join(FIXTURES, 'verify', 'rr.keyring.json')).keyring.rr,
    };
    const mutation = fc.record({
      pick: fc.nat(pool.length - 1),
      edits: fc.array(fc.tuple(fc.nat(200), fc.nat(255)), { maxLength: 4 }),
      cut: fc.nat(40),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 12 }), fc.boolean(), (ms, twoPass) => {
        const pkts = ms.map((m) => {
          const b = Buffer.from(pool[m.pick]!);
          // only the IPv6 part and beyond (offset 14+), so the frame stays IPv6
          for (const [at, v] of m.edits) b[14 + (at % Math.max(1, b.length - 14))] = v;
          return b.subarray(0, Math.max(15, b.length - m.cut));
        });
        const engine = new Engine({ keyring, passes: twoPass ? 2 : 1, showKeys: true });
        for (let pass = 1; pass <= (twoPass ? 2 : 1); pass++) {
          if (pass === 2) engine.beginPass(2);
          pkts.forEach((p, i) => {
            const pi = engine.dissect(raw(p), i + 1, true);
            const bug = pi.expert.find((e) => e.id === 'analysis.bug');
            expect(bug?.message).toBeUndefined();
          });
          engine.endPass();
        }
      }),
      { seed: 6275, numRuns: 400 },
    );
  });
});
