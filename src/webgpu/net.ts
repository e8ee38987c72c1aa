/**
 * WebGpuNet: everything one net needs on the GPU for batches of n examples — buffers, pipelines, bind groups
 * and uniform blocks — made once in the constructor. A step is a fixed list of dispatches, the twins of the
 * CPU's kernel calls (src/cpu/step.ts `step`) in the same order:
 *
 *   forward (per layer) → output → backward (last−1 … 1) → grad_w + bias reduction (per layer)
 *   → loss reduction (last step of a run only) → sgd (when updating: one dispatch per chunk of params, ./update.ts)
 *
 * Small nets (./fused.ts: Σ units·fanIn·n at or under a threshold, measured on SwiftShader, an estimate elsewhere) instead run every step — forward, output,
 * backward, grads and update — in one dispatch of shaders/train_small.wgsl (several dispatches for long runs),
 * which leaves the same state behind in the same places, so read() (./readback.ts) does not care which path ran.
 *
 * Buffers (labels are 1-based like the lectures: `layer 1 W` is W_1 = W[0]):
 *   params   every W_l and b_l at 256-byte-aligned offsets (SGD over all of it; bind groups bind sub-ranges)
 *   grads    dW_l and db_l, the same layout
 *   backup   a copy of params (saveParams / restoreParams)
 *   X, Y     the batch; X is A_0
 *   layer l Z, A, delta (units × n); loss per example (n); loss (1); layer l row sums (shared bias only)
 *   dims     one uniform block per dispatch, 256-byte slots (./dispatch.ts)
 * A fused net has no per-layer buffers: X, Y, every Z, A, delta, the per-example losses and the loss are ranges of
 * one `acts` buffer (WGSL cannot index bindings), and `desc` holds the net description (two slots: a run of k
 * steps may be split into dispatches of c steps and one of the remainder).
 */
import type { BackendNet, ReadRequest, Readback } from '../backend.ts';
import { reductionScale } from '../backend.ts';
import { DisposedError, LimitError } from '../errors.ts';
import type { Batch, Net, Params } from '../spec.ts';
import { biasLength } from '../spec.ts';
import type { WebGpuBackend } from './backend.ts';
import { type Dispatch, Uniforms, bindGroup, whole } from './dispatch.ts';
import { LANES_NEED_SUBGROUPS, fusedFits, fusedThreshold, fusedWork, isTinyEntry, tinyEntryFor, tinyFits, type FusedEntry, type FusedMode } from './fused.ts';
import { FusedRun } from './fused-run.ts';
import { ACT_CODE, BIAS_CODE, LOSS_CODE } from './kernels.ts';
import { fold } from './matmul.ts';
import { NetReader } from './readback.ts';
import { ALIGN, bytesOf, pow2ceil } from './sizes.ts';
import { STEP_OFFSET, UPDATE_OPT, UPDATE_STEP_BYTES, UPDATE_WG, maxAbsReduction, planUpdate, stepBlock, type UpdateChunk } from './update.ts';

const align = (x: number, a = ALIGN): number => Math.ceil(x / a) * a;

/** A buffer range for a binding or a copy. */
export interface Range {
  buffer: GPUBuffer;
  offset: number;
  size: number;
}

/** How a net runs its steps: one dispatch of train_small.wgsl per run ('fused'), or the per-kernel dispatches. */
export type RunKind = 'fused' | 'kernels';

/** The fused small-net settings a net is compiled with (./backend.ts CompileOptions). */
interface FusedOptions {
  mode: FusedMode;
  entry: 'auto' | FusedEntry;
  workgroup: number;
}

/** X, Y and the losses: whole buffers (per-kernel path) or ranges of `acts` (fused path, ./fused-run.ts). */
export interface Io {
  X: Range;
  Y: Range;
  lossPerExample: Range;
  loss: Range;
}

