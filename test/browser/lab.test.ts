/**
 * The course lab (src/lab/), built with `vite build --mode lab` (once per run, ./site.ts) and served by `vite preview`, driven in the
 * shared headless Chromium (WebGPU on SwiftShader here). Expected numbers come from the lecture's own
 * transcription (src/lectures/lecture-2-2-1.worked.json: what the lecture printed), never from the lab.
 * Screenshots of the main views go to test-artifacts/lab/ (git-ignored).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type KeyInput, type Page, type SerializedAXNode } from 'puppeteer-core';
import { preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { PROJECT_ROOT } from '../../src/node/server.ts';
import { lecture } from '../../src/lectures/index.ts';
import { PRESETS } from '../../src/lab/presets.ts';
import { NEGATIVE, POSITIVE } from '../../src/lab/diagram-model.ts';
import { builtSite } from './site.ts';
import { validateSpec } from '../../src/spec.ts';
import type { NumericClaim } from '../../src/worked/worked.ts';

const ARTIFACTS = join(PROJECT_ROOT, 'test-artifacts', 'lab');
const DOWNLOADS = join(ARTIFACTS, 'downloads');
const CONFIG = join(PROJECT_ROOT, 'vite.config.ts');

/** The lecture's printed value of a claim (the first numeric claim of that name without an erratum). */
const worked = lecture('lecture-2-2-1').worked;
function printed(name: string): { value: number; decimals: number } {
  const c = worked.claims.find((x): x is NumericClaim => x.name === name && 'printed' in x && !x.erratum);
  if (!c) throw new Error(`the 2-2-1 transcription has no clean claim '${name}'`);
  return { value: c.printed, decimals: c.decimals };
}
/** Does `text` show `value` at the lecture's rounding? (a number in the text within ½·10^−decimals of it) */
function shows(text: string, name: string): boolean {
  const { value, decimals } = printed(name);
  const nums = (text.replace(/−/g, '-').match(/-?\d+\.\d+/g) ?? []).map(Number);
  return nums.some((v) => Math.abs(v - value) <= 0.5 * 10 ** -decimals + 1e-12);
}

let server: PreviewServer;
let url: string;
let browser: Browser;
const pages: Page[] = [];

async function openLab(errors: string[], hash = '', beforeLoad?: (p: Page) => Promise<unknown>): Promise<Page> {
  const page = await browser.newPage();
  pages.push(page);
  await page.setViewport({ width: 1280, height: 800 });
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  if (beforeLoad) await beforeLoad(page);
  await page.goto(url + hash);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', { timeout: 60_000 });
  return page;
}

/**
 * Click a control and wait until the page's action is done (body[data-busy] cleared). The click is the element's
 * own (as a keyboard user's Enter), so controls in a tab that is not shown work too.
 */
async function act(page: Page, selector: string): Promise<void> {
  await page.waitForFunction((s) => !(document.querySelector(s) as HTMLButtonElement | null)?.disabled, { timeout: 30_000 }, selector);
  await page.$eval(selector, (e) => (e as HTMLElement).click());
  await idle(page);
}

/** The five regions of the workspace, by their accessible names. */
const REGIONS = ['Data', 'Network', 'Training', 'Loss', 'Output'] as const;

async function idle(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.body.dataset.busy, { timeout: 120_000, polling: 50 });
}

async function choosePreset(page: Page, id: string): Promise<void> {
  await page.select('#preset', id);
  await page.waitForFunction(() => document.body.dataset.busy === undefined, { timeout: 120_000, polling: 50 });
}

const text = (page: Page, selector: string) => page.$eval(selector, (e) => (e as HTMLElement).innerText ?? e.textContent ?? '');
const errorNotice = (page: Page) => page.$eval('#notice', (e) => (e.classList.contains('error') && !(e as HTMLElement).hidden ? e.textContent ?? '' : ''));
/**
 * What the shown notice covers: the Train on switch (its whole fieldset) and every other control on screen (a button,
 * input, select, link, label or summary with a box, outside the notice; the part of it its region does not scroll
 * out of view), each as `tag#id "text"`. After two frames,
 * so that the strip the workspace gives up for it (style.css) is laid out.
 */
const coveredByNotice = (page: Page) => page.evaluate(async () => {
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const notice = document.getElementById('notice')!;
  if (notice.hidden) throw new Error('no notice is shown');
  const n = notice.getBoundingClientRect();
  // The part of a control on screen: its box clipped by every scrolling ancestor (a region scrolls its overflow).
  const seen = (e: Element) => {
    let { left, top, right, bottom } = e.getBoundingClientRect();
    for (let p = e.parentElement; p; p = p.parentElement) {
      if (getComputedStyle(p).overflow === 'visible') continue;
      const c = p.getBoundingClientRect();
      left = Math.max(left, c.left); top = Math.max(top, c.top); right = Math.min(right, c.right); bottom = Math.min(bottom, c.bottom);
    }
    return { left, top, right, bottom };
  };
  const meets = (r: { left: number; top: number; right: number; bottom: number }) =>
    r.left < r.right && r.top < r.bottom && r.left < n.right && n.left < r.right && r.top < n.bottom && n.top < r.bottom;
  const controls = [document.querySelector('fieldset.switch')!, ...document.querySelectorAll('button, input, select, textarea, a[href], label, summary, [tabindex]:not([tabindex="-1"])')];
  return controls.filter((e) => !notice.contains(e) && meets(seen(e)))
    .map((e) => `${e.tagName.toLowerCase()}#${e.id} "${(e.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 30)}"`);
});
/** The TeX source of every KaTeX block in a host (KaTeX keeps it in a MathML annotation). */
const tex = (page: Page, selector: string) => page.$$eval(`${selector} annotation[encoding="application/x-tex"]`, (els) => els.map((e) => e.textContent ?? '').join('\n'));

async function shot(page: Page, name: string, selector?: string): Promise<void> {
  const path = join(ARTIFACTS, `${name}.png`) as `${string}.png`;
  if (selector) await (await page.$(selector))!.screenshot({ path });
  else await page.screenshot({ path, fullPage: false });
}

beforeAll(async () => {
  // Only this file's outputs (test/browser/lab-surface.test.ts writes beside them).
  rmSync(DOWNLOADS, { recursive: true, force: true });
  mkdirSync(DOWNLOADS, { recursive: true });
  server = await preview({ configFile: CONFIG, mode: 'lab', logLevel: 'warn', build: { outDir: await builtSite() }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const local = server.resolvedUrls?.local[0];
  if (!local) throw new Error('vite preview reported no URL');
  url = local;
  browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
}, 180_000);

// NOTE: teardown is bounded: in one CI run (all 1322 tests passed) this hook hung for its whole 120 s. A page still
// busy may not close promptly, and http.Server.close waits for every keep-alive connection unless they are ended.
const within = (ms: number, work: Promise<unknown>): Promise<unknown> =>
  Promise.race([work.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, ms))]);
afterAll(async () => {
  for (const p of pages) await within(5_000, p.close());
  await within(5_000, browser?.disconnect() ?? Promise.resolve());
  const http = server?.httpServer;
  if (http && 'closeAllConnections' in http) http.closeAllConnections();
  await within(5_000, new Promise<void>((resolve) => server?.httpServer.close(() => resolve())));
});

