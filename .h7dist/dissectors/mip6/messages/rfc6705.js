// RFC 6705 8.1/8.2: Localized Routing Initiation / Acknowledgment (MH 17, 18).
// Field names, bases and the flat layout (no subtree) as tshark 4.0, which reads
// both 6 octets early (from the MH start; see the known differences in the test).
import { layoutMaker } from '../../../core/layout.js';
import { registerMessage } from '../mh.js';
import { LRA_STATUS } from '../names.js';
const L = layoutMaker('mipv6');
export const LRI = [
    L.u16('mip6.lri.sequence', 'Sequence'),
    L.u16('mip6.lri.reserved', 'Reserved', { base: 'hex' }),
    L.u16('mip6.lri.lifetime', 'Lifetime', { base: 'hex' }),
];
export const LRA = [
    L.u16('mip6.lra.sequence', 'Sequence'),
    L.flags8(null, [
        ['mip6.lri.unsolicited', 'unsolicited', 0x80, { tfs: ['Yes', 'No'] }],
        ['mip6.lra.reserved', 'Reserved', 0x7f, { base: 'hex' }],
    ]),
    L.u8('mip6.lra.status', 'Status', { vals: LRA_STATUS }),
    L.u16('mip6.lra.lifetime', 'Lifetime', { base: 'hex' }),
];
registerMessage('mip6.lri', { name: 'Localized Routing Initiation', layout: LRI, flat: true, info: (v) => ` seq=${v['mip6.lri.sequence']} lifetime=${v['mip6.lri.lifetime']}` }, [17]);
registerMessage('mip6.lra', {
    name: 'Localized Routing Acknowledgment', layout: LRA, flat: true,
    info: (v) => ` seq=${v['mip6.lra.sequence']} status=${v['mip6.lra.status']}${v['mip6.lri.unsolicited'] ? ' U' : ''} lifetime=${v['mip6.lra.lifetime']}`,
}, [18]);
