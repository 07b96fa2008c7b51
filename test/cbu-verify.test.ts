// CBU verification (spec §5, §7, §8; issue 8). Expected verdicts come from
// fixtures/gen/cbu_verify.py, which built each capture (Python `cryptography`,
// independent keys and certificates) and says which check it broke; the key
// schedule is checked against the numbers extensions.py wrote down.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, FIXTURES } from './util/cli.js';
import { chainToAnchor, validityAt, addressInCert } from '../verify/cbu_certs.js';
import { decodeCertificate } from '../dissectors/cbu/cert.js';
import { X509Certificate } from 'node:crypto';
import { dhPublic, dhShared, sessionKeys, prf, openSealed, macMatches, verifySignature } from '../crypto/cbu.js';

const DIR = join(FIXTURES, 'cbu-verify');
const EXP = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  cases: Record<string, { file: string; keyring: string; frames: number; what: string; verdicts: Record<string, Record<string, string>>; experts: Record<string, string[]>; absent_experts: string[] }>;
};
const CBU_VERDICTS = new Set(['sealed_decrypt', 'sig_ha', 'sig_cn', 'sig_mn', 'cert_chain', 'cert_validity', 'hoa_in_prefix', 'cn_hoa_in_prefix',
  'cookies', 'mac', 'session_keys_from_dh', 'session_keys_match', 'rep_n0_matches_req', 'k_ha_next_derivation', 'k_en_new_derivation']);
const MINE = /^(verify\.(sealed_decrypt|sig_|cert_|hoa_in|cn_hoa|cookies$|mac$|session_keys|rep_n0|k_ha_next|k_en_new)|seq\.|cbu\.missing_bc|cbu\.no_trust_anchor)/;

interface Doc {
  frames: Array<{ frame: number; summary: string; verify: Record<string, string>; expert: Array<{ severity: string; id: string; message: string }> }>;
  totals: Record<string, number>;
}

function verify(c: { file: string; keyring: string }): { code: number; doc: Doc; stderr: string } {
  const r = run(['verify', '--json', '-r', join(DIR, c.file), '-k', join(DIR, c.keyring)]);
  return { code: r.code, doc: JSON.parse(r.stdout) as Doc, stderr: r.stderr };
}

