// craft builds the care-of address test with cookies (spec §4, §7): the Cookie
// option's layout and MAC are recomputed here with node:crypto from the spec's
// formula (methods 1 and 2, SHA-1 and SHA-256), the echo is compared byte for
// byte, `mip6scope verify` accepts the test and flags exactly the cookies broken on
// purpose, and tshark decodes every packet without a malformed mark.
import { describe, it, expect } from 'vitest';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, FIXTURES } from './util/cli.js';
import { haveTshark, tshark } from './util/tshark.js';
import { readPcap, checksumOk, a6, mhOptions, type Pkt } from './util/pcap6.js';

const tmp = mkdtempSync(join(tmpdir(), 'mip6scope-craft-cookie-'));
const SCENARIO = join(FIXTURES, 'craft', 'cookie-test.json');
const KEYRING = join(FIXTURES, 'ext', 'keyring.json');
const ENTRY = JSON.parse(readFileSync(KEYRING, 'utf8')).cookie[0];
const HOA = a6('2001:db8:1::100'), COA = a6('2001:db8:5::100'), ALT = a6('2001:db8:9::100'), CN = a6('2001:db8:2::1');
const START = Date.parse('2024-01-01T00:00:00Z') / 1000;

function craft(scenario: string, out: string, extra: string[] = []): Pkt[] {
  const r = run(['craft', scenario, '-w', out, ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return readPcap(out);
}

/** Spec §4: First(96, HMAC_H(secret, Timestamp | CoA [| HoA] | CN)). */
function mac(hash: string, secret: string, method: 1 | 2, cookie: Buffer, hoa: Buffer, cn: Buffer): Buffer {
  const h = createHmac(hash, Buffer.from(secret, 'hex')).update(cookie.subarray(0, 18));
  if (method === 2) h.update(hoa);
  return h.update(cn).digest().subarray(0, 12);
}

const cookieOf = (p: Pkt) => mhOptions(p.ul, 12).find((o) => o.type === 18);

const out = join(tmp, 'cookie.pcap');

describe('craft cookies: bytes against the spec', () => {
  const P = craft(SCENARIO, out);

  it('BU with alternate CoA, BA 250 with the cookie to the tested CoA, BU echoing it, BA 0', () => {
    expect(P.map((p) => [p.ul[2], p.ul[2] === 6 ? p.ul[6] : p.ul.readUInt16BE(6)])).toEqual([[5, 100], [6, 250], [5, 101], [6, 0], [5, 102], [5, 103]]);
    for (const p of P) expect(checksumOk(p)).toBe(true);
    const ba = P[1]!;
    expect([ba.src, ba.dst, ba.rh2]).toEqual([CN, ALT, HOA]);
    const c = cookieOf(ba)!;
    expect([c.off, c.value.length]).toEqual([12, 30]);
    expect(c.value.readUInt16BE(0)).toBe((START + 1) % 65536); // the BA's time, mod 2^16
    expect(c.value.subarray(2, 18)).toEqual(ALT);
    expect(ENTRY.method).toBe(2);
    expect(c.value.subarray(18)).toEqual(mac(ENTRY.hash, ENTRY.secret, 2, c.value, HOA, CN));
  });

  it('the echo is the identical option, after the Alternate CoA at 8n+6', () => {
    const issued = cookieOf(P[1]!)!.value;
    const bu = P[2]!;
    expect([bu.src, bu.dst, bu.hao]).toEqual([COA, CN, HOA]);
    const opts = mhOptions(bu.ul, 12).filter((o) => o.type > 1);
    expect(opts.map((o) => [o.type, o.off])).toEqual([[3, 14], [18, 32]]);
    expect(opts[0]!.value).toEqual(ALT);
    expect(opts[1]!.value).toEqual(issued);
    expect(bu.ul.length % 8).toBe(0);
  });

  it('the cookies broken on purpose: MAC replaced; echoed to another alternate CoA', () => {
    const issued = cookieOf(P[1]!)!.value;
    const c5 = cookieOf(P[4]!)!.value;
    expect(c5.subarray(0, 18)).toEqual(issued.subarray(0, 18));
    expect(c5.subarray(18)).toEqual(Buffer.alloc(12));
    expect(cookieOf(P[5]!)!.value).toEqual(issued);
    expect(mhOptions(P[5]!.ul, 12).find((o) => o.type === 3)!.value).toEqual(a6('2001:db8:7::100'));
  });

  it('method 1 with SHA-256 from another keyring, and an altered timestamp', () => {
    const kr = join(tmp, 'm1.json');
    const secret = '6d6574686f642d6f6e652d736563726574';
    writeFileSync(kr, JSON.stringify({ cookie: [{ cn: '2001:db8:2::1', method: 1, secret, hash: 'sha256' }] }));
    const sc = JSON.parse(readFileSync(SCENARIO, 'utf8'));
    sc.packets[4].options[1] = { type: 'cookie', echo: true, timestamp: 1 };
    const f = join(tmp, 'm1-scenario.json');
    writeFileSync(f, JSON.stringify(sc));
    const m1 = join(tmp, 'm1.pcap');
    const P1 = craft(f, m1, ['-k', kr]);
    const c = cookieOf(P1[1]!)!.value;
    expect(c.subarray(18)).toEqual(mac('sha256', secret, 1, c, HOA, CN));
    expect(c.subarray(18)).not.toEqual(mac('sha256', secret, 2, c, HOA, CN));
    const alt = cookieOf(P1[4]!)!.value;
    expect(alt.readUInt16BE(0)).toBe(1);
    expect(alt.subarray(2)).toEqual(c.subarray(2));
    const r = run(['verify', '-r', m1, '-k', kr, '--json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.frames[1].verify.cookie_mac).toBe('ok');
    expect(doc.frames[2].verify).toMatchObject({ cookie_mac: 'ok', cookie_echo: 'ok', cookie_coa: 'ok' });
    expect(doc.frames[4].verify).toMatchObject({ cookie_mac: 'fail', cookie_echo: 'fail' });
  });
});

describe('craft cookies: mip6scope verify', () => {
  it('accepts the test and flags exactly the two cookies broken on purpose', () => {
    const r = run(['verify', '-r', out, '-k', KEYRING, '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    const flagged = doc.frames.map((f: any) => [
      ...(f.expert ?? []).filter((e: any) => e.severity !== 'note').map((e: any) => e.id),
      ...Object.entries(f.verify ?? {}).filter(([, v]) => v !== 'ok').map(([k, v]) => `${k}=${v}`),
    ].sort());
    expect(flagged).toEqual([
      [], [], [], [],
      ['cookie_echo=fail', 'cookie_mac=fail', 'verify.cookie_echo', 'verify.cookie_mac'],
      ['cookie_coa=fail', 'verify.cookie_coa'],
    ]);
    expect(doc.frames[1].verify).toMatchObject({ cookie_mac: 'ok', mh_checksum: 'ok' });
    expect(doc.frames[2].verify).toMatchObject({ cookie_mac: 'ok', cookie_echo: 'ok', cookie_coa: 'ok' });
  });
});

describe.skipIf(!haveTshark())('craft cookies: tshark', () => {
  it('decodes every packet (BU, BA status 250, option 18) with no malformed mark or warning', () => {
    expect(tshark(['-r', out, '-Y', '_ws.malformed || _ws.expert.severity >= warning']).trim()).toBe('');
    const rows = tshark(['-r', out, '-T', 'fields', '-e', 'mip6.mhtype', '-e', 'mip6.ba.status']).split('\n').filter((l) => l);
    expect(rows).toEqual(['5\t', '6\t250', '5\t', '6\t0', '5\t', '5\t']);
  });
});

describe('craft cookies: bad scenarios', () => {
  it('an echo with nothing issued, or no secret, is one line naming the place (exit 2)', () => {
    const hosts = { mn: { hoa: '2001:db8:1::1', coa: '2001:db8:5::1' }, cn: { addr: '2001:db8:2::9' } };
    for (const [options, want] of [
      [[{ type: 'cookie', echo: true }], 'packets[0].options[0].echo: no cookie was issued'],
      [[{ type: 'cookie' }], 'packets[0].options[0]: no cookie secret for correspondent 2001:db8:2::9'],
      [[{ type: 'cookie', secret: '01', hash: 'md5' }], 'packets[0].options[0].hash'],
      [[{ type: 'cookie', mac: '00' }], 'packets[0].options[0].mac: 12 octets required'],
    ] as const) {
      const f = join(tmp, 'bad.json');
      writeFileSync(f, JSON.stringify({ hosts, packets: [{ msg: 'BU', from: 'mn', to: 'cn', options }] }));
      const r = run(['craft', f, '-w', join(tmp, 'x.pcap')]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(want);
    }
  });
});
