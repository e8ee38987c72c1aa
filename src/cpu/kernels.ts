/**
 * The CPU kernels: plain loops, each the twin of a WGSL kernel in shaders/ (its doc comment names the file: forward,
 * backward and gradW are the three epilogues of the one shaders/matmul.wgsl), with the same per-output order of
 * operations. Read each beside its twin. The three matmul-shaped kernels share one register-blocked inner loop
 * (`dots`) whose loop order differs from the WGSL's but whose sums run in the same (ascending) order, so the
 * results are bitwise those of the plain triple loops. Generic over Float32Array (the oracle) and Float64Array (the
 * finite-difference gradient check). Layout: every matrix is row-major; a layer's Z, A and delta are
 * (units × n), one column per example.
 */
import { type Activation, type BiasMode, LEAKY_SLOPE, type Loss } from '../spec.ts';

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
    case 'leaky_relu': return z > 0 ? z : LEAKY_SLOPE * z;
    case 'tanh': return Math.tanh(Math.min(Math.max(z, -TANH_CLAMP), TANH_CLAMP));
    case 'softmax': throw new Error('softmax is applied per column by softmaxColumns');
  }
}

/**
 * f'(z), written in terms of a = f(z) as the lectures write it: σ' = a(1 − a), tanh' = 1 − a²,
 * relu' = 1 if a > 0 else 0 (a > 0 ⟺ z > 0; relu'(0) = 0), leaky_relu' = 1 if a > 0 else LEAKY_SLOPE (a > 0 ⟺ z > 0),
 * identity' = 1.
 * NOTE: a is the float32 A, good to half an ulp (≤ 2⁻²⁵ near 1), so 1 − a² and a(1 − a) cancel as a unit saturates:
 * tanh' is 2e-4 off (relative) at z = 5 and 6 % at z = 8, σ' 0.35 % at z = 14; and they are exactly 0 once a rounds
 * to ±1 or 1 (tanh from |z| > 9.01, σ from z > 17.33), where f'(z) is still 3e-8 to 6e-8: a saturated unit passes no
 * gradient back. f'(z) from z would keep those digits; the WGSL and wasm twins compute from A alike.
 */
export function activatePrime(activation: Activation, a: number): number {
  switch (activation) {
    case 'identity': return 1;
    case 'sigmoid': return a * (1 - a);
    case 'relu': return a > 0 ? 1 : 0;
    case 'leaky_relu': return a > 0 ? 1 : LEAKY_SLOPE;
    case 'tanh': return 1 - a * a;
    case 'softmax': throw new Error('softmax is only an output activation; its delta is A − Y');
  }
}

export function biasAt(b: Arr, biasMode: BiasMode, i: number): number {
  return biasMode === 'per-unit' ? b[i] : biasMode === 'shared' ? b[0] : 0;
}

/**
 * Scratch space for the matmul-shaped kernels: transposed operands (T1, T2, the state's element type) and the
 * float64 sums (S). Each CPU state holds one, made with it for its net and batch size (createState, src/cpu/step.ts),
 * so no step allocates.
 */
export interface Scratch {
  T1: Arr;
  T2: Arr;
  S: Float64Array;
}

/** Scratch large enough for one call of forward / backward / gradW with these sizes. */
export function scratchFor(M: number, K: number, N: number, Ctor: Float32ArrayConstructor | Float64ArrayConstructor = Float32Array): Scratch {
  return { T1: new Ctor(Math.max(N * K, K * M)), T2: new Ctor(N * M), S: new Float64Array(Math.max(M * N, K * N, M * K)) };
}

/**
 * dst (cols × rows) = srcᵀ, src (rows × cols) row-major. Loop order: blocks of 16 columns, so each read is 16
 * neighbours of a row (one cache line) and the 16 rows of dst they go to fill together (MNIST's 784 × 8 000 in Node:
 * 8–11 ms, against 16–28 ms for 8 × 8 tiles, 2026-12-05).
 */
