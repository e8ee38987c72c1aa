/**
 * The lab's Training line, "N steps of SGD … : loss A → B" (src/lab/training.ts summarise, through fmtLossChange in
 * src/notation/numbers.ts), prints A and B at 5 significant digits, and more — up to float32's 7 — while they would
 * read alike but differ. Lecture 001's net at its learning rate η = 0.0001: a Train of 2 steps records the loss of
 * each step's pass, L before any step and L after the first; at 5 digits both were 0.27481, and a student checking
 * that the step lowered the loss read that it had not.
 *
 * Expected values: a float64 script written from lecture 001's formulas (forward pass, ½(y − ŷ)², the chain rule for
 * all eight parameters, one SGD step w − η·∂L/∂w), not the engine's output: L₀ = 0.274811083176155, L₁ =
 * 0.274807725490310 (after one step), L₂ = 0.274804367769836 (after two). The backends' losses are float32, so the
 * helper is given Math.fround of them.
 */
import { describe, expect, it } from 'vitest';
import { fmtLossChange } from '../src/notation/numbers.ts';

const L0 = Math.fround(0.274811083176155);
const L1 = Math.fround(0.27480772549031);
const L2 = Math.fround(0.274804367769836);

describe("the Training line's loss before → after", () => {
  it('lecture 001, one step at η = 0.0001: 0.274811 → 0.274808, the digits at which they differ (they read 0.27481 → 0.27481)', () => {
    expect(fmtLossChange(L0, L1)).toEqual(['0.274811', '0.274808']);
  });

  it('a change seen at 5 digits stays at 5: two steps, 0.27481 → 0.27480; 685.22 → 0.000042698 (the regression net trained)', () => {
    expect(fmtLossChange(L0, L2)).toEqual(['0.27481', '0.27480']);
    expect(fmtLossChange(685.2224765, 0.000042698)).toEqual(['685.22', '0.000042698']);
  });

  it('no more than float32 holds: two losses alike in 7 digits print at 7; equal ones, and a missing one, as before', () => {
    expect(fmtLossChange(0.27481108, 0.27481109)).toEqual(['0.2748111', '0.2748111']);
    expect(fmtLossChange(0.5, 0.5)).toEqual(['0.50000', '0.50000']);
    expect(fmtLossChange(undefined, undefined)).toEqual([undefined, undefined]);
  });
});
