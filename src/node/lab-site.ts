/**
 * The course-lab site as `npm run build` makes it (`vite build --mode lab`: index.html, bench.html and the MNIST digits
 * file) and as `npm run preview` serves it (`vite preview`, with the COOP/COEP headers of vite.config.ts), here on
 * 127.0.0.1 at a free port. Used by the browser tests (test/browser/site.ts builds it once a run, lab-lib.ts serves it)
 * and by bench/lab-timings.ts (its own build in a temp folder). Node only; not part of the package.
 */
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { PROJECT_ROOT } from './server.ts';

const CONFIG = join(PROJECT_ROOT, 'vite.config.ts');

/** `vite build --mode lab` into `outDir` (emptied first). */
export async function buildLabSite(outDir: string): Promise<void> {
  await build({ configFile: CONFIG, mode: 'lab', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

/** `vite preview` of the site built in `outDir`: its URL, and the server (the caller closes it). */
export async function previewLabSite(outDir: string): Promise<{ url: string; server: PreviewServer }> {
  const server = await preview({ configFile: CONFIG, mode: 'lab', logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) {
    await server.close();
    throw new Error('vite preview reported no URL');
  }
  return { url, server };
}
