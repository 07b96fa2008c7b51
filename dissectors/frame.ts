// The frame pseudo-protocol: capture metadata, then the link layer by link type
// (table `wtap_encap`, keyed by pcap LINKTYPE_ values). Field order, labels and
// generated marks follow tshark 4.0, so -V, -T json and -T fields match it.
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerDissector, dissectFromTable, table } from '../core/tables.js';
import type { Engine } from '../core/engine.js';
import { BlockCache, useBlock } from '../core/block.js';

const T_WTAP = table('wtap_encap');
const P = defineProtocol('frame', 'Frame');
const PC = defineProtocol('pkt_comment', 'Packet comments');
const F = fieldMaker('frame');

/** pcap LINKTYPE_ -> Wireshark WTAP_ENCAP_ number and name (frame.encap_type) */
const WTAP: Record<number, [number, string]> = {
  0: [15, 'NULL/Loopback'], 1: [1, 'Ethernet'], 12: [7, 'Raw IP'], 14: [7, 'Raw IP'], 101: [7, 'Raw IP'],
  113: [25, 'Linux cooked-mode capture v1'], 228: [129, 'Raw IPv4'], 229: [130, 'Raw IPv6'],
  276: [210, 'Linux cooked-mode capture v2'],
};
const ENCAP_NAMES: Record<number, string> = {};
for (const [n, name] of Object.values(WTAP)) ENCAP_NAMES[n] = name;

export const hf = {
  comment: F('frame.comment', 'Comment', 'string'),
  section: F('frame.section_number', 'Section number', 'uint32', { desc: 'The number of the file section this frame is in' }),
  ifId: F('frame.interface_id', 'Interface id', 'uint32'),
  ifName: F('frame.interface_name', 'Interface name', 'string', { desc: 'The friendly name for this interface' }),
  ifDesc: F('frame.interface_description', 'Interface description', 'string', { desc: 'The description for this interface' }),
  encap: F('frame.encap_type', 'Encapsulation type', 'int32', { vals: ENCAP_NAMES }),
  time: F('frame.time', 'Arrival Time', 'abs_time', { desc: 'Absolute time when this frame was captured' }),
  shift: F('frame.offset_shift', 'Time shift for this packet', 'rel_time', { desc: 'Time shift applied to this packet' }),
  epoch: F('frame.time_epoch', 'Epoch Time', 'rel_time', { desc: 'Epoch time when this frame was captured' }),
  delta: F('frame.time_delta', 'Time delta from previous captured frame', 'rel_time'),
  deltaDisp: F('frame.time_delta_displayed', 'Time delta from previous displayed frame', 'rel_time'),
  rel: F('frame.time_relative', 'Time since reference or first frame', 'rel_time', { desc: 'Time relative to time reference or first frame' }),
  number: F('frame.number', 'Frame Number', 'uint32'),
  len: F('frame.len', 'Frame length on the wire', 'uint32'),
  capLen: F('frame.cap_len', 'Frame length stored into the capture file', 'uint32'),
  marked: F('frame.marked', 'Frame is marked', 'bool', { desc: 'Frame is marked in the GUI' }),
  ignored: F('frame.ignored', 'Frame is ignored', 'bool', { desc: 'Frame is ignored by the dissectors' }),
  protocols: F('frame.protocols', 'Protocols in frame', 'string', { desc: 'Protocols carried by this frame' }),
};
// the expert item under each comment (tshark: frame.comment.expert)
F('frame.comment.expert', 'Formatted comment', 'none');

/** [sec, nsec] of a - b, normalised (nsec in 0..1e9-1 with the sign on sec) */
function diff(aS: number, aN: number, bS: number, bN: number): [number, number] {
  let s = aS - bS;
  let n = aN - bN;
  if (n < 0 && s > 0) {
    n += 1e9;
    s -= 1;
  } else if (n > 0 && s < 0) {
    n -= 1e9;
    s += 1;
  }
  return [s, n];
}

const ZERO: [number, number] = [0, 0];

// "Frame Length: 70 bytes (560 bits)": frames repeat a few lengths, so the labels are
// remembered per length (a capture holds at most 64 Ki distinct ones)
const LEN_TEXT = new Map<number, string>();
const CAP_TEXT = new Map<number, string>();
function lenText(m: Map<number, string>, what: string, n: number): string {
  let s = m.get(n);
  if (s === undefined) {
    s = `${what}: ${n} bytes (${n * 8} bits)`;
    if (m.size < 65536) m.set(n, s);
  }
  return s;
}

// keyed by the two lengths, written into LEN_KEY (not octets of the packet)
const BLOCKS = new BlockCache(256, false);
const LEN_KEY = Buffer.alloc(8);

// the label after the frame number for a whole frame of n octets, by n
const TAILS = new Map<number, string>();
function wholeTail(n: number): string {
  let s = TAILS.get(n);
  if (s === undefined) {
    s = `: ${n} bytes on wire (${n * 8} bits), ${n} bytes captured (${n * 8} bits)`;
    if (TAILS.size < 65536) TAILS.set(n, s);
  }
  return s;
}

