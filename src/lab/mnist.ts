/**
 * The lab's MNIST subset in the browser: 100 training and 20 test digits per class (uint8 pixels), from the
 * virtual module that src/node/mnist-plugin.ts generates at dev-serve and build time. The dynamic import makes
 * it a separate chunk (~1 MB), fetched only when the MNIST preset is chosen.
 */
import { MNIST_CLASSES, MNIST_PIXELS, type MnistBytes } from '../train/mnist.ts';
import { loadCode } from './lazy.ts';

/** count digits: images (count × 784 bytes, row-major 28 × 28, 0 = background, 255 = ink) and labels (0 … 9). */
export type MnistPart = MnistBytes;

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let k = 0; k < binary.length; k++) bytes[k] = binary.charCodeAt(k);
  return bytes;
}

function decodePart(encoded: { count: number; images: string; labels: string }): MnistPart {
  const images = decodeBase64(encoded.images);
  const labels = decodeBase64(encoded.labels);
  if (images.length !== encoded.count * MNIST_PIXELS || labels.length !== encoded.count) {
    throw new Error(`MNIST subset is corrupt: ${encoded.count} digits but ${images.length} pixel bytes and ${labels.length} labels`);
  }
  return { count: encoded.count, images, labels };
}

let loading: Promise<{ train: MnistPart; test: MnistPart }> | undefined;

/**
 * Load (once; later calls share the same promise) and decode the subset. Example c is digit c mod 10. `progress` shows
 * "Loading the MNIST digits…" while the chunk (~1.2 MB) comes; one that does not come is a LazyCodeError naming the
 * digits (./lazy.ts), not the browser's bare "Failed to fetch dynamically imported module".
 */
export function loadMnist(progress: (line: string) => void = () => {}): Promise<{ train: MnistPart; test: MnistPart }> {
  if (!loading) {
    const pending = loadCode('the MNIST digits', () => import('virtual:mnist-subset'), progress)
      .then((m) => ({ train: decodePart(m.train), test: decodePart(m.test) }));
    // A failed load (e.g. a network error on the chunk) may be retried by the next call.
    pending.catch(() => {
      if (loading === pending) loading = undefined;
    });
    loading = pending;
  }
  return loading;
}

/**
 * Examples start … start + count − 1 of `part` as spec data (one row per example): x = pixels / 255 (784
 * values in [0, 1]), y = one-hot label (10 values).
 */
export function mnistSpecData(part: MnistPart, start: number, count: number): { x: number[][]; y: number[][] } {
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > part.count) {
    throw new RangeError(`examples ${start} … ${start + count - 1} are outside 0 … ${part.count - 1}`);
  }
  const x: number[][] = [];
  const y: number[][] = [];
  for (let c = start; c < start + count; c++) {
    const row = new Array<number>(MNIST_PIXELS);
    for (let p = 0; p < MNIST_PIXELS; p++) row[p] = part.images[c * MNIST_PIXELS + p] / 255;
    x.push(row);
    const onehot = new Array<number>(MNIST_CLASSES).fill(0);
    onehot[part.labels[c]] = 1;
    y.push(onehot);
  }
  return { x, y };
}
