/**
 * Model: a validated net with parameters on one backend. Every input is validated on the CPU before any
 * backend work; a call that throws leaves the parameters as they were. Calls on one model run one at a time
 * (they are queued, never interleaved).
 */
import type { Backend, BackendKind, BackendNet, Readback } from './backend.ts';
import { CpuBackend } from './cpu/backend.ts';
import { BackpropError, DisposedError, DivergedError, SpecError, WebGPUUnavailableError } from './errors.ts';
import { initParams } from './init.ts';
import type { Batch, DataInput, Net, NetworkSpec, Params, ParamsSpec } from './spec.ts';
import { batchFrom, checkParams, cloneParams, paramsFromSpec, paramsToSpec, validateSpec } from './spec.ts';

export type BackendChoice = 'auto' | BackendKind;

export interface ModelOptions {
  /** 'auto' (default): WebGPU on a hardware adapter, else wasm (else the CPU) with one notice (see createBackend). */
  backend?: BackendChoice;
  /** Called once with the reason when 'auto' falls back to the CPU. Default: console.warn. */
  onNotice?: (message: string) => void;
  /** An existing backend to share between models (e.g. one GPU device). */
  shared?: Backend;
}

/** Everything one forward/backward pass computed, per layer (0-based: index l is layer l+1). Arrays are (units × n). */
export interface GradResult {
  loss: number;
  Z: Float32Array[];
  A: Float32Array[];
  delta: Float32Array[];
  dW: Float32Array[];
  db: Float32Array[];
}

export interface TrainOptions {
  steps: number;
  lr?: number;
  x?: DataInput;
  y?: DataInput;
}

/**
 * Make a backend. 'webgpu' throws WebGPUUnavailableError when there is none, 'wasm' WasmUnavailableError when
 * the engine has no WebAssembly SIMD. 'auto': WebGPU on a hardware adapter; on a fallback (software) adapter
 * or without WebGPU, wasm, with one notice saying why; the CPU only where wasm SIMD is missing too.
 */
export async function createBackend(choice: BackendChoice, onNotice?: (m: string) => void): Promise<{ backend: Backend; notice?: string }> {
  if (choice === 'cpu') return { backend: new CpuBackend() };
  if (choice === 'wasm') return { backend: await createWasm() };
  if (choice === 'auto' && !webgpuPresent()) {
    return autoFallback('WebGPU is unavailable: navigator.gpu is not defined here (Node or a browser without WebGPU)', onNotice);
  }
  let gpu;
  try {
    const { WebGpuBackend } = await import('./webgpu/backend.ts');
    gpu = await WebGpuBackend.create();
  } catch (err) {
    if (choice === 'webgpu') throw err;
    return autoFallback(err instanceof Error ? err.message : String(err), onNotice);
  }
  if (choice === 'auto' && gpu.swiftshader) {
    const adapter = gpu.description;
    gpu.dispose();
    return autoFallback(`the only WebGPU adapter is a software one (${adapter}), slower than the CPU`, onNotice);
  }
  return { backend: gpu };
}

async function createWasm(): Promise<Backend> {
  const { WasmBackend } = await import('./wasm/backend.ts');
  return WasmBackend.create();
}

/** 'auto' without a (hardware) GPU: wasm, else the CPU; one notice saying why. */
async function autoFallback(reason: string, onNotice?: (m: string) => void): Promise<{ backend: Backend; notice: string }> {
  let backend: Backend;
  let notice: string;
  try {
    backend = await createWasm();
    notice = `${reason} — training on WebAssembly SIMD instead (${backend.description}).`;
  } catch (err) {
    backend = new CpuBackend();
    notice = `${reason}; ${err instanceof Error ? err.message : String(err)} — training on the CPU instead.`;
  }
  (onNotice ?? ((m: string) => console.warn(`[backprop-webgpu] ${m}`)))(notice);
  return { backend, notice };
}

/** Is WebGPU even worth trying here? (No navigator.gpu: Node, or a browser without WebGPU.) */
export function webgpuPresent(): boolean {
  return typeof navigator !== 'undefined' && 'gpu' in navigator && navigator.gpu !== undefined;
}

