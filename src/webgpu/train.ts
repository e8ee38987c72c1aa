/**
 * The WebGPU trainer (BackendTrainer, src/backend.ts): fit on the device.
 *
 * Nets: a WebGpuNet (./net.ts, per-kernel path) for batches of B does forward, output, backward and the gradients;
 * this file adds, as their own kernels and pipelines:
 *   shaders/gather.wgsl       the mini-batch's columns of the resident data set into the net's X and Y
 *   shaders/epoch_sums.wgsl   the epoch's Σ L_c and correct count (one 32-byte `Sums`, read once per epoch)
 *   shaders/update.wgsl       the optimiser: OPT momentum (sgd / momentum: torch.optim.SGD), state buf;
 *                             OPT adam (adam / adamw), state m and v
 * A partial last batch (n mod B examples) runs on a second WebGpuNet compiled for that size (made on first use) on
 * the main net's buffers (WebGpuNet.smaller): the same params and grads, its X, Y, Z, A, delta and losses the start
 * of the main net's (rows × size values each: a matrix of its own width, not the main one's first columns). So
 * every kernel keeps the sizes (and 1/size) it was built with — the existing kernels are untouched — at the cost
 * of one net's uniform blocks per remainder size, at most REMAINDER_NETS of them held (training set, validation set;
 * a third size gives back the one made first: src/backend.ts remainderNet).
 *
 * Submissions: one runBatches call is one command buffer of up to the backend's stepsPerSubmission batches (4 096;
 * more go in several, one after another), in one compute pass; predict is cut the same way (a pass per batch). The per-step uniforms (gather's start, the optimiser's first-step flag and bias
 * corrections) go in 256-byte slots bound with dynamic offsets, written once per submission. No readback but readSums, predict, read.
 * The optimiser covers params in chunks of at most one storage binding (./update.ts; one chunk below
 * maxStorageBufferBindingSize), one dispatch and one uniform slot per chunk and step.
 */
import epochSumsWgsl from '../../shaders/epoch_sums.wgsl?raw';
import gatherWgsl from '../../shaders/gather.wgsl?raw';
import updateWgsl from '../../shaders/update.wgsl?raw';
import { type BackendData, type BackendTrainer, checkRunOptimizer, remainderNet } from '../backend.ts';
import { DisposedError, SpecError } from '../errors.ts';
import type { Batch, Net, Params } from '../spec.ts';
import { accuracyRule } from '../train/accuracy.ts';
import { type OptimizerConfig, type OptimizerName, type OptimizerState, STATE_SLOTS, stepScalars } from '../train/optimizers.ts';
import type { WebGpuBackend } from './backend.ts';
import { KernelSet, type KernelSource } from './kernels.ts';
import { fold } from './matmul.ts';
import type { Range, WebGpuNet } from './net.ts';
import { paramsFromBytes } from './readback.ts';
import { ALIGN, MIN_SLOTS, bytesOf } from './sizes.ts';
import { UPDATE_OPT, UPDATE_STEP_BYTES, UPDATE_WG, planUpdate, stepBlock, type UpdateChunk } from './update.ts';
import { settleNudged } from './firefox-poll.ts';

const WG = 64;
/** Bytes of gather.wgsl's `Dims` (rows_x, rows_y, count, n, start and 3 pads: 8 u32), the binding of one gather slot. */
export const GATHER_DIMS_BYTES = 32;

type FitKernel = 'gather' | 'epoch_sums' | 'update';
/** epoch_sums.wgsl's `Sums`: Folded (3 f32 + a u32 count), the correct count, padding. */
const SUMS_BYTES = 32;
const FIT_KERNELS: Record<FitKernel, KernelSource> = {
  gather: { file: 'shaders/gather.wgsl', code: gatherWgsl, bindings: ['dynamic', 'read', 'read', 'read', 'rw', 'rw'] },
  epoch_sums: { file: 'shaders/epoch_sums.wgsl', code: epochSumsWgsl, bindings: ['uniform', 'read', 'read', 'read', 'rw'] },
  update: { file: 'shaders/update.wgsl', code: updateWgsl, bindings: ['dynamic', 'rw', 'read', 'rw', 'rw'] },
};

/** The fit kernels' modules, layouts and pipelines, made once per device. */
type FitKernels = KernelSet<FitKernel>;

