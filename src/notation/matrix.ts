/**
 * The matrix line for one parameter: which entry of δ_l·A_{l−1}ᵀ (or of the row sums of δ_l) its gradient
 * is, with that row of δ_l and that row of A_{l−1}, read from a matrix backend's result (CPU or WebGPU),
 * so that the scalar expansion and the matrix form can be read side by side and compared.
 *
 *   ∂L/∂W_l = scale · δ_l·A_{l−1}ᵀ:  ∂L/∂W_l[i][j] = scale · Σ_c δ_l[i][c] · A_{l−1}[j][c]
 *   ∂L/∂b_l = scale · δ_l·1:         ∂L/∂b_l[i]    = scale · Σ_c δ_l[i][c]
 *   shared b_l:                      ∂L/∂b_l       = scale · Σ_i Σ_c δ_l[i][c]
 * (A_0 = X; δ_l = ∂L_c/∂Z_l per example column; scale = 1/N for a mean, 1 for a sum.)
 */
import { NotationError } from '../errors.ts';
import { describe } from '../checks.ts';
import { biasLength, type Net } from '../spec.ts';
import type { ParamId } from './names.ts';

/** What a matrix backend computed (GradResult, src/calls.ts; or the plain arrays of a browser readback). */
export interface MatrixRun {
  /** The backend that computed it ('cpu', 'wasm', 'webgpu', …), as shown. */
  backend: string;
  /** Examples in the batch. */
  n: number;
  /** X = A_0 (inputs × n), row-major. */
  X: ArrayLike<number>;
  /** A_l per layer, (units × n) row-major, one column per example. */
  A: ArrayLike<number>[];
  /** delta_l per layer, (units × n) row-major, one column per example. */
  delta: ArrayLike<number>[];
  /** dW_l per layer, (units × fanIn) row-major. */
  dW: ArrayLike<number>[];
  /** db_l per layer: units values (per-unit), one (shared) or none. */
  db: ArrayLike<number>[];
}

const RUN_FORM = "{backend, n, X, A, delta, dW, db}: model.grad()'s result with the backend's name, the batch's n and X = A₀ added, { backend: model.kind, n, X, ...grad } where {n, X} = validateSpec(spec).batch";

/**
 * Check matrix runs against the net and the batch they are to explain, before any is read: a NotationError naming
 * the run's field (`runs[0].n`, `runs[0].delta[1]`). model.grad()'s result passed as it is (no backend, n, X) printed
 * an empty matrix line, `= () = () = 0.0822`, ticked ✓. Values are not checked: a non-finite one is what the
 * document marks ✗ MISMATCH. Other keys (grad's loss, Z) are left alone.
 */
export function checkRuns(net: Net, n: number, runs: unknown, field = 'runs'): asserts runs is MatrixRun[] {
  if (!Array.isArray(runs)) throw new NotationError(field, `must be an array of matrix runs (possibly empty), got ${describe(runs)}`);
  const L = net.layers.length;
  for (let r = 0; r < runs.length; r++) {
    const f = `${field}[${r}]`;
    const run: unknown = runs[r];
    if (typeof run !== 'object' || run === null || Array.isArray(run)) throw new NotationError(f, `must be a matrix run ${RUN_FORM}; got ${describe(run)}`);
    const g = run as Record<string, unknown>;
    if (typeof g.backend !== 'string' || g.backend === '') throw new NotationError(`${f}.backend`, `must be the backend's name ('cpu'), got ${describe(g.backend)}; a matrix run is ${RUN_FORM}`);
    if (g.n !== n) throw new NotationError(`${f}.n`, `must be ${n}, the examples in the spec's x, got ${describe(g.n)}`);
    vector(g.X, `${f}.X`, net.inputs * n, `X = A₀ (${net.inputs} inputs × ${n})`);
    const perLayer = (key: string, size: (l: number) => number, what: string) => {
      const list = g[key];
      if (!Array.isArray(list) || list.length !== L) throw new NotationError(`${f}.${key}`, `must be an array of ${L} ${what} (one a layer), got ${describe(list)}`);
      for (let l = 0; l < L; l++) vector(list[l], `${f}.${key}[${l}]`, size(l), `layer ${l + 1}'s ${key}`);
    };
    perLayer('A', (l) => net.layers[l].units * n, 'matrices A_l (units × n)');
    perLayer('delta', (l) => net.layers[l].units * n, 'matrices delta_l (units × n)');
    perLayer('dW', (l) => net.layers[l].units * net.layers[l].fanIn, 'matrices dW_l (units × fan-in)');
    perLayer('db', (l) => biasLength(net.layers[l]), 'vectors db_l (a value per bias)');
  }
}

/**
 * The entry a matrix-form name points at, as explain's names list and matrix line write it — W₂[0][0], dW₂[0][0],
 * b₂[0], db₂[0] (also W2[0][0], W_2[0][0]; layers from 1, brackets 0-based) — or undefined. Not a name of the net
 * (a parameter is w5, w¹₂₁): Naming's error for such a text says which parameter it is. Not checked against a net.
 */
