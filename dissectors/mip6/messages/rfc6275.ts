// RFC 6275 6.1.2-6.1.9: the eight base messages, one layout table each, with
// tshark 4.0's field names (BU/BA flag bits from RFC 3963, 4140, 5213, 5555,
// 5845, 6602 included, as tshark shows them).
import { layoutMaker, type Vals } from '../../../core/layout.js';
import { ipv6ToString } from '../../../core/addr.js';
import { registerMessage } from '../mh.js';
import { BA_STATUS, BE_STATUS, fourSeconds } from '../names.js';

const L = layoutMaker('mipv6');
const skip = (w: number) => ({ w }); // reserved octets tshark does not show

export const BRR = [L.bytes('mip6.binding_refresh_request', 'Binding Refresh Request', 2)];

export const HOTI = [skip(2), L.u64('mip6.hoti.cookie', 'Home Init Cookie', { base: 'hex' })];
export const COTI = [skip(2), L.u64('mip6.coti.cookie', 'Care-of Init Cookie', { base: 'hex' })];

export const HOT = [
  L.u16('mip6.hot.nindex', 'Home Nonce Index'),
  L.u64('mip6.hot.cookie', 'Home Init Cookie', { base: 'hex' }),
  L.u64('mip6.hot.token', 'Home Keygen Token', { base: 'hex' }),
];
// tshark 4.0 names the CoT token mip6.hot.token; RFC 6275 6.1.6 calls it the care-of keygen token
export const COT = [
  L.u16('mip6.cot.nindex', 'Care-of Nonce Index'),
  L.u64('mip6.cot.cookie', 'Care-of Init Cookie', { base: 'hex' }),
  L.u64('mip6.cot.token', 'Care-of Keygen Token', { base: 'hex' }),
];

export const BU = [
  L.u16('mip6.bu.seqnr', 'Sequence number'),
  L.flags16(null, [
    ['mip6.bu.a_flag', 'Acknowledge (A) flag', 0x8000, { tfs: ['Binding Acknowledgement requested', 'Binding Acknowledgement not requested'] }],
    ['mip6.bu.h_flag', 'Home Registration (H) flag', 0x4000, { tfs: ['Home Registration', 'No Home Registration'] }],
    ['mip6.bu.l_flag', 'Link-Local Compatibility (L) flag', 0x2000, { tfs: ['Link-Local Address Compatibility', 'No Link-Local Address Compatibility'] }],
    ['mip6.bu.k_flag', 'Key Management Compatibility (K) flag', 0x1000, { tfs: ['Key Management Mobility Compatibility', 'No Key Management Mobility Compatibility'] }],
    ['mip6.bu.m_flag', 'MAP Registration Compatibility (M) flag', 0x0800, { tfs: ['MAP Registration Compatibility', 'No MAP Registration Compatibility'] }],
    ['mip6.nemo.bu.r_flag', 'Mobile Router (R) flag', 0x0400, { tfs: ['Mobile Router Compatibility', 'No Mobile Router Compatibility'] }],
    ['mip6.bu.p_flag', 'Proxy Registration (P) flag', 0x0200, { tfs: ['Proxy Registration', 'No Proxy Registration'] }],
    ['mip6.bu.f_flag', 'Forcing UDP encapsulation (F) flag', 0x0100, { tfs: ['Forcing UDP encapsulation used', 'No Forcing UDP encapsulation'] }],
    ['mip6.bu.t_flag', 'TLV-header format (T) flag', 0x0080, { tfs: ['TLV-header format used', 'No TLV-header format'] }],
    ['mip6.bu.b_flag', 'Bulk-Binding-Update flag (B)', 0x0040, { tfs: ['Enable bulk binding update support', 'Disable bulk binding update support'] }],
  ]),
  L.u16('mip6.bu.lifetime', 'Lifetime'),
];

