/**
 * The one small interface all three backends (cpu, wasm, webgpu) implement.
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
import type { OwnMemory } from './budget.ts';
import { SpecError } from './errors.ts';
import type { Batch, Net, Params } from './spec.ts';
import { describe, integerIn, oneOf } from './checks.ts';
import { checkNet } from './engine-form.ts';
import { valueGuess } from './suggest.ts';
import { OPTIMIZERS, type OptimizerConfig, type OptimizerName, type OptimizerState } from './train/optimizers.ts';

/** The three backends: 'cpu' (the Float32Array oracle), 'wasm' (SIMD, optionally threaded), 'webgpu' (compute shaders). */
export type BackendKind = 'cpu' | 'webgpu' | 'wasm';

/** Every backend kind, once (a kind added to BackendKind must be added here: `satisfies` checks it). */
const KINDS = { cpu: true, webgpu: true, wasm: true } as const satisfies Record<BackendKind, true>;
export const BACKEND_KINDS: readonly BackendKind[] = Object.keys(KINDS) as BackendKind[];

/** What `BackendNet.read` reads back after a run: the loss, Z, A, delta per layer, dW and db (`grads`), W and b (`params`), max |θ|. */
export interface ReadRequest {
  /** Read the loss L = scale·Σ_c L_c of the last step (from its forward pass, before its update). */
  loss?: boolean;
  /** Read Z of every layer: one array per layer, (units × n). */
  Z?: boolean;
  /** Read A of every layer: one array per layer, (units × n). */
  A?: boolean;
  /** Read delta of every layer: one array per layer, (units × n). */
  delta?: boolean;
  /** dW and db of every layer: Readback.dW (units × fanIn) and Readback.db (biasLength), one array per layer. */
  grads?: boolean;
  /** Read the current W and b (Readback.params, engine layout). */
  params?: boolean;
  /** The largest |θ| over every W_l and b_l (a reduction on the backend; the divergence check after an update). */
  maxAbs?: boolean;
}

/**
 * What a read returns; each field is present when it was asked for. One array per layer: Z, A, delta (units × n),
 * dW (units × fanIn), db (biasLength).
 */
export interface Readback {
  /** The last step's loss L = scale·Σ_c L_c, from its forward pass (before its update). */
  loss?: number;
  /** Z_l = W_l·A_{l−1} + b_l of every layer, (units × n), one column per example. */
  Z?: Float32Array[];
  /** A_l = f_l(Z_l) of every layer, (units × n), one column per example. */
  A?: Float32Array[];
  /** delta_l = ∂L_c/∂Z_l of every layer, (units × n), one column per example. */
  delta?: Float32Array[];
  /** dW_l = scale·delta_l·A_{l−1}ᵀ of every layer, (units × fanIn), row-major. */
  dW?: Float32Array[];
  /** db_l = scale·rowsum(delta_l) of every layer: units values (per-unit), 1 (shared) or 0 (none). */
  db?: Float32Array[];
  /** W and b as they are now (after the last update, when the run updated), engine layout. */
  params?: Params;
  /** max |θ| over every parameter; Infinity when any is ±Inf or NaN. */
  maxAbs?: number;
}

/** max |θ| over every W_l and b_l; Infinity when any is ±Inf or NaN (the CPU twin of shaders/max_abs.wgsl). */
export function maxAbsOf(p: { W: ArrayLike<number>[]; b: ArrayLike<number>[] }): number {
  let m = 0;
  for (const a of [...p.W, ...p.b]) {
    for (let k = 0; k < a.length; k++) {
      const v = Math.abs(a[k]);
      if (!(v <= m)) m = Number.isNaN(v) ? Infinity : v;
    }
  }
  return m;
}

/** One net compiled on a backend for batches of n examples: it holds W and b, one batch X, Y, and the last step's Z, A, delta, dW, db and loss (see the file's comment for the step). */
export interface BackendNet {
  /** Which backend compiled it: 'cpu', 'wasm' or 'webgpu'. */
  readonly kind: BackendKind;
  /** The batch size this net was compiled for. */
  readonly n: number;
  /** Replace W and b (engine layout: W[l] (units × fanIn) row-major, b[l] of biasLength values). */
  writeParams(params: Params): void;
  /** batch.n must equal n. */
  writeBatch(batch: Batch): void;
  /**
   * Run `steps` full steps on the current batch with no readback between them (on WebGPU one submission per
   * STEPS_PER_SUBMISSION steps, 4 096).
   * Afterwards Z, A, delta, dW, db and the loss are those of the last step (computed before its update).
   */
  run(steps: number, lr: number, update: boolean): void;
  /** Read back what `request` asks for of the last run (see ReadRequest, Readback); the only call here that waits on the device. */
  read(request: ReadRequest): Promise<Readback>;
  /** Keep a copy of the current parameters / put it back (used to undo a diverged call). */
  saveParams(): void;
  /** Put back the copy saveParams kept (W and b as they were). */
  restoreParams(): void;
  /**
   * Let go of what its reads made (WebGPU: the staging buffers, made on a kind's first read), made again on the next
   * read: after a GPU error in a call on a net the model keeps (src/model-watch.ts watched), one may be invalid. Absent
   * on cpu, wasm.
   */
  dropReads?(): void;
  /** Free the net's buffers; calls after it throw DisposedError. */
  dispose(): void;
}

