/**
 * bench/compare.ts and its command line bench/compare-cli.ts (npm run bench:compare -- A.json B.json): rows paired by
 * config, system, variant and thread count (the k-th of a key with the k-th), B against A as 'k× slower' / 'k× faster',
 * each side's min–max from the row's own repetitions (config e: its fits), the verdict rule (ranges that do not
 * overlap differ; touching ranges do not), failed and not-run rows without a ratio, the comparability warnings, and bad input as one line naming the file and
 * field, exit 2. Fixtures: fair-run-57.json's header (a committed run) with hand-built rows; every expected ratio is
 * worked by hand in the comments. No timing is asserted.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { compareMarkdown, compareRuns, CompareInputError, comparability, pairRows, readResults, type PairedRow } from '../bench/compare.ts';
import { main } from '../bench/compare-cli.ts';
import type { BenchResult } from '../bench/report.ts';
import type { Row } from '../bench/row.ts';
import { STOPPED_REASON } from '../bench/protocol.ts';

const results = join(import.meta.dirname, '..', 'bench', 'results');
const real = (name: string): BenchResult => JSON.parse(readFileSync(join(results, name), 'utf8')) as BenchResult;
const base = real('fair-run-57.json');

/** A step row cut down from a real one: its times (ms/step) and msPerStep, their median, min and max, written by hand. */
const step = (config: string, system: Row['system'], times: number[], m: [number, number, number], extra: Partial<Row> = {}): Row =>
  ({ config, system, status: 'ok', agreeSteps: 10, times, msPerStep: { median: m[0], min: m[1], max: m[2] }, reps: times.length, ...extra });
/** A config e row: each fit's epochs' seconds (the last one is the fit's time). */
const fit = (config: string, system: Row['system'], fitsAt: number[][]): Row => {
  const fits = fitsAt.map((at) => ({ epochs: at.map((t, k) => ({ epoch: k + 1, at: t, loss: 0.5, testAccuracy: 0.9 })) }));
  return { config, system, status: 'ok', agreeSteps: 63, epochs: fits[0].epochs, ...(fits.length > 1 ? { fits } : {}) };
};
const run = (rows: Row[], over: Partial<BenchResult> = {}): BenchResult => ({ ...base, rows, ...over });
const find = (rows: PairedRow[], config: string, label: string): PairedRow => {
  const r = rows.find((x) => x.config === config && x.label === label);
  if (!r) throw new Error(`no row ${config} ${label}`);
  return r;
};

describe('pairRows: B against A, the spread rule, failed rows', () => {
  const A = [
    step('b-mse', 'ours-webgpu', [10, 12, 11], [11, 10, 12]),
    step('c-mse', 'ours-webgpu', [10, 11, 12], [11, 10, 12]),
    step('d-mse', 'ours-webgpu', [10, 11, 12], [11, 10, 12]),
    step('b-ce', 'ours-webgpu', [4, 4, 4], [4, 4, 4]),
    step('b-ce', 'ours-cpu', [4, 5, 6], [5, 4, 6]),
    step('c-ce', 'ours-cpu', [2, 2, 2], [2, 2, 2]),
    step('a', 'ours-cpu', [1, 1, 1], [1, 1, 1]),
  ];
  const B: Row[] = [
    step('b-mse', 'ours-webgpu', [13, 14, 15], [14, 13, 15]),
    step('c-mse', 'ours-webgpu', [8, 9, 10], [9, 8, 10]),
    step('d-mse', 'ours-webgpu', [12, 13, 14], [13, 12, 14]),
    // Failed rows that still hold times: no ratio from them.
    step('b-ce', 'ours-webgpu', [2, 2, 2], [2, 2, 2], { status: 'error', error: 'LimitError: out of memory' }),
    step('b-ce', 'ours-cpu', [5, 5, 5], [5, 5, 5], { status: 'wrong' }),
    { config: 'c-ce', system: 'ours-cpu', status: 'skipped', error: STOPPED_REASON, agreeSteps: 10 } satisfies Row,
    step('a', 'tfjs-webgl', [3, 3, 3], [3, 3, 3]),
  ];
  const rows = pairRows(A, B);

  it('B slower, ranges apart: 14 ÷ 11 = 1.2727… → "1.27× slower"; B min 13 > A max 12 → differs: B slower', () => {
    const r = find(rows, 'b-mse', 'ours-webgpu');
    expect(r.ratio).toBeCloseTo(14 / 11, 12);
    expect(compareMarkdown({ ...compareRuns('A', run(A), 'B', run(B)), rows: [r] })).toContain('| b-mse | ours-webgpu | 11.0 ms/step | 14.0 ms/step | 1.27× slower | 10.0 ms–12.0 ms (3 reps) | 13.0 ms–15.0 ms (3 reps) | differs: B slower |');
  });

  it('B faster, ranges touching (B max 10 = A min 10): 11 ÷ 9 = 1.2222… → "1.22× faster", within spread', () => {
    const r = find(rows, 'c-mse', 'ours-webgpu');
    expect(r.ratio).toBeCloseTo(9 / 11, 12);
    expect(r.verdict).toBe('within spread');
    expect(compareMarkdown({ ...compareRuns('A', run(A), 'B', run(B)), rows: [r] })).toContain('| 1.22× faster |');
  });

  it('B slower, ranges touching (B min 12 = A max 12): 13 ÷ 11 = 1.1818… "1.18× slower", within spread', () => {
    const r = find(rows, 'd-mse', 'ours-webgpu');
    expect(r.ratio).toBeCloseTo(13 / 11, 12);
    expect(r.verdict).toBe('within spread');
  });

  it('an erred, a disagreeing and a not-run row get no ratio and say so; one-sided rows are listed as such', () => {
    expect(find(rows, 'b-ce', 'ours-webgpu')).toMatchObject({ ratio: null, verdict: 'no ratio: B failed (error)' });
    expect(find(rows, 'b-ce', 'ours-cpu')).toMatchObject({ ratio: null, verdict: 'no ratio: B failed (wrong: disagreed with its reference)' });
    expect(find(rows, 'c-ce', 'ours-cpu')).toMatchObject({ ratio: null, verdict: 'no ratio: B not run' });
    expect(find(rows, 'a', 'ours-cpu')).toMatchObject({ ratio: null, verdict: 'only in A', b: null });
    expect(find(rows, 'a', 'tfjs-webgl')).toMatchObject({ ratio: null, verdict: 'only in B', a: null });
    const md = compareMarkdown({ ...compareRuns('A', run(A), 'B', run(B)), rows });
    expect(md).toContain('| b-ce | ours-webgpu | 4.00 ms/step | failed (error) | — |');
    expect(md).toContain('| c-ce | ours-cpu | 2.00 ms/step | not run | — |');
  });
});

