// ICMPv6 (RFC 4443) with checksum verification over the pseudo-header (Home Address
// option as source, routing header final destination), echo request/reply matching,
// error messages with the invoking packet dissected inside (as tshark nests it),
// Neighbor Discovery (RFC 4861) and RFC 6275 messages 144-147. ND options go to
// table `icmpv6.nd.opt.type` (see icmpv6_nd.ts for the contract).
// Leaves pinfo.data.icmpv6 = {type, code, offset, length, csumOk} for later modules.
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerDissector, dissectFromTable, table, getHandle, callDissector } from '../core/tables.js';
import { registerFast, type FastState } from '../core/fast.js';
import type { PacketInfo } from '../core/packet.js';
import type { Item } from '../core/tree.js';
import type { Tvb } from '../core/tvb.js';
import type { Engine } from '../core/engine.js';
import { ipv6ToString } from '../core/addr.js';
import { transportChecksum } from './inet_cksum.js';
import { statusItem } from './inet_cksum.js';
import { ipOf, inErrorPacket, dataDissect } from './ipv6.js';
import { type NdCtx, setRedirectedDissector, hfNd, ND_OPT_NAMES } from './icmpv6_nd.js';

const P = defineProtocol('icmpv6', 'Internet Control Message Protocol v6');
const F = fieldMaker('icmpv6');

