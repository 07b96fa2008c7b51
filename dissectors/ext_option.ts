// Context-dependent mobility options of the extension drafts (spec §3-§4: LKE
// options 3/4/5/6, the cookie in option 18): an option item shaped like tshark's
// (`mip6.options.<short>` holding the option's octets, `mip6.mobility_opt.len`,
// then the value fields), registered under context keys of table `mip6.option`
// ('8/3', 'heur:18', ...) so `-d` can move them and other contexts keep the
// plain RFC meaning. `accept` lets an entry decline (return false).
import { fieldMaker } from '../core/fields.js';
import { decodeLayout, layoutFits, type Layout, type Vals } from '../core/layout.js';
import { registerDissector, table, type Handle } from '../core/tables.js';
import { BoundsError, Tvb } from '../core/tvb.js';
import { registerFast } from '../core/fast.js';
import type { PacketInfo } from '../core/packet.js';
import type { MhOptionCtx, Mip6Option } from './mip6/api.js';

const F = fieldMaker('mipv6');
const hfLen = F('mip6.mobility_opt.len', 'Length', 'uint8');

export interface ExtOptionSpec {
  /** option item: mip6.options.<short> */
  short: string;
  /** option name (opt.name, expert messages) */
  name: string;
  /** required Length octet */
  len: number;
  layout: Layout;
  /**
   * false = not this option here: the walker tries the next key. Decided by the
   * Length octet (and preferences) alone, so the summary fast path asks it too.
   */
  accept?: (len: number) => boolean;
  /** text after "MIPv6 Option - <name>: " (tree only) */
  summary?: (v: Vals) => string;
}

export function extOption(handleName: string, spec: ExtOptionSpec, keys: Array<number | string>): Handle {
  const label = 'MIPv6 Option - ' + spec.name;
  const of = F('mip6.options.' + spec.short, label, 'bytes');
  const h = registerDissector(handleName, 'MIPv6', (tvb, off, pinfo, tree, data?: MhOptionCtx) => {
    const len = tvb.u8(off + 1);
    if (spec.accept && !spec.accept(len)) return false;
    const opt: Mip6Option = data?.opt ?? { type: tvb.u8(off), off, len, vals: {} };
    opt.name = spec.name;
    const end = off + 2 + len;
    const avail = Math.min(end, tvb.end) - off;
    const item = tree ? tree.add(of, off, avail, tvb.buf.subarray(off, off + avail), label) : null;
    item?.add(hfLen, off + 1, 1, len);
    const bad = len !== spec.len;
    if (bad) {
      opt.malformed = true;
      if (data?.mh) data.mh.malformed = true;
      pinfo.malformed = true;
      pinfo.addExpert('error', 'mh.malformed', `${spec.name} (with option length = ${len} bytes; should be ${spec.len})`, item, 'malformed');
      if (!pinfo.info.includes('[Malformed Packet]')) pinfo.appendInfo(' [Malformed Packet]');
    }
    try {
      decodeLayout(tvb.limit(end), off + 2, spec.layout, opt.vals, item);
    } catch (e) {
      // a wrong length is flagged already: keep what parsed; a cut capture goes on up
      if (!(e instanceof BoundsError) || e.truncated || !bad) throw e;
    }
    if (item && spec.summary && !bad) item.text = `${label}: ${spec.summary(opt.vals)}`;
    return true;
  }, 'mh.malformed');
  // summary fast path (core/fast.ts): the right length and a layout that decodes
  const fastVals: Vals = {};
  const tvb = new Tvb(Buffer.alloc(0), 0, 0);
  registerFast(
    handleName,
    (off, end, st) => end - off - 2 === spec.len && layoutFits(tvb.at(st.buf, end), off + 2, spec.layout, fastVals),
    spec.accept ? (off, end, st) => !spec.accept!(st.buf[off + 1]!) : undefined,
  );
  for (const k of keys) table('mip6.option', 'Mobility option type').add(k, h);
  return h;
}
