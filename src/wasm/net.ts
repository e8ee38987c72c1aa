/**
 * One net compiled on the wasm backend (./backend.ts WasmBackend.compile): its arrays placed in the backend's
 * memory (./program.ts layoutOf), its module's `run` (every thread instantiates it), the views of its arrays, and
 * a run on its threads with the barriers' failure handling (./barrier.ts).
 */
import { type BackendNet, type ReadRequest, type Readback, maxAbsOf } from '../backend.ts';
import { DisposedError } from '../errors.ts';
import type { Batch, Net, Params } from '../spec.ts';
import { biasLength, cloneParams } from '../spec.ts';
import { type Layout, OPT_BLOCK, OPT_KIND, RUN_MODE, type RunMode } from './program.ts';
import { type OptimizerConfig, stepScalars } from '../train/optimizers.ts';
import { ctlWords, resetBarrier } from './barrier.ts';
import type { WasmBackend } from './backend.ts';

/** A net's `run` export: `steps` steps as thread `tid` of `nt`; `mode` a RUN_MODE (./program.ts). */
export type RunFn = (steps: number, lr: number, mode: RunMode, tid: number, nt: number) => void;

/** Views of one net's arrays in the wasm memory (remade only when the memory's buffer changes). */
export interface NetViews {
  buffer: ArrayBufferLike;
  X: Float32Array;
  Y: Float32Array;
  /** A_L, the output layer's activations (outputs × n). */
  AL: Float32Array;
  lossPerExample: Float32Array;
  params: Params;
  /** dW and db, as Params. */
  grads: Params;
}

export class WasmNet implements BackendNet {
  readonly kind = 'wasm' as const;
  readonly n: number;
  /** Threads this net's runs use (1 for nets below THREAD_MIN_WORK). */
  threads: number;
  private readonly backend: WasmBackend;
  private readonly id: number;
  private readonly net: Net;
  /** @internal Where this net's arrays are (fit's trainer gathers into X, Y and updates W, b from dW, db). */
  readonly layout: Layout;
  private readonly runFn: RunFn;
  private saved: Params | null = null;
  private disposed = false;
  private cachedViews: NetViews | null = null;
  private ctlView: Int32Array | null = null;
  /** Views of the optimiser block (remade only when the memory's buffer changes: no allocation per batch). */
  private optViews: { f: Float64Array; i: Int32Array } | null = null;

  constructor(backend: WasmBackend, id: number, net: Net, n: number, layout: Layout, run: RunFn, threads: number) {
    this.backend = backend;
    this.id = id;
    this.net = net;
    this.n = n;
    this.layout = layout;
    this.runFn = run;
    this.threads = threads;
    // NOTE: the memory may hold what an earlier net left there. Everything a step reads is written first,
    // except these: the zero bias of a layer without one, the barrier words and the loss before any run.
    new Int32Array(backend.memory.buffer, layout.ctl, ctlWords(backend.threads)).fill(0);
    new Float32Array(backend.memory.buffer, layout.zero, 4).fill(0);
    this.f64(layout.loss, 1)[0] = NaN;
  }

  private live(): void {
    if (this.disposed) throw new DisposedError('this wasm net');
    this.backend.check('this wasm backend');
  }

  /** A view of `length` floats at byte address `at` (made fresh: the memory's buffer changes when it grows). */
  private f32(at: number, length: number): Float32Array {
    return new Float32Array(this.backend.memory.buffer, at, length);
  }

  private f64(at: number, length: number): Float64Array {
    return new Float64Array(this.backend.memory.buffer, at, length);
  }

  /** @internal Views of this net's arrays (fit's trainer gathers, sums and updates through them). */
  views(): NetViews {
    const buffer = this.backend.memory.buffer;
    if (this.cachedViews?.buffer !== buffer) {
      const at = this.layout;
      const n = this.n;
      const layers = this.net.layers;
      const last = layers.length - 1;
      this.cachedViews = {
        buffer,
        X: this.f32(at.X, this.net.inputs * n),
        Y: this.f32(at.Y, layers[last].units * n),
        AL: this.f32(at.layers[last].A, layers[last].units * n),
        lossPerExample: this.f32(at.lossPerExample, n),
        params: { W: layers.map((layer, l) => this.f32(at.layers[l].W, layer.units * layer.fanIn)), b: layers.map((layer, l) => this.f32(at.layers[l].b, biasLength(layer))) },
        grads: { W: layers.map((layer, l) => this.f32(at.layers[l].dW, layer.units * layer.fanIn)), b: layers.map((layer, l) => this.f32(at.layers[l].db, biasLength(layer))) },
      };
    }
    return this.cachedViews;
  }

