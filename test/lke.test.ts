// LKE (spec §3): decoded values against the numbers fixtures/gen/extensions.py
// wrote (fixtures/ext/expected.json), tshark 4.0 on the RFC 6275 parts, the
// profile switch, truncation.
import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { dissectFile, ready, values, value, raw } from './util/dissect.js';
import { haveTshark, tshark, flattenJson, fieldRows } from './util/tshark.js';
import { run } from './util/cli.js';
import { expected, frames, capFile, colonHex, hexOf } from './util/ext.js';
import { Engine } from '../core/engine.js';
import { Tvb } from '../core/tvb.js';
import { Item } from '../core/tree.js';
import { PacketInfo } from '../core/packet.js';
import { getHandle, table } from '../core/tables.js';
import { setPref, resetPrefs, applyPrefs } from '../core/prefs.js';
import { openCapture } from '../readers/open.js';
import type { PacketInfo as PI } from '../core/packet.js';
import type { Mip6Info } from '../dissectors/mip6/api.js';

const FILE = capFile('lke');
const X = frames('lke');
let P: PI[];
const mh = (i: number) => P[i]!.data.mip6 as Mip6Info;
const opt = (i: number, type: number) => mh(i).options.find((o) => o.type === type)!;

beforeAll(async () => {
  P = await dissectFile(FILE);
});
afterEach(() => {
  resetPrefs();
  applyPrefs();
});

describe('LKE mobility messages (MH 8/9/10, profile lke)', () => {
  it('every MH checksum verifies', () => {
    for (const i of [1, 2, 5, 6, 7]) {
      expect(mh(i).csum).toBe(X[i]!['mip6.csum']);
      expect(mh(i).csumOk).toBe(true);
    }
  });

  it('Key Exchange Request: seq, 128-octet Key Exchange Data, Requested Lifetime, PadN', () => {
    const e = X[1]!;
    const m = mh(1);
    expect(m.type).toBe(8);
    expect(m.name).toBe('Key Exchange Request');
    expect(m.vals['mip6.lke.seq']).toBe(e['mip6.lke.seq']);
    expect(m.vals['mip6.lke.ked_len']).toBe(e.ked_len);
    expect(hexOf(m.vals['mip6.lke.ked'])).toBe(e['mip6.lke.ked']);
    expect(opt(1, 3).vals['mip6.lke.req_lifetime']).toBe(e['mip6.lke.req_lifetime']);
    expect(opt(1, 3).name).toBe('Requested Lifetime (LKE)');
    const padn = opt(1, 1);
    expect(padn.len + 2).toBe(e.padn);
    expect(m.optionsOffset - m.offset).toBe(6 + 2 + 128);
    expect(P[1]!.info).toBe(`Key Exchange Request seq=${e['mip6.lke.seq']} lifetime=${e['mip6.lke.req_lifetime']}s`);
    expect(value(P[1]!, 'mip6.lke.ked')).toBe(colonHex(e['mip6.lke.ked']));
    expect(value(P[1]!, 'mip6.mhtype')).toBe('8');
    expect(P[1]!.malformed).toBe(false);
  });

  it('Key Exchange Ack: 56 octets, status, seq, lifetime in 4 s units, AR address, HMAC', () => {
    const e = X[2]!;
    const m = mh(2);
    expect(m.name).toBe('Key Exchange Ack');
    expect((m.hlen + 1) * 8).toBe(56);
    expect(m.vals['mip6.lke.status']).toBe(e['mip6.lke.status']);
    expect(m.vals['mip6.lke.seq']).toBe(e['mip6.lke.seq']);
    expect(m.vals['mip6.lke.lifetime']).toBe(e['mip6.lke.lifetime']);
    expect(values(P[2]!, 'mip6.lke.ar_addr')).toEqual([e['mip6.lke.ar_addr']]);
    expect(hexOf(opt(2, 5).vals['mip6.lke.hmac'])).toBe(e['mip6.lke.hmac']);
    expect(m.options.map((o) => o.type)).toEqual([4, 0, 0, 5, 0, 0]);
    expect(P[2]!.tree!.find('mip6.lke.lifetime')!.text).toBe(`Lifetime: ${e['mip6.lke.lifetime']} (${e['mip6.lke.lifetime'] * 4} seconds)`);
    expect(m.rh2 && hexOf(m.rh2)).toBe('20010db8000a00000000000000000200');
  });

  it('BA to the new CoA carries the Finished Request (option 6, length 6)', () => {
    const e = X[6]!;
    const o = opt(6, 6);
    expect(o.name).toBe('Finished Request (LKE)');
    expect(o.vals['mip6.lke.fin_req.r']).toBe(true);
    expect(o.vals['mip6.lke.fin_req.nonce']).toBe(e['mip6.lke.fin_req.nonce']);
    expect(hexOf(opt(6, 5).vals['mip6.bad.auth'] ?? P[6]!.tree!.find('mip6.bad.auth')!.value)).toBe(e['mip6.bad.auth']);
  });

  it('Finished: status, seq, lifetime, nonce equal to the Finished Request, 12-octet authenticator, Pad1 Pad1', () => {
    const e = X[7]!;
    const m = mh(7);
    expect(m.name).toBe('Finished');
    expect(m.vals['mip6.lke.seq']).toBe(e['mip6.lke.seq']);
    expect(m.vals['mip6.lke.lifetime']).toBe(e['mip6.lke.lifetime']);
    expect(m.vals['mip6.lke.nonce']).toBe(e['mip6.lke.nonce']);
    expect(m.vals['mip6.lke.nonce']).toBe(X[6]!['mip6.lke.fin_req.nonce']);
    expect(hexOf(opt(7, 5).vals['mip6.lke.auth'])).toBe(e['mip6.lke.auth']);
    expect(m.options.map((o) => o.type)).toEqual([5, 0, 0]);
    expect(P[7]!.info).toBe(`Finished seq=${e['mip6.lke.seq']} status=0 nonce=0x${e['mip6.lke.nonce'].toString(16).padStart(8, '0')}`);
  });

  it('the BU to the previous AR is plain RFC 6275 with its authenticator', () => {
    const e = X[5]!;
    expect(mh(5).vals['mip6.bu.seqnr']).toBe(e['mip6.bu.seqnr']);
    expect(values(P[5]!, 'mip6.bad.auth')).toEqual([colonHex(e['mip6.bad.auth'])]);
  });

  it('Key Exchange Data length comes from a resolver when the AR key is known', async () => {
    const { setKerKeyLengthResolver } = await import('../dissectors/lke/mh.js');
    setKerKeyLengthResolver(() => 128);
    try {
      const p = (await dissectFile(FILE))[1]!;
      expect(p.data.mip6.vals['mip6.lke.ked_len']).toBe(128);
      expect(p.tree!.find('mip6.lke.ked_len')!.text).not.toContain('from the option layout');
    } finally {
      setKerKeyLengthResolver(null);
    }
  });
});

