/**
 * How far WebGPU (float32 on the GPU, fixed-order sums) may be from the CPU oracle, element by element.
 *
 * Two measured facts (../shared/notes/reliability-checklist.md items 16–17, Chromium 156 SwiftShader):
 *  - one K-term float32 dot product:  |gpu − cpu| ≤ 2·√K·2⁻²³·Σ|aᵢbᵢ|   (seen: 0.2–0.4·√K ulps of Σ|ab|);
 *  - one elementwise function (exp, sigmoid, softmax…): atol 1e-6 + rtol 1e-5 (tanh: absolute only).
 * A layer's inputs already differ between the backends, so the bound of each quantity is that quantity's own
 * rounding (the facts above) plus the first-order propagation of its inputs' bounds (|W|·e_A, |f'|·e_Z, …),
 * computed from the CPU values. Nothing here is tuned to pass: every term is one of the two facts or a
 * derivative. A ReLU (or leaky ReLU) whose pre-activation is within its bound of 0 may switch on one backend and
 * not the other: its A and f' then get the whole switch as their bound (test/tolerance-kink.test.ts).
 */
import type { Activation, Net, Params } from '../../src/spec.ts';
import type { GradResult } from '../../src/model.ts';
import { biasLength } from '../../src/spec.ts';

const U = 2 ** -23;
const ATOL = 1e-6;
const RTOL = 1e-5;

/** The dot-product fact above: a K-term float32 sum's distance between two engines, of its Σ|terms| `sumAbs`. */
export const dotErr = (K: number, sumAbs: number): number => 2 * Math.sqrt(K) * U * sumAbs;
const elem = (x: number): number => ATOL + RTOL * Math.abs(x);

/**
 * How far two engines' A = f(z) of one unit may be apart by f's own rounding, their Z the same: the elementwise fact
 * above (tanh: absolute only).
 */
function activationError(activation: Activation, a: number): number {
  return activation === 'tanh' ? ATOL : elem(a);
}

/** |d f'(a) / d a| for f' written in terms of a (as the kernels do). */
export function fPrimeSlope(act: Activation, a: number): number {
  switch (act) {
    case 'sigmoid': return Math.abs(1 - 2 * a);
    case 'tanh': return 2 * Math.abs(a);
    default: return 0;
  }
}

/** f'(z) written in terms of a = f(z), as the kernels compute it (ReLU's 0 at a = 0; softmax's handled with its loss). */
export function fPrime(act: Activation, a: number): number {
  switch (act) {
    case 'identity': return 1;
    case 'sigmoid': return a * (1 - a);
    case 'relu': return a > 0 ? 1 : 0;
    case 'leaky_relu': return a > 0 ? 1 : 0.01;
    case 'tanh': return 1 - a * a;
    case 'softmax': return 1;
  }
}

export interface Bounds {
  loss: number;
  /** Each example's loss L_c (n): the terms the loss's bound sums, eL_c + elem(L_c). */
  losses: Float64Array;
  Z: Float64Array[];
  A: Float64Array[];
  delta: Float64Array[];
  dW: Float64Array[];
  db: Float64Array[];
}