export function transpose(src: Arr, rows: number, cols: number, dst: Arr): void {
  for (let c0 = 0; c0 < cols; c0 += 16) {
    const c1 = Math.min(c0 + 16, cols);
    for (let r = 0; r < rows; r++) for (let c = c0; c < c1; c++) dst[c * rows + r] = src[r * cols + c];
  }
}

/**
 * out[r·C + c] = Σ_k lhs[r·K + k] · rhsT[c·K + k] in float64 — matmul.wgsl's names: out (R × C) = lhs (R × K) · rhs
 * (K × C), summed over k < K, with rhs given transposed (rhsT, C × K) so that both operands are read along
 * contiguous rows (the kernels transpose what they need first). The one inner loop of forward, backward and gradW.
 *
 * Loop order (the WGSL twins likewise give each invocation a block of outputs: 4 × 4 in main_tiled, 12 × 8 in
 * main_blocked, 8 × 4 and 16 × 8 in the subgroup variants): blocks of 4 out-rows × 4 out-columns whose 16 running sums live in
 * locals (registers), then the leftover rows (1 × 4 blocks) and columns (1 × 1). Every output's sum still
 * starts at 0 and adds k = 0, 1, …, K − 1 in ascending order, each product of two float32 values exact in
 * float64 — so out is bitwise what the plain triple loop gives, only ~3× faster (measured: 1.1 → 3.2–3.5
 * GFLOP/s in V8 for 256 × 784 × 256; test/bench-kernels.test.ts checks the bits against the plain loops).
 */
export function dots(lhs: Arr, rhsT: Arr, out: Float64Array, R: number, C: number, K: number): void {
  const R4 = R - (R % 4);
  const C4 = C - (C % 4);
  for (let r = 0; r < R4; r += 4) {
    const row0 = r * K, row1 = row0 + K, row2 = row1 + K, row3 = row2 + K;
    for (let c = 0; c < C4; c += 4) {
      const col0 = c * K, col1 = col0 + K, col2 = col1 + K, col3 = col2 + K;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let k = 0; k < K; k++) {
        const l0 = lhs[row0 + k], l1 = lhs[row1 + k], l2 = lhs[row2 + k], l3 = lhs[row3 + k];
        const rt0 = rhsT[col0 + k], rt1 = rhsT[col1 + k], rt2 = rhsT[col2 + k], rt3 = rhsT[col3 + k];
        s00 += l0 * rt0; s01 += l0 * rt1; s02 += l0 * rt2; s03 += l0 * rt3;
        s10 += l1 * rt0; s11 += l1 * rt1; s12 += l1 * rt2; s13 += l1 * rt3;
        s20 += l2 * rt0; s21 += l2 * rt1; s22 += l2 * rt2; s23 += l2 * rt3;
        s30 += l3 * rt0; s31 += l3 * rt1; s32 += l3 * rt2; s33 += l3 * rt3;
      }
      let o = r * C + c;
      out[o] = s00; out[o + 1] = s01; out[o + 2] = s02; out[o + 3] = s03; o += C;
      out[o] = s10; out[o + 1] = s11; out[o + 2] = s12; out[o + 3] = s13; o += C;
      out[o] = s20; out[o + 1] = s21; out[o + 2] = s22; out[o + 3] = s23; o += C;
      out[o] = s30; out[o + 1] = s31; out[o + 2] = s32; out[o + 3] = s33;
    }
    for (let c = C4; c < C; c++) {
      for (let i = 0; i < 4; i++) {
        const row = row0 + i * K;
        const col = c * K;
        let sum = 0;
        for (let k = 0; k < K; k++) sum += lhs[row + k] * rhsT[col + k];
        out[(r + i) * C + c] = sum;
      }
    }
  }
  for (let r = R4; r < R; r++) {
    const row = r * K;
    let c = 0;
    for (; c < C4; c += 4) {
      const col0 = c * K, col1 = col0 + K, col2 = col1 + K, col3 = col2 + K;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < K; k++) {
        const l = lhs[row + k];
        s0 += l * rhsT[col0 + k]; s1 += l * rhsT[col1 + k]; s2 += l * rhsT[col2 + k]; s3 += l * rhsT[col3 + k];
      }
      const o = r * C + c;
      out[o] = s0; out[o + 1] = s1; out[o + 2] = s2; out[o + 3] = s3;
    }
    for (; c < C; c++) {
      const col = c * K;
      let sum = 0;
      for (let k = 0; k < K; k++) sum += lhs[row + k] * rhsT[col + k];
      out[r * C + c] = sum;
    }
  }
}