describe('profile switch and decode-as', () => {
  it('-o mip6.profile:fmipv6 gives MH 8-10 back to FMIPv6 and option 6 to the MNP', async () => {
    expect(setPref('mip6.profile:fmipv6')).toBeNull();
    applyPrefs();
    const p = await dissectFile(FILE);
    for (const i of [1, 2, 7]) {
      expect(p[i]!.data.mip6.name).not.toMatch(/Key Exchange|Finished$/);
      expect(p[i]!.info).not.toMatch(/Key Exchange|^Finished/);
    }
    expect(p[1]!.tree!.find('mip6.mhtype')!.field!.vals).toBeDefined();
    expect(value(p[1]!, 'mip6.mhtype')).toBe('8');
    const o6 = (p[6]!.data.mip6 as Mip6Info).options.find((o) => o.type === 6)!;
    expect(o6.name).not.toBe('Finished Request (LKE)');
    // back to lke
    resetPrefs();
    applyPrefs();
    const q = await dissectFile(FILE);
    expect(q[1]!.data.mip6.name).toBe('Key Exchange Request');
  });

  it('the CLI shows FMIPv6 names with -o mip6.profile:fmipv6 and LKE names by default', () => {
    const a = run(['-r', FILE]);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('Key Exchange Request seq=1');
    expect(a.stdout).toContain('Key Exchange Ack seq=1');
    const b = run(['-r', FILE, '-o', 'mip6.profile:fmipv6', '-V']);
    expect(b.code).toBe(0);
    expect(b.stdout).not.toContain('Key Exchange');
    expect(b.stdout).toContain('Mobility Header Type: Fast Binding Update (8)');
    expect(b.stdout).toContain('Mobility Header Type: Fast Binding Acknowledgment (9)');
    expect(b.stdout).toContain('Mobility Header Type: Fast Neighbor Advertisement (10)');
  });

  it('option 6 of another length in a BA stays the Mobile Network Prefix', async () => {
    const p = (await dissectFile(capFile('ext_lookalikes')))[2]!;
    const o6 = (p.data.mip6 as Mip6Info).options.find((o) => o.type === 6)!;
    expect(o6.len).toBe(18);
    expect(o6.name).not.toBe('Finished Request (LKE)');
  });
});

