// The command line as a user runs it: summary columns and -t formats against
// tshark on the same files, -c, -r - (also a slow pipe), bad files (one line,
// exit 2, the good frames first), --color auto|always|never and NO_COLOR.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { run, BIN, FIXTURES } from './util/cli.js';
import { haveTshark, tshark } from './util/tshark.js';

const DIR = join(FIXTURES, 'readers');
const BAD = join(DIR, 'bad');
const HAVE = haveTshark();
if (!HAVE) console.log('tshark not installed: column comparisons with tshark skipped');

const lines = (s: string) => s.replace(/\n$/, '').split('\n').filter((l) => l !== '');

/**
 * The columns this area owns, cut from a tshark-style line: everything left of the
 * arrow (No., Time, Source with their padding), the padded Destination, and Length.
 * Protocol and Info come from the upper-layer dissectors and are tested there.
 */
function cols(line: string): { left: string; dst: string; len: string } {
  const i = line.indexOf(' → ');
  const left = line.slice(0, i);
  const right = line.slice(i + 3);
  const sp = right.indexOf(' ');
  const w = right.startsWith(' ') || sp < 0 ? 12 : Math.max(12, sp);
  const dst = right.slice(0, w);
  const m = /^(\S*) (\d+) /.exec(right.slice(w + 1) + ' ');
  return { left, dst, len: m ? m[2]! : `?${right}` };
}

const FILES = ['pcap_us_le.pcap', 'pcap_ns_be.pcap', 'pcap_snaplen.pcap', 'pcap_fcs.pcap', 'eth_trailer.pcap', 'vlan.pcap', 'sll.pcap', 'sll2.pcap', 'null.pcap', 'loop.pcap', 'raw101.pcap', 'raw229.pcap', 'unknown_linktype.pcap', 'ng_tsresol.pcapng', 'ng_sections.pcapng'];
const FORMATS = ['r', 'a', 'ad', 'adoy', 'd', 'dd', 'e', 'u', 'ud', 'udoy'];

describe('summary columns match tshark', () => {
  for (const f of FILES) {
    it.skipIf(!HAVE)(`${f}: every -t format`, () => {
      const path = join(DIR, f);
      for (const t of FORMATS) {
        const want = lines(tshark(['-n', '-r', path, '-t', t])).map(cols);
        const r = run(['-r', path, '-t', t]);
        expect(r.code, r.stderr).toBe(0);
        expect(lines(r.stdout).map(cols), `${f} -t ${t}`).toEqual(want);
      }
    });
  }
  it.skipIf(!HAVE)('a frame cut inside Ethernet: the whole line as tshark prints it', () => {
    const path = join(DIR, 'pcap_snaplen.pcap');
    expect(lines(run(['-r', path]).stdout)[3]).toBe(lines(tshark(['-n', '-r', path]))[3]);
  });
  it('times from the generator: ns pcap 9 digits, µs 6, pcapng per interface, SPB blank', () => {
    expect(lines(run(['-r', join(DIR, 'pcap_ns_le.pcap'), '-t', 'e']).stdout).map((l) => l.slice(6, 26).trim())).toEqual(['1700000000.999999123', '1700000001.000001456', '1700000003.500000789']);
    expect(lines(run(['-r', join(DIR, 'pcap_us_le.pcap'), '-t', 'ud']).stdout)[1]!.slice(6, 32)).toBe('2023-11-14 22:13:21.000001');
    const ng = lines(run(['-r', join(DIR, 'ng_tsresol.pcapng'), '-t', 'r']).stdout).map((l) => l.slice(6).trim().split(/\s+/)[0]);
    // ns: 9 digits; 2^-20: 6; 10^-3 with offset: 3 (before the first frame: negative)
    expect(ng.slice(0, 3)).toEqual(['0.000000000', '0.618289', '-0.081']);
    expect(lines(run(['-r', join(DIR, 'ng_sections.pcapng')]).stdout)[4]!.slice(0, 18)).toBe('    5             ');
  });
  it('-c N stops after N packets', () => {
    expect(lines(run(['-r', join(DIR, 'null.pcap'), '-c', '3']).stdout)).toHaveLength(3);
    expect(run(['-r', join(DIR, 'null.pcap'), '-c', '0']).code).toBe(2);
  });
});

