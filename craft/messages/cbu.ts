// CBU messages (spec §5, §7): the 20 messages of seed 001 as MH type 11 with the
// 0xCB 0x01 preamble. Each message lists its fields in §5 order as lazily computed
// values: a value given in the packet's "fields" wins, "omit"/"extra"/"list" change
// the layout, "break" spoils a computed MAC, signature or Sealed tag; the rest is
// filled from the exchange crafted so far (cookies, nonces, DH, keys, EXCH0 as
// sent), the keyring's cbu section and the scenario's identities.
import { dhShared, sessionKeys } from '../../crypto/cbu.js';
import { mobilityHeader } from '../encode.js';
import { ScenarioError } from '../scenario.js';
import { num, ipv6 } from '../values.js';
import { registerCraftMessage, registerCraftPrepare, type CraftContext, type CraftedLayer } from '../registry.js';
import { F, cbuMessageData } from '../cbu/fields.js';
import { prf, prfAlg, keyringDh, cbuKeyring } from '../cbu/keys.js';
import { loadIdentities, identityFor } from '../cbu/identities.js';
import { sessionOfCn, keysOf, kHaCurrent, kHaZ, type Session } from '../cbu/state.js';
import { Msg, A, u8, u16, lazy, lazy0, field, hostAddr, layout, type MsgDef } from '../cbu/msg.js';

const SEALING = ['sealed', 'sealedKey', 'iv', 'tunnel'];
const SIGNING = ['signature', 'identity', 'certificate', 'certIdentity'];

/** The correspondent a REQ names: fields.cn, else the one this MN talks to next. */
function nextCn(m: Msg): Buffer {
  return m.r.addr('cn', () => {
    const { sc, p } = m.ctx;
    for (const q of sc.packets.slice(m.i + 1)) {
      const t = typeByName(q.msg);
      if (q.from === p.from && t !== undefined && [2, 4, 7, 11].includes(t)) { const h = m.host(q.to); return h.addr ?? h.hoa!; }
    }
    throw new ScenarioError(`${m.w}.cn: give the correspondent (an address or a host name): no later COOKIE0, EXCH0, EXCH0' or BU from ${p.from} names one`);
  });
}

// REQ and REQ_KEY: Sealed{HoA, CoA, CN, N0 [, Flag=REQKEN]} from the HoA to the HA, tunnelled
function request(keyed: boolean): MsgDef['build'] {
  return (m) => {
    const { ctx } = m;
    m.tunnel(() => ctx.p.to);
    const hoa = lazy(() => m.r.addr('hoa', () => ctx.from.hoa ?? m.src));
    const n0 = lazy(() => m.r.octets('n0', 8, () => m.det(8, 'N0')));
    const plain = [
      field(F.HOA, hoa),
      field(F.COA, () => m.r.addr('coa', () => hostAddr(ctx.from, 'careof', `${ctx.w}.from`))),
      field(F.CN, () => nextCn(m)),
      field(F.N0, n0),
      ...(keyed ? [field(F.FLAG, () => u8(m.r.u8('flag', () => 1)))] : []),
    ];
    // the key is the sender's, whatever HoA the plaintext claims
    const key = () => {
      const own = ctx.from.hoa ?? m.src;
      const next = keyed ? m.st.kHaNext.get(own.toString('hex')) : undefined;
      if (next) ctx.notes.push('sealed under k_HA-next from the REP');
      return next ?? kHaCurrent(ctx, own);
    };
    // the N0 meant, even when the Sealed value was given whole: the REP / NEWKEY echo it
    m.commit = () => {
      const v = n0.peek() ?? (m.r.has('n0') ? n0() : undefined);
      if (v) (keyed ? m.st.reqKey : m.st.req).set(ctx.p.from, { n0: v, ha: ctx.p.via ?? ctx.p.to });
    };
    return [field(F.SEALED, m.sealed(key, plain))];
  };
}

