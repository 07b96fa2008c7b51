// RFC 7161 4.3.1: Subscription Query / Response (MH 22, 23), PMIPv6 multicast
// context transfer; the sequence number is one octet here. Not in tshark 4.0
// (mip6.sq.*, mip6.sr.* are ours); options follow.
import { layoutMaker } from '../../../core/layout.js';
import { registerMessage } from '../mh.js';

const L = layoutMaker('mipv6');
export const SUBSCRIPTION_QUERY = [
  L.u8('mip6.sq.seqnr', 'Sequence number'),
  L.u8('mip6.sq.reserved', 'Reserved', { base: 'hex' }),
];
export const SUBSCRIPTION_RESPONSE = [
  L.u8('mip6.sr.seqnr', 'Sequence number'),
  L.flags8(null, [
    ['mip6.sr.i_flag', 'I flag', 0x80],
    ['mip6.sr.reserved', 'Reserved', 0x7f, { base: 'hex' }],
  ]),
];

registerMessage('mip6.sq', { name: 'Subscription Query', layout: SUBSCRIPTION_QUERY, info: (v) => ` seq=${v['mip6.sq.seqnr']}` }, [22]);
registerMessage('mip6.sr', {
  name: 'Subscription Response', layout: SUBSCRIPTION_RESPONSE,
  info: (v) => ` seq=${v['mip6.sr.seqnr']}${v['mip6.sr.i_flag'] ? ' I' : ''}`,
}, [23]);
