// CBU (spec §5): every message and field of the generated exchanges (figure 2,
// two-MN case, P-256 exchange, HMIPv6) against fixtures/ext/expected.json;
// certificates (subject, issuer, validity, key, RFC 3779 prefix, SAN, SHA-256);
// Sealed opaque; padding 0-7; tshark 4.0; truncation; decode-as.
import { describe, it, expect, beforeAll } from 'vitest';
import { createDecipheriv } from 'node:crypto';
import { dissectFile, ready, values, value } from './util/dissect.js';
import { haveTshark, tshark, flattenJson } from './util/tshark.js';
import { run } from './util/cli.js';
import { expected, frames, capFile, colonHex, hexOf, v6 } from './util/ext.js';
import { Engine } from '../core/engine.js';
import { Tvb } from '../core/tvb.js';
import { Item } from '../core/tree.js';
import { PacketInfo } from '../core/packet.js';
import { table } from '../core/tables.js';
import { openCapture } from '../readers/open.js';
import type { CbuInfo } from '../dissectors/cbu/cbu.js';

const CAPS = ['cbu_fig2', 'cbu_twomn', 'cbu_p256', 'cbu_hmip'];
const P: Record<string, PacketInfo[]> = {};
const certs = expected.cbu.certs;

beforeAll(async () => {
  for (const c of CAPS) P[c] = await dissectFile(capFile(c));
});

const FIELD_ABBREV: Record<number, string> = {
  0x10: 'mip6.cbu.hoa', 0x11: 'mip6.cbu.coa', 0x12: 'mip6.cbu.cn', 0x13: 'mip6.cbu.cn_coa', 0x14: 'mip6.cbu.rcoa', 0x15: 'mip6.cbu.map',
  0x20: 'mip6.cbu.n0', 0x21: 'mip6.cbu.n1', 0x22: 'mip6.cbu.n2', 0x23: 'mip6.cbu.n3', 0x28: 'mip6.cbu.c0', 0x29: 'mip6.cbu.c1',
  0x32: 'mip6.cbu.signature', 0x33: 'mip6.cbu.cert', 0x38: 'mip6.cbu.seq', 0x39: 'mip6.cbu.lt_bu', 0x3a: 'mip6.cbu.lt_ba',
  0x3b: 'mip6.cbu.lt_en', 0x3c: 'mip6.cbu.flag', 0x40: 'mip6.cbu.mac',
};

/** tshark-style text of an expected field value (independent of our formatter) */
function textOf(type: number, hex: string): string {
  if (type >= 0x10 && type <= 0x15) return v6(hex);
  if (type === 0x38 || (type >= 0x39 && type <= 0x3b)) return String(parseInt(hex, 16));
  if (type === 0x3c) return '0x' + hex;
  return colonHex(hex);
}

