/**
 * The MNIST confusion matrix (src/lab/confusion.ts) on hand-made nets whose every prediction is worked by hand: digits
 * past the first predict() chunk of 512 are the digits they are (not the first chunk's again), and the pixels go in
 * as bytes / 255, as the net was trained on them.
 */
import { describe, expect, it } from 'vitest';
import { confusionMatrix } from '../src/lab/confusion.ts';
import type { MnistPart } from '../src/lab/mnist.ts';
import { validateNet, type Net, type Params } from '../src/spec.ts';

/** A part whose digit c has pixel `lit[c]` at `ink` (0 … 255) and every other pixel 0. */
function fakePart(labels: number[], lit: number[], ink = 255): MnistPart {
  const images = new Uint8Array(labels.length * 784);
  lit.forEach((p, c) => (images[c * 784 + p] = ink));
  return { count: labels.length, images, labels: Uint8Array.from(labels) };
}

/** 784-10 softmax net: output k = x_k + b_k (W the identity on the first ten pixels). */
function identityNet(b: number[]): { net: Net; params: Params } {
  const W = new Float32Array(10 * 784);
  for (let k = 0; k < 10; k++) W[k * 784 + k] = 1;
  const net = validateNet({ inputs: 784, layers: [{ units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy' });
  return { net, params: { W: [W], b: [Float32Array.from(b)] } };
}

describe('confusion matrix: chunks and pixel scale', () => {
  it('600 digits (two chunks of 512 and 88): digit c is predicted as its own lit pixel, the second chunk included', () => {
    const { net, params } = identityNet(new Array<number>(10).fill(0));
    // Digit c lights pixel (3c + 1) mod 10, so the second chunk (c ≥ 512) lights other pixels than the first's start.
    const lit = Array.from({ length: 600 }, (_, c) => (3 * c + 1) % 10);
    // True labels: c mod 10; the net is right where (3c + 1) mod 10 = c mod 10, i.e. 2c + 1 ≡ 0 (mod 10): never
    // (2c + 1 is odd). So the diagonal is empty and every digit lands in row c mod 10, column (3c + 1) mod 10.
    const labels = Array.from({ length: 600 }, (_, c) => c % 10);
    const r = confusionMatrix(net, params, fakePart(labels, lit));
    expect(r.predicted).toEqual(lit);
    expect(r.accuracy).toBe(0);
    // Row t: the digits c ≡ t (mod 10), 60 of them, all predicted (3t + 1) mod 10.
    for (let t = 0; t < 10; t++) {
      const row = new Array<number>(10).fill(0);
      row[(3 * t + 1) % 10] = 60;
      expect(r.matrix[t], `row ${t}`).toEqual(row);
    }
  });

  it('a count past the part evaluates the part (13 digits asked 100: 13 predictions, accuracy of 13)', () => {
    const { net, params } = identityNet(new Array<number>(10).fill(0));
    const labels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 3, 3, 7];
    const lit = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 5, 3, 1]; // two mistakes: 11 of 13 right
    const r = confusionMatrix(net, params, fakePart(labels, lit), 100);
    expect(r.predicted).toEqual(lit);
    expect(r.accuracy).toBeCloseTo(11 / 13, 12);
    expect(r.matrix.flat().reduce((a, b) => a + b, 0)).toBe(13);
  });

  it('reads each pixel as its byte / 255: a faint stroke (100 → 0.392) loses to a bias of 0.5, as the net computes it', () => {
    // o_k = x_k + b_k with b_0 = 0.5, the rest 0. Digit lit at pixel 3 with byte 100: x_3 = 100 / 255 ≈ 0.392 < 0.5 = o_0,
    // so the net says 0. Read as the byte itself (x_3 = 100) it would say 3.
    const b = [0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const { net, params } = identityNet(b);
    const faint = confusionMatrix(net, params, fakePart([3], [3], 100));
    expect(faint.predicted).toEqual([0]);
    expect(faint.matrix[3][0]).toBe(1);
    // Byte 200 → 0.784 > 0.5: the lit pixel wins.
    const strong = confusionMatrix(net, params, fakePart([3], [3], 200));
    expect(strong.predicted).toEqual([3]);
    expect(strong.accuracy).toBe(1);
  });
});
