/**
 * The browser side of a run: the bench server (bench/server.ts), headless Chromium (puppeteer-core, WebGPU on)
 * and the bench page, which runs every system itself (bench/page/run.ts). `runBrowserBench` is what `npm run bench` and
 * the smoke test (test/browser/bench.test.ts, on the test suite's shared Chromium) call.
 */
import type { Browser, Page } from 'puppeteer-core';
import { BackpropError } from '../src/errors.ts';
import { launchChromium, loadPuppeteer } from '../src/node/chromium.ts';
import { findFirefox, firefoxPrefs, launchFirefox, NO_FIREFOX } from '../src/node/firefox.ts';
import type { Served } from '../src/node/server.ts';
import { type BenchOptions, hostEnv, prepareData, Progress, TFJS_WASM_THREADS_CAP, withLoadAtEnd } from './bench.ts';
import { f32ToBase64 } from './configs.ts';
import type { PageEnv } from './page/main.ts';
import type { RunRequest } from './page/run.ts';
import { mergeFitRounds, mergeRuns, type RunPlan, skipReason } from './measure.ts';
import { isStopped, type Row, skippedRow, stoppedRow } from './protocol.ts';
import type { BenchResult } from './report.ts';
import { plural, type RunEnv } from './labels.ts';
import { BENCH_PAGE, startBenchServer } from './server.ts';

/** Unquantised timestamp-query results (Chromium rounds them to 100 µs otherwise). */
const BENCH_CHROMIUM_ARGS = ['--enable-webgpu-developer-features'];

/** The system Chromium, else the bundled one (src/node/chromium.ts); `probeUrl`: drop a system one without WebGPU. */
function launchBenchChromium(probeUrl?: string): Promise<Browser> {
  return launchChromium({ args: BENCH_CHROMIUM_ARGS, protocolTimeout: 900_000, probeUrl });
}

/**
 * The browser --browser names (BenchOptions.browser): Firefox (src/node/firefox.ts, WebGPU's pref on with
 * --firefox-webgpu), else Chromium as launchBenchChromium launches it.
 */
function launchBenchBrowser(o: BenchOptions, probeUrl: string): Promise<Browser> {
  if (o.browser === 'firefox') return launchFirefox({ webgpu: o.firefoxWebgpu, protocolTimeout: 900_000 });
  return launchBenchChromium(probeUrl);
}

/**
 * What a run over WebDriver BiDi (Firefox) cannot record, said once a run (runBrowserBench): CDP's
 * Browser.getBrowserCommandLine, which gives a Chromium run's flags (chromiumFlags), has no BiDi counterpart.
 */
export const BIDI_NO_COMMAND_LINE =
  "Firefox runs over WebDriver BiDi, which has no CDP: the browser's command line is not recorded (a Chromium run's env.chromium); the prefs the run set are (env.firefox.prefs)";

/** Is `browser` Firefox (driven over WebDriver BiDi)? puppeteer's version() reads 'firefox/153.0' there. */
async function isFirefox(browser: Browser): Promise<boolean> {
  return /^firefox\b/i.test(await browser.version());
}

/** Flags of one run that say nothing about it: the profile folder and the debugging port (both differ every launch). */
const VOLATILE_FLAG = /^--(user-data-dir|remote-debugging-port|remote-debugging-pipe|flag-switches-begin|flag-switches-end)\b/;

/**
 * Chromium's flags as it runs: its command line (CDP Browser.getBrowserCommandLine, which Chromium answers when
 * started with --enable-automation, as puppeteer starts it; else the launched process's arguments), without the
 * program, the start page and the volatile flags; `flags` leaves out puppeteer's defaults too (src/node/chromium.ts's
 * and bench/browser.ts's flags, and those the system's Chromium adds itself, remain). Undefined when neither is known.
 */
async function chromiumFlags(browser: Browser): Promise<RunEnv['chromium']> {
  // Firefox (WebDriver BiDi) has no CDP session, and its process's arguments are Firefox's, not Chromium flags.
  if (await isFirefox(browser)) return undefined;
  let args: string[] | undefined;
  try {
    const session = await browser.target().createCDPSession();
    args = (await session.send('Browser.getBrowserCommandLine')).arguments;
    await session.detach().catch(() => undefined);
  } catch {
    args = browser.process()?.spawnargs;
  }
  if (!args) return undefined;
  const commandLine = [...new Set(args.filter((a) => a.startsWith('--') && !VOLATILE_FLAG.test(a)))];
  const defaults = new Set((await loadPuppeteer()).defaultArgs({ headless: true }));
  return { flags: commandLine.filter((a) => !defaults.has(a)), commandLine };
}

