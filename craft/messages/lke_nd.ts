// LKE Neighbor Discovery (spec §3, §7): the Router Advertisement with the H bit and
// the LKE Capability option (ND 6: Maximum Lifetime, DER SubjectPublicKeyInfo of
// the AR's RSA key), the DAD Neighbor Solicitation with the DAD Authentication
// Request (ND 7) and the Neighbor Advertisement with the DAD Authentication Reply
// (ND 8). Their HMAC is HMAC_SHA1(Kbm, IPv6 packet to the end of the ICMPv6
// message) with the checksum and the 20 HMAC octets zero: filled in finish(),
// where both are still zero, before build.ts sets the checksum.
import { createHmac } from 'node:crypto';
import { parseIPv6 } from '../../core/addr.js';
import { ScenarioError } from '../scenario.js';
import { registerCraftMessage, type CraftContext, type CraftedLayer } from '../registry.js';
import { hex, num, flags, ipv6 } from '../values.js';
import { ndOption, solicitedNode, routerAdvertisement, neighborMessage, prefixInfo, ALL_NODES, UNSPECIFIED, RA_FLAGS, NA_FLAGS } from '../icmpv6.js';
import { spkiDer, detBytes } from '../rsa_encrypt.js';
import { lkeState, linkLocalOf, arPublicKey, needKbm, withOverrides, hopLimit255 } from '../lke_state.js';

const DAD_OPT_LEN = 48;
/** HMAC offset inside a DAD Authentication option */
const DAD_HMAC_AT = 24;

function bool(v: unknown, where: string, def: boolean): boolean {
  if (v === undefined) return def;
  if (typeof v !== 'boolean') throw new ScenarioError(`${where}: true or false`);
  return v;
}

/** "2001:db8:a::/64" -> prefix and length. */
function prefix(v: unknown, where: string): [Buffer, number] {
  const m = typeof v === 'string' ? /^(.+)\/(\d{1,3})$/.exec(v) : null;
  const a = m ? parseIPv6(m[1]!) : null;
  const n = m ? Number(m[2]) : -1;
  if (!a || n > 128) throw new ScenarioError(`${where}: a prefix like "2001:db8:a::/64" is required`);
  return [a, n];
}

/** The whole packet's HMAC (checksum and HMAC octets zero in `ip` at this point), or the scenario's own value. */
function fillPacketHmac(ctx: CraftContext, ip: Buffer, at: number, kbm: () => Buffer): void {
  const over = ctx.p.override.hmac;
  const mac = over !== undefined ? hex(over, `${ctx.w}.override.hmac`, 20) : createHmac('sha1', kbm()).update(ip).digest();
  mac.copy(ip, at);
}

function dadOption(type: 7 | 8, nonce: number, ar: Buffer): Buffer {
  const b = Buffer.alloc(DAD_OPT_LEN);
  b[0] = type;
  b[1] = DAD_OPT_LEN / 8;
  b.writeUInt32BE(nonce >>> 0, 4);
  ar.copy(b, 8);
  return b;
}

function ra(ctx: CraftContext): CraftedLayer {
  const f = ctx.p.fields;
  const fw = `${ctx.w}.fields`;
  const a = withOverrides(ctx, { src: linkLocalOf(ctx, 'from', 'a Router Advertisement'), dst: ALL_NODES });
  let fl = flags(f.flags, RA_FLAGS, `${fw}.flags`, 255);
  if (bool(f.h, `${fw}.h`, true)) fl |= RA_FLAGS.H!;
  else fl &= ~RA_FLAGS.H!;
  const opts: Buffer[] = [];
  if (bool(f.slla, `${fw}.slla`, true)) opts.push(ndOption(1, ctx.from.mac));
  if (f.prefix !== false) {
    const [pfx, plen] = f.prefix !== undefined ? prefix(f.prefix, `${fw}.prefix`) : ctx.from.addr ? [ctx.from.addr, 64] : [null, 0];
    if (pfx) {
      // the prefix bits only: the rest of the address is the router's own
      const p = Buffer.alloc(16);
      for (let i = 0; i < 16; i++) p[i] = pfx[i]! & (i * 8 + 8 <= plen ? 0xff : i * 8 >= plen ? 0 : (0xff << (8 - (plen - i * 8))) & 0xff);
      opts.push(ndOption(3, prefixInfo(p, plen)));
    }
  }
  if (bool(f.capability, `${fw}.capability`, true)) {
    const key = arPublicKey(ctx, [a.src, ...(ctx.from.addr ? [ctx.from.addr] : [])], f.publicKeyPem, `${fw}.publicKeyPem`);
    const ml = Buffer.alloc(2);
    ml.writeUInt16BE(num(f.maxLifetime, `${fw}.maxLifetime`, 0xffff, 7200));
    opts.push(ndOption(6, Buffer.concat([ml, spkiDer(key)])));
  }
  const payload = routerAdvertisement({
    curHopLimit: num(f.curHopLimit, `${fw}.curHopLimit`, 255, 64),
    flags: fl,
    routerLifetime: num(f.routerLifetime, `${fw}.routerLifetime`, 0xffff, 1800),
    reachable: num(f.reachableTime, `${fw}.reachableTime`, 0xffffffff, 0),
    retrans: num(f.retransTimer, `${fw}.retransTimer`, 0xffffffff, 0),
  }, opts);
  return { nxt: 58, payload, checksumAt: 2, src: a.src, dst: a.dst, hlim: hopLimit255(ctx) };
}