/** Element-wise bounds on |gpu − cpu| for one forward/backward pass, from the CPU values `cpu`. */
export function parityBounds(net: Net, params: Params, X: Float32Array, Y: Float32Array, n: number, cpu: GradResult): Bounds {
  const L = net.layers.length;
  const scale = net.reduction === 'mean' ? 1 / n : 1;
  const eZ: Float64Array[] = [];
  const eA: Float64Array[] = [];
  /** ReLU and leaky ReLU units whose side of the kink may differ between the backends. */
  const flips: Uint8Array[] = [];
  const aPrev = (l: number) => (l === 0 ? X : cpu.A[l - 1]);
  const eAPrev = (l: number) => (l === 0 ? new Float64Array(X.length) : eA[l - 1]);

  net.layers.forEach((layer, l) => {
    const { units: M, fanIn: K, activation } = layer;
    const W = params.W[l];
    const b = params.b[l];
    const Ap = aPrev(l);
    const eAp = eAPrev(l);
    const ez = new Float64Array(M * n);
    const ea = new Float64Array(M * n);
    const flip = new Uint8Array(M * n);
    for (let i = 0; i < M; i++) {
      const bias = biasLength(layer) === 0 ? 0 : Math.abs(b[layer.bias === 'shared' ? 0 : i]);
      for (let c = 0; c < n; c++) {
        let S = bias;
        let P = 0;
        for (let j = 0; j < K; j++) {
          S += Math.abs(W[i * K + j] * Ap[j * n + c]);
          P += Math.abs(W[i * K + j]) * eAp[j * n + c];
        }
        const k = i * n + c;
        ez[k] = dotErr(K + 1, S) + P + elem(cpu.Z[l][k]);
      }
    }
    for (let c = 0; c < n; c++) {
      let maxEz = 0;
      for (let i = 0; i < M; i++) maxEz = Math.max(maxEz, ez[i * n + c]);
      for (let i = 0; i < M; i++) {
        const k = i * n + c;
        const a = cpu.A[l][k];
        const z = cpu.Z[l][k];
        if (activation === 'softmax') ea[k] = 2 * a * maxEz + elem(a);
        else if (activation === 'relu' || activation === 'leaky_relu') {
          // NOTE: leaky_relu's kink too: f' 0.01 on one engine and 1 on the other, a up to |z| + e_Z apart.
          if (Math.abs(z) <= ez[k]) { flip[k] = 1; ea[k] = Math.abs(z) + ez[k] + elem(a); }
          else ea[k] = fPrime(activation, a) * ez[k] + elem(a);
        } else ea[k] = fPrime(activation, a) * ez[k] + activationError(activation, a);
      }
    }
    eZ.push(ez);
    eA.push(ea);
    flips.push(flip);
  });

  // Output layer: per-example loss and δ_L.
  const last = net.layers[L - 1];
  const M = last.units;
  const eDelta: Float64Array[] = net.layers.map((layer) => new Float64Array(layer.units * n));
  let sumAbsLoss = 0;
  let sumELoss = 0;
  const eLosses = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    let Lc = 0;
    let eLc = 0;
    for (let i = 0; i < M; i++) {
      const k = i * n + c;
      const a = cpu.A[L - 1][k];
      const y = Y[k];
      const ea = eA[L - 1][k];
      if (net.loss === 'mse') {
        Lc += 0.5 * (a - y) ** 2;
        eLc += Math.abs(a - y) * ea;
        eDelta[L - 1][k] = fPrime(last.activation, a) * ea + Math.abs(a - y) * fPrimeSlope(last.activation, a) * ea + elem(cpu.delta[L - 1][k]);
      } else {
        eLc += Math.abs(a - y) * eZ[L - 1][k] + ATOL;
        eDelta[L - 1][k] = ea + elem(cpu.delta[L - 1][k]);
      }
    }
    sumAbsLoss += Math.abs(Lc);
    eLosses[c] = eLc + elem(Lc);
    sumELoss += eLosses[c];
  }
  const lossBound = scale * (dotErr(n, sumAbsLoss) + sumELoss) + elem(cpu.loss);

  // Backward: δ_l = (W_{l+1}ᵀ·δ_{l+1}) ⊙ f'(A_l).
  for (let l = L - 2; l >= 0; l--) {
    const next = net.layers[l + 1];
    const act = net.layers[l].activation;
    const W = params.W[l + 1];
    const Mn = next.units;
    const K = next.fanIn;
    for (let j = 0; j < K; j++) {
      for (let c = 0; c < n; c++) {
        let T = 0;
        let P = 0;
        let G = 0;
        for (let i = 0; i < Mn; i++) {
          const w = W[i * K + j];
          const d = cpu.delta[l + 1][i * n + c];
          T += Math.abs(w * d);
          P += Math.abs(w) * eDelta[l + 1][i * n + c];
          G += w * d;
        }
        const k = j * n + c;
        const a = cpu.A[l][k];
        const switchTerm = flips[l][k] ? Math.abs(G) + dotErr(Mn, T) + P : 0;
        eDelta[l][k] = fPrime(act, a) * (dotErr(Mn, T) + P) + Math.abs(G) * fPrimeSlope(act, a) * eA[l][k] + switchTerm + elem(cpu.delta[l][k]);
      }
    }
  }

  // Gradients: dW = scale·δ·A_prevᵀ, db = scale·rowsum(δ) (shared: the sum of all).
  const eDW: Float64Array[] = [];
  const eDB: Float64Array[] = [];
  net.layers.forEach((layer, l) => {
    const { units: Mu, fanIn: K } = layer;
    const Ap = aPrev(l);
    const eAp = eAPrev(l);
    const d = cpu.delta[l];
    const ed = eDelta[l];
    const ew = new Float64Array(Mu * K);
    for (let i = 0; i < Mu; i++) {
      for (let j = 0; j < K; j++) {
        let S = 0;
        let P = 0;
        for (let c = 0; c < n; c++) {
          S += Math.abs(d[i * n + c] * Ap[j * n + c]);
          P += ed[i * n + c] * Math.abs(Ap[j * n + c]) + Math.abs(d[i * n + c]) * eAp[j * n + c];
        }
        ew[i * K + j] = scale * (dotErr(n, S) + P) + elem(cpu.dW[l][i * K + j]);
      }
    }
    eDW.push(ew);
    const eb = new Float64Array(biasLength(layer));
    const rowAbs = (i: number) => { let s = 0; let e = 0; for (let c = 0; c < n; c++) { s += Math.abs(d[i * n + c]); e += ed[i * n + c]; } return [s, e]; };
    if (layer.bias === 'per-unit') {
      for (let i = 0; i < Mu; i++) { const [s, e] = rowAbs(i); eb[i] = scale * (dotErr(n, s) + e) + elem(cpu.db[l][i]); }
    } else if (layer.bias === 'shared') {
      let s = 0; let e = 0;
      for (let i = 0; i < Mu; i++) { const [si, ei] = rowAbs(i); s += si; e += ei; }
      eb[0] = scale * (dotErr(n * Mu, s) + e) + elem(cpu.db[l][0]);
    }
    eDB.push(eb);
  });

  return { loss: lossBound, losses: eLosses, Z: eZ, A: eA, delta: eDelta, dW: eDW, db: eDB };
}

