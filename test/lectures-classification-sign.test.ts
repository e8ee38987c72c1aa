/**
 * Lecture 003's classification half prints its output factor −(ŷ − y) (lines 150–171) and −(ŷ − ŷ) (lines 179–247):
 * as transcribed, a sign slip (or a y read as ŷ). The regression half of the same notes writes that factor −(y − ŷ)
 * throughout (lines 41–112), line 150 rewrites line 148's (ŷ − y)/(ŷ(1 − ŷ)) with a leading minus — a step that only
 * makes sense as −(y − ŷ)/(ŷ(1 − ŷ)) — and the OCR's −(ŷ − ŷ) shows it misplaces the hats of this very expression.
 * Read as −(y − ŷ), each of those claims is right: the errata stay confirmed as transcribed, each with that doubt.
 * Line 215 (∂L/∂b11) lacks the factor w²₁₁ in any reading, so it carries no such doubt.
 */
import { describe, expect, it } from 'vitest';
import { lecture } from '../src/lectures/index.ts';
import { checkWorked } from '../src/worked/check.ts';
import { type FormulaClaim, isFormulaClaim, parseWorked } from '../src/worked/worked.ts';

const SIGN_LINES = [150, 161, 163, 171, 179, 197, 207, 231, 241, 247];
const worked = lecture('lecture-classification').worked;

/** The formula with the factor as the regression half writes it: −(y − ŷ). */
const asRegression = (formula: string) => formula.replace('−(ŷ − y)', '−(y − ŷ)').replace('−(ŷ − ŷ)', '−(y − ŷ)');

describe('lecture 003 (classification): the output factor read as −(y − ŷ)', () => {
  const signed = worked.claims.filter((c): c is FormulaClaim => isFormulaClaim(c) && c.erratum !== undefined && /−\(ŷ − [yŷ]\)/.test(c.formula));

  it('the transcription has exactly these errata with the factor −(ŷ − y) or −(ŷ − ŷ)', () => {
    expect(signed.map((c) => c.line).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([...SIGN_LINES, 215].sort((a, b) => a - b));
  });

  it('read as −(y − ŷ), every one of them but line 215 matches the engine on both examples', () => {
    const read = parseWorked({ ...structuredClone(worked), claims: signed.map((c) => {
      const { erratum: _, ...rest } = structuredClone(c);
      return { ...rest, formula: asRegression(c.formula) };
    }) });
    const byLine = new Map<number, string[]>();
    for (const k of checkWorked(read).checks) byLine.set(k.claim.line ?? -1, [...(byLine.get(k.claim.line ?? -1) ?? []), k.status]);
    for (const line of SIGN_LINES) expect(byLine.get(line), `line ${line}`).toEqual(['match', 'match']);
    expect(byLine.get(215)).toEqual(['wrong', 'wrong']);
  });

  it('each of those errata is confirmed as transcribed, its doubt naming the reading −(y − ŷ); line 215 has none', () => {
    const checks = checkWorked(worked).checks;
    for (const line of SIGN_LINES) {
      const ks = checks.filter((k) => k.claim.line === line && k.claim.erratum && /−\(ŷ − [yŷ]\)/.test((k.claim as { formula?: string }).formula ?? ''));
      expect(ks.length, `line ${line}`).toBe(2);
      for (const k of ks) {
        expect(k.status, `line ${line}`).toBe('known-erratum');
        expect(k.claim.erratum?.doubt, `line ${line}`).toMatch(/−\(y − ŷ\)/);
        expect(k.claim.erratum?.doubt, `line ${line}`).toMatch(/regression half/);
      }
    }
    const b11 = checks.filter((k) => k.claim.line === 215);
    expect(b11.map((k) => k.status)).toEqual(['known-erratum', 'known-erratum']);
    expect(b11[0].claim.erratum?.doubt).toBeUndefined();
  });
});
