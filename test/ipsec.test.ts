// Issue 7, ESP/AH (spec §4, §6 `esp`, §7): ICV verification and decryption with
// the keyring, the decrypted MH dissected like a clear one, wrong keys leaving the
// payload opaque, and the IPsec rules + hao.unverified. References: tshark 4.0's
// own ESP decryption (esp_sa UAT) on the same bytes, and the numbers written down
// by fixtures/gen/ipsec.py (Python hmac/cryptography, independent of mip6scope).
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { dissectFile, ready, values } from './util/dissect.js';
import { haveTshark, tshark } from './util/tshark.js';
import { capFrames, capPath, keyringJson, verifyJson, mineIds, KEYRING } from './util/ipsec.js';
import { run, FIXTURES } from './util/cli.js';
import { join } from 'node:path';
import { parseKeyring } from '../keyring/index.js';
import { Engine } from '../core/engine.js';
import { openCapture } from '../readers/open.js';
import type { PacketInfo } from '../core/packet.js';
import type { Mip6Info } from '../dissectors/mip6/api.js';
import { espOpen } from '../crypto/esp.js';

const keyring = parseKeyring(readFileSync(KEYRING, 'utf8'), 'keyring.json').keyring;
const mh = (p: PacketInfo) => p.data.mip6 as Mip6Info | undefined;
const TSHARK = haveTshark();
if (!TSHARK) console.log('tshark not found: tshark comparisons skipped');

const TS_ENC: Record<string, string> = { null: 'NULL', 'aes-cbc': 'AES-CBC [RFC3602]', 'aes-gcm': 'AES-GCM with 16 octet ICV [RFC4106]' };
const TS_AUTH: Record<string, string> = { none: 'NULL', 'hmac-sha1-96': 'HMAC-SHA-1-96 [RFC2404]', 'hmac-sha256-128': 'HMAC-SHA-256-128 [RFC4868]' };

function tsharkEsp(file: string, frame: number, spi: number, fields: string[]): string[] {
  const e = keyringJson.esp.find((x: any) => parseInt(x.spi, 16) === spi);
  const hx = (s: string) => (s ? `0x${s}` : '');
  const sa = `"IPv6","*","*","${e.spi}","${TS_ENC[e.encryption]}","${hx(e.encKey)}","${TS_AUTH[e.auth]}","${hx(e.authKey)}"`;
  const out = tshark(['-r', file, '-o', 'esp.enable_encryption_decode:TRUE', '-o', 'esp.enable_authentication_check:TRUE',
    '-o', `uat:esp_sa:${sa}`, '-Y', `frame.number==${frame}`, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])]);
  return out.trimEnd().split('\t');
}

