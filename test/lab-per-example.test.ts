/**
 * The lab prints the same quantities as the engine, on the same scale (a consistency audit, cons54): a validation loss
 * is the mean per example (lossPerExample, src/lab/eval.ts), as Model.evaluate and fit's validation loss are, whatever
 * the net's reduction — under 'sum' the lab's Train points and Output line gave L itself, n_val times Fit's for the same
 * weights; and an accuracy is printed so that a miss is never rounded away (percent, src/lab/words.ts): 1999 of 2000
 * right showed "100.0 %" in the lab where the CLI printed 99.95 %.
 */
import { describe, expect, it } from 'vitest';
import { lossAt, lossPerExample } from '../src/lab/eval.ts';
import { lossGrid } from '../src/lab/surface-grid.ts';
import { percent } from '../src/lab/words.ts';
import { batchFrom, validateNet } from '../src/spec.ts';

describe('lossPerExample: Σ_c L_c / n under either reduction', () => {
  // A 1-1 sigmoid unit, bce, W = 100, b = 0, on x = 1 twice: z = 100 for both examples. By hand, bce from the logit,
  // L_c = log(1 + e^z) − y·z: y = 0 gives log(1 + e^100) = 100 + log(1 + e^−100) = 100 (to float32); y = 1 gives
  // log(1 + e^−100) ≈ 3.7e−44, 0 in float32. Σ_c L_c = 100, the mean 50.
  const params = { W: [Float32Array.from([100])], b: [Float32Array.from([0])] };
  for (const reduction of ['sum', 'mean'] as const) {
    it(`reduction '${reduction}': 50 (lossAt gives ${reduction === 'sum' ? 'the sum, 100' : 'the mean, 50'})`, () => {
      const net = validateNet({ inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', reduction });
      const batch = batchFrom(net, [[1], [1]], [[0], [1]]);
      expect(lossAt(net, params, batch.X, batch.Y, batch.n)).toBeCloseTo(reduction === 'sum' ? 100 : 50, 5);
      expect(lossPerExample(net, params, batch.X, batch.Y, batch.n)).toBeCloseTo(50, 5);
      // The loss surface reads on the same scale: its centre (the current W, b) is 50 under either reduction; with a
      // half-width of 100 its first W is 0, where (b = 0) z = 0 for both examples: L_c = log 2 each, the mean log 2.
      const g = lossGrid({ net, params, X: batch.X, Y: batch.Y, n: batch.n, p1: { kind: 'W', layer: 0, row: 0, col: 0 }, p2: { kind: 'b', layer: 0, index: 0 }, names: ['w', 'b'], resolution: 5, radius: 100 });
      expect(g.current).toBeCloseTo(50, 5);
      const mid = (g.res - 1) / 2;
      expect([g.axis1[0], g.axis2[mid]]).toEqual([0, 0]);
      expect(g.values[mid * g.res + 0]).toBeCloseTo(Math.LN2, 6);
    });
  }
});

describe('percent: one decimal, more where one would round a miss (or a hit) away', () => {
  it('0.939 is "93.9 %"; all right "100.0 %"; none "0.0 %"', () => {
    expect([percent(0.939), percent(1), percent(0)]).toEqual(['93.9 %', '100.0 %', '0.0 %']);
  });

  it('1999 of 2000 is "99.95 %"; 29 999 of 30 000 "99.997 %"; 1 of 30 000 "0.003 %" (never "100.0 %" or "0.0 %")', () => {
    // 100 · 1999/2000 = 99.95: "100.0" at one decimal, "99.95" at two. 100 · 29 999/30 000 = 99.99667: "100.0",
    // "100.00", then "99.997". 100/30 000 = 0.00333: "0.0", "0.00", then "0.003".
    expect(percent(1999 / 2000)).toBe('99.95 %');
    expect(percent(29999 / 30000)).toBe('99.997 %');
    expect(percent(1 / 30000)).toBe('0.003 %');
  });
});
