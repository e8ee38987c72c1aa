/**
 * Decision-boundary view for nets with two inputs: the CPU oracle evaluates the net on a grid of points covering
 * the data, each cell is painted in the colour of its predicted class (paler where the net is unsure), the
 * boundary is traced with marching squares, and the training points go on top.
 *
 * The pure parts (classifyGrid, classifyPoints, contourSegments, dataExtent) run in Node and are tested there;
 * drawBoundary needs a DOM canvas.
 */
import { copyColumns } from '../cpu/kernels.ts';
import { columnsFromRows, type Net, type Params } from '../spec.ts';
import { groupDigits } from '../notation/cost.ts';
import { minus } from '../notation/numbers.ts';
import { gridInputs } from './datasets.ts';
import { argmaxColumn, predict } from './eval.ts';
import { drawMarker, markerPath, markerRadius } from './markers.ts';
import { ticks } from './loss-chart.ts';
import { LIGHT, palette, type Palette, rgbOf } from './palette.ts';
import { percent } from './words.ts';

/** [xmin, xmax, ymin, ymax] in input units: x1 runs left → right, x2 bottom → top. */
export type Extent = [number, number, number, number];

/**
 * Okabe–Ito colours (safe for the common colour-vision deficiencies); class k uses CLASS_COLOURS[k mod 8]. The light
 * scheme's: a drawer takes its scheme's (palette.ts plot.classes: the dark one's black is white).
 */
export const CLASS_COLOURS: readonly string[] = LIGHT.plot.classes;

export interface BoundaryArgs {
  net: Net;
  params: Params;
  /** Training points, one row [x1, x2] per example. */
  x: number[][];
  /** The class index of each training point. */
  labels: number[];
  classes: number;
  /** Default: the data's bounding box, padded, widened to the canvas's aspect ratio (dataExtent). */
  extent?: Extent;
  /** Grid cells across (default 100; fewer for a big net, or none: boundaryColumns); the rows follow from the canvas's aspect ratio. */
  resolution?: number;
  /** The axes' names, horizontal then vertical (boundaryAxisNames; default x1, x2). */
  axisNames?: [string, string];
  /** Each class's name, by index, for the legend (legendLabels; default class 0, class 1, …). */
  classNames?: readonly string[];
  /** Canvas pixels per CSS pixel (fitCanvas's scale; default 1): the text is BOUNDARY_TEXT_PX CSS px at any device pixel ratio. */
  pxPerCss?: number;
  /** The colours (default: the page's scheme now, palette()); the Output PNG passes LIGHT (output-png.ts). */
  pal?: Palette;
}

/** The net's verdict on every cell of a grid (pixel order: row 0 at the top, as gridInputs). */
export interface GridClassification {
  cols: number;
  rows: number;
  extent: Extent;
  /** Output units K: 1 for a binary net (one sigmoid output), else one per class. */
  outputs: number;
  /** Predicted class per cell. */
  label: Uint8Array;
  /**
   * Per cell: for one output, p = P(class 1), the output clamped to [0, 1]; for K outputs, the winning
   * output clamped to [0, 1] (its softmax probability).
   */
  score: Float32Array;
  /** The raw outputs A_L (K × cells, engine layout), for contours. */
  raw: Float32Array;
}

