// LKE verification and checks (spec §3, §7, §8; issue 6). Expected verdicts, checks,
// Kbm and ciphertexts come from fixtures/gen/lke_verify.py (Python `cryptography`,
// fixtures/lke-verify/expected.json); OpenSSL makes fresh ciphertexts at test time;
// tshark decodes the addresses and hop limits the link-local rule is judged on.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createPrivateKey, createPublicKey, publicEncrypt, constants } from 'node:crypto';
import { ready } from './util/dissect.js';
import { run, FIXTURES } from './util/cli.js';
import { haveTshark, tshark } from './util/tshark.js';
import { Engine } from '../core/engine.js';
import type { PacketInfo } from '../core/packet.js';
import { openCapture } from '../readers/open.js';
import { loadKeyring } from '../keyring/index.js';
import { rsaDecryptEither, unpadPkcs1v15 } from '../crypto/rsa_decrypt.js';

const DIR = join(FIXTURES, 'lke-verify');
const X = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));
const KBM = Buffer.from(X.kbm, 'hex');
const pemOf = (name: string) => JSON.parse(readFileSync(join(DIR, name), 'utf8')).lke[0].rsaPrivateKeyPem as string;
const AR_KEY = () => createPrivateKey(pemOf('keyring_rsa.json'));
const WRONG_KEY = () => createPrivateKey(pemOf('keyring_wrong.json'));

const LKE_VERDICTS = ['ker_decrypt', 'kea_hmac', 'dad_request_hmac', 'dad_reply_hmac', 'finished_nonce', 'authenticator'];
const CHECK_IDS = ['lke.not_link_local', 'lke.lifetime_above_max', 'lke.capability_without_h', 'lke.rate_limit', 'seq.replay', 'lke.dad_reply_missing', 'verify.finished_nonce'];

/** Dissect a capture with a keyring: one pass (like -V) or two (like verify / tshark -2). */
function dissect(cap: string, keyring: string, opts: { passes?: 1 | 2; tree?: boolean; showKeys?: boolean } = {}): PacketInfo[] {
  const passes = opts.passes ?? 2;
  const engine = new Engine({ keyring: loadKeyring(join(DIR, keyring)).keyring, passes, showKeys: opts.showKeys });
  let out: PacketInfo[] = [];
  for (let p = 1; p <= passes; p++) {
    if (p > 1) engine.beginPass(p);
    out = [];
    const c = openCapture(join(DIR, `${cap}.pcap`));
    let n = 0;
    for (const r of c.packets) out.push(engine.dissect(r, ++n, opts.tree ?? false));
    c.source.close();
    engine.endPass();
  }
  return out;
}

const lkeVerdicts = (p: PacketInfo) => Object.fromEntries(Object.entries((p.data.verify ?? {}) as Record<string, string>).filter(([k]) => LKE_VERDICTS.includes(k)));
const ids = (p: PacketInfo) => p.expert.map((e) => e.id).filter((id) => CHECK_IDS.includes(id) || id.startsWith('verify.'));

beforeAll(async () => {
  await ready();
});

