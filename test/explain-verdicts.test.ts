/**
 * explain's verdicts on a backend and on its own sums (a mutation audit of src/notation, bmut53: each test here failed on
 * a mutant the other node tests let through): the float32 bound that flags a backend ✗ MISMATCH (mismatches, the CLI's
 * exit 1) at its edge, a backend value that is not a number, the noise bound under which a sum prints 0.0000, a dead
 * relu's exact 0, and three significant digits at 3 decimals. The nets are one identity unit, their values worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { explain, explainer, mismatches } from '../src/notation/explain.ts';
import { float32Bound } from '../src/notation/matrix.ts';
import { EPS, noiseBounds } from '../src/notation/noise.ts';
import { fmtValue } from '../src/notation/numbers.ts';
import { ScalarEngine } from '../src/notation/scalar.ts';
import type { NetworkSpec } from '../src/spec.ts';
import { B, cpuRun, lossWrt, W } from './lib/notation-common.ts';

/** One identity unit under mse: z = w·x + b, a = z, L = mean_c ½(a_c − y_c)²; ∂L/∂w = mean_c (a_c − y_c)·x_c. */
const identity = (x: number[], y: number[], w = 0.5, b = 0.25, activation: 'identity' | 'relu' = 'identity'): NetworkSpec => ({
  inputs: 1, layers: [{ units: 1, activation }], loss: 'mse', reduction: 'mean',
  params: { W: [[[w]]], b: [[b]] }, x: x.map((v) => [v]), y: y.map((v) => [v]),
});

describe('the float32 bound flags a backend off by more than 1e-6 + 1e-5·mass (matrix.ts, explain.ts mismatches)', () => {
  it('x = 2, y = 3: ∂L/∂w1 = (1.25 − 3)·2 = −3.5, mass 3.5, bound 3.6e-5; 0.9 of it off is ✓, 1.1 of it ✗ MISMATCH', async () => {
    const spec = identity([2], [3]);
    const e = new ScalarEngine(spec).expand(lossWrt(W(0, 0, 0)));
    // a = 0.5·2 + 0.25 = 1.25; its one path (a − y)·1·x: |−1.75|·1·2 = 3.5 (a tenth of |a| + |y| = 0.425 is less).
    expect([e.total, e.mass]).toEqual([-3.5, 3.5]);
    const bound = 1e-6 + 1e-5 * 3.5;
    expect(float32Bound(e.mass)).toBeCloseTo(bound, 15);
    const run = await cpuRun(spec);
    const at = (value: number) => ({ ...run, backend: 'cpu', dW: [Float32Array.from([value])] });
    const doc = (value: number) => explainer(spec, { param: 'w1' }).doc([at(value)]);
    expect(mismatches(doc(-3.5 + 0.9 * bound))).toEqual([]);
    expect(mismatches(doc(-3.5 - 1.1 * bound))).toHaveLength(1);
    expect(explain(spec, { param: 'w1' }, [at(-3.5 + 0.9 * bound)], 'text')).toMatch(/\|scalar − cpu\| = 3\.2e-5 ≤ 3\.6e-5 ✓/);
    // Off by 1.1 of it either way, above or below the scalar's value.
    for (const off of [-1.1 * bound, 1.1 * bound]) {
      expect(explain(spec, { param: 'w1' }, [at(-3.5 + off)], 'text'), `${off}`).toMatch(/\|scalar − cpu\| = 4\.0e-5 > 3\.6e-5 ✗ MISMATCH/);
    }
  });

  it('a backend value that is NaN is ✗ MISMATCH and a mismatch, never ✓', async () => {
    const spec = identity([2], [3]);
    const run = { ...(await cpuRun(spec)), dW: [Float32Array.from([NaN])] };
    expect(explain(spec, { param: 'w1' }, [run], 'text')).toContain('|scalar − cpu| = NaN > 3.6e-5 ✗ MISMATCH');
    expect(mismatches(explainer(spec, { param: 'w1' }).doc([run]))).toHaveLength(1);
  });
});

