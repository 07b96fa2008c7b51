// Care-of address test with cookies (spec §4, §7, seed 003 annex A1): cookie_mac
// (First(96, HMAC-SHA1/SHA256(secret, Timestamp | CoA [| HoA] | CN)), method 1
// without, method 2 with the home address), cookie_echo (the cookie a BU echoes
// equals the last one issued for that home address by that correspondent),
// cookie_coa (its CoA equals the BU's care-of address: the Alternate CoA, else the
// IPv6 source) and cookie.altcoa_untested (a BA accepting a BU with a real
// alternate CoA, neither source nor home address, without a passed cookie test).
// Runs with a keyring, after the bindings analyzer (BU <-> BA matching).
import { detach } from '../core/detach.js';
import { createHmac } from 'node:crypto';
import { registerAnalyzer, type Engine } from '../core/engine.js';
import type { PacketInfo } from '../core/packet.js';
import type { Item } from '../core/tree.js';
import { ipv6ToString } from '../core/addr.js';
import { prefNumber } from '../core/prefs.js';
import type { Mip6Info, Mip6Option } from '../dissectors/mip6/api.js';
import { keyringOf, type Keyring, type CookieEntry } from '../keyring/types.js';
import { bindingState } from '../analysis/mip6_bindings.js';
import { MH, OPT, num, val, option, altCoa } from '../analysis/mip6_values.js';
import { FrameResults, FrameResultsAnalyzer, type Finding } from './cookie_frames.js';
import type { Verdict } from './api.js';

export const COOKIE_OPT = 18;
const COOKIE_LEN = 30;

/** The Cookie option of a message: the option the cookie dissector decoded (wherever -d put it), else type 18 of length 30. */
export function cookieOption(mh: Mip6Info): Buffer | null {
  const o = mh.options.find((x: Mip6Option) => !x.malformed && x.len === COOKIE_LEN && (x.vals['mip6.cookie.mac'] !== undefined || x.type === COOKIE_OPT));
  if (!o || o.off + 2 + COOKIE_LEN > mh.buf.length) return null;
  return mh.buf.subarray(o.off + 2, o.off + 2 + COOKIE_LEN);
}

/** MAC the cookie should carry (12 octets). `cookie` = the 30 value octets. */
export function cookieMac(e: CookieEntry, cookie: Buffer, hoa: Buffer, cn: Buffer): Buffer {
  const h = createHmac(e.hash, e.secret).update(cookie.subarray(0, 18));
  if (e.method === 2) h.update(hoa);
  return h.update(cn).digest().subarray(0, 12);
}

export function findCookieKey(k: Keyring, hoa: Buffer, cn: Buffer): CookieEntry | undefined {
  return k.cookie.find((e) => e.cn.equals(cn) && e.hoa?.equals(hoa)) ?? k.cookie.find((e) => e.cn.equals(cn) && !e.hoa);
}

const key2 = (a: Buffer, b: Buffer) => a.toString('latin1') + b.toString('latin1');
const A = (b: Uint8Array) => ipv6ToString(b);

/** BUs with a real alternate CoA awaiting their BA (bounded: a BA rarely comes that late) */
const MAX_OPEN_BUS = 4096;

class CookieVerifier extends FrameResultsAnalyzer {
  /** (HoA, CN) -> last cookie issued (a copy) and its frame */
  issued = new Map<string, { cookie: Buffer; frame: number }>();
  /** BU frame -> carried a real alternate CoA / passed a cookie test */
  bus = new Map<number, { realAlt: boolean; tested: boolean }>();

  constructor(private engine: Engine, private k: Keyring) {
    super(engine);
  }

  packet(pinfo: PacketInfo, tree: Item | null): void {
    const mh = pinfo.data.mip6 as Mip6Info | undefined;
    if (!mh || (mh.type !== MH.BU && mh.type !== MH.BA)) return;
    const fs = this.res.of(pinfo, () => (mh.type === MH.BU ? this.bu(pinfo.num, mh) : this.ba(pinfo.num, mh)));
    FrameResults.render(pinfo, fs, tree ? ((mh.item as Item | undefined) ?? tree) : null);
  }