async function openBenchPage(browser: Browser, baseUrl: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  // driven=1: the page waits for the run's request to set TF.js's threads and jax-js's workers.
  await page.goto(new URL(`${BENCH_PAGE}?driven=1`, baseUrl).href, { timeout: 180_000 });
  await page.waitForFunction(() => window.bench?.ready === true && typeof window.benchRun === 'function', { timeout: 120_000 });
  return page;
}

/**
 * One run in a browser: `browser` (e.g. the test suite's) or a Chromium launched here; a bench server of its own.
 * The page runs everything itself (bench/page/run.ts, the same code as its Run button); this hands it the parsed
 * options, relays its progress line and reads `window.benchResults` when `document.body.dataset.state` is done (or
 * stopped, by the page's Stop: its partial result, pageOutcome).
 * The page's console errors are returned with the result (TF.js warnings are console.warn, not errors).
 */
export async function runBrowserBench(o: BenchOptions, command: string, browser?: Browser): Promise<{ result: BenchResult; consoleErrors: string[] }> {
  // No Firefox: its BROWSER error before the BiDi note and any progress line (read63c: the note, a line, then a stack).
  if (o.browser === 'firefox' && !browser && !findFirefox()) throw new BackpropError('BROWSER', NO_FIREFOX);
  if (!o.quiet && (o.browser === 'firefox' || (browser && (await isFirefox(browser))))) process.stderr.write(`${BIDI_NO_COMMAND_LINE}\n`);
  return runRounds(o, command, (p, oracle) => runOnePage(p, command, browser, oracle));
}

/**
 * runBrowserBench's page loads, `page` one (runOnePage; a test's stand-in): the passes of one round (runPasses), or
 * with --fits N, N rounds of them. A round the page's Stop ended (its result `stopped`) is the last: the first round's
 * partial result is the run's; a later one's is dropped, the run the rounds before it (their `fits` count).
 */
export async function runRounds(o: BenchOptions, command: string, page: (o: BenchOptions, oracleReference: boolean) => Promise<PageRun>): Promise<PageRun> {
  const fits = o.policy.fits ?? 1;
  if (fits === 1) return runPasses(o, page);
  // --fits N: N rounds of page loads, each fit in a page of its own (cold for every system: mergeFitRounds' NOTE);
  // rounds after the first run config e alone.
  const { fits: _, ...policy } = o.policy;
  const rounds: BenchResult[] = [];
  const consoleErrors: string[] = [];
  for (let k = 0; k < fits; k++) {
    if (!o.quiet) process.stderr.write(`fits: round ${k + 1} of ${fits}, each system's fit in new page loads\n`);
    const configs = k === 0 ? o.configs : o.configs.filter((c) => c.fit);
    const round = await runPasses({ ...o, configs, policy }, page);
    consoleErrors.push(...round.consoleErrors);
    if (round.result.stopped) {
      if (k === 0) return { result: round.result, consoleErrors };
      // After the stopped page load's own line (pageOutcome: "the partial result follows, marked stopped"), which is
      // not so here: that round's rows are left out, and the result is the whole rounds before it, unmarked.
      process.stderr.write(`fits: round ${k + 1} of ${fits} was stopped: its partial result is left out; the result that follows is ${k === 1 ? 'round 1 alone' : `rounds 1–${k}`} (fits ${k}), not marked stopped\n`);
      break;
    }
    rounds.push(round.result);
  }
  const merged = mergeFitRounds(rounds, o.configs);
  return { result: { ...merged, command, env: withLoadAtEnd(merged.env) }, consoleErrors };
}

/** A page load's outcome (runOnePage's), as runPasses merges it. */
export interface PageRun {
  result: BenchResult;
  consoleErrors: string[];
}

