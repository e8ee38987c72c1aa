/**
 * The WebGPU backend: one device, the WGSL kernels of shaders/ compiled once, and `compile(net, n)`
 * making a WebGpuNet (./net.ts) whose buffers, pipelines and bind groups are made once and reused every step.
 *
 * Kernel variant, picked by 'auto' from the adapter:
 * - SwiftShader / fallback adapters, where register blocks measured ~10× faster than workgroup-memory tiles:
 *   'blocked-subgroup' where the device has the `subgroups` feature (as Chromium's and Dawn's SwiftShader do:
 *   shaders/matmul_subgroups.wgsl main_blocked_subgroup, 16×8 blocks per invocation, the lhs values of each k
 *   loaded once per 4-lane subgroup and shared by broadcasts; 1.06–1.31× less SwiftShader time per product than
 *   'blocked' on the bench's shapes, bitwise-equal results), else 'blocked' (matmul.wgsl main_blocked, 12×8 blocks);
 * - real GPUs: 'subgroup' with the feature (matmul_subgroups.wgsl main_subgroup: 8×4 blocks per invocation, the lhs
 *   shared by subgroup shuffles, no workgroup memory), 'tiled' without (64×64 tiles in workgroup memory) — neither
 *   measured on one here (no GPU). Any variant can be asked for (tests run all four on SwiftShader).
 *
 * Fused small-net kernel (shaders/train_small.wgsl, ./fused.ts): nets with Σ units·fanIn·n at or under a
 * measured threshold run whole steps in one dispatch, in one workgroup ('group': 4 invocations on SwiftShader —
 * one SIMD group, measured fastest there — and 64 on real GPUs, barriers between phases), or, for nets whose widths
 * and batch are all ≤ 4 (the lectures' nets), 'lanes' where the device has `subgroups` (four invocations, one
 * example each, the sums over the examples by subgroupAdd: shaders/train_lanes.wgsl) and 'tiny' where not (one
 * invocation with the net in registers: 4×4 matrices held by rows, its sizes override constants).
 * 'single' (one invocation, no barriers, workgroup memory), measured as fast as 'group' on the 2-2-1 net and 3×
 * slower on bigger ones, is kept for comparison (fusedEntry: 'single').
 */
import { type Backend, type ErrorSection, checkCompile, checkTrainer } from '../backend.ts';
import { DeviceLostError, DisposedError, GpuValidationError, LimitError, WebGPUUnavailableError } from '../errors.ts';
import { checkOptions, integerIn, namedMessageOf, oneOf } from '../checks.ts';
import type { Net } from '../spec.ts';
import { FUSED_ENTRIES, FUSED_MODES, LANES_NEED_SUBGROUPS, fusedCapacity, fusedWorkgroupSize, type FusedEntry, type FusedMode } from './fused.ts';
import { Kernels, compileModules } from './kernels.ts';
import { WebGpuNet } from './net.ts';
import { createTrainer, prepareFitKernels, type WebGpuTrainer } from './train.ts';
import type { OptimizerName } from '../train/optimizers.ts';
import { DAWN_PACKAGE, getGpu } from './gpu.ts';
import { checkUpdateLimits, deviceUpdateLimits, type UpdateLimits } from './update.ts';
import { STEPS_PER_SUBMISSION } from './sizes.ts';
import { adapterOwnName, isSoftwareAdapter } from './software-adapter.ts';
import { settleNudged } from './firefox-poll.ts';

import { KERNEL_VARIANTS, type KernelVariant } from './variants.ts';

export type { KernelVariant };

