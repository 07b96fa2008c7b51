// TCP (RFC 9293) headers for a tshark-like summary of non-mobility traffic: ports,
// relative sequence numbers per connection (state in engine.state, reset per pass,
// bounded), flags, window, checksum over the pseudo-header, common options, then
// table `tcp.port` or data. No stream reassembly and no SEQ/ACK analysis.
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerDissector, dissectFromTable, table } from '../core/tables.js';
import { registerPref, pref } from '../core/prefs.js';
import type { PacketInfo } from '../core/packet.js';
import type { Item } from '../core/tree.js';
import type { Tvb } from '../core/tvb.js';
import type { Engine } from '../core/engine.js';
import { transportChecksum } from './inet_cksum.js';
import { statusItem } from './inet_cksum.js';
import { ipOf, inErrorPacket } from './ipv6.js';

const P = defineProtocol('tcp', 'Transmission Control Protocol');
const F = fieldMaker('tcp');
const SET: [string, string] = ['Set', 'Not set'];
const fl = (abbrev: string, name: string, mask: number) => F(abbrev, name, 'bool', { mask, bits: 12, tfs: SET });
export const hf = {
  srcport: F('tcp.srcport', 'Source Port', 'uint16'),
  dstport: F('tcp.dstport', 'Destination Port', 'uint16'),
  port: F('tcp.port', 'Source or Destination Port', 'uint16'),
  len: F('tcp.len', 'TCP Segment Len', 'uint32'),
  seq: F('tcp.seq', 'Sequence Number', 'uint32'),
  seqRaw: F('tcp.seq_raw', 'Sequence Number (raw)', 'uint32'),
  nxtseq: F('tcp.nxtseq', 'Next Sequence Number', 'uint32'),
  ack: F('tcp.ack', 'Acknowledgment Number', 'uint32'),
  ackRaw: F('tcp.ack_raw', 'Acknowledgment number (raw)', 'uint32'),
  hdrLen: F('tcp.hdr_len', 'Header Length', 'uint8'),
  flags: F('tcp.flags', 'Flags', 'uint16', { base: 'hex', mask: 0x0fff, bits: 16 }),
  res: fl('tcp.flags.res', 'Reserved', 0xe00),
  ae: fl('tcp.flags.ae', 'Accurate ECN', 0x100),
  cwr: fl('tcp.flags.cwr', 'Congestion Window Reduced', 0x80),
  ece: fl('tcp.flags.ece', 'ECN-Echo', 0x40),
  urg: fl('tcp.flags.urg', 'Urgent', 0x20),
  ackf: fl('tcp.flags.ack', 'Acknowledgment', 0x10),
  push: fl('tcp.flags.push', 'Push', 0x08),
  reset: fl('tcp.flags.reset', 'Reset', 0x04),
  syn: fl('tcp.flags.syn', 'Syn', 0x02),
  fin: fl('tcp.flags.fin', 'Fin', 0x01),
  str: F('tcp.flags.str', 'TCP Flags', 'string'),
  win: F('tcp.window_size_value', 'Window', 'uint16'),
  winCalc: F('tcp.window_size', 'Calculated window size', 'uint32'),
  checksum: F('tcp.checksum', 'Checksum', 'uint16', { base: 'hex' }),
  checksumStatus: F('tcp.checksum.status', 'Checksum Status', 'uint8', { vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } }),
  checksumCalc: F('tcp.checksum_calculated', 'Calculated Checksum', 'uint16', { base: 'hex' }),
  urgent: F('tcp.urgent_pointer', 'Urgent Pointer', 'uint16'),
  options: F('tcp.options', 'TCP Options', 'bytes'),
  kind: F('tcp.option_kind', 'Kind', 'uint8', { vals: { 0: 'End of Option List (EOL)', 1: 'No-Operation', 2: 'Maximum Segment Size', 3: 'Window Scale', 4: 'SACK Permitted', 5: 'SACK', 8: 'Time Stamp Option' } }),
  optLen: F('tcp.option_len', 'Length', 'uint8'),
  eol: F('tcp.options.eol', 'TCP Option - End of Option List (EOL)', 'bytes'),
  nop: F('tcp.options.nop', 'TCP Option - No-Operation (NOP)', 'bytes'),
  mss: F('tcp.options.mss', 'TCP Option - Maximum segment size', 'bytes'),
  mssVal: F('tcp.options.mss_val', 'MSS Value', 'uint16'),
  wscale: F('tcp.options.wscale', 'TCP Option - Window scale', 'bytes'),
  wsShift: F('tcp.options.wscale.shift', 'Shift count', 'uint8'),
  wsMult: F('tcp.options.wscale.multiplier', 'Multiplier', 'uint16'),
  sackPerm: F('tcp.options.sack_perm', 'TCP Option - SACK permitted', 'bytes'),
  sack: F('tcp.options.sack', 'TCP Option - SACK', 'bytes'),
  sackLe: F('tcp.options.sack_le', 'TCP SACK Left Edge', 'uint32'),
  sackRe: F('tcp.options.sack_re', 'TCP SACK Right Edge', 'uint32'),
  ts: F('tcp.options.timestamp', 'TCP Option - Timestamps', 'bytes'),
  tsval: F('tcp.options.timestamp.tsval', 'Timestamp value', 'uint32'),
  tsecr: F('tcp.options.timestamp.tsecr', 'Timestamp echo reply', 'uint32'),
  unknownOpt: F('tcp.options.unknown.payload', 'Payload', 'bytes'),
  payload: F('tcp.payload', 'TCP payload', 'bytes'),
};

