// Bad scenarios never crash craft: every example scenario, with values replaced
// at random places (wrong types, out-of-range numbers, bad hex, unknown names,
// removed members), either crafts or fails with a ScenarioError (one clear line,
// exit 2 in the CLI) — never another exception.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { FIXTURES } from './util/cli.js';
import { parseScenario, ScenarioError } from '../craft/scenario.js';
import { craft } from '../craft/build.js';

const DIR = join(FIXTURES, 'craft');
const SCENARIOS = ['rr-exchange.json', 'static-kcn.json', 'lke-exchange.json', 'cookie-test.json', 'cbu-fig2.json', 'cbu-hmip.json', 'cbu-twomn.json'];

function load(name: string): { doc: any; keyring: any } {
  const doc = JSON.parse(readFileSync(join(DIR, name), 'utf8'));
  const keyring = typeof doc.keyring === 'string' ? JSON.parse(readFileSync(join(DIR, doc.keyring), 'utf8')) : undefined;
  return { doc, keyring };
}

/** Every path to a value inside `v` (objects and arrays). */
function paths(v: unknown, at: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const p = [...at, Array.isArray(v) ? Number(k) : k];
      out.push(p);
      paths(x, p, out);
    }
  }
  return out;
}

const junk = fc.oneof(
  fc.constant(null), fc.constant(undefined), fc.constant(-1), fc.constant(65536), fc.constant(1e300), fc.constant(0.5),
  fc.constant(''), fc.constant('zz'), fc.constant('0x'), fc.constant('fe80::1'), fc.constant('2001:db8::1'), fc.constant('nobody'),
  fc.constant([]), fc.constant({}), fc.constant(true), fc.string({ maxLength: 8 }), fc.integer(), fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b).toString('hex')),
);

describe('craft never crashes on a bad scenario', () => {
  it('every example scenario crafts as shipped', async () => {
    for (const name of SCENARIOS) {
      const { doc, keyring } = load(name);
      const pk = await craft(parseScenario(doc, keyring, dirname(join(DIR, name))));
      expect(pk.length, name).toBe(doc.packets.length);
    }
  });

  it('random values at random places: crafted, or a ScenarioError', async () => {
    const docs = SCENARIOS.map((n) => ({ n, ...load(n) }));
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(fc.tuple(fc.nat(), junk, fc.boolean()), { minLength: 1, maxLength: 3 }), async (i, edits) => {
        const d = docs[i % docs.length]!;
        const doc = structuredClone(d.doc);
        for (const [j, value, remove] of edits) {
          const ps = paths(doc);
          const p = ps[j % ps.length]!;
          let o: any = doc;
          for (const k of p.slice(0, -1)) o = o[k];
          const last = p[p.length - 1]!;
          if (remove && !Array.isArray(o)) delete o[last];
          else o[last] = value;
        }
        try {
          await craft(parseScenario(doc, d.keyring, DIR));
        } catch (e) {
          if (!(e instanceof ScenarioError)) throw new Error(`${d.n}: ${(e as Error).stack}\nedits ${JSON.stringify(edits)}`);
          expect((e as Error).message).not.toContain('\n');
        }
      }),
      { numRuns: 400, seed: 11 },
    );
  }, 240000);
});
