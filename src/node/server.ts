/**
 * The page server for headless Chromium, on http://127.0.0.1 (a secure context, so WebGPU gets an adapter;
 * cross-origin isolated, so the wasm backend gets threads):
 * from a checkout, a Vite dev server on the project root (TypeScript and `?raw` shaders compiled on the fly);
 * from the built package (dist/lib/, no Vite), a static server on dist/lib/ serving the prebuilt harness page.
 */
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ViteDevServer } from 'vite';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Cross-origin isolation (COOP + COEP): the page may then share memory (SharedArrayBuffer), which the wasm
 * backend's threads need. Every resource the pages load is same-origin, so require-corp costs nothing.
 */
export const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** The harness page from the checkout's Vite server (the built package serves its own: Served.harness). */
export const HARNESS_PATH = 'src/browser/harness.html';

export interface Served {
  url: string;
  /** The harness page relative to url, when it is not HARNESS_PATH (the built one). */
  harness?: string;
  close(): Promise<void>;
}

/** Is this module the built one (dist/lib/node/server.js, next to dist/lib/browser/harness.{html,js})? */
const BUILT = import.meta.url.endsWith('.js');

/** Serve the checkout through Vite, or the built harness statically (BUILT). */
export function startServer(): Promise<Served> {
  return BUILT ? startStaticServer(fileURLToPath(new URL('..', import.meta.url))) : startViteServer();
}

async function startViteServer(): Promise<Served> {
  const { createServer } = await import('vite');
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
  return { url, harness: HARNESS_PATH, close: () => server.close() };
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/** GET of the files under `root` (html and js only), on 127.0.0.1 at a free port. */
export async function startStaticServer(root: string): Promise<Served> {
  const server = createHttpServer((req, res) => {
    // A path that does not decode (`/%E0%A4%A`) is a 400: thrown here, it ended the process (the CLI mid-run).
    let path: string;
    try {
      path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    } catch {
      res.writeHead(400).end();
      return;
    }
    const type = TYPES[extname(path)];
    if (!path.startsWith(root.endsWith(sep) ? root : root + sep) || !type) {
      res.writeHead(404).end();
      return;
    }
    readFile(path).then(
      (body) => res.writeHead(200, { 'content-type': type, ...ISOLATION_HEADERS }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the harness server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    harness: 'browser/harness.html',
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
