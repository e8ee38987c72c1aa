/**
 * The Notation tab's sentence for a per-unit bias (src/lab/explain-panel.ts whereText): its gradient is row i of δ
 * summed over the examples — but with one example (the lecture nets) δ has one column, and the sentence still said
 * "the sum over the examples of row 0 of δ₂", a sum of one term. Now it says the row for the one example, as the
 * weights' sentence does ("for the one example"); with several examples the sum stays.
 * Expected sentences written from the maths: db₂ = δ₂·1, a 1 × 1 δ₂ for lecture 2-2-1's output unit (z_out, so δ_out).
 */
import { describe, expect, it } from 'vitest';
import { explanationModel } from '../src/lab/explain-panel.ts';
import { lecture } from '../src/lectures/index.ts';
import { B, s232 } from './lib/explain-nets.ts';

function whereOf(e: ReturnType<typeof explanationModel>): string {
  if ('error' in e.matrix) throw new Error(e.matrix.error);
  return e.matrix.where;
}

describe('a per-unit bias\'s sentence in the matrix form', () => {
  it('one example (lecture 2-2-1, b2): row 0 of δ₂ for the one example, no sum over the examples', () => {
    const where = whereOf(explanationModel({ spec: lecture('lecture-2-2-1').worked.spec, param: B(1, 0) }));
    expect(where).toBe('b2 is entry [0] of db₂: row 0 of δ₂ (δ_out for the one example).');
    expect(where).not.toContain('sum');
  });

  it('two examples (2-3-2, mean): still the sum over the examples of row 0 of δ₂, divided by N = 2', () => {
    const where = whereOf(explanationModel({ spec: s232, param: B(1, 0) }));
    expect(where).toContain(': the sum over the examples of row 0 of δ₂ (');
    expect(where).toContain(', divided by N = 2 (mean).');
  });
});