describe('CBU messages: every message and field as the generator wrote it', () => {
  for (const c of CAPS) {
    it(`${c}: message type, fields (type, length, value), padding, checksum`, () => {
      const X = frames(c);
      expect(P[c]!).toHaveLength(X.length);
      X.forEach((e, i) => {
        const p = P[c]![i]!;
        const info = p.data.cbu as CbuInfo;
        expect(info, `${c} #${i + 1}`).toBeDefined();
        expect(info.msgType).toBe(e['mip6.cbu.type']);
        expect(info.name).toBe(e.msg);
        expect(p.data.mip6.type).toBe(11);
        expect(p.data.mip6.csum).toBe(e['mip6.csum']);
        expect(p.data.mip6.csumOk).toBe(true);
        expect(info.fields.map((f) => [f.type, f.len, hexOf(f.value)])).toEqual(e.fields.map((f: any) => [f.type, f.len, f.value]));
        expect(info.padding).toBe(e.padding);
        expect(p.info.startsWith(`CBU ${e.msg}`)).toBe(true);
        expect(p.malformed).toBe(false);
        expect(p.expert.filter((x) => x.severity === 'error' || x.severity === 'warning')).toEqual([]);
        expect(value(p, 'mip6.cbu.type')).toBe(String(e['mip6.cbu.type']));
        // every field's value in the tree, in tshark's text form
        for (const f of e.fields) {
          const ab = FIELD_ABBREV[f.type];
          if (ab) expect(values(p, ab), `${c} #${i + 1} ${ab}`).toContain(textOf(f.type, f.value));
        }
        // field headers
        const fieldItems = p.tree!.findAll('mip6.cbu.field');
        expect(fieldItems.map((x) => x.find('mip6.cbu.field.type')!.value)).toEqual(e.fields.map((f: any) => f.type));
        expect(fieldItems.map((x) => x.find('mip6.cbu.field.length')!.value)).toEqual(e.fields.map((f: any) => f.len));
        expect(fieldItems.map((x) => x.length)).toEqual(e.fields.map((f: any) => f.len + 4));
      });
    });
  }

  it('all 20 message types occur with their names, and Info carries seq=', () => {
    const seen = new Set<number>();
    for (const c of CAPS) for (const p of P[c]!) seen.add((p.data.cbu as CbuInfo).msgType);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const [k, n] of Object.entries(expected.cbu.names)) {
      const p = CAPS.flatMap((c) => P[c]!).find((q) => (q.data.cbu as CbuInfo).msgType === Number(k))!;
      expect(p.tree!.find('mip6.cbu.type')!.field!.vals && (p.tree!.find('mip6.cbu.type')!.field!.vals as any)[k]).toBe(n);
    }
    expect(P.cbu_fig2![6]!.info).toBe('CBU BU seq=1');
    expect(P.cbu_fig2![3]!.info).toBe('CBU EXCH0 group=14');
  });

  it('padding: every amount 0-7 occurs (Pad1s for 1-3, PadN 01 00 00 00 + Pad1s for 4-7)', () => {
    const amounts = new Set<number>();
    for (const c of CAPS) for (const p of P[c]!) amounts.add((p.data.cbu as CbuInfo).padding);
    expect([...amounts].sort()).toEqual(expected.cbu.padding_amounts);
    for (const c of CAPS) {
      for (const p of P[c]!) {
        const n = (p.data.cbu as CbuInfo).padding;
        expect(p.tree!.findAll('mip6.cbu.padn')).toHaveLength(n >= 4 ? 1 : 0);
        expect(p.tree!.findAll('mip6.cbu.pad1')).toHaveLength(n >= 4 ? n - 4 : n);
      }
    }
  });

  it('IPv6-in-IPv6 through the HA for REQ, REP, REQ_KEY, NEWKEY (inner header used)', () => {
    const X = frames('cbu_fig2');
    for (const i of [0, 5, 9, 12]) {
      const p = P.cbu_fig2![i]!;
      expect(X[i]!.tunnel).toBeDefined();
      expect(p.ipStack).toHaveLength(2);
      expect(hexOf(p.ipStack[0]!.src)).toBe(X[i]!.tunnel[0]);
      expect(hexOf(p.ipStack[1]!.src)).toBe(X[i]!.inner_src);
      expect(hexOf(p.ipStack[1]!.dst)).toBe(X[i]!.inner_dst);
    }
  });
});

