// IEEE 802.1Q VLAN tags (TPID 0x8100, and the old QinQ 0x9100, as tshark) and
// 802.1ad service tags (0x88a8, tshark's ieee8021ad). Tags stack: each one hands
// its inner type back to table `ethertype`.
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerDissector, table } from '../core/tables.js';
import { ETYPE_NAMES, dissectEthertype } from './ethertype.js';
const PRI = {
    0: 'Best Effort (default)', 1: 'Background', 2: 'Excellent Effort', 3: 'Critical Applications',
    4: 'Video, < 100ms latency and jitter', 5: 'Voice, < 10ms latency and jitter', 6: 'Internetwork Control', 7: 'Network Control',
};
const PQ = defineProtocol('vlan', '802.1Q Virtual LAN');
const FQ = fieldMaker('vlan');
export const hfVlan = {
    priority: FQ('vlan.priority', 'Priority', 'uint16', { mask: 0xe000, bits: 16, vals: PRI }),
    dei: FQ('vlan.dei', 'DEI', 'bool', { mask: 0x1000, bits: 16, tfs: ['Eligible', 'Ineligible'] }),
    id: FQ('vlan.id', 'ID', 'uint16', { mask: 0x0fff, bits: 16 }),
    etype: FQ('vlan.etype', 'Type', 'uint16', { base: 'hex', vals: ETYPE_NAMES }),
    len: FQ('vlan.len', 'Length', 'uint16'),
    padding: FQ('vlan.padding', 'Padding', 'bytes'),
    trailer: FQ('vlan.trailer', 'Trailer', 'bytes'),
};
const PA = defineProtocol('ieee8021ad', 'IEEE 802.1ad');
const FA = fieldMaker('ieee8021ad');
export const hfAd = {
    priority: FA('ieee8021ad.priority', 'Priority', 'uint16', { mask: 0xe000, bits: 16 }),
    dei: FA('ieee8021ad.dei', 'DEI', 'uint16', { mask: 0x1000, bits: 16 }),
    id: FA('ieee8021ad.id', 'ID', 'uint16', { mask: 0x0fff, bits: 16 }),
    // tshark names the 802.1ad inner type with the 802.1ah field
    etype: fieldMaker('ieee8021ah')('ieee8021ah.etype', 'Type', 'uint16', { base: 'hex', vals: ETYPE_NAMES }),
};
const vlanHandle = registerDissector('vlan', '802.1Q Virtual LAN', (tvb, off, pinfo, tree) => {
    pinfo.layers.push('vlan');
    pinfo.setProto('VLAN');
    const tci = tvb.u16(off);
    const type = tvb.u16(off + 2);
    const pri = tci >> 13, dei = (tci >> 12) & 1, id = tci & 0xfff;
    pinfo.setInfo(`PRI: ${pri}  DEI: ${dei}  ID: ${id}`);
    let t = null;
    if (tree) {
        t = tree.add(PQ, off, 4, null, `802.1Q Virtual LAN, PRI: ${pri}, DEI: ${dei}, ID: ${id}`);
        t.add(hfVlan.priority, off, 2, pri);
        t.add(hfVlan.dei, off, 2, dei === 1);
        t.add(hfVlan.id, off, 2, id);
        t.add(type < 0x600 ? hfVlan.len : hfVlan.etype, off + 2, 2, type);
    }
    if (type < 0x600)
        dissectEthertype(-1, tvb, off + 4, pinfo, tree, t, null);
    else
        dissectEthertype(type, tvb, off + 4, pinfo, tree, t, null);
});
const adHandle = registerDissector('ieee8021ad', 'IEEE 802.1ad', (tvb, off, pinfo, tree) => {
    pinfo.layers.push('ieee8021ad');
    pinfo.setProto('802.1ad');
    const tci = tvb.u16(off);
    const type = tvb.u16(off + 2);
    const pri = tci >> 13, dei = (tci >> 12) & 1, id = tci & 0xfff;
    let t = null;
    if (tree) {
        t = tree.add(PA, off, 4, null, `IEEE 802.1ad, ID: ${id}`);
        t.add(hfAd.priority, off, 2, pri);
        t.add(hfAd.dei, off, 2, dei);
        t.add(hfAd.id, off, 2, id);
        t.add(hfAd.etype, off + 2, 2, type);
    }
    dissectEthertype(type, tvb, off + 4, pinfo, tree, t, null);
});
table('ethertype', 'Ethertype').add(0x8100, vlanHandle);
table('ethertype').add(0x9100, vlanHandle);
table('ethertype').add(0x88a8, adHandle);
