/**
 * The lab's state, with no DOM: one net (a spec), its data, a Model on the chosen backend, the stage a
 * student has stepped to, and the loss history. The page (main.ts) draws whatever this holds.
 *
 * Stepping: Forward runs the engine's pass on the device (Model.grad: forward and backward, no update) and
 * shows Z and A; Loss shows L; Backward shows δ, dW and db from that same pass; Update runs one SGD step on
 * the device (Model.step) and shows the new W and b. The values are the backend's own: nothing is
 * recomputed in the page.
 */
import type { Backend, BackendKind } from '../backend.ts';
import { CpuBackend } from '../cpu/backend.ts';
import { DeviceLostError, SpecError, WebGPUUnavailableError } from '../errors.ts';
import { Model, type GradResult } from '../model.ts';
import { integerIn } from '../checks.ts';
import { batchFrom, paramsToSpec, type Batch, type Net, type Params, type ParamsSpec, type RowsSpec } from '../spec.ts';
import { type EpochLog, tick } from '../train/fit.ts';
import type { WebGpuBackend } from '../webgpu/backend.ts';
import type { SimdKind, WasmBackend } from '../wasm/backend.ts';
import { sharedWasm } from '../wasm/shared.ts';
import { perExample } from './eval.ts';
import { fitSchedule } from './fit-schedule.ts';
import { checkTrainSteps, fitEpochs, labLr, type LabFit, type LabNet } from './lab-spec.ts';
import { type VerifyReport, verifyAgainst, verifyPass } from './verify.ts';

// What the lab loads and runs, checked (./lab-spec.ts): exported here too, where the page and the tests import them.
export { checkLabSpec, checkTrainSteps, fitEpochs, LAB_DEFAULT_LR, labLr, MAX_FIT_EPOCHS, MAX_TRAIN_STEPS } from './lab-spec.ts';
export type { LabFit, LabNet } from './lab-spec.ts';

export type Stage = 'none' | 'forward' | 'loss' | 'backward' | 'update';

export interface LossPoint {
  step: number;
  /**
   * The mean loss per example, Σ_c L_c / n, under either reduction (eval.ts perExample): as Fit's epoch points,
   * Model.evaluate and the validation loss are. Under reduction 'sum' a step's own L is the sum, n times this.
   */
  loss: number;
  /** The backend the step ran on (the curve carries over a backend switch: the chart names each). */
  kind?: BackendKind;
}

/** Nets with more parameters keep no trail (each point is a read-back of every parameter). */
export const TRAIL_MAX_PARAMS = 5000;

/** Points kept in a trail. */
const TRAIL_MAX_POINTS = 400;

/** `obj` without `keys` (a shallow copy): a spec without its data, init or params before a Model or another spec is made from it. */
export function omitKeys<T extends object, K extends keyof T>(obj: T, ...keys: K[]): Omit<T, K> {
  const out: Partial<T> = { ...obj };
  for (const key of keys) delete out[key];
  return out as Omit<T, K>;
}

/** Why Fit's state started afresh on going on from a session that had fitted (LabSession.fitRestarted). */
export type FitRestart = 'another net' | 'device lost';

export class LabSession {
  lab: LabNet;
  model: Model;
  /** The backend chosen; 'webgpu' only when an adapter and device were obtained. */
  kind: BackendKind;
  stage: Stage = 'none';
  /** The pass the stage shows (from Forward, or from Update: the step's own values). */
  pass: GradResult | null = null;
  /** Parameters before the last Update, to show W − lr·dW. */
  before: Params | null = null;
  /** The mini-batch `pass` was computed on (Update moves on to the next one; the views show this one). */
  passRows: { x: number[][]; y: number[][] } | null = null;
  /** The weights the net was loaded with (Reset goes back to them; kept across a backend switch). */
  initial: Params;
  /** The seed `initial` was drawn with (the spec's init.seed; kept with `initial`); undefined for given params. */
  seed: number | undefined;
  /** The spec's params as written (float64; kept with `initial`): see `writtenParams`. */
  written: ParamsSpec | undefined;
  /**
   * The weights before the first step and after each Update and training chunk — the path the loss surface
   * draws. Kept for nets of at most TRAIL_MAX_PARAMS parameters only: each point is one more read-back.
   */
  trail: Params[] = [];
  history: LossPoint[] = [];
  /** The loss on the validation rows (your data), after the same steps as `history` (computed by the page, on the CPU). */
  validation: LossPoint[] = [];
  steps = 0;
  /**
   * Fits that ran on these weights since they were loaded or Reset (kept across a switch): counted when a fit's first
   * mini-batches have run (its onBatch), uncounted if it then fails (Model.fit put the weights back). A fit changes the
   * weights from its first mini-batch on but sets `steps` only when it ends, so the leave-page question
   * (unsavedTraining) counts a running fit, and one stopped before an epoch ended, by this.
   */
  fits = 0;
  /** Which mini-batch the next step uses. */
  batchIndex = 0;
  /** Set by continueFrom when the session it went on from had Fit's state (an epoch count, an optimiser's) that could not go on: why (the page says so). */
  fitRestarted: FitRestart | null = null;
  private gpu: WebGpuBackend | null;
  /** Model.fit keeps optimiser state (momentum, Adam's moments, the epoch count): Reset needs a fresh Model then. */
  private fitted = false;

