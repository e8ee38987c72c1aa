/**
 * Making a backend from ModelOptions: the choice ('auto' or a kind), the options' checks before anything is made,
 * and the 'auto' fallback (WebGPU on a hardware adapter, else wasm, else the CPU, with one notice).
 */
import type { Backend, BackendKind } from './backend.ts';
import { BACKEND_KINDS } from './backend.ts';
import { type Budget, resolveBudget } from './budget.ts';
import { CpuBackend } from './cpu/backend.ts';
import { DisposedError, LimitError, SpecError, WebGPUUnavailableError, type WebGPUUnavailableReason } from './errors.ts';
import { checkOptions, describe, integerIn, messageOf, oneOf } from './checks.ts';
import { inNode, noNavigatorGpuReason } from './webgpu/gpu.ts';
import { KERNEL_VARIANTS, type KernelVariant } from './webgpu/variants.ts';
import { MAX_THREADS } from './wasm/limits.ts';
import { valueGuess } from './suggest.ts';
import type { WebGpuBackend } from './webgpu/backend.ts';

/** The `backend` option: 'auto' (WebGPU on a hardware adapter, else wasm, else the CPU, with one notice) or a backend kind, which throws when it is unavailable. */
export type BackendChoice = 'auto' | BackendKind;

/**
 * Why 'auto' did not train on WebGPU: WebGPUUnavailableError's reasons ('no-webgpu': no navigator.gpu or no WebGPU
 * module; 'no-adapter'; 'adapter-failed'; 'device'), or 'software-adapter' (the only adapter is SwiftShader's kind).
 */
export type FallbackReason = WebGPUUnavailableReason | 'software-adapter';

/** A backend made by createBackend; with 'auto' on anything but WebGPU, the notice and its reason. */
export interface MadeBackend {
  /** The backend made (yours to dispose). */
  backend: Backend;
  /** With 'auto' when it did not take WebGPU: the one notice saying why (also given to onNotice). */
  notice?: string;
  /** With 'auto' when it did not take WebGPU: why, as a code ('no-webgpu', 'no-adapter', 'adapter-failed', 'device', 'software-adapter'). */
  fallback?: FallbackReason;
}

/** The options of Model.create, Model.load and rebuild (README, "API"); a bad one is a SpecError (or LimitError) naming it. */
export interface ModelOptions {
  /** 'auto' (default): WebGPU on a hardware adapter, else wasm (else the CPU) with one notice (see createBackend). */
  backend?: BackendChoice;
  /** Called once with the reason when 'auto' falls back (to wasm, or to the CPU). Default: console.warn. */
  onNotice?: (message: string) => void;
  /** An existing backend to share between models (e.g. one GPU device). */
  shared?: Backend;
  /** This model's resource budget (fields not given: the process-wide one, src/budget.ts setBudget). */
  budget?: Partial<Budget>;
  /**
   * Threads of the wasm backend the model makes (`'wasm'`, or `'auto'` where it falls back to wasm), the calling
   * thread included: 1 … 64. Default: the hardware threads, at most 8 — 1 in Node 20, which has no `navigator`
   * (give `os.availableParallelism()`). Threads need shared memory: a cross-origin-isolated page, or Node.
   */
  threads?: number;
  /**
   * The GEMM kernels of the WebGPU backend the model makes (`'webgpu'`, or `'auto'` on a hardware GPU): 'auto'
   * (default: picked per adapter), 'blocked', 'blocked-subgroup', 'tiled' or 'subgroup' (src/webgpu/variants.ts).
   * A subgroup variant on an adapter without the `subgroups` feature is a LimitError naming `webgpuVariant`, with
   * `'auto'` too on a hardware adapter (it does not fall back; a software one 'auto' leaves for wasm anyway). For
   * measuring which kernels suit a GPU; every variant gives the oracle's results within the same bounds.
   */
  webgpuVariant?: 'auto' | KernelVariant;
}

/** What createBackend makes a backend with (as the same ModelOptions). */
export interface BackendOptions {
  /** Threads of a wasm backend, the calling thread included: 1 … 64 (default: the hardware threads, at most 8; 1 in Node 20). As ModelOptions.threads. */
  threads?: number;
  /** The GEMM kernels of a WebGPU backend: 'auto' (default), 'blocked', 'blocked-subgroup', 'tiled' or 'subgroup'. As ModelOptions.webgpuVariant. */
  webgpuVariant?: 'auto' | KernelVariant;
}

/**
 * Make a backend. 'webgpu' throws WebGPUUnavailableError when there is none, 'wasm' WasmUnavailableError when
 * the engine has no WebAssembly SIMD. 'auto': WebGPU on a hardware adapter; on a fallback (software) adapter
 * or without WebGPU, wasm, with one notice saying why; the CPU only where wasm SIMD is missing too.
 * @throws {SpecError} `choice`, `onNotice`, `threads` or `webgpuVariant` not allowed (named).
 * @throws {WebGPUUnavailableError} for 'webgpu' without WebGPU. {@link WasmUnavailableError} for 'wasm' without SIMD.
 * @throws {LimitError} a subgroup `webgpuVariant` on an adapter without the `subgroups` feature.
 */
