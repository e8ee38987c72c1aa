/**
 * What the test/lifecycle-*.test.ts files share: the backends they run on, a small softmax net and its data, the
 * code of an error and how a call settled, and a backend whose compile and trainer calls are counted.
 */
import type { Backend } from '../../src/backend.ts';
import { BackpropError } from '../../src/errors.ts';
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
