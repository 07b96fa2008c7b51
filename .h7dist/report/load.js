// Read a whole capture for `flows` and `report`: two passes (so analyzers settle
// earlier frames, as tshark -2), an optional display filter, mobility events, and
// (for the report) the dissected packets themselves.
import { Engine } from '../core/engine.js';
import { openCapture, ReaderError } from '../readers/open.js';
import { mobilityEvent } from '../stats/mip6events.js';
import { loadKeyring, KeyringError } from '../keyring/index.js';
import { UsageError } from '../cli/errors.js';
import { escapeText } from '../core/escape.js';
export function loadCapture(file, o = {}) {
    let keyring;
    const keyringWarnings = [];
    if (o.keyringFile) {
        try {
            const k = loadKeyring(o.keyringFile);
            keyring = k.keyring;
            for (const w of k.warnings)
                keyringWarnings.push(`${w.severity}: ${w.message} [${w.id}]`);
        }
        catch (e) {
            if (e instanceof KeyringError)
                throw new UsageError(e.message);
            throw e;
        }
    }
    const engine = new Engine({ keyring, passes: 2 });
    const open = () => {
        try {
            return openCapture(file);
        }
        catch (e) {
            if (e instanceof ReaderError)
                throw new UsageError(e.message);
            throw e;
        }
    };
    // pass 1: let analyzers see everything (replays, tokens seen later)
    let cap = open();
    let n = 0;
    try {
        for (const raw of cap.packets)
            engine.dissect(raw, ++n, false);
    }
    catch (e) {
        if (!(e instanceof ReaderError))
            throw e;
    }
    cap.source.close();
    engine.endPass();
    engine.beginPass(2);
    cap = open();
    const out = { file, info: cap.info, packets: [], events: [], first: NaN, start: [0, 0], last: NaN, total: 0, shown: 0, bytes: 0, keyringWarnings };
    const wantTree = (!!o.filter && o.filter.needsTree !== false) || !!o.keepPackets;
    const limit = o.keepLimit ?? Infinity;
    n = 0;
    try {
        for (const raw of cap.packets) {
            n++;
            const t = raw.tsSec + raw.tsNsec / 1e9;
            if (Number.isNaN(out.first)) {
                out.first = t;
                out.start = [raw.tsSec, raw.tsNsec];
            }
            out.last = t;
            out.total++;
            const p = engine.dissect(raw, n, wantTree);
            if (o.filter && !o.filter(p))
                continue;
            out.shown++;
            out.bytes += raw.origlen;
            const ev = mobilityEvent(p);
            if (ev)
                out.events.push(ev);
            if (o.keepPackets && out.packets.length < limit)
                out.packets.push(p);
        }
    }
    catch (e) {
        if (!(e instanceof ReaderError))
            throw e;
        out.readError = escapeText(e.message);
    }
    cap.source.close();
    engine.endPass();
    return out;
}