  private constructor(lab: LabNet, model: Model, gpu: WebGpuBackend | null) {
    this.lab = lab;
    this.model = model;
    this.kind = model.kind;
    this.gpu = gpu;
    this.initial = model.lastKnownParams().params;
    this.seed = lab.spec.init?.seed;
    this.written = lab.spec.params;
  }

  /**
   * Go on from `previous`, the same net on another backend (a switch) or after an edit that kept the weights: its
   * loss curve and validation curve (empty with `newCurve`: the loss function changed), step count, the weights
   * Reset returns to with their seed and written numbers, the trail, and the mini-batch the next step uses when the data
   * is cut the same way (another batch size starts its first). When `previous` had fitted and the net is the same
   * (layers, activations, loss, reduction: a switch, or an edit of the lr, the batch size or the names), Fit's state
   * goes on too: the optimiser's (momentum, Adam's moments, its step t) and the epoch count that seeds each epoch's
   * shuffle, through a checkpoint (Model.save → restore), so that the next Fit continues the run as without the switch.
   * When save throws a DeviceLostError (`previous`'s device is gone), Fit's state starts afresh; any other error is thrown.
   * Fit's state that had been and does not go on (another net, a lost device) is said by `fitRestarted`.
   */
  async continueFrom(previous: LabSession, options: { newCurve?: boolean } = {}): Promise<void> {
    const { newCurve = false } = options;
    this.history = newCurve ? [] : previous.history;
    this.validation = newCurve ? [] : previous.validation;
    this.steps = previous.steps;
    this.fits = previous.fits;
    this.initial = previous.initial;
    this.seed = previous.seed;
    this.written = previous.written;
    this.trail = previous.trail;
    // NOTE: without it a switch in the middle of a pass trained the first mini-batch again and skipped the rest.
    if (previous.lab.batchSize === this.lab.batchSize && previous.lab.x.length === this.lab.x.length) this.batchIndex = previous.batchIndex;
    // NOTE: another net (an edit of an activation, the loss or the reduction) starts Fit's state afresh: the moments are
    // of another function's gradients, and a checkpoint of another net is refused (Model.restore). Without this, Adam's
    // moments and bias correction started again after a switch and epoch 1's shuffle order came round again.
    if (!previous.fitted) return;
    // Said only where a Fit left state to lose: `fitted` is set as a Fit starts, and one refused (a SpecError) or
    // failed at once (a DivergedError in its first epoch puts the state back) left none, nor an epoch count.
    const restarted = (why: FitRestart): void => {
      if (previous.model.epochsTrained > 0 || previous.model.optimizerState() !== undefined) this.fitRestarted = why;
    };
    if (JSON.stringify(previous.net) !== JSON.stringify(this.net)) {
      restarted('another net');
      return;
    }
    let bytes: Uint8Array;
    try {
      // Reads nothing from the device when the CPU copy is current (after every Update, Train and Fit): so after a loss too.
      bytes = await previous.model.save();
    } catch (err) {
      // NOTE: the device was lost with a Train's steps unread (train's forgetSteps): the page goes on from the last copy
      // read, with Fit's state afresh (Model.save reads the weights back, and there is nothing to read them from).
      // Anything else (a bug, a DisposedError, a BusyError) is a failure of the switch, thrown as any other.
      if (err instanceof DeviceLostError) {
        restarted('device lost');
        return;
      }
      throw err;
    }
    await this.model.restore(bytes);
    this.fitted = true;
  }

