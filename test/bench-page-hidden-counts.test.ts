/**
 * How many of a row's timed repetitions the bench page's tab was hidden during, and how many rows (bench/page/hidden.ts,
 * protocol.ts Row.hiddenReps; the page's status line and table, report.ts's Markdown): edges the mutation audit mut59
 * found unguarded — more than one hidden repetition of a row, more than one hidden row, and a row without a fit's
 * time. Runs from a scripted driver (no engine); expected words by hand from the page's wording; no timing asserted.
 */
import { describe, expect, it } from 'vitest';
import type { Row } from '../bench/protocol.ts';
import { markdown } from '../bench/report.ts';
import { doneLine, pageTable, rowCells } from '../bench/page/table.ts';
import { runHiddenFits, runHiddenTrains } from './lib/bench-hidden.ts';

const run = runHiddenTrains;

const FIT_TIME = 6; // fit time (e), in TABLE_HEAD's order

describe('more than one hidden repetition, more than one hidden row', () => {
  it('two of a row\'s three timed repetitions hidden: hiddenReps 2, the Markdown says "2 of 3 timed repetitions"', async () => {
    const result = await run({ 'ours-wasm': [3, 4] });
    expect(result.rows.map((r) => [r.system, r.hiddenReps])).toEqual([['ours-cpu', undefined], ['ours-wasm', 2]]);
    expect(markdown(result)).toContain('**Tab hidden** (`‡`): a ours-wasm (2 of 3 timed repetitions): ');
  });

  it('both rows hidden: the status line says "during 2 rows"', async () => {
    const result = await run({ 'ours-cpu': [2], 'ours-wasm': [4] });
    expect(result.rows.map((r) => r.hiddenReps)).toEqual([1, 1]);
    expect(doneLine(result)).toMatch(/^done in [\d.]+ ?m?s: 2 rows ran and agreed; the tab was hidden during 2 rows \(‡\); their times may be throttled — rerun with the tab in front$/);
  });

  it('a hidden row without a fit (config a) has no fit time to mark: its cell is the dash alone', async () => {
    const result = await run({ 'ours-wasm': [2] });
    expect(result.rows.map((r) => rowCells(r, result.policy, result.env)[FIT_TIME])).toEqual(['—', '—']);
  });

  it("a hidden fit's time column is drawn with its marks in words (marked), as the time/step column is", () => {
    const fit: Row = { system: 'ours-cpu', config: 'e-sgd', status: 'ok', agreeSteps: 1, hiddenReps: 1, epochs: [{ epoch: 1, at: 2, loss: 0.5, testAccuracy: 0.9 }] };
    const table = pageTable([fit]);
    const col = table.head.indexOf('fit time (e)');
    expect(col).toBeGreaterThan(0);
    expect(table.body[0][col]).toBe('2.00 s (1 epoch)‡');
    expect(table.marked[col]).toBe(true);
  });
});

describe('the Markdown counts a config e row in fits', () => {
  /** Config e on ours-cpu, `n` fits, the tab hidden through the fits numbered in `hideIn` (from 1). */
  const fits = (n: number, hideIn: number[]) => runHiddenFits(['ours-cpu'], { 'ours-cpu': hideIn }, ['--fits', String(n)]);

  it('one fit, hidden: "1 of 1 fit"; fit 2 of 3 hidden: "1 of 3 fits" (not timed repetitions)', async () => {
    expect(markdown(await fits(1, [1]))).toMatch(/\*\*Tab hidden\*\* \(`‡`\): e-sgd ours-cpu[^(]* \(1 of 1 fit\): the tab was hidden/);
    expect(markdown(await fits(3, [2]))).toMatch(/\*\*Tab hidden\*\* \(`‡`\): e-sgd ours-cpu[^(]* \(1 of 3 fits\): the tab was hidden/);
  });
});
