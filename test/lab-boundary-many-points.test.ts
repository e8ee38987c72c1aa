/**
 * A decision boundary over a student's big table (src/lab/boundary.ts drawBoundary): 80 000 training points drawn,
 * each a 3 px disc with an outline, covered the 300 px view — the regions and the boundary lines under them could not
 * be seen. At most MAX_DRAWN_POINTS are drawn now, every k-th in the data's order. Counts worked by hand.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawnPoints, MAX_DRAWN_POINTS, ordinal, pointsNote } from '../src/lab/boundary.ts';
import { drawnBoundary } from './lib/boundary-draw.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('drawBoundary: many training points', () => {
  it('draws every 3rd of 5000 points (1667 discs: 0, 3, … 4998), 2000 being the most it draws', () => {
    expect(MAX_DRAWN_POINTS).toBe(2000);
    // The points on a line x1 = x2 = k / 5000; labels alternate.
    const x = Array.from({ length: 5000 }, (_, k) => [k / 5000, k / 5000]);
    const calls = drawnBoundary(x, x.map((_, k) => k % 2));
    const arcs = calls.filter((c) => c[0] === 'arc');
    // ⌈5000 / 2000⌉ = 3: indices 0, 3, …, 4998, ⌊4999 / 3⌋ + 1 = 1667 of them.
    expect(arcs.length).toBe(1667);
    expect(drawnPoints(5000)).toEqual({ stride: 3, count: 1667 });
  });

  it('draws all of 2000 points, and of fewer', () => {
    expect(drawnPoints(2000)).toEqual({ stride: 1, count: 2000 });
    expect(drawnPoints(2001)).toEqual({ stride: 2, count: 1001 });
    const x = Array.from({ length: 2000 }, (_, k) => [k / 2000, 1 - k / 2000]);
    expect(drawnBoundary(x, x.map((_, k) => k % 2)).filter((c) => c[0] === 'arc').length).toBe(2000);
  });

  it('the caption says which are drawn: every 40th of 80 000 (2000 drawn); nothing when all are', () => {
    // ⌈80 000 / 2000⌉ = 40, ⌈80 000 / 40⌉ = 2000.
    expect(pointsNote(80_000)).toBe(' The points: every 40th of the 80000 training rows (2000 drawn), so that the boundary shows.');
    expect(pointsNote(2000)).toBe('');
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 40, 101, 111].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '40th', '101st', '111th']);
  });
});