/** The interface all three backends implement (cpu, wasm, webgpu): `compile(net, n)` makes a BackendNet, `trainer(net, batchSize, optimizer)` what fit runs on; `compile` and `trainer` throw `SpecError` naming a bad `net.…`, `n`, `batchSize` or `optimizer`, and `DisposedError` after `dispose()`. */
export interface Backend {
  /** Which backend this is: 'cpu', 'wasm' or 'webgpu'. */
  readonly kind: BackendKind;
  /** Human-readable description: the adapter (vendor, architecture, fallback) or the CPU. */
  readonly description: string;
  /** Compile `net` for batches of exactly `n` examples (X (inputs × n), Z, A, delta (units × n)). */
  compile(net: Net, n: number): BackendNet;
  /** Everything `fit` needs for `net` in mini-batches of batchSize with `optimizer` (see BackendTrainer). */
  trainer(net: Net, batchSize: number, optimizer: OptimizerName): BackendTrainer;
  /** Free the backend (its device, workers); compile and trainer, and the nets and trainers it made, throw DisposedError after it. */
  dispose(): void;
  /**
   * True once dispose() ran (the engine's three backends say; after it their compile, trainer and the nets and
   * trainers they made throw DisposedError). Model.create refuses a shared backend that says so.
   */
  readonly isDisposed?: boolean;
  /**
   * A backend whose nets live in a host memory of its own (wasm): what that memory takes for a net, from the backend's
   * layout and thread count, counted against the host budget besides the portable count (src/budget.ts OwnMemory).
   */
  readonly ownMemory?: OwnMemory;
  /**
   * A device that reports errors apart from the calls that cause them (WebGPU: validation, out-of-memory and internal
   * errors, caught by error scopes): one call's section of them, opened once the sections opened before it have ended
   * (the scopes are a stack per device, and calls of models on one shared backend may overlap). Model runs each call's
   * backend work in one and turns what it caught into a GpuValidationError naming the call (src/calls.ts gpuWatched).
   * Absent on cpu and wasm.
   */
  errorSection?(): Promise<ErrorSection>;
}

/** Backend.errorSection's section. */
export interface ErrorSection {
  /**
   * End it (the next section may open at once) and resolve to the first error it caught ('validation error: …'), or
   * null; the same promise on every call.
   */
  end(): Promise<string | null>;
}


// ——— fit: a resident data set, gathered mini-batches, an optimiser step, sums read once per epoch ———

/**
 * A data set resident on a backend (device buffers on WebGPU), uploaded once by BackendTrainer.upload:
 * X (inputs × n) and Y (outputs × n) in engine layout (row-major, column c = example c). Immutable.
 * Free it with dispose() (a trainer's dispose frees the data it uploaded too).
 */
export interface BackendData {
  /** Examples in the data set (columns of X and Y). */
  readonly n: number;
  /** Free the data set's buffers. */
  dispose(): void;
}

/**
 * What `fit`, `predict` and `evaluate` run on (src/train/fit.ts drives it). Made by Backend.trainer(net, B, name);
 * holds the parameters (same layout as BackendNet's), the optimiser state of `name` (STATE_SLOTS in
 * src/train/optimizers.ts: buf for momentum, m and v for adam/adamw, each shaped like the parameters, and the
 * step count t), the example order, and two epoch sums (Σ L_c and the correct count). It is separate from the
 * BackendNet of grad/step/train: the Model copies parameters between them through the CPU.
 *
 * Mini-batch k of an epoch is the examples order[k·B … min((k+1)·B, n) − 1]: every batch has B examples except
 * the last, which has n mod B when B does not divide n. A batch's gradients (and its loss) use ITS OWN size:
 * scale = 1/size for reduction 'mean', 1 for 'sum' — so a partial last batch's gradient is the mean over its
 * own examples. A backend may run that batch on a second net compiled for the remainder (WebGPU does) or on
 * the same kernels with a smaller size; the numbers must be those of a net of that size.
 *
 * State: a new trainer starts with the optimiser state zero and t = 0 and the epoch sums 0; the state changes only
 * by runBatches (t += 1 per batch) and writeState; writeParams leaves it alone. predict never touches either.
 * The CPU oracle (src/cpu/train.ts) is the reference implementation: kernels gather, epochSums, momentum and adam
 * of src/cpu/kernels.ts, in that order per batch.
 *
 * Nothing here reads back except readSums, predict and read; runBatches must not wait on the device.
 */