describe('the course lab, built and served', () => {
  it('opens on the 2-2-1 lecture net; on SwiftShader it starts on wasm SIMD (the engine\'s auto) and says why', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    // SwiftShader is a fallback adapter: the page must say so, and that wasm SIMD is the fastest CPU path.
    expect(await text(page, '#adapter')).toMatch(/fallback adapter\s*yes/);
    expect(await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend)).toBe('wasm');
    // The backend's own description: the SIMD kind (Chromium 156 has relaxed SIMD) and the threads.
    expect(await text(page, '#device-badge')).toMatch(/^Training on wasm: relaxed SIMD \(FMA\), \d+ threads?$/);
    expect(await text(page, '#adapter')).toMatch(/backend\s*WebAssembly: f32x4 SIMD with relaxed-SIMD FMA, \d+ threads?/);
    // The threads row: the lecture's 2-2-1 net is far under 2¹⁸ multiply-adds a step, so on 2 threads or more it runs on 1.
    expect(await text(page, '#adapter')).toMatch(/threads\s*(1 thread|\d+ threads; this net runs on 1: a step of it is under 2¹⁸ multiply-adds, too little to split)/);
    const why = await text(page, '#device-why');
    expect(why).toMatch(/SwiftShader, a GPU emulated on the CPU.*fastest CPU path/);
    expect(await page.$eval('#backend-wasm', (e) => (e as HTMLInputElement).checked)).toBe(true);
    for (const id of ['#backend-webgpu', '#backend-wasm', '#backend-cpu']) {
      expect(await page.$eval(id, (e) => (e as HTMLInputElement).disabled), id).toBe(false);
    }
    expect(await page.$eval('#preset', (e) => (e as HTMLSelectElement).value)).toBe('lecture-2-2-1');
    await shot(page, 'main-1280x800');
    expect(errors).toEqual([]);
  });

  it('steps forward, loss, backward and update and shows the lecture\'s numbers', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    await act(page, '#step-forward');
    const nodes = await page.$$eval('#diagram [data-node]', (els) => els.map((e) => e.textContent ?? '').join(' | '));
    for (const name of ['z_h1', 'z_h2', 'a_h1', 'a_h2', 'z_out', 'ŷ']) expect(shows(nodes, name), `${name} in ${nodes}`).toBe(true);
    await act(page, '#step-loss');
    expect(shows(await text(page, '#stage-out'), 'L')).toBe(true);
    await act(page, '#step-backward');
    // w5 is selected by default: ∂L/∂w5 = 0.7414 × 0.1868 × 0.5933 = 0.0822, and its matrix form δ₂·A₁ᵀ.
    const w5 = await tex(page, '#explain');
    for (const name of ['∂L/∂ŷ', '∂ŷ/∂z_out', '∂z_out/∂w5', 'δ_out']) expect(shows(w5, name), `${name} in ${w5}`).toBe(true);
    expect(shows(w5.replace(/\\times/g, ' '), '∂L/∂w5')).toBe(true);
    await shot(page, 'explain-w5', '#panel-explain');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'step-backward');
    // Select w1 with the keyboard. The weights and biases are one Tab stop (a roving tabindex), the selected w5: Tab
    // from the control before the diagram lands on it. The arrows move (the 2-2-1 is drawn left → right: Left / Right
    // between layers, at the same place in the list or its last; Up / Down within one, w1 w2 w3 w4 b1 | w5 w6 b2; no
    // wrapping), Home / End go to the first / last, and the one focused is the Tab stop. Enter selects it; drawn again,
    // it keeps focus and the Tab stop.
    const keyboard = () => page.$eval('#diagram', (host) => ({
      focused: document.activeElement?.getAttribute('data-param') ?? document.activeElement?.tagName,
      stops: [...host.querySelectorAll('[data-param]')].filter((e) => e.getAttribute('tabindex') === '0').map((e) => e.getAttribute('data-param')),
      others: [...host.querySelectorAll('[data-param]')].filter((e) => e.getAttribute('tabindex') !== '0').every((e) => e.getAttribute('tabindex') === '-1'),
      group: host.querySelector('[data-param]')!.closest('[role="group"]')!.getAttribute('aria-label'),
    }));
    await page.$eval('#editor-box summary', (e) => (e as HTMLElement).focus());
    await page.keyboard.press('Tab');
    expect(await keyboard()).toEqual({ focused: 'W[1][0][0]', stops: ['W[1][0][0]'], others: true, group: 'Weights and biases: arrow keys move, Enter selects' });
    const moves: [KeyInput, string][] = [
      ['ArrowDown', 'W[1][0][1]'], ['ArrowLeft', 'W[0][0][1]'], ['ArrowDown', 'W[0][1][0]'], ['ArrowDown', 'W[0][1][1]'], ['ArrowDown', 'b[0][0]'],
      ['ArrowRight', 'b[1][0]'], ['ArrowDown', 'b[1][0]'], ['Home', 'W[0][0][0]'], ['ArrowLeft', 'W[0][0][0]'], ['End', 'b[1][0]'],
      ['ArrowLeft', 'W[0][1][0]'], ['ArrowUp', 'W[0][0][1]'], ['ArrowUp', 'W[0][0][0]'],
    ];
    for (const [key, to] of moves) {
      await page.keyboard.press(key);
      expect(await keyboard(), `${key} → ${to}`).toMatchObject({ focused: to, stops: [to], others: true });
    }
    await page.keyboard.press('Enter');
    expect(await keyboard()).toMatchObject({ focused: 'W[0][0][0]', stops: ['W[0][0][0]'], others: true });
    expect(await page.$eval('#diagram .selected', (e) => e.getAttribute('data-param'))).toBe('W[0][0][0]');
    const w1 = await tex(page, '#explain');
    for (const name of ['∂a_h1/∂z_h1', 'δ_h1', '∂L/∂w1']) expect(shows(w1, name), `${name} in ${w1}`).toBe(true);
    // The one focused last (w2, not selected) stays the Tab stop when the diagram is drawn again with focus elsewhere.
    await page.keyboard.press('ArrowDown');
    await page.$eval('#step-update', (e) => (e as HTMLElement).focus());
    await act(page, '#step-update');
    expect(await keyboard()).toMatchObject({ focused: 'BUTTON', stops: ['W[0][0][1]'], others: true });
    const row = await page.$eval('.update-table tr[data-param="W[1][0][0]"]', (e) => e.textContent ?? '');
    // new w5 = 0.40 − 0.0001 × 0.0822 (the lecture's expression; its own decimal slip is an erratum).
    expect(row).toMatch(/0\.399991/);
    expect(await errorNotice(page)).toBe('');
    expect(errors).toEqual([]);
  });

  /**
   * A student's too-large learning rate, η = 1 on the lecture's linear regression net: Train's first chunk (one
   * step) is kept and the next diverges (DivergedError puts back that chunk's start). The line under the progress
   * bar said 'step 1 of 200, loss 1370.4' as if still running, and the Output kept the starting weights' outputs
   * (1.2090, 1.1350) while the net held those after the step. A diverged Fit puts back the weights before it.
   */
  async function divergesAtLr1(page: Page): Promise<void> {
    await page.click('#editor-box summary');
    await page.$eval('#lr', (e) => { (e as HTMLInputElement).value = '1'; });
    await act(page, '#editor button[type="submit"]');
    await act(page, '#train');
    expect(await errorNotice(page)).toMatch(/^Train failed — DivergedError: /);
    expect(await text(page, '#train-out')).toMatch(/^Train stopped after 1 of \d+ steps on .*: the loss diverged at η = 1; .* Lower the learning rate η \(Edit layers, loss, learning rate, batch\) and press Reset/);
    // The stage line says so too (it said '… Press Forward.', from the net's load).
    expect(await text(page, '#stage-out')).toMatch(/^Train stopped after 1 of \d+ steps on .*: the loss diverged\. Lower the learning rate η \(Edit layers, loss, learning rate, batch\) and press Reset to start again\.$/);
    // ŷ after one full-batch SGD step at η = 1 from the lecture's weights, in float64 by the formulas (linear units,
    // L = Σ_c ½(ŷ_c − y_c)²: δ₂ = ŷ − y, δ₁ = W₂ᵀδ₂, dW = Σ_c δ·aᵀ, db = Σ_c δ), then a forward pass.
    const { x, y, params } = lecture('lecture-regression').worked.spec as { x: number[][]; y: number[][]; params: { W: number[][][]; b: number[][] } };
    const W1 = params.W[0].map((r) => [...r]), b1 = [...params.b[0]], W2 = [...params.W[1][0]];
    let b2 = params.b[1][0];
    const fwd = (xc: number[]) => { const h = W1.map((r, i) => r[0] * xc[0] + r[1] * xc[1] + b1[i]); return { h, out: W2[0] * h[0] + W2[1] * h[1] + b2 }; };
    const g = { W1: [[0, 0], [0, 0]], b1: [0, 0], W2: [0, 0], b2: 0 };
    x.forEach((xc, c) => {
      const { h, out } = fwd(xc);
      const d2 = out - y[c][0];
      g.b2 += d2;
      for (let i = 0; i < 2; i++) {
        g.W2[i] += d2 * h[i];
        g.b1[i] += W2[i] * d2;
        for (let j = 0; j < 2; j++) g.W1[i][j] += W2[i] * d2 * xc[j];
      }
    });
    for (let i = 0; i < 2; i++) { W2[i] -= g.W2[i]; b1[i] -= g.b1[i]; for (let j = 0; j < 2; j++) W1[i][j] -= g.W1[i][j]; }
    b2 -= g.b2;
    const shown = await page.$$eval('#predictions tbody tr', (rows) => rows.map((r) => Number(r.children[2].textContent)));
    // float32 training and a 4-decimal table: within 1e-5 relative (ŷ ≈ 3.9e5; the starting ŷ were 1.2090, 1.1350).
    expect(shown.length).toBe(2);
    shown.forEach((v, c) => expect(Math.abs(v - fwd(x[c]).out), `example ${c + 1}: ${v}`).toBeLessThanOrEqual(1e-5 * Math.abs(fwd(x[c]).out)));
    await act(page, '#reset');
    await page.select('#fit-optimizer', 'sgd');
    // lr 1.2345678e30: the line writes it unrounded with no '+' in the exponent (fmtExact), not String's 1.2345678e+30
    // nor the CLI plot title's 4 digits (1.235e30).
    await page.$eval('#fit-lr', (e) => { (e as HTMLInputElement).value = '1.2345678e30'; });
    await act(page, '#fit');
    expect(await errorNotice(page)).toMatch(/^Fit failed — DivergedError: /);
    expect(await text(page, '#train-out')).toMatch(/^Fit stopped in epoch \d+ of \d+ on .*: the loss diverged at lr 1\.2345678e30; the weights are back to those before the Fit\. Lower the Fit panel's lr \(fit\.optimizer\.lr\)/);
    expect(await text(page, '#stage-out')).toMatch(/^Fit stopped in epoch \d+ of \d+ on .*: the loss diverged\. Lower the Fit panel's lr \(fit\.optimizer\.lr\) and Fit again\.$/);
  }

  it('loads every preset without an error', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    let biasPresets = 0;
    for (const p of PRESETS) {
      await choosePreset(page, p.id);
      expect(await errorNotice(page), p.id).toBe('');
      expect(await page.$$eval('#diagram [data-node]', (els) => els.length), p.id).toBeGreaterThan(0);
      expect(await text(page, '#stage-out'), p.id).toMatch(/loaded/);
      // Unit and bias names at least 9 px tall at 1280 × 800 for every preset: the two spirals (2-16-16-1, its wide
      // layers strips) ran top → bottom, a narrow drawing scaled to the box's height, its names ~7 px.
      const names = await page.$$eval('#diagram .nd-node-name', (els) => els.map((e) => e.getBoundingClientRect().height));
      expect(names.length, p.id).toBeGreaterThan(0);
      expect(Math.min(...names), p.id).toBeGreaterThanOrEqual(9);
      // Bias names too: the dense layouts' (2-8-1 …) were 8.4 units in their 18-unit squares, ~6 px; XOR's 2-4-1 ran
      // left to right, its whole drawing scaled to 0.42 (its bias names, values and weight names ~6 px).
      const biases = await page.$$eval('#diagram .nd-bias-name', (els) => els.map((e) => e.getBoundingClientRect().height));
      // (9 px less float rounding: the 3-1 study-hours net's 14-unit name measured 8.99998 when it ran left to right.)
      if (biases.length > 0) expect(Math.min(...biases), p.id).toBeGreaterThanOrEqual(8.99);
      biasPresets += biases.length > 0 ? 1 : 0;
      // The caption: HTML text under the drawing at the page's size, the SVG's description. In the SVG it scaled with
      // the drawing: MNIST's was 6.7 px at 1280 × 800, XOR's 7.4, the circle net's 8.6.
      const caption = await page.$eval('#diagram svg', (svg) => {
        const c = document.getElementById(svg.getAttribute('aria-describedby') ?? '');
        return c && { px: parseFloat(getComputedStyle(c).fontSize), text: c.textContent ?? '', inSvg: svg.contains(c) };
      });
      expect(caption, p.id).not.toBeNull();
      expect(caption!.text, p.id).toMatch(/\w/);
      expect(caption!.inSvg, p.id).toBe(false);
      expect(caption!.px, p.id).toBeGreaterThanOrEqual(11);
      if (p.id === 'lecture-study-hours-w7') {
        // The 3-1 net (no layer of 4) ran left → right: 310 × 494 units in the 566 × 274 px box its caption leaves, scale
        // 0.555 (bias, value and weight names 9 px). Top → bottom it is 494 × 310, scale min(566 / 494, 274 / 310) = 0.884.
        const drawn = await page.$eval('#diagram svg', (e) => {
          const r = e.getBoundingClientRect();
          const vb = (e as SVGSVGElement).viewBox.baseVal;
          const cy = (key: string) => Number(e.querySelector(`[data-node="${key}"] circle`)!.getAttribute('cy'));
          return { scale: Math.min(r.width / vb.width, r.height / vb.height), outBelowInputs: cy('z:0:0') > cy('x:0') && cy('z:0:0') > cy('x:2') };
        });
        expect(drawn.outBelowInputs, 'study-hours: layers top to bottom').toBe(true);
        expect(drawn.scale, 'study-hours: scale').toBeGreaterThan(0.8);
      }
      if (p.id === 'lecture-classification') await shot(page, 'preset-classification');
      if (p.id === 'lecture-regression') await divergesAtLr1(page);
      if (p.id === 'mnist') {
        expect(await page.$eval('#mnist-box', (e) => (e as HTMLElement).hidden)).toBe(false);
      }
    }
    expect(biasPresets, 'presets with bias squares').toBeGreaterThan(5);
    expect(errors).toEqual([]);
  });

  it('trains 200 steps: the loss falls and the curve is drawn; the boundary is drawn', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '#preset=circle');
    const blank = await page.$eval('#loss-chart', (c) => (c as HTMLCanvasElement).toDataURL());
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '200'; });
    // The line under the bar changes every chunk: marked aria-busy meanwhile, so a screen reader reads the summary
    // once at the end, not each chunk's line.
    await page.$eval('#train-out', (e) => {
      const seen: string[] = [];
      (window as unknown as { trainOutSeen: string[] }).trainOutSeen = seen;
      new MutationObserver((records) => {
        for (const r of records) seen.push(r.type === 'attributes' ? `busy ${e.getAttribute('aria-busy')}` : `text while ${e.getAttribute('aria-busy') ?? 'idle'}`);
      }).observe(e, { attributes: true, attributeFilter: ['aria-busy'], childList: true, characterData: true, subtree: true });
    });
    await act(page, '#train');
    const seen = await page.evaluate(() => [...new Set((window as unknown as { trainOutSeen: string[] }).trainOutSeen)]);
    expect(seen).toEqual(['busy true', 'text while true', 'busy null', 'text while idle']);
    const { first, last } = await page.$eval('#train-out', (e) => ({ first: Number((e as HTMLElement).dataset.first), last: Number((e as HTMLElement).dataset.last) }));
    expect(last).toBeLessThan(first);
    expect(await page.$eval('#train-progress', (e) => (e as HTMLProgressElement).value)).toBe(200);
    expect(await page.$eval('#loss-chart', (c) => (c as HTMLCanvasElement).toDataURL())).not.toBe(blank);
    expect(await page.$eval('#loss-chart', (c) => c.getAttribute('aria-label'))).toMatch(/\d+ points, step 0 loss .* to step 199 loss/);
    // The chart names the backend that trained, as the badge does (wasm here: SwiftShader's WebGPU is slower).
    const backend = await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend);
    expect(await page.$eval('#loss-chart', (c) => c.getAttribute('aria-label'))).toMatch(new RegExp(`^Loss curve on ${backend === 'webgpu' ? 'WebGPU' : backend === 'wasm' ? 'wasm' : 'CPU'}:`));
    expect(await page.$eval('#boundary-box', (e) => (e as HTMLElement).hidden)).toBe(false);
    expect(await text(page, '#boundary-out')).toMatch(/accuracy/);
    await shot(page, 'train-circle');
    // The page as a screen reader gets it (the accessibility tree, after training): every control, the diagram's
    // weights and biases and the canvases have a name; the workspace's headings are its regions' own (the Loss
    // heading read "Loss log scale", its checkbox inside the h2), and no heading skips a level.
    const ax = await page.accessibility.snapshot({ interestingOnly: false });
    const NAMED = new Set(['button', 'link', 'checkbox', 'radio', 'combobox', 'listbox', 'spinbutton', 'textbox', 'slider', 'tab', 'DisclosureTriangle', 'image']);
    const unnamed: string[] = [];
    const headings: [number, string][] = [];
    const walk = (n: SerializedAXNode) => {
      if (NAMED.has(n.role) && !(n.name ?? '').trim()) unnamed.push(`${n.role} ${String(n.value ?? '')}`);
      if (n.role === 'heading') headings.push([n.level ?? 0, n.name ?? '']);
      n.children?.forEach(walk);
    };
    walk(ax!);
    expect(unnamed).toEqual([]);
    expect(headings.slice(0, 6)).toEqual([[1, 'backprop-webgpu lab'], [2, 'Data'], [2, 'Network'], [2, 'Training'], [2, 'Loss'], [2, 'What the net learned']]);
    headings.forEach(([level], k) => expect(level, headings[k][1]).toBeLessThanOrEqual(k === 0 ? 1 : headings[k - 1][0] + 1));
    // The tabs' h3s sit under the tabs' own heading (an h2), not under "What the net learned": the nearest heading
    // above each of a lower level.
    const parentOf = (name: string) => {
      const k = headings.findIndex(([, n]) => n === name);
      expect(k, name).toBeGreaterThan(0);
      return headings.slice(0, k).reverse().find(([level]) => level < headings[k][0]);
    };
    for (const h3 of ['Scalar chain rule', 'Matrix form']) expect(parentOf(h3), h3).toEqual([2, 'Notation, lecture checks, loss surface, device and files']);
    // The device badge is named by the text it shows (its title, the backend's full description, named it) and
    // described by that title.
    const badgeAx = await page.accessibility.snapshot({ root: (await page.$('#device-badge'))!, interestingOnly: false });
    const badgeShown = await page.$eval('#device-badge', (e) => ({ text: (e as HTMLElement).innerText, title: (e as HTMLElement).title }));
    expect(badgeShown.text).toMatch(/^Training on /);
    expect(badgeShown.title).not.toBe(badgeShown.text);
    expect([badgeAx?.role, badgeAx?.name, badgeAx?.description]).toEqual(['status', badgeShown.text, badgeShown.title]);
    // A weight focused from the keyboard has a ring (WCAG 2.2 focus appearance): its band under the line, opaque,
    // ≥ 2 px each side on screen, ≥ 3:1 against white and against both edge colours (relative luminance and
    // contrast ratio as WCAG 2 defines them).
    const ring = await page.$eval('#diagram [data-param="W[0][0][0]"]', (g) => {
      (g as SVGGElement).focus();
      const hit = g.querySelector('.nd-edge-hit')!;
      const line = g.querySelector('.nd-edge-line')!;
      const m = (g as SVGGElement).getScreenCTM()!;
      const [h, l] = [getComputedStyle(hit), getComputedStyle(line)];
      const out = {
        focusVisible: g.matches(':focus-visible'), stroke: h.stroke, opacity: Number(h.strokeOpacity),
        under: Boolean(hit.compareDocumentPosition(line) & Node.DOCUMENT_POSITION_FOLLOWING),
        sidePx: ((parseFloat(h.strokeWidth) - parseFloat(l.strokeWidth)) / 2) * Math.hypot(m.a, m.b),
      };
      (g as SVGGElement).blur();
      return out;
    });
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a: string, b: string) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    expect(ring.focusVisible).toBe(true);
    expect(ring.under, 'the ring is drawn under the line').toBe(true);
    expect(ring.opacity).toBe(1);
    const rgb = ring.stroke.match(/^rgb\((\d+), (\d+), (\d+)\)$/);
    expect(rgb, ring.stroke).not.toBeNull();
    const ringHex = `#${rgb!.slice(1).map((c) => Number(c).toString(16).padStart(2, '0')).join('')}`;
    for (const next of ['#ffffff', POSITIVE, NEGATIVE]) expect(contrast(ringHex, next), `${ringHex} against ${next}`).toBeGreaterThanOrEqual(3);
    expect(ring.sidePx).toBeGreaterThanOrEqual(2);
    // The page's focus ring, ≥ 3:1 against the background it is drawn on: the Train button on its light panel, the
    // Benchmark link on the dark header (the light amber ring was 2.1:1 on the panels).
    const outlines = await page.evaluate(() => ['#train', '#bench-link'].map((sel) => {
      const e = document.querySelector(sel) as HTMLElement;
      e.focus();
      const visible = e.matches(':focus-visible');
      const ring = getComputedStyle(e).outlineColor;
      let under: Element | null = e.parentElement;
      while (under && getComputedStyle(under).backgroundColor === 'rgba(0, 0, 0, 0)') under = under.parentElement;
      e.blur();
      return { sel, visible, ring, bg: under ? getComputedStyle(under).backgroundColor : 'rgb(255, 255, 255)' };
    }));
    const hexOf = (css: string) => `#${css.match(/\d+/g)!.slice(0, 3).map((c) => Number(c).toString(16).padStart(2, '0')).join('')}`;
    for (const o of outlines) {
      expect(o.visible, o.sel).toBe(true);
      expect(contrast(hexOf(o.ring), hexOf(o.bg)), `${o.sel}: ${o.ring} on ${o.bg}`).toBeGreaterThanOrEqual(3);
    }
    // The curve as CSV (one row per chunk: the first, of one step, is the loss before training; the last ends at
    // step 199) and as a PNG.
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: DOWNLOADS });
    const csv = await downloaded(page, '#export-csv', 'circle-2-8-1-loss.csv');
    const rows = csv.toString('utf8').trim().split('\n');
    expect(rows[0]).toBe('step,loss');
    expect(rows[1].split(',')[0]).toBe('0');
    expect(Number(rows[1].split(',')[1])).toBeCloseTo(first, 6);
    const end = rows[rows.length - 1].split(',');
    expect(end[0]).toBe('199');
    expect(Number(end[1])).toBeCloseTo(last, 6);
    const png = await downloaded(page, '#export-png', 'circle-2-8-1-loss.png');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    await shot(page, 'boundary-circle', '#boundary-box');
    // The loss surface over the output layer's first two weights, with the path those 200 steps took.
    await page.click('#tab-surface');
    await act(page, '#surface-draw');
    expect(await text(page, '#surface-out')).toMatch(/in a background worker/);
    expect(await text(page, '#surface')).toMatch(/the orange line is the path training took/);
    await shot(page, 'surface-path', '#surface-box');
    expect(errors).toEqual([]);
  });

  it('trains MNIST in mini-batches and shows the confusion matrix', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '#preset=mnist');
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '30'; });
    await act(page, '#train');
    const { first, last } = await page.$eval('#train-out', (e) => ({ first: Number((e as HTMLElement).dataset.first), last: Number((e as HTMLElement).dataset.last) }));
    expect(last).toBeLessThan(first);
    expect(await page.$$eval('#confusion table tbody tr', (r) => r.length)).toBe(10);
    // The corner header on one line (it wrapped to four in 3.5em), and the table still inside its box.
    const corner = await page.evaluate(() => {
      const range = document.createRange();
      range.selectNodeContents(document.querySelector('#confusion .confusion-corner')!);
      const box = document.getElementById('confusion')!;
      return { lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size, scroll: box.scrollWidth, width: box.clientWidth };
    });
    expect(corner.lines, 'lines of the corner header').toBe(1);
    expect(corner.scroll).toBeLessThanOrEqual(corner.width);
    // Update moves on to the next mini-batch; the views keep showing the one the step used, so the
    // backend's dW entry and the scalar chain rule on those 100 digits agree.
    await act(page, '#step-update');
    const check = await text(page, '#explain');
    expect(check).toMatch(/✓ the same number/);
    expect(check).not.toMatch(/✗/);
    // After the Update the diagram shows that pass: the digit, the hidden strip coloured by its activations.
    expect(await page.$eval('#diagram .nd-strip:not(.nd-image)', (e) => e.getAttribute('aria-label'))).toMatch(/activations a for example 1, from/);
    await shot(page, 'mnist-trained');
    await page.$eval('#mnist-box', (e) => e.scrollIntoView());
    await shot(page, 'mnist-confusion', '#mnist-box');
    expect(errors).toEqual([]);
  });

  it('switches to WebGPU and back, and Verify gives max |GPU − CPU| within float32 rounding', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    await page.click('#backend-webgpu');
    await idle(page);
    expect(await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend)).toBe('webgpu');
    expect(await text(page, '#device-why')).toMatch(/CPU paths are faster here.*'auto' takes WebAssembly SIMD/);
    await page.click('#backend-cpu');
    await idle(page);
    expect(await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend)).toBe('cpu');
    await act(page, '#verify');
    expect(await page.$eval('#verify-out', (e) => (e as HTMLElement).dataset.against)).toBe('webgpu');
    const max = Number(await page.$eval('#verify-out', (e) => (e as HTMLElement).dataset.max));
    // The 2-2-1 net: every value is below 2 in size and every dot product has ≤ 2 terms, so float32 backends
    // agree within the checklist's elementwise bound 1e-6 + 1e-5·|x| ≤ 3e-5 (dot products add 2√2·2⁻²³·Σ|ab| < 1e-6).
    expect(max).toBeLessThanOrEqual(3e-5);
    await page.click('#backend-webgpu');
    await idle(page);
    expect(await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend)).toBe('webgpu');
    // An Update, a switch to the CPU, then Reset: back to the lecture's own w5 = 0.40, not the weights at the switch.
    await act(page, '#step-update');
    await page.click('#backend-cpu');
    await idle(page);
    await act(page, '#reset');
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: DOWNLOADS });
    const spec = await download(page, '#export-spec', 'lecture-2-2-1.json');
    expect((spec.params as { W: number[][][] }).W[1][0][0]).toBeCloseTo(0.4, 7);
    expect(errors).toEqual([]);
  });

  it('switches to wasm: trains 100 steps (the loss falls) and Verify gives max |wasm − CPU| within float32 rounding', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '#preset=circle');
    await page.click('#backend-cpu');
    await idle(page);
    expect(await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend)).toBe('cpu');
    await page.click('#backend-wasm');
    await idle(page);
    expect(await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend)).toBe('wasm');
    expect(await text(page, '#device-badge')).toMatch(/^Training on wasm: .*SIMD/);
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '100'; });
    await act(page, '#train');
    expect(await errorNotice(page)).toBe('');
    const { first, last } = await page.$eval('#train-out', (e) => ({ first: Number((e as HTMLElement).dataset.first), last: Number((e as HTMLElement).dataset.last) }));
    expect(last).toBeLessThan(first);
    expect(await text(page, '#train-out')).toMatch(/100 steps on WebAssembly SIMD/);
    await act(page, '#verify');
    expect(await page.$eval('#verify-out', (e) => (e as HTMLElement).dataset.against)).toBe('wasm');
    expect(await text(page, '#verify-out')).toMatch(/max \|wasm − CPU\|/);
    // The circle net (2-8-1): values below ~10, dot products of ≤ 8 terms; wasm sums them in another order
    // (f32x4 lanes, FMA): float32 rounding, within the checklist's elementwise bound 1e-6 + 1e-5·|x| ≤ 1e-4.
    const max = Number(await page.$eval('#verify-out', (e) => (e as HTMLElement).dataset.max));
    expect(max).toBeLessThanOrEqual(1e-4);
    expect(errors).toEqual([]);
  });

  it('says so, and trains on wasm SIMD, when WebGPU is unavailable', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '', (p) => p.evaluateOnNewDocument(() => {
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
    }));
    expect(await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend)).toBe('wasm');
    const notice = await page.$eval('#notice', (e) => ((e as HTMLElement).hidden ? '' : e.textContent ?? ''));
    expect(notice).toMatch(/WebGPU is unavailable.*Reason: .*navigator\.gpu/);
    expect(await page.$eval('#backend-webgpu', (e) => (e as HTMLInputElement).disabled)).toBe(true);
    await act(page, '#step-forward');
    const nodes = await page.$$eval('#diagram [data-node]', (els) => els.map((e) => e.textContent ?? '').join(' | '));
    expect(shows(nodes, 'ŷ')).toBe(true);
    // On the wide layout the notice covers no control: not the Train on switch (the student's way out), nor any
    // other (it floated over the switch until dismissed); the workspace's top stays under the header.
    expect(await coveredByNotice(page)).toEqual([]);
    expect(await page.evaluate(() => document.getElementById('main')!.getBoundingClientRect().top - document.querySelector('header')!.getBoundingClientRect().bottom)).toBe(0);
    await shot(page, 'no-webgpu');
    await page.setViewport({ width: 1440, height: 900 });
    expect(await coveredByNotice(page)).toEqual([]);
    await shot(page, 'no-webgpu-1440');
    await page.setViewport({ width: 1280, height: 800 });
    // The warning can be dismissed, and stays dismissed after the next action (drawDevice runs after each).
    const hidden = () => page.$eval('#notice', (e) => (e as HTMLElement).hidden);
    await page.click('#notice-close');
    expect(await hidden()).toBe(true);
    await act(page, '#step-loss');
    expect(await hidden()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('exports a spec, imports it back into the same state, and rejects a bad file with the field named', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '#preset=xor');
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: DOWNLOADS });
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '50'; });
    await act(page, '#train');
    const exported = await download(page, '#export-spec', 'xor-2-4-1.json');
    const file = join(DOWNLOADS, 'exported.json');
    copyFileSync(join(DOWNLOADS, 'xor-2-4-1.json'), file);
    await act(page, '#reset');
    // The reset weights differ from the trained ones…
    const afterReset = await download(page, '#export-spec', 'xor-2-4-1.json');
    expect(afterReset.params).not.toEqual(exported.params);
    // …and importing the file brings the trained state back exactly.
    const input = await page.$('#import-spec');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
    await idle(page);
    const again = await download(page, '#export-spec', 'xor-2-4-1.json');
    expect(again).toEqual(exported);
    // The CLI's format: a spec `backprop grad` accepts (validated by the engine's own validateSpec).
    expect(() => validateSpec(exported)).not.toThrow();
    const cli = spawnSync(process.execPath, ['bin/backprop.js', 'grad', file, '--json'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(cli.status, cli.stderr).toBe(0);
    expect(Number.isFinite((JSON.parse(cli.stdout) as { loss: number }).loss)).toBe(true);
    // A bad file: a typed error naming the field, and the state unchanged.
    const bad = join(DOWNLOADS, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...exported, layers: [{ units: 4, activation: 'tanhh' }, (exported.layers as unknown[])[1]] }));
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(bad);
    await idle(page);
    expect(await errorNotice(page)).toMatch(/layers\[0\]\.activation/);
    expect(await download(page, '#export-spec', 'xor-2-4-1.json')).toEqual(exported);
    expect(errors).toEqual([]);
  });

  it('edits the net: a wider hidden layer is applied; a bad learning rate is refused, naming the field', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '#preset=xor');
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: DOWNLOADS });
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '20'; });
    await act(page, '#train');
    const trained = await download(page, '#export-spec', 'xor-2-4-1.json');
    await page.click('#editor-box summary');
    // A layer's units field shows four digits whole (at 3em beside Chromium's spin arrows '10' read '1', '128' '12'),
    // and the layer table still fits its box in the Data column.
    await page.$eval('#layer-0-units', (e) => { (e as HTMLInputElement).value = '4096'; });
    expect(await page.$eval('#layer-0-units', (e) => e.scrollWidth - e.clientWidth)).toBeLessThanOrEqual(0);
    expect(await page.$eval('#editor .layers-box', (e) => e.scrollWidth - e.clientWidth)).toBeLessThanOrEqual(0);
    await page.$eval('#layer-0-units', (e) => { (e as HTMLInputElement).value = '4'; });
    // Adding a layer keeps what was typed in the other fields, and the focus in the editor.
    await page.$eval('#lr', (e) => { (e as HTMLInputElement).value = '0.3'; });
    await page.click('#add-layer');
    expect(await page.$eval('#lr', (e) => (e as HTMLInputElement).value)).toBe('0.3');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('add-layer');
    expect(await page.$$eval('#editor table.layers tbody tr', (r) => r.length)).toBe(3);
    await page.click('#editor table.layers tbody tr:nth-child(2) button');
    expect(await page.$$eval('#editor table.layers tbody tr', (r) => r.length)).toBe(2);
    // A new learning rate, same shapes: training goes on from the trained weights.
    await page.$eval('#lr', (e) => { (e as HTMLInputElement).value = '0.5'; });
    await act(page, '#editor button[type="submit"]');
    const relr = await download(page, '#export-spec', 'xor-2-4-1.json');
    expect(relr.params).toEqual(trained.params);
    expect(relr.lr).toBe(0.5);
    // The curve goes on after a new learning rate; another loss starts a new one (from the step count so far).
    expect(await page.$eval('#loss-chart', (c) => c.getAttribute('aria-label'))).toMatch(/step 0 loss .* to step 19 loss/);
    await page.select('#loss', 'mse');
    await act(page, '#editor button[type="submit"]');
    expect(await text(page, '#stage-out')).toMatch(/a new loss, mse, mean: a new curve/);
    await act(page, '#train');
    expect(await page.$eval('#loss-chart', (c) => c.getAttribute('aria-label'))).toMatch(/: \d+ points, step 20 loss .* to step 39 loss/);
    // A batch size that does not divide the 4 examples: the summary says how they are cut (never "full batch").
    await page.$eval('#batch-size', (e) => { (e as HTMLInputElement).value = '3'; });
    await act(page, '#editor button[type="submit"]');
    expect(await text(page, '#data-summary')).toMatch(/; 2 mini-batches a pass: 1 of 3 examples and a last one of 1\.$/);
    await page.$eval('#layer-0-units', (e) => { (e as HTMLInputElement).value = '6'; e.dispatchEvent(new Event('change')); });
    await act(page, '#editor button[type="submit"]');
    expect(await errorNotice(page)).toBe('');
    expect(await page.$$eval('#diagram [data-node^="z:0:"]', (els) => els.length)).toBe(6);
    // The name follows the new shapes (the file too, below: xor-2-6-1.json).
    expect(await text(page, '#stage-out')).toMatch(/^XOR: 2-6-1 loaded/);
    await page.$eval('#lr', (e) => { (e as HTMLInputElement).value = '-1'; });
    await act(page, '#editor button[type="submit"]');
    expect(await errorNotice(page)).toMatch(/\blr\b/);
    // Unchanged: still six hidden units, and training still works.
    expect(await page.$$eval('#diagram [data-node^="z:0:"]', (els) => els.length)).toBe(6);
    // An empty learning rate is named, not taken as 0 (Number('') is 0).
    await page.$eval('#lr', (e) => { (e as HTMLInputElement).value = ''; });
    await act(page, '#editor button[type="submit"]');
    expect(await errorNotice(page)).toMatch(/SpecError: lr: must be a number, got an empty field/);
    await page.$eval('#lr', (e) => { (e as HTMLInputElement).value = '0.5'; });
    // So is an empty count of units, after a redraw too (adding a layer keeps it empty).
    await page.$eval('#layer-0-units', (e) => { (e as HTMLInputElement).value = ''; e.dispatchEvent(new Event('change')); });
    await page.click('#add-layer');
    expect(await page.$eval('#layer-0-units', (e) => (e as HTMLInputElement).value)).toBe('');
    await page.click('#editor table.layers tbody tr:nth-child(2) button');
    await act(page, '#editor button[type="submit"]');
    expect(await errorNotice(page)).toMatch(/SpecError: layers\[0\]\.units: must be a number, got an empty field/);
    expect(await page.$$eval('#diagram [data-node^="z:0:"]', (els) => els.length)).toBe(6);
    await page.$eval('#layer-0-units', (e) => { (e as HTMLInputElement).value = '6'; e.dispatchEvent(new Event('change')); });
    // The seed shown is the one the weights were drawn with, after an Apply that keeps them too; another seed typed
    // and applied draws that seed's weights.
    await act(page, '#new-seed');
    const seed = Number(/New seed (\d+)/.exec(await text(page, '#train-out'))![1]);
    const seeded = await download(page, '#export-spec', 'xor-2-6-1.json');
    await page.$eval('#lr', (e) => { (e as HTMLInputElement).value = '0.4'; });
    await act(page, '#editor button[type="submit"]');
    expect(await errorNotice(page)).toBe('');
    expect(Number(await page.$eval('#seed', (e) => (e as HTMLInputElement).value))).toBe(seed);
    expect((await download(page, '#export-spec', 'xor-2-6-1.json')).params).toEqual(seeded.params);
    await page.$eval('#seed', (e, v) => { (e as HTMLInputElement).value = String(v); }, seed + 1);
    await act(page, '#editor button[type="submit"]');
    expect(Number(await page.$eval('#seed', (e) => (e as HTMLInputElement).value))).toBe(seed + 1);
    expect((await download(page, '#export-spec', 'xor-2-6-1.json')).params).not.toEqual(seeded.params);
    await shot(page, 'editor', '#region-data');
    expect(errors).toEqual([]);
  });

  it('makes a share link that opens the same net', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '#preset=lecture-relu-exercise');
    await act(page, '#share');
    const link = await page.evaluate(() => location.hash);
    expect(link).toMatch(/^#spec=/);
    const other = await openLab(errors, link);
    expect(await errorNotice(other)).toBe('');
    const a = await page.$eval('#preset-about', (e) => e.textContent);
    expect(await other.$eval('#preset-about', (e) => e.textContent)).toBe(a);
    expect(await other.$eval('#lecture-box', (e) => (e as HTMLElement).hidden)).toBe(false);
    // A link the engine refuses (a layer of 0 units) or an unknown preset: the error stays on screen, naming the
    // field, and the default lecture is loaded instead, with every control working.
    const zeroUnits = Buffer.from(JSON.stringify({ inputs: 2, layers: [{ units: 0, activation: 'sigmoid' }], loss: 'mse' })).toString('base64url');
    const bad = await openLab(errors, `#spec=${zeroUnits}`);
    expect(await errorNotice(bad)).toMatch(/^Opening the link failed — SpecError: layers\[0\]\.units: .*\. The lecture-2-2-1 preset is loaded instead\./);
    expect(await bad.$eval('#preset', (e) => (e as HTMLSelectElement).value)).toBe('lecture-2-2-1');
    for (const id of ['preset', 'import-spec', 'open-import', 'train', 'step-forward', 'backend-cpu', 'editor-fields']) {
      expect(await bad.$eval(`#${id}`, (e) => (e as HTMLInputElement).disabled), id).toBe(false);
    }
    await choosePreset(bad, 'xor');
    expect(await errorNotice(bad)).toBe('');
    expect(await text(bad, '#stage-out')).toMatch(/^XOR/);
    // The link carries the editor's batch size and the Fit settings. Leaving asks first only while training is
    // unsaved: not on a fresh net, yes after a step, not after Share (or Export) of that state.
    const wouldWarn = (p: Page) => p.evaluate(() => { const e = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(e); return e.defaultPrevented; });
    expect(await wouldWarn(bad)).toBe(false);
    await bad.$eval('#batch-size', (e) => { (e as HTMLInputElement).value = '2'; });
    await act(bad, '#editor button[type="submit"]');
    await act(bad, '#step-update');
    expect(await wouldWarn(bad)).toBe(true);
    // Momentum at its default lr (the net's, XOR's 1): a link restores it as the default, not as typed (below).
    await bad.select('#fit-optimizer', 'momentum');
    const setField = (p: Page, id: string, v: string) => p.$eval(id, (e, value) => { (e as HTMLInputElement).value = value; }, v);
    await setField(bad, '#fit-epochs', '7');
    // Fit, Share and a link check the panel by one rule, the fields named under fit.: an empty lr, epochs past the
    // field's max (a typo such as 1e9 would run for hours).
    const lr = await bad.$eval('#fit-lr', (e) => (e as HTMLInputElement).value);
    await setField(bad, '#fit-lr', '');
    await act(bad, '#share');
    expect(await errorNotice(bad)).toMatch(/^Share failed — SpecError: fit\.optimizer\.lr: must be a number, got an empty field/);
    await setField(bad, '#fit-lr', lr);
    await setField(bad, '#fit-epochs', '20000');
    await act(bad, '#fit');
    expect(await errorNotice(bad)).toMatch(/^Fit failed — SpecError: fit\.epochs: must be an integer 1 … 10000 \(the Fit panel's most\), got 20000/);
    expect(await bad.$eval('#fit-epochs', (e) => (e as HTMLInputElement).max)).toBe('10000');
    await setField(bad, '#fit-epochs', '7');
    // A link that would not open is not made: Fit's batch past the 4 examples is refused as opening it would be.
    await setField(bad, '#fit-batch', '9');
    await act(bad, '#share');
    expect(await errorNotice(bad)).toMatch(/^Share failed — SpecError: fit\.batchSize: is 9, more than the 4 examples/);
    expect(await wouldWarn(bad)).toBe(true);
    await setField(bad, '#fit-batch', '3');
    await act(bad, '#share');
    expect(await errorNotice(bad)).toBe('');
    expect(await wouldWarn(bad)).toBe(false);
    const withSettings = await bad.evaluate(() => location.hash);
    expect(withSettings).toMatch(/^#spec=[\w-]+&batch=2&fit=[\w-]+$/);
    await act(bad, '#step-update');
    expect(await wouldWarn(bad)).toBe(true);
    await (await bad.createCDPSession()).send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: DOWNLOADS });
    expect((await download(bad, '#export-spec', 'xor-2-4-1.json')).name).toBe('XOR: 2-4-1');
    expect(await wouldWarn(bad)).toBe(false);
    const fitOf = (p: Page) => p.evaluate(() => ['fit-optimizer', 'fit-lr', 'fit-batch', 'fit-epochs', 'batch-size'].map((id) => (document.getElementById(id) as HTMLInputElement).value));
    const restored = await openLab(errors, withSettings);
    expect(await errorNotice(restored)).toBe('');
    expect(await fitOf(restored)).toEqual(['momentum', '1', '3', '7', '2']);
    expect(await text(restored, '#data-summary')).toMatch(/2 mini-batches of 2 examples a pass/);
    expect(await wouldWarn(restored)).toBe(false);
    // The restored lr is momentum's default, as it was where the link was made: Adam then takes its own default on
    // both pages (it kept 1 here when the restore left the lr's default at Adam's 0.01).
    await restored.select('#fit-optimizer', 'adam');
    await bad.select('#fit-optimizer', 'adam');
    expect(await restored.$eval('#fit-lr', (e) => (e as HTMLInputElement).value)).toBe(await bad.$eval('#fit-lr', (e) => (e as HTMLInputElement).value));
    expect(await restored.$eval('#fit-lr', (e) => (e as HTMLInputElement).value)).toBe('0.01');
    // The skip link moves focus to the workspace and leaves the link in the address bar (as #main, a reload lost it).
    await restored.focus('a.skip');
    await restored.keyboard.press('Enter');
    expect(await restored.evaluate(() => [location.hash, document.activeElement?.id])).toEqual([withSettings, 'main']);
    // A bad Fit setting in a link is refused as a bad spec is: the default lecture, the field named, the panel's defaults.
    const badFit = withSettings.replace(/fit=[\w-]+/, `fit=${Buffer.from(JSON.stringify({ optimizer: { name: 'adam', lr: 0.01 }, batchSize: 5, epochs: 7 })).toString('base64url')}`);
    const refused = await openLab(errors, badFit);
    expect(await errorNotice(refused)).toMatch(/^Opening the link failed — SpecError: fit\.batchSize: is 5, more than the 4 examples.*\. The lecture-2-2-1 preset is loaded instead\./);
    expect(await refused.$eval('#preset', (e) => (e as HTMLSelectElement).value)).toBe('lecture-2-2-1');
    // The panel as on any fresh lecture net (README: Adam, lr 0.01, batch all of its 1 example, 20 epochs; full batch).
    expect(await fitOf(refused)).toEqual(['adam', '0.01', '1', '20', '1']);
    for (const id of ['preset', 'train', 'fit', 'share', 'editor-fields']) {
      expect(await refused.$eval(`#${id}`, (e) => (e as HTMLInputElement).disabled), id).toBe(false);
    }
    // At phone width the notice takes its own place above the regions: it covers no part of them (nor the diagram).
    await refused.setViewport({ width: 390, height: 844 });
    await idle(refused);
    const place = await refused.evaluate(() => {
      const r = (id: string) => document.getElementById(id)!.getBoundingClientRect();
      return { notice: r('notice').bottom, main: r('main').top, diagram: r('diagram').top, noticeTop: r('notice').top };
    });
    expect(place.noticeTop).toBeGreaterThanOrEqual(0);
    expect(place.notice).toBeLessThanOrEqual(place.main);
    expect(place.notice).toBeLessThanOrEqual(place.diagram);
    await shot(refused, 'phone-notice');
    // An error from an action further down (Fit, scrolled to the Training region) is pinned to the screen's bottom,
    // in view (in the flow it was off screen). Escape closes it and focus goes back to Fit.
    await refused.$eval('#region-training', (e) => e.scrollIntoView());
    await setField(refused, '#fit-batch', '999');
    await refused.focus('#fit');
    await refused.keyboard.press('Enter');
    await idle(refused);
    expect(await errorNotice(refused)).toMatch(/^Fit failed — SpecError: fit\.batchSize: is 999, more than the 1 examples/);
    const pinned = await refused.evaluate(() => {
      const r = document.getElementById('notice')!.getBoundingClientRect();
      return { scrollY: window.scrollY, top: r.top, bottom: r.bottom, h: window.innerHeight };
    });
    expect(pinned.scrollY).toBeGreaterThan(0);
    expect(pinned.top).toBeGreaterThanOrEqual(0);
    expect(pinned.bottom).toBeLessThanOrEqual(pinned.h);
    await shot(refused, 'phone-notice-pinned');
    await refused.focus('#notice-close');
    await refused.keyboard.press('Escape');
    expect(await refused.evaluate(() => [document.getElementById('notice')!.hidden, document.activeElement?.id])).toEqual([true, 'fit']);
    const unknown = await openLab(errors, '#preset=nosuch');
    expect(await errorNotice(unknown)).toMatch(/^Opening the link failed — SpecError: preset: no preset 'nosuch'; there are lecture-study-hours-w7, .*\. The lecture-2-2-1 preset is loaded instead\./);
    expect(await unknown.$eval('#preset', (e) => (e as HTMLSelectElement).disabled)).toBe(false);
    expect(errors).toEqual([]);
  });

  it('keeps the weights and goes on on wasm when the GPU device is lost, every label saying so', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    await page.click('#backend-webgpu');
    await idle(page);
    await act(page, '#step-update');
    // An error shown and then hidden by the next action must not keep the device-loss warning away.
    await page.$eval('#fit-batch', (e) => { (e as HTMLInputElement).value = '0'; });
    await act(page, '#fit');
    expect(await errorNotice(page)).toMatch(/Fit failed — SpecError: fit\.batchSize: /);
    expect(await coveredByNotice(page)).toEqual([]); // a later notice, on the wide layout, covers no control either
    // A WebGPU canvas on SwiftShader in headless Chromium loses the device (and every device of the page):
    // the lab's way to lose its training device for real. Where the canvas works, nothing is lost.
    await page.click('#tab-surface');
    await page.click('#surface-soft');
    await act(page, '#surface-draw');
    await page.waitForFunction(() => document.querySelector('#device-badge')?.getAttribute('data-backend') !== 'webgpu', { timeout: 10_000 }).catch(() => undefined);
    await idle(page);
    const backend = await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend);
    const caption = await text(page, '#surface');
    if (backend === 'webgpu') {
      expect(caption).not.toMatch(/3-D view needs WebGPU/);
    } else {
      expect(caption).toMatch(/3-D view needs WebGPU: .*lost/);
      // Chromium here has WebAssembly SIMD: 'auto' without WebGPU is wasm, and the badge, the sentence under the
      // switch and the notice all name it; the student chose nothing.
      expect(backend).toBe('wasm');
      expect(await text(page, '#device-badge')).toMatch(/^Training on wasm: /);
      expect(await text(page, '#device-why')).toMatch(/^Training on WebAssembly SIMD: .*lost/);
      expect(await text(page, '#device-why')).not.toMatch(/as you chose/);
      expect(await page.$eval('#notice', (e) => (e as HTMLElement).hidden ? '' : e.textContent)).toMatch(/trains on WebAssembly SIMD\. Reason: .*GPU device was lost/);
      expect(await page.$eval('#backend-webgpu', (e) => (e as HTMLInputElement).disabled)).toBe(true);
      // The GPU process went with the device: the 2-D canvases lost their contexts and came back blank; the loss
      // curve and the surface's heatmap are drawn again (opaque background: every pixel inked).
      const inked = (sel: string) => page.$eval(sel, (c) => {
        const canvas = c as HTMLCanvasElement;
        const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n / (d.length / 4);
      });
      for (const sel of ['#loss-chart', '#surface canvas.loss-surface-canvas']) {
        await page.waitForFunction((s) => {
          const canvas = document.querySelector(s) as HTMLCanvasElement;
          const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          return d[3] > 0 && d[d.length - 1] > 0;
        }, { timeout: 15_000, polling: 100 }, sel).catch(() => undefined);
        expect(await inked(sel), sel).toBeGreaterThan(0.5);
      }
    }
    // Either way the weights after the Update survive: new w5 = 0.40 − 0.0001 × 0.0822 (the lecture's expression).
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: DOWNLOADS });
    const spec = await download(page, '#export-spec', 'lecture-2-2-1.json');
    const w5 = (spec.params as { W: number[][][] }).W[1][0][0];
    expect(Math.abs(w5 - (0.4 - 0.0001 * printed('∂L/∂w5').value))).toBeLessThanOrEqual(0.0001 * 0.00005 + 1e-7);
    await act(page, '#step-forward');
    expect(await text(page, '#stage-out')).toMatch(backend === 'webgpu' ? /on WebGPU/ : /on WebAssembly SIMD/);
    expect(await errorNotice(page)).toBe('');
    expect(errors.filter((e) => !/device|WebGPU|swap ?chain|SharedImage/i.test(e))).toEqual([]);
  });

  it('draws the loss surface over w5 and w6 on demand (a placeholder until then), and reads at phone width', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    await page.click('#tab-surface');
    // No empty box: the placeholder says what Draw does.
    expect(await text(page, '#surface')).toMatch(/press Draw/);
    await act(page, '#surface-draw');
    expect(await errorNotice(page)).toBe('');
    expect(await page.$$eval('#surface canvas', (c) => c.length)).toBeGreaterThan(0);
    await page.$eval('#surface', (e) => e.scrollIntoView());
    await shot(page, 'loss-surface', '#surface-box');
    await page.setViewport({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'phone-390');
    expect(errors).toEqual([]);
  });
});

