/**
 * How one system × config is measured, and how a run decides that its systems agree. The same for the
 * browser run (bench/run.ts: the systems live in the page) and the Node run (bench/node.ts), through a Driver.
 *
 * Per system × config (a "row"):
 *  1. open: build the system from the config's shared start (weights and batch). Not timed.
 *  2. agreement run: N = config.agreeSteps steps in one call, loss read back → finalLoss. It is also the
 *     warm-up (shader compiles, JIT, first upload). Every system of a config runs these same N steps from the
 *     same start, so their finalLoss must agree (see `agree`).
 *  3. calibration: steps per repetition s chosen so that one repetition takes ≥ targetRepMs (warm-up calls
 *     of s steps, up to 4, until one lasts ≥ targetRepMs / 2), capped at maxStepsPerRep. Dispatch-bound
 *     systems need thousands of steps per call to show their throughput; slow ones get s = 1.
 *  4. timing: `reps` repetitions of s steps, each timed from before the call to after its loss is read back.
 *     ms/step of a repetition = its wall time / s; reported: median, min, max over the repetitions.
 *  Cap rule (the full run would otherwise take an hour on 2 cores: TF.js takes 10–40 s per step of config d):
 *     when reps × (agreement-run ms/step) exceeds rowBudgetMs, the row skips calibration (the agreement run
 *     was its warm-up), runs s = 1 and max(minReps, ⌊rowBudgetMs / (ms/step)⌋) repetitions (at most `reps`),
 *     and is marked `capped` with its repetition count.
 *  5. inspect (optional, untimed, skipped by capped rows but ours-webgpu's): TF.js kernels and tensors per step,
 *     TF.js-webgpu GPU time (tf.time), ours-webgpu per-kernel GPU times (one step, one timed pass per dispatch).
 */
import { type BenchConfig, flopsPerStep } from './configs.ts';
import type { FitFn } from './epochs.ts';
import type { EpochStat } from './fit-systems.ts';
import type { MatmulCheck } from './matmul.ts';
import type { SystemId } from './systems.ts';
import { PEER_SYSTEMS } from './systems.ts';

export interface TrainOut {
  loss: number;
  ms: number;
  gpuMs?: number;
  dispatches?: number;
}

/** Where the systems live: the bench page (bench/run.ts) or this process (bench/node.ts). */
export interface Driver {
  open(system: SystemId, config: BenchConfig): Promise<{ id: number; description: string }>;
  train(id: number, steps: number): Promise<TrainOut>;
  inspect?(id: number, steps: number): Promise<Record<string, unknown>>;
  close(id: number): Promise<void>;
  /** Config f's bare matmul row: check the last product (bench/matmul.ts); untimed. */
  check?(id: number): Promise<MatmulCheck>;
  /** Config e: the system's own fit from the shared start (bench/epochs.ts); runners without it cannot run e. */
  fit?: FitFn;
}

export interface Policy {
  reps: number;
  targetRepMs: number;
  maxStepsPerRep: number;
  rowBudgetMs: number;
  minReps: number;
  /** --rep-steps: fixed steps per repetition (no calibration). */
  fixedStepsPerRep?: number;
  /** --steps: N for every config. */
  agreeSteps?: number;
  /** Run `inspect` after timing. */
  inspect: boolean;
}

export const FULL_POLICY: Policy = { reps: 5, targetRepMs: 200, maxStepsPerRep: 1 << 20, rowBudgetMs: 45_000, minReps: 2, inspect: true };
export const QUICK_POLICY: Policy = { reps: 5, targetRepMs: 25, maxStepsPerRep: 1 << 16, rowBudgetMs: 2_000, minReps: 2, inspect: false };

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
  stepsPerSec?: number;
  examplesPerSec?: number;
  gflops?: number;
  /** The loss after the N agreement steps (of the N-th step, before its update). */
  finalLoss?: number;
  agreeSteps: number;
  agreeMs?: number;
  stepsPerRep?: number;
  reps?: number;
  capped?: boolean;
  /** GPU time per step from timestamp-query (ours-webgpu: every rep; tfjs-webgpu: tf.time in inspect). */
  gpuMsPerStep?: Stat;
  dispatchesPerStep?: number;
  agreement?: { ref: SystemId; refLoss: number; absErr: number; relErr: number; tol: number; ok: boolean };
  /** stepsPerSec ÷ that TF.js backend's stepsPerSec on the same config. */
  ratios?: Partial<Record<SystemId, number>>;
  inspect?: Record<string, unknown>;
  /** The loss after the last timed repetition (informative only: systems ran different step counts). */
  lastLoss?: number;
  totalSteps?: number;
  /** The bare matmul row: its product against float64 dots (bench/matmul.ts); a failed check makes the row an error. */
  matmulCheck?: MatmulCheck;
  /** ours-wasm's threads or jax-wasm's workers in this row (a run may hold both counts: --ours-wasm-threads 1,2). */
  threads?: number;
  /** ours-wasm: the page's wasm FMA peak at the row's thread count (GFLOP/s). */
  wasmPeakGflops?: number;
  /** Config e: every epoch (seconds since the start, mean training loss, test accuracy); finalLoss is epoch 1's loss. */
  epochs?: EpochStat[];
  /** Config e: seconds to the goal accuracy (bench/epochs.ts), null when never reached. */
  timeToAccuracy?: number | null;
}

