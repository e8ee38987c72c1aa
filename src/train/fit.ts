/**
 * fit's options checked before any backend work (the option and result types are fit-types.ts), the seeded
 * permutation, and the epoch loop that drives a BackendTrainer (src/backend.ts), and fitModel: that loop run for a
 * model (Model.fit, src/model.ts), with its bookkeeping — the CPU copies kept per epoch, onEpoch's pause, the model
 * put back when the fit fails (that, and what a stop keeps: fit-stop.ts).
 *
 * An epoch: the order (a seeded permutation, or 0 … n−1 with shuffle false) is written once, the mini-batches run
 * in submissions of at most `batchesPerSubmission`, the epoch sums are read once, then the validation set (if
 * any) is predicted in batches. The signal is checked between submissions.
 */
import type { BackendData, BackendTrainer } from '../backend.ts';
import { maxAbsOf } from '../backend.ts';
import type { GpuWatch } from '../calls.ts';
import { type Budget, type FitDataNeeds, type OwnMemory, checkFitBudget, fitDataNeeds } from '../budget.ts';
import { measureFit } from './timing.ts';
import { type DataRead, checkGiven, readData } from '../data.ts';
import { DisposedError, DivergedError, SpecError } from '../errors.ts';
import { mulberry32 } from '../init.ts';
import type { Batch, Net, Params, RunSpec } from '../spec.ts';
import { checkFraction, checkShuffle, dataSetFrom, heldOut } from '../spec.ts';
import { ExampleMajorBatch, heldExamples } from '../columns.ts';
import { copyColumns } from '../cpu/kernels.ts';
import { describe, integerIn } from '../checks.ts';
import { checkKnownKeys } from '../suggest.ts';
import { accuracyRule, countCorrect } from './accuracy.ts';
import { checkFitCounts } from './checkpoint.ts';
import { type OptimizerConfig, type OptimizerState, resolveOptimizer, type OptimizerName, zeroState } from './optimizers.ts';
import type { EpochLog, FitOptions } from './fit-types.ts';
import { keepStopped, putBack, stopTracking } from './fit-stop.ts';
import { type EarlyStoppingConfig, checkEarlyStopping, earlyStopper, monitorHasData } from './early-stop.ts';
import { type LrScheduleConfig, checkLrSchedule, checkScheduleLr, lrSequence } from './lr-schedule.ts';

// The options and results are fit-types.ts's; re-exported here, where the model, the entry point and the CLI import them.
export type { AbortSignalLike, EarlyStopping, EarlyStoppingMonitor, EpochLog, FitOptions, FitProgress } from './fit-types.ts';

/**
 * A validated fit call: everything resolved, data in engine layout — copies fit made of the caller's data at the call
 * (or held out of them), or the model's batch; nothing writes them during the fit (the CPU trainer keeps them as its data).
 */
export interface FitPlan {
  train: Batch;
  val: Batch | undefined;
  batchSize: number;
  epochs: number;
  shuffle: false | { seed: number };
  dropLast: boolean;
  optimizer: OptimizerConfig;
  batchesPerSubmission: number;
  /** Checked (./early-stop.ts), its monitor present (a validation set for 'valLoss'); undefined: no early stopping. */
  earlyStopping?: EarlyStoppingConfig;
  /** Checked (./lr-schedule.ts), against optimizer.lr too; undefined: optimizer.lr every epoch. */
  lrSchedule?: LrScheduleConfig;
}

/** Mini-batches an epoch of `plan` runs: a last, smaller one counts unless dropLast. */
function batchCount(plan: FitPlan): number {
  return plan.dropLast ? Math.floor(plan.train.n / plan.batchSize) : Math.ceil(plan.train.n / plan.batchSize);
}

/** Columns [from, to) of a batch (a view of x where it is held example-major: ExampleMajorBatch). */
function sliceBatch(b: Batch, from: number, to: number, outputs: number, inputs: number): Batch {
  const n = to - from;
  const Y = new Float32Array(outputs * n);
  copyColumns(b.Y, Y, from, n, outputs, b.n);
  const held = heldExamples(b);
  if (held) return new ExampleMajorBatch(n, inputs, held.subarray(from * inputs, to * inputs), Y);
  const X = new Float32Array(inputs * n);
  copyColumns(b.X, X, from, n, inputs, b.n);
  return { n, X, Y };
}

