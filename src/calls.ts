/**
 * A model's calls (src/model.ts) as they are made: the queue that runs them, and the checks of train, step, grad,
 * predict and evaluate that are done when the call is made (every call's argument count too: checkArity); train's
 * options and result (TrainOptions, MAX_TRAIN_STEPS, TrainResult) and grad's (GradResult).
 *
 * The queue: a model's calls run one at a time, in the order made, never interleaved — except while a fit awaits its
 * onEpoch (`pause`): then the reading calls (getParams, save, predict, evaluate) run at once, one at a time among
 * themselves, and the others are refused with BusyError (they would wait for that fit). A call whose turn comes
 * after dispose() (`end`) rejects with DisposedError.
 */
import { type Budget, type FitDataNeeds, type OwnMemory, checkBudget, checkFitBudget } from './budget.ts';
import { checkGiven, checkPresent, readData } from './data.ts';
import type { Backend, ErrorSection } from './backend.ts';
import { BusyError, DeviceLostError, DisposedError, GpuValidationError, SpecError } from './errors.ts';
import { checkOptions, describe, FLOAT32_MAX, integerIn, isObject } from './checks.ts';
import { type Batch, type DataInput, type Net, batchFrom, dataSetFrom, toColumns } from './spec.ts';
import type { FitLimits } from './train/fit.ts';
import type { OptimizerName } from './train/optimizers.ts';

/**
 * One Model call's watch for the errors its device reports apart from the call (WebGPU: Backend.errorSection; none on
 * cpu and wasm): `check()` ends the section open and throws the first error it caught as a GpuValidationError naming
 * the call (`what`); `reopen()` opens another (a fit's after its onEpoch: src/webgpu/backend.ts errorSection).
 */
export class GpuWatch {
  private section: Promise<ErrorSection> | null = null;
  /** `what`: the call, as the GpuValidationError names it. */
  constructor(private readonly backend: Backend, readonly what: string) {}

  /**
   * Open a section (after the sections before it on the backend have ended); nothing on a backend without them, nor
   * while one is open (one left open would hold every later section on the backend).
   */
  async reopen(): Promise<void> {
    if (!this.backend.errorSection || this.section) return;
    this.section = this.backend.errorSection();
    await this.section;
  }

  /** The first error the open section caught, or null (none open); it ends. */
  async first(): Promise<string | null> {
    const section = this.section;
    this.section = null;
    return section ? (await section).end() : null;
  }

  /** End the open section; throw what it caught as a GpuValidationError naming the call. */
  async check(): Promise<void> {
    const first = await this.first();
    if (first !== null) throw new GpuValidationError(this.what, first);
  }
}

/**
 * A call's backend work in a GpuWatch. `work` calls `check` after its reads, before it keeps anything, so that a GPU
 * error leaves the model as before the call (the step net's parameters put back by runChecked, a fit's by putBack:
 * src/train/fit-stop.ts).
 * What `work` throws while the section caught one (a map of a buffer the error left invalid: an OperationError; a
 * loss of zeros or NaN: DivergedError) becomes that GpuValidationError — but DeviceLostError and DisposedError, which
 * say what became of the device or the model. `onGpuError` runs before it is thrown (the model lets go of nets the
 * error may have left unusable). A backend without error sections (cpu, wasm): `work(null)` as it is, with no await
 * of its own (NOTE: the watch's awaits made Model.train on cpu, 1 step of the 2-3-1 net, 3.7–3.8 µs a call against
 * 2.8 before it: a tmp probe, 2026-12-06).
 */
export function gpuWatched<T>(backend: Backend, what: string, work: (watch: GpuWatch | null) => Promise<T>, onGpuError: () => void): Promise<T> {
  return backend.errorSection ? inSection(new GpuWatch(backend, what), work, onGpuError) : work(null);
}

async function inSection<T>(watch: GpuWatch, work: (watch: GpuWatch) => Promise<T>, onGpuError: () => void): Promise<T> {
  await watch.reopen();
  try {
    const result = await work(watch);
    await watch.check(); // the reading calls' check (train, step, grad and fit made theirs: none open then)
    return result;
  } catch (err) {
    const first = await watch.first();
    const gpu = err instanceof GpuValidationError ? err
      : first === null || err instanceof DeviceLostError || err instanceof DisposedError ? null : new GpuValidationError(watch.what, first);
    if (!gpu) throw err;
    onGpuError();
    throw gpu;
  }
}

