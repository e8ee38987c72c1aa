/**
 * The CLI's WebGPU in Node: Dawn (npm package webgpu), with the system's Vulkan drivers (a real GPU) first; when they
 * give no adapter and a SwiftShader driver exists (src/node/dawn.ts), the command runs again in a child process with
 * the Vulkan loader pointed at it (those variables only take effect in a fresh process), given copies of the inputs
 * that cannot be read twice (io.ts inputsForRerun: /dev/stdin, `<(…)`, a FIFO). Where Dawn is not installed
 * or finds no adapter either way, openWebGpu (src/cli/webgpu.ts) falls back to headless Chromium.
 */
import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import type { AdapterReport, FitPayload, PlainFitOptions, PlainGrad, PlainParams } from '../browser/harness.ts';
import { WebGPUUnavailableError } from '../errors.ts';
import { Model } from '../model.ts';
import { findAnySwiftShaderIcd, swiftShaderEnv } from '../node/dawn.ts';
import type { EpochLog, FitProgress } from '../train/fit.ts';
import type { KernelVariant, WebGpuBackend } from '../webgpu/backend.ts';
import { type EpochReply, fitModel, plainGrad, stepOf, type FitOutcome } from '../browser/plain.ts';
import { withNodeModel } from './in-node.ts';
import { DAWN_RERUN_ENV, inputsForRerun, STOP_SIGNALS } from './io.ts';

/** Thrown when the command already ran in a child process: main exits with its status. */
export class RanInChild extends Error {
  constructor(readonly status: number) {
    super(`the command ran in a child process (exit status ${status})`);
    this.name = 'RanInChild';
  }
}

/**
 * Run `work` on Dawn. Returns its result, or the reason Dawn is unavailable (for the fallback's notice) and whether
 * that is the npm package webgpu not loading (`missing`: getGpu's 'no-webgpu' in Node); throws RanInChild after running
 * the whole command again with SwiftShader, or whatever `work` throws otherwise.
 */
export async function onDawn<T>(work: () => Promise<T>): Promise<{ ok: T } | { unavailable: string; missing: boolean }> {
  try {
    return { ok: await work() };
  } catch (err) {
    if (!(err instanceof WebGPUUnavailableError)) throw err;
    const missing = err.reason === 'no-webgpu';
    if (process.env[DAWN_RERUN_ENV] || err.reason !== 'no-adapter') return { unavailable: err.message, missing };
    const icd = await findAnySwiftShaderIcd();
    if (!icd) return { unavailable: `${err.message}; and no SwiftShader driver found (Debian: apt-get install chromium)`, missing };
    process.stderr.write(`backprop: Dawn found no GPU adapter (a Vulkan warning just above is Dawn's own, not a failure); running again on SwiftShader, a CPU emulation of a GPU (${icd}).\n`);
    // The spec files this process read from a pipe or FIFO are used up: the child gets copies of what was read.
    const inputs = inputsForRerun();
    // This process waits for the child and passes on the signals that end a run — Ctrl-C (which reaches both: the same
    // process group), and SIGTERM or SIGHUP sent to this process alone, which would otherwise leave the child running —
    // then removes the copies and exits as the child did.
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, ...swiftShaderEnv(icd), ...inputs.env, [DAWN_RERUN_ENV]: '1' },
    });
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    for (const signal of STOP_SIGNALS) process.on(signal, forward);
    let r: { status: number | null; signal: NodeJS.Signals | null };
    try {
      r = await new Promise((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (status, signal) => resolve({ status, signal }));
      });
    } finally {
      for (const signal of STOP_SIGNALS) process.off(signal, forward);
      inputs.cleanup();
    }
    if (r.status === null) process.stderr.write(`backprop: the run on SwiftShader ended by signal ${r.signal ?? 'unknown'}.\n`);
    // A child ended by a signal: the shell's status for it, 128 + its number (130 for Ctrl-C, 143 for SIGTERM).
    throw new RanInChild(r.status ?? (r.signal ? 128 + osConstants.signals[r.signal] : 1));
  }
}

