// SVG drawings for the HTML report: the bindings timeline (one lane per home
// address, one bar per binding period) and the signalling ladder. Every text from a
// packet goes through escapeHtml; frame marks link to the packet's <details>.
import { escapeHtml } from '../core/escape.js';
const esc = (s) => escapeHtml(s);
const COLORS = ['#4e79a7', '#59a14f', '#9c755f', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#bab0ac'];
/** Bindings timeline: x = seconds since the first frame; bars = care-of address periods. */
export function timelineSvg(tls, t0, t1) {
    const left = 190, right = 30, lane = 54, top = 30;
    const W = 1000;
    const span = Math.max(1e-6, t1 - t0);
    const X = (t) => left + ((Math.min(Math.max(t, t0), t1) - t0) / span) * (W - left - right);
    // one bar row per peer (HA, CN, ...) inside each home address lane
    const peersOf = tls.map((h) => [...new Set(h.periods.map((b) => b.peer))]);
    const laneH = peersOf.map((ps) => Math.max(lane, 40 + ps.length * 22));
    const laneY = [];
    laneH.reduce((y, hgt, i) => ((laneY[i] = y), y + hgt), top);
    const H = top + laneH.reduce((a, b) => a + b, 0) + 30;
    const out = [`<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Bindings timeline">`];
    // axis with ~8 ticks
    const step = niceStep(span / 8);
    for (let s = 0; s <= span + 1e-9; s += step) {
        const x = X(t0 + s);
        out.push(`<line x1="${x.toFixed(1)}" y1="${top - 8}" x2="${x.toFixed(1)}" y2="${H - 24}" class="grid"/><text x="${x.toFixed(1)}" y="${H - 8}" class="tick">${trim(s)}s</text>`);
    }
    const coaColor = new Map();
    tls.forEach((h, i) => {
        const y = laneY[i];
        const peers = peersOf[i];
        const markY = y + 18 + peers.length * 22 + 8;
        out.push(`<text x="8" y="${y + 12}" class="lane">${esc(h.hoa)}</text>`);
        peers.forEach((peer, k) => out.push(`<text x="8" y="${y + 31 + k * 22}" class="peer">with ${esc(peer)}</text>`));
        for (const b of h.periods) {
            if (b.status === 'rejected' || b.status === 'deregistered')
                continue;
            let c = coaColor.get(b.coa);
            if (!c)
                coaColor.set(b.coa, (c = COLORS[coaColor.size % COLORS.length]));
            const exp = b.status === 'accepted' && b.lifetime ? b.from + b.lifetime : undefined;
            const end = b.until !== undefined && (exp === undefined || b.until < exp) ? b.until : exp ?? b.from;
            const x1 = X(b.from), x2 = Math.max(X(end), x1 + 3);
            const by = y + 18 + peers.indexOf(b.peer) * 22;
            const cls = b.status === 'pending' ? 'bar pending' : 'bar';
            out.push(`<g><title>${esc(`${b.coa} with ${b.peer}: ${b.status}, BU frame ${b.buFrame}${b.acceptedFrame ? ', BA frame ' + b.acceptedFrame : ''}${b.lifetime !== undefined ? ', lifetime ' + b.lifetime + 's' : ''}`)}</title>` +
                `<rect x="${x1.toFixed(1)}" y="${by}" width="${(x2 - x1).toFixed(1)}" height="18" rx="3" class="${cls}" fill="${c}"/>` +
                (x2 - x1 >= b.coa.length * 6.2 + 8 ? `<text x="${(x1 + 4).toFixed(1)}" y="${by + 13}" class="barlabel">${esc(b.coa)}</text>` : '') + '</g>');
        }
        for (const e of h.events) {
            const x = X(e.time);
            const bad = e.malformed || (e.type === 6 && (e.status ?? 0) >= 128) || e.expert.some((z) => z.severity === 'error') || Object.values(e.verdicts).includes('fail');
            const replay = e.expert.some((z) => z.id === 'seq.replay');
            const cls = bad ? 'mark bad' : replay ? 'mark replay' : e.type === 6 ? 'mark ok' : 'mark';
            const shape = e.type === 6 ? `<rect x="${(x - 4).toFixed(1)}" y="${markY - 4}" width="8" height="8" class="${cls}"/>` : `<circle cx="${x.toFixed(1)}" cy="${markY}" r="4" class="${cls}"/>`;
            out.push(`<a href="#frame-${e.frame}"><g><title>${esc(`frame ${e.frame}: ${e.abbr}${e.seq !== undefined ? ' seq ' + e.seq : ''}${e.status !== undefined ? ' status ' + e.status : ''}${replay ? ' (replay)' : ''}${bad ? ' (problem)' : ''}`)}</title>${shape}</g></a>`);
        }
    });
    out.push('</svg>');
    return out.join('\n');
}
/** The ladder: hosts as columns, one arrow per message (red when rejected, malformed or failed). */
export function ladderSvg(l) {
    const colW = 190, left = 120, top = 56, row = 26;
    const W = left + Math.max(1, l.hosts.length) * colW;
    const H = top + l.edges.length * row + 20;
    const X = (i) => left + i * colW + colW / 2;
    const idx = new Map(l.hosts.map((h, i) => [h.id, i]));
    const out = [`<svg class="ladder" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" role="img" aria-label="Signalling ladder">`,
        '<defs><marker id="ah" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>'];
    l.hosts.forEach((h, i) => {
        out.push(`<text x="${X(i)}" y="18" class="host">${esc(h.role === 'MN' ? h.name + ' (HoA)' : h.name)}</text><text x="${X(i)}" y="36" class="hostaddr">${esc(h.detail)}</text>` +
            `<line x1="${X(i)}" y1="${top - 12}" x2="${X(i)}" y2="${H - 6}" class="life"/>`);
    });
    l.edges.forEach((e, k) => {
        const y = top + k * row + 12;
        const a = idx.get(e.from), b = idx.get(e.to);
        const cls = e.ok ? 'arrow' : 'arrow bad';
        out.push(`<a href="#frame-${e.frame}"><g><title>${esc(`frame ${e.frame}: ${e.src} → ${e.dst}`)}</title>` +
            `<text x="6" y="${y + 4}" class="ltime">${e.time.toFixed(3)}  #${e.frame}</text>` +
            (a === b
                ? `<path d="M${X(a)},${y - 6} h30 v12 h-30" class="${cls}" fill="none" marker-end="url(#ah)"/>`
                : `<line x1="${X(a)}" y1="${y}" x2="${X(b)}" y2="${y}" class="${cls}" marker-end="url(#ah)"/>`) +
            `<text x="${((X(a) + X(b)) / 2 + (a === b ? 40 : 0)).toFixed(1)}" y="${y - 4}" class="alabel${e.ok ? '' : ' bad'}">${esc(e.label)}</text></g></a>`);
    });
    out.push('</svg>');
    return out.join('\n');
}
function niceStep(x) {
    const p = 10 ** Math.floor(Math.log10(Math.max(x, 1e-6)));
    for (const m of [1, 2, 5, 10])
        if (m * p >= x)
            return m * p;
    return 10 * p;
}
function trim(n) {
    return Number(n.toFixed(3)).toString();
}
