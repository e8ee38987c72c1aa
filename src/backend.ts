/**
 * The one small interface both backends implement.
 *
 * A Backend owns a device (or none, for the CPU). `compile(net, n)` makes a BackendNet: everything one net
 * needs for batches of n examples (buffers, pipelines, bind groups), made once and reused every step.
 * A BackendNet holds parameters, one batch, and the last step's Z, A, delta, dW, db and loss.
 *
 * One step, in the names used everywhere (README, kernels, WGSL):
 *   forward   Z_l = W_l·A_{l−1} + b_l,  A_l = f_l(Z_l)          (A_0 = X)
 *   output    L_c and δ_L = ∂L_c/∂Z_L per example c
 *   backward  δ_l = (W_{l+1}ᵀ·δ_{l+1}) ⊙ f_l'(Z_l)
 *   grads     dW_l = scale·δ_l·A_{l−1}ᵀ,  db_l = scale·rowsum(δ_l)  (scale = 1/N for mean, 1 for sum)
 *   update    W_l ← W_l − lr·dW_l,  b_l ← b_l − lr·db_l           (only when update is true)
 * and the loss L = scale·Σ_c L_c of the last step.
 */
import type { Batch, Net, Params } from './spec.ts';

export type BackendKind = 'cpu' | 'webgpu' | 'wasm';

export interface ReadRequest {
  loss?: boolean;
  Z?: boolean;
  A?: boolean;
  delta?: boolean;
  grads?: boolean;
  params?: boolean;
}

/** What a read returns; each field is present when it was asked for. Arrays are per layer, (units × n). */
export interface Readback {
  loss?: number;
  Z?: Float32Array[];
  A?: Float32Array[];
  delta?: Float32Array[];
  dW?: Float32Array[];
  db?: Float32Array[];
  params?: Params;
}

export interface BackendNet {
  readonly kind: BackendKind;
  /** The batch size this net was compiled for. */
  readonly n: number;
  writeParams(params: Params): void;
  /** batch.n must equal n. */
  writeBatch(batch: Batch): void;
  /**
   * Run `steps` full steps on the current batch with no readback between them (one GPU submission).
   * Afterwards Z, A, delta, dW, db and the loss are those of the last step (computed before its update).
   */
  run(steps: number, lr: number, update: boolean): void;
  read(request: ReadRequest): Promise<Readback>;
  /** Keep a copy of the current parameters / put it back (used to undo a diverged call). */
  saveParams(): void;
  restoreParams(): void;
  dispose(): void;
}

export interface Backend {
  readonly kind: BackendKind;
  /** Human-readable description: the adapter (vendor, architecture, fallback) or the CPU. */
  readonly description: string;
  compile(net: Net, n: number): BackendNet;
  dispose(): void;
}

/** The batch reduction factor: 1/N for mean, 1 for sum. */
export function batchScale(net: Net, n: number): number {
  return net.reduction === 'mean' ? 1 / n : 1;
}