export interface WebGpuOptions {
  /**
   * 'auto' (default): on SwiftShader / a fallback adapter 'blocked-subgroup' where the adapter has the `subgroups`
   * feature and 'blocked' where not; otherwise 'subgroup' with the feature and 'tiled' without.
   * 'subgroup' or 'blocked-subgroup' on an adapter without the feature: LimitError.
   */
  variant?: 'auto' | KernelVariant;
  /**
   * The fused small-net kernel: 'auto' (default) for nets at or under the threshold of ./fused.ts, 'off' never
   * (every net takes the per-kernel path), 'on' for every net it can take (up to 4 layers; for tests and
   * measurements — far above the threshold it is much slower).
   */
  fused?: FusedMode;
  /**
   * Its entry point: 'auto' (default), for nets main_tiny takes (./fused.ts tinyFits), is 'lanes' (4 invocations,
   * one example each, sums through subgroupAdd) where the adapter has the `subgroups` feature and 'tiny' (one
   * invocation) where not, and 'group' for other nets; 'single' is one invocation (measurements, tests). 'tiny' or
   * 'lanes' on a net they cannot take, or 'lanes' on an adapter without `subgroups`, throws LimitError — where the
   * fused kernel may run: with `fused` 'off' (the backend's, or a compile's) the entry point is not used, nor checked.
   */
  fusedEntry?: 'auto' | FusedEntry;
  /**
   * @internal createBackend's 'auto', which does not keep a backend on a software adapter (it falls back to wasm):
   * there a subgroup `variant` the adapter lacks is not refused ('auto''s pick is taken), so that asking for a GPU's
   * kernels changes nothing where no GPU backend is used.
   */
  softwareFallback?: boolean;
}

/** Per-net overrides of the backend's fused small-net settings (tests and measurements). */
export interface CompileOptions {
  fused?: FusedMode;
  fusedEntry?: 'auto' | FusedEntry;
  /** main_group's workgroup size (default fusedWorkgroup: 4 on SwiftShader, 64 otherwise). */
  fusedWorkgroup?: number;
}

/**
 * WebGpuBackend.description: "WebGPU: google swiftshader (fallback adapter), blocked-subgroup kernels". An adapter whose
 * info names nothing (Firefox 153's, every field '') is "unnamed adapter": the browser withholds its name, which is
 * not to say the adapter is unknown (its flag and limits are there).
 */
export function engineDescription(info: WebGpuAdapterInfo, variant: KernelVariant): string {
  return `WebGPU: ${adapterOwnName(info, info.description) || 'unnamed adapter'}${info.isFallbackAdapter ? ' (fallback adapter)' : ''}, ${variant} kernels`;
}

export interface WebGpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
}


export { STEPS_PER_SUBMISSION };

/** Counts of GPU buffers this backend made and destroyed (a leak shows as a growing difference). */
export interface BufferStats {
  created: number;
  destroyed: number;
}

/**
 * NOTE: how long a failed map (or queue wait) waits for `device.lost` before it counts as something other than a lost
 * device (WebGpuBackend.failure). WebGPU does not order the two: "WebGPU does not make any guarantees about the order
 * in which these promises settle" (the spec's Promise Ordering; `lost` vs mapAsync is not among its exceptions), and
 * GPUDevice.destroy() first unmaps every buffer ("Reject [[pending_map]] with an AbortError") on the content
 * timeline, then loses the device on the device timeline. Measured (a probe: a 1 MiB copy, mapAsync on its staging
 * buffer, then the device destroyed at once, after a microtask or after a setTimeout; 2026-12-05, this 2-core
 * machine, SwiftShader): in headless Chromium the map rejected first (AbortError "Buffer was unmapped before mapping
 * was resolved") in 90 of 90 runs, `lost` 0–13 ms later (once 70 ms); with Chromium's GPU process killed instead,
 * `lost` ("unknown") came first, the map's AbortError in the same millisecond (12 of 12). Dawn in Node resolves
 * `lost` inside destroy() (its binding), before the map: all 246 runs where the map was still pending. So a map can
 * reject before the backend knows its device is lost; the wait makes that a DeviceLostError, which the lab and Model
 * take for a lost device. A failure that is no loss (a bug) is thrown as it came, this much later.
 */
const LOST_GRACE_MS = 1000;