  mac(out: Finding[], cookie: Buffer, hoa: Buffer, cn: Buffer, what: string): Verdict {
    const e = findCookieKey(this.k, hoa, cn);
    if (!e) {
      out.push({ t: 'verdict', name: 'cookie_mac', v: 'unverifiable' });
      return 'unverifiable';
    }
    const ok = cookieMac(e, cookie, hoa, cn).equals(cookie.subarray(18));
    out.push({
      t: 'verdict', name: 'cookie_mac', v: ok ? 'ok' : 'fail',
      msg: ok ? undefined : `Cookie MAC in the ${what} does not verify with ${e.where} (method ${e.method}, ${e.hash}, CoA ${A(cookie.subarray(2, 18))}, HoA ${A(hoa)}, CN ${A(cn)})`,
    });
    return ok ? 'ok' : 'fail';
  }

  bu(frame: number, mh: Mip6Info): Finding[] {
    const out: Finding[] = [];
    const hoa = mh.hoa ?? mh.src;
    const cn = mh.dst;
    const ao = option(mh, OPT.ACOA);
    const acoa = ao ? altCoa(mh, ao) : null;
    const coa = acoa ?? mh.src;
    const realAlt = !!acoa && !acoa.equals(mh.src) && !acoa.equals(hoa);
    const cookie = cookieOption(mh);
    let tested = false;
    if (cookie) {
      const mac = this.mac(out, cookie, hoa, cn, 'Binding Update');
      const last = this.issued.get(key2(hoa, cn));
      let echo: Verdict = 'not checked';
      if (last) {
        echo = last.cookie.equals(cookie) ? 'ok' : 'fail';
        out.push({
          t: 'verdict', name: 'cookie_echo', v: echo,
          msg: echo === 'fail' ? `Echoed cookie differs from the one issued in frame ${last.frame} for home address ${A(hoa)}${this.diff(last.cookie, cookie)}` : undefined,
        });
      } else out.push({ t: 'verdict', name: 'cookie_echo', v: 'not checked' });
      const coaOk = cookie.subarray(2, 18).equals(coa);
      out.push({
        t: 'verdict', name: 'cookie_coa', v: coaOk ? 'ok' : 'fail',
        msg: coaOk ? undefined : `Cookie tested care-of address ${A(cookie.subarray(2, 18))} is not the Binding Update's care-of address ${A(coa)}`,
      });
      tested = echo !== 'fail' && coaOk && mac !== 'fail';
    }
    // kept only for what the BA needs: BUs with a real alternate CoA
    if (realAlt) {
      this.bus.set(frame, { realAlt, tested });
      // BUs never answered must not pile up: the oldest go first (insertion order)
      if (this.bus.size > MAX_OPEN_BUS) this.bus.delete(this.bus.keys().next().value!);
    }
    return out;
  }

  diff(a: Buffer, b: Buffer): string {
    const parts: string[] = [];
    if (!a.subarray(0, 2).equals(b.subarray(0, 2))) parts.push(`timestamp ${a.readUInt16BE(0)} -> ${b.readUInt16BE(0)}`);
    if (!a.subarray(2, 18).equals(b.subarray(2, 18))) parts.push('care-of address');
    if (!a.subarray(18).equals(b.subarray(18))) parts.push('MAC');
    return parts.length ? ` (${parts.join(', ')})` : '';
  }

  ba(frame: number, mh: Mip6Info): Finding[] {
    const out: Finding[] = [];
    const status = num(val(mh, 'mip6.ba.status'));
    if (status === null) return out;
    const hoa = mh.rh2 ?? mh.dst;
    const cn = mh.src;
    const cookie = cookieOption(mh);
    if (cookie) {
      this.mac(out, cookie, hoa, cn, 'Binding Acknowledgement');
      if (status === prefNumber('mip6.cookie.ba_status')) this.issued.set(key2(hoa, cn), { cookie: detach(cookie), frame });
    }
    if (status < 128) {
      const b = bindingState(this.engine)?.bindings.get(key2(hoa, cn));
      const bu = b?.bus.find((x) => x.baFrame === frame);
      const info = bu ? this.bus.get(bu.frame) : undefined;
      if (bu) this.bus.delete(bu.frame);
      if (bu?.accepted && info?.realAlt && !info.tested) {
        out.push({
          t: 'expert', sev: 'warning', id: 'cookie.altcoa_untested',
          msg: `Binding Update #${bu.frame} with alternate care-of address ${A(bu.coa)} (neither its source nor the home address) accepted without a care-of address test`,
        });
      }
    }
    return out;
  }
}

registerAnalyzer({
  name: 'verify.cookie',
  order: 55,
  create(engine) {
    const k = keyringOf(engine);
    return k ? new CookieVerifier(engine, k) : null;
  },
});
