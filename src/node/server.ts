/** A Vite dev server on http://127.0.0.1 (a secure context, so WebGPU gets an adapter; cross-origin isolated, so wasm gets threads) serving the project root. */
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Cross-origin isolation (COOP + COEP): the page may then share memory (SharedArrayBuffer), which the wasm
 * backend's threads need. Every resource the pages load is same-origin, so require-corp costs nothing.
 */
export const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function startServer(): Promise<Served> {
  const server: ViteDevServer = await createServer({
    root: PROJECT_ROOT,
    configFile: false,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null, headers: ISOLATION_HEADERS },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite did not report a local URL');
  return { url, close: () => server.close() };
}
