// npm run fuzz [-- CASES]: the property test's mutations for many cases (default
// 1,000,000); any crasher is written to fixtures/regressions/ as a one-packet pcap
// (with the intact packet after it) so the robustness test replays it forever.
import * as fs from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { loadPlugins } from '../core/plugins.js';
import { loadFixturePackets, checkCase, mutationArb, applyMutations } from './fuzzlib.js';
import { openWriter } from '../output/pcapwriter.js';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
async function main() {
    await loadPlugins();
    const cases = Number(process.argv[2] ?? 1000000);
    const packets = loadFixturePackets(root, 1000);
    console.log(`${packets.length} fixture packets, ${cases.toLocaleString('en')} cases`);
    const t0 = Date.now();
    let crashers = 0;
    const dir = join(root, 'fixtures', 'regressions');
    const batch = 10000;
    for (let done = 0; done < cases; done += batch) {
        const r = fc.check(fc.property(fc.nat(), fc.nat(), mutationArb, (i, j, ms) => checkCase(packets[i % packets.length], packets[j % packets.length], ms)), { numRuns: Math.min(batch, cases - done), seed: done + 1 });
        if (r.failed && r.counterexample) {
            const [i, j, ms] = r.counterexample;
            const t = packets[i % packets.length];
            const n = packets[j % packets.length];
            fs.mkdirSync(dir, { recursive: true });
            const file = join(dir, `crash-${Date.now()}-${crashers++}.pcap`);
            const w = openWriter(file, t.raw.linktype, true);
            const data = applyMutations(t.raw.data, ms);
            w.write({ ...t.raw, data, caplen: data.length, origlen: Math.max(data.length, t.raw.origlen) });
            if (n.raw.linktype === t.raw.linktype)
                w.write(n.raw);
            w.close();
            console.log(`crasher: ${file}: ${String(r.errorInstance)}`);
        }
        process.stdout.write(`\r${Math.min(done + batch, cases).toLocaleString('en')} cases, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    console.log(`\n${crashers} crasher${crashers === 1 ? '' : 's'}`);
    process.exitCode = crashers ? 1 : 0;
}
void main();
