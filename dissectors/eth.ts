// Ethernet II (link type 1); the payload goes to table `ethertype`.
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerDissector, dissectFromTable, table } from '../core/tables.js';
import { etherToString } from '../core/addr.js';

const P = defineProtocol('eth', 'Ethernet');
const F = fieldMaker('eth');
export const hf = {
  dst: F('eth.dst', 'Destination', 'ether'),
  src: F('eth.src', 'Source', 'ether'),
  addr: F('eth.addr', 'Address', 'ether'),
  type: F('eth.type', 'Type', 'uint16', { base: 'hex', vals: { 0x0800: 'IPv4', 0x86dd: 'IPv6', 0x8100: '802.1Q Virtual LAN', 0x88a8: '802.1ad Provider Bridge (Q-in-Q)', 0x0806: 'ARP' } }),
};

const h = registerDissector('eth', 'Ethernet', (tvb, off, pinfo, tree) => {
  tvb.check(off, 14, 'Ethernet header');
  const dst = tvb.bytes(off, 6);
  const src = tvb.bytes(off + 6, 6);
  const type = tvb.u16(off + 12);
  pinfo.layers.push('eth', 'ethertype');
  pinfo.setSrc('ether', src);
  pinfo.setDst('ether', dst);
  pinfo.setProto('Ethernet');
  let t = null;
  if (tree) {
    t = tree.add(P, off, 14, null, `Ethernet II, Src: ${etherToString(src)}, Dst: ${etherToString(dst)}`);
    t.add(hf.dst, off, 6, dst);
    t.add(hf.src, off + 6, 6, src);
    t.add(hf.type, off + 12, 2, type);
  }
  dissectFromTable('ethertype', type, tvb, off + 14, pinfo, tree);
});

table('wtap_encap').add(1, h);