export const ICMPV6_TYPES: Record<number, string> = {
  1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem',
  100: 'Private experimentation', 101: 'Private experimentation', 127: 'Reserved for expansion of ICMPv6 error messages',
  128: 'Echo (ping) request', 129: 'Echo (ping) reply', 130: 'Multicast Listener Query', 131: 'Multicast Listener Report',
  132: 'Multicast Listener Done', 133: 'Router Solicitation', 134: 'Router Advertisement', 135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement', 137: 'Redirect', 138: 'Router Renumbering', 139: 'Node Information Query',
  140: 'Node Information Reply', 141: 'Inverse Neighbor Discovery Solicitation', 142: 'Inverse Neighbor Discovery Advertisement',
  143: 'Multicast Listener Report Message v2', 144: 'Home Agent Address Discovery Request', 145: 'Home Agent Address Discovery Reply',
  146: 'Mobile Prefix Solicitation', 147: 'Mobile Prefix Advertisement', 148: 'Certification Path Solicitation',
  149: 'Certification Path Advertisement', 150: 'Experimental Mobility', 151: 'Multicast Router Advertisement',
  152: 'Multicast Router Solicitation', 153: 'Multicast Router Termination', 154: 'FMIPv6', 155: 'RPL Control',
  156: 'Locator Update', 157: 'Duplicate Address Request', 158: 'Duplicate Address Confirmation', 159: 'MPL Control Message',
  200: 'Private experimentation', 201: 'Private experimentation', 255: 'Reserved for expansion of ICMPv6 informational messages',
};
const CODES: Record<number, Record<number, string>> = {
  1: { 0: 'no route to destination', 1: 'Administratively prohibited', 2: 'Beyond scope of source address', 3: 'Address unreachable', 4: 'Port unreachable', 5: 'Source address failed ingress/egress policy', 6: 'Reject route to destination', 7: 'Error in Source Routing Header' },
  3: { 0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded' },
  4: { 0: 'erroneous header field encountered', 1: 'unrecognized Next Header type encountered', 2: 'unrecognized IPv6 option encountered', 3: 'IPv6 First Fragment has incomplete IPv6 Header Chain' },
};

export const hf = {
  type: F('icmpv6.type', 'Type', 'uint8', { vals: ICMPV6_TYPES }),
  code: F('icmpv6.code', 'Code', 'uint8'),
  checksum: F('icmpv6.checksum', 'Checksum', 'uint16', { base: 'hex' }),
  checksumStatus: F('icmpv6.checksum.status', 'Checksum Status', 'uint8', { vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } }),
  reserved: F('icmpv6.reserved', 'Reserved', 'bytes'),
  mtu: F('icmpv6.mtu', 'MTU', 'uint32'),
  pointer: F('icmpv6.pointer', 'Pointer', 'uint32'),
  echoId: F('icmpv6.echo.identifier', 'Identifier', 'uint16', { base: 'hex' }),
  echoSeq: F('icmpv6.echo.sequence_number', 'Sequence', 'uint16'),
  respIn: F('icmpv6.resp_in', 'Response In', 'framenum'),
  respTo: F('icmpv6.resp_to', 'Response To', 'framenum'),
  respTime: F('icmpv6.resptime', 'Response Time', 'double'),
  raHop: F('icmpv6.nd.ra.cur_hop_limit', 'Cur hop limit', 'uint8'),
  raFlag: F('icmpv6.nd.ra.flag', 'Flags', 'uint8', { base: 'hex' }),
  raM: F('icmpv6.nd.ra.flag.m', 'Managed address configuration', 'bool', { mask: 0x80, bits: 8, tfs: ['Set', 'Not set'] }),
  raO: F('icmpv6.nd.ra.flag.o', 'Other configuration', 'bool', { mask: 0x40, bits: 8, tfs: ['Set', 'Not set'] }),
  raH: F('icmpv6.nd.ra.flag.h', 'Home Agent', 'bool', { mask: 0x20, bits: 8, tfs: ['Set', 'Not set'] }),
  raPrf: F('icmpv6.nd.ra.flag.prf', 'Prf (Default Router Preference)', 'uint8', { mask: 0x18, bits: 8, vals: { 0: 'Medium', 1: 'High', 2: 'Reserved', 3: 'Low' } }),
  raP: F('icmpv6.nd.ra.flag.p', 'Proxy', 'bool', { mask: 0x04, bits: 8, tfs: ['Set', 'Not set'] }),
  raRsv: F('icmpv6.nd.ra.flag.rsv', 'Reserved', 'uint8', { mask: 0x03, bits: 8 }),
  raLife: F('icmpv6.nd.ra.router_lifetime', 'Router lifetime (s)', 'uint16'),
  raReach: F('icmpv6.nd.ra.reachable_time', 'Reachable time (ms)', 'uint32'),
  raRetrans: F('icmpv6.nd.ra.retrans_timer', 'Retrans timer (ms)', 'uint32'),
  nsTarget: F('icmpv6.nd.ns.target_address', 'Target Address', 'ipv6'),
  naFlag: F('icmpv6.nd.na.flag', 'Flags', 'uint32', { base: 'hex' }),
  naR: F('icmpv6.nd.na.flag.r', 'Router', 'bool', { mask: 0x80000000, bits: 32, tfs: ['Set', 'Not set'] }),
  naS: F('icmpv6.nd.na.flag.s', 'Solicited', 'bool', { mask: 0x40000000, bits: 32, tfs: ['Set', 'Not set'] }),
  naO: F('icmpv6.nd.na.flag.o', 'Override', 'bool', { mask: 0x20000000, bits: 32, tfs: ['Set', 'Not set'] }),
  naRsv: F('icmpv6.nd.na.flag.rsv', 'Reserved', 'uint32', { mask: 0x1fffffff, bits: 32 }),
  naTarget: F('icmpv6.nd.na.target_address', 'Target Address', 'ipv6'),
  rdTarget: F('icmpv6.nd.rd.target_address', 'Target Address', 'ipv6'),
  rdDest: F('icmpv6.rd.na.destination_address', 'Destination Address', 'ipv6'),
  mipId: F('icmpv6.mip6.identifier', 'Identifier', 'uint16', { base: 'dec_hex' }),
  mipHa: F('icmpv6.mip6.home_agent_address', 'Home Agent Address', 'ipv6'),
  mipFlag: F('icmpv6.mip6.flag', 'Flags', 'uint16', { base: 'hex' }),
  mipM: F('icmpv6.mip6.flag.m', 'Managed address configuration', 'bool', { mask: 0x8000, bits: 16, tfs: ['Set', 'Not set'] }),
  mipO: F('icmpv6.mip6.flag.o', 'Other configuration', 'bool', { mask: 0x4000, bits: 16, tfs: ['Set', 'Not set'] }),
  mipRsv: F('icmpv6.mip6.flag.rsv', 'Reserved', 'uint16', { mask: 0x3fff, bits: 16 }),
};

