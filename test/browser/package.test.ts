/**
 * The package as a user gets it: the library build (src/node/build-lib.mjs), `npm pack`, and the tarball installed
 * (offline: it has no runtime dependencies) into one temporary folder shared by every consumer below:
 * (1) a plain Node .mjs trains on the CPU, (2) tsc --noEmit under nodenext, bundler and node10 resolution (strict,
 * noUncheckedIndexedAccess, skipLibCheck false), (3) an esbuild bundle and (4) a Vite app (dev server and build) of a
 * page that trains on WebGPU, each opened in the suite's headless Chromium, (5) the tarball's file list, and the
 * installed `backprop` command, (6) an esbuild bundle that trains in a module Web Worker on every backend.
 * Consumer sources: test/package/.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { lecture } from '../../src/lectures/index.ts';
import { PROJECT_ROOT, startStaticServer } from '../../src/node/server.ts';
import { validateSpec } from '../../src/spec.ts';
import { forward64 } from '../lib/forward64.ts';
import { cut } from '../lib/readme-text.ts';
import { compareWithin, parityBounds } from '../lib/tolerance.ts';

const CONSUMER = join(PROJECT_ROOT, 'test/package');
const BIN = (name: string) => join(PROJECT_ROOT, 'node_modules/.bin', name);
let dir: string;
let files: string[];
let tarball: { size: number; unpackedSize: number };
let browser: Browser;

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 180_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, log: `${cmd} ${args.join(' ')}\n${r.stdout}\n${r.stderr}` };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'backprop-package-'));
  const build = run(process.execPath, ['src/node/build-lib.mjs'], PROJECT_ROOT);
  expect(build.status, build.log).toBe(0);
  const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], PROJECT_ROOT);
  expect(pack.status, pack.log).toBe(0);
  const info = (JSON.parse(pack.stdout) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[])[0]!;
  files = info.files.map((f) => f.path).sort();
  tarball = { size: info.size, unpackedSize: info.unpackedSize };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const install = run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(dir, info.filename)], dir);
  expect(install.status, install.log).toBe(0);
  for (const f of ['train.mjs', 'app.ts', 'page.ts', 'index.html', 'lecture-run.ts', 'worker.ts', 'worker-page.ts', 'wide.mjs', 'train-worker.mjs']) copyFileSync(join(CONSUMER, f), join(dir, f));
  browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
}, 300_000);

afterAll(async () => {
  await browser?.disconnect();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Open `url`, wait for the page's window.result, return it (with the page's console errors). */
async function trainIn<R extends object = { kind?: string; before?: number; after?: number }>(url: string): Promise<Partial<R> & { error?: string; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  try {
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, { timeout: 90_000 });
    return { ...(await page.evaluate(() => (window as unknown as { result: R }).result)), errors };
  } finally {
    await page.close();
  }
}

function expectTrainedOnWebGpu(r: Awaited<ReturnType<typeof trainIn<{ kind: string; before: number; after: number }>>>): void {
  expect(r.error, r.errors.join('\n')).toBeUndefined();
  expect(r.errors).toEqual([]);
  expect(r.kind).toBe('webgpu');
  expect(r.after!).toBeLessThan(r.before! / 2);
}