export const BA = [
  L.u8('mip6.ba.status', 'Status', { vals: BA_STATUS }),
  L.flags8(null, [
    ['mip6.ba.k_flag', 'Key Management Compatibility (K) flag', 0x80, { tfs: ['Key Management Mobility Compatibility', 'No Key Management Mobility Compatibility'] }],
    ['mip6.nemo.ba.r_flag', 'Mobile Router (R) flag', 0x40, { tfs: ['Mobile Router Compatibility', 'No Mobile Router Compatibility'] }],
    ['mip6.ba.p_flag', 'Proxy Registration (P) flag', 0x20, { tfs: ['Proxy Registration', 'No Proxy Registration'] }],
    ['mip6.ba.t_flag', 'TLV-header format (T) flag', 0x10, { tfs: ['TLV-header format used', 'No TLV-header format'] }],
    ['mip6.ba.b_flag', 'Bulk-Binding-Update flag (B)', 0x08, { tfs: ['Enabled bulk binding update support', 'Disabled bulk binding update support'] }],
  ]),
  L.u16('mip6.ba.seqnr', 'Sequence number'),
  L.u16('mip6.ba.lifetime', 'Lifetime'),
];

export const BE = [
  L.u8('mip6.be.status', 'Status', { vals: BE_STATUS }),
  skip(1),
  L.ipv6('mip6.be.haddr', 'Home Address'),
];

/**
 * " A H" for the flags that are set (Info column): compiled per table, so each
 * flag is a named property load (a keyed load through a list of names was
 * megamorphic: every message's values object has its own shape).
 */
export function lettersOf(table: Array<[string, string]>): (v: Vals) => string {
  const body = table.map(([k, l]) => `if (v[${JSON.stringify(k)}]) s += ${JSON.stringify(' ' + l)};`).join('\n');
  return new Function('v', `let s = '';\n${body}\nreturn s;`) as (v: Vals) => string;
}

const buLetters = lettersOf([
  ['mip6.bu.a_flag', 'A'], ['mip6.bu.h_flag', 'H'], ['mip6.bu.l_flag', 'L'], ['mip6.bu.k_flag', 'K'],
  ['mip6.bu.m_flag', 'M'], ['mip6.nemo.bu.r_flag', 'R'], ['mip6.bu.p_flag', 'P'], ['mip6.bu.f_flag', 'F'],
  ['mip6.bu.t_flag', 'T'], ['mip6.bu.b_flag', 'B'],
]);
const baLetters = lettersOf([
  ['mip6.ba.k_flag', 'K'], ['mip6.nemo.ba.r_flag', 'R'], ['mip6.ba.p_flag', 'P'], ['mip6.ba.t_flag', 'T'], ['mip6.ba.b_flag', 'B'],
]);

registerMessage('mip6.brr', { name: 'Binding Refresh Request', layout: BRR, flat: true }, [0]);
registerMessage('mip6.hoti', { name: 'Home Test Init', layout: HOTI }, [1]);
registerMessage('mip6.coti', { name: 'Care-of Test Init', layout: COTI }, [2]);
registerMessage('mip6.hot', { name: 'Home Test', layout: HOT, info: (v) => ` index=${v['mip6.hot.nindex']}` }, [3]);
registerMessage('mip6.cot', { name: 'Care-of Test', layout: COT, info: (v) => ` index=${v['mip6.cot.nindex']}` }, [4]);
registerMessage('mip6.bu', {
  name: 'Binding Update', layout: BU,
  labels: { 'mip6.bu.lifetime': fourSeconds },
  proto: (v) => (v['mip6.nemo.bu.r_flag'] ? 'NEMO' : undefined),
  info: (v) => ` seq=${v['mip6.bu.seqnr']}${buLetters(v)} lifetime=${v['mip6.bu.lifetime']}`,
}, [5]);
registerMessage('mip6.ba', {
  name: 'Binding Acknowledgement', layout: BA,
  labels: { 'mip6.ba.lifetime': fourSeconds },
  proto: (v) => (v['mip6.nemo.ba.r_flag'] ? 'NEMO' : undefined),
  info: (v) => ` seq=${v['mip6.ba.seqnr']} status=${v['mip6.ba.status']}${baLetters(v)} lifetime=${v['mip6.ba.lifetime']}`,
}, [6]);
registerMessage('mip6.be', {
  name: 'Binding Error', layout: BE,
  info: (v) => ` status=${v['mip6.be.status']} home=${ipv6ToString(v['mip6.be.haddr'] as Uint8Array)}`,
}, [7]);