/**
 * WebGPU on Dawn in this process, with the calls of WebGpuPage (src/cli/browser.ts): one WebGpuBackend (one device)
 * shared by every model it makes, each call inside the backend's error scopes, as in the harness page.
 */
export class DawnGpu {
  readonly where: string = 'in Node on Dawn (npm package webgpu)';
  readonly route = 'dawn' as const;
  private readonly models = new Map<number, Model>();
  private nextId = 1;

  private constructor(private readonly gpu: WebGpuBackend) {}

  /**
   * The device, its kernels `variant` (absent: 'auto', picked per adapter), as Model.create's webgpuVariant makes it
   * (src/backends.ts createBackend: WebGpuBackend.create({ variant })). WebGPUUnavailableError when Dawn does not load
   * or finds no adapter (onDawn then reruns or falls back); a LimitError naming `variant` when the adapter cannot run it.
   */
  static async open(variant?: 'auto' | KernelVariant): Promise<DawnGpu> {
    const { WebGpuBackend } = await import('../webgpu/backend.ts');
    return new DawnGpu(await WebGpuBackend.create(variant === undefined ? {} : { variant }));
  }

  adapter(): Promise<AdapterReport> {
    const info = this.gpu.adapterInfo;
    return Promise.resolve({ available: true, description: this.gpu.description, vendor: info.vendor, architecture: info.architecture, device: info.device, adapterDescription: info.description, isFallbackAdapter: info.isFallbackAdapter, variant: this.gpu.variant });
  }

  private scoped<T>(spec: unknown, what: string, work: (m: Model) => Promise<T>): Promise<T> {
    return withNodeModel(spec, 'webgpu', (m) => this.gpu.withErrorScopes(what, () => work(m)), this.gpu);
  }

  grad(spec: unknown): Promise<PlainGrad> {
    return this.scoped(spec, 'grad', async (m) => plainGrad(m, await m.grad()));
  }

  /** One SGD step at `lr`, else the spec's (none at all: SpecError 'lr', as on every backend). */
  step(spec: unknown, lr?: number): Promise<PlainGrad & { params: PlainParams }> {
    return this.scoped(spec, 'step', (m) => stepOf(m, lr));
  }

  fit(spec: unknown, payload: FitPayload, options: PlainFitOptions, save: boolean, onEpoch: (e: EpochLog) => EpochReply, onBatch?: (g: FitProgress) => void): Promise<FitOutcome> {
    return this.scoped(spec, 'fit', (m) => fitModel(m, payload, options, save, onEpoch, onBatch));
  }

  /** A model kept open for chunked training; dispose it with closeModel. */
  async openModel(spec: unknown): Promise<number> {
    const id = this.nextId++;
    this.models.set(id, await Model.create(spec, { backend: 'webgpu', shared: this.gpu }));
    return id;
  }

  private model(id: number): Model {
    const m = this.models.get(id);
    if (!m) throw new Error(`no open model ${id}`);
    return m;
  }

  /** `steps` SGD steps in one submission on an open model: the loss of the last step and the time taken (loss readback included). */
  trainModel(id: number, steps: number): Promise<{ loss: number; ms: number }> {
    return this.gpu.withErrorScopes('train', async () => {
      const t0 = performance.now();
      const { loss } = await this.model(id).train({ steps });
      return { loss, ms: performance.now() - t0 };
    });
  }

  modelLoss(id: number): Promise<number> {
    return this.gpu.withErrorScopes('grad', async () => (await this.model(id).grad()).loss);
  }

  closeModel(id: number): Promise<void> {
    this.models.get(id)?.dispose();
    this.models.delete(id);
    return Promise.resolve();
  }

  /** Dispose every open model and the device (Dawn keeps Node alive while its GPU object is referenced). */
  close(): Promise<void> {
    for (const m of this.models.values()) m.dispose();
    this.models.clear();
    this.gpu.dispose();
    return Promise.resolve();
  }
}
