/**
 * The bench's steps/s chart (svgChart: the runner's NAME.svg, the page's chart) and what its charts share with the
 * time-to-accuracy chart (bench/epochs.ts): a row's colour, a legend's and a title's width.
 */
import { escapeXml } from '../src/svg.ts';
import { envLine, fmtNum, rowLabel, type RunEnv, systemLabel } from './labels.ts';
import type { Row } from './protocol.ts';
import { WEBGPU_VARIANTS } from './systems.ts';

/** What svgChart reads of a run's result (bench/report.ts BenchResult, which has these fields). */
export interface ChartRun {
  configs: readonly { id: string }[];
  rows: readonly Row[];
  env: RunEnv;
  mode: string;
  date: string;
}

const COLORS: Record<string, string> = {
  'ours-webgpu': '#d62728', 'ours-wasm': '#7f7f7f', 'ours-cpu': '#ff7f0e', 'tfjs-webgpu': '#1f77b4', 'tfjs-wasm': '#2ca02c', 'tfjs-cpu': '#9467bd', scalar: '#8c564b',
  'tfjs-webgl': '#17becf', 'jax-webgpu': '#e377c2', 'jax-wasm': '#bcbd22',
};

/**
 * A row's colour: its system's at the fewest threads or workers it has in the run (`fewest`: the run's, fewestCounts;
 * else 1 thread, or jax-wasm's 0 workers, its main thread), and the same hue lighter for each count above that
 * (half-way to white, then 70 %), so the bars or lines of one system's counts tell apart in the chart and its legend
 * (jax-wasm's 0 and 1 workers were one colour in the published run's --jax-wasm-workers 0,1,2; a run at the default 1
 * worker alone keeps the hue). ours-webgpu's kernel variants (--webgpu-variants): 'auto' its own colour, the others
 * the same hue, each further towards white (WEBGPU_VARIANTS order).
 */
export function rowColor(r: Pick<Row, 'system' | 'threads' | 'variant'>, fewest?: ReadonlyMap<string, number>): string {
  const base = COLORS[r.system] ?? '#777777';
  const least = fewest?.get(r.system) ?? (r.system === 'jax-wasm' ? 0 : 1);
  const above = r.threads === undefined ? 0 : r.threads - least;
  const toWhite = r.variant !== undefined ? 0.18 * WEBGPU_VARIANTS.indexOf(r.variant) : above >= 2 ? 0.7 : above === 1 ? 0.5 : 0;
  if (!toWhite) return base;
  const mix = (k: number) => Math.round(parseInt(base.slice(k, k + 2), 16) * (1 - toWhite) + 255 * toWhite).toString(16).padStart(2, '0');
  return `#${mix(1)}${mix(3)}${mix(5)}`;
}

/**
 * The steps/s axis's label of 10^p (p whole): 0.001 … 100, 1k … 100k, 1M … 100M, 1G …, with the k, M and G the
 * tables use for their larger figures (fmtNum); 1e-4 and below in exponent form. It read 100 beside 1e3.
 */
export function decadeLabel(p: number): string {
  if (p >= 9) return `${10 ** (p - 9)}G`;
  if (p >= 6) return `${10 ** (p - 6)}M`;
  if (p >= 3) return `${10 ** (p - 3)}k`;
  if (p >= -3) return String(Number((10 ** p).toPrecision(1)));
  return `1e${p}`;
}

/**
 * Each system's fewest threads or workers among the rows drawn (a count, and a bar or a line: not an erred or skipped
 * row, which draws nothing — its count as the base left every drawn bar of the system pale): rowColor's base.
 */
export function fewestCounts(rows: readonly Pick<Row, 'system' | 'threads' | 'status'>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    if (r.threads === undefined || r.status === 'error' || r.status === 'skipped') continue;
    out.set(r.system, Math.min(out.get(r.system) ?? Infinity, r.threads));
  }
  return out;
}

/**
 * The environment line cut at its ' · ' separators into lines of at most `chars` characters (an SVG footer); a part
 * longer than that (a WebGL renderer string) is cut at its spaces, and a word longer than a line is cut where it must.
 */
export function wrapEnv(line: string, chars: number): string[] {
  const lines: string[] = [];
  for (const part of line.split(' · ')) {
    const last = lines.length ? lines[lines.length - 1] : null;
    if (last !== null && last.length + 3 + part.length <= chars) lines[lines.length - 1] = `${last} · ${part}`;
    else lines.push(...wrapWords(part, chars));
  }
  return lines;
}

