/**
 * The live loss curve: a 2-D canvas, redrawn after every training chunk. Export as PNG (the canvas) or CSV.
 */
import type { BackendKind } from '../backend.ts';
import { CurveIndex } from './curve-index.ts';
import { canvasPng } from './dom.ts';
import { LIGHT, type Palette, palette } from './palette.ts';
import type { LossPoint } from './session.ts';

const PLOT_PAD = { left: 58, right: 14, top: 12, bottom: 34 };
/** The right edge of the rotated y-axis label (drawn at x = 14, 6 px before it, 12 px tall). */
const Y_LABEL_RIGHT = 20;

/** Round-number ticks covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

/** The x axis's ticks: steps are whole numbers, so a curve of one or two points is not marked 0.2, 0.4, … */
export function stepTicks(first: number, last: number): number[] {
  return ticks(first, last).filter((t) => Number.isInteger(t));
}

/**
 * Ticks for a log₁₀ axis over [lo, hi] (in log₁₀ units): powers of ten when it spans two decades or more; 1, 2 and
 * 5 times them when it spans one to two (evenly spread on a log axis: linear steps there, 0.1 … 0.4 over 0.0047 …
 * 0.42, crowded the top and left its lower decade and a half unlabelled); else round values in between (0.3, 0.4,
 * 0.5 …), so a short range still has labels.
 */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  if (hi - lo >= 2) {
    const step = Math.ceil((Math.ceil(hi) - Math.floor(lo)) / 6);
    for (let t = Math.ceil(lo); t <= hi + 1e-9; t += step) out.push(t);
    return out;
  }
  if (hi - lo >= 1) {
    for (let k = Math.floor(lo); k <= Math.ceil(hi); k++) {
      for (const m of [1, 2, 5]) {
        const t = Math.log10(m) + k;
        if (t >= lo - 1e-9 && t <= hi + 1e-9) out.push(t);
      }
    }
    return out;
  }
  return ticks(10 ** lo, 10 ** hi).filter((v) => v > 0).map(Math.log10);
}

/**
 * The y axis's tick labels: each value at `digits` significant digits at least, more where two adjacent labels would
 * read the same (a log axis over 0.2742 … 0.2748 is labelled 0.2742 … 0.2748, not 0.274 twice), at most 12 — past
 * that a value is float noise (10^log10(v) need not give v back exactly).
 */
export function tickLabels(values: readonly number[], digits: number): string[] {
  let p = digits;
  const at = (q: number) => values.map((v) => `${Number(v.toPrecision(q))}`);
  let labels = at(p);
  while (p < 12 && labels.some((l, k) => k > 0 && l === labels[k - 1])) labels = at(++p);
  return labels;
}

/** The curve as CSV: one row per recorded point (step is 0-based; loss is that step's, before its update, per example). */
export function lossCsv(history: readonly LossPoint[]): string {
  return ['step,loss', ...history.map((p) => `${p.step},${p.loss}`)].join('\n') + '\n';
}

/** The pixels a box of `r` CSS pixels is drawn with: times the device pixel ratio, at most 2. */
function boxPixels(r: { width: number; height: number }): { w: number; h: number } {
  const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
  return { w: Math.round(r.width * dpr), h: Math.round(r.height * dpr) };
}

/**
 * Is the page laid out for paper (printing, or the print media emulated)? Then the loss chart is not refitted:
 * style.css's @media print box takes its height from the canvas's pixels, inside its border, so each refit made the box
 * taller and the next frame refitted again (read63c: Chromium, print emulated, 89 redraws in 1.5 s, growing).
 */
function laidOutForPrint(): boolean {
  return typeof globalThis.matchMedia === 'function' && globalThis.matchMedia('print').matches;
}

