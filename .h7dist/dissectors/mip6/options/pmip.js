// Proxy Mobile IPv6 and dual-stack options: RFC 5213 (22-27), RFC 5847 (28),
// RFC 5555 (29-32), RFC 5845 (33), RFC 5648 (35), RFC 5844 (36-39),
// RFC 5949 (40-42), RFC 6058 (43).
import { defineOption, L, F, put, OPTION_NAMES } from '../optdefs.js';
import { prefixLayout, prefixSummary } from './base.js';
import { ipv4ToString, ipv6ToString } from '../../../core/addr.js';
import { absTimeString } from '../../../core/format.js';
// RFC 5213 8.3: same layout and (in tshark) the same fields as the NEMO prefix; 8n+4
defineOption({ type: 22, short: 'hnp', rfc: 'RFC 5213', len: { eq: [18] }, align: [8, 4], layout: prefixLayout, summary: prefixSummary });
// RFC 5213 8.4
const HI = {
    0: 'Reserved', 1: 'Attachment over a new interface', 2: 'Handoff between two different interfaces of the mobile node',
    3: 'Handoff between mobile access gateways for the same interface', 4: 'Handoff state unknown',
    5: 'Handoff state not changed (Re-registration)',
};
defineOption({
    type: 23, short: 'hi', rfc: 'RFC 5213', len: { eq: [2] },
    layout: [L.u8('mip6.hi.reserved', 'Reserved'), L.u8('mip6.hi', 'Handoff Indicator', { vals: HI })],
    summary: (v) => HI[v['mip6.hi']],
});
// RFC 5213 8.5 (values from the IANA Access Technology Type registry)
export const ATT = {
    0: 'Reserved', 1: 'Virtual', 2: 'PPP', 3: 'IEEE 802.3', 4: 'IEEE 802.11a/b/g', 5: 'IEEE 802.16e',
    6: '3GPP GERAN', 7: '3GPP UTRAN', 8: '3GPP E-UTRAN', 9: '3GPP2 eHRPD', 10: '3GPP2 HRPD', 11: '3GPP2 1xRTT',
    12: '3GPP2 UMB', 13: '3GPP NB-IoT', 14: '3GPP 5G NR',
};
defineOption({
    type: 24, short: 'att', label: 'Access Technology Type Option', rfc: 'RFC 5213', len: { eq: [2] },
    layout: [L.u8('mip6.att.reserved', 'Reserved'), L.u8('mip6.att', 'Access Technology Type', { vals: ATT })],
    summary: (v) => ATT[v['mip6.att']],
});
// RFC 5213 8.6
defineOption({
    type: 25, short: 'mnlli', rfc: 'RFC 5213', len: { min: 3 },
    layout: [L.flags16(null, [['mip6.mnlli.reserved', 'Reserved', 0xffff]]), L.bytes('mip6.mnlli.lli', 'Link-layer Identifier', 'rest')],
});
// RFC 5213 8.7; 8n+6
defineOption({
    type: 26, short: 'lla', rfc: 'RFC 5213', len: { eq: [16] }, align: [8, 6],
    layout: [L.ipv6('mip6.lila_lla', 'Link-local Address')],
});
// RFC 5213 8.8: 48-bit seconds since 1970 and 16-bit 1/65536 fractions (not NTP); 8n+2
const hfTs = F('mip6.timestamp_tmp', 'Timestamp', 'abs_time');
defineOption({
    type: 27, short: 'ts', rfc: 'RFC 5213', len: { eq: [8] }, align: [8, 2],
    decode: (c) => {
        const hi = c.tvb.u32(c.voff);
        const lo = c.tvb.u32(c.voff + 4);
        const sec = hi * 65536 + (lo >>> 16);
        put(c, hfTs, c.voff, 8, [sec, Math.floor(((lo & 0xffff) * 1e9) / 65536)]);
    },
    summary: (v) => {
        const t = v['mip6.timestamp_tmp'];
        return t ? absTimeString(t[0], t[1]) : undefined;
    },
});
// RFC 5847 3.2
defineOption({ type: 28, short: 'rc', rfc: 'RFC 5847', len: { eq: [4] }, layout: [L.u32('mip6.rc', 'Restart Counter')] });
// RFC 5555 3.1.1: Prefix-len (6 bits), P flag, Reserved (9 bits), IPv4 home address; 4n
const hfPreflen = F('mip6.ipv4ha.preflen', 'Prefix-len', 'uint8', { mask: 0xfc, bits: 8 });
const hfPflag = F('mip6.ipv4ha.p_flag', 'mobile network prefix (P) flag', 'bool', {
    mask: 0x200, bits: 16, tfs: ['mobile network prefixt requested', 'mobile network prefixt not requested'],
});
const preflen8 = L.flags8(null, [['mip6.ipv4ha.preflen', 'Prefix-len', 0xfc]]);
const ha4 = L.ipv4('mip6.ipv4ha.ha', 'IPv4 Home Address');
defineOption({
    type: 29, short: 'ipv4ha', rfc: 'RFC 5555', len: { eq: [6] }, align: [4, 0],
    decode: (c) => {
        const w = c.tvb.u16(c.voff);
        put(c, hfPreflen, c.voff, 1, w >> 10);
        put(c, hfPflag, c.voff, 2, (w & 0x200) !== 0);
        const a = c.tvb.bytes(c.voff + 2, 4);
        put(c, ha4.f, c.voff + 2, 4, a);
    },
});
// RFC 5555 3.2.1 / RFC 5844 3.3.2: status codes
const V4STATUS = {
    0: 'Success', 128: 'Failure, reason unspecified', 129: 'Administratively prohibited',
    130: 'Incorrect IPv4 home address', 131: 'Invalid IPv4 address', 132: 'Dynamic IPv4 home address assignment not available',
    133: 'Prefix allocation unauthorized',
};
const sts = L.u8('mip6.ipv4aa.sts', 'Status', { vals: V4STATUS });
defineOption({
    type: 30, short: 'ipv4aa', rfc: 'RFC 5555', len: { eq: [6] }, align: [4, 0],
    layout: [sts, preflen8, ha4],
});
// RFC 5555 3.2.2: F flag, Reserved, Refresh time; 4n
defineOption({
    type: 31, short: 'natd', rfc: 'RFC 5555', len: { eq: [6] }, align: [4, 0],
    layout: [
        L.flags16(null, [
            ['mip6.natd.f_flag', '(F) flag', 0x8000, { tfs: ['MUST use UDP encapsulation', 'Do not have to use UDP encapsulation'] }],
            ['mip6.natd.reserved', 'Reserved', 0x7fff],
        ]),
        L.u32('mip6.natd.refresh_t', 'Refresh time', { unit: 's' }),
    ],
});
// RFC 5555 3.1.2: Reserved, IPv4 care-of address; 4n
defineOption({
    type: 32, short: 'ipv4coa', rfc: 'RFC 5555', len: { eq: [6] }, align: [4, 0],
    layout: [L.flags16(null, [['mip6.ipv4coa.reserved', 'Reserved', 0xffff]]), L.ipv4('mip6.ipv4coa.addr', 'IPv4 Care-of address')],
});
// RFC 5845 3.1: Reserved then the GRE key when the length is 6; 4n+2 (tshark shows the
// reserved octets under the IPv4 Default-Router Address field)
const dra = [L.u16('mip6.ipv4dra.reserved', 'Reserved')];
const hfGre = F('mip6.gre_key', 'GRE Key', 'uint32');
defineOption({
    type: 33, short: 'grek', rfc: 'RFC 5845', len: { eq: [2, 6] }, align: [4, 2], layout: dra,
    decode: (c) => {
        if (c.len >= 6)
            put(c, hfGre, c.voff + 2, 4, c.tvb.u32(c.voff + 2));
    },
    summary: (v) => (v['mip6.gre_key'] !== undefined ? String(v['mip6.gre_key']) : undefined),
});
// RFC 5648 6.1 (BID-PRI from RFC 6089): BID, Status, H flag, then no CoA (4), IPv4 (8) or IPv6 (20)
const hfBi4 = F('mip6.bi.coa_ipv4', 'IPv4 care-of address (CoA)', 'ipv4');
const hfBi6 = F('mip6.bi.coa_ipv6', 'IPv6 care-of address (CoA)', 'ipv6');
defineOption({
    type: 35, short: 'bi', rfc: 'RFC 5648', len: { eq: [4, 8, 20] },
    layout: [
        L.u16('mip6.bi.bid', 'Binding ID (BID)'),
        L.u8('mip6.bi.status', 'Status'),
        L.flags8(null, [['mip6.bi.h_flag', 'Simultaneous Home and Foreign Binding (H)', 0x80]]),
    ],
    decode: (c) => {
        const o = c.voff + 4;
        if (c.len === 8)
            put(c, hfBi4, o, 4, c.tvb.bytes(o, 4));
        else if (c.len === 20)
            put(c, hfBi6, o, 16, c.tvb.bytes(o, 16));
    },
});
// RFC 5844 3.3.1: Prefix-len, Reserved, IPv4 home address; 4n
defineOption({
    type: 36, short: 'ipv4hareq', rfc: 'RFC 5844', len: { eq: [6] }, align: [4, 0],
    layout: [preflen8, L.u8('mip6.ipv4ha.reserved', 'Reserved', { base: 'hex' }), ha4],
    summary: (v) => (v['mip6.ipv4ha.ha'] instanceof Uint8Array ? ipv4ToString(v['mip6.ipv4ha.ha']) : undefined),
});
// RFC 5844 3.3.2: Status, Prefix-len, IPv4 home address; 4n
defineOption({
    type: 37, short: 'ipv4harep', rfc: 'RFC 5844', len: { eq: [6] }, align: [4, 0],
    layout: [sts, preflen8, ha4],
    summary: (v) => (v['mip6.ipv4ha.ha'] instanceof Uint8Array
        ? `${V4STATUS[v['mip6.ipv4aa.sts']] ?? 'Unknown'} : ${ipv4ToString(v['mip6.ipv4ha.ha'])}` : undefined),
});
// RFC 5844 3.4: Reserved, IPv4 default-router address; 4n
defineOption({
    type: 38, short: 'ipv4dra', rfc: 'RFC 5844', len: { eq: [6] }, align: [4, 0],
    layout: [...dra, L.ipv4('mip6.ipv4dra.dra', 'IPv4 Default-Router Address')],
    summary: (v) => (v['mip6.ipv4dra.dra'] instanceof Uint8Array ? ipv4ToString(v['mip6.ipv4dra.dra']) : undefined),
});
// RFC 5844 3.5: Reserved (15 bits), S flag
defineOption({
    type: 39, short: 'ipv4dsm', rfc: 'RFC 5844', len: { eq: [2] },
    layout: [L.flags16(null, [
            ['mip6.ipv4dsm.reserved', 'Reserved', 0xfffe],
            ['mip6.ipv4dsm.s_flag', 'DHCP Support Mode (S)', 0x1, { tfs: ['DHCP Server', 'DHCP Relay'] }],
        ])],
});
// RFC 5949 6.2.1: Reserved, then Req-type / Req-length / value entries
const hfReqType = F('mip6.cr.req_type', 'Req-type', 'uint8', { vals: OPTION_NAMES });
const hfReqLen = F('mip6.cr.req_length', 'Req-length', 'uint8');
const hfReqData = F('mip6.cr.req_data', 'Req-option', 'bytes');
defineOption({
    type: 40, short: 'cr', rfc: 'RFC 5949', len: { min: 2 },
    layout: [L.u16('mip6.cr.reserved', 'Reserved')],
    decode: (c) => {
        let o = c.voff + 2;
        while (o < c.end) {
            const t = c.tvb.u8(o);
            put(c, hfReqType, o, 1, t);
            const l = c.tvb.u8(o + 1);
            put(c, hfReqLen, o + 1, 1, l);
            if (l)
                put(c, hfReqData, o + 2, l, c.tvb.bytes(o + 2, l, 'Req-option'));
            o += 2 + l;
        }
    },
});
// RFC 5949 6.2.2: Option-Code (1 IPv6, 2 IPv4), Reserved, LMA address
const hfLmaa6 = F('mip6.lmaa.ipv6', 'Local Mobility Anchor Address', 'ipv6');
const hfLmaa4 = F('mip6.lmaa.ipv4', 'Local Mobility Anchor Address', 'ipv4');
defineOption({
    type: 41, short: 'lmaa', rfc: 'RFC 5949', len: { eq: [6, 18] },
    layout: [L.u8('mip6.lmaa.opt_code', 'Option-Code', { vals: { 1: 'IPv6', 2: 'IPv4' } }), L.u8('mip6.lmaa.reserved', 'Reserved')],
    decode: (c) => {
        const code = c.vals['mip6.lmaa.opt_code'];
        const o = c.voff + 2;
        if (code === 1)
            put(c, hfLmaa6, o, 16, c.tvb.bytes(o, 16));
        else if (code === 2)
            put(c, hfLmaa4, o, 4, c.tvb.bytes(o, 4));
    },
    summary: (v) => (v['mip6.lmaa.ipv6'] instanceof Uint8Array ? ipv6ToString(v['mip6.lmaa.ipv6'])
        : v['mip6.lmaa.ipv4'] instanceof Uint8Array ? ipv4ToString(v['mip6.lmaa.ipv4']) : undefined),
});
// RFC 5949 6.2.3: Reserved, 64-bit interface identifier
defineOption({
    type: 42, short: 'mnllaii', rfc: 'RFC 5949', len: { eq: [10] },
    layout: [L.u16('mip6.mnllaii.reserved', 'Reserved'), L.bytes('mip6.mnllaii.iid', 'Interface Identifier', 8)],
});
// RFC 6058 5.1: Reserved (7 bits), L (late path switch) flag, Lifetime (100 ms units)
defineOption({
    type: 43, short: 'tb', rfc: 'RFC 6058', len: { eq: [2] },
    layout: [
        L.flags8(null, [['mip6.tb.reserved', 'Reserved', 0xfe], ['mip6.tb.l_flag', 'Late Path Switch (L) flag', 0x01]]),
        L.u8('mip6.tb.lifetime', 'Lifetime', { unit: ' (x 100 ms)' }),
    ],
});
