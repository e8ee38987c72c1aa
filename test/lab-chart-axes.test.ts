/**
 * The loss chart's numbers as the student reads them (src/lab/loss-chart.ts, src/lab/curve-index.ts): the curve
 * inside the canvas with the step axis running to the last step (not the point count), higher loss drawn higher, the
 * validation curve inside the y range, no log axis when a validation loss is not positive, the label's last loss,
 * log ticks inside the range, and the index's range and backend runs. Expected values are worked here from the points.
 */
import { describe, expect, it } from 'vitest';
import { CurveIndex } from '../src/lab/curve-index.ts';
import { LossChart, logTicks } from '../src/lab/loss-chart.ts';
import type { LossPoint } from '../src/lab/session.ts';

const W = 640;
const H = 320;

type Call = [string, ...unknown[]];

/** A W × H canvas whose 2-D context records every call and every style set, in order. */
function recordingCanvas(): { canvas: HTMLCanvasElement; calls: Call[]; attrs: Map<string, string> } {
  const calls: Call[] = [];
  const attrs = new Map<string, string>();
  const ctx = new Proxy({}, {
    get: (_, name) => (name === 'measureText' ? () => ({ width: 30 }) : (...args: unknown[]) => void calls.push([String(name), ...args])),
    set: (_, name, value) => {
      calls.push([`set ${String(name)}`, value]);
      return true;
    },
  });
  const canvas = {
    width: W, height: H,
    getBoundingClientRect: () => ({ width: W, height: H }),
    style: { setProperty: () => undefined },
    getContext: () => ctx,
    setAttribute: (k: string, v: string) => void attrs.set(k, v),
  } as unknown as HTMLCanvasElement;
  return { canvas, calls, attrs };
}

/** The points of the path stroked in `colour` (the training curve '#2563eb', validation '#ea580c'): its moveTo / lineTo. */
function pathIn(calls: Call[], colour: string): [number, number][] {
  const start = calls.findIndex((c) => c[0] === 'set strokeStyle' && c[1] === colour);
  expect(start, `a path in ${colour}`).toBeGreaterThanOrEqual(0);
  const out: [number, number][] = [];
  for (let k = start + 1; k < calls.length && calls[k][0] !== 'stroke'; k++) {
    if (calls[k][0] === 'moveTo' || calls[k][0] === 'lineTo') out.push([calls[k][1] as number, calls[k][2] as number]);
  }
  return out;
}

describe('LossChart.draw: where the points go', () => {
  it('steps 0, 50, 100 (Train chunks): the x axis runs to step 100, so every point is inside the canvas, 50 halfway', () => {
    const { canvas, calls } = recordingCanvas();
    new LossChart(canvas).draw([{ step: 0, loss: 1 }, { step: 50, loss: 0.5 }, { step: 100, loss: 0.1 }], 'CPU');
    const pts = pathIn(calls, '#2563eb');
    expect(pts).toHaveLength(3);
    for (const [x, y] of pts) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(W);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(H);
    }
    // Step 50 of 0 … 100 is halfway along the axis.
    expect(pts[1][0]).toBeCloseTo((pts[0][0] + pts[2][0]) / 2, 9);
  });

  it('a falling loss is drawn falling: the highest loss at the top (smallest y), the lowest at the bottom', () => {
    const { canvas, calls } = recordingCanvas();
    new LossChart(canvas).draw([{ step: 0, loss: 1 }, { step: 1, loss: 0.5 }, { step: 2, loss: 0.1 }], 'CPU');
    const ys = pathIn(calls, '#2563eb').map((p) => p[1]);
    expect(ys[0]).toBeLessThan(ys[1]);
    expect(ys[1]).toBeLessThan(ys[2]);
  });

  it('a validation curve below the training curve is inside the y range too (the range is over both curves)', () => {
    const { canvas, calls } = recordingCanvas();
    // Training 1 → 0.5; validation 1 → 0.01: the range is 0.01 … 1 (two decades), not 0.5 … 1.
    new LossChart(canvas).draw([{ step: 0, loss: 1 }, { step: 10, loss: 0.5 }], 'CPU', [{ step: 0, loss: 1 }, { step: 10, loss: 0.01 }]);
    const all = [...pathIn(calls, '#2563eb'), ...pathIn(calls, '#ea580c')];
    for (const [, y] of all) {
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(H);
    }
    const val = pathIn(calls, '#ea580c');
    // The lowest loss of both (validation's 0.01) is the bottom of the plot: below training's 0.5.
    expect(val[1][1]).toBeGreaterThan(pathIn(calls, '#2563eb')[1][1]);
  });

  it('a validation loss of 0 turns the log axis off (log 0 is −∞): every point finite, the axis named "loss per example"', () => {
    const { canvas, calls } = recordingCanvas();
    new LossChart(canvas).draw([{ step: 0, loss: 1 }, { step: 10, loss: 0.5 }], 'CPU', [{ step: 0, loss: 0.2 }, { step: 10, loss: 0 }]);
    for (const [x, y] of [...pathIn(calls, '#2563eb'), ...pathIn(calls, '#ea580c')]) {
      expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
    }
    const texts = calls.filter((c) => c[0] === 'fillText').map((c) => c[1]);
    expect(texts).toContain('loss per example');
    expect(texts).not.toContain('loss per example (log scale)');
  });

  it('a positive curve on the log axis names it "loss per example (log scale)": every point is the mean per example', () => {
    const { canvas, calls } = recordingCanvas();
    new LossChart(canvas).draw([{ step: 0, loss: 1 }, { step: 10, loss: 0.001 }], 'CPU');
    const texts = calls.filter((c) => c[0] === 'fillText').map((c) => c[1]);
    expect(texts).toContain('loss per example (log scale)');
    expect(texts).not.toContain('loss per example');
  });

  it('the label gives the first and the last point: step 0 loss 1.000 to step 100 loss 0.1000 (per example)', () => {
    const { canvas, attrs } = recordingCanvas();
    new LossChart(canvas).draw([{ step: 0, loss: 1 }, { step: 50, loss: 0.5 }, { step: 100, loss: 0.1 }], 'CPU');
    expect(attrs.get('aria-label')).toBe('Loss curve on CPU: 3 points, step 0 loss 1.000 to step 100 loss 0.1000 (per example)');
  });
});

