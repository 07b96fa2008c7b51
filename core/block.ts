// Shared subtrees. Some runs of items are a function of a few octets and their
// place in the frame alone (an Ethernet header's items, an IPv6 base header's, the
// fixed part of a Mobility Header, a frame's lengths), and a capture repeats them
// packet after packet. A dissector builds such a run once, freezes it (values
// copied out of the packet's buffer), and later packets with the same octets at the
// same offset take the same items: no items are made, and the printers render a
// block once per depth instead of line by line (output/text.ts,
// output/json_plain.ts). Frozen items are never changed again; a run that a later
// layer would change (an expert item, a suffix) is not made a block. A dissector
// table change (decode-as) or new preferences drop every block made before.
import type { Item } from './tree.js';

/** off: every subtree is built afresh (tests compare the two) */
export const blockSharing = { on: true };

/** bumped when dissector tables or preferences change: blocks made before are stale */
let epoch = 0;
export function invalidateBlocks(): void {
  epoch++;
}

// the frame being dissected (set by the engine): only its own octets make or find
// blocks; a decrypted or reassembled buffer's items get their data source set
// after they are made
let frameBuf: Uint8Array | null = null;
export function blockFrame(buf: Uint8Array): void {
  frameBuf = buf;
}

export class Block {
  /** -V lines of the items by depth, and plain -T json members by indent * 2 + (0: first member, 1: after one) */
  text: Array<string | undefined> = [];
  json: Array<string | undefined> = [];
  constructor(
    public readonly items: readonly Item[],
    /** the parent's label when the block was made (for parents whose label comes from the same octets) */
    public readonly label: string | null,
  ) {}
}

/** The block's items are still children at..at+n-1 of `kids` (nobody inserted among them). */
export function blockIntact(kids: Item[], b: Block, at: number): boolean {
  const n = b.items.length;
  return kids.length >= at + n && kids[at] === b.items[0] && kids[at + n - 1] === b.items[n - 1];
}

/** Append a block's items to the children of `parent` (which holds no block yet). */
export function useBlock(parent: Item, b: Block): void {
  const kids = parent.children;
  if (kids === null) parent.children = b.items.slice();
  else for (let i = 0; i < b.items.length; i++) kids.push(b.items[i]!);
  parent.block = b;
  parent.blockAt = kids === null ? 0 : kids.length - b.items.length;
}

function frozen(items: readonly Item[]): boolean {
  for (const top of items) {
    for (const it of top.walk()) {
      if (it.expert || it.suffix !== null) return false;
      if (it.field && it.field.type === 'protocol') return false;
      const v = it.value;
      if (v instanceof Uint8Array) {
        // copied: the packet's buffer is reused by the reader
        const c = new Uint8Array(v.length);
        c.set(v);
        it.value = c;
      }
    }
  }
  return true;
}

/**
 * Blocks by (octets, offset, data source), direct-mapped: a slot keeps the latest
 * header that hashed to it. Bounded at `slots` blocks. The octets are the frame's
 * own (any other buffer finds and makes nothing), unless `packetKeys` is false: a
 * key the dissector composed itself (the frame's lengths).
 */
export class BlockCache {
  private keys: Array<Uint8Array | null>;
  private offs: Int32Array;
  private dss: Int32Array;
  private blocks: Array<Block | null>;
  private mask: number;
  private epoch = epoch;

  constructor(slots = 256, private readonly packetKeys = true) {
    const n = 1 << Math.ceil(Math.log2(slots));
    this.mask = n - 1;
    this.keys = new Array(n).fill(null);
    this.offs = new Int32Array(n);
    this.dss = new Int32Array(n);
    this.blocks = new Array(n).fill(null);
  }

  private slot(buf: Uint8Array, off: number, len: number): number {
    let h = 0x811c9dc5 ^ off;
    for (let i = off, e = off + len; i < e; i++) h = Math.imul(h ^ buf[i]!, 16777619);
    return (h ^ (h >>> 15)) & this.mask;
  }

  /** the block made for octets [off, off + len) of buf in data source ds, if any (the caller checked the bounds) */
  get(buf: Uint8Array, off: number, len: number, ds: number): Block | null {
    if (!blockSharing.on || (this.packetKeys && buf !== frameBuf)) return null;
    if (this.epoch !== epoch) {
      this.keys.fill(null);
      this.blocks.fill(null);
      this.epoch = epoch;
      return null;
    }
    const s = this.slot(buf, off, len);
    const k = this.keys[s];
    if (k === null || k === undefined || k.length !== len || this.offs[s] !== off || this.dss[s] !== ds) return null;
    for (let i = 0; i < len; i++) if (k[i] !== buf[off + i]) return null;
    return this.blocks[s]!;
  }

  /** Freeze the children of `parent` from index `from` on as the block for these octets. */
  put(buf: Uint8Array, off: number, len: number, ds: number, parent: Item, from = 0): void {
    const kids = parent.children;
    if (!blockSharing.on || (this.packetKeys && buf !== frameBuf) || this.epoch !== epoch || !kids || kids.length <= from || parent.block !== null) return;
    const items = kids.slice(from);
    if (!frozen(items)) return;
    const s = this.slot(buf, off, len);
    // a copy (Buffer#slice would be a view of the reused buffer)
    const k = new Uint8Array(len);
    k.set(buf.subarray(off, off + len));
    this.keys[s] = k;
    this.offs[s] = off;
    this.dss[s] = ds;
    const b = new Block(items, parent.text);
    this.blocks[s] = b;
    parent.block = b;
    parent.blockAt = from;
  }
}
