/**
 * The CPU backend: the oracle. Float32Array storage (Float64Array for the gradient check), plain loops,
 * the kernels of ./kernels.ts called in the order the WebGPU backend dispatches their WGSL twins.
 */
import type { Backend, BackendNet, BackendTrainer, ReadRequest, Readback } from '../backend.ts';
import type { OptimizerName } from '../train/optimizers.ts';
import { CpuTrainer } from './train.ts';
import { checkCompile, checkTrainer, maxAbsOf, reductionScale } from '../backend.ts';
import { DisposedError } from '../errors.ts';
import type { Batch, Net, Params } from '../spec.ts';
import { biasLength, cloneParams } from '../spec.ts';
import { type Arr, backward, forward, gradW, output, reduceRows, type Scratch, sgd } from './kernels.ts';

type ArrCtor = Float32ArrayConstructor | Float64ArrayConstructor;

/** Everything one step reads and writes, per layer. */
export interface CpuState {
  net: Net;
  n: number;
  W: Arr[];
  b: Arr[];
  X: Arr;
  Y: Arr;
  Z: Arr[];
  A: Arr[];
  delta: Arr[];
  dW: Arr[];
  db: Arr[];
  lossPerExample: Arr;
  /** Row sums of δ for a shared bias, before they are summed into one value. */
  rowSums: Arr[];
  /** The matmul kernels' transposes and float64 sums, sized for the largest layer (see kernels.ts `Scratch`). */
  scratch: Scratch;
  /** The loss reduction's output (float64, as the kernels sum). */
  lossOut: Float64Array;
  loss: number;
}

export function createState(net: Net, n: number, Ctor: ArrCtor = Float32Array): CpuState {
  const perLayer = (size: (units: number, fanIn: number) => number) => net.layers.map((layer) => new Ctor(size(layer.units, layer.fanIn)));
  return {
    net,
    n,
    W: perLayer((u, k) => u * k),
    b: net.layers.map((layer) => new Ctor(biasLength(layer))),
    X: new Ctor(net.inputs * n),
    Y: new Ctor(net.layers[net.layers.length - 1].units * n),
    Z: perLayer((u) => u * n),
    A: perLayer((u) => u * n),
    delta: perLayer((u) => u * n),
    dW: perLayer((u, k) => u * k),
    db: net.layers.map((layer) => new Ctor(biasLength(layer))),
    lossPerExample: new Ctor(n),
    rowSums: perLayer((u) => u),
    scratch: {
      // forward: A_prevᵀ (n × fanIn); backward: W_{l+1}ᵀ (fanIn_{l+1} × units_{l+1}) and δ_{l+1}ᵀ (n × units_{l+1});
      // sums: Z (units × n), δ (fanIn × n), dW (units × fanIn).
      T1: new Ctor(Math.max(...net.layers.map((layer) => Math.max(n * layer.fanIn, layer.units * layer.fanIn)))),
      T2: new Ctor(Math.max(...net.layers.map((layer) => n * layer.units))),
      S: new Float64Array(Math.max(...net.layers.map((layer) => Math.max(layer.units * n, layer.fanIn * n, layer.units * layer.fanIn)))),
    },
    lossOut: new Float64Array(1),
    loss: NaN,
  };
}

/**
 * One full step: forward, output, backward, grads, and (if update) the SGD update.
 * Allocates nothing: every array it writes, the scratch included, is in the state.
 */
export function step(s: CpuState, lr: number, update: boolean): void {
  const { net, n: N, scratch } = s;
  const layers = net.layers;
  const last = layers.length - 1;
  const scale = reductionScale(net, N);

  for (let l = 0; l <= last; l++) {
    const layer = layers[l];
    forward(s.W[l], s.b[l], layer.bias, l === 0 ? s.X : s.A[l - 1], s.Z[l], s.A[l], layer.units, layer.fanIn, N, layer.activation, scratch);
  }
  output(net.loss, layers[last].activation, s.Z[last], s.A[last], s.Y, s.delta[last], s.lossPerExample, layers[last].units, N);
  for (let l = last - 1; l >= 0; l--) {
    const next = layers[l + 1];
    backward(s.W[l + 1], s.delta[l + 1], s.A[l], s.delta[l], next.units, next.fanIn, N, layers[l].activation, scratch);
  }
  for (let l = 0; l <= last; l++) {
    const layer = layers[l];
    gradW(s.delta[l], l === 0 ? s.X : s.A[l - 1], s.dW[l], layer.units, layer.fanIn, N, scale, scratch);
    if (layer.bias === 'per-unit') reduceRows(s.delta[l], s.db[l], layer.units, N, scale);
    if (layer.bias === 'shared') {
      reduceRows(s.delta[l], s.rowSums[l], layer.units, N, 1);
      reduceRows(s.rowSums[l], s.db[l], 1, layer.units, scale);
    }
  }
  reduceRows(s.lossPerExample, s.lossOut, 1, N, scale);
  // NOTE: reduceRows sums the per-example losses in float64 (lossOut). The WebGPU and wasm backends hand back a
  // float32 loss (reduce_rows.wgsl writes an f32 buffer; wasm rounds its float64 sum on read), so the float32
  // oracle rounds once, here, to match them; the float64 state (gradFloat64) keeps every bit: its finite
  // differences need them.
  s.loss = s.X instanceof Float32Array ? Math.fround(s.lossOut[0]) : s.lossOut[0];
  if (update) {
    for (let l = 0; l <= last; l++) {
      sgd(s.W[l], s.dW[l], lr);
      sgd(s.b[l], s.db[l], lr);
    }
  }
}

