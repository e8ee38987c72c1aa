/**
 * The loss surface's numbers, pure CPU (no DOM, no WebGPU): L(θ1, θ2) over two chosen parameters, every other
 * parameter fixed at its current value (`lossGrid`), the training path's losses, the height scale and viridis
 * colour ramp, and the scene both views draw (`buildScene`) with its caption text. The grid goes through the
 * oracle's kernels (./eval.ts), so it is the same numbers whichever backend trains the net, and it is testable
 * in Node (test/lab-surface.test.ts) and runs in a worker (./surface-worker.ts).
 */
import { SpecError } from '../errors.ts';
import { type ParamId, paramKey, paramValue } from '../notation/names.ts';
import { minus } from '../notation/numbers.ts';
import { cloneParams, type Net, type Params } from '../spec.ts';
import { integerIn } from '../checks.ts';
import { lossEvaluator } from './eval.ts';

export interface SurfaceArgs {
  /** The net and its current parameters (not modified). */
  net: Net;
  params: Params;
  /** The batch, engine layout: X (inputs × n) and Y (outputs × n), row-major, one column per example. */
  X: Float32Array;
  Y: Float32Array;
  n: number;
  /** The two parameters varied, and their display names (e.g. 'w5', 'w6'). */
  p1: ParamId;
  p2: ParamId;
  names: [string, string];
  /** The loss's name as the net's notation writes it (symText of Naming.loss: 'E', 'J', …); default 'L'. */
  loss?: string;
  /**
   * Grid half-width around the current value, the same for both axes. Default, per axis: max(1, 2·|θ|), widened
   * to 1.1 × the farthest `path` point from the current value so that the whole path is on the surface.
   */
  radius?: number;
  /** Grid points per side (default 41); an even number is raised by one so that the centre is a grid point. */
  resolution?: number;
  /** (θ1, θ2) visited during training, drawn on the surface as a line; points outside the grid are left out. */
  path?: [number, number][];
  /** lossGrid(args) computed already (in a worker: ./surface-client.ts); otherwise show() computes it. */
  grid?: LossGrid;
}

export interface LossGrid {
  /** values[i2 * res + i1] = L(axis1[i1], axis2[i2]): row-major, θ1 varies fastest (a row is θ2 fixed). */
  values: Float32Array;
  res: number;
  axis1: number[];
  axis2: number[];
  /** The loss at the current parameters (also the grid's centre value). */
  current: number;
}

export const DEFAULT_RESOLUTION = 41;
const MIN_RESOLUTION = 3;
/** Cost is res² forward passes on the whole batch: 201² ≈ 40 000 is already seconds for a mid-sized net. */
const MAX_RESOLUTION = 201;
/** Above this many decades between min and max loss, height and colour follow log10 L. */
const LOG_DECADES = 3;
/** Path points evaluated and drawn at most (a long training run is subsampled evenly). */
const MAX_PATH_POINTS = 400;

// ---------------------------------------------------------------------------------------------------------
// The grid (pure).

function checkParamId(net: Net, p: ParamId, field: string): void {
  const layer = net.layers[p.layer];
  const ok = layer !== undefined && (p.kind === 'W'
    ? Number.isInteger(p.row) && Number.isInteger(p.col) && p.row >= 0 && p.col >= 0 && p.row < layer.units && p.col < layer.fanIn
    : Number.isInteger(p.index) && p.index >= 0 && p.index < (layer.bias === 'per-unit' ? layer.units : layer.bias === 'shared' ? 1 : 0));
  if (!ok) throw new SpecError(field, `${paramKey(p)} is not a parameter of this net`);
}

function setParam(net: Net, params: Params, p: ParamId, v: number): void {
  if (p.kind === 'W') params.W[p.layer][p.row * net.layers[p.layer].fanIn + p.col] = v;
  else params.b[p.layer][p.index] = v;
}

/** Centre, half-width and resolution of the grid: the one place both lossGrid and the path code read them. */
interface GridFrame {
  c1: number;
  c2: number;
  r1: number;
  r2: number;
  res: number;
}

function gridFrame(args: SurfaceArgs): GridFrame {
  const { net, params, p1, p2 } = args;
  checkParamId(net, p1, 'p1');
  checkParamId(net, p2, 'p2');
  if (paramKey(p1) === paramKey(p2)) throw new SpecError('p2', `must differ from p1 (both are ${paramKey(p1)})`);
  if (!(args.n >= 1) || args.X.length !== net.inputs * args.n || args.Y.length !== net.layers[net.layers.length - 1].units * args.n) {
    throw new SpecError('X', `the batch must be X (${net.inputs} × n) and Y (outputs × n) with n ≥ 1, got n = ${args.n}, X ${args.X.length}, Y ${args.Y.length} values`);
  }
  let res = integerIn(args.resolution ?? DEFAULT_RESOLUTION, 'resolution', MIN_RESOLUTION, MAX_RESOLUTION);
  if (res % 2 === 0) res += 1;
  const c1 = paramValue(net, params, p1);
  const c2 = paramValue(net, params, p2);
  if (args.radius !== undefined && !(Number.isFinite(args.radius) && args.radius > 0)) {
    throw new SpecError('radius', `must be a positive number, got ${args.radius}`);
  }
  const reach = (k: 0 | 1, c: number): number => Math.max(0, ...(args.path ?? []).map((q) => Math.abs(q[k] - c)).filter(Number.isFinite));
  const r1 = args.radius ?? Math.max(1, 2 * Math.abs(c1), 1.1 * reach(0, c1));
  const r2 = args.radius ?? Math.max(1, 2 * Math.abs(c2), 1.1 * reach(1, c2));
  return { c1, c2, r1, r2, res };
}