export class WebGpuNet implements BackendNet {
  readonly kind = 'webgpu' as const;
  readonly n: number;
  /** Whether this net runs its steps with the fused kernel (decided when it is compiled; see ./fused.ts). */
  readonly runKind: RunKind;
  /** The kind of the last run (null before any): lets tests see which path ran. */
  lastRunKind: RunKind | null = null;
  /** Fused path: the most steps one dispatch runs (longer runs are split); null on the per-kernel path. */
  get stepsPerDispatch(): number | null {
    return this.fused?.perDispatch ?? null;
  }
  /** Fused path: the entry point of train_small.wgsl it runs; null on the per-kernel path. */
  get fusedEntry(): FusedEntry | null {
    return this.fused?.entry ?? null;
  }
  private readonly gpu: WebGpuBackend;
  private readonly device: GPUDevice;
  private readonly net: Net;
  private disposed = false;

  /** Byte offsets of W_l and b_l in params (and dW_l, db_l in grads). */
  private readonly wOff: number[] = [];
  private readonly bOff: number[] = [];
  private readonly paramBytes: number;
  /** The chunks sgd and max_abs cover params in (./update.ts: one storage binding each). */
  private readonly updateChunks: UpdateChunk[];
  private readonly params: GPUBuffer;
  private readonly grads: GPUBuffer;
  private readonly backup: GPUBuffer;
  /** Whole buffers (per-kernel path) or ranges of `acts` (fused path). */
  private readonly X: Range;
  private readonly Y: Range;
  private readonly Z: Range[] = [];
  private readonly A: Range[] = [];
  private readonly delta: Range[] = [];
  private readonly lossPerExample: Range;
  private readonly loss: Range;
  private readonly rowSums: (GPUBuffer | null)[] = [];
  private readonly dims: GPUBuffer | null = null;
  private readonly owned: GPUBuffer[] = [];

  /** The fused path's acts, desc, pipeline and bind groups (./fused-run.ts; null on the per-kernel path). */
  private readonly fused: FusedRun | null = null;
  /** One step's dispatches without the loss reduction and SGD (per-kernel path only). */
  private readonly stepDispatches: Dispatch[] = [];
  private readonly lossDispatch: Dispatch | null = null;
  private readonly sgdDispatches: Dispatch[] = [];
  /** Byte offsets in `dims` of the SGD blocks' lr field. */
  private readonly lrOffsets: number[] = [];
  private lastLr = NaN;

  /** Reads and their staging buffers (./readback.ts), made on the first read. */
  private reader: NetReader | null = null;
  /** The max |θ| reduction (./update.ts maxAbsReduction), made on its first use (a net that never updates never needs it). */
  private maxAbsKernel: { result: GPUBuffer; dispatches: Dispatch[] } | null = null;
  private hasSave = false;
  private pendingSave = false;

  /**
   * fusedOptions: the backend's fused small-net settings, or a compile call's overrides (./backend.ts CompileOptions).
   * `on`: a per-kernel net of n < on.n examples on on's buffers, allocating only its uniform blocks (smaller()).
   */
  constructor(gpu: WebGpuBackend, net: Net, n: number, fusedOptions: FusedOptions, on?: WebGpuNet) {
    if (!Number.isInteger(n) || n < 1) throw new LimitError('n', `the batch size must be a positive integer, got ${n}`);
    this.gpu = gpu;
    this.device = gpu.device;
    this.net = net;
    this.n = n;
    this.paramBytes = this.planLayout();
    this.updateChunks = planUpdate(this.paramBytes, gpu.updateLimits);
    const { entry, useFused } = on ? { entry: 'group' as const, useFused: false } : this.chooseRun(fusedOptions);
    this.runKind = useFused ? 'fused' : 'kernels';
    if (on && (on.fused || on.net !== net || !(n < on.n))) throw new Error(`internal: a net of ${n} on a ${on.runKind} net of another spec or ${on.n} examples`);
    try {
      const S = GPUBufferUsage.STORAGE;
      this.params = on?.params ?? this.createOwned('params (every W_l, b_l)', this.paramBytes, S | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC);
      this.grads = on?.grads ?? this.createOwned('grads (every dW_l, db_l)', this.paramBytes, S | GPUBufferUsage.COPY_SRC);
      this.backup = on?.backup ?? this.createOwned('params backup', this.paramBytes, GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC);
      const scale = reductionScale(net, n);
      let io: Io;
      if (useFused) ({ io, fused: this.fused } = this.buildFused(entry, fusedOptions.workgroup, scale));
      else io = on ? this.viewsOf(on) : this.kernelBuffers();
      ({ X: this.X, Y: this.Y, lossPerExample: this.lossPerExample, loss: this.loss } = io);
      // NaN until a step has run, as the CPU's (`on`'s loss is on's).
      if (!on) this.device.queue.writeBuffer(this.loss.buffer, this.loss.offset, new Float32Array([NaN]));
      // The per-kernel path's dispatches (the fused path has none).
      if (!useFused) ({ dims: this.dims, lossDispatch: this.lossDispatch } = this.buildDispatches(scale));
    } catch (err) {
      this.destroyAll();
      throw err;
    }
  }

