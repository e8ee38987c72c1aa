/**
 * The loss curve as drawn (src/lab/loss-chart.ts, src/lab/curve-index.ts): a long curve is drawn with at most four
 * points a pixel column — first, lowest, highest, last — against the curve's own points in each column (computed here
 * from the points, not from CurveIndex), LossChart.draw hands the canvas that many, not one per step, and a redraw
 * after a chunk reads the points added since the last one, not the whole curve.
 */
import { describe, expect, it } from 'vitest';
import { CurveIndex } from '../src/lab/curve-index.ts';
import { LossChart } from '../src/lab/loss-chart.ts';
import type { LossPoint } from '../src/lab/session.ts';

/** A noisy decaying curve of n points (steps 0 … n − 1), losses positive. */
function curve(n: number, from = 0): LossPoint[] {
  let seed = 7 + from;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
  return Array.from({ length: n }, (_, k) => ({ step: from + k, loss: 3 * Math.exp(-k / n) + 0.4 * noise() + 0.5, kind: 'wasm' as const }));
}

/** Each column's first, lowest, highest and last loss, from every point (the lowest and highest of the finite ones). */
function columnsOf(points: readonly LossPoint[], column: (step: number) => number): Map<number, number[]> {
  const by = new Map<number, number[]>();
  for (const p of points) {
    const c = column(p.step);
    if (!by.has(c)) by.set(c, []);
    by.get(c)!.push(p.loss);
  }
  const out = new Map<number, number[]>();
  for (const [c, ls] of by) {
    const finite = ls.filter(Number.isFinite);
    out.set(c, [ls[0], Math.min(...finite), Math.max(...finite), ls[ls.length - 1]]);
  }
  return out;
}

/** The same from the points CurveIndex.drawn picked (indices into `points`). */
function drawnColumns(points: readonly LossPoint[], picked: number[], column: (step: number) => number): Map<number, number[]> {
  for (let k = 1; k < picked.length; k++) expect(picked[k]).toBeGreaterThan(picked[k - 1]);
  return columnsOf(picked.map((i) => points[i]), column);
}

describe('CurveIndex.drawn: a curve as drawn, at most four points a pixel column', () => {
  const column = (n: number, width: number) => (step: number) => Math.floor(10 + (step / (n - 1)) * width);

  it('keeps each column\'s first, lowest, highest and last point of 100 000, in order', () => {
    const points = curve(100_000);
    const col = column(points.length, 600);
    const picked = new CurveIndex().sync(points).drawn(col);
    expect(picked.length).toBeLessThanOrEqual(4 * 601);
    expect(drawnColumns(points, picked, col)).toEqual(columnsOf(points, col));
  });

  it('leaves a curve of fewer points than columns as it is', () => {
    const points = curve(50);
    expect(new CurveIndex().sync(points).drawn(column(50, 600))).toEqual(points.map((_, k) => k));
  });

  it('reads what was added, a curve cut and grown again, and another array, as a fresh index of the same points does', () => {
    const points = curve(5_000);
    const index = new CurveIndex().sync(points);
    points.push(...curve(3_000, 5_000));
    const col = column(8_000, 300);
    expect(index.sync(points).drawn(col)).toEqual(new CurveIndex().sync(points).drawn(col));
    // Cut (a failed Fit, a lost device) and grown again past where it was: the cut points are not the new ones.
    points.length = 2_000;
    points.push(...curve(7_000, 2_000).map((p) => ({ ...p, loss: p.loss * 5 })));
    expect(index.sync(points).drawn(col)).toEqual(new CurveIndex().sync(points).drawn(col));
    expect(index.highest).toBe(Math.max(...points.map((p) => p.loss)));
    const other = curve(100);
    expect(index.sync(other).n).toBe(100);
    expect(index.lowest).toBe(Math.min(...other.map((p) => p.loss)));
  });

  it('a loss that is not finite is only a column\'s first or last; the column keeps its finite lowest and highest', () => {
    const points = curve(1_000);
    points[0] = { ...points[0], loss: NaN };
    points[500] = { ...points[500], loss: Infinity };
    const col = column(1_000, 100);
    const index = new CurveIndex().sync(points);
    expect(drawnColumns(points, index.drawn(col), col)).toEqual(columnsOf(points, col));
    expect(index.positive).toBe(false);
  });

  it('the backends the points ran on, one entry a run', () => {
    const points: LossPoint[] = [{ step: 0, loss: 1, kind: 'webgpu' }, { step: 1, loss: 1 }, { step: 2, loss: 1, kind: 'webgpu' }, { step: 3, loss: 1, kind: 'wasm' }, { step: 4, loss: 1, kind: 'cpu' }];
    expect(new CurveIndex().sync(points).runs).toEqual(['webgpu', 'wasm', 'cpu']);
  });
});

/** A 640 × 320 canvas whose 2-D context does nothing but count lineTo (`onLine`). */
function stubCanvas(onLine: () => void = () => undefined): HTMLCanvasElement {
  const ctx = new Proxy({}, {
    get: (_, name) => (name === 'measureText' ? () => ({ width: 30 }) : name === 'lineTo' ? onLine : () => undefined),
    set: () => true,
  });
  return {
    width: 640, height: 320,
    getBoundingClientRect: () => ({ width: 640, height: 320 }),
    style: { setProperty: () => undefined },
    getContext: () => ctx,
    setAttribute: () => undefined,
  } as unknown as HTMLCanvasElement;
}

describe('LossChart.draw hands the canvas the drawn points, not every step', () => {
  it('a 200 000-step curve with a validation curve on a 640-pixel canvas: at most four points a column each', () => {
    let lines = 0;
    const canvas = stubCanvas(() => { lines++; });
    const history: LossPoint[] = Array.from({ length: 200_000 }, (_, step) => ({ step, loss: 1 / (1 + step) + 0.01 * Math.sin(step) }));
    const validation: LossPoint[] = history.filter((p) => p.step % 100 === 0).map((p) => ({ step: p.step, loss: p.loss * 1.1 }));
    new LossChart(canvas).draw(history, 'cpu', validation);
    // The axes, grid and legend draw a few dozen lines besides the curves.
    expect(lines).toBeLessThan(2 * 4 * 640 + 100);
  });

  it('a redraw after a chunk reads the points added since, not the whole curve (it is redrawn every frame while training)', () => {
    const canvas = stubCanvas();
    const history = curve(100_000);
    const validation = curve(1_000).map((p) => ({ ...p, step: p.step * 100 }));
    let reads = 0;
    const counted = <T extends object>(a: T[]): T[] => new Proxy(a, {
      get: (target, key, receiver) => {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const h = counted(history);
    const v = counted(validation);
    const chart = new LossChart(canvas);
    chart.draw(h, 'wasm', v);
    expect(reads).toBeGreaterThanOrEqual(101_000);
    for (const p of curve(20, 100_000)) history.push(p);
    reads = 0;
    chart.draw(h, 'wasm', v);
    // The 20 new points, the first and last for the axis and label, the validation curve's last: a few dozen.
    expect(reads).toBeLessThan(100);
  });
});