// frame.protocols of the latest stack: consecutive packets mostly repeat it
let lastLayers: string[] = [];
let lastProtocols = '';
function protocolsText(layers: string[]): string {
  const n = layers.length;
  if (n === lastLayers.length) {
    let i = 0;
    while (i < n && layers[i] === lastLayers[i]) i++;
    if (i === n) return lastProtocols;
  }
  lastLayers = layers.slice();
  return (lastProtocols = layers.join(':'));
}

/** Engine state key the printer sets when a frame is displayed (frame.time_delta_displayed). */
export const PREV_DISPLAYED = 'frame.prevDisplayed';
/** set (true) by a printer that records displayed frames in PREV_DISPLAYED */
export const DISPLAY_TRACKED = 'frame.displayTracked';

registerDissector('frame', 'Frame', (tvb, off, pinfo, tree) => {
  const raw = pinfo.raw;
  const engine = pinfo.data.engine as Engine | undefined;
  let ft = null;
  if (tree) {
    if (raw.comments?.length) {
      const ct = tree.add(PC, 0, 0, null, 'Packet comments');
      for (const cm of raw.comments) {
        const ci = ct.add(hf.comment, 0, 0, cm, cm);
        pinfo.addExpert('comment', 'frame.comment.expert', cm, ci, 'comment');
      }
    }
    const n = raw.origlen;
    const c = raw.caplen;
    const pcapng = raw.ifIndex !== undefined;
    // tshark names an interface without if_name "unknown"
    const ifName = raw.ifName ?? 'unknown';
    ft = tree.add(P, 0, raw.data.length, null,
      n === c && !pcapng ? 'Frame ' + pinfo.num + wholeTail(n)
        : `Frame ${pinfo.num}: ${n} bytes on wire (${n * 8} bits), ${c} bytes captured (${c * 8} bits)` + (pcapng ? ` on interface ${ifName}, id ${raw.ifIndex}` : ''));
    if (pcapng) {
      ft.add(hf.section, 0, 0, raw.section ?? 1);
      const it = ft.add(hf.ifId, 0, 0, raw.ifIndex, `Interface id: ${raw.ifIndex} (${ifName})`);
      it.add(hf.ifName, 0, 0, ifName);
      if (raw.ifDescription !== undefined) it.add(hf.ifDesc, 0, 0, raw.ifDescription);
    }
    const wt = WTAP[raw.linktype];
    ft.add(hf.encap, 0, 0, wt ? wt[0] : raw.linktype);
    // one [sec, nsec] for both: item values are never changed in place
    const ts: [number, number] = [raw.tsSec, raw.tsNsec];
    ft.add(hf.time, 0, 0, ts);
    ft.add(hf.shift, 0, 0, ZERO).generated = true;
    ft.add(hf.epoch, 0, 0, ts);
    const hasPrev = engine && !Number.isNaN(engine.prevSec);
    const d = hasPrev ? diff(raw.tsSec, raw.tsNsec, engine.prevSec, engine.prevNsec) : ZERO;
    ft.add(hf.delta, 0, 0, d).generated = true;
    // the printer records displayed frames; without one every frame counts as displayed
    const tracked = engine?.state[DISPLAY_TRACKED] === true;
    const pd = engine?.state[PREV_DISPLAYED] as [number, number] | undefined;
    const dd = !tracked ? d : pd ? diff(raw.tsSec, raw.tsNsec, pd[0], pd[1]) : ZERO;
    ft.add(hf.deltaDisp, 0, 0, dd).generated = true;
    const r = engine && !Number.isNaN(engine.firstSec) ? diff(raw.tsSec, raw.tsNsec, engine.firstSec, engine.firstNsec) : ZERO;
    ft.add(hf.rel, 0, 0, r).generated = true;
    ft.add(hf.number, 0, 0, pinfo.num);
    // these four depend on the two lengths alone: shared while they repeat (core/block.ts)
    LEN_KEY.writeUInt32BE(n >>> 0, 0);
    LEN_KEY.writeUInt32BE(c >>> 0, 4);
    const b = BLOCKS.get(LEN_KEY, 0, 8, ft.ds);
    if (b) useBlock(ft, b);
    else {
      const from = ft.children!.length;
      ft.add(hf.len, 0, 0, n, lenText(LEN_TEXT, 'Frame Length', n));
      ft.add(hf.capLen, 0, 0, c, lenText(CAP_TEXT, 'Capture Length', c));
      ft.add(hf.marked, 0, 0, false).generated = true;
      ft.add(hf.ignored, 0, 0, false).generated = true;
      BLOCKS.put(LEN_KEY, 0, 8, ft.ds, ft, from);
    }
    // filled in once the whole stack is known (see the end of this function)
    ft.add(hf.protocols, 0, 0, '').generated = true;
  }
  dissectFromTable(T_WTAP, raw.linktype, tvb, off, pinfo, tree);
  if (ft) {
    const kids = ft.children!;
    for (let i = kids.length - 1; i >= 0; i--) {
      if (kids[i]!.field === hf.protocols) {
        kids[i]!.value = protocolsText(pinfo.layers);
        break;
      }
    }
  }
  if (raw.caplen < raw.origlen && !pinfo.truncated) {
    // cut by the snap length but every layer fit: still say so, as tshark does
    pinfo.truncated = true;
  }
});
