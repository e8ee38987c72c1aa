/**
 * The lab and the bench page's charts in Firefox (Gecko; Debian's firefox-esr, 153 here) with its Linux default of
 * WebGPU off, where they had only been driven in Chromium. A student's walk (fflab63) found two things Chromium hid:
 * - the bench's SVG charts (bench/chart.ts, bench/epochs.ts) sized their title and legend by ~8 and ~6 px a character,
 *   and Gecko draws font-family sans-serif in DejaVu Sans, wider than Chromium's face: the page's quick run's title
 *   read "… custom run 2026-12-0", and a long legend label lost its ")". Every chart of bench/results/ is drawn here
 *   and each text must lie within its chart;
 * - without navigator.gpu the notice said "a browser without WebGPU, or WebGPU disabled" and not where Firefox
 *   switches it on (about:config, dom.webgpu.enabled): it says so now (src/webgpu/gpu.ts webgpuSwitchHint).
 * The lab is the site the Chromium lab files serve (./site.ts: built once a run), here with its own `vite preview`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChartRun, svgChart } from '../../bench/chart.ts';
import { type BenchResult, ttaSvg } from '../../bench/report.ts';
import { previewLabSite } from '../../src/node/lab-site.ts';
import { PROJECT_ROOT } from '../../src/node/server.ts';
import { firefoxSkipReason, launchFirefox } from './firefox.ts';
import { shows } from './lab-lib.ts';
import { builtSite } from './site.ts';

const RESULTS = join(PROJECT_ROOT, 'bench', 'results');

/** Every run result of bench/results/ (a JSON with configs, rows and env), drawn as the page and the runner draw it. */
function charts(): string[] {
  const out: string[] = [];
  for (const f of readdirSync(RESULTS).filter((n) => n.endsWith('.json')).sort()) {
    const r = JSON.parse(readFileSync(join(RESULTS, f), 'utf8')) as Partial<BenchResult>;
    if (!Array.isArray(r.rows) || !Array.isArray(r.configs) || !r.env || !r.date) continue;
    out.push(`<div data-file="${f} steps/s">${svgChart(r as ChartRun)}</div>`);
    const tta = ttaSvg(r as BenchResult);
    if (tta) out.push(`<div data-file="${f} time-to-accuracy">${tta}</div>`);
  }
  return out;
}

describe.skipIf(firefoxSkipReason())('Firefox (Gecko, WebGPU off as on Linux)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchFirefox();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("the bench's charts hold their text: every title, legend label and footer line inside its chart", async () => {
    const svgs = charts();
    expect(svgs.length).toBeGreaterThan(20);
    const page = await browser.newPage();
    try {
      await page.setContent(`<!doctype html><body style="margin:0">${svgs.join('\n')}</body>`);
      const outside = await page.evaluate(() => [...document.querySelectorAll('svg text')].flatMap((t) => {
        const svg = (t as SVGTextElement).ownerSVGElement!;
        const s = svg.getBoundingClientRect();
        const r = t.getBoundingClientRect();
        return r.width > 0 && (r.right > s.right + 0.5 || r.left < s.left - 0.5)
          ? [`${svg.parentElement!.dataset.file}: "${t.textContent}" ends at ${Math.round(r.right - s.left)} of ${Math.round(s.width)} px`] : [];
      }));
      expect(outside).toEqual([]);
    } finally {
      await page.close();
    }
  });

  describe('the lab', () => {
    let url = '';
    let close: () => Promise<void> = async () => {};
    const errors: string[] = [];
    let page: Page;
    beforeAll(async () => {
      const served = await previewLabSite(await builtSite());
      url = served.url;
      close = () => served.server.close();
      page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 800 });
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(url);
      await page.waitForFunction(() => document.body.dataset.ready === 'true', { timeout: 60_000 });
    }, 120_000);
    afterAll(async () => {
      await page?.close();
      await close();
    });

    const text = (selector: string) => page.$eval(selector, (e) => (e as HTMLElement).innerText);
    const act = async (selector: string) => {
      await page.$eval(selector, (e) => (e as HTMLElement).click());
      await page.waitForFunction(() => !document.body.dataset.busy, { timeout: 60_000, polling: 50 });
    };

    it('starts on wasm, cross-origin isolated, and the notice says where Firefox switches WebGPU on', async () => {
      expect(await page.evaluate(() => [crossOriginIsolated, navigator.userAgent.includes('Firefox/'), 'gpu' in navigator])).toEqual([true, true, false]);
      expect(await text('#device-badge')).toMatch(/^Training on wasm: /);
      expect(await text('#notice-text')).toContain('WebGPU is unavailable here, so the lab trains on WebAssembly SIMD.');
      expect(await text('#notice-text')).toContain('set dom.webgpu.enabled to true in about:config');
      expect(await page.$eval('#backend-webgpu', (e) => (e as HTMLInputElement).disabled)).toBe(true);
    });

    it("Forward, Loss and Update on the lecture's net: the lecture's loss, and no error on the page", async () => {
      await act('#step-forward');
      await act('#step-loss');
      // The loss the lecture printed (its transcription's claim 'L', at its rounding: ./lab-lib.ts shows).
      const loss = await text('#stage-out');
      expect(loss).toMatch(/^Loss on WebAssembly SIMD: L = /);
      expect(shows(loss, 'L'), loss).toBe(true);
      await act('#step-update');
      expect(await text('#stage-out')).toMatch(/^Update on WebAssembly SIMD: /);
      expect(errors).toEqual([]);
    });
  });
});