describe('CBU field values', () => {
  it('DH groups 14 (MODP, padded to 256), 19 (P-256), 31 (X25519)', () => {
    for (const [c, g, n] of [['cbu_fig2', 14, 256], ['cbu_p256', 19, 65], ['cbu_twomn', 31, 32]] as const) {
      const idx = frames(c).findIndex((f) => f.msg === 'EXCH0');
      const p = P[c]![idx]!;
      expect(values(p, 'mip6.cbu.dh.group')).toEqual([String(g)]);
      const dh = (p.data.cbu as CbuInfo).get(0x30)!;
      expect(dh.len).toBe(n + 2);
      expect(values(p, 'mip6.cbu.dh.value')[0]!.split(':')).toHaveLength(n);
      expect(frames(c)[idx]!.dh_group).toBe(g);
    }
  });

  it('TS is the EXCH0 time in whole seconds, shown as a date', () => {
    const X = frames('cbu_fig2');
    const p = P.cbu_fig2![3]!;
    expect(X[3]!.ts).toBe(Math.floor(X[3]!.time));
    const d = new Date(X[3]!.ts * 1000);
    const mon = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
    expect(values(p, 'mip6.cbu.ts')).toEqual([`${mon}  1, 2024 01:23:22.000000000 UTC`]);
    expect(d.toISOString()).toBe('2024-01-01T01:23:22.000Z');
  });

  it('LT_* are 4-second units; Flag is named by message', () => {
    const p = P.cbu_fig2![7]!; // BA
    const lt = p.tree!.find('mip6.cbu.lt_en')!;
    expect(lt.value).toBe(900);
    expect(lt.text).toBe('LT_EN: 900 (3600 seconds)');
    const bc = P.cbu_fig2![8]!;
    expect(bc.tree!.find('mip6.cbu.flag')!.text).toBe('Flag: 0x01 (BC flag)');
    expect(P.cbu_fig2![8]!.info).toBe('CBU BC seq=1');
  });

  it('Sealed: IV, ciphertext, tag; opaque without keys; the plaintext decodes as a field list', async () => {
    const { dissectCbuFields } = await import('../dissectors/cbu/cbu.js');
    const X = frames('cbu_fig2');
    const z = Buffer.from(expected.cbu.keys.cbu_fig2.z, 'hex');
    const p = P.cbu_fig2![5]!; // REP
    const sealed = (p.data.cbu as CbuInfo).get(0x50)!;
    expect(values(p, 'mip6.cbu.sealed.iv')).toEqual([colonHex(hexOf(sealed.value.subarray(0, 12)))]);
    expect(values(p, 'mip6.cbu.sealed.tag')).toEqual([colonHex(hexOf(sealed.value.subarray(sealed.len - 16)))]);
    expect(values(p, 'mip6.cbu.k_bu')).toEqual([]);
    // decrypt here (node:crypto, not our code) and hand the plaintext to the field decoder
    const d = createDecipheriv('aes-128-gcm', z.subarray(0, 16), sealed.value.subarray(0, 12));
    d.setAuthTag(sealed.value.subarray(sealed.len - 16));
    const pt = Buffer.concat([d.update(sealed.value.subarray(12, sealed.len - 16)), d.final()]);
    expect(pt.toString('hex')).toBe(X[5]!.sealed_plain);
    const pinfo = new PacketInfo(1, { tsSec: 0, tsNsec: 0, caplen: 0, origlen: 0, linktype: 1, data: pt });
    pinfo.data.engine = new Engine();
    const tree = new Item(null, 0, pt.length, null, '');
    const out: any[] = [];
    dissectCbuFields(Tvb.of(pt), 0, pt.length, pinfo, tree, out, 6, true);
    expect(out.map((f) => f.type)).toEqual([0x20, 0x60, 0x61, 0x62, 0x63]);
    expect(hexOf(out[1].value)).toBe(expected.cbu.keys.cbu_fig2.k_BU);
    // keys are not printed unless asked
    const texts = [...tree.walk()].map((x) => `${x.text ?? ''} ${x.value instanceof Uint8Array ? hexOf(x.value) : ''}`).join('\n');
    expect(texts).not.toContain(expected.cbu.keys.cbu_fig2.k_BU);
    expect(texts).toContain('hidden');
    expect(pinfo.expert).toEqual([]);
    // with --show-keys they are
    const shown = new PacketInfo(1, pinfo.raw);
    shown.data.engine = new Engine({ showKeys: true });
    const t2 = new Item(null, 0, pt.length, null, '');
    dissectCbuFields(Tvb.of(pt), 0, pt.length, shown, t2, [], 6, true);
    expect(hexOf(t2.find('mip6.cbu.k_bu')!.value)).toBe(expected.cbu.keys.cbu_fig2.k_BU);
  });
});

