/**
 * The matrix line's places in the 2-2-1 lecture (nmut58 mutation audit): a first-layer weight's line says A₀ = X, and
 * the backend's line names the entry of dW at the weight's own row and column — w2 = W₁[0][1] (z_h1 = x1·w1 + x2·w2 + b1:
 * row 0, the unit fed, column 1, the input it comes from) is dW₁[0][1], not dW₁[1][0] (which is w3's). Expected values by
 * hand from lecture 001: ∂L/∂w2 = (ŷ − y)·ŷ(1 − ŷ)·w5·a_h1(1 − a_h1)·x2, ∂L/∂w3 = …·w6·a_h2(1 − a_h2)·x1.
 */
import { describe, expect, it } from 'vitest';
import { Model, validateSpec } from '../src/index.ts';
import { explain } from '../src/notation/index.ts';
import { lecture } from '../src/lectures/index.ts';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

async function cpuRun() {
  const { spec } = lecture('lecture-2-2-1').worked;
  const model = await Model.create(spec, { backend: 'cpu' });
  const { n, X } = validateSpec(spec).batch!;
  const run = { backend: model.kind, n, X, ...(await model.grad()) };
  model.dispose();
  return { spec, run };
}

/** The number after `label = ` on the backend's line. */
function backendValue(text: string, label: string): number {
  const m = new RegExp(`cpu: ${label.replace(/[[\]]/g, '\\$&')} = (\\S+);`).exec(text);
  expect(m, text).not.toBeNull();
  return Number(m![1].replace('−', '-'));
}

describe("explain's matrix line: the places it names", () => {
  // Lecture 001's forward pass, in float64.
  const aH1 = sigmoid(0.05 * 0.15 + 0.1 * 0.2 + 0.35);
  const aH2 = sigmoid(0.05 * 0.25 + 0.1 * 0.3 + 0.35);
  const yHat = sigmoid(aH1 * 0.4 + aH2 * 0.45 + 0.6);
  const delta2 = (yHat - 0.01) * yHat * (1 - yHat);
  const dw2 = delta2 * 0.4 * aH1 * (1 - aH1) * 0.1;
  const dw3 = delta2 * 0.45 * aH2 * (1 - aH2) * 0.05;

  it('w2 (W₁[0][1]) is dW₁[0][1] on the backend line, w3 (W₁[1][0]) dW₁[1][0]; both say A₀ = X', async () => {
    const { spec, run } = await cpuRun();
    for (const [name, place, row, col, want] of [['w2', 'dW₁[0][1]', 0, 1, dw2], ['w3', 'dW₁[1][0]', 1, 0, dw3]] as const) {
      const text = explain(spec, { param: name }, [run], 'text');
      expect(text).toContain(`matrix: ∂L/∂W₁ = δ₁·A₀ᵀ (A₀ = X); ${name} is entry [${row}][${col}]: row ${row} of δ₁ times column ${col} of A₀ᵀ (row ${col} of A₀)`);
      expect(Math.abs(backendValue(text, place) - want)).toBeLessThan(1e-9);
      expect(text).not.toContain(`cpu: ${place === 'dW₁[0][1]' ? 'dW₁[1][0]' : 'dW₁[0][1]'}`);
    }
  });

  it('a second-layer weight says no A₀ = X: w6 is row 0 of δ₂ times column 1 of A₁ᵀ', async () => {
    const { spec, run } = await cpuRun();
    const text = explain(spec, { param: 'w6' }, [run], 'text');
    expect(text).toContain('matrix: ∂L/∂W₂ = δ₂·A₁ᵀ; w6 is entry [0][1]: row 0 of δ₂ times column 1 of A₁ᵀ (row 1 of A₁)');
    expect(text).not.toContain('A₀ = X');
    expect(Math.abs(backendValue(text, 'dW₂[0][1]') - delta2 * aH2)).toBeLessThan(1e-8);
  });
});
