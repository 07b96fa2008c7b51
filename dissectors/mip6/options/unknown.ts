// The fallback of table `mip6.option` (options with no handle, or whose context
// entries declined): type, length and the raw value, shown the way tshark 4.0
// labels options it does not know ("Unknown (0xNN)").
import { registerDissector } from '../../../core/tables.js';
import { registerFast } from '../../../core/fast.js';
import { hf, OPTION_NAMES } from '../optdefs.js';
import type { MhOptionCtx } from '../api.js';

registerDissector('mip6.option.unknown', 'MIPv6', (tvb, off, _pinfo, tree, data?: MhOptionCtx) => {
  const t = tvb.u8(off);
  const len = tvb.u8(off + 1);
  const end = Math.min(off + 2 + len, tvb.end);
  if (data?.opt) data.opt.name = OPTION_NAMES[t] ?? `Unknown (${t})`;
  const value = tvb.buf.subarray(off + 2, Math.max(off + 2, end));
  if (data?.opt) {
    data.opt.vals[hf.type.abbrev] = t;
    data.opt.vals[hf.len.abbrev] = len;
    data.opt.vals[hf.data.abbrev] = value;
  }
  if (tree) {
    const it = tree.addText(`Unknown (0x${t.toString(16).padStart(2, '0')})`, off, end - off);
    it.add(hf.type, off, 1, t);
    it.add(hf.len, off + 1, 1, len);
    if (value.length) it.add(hf.data, off + 2, value.length, value);
  }
  // a value cut short by the capture or the message: let the caller flag it
  tvb.check(off + 2, len, 'option value');
}, 'mh.malformed');
// summary fast path (core/fast.ts): it is handed only options that fit, and flags nothing else
registerFast('mip6.option.unknown', () => true);
