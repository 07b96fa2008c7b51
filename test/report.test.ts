// report: one self-contained HTML file, rendered by headless Chromium. The DOM must
// hold the summary, the SVG timeline and ladder, the expert table and one <details>
// per packet; the hostile frame comment (<script>, <img onerror>) must stay text;
// only our own script (allowed by hash in the CSP) runs; nothing is fetched.
import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { run, FIXTURES, ROOT } from './util/cli.js';
import { haveTshark, tshark } from './util/tshark.js';

const PCAPNG = join(FIXTURES, 'analysis', 'mobility.pcapng');
const dir = mkdtempSync(join(tmpdir(), 'mip6scope-report-'));
const OUT = join(dir, 'report.html');
const SHOT_DIR = join(ROOT, 'dist', 'test-output');

function findChromium(): string | null {
  for (const c of ['chromium', 'chromium-browser', 'google-chrome']) {
    const r = spawnSync('sh', ['-c', `command -v ${c}`], { stdio: 'pipe' });
    if (r.status === 0) return r.stdout.toString().trim();
  }
  return null;
}
const CHROMIUM = findChromium();
if (!CHROMIUM) console.log('chromium not found (apt-get install -y chromium): skipping the rendered-DOM checks');

function chromium(args: string[]): string {
  const r = spawnSync(CHROMIUM!, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', `--user-data-dir=${mkdtempSync(join(tmpdir(), 'mip6scope-chromium-'))}`, ...args], { stdio: 'pipe', timeout: 60000, maxBuffer: 64 << 20 });
  return r.stdout.toString();
}

let html = '';
beforeAll(() => {
  const r = run(['report', '-r', PCAPNG, '-o', OUT]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  html = readFileSync(OUT, 'utf8');
});

describe('report HTML (static checks)', () => {
  it('is self-contained: no external URL, one script, a CSP that allows only that script', () => {
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:|\/\/)/i);
    expect(html).not.toMatch(/@import|url\((?!#)/i);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-[A-Za-z0-9+/=]+'"/);
  });
  it('escapes the hostile comment', () => {
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
  });
  it('with a keyring: verdict counts and the replayed BU are shown', () => {
    const r = run(['report', '-r', PCAPNG, '-o', '-', '-k', join(FIXTURES, 'analysis', 'empty-keyring.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Replays (seq.replay): <a href="#frame-19">19</a>');
    expect(r.stdout).toMatch(/<table id="verdicts">[\s\S]*?<td>ok<\/td>/);
    expect(r.stdout).toContain('keyring empty-keyring.json (keys are not shown)');
  });
  it('a missing keyring is one line and exit 2', () => {
    const r = run(['report', '-r', PCAPNG, '-o', '-', '-k', join(FIXTURES, 'analysis', 'no-such-keyring.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe.skipIf(!CHROMIUM)('report rendered in headless Chromium', () => {
  let dom = '';
  beforeAll(() => {
    dom = chromium(['--dump-dom', pathToFileURL(OUT).href]);
    mkdirSync(SHOT_DIR, { recursive: true });
    chromium(['--window-size=1300,2600', `--screenshot=${join(SHOT_DIR, 'report.png')}`, pathToFileURL(OUT).href]);
  }, 120000);
  it('renders, and our script ran (CSP hash matches)', () => {
    expect(dom).toContain('<html lang="en" data-ready="1">');
    expect(existsSync(join(SHOT_DIR, 'report.png'))).toBe(true);
  });
  it('the hostile comment stays inert text', () => {
    expect(dom.match(/<script/g)).toHaveLength(1);
    expect(dom).not.toMatch(/<img/i);
    expect(dom).toContain('&lt;script&gt;alert("x")&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
  });
  it('has the summary, timeline, ladder, expert table and one <details> per packet', () => {
    expect(dom).toMatch(/<th>Packets<\/th><td class="n">27<\/td>/);
    expect(dom).toMatch(/<th>Mobility Header messages<\/th><td class="n">22<\/td>/);
    expect(dom).toMatch(/<svg class="timeline"/);
    expect(dom).toMatch(/<svg class="ladder"/);
    expect(dom.match(/<details class="pkt[^"]*" id="frame-\d+">/g)).toHaveLength(27);
    expect(dom).toMatch(/<table id="expert-table">/);
    // BA status 135 is listed as a rejection, with its frame linked from the bindings table
    expect(dom).toMatch(/<tr class="error"><td>135 Sequence number out of window<\/td><td class="n">1<\/td><\/tr>/);
    expect(dom).toMatch(/<td>2001:db8:b1::200<\/td><td>2001:db8:1::1<\/td><td>rejected<\/td><td><a href="#frame-11">11<\/a><\/td><td><a href="#frame-12">12<\/a><\/td>/);
    // ladder arrows: one per MH packet, linked to its frame
    expect((dom.match(/<svg class="ladder"[\s\S]*?<\/svg>/)![0].match(/<a href="#frame-\d+">/g) ?? []).length).toBe(22);
  });
  it.skipIf(!haveTshark())('packet trees carry the same MH values as tshark', () => {
    const seqs = tshark(['-r', PCAPNG, '-Y', 'mip6.bu.seqnr', '-T', 'fields', '-e', 'frame.number', '-e', 'mip6.bu.seqnr']).trim().split('\n');
    for (const l of seqs) {
      const [f, s] = l.split('\t');
      const block = dom.slice(dom.indexOf(`id="frame-${f}"`), dom.indexOf('</details>\n<details class="pkt', dom.indexOf(`id="frame-${f}"`)) >>> 0);
      expect(block).toContain(`Sequence number: ${s}`);
    }
  });
});
