/**
 * bench/chart.ts's widths from the other side (mut63; test/bench-chart-text-width.test.ts checks they are never under
 * DejaVu Sans): a legend is at least 160 px; a title's width a whole number of px, rounded up; textWidth not far over
 * DejaVu Sans for the charts' own labels (a legend measured in the bold face, 12 % wider, would pad every chart); a
 * non-ASCII letter as wide as DejaVu Sans Bold's W (Ŵ, 2259 units) not under; a time-to-accuracy chart whose title is
 * longer than its panels and legend are wide is as wide as the title from the title's x (56).
 *
 * The reference: DejaVu Sans's and DejaVu Sans Bold's advances in 1/2048 em, summed over each label, read from
 * Debian's fonts-dejavu-core 2.37 (/usr/share/fonts/truetype/dejavu/) through their cmap and hmtx tables (a reader
 * written for mut63; its 'm' 1995 and 'r' 842 / 1010 bold are test/bench-chart-text-width.test.ts's).
 */
import { describe, expect, it } from 'vitest';
import { legendWidth, textWidth, titleWidth } from '../bench/chart.ts';
import { epochsSvg } from '../bench/epochs.ts';
import type { Row } from '../bench/protocol.ts';

/** [label, DejaVu Sans units, DejaVu Sans Bold units]. */
const LABELS: [string, number, number][] = [
  ['ours-wasm (2 threads asked, 1 used: net under THREAD_MIN_WORK)', 70961, 79552],
  ['ours-webgpu (auto: blocked-subgroup)', 39922, 45230],
  ['tfjs-webgl', 10003, 11556],
  ['jax-wasm', 9767, 10882],
  ['steps/s per config and system (log scale)', 42083, 47454],
  ['ill-fitted (ill), lit: i.l.', 18882, 22419],
];

describe("the charts' widths are not padded past need", () => {
  it('a legend of short labels is 160 px; a long one 18 + its label (rounded up) + 8, the label in the regular face', () => {
    expect(legendWidth(['ours-cpu', 'jax-wasm'])).toBe(160);
    expect(legendWidth([])).toBe(160);
    for (const [label, units] of LABELS) {
      const w = legendWidth([label]);
      const text = (units / 2048) * 11;
      // At least the label's DejaVu width, at most 15 % over it (bold would be 21–32 % over for these).
      expect(w, label).toBeGreaterThanOrEqual(Math.max(160, 18 + text + 8));
      if (w > 160) expect(w - 26, label).toBeLessThanOrEqual(Math.ceil(1.15 * text));
    }
  });

  it('textWidth is at most 15 % over DejaVu Sans (Bold) for these labels', () => {
    for (const [label, regular, bold] of LABELS) {
      expect(textWidth(label, 2048), label).toBeLessThanOrEqual(1.15 * regular);
      expect(textWidth(label, 2048, true), `${label} bold`).toBeLessThanOrEqual(1.15 * bold);
    }
  });

  it("titleWidth is a whole number of px, not under textWidth's bold 14 px", () => {
    for (const t of ['i', 'ill', 'steps/s per config and system (log scale) — custom run 2026-12-07', ...LABELS.map(([l]) => l)]) {
      const w = titleWidth(t);
      expect(Number.isInteger(w), t).toBe(true);
      expect(w, t).toBeGreaterThanOrEqual(textWidth(t, 14, true));
      expect(w, t).toBeLessThan(textWidth(t, 14, true) + 1);
    }
  });

  it("a non-ASCII letter as wide as DejaVu Sans Bold's W is not under it: Ŵ (2259 units bold, 2025 regular)", () => {
    expect(textWidth('Ŵ', 2048, true)).toBeGreaterThanOrEqual(2259);
    expect(textWidth('Ŵ', 2048)).toBeGreaterThanOrEqual(2025);
  });

  it('a time-to-accuracy chart whose title outruns its panel and legend is as wide as the title from its x', () => {
    const r: Row = { system: 'ours-cpu', config: 'e-sgd', status: 'ok', agreeSteps: 63, epochs: [{ epoch: 1, at: 1, loss: 1, testAccuracy: 0.9 }, { epoch: 2, at: 2, loss: 1, testAccuracy: 0.95 }] };
    // 5 × 'steps/s per config and system (log scale)' (47454 bold units each) and 4 spaces (713 each): 240122 units,
    // 1641.4 px at 14 px, past the panel and legend.
    const title = Array.from({ length: 5 }, () => 'steps/s per config and system (log scale)').join(' ');
    const bold = 5 * 47454 + 4 * 713;
    const svg = epochsSvg([r], [{ id: 'e-sgd' }], {}, title)!;
    const width = Number(svg.match(/<svg[^>]* width="(\d+)"/)![1]);
    expect(56 + (bold / 2048) * 14).toBeLessThanOrEqual(width);
    // And the room the chart reserves for it starts at the title's x: 56 + its estimate, not the estimate alone.
    expect(svg).toContain(`<text x="56" y="20" font-size="14" font-weight="bold">${title}</text>`);
    expect(width).toBeGreaterThanOrEqual(56 + textWidth(title, 14, true));
  });
});
