// Binding Authorization Data (spec §1, §2, §7): where Kbm comes from for a BU or
// BA, and the authenticator check itself. Sources, in order: a static Kcn for
// (HoA, CN) (keyring `staticKbm`), the CN's Kcn and nonces (keyring `rr`), the
// keygen tokens of HoT/CoT seen earlier in the capture (no key at all).
import { careofKeygenToken, homeKeygenToken, kbmFromTokens, mhDataForAuth, authenticator, sameBytes } from '../crypto/rr.js';
import type { Keyring } from '../keyring/types.js';
import { findStatic, findRr } from '../keyring/types.js';
import type { Mip6Info, Mip6Option } from '../dissectors/mip6/api.js';
import type { Verdict } from './api.js';

export interface TokenSeen {
  frame: number;
  token: Buffer;
}

/** Latest HoT / CoT keygen token per (address, CN, nonce index), fed by the analyzer. */
export interface TokenLookup {
  hot(hoa: Buffer, cn: Buffer, nindex: number): TokenSeen | undefined;
  cot(coa: Buffer, cn: Buffer, nindex: number): TokenSeen | undefined;
}

export interface KeyChoice {
  kind: 'static' | 'rr' | 'tokens';
  kbm: Buffer;
  homeToken: Buffer;
  careofToken: Buffer | null;
  /** for the tree and report, without key values: "static Kcn (staticKbm[0])" */
  source: string;
  hotFrame?: number;
  cotFrame?: number;
}

export interface BuKeyContext {
  hoa: Buffer;
  cn: Buffer;
  coa: Buffer;
  /** care-of address = home address: Kbm = SHA1(home keygen token) */
  dereg: boolean;
  ni: { hni: number; cni: number } | null;
}

/** Static keys never change during a run: Kbm per (entry, care-of address) is computed once. */
const staticCache = new WeakMap<object, Map<string, KeyChoice>>();

export function chooseKey(k: Keyring | null, tokens: TokenLookup, c: BuKeyContext): KeyChoice | null {
  const st = findStatic(k, c.hoa, c.cn);
  if (st) {
    let m = staticCache.get(st);
    if (!m) staticCache.set(st, (m = new Map()));
    const ck = c.dereg ? '' : c.coa.toString('latin1');
    let kc = m.get(ck);
    if (!kc) {
      const ht = homeKeygenToken(st.kcn, c.hoa, st.homeNonce);
      const ct = c.dereg ? null : careofKeygenToken(st.kcn, c.coa, st.careofNonce);
      kc = { kind: 'static', kbm: kbmFromTokens(ht, ct), homeToken: ht, careofToken: ct, source: `static Kcn (${st.where})` };
      m.set(ck, kc);
    }
    return kc;
  }
  if (!c.ni) return null;
  const rr = findRr(k, c.cn);
  if (rr) {
    const hn = rr.nonces.get(c.ni.hni);
    const cnn = rr.nonces.get(c.ni.cni);
    if (hn && (c.dereg || cnn)) {
      const ht = homeKeygenToken(rr.kcn, c.hoa, hn);
      const ct = c.dereg ? null : careofKeygenToken(rr.kcn, c.coa, cnn!);
      return { kind: 'rr', kbm: kbmFromTokens(ht, ct), homeToken: ht, careofToken: ct, source: `Kcn and nonces ${c.ni.hni}${c.dereg ? '' : '/' + c.ni.cni} (${rr.where})` };
    }
  }
  const h = tokens.hot(c.hoa, c.cn, c.ni.hni);
  const co = c.dereg ? undefined : tokens.cot(c.coa, c.cn, c.ni.cni);
  if (h && (c.dereg || co)) {
    return {
      kind: 'tokens', kbm: kbmFromTokens(h.token, co ? co.token : null), homeToken: h.token, careofToken: co ? co.token : null,
      source: co ? `keygen tokens of HoT #${h.frame} and CoT #${co.frame}` : `home keygen token of HoT #${h.frame}`,
      hotFrame: h.frame, cotFrame: co?.frame,
    };
  }
  return null;
}

export interface AuthResult {
  verdict: Verdict;
  /** why it failed or was not checked (no key values) */
  why?: string;
  expected?: Buffer;
  found?: Buffer;
}

/** Check the authenticator of `opt` (Binding Authorization Data) with Kbm. */
export function checkAuthenticator(mh: Mip6Info, opt: Mip6Option, kbm: Buffer, coa: Buffer, cn: Buffer): AuthResult {
  const authOff = opt.off + 2;
  // the MH as its Header Len claims it, all captured; otherwise nothing sound can be said
  const claimed = (mh.hlen + 1) * 8;
  const end = mh.offset + claimed;
  if (mh.length !== claimed || end > mh.buf.length || authOff < mh.offset + 6 || authOff + opt.len > end) {
    return { verdict: 'not checked', why: 'the message was not captured whole' };
  }
  const found = mh.buf.subarray(authOff, authOff + opt.len);
  if (opt.len !== 12) return { verdict: 'fail', why: `the authenticator is ${opt.len} octets, 12 expected`, found };
  const expected = authenticator(kbm, coa, cn, mhDataForAuth(mh.buf, mh.offset, claimed, authOff, opt.len));
  return sameBytes(expected, found) ? { verdict: 'ok', expected, found } : { verdict: 'fail', why: 'the authenticator does not match', expected, found };
}

// Authenticators another verifier owns (LKE BUs/BAs to the previous AR, spec §3:
// src | dst of the packet and the LBSA's Kbm): that verifier, running first, claims
// the message and the return-routability analysis leaves its authenticator alone.
const claimed = new WeakSet<Mip6Info>();
export function claimAuthenticator(mh: Mip6Info): void {
  claimed.add(mh);
}
export function authenticatorClaimed(mh: Mip6Info): boolean {
  return claimed.has(mh);
}
