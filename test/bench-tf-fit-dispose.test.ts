/**
 * bench/fit-systems.ts tfFit disposes what it made when it throws after the Sequential is made: a throw in compile or
 * in a layer's setWeights (between `tf.sequential()` and the try whose finally disposed the model) left the model's
 * variables — and, from setWeights, the weights being set — held for the page's life. TF.js's cpu backend in Node;
 * a stand-in tf whose model throws where asked; tf.memory().numTensors counted before and after.
 */
import { describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { type BenchConfig, CONFIG_E, type FitConfig, startOf } from '../bench/configs.ts';
import { tfFit } from '../bench/fit-systems.ts';
import { randomDigits } from './lib/random-digits.ts';

type Tf = typeof TF;

/** tf, but its Sequential's compile throws (`where` 'compile'), or its layer `layer`'s setWeights does. */
function throwing(tf: Tf, where: 'compile' | { layer: number }): Tf {
  return new Proxy(tf, {
    get(target, key, receiver) {
      if (key !== 'sequential') return Reflect.get(target, key, receiver);
      return (...args: Parameters<Tf['sequential']>) => {
        const model = target.sequential(...args);
        if (where === 'compile') {
          model.compile = () => { throw new Error('compile refused'); };
          return model;
        }
        const add = model.add.bind(model);
        model.add = (layer) => {
          if (model.layers.length === where.layer) layer.setWeights = () => { throw new Error('setWeights refused'); };
          add(layer);
        };
        return model;
      };
    },
  }) as Tf;
}

describe('tfFit after a throw between the Sequential and the fit', () => {
  const c = { ...CONFIG_E[0], batch: 16, fit: { epochs: 1, train: 32, test: 16, optimizer: 'sgd', shuffleSeed: 5 } } as BenchConfig & { fit: FitConfig };
  const input = () => {
    const { net, params } = startOf(c);
    return { config: c, m: { net, params, X: new Float32Array(0), Y: new Float32Array(0) }, train: randomDigits(32, 1), test: randomDigits(16, 2) };
  };

  it.each([
    ['compile', 'compile' as const, /compile refused/],
    ['the first layer\'s setWeights', { layer: 0 }, /setWeights refused/],
    ['the last layer\'s setWeights', { layer: CONFIG_E[0].layers.length - 1 }, /setWeights refused/],
  ])('%s throws: the error comes out, and no tensor is left', async (_name, where, message) => {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const inp = input();
    const before = tf.memory().numTensors;
    await expect(tfFit(throwing(tf, where), 'cpu', inp)).rejects.toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('a fit that runs leaves none either (the control: the count is of what tfFit makes)', async () => {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const inp = input();
    const before = tf.memory().numTensors;
    const run = await tfFit(tf, 'cpu', inp);
    expect(run.epochs).toHaveLength(1);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});