describe('RSA decryption of the Key Exchange Data (crypto/rsa_decrypt.ts)', () => {
  it('OAEP-SHA1 ciphertext from the generator gives the Kbm', () => {
    const ked = Buffer.from(X.captures.good_oaep.frames[1].ked, 'hex');
    const r = rsaDecryptEither(AR_KEY(), ked, 16);
    expect(r).toEqual({ ok: true, padding: 'oaep-sha1', plain: KBM });
  });

  it('PKCS#1 v1.5 ciphertext from the generator gives the Kbm (raw RSA + own unpadding)', () => {
    const ked = Buffer.from(X.captures.good_v15.frames[1].ked, 'hex');
    const r = rsaDecryptEither(AR_KEY(), ked, 16);
    expect(r).toEqual({ ok: true, padding: 'pkcs1-v1_5', plain: KBM });
  });

  it('ciphertexts OpenSSL makes now, both paddings', () => {
    const probe = spawnSync('openssl', ['version'], { stdio: 'pipe' });
    if (probe.status !== 0) {
      console.log('openssl absent: OpenSSL ciphertext test skipped');
      return;
    }
    const d = mkdtempSync(join(tmpdir(), 'lke-'));
    try {
      writeFileSync(join(d, 'pub.pem'), createPublicKey(AR_KEY()).export({ type: 'spki', format: 'pem' }));
      writeFileSync(join(d, 'kbm'), KBM);
      for (const [mode, padding] of [['oaep', 'oaep-sha1'], ['pkcs1', 'pkcs1-v1_5']] as const) {
        const r = spawnSync('openssl', ['pkeyutl', '-encrypt', '-pubin', '-inkey', join(d, 'pub.pem'), '-in', join(d, 'kbm'), '-pkeyopt', `rsa_padding_mode:${mode}`], { stdio: 'pipe' });
        expect(r.status).toBe(0);
        expect(r.stdout.length).toBe(128);
        expect(rsaDecryptEither(AR_KEY(), r.stdout, 16)).toEqual({ ok: true, padding, plain: KBM });
      }
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('a wrong key never yields a Kbm (both paddings, 50 fresh ciphertexts each)', () => {
    const pub = createPublicKey(AR_KEY());
    for (let i = 0; i < 50; i++) {
      for (const padding of [constants.RSA_PKCS1_OAEP_PADDING, constants.RSA_PKCS1_PADDING]) {
        const c = publicEncrypt({ key: pub, padding, oaepHash: 'sha1' }, KBM);
        expect(rsaDecryptEither(WRONG_KEY(), c, 16).ok).toBe(false);
      }
    }
  });

  it('a short (truncated) or long ciphertext fails with the reason', () => {
    const ked = Buffer.from(X.captures.good_oaep.frames[1].ked, 'hex');
    const r = rsaDecryptEither(AR_KEY(), ked.subarray(0, 60), 16);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.why).toMatch(/60 octets .* 1024-bit key \(128 expected\)/);
  });

  it('EME-PKCS1-v1_5 unpadding rules (RFC 8017 7.2.2)', () => {
    const m = Buffer.from('00112233', 'hex');
    const ps = Buffer.alloc(8, 0xab);
    expect(unpadPkcs1v15(Buffer.concat([Buffer.of(0, 2), ps, Buffer.of(0), m]))).toEqual(m);
    expect(unpadPkcs1v15(Buffer.concat([Buffer.of(0, 1), ps, Buffer.of(0), m]))).toBeNull(); // block type 1
    expect(unpadPkcs1v15(Buffer.concat([Buffer.of(1, 2), ps, Buffer.of(0), m]))).toBeNull(); // leading octet
    expect(unpadPkcs1v15(Buffer.concat([Buffer.of(0, 2), ps.subarray(0, 7), Buffer.of(0), m, Buffer.alloc(1, 1)]))).toBeNull(); // PS < 8
    expect(unpadPkcs1v15(Buffer.concat([Buffer.of(0, 2), ps, m.fill(1)]))).toBeNull(); // no separator
  });
});

describe('verdicts and checks per capture (expected.json)', () => {
  for (const [name, cap] of Object.entries(X.captures) as Array<[string, any]>) {
    it(`${name}: ${cap.note}`, () => {
      const P = dissect(name, cap.keyring);
      expect(P.length).toBe(cap.frames.length);
      // k from the AR's key (128 or 256 octets); the cut KER never gets that far
      const kedLen = (P[1]!.data.mip6 as { vals: Record<string, unknown> }).vals['mip6.lke.ked_len'];
      expect(kedLen).toBe(name === 'truncated_ker' ? undefined : cap.frames[1].ked.length / 2);
      for (const f of cap.frames) {
        const p = P[f.frame - 1]!;
        expect({ frame: f.frame, v: lkeVerdicts(p) }).toEqual({ frame: f.frame, v: f.verify });
        const want = [...f.checks, ...Object.entries(f.verify).filter(([, v]) => v === 'fail').map(([k]) => `verify.${k}`)];
        expect({ frame: f.frame, ids: [...new Set(ids(p))].sort() }).toEqual({ frame: f.frame, ids: [...new Set(want)].sort() });
      }
    });
  }

  it('every check fires exactly once in its capture and never on the good exchanges', () => {
    const fired = (cap: string) => dissect(cap, 'keyring_rsa.json').flatMap((p) => ids(p).filter((i) => CHECK_IDS.includes(i)));
    expect(fired('good_oaep')).toEqual([]);
    expect(fired('good_v15')).toEqual([]);
    expect(dissect('good_v15_2048', 'keyring_rsa2048.json').flatMap((p) => ids(p))).toEqual([]);
    const one: Record<string, string> = {
      not_link_local: 'lke.not_link_local', hop_limit: 'lke.not_link_local', lifetime_above_max: 'lke.lifetime_above_max',
      capability_without_h: 'lke.capability_without_h', rate_limit: 'lke.rate_limit', replay: 'seq.replay',
      dad_reply_missing: 'lke.dad_reply_missing', finished_nonce: 'verify.finished_nonce',
    };
    for (const [cap, id] of Object.entries(one)) expect({ cap, f: fired(cap) }).toEqual({ cap, f: [id] });
  });

  it('severities: link-local rule and Finished nonce are errors, the others warnings', () => {
    const sev = (cap: string, id: string) => dissect(cap, 'keyring_rsa.json').flatMap((p) => p.expert).find((e) => e.id === id)?.severity;
    expect(sev('hop_limit', 'lke.not_link_local')).toBe('error');
    expect(sev('finished_nonce', 'verify.finished_nonce')).toBe('error');
    expect(sev('rate_limit', 'lke.rate_limit')).toBe('warning');
    expect(sev('replay', 'seq.replay')).toBe('warning');
    expect(sev('lifetime_above_max', 'lke.lifetime_above_max')).toBe('warning');
    expect(sev('capability_without_h', 'lke.capability_without_h')).toBe('warning');
    expect(sev('dad_reply_missing', 'lke.dad_reply_missing')).toBe('warning');
  });

  it('messages carry the numbers the generator used', () => {
    const msg = (cap: string, id: string) => dissect(cap, 'keyring_rsa.json').flatMap((p) => p.expert).find((e) => e.id === id)!.message;
    expect(msg('lifetime_above_max', 'lke.lifetime_above_max')).toContain(`9000 s is above the Maximum Lifetime ${X.max_lifetime} s`);
    expect(msg('hop_limit', 'lke.not_link_local')).toContain('hop limit 254');
    expect(msg('not_link_local', 'lke.not_link_local')).toContain(`source ${X.coa_prev} is not link-local`);
    expect(msg('rate_limit', 'lke.rate_limit')).toContain('1.000 s after the one in frame 2');
    expect(msg('replay', 'seq.replay')).toContain('sequence number 1 is not newer than 1 (frame 2)');
    const n = X.finished_nonce as number;
    expect(msg('finished_nonce', 'verify.finished_nonce')).toContain(`Finished Request nonce 0x${n.toString(16).padStart(8, '0')} of frame 7`);
    expect(msg('finished_nonce', 'verify.finished_nonce')).toContain(`0x${((n ^ 0x5a5a5a5a) >>> 0).toString(16).padStart(8, '0')}`);
  });
});

describe('key material', () => {
  it('the decrypted Kbm is the generator\'s (shown only with --show-keys) and serves the later messages', () => {
    for (const cap of ['good_oaep', 'good_v15']) {
      const P = dissect(cap, 'keyring_rsa.json', { tree: true, showKeys: true });
      const keys = P[1]!.data.verifyKeys as Array<{ name: string; hex: string }>;
      expect(keys.find((k) => k.name === 'LKE Kbm (decrypted)')!.hex).toBe(X.kbm);
      const pad = [...P[1]!.tree!.walk()].find((i) => i.field?.abbrev === 'mip6.lke.analysis.ked_padding')!.value;
      expect(pad).toBe(cap === 'good_oaep' ? 'RSAES-OAEP (SHA-1)' : 'RSAES-PKCS1-v1_5');
      const src = [...P[2]!.tree!.walk()].find((i) => i.field?.abbrev === 'mip6.lke.analysis.key_source')!.value;
      expect(src).toBe('KER #2 decrypted with lke[0]');
      // expected HMACs/authenticators shown are the generator's values
      expect(P[2]!.data.verifyKeys.find((k: any) => k.name.startsWith('Expected')).hex).toBe(X.captures[cap].frames[2].hmac);
      for (const i of [5, 6, 7]) expect(P[i]!.data.verifyKeys.find((k: any) => k.name.startsWith('Expected')).hex).toBe(X.captures[cap].frames[i].auth);
    }
    const quiet = dissect('good_oaep', 'keyring_rsa.json', { tree: true });
    for (const p of quiet) {
      expect(p.data.verifyKeys).toBeUndefined();
      for (const it of p.tree!.walk()) expect(it.field?.abbrev ?? '').not.toMatch(/^mip6\.lke\.keys\./);
    }
  });

  it('wrong RSA key: ker_decrypt fails, nothing later is reported ok', () => {
    const P = dissect('good_oaep', 'keyring_wrong.json');
    expect(P[1]!.data.verify.ker_decrypt).toBe('fail');
    expect(P[1]!.expert.find((e) => e.id === 'verify.ker_decrypt')!.severity).toBe('error');
    for (const p of P.slice(2)) for (const [k, v] of Object.entries(lkeVerdicts(p))) if (k !== 'finished_nonce') expect(v).toBe('unverifiable');
  });

  it('AR key under its global address: opened through the KEA tie on the second pass only', () => {
    expect(dissect('good_oaep', 'keyring_rsa_global.json', { passes: 1 })[1]!.data.verify.ker_decrypt).toBe('unverifiable');
    const P = dissect('good_oaep', 'keyring_rsa_global.json', { passes: 2 });
    expect(P[1]!.data.verify.ker_decrypt).toBe('ok');
    expect(P[7]!.data.verify.authenticator).toBe('ok');
  });

  it('a keyring Kbm under the global address verifies everything after the KEA in one pass', () => {
    const P = dissect('good_oaep', 'keyring_kbm_global.json', { passes: 1 });
    expect(P[1]!.data.verify.ker_decrypt).toBe('unverifiable');
    for (const [i, n] of [[2, 'kea_hmac'], [3, 'dad_request_hmac'], [4, 'dad_reply_hmac'], [5, 'authenticator'], [6, 'authenticator'], [7, 'authenticator']] as const) {
      expect(P[i]!.data.verify[n]).toBe('ok');
    }
  });

  it('truncated KER: flagged, not checked, the next packets are dissected', () => {
    const P = dissect('truncated_ker', 'keyring_rsa.json', { passes: 1, tree: true });
    expect(P[1]!.truncated || P[1]!.malformed).toBe(true);
    expect(P[1]!.data.verify.ker_decrypt).toBe('not checked');
    expect(P[2]!.info).toMatch(/^Key Exchange Ack seq=1/);
    expect(P[7]!.data.verify.finished_nonce).toBe('ok');
  });

  it('the binding (RR) analysis leaves LKE authenticators alone: one verdict item each', () => {
    const P = dissect('good_oaep', 'keyring_rsa.json', { passes: 1, tree: true });
    for (const i of [5, 6, 7]) {
      const items = [...P[i]!.tree!.walk()].filter((it) => it.field?.abbrev === 'mip6.verify.authenticator');
      expect(items.map((it) => it.value)).toEqual(['ok']);
    }
  });
});

describe('robustness', () => {
  it('mutated and cut LKE frames never break the analysis (no analysis.bug), every frame dissected', () => {
    const engine = new Engine({ keyring: loadKeyring(join(DIR, 'keyring_rsa.json')).keyring, passes: 1 });
    const c = openCapture(join(DIR, 'good_oaep.pcap'));
    const frames = [...c.packets];
    c.source.close();
    let seed = 0x1234567;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8);
    let n = 0;
    for (let round = 0; round < 300; round++) {
      for (const r of frames) {
        const data = Buffer.from(r.data);
        for (let k = 0, m = 1 + (rnd() % 4); k < m; k++) data[54 + (rnd() % (data.length - 54))] = rnd() & 0xff;
        const cut = round % 3 === 0 ? data.subarray(0, 54 + (rnd() % (data.length - 54))) : data;
        const p = engine.dissect({ ...r, data: cut, caplen: cut.length, origlen: data.length }, ++n, round % 2 === 0);
        expect(p.expert.filter((e) => e.id === 'analysis.bug').map((e) => e.message)).toEqual([]);
        for (const v of Object.values(p.data.verify ?? {})) expect(['ok', 'fail', 'unverifiable', 'not checked']).toContain(v);
      }
    }
    expect(n).toBe(300 * frames.length);
  });
});

describe('tshark as reference for the link-local rule', () => {
  it('lke.not_link_local fires exactly on KER/KEA frames tshark shows off-link or with hop limit != 255', () => {
    if (!haveTshark()) {
      console.log('tshark absent: comparison skipped');
      return;
    }
    for (const cap of ['good_oaep', 'not_link_local', 'hop_limit']) {
      const rows = tshark(['-r', join(DIR, `${cap}.pcap`), '-T', 'fields', '-e', 'frame.number', '-e', 'ipv6.src', '-e', 'ipv6.dst', '-e', 'ipv6.hlim', '-e', 'mip6.mhtype'])
        .trim().split('\n').map((l) => l.split('\t'));
      const P = dissect(cap, 'keyring_rsa.json');
      for (const [fn, src, dst, hlim, mhtype] of rows) {
        // tshark names MH 8/9 after FMIPv6 but shows the type number
        const kerKea = mhtype === '8' || mhtype === '9';
        const ll = (a: string) => /^fe[89ab]/i.test(a);
        const bad = kerKea && (!ll(src!) || !ll(dst!) || hlim !== '255');
        expect({ cap, fn, fired: P[Number(fn) - 1]!.expert.some((e) => e.id === 'lke.not_link_local') }).toEqual({ cap, fn, fired: bad });
      }
    }
  });
});

describe('tshark as reference for DAD', () => {
  it('lke.dad_reply_missing sits on the NA whose target (per tshark) is the authenticated NS target; HMAC zeroing kept checksums valid', () => {
    if (!haveTshark()) {
      console.log('tshark absent: comparison skipped');
      return;
    }
    for (const cap of ['good_oaep', 'dad_reply_missing']) {
      const rows = tshark(['-r', join(DIR, `${cap}.pcap`), '-T', 'fields', '-e', 'frame.number', '-e', 'icmpv6.type', '-e', 'icmpv6.nd.ns.target_address', '-e', 'icmpv6.nd.na.target_address', '-e', 'icmpv6.checksum.status'])
        .trim().split('\n').map((l) => l.split('\t'));
      const P = dissect(cap, 'keyring_rsa.json');
      const ns = rows.find((r) => r[1] === '135')!;
      const na = rows.find((r) => r[1] === '136')!;
      expect(na[3]).toBe(ns[2]);
      for (const r of rows) if (r[1]) expect(r[4]).toBe('1');
      const hits = P.flatMap((p) => p.expert.filter((e) => e.id === 'lke.dad_reply_missing').map((e) => ({ frame: p.num, m: e.message })));
      if (cap === 'good_oaep') expect(hits).toEqual([]);
      else {
        expect(hits.map((h) => h.frame)).toEqual([Number(na[0])]);
        expect(hits[0]!.m).toContain(`Neighbor Advertisement for ${na[3]} answers the authenticated DAD NS of frame ${ns[0]}`);
      }
    }
  });
});

describe('CLI', () => {
  it('verify --json: good exchange passes with every LKE verification ok', () => {
    const r = run(['verify', '-r', join(DIR, 'good_v15.pcap'), '-k', join(DIR, 'keyring_rsa.json'), '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.frames.length).toBe(8);
    expect(d.frames[1].verify.ker_decrypt).toBe('ok');
    expect(d.frames[7].verify).toMatchObject({ authenticator: 'ok', finished_nonce: 'ok' });
    expect(d.totals).toMatchObject({ fail: 0, unverifiable: 0, error: 0, warning: 0 });
    expect(r.stdout).not.toContain(X.kbm);
  });

  it('verify --json: bad HMACs fail with verify.<name> errors and exit 1', () => {
    const r = run(['verify', '-r', join(DIR, 'bad_macs.pcap'), '-k', join(DIR, 'keyring_rsa.json'), '--json']);
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout);
    const got = d.frames.flatMap((f: any) => f.expert.map((e: any) => `${f.frame}:${e.id}`));
    expect(got).toEqual(['3:verify.kea_hmac', '4:verify.dad_request_hmac', '5:verify.dad_reply_hmac', '6:verify.authenticator', '7:verify.authenticator', '8:verify.authenticator']);
    expect(d.totals.fail).toBe(6);
  });

  it('-V shows the verdicts; --show-keys the Kbm', () => {
    const r = run(['-r', join(DIR, 'good_oaep.pcap'), '-k', join(DIR, 'keyring_rsa.json'), '-V', '-Y', 'frame.number == 2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[Verification: Key Exchange Data decryption: ok]');
    expect(r.stdout).toContain('[Key Exchange Data padding: RSAES-OAEP (SHA-1)]');
    expect(r.stdout).not.toContain(X.kbm);
    const s = run(['-r', join(DIR, 'good_oaep.pcap'), '-k', join(DIR, 'keyring_rsa.json'), '-V', '--show-keys', '-Y', 'frame.number == 2']);
    expect(s.stdout).toContain(`[LKE Kbm (decrypted): ${X.kbm}]`);
  });
});
