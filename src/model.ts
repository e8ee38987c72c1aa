/**
 * Model: a validated net with parameters on one backend. Every input is validated on the CPU before any
 * backend work; a call that throws leaves the parameters as they were. Calls on one model run one at a time
 * (they are queued, never interleaved) — except while a fit awaits its onEpoch: then the reading calls
 * (getParams, save, predict, evaluate) run at once and the others reject with BusyError (src/calls.ts).
 * A call queued when dispose() runs rejects with DisposedError when its turn comes.
 *
 * The step nets train, step and grad run on are src/step-nets.ts; the queue and the checks made when a call is made
 * (train's options and result, grad's result, predict's and evaluate's data among them), src/calls.ts; the GPU-error
 * handling around the calls and the read-back of the CPU copy, src/model-watch.ts; fit and checkpoints, src/train/.
 */
import type { Backend, BackendData, BackendKind, BackendNet, BackendTrainer } from './backend.ts';
import { type Budget, checkBudget } from './budget.ts';
import { type FallbackReason, type MadeBackend, type ModelOptions, checkModelOptions, createBackend, maxBindingBytes, untold } from './backends.ts';
import { DisposedError, SpecError, type WasmUnavailableError, type WebGPUUnavailableError } from './errors.ts';
import { type CallLimits, type DataLimits, type GradResult, type TrainOptions, type TrainResult, CallQueue, callData, checkArity, callRate, checkDataBudget, checkPositional, evaluateData, predictData, trainCall } from './calls.ts';
import { type ModelParts, stepCheck, syncKnown, watched } from './model-watch.ts';
import { initParams } from './init.ts';
import type { Batch, DataInput, Net, NetworkSpec, Params, ParamsSpec, RunSpec } from './spec.ts';
import { cloneParams, paramsToSpec, toRows, validateSpecFor } from './spec.ts';
import { paramsFromInput } from './engine-form.ts';
import { StepNets, runChecked } from './step-nets.ts';
import { loadCheckpoint, saveCheckpoint, specOfNet } from './train/checkpoint.ts';
import { type EpochLog, type FitCall, type FitLimits, type FitOptions, type FitState, checkFit, evaluateOn, fitModel, fitOptionsOnce, resolveFit } from './train/fit.ts';
import { measureFit } from './train/timing.ts';
import { type OptimizerConfig, type OptimizerState, cloneState } from './train/optimizers.ts';

export type { GradResult } from './calls.ts';

/**
 * A network on a backend (cpu, wasm or webgpu): its parameters W, b, a batch X, Y, and the calls that run it — grad,
 * step, train (one batch), fit, predict, evaluate (a data set), save, load, restore (checkpoints). Made with
 * Model.create(spec, options) or Model.load(bytes, options). Calls run one at a time in the order made; bad input is
 * refused with a named error (README, "Errors") before any backend work, the model unchanged. On WebGPU, a GPU error
 * during a call rejects it with GpuValidationError naming it, the model as before the call (src/model-watch.ts watched).
 */
export class Model {
  /** The validated net (inputs, layers of {units, fanIn, activation, bias}, loss, reduction), frozen: every later input is checked against it. */
  readonly net: Net;
  /** The backend this model runs on (its own, or the `shared` one); `backend.description` says which device and kernels. */
  readonly backend: Backend;
  /** Why 'auto' did not take WebGPU, if it did not. */
  readonly notice: string | undefined;
  /** The same as a code, for an app's own message: 'no-webgpu', 'no-adapter', 'adapter-failed', 'device', 'software-adapter'. */
  readonly fallbackReason: FallbackReason | undefined;
  /** The spec's learning rate (default for step/train). */
  readonly lr: number | undefined;
  /** The step nets of train, step and grad (src/step-nets.ts): one per batch size, the current and a spare. */
  private readonly nets: StepNets;
  private batch: Batch | undefined;
  /**
   * The parameters as last known on the CPU: given, set, or read back (step, getParams, a change of step net). What a
   * new backend net starts from, and a copy that survives a lost device.
   */
  private known: Params;
  /** train() steps run since `known` was read (train does not read parameters back). */
  private stepsSinceKnown = 0;
  private ownsBackend: boolean;
  private readonly budget: Budget;
  /** The options this model was made with, as rebuild() without options takes them (a shared backend as its kind). */
  private made: ModelOptions = {};
  /**
   * The calls, one at a time; paused while a fit awaits its onEpoch (the model then holds that epoch's parameters,
   * optimiser state and count): the reading calls run at once, and the fit goes on once they are done.
   */
  private readonly calls = new CallQueue();
  /** fit's state (see the fit section below). */
  private run: RunSpec = {};
  private fitState: FitState = { trainer: null, optimizer: undefined, state: undefined, epochs: 0 };
  /** This model's parts as fitModel and src/model-watch.ts (its calls' GPU watch, syncKnown) work on them: the fields above. */
  private readonly parts: ModelParts;

