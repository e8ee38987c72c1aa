/**
 * A benchmark row — one system × config as measured (bench/protocol.ts) and reported (report.ts, the page's table) —
 * and its small helpers. Split out of protocol.ts, which re-exports them.
 */
import type { LaterEpochsAgreement } from './agree-epochs.ts';
import type { EpochStat, FitPhase, FitRecord } from './fit-systems.ts';
import type { MatmulCheck } from './matmul.ts';
import type { SystemId, WebGpuVariant } from './systems.ts';

export interface Stat {
  median: number;
  min: number;
  max: number;
}

/** skipped: the system does not run this config (the scalar engine beyond small nets); `error` says why. */
export type RowStatus = 'ok' | 'wrong' | 'error' | 'skipped';

export interface Row {
  system: SystemId;
  config: string;
  status: RowStatus;
  description?: string;
  error?: string;
  msPerStep?: Stat;
  /** ms/step of every timed repetition, in the order run (msPerStep is their median, min and max). */
  times?: number[];
  /** How long the timed repetitions took, whole (ms; times × stepsPerRep): against policy.targetRepMs. */
  repMs?: Stat;
  stepsPerSec?: number;
  examplesPerSec?: number;
  gflops?: number;
  /** The loss after the N agreement steps (of the N-th step, before its update). */
  finalLoss?: number;
  /** Every parameter after the N agreement steps (bench/agree-params.ts), in the page only: measureAll drops it once judged. */
  agreeParams?: Float32Array;
  /** Those parameters against the reference's of the row's page load, kept when agreeParams is dropped (bench/agree-params.ts). */
  paramsAgreement?: { ref: SystemId; refVariant?: WebGpuVariant; refThreads?: number; absErr: number; tol: number; ok: boolean };
  agreeSteps: number;
  agreeMs?: number;
  stepsPerRep?: number;
  reps?: number;
  capped?: boolean;
  /**
   * How many of the row's timed repetitions (config e: its fits) ran while the bench page was hidden at some moment
   * (bench/page/hidden.ts): their times may be throttled. Absent when none did, and in the Node and Dawn runs.
   */
  hiddenReps?: number;
  /** GPU time per step from timestamp-query (ours-webgpu: every rep; tfjs-webgpu: tf.time in inspect). */
  gpuMsPerStep?: Stat;
  dispatchesPerStep?: number;
  /**
   * accuracyExamplesOff (config e): epoch 1's test accuracy off the reference's, in test examples (see FIT_ACCURACY_SLACK);
   * later (config e with agreeEpochs ≥ 2): epochs 2 … K against the reference's (bench/agree-epochs.ts).
   */
  agreement?: {
    ref: SystemId; refLoss: number; absErr: number; relErr: number; tol: number; ok: boolean; accuracyExamplesOff?: number; later?: LaterEpochsAgreement;
    /** The reference row's kernel variant, when it is one of ours-webgpu's variant rows (a run without ours-cpu). */
    refVariant?: WebGpuVariant;
    /** The reference row's thread (worker) count, when it states one (a run without ours-cpu: ours-wasm at 1 and 2). */
    refThreads?: number;
    /**
     * Whether this row is the reference itself: two rows of the same system and count (--ours-wasm-threads 1,1, a
     * second page load) are not both it. Absent in results written before it (isReference then goes by the fields).
     */
    reference?: boolean;
  };
  /** stepsPerSec ÷ that TF.js backend's stepsPerSec on the same config. */
  ratios?: Partial<Record<SystemId, number>>;
  /** The thread (worker) count of the peer row each ratio is against, where that row states one (targets.ts peerRowOf). */
  ratioThreads?: Partial<Record<SystemId, number>>;
  inspect?: Record<string, unknown>;
  /** The loss after the last timed repetition (informative only: systems ran different step counts). */
  lastLoss?: number;
  totalSteps?: number;
  /** The bare matmul row: its product against float64 dots (bench/matmul.ts); a failed check makes the row an error. */
  matmulCheck?: MatmulCheck;
  /** ours-wasm's threads or jax-wasm's workers in this row (a run may hold both counts: --ours-wasm-threads 1,2). */
  threads?: number;
  /**
   * ours-wasm: the threads this config's net ran on (WasmBackend.threadsFor): fewer than `threads` where a step is
   * under THREAD_MIN_WORK multiply-adds (config a: 1). Pairing with the peers still goes by `threads`.
   */
  netThreads?: number;
  /**
   * ours-webgpu's kernel variant in this row, when the run asked for variants (--webgpu-variants, the page's
   * webgpuVariants=): one row per variant, side by side in one run. 'auto' is the engine's choice (env.webgpu.variant).
   */
  variant?: WebGpuVariant;
  /** ours-wasm: the page's wasm FMA peak at the row's thread count (GFLOP/s). */
  wasmPeakGflops?: number;
  /**
   * Config e: every epoch (seconds since the start, mean training loss, test accuracy); finalLoss is epoch 1's loss.
   * With --fits N > 1: each epoch's median over the fits (bench/epochs.ts medianEpochs), finalLoss fit 1's epoch-1 loss.
   */
  epochs?: EpochStat[];
  /** Config e with --fits N > 1: every fit, in the order run (absent in one-fit rows and results written before it). */
  fits?: FitRecord[];
  /** Config e: seconds to the goal accuracy (bench/epochs.ts), null when never reached; with fits, their median. */
  timeToAccuracy?: number | null;
  /** Config e, ours-*: the fit's phases (fit's User Timing measures: data, trainer, upload, epoch N, validation N), ms. */
  fitPhases?: FitPhase[];
}

/**
 * Whether the row is its config's agreement reference, not merely of the same system: ours-webgpu's variant rows,
 * ours-wasm's rows at several thread counts, or at one count twice (two page loads). Results written before
 * agreement.reference are told by the reference's system, variant and count.
 */
export function isReference(r: Row): boolean {
  const a = r.agreement;
  if (a?.reference !== undefined) return a.reference;
  return a?.ref === r.system && a.refVariant === r.variant && a.refThreads === r.threads;
}

export function stat(values: number[]): Stat {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1] };
}