export interface BackendTrainer {
  /** Which backend made it: 'cpu', 'wasm' or 'webgpu'. */
  readonly kind: BackendKind;
  /** B, the examples per mini-batch (a partial last batch has n mod B). */
  readonly batchSize: number;
  /** The optimiser whose state it holds ('sgd', 'momentum', 'adam', 'adamw'). */
  readonly optimizer: OptimizerName;
  /**
   * Upload a data set (validated, engine layout) once; used by runBatches and predict, which take only what this
   * trainer's own upload returned (anything else: a SpecError on `data`, before any work). `keep`: the caller hands
   * batch.X and batch.Y over (nothing writes them after): a trainer that holds its data on the CPU may keep them
   * rather than copy them (the CPU trainer does with fit's sets: copies fit made at the call, or the model's batch,
   * which nothing writes either). Without it the data is copied.
   */
  upload(batch: Batch, options?: {
    /** The caller hands batch.X and batch.Y over (nothing writes them after): a host trainer may keep them uncopied. */
    keep?: boolean;
  }): BackendData;
  /** Replace W and b (engine layout, as BackendNet.writeParams); the optimiser state is left alone. */
  writeParams(params: Params): void;
  /** Replace the optimiser state (state.name must be this trainer's optimizer; slots in engine layout). */
  writeState(state: OptimizerState): void;
  /**
   * Start an epoch: the example order of the following runBatches calls (a permutation of 0 … n − 1 of the data
   * they use), and the epoch sums set to 0 (a fit stopped mid-epoch leaves partial sums behind).
   */
  writeOrder(order: Uint32Array): void;
  /**
   * Let go of the example order (fit calls it when its epochs end, however they end): a predict after the fit runs
   * without it, as the budget counts it (src/budget.ts checkFitBudget). runBatches needs a writeOrder again. Safe after
   * dispose.
   */
  dropOrder(): void;
  /**
   * Mini-batches first … first + count − 1 of the epoch (see above), in order, with no readback: for each,
   * gather its columns of `data` in the written order, forward, output, backward and the gradients (scale from
   * the batch's own size), add its Σ_c L_c (unscaled) and its number of correct predictions (accuracyRule in
   * src/train/accuracy.ts) to the epoch sums, then one optimiser step (t ← t + 1, then the kernel of `optimizer`
   * with the scalars of step t). The optimiser's hyper-parameters may change between calls; its name may not (a
   * SpecError naming `optimizer.name`: checkRunOptimizer).
   * On WebGPU one call is one submission.
   */
  runBatches(data: BackendData, first: number, count: number, optimizer: OptimizerConfig): void;
  /**
   * Resolves once the work of every runBatches call made so far has run: on WebGPU when the queue has done the
   * submitted work (no readback); at once on the host trainers, which run it inside the call.
   */
  settled(): Promise<void>;
  /** The epoch sums accumulated since the last writeOrder or readSums (or since creation), then reset to 0. */
  readSums(): Promise<{
    /** Σ_c L_c over the examples run (unscaled). */
    loss: number;
    /** How many of those examples were predicted right (accuracyRule; 0 where the net has no accuracy). */
    correct: number;
  }>;
  /**
   * Forward and output only (no update, epoch sums untouched) over all of `data` in its own order, in batches of
   * at most B: A_L (outputs × n, engine layout) and the per-example losses L_c (n).
   */
  predict(data: BackendData): Promise<{
    /** A_L, (outputs × n) row-major, one column per example, in `data`'s order. */
    A: Float32Array;
    /** L_c per example (n values, unscaled). */
    losses: Float32Array;
  }>;
  /** Parameters and optimiser state (a copy). */
  read(): Promise<{
    /** W and b, engine layout. */
    params: Params;
    /** The optimiser's state: its step count t and its slots. */
    state: OptimizerState;
  }>;
  /** Free everything, the data sets it uploaded included. Idempotent. */
  dispose(): void;
}

/**
 * A backend's `compile(net, n)` arguments, checked before anything is made: the net as checkNet checks it (a net
 * validateNet made passes as it is, as Model's do) and n a positive integer: a SpecError naming `net.…` or `n`. The
 * budget is the caller's to check (Model checks its own before it compiles).
 */
export function checkCompile(net: unknown, n: unknown): Net {
  const valid = checkNet(net);
  integerIn(n, 'n', 1, Number.MAX_SAFE_INTEGER);
  return valid;
}

