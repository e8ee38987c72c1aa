/**
 * The CPU kernels: plain loops, one function per WGSL kernel in shaders/, same names, same index order.
 * Read each beside its twin. Generic over Float32Array (the oracle) and Float64Array (the
 * finite-difference gradient check). Layout: every matrix is row-major; a layer's Z, A and delta are
 * (units × n), one column per example.
 */
import type { Activation, BiasMode, Loss } from '../spec.ts';

export type Arr = Float32Array | Float64Array;

/** NOTE: tanh is evaluated on z clamped to [−15, 15]; tanh(15) rounds to 1 in float32 anyway, and
 * SwiftShader's tanh returns NaN for large |z|. Both backends clamp so they agree. */
export const TANH_CLAMP = 15;

/** NOTE: stable sigmoid. For z ≥ 0, 1/(1+e^−z); for z < 0, e^z/(1+e^z). Neither branch overflows. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** f(z) for every activation but softmax (which needs the whole column). */
export function activate(activation: Activation, z: number): number {
  switch (activation) {
    case 'identity': return z;
    case 'sigmoid': return sigmoid(z);
    case 'relu': return z > 0 ? z : 0;
    case 'tanh': return Math.tanh(Math.min(Math.max(z, -TANH_CLAMP), TANH_CLAMP));
    case 'softmax': throw new Error('softmax is applied per column by softmaxColumns');
  }
}

/**
 * f'(z), written in terms of a = f(z) as the lectures write it: σ' = a(1 − a), tanh' = 1 − a²,
 * relu' = 1 if a > 0 else 0 (a > 0 ⟺ z > 0; relu'(0) = 0), identity' = 1.
 */
export function activatePrime(activation: Activation, a: number): number {
  switch (activation) {
    case 'identity': return 1;
    case 'sigmoid': return a * (1 - a);
    case 'relu': return a > 0 ? 1 : 0;
    case 'tanh': return 1 - a * a;
    case 'softmax': throw new Error('softmax is only an output activation; its delta is A − Y');
  }
}

export function biasAt(b: Arr, biasMode: BiasMode, i: number): number {
  return biasMode === 'per-unit' ? b[i] : biasMode === 'shared' ? b[0] : 0;
}

/**
 * shaders/forward.wgsl — Z = W·A_prev + b, A = f(Z).
 * W (M × K), A_prev (K × N), Z and A (M × N). Softmax is applied afterwards by softmaxColumns.
 */
export function forward(
  W: Arr, b: Arr, biasMode: BiasMode, A_prev: Arr, Z: Arr, A: Arr,
  M: number, K: number, N: number, activation: Activation,
): void {
  for (let i = 0; i < M; i++) {
    for (let c = 0; c < N; c++) {
      let sum = 0;
      for (let j = 0; j < K; j++) sum += W[i * K + j] * A_prev[j * N + c];
      const z = sum + biasAt(b, biasMode, i);
      Z[i * N + c] = z;
      if (activation !== 'softmax') A[i * N + c] = activate(activation, z);
    }
  }
  if (activation === 'softmax') softmaxColumns(Z, A, M, N);
}

/** NOTE: softmax per column with the column max subtracted first, so exp never overflows. */
export function softmaxColumns(Z: Arr, A: Arr, M: number, N: number): void {
  for (let c = 0; c < N; c++) {
    let max = -Infinity;
    for (let i = 0; i < M; i++) max = Math.max(max, Z[i * N + c]);
    let sum = 0;
    for (let i = 0; i < M; i++) sum += Math.exp(Z[i * N + c] - max);
    for (let i = 0; i < M; i++) A[i * N + c] = Math.exp(Z[i * N + c] - max) / sum;
  }
}

