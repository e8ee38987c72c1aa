/**
 * Small seeded random nets for the scalar-notation tests: depth 1–4, widths 1–4 (the per-path expansion of
 * a first-layer weight has up to 4³ paths), every hidden activation, loss, bias mode and reduction, batch 1–4.
 */
import type { ActivationName, BiasMode, Loss } from '../../src/spec.ts';
import { type NetCase, randomSpec } from './random-nets.ts';
import { ELEMENTWISE } from './activations.ts';

const HIDDEN = ELEMENTWISE;
const LOSSES: Loss[] = ['mse', 'bce', 'softmax-cross-entropy'];
const BIASES: BiasMode[] = ['per-unit', 'shared', 'none'];

export function notationCases(count: number, seed = 9000): NetCase[] {
  return Array.from({ length: count }, (_, i) => {
    const loss = LOSSES[i % 3];
    const depth = 1 + (i % 4);
    const width = (k: number) => 1 + ((i * 7 + k * 3) % 4);
    const outputs = loss === 'softmax-cross-entropy' ? 2 + (i % 3) : 1 + (i % 2);
    const outputActivation: ActivationName = loss === 'mse' ? HIDDEN[(i >> 1) % HIDDEN.length] : loss === 'bce' ? 'sigmoid' : 'softmax';
    return {
      seed: seed + i,
      inputs: 1 + ((i * 5) % 4),
      hidden: Array.from({ length: depth - 1 }, (_, k) => width(k)),
      outputs,
      // i + 5·(i >> 2): the cases of i + (i >> 2) with 4 activations, and every one of 5 among the nets with a hidden layer.
      hiddenActivation: HIDDEN[(i + 5 * (i >> 2)) % HIDDEN.length],
      outputActivation,
      loss,
      bias: BIASES[(i >> 1) % 3],
      reduction: i % 5 === 3 ? 'sum' : 'mean',
      batch: 1 + (i % 4),
    };
  });
}

export { randomSpec };
export type { NetCase };
