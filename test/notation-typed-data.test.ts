/**
 * The scalar engine (explain, check) takes a spec's x and y with the numbers as given in either form (usr57d): the
 * example-major {examples, data} form with a number[] (JSON's form) or a Float64Array keeps its float64 values, as
 * rows do; it read them back from the validated batch's float32 layout before (x = 0.1 became 0.10000000149011612),
 * so `explain` printed 3.299999952316 for the lecture's 3.3, and its sums and `check`'s errors differed from the same
 * file given as rows. Expected values are the published maths in float64: one identity unit, W = 2, b = 0, mse
 * L_c = ½(a − y)² with a = 2·x.
 */
import { expect, it } from 'vitest';
import { ScalarEngine } from '../src/notation/scalar.ts';
import { explain } from '../src/notation/explain.ts';
import { specRows } from '../src/worked/runs.ts';
import type { NetworkSpec } from '../src/spec.ts';

const net = {
  inputs: 1, layers: [{ units: 1, activation: 'identity' as const }], loss: 'mse' as const,
  params: { W: [[[2]]], b: [[0]] },
};
const rows: NetworkSpec = { ...net, x: [[0.1], [0.3]], y: [[0], [0.5]] };
/** Hand: L_1 = ½(2·0.1 − 0)², L_2 = ½(2·0.3 − 0.5)², in float64. */
const L1 = 0.5 * (2 * 0.1 - 0) ** 2;
const L2 = 0.5 * (2 * 0.3 - 0.5) ** 2;

it('{examples, data: number[]}: the values as written (float64), the losses of the hand formula', () => {
  const e = new ScalarEngine({ ...net, x: { examples: 2, data: [0.1, 0.3] }, y: { examples: 2, data: [0, 0.5] } });
  expect(e.x).toEqual([[0.1], [0.3]]);
  expect(e.y).toEqual([[0], [0.5]]);
  expect(e.loss(0)).toBe(L1);
  expect(e.loss(1)).toBe(L2);
});

it('{examples, data: Float64Array}: the same float64 values and losses', () => {
  const e = new ScalarEngine({ ...net, x: { examples: 2, data: new Float64Array([0.1, 0.3]) }, y: { examples: 2, data: new Float64Array([0, 0.5]) } });
  expect(e.x).toEqual([[0.1], [0.3]]);
  expect(e.loss(0)).toBe(L1);
  expect(e.loss(1)).toBe(L2);
});

it('{examples, data: Float32Array}: its float32 values, example-major (example c feature j at c × features + j)', () => {
  const two = { inputs: 2, layers: [{ units: 1, activation: 'identity' as const }], loss: 'mse' as const, params: { W: [[[1, 1]]], b: [[0]] } };
  const e = new ScalarEngine({ ...two, x: { examples: 2, data: new Float32Array([1, 2, 3, 4]) }, y: { examples: 2, data: new Float32Array([0, 0]) } });
  expect(e.x).toEqual([[1, 2], [3, 4]]);
  // a = x₁ + x₂: 3 and 7; L_c = ½a².
  expect(e.loss(0)).toBe(4.5);
  expect(e.loss(1)).toBe(24.5);
  // Float32Array values are float32 as stored: Math.fround(0.1), as rows of those values give.
  const f = new ScalarEngine({ ...net, x: { examples: 1, data: new Float32Array([0.1]) }, y: { examples: 1, data: [0] } });
  expect(f.x).toEqual([[Math.fround(0.1)]]);
});

it("specRows (check's given x, y) and explain's whole document: the {examples, data} file is the rows file", () => {
  const typed: NetworkSpec = { ...net, x: { examples: 2, data: [0.1, 0.3] }, y: { examples: 2, data: [0, 0.5] } };
  expect(specRows(typed)).toEqual({ x: [[0.1], [0.3]], y: [[0], [0.5]] });
  const text = (s: NetworkSpec): string => explain(s, { decimals: 12 }, [], 'text');
  expect(text(typed)).toBe(text(rows));
  // ∂L/∂W at example 1 is (a − y)·x = 2·0.1·0.1 = 0.02: printed from the float64 x, not 0.020000000596.
  expect(text(typed)).toContain('0.020000000000');
});