// REP and NEWKEY: from the CN to the MN's CoA through the HA, sealed under k_HA / k_HA-next
function haOf(m: Msg): string | undefined {
  const mn = m.ctx.p.to;
  return m.st.req.get(mn)?.ha ?? m.hostRef(mn, 'ha');
}

/** After EXCH1: k_DH, k_master and k_BU / k_BA / k_EN of the exchange (§5). */
function deriveKeys(m: Msg, s: Session, dh: ReturnType<Msg['dh']>): void {
  const sent = m.got.get(F.DH);
  if (!sent || sent.length < 2) return;
  const group = sent.readUInt16BE(0);
  s.gy = sent.subarray(2);
  s.y = dh.ownPrivate && dh.field.peek()?.equals(sent) ? dh.priv() : undefined;
  if (!s.n1 || !s.n2 || !s.gx || s.group !== group) {
    m.ctx.notes.push('no session keys from this exchange (nonces or DH values missing, or groups differ)');
    return;
  }
  // k_DH as the MN computes it (x with g^y), else as the CN does (y with g^x)
  let kdh: Buffer | undefined;
  try {
    if (s.x) kdh = dhShared(group, s.x, s.gy).kdh;
    else if (s.y) kdh = dhShared(group, s.y, s.gx).kdh;
  } catch {
    kdh = undefined;
  }
  if (!kdh) { m.ctx.notes.push('k_DH not computable (no private value behind the DH values sent)'); return; }
  const k = sessionKeys(prfAlg(m.ctx), kdh, s.n1, s.n2);
  s.keys = { kBU: k.kBU, kBA: k.kBA, kEN: k.kEN, kMaster: k.kMaster };
  s.keysFrom = 'DH';
  m.ctx.notes.push('session keys derived from the DH exchange');
}

