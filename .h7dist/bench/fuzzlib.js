// Mutation fuzzing shared by the CI property test and `npm run fuzz`: every fixture
// packet is mutated (byte flips, truncation, length-like fields forced to 0 or
// max), dissected with a tree and printed in every format; nothing may escape, and
// the intact packet dissected after it must come out exactly as it does alone.
import * as fs from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Engine } from '../core/engine.js';
import { openCapture } from '../readers/open.js';
import { jsonPacket } from '../output/json.js';
import { treeText } from '../output/text.js';
import { summaryLine } from '../output/summary.js';
export function fixtureFiles(root) {
    const out = [];
    const walk = (d) => {
        for (const n of fs.readdirSync(d).sort()) {
            const p = join(d, n);
            if (fs.statSync(p).isDirectory())
                walk(p);
            else if (/\.(pcap|pcapng)$/.test(n))
                out.push(p);
        }
    };
    walk(join(root, 'fixtures'));
    return out;
}
export function loadFixturePackets(root, maxPerFile = 64) {
    const out = [];
    for (const f of fixtureFiles(root)) {
        try {
            const cap = openCapture(f);
            let i = 0;
            for (const p of cap.packets) {
                out.push({ file: f, index: i, raw: { ...p, data: Buffer.from(p.data) } });
                if (++i >= maxPerFile)
                    break;
            }
            cap.source.close();
        }
        catch {
            /* hostile and broken fixtures are read up to their fault */
        }
    }
    return out;
}
export function applyMutations(data, ms) {
    let b = Buffer.from(data);
    for (const m of ms) {
        if (b.length === 0)
            break;
        switch (m.kind) {
            case 'flip':
                b[m.at % b.length] ^= m.mask || 1;
                break;
            case 'truncate':
                b = b.subarray(0, m.len % (b.length + 1));
                break;
            case 'set8':
                b[m.at % b.length] = m.value;
                break;
            case 'set16': {
                const at = m.at % b.length;
                b[at] = m.value >> 8;
                if (at + 1 < b.length)
                    b[at + 1] = m.value & 0xff;
                break;
            }
        }
    }
    return b;
}
export const mutationArb = fc.array(fc.oneof(fc.record({ kind: fc.constant('flip'), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }), fc.record({ kind: fc.constant('truncate'), len: fc.nat() }), fc.record({ kind: fc.constant('set8'), at: fc.nat(), value: fc.constantFrom(0, 1, 0x7f, 0x80, 0xff) }), fc.record({ kind: fc.constant('set16'), at: fc.nat(), value: fc.constantFrom(0, 1, 0x7fff, 0x8000, 0xffff) })), { minLength: 1, maxLength: 4 });
const REFS = { firstSec: 0, firstNsec: 0, prevSec: NaN, prevNsec: 0, prevDispSec: NaN, prevDispNsec: 0 };
/** Dissect and render in every format; returns the JSON of the packet. Throws only on a real escape. */
export function dissectAll(engine, raw, num) {
    const p = engine.dissect(raw, num, true);
    // the core turns a dissector's exception into an expert item so a capture goes
    // on; for fuzzing that item is the crash
    const bug = p.expert.find((e) => e.id === 'dissector.bug' || e.id === 'analysis.bug');
    if (bug)
        throw new Error(bug.message);
    treeText(p);
    summaryLine(p, REFS, { timeFormat: 'r', digits: 6 });
    const fast = engine.dissect(raw, num, false);
    summaryLine(fast, REFS, { timeFormat: 'r', digits: 6 });
    return jsonPacket(p, 'x').replace(/"frame\.[^"]*": "[^"]*",?\n/g, '');
}
/** One case: the mutated packet, then an intact one whose dissection must not change. */
export function checkCase(t, next, ms) {
    const data = applyMutations(t.raw.data, ms);
    const raw = { ...t.raw, data, caplen: data.length, origlen: Math.max(t.raw.origlen, data.length) };
    const alone = dissectAll(new Engine(), next.raw, 2);
    const engine = new Engine();
    dissectAll(engine, raw, 1);
    const after = dissectAll(engine, next.raw, 2);
    if (after !== alone) {
        // stateful analysis may legitimately react to the previous packet; only the
        // stateless layers must be identical: compare without expert items
        const strip = (s) => s.replace(/"_ws\.expert": \{[^}]*\}/g, '').replace(/\s+/g, '');
        if (strip(after) !== strip(alone))
            throw new Error(`packet after a mutated one decoded differently (${next.file} #${next.index + 1})`);
    }
}