const kernelsByDevice = new WeakMap<GPUDevice, FitKernels>();

/** Compile the fit kernels for a device (WebGpuBackend.create calls it once, so trainer() can be synchronous). */
export async function prepareFitKernels(device: GPUDevice): Promise<void> {
  if (!kernelsByDevice.has(device)) kernelsByDevice.set(device, await KernelSet.create(device, FIT_KERNELS));
}

/** A WebGpuTrainer for `net` on this backend (its device's fit kernels were prepared by WebGpuBackend.create). */
export function createTrainer(gpu: WebGpuBackend, net: Net, batchSize: number, optimizer: OptimizerName): WebGpuTrainer {
  const kernels = kernelsByDevice.get(gpu.device);
  if (!kernels) throw new Error('internal: the fit kernels were not compiled for this device');
  return new WebGpuTrainer(gpu, kernels, net, batchSize, optimizer);
}

class WebGpuData implements BackendData {
  disposed = false;
  constructor(readonly n: number, readonly X: GPUBuffer, readonly Y: GPUBuffer, private readonly onDispose: (d: WebGpuData) => void) {}
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.onDispose(this);
  }
}

/** A net of one batch size and what this trainer binds to it. */
interface SizedNet {
  net: WebGpuNet;
  size: number;
  buffers: ReturnType<WebGpuNet['fitBuffers']>;
  /** epoch_sums's dims for this size (freed with the net). */
  dims: GPUBuffer;
  sums: GPUBindGroup;
  /** The optimiser's bind groups, one per chunk of params (./update.ts): main params, this net's grads, the state. */
  update: GPUBindGroup[];
}

export class WebGpuTrainer implements BackendTrainer {
  readonly kind = 'webgpu' as const;
  private readonly device: GPUDevice;
  private readonly main: SizedNet;
  private readonly nets = new Map<number, SizedNet>();
  private readonly owned = new Set<GPUBuffer>();
  private readonly data = new Set<WebGpuData>();
  /** Every data set upload() returned (disposed or not): runBatches and predict take only these. */
  private readonly uploaded = new WeakSet<BackendData>();
  private readonly paramBytes: number;
  /** The chunks the optimiser covers params in (./update.ts: one storage binding each, one dispatch each). */
  private readonly chunks: UpdateChunk[];
  private readonly stateBuffers: GPUBuffer[] = [];
  private readonly sums: GPUBuffer;
  private readonly sumsStaging: GPUBuffer;
  /** read()'s staging buffers (params, then each optimiser slot), made on the first read and reused. */
  private readStaging: GPUBuffer[] = [];
  private order: GPUBuffer | null = null;
  private orderLength = 0;
  /** Per-step uniform slots (gather, optimiser): ensureSlots, dropSlots. */
  private gatherSlots: GPUBuffer | null = null;
  private stepSlots: GPUBuffer | null = null;
  private slotCount = 0;
  private t = 0;
  private disposed = false;
  private readonly rule: number;
  private readonly outputs: number;

