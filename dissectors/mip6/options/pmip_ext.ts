// Later PMIPv6 / flow mobility options: RFC 6089 (44, 45), RFC 6463 (46-49),
// RFC 6602 (50), RFC 6705 (51), RFC 6757 (52), RFC 6909 (53), RFC 7028 (54),
// RFC 7148 (55), RFC 7161 (56, 57), RFC 7222 (58), RFC 7389 (59), RFC 7411 (60, 61),
// RFC 8127 (62), RFC 8278 (63, 64), RFC 8885 (65-70).
// Nested registries (flow sub-options, ANI sub-options, QoS attributes, LMA-controlled
// MAG sub-options) are walked type/length/value with bounds checks.
import { defineOption, L, F, put, walkTlv, subLayout, flagMalformed, type OptCtx } from '../optdefs.js';
import { ATT } from './pmip.js';
import { MNID_SUBTYPES } from './base.js';
import { ipv4ToString, ipv6ToString } from '../../../core/addr.js';
import type { Item } from '../../../core/tree.js';
import type { Vals } from '../../../core/layout.js';

const u16s = (c: OptCtx, f: ReturnType<typeof F>, from: number, to: number, parent: Item | null, sub: Vals) => {
  for (let o = from; o + 2 <= to; o += 2) {
    const v = c.tvb.u16(o);
    if (!(f.abbrev in sub)) sub[f.abbrev] = v;
    parent?.add(f, o, 2, v);
  }
};

// RFC 6089 4.1: a list of 16-bit flow identifiers
const hfFsFid = F('mip6.fs.fid', 'FID', 'uint16');
defineOption({
  type: 44, short: 'fs', rfc: 'RFC 6089', len: { min: 2 },
  decode: (c) => {
    if (c.len % 2) {
      flagMalformed(c.pinfo, c.opt, c.mh, `Flow Summary (with option length = ${c.len} bytes; should be a multiple of 2)`, c.item);
    }
    u16s(c, hfFsFid, c.voff, c.end, c.item, c.vals);
  },
});

// RFC 6089 4.2 / RFC 7109: Flow Identification sub-options (Pad1 has no length octet)
const FI_SUB: Record<number, string> = {
  0: 'Pad1', 1: 'PadN', 2: 'BID Reference', 3: 'Traffic Selector', 4: 'Flow Binding Action', 5: 'Target Care-of Address',
};
const TS_FORMAT: Record<number, string> = { 1: 'IPv4 Binary Traffic Selector', 2: 'IPv6 Binary Traffic Selector' };
const fiSpec = {
  text: (t: number, l: number) => `Sub-option: ${FI_SUB[t] ?? 'Unknown'} (t=${t},l=${l})`,
  type: F('mip6.fi.subopt.type', 'Sub-option Type', 'uint8', { vals: FI_SUB }),
  len: F('mip6.fi.subopt.len', 'Sub-option Length', 'uint8'),
  data: F('mip6.fi.subopt.data', 'Sub-option Data', 'bytes'),
  pad1Type: 0,
};
const hfFiBid = F('mip6.fi.subopt.bid', 'BID', 'uint16');
const tsLayout = [L.u8('mip6.fi.subopt.ts_format', 'TS Format', { vals: TS_FORMAT }), L.u8('mip6.fi.subopt.reserved', 'Reserved'),
  L.bytes('mip6.fi.subopt.ts', 'Traffic Selector', 'rest')];
const fiEach = (c: OptCtx) => (t: number, voff: number, l: number, it: Item | null, sub: Vals) => {
  if (t === 2) u16s(c, hfFiBid, voff, voff + l, it, sub);
  else if (t === 3) subLayout({ ...c, tvb: c.tvb.limit(voff + l) }, voff, tsLayout, sub, it);
  else if (it && l) it.add(fiSpec.data, voff, l, c.tvb.bytes(voff, l));
};
defineOption({
  type: 45, short: 'fi', rfc: 'RFC 6089', len: { min: 6 },
  layout: [
    L.u16('mip6.fi.fid', 'FID'), L.u16('mip6.fi.fid_pri', 'FID-PRI'), L.u8('mip6.fi.reserved', 'Reserved'),
    L.u8('mip6.fi.status', 'Status'),
  ],
  decode: (c) => walkTlv(c, c.voff + 6, fiSpec, fiEach(c)),
});

