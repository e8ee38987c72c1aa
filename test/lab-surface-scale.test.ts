/**
 * The loss surface's canvas pixels on a big screen (src/lab/surface-scale.ts surfaceScale, as surface.ts sizes the
 * heatmap and the 3-D view with it). Found with puppeteer (wide61): on a 5K iMac (2560 × 1440 CSS px, device pixel
 * ratio 2) the view, 1758 × 1318 CSS px, was drawn 3516 × 2636 = 9.3 MP, and one arrow key's heatmap redraw took
 * a median of 118–120 ms to the next frame (51–58 after). Expected scales worked by hand: √(4 194 304 / (w × h)).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_SURFACE_PIXELS, surfaceScale } from '../src/lab/surface-scale.ts';

describe('surfaceScale: the device pixel ratio, at most 2, within 4 × 2²⁰ pixels', () => {
  it('the cap is 4 × 2²⁰ = 4 194 304 pixels', () => {
    expect(MAX_SURFACE_PIXELS).toBe(4_194_304);
  });

  it('5K at ratio 2 (a 1758 × 1318 CSS px view): 1.3454 (√(4 194 304 / 2 317 044) = √1.81019), 2365 × 1773 pixels within the cap', () => {
    const s = surfaceScale(1758, 1318, 2);
    expect(s).toBeCloseTo(1.3454, 4);
    const pixels = Math.round(1758 * s) * Math.round(1318 * s);
    expect(pixels).toBe(2365 * 1773);
    expect(pixels).toBeLessThanOrEqual(4_194_304);
  });

  it('4K at ratio 2 (1920 × 1080 CSS px: a 1280 × 960 view): 1.8475 (√(4 194 304 / 1 228 800) = √3.41333)', () => {
    expect(surfaceScale(1280, 960, 2)).toBeCloseTo(1.8475, 4);
  });

  it('where the ratio fits the cap it is kept: 1280 × 800 (a 906 × 680 view, 2 464 320 pixels at 2), 2560 × 1440 at 1 and 1.5 (2.3 and 5.2 MP: 1.5 is over, 1.3454)', () => {
    expect(surfaceScale(906, 680, 2)).toBe(2);
    expect(surfaceScale(1758, 1318, 1)).toBe(1);
    expect(surfaceScale(1758, 1318, 1.5)).toBeCloseTo(1.3454, 4);
  });

  it('at most 2 (a phone at 3), a zoomed-out page below 1 kept (1920 × 1080 at 67 %: 0.67)', () => {
    expect(surfaceScale(400, 300, 3)).toBe(2);
    expect(surfaceScale(1758, 1318, 0.67)).toBe(0.67);
  });

  it('a ratio that is not a positive number is 1; a box not laid out (0, NaN) leaves the ratio\'s cap', () => {
    for (const dpr of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(surfaceScale(640, 480, dpr), String(dpr)).toBe(1);
    expect(surfaceScale(0, 0, 2)).toBe(2);
    expect(surfaceScale(Number.NaN, 480, 1.5)).toBe(1.5);
  });
});

describe('surface.ts sizes both of its canvases with surfaceScale', () => {
  it('the heatmap (drawHeatmap) and the 3-D view (renderGpu): no device pixel ratio read past it', () => {
    const src = readFileSync(new URL('../src/lab/surface.ts', import.meta.url), 'utf8').replace(/\/\/.*$/gm, '');
    expect(src.match(/surfaceScale\(\w+, \w+, window\.devicePixelRatio\)/g)).toHaveLength(2);
    expect(src.match(/devicePixelRatio/g)).toHaveLength(2);
  });
});