describe('CBU certificates', () => {
  const cases: Array<[string, number, string]> = [
    ['cbu_fig2', 3, 'ha'], ['cbu_fig2', 4, 'cn'], ['cbu_twomn', 3, 'cn2'], ['cbu_hmip', 0, 'mn'], ['cbu_hmip', 2, 'ha'], ['cbu_p256', 3, 'cn'],
  ];
  for (const [c, i, who] of cases) {
    it(`${c} #${i + 1}: Cert_${who} subject, issuer, validity, key, prefix/SAN, SHA-256`, () => {
      const p = P[c]![i]!;
      const e = certs[who];
      expect(hexOf((p.data.cbu as CbuInfo).get(0x33)!.value)).toBe(e.der);
      expect(values(p, 'mip6.cbu.cert.subject')).toEqual([e.subject]);
      expect(values(p, 'mip6.cbu.cert.issuer')).toEqual([e.issuer]);
      expect(values(p, 'mip6.cbu.cert.not_before')).toEqual(['Jan  1, 2023 00:00:00.000000000 UTC']);
      expect(values(p, 'mip6.cbu.cert.not_after')).toEqual(['Jan  1, 2030 00:00:00.000000000 UTC']);
      expect(values(p, 'mip6.cbu.cert.key_type')).toEqual([e.key.type]);
      if (e.key.bits) expect(values(p, 'mip6.cbu.cert.key_bits')).toEqual([String(e.key.bits)]);
      if (e.key.curve) expect(values(p, 'mip6.cbu.cert.curve')).toEqual([e.key.curve]);
      expect(values(p, 'mip6.cbu.cert.ip_block')).toEqual(e.prefix ? [e.prefix] : []);
      expect(values(p, 'mip6.cbu.cert.san_ip')).toEqual(e.san_ip ? [e.san_ip] : []);
      expect(values(p, 'mip6.cbu.cert.sha256')).toEqual([colonHex(e.sha256)]);
    });
  }

  it('a broken certificate DER is flagged, the rest of the message and capture still decode', async () => {
    await ready();
    const c = openCapture(capFile('cbu_fig2'));
    const all = [...c.packets];
    c.source.close();
    const p0 = P.cbu_fig2![3]!;
    const cert = (p0.data.cbu as CbuInfo).get(0x33)!;
    const b = Buffer.from(all[3]!.data);
    b[cert.off + 4 + 1] ^= 0x55; // break the outer SEQUENCE length
    const e = new Engine();
    const p = e.dissect({ ...all[3]!, data: b }, 1, true);
    expect(p.expert.map((x) => x.id)).toContain('cbu.bad_certificate');
    expect(p.expert.some((x) => x.id === 'dissector.bug')).toBe(false);
    expect((p.data.cbu as CbuInfo).fields).toHaveLength(8);
    expect((p.data.cbu as CbuInfo).padding).toBe(frames('cbu_fig2')[3]!.padding);
    expect(e.dissect(all[4]!, 2, true).data.cbu.name).toBe('EXCH1');
  });
});

describe('carrier: MH 11 + magic, decode-as', () => {
  it('MH 11 without 0xCB 0x01 stays plain Experimental', async () => {
    const p = (await dissectFile(capFile('ext_lookalikes')))[1]!;
    expect(p.data.cbu).toBeUndefined();
    expect(p.info).toBe('Experimental Mobility Header');
  });

  it('registered at heur:11; -d mip6.mhtype==12,mip6.cbu moves CBU to MH 12', () => {
    expect(table('mip6.mhtype').get('heur:11')?.name).toBe('mip6.cbu');
    const f = capFile('ext_lookalikes');
    const e = frames('ext_lookalikes')[3]!;
    const a = run(['-r', f, '-Y', 'frame.number==4']);
    expect(a.stdout).not.toContain('CBU');
    const b = run(['-r', f, '-d', 'mip6.mhtype==12,mip6.cbu', '-T', 'fields', '-e', 'mip6.cbu.type', '-e', 'mip6.cbu.seq', '-e', 'mip6.cbu.hoa', '-E', 'occurrence=f']);
    expect(b.code).toBe(0);
    expect(b.stdout.split('\n')[3]).toBe(`${e['mip6.cbu.type']}\t9\t2001:db8:1::100`);
    const c = run(['-r', f, '-d', 'mip6.mhtype==12,mip6.cbu']);
    expect(c.stdout).toContain('CBU BU seq=9');
  });
});