function wrapWords(part: string, chars: number): string[] {
  const out: string[] = [];
  for (let word of part.split(' ')) {
    const last = out.length ? out[out.length - 1] : null;
    if (last !== null && last.length + 1 + word.length <= chars) {
      out[out.length - 1] = `${last} ${word}`;
      continue;
    }
    while (word.length > chars) {
      out.push(word.slice(0, chars));
      word = word.slice(chars);
    }
    out.push(word);
  }
  return out;
}

/**
 * Grouped bars of steps/s (log scale) per config, one bar per system, each numbered as its system is in the legend
 * (1 … n: the colours alone told them apart); wrong rows hatched red, errors absent. Bars and
 * colours are keyed by systemLabel; the legend and the tooltips say rowLabel's text (the kernels `auto` picked). A
 * label measured twice in a config (ours-wasm on 1 thread in two page loads: `--ours-wasm-threads 1,1,2`) has a bar
 * for each, the second keyed `label, 2nd row` (the Markdown lists both rows; the chart drew the first only). Of the
 * run's result (bench/report.ts BenchResult) it reads only what ChartRun names.
 */
export function svgChart(result: ChartRun): string {
  const configs = result.configs.map((c) => c.id).filter((id) => result.rows.some((r) => r.config === id && r.stepsPerSec));
  // Each row's bar key: systemLabel, and its place among the config's rows of that label after the first.
  const keyOf = new Map<Row, string>();
  const seen = new Map<string, number>();
  for (const r of result.rows) {
    const before = seen.get(`${r.config}\n${systemLabel(r)}`) ?? 0;
    seen.set(`${r.config}\n${systemLabel(r)}`, before + 1);
    keyOf.set(r, before === 0 ? systemLabel(r) : `${systemLabel(r)}, ${ORDINALS[before] ?? `${before + 1}th`} row`);
  }
  const key = (r: Row): string => keyOf.get(r)!;
  // One bar per system and count (ours-wasm at 1 and 2 threads are two bars), and per repeated row.
  const systems = [...new Set(result.rows.filter((r) => r.stepsPerSec).map(key))];
  // The rows with a bar: a fit row (no steps/s) draws none here, and its count as the base left the bars pale.
  const fewest = fewestCounts(result.rows.filter((r) => r.stepsPerSec));
  const colors = new Map(result.rows.map((r) => [key(r), rowColor(r, fewest)]));
  const colorOf = (label: string): string => colors.get(label) ?? '#777777';
  const shown = new Map(result.rows.map((r) => [key(r), key(r) === systemLabel(r) ? rowLabel(r, result.env) : key(r).replace(systemLabel(r), rowLabel(r, result.env))]));
  const shownOf = (label: string): string => shown.get(label) ?? label;
  const values = result.rows.filter((r) => r.stepsPerSec).map((r) => r.stepsPerSec!);
  const lo = Math.floor(Math.log10(Math.min(...values, 1)));
  const hi = Math.ceil(Math.log10(Math.max(...values, 10)));
  const barW = 14;
  const groupW = systems.length * barW + 24;
  const left = 70;
  const top = 40;
  const plotH = 320;
  const title = `steps/s per config and system (log scale) — ${result.mode} run ${result.date.slice(0, 10)}`;
  // NOTE: the bold 14 px title's width by textWidth: a run of one or two configs must not clip it; the legend's labels
  // too (`ours-webgpu (auto: blocked-subgroup)` is wider than the 180 px it had).
  const legend = legendWidth(systems.map(shownOf));
  const width = Math.max(left + configs.length * groupW + 20 + legend, left + titleWidth(title));
  // NOTE: ~6 px a character at font-size 11: the footer wraps to the chart's width instead of widening it.
  const footer = wrapEnv(envLine(result.env), Math.floor((width - left) / 6));
  const height = top + plotH + 46 + 14 * footer.length;
  const y = (v: number): number => top + plotH - ((Math.log10(v) - lo) / (hi - lo)) * plotH;
  const s: string[] = [];
  s.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  s.push(`<rect width="100%" height="100%" fill="white"/>`);
  s.push(`<text x="${left}" y="20" font-size="14" font-weight="bold">${escapeXml(title)}</text>`);
  for (let p = lo; p <= hi; p++) {
    const yy = y(10 ** p);
    s.push(`<line x1="${left}" x2="${left + configs.length * groupW}" y1="${yy.toFixed(1)}" y2="${yy.toFixed(1)}" stroke="#ddd"/>`);
    s.push(`<text x="${left - 6}" y="${(yy + 4).toFixed(1)}" text-anchor="end">${decadeLabel(p)}</text>`);
  }
  configs.forEach((cid, g) => {
    const x0 = left + g * groupW + 12;
    systems.forEach((sys, k) => {
      const r = result.rows.find((x) => x.config === cid && key(x) === sys);
      if (!r?.stepsPerSec) return;
      const x = x0 + k * barW;
      const yy = y(r.stepsPerSec);
      const fill = r.status === 'ok' ? colorOf(sys) : '#fff';
      const stroke = r.status === 'ok' ? 'none' : '#d00';
      s.push(`<rect x="${x}" y="${yy.toFixed(1)}" width="${barW - 2}" height="${(top + plotH - yy).toFixed(1)}" fill="${fill}" stroke="${stroke}"><title>${escapeXml(`${cid} ${shownOf(sys)}: ${fmtNum(r.stepsPerSec)} steps/s${r.status !== 'ok' ? ` (${r.status})` : ''}`)}</title></rect>`);
      // Its system's number (the legend's), over it: the bars are told apart by more than their colour (WCAG 1.4.1).
      s.push(`<text x="${x + (barW - 2) / 2}" y="${(yy - 3).toFixed(1)}" text-anchor="middle" font-size="9">${k + 1}</text>`);
    });
    s.push(`<text x="${x0 + (systems.length * barW) / 2}" y="${top + plotH + 16}" text-anchor="middle">${escapeXml(cid)}</text>`);
  });
  s.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#333"/>`);
  s.push(`<line x1="${left}" x2="${left + configs.length * groupW}" y1="${top + plotH}" y2="${top + plotH}" stroke="#333"/>`);
  const lx = left + configs.length * groupW + 20;
  systems.forEach((sys, k) => {
    s.push(`<rect x="${lx}" y="${top + k * 18}" width="12" height="12" fill="${colorOf(sys)}"/>`);
    s.push(`<text x="${lx + 18}" y="${top + k * 18 + 10}">${escapeXml(shownOf(sys))}</text>`);
    s.push(`<text x="${lx - 4}" y="${top + k * 18 + 10}" text-anchor="end" font-size="9">${k + 1}</text>`);
  });
  footer.forEach((line, k) => s.push(`<text x="${left}" y="${top + plotH + 46 + 14 * k}" fill="#555">${escapeXml(line)}</text>`));
  s.push('</svg>');
  return `${s.join('\n')}\n`;
}

