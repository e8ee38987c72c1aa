/**
 * The figures README copies from published benchmark runs (the fair run's tables, the issue-10 table) against the
 * committed results files in bench/results/: the run's record, not the code that wrote it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../bench/report.ts';

// README copies published runs' figures by hand: medians, times to the goal, goals, ratios. The tests below check them
// against the committed JSON (the run's record, not the code that wrote it), within half a unit of the last printed
// digit; ratios are recomputed from the medians (a peer's ms/step ÷ ours), times from rows[].epochs.
const README_TEXT = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
const resultsFile = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'bench', 'results', name), 'utf8')) as BenchResult;
/** The body rows (cells trimmed) of the first Markdown table in `text` whose header line starts with `head`. */
function tableIn(text: string, head: string): string[][] {
  const lines = text.slice(text.indexOf(head)).split('\n');
  const body = lines.slice(2, lines.findIndex((l, i) => i > 1 && !l.startsWith('|')));
  return body.map((l) => l.slice(1, -1).split('|').map((c) => c.trim()));
}
/** `printed` (spaces between thousands and a `*` allowed) is `value` to its last digit. */
function nearPrinted(printed: string, value: number, what: string): void {
  const t = printed.replace(/[\s*]/g, '');
  expect(t, what).toMatch(/^\d+(\.\d+)?$/);
  expect(Math.abs(Number(t) - value), `${what}: README ${printed}, JSON ${value}`).toBeLessThanOrEqual(0.5 * 10 ** -(t.split('.')[1] ?? '').length + 1e-9);
}
/** The one row of `result` for config, system and (when given) thread count. */
function rowOf(result: BenchResult, config: string, system: string, threads?: number) {
  const r = result.rows.filter((x) => x.config === config && x.system === system && (threads === undefined || x.threads === threads));
  expect(r, `${config} ${system} ${threads ?? ''}`).toHaveLength(1);
  return r[0]!;
}