/** What a page load measures (the RunRequest's plan): the options' systems, and ours-cpu as the reference alone when asked. */
export function runPlanOf(o: BenchOptions, oracleReference = false): RunPlan {
  return {
    mode: o.mode, systems: o.systems, policy: o.policy, gpuSizedOnFallback: o.gpuSizedOnFallback,
    ...(o.webgpuVariants ? { webgpuVariants: o.webgpuVariants } : {}), ...(o.peakGflops ? { peakGflops: o.peakGflops } : {}),
    ...(oracleReference ? { oracleReference } : {}),
  };
}

/**
 * One run: a page load, and one more per wasm pass (jax-js sizes its worker pool when its module loads), run by
 * `page` (runOnePage; a test's stand-in). The later loads run ours-wasm and jax-wasm, and where --systems has
 * ours-cpu, ours-cpu as the agreement's reference alone (RunPlan.oracleReference: its parameters stay in the page, so
 * every row's are judged there against the oracle's; no row of its own, the loss judged again against load 1's row).
 */
export async function runPasses(o: BenchOptions, page: (o: BenchOptions, oracleReference: boolean) => Promise<PageRun>): Promise<PageRun> {
  const first = await page(o, false);
  const systems = o.systems.filter((s) => s === 'ours-wasm' || s === 'jax-wasm');
  const passes = systems.length ? o.wasmPasses : [];
  // A page its Stop ended is the last page load (the page's own Stop ends the whole run): the passes after it not run.
  if (!o.wasmPasses.length || first.result.stopped) {
    return { ...first, result: { ...first.result, rows: withRows(first.result.rows, passesNotRun(o, systems, passes, first.result.env)), env: withLoadAtEnd(first.result.env) } };
  }
  const results = [first.result];
  const consoleErrors = [...first.consoleErrors];
  const oracle = o.systems.includes('ours-cpu');
  let ran = 0;
  for (const pass of passes) {
    if (!o.quiet) process.stderr.write(`wasm pass: a new page with ours-wasm on ${pass.oursWasmThreads} thread(s), jax-wasm on ${pass.jaxWasmWorkers} worker(s)${oracle ? ', ours-cpu as the agreement\'s reference only (untimed)' : ''}\n`);
    const next = await page({ ...o, ...pass, systems }, oracle);
    results.push(next.result);
    consoleErrors.push(...next.consoleErrors);
    ran++;
    if (next.result.stopped) break;
  }
  const merged = mergeRuns(results, o.configs);
  const rows = withRows(merged.rows, passesNotRun(o, systems, passes.slice(ran), first.result.env));
  return { result: { ...merged, rows, env: withLoadAtEnd(merged.env) }, consoleErrors };
}

/**
 * The rows of wasm passes a Stop left without a page load (`passes`, each run's `systems` on every config): each
 * not run (protocol.ts stoppedRow), labelled with the pass's thread or worker count, or skipped for its own reason as
 * that page would have skipped it (measure.ts skipReason). Without them a stopped run's table, and its Markdown's
 * "N rows not run", counted the rows of the page loads that ran alone (env.wasmPasses lists only those).
 */
export function passesNotRun(o: Pick<BenchOptions, 'configs' | 'policy' | 'gpuSizedOnFallback'>, systems: BenchOptions['systems'], passes: BenchOptions['wasmPasses'], env: BenchResult['env']): Row[] {
  return passes.flatMap((pass) => o.configs.flatMap((c) => systems.map((system) => {
    const why = skipReason(system, c, o.gpuSizedOnFallback, env);
    const row = why ? skippedRow({ system }, c, o.policy, why) : stoppedRow({ system }, c, o.policy);
    row.threads = system === 'jax-wasm' ? pass.jaxWasmWorkers : pass.oursWasmThreads;
    return row;
  })));
}

/** `rows` with each of `more` after the last row of its config (at the end when it has none): the table's config order. */
function withRows(rows: Row[], more: Row[]): Row[] {
  const out = [...rows];
  for (const r of more) {
    const at = out.map((x) => x.config).lastIndexOf(r.config);
    out.splice(at < 0 ? out.length : at + 1, 0, r);
  }
  return out;
}

/**
 * What a page load's end gives the run (runOnePage): `done`, the page's result; `stopped` (its Stop pressed), the
 * partial result as the page's own Stop keeps it and downloads it — the finished rows, the others not run, marked
 * `stopped` — with a line saying so; `error`, an Error with the page's message. The stopped page said "the bench page
 * stopped: stopped", and its partial result was lost.
 */
