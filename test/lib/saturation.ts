/**
 * Nets whose pre-activations saturate: |z| up to 1000 (sigmoid and tanh under MSE, sigmoid under BCE, softmax with its
 * largest logit in the first and in the last row; and logits of ±2e38, near float32's largest), two examples (x = 0 and 0.5). Where exp over- or underflows in
 * float32 (|z| ≥ 88.7) a backend must still give the CPU oracle's finite values: the guarded sigmoid, BCE's logit form,
 * softmax's max-subtraction. Run on WebGPU (test/browser/webgpu-smoke.test.ts) and on wasm (test/lib/wasm-checks.ts
 * `saturation`).
 */
import type { NetworkSpec } from '../../src/spec.ts';

const zs = [88.7, 89, 100, 1000, -88.7, -89, -100, -1000, 0, 15, -15, 16];
const ones = zs.map(() => [1]);
const base = { inputs: 1, x: [[0], [0.5]] };

export const SATURATION_SPECS: NetworkSpec[] = [
  { ...base, layers: [{ units: zs.length, activation: 'sigmoid' }], loss: 'mse', params: { W: [ones], b: [zs] }, y: [zs.map(() => 0.5), zs.map(() => 0)] },
  { ...base, layers: [{ units: zs.length, activation: 'tanh' }], loss: 'mse', params: { W: [ones], b: [zs] }, y: [zs.map(() => 0.5), zs.map(() => 1)] },
  { ...base, layers: [{ units: zs.length, activation: 'sigmoid' }], loss: 'bce', params: { W: [ones], b: [zs] }, y: [zs.map(() => 0), zs.map(() => 1)] },
  // softmax: the largest logit first, then last (a column max that skips a row overflows e^(z − max) only when the
  // row it skips holds the max: softmax is shift-invariant otherwise).
  ...[[1000, -1000, 0], [0, -1000, 1000], [-1000, 0, 1000]].map((b): NetworkSpec => ({
    ...base, layers: [{ units: 3, activation: 'softmax' }], loss: 'softmax-cross-entropy',
    params: { W: [[[1], [1], [1]]], b: [b] }, y: [[0, 1, 0], [1, 0, 0]],
  })),
  // softmax with logits ±2e38 (W = 0: Z = b for every x), the label on the largest: the loss is 0, and so is every
  // gradient. In float32 logsumexp − z is ∞ for the smallest logit, whose label is 0: 0·∞ must not make the loss NaN.
  {
    ...base, layers: [{ units: 3, activation: 'softmax' }], loss: 'softmax-cross-entropy',
    params: { W: [[[0], [0], [0]]], b: [[2e38, -2e38, 0]] }, y: [[1, 0, 0], [1, 0, 0]],
  },
  // The same with 5 units: past the 4 × 4 blocks of train_small.wgsl's main_tiny, so its per-element output() runs.
  {
    ...base, layers: [{ units: 5, activation: 'softmax' }], loss: 'softmax-cross-entropy',
    params: { W: [[[0], [0], [0], [0], [0]]], b: [[2e38, -2e38, 0, -2e38, 1]] }, y: [[1, 0, 0, 0, 0], [1, 0, 0, 0, 0]],
  },
];
