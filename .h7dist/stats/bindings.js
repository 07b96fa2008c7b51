// -z mip6,bindings: a forensic timeline per home address: every BU/BA (and RR, BRR,
// BE) with frame numbers and times, care-of address history, lifetimes, accepted or
// rejected (BA status), verification verdicts and replays.
import { registerTap } from '../output/taps.js';
import { mobilityEvent, BA_STATUS } from './mip6events.js';
import { escapeText } from '../core/escape.js';
/** Group events by home address and derive the binding periods (BU, then the BA with that seq). */
export function buildTimelines(events) {
    const by = new Map();
    // a care-of address seen with a home address (HAO / RH2) names the owner of a BU
    // that came without one (malformed or cut)
    const owner = new Map();
    for (const e of events)
        if (e.hoa && e.coa && e.hoa !== e.coa && (e.type === 5 || e.type === 6))
            owner.set(e.coa, e.hoa);
    for (const e of events) {
        if (e.hoa && e.type === 5 && e.hoa === e.coa && owner.has(e.coa))
            e.hoa = owner.get(e.coa);
        if (!e.hoa)
            continue;
        let h = by.get(e.hoa);
        if (!h)
            by.set(e.hoa, (h = { hoa: e.hoa, events: [], periods: [], replays: [], rejected: [] }));
        h.events.push(e);
        if (e.expert.some((x) => x.id === 'seq.replay'))
            h.replays.push(e.frame);
    }
    for (const h of by.values()) {
        const pending = new Map(); // peer/seq -> period
        for (const e of h.events) {
            if (e.type === 5) {
                const dereg = !e.malformed && (e.lifetime === 0 || e.coa === h.hoa);
                const per = { coa: e.coa ?? '?', buFrame: e.frame, from: e.time, lifetime: e.lifetime, peer: e.dst, status: dereg ? 'deregistered' : 'pending' };
                h.periods.push(per);
                pending.set(`${e.dst}/${e.seq}`, per);
            }
            else if (e.type === 6) {
                let per = pending.get(`${e.src}/${e.seq}`);
                // a rejection (e.g. 135) carries the peer's sequence number: take the latest open BU to that peer
                if (!per)
                    per = [...pending.values()].reverse().find((q) => q.peer === e.src);
                const ok = e.status !== undefined && e.status < 128;
                if (!ok)
                    h.rejected.push(e.frame);
                if (per) {
                    if (per.status !== 'deregistered')
                        per.status = ok ? 'accepted' : 'rejected';
                    // an accepted binding (or deregistration) with a peer ends the previous one with it;
                    // an unanswered BU (e.g. a replay) ends nothing
                    if (ok)
                        for (const q of h.periods)
                            if (q !== per && q.peer === per.peer && q.until === undefined && q.status === 'accepted' && q.from <= per.from)
                                q.until = per.from;
                    per.acceptedFrame = e.frame;
                    if (e.lifetime !== undefined)
                        per.lifetime = e.lifetime;
                    for (const [k, q] of pending)
                        if (q === per)
                            pending.delete(k);
                }
            }
        }
    }
    return [...by.values()];
}
const RULE = '='.repeat(80);
registerTap({
    prefix: 'mip6,bindings',
    help: 'mip6,bindings: per home address: care-of address history, lifetimes, BA results, verdicts, replays',
    create() {
        const events = [];
        let t0 = NaN;
        return {
            packet(p) {
                if (Number.isNaN(t0)) {
                    const eng = p.data.engine;
                    t0 = eng ? eng.firstSec + eng.firstNsec / 1e9 : p.raw.tsSec + p.raw.tsNsec / 1e9;
                }
                const e = mobilityEvent(p);
                if (e)
                    events.push(e);
            },
            finish(out) {
                const rel = (t) => (t - t0).toFixed(6);
                out.line('');
                out.line(RULE);
                out.line('Mobile IPv6 bindings per home address');
                out.line(RULE);
                const tls = buildTimelines(events);
                if (!tls.length)
                    out.line('No Mobility Header messages.');
                for (const h of tls) {
                    out.line(`Home address ${h.hoa}`);
                    out.line(`  ${'Frame'.padStart(6)}  ${'Time'.padStart(11)}  ${'Msg'.padEnd(5)} ${'Peer'.padEnd(22)} ${'Care-of address'.padEnd(22)} ${'Seq'.padStart(5)} ${'Life'.padStart(6)}  Result`);
                    for (const e of h.events) {
                        const peer = e.type === 6 || e.type === 3 || e.type === 4 || e.type === 0 || e.type === 7 ? e.src : e.dst;
                        const res = [];
                        if (e.type === 6 && e.status !== undefined)
                            res.push(`${e.status < 128 ? 'accepted' : 'REJECTED'} (${e.status} ${BA_STATUS[e.status] ?? 'Unknown'})`);
                        if (e.type === 5 && !e.malformed && (e.lifetime === 0 || e.coa === h.hoa))
                            res.push('deregistration');
                        for (const [k, v] of Object.entries(e.verdicts))
                            res.push(`${k}=${v}`);
                        for (const x of e.expert)
                            if (x.severity !== 'chat')
                                res.push(`[${x.id}]`);
                        if (e.malformed)
                            res.push('[malformed]');
                        out.line(`  ${String(e.frame).padStart(6)}  ${rel(e.time).padStart(11)}  ${e.abbr.padEnd(5)} ${peer.padEnd(22)} ${(e.coa ?? '').padEnd(22)} ${(e.seq ?? '').toString().padStart(5)} ${(e.lifetime !== undefined ? e.lifetime + 's' : '').padStart(6)}  ${escapeText(res.join(' '))}`);
                    }
                    out.line('  Care-of address history:');
                    for (const b of h.periods) {
                        const exp = b.status === 'accepted' && b.lifetime ? b.from + b.lifetime : undefined;
                        const end = b.until !== undefined && (exp === undefined || b.until < exp) ? b.until : exp;
                        const span = `${rel(b.from)}${end !== undefined ? ' to ' + rel(end) + (end === exp ? ' (lifetime)' : '') : ''}`;
                        out.line(`    ${b.coa.padEnd(22)} with ${b.peer.padEnd(22)} ${b.status.padEnd(12)} BU frame ${b.buFrame}${b.acceptedFrame ? `, BA frame ${b.acceptedFrame}` : ''}${b.lifetime !== undefined ? `, lifetime ${b.lifetime}s` : ''}, from ${span}`);
                    }
                    if (h.rejected.length)
                        out.line(`  Rejected (BA status >= 128): frames ${h.rejected.join(', ')}`);
                    if (h.replays.length)
                        out.line(`  Replays (seq.replay): frames ${h.replays.join(', ')}`);
                    out.line('');
                }
                out.line(RULE);
            },
        };
    },
});
