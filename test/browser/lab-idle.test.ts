/**
 * The lab left open and untouched (idle63: a student's laptop on battery through a lecture): once an action has
 * ended, the page schedules nothing. Over an idle window after each action: no requestAnimationFrame callback, no
 * timer firing, no WebGPU canvas frame (the 3-D loss surface draws on a change, not per frame), and every worker
 * of the page — the wasm threads after a Fit, the loss surface's — back in its event loop (it answers an
 * evaluation; a thread that spins or waits for the next run cannot), no wasm thread counted inside a run.
 * What it costs, measured: bench/probes/lab-idle.ts (README "The course lab", **Left open through a lecture.**).
 * Counts, not times: the window's length only gives a loop the chance to show itself.
 */
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { IDLE_COUNT as COUNT } from '../../bench/probes/idle-count.ts';
import { act, idle, openLab, useLab } from './lab-lib.ts';

useLab('idle');

type Counts = { raf: number; timeout: number; interval: number; frames: number };
const counts = (page: Page) => page.evaluate(() => ({ ...(window as unknown as { __idle: Counts }).__idle }));
/** The timers set and not done: a timeout not yet fired, an interval not cleared (bench/probes/idle-count.ts). */
const pendingTimers = (page: Page) => page.evaluate(() => (window as unknown as { __timers: Set<number> }).__timers.size);

/**
 * What the page did in an idle window of `ms`, and the timers still set at its end (a timer repeating less often than
 * the window fires in none of it: read63b). The window opens once the action has settled: `pending` timers set (0 but
 * in the instrument's own check) and nothing counted for QUIET ms — the action's last frame and timer passed — or
 * after `settle` ms, whichever comes first: a page that never settles is measured then, its loop inside the window.
 * NOTE: the settle was a fixed 1 s and the window 1 s (2 s an idle window, 15 of them: 30 s of this file's 37 s in
 * CI); a settled page has shown QUIET ms of nothing before its window, a frame loop shows itself in 16 ms and a timer
 * loop is pending at the end whatever its period. The page is polled from here, not from a timer of its own (counted).
 */
async function idleWindow(page: Page, ms = 300, settle = 1_000, pending = 0): Promise<Counts & { pending: number }> {
  await idle(page);
  const state = async () => JSON.stringify([await counts(page), await pendingTimers(page)]);
  const t0 = Date.now();
  let last = await state();
  let since = Date.now();
  while (Date.now() - t0 < settle) {
    await new Promise((r) => setTimeout(r, 25));
    const now = await state();
    if (now !== last) [last, since] = [now, Date.now()];
    else if (Date.now() - since >= QUIET && (JSON.parse(now) as [Counts, number])[1] === pending) break;
  }
  const before = await counts(page);
  await new Promise((r) => setTimeout(r, ms));
  const after = await counts(page);
  return { raf: after.raf - before.raf, timeout: after.timeout - before.timeout, interval: after.interval - before.interval, frames: after.frames - before.frames, pending: await pendingTimers(page) };
}
/** How long the page must show nothing (no timer pending, nothing counted) to be settled. */
const QUIET = 200;
const NOTHING = { raf: 0, timeout: 0, interval: 0, frames: 0, pending: 0 };

/** Each worker of the page: does it answer an evaluation within 10 s (in its event loop, not inside a run)? */
async function workersAnswer(page: Page): Promise<boolean[]> {
  return Promise.all(page.workers().map((w) => Promise.race([
    w.evaluate(() => true).catch(() => false),
    new Promise<boolean>((r) => setTimeout(() => r(false), 10_000)),
  ])));
}
/** The wasm pools' busy words: workers inside a run (or told to start one). */
const inRun = (page: Page) => page.evaluate(() => (window as unknown as { __busy: Int32Array[] }).__busy.map((b) => Atomics.load(b, 0)));