const DEFS: MsgDef[] = [
  {
    type: 1, name: 'REQ', roles: ['home', 'home'], reads: ['hoa', 'coa', 'cn', 'n0', ...SEALING],
    build: request(false),
  },
  {
    type: 2, name: 'COOKIE0', roles: ['home', 'home'], reads: ['c0'],
    build(m) {
      const s = m.session(true);
      m.commit = () => { s.c0 = m.got.get(F.C0) ?? s.c0; };
      return [field(F.C0, () => m.r.octets('c0', 8, () => m.det(8, 'C0')))];
    },
  },
  {
    type: 3, name: 'COOKIE1', roles: ['home', 'home'], reads: ['c0', 'c1', 'n1'],
    build(m) {
      const s = m.session(false);
      // EXCH0 and EXCH1 echo the cookies COOKIE1 issued
      m.commit = () => {
        s.c0 = m.got.get(F.C0) ?? s.c0;
        s.c1 = m.got.get(F.C1) ?? s.c1;
        s.n1 = m.got.get(F.N1) ?? s.n1;
      };
      return [
        field(F.C0, () => m.r.octets('c0', 8, () => s.c0 ?? m.det(8, 'C0'))),
        field(F.C1, () => m.r.octets('c1', 8, () => m.det(8, 'C1'))),
        field(F.N1, () => m.r.octets('n1', 8, () => m.det(8, 'N1'))),
      ];
    },
  },
  {
    type: 4, name: 'EXCH0', roles: ['home', 'home'], reads: ['c0', 'c1', 'n1', 'n2', 'dh', 'ts', ...SIGNING],
    build(m) {
      const s = m.session(true);
      const n1 = lazy(() => m.r.octets('n1', 8, () => s.n1 ?? m.det(8, 'N1')));
      const n2 = lazy(() => m.r.octets('n2', 8, () => m.det(8, 'N2')));
      const dh = m.dh('mn', m.src, () => keyringDh(m.ctx, m.src)?.group ?? 14);
      const ts = lazy(() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(m.r.has('ts') ? num(m.r.raw('ts'), `${m.w}.ts`, Number.MAX_SAFE_INTEGER) : Math.floor(m.t))); return b; });
      // SIG_HA: the MN's home agent signs: its host's identity, else the one whose prefix covers the HoA
      const ha = lazy0(() => m.signer(`SIG_HA (home address ${A(m.src)})`,
        () => m.hostIdentity(m.st.req.get(m.ctx.p.from)?.ha),
        () => m.hostIdentity(m.hostRef(m.ctx.p.from, 'ha')),
        () => identityFor(m.ids, m.src, 'prefix')));
      m.commit = () => {
        s.n1 = m.got.get(F.N1) ?? s.n1;
        s.n2 = m.got.get(F.N2);
        const sent = m.got.get(F.DH);
        s.group = sent && sent.length >= 2 ? sent.readUInt16BE(0) : dh.group;
        s.gx = sent?.subarray(2);
        // the private value counts only when the value sent is its own public value
        s.x = sent && dh.ownPrivate && dh.field.peek()?.equals(sent) ? dh.priv() : undefined;
        s.keys = undefined;
        s.keysFrom = undefined;
      };
      m.finish = (ip, off, len) => { s.ex0 = { ip, off, len }; };
      return [
        field(F.C0, () => m.r.octets('c0', 8, () => s.c0 ?? m.det(8, 'C0'))),
        field(F.C1, () => m.r.octets('c1', 8, () => s.c1 ?? m.det(8, 'C1'))),
        field(F.N1, n1),
        field(F.N2, n2),
        field(F.DH, dh.field),
        field(F.TS, ts),
        field(F.SIG, m.sign(ha, () => Buffer.concat([m.src, m.dst, dh.pub(), n1(), n2(), ts()]))),
        field(F.CERT, () => m.r.octets('certificate', undefined, () => m.certOf(ha))),
      ];
    },
  },
  {
    type: 5, name: 'EXCH1', roles: ['home', 'home'], reads: ['c0', 'c1', 'dh', ...SIGNING],
    build(m) {
      const s = m.session(false);
      const dh = m.dh('cn', m.src, () => s.group ?? keyringDh(m.ctx, m.src)?.group ?? 14);
      const cn = lazy0(() => m.signer(`SIG_CN (correspondent ${A(m.src)})`,
        () => m.hostIdentity(m.ctx.p.from), () => identityFor(m.ids, m.src, 'any')));
      const ex0 = () => {
        if (!s.ex0) throw new ScenarioError(`${m.w}.signature: SIG_CN covers the EXCH0 as sent: craft the EXCH0 from ${m.ctx.p.to} to ${m.ctx.p.from} first (or give the signature)`);
        const b = Buffer.from(s.ex0.ip.subarray(s.ex0.off, s.ex0.off + s.ex0.len));
        b.writeUInt16BE(0, 4);
        return b;
      };
      m.commit = () => deriveKeys(m, s, dh);
      return [
        field(F.C0, () => m.r.octets('c0', 8, () => s.c0 ?? m.det(8, 'C0'))),
        field(F.C1, () => m.r.octets('c1', 8, () => s.c1 ?? m.det(8, 'C1'))),
        field(F.DH, dh.field),
        field(F.SIG, m.sign(cn, () => Buffer.concat([m.src, m.dst, dh.pub(), ex0()]))),
        field(F.CERT, () => m.r.octets('certificate', undefined, () => m.certOf(cn))),
      ];
    },
  },
  {
    type: 6, name: 'REP', roles: ['home', 'careof'], reads: ['n0', 'kBU', 'kBA', 'kEN', 'kHaNext', ...SEALING],
    build(m) {
      m.tunnel(() => haOf(m));
      const s = m.session(false);
      const keys = lazy0(() => keysOf(m.ctx, s, 'REP'));
      const n0 = lazy(() => m.r.octets('n0', 8, () => {
        const r = m.st.req.get(m.ctx.p.to);
        if (!r) throw new ScenarioError(`${m.w}.n0: no REQ from ${m.ctx.p.to} earlier to take N0 from (give n0)`);
        return r.n0;
      }));
      const next = lazy(() => m.r.octets('kHaNext', undefined, () => {
        if (!s.n1) throw new ScenarioError(`${m.w}.kHaNext: k_HA-next = prf(z, N0 | N1) needs N1 of an earlier COOKIE1/EXCH0 (or give kHaNext)`);
        return prf(m.ctx, kHaZ(m.ctx, s.hoa), n0(), s.n1);
      }));
      m.commit = () => {
        const v = next.peek() ?? (m.r.has('kHaNext') ? next() : undefined);
        if (v) m.st.kHaNext.set(s.hoa.toString('hex'), v);
      };
      return [field(F.SEALED, m.sealed(() => kHaCurrent(m.ctx, s.hoa), [
        field(F.N0, n0),
        field(F.K_BU, () => m.r.octets('kBU', undefined, () => keys().kBU)),
        field(F.K_BA, () => m.r.octets('kBA', undefined, () => keys().kBA)),
        field(F.K_EN, () => m.r.octets('kEN', undefined, () => keys().kEN)),
        field(F.K_HA_NEXT, next),
      ]))];
    },
  },
  {
    type: 7, name: 'BU', roles: ['careof', 'home'], reads: ['hoa', 'seq', 'ltBu', 'mac'],
    build(m) {
      const s = m.session(true);
      const hoa = lazy(() => m.r.addr('hoa', () => s.hoa));
      const seq = lazy(() => u16(m.r.u16('seq', () => (s.seq === undefined ? 1 : (s.seq + 1) & 0xffff))));
      const lt = lazy(() => u16(m.r.u16('ltBu', () => 60)));
      m.commit = () => {
        const sq = m.got.get(F.SEQ), l = m.got.get(F.LT_BU);
        if (sq?.length === 2) s.seq = sq.readUInt16BE(0);
        if (l?.length === 2) s.ltBu = l.readUInt16BE(0);
      };
      return [
        field(F.HOA, hoa), field(F.SEQ, seq), field(F.LT_BU, lt),
        field(F.MAC, m.mac(() => keysOf(m.ctx, s, 'the BU MAC').kBU, hoa, () => m.src, seq, lt)),
      ];
    },
  },
  {
    type: 8, name: 'BA', roles: ['careof', 'careof'], reads: ['hoa', 'cn', 'seq', 'ltBa', 'ltEn', 'mac'],
    build(m) {
      const s = m.session(false);
      const seq = lazy(() => u16(m.r.u16('seq', () => s.seq ?? 1)));
      const ltBa = lazy(() => u16(m.r.u16('ltBa', () => s.ltBu ?? 60)));
      const ltEn = lazy(() => u16(m.r.u16('ltEn', () => s.ltEn ?? 900)));
      // two-MN case (§7): a mobile CN answers from its CoA and names its home address in CN
      const mobileCn = !m.ctx.from.addr;
      m.commit = () => { const l = m.got.get(F.LT_EN); if (l?.length === 2) s.ltEn = l.readUInt16BE(0); };
      return [
        field(F.HOA, () => m.r.addr('hoa', () => s.hoa)),
        ...(mobileCn || m.r.has('cn') ? [field(F.CN, () => m.r.addr('cn', () => s.cnAddr))] : []),
        field(F.SEQ, seq), field(F.LT_BA, ltBa), field(F.LT_EN, ltEn),
        field(F.MAC, m.mac(() => keysOf(m.ctx, s, 'the BA MAC').kBA, () => m.dst, () => m.src, seq, ltBa, ltEn)),
      ];
    },
  },
  {
    type: 9, name: 'BC', roles: ['careof', 'careof'], reads: ['hoa', 'seq', 'flag', 'mac'],
    build(m) {
      const s = m.session(true);
      const hoa = lazy(() => m.r.addr('hoa', () => s.hoa));
      const seq = lazy(() => u16(m.r.u16('seq', () => s.seq ?? 1)));
      const flag = lazy(() => u8(m.r.u8('flag', () => 1)));
      return [
        field(F.HOA, hoa), field(F.SEQ, seq), field(F.FLAG, flag),
        field(F.MAC, m.mac(() => keysOf(m.ctx, s, 'the BC MAC').kBA, hoa, () => m.src, seq, flag)),
      ];
    },
  },
  {
    type: 10, name: 'REQ_KEY', roles: ['home', 'home'], reads: ['hoa', 'coa', 'cn', 'n0', 'flag', ...SEALING],
    build: request(true),
  },
  {
    type: 11, name: "EXCH0'", aliases: ['EXCH0P', 'EXCH0-PRIME'], roles: ['home', 'home'], reads: ['n1', 'mac'],
    build(m) {
      const s = m.session(true);
      const n1 = lazy(() => m.r.octets('n1', 8, () => m.det(8, "N1'")));
      m.commit = () => { s.n1p = m.got.get(F.N1) ?? s.n1p; };
      return [field(F.N1, n1), field(F.MAC, m.mac(() => keysOf(m.ctx, s, "the EXCH0' MAC").kEN, () => m.src, n1))];
    },
  },
  {
    type: 12, name: "EXCH1'", aliases: ['EXCH1P', 'EXCH1-PRIME'], roles: ['home', 'home'], reads: ['n1', 'n2', 'ltEn', 'mac'],
    build(m) {
      const s = m.session(false);
      const n1 = lazy(() => m.r.octets('n1', 8, () => s.n1p ?? m.det(8, "N1'")));
      const n2 = lazy(() => m.r.octets('n2', 8, () => m.det(8, "N2'")));
      const lt = lazy(() => u16(m.r.u16('ltEn', () => s.ltEn ?? 900)));
      m.commit = () => {
        s.n1p = m.got.get(F.N1) ?? s.n1p;
        s.n2p = m.got.get(F.N2) ?? s.n2p;
        const l = m.got.get(F.LT_EN);
        if (l?.length === 2) s.ltEnNew = l.readUInt16BE(0);
      };
      return [
        field(F.N1, n1), field(F.N2, n2), field(F.LT_EN, lt),
        field(F.MAC, m.mac(() => keysOf(m.ctx, s, "the EXCH1' MAC").kEN, () => m.src, n1, n2, lt)),
      ];
    },
  },
  {
    type: 13, name: 'NEWKEY', roles: ['home', 'careof'], reads: ['n0', 'kEnNew', 'ltEn', ...SEALING],
    build(m) {
      m.tunnel(() => m.st.reqKey.get(m.ctx.p.to)?.ha ?? haOf(m));
      const s = m.session(false);
      const kNew = lazy(() => m.r.octets('kEnNew', undefined, () => {
        const km = s.keys?.kMaster;
        if (!km || !s.n1p || !s.n2p) throw new ScenarioError(`${m.w}.kEnNew: k_EN-new = prf(k_master, N1' | N2' | 0x02) needs a DH exchange and EXCH0'/EXCH1' crafted earlier (or give kEnNew)`);
        return prf(m.ctx, km, s.n1p, s.n2p, u8(2));
      }));
      // from now on EXCH0'/EXCH1' use the new k_EN
      m.commit = () => { const v = kNew.peek(); if (v && s.keys) s.keys = { ...s.keys, kEN: v }; };
      const key = () => m.st.kHaNext.get(s.hoa.toString('hex')) ?? kHaCurrent(m.ctx, s.hoa);
      return [field(F.SEALED, m.sealed(key, [
        field(F.N0, () => m.r.octets('n0', 8, () => {
          const r = m.st.reqKey.get(m.ctx.p.to);
          if (!r) throw new ScenarioError(`${m.w}.n0: no REQ_KEY from ${m.ctx.p.to} earlier to take N0' from (give n0)`);
          return r.n0;
        })),
        field(F.K_EN_NEW, kNew),
        field(F.LT_EN, () => u16(m.r.u16('ltEn', () => s.ltEnNew ?? s.ltEn ?? 900))),
      ]))];
    },
  },
  {
    type: 14, name: 'TEST', roles: ['home', 'careof'], reads: ['flag'],
    build: (m) => [field(F.FLAG, () => u8(m.r.u8('flag', () => 1)))],
  },
  {
    type: 15, name: 'ALIVE', roles: ['careof', 'home'], reads: ['n3'],
    build(m) {
      m.commit = () => { const n3 = m.got.get(F.N3); if (n3) m.st.n3.set(m.ctx.p.from, n3); };
      return [field(F.N3, () => m.r.octets('n3', 8, () => m.det(8, 'N3')))];
    },
  },
  {
    type: 16, name: 'KEYS', roles: ['home', 'careof'], reads: ['n3', 'kBU', 'kBA', 'kEN', 'sealed', 'sealedKey', 'iv'],
    build(m) {
      const cn = m.ctx.p.to;
      const keys = lazy0(() => {
        const s = sessionOfCn(m.ctx, cn);
        if (s) return keysOf(m.ctx, s, 'KEYS');
        const h = m.host(cn);
        const e = cbuKeyring(m.ctx).sessionKeys.find((k) => k.cn.equals(h.hoa ?? h.addr!));
        if (!e) throw new ScenarioError(`${m.ctx.w}: KEYS carries the session keys of an exchange with ${cn}: craft it first, or list them in keyring cbu.sessionKeys (or give kBU, kBA, kEN)`);
        return e;
      });
      const key = () => {
        const e = cbuKeyring(m.ctx).kCN.find((k) => k.cnCoA.equals(m.dst));
        if (!e) throw new ScenarioError(`${m.ctx.w}: no k_CN to seal with: the keyring needs a cbu.kCN entry for ${A(m.dst)} (or give sealedKey or sealed)`);
        return e.key;
      };
      return [field(F.SEALED, m.sealed(key, [
        field(F.N3, () => m.r.octets('n3', 8, () => m.st.n3.get(cn) ?? m.det(8, 'N3'))),
        field(F.K_BU, () => m.r.octets('kBU', undefined, () => keys().kBU)),
        field(F.K_BA, () => m.r.octets('kBA', undefined, () => keys().kBA)),
        field(F.K_EN, () => m.r.octets('kEN', undefined, () => keys().kEN)),
      ]))];
    },
  },
  {
    type: 17, name: 'FWD', roles: ['careof', 'careof'], reads: ['hoa', 'seq', 'ltBu', 'mac'],
    build(m) {
      // FWD repeats the forwarded BU (§7): its Seq# and LT_BU
      const s = m.session(true);
      const hoa = lazy(() => m.r.addr('hoa', () => s.hoa));
      const seq = lazy(() => u16(m.r.u16('seq', () => s.seq ?? 1)));
      const lt = lazy(() => u16(m.r.u16('ltBu', () => s.ltBu ?? 60)));
      return [
        field(F.HOA, hoa), field(F.SEQ, seq), field(F.LT_BU, lt),
        field(F.MAC, m.mac(() => keysOf(m.ctx, s, 'the FWD MAC').kBU, hoa, () => m.src, seq, lt)),
      ];
    },
  },
  {
    type: 18, name: 'HBU', roles: ['careof', 'home'], reads: ['hoa', 'rcoa', ...SIGNING],
    build(m) {
      const { from } = m.ctx;
      const hoa = lazy(() => m.r.addr('hoa', () => hostAddr(from, 'home', `${m.ctx.w}.from`)));
      const rcoa = lazy(() => m.r.addr('rcoa', () => {
        const v = m.rawHost(m.ctx.p.from).rcoa;
        if (v === undefined) throw new ScenarioError(`${m.w}.rcoa: give the regional CoA (here or as the host's "rcoa")`);
        return ipv6(v, `hosts.${m.ctx.p.from}.rcoa`);
      }));
      const mn = lazy0(() => m.signer(`SIG_MN (home address ${A(hoa())})`,
        () => m.hostIdentity(m.ctx.p.from), () => identityFor(m.ids, hoa(), 'san')));
      return [
        field(F.HOA, hoa), field(F.RCOA, rcoa),
        field(F.SIG, m.sign(mn, () => Buffer.concat([m.src, m.dst, hoa(), rcoa()]))),
        field(F.CERT, () => m.r.octets('certificate', undefined, () => m.certOf(mn))),
      ];
    },
  },
  {
    type: 19, name: 'REQ_Cert', roles: ['home', 'home'], reads: ['flag'],
    build: (m) => [field(F.FLAG, () => u8(m.r.u8('flag', () => 1)))],
  },
  {
    type: 20, name: 'REP_Cert', roles: ['home', 'home'], reads: ['certificate', 'identity', 'certIdentity'],
    build(m) {
      const ha = lazy0(() => m.signer(`Cert_HA (sender ${m.ctx.p.from})`, () => m.hostIdentity(m.ctx.p.from)));
      return [field(F.CERT, () => m.r.octets('certificate', undefined, () => m.certOf(ha)))];
    },
  },
];

