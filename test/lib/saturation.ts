/**
 * Nets whose pre-activations saturate: |z| up to 1000 (sigmoid and tanh under MSE, sigmoid under BCE, softmax with its
 * largest logit in the first and in the last row, and every logit below −88.7; and logits of ±2e38 and below −3e38, near
 * float32's largest), two examples (x = 0 and 0.5). Where exp over- or underflows in
 * float32 (|z| ≥ 88.7) a backend must still give the CPU oracle's finite values: the guarded sigmoid, BCE's logit form,
 * softmax's max-subtraction. Run on WebGPU (test/browser/webgpu-smoke.test.ts) and on wasm (test/lib/wasm-checks.ts
 * `saturation`); `saturatedScores` (evaluate and fit's epoch sums on the same nets) on wasm there and on WebGPU in
 * test/dawn/run.ts.
 */
import { Model } from '../../src/model.ts';
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
  // softmax whose every logit is below −88.7 (the largest in the middle row), then below −3e38: main_tiny's 4th row
  // is padding (z = 0 there), which must count neither in the column max nor in the sum, whatever the real logits.
  ...[[-100, -90, -95], [-3.3e38, -3.2e38, -3.25e38]].map((b): NetworkSpec => ({
    ...base, layers: [{ units: 3, activation: 'softmax' }], loss: 'softmax-cross-entropy',
    params: { W: [[[1], [1], [1]]], b: [b] }, y: [[0, 1, 0], [1, 0, 0]],
  })),
];

/**
 * evaluate() and the history of a one-epoch fit at lr 0 (the fit trainer's forward pass and its epoch sums — on WebGPU
 * output.wgsl through epoch_sums.wgsl, not grad's read-back loss) on each net of SATURATION_SPECS, on the backend
 * `make` gives, against the CPU oracle's: losses within grad's bound here (1e-6 + 1e-5·|cpu|: loose for rounding, tight
 * for what a missing guard gives — NaN, ±Infinity, SwiftShader's log(0) = −88), accuracies exactly (a lost guard moves an
 * argmax or a 0.5 threshold). What differs, one a line (none: passed); a thrown error is listed.
 */
export async function saturatedScores(make: (spec: NetworkSpec) => Promise<Model>): Promise<string[]> {
  const out: string[] = [];
  const near = (what: string, got: number | undefined, want: number | undefined, exact = false): void => {
    const ok = got === want || (!exact && got !== undefined && want !== undefined && Math.abs(got - want) <= 1e-6 + 1e-5 * Math.abs(want));
    if (!ok) out.push(`${what}: ${got}, the CPU's ${want}`);
  };
  for (const [i, spec] of SATURATION_SPECS.entries()) {
    const name = `#${i} ${spec.layers[0].activation} ${spec.loss}`;
    const [x, y] = [spec.x as number[][], spec.y as number[][]];
    // lr 0: every epoch sum comes from the nets' own parameters (an update would move them by the gradients' rounding).
    const run = { x, y, batchSize: 2, epochs: 1, shuffle: false as const, optimizer: { name: 'sgd' as const, lr: 0 } };
    const scores = async (m: Model) => ({ ev: await m.evaluate(x, y), fit: (await m.fit(run))[0] });
    const cpuModel = await Model.create(spec, { backend: 'cpu' });
    const model = await make(spec);
    try {
      const [got, want] = [await scores(model), await scores(cpuModel)];
      near(`${name} evaluate loss`, got.ev.loss, want.ev.loss);
      near(`${name} evaluate accuracy`, got.ev.accuracy, want.ev.accuracy, true);
      near(`${name} fit loss`, got.fit.loss, want.fit.loss);
      near(`${name} fit accuracy`, got.fit.accuracy, want.fit.accuracy, true);
    } catch (err) {
      out.push(`${name}: ${String(err)}`);
    } finally {
      model.dispose();
      cpuModel.dispose();
    }
  }
  return out;
}
