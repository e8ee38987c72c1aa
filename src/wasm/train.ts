/**
 * The wasm trainer (BackendTrainer, src/backend.ts): fit's mini-batches on the wasm kernels. One WasmNet for
 * batches of B and, made on first use, one per other batch size (a partial last batch of an epoch; a validation
 * pass or predict of fewer than B examples — a longer one's last batch is its last B examples) on the B net's
 * arrays (WasmBackend.compileOn): the parameters live in the B net, and a net of another size reads and updates
 * them there. NOTE: a net of its own per size held a second W, b, dW, db, X, Y, Z, A, delta
 * and scratch in the memory beside the B net's, past what the fit's budget counts (test/wasm-fit.test.ts).
 *
 * Everything a batch touches is in the backend's wasm memory: the uploaded data sets (example-major, so that gather
 * reads an example's values side by side), the epoch's order (u32), predict's order (the identity) and the
 * optimiser's slots (buf, or m and v, laid out like the parameters) are placed there like a net (reserve).
 * A batch: `gather` its examples into the net's X, Y, one step in wasm (forward, output, backward, dW, db: the same
 * kernels as train), the epoch sums (`epochSums`, the CPU twin on views: O(outputs·B)), and `momentum` or `adam` on
 * every W_l, b_l — wasm kernels (./kernels.ts) that compute as their CPU twins do (float64, float32 stores), so the
 * parameters are the CPU trainer's bitwise for the same step results. Every batch runs the optimiser inside its
 * net's run, after the gradients, split between its threads (WasmNet.optimise, ./program.ts RUN_MODE.optimise): a
 * partial last batch's net works on the B net's W, b, dW and db and the trainer's slots as the B net does. No batch
 * allocates.
 * NOTE: Adam on the calling thread alone was ~0.2 ms of a ~1 ms batch of 128 MNIST digits on 2 threads (its
 * float64 square root and divisions); inside the run, MNIST Adam's later epochs on 2 threads took 0.070–0.074 s
 * against 0.076–0.081 s (SGD's unchanged: 0.067–0.080 against 0.065–0.085), the two versions in turn, 6 page loads
 * each (`bench/probes/fit-epochs.ts e-adam 2 2`, 2026-12-05 12:04 UTC). Gather stays
 * on the calling thread: moving it and the whole submission into one run measured no faster (stop 39).
 * predict runs the net's forward mode (no backward pass).
 */
import { type BackendData, type BackendTrainer, checkRunOptimizer, remainderNet } from '../backend.ts';
import { epochSums, transpose } from '../cpu/kernels.ts';
import { writeExamples } from '../columns.ts';
import { Uploads, predictInBatches, takeSums } from '../cpu/train.ts';
import { DisposedError } from '../errors.ts';
import { type Batch, type Net, type Params, biasLength, cloneParams } from '../spec.ts';
import { accuracyRule } from '../train/accuracy.ts';
import { type OptimizerConfig, type OptimizerName, type OptimizerState, STATE_SLOTS } from '../train/optimizers.ts';
import type { WasmBackend, WasmNet } from './backend.ts';
import { ModuleBuilder } from './emit.ts';
import { type KernelOptions, Kernels } from './kernels.ts';

/** The trainer's module: gather on the backend's memory (./kernels.ts); the optimisers run in each net's `run`. */
export function trainModule(o: KernelOptions & { shared: boolean; maxPages: number }): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  m.importMemory(1, o.maxPages, o.shared);
  void new Kernels(m, o).gather;
  return m.bytes();
}

export interface TrainExports {
  gather(src: number, dst: number, order: number, start: number, count: number, rows: number): void;
}

/** A region of `length` u32 in the wasm memory (reserve's id and address). */
interface U32Region {
  id: number;
  at: number;
  length: number;
}

/** A data set in the wasm memory, example-major (gather's layout, ./kernels.ts): X (n × inputs) at x, Y (n × outputs) at y. */
class WasmData implements BackendData {
  private disposed = false;
  /** `onDispose`: the trainer forgets it (it holds the data sets it uploaded until they go, to free them with itself). */
  constructor(private readonly backend: WasmBackend, private readonly id: number, readonly n: number, readonly x: number, readonly y: number,
    private readonly onDispose: (d: WasmData) => void) {}
  get live(): boolean {
    return !this.disposed;
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.backend.release(this.id);
    this.onDispose(this);
  }
}