/**
 * signal: what fit calls of it — a boolean `aborted` and a function `throwIfAborted` (an AbortSignal has both; its
 * `reason` and `addEventListener` are not needed). Anything else is a SpecError naming `signal`.
 */
function checkSignal(signal: unknown): void {
  if (signal === undefined) return;
  const s = signal as Partial<Record<'aborted' | 'throwIfAborted', unknown>> | null;
  if (typeof signal !== 'object' || s === null || typeof s.aborted !== 'boolean' || typeof s.throwIfAborted !== 'function') {
    throw new SpecError('signal', `must be an AbortSignal (or an object with a boolean aborted and a throwIfAborted() method), got ${describe(signal)}`);
  }
}

const FIT_KEYS = ['x', 'y', 'batchSize', 'epochs', 'shuffle', 'validation', 'dropLast', 'optimizer', 'batchesPerSubmission', 'earlyStopping', 'lrSchedule', 'onEpoch', 'onBatch', 'signal'];

/** What checkFit and resolveFit check fit's data against: the budget, whether it goes to a GPU, and that GPU's largest binding. */
export interface FitLimits {
  budget: Budget;
  device: boolean;
  /** WebGPU: min(maxStorageBufferBindingSize, maxBufferSize) of the device; absent elsewhere. */
  maxBindingBytes?: number;
  /** A backend's own memory (wasm: src/budget.ts OwnMemory), counted against the host budget too. */
  own?: OwnMemory;
}

/**
 * fit's data against the budget (src/budget.ts checkFitBudget) when fit is called, from the example counts alone:
 * before the data is converted, from the same reads (DataRead) that dataSetFrom then converts. A malformed count reads
 * as 0 here and is refused by dataSetFrom after. Given `run` (the run fields the fit will run with: nothing queued
 * ahead of it can change them), in full with their batchSize and validation, and for x omitted the model's batch.
 * Else only what the options give: the least the fit can need whatever defaults it takes when it runs (resolveFit
 * checks the whole then) — batches of batchSize as given, else of 1; without a validation option, the data as one
 * training set on the host alone; and without x, no training examples (the model's batch is taken when it runs).
 */
function checkGivenBudget(net: Net, nAll: number, given: GivenValidation, call: Pick<FitCall, 'batchSize' | 'optimizer' | 'batchesPerSubmission' | 'earlyStopping'>,
  limits: FitLimits, run: RunSpec | undefined): void {
  const batchSize = call.batchSize;
  // The trainer's optimiser state (src/budget.ts fitTrainerNeeds): the one given, else the run's, else none (SGD).
  const trainer = { optimizer: (call.optimizer ?? run?.optimizer)?.name, batchesPerSubmission: call.batchesPerSubmission, restoreBest: call.earlyStopping?.restoreBest };
  const validation = given ?? run?.validation;
  if (validation === undefined && !run) {
    // NOTE: the run's validation fraction, taken when the fit runs, may split the data: that only adds to the host
    // bytes (a held-out example costs outputs + 1 floats there, a training one 2) and to the device's (outputs + 2
    // against 1), and only takes from the largest binding; the device and the binding are left to resolveFit (data
    // over them is then converted first: a count that does not match its data is a ShapeError there, where a fit
    // with nothing ahead gives LimitError).
    checkFitBudget(net, nAll, 0, Math.max(1, Math.min(batchSize ?? 1, nAll)), { budget: limits.budget, own: limits.own, ...trainer });
    return;
  }
  const nVal = typeof validation === 'number' ? Math.round(validation * nAll) : validation?.count ?? 0;
  const nTrain = typeof validation === 'number' ? nAll - nVal : nAll;
  const B = batchSize ?? (run ? runBatchSize(run, nTrain) : 1);
  checkFitBudget(net, nTrain, nVal, Math.max(1, Math.min(B, nTrain)), { ...limits, ...trainer });
}

/**
 * The batch size of a fit call that gives none: the run's (the spec's batchSize), else 32, at most the `n` training
 * examples. resolveFit's rule; the CLI's train reports the threads a net ran on at it.
 */
export function runBatchSize(run: RunSpec, n: number): number {
  return Math.min(run.batchSize ?? 32, n);
}

/** fit's validation option as the budget sees it: a fraction, a validation set of `count` examples, or none given. */
type GivenValidation = number | { count: number } | undefined;

