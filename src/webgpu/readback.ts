/**
 * NetReader: reading a WebGpuNet's state back (./net.ts `read`). One read is one command encoder ('read') of
 * copies into mappable staging buffers — one per category, made on first use and reused — (plus the max |θ|
 * reduction the net encodes), one submission, then mapAsync on each. Reads run one after another: a second
 * mapAsync on a busy staging buffer is an error.
 *
 * The net hands over what is read through ReadSource (its buffers, their layout, and its lifecycle); the reader
 * owns only the staging buffers' bookkeeping and the chain of reads in flight.
 */
import type { ReadRequest, Readback } from '../backend.ts';
import { DisposedError } from '../errors.ts';
import type { Layer } from '../spec.ts';
import { biasLength } from '../spec.ts';
import type { WebGpuBackend } from './backend.ts';
import type { Range } from './net.ts';

type Category = 'loss' | 'params' | 'grads' | 'Z' | 'A' | 'delta' | 'maxAbs';

/** W_l and b_l (copies) from bytes in the params layout: W_l at wOff[l], b_l at bOff[l] (./net.ts; fit's state too). */
export function paramsFromBytes(bytes: ArrayBuffer, layers: readonly Layer[], wOff: readonly number[], bOff: readonly number[]): { W: Float32Array[]; b: Float32Array[] } {
  return {
    W: layers.map((layer, l) => new Float32Array(bytes, wOff[l], layer.units * layer.fanIn).slice()),
    b: layers.map((layer, l) => new Float32Array(bytes, bOff[l], biasLength(layer)).slice()),
  };
}

/** A mappable staging buffer for one category of readback, made on first use and reused. */
interface Staging {
  buffer: GPUBuffer;
  size: number;
}

/** What a NetReader reads from: one net's buffers and layout (./net.ts), and hooks into its lifecycle. */
export interface ReadSource {
  readonly layers: readonly Layer[];
  readonly n: number;
  /** Byte offsets of W_l and b_l in params (and dW_l, db_l in grads). */
  readonly wOff: readonly number[];
  readonly bOff: readonly number[];
  /** The whole params and grads layouts (paramBytes each). */
  readonly params: Range;
  readonly grads: Range;
  readonly loss: Range;
  readonly Z: readonly Range[];
  readonly A: readonly Range[];
  readonly delta: readonly Range[];
  /** Throws DisposedError after dispose, or the device's error once it is lost. */
  live(): void;
  disposed(): boolean;
  /** A buffer the net destroys with its own on dispose. */
  createBuffer(label: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer;
  /** Encode the max |θ| reduction over params into `encoder`; the 4-byte range its result lands in. */
  encodeMaxAbs(encoder: GPUCommandEncoder): Range;
}

export class NetReader {
  private readonly staging = new Map<Category, Staging>();
  /** Settles when the last read started so far has finished. */
  private reading: Promise<void> | null = null;

  constructor(private readonly gpu: WebGpuBackend, private readonly src: ReadSource) {}

  /** Reads run one after another (a second mapAsync on a busy buffer is an error). */
  read(request: ReadRequest): Promise<Readback> {
    // With no read in flight, start now (copies submitted and mapAsync called before this returns);
    // otherwise after the reads before it.
    const start = (): Promise<Readback> => this.readNow(request);
    const next = this.reading ? this.reading.then(start) : start();
    const settled: Promise<void> = next.then(() => undefined, () => undefined);
    this.reading = settled;
    void settled.then(() => {
      if (this.reading === settled) this.reading = null;
    });
    return next;
  }

  /** Forget the staging buffers (the next read makes them again): they are returned, for the owner to destroy. */
  clear(): GPUBuffer[] {
    const buffers = [...this.staging.values()].map((s) => s.buffer);
    this.staging.clear();
    return buffers;
  }

  private stagingFor(category: Category, size: number): Staging {
    let s = this.staging.get(category);
    if (!s) {
      const buffer = this.src.createBuffer(`staging ${category}`, size, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
      s = { buffer, size: buffer.size };
      this.staging.set(category, s);
    }
    return s;
  }

  private async readNow(r: ReadRequest): Promise<Readback> {
    const src = this.src;
    src.live();
    const layers = src.layers;
    const n = src.n;
    const device = this.gpu.device;
    const encoder = device.createCommandEncoder({ label: 'read' });
    const jobs: { category: Category; staging: Staging }[] = [];
    const copyWhole = (category: Category, from: Range): void => {
      const staging = this.stagingFor(category, from.size);
      encoder.copyBufferToBuffer(from.buffer, from.offset, staging.buffer, 0, from.size);
      jobs.push({ category, staging });
    };
    /** Per-layer (units × n) buffers packed one after another. */
    const layerOffsets = layers.map((_, l) => 4 * n * layers.slice(0, l).reduce((a, x) => a + x.units, 0));
    const layerBytes = 4 * n * layers.reduce((a, x) => a + x.units, 0);
    const copyLayers = (category: Category, from: readonly Range[]): void => {
      const staging = this.stagingFor(category, layerBytes);
      from.forEach((r, l) => encoder.copyBufferToBuffer(r.buffer, r.offset, staging.buffer, layerOffsets[l], 4 * layers[l].units * n));
      jobs.push({ category, staging });
    };
    if (r.loss) copyWhole('loss', src.loss);
    if (r.maxAbs) copyWhole('maxAbs', src.encodeMaxAbs(encoder));
    if (r.params) copyWhole('params', src.params);
    if (r.grads) copyWhole('grads', src.grads);
    if (r.Z) copyLayers('Z', src.Z);
    if (r.A) copyLayers('A', src.A);
    if (r.delta) copyLayers('delta', src.delta);
    const out: Readback = {};
    if (jobs.length === 0) return out;
    device.queue.submit([encoder.finish()]);
    try {
      await Promise.all(jobs.map((j) => this.gpu.mapRead(j.staging.buffer)));
    } catch (err) {
      for (const j of jobs) if (j.staging.buffer.mapState === 'mapped') j.staging.buffer.unmap();
      throw await this.gpu.failure('this WebGPU net', err);
    }
    // The net, or its backend, disposed while the maps were in flight (the backend destroys the device once they settle).
    if (src.disposed() || this.gpu.isDisposed) throw new DisposedError('this WebGPU net');
    const byParamLayout = (bytes: ArrayBuffer) => paramsFromBytes(bytes, layers, src.wOff, src.bOff);
    for (const { category, staging } of jobs) {
      const bytes = staging.buffer.getMappedRange();
      switch (category) {
        case 'loss': out.loss = new Float32Array(bytes, 0, 1)[0]; break;
        case 'maxAbs': {
          // Bits ≥ 0x7f800000: a parameter is ±Inf or NaN (shaders/max_abs.wgsl).
          const bits = new Uint32Array(bytes, 0, 1)[0];
          out.maxAbs = bits >= 0x7f800000 ? Infinity : new Float32Array(bytes, 0, 1)[0];
          break;
        }
        case 'params': out.params = byParamLayout(bytes); break;
        case 'grads': {
          const { W: dW, b: db } = byParamLayout(bytes);
          out.dW = dW;
          out.db = db;
          break;
        }
        case 'Z': case 'A': case 'delta':
          out[category] = layers.map((layer, l) => new Float32Array(bytes, layerOffsets[l], layer.units * n).slice());
          break;
      }
      staging.buffer.unmap();
    }
    return out;
  }
}
