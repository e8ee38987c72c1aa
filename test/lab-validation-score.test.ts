/**
 * The Output's sentence on the validation rows (src/lab/validation-score.ts validationScore): a classification's
 * accuracy by the engine's rule (one sigmoid output class 1 at ŷ ≥ 0.5) with the loss per example, a regression's loss
 * alone, nothing without validation rows. Worked by hand: ŷ = σ(x) (W = 1, b = 0), BCE the mean of −ln of the
 * probability given to each row's true class.
 */
import { describe, expect, it } from 'vitest';
import { validationScore } from '../src/lab/validation-score.ts';
import { validateNet } from '../src/spec.ts';

const bce = validateNet({ inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce' });
const s = { net: bce, params: { W: [Float32Array.from([1])], b: [Float32Array.from([0])] } } as never;

describe('validationScore', () => {
  it('4 rows x = 2, −1, 0, −3, true 1, 0, 0, 0: predicted 1, 0, 1 (σ(0) = 0.5), 0 → 3 of 4; loss the mean BCE', () => {
    const validation = { x: [[2], [-1], [0], [-3]], y: [[1], [0], [0], [0]], labels: [1, 0, 0, 0] };
    // −ln σ(2) = ln(1 + e⁻²), −ln(1 − σ(−1)) = ln(1 + e⁻¹), −ln ½ = ln 2, −ln(1 − σ(−3)) = ln(1 + e⁻³).
    const loss = (Math.log(1 + Math.exp(-2)) + Math.log(1 + Math.exp(-1)) + Math.log(2) + Math.log(1 + Math.exp(-3))) / 4;
    expect(loss.toPrecision(4)).toBe('0.2955');
    expect(validationScore(s, { validation, labels: [1, 0] })).toBe('validation accuracy 75.0 % (loss 0.2955) on 4 held-out rows');
  });

  it('a regression (no labels): the loss alone — here 0, the outputs the targets', () => {
    const mse = validateNet({ inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse' });
    const r = { net: mse, params: { W: [Float32Array.from([2])], b: [Float32Array.from([0])] } } as never;
    const validation = { x: [[1], [-2]], y: [[2], [-4]], labels: [] };
    expect(validationScore(r, { validation })).toBe('validation loss 0.000 on 2 held-out rows');
  });

  it('no validation rows, or none in it: nothing', () => {
    expect(validationScore(s, { labels: [1] })).toBeUndefined();
    expect(validationScore(s, { validation: { x: [], y: [], labels: [] }, labels: [1] })).toBeUndefined();
  });
});
