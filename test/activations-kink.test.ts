/**
 * f'(0) at the kink, the project's convention (README "The equations": relu' = [A > 0], leaky_relu' = [A > 0] +
 * 0.01·[A ≤ 0]): z = 0 counts as the z ≤ 0 side, so relu'(0) = 0 and leaky_relu'(0) = 0.01 — on the CPU, in wasm,
 * and in the WGSL (whose kernels are not run in Node: their comparison is read from the source). The nets of
 * test/activations-every-backend.test.ts have no z at exactly 0, so a backend that took 0 as the z > 0 side
 * (`a >= 0`) passed there.
 *
 * Worked by hand: 1 input → 1 unit (the activation) → 1 identity output, mse, one example. x = 0.5, w¹ = 1, b¹ = −0.5:
 * z¹ = 0 exactly (in float32 too), a¹ = 0. w² = 2, b² = 0: ŷ = 0, y = 1, δ² = ŷ − y = −1, δ¹ = w²·δ²·f'(0) = −2·f'(0):
 * 0 for relu, −0.02 for leaky_relu.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import type { NetworkSpec } from '../src/spec.ts';
import { ACT_CODE } from '../src/webgpu/kernels.ts';

const KINKED = [['relu', 0], ['leaky_relu', -0.02]] as const;

describe("f'(0) on the z ≤ 0 side: relu'(0) = 0, leaky_relu'(0) = 0.01", () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it.each(KINKED)(`${backend}: %s, δ¹ = %s at z¹ = 0`, async (activation, delta) => {
      const spec: NetworkSpec = {
        inputs: 1, layers: [{ units: 1, activation }, { units: 1, activation: 'identity' }], loss: 'mse',
        params: { W: [[[1]], [[2]]], b: [[-0.5], [0]] }, x: [[0.5]], y: [[1]],
      };
      const model = await Model.create(spec, backend === 'wasm' ? { backend, threads: 1 } : { backend });
      try {
        const r = await model.grad();
        expect([r.Z[0][0], r.A[0][0], r.delta[1][0]]).toEqual([0, 0, -1]);
        // float32's nearest to −0.02 (the backends store δ as float32); relu's −2·0 is −0 (+ 0 reads it as 0).
        expect(r.delta[0][0] + 0).toBe(Math.fround(delta));
      } finally {
        model.dispose();
      }
    });
  }

  it.each(['matmul.wgsl', 'output.wgsl', 'train_small.wgsl'])("%s: each relu and leaky_relu f' branch tests a > 0.0, strictly", (file) => {
    const wgsl = readFileSync(new URL(`../shaders/${file}`, import.meta.url), 'utf8');
    const prime = /^fn activate_prime\([^)]*\) -> f32 \{\n([\s\S]*?)^\}/m.exec(wgsl)?.[1];
    expect(prime, `${file}: fn activate_prime`).toBeDefined();
    for (const [name] of KINKED) {
      const branch = new RegExp(String.raw`\b(?:ACT|act) == ${ACT_CODE[name]}u\) \{([\s\S]*?)\}`).exec(prime!)?.[1];
      expect(branch, `${file}: ${name}'s branch`).toBeDefined();
      expect(branch, `${file}: ${name}'`).toMatch(/select\([^,]+, 1\.0, a > 0\.0\)/);
    }
  });
});
