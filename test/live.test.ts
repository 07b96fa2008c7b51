// Live capture and replay on the loopback interface (needs root and the optional
// `cap` package): capture while `replay` sends a crafted capture, then check what
// was decoded and written. Skipped, with the reason printed, when not possible.
import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { BIN, FIXTURES, run } from './util/cli.js';
import { haveTshark, tshark } from './util/tshark.js';

function liveReason(): string | null {
  if (process.getuid?.() !== 0) return 'not root: live capture on lo needs root';
  try {
    createRequire(import.meta.url)('cap');
  } catch (e) {
    return `the optional "cap" package is not built: ${(e as Error).message.split('\n')[0]}`;
  }
  return null;
}

const reason = liveReason();
if (reason) console.log(`live capture tests skipped: ${reason}`);

describe('live capture and replay', () => {
  it.skipIf(!!reason)('captures on lo what replay sends, shows it and writes pcapng', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'mip6scope-live-'));
    const crafted = join(tmp, 'rr.pcap');
    expect(run(['craft', join(FIXTURES, 'craft', 'rr-exchange.json'), '-w', crafted]).code).toBe(0);
    const outFile = join(tmp, 'live.pcapng');
    // -P: print while writing, as tshark (-w alone prints nothing)
    // only Mobility Header traffic (direct, behind ext headers, or tunnelled) in the 2001:db8::/32 range
    const bpf = 'ip6 and net 2001:db8::/32';
    const child = spawn(process.execPath, [BIN, '-i', 'lo', '-f', bpf, '-a', 'duration:6', '-w', outFile, '-P', '-T', 'fields', '-e', 'frame.number', '-e', 'ipv6.nxt'], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((res) => {
      const t = setInterval(() => {
        if (stderr.includes('Capturing on')) {
          clearInterval(t);
          res();
        }
      }, 50);
    });
    await new Promise((r) => setTimeout(r, 500));
    const rep = run(['replay', '-r', crafted, '-i', 'lo', '--pps', '100']);
    expect(rep.code).toBe(0);
    expect(rep.stderr).toContain('11 packets sent');
    const code = await new Promise<number>((res) => child.on('exit', (c) => res(c ?? -1)));
    expect(code).toBe(0);
    expect(stderr).toMatch(/11 packets captured/);
    expect(stdout.trim().split('\n')).toHaveLength(11);
    expect(existsSync(outFile)).toBe(true);
    if (haveTshark()) {
      const types = tshark(['-r', outFile, '-T', 'fields', '-e', 'mip6.mhtype']).trim().split('\n');
      expect(types).toEqual(['5', '6', '1', '2', '3', '4', '5', '6', '0', '5', '7']);
    }
  }, 30000);

  it.skipIf(!!reason)('a device that does not exist is one clear line, exit 2', () => {
    const r = run(['-i', 'no-such-if0', '-a', 'duration:1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('no-such-if0');
  });

  it('lists interfaces with -D (or explains why it cannot)', () => {
    const r = run(['-D']);
    if (reason && reason.startsWith('the optional')) {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('cap');
    } else {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/\blo\b/);
    }
  });
});

void spawnSync;
