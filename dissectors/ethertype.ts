// Ethertype dispatch shared by Ethernet, 802.1Q/802.1ad and Linux cooked capture:
// Wireshark's names for the types, and the trailer/padding left after the payload
// (known from the IP layer's own length, as Wireshark's ethertype dissector does).
import { dissectFromTable, table } from '../core/tables.js';
import type { Tvb } from '../core/tvb.js';
import type { PacketInfo } from '../core/packet.js';
import type { Item } from '../core/tree.js';
import type { Field } from '../core/fields.js';

const T_ETHERTYPE = table('ethertype');

export const ETYPE_NAMES: Record<number, string> = {
  0x0800: 'IPv4', 0x0806: 'ARP', 0x8035: 'RARP', 0x86dd: 'IPv6',
  0x8100: '802.1Q Virtual LAN', 0x88a8: '802.1ad Provider Bridge (Q-in-Q)', 0x9100: 'QinQ: old non-standard 802.1ad',
  0x88e7: '802.1ah Provider Backbone Bridge (mac-in-mac)', 0x8847: 'MPLS label switched packet',
  0x8848: 'MPLS multicast label switched packet', 0x888e: '802.1X Authentication', 0x88cc: '802.1 Link Layer Discovery Protocol (LLDP)',
  0x8863: 'PPPoE Discovery', 0x8864: 'PPPoE Session', 0x88e5: '802.1AE (MACsec)', 0x88f7: 'PTPv2 over Ethernet (IEEE1588)',
  0x8809: 'Slow Protocols', 0x0842: 'Wake on LAN', 0x22f0: 'IEEE 1722 Audio Video Bridging Transport Protocol',
};

/** Minimum Ethernet frame without FCS; shorter payloads are padded up to it. */
const ETH_MIN = 60;

export interface TrailerFields {
  padding: Field;
  trailer: Field;
  /** when the capture does not say whether frames carry an FCS: Wireshark's guess */
  fcs?: (off: number) => void;
}

/**
 * Hand the payload at `off` to table `ethertype`; afterwards, octets the payload
 * did not claim (an IP layer knows its length) become padding/trailer/FCS (addTrailer).
 * `frameStart` is where the Ethernet frame began (for the minimum length).
 */
export function dissectEthertype(type: number, tvb: Tvb, off: number, pinfo: PacketInfo, tree: Item | null, parent: Item | null, tf: TrailerFields | null, frameStart = 0): void {
  pinfo.layers.push('ethertype');
  const depth = pinfo.ipStack.length;
  dissectFromTable(T_ETHERTYPE, type, tvb, off, pinfo, tree);
  if (!tf || !parent || pinfo.ipStack.length <= depth) return;
  addTrailer(tvb, Math.max(pinfo.ipStack[depth]!.payloadEnd, off), parent, tf, frameStart);
}

/**
 * Octets after `used`: padding up to the 60-octet minimum, then trailer. With an
 * unknown FCS setting, a trailer of 4 or more octets in a frame of 64 or more ends
 * in an FCS (Wireshark's heuristic), shown through `tf.fcs`.
 */
export function addTrailer(tvb: Tvb, used: number, parent: Item, tf: TrailerFields, frameStart: number): void {
  if (used >= tvb.rend) return;
  const padEnd = Math.max(used, Math.min(tvb.rend, frameStart + ETH_MIN));
  let end = tvb.end;
  if (tf.fcs && tvb.end === tvb.rend && end - padEnd >= 4 && end - frameStart >= ETH_MIN + 4) end -= 4;
  if (padEnd > used && used < end) parent.add(tf.padding, used, Math.min(padEnd, end) - used, tvb.buf.subarray(used, Math.min(padEnd, end)));
  if (end > padEnd) parent.add(tf.trailer, padEnd, end - padEnd, tvb.buf.subarray(padEnd, end));
  if (end < tvb.end) tf.fcs!(end);
}
