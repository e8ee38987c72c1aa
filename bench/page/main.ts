/**
 * The bench page's systems (the page: src/lab/bench.html, ./ui.ts; a run: ./run.ts). Every system runs here, in one
 * page: ours-webgpu and ours-cpu (src/model.ts), TF.js 4.22 on webgpu, webgl, wasm and cpu, jax-js on webgpu and
 * wasm (../jax.ts). `window.bench` is the run's Driver: open a system on a config (same weights and batch for all:
 * bench/configs.ts `materialize`), train k steps and get the loss and the wall time of the call (the loss readback
 * included), close. Calls take and return plain JSON; errors come back as {error}.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import { messageOf } from '../../src/checks.ts';
import { WasmBackend } from '../../src/wasm/backend.ts';
import { WebGpuBackend } from '../../src/webgpu/backend.ts';
import { tinyEntryFor } from '../../src/webgpu/fused.ts';
import { type JaxEnv, jaxTrainer, loadJax } from '../jax.ts';
import { bareMatmul, jaxMatmul, type MatmulCheck, tfMatmul } from '../matmul.ts';
import { base64ToF32, type BenchConfig, type FitConfig, type Materialized, materialize, startOf } from '../configs.ts';
import type { MnistSplit } from '../../src/train/mnist.ts';
import { digitsOf, type EpochStat, type FitInput, type FitRun, jaxFit, oursFit, tfFit } from '../fit-systems.ts';
import { oursTrainer, scalarTrainer, type SystemId, tfTrainer, type Trainer, WEBGPU_SYSTEMS, type WebGpuVariant } from '../systems.ts';
import { adapterNames } from '../report.ts';
import { installGpuProbe, probed, probedDevice, summarize } from './gpu-probe.ts';
import { answerWithin, GaveUp, NoAnswerError, notTried, setBackendWithin } from './limits.ts';
import type { BrandVersion } from './table.ts';
import type { Opened } from '../protocol.ts';

installGpuProbe();
// TF.js's wasm binaries as URLs Vite serves (dev) or emits (the built site); the threaded one needs this page
// cross-origin isolated.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

export type Result<T> = { ok: T } | { error: { name: string; message: string } };

export interface PageEnv {
  userAgent: string;
  /** Chromium's brands with their full versions (navigator.userAgentData's fullVersionList); absent elsewhere. */
  browserVersions?: BrandVersion[];
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  webgpu: {
    available: boolean; reason?: string; description?: string; vendor?: string; architecture?: string; device?: string; adapterDescription?: string;
    isFallbackAdapter?: boolean; variant?: string; timestampQuery?: boolean;
    /** The fused kernel 'auto' gives nets ≤ 4 wide at batch ≤ 4: main_lanes or main_tiny (src/webgpu/fused.ts tinyEntryFor). */
    tinyNets?: string;
  };
  tfjs: {
    version: string; backends: Record<string, string>;
    /** The threads TF.js's wasm backend actually uses (getThreadsCount after setBackend('wasm')). */
    wasmThreads?: number;
    /** --tfjs-wasm-threads (npm run bench) or the page's tfjsThreads=N: what was passed to setThreadsCount; absent when TF.js chose (its default). */
    wasmThreadsRequested?: number;
    /** The navigator.hardwareConcurrency the wasm module saw while it started, when it was raised to lift TF.js's cap. */
    wasmHardwareConcurrencyShown?: number;
    wasmSimd?: boolean; wasmMultithread?: boolean;
    /** The GPU TF.js's webgl backend draws on: WEBGL_debug_renderer_info's unmasked strings, else RENDERER and VENDOR. */
    webglRenderer?: string; webglVendor?: string;
    /** TF.js's GPU backends whose set-up gave no answer within GPU_PROBE_MS (./limits.ts), each with its NoAnswerError's words. */
    noAnswer?: Record<string, string>;
  };
  /** Where the page came from: its origin, and whether the Vite dev server (npm run bench) or a built site served it. */
  page?: { origin: string; served: 'dev server' | 'built site' };
  /** jax-js, loaded by env() with its wasm worker count (absent when it failed to load: jaxError says why). */
  jax?: JaxEnv;
  jaxError?: string;
  /** ours-wasm's backend and the machine's f32x4 FMA peak at its thread count (WasmBackend.measurePeak); error when it failed. */
  wasm?: WasmEnv;
}