/** What ICMPv6 leaves in pinfo.data.icmpv6 for analyzers and verifiers. */
export interface Icmpv6Info {
  type: number;
  code: number;
  /** offset of the Type octet in `buf` */
  offset: number;
  /** message length (to the end of the IPv6 payload) */
  length: number;
  buf: Buffer;
  /** checksum verdict: true ok, false wrong, null not checkable (truncated) */
  csumOk: boolean | null;
}

// ---- echo request/reply matching (per pass; bounded)
const MAX_ECHO = 65536;
interface EchoReq { frame: number; sec: number; nsec: number }
interface EchoState { pass: number; req: Map<string, EchoReq>; replyOf: Map<number, number> }

/** The engine's echo state for this pass (a new pass starts with no requests). */
function echoStateOf(engine: Engine, pass: number): EchoState {
  let s = engine.state.icmpv6Echo as EchoState | undefined;
  if (!s) s = engine.state.icmpv6Echo = { pass, req: new Map(), replyOf: new Map() };
  if (s.pass !== pass) {
    s.pass = pass;
    s.req.clear();
  }
  return s;
}

function echoState(pinfo: PacketInfo): EchoState | null {
  const engine = pinfo.data.engine as Engine | undefined;
  return engine ? echoStateOf(engine, pinfo.pass) : null;
}

function invoking(tvb: Tvb, off: number, pinfo: PacketInfo, tree: Item | null): void {
  // the packet inside an error or Redirected Header: outer columns stay, no checksums
  const saveIp = pinfo.ip, depth = pinfo.ipStack.length, saveErr = pinfo.data.inErrorPkt;
  pinfo.data.inErrorPkt = true;
  try {
    const h = getHandle('ipv6');
    if (h) callDissector(h, tvb, off, pinfo, tree);
  } finally {
    pinfo.data.inErrorPkt = saveErr;
    pinfo.ip = saveIp;
    pinfo.ipStack.length = depth;
  }
}
setRedirectedDissector(invoking);

function ndOptions(tvb: Tvb, o: number, pinfo: PacketInfo, t: Item | null, type: number, raH: boolean): string {
  const info: string[] = [];
  while (o < tvb.end || o < tvb.rend) {
    const ot = tvb.u8(o);
    const ol = tvb.u8(o + 1);
    if (ol === 0) {
      let it: Item | null = null;
      if (t) {
        it = t.add(hfNd.opt, o, 2, null, `ICMPv6 Option (${ND_OPT_NAMES[ot] ?? `Unknown (${ot})`}`);
        it.add(hfNd.type, o, 1, ot);
        const li = it.add(hfNd.length, o + 1, 1, 0);
        li.suffix = ' (0 bytes)';
        it = li;
      }
      pinfo.malformed = true;
      pinfo.addExpert('error', 'icmpv6.invalid_option_length', 'Invalid option length (Zero)', it, 'malformed');
      break;
    }
    const oe = o + ol * 8;
    const ctx: NdCtx = { icmpType: type, item: t, raH, optType: ot, optLen: ol, info };
    const sub = tvb.limit(oe, oe);
    dissectFromTable('icmpv6.nd.opt.type', [`${type}/${ot}`, ot], sub, o, pinfo, t, ctx, 'icmpv6.nd.opt.unknown');
    o = oe;
  }
  return info.join('');
}

/** The Info column's start: type name, and the code's for types that name codes. */
function typeInfo(type: number, code: number): string {
  const name = ICMPV6_TYPES[type];
  if (type in CODES) return `${name} (${CODES[type]![code] ?? (type === 1 ? 'Unknown' : `Unknown (${code})`)})`;
  return name ?? `Unknown (${type})`;
}

const flagsText = (pairs: Array<[boolean, string]>) => pairs.filter(([on]) => on).map(([, n]) => n);