// RFC 6463 4.1-4.4
defineOption({
  type: 46, short: 'recap', rfc: 'RFC 6463', len: { eq: [2] },
  layout: [L.u16('mip6.recap.reserved', 'Reserved', { base: 'hex' })],
});
const hfR6 = F('mip6.redir.addr_r2lma_ipv6', 'IPv6 r2LMA Address', 'ipv6');
const hfR4 = F('mip6.redir.addr_r2lma_ipv4', 'IPv4 r2LMA Address', 'ipv4');
defineOption({
  type: 47, short: 'redir', rfc: 'RFC 6463', len: { eq: [6, 18, 22] },
  layout: [L.flags16(null, [
    ['mip6.redir.k', 'K', 0x8000], ['mip6.redir.n', 'N', 0x4000], ['mip6.redir.reserved', 'Reserved', 0x3fff, { base: 'hex' }],
  ])],
  decode: (c) => {
    let o = c.voff + 2;
    if (c.vals['mip6.redir.k']) { put(c, hfR6, o, 16, c.tvb.bytes(o, 16)); o += 16; }
    if (c.vals['mip6.redir.n']) put(c, hfR4, o, 4, c.tvb.bytes(o, 4));
  },
});
defineOption({
  type: 48, short: 'load_inf', rfc: 'RFC 6463', len: { eq: [18] },
  layout: [
    L.u16('mip6.load_inf.priority', 'Priority'), L.u32('mip6.load_inf.sessions_in_use', 'Sessions in Use'),
    L.u32('mip6.load_inf.maximum_sessions', 'Maximum Sessions'), L.u32('mip6.load_inf.used_capacity', 'Used Capacity'),
    L.u32('mip6.load_inf.maximum_capacity', 'Maximum Capacity'),
  ],
});
defineOption({
  type: 49, short: 'alt_ip4', label: 'Alternate IPv4', rfc: 'RFC 6463', len: { eq: [4] },
  layout: [L.ipv4('mip6.alt_ip4', 'Alternate IPv4 Care-of Address')],
});

// RFC 6602 3.1
defineOption({
  type: 50, short: 'mng', rfc: 'RFC 6602', len: { eq: [6] },
  layout: [
    L.u8('mip6.mng.sub_type', 'Sub Type', { vals: { 1: 'Bulk Binding Update Group' } }), L.u8('mip6.mng.reserved', 'Reserved'),
    L.u32('mip6.mng.mng_id', 'Mobile Node Group Identifier'),
  ],
});

// RFC 6705 6.4: Reserved, Address Length (128), address: length 18 (tshark 4.0 expects 16)
defineOption({
  type: 51, short: 'mag_ipv6', rfc: 'RFC 6705', len: { eq: [18] },
  layout: [
    L.u8('mip6.mag_ipv6.reserved', 'Reserved', { base: 'hex' }), L.u8('mip6.mag_ipv6.address_length', 'Address Length'),
    L.ipv6('mip6.mag_ipv6.address', 'Address'),
  ],
});

