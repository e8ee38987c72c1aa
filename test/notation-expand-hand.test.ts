/**
 * ScalarEngine.expand (src/notation/scalar.ts, public through src/notation/index.ts) against the 2-2-1 lecture net
 * worked by hand in float64 from the textbook formulas (a mutation audit of the scalar notation, nmut54: each test
 * here failed on a mutant the other node tests let through): the paths "from h1" alone, one example's own term in a
 * batch of two under a mean, the size a float32 backend's a − y is judged by (the ✓ / ✗ MISMATCH of explain), and an
 * example past the batch refused before any work.
 */
import { describe, expect, it } from 'vitest';
import { explain } from '../src/notation/explain.ts';
import { ScalarEngine } from '../src/notation/scalar.ts';
import type { NetworkSpec, RowsSpec } from '../src/spec.ts';
import { B, cpuRun, lossWrt, named, spec221, W } from './lib/notation-common.ts';

const sig = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * Lecture 001's net on one example, forward and backward by hand: z_h1 = w1·x1 + w2·x2 + b1, z_h2 = w3·x1 + w4·x2 + b1
 * (one b1 shared), z_out = w5·a_h1 + w6·a_h2 + b2, sigmoid everywhere, L = ½(ŷ − y)². δ_out = (ŷ − y)·ŷ(1 − ŷ),
 * δ_h1 = δ_out·w5·a_h1(1 − a_h1), δ_h2 = δ_out·w6·a_h2(1 − a_h2).
 */
function by221(x1: number, x2: number, y: number): { h1: number; h2: number; dOut: number; d1: number; d2: number } {
  const [w1, w2, w3, w4, w5, w6, b1, b2] = [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.35, 0.6];
  const h1 = sig(w1 * x1 + w2 * x2 + b1);
  const h2 = sig(w3 * x1 + w4 * x2 + b1);
  const yh = sig(w5 * h1 + w6 * h2 + b2);
  const dOut = (yh - y) * yh * (1 - yh);
  return { h1, h2, dOut, d1: dOut * w5 * h1 * (1 - h1), d2: dOut * w6 * h2 * (1 - h2) };
}

describe('expand "from" one unit: only the paths through it (∂L/∂b1 from h1 = δ_h1)', () => {
  it('lecture 001: ∂L/∂b1 from h1 = δ_h1 = 0.0133679, from h2 = δ_h2 = 0.0149961; each one path through its own unit', () => {
    // By hand (lecture 001's numbers): δ_h1 = 0.7414 × 0.1868 × 0.40 × 0.2413 ≈ 0.01337 (exactly 0.0133679204, ERRATA.md
    // line 185's δ_h1·x2 = 0.0133679204 × 0.10); δ_h2 = 0.7414 × 0.1868 × 0.45 × 0.2406 ≈ 0.01500 (0.0149960755).
    const want = by221(0.05, 0.1, 0.01);
    expect(want.d1).toBeCloseTo(0.0133679204, 10);
    expect(want.d2).toBeCloseTo(0.0149960755, 10);
    const engine = new ScalarEngine(spec221);
    for (const [unit, delta] of [[0, want.d1], [1, want.d2]] as const) {
      const e = engine.expand({ ...lossWrt(B(0, 0)), via: { layer: 0, unit } });
      expect(e.total, `from unit ${unit + 1}`).toBeCloseTo(delta, 14);
      const groups = e.examples[0].groups;
      expect(groups.map((g) => [g.word, g.via])).toEqual([['from', { layer: 0, unit }]]);
      expect(groups[0].paths.map((p) => p.units)).toEqual([[unit, 0]]);
    }
  });
});

describe('expand on one example of a batch: that example\'s own term, not scaled by the batch\'s 1/N', () => {
  it('lecture 001\'s net on two examples, mean: ∂L_c/∂w5 = δ_out,c·a_h1,c for each c; the batch\'s is their mean', () => {
    const spec: RowsSpec = { ...spec221, x: [[0.05, 0.1], [0.5, 0.2]], y: [[0.01], [0.99]] };
    const per = spec.x!.map(([x1, x2], c) => by221(x1, x2, spec.y![c][0]));
    const dw5 = per.map((h) => h.dOut * h.h1);
    const engine = new ScalarEngine(spec);
    for (const c of [0, 1]) {
      const e = engine.expand(lossWrt(W(1, 0, 0)), c);
      expect(e.reduced, `example ${c}`).toBe(false);
      expect(e.total, `example ${c}`).toBeCloseTo(dw5[c], 14);
      // ∂L_c/∂b1 (the shared bias): δ_h1,c + δ_h2,c, its two groups "from h1" and "from h2".
      const b1 = engine.expand(lossWrt(B(0, 0)), c);
      expect(b1.total, `b1, example ${c}`).toBeCloseTo(per[c].d1 + per[c].d2, 14);
      expect(b1.examples[0].groups.map((g) => g.value)).toEqual([expect.closeTo(per[c].d1, 14), expect.closeTo(per[c].d2, 14)]);
    }
    expect(engine.expand(lossWrt(W(1, 0, 0))).total).toBeCloseTo((dw5[0] + dw5[1]) / 2, 14);
  });
});

describe('the size a float32 backend\'s a − y is judged by: |a| + |y|, not |a − y| (scalar.ts factorSize)', () => {
  it('an output that has learnt its y: a backend 1e-6 of a off is ✓, where |a − y| alone would flag it ✗ MISMATCH', async () => {
    // One identity unit, mse: a = 0.5·2 + 0.25 = 1.25, y = 1.2499, a − y = 1e-4; ∂L/∂w1 = (a − y)·x = 2e-4.
    // The path (a − y)·1·x has size 0.1·(|a| + |y|)·1·2 = 0.1·2.4999·2 = 0.49998 (a tenth of the size before the
    // cancellation, more than |a − y| = 1e-4): bound 1e-6 + 1e-5·0.49998 = 6.0e-6. A float32 a off by 1e-6 of 1.25
    // moves ∂L/∂w1 by 1.25e-6·2 = 2.5e-6: within it. With |a − y| alone the bound is 1e-6 + 1e-5·2e-4 = 1.0e-6.
    const spec: NetworkSpec = {
      inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', reduction: 'mean',
      params: { W: [[[0.5]]], b: [[0.25]] }, x: [[2]], y: [[1.2499]],
    };
    const e = new ScalarEngine(spec).expand(lossWrt(W(0, 0, 0)));
    expect(e.total).toBeCloseTo(2e-4, 15);
    expect(e.mass).toBeCloseTo(0.49998, 12);
    const run = await cpuRun(spec);
    const off = { ...run, backend: 'cpu', dW: [Float32Array.from([2e-4 + 2.5e-6])] };
    expect(explain(spec, { param: 'w1' }, [off], 'text')).toMatch(/\|scalar − cpu\| = 2\.5e-6 ≤ 6\.0e-6 ✓/);
  });
});

describe('an example past the batch is a NotationError naming example, before any value is read', () => {
  it('lecture 001 has one example (index 0): example 1 is refused for a node, the loss and a derivative', () => {
    const engine = new ScalarEngine(spec221);
    const z = { kind: 'node', node: { kind: 'z', layer: 0, unit: 0 } } as const;
    // z_h1 = 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775 for example 0.
    expect(engine.value(z, 0)).toBeCloseTo(0.3775, 15);
    for (const ref of [z, { kind: 'loss' } as const, lossWrt(W(1, 0, 0))]) {
      expect(named(() => engine.value(ref, 1)), ref.kind).toEqual({ name: 'NotationError', field: 'example' });
    }
  });
});