const h = registerDissector('icmpv6', 'ICMPv6', (tvb, off, pinfo, tree, data) => {
  const ip = ipOf(pinfo, data);
  const err = inErrorPacket(pinfo);
  pinfo.layers.push('icmpv6');
  if (!err) pinfo.setProto('ICMPv6');
  const type = tvb.u8(off);
  const typeName = ICMPV6_TYPES[type] ?? 'Unknown';
  const codeOk = tvb.has(off + 1, 1);
  const code = codeOk ? tvb.u8(off + 1) : 0;
  const codeName = CODES[type]?.[code];
  if (!err) pinfo.setInfo(typeInfo(type, code));
  let t: Item | null = null;
  if (tree) {
    t = tree.add(P, off, tvb.end - off, null);
    t.add(hf.type, off, 1, type);
    if (codeOk) t.add(hf.code, off + 1, 1, code, codeName ? `Code: ${code} (${codeName})` : null);
  }
  tvb.check(off, 4, 'ICMPv6 header');
  const csum = tvb.u16(off + 2);
  const len = tvb.rend - off;
  let csumOk: boolean | null = null;
  let calc = 0;
  if (!err && ip && ip.version === 6 && tvb.end >= tvb.rend) {
    calc = transportChecksum(ip, 58, tvb.buf, off, len, off + 2);
    csumOk = calc === csum;
  }
  if (!err) pinfo.data.icmpv6 = { type, code, offset: off, length: len, buf: tvb.buf, csumOk } satisfies Icmpv6Info;
  const hx = (v: number) => '0x' + v.toString(16).padStart(4, '0');
  if (t) {
    const ci = t.add(hf.checksum, off + 2, 2, csum);
    if (csumOk === true) ci.suffix = ' [correct]';
    else if (csumOk === false) ci.suffix = ` [incorrect, should be ${hx(calc)}]`;
    else ci.suffix = err ? ' [unverified] [in ICMP error packet]' : ' [unverified]';
    if (csumOk === false) pinfo.addExpert('error', 'icmpv6.checksum_bad', `Bad checksum [should be ${hx(calc)}]`, ci, 'checksum');
    statusItem(t, hf.checksumStatus, off + 2, csumOk === null ? 2 : csumOk ? 1 : 0);
  } else if (csumOk === false) {
    pinfo.addExpert('error', 'icmpv6.checksum_bad', `Bad checksum [should be ${hx(calc)}]`, null, 'checksum');
  }
  const o = off + 4;
  switch (type) {
    case 1: case 2: case 3: case 4: {
      const v = tvb.u32(o);
      if (t) {
        if (type === 2) t.add(hf.mtu, o, 4, v);
        else if (type === 4) t.add(hf.pointer, o, 4, v);
        else t.add(hf.reserved, o, 4, tvb.bytes(o, 4));
      }
      if (tvb.end > o + 4) invoking(tvb, o + 4, pinfo, t);
      break;
    }
    case 128: case 129: {
      const id = tvb.u16(o), seq = tvb.u16(o + 2);
      if (t) {
        t.add(hf.echoId, o, 2, id);
        t.add(hf.echoSeq, o + 2, 2, seq);
      }
      if (!err) echo(pinfo, t, type, id, seq, ip?.hlim ?? 0);
      dataDissect(tvb, o + 4, pinfo, t);
      break;
    }
    case 133: {
      if (t) t.add(hf.reserved, o, 4, tvb.bytes(o, 4));
      tvb.check(o, 4, 'Reserved');
      const info = ndOptions(tvb, o + 4, pinfo, t, type, false);
      if (!err) pinfo.appendInfo(info);
      break;
    }
    case 134: {
      tvb.check(o, 12, 'Router Advertisement');
      const fl = tvb.u8(o + 1);
      if (t) {
        t.add(hf.raHop, o, 1, tvb.u8(o));
        const prf = ['Medium', 'High', 'Reserved', 'Low'][(fl >> 3) & 3];
        const names = flagsText([[!!(fl & 0x80), 'Managed address configuration'], [!!(fl & 0x40), 'Other configuration'], [!!(fl & 0x20), 'Home Agent']]);
        names.push(`Prf (Default Router Preference): ${prf}`);
        if (fl & 0x04) names.push('Proxy');
        const fi = t.add(hf.raFlag, o + 1, 1, fl, `Flags: 0x${fl.toString(16).padStart(2, '0')}, ${names.join(', ')}`);
        for (const f of [hf.raM, hf.raO, hf.raH]) fi.add(f, o + 1, 1, (fl & f.mask!) !== 0);
        fi.add(hf.raPrf, o + 1, 1, (fl >> 3) & 3);
        fi.add(hf.raP, o + 1, 1, (fl & 4) !== 0);
        fi.add(hf.raRsv, o + 1, 1, fl & 3);
        t.add(hf.raLife, o + 2, 2, tvb.u16(o + 2));
        t.add(hf.raReach, o + 4, 4, tvb.u32(o + 4));
        t.add(hf.raRetrans, o + 8, 4, tvb.u32(o + 8));
      }
      const info = ndOptions(tvb, o + 12, pinfo, t, type, (fl & 0x20) !== 0);
      if (!err) pinfo.appendInfo(info);
      break;
    }
    case 135: case 136: {
      tvb.check(o, 20, typeName);
      const target = tvb.bytes(o + 4, 16);
      const fw = tvb.u32(o);
      let flagInfo = '';
      if (t) {
        if (type === 135) t.add(hf.reserved, o, 4, tvb.bytes(o, 4));
        else {
          const names = flagsText([[!!(fw & 0x80000000), 'Router'], [!!(fw & 0x40000000), 'Solicited'], [!!(fw & 0x20000000), 'Override']]);
          const fi = t.add(hf.naFlag, o, 4, fw, `Flags: 0x${fw.toString(16).padStart(8, '0')}${names.length ? ', ' + names.join(', ') : ''}`);
          for (const f of [hf.naR, hf.naS, hf.naO]) fi.add(f, o, 4, (fw & f.mask!) !== 0);
          fi.add(hf.naRsv, o, 4, fw & 0x1fffffff);
        }
        t.add(type === 135 ? hf.nsTarget : hf.naTarget, o + 4, 16, target);
      }
      if (type === 136) {
        const fl = flagsText([[!!(fw & 0x80000000), 'rtr'], [!!(fw & 0x40000000), 'sol'], [!!(fw & 0x20000000), 'ovr']]);
        if (fl.length) flagInfo = ` (${fl.join(', ')})`;
      }
      const info = ndOptions(tvb, o + 20, pinfo, t, type, false);
      if (!err) pinfo.appendInfo((type === 135 ? ' for ' : ' ') + ipv6ToString(target) + flagInfo + info);
      break;
    }
    case 137: {
      tvb.check(o, 36, 'Redirect');
      if (t) {
        t.add(hf.reserved, o, 4, tvb.bytes(o, 4));
        t.add(hf.rdTarget, o + 4, 16, tvb.bytes(o + 4, 16));
        t.add(hf.rdDest, o + 20, 16, tvb.bytes(o + 20, 16));
      }
      const info = ndOptions(tvb, o + 36, pinfo, t, type, false);
      if (!err) pinfo.appendInfo(info);
      break;
    }
    case 144: case 146: {
      tvb.check(o, 4, typeName);
      if (t) {
        t.add(hf.mipId, o, 2, tvb.u16(o));
        t.add(hf.reserved, o + 2, 2, tvb.bytes(o + 2, 2));
      }
      break;
    }
    case 145: {
      tvb.check(o, 4, typeName);
      if (t) {
        t.add(hf.mipId, o, 2, tvb.u16(o));
        t.add(hf.reserved, o + 2, 2, tvb.bytes(o + 2, 2));
      }
      for (let a = o + 4; a < tvb.end; a += 16) {
        const addr = tvb.bytes(a, 16, 'Home Agent Address');
        t?.add(hf.mipHa, a, 16, addr);
      }
      break;
    }
    case 147: {
      tvb.check(o, 4, typeName);
      const fw = tvb.u16(o + 2);
      if (t) {
        t.add(hf.mipId, o, 2, tvb.u16(o));
        const names = flagsText([[!!(fw & 0x8000), 'Managed address configuration'], [!!(fw & 0x4000), 'Other configuration']]);
        const fi = t.add(hf.mipFlag, o + 2, 2, fw, `Flags: 0x${fw.toString(16).padStart(4, '0')}${names.length ? ', ' + names.join(', ') : ''}`);
        fi.add(hf.mipM, o + 2, 2, (fw & 0x8000) !== 0);
        fi.add(hf.mipO, o + 2, 2, (fw & 0x4000) !== 0);
        fi.add(hf.mipRsv, o + 2, 2, fw & 0x3fff);
      }
      ndOptions(tvb, o + 4, pinfo, t, type, false);
      break;
    }
    default:
      dataDissect(tvb, o, pinfo, t);
  }
});

