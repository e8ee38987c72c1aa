/**
 * The page that Node drives through puppeteer (CLI, npm start, browser tests). It exposes `window.bp`,
 * whose calls take and return plain JSON: every typed array becomes a number[] (float32 values are exact
 * in a double), every error becomes {error: {name, code, field, message}}.
 * WebGPU work runs inside validation / out-of-memory / internal error scopes.
 */
import { toBase64 } from '../base64.ts';
import { messageOf } from '../checks.ts';
import { BackpropError, WebGPUUnavailableError, type WebGPUUnavailableReason } from '../errors.ts';
import type { BackendChoice } from '../backends.ts';
import { Model } from '../model.ts';
import type { Standardize } from '../train/bytes.ts';
import type { EpochLog, FitOptions, FitProgress } from '../train/fit.ts';
import { type Backend, SharedBackend } from '../backend.ts';
import type { KernelVariant, WebGpuBackend } from '../webgpu/backend.ts';
import { sharedWasm } from '../wasm/shared.ts';
import { type EpochReply, fitModel, plain, plainGrad, stepOf } from './plain.ts';

export interface PlainError { name: string; code?: string; field?: string; message: string }
export type Result<T> = { ok: T } | { error: PlainError };

export interface PlainGrad {
  backend: string;
  description: string;
  loss: number;
  Z: number[][];
  A: number[][];
  delta: number[][];
  dW: number[][];
  db: number[][];
}
export interface PlainParams { W: number[][]; b: number[][] }
export interface AdapterReport {
  available: boolean;
  /** With available false, why: WebGPUUnavailableError's detail (its message without "WebGPU is unavailable: "), or another error's message. */
  reason?: string;
  /**
   * With available false, where WebGPU is absent: which step failed, as WebGPUUnavailableError.reason says it
   * ('no-webgpu', 'no-adapter', 'adapter-failed', 'device': the adapter was found but gave no device), for the CLI's
   * message to name it (src/cli/webgpu.ts chromiumUnavailable).
   */
  unavailable?: WebGPUUnavailableReason;
  /** The engine's description (WebGpuBackend.description: "WebGPU: google swiftshader (fallback adapter), … kernels"). */
  description?: string;
  vendor?: string;
  architecture?: string;
  /** The adapter's own device name and description (GPUAdapterInfo's; '' where the browser hides them). */
  device?: string;
  adapterDescription?: string;
  isFallbackAdapter?: boolean;
  variant?: string;
  /**
   * With available false: the error the backend was refused with when it is not WebGPU's absence (a LimitError naming
   * `variant`: a subgroup variant on an adapter without `subgroups`; a ShaderCompileError, a GpuValidationError: the
   * adapter is there), for the CLI to throw as such rather than as no adapter.
   */
  error?: PlainError;
  /** The device has the `subgroups` feature (matmul's 'subgroup' and 'blocked-subgroup' variants can run). */
  subgroups?: boolean;
}