registerPref({ name: 'tcp.check_checksum', def: 'TRUE', desc: 'Validate the TCP checksum (tshark default: FALSE)', choices: ['TRUE', 'FALSE'] });
registerPref({ name: 'tcp.relative_sequence_numbers', def: 'TRUE', desc: 'Show sequence numbers relative to the first one of the connection', choices: ['TRUE', 'FALSE'] });

/** Per-connection bases for relative numbers, bounded (oldest dropped first). */
const MAX_CONNS = 65536;
interface Conn { base: [number | null, number | null]; ws: [number | null, number | null] }
interface TcpState { pass: number; conns: Map<string, Conn> }

function conn(pinfo: PacketInfo, a: string, b: string): Conn | null {
  const engine = pinfo.data.engine as Engine | undefined;
  if (!engine) return null;
  let s = engine.state.tcp as TcpState | undefined;
  if (!s || s.pass !== pinfo.pass) s = engine.state.tcp = { pass: pinfo.pass, conns: new Map() };
  const key = a < b ? a + '|' + b : b + '|' + a;
  let c = s.conns.get(key);
  if (!c) {
    if (s.conns.size >= MAX_CONNS) s.conns.delete(s.conns.keys().next().value!);
    c = { base: [null, null], ws: [null, null] };
    s.conns.set(key, c);
  }
  return c;
}

const FLAG_NAMES: Array<[number, string]> = [[0x001, 'FIN'], [0x002, 'SYN'], [0x004, 'RST'], [0x008, 'PSH'], [0x010, 'ACK'], [0x020, 'URG'], [0x040, 'ECE'], [0x080, 'CWR'], [0x100, 'AE'], [0xe00, 'Reserved']];

function flagNames(f: number): string {
  return FLAG_NAMES.filter(([m]) => f & m).map(([, n]) => n).join(', ');
}

function flagStr(f: number): string {
  const letters = 'RRRACEUAPRSF';
  let s = '';
  for (let i = 0; i < 12; i++) s += f & (1 << (11 - i)) ? letters[i] : '\u00b7';
  return s;
}

interface OptInfo { info: string[]; mss?: number; ws?: number }