describe("README's published run is bench/results/fair-run.json's", () => {
  const fair = resultsFile('fair-run.json');
  const readme = README_TEXT;
  const run = readme.slice(readme.indexOf('**The published run, '), readme.indexOf("NOTE: this machine's speed moves between runs"));
  const table = (head: string) => tableIn(run, head);
  const row = (config: string, system: string, threads?: number) => rowOf(fair, config, system, threads);
  const near = nearPrinted;
  const med = (c: string, s: string, t?: number) => row(c, s, t).msPerStep!.median;
  const cols: [string, number?][][] = [[['ours-webgpu']], [['ours-wasm', 1], ['ours-wasm', 2]], [['ours-cpu']], [['tfjs-webgl']], [['jax-webgpu']], [['jax-wasm', 1], ['jax-wasm', 2]]];

  it('the ms/step table: every median (µs on a), a `*` exactly where the row was capped', () => {
    const rows = table('| config | ours-webgpu | ours-wasm 1 / 2 threads |');
    expect(rows.map((r) => r[0])).toEqual(['a', 'b-mse', 'b-ce', 'c-mse', 'c-ce', 'd-mse', 'd-ce']);
    for (const [config, ...cells] of rows) {
      cells.forEach((cell, i) => {
        const unit = / µs$/.test(cell) ? 1e-3 : 1;
        cell.replace(/ (µs|ms)$/, '').split(' / ').forEach((part, k) => {
          const [system, threads] = cols[i]![k]!;
          near(part, med(config!, system, threads) / unit, `${config} ${system} ${threads ?? ''}`);
          expect(part.includes('*'), `${config} ${system} capped`).toBe(row(config!, system, threads).capped === true);
        });
      });
    }
  });

  it('the config e table: each goal, time to it and epoch 1', () => {
    const eCols: [string, number?][][] = [[['ours-wasm', 1], ['ours-wasm', 2]], [['ours-cpu']], [['ours-webgpu']], [['tfjs-webgl']], [['jax-webgpu']], [['jax-wasm', 1], ['jax-wasm', 2]]];
    const rows = table('| config e (5 epochs) |');
    expect(rows).toHaveLength(2);
    for (const [head, ...cells] of rows) {
      const [, config, goal] = /^(e-\w+): s to ([\d.]+) %/.exec(head!)!;
      near(goal!, fair.goals![config!]! * 100, `${config} goal`);
      cells.forEach((cell, i) => {
        const [, tta, first] = /^(.+) \((.+)\)$/.exec(cell.replace(/\*\*/g, ''))!;
        eCols[i]!.forEach(([system, threads], k) => {
          const r = row(config!, system, threads);
          near(tta!.split(' / ')[k]!, r.timeToAccuracy!, `${config} ${system} ${threads ?? ''} to the goal`);
          near(first!.split(' / ')[k]!, r.epochs![0]!.at, `${config} ${system} ${threads ?? ''} epoch 1`);
        });
      });
    }
  });

  it('the targets table: every ratio from the medians, and how many of six met', () => {
    const rows = table('| target | a | b-mse |');
    const [, a] = rows[0]!;
    const onA = [...a!.matchAll(/(\d[\d ]*)×/g)].map((m) => m[1]!);
    [['tfjs-webgl'], ['jax-webgpu'], ['jax-wasm', 1], ['jax-wasm', 2]].forEach(([s, t], k) => near(onA[k]!, med('a', s as string, t as number | undefined) / med('a', 'ours-webgpu'), `a vs ${s} ${t ?? ''}`));
    const pairs: Record<string, [string, number | undefined, string, number | undefined, number]> = {
      'ours-webgpu ≥ 2× TF.js webgl': ['ours-webgpu', undefined, 'tfjs-webgl', undefined, 2],
      'ours-webgpu ≥ 2× jax-js webgpu': ['ours-webgpu', undefined, 'jax-webgpu', undefined, 2],
      'ours-wasm ≥ 1.25× jax-js wasm, 1 thread': ['ours-wasm', 1, 'jax-wasm', 1, 1.25],
      'ours-wasm ≥ 1.25× jax-js wasm, 2 threads': ['ours-wasm', 2, 'jax-wasm', 2, 1.25],
    };
    const checked = rows.filter((r) => pairs[r[0]!]);
    expect(checked).toHaveLength(4);
    for (const [target, , ...cells] of checked) {
      const [ours, t, peer, pt, want] = pairs[target!]!;
      const got = ['b-mse', 'b-ce', 'c-mse', 'c-ce', 'd-mse', 'd-ce'].map((c, i) => {
        const ratio = med(c, peer, pt) / med(c, ours, t);
        near(cells[i]!.replace(/\*\*|×/g, ''), ratio, `${target}, ${c}`);
        return ratio;
      });
      expect(cells[6], target).toContain(`${got.filter((r) => r >= want).length} of 6`);
    }
    // e: per thread count (bench/epochs.ts timeToAccuracy), ours-wasm on k threads against jax-js wasm on k workers.
    const e = rows.find((r) => r[0]!.startsWith('e: '))!.at(-1)!;
    for (const [name, config] of [['SGD', 'e-sgd'], ['Adam', 'e-adam']]) {
      const part = e.slice(e.indexOf(`${name} `));
      for (const k of [1, 2]) {
        const [, ratio, ours, peer] = new RegExp(`([\\d.]+)× \\(${k}: (?:ours-wasm )?([\\d.]+) vs (?:jax-js wasm )?([\\d.]+) s\\)`).exec(part)!;
        const tta = (system: string) => fair.rows.find((r) => r.config === config && r.system === system && r.threads === k)!.timeToAccuracy!;
        near(ours!, tta('ours-wasm'), `${name} ${k}: ours-wasm`);
        near(peer!, tta('jax-wasm'), `${name} ${k}: jax-wasm`);
        near(ratio!, tta('jax-wasm') / tta('ours-wasm'), `${name} ${k}: the ratio`);
      }
    }
  });
});

