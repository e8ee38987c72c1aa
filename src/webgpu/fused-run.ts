/**
 * A WebGpuNet's fused path (./net.ts; the kernel and its layout: ./fused.ts): one packed `acts` buffer (X, Y, every
 * Z_l, A_l, delta_l, the per-example losses and the loss), the net description `desc` in two slots, one pipeline of
 * shaders/train_small.wgsl and its two bind groups; a run of k steps as dispatches of c steps (slot 0) and one of
 * the remainder (slot 1).
 */
import type { Net } from '../spec.ts';
import type { WebGpuBackend } from './backend.ts';
import { bindGroup } from './dispatch.ts';
import { DESC_BYTES, DESC_RUN_OFFSET, actsLayout, fusedCap, fusedDesc, fusedRunFields, fusedStepsPerDispatch, isTinyEntry, tinyConstants, type FusedEntry } from './fused.ts';
import type { Io, Range } from './net.ts';
import { ALIGN } from './sizes.ts';

const align = (x: number): number => Math.ceil(x / ALIGN) * ALIGN;

/** What the fused path binds of its net: params and grads (paramBytes each), W_l's and b_l's offsets in them. */
export interface FusedParams {
  params: GPUBuffer;
  grads: GPUBuffer;
  paramBytes: number;
  wOff: number[];
  bOff: number[];
}

export class FusedRun {
  readonly entry: FusedEntry;
  /** Steps one dispatch runs at most. */
  readonly perDispatch: number;
  /** X, Y and the losses: ranges of `acts`. */
  readonly io: Io;
  /** Every layer's Z, A and delta: ranges of `acts`. */
  readonly Z: Range[] = [];
  readonly A: Range[] = [];
  readonly delta: Range[] = [];
  private readonly gpu: WebGpuBackend;
  private readonly scale: number;
  private readonly pipeline: GPUComputePipeline;
  /** Bind groups of desc slot 0 (c steps) and slot 1 (the remainder). */
  private readonly bindGroups: [GPUBindGroup, GPUBindGroup];
  private readonly desc: GPUBuffer;
  /** The run fields last written to each slot (skip rewriting them when unchanged). */
  private readonly written: [string, string] = ['', ''];

  /** Its buffers come from `createBuffer` (the net's, destroyed with it). */
  constructor(
    gpu: WebGpuBackend, net: Net, n: number, entry: FusedEntry, workgroup: number, scale: number, p: FusedParams,
    createBuffer: (label: string, size: number, usage: GPUBufferUsageFlags) => GPUBuffer,
  ) {
    this.gpu = gpu;
    this.entry = entry;
    this.scale = scale;
    const lay = actsLayout(net, n);
    const acts = createBuffer('acts (X, Y, every Z_l, A_l, delta_l, losses)', 4 * lay.size, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC);
    const at = (offset: number, floats: number): Range => ({ buffer: acts, offset: 4 * offset, size: 4 * floats });
    this.io = { X: at(lay.X, net.inputs * n), Y: at(lay.Y, net.layers[net.layers.length - 1].units * n), lossPerExample: at(lay.lossPerExample, n), loss: at(lay.loss, 1) };
    net.layers.forEach((layer, l) => {
      this.Z.push(at(lay.Z[l], layer.units * n));
      this.A.push(at(lay.A[l], layer.units * n));
      this.delta.push(at(lay.delta[l], layer.units * n));
    });
    const slot = align(DESC_BYTES);
    this.desc = createBuffer('train_small desc (2 slots)', 2 * slot, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    const block = fusedDesc(net, n, scale, p.wOff, p.bOff, lay);
    gpu.device.queue.writeBuffer(this.desc, 0, block);
    gpu.device.queue.writeBuffer(this.desc, slot, block);
    const cap = fusedCap(net, n);
    const constants: Record<string, number> = isTinyEntry(entry) ? tinyConstants(net) : entry === 'group' ? { WG: workgroup, CAP: cap } : { CAP: cap };
    this.pipeline = gpu.kernels.pipeline('train_small', `main_${entry}`, constants);
    const group = (k: number): GPUBindGroup => bindGroup(gpu, 'train_small', `train_small (${entry}) desc slot ${k}`, [
      { buffer: this.desc, offset: k * slot, size: DESC_BYTES },
      { buffer: p.params, offset: 0, size: p.paramBytes },
      { buffer: p.grads, offset: 0, size: p.paramBytes },
      { buffer: acts, offset: 0, size: 4 * lay.size },
    ]);
    this.bindGroups = [group(0), group(1)];
    this.perDispatch = fusedStepsPerDispatch(net, n, entry);
  }

  /**
   * `steps` steps into `encoder`, one compute pass: ⌊steps / c⌋ dispatches of c steps (desc slot 0) and one of the
   * remainder (slot 1), c = min(steps, perDispatch). The slots' run fields
   * are written (queue.writeBuffer, before the encoder is submitted) where they changed.
   */
  encode(encoder: GPUCommandEncoder, steps: number, lr: number, update: boolean): void {
    const chunk = Math.min(steps, this.perDispatch);
    const full = Math.floor(steps / chunk);
    const rest = steps - full * chunk;
    const slot = align(DESC_BYTES);
    const write = (k: 0 | 1, count: number): void => {
      const fields = fusedRunFields(count, update ? lr : 0, this.scale, update);
      const key = Array.from(new Uint32Array(fields)).join(',');
      if (this.written[k] === key) return;
      this.written[k] = key;
      this.gpu.device.queue.writeBuffer(this.desc, k * slot + DESC_RUN_OFFSET, fields);
    };
    write(0, chunk);
    if (rest > 0) write(1, rest);
    const pass = encoder.beginComputePass({ label: `${steps} fused step(s)${update ? ' with SGD' : ''} (train_small ${this.entry})` });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroups[0]);
    for (let k = 0; k < full; k++) pass.dispatchWorkgroups(1);
    if (rest > 0) {
      pass.setBindGroup(0, this.bindGroups[1]);
      pass.dispatchWorkgroups(1);
    }
    pass.end();
  }
}
