// Terminal safety (no control characters or escape sequences from packets, captures
// or arguments reach any output) and the progress bar (stderr, large files, only
// when stderr and stdout are terminals).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, FIXTURES, BIN } from './util/cli.js';
import { progressWanted, Progress, PROGRESS_MIN_SIZE } from '../output/progress.js';

const HOSTILE = join(FIXTURES, 'output', 'hostile.pcapng');
const ECHO = join(FIXTURES, 'output', 'echo.pcap');

// C0 (but tab and newline), DEL, C1, bidi overrides and isolates, line/paragraph separators
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function assertSafe(s: string, what: string): void {
  const m = UNSAFE.exec(s);
  if (m) throw new Error(`${what}: raw U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m.index}: ${JSON.stringify(s.slice(Math.max(0, m.index - 30), m.index + 30))}`);
}

/** every string value of a parsed JSON document */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) {
    out.push(k);
    strings(x, out);
  }
  return out;
}

let tmp = '';
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mip6scope-term-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('terminal safety: hostile strings through every output path', () => {
  const fieldList = () => {
    const g = run(['-G', 'fields']).stdout;
    const fs = ['frame.comment', 'frame.interface_name', '_ws.col.Info', '_ws.col.Protocol', '_ws.col.Source', '_ws.expert.message'];
    // the MN identifier (RFC 4283) carries ESC[2J in the fixture, once the MH dissector defines it
    if (g.includes('\tmip6.mnid.identifier\t')) fs.push('mip6.mnid.identifier');
    return fs.flatMap((f) => ['-e', f]);
  };
  const cases: Array<[string, () => string[]]> = [
    ['summary', () => []],
    ['-V', () => ['-V']],
    ['-V -x', () => ['-V', '-x']],
    ['-O frame,pkt_comment', () => ['-O', 'frame,pkt_comment']],
    ['-T fields', () => ['-T', 'fields', ...fieldList(), '-E', 'header=y']],
    ['-T json', () => ['-T', 'json']],
    ['-T json --no-duplicate-keys', () => ['-T', 'json', '--no-duplicate-keys']],
    ['-T ek', () => ['-T', 'ek']],
    ['-z expert', () => ['-q', '-z', 'expert']],
    ['-z mip6,msgs', () => ['-q', '-z', 'mip6,msgs']],
    ['-z mip6,bindings', () => ['-q', '-z', 'mip6,bindings']],
    ['-z conv,ipv6', () => ['-q', '-z', 'conv,ipv6']],
  ];
  for (const [name, args] of cases) {
    it(`${name}: no raw control or bidi characters`, () => {
      const r = run(['-r', HOSTILE, ...args()]);
      if (name.startsWith('-z') && r.code !== 0) return; // statistics module not present yet
      expect(r.code, r.stderr).toBe(0);
      if (!name.startsWith('-z')) expect(r.stdout.length).toBeGreaterThan(0);
      assertSafe(r.stdout, `${name} stdout`);
      assertSafe(r.stderr, `${name} stderr`);
      if (name.startsWith('-T json')) for (const s of strings(JSON.parse(r.stdout))) assertSafe(s, `${name} value`);
      if (name === '-T ek') for (const l of r.stdout.trim().split('\n')) for (const s of strings(JSON.parse(l))) assertSafe(s, 'ek value');
    });
  }

  for (const cmd of [['flows'], ['verify'], ['verify', '--json']]) {
    it(`subcommand ${cmd.join(' ')}: no raw control or bidi characters`, () => {
      const r = run([cmd[0]!, '-r', HOSTILE, ...cmd.slice(1)]);
      if (/unknown command/.test(r.stderr)) return; // subcommand not present in this build
      assertSafe(r.stdout, `${cmd.join(' ')} stdout`);
      assertSafe(r.stderr, `${cmd.join(' ')} stderr`);
    });
  }

  it('the hostile text is shown escaped, not dropped', () => {
    const v = run(['-r', HOSTILE, '-V']).stdout;
    // pcapng comment of packet 2: ESC [ 2 J "cleared"
    expect(v).toContain('\\x1b[2Jcleared');
    // interface name: ESC [2J, OSC title ending in BEL, a right-to-left override
    expect(v).toContain('ev\\x1b[2Jil\\x1b]0;pwned\\x07\\u202efi');
    const f = run(['-r', HOSTILE, '-T', 'fields', '-e', 'frame.comment']).stdout.split('\n');
    expect(f[1]).toBe('\\x1b[2Jcleared');
    if (v.includes('Mobile Node Identifier')) expect(v).toContain('mn\\x1b[2J\\x1b[H@example.net');
  });

  it('colour on (--color always): only our own SGR sequences, packet text still escaped', () => {
    const r = run(['-r', HOSTILE, '-V', '--color', 'always']);
    expect(r.code).toBe(0);
    const plain = r.stdout.replace(/\x1b\[[0-9;]*m/g, '');
    assertSafe(plain, '-V --color always');
    expect(r.stdout).not.toContain('\x1b[2J');
    expect(r.stdout).not.toContain('\x1b]');
  });

  it('colour off when NO_COLOR is set or stdout is not a terminal', () => {
    const r = run(['-r', ECHO, '-V']);
    expect(r.stdout).not.toContain('\x1b');
    const r2 = run(['-r', ECHO, '-V', '--color', 'auto'], { env: { NO_COLOR: '1' } });
    expect(r2.stdout).not.toContain('\x1b');
  });

  it('error messages quoting file names and arguments are escaped', () => {
    const evilName = join(tmp, 'evil\x1b[2J\x1b]0;t\x07\u202e.pcap');
    const r1 = run(['-r', evilName]);
    expect(r1.code).toBe(2);
    assertSafe(r1.stderr, 'missing file');
    expect(r1.stderr).toContain('evil\\x1b[2J');
    writeFileSync(evilName, 'not a capture at all');
    const r2 = run(['-r', evilName]);
    expect(r2.code).toBe(2);
    assertSafe(r2.stderr, 'not a capture');
    const r3 = run(['-r', ECHO, '-T', 'fields', '-e', 'bogus\x1b[2J\x9b1m']);
    expect(r3.code).toBe(2);
    assertSafe(r3.stderr, '-e');
    const r4 = run(['-r', ECHO, '-Y', 'ipv6.src == "\x1b[2J" &&& \x07']);
    expect(r4.code).toBe(2);
    assertSafe(r4.stderr, '-Y');
    const r5 = run(['-G', 'x\x1b[2J']);
    expect(r5.code).toBe(2);
    assertSafe(r5.stderr, '-G');
    const r6 = run(['--bogus\x1b[2J']);
    expect(r6.code).toBe(2);
    assertSafe(r6.stderr, 'unknown option');
  });
});

describe('progress bar', () => {
  it('is wanted only for large files with stderr and stdout on terminals, without --no-progress', () => {
    const big = PROGRESS_MIN_SIZE + 1;
    const env = { TERM: 'xterm' };
    expect(progressWanted({ enabled: true, size: big, stderrTTY: true, stdoutTTY: true, env })).toBe(true);
    expect(progressWanted({ enabled: false, size: big, stderrTTY: true, stdoutTTY: true, env })).toBe(false);
    expect(progressWanted({ enabled: true, size: big, stderrTTY: true, stdoutTTY: false, env })).toBe(false);
    expect(progressWanted({ enabled: true, size: big, stderrTTY: false, stdoutTTY: true, env })).toBe(false);
    expect(progressWanted({ enabled: true, size: 1000, stderrTTY: true, stdoutTTY: true, env })).toBe(false);
    expect(progressWanted({ enabled: true, size: big, stderrTTY: true, stdoutTTY: true, stdin: true, env })).toBe(false);
    expect(progressWanted({ enabled: true, size: big, stderrTTY: true, stdoutTTY: true, env: { TERM: 'dumb' } })).toBe(false);
  });

  it('draws a bounded bar, throttled, and clears its line when done', () => {
    const w: string[] = [];
    const p = new Progress(100 * 1048576, (s) => w.push(s), 80);
    p.update(50 * 1048576, 1000);
    p.update(60 * 1048576, 1200); // within the redraw interval: not drawn
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^\r\x1b\[K\[#+\.+\]  50% 50\.0 MB\/100\.0 MB 1000 pkts/);
    expect(w[0]!.length).toBeLessThanOrEqual(80 + 4);
    p.done();
    expect(w[w.length - 1]).toBe('\r\x1b[K');
  });

  describe('with a capture larger than the threshold', () => {
    let big = '';
    beforeAll(() => {
      // repeat the fixture's first record until the file passes the threshold
      const src = readFileSync(ECHO);
      const rec = src.subarray(24, 24 + 16 + 76);
      const n = Math.ceil((PROGRESS_MIN_SIZE + 65536) / rec.length);
      const out = Buffer.alloc(24 + n * rec.length);
      src.copy(out, 0, 0, 24);
      for (let i = 0; i < n; i++) rec.copy(out, 24 + i * rec.length);
      big = join(tmp, 'big.pcap');
      writeFileSync(big, out);
    });

    it('never draws into pipes (stdout and stderr piped)', () => {
      const r = run(['-r', big, '-q']);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      const r2 = run(['-r', big, '-T', 'fields', '-e', 'frame.number', '-c', '50000']);
      expect(r2.stderr).toBe('');
    });

    const haveScript = existsSync('/usr/bin/script');
    (haveScript ? it : it.skip)('draws on a terminal, not with --no-progress, not when stdout is a file', () => {
      const sh = (cmd: string) => spawnSync('script', ['-qfec', cmd, '/dev/null'], { env: { ...process.env, TERM: 'xterm', NO_COLOR: '1', CI: '' }, encoding: 'utf8', timeout: 60000 }).stdout;
      const node = JSON.stringify(process.execPath);
      const bin = JSON.stringify(BIN);
      const file = JSON.stringify(big);
      expect(sh(`${node} ${bin} -r ${file} -q`)).toMatch(/\[#*\.*\] +\d+% /);
      expect(sh(`${node} ${bin} -r ${file} -q --no-progress`)).not.toMatch(/\d+% /);
      const outFile = join(tmp, 'out.txt');
      expect(sh(`${node} ${bin} -r ${file} -T fields -e frame.number > ${JSON.stringify(outFile)}`)).not.toMatch(/\d+% /);
      expect(readFileSync(outFile, 'utf8')).not.toContain('\x1b');
    });
  });
});
