/**
 * The lab in a dark colour scheme (prefers-color-scheme: dark; style.css's dark block, src/lab/palette.ts): the page's
 * background is the dark one, the loss chart's canvas is drawn on the dark panel, the diagram in the dark palette and
 * the Output's decision boundary on the dark plot's background;
 * turned light again (the OS at sunrise) the chart is drawn again on white without a reload; with forced colours on as
 * well, the forced-colours block still wins (the selected tab in the theme's SelectedItem). A screenshot goes to
 * test-artifacts/lab/dark.png. Built and served as in lab.test.ts (lab-lib.ts).
 */
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { act, choosePreset, openLab, shot, useLab } from './lab-lib.ts';

useLab('dark');

/** The loss chart's pixel near its top-left corner (its background: the empty chart writes its line mid-height). */
/** The decision boundary's top-left pixel: its region's tint (palette.ts plot.tintBase mixed with a class colour). */
const boundaryCorner = (page: Page) => page.$eval('#boundary', (c) => [...(c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 1, 1).data.slice(0, 3)]);
const chartCorner = (page: Page) => page.$eval('#loss-chart', (c) => [...(c as HTMLCanvasElement).getContext('2d')!.getImageData(2, 2, 1, 1).data.slice(0, 3)]);

describe('the lab in the dark scheme', () => {
  it('dark page, dark chart and diagram; light again on the change; forced colours still win', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '', (p) => p.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]));
    // style.css: --bg #111827, --panel #1f2937; palette.ts DARK: the chart on #1f2937, the diagram's ink #f3f4f6.
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(17, 24, 39)');
    expect(await page.$eval('#region-loss', (e) => getComputedStyle(e).backgroundColor)).toBe('rgb(31, 41, 55)');
    expect(await chartCorner(page)).toEqual([31, 41, 55]);
    expect(await page.$eval('#diagram', (e) => getComputedStyle(e).backgroundColor)).toBe('rgb(17, 24, 39)');
    expect(await page.$eval('#diagram svg', (e) => e.getAttribute('color'))).toBe('#f3f4f6');
    await shot(page, 'dark');
    // The Notation tab's matrix form, after a backward pass: its used row or column lighter, its entry's box dark
    // amber (style.css; KaTeX sets #7c3aed and #fde68a inline, which
    // the browser keeps as rgb()).
    for (const step of ['#step-forward', '#step-loss', '#step-backward']) await act(page, step);
    await page.waitForFunction(() => document.querySelector('#explain .katex .colorbox'), { timeout: 10_000 });
    const marks = await page.evaluate(() => {
      const used = document.querySelector('#explain .katex [style*="color: rgb(124, 58, 237)"]');
      const box = document.querySelector('#explain .katex .colorbox');
      return { used: used && getComputedStyle(used).color, box: box && getComputedStyle(box).backgroundColor };
    });
    expect(marks).toEqual({ used: 'rgb(196, 181, 253)', box: 'rgb(113, 63, 18)' });
    // The Output's decision boundary (the circle preset): its regions a tint of the dark plot's #111827 — at most 60 %
    // of a class colour (#E69F00's 60 % is 145, 105, 16: 266 in all), where over white even 10 % of one is above 700.
    await choosePreset(page, 'circle');
    const dark = await boundaryCorner(page);
    expect(dark[0] + dark[1] + dark[2], `boundary corner ${dark}`).toBeLessThan(384);

    // The scheme changes under the open page: the chart and the diagram are drawn again, light.
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await page.waitForFunction(() => document.querySelector('#diagram svg')?.getAttribute('color') === '#111827', { timeout: 5_000 });
    expect(await chartCorner(page)).toEqual([255, 255, 255]);
    const light = await boundaryCorner(page);
    expect(light[0] + light[1] + light[2], `boundary corner ${light}`).toBeGreaterThan(384);
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(248, 250, 252)');

    // Dark and forced colours together (puppeteer's emulateMediaFeatures knows no forced-colors): the selected tab takes
    // the theme's selection colour, not the accent, and the diagram (dark again first) its light surface and drawing, as
    // without dark.
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await page.waitForFunction(() => document.querySelector('#diagram svg')?.getAttribute('color') === '#f3f4f6', { timeout: 5_000 });
    const cdp = await page.createCDPSession();
    await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: 'active' }, { name: 'prefers-color-scheme', value: 'dark' }] });
    expect(await page.evaluate(() => matchMedia('(forced-colors: active)').matches && matchMedia('(prefers-color-scheme: dark)').matches)).toBe(true);
    await page.waitForFunction(() => document.querySelector('#diagram svg')?.getAttribute('color') === '#111827', { timeout: 5_000 });
    expect(await page.$eval('#diagram', (e) => getComputedStyle(e).backgroundColor)).toBe('rgb(252, 252, 253)');
    const tab = await page.$eval('#tab-notation', (e) => {
      const probe = document.createElement('div');
      probe.style.cssText = 'forced-color-adjust:none;background:SelectedItem';
      document.body.append(probe);
      const want = getComputedStyle(probe).backgroundColor;
      probe.remove();
      return { got: getComputedStyle(e).backgroundColor, want };
    });
    expect(tab.got).toBe(tab.want);
    expect(tab.got).not.toBe('rgb(29, 78, 216)');
    expect(errors).toEqual([]);
  }, 120_000);
});