/** A repeated row's place in the chart's keys (the second is the first repeat). */
const ORDINALS: Record<number, string> = { 1: '2nd', 2: '3rd' };

/** A legend's width in px from its swatch's left edge: at least 160, else its longest label's (textWidth, font-size 11). */
export function legendWidth(labels: string[]): number {
  return Math.max(160, 18 + Math.ceil(Math.max(0, ...labels.map((l) => textWidth(l, 11)))) + 8);
}

/** A chart title's width in px (bold, font-size 14), rounded up. */
export const titleWidth = (title: string): number => Math.ceil(textWidth(title, 14, true));

/**
 * Characters by their advance in DejaVu Sans (and DejaVu Sans Bold), in em, each class's widest rounded up; ASCII
 * outside them 0.64 (bold 0.72: lower case, digits), anything else 1 (bold 1.11).
 */
const WIDTH_CLASSES: readonly (readonly [chars: string, regular: number, bold: number])[] = [
  [" .,:;'|/\\ijlIJ", 0.34, 0.4],
  ['!()[]-ftr', 0.42, 0.5],
  ['ABCDEFGHKLNOPQRSTUVXYZ#+<=>^~&', 0.84, 0.88],
  ['mwMW%@', 1, 1.11],
];

/**
 * An upper estimate of a text's width in px in the charts' font-family sans-serif, by DejaVu Sans's advances (Bold's
 * where `bold`), the widest of the usual defaults (Arial, Helvetica, Liberation Sans are narrower): Firefox on Linux
 * draws the charts in it. At the former ~8 px a character the bold 14 px title of a one-config run was clipped there
 * (531 px against 520, Firefox 153), and ~6 px for the legend's labels cut `THREAD_MIN_WORK)` (Chromium's face is narrower).
 */
export function textWidth(text: string, px: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    const c = WIDTH_CLASSES.find(([chars]) => chars.includes(ch));
    em += c ? c[bold ? 2 : 1] : ch.charCodeAt(0) < 128 ? (bold ? 0.72 : 0.64) : (bold ? 1.11 : 1);
  }
  return em * px;
}
