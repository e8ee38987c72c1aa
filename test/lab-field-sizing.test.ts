/**
 * The number fields that size to their number (src/lab/style.css, @supports (field-sizing: content); spacing62: with
 * the WCAG 1.4.12 text spacing their fixed widths cut 0.000125 to "0.00012") keep their old width as a minimum and
 * grow only so far. Unbounded, the Fit bar's fields grew with whatever was typed or pasted: their max-width: 100% is
 * of the label around them, which grows with them, so a 60-digit lr was 561 px wide in the 372 px Training region of a
 * 390 px phone and the page scrolled sideways by 259 px (measured in headless Chromium). Read from the style sheet's
 * rules (test/lib/css-cascade.ts): each field's minimum is the width the same selector has outside the block, and its
 * maximum a length of its own, whatever the box around it.
 */
import { describe, expect, it } from 'vitest';
import { labCss, rulesOf } from './lib/css-cascade.ts';

const rules = rulesOf(labCss());
const sized = rules.filter((r) => r.decls.get('field-sizing') === 'content');

/**
 * A max-width's bound in em, or NaN where it is not a length: a percentage (min(100%, …) too) is of the label around
 * the field, and is no bound on the label's own width (in Chromium the label still took the 60 digits' width).
 */
const boundEm = (value: string): number => Number(value.match(/^(\d+(?:\.\d+)?)em$/)?.[1] ?? NaN);
const em = (v: string | undefined): number => Number(v?.match(/^(\d+(?:\.\d+)?)em$/)?.[1] ?? NaN);

describe('field-sizing: content fields', () => {
  const selectors = sized.flatMap((r) => r.selectors);

  it('are the Fit bar\'s, the Steps field and the layers table\'s number fields', () => {
    expect(selectors).toEqual(expect.arrayContaining(['#fitbar #fit-lr', '#fitbar #fit-epochs', '#train-steps', ".editor table.layers input[type='number']"]));
  });

  it('each no narrower than its width outside the block (its old width), and growing to a length in em, no percentage', () => {
    for (const sel of selectors) {
      // The width the selector has where the browser cannot size to content (a rule without field-sizing).
      const old = em(rules.filter((r) => r.selectors.includes(sel) && !r.decls.has('field-sizing') && r.decls.has('width')).at(-1)?.decls.get('width'));
      const min = em(rules.filter((r) => r.selectors.includes(sel) && r.decls.has('min-width')).at(-1)?.decls.get('min-width'));
      expect(old, sel).toBeGreaterThan(0);
      expect(min, sel).toBe(old);
      // The bound: the last max-width for the selector among the rules that size to content (the same rule).
      const max = sized.filter((r) => r.selectors.includes(sel) && r.decls.has('max-width')).at(-1)?.decls.get('max-width');
      expect(max, `${sel}: no max-width of its own`).toBeDefined();
      const bound = boundEm(max!);
      expect(Number.isFinite(bound), `${sel}: ${max} is not a length: it grows with its label`).toBe(true);
      expect(bound, sel).toBeGreaterThan(min);
    }
  });
});
