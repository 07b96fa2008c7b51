// Keyring (spec §6): validation of every section, one-line errors naming the
// entry with exit 2 before any packet, the duplicate-Kcn warning once.
// Fixtures and key values come from fixtures/gen/verify.py.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, FIXTURES } from './util/cli.js';
import { parseKeyring, loadKeyring, KeyringError } from '../keyring/index.js';
import { validateKeyring } from '../keyring/validate.js';

const DIR = join(FIXTURES, 'verify');
const BAD = join(DIR, 'bad');
const PCAP = join(DIR, 'static.pcap');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));

/** Each bad keyring and the one line it must produce (after `keyring "<path>": `). */
const BAD_CASES: Array<[string, string]> = [
  ['kcn_short', 'staticKbm[1].kcn: 12 octets, at least 20 required'],
  ['bad_hex', 'staticKbm[0].homeNonce: not hex (expected only 0-9, a-f)'],
  ['odd_hex', 'rr[0].kcn: not hex: odd number of digits (41)'],
  ['nonce_size', 'rr[0].nonces["5"]: 2 octets, 8 required'],
  ['bad_address', 'staticKbm[0].cn: "2001:db8::zz" is not an IPv6 address'],
  ['missing_member', 'staticKbm[0]: missing "careofNonce"'],
  ['lke_kbm_size', 'lke[0].kbm: 20 octets, 16 required'],
  ['cookie_method', 'cookie[0].method: 3 is not one of 1, 2'],
  ['esp_dup_spi', 'esp[1].spi: SPI 0x00001000 already used by esp[0] (SPIs must be unique)'],
  ['esp_key_size', 'esp[0].encKey: 15 octets, 16 or 24 or 32 required'],
  ['cbu_session_size', 'cbu.sessionKeys[0].kBA: 16 octets, 32 required'],
  ['not_object', 'top level: must be an object, not an array'],
];