describe('pairRows: keys with a variant, a thread count, a second page load', () => {
  it('the k-th ours-wasm (1 thread) row pairs with the k-th; 2 threads with 2 threads', () => {
    const A = [
      step('b-mse', 'ours-wasm', [1, 1, 1], [1, 1, 1], { threads: 1 }),
      step('b-mse', 'ours-wasm', [2, 2, 2], [2, 2, 2], { threads: 1 }),
      step('b-mse', 'ours-wasm', [4, 4, 4], [4, 4, 4], { threads: 2 }),
      step('b-mse', 'ours-webgpu', [8, 8, 8], [8, 8, 8], { variant: 'tiled' }),
    ];
    const B = [
      step('b-mse', 'ours-webgpu', [2, 2, 2], [2, 2, 2], { variant: 'tiled' }),
      step('b-mse', 'ours-wasm', [1, 1, 1], [1.5, 1.5, 1.5], { threads: 2 }),
      step('b-mse', 'ours-wasm', [3, 3, 3], [3, 3, 3], { threads: 1 }),
      step('b-mse', 'ours-wasm', [5, 5, 5], [5, 5, 5], { threads: 1 }),
    ];
    const rows = pairRows(A, B);
    // 3 ÷ 1, 5 ÷ 2, 1.5 ÷ 4, 2 ÷ 8.
    expect(rows.map((r) => [r.label, r.ratio])).toEqual([
      ['ours-wasm (1 thread)', 3], ['ours-wasm (1 thread) #2', 2.5], ['ours-wasm (2 threads)', 0.375], ['ours-webgpu (tiled)', 0.25],
    ]);
  });
});

describe('config e: seconds to the last epoch over the fits', () => {
  it('3 fits a side: medians 6 and 3.5 s, 6 ÷ 3.5 = 1.714… "1.71× faster"; B max 4 < A min 5 → differs: B faster', () => {
    const A = [fit('e-sgd', 'ours-cpu', [[1, 5], [1, 7], [1, 6]])];
    const B = [fit('e-sgd', 'ours-cpu', [[9, 3.5], [9, 4], [9, 3]])];
    const [r] = pairRows(A, B);
    expect(r.ratio).toBeCloseTo(3.5 / 6, 12);
    expect(r.a?.measure).toEqual({ unit: 's', median: 6, min: 5, max: 7, n: 3, epochs: 2 });
    expect(r.verdict).toBe('differs: B faster');
    expect(compareMarkdown({ ...compareRuns('A', run(A), 'B', run(B)), rows: [r] })).toContain('| e-sgd | ours-cpu | 6.00 s | 3.50 s | 1.71× faster | 5.00–7.00 (3 fits) | 3.00–4.00 (3 fits) | differs: B faster |');
  });

  it('one fit a side: a ratio (2 ÷ 4 → "2.00× faster") but no verdict; fits of different epoch counts: no ratio', () => {
    const [one] = pairRows([fit('e-sgd', 'ours-cpu', [[1, 4]])], [fit('e-sgd', 'ours-cpu', [[1, 2]])]);
    expect(one.ratio).toBe(0.5);
    expect(one.verdict).toBe('no verdict: A has 1 fit');
    const [epochs] = pairRows([fit('e-sgd', 'ours-cpu', [[1, 4], [1, 5]])], [fit('e-sgd', 'ours-cpu', [[1, 2, 3], [1, 2, 3]])]);
    expect(epochs).toMatchObject({ ratio: null, verdict: "no ratio: A's fits ran 2 epochs, B's 3" });
  });
});

