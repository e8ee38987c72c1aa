/**
 * An independent float64 forward pass for one example (and its backward pass, deltas64), its loss and whether it
 * counts as correct, written from the README's definitions (§The equations; §Training on data: fit for the accuracy rule), not from src/. Used by the
 * fit, predict and evaluate references (test/fit-reference.test.ts, test/predict.test.ts) and fit-compare.ts's fitBounds.
 */
import type { Net } from '../../src/spec.ts';

/** softmax of one column, its maximum subtracted first. */
export function softmax64(z: readonly number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const sum = e.reduce((p, q) => p + q, 0);
  return e.map((v) => v / sum);
}

/**
 * Z_1 … Z_L (Z[0] is Z_1) and A_0 = x, A_1, …, A_L of one example x (length net.inputs), with W[l] (units × fanIn,
 * row-major) and b[l] by the layer's bias mode.
 */
export function layers64(net: Net, W: ArrayLike<number>[], b: ArrayLike<number>[], x: ArrayLike<number>): { Z: number[][]; A: number[][] } {
  const Z: number[][] = [];
  const A = [Array.from(x)];
  net.layers.forEach((layer, l) => {
    const a = A[l];
    const z: number[] = [];
    for (let i = 0; i < layer.units; i++) {
      let s = layer.bias === 'per-unit' ? b[l][i] : layer.bias === 'shared' ? b[l][0] : 0;
      for (let j = 0; j < layer.fanIn; j++) s += W[l][i * layer.fanIn + j] * a[j];
      z.push(s);
    }
    Z.push(z);
    if (layer.activation === 'softmax') {
      A.push(softmax64(z));
    } else {
      A.push(z.map((v) => layer.activation === 'identity' ? v : layer.activation === 'relu' ? Math.max(0, v)
        : layer.activation === 'tanh' ? Math.tanh(v) : 1 / (1 + Math.exp(-v))));
    }
  });
  return { Z, A };
}

/** A_L of one example x: layers64's last. */
export function forward64(net: Net, W: ArrayLike<number>[], b: ArrayLike<number>[], x: ArrayLike<number>): number[] {
  return layers64(net, W, b, x).A[net.layers.length];
}

/**
 * δ_1 … δ_L of one example whose A_0 … A_L are `A` (layers64's) and whose label is y, from the README's equations:
 * δ_L = A_L − Y for softmax + cross-entropy and sigmoid + bce, (A_L − Y) ⊙ f'(Z_L) for mse; δ_l = (W_{l+1}ᵀ δ_{l+1}) ⊙ f'(Z_l),
 * f' written in terms of A (ReLU's 0 at Z ≤ 0). Not reduced: the batch's scale (1/n for 'mean') is the caller's.
 * `magnitude`: the same sums of the terms' absolute values (|A_L| + |Y|, |W_{l+1}|ᵀ δ̄_{l+1}; f' ≥ 0): what the
 * float32 rounding of each δ is relative to.
 */
export function deltas64(net: Net, W: ArrayLike<number>[], A: readonly number[][], y: ArrayLike<number>, magnitude = false): number[][] {
  const L = net.layers.length;
  const fPrime = (l: number, a: number) => {
    const f = net.layers[l].activation;
    return f === 'identity' || f === 'softmax' ? 1 : f === 'relu' ? (a > 0 ? 1 : 0) : f === 'tanh' ? 1 - a * a : a * (1 - a);
  };
  const delta: number[][] = new Array(L);
  delta[L - 1] = A[L].map((a, i) => (magnitude ? Math.abs(a) + Math.abs(y[i]) : a - y[i]) * (net.loss === 'mse' ? fPrime(L - 1, a) : 1));
  for (let l = L - 2; l >= 0; l--) {
    const { units, fanIn } = net.layers[l + 1];
    delta[l] = A[l + 1].map((a, j) => {
      let s = 0;
      for (let i = 0; i < units; i++) s += (magnitude ? Math.abs(W[l + 1][i * fanIn + j]) : W[l + 1][i * fanIn + j]) * delta[l + 1][i];
      return s * fPrime(l, a);
    });
  }
  return delta;
}

/** One example's loss (not reduced): ½Σ(a − y)², −Σ[y ln a + (1 − y) ln(1 − a)], or −Σ y ln a. */
export function exampleLoss(net: Net, a: readonly number[], y: readonly number[]): number {
  let total = 0;
  a.forEach((p, i) => {
    if (net.loss === 'mse') total += 0.5 * (p - y[i]) ** 2;
    else if (net.loss === 'bce') total += -(y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p));
    else total += -y[i] * Math.log(p);
  });
  return total;
}

/**
 * Whether a prediction counts as right (README: argmax for softmax, the first index on ties; a single sigmoid output
 * thresholded at 0.5); undefined where the net has no accuracy (regression, several sigmoid outputs).
 */
export function isCorrect(net: Net, a: readonly number[], y: readonly number[]): boolean | undefined {
  const argmax = (v: readonly number[]) => v.reduce((best, q, i) => (q > v[best] ? i : best), 0);
  if (net.loss === 'softmax-cross-entropy') return argmax(a) === argmax(y);
  if (net.loss === 'bce' && a.length === 1) return (a[0] >= 0.5) === (y[0] >= 0.5);
  return undefined;
}