/**
 * shaders/matmul.wgsl, forward epilogue — Z = W·A_prev + b, A = f(Z).
 * W (M × K), A_prev (K × N), Z and A (M × N). Softmax is applied afterwards by softmaxColumns.
 * Loop order: A_prevᵀ into scratch, then `dots` (Z[i][c] = Σ_j W[i][j]·A_prev[j][c], j ascending, in float64),
 * then per output z = sum + b_i, Z = z, A = f(z) — the WGSL's per-output order of operations.
 * NOTE: A = f(z) of the float64 z, before Z stores it as float32 (as the wasm twin does; its relu and identity take
 * the float32 z, which gives the same bits for those two: src/wasm/kernels.ts SIMD_EXACT): A may differ from f(Z) of
 * the stored Z by an ulp (tanh, sigmoid). Softmax reads the stored Z.
 */
export function forward(
  W: Arr, b: Arr, biasMode: BiasMode, A_prev: Arr, Z: Arr, A: Arr,
  M: number, K: number, N: number, activation: Activation, scratch: Scratch = scratchFor(M, K, N),
): void {
  const { T1: AT, S } = scratch;
  transpose(A_prev, K, N, AT);
  dots(W, AT, S, M, N, K);
  for (let i = 0; i < M; i++) {
    const bias = biasAt(b, biasMode, i);
    const row = i * N;
    if (activation === 'softmax') {
      for (let c = 0; c < N; c++) Z[row + c] = S[row + c] + bias;
    } else {
      for (let c = 0; c < N; c++) {
        const z = S[row + c] + bias;
        Z[row + c] = z;
        A[row + c] = activate(activation, z);
      }
    }
  }
  if (activation === 'softmax') softmaxColumns(Z, A, M, N);
}

/** NOTE: softmax per column with the column max (zmax) subtracted first, so exp never overflows. */
export function softmaxColumns(Z: Arr, A: Arr, M: number, N: number): void {
  for (let c = 0; c < N; c++) {
    let zmax = -Infinity;
    for (let i = 0; i < M; i++) zmax = Math.max(zmax, Z[i * N + c]);
    let sum = 0;
    for (let i = 0; i < M; i++) sum += Math.exp(Z[i * N + c] - zmax);
    for (let i = 0; i < M; i++) A[i * N + c] = Math.exp(Z[i * N + c] - zmax) / sum;
  }
}

/**
 * shaders/output.wgsl — per example c: the loss L_c and the output delta δ_L[:, c] = ∂L_c/∂Z_L.
 * - mse:  L_c = ½ Σ_i (A − Y)²,  δ_L = (A − Y) ⊙ f'(Z_L)
 * - bce:  L_c = Σ_i −[y log a + (1 − y) log(1 − a)], computed from the logit z (see below); δ_L = A − Y
 * - softmax-cross-entropy: L_c = Σ_i y_i (logsumexp(z) − z_i);  δ_L = A − Y
 * The batch reduction (mean: 1/N, sum: 1) is applied later, in gradW (dW), reduceRows (db) and the loss reduction.
 */
