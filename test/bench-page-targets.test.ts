/**
 * The bench page's target verdicts (usr56m): the page said only "4 rows ran and agreed" where the run's Markdown has
 * its targets table. The page's table (bench/page/table.ts targetTable) and the Markdown's rows come from one function
 * (bench/report.ts targetVerdicts); the expected words and numbers below are worked by hand from the targets given.
 */
import { describe, expect, it } from 'vitest';
import { QUICK_POLICY } from '../bench/protocol.ts';
import { type BenchResult, markdown, targetVerdicts } from '../bench/report.ts';
import type { TargetCheck } from '../bench/targets.ts';
import { targetTable } from '../bench/page/table.ts';

const targets: TargetCheck[] = [
  // Time to accuracy (qe-adam has a goal), both rows on one thread, missed: 1.2912 to two decimals is 1.29 (< 2).
  { config: 'qe-adam', system: 'ours-wasm', versus: 'jax-wasm', want: 2, got: 1.2912, met: false, threads: 1 },
  // Only the peer's count (jax-wasm on 0 workers: its main thread), met: 1032.4 ≥ 100 reads as a whole number.
  { config: 'a', system: 'ours-webgpu', versus: 'jax-wasm', want: 1000, got: 1032.4, met: true, versusThreads: 0 },
  // Only ours states a count; no ratio (the peer erred): a dash, not met.
  { config: 'b-mse', system: 'ours-wasm', versus: 'tfjs-webgl', want: 2, got: null, met: false, systemThreads: 2 },
];
const result = (t: TargetCheck[], goals?: Record<string, number>): BenchResult => ({
  tool: 'backprop-webgpu bench', version: 1, date: 'd', mode: 'custom', command: 'c', env: { runner: 'browser', browser: 'Chrome/1', cpu: { model: 'x', cores: 2 } }, policy: QUICK_POLICY,
  configs: [], systems: [], rows: [], targets: t, ok: true, failures: [], seconds: 0, ...(goals ? { goals } : {}),
});

describe('targetVerdicts: the words of the Markdown\'s targets table', () => {
  it('names each target\'s rows and counts, what it wants, what it measured and whether it was met', () => {
    expect(targetVerdicts(result(targets, { 'qe-adam': 0.8 }))).toEqual([
      { target: 'qe-adam: ours-wasm vs jax-wasm (both 1) (time to accuracy)', wanted: '≥ 2×', measured: '1.29×', met: 'no' },
      { target: 'a: ours-webgpu vs jax-wasm (vs 0 workers: its main thread)', wanted: '≥ 1000×', measured: '1032×', met: 'yes' },
      { target: 'b-mse: ours-wasm (2 threads) vs tfjs-webgl', wanted: '≥ 2×', measured: '—', met: 'no' },
    ]);
  });
  it('the Markdown\'s targets table is those rows', () => {
    const md = markdown(result(targets, { 'qe-adam': 0.8 }));
    expect(md).toContain([
      '| target | wanted | measured | met |', '|---|---:|---:|---|',
      '| qe-adam: ours-wasm vs jax-wasm (both 1) (time to accuracy) | ≥ 2× | 1.29× | no |',
      '| a: ours-webgpu vs jax-wasm (vs 0 workers: its main thread) | ≥ 1000× | 1032× | yes |',
      '| b-mse: ours-wasm (2 threads) vs tfjs-webgl | ≥ 2× | — | no |',
    ].join('\n'));
  });
});

describe('targetTable: the page\'s targets, shown only when the run has some', () => {
  it('a caption counting the met ones, the Markdown\'s heads and rows, the missed rows marked, config e\'s note', () => {
    expect(targetTable(result(targets, { 'qe-adam': 0.8 }))).toEqual({
      caption: 'Targets: 1 of 3 met (how many times faster ours is than the peer, as the Markdown\'s targets table)',
      head: ['target', 'wanted', 'measured', 'met'],
      rows: [
        ['qe-adam: ours-wasm vs jax-wasm (both 1) (time to accuracy)', '≥ 2×', '1.29×', 'no'],
        ['a: ours-webgpu vs jax-wasm (vs 0 workers: its main thread)', '≥ 1000×', '1032×', 'yes'],
        ['b-mse: ours-wasm (2 threads) vs tfjs-webgl', '≥ 2×', '—', 'no'],
      ],
      missed: [true, false, true],
      note: 'Time-to-accuracy targets: the fastest peer\'s seconds to the goal ÷ our fastest system\'s (≥ 2×: ours in at most half the time); a row with a thread or worker count only against rows of the same count or of none, one line per count.',
    });
  });
  it('without goals no time-to-accuracy note; a run without targets has no table (#targets hidden)', () => {
    expect(targetTable(result(targets.slice(1, 2)))).toMatchObject({ caption: 'Targets: 1 of 1 met (how many times faster ours is than the peer, as the Markdown\'s targets table)', note: null, missed: [false] });
    expect(targetTable(result([]))).toBeNull();
    expect(targetVerdicts(result([]))).toEqual([]);
  });
});

describe('a time-to-accuracy target met where the peer never reached the goal (read56c)', () => {
  // Ours at the goal in 2 s, the peer never: epochs.ts gives got = Infinity (null once in JSON), met. It read
  // 'Infinity×' on the page and '—' beside 'yes' in a Markdown made from the JSON.
  const never: TargetCheck = { config: 'e-sgd', system: 'ours-wasm', versus: 'jax-wasm', want: 2, got: Infinity, met: true };
  it('says so, in the run and from its JSON alike; an unmeasured missed target keeps its dash', () => {
    const run = result([never], { 'e-sgd': 0.9 });
    const want = { target: 'e-sgd: ours-wasm vs jax-wasm (time to accuracy)', wanted: '≥ 2×', measured: '∞ (the peer never reached the goal)', met: 'yes' };
    expect(targetVerdicts(run)).toEqual([want]);
    expect(targetVerdicts(JSON.parse(JSON.stringify(run)) as BenchResult)).toEqual([want]);
    expect(targetVerdicts(result([{ ...never, got: null, met: false }], { 'e-sgd': 0.9 }))[0].measured).toBe('—');
  });
});
