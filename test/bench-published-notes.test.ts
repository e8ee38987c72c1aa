/**
 * The NOTEs under README's published benchmark run (the seven earlier full runs' ranges, epoch 1, the warm epochs, why
 * the jax-js figures changed, ours-wasm on 2 threads against jax-js's fastest mode, b against TF.js webgl) against the
 * committed results files in bench/results/: the runs' record, not the code that wrote them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../bench/report.ts';
import { cut } from './lib/readme-text.ts';
import { README_TEXT, RESULTS_TEXT, nearPrinted, once, resultsFile, rowOf } from './lib/published.ts';

const figure = (text: string, re: RegExp) => text.match(re)?.[1] ?? 'missing';

describe("README's NOTEs under the published run: the seven runs' ranges and the warm epochs", () => {
  const between = (from: string, to: string) => cut(README_TEXT, from, to);
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

  it("the page's untimed wait after calibration (How it measures): ours-webgpu's 1st repetition on a against its others' median, in fair-run-46 (without it) and fair-run-52 (with it)", () => {
    const text = cut(README_TEXT, 'an untimed wait of', 'Not mended:').replace(/\s+/g, ' ');
    const first = (name: string) => {
      const times = rowOf(resultsFile(name), 'a', 'ours-webgpu').times!;
      const others = times.slice(1).sort((x, y) => x - y);
      expect(others, name).toHaveLength(2);
      return times[0]! / ((others[0]! + others[1]!) / 2);
    };
    nearPrinted(figure(text, /on config a ([\d.]+)× the median of its others in `fair-run-46\.json`/), first('fair-run-46.json'), 'fair-run-46, without the wait');
    nearPrinted(figure(text, /; ([\d.]+)× in `fair-run-52\.json`, the first published run with it/), first('fair-run-52.json'), 'fair-run-52, with the wait');
  });

  it("ours-webgpu's epoch 1 of e-sgd in the loaded e-run and in the published run: from e-run.json and fair-run-57.json", () => {
    const m = /ours-webgpu's epoch 1 of e-sgd took ([\d.]+) s in\s+the loaded `e-run`[^]*?and ([\d.]+) s in the published run/.exec(between('NOTE (epoch 1)', 'The like-for-like'));
    expect(m, 'the epoch-1 sentence').not.toBeNull();
    nearPrinted(m![1]!, rowOf(resultsFile('e-run.json'), 'e-sgd', 'ours-webgpu').epochs![0]!.at, 'e-run');
    nearPrinted(m![2]!, rowOf(resultsFile('fair-run-57.json'), 'e-sgd', 'ours-webgpu').epochs![0]!.at, 'published run');
  });

  it("config e's warm epochs (the mean of epochs 2–5) and their ratios: from fair-run-57.json, and fair-run-52's, fair-run-46's, fair-run-45b's, fair-run-45's, fair-run-44's and fair-run-38's 1-thread ratios", () => {
    const text = between('e-sgd: ours-wasm', '**Why ours-webgpu is not 2×').replace(/\s+/g, ' ');
    expect(between('The like-for-like', 'e-sgd: ours-wasm')).toContain("json.load(open('bench/results/fair-run-57.json'))");
    const fair = resultsFile('fair-run-57.json');
    const warm = (config: string, system: string, threads?: number, k = 0) => {
      const e = fair.rows.filter((x) => x.config === config && x.system === system && (threads === undefined || x.threads === threads))[k]!.epochs!;
      return (e.at(-1)!.at - e[0]!.at) / (e.length - 1);
    };
    const near = nearPrinted;
    const sgd = /e-sgd: ours-wasm ([\d.]+) s \(1 thread, page load 1\) against jax-js wasm ([\d.]+) s on its main thread, ([\d.]+)×; ([\d.]+) s \(page load 2\) against ([\d.]+) s on 1 worker, ([\d.]+)×; ([\d.]+) s \(2 threads\) against ([\d.]+) s on 2 workers, ([\d.]+)×; ours-webgpu ([\d.]+) s against TF\.js webgl ([\d.]+) s \(([\d.]+)×\) and jax-js webgpu ([\d.]+) s \(([\d.]+)×\)/.exec(text);
    const adam = /e-adam: ours-wasm ([\d.]+) s against ([\d.]+) s, ([\d.]+)×; ([\d.]+) s against ([\d.]+) s, ([\d.]+)×; ([\d.]+) s against ([\d.]+) s, ([\d.]+)×; ours-webgpu ([\d.]+) s against ([\d.]+) s \(([\d.]+)×\) and ([\d.]+) s \(([\d.]+)×\)/.exec(text);
    for (const [config, m] of [['e-sgd', sgd], ['e-adam', adam]] as const) {
      expect(m, config).not.toBeNull();
      const [w1, j0, r0, w1b, j1, r1, w2, j2, r2, gpu, webgl, rWebgl, jaxGpu, rJaxGpu] = m!.slice(1);
      const pairs: [string | undefined, string | undefined, string | undefined, number, number, number][] = [[w1, j0, r0, 0, 1, 0], [w1b, j1, r1, 1, 1, 1], [w2, j2, r2, 0, 2, 2]];
      for (const [ours, jax, ratio, k, threads, workers] of pairs) {
        near(ours!, warm(config, 'ours-wasm', threads, k), `${config} ours-wasm ${threads} (row ${k + 1})`);
        near(jax!, warm(config, 'jax-wasm', workers), `${config} jax-wasm ${workers}`);
        near(ratio!, warm(config, 'jax-wasm', workers) / warm(config, 'ours-wasm', threads, k), `${config} ratio vs ${workers} workers`);
      }
      near(gpu!, warm(config, 'ours-webgpu'), `${config} ours-webgpu`);
      near(webgl!, warm(config, 'tfjs-webgl'), `${config} tfjs-webgl`);
      near(rWebgl!, warm(config, 'tfjs-webgl') / warm(config, 'ours-webgpu'), `${config} webgl ratio`);
      near(jaxGpu!, warm(config, 'jax-webgpu'), `${config} jax-webgpu`);
      near(rJaxGpu!, warm(config, 'jax-webgpu') / warm(config, 'ours-webgpu'), `${config} jax-webgpu ratio`);
    }
    // The summary: ours-wasm on 1 thread (page load 1) against jax-js wasm on its main thread, here, in fair-run-52, fair-run-46, fair-run-45b, fair-run-45, fair-run-44 and fair-run-38.
    const [sgdNow, adamNow, sgd52, adam52, sgd46, adam46, sgd45b, adam45b, sgd45, adam45, sgdPrev, adamPrev, sgdThen, adamThen] = /with SGD \(([\d.]+)×\) and with Adam \(([\d.]+)×\); in fair-run-52, ([\d.]+)× and ([\d.]+)×; in fair-run-46, ([\d.]+)× and ([\d.]+)×; in fair-run-45b, ([\d.]+)× and ([\d.]+)×; in fair-run-45, ([\d.]+)× and ([\d.]+)×; in fair-run-44, ([\d.]+)× and ([\d.]+)×; in fair-run-38, [^]*?it was ([\d.]+)× and ([\d.]+)×/.exec(text)!.slice(1);
    const p52 = resultsFile('fair-run-52.json');
    const p46 = resultsFile('fair-run-46.json');
    const p45b = resultsFile('fair-run-45b.json');
    const old = resultsFile('fair-run-38.json');
    const prev = resultsFile('fair-run-44.json');
    const p45 = resultsFile('fair-run-45.json');
    const warmIn = (r: BenchResult, config: string, system: string, threads: number) => {
      const e = r.rows.find((x) => x.config === config && x.system === system && x.threads === threads)!.epochs!;
      return (e.at(-1)!.at - e[0]!.at) / (e.length - 1);
    };
    for (const [config, now, was52, was46, was45b, was, before, then] of [['e-sgd', sgdNow, sgd52, sgd46, sgd45b, sgd45, sgdPrev, sgdThen], ['e-adam', adamNow, adam52, adam46, adam45b, adam45, adamPrev, adamThen]] as const) {
      near(now!, warmIn(fair, config, 'jax-wasm', 0) / warmIn(fair, config, 'ours-wasm', 1), `${config} summary, fair-run-57`);
      near(was52!, warmIn(p52, config, 'jax-wasm', 0) / warmIn(p52, config, 'ours-wasm', 1), `${config} summary, fair-run-52`);
      near(was46!, warmIn(p46, config, 'jax-wasm', 0) / warmIn(p46, config, 'ours-wasm', 1), `${config} summary, fair-run-46`);
      near(was45b!, warmIn(p45b, config, 'jax-wasm', 0) / warmIn(p45b, config, 'ours-wasm', 1), `${config} summary, fair-run-45b`);
      near(was!, warmIn(p45, config, 'jax-wasm', 0) / warmIn(p45, config, 'ours-wasm', 1), `${config} summary, fair-run-45`);
      near(before!, warmIn(prev, config, 'jax-wasm', 0) / warmIn(prev, config, 'ours-wasm', 1), `${config} summary, fair-run-44`);
      near(then!, warmIn(old, config, 'jax-wasm', 0) / warmIn(old, config, 'ours-wasm', 1), `${config} summary, fair-run-38`);
    }
  });
});

describe("README's NOTEs under the published run: before and after jax-js's waits, 2-thread rows, b and d-ce", () => {
  const note = (start: string) => cut(README_TEXT, start, '\n\n').replace(/\s+/g, ' ');
  const old = once(() => resultsFile('fair-run.json'));
  const now = once(() => resultsFile('fair-run-38.json')); // the first run after jax-js's waits: the NOTEs' arguments about it
  const pub = once(() => resultsFile('fair-run-57.json')); // the published run
  const p52 = once(() => resultsFile('fair-run-52.json')); // the previous published run (another machine)
  const p46 = once(() => resultsFile('fair-run-46.json')); // the one before it
  const p45b = once(() => resultsFile('fair-run-45b.json')); // the one before it
  const p45 = once(() => resultsFile('fair-run-45.json')); // and the ones before that
  const prev = once(() => resultsFile('fair-run-44.json'));
  const med = (r: BenchResult, c: string, s: string, t?: number) => r.rows.find((x) => x.config === c && x.system === s && (t === undefined || x.threads === t))!.msPerStep!.median;
  const tta = (r: BenchResult, c: string, s: string, t?: number) => Math.min(...r.rows.filter((x) => x.config === c && x.system === s && (t === undefined || x.threads === t)).map((x) => x.timeToAccuracy!));

  it('why the jax-js figures changed (bench/RESULTS.md): the 2026-12-03 fair run (fair-run.json) against the first run after the fix (fair-run-38.json)', () => {
    const text = cut(RESULTS_TEXT, 'NOTE (why the jax-js figures changed since the 2026-12-03 fair run)', '\n\n').replace(/\s+/g, ' ');
    nearPrinted(figure(text, /a ([\d ]+)× against jax-js wasm on 1 worker/), med(old(), 'a', 'jax-wasm', 1) / med(old(), 'a', 'ours-webgpu'), 'a vs 1 worker, then');
    nearPrinted(figure(text, /on 1 worker \(([\d.]+) ms a step then/), med(old(), 'a', 'jax-wasm', 1), 'a jax-wasm 1, then');
    nearPrinted(figure(text, /a step then, ([\d.]+) ms in fair-run-38,/), med(now(), 'a', 'jax-wasm', 1), 'a jax-wasm 1, now');
    nearPrinted(figure(text, /([\d ]+)× against jax-js webgpu \(/), med(old(), 'a', 'jax-webgpu') / med(old(), 'a', 'ours-webgpu'), 'a vs jax-webgpu, then');
    nearPrinted(figure(text, /against jax-js webgpu \(([\d ]+)× in fair-run-38\)/), med(now(), 'a', 'jax-webgpu') / med(now(), 'a', 'ours-webgpu'), 'a vs jax-webgpu, now');
    const [sgd, adam] = text.match(/e-sgd ([\d.]+)× and e-adam ([\d.]+)× against jax-js wasm on 1 worker/)!.slice(1);
    nearPrinted(sgd!, tta(old(), 'e-sgd', 'jax-wasm', 1) / tta(old(), 'e-sgd', 'ours-wasm', 1), 'e-sgd ratio, then');
    nearPrinted(adam!, tta(old(), 'e-adam', 'jax-wasm', 1) / tta(old(), 'e-adam', 'ours-wasm', 1), 'e-adam ratio, then');
    const [s0, a0, s1, a1] = text.match(/\(([\d.]+) and ([\d.]+) s to the goal then, ([\d.]+) and ([\d.]+) s in fair-run-38\)/)!.slice(1);
    nearPrinted(s0!, tta(old(), 'e-sgd', 'jax-wasm', 1), 'e-sgd jax-wasm 1, then');
    nearPrinted(a0!, tta(old(), 'e-adam', 'jax-wasm', 1), 'e-adam jax-wasm 1, then');
    nearPrinted(s1!, tta(now(), 'e-sgd', 'jax-wasm', 1), 'e-sgd jax-wasm 1, now');
    nearPrinted(a1!, tta(now(), 'e-adam', 'jax-wasm', 1), 'e-adam jax-wasm 1, now');
    const [dThen, dNow] = text.match(/d-ce against jax-js webgpu ([\d.]+)× then, ([\d.]+)× in fair-run-38/)!.slice(1);
    nearPrinted(dThen!, med(old(), 'd-ce', 'jax-webgpu') / med(old(), 'd-ce', 'ours-webgpu'), 'd-ce, then');
    nearPrinted(dNow!, med(now(), 'd-ce', 'jax-webgpu') / med(now(), 'd-ce', 'ours-webgpu'), 'd-ce, now');
  });

  it("ours-wasm on 2 threads against jax-js's fastest row of any count (the published run, fair-run-57.json; fair-run-52's c-ce)", () => {
    const text = note("NOTE (ours-wasm on 2 threads against jax-js's fastest mode)");
    const fastest = (c: string) => Math.min(...[0, 1, 2].map((w) => med(pub(), c, 'jax-wasm', w)));
    const printed = [...text.matchAll(/([\d.]+)× \(([bcd]-\w+)\)/g)].map((m) => [m[2]!, m[1]!] as const);
    expect(printed.map(([c]) => c)).toEqual(['b-mse', 'b-ce', 'c-mse', 'c-ce', 'd-mse', 'd-ce']);
    for (const [c, ratio] of printed) nearPrinted(ratio, fastest(c) / med(pub(), c, 'ours-wasm', 2), `${c} vs jax-js's fastest`);
    for (const [name, config] of [['SGD', 'e-sgd'], ['Adam', 'e-adam']]) {
      const [ratio, ours, jax] = text.match(new RegExp(`([\\d.]+)× \\(${name}: ([\\d.]+) against ([\\d.]+) s\\)`))!.slice(1);
      const best = Math.min(...[0, 1, 2].map((w) => tta(pub(), config!, 'jax-wasm', w)));
      nearPrinted(ours!, tta(pub(), config!, 'ours-wasm', 2), `${config} ours-wasm 2`);
      nearPrinted(jax!, best, `${config} jax-js's fastest`);
      nearPrinted(ratio!, best / tta(pub(), config!, 'ours-wasm', 2), `${config} ratio`);
    }
    // "ours-wasm on 2 threads was our fastest on both in this run"
    expect(text).toContain('ours-wasm on 2 threads was our fastest on both in this run');
    for (const config of ['e-sgd', 'e-adam']) expect(tta(pub(), config, 'ours-wasm', 2), config).toBe(Math.min(...pub().rows.filter((x) => x.config === config && x.system.startsWith('ours-')).map((x) => x.timeToAccuracy!)));
    // Which mode was faster, as README says: the main thread on b, 2 workers on c and d; in fair-run-52 c-ce within 1 %.
    expect(['b-mse', 'b-ce', 'c-mse', 'c-ce', 'd-mse', 'd-ce'].map((c) => med(pub(), c, 'jax-wasm', 0) < med(pub(), c, 'jax-wasm', 2))).toEqual([true, true, false, false, false, false]);
    expect(Math.abs(med(p52(), 'c-ce', 'jax-wasm', 0) / med(p52(), 'c-ce', 'jax-wasm', 2) - 1), 'fair-run-52 c-ce: about as fast').toBeLessThan(0.01);
    expect(text).toContain('faster than on 2 workers on b in the published run');
    expect(README_TEXT).toContain('(against jax-js on 2 workers, slower than on its main thread on b: the NOTE below)');
    nearPrinted(figure(text, /on c-ce too, ([\d.]+) against [\d.]+ ms/), med(pub(), 'c-ce', 'jax-wasm', 0), 'c-ce jax-wasm 0');
    nearPrinted(figure(text, /on c-ce too, [\d.]+ against ([\d.]+) ms/), med(pub(), 'c-ce', 'jax-wasm', 2), 'c-ce jax-wasm 2');
    nearPrinted(figure(text, /in fair-run-52 it was about as fast, ([\d.]+) against [\d.]+ ms/), med(p52(), 'c-ce', 'jax-wasm', 0), 'c-ce jax-wasm 0, fair-run-52');
    nearPrinted(figure(text, /in fair-run-52 it was about as fast, [\d.]+ against ([\d.]+) ms/), med(p52(), 'c-ce', 'jax-wasm', 2), 'c-ce jax-wasm 2, fair-run-52');
    nearPrinted(figure(text, /\(([\d.]+) against [\d.]+ ms a step on b-mse/), med(pub(), 'b-mse', 'jax-wasm', 0), 'b-mse jax-wasm 0');
    nearPrinted(figure(text, /against ([\d.]+) ms a step on b-mse/), med(pub(), 'b-mse', 'jax-wasm', 2), 'b-mse jax-wasm 2');
    nearPrinted(figure(text, /, ([\d.]+) against [\d.]+ ms on b-ce\)/), med(pub(), 'b-ce', 'jax-wasm', 0), 'b-ce jax-wasm 0');
    nearPrinted(figure(text, /, [\d.]+ against ([\d.]+) ms on b-ce\)/), med(pub(), 'b-ce', 'jax-wasm', 2), 'b-ce jax-wasm 2');
    nearPrinted(figure(text, /slower on c-mse \(([\d.]+) against [\d.]+ ms;/), med(pub(), 'c-mse', 'jax-wasm', 0), 'c-mse jax-wasm 0');
    nearPrinted(figure(text, /slower on c-mse \([\d.]+ against ([\d.]+) ms;/), med(pub(), 'c-mse', 'jax-wasm', 2), 'c-mse jax-wasm 2');
    nearPrinted(figure(text, /\(([\d.]+) against [\d.]+ ms on d-mse/), med(pub(), 'd-mse', 'jax-wasm', 0), 'd-mse jax-wasm 0');
    nearPrinted(figure(text, /against ([\d.]+) ms on d-mse/), med(pub(), 'd-mse', 'jax-wasm', 2), 'd-mse jax-wasm 2');
  });

  it("b against TF.js webgl: fair-run-38's spread and rounds, and fair-run-44's, fair-run-45's, fair-run-45b's, fair-run-46's, fair-run-52's and the published run's medians (fair-run-57.json)", () => {
    const text = note('NOTE (b against TF.js webgl, and d-ce against jax-js webgpu)');
    const row = (c: string, s: string) => now().rows.find((x) => x.config === c && x.system === s)!;
    for (const c of ['b-ce', 'b-mse']) {
      const [lo, hi] = text.match(new RegExp(`${c} (?:anywhere )?from ([\\d.]+)× to ([\\d.]+)×`))!.slice(1);
      nearPrinted(lo!, row(c, 'tfjs-webgl').msPerStep!.min / row(c, 'ours-webgpu').msPerStep!.max, `${c} low`);
      nearPrinted(hi!, row(c, 'tfjs-webgl').msPerStep!.max / row(c, 'ours-webgpu').msPerStep!.min, `${c} high`);
    }
    nearPrinted(figure(text, /^NOTE \(b against TF\.js webgl, and d-ce against jax-js webgpu\): in fair-run-38, ([\d.]+)× on b-ce/), med(now(), 'b-ce', 'tfjs-webgl') / med(now(), 'b-ce', 'ours-webgpu'), 'b-ce median');
    const rounds = text.match(/round-robin: ([\d.]+)×, ([\d.]+)×, ([\d.]+)× on b-ce/)!.slice(1);
    const ours = row('b-ce', 'ours-webgpu').times!;
    const webgl = row('b-ce', 'tfjs-webgl').times!;
    rounds.forEach((r, i) => nearPrinted(r, webgl[i]! / ours[i]!, `b-ce round ${i + 1}`));
    nearPrinted(figure(text, /at 2× in two of them, ([\d.]+)× in fair-run-38/), med(now(), 'd-ce', 'jax-webgpu') / med(now(), 'd-ce', 'ours-webgpu'), 'd-ce, fair-run-38');
    nearPrinted(figure(text, /× in fair-run-38, ([\d.]+)× in fair-run-44/), med(prev(), 'd-ce', 'jax-webgpu') / med(prev(), 'd-ce', 'ours-webgpu'), 'd-ce, fair-run-44');
    nearPrinted(figure(text, /× in fair-run-44, ([\d.]+)× in fair-run-45, /), med(p45(), 'd-ce', 'jax-webgpu') / med(p45(), 'd-ce', 'ours-webgpu'), 'd-ce, fair-run-45');
    nearPrinted(figure(text, /× in fair-run-45, ([\d.]+)× in fair-run-45b/), med(p45b(), 'd-ce', 'jax-webgpu') / med(p45b(), 'd-ce', 'ours-webgpu'), 'd-ce, fair-run-45b');
    nearPrinted(figure(text, /× in fair-run-45b, ([\d.]+)× in fair-run-46/), med(p46(), 'd-ce', 'jax-webgpu') / med(p46(), 'd-ce', 'ours-webgpu'), 'd-ce, fair-run-46');
    nearPrinted(figure(text, /× in fair-run-46, ([\d.]+)× in fair-run-52/), med(p52(), 'd-ce', 'jax-webgpu') / med(p52(), 'd-ce', 'ours-webgpu'), 'd-ce, fair-run-52');
    nearPrinted(figure(text, /× in fair-run-52 and ([\d.]+)× in fair-run-57/), med(pub(), 'd-ce', 'jax-webgpu') / med(pub(), 'd-ce', 'ours-webgpu'), 'd-ce, fair-run-57');
    nearPrinted(figure(text, /fair-run-57 \(the Intel Xeon machine; d-mse ([\d.]+)×\)/), med(pub(), 'd-mse', 'jax-webgpu') / med(pub(), 'd-mse', 'ours-webgpu'), 'd-mse, fair-run-57');
    const [bMse, bCe, bMse45, bCe45, bMse45b, bCe45b, bMse46, bCe46, bMse52, bCe52, bMse57, bCe57] = text.match(/in fair-run-44, b-mse ([\d.]+)× and b-ce ([\d.]+)×; in fair-run-45, ([\d.]+)× and ([\d.]+)×; in fair-run-45b, ([\d.]+)× and ([\d.]+)×; in fair-run-46, ([\d.]+)× and ([\d.]+)×; in fair-run-52, ([\d.]+)× and ([\d.]+)×; in fair-run-57, on the Intel Xeon machine, ([\d.]+)× and ([\d.]+)×/)!.slice(1);
    nearPrinted(bMse!, med(prev(), 'b-mse', 'tfjs-webgl') / med(prev(), 'b-mse', 'ours-webgpu'), 'b-mse, fair-run-44');
    nearPrinted(bCe!, med(prev(), 'b-ce', 'tfjs-webgl') / med(prev(), 'b-ce', 'ours-webgpu'), 'b-ce, fair-run-44');
    nearPrinted(bMse45!, med(p45(), 'b-mse', 'tfjs-webgl') / med(p45(), 'b-mse', 'ours-webgpu'), 'b-mse, fair-run-45');
    nearPrinted(bCe45!, med(p45(), 'b-ce', 'tfjs-webgl') / med(p45(), 'b-ce', 'ours-webgpu'), 'b-ce, fair-run-45');
    nearPrinted(bMse45b!, med(p45b(), 'b-mse', 'tfjs-webgl') / med(p45b(), 'b-mse', 'ours-webgpu'), 'b-mse, fair-run-45b');
    nearPrinted(bCe45b!, med(p45b(), 'b-ce', 'tfjs-webgl') / med(p45b(), 'b-ce', 'ours-webgpu'), 'b-ce, fair-run-45b');
    nearPrinted(bMse46!, med(p46(), 'b-mse', 'tfjs-webgl') / med(p46(), 'b-mse', 'ours-webgpu'), 'b-mse, fair-run-46');
    nearPrinted(bCe46!, med(p46(), 'b-ce', 'tfjs-webgl') / med(p46(), 'b-ce', 'ours-webgpu'), 'b-ce, fair-run-46');
    nearPrinted(bMse52!, med(p52(), 'b-mse', 'tfjs-webgl') / med(p52(), 'b-mse', 'ours-webgpu'), 'b-mse, fair-run-52');
    nearPrinted(bCe52!, med(p52(), 'b-ce', 'tfjs-webgl') / med(p52(), 'b-ce', 'ours-webgpu'), 'b-ce, fair-run-52');
    nearPrinted(bMse57!, med(pub(), 'b-mse', 'tfjs-webgl') / med(pub(), 'b-mse', 'ours-webgpu'), 'b-mse, fair-run-57');
    nearPrinted(bCe57!, med(pub(), 'b-ce', 'tfjs-webgl') / med(pub(), 'b-ce', 'ours-webgpu'), 'b-ce, fair-run-57');
  });

  it("this machine's speed: ours-cpu's d-mse step in fair-run-38, fair-run-44, fair-run-45, fair-run-45b, fair-run-46, fair-run-52 and fair-run-57 (s), the machine's change at fair-run-57; fair-run-52 against fair-run-46 (bench/RESULTS.md)", () => {
    const text = note("NOTE: this machine's speed moves between runs");
    // The machine changed at the published run: os.cpus() as each run recorded it, and ours-cpu's d-mse step there.
    expect([pub().env.cpu, p52().env.cpu]).toEqual([{ model: 'Intel(R) Xeon(R) Processor', cores: 2 }, { model: 'AMD EPYC', cores: 2 }]);
    expect(text).toContain('The machine itself changed at the published run, `fair-run-57`: `os.cpus()` reads "Intel(R) Xeon(R) Processor", 2 logical cores');
    expect(text).toContain('where `fair-run-52` and every run before it read "AMD EPYC"');
    nearPrinted(figure(text, /2 logical cores \(ours-cpu ([\d.]+) s a step on d-mse\)/), med(pub(), 'd-mse', 'ours-cpu') / 1000, 'fair-run-57');
    const moved = cut(RESULTS_TEXT, 'The previous published run (`fair-run-52`', '\n\n').replace(/\s+/g, ' ');
    const [s38, s44, s45, s45b, s46, s52] = text.match(/([\d.]+) s in fair-run-38, ([\d.]+) s in fair-run-44, ([\d.]+) s in fair-run-45, ([\d.]+) s in fair-run-45b, ([\d.]+) s in fair-run-46 and ([\d.]+) s in fair-run-52/)!.slice(1);
    nearPrinted(s38!, med(now(), 'd-mse', 'ours-cpu') / 1000, 'fair-run-38');
    nearPrinted(s44!, med(prev(), 'd-mse', 'ours-cpu') / 1000, 'fair-run-44');
    nearPrinted(s45!, med(p45(), 'd-mse', 'ours-cpu') / 1000, 'fair-run-45');
    nearPrinted(s45b!, med(p45b(), 'd-mse', 'ours-cpu') / 1000, 'fair-run-45b');
    nearPrinted(s46!, med(p46(), 'd-mse', 'ours-cpu') / 1000, 'fair-run-46');
    nearPrinted(s52!, med(p52(), 'd-mse', 'ours-cpu') / 1000, 'fair-run-52');
    // fair-run-52 on a slower machine than fair-run-46 (the same model): ours-cpu and jax-js wasm on its main thread, in RESULTS.md's paragraph on fair-run-52.
    expect(moved).toContain('`fair-run-52` itself ran on a slower machine than `fair-run-46` (the same AMD EPYC model)');
    expect(p46().env.cpu, 'fair-run-46').toEqual(p52().env.cpu);
    const [cpuB, cpuB46, cpuC, cpuC46, jaxC, jaxC46] = /ours-cpu took ([\d.]+) against ([\d.]+) ms a step on b-mse and ([\d.]+) against ([\d.]+) ms on c-mse, jax-js wasm on its main thread ([\d.]+) against ([\d.]+) ms on c-mse/.exec(moved)!.slice(1);
    [[cpuB, 'b-mse', 'ours-cpu'], [cpuC, 'c-mse', 'ours-cpu'], [jaxC, 'c-mse', 'jax-wasm']].forEach(([x, c, s]) => nearPrinted(x!, med(p52(), c!, s!, s === 'jax-wasm' ? 0 : undefined), `${c} ${s}, fair-run-52`));
    [[cpuB46, 'b-mse', 'ours-cpu'], [cpuC46, 'c-mse', 'ours-cpu'], [jaxC46, 'c-mse', 'jax-wasm']].forEach(([x, c, s]) => nearPrinted(x!, med(p46(), c!, s!, s === 'jax-wasm' ? 0 : undefined), `${c} ${s}, fair-run-46`));
    // Every b–d row's median against the same row of fair-run-46 (ours-wasm on 1 thread: each page load's own).
    const slower = (keep: (x: BenchResult['rows'][number]) => boolean, configs: string[]) => p52().rows.filter((x) => configs.includes(x.config) && keep(x)).map((x) => {
      const same = (r: BenchResult) => r.rows.filter((y) => y.config === x.config && y.system === x.system && y.threads === x.threads);
      return x.msPerStep!.median / same(p46())[same(p52()).indexOf(x)]!.msPerStep!.median;
    });
    const onWorkers = (x: BenchResult['rows'][number]) => x.system === 'jax-wasm' && (x.threads ?? 0) > 0;
    const bd = ['b-mse', 'b-ce', 'c-mse', 'c-ce', 'd-mse', 'd-ce'];
    const [lo, hi, wLo, wHi, cdLo, cdHi] = /every b–d row took ([\d.]+)–([\d.]+)× its time in `fair-run-46` but jax-js wasm's on workers, ([\d.]+)–([\d.]+)× \(([\d.]+)–([\d.]+)× on c and d\)/.exec(moved)!.slice(1);
    for (const [a, b, xs, what] of [[lo, hi, slower((x) => !onWorkers(x), bd), 'the others'], [wLo, wHi, slower(onWorkers, bd), 'on workers'], [cdLo, cdHi, slower(onWorkers, bd.slice(2)), 'on workers, c and d']] as const) {
      expect(xs.length, what).toBeGreaterThan(0);
      nearPrinted(a, Math.min(...xs), `${what}: low`);
      nearPrinted(b, Math.max(...xs), `${what}: high`);
    }
    // "so the 2-thread target's ratios ... fell (2.05–11.23× in `fair-run-46`, 1.64–9.14× in `fair-run-52`)".
    const [t46Lo, t46Hi, t52Lo, t52Hi] = /fell \(([\d.]+)–([\d.]+)× in `fair-run-46`, ([\d.]+)–([\d.]+)× in `fair-run-52`\)/.exec(moved)!.slice(1);
    for (const [a, b, r, name] of [[t46Lo, t46Hi, p46(), 'fair-run-46'], [t52Lo, t52Hi, p52(), 'fair-run-52']] as const) {
      const two = bd.map((c) => med(r, c, 'jax-wasm', 2) / med(r, c, 'ours-wasm', 2));
      nearPrinted(a, Math.min(...two), `2 threads, ${name}: low`);
      nearPrinted(b, Math.max(...two), `2 threads, ${name}: high`);
    }
  });

  it("d-ce against jax-js webgpu across the seven full runs, in their order (full-run-*.json by name, the rerun, the fair run)", () => {
    const files = [...readdirSync(join(import.meta.dirname, '..', 'bench', 'results')).filter((f) => /^full-run-.*\.json$/.test(f)).sort(), 'rerun.json', 'fair-run.json'];
    const m = /d-ce against jax-js webgpu was ([\d., and]+)× \(12:05/.exec(note('NOTE (b against TF.js webgl, and d-ce against jax-js webgpu)'))!;
    const printed = m[1]!.split(/, | and /);
    expect(printed).toHaveLength(7);
    files.forEach((f, i) => {
      const r = resultsFile(f);
      nearPrinted(printed[i]!, rowOf(r, 'd-ce', 'jax-webgpu').msPerStep!.median / rowOf(r, 'd-ce', 'ours-webgpu').msPerStep!.median, f);
    });
  });
});
