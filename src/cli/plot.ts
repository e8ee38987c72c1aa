/**
 * `train --plot FILE.svg`: a run's learning curves as one standalone SVG — history in, SVG text out (no DOM, no fs).
 *
 * Layout (px; the tests compute the points from these numbers, not from this module):
 * - width 720; each panel's plot area runs from x = 72 to x = 696 (margins 72 left, 24 right: 624 wide) and is
 *   240 high. The title's lines are at y = 24, 44, 64 …; the loss panel's area starts at y = 40 + 20·(title lines)
 *   (80 under a title of two lines); the accuracy panel (only where the history has accuracy) 80 below the loss
 *   panel's bottom (y = 400 under two lines). The height is the last panel's bottom + 48. Each panel's legend is a
 *   row 10 above its area. A title line estimated wider than 640 is squeezed to 640 (textLength).
 * - x: epoch e at 72 + 624·(e − first)/(last − first), first and last the history's first and last epochs; with one
 *   epoch, the middle (x = 384). Ticks: the first and the last epoch always (a run's ends readable whatever they are),
 *   and between them the integers at 1, 2 or 5 × 10^k apart (at most 10 steps) that are 30 px or more from both (7 px
 *   a digit of the last epoch where that is more: 42 px from 100 000 on). Epochs are labelled in full (12345, not
 *   12350 or 1.235e5).
 * - loss panel: the training loss and, where the history has it, the validation loss. Linear, or log10 when the
 *   finite losses are all > 0 and max / min > 10 (more than a decade; the axis label says "log scale"). On that scale
 *   (log10 of the losses where it is log) the axis spans [min − 5 % of the span, max + 5 % of the span] of the finite
 *   losses drawn; a flat series (min = max = v) spans v ± |v|/10 (± 1 where v is 0). A log axis is then widened to
 *   its ticks next beyond each end — powers of ten (every k-th, k = ⌈span/8⌉ decades, the span the padded one's), and
 *   2 and 5 × them under 3 decades — so that its bottom and top are labelled. y = top + 240·(hi − s)/(hi − lo).
 *   Its tick labels have 4 significant digits, or as many more as it takes for no two to read alike.
 * - accuracy panel: accuracy in %, the axis −4 … 104 fixed (0 % and 100 % clear of the frame), ticks 0, 25 … 100:
 *   y = top + 240·(104 − 100·a)/108.
 * - each series is a polyline per run of consecutive finite values (data-series = loss, valLoss, accuracy,
 *   valAccuracy); a run of one value (one epoch, or one between two non-finite ones) is a circle. A non-finite value
 *   (NaN, ±Infinity: a diverging epoch) is not drawn; the series' legend entry says how many were not.
 * - training: solid, dark blue; validation: dashed, orange, hollow points — apart in greyscale too.
 */
import { escapeXml } from '../svg.ts';
import type { EpochLog } from '../train/fit.ts';

/** What the plot reads of an epoch (fit's EpochLog). */
export type PlotEpoch = Pick<EpochLog, 'epoch' | 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy'>;

type SeriesKey = 'loss' | 'valLoss' | 'accuracy' | 'valAccuracy';

/** The layout in px (the module comment's numbers); the title's first baseline, its line step, and the gap to the loss panel. */
const L = { width: 720, left: 72, right: 24, panelH: 240, titleY: 24, titleStep: 20, titleGap: 36, panelGap: 80, bottom: 48 } as const;
const { width: WIDTH, left: LEFT, panelH: PANEL_H, titleY: TITLE_Y, titleStep: TITLE_STEP } = L;
const PLOT_W = WIDTH - LEFT - L.right;
/** The least distance in px between the first or last epoch's tick and a round one's (a label of ≤ 4 digits is ~28 wide). */
const TICK_CLEAR = 30;
/** A digit's width in px at 12 px sans-serif, rounded up (~6.7: 0.556 em), for the epoch labels' clearance past 4 digits. */
const DIGIT_W = 7;
const TRAIN_COLOUR = '#1f3f8f';
const VAL_COLOUR = '#e8850c';
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

/** A number in a few characters: 4 significant digits at most, no trailing zeros, an exponent outside 1e-3 … 1e5. */
export function compact(v: number): string {
  return toDigits(v, 4);
}

