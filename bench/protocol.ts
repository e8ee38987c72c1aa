/**
 * How one system × config is measured, and how a run decides that its systems agree. The same for the
 * browser run (bench/run.ts: the systems live in the page) and the Node run (bench/node.ts), through a Driver.
 *
 * Per system × config (a "row"):
 *  1. open: build the system from the config's shared start (weights and batch). Not timed.
 *  2. agreement run: N = config.agreeSteps steps in one call, loss read back → finalLoss. It is also the
 *     warm-up (shader compiles, JIT, first upload). Every system of a config runs these same N steps from the
 *     same start, so their finalLoss must agree (see `agree`).
 *  3. calibration (CALIBRATION_CALLS warm-up calls at most): each call runs s steps; after a call that lasted <
 *     targetRepMs / 2, or whose per-step time fell by more than CALIBRATION_SPEEDUP from the call before it (the
 *     agreement run's, for the first call: code still warming up, JIT tier-up), s grows to targetRepMs / (that call's
 *     ms/step, at most CALIBRATION_GROWTH× s) and another call runs. It stops when a call at the s the repetitions
 *     will use lasted ≥ targetRepMs / 2 at a steady speed after the calls have run CALIBRATION_WARMUP × targetRepMs
 *     in all, or when s reaches maxStepsPerRep, or after CALIBRATION_CALLS calls, or when the next call
 *     would take the calibration past rowBudgetMs. s never shrinks. Dispatch-bound systems need thousands of steps
 *     per call to show their throughput; slow ones get s = 1. What the repetitions then took is row.repMs (the
 *     reports flag an uncapped row whose median repetition lasted under targetRepMs / 2: the speed rose after
 *     calibration, or a stop above came first).
 *  4. timing: `reps` repetitions of s steps, each timed from before the call to after its loss is read back,
 *     round-robin across the config's systems (A B C A B C …, see measureConfig), after every system's warm-up
 *     and, in the page, an untimed wait of SETTLE_MS (Driver.settle: work the warm-ups deferred runs then).
 *     ms/step of a repetition = its wall time / s, kept in row.times; reported: median, min, max over them.
 *     A repetition whose loss is not finite fails the row (a system that diverged while timed).
 *  --rep-steps (policy.fixedStepsPerRep) skips calibration and with it the cap rule (bench.ts refuses it together
 *  with --target-ms or --budget-s).
 *  Cap rule (the full run would otherwise take an hour on 2 cores: TF.js takes 10–40 s per step of config d):
 *     when reps × (ms/step of the first calibration call) exceeds rowBudgetMs, that call was the warm-up: the row
 *     runs s = 1 and max(minReps, ⌊rowBudgetMs / (ms/step)⌋) repetitions (at most `reps`), and is marked `capped`
 *     with its repetition count. (Not the agreement run's time: it includes the compiles.)
 *  5. inspect (optional, untimed, skipped by capped rows but ours-webgpu's): TF.js kernels and tensors per step,
 *     TF.js-webgpu GPU time (tf.time), ours-webgpu per-kernel GPU times (one step, one timed pass per dispatch).
 */
import { namedMessageOf } from '../src/checks.ts';
import { comparesParams, paramsAgreement } from './agree-params.ts';
import { type LaterEpochsAgreement, laterEpochsAgreement } from './agree-epochs.ts';
import { type BenchConfig, flopsPerStep } from './configs.ts';
import type { FitFn } from './epochs.ts';
import type { MatmulCheck } from './matmul.ts';
import { type Row, stat } from './row.ts';
import type { SystemId, WebGpuVariant } from './systems.ts';

export interface TrainOut {
  loss: number;
  ms: number;
  gpuMs?: number;
  dispatches?: number;
  /** The call overlapped a period the bench page was hidden (page/hidden.ts watchHidden); absent otherwise and in Node. */
  hidden?: boolean;
}

/** A system opened on a config: its handle, its description and (ours-wasm) the threads its net runs on. */
export interface Opened {
  id: number;
  description: string;
  netThreads?: number;
}

