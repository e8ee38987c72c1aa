/**
 * The public calls against the CPU oracle on wasm in Node, on 1 thread and on 3 (test/lib/matrix-checks.ts: init,
 * step, train, grad after setParams, predict, evaluate, fit with a held-out fraction and onEpoch / onBatch, shuffle false
 * with dropLast, an aborted fit, a fit across rebuild; each bound there). The same checks run on wasm in Chromium
 * (test/browser/wasm.test.ts) and on WebGPU in Node on Dawn (test/dawn/run.ts) on matrix-checks' small nets, which run
 * on one thread whatever the backend's count; on 3 threads here they run on wider nets of the same activations, losses
 * and bias modes, past THREAD_MIN_WORK at a batch of 4, so that their steps are split among the 3 threads.
 */
import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../src/spec.ts';
import { validateSpec } from '../src/spec.ts';
import { WasmBackend } from '../src/wasm/backend.ts';
import { type MatrixNets, matrixChecks } from './lib/matrix-checks.ts';

/**
 * 64-512 tanh-64 relu (shared)-3 softmax (none), he: 65 728 multiply-adds an example; 128-512 sigmoid-1 sigmoid
 * (shared), bce 'sum', xavier: 66 048. Past THREAD_MIN_WORK (2¹⁸ = 262 144) from a batch of 4, so every check's full
 * batches run on 3 threads (a partial one of fewer than 4 on 1).
 * NOTE: fit-compare.ts's 5e-6·steps bound was stated on small nets; wider ones drift further from the float64 oracle
 * under Adam whatever the threads: a 128-256-128-3 softmax net gave the aborted AdamW fit 7.3e-5 relative (bound
 * 2.5e-5) on 1 thread and on 3 alike, a 256-128-256-3 one the held-out Adam fit 7.3e-5 (bound 4e-5) on 1. These two
 * stay within it on both.
 */
const WIDE: MatrixNets = {
  softmax: {
    inputs: 64, layers: [{ units: 512, activation: 'tanh' }, { units: 64, activation: 'relu', bias: 'shared' }, { units: 3, activation: 'softmax', bias: 'none' }],
    loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 5 },
  },
  bce: {
    inputs: 128, layers: [{ units: 512, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid', bias: 'shared' }], loss: 'bce', reduction: 'sum', init: { scheme: 'xavier', seed: 2 },
  },
};

describe('the public calls on wasm against the CPU oracle (test/lib/matrix-checks.ts)', () => {
  it('1 thread: init bitwise; step, train, setParams, predict, evaluate, fit, abort and rebuild within their bounds', async () => {
    const backend = await WasmBackend.create({ threads: 1 });
    try {
      expect(backend.threads).toBe(1);
      expect(await matrixChecks({ shared: backend })).toEqual([]);
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