describe("README's NOTEs under the published run: the seven runs' ranges and the warm epochs", () => {
  const between = (from: string, to: string) => README_TEXT.slice(README_TEXT.indexOf(from), README_TEXT.indexOf(to, README_TEXT.indexOf(from)));
  const results = readdirSync(join(import.meta.dirname, '..', 'bench', 'results'));
  /** TF.js webgl's or jax-js webgpu's ms/step ÷ ours-webgpu's on one config of one run. */
  const ratio = (r: BenchResult, config: string, peer: string) => rowOf(r, config, peer).msPerStep!.median / rowOf(r, config, 'ours-webgpu').msPerStep!.median;

  it('ours-webgpu against TF.js webgl and jax-js webgpu on b–d across the seven full runs: each range from their JSONs', () => {
    const text = between('Across the seven full', 'Those runs, with their tables');
    const files = [...results.filter((f) => /^full-run-.*\.json$/.test(f)).sort(), 'rerun.json', 'fair-run.json'];
    expect(files).toHaveLength(7);
    const runs = files.map((f) => ({ file: f, result: resultsFile(f) }));
    const configs = ['b-mse', 'b-ce', 'c-mse', 'c-ce', 'd-mse', 'd-ce'];
    const ratios = (peer: string, group = '') => runs.flatMap(({ result }) => configs.filter((c) => c.startsWith(group)).map((c) => ratio(result, c, peer)));
    const range = (printed: string, values: number[], what: string) => {
      const [lo, hi] = printed.split('–');
      near(lo!, Math.min(...values), `${what}: low`);
      near(hi!, Math.max(...values), `${what}: high`);
    };
    const near = nearPrinted;
    const m = /ours-webgpu was ([\d.–]+)× TF\.js webgl and ([\d.–]+)× jax-js webgpu on b–d: ([\d.–]+)×\s+TF\.js webgl on b, ([\d.–]+)× on c \(short of 2× in every run\), ([\d.–]+)× on d \(2× once, d-mse at 17:36\)/.exec(text);
    expect(m, 'the ranges sentence').not.toBeNull();
    range(m![1]!, ratios('tfjs-webgl'), 'TF.js webgl, b–d');
    range(m![2]!, ratios('jax-webgpu'), 'jax-js webgpu, b–d');
    range(m![3]!, ratios('tfjs-webgl', 'b'), 'TF.js webgl, b');
    range(m![4]!, ratios('tfjs-webgl', 'c'), 'TF.js webgl, c');
    range(m![5]!, ratios('tfjs-webgl', 'd'), 'TF.js webgl, d');
    expect(Math.max(...ratios('tfjs-webgl', 'c')), 'c: short of 2× in every run').toBeLessThan(2);
    const twice = runs.flatMap(({ file, result }) => ['d-mse', 'd-ce'].filter((c) => ratio(result, c, 'tfjs-webgl') >= 2).map((c) => `${c} ${file}`));
    expect(twice, 'd: 2× once, d-mse at 17:36 (the run written at 17:42)').toEqual(['d-mse full-run-2026-12-02T17-42-51-163Z.json']);
  });

  it("ours-webgpu's epoch 1 of e-sgd in the loaded e-run and in the fair run: from e-run.json and fair-run.json", () => {
    const m = /ours-webgpu's epoch 1 took ([\d.]+) s in the loaded `e-run`[^]*?and ([\d.]+) s\s+here/.exec(between('NOTE (epoch 1)', 'The like-for-like'));
    expect(m, 'the epoch-1 sentence').not.toBeNull();
    nearPrinted(m![1]!, rowOf(resultsFile('e-run.json'), 'e-sgd', 'ours-webgpu').epochs![0]!.at, 'e-run');
    nearPrinted(m![2]!, rowOf(resultsFile('fair-run.json'), 'e-sgd', 'ours-webgpu').epochs![0]!.at, 'fair run');
  });

  it("config e's warm epochs (the mean of epochs 2–5) and their ratios: from fair-run.json", () => {
    const text = between('e-sgd: ours-wasm', '**Why ours-webgpu is not 2×');
    const fair = resultsFile('fair-run.json');
    const warm = (config: string, system: string, threads?: number) => {
      const e = rowOf(fair, config, system, threads).epochs!;
      return (e.at(-1)!.at - e[0]!.at) / (e.length - 1);
    };
    const near = nearPrinted;
    const sgd = /e-sgd: ours-wasm ([\d.]+) \/ ([\d.]+) s \(1 \/ 2 threads\) against jax-js wasm ([\d.]+) \/ ([\d.]+) s \(1 \/ 2 workers\), ([\d.]+)× \/ ([\d.]+)× at\s+the same count; ours-webgpu ([\d.]+) s against TF\.js webgl ([\d.]+) s \(([\d.]+)×\) and jax-js webgpu ([\d.]+) s \(([\d.]+)×\)/.exec(text);
    const adam = /e-adam:\s+ours-wasm ([\d.]+) \/ ([\d.]+) s against ([\d.]+) \/ ([\d.]+) s, ([\d.]+)× \/ ([\d.]+)×; ours-webgpu ([\d.]+) s against ([\d.]+) s \(([\d.]+)×\) and ([\d.]+) s\s+\(([\d.]+)×\)/.exec(text);
    for (const [config, m] of [['e-sgd', sgd], ['e-adam', adam]] as const) {
      expect(m, config).not.toBeNull();
      const [w1, w2, j1, j2, r1, r2, gpu, webgl, rWebgl, jaxGpu, rJaxGpu] = m!.slice(1);
      near(w1!, warm(config, 'ours-wasm', 1), `${config} ours-wasm 1`);
      near(w2!, warm(config, 'ours-wasm', 2), `${config} ours-wasm 2`);
      near(j1!, warm(config, 'jax-wasm', 1), `${config} jax-wasm 1`);
      near(j2!, warm(config, 'jax-wasm', 2), `${config} jax-wasm 2`);
      near(r1!, warm(config, 'jax-wasm', 1) / warm(config, 'ours-wasm', 1), `${config} 1-thread ratio`);
      near(r2!, warm(config, 'jax-wasm', 2) / warm(config, 'ours-wasm', 2), `${config} 2-thread ratio`);
      near(gpu!, warm(config, 'ours-webgpu'), `${config} ours-webgpu`);
      near(webgl!, warm(config, 'tfjs-webgl'), `${config} tfjs-webgl`);
      near(rWebgl!, warm(config, 'tfjs-webgl') / warm(config, 'ours-webgpu'), `${config} webgl ratio`);
      near(jaxGpu!, warm(config, 'jax-webgpu'), `${config} jax-webgpu`);
      near(rJaxGpu!, warm(config, 'jax-webgpu') / warm(config, 'ours-webgpu'), `${config} jax-webgpu ratio`);
    }
  });
});