/**
 * shaders/output.wgsl — per example c: the loss L_c and the output delta δ_L[:, c] = ∂L_c/∂Z_L.
 * - mse:  L_c = ½ Σ_i (A − Y)²,  δ_L = (A − Y) ⊙ f'(Z_L)
 * - bce:  L_c = Σ_i −[y log a + (1 − y) log(1 − a)], computed from the logit z (see below); δ_L = A − Y
 * - softmax-cross-entropy: L_c = Σ_i y_i (logsumexp(z) − z_i);  δ_L = A − Y
 * The batch reduction (mean: 1/N, sum: 1) is applied later, in grad_w, grad_b and the loss reduction.
 */
export function output(
  loss: Loss, activation: Activation, Z: Arr, A: Arr, Y: Arr, delta: Arr, lossPerExample: Arr, M: number, N: number,
): void {
  for (let c = 0; c < N; c++) {
    let L = 0;
    if (loss === 'softmax-cross-entropy') {
      let max = -Infinity;
      for (let i = 0; i < M; i++) max = Math.max(max, Z[i * N + c]);
      let sum = 0;
      for (let i = 0; i < M; i++) sum += Math.exp(Z[i * N + c] - max);
      const logsumexp = max + Math.log(sum);
      for (let i = 0; i < M; i++) L += Y[i * N + c] * (logsumexp - Z[i * N + c]);
    }
    for (let i = 0; i < M; i++) {
      const k = i * N + c;
      const a = A[k];
      const y = Y[k];
      const z = Z[k];
      if (loss === 'mse') {
        L += 0.5 * (a - y) * (a - y);
        delta[k] = (a - y) * activatePrime(activation, a);
      } else {
        if (loss === 'bce') {
          // NOTE: BCE from the logit z: −[y log σ(z) + (1−y) log(1−σ(z))] = max(z, 0) − z·y + log(1 + e^−|z|).
          // Exact at a = 0 and a = 1 (no log(0)), and the same formula on both backends.
          L += Math.max(z, 0) - z * y + Math.log(1 + Math.exp(-Math.abs(z)));
        }
        delta[k] = a - y;
      }
    }
    lossPerExample[c] = L;
  }
}

/**
 * shaders/backward.wgsl — δ_l = (W_{l+1}ᵀ·δ_{l+1}) ⊙ f'(Z_l).
 * W_next (M × K) is W_{l+1}; delta_next (M × N); A and delta (K × N) are layer l's.
 */
export function backward(
  W_next: Arr, delta_next: Arr, A: Arr, delta: Arr, M: number, K: number, N: number, activation: Activation,
): void {
  for (let j = 0; j < K; j++) {
    for (let c = 0; c < N; c++) {
      let sum = 0;
      for (let i = 0; i < M; i++) sum += W_next[i * K + j] * delta_next[i * N + c];
      delta[j * N + c] = sum * activatePrime(activation, A[j * N + c]);
    }
  }
}

/** shaders/grad_w.wgsl — ∂L/∂W_l = scale · δ_l·A_{l−1}ᵀ. delta (M × N), A_prev (K × N), dW (M × K). */
export function gradW(delta: Arr, A_prev: Arr, dW: Arr, M: number, K: number, N: number, scale: number): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < K; j++) {
      let sum = 0;
      for (let c = 0; c < N; c++) sum += delta[i * N + c] * A_prev[j * N + c];
      dW[i * K + j] = scale * sum;
    }
  }
}

/**
 * shaders/reduce_rows.wgsl — out[r] = scale · Σ_c src[r·cols + c]. Used for ∂L/∂b (row sums of δ, then,
 * for a shared bias, the sum of those), and for the loss (the sum of the per-example losses).
 */
export function reduceRows(src: Arr, out: Arr, rows: number, cols: number, scale: number): void {
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += src[r * cols + c];
    out[r] = scale * sum;
  }
}

/** shaders/sgd.wgsl — p ← p − lr·g, elementwise. */
export function sgd(p: Arr, g: Arr, lr: number): void {
  for (let k = 0; k < p.length; k++) p[k] -= lr * g[k];
}