/** compact's form with `digits` significant digits at most. */
function toDigits(v: number, digits: number): string {
  const r = Number(v.toPrecision(digits));
  if (r === 0 || (Math.abs(r) >= 1e-3 && Math.abs(r) < 1e5)) return String(r);
  const [m, e] = r.toExponential(digits - 1).split('e');
  return `${String(Number(m))}e${Number(e)}`;
}

/**
 * The loss axis's tick labels: compact, with as many more significant digits as it takes for no two to read alike
 * (a loss that barely moves — lecture-2-2-1 at lr 1e-4: 0.274811 to 0.274808 — had four ticks all "0.2748"); ticks
 * are rounded to 12 digits (niceTicks), so 12 always tells them apart.
 */
function tickLabels(values: readonly number[]): string[] {
  for (let digits = 4; ; digits++) {
    const labels = values.map((v) => toDigits(v, digits));
    if (digits >= 12 || new Set(labels).size === labels.length) return labels;
  }
}

/**
 * The title's first line: the spec's `name` (when it has one), the net as explain's header writes it (2-4-1 net),
 * the loss, the optimiser and its lr, the lr written as the axes' numbers are (compact: 1e30, not String's 1e+30).
 * The shape is left out where the name already carries it: where one of the name's runs of integers joined by dashes,
 * each run taken whole (as long as it goes), is the shape — mnist-784-128-10's 784-128-10 — not where the shape is
 * only part of one (net-12-4-1 for a 2-4-1 net, 2-4-1-v2's run 2-4-1-2).
 */
export function plotTitle(name: string | undefined, shape: readonly number[], loss: string, optimizer: { name: string; lr: number }): string {
  const dims = shape.join('-');
  const run = `${loss}, ${optimizer.name} lr ${compact(optimizer.lr)}`;
  if (!name) return `${dims} net, ${run}`;
  return name.match(/\d+(?:-\d+)*/g)?.includes(dims) === true ? `${name}: ${run}` : `${name}: ${dims} net, ${run}`;
}

/** A pixel coordinate: 2 decimals, no trailing zeros. */
const px = (v: number): string => String(Math.round(v * 100) / 100);

/** Ticks at multiples of 1, 2 or 5 × 10^k inside [lo, hi], at most `most` of them. */
function niceTicks(lo: number, hi: number, most: number, integers = false): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / most;
  const p = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  if (integers) step = Math.max(1, Math.round(step));
  const out: number[] = [];
  // NOTE: k·step, not repeated additions (0.1 + 0.2 drifts); rounded to the step's digits for the labels.
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/**
 * A log10 axis over at least [lo, hi] (log10 units), widened to the ticks next beyond each end, so that its bottom and
 * top are labelled: ticks at the powers of ten (every 2nd, 3rd … where [lo, hi] spans more than 8 decades), and 2 and
 * 5 × them where it spans less than 3. Without the widening the lowest label sat up to a decade (two, past 8) above
 * the bottom, and the last epochs' losses below every label.
 */
function logAxis(lo: number, hi: number): Scale & { ticks: number[] } {
  const mults = hi - lo < 3 ? [1, 2, 5] : [1];
  const every = Math.max(1, Math.ceil((hi - lo) / 8));
  const grid: number[] = [];
  // One step of `every` decades beyond each end: a multiple of it lies there, so the grid reaches past lo and hi.
  for (let d = Math.floor(lo) - every; d <= Math.ceil(hi) + every; d++) {
    if (d % every === 0) grid.push(...mults.map((m) => d + Math.log10(m)));
  }
  const bottom = grid.filter((s) => s <= lo + 1e-9).at(-1)!;
  const top = grid.find((s) => s >= hi - 1e-9)!;
  return { lo: bottom, hi: top, log: true, ticks: grid.filter((s) => s >= bottom && s <= top) };
}

interface Scale {
  lo: number;
  hi: number;
  log: boolean;
}

/** The loss axis's scale for the finite losses `values` (module comment: log when all > 0 and max / min > 10). */
export function lossScale(values: readonly number[]): Scale {
  if (values.length === 0) return { lo: 0, hi: 1, log: false };
  // NOTE: a loop, not Math.min(...values): a spread of 140 000 values (70 000 epochs with validation) overflows the stack.
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const log = min > 0 && max / min > 10;
  const [a, b] = log ? [Math.log10(min), Math.log10(max)] : [min, max];
  if (a === b) {
    const d = a === 0 ? 1 : Math.abs(a) / 10;
    return { lo: a - d, hi: b + d, log };
  }
  const pad = 0.05 * (b - a);
  return { lo: a - pad, hi: b + pad, log };
}