  private constructor(net: Net, made: MadeBackend, params: Params, batch: Batch | undefined, lr: number | undefined, owns: boolean, budget: Budget) {
    this.budget = budget;
    this.net = net;
    this.backend = made.backend;
    this.known = params;
    this.batch = batch;
    this.lr = lr;
    this.notice = made.notice;
    this.fallbackReason = made.fallback;
    this.ownsBackend = owns;
    this.nets = new StepNets(this.backend, net, this.callLimits());
    const model = this;
    this.parts = {
      net,
      backend: this.backend,
      nets: this.nets,
      get fit() { return model.fitState; },
      get known() { return model.known; },
      set known(params: Params) { model.known = params; },
      get stepsSinceKnown() { return model.stepsSinceKnown; },
      set stepsSinceKnown(steps: number) { model.stepsSinceKnown = steps; },
      get disposed() { return model.calls.disposed; },
      trainerFor: (batchSize, optimizer) => this.trainerFor(batchSize, optimizer),
      writeStepParams: (params) => this.nets.current?.writeParams(params),
      paused: (work) => this.calls.pause(work),
    };
  }

  /**
   * Validate `spec` fully, then make the backend and upload W and b (given as `params`, or drawn by `init`) and the
   * spec's x, y if given.
   * @throws {SpecError} a spec field or option missing, unknown or of the wrong type or value (also no `params` or `init`).
   * @throws {ShapeError} `params` or x, y of the wrong shape. {@link NonFiniteError}, {@link LabelRangeError} for their values.
   * @throws {LimitError} past the resource budget or a device limit.
   * @throws {WebGPUUnavailableError} `backend: 'webgpu'` without WebGPU ({@link WasmUnavailableError} for 'wasm').
   * @throws {DisposedError} a `shared` backend already disposed.
   */
  static create(spec: NetworkSpec, options?: ModelOptions): Promise<Model>;
  /**
   * A spec of unknown type (parsed JSON, a form's fields): validated the same way (a typed error naming the field).
   * @throws {SpecError} (and the other errors of the NetworkSpec overload) naming the field.
   */
  static create(spec: unknown, options?: ModelOptions): Promise<Model>;
  static async create(spec: unknown, given: ModelOptions = {}): Promise<Model> {
    checkArity('Model.create', ['spec', 'options {backend, shared, threads, …}'], arguments);
    const { budget, options } = checkModelOptions(given);
    const valid = validateSpecFor(spec, budget, { params: 'give params {W, b} or init {scheme, seed}' });
    const params = valid.params ?? initParams(valid.net, valid.init!.scheme, valid.init!.seed);
    const model = await Model.onBackend(valid.net, params, valid.batch, valid.lr, options, budget);
    model.run = valid.run;
    return model;
  }

  /** The shared backend, or a new one by options.backend (see createBackend); a notice `told` already is not told again. */
  private static async backendFor(options: ModelOptions, told?: string): Promise<MadeBackend> {
    if (options.shared) return { backend: options.shared };
    return createBackend(options.backend ?? 'auto', untold(options.onNotice, told), { threads: options.threads, webgpuVariant: options.webgpuVariant });
  }

