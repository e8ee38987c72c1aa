/**
 * A whole run inside the bench page: the same measureAll as every runner (bench/measure.ts), its Driver being the
 * page's own `bench` API (./main.ts). The page's form, a link (?configs=…&systems=…&autorun=1) and `npm run bench`
 * (bench/browser.ts, which hands over the options it parsed) all come here. When it ends, `window.benchResults`
 * holds the result — the object `npm run bench` writes as latest.json — and `document.body.dataset.state` is
 * `done`; `stopped` when the page's Stop ended it before it finished (./stop.ts: the rows finished kept, the others
 * skipped as "not run (the run was stopped)", the result's `stopped` true: a partial run, whose JSON and Markdown say
 * so); or `error`, with `window.benchError`.
 */
import { type BenchConfig, hasFit, type RunMode } from '../configs.ts';
import type { EpochStat } from '../fit-systems.ts';
import { measureAll, type ProgressSink } from '../measure.ts';
import type { Driver, Policy, TrainOut } from '../protocol.ts';
import type { BenchResult } from '../report.ts';
import type { RunEnv } from '../labels.ts';
import { namedMessageOf } from '../../src/checks.ts';
import { MNIST_ASSET, type MnistSplit } from '../../src/train/mnist.ts';
import type { SystemId, WebGpuVariant } from '../systems.ts';
import { bench, type EnvOptions, type PageEnv, type Result } from './main.ts';
import { mnistSplit } from './mnist.ts';
import { PAGE_BUILD } from './build-stamp.ts';
import { browserOf } from './table.ts';
import { taskYielder } from './yield.ts';
import { endAttempt } from './attempt.ts';
import { setUpRun } from './stop.ts';
import { watchHidden } from './hidden.ts';

export interface RunRequest {
  /** The run's name (configs.ts runMode, as the command line names it). */
  mode: RunMode;
  configs: BenchConfig[];
  systems: SystemId[];
  policy: Policy;
  /** The command line (npm run bench) or the page's URL. */
  command: string;
  env?: EnvOptions;
  peakGflops?: number;
  gpuSizedOnFallback?: boolean;
  /** ours-webgpu's kernel variants, one row each (--webgpu-variants, the page's webgpuVariants=); undefined: 'auto' alone. */
  webgpuVariants?: WebGpuVariant[];
  /**
   * ours-cpu as the agreement's reference alone (measure.ts RunPlan.oracleReference): npm run bench's later page loads
   * (bench/browser.ts runPasses). The page's form and links never ask for it: one load there runs every system.
   */
  oracleReference?: boolean;
  /** Example-major batches by config id (MNIST from Node), base64 of the Float32Array bytes. */
  data?: Record<string, { X: string; Y: string }>;
  /**
   * The Node runner's facts (CPU model, Node, OS, browser flags, git commit, load at the start): merged into env. Not
   * the browser: the page names it (envOf), one form whether `npm run bench` drove it or a user opened it.
   */
  host?: Omit<Partial<RunEnv>, 'browser'>;
}

function unwrap<T>(r: Result<T>): T {
  if ('error' in r) throw Object.assign(new Error(r.error.message), { name: r.error.name });
  return r.ok;
}

function pageDriver(data: RunRequest['data'], split: MnistSplit | undefined): Driver {
  // The page's turn between calls (./yield.ts): the bar paints, and a second click on Run lands while it is disabled.
  const pause = taskYielder();
  return {
    async fit(system: SystemId, config: BenchConfig, onEpoch?: (e: EpochStat) => void, variant?: WebGpuVariant) {
      await pause();
      if (!split) throw new Error(`config ${config.id}: the run loaded no MNIST split`);
      return unwrap(await bench.fit({ system, config, mnist: split, ...(variant ? { variant } : {}) }, onEpoch));
    },
    async open(system: SystemId, config: BenchConfig, variant?: WebGpuVariant) {
      await pause();
      const d = data?.[config.id];
      return unwrap(await bench.open({ system, config, ...(d ? { data: d } : {}), ...(variant ? { variant } : {}) }));
    },
    async train(id: number, steps: number): Promise<TrainOut> {
      await pause();
      return unwrap(await bench.train(id, steps));
    },
    async check(id: number) {
      await pause();
      return unwrap(await bench.check(id));
    },
    async params(id: number) {
      return unwrap(await bench.params(id));
    },
    async inspect(id: number, steps: number) {
      await pause();
      return unwrap(await bench.inspect(id, steps));
    },
    async close(id: number) {
      bench.close(id);
    },
    // The main thread idles: tasks posted by the calls before (V8's metrics flush: protocol.ts SETTLE_MS) run now.
    settle: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  };
}

export function envOf(pageEnv: PageEnv, host: Omit<Partial<RunEnv>, 'browser'> = {}): RunEnv {
  return {
    runner: 'browser',
    cpu: { model: 'unknown (a page cannot see it)', cores: pageEnv.hardwareConcurrency },
    ...host,
    // The browser, from the page (its full version where Chromium gives it), whoever runs it: the driver's own string
    // (Firefox's "firefox/153.8.0") was another form for the same browser, which bench:compare took for another.
    browser: browserOf(pageEnv.userAgent, pageEnv.browserVersions),
    userAgent: pageEnv.userAgent,
    crossOriginIsolated: pageEnv.crossOriginIsolated,
    ...(pageEnv.page ? { page: pageEnv.page } : {}),
    webgpu: pageEnv.webgpu,
    tfjs: pageEnv.tfjs,
    ...(pageEnv.jax ? { jax: { ...pageEnv.jax } } : {}),
    ...(pageEnv.wasm ? { wasm: { ...pageEnv.wasm } } : {}),
    ...(PAGE_BUILD ? { build: PAGE_BUILD } : {}),
  };
}

let envPromise: Promise<PageEnv> | null = null;
let envSetUp: PageEnv | undefined;
/** The page's environment: TF.js and jax-js set up once (thread and worker counts can only be set before they start). */
export function pageEnv(opts: EnvOptions = {}): Promise<PageEnv> {
  envPromise ??= bench.env(opts).then((e) => (envSetUp = e));
  return envPromise;
}
/** pageEnv's environment once it is set up, else undefined (ui.ts start: the table's rows to come drawn with it at Run). */
export const pageEnvSetUp = (): PageEnv | undefined => envSetUp;

/**
 * `stop`: the page's Stop (./stop.ts), read by measureAll between its units of work; a driver's run has the page's too.
 * `measuring`: told once the set-up is over and the measurements begin (RunStop.measuring: what a press of Stop says).
 */
export async function runInPage(req: RunRequest, sink: ProgressSink, stop?: AbortSignal, measuring?: () => void): Promise<BenchResult> {
  document.body.dataset.state = 'running';
  try {
    // Config e's digits, before any row: a missing or corrupt digits file stops the run with an error naming it. Stop
    // pressed while the page sets up: no digits (./stop.ts setUpRun), and measureAll runs nothing, the run stopped.
    const { env, split } = await setUpRun({
      env: async () => envOf(await pageEnv(req.env), req.host),
      ...(hasFit(req.configs) ? { digits: mnistSplit } : {}),
      show: (text) => sink.show(text),
    }, stop, `loading the MNIST digits (${MNIST_ASSET})`);
    measuring?.();
    // Each timed call says whether the tab was hidden during it (./hidden.ts): the rows it marks say so.
    const result = await measureAll(watchHidden(pageDriver(req.data, split), document), req, req.configs, env, req.command, sink, stop);
    endAttempt(result, { globals: window, dataset: document.body.dataset });
    return result;
  } catch (err) {
    window.benchError = namedMessageOf(err);
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
