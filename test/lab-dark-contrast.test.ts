/**
 * The lab's dark scheme is as readable as its light one: every text colour at least 4.5:1 on what it is written on
 * (WCAG 1.4.3) and every line, curve and focus ring at least 3:1 (WCAG 1.4.11, 2.4.13) — the thresholds of the light
 * scheme's tests (lab-chart-legend-contrast, lab-confusion-contrast). The page's colours are read from style.css's
 * dark block; the loss chart's from what LossChart.draw sets on a recording context with the system preferring dark
 * (matchMedia stubbed). The ratio is worked here from WCAG 2.2's definitions in float64, not from the code: an sRGB
 * channel c/255 is linearised (c ≤ 0.04045: c / 12.92, else ((c + 0.055) / 1.055)^2.4), the relative luminance is
 * 0.2126 R + 0.7152 G + 0.0722 B, and the contrast ratio (L1 + 0.05) / (L2 + 0.05), L1 the lighter.
 */
import { describe, expect, it } from 'vitest';
import { LossChart } from '../src/lab/loss-chart.ts';
import { DARK, LIGHT } from '../src/lab/palette.ts';
import { chartCanvas } from './lib/chart-canvas.ts';
import { type Call, styled } from './lib/recording-context.ts';
import { contrast, darkRules, get } from './lib/wcag.ts';
import { usePreferDark } from './lib/prefer-dark.ts';

describe('the WCAG formula (so that the checks can fail)', () => {
  it('black on white 21:1, white on white 1:1, #777 on white under 4.5:1', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 9);
    expect(contrast('#fff', '#ffffff')).toBeCloseTo(1, 9);
    expect(contrast('#777777', '#ffffff')).toBeLessThan(4.5);
  });
});

/** The selected tab's and pressed button's rule (their dark colours: told apart from the others by them alone). */
const SELECTED = ".tabs [role='tab'][aria-selected='true'], button[aria-pressed='true'], button[aria-pressed='true']:hover:not(:disabled)";

describe("style.css's dark block: text 4.5:1, focus rings 3:1", () => {
  const rules = darkRules();
  const v = (name: string): string => get(rules, ':root', `--${name}`);
  const text: [string, string, string][] = [
    ['text on the page', v('fg'), v('bg')],
    ['text on a panel', v('fg'), v('panel')],
    ['muted text on the page', v('muted'), v('bg')],
    ['muted text on a panel', v('muted'), v('panel')],
    ['a warning', v('warn'), v('warn-bg')],
    ['an error', v('err'), v('err-bg')],
    ['a check marked erratum on a panel', v('warn'), v('panel')],
    ['a check that failed on a panel', v('err'), v('panel')],
    ['a check that matched on a panel', v('ok'), v('panel')],
    ['a selected tab or pressed button', get(rules, SELECTED, 'color'), get(rules, SELECTED, 'background')],
    ['a button', v('fg'), get(rules, 'button, .file-button', 'background')],
    ['a hovered button', v('fg'), get(rules, 'button:hover:not(:disabled), .file-button:hover', 'background')],
    ['a formula error', get(rules, '.explain-error', 'color'), v('panel')],
    ["a wrong MNIST guess's words", get(rules, '.mnist-sample.wrong > span', 'color'), v('panel')],
    ['a used row or column of the matrix form', get(rules, ".explain .katex [style*='color: rgb(124, 58, 237)']", 'color'), v('panel')],
    ["the gradient entry's box", v('fg'), get(rules, '.explain .katex .colorbox', 'background-color')],
    ['a dialog', v('fg'), v('panel')],
    ['a link on a panel', get(rules, 'a', 'color'), v('panel')],
    ['a link on the page', get(rules, 'a', 'color'), v('bg')],
  ];
  for (const [what, fg, bg] of text) {
    it(`${what}: ${fg} on ${bg} ≥ 4.5:1`, () => expect(contrast(fg, bg)).toBeGreaterThanOrEqual(4.5));
  }
  const ring = get(rules, ":focus-visible, input[type='file']:focus-visible + label", 'outline-color');
  for (const [on, bg] of [['a panel', v('panel')], ['the page', v('bg')], ['the header', '#0f172a']]) {
    it(`the focus ring ${ring} on ${on} (${bg}) ≥ 3:1`, () => expect(contrast(ring, bg)).toBeGreaterThanOrEqual(3));
  }
  // WCAG 1.4.11: the selected tab and a pressed step button differ from the buttons beside them (plain or hovered) and
  // from the panel by their background alone (the light scheme's accent #1d4ed8: 6.1:1 on its #f1f5f9 buttons).
  const selected = get(rules, SELECTED, 'background');
  const beside: [string, string][] = [
    ['a button', get(rules, 'button, .file-button', 'background')],
    ['a hovered button', get(rules, 'button:hover:not(:disabled), .file-button:hover', 'background')],
    ['the panel', v('panel')],
  ];
  for (const [what, bg] of beside) {
    it(`the selected tab's or pressed button's background ${selected} against ${what} (${bg}) ≥ 3:1`, () => expect(contrast(selected, bg)).toBeGreaterThanOrEqual(3));
  }
  it("the diagram's background is the dark palette's, which the diagram is drawn for", () => {
    expect(get(rules, '.diagram', 'background')).toBe(DARK.diagram.background);
  });
});

