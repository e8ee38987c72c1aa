/**
 * The bench page's "Compare two runs" (bench/page/compare-view.ts, drawn by compare-ui.ts): the HTML table's cells
 * from a Comparison (bench/compare.ts's pure functions), the lines above it, the rule under it and the Markdown file's
 * name; which run is B (a picked file, else the page's finished run); bad input as a CompareInputError, a file of
 * 50 MB or more refused by its size before it is read. Fixtures as test/bench-compare.test.ts's: fair-run-57.json's
 * header (a committed run) with hand-built rows; every expected cell worked by hand in the comments. No DOM, no timing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CompareInputError, compareRuns, RULE } from '../bench/compare.ts';
import { comparePicked, comparisonTable, MAX_COMPARE_BYTES, pageSide, readPicked } from '../bench/page/compare-view.ts';
import type { BenchResult } from '../bench/report.ts';
import type { Row } from '../bench/row.ts';

const base = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'bench', 'results', 'fair-run-57.json'), 'utf8')) as BenchResult;
const step = (config: string, system: Row['system'], times: number[], m: [number, number, number], extra: Partial<Row> = {}): Row =>
  ({ config, system, status: 'ok', agreeSteps: 10, times, msPerStep: { median: m[0], min: m[1], max: m[2] }, reps: times.length, ...extra });
const run = (rows: Row[], over: Partial<BenchResult> = {}): BenchResult => ({ ...base, rows, ...over });

const A = run([
  step('b-mse', 'ours-webgpu', [10, 12, 11], [11, 10, 12]),
  step('b-ce', 'ours-cpu', [4, 5, 6], [5, 4, 6]),
]);
const B = run([
  step('b-mse', 'ours-webgpu', [13, 14, 15], [14, 13, 15]),
  step('b-ce', 'ours-cpu', [2, 2, 2], [2, 2, 2], { status: 'error', error: 'LimitError: out of memory' }),
  step('a', 'tfjs-webgl', [3, 3, 3], [3, 3, 3]),
], { mode: 'quick', stopped: true });

describe('comparisonTable: the page\'s table of a Comparison', () => {
  const t = comparisonTable(compareRuns('a.json', A, 'b.json', B));

  it('one row per pair, the Markdown\'s cells: B slower by 14 ÷ 11, a failed B, a row only in B', () => {
    expect(t.head).toEqual(['config', 'system', 'A', 'B', 'B against A', 'A spread', 'B spread', 'verdict']);
    expect(t.rows).toEqual([
      // 14 ÷ 11 = 1.2727… → 1.27× slower; B's min 13 above A's max 12 → differs.
      ['b-mse', 'ours-webgpu', '11.0 ms/step', '14.0 ms/step', '1.27× slower', '10.0 ms–12.0 ms (3 reps)', '13.0 ms–15.0 ms (3 reps)', 'differs: B slower'],
      // B erred: no time, no ratio, no spread (its times are not used).
      ['b-ce', 'ours-cpu', '5.00 ms/step', 'failed (error)', '—', '4.00 ms–6.00 ms (3 reps)', '', 'no ratio: B failed (error)'],
      ['a', 'tfjs-webgl', '—', '3.00 ms/step', '—', '', '3.00 ms–3.00 ms (3 reps)', 'only in B'],
    ]);
    // A, B and B against A right-aligned (the Markdown's ---:); config and system the row's headers.
    expect(t.right).toEqual([false, false, true, true, true, false, false, false]);
    expect(t.rowHeader).toEqual([true, true, false, false, false, false, false, false]);
    expect(t.caption).toBe('Run B against run A: a row for each config and system (3 rows)');
  });

  it('above it each run\'s line, the warnings (quick against full, a stopped B); under it the rule', () => {
    // fair-run-57's header: its date, commit f5f472a, load 2.46 → 1.54.
    expect(t.facts).toEqual([
      'A: a.json — 2026-12-07T05:06:35.968Z, full run, commit f5f472a, load average (1 min) 2.46 at the start, 1.54 at the end',
      'B: b.json — 2026-12-07T05:06:35.968Z, quick run, commit f5f472a, load average (1 min) 2.46 at the start, 1.54 at the end',
    ]);
    expect(t.warnings).toEqual(['run mode differs: A full, B quick (--quick times shorter repetitions)', 'B was stopped before it finished: a partial run']);
    expect(t.rule).toBe(RULE);
    expect(t.markdown.name).toBe('compare-a-vs-b.md');
    expect(t.markdown.text).toContain('| b-mse | ours-webgpu | 11.0 ms/step | 14.0 ms/step | 1.27× slower |');
    expect(t.markdown.text).toContain('- warning: B was stopped before it finished: a partial run');
  });
});

describe('comparePicked: which run is B', () => {
  const a = { file: 'a.json', result: A };
  const b = { file: 'b.json', result: B };

  it('nothing picked: nothing; A alone without a run: what to do; A with the page\'s run: that run is B', () => {
    expect(comparePicked(null, null, undefined)).toBeNull();
    expect(comparePicked(a, null, undefined)).toBe('A is read: run the benchmark on this page, or pick a second saved run as B, to compare it with.');
    expect(comparePicked(null, b, B)).toBe('B is read: pick A, the saved run to compare it with.');
    const c = comparePicked(a, null, B);
    // Named as the page's Download JSON names it: bench-<date with : and . as ->.json.
    expect(c).toMatchObject({ b: { file: "this page's run (bench-2026-12-07T05-06-35-968Z.json)", mode: 'quick' } });
    expect(comparisonTable(c as Exclude<typeof c, string | null>).markdown.name).toBe('compare-a-vs-bench-2026-12-07T05-06-35-968Z.md');
  });

  it('a picked B file before the page\'s run', () => {
    const other = { file: 'other.json', result: run([], { mode: 'custom' }) };
    expect(comparePicked(a, other, B)).toMatchObject({ b: { file: 'other.json', mode: 'custom' } });
    expect(pageSide(B).file).toBe("this page's run (bench-2026-12-07T05-06-35-968Z.json)");
  });

  it('two format versions: the CompareInputError naming B and version, nothing compared', () => {
    expect(() => comparePicked(a, null, { ...run([]), version: 2 } as unknown as BenchResult)).toThrow(new CompareInputError("this page's run (bench-2026-12-07T05-06-35-968Z.json)", 'version', "is 2 and a.json's is 1: two results formats cannot be compared row by row"));
  });
});

describe('readPicked: a file as the page reads it', () => {
  const file = (name: string, text: string, size = text.length) => ({ name, size, text: vi.fn(() => Promise.resolve(text)) });

  it(`${MAX_COMPARE_BYTES} bytes (50 MB) or more: refused by its size, its text never read; one byte less is read`, async () => {
    expect(MAX_COMPARE_BYTES).toBe(50_000_000);
    const big = file('big.json', JSON.stringify(A), 50_000_000);
    await expect(readPicked(big)).rejects.toThrow(new CompareInputError('big.json', '', 'is 50.0 MB: the page reads results files under 50 MB (npm run bench:compare reads any)'));
    expect(big.text).not.toHaveBeenCalled();
    const under = file('under.json', JSON.stringify(A), 49_999_999);
    expect((await readPicked(under)).result.rows).toHaveLength(2);
  });

  it('not JSON, another JSON, a file that cannot be read: one line naming the file (and the field)', async () => {
    await expect(readPicked(file('notes.json', '# results'))).rejects.toThrow(/^notes\.json: is not JSON \(/);
    await expect(readPicked(file('package.json', '{"name":"x"}'))).rejects.toMatchObject({ file: 'package.json', field: 'tool' });
    const gone = { name: 'gone.json', size: 10, text: () => Promise.reject(new Error('NotReadableError: the file changed')) };
    await expect(readPicked(gone)).rejects.toThrow(new CompareInputError('gone.json', '', 'cannot be read (NotReadableError: the file changed)'));
  });
});
