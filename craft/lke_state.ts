// Scenario-wide LKE state (spec §3, §6, §7) shared by craft/messages/lke_nd.ts and
// lke_mh.ts: which addresses are one AR's (a host with "addr" and "ll", a KEA's AR
// Address), the LBSAs a crafted KER set up (Kbm per AR link-local address and MN
// care-of address), the last KER per MN, the DAD NS awaiting its NA, and the
// Finished Request nonces of BAs. Key material comes from the scenario, the
// crafted KER, or the raw keyring JSON, in that order; it is never printed.
import type { KeyObject } from 'node:crypto';
import { ipv6ToString } from '../core/addr.js';
import { ScenarioError } from './scenario.js';
import type { Host } from './scenario.js';
import { moduleState, type CraftContext } from './registry.js';
import { hex, sameAddr } from './values.js';
import { rsaPublicKey } from './rsa_encrypt.js';

const key = (a: Buffer) => a.toString('hex');

export interface LkeState {
  /** an AR's link-local address <-> its global one, both ways */
  ties: Map<string, Buffer>;
  /** AR link-local | MN care-of address -> Kbm */
  lbsas: Map<string, Buffer>;
  /** MN link-local | AR link-local -> the last KER */
  kers: Map<string, { seq: number; reqLife: number | null }>;
  /** DAD target -> the authenticated NS's nonce and AR address */
  dad: Map<string, { nonce: number; ar: Buffer }>;
  /** AR global | MN new care-of address -> Finished Request nonce */
  finReq: Map<string, number>;
}

export function lkeState(ctx: CraftContext): LkeState {
  return moduleState(ctx, 'lke', () => {
    const st: LkeState = { ties: new Map(), lbsas: new Map(), kers: new Map(), dad: new Map(), finReq: new Map() };
    for (const h of ctx.sc.hosts.values()) if (h.ll && h.addr) tie(st, h.ll, h.addr);
    return st;
  });
}

export function isLinkLocal(a: Buffer): boolean {
  return a[0] === 0xfe && (a[1]! & 0xc0) === 0x80;
}

export function tie(st: LkeState, ll: Buffer, global: Buffer): void {
  st.ties.set(key(ll), global);
  st.ties.set(key(global), ll);
}

/** The AR's link-local address when known (else `a` itself). */
export function arLinkLocal(st: LkeState, a: Buffer): Buffer {
  return isLinkLocal(a) ? a : st.ties.get(key(a)) ?? a;
}

export const pairKey = (a: Buffer, b: Buffer) => `${key(a)}/${key(b)}`;

/** The hosts' address a message needs, or one line naming what is missing. */
export function linkLocalOf(ctx: CraftContext, role: 'from' | 'to', what: string): Buffer {
  const h: Host = ctx[role];
  if (!h.ll) throw new ScenarioError(`${ctx.w}.${role}: host "${ctx.p[role]}" has no "ll" (link-local address), which ${what} needs`);
  return h.ll;
}

/** Keyring `lke` entries naming this AR by either of its addresses (raw JSON, with their index). */
function keyringEntries(ctx: CraftContext, st: LkeState, ar: Buffer): Array<{ e: any; i: number }> {
  const list = ctx.sc.keyring?.lke;
  if (!Array.isArray(list)) return [];
  const other = st.ties.get(key(ar));
  return list.map((e: any, i: number) => ({ e, i })).filter(({ e }) => sameAddr(ar, e?.ar) || (other !== undefined && sameAddr(other, e?.ar)));
}

/** An AR this scenario does LKE with: an LBSA crafted with it, or a keyring `lke` entry. */
export function isLkeAr(ctx: CraftContext, st: LkeState, ar: Buffer): boolean {
  const ll = key(arLinkLocal(st, ar)) + '/';
  for (const k of st.lbsas.keys()) if (k.startsWith(ll)) return true;
  return keyringEntries(ctx, st, ar).length > 0;
}

export interface KbmChoice {
  kbm: Buffer;
  note: string;
}

/** Kbm between this AR and the MN at `coa`: `explicit` (hex), then a crafted KER's, then the keyring's `kbm`. */
export function lkeKbm(ctx: CraftContext, ar: Buffer, coa: Buffer, explicit: unknown, where: string): KbmChoice | null {
  if (explicit !== undefined) return { kbm: hex(explicit, where, 16), note: 'Kbm given in the scenario' };
  const st = lkeState(ctx);
  const l = st.lbsas.get(pairKey(arLinkLocal(st, ar), coa));
  if (l) return { kbm: l, note: 'Kbm of the crafted KER' };
  const e = keyringEntries(ctx, st, ar).find(({ e }) => e.kbm !== undefined);
  return e ? { kbm: hex(e.e.kbm, `keyring lke[${e.i}].kbm`, 16), note: `Kbm of keyring lke[${e.i}]` } : null;
}

export function needKbm(ctx: CraftContext, ar: Buffer, coa: Buffer, explicit: unknown, where: string): KbmChoice {
  const k = lkeKbm(ctx, ar, coa, explicit, where);
  if (!k) {
    throw new ScenarioError(`${where}: no Kbm for AR ${ipv6ToString(ar)} and care-of address ${ipv6ToString(coa)}: give it (16 octets hex), craft a KER first, or add a keyring "lke" entry with "kbm"`);
  }
  return k;
}

/** The AR's RSA public key: a PEM in the scenario, else a keyring `lke` entry's rsaPrivateKeyPem. */
export function arPublicKey(ctx: CraftContext, ar: Buffer[], pem: unknown, where: string): KeyObject {
  if (pem !== undefined) {
    if (typeof pem !== 'string') throw new ScenarioError(`${where}: a PEM key (public or private) is required`);
    try {
      return rsaPublicKey(pem);
    } catch (e) {
      throw new ScenarioError(`${where}: not an RSA PEM key (${(e as Error).message.split('\n')[0]})`);
    }
  }
  const st = lkeState(ctx);
  for (const a of ar) {
    const hit = keyringEntries(ctx, st, a).find(({ e }) => e.rsaPrivateKeyPem !== undefined);
    if (!hit) continue;
    try {
      return rsaPublicKey(String(hit.e.rsaPrivateKeyPem));
    } catch (e) {
      throw new ScenarioError(`keyring lke[${hit.i}].rsaPrivateKeyPem: not an RSA PEM key (${(e as Error).message.split('\n')[0]})`);
    }
  }
  throw new ScenarioError(`${where}: no RSA key for AR ${ar.map((a) => ipv6ToString(a)).join(' / ')}: give a PEM, or add a keyring "lke" entry with "rsaPrivateKeyPem"`);
}

/** Addressing with the packet's explicit overrides applied (src, dst, hao, rh2). */
export function withOverrides(ctx: CraftContext, a: { src: Buffer; dst: Buffer; hao?: Buffer | null; rh2?: Buffer | null }) {
  const p = ctx.p;
  return {
    src: p.src ?? a.src,
    dst: p.dst ?? a.dst,
    hao: p.hao !== undefined ? p.hao : a.hao ?? null,
    rh2: p.rh2 !== undefined ? p.rh2 : a.rh2 ?? null,
  };
}

/** ND and LKE travel with hop limit 255 unless the packet says otherwise. */
export const hopLimit255 = (ctx: CraftContext) => (ctx.p.hlimSet ? ctx.p.hlim : 255);