describe("README's issue-10 table is the 12:05 full run's and the wasm-vs-tfjs run's", () => {
  it('ours-wasm ms/step, GFLOP/s and % of the page peak at 1 and 2 threads, and every ratio at the same count', () => {
    const full = resultsFile('full-run-2026-12-02T12-11-09-915Z.json');
    const tfjs = resultsFile('wasm-vs-tfjs.json');
    const rows = tableIn(README_TEXT, '| config | ours-wasm 1 thread: ms/step, GFLOP/s (% peak) |');
    expect(rows.map((r) => r[0])).toEqual(['b-mse', 'b-ce', 'c-mse', 'c-ce', 'd-mse', 'd-ce']);
    for (const [config, one, vsOne, two, vsTwo, vsTfjs] of rows) {
      const med = (r: BenchResult, s: string, t?: number) => rowOf(r, config!, s, t).msPerStep!.median;
      [[one, 1], [two, 2]].forEach(([cell, t]) => {
        const [, ms, gflops, share] = /^([\d.]+), ([\d.]+) \((\d+) %\)$/.exec(cell as string)!;
        const w = rowOf(full, config!, 'ours-wasm', t as number);
        nearPrinted(ms!, w.msPerStep!.median, `${config} ${t} thread(s) ms`);
        nearPrinted(gflops!, w.gflops!, `${config} ${t} thread(s) GFLOP/s`);
        nearPrinted(share!, (100 * w.gflops!) / w.wasmPeakGflops!, `${config} ${t} thread(s) % of peak`);
      });
      nearPrinted(vsOne!.replace('×', ''), med(full, 'jax-wasm', 1) / med(full, 'ours-wasm', 1), `${config} vs jax-js 1`);
      nearPrinted(vsTwo!.replace('×', ''), med(full, 'jax-wasm', 2) / med(full, 'ours-wasm', 2), `${config} vs jax-js 2`);
      const [a, b] = vsTfjs!.split(' / ').map((x) => x.replace('×', ''));
      nearPrinted(a!, med(tfjs, 'tfjs-wasm') / med(tfjs, 'ours-wasm', 1), `${config} vs TF.js wasm, ours 1 thread`);
      nearPrinted(b!, med(tfjs, 'tfjs-wasm') / med(tfjs, 'ours-wasm', 2), `${config} vs TF.js wasm, ours 2 threads`);
    }
  });
});


