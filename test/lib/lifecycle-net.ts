/**
 * What the test/lifecycle-*.test.ts files share: the backends they run on, a small softmax net and its data, the
 * code of an error and how a call settled, and a backend whose compile and trainer calls are counted.
 */
import type { Backend } from '../../src/backend.ts';
import { BackpropError } from '../../src/errors.ts';
import type { Model } from '../../src/model.ts';
import type { NetworkSpec } from '../../src/spec.ts';

export const KINDS = ['cpu', 'wasm'] as const;

export const codeOf = (err: unknown): string | undefined => (err instanceof BackpropError ? err.code : undefined);
export const settle = (p: Promise<unknown>): Promise<string> => p.then(() => 'resolved', (err: unknown) => codeOf(err) ?? String(err));

export const SPEC: NetworkSpec = {
  inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'xavier', seed: 3 }, lr: 0.5,
};
export const X = [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, -1], [-0.5, 1], [1, -0.25], [-1, -1], [0.25, 0.75]];
export const Y = X.map(([a, b]) => ((a > 0.5) !== (b > 0.5) ? [0, 1] : [1, 0]));

/** A backend whose compile and trainer calls are counted (what a model asks it to allocate). */
export function counting(backend: Backend): { backend: Backend; made: () => number } {
  let made = 0;
  const compile = backend.compile.bind(backend);
  const trainer = backend.trainer.bind(backend);
  backend.compile = (...args) => (made++, compile(...args));
  backend.trainer = (...args) => (made++, trainer(...args));
  return { backend, made: () => made };
}

/**
 * One cycle of every call of the Model (reliability checklist item 13's leak checks: test/wasm-fit.test.ts,
 * test/dawn/call-lifecycle.ts): fit with Adam and a held-out quarter at batches of `batchSize`, predict, evaluate,
 * save, restore, train `steps` steps, grad, step, getParams, a momentum fit at batchSize + 1 (the trainer made again),
 * a train on batchSize + 1 examples (a step net of another size) and a predict on 3n examples.
 * Steps a cycle: 2·⌈0.75n / batchSize⌉ + steps + 2 + ⌈n / (batchSize + 1)⌉.
 */
export async function everyCall(model: Model, x: number[][], y: number[][], checkpoint: Uint8Array, batchSize: number, steps: number): Promise<void> {
  await model.fit({ x, y, epochs: 2, batchSize, optimizer: 'adam', validation: 0.25 });
  await model.predict(x);
  await model.evaluate(x, y);
  await model.save();
  await model.restore(checkpoint);
  await model.train({ steps });
  await model.grad();
  await model.step();
  await model.getParams();
  await model.fit({ x, y, epochs: 1, batchSize: batchSize + 1, optimizer: 'momentum' });
  await model.train({ steps: 1, x: x.slice(0, batchSize + 1), y: y.slice(0, batchSize + 1) });
  await model.predict([...x, ...x, ...x]);
}
