// The frame pseudo-protocol: capture metadata, then the link layer by link type
// (table `wtap_encap`, keyed by pcap LINKTYPE_ values).
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerDissector, dissectFromTable } from '../core/tables.js';
import type { Engine } from '../core/engine.js';

const P = defineProtocol('frame', 'Frame');
const F = fieldMaker('frame');
export const hf = {
  comment: F('frame.comment', 'Comment', 'string'),
  ifId: F('frame.interface_id', 'Interface id', 'uint32'),
  ifName: F('frame.interface_name', 'Interface name', 'string'),
  encap: F('frame.encap_type', 'Encapsulation type', 'int32'),
  time: F('frame.time', 'Arrival Time', 'abs_time'),
  epoch: F('frame.time_epoch', 'Epoch Time', 'rel_time'),
  delta: F('frame.time_delta', 'Time delta from previous captured frame', 'rel_time'),
  rel: F('frame.time_relative', 'Time since reference or first frame', 'rel_time'),
  number: F('frame.number', 'Frame Number', 'uint32'),
  len: F('frame.len', 'Frame Length', 'uint32'),
  capLen: F('frame.cap_len', 'Capture Length', 'uint32'),
  marked: F('frame.marked', 'Frame is marked', 'bool'),
  ignored: F('frame.ignored', 'Frame is ignored', 'bool'),
  protocols: F('frame.protocols', 'Protocols in frame', 'string'),
};

function rel(sec: number, nsec: number, s0: number, n0: number): number {
  return sec - s0 + (nsec - n0) / 1e9;
}

registerDissector('frame', 'Frame', (tvb, off, pinfo, tree) => {
  const raw = pinfo.raw;
  const engine = pinfo.data.engine as Engine | undefined;
  let ft = null;
  if (tree) {
    const n = raw.origlen;
    const c = raw.caplen;
    ft = tree.add(P, 0, raw.data.length, null,
      `Frame ${pinfo.num}: ${n} bytes on wire (${n * 8} bits), ${c} bytes captured (${c * 8} bits)` + (raw.ifName !== undefined ? ` on interface ${raw.ifName}, id ${raw.ifIndex}` : raw.ifIndex !== undefined ? ` on interface ${raw.ifIndex}` : ''));
    for (const cm of raw.comments ?? []) ft.add(hf.comment, 0, 0, cm);
    if (raw.ifIndex !== undefined) {
      const it = ft.add(hf.ifId, 0, 0, raw.ifIndex, `Interface id: ${raw.ifIndex}${raw.ifName !== undefined ? ` (${raw.ifName})` : ''}`);
      if (raw.ifName !== undefined) it.add(hf.ifName, 0, 0, raw.ifName);
    }
    ft.add(hf.encap, 0, 0, raw.linktype);
    ft.add(hf.time, 0, 0, [raw.tsSec, raw.tsNsec]);
    ft.add(hf.epoch, 0, 0, raw.tsSec + raw.tsNsec / 1e9, `Epoch Time: ${raw.tsSec}.${String(raw.tsNsec).padStart(9, '0')} seconds`);
    const d = engine && !Number.isNaN(engine.prevSec) ? rel(raw.tsSec, raw.tsNsec, engine.prevSec, engine.prevNsec) : 0;
    ft.add(hf.delta, 0, 0, d, `Time delta from previous captured frame: ${d.toFixed(9)} seconds`);
    const r = engine ? rel(raw.tsSec, raw.tsNsec, engine.firstSec, engine.firstNsec) : 0;
    ft.add(hf.rel, 0, 0, r, `Time since reference or first frame: ${r.toFixed(9)} seconds`);
    ft.add(hf.number, 0, 0, pinfo.num);
    ft.add(hf.len, 0, 0, n, `Frame Length: ${n} bytes (${n * 8} bits)`);
    ft.add(hf.capLen, 0, 0, c, `Capture Length: ${c} bytes (${c * 8} bits)`);
    ft.add(hf.marked, 0, 0, false);
    ft.add(hf.ignored, 0, 0, false);
    // filled in once the whole stack is known (see the end of this function)
    ft.add(hf.protocols, 0, 0, '');
  }
  dissectFromTable('wtap_encap', raw.linktype, tvb, off, pinfo, tree);
  if (ft) {
    const it = ft.find('frame.protocols');
    if (it) it.value = pinfo.layers.join(':');
  }
  if (raw.caplen < raw.origlen && !pinfo.truncated) {
    // cut by the snap length but every layer fit: still say so, as tshark does
    pinfo.truncated = true;
  }
});