describe('the lab left open does nothing', () => {
  // The instrument's own check (read63b): a timer repeating every 5 s or a 3 s setTimeout chain fires in no window,
  // and neither is done at its end; an interval cleared and a timeout that fired are not pending.
  it('sees a repeating timer slower than its window, and not one cleared or fired', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '', (p) => p.evaluateOnNewDocument(COUNT));
    expect(await idleWindow(page), 'loaded').toEqual(NOTHING);
    type Ids = { every?: number; chain?: number };
    await page.evaluate(() => { (window as unknown as Ids).every = window.setInterval(() => {}, 5_000); });
    expect(await idleWindow(page, undefined, undefined, 1), 'a 5 s interval').toEqual({ ...NOTHING, pending: 1 });
    await page.evaluate(() => {
      const w = window as unknown as Ids;
      const chain = () => { w.chain = window.setTimeout(chain, 3_000); };
      chain();
    });
    expect((await idleWindow(page, undefined, undefined, 2)).pending, 'and a 3 s setTimeout chain').toBe(2);
    await page.evaluate(() => {
      const w = window as unknown as Ids;
      clearInterval(w.every);
      clearInterval(w.chain); // either clear ends either kind
      setTimeout(() => {}, 10);
    });
    expect(await idleWindow(page), 'both cleared, and a 10 ms timeout fired').toEqual(NOTHING);
    expect(errors).toEqual([]);
  }, 60_000);

  it('after MNIST is loaded, after a Fit on the wasm threads, and after a Fit stopped', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '#preset=mnist', (p) => p.evaluateOnNewDocument(COUNT));
    expect(await idleWindow(page), 'loaded').toEqual(NOTHING);
    await page.$eval('#fit-epochs', (e) => { (e as HTMLInputElement).value = '1'; });
    await act(page, '#fit');
    expect(await page.$eval('#train-out', (e) => e.textContent)).toMatch(/^1 epoch of /);
    expect(await idleWindow(page), 'after a Fit').toEqual(NOTHING);
    // The pool was made (this Chromium has SharedArrayBuffer and the lab is cross-origin isolated: 2 threads here),
    // so the check below reaches the wasm threads; then every worker is parked.
    const pools = await inRun(page);
    expect(pools.length).toBeGreaterThan(0);
    expect(pools.every((n) => n === 0), `workers inside a run: ${pools.join(', ')}`).toBe(true);
    expect(page.workers().length).toBeGreaterThan(0);
    expect(await workersAnswer(page)).toEqual(page.workers().map(() => true));
    // A long Fit stopped after its first epoch.
    await page.$eval('#fit-epochs', (e) => { (e as HTMLInputElement).value = '200'; });
    await page.$eval('#train-out', (out) => new MutationObserver(() => {
      if (/epoch 2 of 200/.test(out.textContent ?? '')) (document.getElementById('stop') as HTMLButtonElement).click();
    }).observe(out, { childList: true, characterData: true, subtree: true }));
    await act(page, '#fit');
    expect(await page.$eval('#train-out', (e) => e.textContent)).toMatch(/\(stopped\)/);
    expect(await idleWindow(page), 'after a Fit stopped').toEqual(NOTHING);
    expect((await inRun(page)).every((n) => n === 0)).toBe(true);
    expect(await workersAnswer(page)).toEqual(page.workers().map(() => true));
    expect(errors).toEqual([]);
  }, 240_000);

  it('after Train, with the Notation tab open, and with the loss surface drawn (heatmap, then 3-D)', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '', (p) => p.evaluateOnNewDocument(COUNT));
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '200'; });
    await act(page, '#train');
    expect(await idleWindow(page), 'after Train').toEqual(NOTHING);
    await page.$eval('#tab-notation', (e) => (e as HTMLElement).click());
    expect(await idleWindow(page), 'Notation open').toEqual(NOTHING);
    await page.$eval('#tab-surface', (e) => (e as HTMLElement).click());
    await act(page, '#surface-draw');
    expect(await idleWindow(page), 'the heatmap').toEqual(NOTHING);
    await page.$eval('#surface-soft', (e) => (e as HTMLElement).click());
    await act(page, '#surface-draw');
    expect(await page.$eval('#surface .loss-surface-caption', (e) => e.textContent)).toMatch(/Drag or use the arrow keys to rotate/);
    const drawn = (await counts(page)).frames;
    expect(drawn).toBeGreaterThan(0);
    expect(await idleWindow(page), 'the 3-D view').toEqual(NOTHING);
    // Turned from the keyboard: one frame a key, then nothing.
    await page.focus('#surface canvas');
    await page.keyboard.press('ArrowLeft');
    const turned = (await counts(page)).frames;
    expect(turned).toBeGreaterThan(drawn);
    expect(await idleWindow(page), 'the 3-D view, turned').toEqual(NOTHING);
    expect(await workersAnswer(page)).toEqual(page.workers().map(() => true));
    expect(errors).toEqual([]);
  }, 240_000);
  // read63c: the loss chart refitted to its box every frame under @media print (its box's height comes from its pixels
  // there, plus its border: each refit made it taller), 89 redraws in 1.5 s at 1280 × 800 and a pixel ratio of 2.
  it('after Train, laid out for print (the print media emulated), at a device pixel ratio of 2', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '', async (p) => {
      await p.setViewport({ width: 1280, height: 800, deviceScaleFactor: 2 });
      await p.evaluateOnNewDocument(COUNT);
    });
    await act(page, '#train');
    await page.emulateMediaType('print');
    expect(await idleWindow(page), 'print media').toEqual(NOTHING);
    await page.emulateMediaType();
    expect(await idleWindow(page), 'the screen again').toEqual(NOTHING);
    expect(errors).toEqual([]);
  }, 120_000);
  it('after Train on WebGPU (SwiftShader here)', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '', (p) => p.evaluateOnNewDocument(COUNT));
    await page.click('#backend-webgpu');
    await idle(page);
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '200'; });
    await act(page, '#train');
    expect(await page.$eval('#train-out', (e) => e.textContent)).toMatch(/^200 steps of .* on WebGPU in /);
    expect(await idleWindow(page), 'after Train on WebGPU').toEqual(NOTHING);
    expect(errors).toEqual([]);
  }, 120_000);
});
