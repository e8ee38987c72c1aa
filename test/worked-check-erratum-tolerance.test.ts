/**
 * A recorded erratum's own tolerances (src/worked/check.ts checkPrepared): a numeric erratum's correction is judged at
 * its own correctDecimals (½ unit of ITS last digit), not at the claim's printed rounding; a listed reading that is not
 * a number (0/0) differs from the value. Lecture 001's net worked by hand in float64 (as worked-check-slack-edges):
 * ∂L/∂ŷ = ŷ − y = 0.7413650695….
 */
import { describe, expect, it } from 'vitest';
import { lecture } from '../src/lectures/index.ts';
import { checkWorked } from '../src/notation/index.ts';
import { parseWorked } from '../src/worked/worked.ts';

const sig = (z: number): number => 1 / (1 + Math.exp(-z));
const aH1 = sig(0.05 * 0.15 + 0.1 * 0.2 + 0.35);
const aH2 = sig(0.05 * 0.25 + 0.1 * 0.3 + 0.35);
const dLdyHat = sig(aH1 * 0.4 + aH2 * 0.45 + 0.6) - 0.01;

const worked = (claims: unknown[]) => parseWorked({ format: 'backprop-worked-example/1', id: 'student', title: 'homework', source: 'homework 3', description: 'by hand', spec: lecture('lecture-2-2-1').worked.spec, claims }, 'student.worked.json');

describe('an erratum\'s tolerances', () => {
  it('printed 0.75 at 2 decimals, corrected to 0.742 at 4: the correction is 6.3e-4 off, past ½·10⁻⁴ — stale, not known', () => {
    expect(Math.abs(dLdyHat - 0.742)).toBeGreaterThan(0.5e-4);
    expect(Math.abs(dLdyHat - 0.742)).toBeLessThan(0.5e-2);
    const c = checkWorked(worked([{ name: '∂L/∂ŷ', printed: 0.75, decimals: 2, erratum: { correct: 0.742, correctDecimals: 4, why: 'a slip' } }])).checks[0]!;
    expect(c.erratum!.correctTolerance).toBeCloseTo(0.5e-4, 9);
    expect(c.status).toBe('stale-erratum');
    // 0.7414 at 4 decimals is 3.5e-5 off, within ½·10⁻⁴: the erratum holds.
    const ok = checkWorked(worked([{ name: '∂L/∂ŷ', printed: 0.75, decimals: 2, erratum: { correct: 0.7414, correctDecimals: 4, why: 'a slip' } }])).checks[0]!;
    expect(ok.status).toBe('known-erratum');
  });

  it('a reading that is not a number (0/0) differs from the value: the erratum is confirmed', () => {
    const c = checkWorked(worked([{ name: '∂L/∂ŷ', formula: '0.7513', decimals: 4, erratum: { correct: '0.7414', readings: ['0/0'], why: 'a slip' } }])).checks[0]!;
    expect(c.erratum!.readings.map((r) => r.differs)).toEqual([true]);
    expect(c.status).toBe('known-erratum');
  });
});