/**
 * Size a canvas's pixels to its CSS box times the device pixel ratio (at most 2), so that text and lines stay
 * sharp and legible at any width; returns the scale (pixels per CSS pixel), 1 when the canvas is not laid out.
 * The box's width drawn for is kept as --drawn-w: printed, the loss curve is that wide (style.css @media print;
 * printing redraws nothing, and at its pixels' own size it printed twice as wide at a device pixel ratio of 2).
 */
export function fitCanvas(canvas: HTMLCanvasElement): number {
  const r = canvas.getBoundingClientRect();
  if (r.width < 10 || r.height < 10) return 1;
  canvas.style.setProperty('--drawn-w', `${r.width}px`);
  const { w, h } = boxPixels(r);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  return canvas.width / r.width;
}

/** The loss axis's label: the longest of its wordings whose width (`width`, CSS pixels) is at most `room`; else the shortest. */
export function yAxisLabel(log: boolean, room: number, width: (text: string) => number): string {
  const wordings = log
    ? ['loss per example (log scale)', 'loss / example (log)', 'loss (log)']
    : ['loss per example', 'loss / example', 'loss'];
  return wordings.find((t) => width(t) <= room) ?? wordings[wordings.length - 1];
}

/**
 * The step axis's label, centred under the plot: `step (` the backends the curve ran on `)`, as `backend` names them
 * (device.ts curveBackends: "WebGPU, then wasm, then CPU"), in the longest wording whose width is at most `room`:
 * that text; the runs joined by arrows ("WebGPU → wasm → CPU"); the latest runs only, the earlier ones an ellipsis
 * ("… → CPU → WebGPU"); else "step" alone. After four switches on a 340 px chart the whole text ran past both edges of
 * the canvas ("step (WebGPU, then wasm, then CPU, then WebG").
 */
export function xAxisLabel(backend: string, room: number, width: (text: string) => number): string {
  const runs = backend.split(', then ');
  const wordings = [`step (${backend})`, `step (${runs.join(' → ')})`];
  for (let k = 1; k < runs.length; k++) wordings.push(`step (… → ${runs.slice(k).join(' → ')})`);
  return wordings.find((t) => width(t) <= room) ?? 'step';
}

export class LossChart {
  logScale = true;
  /** The curves last drawn, as drawn (curve-index.ts: read again only from the points added since). */
  private readonly curves = { history: new CurveIndex(), validation: new CurveIndex() };
  /** What was last drawn, and in which palette (png() draws it again in the light one where it was not). */
  private last: { history: readonly LossPoint[]; backend: string; validation: readonly LossPoint[]; pal: Palette } | undefined;
  private refitQueued = false;
  /**
   * The box can change size with no window resize (main.ts redraws on 'resize'): the Training region under the
   * Network one grows (a longer device sentence, a Fit's line) and the grid gives the loss row less. WebKitGTK 2.50 at
   * 1280 × 800 drew the empty chart 161 px tall, then showed it in 125: squashed, its text with it. Drawn again the
   * frame after, when the box's pixels are no longer the canvas's (test/lab-chart-refit.test.ts).
   */
  constructor(private readonly canvas: HTMLCanvasElement) {
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(() => this.refitSoon()).observe(canvas);
  }

  private refitSoon(): void {
    if (!this.last || this.refitQueued) return;
    this.refitQueued = true;
    requestAnimationFrame(() => {
      this.refitQueued = false;
      const last = this.last;
      const r = this.canvas.getBoundingClientRect();
      const { w, h } = boxPixels(r);
      if (!last || laidOutForPrint() || r.width < 10 || r.height < 10 || (this.canvas.width === w && this.canvas.height === h)) return;
      this.draw(last.history, last.backend, last.validation, last.pal);
    });
  }

  /** The backends the training curve ran on, one entry a run (curveBackends names them on the axis). */
  backends(history: readonly LossPoint[]): readonly BackendKind[] {
    return this.curves.history.sync(history).runs;
  }

