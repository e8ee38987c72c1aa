/**
 * The CPU trainer (BackendTrainer, src/backend.ts): the oracle of fit. One CpuState for batches of B and, made on
 * first use, one per smaller batch size (a partial last batch, the last batch of a predict) made of views of its
 * arrays (stateFor), so no step allocates and the trainer holds one state's memory. A batch: gather (kernels.ts
 * `gather`), the CPU step (step.ts `step`) without update, `epochSums`, then the optimiser kernel (`momentum` or `adam`)
 * on every W_l and b_l.
 */
import { type BackendData, type BackendTrainer, checkRunOptimizer } from '../backend.ts';
import { DisposedError, SpecError } from '../errors.ts';
import type { Batch, Net, Params } from '../spec.ts';
import { accuracyRule } from '../train/accuracy.ts';
import { type OptimizerConfig, type OptimizerName, type OptimizerState, cloneState, stepScalars, zeroState } from '../train/optimizers.ts';
import type { CpuOwner } from './backend.ts';
import { createState, forwardOnly, step, type CpuState } from './step.ts';
import { adam, type Arr, copyColumns, epochSums, gather, momentum } from './kernels.ts';

/**
 * The data sets one trainer uploaded (weakly held): `own` refuses any other BackendData — another trainer's, another
 * backend's, a plain object — with a SpecError on `data`, before any work (the CPU and wasm trainers; WebGPU's says
 * the same).
 */
export class Uploads<D extends BackendData> {
  private readonly mine = new WeakSet<BackendData>();
  add(data: D): D {
    this.mine.add(data);
    return data;
  }
  own(data: BackendData): D {
    if (!this.mine.has(data)) throw new SpecError('data', 'not a data set this trainer uploaded (pass what its own upload() returned)');
    return data as D;
  }
}

class CpuData implements BackendData {
  constructor(readonly n: number, readonly X: Float32Array, readonly Y: Float32Array) {}
  dispose(): void {}
}

const copyParams = (p: { W: ArrayLike<number>[]; b: ArrayLike<number>[] }): Params => ({ W: p.W.map((w) => Float32Array.from(w)), b: p.b.map((b) => Float32Array.from(b)) });

/**
 * t ← t + 1, then the optimiser kernel (`momentum` or `adam`) on every W_l and b_l of `p` with the gradients
 * `grads` (dW_l, db_l) and the slots of `st`: for each parameter array `param` and its gradient `dW` (README's
 * Optimisers: dW_l for W_l, db_l for b_l), one update of the kernel's equations. Its wasm twin runs inside every
 * net's run of the wasm trainer (optimiserPhase in src/wasm/program.ts), on its memory.
 */
export function optimizerStep(st: OptimizerState, p: { W: Arr[]; b: Arr[] }, grads: { dW: Arr[]; db: Arr[] }, o: OptimizerConfig): void {
  st.t += 1;
  const { stepSize, bias2Sqrt, first } = stepScalars(o, st.t);
  // The state's slots by their README names (STATE_SLOTS): buf for momentum, m and v for adam and adamw, none for sgd.
  const { buf, m, v } = st.slots as Partial<Record<string, Params>>;
  for (let l = 0; l < p.W.length; l++) {
    for (const [part, d] of [['W', 'dW'], ['b', 'db']] as const) {
      const param = p[part][l];
      const dW = grads[d][l];
      // sgd has no buf: momentum() with mu = 0 never touches it, so param stands in.
      if (o.name === 'sgd' || o.name === 'momentum') momentum(param, dW, buf ? buf[part][l] : param, o.lr, o.momentum, o.weightDecay, o.nesterov, first);
      else adam(param, dW, m![part][l], v![part][l], o.lr, o.beta1, o.beta2, o.eps, o.weightDecay, o.name === 'adamw', stepSize, bias2Sqrt);
    }
  }
}