describe('logTicks over more than two decades', () => {
  it('starts at the first whole decade inside the range: 10^−2.5 … 10^0.3 gives −2, −1, 0 (not −3, below the plot)', () => {
    // hi − lo = 2.8 ≥ 2: whole decades, step ⌈(⌈0.3⌉ − ⌊−2.5⌋) / 6⌉ = ⌈4 / 6⌉ = 1, from ⌈−2.5⌉ = −2 to 0.3.
    expect(logTicks(-2.5, 0.3)).toEqual([-2, -1, 0]);
  });
});

describe('logTicks over one to two decades: 1, 2 and 5 times the powers of ten', () => {
  const values = (lo: number, hi: number) => logTicks(Math.log10(lo), Math.log10(hi)).map((t) => Number((10 ** t).toPrecision(6)));

  it('the clouds CSV after 100 steps, loss 0.41801 → 0.0047472 (1.95 decades): 0.005 … 0.2, not 0.1 … 0.4 at the top', () => {
    // Decades 10^−3 … 10^0; of 1, 2, 5 × each, those in [0.0047472, 0.41801]: 0.005, 0.01, 0.02, 0.05, 0.1, 0.2.
    expect(values(0.0047472, 0.41801)).toEqual([0.005, 0.01, 0.02, 0.05, 0.1, 0.2]);
  });

  it('exactly one decade, 0.1 … 1: 0.1, 0.2, 0.5, 1 (both ends are ticks)', () => {
    expect(values(0.1, 1)).toEqual([0.1, 0.2, 0.5, 1]);
  });

  it('the lowest tick is in the lower half of the axis (the crowding it mends: every tick was in the top third, 0.1 at 68 % of the height)', () => {
    const lo = Math.log10(0.0047472);
    const hi = Math.log10(0.41801);
    // Height above the bottom, as a share of the axis: 0.005 is at (log 0.005 − lo) / (hi − lo) ≈ 0.01.
    const lowest = Math.min(...logTicks(lo, hi));
    expect((lowest - lo) / (hi - lo)).toBeLessThan(0.5);
  });

  it('under one decade (0.32 … 0.69) keeps the round values in between: 0.4, 0.5, 0.6', () => {
    expect(values(0.32, 0.69)).toEqual([0.4, 0.5, 0.6]);
  });
});

describe('CurveIndex: range and runs', () => {
  it('an infinite loss is left out of the lowest and highest (the y range stays finite)', () => {
    const points: LossPoint[] = [{ step: 0, loss: 2 }, { step: 1, loss: Infinity }, { step: 2, loss: 0.5 }, { step: 3, loss: -Infinity }];
    const index = new CurveIndex().sync(points);
    expect([index.lowest, index.highest]).toEqual([0.5, 2]);
  });

  it('another array is read afresh: a curve with a NaN before it does not keep the log axis off', () => {
    const index = new CurveIndex().sync([{ step: 0, loss: NaN }]);
    expect(index.positive).toBe(false);
    expect(index.sync([{ step: 0, loss: 0.3 }, { step: 1, loss: 0.2 }]).positive).toBe(true);
  });

  it('wasm, then the CPU, then wasm again: three runs, the axis says so', () => {
    const points: LossPoint[] = [{ step: 0, loss: 1, kind: 'wasm' }, { step: 1, loss: 1, kind: 'cpu' }, { step: 2, loss: 1, kind: 'wasm' }];
    expect(new CurveIndex().sync(points).runs).toEqual(['wasm', 'cpu', 'wasm']);
  });
});