  /**
   * Go on from a net kept across a reload (keep.ts; this session opened on its spec, the starting weights): the
   * checkpoint's weights, optimiser state and epochs (Model.restore: checked first, nothing changes on an error), then
   * the curves, the step and fit counts and the next mini-batch, so that the next step or Fit is the one the page had next.
   */
  async resumeKept(k: { checkpoint: Uint8Array; history: LossPoint[]; validation: LossPoint[]; steps: number; batchIndex: number; fits: number }): Promise<void> {
    await this.model.restore(k.checkpoint);
    this.fitted = this.model.epochsTrained > 0 || this.model.optimizerState() !== undefined;
    this.history = k.history;
    this.validation = k.validation;
    this.steps = k.steps;
    this.fits = k.fits;
    this.batchIndex = k.batchIndex % this.batches;
    this.clearPass();
  }

  /**
   * The weights the views show: the model's CPU copy (Model.lastKnownParams), read back after every Update and
   * Train, so it is current between actions and survives a lost device.
   */
  get params(): Params {
    return this.model.lastKnownParams().params;
  }

  /** Load a net on a backend. `gpu` is the page's one WebGPU backend (null: none). State is untouched on error. */
  static async open(lab: LabNet, kind: BackendKind, gpu: WebGpuBackend | null): Promise<LabSession> {
    const backend = await LabSession.backendFor(kind, gpu);
    const model = await Model.create(omitKeys(lab.spec, 'x', 'y'), { shared: backend });
    return new LabSession(lab, model, gpu);
  }

  /**
   * open, going on from `previous` (continueFrom) when given: a switch, an edit that kept the weights. When continueFrom
   * throws, the session opened is disposed (its Model's buffers: a wasm memory's, a GPU device's) and the error thrown on.
   */
  static async openFrom(lab: LabNet, kind: BackendKind, gpu: WebGpuBackend | null, previous: LabSession | null, options: { newCurve?: boolean } = {}): Promise<LabSession> {
    const opened = await LabSession.open(lab, kind, gpu);
    try {
      if (previous) await opened.continueFrom(previous, options);
    } catch (err) {
      opened.dispose();
      throw err;
    }
    return opened;
  }

  static async backendFor(kind: BackendKind, gpu: WebGpuBackend | null): Promise<Backend> {
    if (kind === 'wasm') return sharedWasm();
    if (kind === 'cpu') return new CpuBackend(); // not owned by the model; a CPU backend holds nothing to free
    if (!gpu) throw new WebGPUUnavailableError('no WebGPU device in this page');
    return gpu;
  }

  /** The backend's own description (the adapter; wasm: SIMD kind and threads; the CPU). */
  get description(): string {
    return this.model.backend.description;
  }

  /**
   * On wasm: the SIMD kind, the threads, why only 1 when so, and the threads this net runs on at the Train batch (the
   * badge, the sentence under the switch); null on another backend.
   */
  get wasm(): { simd: SimdKind; threads: number; singleThreadReason: string | null; netThreads: number } | null {
    // Typed, not an instanceof: the lab loads the wasm backend's module only when it is chosen (../wasm/shared.ts).
    const b = this.model.backend as Partial<WasmBackend>;
    if (this.kind !== 'wasm' || !b.simd || !b.threads || !b.threadsFor) return null;
    return { simd: b.simd, threads: b.threads, singleThreadReason: b.singleThreadReason ?? null, netThreads: b.threadsFor(this.net, this.lab.batchSize) };
  }

  get net(): Net {
    return this.lab.net;
  }

  get lr(): number {
    return labLr(this.lab.spec);
  }

  /** Mini-batches a pass: ⌈N / batchSize⌉ (the last may be smaller: see LabNet.batchSize). */
  get batches(): number {
    return Math.ceil(this.lab.x.length / this.lab.batchSize);
  }

  /** The mini-batch the next step uses, as rows (the last of a pass holds what is left), and in engine layout. */
  currentRows(): { x: number[][]; y: number[][] } {
    const start = (this.batchIndex % this.batches) * this.lab.batchSize;
    // NOTE: a smaller last batch makes the model build a step net of that size once; it then keeps both nets and
    // swaps them each pass instead of compiling (README §Model, step nets per batch size: two nets, no climbing).
    const end = Math.min(start + this.lab.batchSize, this.lab.x.length);
    return { x: this.lab.x.slice(start, end), y: this.lab.y.slice(start, end) };
  }

