// Fragment header (44, RFC 8200 4.5) and reassembly within a capture, as tshark:
// fragments are collected per (src, dst, identification); the frame that completes
// a datagram dissects it from a new data source ("Reassembled IPv6"); earlier
// fragments show their payload as data, and on the second pass of a two-pass run
// name the frame they were reassembled in. State lives in engine.state and is
// bounded (entry count, octets held, capture-time timeout) against hostile input.
import { defineProtocol, fieldMaker } from '../core/fields.js';
import { registerDissector, table } from '../core/tables.js';
import type { Item } from '../core/tree.js';
import type { PacketInfo, IpLayer } from '../core/packet.js';
import { Tvb } from '../core/tvb.js';
import type { Engine } from '../core/engine.js';
import { IP_PROTO_NAMES } from './ipproto.js';
import { ipOf, extParent, nextHeader, inErrorPacket, dataDissect } from './ipv6.js';

const P = defineProtocol('ipv6.fraghdr', 'Fragment Header for IPv6');
const F = fieldMaker('ipv6.fraghdr');
const G = fieldMaker('ipv6');
export const hf = {
  nxt: F('ipv6.fraghdr.nxt', 'Next header', 'uint8', { vals: IP_PROTO_NAMES }),
  reservedOctet: F('ipv6.fraghdr.reserved_octet', 'Reserved octet', 'uint8', { base: 'hex' }),
  offset: F('ipv6.fraghdr.offset', 'Offset', 'uint16', { mask: 0xfff8, bits: 16 }),
  reservedBits: F('ipv6.fraghdr.reserved_bits', 'Reserved bits', 'uint16', { mask: 0x0006, bits: 16 }),
  more: F('ipv6.fraghdr.more', 'More Fragments', 'bool', { mask: 0x0001, bits: 16, tfs: ['Yes', 'No'] }),
  ident: F('ipv6.fraghdr.ident', 'Identification', 'uint32', { base: 'hex' }),
  fragments: G('ipv6.fragments', 'IPv6 Fragments', 'none'),
  fragment: G('ipv6.fragment', 'IPv6 Fragment', 'framenum'),
  overlap: G('ipv6.fragment.overlap', 'Fragment overlap', 'bool', { tfs: ['True', 'False'] }),
  conflict: G('ipv6.fragment.overlap.conflict', 'Conflicting data in fragment overlap', 'bool', { tfs: ['True', 'False'] }),
  count: G('ipv6.fragment.count', 'Fragment count', 'uint32'),
  reassembledIn: G('ipv6.reassembled.in', 'Reassembled IPv6 in frame', 'framenum'),
  reassembledLen: G('ipv6.reassembled.length', 'Reassembled IPv6 length', 'uint32'),
  reassembledData: G('ipv6.reassembled.data', 'Reassembled IPv6 data', 'bytes'),
};

/** Limits: open datagrams, octets held, capture seconds a datagram may stay open. */
export const FRAG_LIMITS = { maxEntries: 1024, maxBytes: 16 << 20, timeoutSec: 60, maxDatagram: 65535 + 8, maxParts: 256 };

interface Part {
  off: number; len: number; data: Buffer; frame: number; overlap: boolean; conflict: boolean;
  /** differs from some overlapping part, earlier or later (conflict looks only at earlier ones) */
  clash: boolean;
}
interface Entry {
  parts: Part[]; total: number | null; first: number; bytes: number;
  /** the latest part by offset * 65536 + length: a repeated fragment is found at once */
  byRange: Map<number, Part>;
}
interface Done { frame: number; parts: Part[]; buf: Buffer }
const NO_DATA = Buffer.alloc(0);
interface FragState {
  pass: number;
  open: Map<string, Entry>;
  held: number;
  /** frame number -> finished datagram, for the completing frame */
  done: Map<number, Done>;
  /** fragment frame -> frame it was reassembled in (from the first pass) */
  inFrame: Map<number, number>;
  /** remember finished datagrams for a second pass (two-pass runs only: memory) */
  keep: boolean;
}

/** A fresh reassembly state (tests). */
export function newFragState(keep = false): FragState {
  return { pass: 1, open: new Map(), held: 0, done: new Map(), inFrame: new Map(), keep };
}