/** Where the systems live: the bench page (bench/run.ts) or this process (bench/node.ts). */
export interface Driver {
  /** `variant`: ours-webgpu's kernel variant for this row (--webgpu-variants); undefined: the engine's 'auto'. */
  open(system: SystemId, config: BenchConfig, variant?: WebGpuVariant): Promise<Opened>;
  train(id: number, steps: number): Promise<TrainOut>;
  inspect?(id: number, steps: number): Promise<Record<string, unknown>>;
  close(id: number): Promise<void>;
  /** Config f's bare matmul row: check the last product (bench/matmul.ts); untimed. */
  check?(id: number): Promise<MatmulCheck>;
  /** The parameters now (bench/agree-params.ts flatParams' layout): after the agreement run, where comparesParams; untimed. */
  params?(id: number): Promise<Float32Array>;
  /** Config e: the system's own fit from the shared start (bench/epochs.ts); runners without it cannot run e. */
  fit?: FitFn;
  /** Untimed wait of `ms`, the thread free, before a config's first repetition (SETTLE_MS); the page's driver has it. */
  settle?(ms: number): Promise<void>;
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
  /**
   * --fits N (the page's fits=N): config e's fits a system, round-robin across the systems (bench/epochs.ts
   * measureFits); absent: one (results written before it have none).
   */
  fits?: number;
  /**
   * `npm run bench --fits N`: the fits ran in N rounds of page loads, each fit cold (bench/browser.ts, merged by
   * bench/measure.ts mergeFitRounds), not round-robin in one page; absent: in one page (the page's fits=N).
   */
  fitRounds?: true;
}

/** The most fits --fits (fits=) takes: a full e fit takes seconds to minutes a system on this machine. */
export const MAX_FITS = 20;

export const FULL_POLICY: Policy = { reps: 5, targetRepMs: 200, maxStepsPerRep: 1 << 20, rowBudgetMs: 45_000, minReps: 2, inspect: true };
export const QUICK_POLICY: Policy = { reps: 5, targetRepMs: 25, maxStepsPerRep: 1 << 16, rowBudgetMs: 2_000, minReps: 2, inspect: false };

/** Calibration's bound on its warm-up calls (step 3 above). */
export const CALIBRATION_CALLS = 8;
/** A calibration call whose ms/step fell by more than this factor from the call before it was still warming up. */
export const CALIBRATION_SPEEDUP = 1.5;
/**
 * Calibration converges only after its calls have run this many targetRepMs in all: two slow calls in a row look
 * steady while V8 still compiles the hot code on a background thread (late on a loaded 2-core machine), and the
 * repetitions then ran 5–10× faster than calibrated (review diff6 item 1).
 */
export const CALIBRATION_WARMUP = 4;
/** The most calibration multiplies the steps per call by, from one call to the next. */
export const CALIBRATION_GROWTH = 64;

/**
 * Driver.settle's wait (ms), once a config, before its first repetition. NOTE: a call can leave work for a later task,
 * run in whichever call is timed then: V8's metrics flush, posted 1 s after jax-js wasm (no workers) makes its
 * WebAssembly.Instances, ran 303–621 ms inside ours-webgpu's first repetition (README "How it measures", review rep51).
 */
export const SETTLE_MS = 2000;

export type { Row, RowStatus, Stat } from './row.ts';
export { isReference, stat } from './row.ts';

/**
 * A progress line; `done` in [0, 1], when known: how much of the row is done (a fit's epochs), or in measureConfig
 * how much of the config (all its systems, the round-robin repetitions counted one by one; it never goes back).
 */
export type ProgressFn = (text: string, done?: number) => void;

/** A row between its phases: opened, warmed up and calibrated, repetitions under way. */
interface RowRun {
  row: Row;
  id: number;
  /** Steps per repetition and how many repetitions. */
  s: number;
  reps: number;
  capped: boolean;
  times: number[];
  /** Each repetition's wall time (ms). */
  repMs: number[];
  gpu: number[];
  dispatches?: number;
  /** How many of the timed repetitions overlapped a hidden period of the page (TrainOut.hidden). */
  hidden: number;
  lastLoss: number;
  total: number;
  progress: ProgressFn;
}

/**
 * Who a row is: a system, and for ours-webgpu in a run of several kernel variants (--webgpu-variants) its variant.
 * measureConfig takes either; a bare SystemId is a row without a variant.
 */
export interface Entrant {
  system: SystemId;
  variant?: WebGpuVariant;
}

