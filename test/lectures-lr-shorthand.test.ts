/**
 * Lecture 001 writes its update rule (line 102) as W_new = W_old − {∂L/∂W_old}, the learning rate .0001 set beside it
 * ('.0001 ← LR'), not in the product; the transcription reads that rule as w5 − η × ∂L/∂w5 (a match). Line 120,
 * New w6 = 0.45 − (∂L/∂w6), is the same shorthand: as printed it is wrong (the step is 10 000 times too large), but
 * read as the rule of line 102 is read, it matches. So its erratum is confirmed as transcribed, with that doubt, and
 * its why must not say that line 102 multiplies by 0.0001 (it does not, as printed).
 */
import { describe, expect, it } from 'vitest';
import { lecture } from '../src/lectures/index.ts';
import { checkWorked } from '../src/worked/check.ts';
import { isFormulaClaim } from '../src/worked/worked.ts';

const checks = checkWorked(lecture('lecture-2-2-1').worked).checks;
const at = (line: number) => checks.filter((k) => k.claim.line === line && isFormulaClaim(k.claim));

describe('lecture 001: the update rule without the learning rate in its product (lines 102 and 120)', () => {
  it('line 102 is read with η and matches; the same rule for w6 is 0.45 − 0.0001 × ∂L/∂w6 = 0.44999173', () => {
    expect(at(102).map((k) => k.status)).toEqual(['match']);
    // by hand: 0.45 − 0.0001 × 0.0826676278 = 0.4499917332 (∂L/∂w6 = δ_out·a_h2, lecture 001's net in float64)
    expect(at(120)[0].value).toBeCloseTo(0.4499917332, 9);
  });

  it("line 120's erratum is confirmed as transcribed with a doubt naming line 102's shorthand", () => {
    const [k] = at(120);
    expect(k.status).toBe('known-erratum');
    expect(k.claim.erratum?.doubt).toMatch(/line 102/);
    expect(k.claim.erratum?.doubt).toMatch(/\.0001 ← LR/);
    expect(k.claim.erratum?.why).not.toMatch(/rule on line 102[^.]*multiply/);
  });
});