// RFC 6757 3 (sub-options 4-6 from RFC 7563); no reserved octet before the first sub-option
const ANI_SUB: Record<number, string> = {
  1: 'Network-Identifier', 2: 'Geo-Location', 3: 'Operator-Identifier', 4: 'Civic-Location', 5: 'MAG-Group-Identifier',
  6: 'ANI-Update-Timer',
};
const aniSpec = {
  text: (t: number, l: number) => `ANI: ${ANI_SUB[t] ?? 'Unknown'} (t=${t},l=${l})`,
  container: F('mip6.acc_net_id', 'ANI', 'none'),
  type: F('mip6.acc_net_id.ani', 'ANI Type', 'uint8', { vals: ANI_SUB }),
  len: F('mip6.acc_net_id.sub_opt_len', 'Length', 'uint8'),
  data: F('mip6.acc_net_id.data', 'Sub-option Data', 'bytes'),
};
const hfNetName = F('mip6.acc_net_id.net_name', 'Network Name', 'string');
const hfNetNameData = F('mip6.acc_net_id.net_name_data', 'Network Name', 'bytes', { desc: 'Network Name with undefined format' });
const hfApName = F('mip6.acc_net_id.ap_name', 'Access-Point Name', 'string');
const eBit = L.flags8(null, [['mip6.acc_net_id.e_bit', 'E(Encoding)', 0x80, { tfs: ['Encoding is UTF-8 according to RFC 3629', 'Encoding is undefined'] }]]);
const netLen = L.u8('mip6.acc_net_id.net_name_len', 'Net-Name Length');
const apLen = L.u8('mip6.acc_net_id.ap_name_len', 'AP-Name Length');
// Geo-Location: two 24-bit two's complement fixed-point values (9 integer bits, 15 fraction bits)
const hfLat = F('mip6.acc_net_id.geo.latitude_degrees', 'Latitude Degrees', 'int32', { desc: '24-bit two\'s complement, 15 fraction bits' });
const hfLon = F('mip6.acc_net_id.geo.longitude_degrees', 'Longitude Degrees', 'int32', { desc: '24-bit two\'s complement, 15 fraction bits' });
const opIdLayout = [
  L.u8('mip6.acc_net_id.op_id.type', 'Op-ID Type', { vals: { 1: 'Private Enterprise Number (PEN)', 2: 'Realm of the operator' } }),
  L.bytes('mip6.acc_net_id.op_id', 'Op-ID', 'rest'),
];
const s24 = (v: number) => (v & 0x800000 ? v - 0x1000000 : v);
const NET_NAME_HDR = [eBit, netLen];
const AP_NAME_HDR = [apLen];
defineOption({
  type: 52, short: 'acc_net_id', rfc: 'RFC 6757', len: { min: 2 },
  decode: (c) => walkTlv(c, c.voff, aniSpec, (t, voff, l, it, sub) => {
    const st = { ...c, tvb: c.tvb.limit(voff + l) };
    if (t === 1) {
      let o = subLayout(st, voff, NET_NAME_HDR, sub, it);
      const nl = sub['mip6.acc_net_id.net_name_len'] as number;
      const name = st.tvb.bytes(o, nl, 'Network Name');
      if (sub['mip6.acc_net_id.e_bit']) sub[hfNetName.abbrev] = name; else sub[hfNetNameData.abbrev] = name;
      it?.add(sub['mip6.acc_net_id.e_bit'] ? hfNetName : hfNetNameData, o, nl, name);
      o += nl;
      o = subLayout(st, o, AP_NAME_HDR, sub, it);
      const al = sub['mip6.acc_net_id.ap_name_len'] as number;
      const ap = st.tvb.bytes(o, al, 'Access-Point Name');
      sub[hfApName.abbrev] = ap;
      it?.add(hfApName, o, al, ap);
    } else if (t === 2) {
      const la = s24(st.tvb.u24(voff));
      const lo = s24(st.tvb.u24(voff + 3));
      sub[hfLat.abbrev] = la;
      sub[hfLon.abbrev] = lo;
      // tshark's -V shows degrees (value / 2^15); the field value stays the raw number
      it?.add(hfLat, voff, 3, la, `Latitude Degrees: ${(la / 32768).toFixed(6)}`);
      it?.add(hfLon, voff + 3, 3, lo, `Longitude Degrees: ${(lo / 32768).toFixed(6)}`);
    } else if (t === 3) subLayout(st, voff, opIdLayout, sub, it);
    else if (it && l) it.add(aniSpec.data, voff, l, st.tvb.bytes(voff, l));
  }),
});

