/**
 * What the bench page, the Markdown and the status line say of rows timed while the tab was hidden (Row.hiddenReps,
 * bench/page/hidden.ts): the `‡` mark on the page's time/step (a fit's time), said in words to a screen reader; the
 * note under the table; the Markdown's reps×steps and its "Tab hidden" paragraph; the status line's closing words.
 * A run with no hidden row says none of it. Runs from a scripted driver (no engine); no timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import type { Row } from '../bench/protocol.ts';
import { markdown } from '../bench/report.ts';
import { cellParts, doneLine, pageTable, rowCells } from '../bench/page/table.ts';
import { runHiddenTrains } from './lib/bench-hidden.ts';

/** Config a on ours-cpu and ours-wasm, 3 repetitions of 5 steps; the tab hidden through ours-wasm's `hideCall`-th train call. */
const run = (hideCall: number | null) => runHiddenTrains(hideCall === null ? {} : { 'ours-wasm': [hideCall] });

const TIME = 2; // time/step (median), in TABLE_HEAD's order
const FIT_TIME = 6; // fit time (e)

describe('the page table: ‡ on a hidden row, said in words', () => {
  it("marks the hidden row's time/step alone, and the note says what ‡ means", async () => {
    const result = await run(3);
    const cells = result.rows.map((r) => rowCells(r, result.policy, result.env)[TIME]);
    // The stub's 1 ms a step: "1.00 ms", then the row's marks.
    expect(cells).toEqual(['1.00 ms', '1.00 ms‡']);
    const table = pageTable(result.rows, { policy: result.policy, env: result.env, goals: {} });
    expect(table.note).toContain("‡: the tab was hidden during some of its timed repetitions or fits (the JSON's hiddenReps): a browser throttles a hidden tab, so its times may be slower than in front — rerun with the tab in front");
    const none = await run(null);
    expect(pageTable(none.rows, { policy: none.policy, env: none.env, goals: {} }).note).not.toContain('‡');
  });

  it("a fit's time carries it (config e has no time/step); a screen reader hears words, not the symbol", () => {
    const fit: Row = { system: 'ours-cpu', config: 'e-sgd', status: 'ok', agreeSteps: 1, hiddenReps: 1, epochs: [{ epoch: 1, at: 2, loss: 0.5, testAccuracy: 0.9 }] };
    expect(rowCells(fit)[FIT_TIME]).toBe('2.00 s (1 epoch)‡');
    expect(rowCells({ ...fit, hiddenReps: undefined })[FIT_TIME]).toBe('2.00 s (1 epoch)');
    expect(cellParts('1.00 ms†‡')).toEqual([{ text: '1.00 ms' }, { mark: '†', said: ' (repetitions under half the target)' }, { mark: '‡', said: ' (timed while the tab was hidden)' }]);
    expect(cellParts('2.00 s (1 epoch)‡')).toEqual([{ text: '2.00 s (1 epoch)' }, { mark: '‡', said: ' (timed while the tab was hidden)' }]);
  });
});

describe('the Markdown and the status line', () => {
  it('the Markdown marks reps×steps and names the row with how many repetitions were hidden', async () => {
    const result = await run(3);
    const md = markdown(result);
    expect(md).toContain('| 3×5‡ |');
    expect(md).toContain("**Tab hidden** (`‡`): a ours-wasm (1 of 3 timed repetitions): the tab was hidden during some of its timed repetitions or fits (the JSON's hiddenReps): a browser throttles a hidden tab, so its times may be slower than in front — rerun with the tab in front.");
    const none = markdown(await run(null));
    expect(none).not.toContain('Tab hidden');
    expect(none).not.toContain('‡');
  });

  it('the status line ends with how many rows were timed while the tab was hidden, after how the run ended', async () => {
    const result = await run(3);
    expect(doneLine(result)).toMatch(/^done in [\d.]+ ?m?s: 2 rows ran and agreed; the tab was hidden during 1 row \(‡\); their times may be throttled — rerun with the tab in front$/);
    expect(doneLine(await run(null))).toMatch(/^done in [\d.]+ ?m?s: 2 rows ran and agreed$/);
    // A failed run says it too.
    const failed = { ...result, ok: false, failures: ['a ours-wasm: boom'], failedRows: [{ config: 'a', system: 'ours-wasm' as const, status: 'error' as const, reason: 'boom' }] };
    expect(doneLine(failed)).toMatch(/; the tab was hidden during 1 row \(‡\); their times may be throttled — rerun with the tab in front$/);
  });
});
