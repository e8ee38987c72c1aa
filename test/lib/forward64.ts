/**
 * An independent float64 forward pass for one example (and its backward pass, deltas64), its loss and whether it
 * counts as correct, written from the README's definitions (§The equations; §Training on data: fit for the accuracy rule), not from src/. Used by the
 * fit, predict and evaluate references (test/fit-reference.test.ts, test/predict.test.ts) and fit-compare.ts's fitBounds.
 */
import type { Activation, Net } from '../../src/spec.ts';
import { fPrime, fPrimeSlope } from './tolerance.ts';

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
 * How far apart two float32 engines' A of one unit are taken to be, in units of 2⁻²³·|a| (deltas64's NOTE), for tanh
 * and sigmoid. The CPU's and wasm's are tanh(z) and 1/(1 + e^−z) in float64 rounded to float32: half an ulp (≤ 2⁻²⁴|a|)
 * each from the exact f of their own Z. WGSL's are float32 throughout, and SwiftShader's own error is not measured per
 * ulp: the project's fact for it is a tolerance, 1e-6 (tanh) and 1e-6 + 1e-5·|a| (sigmoid) (tolerance.ts
 * activationError, reliability checklist item 16), which would make these bounds too loose to catch a 1e-4 error on a
 * saturated sigmoid net (tried). So 8 is an assumption for WebGPU — 8·2⁻²³ ≈ 9.5e-7 near a = 1, about the tanh
 * tolerance there, far under the sigmoid one — and untested on a saturated net there (test/dawn/run.ts's nets do not
 * saturate).
 */
export const A_ULPS = 8;

/**
 * How far f' written in terms of a (as the engines compute it, from their float32 A) moves when A moves by
 * Δa = A_ULPS·2⁻²³·|a|: |f'(a + Δa) − f'(a)| ≤ |d f'/d a|·Δa + Δa² (tolerance.ts fPrimeSlope: tanh's 1 − a² by
 * 2|a|, sigmoid's a(1 − a) by |1 − 2a|), plus half an ulp of a² for tanh (WGSL's a·a in float32); 0 for identity,
 * ReLU and softmax.
 */
export function fPrimeShift(activation: Activation, a: number): number {
  if (activation !== 'tanh' && activation !== 'sigmoid') return 0;
  const da = A_ULPS * 2 ** -23 * Math.abs(a);
  return fPrimeSlope(activation, a) * da + da * da + (activation === 'tanh' ? 2 ** -24 * a * a : 0);
}

/**
 * δ_1 … δ_L of one example whose A_0 … A_L are `A` (layers64's) and whose label is y, from the README's equations:
 * δ_L = A_L − Y for softmax + cross-entropy and sigmoid + bce, (A_L − Y) ⊙ f'(Z_L) for mse; δ_l = (W_{l+1}ᵀ δ_{l+1}) ⊙ f'(Z_l),
 * f' written in terms of A (ReLU's 0 at Z ≤ 0). Not reduced: the batch's scale (1/n for 'mean') is the caller's.
 *
 * `magnitude` (given `noise`, the float32 rounding of a sum relative to its Σ|terms|): δ̄, such that noise·δ̄ bounds
 * how far a float32 engine's δ may be from this one:
 * - the same sums of the terms' absolute values: |A_L| + |Y| at the output, |W_{l+1}|ᵀ δ̄_{l+1} below it, times f' ≥ 0;
 * NOTE: each f' (mse's at the output too) also gets fPrimeShift(a)/noise, in δ̄'s units (noise·δ̄ is the error):
 * - the engines compute f' from their float32 A: 1 − a² and a(1 − a) cancel as a unit saturates, so A's rounding
 *   (half an ulp) moves f' by up to 2|a|·2⁻²⁴|a|, absolutely, however small f' is (tanh' 1.8e-4 at z = 5 moves ~1e-7);
 * - assumed: two engines' A within A_ULPS·2⁻²³·|a| of each other (A_ULPS = 8: CPU and wasm half an ulp each; WebGPU assumed);
 * - the upstream factor is the δ̄ one (|A_L| + |Y|, |W_{l+1}|ᵀ δ̄_{l+1}): ≥ |W_{l+1}ᵀ δ_{l+1}| and its error;
 * - not covered: Z's own float32 error carried through f into A and f' (f'·ΔZ, f''·ΔZ: first order, and the
 *   reference A is float64): the relative part's, and measured small next to the above (fit-compare.ts's NOTE).
 */
export function deltas64(net: Net, W: ArrayLike<number>[], A: readonly number[][], y: ArrayLike<number>, magnitude?: { noise: number }): number[][] {
  const L = net.layers.length;
  const fPrimeOf = (l: number, a: number) => {
    const f = net.layers[l].activation;
    return magnitude === undefined ? fPrime(f, a) : fPrime(f, a) + fPrimeShift(f, a) / magnitude.noise;
  };
  const delta: number[][] = new Array(L);
  delta[L - 1] = A[L].map((a, i) => (magnitude ? Math.abs(a) + Math.abs(y[i]) : a - y[i]) * (net.loss === 'mse' ? fPrimeOf(L - 1, a) : 1));
  for (let l = L - 2; l >= 0; l--) {
    const { units, fanIn } = net.layers[l + 1];
    delta[l] = A[l + 1].map((a, j) => {
      let s = 0;
      for (let i = 0; i < units; i++) s += (magnitude ? Math.abs(W[l + 1][i * fanIn + j]) : W[l + 1][i * fanIn + j]) * delta[l + 1][i];
      return s * fPrimeOf(l, a);
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