// RFC 6909 3.1: M flag + Reserved, then an optional Traffic Selector sub-option (RFC 6089 format)
defineOption({
  type: 53, short: 'ipv4tos', rfc: 'RFC 6909', len: { min: 2 },
  layout: [L.flags16(null, [['mip6.ipv4tos.m_flag', 'Mode (M) flag', 0x8000], ['mip6.ipv4tos.reserved', 'Reserved', 0x7fff]])],
  decode: (c) => walkTlv(c, c.voff + 2, fiSpec, fiEach(c)),
});

// RFC 7028 3.1: the multicast selector records, opaque here
defineOption({
  type: 54, short: 'dims', rfc: 'RFC 7028', layout: [L.bytes('mip6.dims.data', 'Multicast Selector', 'rest')],
});

// RFC 7148 3.1: V flag + Reserved, Prefix Length, IPv4 (V) or IPv6 prefix
const hfD4 = F('mip6.dmnp.dmnp_ipv4', 'IPv4 Delegated Mobile Network Prefix', 'ipv4');
const hfD6 = F('mip6.dmnp.dmnp_ipv6', 'IPv6 Delegated Mobile Network Prefix', 'ipv6');
defineOption({
  type: 55, short: 'dmnp', rfc: 'RFC 7148', len: { eq: [6, 18] },
  layout: [
    L.flags8(null, [['mip6.dmnp.v_flag', 'IPv4 Prefix (V) flag', 0x80, { tfs: ['IPv4 Prefix', 'IPv6 Prefix'] }], ['mip6.dmnp.reserved', 'Reserved', 0x7f]]),
    L.u8('mip6.dmnp.prefix_len', 'Prefix Length'),
  ],
  decode: (c) => {
    const o = c.voff + 2;
    if (c.vals['mip6.dmnp.v_flag']) put(c, hfD4, o, 4, c.tvb.bytes(o, 4));
    else put(c, hfD6, o, 16, c.tvb.bytes(o, 16));
  },
  summary: (v) => {
    const p = v['mip6.dmnp.dmnp_ipv6'] ?? v['mip6.dmnp.dmnp_ipv4'];
    if (!(p instanceof Uint8Array)) return undefined;
    return `${p.length === 16 ? ipv6ToString(p) : ipv4ToString(p)}/${v['mip6.dmnp.prefix_len']}`;
  },
});

// RFC 7161 3.1 / 3.2: IGMP or MLD message type, then the membership context (opaque)
const amsLayout = [L.u8('mip6.ams.type', 'Message Type'), L.bytes('mip6.ams.context', 'Multicast Membership Context', 'rest')];
defineOption({ type: 56, short: 'ams4', rfc: 'RFC 7161', len: { min: 1 }, layout: amsLayout });
defineOption({ type: 57, short: 'ams6', rfc: 'RFC 7161', len: { min: 1 }, layout: amsLayout });

// RFC 7222 4.1: SR-ID, TC, OC, Reserved (24), QoS attributes
const QOS_ATTR: Record<number, string> = {
  1: 'Per-MN-Agg-Max-DL-Bit-Rate', 2: 'Per-MN-Agg-Max-UL-Bit-Rate', 3: 'Per-Session-Agg-Max-DL-Bit-Rate',
  4: 'Per-Session-Agg-Max-UL-Bit-Rate', 5: 'Allocation-Retention-Priority', 6: 'Aggregate-Max-DL-Bit-Rate',
  7: 'Aggregate-Max-UL-Bit-Rate', 8: 'Guaranteed-DL-Bit-Rate', 9: 'Guaranteed-UL-Bit-Rate', 10: 'QoS-Traffic-Selector',
  11: 'QoS-Vendor-Specific-Attribute',
};
const qosSpec = {
  text: (t: number, l: number) => `QoS Attribute: ${QOS_ATTR[t] ?? 'Unknown'} (t=${t},l=${l})`,
  type: F('mip6.qos.attr.type', 'Attribute Type', 'uint8', { vals: QOS_ATTR }),
  len: F('mip6.qos.attr.len', 'Attribute Length', 'uint8'),
  data: F('mip6.qos.attr.data', 'Attribute Data', 'bytes'),
};
const rateLayout = [L.u16('mip6.qos.attr.reserved', 'Reserved'), L.u32('mip6.qos.attr.rate', 'Bit Rate', { unit: ' bps' })];
defineOption({
  type: 58, short: 'qos', rfc: 'RFC 7222', len: { min: 6 },
  layout: [
    L.u8('mip6.qos.sr_id', 'SR-ID'), L.u8('mip6.qos.tc', 'Traffic Class'),
    L.u8('mip6.qos.oc', 'Operational Code', { vals: { 1: 'RESPONSE', 2: 'ALLOCATE', 3: 'DE-ALLOCATE', 4: 'MODIFY', 5: 'QUERY', 6: 'NEGOTIATE' } }),
    L.u24('mip6.qos.reserved', 'Reserved'),
  ],
  decode: (c) => walkTlv(c, c.voff + 6, qosSpec, (t, voff, l, it, sub) => {
    if ([1, 2, 6, 7, 8, 9].includes(t)) subLayout({ ...c, tvb: c.tvb.limit(voff + l) }, voff, rateLayout, sub, it);
    else if (it && l) it.add(qosSpec.data, voff, l, c.tvb.bytes(voff, l));
  }),
});