function clamp01(v: number): number {
  // NOTE: NaN (a diverged net) maps to 0.5: "no idea", painted white, rather than poisoning the picture.
  if (Number.isNaN(v)) return 0.5;
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * Class and score per column of an (K × n) output matrix. One output: class 1 when the output is ≥ 0.5
 * (sigmoid, or an identity output read as a probability). K outputs: the argmax (the first on ties).
 */
function classify(out: Float32Array, K: number, n: number): { label: Uint8Array; score: Float32Array } {
  const label = new Uint8Array(n);
  const score = new Float32Array(n);
  for (let c = 0; c < n; c++) {
    // The class by the engine's rule (argmaxColumn, as evaluate and the confusion matrix count): a NaN output is
    // class 0 there, though its score is 0.5. The score is the winning output's; one output is its only row.
    label[c] = argmaxColumn(out, K, n, c);
    const row = K === 1 ? 0 : label[c];
    score[c] = clamp01(out[row * n + c]);
  }
  return { label, score };
}

function requireTwoInputs(net: Net): void {
  if (net.inputs !== 2) throw new RangeError(`the decision boundary needs a net with 2 inputs, this one has ${net.inputs}`);
}

/**
 * Floats one forward pass over a chunk of points may hold per layer (Z and A are units × chunk, the kernel's scratch
 * about as much again): 2²⁰, 4 MiB each. A wide layer gets fewer points a chunk; a 2-100000-1 net 10 at a time.
 */
export const CHUNK_FLOATS = 2 ** 20;

/** Points per forward pass so that no layer's units × points (nor its fan-in × points) passes CHUNK_FLOATS. */
export function chunkColumns(net: Net): number {
  const widest = Math.max(net.inputs, ...net.layers.map((l) => Math.max(l.units, l.fanIn)));
  return Math.max(1, Math.floor(CHUNK_FLOATS / widest));
}

/**
 * predict over n points (X inputs × n) in chunks of chunkColumns(net) points: the same A_L (K × n), with no
 * units × n array for a wide layer (a 2-100000-1 net over 10 000 cells would need 8 GB at once).
 */
export function predictInChunks(net: Net, params: Params, X: Float32Array, n: number): Float32Array {
  const per = chunkColumns(net);
  if (n <= per) return predict(net, params, X, n);
  const inputs = net.inputs;
  const K = net.layers[net.layers.length - 1].units;
  const out = new Float32Array(K * n);
  for (let c0 = 0; c0 < n; c0 += per) {
    const m = Math.min(per, n - c0);
    const Xc = new Float32Array(inputs * m);
    copyColumns(X, Xc, c0, m, inputs, n);
    const A = predict(net, params, Xc, m);
    for (let k = 0; k < K; k++) out.set(A.subarray(k * m, (k + 1) * m), k * n + c0);
  }
  return out;
}

/** Evaluate the net on the centres of a cols × rows grid over `extent` and classify every cell (in chunks: predictInChunks). */
export function classifyGrid(net: Net, params: Params, extent: Extent, cols: number, rows: number): GridClassification {
  requireTwoInputs(net);
  const n = cols * rows;
  const raw = predictInChunks(net, params, gridInputs(extent, cols, rows), n);
  const outputs = net.layers[net.layers.length - 1].units;
  return { cols, rows, extent, outputs, raw, ...classify(raw, outputs, n) };
}

/**
 * The work (forwardWork per point) one decision boundary may cost, a forward pass per cell and per training point:
 * about half a second (0.53 s for a 2-1547-1 net at the cap, 100 × 100 cells and 200 points: bench/lab-timings.ts).
 */
export const BOUNDARY_WORK = 3e8;

/** The coarsest grid the boundary is drawn on; a net that needs a coarser one to stay within BOUNDARY_WORK is not drawn. */
export const MIN_BOUNDARY_COLS = 20;

/**
 * NOTE: what one unit of one point costs the CPU forward pass beside its fan-in's multiply-adds (the activation, the
 * bias, the loops): measured on the lab's page, a 2-10000-1 net took ~30 ns a hidden unit a cell, as 16 + 2 multiply-adds.
 */
export const UNIT_WORK = 16;

/** The work of one forward pass of one point: Σ units × (fan-in + UNIT_WORK) over the layers. */
export function forwardWork(net: Net): number {
  return net.layers.reduce((sum, l) => sum + l.units * (l.fanIn + UNIT_WORK), 0);
}

/**
 * Grid cells across for a boundary of this net on a canvas of aspect width / height with `points` training
 * points: `wanted` (default 100) when the passes fit in BOUNDARY_WORK, fewer when they do not, and 0 when even
 * MIN_BOUNDARY_COLS do not (the view then says it is not drawn, rather than freezing the page).
 */
export function boundaryColumns(net: Net, aspect: number, points: number, wanted = 100): number {
  const per = forwardWork(net);
  const cellsFor = (cols: number) => cols * Math.max(2, Math.round(cols / aspect));
  let cols = Math.max(2, Math.round(wanted));
  while (per * (cellsFor(cols) + points) > BOUNDARY_WORK) {
    if (cols <= MIN_BOUNDARY_COLS) return 0;
    cols = Math.max(MIN_BOUNDARY_COLS, Math.floor(cols * 0.8));
  }
  return cols;
}

/** The most forwardWork per point whose boundary is drawn (on the coarsest grid), with `points` training points. */
export function boundaryWorkLimit(aspect: number, points: number): number {
  const cells = MIN_BOUNDARY_COLS * Math.max(2, Math.round(MIN_BOUNDARY_COLS / aspect));
  return Math.floor(BOUNDARY_WORK / (cells + points));
}

/** The predicted class of each point (rows [x1, x2]), by the same rule as classifyGrid. */
export function classifyPoints(net: Net, params: Params, x: number[][]): number[] {
  requireTwoInputs(net);
  const n = x.length;
  if (n === 0) return [];
  const X = columnsFromRows(x, 2, 'x').data;
  const outputs = net.layers[net.layers.length - 1].units;
  return Array.from(classify(predictInChunks(net, params, X, n), outputs, n).label);
}

/**
 * A view of the points: their bounding box, padded by 15 % (at least 0.1), then widened along one axis so that
 * width / height = aspect (so circles stay round on a canvas of that shape).
 */
export function dataExtent(x: number[][], aspect = 1): Extent {
  let [xmin, xmax, ymin, ymax] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [a, b] of x) {
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    xmin = Math.min(xmin, a);
    xmax = Math.max(xmax, a);
    ymin = Math.min(ymin, b);
    ymax = Math.max(ymax, b);
  }
  if (!(xmin <= xmax)) [xmin, xmax, ymin, ymax] = [-1, 1, -1, 1];
  const cx = (xmin + xmax) / 2;
  const cy = (ymin + ymax) / 2;
  let hx = Math.max(((xmax - xmin) / 2) * 1.15, (xmax - xmin) / 2 + 0.1);
  let hy = Math.max(((ymax - ymin) / 2) * 1.15, (ymax - ymin) / 2 + 0.1);
  if (hx / hy < aspect) hx = hy * aspect;
  else hy = hx / aspect;
  return [cx - hx, cx + hx, cy - hy, cy + hy];
}