/** What train/step/grad's data is checked against: the budget, the device's (WebGPU), a backend's own memory (wasm). */
export interface CallLimits {
  device: boolean;
  budget: Budget;
  own?: OwnMemory;
}

/**
 * train/step/grad's data, when the call is made: x, y checked against the budget and converted (a copy: what the
 * caller does to them afterwards changes nothing), or undefined for the model's current batch when the call runs.
 */
export function callData(net: Net, call: string, x: DataInput | undefined, y: DataInput | undefined, limits: CallLimits): Batch | undefined {
  if (!checkGiven(net, x, y, { call, optional: true })) return undefined;
  // Read once: the budget counts, and batchFrom converts, the same reads of x and y.
  const xRead = readData(x, 'x');
  const yRead = readData(y, 'y');
  checkBudget(net, xRead.count, limits);
  return batchFrom(net, xRead, yRead);
}

/**
 * grad(x, y), step(lr, x, y), predict(x) and evaluate(x, y) take their arguments in order, where train and fit take
 * one options object: an object with x, y, lr or steps keys in an argument's place (grad({ x, y }), written as train
 * is called) is named for what it is, before anything is read (it was read as x, and the error said y was missing
 * although it was given; predict's, that x was of shape "object").
 */
export function checkPositional(usage: string, field: string, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value) || 'examples' in value) return;
  const keys = Object.keys(value).filter((k) => ['x', 'y', 'lr', 'steps'].includes(k));
  if (keys.length) throw new SpecError(field, `${usage} takes its arguments in order, not one object (got { ${keys.join(', ')} }); train and fit take an options object`);
}

/**
 * A call given more arguments than it declares (`params`, their names; an options object's as `options {…}`): a
 * SpecError naming `arguments`, the call and what it takes, thrown before anything is read, after the model's own
 * DisposedError and BusyError (CallQueue.freeCall, liveCall: they come first whatever the arguments, bad data too:
 * test/lifecycle-queue.test.ts, test/lifecycle-dispose.test.ts). What was past them was dropped without a word (fit({ x, y }, { epochs: 5 }) trained
 * the default epochs; predict(x, { batchSize }) ran at the usual size). Fewer are the call's own business (an optional
 * argument left out, or undefined in its place); an undefined past them is counted as any other (fit(options, epochs)
 * with epochs undefined is the same mistake).
 */
export function checkArity(call: string, params: readonly string[], args: ArrayLike<unknown>): void {
  const n = args.length;
  if (n <= params.length) return;
  const takes = params.length === 0 ? 'no arguments' : params.length === 1 ? `one argument (${params[0]})` : `at most ${params.length} arguments (${params.join(', ')})`;
  const extra = args[params.length];
  const last = params[params.length - 1] ?? '';
  const keys = isObject(extra) && !ArrayBuffer.isView(extra) ? Object.keys(extra) : [];
  const shown = keys.length ? `{ ${keys.join(', ')} }` : describe(extra);
  const hint = last.startsWith('options') && keys.length ? `put ${keys.join(', ')} in options, the ${['first', 'second'][params.length - 1] ?? 'last'}` : `nothing reads ${shown}${last ? ` after ${last.split(' ')[0]}` : ''}`;
  throw new SpecError('arguments', `${call} takes ${takes}; got ${n}: ${hint}`);
}

/** What predict's and evaluate's data is checked against: fit's limits, and the batch size the call runs n examples at. */
export interface DataLimits extends FitLimits {
  /** The batch size the call runs n examples at (the model's predictor(n)). */
  batchSize(n: number): number;
  /** The optimiser of the trainer the call runs on (a fit's, which holds its state); none: a trainer made for the call (SGD). */
  optimizer?: OptimizerName;
  /** What a fit paused in its onEpoch holds besides its trainer (its data sets and order), for a call made there. */
  held?: FitDataNeeds;
}

/**
 * predict's and evaluate's data against the budget and (WebGPU) the largest binding, as fit's: from the example
 * count alone, before the data is read (a LimitError naming x or y, not a RangeError from a memory that cannot grow).
 * Called again when the call runs (src/model.ts), with the limits of then: a fit queued ahead leaves the trainer the
 * call runs on, whose batch size and optimiser state the count at the call could not know.
 */
export function checkDataBudget(net: Net, what: 'predict' | 'evaluate', n: number, limits: DataLimits): void {
  const { batchSize, ...fit } = limits;
  checkFitBudget(net, n, 0, Math.max(1, batchSize(n)), { what, ...fit, batchesPerSubmission: 0 });
}

