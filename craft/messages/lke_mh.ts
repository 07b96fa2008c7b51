// LKE Mobility Header messages (spec §3, §7): Key Exchange Request (MH 8: Seq#,
// the Kbm RSA-encrypted under the AR's key, Requested Lifetime, PadN), Key
// Exchange Ack (MH 9: the fixed 56 octets, HMAC_SHA1(Kbm, packet)), Finished
// (MH 10: Nonce and an authenticator over src | dst | MH Data), the Finished
// Request option (6, length 6, in a BA), and the Binding Authorization Data key of
// the BU to the previous AR and its BA (LKE Kbm, src | dst of the packet).
import { createHmac } from 'node:crypto';
import { ScenarioError } from '../scenario.js';
import {
  registerCraftMessage, registerCraftOption, registerBindingKeyProvider,
  type CraftContext, type CraftedLayer, type OptionContext,
} from '../registry.js';
import { layoutOptions, mobilityHeader } from '../encode.js';
import { hex, num, ipv6 } from '../values.js';
import { rsaEncrypt, detBytes, modulusOctets, type KerPadding } from '../rsa_encrypt.js';
import { buildOptions, fillAuthenticator, mhOverrides, rfc6275Addressing } from './rfc6275.js';
import {
  lkeState, linkLocalOf, arPublicKey, needKbm, lkeKbm, isLkeAr, withOverrides, hopLimit255,
  arLinkLocal, pairKey, tie,
} from '../lke_state.js';

const PADDINGS: Record<string, KerPadding> = { oaep: 'oaep', 'oaep-sha1': 'oaep', pkcs1: 'pkcs1', 'pkcs1-v1_5': 'pkcs1', 'v1.5': 'pkcs1' };
/** KEA (spec §3): MH header, Status, Reserved, Seq#, Lifetime, option 4 at 12, Pad1 Pad1, option 5 at 32, Pad1 Pad1 */
const KEA_LEN = 56;
const KEA_HMAC_AT = 34;
/** Finished: MH header, Status, Reserved, Seq#, Lifetime, Nonce, option 5 at 16 (authenticator at 18), Pad1 Pad1 */
const FIN_LEN = 32;
const FIN_AUTH_AT = 18;

function noOptions(ctx: CraftContext, what: string): void {
  if (ctx.p.options.length) throw new ScenarioError(`${ctx.w}.options: ${what} has a fixed layout (use override.bytes to change it)`);
}

/** KER: MN link-local -> AR link-local, hop limit 255, Home Address option = the MN's primary CoA. */
function ker(ctx: CraftContext): CraftedLayer {
  const f = ctx.p.fields;
  const fw = `${ctx.w}.fields`;
  const a = withOverrides(ctx, {
    src: linkLocalOf(ctx, 'from', 'a Key Exchange Request'),
    dst: linkLocalOf(ctx, 'to', 'a Key Exchange Request'),
    hao: ctx.from.coa ?? ctx.from.addr!,
  });
  const coa = a.hao ?? a.src;
  const st = lkeState(ctx);
  const seq = num(f.seq, `${fw}.seq`, 0xffff, 0);
  const arAddrs = [a.dst, ...(ctx.to.addr ? [ctx.to.addr] : [])];
  // the Kbm is needed unless the Key Exchange Data is given as is
  const kc = f.ked === undefined || f.kbm !== undefined ? needKbmFor(ctx, arAddrs, coa, f.kbm, `${fw}.kbm`) : null;
  let ked: Buffer;
  if (f.ked !== undefined) ked = hex(f.ked, `${fw}.ked`);
  else {
    const padName = f.padding === undefined ? 'oaep' : String(f.padding).toLowerCase();
    const padding = PADDINGS[padName];
    if (!padding) throw new ScenarioError(`${fw}.padding: "oaep" (RSAES-OAEP-SHA1) or "pkcs1" (RSAES-PKCS1-v1_5)`);
    const key = arPublicKey(ctx, arAddrs, f.publicKeyPem, `${fw}.publicKeyPem`);
    if (![128, 256, 384, 512].includes(modulusOctets(key))) throw new ScenarioError(`${fw}.publicKeyPem: a ${modulusOctets(key) * 8}-bit key; LKE allows 1024, 2048, 3072 or 4096 bits`);
    const seed = f.seed !== undefined ? hex(f.seed, `${fw}.seed`, 20) : detBytes(`mip6scope craft ${ctx.w} KER seed`, 20);
    ked = rsaEncrypt(key, kc!.kbm, padding, seed);
  }
  if (kc) {
    st.lbsas.set(pairKey(arLinkLocal(st, a.dst), coa), kc.kbm);
    ctx.notes.push(kc.note);
  }
  const reqLife = f.requestedLifetime === null ? null : num(f.requestedLifetime, `${fw}.requestedLifetime`, 0xffff, 3600);
  st.kers.set(pairKey(a.src, a.dst), { seq, reqLife });
  const fixed = Buffer.alloc(2);
  fixed.writeUInt16BE(seq);
  const octx: OptionContext = { ctx, mhType: 8, src: a.src, dst: a.dst, hoa: coa, cn: a.dst, coa };
  const opts = buildOptions(ctx, octx).opts;
  if (reqLife !== null) {
    const rl = Buffer.alloc(2);
    rl.writeUInt16BE(reqLife);
    opts.unshift({ type: 3, body: rl });
  }
  // Requested Lifetime directly after the Key Exchange Data, then PadN (spec §7)
  const laid = layoutOptions(8 + ked.length, opts);
  const mh = mobilityHeader(8, Buffer.concat([fixed, ked, laid.bytes]), mhOverrides(ctx));
  return { nxt: 135, payload: mh, checksumAt: 4, ...a, hlim: hopLimit255(ctx) };
}

