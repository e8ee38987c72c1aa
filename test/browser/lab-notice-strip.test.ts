/**
 * The wide workspace on a plain laptop without WebGPU (1280 × 800; vis58): the strip the workspace gives up for the
 * "WebGPU is unavailable" notice (style.css) leaves the Network region short (shorter on a 1280 × 720 projector), and
 * what it shows stays whole there; the Loss chart too (vis58b), and on a 1024 × 768 projector the header's last line
 * (the device badge with Benchmark: Benchmark went alone onto it; and at 568 × 320 the links' own line, on the left);
 * the Loss surface tab's view, opened from the header, clear of the notice at 1280 × 720 (vis58c). And, on the same
 * projector, the Lecture checks' printed formulas on one line, the verdicts at most 45 % of the table (left60).
 * Built and served as in lab.test.ts (lab-lib.ts).
 */
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { openLab, act, choosePreset, shot, text, useLab } from './lab-lib.ts';

useLab('notice-strip');

/** Lines of text an element's box holds, and the lines its text needs (its scrollHeight), in its line-height. */
const lines = (page: Page, selector: string) => page.$eval(selector, (e) => {
  const lh = parseFloat(getComputedStyle(e).lineHeight);
  return { shown: Math.round(e.clientHeight / lh * 10) / 10, needed: Math.round(e.scrollHeight / lh * 10) / 10 };
});

/**
 * The lab in a browser with WebGPU but no adapter for it (headless Chromium without --enable-unsafe-webgpu, a GPU
 * blocked): its reason, "requestAdapter returned null: …", is longer than a browser's without navigator.gpu.
 */
const openWithoutAdapter = (errors: string[]) => openLab(errors, '', (p) => p.evaluateOnNewDocument(() => {
  Object.defineProperty(Navigator.prototype, 'gpu', { get: () => ({ requestAdapter: async () => null }), configurable: true });
}));