/** predict's x, when the call is made: read once, counted against the budget, converted (a copy). */
export function predictData(net: Net, x: DataInput, limits: DataLimits): { n: number; data: Float32Array } {
  checkPositional('predict(x)', 'x', x);
  checkPresent(net, 'x', x, 'predict');
  const xRead = readData(x, 'x'); // read once: counted and converted from the same read
  checkDataBudget(net, 'predict', xRead.count, limits);
  return toColumns(xRead, net.inputs, 'x');
}

/** evaluate's x and y, when the call is made: both there (checkGiven), read once, counted against the budget, converted. */
export function evaluateData(net: Net, x: DataInput, y: DataInput, limits: DataLimits): Batch {
  checkPositional('evaluate(x, y)', 'x', x);
  checkGiven(net, x, y, { call: 'evaluate' });
  const xRead = readData(x, 'x'); // read once: counted and converted from the same reads
  const yRead = readData(y, 'y');
  checkDataBudget(net, 'evaluate', xRead.count, limits);
  return dataSetFrom(net, xRead, yRead);
}

/** train/step's lr as given or the spec's (`specLr`), finite as float32 and ≥ 0 (validated before any work). */
export function callRate(lr: unknown, specLr: number | undefined): number {
  // Only an absent lr takes the spec's: null is refused like any other value that is not a number.
  const rate = lr === undefined ? specLr : lr;
  if (rate === undefined) throw new SpecError('lr', 'no learning rate: give lr here or in the spec');
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) throw new SpecError('lr', `must be a finite number ≥ 0, got ${describe(rate)}`);
  if (!Number.isFinite(Math.fround(rate))) throw new SpecError('lr', `${rate} is outside the float32 range (≤ ${FLOAT32_MAX}): the update would use ${Math.fround(rate)}`);
  return rate;
}

/**
 * The most steps one train() call takes: 2²⁰ = 1 048 576, the bench's largest steps per call (FULL_POLICY's
 * maxStepsPerRep in bench/protocol.ts, the most any caller here runs at once). More steps: call train again.
 * (WebGPU's per-kernel path submits at most STEPS_PER_SUBMISSION of them per command buffer: src/webgpu/backend.ts.)
 */
export const MAX_TRAIN_STEPS = 2 ** 20;

const TRAIN_KEYS = ['steps', 'lr', 'x', 'y'];

/** The options of Model.train: `steps` (1 … MAX_TRAIN_STEPS), `lr` (default: the spec's), x and y (default: the current batch); another key is a SpecError naming it. */
export interface TrainOptions {
  /** Full steps (forward, backward, update) to run on the batch with no readback between them: an integer 1 … MAX_TRAIN_STEPS (2²⁰); more is a SpecError naming `steps`. */
  steps: number;
  /** The SGD learning rate (W ← W − lr·dW, b ← b − lr·db), ≥ 0 and finite in float32. Default: the spec's lr (a SpecError naming `lr` when it has none). */
  lr?: number;
  /** Inputs, one row per example (or {examples, data} example-major); with y, the model's batch from then on. Default: the current batch (the last train/step/grad's x, else the spec's). */
  x?: DataInput;
  /** Targets, one row per example (or {examples, data}), as many examples as x; given with x. Default: the current batch's. */
  y?: DataInput;
}

/** What train() returns: the last step's loss (before its update) and max |θ| after the last update. */
export interface TrainResult {
  /** The call's last step's loss, from that step's forward pass, before its update (as a training loop logs it). */
  loss: number;
  /** Full steps (forward, backward, update) the call ran: its `steps` option. */
  steps: number;
  /**
   * The largest |W| or |b| after the last update (a reduction on the backend, read with the loss). Weights that
   * blow up while the loss stays finite are not an error; this is where they show.
   */
  maxAbsParam: number;
}

