/**
 * The engine and the lab in WebKit (./webkit.ts: Debian's WebKitGTK MiniBrowser driven over WebDriver classic), the
 * engine Safari's students run — JavaScriptCore's wasm (SIMD), WebKit's layout. WebKitGTK has no WebGPU, so:
 * - the harness page (src/browser/harness.html): the 2-2-1 lecture's every claim (test/lib/claims.ts) on wasm and on
 *   the page's CPU backend, as lectures.test.ts checks them in Chromium;
 * - the lab (the built site, ./site.ts, served by `vite preview` with COOP/COEP): it starts on wasm, and the Device tab
 *   says why 1 thread truly — the page IS cross-origin isolated, the browser offers no SharedArrayBuffer
 *   (test/lab-device-no-sab.test.ts), the loss chart's pixels are its box's once WebKit has laid the lab out
 *   (src/lab/loss-chart.ts) — and no uncaught error or console.error on either page.
 * Skipped where WebKitWebDriver, MiniBrowser or Xvfb is missing (webkitSkipReason); REQUIRE_WEBKIT=1 makes that a failure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Result } from '../../src/browser/harness.ts';
import { previewLabSite } from '../../src/node/lab-site.ts';
import { HARNESS_PATH } from '../../src/node/server.ts';
import type { NetworkSpec } from '../../src/spec.ts';
import { LECTURES, type ModelLike, checkLecture, collectRuns, describeCheck, passes } from '../lib/claims.ts';
import { ARTIFACTS } from './lab-lib.ts';
import { unwrap } from './lib.ts';
import { builtSite } from './site.ts';
import { launchWebKit, type WebKitSession, webkitSkipReason } from './webkit.ts';

const skip = webkitSkipReason();
if (skip) console.log(`webkit: skipped: ${skip}`);

/** Put before the page's own scripts run? WebDriver classic cannot; so errors are collected from the load on by
 * the page's `error` events (window.onerror) and console.error, wrapped as soon as the page answers. */
const COLLECT = `
  if (!window.__errors) {
    window.__errors = [];
    window.addEventListener('error', (e) => window.__errors.push('error: ' + (e.message || e.type)));
    window.addEventListener('unhandledrejection', (e) => window.__errors.push('unhandled: ' + String(e.reason)));
    const ce = console.error.bind(console);
    console.error = (...a) => { window.__errors.push('console.error: ' + a.map(String).join(' ')); ce(...a); };
  }`;

/** Poll `condition` (an expression) in the page until true, within `ms`. */
async function waitFor(wk: WebKitSession, condition: string, ms: number): Promise<void> {
  const ok = await wk.executeAsync<boolean>(`${COLLECT}
    const done = arguments[arguments.length - 1], end = Date.now() + ${ms};
    const tick = () => { let v = false; try { v = !!(${condition}); } catch {} if (v || Date.now() > end) done(v); else setTimeout(tick, 50); };
    tick();`);
  if (!ok) throw new Error(`WebKit: not within ${ms} ms: ${condition}`);
}

const errorsIn = (wk: WebKitSession) => wk.execute<string[]>('return window.__errors || [];');

/** For collectRuns: window.bp's grad and step on `backend` in the WebKit page, carried as JSON (the lecture's values are finite). */
function webkitModel(wk: () => WebKitSession, backend: 'wasm' | 'cpu'): (spec: NetworkSpec) => Promise<ModelLike> {
  const bp = async <T>(method: 'grad' | 'step', spec: unknown, lr?: number): Promise<T> => {
    const json = await wk().executeAsync<string>(`const [m, s, b, lr, done] = arguments;
      window.bp[m](s, b, lr === null ? undefined : lr).then((r) => done(JSON.stringify(r)), (e) => done(JSON.stringify({ error: { name: 'Error', message: String(e) } })));`, [method, spec, backend, lr ?? null]);
    return unwrap(JSON.parse(json) as Result<T>);
  };
  return (spec) => Promise.resolve({
    grad: async (x?: number[][], y?: number[][]) => {
      const r = await bp<Awaited<ReturnType<ModelLike['grad']>> & { backend: string }>('grad', x && y ? { ...spec, x, y } : spec);
      expect(r.backend).toBe(backend);
      return r;
    },
    step: (lr?: number) => bp<Awaited<ReturnType<ModelLike['step']>>>('step', spec, lr),
    dispose: () => {},
  });
}

