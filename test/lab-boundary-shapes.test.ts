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
import { drawFive, markers } from './lib/boundary-markers.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

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
