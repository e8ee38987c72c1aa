/**
 * bench/compare.ts's time and spread cells (rowCells, so the Markdown and the bench page's compare table alike) in the
 * unit the bench's own tables choose for ms/step (bench/protocol.ts fmtMs: µs with two decimals under 0.01 ms, µs with
 * one under 1 ms, ms with two under 10 ms, with one under 1000 ms, s with two from 1000 ms), written `…/step`; the
 * spread gives each end its own unit, as report.ts's min–max column does. Config e keeps its seconds as before: three
 * significant digits, whole from 1000 s, the spread without a unit. Every expected cell is worked by hand from that
 * rule in the comments; the ratio comes from the raw medians. No timing is asserted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareMarkdown, compareRuns, pairRows, type PairedRow, rowCells } from '../bench/compare.ts';
import { comparisonTable } from '../bench/page/compare-view.ts';
import type { BenchResult } from '../bench/report.ts';
import type { Row } from '../bench/row.ts';

const base = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'bench', 'results', 'fair-run-57.json'), 'utf8')) as BenchResult;
/** A step row from its repetitions' ms/step (sorted here: median the middle one of three, or the one). */
const step = (config: string, times: number[]): Row => {
  const s = [...times].sort((x, y) => x - y);
  return { config, system: 'ours-cpu', status: 'ok', agreeSteps: 10, times, reps: times.length, msPerStep: { median: s[(s.length - 1) / 2], min: s[0], max: s[s.length - 1] } };
};
/** A config e row of one fit whose last epoch ends at `at` seconds. */
const fit = (at: number): Row => ({ config: 'e-sgd', system: 'ours-cpu', status: 'ok', agreeSteps: 63, epochs: [{ epoch: 1, at, loss: 0.5, testAccuracy: 0.9 }] });
const one = (a: Row, b: Row): PairedRow => pairRows([a], [b])[0];

describe('compare cells: ms/step in fmtMs\'s unit', () => {
  it('sub-µs steps (config a on a fast backend): 0.000164 ms → "0.16 µs/step", not "0.000164 ms/step"', () => {
    // A 0.15, 0.164, 0.17 µs; B 0.13, 0.14, 0.14 µs. 0.164 ÷ 0.14 = 1.1714… → "1.17× faster"; B max 0.14 < A min 0.15.
    const r = one(step('a', [0.00015, 0.000164, 0.00017]), step('a', [0.00013, 0.00014, 0.00014]));
    expect(rowCells(r)).toEqual(['a', 'ours-cpu', '0.16 µs/step', '0.14 µs/step', '1.17× faster', '0.15 µs–0.17 µs (3 reps)', '0.13 µs–0.14 µs (3 reps)', 'differs: B faster']);
  });

  it('under 1 ms in µs with one decimal, from 1 ms in ms with two; a spread across the boundary names both units', () => {
    // A 0.25, 0.5, 0.999 ms → 250.0, 500.0, 999.0 µs; B 0.999, 1.5, 2.5 ms → 999.0 µs, 1.50 ms, 2.50 ms.
    // 1.5 ÷ 0.5 = 3 → "3.00× slower"; B min 0.999 = A max 0.999: touching → within spread.
    const r = one(step('b-mse', [0.25, 0.5, 0.999]), step('b-mse', [0.999, 1.5, 2.5]));
    expect(rowCells(r)).toEqual(['b-mse', 'ours-cpu', '500.0 µs/step', '1.50 ms/step', '3.00× slower', '250.0 µs–999.0 µs (3 reps)', '999.0 µs–2.50 ms (3 reps)', 'within spread']);
  });

  it('from 1000 ms in s with two decimals; 10 to 1000 ms with one decimal (123.456 → "123.5 ms", not "123 ms")', () => {
    // A 1000, 2500, 4000 ms → 1.00, 2.50, 4.00 s; B 100, 123.456, 150 ms. 2500 ÷ 123.456 = 20.2501… → "20.25× faster".
    const r = one(step('c-mse', [1000, 2500, 4000]), step('c-mse', [100, 123.456, 150]));
    expect(rowCells(r)).toEqual(['c-mse', 'ours-cpu', '2.50 s/step', '123.5 ms/step', '20.25× faster', '1.00 s–4.00 s (3 reps)', '100.0 ms–150.0 ms (3 reps)', 'differs: B faster']);
  });

  it('one repetition: the spread is the one time in its unit (0.005 ms → "5.00 µs (1 rep)")', () => {
    // 0.005 ms = 5 µs, under 0.01 ms: two decimals. Equal medians → "1.00× (same)"; 1 repetition → no verdict.
    const r = one(step('d-mse', [0.005]), step('d-mse', [0.005]));
    expect(rowCells(r)).toEqual(['d-mse', 'ours-cpu', '5.00 µs/step', '5.00 µs/step', '1.00× (same)', '5.00 µs (1 rep)', '5.00 µs (1 rep)', 'no verdict: A has 1 repetition']);
  });

  it('the Markdown and the bench page\'s table carry the same cells', () => {
    const c = compareRuns('a.json', { ...base, rows: [step('a', [0.00015, 0.000164, 0.00017])] }, 'b.json', { ...base, rows: [step('a', [0.00013, 0.00014, 0.00014])] });
    expect(compareMarkdown(c)).toContain('| a | ours-cpu | 0.16 µs/step | 0.14 µs/step | 1.17× faster | 0.15 µs–0.17 µs (3 reps) | 0.13 µs–0.14 µs (3 reps) | differs: B faster |');
    expect(comparisonTable(c).rows[0].slice(2, 7)).toEqual(['0.16 µs/step', '0.14 µs/step', '1.17× faster', '0.15 µs–0.17 µs (3 reps)', '0.13 µs–0.14 µs (3 reps)']);
  });
});

describe('compare cells: config e seconds as before (three significant digits, whole from 1000 s)', () => {
  it('12.345 s → "12.3 s" (not fmtSeconds\'s "12 s", not fmtMs\'s units); 1234.5 s → "1235 s"; spreads unitless', () => {
    // 1234.5 ÷ 12.345 = 100 → "100.00× slower"; one fit a side: no verdict.
    const r = one(fit(12.345), fit(1234.5));
    expect(rowCells(r)).toEqual(['e-sgd', 'ours-cpu', '12.3 s', '1235 s', '100.00× slower', '12.3 (1 fit)', '1235 (1 fit)', 'no verdict: A has 1 fit']);
  });
});
