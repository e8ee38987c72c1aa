/**
 * The decision boundary's axis names and legend (src/lab/boundary.ts boundaryAxisNames, legendLabels, drawAxes,
 * drawLegend, drawBoundary): the axes had no names and nothing said which colour was which class. The axes carry the
 * net's input names (x1, x2) or the CSV's feature columns ("height (standardised)" where the lab standardised them);
 * a legend maps each class colour — the colour its training points are painted — to the CSV's class name, else
 * "class k". Expected texts written by hand; colours compared with the points' own (a recording 2-D context).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { axisTicks, boundaryAxisNames, drawAxes, drawBoundary, legendLabels } from '../src/lab/boundary.ts';
import { validateSpec } from '../src/spec.ts';
import { markers } from './lib/boundary-markers.ts';
import { type Call, recording } from './lib/recording-context.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});


const texts = (calls: Call[]): string[] => calls.filter((c) => c[0] === 'fillText').map((c) => c[1] as string);

describe('boundaryAxisNames and legendLabels', () => {
  it("the net's input names without a CSV; the CSV's feature columns with one, marked where standardised", () => {
    expect(boundaryAxisNames(['x1', 'x2'])).toEqual(['x1', 'x2']);
    expect(boundaryAxisNames(['x1', 'x2'], { features: ['height', 'weight'] })).toEqual(['height', 'weight']);
    expect(boundaryAxisNames(['x1', 'x2'], { features: ['height', 'weight'], standardised: true })).toEqual(['height (standardised)', 'weight (standardised)']);
  });

  it("the CSV's class labels where there is one a class, else class 0, class 1, …", () => {
    expect(legendLabels(2)).toEqual(['class 0', 'class 1']);
    expect(legendLabels(3, ['setosa', 'versicolor', 'virginica'])).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(legendLabels(3, ['a', 'b'])).toEqual(['class 0', 'class 1', 'class 2']);
  });
});

describe('drawAxes with names', () => {
  it("writes each axis's name, the horizontal one bottom right over its ticks, the vertical one top left", () => {
    const { ctx, calls } = recording();
    drawAxes(ctx, [144, 206, 44, 112], 300, 300, ['height', 'weight']);
    const t = texts(calls);
    expect(t).toContain('height →');
    expect(t).toContain('↑ weight');
    const at = (s: string) => calls.find((c) => c[0] === 'fillText' && c[1] === s)!;
    // font 12 (BOUNDARY_TEXT_PX at 1×): the x name's bottom at 300 − 4 − 12 = 284, right edge 297; the y name at (3, 2).
    expect(at('height →').slice(2)).toEqual([297, 284]);
    expect(at('↑ weight').slice(2)).toEqual([3, 2]);
    // The vertical ticks 60, 80, 100 lie at y = (112 − v)/68 · 300: 229, 141, 53 — all below the name's 2 + 18 = 20 px.
    expect(t.filter((s) => /^\d+$/.test(s))).toEqual(['160', '180', '200', '60', '80', '100']);
  });

  it('leaves out a vertical tick label that would sit on the name', () => {
    const { ctx, calls } = recording();
    // −0.3 … 10.3: ticks 5 and 10, 5 apart (axisTicks), at y = (10.3 − v)/10.6 · 300: 150 and ≈ 8.5 px — 10 under
    // the name (font 12: 2 px down, clear to 2 + 18 = 20 px). Without names both are written.
    expect(axisTicks(-0.3, 10.3)).toEqual([5, 10]);
    drawAxes(ctx, [-1, 1, -0.3, 10.3], 300, 300, ['a', 'b']);
    expect(texts(calls).filter((s) => /^\d+$/.test(s))).toEqual(['5']);
    const bare = recording();
    drawAxes(bare.ctx, [-1, 1, -0.3, 10.3], 300, 300);
    expect(texts(bare.calls).filter((s) => /^\d+$/.test(s))).toEqual(['5', '10']);
  });
});

describe('drawBoundary: the legend', () => {
  it("a swatch of each class's colour — the colour of its training points — beside the class's name", () => {
    const { ctx, calls } = recording();
    const scratch = recording();
    vi.stubGlobal('document', { createElement: () => ({ width: 0, height: 0, getContext: () => scratch.ctx }) });
    vi.stubGlobal('ImageData', class { constructor(readonly data: unknown, readonly width: number, readonly height: number) {} });
    const canvas = { width: 300, height: 300, getContext: () => ctx, setAttribute: () => undefined } as unknown as HTMLCanvasElement;
    // A 2-3 net (softmax) with zero weights: every point predicted alike; what matters is the colours.
    const spec = validateSpec({ inputs: 2, layers: [{ units: 3, activation: 'softmax' }], loss: 'softmax-cross-entropy', params: { W: [[[0, 0], [0, 0], [0, 0]]], b: [[0, 0, 0]] } });
    const x = [[0, 0], [1, 0], [0, 1]];
    drawBoundary(canvas, { net: spec.net, params: spec.params!, x, labels: [0, 1, 2], classes: 3, classNames: ['setosa', 'versicolor', 'virginica'], axisNames: ['petal length', 'petal width'], resolution: 4 });
    // The markers filled: the legend's three swatches, then the three points (test/lib/boundary-markers.ts).
    const filled = markers(calls);
    expect(filled).toHaveLength(6);
    const pointColours = filled.slice(3).map((m) => m.fill);
    expect(new Set(pointColours).size).toBe(3);
    // Each legend label is written just after a swatch in its class's colour (the last marker filled before it).
    for (const [k, name] of ['setosa', 'versicolor', 'virginica'].entries()) {
      const at = calls.findIndex((c) => c[0] === 'fillText' && c[1] === name);
      expect(at, name).toBeGreaterThan(0);
      const swatch = filled.filter((m) => m.at < at).at(-1)!;
      expect(swatch.fill, name).toBe(pointColours[k]);
    }
    expect(texts(calls)).toContain('petal length →');
    expect(texts(calls)).toContain('↑ petal width');
  });
});

describe('drawLegend with more classes than fit, or a long class name', () => {
  it('30 classes on a 300 × 300 canvas: the rows that fit in 80 % of the height, the last "… +K more"', async () => {
    const { drawLegend } = await import('../src/lab/boundary.ts');
    const { ctx, calls } = recording();
    drawLegend(ctx, Array.from({ length: 30 }, (_, k) => `class ${k}`), 300, 300);
    // font 12 (BOUNDARY_TEXT_PX at 1 canvas px a CSS px), pad 6, line round(16.8) = 17, swatch 12:
    // rows that fit ⌊(0.8·300 − 12 + 5) / 17⌋ = ⌊233 / 17⌋ = 13: classes 0 … 11 and "… +18 more".
    const t = texts(calls);
    expect(t).toHaveLength(13);
    expect(t.slice(0, 2)).toEqual(['class 0', 'class 1']);
    expect(t[11]).toBe('class 11');
    expect(t[12]).toBe('… +18 more');
    // The box's height: 2·6 + 17·13 − 5 = 228 ≤ 80 % of 300: inside the canvas.
    const box = calls.find((c) => c[0] === 'fillRect')!;
    expect(box[4]).toBe(228);
  });

  it('a class name wider than 40 % of the canvas is cut with "…" (6 px a character: 120 px on 300)', async () => {
    const { cutToWidth, drawLegend } = await import('../src/lab/boundary.ts');
    const six = (s: string): number => 6 * s.length;
    expect(cutToWidth('short', 120, six)).toBe('short');
    // 19 characters and "…" are 120 px.
    expect(cutToWidth('a'.repeat(30), 120, six)).toBe(`${'a'.repeat(19)}…`);
    const { ctx, calls } = recording();
    drawLegend(ctx, ['yes', 'a very long class name from a CSV header'], 300, 300);
    expect(texts(calls)).toEqual(['yes', 'a very long class n…']);
  });
});
