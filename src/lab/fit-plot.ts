/**
 * The Output region for a net that is not 2-D classification or MNIST (views.ts drawViews): with one input feature, the
 * data points (x, y) and the net's output as a line over x; for a regression of two features or more, each row's output
 * ŷ against its target y with the line y = x; for every regression, RMSE and R² on the training and validation rows in
 * the sentence under it (fit-stats.ts); and below, the first examples' targets and outputs as a table. Everything on the
 * CPU from the current weights (predictInChunks), as the decision boundary is.
 */
import type { Naming } from '../notation/names.ts';
import { fmtValue, minus } from '../notation/numbers.ts';
import { symText } from '../notation/symbols.ts';
import { groupDigits } from '../notation/cost.ts';
import { batchFrom, columnsFromRows } from '../spec.ts';
import { BOUNDARY_TEXT_PX, BOUNDARY_WORK, drawAxes, forwardWork, predictInChunks, type Extent } from './boundary.ts';
import { $, fillRow } from './dom.ts';
import { curveExtent, curveNames, curveXExtent, curveXs, CURVE_SAMPLES, drawnRows, fitScores, MAX_PLOTTED_POINTS, fitView, parityExtent, scoresLine, type FitScores } from './fit-stats.ts';
import { fitCanvas } from './loss-chart.ts';
import { drawMarker, markerRadius } from './markers.ts';
import { palette, type Palette } from './palette.ts';
import type { OutputShown } from './output-shown.ts';
import type { PresetData } from './presets.ts';
import type { LabSession } from './session.ts';
import { examplesShown } from './words.ts';

/**
 * Output k's colour in scheme `pal`: Okabe–Ito as the boundary's classes (palette.ts plot.classes), less its yellow (a
 * thin line of it is lost on white).
 */
const outputColours = (pal: Palette): readonly string[] => pal.plot.classes.filter((c) => c !== '#F0E442');
/** The most outputs drawn, a line (and points) each; the others are in the table. */
export const MAX_OUTPUT_LINES = 7;
/** Output k's line dash (canvas pixels per CSS pixel 1): a second cue beside its colour, as markerPath is for points. */
const DASHES: readonly number[][] = [[], [7, 4], [2, 3], [9, 3, 2, 3], [4, 4]];
/** The one output's line (palette.ts plot.fitLine): vermilion, apart from the points' blue for every colour vision, and a line, not dots. */

/** One legend row: a point's marker (hollow: validation), a line's swatch, or both. */
interface LegendRow {
  label: string;
  marker?: { k: number; colour: string; hollow?: boolean };
  line?: { colour: string; dash: readonly number[] };
}

/**
 * A small legend (as the boundary's drawLegend): each row's swatch and label, in the corner of the four where the fewest
 * of `taken` (the points' and the line's canvas positions) lie under it — top right first (in the top-right corner
 * it hid the crest of a sine's points and line), top left under the vertical axis's name, bottom left, bottom right
 * over the horizontal one's.
 */
function drawKey(ctx: CanvasRenderingContext2D, rows: readonly LegendRow[], W: number, H: number, px: number, taken: readonly (readonly [number, number])[], pal: Palette): void {
  const font = Math.round(BOUNDARY_TEXT_PX * px);
  const pad = Math.round(font / 2);
  const line = Math.round(font * 1.4);
  const swatch = 2 * font;
  ctx.save();
  ctx.font = `${font}px system-ui, sans-serif`;
  const textW = Math.max(...rows.map((r) => ctx.measureText(r.label).width));
  const boxW = pad * 3 + swatch + textW;
  const boxH = pad * 2 + line * rows.length - (line - font);
  const corners: [number, number][] = [[W - boxW - 4, 4], [3.5 * font, 2 + font * 1.6], [3.5 * font, H - boxH - font * 1.6], [W - boxW - 4, H - boxH - font * 2.8]];
  const under = ([x, y]: [number, number]) => taken.filter(([a, b]) => a >= x && a <= x + boxW && b >= y && b <= y + boxH).length;
  const counts = corners.map(under);
  const [x0, y0] = corners[counts.indexOf(Math.min(...counts))];
  ctx.fillStyle = pal.plot.fitLegend;
  ctx.fillRect(x0, y0, boxW, boxH);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  rows.forEach((r, i) => {
    const y = y0 + pad + i * line + font / 2;
    if (r.line) strokeLine(ctx, [[x0 + pad, y], [x0 + pad + swatch, y]], r.line.colour, r.line.dash, px);
    if (r.marker) drawMarker(ctx, r.marker.k, x0 + pad + swatch / 2, y, 0.35 * font, r.marker.colour, r.marker.hollow, px, pal);
    ctx.fillStyle = pal.plot.text;
    ctx.fillText(r.label, x0 + pad * 2 + swatch, y);
  });
  ctx.restore();
}

