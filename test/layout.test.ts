// core/layout.ts decodes a layout with a loop on its first use and with a
// decoder compiled for it afterwards (one without a tree, one that adds items).
// The two must agree on everything: values, items (offsets, lengths, values,
// nesting), shared flag blocks, and where a truncated field fails.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { decodeLayout, minFit, layoutMaker, type Layout, type Vals } from '../core/layout.js';
import { Tvb, BoundsError } from '../core/tvb.js';
import { Item } from '../core/tree.js';
import { blockFrame } from '../core/block.js';

const L = layoutMaker('testlay');
const SAMPLE: Layout = [
  L.u16('testlay.seq', 'Sequence'),
  L.flags16(null, [
    ['testlay.a', 'A flag', 0x8000],
    ['testlay.h', 'H flag', 0x4000],
    ['testlay.l', 'L flag', 0x2000],
    ['testlay.res', 'Reserved', 0x1fff],
  ]),
  L.flags8(['testlay.fl', 'Flags'], [['testlay.x', 'X', 0x80], ['testlay.y', 'Y', 0x40], ['testlay.z', 'Z', 0x3f]]),
  L.hidden(L.u8('testlay.pad', 'Pad')),
  L.u32('testlay.lifetime', 'Lifetime'),
  L.u24('testlay.u24', 'Three octets'),
  L.bytes('testlay.len', 'Counted', (v) => (v['testlay.z'] as number) & 7),
  { ...L.bytes('testlay.opt', 'Rest', 'rest'), omitEmpty: true },
];

interface Run {
  vals: Vals;
  items: unknown[];
  end: number | string;
}

function flatItems(it: Item): unknown[] {
  return (it.children ?? []).map((c) => [c.field?.abbrev, c.offset, c.length, c.value instanceof Uint8Array ? [...c.value] : c.value, flatItems(c)]);
}

function run(layout: Layout, buf: Buffer, tree: boolean): Run {
  const vals: Vals = {};
  const root = tree ? new Item(null, 0, buf.length, null, '') : null;
  blockFrame(buf);
  let end: number | string;
  try {
    end = decodeLayout(new Tvb(buf, buf.length, buf.length), 0, layout, vals, root);
  } catch (e) {
    if (!(e instanceof BoundsError)) throw e;
    end = e.message;
  }
  for (const k of Object.keys(vals)) if (vals[k] instanceof Uint8Array) vals[k] = [...(vals[k] as Uint8Array)];
  return { vals, items: root ? flatItems(root) : [], end };
}

describe('layout decoding: loop and compiled decoders agree', () => {
  it('decodes known octets as the layout says (values worked out by hand)', () => {
    const buf = Buffer.from('1234' + 'a005' + 'c3' + '00' + '00000190' + '0a0b0c' + '010203' + 'ff', 'hex');
    for (const tree of [false, true]) {
      const layout = [...SAMPLE];
      for (let i = 0; i < 3; i++) {
        const r = run(layout, buf, tree);
        expect(r.end).toBe(buf.length);
        expect(r.vals).toMatchObject({
          'testlay.seq': 0x1234, 'testlay.a': true, 'testlay.h': false, 'testlay.l': true, 'testlay.res': 5,
          'testlay.fl': 0xc3, 'testlay.x': true, 'testlay.y': true, 'testlay.z': 3, 'testlay.pad': 0,
          'testlay.lifetime': 400, 'testlay.u24': 0x0a0b0c, 'testlay.len': [1, 2, 3], 'testlay.opt': [0xff],
        });
        if (tree) {
          const names = (r.items as unknown[][]).map((x) => x[0]);
          // the hidden pad has no item; the flags8 container holds its three fields
          expect(names).toEqual(['testlay.seq', 'testlay.a', 'testlay.h', 'testlay.l', 'testlay.res', 'testlay.fl', 'testlay.lifetime', 'testlay.u24', 'testlay.len', 'testlay.opt']);
          expect(((r.items as unknown[][])[5]![4] as unknown[][]).map((x) => x[0])).toEqual(['testlay.x', 'testlay.y', 'testlay.z']);
        }
      }
    }
  });

  it('gives the same values, items and failures on the first use (loop) as on later ones (compiled)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 24 }), fc.boolean(), (bytes, tree) => {
        const buf = Buffer.from(bytes);
        const layout = [...SAMPLE]; // a fresh table: its first use takes the loop
        const first = run(layout, buf, tree);
        const second = run(layout, buf, tree);
        const third = run(layout, buf, tree);
        expect(second).toEqual(first);
        expect(third).toEqual(first);
      }),
      { numRuns: 400 },
    );
  });

  it('an empty rest field is left out of the tree but kept in the values', () => {
    const buf = Buffer.from('1234a005c300000001900a0b0c', 'hex'); // z = 3 wants 3 counted octets: truncated
    const r = run([...SAMPLE], buf, true);
    expect(typeof r.end).toBe('string');
    const ok = Buffer.from('1234a005c000000001900a0b0c', 'hex'); // z = 0: no counted octets, no rest
    for (let i = 0; i < 3; i++) {
      const s = run(SAMPLE, ok, true);
      expect(s.end).toBe(ok.length);
      expect(s.vals['testlay.opt']).toEqual([]);
      expect((s.items as unknown[][]).map((x) => x[0])).not.toContain('testlay.opt');
    }
  });
});

describe('minFit: the fewest octets a layout always decodes in', () => {
  it('is the fixed widths with a last field taking the rest, and -1 when a width depends on values', () => {
    const fixed: Layout = [L.u16('testlay.f1', 'F1'), L.ipv6('testlay.f2', 'F2'), { ...L.bytes('testlay.f3', 'F3', 'rest'), omitEmpty: true }];
    expect(minFit(fixed)).toBe(18);
    expect(minFit([L.u32('testlay.f4', 'F4')])).toBe(4);
    expect(minFit([])).toBe(0);
    // a counted field, or 'rest' before another field: only decoding tells
    expect(minFit(SAMPLE)).toBe(-1);
    expect(minFit([L.bytes('testlay.f5', 'F5', 'rest'), L.u8('testlay.f6', 'F6')])).toBe(-1);
    // decoding agrees: from minFit octets on it never fails, one fewer always does
    for (let len = 0; len < 40; len++) {
      const buf = Buffer.alloc(len, 0x5a);
      const run = () => decodeLayout(new Tvb(buf, len, len), 0, fixed, {}, null);
      if (len >= 18) expect(run).not.toThrow();
      else expect(run).toThrow(BoundsError);
    }
  });

  it('holds for every registered mobility option whose fast check relies on it', async () => {
    const { ready } = await import('./util/dissect.js');
    await ready();
    const { defs } = await import('../dissectors/mip6/optdefs.js');
    let checked = 0;
    for (const def of defs.values()) {
      if (def.decode || !def.layout) continue;
      const fit = minFit(def.layout);
      if (fit < 0) continue;
      checked++;
      for (let len = 0; len <= 64; len++) {
        const buf = Buffer.alloc(len, 0xa5);
        const run = () => decodeLayout(new Tvb(buf, len, len), 0, def.layout!, {}, null);
        if (len >= fit) expect(run, `option ${def.type}, ${len} octets`).not.toThrow();
        else expect(run, `option ${def.type}, ${len} octets`).toThrow(BoundsError);
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