export interface WasmEnv {
  description?: string; threads?: number; threadsRequested?: number; simd?: string; peakGflops?: number; error?: string;
  /** The GEMM's register block, MR × NV (src/wasm/gemm.ts: '6 × 2' with relaxed SIMD, '4 × 2' without). */
  tiling?: string;
}

export interface EnvOptions {
  /** setThreadsCount(n) before the wasm backend is first set; undefined: TF.js's default. */
  tfjsWasmThreads?: number;
  /** jax-js's wasm workers, set before its module loads (bench/jax.ts); default 1. */
  jaxWasmWorkers?: number;
  /** ours-wasm's threads (the calling thread included); default 1. */
  oursWasmThreads?: number;
}

export interface Job {
  system: SystemId;
  config: BenchConfig;
  /** ours-webgpu's kernel variant (--webgpu-variants); undefined: 'auto'. */
  variant?: WebGpuVariant;
  /** Example-major batch made in Node (MNIST), base64 of the Float32Array bytes. */
  data?: { X: string; Y: string };
}

/** Config e: one system's fit on the MNIST split (./mnist.ts, from the site's digits file). */
export interface FitJob {
  system: SystemId;
  config: BenchConfig;
  variant?: WebGpuVariant;
  mnist: MnistSplit;
}

export interface TrainOut {
  loss: number;
  /** Wall time of the call: from before the first step is issued to after the loss is read back. */
  ms: number;
  /** GPU time of the call's compute passes (timestamp-query), ours-webgpu only. */
  gpuMs?: number;
  /** Dispatches the call made (ours-webgpu). */
  dispatches?: number;
}

function fail(err: unknown): { error: { name: string; message: string } } {
  if (err instanceof Error) return { error: { name: err.name, message: err.message } };
  return { error: { name: 'Error', message: String(err) } };
}

async function wrap<T>(fn: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: await fn() };
  } catch (err) {
    return fail(err);
  }
}

/**
 * ours-webgpu's backends, one per kernel variant asked for (--webgpu-variants; 'auto' is env()'s), each with its own
 * device. A variant the adapter cannot run ('subgroup' without the `subgroups` feature) rejects with the engine's
 * LimitError, which becomes that row's error.
 */
const gpus = new Map<WebGpuVariant, Promise<WebGpuBackend>>();
function ourGpu(variant: WebGpuVariant = 'auto'): Promise<WebGpuBackend> {
  let gpu = gpus.get(variant);
  if (!gpu) {
    // The probe's device: timestamp-query added, timed while armed (./gpu-probe.ts); TF.js's and jax-js's devices are not.
    // Within GPU_PROBE_MS (./limits.ts), the limit inside the probe's claim, so that the claim ends with it; a backend
    // that comes later is disposed.
    gpu = probedDevice(() => answerWithin(WebGpuBackend.create({ variant }), 'WebGPU', (late) => late.dispose()));
    gpu.catch(() => gpus.delete(variant));
    gpus.set(variant, gpu);
  }
  return gpu;
}

/** ours-wasm's one backend (env() makes it, with its thread count, and measures the machine's wasm FMA peak on it). */
let wasm: Promise<WasmBackend> | null = null;
function ourWasm(threads = 1): Promise<WasmBackend> {
  wasm ??= WasmBackend.create({ threads });
  return wasm;
}

/** jax-js's wasm workers (env() sets it, before jax-js loads). */
let jaxWorkers = 1;

/** The systems env() gave up on, a set-up step of theirs with no answer in time (./limits.ts): open() and fit() refuse them. */
const gaveUp = new GaveUp();

let cached: { key: string; m: Materialized } | null = null;
function materialized(job: Job): Materialized {
  const key = JSON.stringify(job.config) + (job.data ? `#${job.data.X.length}:${job.data.X.slice(0, 64)}` : '');
  if (cached?.key !== key) {
    cached = null; // let the old one go before making the new one (config d is ~30 MB)
    const given = job.data ? { X: base64ToF32(job.data.X), Y: base64ToF32(job.data.Y) } : undefined;
    cached = { key, m: materialize(job.config, given) };
  }
  return cached.m;
}

interface Open {
  system: SystemId;
  trainer: Trainer;
  gpu?: WebGpuBackend;
  /** The bare matmul row's check of its product (bench/matmul.ts). */
  check?: () => Promise<MatmulCheck>;
}
const open = new Map<number, Open>();
let nextId = 1;

function entry(id: number): Open {
  const e = open.get(id);
  if (!e) throw new Error(`no open system ${id}`);
  return e;
}