/** readSums of a host trainer (this one, the wasm one): the epoch's loss and correct count that `epochSums` added into `sums`, then zero them. */
export function takeSums(sums: Float64Array): { loss: number; correct: number } {
  const out = { loss: sums[0], correct: sums[1] };
  sums.fill(0);
  return out;
}

/**
 * predict of a host trainer (this one, the wasm one): the n examples in order, in batches of at most `batchSize`.
 * `forward(start, count)` runs the forward pass on examples start … start+count−1 and gives A_L (outputs × count)
 * and the per-example losses; they go into A (outputs × n) at columns start … and losses (n).
 * `fullLast` (the wasm trainer): where n > batchSize leaves a partial last batch, that batch is the last batchSize
 * examples instead, overlapping the one before it, so that every batch is of batchSize (one compiled net; a net of
 * the remainder's size would be compiled, and run at the engine's slower first tier, for one batch). The overlapped
 * examples are computed twice with the same result: an example's forward pass reads its own column only.
 */
export function predictInBatches(n: number, outputs: number, batchSize: number,
  forward: (start: number, count: number) => { AL: Arr; lossPerExample: Arr }, fullLast = false): { A: Float32Array; losses: Float32Array } {
  const A = new Float32Array(outputs * n);
  const losses = new Float32Array(n);
  for (let next = 0; next < n; next += batchSize) {
    const start = fullLast && n > batchSize ? Math.min(next, n - batchSize) : next;
    const count = Math.min(batchSize, n - start);
    const { AL, lossPerExample } = forward(start, count);
    for (let i = 0; i < outputs; i++) A.set(AL.subarray(i * count, (i + 1) * count), i * n + start);
    losses.set(lossPerExample, start);
  }
  return { A, losses };
}

export class CpuTrainer implements BackendTrainer {
  readonly kind = 'cpu' as const;
  private readonly states = new Map<number, CpuState>();
  private readonly main: CpuState;
  private state: OptimizerState;
  private order = new Uint32Array(0);
  private readonly sums = new Float64Array(2);
  private readonly uploads = new Uploads<CpuData>();
  private disposed = false;

  /** `owner`: the backend that made it; once it is disposed, so is this trainer (as on wasm and WebGPU). */
  constructor(private readonly net: Net, readonly batchSize: number, readonly optimizer: OptimizerName, private readonly owner?: CpuOwner) {
    this.main = createState(net, batchSize) as CpuState;
    this.states.set(batchSize, this.main);
    this.state = zeroState(optimizer, { W: this.main.W as Float32Array[], b: this.main.b as Float32Array[] });
  }

  private live(): void {
    if (this.owner?.isDisposed) throw new DisposedError('this CPU backend');
    if (this.disposed) throw new DisposedError('this CPU trainer');
  }

  /**
   * The state for batches of `size` ≤ B (a partial last batch, predict's last batch), made once per size: views of
   * the main state's arrays — X, Y, Z, A, delta and the losses their first size·rows values, laid out for `size`
   * columns; W, b, dW, db, the row sums and the scratch the same arrays (every kernel writes what it reads before,
   * indexing by the sizes it is given). NOTE: a state of its own per size held a second X, Y, Z, A, delta, dW, db and
   * scratch beside the main one, past what needs(net, B) counts for the trainer (test/fit-resources.test.ts).
   */
  private stateFor(size: number): CpuState {
    let s = this.states.get(size);
    if (!s) {
      const m = this.main;
      if (!(size <= m.n)) throw new Error(`internal: a batch of ${size} in a trainer of batches of ${m.n}`);
      const units = (l: number) => this.net.layers[l].units;
      const cut = (a: Arr, rows: number) => a.subarray(0, rows * size);
      s = {
        ...m,
        n: size,
        X: cut(m.X, this.net.inputs),
        Y: cut(m.Y, units(this.net.layers.length - 1)),
        Z: m.Z.map((a, l) => cut(a, units(l))),
        A: m.A.map((a, l) => cut(a, units(l))),
        delta: m.delta.map((a, l) => cut(a, units(l))),
        lossPerExample: cut(m.lossPerExample, 1),
        loss: NaN,
      };
      this.states.set(size, s);
    }
    return s;
  }

