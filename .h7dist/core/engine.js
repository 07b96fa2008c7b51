// The one-way pipeline for a packet: frame -> link (table `wtap_encap`) -> ... ->
// analyzers (stateful, run after stateless dissection, like Wireshark's
// post-dissectors). An Engine holds the per-run state: capture times, analyzers,
// key material.
import { Tvb } from './tvb.js';
import { Item } from './tree.js';
import { PacketInfo } from './packet.js';
import { getHandle, callDissector } from './tables.js';
const factories = [];
export function registerAnalyzer(f) {
    factories.push(f);
    factories.sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}
export class Engine {
    opts;
    firstSec = NaN;
    firstNsec = 0;
    prevSec = NaN;
    prevNsec = 0;
    analyzers = [];
    pass = 1;
    /** items the analyzers attach to earlier frames on a later pass, by frame number */
    lateExpert = new Map();
    /** shared state any module may hang off the engine (by module name) */
    state = Object.create(null);
    constructor(opts = {}) {
        this.opts = opts;
        for (const f of factories) {
            const a = f.create(this);
            if (a)
                this.analyzers.push({ name: f.name, a });
        }
    }
    /** Start a new pass over the same capture (two-pass analysis). */
    beginPass(pass) {
        this.pass = pass;
        this.firstSec = NaN;
        this.prevSec = NaN;
    }
    endPass() {
        for (const { a } of this.analyzers)
            a.finish?.(this.pass);
    }
    dissect(raw, num, wantTree) {
        const pinfo = new PacketInfo(num, raw, this.pass);
        if (Number.isNaN(this.firstSec)) {
            this.firstSec = raw.tsSec;
            this.firstNsec = raw.tsNsec;
        }
        pinfo.data.engine = this;
        const root = wantTree ? new Item(null, 0, raw.data.length, null, '') : null;
        pinfo.tree = root;
        const tvb = new Tvb(raw.data, raw.data.length, Math.max(raw.origlen, raw.data.length));
        const frame = getHandle('frame');
        if (frame)
            callDissector(frame, tvb, 0, pinfo, root);
        for (const { a } of this.analyzers) {
            try {
                a.packet(pinfo, root);
            }
            catch (e) {
                pinfo.addExpert('error', 'analysis.bug', `Analysis error: ${e.message}`, root);
            }
        }
        const late = this.lateExpert.get(num);
        if (late && this.pass > 1)
            for (const e of late)
                pinfo.addExpert(e.severity, e.id, e.message, root, e.group);
        this.prevSec = raw.tsSec;
        this.prevNsec = raw.tsNsec;
        return pinfo;
    }
}
