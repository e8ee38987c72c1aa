/**
 * The Notation tab's panel (src/lab/explain-panel.ts explanationModel) counts a spec's examples in either form the
 * engine takes: x as rows, or example-major {examples, data} (NetworkSpec.x is DataInput since spec57). It counted an
 * {examples, data} x as 1 example (Array.isArray(spec.x) ? spec.x.length : 1), so the two-example net's note said
 * nothing of example 2 and the mean's "divided by N = 2" was left out. Expected words from the maths: net 2-3-2 with
 * 2 examples and the mean reduction (test/lib/explain-nets.ts s232): the gradient is a sum over 2 examples divided by
 * N = 2, and the chain rule works example 1 path by path, example 2 by its total.
 */
import { expect, it } from 'vitest';
import { explanationModel } from '../src/lab/explain-panel.ts';
import type { NetworkSpec } from '../src/spec.ts';
import { B, s232, W } from './lib/explain-nets.ts';

/** s232's x, y as {examples: 2, data} (example-major: example c's features at c × features …). */
const typed: NetworkSpec = { ...s232, x: { examples: 2, data: [1, 2, -0.5, 0.3] }, y: { examples: 2, data: new Float64Array([1, 0, 0, 1]) } };

it('an {examples, data} x of 2 examples: the note speaks of example 2, and the bias sentence divides by N = 2', () => {
  const m = explanationModel({ spec: typed, param: W(1, 0, 0) });
  if ('error' in m.scalar) throw new Error(m.scalar.error);
  expect(m.scalar.note).toBe('Every path is worked for example 1, example 2 by its total.');
  const b = explanationModel({ spec: typed, param: B(1, 0) });
  if ('error' in b.matrix) throw new Error(b.matrix.error);
  expect(b.matrix.where).toContain(': the sum over the examples of row 0 of δ₂ (');
  expect(b.matrix.where).toContain(', divided by N = 2 (mean).');
});

it('the same words as for the rows form', () => {
  const words = (spec: NetworkSpec) => {
    const m = explanationModel({ spec, param: B(1, 0) });
    // Copy text's string is made at the press (a function in the model): compared as the string it makes.
    return [('error' in m.scalar ? m.scalar : { ...m.scalar, text: m.scalar.text() }), m.matrix];
  };
  expect(words(typed)).toEqual(words(s232));
});