export interface Violation { what: string; index: number; gpu: number; cpu: number; diff: number; bound: number }

/**
 * Compare element by element. Returns the worst |diff|/bound ratio (≤ 1 passes) and the violations.
 * NOTE: SwiftShader flushes values below the smallest normal float32 (2⁻¹²⁶) to zero (checklist item 17). No
 * separate flush is needed here: every bound includes ATOL = 1e-6 ≫ 2⁻¹²⁶, so a flushed value is always within it.
 */
export function compareWithin(what: string, gpu: ArrayLike<number>, cpu: ArrayLike<number>, bound: ArrayLike<number>): { worst: number; violations: Violation[] } {
  let worst = 0;
  const violations: Violation[] = [];
  if (gpu.length !== cpu.length) {
    return { worst: Infinity, violations: [{ what: `${what} (length ${gpu.length} vs ${cpu.length})`, index: -1, gpu: NaN, cpu: NaN, diff: Infinity, bound: 0 }] };
  }
  for (let k = 0; k < cpu.length; k++) {
    const diff = Math.abs(gpu[k] - cpu[k]);
    const ratio = Number.isNaN(diff) ? Infinity : diff / bound[k];
    worst = Math.max(worst, ratio);
    if (!(diff <= bound[k])) violations.push({ what, index: k, gpu: gpu[k], cpu: cpu[k], diff, bound: bound[k] });
  }
  return { worst, violations };
}

