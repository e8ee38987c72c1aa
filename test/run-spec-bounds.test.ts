/**
 * The counts a run is checked and reported with, at their edges (review cmut54: each case a surviving mutant):
 * a validation fraction's held-out examples are rounded, not cut (src/run-spec.ts heldOut), a spec's batchSize is
 * checked against the training examples that fraction leaves, not all of x (validateRun), the byte counts of the
 * budget's messages change unit at 1024 exactly (src/budget.ts formatBytes), and a budget error names the field to
 * change. Expected values worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { formatBytes } from '../src/budget.ts';
import { LimitError, SpecError } from '../src/errors.ts';
import { heldOut, validateRun } from '../src/run-spec.ts';
import { validateSpec } from '../src/spec.ts';
import { expectTyped, thrown } from './lib/typed.ts';

describe('heldOut: a validation fraction of n examples, rounded to the nearest', () => {
  it('0.25 of 6 is 1.5 → 2 held out; 0.3 of 10 is 3; 0.34 of 10 is 3.4 → 3; 0.35 of 10 is 3.5 → 4', () => {
    // NOTE: 0.35 · 10 is 3.5 in float64 exactly (0.35 is 0.34999999999999997779…, times 10 rounds to 3.5), and
    // Math.round takes a half up. A cut (floor) would hold out 1, 3, 3, 3.
    expect([heldOut(0.25, 6), heldOut(0.3, 10), heldOut(0.34, 10), heldOut(0.35, 10)]).toEqual([2, 3, 3, 4]);
  });

  it('all or none held out is refused, naming validation', () => {
    // 0.1 of 4 is 0.4 → 0: none held out; 0.9 of 4 is 3.6 → 4: none left to train on.
    expectTyped(thrown(() => heldOut(0.1, 4)), SpecError, 'validation', /holds out 0 of 4 examples/);
    expectTyped(thrown(() => heldOut(0.9, 4)), SpecError, 'validation', /holds out 4 of 4 examples/);
  });
});

describe('validateRun: batchSize against the training examples the validation fraction leaves', () => {
  it('8 examples, validation 0.25 (2 held out): batchSize 6 fits, 7 is refused naming the 6 training examples', () => {
    expect(validateRun({ batchSize: 6, validation: 0.25 }, undefined, 8).batchSize).toBe(6);
    expectTyped(thrown(() => validateRun({ batchSize: 7, validation: 0.25 }, undefined, 8)), SpecError, 'batchSize', /^batchSize: is 7, more than the 6 training examples of x$/);
  });

  it('without a fraction all of x trains: batchSize 8 of 8 fits, 9 is refused', () => {
    expect(validateRun({ batchSize: 8 }, undefined, 8).batchSize).toBe(8);
    expectTyped(thrown(() => validateRun({ batchSize: 9 }, undefined, 8)), SpecError, 'batchSize', /is 9, more than the 8 examples of x$/);
  });
});

describe('formatBytes: the unit changes at 1024 exactly', () => {
  it('1023 bytes; 1024 is 1.00 KiB; 1024² is 1.00 MiB, not 1024 KiB; 2³¹ is 2.00 GiB', () => {
    // 1024 / 1024 = 1 → 1.00 KiB; 1 048 576 / 1024 = 1024 → one unit more: 1.00 MiB; 2³¹ / 1024³ = 2 → 2.00 GiB.
    expect(formatBytes(1023)).toBe('1023 bytes');
    expect(formatBytes(1024)).toBe('1.00 KiB (1.024e+3 bytes)');
    expect(formatBytes(1024 * 1024)).toBe('1.00 MiB (1.049e+6 bytes)');
    expect(formatBytes(2 ** 31)).toBe('2.00 GiB (2.147e+9 bytes)');
  });
});

describe('the budget names what to change', () => {
  it('parameters over the budget in a layer whose fan-in is its larger factor: the layer below\'s units', () => {
    // inputs 1, 50 000 then 40 000 units: P₀ = 1·50 000 + 50 000 = 1e5, P₁ = 40 000·50 000 + 40 000 ≈ 2.0e9 values
    // (8 GB, over the default 2 GiB). Layer 1 holds the most; its fan-in (50 000) is larger than its units (40 000),
    // and what sets that fan-in is layers[0].units.
    const spec = {
      inputs: 1, layers: [{ units: 50000, activation: 'relu' }, { units: 40000, activation: 'sigmoid' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 },
    };
    expectTyped(thrown(() => validateSpec(spec)), LimitError, 'layers[0].units');
  });
});
