/**
 * leaky_relu at the kink, z = 0 exactly: f(0) = 0 and f'(0) = 0.01 (LEAKY_SLOPE; README: f' = 1 for z > 0, else 0.01 —
 * 0 counts as ≤ 0, as explain's [z > 0] + 0.01·[z ≤ 0] and check's leaky_relu' have it). The kernels take f' from
 * a = f(z) with `a > 0`; one that took `a ≥ 0` gave 1 at z = 0, and a unit at 0 (a zero input, a zero bias) passed its
 * whole δ back. By hand: 1 input → 1 leaky_relu unit → 1 identity output, mse, x = 0, w1 = 1, b1 = 0: z_h = 0,
 * a_h = 0; ŷ = 2·0 + 0.5 = 0.5, y = 0, ∂L/∂ŷ = ŷ − y = 0.5; δ_h = w2 · ∂L/∂ŷ · f'(0) = 2 · 0.5 · 0.01 = 0.01 = ∂L/∂b1.
 */
import { describe, expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import type { NetworkSpec } from '../src/spec.ts';

const spec: NetworkSpec = {
  inputs: 1, layers: [{ units: 1, activation: 'leaky_relu' }, { units: 1, activation: 'identity' }], loss: 'mse',
  params: { W: [[[1]], [[2]]], b: [[0], [0.5]] }, x: [[0]], y: [[0]],
};

describe("leaky_relu's f'(0) is 0.01 on every Node backend", () => {
  it.each(['cpu', 'wasm'] as const)('%s: z_h = 0, a_h = 0, δ_h = ∂L/∂b1 = 2 · 0.5 · 0.01 = 0.01', async (backend) => {
    const model = await Model.create(spec, backend === 'wasm' ? { backend, threads: 1 } : { backend });
    try {
      const r = await model.grad();
      expect([r.Z[0][0], r.A[0][0]]).toEqual([0, 0]);
      expect(r.delta[0][0]).toBeCloseTo(0.01, 7);
      expect(r.loss).toBeCloseTo(0.125, 7); // ½ · 0.5²
    } finally {
      model.dispose();
    }
  });
});