/** Forward and output only (predict / evaluate): Z, A, the per-example losses; no backward, no update. */
export function forwardOnly(s: CpuState): void {
  const { net, n: N, scratch } = s;
  const layers = net.layers;
  const last = layers.length - 1;
  for (let l = 0; l <= last; l++) {
    const layer = layers[l];
    forward(s.W[l], s.b[l], layer.bias, l === 0 ? s.X : s.A[l - 1], s.Z[l], s.A[l], layer.units, layer.fanIn, N, layer.activation, scratch);
  }
  output(net.loss, layers[last].activation, s.Z[last], s.A[last], s.Y, s.delta[last], s.lossPerExample, layers[last].units, N);
}

const copy32 = (arrays: Arr[]): Float32Array[] => arrays.map((a) => Float32Array.from(a));

/** What a CPU net or trainer asks of the backend that made it: was it disposed? */
export interface CpuOwner {
  readonly isDisposed: boolean;
}

export class CpuNet implements BackendNet {
  readonly kind = 'cpu' as const;
  readonly n: number;
  private state: CpuState | null;
  private saved: Params | null = null;

  /** `owner`: the backend that made it; once it is disposed, so is this net (as on wasm and WebGPU). */
  constructor(net: Net, n: number, private readonly owner?: CpuOwner) {
    this.n = n;
    this.state = createState(net, n);
  }

  private live(): CpuState {
    if (this.owner?.isDisposed) throw new DisposedError('this CPU backend');
    if (!this.state) throw new DisposedError('this CPU net');
    return this.state;
  }

  writeParams(p: Params): void {
    const s = this.live();
    p.W.forEach((w, l) => s.W[l].set(w));
    p.b.forEach((b, l) => s.b[l].set(b));
  }

  writeBatch(batch: Batch): void {
    const s = this.live();
    s.X.set(batch.X);
    s.Y.set(batch.Y);
  }

  run(steps: number, lr: number, update: boolean): void {
    const s = this.live();
    for (let k = 0; k < steps; k++) step(s, lr, update);
  }

  async read(r: ReadRequest): Promise<Readback> {
    const s = this.live();
    const out: Readback = {};
    if (r.loss) out.loss = s.loss;
    if (r.Z) out.Z = copy32(s.Z);
    if (r.A) out.A = copy32(s.A);
    if (r.delta) out.delta = copy32(s.delta);
    if (r.grads) {
      out.dW = copy32(s.dW);
      out.db = copy32(s.db);
    }
    if (r.params) out.params = { W: copy32(s.W), b: copy32(s.b) };
    if (r.maxAbs) out.maxAbs = maxAbsOf(s);
    return out;
  }

  saveParams(): void {
    const s = this.live();
    this.saved = cloneParams({ W: copy32(s.W), b: copy32(s.b) });
  }

  restoreParams(): void {
    if (this.saved) this.writeParams(this.saved);
  }

  dispose(): void {
    this.state = null;
    this.saved = null;
  }
}

/**
 * The CPU backend holds no resources of its own, but a disposed one refuses work as the wasm and WebGPU backends do:
 * compile, trainer, and the nets and trainers it made throw DisposedError.
 */
export class CpuBackend implements Backend {
  /** Always 'cpu'. */
  readonly kind = 'cpu' as const;
  /** Human-readable description of this backend. */
  readonly description = 'CPU (Float32Array, plain loops)';
  private disposed = false;
  /** True once dispose() ran: then compile, trainer, and the nets and trainers made before throw DisposedError. */
  get isDisposed(): boolean {
    return this.disposed;
  }
  /**
   * A net of this backend for batches of `n` examples (W, b, X, Y, Z, A, delta, dW, db in Float32Arrays).
   * @throws {SpecError} naming `net.…` or `n` when they are not a net and a positive integer.
   * @throws {DisposedError} after dispose().
   */
  compile(net: Net, n: number): BackendNet {
    if (this.disposed) throw new DisposedError('this CPU backend');
    return new CpuNet(checkCompile(net, n), n, this);
  }
  /**
   * What fit runs on for `net` in mini-batches of `batchSize` with `optimizer` (W, b, the optimiser state, the epoch sums).
   * @throws {SpecError} naming `net.…`, `batchSize` or `optimizer`.
   * @throws {DisposedError} after dispose().
   */
  trainer(net: Net, batchSize: number, optimizer: OptimizerName): BackendTrainer {
    if (this.disposed) throw new DisposedError('this CPU backend');
    return new CpuTrainer(checkTrainer(net, batchSize, optimizer), batchSize, optimizer, this);
  }
  /** Marks the backend disposed (it holds no resources): later compile and trainer calls throw DisposedError. */
  dispose(): void {
    this.disposed = true;
  }
}

/**
 * Gradients in float64 (for the finite-difference check): one step without update on a Float64Array state.
 * Returns the loss and dW, db.
 */
export function gradFloat64(net: Net, W: Float64Array[], b: Float64Array[], X: Float64Array, Y: Float64Array, n: number): {
  loss: number; dW: Float64Array[]; db: Float64Array[];
} {
  const s = createState(net, n, Float64Array);
  W.forEach((w, l) => s.W[l].set(w));
  b.forEach((v, l) => s.b[l].set(v));
  s.X.set(X);
  s.Y.set(Y);
  step(s, 0, false);
  return { loss: s.loss, dW: s.dW as Float64Array[], db: s.db as Float64Array[] };
}