/**
 * res values centred on c, half-width r. NOTE: the offset r·k/h is computed from the index, so offsets are
 * exactly symmetric and the centre offset is exactly 0 — the centre grid point is the current parameters
 * bit for bit (the Float32Array then rounds c + offset, the same way for every use).
 */
function axis(c: number, r: number, res: number): number[] {
  const h = (res - 1) / 2;
  return Array.from({ length: res }, (_, i) => c + (r * (i - h)) / h);
}

/**
 * The loss over a (res × res) grid of (θ1, θ2) around the current values, every other parameter fixed. Pure:
 * args.params is copied, not modified. Cost: res² CPU forward passes over the whole batch.
 */
export function lossGrid(args: SurfaceArgs): LossGrid {
  const { c1, c2, r1, r2, res } = gridFrame(args);
  const axis1 = axis(c1, r1, res);
  const axis2 = axis(c2, r2, res);
  const evaluate = lossEvaluator(args.net, args.X, args.Y, args.n);
  const current = evaluate(args.params);
  const work = cloneParams(args.params);
  const values = new Float32Array(res * res);
  for (let i2 = 0; i2 < res; i2++) {
    setParam(args.net, work, args.p2, axis2[i2]);
    for (let i1 = 0; i1 < res; i1++) {
      setParam(args.net, work, args.p1, axis1[i1]);
      values[i2 * res + i1] = evaluate(work);
    }
  }
  return { values, res, axis1, axis2, current };
}

/** Path points (at most MAX_PATH_POINTS, evenly subsampled, the last kept) with their exact losses. */
function pathLosses(args: SurfaceArgs): { t1: number; t2: number; loss: number }[] {
  const path = (args.path ?? []).filter((q) => Number.isFinite(q[0]) && Number.isFinite(q[1]));
  if (path.length === 0) return [];
  const step = Math.max(1, Math.ceil(path.length / MAX_PATH_POINTS));
  const picked = path.filter((_, k) => k % step === 0 || k === path.length - 1);
  const evaluate = lossEvaluator(args.net, args.X, args.Y, args.n);
  const work = cloneParams(args.params);
  return picked.map(([t1, t2]) => {
    setParam(args.net, work, args.p1, t1);
    setParam(args.net, work, args.p2, t2);
    return { t1, t2, loss: evaluate(work) };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Height scale and colour (shared by the 3-D view and the heatmap).

/** Maps a loss to [0, 1]: linear, or log10 when the range spans more than LOG_DECADES decades. */
interface HeightScale {
  kind: 'linear' | 'log';
  min: number;
  max: number;
  /** Decades between min and max (0 when min ≤ 0). */
  decades: number;
  /** NaN and ±∞ map to 1 (the top), so a blown-up region shows as a plateau, not a hole. */
  h(loss: number): number;
}

function heightScale(values: ArrayLike<number>): HeightScale {
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min > max) { min = 0; max = 1; } // no finite value at all
  const decades = min > 0 ? Math.log10(max / min) : 0;
  if (decades > LOG_DECADES) {
    const lo = Math.log10(min);
    return { kind: 'log', min, max, decades, h: (v) => (Number.isFinite(v) ? clamp01((Math.log10(Math.max(v, min)) - lo) / decades) : 1) };
  }
  const span = max - min;
  // NOTE: a flat surface (span 0, e.g. a parameter that feeds nothing) is drawn at half height.
  return { kind: 'linear', min, max, decades, h: (v) => (Number.isFinite(v) ? (span > 0 ? clamp01((v - min) / span) : 0.5) : 1) };
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Viridis as a degree-6 polynomial (the same coefficients as viridis() in shaders/surface.wgsl); 0 … 255. */
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
  [0.1050930431085774, 1.404613529898575, 1.384590162594685],
  [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
  [-4.634230498983486, -5.799100973351585, -19.33244095627987],
  [6.228269936347081, 14.17993336680509, 56.69055260068105],
  [4.776384997670288, -13.74514537774601, -65.35303263337234],
  [-5.435455855934631, 4.645852612178535, 26.3124352495832],
];

export function viridis(t: number): [number, number, number] {
  const x = clamp01(t);
  const out: [number, number, number] = [0, 0, 0];
  for (let ch = 0; ch < 3; ch++) {
    let acc = 0;
    for (let k = VIRIDIS.length - 1; k >= 0; k--) acc = acc * x + VIRIDIS[k][ch];
    out[ch] = Math.round(clamp01(acc) * 255);
  }
  return out;
}

/**
 * 4 significant digits, exponent form outside 1e-3 … 1e5; a negative number with the text minus sign (−), as every
 * other number on the page (the diagram's −0.051): its axes and caption read "w17 ∈ [-2.247, 0.749]".
 */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  const text = a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(4))) : v.toExponential(2);
  return minus(text);
}