  /**
   * Layout and limits, checked before anything is allocated (LimitError naming the field): the offsets of every
   * W_l and b_l in params (wOff, bOff) and the bytes of params, whole ALIGN blocks (the update kernels — sgd,
   * momentum, adam, max_abs — read vec4s).
   */
  private planLayout(): number {
    const { gpu, net, n } = this;
    const maxBuffer = gpu.limits.maxBufferSize;
    const checkSize = (field: string, what: string, bytes: number): void => {
      const limit = gpu.maxBindingBytes;
      if (bytes > limit) {
        throw new LimitError(field, `${what} needs ${bytes} bytes, more than this device's maxStorageBufferBindingSize / maxBufferSize (${limit} bytes)`);
      }
    };
    checkSize('x', `X (${net.inputs} × ${n})`, 4 * net.inputs * n);
    let cursor = 0;
    net.layers.forEach((layer, l) => {
      const f = `layers[${l}]`;
      checkSize(f, `W (${layer.units} × ${layer.fanIn})`, 4 * layer.units * layer.fanIn);
      checkSize(f, `Z, A and delta (${layer.units} × ${n} each)`, 4 * layer.units * n);
      this.wOff.push(cursor);
      cursor = align(cursor + 4 * layer.units * layer.fanIn);
      this.bOff.push(cursor);
      if (biasLength(layer) > 0) cursor = align(cursor + 4 * biasLength(layer));
    });
    if (cursor > maxBuffer) throw new LimitError('params', `all parameters need ${cursor} bytes, more than this device's maxBufferSize (${maxBuffer})`);
    return cursor;
  }

  /**
   * The fused entry point and whether this net runs fused (./fused.ts): 'auto' takes 'lanes' for a net main_tiny
   * takes where the device has `subgroups` (config a's step on SwiftShader ~0.12 against ~0.18 µs, bench/probes/tiny-step.ts), 'tiny'
   * where not. LimitError for a 'tiny' or 'lanes' it does not fit, or 'lanes' without `subgroups`, where the fused
   * kernel may run: with `mode` 'off' the net takes the per-kernel path and the entry point is not looked at (a
   * backend made with fusedEntry 'tiny' still compiles any net fused 'off', fit's among them: ./train.ts).
   */
  private chooseRun({ mode, entry: asked }: FusedOptions): { entry: FusedEntry; useFused: boolean } {
    if (mode === 'off') return { entry: 'group', useFused: false };
    const { gpu, net, n } = this;
    const tiny = tinyFits(net, n);
    if (isTinyEntry(asked) && !tiny) {
      throw new LimitError('fusedEntry', `'${asked}' takes nets of at most 4 layers whose inputs, units and batch are all ≤ 4; this one is ${[net.inputs, ...net.layers.map((l) => l.units)].join('-')} at batch ${n}`);
    }
    if (asked === 'lanes' && !gpu.subgroups) throw new LimitError('fusedEntry', LANES_NEED_SUBGROUPS);
    const entry: FusedEntry = asked === 'auto' ? (tiny ? tinyEntryFor(gpu.subgroups) : 'group') : asked;
    const fits = tiny || fusedFits(net, n, gpu.fusedCapacity);
    const small = fusedWork(net, n) <= fusedThreshold(entry, gpu.swiftshader);
    return { entry, useFused: fits && (mode === 'on' || (mode === 'auto' && small)) };
  }