describe('comparability: warnings at the top', () => {
  it('fair-run-52 against fair-run-57 (committed): different machines and browsers, both commits shown', () => {
    const a = real('fair-run-52.json');
    const b = real('fair-run-57.json');
    const w = comparability(a, b);
    expect(w).toContain('different machines: A\'s CPU "AMD EPYC", 2 logical cores; B\'s "Intel(R) Xeon(R) Processor", 2 logical cores');
    expect(w).toContain('browser differs: A "Chrome/156.0.8078.114", B "Chrome/156.0.8078.129"');
    const md = compareMarkdown(compareRuns('a.json', a, 'b.json', b));
    expect(md).toContain('engine commit: A 6974ef0, B f5f472a');
    expect(md).toContain('load average (1 min) 1.41 at the start, 1.55 at the end');
  });

  it('a run against itself: none; quick against full, another adapter and core count: each named', () => {
    expect(comparability(base, base)).toEqual([]);
    const other = run(base.rows, {
      mode: 'quick', policy: { ...base.policy, targetRepMs: 25 }, env: { ...base.env, cpu: { ...base.env.cpu, cores: 4 }, webgpu: { ...base.env.webgpu, vendor: 'nvidia', isFallbackAdapter: false } },
    });
    const w = comparability(base, other);
    expect(w.some((x) => x.startsWith('different machines') && x.endsWith('4 logical cores'))).toBe(true);
    expect(w).toContain('run mode differs: A full, B quick (--quick times shorter repetitions)');
    expect(w).toContain('policy.targetRepMs differs: A 200, B 25');
    expect(w.some((x) => x.startsWith('WebGPU adapter differs: A "google swiftshader'))).toBe(true);
  });
});

describe('bad input: one line naming the file and field, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-compare-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => vi.restoreAllMocks());
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const good = file('good.json', JSON.stringify(run([step('a', 'ours-cpu', [1, 2, 3], [2, 1, 3])])));
  const exit = (argv: string[]): { code: number; out: string; err: string } => {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
    vi.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => out.push(String(s)) > 0);
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => err.push(String(s)) > 0);
    const code = main(argv);
    vi.restoreAllMocks();
    return { code, out: out.join(''), err: err.join('') };
  };

  it.each([
    ['a missing file', () => join(dir, 'nope.json'), 'nope.json: does not exist'],
    ['not JSON', () => file('text.json', '# results'), 'text.json: is not JSON'],
    ['another JSON (package.json)', () => join(import.meta.dirname, '..', 'package.json'), "package.json: tool is missing, not 'backprop-webgpu bench'"],
    ['no rows', () => file('norows.json', JSON.stringify({ ...base, rows: undefined })), 'norows.json: rows is missing'],
    ['a row without its status', () => file('nostatus.json', JSON.stringify({ ...base, rows: [base.rows[0], { ...base.rows[1], status: undefined }] })), 'nostatus.json: rows[1].status is missing'],
    ['no env.cpu', () => file('nocpu.json', JSON.stringify({ ...base, env: { ...base.env, cpu: undefined } })), 'nocpu.json: env.cpu is missing'],
  ])('%s', (_what, path, message) => {
    const { code, out, err } = exit([good, path()]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain(message);
  });

  it('readResults throws the typed error with the field', () => {
    expect(() => readResults(JSON.stringify({ ...base, version: undefined }), 'v.json')).toThrow(CompareInputError);
    try {
      readResults(JSON.stringify({ ...base, version: undefined }), 'v.json');
    } catch (e) {
      expect(e).toMatchObject({ file: 'v.json', field: 'version' });
    }
  });

  it('two format versions: refused, naming the second file and version', () => {
    const v2 = file('v2.json', JSON.stringify({ ...base, version: 2 }));
    const { code, err } = exit([good, v2]);
    expect(code).toBe(2);
    expect(err.trim()).toBe(`${v2}: version is 2 and ${good}'s is 1: two results formats cannot be compared row by row`);
  });

  it('--help: the usage, exit 0; one file or an unknown option: exit 2 with the usage; --json: the comparison as JSON', () => {
    expect(exit(['--help'])).toMatchObject({ code: 0, err: '' });
    expect(exit(['--help']).out).toContain('usage: npm run bench:compare -- A.json B.json [--json]');
    expect(exit([good])).toMatchObject({ code: 2 });
    expect(exit([good, good, '--jsn']).err).toContain('unknown option --jsn; did you mean --json?');
    const slow = file('slow.json', JSON.stringify(run([step('a', 'ours-cpu', [4, 5, 6], [5, 4, 6])])));
    const { code, out } = exit([good, slow, '--json']);
    expect(code).toBe(0);
    // 5 ÷ 2 = 2.5; B min 4 > A max 3.
    expect(JSON.parse(out).rows).toEqual([expect.objectContaining({ config: 'a', label: 'ours-cpu', ratio: 2.5, verdict: 'differs: B slower' })]);
  });
});
