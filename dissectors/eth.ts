// Ethernet II (link type 1) at tshark 4.0 parity for the fields it emits: the
// address subtrees (OUI, LG/IG bits, eth.addr), type, padding/trailer and the
// FCS when the capture says frames carry one. 802.3 length frames show eth.len
// and their payload as data (no LLC here). The payload goes to table `ethertype`.
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerFast, fastFromTable } from '../core/fast.js';
import { registerDissector, dissectFromTable, table } from '../core/tables.js';
import { etherToString } from '../core/addr.js';
import { PairMemo } from '../core/memo.js';
import { BlockCache, useBlock } from '../core/block.js';
import type { Item } from '../core/tree.js';
import type { Tvb } from '../core/tvb.js';
import { ETYPE_NAMES, dissectEthertype, addTrailer } from './ethertype.js';

const P = defineProtocol('eth', 'Ethernet');
const F = fieldMaker('eth');
const LG: [string, string] = ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'];
const IG: [string, string] = ['Group address (multicast/broadcast)', 'Individual address (unicast)'];
const bit = (abbrev: string, name: string, mask: number, tfs: [string, string]) => F(abbrev, name, 'bool', { mask, bits: 24, tfs });

export const hf = {
  dst: F('eth.dst', 'Destination', 'ether', { desc: 'Destination Hardware Address' }),
  dstResolved: F('eth.dst_resolved', 'Destination (resolved)', 'string'),
  dstOui: F('eth.dst.oui', 'Destination OUI', 'uint24'),
  src: F('eth.src', 'Source', 'ether', { desc: 'Source Hardware Address' }),
  srcResolved: F('eth.src_resolved', 'Source (resolved)', 'string'),
  srcOui: F('eth.src.oui', 'Source OUI', 'uint24'),
  addr: F('eth.addr', 'Address', 'ether', { desc: 'Source or Destination Hardware Address' }),
  addrResolved: F('eth.addr_resolved', 'Address (resolved)', 'string'),
  addrOui: F('eth.addr.oui', 'Address OUI', 'uint24'),
  dstLg: bit('eth.dst.lg', 'LG bit', 0x020000, LG),
  dstIg: bit('eth.dst.ig', 'IG bit', 0x010000, IG),
  srcLg: bit('eth.src.lg', 'LG bit', 0x020000, LG),
  srcIg: bit('eth.src.ig', 'IG bit', 0x010000, IG),
  lg: bit('eth.lg', 'LG bit', 0x020000, LG),
  ig: bit('eth.ig', 'IG bit', 0x010000, IG),
  type: F('eth.type', 'Type', 'uint16', { base: 'hex', vals: ETYPE_NAMES }),
  len: F('eth.len', 'Length', 'uint16'),
  padding: F('eth.padding', 'Padding', 'bytes', { desc: 'Ethernet Padding' }),
  trailer: F('eth.trailer', 'Trailer', 'bytes', { desc: 'Ethernet Trailer or Checksum' }),
  fcs: F('eth.fcs', 'Frame check sequence', 'uint32', { base: 'hex' }),
  fcsStatus: F('eth.fcs.status', 'FCS Status', 'uint8', { vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } }),
};

// the protocol line repeats within a conversation
const LABELS_II = new PairMemo();
const LABELS_8023 = new PairMemo();
const labelII = (s: string, d: string) => `Ethernet II, Src: ${s}, Dst: ${d}`;
const label8023 = (s: string, d: string) => `IEEE 802.3 Ethernet, Src: ${s}, Dst: ${d}`;

