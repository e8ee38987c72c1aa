/**
 * What test/lab-dark-plots.test.ts and lab-dark-contrast.test.ts leave open in the drawers' colours (mut62): the
 * loss chart's grid lines and its empty chart's line fitted to the canvas; the boundary plot's tick values in the
 * softer tick colour than the axis names; the fit plots' output colours (Okabe–Ito less its yellow: a thin yellow
 * line on white is 1.3:1) and their key's hollow (validation) marker. Drawn into a recording 2-D context
 * (test/lib/recording-context.ts), with the system preferring dark where the case is the dark scheme (matchMedia
 * stubbed). The expected colours are named by hand: the light chart's old #ddd grid, the dark #374151 (gray-700);
 * Okabe–Ito's seven without #F0E442, the eighth (black) white in the dark scheme; DARK's key grey #9ca3af.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawBoundary } from '../src/lab/boundary.ts';
import { drawCurve, drawParity } from '../src/lab/fit-plot.ts';
import { LossChart } from '../src/lab/loss-chart.ts';
import { validateSpec } from '../src/spec.ts';
import { markers } from './lib/boundary-markers.ts';
import { chartCanvas } from './lib/chart-canvas.ts';
import { type Call, recording, styled } from './lib/recording-context.ts';

const prefersDark = (): void => void vi.stubGlobal('matchMedia', (q: string) => ({ matches: q === '(prefers-color-scheme: dark)', addEventListener: () => undefined }));
afterEach(() => vi.unstubAllGlobals());

/** Each stroke's colour at a line width of 1 (the grid's). */
function thinStrokes(calls: Call[]): string[] {
  return styled(calls).filter(({ call, width }) => call[0] === 'stroke' && width === 1).map(({ stroke }) => stroke);
}

describe('the loss chart', () => {
  const train = [{ step: 0, loss: 0.7 }, { step: 10, loss: 0.5 }, { step: 20, loss: 0.4 }];

  it('its grid lines in the grid grey: #ddd light, #374151 dark (not the axis text\'s grey)', () => {
    for (const [dark, grid] of [[false, '#ddd'], [true, '#374151']] as const) {
      if (dark) prefersDark();
      const { canvas, calls } = chartCanvas();
      new LossChart(canvas).draw(train, 'wasm');
      const thin = thinStrokes(calls);
      expect(thin.length, grid).toBeGreaterThan(2);
      expect(new Set(thin), grid).toEqual(new Set([grid]));
    }
  });

  it("the empty chart's line fits right of the axis pad: at most 400 − 58 − 6 = 336 px wide", () => {
    const { canvas, calls } = chartCanvas();
    new LossChart(canvas).draw([], 'wasm');
    const texts = calls.filter((c) => c[0] === 'fillText');
    expect(texts).toEqual([['fillText', 'Train (or Update) to draw the loss curve.', 58, 110, 336]]);
  });
});

describe('the decision boundary in the dark scheme', () => {
  it('tick values in the tick grey #9ca3af, axis names and legend words in #e5e7eb', () => {
    prefersDark();
    const { ctx, calls } = recording();
    const scratch = new Proxy({}, { get: () => () => undefined });
    vi.stubGlobal('document', { createElement: () => ({ width: 0, height: 0, getContext: () => scratch }) });
    vi.stubGlobal('ImageData', class { constructor(readonly data: Uint8ClampedArray, readonly width: number, readonly height: number) {} });
    const canvas = { width: 300, height: 300, getContext: () => ctx, setAttribute: () => undefined } as unknown as HTMLCanvasElement;
    const spec = validateSpec({ inputs: 2, layers: [{ units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy', params: { W: [[[1, 0], [0, 1]]], b: [[0, 0]] } });
    drawBoundary(canvas, { net: spec.net, params: spec.params!, x: [[0, 0], [1, 1]], labels: [0, 1], classes: 2, resolution: 4 });
    let fill = '';
    const ticks = new Set<string>();
    const words = new Set<string>();
    for (const c of calls) {
      if (c[0] === 'set fillStyle') fill = String(c[1]);
      if (c[0] === 'fillText') (/^[−-]?\d/.test(String(c[1])) ? ticks : words).add(fill);
    }
    expect(ticks).toEqual(new Set(['#9ca3af']));
    expect(words).toEqual(new Set(['#e5e7eb']));
  });
});

describe('the fit plots', () => {
  const SEVEN_LIGHT = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000'];

  it('7 outputs: Okabe–Ito less the yellow, in order (the seventh black; white in the dark scheme)', () => {
    for (const dark of [false, true]) {
      if (dark) prefersDark();
      const { ctx, calls } = recording();
      const canvas = { width: 300, height: 300, getContext: () => ctx, setAttribute: () => undefined } as unknown as HTMLCanvasElement;
      const y = [[0, 1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6, 7]];
      // The outputs, K × n: output k on the two rows.
      const A = Array.from({ length: 7 }, (_, k) => [k + 0.1, k + 1.1]).flat();
      drawParity(canvas, { y, A, K: 7, outputs: 7, names: ['target y', 'output ŷ'], outputNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] });
      const fills = new Set(markers(calls).map((m) => m.fill));
      expect(fills).toEqual(new Set(dark ? [...SEVEN_LIGHT.slice(0, 6), '#ffffff'] : SEVEN_LIGHT));
    }
  });

  it("dark, 2 outputs with validation rows: the key's hollow marker outlined in #9ca3af", () => {
    prefersDark();
    const { ctx, calls } = recording();
    const canvas = { width: 300, height: 300, getContext: () => ctx, setAttribute: () => undefined } as unknown as HTMLCanvasElement;
    drawCurve(canvas, { x: [1, 21], y: [[0, 1], [20, 21]], valX: [5], valY: [[4, 5]], xRange: [0, 22], xs: [1, 11, 21], line: [0, 10, 20, 1, 11, 21], K: 2, names: ['x', 'ŷ'], outputNames: ['a', 'b'] });
    // The hollow markers: filled in the plot's background #111827, then stroked in their colour.
    let fill = '';
    let stroke = '';
    const hollow: string[] = [];
    for (const c of calls) {
      if (c[0] === 'set fillStyle') fill = String(c[1]);
      if (c[0] === 'set strokeStyle') stroke = String(c[1]);
      if (c[0] === 'stroke' && fill === '#111827') hollow.push(stroke);
    }
    // (The legend box is the background's colour too: its lines are in this list.) The key's last row is the hollow
    // marker, in the key's grey, not the axes' #6b7280; the plot's two hollow points are the outputs' colours.
    expect(hollow.at(-1)).toBe('#9ca3af');
    expect(hollow.slice(1, 3)).toEqual(['#0072B2', '#E69F00']);
  });
});
