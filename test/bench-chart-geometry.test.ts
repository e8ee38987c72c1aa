/**
 * The steps/s chart's geometry (bench/chart.ts svgChart), worked by hand: which bar is whose, where it stands and how
 * tall it is on the log axis, the axis's decades and labels. The other chart tests (test/bench-report.test.ts) check
 * colours, the legend and the footer; a bar drawn for the wrong system or scaled wrongly passed them.
 */
import { describe, expect, it } from 'vitest';
import { type ChartRun, decadeLabel, svgChart } from '../bench/chart.ts';
import { epochsSvg, timeAxis } from '../bench/epochs.ts';
import type { Row } from '../bench/protocol.ts';

const row = (config: string, system: Row['system'], stepsPerSec: number | undefined, status: Row['status'] = 'ok'): Row => ({
  config, system, status, agreeSteps: 2, ...(stepsPerSec === undefined ? {} : { stepsPerSec }),
});

// Two configs with bars (a, b-mse), one whose only row erred (c-mse: no bar, no group). ours-cpu's first row comes
// first, so the bar order in each group is ours-cpu, tfjs-cpu (first appearance), whatever the row order in b-mse.
const run: ChartRun = {
  configs: [{ id: 'a' }, { id: 'b-mse' }, { id: 'c-mse' }],
  rows: [
    row('a', 'ours-cpu', 1000),
    row('a', 'tfjs-cpu', 10),
    row('b-mse', 'tfjs-cpu', 100, 'wrong'),
    row('b-mse', 'ours-cpu', 10),
    row('c-mse', 'ours-cpu', undefined, 'error'),
  ],
  env: { runner: 'node', cpu: { model: 'x', cores: 1 } },
  mode: 'custom',
  date: '2026-12-06T00:00:00.000Z',
};

interface Bar { x: number; y: number; width: number; height: number; fill: string; stroke: string }