/** Everything one forward/backward pass computed, per layer (0-based: index l is layer l+1). Arrays are (units × n). */
export interface GradResult {
  /** L = scale·Σ_c L_c over the batch (scale 1/N for reduction 'mean', 1 for 'sum'). */
  loss: number;
  /** Z_l = W_l·A_{l−1} + b_l per layer, (units × N) row-major, one column per example. */
  Z: Float32Array[];
  /** A_l = f_l(Z_l) per layer, (units × N) row-major, one column per example (A[L−1] is the output). */
  A: Float32Array[];
  /** delta_l = ∂L_c/∂Z_l per layer, (units × N) row-major, one column per example (unscaled: scale is in dW, db). */
  delta: Float32Array[];
  /** dW_l = scale·delta_l·A_{l−1}ᵀ per layer, (units × fanIn) row-major, the layout of W_l. */
  dW: Float32Array[];
  /** db_l = scale·rowsum(delta_l) per layer: units values (per-unit), one (shared: the sum of all) or none. */
  db: Float32Array[];
}

/** train's options, when the call is made: no key but steps, lr, x, y; steps 1 … MAX_TRAIN_STEPS; lr as callRate; x, y as callData. */
export function trainCall(net: Net, options: TrainOptions, specLr: number | undefined, limits: CallLimits): { steps: number; lr: number; given: Batch | undefined } {
  checkOptions(options, 'options', TRAIN_KEYS);
  const steps = integerIn(options?.steps, 'steps', 1, MAX_TRAIN_STEPS, 'more: call train again');
  const lr = callRate(options.lr, specLr);
  const given = callData(net, 'train', options.x, options.y, limits);
  return { steps, lr, given };
}

interface Line {
  queue: Promise<unknown>;
}

export class CallQueue {
  /** The calls' queue (its tail). */
  private readonly line: Line = { queue: Promise.resolve() };
  /** Set while a fit awaits its onEpoch: the reading calls' queue meanwhile. */
  private paused: Line | null = null;
  private ended = false;
  /** Calls on `line` not settled yet. */
  private pending = 0;

  /** No call is queued or running (nor a fit paused): one made now runs with the model as it is now. */
  get idle(): boolean {
    return this.pending === 0 && !this.paused;
  }

  /** dispose() ran. */
  get disposed(): boolean {
    return this.ended;
  }

  /** Mark the model disposed: false when it was already. */
  end(): boolean {
    if (this.ended) return false;
    this.ended = true;
    return true;
  }

  /** DisposedError once the model is disposed. */
  live(): void {
    if (this.ended) throw new DisposedError('this model');
  }

  /**
   * What a call that changes the model checks first, before it reads or converts its arguments: DisposedError once
   * disposed, BusyError while a fit awaits onEpoch (the call would wait for that fit).
   */
  free(): void {
    this.live();
    if (this.paused) throw new BusyError();
  }

  /** free(), then the call's argument count (checkArity): the model's state is refused first, whatever the arguments. */
  freeCall(call: string, params: readonly string[], args: ArrayLike<unknown>): void {
    this.free();
    checkArity(call, params, args);
  }

  /** live(), then the argument count: for the calls a fit's onEpoch may make (getParams, save, predict, evaluate). */
  liveCall(call: string, params: readonly string[], args: ArrayLike<unknown>): void {
    this.live();
    checkArity(call, params, args);
  }

  /** Run `work` after the calls before it; BusyError while a fit awaits onEpoch (it would wait for that fit). */
  serial<T>(work: () => Promise<T>): Promise<T> {
    try {
      this.free();
    } catch (err) {
      return Promise.reject(err);
    }
    return this.enqueue(this.line, work);
  }

  /** A call that changes nothing on the model but its CPU copies: at once (in turn) while a fit awaits onEpoch. */
  reading<T>(work: () => Promise<T>): Promise<T> {
    if (this.ended) return Promise.reject(new DisposedError('this model'));
    return this.enqueue(this.paused ?? this.line, work);
  }

  /**
   * Run `work` (a fit's onEpoch) with the queue paused: the reading calls it makes run at once; the pause ends when
   * `work` is done and those calls have finished (they use the fit's trainer).
   */
  async pause(work: () => unknown): Promise<void> {
    const pause: Line = { queue: Promise.resolve() };
    this.paused = pause;
    try {
      await work();
    } finally {
      this.paused = null;
      await pause.queue;
    }
  }

  /** Chain `work` on `line`'s queue; a call whose turn comes after dispose() rejects with DisposedError. */
  private enqueue<T>(line: Line, work: () => Promise<T>): Promise<T> {
    const run = (): Promise<T> => (this.ended ? Promise.reject(new DisposedError('this model')) : work());
    const next = line.queue.then(run, run);
    line.queue = next.catch(() => undefined);
    if (line !== this.line) return next;
    this.pending++;
    const settled = (): void => void this.pending--;
    next.then(settled, settled);
    return next;
  }
}