describe('LKE ND options (ND 6 in RA, 7 in NS, 8 in NA)', () => {
  // the option bytes, cut out of the frames at the offsets the generator recorded
  const capRaw = () => {
    const c = openCapture(FILE);
    const out = [...c.packets].map((r) => r.data);
    c.source.close();
    return out;
  };
  const icmpOff = [14 + 40, 0, 0, 14 + 40, 14 + 40];

  function runOpt(handle: string, buf: Buffer, off: number, len: number, ctx: object = {}): PacketInfo {
    const pinfo = new PacketInfo(1, raw(buf));
    const tree = new Item(null, 0, buf.length, null, '');
    const tvb = new Tvb(buf, off + len, off + len);
    const ok = getHandle(handle)!.fn(tvb, off, pinfo, tree, ctx);
    expect(ok).not.toBe(false);
    pinfo.tree = tree;
    return pinfo;
  }

  it('LKE Capability: max lifetime, DER SubjectPublicKeyInfo -> RSA 1024, zero padding', async () => {
    await ready();
    const e = X[0]!['lke.cap'];
    const b = capRaw()[0]!;
    const off = icmpOff[0]! + e.offset_in_icmp;
    expect(b[off]).toBe(6);
    const p = runOpt('icmpv6.nd.opt.lke_capability', b, off, e.length_units * 8, { icmpType: 134, raH: true, optType: 6, optLen: 21, item: null, info: [] });
    const o = p.data.lkeNd[0];
    expect(o.kind).toBe('capability');
    expect(o.vals['mip6.lke.cap.max_lifetime']).toBe(e.max_lifetime);
    expect(hexOf(o.vals['mip6.lke.cap.pubkey'])).toBe(e.spki);
    expect(o.vals['mip6.lke.cap.key_type']).toBe(e.key_type);
    expect(o.vals['mip6.lke.cap.key_bits']).toBe(e.key_bits);
    expect((o.vals['mip6.lke.cap.padding'] as Buffer).length).toBe(e.padding);
    expect(o.vals['icmpv6.nd.ra.flag.h']).toBe(true);
    expect(p.expert).toEqual([]);
  });

  for (const [i, h, kind] of [[3, 'icmpv6.nd.opt.lke_dad_request', 'dad_request'], [4, 'icmpv6.nd.opt.lke_dad_reply', 'dad_reply']] as const) {
    it(`${kind}: nonce, AR address, HMAC`, async () => {
      await ready();
      const e = X[i]!;
      const b = capRaw()[i]!;
      const off = icmpOff[i]! + e.option_offset_in_icmp;
      const p = runOpt(h, b, off, 48);
      const o = p.data.lkeNd[0];
      expect(o.kind).toBe(kind);
      expect(o.vals['mip6.lke.dad.nonce']).toBe(e['mip6.lke.dad.nonce']);
      expect(values(p, 'mip6.lke.dad.ar_addr')).toEqual([e['mip6.lke.dad.ar_addr']]);
      expect(hexOf(o.vals['mip6.lke.dad.hmac'])).toBe(e['mip6.lke.dad.hmac']);
    });
  }

  it('registered at context keys only (7/8 in an RA keep their RFC 6275 meaning)', () => {
    const t = table('icmpv6.nd.opt.type');
    expect(t.get('134/6')?.name).toBe('icmpv6.nd.opt.lke_capability');
    expect(t.get('135/7')?.name).toBe('icmpv6.nd.opt.lke_dad_request');
    expect(t.get('136/8')?.name).toBe('icmpv6.nd.opt.lke_dad_reply');
    expect(t.get('134/7')).toBeUndefined();
    expect(t.get('134/8')).toBeUndefined();
  });

  it('through the ICMPv6 dissector, when it is loaded', async () => {
    await ready();
    if (!getHandle('icmpv6')) {
      console.log('skipped: no icmpv6 dissector in this build yet');
      return;
    }
    const kinds = P.map((p) => (p.data.lkeNd ?? []).map((o: any) => o.kind).join(','));
    expect(kinds.slice(0, 5)).toEqual(['capability', '', '', 'dad_request', 'dad_reply']);
    expect(P[3]!.data.lkeNd[0].vals['mip6.lke.dad.nonce']).toBe(X[3]!['mip6.lke.dad.nonce']);
    expect(P[0]!.data.lkeNd[0].vals['mip6.lke.cap.key_bits']).toBe(1024);
  });
});

