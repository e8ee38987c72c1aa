/**
 * bench/RESULTS.md's paragraphs on the previous published runs (README's published run is fair-run-57; before it
 * fair-run-52, on another machine, fair-run-46, fair-run-45b, fair-run-45 and fair-run-44): what moved between two runs, each figure against the committed results
 * files in bench/results/ — the runs' record, not the code that wrote them.
 */
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../bench/report.ts';
import { cut } from './lib/readme-text.ts';
import { RESULTS_TEXT, fastestToGoal, nearPrinted, once, resultsFile, rowIn } from './lib/published.ts';

/** A ms/step median of one run (the k-th row of config, system and thread count). */
type Med = (config: string, system: string, threads?: number, k?: number) => number;

/** A previous-run paragraph's config a, there against here: ours-webgpu (µs), jax-js wasm on its main thread (µs), target a's ratio. */
function checkAThereHere(text: string, then: Med, now: Med, thenName: string, nowName: string): void {
  const m = /ours-webgpu took ([\d.]+) against ([\d.]+) µs a step and jax-js wasm on its main thread ([\d.]+) against ([\d.]+) µs, so target a went from ([\d ]+)× to ([\d ]+)×/.exec(text);
  expect(m, 'config a there against here').not.toBeNull();
  [then, now].forEach((med, k) => {
    const name = k ? nowName : thenName;
    nearPrinted(m![1 + k]!, med('a', 'ours-webgpu') * 1e3, `a ours-webgpu, ${name}`);
    nearPrinted(m![3 + k]!, med('a', 'jax-wasm', 0) * 1e3, `a jax-wasm 0, ${name}`);
    nearPrinted(m![5 + k]!, med('a', 'jax-wasm', 0) / med('a', 'ours-webgpu'), `target a, ${name}`);
  });
}

/**
 * A previous-run paragraph's ours-wasm figures, there (`then`, named `thenName`) against here: on 1 thread both page
 * loads on each of `oneThread`'s configs ("5.30 / 4.89 against 4.99 / 4.84 ms a step on c-mse"), on 2 threads on b-mse,
 * c-mse and d-mse.
 */
function checkWasmThereHere(text: string, then: Med, now: Med, thenName: string, nowName: string, oneThread: string[]): void {
  for (const c of oneThread) {
    const m = new RegExp(`([\\d.]+) / ([\\d.]+) against ([\\d.]+) / ([\\d.]+)(?: ms a step)? on ${c}`).exec(text);
    expect(m, c).not.toBeNull();
    [0, 1].forEach((k) => {
      nearPrinted(m![1 + k]!, then(c, 'ours-wasm', 1, k), `${c} ${thenName}, load ${k + 1}`);
      nearPrinted(m![3 + k]!, now(c, 'ours-wasm', 1, k), `${c} ${nowName}, load ${k + 1}`);
    });
  }
  const two = /on 2 threads ([\d.]+) against ([\d.]+) on b-mse, ([\d.]+) against ([\d.]+) on c-mse and ([\d.]+) against ([\d.]+) on d-mse/.exec(text)!.slice(1);
  ['b-mse', 'c-mse', 'd-mse'].forEach((c, i) => {
    nearPrinted(two[2 * i]!, then(c, 'ours-wasm', 2), `${c} 2 threads, ${thenName}`);
    nearPrinted(two[2 * i + 1]!, now(c, 'ours-wasm', 2), `${c} 2 threads, ${nowName}`);
  });
}

const CONFIGS = ['b-mse', 'b-ce', 'c-mse', 'c-ce', 'd-mse', 'd-ce'];
/** The 1-thread target's ratio (ours-wasm on 1 thread, page load k + 1, against jax-js wasm on its main thread), and its lowest in a run. */
const oneThread = (m: Med, c: string, k: number) => m(c, 'jax-wasm', 0) / m(c, 'ours-wasm', 1, k);
const lowest = (m: Med) => CONFIGS.flatMap((c) => [0, 1].map((k) => ({ c, k, r: oneThread(m, c, k) }))).reduce((a, b) => (b.r < a.r ? b : a));

