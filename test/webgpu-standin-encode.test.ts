/**
 * What the WebGPU host code writes and encodes, on a stand-in device that records it (no GPU; review wgmut55, a
 * mutation audit of src/webgpu/*.ts):
 * - the fused path's run of k steps (src/webgpu/fused-run.ts FusedRun.encode): ⌊k / c⌋ dispatches of c steps on desc
 *   slot 0 and one of the remainder on slot 1, each slot's run fields (steps, lr, scale, update) written where they
 *   changed. The Dawn run never splits a run (its nets' c is in the thousands), so a remainder dispatch given c steps,
 *   or a changed lr not written, gave wrong parameters unseen there.
 * - the max |θ| reduction's counts (src/webgpu/update.ts maxAbsReduction): one block per chunk, each its chunk's vec4s,
 *   so a diverged value in a chunk's last vec4 (a 64-unit bias fills its 256-byte block) is not missed.
 * Expected values are worked by hand from the layouts (fused.ts DESC_BYTES: 4 · 12 · 5 = 240 bytes, a 256-byte slot;
 * the run fields at byte 12) and the step counts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Net } from '../src/spec.ts';
import type { WebGpuBackend } from '../src/webgpu/backend.ts';
import { FusedRun } from '../src/webgpu/fused-run.ts';
import { maxAbsReduction, planUpdate } from '../src/webgpu/update.ts';

interface Write { label: string; offset: number; bytes: ArrayBuffer }
interface Buf { label: string; size: number }

/** A stand-in WebGpuBackend: records queue writes; pipelines and bind groups are labelled objects. */
function standIn(): { gpu: WebGpuBackend; writes: Write[] } {
  const writes: Write[] = [];
  const device = {
    queue: {
      writeBuffer: (buffer: Buf, offset: number, data: ArrayBuffer | ArrayBufferView) => {
        const bytes = data instanceof ArrayBuffer ? data.slice(0) : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
        writes.push({ label: buffer.label, offset, bytes: bytes as ArrayBuffer });
      },
    },
    createBindGroup: (d: { label: string }) => ({ label: d.label }),
  };
  const kernels = { layouts: new Proxy({}, { get: () => ({}) }), pipeline: (name: string, entry: string) => ({ label: `${name}.${entry}` }) };
  return { gpu: { device, kernels } as unknown as WebGpuBackend, writes };
}

const createBuffer = (label: string, size: number): GPUBuffer => ({ label, size }) as unknown as GPUBuffer;

const saved = (globalThis as { GPUBufferUsage?: unknown }).GPUBufferUsage;
beforeEach(() => {
  (globalThis as { GPUBufferUsage?: unknown }).GPUBufferUsage = { MAP_READ: 1, COPY_SRC: 4, COPY_DST: 8, UNIFORM: 64, STORAGE: 128 };
});
afterEach(() => {
  (globalThis as { GPUBufferUsage?: unknown }).GPUBufferUsage = saved;
});

/** The run fields written at `offset`: steps (u32), lr (f32), scale (f32), update (u32). */
const runFields = (w: Write): [number, number, number, number] => {
  const v = new DataView(w.bytes);
  return [v.getUint32(0, true), v.getFloat32(4, true), v.getFloat32(8, true), v.getUint32(12, true)];
};

/** A recording encoder: what each compute pass did, in order. */
function recorder() {
  const ops: string[] = [];
  const encoder = {
    beginComputePass: () => ({
      setPipeline: (p: { label: string }) => ops.push(`pipeline ${p.label}`),
      setBindGroup: (_: number, g: { label: string }) => ops.push(`bind ${g.label}`),
      dispatchWorkgroups: (x: number, y = 1) => ops.push(`dispatch ${x}×${y}`),
      end: () => ops.push('end'),
    }),
  } as unknown as GPUCommandEncoder;
  return { encoder, ops };
}

