import { describe, it, expect } from 'vitest';
import { run, BIN, ROOT } from './util/cli.js';
import { spawnSync } from 'node:child_process';

describe('command line basics', () => {
  it('prints help and exits 0', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('-r, --read-file');
  });
  it('a missing file is one clear line and exit 2', () => {
    const r = run(['-r', 'no/such.pcap']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('no such file');
  });
  it('an unknown option is one line and exit 2', () => {
    const r = run(['--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
  it('the bin runs as a program (its #! line and mode), as npx mip6scope runs it', () => {
    const r = spawnSync(BIN, ['-r', 'fixtures/mipv6-rr-exchange.pcap'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout.toString()).toMatch(/^\s+1 .*MIPv6 110 Binding Update seq=4101/);
  });
});