describe('the workspace: layout, your data, multiclass, Reset', () => {
  it('at 1280 × 800 the five regions lie inside the viewport on load (lecture, circle, MNIST); the diagram is legible', async () => {
    const errors: string[] = [];
    for (const id of ['lecture-2-2-1', 'circle', 'mnist']) {
      const page = await openLab(errors, `#preset=${id}`);
      const rects = await page.$$eval('[aria-label]', (els, names) => els
        .filter((e) => (names as string[]).includes(e.getAttribute('aria-label')!))
        .map((e) => { const r = e.getBoundingClientRect(); return { name: e.getAttribute('aria-label')!, left: r.left, top: r.top, right: r.right, bottom: r.bottom }; }), [...REGIONS]);
      expect(rects.map((r) => r.name).sort(), id).toEqual([...REGIONS].sort());
      for (const r of rects) {
        expect(r.left, `${id} ${r.name}`).toBeGreaterThanOrEqual(0);
        expect(r.top, `${id} ${r.name}`).toBeGreaterThanOrEqual(0);
        expect(r.right, `${id} ${r.name}`).toBeLessThanOrEqual(1280);
        expect(r.bottom, `${id} ${r.name}`).toBeLessThanOrEqual(800);
      }
      // The Fit controls on one line, the Fit button beside the epochs (it wrapped alone before).
      const fitTops = await page.$$eval('#fitbar > *', (els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.top, r.bottom]));
      expect(Math.max(...fitTops.map((t) => t[0])), id).toBeLessThan(Math.min(...fitTops.map((t) => t[1])));
      // The lr field shows an lr of the lecture's size whole (0.0001 read "0.000" beside the spin arrows).
      if (id === 'lecture-2-2-1') {
        expect(await page.$eval('#fit-lr', (e) => {
          const input = e as HTMLInputElement;
          input.value = '0.000125';
          const cs = getComputedStyle(input);
          const ctx = document.createElement('canvas').getContext('2d')!;
          ctx.font = `${cs.fontSize} ${cs.fontFamily}`;
          return input.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - ctx.measureText(input.value).width;
        })).toBeGreaterThanOrEqual(0);
      }
      // Unit names at least 9 px tall on the screen (the 2-8-1 circle net was ~4 px before).
      const heights = await page.$$eval('#diagram .nd-node-name', (els) => els.map((e) => e.getBoundingClientRect().height));
      expect(heights.length, id).toBeGreaterThan(0);
      expect(Math.min(...heights), id).toBeGreaterThanOrEqual(9);
      if (id === 'mnist') {
        // The input is the 28 × 28 image of the example; the 32 hidden units a strip, expandable.
        expect(await page.$$eval('#diagram .nd-image rect', (r) => r.length)).toBe(28 * 28 + 1);
        expect(await page.$$eval('#diagram .nd-strip:not(.nd-image)', (r) => r.length)).toBe(1);
        await page.click('#diagram .strip-toggle');
        expect(await page.$$eval('#diagram .nd-strip', (r) => r.length)).toBe(0);
        expect(await page.$$eval('#diagram [data-node^="z:0:"]', (r) => r.length)).toBe(9);
        // Expanded (190 weights and biases), they are one Tab stop (a roving tabindex: one tabindex 0, the others −1,
        // none > 0) and the toggle is after the SVG in the DOM and drawn under it: one Tab from the drawing reaches it
        // (every weight and bias was a Tab stop: a keyboard user Tabbed through all of them, or the toggle came before
        // the SVG in the DOM and CSS order drew it under, the DOM order not the order seen).
        expect(await page.$eval('#diagram', (host) => {
          const toggle = host.querySelector<HTMLElement>('.strip-toggle')!;
          const svg = host.querySelector('svg')!;
          const params = [...host.querySelectorAll<SVGElement>('[data-param]')];
          return {
            params: params.length, stops: params.filter((p) => p.getAttribute('tabindex') === '0').length,
            others: params.filter((p) => p.getAttribute('tabindex') === '-1').length,
            positive: [...host.querySelectorAll<HTMLElement>('[tabindex]')].filter((e) => e.tabIndex > 0).length,
            toggleAfterSvg: (svg.compareDocumentPosition(toggle) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0, toggleTabIndex: toggle.tabIndex,
            under: toggle.getBoundingClientRect().top >= svg.getBoundingClientRect().bottom - 0.5,
          };
        })).toEqual({ params: 190, stops: 1, others: 189, positive: 0, toggleAfterSvg: true, toggleTabIndex: 0, under: true });
        await page.$eval('#diagram [data-param][tabindex="0"]', (e) => (e as SVGElement).focus());
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.className)).toBe('strip-toggle');
        // The toggle covers no label of the drawing (it sat over "x784" and "⋯ +775 more" before).
        expect(await page.$eval('#diagram', (host) => {
          const t = host.querySelector('.strip-toggle')!.getBoundingClientRect();
          return [...host.querySelectorAll('svg text')].map((e) => ({ text: e.textContent, r: e.getBoundingClientRect() }))
            .filter(({ r }) => r.width > 0 && r.left < t.right && r.right > t.left && r.top < t.bottom && r.bottom > t.top).map((x) => x.text);
        })).toEqual([]);
        await page.click('#diagram .strip-toggle');
      }
      await shot(page, `workspace-${id}`);
      // As students open it: a 1366 × 768 laptop (the wide workspace, inside the screen), a 1024 × 768 tablet held
      // sideways and a 768 × 1024 one upright (one column under 1280: at 1024 the wide workspace drew the diagram
      // 312 × 160 px, its unit names 4–6 px tall, and ran 15 px below the screen), and MNIST in a 1240 × 800 window
      // (its names were 7 px there in the wide workspace, 9 at 1260). Nothing is wider than the screen; the diagram,
      // the curve and the boundary are drawn; the unit names are at least 9 px tall, the caption 11.
      const viewports = id === 'circle' ? [[1366, 768], [1024, 768], [768, 1024]] : id === 'mnist' ? [[1240, 800]] : [];
      for (const [width, height] of viewports) {
        await page.setViewport({ width, height });
        const drawn = id === 'circle' ? ['#diagram svg', '#loss-chart', '#boundary'] : ['#diagram svg', '#loss-chart']; // MNIST's output is its digits
        const seen = await page.evaluate(async (drawn) => {
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          const side = (s: string) => { const r = document.querySelector(s)!.getBoundingClientRect(); return Math.min(r.width, r.height); };
          return {
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            sizes: drawn.map((s) => side(s) > 100),
            name: Math.min(...[...document.querySelectorAll('#diagram .nd-node-name')].map((e) => e.getBoundingClientRect().height)),
            caption: parseFloat(getComputedStyle(document.querySelector('#diagram .nd-caption')!).fontSize),
            // The caption (and toggle) are drawn under the drawing, in one column too.
            captionUnder: document.querySelector('#diagram .nd-caption')!.getBoundingClientRect().top >= document.querySelector('#diagram svg')!.getBoundingClientRect().bottom - 0.5,
            wide: getComputedStyle(document.getElementById('main')!).gridTemplateColumns.split(' ').length > 1,
            bottom: Math.max(...[...document.querySelectorAll('main > section')].map((e) => e.getBoundingClientRect().bottom)) - window.innerHeight,
          };
        }, drawn);
        const at = `${width} × ${height}`;
        expect(seen.overflow, at).toBeLessThanOrEqual(0);
        expect(seen.sizes, at).toEqual(drawn.map(() => true));
        expect(seen.name, at).toBeGreaterThanOrEqual(9);
        expect(seen.caption, at).toBeGreaterThanOrEqual(11);
        expect(seen.captionUnder, `${at}: the caption under the drawing`).toBe(true);
        expect(seen.wide, at).toBe(width >= 1280);
        if (seen.wide) expect(seen.bottom, at).toBeLessThanOrEqual(0);
        if (width === 1366) {
          // A header on more than one line (a long title): the workspace takes what it leaves, its regions stay
          // under it and inside the screen (its height was 100vh − 44 px, the header's one line: they ran below).
          const wrapped = await page.evaluate(async () => {
            const h1 = document.querySelector('.top h1')!;
            const title = h1.innerHTML;
            h1.textContent = 'backprop-webgpu lab: the course on backpropagation, with a rather long title for its header';
            await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
            const header = document.querySelector('.top')!.getBoundingClientRect();
            const sections = [...document.querySelectorAll('main > section')].map((e) => e.getBoundingClientRect());
            h1.innerHTML = title;
            return {
              header: header.height,
              top: Math.min(...sections.map((r) => r.top)) - header.bottom,
              bottom: Math.max(...sections.map((r) => r.bottom)) - window.innerHeight,
            };
          });
          expect(wrapped.header, 'the header wraps').toBeGreaterThan(60);
          expect(wrapped.top, at).toBeGreaterThanOrEqual(0);
          expect(wrapped.bottom, at).toBeLessThanOrEqual(0);
        }
      }
      await page.close();
    }
    expect(errors).toEqual([]);
  });

  it('at 390 × 844 one column, and no element sticks out of the screen', async () => {
    const errors: string[] = [];
    for (const id of ['lecture-2-2-1', 'circle', 'mnist']) {
      const page = await openLab(errors, `#preset=${id}`);
      await page.setViewport({ width: 390, height: 844 });
      await idle(page);
      // Every rendered element within [0, 390], except inside a box that scrolls sideways within the screen
      // (a wide formula in the notation tab); the page itself never scrolls sideways.
      const wide = await page.evaluate(() => {
        const scrolls = (e: Element | null): boolean => {
          for (let p = e?.parentElement; p; p = p.parentElement) if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
          return false;
        };
        return [...document.querySelectorAll('body *')]
          .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > window.innerWidth + 1 || r.left < -1) && !scrolls(e); })
          .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${String(e.getAttribute('class') ?? '')} ${Math.round(e.getBoundingClientRect().width)}px`);
      });
      expect(wide, id).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), id).toBeLessThanOrEqual(1);
      // One column, in the order Data, Network, Training, Loss, Output.
      const tops = await page.$$eval('main > section', (els) => els.map((e) => [e.getAttribute('aria-label'), Math.round(e.getBoundingClientRect().top), Math.round(e.getBoundingClientRect().left)] as const));
      expect(tops.map((t) => t[0])).toEqual([...REGIONS]);
      for (let k = 1; k < tops.length; k++) expect(tops[k][1]).toBeGreaterThan(tops[k - 1][1]);
      if (id === 'circle') await shot(page, 'phone-circle');
      await page.close();
    }
    expect(errors).toEqual([]);
  });

  it('your CSV: a two-class 2-D file trains with BCE and draws its boundary; a bad cell names its row and column and changes nothing', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: DOWNLOADS });
    // Two Gaussian clouds around (−2, 1) and (2, −1) in made-up units: standardisation brings them near 0.
    const rows = Array.from({ length: 120 }, (_, c) => {
      const label = c % 2;
      const jitter = (k: number) => Math.sin(12.9898 * (c + 1) * (k + 1)) * 0.8;
      return `${(label ? 2 : -2) + jitter(0)},${(label ? -1 : 1) + jitter(1)},${label ? 'yes' : 'no'}`;
    });
    const good = join(DOWNLOADS, 'clouds.csv');
    writeFileSync(good, ['width,height,member', ...rows].join('\n') + '\n');
    await page.click('#open-import');
    const input = (await page.$('#import-table')) as unknown as { uploadFile(p: string): Promise<void> };
    await input.uploadFile(good);
    await page.waitForFunction(() => !(document.querySelector('#table-columns') as HTMLElement).hidden);
    expect(await text(page, '#task-out')).toMatch(/2 classes \(no, yes\).*binary cross-entropy/);
    await act(page, '#table-use');
    expect(await errorNotice(page)).toBe('');
    expect(await page.$eval('#import-dialog', (d) => (d as HTMLDialogElement).open)).toBe(false);
    expect(await text(page, '#data-summary')).toMatch(/clouds\.csv: 96 examples \+ 24 validation rows, 2 inputs, 2 classes \(BCE\)/);
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '100'; });
    await act(page, '#train');
    const { first, last } = await page.$eval('#train-out', (e) => ({ first: Number((e as HTMLElement).dataset.first), last: Number((e as HTMLElement).dataset.last) }));
    expect(last).toBeLessThan(first);
    expect(await page.$eval('#boundary-box', (e) => (e as HTMLElement).hidden)).toBe(false);
    expect(await text(page, '#boundary-out')).toMatch(/Training accuracy .*validation accuracy [\d.]+ %/);
    expect(await page.$eval('#loss-chart', (c) => c.getAttribute('aria-label'))).toMatch(/validation loss/);
    await shot(page, 'csv-boundary');
    // Fit reports the validation rows after each epoch (Model.fit's validation).
    await page.$eval('#fit-epochs', (e) => { (e as HTMLInputElement).value = '3'; });
    await act(page, '#fit');
    expect(await text(page, '#train-out')).toMatch(/3 epochs of adam .*; validation loss [\d.]+, accuracy [\d.]+ %/);
    await act(page, '#reset');
    const before = await download(page, '#export-spec', 'clouds-2-8-1.json');
    expect(before.loss).toBe('bce');
    expect((before.x as number[][]).length).toBe(96);
    const summary = await text(page, '#data-summary');
    // A bad cell: row 6 of the file (the header is row 1), column 2.
    const bad = join(DOWNLOADS, 'bad.csv');
    writeFileSync(bad, ['width,height,member', ...rows.slice(0, 4), '0.5,tall,yes', ...rows.slice(4, 10)].join('\n') + '\n');
    await page.click('#open-import');
    await input.uploadFile(bad);
    await page.waitForFunction(() => !(document.querySelector('#table-columns') as HTMLElement).hidden);
    await act(page, '#table-use');
    expect(await text(page, '#import-out')).toMatch(/row 6, column 2 \('height'\).*'tall'/);
    expect(await page.$eval('#import-dialog', (d) => (d as HTMLDialogElement).open)).toBe(true);
    await page.$eval('#import-dialog', (d) => (d as HTMLDialogElement).close());
    expect(await text(page, '#data-summary')).toBe(summary);
    expect(await download(page, '#export-spec', 'clouds-2-8-1.json')).toEqual(before);
    // The imported rows travel in the share link (96 rows fit): the link opens the same net, data and boundary.
    await act(page, '#share');
    const link = await page.evaluate(() => location.hash);
    expect(link).toMatch(/^#spec=/);
    const other = await openLab(errors, link);
    expect(await text(other, '#data-summary')).toMatch(/^96 examples, 2 inputs, 2 classes \(BCE\)/);
    expect(await other.$eval('#boundary-box', (e) => (e as HTMLElement).hidden)).toBe(false);
    expect(errors).toEqual([]);
  });

  it('a three-class file (pasted) trains with softmax cross-entropy and draws a three-class boundary', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: DOWNLOADS });
    const rows = Array.from({ length: 90 }, (_, c) => {
      const k = c % 3;
      const angle = Math.PI / 2 + (2 * Math.PI * k) / 3;
      const j = (m: number) => Math.sin(78.233 * (c + 1) * (m + 1)) * 0.15;
      return `${k}\t${(0.6 * Math.cos(angle) + j(0)).toFixed(4)}\t${(0.6 * Math.sin(angle) + j(1)).toFixed(4)}`;
    });
    await page.click('#open-import');
    await page.$eval('#table-text', (e, t) => { (e as HTMLTextAreaElement).value = t as string; }, ['kind\tu\tv', ...rows].join('\n'));
    await page.click('#table-read');
    // The label is the first column here: choose it; the features are then u and v.
    await page.select('#label-column', '0');
    expect(await text(page, '#task-out')).toMatch(/3 classes \(0, 1, 2\).*softmax/);
    // An empty field is named, not read as 0 (Number('') is 0: a net of 0 hidden units, or no validation rows).
    for (const [id, name] of [['import-hidden', 'hidden units'], ['validation', 'validation %']]) {
      const typed = await page.$eval(`#${id}`, (e) => (e as HTMLInputElement).value);
      await page.$eval(`#${id}`, (e) => { (e as HTMLInputElement).value = ''; });
      await act(page, '#table-use');
      expect(await text(page, '#import-out')).toBe(`${name}: must be a number, got an empty field`);
      expect(await page.$eval('#import-dialog', (d) => (d as HTMLDialogElement).open)).toBe(true);
      await page.$eval(`#${id}`, (e, v) => { (e as HTMLInputElement).value = v as string; }, typed);
    }
    // 0 hidden units is named as the dialog labels the field (it said layers[0].units, a field the dialog does not show).
    await page.$eval('#import-hidden', (e) => { (e as HTMLInputElement).value = '0'; });
    await act(page, '#table-use');
    expect(await text(page, '#import-out')).toBe('hidden units: must be a whole number 1 … 64, got 0');
    // The field's max is the rule's (MAX_HIDDEN_UNITS, set by import-panel.ts; the HTML no longer has a copy).
    expect(await page.$eval('#import-hidden', (e) => (e as HTMLInputElement).max)).toBe('64');
    await page.$eval('#import-hidden', (e) => { (e as HTMLInputElement).value = '8'; });
    await act(page, '#table-use');
    expect(await errorNotice(page)).toBe('');
    expect(await text(page, '#data-summary')).toMatch(/3 classes \(softmax cross-entropy\)/);
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '100'; });
    await act(page, '#train');
    const { first, last } = await page.$eval('#train-out', (e) => ({ first: Number((e as HTMLElement).dataset.first), last: Number((e as HTMLElement).dataset.last) }));
    expect(last).toBeLessThan(first);
    expect(await page.$eval('#boundary', (c) => c.getAttribute('aria-label'))).toMatch(/in 3 classes/);
    const spec = await download(page, '#export-spec', 'pasted-table-2-8-3.json');
    expect(spec.loss).toBe('softmax-cross-entropy');
    expect((spec.y as number[][])[0]).toHaveLength(3);
    expect(errors).toEqual([]);
  });

  it('the three-spirals preset: softmax over 3 classes and a multiclass boundary', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '#preset=spirals3');
    expect(await text(page, '#data-summary')).toMatch(/3 classes \(softmax cross-entropy\)/);
    expect(await page.$eval('#boundary', (c) => c.getAttribute('aria-label'))).toMatch(/in 3 classes/);
    await choosePreset(page, 'blobs5');
    expect(await page.$eval('#boundary', (c) => c.getAttribute('aria-label'))).toMatch(/in 5 classes/);
    expect(errors).toEqual([]);
  });

  it('Fit with each optimiser (SGD, momentum, Adam, AdamW) lowers the loss on each device (wasm, CPU, WebGPU)', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '#preset=circle');
    // Another optimiser sets its default learning rate, but not over one the student typed.
    await page.select('#fit-optimizer', 'adam');
    expect(await page.$eval('#fit-lr', (e) => (e as HTMLInputElement).value)).toBe('0.01');
    await page.$eval('#fit-lr', (e) => { (e as HTMLInputElement).value = '0.123'; });
    await page.select('#fit-optimizer', 'sgd');
    expect(await page.$eval('#fit-lr', (e) => (e as HTMLInputElement).value)).toBe('0.123');
    await page.$eval('#fit-lr', (e) => { (e as HTMLInputElement).value = '0.01'; });
    for (const device of ['wasm', 'cpu', 'webgpu'] as const) {
      if (device !== 'wasm') {
        await page.click(`#backend-${device}`);
        await idle(page);
      }
      expect(await page.$eval('#device-badge', (e) => (e as HTMLElement).dataset.backend)).toBe(device);
      for (const name of ['sgd', 'momentum', 'adam', 'adamw']) {
        await act(page, '#reset');
        await page.select('#fit-optimizer', name);
        await page.$eval('#fit-epochs', (e) => { (e as HTMLInputElement).value = '5'; });
        await act(page, '#fit');
        expect(await errorNotice(page), `${device} ${name}`).toBe('');
        const { first, last } = await page.$eval('#train-out', (e) => ({ first: Number((e as HTMLElement).dataset.first), last: Number((e as HTMLElement).dataset.last) }));
        expect(last, `${device} ${name}: ${await text(page, '#train-out')}`).toBeLessThan(first);
        expect(await text(page, '#train-out')).toMatch(new RegExp(`5 epochs of ${name} .* on ${({ wasm: 'WebAssembly SIMD', cpu: 'the CPU', webgpu: 'WebGPU' })[device]}`));
      }
    }
    await shot(page, 'fit-adamw-webgpu');
    expect(errors).toEqual([]);
  });

  it('Reset returns bit for bit to the starting weights (same run again); New seed changes them', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '#preset=moons');
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: DOWNLOADS });
    const start = await download(page, '#export-spec', 'moons-2-8-1.json');
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '60'; });
    await act(page, '#train');
    const once = await page.$eval('#train-out', (e) => (e as HTMLElement).dataset.last);
    const trained = await download(page, '#export-spec', 'moons-2-8-1.json');
    expect(trained.params).not.toEqual(start.params);
    await act(page, '#reset');
    // JSON numbers of float32 values: equal numbers are equal bits.
    expect(await download(page, '#export-spec', 'moons-2-8-1.json')).toEqual(start);
    await act(page, '#train');
    expect(await page.$eval('#train-out', (e) => (e as HTMLElement).dataset.last)).toBe(once);
    expect((await download(page, '#export-spec', 'moons-2-8-1.json')).params).toEqual(trained.params);
    await act(page, '#new-seed');
    expect(await text(page, '#train-out')).toMatch(/New seed \d+/);
    const reseeded = await download(page, '#export-spec', 'moons-2-8-1.json');
    expect(reseeded.params).not.toEqual(start.params);
    expect(reseeded.x).toEqual(start.x);
    expect(errors).toEqual([]);
  });
});

/** Click an export button and read the file it saves as `name` in DOWNLOADS (the page's download behaviour must be set). */
async function downloaded(page: Page, selector: string, name: string): Promise<Buffer> {
  const path = join(DOWNLOADS, name);
  rmSync(path, { force: true });
  await act(page, selector);
  const t0 = Date.now();
  // Chromium creates the target as an empty placeholder when the download starts and writes NAME.crdownload,
  // renamed over it at the end: wait for the finished file, not just the name.
  const finished = () => existsSync(path) && statSync(path).size > 0 && !existsSync(`${path}.crdownload`);
  while (!finished() && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
  return readFileSync(path);
}

async function download(page: Page, selector: string, name: string): Promise<Record<string, unknown>> {
  return JSON.parse((await downloaded(page, selector, name)).toString('utf8')) as Record<string, unknown>;
}