function options(tvb: Tvb, o: number, end: number, parent: Item | null, oi: OptInfo, pinfo: PacketInfo): void {
  const names: string[] = [];
  while (o < end) {
    const kind = tvb.u8(o);
    if (kind === 0 || kind === 1) {
      const it = parent?.add(kind === 0 ? hf.eol : hf.nop, o, 1, tvb.bytes(o, 1), kind === 0 ? 'TCP Option - End of Option List (EOL)' : 'TCP Option - No-Operation (NOP)');
      it?.add(hf.kind, o, 1, kind);
      names.push(kind === 0 ? 'End of Option List (EOL)' : 'No-Operation (NOP)');
      o += 1;
      if (kind === 0) break;
      continue;
    }
    const len = tvb.u8(o + 1);
    if (len < 2 || o + len > end) {
      pinfo.addExpert('error', 'tcp.option.len.invalid', `Invalid TCP option length ${len}`, parent, 'malformed');
      pinfo.malformed = true;
      return;
    }
    const v = o + 2;
    const raw = tvb.bytes(o, len);
    let it: Item | undefined;
    const head = (f: typeof hf.mss, label: string) => {
      it = parent?.add(f, o, len, raw, label);
      it?.add(hf.kind, o, 1, kind);
      it?.add(hf.optLen, o + 1, 1, len);
    };
    if (kind === 2 && len === 4) {
      const mss = tvb.u16(v);
      head(hf.mss, `TCP Option - Maximum segment size: ${mss} bytes`);
      it?.add(hf.mssVal, v, 2, mss);
      oi.info.push(`MSS=${mss}`);
      names.push('Maximum segment size');
    } else if (kind === 3 && len === 3) {
      const sh = tvb.u8(v);
      head(hf.wscale, `TCP Option - Window scale: ${sh} (multiply by ${2 ** Math.min(sh, 14)})`);
      it?.add(hf.wsShift, v, 1, sh);
      it?.add(hf.wsMult, v, 1, 2 ** Math.min(sh, 14));
      oi.info.push(`WS=${2 ** Math.min(sh, 14)}`);
      oi.ws = Math.min(sh, 14);
      names.push('Window scale');
    } else if (kind === 4 && len === 2) {
      head(hf.sackPerm, 'TCP Option - SACK permitted');
      oi.info.push('SACK_PERM');
      names.push('SACK permitted');
    } else if (kind === 5 && (len - 2) % 8 === 0) {
      head(hf.sack, `TCP Option - SACK ${len - 2 ? '' : ''}`.trim());
      for (let p = v; p + 8 <= o + len; p += 8) {
        it?.add(hf.sackLe, p, 4, tvb.u32(p));
        it?.add(hf.sackRe, p + 4, 4, tvb.u32(p + 4));
        oi.info.push(`SLE=${tvb.u32(p)} SRE=${tvb.u32(p + 4)}`);
      }
      names.push('SACK');
    } else if (kind === 8 && len === 10) {
      const a = tvb.u32(v), b = tvb.u32(v + 4);
      head(hf.ts, `TCP Option - Timestamps: TSval ${a}, TSecr ${b}`);
      it?.add(hf.tsval, v, 4, a);
      it?.add(hf.tsecr, v + 4, 4, b);
      oi.info.push(`TSval=${a} TSecr=${b}`);
      names.push('Timestamps');
    } else {
      it = parent?.addText(`TCP Option - Unknown (${kind})`, o, len);
      it?.add(hf.kind, o, 1, kind);
      it?.add(hf.optLen, o + 1, 1, len);
      if (len > 2) it?.add(hf.unknownOpt, v, len - 2, tvb.bytes(v, len - 2));
      names.push(`Unknown (${kind})`);
    }
    o += len;
  }
  if (parent) parent.text = `Options: (${parent.length} bytes), ${names.join(', ')}`;
}

