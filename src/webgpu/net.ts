/**
 * WebGpuNet: everything one net needs on the GPU for batches of n examples — buffers, pipelines, bind groups
 * and uniform blocks — made once in the constructor. A step is a fixed list of dispatches, the twins of the
 * CPU backend's kernel calls (src/cpu/backend.ts `step`) in the same order:
 *
 *   forward (per layer) → output → backward (last−1 … 1) → grad_w + bias reduction (per layer)
 *   → loss reduction (last step of a run only) → sgd (when updating: one dispatch per chunk of params, ./update.ts)
 *
 * Small nets (./fused.ts: Σ units·fanIn·n at or under a measured threshold) instead run every step — forward, output,
 * backward, grads and update — in one dispatch of shaders/train_small.wgsl (several dispatches for long runs),
 * which leaves the same state behind in the same places, so read() (./readback.ts) does not care which path ran.
 *
 * Buffers (labels are 1-based like the lectures: `layer 1 W` is W_1 = W[0]):
 *   params   every W_l and b_l at 256-byte-aligned offsets (SGD over all of it; bind groups bind sub-ranges)
 *   grads    dW_l and db_l, the same layout
 *   backup   a copy of params (saveParams / restoreParams)
 *   X, Y     the batch; X is A_0
 *   layer l Z, A, delta (units × n); loss per example (n); loss (1); layer l row sums (shared bias only)
 *   dims     one uniform block per dispatch, 256-byte slots
 * A fused net has no per-layer buffers: X, Y, every Z, A, delta, the per-example losses and the loss are ranges of
 * one `acts` buffer (WGSL cannot index bindings), and `desc` holds the net description (two slots: a run of k
 * steps may be split into dispatches of c steps and one of the remainder).
 */
import type { BackendNet, ReadRequest, Readback } from '../backend.ts';
import { batchScale } from '../backend.ts';
import { DisposedError, LimitError } from '../errors.ts';
import type { Batch, Net, Params } from '../spec.ts';
import { biasLength } from '../spec.ts';
import type { WebGpuBackend } from './backend.ts';
import {
  DESC_BYTES, DESC_RUN_OFFSET, actsLayout, fusedCap, fusedDesc, fusedFits, fusedRunFields,
  fusedStepsPerDispatch, fusedThreshold, fusedWork, tinyConstants, tinyFits, type FusedEntry, type FusedMode,
} from './fused.ts';
import { ACT_CODE, BIAS_CODE, EPILOGUE_CODE, LOSS_CODE, type KernelName } from './kernels.ts';
import { fold, matmulPipeline, planMatmul } from './matmul.ts';
import { NetReader } from './readback.ts';
import { UPDATE_OPT, UPDATE_STEP_BYTES, UPDATE_WG, planUpdate, type UpdateChunk } from './update.ts';

const ALIGN = 256;
const align = (x: number, a = ALIGN): number => Math.ceil(x / a) * a;
const pow2ceil = (x: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, x)));

interface Dispatch {
  label: string;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  x: number;
  y: number;
}

/** A buffer range for a binding or a copy. */
export interface Range {
  buffer: GPUBuffer;
  offset: number;
  size: number;
}

/** A Float32Array as writeBuffer's type wants it (writeBuffer accepts views of shared memory too). */
const bytesOf = (a: Float32Array): Float32Array<ArrayBuffer> => a as Float32Array<ArrayBuffer>;

/** How a net runs its steps: one dispatch of train_small.wgsl per run ('fused'), or the per-kernel dispatches. */
export type RunKind = 'fused' | 'kernels';

/** The fused path's objects. */
interface Fused {
  entry: FusedEntry;
  pipeline: GPUComputePipeline;
  /** Bind groups of desc slot 0 (c steps) and slot 1 (the remainder). */
  bindGroups: [GPUBindGroup, GPUBindGroup];
  desc: GPUBuffer;
  /** Steps one dispatch runs at most. */
  perDispatch: number;
  /** The run fields last written to each slot (skip rewriting them when unchanged). */
  written: [string, string];
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

