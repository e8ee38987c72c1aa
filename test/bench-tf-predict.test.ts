/**
 * Config e's TF.js fit (bench/fit-systems.ts tfFit) predicts the test digits each epoch in one batch, as jax-js (one
 * jitted predict) does; ours's validation runs batches of the fit's 128. model.predict's own default is batches of 32
 * (tfjs-layers training.js: `args.batchSize == null ? 32`), which made its 2 000 test digits 63 forward passes and a
 * concat every epoch, inside its clock: a handicap of TF.js's alone, not how a user after speed calls it.
 */
import { describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { type BenchConfig, CONFIG_E, type FitConfig, startOf } from '../bench/configs.ts';
import { tfFit } from '../bench/fit-systems.ts';
import { randomDigits } from './lib/random-digits.ts';

type Tf = typeof TF;

describe('tfFit predicts the test digits in one batch', () => {
  // e-sgd's net on 32 digits in batches of 16, 2 epochs, 100 test digits: more than predict's default batch of 32.
  const c = { ...CONFIG_E[0], batch: 16, fit: { epochs: 2, train: 32, test: 100, optimizer: 'sgd', shuffleSeed: 5 } } as BenchConfig & { fit: FitConfig };
  const digits = randomDigits; // random pixels and labels: a digit-shaped problem with no meaning, all the loops need

  it('every epoch\'s model.predict covers all 100 test digits in one batch', async () => {
    const tf = await import('@tensorflow/tfjs');
    // The batch size each predict call works in (tfjs-layers: 32 when none is given).
    const batches: number[] = [];
    const spy = new Proxy(tf, {
      get(target, key, receiver) {
        if (key !== 'sequential') return Reflect.get(target, key, receiver);
        return (...args: Parameters<Tf['sequential']>) => {
          const model = target.sequential(...args);
          const predict = model.predict.bind(model);
          model.predict = (x, opts) => {
            batches.push(opts?.batchSize ?? 32);
            return predict(x, opts);
          };
          return model;
        };
      },
    }) as Tf;
    const { net, params } = startOf(c);
    const input = { config: c, m: { net, params, X: new Float32Array(0), Y: new Float32Array(0) }, train: digits(32, 1), test: digits(100, 2) };
    const run = await tfFit(spy, 'cpu', input);
    expect(run.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(batches).toHaveLength(2);
    for (const b of batches) expect(b).toBeGreaterThanOrEqual(100);
  }, 120_000);
});
