/**
 * bce's overflow note in a batch names the z of the example whose ∂L_c/∂ŷ overflows (nmut58 mutation audit): one
 * sigmoid unit, w = 1, b = 0, x = (1, 800), y = (0, 0). Example 2's z_out = 1·800 + 0 = 800, ŷ = σ(800) rounds to 1,
 * and ∂L₂/∂ŷ = (1 − y)/(1 − ŷ) = 1/σ(−800) = e^800, past float64's 1.8e308 (from z = 709.78); example 1's z_out = 1,
 * ∂L₁/∂ŷ = 1/σ(−1) ≈ 3.72, finite, so it has no note. Worked by hand from BCE's ∂L/∂ŷ = −y/ŷ + (1 − y)/(1 − ŷ).
 */
import { describe, expect, it } from 'vitest';
import { explain } from '../src/notation/index.ts';

const spec = {
  inputs: 1, layers: [{ units: 1, activation: 'sigmoid' as const }], loss: 'bce' as const,
  params: { W: [[[1]]], b: [[0]] }, x: [[1], [800]], y: [[0], [0]],
};

describe("bce's overflow note names its own example's z", () => {
  it('text and md: "∂L₂/∂ŷ overflows float64 at z_out = 800", once, and no note for example 1', () => {
    expect(Number.isFinite(Math.exp(800))).toBe(false);
    const text = explain(spec, { param: 'w1' }, [], 'text');
    const notes = text.split('\n').filter((l) => l.includes('overflows'));
    expect(notes.map((l) => l.trim())).toEqual(['(∂L₂/∂ŷ overflows float64 at z_out = 800: ∂L₂/∂ŷ · ∂ŷ/∂z_out = ∂L₂/∂z_out = ŷ − y)']);
    const md = explain(spec, { param: 'w1' }, [], 'md');
    expect(md.split('\n').filter((l) => l.includes('overflows'))).toEqual(['∂L₂/∂ŷ overflows float64 at z_out = 800: ∂L₂/∂ŷ · ∂ŷ/∂z_out = ∂L₂/∂z_out = ŷ − y.']);
  });
});