/**
 * Marching squares: the level-`level` contour of a field sampled at cell centres (rows × cols, row-major).
 * Returns segments as a flat list [x0, y0, x1, y1, …] in cell units, cell (r, c)'s centre at (c + 0.5, r + 0.5),
 * crossings placed by linear interpolation. Saddles are resolved by the mean of the four corners.
 */
export function contourSegments(field: ArrayLike<number>, cols: number, rows: number, level = 0): number[] {
  const out: number[] = [];
  const f = (r: number, c: number): number => field[r * cols + c] - level;
  /** Where the field crosses zero between values a (at t = 0) and b (at t = 1). */
  const cross = (a: number, b: number): number => (a === b ? 0.5 : a / (a - b));
  for (let r = 0; r + 1 < rows; r++) {
    for (let c = 0; c + 1 < cols; c++) {
      const tl = f(r, c);
      const tr = f(r, c + 1);
      const br = f(r + 1, c + 1);
      const bl = f(r + 1, c);
      if ([tl, tr, br, bl].some(Number.isNaN)) continue;
      const x = c + 0.5;
      const y = r + 0.5;
      // Crossing points on the edges, in order top, right, bottom, left (null: no sign change there).
      const edges: ([number, number] | null)[] = [
        tl >= 0 !== tr >= 0 ? [x + cross(tl, tr), y] : null,
        tr >= 0 !== br >= 0 ? [x + 1, y + cross(tr, br)] : null,
        bl >= 0 !== br >= 0 ? [x + cross(bl, br), y + 1] : null,
        tl >= 0 !== bl >= 0 ? [x, y + cross(tl, bl)] : null,
      ];
      const hits = edges.filter((e): e is [number, number] => e !== null);
      if (hits.length === 2) {
        out.push(...hits[0], ...hits[1]);
      } else if (hits.length === 4) {
        const [top, right, bottom, left] = hits;
        const centreLikeTl = (tl + tr + br + bl) / 4 >= 0 === tl >= 0;
        // tl and br share a sign. If the centre does too, they connect and tr, bl are cut off; else the reverse.
        if (centreLikeTl) out.push(...top, ...right, ...bottom, ...left);
        else out.push(...left, ...top, ...right, ...bottom);
      }
    }
  }
  return out;
}

