// The late findings the bindings analyzer keeps between passes (analysis/mip6_bindings.ts
// Lates): compact columns must give back, per frame, exactly what was added, in order.
import { describe, it, expect } from 'vitest';
import { Lates, hf } from '../analysis/mip6_bindings.js';

type Add = [frame: number, responseIn: number, accepted?: boolean];

/** What the analyzer kept before: a list of actions per frame. */
function reference(adds: Add[]): Map<number, unknown[]> {
  const m = new Map<number, unknown[]>();
  for (const [frame, r, acc] of adds) {
    const a: unknown[] = [{ t: 'field', f: hf.responseIn, value: r }];
    if (acc !== undefined) a.push({ t: 'field', f: hf.accepted, value: acc });
    const l = m.get(frame);
    if (l) l.push(...a);
    else m.set(frame, a);
  }
  return m;
}

describe('Lates', () => {
  it('gives each frame its findings in the order added, across blocks and out of order', () => {
    const adds: Add[] = [];
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let i = 1; i < 20000; i++) {
      // an answer a few frames after its request; some frames answered twice
      const frame = Math.max(1, i - rnd(12));
      const r = rnd(3);
      adds.push(r ? [frame, i] : [frame, i, rnd(2) === 0]);
    }
    adds.push([3, 19999], [5000, 17, true], [4095, 1], [4096, 2], [4097, 3, false], [2 ** 31 + 5, 2 ** 31 + 9]);
    const l = new Lates();
    for (const [f, r, acc] of adds) l.add(f, r, acc);
    l.seal();
    const ref = reference(adds);
    for (let f = 0; f < 20010; f++) expect(l.get(f)).toEqual(ref.get(f));
    expect(l.get(2 ** 31 + 5)).toEqual(ref.get(2 ** 31 + 5));
  });

  it('answers before seal too, and is empty when nothing was added', () => {
    const l = new Lates();
    expect(l.get(1)).toBeUndefined();
    l.add(9, 12, false);
    l.add(2, 10);
    l.add(9, 13);
    expect(l.get(9)).toEqual([{ t: 'field', f: hf.responseIn, value: 12 }, { t: 'field', f: hf.accepted, value: false }, { t: 'field', f: hf.responseIn, value: 13 }]);
    expect(l.get(2)).toEqual([{ t: 'field', f: hf.responseIn, value: 10 }]);
    expect(l.get(3)).toBeUndefined();
  });
});
