/**
 * predict() on more examples than one batch (300 examples: chunks of 64, the last of 44; and after a fit, chunks of
 * the fit's batch size 7, the last of 6) on cpu and wasm, against A_L of Model.grad on the same 300 examples in one
 * batch, and against the float64 forward pass (test/lib/forward64.ts). A chunk put at the wrong columns, or a chunk
 * read from the wrong examples, moves whole rows: far outside the bounds. The same check on WebGPU runs in
 * test/browser/fit.test.ts's page.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/init.ts';
import { Model } from '../src/model.ts';
import { type NetworkSpec, validateNet } from '../src/spec.ts';
import { forward64 } from './lib/forward64.ts';
import { wasmBackend } from './lib/wasm-checks.ts';

afterAll(async () => (await wasmBackend()).dispose());

const N = 300;
const rand = mulberry32(77);
const x = Array.from({ length: N }, () => Array.from({ length: 3 }, () => 2 * rand() - 1));
const y = x.map((_, c) => [0, 1, 2].map((j) => (j === c % 3 ? 1 : 0)));
const SPEC: NetworkSpec = {
  inputs: 3, layers: [{ units: 16, activation: 'tanh' }, { units: 3, activation: 'softmax' }], loss: 'softmax-cross-entropy',
  init: { scheme: 'xavier', seed: 4 }, batchSize: 64,
};

/**
 * NOTE: A_L ∈ [0, 1] from a 3-16-3 float32 forward pass on |x| ≤ 1 with Xavier weights: each layer rounds at a few
 * float32 ulps (6e-8), so |float32 − float64| is ~1e-7 here (measured: 8e-8 on wasm,
 * 3e-8 on cpu; predict against grad 0); 1e-6 absolute leaves a 10× margin. predict and grad on
 * one backend run the same kernels on other column counts: the same bound covers them.
 */
const BOUND = 1e-6;

describe('predict on n > batch against grad\'s A_L and the float64 forward pass', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`${backend}: 300 examples in chunks of 64, then (after a fit) of 7`, async () => {
      const options = backend === 'cpu' ? { backend } as const : { shared: await wasmBackend() };
      const model = await Model.create({ ...SPEC, x, y }, options);
      try {
        for (const when of ['fresh', 'after fit'] as const) {
          if (when === 'after fit') await model.fit({ x: x.slice(0, 14), y: y.slice(0, 14), batchSize: 7, epochs: 1, optimizer: { name: 'sgd', lr: 0.5 } });
          const rows = await model.predict(x);
          const g = await model.grad(x, y);
          const AL = g.A[g.A.length - 1]; // outputs × N
          const p = await model.getParams();
          const net = validateNet(SPEC);
          let worstGrad = 0;
          let worst64 = 0;
          expect(rows).toHaveLength(N);
          rows.forEach((row, c) => {
            const want = forward64(net, p.W, p.b, x[c]);
            row.forEach((v, i) => {
              worstGrad = Math.max(worstGrad, Math.abs(v - AL[i * N + c]));
              worst64 = Math.max(worst64, Math.abs(v - want[i]));
            });
          });
          expect(worstGrad, `${when}: predict vs grad's A_L`).toBeLessThan(BOUND);
          expect(worst64, `${when}: predict vs float64`).toBeLessThan(BOUND);
        }
      } finally {
        model.dispose();
      }
    });
  }
});