/** The fields whose zero level sets are the class boundaries: p − 0.5 for one output; o_k − max_{j≠k} o_j otherwise. */
function boundaryFields(grid: GridClassification): Float32Array[] {
  const n = grid.cols * grid.rows;
  const K = grid.outputs;
  if (K === 1) return [grid.raw.map((v) => v - 0.5)];
  const fields: Float32Array[] = [];
  for (let k = 0; k < K; k++) {
    const field = new Float32Array(n);
    for (let c = 0; c < n; c++) {
      let other = -Infinity;
      for (let j = 0; j < K; j++) if (j !== k) other = Math.max(other, grid.raw[j * n + c]);
      field[c] = grid.raw[k * n + c] - other;
    }
    fields.push(field);
  }
  return fields;
}

function classColour(k: number, pal: Palette): string {
  return pal.plot.classes[k % pal.plot.classes.length];
}

/**
 * The heat map as RGBA bytes (cols × rows): the predicted class's colour mixed into the plot's background (white;
 * the dark scheme's dark), strong where the net is sure and faint at even odds, so the boundary reads as a band.
 */
function heatmapPixels(grid: GridClassification, pal: Palette): Uint8ClampedArray<ArrayBuffer> {
  const n = grid.cols * grid.rows;
  const px = new Uint8ClampedArray(4 * n);
  const K = grid.outputs;
  const colours = Array.from({ length: Math.max(2, K) }, (_, k) => rgbOf(classColour(k, pal)));
  const base = rgbOf(pal.plot.tintBase);
  const { tintLeast, tintSpan } = pal.plot;
  for (let c = 0; c < n; c++) {
    const s = grid.score[c];
    // Confidence in [0, 1]: |2p − 1| for one output; for K outputs, how far the winner is above 1/K.
    const confidence = K === 1 ? Math.abs(2 * s - 1) : Math.max(0, (s - 1 / K) / (1 - 1 / K));
    const mix = tintLeast + tintSpan * confidence;
    const colour = colours[grid.label[c]];
    for (let ch = 0; ch < 3; ch++) px[4 * c + ch] = Math.round(base[ch] + (colour[ch] - base[ch]) * mix);
    px[4 * c + 3] = 255;
  }
  return px;
}

/**
 * An axis's tick values over [lo, hi]: round numbers (1, 2 or 5 × 10^k apart, about four), 0 left out (the axis line
 * marks it) and the view's own ends (a label there is half off the canvas). The presets' views keep their integers
 * (−1, 1 over −1.3 … 1.3); every integer of a wide view drew one label over the next — unstandardised heights of
 * 144 … 206 put 62 labels in 300 px.
 */
export function axisTicks(lo: number, hi: number): number[] {
  return ticks(lo, hi, 4).filter((v) => v !== 0 && v > lo && v < hi);
}