function echoText(type: number, id: number, seq: number, hlim: number): string {
  return `${ICMPV6_TYPES[type]} id=0x${id.toString(16).padStart(4, '0')}, seq=${seq}, hop limit=${hlim}`;
}

/**
 * Request/reply matching, the dissector's and its fast variant's: records a
 * request, or finds the earlier request a reply answers (and notes the reply).
 * Addresses: 16 octets at sOff of s16 and dOff of d16.
 */
function echoMatch(s: EchoState, type: number, id: number, seq: number, s16: Buffer, sOff: number, d16: Buffer, dOff: number, num: number, sec: number, nsec: number): EchoReq | null {
  // direction-agnostic, as Wireshark's conversation-based matching
  const x = s16.toString('hex', sOff, sOff + 16), y = d16.toString('hex', dOff, dOff + 16);
  const key = x < y ? `${id}|${seq}|${x}|${y}` : `${id}|${seq}|${y}|${x}`;
  if (type === 128) {
    if (s.req.size >= MAX_ECHO) s.req.delete(s.req.keys().next().value!);
    s.req.set(key, { frame: num, sec, nsec });
    return null;
  }
  const q = s.req.get(key);
  if (!q || q.frame >= num) return null;
  s.replyOf.set(q.frame, num);
  if (s.replyOf.size > MAX_ECHO) s.replyOf.delete(s.replyOf.keys().next().value!);
  return q;
}