export function matrixEntry(text: string): { param: ParamId; gradient: boolean } | undefined {
  const t = text.replace(/\s+/g, '').replace(/[₀-₉]/g, (c) => String(c.charCodeAt(0) - 0x2080));
  const m = /^(d?)(W|b)_?\{?(\d+)\}?((?:\[\d+\])+)$/.exec(t);
  if (!m) return undefined;
  const layer = Number(m[3]) - 1;
  const at = [...m[4].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
  const gradient = m[1] === 'd';
  if (m[2] === 'W') return at.length === 2 ? { param: { kind: 'W', layer, row: at[0], col: at[1] }, gradient } : undefined;
  return at.length === 1 ? { param: { kind: 'b', layer, index: at[0] }, gradient } : undefined;
}

/** A row-major matrix or vector of `length` numbers: an array or a typed array. */
function vector(v: unknown, field: string, length: number, what: string): void {
  const ok = (ArrayBuffer.isView(v) && !(v instanceof DataView)) || (Array.isArray(v) && v.every((x) => typeof x === 'number'));
  if (!ok) throw new NotationError(field, `must be ${what}: an array or typed array of numbers, got ${describe(v)}`);
  const got = (v as ArrayLike<number>).length;
  if (got !== length) throw new NotationError(field, `must hold ${length} values (${what}), got ${got}`);
}

/** One matrix run's gradient entry for one parameter, as the matrix form computes it: dW_l[i][j] = scale·Σ_c δ_l[i][c]·A_{l−1}[j][c], db_l[i] = scale·Σ_c δ_l[i][c] (a shared b: the sum over all of δ_l), with the δ and A rows it used. */
export interface MatrixLine {
  /** The run's backend name. */
  backend: string;
  /** The parameter, W[layer][row][col] or b[layer][index] (0-based). */
  param: ParamId;
  /** 'W': entry [row][col] of δ_l·A_{l−1}ᵀ; 'b': entry [index] of δ_l·1; 'shared': the sum of all of δ_l. */
  form: 'W' | 'b' | 'shared';
  /** The parameter's layer, 0-based (index l is layer l + 1). */
  layer: number;
  /** Examples in the batch (columns of delta_l and A_{l−1}). */
  n: number;
  /** scale: 1/n for reduction 'mean', 1 for 'sum'. */
  scale: number;
  /** δ_l rows used: one row (W, b) or every row (shared); each row has one value per example. */
  deltaRows: number[][];
  /** The row of A_{l−1} (W only). */
  aRow: number[] | undefined;
  /** The gradient entry the backend computed (dW / db). */
  value: number;
}

/** The MatrixLine of parameter `p` in `run` (a run's delta, A and dW, db, as Model.grad returns them). */
export function matrixLine(net: Net, p: ParamId, run: MatrixRun): MatrixLine {
  const layer = net.layers[p.layer];
  const n = run.n;
  const scale = net.reduction === 'mean' ? 1 / n : 1;
  const row = (m: ArrayLike<number>, r: number) => Array.from({ length: n }, (_, c) => m[r * n + c]);
  const delta = run.delta[p.layer];
  if (p.kind === 'W') {
    const prev = p.layer === 0 ? run.X : run.A[p.layer - 1];
    return {
      backend: run.backend, param: p, form: 'W', layer: p.layer, n, scale,
      deltaRows: [row(delta, p.row)], aRow: row(prev, p.col), value: run.dW[p.layer][p.row * layer.fanIn + p.col],
    };
  }
  const shared = layer.bias === 'shared';
  return {
    backend: run.backend, param: p, form: shared ? 'shared' : 'b', layer: p.layer, n, scale,
    deltaRows: shared ? Array.from({ length: layer.units }, (_, i) => row(delta, i)) : [row(delta, p.index)],
    aRow: undefined, value: run.db[p.layer][p.index],
  };
}

/**
 * How close a float32 matrix backend must be to the float64 scalar total: 1e-6 + 1e-5 · mass, where
 * mass = scale · Σ_c Σ_paths Π_k size_k (Expansion.mass), size_k = |factor k|, or a tenth of its size before
 * cancellation where that is more (ScalarEngine's factorSize: f' = 1 − a² or a(1 − a), a − y).
 * NOTE: each path product is a chain of ≤ ~20 float32 roundings (2⁻²⁴ each) of forward values that are
 * themselves float32 (SwiftShader's exp/tanh: ~1e-6 relative), so every term is good to ~1e-5 relative,
 * and the terms' errors add up to at most 1e-5 of the sum of their sizes — which can be far larger than
 * the gradient when terms cancel; 1e-6 absolute covers gradients that round near zero. A factor the backend
 * computes by a cancellation from its float32 values (a saturated unit's f', an output's a − y near its y) is good
 * to ~1e-6 of its size before it, not of its value: hence its size.
 */
export function float32Bound(mass: number): number {
  return 1e-6 + 1e-5 * mass;
}