/**
 * The boundary's axis names: the CSV's feature columns where the data is the student's (with " (standardised)" when
 * the lab standardised them: the axes are then in standard deviations from the training rows' mean), else the net's
 * input names (x1, x2, or the spec's notation). The axes had no names.
 */
export function boundaryAxisNames(inputs: [string, string], imported?: { features: readonly string[]; standardised?: boolean }): [string, string] {
  if (!imported || imported.features.length !== 2) return inputs;
  const name = (f: string): string => (imported.standardised ? `${f} (standardised)` : f);
  return [name(imported.features[0]), name(imported.features[1])];
}

/** The legend's label of each class colour: the CSV's class names where there are one for each class, else class 0, class 1, … */
export function legendLabels(classes: number, classNames?: readonly string[]): string[] {
  const n = Math.max(2, classes);
  return Array.from({ length: n }, (_, k) => (classNames && classNames.length === n ? classNames[k] : `class ${k}`));
}

/** `t` as is when `width(t)` ≤ `room`, else its longest start that fits with "…" after it. */
export function cutToWidth(t: string, room: number, width: (s: string) => number): string {
  if (width(t) <= room) return t;
  let n = t.length;
  while (n > 1 && width(`${t.slice(0, n)}…`) > room) n--;
  return `${t.slice(0, n)}…`;
}

/**
 * The boundary's tick labels, axis names and legend: CSS px (the loss chart's 12). They were max(9, side / 36) canvas
 * pixels: 9 CSS px on the 300 px canvas, 8.5 at 2× (a browser zoomed to 200 %), too small on a projector.
 */
export const BOUNDARY_TEXT_PX = 12;

/**
 * A small legend in the top-right corner: a swatch of each class's colour (the points' and the regions') in its
 * marker's shape (the points', markerPath), and its label. `pxPerCss`: canvas pixels per CSS pixel.
 */
export function drawLegend(ctx: CanvasRenderingContext2D, labels: readonly string[], W: number, H: number, pxPerCss = 1, pal: Palette = palette()): void {
  const font = Math.round(BOUNDARY_TEXT_PX * pxPerCss);
  const pad = Math.round(font / 2);
  const line = Math.round(font * 1.4);
  const swatch = font;
  ctx.save();
  ctx.font = `${font}px system-ui, sans-serif`;
  // NOTE: at most the rows that fit in 80 % of the height — the last of them "… +K more" when there are more classes
  // (a spec of 2 inputs and 30 one-hot outputs ran the legend past the canvas) — and names cut to 40 % of the width.
  const fit = Math.max(1, Math.floor((0.8 * H - 2 * pad + (line - swatch)) / line));
  const shown = labels.length <= fit ? labels.map((t, k) => ({ t, k })) : labels.slice(0, fit - 1).map((t, k) => ({ t, k }));
  const more = labels.length - shown.length;
  const rows = shown.map(({ t, k }) => ({ t: cutToWidth(t, 0.4 * W, (x) => ctx.measureText(x).width), k }));
  const moreText = more > 0 ? `… +${more} more` : '';
  const textW = Math.max(...rows.map((r) => ctx.measureText(r.t).width), more > 0 ? ctx.measureText(moreText).width - swatch - pad : 0);
  const boxW = pad * 3 + swatch + textW;
  const boxH = pad * 2 + line * (rows.length + (more > 0 ? 1 : 0)) - (line - swatch);
  const x0 = W - boxW - 4;
  const y0 = 4;
  ctx.fillStyle = pal.plot.legend;
  ctx.fillRect(x0, y0, boxW, boxH);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  // Each swatch is its class's marker (markerPath), as its points are drawn: the shape names the class as the colour does.
  ctx.strokeStyle = pal.plot.outline;
  ctx.lineWidth = pxPerCss;
  rows.forEach(({ t, k }, row) => {
    const y = y0 + pad + row * line;
    ctx.fillStyle = classColour(k, pal);
    ctx.beginPath();
    markerPath(ctx, k, x0 + pad + swatch / 2, y + swatch / 2, 0.4 * swatch);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = pal.plot.text;
    ctx.fillText(t, x0 + pad * 2 + swatch, y + swatch / 2);
  });
  if (more > 0) {
    ctx.fillStyle = pal.plot.text;
    ctx.fillText(moreText, x0 + pad, y0 + pad + rows.length * line + swatch / 2);
  }
  ctx.restore();
}