function toPlainError(err: unknown): PlainError {
  if (err instanceof BackpropError) return { name: err.name, code: err.code, field: err.field, message: err.message };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

let gpuVariant: 'auto' | KernelVariant = 'auto';
let gpuFused: 'auto' | 'on' | 'off' = 'auto';
/**
 * One WebGPU backend (one device) for the whole page, shared by every model it makes. A failed creation is forgotten,
 * and so is a backend whose device was lost (or that was disposed), so that the next call makes a new one rather than
 * give every later call a backend that refuses it (DeviceLostError), as ../wasm/shared.ts does for wasm.
 */
const gpu = new SharedBackend(
  () => import('../webgpu/backend.ts').then((m) => m.WebGpuBackend.create({ variant: gpuVariant, fused: gpuFused })),
  (b: WebGpuBackend) => b.lost || b.isDisposed,
);
const sharedGpu = (): Promise<WebGpuBackend> => gpu.get();

async function withModel<T>(spec: unknown, backend: BackendChoice, what: string, fn: (m: Model) => Promise<T>): Promise<Result<T>> {
  try {
    let shared: Backend | undefined;
    let gpuBackend: WebGpuBackend | undefined;
    if (backend === 'webgpu') {
      gpuBackend = await sharedGpu();
      shared = gpuBackend;
    }
    if (backend === 'wasm') shared = await sharedWasm();
    const model = await Model.create(spec, { backend, shared });
    try {
      const run = () => fn(model);
      return { ok: gpuBackend ? await gpuBackend.withErrorScopes(what, run) : await run() };
    } finally {
      model.dispose();
    }
  } catch (err) {
    return { error: toPlainError(err) };
  }
}

const api = {
  ready: true as const,

  async adapter(): Promise<AdapterReport> {
    try {
      const b = await sharedGpu();
      return { available: true, description: b.description, vendor: b.adapterInfo.vendor, architecture: b.adapterInfo.architecture, device: b.adapterInfo.device, adapterDescription: b.adapterInfo.description, isFallbackAdapter: b.adapterInfo.isFallbackAdapter, variant: b.variant, subgroups: b.device.features.has('subgroups') };
    } catch (err) {
      // Only WebGPU's absence (no navigator.gpu, no adapter, requestDevice failed: `unavailable` says which) is "no
      // WebGPU" to the CLI; another error (a variant the adapter cannot run, a shader that does not compile, a
      // validation error, a bug) is passed on as what it is, its code and message.
      if (!(err instanceof WebGPUUnavailableError)) return { available: false, reason: messageOf(err), error: toPlainError(err) };
      return { available: false, reason: err.detail, ...(err.reason !== undefined ? { unavailable: err.reason } : {}) };
    }
  },

  /**
   * Replace the page's shared WebGPU backend by one whose kernels are `variant` ('auto' picks 'blocked-subgroup' on
   * SwiftShader, 'tiled' on real GPUs): lets tests run the tiled kernels on SwiftShader too. `fused` ('auto' by
   * default; 'off': every net takes the per-kernel path) lets them reach the per-kernel shaders with small nets.
   */
  async useVariant(variant: 'auto' | KernelVariant, fused: 'auto' | 'on' | 'off' = 'auto'): Promise<AdapterReport> {
    const old = gpu.forget();
    gpuVariant = variant;
    gpuFused = fused;
    if (old) (await old.catch(() => null))?.dispose();
    return api.adapter();
  },

  /** Forward + backward without update. */
  grad(spec: unknown, backend: BackendChoice): Promise<Result<PlainGrad>> {
    return withModel(spec, backend, 'grad', async (m) => plainGrad(m, await m.grad()));
  },

  /** One SGD step: the gradients of the step and the updated parameters. */
  step(spec: unknown, backend: BackendChoice, lr?: number): Promise<Result<PlainGrad & { params: PlainParams }>> {
    return withModel(spec, backend, 'step', (m) => stepOf(m, lr));
  },

  /**
   * `calls` train calls of `steps` steps each (each call one submission); returns each call's loss (its last step's, before that step's update),
   * the final parameters and the wall time of the calls (readback of the loss included).
   */
  train(spec: unknown, backend: BackendChoice, steps: number, calls = 1, lr?: number): Promise<Result<{ losses: number[]; params: PlainParams; ms: number }>> {
    return withModel(spec, backend, 'train', async (m) => {
      const losses: number[] = [];
      const t0 = performance.now();
      for (let k = 0; k < calls; k++) losses.push((await m.train({ steps, lr })).loss);
      const ms = performance.now() - t0;
      const p = await m.getParams();
      return { losses, params: { W: plain(p.W), b: plain(p.b) }, ms };
    });
  },
};

/** Models kept open across calls (training in chunks with a progress line, without rebuilding anything). */
const open = new Map<number, { model: Model; gpu: WebGpuBackend | undefined }>();
let nextId = 1;

async function onOpen<T>(id: number, what: string, fn: (m: Model) => Promise<T>): Promise<Result<T>> {
  try {
    const entry = open.get(id);
    if (!entry) throw new Error(`no open model ${id}`);
    const run = () => fn(entry.model);
    return { ok: entry.gpu ? await entry.gpu.withErrorScopes(what, run) : await run() };
  } catch (err) {
    return { error: toPlainError(err) };
  }
}

const session = {
  /** Make a model and keep it: returns its id, backend and, if 'auto' fell back to the CPU, why. */
  async open(spec: unknown, backend: BackendChoice): Promise<Result<{ id: number; backend: string; description: string; notice?: string }>> {
    try {
      const gpuBackend = backend === 'webgpu' ? await sharedGpu() : undefined;
      const model = await Model.create(spec, { backend, shared: gpuBackend ?? (backend === 'wasm' ? await sharedWasm() : undefined) });
      const id = nextId++;
      open.set(id, { model, gpu: model.kind === 'webgpu' ? gpuBackend : undefined });
      return { ok: { id, backend: model.kind, description: model.backend.description, notice: model.notice } };
    } catch (err) {
      return { error: toPlainError(err) };
    }
  },
  /** `steps` steps in one submission on an open model; the loss and the wall time (loss readback included). */
  trainOpen(id: number, steps: number, lr?: number): Promise<Result<{ loss: number; ms: number }>> {
    return onOpen(id, 'train', async (m) => {
      const t0 = performance.now();
      const { loss } = await m.train({ steps, lr });
      return { loss, ms: performance.now() - t0 };
    });
  },
  /** The loss on the model's batch, without updating. */
  lossOpen(id: number): Promise<Result<number>> {
    return onOpen(id, 'grad', async (m) => (await m.grad()).loss);
  },
  paramsOpen(id: number): Promise<Result<PlainParams>> {
    return onOpen(id, 'read params', async (m) => {
      const p = await m.getParams();
      return { W: plain(p.W), b: plain(p.b) };
    });
  },
  close(id: number): boolean {
    open.get(id)?.model.dispose();
    return open.delete(id);
  },
};

/**
 * Data for fitPage: float32 example-major (base64), or MNIST bytes (pixels / 255, or standardised with
 * `standardize`; labels one-hot over 10).
 */
export type FitPart = { n: number; x: string; y: string; u8?: boolean; standardize?: Standardize };
/** `resume`: a checkpoint (base64) the model restores before the fit (train --resume: src/cli/resume.ts). */
export interface FitPayload { train?: FitPart; val?: FitPart; resume?: string }
/** fit's options as JSON (no functions, no signal; data in the payload). */
export type PlainFitOptions = Omit<FitOptions, 'x' | 'y' | 'onEpoch' | 'onBatch' | 'signal' | 'validation'> & { validation?: number };

declare global {
  interface Window { bpProgress?: (entry: EpochLog) => Promise<EpochReply>; bpBatch?: (progress: FitProgress) => Promise<void> }
}

const training = {
  /**
   * model.fit in the page on `payload` (or the spec's x, y): the history, the final parameters and, with save, the
   * checkpoint (base64). Each epoch's entry goes to window.bpProgress when Node exposed it (CLI progress; its reply
   * 'stop' ends the fit after that epoch: fitModel), and with `batches`, each submission's progress to window.bpBatch
   * (not awaited).
   */
  fit(spec: unknown, backend: BackendChoice, payload: FitPayload, options: PlainFitOptions, save = false, batches = false): Promise<Result<{ history: EpochLog[]; params: PlainParams; checkpoint?: string; description: string }>> {
    return withModel(spec, backend, 'fit', async (m) => {
      const onBatch = batches ? (g: FitProgress) => { void window.bpBatch?.(g); } : undefined;
      const r = await fitModel(m, payload, options, save, (e) => window.bpProgress?.(e), onBatch);
      return { ...r, checkpoint: r.checkpoint && toBase64(r.checkpoint) };
    });
  },
};

export type HarnessApi = typeof api & typeof session & typeof training;
declare global {
  interface Window { bp: HarnessApi }
}
window.bp = { ...api, ...session, ...training };
