/**
 * npm run bench:node [-- options]: the CPU path without a browser — ours-cpu (src/cpu through Model), and
 * TF.js 4.22 cpu and wasm in this Node process for the ratios (--systems ours-cpu for ours alone). Same
 * configs, protocol, agreement and outputs as `npm run bench` (bench/results/node-latest.{json,md,svg}).
 * Note: TF.js in Node has no threaded wasm (its backend says Node lacks the support), so tfjs-wasm is single-threaded here.
 *
 * The Dawn runner (bench/dawn.ts, npm run bench:dawn) runs this same driver with ours-webgpu too: it installs
 * Dawn's navigator.gpu and loads this file through Vite's SSR loader (the WGSL `?raw` imports need Vite), and the
 * driver times ours-webgpu as the bench page does (bench/page/gpu-probe.ts: timestamp-query GPU time, one
 * profiled step per row).
 */
import { argsErrorExit, commandLine, hostEnv, measureAll, parseArgs, prepareData, Progress, type BenchOptions, withLoadAtEnd } from './bench.ts';
import { type BenchConfig, materialize, type MatmulShape } from './configs.ts';
import type { MatmulCheck, MatmulTrainer } from './matmul.ts';
import type { Driver, Opened, TrainOut } from './protocol.ts';
import { probed, probedDevice, summarize } from './page/gpu-probe.ts';
import { STANDALONE } from './build-info.ts';
import { finish } from './output.ts';
import { adapterNames, type BenchResult } from './report.ts';
import { type RunEnv } from './labels.ts';
import { oursTrainer, scalarTrainer, type SystemId, tfTrainer, type Trainer, type WebGpuVariant } from './systems.ts';
import { messageOf } from '../src/checks.ts';
import { isMain } from '../src/node/flags.ts';
import type { WebGpuBackend } from '../src/webgpu/backend.ts';
import { tinyEntryFor } from '../src/webgpu/fused.ts';

type Tf = typeof import('@tensorflow/tfjs');

/**
 * ours-webgpu's backends, one per kernel variant (--webgpu-variants; one device each, shared by that variant's rows),
 * made on first use with the GPU probe installed first. A variant the adapter cannot run rejects with the engine's
 * LimitError: that row's error.
 */
class GpuSource {
  private readonly backends = new Map<WebGpuVariant, Promise<WebGpuBackend>>();

  get(variant: WebGpuVariant = 'auto'): Promise<WebGpuBackend> {
    let backend = this.backends.get(variant);
    if (!backend) {
      // Loaded here, not at the top: src/webgpu imports WGSL with `?raw`, which only Vite (bench/dawn.ts) resolves.
      // Its device is the probe's (probedDevice installs the probe first).
      backend = probedDevice(() => import('../src/webgpu/backend.ts').then(({ WebGpuBackend }) => WebGpuBackend.create({ variant })));
      backend.catch(() => this.backends.delete(variant));
      this.backends.set(variant, backend);
    }
    return backend;
  }

  /** What the results say about the adapter: as the bench page's env().webgpu, or why there is none. */
  async env(): Promise<Record<string, unknown>> {
    try {
      const b = await this.get();
      return {
        available: true, description: b.description, ...adapterNames(b.adapterInfo), isFallbackAdapter: b.adapterInfo.isFallbackAdapter,
        variant: b.variant, timestampQuery: b.device.features.has('timestamp-query'), tinyNets: `main_${tinyEntryFor(b.subgroups)}`,
      };
    } catch (err) {
      return { available: false, reason: messageOf(err) };
    }
  }

  async dispose(): Promise<void> {
    for (const backend of this.backends.values()) (await backend.catch(() => null))?.dispose();
    this.backends.clear();
  }
}

class LocalDriver implements Driver {
  private readonly trainers = new Map<number, Trainer>();
  private readonly gpuRows = new Set<number>();
  private nextId = 1;
  constructor(
    private readonly tf: Tf | null,
    private readonly data: Map<string, { X: Float32Array; Y: Float32Array }>,
    private readonly gpu: GpuSource | null = null,
  ) {}

  async open(system: SystemId, config: BenchConfig, variant?: WebGpuVariant): Promise<Opened> {
    if (config.matmul) return this.openMatmul(system, config.matmul, variant);
    const m = materialize(config, this.data.get(config.id));
    let t: Trainer;
    if (system === 'ours-cpu') t = await oursTrainer('cpu', config, m);
    else if (system === 'ours-webgpu' && this.gpu) t = await oursTrainer('webgpu', config, m, await this.gpu.get(variant));
    else if (system === 'scalar') t = await scalarTrainer(config, m);
    else if ((system === 'tfjs-cpu' || system === 'tfjs-wasm') && this.tf) t = await tfTrainer(this.tf, system === 'tfjs-cpu' ? 'cpu' : 'wasm', config, m);
    else throw new Error(`${system} is not available in the Node runner`);
    const id = this.nextId++;
    this.trainers.set(id, t);
    if (system === 'ours-webgpu') this.gpuRows.add(id);
    return { id, description: t.description };
  }

