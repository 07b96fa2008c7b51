// craft builds RFC 6275 signalling; an independent Python checker (hmac/hashlib,
// written from RFC 6275 5.2.5 and 6.1.1) and tshark judge what it wrote.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, FIXTURES } from './util/cli.js';
import { haveTshark, tshark } from './util/tshark.js';

const tmp = mkdtempSync(join(tmpdir(), 'mip6scope-craft-'));

function check(pcap: string, keyring: string): any[] {
  const r = spawnSync('python3', [join(FIXTURES, 'gen', 'check_mh.py'), pcap, keyring], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

describe('craft', () => {
  const rrOut = join(tmp, 'rr.pcap');
  it('builds the RR exchange with right checksums, keygen tokens and authenticators', () => {
    const r = run(['craft', join(FIXTURES, 'craft', 'rr-exchange.json'), '-w', rrOut]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const res = check(rrOut, join(FIXTURES, 'craft', 'rr-keyring.json'));
    expect(res.map((x) => x.mhtype)).toEqual([5, 6, 1, 2, 3, 4, 5, 6, 0, 5, 7]);
    expect(res.every((x) => x.checksum_ok)).toBe(true);
    expect(res[4].token_ok).toBe(true); // HoT home keygen token
    expect(res[5].token_ok).toBe(true); // CoT care-of keygen token
    expect(res[6].authenticator_ok).toBe(true); // BU to CN
    expect(res[7].authenticator_ok).toBe(true); // its BA
    expect(res[9].authenticator_ok).toBe(false); // broken on purpose (override)
  });

  it('static Kcn: wrap 65535 -> 0, alternate CoA and deregistration from home verify', () => {
    const out = join(tmp, 'static.pcap');
    const r = run(['craft', join(FIXTURES, 'craft', 'static-kcn.json'), '-w', out]);
    expect(r.code).toBe(0);
    const kr = join(tmp, 'static-kr.json');
    writeFileSync(kr, JSON.stringify(JSON.parse(readFileSync(join(FIXTURES, 'craft', 'static-kcn.json'), 'utf8')).keyring));
    const res = check(out, kr);
    expect(res).toHaveLength(6);
    expect(res.every((x) => x.checksum_ok && x.authenticator_ok)).toBe(true);
  });

  it.skipIf(!haveTshark())('tshark decodes every crafted message without a malformed mark', () => {
    const all = tshark(['-r', rrOut, '-T', 'fields', '-e', 'mip6.mhtype']).trim().split('\n');
    expect(all).toEqual(['5', '6', '1', '2', '3', '4', '5', '6', '0', '5', '7']);
    const bad = tshark(['-r', rrOut, '-Y', '_ws.malformed || _ws.expert.severity >= warning']).trim();
    expect(bad).toBe('');
  });

  it('mip6scope verify accepts what craft wrote, except the packet broken on purpose', () => {
    const r = run(['verify', '-r', rrOut, '-k', join(FIXTURES, 'craft', 'rr-keyring.json'), '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    const auth = doc.frames.map((f: any) => f.verify.authenticator ?? null);
    expect(auth).toEqual([null, null, null, null, null, null, 'ok', 'ok', null, 'fail', null]);
    expect(doc.frames.every((f: any) => f.verify.mh_checksum === 'ok')).toBe(true);
    expect(doc.frames[4].verify.home_keygen_token).toBe('ok');
    expect(doc.frames[5].verify.care_of_keygen_token).toBe('ok');
    const st = join(tmp, 'static2.pcap');
    expect(run(['craft', join(FIXTURES, 'craft', 'static-kcn.json'), '-w', st]).code).toBe(0);
    const kr = join(tmp, 'static-kr2.json');
    writeFileSync(kr, JSON.stringify(JSON.parse(readFileSync(join(FIXTURES, 'craft', 'static-kcn.json'), 'utf8')).keyring));
    const v = run(['verify', '-r', st, '-k', kr, '--json']);
    expect(v.code).toBe(0);
    const d2 = JSON.parse(v.stdout);
    expect(d2.totals.fail).toBe(0);
    expect(d2.frames.map((f: any) => f.verify.authenticator)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
  });

  it('writes to standard output with -w -', () => {
    const r = spawnSync(process.execPath, [join(FIXTURES, '..', 'dist', 'bin', 'mip6scope.js'), 'craft', join(FIXTURES, 'craft', 'rr-exchange.json'), '-w', '-']);
    expect(r.status).toBe(0);
    expect(r.stdout.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(r.stdout.equals(readFileSync(rrOut))).toBe(true);
  });

  it('a bad scenario is one line naming the place, exit 2', () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ hosts: { mn: { hoa: '2001:db8::1', coa: '2001:db8::2' } }, packets: [{ msg: 'BU', from: 'mn', to: 'nobody' }] }));
    const r = run(['craft', bad, '-w', join(tmp, 'x.pcap')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('packets[0].to: unknown host "nobody"');
    const r2 = run(['craft', join(tmp, 'missing.json'), '-w', join(tmp, 'x.pcap')]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('no such file');
  });

  it('--list names every message family and option kind; a missing scenario or -w is one line, exit 2', () => {
    const r = run(['craft', '--list']);
    expect(r.code).toBe(0);
    const [msgs, opts] = r.stdout.trim().split('\n').map((l) => l.split(' ').slice(1));
    for (const m of ['BRR', 'HoTI', 'CoTI', 'HoT', 'CoT', 'BU', 'BA', 'BE', 'KER', 'KEA', 'Finished', 'RA', 'NS', 'NA', 'CBU-REQ', 'CBU-REP_Cert']) expect(msgs).toContain(m);
    for (const o of ['pad1', 'padn', 'bra', 'acoa', 'ni', 'bad', 'raw', 'cookie', 'finreq']) expect(opts).toContain(o);
    for (const args of [['craft'], ['craft', join(FIXTURES, 'craft', 'rr-exchange.json')]]) {
      const x = run(args);
      expect(x.code).toBe(2);
      expect(x.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