  /** Fused path (./fused-run.ts): its Z, A, delta and io are ranges of one packed acts buffer. */
  private buildFused(entry: FusedEntry, workgroup: number, scale: number): { io: Io; fused: FusedRun } {
    const { params, grads, paramBytes, wOff, bOff } = this;
    const fused = new FusedRun(this.gpu, this.net, this.n, entry, workgroup, scale, { params, grads, paramBytes, wOff, bOff }, (label, size, usage) => this.createOwned(label, size, usage));
    this.Z.push(...fused.Z);
    this.A.push(...fused.A);
    this.delta.push(...fused.delta);
    return { io: fused.io, fused };
  }

  /** Per-kernel path: X, Y, every layer's Z, A, delta (and row sums for a shared bias) and the losses, a buffer each. */
  private kernelBuffers(): Io {
    const { net, n } = this;
    const S = GPUBufferUsage.STORAGE;
    const make = (label: string, size: number, usage: GPUBufferUsageFlags): Range => whole(this.createOwned(label, size, usage));
    const X = make('X (A_0)', 4 * net.inputs * n, S | GPUBufferUsage.COPY_DST);
    const Y = make('Y', 4 * net.layers[net.layers.length - 1].units * n, S | GPUBufferUsage.COPY_DST);
    net.layers.forEach((layer, l) => {
      const size = 4 * layer.units * n;
      this.Z.push(make(`layer ${l + 1} Z`, size, S | GPUBufferUsage.COPY_SRC));
      this.A.push(make(`layer ${l + 1} A`, size, S | GPUBufferUsage.COPY_SRC));
      this.delta.push(make(`layer ${l + 1} delta`, size, S | GPUBufferUsage.COPY_SRC));
      this.rowSums.push(layer.bias === 'shared' ? this.createOwned(`layer ${l + 1} row sums of delta`, 4 * layer.units, S) : null);
    });
    const lossPerExample = make('loss per example', 4 * n, S | GPUBufferUsage.COPY_SRC); // COPY_SRC: read by predict (./train.ts)
    return { X, Y, lossPerExample, loss: make('loss', 4, S | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST) };
  }

  /** Per-kernel path on `on`'s buffers (smaller()). */
  private viewsOf(on: WebGpuNet): Io {
    const n = this.n;
    const cut = (r: Range, rows: number): Range => ({ buffer: r.buffer, offset: r.offset, size: 4 * rows * n });
    this.net.layers.forEach((layer, l) => {
      this.Z.push(cut(on.Z[l], layer.units));
      this.A.push(cut(on.A[l], layer.units));
      this.delta.push(cut(on.delta[l], layer.units));
      this.rowSums.push(on.rowSums[l]);
    });
    return { X: cut(on.X, this.net.inputs), Y: cut(on.Y, this.net.layers[this.net.layers.length - 1].units), lossPerExample: cut(on.lossPerExample, 1), loss: on.loss };
  }

  /**
   * @internal For fit's partial batches (./train.ts): a net of n < this.n examples on this net's buffers — the same
   * params, grads, backup and row sums; X, Y, Z, A, delta and the losses the first rows × n values of each (viewsOf: a
   * rows × n matrix at n's stride, not this net's first n columns; each step writes them before it reads them).
   * Nothing is copied; disposing it leaves this net's buffers.
   */
  smaller(n: number): WebGpuNet {
    this.live();
    return new WebGpuNet(this.gpu, this.net, n, { mode: 'off', entry: 'auto', workgroup: 1 }, this);
  }

