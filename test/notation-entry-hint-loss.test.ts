/**
 * A matrix entry given where a name belongs (`dW₂[0][0]`, copied from explain's matrix line) is told the gradient it
 * is in the net's names — with the net's own loss letter. Lecture 002's loss is E (E = ½(A3 − y_t)², and it writes
 * ∂E/∂w31, line 39), so dW₂[0][0] (W₂[0][0] feeds z3 from A1: w31) is ∂E/∂w31; the hint said ∂L/∂w31, which the
 * same --param then refuses ("'L' is not this net's loss"). Lecture 004's loss is J and its W₂[0][0] is v1.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainer } from '../src/notation/explain.ts';

const specOf = (id: string): unknown => JSON.parse(readFileSync(new URL(`../src/lectures/${id}.worked.json`, import.meta.url), 'utf8')).spec;

describe("a matrix entry's hint names the gradient with the net's loss", () => {
  it('lecture 002 (loss E): dW₂[0][0] is ∂E/∂w31, a name --param takes', () => {
    const spec = specOf('lecture-2-2-1-nobias');
    expect(() => explainer(spec, { param: 'dW2[0][0]' })).toThrow(/dW2\[0\]\[0\] is an entry of the matrix form, ∂E\/∂w31 in this net's names/);
    expect(explainer(spec, { param: '∂E/∂w31' }).params).toEqual([{ kind: 'W', layer: 1, row: 0, col: 0 }]);
  });

  it('lecture 004 (loss J): dW₂[0][1] is ∂J/∂v2; W₂[0][1] (no d) is v2', () => {
    const spec = specOf('lecture-relu-exercise');
    expect(() => explainer(spec, { param: 'dW₂[0][1]' })).toThrow(/is an entry of the matrix form, ∂J\/∂v2 in this net's names/);
    expect(() => explainer(spec, { param: 'W₂[0][1]' })).toThrow(/is an entry of the matrix form, v2 in this net's names/);
  });
});
