// Address text forms (RFC 5952 for IPv6), written for speed: the summary line
// formats two addresses per packet.

// hex of a 16-bit group, made on first use (65,536 strings up front cost ~5 ms of
// every start-up, and the address cache below makes most formatting rare)
const HEX: Array<string | undefined> = new Array(0x10000);
const hex16 = (w: number): string => HEX[w] ?? (HEX[w] = w.toString(16));

// A capture repeats a few addresses millions of times: a small direct-mapped
// cache of their strings (4 words compared, no key string made) saves most of
// the formatting in the summary, -V and JSON.
const CACHE_SIZE = 4096;
const cacheWords = new Int32Array(CACHE_SIZE * 4);
const cacheText: Array<string | undefined> = new Array(CACHE_SIZE);

/** four octets at o as a signed 32-bit word (cache keys) */
export function word(b: Uint8Array, o: number): number {
  return (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
}

export function ipv6ToString(b: Uint8Array, off = 0): string {
  const w0 = word(b, off), w1 = word(b, off + 4), w2 = word(b, off + 8), w3 = word(b, off + 12);
  const slot = (Math.imul(w0 ^ Math.imul(w1, 0x9e3779b1) ^ Math.imul(w2, 0x85ebca6b) ^ Math.imul(w3, 0xc2b2ae35), 0x27d4eb2f) >>> 20) & (CACHE_SIZE - 1);
  const k = slot * 4;
  const hit = cacheText[slot];
  if (hit !== undefined && cacheWords[k] === w0 && cacheWords[k + 1] === w1 && cacheWords[k + 2] === w2 && cacheWords[k + 3] === w3) return hit;
  const s = formatIpv6(b, off);
  cacheWords[k] = w0;
  cacheWords[k + 1] = w1;
  cacheWords[k + 2] = w2;
  cacheWords[k + 3] = w3;
  cacheText[slot] = s;
  return s;
}

function formatIpv6(b: Uint8Array, off: number): string {
  // find longest run of zero groups (length >= 2)
  let bestStart = -1, bestLen = 0, curStart = -1, curLen = 0;
  for (let i = 0; i < 8; i++) {
    const g = (b[off + 2 * i]! << 8) | b[off + 2 * i + 1]!;
    if (g === 0) {
      if (curStart < 0) { curStart = i; curLen = 1; } else curLen++;
      if (curLen > bestLen) { bestLen = curLen; bestStart = curStart; }
    } else curStart = -1;
  }
  if (bestLen < 2) bestStart = -1;
  // IPv4-mapped ::ffff:a.b.c.d, as Wireshark prints it
  if (bestStart === 0 && bestLen === 5 && b[off + 10] === 0xff && b[off + 11] === 0xff) {
    return `::ffff:${b[off + 12]}.${b[off + 13]}.${b[off + 14]}.${b[off + 15]}`;
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    s += hex16((b[off + 2 * i]! << 8) | b[off + 2 * i + 1]!);
    if (i < 7) s += ':';
  }
  return s;
}

export function ipv4ToString(b: Uint8Array, off = 0): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

const HEX2: string[] = [];
for (let i = 0; i < 256; i++) HEX2.push(i.toString(16).padStart(2, '0'));

// the same kind of cache for MAC addresses (a frame shows each one up to three times)
const ETHER_SLOTS = 1024;
const etherHi = new Int32Array(ETHER_SLOTS);
const etherLo = new Int32Array(ETHER_SLOTS);
const etherText: Array<string | undefined> = new Array(ETHER_SLOTS);

export function etherToString(b: Uint8Array, off = 0): string {
  const hi = (b[off]! << 8) | b[off + 1]!;
  const lo = word(b, off + 2);
  const slot = (Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x27d4eb2f) >>> 22) & (ETHER_SLOTS - 1);
  const hit = etherText[slot];
  if (hit !== undefined && etherHi[slot] === hi && etherLo[slot] === lo) return hit;
  const s = `${HEX2[b[off]!]}:${HEX2[b[off + 1]!]}:${HEX2[b[off + 2]!]}:${HEX2[b[off + 3]!]}:${HEX2[b[off + 4]!]}:${HEX2[b[off + 5]!]}`;
  etherHi[slot] = hi;
  etherLo[slot] = lo;
  etherText[slot] = s;
  return s;
}

const HEXC = Buffer.from('0123456789abcdef', 'latin1');
let colonBuf = Buffer.allocUnsafe(3 * 256);

/** colon-separated hex, as tshark shows FT_BYTES */
export function bytesToColonHex(b: Uint8Array): string {
  const n = b.length;
  if (n === 0) return '';
  if (n <= 4) {
    let s = HEX2[b[0]!]!;
    for (let i = 1; i < n; i++) s += ':' + HEX2[b[i]!];
    return s;
  }
  // longer: written as octets into a scratch buffer, one string made (no rope of pieces)
  if (colonBuf.length < 3 * n) colonBuf = Buffer.allocUnsafe(3 * n);
  const o = colonBuf;
  let w = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    o[w++] = HEXC[c >> 4]!;
    o[w++] = HEXC[c & 15]!;
    o[w++] = 0x3a;
  }
  return o.toString('latin1', 0, w - 1);
}

export function bytesToHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** Parse an IPv6 address (with optional embedded IPv4) into 16 octets; null if invalid. */
export function parseIPv6(s: string): Buffer | null {
  let str = s.trim();
  const pct = str.indexOf('%');
  if (pct >= 0) str = str.slice(0, pct);
  const out = Buffer.alloc(16);
  let tail4: number[] | null = null;
  const lastColon = str.lastIndexOf(':');
  if (str.indexOf('.', lastColon) >= 0) {
    const v4 = parseIPv4(str.slice(lastColon + 1));
    if (!v4) return null;
    tail4 = [...v4];
    str = str.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = str.split('::');
  if (dbl.length > 2) return null;
  const parseGroups = (p: string): number[] | null => {
    if (p === '') return [];
    const gs = p.split(':');
    const r: number[] = [];
    for (const g of gs) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      r.push(parseInt(g, 16));
    }
    return r;
  };
  const head = parseGroups(dbl[0]!);
  const tail = dbl.length === 2 ? parseGroups(dbl[1]!) : [];
  if (!head || !tail) return null;
  let groups: number[];
  if (dbl.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return null;
    groups = [...head, ...new Array(fill).fill(0), ...tail];
  } else groups = head;
  if (groups.length !== 8) return null;
  groups.forEach((g, i) => out.writeUInt16BE(g, 2 * i));
  if (tail4) out.set(tail4, 12);
  return out;
}

export function parseIPv4(s: string): Buffer | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return null;
  const b = Buffer.alloc(4);
  for (let i = 0; i < 4; i++) {
    const v = Number(m[i + 1]);
    if (v > 255) return null;
    b[i] = v;
  }
  return b;
}
