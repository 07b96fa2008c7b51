// RFC 4866 Enhanced Route Optimization (11-16), RFC 5026 DNS update (17),
// RFC 5096 experimental (18), RFC 5094 vendor specific (19), RFC 5149 service selection (20).
// The RFC 4866 options carry their whole value after Type and Length (tshark 4.0
// reads these bodies two octets short).
import { defineOption, L } from '../optdefs.js';
defineOption({ type: 11, short: 'cgapr', rfc: 'RFC 4866', len: { eq: [0] } });
defineOption({
    type: 12, short: 'cgar', rfc: 'RFC 4866', len: { min: 1 },
    layout: [L.bytes('mip6.cgar.cga_par', 'CGA Parameters', 'rest')],
});
defineOption({
    type: 13, short: 'sign', rfc: 'RFC 4866', len: { min: 1 },
    layout: [L.bytes('mip6.sign.sign', 'Signature', 'rest')],
});
defineOption({
    type: 14, short: 'phkt', rfc: 'RFC 4866', len: { eq: [8] },
    layout: [L.bytes('mip6.phkt.phkt', 'Permanent Home Keygen Token', 8)],
});
defineOption({ type: 15, short: 'coti', rfc: 'RFC 4866', len: { eq: [0] } });
defineOption({
    type: 16, short: 'cot', rfc: 'RFC 4866', len: { eq: [8] },
    layout: [L.bytes('mip6.mocot.co_keygen_tok', 'Care-of Keygen Token', 8)],
});
// RFC 5026 4.2: Status, R flag + Reserved, MN identity (FQDN)
defineOption({
    type: 17, short: 'dnsu', rfc: 'RFC 5026', len: { min: 2 },
    layout: [
        L.u8('mip6.dnsu.status', 'Status', {
            vals: { 0: 'DNS update performed', 128: 'Reason unspecified', 129: 'Administratively prohibited', 130: 'DNS Update Failed' },
        }),
        L.flags8(null, [['mip6.dnsu.flag.r', 'R flag', 0x80, {
                    tfs: ['Mobile Node is requesting the HA to remove the DNS entry', 'Mobile Node is requesting the HA to create or update a DNS entry'],
                }]]),
        L.bytes('mip6.dnsu.mn_id', 'MN identity (FQDN)', 'rest'),
    ],
});
// RFC 5096: opaque data (the spec's cookie reading of length 30 is a context entry elsewhere)
defineOption({ type: 18, short: 'em', rfc: 'RFC 5096', layout: [L.bytes('mip6.em.data', 'Data', 'rest')] });
// RFC 5094: Vendor ID (SMI PEN), Sub-Type, Data
const PEN = { 9: 'ciscoSystems', 10415: '3GPP', 8164: 'Starent Networks', 2011: 'Huawei' };
defineOption({
    type: 19, short: 'vsm', rfc: 'RFC 5094', len: { min: 5 },
    layout: [
        L.u32('mip6.vsm.vendorId', 'Vendor Id', { vals: PEN }),
        L.u8('mip6.vsm.subtype', 'Subtype'),
        L.bytes('mip6.vsm.data', 'Data', 'rest'),
    ],
    summary: (v) => PEN[v['mip6.vsm.vendorId']],
});
// RFC 5149: identifier, 1-255 octets of UTF-8
defineOption({
    type: 20, short: 'ssm', rfc: 'RFC 5149', len: { min: 1 },
    layout: [L.string('mip6.ss.identifier', 'Identifier', 'rest')],
    summary: (v) => (v['mip6.ss.identifier'] instanceof Uint8Array ? Buffer.from(v['mip6.ss.identifier']).toString('utf8') : undefined),
});
