/**
 * The Output's fit view in numbers (src/lab/fit-stats.ts): RMSE and R² worked by hand on three points, the line's
 * samples, the plots' extents (the line's range in them), the sentence, and which view a net gets. Every expected value
 * below is worked on paper from the definitions: RMSE = √(Σ(y − ŷ)² / (n·K)), R² = 1 − SS_res / SS_tot with SS_tot the
 * targets' squares about their own output's mean.
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { curveExtent, curveXExtent, curveXs, drawnRows, finiteRange, fitScores, fitView, MAX_PLOTTED_POINTS, padRange, parityExtent, scoresLine } from '../src/lab/fit-stats.ts';

describe('fitScores: RMSE and R² on three points', () => {
  it.each([
    // y = 1, 2, 3 (mean 2, SS_tot = 1 + 0 + 1 = 2).
    // ŷ = 1.5, 2, 2.5: residuals −0.5, 0, 0.5, SS_res = 0.5; RMSE = √(0.5 / 3) = √(1/6); R² = 1 − 0.5 / 2 = 0.75.
    ['half-way to the mean', [1.5, 2, 2.5], Math.sqrt(1 / 6), 0.75],
    // ŷ = y: SS_res = 0, R² = 1.
    ['exact', [1, 2, 3], 0, 1],
    // ŷ = the mean everywhere: SS_res = SS_tot, R² = 0; RMSE = √(2 / 3).
    ['the mean', [2, 2, 2], Math.sqrt(2 / 3), 0],
    // ŷ = 3, 2, 1: residuals −2, 0, 2, SS_res = 8; R² = 1 − 8 / 2 = −3 (worse than the mean); RMSE = √(8 / 3).
    ['backwards', [3, 2, 1], Math.sqrt(8 / 3), -3],
  ])('%s', (_, yhat, rmse, r2) => {
    const s = fitScores([[1], [2], [3]], Float32Array.from(yhat), 1);
    expect(s.rows).toBe(3);
    expect(s.rmse).toBeCloseTo(rmse, 12);
    expect(s.r2).toBeCloseTo(r2, 12);
  });

  it('targets that do not vary: R² undefined (SS_tot = 0), RMSE still √(1/3)', () => {
    const s = fitScores([[2], [2], [2]], [2, 2, 3], 1);
    expect(s.r2).toBeUndefined();
    expect(s.rmse).toBeCloseTo(Math.sqrt(1 / 3), 12);
  });

  it('two outputs, the engine layout (K × n): residuals pooled, each output about its own mean', () => {
    // Rows (1, 10) and (3, 20); outputs A = [ŷ₁ of rows 1, 2 | ŷ₂ of rows 1, 2] = [1, 3 | 12, 18].
    // SS_res = 0 + 0 + 2² + 2² = 8; SS_tot = (1 + 1) about mean 2 + (25 + 25) about mean 15 = 52.
    // R² = 1 − 8 / 52 = 11 / 13; RMSE = √(8 / 4) = √2.
    const s = fitScores([[1, 10], [3, 20]], [1, 3, 12, 18], 2);
    expect(s.r2).toBeCloseTo(11 / 13, 12);
    expect(s.rmse).toBeCloseTo(Math.SQRT2, 12);
  });

  it('no rows: no R², and bad shapes are named before any work', () => {
    expect(fitScores([], [], 1)).toEqual({ rows: 0, rmse: NaN, r2: undefined });
    expect(() => fitScores([[1], [2]], [1, 2, 3], 1)).toThrow(SpecError);
    expect(() => fitScores([[1], [2]], [1, 2, 3], 1)).toThrow(/^fit\.outputs: has 3 values for 2 rows of 1 output \(needs 2\)$/);
    expect(() => fitScores([[1], [2, 3]], [1, 2, 3, 4], 2)).toThrow(/^fit\.y\[0\]: has 1 values, the net 2 outputs$/);
    expect(() => fitScores([[1]], [1], 0)).toThrow(/^fit\.outputs: needs a whole number of outputs ≥ 1, got 0$/);
  });
});

describe('the line and the extents', () => {
  it('curveXs: evenly spaced, both ends included; bad ranges and counts named', () => {
    expect(curveXs(-3, 3, 4)).toEqual([-3, -1, 1, 3]);
    expect(curveXs(0, 1, 2)).toEqual([0, 1]);
    expect(curveXs(0, 0.3, 4)[3]).toBe(0.3);
    // The last sample is hi itself, not lo + (hi − lo)·3/3 (−0.3 + 0.4 is 0.10000000000000009 in float64).
    expect(curveXs(-0.3, 0.1, 4)[3]).toBe(0.1);
    // lo = hi: count times lo (documented), not refused.
    expect(curveXs(2, 2, 3)).toEqual([2, 2, 2]);
    expect(() => curveXs(1, 0, 4)).toThrow(/^curve\.range: needs finite lo ≤ hi, got 1 … 0$/);
    expect(() => curveXs(0, NaN, 4)).toThrow(SpecError);
    expect(() => curveXs(0, 1, 1)).toThrow(/^curve\.count: needs a whole number of at least 2 samples, got 1$/);
  });

  it('finiteRange leaves a diverged net\'s NaN and ±Infinity out; padRange adds 5 % a side (±10 % of a lone value, ±1 at 0)', () => {
    expect(finiteRange([NaN, 2, -Infinity, -1, 5, Infinity])).toEqual([-1, 5]);
    expect(finiteRange([NaN])).toBeUndefined();
    expect(padRange([0, 2])).toEqual([-0.1, 2.1]);
    expect(padRange([3, 3])).toEqual([2.7, 3.3]);
    expect(padRange([-5, -5])).toEqual([-5.5, -4.5]);
    expect(padRange([0, 0])).toEqual([-1, 1]);
    expect(padRange(undefined)).toEqual([-1, 1]);
  });

  it('curve: x over the points padded; y over the points AND the line (its 4 widens the view), padded', () => {
    const x = curveXExtent([1, 3, 2]);
    expect(x[0]).toBeCloseTo(0.9, 12);
    expect(x[1]).toBeCloseTo(3.1, 12);
    // Targets 0 … 2, the line up to 4 (its NaN left out): 0 … 4, 0.2 a side.
    const e = curveExtent([0.9, 3.1], [0, 2, 1], [1, 4, NaN]);
    expect(e[0]).toBe(0.9);
    expect(e[1]).toBe(3.1);
    expect(e[2]).toBeCloseTo(-0.2, 12);
    expect(e[3]).toBeCloseTo(4.2, 12);
  });

  it('ŷ against y: one range for both axes over targets and outputs, so y = x is the diagonal', () => {
    // Targets 1, 3 and outputs 0, 2: 0 … 3, 0.15 a side on both axes.
    const e = parityExtent([1, 3], [0, 2]);
    [-0.15, 3.15, -0.15, 3.15].forEach((v, k) => expect(e[k]).toBeCloseTo(v, 12));
  });

  it('drawnRows: every row up to the cap, else the cap evenly spaced from the first', () => {
    expect(drawnRows(3)).toEqual([0, 1, 2]);
    const many = drawnRows(2 * MAX_PLOTTED_POINTS);
    expect(many.length).toBe(MAX_PLOTTED_POINTS);
    expect(many.slice(0, 3)).toEqual([0, 2, 4]);
    expect(many[many.length - 1]).toBe(2 * MAX_PLOTTED_POINTS - 2);
  });
});

describe('what the Output shows', () => {
  it('the sentence: training rows, then validation rows; a negative R² with a minus sign; no R² said so', () => {
    expect(scoresLine({ rows: 3, rmse: Math.sqrt(1 / 6), r2: 0.75 })).toBe('RMSE 0.4082 and R² 0.75 on 3 training rows.');
    expect(scoresLine({ rows: 3, rmse: Math.sqrt(8 / 3), r2: -3 }, { rows: 1, rmse: 2, r2: undefined }))
      .toBe('RMSE 1.633 and R² −3 on 3 training rows; RMSE 2 and R² not defined (the targets are all equal) on 1 validation row.');
    expect(scoresLine({ rows: 2, rmse: NaN, r2: NaN }, { rows: 0, rmse: NaN, r2: undefined })).toBe('RMSE not a number and R² not a number on 2 training rows.');
  });

  it('several outputs: the sentence says the scores are pooled over them (R² from the summed squares, not the mean of each output\'s R²)', () => {
    // The two-output case above: R² = 1 − 8 / 52 pooled; each output's own R² is 1 − 0 / 2 = 1 and 1 − 8 / 50 = 0.84,
    // their mean 0.92 (scikit-learn's default) — a reader must be told which of the two the page gives.
    const s = { rows: 2, rmse: Math.SQRT2, r2: 11 / 13 };
    expect(scoresLine(s, undefined, 2)).toBe('RMSE 1.414 and R² 0.8462 on 2 training rows; each score over the 2 outputs pooled (R² = 1 − ΣSS_res / ΣSS_tot, each output about its own mean; not the mean of the outputs\' R²).');
    expect(scoresLine(s, undefined, 1)).toBe('RMSE 1.414 and R² 0.8462 on 2 training rows.');
    expect(scoresLine(s)).toBe('RMSE 1.414 and R² 0.8462 on 2 training rows.');
  });

  it('one feature: the curve, any task; two or more: ŷ against y for a regression, the table alone otherwise', () => {
    expect(fitView({ inputs: 1, loss: 'mse' })).toBe('curve');
    expect(fitView({ inputs: 1, loss: 'softmax-cross-entropy' })).toBe('curve');
    expect(fitView({ inputs: 2, loss: 'mse' })).toBe('parity');
    expect(fitView({ inputs: 5, loss: 'mse' })).toBe('parity');
    expect(fitView({ inputs: 3, loss: 'bce' })).toBe('none');
  });
});
