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

  // The loss surface's 3-D view (surface.ts LossSurface: renderGpu's clear colour, repaint on the change), with "3-D on
  // a software adapter" ticked. NOTE: on SwiftShader a WebGPU canvas that presents a frame loses the device (and the
  // view falls back to the heatmap, training to wasm: surface-gpu.ts SurfaceOptions), and a presented WebGPU canvas
  // cannot be read back; so the page's canvas context hands the view a texture of its own (same size and format,
  // readable), never presented, and the test reads that texture: every frame the view drew, in order.
  it('the 3-D view clears to the dark page background (#111827), and to the light one after the change', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '', async (p) => {
      await p.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
      await p.evaluateOnNewDocument(() => {
        type Frame = { device: GPUDevice; texture: GPUTexture; format: GPUTextureFormat };
        const w = window as unknown as { surfaceFrames: Frame[] };
        w.surfaceFrames = [];
        const configured = new WeakMap<GPUCanvasContext, GPUCanvasConfiguration>();
        const configure = GPUCanvasContext.prototype.configure;
        GPUCanvasContext.prototype.configure = function (this: GPUCanvasContext, c: GPUCanvasConfiguration) {
          configured.set(this, c);
          return configure.call(this, c);
        };
        GPUCanvasContext.prototype.getCurrentTexture = function (this: GPUCanvasContext) {
          const c = configured.get(this)!;
          const { width, height } = this.canvas;
          const texture = c.device.createTexture({ size: { width, height }, format: c.format, usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
          w.surfaceFrames.push({ device: c.device, texture, format: c.format });
          return texture;
        };
      });
    });
    /** The count of frames drawn, and the last one's pixel (2, 2) as [r, g, b] (bgra8unorm's bytes put in rgb order). */
    const lastFrame = () => page.evaluate(async () => {
      const frames = (window as unknown as { surfaceFrames: { device: GPUDevice; texture: GPUTexture; format: string }[] }).surfaceFrames;
      const f = frames[frames.length - 1];
      if (!f) return { frames: 0, corner: [] as number[] };
      const buffer = f.device.createBuffer({ size: 256, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
      const encoder = f.device.createCommandEncoder();
      encoder.copyTextureToBuffer({ texture: f.texture, origin: { x: 2, y: 2 } }, { buffer, bytesPerRow: 256 }, { width: 1, height: 1 });
      f.device.queue.submit([encoder.finish()]);
      await buffer.mapAsync(GPUMapMode.READ);
      const [a, b, c] = new Uint8Array(buffer.getMappedRange().slice(0, 4));
      buffer.destroy();
      return { frames: frames.length, corner: f.format.startsWith('bgra') ? [c, b, a] : [a, b, c] };
    });
    await page.$eval('#tab-surface', (e) => (e as HTMLElement).click());
    await page.$eval('#surface-soft', (e) => (e as HTMLElement).click());
    await act(page, '#surface-draw');
    expect(await page.$eval('#surface .loss-surface-caption', (e) => e.textContent)).toMatch(/^Loss surface over w5 .*Drag or use the arrow keys to rotate/);
    const dark = await lastFrame();
    expect(dark.frames).toBeGreaterThan(0);
    // palette.ts DARK.surface.clear, the page's --bg #111827 (style.css), as rgba8 bytes: 17, 24, 39.
    expect(dark.corner).toEqual([17, 24, 39]);
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    // main.ts onSchemeChange → views.ts repaintSurface → LossSurface.repaint: a new frame, cleared to LIGHT's
    // (0.98, 0.98, 0.985) → round(255·c) = 250, 250, 251.
    await page.waitForFunction((n) => (window as unknown as { surfaceFrames: unknown[] }).surfaceFrames.length > n, { timeout: 5_000 }, dark.frames);
    expect((await lastFrame()).corner).toEqual([250, 250, 251]);
    // Still the 3-D view, training still where it was (no device lost), and nothing said on the console.
    expect(await page.$eval('#surface .loss-surface-caption', (e) => e.textContent)).toMatch(/^Loss surface over w5 /);
    expect(errors).toEqual([]);
  }, 120_000);
});