describe("README's count of the GEMM kernel's lines", () => {
  it('is `wc -l shaders/matmul.wgsl` (the file as committed)', () => {
    const m = /shaders\/matmul\.wgsl` replaced [^]*?; (\d+) lines now, `wc -l`/.exec(README_TEXT);
    expect(m, "README's One GEMM kernel paragraph").not.toBeNull();
    const lines = readFileSync(join(import.meta.dirname, '..', 'shaders', 'matmul.wgsl'), 'utf8').split('\n').length - 1; // wc -l counts newlines
    expect(Number(m![1])).toBe(lines);
  });
});

describe("README's NOTEs after jax-js's waits (2026-12-05): bench/results/jax-wait38.json's and fair-run.json's figures", () => {
  const note = (start: string) => README_TEXT.slice(README_TEXT.indexOf(start), README_TEXT.indexOf('\n\n', README_TEXT.indexOf(start))).replace(/\s+/g, ' ');
  it('a and b-mse against jax-js wasm on its main thread, on 1 worker and jax-js webgpu', () => {
    const run = resultsFile('jax-wait38.json');
    const text = note('NOTE (a against jax-js wasm on its main thread, 2026-12-05)');
    const med = (c: string, s: string, t?: number) => rowOf(run, c, s, t).msPerStep!.median;
    // ours-wasm ran in both page loads (1 thread each); the ratio is the first load's, beside jax-wasm on 0 workers.
    const figure = (re: RegExp) => text.match(re)?.[1] ?? 'missing';
    nearPrinted(figure(/ours-webgpu ([\d.]+) µs a step/), med('a', 'ours-webgpu') * 1e3, 'a ours-webgpu');
    nearPrinted(figure(/jax-js wasm ([\d.]+) µs on its main thread/), med('a', 'jax-wasm', 0) * 1e3, 'a jax-wasm 0');
    nearPrinted(figure(/and ([\d.]+) ms on 1 worker, jax-js webgpu/), med('a', 'jax-wasm', 1), 'a jax-wasm 1');
    nearPrinted(figure(/jax-js webgpu ([\d.]+) ms:/), med('a', 'jax-webgpu'), 'a jax-webgpu');
    nearPrinted(figure(/\*\*([\d ]+)×\*\* against its main thread/), med('a', 'jax-wasm', 0) / med('a', 'ours-webgpu'), 'a ratio 0');
    nearPrinted(figure(/([\d ]+)× against jax-js webgpu/), med('a', 'jax-webgpu') / med('a', 'ours-webgpu'), 'a ratio webgpu');
    nearPrinted(figure(/([\d ]+)× against 1 worker/), med('a', 'jax-wasm', 1) / med('a', 'ours-webgpu'), 'a ratio 1');
    nearPrinted(figure(/main thread took ([\d.]+) ms a step/), med('b-mse', 'jax-wasm', 0), 'b-mse jax-wasm 0');
    nearPrinted(figure(/and ([\d.]+) ms on 1 worker, ours-wasm/), med('b-mse', 'jax-wasm', 1), 'b-mse jax-wasm 1');
    nearPrinted(figure(/\*\*([\d.]+)×\*\* \(target 1.25×/), med('b-mse', 'jax-wasm', 0) / run.rows.find((r) => r.config === 'b-mse' && r.system === 'ours-wasm')!.msPerStep!.median, 'b-mse ratio');
    nearPrinted(figure(/jax-js webgpu's [\d.]+ ms: ([\d.]+)×/), med('b-mse', 'jax-webgpu') / med('b-mse', 'ours-webgpu'), 'b-mse ratio webgpu');
  });

  it("d-ce against jax-js webgpu: the fair run's rounds", () => {
    const fair = resultsFile('fair-run.json');
    const text = note('NOTE (d-ce against jax-js webgpu)');
    const ours = rowOf(fair, 'd-ce', 'ours-webgpu').times!;
    const jax = rowOf(fair, 'd-ce', 'jax-webgpu').times!;
    const [r1, r2] = text.match(/gives ([\d.]+)× and ([\d.]+)×/)!.slice(1);
    nearPrinted(r1!, jax[0]! / ours[0]!, 'round 1');
    nearPrinted(r2!, jax[1]! / ours[1]!, 'round 2');
  });

  it('config e after the fix: seconds to the goal and the ratios (jax-wait38-e.json)', () => {
    const run = resultsFile('jax-wait38-e.json');
    const text = note('NOTE (config e after the jax-js fix');
    const toGoal = (config: string, system: string, threads: number | undefined, k = 0) => {
      const r = run.rows.filter((x) => x.config === config && x.system === system && (threads === undefined || x.threads === threads))[k]!;
      return r.epochs!.find((e) => e.testAccuracy >= run.goals![config]! - 1e-9)!.at;
    };
    const [sgd0, sgd1, adam0, adam1] = text.match(/ours-wasm \(1 thread\) ([\d.]+) and ([\d.]+) s SGD \(one row a page load\), ([\d.]+) and ([\d.]+) s/)!.slice(1);
    nearPrinted(sgd0!, toGoal('e-sgd', 'ours-wasm', 1, 0), 'e-sgd ours-wasm, load 1');
    nearPrinted(sgd1!, toGoal('e-sgd', 'ours-wasm', 1, 1), 'e-sgd ours-wasm, load 2');
    nearPrinted(adam0!, toGoal('e-adam', 'ours-wasm', 1, 0), 'e-adam ours-wasm, load 1');
    nearPrinted(adam1!, toGoal('e-adam', 'ours-wasm', 1, 1), 'e-adam ours-wasm, load 2');
    const [j0s, j0a, j1s, j1a] = text.match(/main thread ([\d.]+) \/ ([\d.]+) s, on 1 worker ([\d.]+) \/ ([\d.]+) s/)!.slice(1);
    nearPrinted(j0s!, toGoal('e-sgd', 'jax-wasm', 0), 'e-sgd jax-wasm 0');
    nearPrinted(j0a!, toGoal('e-adam', 'jax-wasm', 0), 'e-adam jax-wasm 0');
    nearPrinted(j1s!, toGoal('e-sgd', 'jax-wasm', 1), 'e-sgd jax-wasm 1');
    nearPrinted(j1a!, toGoal('e-adam', 'jax-wasm', 1), 'e-adam jax-wasm 1');
    // Our fastest (of the two ours-wasm rows) against each jax-wasm row.
    const ours = (c: string) => Math.min(toGoal(c, 'ours-wasm', 1, 0), toGoal(c, 'ours-wasm', 1, 1));
    const [rs0, ra0] = text.match(/\*\*([\d.]+)×\*\* \(SGD\) and \*\*([\d.]+)×\*\* \(Adam\)/)!.slice(1);
    nearPrinted(rs0!, toGoal('e-sgd', 'jax-wasm', 0) / ours('e-sgd'), 'e-sgd ratio 0');
    nearPrinted(ra0!, toGoal('e-adam', 'jax-wasm', 0) / ours('e-adam'), 'e-adam ratio 0');
    const [rs1, ra1] = text.match(/on 1 worker, ([\d.]+)× and ([\d.]+)×/)!.slice(1);
    nearPrinted(rs1!, toGoal('e-sgd', 'jax-wasm', 1) / ours('e-sgd'), 'e-sgd ratio 1');
    nearPrinted(ra1!, toGoal('e-adam', 'jax-wasm', 1) / ours('e-adam'), 'e-adam ratio 1');
  });

  it("d-ce against jax-js webgpu across the seven full runs, in their order (full-run-*.json by name, the rerun, the fair run)", () => {
    const files = [...readdirSync(join(import.meta.dirname, '..', 'bench', 'results')).filter((f) => /^full-run-.*\.json$/.test(f)).sort(), 'rerun.json', 'fair-run.json'];
    const m = /d-ce was ([\d., and]+)× \(12:05/.exec(note('NOTE (d-ce against jax-js webgpu)'))!;
    const printed = m[1]!.split(/, | and /);
    expect(printed).toHaveLength(7);
    files.forEach((f, i) => {
      const r = resultsFile(f);
      nearPrinted(printed[i]!, rowOf(r, 'd-ce', 'jax-webgpu').msPerStep!.median / rowOf(r, 'd-ce', 'ours-webgpu').msPerStep!.median, f);
    });
  });
});
