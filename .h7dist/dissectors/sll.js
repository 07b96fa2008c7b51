// Linux cooked capture v1 (LINKTYPE_LINUX_SLL 113, 16-octet header) and v2
// (LINKTYPE_LINUX_SLL2 276, 20 octets), field names as tshark's `sll.*`.
// Layouts: https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html, ..._SLL2.html
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerDissector, dissectFromTable, table } from '../core/tables.js';
import { ETYPE_NAMES, dissectEthertype } from './ethertype.js';
const PKTTYPE = {
    0: 'Unicast to us', 1: 'Broadcast', 2: 'Multicast', 3: 'Unicast to another host', 4: 'Sent by us',
};
// ARPHRD_* values (linux/if_arp.h) with Wireshark's names
const HATYPE = {
    0: 'NET/ROM pseudo', 1: 'Ethernet', 2: 'Experimental Ethernet', 3: 'AX.25', 6: 'IEEE 802', 7: 'ARCNET',
    15: 'Frame Relay DLCI', 19: 'ATM', 24: 'IEEE 1394', 32: 'InfiniBand', 512: 'PPP', 768: 'IPIP',
    769: 'IPv6-in-IPv6'.replace('-in-', ' in '), 772: 'Loopback', 776: 'IPv6 over IPv4', 778: 'GRE over IP',
    801: 'IEEE 802.11', 803: 'IEEE 802.11 + radiotap header', 820: 'Netlink', 823: 'IEEE 802.15.4', 824: 'Netlink',
    65534: 'None', 65535: 'Void',
};
// Linux protocol types carried below 0x600 (linux/if_ether.h ETH_P_*)
const LTYPE = { 1: 'Raw 802.3', 2: 'AX.25', 3: 'All', 4: '802.2 LLC', 0x10: 'PPP (SLL)', 0x16: 'CAN', 0x19: 'Control Area Network FD' };
const P = defineProtocol('sll', 'Linux cooked capture');
const F = fieldMaker('sll');
export const hf = {
    pkttype: F('sll.pkttype', 'Packet type', 'uint16', { vals: PKTTYPE }),
    hatype: F('sll.hatype', 'Link-layer address type', 'uint16', { vals: HATYPE }),
    halen: F('sll.halen', 'Link-layer address length', 'uint16'),
    srcEth: F('sll.src.eth', 'Source', 'ether', { desc: 'Source link-layer address' }),
    srcIpv4: F('sll.src.ipv4', 'Source', 'ipv4', { desc: 'Source link-layer address' }),
    srcOther: F('sll.src.other', 'Source', 'bytes', { desc: 'Source link-layer address' }),
    unused: F('sll.unused', 'Unused', 'bytes', { desc: 'Unused bytes' }),
    ltype: F('sll.ltype', 'Protocol', 'uint16', { base: 'hex', vals: LTYPE, desc: 'Linux protocol type' }),
    etype: F('sll.etype', 'Protocol', 'uint16', { base: 'hex', vals: ETYPE_NAMES, desc: 'Ethernet protocol type' }),
    ifindex: F('sll.ifindex', 'Interface index', 'uint32'),
};
/** Address types whose 6-octet addresses are MAC addresses (Wireshark shows sll.src.eth). */
const ETHERISH = new Set([1, 6, 772, 801, 803]);
/** Tunnel types whose 4-octet addresses are IPv4 addresses. */
const IPV4ISH = new Set([768, 776, 778]);
function addAddress(t, pinfo, tvb, off, hatype, halen) {
    const n = Math.min(halen, 8);
    const a = tvb.bytes(off, n);
    if (n === 6 && ETHERISH.has(hatype)) {
        pinfo.setSrc('ether', a);
        t?.add(hf.srcEth, off, 6, a);
    }
    else if (n === 4 && IPV4ISH.has(hatype)) {
        pinfo.setSrc('ipv4', a);
        t?.add(hf.srcIpv4, off, 4, a);
    }
    else if (n > 0) {
        t?.add(hf.srcOther, off, n, a);
    }
    if (n < 8 && t)
        t.add(hf.unused, off + n, 8 - n, tvb.bytes(off + n, 8 - n));
}
function payload(proto, tvb, off, pinfo, tree) {
    if (proto >= 0x600)
        dissectEthertype(proto, tvb, off, pinfo, tree, null, null);
    else
        dissectFromTable('sll.ltype', proto, tvb, off, pinfo, tree);
}
const v1 = registerDissector('sll', 'Linux cooked capture v1', (tvb, off, pinfo, tree) => {
    tvb.check(off, 16, 'Linux cooked capture header');
    pinfo.layers.push('sll');
    pinfo.setProto('SLL');
    const pkttype = tvb.u16(off), hatype = tvb.u16(off + 2), halen = tvb.u16(off + 4), proto = tvb.u16(off + 14);
    let t = null;
    if (tree) {
        t = tree.add(P, off, 16, null, 'Linux cooked capture v1');
        t.add(hf.pkttype, off, 2, pkttype);
        t.add(hf.hatype, off + 2, 2, hatype);
        t.add(hf.halen, off + 4, 2, halen);
    }
    addAddress(t, pinfo, tvb, off + 6, hatype, halen);
    t?.add(proto >= 0x600 ? hf.etype : hf.ltype, off + 14, 2, proto);
    payload(proto, tvb, off + 16, pinfo, tree);
});
const v2 = registerDissector('sll2', 'Linux cooked capture v2', (tvb, off, pinfo, tree) => {
    tvb.check(off, 20, 'Linux cooked capture v2 header');
    pinfo.layers.push('sll');
    pinfo.setProto('SLL');
    const proto = tvb.u16(off), ifindex = tvb.u32(off + 4), hatype = tvb.u16(off + 8), pkttype = tvb.u8(off + 10), halen = tvb.u8(off + 11);
    let t = null;
    if (tree) {
        t = tree.add(P, off, 20, null, 'Linux cooked capture v2');
        t.add(proto >= 0x600 ? hf.etype : hf.ltype, off, 2, proto);
        // octets 2-3 are reserved (MBZ); tshark does not show them
        t.add(hf.ifindex, off + 4, 4, ifindex);
        t.add(hf.hatype, off + 8, 2, hatype);
        t.add(hf.pkttype, off + 10, 1, pkttype);
        t.add(hf.halen, off + 11, 1, halen);
    }
    addAddress(t, pinfo, tvb, off + 12, hatype, halen);
    payload(proto, tvb, off + 20, pinfo, tree);
});
table('wtap_encap', 'Link type').add(113, v1);
table('wtap_encap').add(276, v2);
table('sll.ltype', 'Linux protocol type');
