/**
 * The decision boundary's text size (src/lab/boundary.ts drawAxes, drawLegend, drawBoundary): its tick labels, axis
 * names and legend are 12 CSS px whatever the device pixel ratio — the loss chart's size. They were
 * max(9, round(side / 36)) canvas pixels: on the 300 px canvas 9 px at 1× and 17 / 2 = 8.5 CSS px at 2× (a browser at
 * 200 % zoom), too small to read on a projector. A recording 2-D context; expected sizes and positions by hand.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawAxes, drawBoundary, drawLegend } from '../src/lab/boundary.ts';
import { validateSpec } from '../src/spec.ts';
import { markers } from './lib/boundary-markers.ts';
import { type Call, recording } from './lib/recording-context.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});


/** The pixel size of every font set, in order ('600 12px system-ui' → 12). */
const sizes = (calls: Call[]): number[] => calls.filter((c) => c[0] === 'set font').map((c) => Number(/(\d+(?:\.\d+)?)px/.exec(c[1] as string)![1]));
const at = (calls: Call[], text: string) => calls.find((c) => c[0] === 'fillText' && c[1] === text)!.slice(2);

describe('the boundary text is 12 CSS px', () => {
  it('on a 300 px canvas at 1×: 12 px ticks and names, the x name 4 px above its 12 px ticks', () => {
    const { ctx, calls } = recording();
    drawAxes(ctx, [144, 206, 44, 112], 300, 300, ['height', 'weight']);
    expect(sizes(calls)).toEqual([12, 12]);
    // Right edge 300 − 3; bottom 300 − 4 − 12 = 284 (the ticks' bottom is at 300 − 2).
    expect(at(calls, 'height →')).toEqual([297, 284]);
    expect(at(calls, '↑ weight')).toEqual([3, 2]);
  });

  it('on the same canvas at 2× (600 × 600 pixels): 24 pixels, 12 CSS px', () => {
    const { ctx, calls } = recording();
    drawAxes(ctx, [144, 206, 44, 112], 600, 600, ['height', 'weight'], 2);
    expect(sizes(calls)).toEqual([24, 24]);
    expect(at(calls, 'height →')).toEqual([597, 600 - 4 - 24]);
    const legend = recording();
    drawLegend(legend.ctx, ['class 0', 'class 1'], 600, 600, 2);
    expect(sizes(legend.calls)).toEqual([24]);
    // The swatches (each its class's marker) scale with the text: of radius 0.4 × 24 = 9.6 pixels — class 0's disc,
    // class 1's square of the disc's area (half-side 9.6 · √π / 2 = 8.508, corners 8.508 · √2 = 12.03 from its centre).
    const swatches = markers(legend.calls);
    expect(swatches).toHaveLength(2);
    expect(swatches[0].shape).toBe('disc');
    expect(swatches[0].radius).toBeCloseTo(9.6, 9);
    expect(swatches[1].shape).toBe(4);
    for (const [a, b] of swatches[1].vertices!) expect(Math.hypot(a, b)).toBeCloseTo(12.03, 2);
  });

  it('drawBoundary passes its pxPerCss to the axes and the legend', () => {
    const { ctx, calls } = recording();
    const scratch = recording();
    vi.stubGlobal('document', { createElement: () => ({ width: 0, height: 0, getContext: () => scratch.ctx }) });
    vi.stubGlobal('ImageData', class { constructor(readonly data: unknown, readonly width: number, readonly height: number) {} });
    const canvas = { width: 600, height: 600, getContext: () => ctx, setAttribute: () => undefined } as unknown as HTMLCanvasElement;
    const spec = validateSpec({ inputs: 2, layers: [{ units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy', params: { W: [[[1, 0], [0, 1]]], b: [[0, 0]] } });
    drawBoundary(canvas, { net: spec.net, params: spec.params!, x: [[0, 0], [1, 1]], labels: [0, 1], classes: 2, resolution: 4, pxPerCss: 2 });
    expect(sizes(calls)).toEqual([24, 24, 24]);
  });
});