describe('tshark 4.0 on the CBU captures', () => {
  it('decodes them as RFC 5096 Experimental MH without a malformed mark; header fields agree', () => {
    if (!haveTshark()) {
      console.log('skipped: tshark not installed');
      return;
    }
    for (const c of CAPS) {
      const rows = flattenJson(tshark(['-r', capFile(c), '-T', 'json']));
      expect(rows.some((r) => r.key === '_ws.malformed'), c).toBe(false);
      P[c]!.forEach((p, i) => {
        for (const k of ['mip6.proto', 'mip6.hlen', 'mip6.mhtype', 'mip6.csum']) {
          const ts = rows.filter((r) => r.pkt === i && r.key === k).map((r) => r.value);
          expect(values(p, k), `${c} #${i + 1} ${k}`).toEqual(ts);
        }
        // tshark's Experimental "message data" is the CBU message from the magic on
        const md = rows.find((r) => r.pkt === i && r.key === 'mip6.mhemd')?.value;
        if (md) expect(md.replace(/:/g, '').slice(0, 4)).toBe('cb01');
      });
    }
  });
});

describe('truncated CBU messages', () => {
  it('every prefix of every frame: no exception, flagged, next packet unchanged', async () => {
    await ready();
    for (const c of ['cbu_fig2', 'cbu_hmip']) {
      const cap = openCapture(capFile(c));
      const all = [...cap.packets];
      cap.source.close();
      for (const r of all) {
        const step = r.data.length > 400 ? 7 : 1;
        for (let n = 14; n < r.data.length; n += step) {
          const e = new Engine();
          const p = e.dissect({ ...r, data: r.data.subarray(0, n), caplen: n }, 1, true);
          expect(p.expert.some((x) => x.id === 'dissector.bug'), `${c} len ${n}`).toBe(false);
          expect(p.truncated || p.malformed).toBe(true);
          const q = e.dissect(all[0]!, 2, false);
          expect(q.data.cbu.name).toBe(frames(c)[0]!.msg);
        }
      }
    }
  });

  it('a field length past the message is mh.malformed, earlier fields kept', async () => {
    await ready();
    const cap = openCapture(capFile('cbu_fig2'));
    const r = [...cap.packets][6]!; // BU
    cap.source.close();
    const b = Buffer.from(r.data);
    const info = P.cbu_fig2![6]!.data.cbu as CbuInfo;
    const mac = info.get(0x40)!;
    b.writeUInt16BE(40, mac.off + 2);
    const p = new Engine().dissect({ ...r, data: b }, 1, true);
    expect(p.expert.map((x) => x.id)).toContain('mh.malformed');
    expect((p.data.cbu as CbuInfo).fields.map((f) => f.type)).toEqual([0x10, 0x38, 0x39]);
    expect(p.info).toContain('CBU BU seq=1');
    expect(p.info).toContain('[Malformed Packet]');
  });
});

describe('random damage to the extension captures', () => {
  it('seeded byte flips never raise a dissector bug, and the next packet is unchanged', async () => {
    await ready();
    let seed = 0x9e3779b9;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (const c of [...CAPS, 'lke', 'cookie', 'ext_lookalikes']) {
      const cap = openCapture(capFile(c));
      const all = [...cap.packets];
      cap.source.close();
      for (const r of all) {
        for (let k = 0; k < 60; k++) {
          const b = Buffer.from(r.data);
          const n = 1 + Math.floor(rnd() * 4);
          // flips inside the IPv6 payload, where the extension layouts live
          for (let j = 0; j < n; j++) b[54 + Math.floor(rnd() * (b.length - 54))] = Math.floor(rnd() * 256);
          const e = new Engine();
          const p = e.dissect({ ...r, data: b }, 1, true);
          const bug = p.expert.find((x) => x.id === 'dissector.bug' || x.id === 'analysis.bug');
          expect(bug?.message, `${c}`).toBeUndefined();
          const q = e.dissect(all[0]!, 2, true);
          expect(q.info).toBe(P[c]?.[0]?.info ?? q.info);
        }
      }
    }
  });
});
