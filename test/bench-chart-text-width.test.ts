/**
 * The bench's SVG charts are wide enough for their title and legend in the widest usual sans-serif, DejaVu Sans:
 * Linux's default, in which Firefox draws them (bench/chart.ts textWidth). At the old ~8 px a character the bold 14 px
 * title of a one-config run was clipped in Firefox 153 ('… custom run 2026-12-0': 531 px of text from x 70 in a 590 px
 * chart), and at ~6 px a character the legend's `ours-wasm (2 threads asked, 1 used: net under THREAD_MIN_WORK)` lost
 * its ")" — Chromium's narrower face hid both (test/browser/firefox-lab.test.ts draws them in Gecko).
 *
 * The reference: DejaVu Sans's and DejaVu Sans Bold's advance widths, in 1/2048 em (the fonts' units per em), read
 * from the fonts' own `hmtx` through their `cmap` (Debian's fonts-dejavu-core 2.37, /usr/share/fonts/truetype/dejavu/,
 * by a 24-line hmtx/cmap reader in Node written for read63b): every printable ASCII character, and µ × – — → …. (A
 * first table, measured in Firefox as ten of a character in a row, had 'r' at 810 and 'T' at 1219 where the fonts
 * have 842 and 1251: it hid that textWidth's 0.41 em for 'r', 839.7 units, is under the font's.)
 */
import { describe, expect, it } from 'vitest';
import { type ChartRun, svgChart, textWidth } from '../bench/chart.ts';
import { epochsSvg } from '../bench/epochs.ts';
import type { Row } from '../bench/protocol.ts';

const REGULAR: Record<string, number> = {
  ' ': 651, '!': 821, '"': 942, '#': 1716, '$': 1303, '%': 1946, '&': 1597, "'": 563, '(': 799, ')': 799, '*': 1024,
  '+': 1716, ',': 651, '-': 739, '.': 651, '/': 690, '0': 1303, '1': 1303, '2': 1303, '3': 1303, '4': 1303,
  '5': 1303, '6': 1303, '7': 1303, '8': 1303, '9': 1303, ':': 690, ';': 690, '<': 1716, '=': 1716, '>': 1716,
  '?': 1087, '@': 2048, 'A': 1401, 'B': 1405, 'C': 1430, 'D': 1577, 'E': 1294, 'F': 1178, 'G': 1587, 'H': 1540,
  'I': 604, 'J': 604, 'K': 1343, 'L': 1141, 'M': 1767, 'N': 1532, 'O': 1612, 'P': 1235, 'Q': 1612, 'R': 1423,
  'S': 1300, 'T': 1251, 'U': 1499, 'V': 1401, 'W': 2025, 'X': 1403, 'Y': 1251, 'Z': 1403, '[': 799, '\\': 690,
  ']': 799, '^': 1716, '_': 1024, '`': 1024, 'a': 1255, 'b': 1300, 'c': 1126, 'd': 1300, 'e': 1260, 'f': 721,
  'g': 1300, 'h': 1298, 'i': 569, 'j': 569, 'k': 1186, 'l': 569, 'm': 1995, 'n': 1298, 'o': 1253, 'p': 1300,
  'q': 1300, 'r': 842, 's': 1067, 't': 803, 'u': 1298, 'v': 1212, 'w': 1675, 'x': 1212, 'y': 1212, 'z': 1075,
  '{': 1303, '|': 690, '}': 1303, '~': 1716, 'µ': 1303, '×': 1716, '–': 1024, '—': 2048, '→': 1716, '…': 2048,
};
const BOLD: Record<string, number> = {
  ' ': 713, '!': 934, '"': 1067, '#': 1716, '$': 1425, '%': 2052, '&': 1786, "'": 627, '(': 936, ')': 936,
  '*': 1071, '+': 1716, ',': 778, '-': 850, '.': 778, '/': 748, '0': 1425, '1': 1425, '2': 1425, '3': 1425,
  '4': 1425, '5': 1425, '6': 1425, '7': 1425, '8': 1425, '9': 1425, ':': 819, ';': 819, '<': 1716, '=': 1716,
  '>': 1716, '?': 1188, '@': 2048, 'A': 1585, 'B': 1561, 'C': 1503, 'D': 1700, 'E': 1399, 'F': 1399, 'G': 1681,
  'H': 1714, 'I': 762, 'J': 762, 'K': 1587, 'L': 1305, 'M': 2038, 'N': 1714, 'O': 1741, 'P': 1501, 'Q': 1741,
  'R': 1577, 'S': 1475, 'T': 1397, 'U': 1663, 'V': 1585, 'W': 2259, 'X': 1579, 'Y': 1483, 'Z': 1485, '[': 936,
  '\\': 748, ']': 936, '^': 1716, '_': 1024, '`': 1024, 'a': 1382, 'b': 1466, 'c': 1214, 'd': 1466, 'e': 1389,
  'f': 891, 'g': 1466, 'h': 1458, 'i': 702, 'j': 702, 'k': 1362, 'l': 702, 'm': 2134, 'n': 1458, 'o': 1407,
  'p': 1466, 'q': 1466, 'r': 1010, 's': 1219, 't': 979, 'u': 1458, 'v': 1335, 'w': 1892, 'x': 1321, 'y': 1335,
  'z': 1192, '{': 1458, '|': 748, '}': 1458, '~': 1716, 'µ': 1507, '×': 1716, '–': 1024, '—': 2048, '→': 1716,
  '…': 2048,
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
      expect(textWidth(t, 14, true), t).toBeGreaterThanOrEqual(dejaVu(t, 14, true));
    }
  });

  // read63b: the class of '!()[]-ftr' had 0.41 em, under 'r' (842 / 2048 = 0.4111 em): a run of r's was under.
  it("textWidth is never under DejaVu Sans (Bold) for any one character: every printable ASCII one, 'r' with them", () => {
    for (const ch of Object.keys(REGULAR)) {
      expect(textWidth(ch, 2048), `'${ch}'`).toBeGreaterThanOrEqual(REGULAR[ch]);
      expect(textWidth(ch, 2048, true), `'${ch}' bold`).toBeGreaterThanOrEqual(BOLD[ch]);
    }
  });
});