/** DAD NS: the AR probes the MN's care-of address from :: to its solicited-node group (spec §7). */
function ns(ctx: CraftContext): CraftedLayer {
  const f = ctx.p.fields;
  const fw = `${ctx.w}.fields`;
  const target = f.target !== undefined ? ipv6(f.target, `${fw}.target`) : ctx.to.coa ?? ctx.to.addr!;
  const a = withOverrides(ctx, { src: UNSPECIFIED, dst: solicitedNode(target) });
  const opts: Buffer[] = [];
  let finish: CraftedLayer['finish'];
  if (bool(f.auth, `${fw}.auth`, true)) {
    const ar = f.ar !== undefined ? ipv6(f.ar, `${fw}.ar`) : linkLocalOf(ctx, 'from', 'the DAD Authentication Request (AR Address)');
    const nonce = num(f.nonce, `${fw}.nonce`, 0xffffffff, detBytes(`mip6scope craft ${ctx.w} DAD nonce`, 4).readUInt32BE(0));
    lkeState(ctx).dad.set(target.toString('hex'), { nonce, ar });
    opts.push(dadOption(7, nonce, ar));
    // NS header 24 octets, the option first
    finish = (ip, ulOff) => fillPacketHmac(ctx, ip, ulOff + 24 + DAD_HMAC_AT, () => needKbm(ctx, ar, target, f.kbm, `${fw}.kbm`).kbm);
  }
  const payload = neighborMessage(135, 0, target, opts);
  return { nxt: 58, payload, checksumAt: 2, src: a.src, dst: a.dst, hlim: hopLimit255(ctx), finish };
}

/** DAD NA: the MN defends its care-of address to ff02::1: TLLA, then the Reply copying the NS's nonce and AR. */
function na(ctx: CraftContext): CraftedLayer {
  const f = ctx.p.fields;
  const fw = `${ctx.w}.fields`;
  const target = f.target !== undefined ? ipv6(f.target, `${fw}.target`) : ctx.from.coa ?? ctx.from.addr!;
  const a = withOverrides(ctx, { src: target, dst: ALL_NODES });
  const fl = f.flags === undefined ? NA_FLAGS.O! : flags(f.flags, NA_FLAGS, `${fw}.flags`, 0xffffffff);
  const opts: Buffer[] = [];
  if (bool(f.tlla, `${fw}.tlla`, true)) opts.push(ndOption(2, ctx.from.mac));
  let finish: CraftedLayer['finish'];
  if (bool(f.reply, `${fw}.reply`, true)) {
    const pending = lkeState(ctx).dad.get(target.toString('hex'));
    const nonce = f.nonce !== undefined ? num(f.nonce, `${fw}.nonce`, 0xffffffff) : pending?.nonce;
    const ar = f.ar !== undefined ? ipv6(f.ar, `${fw}.ar`) : pending?.ar ?? ctx.to.ll;
    if (nonce === undefined) throw new ScenarioError(`${fw}.nonce: no authenticated DAD NS for this target earlier in the scenario; give the nonce`);
    if (!ar) throw new ScenarioError(`${fw}.ar: no authenticated DAD NS for this target earlier and host "${ctx.p.to}" has no "ll"; give the AR address`);
    const at = 24 + opts.reduce((n, o) => n + o.length, 0) + DAD_HMAC_AT;
    opts.push(dadOption(8, nonce, ar));
    finish = (ip, ulOff) => fillPacketHmac(ctx, ip, ulOff + at, () => needKbm(ctx, ar, target, f.kbm, `${fw}.kbm`).kbm);
  }
  const payload = neighborMessage(136, fl, target, opts);
  return { nxt: 58, payload, checksumAt: 2, src: a.src, dst: a.dst, hlim: hopLimit255(ctx), finish };
}

registerCraftMessage({ names: ['RA', 'RouterAdvertisement'], build: ra });
registerCraftMessage({ names: ['NS', 'NeighborSolicitation'], build: ns });
registerCraftMessage({ names: ['NA', 'NeighborAdvertisement'], build: na });
