/**
 * CPU evaluation for the lab's views (decision boundary, confusion matrix, loss surface): the oracle's own
 * kernels (src/cpu/) run on points that are not the training batch. Training itself always goes through a
 * Model on the chosen backend; these views only read its current parameters.
 */
import { createState, step } from '../cpu/step.ts';
import { forward, scratchFor } from '../cpu/kernels.ts';
import type { Net, Params } from '../spec.ts';

/**
 * The output activations A_L (outputs × n, row-major: A_L[k * n + c]) for inputs X (inputs × n, row-major:
 * X[j * n + c], examples are columns, as everywhere in the engine).
 */
export function predict(net: Net, params: Params, X: Float32Array, n: number): Float32Array {
  let A_prev = X;
  net.layers.forEach((layer, l) => {
    const Z = new Float32Array(layer.units * n);
    const A = new Float32Array(layer.units * n);
    forward(params.W[l], params.b[l], layer.bias, A_prev, Z, A, layer.units, layer.fanIn, n, layer.activation, scratchFor(layer.units, layer.fanIn, n));
    A_prev = A;
  });
  return A_prev;
}

/**
 * The class of example c from an (K × n) output matrix (engine layout: out[k * n + c]): the argmax over its column,
 * the first on ties; with one output, 1 when it is ≥ 0.5 (sigmoid, or an identity output read as a probability), else 0.
 */
export function argmaxColumn(out: ArrayLike<number>, K: number, n: number, c: number): number {
  if (K === 1) return out[c] >= 0.5 ? 1 : 0;
  let best = 0;
  for (let k = 1; k < K; k++) if (out[k * n + c] > out[best * n + c]) best = k;
  return best;
}

/** The loss L of `params` on the batch (X inputs × n, Y outputs × n), as one CPU forward pass computes it. */
export function lossAt(net: Net, params: Params, X: Float32Array, Y: Float32Array, n: number): number {
  const s = createState(net, n);
  params.W.forEach((w, l) => s.W[l].set(w));
  params.b.forEach((b, l) => s.b[l].set(b));
  s.X.set(X);
  s.Y.set(Y);
  step(s, 0, false);
  return s.loss;
}

/**
 * The mean per-example loss Σ_c L_c / n of `params` on the batch, whatever the net's reduction: what Model.evaluate and
 * fit's validation loss report (lossAt gives the reduction's L, the sum under reduction 'sum').
 */
export function lossPerExample(net: Net, params: Params, X: Float32Array, Y: Float32Array, n: number): number {
  return perExample(net, lossAt(net, params, X, Y, n), n);
}

/**
 * The reduction's L of a batch of `n` examples as the mean per example: L / n under reduction 'sum', L itself (the
 * same number, not divided again) under 'mean'. What every point of the lab's loss curve is (session.ts).
 */
export function perExample(net: Net, L: number, n: number): number {
  return net.reduction === 'sum' ? L / n : L;
}

/**
 * Whether an edit from `was` to `spec` starts a new loss curve: another loss function measures something else;
 * another reduction does not — every point is the loss per example (perExample) — so the curve goes on, and shows
 * what the reduction changes in training (under 'sum' the step is n× the 'mean' step at the same learning rate).
 */
export function startsNewCurve(was: { loss: Net['loss']; reduction?: Net['reduction'] }, spec: { loss: Net['loss']; reduction?: Net['reduction'] }): boolean {
  return spec.loss !== was.loss;
}

/**
 * A reusable loss evaluator for many parameter sets on one batch (the loss surface: thousands of points): the loss per
 * example (perExample), as the loss curve's points are, so that the surface's heights and its caption's "the loss is …"
 * read on the curve's scale under reduction 'sum' too (and on a batch cut to its first m examples, the mean over those m).
 */
export function lossEvaluator(net: Net, X: Float32Array, Y: Float32Array, n: number): (params: Params) => number {
  const s = createState(net, n);
  s.X.set(X);
  s.Y.set(Y);
  return (params) => {
    params.W.forEach((w, l) => s.W[l].set(w));
    params.b.forEach((b, l) => s.b[l].set(b));
    step(s, 0, false);
    return perExample(net, s.loss, n);
  };
}
