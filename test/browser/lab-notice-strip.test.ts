/**
 * The wide workspace on a plain laptop without WebGPU (1280 × 800; vis58): the strip the workspace gives up for the
 * "WebGPU is unavailable" notice (style.css) leaves the Network region short (shorter on a 1280 × 720 projector), and
 * what it shows stays whole there.
 * Built and served as in lab.test.ts (lab-lib.ts).
 */
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { openLab, act, choosePreset, shot, useLab } from './lab-lib.ts';

useLab('notice-strip');

/** Lines of text an element's box holds, and the lines its text needs (its scrollHeight), in its line-height. */
const lines = (page: Page, selector: string) => page.$eval(selector, (e) => {
  const lh = parseFloat(getComputedStyle(e).lineHeight);
  return { shown: Math.round(e.clientHeight / lh * 10) / 10, needed: Math.round(e.scrollHeight / lh * 10) / 10 };
});

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
});
