/**
 * The parity bounds (test/lib/tolerance.ts parityBounds: how far WebGPU or wasm may be from the CPU oracle) at an
 * activation's kink. A unit whose z is within its own bound of 0 may fall on either side of the kink on the other
 * engine: relu's f' is then 0 on one and 1 on the other, leaky_relu's 0.01 on one and 1 on the other, and A moves
 * by up to the bound of z. The bounds gave relu this switch; leaky_relu (contrib60) fell to the smooth branch —
 * A's bound 0.01·e_Z on the slope side, δ's with no switch at all — so a leaky unit at its kink on a GPU that
 * rounds z the other way read as a wrong backend.
 *
 * Worked by hand: 1 input → 1 unit (the activation) → 1 identity output, mse, one example. x = 0.5, w¹ = 1, b¹ = −0.5:
 * z¹ = 0 exactly (float32 too), a¹ = 0 (the CPU's f'(0): relu 0, leaky 0.01, the project's z ≤ 0 side). w² = 2,
 * b² = 0: ŷ = 0, y = 1, δ² = ŷ − y = −1, so G = w²·δ² = −2 and δ¹ = G·f'(0) — 0 (relu), −0.02 (leaky); an engine
 * whose z¹ rounds above 0 has δ¹ = −2: |Δδ¹| = 2 (relu), 1.98 (leaky). And its a¹ = z¹, up to the bound of z¹.
 */
import { describe, expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import { type NetworkSpec, validateSpec } from '../src/spec.ts';
import { parityBounds } from './lib/tolerance.ts';

async function boundsAtKink(activation: 'relu' | 'leaky_relu') {
  const spec: NetworkSpec = {
    inputs: 1, layers: [{ units: 1, activation }, { units: 1, activation: 'identity' }], loss: 'mse',
    params: { W: [[[1]], [[2]]], b: [[-0.5], [0]] }, x: [[0.5]], y: [[1]],
  };
  const valid = validateSpec(spec);
  const model = await Model.create(spec, { backend: 'cpu' });
  try {
    const cpu = await model.grad();
    return { cpu, bounds: parityBounds(valid.net, valid.params!, valid.batch!.X, valid.batch!.Y, 1, cpu) };
  } finally {
    model.dispose();
  }
}

describe('parityBounds at the kink: a unit may switch sides on the other engine', () => {
  it.each([['relu', 2, 0], ['leaky_relu', 1.98, -0.02]] as const)('%s: δ¹ may move by %s, A¹ by the bound of z¹', async (activation, jump, delta) => {
    const { cpu, bounds } = await boundsAtKink(activation);
    // The hand-worked pass (the case is what it says: z¹ at the kink, δ¹ on the z ≤ 0 side).
    expect([cpu.Z[0][0], cpu.A[0][0], cpu.delta[1][0]]).toEqual([0, 0, -1]);
    expect(cpu.delta[0][0]).toBeCloseTo(delta, 7);
    expect(bounds.Z[0][0]).toBeGreaterThan(0);
    expect(bounds.A[0][0], 'A¹: the other engine\'s a¹ = z¹ when its z¹ rounds above 0').toBeGreaterThanOrEqual(bounds.Z[0][0]);
    expect(bounds.delta[0][0], 'δ¹: G·1 against G·f\'(0)').toBeGreaterThanOrEqual(jump);
  });
});