export class Model {
  readonly net: Net;
  readonly backend: Backend;
  /** Why 'auto' did not take WebGPU, if it did not. */
  readonly notice: string | undefined;
  /** The spec's learning rate (default for step/train). */
  readonly lr: number | undefined;
  private compiled: BackendNet | null = null;
  private batch: Batch | undefined;
  /** The batch last written to `compiled`. */
  private uploaded: Batch | undefined;
  /**
   * The parameters as last known on the CPU: given, set, or read back (step, getParams, a recompile). What a
   * new backend net starts from, and a copy that survives a lost device.
   */
  private known: Params;
  /** train() steps run since `known` was read (train does not read parameters back). */
  private stepsSinceKnown = 0;
  private ownsBackend: boolean;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(net: Net, backend: Backend, params: Params, batch: Batch | undefined, lr: number | undefined, notice: string | undefined, owns: boolean) {
    this.net = net;
    this.backend = backend;
    this.known = params;
    this.batch = batch;
    this.lr = lr;
    this.notice = notice;
    this.ownsBackend = owns;
  }

  /** Validate `spec` fully, then make the backend and upload parameters (and the spec's x, y if given). */
  static async create(spec: NetworkSpec | unknown, options: ModelOptions = {}): Promise<Model> {
    const valid = validateSpec(spec);
    const params = valid.params ?? (valid.init ? initParams(valid.net, valid.init.scheme, valid.init.seed) : undefined);
    if (!params) throw new SpecError('params', 'give params {W, b} or init {scheme, seed}');
    const made = await Model.backendFor(options);
    return new Model(valid.net, made.backend, params, valid.batch, valid.lr, made.notice, !options.shared);
  }

  /** The shared backend, or a new one by options.backend (see createBackend). */
  private static async backendFor(options: ModelOptions): Promise<{ backend: Backend; notice?: string }> {
    if (options.shared) return { backend: options.shared };
    return createBackend(options.backend ?? 'auto', options.onNotice);
  }

  get kind(): BackendKind {
    return this.backend.kind;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    if (this.disposed) return Promise.reject(new DisposedError('this model'));
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private live(): void {
    if (this.disposed) throw new DisposedError('this model');
  }

  /** Validate new data (or use the current batch) and make sure the backend net matches its size. */
  private async prepare(x: DataInput | undefined, y: DataInput | undefined): Promise<BackendNet> {
    let batch = this.batch;
    if (x !== undefined || y !== undefined) {
      if (x === undefined || y === undefined) throw new SpecError(x === undefined ? 'x' : 'y', 'x and y go together');
      batch = batchFrom(this.net, x, y);
    }
    if (!batch) throw new SpecError('x', 'no data: give x and y (here or in the spec)');
    this.live();
    let compiled = this.compiled;
    if (!compiled || compiled.n !== batch.n) {
      if (compiled) {
        this.known = (await compiled.read({ params: true })).params!;
        this.stepsSinceKnown = 0;
      }
      compiled?.dispose();
      compiled = this.backend.compile(this.net, batch.n);
      compiled.writeParams(this.known);
      this.compiled = compiled;
      this.uploaded = undefined;
    }
    if (this.uploaded !== batch) {
      compiled.writeBatch(batch);
      this.uploaded = batch;
    }
    this.batch = batch;
    return compiled;
  }

  private async checked(compiled: BackendNet, read: Readback, what: string): Promise<Readback> {
    if (!Number.isFinite(read.loss)) {
      compiled.restoreParams();
      throw new DivergedError(read.loss ?? NaN, what);
    }
    return read;
  }

  /** Forward and backward on (x, y) — or the current batch — without updating: loss, Z, A, delta, dW, db. */
  grad(x?: DataInput, y?: DataInput): Promise<GradResult> {
    return this.serial(async () => {
      const compiled = await this.prepare(x, y);
      compiled.saveParams();
      compiled.run(1, 0, false);
      const r = await this.checked(compiled, await compiled.read({ loss: true, Z: true, A: true, delta: true, grads: true }), 'in a forward pass');
      return { loss: r.loss!, Z: r.Z!, A: r.A!, delta: r.delta!, dW: r.dW!, db: r.db! };
    });
  }

  /**
   * Train `steps` SGD steps on (x, y) or the current batch, encoded into one submission with no readback
   * between steps. Returns the loss of the last step (computed before its update).
   * Throws DivergedError (parameters restored to those before the call) when the loss is not finite.
   */
  train(options: TrainOptions): Promise<{ loss: number; steps: number }> {
    const { steps } = options;
    const lr = options.lr ?? this.lr;
    if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 1) {
      return Promise.reject(new SpecError('steps', `must be a positive integer, got ${JSON.stringify(steps)}`));
    }
    if (lr === undefined || typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      return Promise.reject(new SpecError('lr', `must be a finite number ≥ 0 (here or in the spec), got ${JSON.stringify(lr)}`));
    }
    return this.serial(async () => {
      const compiled = await this.prepare(options.x, options.y);
      compiled.saveParams();
      compiled.run(steps, lr, true);
      const r = await this.checked(compiled, await compiled.read({ loss: true }), `after ${steps} step(s) at lr = ${lr}`);
      this.stepsSinceKnown += steps;
      return { loss: r.loss!, steps };
    });
  }