export async function createBackend(choice: BackendChoice, onNotice?: (m: string) => void, options: BackendOptions = {}): Promise<MadeBackend> {
  checkBackendChoice(choice);
  if (onNotice !== undefined && typeof onNotice !== 'function') throw new SpecError('onNotice', `must be a function, got ${describe(onNotice)}`);
  // Named as Model.create names its options: the argument `options`, an unknown key by itself (`thread`).
  const o = checkOptions(options, 'options', ['threads', 'webgpuVariant']);
  const threads = checkThreads(o.threads, choice);
  const variant = checkWebgpuVariant(o.webgpuVariant, choice);
  if (choice === 'cpu') return { backend: new CpuBackend() };
  if (choice === 'wasm') return { backend: await createWasm(threads) };
  // In Node, 'webgpu' goes on to Dawn (the npm package webgpu, src/webgpu/gpu.ts), which names the package when absent.
  if (!webgpuPresent() && !(choice === 'webgpu' && inNode())) {
    const why = noNavigatorGpuReason(inNode());
    if (choice === 'webgpu') throw new WebGPUUnavailableError(why, 'no-webgpu');
    return autoFallback(`WebGPU is unavailable: ${why}`, 'no-webgpu', onNotice, threads);
  }
  let gpu;
  try {
    let WebGpuBackend: typeof import('./webgpu/backend.ts').WebGpuBackend;
    try {
      ({ WebGpuBackend } = await import('./webgpu/backend.ts'));
    } catch (err) {
      throw new WebGPUUnavailableError(`the WebGPU backend could not be loaded here (${messageOf(err)})`, 'no-webgpu');
    }
    gpu = await WebGpuBackend.create(variant === undefined ? {} : { variant, softwareFallback: choice === 'auto' });
  } catch (err) {
    // The variant asked for needs what this adapter lacks: said as the option given, and not fallen back from.
    if (err instanceof LimitError && err.field === 'variant') throw new LimitError('webgpuVariant', err.message.replace(/^variant: /, ''));
    if (choice === 'webgpu') throw err;
    // An error without a reason (not a WebGPUUnavailableError) came from the adapter's side of WebGpuBackend.create.
    const reason = err instanceof WebGPUUnavailableError && err.reason ? err.reason : 'adapter-failed';
    return autoFallback(messageOf(err), reason, onNotice, threads);
  }
  if (choice === 'auto' && gpu.swiftshader) {
    const adapter = gpu.description;
    gpu.dispose();
    return autoFallback(`the only WebGPU adapter is a software one (${adapter}), slower than the CPU`, 'software-adapter', onNotice, threads);
  }
  return { backend: gpu };
}

async function createWasm(threads: number | undefined): Promise<Backend> {
  const { WasmBackend } = await import('./wasm/backend.ts');
  return WasmBackend.create({ threads });
}

/**
 * `threads`, given: an integer 1 … MAX_THREADS, for a backend that may be wasm ('wasm' or 'auto'), else a SpecError
 * naming `threads` (a count that would do nothing is refused rather than ignored).
 */
function checkThreads(threads: unknown, choice: BackendChoice): number | undefined {
  if (threads === undefined) return undefined;
  const n = integerIn(threads, 'threads', 1, MAX_THREADS);
  if (choice === 'cpu' || choice === 'webgpu') {
    throw new SpecError('threads', `is for a wasm backend ('wasm', or 'auto' where it falls back to wasm); backend is '${choice}'`);
  }
  return n;
}

/**
 * `webgpuVariant`, given: 'auto' or one of KERNEL_VARIANTS, for a backend that may be WebGPU ('webgpu' or 'auto'),
 * else a SpecError naming `webgpuVariant` (as `threads`: an option that would do nothing is refused).
 */
function checkWebgpuVariant(variant: unknown, choice: BackendChoice): 'auto' | KernelVariant | undefined {
  if (variant === undefined) return undefined;
  const v = oneOf(variant, ['auto', ...KERNEL_VARIANTS] as const, 'webgpuVariant');
  if (choice === 'cpu' || choice === 'wasm') {
    throw new SpecError('webgpuVariant', `is for a WebGPU backend ('webgpu', or 'auto' where it finds a GPU); backend is '${choice}'`);
  }
  return v;
}

/** The notice's default teller: console.warn. */
const warnNotice = (m: string): void => console.warn(`[backprop-webgpu] ${m}`);

/**
 * `onNotice` (default console.warn) less the notice `told` already: a rebuild() of an 'auto' model that falls back for
 * the same reason again (the same text) told that notice once already, when the model was made.
 */
export function untold(onNotice: ((m: string) => void) | undefined, told: string | undefined): ((m: string) => void) | undefined {
  return told === undefined ? onNotice : (m) => { if (m !== told) (onNotice ?? warnNotice)(m); };
}

