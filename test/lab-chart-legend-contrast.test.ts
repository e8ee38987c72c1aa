/**
 * The loss chart's legend (src/lab/loss-chart.ts LossChart.draw, with a validation curve): its words are 12 px text on
 * the chart's white, so each needs a contrast of at least 4.5:1 (WCAG 1.4.3). "validation" was written in the
 * validation line's orange, #ea580c: 3.6:1. The ratio is worked here from WCAG's relative-luminance formula in float64
 * (sRGB channel c/255, linearised, 0.2126 R + 0.7152 G + 0.0722 B; (L1 + 0.05) / (L2 + 0.05)), not from the code.
 * The curves themselves keep their colours (a line needs 3:1, and the validation line is dashed as well).
 */
import { describe, expect, it } from 'vitest';
import { LossChart } from '../src/lab/loss-chart.ts';
import { chartCanvas } from './lib/chart-canvas.ts';
import { type Call } from './lib/recording-context.ts';

function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const lin = (h: string): number => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(m[1]) + 0.7152 * lin(m[2]) + 0.0722 * lin(m[3]);
}
const onWhite = (hex: string): number => 1.05 / (luminance(hex) + 0.05);

/** The fill style in force at each fillText of `text`. */
function fillsOf(calls: Call[], text: string): string[] {
  let fill = '';
  const out: string[] = [];
  for (const c of calls) {
    if (c[0] === 'set fillStyle') fill = String(c[1]);
    if (c[0] === 'fillText' && c[1] === text) out.push(fill);
  }
  return out;
}

describe('LossChart.draw: the legend readable on the chart', () => {
  it('the formula: white on white is 1:1, black on white 21:1, #ea580c 3.6:1 (so the check can fail)', () => {
    expect(onWhite('#ffffff')).toBeCloseTo(1, 6);
    expect(onWhite('#000000')).toBeCloseTo(21, 6);
    expect(onWhite('#ea580c')).toBeLessThan(4.5);
  });

  it('"training" and "validation" each written in a colour of at least 4.5:1 on the white plot', () => {
    const { canvas, calls } = chartCanvas();
    const train = [{ step: 0, loss: 0.7 }, { step: 10, loss: 0.5 }];
    const val = [{ step: 0, loss: 0.72 }, { step: 10, loss: 0.55 }];
    new LossChart(canvas).draw(train, 'wasm', val);
    // The plot's background is white: the first fill.
    expect(calls.find((c) => c[0] === 'set fillStyle')?.[1]).toBe('#fff');
    for (const word of ['training', 'validation']) {
      const fills = fillsOf(calls, word);
      expect(fills, word).toHaveLength(1);
      expect(onWhite(fills[0]), `${word} in ${fills[0]}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});
