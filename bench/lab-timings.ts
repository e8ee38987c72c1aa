/**
 * The course lab's timings that README quotes, measured the way a student meets them:
 * - Apply of the editor's widest nets in the built lab page (`vite build --mode lab` into a temp folder and `vite
 *   preview`, src/node/lab-site.ts, as the browser tests build and serve it; the headless Chromium of
 *   src/node/chromium.ts at 1280 × 800, as test/browser/lab-lib.ts drives it):
 *   MNIST 784-4096-10 (the editor's widest layer) and XOR 2-100000-1, from the Apply click to the page no longer
 *   busy (every view drawn: src/lab/swap.ts), a fresh page for each run, on the backend the page starts on.
 * - The decision boundary at its cap (boundary.ts: BOUNDARY_WORK of Σ units × (fan-in + 16) per point): a 2-H-1 net
 *   whose 100 × 100 grid and 200 training points come to just under it, classifyGrid + classifyPoints in Node (the
 *   same V8 as the page's; the page runs them on its main thread).
 * Prints each run and the median. No test asserts these times.
 *
 * Run: node --import ./bin/register-source.mjs bench/lab-timings.ts [--runs N]   (default 3)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { BOUNDARY_WORK, boundaryColumns, classifyGrid, classifyPoints, dataExtent, forwardWork } from '../src/lab/boundary.ts';
import { generate2D } from '../src/lab/datasets.ts';
import { launchChromium } from '../src/node/chromium.ts';
import { buildLabSite, previewLabSite } from '../src/node/lab-site.ts';
import { validateNet, type Params } from '../src/spec.ts';

const arg = process.argv.indexOf('--runs');
const RUNS = arg >= 0 ? Number(process.argv[arg + 1]) : 3;
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be an integer ≥ 1, got ${process.argv[arg + 1]}`);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const secs = (ms: number): string => (ms / 1000).toFixed(2);

/** Apply of `units` hidden units on preset `preset` in a fresh page: ms from the click to the page not busy. */
async function applyTimes(browser: Browser, url: string, preset: string, units: number): Promise<{ ms: number[]; backend: string }> {
  const ms: number[] = [];
  let backend = '';
  for (let k = 0; k < RUNS; k++) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    await page.goto(`${url}#preset=${preset}`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true' && !document.body.dataset.busy, { timeout: 120_000 });
    backend = await page.$eval('#device-badge', (e) => e.textContent ?? '');
    await page.click('#editor-box summary');
    await page.$eval('#layer-0-units', (e, u) => { (e as HTMLInputElement).value = String(u); }, units);
    const took = await page.evaluate(() => new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      // An Apply that never makes the page busy (a refused edit) or never ends: an error after 2 minutes, not a hang.
      const timer = setTimeout(() => {
        done.disconnect();
        reject(new Error('the page did not finish the Apply within 120 s'));
      }, 120_000);
      const done = new MutationObserver(() => {
        if (document.body.dataset.busy) return;
        done.disconnect();
        clearTimeout(timer);
        resolve(performance.now() - t0);
      });
      done.observe(document.body, { attributes: true, attributeFilter: ['data-busy'] });
      document.querySelector<HTMLButtonElement>('#editor button[type="submit"]')!.click();
    }));
    const error = await page.$eval('#notice', (e) => (e.classList.contains('error') && !(e as HTMLElement).hidden ? e.textContent : ''));
    const stage = await page.$eval('#stage-out', (e) => e.textContent ?? '');
    if (error || !stage.includes(String(units))) throw new Error(`${preset} ${units}: not applied (${error || stage})`);
    ms.push(took);
    await page.close();
  }
  return { ms, backend };
}

/** classifyGrid (100 × 100) + classifyPoints (200) for the widest 2-H-1 net boundaryColumns still draws at 100. */
function boundaryTimes(): { ms: number[]; hidden: number; work: number } {
  const points = generate2D('circle', 200, 7).x;
  let hidden = 1;
  const netOf = (h: number) => validateNet({ inputs: 2, layers: [{ units: h, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce' });
  while (boundaryColumns(netOf(hidden + 1), 1, points.length) === 100) hidden++;
  const net = netOf(hidden);
  const params: Params = {
    W: [Float32Array.from({ length: 2 * hidden }, (_, k) => Math.sin(0.7 * k)), Float32Array.from({ length: hidden }, (_, k) => Math.cos(1.3 * k) / 30)],
    b: [Float32Array.from({ length: hidden }, (_, k) => Math.sin(k)), Float32Array.of(0.1)],
  };
  const extent = dataExtent(points, 1);
  const ms: number[] = [];
  for (let k = 0; k < RUNS + 1; k++) {
    const t0 = performance.now();
    classifyGrid(net, params, extent, 100, 100);
    classifyPoints(net, params, points);
    if (k > 0) ms.push(performance.now() - t0); // the first run warms the JIT up (the page's first draw is cold)
  }
  return { ms, hidden, work: forwardWork(net) * (100 * 100 + points.length) };
}

const b = boundaryTimes();
console.log(`boundary at the cap (BOUNDARY_WORK ${BOUNDARY_WORK}): 2-${b.hidden}-1 net, 100 × 100 grid + 200 points = ${b.work.toExponential(3)} work: ` +
  `${b.ms.map(secs).join(', ')} s; median ${secs(median(b.ms))} s (Node ${process.version})`);

const scratch = mkdtempSync(join(tmpdir(), 'lab-timings-'));
try {
  const outDir = join(scratch, 'site');
  await buildLabSite(outDir);
  const { url, server } = await previewLabSite(outDir);
  try {
    const browser = await launchChromium();
    try {
      console.log(`browser: ${await browser.version()}`);
      for (const [preset, units] of [['mnist', 4096], ['xor', 100_000]] as const) {
        const { ms, backend } = await applyTimes(browser, url, preset, units);
        console.log(`Apply ${preset} with ${units} hidden units (${backend}): ${ms.map(secs).join(', ')} s; median ${secs(median(ms))} s`);
      }
    } finally {
      await browser.close();
    }
  } finally {
    await server.close();
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