  /**
   * A model of `net` on the backend of `options` (checked already): a WebGPU device gets the device budget check
   * for the batch, a wasm one the count of its memory; if that or the model throws, a backend made here is disposed (a shared one is left alone).
   */
  private static async onBackend(net: Net, params: Params, batch: Batch | undefined, lr: number | undefined, options: ModelOptions, budget: Budget, told?: string): Promise<Model> {
    const made = await Model.backendFor(options, told);
    try {
      // A WebGPU device, and a backend's own memory (wasm: its layout on its threads), counted for the batch before any net.
      const { kind, ownMemory } = made.backend;
      if (kind === 'webgpu' || ownMemory) checkBudget(net, batch?.n ?? 0, { device: kind === 'webgpu', budget, own: ownMemory });
      const model = new Model(net, made, params, batch, lr, !options.shared, budget);
      // The budget as resolved now (the caller's object may change later), a shared backend as its kind.
      const { shared, ...own } = options;
      model.made = { ...own, budget: { ...budget }, ...(shared ? { backend: shared.kind } : {}) };
      return model;
    } catch (err) {
      if (!options.shared) made.backend.dispose();
      throw err;
    }
  }

  /** The backend kind this model runs on: 'cpu', 'wasm' or 'webgpu' (what 'auto' chose). */
  get kind(): BackendKind {
    return this.backend.kind;
  }

  /** What the data of train, step and grad is checked against when the call is made. */
  private callLimits(): CallLimits {
    return { device: this.backend.kind === 'webgpu', budget: this.budget, own: this.backend.ownMemory };
  }

  /**
   * Make sure the backend net matches the size of `given` (callData's), else of the current batch, and holds it. The
   * model's batch becomes `given` only when the call succeeds (`commit`): a failed call leaves it as it was.
   */
  private async prepare(given: Batch | undefined): Promise<{ compiled: BackendNet; commit: () => void }> {
    const batch = given ?? this.batch;
    if (!batch) throw new SpecError('x', 'no data: give x and y (here or in the spec)');
    this.calls.live();
    const current = this.nets.current;
    if (!current || current.n !== batch.n) {
      await syncKnown(this.parts, true);
      this.calls.live(); // disposed while reading: make nothing
      this.nets.resize(batch.n, this.known);
    }
    return { compiled: this.nets.holding(batch), commit: () => void (this.batch = batch) };
  }

  /**
   * Forward and backward on (x, y) — or the current batch — without updating: loss, Z, A, delta, dW, db. x, y are
   * checked and copied when called (as train's and step's): they become the model's batch when the call succeeds.
   * @throws {SpecError} no data (no x, y here or in the spec), or bad x, y. {@link ShapeError}, {@link NonFiniteError},
   * {@link LabelRangeError}, {@link LimitError} for x, y.
   * @throws {EmptyBatchError} x, y given with zero examples (naming `x`).
   * @throws {DivergedError} the loss is not finite (nothing was updated).
   * @throws {DisposedError} the model was disposed. {@link BusyError} while a fit awaits onEpoch.
   */
  grad(x?: DataInput, y?: DataInput): Promise<GradResult> {
    let given: Batch | undefined;
    try {
      this.calls.freeCall('grad', ['x', 'y'], arguments); // disposed, or busy (in onEpoch): refused before the data is read
      checkPositional('grad(x, y)', 'x', x);
      given = callData(this.net, 'grad', x, y, this.callLimits());
    } catch (err) {
      return Promise.reject(err);
    }
    return this.calls.serial(() => watched(this.parts, 'grad', async (watch) => {
      const { compiled, commit } = await this.prepare(given);
      const r = await runChecked(compiled, 1, 0, false, { loss: true, Z: true, A: true, delta: true, grads: true }, 'in a forward pass', stepCheck(this.parts, watch));
      commit();
      return { loss: r.loss!, Z: r.Z!, A: r.A!, delta: r.delta!, dW: r.dW!, db: r.db! };
    }));
  }

