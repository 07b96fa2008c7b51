// Authentication Header (51, RFC 4302): fields, then the protected next header with
// ip.protectedBy = 'ah'. tshark hangs AH below the IPv6 item, as an extension header.
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerDissector, table } from '../core/tables.js';
import { IP_PROTO_NAMES } from './ipproto.js';
import { ipOf, extParent, nextHeader } from './ipv6.js';
const P = defineProtocol('ah', 'Authentication Header');
const F = fieldMaker('ah');
export const hf = {
    nxt: F('ah.next_header', 'Next header', 'uint8', { vals: IP_PROTO_NAMES }),
    length: F('ah.length', 'Length', 'uint8'),
    reserved: F('ah.reserved', 'Reserved', 'bytes'),
    spi: F('ah.spi', 'AH SPI', 'uint32', { base: 'hex' }),
    seq: F('ah.sequence', 'AH Sequence', 'uint32'),
    icv: F('ah.icv', 'AH ICV', 'bytes'),
};
const h = registerDissector('ah', 'AH', (tvb, off, pinfo, tree, data) => {
    const ip = ipOf(pinfo, data);
    const nxt = tvb.u8(off);
    const len = tvb.u8(off + 1);
    // RFC 4302 2.2: length in 32-bit words minus 2
    const hlen = (len + 2) * 4;
    pinfo.layers.push('ah');
    const parent = extParent(ip, tree);
    const a = tvb.limit(off + hlen, off + hlen);
    a.check(off, 12, 'AH header');
    const spi = a.u32(off + 4);
    const seq = a.u32(off + 8);
    if (parent) {
        const t = parent.add(P, off, Math.min(hlen, tvb.end - off), null);
        t.add(hf.nxt, off, 1, nxt);
        t.add(hf.length, off + 1, 1, len).suffix = ` (${hlen} bytes)`;
        t.add(hf.reserved, off + 2, 2, a.bytes(off + 2, 2));
        t.add(hf.spi, off + 4, 4, spi);
        t.add(hf.seq, off + 8, 4, seq);
        if (hlen > 12)
            t.add(hf.icv, off + 12, hlen - 12, a.bytes(off + 12, Math.max(0, Math.min(hlen, a.end - off) - 12), 'AH ICV'));
    }
    a.check(off, hlen, 'AH ICV');
    if (ip)
        ip.protectedBy = 'ah';
    nextHeader(nxt, tvb, off + hlen, pinfo, tree, ip);
});
table('ipv6.nxt', 'IPv6 next header').add(51, h);
table('ip.proto', 'IP protocol').add(51, h);
