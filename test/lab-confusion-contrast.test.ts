/**
 * The confusion matrix's counts are readable on their shading (src/lab/confusion.ts cellShade): each count is 12 px
 * text on its cell's colour — its row share as the opacity of blue #0072B2 (a hit) or orange #E69F00 (a miss) over the
 * table's white — and needs 4.5:1 (WCAG 1.4.3). The hits switched from the page's text colour (--fg #1f2937) to white
 * at an opacity of 0.55: 11 of 20 right (opacity 0.604, the cell rgb(101, 170, 208): 255 − 0.604 · (255 − c)) was white at 2.5:1. Worked here
 * from WCAG's formula in float64: the cell is the colour mixed into white by its opacity, rounded as a browser paints
 * it; relative luminance from the linearised sRGB channels; (L1 + 0.05) / (L2 + 0.05).
 */
import { describe, expect, it } from 'vitest';
import { cellShade } from '../src/lab/confusion.ts';

const lin = (c: number): number => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
const lum = ([r, g, b]: number[]): number => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
const ratio = (a: number[], b: number[]): number => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);

/** An rgba(…) over white, as painted; a #rrggbb or #rgb as it is. */
function painted(css: string): number[] {
  const m = /^rgba\((\d+), (\d+), (\d+), ([\d.]+)\)$/.exec(css);
  if (m) return [1, 2, 3].map((i) => Math.round(255 + (Number(m[i]) - 255) * Number(m[4])));
  const h = /^#([0-9a-f]+)$/i.exec(css)![1];
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
}
const FG = '#1f2937';

describe('cellShade: every count 4.5:1 on its cell', () => {
  it('the worked case: 11 of 20 hits is rgb(101, 170, 208), where white is 2.5:1', () => {
    const s = cellShade(true, 11, 20)!;
    expect(painted(s.background)).toEqual([101, 170, 208]);
    expect(ratio([255, 255, 255], [101, 170, 208])).toBeLessThan(2.6);
  });

  for (const total of [1, 7, 20, 100]) {
    it(`hits and misses, every count of a row of ${total}`, () => {
      for (const hit of [true, false]) {
        for (let v = 1; v <= total; v++) {
          const s = cellShade(hit, v, total)!;
          const text = painted(s.color ?? FG);
          const r = ratio(painted(s.background), text);
          expect(r, `${hit ? 'hit' : 'miss'} ${v} of ${total}: ${s.color ?? FG} on ${s.background}`).toBeGreaterThanOrEqual(4.5);
        }
      }
    });
  }

  it('a zero has no shading (the page\'s own text on white)', () => {
    expect(cellShade(true, 0, 20)).toBeUndefined();
    expect(cellShade(false, 0, 20)).toBeUndefined();
  });
});
