/**
 * `npm run bench` when its page's run ends `stopped` (the page's Stop: bench/page/stop.ts): it said "the bench page
 * stopped: stopped" and lost the rows. Now a line says what happened and the partial result goes on to be written, as
 * the page's own Stop keeps it (README, "Stop"); a stopped page load is the last (bench/browser.ts pageOutcome,
 * runPasses, runRounds). Page loads are stand-ins here: results made by hand.
 */
import { describe, expect, it, vi } from 'vitest';
import { type BenchOptions, parseArgs } from '../bench/bench.ts';
import { pageOutcome, type PageRun, runPasses, runRounds } from '../bench/browser.ts';
import { type Row, STOPPED_REASON } from '../bench/protocol.ts';
import type { BenchResult } from '../bench/report.ts';
import { resultOf } from './lib/bench-results.ts';

const ok = (config: string, system: Row['system']): Row => ({ config, system, status: 'ok', agreeSteps: 10 });
const notRun = (config: string, system: Row['system']): Row => ({ config, system, status: 'skipped', agreeSteps: 10, error: STOPPED_REASON });

describe('pageOutcome: how a page load ended', () => {
  it('stopped: its partial result, and a line counting the rows finished and not run', () => {
    const partial = resultOf([ok('a', 'ours-cpu'), notRun('a', 'tfjs-cpu'), notRun('b-mse', 'ours-cpu')], true);
    expect(pageOutcome('stopped', undefined, partial)).toEqual({
      result: partial,
      line: "the bench page's run was stopped (Stop pressed): 1 row finished, 2 rows not run; the partial result follows, marked stopped",
    });
  });

  it('stopped with rows skipped for their own reasons: those are counted apart, not as finished (the page\'s doneLine does so)', () => {
    // tfjs-cpu skips config e (bench/systems.ts): a skipped row with its reason, which never ran.
    const skipped: Row = { config: 'e', system: 'tfjs-cpu', status: 'skipped', agreeSteps: 10, error: 'tfjs-cpu does not run config e' };
    const erred: Row = { config: 'a', system: 'jax-wasm', status: 'error', agreeSteps: 10, error: 'jax-js could not start' };
    const partial = resultOf([ok('a', 'ours-cpu'), erred, skipped, notRun('e', 'ours-cpu'), notRun('e', 'ours-wasm')], true);
    // Finished: ours-cpu's a (ok) and jax-wasm's a (it ran, and erred): 2; not run: 2; skipped: 1.
    expect(pageOutcome('stopped', undefined, partial).line).toBe(
      "the bench page's run was stopped (Stop pressed): 2 rows finished, 2 rows not run, 1 skipped; the partial result follows, marked stopped",
    );
  });

  it('done: the result, no line; error: an Error with the page\'s message', () => {
    const whole = resultOf([ok('a', 'ours-cpu')], false);
    expect(pageOutcome('done', undefined, whole)).toEqual({ result: whole });
    expect(() => pageOutcome('error', 'no config to run', undefined)).toThrow(/^the bench page's run failed: no config to run$/);
  });
});

describe('a stopped page load is the run\'s last', () => {
  /** A stand-in page loader: the k-th load's result from `results[k]`; `loads` counts them. */
  function loader(results: BenchResult[]): { page: (o: BenchOptions) => Promise<PageRun>; loads: () => number } {
    let k = 0;
    return { page: async () => ({ result: results[k++], consoleErrors: [] }), loads: () => k };
  }
  const options = (...args: string[]): BenchOptions => ({ ...parseArgs(['--configs', 'a', '--systems', 'ours-cpu,ours-wasm', ...args], 'browser'), quiet: true });

  it('wasm passes: the first load stopped, no pass after it; its partial result is the run\'s', async () => {
    const l = loader([resultOf([ok('a', 'ours-cpu'), notRun('a', 'ours-wasm')], true), resultOf([ok('a', 'ours-wasm')], false)]);
    const { result } = await runPasses(options('--ours-wasm-threads', '1,2'), l.page);
    expect(l.loads()).toBe(1);
    expect(result.stopped).toBe(true);
    // The pass on 2 threads never loaded: its ours-wasm row not run (bench-stopped-passes.test.ts counts them).
    expect(result.rows.map((r) => `${r.system} ${r.status} ${r.threads}`)).toEqual(['ours-cpu ok undefined', 'ours-wasm skipped undefined', 'ours-wasm skipped 2']);
  });

  it('wasm passes: the second load stopped, no third; the merged result is marked stopped', async () => {
    const l = loader([resultOf([ok('a', 'ours-cpu'), ok('a', 'ours-wasm')], false), resultOf([notRun('a', 'ours-wasm')], true), resultOf([ok('a', 'ours-wasm')], false)]);
    const { result } = await runPasses(options('--ours-wasm-threads', '1,2,4'), l.page);
    expect(l.loads()).toBe(2);
    expect(result.stopped).toBe(true);
    // The third pass (4 threads) never loaded: its ours-wasm row not run.
    expect(result.rows.map((r) => `${r.system} ${r.status} ${r.threads}`)).toEqual(['ours-cpu ok undefined', 'ours-wasm ok undefined', 'ours-wasm skipped undefined', 'ours-wasm skipped 4']);
  });

  it('--fits 2: the first round stopped is the run (partial); no second round', async () => {
    const o = { ...parseArgs(['--configs', 'qe-sgd', '--systems', 'ours-cpu', '--fits', '2'], 'browser'), quiet: true };
    const l = loader([resultOf([notRun('qe-sgd', 'ours-cpu')], true), resultOf([ok('qe-sgd', 'ours-cpu')], false)]);
    const { result } = await runRounds(o, 'npm run bench', l.page);
    expect(l.loads()).toBe(1);
    expect(result.stopped).toBe(true);
    expect(result.rows).toEqual([notRun('qe-sgd', 'ours-cpu')]);
  });

  it('--fits 3: the second round stopped, no third; the run is the one round before it (fits 1), not stopped', async () => {
    const o = { ...parseArgs(['--configs', 'qe-sgd', '--systems', 'ours-cpu', '--fits', '3'], 'browser'), quiet: true };
    const fit = (at: number): Row => ({ ...ok('qe-sgd', 'ours-cpu'), description: 'ours', epochs: [{ epoch: 1, at, loss: 0.5, testAccuracy: 0.9 }] });
    const l = loader([resultOf([fit(2)], false), resultOf([notRun('qe-sgd', 'ours-cpu')], true), resultOf([fit(3)], false)]);
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (written.push(String(s)), true));
    const { result } = await runRounds(o, 'npm run bench', l.page).finally(() => spy.mockRestore());
    expect(written).toEqual(['fits: round 2 of 3 was stopped: its partial result is left out; the result that follows is round 1 alone (fits 1), not marked stopped\n']);
    expect(l.loads()).toBe(2);
    expect(result.stopped).toBeUndefined();
    expect(result.policy.fits).toBe(1);
    expect(result.rows.map((r) => `${r.system} ${r.status} ${r.epochs?.[0].at}`)).toEqual(['ours-cpu ok 2']);
  });

  it('--fits 3, the third round stopped: the line says its partial result is left out, the run rounds 1–2, not marked stopped', async () => {
    // The stopped page load's own line (pageOutcome) said "the partial result follows, marked stopped": this line
    // must not leave that standing, as the result written is the two whole rounds, unmarked.
    const o = { ...parseArgs(['--configs', 'qe-sgd', '--systems', 'ours-cpu', '--fits', '3'], 'browser'), quiet: true };
    const fit = (at: number): Row => ({ ...ok('qe-sgd', 'ours-cpu'), description: 'ours', epochs: [{ epoch: 1, at, loss: 0.5, testAccuracy: 0.9 }] });
    const l = loader([resultOf([fit(2)], false), resultOf([fit(3)], false), resultOf([notRun('qe-sgd', 'ours-cpu')], true)]);
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (written.push(String(s)), true));
    try {
      const { result } = await runRounds(o, 'npm run bench', l.page);
      expect([result.stopped, result.policy.fits]).toEqual([undefined, 2]);
    } finally {
      spy.mockRestore();
    }
    expect(written).toEqual(['fits: round 3 of 3 was stopped: its partial result is left out; the result that follows is rounds 1–2 (fits 2), not marked stopped\n']);
  });
});