function echo(pinfo: PacketInfo, t: Item | null, type: number, id: number, seq: number, hlim: number): void {
  let info = echoText(type, id, seq, hlim);
  const s = echoState(pinfo);
  const ip = pinfo.ip;
  if (s && ip) {
    const q = echoMatch(s, type, id, seq, ip.src, 0, ip.dst, 0, pinfo.num, pinfo.raw.tsSec, pinfo.raw.tsNsec);
    if (type === 128) {
      if (pinfo.pass > 1) {
        const r = s.replyOf.get(pinfo.num);
        if (r !== undefined) {
          info += ` (reply in ${r})`;
          if (t) t.add(hf.respIn, 0, 0, r).generated = true;
        } else info += ' (no response found!)';
      }
    } else if (q) {
      info += ` (request in ${q.frame})`;
      if (t) {
        const ms = (pinfo.raw.tsSec - q.sec) * 1000 + (pinfo.raw.tsNsec - q.nsec) / 1e6;
        t.add(hf.respTo, 0, 0, q.frame).generated = true;
        t.add(hf.respTime, 0, 0, Math.round(ms * 1000) / 1000, `Response Time: ${ms.toFixed(3)} ms`).generated = true;
      }
    }
  }
  pinfo.setInfo(info);
}

/**
 * The fast variant's echo: the same matching on the same engine state, so a
 * packet taken here leaves the state as the dissector would. The first pass of
 * one only (a later pass reports replies found ahead: the full path's).
 */
function fastEcho(st: FastState, type: number, o: number, len: number): boolean {
  const engine = st.engine;
  if (engine === null || engine.pass !== 1 || len < 8 || st.ip < 0) return false;
  const buf = st.buf;
  const id = (buf[o]! << 8) | buf[o + 1]!;
  const seq = (buf[o + 2]! << 8) | buf[o + 3]!;
  st.info = echoText(type, id, seq, buf[st.ip + 7]!);
  const q = echoMatch(echoStateOf(engine, 1), type, id, seq, buf, st.ip + 8, buf, st.ip + 24, st.num, st.raw.tsSec, st.raw.tsNsec);
  if (q) st.info += ` (request in ${q.frame})`;
  return true;
}

export const icmpv6Handle = h;
table('ipv6.nxt', 'IPv6 next header').add(58, h);
table('ip.proto', 'IP protocol').add(58, h);

// ---- summary fast path (core/fast.ts): Info only; the checksum verdict shows
// in the tree alone. Echo matching updates the engine's state as the dissector does.

const T_IPV6_NXT = table('ipv6.nxt');
const T_UDP_PORT = table('udp.port');
const T_ND_OPT = table('icmpv6.nd.opt.type');
const ND_KEYS: string[][] = [];