interface Panel {
  top: number;
  label: string;
  scale: Scale;
  /** A value as drawn: its position on the scale (log10 where log; accuracy in %). */
  at: (v: number) => number;
  ticks: { s: number; text: string }[];
  series: { key: SeriesKey; name: string }[];
}

const SERIES_NAMES: Record<SeriesKey, string> = {
  loss: 'training loss', valLoss: 'validation loss', accuracy: 'training accuracy', valAccuracy: 'validation accuracy',
};
const isVal = (key: SeriesKey): boolean => key === 'valLoss' || key === 'valAccuracy';

/**
 * The learning curves of `history` (one entry per epoch, in order) as a standalone SVG document; `title`: its lines,
 * as given (escaped here); `best`: an epoch to mark with a dotted line in each panel (early stopping's best epoch).
 * Throws a RangeError on an empty history (there is nothing to draw).
 */
export function learningCurvesSvg(history: readonly PlotEpoch[], title: readonly string[], best?: number): string {
  if (history.length === 0) throw new RangeError('learningCurvesSvg: the history is empty');
  const has = (key: SeriesKey): boolean => history.some((e) => e[key] !== undefined);
  const value = (e: PlotEpoch, key: SeriesKey): number | undefined => e[key];
  const finite = (key: SeriesKey): number[] => history.map((e) => value(e, key)).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const lossKeys = (['loss', 'valLoss'] as const).filter(has);
  const accKeys = (['accuracy', 'valAccuracy'] as const).filter(has);
  const padded = lossScale(lossKeys.flatMap(finite));
  const { ticks: lossTicks, ...ls } = padded.log ? logAxis(padded.lo, padded.hi) : { ...padded, ticks: niceTicks(padded.lo, padded.hi, 6) };
  const lossLabels = tickLabels(lossTicks.map((s) => (ls.log ? 10 ** s : s)));
  const firstTop = TITLE_Y + TITLE_STEP * (title.length - 1) + L.titleGap;
  const panels: Panel[] = [{
    top: firstTop,
    label: ls.log ? 'loss (log scale)' : 'loss',
    scale: ls,
    at: ls.log ? Math.log10 : (v) => v,
    ticks: lossTicks.map((s, i) => ({ s, text: lossLabels[i] })),
    series: lossKeys.map((key) => ({ key, name: SERIES_NAMES[key] })),
  }];
  if (accKeys.length > 0) {
    panels.push({
      top: firstTop + PANEL_H + L.panelGap,
      label: 'accuracy %',
      scale: { lo: -4, hi: 104, log: false },
      at: (v) => 100 * v,
      ticks: [0, 25, 50, 75, 100].map((s) => ({ s, text: String(s) })),
      series: accKeys.map((key) => ({ key, name: SERIES_NAMES[key] })),
    });
  }
  const height = panels[panels.length - 1].top + PANEL_H + L.bottom;
  const first = history[0].epoch;
  const last = history[history.length - 1].epoch;
  const x = (epoch: number): number => (last === first ? LEFT + PLOT_W / 2 : LEFT + (PLOT_W * (epoch - first)) / (last - first));
  // The first and last epochs always labelled (where a run starts and ends); the round ones between them where their
  // labels clear those two (module comment).
  // NOTE: the widest label is the last epoch's (the largest); each label is centred on its tick.
  const clear = Math.max(TICK_CLEAR, DIGIT_W * String(last).length);
  const inner = niceTicks(first, last, 10, true).filter((e) => Math.abs(x(e) - x(first)) >= clear && Math.abs(x(last) - x(e)) >= clear);
  const epochTicks = last === first ? [first] : [first, ...inner, last];

  const out: string[] = [];
  const text = (tx: number, ty: number, s: string, attrs = ''): void => {
    out.push(`<text x="${px(tx)}" y="${px(ty)}"${attrs ? ` ${attrs}` : ''}>${escapeXml(s)}</text>`);
  };
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ${FONT} font-size="12" role="img">`);
  out.push(`<title>${escapeXml(['learning curves', ...title].join(' — '))}</title>`);
  out.push(`<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`);
  title.forEach((line, i) => {
    // NOTE: no font metrics here: ~8.3 px a character at 15 px bold, ~6.2 at 12 px (sans-serif's mean); a longer
    // line is squeezed to the width rather than cut off at the SVG's edge.
    const wide = line.length * (i === 0 ? 8.3 : 6.2) > WIDTH - LEFT - 8;
    const fit = wide ? ` textLength="${WIDTH - LEFT - 8}" lengthAdjust="spacingAndGlyphs"` : '';
    text(LEFT, TITLE_Y + TITLE_STEP * i, line, `${i === 0 ? 'font-size="15" font-weight="600"' : 'fill="#444444"'}${fit}`);
  });
  for (const p of panels) {
    const bottom = p.top + PANEL_H;
    const y = (s: number): number => p.top + (PANEL_H * (p.scale.hi - s)) / (p.scale.hi - p.scale.lo);
    // Grid and ticks: y (the panel's scale), x (epochs).
    for (const t of p.ticks) {
      out.push(`<line x1="${LEFT}" x2="${LEFT + PLOT_W}" y1="${px(y(t.s))}" y2="${px(y(t.s))}" stroke="#e2e2e2"/>`);
      text(LEFT - 6, y(t.s) + 4, t.text, 'text-anchor="end" fill="#333333"');
    }
    for (const e of epochTicks) {
      out.push(`<line x1="${px(x(e))}" x2="${px(x(e))}" y1="${bottom}" y2="${bottom + 5}" stroke="#333333"/>`);
      text(x(e), bottom + 18, String(e), 'text-anchor="middle" fill="#333333"');
    }
    out.push(`<rect x="${LEFT}" y="${p.top}" width="${PLOT_W}" height="${PANEL_H}" fill="none" stroke="#333333"/>`);
    // Early stopping's best epoch (train --early-stop): a dotted line across the panel, labelled at its top.
    if (best !== undefined && best >= first && best <= last) {
      out.push(`<line data-best-epoch="${best}" x1="${px(x(best))}" x2="${px(x(best))}" y1="${p.top}" y2="${bottom}" stroke="#555555" stroke-dasharray="2 3"/>`);
      text(x(best) + 4, p.top + 12, `best (${best})`, 'fill="#555555"');
    }
    text(LEFT + PLOT_W / 2, bottom + 36, 'epoch', 'text-anchor="middle"');
    text(18, p.top + PANEL_H / 2, p.label, `text-anchor="middle" transform="rotate(-90 18 ${px(p.top + PANEL_H / 2)})"`);
    // The series, then the legend row above the area.
    let lx = LEFT;
    for (const { key, name } of p.series) {
      const colour = isVal(key) ? VAL_COLOUR : TRAIN_COLOUR;
      const dash = isVal(key) ? ' stroke-dasharray="7 4"' : '';
      let run: string[] = [];
      const flush = (): void => {
        if (run.length > 1) out.push(`<polyline data-series="${key}" points="${run.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"${dash} stroke-linejoin="round"/>`);
        if (run.length === 1) {
          const [cx, cy] = run[0].split(',');
          out.push(`<circle data-series="${key}" cx="${cx}" cy="${cy}" r="4" fill="${isVal(key) ? '#ffffff' : colour}" stroke="${colour}" stroke-width="2"/>`);
        }
        run = [];
      };
      let skipped = 0;
      for (const e of history) {
        const v = value(e, key);
        if (v === undefined) continue;
        if (!Number.isFinite(v)) {
          skipped++;
          flush();
          continue;
        }
        run.push(`${px(x(e.epoch))},${px(y(p.at(v)))}`);
      }
      flush();
      const entry = skipped === 0 ? name : `${name} (${skipped} not finite, not drawn)`;
      out.push(`<line x1="${lx}" x2="${lx + 28}" y1="${p.top - 14}" y2="${p.top - 14}" stroke="${colour}" stroke-width="2"${dash}/>`);
      text(lx + 34, p.top - 10, entry, `data-legend="${key}"`);
      // NOTE: ~6.6 px a character at 12 px sans-serif; an estimate (no font metrics here), generous enough for two entries.
      lx += 34 + 6.6 * entry.length + 24;
    }
  }
  out.push('</svg>');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${out.join('\n')}\n`;
}
