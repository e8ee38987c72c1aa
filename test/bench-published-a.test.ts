/**
 * Config a's Chromium figures in README's "How the WebGPU path runs" (the tiny nets' bullet: after 32 768 steps a
 * dispatch, `a-run-45h` … `a-run-45l`, the full run `fair-run-45b`, and `a-run-46a` … `a-run-46e` after the GPU-error sections, then the full run `fair-run-46`, the full run `fair-run-52`, and on another machine `a-run-57a`, `intel57` and the published run `fair-run-57`) and in bench/RESULTS.md, where the runs
 * before moved ("Config a alone in Chromium, before 32 768 steps a dispatch": `main_lanes` in `a-run-45`, `a-run-45b`,
 * the full run `fair-run-45`, `a-run-45c` … `a-run-45g`; the full run before it, `fair-run-44`), against the committed
 * results files in bench/results/: the runs' record, not the code that wrote them.
 */
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../bench/report.ts';
import { cut } from './lib/readme-text.ts';
import { README_TEXT, RESULTS_TEXT, nearPrinted, once, resultsFile, rowOf, verdictHistory } from './lib/published.ts';

/** Config a's median ms/step of a system (jax-js wasm: on its main thread, 0 workers). */
const med = (r: BenchResult, system: string) => rowOf(r, 'a', system, system === 'jax-wasm' ? 0 : undefined).msPerStep!.median;
/** ours-webgpu's steps/s ÷ the peer's on config a. */
const ratio = (r: BenchResult, peer: string) => med(r, peer) / med(r, 'ours-webgpu');

/** Whether a run met target a against jax-js wasm on its main thread (its own target line). */
const metA = (run: BenchResult): boolean => run.targets.find((t) => t.config === 'a' && t.versus === 'jax-wasm')!.met;