  /**
   * Per-kernel path: one step's dispatches (forward, output, backward, grads: stepDispatches), the loss reduction
   * and the sgd chunks, each with a uniform block in its own 256-byte slot of one `dims` buffer, written once.
   * Edit together with countDispatches, which counts these dispatches to size `dims` first.
   */
  private buildDispatches(scale: number): { dims: GPUBuffer; lossDispatch: Dispatch } {
    const { net, n } = this;
    const layers = net.layers;
    const L = layers.length;
    const slots = this.countDispatches();
    const u = new Uniforms(this.gpu, this.createOwned('dims (uniform blocks)', slots * ALIGN, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST));
    /** The matmul bindings a step leaves unused (out2 of backward and grad_w) point here. */
    const unused = whole(this.createOwned('unused matmul binding (placeholder)', 16, GPUBufferUsage.STORAGE));
    // forward, per layer: Z_l = W_l·A_{l−1} + b_l, A_l = f(Z_l). [R, K, C] = [units_l, units_{l−1}, n]: W_l is R × K,
    // A_{l−1} K × C, both read as stored.
    layers.forEach((layer, l) => {
      this.stepDispatches.push(u.matmul(
        'forward', `forward layer ${l + 1}`, [layer.units, layer.fanIn, n], 1, { transL: false, transR: false },
        { ACT: ACT_CODE[layer.activation], BIAS: BIAS_CODE[layer.bias] },
        [this.wRange(l), this.aPrev(l), this.bRange(l), this.Z[l], this.A[l]],
      ));
    });
    this.stepDispatches.push(this.outputDispatch(u));
    // backward, from the last hidden layer down: delta_l = (W_{l+1}ᵀ·delta_{l+1}) ⊙ f'(A_l). [R, K, C] =
    // [units_l, units_{l+1}, n]: W_{l+1} is stored units_{l+1} × units_l, K × R, so transL reads it as Wᵀ.
    for (let l = L - 2; l >= 0; l--) {
      const next = layers[l + 1];
      this.stepDispatches.push(u.matmul(
        'backward', `backward layer ${l + 1}`, [next.fanIn, next.units, n], 1, { transL: true, transR: false },
        { ACT: ACT_CODE[layers[l].activation] },
        [this.wRange(l + 1), this.delta[l + 1], this.A[l], this.delta[l], unused],
      ));
    }
    // gradients, per layer: dW_l = scale·delta_l·A_{l−1}ᵀ; db_l = scale·rowsum(delta_l) (shared: the row sums, then their sum).
    // [R, K, C] = [units_l, n, units_{l−1}]: the sum runs over the examples; A_{l−1} is stored units_{l−1} × n, C × K,
    // so transR reads it as A_{l−1}ᵀ.
    layers.forEach((layer, l) => {
      // aux is unused: bound to the lhs range again (read-only, so no aliasing of a written range).
      this.stepDispatches.push(u.matmul(
        'grad_w', `grad_w layer ${l + 1}`, [layer.units, n, layer.fanIn], scale, { transL: false, transR: true }, {},
        [this.delta[l], this.aPrev(l), this.delta[l], { buffer: this.grads, offset: this.wOff[l], size: 4 * layer.units * layer.fanIn }, unused],
      ));
      if (layer.bias === 'per-unit') {
        this.stepDispatches.push(u.reduce(
          `grad_b layer ${l + 1}`, layer.units, n, scale, this.delta[l],
          { buffer: this.grads, offset: this.bOff[l], size: 4 * layer.units },
        ));
      } else if (layer.bias === 'shared') {
        const sums = whole(this.rowSums[l]!);
        this.stepDispatches.push(u.reduce(`row sums layer ${l + 1}`, layer.units, n, 1, this.delta[l], sums));
        this.stepDispatches.push(u.reduce(`grad_b (shared) layer ${l + 1}`, 1, layer.units, scale, sums, { buffer: this.grads, offset: this.bOff[l], size: 4 }));
      }
    });
    // L = scale·Σ_c L_c
    const lossDispatch = u.reduce('loss', 1, n, scale, this.lossPerExample, this.loss);
    this.sgdDispatches.push(...this.sgdChunks(u));
    u.write(slots);
    return { dims: u.dims, lossDispatch };
  }