describe('CBU verify: every case of fixtures/gen/cbu_verify.py', () => {
  for (const [name, c] of Object.entries(EXP.cases)) {
    it(`${name}: ${c.what}`, () => {
      const { code, doc, stderr } = verify(c);
      expect(stderr).toBe('');
      expect(doc.frames.length).toBe(c.frames);
      for (const f of doc.frames) {
        const mine = Object.fromEntries(Object.entries(f.verify ?? {}).filter(([k]) => CBU_VERDICTS.has(k)));
        expect(mine, `${name} frame ${f.frame} (${f.summary}) verdicts`).toEqual(c.verdicts[String(f.frame)] ?? {});
        const ids = f.expert.map((e) => e.id).filter((id) => MINE.test(id)).sort();
        expect(ids, `${name} frame ${f.frame} experts: ${JSON.stringify(f.expert)}`).toEqual([...(c.experts[String(f.frame)] ?? [])].sort());
        for (const a of c.absent_experts) expect(ids).not.toContain(a);
      }
      const failed = Object.values(c.verdicts).some((v) => Object.values(v).includes('fail'));
      expect(code, 'exit status: 1 when a verification failed').toBe(failed ? 1 : 0);
      expect(doc.totals.fail).toBe(Object.values(c.verdicts).reduce((n, v) => n + Object.values(v).filter((x) => x === 'fail').length, 0));
    });
  }

  it('failure messages name what broke, without key values', () => {
    const ring = JSON.parse(readFileSync(join(DIR, 'keyring.json'), 'utf8'));
    const secrets = [ring.cbu.kHA[0].z, ring.cbu.kCN[0].key, ...ring.cbu.dhPrivate.map((d: { value: string }) => d.value)];
    for (const name of ['cert_expired', 'hoa_outside_prefix', 'bad_mac', 'missing_bc', 'rep_keys_differ', 'wrong_sealed_key']) {
      const r = run(['verify', '--json', '-r', join(DIR, EXP.cases[name]!.file), '-k', join(DIR, 'keyring.json')]);
      for (const s of secrets) expect(r.stdout.toLowerCase()).not.toContain(s.toLowerCase());
      const msgs = (JSON.parse(r.stdout) as Doc).frames.flatMap((f) => f.expert.map((e) => e.message)).join('\n');
      if (name === 'cert_expired') expect(msgs).toMatch(/2023-06-01T00:00:00.000Z.*2024-01-01/);
      if (name === 'hoa_outside_prefix') expect(msgs).toContain('2001:db8:9::/64');
      if (name === 'missing_bc') expect(msgs).toMatch(/No BC for home address 2001:db8:1::100/);
      if (name === 'rep_keys_differ') expect(msgs).toMatch(/k_BU differing/);
    }
  });

  it('-V -2 shows the Sealed plaintext as a tree, keys hidden unless --show-keys', () => {
    const args = ['-r', join(DIR, 'fig2_ok.pcap'), '-k', join(DIR, 'keyring.json'), '-V', '-2', '-Y', 'frame.number==6'];
    const r = run(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[Sealed plaintext (opened with k_HA, ');
    expect(r.stdout).toContain('[Verification: Session keys match: ok]');
    expect(r.stdout).toContain('k_BU: <32 octets hidden');
    // N0 of the REP (cbu_verify.py: det('cbuv-N0', 8)) decoded from the plaintext
    const n0 = EXP.cases.fig2_ok ? readFileSync(join(DIR, 'fig2_ok.pcap')) : null;
    expect(n0).not.toBeNull();
    expect(r.stdout).toMatch(/N0: [0-9a-f]{16}/);
    const hbu = run(['-r', join(DIR, 'hmip_ok.pcap'), '-k', join(DIR, 'keyring.json'), '-V', '-2', '-Y', 'frame.number==1']);
    expect(hbu.stdout).toContain('[Verification: SIG_MN signature: ok]');
    expect(hbu.stdout).toContain('[Verification: Certificate chain: ok]');
    // verdicts are fields: display filters select on them
    const sel = run(['-r', join(DIR, 'bad_sig_ha.pcap'), '-k', join(DIR, 'keyring.json'), '-2', '-Y', 'mip6.verify.sig_ha == "fail"']);
    expect(sel.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/)[0])).toEqual(['4']);
    expect(sel.stdout).toContain('[sig_ha: fail]');
  });

  it('foreign key material: nothing opens or chains, the listed session keys fail the MAC; no cbu section: unverifiable', () => {
    const r = run(['verify', '--json', '-r', join(DIR, 'fig2_ok.pcap'), '-k', join(FIXTURES, 'ext', 'keyring.json')]);
    const doc = JSON.parse(r.stdout) as Doc;
    // extensions.py's keyring has another z, CA, DH value and session keys for this HoA/CN
    expect(doc.frames[0]!.verify.sealed_decrypt).toBe('fail');
    expect(doc.frames[3]!.verify.cert_chain).toBe('fail');
    expect(doc.frames[3]!.verify.sig_ha).toBe('ok');
    expect(doc.frames[4]!.verify.session_keys_from_dh).toBe('unverifiable');
    expect(doc.frames[6]!.verify.mac).toBe('fail');
    const empty = join(mkdtempSync(join(tmpdir(), 'cbuv-')), 'k.json');
    writeFileSync(empty, '{}');
    const d2 = JSON.parse(run(['verify', '--json', '-r', join(DIR, 'fig2_ok.pcap'), '-k', empty]).stdout) as Doc;
    expect(d2.frames[0]!.verify.sealed_decrypt).toBe('unverifiable');
    expect(d2.frames[3]!.verify.cert_chain).toBe('not checked');
    expect(d2.frames[3]!.expert.map((e) => e.id)).toContain('cbu.no_trust_anchor');
    expect(d2.frames[3]!.verify.sig_ha).toBe('ok');
    expect(d2.frames[6]!.verify.mac).toBe('unverifiable');
  });
});

describe('CBU crypto against extensions.py numbers (fixtures/ext/expected.json)', () => {
  const ext = JSON.parse(readFileSync(join(FIXTURES, 'ext', 'expected.json'), 'utf8'));
  const H = (s: string) => Buffer.from(s, 'hex');
  for (const cap of ['cbu_fig2', 'cbu_twomn', 'cbu_p256']) {
    it(`${cap}: k_DH and the key schedule`, () => {
      const k = ext.cbu.keys[cap];
      const g = k.dh_group as number;
      const gy = dhPublic(g, H(k.dhPrivate_y));
      const r = dhShared(g, H(k.dhPrivate_x), gy);
      expect(r.kdh.toString('hex')).toBe(k.k_DH);
      // N1, N2 from the EXCH0 the generator wrote (fields 0x21, 0x22)
      const ex0 = ext.captures[cap].frames.find((f: { msg: string }) => f.msg === 'EXCH0');
      const fv = (t: number) => H(ex0.fields.find((f: { type: number }) => f.type === t).value);
      expect(fv(0x30).subarray(2).equals(r.ownPublic)).toBe(true);
      const s = sessionKeys('hmac-sha256', r.kdh, fv(0x21), fv(0x22));
      expect(s.kMaster.toString('hex')).toBe(k.k_master);
      expect([s.kBU, s.kBA, s.kEN].map((b) => b.toString('hex'))).toEqual([k.k_BU, k.k_BA, k.k_EN]);
    });
  }

  it('Sealed plaintexts of extensions.py open with z / k_HA-next / k_CN', () => {
    const frames = ['cbu_fig2', 'cbu_twomn'].flatMap((c) => ext.captures[c].frames);
    const keys = { z: H(ext.cbu.keys.cbu_fig2.z), 'k_HA-next': H(ext.cbu.keys.cbu_fig2.k_HA_next), k_CN: H(ext.cbu.keys.cbu_twomn.k_CN) };
    let n = 0;
    for (const f of frames.filter((x: { sealed_key?: string }) => x.sealed_key)) {
      const sealed = H(f.fields[0].value);
      expect(openSealed(keys[f.sealed_key as keyof typeof keys], sealed)!.toString('hex')).toBe(f.sealed_plain);
      expect(openSealed(Buffer.alloc(16, 7), sealed)).toBeNull();
      n++;
    }
    expect(n).toBe(5);
  });

  it('MAC truncation and signature algorithms', () => {
    const full = prf('hmac-sha256', Buffer.from('k'), Buffer.from('m'));
    expect(macMatches(full, full.subarray(0, 12))).toBe(true);
    expect(macMatches(full, Buffer.concat([full, Buffer.alloc(1)]))).toBe(false);
    expect(macMatches(full, Buffer.alloc(0))).toBe(false);
    expect(verifySignature(Buffer.from(ext.cbu.certs.ca.der, 'hex').subarray(0, 10), Buffer.alloc(1), Buffer.alloc(1))).toBe(false);
  });
});

describe('CBU certificate checks on extensions.py certificates', () => {
  const ext = JSON.parse(readFileSync(join(FIXTURES, 'ext', 'expected.json'), 'utf8'));
  const der = (n: string) => Buffer.from(ext.cbu.certs[n].der, 'hex');
  const ca = new X509Certificate(der('ca'));
  const ip = (s: string) => Buffer.from(s.split(':').flatMap((g: string, i: number, a: string[]) => g === '' && i > 0 && i < a.length - 1 ? Array(8 - a.filter(Boolean).length).fill('0000') : g === '' ? [] : [g.padStart(4, '0')]).join(''), 'hex');

  it('chains: leaf to CA, Cert_MN through Cert_HA only when Cert_HA is known', () => {
    expect(chainToAnchor(der('ha'), [ca], []).verdict).toBe('ok');
    expect(chainToAnchor(der('mn'), [ca], []).verdict).toBe('fail');
    const r = chainToAnchor(der('mn'), [ca], [der('cn'), der('ha')]);
    expect(r.verdict).toBe('ok');
    expect(r.path.length).toBe(2);
    expect(chainToAnchor(der('ha'), [], []).verdict).toBe('not checked');
    expect(chainToAnchor(Buffer.from('3003020101', 'hex'), [ca], []).verdict).toBe('fail');
  });

  it('validity at capture time: notBefore 2023-01-01, notAfter 2030-01-01 (generator)', () => {
    const p = [new X509Certificate(der('ha'))];
    expect(validityAt(p, Date.UTC(2024, 0, 1) / 1000).verdict).toBe('ok');
    expect(validityAt(p, Date.UTC(2022, 11, 31) / 1000).verdict).toBe('fail');
    expect(validityAt(p, Date.UTC(2030, 0, 1, 0, 0, 1) / 1000).verdict).toBe('fail');
  });

  it('HoA in the RFC 3779 prefix 2001:db8:1::/64; CN equal to its subjectAltName', () => {
    expect(ip('2001:db8:1::100').toString('hex')).toBe('20010db8000100000000000000000100');
    const ha = decodeCertificate(der('ha'));
    expect(addressInCert(ha, ip('2001:db8:1::100')).verdict).toBe('ok');
    expect(addressInCert(ha, ip('2001:db8:1:0:ffff::1')).verdict).toBe('ok');
    expect(addressInCert(ha, ip('2001:db8:1:1::1')).verdict).toBe('fail');
    const cn = decodeCertificate(der('cn'));
    expect(addressInCert(cn, ip('2001:db8:2::1')).verdict).toBe('ok');
    expect(addressInCert(cn, ip('2001:db8:2::2')).verdict).toBe('fail');
    expect(addressInCert(decodeCertificate(der('ca')), ip('2001:db8:1::100')).verdict).toBe('fail');
  });
});