function state(pinfo: PacketInfo): FragState | null {
  const engine = pinfo.data.engine as Engine | undefined;
  if (!engine) return null;
  let s = engine.state['ipv6.frag'] as FragState | undefined;
  if (!s) s = engine.state['ipv6.frag'] = { pass: pinfo.pass, open: new Map(), held: 0, done: new Map(), inFrame: new Map(), keep: (engine.opts.passes ?? 1) > 1 };
  if (s.pass !== pinfo.pass) {
    // a new pass starts with no open datagrams; finished ones are remembered
    s.pass = pinfo.pass;
    s.open.clear();
    s.held = 0;
  }
  return s;
}

function evict(s: FragState, key: string): void {
  const e = s.open.get(key);
  if (!e) return;
  s.held -= e.bytes;
  s.open.delete(key);
}

function sweep(s: FragState, now: number): void {
  for (const [k, e] of s.open) {
    if (now - e.first > FRAG_LIMITS.timeoutSec || s.open.size > FRAG_LIMITS.maxEntries || s.held > FRAG_LIMITS.maxBytes) evict(s, k);
    else break; // insertion order: the rest are newer
  }
}

/** Add a fragment; returns the finished datagram when this one completes it. */
export function addFragment(s: FragState, key: string, pinfo: Pick<PacketInfo, 'num' | 'raw'>, off: number, more: boolean, data: Buffer): Done | null {
  const now = pinfo.raw.tsSec;
  let e = s.open.get(key);
  // timed out, or more parts than a real datagram has (1280-octet MTU: ~54; a
  // fragment repeated forever would make every later one compare against all)
  if (e && (now - e.first > FRAG_LIMITS.timeoutSec || e.parts.length >= FRAG_LIMITS.maxParts)) {
    evict(s, key);
    e = undefined;
  }
  if (!e) {
    e = { parts: [], total: null, first: now, bytes: 0, byRange: new Map() };
    s.open.set(key, e);
  }
  if (off + data.length > FRAG_LIMITS.maxDatagram) return null;
  const p: Part = { off, len: data.length, data: Buffer.from(data), frame: pinfo.num, overlap: false, conflict: false, clash: false };
  // a repeat of a part (same range, same octets) overlaps it and differs from
  // exactly the parts it differs from: no walk over every part (a fragment sent
  // again and again cost up to maxParts comparisons each time)
  const range = off * 0x10000 + data.length;
  const twin = e.byRange.get(range);
  const repeat = twin !== undefined && twin.data.equals(p.data);
  if (repeat) {
    p.overlap = true;
    p.conflict = p.clash = twin.clash;
  } else {
    for (const q of e.parts) {
      const lo = Math.max(q.off, off), hi = Math.min(q.off + q.data.length, off + data.length);
      if (lo < hi) {
        p.overlap = true;
        // compared in place, no views
        if (q.data.compare(p.data, lo - off, hi - off, lo - q.off, hi - q.off) !== 0) p.conflict = p.clash = q.clash = true;
      }
    }
  }
  e.byRange.set(range, p);
  e.parts.push(p);
  e.bytes += data.length;
  s.held += data.length;
  const total = e.total;
  if (!more) e.total = off + data.length;
  sweep(s, now);
  if (e.total === null) return null;
  // an open datagram is incomplete; a repeat covers nothing new
  if (repeat && e.total === total) return null;
  // complete when [0, total) is covered
  const sorted = [...e.parts].sort((a, b) => a.off - b.off || a.frame - b.frame);
  let covered = 0;
  for (const q of sorted) {
    if (covered >= e.total) break; // parts past the end leave no gap
    if (q.off > covered) return null;
    covered = Math.max(covered, q.off + q.data.length);
  }
  if (covered < e.total) return null;
  const buf = Buffer.alloc(e.total);
  // a part past the last fragment's end (hostile or broken) adds nothing: copying it threw
  for (const q of sorted) if (q.off < e.total) q.data.copy(buf, q.off, 0, Math.min(q.data.length, e.total - q.off));
  evict(s, key);
  const d: Done = { frame: pinfo.num, parts: sorted, buf };
  if (s.keep) {
    // a later pass shows the parts' frames and ranges, not their bytes: a kept copy
    // of each would also pin the 8 KiB pool slab it was cut from
    s.done.set(pinfo.num, { ...d, parts: sorted.map((q) => ({ ...q, data: NO_DATA })) });
    for (const q of sorted) if (q.frame !== pinfo.num) s.inFrame.set(q.frame, pinfo.num);
  }
  return d;
}

