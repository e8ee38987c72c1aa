/**
 * `npm run bench`'s browser run at its edges (bench/browser.ts, mut58's mutation audit): a page load that ends without
 * a result is an Error saying which state it ended in — "done" or "stopped" with no result too, not a TypeError
 * ("Cannot read properties of undefined") further on —, and the page's console errors of every --fits round reach the
 * run's output ("page console errors:", bench/output.ts finish), the stopped round's with them. Page loads are
 * stand-ins: results made by hand.
 */
import { describe, expect, it, vi } from 'vitest';
import { parseArgs } from '../bench/bench.ts';
import { pageOutcome, type PageRun, runRounds } from '../bench/browser.ts';
import { type Row, STOPPED_REASON } from '../bench/protocol.ts';
import { resultOf } from './lib/bench-results.ts';

describe('pageOutcome: a page load that ended without a result', () => {
  it('done or stopped with no result, or no state at all: the run failed, saying the state it ended in', () => {
    expect(() => pageOutcome('done', undefined, undefined)).toThrow(/^the bench page's run failed: it ended in state done, without a result$/);
    expect(() => pageOutcome('stopped', undefined, undefined)).toThrow(/^the bench page's run failed: it ended in state stopped, without a result$/);
    expect(() => pageOutcome(undefined, undefined, undefined)).toThrow(/^the bench page's run failed: it ended in state none, without a result$/);
  });
});

describe('--fits N: every round\'s page console errors are the run\'s', () => {
  const fit = (at: number): Row => ({ config: 'qe-sgd', system: 'ours-cpu', status: 'ok', agreeSteps: 10, description: 'ours', epochs: [{ epoch: 1, at, loss: 0.5, testAccuracy: 0.9 }] });
  const notRun: Row = { config: 'qe-sgd', system: 'ours-cpu', status: 'skipped', agreeSteps: 10, error: STOPPED_REASON };
  const options = (fits: string) => ({ ...parseArgs(['--configs', 'qe-sgd', '--systems', 'ours-cpu', '--fits', fits], 'browser'), quiet: true });

  it('two whole rounds: both rounds\' errors, in order', async () => {
    const loads: PageRun[] = [{ result: resultOf([fit(2)], false), consoleErrors: ['round 1: a'] }, { result: resultOf([fit(3)], false), consoleErrors: ['round 2: b'] }];
    let k = 0;
    const { consoleErrors } = await runRounds(options('2'), 'npm run bench', async () => loads[k++]);
    expect(consoleErrors).toEqual(['round 1: a', 'round 2: b']);
  });

  it('the second of three stopped: its errors kept with the first\'s (its rows are left out, its errors are not)', async () => {
    const loads: PageRun[] = [{ result: resultOf([fit(2)], false), consoleErrors: ['round 1: a'] }, { result: resultOf([notRun], true), consoleErrors: ['round 2: b'] }];
    let k = 0;
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { consoleErrors } = await runRounds(options('3'), 'npm run bench', async () => loads[k++]).finally(() => spy.mockRestore());
    expect(consoleErrors).toEqual(['round 1: a', 'round 2: b']);
  });
});
