/**
 * What the bench's outputs share to name a row and the run: a row's label (systemLabel, rowLabel, countLabel), a
 * count or rate short (fmtNum), and the environment line (envLine, over RunEnv). A leaf: bench/report.ts (the tables,
 * the Markdown), bench/chart.ts (the steps/s chart) and bench/epochs.ts (the time-to-accuracy table and chart) import
 * it, and it imports none of them.
 */
import type { Row } from './protocol.ts';
import type { Runner, SystemId } from './systems.ts';

export interface RunEnv {
  runner: Runner;
  browser?: string;
  userAgent?: string;
  crossOriginIsolated?: boolean;
  webgpu?: Record<string, unknown>;
  /** The Dawn runner (bench/dawn.ts): the npm package webgpu's version, the flags given to its create(), the Vulkan ICD file if one was chosen. */
  dawn?: { package: string; flags: string[]; vulkanIcd?: string };
  tfjs?: Record<string, unknown>;
  /** jax-js: version, devices started, wasm workers (bench/jax.ts JaxEnv). */
  jax?: Record<string, unknown>;
  /** ours-wasm: its backend, thread count and the machine's wasm f32x4 FMA peak at that count (bench/page/main.ts WasmEnv). */
  wasm?: Record<string, unknown>;
  /** A run over several page loads (--ours-wasm-threads 1,2 --jax-wasm-workers 1,2): each load's counts. */
  wasmPasses?: { oursWasmThreads?: number; jaxWasmWorkers?: number }[];
  cpu: { model: string; cores: number };
  /** Node's version and the OS: set by the Node runners (a page run on its own has neither). */
  node?: string;
  os?: string;
  /** The code that ran (Node runners: `git rev-parse --short HEAD`), dirty when tracked files differ from that commit. */
  git?: { commit: string; dirty: boolean };
  /** backprop-webgpu's version, package.json's (Node runners from a checkout; the page's is in `build`). */
  version?: string;
  /** The machine's 1-, 5- and 15-minute load averages (os.loadavg) when the run started and when it ended (Node runners). */
  load?: { start: number[]; end?: number[] };
  /**
   * The browser runner: Chromium's flags as it ran — its command line (CDP Browser.getBrowserCommandLine) less
   * puppeteer's defaults, the profile folder and the debugging port — and that whole command line.
   */
  chromium?: { flags: string[]; commandLine: string[] };
  /**
   * The browser runner in Firefox (--browser firefox, over WebDriver BiDi): the prefs it set (src/node/firefox.ts
   * firefoxPrefs; none: WebGPU off, Linux Firefox's default). BiDi gives no command line (bench/browser.ts BIDI_NO_COMMAND_LINE).
   */
  firefox?: { prefs: Record<string, boolean> };
  /** Where the bench page came from: its origin, and whether the Vite dev server (npm run bench) or a built site served it. */
  page?: { origin: string; served: 'dev server' | 'built site' };
  /**
   * The bench page's build stamp (bench/page-build.ts): backprop-webgpu's version and, where git was there, the
   * commit when the site was built or its dev server started. A page run on its own has no `git`: this says what code ran.
   */
  build?: { version: string; commit?: string; dirty?: boolean; built: string };
}

/**
 * A count or rate, short: 12.88G, 5.43M, 101.7k, 2434, 45.8 (the tables' steps/s, examples/s, GFLOP/s, FLOP a step;
 * d's 12 884 901 888 FLOP a step read 12884.90M before the G).
 */
