// Issue 7, cookies (spec §4, §7, annex A1): cookie_mac (methods 1 and 2, SHA-1 and
// SHA-256), cookie_echo, cookie_coa, cookie.altcoa_untested. The MACs are the ones
// fixtures/gen/extensions.py and fixtures/gen/ipsec.py computed with Python's hmac.
import { describe, it, expect } from 'vitest';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dissectFile } from './util/dissect.js';
import { EXT, frames as extFrames, capFile, expected as extExpected } from './util/ext.js';
import { capFrames, capPath, verifyJson, mineIds, KEYRING } from './util/ipsec.js';
import { parseKeyring } from '../keyring/index.js';
import { cookieMac, cookieOption } from '../verify/cookie.js';
import type { Mip6Info } from '../dissectors/mip6/api.js';

const a6 = (s: string) => {
  const [h, t = ''] = s.split('::');
  const g = (x: string) => (x ? x.split(':') : []);
  const parts = [...g(h!), ...Array(8 - g(h!).length - g(t).length).fill('0'), ...g(t)];
  return Buffer.from(parts.map((p) => p.padStart(4, '0')).join(''), 'hex');
};

describe('cookie MAC function against the generators', () => {
  it('method 2, SHA-1 (fixtures/ext/cookie.pcap)', async () => {
    const ck = extExpected.cookie;
    const k = parseKeyring(readFileSync(join(EXT, 'keyring.json'), 'utf8'), 'k').keyring;
    const P = await dissectFile(capFile('cookie'));
    const m = P[1]!.data.mip6 as Mip6Info;
    const c = cookieOption(m)!;
    expect(cookieMac(k.cookie[0]!, c, a6(ck.hoa), a6(ck.cn)).toString('hex')).toBe(extFrames('cookie')[1]!['mip6.cookie.mac']);
  });

  it('method 1, SHA-256 (fixtures/ipsec/cookie_altered.pcap, CN 2001:db8:2::2)', async () => {
    const k = parseKeyring(readFileSync(KEYRING, 'utf8'), 'k').keyring;
    const e = k.cookie.find((x) => x.method === 1)!;
    expect(e.hash).toBe('sha256');
    const X = capFrames('cookie_altered');
    const x = X.find((f) => f.case === 'method 1 cookie')!;
    const P = await dissectFile(capPath('cookie_altered'));
    const m = P[x.frame - 1]!.data.mip6 as Mip6Info;
    expect(cookieMac(e, cookieOption(m)!, m.rh2!, m.src).toString('hex')).toBe(x['mip6.cookie.mac']);
  });
});

describe('verify --json', () => {
  it('the compliant annex A1 exchange: every cookie check ok, nothing raised', () => {
    const { code, doc } = verifyJson(capFile('cookie'), join(EXT, 'keyring.json'));
    expect(code).toBe(0);
    expect(doc.frames[1]!.verify).toMatchObject({ cookie_mac: 'ok' });
    expect(doc.frames[2]!.verify).toMatchObject({ cookie_mac: 'ok', cookie_echo: 'ok', cookie_coa: 'ok' });
    for (const f of doc.frames) expect(mineIds(f)).toEqual([]);
  });

  it('each cookie part altered, an untested alternate CoA, method 1/SHA-256', () => {
    const { code, doc } = verifyJson(capPath('cookie_altered'));
    expect(code).toBe(1);
    const X = capFrames('cookie_altered');
    expect(doc.frames.length).toBe(X.length);
    for (const x of X) {
      const f = doc.frames[x.frame - 1]!;
      expect(f.verify ?? {}, `frame ${x.frame} ${x.case}`).toMatchObject(x.verify);
      expect(mineIds(f), `frame ${x.frame} ${x.case}`).toEqual([...x.expert].sort());
    }
    // the three alterations each fail the echo; only the CoA one fails cookie_coa
    const alt = X.filter((x) => /altered/.test(x.case!));
    expect(alt.map((x) => x.case)).toEqual(['timestamp altered', 'CoA altered', 'MAC altered']);
  });

  it('a keyring without a cookie entry: cookie_mac unverifiable, echo and CoA still checked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'h12-'));
    const kr = join(dir, 'k.json');
    writeFileSync(kr, '{"esp": []}');
    const { doc } = verifyJson(capFile('cookie'), kr);
    expect(doc.frames[1]!.verify!.cookie_mac).toBe('unverifiable');
    expect(doc.frames[2]!.verify).toMatchObject({ cookie_mac: 'unverifiable', cookie_echo: 'ok', cookie_coa: 'ok' });
  });

  it('-o mip6.cookie.ba_status moves the issuing status: a 250 is then no cookie issue', () => {
    const { doc } = verifyJson(capFile('cookie'), join(EXT, 'keyring.json'), ['-o', 'mip6.cookie.ba_status:251']);
    expect(doc.frames[2]!.verify!.cookie_echo).toBe('not checked');
    expect(doc.frames[2]!.verify!.cookie_mac).toBe('ok');
  });
});
