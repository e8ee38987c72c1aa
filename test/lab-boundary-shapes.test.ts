/**
 * The decision boundary tells its classes apart by a marker's shape as well as its colour (WCAG 1.4.1;
 * src/lab/boundary.ts drawBoundary, drawLegend): class k's training points, and its legend swatch, are a disc, a
 * square, a triangle pointing up, a diamond, a triangle pointing down for k mod 5 = 0 … 4. Every point was a disc: the
 * five-blob preset's class 2 (#009E73) and class 3 (#CC79A7) are one grey under deuteranopia (Chromium's emulation:
 * both read rgb(~140, ~140, ~140)), and the legend's squares named them by colour alone. Each shape has the disc's
 * area, worked by hand for a point radius r: the square's half-side r·√π / 2 = 0.8862 r, the diamond's half-diagonal
 * r·√(π/2) = 1.2533 r, the equilateral triangle's centre-to-corner r·√(4π / (3√3)) = 1.5551 r.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawBoundary } from '../src/lab/boundary.ts';
import { validateSpec } from '../src/spec.ts';
import { markers } from './lib/boundary-markers.ts';
import { recording } from './lib/recording-context.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** drawBoundary of a 2-5 softmax net with zero weights over five points, one of each class, on 300 × 300. */
function drawFive() {
  const { ctx, calls } = recording();
  const scratch = recording();
  vi.stubGlobal('document', { createElement: () => ({ width: 0, height: 0, getContext: () => scratch.ctx }) });
  vi.stubGlobal('ImageData', class { constructor(readonly data: unknown, readonly width: number, readonly height: number) {} });
  const canvas = { width: 300, height: 300, getContext: () => ctx, setAttribute: () => undefined } as unknown as HTMLCanvasElement;
  const z = [0, 0];
  const spec = validateSpec({ inputs: 2, layers: [{ units: 5, activation: 'softmax' }], loss: 'softmax-cross-entropy', params: { W: [[z, z, z, z, z]], b: [[0, 0, 0, 0, 0]] } });
  const x = [[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0.5]];
  drawBoundary(canvas, { net: spec.net, params: spec.params!, x, labels: [0, 1, 2, 3, 4], classes: 5, resolution: 4 });
  return calls;
}

/** A polygon's shape as [vertex count, its vertices' distances from the centre and their directions (degrees, y down)]. */
const polar = (v: [number, number][]) => v.map(([a, b]) => [Math.hypot(a, b), Math.round((Math.atan2(b, a) * 180) / Math.PI)] as const);

describe('drawBoundary: one shape a class, on the points and in the legend', () => {
  it('five legend swatches, then five points: disc, square, triangle up, diamond, triangle down, each its class\'s colour', () => {
    const calls = drawFive();
    const m = markers(calls);
    expect(m).toHaveLength(10);
    const [legend, points] = [m.slice(0, 5), m.slice(5)];
    // The points' radius on 300 × 300: max(2.5, 300 / 100) = 3.
    const r = 3;
    expect(points[0]).toMatchObject({ shape: 'disc', radius: r });
    const square = polar(points[1].vertices!);
    expect(square.map(([, a]) => a).sort((a, b) => a - b)).toEqual([-135, -45, 45, 135]);
    square.forEach(([d]) => expect(d).toBeCloseTo(0.8862 * Math.SQRT2 * r, 3));
    const up = polar(points[2].vertices!);
    expect(up.map(([, a]) => a).sort((a, b) => a - b)).toEqual([-90, 30, 150]);
    up.forEach(([d]) => expect(d).toBeCloseTo(1.5551 * r, 3));
    const diamond = polar(points[3].vertices!);
    expect(diamond.map(([, a]) => a).sort((a, b) => a - b)).toEqual([-90, 0, 90, 180]);
    diamond.forEach(([d]) => expect(d).toBeCloseTo(1.2533 * r, 3));
    const down = polar(points[4].vertices!);
    expect(down.map(([, a]) => a).sort((a, b) => a - b)).toEqual([-150, -30, 90]);
    down.forEach(([d]) => expect(d).toBeCloseTo(1.5551 * r, 3));
    // The five colours: Okabe–Ito's first five, by class.
    expect(points.map((p) => p.fill)).toEqual(['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9']);
    // Each legend swatch: its class's shape and colour (a swatch that was a square of colour for every class).
    legend.forEach((s, k) => {
      expect(s.shape, `class ${k}`).toBe(points[k].shape);
      expect(s.fill, `class ${k}`).toBe(points[k].fill);
      if (s.vertices) expect(polar(s.vertices).map(([, a]) => a).sort((a, b) => a - b)).toEqual(polar(points[k].vertices!).map(([, a]) => a).sort((a, b) => a - b));
    });
  });

  it('each legend swatch is drawn before its class\'s name, at the name\'s height (its row)', () => {
    const calls = drawFive();
    const legend = markers(calls).slice(0, 5);
    legend.forEach((s, k) => {
      const name = calls.findIndex((c) => c[0] === 'fillText' && c[1] === `class ${k}`);
      expect(name, `class ${k}`).toBeGreaterThan(s.at);
      // The name's baseline is middle, at its row's centre: the swatch's centre.
      expect(s.y).toBeCloseTo(calls[name][3] as number, 6);
    });
  });
});