export function output(
  loss: Loss, activation: Activation, Z: Arr, A: Arr, Y: Arr, delta: Arr, lossPerExample: Arr, M: number, N: number,
): void {
  for (let c = 0; c < N; c++) {
    let L = 0;
    if (loss === 'softmax-cross-entropy') {
      let zmax = -Infinity;
      for (let i = 0; i < M; i++) zmax = Math.max(zmax, Z[i * N + c]);
      let sum = 0;
      for (let i = 0; i < M; i++) sum += Math.exp(Z[i * N + c] - zmax);
      const logsumexp = zmax + Math.log(sum);
      // NOTE: in float64 logsumexp − z stays finite (|z| ≤ 3.4e38, float32's range), so a label of 0 adds 0 here;
      // output.wgsl, in float32, skips a label of 0 (logits of ±2e38 overflow logsumexp − z there: 0·∞ is NaN).
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
          // Exact at a = 0 and a = 1 (no log(0)), and the same formula on both backends. log(1 + e^−|z|), not
          // log1p (WGSL has none): 1 + e^−|z| drops the term's low digits (0.1 % of it at |z| = 30) and, from
          // |z| ≈ 36.7, all of it — a confidently right example's loss, e^−|z| ≤ 1.1e-16 there, reads 0. δ = A − Y does
          // not use it.
          L += Math.max(z, 0) - z * y + Math.log(1 + Math.exp(-Math.abs(z)));
        }
        delta[k] = a - y;
      }
    }
    lossPerExample[c] = L;
  }
}

/**
 * shaders/matmul.wgsl, backward epilogue (TRANS_L) — δ_l = (W_{l+1}ᵀ·δ_{l+1}) ⊙ f'(Z_l).
 * W_next (M × K) is W_{l+1}; delta_next (M × N); A and delta (K × N) are layer l's.
 * Loop order: W_nextᵀ (K × M) and delta_nextᵀ (N × M) into scratch, then `dots` (Σ_i W_next[i][j]·δ_next[i][c],
 * i ascending, in float64), then δ = sum · f'(A) per output.
 */
export function backward(
  W_next: Arr, delta_next: Arr, A: Arr, delta: Arr, M: number, K: number, N: number, activation: Activation,
  scratch: Scratch = scratchFor(M, K, N),
): void {
  const { T1: WT, T2: DT, S } = scratch;
  transpose(W_next, M, K, WT);
  transpose(delta_next, M, N, DT);
  dots(WT, DT, S, K, N, M);
  for (let at = 0; at < K * N; at++) delta[at] = S[at] * activatePrime(activation, A[at]);
}

/**
 * shaders/matmul.wgsl, grad_w epilogue (TRANS_R) — dW_l = ∂L/∂W_l = scale·δ_l·A_{l−1}ᵀ. delta (M × N), A_prev (K × N), dW (M × K).
 * Loop order: `dots` straight on the rows of delta and A_prev (both contiguous over the examples c; sums over
 * c ascending, in float64), then dW = scale · sum.
 */
export function gradW(delta: Arr, A_prev: Arr, dW: Arr, M: number, K: number, N: number, scale: number, scratch: Scratch = scratchFor(M, K, N)): void {
  const { S } = scratch;
  dots(delta, A_prev, S, M, K, N);
  for (let at = 0; at < M * K; at++) dW[at] = scale * S[at];
}

/**
 * shaders/reduce_rows.wgsl — out[r] = scale · Σ_c src[r·cols + c]. Used for db_l = scale·rowsum(δ_l) (then, for a
 * shared bias, the row sums summed: db_l = scale·Σ_i rowsum(δ_l)_i), and for the loss L = scale·Σ_c L_c.
 */
export function reduceRows(src: Arr, out: Arr, rows: number, cols: number, scale: number): void {
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += src[r * cols + c];
    out[r] = scale * sum;
  }
}

/** shaders/update.wgsl, OPT sgd — p ← p − lr·dW, elementwise (p: a W_l or b_l; dW: its dW_l or db_l). */
export function sgd(p: Arr, dW: Arr, lr: number): void {
  for (let k = 0; k < p.length; k++) p[k] -= lr * dW[k];
}

// ——— fit: gather, the epoch sums and the optimisers' update kernels (src/train/optimizers.ts has the equations) ———

/**
 * shaders/gather.wgsl — dst[j·count + c] = src[j·n + order[start + c]]: columns order[start … start+count−1] of
 * src (rows × n) into dst (rows × count). How a mini-batch is taken from the resident training set.
 */
export function gather(src: Arr, dst: Arr, order: Uint32Array, start: number, count: number, rows: number, n: number): void {
  for (let j = 0; j < rows; j++) {
    for (let c = 0; c < count; c++) dst[j * count + c] = src[j * n + order[start + c]];
  }
}

