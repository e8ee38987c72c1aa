/**
 * The decision boundary's training points are drawn over the legend (src/lab/boundary.ts drawBoundary): XOR's
 * corner (1, 1) falls in the top-right corner the legend takes, and drawn under its 85 % white box it vanished — the
 * XOR preset showed three of its four points (vis58). Positions worked by hand; a recording 2-D context (6 px a
 * character).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawnBoundary } from './lib/boundary-draw.ts';
import { markers } from './lib/boundary-markers.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('drawBoundary: training points and the legend', () => {
  it("XOR's four corners on 300 × 300: the point at (1, 1) lies in the legend's box and is drawn after it", () => {
    const calls = drawnBoundary([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]);
    // The view: the points' box [0, 1]² padded by max(15 % of the half-width 0.5, 0.1) = 0.1 on each side, so
    // [−0.1, 1.1]², 1.2 wide on 300 px: (1, 1) at x = 1.1 / 1.2 · 300 = 275, y = (1.1 − 1) / 1.2 · 300 = 25.
    // The markers after the legend's two swatches: the points (class 0 a disc, class 1 a square; boundary-markers.ts).
    const points = markers(calls).slice(2);
    expect(points).toHaveLength(4);
    const at = points.map((m) => [m.x, m.y]);
    [[25, 275], [25, 25], [275, 275], [275, 25]].forEach((p, i) => p.forEach((v, j) => expect(at[i][j]).toBeCloseTo(v, 9)));
    // The legend's box: font 12, pad 6, swatch 12, "class 0" 42 px (6 a character): 3·6 + 12 + 42 = 72 wide, 4 px
    // in from the right edge (x 224 … 296), 2·6 + 2·17 − 5 = 41 tall from y 4 (4 … 45): (275, 25) is inside it.
    const box = calls.findIndex((c) => c[0] === 'fillRect');
    expect(calls[box].slice(1)).toEqual([224, 4, 72, 41]);
    // Every point is drawn after the box (under it, the box's 85 % white hid the point at (1, 1)).
    for (const m of points) expect(m.at, `the point at (${Math.round(m.x)}, ${Math.round(m.y)})`).toBeGreaterThan(box);
  });
});