// RFC 7389 3.1: Reserved, then no address (PBU), an IPv4 or an IPv6 address
const hfUp4 = F('mip6.lmaupa.ipv4', 'LMA User-Plane Address', 'ipv4');
const hfUp6 = F('mip6.lmaupa.ipv6', 'LMA User-Plane Address', 'ipv6');
defineOption({
  type: 59, short: 'lmaupa', rfc: 'RFC 7389', len: { eq: [2, 6, 18] },
  layout: [L.u16('mip6.lmaupa.reserved', 'Reserved')],
  decode: (c) => {
    const o = c.voff + 2;
    if (c.len === 6) put(c, hfUp4, o, 4, c.tvb.bytes(o, 4));
    else if (c.len === 18) put(c, hfUp6, o, 16, c.tvb.bytes(o, 16));
  },
});

// RFC 7411 5.3 / 5.4: Option-Code, Reserved or Status, then the MLD/IGMP payload (opaque)
defineOption({
  type: 60, short: 'mmo', rfc: 'RFC 7411', len: { min: 2 },
  layout: [
    L.u8('mip6.mmo.code', 'Option-Code', { vals: { 1: 'IGMPv3', 2: 'MLDv2', 3: 'IGMPv3 in IGMPv2 compatibility mode', 4: 'MLDv2 in MLDv1 compatibility mode' } }),
    L.u8('mip6.mmo.reserved', 'Reserved'), L.bytes('mip6.mmo.data', 'Report Payload', 'rest'),
  ],
});
defineOption({
  type: 61, short: 'mao', rfc: 'RFC 7411', len: { min: 2 },
  layout: [
    L.u8('mip6.mao.code', 'Option-Code'),
    L.u8('mip6.mao.status', 'Status', { vals: { 1: 'Report Payload type unsupported', 2: 'Requested group service unsupported', 3: 'Requested group service administratively prohibited' } }),
    L.bytes('mip6.mao.data', 'Unsupported Report Payload', 'rest'),
  ],
});