export function pageOutcome(state: string | undefined, error: string | undefined, result: BenchResult | undefined): { result: BenchResult; line?: string } {
  if (state === 'done' && result) return { result };
  if (state === 'stopped' && result) {
    // Finished: the rows that ran (ok, wrong or erred); a row skipped for its own reason (a system that does not run
    // the config) never ran, and is counted apart, as the page's status line does (page/table.ts doneLine).
    const finished = result.rows.filter((r) => r.status !== 'skipped').length;
    const notRun = result.rows.filter(isStopped).length;
    const skipped = result.rows.length - finished - notRun;
    return { result, line: `the bench page's run was stopped (Stop pressed): ${plural(finished, 'row')} finished, ${plural(notRun, 'row')} not run${skipped ? `, ${skipped} skipped` : ''}; the partial result follows, marked stopped` };
  }
  throw new Error(`the bench page's run failed: ${error ?? `it ended in state ${state ?? 'none'}, without a result`}`);
}

/** One page load: the options' systems on its configs, with its thread and worker counts. */
async function runOnePage(o: BenchOptions, command: string, browser: Browser | undefined, oracleReference: boolean): Promise<PageRun> {
  const progress = new Progress(o.quiet);
  progress.show(`starting the bench server and ${o.browser === 'firefox' ? 'Firefox' : 'Chromium'}`);
  const { configs, data, notes } = await prepareData(o);
  for (const n of notes) if (!o.quiet) progress.line(n);
  let served: Served | undefined;
  let own: Browser | undefined;
  let page: Page | undefined;
  const consoleErrors: string[] = [];
  try {
    served = await startBenchServer();
    const b = browser ?? (own = await launchBenchBrowser(o, new URL(BENCH_PAGE, served.url).href));
    progress.show('loading the bench page (TF.js, jax-js, WebGPU)');
    page = await openBenchPage(b, served.url, consoleErrors);
    await page.exposeFunction('benchProgress', (text: string) => progress.show(text));
    const host = hostEnv('browser');
    const chromium = await chromiumFlags(b);
    // The prefs of a Firefox launched here (launchBenchBrowser); a Firefox handed in (a test's) set its own, unknown here.
    const firefox = own && o.browser === 'firefox' ? { prefs: firefoxPrefs({ webgpu: o.firefoxWebgpu }) } : undefined;
    const request: RunRequest = {
      ...runPlanOf(o, oracleReference), configs, command,
      env: { jaxWasmWorkers: o.jaxWasmWorkers, oursWasmThreads: o.oursWasmThreads, ...(o.tfjsWasmThreads !== undefined ? { tfjsWasmThreads: o.tfjsWasmThreads } : {}) },
      data: Object.fromEntries([...data].map(([id, d]) => [id, { X: f32ToBase64(d.X), Y: f32ToBase64(d.Y) }])),
      host: {
        cpu: host.cpu, node: host.node, os: host.os, ...(host.git ? { git: host.git } : {}), load: host.load,
        ...(chromium ? { chromium } : {}), ...(firefox ? { firefox } : {}),
      },
    };
    // Started, not awaited: a full run outlasts any one protocol call; the state is polled instead.
    await page.evaluate((req) => { void window.benchRun!(req).catch(() => undefined); }, request);
    let state: string | undefined;
    while ((state = await page.evaluate(() => document.body.dataset.state)) === 'running' || state === 'ready') {
      await new Promise((r) => setTimeout(r, 250));
    }
    const { result, line } = pageOutcome(state, await page.evaluate(() => window.benchError), (await page.evaluate(() => window.benchResults)) as BenchResult | undefined);
    if (line) progress.line(line);
    const t = result.env.tfjs as PageEnv['tfjs'] | undefined;
    if (!o.quiet && t?.wasmThreadsRequested !== undefined && t.wasmThreads !== t.wasmThreadsRequested) {
      progress.line(`--tfjs-wasm-threads ${t.wasmThreadsRequested}: TF.js's wasm backend uses ${t.wasmThreads ?? 'no'} thread(s): ${TFJS_WASM_THREADS_CAP}`);
    }
    return { result, consoleErrors };
  } finally {
    progress.done();
    await page?.close().catch(() => undefined);
    await own?.close();
    await served?.close();
  }
}