/**
 * The invoking packet in [off, end) leaves the columns alone when dissected as
 * invoking() does: a whole IPv6 header, then UDP whose payload no port dissector
 * takes, an echo or no next header. Anything else may set them (the MH always
 * does, a short layer marks Info): the full path decides.
 */
function quietInvoking(buf: Buffer, off: number, end: number): boolean {
  if (end - off < 40 || buf[off]! >> 4 !== 6) return false;
  const plen = (buf[off + 4]! << 8) | buf[off + 5]!;
  const pend = plen === 0 ? end : Math.min(off + 40 + plen, end);
  const o = off + 40;
  const h = T_IPV6_NXT.get(buf[off + 6]!);
  switch (h?.name) {
    case 'ipv6.nonxt':
      return true;
    case 'icmpv6':
      return pend - o >= 8 && (buf[o] === 128 || buf[o] === 129);
    case 'udp': {
      if (pend - o < 8) return false;
      const ulen = (buf[o + 4]! << 8) | buf[o + 5]!;
      if (Math.min(o + ulen, pend) <= o + 8) return true;
      return T_UDP_PORT.get((buf[o]! << 8) | buf[o + 1]!) === undefined && T_UDP_PORT.get((buf[o + 2]! << 8) | buf[o + 3]!) === undefined;
    }
    default:
      return false;
  }
}

/** The ND options in [o, end) as ndOptions() walks them; each fast variant adds its Info text. */
function fastNdOptions(st: FastState, o: number, end: number, type: number): boolean {
  const buf = st.buf;
  const keys = (ND_KEYS[type] ??= []);
  while (o < end) {
    if (o + 2 > end || buf[o + 1] === 0) return false;
    const oe = o + buf[o + 1]! * 8;
    if (oe > end) return false;
    const ot = buf[o]!;
    // the context key first, then the plain type, then the catch-all (none declines here)
    const h = T_ND_OPT.get((keys[ot] ??= `${type}/${ot}`)) ?? T_ND_OPT.get(ot) ?? getHandle('icmpv6.nd.opt.unknown');
    if (h?.fast === undefined || !h.fast(o, oe, st)) return false;
    o = oe;
  }
  return true;
}

// the Redirected Header's packet, as the error messages' (set for icmpv6_nd.ts)
registerFast('icmpv6.nd.opt.redirected', (off, end, st) => end - off >= 8 && (end === off + 8 || quietInvoking(st.buf, off + 8, end)));

registerFast('icmpv6', (off, end, st) => {
  const buf = st.buf;
  const len = end - off;
  if (len < 4) return false;
  const type = buf[off]!;
  const o = off + 4;
  st.proto = 'ICMPv6';
  st.info = typeInfo(type, buf[off + 1]!);
  switch (type) {
    case 1: case 2: case 3: case 4:
      return len >= 8 && (len === 8 || quietInvoking(buf, o + 4, end));
    case 128: case 129:
      return fastEcho(st, type, o, len);
    case 133:
      return len >= 8 && fastNdOptions(st, o + 4, end, type);
    case 134:
      return len >= 16 && fastNdOptions(st, o + 12, end, type);
    case 135: case 136: {
      if (len < 24) return false;
      st.info += (type === 135 ? ' for ' : ' ') + ipv6ToString(buf, o + 4);
      if (type === 136) {
        const f = buf[o]!;
        const fl = flagsText([[!!(f & 0x80), 'rtr'], [!!(f & 0x40), 'sol'], [!!(f & 0x20), 'ovr']]);
        if (fl.length) st.info += ` (${fl.join(', ')})`;
      }
      // the options' text comes after the target's, as in the full dissector
      return fastNdOptions(st, o + 20, end, type);
    }
    case 137:
      return len >= 40 && fastNdOptions(st, o + 36, end, type);
    case 144: case 146:
      return len >= 8;
    case 145:
      return len >= 8 && (len - 8) % 16 === 0;
    case 147: {
      // its options add nothing to Info
      const info = st.info;
      if (len < 8 || !fastNdOptions(st, o + 4, end, type)) return false;
      st.info = info;
      return true;
    }
    default:
      return true;
  }
});
