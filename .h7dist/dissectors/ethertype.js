// Ethertype dispatch shared by Ethernet, 802.1Q/802.1ad and Linux cooked capture:
// Wireshark's names for the types, and the trailer/padding left after the payload
// (known from the IP layer's own length, as Wireshark's ethertype dissector does).
import { dissectFromTable } from '../core/tables.js';
export const ETYPE_NAMES = {
    0x0800: 'IPv4', 0x0806: 'ARP', 0x8035: 'RARP', 0x86dd: 'IPv6',
    0x8100: '802.1Q Virtual LAN', 0x88a8: '802.1ad Provider Bridge (Q-in-Q)', 0x9100: 'QinQ: old non-standard 802.1ad',
    0x88e7: '802.1ah Provider Backbone Bridge (mac-in-mac)', 0x8847: 'MPLS label switched packet',
    0x8848: 'MPLS multicast label switched packet', 0x888e: '802.1X Authentication', 0x88cc: '802.1 Link Layer Discovery Protocol (LLDP)',
    0x8863: 'PPPoE Discovery', 0x8864: 'PPPoE Session', 0x88e5: '802.1AE (MACsec)', 0x88f7: 'PTPv2 over Ethernet (IEEE1588)',
    0x8809: 'Slow Protocols', 0x0842: 'Wake on LAN', 0x22f0: 'IEEE 1722 Audio Video Bridging Transport Protocol',
};
/** Minimum Ethernet frame without FCS; shorter payloads are padded up to it. */
const ETH_MIN = 60;
/**
 * Hand the payload at `off` to table `ethertype`; afterwards, octets the payload
 * did not claim (an IP layer knows its length) are shown as padding up to the
 * 60-octet minimum and as trailer beyond it. `frameStart` is where the Ethernet
 * frame began (for the minimum length).
 */
export function dissectEthertype(type, tvb, off, pinfo, tree, parent, tf, frameStart = 0) {
    pinfo.layers.push('ethertype');
    const depth = pinfo.ipStack.length;
    dissectFromTable('ethertype', type, tvb, off, pinfo, tree);
    if (!tf || pinfo.ipStack.length <= depth)
        return;
    const ip = pinfo.ipStack[depth];
    const used = Math.max(ip.payloadEnd, off);
    if (used >= tvb.rend)
        return;
    // padding: the part of the unclaimed octets that fills the frame up to 60
    const padEnd = Math.max(used, Math.min(tvb.rend, frameStart + ETH_MIN));
    const capEnd = tvb.end;
    if (parent) {
        if (padEnd > used && used < capEnd)
            parent.add(tf.padding, used, Math.min(padEnd, capEnd) - used, tvb.buf.subarray(used, Math.min(padEnd, capEnd)));
        if (tvb.rend > padEnd && padEnd < capEnd)
            parent.add(tf.trailer, padEnd, capEnd - padEnd, tvb.buf.subarray(padEnd, capEnd));
    }
}
