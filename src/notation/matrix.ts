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
import type { Net } from '../spec.ts';
import type { ParamId } from './names.ts';

/** What a matrix backend computed (src/model.ts GradResult, or the plain arrays of a browser readback). */
export interface MatrixRun {
  backend: string;
  /** Examples in the batch. */
  n: number;
  /** X = A_0 (inputs × n), row-major. */
  X: ArrayLike<number>;
  A: ArrayLike<number>[];
  delta: ArrayLike<number>[];
  dW: ArrayLike<number>[];
  db: ArrayLike<number>[];
}

export interface MatrixLine {
  backend: string;
  param: ParamId;
  /** 'W': entry [row][col] of δ_l·A_{l−1}ᵀ; 'b': entry [index] of δ_l·1; 'shared': the sum of all of δ_l. */
  form: 'W' | 'b' | 'shared';
  layer: number;
  n: number;
  scale: number;
  /** δ_l rows used: one row (W, b) or every row (shared); each row has one value per example. */
  deltaRows: number[][];
  /** The row of A_{l−1} (W only). */
  aRow: number[] | undefined;
  /** The gradient entry the backend computed (dW / db). */
  value: number;
}

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
 * mass = scale · Σ_c Σ_paths |path product| (Expansion.mass).
 * NOTE: each path product is a chain of ≤ ~20 float32 roundings (2⁻²⁴ each) of forward values that are
 * themselves float32 (SwiftShader's exp/tanh: ~1e-6 relative), so every term is good to ~1e-5 relative,
 * and the terms' errors add up to at most 1e-5 of the sum of their sizes — which can be far larger than
 * the gradient when terms cancel; 1e-6 absolute covers gradients that round near zero.
 */
export function float32Bound(mass: number): number {
  return 1e-6 + 1e-5 * mass;
}
