/**
 * A name's spellings reduced to one key (src/notation/symbols.ts normalizeName) against a crafted name in a spec's
 * `notation` (a share link, a spec file: the lab reads them as it loads): two of its LaTeX rewrites backtracked over
 * the whole name from every place they could start. Expected keys are worked by hand from the rewrite rules. No
 * timing is asserted: each big case took about a minute before its fix (a vitest timeout), and a small case beside
 * it checks the same rule.
 */
import { describe, expect, it } from 'vitest';
import { normalizeName } from '../src/notation/symbols.ts';

describe('\\hat with blanks around its brace', () => {
  it('reads \\hat y, \\hat{y} and \\hat  {  y } as ŷ, and leaves a \\hat of no letter as written (blanks dropped)', () => {
    for (const t of ['\\hat y', '\\hat{y}', '\\hat  {  y }', '\\haty']) expect(normalizeName(t), t).toBe('ŷ');
    expect(normalizeName('\\hat   !')).toBe('\\hat!');
    expect(normalizeName('\\hat { 7 }')).toBe('\\hat7');
  });

  it('refuses 400 000 blanks after \\hat in one pass (it was about a minute)', () => {
    expect(normalizeName(`\\hat${' '.repeat(400_000)}!`)).toBe('\\hat!');
  }, 30_000);
});

describe('\\mathrm{…} and its kin unwrapped', () => {
  it('unwraps each up to its first }, as before, and leaves one without a } as written (braces dropped)', () => {
    expect(normalizeName('\\mathrm{CGPA}')).toBe('CGPA');
    expect(normalizeName('\\text {a}\\mathrm{b}_\\operatorname{c}')).toBe('ab_c');
    // Up to the first }: '\mathrm{a{b}}' is 'a{b' and a }, both braces then dropped.
    expect(normalizeName('\\mathrm{a{b}}')).toBe('ab');
    expect(normalizeName('\\mathit{x}\\mathrm{y')).toBe('x\\mathrmy');
    // A command inside the argument is the argument's text: '\text{a' is unwrapped, the } after a dropped with the braces.
    expect(normalizeName('\\mathrm{\\text{a}}')).toBe('\\texta');
    expect(normalizeName('\\mathrm x')).toBe('\\mathrmx');
  });

  it('reads 160 000 \\mathrm{ without a } in one pass (it was about a minute)', () => {
    expect(normalizeName('\\mathrm{'.repeat(160_000))).toBe('\\mathrm'.repeat(160_000));
  }, 30_000);
});