  /** output.wgsl: the loss per example and the output delta, one invocation per example. */
  private outputDispatch(u: Uniforms): Dispatch {
    const { net, n } = this;
    const L = net.layers.length;
    const last = net.layers[L - 1];
    const wg = Math.min(64, pow2ceil(n));
    const groups = Math.ceil(n / wg);
    const offset = u.fill((v) => {
      // output.wgsl's Dims: M, N, total.
      v.setUint32(0, last.units, true);
      v.setUint32(4, n, true);
      v.setUint32(8, groups, true);
    });
    const label = `output (${net.loss})`;
    const pipeline = this.gpu.kernels.pipeline('output', 'main', { LOSS: LOSS_CODE[net.loss], ACT: ACT_CODE[last.activation], WG: wg });
    return {
      label, pipeline, ...fold(groups, label),
      bindGroup: bindGroup(this.gpu, 'output', label, [u.range(offset), this.Z[L - 1], this.A[L - 1], this.Y, this.delta[L - 1], this.lossPerExample]),
    };
  }

  /**
   * SGD over the whole params buffer, W_l ← W_l − lr·dW_l and b_l ← b_l − lr·db_l (params ← params − lr·grads), in
   * chunks no larger than one storage binding (./update.ts); records each block's lr offset (lrOffsets). update.wgsl's
   * state bindings get placeholders, two (writable bindings may not alias), never touched with OPT sgd.
   */
  private sgdChunks(u: Uniforms): Dispatch[] {
    const state = [1, 2].map((k) => whole(this.createOwned(`unused update state ${k} (placeholder)`, 16, GPUBufferUsage.STORAGE)));
    const pipeline = this.gpu.kernels.pipeline('update', 'main', { WG: UPDATE_WG, OPT: UPDATE_OPT.sgd });
    return this.updateChunks.map((c): Dispatch => {
      const block = new ArrayBuffer(UPDATE_STEP_BYTES);
      stepBlock(new DataView(block), { count: c.count, lr: 0 }); // the rest of the Step block stays 0; lr is set by run
      const offset = u.add(block);
      this.lrOffsets.push(offset + STEP_OFFSET.lr);
      const label = `sgd params[${c.start}..${c.start + c.size})`;
      const range = (buffer: GPUBuffer): Range => ({ buffer, offset: c.start, size: c.size });
      return {
        label, pipeline, ...c.groups,
        bindGroup: bindGroup(this.gpu, 'update', label, [{ buffer: u.dims, offset, size: UPDATE_STEP_BYTES }, range(this.params), range(this.grads), ...state]),
      };
    });
  }

  /** W_l's range of params. */
  private wRange(l: number): Range {
    return { buffer: this.params, offset: this.wOff[l], size: 4 * this.net.layers[l].units * this.net.layers[l].fanIn };
  }

  /** b_l's range of params; a layer without bias never reads b: its W range as a placeholder. */
  private bRange(l: number): Range {
    const len = biasLength(this.net.layers[l]);
    return len > 0 ? { buffer: this.params, offset: this.bOff[l], size: 4 * len } : this.wRange(l);
  }

  /** A_{l−1} of layer l (0-based): X for the first. */
  private aPrev(l: number): Range {
    return l === 0 ? this.X : this.A[l - 1];
  }

  /** How many uniform blocks the dispatches need (one each). Edit together with buildDispatches: it counts what that builds. */
  private countDispatches(): number {
    const layers = this.net.layers;
    let count = layers.length /* forward */ + 1 /* output */ + (layers.length - 1) /* backward */ + layers.length /* grad_w */;
    for (const layer of layers) count += layer.bias === 'per-unit' ? 1 : layer.bias === 'shared' ? 2 : 0;
    count += 1; // loss
    count += this.updateChunks.length; // sgd
    return count;
  }