/** A polyline through `at` (a non-finite point breaks it: a diverged net's NaN outputs leave a gap). */
function strokeLine(ctx: CanvasRenderingContext2D, at: readonly (readonly [number, number])[], colour: string, dash: readonly number[], px: number): void {
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2.5 * px;
  ctx.lineJoin = 'round';
  ctx.setLineDash(dash.map((d) => d * px));
  ctx.beginPath();
  let open = false;
  for (const [x, y] of at) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      open = false;
      continue;
    }
    if (open) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
    open = true;
  }
  ctx.stroke();
  ctx.restore();
}

function toCanvas(extent: Extent, W: number, H: number): (a: number, b: number) => [number, number] {
  const [xmin, xmax, ymin, ymax] = extent;
  return (a, b) => [((a - xmin) / (xmax - xmin)) * W, ((ymax - b) / (ymax - ymin)) * H];
}

/** Rows of points: column `k` of each target row (or of the outputs, K × n), for the plot. */
interface Rows {
  x: (c: number, k: number) => number;
  y: (c: number, k: number) => number;
  n: number;
}

/** The points of the drawn outputs, training filled and validation hollow; returns their canvas centres (drawAxes keeps clear of them). */
function pointsAt(sets: readonly { rows: Rows; hollow: boolean }[], K: number, at: (a: number, b: number) => [number, number]): { k: number; hollow: boolean; p: [number, number] }[] {
  const out: { k: number; hollow: boolean; p: [number, number] }[] = [];
  for (const { rows, hollow } of sets) {
    for (const c of drawnRows(rows.n)) for (let k = 0; k < K; k++) out.push({ k, hollow, p: at(rows.x(c, k), rows.y(c, k)) });
  }
  return out;
}

function drawPoints(ctx: CanvasRenderingContext2D, pts: ReturnType<typeof pointsAt>, K: number, radius: number, px: number, pal: Palette): void {
  ctx.save();
  const colours = outputColours(pal);
  for (const { k, hollow, p } of pts) if (Number.isFinite(p[0]) && Number.isFinite(p[1])) drawMarker(ctx, k, p[0], p[1], radius, K === 1 ? pal.plot.classes[0] : colours[k], hollow, px, pal);
  ctx.restore();
}

function clearCanvas(ctx: CanvasRenderingContext2D, W: number, H: number, pal: Palette): void {
  ctx.clearRect(0, 0, W, H);
  ctx.fillStyle = pal.plot.background;
  ctx.fillRect(0, 0, W, H);
}

export interface CurveArgs {
  /** The training rows' one feature, and their targets (K each). */
  x: readonly number[];
  y: readonly (readonly number[])[];
  /** The validation rows', where there are any. */
  valX?: readonly number[];
  valY?: readonly (readonly number[])[];
  /** The plot's x range (curveXExtent) and the samples over it (curveXs), with the net's outputs there (K × samples). */
  xRange: [number, number];
  xs: readonly number[];
  line: ArrayLike<number>;
  /** Outputs drawn (at most MAX_OUTPUT_LINES). */
  K: number;
  /** The horizontal and the vertical axis's names. */
  names: [string, string];
  /** Each drawn output's name (the legend's, where there are several). */
  outputNames: readonly string[];
  pxPerCss?: number;
  /** The colours (default: the page's scheme now, palette()); the Output PNG passes LIGHT (output-png.ts). */
  pal?: Palette;
}