  /**
   * Config f's bare GEMM row (bench/matmul.ts bareMatmul, as the bench page runs it): ours-webgpu on Dawn only, the
   * other GPU systems need the browser. Loaded here, not at the top, for the same reason as the WebGPU backend.
   */
  private async openMatmul(system: SystemId, shape: MatmulShape, variant?: WebGpuVariant): Promise<Opened> {
    if (system !== 'ours-webgpu' || !this.gpu) throw new Error(`${system} has no bare matmul in the Node runner (ours-webgpu on Dawn has)`);
    const { bareMatmul } = await import('./matmul.ts');
    const t = await bareMatmul(await this.gpu.get(variant), shape);
    const id = this.nextId++;
    this.trainers.set(id, t);
    this.gpuRows.add(id);
    return { id, description: t.description };
  }

  async check(id: number): Promise<MatmulCheck> {
    const t = this.trainers.get(id) as Partial<MatmulTrainer> | undefined;
    if (!t?.check) throw new Error(`row ${id} is not a bare matmul`);
    return t.check();
  }

  async train(id: number, steps: number): Promise<TrainOut> {
    const t = this.trainers.get(id)!;
    await t.activate?.(); // TF.js: its (global) backend, before the clock starts
    if (this.gpuRows.has(id)) {
      // As the bench page: the wall time of the call, and the GPU time of its compute passes (timestamp-query).
      let ms = 0;
      const run = await probed(false, async () => {
        const t0 = performance.now();
        const r = await t.train(steps);
        ms = performance.now() - t0;
        return r;
      });
      const gpuNs = run.samples.reduce((s, k) => s + k.ns, 0);
      return { loss: run.value.loss, ms, dispatches: run.dispatches, ...(run.samples.length ? { gpuMs: gpuNs / 1e6 } : {}) };
    }
    const t0 = performance.now();
    const { loss } = await t.train(steps);
    return { loss, ms: performance.now() - t0 };
  }

  async params(id: number): Promise<Float32Array> {
    const t = this.trainers.get(id)!;
    if (!t.params) throw new Error(`row ${id} cannot hand back its parameters`);
    return t.params();
  }

  async inspect(id: number): Promise<Record<string, unknown>> {
    if (this.gpuRows.has(id)) {
      const run = await probed(true, () => this.trainers.get(id)!.train(1));
      return { dispatchesPerStep: run.dispatches, kernels: summarize(run.samples) };
    }
    return (await this.trainers.get(id)!.inspect?.()) ?? {};
  }

  async close(id: number): Promise<void> {
    this.trainers.get(id)?.dispose();
    this.trainers.delete(id);
    this.gpuRows.delete(id);
  }
}

/** TF.js for Node: the full package (core, cpu, gradients) and the wasm backend, quiet about tfjs-node. */
async function loadTf(): Promise<Tf> {
  const warn = console.warn;
  const log = console.log;
  console.warn = () => undefined;
  console.log = () => undefined;
  try {
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm');
    return tf;
  } finally {
    console.warn = warn;
    console.log = log;
  }
}

/**
 * `dawn`: the Dawn runner's part (bench/dawn.ts) — navigator.gpu is Dawn's; ours-webgpu runs on its adapter, which
 * the results describe (env.webgpu, env.dawn). Without it, the CPU systems only.
 */
export async function runNodeBench(o: BenchOptions, command: string, dawn?: RunEnv['dawn']): Promise<BenchResult> {
  const progress = new Progress(o.quiet);
  const { configs, data, notes } = await prepareData(o);
  for (const n of notes) if (!o.quiet) progress.line(n);
  const needTf = o.systems.some((s) => s.startsWith('tfjs-'));
  const tf = needTf ? await loadTf() : null;
  const gpu = dawn ? new GpuSource() : null;
  try {
    const env: RunEnv = {
      ...hostEnv(dawn ? 'dawn' : 'node'),
      ...(dawn ? { dawn } : {}),
      ...(gpu ? { webgpu: await gpu.env() } : {}),
      ...(tf ? { tfjs: { version: tf.version.tfjs, wasmThreads: 1 } } : {}),
    };
    const result = await measureAll(new LocalDriver(tf, data, gpu), o, configs, env, command, progress);
    return { ...result, env: withLoadAtEnd(result.env) };
  } finally {
    await gpu?.dispose();
  }
}

async function main(): Promise<number> {
  let o: BenchOptions;
  try {
    o = parseArgs(process.argv.slice(2), 'node');
  } catch (err) {
    return argsErrorExit(err);
  }
  const command = commandLine('bench:node');
  const result = await runNodeBench(o, command);
  return finish(result, { dir: o.out, name: o.name, stamped: o.stamped });
}

// NOTE: in the standalone build (bench/build-dawn.mjs) every module has the bundle's import.meta.url, so this test
// alone would start this runner too; its entry point is bench/dawn.ts.
if (!STANDALONE && isMain(import.meta.url)) {
  main().then((code) => process.exit(code), (err) => {
    console.error(err);
    process.exit(1);
  });
}