/**
 * The first-pass elementwise check: the largest |a − b| / (atol + rtol·|b|) over one array (≤ 1 passes) and
 * where it is. Arrays of different lengths give ratio Infinity at −1.
 */
export function worstRatio(a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol: number): { ratio: number; at: number } {
  if (a.length !== b.length) return { ratio: Infinity, at: -1 };
  let ratio = 0;
  let at = -1;
  for (let k = 0; k < b.length; k++) {
    const r = Math.abs(a[k] - b[k]) / (atol + rtol * Math.abs(b[k]));
    if (!(r <= ratio)) {
      ratio = r;
      at = k;
    }
  }
  return { ratio, at };
}

/**
 * Bounds on |gpu − cpu| for the parameters after K SGD steps at rate `lr` (parity.test.ts's k-step bound): each step
 * moves a parameter by lr·(its gradient), and the gradients differ by at most the first step's bound `first` while
 * the trajectories stay close; the factor 2 allows for their separation. Plus the update's own float32 rounding,
 * atol 1e-6 + rtol 1e-5 of the CPU's parameter `cpu` after the K steps.
 */
export function kStepBounds(first: Bounds, K: number, lr: number, cpu: { W: ArrayLike<number>[]; b: ArrayLike<number>[] }): { W: Float64Array[]; b: Float64Array[] } {
  const one = (e: Float64Array, p: ArrayLike<number>) => e.map((x, k) => 2 * K * lr * x + ATOL + RTOL * Math.abs(p[k]));
  return { W: first.dW.map((e, l) => one(e, cpu.W[l])), b: first.db.map((e, l) => one(e, cpu.b[l])) };
}

/**
 * The bound on the loss of a step taken from parameters that differ between the backends by at most `params`
 * (kStepBounds of the steps before it): the loss's own bound there (`at`, parityBounds at the CPU's parameters) plus
 * its first-order change, Σ |∂L/∂θ|·e_θ, with the CPU's gradient `grad` there.
 */
export function stepLossBound(at: Bounds, grad: { dW: ArrayLike<number>[]; db: ArrayLike<number>[] }, params: { W: ArrayLike<number>[]; b: ArrayLike<number>[] }): number {
  let s = at.loss;
  grad.dW.forEach((g, l) => { for (let k = 0; k < g.length; k++) s += Math.abs(g[k]) * params.W[l][k]; });
  grad.db.forEach((g, l) => { for (let k = 0; k < g.length; k++) s += Math.abs(g[k]) * params.b[l][k]; });
  return s;
}

/** A grad result's arrays, as Float32Arrays (Model.grad) or plain arrays (from a page). */
export interface GradArrays { loss: number; Z: ArrayLike<number>[]; A: ArrayLike<number>[]; delta: ArrayLike<number>[]; dW: ArrayLike<number>[]; db: ArrayLike<number>[] }

/** Every element of a grad result (loss, Z, A, delta, dW, db per layer) against the CPU's, within `scale`·`b`. */
export function gradWithin(gpu: GradArrays, cpu: GradArrays, b: Bounds, scale = 1): { worst: number; violations: Violation[] } {
  const times = (e: ArrayLike<number>) => Array.from(e, (x) => scale * x);
  const checks = [compareWithin('loss', [gpu.loss], [cpu.loss], [scale * b.loss])];
  cpu.Z.forEach((_, l) => {
    for (const key of ['Z', 'A', 'delta', 'dW', 'db'] as const) checks.push(compareWithin(`${key}${l + 1}`, gpu[key][l], cpu[key][l], times(b[key][l])));
  });
  return { worst: Math.max(...checks.map((k) => k.worst)), violations: checks.flatMap((k) => k.violations) };
}

/** The first few violations, one a line, for an assertion message. */
export function describeViolations(violations: Violation[]): string {
  return violations.slice(0, 5).map((v) => `${v.what}[${v.index}]: gpu ${v.gpu} cpu ${v.cpu} |diff| ${v.diff.toExponential(2)} > bound ${v.bound.toExponential(2)}`).join('\n');
}