describe.skipIf(skip !== undefined)('the engine and the lab in WebKit', () => {
  let wk: WebKitSession | undefined;
  let server: PreviewServer | undefined;
  const shots = join(ARTIFACTS, 'webkit');

  beforeAll(async () => {
    wk = await launchWebKit();
    console.log(`webkit: WebKitGTK ${wk.version}`);
    await wk.setWindowSize(1280, 800);
  }, 60_000);

  afterAll(async () => {
    await wk?.close();
    await server?.close();
  });

  describe('the harness page', () => {
    beforeAll(async () => {
      await wk!.navigate(new URL(HARNESS_PATH, inject('baseUrl')).href);
      await waitFor(wk!, 'window.bp && window.bp.ready === true', 60_000);
    }, 90_000);

    const l = LECTURES.find((x) => x.id === 'lecture-2-2-1');
    for (const backend of ['wasm', 'cpu'] as const) {
      it(`${l?.id}: every printed value, formula and erratum, on ${backend} (JavaScriptCore)`, async () => {
        if (!l) throw new Error('no lecture-2-2-1');
        const results = checkLecture(l, backend, await collectRuns(webkitModel(() => wk!, backend), l.worked.spec));
        expect(results.length).toBeGreaterThanOrEqual(l.worked.claims.length);
        const failed = results.filter((r) => !passes(r) || (r.erratum && (!r.erratum.matchesCorrect || r.matches)));
        expect(failed.map(describeCheck)).toEqual([]);
      }, 60_000);
    }

    it('no uncaught error or console.error on the harness page', async () => {
      expect(await errorsIn(wk!)).toEqual([]);
    });
  });

  describe('the lab', () => {
    beforeAll(async () => {
      const site = await previewLabSite(await builtSite());
      server = site.server;
      await wk!.navigate(site.url);
      await waitFor(wk!, `document.body.dataset.ready === 'true' && !document.querySelector('#explain .explain-loading')`, 90_000);
      mkdirSync(shots, { recursive: true });
      writeFileSync(join(shots, 'lab.png'), await wk!.screenshot());
    }, 180_000);

    it('isolated, without SharedArrayBuffer or WebGPU: the badge says wasm, the Device tab says why 1 thread truly', async () => {
      const got = await wk!.execute<{ iso: boolean; sab: string; gpu: boolean; badge: string; why: string; whyTitle: string; adapter: string }>(`return {
        iso: self.crossOriginIsolated, sab: typeof SharedArrayBuffer, gpu: !!navigator.gpu,
        badge: document.getElementById('device-badge').textContent,
        why: document.getElementById('device-why').textContent, whyTitle: document.getElementById('device-why').title,
        adapter: document.getElementById('adapter').textContent };`);
      console.log(`webkit: lab: isolated ${got.iso}, SharedArrayBuffer ${got.sab}, WebGPU ${got.gpu}; "${got.badge}"`);
      // What this WebKitGTK is (measured: 2.50.6); were it to offer SharedArrayBuffer, the sentence checked below would not show.
      expect(got.iso).toBe(true);
      expect(got.sab).toBe('undefined');
      expect(got.badge).toMatch(/^Training on wasm: /);
      const sentence = got.whyTitle || got.why;
      expect(sentence).toContain('It runs on 1 thread: the browser offers no SharedArrayBuffer on this page though it is cross-origin isolated');
      expect(`${got.why} ${got.whyTitle} ${got.adapter}`).not.toMatch(/not cross-origin isolated|sent no Cross-Origin/);
    });

    // WebKit laid the lab out after the loss chart's first draw (the 1-thread sentence made Training taller): drawn
    // 161 px tall, shown 125, squashed until the chart followed its box (src/lab/loss-chart.ts; 2026-12-07, 2.50.6).
    it("the loss chart's pixels are its box's, not the size it was first drawn at", async () => {
      const fits = `(() => { const c = document.getElementById('loss-chart'), r = c.getBoundingClientRect(), d = Math.min(2, devicePixelRatio || 1);
        return c.width === Math.round(r.width * d) && c.height === Math.round(r.height * d); })()`;
      await waitFor(wk!, fits, 2_000);
    });

    it('no uncaught error or console.error on the lab', async () => {
      expect(await errorsIn(wk!)).toEqual([]);
    });
  });
});
