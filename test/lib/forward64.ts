/**
 * An independent float64 forward pass for one example (and its backward pass, deltas64; their float32 engines' distance
 * from them, forwardErrors64 and deltaBounds64), its loss and whether it
 * counts as correct, written from the README's definitions (§The equations; §Training on data: fit for the accuracy rule), not from src/. Used by the
 * fit, predict and evaluate references (test/fit-reference.test.ts, test/predict.test.ts) and fit-compare.ts's fitBounds.
 */
import type { Activation, Net } from '../../src/spec.ts';
import { dotErr, fPrime, fPrimeSlope } from './tolerance.ts';

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
      const f = layer.activation;
      A.push(z.map((v) => act64(f, v)));
    }
  });
  return { Z, A };
}

/**
 * f(z) in float64, every elementwise activation by name (README "The equations"): a ternary chain ending in sigmoid
 * ran leaky_relu as sigmoid when it was added (test/forward64-activations.test.ts).
 */
function act64(f: Exclude<Activation, 'softmax'>, z: number): number {
  switch (f) {
    case 'identity': return z;
    case 'relu': return Math.max(0, z);
    case 'leaky_relu': return z > 0 ? z : 0.01 * z;
    case 'tanh': return Math.tanh(z);
    case 'sigmoid': return 1 / (1 + Math.exp(-z));
  }
}

/** A_L of one example x: layers64's last. */
export function forward64(net: Net, W: ArrayLike<number>[], b: ArrayLike<number>[], x: ArrayLike<number>): number[] {
  return layers64(net, W, b, x).A[net.layers.length];
}

/**
 * Ā_0 … Ā_L of one example whose A_0 … A_L are `A` (layers64's): how far a float32 engine's A may be from this float64
 * one, in units of `noise` (fitBounds': noise·Ā is the distance) — tolerance.ts's forward propagation (parityBounds'
 * e_Z, e_A), against float64. Each Z_l[i] is a float32 engine's dot product of K = fanIn + 1 terms (the bias one),
 * dotErr(K, Σ|terms|) from float64 (the fact; Σ|terms| = |b_l[i]| + Σ_j |W_l[i][j]·A_{l−1}[j]|), whose inputs are
 * noise·Ā_{l−1} off (first order: Σ_j |W_l[i][j]|·noise·Ā_{l−1}[j]): noise·Z̄ = dotErr(K, Σ|terms|) + Σ_j |W_l[i][j]|·noise·Ā_{l−1}[j];
 * Ā_l = f'(a)·Z̄ (ReLU's 0 or 1: a switch near 0 is fitBounds' cap), softmax's 2·a_i·max_k Z̄_k (tolerance.ts's); Ā_0 = 0
 * (x is given). A's own rounding, half an ulp, is within the next Z's noise.
 * NOTE: without it δ̄ missed a Z that cancels, and fitBounds threw at step 1 (test/fit-bounds.test.ts): 1-4 identity-4
 * tanh, mse, one example: Z_2[0] = −0.0126 of Σ|terms| 1.75, which A_1's float32 rounding (3e-8 relative) moved by
 * 5.9e-8, so the CPU's dW_2[0][0] was 1.5e-8 from the float64 one, where noise·δ̄·|A_1[0]| allowed 7.3e-9.
 */
