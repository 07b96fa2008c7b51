// Mobility options of base Mobile IPv6 and its first companions:
// RFC 6275 (1-5), RFC 3963 NEMO (6), RFC 5568 FMIPv6 (7, 21, 34),
// RFC 4283 MN-ID (8), RFC 4285 authentication protocol (9, 10).
import { fourSeconds } from '../names.js';
import { defineOption, L, F, put, hf, type OptCtx } from '../optdefs.js';
import { registerDissector, table } from '../../../core/tables.js';
import type { MhOptionCtx } from '../api.js';
import type { LEntry } from '../../../core/layout.js';
import { ipv6ToString } from '../../../core/addr.js';

/** octets the layout steps over without showing (reserved fields tshark does not show) */
export const skip = (w: number): LEntry => ({ w });

// RFC 6275 6.2.2 Pad1: one octet, no Length (the MH walker normally shows it itself;
// this handle serves decode-as and callers without a walker)
registerDissector('mip6.opt.pad1', 'MIPv6', (tvb, off, _pinfo, tree, data?: MhOptionCtx) => {
  const b = tvb.bytes(off, 1);
  if (data?.opt) data.opt.name = 'Pad1';
  if (tree) tree.add(hf.pad1, off, 1, b, 'MIPv6 Option - Pad1');
}, 'mh.malformed');
table('mip6.option').add(0, 'mip6.opt.pad1');

// RFC 6275 6.2.3 PadN: any length, value ignored
defineOption({ type: 1, short: 'padn', rfc: 'RFC 6275', layout: [{ ...L.bytes('mip6.padn', 'PadN', 'rest'), omitEmpty: true }] });

// RFC 6275 6.2.4: Refresh Interval in 4-second units; 2n
defineOption({
  type: 2, short: 'bra', rfc: 'RFC 6275', len: { eq: [2] }, align: [2, 0],
  layout: [L.u16('mip6.bra.interval', 'Refresh interval')],
  // counted in 4-second units (RFC 6275 6.2.4): labelled "N (4N seconds)" as tshark does
  decode: (c) => {
    const it = c.item?.children?.find((x) => x.field?.abbrev === 'mip6.bra.interval');
    if (it) it.text = `Refresh interval: ${fourSeconds(it.value as number)}`;
  },
});

// RFC 6275 6.2.5: 8n+6 so the address is 8-octet aligned
defineOption({
  type: 3, short: 'acoa', rfc: 'RFC 6275', len: { eq: [16] }, align: [8, 6],
  layout: [L.ipv6('mip6.acoa.acoa', 'Alternate care-of address')],
});

// RFC 6275 6.2.6: Home and Care-of Nonce Indices; 2n
defineOption({
  type: 4, short: 'ni', rfc: 'RFC 6275', len: { eq: [4] }, align: [2, 0],
  layout: [L.u16('mip6.ni.hni', 'Home nonce index'), L.u16('mip6.ni.cni', 'Care-of nonce index')],
});

// RFC 6275 6.2.7: the Authenticator is the rest of the option (96 bits with the RR procedure); 8n+2
defineOption({
  type: 5, short: 'bad_auth', label: 'Authorization Data', rfc: 'RFC 6275', len: { min: 1 }, align: [8, 2],
  layout: [L.bytes('mip6.bad.auth', 'Authenticator', 'rest')],
});

// RFC 3963 6.2: Reserved, Prefix Length, Mobile Network Prefix; 8n+4
const pfl = L.u8('mip6.nemo.mnp.pfl', 'Mobile Network Prefix Length');
const mnp = L.ipv6('mip6.nemo.mnp.mnp', 'Mobile Network Prefix');
export const prefixSummary = (v: Record<string, unknown>) =>
  v['mip6.nemo.mnp.mnp'] instanceof Uint8Array ? `${ipv6ToString(v['mip6.nemo.mnp.mnp'] as Uint8Array)}/${v['mip6.nemo.mnp.pfl']}` : undefined;
defineOption({
  type: 6, short: 'mnp', rfc: 'RFC 3963', len: { eq: [18] }, align: [8, 4],
  layout: [skip(1), pfl, mnp], summary: prefixSummary,
});
// shared with the Home Network Prefix option (tshark uses the same fields)
export const prefixLayout = [skip(1), pfl, mnp];