export const fmtNum = (x: number | undefined, digits = 3): string => {
  if (x === undefined || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  if (a >= 100) return x.toFixed(0);
  return x.toPrecision(digits);
};

/**
 * The system, with its thread (ours-wasm) or worker (jax-wasm) count when the row states one, or its kernel variant
 * (ours-webgpu in a run of --webgpu-variants: `ours-webgpu (tiled)`).
 */
export function systemLabel(r: Pick<Row, 'system' | 'threads' | 'variant' | 'netThreads'>): string {
  if (r.variant !== undefined) return `${r.system} (${r.variant})`;
  if (r.threads === undefined) return r.system;
  return `${r.system} (${countLabel(r.system, r.threads)}${netOn(r)})`;
}

/**
 * The thread (worker) count a wasm system's rows carry, from the run's environment: ours-wasm's threads, jax-wasm's
 * workers, tfjs-wasm's threads (measure.ts labels its rows with it; the page's rows to come are labelled alike, so a
 * system cell does not change when its row comes); undefined for another system, or before the environment is known.
 */
export function countOf(system: SystemId, env?: Pick<RunEnv, 'wasm' | 'jax' | 'tfjs'>): number | undefined {
  const n = system === 'ours-wasm' ? env?.wasm?.threads : system === 'jax-wasm' ? env?.jax?.wasmWorkers : system === 'tfjs-wasm' ? env?.tfjs?.wasmThreads : undefined;
  return typeof n === 'number' ? n : undefined;
}

/** THREAD_MIN_WORK's name in the labels (src/wasm/limits.ts: a step under 2¹⁸ multiply-adds runs on 1 thread). */
const UNDER_MIN_WORK = 'net under THREAD_MIN_WORK';

/**
 * A row's label in the tables (the terminal's, the Markdown's, the page's) and the charts' legends and tooltips:
 * systemLabel's, and for ours-webgpu's `auto` row (a run of --webgpu-variants) the kernels auto picked on the run's
 * adapter where its env names them (env.webgpu.variant): `ours-webgpu (auto: blocked-subgroup)`. systemLabel stays the
 * row's key (the charts' bars, lines and colours; failures).
 */
export function rowLabel(r: Pick<Row, 'system' | 'threads' | 'variant' | 'netThreads'>, env?: Pick<RunEnv, 'webgpu'>): string {
  const picked = env?.webgpu?.variant;
  return r.variant === 'auto' && typeof picked === 'string' ? `${r.system} (auto: ${picked})` : systemLabel(r);
}

/**
 * ' asked, 1 used: net under THREAD_MIN_WORK' where an ours-wasm row's net ran on fewer threads than its backend has
 * (too small to split): `ours-wasm (2 threads asked, 1 used: …)`, the threads it computed on (targets.ts computeThreads).
 */
export function netOn(r: Pick<Row, 'threads' | 'netThreads'>): string {
  return r.netThreads !== undefined && r.threads !== undefined && r.netThreads < r.threads ? ` asked, ${r.netThreads} used: ${UNDER_MIN_WORK}` : '';
}

/**
 * A WebGPU adapter's name as a run records it: vendor and architecture, its description quoted. Firefox gives an
 * adapter none of the three (its WebGPU hides them): "unnamed", not a blank ("WebGPU adapter  (fallback)"). envLine
 * and bench:compare's warnings (compare.ts) both name an adapter so.
 */
export function adapterName(x: { vendor?: string; architecture?: string; adapterDescription?: string }): string {
  return `${[x.vendor, x.architecture].filter(Boolean).join(' ') || 'unnamed'}${x.adapterDescription ? ` "${x.adapterDescription}"` : ''}`;
}

/** '1 thread', '2 workers' (jax-wasm counts workers; with 0 it computes on the page's main thread: targets.ts computeThreads). */
export function countLabel(system: SystemId, n: number): string {
  if (system === 'jax-wasm' && n === 0) return '0 workers: its main thread';
  return `${n} ${system === 'jax-wasm' ? 'worker' : 'thread'}${n === 1 ? '' : 's'}`;
}

export function envLine(env: RunEnv): string {
  const parts = [env.runner === 'browser' ? `${env.browser}` : `Node ${env.node}${env.dawn ? ` + Dawn (npm webgpu ${env.dawn.package})` : ''}`];
  // The browser runner's Node side (npm run bench drives the page); a page on its own has neither.
  if (env.runner === 'browser' && env.node) parts.push(`driven from Node ${env.node}${env.os ? ` on ${env.os}` : ''}`);
  else if (env.os) parts.push(env.os);
  if (env.crossOriginIsolated !== undefined) parts.push(env.crossOriginIsolated ? 'cross-origin isolated' : 'NOT cross-origin isolated (no wasm threads)');
  const b = env.build;
  if (b) parts.push(`backprop-webgpu ${b.version}`);
  else if (env.version) parts.push(`backprop-webgpu ${env.version}`);
  if (env.git) parts.push(`commit ${env.git.commit}${env.git.dirty ? ' (dirty)' : ''}`);
  else if (b?.commit) parts.push(`commit ${b.commit}${b.dirty ? ' (dirty)' : ''} (the page's build, ${b.built})`);
  if (env.page) parts.push(`page from the ${env.page.served} at ${env.page.origin}`);
  if (env.chromium) parts.push(`Chromium flags ${env.chromium.flags.join(' ')}`);
  if (env.firefox) {
    const prefs = Object.entries(env.firefox.prefs).map(([k, v]) => `${k}=${v}`);
    parts.push(prefs.length ? `Firefox prefs ${prefs.join(' ')}` : 'Firefox prefs as shipped');
  }
  const w = env.webgpu as { available?: boolean; vendor?: string; architecture?: string; adapterDescription?: string; isFallbackAdapter?: boolean; timestampQuery?: boolean; variant?: unknown; tinyNets?: unknown } | undefined;
  const hidden = env.runner === 'browser' && !env.firefox && w?.available && !w.adapterDescription ? ', its name hidden (Chromium shows it with --enable-webgpu-developer-features)' : '';
  // The kernels ours-webgpu's 'auto' picked on this adapter (env.webgpu.variant), named in every run, not only with --webgpu-variants.
  const kernels = typeof w?.variant === 'string' ? `, ours-webgpu kernels ${w.variant} (picked by auto)` : '';
  // The fused kernel 'auto' gives nets ≤ 4 wide at batch ≤ 4 (config a): main_lanes or main_tiny (records since 2026-12-06).
  const tiny = typeof w?.tinyNets === 'string' ? `, tiny nets on ${w.tinyNets}` : '';
  if (w) parts.push(w.available ? `WebGPU adapter ${adapterName(w)}${w.isFallbackAdapter ? ' (fallback)' : ''}${hidden}${w.timestampQuery ? ', timestamp-query' : ''}${kernels}${tiny}` : 'no WebGPU');
  // The Dawn runner's create() flags and Vulkan driver, as the browser runner's Chromium flags above: they choose the
  // adapter and how its GPU time is read (timestamp quantisation off unless a flag names it: bench/dawn.ts dawnFlags).
  if (env.dawn) parts.push(`Dawn flags ${env.dawn.flags.length ? env.dawn.flags.join(' ') : 'none'}${env.dawn.vulkanIcd ? `, Vulkan ICD ${env.dawn.vulkanIcd}` : ", the system's Vulkan drivers"}`);
  const t = env.tfjs as { version?: string; wasmThreads?: number; wasmThreadsRequested?: number; wasmHardwareConcurrencyShown?: number; wasmSimd?: boolean } | undefined;
  // Asked for by npm run bench (a Node driver: its Chromium's flags are known) or by the page's own link.
  const askedBy = env.chromium ? '--tfjs-wasm-threads ' : 'tfjsThreads=';
  const asked = t?.wasmThreadsRequested === undefined ? ', its default'
    : `, ${askedBy}${t.wasmThreadsRequested}${t.wasmHardwareConcurrencyShown !== undefined ? `, its module shown hardwareConcurrency ${t.wasmHardwareConcurrencyShown}` : ''}`;
  // A browser without wasm SIMD runs TF.js's plain wasm binary, not its SIMD one: said, as its threads are (env.tfjs.wasmSimd).
  const simd = t?.wasmSimd === false ? '; its wasm without SIMD (the browser has none)' : '';
  if (t) parts.push(`TF.js ${t.version}${t.wasmThreads !== undefined ? ` (wasm threads: ${t.wasmThreads}${asked}${simd})` : ''}`);
  const gl = env.tfjs as { webglRenderer?: string; webglVendor?: string } | undefined;
  // WebKit names every GPU "Apple GPU" by "Apple Inc.", its unmasked strings too (Safari 14 on; WebKitGTK 2.50.6 on
  // Linux under Xvfb, no Apple hardware): said to be its name, not the GPU's (test/bench-env.test.ts).
  const masked = gl?.webglRenderer === 'Apple GPU' && gl.webglVendor === 'Apple Inc.' ? " (WebKit's name for every GPU: the real one is hidden)" : '';
  if (gl?.webglRenderer) parts.push(`TF.js webgl on ${gl.webglVendor ? `${gl.webglVendor} ` : ''}"${gl.webglRenderer}"${masked}`);
  const j = env.jax as { version?: string; devices?: string[]; wasmWorkers?: number; webgpuAdapter?: { vendor?: string; architecture?: string; adapterDescription?: string; isFallbackAdapter?: boolean } | string; webgpuError?: string } | undefined;
  if (j) {
    const a = j.webgpuAdapter;
    // webgpuError: its webgpu set-up gave no answer in time, or was not tried (bench/page/limits.ts).
    const gpu = a === undefined ? (j.webgpuError ? `; no webgpu device: ${j.webgpuError}` : '') : typeof a === 'string' ? `; webgpu: ${a}` : `; webgpu adapter ${adapterName(a)}${a.isFallbackAdapter ? ' (fallback)' : ''}`;
    // A browser without WebAssembly: jax-js started no wasm device, so no worker count (TF.js's wasm threads go too).
    const wasm = j.devices && !j.devices.includes('wasm') ? 'no wasm device' : `wasm workers: ${j.wasmWorkers}`;
    parts.push(`jax-js ${j.version} (${wasm}${gpu})`);
  }
  const wa = env.wasm as { threads?: number; simd?: string; peakGflops?: number; error?: string; tiling?: string } | undefined;
  if (env.wasmPasses && env.wasmPasses.length > 1) parts.push(`wasm passes (one page load each): ${env.wasmPasses.map((p) => `ours-wasm ${p.oursWasmThreads} / jax-wasm ${p.jaxWasmWorkers}`).join(', ')}`);
  if (wa) parts.push(wa.error ? `ours-wasm: ${wa.error}` : `ours-wasm ${wa.threads} thread${wa.threads === 1 ? '' : 's'}, wasm ${wa.simd} FMA peak ${fmtNum(wa.peakGflops)} GFLOP/s${wa.tiling ? `, GEMM blocks ${wa.tiling}` : ''}`);
  // Logical processors (os.cpus().length, navigator.hardwareConcurrency); records before 2026-12-06 03:51 UTC (fd5ef5b) say `× 2`.
  parts.push(`CPU ${env.cpu.model}, ${plural(env.cpu.cores, 'logical core')}`);
  const l1 = (l: number[]): string => l[0].toFixed(2);
  if (env.load) parts.push(`load average (1 min) ${l1(env.load.start)} at the start${env.load.end ? `, ${l1(env.load.end)} at the end` : ''}`);
  return parts.join(' · ');
}

export const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