/** The error scopes a call's work runs in (withErrorScopes, errorSection), in the order they are popped: pushed in reverse. */
const POPPED = ['validation', 'out-of-memory', 'internal'] as const;
/** The same scopes in the order they are pushed: the innermost, popped first, pushed last. */
const PUSHED = [...POPPED].reverse();

/**
 * Pop the three scopes (POPPED), all at once, and resolve to the first error they caught ('validation error: …'), or
 * null. After a loss the pops resolve null; one that rejects or throws (no scope left: a device destroyed) counts as no
 * error.
 */
function popScopes(device: GPUDevice): Promise<string | null> {
  const pops = POPPED.map((kind) => {
    try {
      return device.popErrorScope().then((e) => (e ? `${kind} error: ${e.message}` : null), () => null);
    } catch {
      return Promise.resolve(null);
    }
  });
  return Promise.all(pops).then((errors) => errors.find((e) => e !== null) ?? null);
}

export class WebGpuBackend implements Backend {
  readonly kind = 'webgpu' as const;
  readonly device: GPUDevice;
  readonly adapterInfo: WebGpuAdapterInfo;
  readonly variant: KernelVariant;
  /** When nets use the fused small-net kernel, and which entry point (see WebGpuOptions). */
  readonly fused: FusedMode;
  readonly fusedEntry: 'auto' | FusedEntry;
  /** main_group's workgroup size (4 on SwiftShader, 64 otherwise) and the most workgroup memory (floats) a fused net may use. */
  readonly fusedWorkgroup: number;
  readonly fusedCapacity: number;
  /** A software adapter (software-adapter.ts: the fallback flag, or SwiftShader by name): picks the kernel variant, the fused workgroup and threshold. */
  readonly swiftshader: boolean;
  /** Whether the device has the `subgroups` feature (matmul's subgroup variants, the fused 'lanes' entry). */
  get subgroups(): boolean {
    return this.device.features.has('subgroups');
  }
  readonly description: string;
  /**
   * The limits the device was created with (the adapter's maxStorageBufferBindingSize, maxBufferSize and
   * maxComputeWorkgroupStorageSize).
   */
  readonly limits: GPUSupportedLimits;
  /** The largest buffer a kernel can bind whole: min(maxStorageBufferBindingSize, maxBufferSize). */
  get maxBindingBytes(): number {
    return Math.min(this.limits.maxStorageBufferBindingSize, this.limits.maxBufferSize);
  }
  readonly buffers: BufferStats = { created: 0, destroyed: 0 };
  /**
   * @internal The chunk size and workgroups per dimension the update kernels are planned against (./update.ts):
   * the device's, frozen. Tests lower them on a fresh backend, before compiling, to run the chunked and folded paths
   * on small nets; nets and trainers compiled after take them. chunkBytes a multiple of 256 from 256 to the device's,
   * groupsPerDimension 1 … 65535, else a SpecError naming the field, the limits kept (checkUpdateLimits). NOTE: the
   * budget counts the device's chunks (src/budget.ts: c = ⌈P_256 / 2²⁷⌉, 2²⁷ the least maxStorageBufferBindingSize);
   * lowered limits make more chunks, a 256-byte uniform block each, outside that count: tests only.
   */
  get updateLimits(): Readonly<UpdateLimits> {
    return this.chunking;
  }
  set updateLimits(limits: UpdateLimits) {
    this.chunking = checkUpdateLimits(limits, this.limits.maxStorageBufferBindingSize);
  }
  private chunking: Readonly<UpdateLimits>;
  /**
   * @internal The most steps the per-kernel path encodes into one command buffer (./net.ts run), and the most
   * batches the fit trainer does (./train.ts runBatches, predict): more go in several submissions, one after
   * another. Tests lower it to run the split on a few steps. An integer 1 … STEPS_PER_SUBMISSION, else a SpecError
   * naming it, the value kept: the budget counts a trainer's per-step uniform slots with STEPS_PER_SUBMISSION
   * (src/budget.ts fitTrainerNeeds), so it may be lowered, never raised.
   */
  get stepsPerSubmission(): number {
    return this.perSubmission;
  }
  set stepsPerSubmission(steps: number) {
    this.perSubmission = integerIn(steps, 'stepsPerSubmission', 1, STEPS_PER_SUBMISSION, 'the budget counts uniform slots for STEPS_PER_SUBMISSION at most');
  }
  private perSubmission = STEPS_PER_SUBMISSION;
  /** @internal The pipelines and bind group layouts of shaders/. */
  readonly kernels: Kernels;
  private lostInfo: { reason: string; message: string } | null = null;
  private disposed = false;
  /**
   * NOTE: in Node, the Dawn GPU object this device came from (./gpu.ts). Dawn crashes when it is garbage-collected
   * while its device is in use, and keeps Node alive while it is referenced: held until dispose().
   */
  private dawnGpu: GPU | null = null;
  /**
   * NOTE: the maps in flight (mapRead), each settled (resolved, rejected or aborted) once its buffer may be destroyed.
   * Dawn in Node crashed the process (a segfault, or glibc's "futex facility returned an unexpected error code") when
   * a buffer, or the device, was destroyed while a mapAsync on it was pending — dispose() during a readback: 5 of 28
   * runs of a loop of 20 such disposes crashed, 0 of 28 with this (2026-12-05). So destroyBuffer and dispose wait for
   * these to settle (test/dawn/run.ts checks the order). A map settles
   * when the work before it is done or the device is lost; one that never did would keep the device (and Node) alive.
   */
  private readonly maps = new Map<GPUBuffer, Promise<void>>();
  /**
   * The waits of `failure` for the device's loss: each woken with it by the one `device.lost` handler (the
   * constructor's), or taken out at its LOST_GRACE_MS. NOTE: not a Promise.race on `device.lost` per failure: each race
   * left a reaction on that promise, which settles only when the device goes — 310 bytes kept per failed read on a
   * live device, 17.8 MB after 60 000 (test/dawn/call-lifecycle.ts `failuresHoldNothing`).
   */
  private readonly lossWaits = new Set<(lost: GPUDeviceLostInfo) => void>();
  /** Settles when the last error section opened (errorSection) ends: the next one opens after it. */
  private lastSection: Promise<void> = Promise.resolve();