// RFC 8127 3.1: sub-options 1 (Binding Re-registration Control) and 2 (Heartbeat Control)
const LCMP_SUB: Record<number, string> = { 1: 'Binding Re-registration Control', 2: 'Heartbeat Control' };
const lcmpSpec = {
  text: (t: number, l: number) => `Sub-option: ${LCMP_SUB[t] ?? 'Unknown'} (t=${t},l=${l})`,
  type: F('mip6.lcmp.subopt.type', 'Sub-option Type', 'uint8', { vals: LCMP_SUB }),
  len: F('mip6.lcmp.subopt.len', 'Sub-option Length', 'uint8'),
  data: F('mip6.lcmp.subopt.data', 'Sub-option Data', 'bytes'),
};
const brcLayout = [
  L.u16('mip6.lcmp.brc.start_time', 'Re-registration Start Time', { unit: ' (x 4 s)' }),
  L.u16('mip6.lcmp.brc.initial_rtx', 'Initial Retransmission Time', { unit: ' s' }),
  L.u16('mip6.lcmp.brc.max_rtx', 'Maximum Retransmission Time', { unit: ' s' }),
];
const hcLayout = [
  L.u16('mip6.lcmp.hc.interval', 'Heartbeat Interval', { unit: ' s' }),
  L.u16('mip6.lcmp.hc.rtx_delay', 'Heartbeat Retransmission Delay', { unit: ' s' }),
  L.u16('mip6.lcmp.hc.max_rtx', 'Heartbeat Maximum Retransmissions'),
];
defineOption({
  type: 62, short: 'lcmp', rfc: 'RFC 8127', len: { min: 2 },
  decode: (c) => walkTlv(c, c.voff, lcmpSpec, (t, voff, l, it, sub) => {
    const st = { ...c, tvb: c.tvb.limit(voff + l) };
    if (t === 1) subLayout(st, voff, brcLayout, sub, it);
    else if (t === 2) subLayout(st, voff, hcLayout, sub, it);
    else if (it && l) it.add(lcmpSpec.data, voff, l, st.tvb.bytes(voff, l));
  }),
});

// RFC 8278 4.1 / 4.2
defineOption({
  type: 63, short: 'mmb', rfc: 'RFC 8278', len: { eq: [6] },
  layout: [
    L.u8('mip6.mmb.if_att', 'If-ATT', { vals: ATT }), L.u8('mip6.mmb.if_label', 'If-Label'), L.u8('mip6.mmb.bid', 'Binding-Id'),
    L.flags24(null, [['mip6.mmb.b_flag', 'Bulk Re-registration (B) flag', 0x800000], ['mip6.mmb.o_flag', 'Overwrite (O) flag', 0x400000],
      ['mip6.mmb.reserved', 'Reserved', 0x3fffff]]),
  ],
});
defineOption({
  type: 64, short: 'magid', rfc: 'RFC 8278', len: { min: 3 },
  layout: [L.u8('mip6.magid.subtype', 'Subtype', { vals: MNID_SUBTYPES }), L.u8('mip6.magid.reserved', 'Reserved'), L.bytes('mip6.magid.id', 'Identifier', 'rest')],
});

// RFC 8885 4.3-4.8 (DMM)
const pfx = (s: string) => [L.u8(`mip6.${s}.reserved`, 'Reserved'), L.u8(`mip6.${s}.len`, 'Prefix Length'), L.ipv6(`mip6.${s}.prefix`, 'Prefix')];
defineOption({ type: 65, short: 'anchored_prefix', rfc: 'RFC 8885', len: { eq: [18] }, layout: pfx('anchored_prefix') });
defineOption({ type: 66, short: 'local_prefix', rfc: 'RFC 8885', len: { eq: [18] }, layout: pfx('local_prefix') });
defineOption({
  type: 67, short: 'prev_maar', rfc: 'RFC 8885', len: { eq: [34] },
  layout: [L.u8('mip6.prev_maar.reserved', 'Reserved'), L.u8('mip6.prev_maar.len', 'Prefix Length'),
    L.ipv6('mip6.prev_maar.addr', 'Previous MAAR Address'), L.ipv6('mip6.prev_maar.prefix', 'Home Network Prefix')],
});
defineOption({ type: 68, short: 'serv_maar', rfc: 'RFC 8885', len: { eq: [16] }, layout: [L.ipv6('mip6.serv_maar.addr', 'Serving MAAR Address')] });
defineOption({ type: 69, short: 'dlif_lla', rfc: 'RFC 8885', len: { eq: [16] }, layout: [L.ipv6('mip6.dlif_lla.addr', 'DLIF Link-Local Address')] });
defineOption({
  type: 70, short: 'dlif_llaa', rfc: 'RFC 8885', len: { min: 3 },
  layout: [L.u16('mip6.dlif_llaa.reserved', 'Reserved'), L.bytes('mip6.dlif_llaa.lla', 'DLIF Link-Layer Address', 'rest')],
});