// ---------------------------------------------------------------------------------------------------------
// The scene: what both views draw, in surface coordinates (x = θ1 offset / r1, y = height, z = θ2 offset / r2).

export interface Scene {
  grid: LossGrid;
  frame: GridFrame;
  scale: HeightScale;
  names: [string, string];
  /** The loss's letter (SurfaceArgs.loss, 'L' when not given): the colour bar, the height axis and the heatmap's line. */
  loss: string;
  /** Runs of path points inside the grid (a run breaks where the path leaves it), surface coordinates. */
  path: [number, number, number][][];
  /** The current point, surface coordinates. */
  here: [number, number, number];
}

export function buildScene(args: SurfaceArgs): Scene {
  const frame = gridFrame(args);
  const grid = args.grid ?? lossGrid(args);
  const scale = heightScale(grid.values);
  const runs: [number, number, number][][] = [];
  let run: [number, number, number][] = [];
  for (const q of pathLosses(args)) {
    const x = (q.t1 - frame.c1) / frame.r1;
    const z = (q.t2 - frame.c2) / frame.r2;
    if (Math.abs(x) <= 1 + 1e-9 && Math.abs(z) <= 1 + 1e-9) {
      run.push([x, scale.h(q.loss), z]);
    } else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return { grid, frame, scale, names: args.names, loss: args.loss ?? 'L', path: runs.filter((r) => r.length > 1), here: [0, scale.h(grid.current), 0] };
}

/** The heatmap's colour-bar title: the loss's letter, "(log)" after it on a log scale ("E", "J (log)"). */
export function barTitle(s: Pick<Scene, 'loss' | 'scale'>): string {
  return s.scale.kind === 'log' ? `${s.loss} (log)` : s.loss;
}

/** The 3-D view's height-axis title: the loss's letter and the top of the scale ("E 0.3", "J 12.5 (log scale)"). */
export function heightTitle(s: Pick<Scene, 'loss' | 'scale'>): string {
  return `${s.loss} ${fmt(s.scale.max)}${s.scale.kind === 'log' ? ' (log scale)' : ''}`;
}

/**
 * The caption's words for the scale, in the loss's letter (Scene.loss, as barTitle and heightTitle: 'E' in lecture
 * 2-2-1-nobias, where they said "log₁₀ L" under a colour bar titled "E (log)").
 */
export function describeScale({ scale, loss }: Pick<Scene, 'loss' | 'scale'>): string {
  return scale.kind === 'log'
    ? `height and colour follow log₁₀ ${loss} (the range spans ${scale.decades.toFixed(1)} decades)`
    : `height and colour are linear in ${loss}`;
}

export function axisText(name: string, a: number[]): string {
  return `${name} ∈ [${fmt(a[0])}, ${fmt(a[a.length - 1])}]`;
}

/** A tick value of the heatmap: the point it is written at and how it is aligned there (canvas textAlign, textBaseline). */
export interface TickLabel {
  text: string;
  x: number;
  y: number;
  align: 'left' | 'center' | 'right';
  baseline: 'top' | 'middle' | 'bottom';
}

/**
 * The heatmap's tick values around its plot `box`: θ1's (low, middle, high) 4 px under it, θ2's 4 px left of it. The
 * end ones are aligned inwards — θ1's first starts at the box's left edge, its last ends at the right edge; θ2's lowest
 * sits on the bottom edge, its highest hangs from the top — so the two in the bottom-left corner lie apart: centred on
 * the corner, θ1's "−8.373" reached left under θ2's "−2.247", 2 px below it.
 */
export function heatmapTicks(box: { left: number; top: number; width: number; height: number }, ticks1: string[], ticks2: string[]): TickLabel[] {
  const bottom = box.top + box.height;
  const ends = <T>(k: number, first: T, middle: T, last: T): T => (k === 0 ? first : k === 2 ? last : middle);
  return [
    ...ticks1.map((text, k): TickLabel => ({ text, x: box.left + (k * box.width) / 2, y: bottom + 4, align: ends(k, 'left', 'center', 'right'), baseline: 'top' })),
    ...ticks2.map((text, k): TickLabel => ({ text, x: box.left - 4, y: bottom - (k * box.height) / 2, align: 'right', baseline: ends(k, 'bottom', 'middle', 'top') })),
  ];
}
