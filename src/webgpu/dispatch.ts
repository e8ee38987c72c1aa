/**
 * The per-kernel path's dispatches (./net.ts): each is one kernel's pipeline, bind group and workgroups, with its
 * uniform block in its own 256-byte slot of one `dims` buffer. `Uniforms` collects the blocks while a net's
 * dispatches are built (matmul and reduce_rows here; a kernel's own block through add / fill) and writes them at once.
 */
import type { WebGpuBackend } from './backend.ts';
import { type EPILOGUE_CODE, type KernelName } from './kernels.ts';
import { fold, matmulPipeline, planMatmul } from './matmul.ts';
import type { Range } from './net.ts';
import { ALIGN, pow2ceil } from './sizes.ts';

export interface Dispatch {
  label: string;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  x: number;
  y: number;
}

/** A whole buffer as a Range. */
export const whole = (buffer: GPUBuffer): Range => ({ buffer, offset: 0, size: buffer.size });

/** A bind group of kernel `name`'s layout: ranges[k] at binding k. */
export function bindGroup(gpu: WebGpuBackend, name: KernelName, label: string, ranges: Range[]): GPUBindGroup {
  return gpu.device.createBindGroup({
    label,
    layout: gpu.kernels.layouts[name],
    entries: ranges.map((r, binding) => ({ binding, resource: { buffer: r.buffer, offset: r.offset, size: r.size } })),
  });
}

export class Uniforms {
  private readonly blocks: ArrayBuffer[] = [];

  constructor(private readonly gpu: WebGpuBackend, readonly dims: GPUBuffer) {}

  /** Add a block (its own slot); its byte offset in dims. */
  add(block: ArrayBuffer): number {
    return (this.blocks.push(block) - 1) * ALIGN;
  }

  /** Add a 32-byte block, zero where `fill` writes nothing; its byte offset in dims. */
  fill(fill: (v: DataView) => void): number {
    const block = new ArrayBuffer(32);
    fill(new DataView(block));
    return this.add(block);
  }

  /** The binding of the 32-byte block at `offset`. */
  range(offset: number): Range {
    return { buffer: this.dims, offset, size: 32 };
  }

  /**
   * One dispatch of shaders/matmul.wgsl (its header lists the three uses): an R × C output, the sum over K;
   * lhs stored K × R when transL, rhs stored C × K when transR; ranges: lhs, rhs, aux, out, out2.
   */
  matmul(
    step: keyof typeof EPILOGUE_CODE, label: string, [R, K, C]: [number, number, number], scale: number,
    layout: { transL: boolean; transR: boolean }, constants: Record<string, number>, ranges: Range[],
  ): Dispatch {
    const plan = planMatmul(this.gpu.variant, step, [R, K, C], scale, layout, constants, label);
    const offset = this.add(plan.dims);
    return { label, pipeline: matmulPipeline(this.gpu, plan), bindGroup: bindGroup(this.gpu, 'matmul', label, [this.range(offset), ...ranges]), ...plan.groups };
  }

  /** reduce_rows: out[r] = scale · Σ_c src[r·cols + c], one workgroup per row. */
  reduce(label: string, rows: number, cols: number, s: number, src: Range, out: Range): Dispatch {
    // NOTE: on SwiftShader a workgroup barrier is expensive: 4 invocations (one SIMD group) measured 2.4 ms for
    // a 512 × 512 reduction where 256 took 112 ms. Real GPUs use 256.
    const wg = Math.min(this.gpu.swiftshader ? 4 : 256, pow2ceil(cols));
    const offset = this.fill((v) => {
      v.setUint32(0, rows, true);
      v.setUint32(4, cols, true);
      v.setFloat32(8, s, true);
    });
    const pipeline = this.gpu.kernels.pipeline('reduce_rows', 'main', { WG: wg });
    return { label, pipeline, bindGroup: bindGroup(this.gpu, 'reduce_rows', label, [this.range(offset), src, out]), ...fold(rows, label) };
  }

  /** Write every block to dims, block k in slot k; `slots`: the count dims was made for. */
  write(slots: number): void {
    if (this.blocks.length !== slots) throw new Error(`internal: ${this.blocks.length} uniform blocks, ${slots} slots`);
    const all = new Uint8Array(slots * ALIGN);
    this.blocks.forEach((b, k) => all.set(new Uint8Array(b), k * ALIGN));
    this.gpu.device.queue.writeBuffer(this.dims, 0, all);
  }
}