describe('ESP decryption: every SA kind, against tshark and the generator', () => {
  let P: PacketInfo[];
  const X = capFrames('esp_ok');
  beforeAll(async () => {
    P = await dissectFile(capPath('esp_ok'), { keyring, passes: 2 });
  });

  it('each ESP frame decrypts to the MH the generator put in (seq, checksum), protectedBy esp', () => {
    for (const x of X.filter((f) => f['esp.spi'])) {
      const p = P[x.frame - 1]!;
      const m = mh(p)!;
      expect(m, `frame ${x.frame}`).toBeDefined();
      expect(m.protectedBy).toBe('esp');
      expect(m.csum).toBe(x['mip6.csum']);
      expect(m.csumOk).toBe(true);
      expect(m.vals[x.msg === 'BU' ? 'mip6.bu.seqnr' : 'mip6.ba.seqnr']).toBe(x['mip6.bu.seqnr'] ?? x['mip6.ba.seqnr']);
      expect(p.layers.indexOf('esp')).toBeLessThan(p.layers.indexOf('mipv6'));
      expect(p.data.verify.esp_icv).toBe('ok');
    }
  });

  it.skipIf(!TSHARK)('decrypted fields equal tshark 4.0 decrypting with the same SA', () => {
    const F = ['mip6.mhtype', 'mip6.csum', 'mip6.bu.seqnr', 'mip6.ba.seqnr', 'mip6.ba.status', 'mip6.acoa.acoa', 'esp.pad_len', 'esp.protocol'];
    for (const x of X.filter((f) => f['esp.spi'])) {
      const ts = tsharkEsp(capPath('esp_ok'), x.frame, x['esp.spi'], F);
      const ours = F.map((f) => values(P[x.frame - 1]!, f).join(','));
      expect(ts[0], `tshark decrypted frame ${x.frame}`).not.toBe('');
      expect(ours, `frame ${x.frame}`).toEqual(ts);
    }
  });

  it.skipIf(!TSHARK)('tshark agrees the HMAC ICVs are good', () => {
    for (const x of X.filter((f) => f['esp.spi'] && [0x1001, 0x1002, 0x1003, 0x1004].includes(f['esp.spi']))) {
      expect(tsharkEsp(capPath('esp_ok'), x.frame, x['esp.spi'], ['esp.icv_good'])[0]).toMatch(/^(1|True)$/);
    }
  });

  it('the decrypted MH sits after ESP at the top level, as tshark shows it', () => {
    const top = P[0]!.tree!.children!.map((c) => c.field?.abbrev);
    expect(top.indexOf('esp')).toBeGreaterThan(-1);
    expect(top.indexOf('mipv6')).toBeGreaterThan(top.indexOf('esp'));
    expect(P[0]!.tree!.find('ipv6')!.find('mipv6')).toBeUndefined();
  });

  it.skipIf(!TSHARK)('-T json layer order after decryption equals tshark\'s (eth, ipv6, esp, mipv6)', () => {
    const x = X[0]!;
    const e = keyringJson.esp.find((k: any) => parseInt(k.spi, 16) === x['esp.spi']);
    const sa = `"IPv6","*","*","${e.spi}","${TS_ENC[e.encryption]}","","${TS_AUTH[e.auth]}","0x${e.authKey}"`;
    const ts = JSON.parse(tshark(['-r', capPath('esp_ok'), '-c', '1', '-o', 'esp.enable_encryption_decode:TRUE', '-o', `uat:esp_sa:${sa}`, '-T', 'json']));
    const ours = JSON.parse(run(['-r', capPath('esp_ok'), '-c', '1', '-k', KEYRING, '-T', 'json']).stdout);
    const layers = (d: any) => Object.keys(d[0]._source.layers);
    expect(layers(ours)).toEqual(layers(ts));
    expect(layers(ours).slice(-2)).toEqual(['esp', 'mipv6']);
  });

  it('-x shows the decrypted payload as its own data source', () => {
    const r = run(['-r', capPath('esp_ok'), '-c', '1', '-k', KEYRING, '-x']);
    expect(r.stdout).toMatch(/Decrypted ESP \(\d+ bytes\):/);
  });

  it('without a keyring ESP stays opaque and nothing is verified', async () => {
    const Q = await dissectFile(capPath('esp_ok'));
    expect(mh(Q[0]!)).toBeUndefined();
    expect(Q[0]!.data.verify).toBeUndefined();
    expect(Q[0]!.layers).toContain('esp');
  });
});

describe('verify --json: verdicts and expert ids per frame (expected.json)', () => {
  for (const cap of ['esp_ok', 'esp_bad', 'rules']) {
    it(cap, () => {
      const { code, doc } = verifyJson(capPath(cap));
      const X = capFrames(cap);
      expect(doc.frames.length).toBe(X.length);
      for (const x of X) {
        const f = doc.frames[x.frame - 1]!;
        expect(f.verify ?? {}, `frame ${x.frame} ${x.case ?? ''}`).toMatchObject(x.verify);
        expect(mineIds(f), `frame ${x.frame} ${x.case ?? ''}`).toEqual([...x.expert].sort());
      }
      const anyErr = X.some((x) => Object.values(x.verify).includes('fail') || x.expert.some((e) => e.startsWith('verify.') || e === 'ipsec.foreign_altcoa'));
      expect(code).toBe(anyErr ? 1 : 0);
    });
  }

  it('-V (two passes) shows the ESP verdict under ESP and the finding under the MH', () => {
    const r = run(['-r', capPath('rules'), '-k', KEYRING, '-2', '-V', '-c', '1']);
    expect(r.code).toBe(0);
    const esp = r.stdout.indexOf('Encapsulating Security Payload');
    const mip = r.stdout.indexOf('\nMobile IPv6');
    expect(esp).toBeGreaterThan(0);
    expect(r.stdout.indexOf('[Verification: ESP ICV: ok]')).toBeGreaterThan(esp);
    expect(r.stdout.indexOf('[Verification: ESP ICV: ok]')).toBeLessThan(mip);
    expect(r.stdout.indexOf('[Expert Info (Warning/Security): Binding Update to a correspondent inside ESP with H set]')).toBeGreaterThan(mip);
  });
});

