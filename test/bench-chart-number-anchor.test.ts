/**
 * The bench charts' legend numbers (bench/chart.ts svgChart, bench/epochs.ts epochsSvg) end 4 px left of their swatch:
 * text-anchor "end" at x = swatch − 4, so "1" … "n" (and a two-digit "10") sit in the gap, not over the swatch, whose
 * 12 px begin at the swatch's x. (test/bench-chart-numbers.test.ts checks where they are; this, which way they run.)
 * epochsSvg's run is the one there (swatches at 504); svgChart's has one config, not two (its swatches at 156, not 222).
 */
import { describe, expect, it } from 'vitest';
import { type ChartRun, svgChart } from '../bench/chart.ts';
import { epochsSvg } from '../bench/epochs.ts';
import type { Row } from '../bench/protocol.ts';

const row = (config: string, system: Row['system'], stepsPerSec: number): Row => ({ config, system, status: 'ok', agreeSteps: 2, stepsPerSec });

/** The <text> elements at x, as their attributes (x, text-anchor) and content. */
const textsAt = (svg: string, x: number) => [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)]
  .map(([, attrs, t]) => ({ x: Number(/\bx="([\d.]+)"/.exec(attrs)?.[1]), anchor: /text-anchor="([^"]+)"/.exec(attrs)?.[1], t }))
  .filter((e) => e.x === x);

describe('the legend numbers end 4 px left of their swatches (text-anchor end)', () => {
  it('svgChart: 1, 2, 3 at x 152, anchored at their end', () => {
    const run: ChartRun = {
      configs: [{ id: 'a' }],
      rows: [row('a', 'ours-cpu', 1000), row('a', 'tfjs-wasm', 10), row('a', 'scalar', 100)],
      env: { runner: 'node', cpu: { model: 'x', cores: 1 } }, mode: 'custom', date: '2026-12-07T00:00:00.000Z',
    };
    // One config of three systems: a group 3·14 + 24 = 66 px; swatches at 70 + 66 + 20 = 156, numbers at 152.
    expect(textsAt(svgChart(run), 152)).toEqual([{ x: 152, anchor: 'end', t: '1' }, { x: 152, anchor: 'end', t: '2' }, { x: 152, anchor: 'end', t: '3' }]);
  });

  it('epochsSvg: 1 and 2 at x 500, anchored at their end', () => {
    const fit = (system: Row['system'], at: number[], acc: number[]): Row => ({
      system, config: 'e-sgd', status: 'ok', agreeSteps: 63, epochs: at.map((t, k) => ({ epoch: k + 1, at: t, loss: 1, testAccuracy: acc[k] })),
    });
    const svg = epochsSvg([fit('ours-cpu', [2, 4], [0.8, 0.9]), fit('tfjs-webgl', [1, 2], [0.85, 0.95])], [{ id: 'e-sgd' }], { 'e-sgd': 0.9 }, 't')!;
    expect(textsAt(svg, 500)).toEqual([{ x: 500, anchor: 'end', t: '1' }, { x: 500, anchor: 'end', t: '2' }]);
  });
});