  constructor(private readonly gpu: WebGpuBackend, private readonly kernels: FitKernels, private readonly netSpec: Net, readonly batchSize: number, readonly optimizer: OptimizerName) {
    this.device = gpu.device;
    this.rule = accuracyRule(netSpec);
    this.outputs = netSpec.layers[netSpec.layers.length - 1].units;
    let first: WebGpuNet | null = null;
    try {
      first = gpu.compile(netSpec, batchSize, { fused: 'off' });
      const buffers = first.fitBuffers();
      this.paramBytes = buffers.paramBytes;
      this.chunks = planUpdate(this.paramBytes, gpu.updateLimits);
      this.sums = this.make('epoch sums (Σ L_c, correct)', SUMS_BYTES, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
      this.sumsStaging = this.make('staging epoch sums', SUMS_BYTES, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
      // update.wgsl's two state bindings: the optimiser's slots (buf; m, v), then 16-byte placeholders it never
      // touches (one vec4 each; two, as writable bindings may not alias).
      const slots = STATE_SLOTS[optimizer];
      for (let k = 0; k < 2; k++) {
        const [label, size] = k < slots.length ? [`optimizer ${slots[k]}`, this.paramBytes] : [`optimizer state ${k + 1} (unused placeholder)`, 16];
        this.stateBuffers.push(this.make(label, size, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC));
      }
      this.main = this.sized(first, buffers);
      this.nets.set(batchSize, this.main);
    } catch (err) {
      // The net compiled first too: it is in `nets` only once its bind groups are made (before, it stayed made).
      first?.dispose();
      this.dispose();
      throw err;
    }
  }

  private make(label: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer {
    const b = this.gpu.createBuffer(label, size, usage);
    this.owned.add(b);
    return b;
  }

  private free(b: GPUBuffer | null): void {
    if (b && this.owned.delete(b)) this.gpu.destroyBuffer(b);
  }

  /**
   * `data` as this trainer's own; SpecError for anything else (another trainer's, another backend's), DisposedError for
   * one since disposed (as the wasm trainer), before any work. NOTE: its X and Y are destroyed: a predict gathered from
   * them answered zeros, and runBatches trained nothing, with no error but the device's uncaptured validation error.
   */
  private own(data: BackendData): WebGpuData {
    if (!this.uploaded.has(data)) throw new SpecError('data', 'not a data set this trainer uploaded (pass what its own upload() returned)');
    if ((data as WebGpuData).disposed) throw new DisposedError('this data set');
    return data as WebGpuData;
  }

  private live(): void {
    if (this.disposed) throw new DisposedError('this WebGPU trainer');
    this.gpu.check('this WebGPU trainer');
  }

  private whole = (buffer: GPUBuffer): GPUBufferBinding => ({ buffer, offset: 0, size: buffer.size });
  private range = (r: Range): GPUBufferBinding => ({ buffer: r.buffer, offset: r.offset, size: r.size });

  private bind(name: FitKernel, label: string, resources: GPUBufferBinding[]): GPUBindGroup {
    return this.device.createBindGroup({ label, layout: this.kernels.layouts[name], entries: resources.map((resource, binding) => ({ binding, resource })) });
  }

  private sized(net: WebGpuNet, buffers = net.fitBuffers()): SizedNet {
    const size = net.n;
    const dims = this.make(`epoch_sums dims (batch ${size})`, 16, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.device.queue.writeBuffer(dims, 0, new Uint32Array([this.outputs, size, 0, 0]));
    const sums = this.bind('epoch_sums', `epoch_sums (batch ${size})`, [this.whole(dims), this.range(buffers.lossPerExample), this.range(buffers.A), this.range(buffers.Y), this.whole(this.sums)]);
    const params = this.main?.buffers.params ?? buffers.params;
    const update = this.updateGroups(params, buffers.grads, size);
    return { net, size, buffers, dims, sums, update };
  }

  /** One bind group per chunk: the step slot (dynamic offset), and the chunk's range of params, grads and state. */
  private updateGroups(params: GPUBuffer, grads: GPUBuffer, size: number): GPUBindGroup[] {
    const step: GPUBufferBinding = { buffer: this.ensureSlots(1).step, offset: 0, size: UPDATE_STEP_BYTES };
    const slots = STATE_SLOTS[this.optimizer].length;
    return this.chunks.map((c) => {
      const range = (buffer: GPUBuffer): GPUBufferBinding => ({ buffer, offset: c.start, size: c.size });
      const state = this.stateBuffers.map((b, k) => (k < slots ? range(b) : this.whole(b)));
      return this.bind('update', `${this.optimizer} update params[${c.start}..${c.start + c.size}) (grads of batch ${size})`, [step, range(params), range(grads), ...state]);
    });
  }

  /**
   * The per-step uniform buffers with at least `count` slots (made again, with max(count, MIN_SLOTS) slots, when they
   * hold fewer; bind groups remade): one gather slot per step, and one optimiser slot per step and chunk (step i,
   * chunk k at slot i·chunks + k). writeState and writeOrder give back more than MIN_SLOTS (dropSlots), so that a fit
   * holds what its own submissions and validation pass need (src/budget.ts fitTrainerNeeds), not what an earlier one's did.
   */
  private ensureSlots(count: number): { gather: GPUBuffer; step: GPUBuffer } {
    if (this.gatherSlots && this.stepSlots && this.slotCount >= count) return { gather: this.gatherSlots, step: this.stepSlots };
    const slots = Math.max(count, MIN_SLOTS);
    this.releaseSlots(); // forgotten before the new ones are made (writeOrder's NOTE)
    this.gatherSlots = this.make(`gather slots (${slots})`, slots * ALIGN, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.stepSlots = this.make(`optimizer step slots (${slots} × ${this.chunks.length} chunks)`, slots * this.chunks.length * ALIGN, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.slotCount = slots;
    // Bind groups that hold the old slot buffers are remade.
    if (this.main) {
      for (const s of this.nets.values()) s.update = this.updateGroups(this.main.buffers.params, s.buffers.grads, s.size);
    }
    this.gatherGroups = new WeakMap();
    return { gather: this.gatherSlots, step: this.stepSlots };
  }

  /**
   * The net for batches of `size`: the main one, or a remainder net on its buffers (remainderNet's: a dropped one's
   * submitted work runs on).
   */
  private netFor(size: number): SizedNet {
    return remainderNet(this.nets, this.main, size, () => {
      const net = this.main.net.smaller(size);
      try {
        return this.sized(net);
      } catch (err) {
        net.dispose(); // not in `nets` yet: nothing else would (before, it stayed made)
        throw err;
      }
    }, (s) => {
      s.net.dispose();
      this.free(s.dims);
    });
  }

  upload(batch: Batch): BackendData {
    this.live();
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
    const X = this.make(`data X (${this.netSpec.inputs} × ${batch.n})`, 4 * batch.X.length, usage);
    let Y: GPUBuffer | null = null;
    try {
      Y = this.make(`data Y (${this.outputs} × ${batch.n})`, 4 * batch.Y.length, usage);
      this.device.queue.writeBuffer(X, 0, bytesOf(batch.X));
      this.device.queue.writeBuffer(Y, 0, bytesOf(batch.Y));
    } catch (err) {
      // What this call made goes with it (before, X stayed until the trainer went).
      this.free(X);
      this.free(Y);
      throw err;
    }
    const d = new WebGpuData(batch.n, X, Y, (x) => {
      this.data.delete(x);
      this.free(x.X);
      this.free(x.Y);
    });
    this.data.add(d);
    this.uploaded.add(d);
    return d;
  }

  writeParams(p: Params): void {
    this.live();
    this.main.net.writeParams(p);
  }

  writeState(state: OptimizerState): void {
    this.live();
    if (state.name !== this.optimizer) throw new Error(`internal: ${state.name} state for a ${this.optimizer} trainer`);
    this.dropSlots(); // a fit starts here: before it uploads its data
    this.t = state.t;
    const { wOff, bOff } = this.main.net.layout();
    STATE_SLOTS[this.optimizer].forEach((slot, k) => {
      const packed = new Float32Array(this.paramBytes / 4);
      state.slots[slot].W.forEach((a, l) => packed.set(a, wOff[l] / 4));
      state.slots[slot].b.forEach((a, l) => packed.set(a, bOff[l] / 4));
      this.device.queue.writeBuffer(this.stateBuffers[k], 0, packed);
    });
  }

  writeOrder(order: Uint32Array): void {
    this.live();
    if (!this.order || this.orderLength !== order.length) {
      // NOTE: the old order is forgotten before the new one is made, which may throw: before, `order` still named the
      // destroyed buffer with its length, and the next writeOrder of that length wrote into it, runBatches gathered
      // through it, and the epoch trained nothing (sums 0) with no error. The slots likewise (ensureSlots).
      this.dropOrder();
      this.order = this.make(`example order (${order.length})`, 4 * order.length, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
      this.orderLength = order.length;
    }
    this.device.queue.writeBuffer(this.order, 0, bytesOf(order));
    this.device.queue.writeBuffer(this.sums, 0, new Uint8Array(SUMS_BYTES)); // a new epoch: Σ L_c and the correct count from 0
    this.dropSlots();
  }

  dropOrder(): void {
    this.free(this.order);
    this.order = null;
    this.orderLength = 0;
    this.gatherGroups = new WeakMap(); // the groups bound the order
  }

  /** Give back more uniform slots than MIN_SLOTS (made for an earlier epoch's or fit's submissions or validation pass: ensureSlots). */
  private dropSlots(): void {
    if (this.slotCount > MIN_SLOTS) this.releaseSlots();
  }

  /** Free the uniform slots and forget them (ensureSlots makes them again). */
  private releaseSlots(): void {
    this.free(this.gatherSlots);
    this.free(this.stepSlots);
    this.gatherSlots = this.stepSlots = null;
    this.slotCount = 0;
  }

  /** gather bind groups per data set, order buffer and net; remade when a slot or order buffer changes. */
  private gatherGroups = new WeakMap<WebGpuData, WeakMap<GPUBuffer, WeakMap<SizedNet, GPUBindGroup>>>();

  private gatherGroup(d: WebGpuData, s: SizedNet, order: GPUBuffer): GPUBindGroup {
    let byOrder = this.gatherGroups.get(d);
    if (!byOrder) this.gatherGroups.set(d, (byOrder = new WeakMap()));
    let byNet = byOrder.get(order);
    if (!byNet) byOrder.set(order, (byNet = new WeakMap()));
    let g = byNet.get(s);
    if (!g) {
      g = this.bind('gather', `gather into batch ${s.size}`, [
        { buffer: this.gatherSlots!, offset: 0, size: GATHER_DIMS_BYTES }, this.whole(order), this.whole(d.X), this.whole(d.Y), this.range(s.buffers.X), this.range(s.buffers.Y),
      ]);
      byNet.set(s, g);
    }
    return g;
  }

  /** Write batch k's gather block into slot `slot`. */
  private gatherBlock(all: Uint32Array, slot: number, count: number, n: number, start: number): void {
    all.set([this.netSpec.inputs, this.outputs, count, n, start], (slot * ALIGN) / 4);
  }

  private encodeGather(pass: GPUComputePassEncoder, d: WebGpuData, s: SizedNet, order: GPUBuffer, slot: number): void {
    const elements = (this.netSpec.inputs + this.outputs) * s.size;
    pass.setPipeline(this.kernels.pipeline('gather', 'main', { WG }));
    pass.setBindGroup(0, this.gatherGroup(d, s, order), [slot * ALIGN]);
    const groups = fold(Math.ceil(elements / WG), 'gather');
    pass.dispatchWorkgroups(groups.x, groups.y);
  }

  runBatches(data: BackendData, first: number, count: number, o: OptimizerConfig): void {
    this.live();
    checkRunOptimizer(this.optimizer, o);
    const d = this.own(data);
    if (!this.order || this.orderLength !== d.n) throw new Error('internal: writeOrder for this data first');
    // At most stepsPerSubmission batches a command buffer (as train() does), so neither the command buffer nor the
    // uniform slots grow with batchesPerSubmission. The slots are rewritten for each submission: queue writes and
    // submissions run in order, so a submission reads the slots written before it.
    const per = this.gpu.stepsPerSubmission;
    for (let done = 0; done < count; done += per) this.submitBatches(d, this.order, first + done, Math.min(per, count - done), o);
  }

  /** Batches first … first + count − 1 of the order, each a step and its update, in one command buffer. */
  private submitBatches(d: WebGpuData, order: GPUBuffer, first: number, count: number, o: OptimizerConfig): void {
    const B = this.batchSize;
    const { gather, step } = this.ensureSlots(count);
    const gatherBlocks = new Uint32Array((count * ALIGN) / 4);
    const chunks = this.chunks;
    const stepBlocks = new ArrayBuffer(count * chunks.length * ALIGN);
    const adam = o.name === 'adam' || o.name === 'adamw';
    const plan: SizedNet[] = [];
    for (let i = 0; i < count; i++) {
      const start = (first + i) * B;
      const s = this.netFor(Math.min(B, d.n - start));
      plan.push(s);
      this.gatherBlock(gatherBlocks, i, s.size, d.n, start);
      const { stepSize, bias2Sqrt, first: isFirst } = stepScalars(o, this.t + i + 1);
      chunks.forEach((c, k) => {
        const v = new DataView(stepBlocks, (i * chunks.length + k) * ALIGN, UPDATE_STEP_BYTES);
        stepBlock(v, adam
          ? {
            count: c.count, lr: o.lr, weightDecay: o.weightDecay, beta1: o.beta1, beta2: o.beta2, eps: o.eps, stepSize, bias2Sqrt, decoupled: o.name === 'adamw',
            // in float64, as the CPU's adam() computes them (update.wgsl's NOTE)
            oneMinusBeta1: 1 - o.beta1, oneMinusBeta2: 1 - o.beta2, decay: 1 - o.lr * o.weightDecay,
          }
          : { count: c.count, lr: o.lr, weightDecay: o.weightDecay, mu: o.momentum, nesterov: o.nesterov, first: isFirst });
      });
    }
    this.device.queue.writeBuffer(gather, 0, gatherBlocks);
    this.device.queue.writeBuffer(step, 0, stepBlocks);
    const update = this.kernels.pipeline('update', 'main', { WG: UPDATE_WG, OPT: adam ? UPDATE_OPT.adam : UPDATE_OPT.momentum });
    const sums = this.kernels.pipeline('epoch_sums', 'main', { RULE: this.rule });
    const encoder = this.device.createCommandEncoder({ label: `fit batches ${first}…${first + count - 1}` });
    let pass: GPUComputePassEncoder | null = null;
    for (let i = 0; i < count; i++) {
      const s = plan[i];
      pass ??= encoder.beginComputePass({ label: `fit batches (from ${first + i})` });
      this.encodeGather(pass, d, s, order, i);
      s.net.encodeStep(pass);
      pass.setPipeline(sums);
      pass.setBindGroup(0, s.sums);
      pass.dispatchWorkgroups(1);
      pass.setPipeline(update);
      for (let k = 0; k < chunks.length; k++) {
        pass.setBindGroup(0, s.update[k], [(i * chunks.length + k) * ALIGN]);
        pass.dispatchWorkgroups(chunks[k].groups.x, chunks[k].groups.y);
      }
    }
    pass?.end();
    // Counted with the submission: a throw before it (a remainder net that cannot be made) leaves t as it was.
    this.t += count;
    this.device.queue.submit([encoder.finish()]);
  }

  async settled(): Promise<void> {
    this.live();
    try {
      // In Firefox, nudged while pending (./firefox-poll.ts: its 100 ms poll settles this too).
      await settleNudged(this.device, this.device.queue.onSubmittedWorkDone());
    } catch (err) {
      throw await this.gpu.failure('this WebGPU trainer', err);
    }
    // The wait resolves when the device is destroyed or lost too (Dawn): nothing ran then.
    this.live();
  }

  async readSums(): Promise<{ loss: number; correct: number }> {
    this.live();
    const encoder = this.device.createCommandEncoder({ label: 'read epoch sums' });
    encoder.copyBufferToBuffer(this.sums, 0, this.sumsStaging, 0, SUMS_BYTES);
    encoder.clearBuffer(this.sums);
    this.device.queue.submit([encoder.finish()]);
    try {
      await this.gpu.mapRead(this.sumsStaging);
    } catch (err) {
      throw await this.gpu.failure('this WebGPU trainer', err);
    }
    this.live(); // disposed while the map was in flight: its buffers go once it settled, after this (WebGpuBackend maps)
    const bytes = this.sumsStaging.getMappedRange().slice(0);
    this.sumsStaging.unmap();
    // epoch_sums.wgsl's Sums: the loss's three levels (f32), its term count, then the correct count (u32).
    const levels = new Float32Array(bytes, 0, 3);
    return { loss: levels[0] + levels[1] + levels[2], correct: new Uint32Array(bytes, 16, 1)[0] };
  }

  async predict(data: BackendData): Promise<{ A: Float32Array; losses: Float32Array }> {
    this.live();
    const d = this.own(data);
    const n = d.n;
    const B = this.batchSize;
    const batches = Math.ceil(n / B);
    this.dropSlots(); // what the fit's submissions needed: predict's own need is counted (src/budget.ts checkFitBudget)
    const { gather } = this.ensureSlots(Math.min(batches, this.gpu.stepsPerSubmission));
    // Made inside the try, so that the finally frees those made when one cannot be (before, they stayed until the trainer went).
    let identity: GPUBuffer | null = null;
    let outA: GPUBuffer | null = null;
    let outL: GPUBuffer | null = null;
    try {
      identity = this.make(`identity order (${n})`, 4 * n, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
      outA = this.make(`predict A_L (${n} examples, batch-major)`, 4 * this.outputs * n, GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ);
      outL = this.make(`predict L_c (${n})`, 4 * n, GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ);
      this.device.queue.writeBuffer(identity, 0, Uint32Array.from({ length: n }, (_, c) => c));
      // In submissions of at most stepsPerSubmission batches, as runBatches: the slots are rewritten for each.
      const per = this.gpu.stepsPerSubmission;
      for (let k0 = 0; k0 < batches; k0 += per) {
        const count = Math.min(per, batches - k0);
        const blocks = new Uint32Array((count * ALIGN) / 4);
        for (let i = 0; i < count; i++) this.gatherBlock(blocks, i, Math.min(B, n - (k0 + i) * B), n, (k0 + i) * B);
        this.device.queue.writeBuffer(gather, 0, blocks);
        const encoder = this.device.createCommandEncoder({ label: `predict ${n} examples (batches ${k0}…${k0 + count - 1})` });
        for (let i = 0; i < count; i++) {
          const start = (k0 + i) * B;
          const s = this.netFor(Math.min(B, n - start));
          const pass = encoder.beginComputePass({ label: `predict batch ${k0 + i}` });
          this.encodeGather(pass, d, s, identity, i);
          s.net.encodeStep(pass, true);
          pass.end();
          encoder.copyBufferToBuffer(s.buffers.A.buffer, s.buffers.A.offset, outA, 4 * this.outputs * start, 4 * this.outputs * s.size);
          encoder.copyBufferToBuffer(s.buffers.lossPerExample.buffer, s.buffers.lossPerExample.offset, outL, 4 * start, 4 * s.size);
        }
        this.device.queue.submit([encoder.finish()]);
      }
      try {
        await Promise.all([this.gpu.mapRead(outA), this.gpu.mapRead(outL)]);
      } catch (err) {
        throw await this.gpu.failure('this WebGPU trainer', err);
      }
      this.live(); // disposed while the maps were in flight (as readSums)
      const batchMajor = new Float32Array(outA.getMappedRange());
      const losses = new Float32Array(outL.getMappedRange()).slice();
      // batch k's A_L is (outputs × size) at offset outputs·start: rearrange into (outputs × n).
      const A = new Float32Array(this.outputs * n);
      for (let start = 0; start < n; start += B) {
        const size = Math.min(B, n - start);
        for (let i = 0; i < this.outputs; i++) A.set(batchMajor.subarray(this.outputs * start + i * size, this.outputs * start + (i + 1) * size), i * n + start);
      }
      outA.unmap();
      outL.unmap();
      return { A, losses };
    } finally {
      this.gatherGroups = new WeakMap(); // the groups bound `identity`
      this.free(identity);
      this.free(outA);
      this.free(outL);
    }
  }

  async read(): Promise<{ params: Params; state: OptimizerState }> {
    this.live();
    const slots = STATE_SLOTS[this.optimizer];
    // NOTE: one staging buffer per region (the params, then each optimiser slot), not one of paramBytes × (1 +
    // slots): each is no larger than the params buffer itself, so none can pass maxBufferSize where the net fits.
    // Made on the first read and kept: a read each epoch made (1 + slots) new ones.
    const sources = [this.main.buffers.params, ...slots.map((_, k) => this.stateBuffers[k])];
    const labels = ['params', ...slots.map((slot) => `optimizer ${slot}`)];
    const staging = this.readStaging;
    try {
      // Made inside the try: the catch frees those made when one cannot be (before, they stayed until the trainer went).
      if (staging.length === 0) sources.forEach((_, k) => staging.push(this.make(`staging ${labels[k]}`, this.paramBytes, GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ)));
      const encoder = this.device.createCommandEncoder({ label: 'read params + optimizer state' });
      sources.forEach((src, k) => encoder.copyBufferToBuffer(src, 0, staging[k], 0, this.paramBytes));
      this.device.queue.submit([encoder.finish()]);
      try {
        await Promise.all(staging.map((s) => this.gpu.mapRead(s)));
      } catch (err) {
        throw await this.gpu.failure('this WebGPU trainer', err);
      }
      this.live(); // disposed while the maps were in flight (as readSums)
      const { wOff, bOff } = this.main.net.layout();
      const [params, ...states] = staging.map((s) => paramsFromBytes(s.getMappedRange(), this.netSpec.layers, wOff, bOff));
      const state: OptimizerState = { name: this.optimizer, t: this.t, slots: Object.fromEntries(slots.map((slot, k) => [slot, states[k]])) };
      for (const s of staging) s.unmap();
      return { params, state };
    } catch (err) {
      // A failed read may leave some mapped: the next read makes new ones.
      for (const s of staging) this.free(s);
      this.readStaging = [];
      throw err;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.nets.values()) s.net.dispose();
    this.nets.clear();
    for (const b of this.owned) this.gpu.destroyBuffer(b);
    this.owned.clear();
    this.data.clear();
  }
}