/** batchSize against the training examples there are: a SpecError naming it. */
function checkBatchSize(batchSize: number, nTrain: number, held: boolean): void {
  if (batchSize > nTrain) throw new SpecError('batchSize', `is ${batchSize}, more than the ${nTrain} ${held ? 'training ' : ''}example${nTrain === 1 ? '' : 's'}`);
}

/**
 * fit's options as checked when fit is called: each value given validated (the copies the checks return), the data
 * converted. The defaults that come from the model's state (its run fields, its last optimiser) are filled in by
 * resolveFit when the fit runs.
 */
export interface FitCall {
  /**
   * The training data before a validation fraction is held out: x, y as given, else the model's batch at the call
   * when nothing was queued ahead (`FitNow`), else undefined: the model's batch when the fit runs (resolveFit).
   * resolveFit takes it off the call (sets it undefined), so that only the plan holds the data during the fit.
   */
  all: Batch | undefined;
  /** validation as given: a fraction, or {x, y} converted; undefined for the run's. */
  validation: number | Batch | undefined;
  batchSize: number | undefined;
  epochs: number | undefined;
  shuffle: false | { seed: number } | undefined;
  dropLast: boolean;
  optimizer: OptimizerConfig | undefined;
  batchesPerSubmission: number;
  earlyStopping: EarlyStoppingConfig | undefined;
  lrSchedule: LrScheduleConfig | undefined;
  /**
   * Set when a call was queued ahead (checkFit without `now`): what resolveFit needs to check, at the fit's turn and
   * in the order a fit with nothing ahead is checked at its call, what depends on the model then — the budget in full
   * (`given`: the validation option as counted at the call), no data, then a validation set that failed to convert
   * at the call (`error`, kept for after "no data", as the call with nothing ahead finds them), then the counts.
   */
  queued?: { given: GivenValidation; error?: unknown };
}

/**
 * fit's options read once: the known keys copied off `options` (each read once, a getter too), so that a value
 * checked is the value used — options changed after fit is called change nothing. Unknown keys are a SpecError.
 * Not an object: returned as it is (checkFit refuses it).
 */
export function fitOptionsOnce(options: FitOptions): FitOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return options;
  checkKnownKeys(options, FIT_KEYS, '', `known: ${FIT_KEYS.join(', ')}`, SpecError, 'unknown fit option');
  const once: Record<string, unknown> = {};
  for (const key of FIT_KEYS) {
    const v = (options as Record<string, unknown>)[key];
    if (v !== undefined) once[key] = v;
  }
  return once as FitOptions;
}

/** The model as a fit called with nothing queued ahead will run with it: its run fields (fitRun) and its batch. */
export interface FitNow {
  run: RunSpec;
  batch: Batch | undefined;
}

/**
 * Validate fit's options against the net (and, given `limits`, its data against the budget) and convert the data:
 * what does not depend on the defaults taken when the fit runs (a call queued ahead may change them: a fit or restore
 * the run fields, a train, step or grad the batch), so that a call refused here would be refused however it is
 * queued — a batchSize larger than all the examples (or than the training side of a validation given), a validation
 * fraction that leaves a side empty, data over the budget in any case (checkGivenBudget) — those of x, y given, and
 * given `now` (nothing queued ahead) of the model's batch for x omitted, the budget in full. Without `now`, x omitted
 * leaves `all` undefined: resolveFit takes the batch and checks it. The rest is resolveFit's. Pure: no backend, no
 * state. Throws SpecError / ShapeError / LimitError … naming the field. Each option is read once (a getter or Proxy is
 * asked once): the budget counts, and the conversion converts, the same reads of x, y and the validation set.
 */
