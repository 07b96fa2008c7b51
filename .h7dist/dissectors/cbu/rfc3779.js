// RFC 3779 IP address blocks (id-pe-ipAddrBlocks, 1.3.6.1.5.5.7.1.7) as an
// @peculiar/asn1-schema schema, parsed by the library rather than by hand:
//   IPAddrBlocks ::= SEQUENCE OF IPAddressFamily
//   IPAddressFamily ::= SEQUENCE { addressFamily OCTET STRING (SIZE (2..3)), ipAddressChoice IPAddressChoice }
//   IPAddressChoice ::= CHOICE { inherit NULL, addressesOrRanges SEQUENCE OF IPAddressOrRange }
//   IPAddressOrRange ::= CHOICE { addressPrefix IPAddress, addressRange IPAddressRange }
//   IPAddressRange ::= SEQUENCE { min IPAddress, max IPAddress }   IPAddress ::= BIT STRING
// The classes get their decorators applied as plain calls (no decorator syntax needed).
import { createRequire } from 'node:module';
import { ipv6ToString } from '../../core/addr.js';
export const OID_IP_ADDR_BLOCKS = '1.3.6.1.5.5.7.1.7';
let parseFn = null;
function build() {
    const req = createRequire(import.meta.url);
    const S = req('@peculiar/asn1-schema');
    const { AsnProp, AsnType, AsnTypeTypes, AsnPropTypes, AsnParser, AsnArray, BitString } = S;
    class IPAddressRange {
        min = new BitString();
        max = new BitString();
    }
    AsnProp({ type: BitString })(IPAddressRange.prototype, 'min');
    AsnProp({ type: BitString })(IPAddressRange.prototype, 'max');
    AsnType({ type: AsnTypeTypes.Sequence })(IPAddressRange);
    class IPAddressOrRange {
        addressPrefix;
        addressRange;
    }
    AsnProp({ type: BitString, optional: true })(IPAddressOrRange.prototype, 'addressPrefix');
    AsnProp({ type: IPAddressRange, optional: true })(IPAddressOrRange.prototype, 'addressRange');
    AsnType({ type: AsnTypeTypes.Choice })(IPAddressOrRange);
    class IPAddressChoice {
        inherit;
        addressesOrRanges;
    }
    AsnProp({ type: AsnPropTypes.Null, optional: true })(IPAddressChoice.prototype, 'inherit');
    AsnProp({ type: IPAddressOrRange, repeated: 'sequence', optional: true })(IPAddressChoice.prototype, 'addressesOrRanges');
    AsnType({ type: AsnTypeTypes.Choice })(IPAddressChoice);
    class IPAddressFamily {
        addressFamily = new ArrayBuffer(0);
        ipAddressChoice = new IPAddressChoice();
    }
    AsnProp({ type: AsnPropTypes.OctetString })(IPAddressFamily.prototype, 'addressFamily');
    AsnProp({ type: IPAddressChoice })(IPAddressFamily.prototype, 'ipAddressChoice');
    AsnType({ type: AsnTypeTypes.Sequence })(IPAddressFamily);
    class IPAddrBlocks extends AsnArray {
    }
    AsnType({ type: AsnTypeTypes.Sequence, itemType: IPAddressFamily })(IPAddrBlocks);
    const addrText = (afi, bits, fill) => {
        const raw = Buffer.from(bits.value);
        const plen = raw.length * 8 - bits.unusedBits;
        const width = afi === 1 ? 4 : 16;
        const buf = Buffer.alloc(width, fill);
        raw.copy(buf, 0, 0, Math.min(raw.length, width));
        // the unused trailing bits of the last octet take the fill value too (RFC 3779 2.1.2)
        if (bits.unusedBits && raw.length <= width && raw.length > 0) {
            const m = (1 << bits.unusedBits) - 1;
            buf[raw.length - 1] = fill ? buf[raw.length - 1] | m : buf[raw.length - 1] & ~m;
        }
        const text = afi === 1 ? [...buf].join('.') : ipv6ToString(buf);
        return { buf, plen, text };
    };
    return (der) => {
        const blocks = AsnParser.parse(der, IPAddrBlocks);
        const out = [];
        for (const fam of blocks) {
            const af = Buffer.from(fam.addressFamily);
            const afi = af.length >= 2 ? af.readUInt16BE(0) : 0;
            const ch = fam.ipAddressChoice;
            if (!ch.addressesOrRanges) {
                out.push({ afi, text: 'inherit' });
                continue;
            }
            for (const a of ch.addressesOrRanges) {
                if (a.addressPrefix) {
                    const p = addrText(afi, a.addressPrefix, 0);
                    out.push({ afi, text: `${p.text}/${p.plen}`, prefix: p.buf, plen: p.plen });
                }
                else if (a.addressRange) {
                    const lo = addrText(afi, a.addressRange.min, 0);
                    const hi = addrText(afi, a.addressRange.max, 0xff);
                    out.push({ afi, text: `${lo.text}-${hi.text}` });
                }
            }
        }
        return out;
    };
}
/** Decode an IPAddrBlocks extension value (DER). Throws on malformed DER. */
export function parseIpAddrBlocks(der) {
    parseFn ??= build();
    return parseFn(der);
}
