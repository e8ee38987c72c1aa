/**
 * The browser side of a run: the bench server (bench/server.ts), headless Chromium (puppeteer-core, WebGPU on),
 * the bench page, and a Driver whose systems live in that page. `runBrowserBench` is what `npm run bench` and
 * the smoke test (test/browser/bench.test.ts, on the test suite's shared Chromium) call.
 */
import type { Browser, Page } from 'puppeteer-core';
import { launchChromium } from '../src/node/chromium.ts';
import type { Served } from '../src/node/server.ts';
import { type BenchOptions, hostEnv, measureAll, prepareData, Progress } from './bench.ts';
import { type BenchConfig, f32ToBase64 } from './configs.ts';
import type { EnvOptions, PageEnv, Result } from './page/main.ts';
import type { Driver, TrainOut } from './protocol.ts';
import type { BenchResult } from './report.ts';
import { BENCH_PAGE, startBenchServer } from './server.ts';
import type { SystemId } from './systems.ts';

/** Unquantised timestamp-query results (Chromium rounds them to 100 µs otherwise). */
export const BENCH_CHROMIUM_ARGS = ['--enable-webgpu-developer-features'];

/** The system Chromium, else the bundled one (src/node/chromium.ts); `probeUrl`: drop a system one without WebGPU. */
export function launchBenchChromium(probeUrl?: string): Promise<Browser> {
  return launchChromium({ args: BENCH_CHROMIUM_ARGS, protocolTimeout: 900_000, probeUrl });
}

function unwrap<T>(r: Result<T>): T {
  if ('error' in r) throw Object.assign(new Error(r.error.message), { name: r.error.name });
  return r.ok;
}

export async function openBenchPage(browser: Browser, baseUrl: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(new URL(BENCH_PAGE, baseUrl).href);
  await page.waitForFunction(() => window.bench?.ready === true, { timeout: 120_000 });
  return page;
}

export class PageDriver implements Driver {
  constructor(private readonly page: Page, private readonly data: Map<string, { X: Float32Array; Y: Float32Array }>) {}

  async open(system: SystemId, config: BenchConfig): Promise<{ id: number; description: string }> {
    const d = this.data.get(config.id);
    const job = { system, config, ...(d ? { data: { X: f32ToBase64(d.X), Y: f32ToBase64(d.Y) } } : {}) };
    return unwrap(await this.page.evaluate((j) => window.bench.open(j), job));
  }

  async train(id: number, steps: number): Promise<TrainOut> {
    return unwrap(await this.page.evaluate((i, s) => window.bench.train(i, s), id, steps));
  }

  async inspect(id: number, steps: number): Promise<Record<string, unknown>> {
    return unwrap(await this.page.evaluate((i, s) => window.bench.inspect(i, s), id, steps));
  }

  async close(id: number): Promise<void> {
    await this.page.evaluate((i) => window.bench.close(i), id);
  }
}

/**
 * One run in a browser: `browser` (e.g. the test suite's) or a Chromium launched here; a bench server of its own.
 * The page's console errors are returned with the result (TF.js warnings are console.warn, not errors).
 */
export async function runBrowserBench(o: BenchOptions, command: string, browser?: Browser): Promise<{ result: BenchResult; consoleErrors: string[] }> {
  const progress = new Progress(o.quiet);
  progress.show('starting the bench server and Chromium');
  const { configs, data, notes } = await prepareData(o);
  for (const n of notes) if (!o.quiet) process.stderr.write(`${n}\n`);
  let served: Served | undefined;
  let own: Browser | undefined;
  let page: Page | undefined;
  const consoleErrors: string[] = [];
  try {
    served = await startBenchServer();
    const b = browser ?? (own = await launchBenchChromium(new URL(BENCH_PAGE, served.url).href));
    progress.show('loading the bench page (TF.js, WebGPU)');
    page = await openBenchPage(b, served.url, consoleErrors);
    const envOpts: EnvOptions = {
      ...(o.tfjsWasmThreads !== undefined ? { tfjsWasmThreads: o.tfjsWasmThreads } : {}),
      ...(o.oursWasmThreads !== undefined ? { oursWasmThreads: o.oursWasmThreads } : {}),
      wasmPeak: o.systems.includes('ours-wasm'),
    };
    const pageEnv: PageEnv = await page.evaluate((opts) => window.bench.env(opts), envOpts);
    const env = {
      ...hostEnv('browser'),
      browser: await b.version(),
      userAgent: pageEnv.userAgent,
      crossOriginIsolated: pageEnv.crossOriginIsolated,
      webgpu: pageEnv.webgpu,
      tfjs: pageEnv.tfjs,
      ...(pageEnv.wasm ? { wasm: pageEnv.wasm } : {}),
    };
    const t = pageEnv.tfjs;
    if (!o.quiet && t.wasmThreadsRequested !== undefined && t.wasmThreads !== t.wasmThreadsRequested) {
      process.stderr.write(`--tfjs-wasm-threads ${t.wasmThreadsRequested}: TF.js's wasm backend uses ${t.wasmThreads ?? 'no'} thread(s) (it caps the count at 8)\n`);
    }
    const result = await measureAll(new PageDriver(page, data), o, configs, env, command, progress);
    return { result, consoleErrors };
  } finally {
    progress.done();
    await page?.close().catch(() => undefined);
    await own?.close();
    await served?.close();
  }
}