const h = registerDissector('tcp', 'TCP', (tvb, off, pinfo, tree, data) => {
  const ip = ipOf(pinfo, data);
  const err = inErrorPacket(pinfo);
  pinfo.layers.push('tcp');
  if (!err) pinfo.setProto('TCP');
  tvb.check(off, 13, 'TCP header');
  const sport = tvb.u16(off), dport = tvb.u16(off + 2);
  const seqRaw = tvb.u32(off + 4), ackRaw = tvb.u32(off + 8);
  const w12 = tvb.u16(off + 12);
  const hlen = (w12 >> 12) * 4;
  const flags = w12 & 0x0fff;
  let t: Item | null = null;
  if (tree) {
    t = tree.add(P, off, Math.max(20, Math.min(hlen, tvb.end - off)), null);
    t.add(hf.srcport, off, 2, sport);
    t.add(hf.dstport, off + 2, 2, dport);
    t.add(hf.port, off, 2, sport).hidden = true;
    t.add(hf.port, off + 2, 2, dport).hidden = true;
  }
  const segLen = Math.max(0, tvb.rend - off - Math.max(hlen, 0));
  const syn = (flags & 2) !== 0, fin = (flags & 1) !== 0, ackf = (flags & 0x10) !== 0;
  // relative sequence numbers, per direction of the connection
  let seq = seqRaw, ack = ackRaw;
  let c: Conn | null = null;
  let dir = 0;
  if (ip && !err && pref('tcp.relative_sequence_numbers') !== 'FALSE') {
    const a = ip.src.toString('hex') + ':' + sport, b = ip.dst.toString('hex') + ':' + dport;
    c = conn(pinfo, a, b);
    dir = a < b ? 0 : 1;
    if (c) {
      if (c.base[dir] === null || syn) c.base[dir] = syn ? seqRaw : (seqRaw - 1) >>> 0;
      seq = (seqRaw - c.base[dir]!) >>> 0;
      if (ackf) {
        if (c.base[1 - dir] === null) c.base[1 - dir] = (ackRaw - 1) >>> 0;
        ack = (ackRaw - c.base[1 - dir]!) >>> 0;
      }
    }
  }
  if (hlen < 20) {
    if (t) {
      t.add(hf.len, off, 0, segLen).generated = true;
      t.add(hf.seq, off + 4, 4, seq);
      t.add(hf.seqRaw, off + 4, 4, seqRaw);
    }
    const ti = t?.add(hf.hdrLen, off + 12, 1, hlen, `${(w12 >> 12).toString(2).padStart(4, '0')} .... = Header Length: ${hlen} bytes (${w12 >> 12})`) ?? null;
    pinfo.malformed = true;
    pinfo.addExpert('error', 'tcp.bogus_header_length', `Bogus TCP header length (${hlen}, must be at least 20)`, ti, 'protocol');
    if (t) t.text = `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}`;
    if (!err) pinfo.setInfo(`${sport} → ${dport} [${flagNames(flags)}] Seq=${seq}${tvb.has(off + 14, 2) ? ` Win=${tvb.u16(off + 14)}` : ''}, bogus TCP header length (${hlen}, must be at least 20)`);
    return;
  }
  tvb.check(off, 20, 'TCP header');
  const win = tvb.u16(off + 14), csum = tvb.u16(off + 16), urg = tvb.u16(off + 18);
  const nxtseq = (seq + segLen + (syn ? 1 : 0) + (fin ? 1 : 0)) >>> 0;
  const oi: OptInfo = { info: [] };
  let optItem: Item | null = null;
  const optEnd = off + hlen;
  // checksum over the whole segment (only when it is all captured)
  const total = tvb.rend - off;
  let status = 2, calc = 0;
  if (!err && ip && pref('tcp.check_checksum') !== 'FALSE' && tvb.end >= tvb.rend && total >= hlen) {
    calc = transportChecksum(ip, 6, tvb.buf, off, total, off + 16);
    status = calc === csum ? 1 : 0;
  }
  if (t) {
    t.text = `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}, Seq: ${seq}${ackf ? `, Ack: ${ack}` : ''}, Len: ${segLen}`;
    t.add(hf.len, off, 0, segLen).generated = true;
    t.add(hf.seq, off + 4, 4, seq, `Sequence Number: ${seq}${c ? '    (relative sequence number)' : ''}`);
    t.add(hf.seqRaw, off + 4, 4, seqRaw);
    t.add(hf.nxtseq, off, 0, nxtseq, `Next Sequence Number: ${nxtseq}${c ? '    (relative sequence number)' : ''}`).generated = true;
    t.add(hf.ack, off + 8, 4, ackf ? ack : ackRaw, ackf && c ? `Acknowledgment Number: ${ack}    (relative ack number)` : null);
    t.add(hf.ackRaw, off + 8, 4, ackRaw);
    t.add(hf.hdrLen, off + 12, 1, hlen, `${(w12 >> 12).toString(2).padStart(4, '0')} .... = Header Length: ${hlen} bytes (${w12 >> 12})`);
    const fi = t.add(hf.flags, off + 12, 2, flags, `Flags: 0x${flags.toString(16).padStart(3, '0')} (${flagNames(flags)})`);
    for (const f of [hf.res, hf.ae, hf.cwr, hf.ece, hf.urg, hf.ackf, hf.push, hf.reset, hf.syn, hf.fin]) {
      const b = fi.add(f, off + 12, 2, (flags & f.mask!) !== 0);
      if (err) continue;
      // tshark's connection notes, under the flag that causes them
      if (f === hf.syn && syn) {
        if (ackf) pinfo.addExpert('chat', 'tcp.connection.synack', `Connection establish acknowledge (SYN+ACK): server port ${sport}`, b, 'sequence');
        else pinfo.addExpert('chat', 'tcp.connection.syn', `Connection establish request (SYN): server port ${dport}`, b, 'sequence');
      }
      if (f === hf.fin && fin) pinfo.addExpert('chat', 'tcp.connection.fin', 'Connection finish (FIN)', b, 'sequence');
      if (f === hf.reset && flags & 4) pinfo.addExpert('warning', 'tcp.connection.rst', 'Connection reset (RST)', b, 'sequence');
    }
    fi.add(hf.str, off + 12, 2, flagStr(flags)).generated = true;
    t.add(hf.win, off + 14, 2, win);
  }
  if (hlen > 20) {
    tvb.check(off + 20, hlen - 20, 'TCP options');
    if (t) optItem = t.add(hf.options, off + 20, hlen - 20, tvb.bytes(off + 20, hlen - 20));
    options(tvb, off + 20, optEnd, optItem, oi, pinfo);
    // items after options are added in header order below: move options to the end later
  }
  if (c && syn && !err) c.ws[dir] = oi.ws ?? -1;
  const scale = c && !syn && c.ws[0] !== null && c.ws[1] !== null && c.ws[0]! >= 0 && c.ws[1]! >= 0 ? c.ws[dir]! : 0;
  const winCalc = win * 2 ** scale;
  if (t) {
    // keep tshark's order: window, calculated window, checksum, urgent pointer, options
    if (optItem) t.children!.splice(t.children!.indexOf(optItem), 1);
    t.add(hf.winCalc, off + 14, 2, winCalc).generated = true;
    const ci = t.add(hf.checksum, off + 16, 2, csum);
    const hx = '0x' + calc.toString(16).padStart(4, '0');
    if (status === 1) ci.suffix = ' [correct]';
    else if (status === 0) {
      ci.suffix = ` incorrect, should be ${hx}(maybe caused by "TCP checksum offload"?)`;
      pinfo.addExpert('error', 'tcp.checksum_bad.expert', `Bad checksum [should be ${hx}]`, ci, 'checksum');
    } else ci.suffix = ' [unverified]';
    statusItem(t, hf.checksumStatus, off + 16, status);
    if (status !== 2) t.add(hf.checksumCalc, off + 16, 2, calc).generated = true;
    t.add(hf.urgent, off + 18, 2, urg);
    if (optItem) t.children!.push(optItem);
  } else {
    // same order as with a tree: reset, syn, fin
    if (!err && flags & 4) pinfo.addExpert('warning', 'tcp.connection.rst', 'Connection reset (RST)', null, 'sequence');
    if (!err && syn) {
      if (ackf) pinfo.addExpert('chat', 'tcp.connection.synack', `Connection establish acknowledge (SYN+ACK): server port ${sport}`, null, 'sequence');
      else pinfo.addExpert('chat', 'tcp.connection.syn', `Connection establish request (SYN): server port ${dport}`, null, 'sequence');
    }
    if (!err && fin) pinfo.addExpert('chat', 'tcp.connection.fin', 'Connection finish (FIN)', null, 'sequence');
  }
  if (!t && status === 0) {
    pinfo.addExpert('error', 'tcp.checksum_bad.expert', `Bad checksum [should be 0x${calc.toString(16).padStart(4, '0')}]`, null, 'checksum');
  }
  pinfo.data.tcp = { srcport: sport, dstport: dport, seq, ack, flags, len: segLen, offset: off, csumOk: status === 1 ? true : status === 0 ? false : null };
  if (!err) {
    let info = `${sport} → ${dport} [${flagNames(flags)}] Seq=${seq}${ackf ? ` Ack=${ack}` : ''} Win=${winCalc}`;
    if (status === 0) info += ' [TCP CHECKSUM INCORRECT]';
    info += ` Len=${segLen}`;
    if (oi.info.length) info += ' ' + oi.info.join(' ');
    pinfo.setInfo(info);
  }
  const po = off + hlen;
  if (tvb.end > po) {
    const n = tvb.end - po;
    t?.add(hf.payload, po, n, tvb.buf.subarray(po, tvb.end), `TCP payload (${n} byte${n === 1 ? '' : 's'})`);
    const lo = Math.min(sport, dport), hi = Math.max(sport, dport);
    dissectFromTable('tcp.port', lo === hi ? [lo] : [lo, hi], tvb, po, pinfo, tree && (pinfo.tree ?? tree), ip ?? undefined);
  }
});

table('tcp.port', 'TCP port');
table('ipv6.nxt', 'IPv6 next header').add(6, h);
table('ip.proto', 'IP protocol').add(6, h);
