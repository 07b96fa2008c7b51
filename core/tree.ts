// The protocol tree. Items keep raw values (numbers, bigints, Buffer views);
// strings are made only when a tree is printed (-V, JSON, reports).
import type { Field } from './fields.js';
import type { Expert } from './expert.js';
import type { Block } from './block.js';

export class Item {
  children: Item[] | null = null;
  /** shown in [brackets]: computed, not on the wire */
  generated = false;
  hidden = false;
  expert: Expert | null = null;
  /** text appended to the label, e.g. " [correct]" */
  suffix: string | null = null;
  /** children blockAt.. are this shared block's items (core/block.ts) */
  block: Block | null = null;
  blockAt = 0;

  constructor(
    public field: Field | null,
    public offset: number,
    public length: number,
    public value: unknown,
    /** full label override (text items always have one) */
    public text: string | null = null,
    public ds = 0,
  ) {}

  add(field: Field, offset: number, length: number, value: unknown, text: string | null = null): Item {
    const it = new Item(field, offset, length, value, text, this.ds);
    (this.children ??= []).push(it);
    return it;
  }

  addText(text: string, offset = this.offset, length = 0): Item {
    const it = new Item(null, offset, length, null, text, this.ds);
    (this.children ??= []).push(it);
    return it;
  }

  addGenerated(field: Field, value: unknown, text: string | null = null): Item {
    const it = this.add(field, this.offset, 0, value, text);
    it.generated = true;
    return it;
  }

  append(s: string): this {
    this.suffix = (this.suffix ?? '') + s;
    return this;
  }

  setLength(len: number): this {
    this.length = len;
    return this;
  }

  /** depth-first walk */
  *walk(): Generator<Item> {
    yield this;
    if (this.children) for (const c of this.children) yield* c.walk();
  }

  find(abbrev: string): Item | undefined {
    for (const it of this.walk()) if (it.field?.abbrev === abbrev) return it;
    return undefined;
  }

  findAll(abbrev: string): Item[] {
    const out: Item[] = [];
    for (const it of this.walk()) if (it.field?.abbrev === abbrev) out.push(it);
    return out;
  }
}

export type Tree = Item | null | undefined;
