// RFC 5568 (FMIPv6): FBU, FBack, FNA (MH 8-10, only under `-o mip6.profile:fmipv6`,
// since the LKE draft reuses 8-10 and is the default) and HI/HAck (MH 14, 15).
import { layoutMaker } from '../../../core/layout.js';
import { table } from '../../../core/tables.js';
import { onPrefsApplied, pref } from '../../../core/prefs.js';
import { registerMessage } from '../mh.js';
import { FBACK_STATUS, HI_CODE, HACK_CODE, fourSeconds } from '../names.js';
const L = layoutMaker('mipv6');
export const FBU = [
    L.u16('mip6.fbu.seqnr', 'Sequence number'),
    L.flags8(null, [
        ['mip6.fbu.a_flag', 'Acknowledge (A) flag', 0x80, { tfs: ['Fast Binding Acknowledgement requested', 'Fast Binding Acknowledgement not requested'] }],
        ['mip6.fbu.h_flag', 'Home Registration (H) flag', 0x40, { tfs: ['Home Registration', 'No Home Registration'] }],
        ['mip6.fbu.l_flag', 'Link-Local Compatibility (L) flag', 0x20, { tfs: ['Link-Local Address Compatibility', 'No Link-Local Address Compatibility'] }],
        ['mip6.fbu.k_flag', 'Key Management Compatibility (K) flag', 0x10, { tfs: ['Key Management Mobility Compatibility', 'No Key Management Mobility Compatibility'] }],
    ]),
    { w: 1 }, // rest of the 16-bit Reserved
    L.u16('mip6.fbu.lifetime', 'Lifetime'),
];
export const FBACK = [
    L.u8('mip6.fback.status', 'Status', { vals: FBACK_STATUS }),
    L.flags8(null, [
        ['mip6.fback.k_flag', 'Key Management Compatibility (K) flag', 0x80, { tfs: ['Key Management Mobility Compatibility', 'No Key Management Mobility Compatibility'] }],
    ]),
    L.u16('mip6.fback.seqnr', 'Sequence number'),
    L.u16('mip6.fback.lifetime', 'Lifetime'),
];
export const FNA = [L.bytes('mip6.fast_neighbor_advertisement', 'Fast Neighbor Advertisement', 2)];
export const HI = [
    L.u16('mip6.hi.seqnr', 'Sequence number'),
    L.flags8(null, [
        ['mip6.hi.s_flag', 'Assigned address configuration flag (S) flag', 0x80],
        ['mip6.hi.u_flag', 'Buffer flag (U) flag', 0x40],
        // RFC 5949 (Proxy-based FMIPv6); not in tshark 4.0
        ['mip6.hi.p_flag', 'Proxy-based FMIPv6 (P) flag', 0x20],
        ['mip6.hi.f_flag', 'Forwarding (F) flag', 0x10],
    ]),
    L.u8('mip6.hi.code', 'Code', { vals: HI_CODE }),
];
export const HACK = [
    L.u16('mip6.hack.seqnr', 'Sequence number'),
    // RFC 5949 flags in the octet RFC 5568 reserves; not in tshark 4.0
    L.flags8(null, [
        ['mip6.hack.u_flag', 'Buffer (U) flag', 0x80],
        ['mip6.hack.p_flag', 'Proxy-based FMIPv6 (P) flag', 0x40],
        ['mip6.hack.f_flag', 'Forwarding (F) flag', 0x20],
    ]),
    L.u8('mip6.hack.code', 'Code', { vals: HACK_CODE }),
];
const fbu = registerMessage('mip6.fmip.fbu', {
    name: 'Fast Binding Update', layout: FBU, labels: { 'mip6.fbu.lifetime': fourSeconds },
    info: (v) => ` seq=${v['mip6.fbu.seqnr']}${v['mip6.fbu.a_flag'] ? ' A' : ''}${v['mip6.fbu.h_flag'] ? ' H' : ''}${v['mip6.fbu.l_flag'] ? ' L' : ''}${v['mip6.fbu.k_flag'] ? ' K' : ''} lifetime=${v['mip6.fbu.lifetime']}`,
}, []);
const fback = registerMessage('mip6.fmip.fback', {
    name: 'Fast Binding Acknowledgment', treeName: 'Fast Binding Acknowledgement', layout: FBACK, labels: { 'mip6.fback.lifetime': fourSeconds },
    info: (v) => ` seq=${v['mip6.fback.seqnr']} status=${v['mip6.fback.status']} lifetime=${v['mip6.fback.lifetime']}`,
}, []);
const fna = registerMessage('mip6.fmip.fna', { name: 'Fast Neighbor Advertisement', layout: FNA, flat: true }, []);
registerMessage('mip6.fmip.hi', {
    name: 'Handover Initiate', layout: HI, info: (v) => ` seq=${v['mip6.hi.seqnr']} code=${v['mip6.hi.code']}`,
}, [14]);
registerMessage('mip6.fmip.hack', {
    name: 'Handover Acknowledge', layout: HACK, info: (v) => ` seq=${v['mip6.hack.seqnr']} code=${v['mip6.hack.code']}`,
}, [15]);
// MH 8-10 follow the profile; the LKE module installs its own handles when it is `lke`
onPrefsApplied(() => {
    if (pref('mip6.profile') !== 'fmipv6')
        return;
    const t = table('mip6.mhtype');
    t.add(8, fbu);
    t.add(9, fback);
    t.add(10, fna);
});