/** A previous-run paragraph's jax-js wasm on c-mse, on its main thread and on 2 workers, there against here; `twoFaster`: whether 2 workers were the faster, there and here. */
function checkJaxThereHere(text: string, then: Med, now: Med, names: [string, string], twoFaster: [boolean, boolean]): void {
  const word = (faster: boolean) => (faster ? 'faster' : 'slower');
  const m = new RegExp(`jax-js wasm on its main thread took ([\\d.]+) against ([\\d.]+) ms on c-mse and on 2 workers ([\\d.]+) against ([\\d.]+) ms \\(${word(twoFaster[0])} than on its main thread there, ${word(twoFaster[1])} here\\)`).exec(text);
  expect(m, 'jax-js wasm on c-mse').not.toBeNull();
  [then, now].forEach((med, k) => {
    nearPrinted(m![1 + k]!, med('c-mse', 'jax-wasm', 0), `c-mse jax-wasm 0, ${names[k]}`);
    nearPrinted(m![3 + k]!, med('c-mse', 'jax-wasm', 2), `c-mse jax-wasm 2, ${names[k]}`);
    expect(med('c-mse', 'jax-wasm', 2) < med('c-mse', 'jax-wasm', 0), names[k]).toBe(twoFaster[k]);
  });
}

/**
 * What a previous-run paragraph says alike of its two runs, `then` (named `names[0]`) against `now`: config a's other
 * GPU peers, ours-webgpu on b against jax-js webgpu (met on b only in both) and TF.js webgl, and config e — our
 * fastest against the fastest peer, ours-wasm on 2 threads our fastest in both, and its seconds to both goals.
 */
function checkGpuAndEThereHere(text: string, then: BenchResult, now: BenchResult, names: [string, string]): void {
  const meds = [then, now].map((r) => (c: string, s: string, t?: number, k = 0) => rowIn(r)(c, s, t, k).msPerStep!.median);
  const [glThen, glNow, jgThen, jgNow] = /so target a went from [\d ]+× to [\d ]+× \(TF\.js webgl took ([\d.]+) against ([\d.]+) ms, jax-js webgpu ([\d.]+) against ([\d.]+) ms\)/.exec(text)!.slice(1);
  const [j1, j2, j3, j4, t1, t2, t3, t4] = /against jax-js webgpu went from ([\d.]+)× and ([\d.]+)× to ([\d.]+)× and ([\d.]+)× on b-mse and b-ce \(met on b only in both runs\), against TF\.js webgl from ([\d.]+)× and ([\d.]+)× to ([\d.]+)× and ([\d.]+)×/.exec(text)!.slice(1);
  const [e1, e2, e3, e4] = /went from ([\d.]+)× and ([\d.]+)× to ([\d.]+)× and ([\d.]+)×/.exec(cut(text, "config e's our fastest"))!.slice(1);
  const [sgdThen, sgdNow, adamThen, adamNow] = /reached the SGD goal in ([\d.]+) s there, ([\d.]+) s here, and the Adam goal in ([\d.]+) s there, ([\d.]+) s here/.exec(text)!.slice(1);
  meds.forEach((med, k) => {
    const [name, run] = [names[k]!, [then, now][k]!];
    nearPrinted([glThen, glNow][k]!, med('a', 'tfjs-webgl'), `a tfjs-webgl, ${name}`);
    nearPrinted([jgThen, jgNow][k]!, med('a', 'jax-webgpu'), `a jax-webgpu, ${name}`);
    const vs = (c: string, peer: string) => med(c, peer) / med(c, 'ours-webgpu');
    nearPrinted([j1, j3][k]!, vs('b-mse', 'jax-webgpu'), `b-mse vs jax-webgpu, ${name}`);
    nearPrinted([j2, j4][k]!, vs('b-ce', 'jax-webgpu'), `b-ce vs jax-webgpu, ${name}`);
    nearPrinted([t1, t3][k]!, vs('b-mse', 'tfjs-webgl'), `b-mse vs tfjs-webgl, ${name}`);
    nearPrinted([t2, t4][k]!, vs('b-ce', 'tfjs-webgl'), `b-ce vs tfjs-webgl, ${name}`);
    expect(CONFIGS.filter((c) => vs(c, 'jax-webgpu') >= 2), name).toEqual(['b-mse', 'b-ce']);
    (['e-sgd', 'e-adam'] as const).forEach((config, i) => {
      const fastest = fastestToGoal(run, config);
      nearPrinted([[e1, e2], [e3, e4]][k]![i]!, fastest.peer / fastest.ours, `${config} ${name}`);
      // ours-wasm on 2 threads, our fastest in both runs.
      const two = rowIn(run)(config, 'ours-wasm', 2).timeToAccuracy!;
      expect(fastest.ours, `${config} ${name}`).toBe(two);
      nearPrinted([[sgdThen, adamThen], [sgdNow, adamNow]][k]![i]!, two, `${config} ours-wasm 2, ${name}`);
    });
  });
}

