import { escapeHtml } from '../../core/escape.js';
/** ISO 8601 UTC with microseconds: 2024-01-01T00:00:00.000000Z */
export function isoTime(sec, nsec) {
    return new Date(sec * 1000).toISOString().slice(0, 19) + '.' + String(Math.floor(nsec / 1000)).padStart(6, '0') + 'Z';
}
const q = (s) => JSON.stringify(s);
export function jsonReport(capture, keyring, frames, t) {
    const kr = keyring.map((w) => `{"severity": ${q(w.severity)}, "id": ${q(w.id)}, "message": ${q(w.message)}}`);
    const fr = frames.map((f) => {
        const v = Object.entries(f.verify).map(([k, x]) => `${q(k)}: ${q(x)}`).join(', ');
        const e = f.expert.map((x) => `{"severity": ${q(x.severity)}, "id": ${q(x.id)}, "message": ${q(x.message)}}`).join(', ');
        const keys = f.keys.length ? `, "keys": {${f.keys.map((k) => `${q(k.name)}: ${q(k.hex)}`).join(', ')}}` : '';
        return `  {"frame": ${f.frame}, "time": ${q(f.time)}, "summary": ${q(f.summary)},\n   "verify": {${v}},\n   "expert": [${e}]${keys}}`;
    });
    return `{"capture": ${q(capture)},\n "keyring": [${kr.join(', ')}],\n "frames": [\n${fr.join(',\n')}\n ],\n "totals": {"frames": ${t.frames}, "ok": ${t.ok}, "fail": ${t.fail}, "unverifiable": ${t.unverifiable}, "error": ${t.error}, "warning": ${t.warning}, "note": ${t.note}}}\n`;
}
const SEV = { error: 'Error', warning: 'Warning', note: 'Note', chat: 'Chat' };
export function textReport(capture, keyring, frames, t, o) {
    const out = [`Verification of ${capture}`];
    for (const w of keyring)
        out.push(`keyring ${w.severity}: ${w.message} [${w.id}]`);
    let shown = 0;
    for (const f of frames) {
        const vs = Object.entries(f.verify);
        if (!vs.length && !f.expert.length)
            continue;
        shown++;
        out.push('', `Frame ${f.frame}  ${f.time}  ${f.summary}`);
        for (const [n, v] of vs)
            out.push(`    ${n}: ${v}`);
        for (const e of f.expert)
            out.push(`    ${SEV[e.severity] ?? e.severity}: ${e.message} [${e.id}]`);
        if (o.showKeys)
            for (const k of f.keys)
                out.push(`    key: ${k.name} = ${k.hex}`);
    }
    if (!shown)
        out.push('', 'No frame carries anything to verify.');
    const failed = t.fail > 0 || t.error > 0 || (o.failOnWarning && (t.warning > 0 || keyring.some((w) => w.severity === 'warning')));
    out.push('', `Frames: ${t.frames}`, `Verifications: ${t.ok} ok, ${t.fail} failed, ${t.unverifiable} unverifiable`, `Expert items: ${t.error} error${t.error === 1 ? '' : 's'}, ${t.warning} warning${t.warning === 1 ? '' : 's'}, ${t.note} note${t.note === 1 ? '' : 's'}`, `Result: ${failed ? 'FAIL' : 'PASS'}`);
    return out.join('\n') + '\n';
}
const x = (s) => escapeHtml(s);
export function junitXml(capture, keyring, frames, failOnWarning) {
    const cases = [];
    let failures = 0;
    let skipped = 0;
    for (const w of keyring) {
        const fails = failOnWarning && w.severity === 'warning';
        if (fails)
            failures++;
        cases.push(`    <testcase classname="keyring" name="${x(w.id)}">${fails ? `<failure type="${x(w.id)}" message="${x(w.message)}"/>` : `<system-out>${x(w.message)}</system-out>`}</testcase>`);
    }
    for (const f of frames) {
        const cls = `frame.${f.frame}`;
        for (const [n, v] of Object.entries(f.verify)) {
            let body = '';
            if (v === 'fail') {
                failures++;
                const msg = f.expert.find((e) => e.id === `verify.${n}`)?.message ?? `${n} failed`;
                body = `<failure type="verify.${x(n)}" message="${x(msg)}">${x(f.summary)}</failure>`;
            }
            else if (v !== 'ok') {
                skipped++;
                body = `<skipped message="${v === 'unverifiable' ? 'unverifiable: key material missing' : 'not checked'}"/>`;
            }
            cases.push(`    <testcase classname="${cls}" name="${x(n)}">${body}</testcase>`);
        }
        // expert findings that fail the run without being a verification (seq.replay with --fail-on warning, mh.malformed)
        for (const e of f.expert) {
            if (e.id.startsWith('verify.'))
                continue;
            if (!(e.severity === 'error' || (failOnWarning && e.severity === 'warning')))
                continue;
            failures++;
            cases.push(`    <testcase classname="${cls}" name="${x(e.id)}"><failure type="${x(e.id)}" message="${x(e.message)}">${x(f.summary)}</failure></testcase>`);
        }
    }
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="mip6scope verify" tests="${cases.length}" failures="${failures}" skipped="${skipped}">\n  <testsuite name="${x(capture)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" errors="0">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}