export class WasmTrainer implements BackendTrainer {
  readonly kind = 'wasm' as const;
  private readonly nets = new Map<number, WasmNet>();
  private readonly main: WasmNet;
  private readonly ops: TrainExports;
  /** The optimiser's step count and where its slots are: slot s of the array at offset o (below) at slots.at + (s·total + o)·4. */
  private t = 0;
  private readonly slots: { id: number; at: number };
  /** Offsets (floats) in a slot of each W_l and b_l (laid out W_0, b_0, W_1, b_1, …), and the parameter count. */
  private readonly offsets: { W: number[]; b: number[] } = { W: [], b: [] };
  private readonly total: number;
  private order: U32Region | null = null;
  /** The length of the order written last (its region may hold more). */
  private orderLength = 0;
  /** 0 … length − 1 (u32), predict's order for the gather kernel. */
  private identity: U32Region | null = null;
  /**
   * The data sets uploaded and not yet disposed (freed with the trainer). NOTE: each forgets itself when disposed;
   * kept to the trainer's end before, one object more for every fit, predict and evaluate call on the trainer.
   */
  private readonly datas = new Set<WasmData>();
  private readonly uploads = new Uploads<WasmData>();
  private readonly sums = new Float64Array(2);
  private disposed = false;

  constructor(private readonly backend: WasmBackend, private readonly net: Net, readonly batchSize: number, readonly optimizer: OptimizerName) {
    let total = 0;
    for (const layer of net.layers) {
      this.offsets.W.push(total);
      total += layer.units * layer.fanIn;
      this.offsets.b.push(total);
      total += biasLength(layer);
    }
    this.total = total;
    this.main = backend.compile(net, batchSize);
    this.nets.set(batchSize, this.main);
    try {
      this.ops = backend.instantiate(trainModule) as unknown as TrainExports;
      // NOTE: sgd's is 0 bytes, a placement of no length (it takes no space and is released as any other): the
      // momentum kernel it runs leaves buf alone at mu 0, and runBatches refuses another optimiser (checkRunOptimizer).
      this.slots = backend.reserve(STATE_SLOTS[optimizer].length * total * 4, 'the optimiser state', 'optimizer');
    } catch (err) {
      // NOTE: the net goes with the failure (LimitError: the optimiser state does not fit). Left placed, its space was
      // lost to every later net: an SGD fit that fitted the memory was refused after an Adam one had been.
      this.main.dispose();
      throw err;
    }
    this.slotViews().forEach((p) => [...p.W, ...p.b].forEach((a) => a.fill(0)));
  }

  /** DisposedError once this trainer or its backend is disposed (Backend.dispose: as the CPU and WebGPU trainers). */
  private live(): void {
    if (this.disposed) throw new DisposedError('this wasm trainer');
    this.backend.check('this wasm backend');
  }

  /** Views of the optimiser's slots, in STATE_SLOTS order (made fresh: the memory's buffer changes when it grows). */
  private slotViews(): Params[] {
    const buffer = this.backend.memory.buffer;
    return STATE_SLOTS[this.optimizer].map((_, s) => {
      const at = (offset: number, length: number) => new Float32Array(buffer, this.slots.at + (s * this.total + offset) * 4, length);
      return {
        W: this.net.layers.map((layer, l) => at(this.offsets.W[l], layer.units * layer.fanIn)),
        b: this.net.layers.map((layer, l) => at(this.offsets.b[l], biasLength(layer))),
      };
    });
  }

  /** The net for batches of `size`: the main one, or one on the main net's arrays (WasmBackend.compileOn): remainderNet's. */
  private netFor(size: number): WasmNet {
    return remainderNet(this.nets, this.main, size, () => this.backend.compileOn(this.net, this.main, size), (net) => net.dispose());
  }

  /**
   * The data set goes into the wasm memory example-major (X n × inputs, Y n × outputs: the engine layout transposed),
   * so that gather reads each example's values side by side: fit's typed x is copied as it was given
   * (ExampleMajorBatch), anything else transposed.
   */
  upload(batch: Batch): BackendData {
    this.live();
    const outputs = this.net.layers[this.net.layers.length - 1].units;
    const xBytes = Math.ceil((this.net.inputs * batch.n * 4) / 16) * 16;
    const r = this.backend.reserve(xBytes + outputs * batch.n * 4, `a data set of ${batch.n} examples`);
    const data = new WasmData(this.backend, r.id, batch.n, r.at, r.at + xBytes, (d) => this.datas.delete(d));
    writeExamples(batch, this.net.inputs, new Float32Array(this.backend.memory.buffer, data.x, this.net.inputs * batch.n));
    transpose(batch.Y, outputs, batch.n, new Float32Array(this.backend.memory.buffer, data.y, outputs * batch.n));
    this.datas.add(data);
    return this.uploads.add(data);
  }

  writeParams(p: Params): void {
    this.live();
    this.main.writeParams(p);
  }

  writeState(state: OptimizerState): void {
    this.live();
    if (state.name !== this.optimizer) throw new Error(`internal: ${state.name} state for a ${this.optimizer} trainer`);
    this.t = state.t;
    const views = this.slotViews();
    STATE_SLOTS[this.optimizer].forEach((name, s) => {
      state.slots[name].W.forEach((w, l) => views[s].W[l].set(w));
      state.slots[name].b.forEach((b, l) => views[s].b[l].set(b));
    });
  }