  /**
   * Draw the training loss (blue) and, when given, the loss on the validation rows after the same steps (orange,
   * dashed) on one axis — the slot a fit() with validation data fills too — in `pal`'s colours (the page's scheme's).
   */
  draw(history: readonly LossPoint[], backend: string, validation: readonly LossPoint[] = [], pal: Palette = palette()): void {
    this.last = { history, backend, validation, pal };
    const colours = pal.chart;
    const c = this.canvas;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const scale = fitCanvas(c);
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    // Drawn in CSS pixels: 12 px text is 12 px on the screen whatever the canvas's size.
    const w = c.width / scale;
    const h = c.height / scale;
    ctx.fillStyle = colours.background;
    ctx.fillRect(0, 0, w, h);
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillStyle = colours.text;
    // NOTE: the context keeps its state from the last draw while the canvas keeps its size: the axis labels left the
    // text centred, top-aligned, and the empty chart's line after a Reset was centred on PLOT_PAD.left, its start cut off.
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    if (history.length === 0) {
      // At most the width right of the pad: with a text-spacing stylesheet (the canvas takes its letter-spacing) the
      // line ran past the canvas's edge, "…draw the los" (narrowed to fit, it stays whole).
      ctx.fillText('Train (or Update) to draw the loss curve.', PLOT_PAD.left, h / 2, Math.max(1, w - PLOT_PAD.left - 6));
      c.setAttribute('aria-label', 'Loss curve: no points yet');
      return;
    }
    const curve = this.curves.history.sync(history);
    const val = this.curves.validation.sync(validation);
    const log = this.logScale && curve.positive && val.positive;
    const f = (v: number) => (log ? Math.log10(v) : v);
    // The finite losses' range (f is increasing: the lowest loss is the lowest f); none finite leaves it empty.
    const lowest = Math.min(curve.lowest, val.lowest);
    const highest = Math.max(curve.highest, val.highest);
    let lo = Number.isFinite(lowest) ? f(lowest) : Infinity;
    let hi = Number.isFinite(highest) ? f(highest) : -Infinity;
    if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
    const yTicks = log ? logTicks(lo, hi) : ticks(lo, hi);
    const yLabels = log ? tickLabels(yTicks.map((t) => 10 ** t), 3) : tickLabels(yTicks, 4);
    // With a validation curve, a legend row above the plot (inside it, it would lie across the curves). The plot's left
    // edge leaves room for the widest y tick label right of the rotated axis label (x 8 … 20: 12 px text turned at
    // x = 14, 6 px before it), 2 px apart: the lecture net's 0.2748 … 0.2742, 6 digits, ran into "loss per example".
    const widest = Math.max(0, ...yLabels.map((t) => ctx.measureText(t).width));
    const PAD = { ...PLOT_PAD, left: Math.max(PLOT_PAD.left, Y_LABEL_RIGHT + 2 + widest + 6), top: PLOT_PAD.top + (validation.length > 0 ? 16 : 0) };
    const x0 = history[0].step;
    const x1 = Math.max(history[history.length - 1].step, x0 + 1);
    const px = (s: number) => PAD.left + ((s - x0) / (x1 - x0)) * (w - PAD.left - PAD.right);
    const py = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo)) * (h - PAD.top - PAD.bottom);

    ctx.strokeStyle = colours.grid;
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    yTicks.forEach((t, k) => {
      ctx.beginPath(); ctx.moveTo(PAD.left, py(t)); ctx.lineTo(w - PAD.right, py(t)); ctx.stroke();
      ctx.fillText(yLabels[k], PAD.left - 6, py(t));
    });
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of stepTicks(x0, x1)) ctx.fillText(String(t), px(t), h - PAD.bottom + 6);
    const xMid = (PAD.left + w - PAD.right) / 2;
    ctx.fillText(xAxisLabel(backend, 2 * Math.min(xMid, w - xMid), (t) => ctx.measureText(t).width), xMid, h - 14);
    ctx.save();
    const yMid = (PAD.top + h - PAD.bottom) / 2;
    ctx.translate(14, yMid);
    ctx.rotate(-Math.PI / 2);
    // Every point is the mean per example, under either reduction (session.ts LossPoint): the axis says so, in the
    // longest wording that fits the canvas's height centred on the plot (a short chart — the header wrapped to two
    // lines above it — cut "(log scale)" off at the top).
    ctx.fillText(yAxisLabel(log, 2 * Math.min(yMid, h - yMid), (t) => ctx.measureText(t).width), 0, -6);
    ctx.restore();

    ctx.strokeStyle = colours.training;
    ctx.lineWidth = 2;
    ctx.beginPath();
    // Of each pixel column's points its first, lowest, highest and last, in order (at most four a column): the same
    // line as every point's, at the cost of the canvas's width, not the curve's length (curve-index.ts).
    const path = (points: CurveIndex): void => {
      points.drawn((s) => Math.floor(px(s))).forEach((i, k) => {
        const x = px(points.step(i));
        const y = py(f(points.loss(i)));
        if (k === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
    };
    path(curve);
    ctx.stroke();
    if (history.length === 1) {
      ctx.fillStyle = colours.training;
      ctx.beginPath(); ctx.arc(px(history[0].step), py(f(history[0].loss)), 3, 0, 2 * Math.PI); ctx.fill();
    }
    if (validation.length > 0) {
      ctx.strokeStyle = colours.validation;
      ctx.setLineDash([5, 3]);
      ctx.beginPath();
      path(val);
      ctx.stroke();
      ctx.setLineDash([]);
      // The legend, in the row above the plot: "training ——  validation – –", right-aligned.
      ctx.textAlign = 'left';
      ctx.textBaseline = 'middle';
      const y = 10;
      const sample = 18;
      const gap = 12;
      // Each word in its line's hue, 4.5:1 on the plot for 12 px text (WCAG 1.4.3): in the light palette the validation
      // line's #ea580c is 3.6:1 on white, so its word is the darker #c2410c (5.2:1); the training blue is 5.2:1 itself.
      const items = [
        { label: 'training', colour: colours.training, text: colours.training, dash: [] as number[] },
        { label: 'validation', colour: colours.validation, text: colours.validationText, dash: [5, 3] },
      ];
      const width = items.reduce((sum, it) => sum + sample + 4 + ctx.measureText(it.label).width, 0) + gap;
      let x = w - PAD.right - width;
      ctx.lineWidth = 2;
      for (const it of items) {
        ctx.strokeStyle = it.colour;
        ctx.setLineDash(it.dash);
        ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x + sample, y); ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = it.text;
        ctx.fillText(it.label, x + sample + 4, y);
        x += sample + 4 + ctx.measureText(it.label).width + gap;
      }
    }
    const first = history[0];
    const last = history[history.length - 1];
    const v = validation[validation.length - 1];
    c.setAttribute('aria-label', `Loss curve on ${backend}: ${history.length} points, step ${first.step} loss ${first.loss.toPrecision(4)} to step ${last.step} loss ${last.loss.toPrecision(4)}${v ? `; validation loss ${v.loss.toPrecision(4)} at step ${v.step}` : ''} (per example)`);
  }

  /**
   * The chart as a PNG, always in the light palette (a figure for a white slide or page): drawn dark, it is drawn
   * light, copied (toBlob copies the canvas's pixels when called), and drawn again in the page's palette. NOTE: what
   * the canvas holds decides, not the scheme now: just after a change to light (main.ts redraws in the next frame, or
   * after the action running) the canvas was still dark, and the PNG was copied dark.
   */
  png(): Promise<Blob> {
    const last = this.last;
    const relight = last !== undefined && last.pal !== LIGHT;
    if (relight) this.draw(last.history, last.backend, last.validation, LIGHT);
    try {
      return canvasPng(this.canvas);
    } finally {
      if (relight) this.draw(last.history, last.backend, last.validation);
    }
  }
}