describe('FusedRun.encode on a stand-in device (src/webgpu/fused-run.ts)', () => {
  // 64-64-64 at batch 16: work = (64·64 + 64·64)·16 = 131 072; c = ⌊2²² / (3·131 072 + 2048)⌋ = ⌊4 194 304 / 395 264⌋ = 10.
  const layer = { units: 64, fanIn: 64, activation: 'tanh' as const, bias: 'per-unit' as const };
  const net: Net = { inputs: 64, layers: [layer, layer], loss: 'mse', reduction: 'mean' };
  const n = 16;
  const scale = 1 / 16;
  const wOff = [0, 16_640], bOff = [16_384, 33_024]; // 64·64·4 = 16 384 bytes of W, then 256 of b, each layer

  function make() {
    const { gpu, writes } = standIn();
    const run = new FusedRun(gpu, net, n, 'group', 4, scale, { params: createBuffer('params', 33_280), grads: createBuffer('grads', 33_280), paramBytes: 33_280, wOff, bOff }, createBuffer);
    const runWrites = () => writes.filter((w) => w.bytes.byteLength === 16).map((w) => ({ offset: w.offset, fields: runFields(w) }));
    return { run, writes, runWrites };
  }

  it('25 steps at 10 a dispatch: 2 dispatches of 10 on slot 0, one of 5 on slot 1 (run fields at bytes 12 and 256 + 12)', () => {
    const { run, runWrites } = make();
    expect(run.perDispatch).toBe(10);
    const { encoder, ops } = recorder();
    run.encode(encoder, 25, 0.5, true);
    expect(runWrites()).toEqual([{ offset: 12, fields: [10, 0.5, scale, 1] }, { offset: 268, fields: [5, 0.5, scale, 1] }]);
    expect(ops).toEqual([
      'pipeline train_small.main_group', 'bind train_small (group) desc slot 0', 'dispatch 1×1', 'dispatch 1×1',
      'bind train_small (group) desc slot 1', 'dispatch 1×1', 'end',
    ]);
  });

  it('a run with another lr, or without the update, rewrites the fields; the same run writes nothing again', () => {
    const { run, runWrites } = make();
    const { encoder } = recorder();
    run.encode(encoder, 25, 0.5, true);
    run.encode(encoder, 25, 0.5, true);
    expect(runWrites()).toHaveLength(2);
    run.encode(encoder, 25, 0.25, true);
    run.encode(encoder, 25, 0.25, false); // no update: lr 0, update 0
    expect(runWrites().slice(2)).toEqual([
      { offset: 12, fields: [10, 0.25, scale, 1] }, { offset: 268, fields: [5, 0.25, scale, 1] },
      { offset: 12, fields: [10, 0, scale, 0] }, { offset: 268, fields: [5, 0, scale, 0] },
    ]);
  });

  it('3 steps: one dispatch of 3 on slot 0, slot 1 untouched; 20 steps: two of 10, no remainder', () => {
    const { run, runWrites } = make();
    const a = recorder();
    run.encode(a.encoder, 3, 0.5, true);
    expect(runWrites()).toEqual([{ offset: 12, fields: [3, 0.5, scale, 1] }]);
    expect(a.ops.filter((o) => o.startsWith('dispatch'))).toHaveLength(1);
    const b = recorder();
    run.encode(b.encoder, 20, 0.5, true);
    expect(runWrites().slice(1)).toEqual([{ offset: 12, fields: [10, 0.5, scale, 1] }]);
    expect(b.ops.filter((o) => o.startsWith('dispatch'))).toHaveLength(2);
    expect(b.ops.some((o) => o.includes('slot 1'))).toBe(false);
  });
});

describe('maxAbsReduction on a stand-in device (src/webgpu/update.ts)', () => {
  it("each chunk's block holds its vec4 count: 4096 bytes in chunks of 2560 are 160 and 96 vec4s, blocks 256 bytes apart", () => {
    const { gpu, writes } = standIn();
    const chunks = planUpdate(4096, { chunkBytes: 2560, groupsPerDimension: 65535 });
    const { dispatches } = maxAbsReduction(gpu, chunks, createBuffer('params', 4096), createBuffer);
    const dims = writes.filter((w) => w.label === 'max |θ| dims');
    expect(dims).toHaveLength(1);
    const counts = new Uint32Array(dims[0]!.bytes);
    expect(counts.length).toBe(128); // 2 slots of 256 bytes
    expect([counts[0], counts[64]]).toEqual([160, 96]);
    expect([...counts].filter((c, k) => k !== 0 && k !== 64 && c !== 0)).toEqual([]);
    // one workgroup each: ⌈160 / 256⌉ = ⌈96 / 256⌉ = 1 (4 vec4s an invocation at least, 64 invocations)
    expect(dispatches.map((d) => [d.x, d.y])).toEqual([[1, 1], [1, 1]]);
  });
});