const BY_NAME = new Map<string, MsgDef>();
for (const d of DEFS) {
  for (const n of [`CBU-${d.name}`, d.name, ...(d.aliases ?? [])]) {
    // BU and BA stay RFC 6275's: the CBU ones are CBU-BU and CBU-BA
    if ((d.name !== 'BU' && d.name !== 'BA') || n.startsWith('CBU-')) BY_NAME.set(n.toLowerCase(), d);
  }
}

/** CBU message type of a scenario message name, if it is one. */
function typeByName(n: string): number | undefined {
  return BY_NAME.get(n.toLowerCase())?.type;
}

function build(def: MsgDef, ctx: CraftContext): CraftedLayer {
  if (ctx.p.options.length) throw new ScenarioError(`${ctx.w}.options: CBU messages carry fields, not mobility options (use fields.extra)`);
  const m = new Msg(ctx, def);
  m.r.checkMembers(def.name);
  const specs = def.build(m);
  const fields = layout(m, specs);
  for (const f of fields) if (!m.got.has(f.type)) m.got.set(f.type, f.value);
  m.commit?.();
  const o = ctx.p.override;
  const flags = m.r.u8('flags', () => 0);
  const data = cbuMessageData(def.type, flags, fields);
  // the Header Len octet counts 8-octet units after the first: 2048 octets at most
  if (6 + data.length > 2048 && o.hlen === undefined) throw new ScenarioError(`${ctx.w}: CBU ${def.name} is ${6 + data.length} octets, more than a Mobility Header can hold (2048); shorten it or give override.hlen`);
  const mh = mobilityHeader(o.mhType === undefined ? 11 : num(o.mhType, `${ctx.w}.override.mhType`, 255), data, {
    proto: o.proto === undefined ? undefined : num(o.proto, `${ctx.w}.override.proto`, 255),
    hlen: o.hlen === undefined ? undefined : num(o.hlen, `${ctx.w}.override.hlen`, 255),
  });
  ctx.notes.push(`CBU ${def.name}: ${fields.length} fields, ${mh.length} octets`);
  const fin = m.finish;
  return {
    nxt: 135, payload: mh, checksumAt: 4, src: m.src, dst: m.dst,
    // §7: CBU messages carry no Home Address option; the packet may still force one
    hao: ctx.p.hao ?? null, rh2: ctx.p.rh2 ?? null, hlim: ctx.p.hlim,
    finish: fin ? (ip, ulOff) => fin(ip, ulOff, mh.length) : undefined,
  };
}

for (const d of DEFS) {
  const names = [...BY_NAME.entries()].filter(([, v]) => v === d).map(([k]) => k);
  registerCraftMessage({ names: [`CBU-${d.name}`, ...names], build: (ctx) => build(d, ctx) });
}

registerCraftPrepare(async (sc, state) => {
  const ids = await loadIdentities(sc);
  state.set('cbu.identities', ids);
});
