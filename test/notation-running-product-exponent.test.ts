/**
 * A running product ("step by step") past 20 decimals keeps four significant digits in exponent form, as the ones before
 * it (hand.ts's NOTE; nmut58 mutation audit): a 1-1-1 sigmoid net with w1 = 25, w2 = 20, x = 1, y = 0 saturates both
 * units. By hand: a_h1(1 − a_h1) = σ'(25) ≈ e^−25 = 1.39e-11, ŷ(1 − ŷ) ≈ σ'(20) ≈ e^−20 = 2.06e-9 (as printed), and the
 * steps multiply the printed numbers: 1.0000 × 0.00000000206 = 0.000000002060; × 20 = 0.00000004120;
 * × 0.0000000000139 = 4.120e-8 × 1.39e-11 = 5.7268e-19, four digits 5.727e-19; × 1 = 5.727e-19.
 */
import { describe, expect, it } from 'vitest';
import { explain } from '../src/notation/index.ts';

const sigmoidPrime = (z: number): number => Math.exp(-z) / (1 + Math.exp(-z)) ** 2;

describe('step by step past 20 decimals', () => {
  it('0.00000004120 × 0.0000000000139 = 5.727e-19 (four digits), not 5.73e-19', () => {
    expect(sigmoidPrime(25)).toBeCloseTo(1.39e-11, 13);
    expect(sigmoidPrime(20)).toBeCloseTo(2.06e-9, 11);
    expect(4.12e-8 * 1.39e-11).toBeCloseTo(5.7268e-19, 23);
    const spec = {
      inputs: 1, layers: [{ units: 1, activation: 'sigmoid' as const }, { units: 1, activation: 'sigmoid' as const }], loss: 'mse' as const,
      params: { W: [[[25]], [[20]]], b: [[0], [0]] }, x: [[1]], y: [[0]],
    };
    const text = explain(spec, { param: 'w1' }, [], 'text');
    expect(text).toContain('= 1.0000 × 0.00000000206 × 20 × 0.0000000000139 × 1\n');
    expect(text).toContain('(step by step: 1.0000 × 0.00000000206 = 0.000000002060; × 20 = 0.00000004120; × 0.0000000000139 = 5.727e-19; × 1 = 5.727e-19)');
  });
});