describe('wrong keys and altered ICVs', () => {
  let P: PacketInfo[];
  const X = capFrames('esp_bad');
  beforeAll(async () => {
    P = await dissectFile(capPath('esp_bad'), { keyring, passes: 2 });
  });

  it('ESP payload stays opaque, with verify.esp_icv, and the next packet still decrypts', () => {
    for (const x of X.filter((f) => f.verify.esp_icv === 'fail' && !String(f.case).startsWith('AH'))) {
      const p = P[x.frame - 1]!;
      expect(mh(p), x.case).toBeUndefined();
      expect(p.layers).not.toContain('mipv6');
      expect(p.expert.map((e) => e.id)).toContain('verify.esp_icv');
      expect(p.expert.map((e) => e.id)).not.toContain('esp.decrypt_error');
    }
    const last = P[P.length - 1]!;
    expect(mh(last)!.vals['mip6.bu.seqnr']).toBe(X[X.length - 1]!['mip6.bu.seqnr']);
    expect(last.data.verify.esp_icv).toBe('ok');
  });

  it('AH with an altered ICV: the (clear) MH is still shown, esp_icv fails', () => {
    const x = X.find((f) => String(f.case).startsWith('AH'))!;
    const p = P[x.frame - 1]!;
    expect(mh(p)!.protectedBy).toBe('ah');
    expect(p.data.verify.esp_icv).toBe('fail');
  });

  it('every truncation of every ESP/AH frame is flagged or opaque, never a crash', async () => {
    await ready();
    for (const cap of ['esp_ok', 'esp_bad']) {
      const src = openCapture(capPath(cap));
      const frames = [...src.packets];
      src.source.close();
      for (const r of frames) {
        const e = new Engine({ keyring, passes: 1 });
        for (let n = 14; n < r.data.length; n += 3) {
          const d = r.data.subarray(0, n);
          for (const orig of [n, r.data.length]) {
            const p = e.dissect({ ...r, data: d, caplen: n, origlen: orig }, 1, true);
            expect(p.expert.map((x) => x.id)).not.toContain('analysis.bug');
          }
        }
      }
    }
  });

  it('espOpen refuses short payloads and bad padding', () => {
    const sa = keyring.esp.find((s) => s.encryption === 'null')!;
    expect(espOpen(sa, Buffer.alloc(8), Buffer.alloc(3))).toEqual({ ok: false, why: 'short' });
    const gcm = keyring.esp.find((s) => s.encryption === 'aes-gcm')!;
    expect(espOpen(gcm, Buffer.alloc(8), Buffer.alloc(30))).toEqual({ ok: false, why: 'icv' });
  });
});

describe('IPsec rules and hao.unverified', () => {
  it('a single pass cannot know the 250 that follows: foreign_altcoa then shows at the BU', async () => {
    const X = capFrames('rules');
    const P1 = await dissectFile(capPath('rules'), { keyring, passes: 1 });
    for (const x of X.filter((f) => f.expert_single_pass)) {
      expect(P1[x.frame - 1]!.expert.map((e) => e.id)).toEqual(expect.arrayContaining(x.expert_single_pass));
    }
    const { doc } = verifyJson(capPath('rules'));
    for (const x of X.filter((f) => f.expert_single_pass)) expect(mineIds(doc.frames[x.frame - 1]!)).toEqual([]);
  });

  it('the compliant exchange (esp_ok) raises nothing, the HAO data packet after an accepted binding included', () => {
    const { doc } = verifyJson(capPath('esp_ok'));
    for (const f of doc.frames) expect(mineIds(f), `frame ${f.frame}`).toEqual([]);
  });

  it('a clear accepted binding covers a later HAO packet (mipv6-rr-exchange.pcap: BA #8 accepts, echo #10 carries the HAO)', () => {
    const { doc } = verifyJson(join(FIXTURES, 'mipv6-rr-exchange.pcap'), join(FIXTURES, 'ext', 'keyring.json'));
    expect(doc.frames[7]!.verify).toMatchObject({ authenticator: 'ok' });
    for (const f of doc.frames) expect(mineIds(f), `frame ${f.frame}`).toEqual([]);
  });

  it('totals count the rule findings by severity (1 error, 6 warnings, 2 notes of this area)', () => {
    const { doc } = verifyJson(capPath('rules'));
    const X = capFrames('rules');
    const all = X.flatMap((x) => x.expert);
    expect(all.filter((id) => id === 'ipsec.foreign_altcoa').length).toBe(1);
    expect(all.filter((id) => id === 'ipsec.rr_options').length).toBe(2);
    expect(doc.totals.error).toBe(1);
    expect(doc.totals.warning).toBe(all.length - 3);
    expect(doc.totals.note).toBe(2);
  });
});
