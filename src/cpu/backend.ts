/**
 * The CPU backend: the oracle. Float32Array storage (Float64Array for the gradient check), plain loops,
 * the kernels of ./kernels.ts called (by ./step.ts `step`) in the order the WebGPU backend dispatches their WGSL twins.
 */
import type { Backend, BackendNet, BackendTrainer, ReadRequest, Readback } from '../backend.ts';
import type { OptimizerName } from '../train/optimizers.ts';
import { CpuTrainer } from './train.ts';
import { createState, type CpuState, step } from './step.ts';
import { checkCompile, checkTrainer, maxAbsOf } from '../backend.ts';
import { DisposedError } from '../errors.ts';
import type { Batch, Net, Params } from '../spec.ts';
import { cloneParams } from '../spec.ts';
import type { Arr } from './kernels.ts';

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
