// -w: the displayed packets written as pcap / pcapng read back by tshark with the
// same frame count, times, lengths and bytes as tshark's own -Y selection.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { haveTshark, tshark } from './util/tshark.js';
import { run, FIXTURES, BIN } from './util/cli.js';

const PCAPNG = join(FIXTURES, 'analysis', 'mobility.pcapng');
const PCAP = join(FIXTURES, 'analysis', 'mobility.pcap');
const HAS_TSHARK = haveTshark();
if (!HAS_TSHARK) console.log('tshark not found: skipping the -w read-back comparisons');
const dir = mkdtempSync(join(tmpdir(), 'mip6scope-w-'));

const FIELDS = ['-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.protocols'];
/** tshark's view of a capture: per frame time, lengths, protocols and the bytes in hex */
function view(file: string, filter?: string): string[] {
  return tshark(['-r', file, ...(filter ? ['-Y', filter] : []), ...FIELDS]).trimEnd().split('\n');
}
/** raw packet bytes as tshark sees them (-T ek has frame_raw with -x) */
function bytesOf(file: string, filter?: string): string[] {
  const out = tshark(['-r', file, ...(filter ? ['-Y', filter] : []), '-T', 'ek', '-x']);
  return out.split('\n').filter((l) => l.includes('"frame_raw"')).map((l) => /"frame_raw":"([0-9a-f]+)"/.exec(l)?.[1] ?? '');
}

describe('-w', () => {
  const cases: Array<[string, string, string]> = [
    ['pcap from pcapng', PCAPNG, 'mipv6 && ipv6.nxt == 43'],
    ['pcapng from pcap', PCAP, 'frame.len > 80 or icmpv6'],
    ['pcap from pcap', PCAP, 'mip6.bu.seqnr >= 101'],
  ];
  for (const [name, src, filter] of cases) {
    it.skipIf(!HAS_TSHARK)(`${name}: ${filter}`, () => {
      const out = join(dir, name.replace(/ /g, '_') + (name.startsWith('pcapng') ? '.pcapng' : '.pcap'));
      const r = run(['-r', src, '-Y', filter, '-w', out]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(''); // like tshark, -w prints no packet lines
      const expected = view(src, filter);
      expect(expected.length).toBeGreaterThan(1);
      expect(view(out)).toEqual(expected);
      expect(bytesOf(out)).toEqual(bytesOf(src, filter));
      const magic = readFileSync(out).readUInt32LE(0);
      expect(magic).toBe(out.endsWith('.pcapng') ? 0x0a0d0d0a : 0xa1b2c3d4);
    });
  }
  it.skipIf(!HAS_TSHARK)('-w - writes only the capture to stdout (statistics go to stderr)', () => {
    const r = spawnSync(process.execPath, [BIN, '-r', PCAPNG, '-Y', 'mipv6', '-w', '-', '-z', 'mip6,msgs'], { env: { ...process.env, TZ: 'UTC' } });
    expect(r.status).toBe(0);
    const out = join(dir, 'stdout.pcap');
    writeFileSync(out, r.stdout);
    expect(view(out)).toEqual(view(PCAPNG, 'mipv6'));
    expect(r.stderr.toString()).toContain('Mobile IPv6 messages');
  });
  it.skipIf(!HAS_TSHARK)('no matching packet still gives a valid empty capture', () => {
    const out = join(dir, 'empty.pcap');
    const r = run(['-r', PCAP, '-Y', 'frame.len > 9000', '-w', out]);
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out).length).toBe(24);
    expect(tshark(['-r', out])).toBe('');
  });
  it('an unwritable path is one line and exit 2 before reading', () => {
    const r = run(['-r', PCAP, '-w', join(dir, 'no', 'such', 'dir.pcap')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot write .*no such directory/);
  });
});
