/**
 * The bench's SVG charts are wide enough for their title and legend in the widest usual sans-serif, DejaVu Sans:
 * Linux's default, in which Firefox draws them (bench/chart.ts textWidth). At the old ~8 px a character the bold 14 px
 * title of a one-config run was clipped in Firefox 153 ("… custom run 2026-12-0": 531 px of text from x 70 in a 590 px
 * chart), and at ~6 px a character the legend's `ours-wasm (2 threads asked, 1 used: net under THREAD_MIN_WORK)` lost
 * its ")" — Chromium's narrower face hid both (test/browser/firefox-lab.test.ts draws them in Gecko).
 *
 * The reference: DejaVu Sans's and DejaVu Sans Bold's advance widths, in 1/2048 em (the fonts' units per em), as
 * Firefox 153 laid them out (ten of each character, getComputedTextLength, at 11 px and bold 14 px); the space from
 * the fonts' tables (651, bold 713), the em dash one em.
 */
import { describe, expect, it } from 'vitest';
import { type ChartRun, svgChart, textWidth } from '../bench/chart.ts';
import { epochsSvg } from '../bench/epochs.ts';
import type { Row } from '../bench/protocol.ts';

const REGULAR: Record<string, number> = {
  ' ': 651, '(': 797, ')': 797, ',': 652, '-': 739, '.': 652, '/': 689, ':': 689, '_': 1024, '—': 2048,
  0: 1303, 1: 1303, 2: 1303, 6: 1303, 7: 1303,
  A: 1452, D: 1577, E: 1294, H: 1540, I: 605, K: 1344, M: 1765, N: 1532, O: 1610, R: 1424, T: 1219, W: 2026,
  a: 1253, c: 1126, d: 1300, e: 1260, f: 706, g: 1300, h: 1298, i: 568, k: 1186, l: 568, m: 1996, n: 1298, o: 1253,
  p: 1300, q: 1300, r: 810, s: 1067, t: 804, u: 1298, v: 1214, w: 1676, y: 1214,
};
const BOLD: Record<string, number> = {
  ' ': 713, '(': 936, ')': 936, ',': 778, '-': 851, '.': 778, '/': 749, ':': 819, '_': 1024, '—': 2048,
  0: 1423, 1: 1423, 2: 1423, 6: 1423, 7: 1423,
  a: 1382, c: 1214, d: 1466, e: 1390, f: 829, g: 1466, h: 1458, i: 702, k: 1363, l: 702, m: 2133, n: 1458, o: 1407,
  p: 1466, q: 1466, r: 1009, s: 1219, t: 980, u: 1458, v: 1336, w: 1891, y: 1336,
};
/** A text's width in px in DejaVu Sans (Bold), from the table; a character not in it fails the test. */
function dejaVu(text: string, px: number, bold = false): number {
  const table = bold ? BOLD : REGULAR;
  let units = 0;
  for (const ch of text) {
    if (table[ch] === undefined) throw new Error(`no DejaVu Sans${bold ? ' Bold' : ''} width for '${ch}'`);
    units += table[ch];
  }
  return (units / 2048) * px;
}

const widthOf = (svg: string): number => Number(svg.match(/<svg[^>]* width="(\d+)"/)![1]);
const unescape = (t: string): string => t.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const row = (system: Row['system'], extra: Partial<Row> = {}): Row => ({ config: 'a', system, status: 'ok', agreeSteps: 2, stepsPerSec: 1e6, ...extra });

describe('the bench charts fit their title and legend in DejaVu Sans', () => {
  it("a one-config run's steps/s chart is as wide as its bold 14 px title (the browser page's quick run)", () => {
    const run: ChartRun = { configs: [{ id: 'a' }], rows: [row('ours-cpu'), row('ours-wasm', { threads: 1 })], env: { runner: 'browser', cpu: { model: 'x', cores: 2 } }, mode: 'custom', date: '2026-12-07T20:21:05.387Z' };
    const svg = svgChart(run);
    const [, x, title] = svg.match(/<text x="(\d+)" y="20" font-size="14" font-weight="bold">([^<]*)<\/text>/)!;
    expect(unescape(title)).toBe('steps/s per config and system (log scale) — custom run 2026-12-07');
    // 70 + 531.2 px (a 590 px chart cut it 12 px short).
    expect(Number(x) + dejaVu(unescape(title), 14, true)).toBeLessThanOrEqual(widthOf(svg));
  });

  it("the legend's longest label, an ours-wasm row that ran on fewer threads than asked, fits at font-size 11", () => {
    const label = 'ours-wasm (2 threads asked, 1 used: net under THREAD_MIN_WORK)';
    // Four configs, so that the legend, not the title, sets the width (bench/results/a-run-45.json's chart lost the ")").
    const configs = ['a', 'b-mse', 'c-mse', 'd-mse'];
    const rows = configs.flatMap((config) => [row('ours-cpu', { config }), row('ours-wasm', { config, threads: 2, netThreads: 1 })]);
    const run: ChartRun = { configs: configs.map((id) => ({ id })), rows, env: { runner: 'node', cpu: { model: 'x', cores: 2 } }, mode: 'custom', date: '2026-12-07T00:00:00.000Z' };
    const svg = svgChart(run);
    const [, x] = svg.match(new RegExp(`<text x="(\\d+)" y="[\\d.]+">${label.replace(/[()]/g, '\\$&')}</text>`))!;
    expect(Number(x) + dejaVu(label, 11)).toBeLessThanOrEqual(widthOf(svg));
  });

  it("a time-to-accuracy chart is as wide as its title, however few its panels and short its legend", () => {
    const r: Row = { system: 'ours-cpu', config: 'e-sgd', status: 'ok', agreeSteps: 63, epochs: [{ epoch: 1, at: 1, loss: 1, testAccuracy: 0.9 }, { epoch: 2, at: 2, loss: 1, testAccuracy: 0.95 }] };
    const title = 'test accuracy vs seconds (configs e and qe) — custom run 2026-12-07 — with a note that runs on and on past the panel';
    const svg = epochsSvg([r], [{ id: 'e-sgd' }], {}, title)!;
    expect(56 + dejaVu(title, 14, true)).toBeLessThanOrEqual(widthOf(svg));
  });

  it('textWidth is never under DejaVu Sans (Bold) for text of one kind: capitals, digits, lower case, narrow letters', () => {
    for (const t of ['THREAD_MIN_WORK', 'MEAN', '2026-12-07', 'steps/s per config and system', 'ill-fitted (ill), lit: i.l.']) {
      expect(textWidth(t, 11), t).toBeGreaterThanOrEqual(dejaVu(t, 11));
      if (!/[A-Z_]/.test(t)) expect(textWidth(t, 14, true), t).toBeGreaterThanOrEqual(dejaVu(t, 14, true));
    }
  });
});
