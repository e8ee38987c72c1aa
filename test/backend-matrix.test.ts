/**
 * The public calls against the CPU oracle on wasm in Node, on 1 thread and on 3 (test/lib/matrix-checks.ts: init,
 * step, train, grad after setParams, predict, evaluate, fit with a held-out fraction and onEpoch / onBatch, shuffle false
 * with dropLast, an aborted fit, a fit across rebuild; each bound there). The same checks run on wasm in Chromium
 * (test/browser/wasm.test.ts) and on WebGPU in Node on Dawn (test/dawn/run.ts) on matrix-checks' small nets, which run
 * on one thread whatever the backend's count; on 3 threads here they run on wider nets of the same activations, losses
 * and bias modes, past THREAD_MIN_WORK at a batch of 4, so that their steps are split among the 3 threads (and on 1
 * thread too).
 */
import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../src/spec.ts';
import { validateSpec } from '../src/spec.ts';
import { WasmBackend } from '../src/wasm/backend.ts';
import { type MatrixNets, matrixChecks } from './lib/matrix-checks.ts';

/**
 * 128-256 tanh-128 relu (shared)-3 softmax (none), he: 65 920 multiply-adds an example; 128-512 sigmoid-1 sigmoid
 * (shared), bce 'sum', xavier: 66 048. Past THREAD_MIN_WORK (2¹⁸ = 262 144) from a batch of 4, so every check's full
 * batches run on 3 threads (a partial one of fewer than 4 on 1). Checked on 1 thread too: width, not threads.
 * NOTE: on this softmax net the aborted AdamW fit leaves W1[2947] 7.3e-5 from the CPU (and W2[24855] 2.9e-5), past
 * fit-compare.ts's 5e-6·steps relative (2.5e-5) on 1 thread and on 3 alike: its first gradient, −4.3e-8, is within
 * the float32 noise of the dot products that make it (the CPU's and wasm's differ by 1e-9), and Adam's step
 * lr·m̂/(√v̂ + eps) does not shrink with the gradient. fit-compare.ts's fitBounds allows each parameter that, from
 * the float32 noise of its own gradient's terms and the CPU's m and v step by step (its NOTE: W1[2947] gets the cap,
 * W2[24855] 5.3e-6 beside the 2.5e-5 relative); plain SGD on the same net and data stays 3e-8 from the CPU.
 */
const WIDE: MatrixNets = {
  softmax: {
    inputs: 128, layers: [{ units: 256, activation: 'tanh' }, { units: 128, activation: 'relu', bias: 'shared' }, { units: 3, activation: 'softmax', bias: 'none' }],
    loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 5 },
  },
  bce: {
    inputs: 128, layers: [{ units: 512, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid', bias: 'shared' }], loss: 'bce', reduction: 'sum', init: { scheme: 'xavier', seed: 2 },
  },
};

describe('the public calls on wasm against the CPU oracle (test/lib/matrix-checks.ts)', () => {
  it('1 thread, on the small nets and the wide ones: init bitwise; step, train, setParams, predict, evaluate, fit, abort and rebuild within their bounds', async () => {
    const backend = await WasmBackend.create({ threads: 1 });
    try {
      expect(backend.threads).toBe(1);
      expect(await matrixChecks({ shared: backend })).toEqual([]);
      expect(await matrixChecks({ shared: backend }, WIDE)).toEqual([]);
    } finally {
      backend.dispose();
    }
  });

  it('3 threads, on nets whose batches of 4 and more run on all 3: the same checks within the same bounds', async () => {
    const backend = await WasmBackend.create({ threads: 3 });
    try {
      expect(backend.threads).toBe(3);
      const threadsAt = (spec: NetworkSpec, n: number) => backend.threadsFor(validateSpec(spec).net, n);
      expect([threadsAt(WIDE.softmax, 4), threadsAt(WIDE.bce, 4), threadsAt(WIDE.softmax, 3)]).toEqual([3, 3, 1]);
      expect(await matrixChecks({ shared: backend }, WIDE)).toEqual([]);
    } finally {
      backend.dispose();
    }
  });
});
