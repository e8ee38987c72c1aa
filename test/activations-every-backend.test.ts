/**
 * Every elementwise activation a spec may name (ACTIVATIONS, src/spec.ts, less 'linear' — identity's alias — and
 * 'softmax', which is its loss's) through every backend Node runs (the CPU oracle and wasm), against f and f'
 * written here in float64 from their formulas (README, "The equations"). The list walked is ACTIVATIONS itself, so an
 * activation added to the spec and the CPU only is red here (no formula below, or a backend that refuses or
 * computes something else) — the hand-written lists of the other tests (random-nets, gradcheck, wasm-edges) are not
 * read. WebGPU's shaders: test/webgpu-activation-codes.test.ts (every ACT_CODE has a branch in each WGSL activation).
 */
import { describe, expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import type { NetworkSpec } from '../src/spec.ts';
import { ELEMENTWISE as elementwise, type Elementwise } from './lib/activations.ts';

/** f(z) and f'(z) in float64, from the formulas (f' from z here; the kernels take it from a = f(z)). */
const FORMULA: Record<Elementwise, { f: (z: number) => number; fp: (z: number) => number }> = {
  identity: { f: (z) => z, fp: () => 1 },
  sigmoid: { f: (z) => 1 / (1 + Math.exp(-z)), fp: (z) => Math.exp(-z) / (1 + Math.exp(-z)) ** 2 },
  relu: { f: (z) => Math.max(z, 0), fp: (z) => (z > 0 ? 1 : 0) },
  tanh: { f: (z) => Math.tanh(z), fp: (z) => 1 / Math.cosh(z) ** 2 },
  leaky_relu: { f: (z) => (z > 0 ? z : 0.01 * z), fp: (z) => (z > 0 ? 1 : 0.01) },
};

// 2 inputs → 3 units of f → 1 identity output, mse, mean over 3 examples; z of the hidden layer spans both signs.
const W1 = [[0.5, -0.25], [-0.75, 1], [1.5, 0.5]];
const b1 = [0.125, -0.5, 0.25];
const W2 = [[0.5, -1, 0.75]];
const b2 = [0.1];
const X = [[1, -2], [-3, 0.5], [0.2, -0.1]];
const Y = [[1], [0], [2]];

/** Z1, A1, delta1 (units × N, row-major) and the loss, in float64 from the formulas. */
function reference(act: Elementwise): { Z: number[]; A: number[]; delta: number[]; loss: number } {
  const { f, fp } = FORMULA[act];
  const N = X.length;
  const Z = new Array<number>(3 * N), A = new Array<number>(3 * N), delta = new Array<number>(3 * N);
  let loss = 0;
  for (let c = 0; c < N; c++) {
    let out = b2[0];
    for (let i = 0; i < 3; i++) {
      const z = W1[i][0] * X[c][0] + W1[i][1] * X[c][1] + b1[i];
      Z[i * N + c] = z;
      A[i * N + c] = f(z);
      out += W2[0][i] * f(z);
    }
    const d = out - Y[c][0]; // ∂(½(a − y)²)/∂z of the identity output
    loss += (0.5 * d * d) / N;
    for (let i = 0; i < 3; i++) delta[i * N + c] = W2[0][i] * d * fp(Z[i * N + c]);
  }
  return { Z, A, delta, loss };
}

describe('every activation of ACTIVATIONS on every Node backend, against its formula in float64', () => {
  it('walks the identity, sigmoid, relu and tanh at least (the list is ACTIVATIONS, not a copy)', () => {
    for (const a of ['identity', 'sigmoid', 'relu', 'tanh']) expect(elementwise).toContain(a);
  });

  describe.each(elementwise)('%s', (act) => {
    it('has a formula here (add f and f\' to FORMULA, written from the maths, when you add an activation)', () => {
      expect(Object.keys(FORMULA), `no float64 formula for '${act}' in this test`).toContain(act);
    });

    it.each(['cpu', 'wasm'] as const)('%s: Z, A, delta of the hidden layer and the loss', async (backend) => {
      const ref = reference(act);
      const spec: NetworkSpec = {
        inputs: 2, layers: [{ units: 3, activation: act }, { units: 1, activation: 'identity' }], loss: 'mse',
        params: { W: [W1, W2], b: [b1, b2] }, x: X, y: Y,
      };
      const model = await Model.create(spec, backend === 'wasm' ? { backend, threads: 1 } : { backend });
      try {
        const r = await model.grad();
        const close = (got: ArrayLike<number>, want: number[], what: string) => {
          for (let k = 0; k < want.length; k++) {
            expect(Math.abs(got[k] - want[k]), `${backend} ${act} ${what}[${k}]: ${got[k]} against ${want[k]}`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(want[k])));
          }
        };
        close(r.Z[0], ref.Z, 'Z1');
        close(r.A[0], ref.A, 'A1');
        close(r.delta[0], ref.delta, 'delta1');
        expect(Math.abs(r.loss - ref.loss)).toBeLessThanOrEqual(1e-6 * (1 + ref.loss));
      } finally {
        model.dispose();
      }
    });
  });
});
