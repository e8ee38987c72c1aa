/**
 * Digits explain prints that no test pinned (nmut58 mutation audit): the float64 total keeps 10 significant digits (the
 * README's `scalar total, float64: 0.08216704056` for the 2-2-1 lecture's ∂L/∂w5), and an exact integer result up to
 * 10⁷ is printed as an integer (`2000000`, not `2000000.0000`), as numbers.ts's fmtValue says. Expected values are
 * worked by hand from the lecture's formulas: ∂L/∂w5 = (ŷ − y)·ŷ(1 − ŷ)·a_h1 in float64, and 2·1000 = 2000.
 */
import { describe, expect, it } from 'vitest';
import { explain } from '../src/notation/index.ts';
import { fmtFull, fmtValue } from '../src/notation/numbers.ts';
import { lecture } from '../src/lectures/index.ts';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

describe('explain: the float64 total at 10 significant digits', () => {
  it("the 2-2-1 lecture's ∂L/∂w5: scalar total, float64: 0.08216704056 (README)", () => {
    // Lecture 001: x = (0.05, 0.10), w1…w6 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, b1 = 0.35 (shared), b2 = 0.60, y = 0.01.
    const aH1 = sigmoid(0.05 * 0.15 + 0.1 * 0.2 + 0.35);
    const aH2 = sigmoid(0.05 * 0.25 + 0.1 * 0.3 + 0.35);
    const yHat = sigmoid(aH1 * 0.4 + aH2 * 0.45 + 0.6);
    const dw5 = (yHat - 0.01) * yHat * (1 - yHat) * aH1;
    expect(dw5).toBeCloseTo(0.0821670406, 10); // the README's 0.08216704056, to its tenth digit
    const text = explain(lecture('lecture-2-2-1').worked.spec, { param: 'w5' }, [], 'text');
    expect(text).toContain('  scalar total, float64: 0.08216704056\n');
  });

  it('fmtFull: ten significant digits, exponent form below 1e-4', () => {
    expect(fmtFull(2 / 3)).toBe('0.6666666667');
    expect(fmtFull(-1234.56789012345)).toBe('−1234.56789');
    expect(fmtFull(1 / 30000)).toBe('3.333333333e-5');
  });
});

describe('explain: an exact integer result is printed as an integer up to 10⁷', () => {
  it('an identity unit, w = 2, x = 1000, y = 0: ∂L/∂w1 = 2000 × 1 × 1000 = 2000000', () => {
    const spec = {
      inputs: 1, layers: [{ units: 1, activation: 'identity' as const }], loss: 'mse' as const,
      params: { W: [[[2]]], b: [[0]] }, x: [[1000]], y: [[0]],
    };
    // ŷ = 2·1000 + 0 = 2000; ∂L/∂ŷ = ŷ − y = 2000, ∂ŷ/∂z = 1, ∂z/∂w1 = x1 = 1000: 2 000 000, an integer below 10⁷.
    const text = explain(spec, { param: 'w1' }, [], 'text');
    expect(text).toContain('= 2000 × 1 × 1000\n');
    expect(text).toMatch(/\n\s+= 2000000\n/);
    expect(fmtValue(1234, 4)).toBe('1234');
    expect(fmtValue(-9999999, 2)).toBe('−9999999');
    expect(fmtValue(10_000_000, 4)).toBe('1.0000e+7');
  });
});
