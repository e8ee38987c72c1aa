/**
 * Which predictions count as right, for fit's history and evaluate(): the same rule on every backend
 * (kernels.ts `epochSums` ↔ shaders/epoch_sums.wgsl, and evaluate's CPU count below).
 *   1 (softmax-cross-entropy): argmax of A_L equals argmax of Y (the first index on ties)
 *   2 (bce with one output unit): A_L ≥ 0.5 equals Y ≥ 0.5
 *   0 otherwise (regression, several sigmoid outputs): no accuracy
 */
import type { AccuracyRule } from '../cpu/kernels.ts';
import type { Net } from '../spec.ts';

export function accuracyRule(net: Net): AccuracyRule {
  const outputs = net.layers[net.layers.length - 1].units;
  if (net.loss === 'softmax-cross-entropy') return 1;
  if (net.loss === 'bce' && outputs === 1) return 2;
  return 0;
}

/** Correct predictions among n examples of A (outputs × n) against Y (outputs × n), by accuracyRule(net). */
export function countCorrect(net: Net, A: Float32Array, Y: Float32Array, n: number): number {
  const rule = accuracyRule(net);
  const outputs = net.layers[net.layers.length - 1].units;
  let correct = 0;
  for (let c = 0; c < n; c++) {
    if (rule === 1) {
      let ia = 0;
      let iy = 0;
      for (let i = 1; i < outputs; i++) {
        if (A[i * n + c] > A[ia * n + c]) ia = i;
        if (Y[i * n + c] > Y[iy * n + c]) iy = i;
      }
      if (ia === iy) correct++;
    } else if (rule === 2 && (A[c] >= 0.5) === (Y[c] >= 0.5)) correct++;
  }
  return correct;
}
