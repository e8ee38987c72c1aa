/**
 * The fit the early-stopping tests run (test/fit-early-stop.test.ts on cpu and wasm, test/browser/fit.test.ts on
 * WebGPU): a 2-16 tanh-1 sigmoid net under bce on 24 examples labelled by x0 + x1 > 0 with 30 % of the labels flipped,
 * validated on 24 clean ones — so the validation loss falls, then wanders as the net learns the flips — and the
 * stopping rule of Keras 3's EarlyStopping.on_epoch_end written out from its source (keras/src/callbacks/
 * early_stopping.py), apart from src/train/early-stop.ts, as the reference its stops are checked against.
 */
import { mulberry32 } from '../../src/init.ts';
import type { NetworkSpec } from '../../src/spec.ts';

export const ES_SPEC: NetworkSpec = {
  inputs: 2, layers: [{ units: 16, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 2 },
};

/** n examples in [−1, 1]², y = [x0 + x1 > 0], each label flipped with probability `flip` (mulberry32(seed)). */
export function esData(n: number, seed: number, flip: number): { x: number[][]; y: number[][] } {
  const r = mulberry32(seed);
  const x = Array.from({ length: n }, () => [2 * r() - 1, 2 * r() - 1]);
  const y = x.map(([a, b]) => [(a + b > 0) !== (r() < flip) ? 1 : 0]);
  return { x, y };
}

export const ES_TRAIN = esData(24, 1, 0.3);
export const ES_VAL = esData(24, 5, 0);
/** The fit's other options: batches of 4, Adam at lr 0.02 (the default shuffle, {seed: 0}). */
export const ES_FIT = { batchSize: 4, optimizer: { name: 'adam', lr: 0.02 } } as const;

/**
 * Keras 3's rule over `values` (one per epoch, 0-based epochs): min mode (`max` false: a loss) or max mode; returns
 * the epoch count run (the stopping epoch + 1, or all of them) and the best epoch, 1-based (best_epoch + 1).
 */
export function kerasStop(values: number[], patience: number, minDelta: number, max: boolean): { epochs: number; best: number } {
  const op = max ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  const delta = max ? Math.abs(minDelta) : -Math.abs(minDelta);
  let best = max ? -Infinity : Infinity;
  let bestEpoch = -1;
  let wait = 0;
  for (let epoch = 0; epoch < values.length; epoch++) {
    const current = values[epoch];
    if (bestEpoch < 0) bestEpoch = epoch; // "if best weights were never set, then the current weights are the best"
    wait += 1;
    if (op(current - delta, best)) {
      best = current;
      bestEpoch = epoch;
      wait = 0;
      continue;
    }
    if (wait >= patience && epoch > 0) return { epochs: epoch + 1, best: bestEpoch + 1 };
  }
  return { epochs: values.length, best: bestEpoch + 1 };
}
