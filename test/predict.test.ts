/**
 * predict() on more examples than one batch (300 examples: chunks of 64, the last of 44; and after a fit, chunks of
 * the fit's batch size 7, the last of 6) on cpu and wasm, against A_L of Model.grad on the same 300 examples in one
 * batch, and against the float64 forward pass (test/lib/forward64.ts). A chunk put at the wrong columns, or a chunk
 * read from the wrong examples, moves whole rows: far outside the bounds. The same check on WebGPU runs in
 * test/browser/fit.test.ts's page. On wasm, a predict refused for want of memory (LimitError) leaves later predicts
 * right: its example order's old region, released, is not used again.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { mulberry32 } from '../src/init.ts';
import { Model } from '../src/model.ts';
import { type NetworkSpec, validateNet } from '../src/spec.ts';
import { forward64 } from './lib/forward64.ts';
import { wasmBackend } from './lib/wasm-checks.ts';
import { WasmBackend } from '../src/wasm/backend.ts';

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
          // wasm: the last, partial chunk (44, then 6 examples) runs as the last full chunk (fullLast in
          // src/cpu/train.ts predictInBatches): no net is compiled for it (fresh, predict's trainer compiles its net of 64).
          const compile = backend === 'wasm' ? vi.spyOn(options.shared!, 'compile') : undefined;
          const rows = await model.predict(x);
          if (compile) {
            expect(compile.mock.calls.map(([, n]) => n), `${when}: nets compiled by predict`).toEqual(when === 'fresh' ? [64] : []);
            compile.mockRestore();
          }
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

describe('wasm predict: the overlapped last chunk gives the same bits as a net of its own', () => {
  it('229 examples in chunks of 64 (the last, of 37, run as examples 165 … 228) on 3 threads', async () => {
    const shared = await wasmBackend();
    const r = mulberry32(9);
    const n = 229;
    const inputs = 100;
    const data = new Float32Array(n * inputs).map(() => 2 * r() - 1);
    // 100-64-10 at a batch of 64 is over THREAD_MIN_WORK (src/wasm/limits.ts): the chunks run on the backend's threads.
    const spec: NetworkSpec = {
      inputs, layers: [{ units: 64, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy',
      init: { scheme: 'he', seed: 2 }, batchSize: 64,
    };
    const model = await Model.create(spec, { shared });
    try {
      const all = await model.predict({ examples: n, data });
      // Predicted alone: the last 37 on a net of 37 (predict's batch is min(n, batchSize)), the first 192 in full chunks.
      const tail = await model.predict({ examples: 37, data: data.slice((n - 37) * inputs) });
      const head = await model.predict({ examples: 192, data: data.slice(0, 192 * inputs) });
      expect(all.slice(n - 37)).toEqual(tail);
      expect(all.slice(0, 192)).toEqual(head);
    } finally {
      model.dispose();
    }
  });
});

describe("wasm: a fit's trainer holds at most two partial-batch nets, as on WebGPU", () => {
  it('predicts of 3, 5, 7, 7 and 3 examples after a fit at batches of 8: the net of 3 is made again, the results the same', async () => {
    const shared = await wasmBackend();
    const model = await Model.create({ ...SPEC, x, y }, { shared });
    try {
      await model.fit({ x: x.slice(0, 16), y: y.slice(0, 16), batchSize: 8, epochs: 1, optimizer: { name: 'sgd', lr: 0.1 } });
      const compileOn = vi.spyOn(shared, 'compileOn');
      const first = await model.predict(x.slice(0, 3));
      for (const n of [5, 7, 7]) await model.predict(x.slice(0, n));
      const again = await model.predict(x.slice(0, 3));
      // 3, 5, 7 made; 7 reused; 3 had gone when 7 came (the third): made again.
      expect(compileOn.mock.calls.map(([, , n]) => n)).toEqual([3, 5, 7, 3]);
      expect(again).toEqual(first);
      compileOn.mockRestore();
    } finally {
      model.dispose();
    }
  });
});

describe('wasm predict after one refused for want of memory (the engine would not grow it)', () => {
  it('LimitError, then predicts of fewer examples give the bits of a model that never failed', async () => {
    const r = mulberry32(3);
    const xs = (n: number): number[][] => Array.from({ length: n }, () => Array.from({ length: 6 }, () => 2 * r() - 1));
    const spec: NetworkSpec = {
      inputs: 6, layers: [{ units: 8, activation: 'tanh' }, { units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy',
      init: { scheme: 'xavier', seed: 1 }, batchSize: 16,
    };
    const b = await WasmBackend.create({ threads: 1 });
    const reference = await Model.create(spec, { backend: 'wasm', threads: 1 });
    const model = await Model.create(spec, { shared: b });
    try {
      // predict's example order (the identity, 0 … n − 1) of 2 000 sits above its freed data set; a net of 5 is made
      // at the bottom of that space; another model's predict of 25 000 grows the memory and goes.
      await model.predict(xs(2000));
      await model.predict(xs(5));
      const other = await Model.create(spec, { shared: b });
      await other.predict(xs(25000));
      other.dispose();
      // 27 000 examples: their data set fits in the memory, their order does not, and the memory may not grow.
      const grow = Object.getOwnPropertyDescriptor(b.memory, 'grow');
      Object.defineProperty(b.memory, 'grow', { value: () => { throw new RangeError('refused by the test'); }, configurable: true });
      try {
        await expect(model.predict(xs(27000))).rejects.toMatchObject({ name: 'LimitError', message: expect.stringMatching(/example order of predict/) });
      } finally {
        if (grow) Object.defineProperty(b.memory, 'grow', grow);
        else delete (b.memory as { grow?: unknown }).grow;
      }
      // 1 999 examples: their data set goes where the order of 2 000 was; then 100.
      for (const n of [1999, 100]) {
        const x = xs(n);
        expect(await model.predict(x), `${n} examples`).toEqual(await reference.predict(x));
      }
    } finally {
      model.dispose();
      reference.dispose();
      b.dispose();
    }
  });
});
