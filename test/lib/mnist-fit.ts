import type { ModelOptions } from '../../src/backends.ts';
import { Model } from '../../src/model.ts';
import { MNIST_TEST, MNIST_TRAIN, mnistAll, mnistData } from '../../src/node/mnist.ts';
import type { NetworkSpec } from '../../src/spec.ts';
import type { EpochLog } from '../../src/train/fit.ts';

/**
 * The MNIST fit setup every backend's test runs: 784-128-10 relu/softmax-CE, He init (seed 1), Adam lr 1e-3, batch
 * 128, 5 epochs, shuffle seed 1, on mnistAll(0)'s 8 000 training digits, validated on the other 2 000, inputs
 * standardised with MNIST_STANDARDIZE (src/node/mnist.ts: x = (pixel/255 − 0.1307) / 0.3081).
 *
 * NOTE: the bar, issue 9's 93 %. Measured on the CPU after epoch 5 (2026-12-02; init/shuffle seeds 1–5 on this
 * split): 93.35, 93.30, 93.95, 94.10, 93.60 %. With pixels / 255 instead (the earlier setup) seeds 1–3 gave 92.80,
 * 92.75, 93.20 %. The test set has 2 000 digits, so one digit is 0.05 points and the sampling spread of a split is
 * about ±0.6 points: other seeded splits (mnistAll(1…4), seed 1, standardised) gave 92.75, 93.80, 94.40, 94.70 %.
 */
export const MNIST_BAR = 0.93;

/** The setup's net (the CLI's MNIST_SPEC without its run fields). */
export const MNIST_NET: NetworkSpec = {
  inputs: 784, layers: [{ units: 128, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 1 },
};

/** The setup's run in Node on a backend (the CPU, or a shared wasm backend): the history, one entry per epoch. */
export async function mnistFit(options: ModelOptions): Promise<EpochLog[]> {
  const m = mnistAll();
  const train = mnistData(m, 0, MNIST_TRAIN);
  const test = mnistData(m, MNIST_TRAIN, MNIST_TRAIN + MNIST_TEST);
  const model = await Model.create(MNIST_NET, options);
  try {
    return await model.fit({ ...train, validation: test, batchSize: 128, epochs: 5, optimizer: { name: 'adam', lr: 1e-3 }, shuffle: { seed: 1 } });
  } finally {
    model.dispose();
  }
}

/** "93.35 % (1.02 s), …" */
export const formatMnist = (h: { valAccuracy?: number; seconds: number }[]): string => h.map((e) => `${(100 * e.valAccuracy!).toFixed(2)} % (${e.seconds.toFixed(2)} s)`).join(', ');
