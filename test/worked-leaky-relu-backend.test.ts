/**
 * `check --backend cpu|wasm` on a leaky_relu net: the local factor ∂a/∂z (f'(z), src/worked/sources.ts matrixSource's
 * fprime, from the backend's A) is 1 where z > 0 and 0.01 (LEAKY_SLOPE) where z ≤ 0 — as the scalar engine has it.
 * A 2-2-1 net worked by hand (explain-leaky-relu's): x = (1, −2), z_h1 = 0.5·1 − 0.25·(−2) + 0.125 = 1.125 > 0,
 * z_h2 = −0.75·1 + 1·(−2) − 0.5 = −3.25 ≤ 0; so ∂a_h1/∂z_h1 = 1, ∂a_h2/∂z_h2 = 0.01, and ∂a_h2/∂w3 = f'(z_h2)·x1 =
 * 0.01·1 = 0.01.
 */
import { describe, expect, it } from 'vitest';
import { Model } from '../src/index.ts';
import { checkWorked } from '../src/worked/check.ts';
import { collectRuns } from '../src/worked/runs.ts';
import { matrixSource } from '../src/worked/sources.ts';
import { parseWorked } from '../src/worked/worked.ts';

const spec = {
  inputs: 2, layers: [{ units: 2, activation: 'leaky_relu' as const }, { units: 1, activation: 'identity' as const }], loss: 'mse' as const,
  params: { W: [[[0.5, -0.25], [-0.75, 1]], [[0.5, -1]]], b: [[0.125, -0.5], [0.1]] }, x: [[1, -2]], y: [[1]], lr: 0.1,
};

const worked = parseWorked({
  format: 'backprop-worked-example/1', id: 'leaky', title: 'leaky_relu by hand', source: 'me', description: "f' both sides of the kink",
  spec,
  claims: [
    { name: '∂a_h1/∂z_h1', printed: 1, decimals: 4 },
    { name: '∂a_h2/∂z_h2', printed: 0.01, decimals: 4 },
  ],
});

describe("check on a backend: leaky_relu's f' is 1 for z > 0 and 0.01 for z ≤ 0", () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`${backend}: ∂a_h1/∂z_h1 = 1 (z_h1 = 1.125), ∂a_h2/∂z_h2 = 0.01 (z_h2 = −3.25)`, async () => {
      const runs = await collectRuns((s) => Model.create(s, { backend }), worked.spec);
      const checks = checkWorked(worked, () => matrixSource(backend, worked.spec, runs)).checks;
      expect(checks.map((c) => c.value)).toEqual([1, 0.01]);
      expect(checks.map((c) => c.matches)).toEqual([true, true]);
    });
  }
});