  /** One SGD step; returns the same as grad() plus the updated parameters. */
  step(lr?: number, x?: DataInput, y?: DataInput): Promise<GradResult & { params: Params }> {
    const rate = lr ?? this.lr;
    if (rate === undefined || !Number.isFinite(rate) || rate < 0) {
      return Promise.reject(new SpecError('lr', `must be a finite number ≥ 0 (here or in the spec), got ${JSON.stringify(rate)}`));
    }
    return this.serial(async () => {
      const compiled = await this.prepare(x, y);
      compiled.saveParams();
      compiled.run(1, rate, true);
      const r = await this.checked(compiled, await compiled.read({ loss: true, Z: true, A: true, delta: true, grads: true, params: true }), `after one step at lr = ${rate}`);
      this.known = cloneParams(r.params!);
      this.stepsSinceKnown = 0;
      return { loss: r.loss!, Z: r.Z!, A: r.A!, delta: r.delta!, dW: r.dW!, db: r.db!, params: r.params! };
    });
  }

  /** The current parameters (engine layout: W[l] row-major units × fanIn). */
  getParams(): Promise<Params> {
    return this.serial(async () => {
      if (!this.compiled) return cloneParams(this.known);
      this.known = (await this.compiled.read({ params: true })).params!;
      this.stepsSinceKnown = 0;
      return cloneParams(this.known);
    });
  }

  /** The current parameters as the spec writes them (nested arrays). */
  async getParamsSpec(): Promise<ParamsSpec> {
    return paramsToSpec(this.net, await this.getParams());
  }

  /** Replace the parameters: spec form ({W: number[][][], b}) or engine form (Float32Arrays). Validated first. */
  setParams(params: ParamsSpec | Params): Promise<void> {
    let p: Params;
    try {
      this.live();
      const typed = Array.isArray(params?.W) && params.W[0] instanceof Float32Array;
      if (typed) {
        p = cloneParams(params as Params);
        checkParams(this.net, p);
      } else {
        p = paramsFromSpec(this.net, params);
      }
    } catch (err) {
      return Promise.reject(err);
    }
    return this.serial(async () => {
      this.known = p;
      this.stepsSinceKnown = 0;
      this.compiled?.writeParams(p);
    });
  }

  /**
   * The parameters as last known on the CPU — given at create, set with setParams, or read back by step() or
   * getParams() — with how many train() steps ran since (not in the copy). No backend call: it works after the
   * device is lost (checklist item 10: a CPU copy of the weights survives). train() does not read parameters
   * back, so call getParams() after training to keep the copy current.
   */
  lastKnownParams(): { params: Params; stepsSince: number } {
    return { params: cloneParams(this.known), stepsSince: this.stepsSinceKnown };
  }

  /**
   * A new model of the same net, batch and learning rate, from lastKnownParams(), on a fresh backend
   * (options as for create; default 'auto'). For a model whose device was lost: this one is disposed.
   */
  async rebuild(options: ModelOptions = {}): Promise<Model> {
    const { params } = this.lastKnownParams();
    const made = await Model.backendFor(options);
    const next = new Model(this.net, made.backend, params, this.batch, this.lr, made.notice, !options.shared);
    this.dispose();
    return next;
  }

  /** Free backend resources. Idempotent. Later calls reject with DisposedError. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.compiled?.dispose();
    this.compiled = null;
    if (this.ownsBackend) this.backend.dispose();
  }
}

export { BackpropError, WebGPUUnavailableError };