/** Kbm for an AR known by several addresses: the first that has one; else the error names the first address. */
function needKbmFor(ctx: CraftContext, ars: Buffer[], coa: Buffer, explicit: unknown, where: string) {
  for (const ar of ars.slice(1)) {
    const k = lkeKbm(ctx, ar, coa, explicit, where);
    if (k) return k;
  }
  return needKbm(ctx, ars[0]!, coa, explicit, where);
}

/** KEA: AR link-local -> MN link-local, hop limit 255, type 2 routing header = the MN's CoA. */
function kea(ctx: CraftContext): CraftedLayer {
  noOptions(ctx, 'a Key Exchange Ack');
  const f = ctx.p.fields;
  const fw = `${ctx.w}.fields`;
  const a = withOverrides(ctx, {
    src: linkLocalOf(ctx, 'from', 'a Key Exchange Ack'),
    dst: linkLocalOf(ctx, 'to', 'a Key Exchange Ack'),
    rh2: ctx.to.coa ?? ctx.to.addr!,
  });
  const coa = a.rh2 ?? a.dst;
  const st = lkeState(ctx);
  const last = st.kers.get(pairKey(a.dst, a.src));
  let arGlobal: Buffer;
  if (f.arAddr !== undefined) arGlobal = ipv6(f.arAddr, `${fw}.arAddr`);
  else if (ctx.from.addr) arGlobal = ctx.from.addr;
  else throw new ScenarioError(`${fw}.arAddr: host "${ctx.p.from}" has no "addr" (the AR's global address); give it`);
  tie(st, a.src, arGlobal);
  const body = Buffer.alloc(KEA_LEN - 6);
  body[0] = num(f.status, `${fw}.status`, 255, 0);
  body.writeUInt16BE(num(f.seq, `${fw}.seq`, 0xffff, last?.seq ?? 0), 2);
  // Lifetime in 4 s units: by default what the KER asked for
  body.writeUInt16BE(num(f.lifetime, `${fw}.lifetime`, 0xffff, last?.reqLife != null ? Math.floor(last.reqLife / 4) : 900), 4);
  body[6] = 4;
  body[7] = 16;
  arGlobal.copy(body, 8);
  body[26] = 5;
  body[27] = 20;
  const mh = mobilityHeader(9, body, mhOverrides(ctx));
  return {
    nxt: 135, payload: mh, checksumAt: 4, ...a, hlim: hopLimit255(ctx),
    finish(ip, ulOff) {
      const over = ctx.p.override.hmac;
      const mac = over !== undefined
        ? hex(over, `${ctx.w}.override.hmac`, 20)
        : createHmac('sha1', needKbm(ctx, a.src, coa, f.kbm, `${fw}.kbm`).kbm).update(ip).digest();
      mac.copy(ip, ulOff + KEA_HMAC_AT);
    },
  };
}