  /**
   * Train `steps` SGD steps (1 … MAX_TRAIN_STEPS) on (x, y) or the current batch, encoded with no readback between
   * steps (on WebGPU in submissions of at most STEPS_PER_SUBMISSION steps). Options other than steps, lr, x, y are
   * refused. Returns the loss of the last step (computed before its update).
   * Throws DivergedError (parameters restored to those before the call) when the loss is not finite, or when a
   * parameter is not finite after the last update. Returns max |θ| after the last update too (maxAbsParam).
   * On wasm, WasmThreadError when a thread fails during the run (parameters restored too; the next call runs as usual).
   * @throws {SpecError} `steps` not 1 … MAX_TRAIN_STEPS, a bad `lr`, an unknown option, no data.
   * @throws {ShapeError} x, y of the wrong shape ({@link NonFiniteError}, {@link LabelRangeError}, {@link LimitError} for x, y).
   * @throws {EmptyBatchError} x, y given with zero examples (naming `x`).
   * @throws {DivergedError} the loss, or W or b after the last update, not finite; W and b restored.
   * @throws {DisposedError} the model was disposed. {@link BusyError} while a fit awaits onEpoch.
   */
  train(options: TrainOptions): Promise<TrainResult> {
    let lr: number;
    let steps: number;
    let given: Batch | undefined;
    try {
      this.calls.freeCall('train', ['options {steps, lr, x, y}'], arguments); // disposed, or busy (in onEpoch): refused before the data is read
      ({ steps, lr, given } = trainCall(this.net, options, this.lr, this.callLimits()));
    } catch (err) {
      return Promise.reject(err);
    }
    return this.calls.serial(() => watched(this.parts, 'train', async (watch) => {
      const { compiled, commit } = await this.prepare(given);
      const r = await runChecked(compiled, steps, lr, true, { loss: true, maxAbs: true }, `after ${steps} step(s) at lr = ${lr}`, stepCheck(this.parts, watch));
      commit();
      this.stepsSinceKnown += steps;
      return { loss: r.loss!, steps, maxAbsParam: r.maxAbs };
    }));
  }

  /**
   * One SGD step (W ← W − lr·dW, b ← b − lr·db) on (x, y) or the current batch; returns the same as grad() (loss, Z,
   * A, delta, dW, db, before the update) plus the updated parameters. `lr` defaults to the spec's.
   * @throws {SpecError} a bad `lr` (or none: no spec lr), no data; {@link ShapeError}, {@link NonFiniteError},
   * {@link LabelRangeError}, {@link LimitError} for x, y.
   * @throws {EmptyBatchError} x, y given with zero examples (naming `x`).
   * @throws {DivergedError} the loss, or W or b after the update, not finite; W and b restored.
   * @throws {DisposedError} the model was disposed. {@link BusyError} while a fit awaits onEpoch.
   */
  step(lr?: number, x?: DataInput, y?: DataInput): Promise<GradResult & {
    /** W and b after the update (engine layout, a copy). */
    params: Params;
  }> {
    let rate: number;
    let given: Batch | undefined;
    try {
      this.calls.freeCall('step', ['lr', 'x', 'y'], arguments); // disposed, or busy (in onEpoch): refused before the data is read
      checkPositional('step(lr, x, y)', 'lr', lr);
      checkPositional('step(lr, x, y)', 'x', x);
      rate = callRate(lr, this.lr);
      given = callData(this.net, 'step', x, y, this.callLimits());
    } catch (err) {
      return Promise.reject(err);
    }
    return this.calls.serial(() => watched(this.parts, 'step', async (watch) => {
      const { compiled, commit } = await this.prepare(given);
      const r = await runChecked(compiled, 1, rate, true, { loss: true, Z: true, A: true, delta: true, grads: true, params: true, maxAbs: true }, `after one step at lr = ${rate}`, stepCheck(this.parts, watch));
      commit();
      this.known = cloneParams(r.params!);
      this.stepsSinceKnown = 0;
      return { loss: r.loss!, Z: r.Z!, A: r.A!, delta: r.delta!, dW: r.dW!, db: r.db!, params: r.params! };
    }));
  }

  /**
   * The current parameters W and b as Float32Arrays (engine layout: W[l] row-major units × fanIn, b[l] biasLength).
   * @throws {DisposedError} the model was disposed.
   */
  async getParams(): Promise<Params> {
    this.calls.liveCall('getParams', [], arguments);
    return this.calls.reading(() => watched(this.parts, 'getParams', async () => {
      await syncKnown(this.parts, true);
      return cloneParams(this.known);
    }));
  }

  /** The current parameters as the spec writes them (nested arrays). */
  async getParamsSpec(): Promise<ParamsSpec> {
    this.calls.liveCall('getParamsSpec', [], arguments);
    return paramsToSpec(this.net, await this.getParams());
  }

