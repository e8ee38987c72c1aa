/**
 * The decision boundary's horizontal axis name keeps clear of the training points (src/lab/boundary.ts drawAxes,
 * drawBoundary): "x1 →", bottom right over its tick labels, lay over XOR's corner (1, 0) (vis58b, 1280 × 720). Where a
 * point lies under it, it goes into the tick labels' row (the view's padding keeps points out of it), the tick label
 * it would run into left out, as the vertical name's are — where that is one label at most (a long name stays).
 * Positions worked by hand; a recording 2-D context (6 px a character).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawnBoundary } from './lib/boundary-draw.ts';
import type { Call } from './lib/recording-context.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** The boundary over `x`, labelled 0, 1, 0, 1 …; its recorded calls. */
const draw = (x: number[][], axisNames?: [string, string]): Call[] => drawnBoundary(x, x.map((_, i) => i % 2), axisNames);

/** Where each fillText of `t` drew it, to 1e-9 px (the view's arithmetic leaves 25.000000000000018). */
const textAt = (calls: Call[], t: string) => calls.filter((c) => c[0] === 'fillText' && c[1] === t).map((c) => c.slice(2).map((v) => Math.round((v as number) * 1e9) / 1e9));

describe("the boundary's x name and the training points", () => {
  it("XOR's four corners: (1, 0) lies under the name's place, so the name goes into the tick row and the tick 1 goes", () => {
    const calls = draw([[0, 0], [0, 1], [1, 0], [1, 1]]);
    // The view [−0.1, 1.1]² on 300 px (dataExtent: 0.1 of padding): (1, 0) at (275, 275), radius max(2.5, 300/100) = 3.
    // "x1 →" is 4 characters, 24 px wide, right-aligned at 297: x 273 … 297. Over the ticks its box is y 272 … 284
    // (bottom at 300 − 4 − 12), and the point's disc, y 272 … 278, x 272 … 278, lies in it. In the tick row, bottom at
    // 298, y 286 … 298: the disc is above it.
    expect(textAt(calls, 'x1 →')).toEqual([[297, 298]]);
    // Ticks 0.5 and 1 (0 is the axis line's): "1" centred at 275, x 272 … 278, runs into the name (from 273 − 2): left
    // out; "0.5" at 150 drawn. The vertical name stays top left.
    expect(textAt(calls, '1')).toEqual([[3, 25]]);
    expect(textAt(calls, '0.5')).toEqual([[150, 298], [3, 150]]);
    expect(textAt(calls, '↑ x2')).toEqual([[3, 2]]);
  });

  it("a long name (a CSV's standardised column) over a point stays over the points: in the tick row it would take two of the two labels", () => {
    // "height (standardised) →" is 23 characters, 138 px: x 159 … 297, over XOR's (1, 0) at (275, 275) as "x1 →" was.
    // In the tick row it would meet "0.5" (x 141 … 159, + 2 px of gap: 161 > 159) and "1" (272 … 278): two labels, the
    // whole scale, so it stays where it was (bottom at 284) and both tick labels are drawn.
    const calls = draw([[0, 0], [0, 1], [1, 0], [1, 1]], ['height (standardised)', 'weight (standardised)']);
    expect(textAt(calls, 'height (standardised) →')).toEqual([[297, 284]]);
    expect(textAt(calls, '0.5')).toEqual([[150, 298], [3, 150]]);
    expect(textAt(calls, '1')).toEqual([[275, 298], [3, 25]]);
  });

  it('no point in the bottom-right corner: the name over its tick labels, every tick drawn', () => {
    // (0, 0), (0, 1), (1, 1): the same view, nothing at (275, 275).
    const calls = draw([[0, 0], [0, 1], [1, 1]]);
    expect(textAt(calls, 'x1 →')).toEqual([[297, 284]]);
    expect(textAt(calls, '1')).toEqual([[275, 298], [3, 25]]);
  });
});
