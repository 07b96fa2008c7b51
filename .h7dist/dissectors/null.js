// BSD loopback: LINKTYPE_NULL (0), a 4-octet address family in the capturing
// host's byte order, and LINKTYPE_LOOP (108, OpenBSD), the same in network byte
// order. AF_INET6 is 24, 28 or 30 depending on the BSD; a value above 1500 is
// an Ethertype (as Wireshark's null dissector treats it).
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerDissector, dissectFromTable, table } from '../core/tables.js';
import { ETYPE_NAMES, dissectEthertype } from './ethertype.js';
export const FAMILY = {
    2: 'IP', 7: 'OSI', 16: 'Appletalk', 23: 'Netware IPX/SPX', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6',
};
const P = defineProtocol('null', 'Null/Loopback');
const F = fieldMaker('null');
export const hf = {
    family: F('null.family', 'Family', 'uint32', { vals: FAMILY }),
    type: F('null.type', 'Type', 'uint16', { base: 'hex', vals: ETYPE_NAMES }),
};
function loopback(networkOrder) {
    return (tvb, off, pinfo, tree) => {
        tvb.check(off, 4, 'Null/Loopback header');
        pinfo.layers.push('null');
        pinfo.setProto('NULL');
        let v = networkOrder ? tvb.u32(off) : tvb.u32le(off);
        // written by a host of the other byte order: the family sits in the top half
        if (!networkOrder && (v & 0xffff0000) !== 0 && (v & 0xffff) === 0)
            v = tvb.u32(off);
        const t = tree ? tree.add(P, off, 4, null, 'Null/Loopback') : null;
        if (v > 1500) {
            t?.add(hf.type, off, 4, v & 0xffff);
            dissectEthertype(v & 0xffff, tvb, off + 4, pinfo, tree, null, null);
            return;
        }
        t?.add(hf.family, off, 4, v);
        dissectFromTable('null.family', v, tvb, off + 4, pinfo, tree);
    };
}
const nullHandle = registerDissector('null', 'Null/Loopback', loopback(false));
const loopHandle = registerDissector('loop', 'OpenBSD loopback', loopback(true));
table('wtap_encap', 'Link type').add(0, nullHandle);
table('wtap_encap').add(108, loopHandle);
const fam = table('null.family', 'BSD address family');
fam.add(2, 'ip');
for (const af of [24, 28, 30])
    fam.add(af, 'ipv6');
