/**
 * The loss curve as drawn (src/lab/loss-chart.ts): a long curve is drawn with at most four points a pixel column —
 * first, lowest, highest, last — against the curve's own points in each column (computed here from the points, not
 * from pixelPoints), and LossChart.draw hands the canvas that many, not one per step.
 */
import { describe, expect, it } from 'vitest';
import { LossChart, pixelPoints } from '../src/lab/loss-chart.ts';
import type { LossPoint } from '../src/lab/session.ts';

/** A noisy decaying curve of n points spread over `width` pixels. */
function curve(n: number, width: number): { x: number[]; y: number[] } {
  let seed = 7;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
  const x = Array.from({ length: n }, (_, k) => 10 + (k / (n - 1)) * width);
  const y = x.map((_, k) => 300 * Math.exp(-k / n) + 40 * noise());
  return { x, y };
}

describe('pixelPoints: a curve as drawn, at most four points a pixel column', () => {
  it('keeps each column\'s first, lowest, highest and last point of 100 000, in order', () => {
    const { x, y } = curve(100_000, 600);
    const drawn = pixelPoints(x, y);
    expect(drawn.length).toBeLessThanOrEqual(4 * 601);
    const byColumn = (xs: number[]) => new Map<number, number[]>(xs.map((v) => [Math.floor(v), []]));
    const full = byColumn(x);
    x.forEach((v, k) => full.get(Math.floor(v))!.push(k));
    const got = byColumn(x);
    drawn.forEach(([dx, dy]) => got.get(Math.floor(dx))!.push(dy));
    for (const [column, ks] of full) {
      const ys = ks.map((k) => y[k]);
      const shown = got.get(column)!;
      expect(shown[0], `column ${column} first`).toBe(ys[0]);
      expect(shown.at(-1), `column ${column} last`).toBe(ys.at(-1));
      expect(Math.min(...shown), `column ${column} lowest`).toBe(Math.min(...ys));
      expect(Math.max(...shown), `column ${column} highest`).toBe(Math.max(...ys));
    }
    for (let k = 1; k < drawn.length; k++) expect(drawn[k][0]).toBeGreaterThanOrEqual(drawn[k - 1][0]);
  });

  it('leaves a curve of fewer points than columns as it is', () => {
    const { x, y } = curve(50, 600);
    expect(pixelPoints(x, y)).toEqual(x.map((v, k) => [v, y[k]]));
  });
});

describe('LossChart.draw hands the canvas the drawn points, not every step', () => {
  it('a 200 000-step curve with a validation curve on a 640-pixel canvas: at most four points a column each', () => {
    let lines = 0;
    const ctx = new Proxy({}, {
      get: (_, name) => (name === 'measureText' ? () => ({ width: 30 }) : name === 'lineTo' ? () => { lines++; } : () => undefined),
      set: () => true,
    });
    const canvas = {
      width: 640, height: 320,
      getBoundingClientRect: () => ({ width: 640, height: 320 }),
      getContext: () => ctx,
      setAttribute: () => undefined,
    } as unknown as HTMLCanvasElement;
    const history: LossPoint[] = Array.from({ length: 200_000 }, (_, step) => ({ step, loss: 1 / (1 + step) + 0.01 * Math.sin(step) }));
    const validation: LossPoint[] = history.filter((p) => p.step % 100 === 0).map((p) => ({ step: p.step, loss: p.loss * 1.1 }));
    new LossChart(canvas).draw(history, 'cpu', validation);
    // The axes, grid and legend draw a few dozen lines besides the curves.
    expect(lines).toBeLessThan(2 * 4 * 640 + 100);
  });
});
