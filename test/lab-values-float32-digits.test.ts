/**
 * The lab's stage line (the loss) and its "Parameters after the update" table print a backend's float32 numbers
 * (src/lab/views.ts drawValues, through fmtStored in src/notation/numbers.ts). float32 holds about 7 significant
 * digits, so no more are printed: on lecture 003's regression net the summed loss is 1370.444953 in float64 and
 * 1370.44507 in float32, which the stage line printed at 4 decimals as 1370.4451 — a digit float32 does not have, and
 * one a student's hand work (1370.4450) disagrees with; the table printed ∂L/∂w¹₁₁ as −101.8594055 (the float32 of
 * −101.8594). As the CLI's grad prints them: 1370.445, −101.8594.
 *
 * Expected values: a float64 script written from lecture 003's formulas (regression half: O = W¹·x + b¹, ŷ =
 * w²₁₁·O11 + w²₂₁·O12 + b21, L = Σ ½(y − ŷ)², ∂L/∂ŷ = −(y − ŷ) per row, summed over the rows (3.3, 8 → 20), (2.9, 9 →
 * 50)) at the worked example's chosen weights, not the engine's output. Each printed number must print only digits
 * float32 holds and agree with it (`agrees`).
 */
import { describe, expect, it } from 'vitest';
import { Model } from '../src/index.ts';
import { lecture } from '../src/lectures/index.ts';
import { fmtStored } from '../src/notation/numbers.ts';

/** Float64, by hand (the lecture's formulas; /tmp/student60/hand2.py of the review that added this file). */
const HAND = {
  loss: 1370.444953,
  // ∂L/∂W¹ rows [w¹₁₁, w¹₂₁], [w¹₁₂, w¹₂₂]; ∂L/∂W² [w²₁₁] (w²₂₁'s −0.75122 is left out: its float32 sum cancels,
  // −3.19447 + 2.44325, and is off in its 6th digit on every backend — a float32 error, not one of printing).
  W: [[-101.8594, -295.0565], [-142.60316, -413.0791], [-141.77728]],
  b: [-33.828, -47.3592, -67.656],
};

/** The gap between float32 numbers at |v|: 2^(e − 23) for 2^e ≤ |v| < 2^(e+1). */
const ulp32 = (v: number): number => 2 ** (Math.floor(Math.log2(Math.abs(v))) - 23);
const decimalsOf = (printed: string): number => (printed.includes('.') ? printed.length - printed.indexOf('.') - 1 : 0);

/**
 * A printed float32 value against the hand value: its last digit is one float32 holds (its unit, 10^−decimals, no
 * finer than the float32 spacing at the value), and it agrees with the hand value within half that unit and two
 * float32 spacings (the backend's own rounding in the sums: lecture 003's db21 is −67.656005859 in float32, one
 * spacing from the float32 nearest −67.656, so at 7 significant digits −67.65601).
 */
function agrees(printed: string, hand: number): boolean {
  const v = Number(printed.replace('−', '-'));
  const unit = 10 ** -decimalsOf(printed);
  return unit >= ulp32(hand) && Math.abs(v - hand) <= 0.5 * unit + 2 * ulp32(hand);
}

describe('the lab prints float32 values at the digits float32 holds', () => {
  it('lecture 003 (regression), CPU backend: the loss at the stage line\'s 4 decimals and the gradients at the table\'s 7 agree with float64', async () => {
    const model = await Model.create(lecture('lecture-regression').worked.spec, { backend: 'cpu' });
    try {
      const { loss, dW, db } = await model.grad();
      const shown = fmtStored(loss, 4);
      expect(shown).toBe('1370.445');
      expect(agrees(shown, HAND.loss), `${shown} vs ${HAND.loss}`).toBe(true);
      // dW[l] row-major (units × fanIn): W¹ = [[w¹₁₁, w¹₂₁], [w¹₁₂, w¹₂₂]] (from-to names), W² = [[w²₁₁, w²₂₁]].
      const got = [[dW[0][0], dW[0][1]], [dW[0][2], dW[0][3]], [dW[1][0]]];
      got.forEach((row, i) => row.forEach((g, j) => {
        const s = fmtStored(g, 7);
        expect(agrees(s, HAND.W[i][j]), `W ${i},${j}: ${s} vs ${HAND.W[i][j]}`).toBe(true);
      }));
      const gb = [db[0][0], db[0][1], db[1][0]];
      gb.forEach((g, k) => {
        const s = fmtStored(g, 7);
        expect(agrees(s, HAND.b[k]), `b ${k}: ${s} vs ${HAND.b[k]}`).toBe(true);
      });
    } finally {
      model.dispose();
    }
  });

  it('below the cap it prints as fmtValue: lecture 001\'s 0.2748 and 0.0821670, w1\'s 0.0006684, an integer as one', () => {
    // Hand values (float64): L = 0.274811083, ∂L/∂w5 = 0.0821670406, ∂L/∂w1 = 0.000668396.
    expect(fmtStored(0.274811083, 4)).toBe('0.2748');
    expect(fmtStored(0.0821670406, 7)).toBe('0.0821670');
    expect(fmtStored(0.000668396, 7)).toBe('0.0006684');
    expect(fmtStored(-1, 7)).toBe('−1');
    expect(fmtStored(0, 7)).toBe('0');
  });
});
