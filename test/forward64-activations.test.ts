/**
 * test/lib/forward64.ts layers64, the float64 forward pass the fit, predict and evaluate references check the engine
 * against, computes each activation by name. Its activation was a ternary chain — identity, relu, tanh, and the last
 * arm sigmoid — so leaky_relu (contrib60) ran there as sigmoid, silently, as the bench's jax act had run any other
 * activation as identity. Hand-worked: x = (1, −2), W¹ = [[0.5, −0.25], [−0.75, 1]], b¹ = (0.125, −0.5):
 * z¹ = (0.5 + 0.5 + 0.125, −0.75 − 2 − 0.5) = (1.125, −3.25), one unit on each side of 0.
 */
import { describe, expect, it } from 'vitest';
import { validateNet } from '../src/spec.ts';
import { ELEMENTWISE, type Elementwise } from './lib/activations.ts';
import { layers64 } from './lib/forward64.ts';

/** f(1.125) and f(−3.25) from each formula (README "The equations"). */
const HAND: Record<Elementwise, [number, number]> = {
  identity: [1.125, -3.25],
  sigmoid: [1 / (1 + Math.exp(-1.125)), 1 / (1 + Math.exp(3.25))],
  relu: [1.125, 0],
  leaky_relu: [1.125, -0.0325],
  tanh: [Math.tanh(1.125), Math.tanh(-3.25)],
};

describe('layers64: every elementwise activation by its own formula', () => {
  it.each(ELEMENTWISE)('%s', (activation) => {
    const net = validateNet({ inputs: 2, layers: [{ units: 2, activation }, { units: 1, activation: 'identity' }], loss: 'mse' });
    const { Z, A } = layers64(net, [[0.5, -0.25, -0.75, 1], [0.5, -1]], [[0.125, -0.5], [0.1]], [1, -2]);
    expect(Z[0]).toEqual([1.125, -3.25]);
    const [p, q] = HAND[activation];
    expect(A[1][0]).toBeCloseTo(p, 14);
    expect(A[1][1]).toBeCloseTo(q, 14);
  });
});
