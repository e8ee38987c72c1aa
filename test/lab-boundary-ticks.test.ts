/**
 * The decision boundary's tick labels (src/lab/boundary.ts axisTicks, drawAxes): round values about four to an axis.
 * In the lab, a CSV of heights (144 … 206) and weights (44 … 112) trained without standardising drew a label at every
 * integer: 62 along the bottom and 68 up the side of a 300 px canvas, each over the next. Expected ticks by hand:
 * a span of 62 over four is 15.5, rounded up (to 1, 2 or 5 × 10^k) to 20; a span of 68, 17, to 20 as well.
 */
import { describe, expect, it } from 'vitest';
import { axisTicks, drawAxes } from '../src/lab/boundary.ts';

describe('axisTicks', () => {
  it('a wide view: every 20 (144 … 206 → 160, 180, 200)', () => {
    expect(axisTicks(144, 206)).toEqual([160, 180, 200]);
    expect(axisTicks(44, 112)).toEqual([60, 80, 100]);
  });

  it("the presets' views keep −1 and 1, 0 left to the axis line: −1.1 … 1.1 (2.2 / 4 = 0.55 → 1) and −1.3 … 1.3; −2.4 … 2.4 (1.2 → 2) → −2, 2", () => {
    expect(axisTicks(-1.1, 1.1)).toEqual([-1, 1]);
    expect(axisTicks(-1.3, 1.3)).toEqual([-1, 1]);
    expect(axisTicks(-2.4, 2.4)).toEqual([-2, 2]);
  });

  it('a narrow view gets labels too (0.31 … 0.37: 0.015 → 0.02 → 0.32, 0.34, 0.36), where the integers gave none', () => {
    expect(axisTicks(0.31, 0.37)).toEqual([0.32, 0.34, 0.36]);
    // An end, on the canvas's edge, is left out: 0.30 … 0.37 (0.0175 → 0.02) → 0.32, 0.34, 0.36, not 0.30.
    expect(axisTicks(0.3, 0.37)).toEqual([0.32, 0.34, 0.36]);
  });
});

/** A 2-D context that keeps only fillText's texts, in order (every other call does nothing). */
function textsOnly(): { ctx: CanvasRenderingContext2D; texts: string[] } {
  const texts: string[] = [];
  const ctx = new Proxy({}, {
    get: (_, name) => (name === 'fillText' ? (t: string) => { texts.push(t); } : () => undefined),
    set: () => true,
  }) as unknown as CanvasRenderingContext2D;
  return { ctx, texts };
}

describe('drawAxes', () => {
  it('writes those labels and no others on the wide view', () => {
    const { ctx, texts } = textsOnly();
    drawAxes(ctx, [144, 206, 44, 112], 300, 300);
    expect(texts).toEqual(['160', '180', '200', '60', '80', '100']);
  });

  it('leaves out a vertical tick label the bottom edge would cut (read58b)', () => {
    const { ctx, texts } = textsOnly();
    // y −2.05 … 2.4 on 300 px: −2 at (2.4 + 2) / 4.45 × 300 = 296.6 px, its 12 px label (centred) down to 302.6, past
    // the edge: left out; 2 at 27.0 px drawn. x −1.1 … 1.1: −1 and 1.
    drawAxes(ctx, [-1.1, 1.1, -2.05, 2.4], 300, 300);
    expect(texts).toEqual(['−1', '1', '2']);
  });
});