const entrantOf = (e: SystemId | Entrant): Entrant => (typeof e === 'string' ? { system: e } : e);

/**
 * N, the steps of a config's agreement run: --steps (policy.agreeSteps) for every config but a fit's (e, qe: its epoch
 * 1 is compared, config.agreeSteps batches) and a bare matmul's (one product, the same at any N), else the config's
 * own. The rows, the skipped rows and the results' config table (report.ts describeConfigs) all say this N.
 */
export function agreeStepsOf(config: BenchConfig, policy: Pick<Policy, 'agreeSteps'>): number {
  return config.fit || config.matmul ? config.agreeSteps : policy.agreeSteps ?? config.agreeSteps;
}

/**
 * Why a row did not run in a run stopped before it finished (the bench page's Stop: measure.ts measureAll's `stop`):
 * the `error` of a skipped row, as a skipped row's reason is. A row under way when the run stopped (its repetitions or
 * its fits not all done) is such a row too: its measurements so far are dropped, never half a row.
 */
export const STOPPED_REASON = 'not run (the run was stopped)';

/** Whether `r` is a row that a stopped run did not run (stoppedRow): no agreement, ratio or target is judged from it. */
export function isStopped(r: Pick<Row, 'status' | 'error'>): boolean {
  return r.status === 'skipped' && r.error === STOPPED_REASON;
}

/**
 * The row of `e` skipped on config `c` for `why`: measure.ts measureAll's for skipReason's reasons (and the bench page's
 * row to come for it), and stoppedRow's. `e` may be a row: only its system and variant are taken.
 */
export function skippedRow({ system, variant }: Entrant, c: BenchConfig, policy: Pick<Policy, 'agreeSteps'>, why: string): Row {
  return { system, ...(variant ? { variant } : {}), config: c.id, status: 'skipped', agreeSteps: agreeStepsOf(c, policy), error: why };
}

/** The row of `e` on `config` that a stopped run did not run: skipped for STOPPED_REASON. */
export function stoppedRow(e: Entrant, config: BenchConfig, policy: Pick<Policy, 'agreeSteps'>): Row {
  return skippedRow(e, config, policy, STOPPED_REASON);
}

/**
 * Steps 1–2, untimed: open `row`'s system on `config` (its description and net threads into the row), the N agreement
 * steps (finalLoss, agreeMs) and, where they are compared, the parameters (agreeParams). A step after the open that
 * throws closes the system first. Returns the open system's id and the agreement run's time.
 */
async function agreementRun(driver: Driver, row: Row, config: BenchConfig, progress: ProgressFn): Promise<{ id: number; ms: number }> {
  const N = row.agreeSteps!;
  progress('setup');
  const { id, description, netThreads } = await driver.open(row.system, config, row.variant);
  try {
    row.description = description;
    if (netThreads !== undefined) row.netThreads = netThreads;
    progress(`agreement run, ${N} step${N > 1 ? 's' : ''}`);
    const agree = await driver.train(id, N);
    row.finalLoss = agree.loss;
    row.agreeMs = agree.ms;
    if (driver.params && comparesParams(config)) row.agreeParams = await driver.params(id);
    return { id, ms: agree.ms };
  } catch (err) {
    await driver.close(id).catch(() => undefined);
    throw err;
  }
}

