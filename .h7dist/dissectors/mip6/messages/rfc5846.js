// RFC 5846 6.1/6.2: Binding Revocation (MH 16). The B.R. Type picks Indication
// (trigger) or Acknowledgement (status); tshark 4.0 names the flags per type.
import { layoutMaker, decodeLayout } from '../../../core/layout.js';
import { registerMessage } from '../mh.js';
import { BR_TYPE_NAMES, BRI_TRIGGER, BRA_STATUS } from '../names.js';
const L = layoutMaker('mipv6');
const SET = ['Set', 'Not set'];
const seq = L.u16('mip6.bri_seqnr', 'Sequence Number');
export const BR_TYPE = [L.u8('mip6.bri_br.type', 'B.R. Type')];
export const BRI = [
    L.u8('mip6.bri_r.trigger', 'R. Trigger', { vals: BRI_TRIGGER }),
    seq,
    L.flags16(null, [
        ['mip6.bri_ip', 'Proxy Binding (P) Flag', 0x8000, { tfs: SET }],
        ['mip6.bri_iv', 'IPv4 HoA Binding Only (V) Flag', 0x4000, { tfs: SET }],
        ['mip6.bri_ig', 'Global (G) Flag', 0x2000, { tfs: SET }],
        ['mip6.bri_res', 'Reserved', 0x1fff, { base: 'hex' }],
    ]),
];
export const BRA = [
    L.u8('mip6.bri_status', 'Status', { vals: BRA_STATUS }),
    seq,
    L.flags16(null, [
        ['mip6.bri_ap', 'Proxy Binding (P) Flag', 0x8000, { tfs: SET }],
        ['mip6.bri_av', 'IPv4 HoA Binding Only (V) Flag', 0x4000, { tfs: SET }],
        ['mip6.bri_ag', 'Global (G) Flag', 0x2000, { tfs: SET }],
        ['mip6.bri_res', 'Reserved', 0x1fff, { base: 'hex' }],
    ]),
];
function rest(tvb, off, v, sub) {
    return decodeLayout(tvb, off, v['mip6.bri_br.type'] === 2 ? BRA : BRI, v, sub);
}
registerMessage('mip6.br', {
    name: (v) => BR_TYPE_NAMES[v['mip6.bri_br.type']] ?? 'Binding Revocation',
    layout: BR_TYPE, more: rest,
    info: (v) => ` seq=${v['mip6.bri_seqnr']}` + (v['mip6.bri_br.type'] === 2 ? ` status=${v['mip6.bri_status']}` : ` trigger=${v['mip6.bri_r.trigger']}`),
}, [16]);
