/**
 * A matrix backend's value source (src/worked/sources.ts matrixSource, what `backprop check --backend cpu|wasm|webgpu`
 * checks claims against) writes ∂E/∂a with the net's own loss letter in its "say which example" error, as the scalar
 * engine's does since nmut58 (test/notation-loss-letter-per-example.test.ts): a worked example whose notation names the
 * loss E (lecture 002) heard "∂L/∂a is a value per example", a name its claims do not use. Expected messages written
 * from the letters: ∂E/∂a for notation.loss "E", ∂L/∂a with no letter given.
 */
import { describe, it } from 'vitest';
import { NotationError } from '../src/errors.ts';
import { Model, type NetworkSpec } from '../src/index.ts';
import { collectRuns } from '../src/worked/runs.ts';
import { matrixSource } from '../src/worked/sources.ts';
import { expectTyped, thrown } from './lib/typed.ts';

/** One sigmoid unit over a batch of two examples; `notation` as given. */
const spec = (notation?: Record<string, unknown>): NetworkSpec => ({
  inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse',
  lr: 0.1, params: { W: [[[1]]], b: [[0]] }, x: [[1], [2]], y: [[0], [0]], ...(notation ? { notation } : {}),
});
const dLda = { kind: 'deriv', of: 'loss', wrt: { kind: 'node', node: { kind: 'a', layer: 0, unit: 0 } } } as const;

async function source(s: NetworkSpec) {
  return matrixSource('cpu', s, await collectRuns((t) => Model.create(t, { backend: 'cpu' }), s));
}

describe("matrixSource: ∂(loss)/∂a on a batch without an example names the net's loss letter", () => {
  it('notation.loss E: "∂E/∂a is a value per example and the batch has 2 examples: say which example"', async () => {
    const src = await source(spec({ loss: 'E' }));
    expectTyped(thrown(() => src.value(dLda, undefined, 'claims[0]')), NotationError, 'example', /^example: ∂E\/∂a is a value per example and the batch has 2 examples: say which example$/);
  });

  it('no letter given: ∂L/∂a, as before', async () => {
    const src = await source(spec());
    expectTyped(thrown(() => src.value(dLda, undefined, 'claims[0]')), NotationError, 'example', /^example: ∂L\/∂a is a value per example/);
  });
});
