import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { pageBuildDefine } from './bench/page-build.ts';
import { mnistDigitsFile, mnistSubset } from './src/node/mnist-plugin.ts';
import { ISOLATION_HEADERS as isolated } from './src/node/server.ts';

// One config for the dev server that serves the browser harness (src/browser/), for the course lab, and for vitest.
// Tests: `node` runs the CPU oracle in Node; `browser` drives Debian's Chromium (WebGPU on SwiftShader
// when there is no GPU) through puppeteer-core against a Vite server on http://127.0.0.1.
// The course lab (src/lab/): `npm run lab` (= vite --mode lab) serves it; `npm run build` makes dist/, a static
// site that works from any path (base './').
// Cross-origin isolation (SharedArrayBuffer: wasm threads for the bench page's TF.js and jax-js): `isolated`, the
// headers src/node/server.ts and bench/server.ts send too.

export default defineConfig(({ mode }) => ({
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  ...(mode === 'lab'
    ? {
        root: fileURLToPath(new URL('./src/lab', import.meta.url)),
        base: './',
        publicDir: false as const,
        plugins: [mnistSubset(), mnistDigitsFile()],
        // The bench page's build stamp (package version, commit): bench/page-build.ts.
        define: pageBuildDefine(fileURLToPath(new URL('.', import.meta.url))),
        // Two pages: the lab (index.html) and the bench (bench.html, bench/page/). emptyOutDir false: dist/lib is the
        // library build's. The bench page wants cross-origin isolation (wasm threads): `npm run preview` sends it.
        build: {
          outDir: fileURLToPath(new URL('./dist', import.meta.url)), emptyOutDir: false, target: 'es2022', chunkSizeWarningLimit: 2000,
          // NOTE: not minified: TF.js's threaded wasm backend starts its workers from its own source text, which
          // minification breaks ("e is not defined" in every worker).
          minify: false,
          rollupOptions: {
            input: { index: fileURLToPath(new URL('./src/lab/index.html', import.meta.url)), bench: fileURLToPath(new URL('./src/lab/bench.html', import.meta.url)) },
            // NOTE: Rollup names a virtual module's chunk `_virtual_<id>` (the MNIST subset's: src/node/mnist-plugin.ts),
            // and GitHub Pages' Jekyll leaves out every file whose name starts with `_` or `.`: there the MNIST preset was
            // a 404. Vite's own pattern (assets/[name]-[hash].js) without those leading characters;
            // test/site-static-host.test.ts.
            // NOTE: Rolldown named the engine's shared chunk (src/model.ts, the backends: fetched at the lab's start) after
            // one of its modules, src/train/mnist.ts (two constants): `mnist-<hash>.js` in a network panel read as the MNIST
            // digits fetched before the MNIST preset. It is `engine-<hash>.js`; test/site-static-host.test.ts.
            output: { chunkFileNames: (chunk) => `assets/${chunk.moduleIds.some((id) => id.endsWith('/src/model.ts')) ? 'engine' : chunk.name.replace(/^[_.]+/, '') || 'chunk'}-[hash].js` },
          },
        },
        server: { host: '127.0.0.1', headers: isolated },
        preview: { host: '127.0.0.1', headers: isolated },
      }
    : {}),
  test: {
    // NOTE: vitest's default is one worker fewer than the cores, so on a 2-core machine every file ran after another.
    // With 2 the node files run two at a time: the whole suite took 707 s with 2 workers against 830 s with 1 (this
    // 2-core machine, 2026-12-04, the same commit). On more cores, vitest's default. (`npm test` gives the node project
    // its own count, all cores but one, beside the browser project: test/run-suite.ts; this one is `vitest run`'s.)
    // NOTE: in one vitest process the browser files do not run beside the node files: vitest 4.1 puts a project whose
    // files run one after another (fileParallelism false, groupOrder 0) in a group of its own that starts once every
    // other file has ended (groupSpecs, node_modules/vitest/dist/chunks/cli-api.*.js). `npm test` runs the two projects
    // as two vitest processes at once instead (test/run-suite.ts).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**'],
          environment: 'node',
          // NOTE: generous, as only a hang should reach it. The node files run at nice 10 beside the browser project
          // (test/run-suite.ts), and CPU-bound tests of 4–21 s in a quiet CI (MNIST fits, the 3-thread wasm nets, the
          // LaTeX of every lecture parameter) passed 30 s at that priority beside busy processes (flaky53, stop 53).
          testTimeout: 90_000,
          // NOTE: generous, as only a hang should reach it: vitest's 10 s default failed test/bench-dawn-standalone.test.ts's
          // beforeAll (two builds of the standalone bench, ~5 s here alone) at nice 10 beside four busy processes (flaky53).
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/browser/setup.ts'],
          // One Chromium shared by every browser test file; files run one after another.
          fileParallelism: false,
          // NOTE: the files run one after another in one worker process, not a fresh process per file: each fresh one
          // spent ~0.8 s starting and importing puppeteer-core, vite and src/ again (15 small files: 64.9 s isolated,
          // 52.8 s not, this 2-core machine, 2026-12-08). Each test file is imported once, its state its own; between
          // files the helpers keep only a connection to the one Chromium (test/browser/lib.ts) and the site built once
          // (test/browser/site.ts); lab-lib.ts and site-page.ts set theirs up again in each file's beforeAll.
          isolate: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
}));