describe('the noise bound of a sum (noise.ts): k·ε·S with k = 2·(P + F + max(U, 4)), ε = 2⁻⁵³', () => {
  it('two examples, mean: S takes |a| + |y| for the loss factor (not |a − y|), and the total is scaled by 1/N', () => {
    // x = 2, y = 3: a = 1.25, |a| + |y| = 4.25; x = −2, y = 0: a = −0.75, |a| + |y| = 0.75. ∂L/∂b1's paths: (a − y)·1·1
    // (∂L/∂a · ∂a/∂z · ∂z/∂b1), F = 3 factors; P = 1 a group and an example, 2 in all; U = 1 unit (max(U, 4) = 4).
    const spec = identity([2, -2], [3, 0]);
    const engine = new ScalarEngine(spec);
    const e = engine.expand(lossWrt(B(0, 0)));
    expect(e.examples[0].groups[0].paths[0].values).toEqual([-1.75, 1, 1]);
    const nb = noiseBounds(e, engine);
    expect(EPS).toBe(2 ** -53);
    expect(nb.example(e.examples[0])).toBe(2 * (1 + 3 + 4) * 2 ** -53 * 4.25);
    expect(nb.group(e.examples[1].groups[0])).toBe(2 * (1 + 3 + 4) * 2 ** -53 * 0.75);
    expect(nb.total).toBe(2 * (2 + 3 + 4) * 2 ** -53 * (1 / 2) * (4.25 + 0.75));
  });

  it('bce: the loss factor\'s size is |y|/ŷ + |1 − y|/(1 − ŷ) (y = 0 leaves the second term, not none)', () => {
    // One sigmoid unit, w = b = 0, x = 1, y = 0: ŷ = 0.5; ∂L/∂ŷ = (ŷ − y)/(ŷ(1 − ŷ)) = 2, ∂ŷ/∂z = 0.25, ∂z/∂b1 = 1.
    // Its size 0/0.5 + 1/0.5 = 2, so S = 2·0.25·1 = 0.5; P = 1, F = 3, U = 1: 2·(1 + 3 + 4)·2⁻⁵³·0.5.
    const spec: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', reduction: 'mean', params: { W: [[[0]]], b: [[0]] }, x: [[1]], y: [[0]] };
    const engine = new ScalarEngine(spec);
    const e = engine.expand(lossWrt(B(0, 0)));
    expect(e.examples[0].groups[0].paths[0].values).toEqual([2, 0.25, 1]);
    expect(noiseBounds(e, engine).total).toBe(2 * (1 + 3 + 4) * 2 ** -53 * 0.5);
  });

  it('a softmax layer\'s shared bias: each example\'s sum is noise, and so are the terms of the sum over examples (0.0000 + 0.0000)', () => {
    // Σ_j (a_j − y_j) = 1 − 1 = 0 for each example: its float64 value is noise, printed 0.0000 in the total's terms too.
    const spec: NetworkSpec = {
      inputs: 1, layers: [{ units: 3, activation: 'softmax', bias: 'shared' }], loss: 'softmax-cross-entropy', reduction: 'mean',
      params: { W: [[[0.3], [-0.2], [0.7]]], b: [0.1] }, x: [[1], [2]], y: [[0, 1, 0], [1, 0, 0]],
    };
    expect(explain(spec, { param: 'b1' }, [], 'text')).toContain('  ∂L/∂b1 = (1/2)·(0.0000 + 0.0000) = 0.0000   (mean over 2 examples)\n');
  });

  it('a sum a few times its bound keeps its digits: (1/2)·(0.25 + (−0.25 + 2⁻⁴⁵)) = 2⁻⁴⁶ ≈ 1.42e-14 is not 0.0000', () => {
    // x = 1, 1: a = 0.75; y = 0.5, 1 − 2⁻⁴⁵: a − y = 0.25 and −0.25 + 2⁻⁴⁵ (both exact), their mean 2⁻⁴⁶ = 1.42e-14.
    // S = (0.75 + 0.5) + (0.75 + 1 − 2⁻⁴⁵) ≈ 3, bound = 2·(2 + 3 + 4)·2⁻⁵³·½·S ≈ 3.0e-15: the total is ~4.7 times it.
    const spec = identity([1, 1], [0.5, 1 - 2 ** -45]);
    const text = explain(spec, { param: 'b1' }, [], 'text');
    expect(text).toContain('= 0.0000000000000142   (mean over 2 examples)\n');
    expect(text).toContain('  scalar total, float64: 1.421085472e-14\n');
  });

  it('a sum that is exactly 0 because every path has a dead relu (bound 0) prints as an exact 0, not 0.0000', () => {
    // relu unit, w = −1, b = 0: z = −2, −4 < 0 for x = 2, 4, so relu' = 0 on every path: ∂L/∂w1 = (1/2)·(0 + 0) = 0.
    const text = explain(identity([2, 4], [1, 1], -1, 0, 'relu'), { param: 'w1' }, [], 'text');
    expect(text).toContain('∂L/∂w1 = (1/2)·(0 + 0) = 0   (mean over 2 examples)');
    expect(text).not.toContain('0.0000');
  });
});

it('at 3 decimals a computed value keeps three significant digits (two only below 3): 0.00134 is 0.00134, not 0.0013', () => {
  expect([fmtValue(0.00134, 3), fmtValue(0.00134, 2)]).toEqual(['0.00134', '0.0013']);
});
