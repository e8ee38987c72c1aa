/**
 * explain's f' for a leaky_relu unit (src/notation/format.ts): the text and LaTeX name both sides of the kink, and the
 * value is 1 where z > 0 and 0.01 where z ≤ 0 — worked by hand here on a 2-2-1 net: x = (1, −2),
 * z_h1 = 0.5·1 − 0.25·(−2) + 0.125 = 1.125 > 0 and z_h2 = −0.75·1 + 1·(−2) − 0.5 = −3.25 ≤ 0.
 */
import { expect, it } from 'vitest';
import { explain } from '../src/notation/explain.ts';

const spec = {
  inputs: 2, layers: [{ units: 2, activation: 'leaky_relu' }, { units: 1, activation: 'identity' }], loss: 'mse',
  params: { W: [[[0.5, -0.25], [-0.75, 1]], [[0.5, -1]]], b: [[0.125, -0.5], [0.1]] }, x: [[1, -2]], y: [[1]],
};

it("names leaky_relu's f' as [z > 0] + 0.01·[z ≤ 0], 1 on z_h1's side of the kink and 0.01 on z_h2's", () => {
  // ŷ = 0.5·1.125 − 1·(0.01·(−3.25)) + 0.1 = 0.695; ∂L/∂ŷ = ŷ − y = −0.305.
  const w1 = explain(spec, { param: 'w1' }, [], 'text');
  expect(w1).toContain('w5 · ([z_h1 > 0] + 0.01·[z_h1 ≤ 0]) · x1');
  expect(w1).toContain('= (−0.3050) × 1 × 0.5 × 1 × 1');
  const w3 = explain(spec, { param: 'w3' }, [], 'text');
  expect(w3).toContain('w6 · ([z_h2 > 0] + 0.01·[z_h2 ≤ 0]) · x1');
  expect(w3).toContain('= (−0.3050) × 1 × (−1) × 0.0100 × 1');
  const latex = explain(spec, { param: 'w3' }, [], 'latex');
  expect(latex).toMatch(/\[z_\{?h2\}? > 0\] \+ 0\.01 \\cdot \[z_\{?h2\}? \\le 0\]/);
});

it("names the factor it prints: ∂a_h2/∂z_h2, leaky_relu's f' at z_h2 (the chain rule's local factor, not ∂z/∂z)", () => {
  // The chain rule through h2: ∂L/∂w3 = ∂L/∂ŷ · ∂ŷ/∂z_out · ∂z_out/∂a_h2 · ∂a_h2/∂z_h2 · ∂z_h2/∂w3
  // = (−0.305) · 1 · (−1) · 0.01 · 1 = 0.00305.
  const text = explain(spec, { param: 'w3' }, [], 'text');
  expect(text).toContain('∂L/∂w3 = ∂L/∂ŷ · ∂ŷ/∂z_out · ∂z_out/∂a_h2 · ∂a_h2/∂z_h2 · ∂z_h2/∂w3');
  expect(text).toContain('scalar total, float64: 0.00305');
  const latex = explain(spec, { param: 'w3' }, [], 'latex');
  expect(latex).toContain('\\frac{\\partial a_{h2}}{\\partial z_{h2}} \\cdot \\frac{\\partial z_{h2}}{\\partial w_{3}}');
});