  /** A buffer made by the backend and destroyed with this net's. */
  private createOwned(label: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer {
    const buffer = this.gpu.createBuffer(label, size, usage);
    this.owned.push(buffer);
    return buffer;
  }

  private live(): void {
    if (this.disposed) throw new DisposedError('this WebGPU net');
    this.gpu.check('this WebGPU net');
  }

  /** Encode a pending saveParams copy (deferred so that it rides in the next submission). */
  private flushSave(encoder?: GPUCommandEncoder): void {
    if (!this.pendingSave) return;
    this.pendingSave = false;
    const enc = encoder ?? this.device.createCommandEncoder({ label: 'save params' });
    enc.copyBufferToBuffer(this.params, 0, this.backup, 0, this.paramBytes);
    if (!encoder) this.device.queue.submit([enc.finish()]);
  }

  writeParams(p: Params): void {
    this.live();
    this.flushSave();
    const q = this.device.queue;
    this.net.layers.forEach((layer, l) => {
      q.writeBuffer(this.params, this.wOff[l], bytesOf(p.W[l]));
      if (biasLength(layer) > 0) q.writeBuffer(this.params, this.bOff[l], bytesOf(p.b[l]));
    });
  }

  writeBatch(batch: Batch): void {
    this.live();
    if (batch.n !== this.n) throw new LimitError('batch.n', `this net was compiled for ${this.n} examples, got ${batch.n}`);
    this.device.queue.writeBuffer(this.X.buffer, this.X.offset, bytesOf(batch.X));
    this.device.queue.writeBuffer(this.Y.buffer, this.Y.offset, bytesOf(batch.Y));
  }

  run(steps: number, lr: number, update: boolean): void {
    // NOTE: queue.submit does not throw after device loss: check first.
    this.live();
    if (steps < 1) return;
    if (this.fused) {
      this.runFused(this.fused, steps, lr, update);
      return;
    }
    if (update && !Object.is(Math.fround(lr), this.lastLr)) {
      this.lastLr = Math.fround(lr);
      const value = new Float32Array([lr]);
      for (const offset of this.lrOffsets) this.device.queue.writeBuffer(this.dims!, offset, value);
    }
    // Submissions of at most stepsPerSubmission steps each, in order (WebGpuBackend.stepsPerSubmission).
    const per = this.gpu.stepsPerSubmission;
    for (let first = 0; first < steps; first += per) {
      const last = Math.min(steps, first + per);
      const encoder = this.device.createCommandEncoder({ label: `run steps ${first + 1}…${last} of ${steps}` });
      if (first === 0) this.flushSave(encoder);
      const pass = encoder.beginComputePass({ label: `${last - first} step(s)${update ? ' with SGD' : ''}` });
      let current: GPUComputePipeline | null = null;
      const encode = (d: Dispatch): void => {
        if (d.pipeline !== current) {
          pass.setPipeline(d.pipeline);
          current = d.pipeline;
        }
        pass.setBindGroup(0, d.bindGroup);
        pass.dispatchWorkgroups(d.x, d.y);
      };
      for (let s = first; s < last; s++) {
        for (const d of this.stepDispatches) encode(d);
        if (s === steps - 1) encode(this.lossDispatch!);
        if (update) for (const d of this.sgdDispatches) encode(d);
      }
      pass.end();
      this.device.queue.submit([encoder.finish()]);
    }
    this.lastRunKind = 'kernels';
  }

  /** The fused path: one submission, as above (FusedRun.encode). */
  private runFused(f: FusedRun, steps: number, lr: number, update: boolean): void {
    const encoder = this.device.createCommandEncoder({ label: `run ${steps} fused step(s)` });
    this.flushSave(encoder);
    f.encode(encoder, steps, lr, update);
    this.device.queue.submit([encoder.finish()]);
    this.lastRunKind = 'fused';
  }

  /**
   * @internal For fit (./train.ts): the buffers a trainer gathers into, reads and updates. Per-kernel path only
   * (a trainer compiles its nets with fused 'off').
   */
  fitBuffers(): { params: GPUBuffer; grads: GPUBuffer; paramBytes: number; X: Range; Y: Range; A: Range; lossPerExample: Range } {
    if (this.fused) throw new Error('internal: fit runs on the per-kernel path');
    return { params: this.params, grads: this.grads, paramBytes: this.paramBytes, X: this.X, Y: this.Y, A: this.A[this.A.length - 1], lossPerExample: this.lossPerExample };
  }

  /**
   * @internal For fit (./train.ts): encode one step's dispatches into `pass` — forward, output, backward, grads
   * (no loss reduction, no update) — or, with forwardOnly, the forward and output dispatches only.
   */
  encodeStep(pass: GPUComputePassEncoder, forwardOnly = false): void {
    this.live();
    const count = forwardOnly ? this.net.layers.length + 1 : this.stepDispatches.length;
    for (let k = 0; k < count; k++) {
      const d = this.stepDispatches[k];
      pass.setPipeline(d.pipeline);
      pass.setBindGroup(0, d.bindGroup);
      pass.dispatchWorkgroups(d.x, d.y);
    }
  }

  /** Byte offsets of W_l and b_l in the params layout (and of dW_l, db_l in grads; fit's optimiser state the same). */
  layout(): { wOff: readonly number[]; bOff: readonly number[] } {
    return { wOff: this.wOff, bOff: this.bOff };
  }

  /** Reads run one after another (./readback.ts). */
  read(request: ReadRequest): Promise<Readback> {
    this.reader ??= new NetReader(this.gpu, {
      layers: this.net.layers, n: this.n, wOff: this.wOff, bOff: this.bOff,
      params: { buffer: this.params, offset: 0, size: this.paramBytes },
      grads: { buffer: this.grads, offset: 0, size: this.paramBytes },
      loss: this.loss, Z: this.Z, A: this.A, delta: this.delta,
      live: () => this.live(),
      disposed: () => this.disposed,
      createBuffer: (label, size, usage) => this.createOwned(label, size, usage),
      encodeMaxAbs: (encoder) => this.encodeMaxAbs(encoder),
    });
    return this.reader.read(request);
  }

  /** Encode the max |θ| reduction into `encoder`: clear its result, then one pass of every chunk's dispatch. */
  private encodeMaxAbs(encoder: GPUCommandEncoder): Range {
    const k = (this.maxAbsKernel ??= maxAbsReduction(this.gpu, this.updateChunks, this.params, (label, size, usage) => this.createOwned(label, size, usage)));
    encoder.clearBuffer(k.result);
    const pass = encoder.beginComputePass({ label: 'max |θ| over params' });
    for (const d of k.dispatches) {
      pass.setPipeline(d.pipeline);
      pass.setBindGroup(0, d.bindGroup);
      pass.dispatchWorkgroups(d.x, d.y);
    }
    pass.end();
    return { buffer: k.result, offset: 0, size: 4 };
  }

  saveParams(): void {
    this.live();
    // Deferred: the copy is encoded at the start of the next run (or flushed by writeParams / restoreParams).
    this.pendingSave = true;
    this.hasSave = true;
  }

  restoreParams(): void {
    this.live();
    if (!this.hasSave) return;
    const encoder = this.device.createCommandEncoder({ label: 'restore params' });
    this.flushSave(encoder);
    encoder.copyBufferToBuffer(this.backup, 0, this.params, 0, this.paramBytes);
    this.device.queue.submit([encoder.finish()]);
  }

  /** BackendNet.dropReads: destroy the staging buffers; the next read makes them again. */
  dropReads(): void {
    if (this.disposed || !this.reader) return;
    const staging = new Set(this.reader.clear());
    for (const b of staging) this.gpu.destroyBuffer(b);
    const kept = this.owned.filter((b) => !staging.has(b));
    this.owned.splice(0, this.owned.length, ...kept);
  }

  private destroyAll(): void {
    for (const b of this.owned) this.gpu.destroyBuffer(b);
    this.owned.length = 0;
    this.reader?.clear();
  }

  /** Destroy every buffer. Idempotent; a pending read rejects with DisposedError. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.destroyAll();
  }
}