export function stat(values: number[]): Stat {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1] };
}

/** A row's progress line; `done` in [0, 1]: how much of the row is done (a fit's epochs), when known. */
export type ProgressFn = (text: string, done?: number) => void;

/** Measure one system on one config (steps 1–5 above). Errors become a row with status 'error'. */
export async function measureRow(driver: Driver, system: SystemId, config: BenchConfig, policy: Policy, progress: ProgressFn): Promise<Row> {
  const N = policy.agreeSteps ?? config.agreeSteps;
  const row: Row = { system, config: config.id, status: 'ok', agreeSteps: N };
  let id: number | null = null;
  try {
    progress('setup');
    const opened = await driver.open(system, config);
    id = opened.id;
    row.description = opened.description;
    progress(`agreement run, ${N} step${N > 1 ? 's' : ''}`);
    const agree = await driver.train(id, N);
    row.finalLoss = agree.loss;
    row.agreeMs = agree.ms;
    let total = N;
    let est = agree.ms / N;
    const clampSteps = (s: number): number => Math.max(1, Math.min(policy.maxStepsPerRep, Math.ceil(s)));
    let s = policy.fixedStepsPerRep ?? clampSteps(policy.targetRepMs / est);
    const capped = policy.fixedStepsPerRep === undefined && est * policy.reps > policy.rowBudgetMs;
    let reps = policy.reps;
    if (capped) {
      s = 1;
      reps = Math.max(policy.minReps, Math.min(policy.reps, Math.floor(policy.rowBudgetMs / est)));
    } else if (policy.fixedStepsPerRep === undefined) {
      for (let k = 0; k < 4; k++) {
        progress(`warm-up, ${s} steps`);
        const w = await driver.train(id, s);
        total += s;
        est = w.ms / s;
        const next = clampSteps(policy.targetRepMs / est);
        const done = w.ms >= policy.targetRepMs / 2 || s >= policy.maxStepsPerRep;
        s = Math.max(s, next);
        if (done) break;
      }
    }
    const times: number[] = [];
    const gpu: number[] = [];
    let dispatches: number | undefined;
    let lastLoss = NaN;
    for (let r = 0; r < reps; r++) {
      progress(`rep ${r + 1}/${reps}, ${s} step${s > 1 ? 's' : ''}${times.length ? ` (${fmtMs(stat(times).median)}/step)` : ''}`);
      const t = await driver.train(id, s);
      total += s;
      times.push(t.ms / s);
      if (t.gpuMs !== undefined) gpu.push(t.gpuMs / s);
      if (t.dispatches !== undefined) dispatches = t.dispatches / s;
      lastLoss = t.loss;
    }
    const ms = stat(times);
    row.msPerStep = ms;
    row.stepsPerSec = 1000 / ms.median;
    row.examplesPerSec = row.stepsPerSec * config.batch;
    row.gflops = (flopsPerStep(config) * row.stepsPerSec) / 1e9;
    row.stepsPerRep = s;
    row.reps = reps;
    row.capped = capped;
    row.lastLoss = lastLoss;
    row.totalSteps = total;
    if (gpu.length) row.gpuMsPerStep = stat(gpu);
    if (dispatches !== undefined) row.dispatchesPerStep = dispatches;
    if (config.matmul) {
      if (!driver.check) throw new Error('this runner cannot check a bare matmul');
      progress('check against float64 dots');
      row.matmulCheck = await driver.check(id);
      const k = row.matmulCheck;
      if (!k.ok) throw new Error(`the product is off at (${k.at.join(', ')}): ${k.worst.toPrecision(3)}× the float32 summation bound γ_K·Σ|terms|`);
    }
    // Capped rows skip it (one more step of TF.js on config d is half a minute), except ours-webgpu's per-kernel profile.
    if (policy.inspect && driver.inspect && (!capped || system === 'ours-webgpu')) {
      progress('inspect');
      // TF.js-webgpu GPU time over ~1 repetition's worth of steps (untimed).
      row.inspect = await driver.inspect(id, system === 'tfjs-webgpu' ? Math.min(s, 50) : 0);
      if (typeof row.inspect.gpuMsPerStep === 'number') {
        const g = row.inspect.gpuMsPerStep;
        row.gpuMsPerStep = { median: g, min: g, max: g };
      }
    }
  } catch (err) {
    row.status = 'error';
    row.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } finally {
    if (id !== null) await driver.close(id).catch(() => undefined);
  }
  return row;
}