/** 'auto' without a (hardware) GPU: wasm, else the CPU; one notice saying why. */
async function autoFallback(reason: string, fallback: FallbackReason, onNotice: ((m: string) => void) | undefined, threads: number | undefined): Promise<MadeBackend> {
  let backend: Backend;
  let notice: string;
  try {
    backend = await createWasm(threads);
    notice = `${reason} — training on WebAssembly SIMD instead (${backend.description}).`;
  } catch (err) {
    backend = new CpuBackend();
    notice = `${reason}; ${messageOf(err)} — training on the CPU instead.`;
  }
  try {
    (onNotice ?? warnNotice)(notice);
  } catch (err) {
    // The caller gets no backend to dispose: this one goes (a wasm backend's workers would keep Node alive).
    backend.dispose();
    throw err;
  }
  return { backend, notice, fallback };
}

/** options.backend must be 'auto' or one of BACKEND_KINDS, spelled exactly: a SpecError naming `backend` otherwise. */
function checkBackendChoice(choice: unknown): asserts choice is BackendChoice {
  if (choice !== 'auto' && !(BACKEND_KINDS as readonly unknown[]).includes(choice)) {
    const kinds = ['auto', ...BACKEND_KINDS];
    throw new SpecError('backend', `must be one of ${kinds.map((k) => `'${k}'`).join(', ')} (lower case), got ${describe(choice)}${valueGuess(choice, kinds)}`);
  }
}

/**
 * ModelOptions, checked before any backend is made or any work is done: an unknown option, a `backend` that is not
 * a choice (or differs from the kind of `shared`), an `onNotice` that is not a function, a `shared` that is not a
 * backend, `threads` not 1 … MAX_THREADS or where no wasm backend is made (`shared` given, backend 'cpu' or
 * 'webgpu'), or `webgpuVariant` not a variant or where no WebGPU backend is made (`shared`, 'cpu', 'wasm') is a
 * SpecError naming it; a `shared` backend already disposed a DisposedError; a bad `budget` a LimitError
 * (src/budget.ts). Returns the model's budget and the options as checked: each read once (a getter is asked once), so
 * that what create, load and rebuild use is what was checked.
 */
export function checkModelOptions(options: unknown): { budget: Budget; options: ModelOptions } {
  const given = checkOptions(options, 'options', ['backend', 'onNotice', 'shared', 'budget', 'threads', 'webgpuVariant']);
  const o: Record<string, unknown> = { backend: given.backend, onNotice: given.onNotice, shared: given.shared, budget: given.budget, threads: given.threads, webgpuVariant: given.webgpuVariant };
  if (o.onNotice !== undefined && typeof o.onNotice !== 'function') throw new SpecError('onNotice', `must be a function, got ${describe(o.onNotice)}`);
  // Only an absent backend is 'auto' (null was taken for it, where createBackend(null) and threads: null are refused).
  if (o.backend !== undefined) checkBackendChoice(o.backend);
  const shared = o.shared as Partial<Backend> | undefined;
  if (shared !== undefined) {
    // What a model calls on a backend: compile, trainer, dispose (a fake {kind, compile} is refused here, not a TypeError later).
    if (typeof shared !== 'object' || shared === null || !(BACKEND_KINDS as readonly unknown[]).includes(shared.kind)
      || typeof shared.compile !== 'function' || typeof shared.trainer !== 'function' || typeof shared.dispose !== 'function'
      || (shared.isDisposed !== undefined && typeof shared.isDisposed !== 'boolean')) {
      throw new SpecError('shared', `must be a backend (a CpuBackend, WebGpuBackend or WasmBackend: kind, compile, trainer, dispose), got ${describe(shared)}`);
    }
    if (shared.isDisposed) throw new DisposedError('the shared backend');
    if (o.backend !== undefined && o.backend !== 'auto' && o.backend !== shared.kind) {
      throw new SpecError('backend', `is ${describe(o.backend)} but the shared backend is '${shared.kind}'; give one of them`);
    }
  }
  if (o.threads !== undefined) {
    checkThreads(o.threads, (o.backend ?? 'auto') as BackendChoice);
    if (shared !== undefined) throw new SpecError('threads', `is for a wasm backend the model makes; the shared backend ('${shared.kind}') has its own`);
  }
  if (o.webgpuVariant !== undefined) {
    checkWebgpuVariant(o.webgpuVariant, (o.backend ?? 'auto') as BackendChoice);
    if (shared !== undefined) throw new SpecError('webgpuVariant', `is for a WebGPU backend the model makes; the shared backend ('${shared.kind}') has its own kernels`);
  }
  // The snapshot, checked above, is the options the model uses (its budget resolved here, read once).
  return { budget: resolveBudget(o.budget as Partial<Budget> | undefined), options: o as ModelOptions };
}

/** The largest buffer `backend` can bind if it is WebGPU (fit's data sets are bound whole); undefined on cpu and wasm. */
export function maxBindingBytes(backend: Backend): number | undefined {
  return backend.kind === 'webgpu' ? (backend as WebGpuBackend).maxBindingBytes : undefined;
}

/** Is WebGPU even worth trying here? (No navigator.gpu: Node, or a browser without WebGPU.) */
export function webgpuPresent(): boolean {
  return typeof navigator !== 'undefined' && 'gpu' in navigator && navigator.gpu !== undefined;
}
