/**
 * The scalar engine's "say which example" error writes ∂L/∂(a node) with the net's own loss letter, as its other errors
 * do (the constructor's `loss` option: "its errors' derivatives use it"; test/notation-loss-letter-errors.test.ts): an
 * engine whose loss is E said "∂L/∂(a node) is a value per example", a name that net does not have (nmut58). Expected
 * messages written from the letters: ∂E/∂(a node) for E, ∂L/∂(a node) when no letter is given.
 */
import { describe, it } from 'vitest';
import { NotationError } from '../src/errors.ts';
import { ScalarEngine } from '../src/notation/scalar.ts';
import { expectTyped, thrown } from './lib/typed.ts';

const spec = {
  inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse',
  params: { W: [[[1]]], b: [[0]] }, x: [[1], [2]], y: [[0], [0]],
};
const dLda = { kind: 'deriv', of: 'loss', wrt: { kind: 'node', node: { kind: 'a', layer: 0, unit: 0 } } } as const;

describe('∂L/∂(a node) on a batch without an example: the loss letter', () => {
  it('loss E: "∂E/∂(a node) is a value per example and the batch has 2 examples: say which example"', () => {
    const engine = new ScalarEngine(spec, { loss: 'E' });
    expectTyped(thrown(() => engine.value(dLda)), NotationError, 'example', /^example: ∂E\/∂\(a node\) is a value per example and the batch has 2 examples: say which example$/);
    expectTyped(thrown(() => engine.expand(dLda)), NotationError, 'example', /^example: ∂E\/∂\(a node\) is a value/);
  });

  it('no letter given: ∂L/∂(a node), as before', () => {
    const engine = new ScalarEngine(spec);
    expectTyped(thrown(() => engine.value(dLda)), NotationError, 'example', /^example: ∂L\/∂\(a node\) is a value per example/);
  });
});