/** One address with tshark's subtree; hidden items are the ones tshark keeps out of -V. */
function addrTree(t: Item, which: 'dst' | 'src', off: number, a: Buffer): void {
  const s = etherToString(a);
  const oui = (a[0]! << 16) | (a[1]! << 8) | a[2]!;
  const top = t.add(which === 'dst' ? hf.dst : hf.src, off, 6, a);
  const hide = (it: Item) => { it.hidden = true; };
  hide(top.add(which === 'dst' ? hf.dstResolved : hf.srcResolved, off, 6, s));
  hide(top.add(which === 'dst' ? hf.dstOui : hf.srcOui, off, 3, oui));
  top.add(hf.addr, off, 6, a);
  hide(top.add(hf.addrResolved, off, 6, s));
  hide(top.add(hf.addrOui, off, 3, oui));
  const lg = (a[0]! & 2) !== 0;
  const ig = (a[0]! & 1) !== 0;
  top.add(which === 'dst' ? hf.dstLg : hf.srcLg, off, 3, lg);
  hide(top.add(hf.lg, off, 3, lg));
  top.add(which === 'dst' ? hf.dstIg : hf.srcIg, off, 3, ig);
  hide(top.add(hf.ig, off, 3, ig));
}

const BLOCKS = new BlockCache(64);

export const ethHandle = registerDissector('eth', 'Ethernet', (tvb, off, pinfo, tree) => {
  pinfo.layers.push('eth');
  pinfo.setProto('Ethernet');
  // field by field, as tshark: a frame cut after the destination still shows it
  // (the columns take the addresses without views: IPv6 usually replaces them)
  tvb.check(off, 6, 'Destination');
  pinfo.setDstAt('ether', tvb.buf, off, 6);
  tvb.check(off + 6, 6, 'Source');
  pinfo.setSrcAt('ether', tvb.buf, off + 6, 6);
  const type = tvb.u16(off + 12);
  // FCS: only when the capture says so and the whole frame was captured
  const raw = pinfo.raw;
  const fcsLen = raw.fcsLen === 4 && off === 0 && tvb.end === tvb.rend && tvb.end >= 18 ? 4 : 0;
  const body: Tvb = fcsLen ? tvb.limit(tvb.end - 4) : tvb;
  let t: Item | null = null;
  if (tree) {
    const ii = type < 0x600;
    // the header's items (and the label) depend on its 14 octets alone: shared while they repeat
    const b = BLOCKS.get(tvb.buf, off, 14, tree.ds);
    t = tree.add(P, off, 14, null, b ? b.label : (ii ? LABELS_8023 : LABELS_II).get(etherToString(tvb.buf, off + 6), etherToString(tvb.buf, off), ii ? label8023 : labelII));
    if (b) useBlock(t, b);
    else {
      addrTree(t, 'dst', off, tvb.buf.subarray(off, off + 6));
      addrTree(t, 'src', off + 6, tvb.buf.subarray(off + 6, off + 12));
      t.add(ii ? hf.len : hf.type, off + 12, 2, type);
      BLOCKS.put(tvb.buf, off, 14, t.ds, t);
    }
  }
  const fcsAt = (o: number) => {
    const fcs = tvb.u32(o);
    t!.add(hf.fcs, o, 4, fcs, `Frame check sequence: 0x${fcs.toString(16).padStart(8, '0')} [unverified]`);
    t!.addGenerated(hf.fcsStatus, 2, 'FCS Status: Unverified');
  };
  // no FCS information in the capture: Wireshark guesses from the trailer length
  const tf = { padding: hf.padding, trailer: hf.trailer, fcs: raw.fcsLen === undefined ? fcsAt : undefined };
  if (type < 0x600) {
    // 802.3 length: the payload (LLC) is shown as data, the rest as padding/trailer
    const end = Math.min(body.rend, off + 14 + type);
    dissectFromTable('eth.llc', 0, body.limit(end, end), off + 14, pinfo, tree);
    if (t) addTrailer(body, end, t, tf, off);
  } else {
    dissectEthertype(type, body, off + 14, pinfo, tree, t, tf, off);
  }
  if (fcsLen && t) fcsAt(tvb.end - 4);
});

table('wtap_encap', 'Link type').add(1, ethHandle);

const T_ETHERTYPE = table('ethertype');
// summary fast path (core/fast.ts): Ethernet II only; the IP layer sets the columns
registerFast('eth', (off, end, st) => {
  if (end - off < 14) return false;
  const type = (st.buf[off + 12]! << 8) | st.buf[off + 13]!;
  return type >= 0x600 && fastFromTable(T_ETHERTYPE, type, off + 14, end, st);
});