/** The renderer of TF.js's webgl backend (the current backend): its context's unmasked strings where the browser gives them. */
function webglRenderer(): { webglRenderer?: string; webglVendor?: string } {
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext | WebGL2RenderingContext } }).gpgpu?.gl;
  if (!gl) return {};
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer: unknown = gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
  const vendor: unknown = gl.getParameter(ext ? ext.UNMASKED_VENDOR_WEBGL : gl.VENDOR);
  return { ...(typeof renderer === 'string' ? { webglRenderer: renderer } : {}), ...(typeof vendor === 'string' ? { webglVendor: vendor } : {}) };
}

/** Chromium's brands with their full versions (the user agent has only the major version), or undefined. */
async function fullVersionList(): Promise<BrandVersion[] | undefined> {
  const ua = (navigator as Navigator & { userAgentData?: { getHighEntropyValues(hints: string[]): Promise<{ fullVersionList?: BrandVersion[] }> } }).userAgentData;
  try {
    return (await ua?.getHighEntropyValues(['fullVersionList']))?.fullVersionList;
  } catch {
    return undefined; // refused (not a secure context): the user agent's version stands
  }
}

export const bench = {
  ready: true as const,

  /** Sets up the TF.js backends (once, first thing: the wasm thread count can only be set before the wasm backend starts). */
  env(opts: EnvOptions = {}): Promise<PageEnv> {
    return (async () => {
      const threads = opts.tfjsWasmThreads;
      if (threads !== undefined) {
        if (tf.engine().registry.wasm) throw new Error('--tfjs-wasm-threads: the TF.js wasm backend has already started; the thread count must be set before it does');
        setThreadsCount(threads);
      }
      const out: PageEnv = {
        userAgent: navigator.userAgent,
        crossOriginIsolated: globalThis.crossOriginIsolated === true,
        hardwareConcurrency: navigator.hardwareConcurrency,
        webgpu: { available: false },
        tfjs: { version: tf.version.tfjs, backends: {} },
        // A dev server serves this module as its source (…/bench/page/main.ts), a built site as a bundle (assets/….js);
        // import.meta.env.DEV would follow NODE_ENV instead (true in a build made under vitest).
        page: { origin: location.origin, served: new URL(import.meta.url).pathname.endsWith('.ts') ? 'dev server' : 'built site' },
      };
      const versions = await fullVersionList();
      if (versions) out.browserVersions = versions;
      // Every step below that waits on the GPU does so within GPU_PROBE_MS (./limits.ts); a race, not a sleep.
      let noWebgpu: NoAnswerError | undefined;
      try {
        const b = await ourGpu();
        out.webgpu = {
          available: true, description: b.description, ...adapterNames(b.adapterInfo), isFallbackAdapter: b.adapterInfo.isFallbackAdapter, variant: b.variant,
          timestampQuery: b.device.features.has('timestamp-query'), tinyNets: `main_${tinyEntryFor(b.subgroups)}`,
        };
      } catch (err) {
        out.webgpu = { available: false, reason: messageOf(err) };
        // WebGPU did not answer: TF.js's and jax-js's webgpu set-ups would wait on it too, so they are not tried.
        if (err instanceof NoAnswerError) noWebgpu = err;
      }
      if (noWebgpu) gaveUp.add(WEBGPU_SYSTEMS, noWebgpu);
      try {
        // NOTE: the peak is measured before jax-js and TF.js start their workers, at ours-wasm's thread count.
        const w = await ourWasm(opts.oursWasmThreads ?? 1);
        out.wasm = { description: w.description, threads: w.threads, simd: w.simd, tiling: `${w.tiling.MR} × ${w.tiling.NV}`, peakGflops: await w.measurePeak(w.threads) };
        if (opts.oursWasmThreads !== undefined) out.wasm.threadsRequested = opts.oursWasmThreads;
      } catch (err) {
        out.wasm = { error: messageOf(err) };
      }
      jaxWorkers = opts.jaxWasmWorkers ?? 1;
      try {
        const jax = await loadJax(jaxWorkers, noWebgpu);
        out.jax = jax.env;
        if (jax.noAnswer) gaveUp.add(['jax-webgpu'], jax.noAnswer);
      } catch (err) {
        out.jaxError = messageOf(err);
      }
      for (const name of ['cpu', 'wasm', 'webgpu', 'webgl']) {
        // TF.js 4.22's wasm backend caps setThreadsCount(n) at its default, navigator.hardwareConcurrency / 2 (1 on
        // 2 cores), which it reads once, when its module starts. To give it n threads above that, the module is shown
        // hardwareConcurrency = 2n while it starts (the page's own getter is back right after); env.tfjs records it.
        const shown = name === 'wasm' && threads !== undefined && threads > Math.max(1, Math.floor(navigator.hardwareConcurrency / 2)) ? 2 * threads : undefined;
        if (shown !== undefined) Object.defineProperty(navigator, 'hardwareConcurrency', { configurable: true, get: () => shown });
        try {
          if (name === 'webgpu' && noWebgpu) {
            out.tfjs.backends[name] = `failed: ${notTried(noWebgpu.message)}`;
          } else {
            out.tfjs.backends[name] = (await setBackendWithin(tf, name)) ? 'ok' : 'failed';
          }
        } catch (err) {
          out.tfjs.backends[name] = `failed: ${messageOf(err)}`;
          if (err instanceof NoAnswerError) {
            gaveUp.add([`tfjs-${name}` as SystemId], err);
            out.tfjs.noAnswer = { ...out.tfjs.noAnswer, [name]: err.message };
          }
        } finally {
          if (shown !== undefined) delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
        }
        if (name === 'webgl' && out.tfjs.backends.webgl === 'ok') Object.assign(out.tfjs, webglRenderer());
        if (name === 'wasm' && out.tfjs.backends.wasm === 'ok') {
          out.tfjs.wasmThreads = getThreadsCount();
          if (threads !== undefined) out.tfjs.wasmThreadsRequested = threads;
          if (shown !== undefined) out.tfjs.wasmHardwareConcurrencyShown = shown;
          out.tfjs.wasmSimd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
          out.tfjs.wasmMultithread = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
        }
      }
      return out;
    })();
  },

  /** Build `job.system` on `job.config` from the shared start; nothing is timed. */
  open(job: Job): Promise<Result<Opened>> {
    return wrap(async () => {
      gaveUp.refuse(job.system);
      let trainer: Trainer;
      let g: WebGpuBackend | undefined;
      const shape = job.config.matmul;
      if (shape) {
        // Config f's bare GEMM row (bench/matmul.ts): GPU systems only (bench/systems.ts unsupported).
        const made = job.system === 'ours-webgpu' ? await bareMatmul(await ourGpu(job.variant), shape)
          : job.system === 'tfjs-webgl' || job.system === 'tfjs-webgpu' ? await tfMatmul(tf, job.system === 'tfjs-webgl' ? 'webgl' : 'webgpu', shape)
          : job.system === 'jax-webgpu' ? await jaxMatmul(jaxWorkers, shape)
          : null;
        if (!made) throw new Error(`${job.system} has no bare matmul`);
        const id = nextId++;
        open.set(id, { system: job.system, trainer: made, check: () => made.check() });
        return { id, description: made.description };
      }
      const m = materialized(job);
      switch (job.system) {
        case 'ours-webgpu':
          g = await ourGpu(job.variant);
          trainer = await oursTrainer('webgpu', job.config, m, g);
          break;
        case 'ours-wasm':
          trainer = await oursTrainer('wasm', job.config, m, await ourWasm());
          break;
        case 'ours-cpu':
          trainer = await oursTrainer('cpu', job.config, m);
          break;
        case 'tfjs-webgpu': case 'tfjs-webgl': case 'tfjs-wasm': case 'tfjs-cpu':
          trainer = await tfTrainer(tf, job.system.slice('tfjs-'.length) as 'webgpu' | 'webgl' | 'wasm' | 'cpu', job.config, m);
          break;
        case 'jax-webgpu': case 'jax-wasm':
          trainer = await jaxTrainer(jaxWorkers, job.system === 'jax-webgpu' ? 'webgpu' : 'wasm', job.config, m);
          break;
        case 'scalar':
          trainer = await scalarTrainer(job.config, m);
          break;
        default:
          throw new Error(`unknown system ${String(job.system)}`);
      }
      const id = nextId++;
      open.set(id, { system: job.system, trainer, gpu: g });
      return { id, description: trainer.description, ...(trainer.netThreads !== undefined ? { netThreads: trainer.netThreads } : {}) };
    });
  },

  /**
   * Config e: the system's own fit from the shared start on the split (bench/fit-systems.ts); nothing stays open.
   * `onEpoch` hears each epoch's end (the run's progress line: the page's bar and status, and `npm run bench`'s).
   */
  fit(job: FitJob, onEpoch?: (e: EpochStat) => void): Promise<Result<FitRun>> {
    return wrap(async () => {
      gaveUp.refuse(job.system);
      const c = job.config;
      if (!c.fit) throw new Error(`config ${c.id} is not a fit config`);
      const { net, params } = startOf(c);
      const input: FitInput = {
        config: c as BenchConfig & { fit: FitConfig },
        m: { net, params, X: new Float32Array(0), Y: new Float32Array(0) },
        train: digitsOf(job.mnist.train, c.fit.train, job.mnist.standardize),
        test: digitsOf(job.mnist.test, c.fit.test, job.mnist.standardize),
        ...(onEpoch ? { onEpoch } : {}),
      };
      switch (job.system) {
        // A backend of their own, made inside the fit's clock (its compiles in epoch 1, as the peers'), not the shared one.
        case 'ours-webgpu': return oursFit('webgpu', input, () => WebGpuBackend.create({ variant: job.variant ?? 'auto' }));
        case 'ours-wasm': return oursFit('wasm', input, async () => WasmBackend.create({ threads: (await ourWasm()).threads }));
        case 'ours-cpu': return oursFit('cpu', input);
        case 'tfjs-webgpu': case 'tfjs-webgl': case 'tfjs-wasm': case 'tfjs-cpu':
          return tfFit(tf, job.system.slice('tfjs-'.length) as 'webgpu' | 'webgl' | 'wasm' | 'cpu', input);
        case 'jax-webgpu': case 'jax-wasm':
          return jaxFit(jaxWorkers, job.system === 'jax-webgpu' ? 'webgpu' : 'wasm', input);
        default:
          throw new Error(`${job.system} has no fit`);
      }
    });
  },

  /** `steps` steps; the loss of the last one and the wall time of the call (its loss readback included). */
  train(id: number, steps: number): Promise<Result<TrainOut>> {
    return wrap(async () => {
      const e = entry(id);
      await e.trainer.activate?.(); // TF.js: its (global) backend, before the clock starts
      if (e.system === 'ours-webgpu') {
        let ms = 0;
        const run = await probed(false, async () => {
          const t0 = performance.now();
          const r = await e.trainer.train(steps);
          ms = performance.now() - t0;
          return r;
        });
        const gpuNs = run.samples.reduce((s, k) => s + k.ns, 0);
        return { loss: run.value.loss, ms, dispatches: run.dispatches, ...(run.samples.length ? { gpuMs: gpuNs / 1e6 } : {}) };
      }
      const t0 = performance.now();
      const r = await e.trainer.train(steps);
      return { loss: r.loss, ms: performance.now() - t0 };
    });
  },

  /**
   * Untimed facts after the timing: for TF.js, kernels and tensors per step (tf.profile) and, on webgpu, the
   * GPU time of `steps` steps (tf.time's kernelMs); for ours-webgpu, one step with every dispatch in its own
   * timed pass (label, bytes bound, GPU ns).
   */
  inspect(id: number, steps: number): Promise<Result<Record<string, unknown>>> {
    return wrap(async () => {
      const e = entry(id);
      if (e.system === 'ours-webgpu') {
        const run = await probed(true, () => e.trainer.train(1));
        return { dispatchesPerStep: run.dispatches, kernels: summarize(run.samples) };
      }
      const out: Record<string, unknown> = { ...(await e.trainer.inspect?.()) };
      if (e.system === 'tfjs-webgpu' && steps > 0 && e.trainer.kernelMs) {
        const ms = await e.trainer.kernelMs(steps);
        if (ms !== null) out.gpuMsPerStep = ms / steps;
      }
      return out;
    });
  },

  /** The parameters after the agreement run of a small net (bench/agree-params.ts; untimed). */
  params(id: number): Promise<Result<Float32Array>> {
    return wrap(async () => {
      const e = entry(id);
      if (!e.trainer.params) throw new Error(`system ${e.system} cannot hand back its parameters`);
      return e.trainer.params();
    });
  },

  /** The bare matmul row: its last product against float64 dots on sampled entries (untimed). */
  check(id: number): Promise<Result<MatmulCheck>> {
    return wrap(async () => {
      const e = entry(id);
      if (!e.check) throw new Error(`system ${id} has no product to check`);
      return e.check();
    });
  },

  close(id: number): boolean {
    const e = open.get(id);
    e?.trainer.dispose();
    return open.delete(id);
  },
};

export type BenchApi = typeof bench;
declare global {
  interface Window { bench: BenchApi }
}
window.bench = bench;
