/**
 * The public calls against the CPU oracle on wasm in Node, on 1 thread and on 3 (test/lib/matrix-checks.ts: init,
 * step, train, grad after setParams, predict, evaluate, fit with a held-out fraction and onEpoch / onBatch, shuffle false
 * with dropLast, an aborted fit, a fit across rebuild; each bound there). The same checks run on wasm in Chromium
 * (test/browser/wasm.test.ts) and on WebGPU in Node on Dawn (test/dawn/run.ts); a fit whose batch nets run on 3 threads
 * meets the oracle in test/wasm-fit.test.ts (these nets run on one thread whatever the backend's count).
 */
import { describe, expect, it } from 'vitest';
import { WasmBackend } from '../src/wasm/backend.ts';
import { matrixChecks } from './lib/matrix-checks.ts';

describe('the public calls on wasm against the CPU oracle (test/lib/matrix-checks.ts)', () => {
  for (const threads of [1, 3]) {
    it(`${threads} thread(s): init bitwise; step, train, setParams, predict, evaluate, fit, abort and rebuild within their bounds`, async () => {
      const backend = await WasmBackend.create({ threads });
      try {
        expect(backend.threads).toBe(threads);
        expect(await matrixChecks({ shared: backend })).toEqual([]);
      } finally {
        backend.dispose();
      }
    });
  }
});