/** The data points (x, y) and the net's output over x as a line (one per output). Sets the canvas's accessible name. */
export function drawCurve(canvas: HTMLCanvasElement, a: CurveArgs): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context on the fit canvas');
  const W = canvas.width;
  const H = canvas.height;
  const px = a.pxPerCss ?? 1;
  const m = a.xs.length;
  const ys = [...a.y.flatMap((r) => r.slice(0, a.K)), ...(a.valY ?? []).flatMap((r) => r.slice(0, a.K))];
  // The K drawn outputs' rows of the line (K × m, the engine's layout).
  const extent = curveExtent(a.xRange, ys, Array.from({ length: a.K * m }, (_, i) => a.line[i]));
  const at = toCanvas(extent, W, H);
  const sets = [{ rows: { x: (c: number) => a.x[c], y: (c: number, k: number) => a.y[c][k], n: a.x.length }, hollow: false }];
  if (a.valX && a.valY && a.valX.length > 0) sets.push({ rows: { x: (c: number) => a.valX![c], y: (c: number, k: number) => a.valY![c][k], n: a.valX.length }, hollow: true });
  const pts = pointsAt(sets, a.K, at);
  const radius = markerRadius(W, H);
  // The page's scheme now (main.ts draws the views again when it changes), unless the caller names one.
  const pal = a.pal ?? palette();
  const colours = outputColours(pal);
  clearCanvas(ctx, W, H, pal);
  drawAxes(ctx, extent, W, H, a.names, px, { at: pts.map((q) => q.p), radius }, pal);
  drawPoints(ctx, pts, a.K, radius, px, pal);
  // Each output's line on the canvas, stroked, then kept clear of by the legend.
  const lines = Array.from({ length: a.K }, (_, k) => a.xs.map((x, j) => at(x, a.line[k * m + j])));
  lines.forEach((path, k) => strokeLine(ctx, path, a.K === 1 ? pal.plot.fitLine : colours[k], a.K === 1 ? [] : DASHES[k % DASHES.length], px));
  const hollow = sets.length > 1;
  const key: LegendRow[] = a.K === 1
    ? [{ label: 'training rows', marker: { k: 0, colour: pal.plot.classes[0] } }, ...(hollow ? [{ label: 'validation rows', marker: { k: 0, colour: pal.plot.classes[0], hollow: true } }] : []), { label: `the net's ${a.outputNames[0]}`, line: { colour: pal.plot.fitLine, dash: [] } }]
    : [...a.outputNames.slice(0, a.K).map((label, k) => ({ label, marker: { k, colour: colours[k] }, line: { colour: colours[k], dash: DASHES[k % DASHES.length] } })), ...(hollow ? [{ label: 'hollow: validation', marker: { k: 0, colour: pal.plot.hollowKey, hollow: true } }] : [])];
  drawKey(ctx, key, W, H, px, [...pts.map((q) => q.p), ...lines.flat()], pal);
  const [xmin, xmax, ymin, ymax] = extent.map((v) => minus(v.toFixed(2)));
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `The net's output ${a.K === 1 ? 'as a line' : `${a.outputNames.slice(0, a.K).join(', ')} as ${a.K} lines`} over ${a.names[0]} from ${xmin} to ${xmax} (computed on the CPU from the current weights), with the ${groupDigits(a.x.length)} training rows${sets.length > 1 ? ` and ${groupDigits(a.valX!.length)} validation rows (hollow)` : ''} as points; ${a.names[1]} from ${ymin} to ${ymax}.`);
}

export interface ParityArgs {
  /** Targets (n rows of K) and the net's outputs (K × n) on the training rows, and on the validation rows where there are any. */
  y: readonly (readonly number[])[];
  A: ArrayLike<number>;
  valY?: readonly (readonly number[])[];
  valA?: ArrayLike<number>;
  /** Outputs drawn (at most MAX_OUTPUT_LINES). */
  K: number;
  /** All outputs (the layout's row length). */
  outputs: number;
  /** The horizontal (target) and vertical (output) axis's names. */
  names: [string, string];
  outputNames: readonly string[];
  pxPerCss?: number;
  /** The colours (default: the page's scheme now, palette()); the Output PNG passes LIGHT (output-png.ts). */
  pal?: Palette;
}

