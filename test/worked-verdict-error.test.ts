/**
 * check's ✓ verdict gives the size of the error, |error| (nmut58 mutation audit): the 2-2-1 lecture prints its loss as
 * L = 0.2748 (lecture 001 line 46) where ½(y − ŷ)² = 0.2748111: the text is 1.1e-5 below, and the verdict says
 * "|error| 1.1e-5 ≤ 5e-5", not a negative size. Expected by hand: ŷ = σ(a_h1·0.40 + a_h2·0.45 + 0.60) in float64.
 */
import { describe, expect, it } from 'vitest';
import { lecture } from '../src/lectures/index.ts';
import { checkWorked } from '../src/worked/check.ts';
import { verdictText } from '../src/worked/report.ts';
import { isFormulaClaim } from '../src/worked/worked.ts';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

describe("check's verdict on a matching claim", () => {
  it('L printed 0.2748 against 0.2748111: "✓ matches (|error| 1.1e-5 ≤ 5e-5)"', () => {
    const aH1 = sigmoid(0.05 * 0.15 + 0.1 * 0.2 + 0.35);
    const aH2 = sigmoid(0.05 * 0.25 + 0.1 * 0.3 + 0.35);
    const loss = 0.5 * (0.01 - sigmoid(aH1 * 0.4 + aH2 * 0.45 + 0.6)) ** 2;
    expect(0.2748 - loss).toBeCloseTo(-1.1083e-5, 8); // the text is below the value: a negative error
    const result = checkWorked(lecture('lecture-2-2-1').worked);
    const k = result.checks.find((c) => c.claim.name === 'L' && !isFormulaClaim(c.claim) && c.claim.printed === 0.2748);
    expect(k).toBeDefined();
    expect(k!.error).toBeLessThan(0);
    expect(verdictText(k!)).toBe('✓ matches (|error| 1.1e-5 ≤ 5e-5)');
  });
});