  /**
   * Replace the parameters: spec form ({W: number[][][], b}) or engine form (Float32Arrays). Validated first: each
   * property read once, the engine form copied from the arrays themselves, then the copy checked (paramsFromInput).
   * @throws {SpecError} a key other than W and b (`params.extra`), or not params at all.
   * @throws {ShapeError} a W[l] or b[l] of the wrong shape. {@link NonFiniteError} a NaN, ±Infinity or out-of-float32 value.
   * @throws {DisposedError} the model was disposed. {@link BusyError} while a fit awaits onEpoch.
   */
  setParams(params: ParamsSpec | Params): Promise<void> {
    let p: Params;
    try {
      this.calls.freeCall('setParams', ['params'], arguments); // disposed, or busy (in onEpoch): refused before the data is read
      // Each property read once and copied (no caller's slice, length or Symbol.species), then the copy checked.
      p = paramsFromInput(this.net, params);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.calls.serial(async () => {
      this.nets.current?.writeParams(p); // first: a write that throws (a disposed backend) leaves the model as it was
      this.known = p;
      this.stepsSinceKnown = 0;
    });
  }

  /**
   * The parameters as last known on the CPU — given at create, set with setParams, or read back by step() or
   * getParams() — with how many train() steps ran since (not in the copy). No backend call: it works after the
   * device is lost (a CPU copy of the weights survives it). train() does not read parameters
   * back, so call getParams() after training to keep the copy current.
   */
  lastKnownParams(): {
    /** W and b as last known on the CPU (engine layout, a copy). */
    params: Params;
    /** How many train() steps ran since (not in `params`). */
    stepsSince: number;
  } {
    checkArity('lastKnownParams', [], arguments);
    return { params: cloneParams(this.known), stepsSince: this.stepsSinceKnown };
  }

  /**
   * A new model of the same net, batch and learning rate, from lastKnownParams(), on a fresh backend
   * (options as for create; without options, those this model was made with — its backend choice, threads, webgpuVariant, budget,
   * onNotice — not told this model's notice again; for a shared backend, its kind). For a lost device: this one is disposed.
   * It runs in turn, after the calls made before it; calls made after it reject with DisposedError. If the new
   * backend cannot be made (or `shared` was disposed while this call waited), it rejects and this model stays as it was.
   * @throws {SpecError} a bad option (as for create). {@link WebGPUUnavailableError} / {@link WasmUnavailableError} for an unavailable backend.
   * @throws {DisposedError} this model, or the `shared` backend, was disposed. {@link BusyError} while a fit awaits onEpoch.
   */
  async rebuild(given?: ModelOptions): Promise<Model> {
    this.calls.freeCall('rebuild', ['options {backend, shared, threads, …}'], arguments);
    const { budget, options } = checkModelOptions(given === undefined ? this.made : given);
    return this.calls.serial(async () => {
      // A shared backend disposed while this call waited its turn: refused as at the call, this model left as it was.
      if (options.shared?.isDisposed) throw new DisposedError('the shared backend');
      checkBudget(this.net, this.batch?.n ?? 0, { budget }); // the new budget, as create checks a spec: before a backend
      const { params } = this.lastKnownParams();
      // 'auto' falling back again for this model's reason, to the same onNotice: told once, when this model was made.
      const told = options.onNotice === this.made.onNotice ? this.notice : undefined;
      const next = await Model.onBackend(this.net, params, this.batch, this.lr, options, budget, told);
      next.run = this.run;
      next.fitState = { ...this.fitState, trainer: null };
      this.dispose();
      return next;
    });
  }

  // ——— fit, predict, evaluate, checkpoints (src/train/) ———

  /** The trainer for batches of B with this optimiser (reused when both match), holding `known`. */
  private trainerFor(batchSize: number, optimizer: OptimizerConfig['name']): BackendTrainer {
    const f = this.fitState;
    if (!f.trainer || f.trainer.batchSize !== batchSize || f.trainer.optimizer !== optimizer) {
      this.calls.live(); // disposed while this call waited on a read: make nothing
      f.trainer?.dispose();
      f.trainer = null;
      // NOTE: a spare step net (a cache for train's alternating sizes) goes before fit's trainer is made, so that
      // the trainer can take its memory. The current one stays: fit's, predict's and evaluate's check counts the
      // trainer and the data only, not the step net beside them (src/budget.ts header, README "Resource budget").
      this.nets.dropSpare();
      f.trainer = this.backend.trainer(this.net, batchSize, optimizer);
    }
    f.trainer.writeParams(this.known);
    return f.trainer;
  }

  /**
   * Train on a data set in shuffled mini-batches for some epochs (src/train/fit.ts: FitOptions). The options are read
   * once and every one is validated when fit is called, before any backend work; the data is converted then too. The
   * defaults taken from the model (below, the run fields, and its batch for x omitted) are resolved when the fit runs,
   * after the calls before it, and what depends on them (batchSize against the training side, the held-out split, the
   * budget) is checked then, before any work (src/train/fit.ts checkFit, resolveFit). The epoch count (which seeds each epoch's shuffle) carries over to the next fit call; the optimiser state too
   * when that call has the same optimiser name (another name starts a fresh state).
   * A call without `optimizer` goes on with the last fit's (settings and state), else the spec's, else SGD — the same
   * after Model.load or restore, whose checkpoint stores the last fit's optimiser.
   * Resolves to one history entry per epoch. A fit ends in one of four ways, the same on every backend:
   * - it finishes — or earlyStopping stops it (src/train/early-stop.ts): it resolves with the epochs run, the last
   *   entry's earlyStop saying so, and with restoreBest the model holds the best epoch (parameters, state, count);
   * - you stop it (signal aborted, or onEpoch or onBatch threw): it rejects with that reason and the model keeps the
   *   parameters, optimiser state and epoch count of the last finished step (stopped before its first step: the
   *   optimiser it had, too; not a step that made one non-finite: the last finished epoch then; on WebGPU, a stop
   *   after a GPU error in the fit's work since the last onEpoch is a failure, GpuValidationError);
   * - the model is disposed while it runs (in onEpoch, say): it rejects with DisposedError, and lastKnownParams()
   *   holds the last finished epoch;
   * - it fails (DivergedError, WasmThreadError, DeviceLostError, GpuValidationError, anything else thrown while it
   *   runs): it rejects with that error and the parameters, optimiser state and epoch count are those before the
   *   call — a failure mid-submission leaves no finished step to keep (a failed wasm thread leaves the others'
   *   arrays torn), as train/step/grad put back theirs.
   * While it awaits onEpoch the model holds that epoch: getParams, save, predict and evaluate run at once (a save
   * there is that epoch's checkpoint); the other calls reject with BusyError (FitOptions.onEpoch).
   * @throws {SpecError} an unknown option or a bad value, named (`batchSize`, `epochs`, `optimizer.lr`, `validation`, …);
   * no data; a fit that would take the epoch or step count past 2⁵³ − 1 (`epochs`).
   * @throws {ShapeError} x, y (or validation's) of the wrong shape; {@link NonFiniteError}, {@link LabelRangeError},
   * {@link EmptyBatchError} for their values, {@link LimitError} past the budget or a device limit.
   * @throws {DivergedError} the loss, W, b or the optimiser state became non-finite: everything as before the call.
   * @throws {DisposedError} the model was disposed (before or during the fit). {@link BusyError} while another fit awaits onEpoch.
   */
  fit(options: FitOptions = {}): Promise<EpochLog[]> {
    let once: FitOptions;
    let call: FitCall;
    let limits: FitLimits;
    try {
      this.calls.freeCall('fit', ['options {x, y, epochs, …}'], arguments); // disposed, or busy (in onEpoch): refused before the options are read
      limits = this.fitLimits();
      once = fitOptionsOnce(options); // read once: later changes to options change nothing
      // What does not depend on the defaults a call queued ahead may change (a fit or restore the run fields, a train,
      // step or grad the batch): checked now; with no call ahead, with the defaults and the batch of now too.
      const checking = performance.now();
      call = checkFit(this.net, once, this.lr, limits, this.calls.idle ? { run: this.fitRun(), batch: this.batch } : undefined);
      measureFit('data', checking); // the checks and the copy of x, y (and the validation set's) at the call
      once.signal?.throwIfAborted();
    } catch (err) {
      return Promise.reject(err);
    }
    return this.calls.serial(() => watched(this.parts, 'fit', async (watch) => {
      // The defaults (and the batch, for x omitted) as they are now, after the calls before this one, and the checks
      // that depend on them (the budget included), before any work; x, y given stay what they were at the call.
      const plan = resolveFit(this.net, call, this.fitRun(), this.lr, limits, this.batch);
      await syncKnown(this.parts);
      return fitModel(this.parts, plan, once, watch);
    }));
  }

  /** fit's data (and predict's, evaluate's) against the budget and, on WebGPU, the device and its largest binding. */
  private fitLimits(): FitLimits {
    return { budget: this.budget, device: this.backend.kind === 'webgpu', maxBindingBytes: maxBindingBytes(this.backend), own: this.backend.ownMemory };
  }

  /** The run fields a fit takes its defaults from: the spec's (or a restored checkpoint's), with the last fit's optimiser. */
  private fitRun(): RunSpec {
    // Without options.optimizer a fit goes on with the last fit's optimiser (a loaded checkpoint's), as Model.load does.
    return { ...this.run, optimizer: this.fitState.optimizer ?? this.run.optimizer };
  }

  /** The batch size forward passes over n examples run at: the fit trainer's if there is one, else min(n, the spec's batchSize or 256). */
  private predictBatch(n: number): number {
    return this.fitState.trainer?.batchSize ?? Math.min(n, this.run.batchSize ?? 256);
  }

  /** A trainer for forward passes over n examples (the fit trainer if there is one), of predictBatch(n). */
  private predictor(n: number): BackendTrainer {
    const t = this.fitState.trainer;
    if (t) {
      t.writeParams(this.known);
      return t;
    }
    return this.trainerFor(this.predictBatch(n), 'sgd');
  }

  /** What predict's and evaluate's data is checked against (calls.ts DataLimits): fit's limits, the batch size predictor(n) runs at. */
  private dataLimits(): DataLimits {
    // held: a running fit's sets, for a call made in its onEpoch (undefined otherwise).
    return { ...this.fitLimits(), batchSize: (n) => this.predictBatch(n), optimizer: this.fitState.trainer?.optimizer, held: this.fitState.held };
  }

  /**
   * A_L for any number of examples (one row per example), computed in batches. x as for fit (and its budget).
   * @throws {ShapeError} x of the wrong shape, or left out (`x: missing — …`); {@link NonFiniteError} for its values; {@link LimitError} past the budget.
   * @throws {DisposedError} the model was disposed.
   */
  predict(x: DataInput): Promise<number[][]> {
    let X: { n: number; data: Float32Array };
    try {
      this.calls.liveCall('predict', ['x'], arguments);
      X = predictData(this.net, x, this.dataLimits());
    } catch (err) {
      return Promise.reject(err);
    }
    const outputs = this.net.layers[this.net.layers.length - 1].units;
    return this.onData('predict', { n: X.n, X: X.data, Y: new Float32Array(outputs * X.n) }, async (trainer, data) => {
      const rows = toRows((await trainer.predict(data)).A, outputs, X.n);
      return Array.from({ length: X.n }, (_, c) => rows.map((r) => r[c]));
    });
  }

  /**
   * predict's and evaluate's reading call: counted again on the trainer it runs on (a fit queued ahead made that one:
   * its batch size, its optimiser), then `use` on that trainer with `batch` uploaded — kept, not copied: the call's
   * own conversion (predictData's X, evaluateData's X and Y), which nothing else holds.
   */
  private onData<T>(what: 'predict' | 'evaluate', batch: Batch, use: (trainer: BackendTrainer, data: BackendData) => Promise<T>): Promise<T> {
    return this.calls.reading(() => watched(this.parts, what, async () => {
      checkDataBudget(this.net, what, batch.n, this.dataLimits());
      await syncKnown(this.parts);
      const trainer = this.predictor(batch.n);
      const data = trainer.upload(batch, { keep: true });
      try {
        return await use(trainer, data);
      } finally {
        data.dispose();
      }
    }));
  }

  /**
   * The mean per-example loss on (x, y) and, for softmax / a single sigmoid output (bce), the accuracy. Updates nothing.
   * @throws {ShapeError} x, y of the wrong shape or left out (`y: missing — …`); {@link NonFiniteError}, {@link LabelRangeError} for their values;
   * {@link LimitError} past the budget.
   * @throws {DisposedError} the model was disposed.
   */
  evaluate(x: DataInput, y: DataInput): Promise<{
    /** Mean per-example loss, Σ_c L_c / N (whatever the reduction). */
    loss: number;
    /** Fraction (0 … 1) of the examples predicted right (as EpochLog's accuracy); absent where the loss has none. */
    accuracy?: number;
  }> {
    let batch: Batch;
    try {
      this.calls.liveCall('evaluate', ['x', 'y'], arguments);
      batch = evaluateData(this.net, x, y, this.dataLimits());
    } catch (err) {
      return Promise.reject(err);
    }
    return this.onData('evaluate', batch, (trainer, data) => evaluateOn(trainer, this.net, data, batch));
  }

  /** The epochs trained by fit so far (across calls; restored by load). */
  get epochsTrained(): number {
    return this.fitState.epochs;
  }

  /** The optimiser state as last known on the CPU (after a fit, or loaded), or undefined before any fit. */
  optimizerState(): OptimizerState | undefined {
    checkArity('optimizerState', [], arguments);
    return this.fitState.state && cloneState(this.fitState.state);
  }

  /**
   * A checkpoint: the safetensors bytes of every W_l, b_l, the optimiser state and step count, the spec and epochs as
   * metadata (README, "Checkpoints"); Model.load and restore read it.
   * @throws {DisposedError} the model was disposed.
   */
  async save(): Promise<Uint8Array> {
    this.calls.liveCall('save', [], arguments);
    return this.calls.reading(() => watched(this.parts, 'save', async () => {
      await syncKnown(this.parts);
      const f = this.fitState;
      return saveCheckpoint(this.net, specOfNet(this.net, this.run, f.optimizer, this.lr), this.known, f.state, f.epochs);
    }));
  }

  /**
   * A model from a checkpoint (save()'s bytes: any Uint8Array, a Node Buffer included, or an ArrayBuffer); options as for create, its
   * budget included. Throws SpecError / ShapeError / NonFiniteError naming checkpoint… for a bad file (loadCheckpoint).
   * @throws {SpecError} a malformed file (`checkpoint`), a bad stored spec (`checkpoint.spec.…`), an unknown tensor, a bad option.
   * @throws {ShapeError} a tensor missing or of the wrong shape (`checkpoint.W_2`). {@link NonFiniteError} a NaN or ±Infinity in it.
   * @throws {LimitError} the checkpoint's net past the budget. {@link WebGPUUnavailableError} / {@link WasmUnavailableError} as for create.
   */
  static async load(bytes: Uint8Array | ArrayBuffer, given: ModelOptions = {}): Promise<Model> {
    checkArity('Model.load', ['bytes', 'options {backend, shared, threads, …}'], arguments);
    const { budget, options } = checkModelOptions(given);
    const ck = loadCheckpoint(bytes, undefined, budget);
    const model = await Model.onBackend(ck.net, ck.params, undefined, ck.lr, options, budget);
    model.run = ck.run;
    model.fitState = { trainer: null, optimizer: ck.run.optimizer, state: ck.state, epochs: ck.epochs };
    return model;
  }

  /**
   * Put a checkpoint of this same net into this model: its parameters, optimiser (config and state), epochs and run
   * fields (batchSize, epochs, shuffle, validation), so that a fit() after it continues as after Model.load. The
   * model's lr (train/step's default) stays its own. Checked first, as Model.load checks (nothing changes on an error).
   * @throws {SpecError} a malformed file, or a checkpoint of another net (`checkpoint.spec`). {@link ShapeError},
   * {@link NonFiniteError} for its tensors, as Model.load.
   * @throws {DisposedError} the model was disposed. {@link BusyError} while a fit awaits onEpoch.
   */
  restore(bytes: Uint8Array | ArrayBuffer): Promise<void> {
    let ck: ReturnType<typeof loadCheckpoint>;
    try {
      this.calls.freeCall('restore', ['bytes'], arguments); // disposed, or busy (in onEpoch): refused before the data is read
      ck = loadCheckpoint(bytes, this.net, this.budget);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.calls.serial(async () => {
      this.nets.current?.writeParams(ck.params); // first: a write that throws (a disposed backend) leaves the model as it was
      this.known = ck.params;
      this.stepsSinceKnown = 0;
      this.run = ck.run;
      this.fitState = { ...this.fitState, optimizer: ck.run.optimizer, state: ck.state, epochs: ck.epochs };
    });
  }

  /** Free backend resources. Idempotent. Later calls reject with DisposedError. Ignores arguments (a listener is given one). */
  dispose(): void {
    if (!this.calls.end()) return;
    this.nets.drop();
    this.fitState.trainer?.dispose();
    this.fitState.trainer = null;
    if (this.ownsBackend) this.backend.dispose();
  }
}
