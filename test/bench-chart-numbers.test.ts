/**
 * The bench's charts tell their systems apart by more than colour (WCAG 1.4.1). The steps/s chart (bench/chart.ts svgChart): each legend
 * entry has a number, 1 … n in the legend's order, and each bar carries its system's number just above its top.
 * The bars were told apart by their fill alone: under deuteranopia (Chromium's emulation) ours-cpu #ff7f0e, tfjs-wasm
 * #2ca02c and scalar #8c564b are three olives, and a second thread count is the same hue paler. Positions worked by
 * hand from the chart's layout (left 70, top 40, plot 320 tall, bars 14 px apart and 12 wide, the legend 20 px right of
 * the last group, a row every 18 px). The time-to-accuracy chart (bench/epochs.ts epochsSvg), whose lines were told
 * apart by colour alone too: each line's number just right of its last epoch's dot, and in its legend.
 */
import { describe, expect, it } from 'vitest';
import { type ChartRun, svgChart } from '../bench/chart.ts';
import { epochsSvg } from '../bench/epochs.ts';
import type { Row } from '../bench/protocol.ts';

const row = (config: string, system: Row['system'], stepsPerSec: number, status: Row['status'] = 'ok'): Row => ({ config, system, status, agreeSteps: 2, stepsPerSec });

const run: ChartRun = {
  configs: [{ id: 'a' }, { id: 'b-mse' }],
  rows: [
    row('a', 'ours-cpu', 1000), row('a', 'tfjs-wasm', 10), row('a', 'scalar', 100),
    row('b-mse', 'ours-cpu', 10), row('b-mse', 'tfjs-wasm', 100, 'wrong'),
  ],
  env: { runner: 'node', cpu: { model: 'x', cores: 1 } },
  mode: 'custom',
  date: '2026-12-07T00:00:00.000Z',
};

/** Every <text> with its x, y and content. */
const texts = (svg: string) => [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)<\/text>/g)].map(([, x, y, t]) => ({ x: Number(x), y: Number(y), t }));

describe('svgChart: a number for each system, on its bars and in the legend', () => {
  const svg = svgChart(run);
  it('the legend numbers its systems 1, 2, 3 in its order (ours-cpu, tfjs-wasm, scalar), left of each swatch', () => {
    // Three systems: a group 3·14 + 24 = 66 px; the legend's swatches at 70 + 2·66 + 20 = 222, rows at 40 + 18k, each
    // label's baseline 10 below; the number right-aligned 4 px left of the swatch (x 218), on the label's baseline.
    const t = texts(svg);
    for (const [k, name] of ['ours-cpu', 'tfjs-wasm', 'scalar'].entries()) {
      expect(t.find((x) => x.t === name), name).toEqual({ x: 240, y: 50 + 18 * k, t: name });
      expect(t.find((x) => x.x === 218 && x.y === 50 + 18 * k)?.t, name).toBe(String(k + 1));
    }
  });

  it('each bar, the wrong one too, has its system\'s number centred over it, 3 px above its top', () => {
    // log axis 1 … 1k (lo 0, hi 3): y(v) = 360 − 320·log10(v)/3: 1000 → 40, 100 → 146.7, 10 → 253.3. Group g starts at
    // 82 + 66g, system k's bar at + 14k, its centre 6 px in.
    const want = [
      { x: 88, y: 37, t: '1' }, { x: 102, y: 250.3, t: '2' }, { x: 116, y: 143.7, t: '3' },
      { x: 154, y: 250.3, t: '1' }, { x: 168, y: 143.7, t: '2' },
    ];
    // Inside the plot (x 70 … 70 + 2·66 = 202): the decade labels (x 64) and the legend (218 on) left out.
    const onBars = texts(svg).filter((x) => x.x > 70 && x.x < 202 && /^\d+$/.test(x.t));
    expect(onBars).toEqual(want);
  });
});

describe('epochsSvg: a number for each system, at its line\'s end and in the legend', () => {
  it('ours-cpu 1 and tfjs-webgl 2: at their last dots + (5, 3), and 4 px left of their swatches', () => {
    const fit = (system: Row['system'], at: number[], acc: number[]): Row => ({
      system, config: 'e-sgd', status: 'ok', agreeSteps: 63, epochs: at.map((t, k) => ({ epoch: k + 1, at: t, loss: 1, testAccuracy: acc[k] })),
    });
    const svg = epochsSvg([fit('ours-cpu', [2, 4], [0.8, 0.9]), fit('tfjs-webgl', [1, 2], [0.85, 0.95])], [{ id: 'e-sgd' }], { 'e-sgd': 0.9 }, 't')!;
    // As test/bench-chart-geometry.test.ts works it: X(t) = 56 + 105·t, Y(a) = 300 − 1300·(a − 0.8); ours-cpu's last
    // dot (4 s, 0.9) at (476, 170), tfjs-webgl's (2 s, 0.95) at (266, 105). The legend's swatches at
    // lx = 56 + (420 + 56) − 28 = 504, rows at 40 + 18k, baselines 10 lower.
    const numbers = texts(svg).filter((x) => /^\d+$/.test(x.t));
    expect(numbers).toEqual([
      { x: 481, y: 173, t: '1' }, { x: 271, y: 108, t: '2' },
      { x: 500, y: 50, t: '1' }, { x: 500, y: 68, t: '2' },
    ]);
  });
});