  /** The bytes of the backend's memory this net occupies, [start, end). */
  get region(): { start: number; end: number } {
    return { start: this.layout.base, end: this.layout.end };
  }

  /** For tests: use `threads` threads (1 … the backend's) for this net's runs. */
  setThreads(threads: number): void {
    if (!Number.isInteger(threads) || threads < 1 || threads > this.backend.threads) {
      throw new RangeError(`threads must be an integer in 1 … ${this.backend.threads}, got ${threads}`);
    }
    this.threads = threads;
  }

  /** Bytes of wasm memory the backend holds now (tests: it must not grow while a net runs). */
  get memoryBytes(): number {
    return this.backend.memory.buffer.byteLength;
  }

  writeParams(p: Params): void {
    this.live();
    this.net.layers.forEach((layer, l) => {
      this.f32(this.layout.layers[l].W, layer.units * layer.fanIn).set(p.W[l]);
      this.f32(this.layout.layers[l].b, p.b[l].length).set(p.b[l]);
    });
  }

  writeBatch(batch: Batch): void {
    this.live();
    this.f32(this.layout.X, batch.X.length).set(batch.X);
    this.f32(this.layout.Y, batch.Y.length).set(batch.Y);
  }

  /**
   * `steps` steps, on `threads` threads: the workers start, the calling thread runs its share as thread 0. When any
   * thread fails (a worker's error, or this thread's own trap or throw), it raises the abort word; every thread
   * leaves the run at its next barrier; this thread waits for the workers to leave, then throws WasmThreadError.
   * When a worker stops arriving at the barriers (it died during the run), this thread gives up on it after
   * barrier.stallMs with no arrival (./barrier.ts), disposes the backend and throws WasmThreadError (`stalled`).
   */
  run(steps: number, lr: number, update: boolean): void {
    this.launch(steps, lr, update ? RUN_MODE.update : RUN_MODE.step);
  }

  /** @internal One forward pass and the output (A_L, the per-example losses, δ_L), on this net's threads as run: fit's predict. */
  forward(): void {
    this.launch(1, 0, RUN_MODE.forward);
  }

  /**
   * @internal One step, then fit's optimiser `o` at step t on every W_l, b_l (RUN_MODE.optimise), on this net's
   * threads: its slots at byte address `slots`, laid out W_0, b_0, W_1, … (slot 1 after the whole of slot 0), as the
   * trainer keeps them. The settings go into the net's optimiser block (./program.ts OPT_BLOCK) first.
   */
  optimise(o: OptimizerConfig, t: number, slots: number): void {
    this.live();
    const { stepSize, bias2Sqrt, first } = stepScalars(o, t);
    const buffer = this.backend.memory.buffer;
    if (this.optViews?.f.buffer !== buffer) {
      this.optViews = { f: new Float64Array(buffer, this.layout.opt, OPT_BLOCK.bytes / 8), i: new Int32Array(buffer, this.layout.opt, OPT_BLOCK.bytes / 4) };
    }
    const { f, i } = this.optViews;
    f[OPT_BLOCK.lr / 8] = o.lr;
    f[OPT_BLOCK.weightDecay / 8] = o.weightDecay;
    i[OPT_BLOCK.slots / 4] = slots;
    if (o.name === 'sgd' || o.name === 'momentum') {
      i[OPT_BLOCK.kind / 4] = OPT_KIND.momentum;
      f[OPT_BLOCK.mu / 8] = o.momentum;
      i[OPT_BLOCK.nesterov / 4] = o.nesterov ? 1 : 0;
      i[OPT_BLOCK.first / 4] = first ? 1 : 0;
    } else {
      i[OPT_BLOCK.kind / 4] = OPT_KIND.adam;
      f[OPT_BLOCK.beta1 / 8] = o.beta1;
      f[OPT_BLOCK.beta2 / 8] = o.beta2;
      f[OPT_BLOCK.eps / 8] = o.eps;
      f[OPT_BLOCK.stepSize / 8] = stepSize;
      f[OPT_BLOCK.bias2Sqrt / 8] = bias2Sqrt;
      i[OPT_BLOCK.decoupled / 4] = o.name === 'adamw' ? 1 : 0;
    }
    this.launch(1, 0, RUN_MODE.optimise);
  }