export function checkFit(net: Net, options: FitOptions, specLr: number | undefined, limits?: FitLimits, now?: FitNow): FitCall {
  // An array is no options object: fit([]) would train on the defaults, fit([x, y]) name its key '0' (train refuses both).
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new SpecError('options', `fit takes an options object {x, y, batchSize, epochs, …}, got ${describe(options)}`);
  const o = fitOptionsOnce(options) as Record<string, unknown>;
  // The options that cost nothing to check go first, before the data is counted or converted. Defaults from the
  // model's run fields stay undefined here: resolveFit fills them when the fit runs.
  const batchSize = o.batchSize === undefined ? undefined : integerIn(o.batchSize, 'batchSize', 1, Infinity);
  const epochs = o.epochs === undefined ? undefined : integerIn(o.epochs, 'epochs', 1, Infinity);
  const shuffle = o.shuffle === undefined ? undefined : checkShuffle(o.shuffle);
  if (o.dropLast !== undefined && typeof o.dropLast !== 'boolean') throw new SpecError('dropLast', 'must be true or false');
  const dropLast = o.dropLast === true;
  const optimizer = o.optimizer === undefined ? undefined : resolveOptimizer(o.optimizer, specLr);
  const batchesPerSubmission = o.batchesPerSubmission === undefined ? 16 : integerIn(o.batchesPerSubmission, 'batchesPerSubmission', 1, Infinity);
  if (o.onEpoch !== undefined && typeof o.onEpoch !== 'function') throw new SpecError('onEpoch', 'must be a function');
  if (o.onBatch !== undefined && typeof o.onBatch !== 'function') throw new SpecError('onBatch', 'must be a function');
  checkSignal(o.signal);
  const earlyStopping = o.earlyStopping === undefined ? undefined : checkEarlyStopping(o.earlyStopping, net);
  const lrSchedule = o.lrSchedule === undefined ? undefined : checkLrSchedule(o.lrSchedule, net);
  const pair = checkGiven(net, o.x, o.y, { call: 'fit', optional: true }); // before validation's data is read
  // validation: undefined takes the run's (resolveFit, when the fit runs); anything else (null included) is checked as given.
  let given: number | { x: DataRead; y: DataRead } | undefined;
  if (o.validation === undefined) given = undefined;
  else if (typeof o.validation !== 'object' || o.validation === null || Array.isArray(o.validation) || ArrayBuffer.isView(o.validation)) given = checkFraction(o.validation);
  else {
    checkKnownKeys(o.validation, ['x', 'y'], 'validation.', 'validation data has x and y', SpecError);
    // Its x and y read once, as fit's own options (a getter asked once): the check and the read see the same value.
    const { x: vx, y: vy } = o.validation as Record<string, unknown>;
    checkGiven(net, vx, vy, { call: "fit's validation data", prefix: 'validation.' });
    given = { x: readData(vx, 'validation.x'), y: readData(vy, 'validation.y') };
  }
  // A validation monitor without a validation set: known now where one is given, or nothing is queued ahead (the run's).
  if (given !== undefined || now) monitorsHaveData(earlyStopping, lrSchedule, (given ?? now?.run.validation) !== undefined);
  const x = pair ? readData(o.x, 'x') : undefined;
  const y = pair ? readData(o.y, 'y') : undefined;
  const counted: GivenValidation = typeof given === 'object' ? { count: given.x.count } : given;
  if (limits) checkGivenBudget(net, x !== undefined ? x.count : now?.batch?.n ?? 0, counted, { batchSize, optimizer, batchesPerSubmission, earlyStopping }, limits, now?.run);
  const all = x !== undefined ? dataSetFrom(net, x, y) : now && modelBatch(now.batch);
  // Every error names the field inside validation: "validation.x[3]" rather than "x[3]".
  const convert = () => (typeof given === 'object' ? dataSetFrom(net, given.x, given.y, 'validation.') : given);
  const rest = { batchSize, epochs, shuffle, dropLast, optimizer, batchesPerSubmission, earlyStopping, lrSchedule };
  if (all) {
    const validation = convert();
    checkGivenCounts(all.n, batchSize, validation);
    return now ? { all, validation, ...rest } : { all, validation, ...rest, queued: { given: counted } };
  }
  // x omitted, a call queued ahead: the data is converted now (a copy of the call's), a failure kept for its turn.
  try {
    return { all, validation: convert(), ...rest, queued: { given: counted } };
  } catch (error) {
    return { all, validation: undefined, ...rest, queued: { given: counted, error } };
  }
}

/** earlyStopping's and a plateau lrSchedule's monitors against whether the fit has a validation set (monitorHasData). */
function monitorsHaveData(earlyStopping: EarlyStoppingConfig | undefined, lrSchedule: LrScheduleConfig | undefined, validation: boolean): void {
  if (earlyStopping) monitorHasData(earlyStopping, validation);
  if (lrSchedule?.name === 'plateau') monitorHasData(lrSchedule, validation, 'lrSchedule.monitor');
}

/** The model's batch as fit's default data: a SpecError when there is none. */
function modelBatch(batch: Batch | undefined): Batch {
  if (!batch) throw new SpecError('x', 'no data: give x and y (here or in the spec)');
  return batch;
}