  /** The order goes into the wasm memory too (one region, made again only for a longer order). */
  writeOrder(order: Uint32Array): void {
    this.live();
    this.orderLength = 0; // until the new order is written (its region may fail to be made)
    const region = this.u32Region('order', order.length, 'the example order');
    new Uint32Array(this.backend.memory.buffer, region.at, order.length).set(order);
    this.orderLength = order.length;
    this.sums.fill(0);
  }

  dropOrder(): void {
    if (this.disposed || !this.order) return;
    this.backend.release(this.order.id);
    this.order = null;
    this.orderLength = 0;
  }

  /**
   * A region of at least `length` u32 in the wasm memory for `which` (the epoch's order, or predict's identity): the
   * one held when it holds them, else a new one, the old one released and forgotten first. NOTE: forgotten before the
   * reserve, which may fail (LimitError: the memory cannot grow). Before, predict's identity still named the released
   * region after a refused predict; the next predict of no more examples took it as it was, whatever had been placed
   * there since (its own data set, a net), and gathered other examples: wrong outputs, no error (test/predict.test.ts).
   */
  private u32Region(which: 'order' | 'identity', length: number, what: string): U32Region {
    const held = this[which];
    if (held && held.length >= length) return held;
    if (held) {
      this[which] = null;
      this.backend.release(held.id);
    }
    const made = { ...this.backend.reserve(length * 4, `${what} (${length} examples)`), length };
    this[which] = made;
    return made;
  }

  runBatches(data: BackendData, first: number, count: number, o: OptimizerConfig): void {
    this.live();
    checkRunOptimizer(this.optimizer, o);
    const d = this.uploads.own(data);
    if (!d.live) throw new DisposedError('this data set');
    // NOTE: as the CPU's and WebGPU's: an order of this data set's length (the region may be longer: a longer order's);
    // a shorter one's batches gathered indices from past its end.
    if (!this.order || this.orderLength !== d.n) throw new Error('internal: writeOrder for this data first');
    const B = this.batchSize;
    const rule = accuracyRule(this.net);
    const outputs = this.net.layers[this.net.layers.length - 1].units;
    for (let k = first; k < first + count; k++) {
      const start = k * B;
      const net = this.netFor(Math.min(B, d.n - start));
      this.ops.gather(d.x, net.layout.X, this.order.at, start, net.n, this.net.inputs);
      this.ops.gather(d.y, net.layout.Y, this.order.at, start, net.n, outputs);
      // The step and the optimiser in one run, split between the net's threads (a partial last batch's net: on the
      // B net's arrays, WasmBackend.compileOn).
      net.optimise(o, ++this.t, this.slots.at);
      const v = net.views();
      epochSums(v.lossPerExample, v.AL, v.Y, this.sums, outputs, net.n, rule);
    }
  }

  /** runBatches ran its batches inside the call (the worker threads too: they meet at the run's last barrier). */
  async settled(): Promise<void> {
    this.live();
  }

  async readSums(): Promise<{ loss: number; correct: number }> {
    this.live();
    return takeSums(this.sums);
  }

  async predict(data: BackendData): Promise<{ A: Float32Array; losses: Float32Array }> {
    this.live();
    const d = this.uploads.own(data);
    if (!d.live) throw new DisposedError('this data set');
    const outputs = this.net.layers[this.net.layers.length - 1].units;
    // predictInBatches walks examples 0 … n − 1 in order; the gather kernel takes an order, so the identity, 0 … n − 1,
    // has a region of the wasm memory of its own (the order region is the epoch's). NOTE: transposing each batch's
    // examples (side by side in the data set) in JS instead measured 8% slower (10 000 × 784 predicts: 63–65 ms
    // against 58–60 ms, 1 thread, Node).
    const held = this.identity;
    const region = this.u32Region('identity', d.n, 'the example order of predict');
    if (region !== held) {
      const order = new Uint32Array(this.backend.memory.buffer, region.at, d.n);
      for (let c = 0; c < d.n; c++) order[c] = c;
    }
    const identity = region.at;
    return predictInBatches(d.n, outputs, this.batchSize, (start, count) => {
      const net = this.netFor(count);
      this.ops.gather(d.x, net.layout.X, identity, start, count, this.net.inputs);
      this.ops.gather(d.y, net.layout.Y, identity, start, count, outputs);
      net.forward();
      const v = net.views();
      return { AL: v.AL, lossPerExample: v.lossPerExample };
    }, true);
  }

  async read(): Promise<{ params: Params; state: OptimizerState }> {
    this.live();
    const views = this.slotViews();
    return {
      params: cloneParams(this.main.views().params),
      state: { name: this.optimizer, t: this.t, slots: Object.fromEntries(STATE_SLOTS[this.optimizer].map((name, s) => [name, cloneParams(views[s])])) },
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Newest first, so the backend's memory stack shrinks back.
    for (const d of [...this.datas].reverse()) d.dispose();
    if (this.order) this.backend.release(this.order.id);
    if (this.identity) this.backend.release(this.identity.id);
    this.backend.release(this.slots.id);
    for (const net of [...this.nets.values()].reverse()) net.dispose();
    this.nets.clear();
  }
}