  private launch(steps: number, lr: number, mode: RunMode): void {
    this.live();
    this.backend.checkWorkers();
    const nt = this.threads;
    // The barrier words (a view kept while the memory's buffer stays: no allocation per run).
    if (this.ctlView?.buffer !== this.backend.memory.buffer) this.ctlView = new Int32Array(this.backend.memory.buffer, this.layout.ctl, ctlWords(this.backend.threads));
    const ctl = this.ctlView;
    resetBarrier(ctl);
    const fault = this.backend.takeFault(nt);
    if (nt > 1) this.backend.startWorkers(this.id, steps, lr, mode, nt, this.layout, fault);
    let threw = false;
    let own: unknown = undefined;
    try {
      if (fault?.tid === 0) {
        this.runFn(Math.min(fault.after, steps), lr, mode, 0, nt);
        throw new Error(`a fault injected by a test after ${fault.after} step(s) (WasmBackend.injectFault)`);
      }
      this.runFn(steps, lr, mode, 0, nt);
    } catch (err) {
      if (nt === 1) throw err;
      threw = true;
      own = err;
      // Raise abort (unless a worker did first) and wake the workers asleep on the generation word.
      Atomics.compareExchange(ctl, 2, 0, 1);
      Atomics.notify(ctl, 1);
    }
    const failed = Atomics.load(ctl, 2);
    if (failed < 0) throw this.backend.threadStalled(-failed - 1, nt);
    if (threw || failed !== 0) throw this.backend.threadFailed(failed !== 0 ? failed - 1 : 0, nt, own);
  }

  /**
   * @internal How many times the calling thread entered a barrier's wait during the last run (0 where it may only
   * spin); a wait returns at once when the generation has already moved, so this counts waits entered, not sleeps.
   */
  get lastRunWaits(): number {
    return this.ctlView ? Atomics.load(this.ctlView, 3) : 0;
  }

  async read(r: ReadRequest): Promise<Readback> {
    this.live();
    const { layout: at, n } = this;
    const layers = this.net.layers;
    const per = (field: 'Z' | 'A' | 'delta'): Float32Array[] => layers.map((layer, l) => this.f32(at.layers[l][field], layer.units * n).slice());
    const out: Readback = {};
    if (r.loss) out.loss = Math.fround(this.f64(at.loss, 1)[0]);
    if (r.Z) out.Z = per('Z');
    if (r.A) out.A = per('A');
    if (r.delta) out.delta = per('delta');
    if (r.grads) {
      out.dW = layers.map((layer, l) => this.f32(at.layers[l].dW, layer.units * layer.fanIn).slice());
      out.db = layers.map((layer, l) => this.f32(at.layers[l].db, biasLength(layer)).slice());
    }
    if (r.params) out.params = this.params();
    // On the views, no copy (config d: 2M parameters; a copy per train call cost more than the reduction).
    if (r.maxAbs) out.maxAbs = maxAbsOf(this.views().params);
    return out;
  }

  private params(): Params {
    const at = this.layout;
    return {
      W: this.net.layers.map((layer, l) => this.f32(at.layers[l].W, layer.units * layer.fanIn).slice()),
      b: this.net.layers.map((layer, l) => this.f32(at.layers[l].b, biasLength(layer)).slice()),
    };
  }

  /** Copy the parameters aside (Model.train before every run: the copy is made once and reused, no allocation). */
  saveParams(): void {
    this.live();
    const now = this.views().params;
    if (!this.saved) this.saved = cloneParams(now);
    else {
      now.W.forEach((w, l) => this.saved!.W[l].set(w));
      now.b.forEach((b, l) => this.saved!.b[l].set(b));
    }
  }

  restoreParams(): void {
    if (this.saved) this.writeParams(this.saved);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.saved = null;
    this.backend.release(this.id);
  }
}