/** batchSize and a validation given against the n examples before any is held out (what no run default changes). */
function checkGivenCounts(n: number, batchSize: number | undefined, validation: number | Batch | undefined): void {
  if (batchSize !== undefined) checkBatchSize(batchSize, typeof validation === 'number' ? n - heldOut(validation, n) : n, validation !== undefined);
  else if (typeof validation === 'number') heldOut(validation, n);
}

/**
 * A checked fit call with its defaults filled in from the model's run fields (`run`: the spec's or a restored
 * checkpoint's, its optimizer the last fit's) and, for x omitted, its batch (`batch`) — resolved when the fit runs,
 * so that a fit queued behind another fit, a restore, or a train / step / grad goes on from that one, as it would had
 * the caller awaited it. Throws SpecError when there is no data, when the data taken now fails what checkFit checks
 * of data given, when the run's validation fraction leaves fewer training examples than the batchSize given (or none
 * on a side), and (given `limits`) LimitError when the data and batches so resolved are over the budget — all from
 * the counts, before any work.
 */
export function resolveFit(net: Net, call: FitCall, run: RunSpec, specLr: number | undefined, limits?: FitLimits, batch?: Batch): FitPlan {
  const { queued } = call;
  // A call queued ahead: in the order checkFit checks a call with nothing ahead (the same error whichever fails first).
  if (queued) monitorsHaveData(call.earlyStopping, call.lrSchedule, (queued.given ?? run.validation) !== undefined);
  if (queued && limits) checkGivenBudget(net, (call.all ?? batch)?.n ?? 0, queued.given, call, limits, run);
  const given = call.all;
  // NOTE: the call lets go of its data (it is kept for the fit's length): beside a held-out fraction's two sides and
  // the trainer's copy of them the whole set was a third copy of x all through the epochs (measured: a CPU fit of
  // 200 000 × 20 typed x, validation 0.2, held 58.2 MB against 39.2 MB without validation). Taken once: one fit.
  call.all = undefined;
  const all = given ?? modelBatch(batch);
  if (!given) {
    if (queued?.error !== undefined) throw queued.error;
    checkGivenCounts(all.n, call.batchSize, call.validation);
  }
  const outputs = net.layers[net.layers.length - 1].units;
  let train = all;
  let val: Batch | undefined;
  const validation = call.validation ?? run.validation;
  if (typeof validation === 'number') {
    const held = heldOut(validation, all.n);
    train = sliceBatch(all, 0, all.n - held, outputs, net.inputs);
    val = sliceBatch(all, all.n - held, all.n, outputs, net.inputs);
  } else val = validation;
  const batchSize = call.batchSize ?? runBatchSize(run, train.n);
  checkBatchSize(batchSize, train.n, true);
  const optimizer = call.optimizer ?? run.optimizer ?? resolveOptimizer('sgd', specLr);
  if (call.lrSchedule) checkScheduleLr(call.lrSchedule, optimizer.lr);
  if (limits) checkFitBudget(net, train.n, val?.n ?? 0, batchSize, { ...limits, optimizer: optimizer.name, batchesPerSubmission: call.batchesPerSubmission, restoreBest: call.earlyStopping?.restoreBest });
  const epochs = call.epochs ?? run.epochs ?? 1;
  const shuffle = call.shuffle ?? run.shuffle ?? { seed: 0 };
  return { train, val, batchSize, epochs, shuffle, dropLast: call.dropLast, optimizer, batchesPerSubmission: call.batchesPerSubmission, earlyStopping: call.earlyStopping, lrSchedule: call.lrSchedule };
}

/**
 * The order of epoch `epoch` (0-based, counted across fit calls): a Fisher–Yates shuffle of 0 … n−1 driven by
 * mulberry32 seeded with (seed, epoch) — so a resumed run draws the same orders — or 0 … n−1 with shuffle false.
 * @throws {SpecError} naming `n`, `shuffle` / `shuffle.seed` (0 … 2³² − 1) or `epoch`.
 */