  private constructor(
    device: GPUDevice, info: WebGpuAdapterInfo, variant: KernelVariant, fused: FusedMode, fusedEntry: 'auto' | FusedEntry, swiftshader: boolean,
    kernels: Kernels,
  ) {
    this.device = device;
    this.adapterInfo = info;
    this.variant = variant;
    this.fused = fused;
    this.fusedEntry = fusedEntry;
    this.fusedWorkgroup = fusedWorkgroupSize(swiftshader);
    this.swiftshader = swiftshader;
    this.kernels = kernels;
    this.limits = device.limits;
    this.chunking = Object.freeze(deviceUpdateLimits(device.limits.maxStorageBufferBindingSize));
    this.fusedCapacity = fusedCapacity(device.limits.maxComputeWorkgroupStorageSize, swiftshader);
    this.description = engineDescription(info, variant);
    void device.lost.then((lost) => this.deviceLost(lost));
  }

  /** The device went (its one `device.lost` handler): what calls throw from now on, and each wait of `failure` woken. */
  private deviceLost(lost: GPUDeviceLostInfo): void {
    this.lostInfo = { reason: lost.reason ?? 'unknown', message: lost.message };
    for (const wake of this.lossWaits) wake(lost);
    this.lossWaits.clear();
  }

  /**
   * Get an adapter and a device (requesting the adapter's maxStorageBufferBindingSize and maxBufferSize) and
   * compile the kernels. Throws SpecError naming the option for an unknown option or value (before WebGPU is
   * touched); WebGPUUnavailableError (with the reason) when there is no WebGPU, no adapter, or requestDevice fails;
   * ShaderCompileError when a WGSL file does not compile.
   */
  static async create(options: WebGpuOptions = {}): Promise<WebGpuBackend> {
    const o = checkOptions(options, 'options', ['variant', 'fused', 'fusedEntry'], '', ['softwareFallback']);
    const choice = o.variant === undefined ? 'auto' : oneOf(o.variant, ['auto', ...KERNEL_VARIANTS] as const, 'variant');
    const fused = o.fused === undefined ? 'auto' : oneOf(o.fused, FUSED_MODES, 'fused');
    const fusedEntry = o.fusedEntry === undefined ? 'auto' : oneOf(o.fusedEntry, ['auto', ...FUSED_ENTRIES] as const, 'fusedEntry');
    const { gpu, dawn } = await getGpu();
    let adapter: GPUAdapter | null;
    try {
      adapter = await gpu.requestAdapter();
    } catch (err) {
      throw new WebGPUUnavailableError(`requestAdapter failed: ${namedMessageOf(err)}`, 'adapter-failed');
    }
    if (!adapter) {
      throw new WebGPUUnavailableError(dawn
        ? `Dawn (npm package ${DAWN_PACKAGE}) found no adapter: no GPU with a Vulkan driver (without one, point VK_ICD_FILENAMES at a SwiftShader ICD such as Chromium's vk_swiftshader_icd.json)`
        // Worded for a student's ordinary browser first; the flag is for a headless or automated Chromium (tests, CI).
        : 'requestAdapter returned null: this browser offers no WebGPU adapter (no GPU it can use, or WebGPU blocked for this GPU or switched off in its settings; a headless Chromium needs --enable-unsafe-webgpu)', 'no-adapter');
    }
    const raw = adapter.info as Partial<GPUAdapterInfo> | undefined;
    const legacyFallback = (adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter;
    const info: WebGpuAdapterInfo = {
      vendor: raw?.vendor ?? '',
      architecture: raw?.architecture ?? '',
      device: raw?.device ?? '',
      description: raw?.description ?? '',
      isFallbackAdapter: Boolean(raw?.isFallbackAdapter ?? legacyFallback ?? false),
    };
    const subgroups = adapter.features.has('subgroups');
    const swiftshader = isSoftwareAdapter(info);
    // Checked before a device is made: nothing to release on this error.
    const unrunnable = (choice === 'subgroup' || choice === 'blocked-subgroup') && !subgroups;
    if (unrunnable && !(o.softwareFallback === true && swiftshader)) {
      throw new LimitError('variant', `'${choice}' kernels need an adapter with the 'subgroups' feature; this one has none`);
    }
    // Only where a net may run fused: with fused 'off' the entry point is not used (a compile that turns fused on checks it then).
    if (fusedEntry === 'lanes' && fused !== 'off' && !subgroups) throw new LimitError('fusedEntry', LANES_NEED_SUBGROUPS);
    let device: GPUDevice;
    try {
      device = await adapter.requestDevice({
        label: 'backprop-webgpu device',
        // For matmul's 'subgroup' and 'blocked-subgroup' variants (compiled only where the device has the feature).
        requiredFeatures: subgroups ? ['subgroups' as GPUFeatureName] : [],
        requiredLimits: {
          maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
          maxBufferSize: adapter.limits.maxBufferSize,
          // The fused small-net kernel keeps a whole net in workgroup memory: take all there is.
          maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
        },
      });
    } catch (err) {
      throw new WebGPUUnavailableError(`requestDevice failed: ${namedMessageOf(err)}`, 'device');
    }
    const variant: KernelVariant = choice === 'auto' || unrunnable
      ? (swiftshader ? (subgroups ? 'blocked-subgroup' : 'blocked') : subgroups ? 'subgroup' : 'tiled')
      : choice;
    try {
      device.pushErrorScope('validation');
      const modules = await compileModules(device);
      const kernels = new Kernels(device, modules);
      await prepareFitKernels(device);
      const err = await device.popErrorScope();
      if (err) throw new GpuValidationError('kernel setup', err.message);
      const backend = new WebGpuBackend(device, info, variant, fused, fusedEntry, swiftshader, kernels);
      if (dawn) backend.dawnGpu = gpu;
      return backend;
    } catch (err) {
      device.destroy();
      throw err;
    }
  }

  /** @internal Throws DisposedError / DeviceLostError when the device can no longer be used. */
  check(what: string): void {
    if (this.disposed) throw new DisposedError(what);
    if (this.lostInfo) throw new DeviceLostError(this.lostInfo.reason, this.lostInfo.message);
  }

  /**
   * @internal The error for a failed map or queue wait: disposed first, then lost; a failure while the device is not
   * known lost waits up to LOST_GRACE_MS for `device.lost` before it is thrown as it came (see the NOTE there).
   */
  async failure(what: string, err: unknown): Promise<unknown> {
    if (!this.disposed && !this.lostInfo) {
      const late = await new Promise<GPUDeviceLostInfo | null>((resolve) => {
        const wake = (lost: GPUDeviceLostInfo): void => {
          clearTimeout(timer);
          resolve(lost);
        };
        const timer = setTimeout(() => {
          this.lossWaits.delete(wake);
          resolve(null);
        }, LOST_GRACE_MS);
        this.lossWaits.add(wake);
      });
      if (late && !this.disposed) return new DeviceLostError(late.reason ?? 'unknown', late.message);
    }
    if (this.disposed) return new DisposedError(what);
    if (this.lostInfo) return new DeviceLostError(this.lostInfo.reason, this.lostInfo.message);
    return err;
  }

  get lost(): boolean {
    return this.lostInfo !== null;
  }

  /** In Node on Dawn (the npm package webgpu), not navigator.gpu. */
  get dawn(): boolean {
    return this.dawnGpu !== null;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** @internal Make a labelled buffer and count it. */
  createBuffer(label: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer {
    this.buffers.created++;
    return this.device.createBuffer({ label, size: Math.max(4, Math.ceil(size / 4) * 4), usage });
  }

  /** @internal Destroy a buffer made by createBuffer and count it (once a map in flight on it settles: see `maps`). */
  destroyBuffer(buffer: GPUBuffer): void {
    this.buffers.destroyed++;
    const pending = this.maps.get(buffer);
    // destroy() does not throw (WebGPU); the catch keeps a deferred one from ever being an unhandled rejection.
    if (pending) void pending.then(() => buffer.destroy()).catch(() => undefined);
    else buffer.destroy();
  }

  /**
   * @internal `buffer.mapAsync(GPUMapMode.READ)`, tracked until it settles so that nothing destroys the buffer
   * meanwhile; in Firefox, nudged with empty submits while pending (./firefox-poll.ts: its 100 ms poll).
   */
  mapRead(buffer: GPUBuffer): Promise<void> {
    const map = buffer.mapAsync(GPUMapMode.READ);
    // After any map still pending on it too: a second mapAsync on a busy buffer rejects at once, while the first goes on.
    const before = this.maps.get(buffer);
    const settled = Promise.all([before, map.then(() => undefined, () => undefined)]).then(() => {
      if (this.maps.get(buffer) === settled) this.maps.delete(buffer);
    });
    this.maps.set(buffer, settled);
    return settleNudged(this.device, map);
  }

  /**
   * `options` overrides this backend's fused / fusedEntry for one net (tests and measurements compare the paths
   * on one device); the net's `runKind` says which path it took.
   */
  compile(net: Net, n: number, options: CompileOptions = {}): WebGpuNet {
    this.check('this WebGPU backend');
    return new WebGpuNet(this, checkCompile(net, n), n, {
      mode: options.fused ?? this.fused, entry: options.fusedEntry ?? this.fusedEntry, workgroup: options.fusedWorkgroup ?? this.fusedWorkgroup,
    });
  }

  /** fit's trainer (./train.ts): the nets of batch size B (and a remainder), gather, the optimiser, the epoch sums. */
  trainer(net: Net, batchSize: number, optimizer: OptimizerName): WebGpuTrainer {
    this.check('this WebGPU backend');
    return createTrainer(this, checkTrainer(net, batchSize, optimizer), batchSize, optimizer);
  }

  /**
   * Run `fn` inside validation, out-of-memory and internal error scopes; pop all three even when fn throws,
   * and throw GpuValidationError naming the first GPU error caught (it is the likelier cause of anything fn
   * threw) — but a GpuValidationError fn threw, which a Model call's own section (errorSection) caught first: what
   * these scopes caught then came after it (work of the call's after its section ended: a put-back onto a buffer the
   * error left invalid, before src/step-nets.ts runChecked's keepsNet).
   * Note: error scopes are per device, so calls of this should not overlap.
   */
  async withErrorScopes<T>(what: string, fn: () => Promise<T>): Promise<T> {
    this.check('this WebGPU backend');
    const device = this.device;
    for (const kind of PUSHED) device.pushErrorScope(kind);
    let result: { value: T } | undefined;
    let thrown: unknown;
    try {
      result = { value: await fn() };
    } catch (err) {
      thrown = err;
    }
    const first = await popScopes(device);
    if (thrown instanceof GpuValidationError) throw thrown;
    if (first !== null) throw new GpuValidationError(what, first);
    if (!result) throw thrown;
    return result.value;
  }

  /**
   * Backend.errorSection: validation, out-of-memory and internal error scopes around one Model call's work, pushed
   * once the section before has ended — its pops made (the promise chain `lastSection`), not their results come
   * back. NOTE: chosen over the device's `uncapturederror` events, which WebGPU does not order against the
   * promises: in headless Chromium (SwiftShader) a submit's error event came after an onSubmittedWorkDone made after
   * that submit had resolved, and a call watching the events from its start to its end got the error of the call
   * before it (a probe, 2026-12-06); a scope catches the errors of the commands made while it is the innermost,
   * whenever they come back.
   * Serialised because the scopes are one stack per device: two models' calls on a shared backend, each pushing at
   * its start and popping at its end, would pop each other's. A fit ends its section before each onEpoch and opens
   * another after (src/calls.ts GpuWatch), so that calls made in onEpoch, on this model or another, do not wait for
   * it. Scopes around a section (withErrorScopes, the lab's and the CLI's) see nothing it caught; it throws instead.
   */
  async errorSection(): Promise<ErrorSection> {
    const before = this.lastSection;
    let release = (): void => undefined;
    this.lastSection = new Promise<void>((resolve) => { release = resolve; });
    await before;
    const device = this.device;
    let pushed = 0;
    try {
      if (!this.disposed && !this.lostInfo) {
        for (const kind of PUSHED) {
          device.pushErrorScope(kind);
          pushed++;
        }
      }
    } catch {
      // Not expected (a lost device takes pushes and pops): without all three, no section, and the next one may open.
    }
    if (pushed < 3) {
      for (let k = 0; k < pushed; k++) void device.popErrorScope().catch(() => null);
      release();
      return { end: () => Promise.resolve(null) };
    }
    let ended: Promise<string | null> | undefined;
    const end = (): Promise<string | null> => {
      const first = popScopes(device); // the three pops are made here, at once: the stack is the next section's from now
      release();
      return first;
    };
    return { end: () => (ended ??= end()) };
  }

  /**
   * Destroy the device (every net on it stops working): at once, or once the maps in flight settle (`maps`); every
   * call refuses from now on either way. Idempotent.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const destroy = () => {
      this.device.destroy();
      this.dawnGpu = null;
    };
    if (this.maps.size === 0) destroy();
    else void Promise.all(this.maps.values()).then(destroy).catch(() => undefined);
  }
}
