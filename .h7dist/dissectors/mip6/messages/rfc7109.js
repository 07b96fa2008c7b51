// RFC 7109: Flow Binding message (MH 21): Sequence #, Trigger, A flag, Reserved;
// flow binding options follow. Not in tshark 4.0 (mip6.fb.* are ours).
import { layoutMaker } from '../../../core/layout.js';
import { registerMessage } from '../mh.js';
const L = layoutMaker('mipv6');
export const FLOW_BINDING = [
    L.u16('mip6.fb.seqnr', 'Sequence number'),
    L.u8('mip6.fb.trigger', 'Trigger'),
    L.flags8(null, [
        ['mip6.fb.a_flag', 'Acknowledge (A) flag', 0x80],
        ['mip6.fb.reserved', 'Reserved', 0x7f, { base: 'hex' }],
    ]),
];
registerMessage('mip6.fb', {
    name: 'Flow Binding', layout: FLOW_BINDING,
    info: (v) => ` seq=${v['mip6.fb.seqnr']} trigger=${v['mip6.fb.trigger']}${v['mip6.fb.a_flag'] ? ' A' : ''}`,
}, [21]);
