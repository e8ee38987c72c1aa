/**
 * bench/compare.ts, read62c: the timing fields a hand-edited or cut results file can break (msPerStep, times, config
 * e's epochs and fits, env.load) are checked up front and named (exit 2, one line), not a TypeError stack or a NaN
 * ratio; the warnings for a policy.inspect difference and for two page runs whose CPU model is unknown; a ratio within
 * 0.5 % is not called "(same)" where the verdict says the ranges are apart; README's sample lines are what the command
 * prints for the committed fair-run-52 against fair-run-57; an old run's ours-wasm rows (no `threads`: the run's
 * env.wasm.threads) pair with a newer run's at that count. Expected values are worked by hand in the comments.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompareInputError, comparability, compareMarkdown, compareRuns, pairRows, readResults, rowsWithCounts } from '../bench/compare.ts';
import type { BenchResult } from '../bench/report.ts';
import type { Row } from '../bench/row.ts';

const root = join(import.meta.dirname, '..');
const real = (name: string): BenchResult => JSON.parse(readFileSync(join(root, 'bench', 'results', name), 'utf8')) as BenchResult;
const base = real('a-run-45.json');

/** readResults on `r` as text: the CompareInputError's field, or 'none' where it reads. */
const fieldOf = (r: unknown): string => {
  try {
    readResults(JSON.stringify(r), 'x.json');
    return 'none';
  } catch (e) {
    if (!(e instanceof CompareInputError)) throw e;
    return e.field;
  }
};
const withRow = (k: number, over: Record<string, unknown>) => ({ ...base, rows: base.rows.map((r, j) => (j === k ? { ...r, ...over } : r)) });

describe('readResults: the timing fields, named before any comparing', () => {
  it('the committed file reads; a broken msPerStep, times, epoch or load is named down to the entry', () => {
    expect(fieldOf(base)).toBe('none');
    const ms = base.rows[1].msPerStep!;
    expect(fieldOf(withRow(1, { msPerStep: { ...ms, median: '5' } }))).toBe('rows[1].msPerStep.median');
    expect(fieldOf(withRow(1, { msPerStep: { median: ms.median, max: ms.max } }))).toBe('rows[1].msPerStep.min');
    expect(fieldOf(withRow(2, { times: [1, null, 3] }))).toBe('rows[2].times[1]');
    expect(fieldOf(withRow(0, { threads: '2' }))).toBe('rows[0].threads');
    const epoch = { epoch: 1, at: 2.5, loss: 0.5, testAccuracy: 0.9 };
    expect(fieldOf(withRow(0, { epochs: [epoch, { epoch: 2, loss: 0.4 }] }))).toBe('rows[0].epochs[1].at');
    expect(fieldOf(withRow(0, { epochs: [epoch], fits: [{ epochs: [epoch] }, { epochs: [{ ...epoch, at: 'x' }] }] }))).toBe('rows[0].fits[1].epochs[0].at');
    expect(fieldOf(withRow(0, { fits: [{}] }))).toBe('rows[0].fits[0].epochs');
    expect(fieldOf({ ...base, env: { ...base.env, load: { start: 'x' } } })).toBe('env.load.start');
    expect(fieldOf({ ...base, env: { ...base.env, load: { start: [1, 1, 1], end: [null] } } })).toBe('env.load.end[0]');
  });

  it('the message names the file and field and says what it is', () => {
    expect(() => readResults(JSON.stringify(withRow(1, { msPerStep: { median: '5', min: 1, max: 2 } })), 'x.json'))
      .toThrow('x.json: rows[1].msPerStep.median is "5", not a number');
  });
});

describe('comparability: the warnings a benchmarker needs', () => {
  it('policy.inspect: agree52 ran --no-inspect (its command), fair-run-52 with the profile', () => {
    const a = real('agree52.json');
    expect(a.command).toContain('--no-inspect');
    expect(comparability(a, real('fair-run-52.json'))).toContain('policy.inspect differs: A false, B true');
  });

  it('two page runs (CPU model unknown, same core count): the machines cannot be told apart; a driver run against itself: no warning', () => {
    const page = { ...base, env: { ...base.env, cpu: { model: 'unknown (a page cannot see it)', cores: 2 } } };
    const w = comparability(page, page);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^the machines cannot be told apart: both CPU models are "unknown \(a page cannot see it\)"/);
    expect(comparability(base, base)).toEqual([]);
  });

  it('a page run (CPU model unknown) against a driver run of the same core count: may differ, not "different machines"; of another core count: different', () => {
    const page = { ...base, env: { ...base.env, cpu: { model: 'unknown (a page cannot see it)', cores: 2 } } };
    const driver = { ...base, env: { ...base.env, cpu: { model: 'AMD EPYC', cores: 2 } } };
    expect(comparability(page, driver)).toEqual(['the machines may differ: A\'s CPU model is "unknown (a page cannot see it)" (a page run without the Node driver) and B\'s "AMD EPYC"; only the core counts (2) are known to match']);
    expect(comparability(driver, page)).toEqual(['the machines may differ: B\'s CPU model is "unknown (a page cannot see it)" (a page run without the Node driver) and A\'s "AMD EPYC"; only the core counts (2) are known to match']);
    const four = { ...base, env: { ...base.env, cpu: { model: 'AMD EPYC', cores: 4 } } };
    expect(comparability(page, four)).toEqual(['different machines: A\'s CPU "unknown (a page cannot see it)", 2 logical cores; B\'s "AMD EPYC", 4 logical cores']);
  });
});