/** Training points as drawAxes keeps its horizontal name clear of them: their centres on the canvas and radius. */
export interface AxisPoints {
  at: readonly (readonly [number, number])[];
  radius: number;
}

/**
 * Thin grey axes through 0 and tick labels at round values (axisTicks), where they fall inside the view; with
 * `names`, each axis's name: the horizontal one bottom right, over its tick labels — or, where a training point of
 * `points` lies there, in the tick labels' row, those it would run into left out (XOR's corner (1, 0) sat under
 * "x1 →"; the view's padding keeps points out of that row); the vertical one top left (its tick labels that would run
 * into it left out).
 */
export function drawAxes(ctx: CanvasRenderingContext2D, extent: Extent, W: number, H: number, names?: [string, string], pxPerCss = 1, points?: AxisPoints, pal: Palette = palette()): void {
  const [xmin, xmax, ymin, ymax] = extent;
  const toX = (v: number): number => ((v - xmin) / (xmax - xmin)) * W;
  const toY = (v: number): number => ((ymax - v) / (ymax - ymin)) * H;
  const font = Math.round(BOUNDARY_TEXT_PX * pxPerCss);
  ctx.save();
  ctx.strokeStyle = pal.plot.axis;
  ctx.lineWidth = 1;
  ctx.beginPath();
  if (xmin < 0 && xmax > 0) {
    ctx.moveTo(toX(0), 0);
    ctx.lineTo(toX(0), H);
  }
  if (ymin < 0 && ymax > 0) {
    ctx.moveTo(0, toY(0));
    ctx.lineTo(W, toY(0));
  }
  ctx.stroke();
  // The names first: where the horizontal one goes decides which tick labels are drawn.
  const gap = 2 * pxPerCss;
  let nameLeft = W;
  let inTickRow = false;
  const tickFont = `${font}px system-ui, sans-serif`;
  // Whether the horizontal tick label of `v`, measured in the context's font (tickFont), would run into a name in
  // their row whose left edge is at `left`.
  const runsInto = (v: number, left: number): boolean => toX(v) + ctx.measureText(minus(String(v))).width / 2 + gap > left;
  // How many horizontal tick labels (in their font) would run into a name in their row, its left edge at `left`.
  const tickLabelsRunningInto = (left: number): number => {
    const nameFont = ctx.font;
    ctx.font = tickFont;
    const n = axisTicks(xmin, xmax).filter((v) => runsInto(v, left)).length;
    ctx.font = nameFont;
    return n;
  };
  if (names) {
    ctx.fillStyle = pal.plot.text;
    ctx.font = `600 ${font}px system-ui, sans-serif`;
    const name = `${names[0]} →`;
    nameLeft = W - 3 - ctx.measureText(name).width;
    // A point's disc (and `gap`) inside the name's box, its bottom edge at `bottom` (text baseline 'bottom').
    const r = (points?.radius ?? 0) + gap;
    const meets = (bottom: number): boolean => (points?.at ?? []).some(([px, py]) => px + r > nameLeft && px - r < W - 3 && py + r > bottom - font && py - r < bottom);
    // Into the tick row only where that costs at most one tick label: a long name (a CSV's "height (standardised)",
    // ~190 px of 300) there left the axis with one label or none, no scale; it stays over the points then.
    inTickRow = meets(H - 4 - font) && tickLabelsRunningInto(nameLeft) <= 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    ctx.fillText(name, W - 3, inTickRow ? H - 2 : H - 4 - font);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(`↑ ${names[1]}`, 3, 2);
  }
  ctx.fillStyle = pal.plot.tickText;
  ctx.font = tickFont;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  for (const v of axisTicks(xmin, xmax)) {
    // In the tick labels' row, the name's: the one that would run into it left out.
    if (inTickRow && runsInto(v, nameLeft)) continue;
    ctx.fillText(minus(String(v)), toX(v), H - 2);
  }
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  // Under the vertical axis's name (top left, font px high from 2 px down) no tick label, nor one the bottom edge
  // would cut (centred on its value: −2 at 296.6 px of 300 showed its top half).
  const clear = names ? 2 + font * 1.5 : 0;
  for (const v of axisTicks(ymin, ymax)) if (toY(v) >= clear && toY(v) + font / 2 <= H) ctx.fillText(minus(String(v)), 3, toY(v));
  ctx.restore();
}

