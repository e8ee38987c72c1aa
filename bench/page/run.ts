/**
 * A whole run inside the bench page: the same measureAll as every runner (bench/measure.ts), its Driver being the
 * page's own `bench` API (./main.ts). The page's form, a link (?configs=…&systems=…&autorun=1) and `npm run bench`
 * (bench/browser.ts, which hands over the options it parsed) all come here. When it ends, `window.benchResults`
 * holds the result — the object `npm run bench` writes as latest.json — and `document.body.dataset.state` is
 * `done` (or `error`, with `window.benchError`).
 */
import type { BenchConfig } from '../configs.ts';
import { measureAll, type ProgressSink } from '../measure.ts';
import type { Driver, Policy, TrainOut } from '../protocol.ts';
import type { BenchResult, RunEnv } from '../report.ts';
import type { MnistSplitB64 } from '../fit-systems.ts';
import type { SystemId } from '../systems.ts';
import { bench, type EnvOptions, type PageEnv, type Result } from './main.ts';

export interface RunRequest {
  mode: 'full' | 'quick' | 'custom';
  configs: BenchConfig[];
  systems: SystemId[];
  policy: Policy;
  /** The command line (npm run bench) or the page's URL. */
  command: string;
  env?: EnvOptions;
  peakGflops?: number;
  gpuSizedOnFallback?: boolean;
  /** Example-major batches by config id (MNIST from Node), base64 of the Float32Array bytes. */
  data?: Record<string, { X: string; Y: string }>;
  /** Config e's MNIST split (bench/mnist.ts mnistSplit), when the run has e configs. */
  mnistSplit?: MnistSplitB64;
  /** The Node runner's facts (CPU model, Node, OS, browser version): merged into env. */
  host?: Partial<RunEnv>;
}

function unwrap<T>(r: Result<T>): T {
  if ('error' in r) throw Object.assign(new Error(r.error.message), { name: r.error.name });
  return r.ok;
}

function pageDriver(data: RunRequest['data'], mnistSplit?: MnistSplitB64): Driver {
  return {
    async fit(system: SystemId, config: BenchConfig) {
      if (!mnistSplit) throw new Error(`config ${config.id} needs the MNIST split, which npm run bench sends (bench/mnist.ts); this page has none`);
      return unwrap(await bench.fit({ system, config, mnist: mnistSplit }));
    },
    async open(system: SystemId, config: BenchConfig) {
      const d = data?.[config.id];
      return unwrap(await bench.open({ system, config, ...(d ? { data: d } : {}) }));
    },
    async train(id: number, steps: number): Promise<TrainOut> {
      return unwrap(await bench.train(id, steps));
    },
    async check(id: number) {
      return unwrap(await bench.check(id));
    },
    async inspect(id: number, steps: number) {
      return unwrap(await bench.inspect(id, steps));
    },
    async close(id: number) {
      bench.close(id);
    },
  };
}

/** The browser, from the user agent ("Chrome/156.0.…"), when the runner did not say. */
function browserOf(ua: string): string {
  return /(Firefox|Edg|Chrome|Version)\/[\d.]+/.exec(ua)?.[0].replace(/^Version/, 'Safari') ?? ua;
}

export function envOf(pageEnv: PageEnv, host: Partial<RunEnv> = {}): RunEnv {
  return {
    runner: 'browser',
    cpu: { model: 'unknown (a page cannot see it)', cores: pageEnv.hardwareConcurrency },
    browser: browserOf(pageEnv.userAgent),
    ...host,
    userAgent: pageEnv.userAgent,
    crossOriginIsolated: pageEnv.crossOriginIsolated,
    webgpu: pageEnv.webgpu,
    tfjs: pageEnv.tfjs,
    ...(pageEnv.jax ? { jax: { ...pageEnv.jax } } : {}),
    ...(pageEnv.wasm ? { wasm: { ...pageEnv.wasm } } : {}),
  };
}

let envPromise: Promise<PageEnv> | null = null;
/** The page's environment: TF.js and jax-js set up once (thread and worker counts can only be set before they start). */
export function pageEnv(opts: EnvOptions = {}): Promise<PageEnv> {
  envPromise ??= bench.env(opts);
  return envPromise;
}

export async function runInPage(req: RunRequest, sink: ProgressSink): Promise<BenchResult> {
  document.body.dataset.state = 'running';
  try {
    const env = envOf(await pageEnv(req.env), req.host);
    const result = await measureAll(pageDriver(req.data, req.mnistSplit), req, req.configs, env, req.command, sink);
    window.benchResults = result;
    document.body.dataset.state = 'done';
    return result;
  } catch (err) {
    window.benchError = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    document.body.dataset.state = 'error';
    throw err;
  }
}

declare global {
  interface Window {
    benchResults?: BenchResult;
    benchError?: string;
    /** Set by a driver (npm run bench) to hear the progress line. */
    benchProgress?: (text: string, fraction?: number) => void;
    benchRun?: (req: RunRequest) => Promise<BenchResult>;
  }
}