/**
 * The figures a paragraph on a previous published run (`then`, names[0]) gives against the next (`now`): config a,
 * the GPU peers and config e (checkGpuAndEThereHere), ours-wasm on 1 thread (both page loads, on `oneThreadConfigs`)
 * and on 2 threads, jax-js wasm on c-mse (`twoFaster`: whether its 2 workers were the faster, there and here).
 */
function checkThereHere(text: string, runs: [BenchResult, BenchResult], names: [string, string], oneThreadConfigs: string[], twoFaster: [boolean, boolean]): void {
  const [then, now] = runs.map((r) => (c: string, s: string, t?: number, k = 0) => rowIn(r)(c, s, t, k).msPerStep!.median) as [Med, Med];
  checkAThereHere(text, then, now, names[0], names[1]);
  checkGpuAndEThereHere(text, runs[0], runs[1], names);
  checkWasmThereHere(text, then, now, names[0], names[1], oneThreadConfigs);
  checkJaxThereHere(text, then, now, names, twoFaster);
}

describe("bench/RESULTS.md's previous published runs: fair-run-52 against README's fair-run-57 (ratios only), fair-run-46 against fair-run-52, fair-run-45b against fair-run-46, fair-run-45 against fair-run-45b, fair-run-44", () => {
  const pub = once(() => resultsFile('fair-run-57.json')); // README's published run (another machine)
  const now = once(() => resultsFile('fair-run-52.json')); // the previous published run
  const fair = once(() => resultsFile('fair-run-46.json')); // the one before it
  const prev = once(() => resultsFile('fair-run-45b.json')); // the one before it
  const run45 = once(() => resultsFile('fair-run-45.json')); // and the one before that
  const run44 = once(() => resultsFile('fair-run-44.json')); // and the one before that
  const row: ReturnType<typeof rowIn> = (config, system, threads, k) => rowIn(fair())(config, system, threads, k);
  const near = nearPrinted;
  const med = (c: string, s: string, t?: number, k = 0) => row(c, s, t, k).msPerStep!.median;
  const configs = CONFIGS;
  const when = (r: BenchResult) => `${r.env.build!.built.slice(0, 10)} ${r.env.build!.built.slice(11, 16)} UTC`;

  it('the previous published run, fair-run-52 (bench/RESULTS.md), on another machine than fair-run-57: its run, and the ratios there against here, each from the two runs', () => {
    const text = cut(RESULTS_TEXT, 'The previous published run (`fair-run-52`', '\n\n').replace(/\s+/g, ' ');
    const [there, here] = [now(), pub()];
    expect(there.command).toBe(here.command.replace('--name fair-run-57 --out /tmp/fair57', '--name fair-run-52 --out /tmp/fair52'));
    expect(text).toContain(`(\`fair-run-52\`, ${when(there)},`);
    expect(text).toContain(`the same command at ${there.env.git?.commit} with \`--name fair-run-52 --out /tmp/fair52\``);
    expect(text).toContain(`${Math.round(there.seconds!)} s of measuring, ${there.env.build!.built.slice(11, 16)}–15:37 UTC, load average ${there.env.load!.start[0]} at the start and ${there.env.load!.end![0]} at the end)`);
    expect(text).toContain(`its JSON also kept as \`fair-run-52-${there.date.replace(/:/g, '-').replace('.', '-')}.json\``);
    expect(text).toContain(`README's published run, \`fair-run-57\` (${when(here)}, "here" below)`);
    expect([there.env.cpu, here.env.cpu]).toEqual([{ model: 'AMD EPYC', cores: 2 }, { model: 'Intel(R) Xeon(R) Processor', cores: 2 }]);
    expect(text).toContain('`os.cpus()` read "AMD EPYC" there and "Intel(R) Xeon(R) Processor" here, 2 logical cores both');
    const meds = [there, here].map((r) => (c: string, s: string, t?: number, k = 0) => rowIn(r)(c, s, t, k).msPerStep!.median) as [Med, Med];
    const [a52, a57] = /target a ([\d ]+)× against ([\d ]+)× \(jax-js wasm on its main thread\)/.exec(text)!.slice(1);
    [a52, a57].forEach((x, k) => near(x!, meds[k]!('a', 'jax-wasm', 0) / meds[k]!('a', 'ours-webgpu'), `target a, run ${k}`));
    // ours-webgpu against TF.js webgl on b–d: each run's range, none met; against jax-js webgpu, the configs met with their ratios.
    const vs = (m: Med, c: string, peer: string) => m(c, peer) / m(c, 'ours-webgpu');
    const gl = /TF\.js webgl ([\d.]+)–([\d.]+)× against ([\d.]+)–([\d.]+)× on b–d \(0 of 6 met in both runs\)/.exec(text)!.slice(1);
    meds.forEach((m, k) => {
      const xs = CONFIGS.map((c) => vs(m, c, 'tfjs-webgl'));
      near(gl[2 * k]!, Math.min(...xs), `webgl low, run ${k}`);
      near(gl[2 * k + 1]!, Math.max(...xs), `webgl high, run ${k}`);
      expect(Math.max(...xs)).toBeLessThan(2);
    });
    const jg = /against jax-js webgpu (\d) of 6 met \(([^)]*)\) against (\d) of 6 \(([^)]*)\)/.exec(text)!.slice(1);
    meds.forEach((m, k) => {
      const met = CONFIGS.filter((c) => vs(m, c, 'jax-webgpu') >= 2);
      expect(met.length, `jax-js webgpu met, run ${k}`).toBe(Number(jg[2 * k]));
      const listed = [...jg[2 * k + 1]!.matchAll(/([\w-]+) ([\d.]+)×/g)];
      expect(listed.map((x) => x[1])).toEqual(met);
      listed.forEach((x) => near(x[2]!, vs(m, x[1]!, 'jax-webgpu'), `${x[1]} vs jax-js webgpu, run ${k}`));
    });
    const [low52, low52At, low52Load, low57, low57At, low57Load, met] = /the 1-thread target's lowest ratio ([\d.]+)× \(([\w-]+), page load (\d)\) against ([\d.]+)× \(([\w-]+), page load (\d)\), (\d) of 6 configs met with either page load's row in both runs/.exec(text)!.slice(1);
    [[low52, low52At, low52Load], [low57, low57At, low57Load]].forEach(([r, c, load], k) => {
      near(r!, lowest(meds[k]!).r, `lowest 1-thread ratio, run ${k}`);
      expect([lowest(meds[k]!).c, lowest(meds[k]!).k + 1]).toEqual([c, Number(load)]);
      for (const j of [0, 1]) expect(CONFIGS.filter((x) => oneThread(meds[k]!, x, j) >= 1.25).length).toBe(Number(met));
    });
    const two = /the 2-thread target's ([\d.]+)–([\d.]+)× against ([\d.]+)–([\d.]+)× \((\d) of 6 in both runs\)/.exec(text)!.slice(1);
    meds.forEach((m, k) => {
      const xs = CONFIGS.map((c) => m(c, 'jax-wasm', 2) / m(c, 'ours-wasm', 2));
      near(two[2 * k]!, Math.min(...xs), `2 threads low, run ${k}`);
      near(two[2 * k + 1]!, Math.max(...xs), `2 threads high, run ${k}`);
      expect(xs.filter((x) => x >= 1.25).length).toBe(Number(two[4]));
    });
    const e = /against the fastest peer ([\d.]+)× and ([\d.]+)× against ([\d.]+)× and ([\d.]+)×, the 1-thread lines ([\d.]+)× \(SGD\) and ([\d.]+)× \(Adam\) against ([\d.]+)× and ([\d.]+)×, met in both runs/.exec(text)!.slice(1);
    [there, here].forEach((r, k) => (['e-sgd', 'e-adam'] as const).forEach((config, i) => {
      const f = fastestToGoal(r, config);
      near(e[2 * k + i]!, f.peer / f.ours, `${config} fastest, run ${k}`);
      expect(f.ours, `${config}: ours-wasm on 2 threads our fastest, run ${k}`).toBe(rowIn(r)(config, 'ours-wasm', 2).timeToAccuracy);
      const line = r.targets.find((x) => x.config === config && x.versusThreads === 0)!;
      near(e[4 + 2 * k + i]!, line.got!, `${config} 1-thread line, run ${k}`);
      expect(line.met).toBe(true);
    }));
  });

  it('the published run before it, fair-run-46 (bench/RESULTS.md): what moved against fair-run-52, each figure from the two runs', () => {
    const text = cut(RESULTS_TEXT, 'The published run before it (`fair-run-46`', '\n\n').replace(/\s+/g, ' ');
    const nowMed = (c: string, s: string, t?: number, k = 0) => rowIn(now())(c, s, t, k).msPerStep!.median;
    expect(fair().command).toBe(now().command.replace('--name fair-run-52 --out /tmp/fair52', '--name fair-run-46'));
    expect(text).toContain(`(\`fair-run-46\`, ${when(fair())},`);
    expect(text).toContain(`the same command at ${fair().env.git?.commit},`);
    expect(text).toContain(`the next published run, \`fair-run-52\` (${when(now())}, "here" in this paragraph, the same command with \`--out /tmp/fair52\``);
    expect(text).toContain(`(load average ${fair().env.load!.start[0]} at fair-run-46's start, ${now().env.load!.start[0]} at fair-run-52's)`);
    // Judged on the loss alone there, on the parameters too here.
    expect(fair().rows.some((r) => r.paramsAgreement), 'fair-run-46: no parameters compared').toBe(false);
    expect(now().rows.filter((r) => !r.config.startsWith('e-')).every((r) => r.paramsAgreement?.ok), 'fair-run-52: every a–d row').toBe(true);
    checkThereHere(text, [fair(), now()], ['fair-run-46', 'fair-run-52'], ['c-mse', 'd-ce'], [false, true]);
    // The 1-thread target's lowest ratio (d-ce, page load 2, in both), the 2-thread target's lowest, how many of six met.
    const [lowThen, lowNow, lowAt, lowLoad, met] = /the 1-thread target's lowest ratio was ([\d.]+)× there and ([\d.]+)× here \(([\w-]+), page load (\d), both times; (\d) of 6 configs met with either page load's row in both runs\)/.exec(text)!.slice(1);
    near(lowThen!, lowest(med).r, 'lowest 1-thread ratio, fair-run-46');
    near(lowNow!, lowest(nowMed).r, 'lowest 1-thread ratio, fair-run-52');
    for (const m of [med, nowMed]) {
      expect([lowest(m).c, lowest(m).k + 1]).toEqual([lowAt, Number(lowLoad)]);
      for (const k of [0, 1]) expect(configs.filter((c) => oneThread(m, c, k) >= 1.25).length, `load ${k + 1}`).toBe(Number(met));
    }
    const twoThreads = (m: typeof med) => configs.map((c) => ({ c, r: m(c, 'jax-wasm', 2) / m(c, 'ours-wasm', 2) })).reduce((a, b) => (b.r < a.r ? b : a));
    const [twoThen, twoThenAt, twoNow, twoNowAt, twoMet] = /the 2-thread target's lowest ([\d.]+)× \(([\w-]+)\) there and ([\d.]+)× \(([\w-]+)\) here \((\d) of 6 in both runs\)/.exec(text)!.slice(1);
    near(twoThen!, twoThreads(med).r, 'lowest 2-thread ratio, fair-run-46');
    near(twoNow!, twoThreads(nowMed).r, 'lowest 2-thread ratio, fair-run-52');
    expect([twoThreads(med).c, twoThreads(nowMed).c]).toEqual([twoThenAt, twoNowAt]);
    for (const m of [med, nowMed]) expect(configs.filter((c) => m(c, 'jax-wasm', 2) / m(c, 'ours-wasm', 2) >= 1.25).length).toBe(Number(twoMet));
    // The 1-thread lines of config e, met in both runs.
    const [sgd46, adam46, sgd52, adam52] = /the 1-thread lines went from ([\d.]+)× \(SGD\) and ([\d.]+)× \(Adam\) to ([\d.]+)× and ([\d.]+)×, met in both runs/.exec(text)!.slice(1);
    const line = (r: BenchResult, config: string) => r.targets.find((x) => x.config === config && x.versusThreads === 0)!;
    [[sgd46, fair(), 'e-sgd'], [adam46, fair(), 'e-adam'], [sgd52, now(), 'e-sgd'], [adam52, now(), 'e-adam']].forEach(([x, r, config]) => {
      near(x as string, line(r as BenchResult, config as string).got!, `${config as string} 1-thread line`);
      expect(line(r as BenchResult, config as string).met).toBe(true);
    });
  });

  it('the published run before that, fair-run-45b (bench/RESULTS.md): what moved against fair-run-46, each figure from the two runs', () => {
    const prevRow = rowIn(prev());
    const text = cut(RESULTS_TEXT, 'The published run before that (`fair-run-45b`', '\n\n').replace(/\s+/g, ' ');
    expect(prev().command).toBe(fair().command.replace('--name fair-run-46', '--name fair-run-45b'));
    expect(text).toContain(`(\`fair-run-45b\`, ${when(prev())},`);
    expect(text).toContain(`the same command at ${prev().env.git?.commit},`);
    expect(text).toContain(`the next published run, \`fair-run-46\` (${when(fair())}, "here" in this paragraph)`);
    expect(text).toContain(`(load average ${prev().env.load!.start[0]} at fair-run-45b's start, ${fair().env.load!.start[0]} at fair-run-46's)`);
    // Its own target lines name only the peer's count (before 51c7e09).
    expect(prev().targets.some((t) => t.systemThreads !== undefined && !t.config.startsWith('e-')), 'fair-run-45b: a–d lines without ours\' count').toBe(false);
    expect(fair().targets.some((t) => t.systemThreads === 1 && t.config === 'b-mse'), 'fair-run-46: ours\' count on b-mse').toBe(true);
    const prevMed = (c: string, s: string, t?: number, k = 0) => prevRow(c, s, t, k).msPerStep!.median;
    checkThereHere(text, [prev(), fair()], ['fair-run-45b', 'fair-run-46'], ['c-mse', 'd-ce'], [true, false]);
    // The 1-thread target's lowest ratio (which config, which page load), and how many of six met with each load's row.
    const [lowThen, lowThenAt, lowNow, lowNowAt, lowNowLoad, met] = /the 1-thread target's lowest ratio was ([\d.]+)× \(([\w-]+)\) there and ([\d.]+)× \(([\w-]+), page load (\d)\) here \((\d) of 6 configs met with either page load's row in both runs\)/.exec(text)!.slice(1);
    near(lowThen!, lowest(prevMed).r, 'lowest 1-thread ratio, fair-run-45b');
    near(lowNow!, lowest(med).r, 'lowest 1-thread ratio, fair-run-46');
    expect([lowest(prevMed).c, lowest(med).c, lowest(med).k + 1]).toEqual([lowThenAt, lowNowAt, Number(lowNowLoad)]);
    for (const m of [prevMed, med]) for (const k of [0, 1]) expect(configs.filter((c) => oneThread(m, c, k) >= 1.25).length, `load ${k + 1}`).toBe(Number(met));
    // Adam's 1-thread line: not met there, met here.
    const [adamLineThen, adamLineNow] = /Adam's 1-thread line went from ([\d.]+)× \(not met\) to ([\d.]+)×/.exec(text)!.slice(1);
    const adamLine = (r: BenchResult) => r.targets.find((x) => x.config === 'e-adam' && x.versusThreads === 0)!;
    near(adamLineThen!, adamLine(prev()).got!, "Adam's 1-thread line, fair-run-45b");
    near(adamLineNow!, adamLine(fair()).got!, "Adam's 1-thread line, fair-run-46");
    expect([adamLine(prev()).met, adamLine(fair()).met]).toEqual([false, true]);
  });

  it('the published runs before it, fair-run-45 against fair-run-45b, and fair-run-44 (bench/RESULTS.md): what changed, each figure from the runs', () => {
    // This paragraph's "here" is fair-run-45b, its "there" fair-run-45.
    const prevRow = rowIn(run45());
    const row45b = rowIn(prev());
    const med = (c: string, s: string, t?: number, k = 0) => row45b(c, s, t, k).msPerStep!.median;
    const text = cut(RESULTS_TEXT, 'The one before that (`fair-run-45`', '\n\n').replace(/\s+/g, ' ');
    expect(text).toContain('as the next published run, `fair-run-45b` (2026-12-06 00:03 UTC, "here" in this paragraph)');
    expect(run45().command).toBe(fair().command.replace('--name fair-run-46', '--name fair-run-45'));
    expect(run44().command).toBe(fair().command.replace('--name fair-run-46', '--name fair-run-44'));
    expect(text).toContain(`(\`fair-run-45\`, ${run45().env.build!.built.slice(0, 10)} ${run45().env.build!.built.slice(11, 16)} UTC,`);
    expect(text).toContain(`(\`fair-run-44\`, ${run44().env.build!.built.slice(0, 10)} ${run44().env.build!.built.slice(11, 16)} UTC,`);
    expect(text).toContain(`the same command at ${run45().env.git?.commit},`);
    expect(text).toContain(`the same command at ${run44().env.git?.commit},`);
    const prevMed = (c: string, s: string, t?: number, k = 0) => prevRow(c, s, t, k).msPerStep!.median;
    checkAThereHere(text, prevMed, med, 'fair-run-45', 'fair-run-45b');
    // ours-wasm on 1 thread (both page loads) and on 2, there against here.
    checkWasmThereHere(text, prevMed, med, 'fair-run-45', 'fair-run-45b', ['c-mse', 'd-mse']);
    const [jaxThen2, jaxNow2] = /jax-js wasm on its main thread took ([\d.]+) against ([\d.]+) ms on c-mse/.exec(text)!.slice(1);
    near(jaxThen2!, prevMed('c-mse', 'jax-wasm', 0), 'c-mse jax-wasm 0, fair-run-45');
    near(jaxNow2!, med('c-mse', 'jax-wasm', 0), 'c-mse jax-wasm 0, fair-run-45b');
    // The 1-thread target's lowest ratio (which config), and how many of six met with each page load's row, in both runs.
    const [low45, low45b, lowAt, met] = /the 1-thread target's lowest ratio was ([\d.]+)× there and ([\d.]+)× here \(([\w-]+) both times; (\d) of 6 configs met with either page load's row in both runs\)/.exec(text)!.slice(1);
    near(low45!, lowest(prevMed).r, 'lowest 1-thread ratio, fair-run-45');
    near(low45b!, lowest(med).r, 'lowest 1-thread ratio, fair-run-45b');
    expect([lowest(prevMed).c, lowest(med).c]).toEqual([lowAt, lowAt]);
    for (const m of [prevMed, med]) for (const k of [0, 1]) expect(configs.filter((c) => oneThread(m, c, k) >= 1.25).length, `load ${k + 1}`).toBe(Number(met));
    const [e1, e2, e3, e4] = /went from ([\d.]+)× and ([\d.]+)× to ([\d.]+)× and ([\d.]+)×/.exec(text)!.slice(1);
    (['e-sgd', 'e-adam'] as const).forEach((config, i) => {
      const then = fastestToGoal(run45(), config);
      const now = fastestToGoal(prev(), config);
      near([e1, e2][i]!, then.peer / then.ours, `${config} fair-run-45`);
      near([e3, e4][i]!, now.peer / now.ours, `${config} fair-run-45b`);
    });
    // "ours-wasm on 2 threads reached the SGD goal in 0.29 s there, 0.23 s here": our fastest in both runs.
    const [sgdThen, sgdNow] = /ours-wasm on 2 threads reached the SGD goal in ([\d.]+) s there, ([\d.]+) s here/.exec(text)!.slice(1);
    near(sgdThen!, prevRow('e-sgd', 'ours-wasm', 2).timeToAccuracy!, 'e-sgd ours-wasm 2, fair-run-45');
    near(sgdNow!, row45b('e-sgd', 'ours-wasm', 2).timeToAccuracy!, 'e-sgd ours-wasm 2, fair-run-45b');
    expect(fastestToGoal(prev(), 'e-sgd').ours).toBe(row45b('e-sgd', 'ours-wasm', 2).timeToAccuracy);
    // fair-run-44: target a, the 1-thread target's lowest ratio (on c-mse) and config e.
    const [a44, low44, low44At, o1, o2] = /target a was ([\d ]+)×, the 1-thread target's lowest ratio ([\d.]+)× \(([\w-]+)\) and config e's ([\d.]+)× and ([\d.]+)×\.$/.exec(text.trim())!.slice(1);
    const med44 = (c: string, s: string, t?: number, k = 0) => rowIn(run44())(c, s, t, k).msPerStep!.median;
    near(a44!, med44('a', 'jax-wasm', 0) / med44('a', 'ours-webgpu'), 'target a, fair-run-44');
    near(low44!, lowest(med44).r, 'lowest 1-thread ratio, fair-run-44');
    expect(lowest(med44).c).toBe(low44At);
    (['e-sgd', 'e-adam'] as const).forEach((config, i) => {
      const old = fastestToGoal(run44(), config);
      near([o1, o2][i]!, old.peer / old.ours, `${config} fair-run-44`);
    });
  });
});