/** Finished: MN new CoA -> AR global, Home Address option = the previous CoA (RFC 6275 addressing, spec §7). */
function finished(ctx: CraftContext): CraftedLayer {
  noOptions(ctx, 'a Finished message');
  const f = ctx.p.fields;
  const fw = `${ctx.w}.fields`;
  const a = rfc6275Addressing(ctx, 10);
  const coa = a.hao ?? a.src;
  const st = lkeState(ctx);
  const req = st.finReq.get(pairKey(a.dst, a.src));
  if (f.nonce === undefined && req === undefined) throw new ScenarioError(`${fw}.nonce: no BA with a Finished Request from this AR to this CoA earlier in the scenario; give the nonce`);
  const body = Buffer.alloc(FIN_LEN - 6);
  body[0] = num(f.status, `${fw}.status`, 255, 0);
  body.writeUInt16BE(num(f.seq, `${fw}.seq`, 0xffff, 0), 2);
  body.writeUInt16BE(num(f.lifetime, `${fw}.lifetime`, 0xffff, 0), 4);
  body.writeUInt32BE(num(f.nonce, `${fw}.nonce`, 0xffffffff, req), 6);
  body[10] = 5;
  body[11] = 12;
  const mh = mobilityHeader(10, body, mhOverrides(ctx));
  return {
    nxt: 135, payload: mh, checksumAt: 4, src: a.src, dst: a.dst, hao: a.hao, rh2: a.rh2, hlim: ctx.p.hlim,
    finish(ip, ulOff) {
      const over = ctx.p.override.authenticator;
      if (over !== undefined) {
        hex(over, `${ctx.w}.override.authenticator`, 12).copy(ip, ulOff + FIN_AUTH_AT);
        return;
      }
      const kc = needKbm(ctx, a.dst, coa, f.kbm, `${fw}.kbm`);
      ctx.notes.push(kc.note);
      // MH Data keeps the trailing Pad1 Pad1; only the 12 authenticator octets go (spec §7)
      fillAuthenticator(ip, ulOff, mh.length, FIN_AUTH_AT, { kbm: kc.kbm, prefix: Buffer.concat([a.src, a.dst]) });
    },
  };
}

registerCraftMessage({ names: ['KER', 'KeyExchangeRequest'], build: ker });
registerCraftMessage({ names: ['KEA', 'KeyExchangeAck'], build: kea });
registerCraftMessage({ names: ['Finished'], build: finished });

// Finished Request (option 6, length 6, in a BA): r flag, Reserved, Nonce; the
// Finished that follows echoes the nonce.
registerCraftOption({
  names: ['finreq', 'finishedRequest'],
  build(o, ow, octx) {
    if (o.r !== undefined && typeof o.r !== 'boolean') throw new ScenarioError(`${ow}.r: true or false`);
    const nonce = num(o.nonce, `${ow}.nonce`, 0xffffffff, detBytes(`mip6scope craft ${ow} Finished Request nonce`, 4).readUInt32BE(0));
    const b = Buffer.alloc(6);
    b.writeUInt16BE(o.r === false ? 0 : 0x8000, 0);
    b.writeUInt32BE(nonce, 2);
    // a BA goes AR -> MN: keyed like the Finished that answers it (AR, MN)
    lkeState(octx.ctx).finReq.set(pairKey(octx.src, octx.dst), nonce);
    return { type: 6, body: b };
  },
});

// The BU to the previous AR and its BA (spec §3, §7): Kbm of the LBSA, src | dst of
// the packet. Chosen by {"type": "bad", "key": "lke"}, or without "key" when the
// peer is an AR the scenario did LKE with (a crafted KER or a keyring "lke" entry).
registerBindingKeyProvider((octx, opt, where) => {
  if (opt.key !== undefined && opt.key !== 'lke') return null;
  const forced = opt.key === 'lke';
  const { ctx } = octx;
  const st = lkeState(ctx);
  if (octx.mhType !== 5 && octx.mhType !== 6) {
    if (forced) throw new ScenarioError(`${where}: the LKE key serves BU and BA only`);
    return null;
  }
  // BU: MN -> AR with the Home Address option = the LBSA's CoA; BA: AR -> MN with RH2 = that CoA
  const ar = octx.mhType === 5 ? octx.dst : octx.src;
  if (!forced && !isLkeAr(ctx, st, ar)) return null;
  const kc = needKbm(ctx, ar, octx.hoa, opt.kbm, `${where}: option "bad" kbm`);
  return { kbm: kc.kbm, prefix: Buffer.concat([octx.src, octx.dst]), note: `LKE ${kc.note}` };
});
