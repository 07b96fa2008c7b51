// RFC 7077 4.1/4.2: Update Notification / Acknowledgement (MH 19, 20). tshark 4.0
// lacks them: our own names in the same tree style (mip6.upn.*, mip6.upa.*).
import { layoutMaker } from '../../../core/layout.js';
import { registerMessage } from '../mh.js';
import { UPN_REASON, UPA_STATUS } from '../names.js';

const L = layoutMaker('mipv6');
export const UPN = [
  L.u16('mip6.upn.seqnr', 'Sequence number'),
  L.u8('mip6.upn.reason', 'Notification Reason', { vals: UPN_REASON }),
  L.flags24(null, [
    ['mip6.upn.a_flag', 'Acknowledgement Requested (A) flag', 0x800000],
    ['mip6.upn.d_flag', 'D flag', 0x400000],
    ['mip6.upn.reserved', 'Reserved', 0x3fffff, { base: 'hex' }],
  ]),
];
export const UPA = [
  L.u16('mip6.upa.seqnr', 'Sequence number'),
  L.u8('mip6.upa.status', 'Status', { vals: UPA_STATUS }),
  L.u24('mip6.upa.reserved', 'Reserved', { base: 'hex' }),
];

registerMessage('mip6.upn', {
  name: 'Update Notification', layout: UPN,
  info: (v) => ` seq=${v['mip6.upn.seqnr']} reason=${v['mip6.upn.reason']}${v['mip6.upn.a_flag'] ? ' A' : ''}${v['mip6.upn.d_flag'] ? ' D' : ''}`,
}, [19]);
registerMessage('mip6.upa', {
  name: 'Update Notification Acknowledgement', layout: UPA, info: (v) => ` seq=${v['mip6.upa.seqnr']} status=${v['mip6.upa.status']}`,
}, [20]);