describe('ratio text beside a verdict', () => {
  const step = (times: number[]): Row => {
    const s = [...times].sort((x, y) => x - y);
    return { config: 'b-mse', system: 'ours-cpu', status: 'ok', agreeSteps: 10, times, reps: times.length, msPerStep: { median: s[1], min: s[0], max: s[2] } };
  };
  it('medians 10.01 and 10.04 (10.04 ÷ 10.01 = 1.0030: within 0.5 %), B min 10.03 > A max 10.02: "1.00× slower", not "(same)"', () => {
    const A = [step([10.0, 10.01, 10.02])];
    const B = [step([10.03, 10.04, 10.05])];
    const [r] = pairRows(A, B);
    expect(r.ratio).toBeCloseTo(10.04 / 10.01, 12);
    expect(r.verdict).toBe('differs: B slower');
    const md = compareMarkdown(compareRuns('A', { ...base, rows: A }, 'B', { ...base, rows: B }));
    expect(md).toContain('| 10.0 ms/step | 10.0 ms/step | 1.00× slower | 10.0 ms–10.0 ms (3 reps) | 10.0 ms–10.1 ms (3 reps) | differs: B slower |');
    // Overlapping ranges within 0.5 % stay "(same)": B [10.02, 10.03, 10.04] touches A's max 10.02.
    const same = compareMarkdown(compareRuns('A', { ...base, rows: A }, 'B', { ...base, rows: [step([10.02, 10.03, 10.04])] }));
    expect(same).toContain('| 1.00× (same) |');
  });
});

describe("README's sample output", () => {
  it('every line of the block under "Comparing two runs" (but its elision) is printed for fair-run-52 against fair-run-57', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Comparing two runs'));
    const block = section.slice(section.indexOf('```\n') + 4, section.indexOf('\n```', section.indexOf('```\n') + 4));
    const lines = block.split('\n').filter((l) => l && !l.startsWith('$ ') && l !== '…');
    expect(lines.length).toBeGreaterThan(10);
    const a = 'bench/results/fair-run-52.json';
    const b = 'bench/results/fair-run-57.json';
    const out = compareMarkdown(compareRuns(a, real('fair-run-52.json'), b, real('fair-run-57.json'))).split('\n');
    for (const l of lines) expect(out).toContain(l);
  });
});

describe('an old run without threads on its rows: the count from its env', () => {
  const row = (threads: number | undefined, median: number): Row =>
    ({ config: 'b-mse', system: 'ours-wasm', status: 'ok', agreeSteps: 10, times: [median, median], reps: 2, msPerStep: { median, min: median, max: median }, ...(threads === undefined ? {} : { threads }) });
  it('A (env.wasm.threads 2, its row without threads) against B (rows at 1 and 2 threads): 2 pairs with 2, 3 ÷ 6 = 0.5', () => {
    const A = { ...base, env: { ...base.env, wasm: { threads: 2 }, wasmPasses: undefined }, rows: [row(undefined, 6)] };
    const B = { ...base, rows: [row(1, 9), row(2, 3)] };
    expect(rowsWithCounts(A)[0].threads).toBe(2);
    const c = compareRuns('A', A, 'B', B);
    expect(c.rows.map((r) => [r.label, r.ratio, r.verdict])).toEqual([
      ['ours-wasm (2 threads)', 0.5, 'differs: B faster'],
      ['ours-wasm (1 thread)', null, 'only in B'],
    ]);
    // A run over several page loads keeps its rows' own counts (here none): nothing is filled in.
    expect(rowsWithCounts({ ...A, env: { ...A.env, wasmPasses: [{ oursWasmThreads: 1 }, { oursWasmThreads: 2 }] } })[0].threads).toBeUndefined();
  });
});
