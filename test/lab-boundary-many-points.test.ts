/**
 * A decision boundary over a student's big table (src/lab/boundary.ts drawBoundary): 80 000 training points drawn,
 * each a 3 px disc with an outline, covered the 300 px view — the regions and the boundary lines under them could not
 * be seen. At most MAX_DRAWN_POINTS are drawn now, each class its share of them (largest remainders), evenly spaced
 * within the class. NOTE: every k-th in the data's order was drawn, so a file whose labels alternate (2 001 – 4 000
 * rows: every 2nd) showed the points of one class only. Counts worked by hand.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawnPoints, MAX_DRAWN_POINTS, pointsNote } from '../src/lab/boundary.ts';
import { drawnBoundary } from './lib/boundary-draw.ts';
import { markers } from './lib/boundary-markers.ts';
import type { Call } from './lib/recording-context.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** The training points painted: the markers after the two classes' legend swatches (test/lib/boundary-markers.ts). */
const pointsOf = (calls: Call[]) => markers(calls).slice(2);

/** How many points of each colour were painted, largest first. */
function discsByColour(calls: Call[]): number[] {
  const counts = new Map<unknown, number>();
  for (const m of pointsOf(calls)) counts.set(m.fill, (counts.get(m.fill) ?? 0) + 1);
  return [...counts.values()].sort((a, b) => b - a);
}

describe('drawBoundary: many training points, each class in its share', () => {
  it('of 4000 points whose labels alternate, draws 1000 of each class (every 2nd drew class 0 only)', () => {
    expect(MAX_DRAWN_POINTS).toBe(2000);
    const x = Array.from({ length: 4000 }, (_, k) => [k / 4000, k / 4000]);
    const labels = x.map((_, k) => k % 2);
    // Each class 2000 of 4000: its share 2000 × 2000 / 4000 = 1000, every 2nd of its own (0, 4, 8, … and 1, 5, 9, …).
    const drawn = drawnPoints(labels);
    expect(drawn.length).toBe(2000);
    expect(drawn.slice(0, 6)).toEqual([0, 1, 4, 5, 8, 9]);
    expect(drawn.slice(-2)).toEqual([3996, 3997]);
    expect(discsByColour(drawnBoundary(x, labels))).toEqual([1000, 1000]);
  });

  it('of 2001 alternating points, the one point left goes to the larger remainder: 1000 and 1000', () => {
    // Class 0: 1001 points, 1001 × 2000 / 2001 = 1000.4998; class 1: 1000, 999.5002. Floors 1000 + 999, and the
    // 2000th to class 1 (0.5002 > 0.4998). Every 2nd from the first drew 1001 points, all of class 0.
    const labels = Array.from({ length: 2001 }, (_, k) => k % 2);
    const drawn = drawnPoints(labels);
    expect([drawn.filter((k) => labels[k] === 0).length, drawn.filter((k) => labels[k] === 1).length]).toEqual([1000, 1000]);
  });

  it('of 80 000 points, one in 8 of class 1: 1750 and 250 (every 40th drew class 0 only), the same on a redraw', () => {
    const labels = Array.from({ length: 80_000 }, (_, k) => (k % 8 === 7 ? 1 : 0));
    // 70 000 × 2000 / 80 000 = 1750, 10 000 × 2000 / 80 000 = 250.
    const drawn = drawnPoints(labels);
    expect([drawn.length, drawn.filter((k) => labels[k] === 1).length]).toEqual([2000, 250]);
    // Class 1's 10 000 points (7, 15, …), every 40th of them: 7, 7 + 40 × 8 = 327, …
    expect(drawn.filter((k) => labels[k] === 1).slice(0, 3)).toEqual([7, 327, 647]);
    expect(drawnPoints(labels)).toEqual(drawn);
    // Data order: ascending, each once.
    expect(drawn.every((k, j) => j === 0 || k > drawn[j - 1])).toBe(true);
  });

  it('draws all of 2000 points, and of fewer', () => {
    expect(drawnPoints(Array.from({ length: 2000 }, (_, k) => k % 3))).toEqual(Array.from({ length: 2000 }, (_, k) => k));
    const x = Array.from({ length: 2000 }, (_, k) => [k / 2000, 1 - k / 2000]);
    expect(pointsOf(drawnBoundary(x, x.map((_, k) => k % 2))).length).toBe(2000);
  });

  it('the caption and the aria-label write the counts grouped as the dialog does (80 000, not 80000)', () => {
    expect(pointsNote(80_000)).toBe(' The points: 2 000 of the 80 000 training rows, each class in its share, so that the boundary shows.');
    expect(pointsNote(2000)).toBe('');
    const x = Array.from({ length: 4000 }, (_, k) => [k / 4000, k / 4000]);
    const attributes = new Map<string, string>();
    drawnBoundary(x, x.map((_, k) => k % 2), undefined, attributes);
    expect(attributes.get('aria-label')).toMatch(/, with 4 000 training points \(2 000 drawn, each class in its share\) in 2 classes \(/);
  });
});
