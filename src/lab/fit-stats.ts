/**
 * The Output's fit view in numbers, no DOM (fit-plot.ts draws it): where the net's output line is sampled over one
 * input feature, the plot's extents (the points' and the line's), and how well a regression fits — RMSE and
 * R² = 1 − SS_res / SS_tot — on the training and the validation rows. All in float64.
 */
import { SpecError } from '../errors.ts';
import { MAX_DRAWN_POINTS, type Extent } from './boundary.ts';
import type { Loss } from '../spec.ts';

/** The most points a plot draws: the boundary's. */
export const MAX_PLOTTED_POINTS = MAX_DRAWN_POINTS;

/** How many points the output line is sampled at across the plot (a forward pass each, on the CPU). */
export const CURVE_SAMPLES = 241;

/** `count` values evenly spaced over [lo, hi], both ends included (lo = hi: `count` times lo). */
export function curveXs(lo: number, hi: number, count = CURVE_SAMPLES): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) throw new SpecError('curve.range', `needs finite lo ≤ hi, got ${lo} … ${hi}`);
  if (!Number.isInteger(count) || count < 2) throw new SpecError('curve.count', `needs a whole number of at least 2 samples, got ${count}`);
  return Array.from({ length: count }, (_, k) => (k === count - 1 ? hi : lo + ((hi - lo) * k) / (count - 1)));
}

/** The smallest and largest finite value (NaN and ±Infinity, a diverged net's, left out), or undefined when none is. */
export function finiteRange(values: Iterable<number>): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/**
 * A range with room at both ends: 5 % of its span each side; a range of one value ±10 % of it (±1 at 0), so a point
 * is never on the edge; none (undefined) is −1 … 1.
 */
export function padRange(range: [number, number] | undefined): [number, number] {
  if (!range) return [-1, 1];
  const [lo, hi] = range;
  const pad = hi > lo ? (hi - lo) / 20 : lo !== 0 ? Math.abs(lo) / 10 : 1;
  return [lo - pad, hi + pad];
}

/** The x extent of the one-feature plot: the points' x (training and validation), padded (padRange). The line is sampled over it. */
export function curveXExtent(xs: Iterable<number>): [number, number] {
  return padRange(finiteRange(xs));
}

/** The one-feature plot's extent: x as curveXExtent, y over the points' targets and the line's values both, padded. */
export function curveExtent(x: [number, number], ys: Iterable<number>, line: Iterable<number>): Extent {
  const [ylo, yhi] = padRange(finiteRange(concat(ys, line)));
  return [x[0], x[1], ylo, yhi];
}

/** The ŷ-against-y plot's extent: one range for both axes (targets and outputs together, padded), so y = x is the diagonal. */
export function parityExtent(targets: Iterable<number>, outputs: Iterable<number>): Extent {
  const [lo, hi] = padRange(finiteRange(concat(targets, outputs)));
  return [lo, hi, lo, hi];
}

function* concat(a: Iterable<number>, b: Iterable<number>): Iterable<number> {
  yield* a;
  yield* b;
}

/** RMSE and R² of a net's outputs on some rows; `r2` undefined where the targets do not vary (SS_tot = 0) or there are no rows. */
export interface FitScores {
  rows: number;
  rmse: number;
  r2: number | undefined;
}

/**
 * RMSE = √(SS_res / (n·K)) and R² = 1 − SS_res / SS_tot of outputs A (K × n, the engine's layout: A[k·n + c]) against
 * targets y (n rows of K), where SS_res = Σ (y − ŷ)² over every row and output and SS_tot = Σ (y − ȳ_k)², each output
 * about its own mean (one output: the textbook R²; several: their residuals over their variances pooled).
 */
export function fitScores(y: readonly (readonly number[])[], A: ArrayLike<number>, K: number): FitScores {
  const n = y.length;
  if (!Number.isInteger(K) || K < 1) throw new SpecError('fit.outputs', `needs a whole number of outputs ≥ 1, got ${K}`);
  if (A.length !== K * n) throw new SpecError('fit.outputs', `has ${A.length} values for ${n} rows of ${K} output${K === 1 ? '' : 's'} (needs ${K * n})`);
  y.forEach((row, c) => {
    if (row.length !== K) throw new SpecError(`fit.y[${c}]`, `has ${row.length} values, the net ${K} output${K === 1 ? '' : 's'}`);
  });
  if (n === 0) return { rows: 0, rmse: NaN, r2: undefined };
  let res = 0;
  let tot = 0;
  for (let k = 0; k < K; k++) {
    let mean = 0;
    for (let c = 0; c < n; c++) mean += y[c][k];
    mean /= n;
    for (let c = 0; c < n; c++) {
      res += (y[c][k] - A[k * n + c]) ** 2;
      tot += (y[c][k] - mean) ** 2;
    }
  }
  return { rows: n, rmse: Math.sqrt(res / (n * K)), r2: tot > 0 ? 1 - res / tot : undefined };
}

