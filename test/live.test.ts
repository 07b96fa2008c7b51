// Live capture and replay on the loopback interface (needs root and the optional
// `cap` package): capture while `replay` sends a crafted capture, then check what
// was decoded and written. Skipped, with the reason printed, when not possible.
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
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

/** Capture on lo with `args` while `send` runs; resolves when the capture stops by itself. */
async function captureWhile(args: string[], send: () => void, started?: (pid: number) => void): Promise<{ code: number; stdout: string; stderr: string }> {
  // only our crafted traffic (2001:db8::/32), whatever else lo carries
  const child = spawn(process.execPath, [BIN, '-i', 'lo', '-f', 'ip6 and net 2001:db8::/32', ...args], { env: { ...process.env, NO_COLOR: '1' } });
  started?.(child.pid!);
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
  send();
  const code = await new Promise<number>((res) => child.on('exit', (c) => res(c ?? -1)));
  return { code, stdout, stderr };
}

describe('live capture and replay', () => {
  it.skipIf(!!reason)('captures on lo what replay sends, shows it and writes pcapng', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'mip6scope-live-'));
    const crafted = join(tmp, 'rr.pcap');
    expect(run(['craft', join(FIXTURES, 'craft', 'rr-exchange.json'), '-w', crafted]).code).toBe(0);
    const outFile = join(tmp, 'live.pcapng');
    // -P: print while writing, as tshark (-w alone prints nothing)
    const r = await captureWhile(['-a', 'duration:6', '-w', outFile, '-P', '-T', 'fields', '-e', 'frame.number', '-e', 'ipv6.nxt'], () => {
      const rep = run(['replay', '-r', crafted, '-i', 'lo', '--pps', '100']);
      expect(rep.code).toBe(0);
      expect(rep.stderr).toContain('11 packets sent');
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/11 packets captured/);
    expect(r.stdout.trim().split('\n')).toHaveLength(11);
    expect(existsSync(outFile)).toBe(true);
    if (haveTshark()) {
      const types = tshark(['-r', outFile, '-T', 'fields', '-e', 'mip6.mhtype']).trim().split('\n');
      expect(types).toEqual(['5', '6', '1', '2', '3', '4', '5', '6', '0', '5', '7']);
    }
  }, 30000);

  it.skipIf(!!reason)('Ctrl-C (SIGINT) stops the capture, flushes the pcapng and prints the totals', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'mip6scope-live-'));
    const crafted = join(tmp, 'rr.pcap');
    expect(run(['craft', join(FIXTURES, 'craft', 'rr-exchange.json'), '-w', crafted]).code).toBe(0);
    const outFile = join(tmp, 'int.pcapng');
    let pid = 0;
    // no -a / -c: only the signal ends it
    const r = await captureWhile(['-w', outFile], () => {
      expect(run(['replay', '-r', crafted, '-i', 'lo', '--pps', '200']).code).toBe(0);
      setTimeout(() => process.kill(pid, 'SIGINT'), 500);
    }, (p) => (pid = p));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/11 packets captured/);
    // the file is complete and readable: the same 11 MH types
    const back = run(['-r', outFile, '-T', 'fields', '-e', 'mip6.mhtype']);
    expect(back.code).toBe(0);
    expect(back.stdout.trim().split('\n')).toEqual(['5', '6', '1', '2', '3', '4', '5', '6', '0', '5', '7']);
  }, 30000);

  it.skipIf(!!reason)('verifies live (-k) what craft built: the CBU flow checks out, the MAC broken on purpose fails', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'mip6scope-live-'));
    const crafted = join(tmp, 'fig2.pcap');
    expect(run(['craft', join(FIXTURES, 'craft', 'cbu-fig2.json'), '-w', crafted]).code).toBe(0);
    const keyring = join(FIXTURES, 'craft', 'cbu-keyring.json');
    const cols = ['-T', 'fields', '-e', 'frame.number', '-e', 'mip6.verify.mac', '-e', 'mip6.verify.sig_ha', '-e', 'mip6.verify.sig_cn', '-e', 'mip6.verify.sealed_decrypt'];
    const r = await captureWhile(['-a', 'duration:6', '-k', keyring, ...cols], () => {
      expect(run(['replay', '-r', crafted, '-i', 'lo', '--pps', '100']).code).toBe(0);
    });
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(rows).toHaveLength(14);
    const verdicts = rows.flatMap((c) => c.slice(1).filter(Boolean));
    // SIG_HA, SIG_CN, four Sealed fields (REQ, REP, REQ_KEY, NEWKEY) and five MACs
    // verify; the last BU's MAC is broken on purpose
    expect(verdicts.filter((v) => v === 'ok')).toHaveLength(11);
    expect(rows[13]![1]).toBe('fail');
    expect(verdicts.filter((v) => v === 'fail')).toHaveLength(1);
    // the same verdicts as reading the crafted file
    expect(r.stdout).toBe(run(['-r', crafted, '-k', keyring, ...cols]).stdout);
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

