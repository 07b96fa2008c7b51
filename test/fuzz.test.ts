// Property test (issue 11): every fixture packet, mutated a bounded number of times,
// never lets an exception escape and never changes how the next packet decodes.
import { describe, it, beforeAll } from 'vitest';
import fc from 'fast-check';
import { ready } from './util/dissect.js';
import { ROOT } from './util/cli.js';
import { loadFixturePackets, checkCase, mutationArb, type Template } from '../bench/fuzzlib.js';

let packets: Template[] = [];
beforeAll(async () => {
  await ready();
  packets = loadFixturePackets(ROOT, 16);
});

describe('mutation fuzzing of every fixture packet', () => {
  it('no exception escapes and the following packet decodes unchanged', () => {
    if (packets.length === 0) throw new Error('no fixture packets found');
    fc.assert(
      fc.property(fc.nat(), fc.nat(), mutationArb, (i, j, ms) => {
        checkCase(packets[i % packets.length]!, packets[j % packets.length]!, ms);
      }),
      { numRuns: 1500, seed: 42 },
    );
  }, 120000);
});