const train = [{ step: 0, loss: 0.7 }, { step: 10, loss: 0.5 }, { step: 20, loss: 0.4 }];
const val = [{ step: 0, loss: 0.72 }, { step: 10, loss: 0.55 }, { step: 20, loss: 0.5 }];

/** The background of each draw (its fillRect's fill), and, in the last draw, each text's fill and each 2-px stroke's colour. */
function readDraws(calls: Call[]): { backgrounds: string[]; texts: string[]; lines: string[] } {
  const backgrounds: string[] = [];
  let texts: string[] = [];
  let lines: string[] = [];
  for (const { call: c, fill, stroke, width } of styled(calls)) {
    if (c[0] === 'fillRect') { backgrounds.push(fill); texts = []; lines = []; }
    if (c[0] === 'fillText') texts.push(fill);
    if (c[0] === 'stroke' && width === 2) lines.push(stroke);
  }
  return { backgrounds, texts, lines };
}

describe('the loss chart in the dark scheme', () => {
  usePreferDark();

  it('drawn on the dark panel: axis text and legend words ≥ 4.5:1, the two curves and their legend lines ≥ 3:1 on it', () => {
    const { canvas, calls } = chartCanvas();
    new LossChart(canvas).draw(train, 'wasm', val);
    const { backgrounds, texts, lines } = readDraws(calls);
    expect(backgrounds).toEqual([get(darkRules(), ':root', '--panel')]);
    const bg = backgrounds[0];
    expect(texts.length).toBeGreaterThan(5);
    for (const t of texts) expect(contrast(t, bg), `text ${t} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    // The training curve, the validation curve, then the legend's two sample lines.
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(contrast(l, bg), `line ${l} on ${bg}`).toBeGreaterThanOrEqual(3);
  });

  it('png() copies the chart drawn in the light palette (white), then draws it dark again', async () => {
    const { canvas, calls, blobAt } = chartCanvas();
    const chart = new LossChart(canvas);
    chart.draw(train, 'wasm', val);
    await chart.png();
    expect(blobAt).toHaveLength(1);
    const before = readDraws(calls.slice(0, blobAt[0]));
    expect(before.backgrounds.at(-1)).toBe(LIGHT.chart.background);
    expect(before.lines).toEqual([LIGHT.chart.training, LIGHT.chart.validation, LIGHT.chart.training, LIGHT.chart.validation]);
    expect(readDraws(calls).backgrounds.at(-1)).toBe(DARK.chart.background);
  });

  it('png() just after the scheme turned light, the canvas still dark (its redraw waits a frame): copied light all the same', async () => {
    const { canvas, calls, blobAt } = chartCanvas();
    const chart = new LossChart(canvas);
    chart.draw(train, 'wasm', val);
    expect(readDraws(calls).backgrounds).toEqual([DARK.chart.background]);
    // The system turns light; main.ts has not drawn the chart again yet.
    (globalThis as { matchMedia?: unknown }).matchMedia = () => ({ matches: false, addEventListener: () => undefined });
    await chart.png();
    expect(blobAt).toHaveLength(1);
    const before = readDraws(calls.slice(0, blobAt[0]));
    expect(before.backgrounds.at(-1)).toBe(LIGHT.chart.background);
    expect(before.lines).toEqual([LIGHT.chart.training, LIGHT.chart.validation, LIGHT.chart.training, LIGHT.chart.validation]);
  });
});
