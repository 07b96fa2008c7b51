// The three forms of the verify report: readable text, the JSON document of
// spec §8, and JUnit XML for CI. Strings from packets arrive escaped.
import type { Expert } from '../../core/expert.js';
import { escapeHtml } from '../../core/escape.js';
import type { Verdict } from '../../verify/api.js';

export interface FrameReport {
  frame: number;
  time: string;
  summary: string;
  verify: Record<string, Verdict>;
  expert: Array<{ severity: string; id: string; message: string }>;
  /** derived material, only with --show-keys */
  keys: Array<{ name: string; hex: string }>;
}

export interface Totals {
  frames: number;
  ok: number;
  fail: number;
  unverifiable: number;
  error: number;
  warning: number;
  note: number;
}

/** ISO 8601 UTC with microseconds: 2024-01-01T00:00:00.000000Z */
export function isoTime(sec: number, nsec: number): string {
  return new Date(sec * 1000).toISOString().slice(0, 19) + '.' + String(Math.floor(nsec / 1000)).padStart(6, '0') + 'Z';
}

const q = (s: unknown) => JSON.stringify(s);

export interface ReportOptions {
  showKeys: boolean;
  failOnWarning: boolean;
}

/**
 * The text or JSON report a frame at a time: head, one piece per frame, tail.
 * verify writes the pieces as it goes, so memory stays flat on large captures;
 * textReport/jsonReport below are the same pieces joined.
 */
export class ReportStream {
  private frames = 0;
  private shown = 0;

  constructor(private json: boolean, private capture: string, private keyring: Expert[], private o: ReportOptions) {}

  head(): string {
    if (this.json) {
      const kr = this.keyring.map((w) => `{"severity": ${q(w.severity)}, "id": ${q(w.id)}, "message": ${q(w.message)}}`);
      return `{"capture": ${q(this.capture)},\n "keyring": [${kr.join(', ')}],\n "frames": [\n`;
    }
    let s = `Verification of ${this.capture}\n`;
    for (const w of this.keyring) s += `keyring ${w.severity}: ${w.message} [${w.id}]\n`;
    return s;
  }

  frame(f: FrameReport): string {
    if (this.json) {
      const v = Object.entries(f.verify).map(([k, x]) => `${q(k)}: ${q(x)}`).join(', ');
      const e = f.expert.map((x) => `{"severity": ${q(x.severity)}, "id": ${q(x.id)}, "message": ${q(x.message)}}`).join(', ');
      const keys = f.keys.length ? `, "keys": {${f.keys.map((k) => `${q(k.name)}: ${q(k.hex)}`).join(', ')}}` : '';
      return (this.frames++ ? ',\n' : '') + `  {"frame": ${f.frame}, "time": ${q(f.time)}, "summary": ${q(f.summary)},\n   "verify": {${v}},\n   "expert": [${e}]${keys}}`;
    }
    this.frames++;
    const vs = Object.entries(f.verify);
    if (!vs.length && !f.expert.length) return '';
    this.shown++;
    let s = `\nFrame ${f.frame}  ${f.time}  ${f.summary}\n`;
    for (const [n, v] of vs) s += `    ${n}: ${v}\n`;
    for (const e of f.expert) s += `    ${SEV[e.severity] ?? e.severity}: ${e.message} [${e.id}]\n`;
    if (this.o.showKeys) for (const k of f.keys) s += `    key: ${k.name} = ${k.hex}\n`;
    return s;
  }

  tail(t: Totals): string {
    if (this.json) {
      return `\n ],\n "totals": {"frames": ${t.frames}, "ok": ${t.ok}, "fail": ${t.fail}, "unverifiable": ${t.unverifiable}, "error": ${t.error}, "warning": ${t.warning}, "note": ${t.note}}}\n`;
    }
    let s = this.shown ? '' : '\nNo frame carries anything to verify.\n';
    const failed = t.fail > 0 || t.error > 0 || (this.o.failOnWarning && (t.warning > 0 || this.keyring.some((w) => w.severity === 'warning')));
    s += `\nFrames: ${t.frames}\n`;
    s += `Verifications: ${t.ok} ok, ${t.fail} failed, ${t.unverifiable} unverifiable\n`;
    s += `Expert items: ${t.error} error${t.error === 1 ? '' : 's'}, ${t.warning} warning${t.warning === 1 ? '' : 's'}, ${t.note} note${t.note === 1 ? '' : 's'}\n`;
    s += `Result: ${failed ? 'FAIL' : 'PASS'}\n`;
    return s;
  }
}

const SEV: Record<string, string> = { error: 'Error', warning: 'Warning', note: 'Note', chat: 'Chat' };

function wholeReport(r: ReportStream, frames: FrameReport[], t: Totals): string {
  let s = r.head();
  for (const f of frames) s += r.frame(f);
  return s + r.tail(t);
}

export function jsonReport(capture: string, keyring: Expert[], frames: FrameReport[], t: Totals): string {
  return wholeReport(new ReportStream(true, capture, keyring, { showKeys: false, failOnWarning: false }), frames, t);
}

export function textReport(capture: string, keyring: Expert[], frames: FrameReport[], t: Totals, o: ReportOptions): string {
  return wholeReport(new ReportStream(false, capture, keyring, o), frames, t);
}

/** true when a frame can appear in the JUnit XML (a verification or an expert item) */
export function junitRelevant(f: FrameReport): boolean {
  return f.expert.length > 0 || Object.keys(f.verify).length > 0;
}

const x = (s: string) => escapeHtml(s);

export function junitXml(capture: string, keyring: Expert[], frames: FrameReport[], failOnWarning: boolean): string {
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const w of keyring) {
    const fails = failOnWarning && w.severity === 'warning';
    if (fails) failures++;
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
      } else if (v !== 'ok') {
        skipped++;
        body = `<skipped message="${v === 'unverifiable' ? 'unverifiable: key material missing' : 'not checked'}"/>`;
      }
      cases.push(`    <testcase classname="${cls}" name="${x(n)}">${body}</testcase>`);
    }
    // expert findings that fail the run without being a verification (seq.replay with --fail-on warning, mh.malformed)
    for (const e of f.expert) {
      if (e.id.startsWith('verify.')) continue;
      if (!(e.severity === 'error' || (failOnWarning && e.severity === 'warning'))) continue;
      failures++;
      cases.push(`    <testcase classname="${cls}" name="${x(e.id)}"><failure type="${x(e.id)}" message="${x(e.message)}">${x(f.summary)}</failure></testcase>`);
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="mip6scope verify" tests="${cases.length}" failures="${failures}" skipped="${skipped}">\n  <testsuite name="${x(capture)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" errors="0">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}