function fragmentsTree(parent: Item, d: Done): void {
  const list = d.parts.map((q) => `#${q.frame}(${q.len})`).join(', ');
  const ft = parent.add(hf.fragments, 0, 0, null, `${d.parts.length} IPv6 Fragments (${d.buf.length} bytes): ${list}`);
  ft.generated = true;
  for (const q of d.parts) {
    const it = ft.add(hf.fragment, 0, 0, q.frame, `Frame: ${q.frame}, payload: ${q.off}-${q.off + q.len - 1} (${q.len} bytes)`);
    it.generated = true;
    if (q.overlap) it.add(hf.overlap, 0, 0, true).generated = true;
    if (q.conflict) it.add(hf.conflict, 0, 0, true).generated = true;
  }
  ft.add(hf.count, 0, 0, d.parts.length).generated = true;
  ft.add(hf.reassembledLen, 0, 0, d.buf.length).generated = true;
  ft.add(hf.reassembledData, 0, 0, d.buf).generated = true;
}

/** Items made while dissecting a new data source point into it (for -x). */
function setDs(items: Item[] | null | undefined, from: number, ds: number): void {
  if (!items) return;
  for (let i = from; i < items.length; i++) for (const it of items[i]!.walk()) it.ds = ds;
}

const h = registerDissector('ipv6.fraghdr', 'Fragment Header for IPv6', (tvb, off, pinfo, tree, data) => {
  const ip = ipOf(pinfo, data);
  tvb.check(off, 8, 'Fragment header');
  const nxt = tvb.u8(off);
  const res = tvb.u8(off + 1);
  const w = tvb.u16(off + 2);
  const ident = tvb.u32(off + 4);
  const foff = w & 0xfff8;
  const more = (w & 1) === 1;
  pinfo.layers.push('ipv6.fraghdr');
  const parent = extParent(ip, tree);
  if (parent) {
    const t = parent.add(P, off, 8, null);
    t.add(hf.nxt, off, 1, nxt);
    t.add(hf.reservedOctet, off + 1, 1, res);
    const oi = t.add(hf.offset, off + 2, 2, foff >> 3);
    oi.suffix = ` (${foff} bytes)`;
    t.add(hf.reservedBits, off + 2, 2, (w >> 1) & 3);
    t.add(hf.more, off + 2, 2, more);
    t.add(hf.ident, off + 4, 4, ident);
  }
  const po = off + 8;
  // atomic fragment (RFC 6946): nothing to reassemble
  if (foff === 0 && !more) {
    nextHeader(nxt, tvb, po, pinfo, tree, ip);
    return;
  }
  const s = inErrorPacket(pinfo) ? null : state(pinfo);
  const payloadEnd = Math.min(tvb.end, tvb.rend);
  let done: Done | null = null;
  if (s && ip && tvb.end >= tvb.rend) {
    if (pinfo.pass > 1 && s.done.has(pinfo.num)) done = s.done.get(pinfo.num)!;
    else if (pinfo.pass === 1 || !s.inFrame.has(pinfo.num)) {
      const key = `${ip.src.toString('hex')}|${ip.dst.toString('hex')}|${ident}`;
      done = addFragment(s, key, pinfo, foff, more, tvb.buf.subarray(po, payloadEnd));
    }
  }
  if (done) {
    if (parent) fragmentsTree(parent, done);
    const ds = pinfo.sources.push({ name: 'Reassembled IPv6', buf: done.buf });
    const rt = new Tvb(done.buf, done.buf.length, done.buf.length, ds);
    const rootFrom = tree?.children?.length ?? 0;
    const ipFrom = ip?.item?.children?.length ?? 0;
    nextHeader(nxt, rt, 0, pinfo, tree, ip);
    setDs(tree?.children, rootFrom, ds);
    setDs(ip?.item?.children, ipFrom, ds);
    return;
  }
  if (ip) ip.chain.push(nxt);
  const inF = s?.inFrame.get(pinfo.num);
  if (parent && inF !== undefined && pinfo.pass > 1) parent.add(hf.reassembledIn, 0, 0, inF).generated = true;
  if (!inErrorPacket(pinfo)) {
    pinfo.setProto('IPv6');
    pinfo.setInfo(`IPv6 fragment (off=${foff} more=${more ? 'y' : 'n'} ident=0x${ident.toString(16).padStart(8, '0')} nxt=${nxt})`);
  }
  dataDissect(tvb, po, pinfo, tree);
});

table('ipv6.nxt', 'IPv6 next header').add(44, h);
