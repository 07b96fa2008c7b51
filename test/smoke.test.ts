import { describe, it, expect } from 'vitest';
import { run } from './util/cli.js';

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
});