/** Steps 1–3: open, agreement run, cap decision and calibration. Errors become the row's 'error' (closed). */
async function prepareRow(driver: Driver, { system, variant }: Entrant, config: BenchConfig, policy: Policy, progress: ProgressFn): Promise<RowRun | Row> {
  const N = agreeStepsOf(config, policy);
  const row: Row = { system, config: config.id, status: 'ok', agreeSteps: N, ...(variant ? { variant } : {}) };
  let id: number | null = null;
  try {
    const agreed = await agreementRun(driver, row, config, progress);
    id = agreed.id;
    const agreeMs = agreed.ms;
    let total = N;
    const clampSteps = (s: number): number => Math.max(1, Math.min(policy.maxStepsPerRep, Math.ceil(s)));
    let s = policy.fixedStepsPerRep ?? clampSteps((policy.targetRepMs * N) / agreeMs);
    let reps = policy.reps;
    let capped = false;
    if (policy.fixedStepsPerRep === undefined) {
      // Calibration (step 3 above). The cap rule decides from its first call, not from the agreement run (whose time
      // includes the compiles and first uploads and would cap a fast system on a short budget).
      // NOTE: a call that lasted ≥ targetRepMs / 2 is not enough on its own: a system still warming up (V8 tier-up)
      // can run the next calls 15× faster (review bench2 item 1: 143-step repetitions of 1–2 ms against 25 ms), so
      // the speed must also have held since the call before.
      let prevMsPerStep = agreeMs / N;
      let spent = 0;
      for (let k = 0; ; k++) {
        progress(`warm-up, ${s} step${s === 1 ? '' : 's'}`);
        const w = await driver.train(id, s);
        total += s;
        spent += w.ms;
        const est = w.ms / s;
        if (k === 0 && est * policy.reps > policy.rowBudgetMs) {
          capped = true;
          s = 1;
          reps = Math.min(policy.reps, Math.max(policy.minReps, Math.floor(policy.rowBudgetMs / est))); // never past --reps
          break;
        }
        const steady = est * CALIBRATION_SPEEDUP >= prevMsPerStep;
        const warm = spent >= CALIBRATION_WARMUP * policy.targetRepMs;
        if (w.ms >= policy.targetRepMs / 2 && steady && warm) break; // converged: the repetitions run this call's s
        prevMsPerStep = est;
        // NOTE: a call can read 0 ms (a page that is not cross-origin isolated has a 100 µs clock): s grows at most
        // CALIBRATION_GROWTH× a call, so one such reading cannot jump to maxStepsPerRep past the row budget.
        const next = Math.max(s, clampSteps(Math.min(policy.targetRepMs / est, s * CALIBRATION_GROWTH)));
        const bound = s >= policy.maxStepsPerRep || k + 1 >= CALIBRATION_CALLS || spent + next * est > policy.rowBudgetMs;
        s = next;
        if (bound) break;
      }
    }
    return { row, id, s, reps, capped, times: [], repMs: [], gpu: [], hidden: 0, lastLoss: NaN, total, progress };
  } catch (err) {
    failRow(row, err);
    if (id !== null) await driver.close(id).catch(() => undefined);
    return row;
  }
}

function failRow(row: Row, err: unknown): void {
  row.status = 'error';
  row.error = namedMessageOf(err);
}

/** Step 4, one repetition: s steps, timed from before the call to after its loss is read back. */
async function timeRep(driver: Driver, run: RowRun): Promise<void> {
  const { s, reps, times } = run;
  run.progress(`rep ${times.length + 1}/${reps}, ${s} step${s > 1 ? 's' : ''}${times.length ? ` (${fmtMs(stat(times).median)}/step)` : ''}`);
  const t = await driver.train(run.id, s);
  // A system that diverges while timed fails its row, as ours would (DivergedError) — every system alike.
  if (!Number.isFinite(t.loss)) throw new Error(`the loss of timed repetition ${times.length + 1} is ${t.loss} (diverged while timed)`);
  run.total += s;
  times.push(t.ms / s);
  run.repMs.push(t.ms);
  if (t.gpuMs !== undefined) run.gpu.push(t.gpuMs / s);
  if (t.dispatches !== undefined) run.dispatches = t.dispatches / s;
  if (t.hidden) run.hidden += 1;
  run.lastLoss = t.loss;
}

