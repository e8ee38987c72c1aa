/**
 * How the elementwise updates (shaders/update.wgsl: sgd in ./net.ts, torch.optim.SGD and Adam in ./train.ts) and
 * the max |θ| reduction (max_abs.wgsl, maxAbsReduction below) cover the params buffer: in chunks no larger than one
 * storage binding, one dispatch per chunk, its workgroups folded into 2-D past the per-dimension limit. The params
 * buffer is whole 256-byte blocks and so is every chunk, so each is a whole number of vec4s.
 *
 * The limits come from the backend (WebGpuBackend.updateLimits): the device's maxStorageBufferBindingSize and 65535
 * workgroups per dimension, which only nets past ~134 MB of parameters reach. Tests lower them to run both paths on
 * small nets (test/browser/update-chunks.test.ts).
 */
import { integerIn } from '../checks.ts';
import { SpecError } from '../errors.ts';
import type { WebGpuBackend } from './backend.ts';
import { type Dispatch, bindGroup } from './dispatch.ts';
import { fold } from './matmul.ts';
import { ALIGN } from './sizes.ts';

/** Workgroup size of the update kernels; each invocation takes two vec4s (update.wgsl's NOTE). */
export const UPDATE_WG = 64;
/** update.wgsl's override OPT: the update rule. */
export const UPDATE_OPT = { sgd: 0, momentum: 1, adam: 2 } as const;
/**
 * Byte offsets of update.wgsl's `Step` uniform block, in the WGSL struct's field order (every field a 4-byte u32
 * or f32: count, nesterov, first and decoupled are u32, the rest f32).
 */
export const STEP_OFFSET = {
  count: 0, lr: 4, weightDecay: 8, mu: 12, nesterov: 16, first: 20, beta1: 24, beta2: 28, eps: 32, stepSize: 36, bias2Sqrt: 40, decoupled: 44,
  oneMinusBeta1: 48, oneMinusBeta2: 52, decay: 56,
} as const;
/** Bytes of update.wgsl's `Step` uniform block (15 four-byte fields, rounded up to 16 as a uniform block is). */
export const UPDATE_STEP_BYTES = 64;

/**
 * update.wgsl's `Step` fields: `count` vec4s of the chunk; momentum's mu, nesterov, first; Adam's beta1, beta2, eps,
 * stepSize, bias2Sqrt (../train/optimizers.ts stepScalars), decoupled (AdamW), and oneMinusBeta1, oneMinusBeta2 and
 * AdamW's decay = 1 − lr·weightDecay, each computed in float64 on the host (update.wgsl's NOTE).
 */
export type StepFields = { count: number }
  & Partial<Record<'lr' | 'weightDecay' | 'mu' | 'beta1' | 'beta2' | 'eps' | 'stepSize' | 'bias2Sqrt' | 'oneMinusBeta1' | 'oneMinusBeta2' | 'decay', number>>
  & Partial<Record<'nesterov' | 'first' | 'decoupled', boolean>>;

/** Write a `Step` block at the start of `v` (little-endian): the fields given; those not given stay as they are (0 in a fresh buffer). */
export function stepBlock(v: DataView, fields: StepFields): void {
  for (const [name, value] of Object.entries(fields) as [keyof StepFields, number | boolean | undefined][]) {
    if (value === undefined) continue;
    const at = STEP_OFFSET[name];
    if (typeof value === 'boolean') v.setUint32(at, value ? 1 : 0, true);
    else if (name === 'count') v.setUint32(at, value, true);
    else v.setFloat32(at, value, true);
  }
}
const VEC4S_PER_GROUP = 2 * UPDATE_WG;
/** NOTE: max_abs: at least 4 vec4s per invocation, at most 1024 workgroups (each invocation loops with a stride). */
const MAX_ABS_GROUPS = 1024;

export interface UpdateLimits {
  /** Bytes of one chunk (the last may be smaller): a positive multiple of 256, at most maxStorageBufferBindingSize. */
  chunkBytes: number;
  /** Workgroups along one dimension of a dispatch (WebGPU's maxComputeWorkgroupsPerDimension, 65535). */
  groupsPerDimension: number;
}

/** The limits of a device: chunks of maxStorageBufferBindingSize rounded down to 256 bytes, 65535 workgroups. */
export function deviceUpdateLimits(maxStorageBufferBindingSize: number): UpdateLimits {
  return { chunkBytes: Math.floor(maxStorageBufferBindingSize / ALIGN) * ALIGN, groupsPerDimension: 65535 };
}

