// Memos of strings the printers and dissectors made for recent values, so that a
// repeated value costs a comparison instead of formatting, escaping and a rope.
// Memo: two entries for any value (consecutive packets repeat time deltas and names,
// and a field often alternates between two values: eth.addr is destination, then
// source). PairMemo: labels of two strings. StringMemo: a bounded map by string.

/** a value that never matches (kept for views too long to copy cheaply) */
const NEVER = Symbol('never');

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array) {
    if (!(b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  // [sec, nsec] times
  if (Array.isArray(a)) return Array.isArray(b) && b.length === 2 && a[0] === b[0] && a[1] === b[1];
  return false;
}

/** what the memo keeps of a value: packet views are copied (their buffer is reused) */
function keep(v: unknown): unknown {
  if (v instanceof Uint8Array) return v.length <= 64 ? new Uint8Array(v) : NEVER;
  if (Array.isArray(v)) return v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number' ? [v[0], v[1]] : NEVER;
  if (v !== null && typeof v === 'object') return NEVER;
  return v;
}

export class Memo {
  private k0: unknown = NEVER;
  private k1: unknown = NEVER;
  private t0 = -1;
  private t1 = -1;
  private s0 = '';
  private s1 = '';

  private hits = 0;
  private misses = 0;
  /** false once a field's values rarely repeat (frame numbers, times): no more comparing */
  on = true;

  /** the string made for value v under tag (e.g. depth), or null */
  get(v: unknown, tag: number): string | null {
    if (this.t0 === tag && same(this.k0, v)) {
      this.hits++;
      return this.s0;
    }
    if (this.t1 === tag && same(this.k1, v)) {
      this.hits++;
      return this.s1;
    }
    return null;
  }

  set(v: unknown, tag: number, s: string): void {
    if (++this.misses === 256) {
      if (this.hits < 64) this.on = false;
      this.hits = this.misses = 0;
    }
    this.k1 = this.k0;
    this.t1 = this.t0;
    this.s1 = this.s0;
    this.k0 = keep(v);
    this.t0 = tag;
    this.s0 = s;
  }
}

/**
 * Labels made from two strings ("Src: a, Dst: b"), remembered for the latest two
 * pairs: a conversation's two directions alternate.
 */
export class PairMemo {
  private a0: string | null = null;
  private b0: string | null = null;
  private s0 = '';
  private a1: string | null = null;
  private b1: string | null = null;
  private s1 = '';

  get(a: string, b: string, make: (a: string, b: string) => string): string {
    if (a === this.a0 && b === this.b0) return this.s0;
    if (a === this.a1 && b === this.b1) return this.s1;
    this.a1 = this.a0;
    this.b1 = this.b0;
    this.s1 = this.s0;
    this.a0 = a;
    this.b0 = b;
    return (this.s0 = make(a, b));
  }
}

/**
 * Strings made from a string key (a label, an address's text), for fields whose
 * values cycle through more than two (frame lengths, a capture's hosts). Bounded;
 * given up when keys rarely repeat (labels with a frame number in them).
 */
export class StringMemo {
  private m = new Map<string, string>();
  private hits = 0;
  private misses = 0;
  on = true;

  get(k: string): string | undefined {
    const s = this.m.get(k);
    if (s !== undefined) this.hits++;
    return s;
  }

  set(k: string, s: string): void {
    if (++this.misses === 256) {
      if (this.hits < 64) {
        this.on = false;
        this.m.clear();
      }
      this.hits = this.misses = 0;
    }
    if (this.m.size < 1024) this.m.set(k, s);
  }
}