// RFC 5568 6.4.3: Option-Code then the link-layer address
const LLA_CODES: Record<number, string> = {
  0: 'Wildcard requesting resolution for all nearby access points',
  1: 'Link-Layer Address of the New Access Point',
  2: 'Link Layer Address of the MN',
  3: 'Link-Layer Address of the NAR',
  4: 'Link-Layer Address of the source of RtSolPr or PrRtAdv message',
  5: 'The access point identified by the LLA belongs to the current interface of the router',
  6: 'No prefix information available for the access point identified by the LLA',
  7: 'No fast handover support available for the access point identified by the LLA',
};
defineOption({
  type: 7, short: 'mhlla', rfc: 'RFC 5568', len: { min: 1 },
  layout: [L.u8('mip6.lla.optcode', 'Option-Code', { vals: LLA_CODES }), L.bytes('mip6.lla', 'Link-layer address', 'rest')],
});

// RFC 4283 (subtypes extended by RFC 8191)
export const MNID_SUBTYPES: Record<number, string> = {
  1: 'Network Access Identifier (NAI)', 2: 'IPv6 Address', 3: 'IMSI', 4: 'P-TMSI', 5: 'EUI-48 address',
  6: 'EUI-64 address', 7: 'GUTI',
};
defineOption({
  type: 8, short: 'mnid', rfc: 'RFC 4283', len: { min: 2 },
  layout: [L.u8('mip6.mnid.subtype', 'Subtype', { vals: MNID_SUBTYPES }), L.string('mip6.mnid.identifier', 'Identifier', 'rest')],
  summary: (v) => (v['mip6.mnid.identifier'] instanceof Uint8Array ? Buffer.from(v['mip6.mnid.identifier'] as Uint8Array).toString('latin1') : undefined),
});

// RFC 4285 5: Subtype, Mobility SPI, Authentication Data (rest); 4n+1 so the SPI is 4-aligned
defineOption({
  type: 9, short: 'auth', label: 'AUTH-OPTION-TYPE', rfc: 'RFC 4285', len: { min: 5 }, align: [4, 1],
  layout: [
    L.u8('mip6.auth.subtype', 'Subtype', { vals: { 1: 'MN-HA authentication mobility option', 2: 'MN-AAA authentication mobility option' } }),
    L.u32('mip6.auth.mobility_spi', 'Mobility SPI'),
    L.bytes('mip6.auth.auth_data', 'Authentication Data', 'rest'),
  ],
});

// RFC 4285 6.1: 64-bit NTP timestamp (seconds since 1900, 32-bit fraction); 8n+2
const hfMesgTs = F('mip6.mseg_id.timestamp', 'Timestamp', 'abs_time');
const NTP_UNIX = 2208988800;
defineOption({
  type: 10, short: 'mseg_id', label: 'MESG-ID-OPTION-TYPE', rfc: 'RFC 4285', len: { eq: [8] }, align: [8, 2],
  decode: (c: OptCtx) => {
    const s = c.tvb.u32(c.voff);
    const frac = c.tvb.u32(c.voff + 4);
    put(c, hfMesgTs, c.voff, 8, [s - NTP_UNIX, Math.floor((frac * 1e9) / 2 ** 32)]);
  },
});

// RFC 5568 6.4.5 BADF: SPI then the Authenticator (rest of the option)
defineOption({
  type: 21, short: 'badff', rfc: 'RFC 5568', len: { min: 4 },
  layout: [L.u32('mip6.badff.spi', 'SPI'), L.bytes('mip6.badff.auth', 'Authenticator', 'rest')],
});

// RFC 5568 6.4.2: Option-Code, Prefix Length, IPv6 address or prefix
const hfApStr = F('mip6.mhipv6ap.ipv6_address_prefix', 'IPv6 Address/Prefix', 'string');
defineOption({
  type: 34, short: 'mhipv6ap', rfc: 'RFC 5568', len: { eq: [18] },
  layout: [
    L.u8('mip6.mhipv6ap.opt_code', 'Option-Code', {
      vals: { 1: 'Old Care-of Address', 2: 'New Care-of Address', 3: 'NAR\'s IP address', 4: 'NAR\'s Prefix' },
    }),
    L.u8('mip6.mhipv6ap.len', 'Prefix Length'),
    L.ipv6('mip6.mhipv6ap.ipv6_address', 'IPv6 Address'),
  ],
  decode: (c) => {
    // tshark adds the generated "address/prefix-length" string
    // (its value is the address; the label adds the prefix length)
    const a = ipv6ToString(c.vals['mip6.mhipv6ap.ipv6_address'] as Uint8Array);
    c.vals[hfApStr.abbrev] = a;
    if (c.item) c.item.addGenerated(hfApStr, a, `IPv6 Address/Prefix: ${a}/${c.vals['mip6.mhipv6ap.len']}`);
  },
});