describe('keyring validation (in process)', () => {
  it('loads the static keyring with typed, sized values', () => {
    const { keyring, warnings } = loadKeyring(join(DIR, 'static.keyring.json'));
    expect(warnings).toEqual([]);
    expect(keyring.staticKbm).toHaveLength(1);
    const e = keyring.staticKbm[0]!;
    expect(e.kcn.toString('hex')).toBe(expected.static.secrets.kcn);
    expect(e.homeNonce.toString('hex')).toBe(expected.static.secrets.home_nonce);
    expect(e.careofNonce.toString('hex')).toBe(expected.static.secrets.careof_nonce);
    expect(e.hoa.toString('hex')).toBe('20010db8000100000000000000000100');
  });

  it('loads the rr keyring with nonces by index', () => {
    const { keyring } = loadKeyring(join(DIR, 'rr.keyring.json'));
    const e = keyring.rr[0]!;
    expect([...e.nonces.keys()]).toEqual([5, 6, 7]);
    expect(e.nonces.get(6)!.toString('hex')).toBe(expected.rr.secrets.nonce_6);
  });

  for (const [name, msg] of BAD_CASES) {
    it(`rejects ${name}`, () => {
      const p = join(BAD, `${name}.json`);
      expect(() => loadKeyring(p)).toThrow(KeyringError);
      expect(() => loadKeyring(p)).toThrow(`keyring "${p}": ${msg}`);
    });
  }

  it('warns about an unknown section or member and ignores it (§6 names no such member: not a parse failure)', () => {
    const { keyring, warnings } = loadKeyring(join(BAD, 'unknown_section.json'));
    expect(warnings.map((w) => w.id)).toContain('keyring.unknown_member');
    expect(warnings.find((w) => w.id === 'keyring.unknown_member')!.message).toBe('"sttaicKbm": unknown section (expected staticKbm, rr, lke, cookie, cbu, esp) (ignored)');
    expect(keyring.staticKbm).toHaveLength(1); // the valid section still applies
    const m = validateKeyring({ rr: [{ cn: '2001:db8:2::1', kcn: '00'.repeat(20), nonces: { '5': '00'.repeat(8) }, vendorTag: 'x' }] });
    expect(m.keyring.rr).toHaveLength(1);
    expect(m.warnings[0]).toMatchObject({ severity: 'warning', id: 'keyring.unknown_member' });
    expect(m.warnings[0]!.message).toContain('rr[0]: unknown member "vendorTag"');
  });

  it('gives a short Kcn the id keyring.kcn_short', () => {
    try {
      loadKeyring(join(BAD, 'kcn_short.json'));
      expect.unreachable();
    } catch (e) {
      expect((e as KeyringError).id).toBe('keyring.kcn_short');
    }
  });

  it('reports bad JSON with the file name', () => {
    expect(() => parseKeyring('{"rr": [', 'x.json')).toThrow(/^keyring "x\.json" is not valid JSON: /);
  });

  it('warns once about one Kcn for two home addresses', () => {
    const { warnings } = loadKeyring(join(DIR, 'dup.keyring.json'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ severity: 'warning', id: 'keyring.kcn_duplicate' });
    expect(warnings[0]!.message).toContain('2001:db8:1::100');
    expect(warnings[0]!.message).toContain('2001:db8:1::999');
    expect(warnings[0]!.message).not.toContain(expected.static.secrets.kcn);
  });

  it('accepts every section in its documented shape', () => {
    const hex = (n: number) => 'ab'.repeat(n);
    const { keyring } = validateKeyring({
      lke: [{ ar: 'fe80::1', kbm: hex(16) }],
      cookie: [{ cn: '2001:db8:2::1', method: 2, secret: hex(20), hash: 'sha256' }],
      cbu: { prf: 'hmac-sha1', dhPrivate: [{ owner: '2001:db8:1::/64', group: 19, value: hex(32) }],
        sessionKeys: [{ hoa: '2001:db8:1::100', cn: '2001:db8:2::1', kBU: hex(20), kBA: hex(20), kEN: hex(20) }],
        kHA: [{ hoa: '2001:db8:1::100', z: hex(32) }], kCN: [{ cnCoA: '2001:db8:5::1', key: hex(16) }] },
      esp: [{ spi: '0x10', src: '2001:db8:1::100', dst: '2001:db8:2::1', encryption: 'aes-gcm', encKey: 'aa:'.repeat(19) + 'aa', auth: 'none' }],
    });
    expect(keyring.lke[0]!.kbm!.length).toBe(16);
    expect(keyring.cookie[0]!.hash).toBe('sha256');
    expect(keyring.cbu!.dhPrivate[0]!.prefixLen).toBe(64);
    expect(keyring.cbu!.sessionKeys[0]!.kBU.length).toBe(20);
    expect(keyring.esp[0]!.spi).toBe(16);
    expect(keyring.esp[0]!.encKey.length).toBe(20);
  });
});

describe('keyring errors on the command line', () => {
  for (const [name, msg] of BAD_CASES) {
    const rel = `fixtures/verify/bad/${name}.json`;
    it(`dissect -k ${name}: one line, exit 2, no packet output`, () => {
      const r = run(['-r', PCAP, '-k', rel]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`mip6scope: keyring "${rel}": ${msg}\n`);
    });
    it(`verify -k ${name}: one line, exit 2, no report`, () => {
      const r = run(['verify', '-r', PCAP, '-k', rel]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`mip6scope: keyring "${rel}": ${msg}\n`);
    });
  }

  it('bad JSON and a missing file are one line with exit 2', () => {
    const r = run(['verify', '-r', PCAP, '-k', 'fixtures/verify/bad/not_json.json']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^mip6scope: keyring "fixtures\/verify\/bad\/not_json\.json" is not valid JSON: /);
    const m = run(['-r', PCAP, '-k', 'no/such.json']);
    expect(m.code).toBe(2);
    expect(m.stderr).toBe('mip6scope: cannot read keyring "no/such.json": no such file\n');
  });

  it('the duplicate-Kcn warning is printed once by dissect and listed by verify --json', () => {
    const r = run(['-r', PCAP, '-k', 'fixtures/verify/dup.keyring.json']);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^mip6scope: keyring warning: .*\[keyring\.kcn_duplicate\]$/);
    const v = run(['verify', '-r', 'fixtures/verify/rr.pcap', '-k', 'fixtures/verify/dup.keyring.json', '--json']);
    const doc = JSON.parse(v.stdout);
    expect(doc.keyring).toHaveLength(1);
    expect(doc.keyring[0]).toMatchObject({ severity: 'warning', id: 'keyring.kcn_duplicate' });
  });
});