  currentBatch(): Batch {
    const { x, y } = this.currentRows();
    return batchFrom(this.net, x, y);
  }

  /** The rows the views show: those of the pass on screen, else the mini-batch the next step uses. */
  shownRows(): { x: number[][]; y: number[][] } {
    return this.passRows ?? this.currentRows();
  }

  shownBatch(): Batch {
    const { x, y } = this.shownRows();
    return batchFrom(this.net, x, y);
  }

  /** GPU work runs inside the device's error scopes (validation, out-of-memory, internal): a failure becomes a typed error. */
  private scoped<T>(what: string, work: () => Promise<T>): Promise<T> {
    return this.kind === 'webgpu' && this.gpu ? this.gpu.withErrorScopes(what, work) : work();
  }

  /** Forward (and the backward of the same pass, shown later) on the current mini-batch, no update. */
  async forward(): Promise<void> {
    const rows = this.currentRows();
    this.pass = await this.scoped('lab forward', () => this.model.grad(rows.x, rows.y));
    this.passRows = rows;
    this.before = null;
    this.stage = 'forward';
  }

  /** Reveal the next stage of the pass that Forward computed. */
  reveal(stage: 'loss' | 'backward'): void {
    if (!this.pass) throw new SpecError('stage', 'run Forward first');
    this.stage = stage;
  }

  /** One SGD step on the device: W ← W − lr·dW, b ← b − lr·db. */
  async update(): Promise<void> {
    const rows = this.currentRows();
    const before = this.params; // a copy
    this.startTrail(before);
    const r = await this.scoped('lab update', () => this.model.step(this.lr, rows.x, rows.y));
    this.before = before;
    this.pass = r;
    this.passRows = rows;
    this.extendTrail(this.params);
    // The curve's point is per example (the stage's L stays the reduction's: the pass shows the backend's values).
    this.history.push({ step: this.steps, loss: perExample(this.net, r.loss, rows.x.length), kind: this.kind });
    this.steps += 1;
    this.batchIndex = (this.batchIndex + 1) % this.batches;
    this.stage = 'update';
  }

