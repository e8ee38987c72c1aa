/**
 * A layer written as a superscript and the unit pair in plain digits — `w¹21`, as the worked examples' descriptions
 * (lecture 003: "w¹11 = 0.1, w¹21 = 0.2, … w²11 = 0.5") and src/lectures/ERRATA.md write them — names the same
 * parameter as `w¹₂₁` and `w^1_21`. It was read as the superscript 221 and refused ("'w¹21' is not a name in this net").
 * Expected places are the lectures' own (README "Naming conventions"): from-to, w^l_{kj} comes from unit k and feeds
 * unit j, so w¹21 (from IQ, input 2, into O11) is W₁[0][1]; to-from, w^l_{jk} feeds unit j from unit k, so w¹21 is W₁[1][0].
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainer } from '../src/notation/explain.ts';

const specOf = (id: string): unknown => JSON.parse(readFileSync(new URL(`../src/lectures/${id}.worked.json`, import.meta.url), 'utf8')).spec;

describe('a superscript layer before plain subscript digits (w¹21)', () => {
  it('names lecture 003\'s from-to weights as its description writes them', () => {
    const spec = specOf('lecture-classification');
    expect(explainer(spec, { param: 'w¹21' }).params).toEqual([{ kind: 'W', layer: 0, row: 0, col: 1 }]);
    expect(explainer(spec, { param: 'w¹12' }).params).toEqual([{ kind: 'W', layer: 0, row: 1, col: 0 }]);
    expect(explainer(spec, { param: 'w²11' }).params).toEqual([{ kind: 'W', layer: 1, row: 0, col: 0 }]);
    expect(explainer(spec, { param: '∂L/∂w²21' }).params).toEqual([{ kind: 'W', layer: 1, row: 0, col: 1 }]);
  });

  it('names to-from weights the other way round (lecture 004: w¹21 feeds h2 from x1)', () => {
    const spec = specOf('lecture-relu-exercise');
    expect(explainer(spec, { param: 'w¹21' }).params).toEqual([{ kind: 'W', layer: 0, row: 1, col: 0 }]);
    expect(explainer(spec, { param: 'w¹12' }).params).toEqual([{ kind: 'W', layer: 0, row: 0, col: 1 }]);
  });

  it('still refuses a name the net does not have in that spelling (w³11 of a 2-layer net)', () => {
    expect(() => explainer(specOf('lecture-classification'), { param: 'w³11' })).toThrow(/'w³11' is not a name in this net/);
  });
});