/**
 * The most training points drawn over the boundary. NOTE: all were drawn: 80 000 of a student's table, each a disc of
 * 3 px with an outline, covered the 300 px view, regions and boundary lines and all.
 */
export const MAX_DRAWN_POINTS = 2000;

/**
 * Which training points are drawn, by their labels (class indices): all of MAX_DRAWN_POINTS or fewer; of more,
 * MAX_DRAWN_POINTS, each class its share (n_c × MAX / n, the points left over to the largest remainders, ties to the
 * lower class), evenly spaced within the class from its first. Indices ascending (the data's order); the same on every
 * redraw. NOTE: every k-th in the data's order was drawn, so a file whose labels alternate (2 001 – 4 000 rows: every
 * 2nd) showed one class's points only.
 */
export function drawnPoints(labels: readonly number[]): number[] {
  const n = labels.length;
  if (n <= MAX_DRAWN_POINTS) return labels.map((_, k) => k);
  const members = new Map<number, number[]>();
  labels.forEach((c, k) => {
    const m = members.get(c);
    if (m) m.push(k);
    else members.set(c, [k]);
  });
  const groups = [...members.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => m);
  const exact = groups.map((m) => (m.length * MAX_DRAWN_POINTS) / n);
  const quota = exact.map(Math.floor);
  let left = MAX_DRAWN_POINTS - quota.reduce((a, b) => a + b, 0);
  const byRemainder = groups.map((_, g) => g).sort((a, b) => exact[b] - quota[b] - (exact[a] - quota[a]) || a - b);
  for (const g of byRemainder) {
    if (left === 0) break;
    quota[g]++;
    left--;
  }
  // quota[g] < m.length (n > MAX), so the picks are distinct.
  return groups.flatMap((m, g) => Array.from({ length: quota[g] }, (_, j) => m[Math.floor((j * m.length) / quota[g])])).sort((a, b) => a - b);
}

/** What the boundary's caption adds of its points when not all are drawn: '' when all are. */
export function pointsNote(n: number): string {
  return n <= MAX_DRAWN_POINTS ? '' : ` The points: ${groupDigits(MAX_DRAWN_POINTS)} of the ${groupDigits(n)} training rows, each class in its share, so that the boundary shows.`;
}

/**
 * Paint the decision boundary of a 2-input net on `canvas` (at its own pixel size: set canvas.width/height,
 * times devicePixelRatio for a sharp picture). Returns the accuracy on the training points (all of them, drawn or
 * not: drawnPoints).
 */
