// The summary fast path (gopacket's DecodingLayerParser in spirit): for the
// one-line summary with nothing else asked for, a dissector may also register a
// "fast" variant that reads only what the Protocol, Source, Destination and Info
// columns need, into one reused state object, with no tree, no PacketInfo and
// no per-field views. A fast variant handles only the ordinary case and answers
// false for anything else (a malformed or unusual layer, an option it does not
// know): the packet is then dissected the normal way from the start. So the fast
// path never decides anything the full dissectors would decide differently;
// test/fastpath.test.ts checks line for line that both agree on every fixture.
// A variant of a stateful dissector (echo matching) updates the engine's state
// exactly as its dissector would, and only once it has decided to answer true.
//
// Fast variants are looked up through the dissector tables by handle name, so
// decode-as (-d) and table changes apply to them as to the full dissectors.
import { table, getHandle, type DissectorTable, type Handle } from './tables.js';
import type { RawPacket } from './packet.js';
import type { Engine } from './engine.js';

export interface FastState {
  raw: RawPacket;
  buf: Buffer;
  proto: string;
  info: string;
  /** column addresses: offsets of 16 IPv6 octets in buf (-1 = none) */
  src: number;
  dst: number;
  /** IPv6 tunnel depth seen so far */
  depth: number;
  /** the current IPv6 layer has had its Home Address option (only the first counts) */
  hoaSet: boolean;
  /** offset of the innermost IPv6 header so far (-1 = none) */
  ip: number;
  /** the frame's number, and the engine whose state a stateful variant updates as its dissector would (null: none may) */
  num: number;
  engine: Engine | null;
}

/** A fast state for frames dissected by `engine` (null: stateful variants decline). */
export function fastState(engine: Engine | null): FastState {
  return { raw: null as unknown as RawPacket, buf: Buffer.alloc(0), proto: '', info: '', src: -1, dst: -1, depth: 0, hoaSet: false, ip: -1, num: 0, engine };
}

/** A fast variant: decode [off, end) of st.buf; false = not the ordinary case. */
export type FastFn = (off: number, end: number, st: FastState) => boolean;

/**
 * Give the dissector registered as `handleName` a fast summary variant (register
 * the dissector first); `declines`, for a dissector that may return false, says
 * when it would (the fast path then tries the table's next key, as dissection does).
 */
export function registerFast(handleName: string, fn: FastFn, declines?: FastFn): void {
  const h = getHandle(handleName);
  if (!h) throw new Error(`registerFast: no dissector "${handleName}"`);
  h.fast = fn;
  h.fastDeclines = declines;
}

/**
 * Dispatch through the first of `keys` whose dissector would take the octets, as
 * dissectFromTable does with several keys, else to `fallback`; false when the
 * one chosen has no fast variant or finds the octets not ordinary.
 */
export function fastFromKeys(t: DissectorTable, keys: ReadonlyArray<number | string>, off: number, end: number, st: FastState, fallback?: Handle): boolean {
  for (let i = 0; i < keys.length; i++) {
    const h = t.get(keys[i]!);
    if (h === undefined) continue;
    if (h.fastDeclines !== undefined && h.fastDeclines(off, end, st)) continue;
    return h.fast !== undefined && h.fast(off, end, st);
  }
  return fallback !== undefined && fallback.fast !== undefined && fallback.fast(off, end, st);
}

/** Dispatch through a table as dissectFromTable does, to the fast variant (false = none). */
export function fastFromTable(t: DissectorTable, key: number | string, off: number, end: number, st: FastState): boolean {
  const h = t.get(key);
  return h !== undefined && h.fast !== undefined && h.fast(off, end, st);
}

const WTAP = table('wtap_encap', 'Link type');

/** The whole frame: false = dissect it normally. */
export function fastFrame(st: FastState): boolean {
  const raw = st.raw;
  // a cut frame (snap length) or an FCS changes what the layers see: not ordinary
  if (raw.caplen !== raw.origlen || raw.fcsLen === 4 || raw.data.length !== raw.caplen) return false;
  if (!getHandle('frame')) return false; // without it nothing is dissected at all
  st.proto = '';
  st.info = '';
  st.src = -1;
  st.dst = -1;
  st.depth = 0;
  st.hoaSet = false;
  st.ip = -1;
  st.buf = raw.data;
  return fastFromTable(WTAP, raw.linktype, 0, raw.data.length, st);
}