/** Each bar by its tooltip's "config system" (the part before ':'). */
function bars(svg: string): Map<string, Bar> {
  const out = new Map<string, Bar>();
  const re = /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="([^"]+)" stroke="([^"]+)"><title>([^:<]+):/g;
  for (const [, x, y, width, height, fill, stroke, who] of svg.matchAll(re)) {
    out.set(who, { x: Number(x), y: Number(y), width: Number(width), height: Number(height), fill, stroke });
  }
  return out;
}

/** Config a alone, ours-cpu at `ours` steps/s and tfjs-cpu at `tfjs`: the chart, and each bar's [y, height]. */
function twoBars(ours: number, tfjs: number): { chart: string; heights: (number | undefined)[][] } {
  const chart = svgChart({ ...run, configs: [{ id: 'a' }], rows: [row('a', 'ours-cpu', ours), row('a', 'tfjs-cpu', tfjs)] });
  const b = bars(chart);
  return { chart, heights: ['a ours-cpu', 'a tfjs-cpu'].map((k) => [b.get(k)?.y, b.get(k)?.height]) };
}

describe('the steps/s chart\'s geometry (svgChart), worked by hand', () => {
  const svg = svgChart(run);
  /** A system's legend swatch colour: an ok bar is filled with it. */
  const legend = (system: string): string => svg.match(new RegExp(`fill="(#[0-9a-f]{6})"/>\\n<text[^>]*>${system}</text>`))?.[1] ?? 'no swatch';

  it('draws one bar per row with steps/s, at its config\'s group and its system\'s slot, as tall as log10 of its steps/s', () => {
    // Axis: lo = floor(log10(min(1000, 10, 100, 10, 1))) = 0, hi = ceil(log10(max(1000, 10, 100, 10, 10))) = 3.
    // Plot: top 40, height 320, so y(v) = 40 + 320 − (log10 v − 0) / (3 − 0) · 320 = 360 − 320·log10(v)/3, and a
    // bar's height is 360 − y(v) = 320·log10(v)/3: 1000 → 320, 100 → 213.3, 10 → 106.7.
    // Columns: 2 systems, a bar 14 px, a group 2·14 + 24 = 52 px, starting at left 70 + 12; group g at 82 + 52·g,
    // system k at + 14·k; each bar 14 − 2 = 12 px wide.
    const want: Record<string, Bar> = {
      'a ours-cpu': { x: 82, y: 40, width: 12, height: 320, fill: legend('ours-cpu'), stroke: 'none' },
      'a tfjs-cpu': { x: 96, y: 253.3, width: 12, height: 106.7, fill: legend('tfjs-cpu'), stroke: 'none' },
      'b-mse ours-cpu': { x: 134, y: 253.3, width: 12, height: 106.7, fill: legend('ours-cpu'), stroke: 'none' },
      // A wrong row: hatched, white with a red edge, at its own height (100 steps/s: y = 360 − 213.3 = 146.7).
      'b-mse tfjs-cpu': { x: 148, y: 146.7, width: 12, height: 213.3, fill: '#fff', stroke: '#d00' },
    };
    expect(legend('ours-cpu')).not.toBe(legend('tfjs-cpu'));
    expect(Object.fromEntries(bars(svg))).toEqual(want);
  });

  it('labels each group under its bars and leaves out a config with no steps/s', () => {
    // A group's label at its middle: 82 + 52·g + (2·14)/2, under the plot (40 + 320 + 16 = 376).
    const labels = [...svg.matchAll(/<text x="([\d.]+)" y="376" text-anchor="middle">([^<]*)<\/text>/g)].map(([, x, t]) => [Number(x), t]);
    expect(labels).toEqual([[96, 'a'], [148, 'b-mse']]);
    expect(svg).not.toContain('c-mse');
    // The x axis spans the two groups only: 70 → 70 + 2·52 = 174.
    expect(svg).toContain('<line x1="70" x2="174" y1="360" y2="360" stroke="#333"/>');
  });

  it('draws a grid line and a label for every decade from lo to hi: 1, 10, 100 and 1k', () => {
    // y(10^p) = 360 − 320·p/3: 360, 253.3, 146.7, 40; each label 4 px below its line, right-aligned at 70 − 6.
    const grid = [...svg.matchAll(/<line x1="70" x2="174" y1="([\d.]+)" y2="[\d.]+" stroke="#ddd"\/>\n<text x="64" y="([\d.]+)" text-anchor="end">([^<]*)<\/text>/g)]
      .map(([, y, ty, t]) => [Number(y), Number(ty), t]);
    expect(grid).toEqual([[360, 364, '1'], [253.3, 257.3, '10'], [146.7, 150.7, '100'], [40, 44, '1k']]);
  });

  it('decade labels in the tables\' style: 1e-4, 0.001 … 100, 1k … 100k, 1M … 100M, 1G, 10G (100 sat beside 1e3)', () => {
    expect([-4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(decadeLabel)).toEqual(
      ['1e-4', '0.001', '0.01', '0.1', '1', '10', '100', '1k', '10k', '100k', '1M', '10M', '100M', '1G', '10G']);
  });

  it('widens the axis to whole decades past the slowest and the fastest row: 0.5 and 2000 steps/s on 10⁻¹ … 10⁴', () => {
    // lo = floor(log10(0.5)) = floor(−0.301) = −1, hi = ceil(log10(2000)) = ceil(3.301) = 4: five decades of 320 px,
    // y(v) = 360 − 64·(log10 v + 1): 0.5 → 360 − 64·0.699 = 360 − 44.7 = 315.3; 2000 → 360 − 64·4.301 = 360 − 275.3 = 84.7.
    // One config, two systems: the group is 2·14 + 24 = 52 px, the x axis 70 → 122.
    const { chart, heights } = twoBars(0.5, 2000);
    expect(heights).toEqual([[315.3, 44.7], [84.7, 275.3]]);
    expect(chart).toContain('<line x1="70" x2="122" y1="360" y2="360" stroke="#333"/>');
  });

  it('keeps 1 and 10 on the axis when every row is slower than 1 step/s: 0.2 and 0.5 on 10⁻¹ … 10¹', () => {
    // lo = floor(log10(0.2)) = floor(−0.699) = −1; hi = ceil(log10(max(0.5, 10))) = 1: two decades,
    // y(v) = 360 − 160·(log10 v + 1): 0.2 → 360 − 160·0.301 = 360 − 48.2 = 311.8; 0.5 → 360 − 160·0.699 = 360 − 111.8 = 248.2.
    const { chart, heights } = twoBars(0.2, 0.5);
    expect(heights).toEqual([[311.8, 48.2], [248.2, 111.8]]);
    // The decades' labels: 10⁻¹ = 0.1 at y 360, 1 at 200, 10 at 40 (each label 4 px lower).
    const labels = [...chart.matchAll(/<text x="64" y="([\d.]+)" text-anchor="end">([^<]*)<\/text>/g)].map(([, y, t]) => [Number(y), t]);
    expect(labels).toEqual([[364, '0.1'], [204, '1'], [44, '10']]);
  });

  it('gives a system whose rows all erred no slot and no legend entry', () => {
    // scalar erred on a: the groups stay 2 bars wide (52 px: x axis 70 → 122), and the legend names the two systems only.
    const erred = { ...run, configs: [{ id: 'a' }], rows: [row('a', 'ours-cpu', 10), row('a', 'scalar', undefined, 'error'), row('a', 'tfjs-cpu', 100)] };
    const chart = svgChart(erred);
    expect(chart).toContain('<line x1="70" x2="122" y1="360" y2="360" stroke="#333"/>');
    expect([...bars(chart).values()].map((x) => x.x)).toEqual([82, 96]);
    expect(chart).not.toContain('scalar');
  });
});

describe('the time-to-accuracy chart\'s geometry (epochsSvg), worked by hand', () => {
  it('puts each epoch end at its seconds on a 0 … slowest-end axis and its accuracy on a lo … 100 % axis', () => {
    const fit = (system: Row['system'], at: number[], acc: number[]): Row => ({
      system, config: 'e-sgd', status: 'ok', agreeSteps: 63, epochs: at.map((t, k) => ({ epoch: k + 1, at: t, loss: 1, testAccuracy: acc[k] })),
    });
    const svg = epochsSvg([fit('ours-cpu', [2, 4], [0.8, 0.9]), fit('tfjs-webgl', [1, 2], [0.85, 0.95])], [{ id: 'e-sgd' }], { 'e-sgd': 0.9 }, 't')!;
    // Panel: left 56, top 40, 420 × 260. Time axis 0 … 4 s (the last epoch end): X(t) = 56 + 420·t/4 = 56 + 105·t.
    // Accuracy axis: lo = floor(20·min(0.8, 0.9, 0.85, 0.95, goal 0.9))/20 = 0.8 … 1: Y(a) = 300 − 260·(a − 0.8)/0.2 = 300 − 1300·(a − 0.8).
    // ours-cpu: (2 s, 0.8) → (266, 300); (4 s, 0.9) → (476, 170). tfjs-webgl: (1 s, 0.85) → (161, 235); (2 s, 0.95) → (266, 105).
    const lines = [...svg.matchAll(/<polyline points="([^"]+)"[^>]*><title>([^<]+)<\/title>/g)].map(([, pts, who]) => [who, pts]);
    expect(lines).toEqual([['ours-cpu', '266.0,300.0 476.0,170.0'], ['tfjs-webgl', '161.0,235.0 266.0,105.0']]);
    // The time axis's labels, 1 s apart (4 intervals ≤ 7; 0.5 s would be 8): at X = 56, 161, 266, 371, 476.
    const ticks = [...svg.matchAll(/<text x="([\d.]+)" y="314" text-anchor="middle">([^<]*)<\/text>/g)].map(([, x, t]) => [Number(x), t]);
    expect(ticks).toEqual([[56, '0 s'], [161, '1 s'], [266, '2 s'], [371, '3 s'], [476, '4 s']]);
    // The goal, dashed, at Y(0.9) = 170.
    expect(svg).toMatch(/<line x1="56" x2="476" y1="170\.0" y2="170\.0" stroke="#111" stroke-dasharray="6 3"\/>/);
  });
});

describe('the time-to-accuracy chart\'s time axis: round seconds (timeAxis)', () => {
  it('10.5 s (fair-run-52\'s e-sgd): steps of 2 s to 12 s (1 s would be 11 intervals > 7), not quarters 2.6, 5.3, 7.9 s', () => {
    expect(timeAxis(10.5)).toEqual({ end: 12, ticks: [0, 2, 4, 6, 8, 10, 12], decimals: 0 });
  });

  it('12.2 s (e-adam): 2 s to 14; 7 s exactly: 1 s to 7; 7.01 s: 2 s to 8', () => {
    expect(timeAxis(12.2).end).toBe(14);
    expect(timeAxis(7)).toEqual({ end: 7, ticks: [0, 1, 2, 3, 4, 5, 6, 7], decimals: 0 });
    expect(timeAxis(7.01)).toEqual({ end: 8, ticks: [0, 2, 4, 6, 8], decimals: 0 });
  });

  it('under a second: 0.9 s gives 0.2 s steps to 1.0, labelled with one decimal; 0.25 s 0.05 s steps, two', () => {
    expect(timeAxis(0.9)).toEqual({ end: 1, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], decimals: 1 });
    expect(timeAxis(0.25)).toEqual({ end: 0.25, ticks: [0, 0.05, 0.1, 0.15, 0.2, 0.25], decimals: 2 });
  });

  it('with the run\'s environment: its line under the note, wrapped to the chart\'s width, 14 px a line, the chart taller by as much', () => {
    const r: Row = { system: 'ours-cpu', config: 'e-sgd', status: 'ok', agreeSteps: 63, epochs: [{ epoch: 1, at: 1, loss: 1, testAccuracy: 0.9 }, { epoch: 2, at: 2, loss: 1, testAccuracy: 0.95 }] };
    const plain = epochsSvg([r], [{ id: 'e-sgd' }], {}, 't')!;
    const env = 'Chrome/156.0.8078.114 · cross-origin isolated · CPU AMD EPYC, 2 logical cores';
    const withEnv = epochsSvg([r], [{ id: 'e-sgd' }], {}, 't', undefined, env)!;
    const heightOf = (svg: string) => Number(svg.match(/<svg[^>]* height="(\d+)"/)![1]);
    // One panel: the note at top + ph + 40 = 40 + 260 + 40 = 340 in both; the environment (80 characters, within the
    // chart's width / 6 px) one line at 354; the chart 14 px taller (350 → 364).
    expect(plain).toContain('<text x="56" y="340" fill="#555">test accuracy vs seconds');
    expect(withEnv).toContain('<text x="56" y="340" fill="#555">test accuracy vs seconds');
    expect(withEnv).toContain(`<text x="56" y="354" fill="#555">${env}</text>`);
    expect([heightOf(plain), heightOf(withEnv)]).toEqual([350, 364]);
  });

  it('an end under 1 µs (a RangeError from toFixed under ~1e-94 s) is drawn on a 1 µs axis; none (0, NaN) on 1 s', () => {
    expect(timeAxis(1e-100)).toEqual({ end: 1e-6, ticks: [0, 2e-7, 4e-7, 6e-7, 8e-7, 1e-6], decimals: 7 });
    expect(timeAxis(0).end).toBe(1);
    expect(timeAxis(Number.NaN).end).toBe(1);
  });

  it('a panel whose slowest epoch ends at 10.5 s puts it at 10.5 / 12 of the width, and labels "0 s" … "12 s"', () => {
    const r: Row = { system: 'ours-cpu', config: 'e-sgd', status: 'ok', agreeSteps: 63, epochs: [{ epoch: 1, at: 3, loss: 1, testAccuracy: 0.9 }, { epoch: 2, at: 10.5, loss: 1, testAccuracy: 0.95 }] };
    const svg = epochsSvg([r], [{ id: 'e-sgd' }], {}, 't')!;
    // X(t) = 56 + 420·t/12 = 56 + 35·t: 3 s → 161, 10.5 s → 423.5.
    expect(svg).toMatch(/<polyline points="161\.0,[\d.]+ 423\.5,[\d.]+"/);
    const ticks = [...svg.matchAll(/<text x="([\d.]+)" y="314" text-anchor="middle">([^<]*)<\/text>/g)].map(([, x, t]) => [Number(x), t]);
    expect(ticks).toEqual([0, 2, 4, 6, 8, 10, 12].map((t) => [56 + 35 * t, `${t} s`]));
  });
});
