// RFC 5847 5.1: Heartbeat (MH 13): Reserved (8), Reserved (6) U R, Sequence Number (32).
import { layoutMaker } from '../../../core/layout.js';
import { registerMessage } from '../mh.js';
const L = layoutMaker('mipv6');
export const HEARTBEAT = [
    { w: 1 },
    L.flags8(null, [
        ['mip6.hb.u_flag', 'Unsolicited (U) flag', 0x02, { tfs: ['Unsolicited Heartbeat Response', 'Otherwise'] }],
        ['mip6.hb.r_flag', 'Response (R) flag', 0x01, { tfs: ['Heartbeat Response', 'Heartbeat Request'] }],
    ]),
    L.u32('mip6.hb.seqnr', 'Sequence number'),
];
registerMessage('mip6.hb', {
    name: 'Heartbeat', layout: HEARTBEAT,
    info: (v) => ` ${v['mip6.hb.r_flag'] ? 'response' : 'request'} seq=${v['mip6.hb.seqnr']}${v['mip6.hb.u_flag'] ? ' unsolicited' : ''}`,
}, [13]);