/** Step 5 and the row's figures from its repetitions; closes the system. */
async function finishRow(driver: Driver, run: RowRun, config: BenchConfig, policy: Policy): Promise<Row> {
  const { row, id, s, capped } = run;
  try {
    const ms = stat(run.times);
    row.msPerStep = ms;
    row.times = run.times;
    row.repMs = stat(run.repMs);
    row.stepsPerSec = 1000 / ms.median;
    // A bare matmul (q-matmul, f-matmul) has no examples: its `batch` is the product's column count.
    if (!config.matmul) row.examplesPerSec = row.stepsPerSec * config.batch;
    row.gflops = (flopsPerStep(config) * row.stepsPerSec) / 1e9;
    row.stepsPerRep = s;
    row.reps = run.reps;
    row.capped = capped;
    row.lastLoss = run.lastLoss;
    row.totalSteps = run.total;
    if (run.gpu.length) row.gpuMsPerStep = stat(run.gpu);
    if (run.dispatches !== undefined) row.dispatchesPerStep = run.dispatches;
    if (run.hidden) row.hiddenReps = run.hidden;
    if (config.matmul) {
      if (!driver.check) throw new Error('this runner cannot check a bare matmul');
      run.progress('check against float64 dots');
      row.matmulCheck = await driver.check(id);
      const k = row.matmulCheck;
      if (!k.ok) throw new Error(`the product is off at (${k.at.join(', ')}): ${k.worst.toPrecision(3)}× the float32 summation bound γ_K·Σ|terms|`);
    }
    // Capped rows skip it (one more step of TF.js on config d is half a minute), except ours-webgpu's per-kernel profile.
    if (policy.inspect && driver.inspect && (!capped || row.system === 'ours-webgpu')) {
      run.progress('inspect');
      // TF.js-webgpu GPU time over ~1 repetition's worth of steps (untimed).
      row.inspect = await driver.inspect(id, row.system === 'tfjs-webgpu' ? Math.min(s, 50) : 0);
      if (typeof row.inspect.gpuMsPerStep === 'number') {
        const g = row.inspect.gpuMsPerStep;
        row.gpuMsPerStep = { median: g, min: g, max: g };
      }
    }
  } catch (err) {
    failRow(row, err);
  } finally {
    await driver.close(id).catch(() => undefined);
  }
  return row;
}

/**
 * `wait`'s value, or undefined once `stop` aborts, whichever comes first; `wait` itself left to settle unheard. The
 * settle (an idle wait with no measurement in it: Stop pressed during it ends the run at once, where it held the page
 * for the rest of SETTLE_MS: soak58) and the bench page's set-up (page/stop.ts setUpRun: config e's digits no longer
 * waited for).
 */
export function untilStopped<T>(wait: Promise<T>, stop: AbortSignal | undefined): Promise<T | undefined> {
  if (!stop) return wait;
  let onAbort = (): void => undefined;
  const stopped = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    stop.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([wait, stopped]).finally(() => stop.removeEventListener('abort', onAbort));
}

/**
 * Measure the systems of one config (steps 1–5 above), their rows in `systems` order; an Entrant with a variant is
 * one ours-webgpu row of several (--webgpu-variants), in the round-robin like any other system. Each system is opened, runs its
 * agreement run and its warm-up / calibration in turn and stays open; then the repetitions go round-robin (A B C A B C
 * …, a capped row dropping out after its fewer repetitions), so that drift in the machine's speed (load, clocks)
 * falls on every system alike; then each is inspected and closed. Errors become that row's 'error' and the others go
 * on. NOTE: every system of the config holds its model at once (config f: a 4096³ net per GPU system), and TF.js's
 * backends share one global current backend: the drivers call Trainer.activate before each call (bench/systems.ts).
 */