export function forwardErrors64(net: Net, W: ArrayLike<number>[], b: ArrayLike<number>[], A: readonly number[][], noise: number): number[][] {
  const errors = [A[0].map(() => 0)];
  net.layers.forEach((layer, l) => {
    const below = errors[l];
    const own = dotErr(layer.fanIn + 1, 1) / noise; // this dot product's fact (K + 1 with the bias, as parityBounds), in noise's units
    const zBar = Array.from({ length: layer.units }, (_, i) => {
      let terms = layer.bias === 'per-unit' ? Math.abs(b[l][i]) : layer.bias === 'shared' ? Math.abs(b[l][0]) : 0;
      let carried = 0;
      for (let j = 0; j < layer.fanIn; j++) {
        terms += Math.abs(W[l][i * layer.fanIn + j] * A[l][j]);
        carried += Math.abs(W[l][i * layer.fanIn + j]) * below[j];
      }
      return own * terms + carried;
    });
    const widest = Math.max(...zBar);
    errors.push(A[l + 1].map((a, i) => (layer.activation === 'softmax' ? 2 * a * widest : fPrime(layer.activation, a) * zBar[i])));
  });
  return errors;
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
 */
export function deltas64(net: Net, W: ArrayLike<number>[], A: readonly number[][], y: ArrayLike<number>): number[][] {
  const L = net.layers.length;
  const delta: number[][] = new Array(L);
  delta[L - 1] = A[L].map((a, i) => (a - y[i]) * (net.loss === 'mse' ? fPrime(net.layers[L - 1].activation, a) : 1));
  for (let l = L - 2; l >= 0; l--) {
    const { units, fanIn } = net.layers[l + 1];
    delta[l] = A[l + 1].map((a, j) => {
      let s = 0;
      for (let i = 0; i < units; i++) s += W[l + 1][i * fanIn + j] * delta[l + 1][i];
      return s * fPrime(net.layers[l].activation, a);
    });
  }
  return delta;
}

/**
 * deltas64's δ bounded, for one example, given `noise` (the float32 rounding of a sum relative to its Σ|terms|) and
 * `forward` (forwardErrors64's Ā of the example): `size`, |δ|'s bound (|A_L| + |Y| at the output, times f' for mse;
 * |W_{l+1}|ᵀ size_{l+1} ⊙ f' below), and `error`, δ̄, such that noise·δ̄ bounds how far a float32 engine's δ may be from
 * deltas64's:
 * - the same sums of the terms' absolute values: |A_L| + |Y| at the output, |W_{l+1}|ᵀ δ̄_{l+1} below it, times f' ≥ 0;
 * NOTE: each f' (mse's at the output too) also gets fPrimeShift(a)/noise, in δ̄'s units (noise·δ̄ is the error):
 * - the engines compute f' from their float32 A: 1 − a² and a(1 − a) cancel as a unit saturates, so A's rounding
 *   (half an ulp) moves f' by up to 2|a|·2⁻²⁴|a|, absolutely, however small f' is (tanh' 1.8e-4 at z = 5 moves ~1e-7);
 * - assumed: two engines' A within A_ULPS·2⁻²³·|a| of each other (A_ULPS = 8: CPU and wasm half an ulp each; WebGPU assumed);
 * - the upstream factor of those shifts is size's (|A_L| + |Y|, |W_{l+1}|ᵀ size_{l+1}): ≥ |W_{l+1}ᵀ δ_{l+1}|;
 * - A's distance noise·Ā carried, first order: Ā_L at the output of softmax and bce (δ_L = A − Y),
 *   f'·Ā_L + (|A_L| + |Y|)·|df'/da|·Ā_L for mse; size's |W_{l+1}|ᵀ size_{l+1}·|df'/da|·Ā_l below (tolerance.ts
 *   fPrimeSlope: f' written in terms of a moves with a). Size, not δ̄, multiplies the shifts: δ̄ is a distance in
 *   noise's units, and a distance times a distance is second order (with δ̄ there, saturated tanh units of x × 10
 *   got the cap on every first-layer weight: test/fit-bounds.test.ts).
 */
export function deltaBounds64(net: Net, W: ArrayLike<number>[], A: readonly number[][], y: ArrayLike<number>, noise: number, forward: number[][]): { size: number[][]; error: number[][] } {
  const L = net.layers.length;
  /** How far f' of layer l's unit k may move, in noise's units: A's rounding (fPrimeShift) and its carried distance. */
  const shift = (l: number, a: number, k: number) => {
    const f = net.layers[l].activation;
    return fPrimeShift(f, a) / noise + fPrimeSlope(f, a) * forward[l + 1][k];
  };
  const size: number[][] = new Array(L);
  const error: number[][] = new Array(L);
  const last = net.layers[L - 1].activation;
  size[L - 1] = A[L].map((a, i) => (Math.abs(a) + Math.abs(y[i])) * (net.loss === 'mse' ? fPrime(last, a) : 1));
  error[L - 1] = A[L].map((a, i) => {
    const both = Math.abs(a) + Math.abs(y[i]);
    return net.loss === 'mse' ? both * (fPrime(last, a) + shift(L - 1, a, i)) + fPrime(last, a) * forward[L][i] : both + forward[L][i];
  });
  for (let l = L - 2; l >= 0; l--) {
    const { units, fanIn } = net.layers[l + 1];
    const f = net.layers[l].activation;
    size[l] = [];
    error[l] = A[l + 1].map((a, j) => {
      let s = 0;
      let e = 0;
      for (let i = 0; i < units; i++) {
        s += Math.abs(W[l + 1][i * fanIn + j]) * size[l + 1][i];
        e += Math.abs(W[l + 1][i * fanIn + j]) * error[l + 1][i];
      }
      size[l].push(s * fPrime(f, a));
      return e * fPrime(f, a) + s * shift(l, a, j);
    });
  }
  return { size, error };
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