  /**
   * Train `steps` SGD steps in chunks, calling onProgress after each chunk (the loss curve grows live).
   * Full batch: `chunk` steps per submission — given, or adaptive (starting at 10, doubled while a chunk takes
   * under 20 ms, halved over 80 ms, at most steps/50 so the curve keeps ~50 points), so a long run of a tiny net
   * is not bound by one readback per 10 steps.
   * Mini-batches: one step per mini-batch, in order. `shouldStop` is polled between chunks (the Stop button).
   * The first chunk is always one step, so the curve's first point of each Train is the loss before it trained
   * (at step `steps`, on the weights as they were; "loss A → B" then reads before → last step).
   * Afterwards, and after a failed chunk (DivergedError restores that chunk's start), `params` is re-read from
   * the model; if that fails too with a DeviceLostError, it keeps the last copy read, and the steps not in it come off
   * the step count and the curve. Any other error of that read-back is thrown (in place of a failed chunk's).
   * A chunk counted before its GPU error scopes caught an error gets its onProgress too, once its weights are read
   * back: the page's bar and validation point stopped at the chunk before, the count said the steps of this one.
   */
  async train(steps: number, onProgress: (done: number) => void, shouldStop: () => boolean = () => false, chunk?: number): Promise<number> {
    checkTrainSteps(steps);
    let done = 0;
    const full = this.batches === 1;
    let size = chunk ?? 10;
    // At least ~50 points on the curve of a long run.
    const maxChunk = Math.max(10, Math.floor(steps / 50));
    if (this.tracksTrail) this.startTrail(this.params);
    // Model.train reads nothing back: the steps run since the CPU copy was read (see the read-back below).
    const unread = this.model.lastKnownParams().stepsSince;
    let trailed = true; // the last chunk counted is on the trail
    try {
      while (done < steps && !shouldStop()) {
        const k = full && done > 0 ? Math.min(size, steps - done) : 1;
        const rows = this.currentRows();
        const t0 = performance.now();
        // NOTE: counted as soon as Model.train resolves, inside the error scopes: a GPU error they catch after it (the
        // Train then fails) left the chunk's steps in the weights read back below and in the model's count, not here
        // (nor on the trail: it goes on it with that read-back).
        await this.scoped('lab train', async () => {
          const { loss } = await this.model.train({ steps: k, lr: this.lr, x: rows.x, y: rows.y });
          // The loss returned is that of the chunk's last step, before its update: the reduction's L of its rows (under
          // 'sum' their sum), on the curve per example, as Fit's epoch points are.
          this.history.push({ step: this.steps + k - 1, loss: perExample(this.net, loss, rows.x.length), kind: this.kind });
          this.steps += k;
          done += k;
          if (!full) this.batchIndex = (this.batchIndex + 1) % this.batches;
          trailed = false;
        });
        const ms = performance.now() - t0;
        if (chunk === undefined && full && done > k) size = ms < 20 ? Math.min(size * 2, maxChunk) : ms > 80 ? Math.max(1, size >> 1) : size;
        if (this.tracksTrail) this.extendTrail(await this.model.getParams());
        trailed = true;
        onProgress(done);
        await tick(); // the page paints and handles input between chunks (fit's tick: no clamped timer)
      }
    } finally {
      this.clearPass();
      try {
        const read = await this.model.getParams(); // refreshes the CPU copy
        if (!trailed) {
          // The chunk counted before its scopes threw (above): on the trail, and reported as the others were.
          this.extendTrail(read);
          try {
            onProgress(done);
          } catch {
            // NOTE: the error the Train fails with is the chunk's (thrown on from here), not the page's report after it.
          }
        }
      } catch (err) {
        // Anything but a lost device (a bug, a DisposedError) is a failure of the Train, thrown as any other.
        if (!(err instanceof DeviceLostError)) throw err;
        // NOTE: the device is gone; the copy stays the last one read (after the last Update or Train, or a big net's
        // chunks: it keeps no trail, so it reads nothing back between them). The steps this Train ran since are not in
        // it: the count and the curve go back to it (they said the net had trained while the weights the page goes
        // on from, moving to wasm, had not).
        this.forgetSteps(this.model.lastKnownParams().stepsSince - unread);
      }
    }
    return done;
  }