export async function measureConfig(driver: Driver, systems: (SystemId | Entrant)[], config: BenchConfig, policy: Policy, progressOf: (system: SystemId, variant?: WebGpuVariant) => ProgressFn, stop?: AbortSignal): Promise<Row[]> {
  // Progress over the whole config, forward only although the repetitions go round-robin: CONFIG_UNITS(policy) units
  // a system (its preparation, each repetition, its finish); a row capped to fewer repetitions or failed early has its
  // missing units counted at once.
  const units = systems.length * configUnits(policy);
  let done = 0;
  const tell = ({ system, variant }: Entrant): ProgressFn => {
    const show = progressOf(system, variant);
    return (text) => show(text, units ? done / units : 0);
  };
  const runs: (RowRun | Row)[] = [];
  const entrants = systems.map(entrantOf);
  // `stop` (the bench page's Stop) is read between units only — before a row's preparation, before each repetition —
  // so no call is cut short and no timing is half taken.
  for (const entrant of entrants) {
    if (stop?.aborted) break;
    const run = await prepareRow(driver, entrant, config, policy, tell(entrant));
    done += 1 + ('row' in run ? policy.reps - run.reps : policy.reps + 1);
    runs.push(run);
  }
  const live = (): RowRun[] => runs.filter((r): r is RowRun => 'row' in r && r.row.status === 'ok');
  // Work deferred by the warm-ups runs now, untimed (SETTLE_MS' NOTE), before any system's first repetition.
  if (driver.settle && live().length && !stop?.aborted) await untilStopped(driver.settle(SETTLE_MS), stop);
  while (!stop?.aborted && live().some((r) => r.times.length < r.reps)) {
    for (const run of live()) {
      if (run.times.length >= run.reps) continue;
      if (stop?.aborted) break;
      try {
        await timeRep(driver, run);
        done += 1;
      } catch (err) {
        failRow(run.row, err);
        done += run.reps - run.times.length;
        await driver.close(run.id).catch(() => undefined);
      }
    }
  }
  const rows: Row[] = [];
  for (const [k, r] of runs.entries()) {
    // Stopped: a row whose repetitions are not all timed is closed, and not run (stoppedRow); a row timed in full is finished.
    if ('row' in r && r.row.status === 'ok' && r.times.length < r.reps) {
      await driver.close(r.id).catch(() => undefined);
      rows.push(stoppedRow(entrants[k], config, policy));
      continue;
    }
    rows.push('row' in r ? (r.row.status === 'ok' ? await finishRow(driver, r, config, policy) : r.row) : r);
    if ('row' in r) done += 1;
  }
  // Stopped before their preparation: not run.
  rows.push(...entrants.slice(runs.length).map((e) => stoppedRow(e, config, policy)));
  return rows;
}

/** measureConfig's progress units a system: its preparation (open, agreement run, warm-up), each repetition, its finish. */
export function configUnits(policy: Policy): number {
  return policy.reps + 2;
}

/** Measure one system on one config alone (measureConfig with one system). */
export async function measureRow(driver: Driver, system: SystemId, config: BenchConfig, policy: Policy, progress: ProgressFn): Promise<Row> {
  return (await measureConfig(driver, [system], config, policy, () => progress))[0];
}

/**
 * `system` as the agreement's reference alone (measure.ts, RunPlan.oracleReference: ours-cpu in the later page loads
 * of a run with several wasm counts): steps 1–2 only — open, the N agreement steps, its parameters — all untimed, then
 * closed; no calibration, no repetitions, no inspect. The row it returns is for `agree` and is dropped after it. An
 * error becomes the row's 'error' (agree then falls back to the first row with a loss, and says so in each verdict).
 */
export async function referenceRun(driver: Driver, system: SystemId, config: BenchConfig, policy: Pick<Policy, 'agreeSteps'>, progress: ProgressFn): Promise<Row> {
  const row: Row = { system, config: config.id, status: 'ok', agreeSteps: agreeStepsOf(config, policy) };
  try {
    const { id } = await agreementRun(driver, row, config, (text, done) => progress(`reference only: ${text}`, done));
    await driver.close(id).catch(() => undefined);
  } catch (err) {
    failRow(row, err);
  }
  return row;
}

/**
 * Config e's batch-order check: epoch 1's test accuracy must match the reference's to within this many test
 * examples. Why 2: in the published e runs (bench/results/{e-run,full-run,rerun}.json, every system, both wasm
 * passes) epoch 1's accuracy matched ours-cpu's to ≤ 1 of 2 000 test digits (later Adam epochs drift apart by up to
 * 5, float32 differences compounding, so e-adam's accuracy is compared at epoch 1 only; e-sgd's and qe's later epochs,
 * 0 digits apart, are compared too: bench/agree-epochs.ts; in --quick's qe all matched exactly). Another
 * batch order moves it far more: shuffle seed 15 instead of 14 moves e-adam's epoch 1 from 88.3 % to 89.25 % (19
 * digits) while its epoch-1 loss moves only 1.7e-4, under rtol 1e-3 — the loss alone does not enforce the order.
 */
export const FIT_ACCURACY_SLACK = 2;

/**
 * Config e's later epochs off (bench/agree-epochs.ts) while epoch 1 agrees — its loss within tolerance and its test
 * accuracy within FIT_ACCURACY_SLACK: that verdict, else undefined. What a failure (measure.ts summarize) and the
 * Markdown cell (report.ts) name as "epoch k off", rather than epoch 1's loss or accuracy.
 */