describe('the packed tarball', () => {
  it('(5) ships the built library, bin, README and LICENSE only: no sources, tests, screenshots, bench results or CI', () => {
    console.log(`tarball: ${files.length} files, ${(tarball.size / 1024).toFixed(0)} kB packed, ${(tarball.unpackedSize / 1024).toFixed(0)} kB unpacked`);
    const outside = files.filter((f) => !f.startsWith('dist/lib/') && !['package.json', 'README.md', 'LICENSE', 'bin/backprop.js'].includes(f));
    expect(outside).toEqual([]);
    expect(files.filter((f) => /\.(ts|wgsl|png|json)$/.test(f) && !f.endsWith('.d.ts') && f !== 'package.json')).toEqual([]);
    for (const f of ['index', 'notation/index', 'lectures/index', 'cli/main']) {
      expect(files).toContain(`dist/lib/${f}.js`);
      expect(files).toContain(`dist/lib/${f}.d.ts`);
    }
    expect(files).toContain('dist/lib/browser/harness.js');
    // No file carries the build machine's folders (esbuild names each bundled module in a comment) (review readme4).
    const installed = join(dir, 'node_modules/backprop-webgpu');
    expect(files.filter((f) => readFileSync(join(installed, f), 'utf8').includes(PROJECT_ROOT))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(dir, 'node_modules/backprop-webgpu/package.json'), 'utf8')) as { dependencies?: object };
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('(1) plain Node: an .mjs trains on the CPU, and makes wasm on 2 threads, on its main thread and in a worker_threads Worker; backend webgpu without the webgpu package is a WebGPUUnavailableError naming it', () => {
    const r = run(process.execPath, ['train.mjs'], dir);
    expect(r.status, r.log).toBe(0);
    type Wide = { threads: number | null; params: { W: number[][]; b: number[][] } };
    const out = JSON.parse(r.stdout) as {
      kind: string; before: number; after: number; w5: number; wasm: { description: string; w5: number; wide: Wide }; webgpu: { error: string; typed: boolean; message: string };
      inWorker: { cpu: { w5: number }; wasm: { description: string; w5: number }; wide: Wide };
    };
    expect(out.kind).toBe('cpu');
    expect(out.after).toBeLessThan(out.before / 10);
    expect(out.w5).toBeCloseTo(0.0822, 4); // lecture 001, line 98
    // CommonJS: require() of an ES module (Node ≥ 20.19, the package's engines) through the exports' default condition.
    const cjs = run(process.execPath, ['-e', "console.log(typeof require('backprop-webgpu').Model, typeof require('backprop-webgpu/lectures').lecture, typeof require('backprop-webgpu/notation').explain)"], dir);
    expect(cjs.stdout.trim(), cjs.log).toBe('function function function');
    // ModelOptions.threads through the built package: 2 worker_threads on shared memory, the lecture's value.
    expect(out.wasm.description).toContain('2 threads on shared memory');
    expect(out.wasm.w5).toBeCloseTo(0.0822, 4);
    // In a worker_threads Worker (train-worker.mjs): wasm on 2 threads started from there, and wide.mjs's net on both
    // (past the one-thread cut-off). Bitwise the main thread's: the same code (cpu), the same bits for any thread
    // count and on any thread (wasm).
    expect(out.inWorker.wasm.description).toContain('2 threads on shared memory');
    expect([out.wasm.wide.threads, out.inWorker.wide.threads]).toEqual([2, 2]);
    expect(out.inWorker.wide.params).toEqual(out.wasm.wide.params);
    expect([out.inWorker.cpu.w5, out.inWorker.wasm.w5]).toEqual([out.w5, out.wasm.w5]);
    expect(out.webgpu).toMatchObject({ error: 'WebGPUUnavailableError', typed: true });
    // Where the package is installed globally, webgpu resolves only from beside it: npm install -g (a local one is not seen).
    expect(out.webgpu.message).toMatch(/npm install webgpu \(npm install -g webgpu for a global backprop-webgpu\)/);
  });

  it('the README\'s ```js blocks run as printed against the installed package (a `// prints:` comment is the output)', () => {
    const readme = readFileSync(join(dir, 'node_modules/backprop-webgpu/README.md'), 'utf8');
    const blocks = [...readme.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    // The first screen's snippet: a ```js fence (not ```json) before the heading "## The equations". cut throws naming
    // the marker it did not find, or the heading when it comes only before the fence.
    expect(() => cut(readme, '\n```js\n', '\n## The equations')).not.toThrow();
    blocks.forEach((code, k) => {
      writeFileSync(join(dir, `readme-${k}.mjs`), code);
      const r = run(process.execPath, [`readme-${k}.mjs`], dir);
      expect(r.status, r.log).toBe(0);
      const printed = [...code.matchAll(/\/\/ prints: (.*)$/gm)].map((m) => m[1]!.trim());
      expect(r.stdout.trim().split('\n'), `README block ${k}`).toEqual(printed);
    });
  });

  it('(1) the installed backprop command (built CLI, no tsx): grad on the CPU', () => {
    writeFileSync(join(dir, 'spec.json'), readFileSync(join(PROJECT_ROOT, 'test/fixtures/lecture-2-2-1.json')));
    const r = run(join(dir, 'node_modules/.bin/backprop'), ['grad', 'spec.json', '--json'], dir);
    expect(r.status, r.log).toBe(0);
    expect((JSON.parse(r.stdout) as { grads: { W: number[][][] } }).grads.W[1]![0]![0]).toBeCloseTo(0.0822, 4);
  });

  // node10 (TypeScript's old `node`) ignores `exports`: the subpaths' types come from package.json's typesVersions.
  for (const resolution of ['nodenext', 'bundler', 'node10'] as const) {
    it(`(2) tsc --noEmit, moduleResolution ${resolution}, strict + noUncheckedIndexedAccess + exactOptionalPropertyTypes, skipLibCheck false: zero errors`, () => {
      const module = resolution === 'nodenext' ? { module: 'nodenext', moduleResolution: 'nodenext' } : { module: 'esnext', moduleResolution: resolution };
      const config = `tsconfig.${resolution}.json`;
      writeFileSync(join(dir, config), JSON.stringify({
        compilerOptions: { target: 'es2022', ...module, lib: ['es2022'], types: [], strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, skipLibCheck: false, noEmit: true },
        files: ['app.ts'],
      }));
      const r = run(BIN('tsc'), ['-p', config], dir);
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }

  it('(3) esbuild bundles a page that trains on WebGPU in headless Chromium; importing Model pulls no lecture, notation or KaTeX', async () => {
    const esbuild = await import('esbuild');
    const out = join(dir, 'esbuild');
    mkdirSync(out);
    const r = await esbuild.build({ absWorkingDir: dir, entryPoints: ['page.ts'], bundle: true, format: 'esm', target: 'es2022', outfile: join(out, 'page.js'), metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(r.metafile.inputs);
    expect(inputs.some((f) => f.includes('backprop-webgpu/dist/lib/model.js'))).toBe(true);
    // Only the lectures' ids (src/lectures/ids.ts: six strings, no JSON), for the hint when an id is passed as a spec.
    expect(inputs.filter((f) => /lectures|notation|worked|katex/.test(f) && !f.endsWith('backprop-webgpu/dist/lib/lectures/ids.js'))).toEqual([]);
    writeFileSync(join(out, 'index.html'), readFileSync(join(dir, 'index.html'), 'utf8').replace('./page.ts', './page.js'));
    const served = await startStaticServer(out);
    try {
      expectTrainedOnWebGpu(await trainIn(`${served.url}index.html`));
    } finally {
      await served.close();
    }
  });

  it('(4) a Vite app, dev server and build, trains on WebGPU in headless Chromium', async () => {
    const { build, createServer } = await import('vite');
    const server = await createServer({ root: dir, configFile: false, logLevel: 'error', server: { host: '127.0.0.1', port: 0, hmr: false, watch: null } });
    await server.listen();
    try {
      expectTrainedOnWebGpu(await trainIn(`${server.resolvedUrls!.local[0]}index.html`));
    } finally {
      await server.close();
    }
    await build({ root: dir, configFile: false, logLevel: 'error', build: { outDir: join(dir, 'vite-dist') } });
    const served = await startStaticServer(join(dir, 'vite-dist'));
    try {
      expectTrainedOnWebGpu(await trainIn(`${served.url}index.html`));
    } finally {
      await served.close();
    }
  });
});

/** test/package/lecture-run.ts's LectureRun (not imported: that file imports the installed package). */
interface Plain { W: number[][]; b: number[][] }
interface LectureRun {
  kind: string; description: string; callerSleeps: boolean | null;
  first: { loss: number; Z: number[][]; A: number[][]; delta: number[][]; dW: number[][]; db: number[][] };
  trained: Plain; fitted: { params: Plain; loss: number[] } | null; predicted: number[][];
  reloaded: Plain; continued: { saved: Plain; loaded: Plain }; wide: { threads: number | null; params: Plain } | null;
}
type WorkerPage = { isolated: boolean; main: { cpu: LectureRun; wasm: LectureRun }; worker: Record<'cpu' | 'wasm' | 'webgpu', LectureRun | { error: string }> };
/** lecture-run.ts's STEPS, EPOCHS (one SGD step an epoch) and LR. */
const [STEPS, EPOCHS, LR] = [8, 4, 0.5];

/** The numbers of a run, without what names its backend. */
const numbers = (r: LectureRun) => ({ first: r.first, trained: r.trained, fitted: r.fitted, predicted: r.predicted, reloaded: r.reloaded, continued: r.continued, wide: r.wide?.params });

describe('(6) a module Web Worker', () => {
  it('trains the lecture net in a worker (esbuild bundle of the tarball) on cpu, wasm with 2 threads and webgpu, against the CPU oracle on the page\'s main thread', async () => {
    const esbuild = await import('esbuild');
    const out = join(dir, 'worker-bundle');
    mkdirSync(out);
    await esbuild.build({ absWorkingDir: dir, entryPoints: ['worker-page.ts', 'worker.ts'], bundle: true, splitting: true, format: 'esm', target: 'es2022', outdir: out, logLevel: 'silent' });
    writeFileSync(join(out, 'index.html'), readFileSync(join(dir, 'index.html'), 'utf8').replace('./page.ts', './worker-page.js'));
    const served = await startStaticServer(out);
    let r: Awaited<ReturnType<typeof trainIn<WorkerPage>>>;
    try {
      r = await trainIn<WorkerPage>(`${served.url}index.html`);
    } finally {
      await served.close();
    }
    expect(r.error, r.errors.join('\n')).toBeUndefined();
    expect(r.errors).toEqual([]);
    expect(r.isolated).toBe(true);
    const run = (k: 'cpu' | 'wasm' | 'webgpu'): LectureRun => {
      const v = r.worker![k];
      expect(v, `${k} in the worker`).not.toHaveProperty('error');
      return v as LectureRun;
    };
    const { cpu, wasm } = r.main!;
    const [wCpu, wWasm, wGpu] = [run('cpu'), run('wasm'), run('webgpu')];
    expect([wCpu.kind, wWasm.kind, wGpu.kind]).toEqual(['cpu', 'wasm', 'webgpu']);
    // The runs trained: a step wrong on every backend alike would pass the comparisons below.
    expect(cpu.fitted!.loss.at(-1)!).toBeLessThan(cpu.first.loss / 2);
    // cpu: bitwise. The same JavaScript (float64 arithmetic, float32 stores, the same Math functions) on the same engine.
    expect(numbers(wCpu)).toEqual(numbers(cpu));
    // wasm: 2 threads in the worker (nested workers), thread 0 sleeping at the barriers (a worker may; the page's main
    // thread may not), and the wide net ran on both. Bitwise the main thread's wasm on 1 thread: the README's "the
    // same bits for any thread count".
    expect(wWasm.description).toContain('2 threads on shared memory');
    expect([wWasm.callerSleeps, wWasm.wide?.threads]).toEqual([true, 2]);
    expect([wasm.callerSleeps, wasm.wide?.threads]).toEqual([false, 1]);
    expect(numbers(wWasm)).toEqual(numbers(wasm));
    // wasm and webgpu against the CPU oracle: the first pass within test/lib/tolerance.ts's bound (parity.test.ts's);
    // the parameters after k steps within 2·k·lr·(the first pass's dW/db bound) + 1e-6 + 1e-5·|cpu| (the bound of
    // parity.test.ts's and wasm.test.ts's k-step checks); predict within a forward pass's bound of float64 on the
    // run's own parameters (sigmoidForwardBound). Save → load → train on: bitwise (the README's checkpoint claim).
    const spec = lecture('lecture-2-2-1').worked.spec;
    const valid = validateSpec(spec);
    const f32 = (a: number[][]) => a.map((v) => Float32Array.from(v));
    const oracle = { loss: cpu.first.loss, Z: f32(cpu.first.Z), A: f32(cpu.first.A), delta: f32(cpu.first.delta), dW: f32(cpu.first.dW), db: f32(cpu.first.db) };
    const b = parityBounds(valid.net, valid.params!, valid.batch!.X, valid.batch!.Y, 1, oracle);
    const afterSteps = (k: number, got: Plain, want: Plain) => valid.net.layers.flatMap((_, l) => (['W', 'b'] as const).flatMap((q) => {
      const e = (q === 'W' ? b.dW : b.db)[l]!;
      return compareWithin(`${q}${l + 1} after ${k} steps`, got[q][l]!, want[q][l]!, Array.from(e, (v, j) => 2 * k * LR * v + 1e-6 + 1e-5 * Math.abs(want[q][l]![j]!))).violations;
    }));
    for (const [name, got] of [['wasm', wWasm], ['webgpu', wGpu]] as const) {
      const first = [compareWithin('loss', [got.first.loss], [cpu.first.loss], [b.loss]).violations];
      valid.net.layers.forEach((_, l) => {
        for (const q of ['Z', 'A', 'delta', 'dW', 'db'] as const) first.push(compareWithin(`${q}${l + 1}`, got.first[q][l]!, cpu.first[q][l]!, b[q][l]!).violations);
      });
      expect(first.flat(), name).toEqual([]);
      expect(afterSteps(STEPS, got.trained, cpu.trained), name).toEqual([]);
      if (got.fitted) expect(afterSteps(STEPS + EPOCHS, got.fitted.params, cpu.fitted!.params), name).toEqual([]);
      const last = got.fitted?.params ?? got.trained;
      const x = spec.x as number[][];
      x.forEach((row, c) => {
        const want = forward64(valid.net, last.W, last.b, row);
        expect(compareWithin(`predict ${name}`, got.predicted[c]!, want, sigmoidForwardBound(valid.net.layers, last, row)).violations).toEqual([]);
      });
      expect(got.reloaded, name).toEqual(last);
      expect(got.continued.loaded, name).toEqual(got.continued.saved);
    }
    expect(wWasm.fitted).not.toBeNull();
  });
});

/**
 * A sigmoid net's (the lecture's) |predict − float64 forward| for one example, layer by layer from
 * test/lib/tolerance.ts's two measured facts: a K-term float32 dot within 2·√K·2⁻²³·Σ|terms|, an elementwise function
 * within 1e-6 + 1e-5·|a|; an input's error carried into z by |W|, and into a by σ' ≤ ¼ (taken as 1).
 */
function sigmoidForwardBound(layers: readonly { units: number; fanIn: number; bias: string }[], p: Plain, x: number[]): number[] {
  let a = x;
  let e = x.map(() => 0);
  layers.forEach((layer, l) => {
    const W = p.W[l]!;
    const bias = (i: number) => (layer.bias === 'none' ? 0 : p.b[l]![layer.bias === 'shared' ? 0 : i]!);
    const row = (i: number, f: (w: number, j: number) => number) => a.reduce((s, _, j) => s + f(W[i * layer.fanIn + j]!, j), 0);
    const z = Array.from({ length: layer.units }, (_, i) => bias(i) + row(i, (w, j) => w * a[j]!));
    const ez = z.map((_, i) => 2 * Math.sqrt(layer.fanIn + 1) * 2 ** -23 * (Math.abs(bias(i)) + row(i, (w, j) => Math.abs(w * a[j]!))) + row(i, (w, j) => Math.abs(w) * e[j]!));
    a = z.map((v) => 1 / (1 + Math.exp(-v)));
    e = ez.map((v, i) => v + 1e-6 + 1e-5 * Math.abs(a[i]!));
  });
  return e;
}