describe("README's config a in Chromium (How the WebGPU path runs) and bench/RESULTS.md's runs before are the a-run-45 series', fair-run-45's and fair-run-44's", () => {
  const runs = once(() => ['a-run-45', 'a-run-45b'].map((name) => resultsFile(`${name}.json`)));
  const full = once(() => resultsFile('fair-run-45.json'));
  const before = once(() => resultsFile('fair-run-44.json'));
  const text = once(() => cut(README_TEXT, 'In Chromium, config a alone with every peer', 'Larger nets use the per-kernel path').replace(/\s+/g, ' '));
  const history = once(() => cut(RESULTS_TEXT, '## Config a alone in Chromium, before 32 768 steps a dispatch', '\n## ').replace(/\s+/g, ' '));
  /**
   * A series of config-a runs README names by letters (a-run-45c …): each the first run's command renamed, at
   * `commit`, clean, every row agreeing, its ratio against jax-js wasm on its main thread as printed; the first's
   * build and the last's end as the times printed; ours-webgpu's and jax-js's fastest and slowest µs/step.
   */
  /** The target table's a cell (`verdict`: README's, or RESULTS.md's copy) on a series (`cell` captures how many met, the lowest and the highest ratio). */
  function checkCell(verdict: string, cell: RegExp, series: BenchResult[], what: string): void {
    const m = cell.exec(verdict.replace(/\s+/g, ' '));
    expect(m, `the target table's a cell on ${what}`).not.toBeNull();
    expect(Number(m![1]), `${what}: how many met`).toBe(series.filter(metA).length);
    const ratios = series.map((run) => ratio(run, 'jax-wasm'));
    nearPrinted(m![2]!, Math.min(...ratios), `${what}: the lowest ratio`);
    nearPrinted(m![3]!, Math.max(...ratios), `${what}: the highest ratio`);
  }

  function checkSeries(letters: string, series: BenchResult[], commit: string, from: string, to: string, ratios: string[], spans: string[], stop = '45'): void {
    series.forEach((run, k) => {
      expect(run.command).toBe(runs()[0]!.command.replace(/a-run-45$/, `a-run-${stop}${letters[k]}`));
      expect(run.env.git).toEqual({ commit, dirty: false });
      expect(run.rows.every((r) => r.status === 'ok' && r.agreement?.ok), run.command).toBe(true);
      nearPrinted(ratios[k]!, ratio(run, 'jax-wasm'), `a-run-${stop}${letters[k]}: against jax-js wasm on its main thread`);
    });
    expect(series[0]!.env.build!.built.slice(11, 16)).toBe(from);
    expect(series[series.length - 1]!.date.slice(11, 16)).toBe(to);
    const gpu = series.map((run) => med(run, 'ours-webgpu') * 1e3);
    const jax = series.map((run) => med(run, 'jax-wasm') * 1e3);
    nearPrinted(spans[0]!, Math.min(...gpu), 'the fastest ours-webgpu');
    nearPrinted(spans[1]!, Math.max(...gpu), 'the slowest ours-webgpu');
    nearPrinted(spans[2]!, Math.min(...jax), 'the fastest jax-js wasm');
    nearPrinted(spans[3]!, Math.max(...jax), 'the slowest jax-js wasm');
  }

  it('the two runs: the command bench/RESULTS.md gives, one clean commit, every system agreed, the time', () => {
    const command = /\(`(npm run bench -- --configs a [^`]+ --name a-run-45)`, then `a-run-45b`, (\d\d:\d\d)–(\d\d:\d\d) UTC at (\w+),/.exec(history());
    expect(command, 'the command, the time and the commit').not.toBeNull();
    runs().forEach((run, k) => {
      expect(run.command).toBe(command![1]! + (k ? 'b' : ''));
      expect(run.ok).toBe(true);
      expect(run.failures).toEqual([]);
      expect(run.env.git).toEqual({ commit: command![4], dirty: false });
      expect(run.rows.every((r) => r.status === 'ok' && r.agreement?.ok), run.command).toBe(true);
    });
    expect(runs()[0]!.env.build!.built.slice(11, 16)).toBe(command![2]);
    expect(runs()[1]!.date.slice(11, 16)).toBe(command![3]);
  });

  it("ours-webgpu's µs/step, its ratios against jax-js wasm on its main thread, TF.js webgl and jax-js webgpu, and jax-js's µs/step", () => {
    const m = /ours-webgpu ([\d.]+) µs\/step, ([\d ]+)× and ([\d ]+)× jax-js wasm on its main thread \(([\d.]+) and ([\d.]+) µs\/step there\), ([\d ]+)× and ([\d ]+)× TF\.js webgl, ([\d ]+)× and ([\d ]+)× jax-js webgpu/.exec(history());
    expect(m, 'the figures of a-run-45 and a-run-45b').not.toBeNull();
    const [gpu, wasm1, wasm2, jax1, jax2, webgl1, webgl2, jaxGpu1, jaxGpu2] = m!.slice(1);
    runs().forEach((run, k) => {
      const name = k ? 'a-run-45b' : 'a-run-45';
      nearPrinted(gpu!, med(run, 'ours-webgpu') * 1e3, `${name}: ours-webgpu µs/step`);
      nearPrinted([wasm1, wasm2][k]!, ratio(run, 'jax-wasm'), `${name}: against jax-js wasm on its main thread`);
      nearPrinted([jax1, jax2][k]!, med(run, 'jax-wasm') * 1e3, `${name}: jax-js wasm µs/step`);
      nearPrinted([webgl1, webgl2][k]!, ratio(run, 'tfjs-webgl'), `${name}: against TF.js webgl`);
      nearPrinted([jaxGpu1, jaxGpu2][k]!, ratio(run, 'jax-webgpu'), `${name}: against jax-js webgpu`);
      // Target a met in both: the run's own target line pairs the same rows.
      const line = run.targets.find((t) => t.config === 'a' && t.versus === 'jax-wasm')!;
      expect([line.versusThreads, line.met], name).toEqual([0, true]);
      nearPrinted([wasm1, wasm2][k]!, line.got!, `${name}: its target line`);
    });
  });

  it("the five later config-a runs (a-run-45c … 45g): the command, each ratio, how many met, the spans; the target table's count", () => {
    const later = ['c', 'd', 'e', 'f', 'g'].map((x) => resultsFile(`a-run-45${x}.json`));
    const m = /Five more config-a runs, the same command at (\w+) \(`a-run-45c` … `a-run-45g`, (\d\d:\d\d)–(\d\d:\d\d) UTC\): ([\d ]+)×, ([\d ]+)×, ([\d ]+)×, ([\d ]+)×, ([\d ]+)× — met in (\d) of the 7 config-a runs, ours-webgpu at ([\d.]+)–([\d.]+) µs\/step and jax-js wasm between ([\d.]+) and ([\d.]+) µs\/step/.exec(history());
    expect(m, 'the five runs').not.toBeNull();
    const [commit, from, to, ...rest] = m!.slice(1);
    checkSeries('cdefg', later, commit!, from!, to!, rest.slice(0, 5), rest.slice(6));
    const met = [...runs(), ...later].filter(metA).length;
    expect(Number(rest[5])).toBe(met);
    // The target table's a verdict (RESULTS.md's copy) counts the later runs that met it and spans their ratios.
    checkCell(verdictHistory('a'), /, in (\d) of 5 more config-a runs after fair-run-45 \(`a-run-45c` … `a-run-45g`: ([\d ]+)× to ([\d ]+)×/, later, 'a-run-45c … 45g');
  });

  it('the five runs after 32 768 steps a dispatch (a-run-45h … 45l): the command, each ratio, how many met, the spans', () => {
    const after = ['h', 'i', 'j', 'k', 'l'].map((x) => resultsFile(`a-run-45${x}.json`));
    const m = /instead of 8 192 \(`fusedStepsPerDispatch`: [^)]*\), five runs at (\w+) \(`(npm run bench -- --configs a [^`]+ --name a-run-45h)`, then `a-run-45i` … `a-run-45l`, 2026-12-06 (\d\d:\d\d)–(\d\d:\d\d) UTC, `bench\/results\/`\): ([\d ]+)×, ([\d ]+)×, ([\d ]+)×, ([\d ]+)×, ([\d ]+)× jax-js wasm on its main thread — met in (\d) of 5, ours-webgpu at ([\d.]+)–([\d.]+) µs\/step and jax-js wasm between ([\d.]+) and ([\d.]+) µs\/step/.exec(text());
    expect(m, 'the five runs after').not.toBeNull();
    const [commit, command, from, to, ...rest] = m!.slice(1);
    expect(after[0]!.command).toBe(command);
    expect(after[0]!.env.build!.built.slice(0, 10)).toBe('2026-12-06');
    checkSeries('hijkl', after, commit!, from!, to!, rest.slice(0, 5), rest.slice(6));
    expect(Number(rest[5])).toBe(after.filter(metA).length);
    // The target table's a verdict: how many of them met it, their lowest and highest ratio (README's, and RESULTS.md's copy).
    checkCell(README_TEXT, /config a alone, met in (\d) of 5 at 32 768 steps a dispatch \(`a-run-45h` … `a-run-45l`: ([\d ]+)× to ([\d ]+)×/, after, 'a-run-45h … 45l');
    checkCell(verdictHistory('a'), /and in (\d) of 5 at 32 768 steps a dispatch \(`a-run-45h` … `a-run-45l`: ([\d ]+)× to ([\d ]+)×/, after, 'a-run-45h … 45l (RESULTS.md)');
  });

  it('the five runs after the GPU-error sections (a-run-46a … 46e): the command, each ratio, how many met, the spans; the target table', () => {
    const last = ['a', 'b', 'c', 'd', 'e'].map((x) => resultsFile(`a-run-46${x}.json`));
    const m = /Five more runs of the same command at (\w+), after every `Model` call on WebGPU got its error-scope section \(\[Errors\]\(#errors\); `--name a-run-46a`, then `a-run-46b` … `a-run-46e`, 2026-12-06 (\d\d:\d\d)–(\d\d:\d\d) UTC\): ([\d ]+)×, ([\d ]+)×, ([\d ]+)×, ([\d ]+)×, ([\d ]+)× — met in (\d) of 5, ours-webgpu at ([\d.]+)–([\d.]+) µs\/step and jax-js wasm between ([\d.]+) and ([\d.]+) µs\/step/.exec(text());
    expect(m, 'the five runs at the GPU-error sections').not.toBeNull();
    const [commit, from, to, ...rest] = m!.slice(1);
    checkSeries('abcde', last, commit!, from!, to!, rest.slice(0, 5), rest.slice(6), '46');
    expect(Number(rest[5])).toBe(last.filter(metA).length);
    checkCell(README_TEXT, /and in (\d) of 5 at \w+, after every `Model` call on WebGPU got its error-scope section \(`a-run-46a` … `a-run-46e`: ([\d ]+)× to ([\d ]+)×/, last, 'a-run-46a … 46e');
    expect(README_TEXT.replace(/\s+/g, ' ')).toContain(`and in 5 of 5 at ${commit}, after every`);
  });

  it("the full run fair-run-45's ratio and jax-js's µs/step (target a not met there), and fair-run-44's figures", () => {
    const [ratio45, jax45] = /in the full run `fair-run-45` [^(]*?([\d ]+)× \(([\d.]+) µs\/step for jax-js\)/.exec(history())!.slice(1);
    nearPrinted(ratio45!, ratio(full(), 'jax-wasm'), 'fair-run-45: against jax-js wasm on its main thread');
    nearPrinted(jax45!, med(full(), 'jax-wasm') * 1e3, 'fair-run-45: jax-js wasm µs/step');
    const line = full().targets.find((t) => t.config === 'a' && t.versus === 'jax-wasm')!;
    expect([line.versusThreads, line.met]).toEqual([0, false]);
    // And the full run after the a-run-45h … 45l series, the published one: met there.
    const [ratio45b, jax45b] = /in the full run right after them, `fair-run-45b` \(a previous published run: `bench\/RESULTS\.md`\), ([\d ]+)× \(([\d.]+) µs\/step for jax-js\)/.exec(text())!.slice(1);
    const published = resultsFile('fair-run-45b.json');
    nearPrinted(ratio45b!, ratio(published, 'jax-wasm'), 'fair-run-45b: against jax-js wasm on its main thread');
    nearPrinted(jax45b!, med(published, 'jax-wasm') * 1e3, 'fair-run-45b: jax-js wasm µs/step');
    expect(published.targets.find((t) => t.config === 'a' && t.versus === 'jax-wasm')!.met).toBe(true);
    // And the full run after a-run-46a … 46e, a previous published one: met there too.
    const [ratio46, jax46] = /in the full run right after them, `fair-run-46` \(a previous published run: `bench\/RESULTS\.md`\), ([\d ]+)× \(([\d.]+) µs\/step for jax-js\)/.exec(text())!.slice(1);
    const run46 = resultsFile('fair-run-46.json');
    nearPrinted(ratio46!, ratio(run46, 'jax-wasm'), 'fair-run-46: against jax-js wasm on its main thread');
    nearPrinted(jax46!, med(run46, 'jax-wasm') * 1e3, 'fair-run-46: jax-js wasm µs/step');
    expect(run46.targets.find((t) => t.config === 'a' && t.versus === 'jax-wasm')!.met).toBe(true);
    // And fair-run-52, a previous published run: met there too.
    const [ratio52, jax52] = /in `fair-run-52` \(a previous published run; [^)]*\), ([\d ]+)× \(([\d.]+) µs\/step for jax-js\)/.exec(text())!.slice(1);
    const now = resultsFile('fair-run-52.json');
    nearPrinted(ratio52!, ratio(now, 'jax-wasm'), 'fair-run-52: against jax-js wasm on its main thread');
    nearPrinted(jax52!, med(now, 'jax-wasm') * 1e3, 'fair-run-52: jax-js wasm µs/step');
    expect(now.targets.find((t) => t.config === 'a' && t.versus === 'jax-wasm')!.met).toBe(true);
    // And the check run after it, agree52 (not published): missed there.
    const [ratioCheck, jaxCheck] = /in `agree52`, the same command with `--no-inspect` after it \(not published: "Agreement" under How it measures\), ([\d ]+)× \(([\d.]+) µs\/step for jax-js\): not met/.exec(text())!.slice(1);
    const check = resultsFile('agree52.json');
    nearPrinted(ratioCheck!, ratio(check, 'jax-wasm'), 'agree52: against jax-js wasm on its main thread');
    nearPrinted(jaxCheck!, med(check, 'jax-wasm') * 1e3, 'agree52: jax-js wasm µs/step');
    expect(metA(check)).toBe(false);
    // On the Intel Xeon machine at f5f472a: config a alone (a-run-57a), intel57 and the published run, fair-run-57; met in all three.
    const intel = /On another machine \(Intel Xeon, not comparable\) at (\w+): ([\d ]+)× in config a alone \(`a-run-57a`\), ([\d ]+)× in `intel57` and ([\d ]+)× in the published run below, `fair-run-57` \(([\d.]+) µs\/step for jax-js\)/.exec(text());
    expect(intel, 'the Intel Xeon runs').not.toBeNull();
    const onIntel = ['a-run-57a', 'intel57', 'fair-run-57'].map((name) => resultsFile(`${name}.json`));
    onIntel.forEach((r, k) => {
      expect([r.env.git, r.env.cpu?.model, metA(r)], r.command).toEqual([{ commit: intel![1], dirty: false }, 'Intel(R) Xeon(R) Processor', true]);
      nearPrinted(intel![2 + k]!, ratio(r, 'jax-wasm'), `${r.command}: against jax-js wasm on its main thread`);
    });
    expect(onIntel[0]!.command).toBe('npm run bench -- --configs a --systems ours-webgpu,ours-wasm,ours-cpu,tfjs-webgl,jax-webgpu,jax-wasm --ours-wasm-threads 1,1,2 --jax-wasm-workers 0,1,2 --name a-run-57a --out /tmp/a57a');
    nearPrinted(intel![5]!, med(onIntel[2]!, 'jax-wasm') * 1e3, 'fair-run-57: jax-js wasm µs/step');
    const m = /`fair-run-44`, ours-webgpu ([\d.]+) µs\/step, ([\d ]+)× jax-js webgpu and ([\d ]+)× jax-js wasm on its main thread/.exec(history());
    expect(m, "fair-run-44's figures").not.toBeNull();
    nearPrinted(m![1]!, med(before(), 'ours-webgpu') * 1e3, 'fair-run-44: ours-webgpu µs/step');
    nearPrinted(m![2]!, ratio(before(), 'jax-webgpu'), 'fair-run-44: against jax-js webgpu');
    nearPrinted(m![3]!, ratio(before(), 'jax-wasm'), 'fair-run-44: against jax-js wasm on its main thread');
  });
});

describe("README's check run agree52 (the full command with --no-inspect after fair-run-52): target a and the parameters against ours-cpu in every page load", () => {
  const run = once(() => resultsFile('agree52.json'));
  const text = once(() => README_TEXT.replace(/\s+/g, ' '));

  it("target a's cell: not met there, its ratio and the two µs/step as printed", () => {
    const m = /not met in `agree52`, the full command with `--no-inspect` at (\w+) [^(]*\(not published: the Agreement bullet above\), ([\d ]+)× \(([\d.]+) against ([\d.]+) µs a step\)/.exec(text());
    expect(m, "README's agree52 sentence in target a's cell").not.toBeNull();
    expect(run().env.git).toEqual({ commit: m![1], dirty: false });
    expect(run().command).toContain('--no-inspect --name agree52');
    expect(metA(run())).toBe(false);
    nearPrinted(m![2]!, ratio(run(), 'jax-wasm'), 'agree52: against jax-js wasm on its main thread');
    nearPrinted(m![3]!, med(run(), 'ours-webgpu') * 1e3, 'agree52: ours-webgpu µs/step');
    nearPrinted(m![4]!, med(run(), 'jax-wasm') * 1e3, 'agree52: jax-js wasm µs/step');
  });

  it("Agreement: every a–d row's parameters judged against ours-cpu's, in all three page loads; the seconds and the largest distance as printed", () => {
    const m = /`--name agree52`, [^)]*\) took (\d+) s of measuring; every one of its (\d+) a–d rows had its parameters judged against ours-cpu's, in all three page loads, the largest distance ([\d.]+) % of its tolerance \(jax-js webgpu on b-ce; ours-wasm on 2 threads at most ([\d.]+) %, on d-mse\)/.exec(text());
    expect(m, "README's agree52 sentence in Agreement").not.toBeNull();
    expect(Math.round(run().seconds)).toBe(Number(m![1]));
    expect(run().env.wasmPasses).toHaveLength(3);
    const judged = run().rows.filter((r) => /^[a-d]/.test(r.config));
    expect(judged).toHaveLength(Number(m![2]));
    expect(judged.every((r) => r.status === 'ok' && r.paramsAgreement?.ref === 'ours-cpu' && r.paramsAgreement.ok)).toBe(true);
    const share = (r: (typeof judged)[number]) => (100 * r.paramsAgreement!.absErr) / r.paramsAgreement!.tol;
    const worst = judged.reduce((w, r) => (share(r) > share(w) ? r : w));
    expect([worst.config, worst.system]).toEqual(['b-ce', 'jax-webgpu']);
    nearPrinted(m![3]!, share(worst), 'agree52: the largest parameter distance, % of its tolerance');
    const twoThreads = judged.filter((r) => r.system === 'ours-wasm' && r.threads === 2);
    const worst2 = twoThreads.reduce((w, r) => (share(r) > share(w) ? r : w));
    expect(worst2.config).toBe('d-mse');
    nearPrinted(m![4]!, share(worst2), 'agree52: ours-wasm on 2 threads, the largest distance');
  });
});