export function offAfterEpoch1(a: Row['agreement']): LaterEpochsAgreement | undefined {
  return a && a.later?.ok === false && a.absErr <= a.tol && !(a.accuracyExamplesOff! > FIT_ACCURACY_SLACK) ? a.later : undefined;
}

/**
 * Agreement of one config's rows: the reference is ours-cpu (the oracle) if it ran, else the first row with a
 * loss. A row whose loss is off by more than rtol·|ref| + atol (or is not finite) becomes 'wrong'; so does one whose
 * parameters after N are off the reference's (bench/agree-params.ts: the loss misses some wrong gradients, a–d);
 * on config e also one whose epoch-1 test accuracy is more than FIT_ACCURACY_SLACK test examples off the reference's,
 * or whose epochs 2 … K are off (config.fit.agreeEpochs; bench/agree-epochs.ts).
 */
export function agree(rows: Row[], config: BenchConfig): void {
  const withLoss = rows.filter((r) => r.status === 'ok' && r.finalLoss !== undefined);
  const ref = withLoss.find((r) => r.system === 'ours-cpu') ?? withLoss[0];
  if (!ref) return;
  const refLoss = ref.finalLoss!;
  const refAcc = (ref.fits?.[0]?.epochs ?? ref.epochs)?.[0]?.testAccuracy;
  for (const r of withLoss) {
    // Config e with --fits N: every fit's epoch 1 against the reference's first fit (the worst is recorded).
    const firsts = r.fits?.length ? r.fits.map((f) => ({ loss: f.epochs[0]?.loss, acc: f.epochs[0]?.testAccuracy })) : [{ loss: r.finalLoss!, acc: r.epochs?.[0]?.testAccuracy }];
    const absErr = Math.max(...firsts.map((f) => Math.abs(f.loss - refLoss)));
    const tol = config.rtol * Math.abs(refLoss) + config.atol;
    let ok = firsts.every((f) => Number.isFinite(f.loss)) && Number.isFinite(refLoss) && absErr <= tol;
    r.agreement = {
      ref: ref.system, refLoss, absErr, relErr: absErr / Math.max(Math.abs(refLoss), Number.MIN_VALUE), tol, ok, ...(ref.variant ? { refVariant: ref.variant } : {}),
      ...(ref.threads !== undefined ? { refThreads: ref.threads } : {}), reference: r === ref,
    };
    if (ref.agreeParams && r.agreeParams) {
      const { variant, threads } = ref;
      r.paramsAgreement = { ref: ref.system, ...(variant ? { refVariant: variant } : {}), ...(threads !== undefined ? { refThreads: threads } : {}), ...paramsAgreement(r.agreeParams, ref.agreeParams, config.rtol, config.atol) };
    }
    if (r.paramsAgreement?.ok === false) ok = r.agreement.ok = false;
    if (config.fit && refAcc !== undefined) {
      // Accuracies are k / test; count the examples (rounded: k / test is not exact in float).
      const examplesOff = Math.max(...firsts.map(({ acc }) => (acc === undefined ? Infinity : Math.round(Math.abs(acc - refAcc) * config.fit!.test))));
      r.agreement.accuracyExamplesOff = examplesOff;
      if (!(examplesOff <= FIT_ACCURACY_SLACK)) ok = r.agreement.ok = false;
      // Epochs 2 … K (config.fit.agreeEpochs): the batch order after epoch 1 (bench/agree-epochs.ts).
      const later = laterEpochsAgreement(r.fits?.length ? r.fits.map((f) => f.epochs) : [r.epochs ?? []], ref.fits?.[0]?.epochs ?? ref.epochs ?? [], config.fit, config, FIT_ACCURACY_SLACK);
      if (later) r.agreement.later = later;
      if (later && !later.ok) ok = r.agreement.ok = false;
    }
    if (!ok) r.status = 'wrong';
  }
}

/** A run's seconds: one decimal under 10 s (a quick page run said "done in 0 s"), whole seconds above. */
export function fmtSeconds(s: number): string {
  return `${s < 10 ? s.toFixed(1) : s.toFixed(0)} s`;
}

export function fmtMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  if (ms >= 0.01) return `${(ms * 1000).toFixed(1)} µs`;
  return `${(ms * 1000).toFixed(2)} µs`;
}