/** Each row's output ŷ against its target y, with the line y = x (a perfect fit). Sets the canvas's accessible name. */
export function drawParity(canvas: HTMLCanvasElement, a: ParityArgs): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context on the fit canvas');
  const W = canvas.width;
  const H = canvas.height;
  const px = a.pxPerCss ?? 1;
  const n = a.y.length;
  const v = a.valY?.length ?? 0;
  const targets = [...a.y.flatMap((r) => r.slice(0, a.K)), ...(a.valY ?? []).flatMap((r) => r.slice(0, a.K))];
  const outs: number[] = [];
  for (let k = 0; k < a.K; k++) {
    for (let c = 0; c < n; c++) outs.push(a.A[k * n + c]);
    for (let c = 0; c < v; c++) outs.push(a.valA![k * v + c]);
  }
  const extent = parityExtent(targets, outs);
  const at = toCanvas(extent, W, H);
  const sets = [{ rows: { x: (c: number, k: number) => a.y[c][k], y: (c: number, k: number) => a.A[k * n + c], n }, hollow: false }];
  if (v > 0 && a.valA) sets.push({ rows: { x: (c: number, k: number) => a.valY![c][k], y: (c: number, k: number) => a.valA![k * v + c], n: v }, hollow: true });
  const pts = pointsAt(sets, a.K, at);
  const radius = markerRadius(W, H);
  // The page's scheme now (main.ts draws the views again when it changes), unless the caller names one.
  const pal = a.pal ?? palette();
  const colours = outputColours(pal);
  clearCanvas(ctx, W, H, pal);
  drawAxes(ctx, extent, W, H, a.names, px, { at: pts.map((q) => q.p), radius }, pal);
  strokeLine(ctx, [at(extent[0], extent[0]), at(extent[1], extent[1])], pal.plot.identity, [6, 4], px / 1.5);
  drawPoints(ctx, pts, a.K, radius, px, pal);
  const hollow = sets.length > 1;
  const key: LegendRow[] = [
    ...(a.K === 1 ? [{ label: 'training rows', marker: { k: 0, colour: pal.plot.classes[0] } }] : a.outputNames.slice(0, a.K).map((label, k) => ({ label, marker: { k, colour: colours[k] } }))),
    ...(hollow ? [{ label: a.K === 1 ? 'validation rows' : 'hollow: validation', marker: { k: 0, colour: a.K === 1 ? pal.plot.classes[0] : pal.plot.hollowKey, hollow: true } }] : []),
    { label: 'y = x', line: { colour: pal.plot.identity, dash: [6, 4] } },
  ];
  // The diagonal's samples too: a legend over it hid where a perfect fit lies.
  const diagonal = Array.from({ length: 41 }, (_, j) => at(extent[0] + ((extent[1] - extent[0]) * j) / 40, extent[0] + ((extent[1] - extent[0]) * j) / 40));
  drawKey(ctx, key, W, H, px, [...pts.map((q) => q.p), ...diagonal], pal);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `The net's output against the target for the ${groupDigits(n)} training rows${hollow ? ` and ${groupDigits(v)} validation rows (hollow)` : ''}, ${a.names[0]} across and ${a.names[1]} up, both from ${minus(extent[0].toFixed(2))} to ${minus(extent[1].toFixed(2))}; on the dashed line y = x the output equals the target.`);
}

/** An input's axis name: the CSV's column (" (standardised)" where the lab standardised it), else the net's own. */
function featureName(nm: Naming, d: PresetData): string {
  const f = d.imported?.features[0];
  if (f === undefined) return symText(nm.node({ kind: 'x', index: 0 }));
  return d.imported?.standardised ? `${f} (standardised)` : f;
}

/**
 * The Output for any net but 2-D classification and MNIST: the plot (fitView), its sentence (#fit-out) and the table.
 * Returns the plot drawn and its arguments (output-png.ts: the Output PNG draws it again, light), or why there is none.
 */
