/**
 * bench/server.ts startBenchServer, as far as Node reaches it (its routes; the page in Chromium: test/browser/):
 * http://127.0.0.1 (a secure context: WebGPU gets an adapter), the bench page BENCH_PAGE served cross-origin isolated
 * (COOP same-origin, COEP require-corp: TF.js's threaded wasm needs SharedArrayBuffer), and close() stops serving.
 * prebundle: false, as test/mnist-digits.test.ts, so no pre-bundle is written (node_modules/.vite-bench).
 */
import { describe, expect, it } from 'vitest';
import { BENCH_PAGE, startBenchServer } from '../bench/server.ts';

describe('startBenchServer', () => {
  it('serves the bench page on 127.0.0.1, cross-origin isolated, and nothing once closed', async () => {
    const bench = await startBenchServer({ prebundle: false });
    let closed = false;
    try {
      expect(bench.url).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+\/$/);
      // The page the runner opens is the bench page (src/lab/bench.html, built as the site's dist/bench.html), not another.
      const res = await fetch(new URL(BENCH_PAGE, bench.url));
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>backprop-webgpu bench</title>');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      await bench.close();
      closed = true;
      await expect(fetch(new URL(BENCH_PAGE, bench.url))).rejects.toThrow();
    } finally {
      if (!closed) await bench.close();
    }
  }, 60_000);
});
