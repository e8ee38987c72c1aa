/**
 * A loss curve (LossPoint[], in step order) kept for drawing: its steps and losses in typed arrays, the lowest and
 * highest finite loss of each block of BLOCK points, of the whole curve, whether every loss is positive and the
 * backends it ran on — brought up to date from the points added since the last look. The session pushes points,
 * cuts the array's length (a failed Fit, a lost device) and makes another array (Reset, a new net); a curve cut is
 * read again whole. So a redraw costs the canvas's width and the curve's length / BLOCK, not a pass over every
 * point: an afternoon's curve (a Train of mini-batches adds a point a step) is redrawn every frame while training.
 * No DOM.
 */
import type { BackendKind } from '../backend.ts';
import type { LossPoint } from './session.ts';

/** Points a block (the unit of the lowest / highest loss kept). */
const BLOCK = 64;

/** A point's pixel column, from its step. */
export type ColumnOf = (step: number) => number;

export class CurveIndex {
  private source: readonly LossPoint[] | null = null;
  /** The last point read (the array's point at n − 1): another object there means the curve was cut and grew again. */
  private lastRead: LossPoint | undefined;
  private steps: Float64Array = new Float64Array(1024);
  private losses: Float64Array = new Float64Array(1024);
  /** Per block: the index of its lowest and highest finite loss (−1: none finite). */
  private blockLow: Int32Array = new Int32Array(16);
  private blockHigh: Int32Array = new Int32Array(16);
  /** Points read. */
  n = 0;
  /** The lowest and highest finite loss (Infinity, −Infinity when none is finite). */
  lowest = Infinity;
  highest = -Infinity;
  /** Whether every loss is > 0 (NaN is not): a log axis can show them. */
  positive = true;
  /** The backends the points name, one entry a run (the points without one leave a run as it is). */
  runs: BackendKind[] = [];

  /** Read the points of `points` not read yet (all of them when it is another array, or was cut). */
  sync(points: readonly LossPoint[]): this {
    if (points !== this.source || points.length < this.n || (this.n > 0 && points[this.n - 1] !== this.lastRead)) this.clear(points);
    for (let k = this.n; k < points.length; k++) this.append(points[k]);
    this.lastRead = points[this.n - 1];
    return this;
  }

  step(k: number): number {
    return this.steps[k];
  }

  loss(k: number): number {
    return this.losses[k];
  }

  /** The indices of the lowest and highest finite loss in [first, end) (the first such each), −1 when none is finite. */
  extremes(first: number, end: number): { low: number; high: number } {
    let low = -1;
    let high = -1;
    const take = (lo: number, hi: number): void => {
      if (lo >= 0 && (low < 0 || this.losses[lo] < this.losses[low])) low = lo;
      if (hi >= 0 && (high < 0 || this.losses[hi] > this.losses[high])) high = hi;
    };
    let k = first;
    for (; k < end && k % BLOCK !== 0; k++) if (Number.isFinite(this.losses[k])) take(k, k);
    for (; k + BLOCK <= end; k += BLOCK) take(this.blockLow[k / BLOCK], this.blockHigh[k / BLOCK]);
    for (; k < end; k++) if (Number.isFinite(this.losses[k])) take(k, k);
    return { low, high };
  }

  /**
   * The points to draw, by index, for pixel columns `column(step)` (non-decreasing in the step): of each column's
   * points, its first, lowest, highest and last, in order — each column's range found by bisection.
   */
  drawn(column: ColumnOf): number[] {
    const out: number[] = [];
    let k = 0;
    while (k < this.n) {
      const c = column(this.steps[k]);
      // The first index past the column (columns do not decrease along the curve).
      let lo = k + 1;
      let hi = this.n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (column(this.steps[mid]) === c) lo = mid + 1;
        else hi = mid;
      }
      const end = lo;
      const { low, high } = this.extremes(k, end);
      const picks = [k, end - 1];
      if (low >= 0) picks.push(low);
      if (high >= 0) picks.push(high);
      for (const i of [...new Set(picks)].sort((a, b) => a - b)) out.push(i);
      k = end;
    }
    return out;
  }

  private clear(points: readonly LossPoint[]): void {
    this.source = points;
    this.n = 0;
    this.lowest = Infinity;
    this.highest = -Infinity;
    this.positive = true;
    this.runs = [];
  }

  private append(p: LossPoint): void {
    const k = this.n;
    if (k === this.steps.length) {
      this.steps = grown(this.steps);
      this.losses = grown(this.losses);
    }
    const b = Math.floor(k / BLOCK);
    if (b === this.blockLow.length) {
      this.blockLow = grownInt(this.blockLow);
      this.blockHigh = grownInt(this.blockHigh);
    }
    this.steps[k] = p.step;
    this.losses[k] = p.loss;
    if (k % BLOCK === 0) {
      this.blockLow[b] = -1;
      this.blockHigh[b] = -1;
    }
    if (Number.isFinite(p.loss)) {
      const lo = this.blockLow[b];
      const hi = this.blockHigh[b];
      if (lo < 0 || p.loss < this.losses[lo]) this.blockLow[b] = k;
      if (hi < 0 || p.loss > this.losses[hi]) this.blockHigh[b] = k;
      if (p.loss < this.lowest) this.lowest = p.loss;
      if (p.loss > this.highest) this.highest = p.loss;
    }
    if (!(p.loss > 0)) this.positive = false;
    if (p.kind && p.kind !== this.runs[this.runs.length - 1]) this.runs.push(p.kind);
    this.n = k + 1;
  }
}

function grown(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

function grownInt(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