  /**
   * Model.fit on the whole data set: `epochs` passes in shuffled mini-batches of `batchSize` with the optimiser.
   * The curve gets one point per epoch (its mean loss) at the step count so far, and the validation loss beside
   * it. The first point is the loss before the fit, at the step count it starts from: with one batch an epoch,
   * the first epoch's own (each epoch's loss is that of the forward passes before their updates); otherwise the mean
   * loss over the data set from Model.evaluate (the epoch loss is a mean per example too). `signal` (Stop) ends the fit after the running
   * submission; the weights are those of the last finished step.
   */
  async fit(options: LabFit, onEpoch: (e: EpochLog, done: number) => void, signal?: AbortSignal): Promise<EpochLog[]> {
    // Refused before anything changes (Model.fit would refuse too, but the step count below needs a finite perEpoch:
    // a batch of 0 made it Infinity, and 0 × Infinity left the step counter NaN).
    integerIn(options.batchSize, 'batchSize', 1, Infinity);
    fitEpochs(options.epochs);
    const perEpoch = Math.ceil(this.lab.x.length / Math.min(options.batchSize, this.lab.x.length));
    const first = this.steps;
    const curve = { history: this.history.length, validation: this.validation.length };
    let done = 0;
    const validation = options.validation && options.validation.x.length > 0 ? { x: options.validation.x, y: options.validation.y } : undefined;
    // The schedule's numbers from the Fit: it ends at the net's epoch trained + epochs (plateau refused without validation rows).
    const lrSchedule = options.lrSchedule && fitSchedule(options.lrSchedule, this.model.epochsTrained + options.epochs, validation !== undefined);
    // Read now, put on the curve with the first epoch (a fit that Model.fit refuses leaves the curve as it was). Not
    // with a Stop already pressed (during the page's wait for its stage line to paint): no epoch will run to carry it,
    // and on a big data set the pass is the slow part (MNIST's 1000 examples: ~0.7 s at a phone's speed).
    const before = perEpoch > 1 && !signal?.aborted ? (await this.scoped('lab fit', () => this.model.evaluate(this.lab.x, this.lab.y))).loss : undefined;
    const valBefore = before !== undefined && validation ? (await this.scoped('lab fit', () => this.model.evaluate(validation.x, validation.y))).loss : undefined;
    if (this.tracksTrail) this.startTrail(this.params);
    this.fitted = true;
    const logs: EpochLog[] = [];
    // Counted once its first mini-batches have run (a fit refused, or stopped before a step, changed nothing).
    let counted = false;
    // Model.fit resolved: the weights, optimiser state and epoch count are the fit's, even if the error scopes then throw.
    let finished = false;
    try {
      await this.scoped('lab fit', async () => {
        await this.model.fit({
          x: this.lab.x, y: this.lab.y, batchSize: options.batchSize, epochs: options.epochs, optimizer: options.optimizer,
          // Only x and y: fit refuses any other key (the page's validation rows also carry class labels).
          validation, signal, ...(options.earlyStopping && { earlyStopping: options.earlyStopping }), ...(lrSchedule && { lrSchedule }),
          onBatch: () => {
            if (!counted) this.fits += 1;
            counted = true;
          },
          onEpoch: (e) => {
            done += 1;
            if (done === 1 && before !== undefined) {
              this.history.push({ step: first, loss: before, kind: this.kind });
              if (valBefore !== undefined) this.validation.push({ step: first, loss: valBefore });
            }
            const step = first + done * perEpoch - 1;
            this.history.push({ step, loss: e.loss, kind: this.kind });
            if (e.valLoss !== undefined) this.validation.push({ step, loss: e.valLoss });
            logs.push(e);
            onEpoch(e, done);
          },
        });
        finished = true;
      });
    } catch (err) {
      // A stop rejects with the signal's reason. Anything else is a failure, Stop pressed or not: a DivergedError found
      // at the end of the submission Stop was pressed during was taken for the stop (the error unsaid, the step count
      // and the curve kept while Model.fit had put the weights back).
      if (!signal?.aborted || err !== signal.reason) {
        // A failed fit (DivergedError, …) put back the weights, optimiser state and epoch count from before it: so are
        // the step count and the curve (its finished epochs' points were drawn as they came). Not a fit that finished
        // before a GPU error its scopes caught: the model kept it, so does the session (the error is thrown all the same).
        if (!finished) {
          if (counted) this.fits -= 1;
          done = 0;
          this.history.length = curve.history;
          this.validation.length = curve.validation;
        }
        throw err;
      }
    } finally {
      this.steps = first + done * perEpoch;
      // earlyStopping.restoreBest put back the best epoch (weights, optimiser state, epoch count): the step count and
      // the curves go back to it too, as after a fit of that many epochs (the line says how many ran: words.ts).
      const mark = logs.at(-1)?.earlyStop;
      if (finished && mark && options.earlyStopping?.restoreBest) {
        this.steps = first + (done - (logs.at(-1)!.epoch - mark.bestEpoch)) * perEpoch;
        this.cutCurves();
      }
      this.clearPass();
      if (this.tracksTrail) this.extendTrail(this.params);
    }
    return logs;
  }

  /**
   * The last `k` steps of a Train taken back (their weights are lost): the step count, their points on both curves, and
   * in mini-batches the pass position (a Train's step is one mini-batch), so that the next step is the first lost one's.
   */
  private forgetSteps(k: number): void {
    if (k <= 0) return;
    this.steps -= k;
    this.batchIndex = (((this.batchIndex - k) % this.batches) + this.batches) % this.batches;
    this.cutCurves();
  }

  /** Both curves cut where the step count now ends: they are in step order (the arrays stay the same: as a failed fit's). */
  private cutCurves(): void {
    for (const curve of [this.history, this.validation]) {
      const cut = curve.findIndex((p) => p.step >= this.steps);
      if (cut >= 0) curve.length = cut;
    }
  }

  /** Small enough to keep a trail of its weights (see `trail`). */
  get tracksTrail(): boolean {
    return this.net.layers.reduce((sum, l) => sum + l.units * l.fanIn + l.units, 0) <= TRAIL_MAX_PARAMS;
  }

  private startTrail(params: Params): void {
    if (this.tracksTrail && this.trail.length === 0) this.trail.push(params);
  }

