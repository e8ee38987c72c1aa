/**
 * fit's optimiser step inside a wasm net's run (src/wasm/program.ts RUN_MODE.optimise) runs the optimiser alone:
 * no SGD of train's RUN_MODE.update before it. With lr 0 the published update rules move nothing, and the sign of a
 * zero shows it — the reference, from PyTorch's documented rules (torch.optim.Adam / AdamW / SGD with momentum), in
 * IEEE arithmetic (exact here: every product with lr = 0 is a signed zero):
 *   adam, adamw  p ← p·(1 − 0·wd) − (0 / (1 − β1^t))·m̂ / (…)   with m ← β1·m + (1 − β1)·g > 0 (m starts at 100)
 *   momentum     p ← p − 0·buf                                   with buf ← μ·buf + g > 0 (buf starts at 100)
 * so p − (+0) = p for every p, −0 included (−0 − +0 = −0): every parameter keeps its bits.
 * NOTE: an SGD step with lr 0 before it (p − 0·dW) is not a no-op: −0 − 0·dW is +0 wherever dW < 0, and the
 * optimiser's p − (+0) then keeps the +0. The test holds a −0 weight whose dW < 0 (checked), so that step shows.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/init.ts';
import { type NetworkSpec, type Params, biasLength, validateNet } from '../src/spec.ts';
import { type OptimizerSpec, resolveOptimizer } from '../src/train/optimizers.ts';
import { wasmBackend } from './lib/wasm-checks.ts';

afterAll(async () => (await wasmBackend()).dispose());

const SPEC: NetworkSpec = {
  inputs: 5, layers: [{ units: 6, activation: 'tanh' }, { units: 3, activation: 'softmax' }], loss: 'softmax-cross-entropy',
};

const bitsOf = (p: Params): number[][] => [...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length)));

describe('RUN_MODE.optimise runs the optimiser alone (lr 0: every parameter keeps its bits, −0 included)', () => {
  const CASES: [OptimizerSpec, number][] = [
    [{ name: 'adam', lr: 0 }, 1],
    [{ name: 'adam', lr: 0, weightDecay: 0.01 }, 5],
    [{ name: 'adamw', lr: 0, weightDecay: 0.05 }, 2],
    [{ name: 'momentum', lr: 0, momentum: 0.9 }, 3],
  ];
  for (const threads of [1, 3]) {
    it.each(CASES)(`%o at step %i, ${threads} thread(s)`, async (spec, t) => {
      const net = validateNet(SPEC);
      const b = await wasmBackend();
      const rand = mulberry32(17 + t);
      // W: every other entry −0, the rest random; b random (nonzero).
      const params: Params = {
        W: net.layers.map((layer) => Float32Array.from({ length: layer.units * layer.fanIn }, (_, k) => (k % 2 === 0 ? -0 : rand() - 0.5))),
        b: net.layers.map((layer) => Float32Array.from({ length: biasLength(layer) }, () => rand() - 0.5)),
      };
      const n = 8;
      const batch = {
        n, X: Float32Array.from({ length: 5 * n }, () => 2 * rand() - 1), Y: Float32Array.from({ length: 3 * n }, (_, k) => (Math.floor(k / n) === k % 3 ? 1 : 0)),
      };
      const total = net.layers.reduce((sum, layer) => sum + layer.units * layer.fanIn + biasLength(layer), 0);
      // Slot 0 (m or buf) 100 and slot 1 (v) 1: m and buf stay positive whatever this step's g (|g| < 9 here).
      const r = b.reserve(2 * total * 4, 'test slots');
      const slots = new Float32Array(b.memory.buffer, r.at, 2 * total);
      slots.fill(100, 0, total);
      slots.fill(1, total);
      const wasm = b.compile(net, n);
      wasm.setThreads(threads);
      wasm.writeParams(params);
      wasm.writeBatch(batch);
      wasm.optimise(resolveOptimizer(spec, undefined), t, r.at);
      const got = await wasm.read({ params: true, grads: true });
      // The precondition that makes a stray SGD step show: a −0 weight whose gradient is negative, and |g| < 9.
      const negatives = net.layers.reduce((c, _, l) => c + params.W[l].filter((w, k) => Object.is(w, -0) && got.dW![l][k] < 0).length, 0);
      expect(negatives, 'a −0 weight with dW < 0').toBeGreaterThan(0);
      expect([...got.dW!, ...got.db!].every((g) => g.every((x) => Math.abs(x) < 9))).toBe(true);
      expect(bitsOf(got.params!)).toEqual(bitsOf(params));
      wasm.dispose();
      b.release(r.id);
    });
  }
});