describe('reading', () => {
  it('-r - reads standard input (pcap and pcapng)', () => {
    for (const f of ['pcap_ns_le.pcap', 'ng_sections.pcapng']) {
      const path = join(DIR, f);
      const fromFile = run(['-r', path]).stdout;
      const r = run(['-r', '-'], { input: readFileSync(path) });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(fromFile);
    }
  });
  it('-r - from a pipe that delivers slowly', () => {
    const path = join(DIR, 'ng_sections.pcapng');
    const r = spawnSync('bash', ['-c', `{ head -c 100 "${path}"; sleep 0.3; tail -c +101 "${path}" | head -c 300; sleep 0.3; tail -c +401 "${path}"; } | "${process.execPath}" "${BIN}" -r -`], { env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' } });
    expect(r.status).toBe(0);
    expect(r.stdout.toString()).toBe(run(['-r', path]).stdout);
  });
  it('-r - from a named FIFO whose writer has finished (standard input is not opened again there)', () => {
    const path = join(DIR, 'ng_sections.pcapng');
    const dir = mkdtempSync(join(tmpdir(), 'mip6scope-fifo-'));
    const fifo = join(dir, 'in');
    // the writer finishes long before node has started; opening the FIFO again would wait for another
    const r = spawnSync('bash', ['-c', `mkfifo "${fifo}" && { cat "${path}" > "${fifo}" & } && "${process.execPath}" "${BIN}" -r - < "${fifo}"`], { env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' }, timeout: 20000 });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout.toString()).toBe(run(['-r', path]).stdout);
  });
  it('a file that is not a capture: one line, exit 2', () => {
    const r = run(['-r', join(BAD, 'not_a_capture.txt')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/not a capture file/);
  });
  for (const [f, off] of [['truncated_last.pcap', 279], ['garbage_after3.pcap', 279], ['truncated_header.pcap', 279], ['truncated_last.pcapng', 588]] as const) {
    it(`${f}: the good frames, then one line naming offset ${off}, exit 2`, () => {
      const r = run(['-r', join(BAD, f)]);
      expect(r.code).toBe(2);
      expect(lines(r.stdout)).toHaveLength(3);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toContain(`offset ${off}`);
      expect(r.stderr).toContain('after 3 frames');
    });
  }
  for (const f of ['hostile_caplen.pcap', 'hostile_blocklen.pcapng', 'hostile_ifid.pcapng', 'empty.pcap', 'short_header.pcap']) {
    it(`${f}: a clear error, exit 2`, () => {
      const r = run(['-r', join(BAD, f)]);
      expect(r.code).toBe(2);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).not.toMatch(/internal error|at .*\.js/);
    });
  }
  it('packet comments are escaped in -V output', () => {
    const r = run(['-r', join(DIR, 'ng_basic_le.pcapng'), '-V', '-c', '2']);
    expect(r.stdout).not.toContain('\x1b');
    expect(r.stdout).toContain('bad \\x1b[31mred\\x1b[0m\\nline');
  });
});

describe('--color', () => {
  const ESC = '\x1b[';
  const cut = join(DIR, 'pcap_snaplen.pcap');
  it('never: no escapes', () => {
    expect(run(['-r', cut, '--color', 'never'], { env: { NO_COLOR: '' } }).stdout).not.toContain(ESC);
  });
  it('always: colours even into a pipe, and over NO_COLOR', () => {
    expect(run(['-r', cut, '--color', 'always'], { env: { NO_COLOR: '' } }).stdout).toContain(ESC);
    expect(run(['-r', cut, '--color', 'always'], { env: { NO_COLOR: '1' } }).stdout).toContain(ESC);
  });
  it('auto: none into a pipe', () => {
    expect(run(['-r', cut], { env: { NO_COLOR: '' } }).stdout).not.toContain(ESC);
  });
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('auto on a terminal: colour, unless NO_COLOR is set', () => {
    const onTty = (noColor: string | undefined) => {
      const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'UTC', TERM: 'xterm' };
      delete env.NO_COLOR;
      if (noColor !== undefined) env.NO_COLOR = noColor;
      const r = spawnSync('script', ['-qec', `"${process.execPath}" "${BIN}" -r "${cut}"`, '/dev/null'], { env });
      return r.stdout.toString();
    };
    expect(onTty(undefined)).toContain(ESC);
    expect(onTty('1')).not.toContain(ESC);
    expect(onTty('')).toContain(ESC);
  });
});