  /** One more point; past TRAIL_MAX_POINTS every other point is dropped (the path keeps its shape and its end). */
  private extendTrail(params: Params): void {
    if (!this.tracksTrail) return;
    this.trail.push(params);
    if (this.trail.length > TRAIL_MAX_POINTS) this.trail = this.trail.filter((_, k) => k % 2 === 0 || k === this.trail.length - 1);
  }

  /**
   * Reset: the exact starting weights (bit for bit: the CPU copy taken when the net was loaded), the first
   * mini-batch, an empty curve — so that the same steps give the same run again.
   */
  async reset(): Promise<void> {
    if (this.fitted) {
      // The same run again needs the optimiser's state from zero too: a fresh Model with the starting weights.
      const fresh = await Model.create({ ...omitKeys(this.lab.spec, 'x', 'y', 'init'), params: paramsToSpec(this.net, this.initial) }, { shared: await LabSession.backendFor(this.kind, this.gpu) });
      this.model.dispose();
      this.model = fresh;
      this.fitted = false;
    }
    await this.setParams(this.initial);
    this.history = [];
    this.validation = [];
    this.steps = 0;
    this.fits = 0;
    this.batchIndex = 0;
  }

  /** Replace the parameters (reset to the preset's, or an imported spec's). */
  async setParams(params: Params): Promise<void> {
    await this.model.setParams(params);
    this.trail = [];
    this.clearPass();
  }

  /** No pass on screen: the stage back to 'none' (after training, or new weights). */
  private clearPass(): void {
    this.pass = null;
    this.passRows = null;
    this.before = null;
    this.stage = 'none';
  }

  /** The device Verify compares with the CPU now (verify.ts verifyAgainst; its button says it: device.ts verifyLabel). */
  verifyAgainst(): 'webgpu' | 'wasm' {
    return verifyAgainst(this.kind, Boolean(this.gpu && !this.gpu.lost));
  }

  /**
   * Verify: one forward/backward pass of the current parameters on the current mini-batch on the device under
   * test and on a fresh CPU model (the oracle), and the largest |device − CPU| of each quantity. The device
   * under test is the session's own when it is WebGPU or wasm; on the CPU, the page's WebGPU device while it is not
   * lost, else wasm (the pass and the comparison: ./verify.ts verifyPass).
   */
  async verify(): Promise<VerifyReport> {
    // A device lost since the session opened is none (the page goes on without it: a CPU session checks against wasm).
    const gpu = this.gpu && !this.gpu.lost ? this.gpu : null;
    const against = this.verifyAgainst();
    if (against === 'webgpu' && !gpu) throw new WebGPUUnavailableError('Verify needs WebGPU: no adapter or device in this page');
    const device = await LabSession.backendFor(against, gpu);
    const rows = this.currentRows();
    const spec = { ...omitKeys(this.lab.spec, 'x', 'y'), init: undefined, params: paramsToSpec(this.net, this.params) };
    return verifyPass(spec, rows, device, against, gpu);
  }

  /**
   * `params` as a spec, each entry the spec's number as written where the float32 weight is that number rounded
   * (the weights the CLI's explain reads), else the float32 weight.
   * NOTE: the float64 scalar chain rule on the float32-rounded weights differs from the CLI's in the 10th digit
   * (2-2-1 lecture ∂L/∂w5: 0.08216703999 against 0.08216704056); on the spec's own numbers it is the CLI's.
   */
  writtenParams(params: Params): ParamsSpec {
    const shown = paramsToSpec(this.net, params);
    const w = this.written;
    if (!w) return shown;
    const pick = (f: number, x: unknown) => (typeof x === 'number' && Math.fround(x) === f ? x : f);
    return {
      W: shown.W.map((layer, l) => layer.map((row, r) => row.map((f, c) => pick(f, w.W[l]?.[r]?.[c])))),
      b: shown.b.map((b, l) => (typeof b === 'number' ? pick(b, w.b[l]) : b.map((f, k) => pick(f, (w.b[l] as number[] | undefined)?.[k])))),
    };
  }

  /** The current state as a spec in the CLI's format (current params, the whole data set as rows). */
  toSpec(): RowsSpec {
    return { ...omitKeys(this.lab.spec, 'init'), params: paramsToSpec(this.net, this.params), x: this.lab.x, y: this.lab.y };
  }

  dispose(): void {
    this.model.dispose();
  }
}
