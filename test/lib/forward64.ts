/**
 * An independent float64 forward pass for one example, its loss and whether it counts as correct, written from the
 * README's definitions (§The equations; §Training on data: fit for the accuracy rule), not from src/. Used by the
 * fit, predict and evaluate references (test/fit-reference.test.ts, test/predict.test.ts).
 */
import type { Net } from '../../src/spec.ts';

/** softmax of one column, its maximum subtracted first. */
export function softmax64(z: readonly number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const sum = e.reduce((p, q) => p + q, 0);
  return e.map((v) => v / sum);
}

/** A_L of one example x (length net.inputs), with W[l] (units × fanIn, row-major) and b[l] by the layer's bias mode. */
export function forward64(net: Net, W: ArrayLike<number>[], b: ArrayLike<number>[], x: ArrayLike<number>): number[] {
  let a = Array.from(x);
  net.layers.forEach((layer, l) => {
    const z: number[] = [];
    for (let i = 0; i < layer.units; i++) {
      let s = layer.bias === 'per-unit' ? b[l][i] : layer.bias === 'shared' ? b[l][0] : 0;
      for (let j = 0; j < layer.fanIn; j++) s += W[l][i * layer.fanIn + j] * a[j];
      z.push(s);
    }
    if (layer.activation === 'softmax') {
      a = softmax64(z);
    } else {
      a = z.map((v) => layer.activation === 'identity' ? v : layer.activation === 'relu' ? Math.max(0, v)
        : layer.activation === 'tanh' ? Math.tanh(v) : 1 / (1 + Math.exp(-v)));
    }
  });
  return a;
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
