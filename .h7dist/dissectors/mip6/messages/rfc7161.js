// RFC 7161: Subscription Query / Response (MH 22, 23), PMIPv6 multicast context
// transfer. Not in tshark 4.0 (mip6.sq.*, mip6.sr.* are ours); options follow.
import { layoutMaker } from '../../../core/layout.js';
import { registerMessage } from '../mh.js';
const L = layoutMaker('mipv6');
export const SUBSCRIPTION_QUERY = [
    L.u16('mip6.sq.seqnr', 'Sequence number'),
    L.u16('mip6.sq.reserved', 'Reserved', { base: 'hex' }),
];
export const SUBSCRIPTION_RESPONSE = [
    L.u16('mip6.sr.seqnr', 'Sequence number'),
    L.u16('mip6.sr.reserved', 'Reserved', { base: 'hex' }),
];
registerMessage('mip6.sq', { name: 'Subscription Query', layout: SUBSCRIPTION_QUERY, info: (v) => ` seq=${v['mip6.sq.seqnr']}` }, [22]);
registerMessage('mip6.sr', { name: 'Subscription Response', layout: SUBSCRIPTION_RESPONSE, info: (v) => ` seq=${v['mip6.sr.seqnr']}` }, [23]);