  /** A copy of batch's X and Y, or (keep) batch's own arrays: fit's sets, which it owns, are held once, not twice. */
  upload(batch: Batch, options?: { keep?: boolean }): BackendData {
    this.live();
    const keep = options?.keep === true;
    return this.uploads.add(new CpuData(batch.n, keep ? batch.X : batch.X.slice(), keep ? batch.Y : batch.Y.slice()));
  }

  writeParams(p: Params): void {
    this.live();
    p.W.forEach((w, l) => this.main.W[l].set(w));
    p.b.forEach((b, l) => this.main.b[l].set(b));
  }

  writeState(state: OptimizerState): void {
    this.live();
    if (state.name !== this.optimizer) throw new Error(`internal: ${state.name} state for a ${this.optimizer} trainer`);
    this.state = cloneState(state);
  }

  writeOrder(order: Uint32Array): void {
    this.live();
    // A copy into the trainer's own array (made again only for another length): a fresh copy each epoch held three
    // orders at once as it was made (the epoch's, the last copy and the new one), where fit's budget counts two.
    if (this.order.length !== order.length) this.order = new Uint32Array(order.length);
    this.order.set(order);
    this.sums.fill(0);
  }

  dropOrder(): void {
    this.order = new Uint32Array(0);
  }

  /** Gather examples order[start … start+count−1] of data into s.X, s.Y. */
  private gatherInto(s: CpuState, data: CpuData, order: Uint32Array, start: number): void {
    const outputs = this.net.layers[this.net.layers.length - 1].units;
    gather(data.X, s.X, order, start, s.n, this.net.inputs, data.n);
    gather(data.Y, s.Y, order, start, s.n, outputs, data.n);
  }

  runBatches(data: BackendData, first: number, count: number, o: OptimizerConfig): void {
    this.live();
    checkRunOptimizer(this.optimizer, o);
    const d = this.uploads.own(data);
    // NOTE: as WebGPU's: without an order of this data set's length (none written, dropped at a fit's end, or another
    // set's), the batches gathered undefined indices, NaN, and the optimiser stepped on them with no error.
    if (this.order.length !== d.n) throw new Error('internal: writeOrder for this data first');
    const B = this.batchSize;
    const last = this.net.layers.length - 1;
    const rule = accuracyRule(this.net);
    const outputs = this.net.layers[last].units;
    for (let k = first; k < first + count; k++) {
      const start = k * B;
      const s = this.stateFor(Math.min(B, d.n - start));
      this.gatherInto(s, d, this.order, start);
      step(s, 0, false);
      epochSums(s.lossPerExample, s.A[last], s.Y, this.sums, outputs, s.n, rule);
      this.optimizerStep(s, o);
    }
  }

  /** t ← t + 1, then the optimiser kernel on every W_l and b_l with the gradients in s. */
  private optimizerStep(s: CpuState, o: OptimizerConfig): void {
    optimizerStep(this.state, s, { dW: s.dW, db: s.db }, o);
  }

  /** runBatches ran its batches inside the call. */
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
    const last = this.net.layers.length - 1;
    const outputs = this.net.layers[last].units;
    return predictInBatches(d.n, outputs, this.batchSize, (start, count) => {
      const s = this.stateFor(count);
      copyColumns(d.X, s.X, start, count, this.net.inputs, d.n);
      copyColumns(d.Y, s.Y, start, count, outputs, d.n);
      forwardOnly(s);
      return { AL: s.A[last], lossPerExample: s.lossPerExample };
    });
  }

  async read(): Promise<{ params: Params; state: OptimizerState }> {
    this.live();
    const st = this.state;
    return {
      params: copyParams(this.main),
      state: cloneState(st),
    };
  }

  dispose(): void {
    this.disposed = true;
    this.states.clear();
  }
}