/** gather with the order start … start+count−1: columns start … start+count−1 of src (rows × n) into dst (rows × count). */
export function copyColumns(src: Arr, dst: Arr, start: number, count: number, rows: number, n: number): void {
  for (let j = 0; j < rows; j++) dst.set(src.subarray(j * n + start, j * n + start + count), j * count);
}

/** Accuracy rule: 1 argmax of A_L vs argmax of Y (softmax), 2 a single sigmoid output thresholded at 0.5 (bce), 0 none. */
export type AccuracyRule = 0 | 1 | 2;

/**
 * shaders/epoch_sums.wgsl — sums[0] += Σ_c L_c and sums[1] += the number of examples c predicted right (by `rule`),
 * over the batch's `count` examples. A (outputs × count) is A_L, Y the batch's labels. Sums in float64, c ascending,
 * the count exact: the oracle's epoch loss is the float64 sum of the float32 per-example losses.
 */
export function epochSums(lossPerExample: Arr, A: Arr, Y: Arr, sums: Float64Array, outputs: number, count: number, rule: AccuracyRule): void {
  let loss = sums[0];
  let correct = sums[1];
  for (let c = 0; c < count; c++) {
    loss += lossPerExample[c];
    if (rule === 1) {
      let ia = 0;
      let iy = 0;
      for (let i = 1; i < outputs; i++) {
        if (A[i * count + c] > A[ia * count + c]) ia = i;
        if (Y[i * count + c] > Y[iy * count + c]) iy = i;
      }
      if (ia === iy) correct += 1;
    } else if (rule === 2) {
      if ((A[c] >= 0.5) === (Y[c] >= 0.5)) correct += 1;
    }
  }
  sums[0] = loss;
  sums[1] = correct;
}

/**
 * shaders/update.wgsl, OPT momentum — one step of torch.optim.SGD (dampening 0), elementwise over p with gradient dW:
 *   g = dW + weightDecay·p;  if mu > 0: buf ← g (first step) or mu·buf + g;  g ← g + mu·buf (nesterov) or buf;
 *   p ← p − lr·g.
 * With mu = 0 (optimizer 'sgd') buf is not touched (pass any array).
 */
export function momentum(p: Arr, dW: Arr, buf: Arr, lr: number, mu: number, weightDecay: number, nesterov: boolean, first: boolean): void {
  for (let k = 0; k < p.length; k++) {
    let g = weightDecay !== 0 ? dW[k] + weightDecay * p[k] : dW[k];
    if (mu !== 0) {
      buf[k] = first ? g : mu * buf[k] + g;
      g = nesterov ? g + mu * buf[k] : buf[k];
    }
    p[k] = p[k] - lr * g;
  }
}

/**
 * shaders/update.wgsl, OPT adam — one step of torch.optim.Adam (decoupled false) or AdamW (decoupled true), elementwise:
 *   AdamW: p ← p·(1 − lr·weightDecay), g = dW;   Adam: g = dW + weightDecay·p
 *   m ← beta1·m + (1 − beta1)·g;  v ← beta2·v + (1 − beta2)·g²;  p ← p − stepSize·m / (√v / bias2Sqrt + eps)
 * stepSize = lr / (1 − beta1^t) and bias2Sqrt = √(1 − beta2^t) come from stepScalars (src/train/optimizers.ts).
 */
export function adam(
  p: Arr, dW: Arr, m: Arr, v: Arr, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, decoupled: boolean,
  stepSize: number, bias2Sqrt: number,
): void {
  for (let k = 0; k < p.length; k++) {
    let g = dW[k];
    if (decoupled) p[k] = p[k] * (1 - lr * weightDecay);
    else if (weightDecay !== 0) g = g + weightDecay * p[k];
    m[k] = beta1 * m[k] + (1 - beta1) * g;
    v[k] = beta2 * v[k] + (1 - beta2) * g * g;
    p[k] = p[k] - stepSize * m[k] / (Math.sqrt(v[k]) / bias2Sqrt + eps);
  }
}
