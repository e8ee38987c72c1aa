/**
 * grad's text report lays dW out as W is, one row per unit and one column per input (src/cli/grad.ts gradReport), and
 * its "✗ not finite" line names where the first value that is not finite is (src/cli/grad.ts firstNonFinite): the
 * array, its layer, and the 1-based unit and column — for dW a column is an input j (fanIn columns), not an example.
 * A table past 8 columns shows each row's own first 8 values (src/cli/format.ts matrix). Review cmut54: a dW table
 * transposed (rows of inputs), a not-finite location counted in examples for dW, and a wide table's second row read
 * from the wrong offset passed every test. Expected values worked by hand in each test.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runGrad } from '../src/cli/grad.ts';
import { matrix } from '../src/cli/format.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('grad: the first value that is not finite, named where it is', () => {
  it('dW₁ of a 3-input, 1-unit identity net on 2 examples: unit 1, in 3 (the third input), exit status 1', async () => {
    // By hand (mse, mean over N = 2, L_c = ½(a − y)²): example 1 has x = (0, 0, 1e30), so Z = 1e-30 · 1e30 = 1, and
    // y = −1e10: delta = a − y ≈ 1e10. Example 2 is all zeros: delta 0. dW₁[0][j] = ½ Σ_c delta_c · x_c[j]: 0 for
    // j = 1, 2; for j = 3, ½ · 1e10 · 1e30 = 5e39, past float32's 3.4e38: Infinity. Everything else is finite (the
    // loss ½ · ½ · (1e10)² = 2.5e19, db ½ · 1e10 = 5e9). dW is (units × fanIn) = 1 × 3: the entry [0][2] is unit 1,
    // in 3 — with the example count (2) as its columns it would read unit 2, in 1.
    const spec = {
      inputs: 3, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[0, 0, 1e-30]]], b: [[0]] },
      x: [[0, 0, 1e30], [0, 0, 0]], y: [[-1e10], [0]],
    };
    const stderr: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      stderr.push(String(s));
      return true;
    });
    const out: string[] = [];
    const code = await runGrad(spec, 'cpu', true, (s) => out.push(s));
    expect(stderr).toEqual(['✗ not finite: cpu dW₁ unit 1, in 3 (exit status 1)\n']);
    expect(code).toBe(1);
    // The JSON still comes, the Infinity as null where it is.
    expect((JSON.parse(out[0]) as { grads: { W: (number | null)[][][] } }).grads.W).toEqual([[[0, 0, null]]]);
  });
});

describe("grad's text: dW as W is laid out", () => {
  it('a 3-input, 1-unit net: dW₁ one row (unit 1) of three inputs, with the values of each input', async () => {
    // By hand (identity, mse, mean over N = 2, W = 0, b = 0): Z = A = 0 for both examples, delta_c = a − y = −1, −2.
    // dW₁[0][j] = ½ (−1 · x₁[j] − 2 · x₂[j]) for x₁ = (1, 2, 3), x₂ = (4, 5, 6): ½(−9, −12, −15) = (−4.5, −6, −7.5);
    // db₁ = ½(−1 − 2) = −1.5; L = ½ (½·1² + ½·2²) = 1.25.
    const spec = {
      inputs: 3, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[0, 0, 0]]], b: [[0]] },
      x: [[1, 2, 3], [4, 5, 6]], y: [[1], [2]],
    };
    const out: string[] = [];
    expect(await runGrad(spec, 'cpu', false, (s) => out.push(s))).toBe(0);
    const lines = out.join('\n').split('\n');
    expect(lines).toContain('loss L = 1.25  (mse, mean over 2 examples)');
    const at = lines.findIndex((l) => l.startsWith('  dW₁ = '));
    expect(lines.slice(at + 1, at + 3).map((l) => l.trim().split(/\s+/))).toEqual([['in', '1', 'in', '2', 'in', '3'], ['unit', '1', '-4.5', '-6', '-7.5']]);
    expect(lines[at + 3]).toMatch(/^ {2}db₁ = /);
  });
});

describe("grad's tables past 8 columns", () => {
  it('a 2 × 10 matrix shows each row\'s own first 8 values (row 2: 10 … 17), then "2 more ex columns"', () => {
    // Row-major 2 × 10 holding 0 … 19: row 1 is 0 … 9, row 2 is 10 … 19; 8 shown, 2 left out.
    const text = matrix('t', Array.from({ length: 20 }, (_, k) => k), 2, 10, 'unit', 'ex').split('\n');
    expect(text.slice(2, 4).map((l) => l.trim().split(/\s+/))).toEqual([
      ['unit', '1', '0', '1', '2', '3', '4', '5', '6', '7'],
      ['unit', '2', '10', '11', '12', '13', '14', '15', '16', '17'],
    ]);
    expect(text[4]).toBe('    … 2 more ex columns not shown');
  });
});
