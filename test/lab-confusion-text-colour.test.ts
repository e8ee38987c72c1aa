/**
 * The confusion matrix's count colours (src/lab/confusion.ts): renderConfusion writes cellShade's text colour on the
 * cell, and cellShade takes it from the luminance of the colour the cell is painted (its alpha as written, to 3
 * decimals, over white), with WCAG's sRGB curve (linear below 0.04045). Worked by hand:
 * - 19 of 20 hits: α = 0.12 + 0.88 × 0.95 = 0.956, painted (11, 120, 181), L = 0.168 < 0.179: white.
 * - 7 of 10 hits: α = 0.736, painted (67, 151, 198): R 67/255 = 0.263 is on the curve's power part, L = 0.2742 ≥ 0.273:
 *   the page's text #1f2937, (0.2742 + 0.05) / 0.0716 = 4.53:1 (a linear R, 0.263 / 12.92, would give L = 0.2666: black).
 * - 12 of 17 hits: α = 0.741176…, written 0.741, painted (66, 151, 198), L = 0.2739 ≥ 0.273: the page's text at 4.52:1
 *   (from the unrounded α, G = 150.49 → 150 and L = 0.2726: black, for a colour not painted).
 */
import { describe, expect, it } from 'vitest';
import { cellShade, renderConfusion } from '../src/lab/confusion.ts';
import { FakeEl } from './lib/fake-table.ts';

describe("the confusion matrix's count colours", () => {
  it('renderConfusion: 19 of 20 hits white on rgba(0, 114, 178, 0.956); 1 of 20 misses in the page\'s own text', () => {
    const host = new FakeEl('div');
    (host as unknown as { ownerDocument: unknown }).ownerDocument = { createElement: (tag: string) => new FakeEl(tag) };
    renderConfusion(host as unknown as HTMLElement, { matrix: [[19, 1], [3, 17]], accuracy: 0.9, predicted: [] } as unknown as Parameters<typeof renderConfusion>[1]);
    const cells = host.all().filter((e) => e.tag === 'td');
    expect(cells.map((c) => c.textContent)).toEqual(['19', '1', '3', '17']);
    expect(cells[0].style.backgroundColor).toBe('rgba(0, 114, 178, 0.956)');
    expect(cells[0].style.color).toBe('#fff');
    expect(cells[1].style.color).toBeUndefined();
  });

  it('cellShade: 7 of 10 hits in the page\'s text (the sRGB curve\'s power part for R = 67)', () => {
    expect(cellShade(true, 7, 10)).toEqual({ background: 'rgba(0, 114, 178, 0.736)', color: undefined });
  });

  it('cellShade: 12 of 17 hits in the page\'s text (the luminance of the colour painted, α = 0.741)', () => {
    expect(cellShade(true, 12, 17)).toEqual({ background: 'rgba(0, 114, 178, 0.741)', color: undefined });
  });
});