/**
 * Agreement of one config's rows: the reference is ours-cpu (the oracle) if it ran, else the first row with a
 * loss. A row whose loss is off by more than rtol·|ref| + atol (or is not finite) becomes 'wrong'.
 */
export function agree(rows: Row[], config: BenchConfig): void {
  const withLoss = rows.filter((r) => r.status === 'ok' && r.finalLoss !== undefined);
  const ref = withLoss.find((r) => r.system === 'ours-cpu') ?? withLoss[0];
  if (!ref) return;
  const refLoss = ref.finalLoss!;
  for (const r of withLoss) {
    const absErr = Math.abs(r.finalLoss! - refLoss);
    const tol = config.rtol * Math.abs(refLoss) + config.atol;
    const ok = Number.isFinite(r.finalLoss) && Number.isFinite(refLoss) && absErr <= tol;
    r.agreement = { ref: ref.system, refLoss, absErr, relErr: absErr / Math.max(Math.abs(refLoss), Number.MIN_VALUE), tol, ok };
    if (!ok) r.status = 'wrong';
  }
}

/** Each row's steps/s over each peer's (TF.js's and jax-js's backends) on the same config. */
export function ratios(rows: Row[]): void {
  for (const r of rows) {
    if (!r.stepsPerSec) continue;
    const out: Partial<Record<SystemId, number>> = {};
    for (const peer of PEER_SYSTEMS) {
      // At the same thread count when both rows state one (ours-wasm on 2 threads vs jax-wasm on 2 workers).
      const base = rows.find((x) => x.config === r.config && x.system === peer && x.stepsPerSec
        && (r.threads === undefined || x.threads === undefined || x.threads === r.threads));
      if (base && base !== r) out[peer] = r.stepsPerSec / base.stepsPerSec!;
    }
    r.ratios = out;
  }
}

export function fmtMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  if (ms >= 0.01) return `${(ms * 1000).toFixed(1)} µs`;
  return `${(ms * 1000).toFixed(2)} µs`;
}

/** The issue's targets, checked on one run's rows. */
export interface TargetCheck {
  config: string;
  system: SystemId;
  versus: SystemId;
  want: number;
  got: number | null;
  met: boolean;
  /** Both sides' thread count (wasm rows). */
  threads?: number;
}

export function checkTargets(rows: Row[], configs: BenchConfig[]): TargetCheck[] {
  const out: TargetCheck[] = [];
  for (const c of configs) {
    if (!['a', 'b', 'c', 'd'].includes(c.group)) continue;
    // Issue 14's peers: a, ours-webgpu ≥ 1000× every peer; b–d, ≥ 2× TF.js webgl and jax-js webgpu.
    const pairs: [SystemId, SystemId, number][] = c.group === 'a'
      ? [['ours-webgpu', 'tfjs-webgpu', 1000], ['ours-cpu', 'tfjs-cpu', 100],
        ['ours-webgpu', 'tfjs-webgl', 1000], ['ours-webgpu', 'jax-webgpu', 1000], ['ours-webgpu', 'jax-wasm', 1000]]
      : [['ours-webgpu', 'tfjs-webgpu', 5], ['ours-cpu', 'tfjs-cpu', 2], ['ours-webgpu', 'tfjs-webgl', 2], ['ours-webgpu', 'jax-webgpu', 2],
        // Issue 10: ours-wasm ≥ 3× TF.js wasm and ≥ 1.25× jax-js wasm (at the same thread count: --ours-wasm-threads N
        // with --jax-wasm-workers N; the env line states both).
        ['ours-wasm', 'tfjs-wasm', 3], ['ours-wasm', 'jax-wasm', 1.25]];
    for (const [system, versus, want] of pairs) {
      if (!rows.some((x) => x.config === c.id && x.system === versus)) continue;
      for (const r of rows.filter((x) => x.config === c.id && x.system === system)) {
        const got = r.ratios?.[versus] ?? null;
        const same = r.threads !== undefined && rows.some((x) => x.config === c.id && x.system === versus && x.threads === r.threads);
        out.push({ config: c.id, system, versus, want, got, met: got !== null && got >= want && r.status === 'ok', ...(same ? { threads: r.threads } : {}) });
      }
    }
  }
  return out;
}