describe('tshark 4.0 on the same capture', () => {
  it('agrees on the RFC 6275 parts and does not mark them malformed', () => {
    if (!haveTshark()) {
      console.log('skipped: tshark not installed');
      return;
    }
    const rows = flattenJson(tshark(['-r', FILE, '-T', 'json']));
    // BU (frame 6): no malformed mark, same fields
    const bu = fieldRows(rows, 5, 'mip6.');
    expect(bu).toContain(`mip6.bu.seqnr=${X[5]!['mip6.bu.seqnr']}`);
    expect(bu).toContain(`mip6.bad.auth=${colonHex(X[5]!['mip6.bad.auth'])}`);
    expect(bu).toContain(`mip6.csum=0x${X[5]!['mip6.csum'].toString(16).padStart(4, '0')}`);
    expect(rows.some((r) => r.pkt === 5 && r.key === '_ws.malformed')).toBe(false);
    for (const k of ['mip6.bu.seqnr', 'mip6.bu.lifetime', 'mip6.bu.a_flag', 'mip6.bu.h_flag', 'mip6.bad.auth', 'mip6.csum']) {
      const ts = rows.filter((r) => r.pkt === 5 && r.key === k).map((r) => r.value);
      expect(values(P[5]!, k), k).toEqual(ts);
    }
    // BA (frame 7): the RFC 6275 fields agree; tshark's only complaint is option 6
    // read as a Mobile Network Prefix (length 6, it wants 18) - the LKE part
    for (const k of ['mip6.ba.status', 'mip6.ba.seqnr', 'mip6.ba.lifetime', 'mip6.csum']) {
      const ts = rows.filter((r) => r.pkt === 6 && r.key === k).map((r) => r.value);
      expect(values(P[6]!, k), k).toEqual(ts);
    }
    const msgs = rows.filter((r) => r.pkt === 6 && r.key === '_ws.expert.message').map((r) => r.value);
    expect(msgs.some((m) => m.startsWith('Mobile Network Prefix'))).toBe(true);
    // MH checksums tshark shows for every MH agree with the generator's
    for (const i of [1, 2, 5, 6, 7]) {
      expect(rows.find((r) => r.pkt === i && r.key === 'mip6.csum')!.value).toBe(`0x${X[i]!['mip6.csum'].toString(16).padStart(4, '0')}`);
    }
  });
});

describe('truncated and malformed LKE packets', () => {
  it('every prefix of every frame dissects without an exception, flagged', async () => {
    await ready();
    const c = openCapture(FILE);
    const all = [...c.packets];
    c.source.close();
    for (const r of all) {
      for (let n = 14; n < r.data.length; n++) {
        const e = new Engine();
        const cut = { ...r, data: r.data.subarray(0, n), caplen: n };
        const p = e.dissect(cut, 1, true);
        expect(p.expert.some((x) => x.id === 'dissector.bug'), `len ${n}`).toBe(false);
        expect(p.truncated || p.malformed).toBe(true);
        // the next packet is dissected unchanged
        const q = e.dissect(all[1]!, 2, true);
        expect(q.data.mip6.name).toBe('Key Exchange Request');
      }
    }
  });

  it('a KER whose Key Exchange Data fits no allowed size is flagged, not thrown', async () => {
    await ready();
    const c = openCapture(FILE);
    const r = [...c.packets][1]!;
    c.source.close();
    const b = Buffer.from(r.data);
    const mhOff = 14 + 40 + 24;
    b[mhOff + 6 + 2 + 128] = 0x99; // option type 0x99 with a length past the end
    b[mhOff + 6 + 2 + 128 + 1] = 200;
    const p = new Engine().dissect({ ...r, data: b }, 1, true);
    expect(p.expert.map((x) => x.id)).toContain('lke.ked_length');
    expect(p.expert.some((x) => x.id === 'dissector.bug')).toBe(false);
  });
});

void expected;
