/**
 * Config e's step loops (bench/fit-systems.ts oursFit and tfFit, on the CPU): each runs the config's epochs, numbered
 * from 1, in batches of the config's size, each epoch in its own order of the shared shuffle — checked against the other
 * (ours is the bench's reference; TF.js's model.fit is an independent implementation) on every epoch's mean training
 * loss and test accuracy. A TF.js fit in batches twice the size, or on epoch 1's order every epoch, or ours run for one
 * epoch, timed "5 epochs" that were not the same 5 epochs.
 */
import { describe, expect, it } from 'vitest';
import { type BenchConfig, CONFIG_E, type FitConfig, startOf } from '../bench/configs.ts';
import { oursFit, tfFit } from '../bench/fit-systems.ts';
import { randomDigits } from './lib/random-digits.ts';

describe('config e\'s fit loops run the same epochs, batches and orders (ours-cpu against tfjs-cpu)', () => {
  // e-sgd's net (784-128-10, He seed 8, lr 0.1) on 48 digits in batches of 16 (3 a epoch), 3 epochs, 24 test digits.
  const c = { ...CONFIG_E[0], batch: 16, fit: { epochs: 3, train: 48, test: 24, optimizer: 'sgd', shuffleSeed: 5 } } as BenchConfig & { fit: FitConfig };
  const digits = randomDigits; // random pixels and labels: a digit-shaped problem with no meaning, all the loops need

  it('3 epochs each, numbered 1–3; each epoch\'s loss within 1e-4 relative of the other\'s, and the same test accuracy', async () => {
    const tf = await import('@tensorflow/tfjs');
    const { net, params } = startOf(c);
    const input = { config: c, m: { net, params, X: new Float32Array(0), Y: new Float32Array(0) }, train: digits(48, 1), test: digits(24, 2) };
    const ours = await oursFit('cpu', input);
    const theirs = await tfFit(tf, 'cpu', input);
    expect(ours.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(theirs.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    // The epochs' losses differ from each other by far more than the float32 noise between the two systems.
    expect(Math.abs(ours.epochs[2].loss - ours.epochs[0].loss) / ours.epochs[0].loss).toBeGreaterThan(1e-2);
    ours.epochs.forEach((e, k) => {
      const t = theirs.epochs[k];
      expect(Math.abs(t.loss - e.loss) / e.loss, `epoch ${k + 1}: ${t.loss} vs ${e.loss}`).toBeLessThan(1e-4);
      expect(t.testAccuracy, `epoch ${k + 1}`).toBe(e.testAccuracy);
    });
  }, 120_000);
});
