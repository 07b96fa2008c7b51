// RFC 7109 6.1: Flow Binding message (MH 21): FB Type picks Indication (trigger,
// A flag) or Acknowledgement (status); flow binding options follow. Not in
// tshark 4.0 (mip6.fb.* are ours).
import { layoutMaker, decodeLayout } from '../../../core/layout.js';
import { registerMessage } from '../mh.js';
import { FB_TYPE_NAMES, FB_TRIGGER, FB_STATUS } from '../names.js';
const L = layoutMaker('mipv6');
export const FB_HEAD = [
    L.u8('mip6.fb.type', 'FB Type', { vals: FB_TYPE_NAMES }),
    { w: 1 },
    L.u16('mip6.fb.seqnr', 'Sequence number'),
];
const flags = L.flags8(null, [
    ['mip6.fb.a_flag', 'Acknowledge (A) flag', 0x80],
    ['mip6.fb.reserved', 'Reserved', 0x7f, { base: 'hex' }],
]);
export const FB_INDICATION = [L.u8('mip6.fb.trigger', 'Trigger', { vals: FB_TRIGGER }), flags];
export const FB_ACK = [L.u8('mip6.fb.status', 'Status', { vals: FB_STATUS }), flags];
function rest(tvb, off, v, sub) {
    return decodeLayout(tvb, off, v['mip6.fb.type'] === 2 ? FB_ACK : FB_INDICATION, v, sub);
}
registerMessage('mip6.fb', {
    name: (v) => FB_TYPE_NAMES[v['mip6.fb.type']] ?? 'Flow Binding',
    layout: FB_HEAD, more: rest,
    info: (v) => ` seq=${v['mip6.fb.seqnr']}` + (v['mip6.fb.type'] === 2 ? ` status=${v['mip6.fb.status']}` : ` trigger=${v['mip6.fb.trigger']}${v['mip6.fb.a_flag'] ? ' A' : ''}`),
}, [21]);