/** A score at 4 significant digits (a diverged net's NaN as "not a number"). */
function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(4)).toString().replace('-', '−') : 'not a number';
}

/** "RMSE 0.1 and R² 0.95 on 3 training rows": one set of rows' scores, as the Output's sentence says them. */
export function scoresPhrase(s: FitScores, rows: string): string {
  const r2 = s.r2 === undefined ? 'R² not defined (the targets are all equal)' : `R² ${fmt(s.r2)}`;
  return `RMSE ${fmt(s.rmse)} and ${r2} on ${s.rows} ${rows}${s.rows === 1 ? '' : 's'}`;
}

/**
 * The Output's sentence on a regression's fit: the training rows' scores, and the validation rows' where there are any;
 * for a net of several `outputs`, that they are pooled (fitScores): R² from the summed squares, which is neither each
 * output's R² nor their mean (scikit-learn's default r2_score), so a reader checking it elsewhere knows which it is.
 */
export function scoresLine(train: FitScores, validation?: FitScores, outputs = 1): string {
  const v = validation && validation.rows > 0 ? `; ${scoresPhrase(validation, 'validation row')}` : '';
  const pooled = outputs > 1 ? `; each score over the ${outputs} outputs pooled (R² = 1 − ΣSS_res / ΣSS_tot, each output about its own mean; not the mean of the outputs' R²)` : '';
  return `${scoresPhrase(train, 'training row')}${v}${pooled}.`;
}

/** Rows drawn of n: all up to MAX_PLOTTED_POINTS, else that many evenly spaced (the same on every redraw). */
export function drawnRows(n: number): number[] {
  const m = Math.min(n, MAX_PLOTTED_POINTS);
  return Array.from({ length: m }, (_, j) => Math.floor((j * n) / m));
}

/**
 * The one-feature plot's vertical axis name and each drawn output's legend name. A regression's axis is its label's (the
 * net's ŷ, or "outputs", without one), its legend the outputs' own names. A classification's outputs are probabilities
 * and its targets 0 or 1 (datasets.ts target: y = [1] for the second of two classes, one-hot for more), not values of
 * the label: its axis says so — "P(pass): 1 pass, 0 fail", "probability (targets one-hot)" — and each of several
 * outputs is named with its class ("ŷ2 = P(versicolor)"; "class k" where the data has no names, as the boundary's
 * legend); `outputs`: the net's (outputNames may be the first few). An axis named by the label column ("species", 0 … 1) read as if the classes were numbers.
 */
export function curveNames(o: { loss: Loss; label?: string; classNames?: readonly string[]; outputNames: readonly string[]; outputs?: number }): { axis: string; legend: string[] } {
  const K = o.outputNames.length;
  if (o.loss === 'mse') return { axis: o.label ?? (K === 1 ? o.outputNames[0] : 'outputs'), legend: [...o.outputNames] };
  // The net's outputs, all of them: the legend names the first MAX_OUTPUT_LINES (outputNames), the data every class.
  const classes = Math.max(2, o.outputs ?? K);
  const cls = (k: number) => (o.classNames && o.classNames.length === classes ? o.classNames[k] : `class ${k}`);
  if (K === 1) return { axis: o.classNames && o.classNames.length === 2 ? `P(${cls(1)}): 1 ${cls(1)}, 0 ${cls(0)}` : `P(${cls(1)}): targets 0 or 1`, legend: [...o.outputNames] };
  // Several sigmoid outputs under BCE (a spec's multi-label net): each output the probability of its own target being
  // 1, not one of K classes — "one-hot" and "P(class k)" would say what such targets are not.
  if (o.loss === 'bce') return { axis: 'probability (each output of its own target, 0 or 1)', legend: o.outputNames.map((name, k) => `${name} = P(y${k + 1} = 1)`) };
  return { axis: 'probability (targets one-hot)', legend: o.outputNames.map((name, k) => `${name} = P(${cls(k)})`) };
}

/** What the Output shows for this net: the curve (one feature), ŷ against y (a regression of more), or the table alone. */
export function fitView(net: { inputs: number; loss: Loss }): 'curve' | 'parity' | 'none' {
  if (net.inputs === 1) return 'curve';
  return net.loss === 'mse' ? 'parity' : 'none';
}