  /** The fused path's pipeline, bind groups and desc buffer (null on the per-kernel path). */
  private readonly fused: Fused | null = null;
  /** One step's dispatches without the loss reduction and SGD (per-kernel path only). */
  private readonly stepDispatches: Dispatch[] = [];
  private readonly lossDispatch: Dispatch | null = null;
  private readonly sgdDispatches: Dispatch[] = [];
  /** Byte offsets in `dims` of the SGD blocks' lr field. */
  private readonly lrOffsets: number[] = [];
  private lastLr = NaN;

  /** Reads and their staging buffers (./readback.ts), made on the first read. */
  private reader: NetReader | null = null;
  /** The max |θ| reduction (shaders/max_abs.wgsl), made on its first use. */
  private maxAbsKernel: { result: GPUBuffer; dispatches: Dispatch[] } | null = null;
  private hasSave = false;
  private pendingSave = false;

  /** fusedOptions: the backend's fused small-net settings, or a compile call's overrides (./backend.ts CompileOptions). */
  constructor(gpu: WebGpuBackend, net: Net, n: number, fusedOptions: { mode: FusedMode; entry: 'auto' | FusedEntry; workgroup: number }) {
    if (!Number.isInteger(n) || n < 1) throw new LimitError('n', `the batch size must be a positive integer, got ${n}`);
    this.gpu = gpu;
    this.device = gpu.device;
    this.net = net;
    this.n = n;
    const layers = net.layers;
    const L = layers.length;
    const maxBuffer = gpu.limits.maxBufferSize;
    const checkSize = (field: string, what: string, bytes: number): void => {
      const limit = gpu.maxBindingBytes;
      if (bytes > limit) {
        throw new LimitError(field, `${what} needs ${bytes} bytes, more than this device's maxStorageBufferBindingSize / maxBufferSize (${limit} bytes)`);
      }
    };

    // ---- layout and limits, checked before anything is allocated ----
    checkSize('x', `X (${net.inputs} × ${n})`, 4 * net.inputs * n);
    let cursor = 0;
    layers.forEach((layer, l) => {
      const f = `layers[${l}]`;
      checkSize(f, `W (${layer.units} × ${layer.fanIn})`, 4 * layer.units * layer.fanIn);
      checkSize(f, `Z, A and delta (${layer.units} × ${n} each)`, 4 * layer.units * n);
      this.wOff.push(cursor);
      cursor = align(cursor + 4 * layer.units * layer.fanIn);
      this.bOff.push(cursor);
      if (biasLength(layer) > 0) cursor = align(cursor + 4 * biasLength(layer));
    });
    this.paramBytes = cursor; // whole ALIGN blocks: the update kernels (sgd, momentum, adam, max_abs) read vec4s
    if (cursor > maxBuffer) throw new LimitError('params', `all parameters need ${cursor} bytes, more than this device's maxBufferSize (${maxBuffer})`);
    this.updateChunks = planUpdate(cursor, gpu.updateLimits);
    const { mode, workgroup } = fusedOptions;
    const tiny = tinyFits(net, n);
    if (fusedOptions.entry === 'tiny' && !tiny) {
      throw new LimitError('fusedEntry', `'tiny' takes nets of at most 4 layers whose inputs, units and batch are all ≤ 4; this one is ${[net.inputs, ...layers.map((l) => l.units)].join('-')} at batch ${n}`);
    }
    const entry: FusedEntry = fusedOptions.entry === 'auto' ? (tiny ? 'tiny' : 'group') : fusedOptions.entry;
    const fits = tiny || fusedFits(net, n, gpu.fusedCapacity);
    const small = fusedWork(net, n) <= fusedThreshold(entry, gpu.swiftshader);
    const useFused = fits && (mode === 'on' || (mode === 'auto' && small));
    this.runKind = useFused ? 'fused' : 'kernels';

    const S = GPUBufferUsage.STORAGE;
    const make = (label: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer => this.createOwned(label, size, usage);
    try {
      this.params = make('params (every W_l, b_l)', this.paramBytes, S | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC);
      this.grads = make('grads (every dW_l, db_l)', this.paramBytes, S | GPUBufferUsage.COPY_SRC);
      this.backup = make('params backup', this.paramBytes, GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC);
      const scale = batchScale(net, n);
      if (useFused) {
        // ---- fused: one packed acts buffer, the net description, one pipeline ----
        const lay = actsLayout(net, n);
        const acts = make('acts (X, Y, every Z_l, A_l, delta_l, losses)', 4 * lay.size, S | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC);
        const at = (offset: number, floats: number): Range => ({ buffer: acts, offset: 4 * offset, size: 4 * floats });
        this.X = at(lay.X, net.inputs * n);
        this.Y = at(lay.Y, layers[L - 1].units * n);
        layers.forEach((layer, l) => {
          this.Z.push(at(lay.Z[l], layer.units * n));
          this.A.push(at(lay.A[l], layer.units * n));
          this.delta.push(at(lay.delta[l], layer.units * n));
        });
        this.lossPerExample = at(lay.lossPerExample, n);
        this.loss = at(lay.loss, 1);
        const slot = align(DESC_BYTES);
        const desc = make('train_small desc (2 slots)', 2 * slot, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
        const block = fusedDesc(net, n, scale, this.wOff, this.bOff, lay);
        this.device.queue.writeBuffer(desc, 0, block);
        this.device.queue.writeBuffer(desc, slot, block);
        const cap = fusedCap(net, n);
        const constants: Record<string, number> = entry === 'tiny' ? tinyConstants(net) : entry === 'group' ? { WG: workgroup, CAP: cap } : { CAP: cap };
        const pipeline = gpu.kernels.pipeline('train_small', `main_${entry}`, constants);
        const group = (k: number): GPUBindGroup => this.bindGroup('train_small', `train_small (${entry}) desc slot ${k}`, [
          { buffer: desc, offset: k * slot, size: DESC_BYTES },
          { buffer: this.params, offset: 0, size: this.paramBytes },
          { buffer: this.grads, offset: 0, size: this.paramBytes },
          { buffer: acts, offset: 0, size: 4 * lay.size },
        ]);
        this.fused = { entry, pipeline, bindGroups: [group(0), group(1)], desc, perDispatch: fusedStepsPerDispatch(net, n, entry), written: ['', ''] };
        // NaN until a step has run, as the CPU's.
        this.device.queue.writeBuffer(acts, this.loss.offset, new Float32Array([NaN]));
        return; // none of the per-kernel path's buffers and dispatches below
      }
      const whole = (buffer: GPUBuffer): Range => ({ buffer, offset: 0, size: buffer.size });
      this.X = whole(make('X (A_0)', 4 * net.inputs * n, S | GPUBufferUsage.COPY_DST));
      this.Y = whole(make('Y', 4 * layers[L - 1].units * n, S | GPUBufferUsage.COPY_DST));
      layers.forEach((layer, l) => {
        const size = 4 * layer.units * n;
        this.Z.push(whole(make(`layer ${l + 1} Z`, size, S | GPUBufferUsage.COPY_SRC)));
        this.A.push(whole(make(`layer ${l + 1} A`, size, S | GPUBufferUsage.COPY_SRC)));
        this.delta.push(whole(make(`layer ${l + 1} delta`, size, S | GPUBufferUsage.COPY_SRC)));
        this.rowSums.push(layer.bias === 'shared' ? make(`layer ${l + 1} row sums of delta`, 4 * layer.units, S) : null);
      });
      this.lossPerExample = whole(make('loss per example', 4 * n, S | GPUBufferUsage.COPY_SRC)); // COPY_SRC: read by predict (./train.ts)
      this.loss = whole(make('loss', 4, S | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST));
      // NaN until a step has run, as the CPU's.
      this.device.queue.writeBuffer(this.loss.buffer, 0, new Float32Array([NaN]));

      // ---- dispatches ----
      const blocks: ArrayBuffer[] = [];
      const block = (fill: (v: DataView) => void): number => {
        const buf = new ArrayBuffer(32);
        fill(new DataView(buf));
        blocks.push(buf);
        return (blocks.length - 1) * ALIGN;
      };
      const dimsSlots = this.countDispatches();
      const dims = make('dims (uniform blocks)', dimsSlots * ALIGN, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
      this.dims = dims;
      const dimsRange = (offset: number): Range => ({ buffer: dims, offset, size: 32 });
      const wRange = (l: number): Range => ({ buffer: this.params, offset: this.wOff[l], size: 4 * layers[l].units * layers[l].fanIn });
      const bRange = (l: number): Range => {
        const len = biasLength(layers[l]);
        // A layer without bias never reads b: bind its W range as a placeholder.
        return len > 0 ? { buffer: this.params, offset: this.bOff[l], size: 4 * len } : wRange(l);
      };
      const aPrev = (l: number): Range => (l === 0 ? this.X : this.A[l - 1]);
      const variant = gpu.variant;

      /** The matmul bindings a step leaves unused (out2 of backward and grad_w) point here. */
      const unused = whole(make('unused matmul binding (placeholder)', 16, S));

      /**
       * One dispatch of shaders/matmul.wgsl (its header lists the three uses): an R × C output, the sum over K;
       * lhs stored K × R when transL, rhs stored C × K when transR; ranges: lhs, rhs, aux, out, out2.
       */
      const matmul = (
        step: keyof typeof EPILOGUE_CODE, label: string, [R, K, C]: [number, number, number], scale: number,
        layout: { transL: boolean; transR: boolean }, constants: Record<string, number>, ranges: Range[],
      ): Dispatch => {
        const plan = planMatmul(variant, step, [R, K, C], scale, layout, constants, label);
        blocks.push(plan.dims);
        const offset = (blocks.length - 1) * ALIGN;
        return { label, pipeline: matmulPipeline(gpu, plan), bindGroup: this.bindGroup('matmul', label, [dimsRange(offset), ...ranges]), ...plan.groups };
      };

      /** reduce_rows: out[r] = scale · Σ_c src[r·cols + c], one workgroup per row. */
      const reduce = (label: string, rows: number, cols: number, s: number, src: Range, out: Range): Dispatch => {
        // NOTE: on SwiftShader a workgroup barrier is expensive: 4 invocations (one SIMD group) measured 2.4 ms for
        // a 512 × 512 reduction where 256 took 112 ms. Real GPUs use 256.
        const wg = Math.min(gpu.swiftshader ? 4 : 256, pow2ceil(cols));
        const offset = block((v) => {
          v.setUint32(0, rows, true);
          v.setUint32(4, cols, true);
          v.setFloat32(8, s, true);
        });
        const pipeline = gpu.kernels.pipeline('reduce_rows', 'main', { WG: wg });
        return { label, pipeline, bindGroup: this.bindGroup('reduce_rows', label, [dimsRange(offset), src, out]), ...fold(rows, label) };
      };

      // forward, per layer
      layers.forEach((layer, l) => {
        this.stepDispatches.push(matmul(
          'forward', `forward layer ${l + 1}`, [layer.units, layer.fanIn, n], 1, { transL: false, transR: false },
          { ACT: ACT_CODE[layer.activation], BIAS: BIAS_CODE[layer.bias] },
          [wRange(l), aPrev(l), bRange(l), this.Z[l], this.A[l]],
        ));
      });
      // output
      {
        const last = layers[L - 1];
        const wg = Math.min(64, pow2ceil(n));
        const groups = Math.ceil(n / wg);
        const offset = block((v) => {
          v.setUint32(0, last.units, true);
          v.setUint32(4, 0, true);
          v.setUint32(8, n, true);
          v.setUint32(12, groups, true);
          v.setUint32(16, groups, true);
          v.setFloat32(20, scale, true);
        });
        const label = `output (${net.loss})`;
        const pipeline = gpu.kernels.pipeline('output', 'main', { LOSS: LOSS_CODE[net.loss], ACT: ACT_CODE[last.activation], WG: wg });
        this.stepDispatches.push({
          label, pipeline, ...fold(groups, label),
          bindGroup: this.bindGroup('output', label, [
            dimsRange(offset), this.Z[L - 1], this.A[L - 1], this.Y, this.delta[L - 1], this.lossPerExample,
          ]),
        });
      }
      // backward, from the last hidden layer down
      for (let l = L - 2; l >= 0; l--) {
        const next = layers[l + 1];
        this.stepDispatches.push(matmul(
          'backward', `backward layer ${l + 1}`, [next.fanIn, next.units, n], 1, { transL: true, transR: false },
          { ACT: ACT_CODE[layers[l].activation] },
          [wRange(l + 1), this.delta[l + 1], this.A[l], this.delta[l], unused],
        ));
      }
      // gradients, per layer
      layers.forEach((layer, l) => {
        // aux is unused: bound to the lhs range again (read-only, so no aliasing of a written range).
        this.stepDispatches.push(matmul(
          'grad_w', `grad_w layer ${l + 1}`, [layer.units, n, layer.fanIn], scale, { transL: false, transR: true }, {},
          [this.delta[l], aPrev(l), this.delta[l], { buffer: this.grads, offset: this.wOff[l], size: 4 * layer.units * layer.fanIn }, unused],
        ));
        if (layer.bias === 'per-unit') {
          this.stepDispatches.push(reduce(
            `grad_b layer ${l + 1}`, layer.units, n, scale, this.delta[l],
            { buffer: this.grads, offset: this.bOff[l], size: 4 * layer.units },
          ));
        } else if (layer.bias === 'shared') {
          const sums = this.rowSums[l]!;
          this.stepDispatches.push(reduce(`row sums layer ${l + 1}`, layer.units, n, 1, this.delta[l], whole(sums)));
          this.stepDispatches.push(reduce(`grad_b (shared) layer ${l + 1}`, 1, layer.units, scale, whole(sums), { buffer: this.grads, offset: this.bOff[l], size: 4 }));
        }
      });
      this.lossDispatch = reduce('loss', 1, n, scale, this.lossPerExample, this.loss);
      // SGD over the whole params buffer, in chunks no larger than one storage binding (./update.ts). update.wgsl's
      // state bindings get placeholders, two (writable bindings may not alias), never touched with OPT sgd.
      const state = [1, 2].map((k) => whole(make(`unused update state ${k} (placeholder)`, 16, S)));
      for (const c of this.updateChunks) {
        const offset = block((v) => {
          v.setUint32(0, c.count, true); // vec4s: shaders/update.wgsl; the rest of its Step block stays 0
          v.setFloat32(4, 0, true);
        });
        this.lrOffsets.push(offset + 4);
        const label = `sgd params[${c.start}..${c.start + c.size})`;
        const range = (buffer: GPUBuffer): Range => ({ buffer, offset: c.start, size: c.size });
        this.sgdDispatches.push({
          label, pipeline: gpu.kernels.pipeline('update', 'main', { WG: UPDATE_WG, OPT: UPDATE_OPT.sgd }), ...c.groups,
          bindGroup: this.bindGroup('update', label, [{ buffer: dims, offset, size: UPDATE_STEP_BYTES }, range(this.params), range(this.grads), ...state]),
        });
      }
      if (blocks.length !== dimsSlots) throw new Error(`internal: ${blocks.length} uniform blocks, ${dimsSlots} slots`);
      const all = new Uint8Array(dimsSlots * ALIGN);
      blocks.forEach((b, k) => all.set(new Uint8Array(b), k * ALIGN));
      this.device.queue.writeBuffer(dims, 0, all);
    } catch (err) {
      this.destroyAll();
      throw err;
    }
  }

  /** How many uniform blocks the dispatches need (one each). */
  private countDispatches(): number {
    const layers = this.net.layers;
    let count = layers.length /* forward */ + 1 /* output */ + (layers.length - 1) /* backward */ + layers.length /* grad_w */;
    for (const layer of layers) count += layer.bias === 'per-unit' ? 1 : layer.bias === 'shared' ? 2 : 0;
    count += 1; // loss
    count += this.updateChunks.length; // sgd
    return count;
  }

  private bindGroup(name: KernelName, label: string, ranges: Range[]): GPUBindGroup {
    return this.device.createBindGroup({
      label,
      layout: this.gpu.kernels.layouts[name],
      entries: ranges.map((r, binding) => ({ binding, resource: { buffer: r.buffer, offset: r.offset, size: r.size } })),
    });
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

  /**
   * The fused path: `steps` steps as ⌊steps / c⌋ dispatches of c steps (desc slot 0) and one of the remainder
   * (slot 1), c = min(steps, perDispatch); one dispatch for any run of a tiny net. One submission, as above.
   */
  private runFused(f: Fused, steps: number, lr: number, update: boolean): void {
    const chunk = Math.min(steps, f.perDispatch);
    const full = Math.floor(steps / chunk);
    const rest = steps - full * chunk;
    const scale = batchScale(this.net, this.n);
    const slot = align(DESC_BYTES);
    const write = (k: 0 | 1, count: number): void => {
      const fields = fusedRunFields(count, update ? lr : 0, scale, update);
      const key = Array.from(new Uint32Array(fields)).join(',');
      if (f.written[k] === key) return;
      f.written[k] = key;
      this.device.queue.writeBuffer(f.desc, k * slot + DESC_RUN_OFFSET, fields);
    };
    write(0, chunk);
    if (rest > 0) write(1, rest);
    const encoder = this.device.createCommandEncoder({ label: `run ${steps} fused step(s)` });
    this.flushSave(encoder);
    const pass = encoder.beginComputePass({ label: `${steps} fused step(s)${update ? ' with SGD' : ''} (train_small ${f.entry})` });
    pass.setPipeline(f.pipeline);
    pass.setBindGroup(0, f.bindGroups[0]);
    for (let k = 0; k < full; k++) pass.dispatchWorkgroups(1);
    if (rest > 0) {
      pass.setBindGroup(0, f.bindGroups[1]);
      pass.dispatchWorkgroups(1);
    }
    pass.end();
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

  /**
   * The max |θ| reduction over the params buffer: one dispatch per chunk no larger than one storage binding
   * (as sgd), every chunk atomicMax-ing into one result. Made on first use (a net that never updates never needs it).
   */
  private maxAbsReduction(): { result: GPUBuffer; dispatches: Dispatch[] } {
    if (this.maxAbsKernel) return this.maxAbsKernel;
    const chunks = this.updateChunks;
    const result = this.createOwned('max |θ| (float32 bits)', 4, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
    const dims = this.createOwned('max |θ| dims', chunks.length * ALIGN, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    const pipeline = this.gpu.kernels.pipeline('max_abs', 'main', { WG: UPDATE_WG });
    const counts = new Uint32Array((chunks.length * ALIGN) / 4);
    const dispatches = chunks.map((c, k): Dispatch => {
      counts[(k * ALIGN) / 4] = c.count; // vec4s: shaders/max_abs.wgsl
      const label = `max |θ| params[${c.start}..${c.start + c.size})`;
      return {
        label, pipeline, x: c.maxAbsGroups, y: 1,
        bindGroup: this.bindGroup('max_abs', label, [{ buffer: dims, offset: k * ALIGN, size: 16 }, { buffer: this.params, offset: c.start, size: c.size }, { buffer: result, offset: 0, size: 4 }]),
      };
    });
    this.device.queue.writeBuffer(dims, 0, counts);
    this.maxAbsKernel = { result, dispatches };
    return this.maxAbsKernel;
  }

  /** Encode the max |θ| reduction into `encoder`: clear its result, then one pass of every chunk's dispatch. */
  private encodeMaxAbs(encoder: GPUCommandEncoder): Range {
    const k = this.maxAbsReduction();
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