export function drawFitOutput(s: LabSession, d: PresetData, nm: Naming, val: string | undefined): OutputShown {
  const net = s.net;
  const K = net.layers[net.layers.length - 1].units;
  const shown = Math.min(K, MAX_OUTPUT_LINES);
  const L = net.layers.length - 1;
  const outputNames = Array.from({ length: shown }, (_, k) => symText(nm.node({ kind: 'a', layer: L, unit: k })));
  const label = d.imported?.label;
  const canvas = $<HTMLCanvasElement>('fit-plot');
  const out = $('fit-out');
  const view = fitView(net);
  const v = d.validation && d.validation.x.length > 0 ? d.validation : undefined;
  const n = s.lab.x.length;
  // A forward pass a training row (the scores, the ŷ-against-y points), a validation row and a sample of the line.
  const work = forwardWork(net) * (n + (v?.x.length ?? 0) + (view === 'curve' ? CURVE_SAMPLES : 0));
  const mse = net.loss === 'mse';
  canvas.hidden = view === 'none' || work > BOUNDARY_WORK;
  canvas.dataset.view = view;
  let sentence = '';
  let plot: OutputShown = { kind: 'none', no: view === 'none' ? 'tables' : 'tooBig' };
  if (view !== 'none' && work > BOUNDARY_WORK) {
    sentence = `Not plotted: a forward pass for each of the ${groupDigits(n)} rows on the CPU would hold the page for seconds with this net.`;
  } else if (view !== 'none') {
    const px = fitCanvas(canvas);
    const outputs = (x: number[][]) => predictInChunks(net, s.params, columnsFromRows(x, net.inputs, 'x').data, x.length);
    const A = mse || view === 'parity' ? outputs(s.lab.x) : undefined;
    const vA = v && (mse || view === 'parity') ? outputs(v.x) : undefined;
    const more = K > shown ? ` (the first ${shown} of its ${K} outputs; the table has them all)` : '';
    if (view === 'curve') {
      const xRange = curveXExtent([...s.lab.x.map((r) => r[0]), ...(v?.x.map((r) => r[0]) ?? [])]);
      const xs = curveXs(xRange[0], xRange[1]);
      const line = predictInChunks(net, s.params, Float32Array.from(xs), xs.length);
      // A classification's axis is a probability's, its legend each output's class (curveNames), not the label's values.
      const named = curveNames({ loss: net.loss, label, classNames: d.imported?.classNames, outputNames, outputs: K });
      const args: CurveArgs = { x: s.lab.x.map((r) => r[0]), y: s.lab.y, valX: v?.x.map((r) => r[0]), valY: v?.y, xRange, xs, line: subRows(line, K, shown, xs.length), K: shown, names: [featureName(nm, d), named.axis], outputNames: named.legend, pxPerCss: px };
      drawCurve(canvas, args);
      plot = { kind: 'curve', args, width: canvas.width, height: canvas.height };
      sentence = `The points are the rows' targets${v ? ' (hollow: the validation rows)' : ''} over ${featureName(nm, d)}; the line${shown > 1 ? 's are' : ' is'} the net's output${more} over it, computed on the CPU from the current weights.`;
    } else {
      const yName = label ?? (K === 1 ? symText(nm.node({ kind: 'y', index: 0 })) : 'y');
      const names: [string, string] = [`target ${yName}`, label !== undefined ? `predicted ${label}` : `output ${K === 1 ? outputNames[0] : 'ŷ'}`];
      const args: ParityArgs = { y: s.lab.y, A: subRows(A!, K, shown, n), valY: v?.y, valA: vA && subRows(vA, K, shown, v!.x.length), K: shown, outputs: K, names, outputNames, pxPerCss: px };
      drawParity(canvas, args);
      plot = { kind: 'parity', args, width: canvas.width, height: canvas.height };
      sentence = `Each row's output against its target${more}${v ? ' (hollow: the validation rows)' : ''}, computed on the CPU from the current weights: on the dashed line y = x the output is the target.`;
    }
    const all = n + (v?.x.length ?? 0);
    if (n > MAX_PLOTTED_POINTS || (v?.x.length ?? 0) > MAX_PLOTTED_POINTS) sentence += ` The points: at most ${groupDigits(MAX_PLOTTED_POINTS)} of the training rows and of the validation rows each, evenly spaced (of ${groupDigits(all)} in all); the scores are over every row.`;
    if (mse) {
      const train: FitScores = fitScores(s.lab.y, A!, K);
      sentence += ` ${scoresLine(train, v && vA ? fitScores(v.y, vA, K) : undefined, K)}`;
    }
  }
  out.textContent = sentence;
  out.hidden = sentence === '';
  drawPredictions(s, val);
  return plot;
}

/** The first `shown` of K rows of a K × m output matrix. */
function subRows(A: Float32Array, K: number, shown: number, m: number): Float32Array {
  return shown === K ? A : A.subarray(0, shown * m);
}

/** The target and the net's output for the first examples (CPU, current weights). */
function drawPredictions(s: LabSession, val: string | undefined): void {
  const rows = { x: s.lab.x.slice(0, 8), y: s.lab.y.slice(0, 8) };
  const batch = batchFrom(s.net, rows.x, rows.y);
  const A = predictInChunks(s.net, s.params, batch.X, batch.n);
  const K = s.net.layers[s.net.layers.length - 1].units;
  const table = document.createElement('table');
  table.className = 'predictions';
  const yName = 'ŷ';
  table.innerHTML = `<caption>The net's output ${yName} beside the target y, ${examplesShown(batch.n, s.lab.x.length)}${val ? `; ${val}` : ''}</caption><thead><tr><th scope="col">example</th><th scope="col">target y</th><th scope="col">output ${yName}</th></tr></thead>`;
  const body = document.createElement('tbody');
  for (let c = 0; c < batch.n; c++) {
    const tr = document.createElement('tr');
    const outs = Array.from({ length: K }, (_, k) => fmtValue(A[k * batch.n + c], 4)).join(', ');
    fillRow(tr, [String(c + 1), rows.y[c].map((y) => fmtValue(y, 4)).join(', '), outs]);
    body.append(tr);
  }
  table.append(body);
  $('predictions').replaceChildren(table);
}
