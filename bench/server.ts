/**
 * The bench page's server: Vite on http://127.0.0.1 (a secure context, so WebGPU gets an adapter) serving the
 * project root, with the two headers that make the page cross-origin isolated — TF.js's threaded wasm backend
 * needs SharedArrayBuffer, which browsers give only to cross-origin-isolated pages (COOP + COEP: the harness
 * server's ISOLATION_HEADERS, src/node/server.ts).
 * TF.js is CommonJS-tainted (seedrandom, long), so its packages are pre-bundled by Vite's dependency optimizer
 * into a cache of our own (node_modules/.vite-bench), one tfjs-core instance shared by every backend.
 * Config e's digits: the page fetches the site's MNIST digits file, which this server makes (src/node/mnist-plugin.ts).
 */
import { createServer, type ViteDevServer } from 'vite';
import { mnistDigitsFile } from '../src/node/mnist-plugin.ts';
import { pageBuildDefine } from './page-build.ts';
import { ISOLATION_HEADERS, PROJECT_ROOT, type Served } from '../src/node/server.ts';

/** The bench page: part of the built site (dist/bench.html, vite.config.ts) and served from the project root here. */
export const BENCH_PAGE = 'src/lab/bench.html';

/**
 * The bench page's dev server. `prebundle: false` (a test of its routes, test/mnist-digits.test.ts) leaves TF.js and
 * jax-js unbundled: the pre-bundle writes node_modules/.vite-bench, which a browser test's bench server in the other
 * vitest process (test/run-suite.ts) may be writing at the same moment.
 */
export async function startBenchServer(options: { prebundle?: boolean } = {}): Promise<Served> {
  const { prebundle = true } = options;
  const server: ViteDevServer = await createServer({
    root: PROJECT_ROOT,
    configFile: false,
    logLevel: 'error',
    plugins: [mnistDigitsFile()],
    // The page's build stamp, as the built site's (bench/page-build.ts).
    define: pageBuildDefine(PROJECT_ROOT),
    // Unbundled, a cache of its own: an empty pre-bundle's metadata in .vite-bench would send the next server there to
    // bundle again.
    cacheDir: prebundle ? 'node_modules/.vite-bench' : 'node_modules/.vite-bench-routes',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null, headers: ISOLATION_HEADERS },
    optimizeDeps: !prebundle ? { noDiscovery: true, include: [] } : {
      entries: [BENCH_PAGE],
      include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', '@jax-js/jax'],
      // TF.js's .wasm files are imported as URLs (bench/page/main.ts), fetched at run time.
      exclude: [],
    },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite did not report a local URL');
  return { url, close: () => server.close() };
}