/** A backend's `trainer(net, batchSize, optimizer)` arguments, checked as checkCompile's (`batchSize`, `optimizer`). */
export function checkTrainer(net: unknown, batchSize: unknown, optimizer: unknown): Net {
  const valid = checkNet(net);
  integerIn(batchSize, 'batchSize', 1, Number.MAX_SAFE_INTEGER);
  oneOf(optimizer, OPTIMIZERS, 'optimizer');
  return valid;
}

/**
 * runBatches' optimiser against the trainer's: the trainer holds that optimiser's state slots only (none for sgd, buf
 * for momentum), and another's kernel read and wrote past them — on wasm into whatever was placed beside them, with no
 * error (a probe's sgd trainer given adam wrote m and v over its net's barrier words: the run stuck for 30 s and the
 * backend was lost), on the CPU a TypeError. A SpecError naming `optimizer.name`, before any work.
 */
export function checkRunOptimizer(trainer: OptimizerName, optimizer: OptimizerConfig): void {
  const name: unknown = (optimizer as Partial<OptimizerConfig> | null | undefined)?.name;
  if (name === trainer) return;
  // Where the name is no optimiser at all (a misspelling, none), a trainer for it cannot be made: say so instead.
  const other = (OPTIMIZERS as readonly unknown[]).includes(name)
    ? `: backend.trainer(net, batchSize, ${describe(name)}) makes a trainer for it`
    : `, which is no optimiser (${OPTIMIZERS.map((n) => `'${n}'`).join(', ')})${valueGuess(name, OPTIMIZERS)}`;
  throw new SpecError('optimizer.name', `must be this trainer's optimiser, '${trainer}' (it holds that one's state), got ${describe(name)}${other}`);
}

/** The partial-batch nets a device trainer (wasm, WebGPU) holds at most: a fit's training and validation sets' last batches. */
export const REMAINDER_NETS = 2;

/**
 * A device trainer's net for batches of `size` from `nets` (by size; `main`, the net of B, among them): the one there,
 * else `make()`'s, kept; past REMAINDER_NETS partial-batch nets, the one made first is dropped (`drop`) before it —
 * each holds a compiled net of its own (uniform blocks on WebGPU, a module on every thread on wasm), and predict
 * after a fit may ask for any size below B.
 */
export function remainderNet<T>(nets: Map<number, T>, main: T, size: number, make: () => T, drop: (net: T) => void): T {
  let net = nets.get(size);
  if (net) return net;
  const made = [...nets].filter(([, x]) => x !== main);
  // NOTE: dropped before make(), not after: the new net takes the dropped one's place (wasm: its own blocks in the
  // spot freed, as wasmMemoryBytes counts REMAINDER_NETS of them; WebGPU: at most REMAINDER_NETS held). Made first, a
  // third would be placed beside the two, past the count, and at the memory's limit fail where this succeeds. A make()
  // that throws leaves one net fewer cached: that size is made again when next asked for.
  if (made.length >= REMAINDER_NETS) {
    const [oldSize, oldest] = made[0];
    nets.delete(oldSize);
    drop(oldest);
  }
  net = make();
  nets.set(size, net);
  return net;
}

/**
 * The batch reduction factor: 1/N for mean, 1 for sum. The package's export: `net` checked too (checkNet).
 * @throws {SpecError} naming `net.…` (not a net) or `n` (not a positive integer).
 */
export function batchScale(net: Net, n: number): number {
  return reductionScale(checkNet(net), n);
}

/** batchScale of a net validated already (the engine's own, once a step on the CPU): the net not checked again. */
export function reductionScale(net: Net, n: number): number {
  // n = 0 would be a scale of Infinity: a SpecError naming n instead.
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new SpecError('n', `must be a positive integer (the examples in the batch), got ${describe(n)}`);
  return net.reduction === 'mean' ? 1 / n : 1;
}

/**
 * One backend made on first use and shared by every model that asks (a page's wasm backend, ../wasm/shared.ts; the
 * test harness's WebGPU one): a failed making is forgotten, and so is a backend `gone` says can serve no more
 * (disposed; a lost device), so that the next `get()` makes a new one rather than hand every later model one that
 * refuses it.
 */
export class SharedBackend<B> {
  private making: Promise<B> | null = null;
  /** What `making` resolved to, once it has. */
  private made: B | null = null;

  constructor(private readonly make: () => Promise<B>, private readonly gone: (backend: B) => boolean) {}

  get(): Promise<B> {
    if (this.made && this.gone(this.made)) this.forget();
    if (!this.making) {
      const making = this.make();
      this.making = making;
      making.then((b) => {
        if (this.making === making) this.made = b;
      }, () => {
        if (this.making === making) this.making = null;
      });
    }
    return this.making;
  }

  /** Forget the backend (the next `get()` makes one): its promise, or null, for the caller to dispose it. */
  forget(): Promise<B> | null {
    const old = this.making;
    this.making = null;
    this.made = null;
    return old;
  }
}
