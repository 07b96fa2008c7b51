// IPsec between MN and CN (spec §4 and §7, issue 7): rules for every BU/BA carried
// inside ESP or AH, and the "unverified home address option" warning for any
// packet. Findings are computed once in capture order (the binding state at that
// frame) and replayed on a second pass; a foreign Alternate CoA that a BA with the
// cookie status answers turns out to be the start of a cookie test, which only a
// second pass (verify, tshark -2) can know: the finding is then withdrawn.
// Runs with a keyring, after the bindings analyzer.
import { registerAnalyzer, type Engine } from '../core/engine.js';
import type { PacketInfo } from '../core/packet.js';
import type { Item } from '../core/tree.js';
import { ipv6ToString } from '../core/addr.js';
import { pref, prefNumber } from '../core/prefs.js';
import type { Mip6Info } from '../dissectors/mip6/api.js';
import { keyringOf } from '../keyring/types.js';
import { bindingState } from './mip6_bindings.js';
import { MH, OPT, num, val, option, altCoa } from './mip6_values.js';
import { FrameResults, FrameResultsAnalyzer, type Finding } from '../verify/cookie_frames.js';
import { cookieOption } from '../verify/cookie.js';

/** LKE messages (KER, KEA, Finished: MH 8-10 under the lke profile) carry a HAO by design (§7). */
const LKE_TYPES = new Set([8, 9, 10]);
const FOREIGN = 'ipsec.foreign_altcoa';
const key2 = (a: Buffer, b: Buffer) => a.toString('latin1') + b.toString('latin1');

class IpsecRules extends FrameResultsAnalyzer {
  /** BU frame with a foreign Alternate CoA, by (HoA, CN, seq) frame, waiting for its BA */
  foreign = new Set<number>();
  /** home addresses with an accepted binding (to any CN), noted at the accepting BA */
  accepted = new Set<string>();

  constructor(private engine: Engine) {
    super(engine);
  }

  packet(pinfo: PacketInfo, tree: Item | null): void {
    const mh = pinfo.data.mip6 as Mip6Info | undefined;
    const ip = pinfo.ipStack.find((x) => x.hoa) ?? null;
    // BAs are always looked at: they settle foreign CoAs and note accepted home addresses
    if (!ip && !mh?.protectedBy && mh?.type !== MH.BA) return;
    const fs = this.res.of(pinfo, () => this.analyse(pinfo, mh));
    if (!fs.length) return;
    FrameResults.render(pinfo, fs, tree ? ((mh?.item as Item | undefined) ?? ip?.item ?? tree) : null);
  }

  analyse(pinfo: PacketInfo, mh: Mip6Info | undefined): Finding[] {
    const out: Finding[] = [];
    if (mh?.protectedBy && !mh.malformed) {
      if (mh.type === MH.BU) this.bu(pinfo.num, mh, out);
      else if (mh.type === MH.BA) this.ba(pinfo.num, mh, out);
    }
    if (mh?.type === MH.BA) {
      this.settle(pinfo.num, mh);
      const hoa = mh.rh2 ?? mh.dst;
      if (bindingState(this.engine)?.bindings.get(key2(hoa, mh.src))?.lastAccepted != null) this.accepted.add(hoa.toString('latin1'));
    }
    this.hao(pinfo, mh, out);
    return out;
  }

  bu(frame: number, mh: Mip6Info, out: Finding[]): void {
    const by = mh.protectedBy === 'esp' ? 'ESP' : 'AH';
    const hoa = mh.hoa ?? mh.src;
    const h = num(val(mh, 'mip6.bu.h_flag'));
    const k = num(val(mh, 'mip6.bu.k_flag'));
    if (h || k) {
      out.push({ t: 'expert', sev: 'warning', id: 'ipsec.bu_h_or_k', msg: `Binding Update to a correspondent inside ${by} with ${[h ? 'H' : '', k ? 'K' : ''].filter(Boolean).join(' and ')} set` });
    }
    this.rrOptions(mh, out, 'Binding Update', by);
    const ao = option(mh, OPT.ACOA);
    const acoa = ao ? altCoa(mh, ao) : null;
    if (!ao && mh.protectedBy === 'esp') {
      out.push({ t: 'expert', sev: 'warning', id: 'ipsec.no_altcoa', msg: 'Binding Update inside ESP without an Alternate Care-of Address option (the care-of address is then not protected)' });
    }
    if (acoa && !acoa.equals(mh.src) && !acoa.equals(hoa) && !cookieOption(mh)) {
      out.push({
        t: 'expert', sev: 'error', id: FOREIGN,
        msg: `Binding Update inside ${by} with alternate care-of address ${ipv6ToString(acoa)}, neither its source ${ipv6ToString(mh.src)} nor the home address, outside the cookie procedure: must be rejected`,
      });
      this.foreign.add(frame);
    }
  }

  ba(_frame: number, mh: Mip6Info, out: Finding[]): void {
    const by = mh.protectedBy === 'esp' ? 'ESP' : 'AH';
    if (num(val(mh, 'mip6.ba.k_flag'))) out.push({ t: 'expert', sev: 'warning', id: 'ipsec.ba_k', msg: `Binding Acknowledgement from a correspondent inside ${by} with K set` });
    this.rrOptions(mh, out, 'Binding Acknowledgement', by);
  }

  rrOptions(mh: Mip6Info, out: Finding[], what: string, by: string): void {
    const names = [option(mh, OPT.NI) ? 'Nonce Indices' : '', option(mh, OPT.BAD) ? 'Binding Authorization Data' : ''].filter(Boolean);
    if (names.length) out.push({ t: 'expert', sev: 'note', id: 'ipsec.rr_options', msg: `${what} inside ${by} carries ${names.join(' and ')} (return routability options are not used under IPsec)` });
  }

  /** A BA with the cookie status answering a BU with a foreign Alternate CoA: that BU started a cookie test. */
  settle(frame: number, mh: Mip6Info): void {
    if (!this.foreign.size || num(val(mh, 'mip6.ba.status')) !== prefNumber('mip6.cookie.ba_status')) return;
    const b = bindingState(this.engine)?.bindings.get(key2(mh.rh2 ?? mh.dst, mh.src));
    const bu = b?.bus.find((x) => x.baFrame === frame);
    if (bu && this.foreign.delete(bu.frame)) this.res.drop(bu.frame, (f) => f.t === 'expert' && f.id === FOREIGN);
  }

  hao(pinfo: PacketInfo, mh: Mip6Info | undefined, out: Finding[]): void {
    const ip = pinfo.ipStack.find((x) => x.hoa);
    if (!ip?.hoa || ip.protectedBy) return;
    if (mh?.type === MH.BU) return;
    if (mh && LKE_TYPES.has(mh.type) && pref('mip6.profile') !== 'fmipv6') return;
    if (this.accepted.has(ip.hoa.toString('latin1'))) return;
    out.push({
      t: 'expert', sev: 'warning', id: 'hao.unverified',
      msg: `Unverified home address option: ${ipv6ToString(ip.hoa)} is neither IPsec-protected, nor in a Binding Update, nor covered by an accepted binding`,
    });
  }
}

registerAnalyzer({
  name: 'analysis.ipsec',
  order: 60,
  create(engine) {
    return keyringOf(engine) ? new IpsecRules(engine) : null;
  },
});
