/**
 * A browser run stopped before its last wasm pass (bench/browser.ts runPasses, passesNotRun): each pass is a page
 * load of its own, and the loads after the stopped one never happen. Their rows were left out of the result, so the
 * table had no row for them and the Markdown's "N rows not run" (report.ts markdown) counted only the rows of the loads
 * that ran (env.wasmPasses lists only those). Now each pass never loaded adds its systems' rows on every config: not
 * run, with the pass's thread (worker) count, or skipped for the reason that page would have given. Page loads are
 * stand-ins (results made by hand); every count below is worked from the options by hand.
 */
import { describe, expect, it } from 'vitest';
import { type BenchOptions, parseArgs } from '../bench/bench.ts';
import { type PageRun, runPasses } from '../bench/browser.ts';
import { type Row, STOPPED_REASON } from '../bench/protocol.ts';
import { markdown, type BenchResult } from '../bench/report.ts';
import { resultOf } from './lib/bench-results.ts';

const ok = (config: string, system: Row['system'], threads?: number): Row => ({ config, system, status: 'ok', agreeSteps: 10, ...(threads !== undefined ? { threads } : {}) });
const notRun = (config: string, system: Row['system'], threads?: number): Row => ({ ...ok(config, system, threads), status: 'skipped', error: STOPPED_REASON });

function loader(results: BenchResult[]): (o: BenchOptions) => Promise<PageRun> {
  let k = 0;
  return async () => ({ result: results[k++], consoleErrors: [] });
}
const options = (...args: string[]): BenchOptions => ({ ...parseArgs(args, 'browser'), quiet: true });
/** The Markdown's "**Stopped**: … N rows not run" count. */
const notRunLine = (r: BenchResult): string => /\*\*Stopped\*\*: .*?, (\d+ rows? not run)/.exec(markdown(r))?.[1] ?? 'no Stopped line';
const label = (r: Row): string => `${r.config} ${r.system} ${r.threads ?? '-'} ${r.status === 'skipped' ? (r.error === STOPPED_REASON ? 'not run' : 'skipped') : r.status}`;

describe('the rows of wasm passes a Stop left unloaded', () => {
  it('the first load stopped, two passes after it: their ours-wasm and jax-wasm rows on both configs are not run', async () => {
    // --configs a,b-mse, --systems ours-wasm,jax-wasm, threads 1,2,4 and workers 1,3,5: load 1 (1 thread, 1 worker),
    // then the passes of 2 threads and 3 workers, and of 4 and 5.
    const o = options('--configs', 'a,b-mse', '--systems', 'ours-wasm,jax-wasm', '--ours-wasm-threads', '1,2,4', '--jax-wasm-workers', '1,3,5');
    const first = resultOf([ok('a', 'ours-wasm', 1), notRun('a', 'jax-wasm', 1), notRun('b-mse', 'ours-wasm', 1), notRun('b-mse', 'jax-wasm', 1)], true);
    const { result } = await runPasses(o, loader([first]));
    // Load 1's 3 not run, and 2 passes × 2 configs × 2 systems = 8 more: 11.
    expect(notRunLine(result)).toBe('11 rows not run');
    expect(result.rows.map(label)).toEqual([
      'a ours-wasm 1 ok', 'a jax-wasm 1 not run', 'a ours-wasm 2 not run', 'a jax-wasm 3 not run', 'a ours-wasm 4 not run', 'a jax-wasm 5 not run',
      'b-mse ours-wasm 1 not run', 'b-mse jax-wasm 1 not run', 'b-mse ours-wasm 2 not run', 'b-mse jax-wasm 3 not run', 'b-mse ours-wasm 4 not run', 'b-mse jax-wasm 5 not run',
    ]);
  });

  it('the second of three loads stopped: the third pass\'s rows not run; env.wasmPasses still lists the two loads that ran', async () => {
    const o = options('--configs', 'a', '--systems', 'ours-cpu,ours-wasm', '--ours-wasm-threads', '1,2,4');
    const loads = [resultOf([ok('a', 'ours-cpu'), ok('a', 'ours-wasm', 1)], false), resultOf([notRun('a', 'ours-wasm', 2)], true)];
    const { result } = await runPasses(o, loader(loads));
    expect(notRunLine(result)).toBe('2 rows not run');
    expect(result.rows.map(label)).toEqual(['a ours-cpu - ok', 'a ours-wasm 1 ok', 'a ours-wasm 2 not run', 'a ours-wasm 4 not run']);
    expect(result.env.wasmPasses).toHaveLength(2);
  });

  it('a config the wasm systems do not run (f: GPU systems only) is skipped for its reason, not counted as not run', async () => {
    const o = options('--configs', 'a,f', '--systems', 'ours-wasm,ours-webgpu', '--ours-wasm-threads', '1,2');
    const skippedF: Row = { ...ok('f', 'ours-wasm', 1), status: 'skipped', error: 'config f is for GPU systems (412 GFLOP a step)' };
    // Group f is f and f-matmul (the bare matmul, GPU systems only too).
    const skippedMatmul: Row = { ...ok('f-matmul', 'ours-wasm', 1), status: 'skipped', error: 'the bare matmul row is for GPU systems (…)' };
    const first = resultOf([notRun('a', 'ours-wasm', 1), notRun('a', 'ours-webgpu'), skippedF, notRun('f', 'ours-webgpu'), skippedMatmul, notRun('f-matmul', 'ours-webgpu')], true);
    const { result } = await runPasses(o, loader([first]));
    // Load 1's 4 not run, and the 2-thread pass's a: 5; its f and f-matmul are skipped, as load 1's were.
    expect(notRunLine(result)).toBe('5 rows not run');
    expect(result.rows.map(label)).toEqual([
      'a ours-wasm 1 not run', 'a ours-webgpu - not run', 'a ours-wasm 2 not run',
      'f ours-wasm 1 skipped', 'f ours-webgpu - not run', 'f ours-wasm 2 skipped',
      'f-matmul ours-wasm 1 skipped', 'f-matmul ours-webgpu - not run', 'f-matmul ours-wasm 2 skipped',
    ]);
    expect(result.rows[5].error).toBe('config f is for GPU systems (412 GFLOP a step)');
  });

  it('every pass loaded: no row added (the last load stopped adds none after it)', async () => {
    const o = options('--configs', 'a', '--systems', 'ours-wasm', '--ours-wasm-threads', '1,2');
    const { result } = await runPasses(o, loader([resultOf([ok('a', 'ours-wasm', 1)], false), resultOf([notRun('a', 'ours-wasm', 2)], true)]));
    expect(notRunLine(result)).toBe('1 row not run');
    expect(result.rows.map(label)).toEqual(['a ours-wasm 1 ok', 'a ours-wasm 2 not run']);
  });
});