describe('the wide workspace with the no-WebGPU notice', () => {
  it('1280 × 720 (a projector), XOR trained: the stage line is whole, the notice as wide as the regions', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '', (p) => p.evaluateOnNewDocument(() => {
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
    }));
    expect(await page.$eval('#notice', (e) => (e as HTMLElement).hidden)).toBe(false);
    await page.setViewport({ width: 1280, height: 720 });
    await choosePreset(page, 'xor');
    await act(page, '#train');
    // "Trained 200 steps in all. Press Forward to see the new weights at work on an example." is wider than the
    // Network region's 546 px at 1280 px: two lines, and the box shows both (in the short region it shrank to one,
    // the second under the diagram).
    const stage = await lines(page, '#stage-out');
    expect(stage.needed).toBeGreaterThanOrEqual(2);
    expect(stage.shown).toBe(stage.needed);
    expect((await lines(page, '#region-network .hint')).shown).toBe((await lines(page, '#region-network .hint')).needed);
    // The notice spans the regions, edge to edge, as the strip it takes does: 760 px wide in the middle, the real
    // no-WebGPU reason took four lines at 1280 × 800 and the strip 123 px of the diagram's height.
    const edges = await page.evaluate(() => {
      const r = (id: string) => document.getElementById(id)!.getBoundingClientRect();
      return { notice: [r('notice').left, r('notice').right], regions: [r('region-data').left, r('region-output').right] };
    });
    expect(edges.notice).toEqual(edges.regions);
    await shot(page, 'notice-strip-xor');
    expect(errors).toEqual([]);
  });

  it("1280 × 720, the notice dismissed and an action's error shown: the Loss chart whole in its region", async () => {
    const errors: string[] = [];
    // The longer reason of openWithoutAdapter's browser: with navigator.gpu undefined the bug did not show.
    const page = await openWithoutAdapter(errors);
    await page.setViewport({ width: 1280, height: 720 });
    await choosePreset(page, 'xor');
    await act(page, '#train');
    expect(await text(page, '#notice-text')).toMatch(/requestAdapter returned null/);
    // Dismissed, the warning gives the sentence under the switch its reason back (4 lines); then a Train with Steps 0
    // fails, and its error takes a strip. The top row fell to 146 px: the chart at its 120 px minimum ran 12.6 px under
    // the region's edge, its axis numbers and name cut (vis58b; style.css, the workspace's rows).
    await page.$eval('#notice-close', (e) => (e as HTMLElement).click());
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '0'; });
    await act(page, '#train');
    expect(await page.$eval('#notice', (e) => (e as HTMLElement).hidden ? '' : e.className)).toMatch(/error/);
    const loss = await page.evaluate(() => {
      const region = document.getElementById('region-loss')!;
      const chart = document.getElementById('loss-chart')!.getBoundingClientRect();
      return { chart: chart.height, past: chart.bottom - region.getBoundingClientRect().bottom, scroll: region.scrollHeight - region.clientHeight };
    });
    expect(loss.chart).toBeGreaterThanOrEqual(120);
    expect(loss.past).toBeLessThanOrEqual(0);
    expect(loss.scroll).toBe(0);
    await shot(page, 'notice-strip-loss-720');
    expect(errors.filter((e) => !/SpecError|steps/.test(e))).toEqual([]);
  });

  it("1280 × 720, the lecture's loss surface opened from the header: its bottom axis above the notice", async () => {
    const errors: string[] = [];
    const page = await openWithoutAdapter(errors);
    await page.setViewport({ width: 1280, height: 720 });
    await page.$eval('#tab-surface', (e) => (e as HTMLElement).click());
    await act(page, '#surface-draw');
    // The header's link scrolls the tabs to the top of the screen; the view is sized to the screen's height so that
    // its bottom axis shows with its top (style.css), and it ran 37 px under the notice: the w5 axis's numbers and name.
    await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'reduce' }]); // the scroll at once
    await page.$eval('.jump a[data-tab="tab-surface"]', (e) => (e as HTMLElement).click());
    const gap = await page.evaluate(async () => {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const view = document.querySelector('.loss-surface-view')!.getBoundingClientRect();
      return { view: view.top, under: view.bottom - document.getElementById('notice')!.getBoundingClientRect().top };
    });
    expect(gap.view).toBeGreaterThanOrEqual(0);
    expect(gap.under).toBeLessThanOrEqual(0);
    await shot(page, 'notice-strip-surface-720');
    expect(errors).toEqual([]);
  });

  it('1024 × 768 (a projector): the header wraps the device badge and Benchmark together, Benchmark not alone on a line', async () => {
    const errors: string[] = [];
    const page = await openWithoutAdapter(errors);
    await page.setViewport({ width: 1024, height: 768 });
    // The header's items as lines: each shown item's vertical middle; the badge's words are wasm's, as a student's.
    const rows = await page.evaluate(() => {
      const mid = (e: Element) => { const r = e.getBoundingClientRect(); return Math.round((r.top + r.bottom) / 2); };
      return { bench: mid(document.getElementById('bench-link')!), badge: mid(document.getElementById('device-badge')!), nav: mid(document.querySelector('.jump a')!), title: mid(document.querySelector('.top h1')!) };
    });
    expect(await text(page, '#device-badge')).toMatch(/^Training on wasm: /);
    // Too wide for one line at 1024 px (title, four links, the badge, Benchmark): Benchmark went alone onto the second.
    expect(Math.abs(rows.bench - rows.badge)).toBeLessThanOrEqual(3);
    expect(rows.bench).toBeGreaterThan(rows.title);
    expect(Math.abs(rows.nav - rows.title)).toBeLessThanOrEqual(3);
    await shot(page, 'header-1024');
    // On one line (1280 × 800) the links stay beside the badge, the title's the free space (its margin): the group's
    // own auto margin to keep it right when wrapped took half that space, and the links moved 79 px off to the middle.
    await page.setViewport({ width: 1280, height: 800 });
    const line = await page.evaluate(() => {
      const box = (e: Element) => e.getBoundingClientRect();
      return { links: box(document.querySelector('.jump')!).right, badge: box(document.getElementById('device-badge')!).left, gap: parseFloat(getComputedStyle(document.querySelector('.top')!).columnGap) };
    });
    expect(line.gap).toBe(16);
    expect(Math.abs(line.badge - line.links - line.gap)).toBeLessThanOrEqual(1);
    // A phone on its side (568 × 320): the links on a line of their own under the title, at its left, and the badge
    // with Benchmark on the right of the next line. .top's justify-content: flex-end (read58b) sent that line of links
    // to the right too, 142 px off the title's left edge (read58c).
    await page.setViewport({ width: 568, height: 320 });
    const side = await page.evaluate(() => {
      const box = (e: Element) => e.getBoundingClientRect();
      const top = box(document.querySelector('.top')!);
      const pad = parseFloat(getComputedStyle(document.querySelector('.top')!).paddingRight);
      const [title, links, end] = ['.top h1', '.jump', '.top-end'].map((s) => box(document.querySelector(s)!));
      return { linksOwnLine: links.top >= title.bottom && end.top >= links.bottom, linksLeft: links.left - title.left, endRight: top.right - pad - end.right };
    });
    expect(side.linksOwnLine).toBe(true);
    expect(Math.abs(side.linksLeft)).toBeLessThanOrEqual(1);
    expect(Math.abs(side.endRight)).toBeLessThanOrEqual(1);
    expect(errors).toEqual([]);
  });
});

describe('the Lecture checks on a projector', () => {
  it('1280 × 720 and 1280 × 800: each printed formula on one line (the verdicts took the width, formulas broke onto 3–4)', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    await page.$eval('#tab-checks', (e) => (e as HTMLElement).click());
    for (const height of [720, 800]) {
      await page.setViewport({ width: 1280, height });
      // The lines a cell's text takes (its own box, not its row's): the printed column's most.
      const most = await page.$eval('#claims table', (t) => Math.max(...[...(t as HTMLTableElement).tBodies[0].rows].map((r) => {
        const range = document.createRange();
        range.selectNodeContents(r.cells[2]);
        return Math.round(range.getBoundingClientRect().height / parseFloat(getComputedStyle(r.cells[2]).lineHeight));
      })));
      expect(most, `1280 × ${height}`).toBe(1);
    }
    expect(errors).toEqual([]);
  });
});