export function drawBoundary(canvas: HTMLCanvasElement, args: BoundaryArgs): { accuracy: number } | { notDrawn: string } {
  const { net, params, x, labels } = args;
  const W = canvas.width;
  const H = canvas.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context on the boundary canvas');
  const extent = args.extent ?? dataExtent(x, W / H);
  const [xmin, xmax, ymin, ymax] = extent;
  // The page's scheme now (main.ts draws the views again when it changes), unless the caller names one.
  const pal = args.pal ?? palette();
  const cols = boundaryColumns(net, W / H, x.length, args.resolution ?? 100);
  if (cols === 0) {
    ctx.clearRect(0, 0, W, H);
    const limit = boundaryWorkLimit(W / H, x.length);
    const notDrawn = `Decision boundary not drawn: with ${groupDigits(x.length)} training point${x.length === 1 ? '' : 's'} it is drawn for nets of at most ${limit.toLocaleString('en-US')} weights + ${UNIT_WORK} × units, and this one has ${forwardWork(net).toLocaleString('en-US')} (a forward pass per grid cell on the CPU would hold the page for seconds).`;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', notDrawn);
    return { notDrawn };
  }
  const rows = Math.max(2, Math.round((cols * H) / W));
  const grid = classifyGrid(net, params, extent, cols, rows);

  // Heat map: one pixel per cell on a scratch canvas, scaled up with smoothing.
  const cells = document.createElement('canvas');
  cells.width = cols;
  cells.height = rows;
  const cellsCtx = cells.getContext('2d');
  if (!cellsCtx) throw new Error('no 2d context for the heat map');
  cellsCtx.putImageData(new ImageData(heatmapPixels(grid, pal), cols, rows), 0, 0);
  ctx.save();
  ctx.clearRect(0, 0, W, H);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  // The cell centres sit half a cell in from the edges, as in gridInputs, so the image covers the canvas exactly.
  ctx.drawImage(cells, 0, 0, W, H);
  ctx.restore();

  const names = args.axisNames ?? ['x1', 'x2'];
  const toCanvas = ([a, b]: number[]): [number, number] => [((a - xmin) / (xmax - xmin)) * W, ((ymax - b) / (ymax - ymin)) * H];
  const radius = markerRadius(W, H);
  const drawn = drawnPoints(labels);
  drawAxes(ctx, extent, W, H, names, args.pxPerCss, { at: drawn.map((c) => toCanvas(x[c])), radius }, pal);

  // Boundary lines.
  ctx.save();
  ctx.strokeStyle = pal.plot.boundaryLine;
  ctx.lineWidth = Math.max(1.5, Math.min(W, H) / 200);
  ctx.lineCap = 'round';
  ctx.beginPath();
  for (const field of boundaryFields(grid)) {
    const seg = contourSegments(field, cols, rows);
    for (let s = 0; s < seg.length; s += 4) {
      ctx.moveTo((seg[s] / cols) * W, (seg[s + 1] / rows) * H);
      ctx.lineTo((seg[s + 2] / cols) * W, (seg[s + 3] / rows) * H);
    }
  }
  ctx.stroke();
  ctx.restore();

  // The legend, then the training points over it: XOR's corner (1, 1) falls in the top-right corner the legend
  // takes, and drawn under its 85 % white box the point vanished (the preset showed three of its four points).
  const legend = legendLabels(args.classes, args.classNames);
  drawLegend(ctx, legend, W, H, args.pxPerCss, pal);

  // Training points.
  ctx.save();
  for (const c of drawn) drawMarker(ctx, labels[c], ...toCanvas(x[c]), radius, classColour(labels[c], pal), false, 1, pal);
  ctx.restore();
  // The accuracy over every training point, drawn or not.
  const predicted = classifyPoints(net, params, x);
  let correct = 0;
  for (let c = 0; c < x.length; c++) if (predicted[c] === labels[c]) correct++;

  const accuracy = x.length === 0 ? 0 : correct / x.length;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute(
    'aria-label',
    `Decision boundary of the net over ${names[0]} from ${minus(xmin.toFixed(1))} to ${minus(xmax.toFixed(1))} and ${names[1]} from ${minus(ymin.toFixed(1))} to ${minus(ymax.toFixed(1))}, ` +
      `with ${groupDigits(x.length)} training points${drawn.length < x.length ? ` (${groupDigits(drawn.length)} drawn, each class in its share)` : ''} in ${args.classes} classes (${legend.join(', ')}); training accuracy ${percent(accuracy)}.`,
  );
  return { accuracy };
}