export function epochOrder(n: number, shuffle: false | {
  /** The seed, an integer 0 … 2³² − 1: with `epoch` it seeds mulberry32. */
  seed: number;
}, epoch: number): Uint32Array {
  // Checked at entry (an exported helper): a SpecError naming the argument, not an empty or aliased order.
  integerIn(n, 'n', 0, 2 ** 32, 'the order holds 32-bit indices');
  checkShuffle(shuffle);
  integerIn(epoch, 'epoch', 0, Number.MAX_SAFE_INTEGER);
  const order = Uint32Array.from({ length: n }, (_, c) => c);
  if (shuffle === false) return order;
  const rand = mulberry32((Math.imul(shuffle.seed | 0, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** Mean loss and accuracy of `data` (whose labels are `labels`) by a forward pass in batches. */
export async function evaluateOn(trainer: BackendTrainer, net: Net, data: BackendData, labels: Batch): Promise<{ loss: number; accuracy?: number }> {
  const { A, losses } = await trainer.predict(data);
  let sum = 0;
  for (const L of losses) sum += L;
  const out: { loss: number; accuracy?: number } = { loss: sum / labels.n };
  if (accuracyRule(net) !== 0) out.accuracy = countCorrect(net, A, labels.Y, labels.n) / labels.n;
  return out;
}

/**
 * A turn of the event loop between submissions (the page's clicks and paints, an abort; the lab's Train between
 * chunks). NOTE: not setTimeout(0): browsers hold a timer set from inside a timer's task 4 ms or more from the fifth
 * nesting on (HTML's timer clamping), and every tick after the fifth of a fit is nested; Node makes 0 ms at least
 * 1 ms. A MessageChannel message is a task with no such floor (setImmediate in Node, where it is the same kind of
 * turn; setTimeout only where there is neither).
 */
export function tick(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;
  if (immediate) return new Promise((resolve) => { immediate(resolve); });
  if (typeof MessageChannel !== 'function') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Run the epochs of `plan` on a trainer that already holds the parameters and optimiser state. `firstEpoch` is
 * the number of epochs this model trained before (for the permutation and the history's numbering).
 * `onEpochDone` gets each finished epoch's parameters and optimiser state (before onEpoch is called), and whether it
 * is the best so far by plan.earlyStopping's monitor (false without it); with earlyStopping, the loop ends after the
 * epoch earlyStopper says to stop at, that entry marked (EpochLog.earlyStop), and the history so far is returned.
 * `options.submitted` is called after each submission of mini-batches (steps have run from the first on);
 * `options.onBatch` after its batches have run (trainer.settled); `options.check` before each submission and each
 * epoch's end (a late stop: fitModel's onBatch rejected).
 * Throws DivergedError when an epoch's loss is not finite (the caller restores), signal.reason when aborted.
 */
export async function runFit(
  trainer: BackendTrainer, net: Net, plan: FitPlan, firstEpoch: number, options: Pick<FitOptions, 'onEpoch' | 'onBatch' | 'signal'> & { submitted?: () => void; check?: () => void },
  onEpochDone: (done: Awaited<ReturnType<BackendTrainer['read']>>, best: boolean) => void,
): Promise<EpochLog[]> {
  const history: EpochLog[] = [];
  const uploading = performance.now();
  // The plan's sets are fit's own (converted at the call, held out by sliceBatch) or the model's batch, which nothing
  // writes: the CPU trainer keeps them rather than a second copy of x through the epochs.
  const data = trainer.upload(plan.train, { keep: true });
  let valData: BackendData | undefined;
  try {
    // Inside the try: where the validation set fails to upload, the training set is let go of here too (as before,
    // fitModel's putBack then disposes the trainer).
    valData = plan.val ? trainer.upload(plan.val, { keep: true }) : undefined;
    measureFit('upload', uploading);
    const n = plan.train.n;
    const batches = batchCount(plan);
    const examples = Math.min(n, batches * plan.batchSize);
    const rule = accuracyRule(net);
    const stopper = plan.earlyStopping && earlyStopper(plan.earlyStopping);
    const lrs = lrSequence(plan.lrSchedule, plan.optimizer.lr, firstEpoch);
    let bestEpoch = 0;
    for (let e = 0; e < plan.epochs; e++) {
      const epoch = firstEpoch + e;
      const t0 = performance.now();
      // The epoch's lr, in the config each step's scalars come from (stepScalars): PyTorch's param group lr.
      const lr = lrs.at(e);
      const optimizer = lr === plan.optimizer.lr ? plan.optimizer : { ...plan.optimizer, lr };
      trainer.writeOrder(epochOrder(n, plan.shuffle, epoch));
      for (let k = 0; k < batches; k += plan.batchesPerSubmission) {
        options.signal?.throwIfAborted();
        options.check?.();
        const count = Math.min(plan.batchesPerSubmission, batches - k);
        trainer.runBatches(data, k, count, optimizer);
        options.submitted?.();
        if (options.onBatch) {
          // NOTE: only with onBatch does fit wait for each submission (on WebGPU), so that the count it reports has run.
          await trainer.settled();
          void options.onBatch({ epoch: epoch + 1, batch: k + count, batches });
        }
        await tick();
      }
      options.check?.();
      const sums = await trainer.readSums();
      const loss = sums.loss / examples;
      if (!Number.isFinite(loss)) throw new DivergedError(loss, `in epoch ${epoch + 1}`);
      // NOTE: the loss is computed before each update: check the parameters after the epoch's last one too.
      const done = await trainer.read();
      const maxAbsParam = maxAbsOf(done.params);
      if (!Number.isFinite(maxAbsParam)) throw new DivergedError(loss, `in epoch ${epoch + 1}`, { maxAbs: maxAbsParam });
      // NOTE: Adam's v ((1 − β2)·g², taken in that order) overflows float32 where |g| > √(3.4e38 / (1 − β2)), 5.8e20
      // at β2 = 0.999, while W stays finite (m / √v → 0): a broken run, and
      // a checkpoint that load would refuse. So the state is checked as the parameters are.
      for (const [slot, values] of Object.entries(done.state.slots)) {
        if (!Number.isFinite(maxAbsOf(values))) throw new DivergedError(loss, `in epoch ${epoch + 1}`, { slot });
      }
      const entry: EpochLog = { epoch: epoch + 1, loss, lr, maxAbsParam, seconds: 0 };
      if (rule !== 0) entry.accuracy = sums.correct / examples;
      measureFit(`epoch ${epoch + 1}`, t0);
      if (valData && plan.val) {
        const validating = performance.now();
        const v = await evaluateOn(trainer, net, valData, plan.val);
        measureFit(`validation ${epoch + 1}`, validating);
        entry.valLoss = v.loss;
        if (v.accuracy !== undefined) entry.valAccuracy = v.accuracy;
      }
      entry.seconds = (performance.now() - t0) / 1000;
      const verdict = stopper?.see(entry);
      lrs.see(entry);
      if (verdict?.best) bestEpoch = epoch + 1;
      if (verdict && (verdict.stop || e === plan.epochs - 1)) entry.earlyStop = { stopped: verdict.stop, bestEpoch };
      history.push(entry);
      onEpochDone(done, verdict?.best ?? false);
      // A copy: what onEpoch does to its entry does not change the history returned.
      await options.onEpoch?.(entry.earlyStop ? { ...entry, earlyStop: { ...entry.earlyStop } } : { ...entry });
      if (verdict?.stop) break;
    }
    return history;
  } finally {
    data.dispose();
    valData?.dispose();
    trainer.dropOrder();
  }
}

/** What a model keeps between fit calls: its trainer, the optimiser (config and state) and the epochs trained. */
export interface FitState {
  trainer: BackendTrainer | null;
  optimizer: OptimizerConfig | undefined;
  state: OptimizerState | undefined;
  epochs: number;
  /** While a fit runs (fitModel): what it holds besides its trainer, its data sets and order (fitDataNeeds), which the budget counts for a predict or evaluate called in its onEpoch. */
  held?: FitDataNeeds;
}

/**
 * A model as fitModel sees it (the Model's parts, src/model-watch.ts ModelParts): its CPU copy of the
 * parameters, the fit state it keeps between calls, and hooks into its step net and its call queue.
 */
export interface FitHost {
  readonly net: Net;
  /** The model's fit state; the same object for the whole call. */
  readonly fit: FitState;
  /** The parameters as last known on the CPU (current when fitModel is called). */
  known: Params;
  readonly disposed: boolean;
  /** fit.trainer for batches of batchSize with this optimiser (made anew unless both match), holding `known`. */
  trainerFor(batchSize: number, optimizer: OptimizerName): BackendTrainer;
  /** Put parameters into the model's step net (train/step/grad's), if it has one. */
  writeStepParams(params: Params): void;
  /**
   * Await `work` (onEpoch) with the model paused: its reading calls run at once meanwhile; settles as `work` does,
   * once the reading calls it started are done too.
   */
  paused(work: () => unknown): Promise<void>;
}

/**
 * Run `plan` for `model` (Model.fit's contract): a finished or stopped fit (signal, or onEpoch or onBatch threw) leaves the
 * model with the parameters, optimiser (config and state) and epoch count of its last finished step — a fit stopped
 * before its first step changes none of them, its optimiser included; a failure (anything else thrown) puts back
 * those before the call and drops the trainer, which may hold a torn run (./fit-stop.ts). `options`: Model.fit's copy
 * (fitOptionsOnce), which the caller cannot change. `watch`: the call's (src/calls.ts GpuWatch; null on cpu and wasm),
 * checked before onEpoch and before the fit resolves: where the device reported an error in the fit's work so far, it rejects.
 */
export async function fitModel(model: FitHost, plan: FitPlan, options: Pick<FitOptions, 'onEpoch' | 'onBatch' | 'signal'>, watch: GpuWatch | null): Promise<EpochLog[]> {
  const f = model.fit;
  checkFitCounts(f.epochs, f.state?.name === plan.optimizer.name ? f.state.t : 0, plan.epochs, batchCount(plan));
  const before = { known: model.known, state: f.state, optimizer: f.optimizer, epochs: f.epochs };
  const making = performance.now();
  const trainer = model.trainerFor(plan.batchSize, plan.optimizer.name);
  // The trainer gets the new optimiser's state; the model takes it (and the optimiser) once a step has run. NOTE: not
  // held here past writeState (a fresh state held through the fit was a third copy beside the trainer's and the model's).
  trainer.writeState(f.state?.name === plan.optimizer.name ? f.state : zeroState(plan.optimizer.name, model.known));
  measureFit('trainer', making);
  let stepped = false;
  const disposedStop = new DisposedError('this model');
  const stops = stopTracking(model, options, watch);
  const { onEpoch, onBatch, check, signal } = stops;
  f.held = fitDataNeeds(model.net, plan.train.n, plan.val?.n ?? 0);
  try {
    // After each epoch, the model's CPU copies and step net hold it (what the reading calls in onEpoch see).
    const submitted = (): void => void (stepped = true);
    // earlyStopping.restoreBest: the best epoch's copies, those onEpochDone got (no read of its own).
    let best: { params: Params; state: OptimizerState; epochs: number } | undefined;
    const history = await runFit(trainer, model.net, plan, f.epochs, { onEpoch, onBatch, signal, submitted, check }, (r, isBest) => {
      f.epochs++;
      model.known = r.params;
      f.optimizer = plan.optimizer;
      f.state = r.state;
      model.writeStepParams(r.params);
      if (isBest && plan.earlyStopping?.restoreBest) best = { params: r.params, state: r.state, epochs: f.epochs };
    });
    // dispose() in the last epoch's onEpoch: nothing was left to run, so nothing threw.
    if (model.disposed) throw disposedStop;
    if (watch) await watch.check(); // a failure, as anything before it (the model as before the call)
    if (best && best.epochs !== f.epochs) {
      // The model a fit of that many epochs leaves: its parameters, optimiser state and count (the trainer is written
      // from `known` by the next call that uses it: trainerFor, predictor; the state by the next fit's writeState).
      model.known = best.params;
      f.state = best.state;
      f.epochs = best.epochs;
      model.writeStepParams(best.params);
    }
    return history;
  } catch (err) {
    // dispose() during the fit (from onEpoch, or between submissions) ends it as a stop: the model keeps the last
    // finished epoch (its parameters in lastKnownParams), and the error says the model was disposed.
    if (err === disposedStop) throw err;
    if (model.disposed && !stops.stopped()) throw Object.assign(disposedStop, { cause: err });
    if (!stops.stopped()) {
      putBack(model, before, trainer);
      throw err;
    }
    if (stepped && !model.disposed) await keepStopped(model, plan, trainer);
    // A GPU error in the fit's work since the last onEpoch (the read above too) makes the stop a failure. NOTE: it kept
    // the stop's epochs and state beside the parameters from before the call (tmp probe on Dawn, 2026-12-06).
    if (watch && !model.disposed) {
      try {
        await watch.check();
      } catch (gpu) {
        putBack(model, before, trainer);
        throw gpu;
      }
    }
    throw err;
  } finally {
    f.held = undefined;
    stops.release();
  }
}