/**
 * Limits a backend may plan against (WebGpuBackend.updateLimits), as a frozen copy: chunkBytes a multiple of 256 from
 * 256 to the device's (a larger chunk could not be bound), groupsPerDimension an integer 1 … 65535; else a SpecError
 * naming the field (updateLimits.chunkBytes, updateLimits.groupsPerDimension).
 */
export function checkUpdateLimits(limits: UpdateLimits, maxStorageBufferBindingSize: number): Readonly<UpdateLimits> {
  const device = deviceUpdateLimits(maxStorageBufferBindingSize);
  const given = (limits ?? {}) as Partial<UpdateLimits>;
  const chunkBytes = integerIn(given.chunkBytes, 'updateLimits.chunkBytes', ALIGN, device.chunkBytes, "at most the device's maxStorageBufferBindingSize");
  if (chunkBytes % ALIGN !== 0) throw new SpecError('updateLimits.chunkBytes', `must be a multiple of ${ALIGN} (whole vec4 blocks), got ${chunkBytes}`);
  const groupsPerDimension = integerIn(given.groupsPerDimension, 'updateLimits.groupsPerDimension', 1, device.groupsPerDimension);
  return Object.freeze({ chunkBytes, groupsPerDimension });
}

export interface UpdateChunk {
  /** Byte range [start, start + size) of params (and of grads and the optimiser state: the same layout). */
  start: number;
  size: number;
  /** vec4s in the chunk: the kernels' `count`. */
  count: number;
  /** dispatchWorkgroups(x, y) of sgd / momentum / adam over the chunk (two vec4s per invocation). */
  groups: { x: number; y: number };
  /** max_abs's workgroups over the chunk (one dimension; each invocation loops over every stride-th vec4). */
  maxAbsGroups: number;
}

/** The chunks of a params buffer of `paramBytes` (a multiple of 256) under `limits`. */
export function planUpdate(paramBytes: number, limits: UpdateLimits, what = 'params'): UpdateChunk[] {
  const { chunkBytes, groupsPerDimension } = limits;
  if (!(chunkBytes > 0 && chunkBytes % ALIGN === 0) || !(Number.isInteger(groupsPerDimension) && groupsPerDimension > 0)) {
    throw new Error(`internal: update limits ${JSON.stringify(limits)} (chunkBytes a positive multiple of ${ALIGN}, groupsPerDimension a positive integer)`);
  }
  if (paramBytes % ALIGN !== 0) throw new Error(`internal: params of ${paramBytes} bytes, not whole ${ALIGN}-byte blocks`);
  const chunks: UpdateChunk[] = [];
  for (let start = 0; start < paramBytes; start += chunkBytes) {
    const size = Math.min(chunkBytes, paramBytes - start);
    const count = size / 16;
    chunks.push({
      start, size, count,
      groups: fold(Math.ceil(count / VEC4S_PER_GROUP), `${what}[${start}..${start + size})`, groupsPerDimension),
      maxAbsGroups: Math.max(1, Math.min(MAX_ABS_GROUPS, groupsPerDimension, Math.ceil(count / (4 * UPDATE_WG)))),
    });
  }
  return chunks;
}

/**
 * The max |θ| reduction over a params buffer (shaders/max_abs.wgsl): one dispatch per chunk (as sgd), every chunk
 * atomicMax-ing into one result. Its buffers come from `createBuffer` (a net's, destroyed with it).
 */
export function maxAbsReduction(
  gpu: WebGpuBackend, chunks: UpdateChunk[], params: GPUBuffer, createBuffer: (label: string, size: number, usage: GPUBufferUsageFlags) => GPUBuffer,
): { result: GPUBuffer; dispatches: Dispatch[] } {
  const result = createBuffer('max |θ| (float32 bits)', 4, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
  const dims = createBuffer('max |θ| dims', chunks.length * ALIGN, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  const pipeline = gpu.kernels.pipeline('max_abs', 'main', { WG: UPDATE_WG });
  const counts = new Uint32Array((chunks.length * ALIGN) / 4);
  const dispatches = chunks.map((c, k): Dispatch => {
    counts[(k * ALIGN) / 4] = c.count; // vec4s: shaders/max_abs.wgsl
    const label = `max |θ| params[${c.start}..${c.start + c.size})`;
    return {
      label, pipeline, x: c.maxAbsGroups, y: 1,
      bindGroup: bindGroup(gpu, 'max_abs', label, [{ buffer: dims, offset: k * ALIGN, size: 16 }, { buffer: params, offset: c.start, size: c.size }, { buffer: result, offset: 0, size: 4 }]),
    };
  });
  gpu.device.queue.writeBuffer(dims, 0, counts);
  return { result, dispatches };
}
