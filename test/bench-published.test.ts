/**
 * The figures README copies from published benchmark runs (the fair run's tables, the issue-10 table) against the
 * committed results files in bench/results/: the run's record, not the code that wrote it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../bench/report.ts';
import { cut } from './lib/readme-text.ts';
import { README_TEXT, RESULTS_TEXT, fastestToGoal, nearPrinted, once, resultsFile, rowIn, rowOf, tableIn, verdictHistory } from './lib/published.ts';

// README copies published runs' figures by hand: medians, times to the goal, goals, ratios. The tests below check them
// against the committed JSON (the run's record, not the code that wrote it), within half a unit of the last printed
// digit; ratios are recomputed from the medians (a peer's ms/step ÷ ours), times from rows[].epochs.

/** Config e's columns in README's tables: [system, threads, which page load's row] per value of a cell. */
type ECol = [string, number?, number?][];
const E_COLS: ECol[] = [[['ours-wasm', 1, 0], ['ours-wasm', 1, 1]], [['ours-wasm', 2]], [['ours-cpu']], [['ours-webgpu']], [['tfjs-webgl']], [['jax-webgpu']], [['jax-wasm', 0], ['jax-wasm', 1], ['jax-wasm', 2]]];
type RunRow = BenchResult['rows'][number];

/** A config e table (README): each goal, each system's seconds to it and its epoch 1, against the run's JSON. */
function checkETable(result: BenchResult, rows: string[][], row: (config: string, system: string, threads?: number, k?: number) => RunRow): void {
  expect(rows).toHaveLength(2);
  for (const [head, ...cells] of rows) {
    const [, config, goal] = /^(e-\w+): s to ([\d.]+) %/.exec(head!)!;
    nearPrinted(goal!, result.goals![config!]! * 100, `${config} goal`);
    expect(cells).toHaveLength(E_COLS.length);
    cells.forEach((cell, i) => {
      const [, tta, first] = /^(.+) \((.+)\)$/.exec(cell.replace(/\*\*/g, ''))!;
      expect(tta!.split(' / ')).toHaveLength(E_COLS[i]!.length);
      E_COLS[i]!.forEach(([system, threads, n], k) => {
        const r = row(config!, system, threads, n);
        nearPrinted(tta!.split(' / ')[k]!, r.timeToAccuracy!, `${config} ${system} ${threads ?? ''} to the goal`);
        nearPrinted(first!.split(' / ')[k]!, r.epochs![0]!.at, `${config} ${system} ${threads ?? ''} epoch 1`);
      });
    });
  }
}

describe("README's published run is bench/results/fair-run-57.json's", () => {
  const fair = once(() => resultsFile('fair-run-57.json'));
  const prev = once(() => resultsFile('fair-run-52.json')); // the previous published run (another machine)
  const p46 = once(() => resultsFile('fair-run-46.json')); // the one before it
  const run45b = once(() => resultsFile('fair-run-45b.json')); // the one before it
  const run45 = once(() => resultsFile('fair-run-45.json')); // and the ones before that
  const run44 = once(() => resultsFile('fair-run-44.json'));
  const readme = README_TEXT;
  const run = once(() => cut(readme, '**The published run, ', "NOTE: this machine's speed moves between runs"));
  const table = (head: string) => tableIn(run(), head);
  const row: ReturnType<typeof rowIn> = (config, system, threads, k) => rowIn(fair())(config, system, threads, k);
  const near = nearPrinted;
  const med = (c: string, s: string, t?: number, k = 0) => row(c, s, t, k).msPerStep!.median;
  type Col = [string, number?, number?][];
  const cols: Col[] = [[['ours-webgpu']], [['ours-wasm', 1, 0], ['ours-wasm', 1, 1]], [['ours-wasm', 2]], [['ours-cpu']], [['tfjs-webgl']], [['jax-webgpu']], [['jax-wasm', 0], ['jax-wasm', 1], ['jax-wasm', 2]]];

  it('the run every figure comes from: its command, date, commit, load, seconds, and every system agreed', () => {
    expect(fair().ok).toBe(true);
    expect(fair().failures).toEqual([]);
    // README's full command, with the name and the folder it was written to in place of --no-inspect (the files then
    // copied into bench/results/ unchanged: the Markdown's command line shows the --out).
    const full = cut(readme, '```sh\nnpm run bench -- --systems ours-webgpu,', '\n```').slice('```sh\n'.length).replace(/ \\\n\s*/g, ' ');
    expect(fair().command).toBe(full.replace(' --no-inspect', ' --name fair-run-57 --out /tmp/fair57'));
    expect(readFileSync(join(import.meta.dirname, '..', 'bench', 'results', 'fair-run-57.md'), 'utf8')).toContain(`Command: \`${fair().command}\``);
    expect(fair().env.git?.dirty).toBe(false);
    const flat = run().replace(/\s+/g, ' ');
    expect(flat).toContain('Exactly the command above with `--name fair-run-57 --out /tmp/fair57` and without `--no-inspect`');
    // Another machine than fair-run-52's and every earlier published run's, as os.cpus() names it.
    expect([fair().env.cpu, prev().env.cpu]).toEqual([{ model: 'Intel(R) Xeon(R) Processor', cores: 2 }, { model: 'AMD EPYC', cores: 2 }]);
    expect(flat).toContain('`os.cpus()` reading "Intel(R) Xeon(R) Processor", 2 logical cores, where `fair-run-52` and every earlier published run read "AMD EPYC"');
    expect(flat).toContain(`on main at ${fair().env.git?.commit} (clean)`);
    expect(flat).toContain(`load average ${fair().env.load!.start[0]} at the start and ${fair().env.load!.end![0]} at the end`);
    expect(flat).toContain(`(${Math.round(fair().seconds!)} s of measuring`);
    // The heading's time and the span start at the build (env.build.built); the files' date is the JSON's `date`.
    const built = fair().env.build!.built.slice(11, 16);
    expect(flat).toContain(`**The published run, ${fair().env.build!.built.slice(0, 10)} ${built} UTC**`);
    expect(flat).toContain(`s of measuring, ${built}–`);
    expect(flat).toContain(`the files' date, ${fair().date.slice(11, 19)}, is when`);
    expect(flat).toContain(`its JSON also kept as \`fair-run-57-${fair().date.replace(/:/g, '-').replace('.', '-')}.json\``);
    expect(flat).toContain(`relaxed-SIMD wasm (\`GEMM blocks ${fair().env.wasm!.tiling}\`)`);
    // The full run's measuring times, above the published run: this one's and the two before it.
    const times = /(\d+) s for the published run below \(with the profile, on another machine than the runs before it: the NOTE on this machine's speed; (\d+) and (\d+) s for the two before it, `fair-run-52` and `fair-run-46`\)/.exec(README_TEXT.replace(/\s+/g, ' '));
    expect(times, 'the full run\'s measuring times').not.toBeNull();
    expect(times!.slice(1).map(Number)).toEqual([fair(), prev(), p46()].map((r) => Math.round(r.seconds!)));
    // The run's target lines name both sides' counts (README's paragraph on how to read them quotes one of this run's).
    expect(readFileSync(join(import.meta.dirname, '..', 'bench', 'results', 'fair-run-57.md'), 'utf8')).toContain('| b-mse: ours-wasm (1 thread) vs jax-wasm (vs 0 workers: its main thread) |');
    expect(README_TEXT.replace(/\s+/g, ' ')).toContain('(`b-mse: ours-wasm (1 thread) vs jax-wasm (vs 0 workers: its main thread)`, `a: ours-webgpu vs jax-wasm (vs 1 worker)`), as the published run below prints them (`fair-run-57.md`)');
    expect(readFileSync(join(import.meta.dirname, '..', 'bench', 'results', 'fair-run-45b.md'), 'utf8')).toContain('| b-mse: ours-wasm vs jax-wasm (vs 0 workers: its main thread) |');
  });

  it("the agreement on the parameters (every page load's rows against ours-cpu's; fair-run-52's wasm loads against their first ours-wasm row): every a–d row, the largest distance and its share of the tolerance", () => {
    const ad = fair().rows.filter((r) => !r.config.startsWith('e-'));
    expect(ad.every((r) => r.paramsAgreement?.ok), 'every a–d row agreed on its parameters').toBe(true);
    // Every page load's reference is ours-cpu (the later loads run it as the reference alone).
    expect(ad.map((r) => [r.paramsAgreement!.ref, r.paramsAgreement!.refThreads])).toEqual(ad.map(() => ['ours-cpu', undefined]));
    expect(run().replace(/\s+/g, ' ')).toContain('on a–d every row\'s parameters after N agreed with ours-cpu\'s, in all three page loads (the two wasm page loads running ours-cpu as the reference alone');
    // fair-run-52 (RESULTS.md): each page load's reference, ours-cpu in the first; in the two wasm page loads (no ours-cpu
    // row there), their first ours-wasm row, so ours-wasm on 2 threads was its own (the parameters stay in the page).
    const ad52 = prev().rows.filter((r) => !r.config.startsWith('e-'));
    for (const c of ['a', 'b-mse', 'b-ce', 'c-mse', 'c-ce', 'd-mse', 'd-ce']) {
      const rs = ad52.filter((r) => r.config === c);
      const load = (r: RunRow) => (r.system === 'ours-wasm' && r.threads === 2) || (r.system === 'jax-wasm' && r.threads === 2) ? 3 : (r.system === 'jax-wasm' && r.threads === 1) || r === rs.filter((x) => x.system === 'ours-wasm' && x.threads === 1)[1] ? 2 : 1;
      expect(rs.map((r) => [r.paramsAgreement!.ref, r.paramsAgreement!.refThreads]), c).toEqual(rs.map((r) => (load(r) === 1 ? ['ours-cpu', undefined] : ['ours-wasm', load(r) - 1])));
      expect(rowIn(prev())(c, 'ours-wasm', 2).paramsAgreement!.absErr, `${c}: ours-wasm on 2 threads, its own reference`).toBe(0);
    }
    expect(cut(RESULTS_TEXT, 'The previous published run (`fair-run-52`', '\n\n').replace(/\s+/g, ' ')).toContain("in the two wasm page loads, which have no ours-cpu row (the parameters stay in the page), their first ours-wasm row's, so on 2 threads ours-wasm was its own reference");
    expect(p46().rows.some((r) => r.paramsAgreement), 'fair-run-46: judged on the loss alone').toBe(false);
    const worst = ad.reduce((a, b) => (b.paramsAgreement!.absErr / b.paramsAgreement!.tol > a.paramsAgreement!.absErr / a.paramsAgreement!.tol ? b : a));
    const names: Record<string, string> = { 'jax-webgpu': 'jax-js webgpu', 'jax-wasm': 'jax-js wasm', 'tfjs-webgl': 'TF.js webgl' };
    for (const [text, form] of [[run(), /the largest distance ([\d.]+)e-(\d+), ([\d.]+) % of its tolerance, ([\w.-]+ \w+) on ([\w-]+)\)/], [cut(readme, 'The loss alone misses some wrong gradients', '- **Timing.**'), /its largest distance ([\d.]+)e-(\d+), ([\d.]+) % of its tolerance: ([\w.-]+ \w+) on ([\w-]+)\)/]] as const) {
      const m = form.exec(text.replace(/\s+/g, ' '));
      expect(m, String(form)).not.toBeNull();
      const [mantissa, exp, share, system, config] = m!.slice(1);
      nearPrinted(mantissa!, worst.paramsAgreement!.absErr * 10 ** Number(exp), 'the largest distance');
      nearPrinted(share!, (100 * worst.paramsAgreement!.absErr) / worst.paramsAgreement!.tol, 'its share of the tolerance');
      expect([system, config]).toEqual([names[worst.system], worst.config]);
    }
  });

  it('the ms/step table: every median (µs on a), a `*` exactly where the row was capped', () => {
    const rows = table('| config | ours-webgpu | ours-wasm 1 thread (load 1 / 2) |');
    expect(rows.map((r) => r[0])).toEqual(['a', 'b-mse', 'b-ce', 'c-mse', 'c-ce', 'd-mse', 'd-ce']);
    for (const [config, ...cells] of rows) {
      expect(cells, config).toHaveLength(cols.length);
      cells.forEach((cell, i) => {
        const unit = / µs$/.test(cell) ? 1e-3 : 1;
        const parts = cell.replace(/ (µs|ms)$/, '').split(' / ');
        expect(parts, `${config} column ${i + 2}`).toHaveLength(cols[i]!.length);
        parts.forEach((part, k) => {
          const [system, threads, n] = cols[i]![k]!;
          near(part, med(config!, system, threads, n) / unit, `${config} ${system} ${threads ?? ''}`);
          expect(part.includes('*'), `${config} ${system} capped`).toBe(row(config!, system, threads, n).capped === true);
        });
      });
    }
  });

  it('the config e table: each goal, time to it and epoch 1', () => {
    checkETable(fair(), table('| config e (5 epochs) |'), row);
  });

  it("the targets table: every ratio from the medians against the row the run's target line names, and how many of six met", () => {
    const rows = table('| target | a | b-mse |');
    const [, a, , , , , , , aMet] = rows[0]!;
    const onA = [...a!.matchAll(/(\d[\d ]*)×/g)].map((m) => m[1]!);
    [['tfjs-webgl'], ['jax-webgpu'], ['jax-wasm', 0], ['jax-wasm', 1], ['jax-wasm', 2]].forEach(([s, t], k) => near(onA[k]!, med('a', s as string, t as number | undefined) / med('a', 'ours-webgpu'), `a vs ${s} ${t ?? ''}`));
    // The run's own target line on a pairs ours-webgpu with jax-js wasm on its main thread (0 workers) and is met.
    const aJax = fair().targets.find((x) => x.config === 'a' && x.versus === 'jax-wasm')!;
    expect([aJax.versusThreads, aJax.met]).toEqual([0, true]);
    near(onA[2]!, aJax.got!, 'a vs jax-wasm, its target line');
    expect(aMet).toMatch(/^\*\*yes\*\*/);
    // The verdict: the ratio, both medians (µs), by how much; the same in bench/RESULTS.md's copy of the cell from before its
    // history moved there, with fair-run-45's ratio (not met) and fair-run-44's, and config a alone (a-run-45, 45b) met.
    const [v, vOurs, vJax, by, vAlone, vIntel, v52] = /^\*\*yes\*\*: ([\d ]+)× against jax-js wasm on its main thread \(([\d.]+) against ([\d.]+) µs a step\), met by ([\d.]+) %, on the Intel Xeon machine \(config a alone there, `a-run-57a`, ([\d ]+)×; `intel57`, the full command just before this run, not published, ([\d ]+)×\); ([\d ]+)× in the previous full run, fair-run-52, on the AMD EPYC machine/.exec(aMet!)!.slice(1);
    const p52A = prev().targets.find((x) => x.config === 'a' && x.versus === 'jax-wasm')!;
    expect([p52A.versusThreads, p52A.met], 'fair-run-52: met').toEqual([0, true]);
    near(v52!, p52A.got!, 'a verdict: fair-run-52');
    // a-run-57a and intel57: at fair-run-57's commit, on its machine, before it; target a met in both.
    for (const [name, x] of [['a-run-57a', vAlone], ['intel57', vIntel]] as const) {
      const r = resultsFile(`${name}.json`);
      const line = r.targets.find((t) => t.config === 'a' && t.versus === 'jax-wasm')!;
      expect([line.versusThreads, line.met, r.env.git, r.env.cpu], name).toEqual([0, true, fair().env.git, fair().env.cpu]);
      expect(Date.parse(r.date)).toBeLessThan(Date.parse(fair().env.build!.built));
      near(x!, line.got!, name);
    }
    // "just before fair-run-46 at its code": a-run-46a … 46e ran at the parent of fair-run-46's commit (2a4a473 adds their files), built before it.
    expect(aMet).toContain('(`a-run-46a` … `a-run-46e`: 1 021× to 1 193×), just before fair-run-46 at its code');
    for (const x of ['a', 'b', 'c', 'd', 'e']) {
      const alone = resultsFile(`a-run-46${x}.json`);
      expect(alone.env.git, `a-run-46${x}`).toEqual({ commit: 'a20fba6', dirty: false });
      expect(Date.parse(alone.date)).toBeLessThan(Date.parse(p46().env.build!.built));
    }
    expect(p46().env.git).toEqual({ commit: '2a4a473', dirty: false });
    const old = /^Target a \(ours-webgpu ≥ 1000× every peer\): \*\*yes\*\*: ([\d ]+)× against jax-js wasm on its main thread \(([\d.]+) against ([\d.]+) µs a step\), met by ([\d.]+) %; ([\d ]+)× in the previous full run, fair-run-45, just short, and ([\d ]+)× in fair-run-44, before `main_lanes`\. Config a alone: met in `a-run-45` and `a-run-45b`, just before fair-run-45 at its code \(([\d ]+)× and ([\d ]+)×/.exec(verdictHistory('a'));
    expect(old, "bench/RESULTS.md's copy of the a verdict").not.toBeNull();
    const [, , , , v45, v44, alone1, alone2] = old!.slice(1);
    // README's verdict on this run; RESULTS.md's copy, on fair-run-45b (the published run when the history moved).
    for (const [ratio, ours, jax, pct, where, r] of [[v, vOurs, vJax, by, 'README', fair()], [...old!.slice(1, 5), 'RESULTS.md', run45b()]] as [string, string, string, string, string, BenchResult][]) {
      const line = r.targets.find((x) => x.config === 'a' && x.versus === 'jax-wasm')!;
      near(ratio, line.got!, `a verdict (${where})`);
      near(ours, rowOf(r, 'a', 'ours-webgpu').msPerStep!.median * 1e3, `a verdict: ours-webgpu µs (${where})`);
      near(jax, rowOf(r, 'a', 'jax-wasm', 0).msPerStep!.median * 1e3, `a verdict: jax-wasm 0 µs (${where})`);
      near(pct, 100 * (line.got! / 1000 - 1), `a verdict: by how much (${where})`);
    }
    // The NOTE on why the jax-js figures changed (bench/RESULTS.md) says the same of fair-run-45b.
    expect(RESULTS_TEXT.replace(/\s+/g, ' ')).toContain(`at its line in fair-run-45, met by ${old![4]} % in fair-run-45b)`);
    const prevA = run45().targets.find((x) => x.config === 'a' && x.versus === 'jax-wasm')!;
    expect([prevA.versusThreads, prevA.met], 'fair-run-45: just short').toEqual([0, false]);
    near(v45!, prevA.got!, 'a verdict: fair-run-45');
    near(v44!, rowOf(run44(), 'a', 'jax-wasm', 0).msPerStep!.median / rowOf(run44(), 'a', 'ours-webgpu').msPerStep!.median, 'a verdict: fair-run-44');
    [alone1, alone2].forEach((x, k) => {
      const alone = resultsFile(['a-run-45.json', 'a-run-45b.json'][k]!);
      const line = alone.targets.find((t) => t.config === 'a' && t.versus === 'jax-wasm')!;
      expect([line.versusThreads, line.met], `a-run-45${k ? 'b' : ''}`).toEqual([0, true]);
      near(x!, line.got!, `a-run-45${k ? 'b' : ''}`);
      // "at its code": the runs' commit differs from fair-run-45's by results files only (1bbaf91's parent is b3f6199).
      expect(alone.env.git).toEqual({ commit: 'b3f6199', dirty: false });
      expect(Date.parse(alone.env.build!.built)).toBeLessThan(Date.parse(run45().env.build!.built));
    });
    const pairs: Record<string, [string, number | undefined, string, number | undefined, number]> = {
      'ours-webgpu ≥ 2× TF.js webgl': ['ours-webgpu', undefined, 'tfjs-webgl', undefined, 2],
      'ours-webgpu ≥ 2× jax-js webgpu': ['ours-webgpu', undefined, 'jax-webgpu', undefined, 2],
      'ours-wasm ≥ 1.25× jax-js wasm, 1 thread (vs its main thread; load 1 / 2)': ['ours-wasm', 1, 'jax-wasm', 0, 1.25],
      'ours-wasm ≥ 1.25× jax-js wasm, 2 threads (vs 2 workers)': ['ours-wasm', 2, 'jax-wasm', 2, 1.25],
    };
    const checked = rows.filter((r) => pairs[r[0]!]);
    expect(checked).toHaveLength(4);
    const configs = ['b-mse', 'b-ce', 'c-mse', 'c-ce', 'd-mse', 'd-ce'];
    for (const [target, , ...cells] of checked) {
      const [ours, t, peer, pt, want] = pairs[target!]!;
      const loads = t === 1 ? [0, 1] : [0];
      const met = loads.map((k) => configs.filter((c, i) => {
        const ratio = med(c, peer, pt) / med(c, ours, t, k);
        near(cells[i]!.split(' / ')[k]!.replace(/\*\*|×/g, ''), ratio, `${target}, ${c}, load ${k + 1}`);
        // The run's target line for this row names the same peer row and the same ratio.
        if (ours === 'ours-wasm') {
          const lines = fair().targets.filter((x) => x.config === c && x.system === ours && x.versus === peer && (t === 2 ? x.threads === 2 : x.versusThreads === pt));
          near(cells[i]!.split(' / ')[k]!.replace(/\*\*|×/g, ''), lines[k]!.got!, `${target}, ${c}, its target line`);
        }
        return ratio >= want;
      }).length);
      const verdict = cells[6]!;
      if (t === 1) {
        expect(verdict).toContain(`${met[0]} of 6 with page load 1's ours-wasm row, ${met[1]} of 6 with page load 2's`);
        expect(verdict.startsWith('**yes'), target).toBe(met.every((m) => m === 6));
        // "(the lowest, d-ce 1.54×, in page load 1; in fair-run-52, 1.68×, d-ce in page load 2, as in fair-run-46, 1.57×; 1.64× in fair-run-45b, on c-mse)": each run's lowest.
        const [lowC, low, lowLoad, low52, low52C, low52Load, low46, low45b, lowBefore] = /the lowest, ([\w-]+) ([\d.]+)×, in page load (\d); in fair-run-52, ([\d.]+)×, ([\w-]+) in page load (\d), as in fair-run-46, ([\d.]+)×; ([\d.]+)× in fair-run-45b, on ([\w-]+):/.exec(verdict)!.slice(1);
        const lowestIn = (r: BenchResult) => configs.flatMap((c) => [0, 1].map((k) => ({ c, k, ratio: rowIn(r)(c, 'jax-wasm', 0).msPerStep!.median / rowIn(r)(c, 'ours-wasm', 1, k).msPerStep!.median }))).reduce((a, b) => (b.ratio < a.ratio ? b : a));
        expect([lowestIn(fair()).c, lowestIn(fair()).k + 1]).toEqual([lowC, Number(lowLoad)]);
        for (const r of [prev(), p46()]) expect([lowestIn(r).c, lowestIn(r).k + 1]).toEqual([low52C, Number(low52Load)]);
        near(low!, lowestIn(fair()).ratio, '1-thread lowest, fair-run-57');
        near(low52!, lowestIn(prev()).ratio, '1-thread lowest, fair-run-52');
        near(low46!, lowestIn(p46()).ratio, '1-thread lowest, fair-run-46');
        near(low45b!, lowestIn(run45b()).ratio, '1-thread lowest, fair-run-45b');
        expect(lowestIn(run45b()).c).toBe(lowBefore);
      } else {
        expect(verdict, target).toContain(`${met[0]} of 6`);
        expect(verdict.startsWith('**yes'), target).toBe(met[0] === 6);
      }
    }
    // e: per thread count (bench/epochs.ts timeToAccuracy): our fastest 1-thread row against jax-js wasm on its main
    // thread (the fastest 1-thread peer), ours-wasm on 2 threads against jax-js wasm on 2 workers.
    const e = rows.find((r) => r[0]!.startsWith('e: '))!.at(-1)!;
    // The issue's target: our fastest row against the fastest peer's, whatever their thread counts.
    const [, sgdOurs, adamOurs, sgdPeer, adamPeer, sgdRatio, adamRatio, sgd52, adam52, sgd46, adam46] = /In the published run \(`fair-run-57`, one fit per system\), our fastest \(ours-wasm on 2 threads: ([\d.]+) s SGD, ([\d.]+) s Adam\) against the fastest peer \(jax-js wasm on its main thread: ([\d.]+) s, ([\d.]+) s\) is ([\d.]+)× and ([\d.]+)× \(([\d.]+)× and ([\d.]+)× in fair-run-52, ([\d.]+)× and ([\d.]+)× in fair-run-46\)/.exec(e)!;
    for (const [config, ours, peer, ratio, threads, then, then46] of [['e-sgd', sgdOurs, sgdPeer, sgdRatio, 2, sgd52, sgd46], ['e-adam', adamOurs, adamPeer, adamRatio, 2, adam52, adam46]] as const) {
      const { ours: fastestOurs, peer: fastestPeer } = fastestToGoal(fair(), config);
      near(ours!, fastestOurs, `${config}: our fastest`);
      near(peer!, fastestPeer, `${config}: the fastest peer`);
      near(ratio!, fastestPeer / fastestOurs, `${config}: the ratio`);
      expect(fastestPeer / fastestOurs, config).toBeGreaterThanOrEqual(2);
      // Which rows: ours-wasm on the count README names, jax-js wasm on its main thread.
      const rowAt = (t: number) => fair().rows.find((r) => r.config === config && r.timeToAccuracy === t)!;
      expect([rowAt(fastestOurs).system, rowAt(fastestOurs).threads], config).toEqual(['ours-wasm', threads]);
      expect([rowAt(fastestPeer).system, rowAt(fastestPeer).threads], config).toEqual(['jax-wasm', 0]);
      const previous = fastestToGoal(prev(), config);
      near(then!, previous.peer / previous.ours, `${config}: the ratio in fair-run-52`);
      const before = fastestToGoal(p46(), config);
      near(then46!, before.peer / before.ours, `${config}: the ratio in fair-run-46`);
    }
    for (const [name, config] of [['SGD', 'e-sgd'], ['Adam', 'e-adam']]) {
      for (const [k, jaxWorkers] of [[1, 0], [2, 2]]) {
        const part = cut(k === 1 ? e : cut(e, 'at 2 threads'), `${name} `);
        const [, ratio, ours, peer] = new RegExp(`([\\d.]+)× \\(${k}: (?:ours-wasm )?([\\d.]+) vs (?:jax-js wasm )?([\\d.]+) s`).exec(part)!;
        const oursTta = Math.min(...fair().rows.filter((r) => r.config === config && r.system === 'ours-wasm' && r.threads === k).map((r) => r.timeToAccuracy!));
        const jaxTta = row(config!, 'jax-wasm', jaxWorkers).timeToAccuracy!;
        near(ours!, oursTta, `${name} ${k}: ours-wasm`);
        near(peer!, jaxTta, `${name} ${k}: jax-wasm`);
        near(ratio!, jaxTta / oursTta, `${name} ${k}: the ratio`);
        const line = fair().targets.find((x) => x.config === config && (k === 2 ? x.threads === 2 : x.versusThreads === 0))!;
        near(ratio!, line.got!, `${name} ${k}: its target line`);
        // A line the run did not meet would be followed by "**not met**" in README, and only such a line (fair-run-57 met all four).
        expect(/^\w+ [\d.]+× \([^)]*\), \*\*not met\*\*/.test(part), `${name} ${k}: README's verdict`).toBe(!line.met);
      }
    }
    // The 1-thread line takes our faster ours-wasm row of the two page loads (review bench51): README gives the other's too.
    const [fastSgd, fastAdam, otherSgd, sgdLoad, sgdTta, notMet, otherAdam, adamLoad, adamTta] = /with the faster of its two ours-wasm rows, page load (\d)'s on SGD and page load (\d)'s on Adam: the other gives ([\d.]+)× on SGD \(page load (\d)'s, ([\d.]+) s\),( not met,)? and ([\d.]+)× on Adam \(page load (\d)'s, ([\d.]+) s\)/.exec(e)!.slice(1);
    for (const [config, fast, ratio, load, tta, met] of [['e-sgd', fastSgd, otherSgd, sgdLoad, sgdTta, !notMet], ['e-adam', fastAdam, otherAdam, adamLoad, adamTta, true]] as const) {
      const [k, other] = [Number(fast) - 1, Number(load) - 1];
      expect(k + other, `${config}: the two page loads`).toBe(1);
      expect(row(config, 'ours-wasm', 1, other).timeToAccuracy!, `${config}: page load ${load}'s row is the slower`).toBeGreaterThan(row(config, 'ours-wasm', 1, k).timeToAccuracy!);
      near(tta!, row(config, 'ours-wasm', 1, other).timeToAccuracy!, `${config}: the other row's seconds`);
      const r = row(config, 'jax-wasm', 0).timeToAccuracy! / row(config, 'ours-wasm', 1, other).timeToAccuracy!;
      near(ratio!, r, `${config}: the other row's ratio`);
      expect(r >= 2, `${config}: met with the other row`).toBe(met);
    }
  });
});

describe("bench/RESULTS.md's config e re-run after stop 39 is bench/results/e-run-39.json's", () => {
  const run39 = once(() => resultsFile('e-run-39.json'));
  const text = once(() => cut(RESULTS_TEXT, "**Config e again, after stop 39's changes to `fit`**", '\n## '));
  const row: ReturnType<typeof rowIn> = (config, system, threads, k) => rowIn(run39())(config, system, threads, k);

  it('the run: its command, date, commit, load, seconds, and every system agreed', () => {
    expect(run39().ok).toBe(true);
    expect(run39().failures).toEqual([]);
    expect(run39().command).toBe('npm run bench -- --configs e-sgd,e-adam --systems ours-webgpu,ours-wasm,ours-cpu,tfjs-webgl,jax-webgpu,jax-wasm --ours-wasm-threads 1,1,2 --jax-wasm-workers 0,1,2 --epochs 5 --name e-run-39');
    expect(text()).toContain(`main at ${run39().env.git?.commit} (clean)`);
    expect(run39().env.git?.dirty).toBe(false);
    expect(text()).toContain(`load average ${run39().env.load!.start[0]} at the start and ${run39().env.load!.end![0]} at the end, ${Math.round(run39().seconds!)} s of measuring`);
    expect(run39().rows.every((r) => r.status === 'ok' && r.agreement?.ok)).toBe(true);
  });

  it('the table: each goal, time to it and epoch 1', () => {
    checkETable(run39(), tableIn(text(), '| config e (5 epochs), e-run-39 |'), row);
  });

  it("target e: our fastest against the fastest peer, its repeat e-run-39b, and the run's own per-count target lines", () => {
    const [, sgd, sgdOurs, sgdPeer, adam, adamOurs, adamPeer] = /\*\*([\d.]+)×\*\* \(SGD: ([\d.]+) against ([\d.]+) s\) and \*\*([\d.]+)×\*\* \(Adam: ([\d.]+) against ([\d.]+) s\)/.exec(text())!;
    for (const [config, ratio, ours, peer, met] of [['e-sgd', sgd, sgdOurs, sgdPeer, false], ['e-adam', adam, adamOurs, adamPeer, true]] as const) {
      const { ours: fastestOurs, peer: fastestPeer } = fastestToGoal(run39(), config);
      nearPrinted(ours!, fastestOurs, `${config}: our fastest`);
      nearPrinted(peer!, fastestPeer, `${config}: the fastest peer`);
      nearPrinted(ratio!, fastestPeer / fastestOurs, `${config}: the ratio`);
      expect(fastestPeer / fastestOurs >= 2, config).toBe(met);
    }
    // Its repeat, e-run-39b: the same command but the name, and the verdict it changed (Adam under 2×).
    const run39b = resultsFile('e-run-39b.json');
    expect(run39b.ok).toBe(true);
    expect(run39b.command).toBe(run39().command.replace('--name e-run-39', '--name e-run-39b'));
    expect(run39b.env.git?.dirty).toBe(false);
    const repeat = cut(text(), 'A second run of the same command');
    expect(repeat).toContain(`main at ${run39b.env.git?.commit} (clean), load average ${run39b.env.load!.start[0]} at the start and ${run39b.env.load!.end![0]} at the end, ${Math.round(run39b.seconds!)} s`);
    const [, sgdB, sgdOursB, sgdPeerB, adamB, adamOursB, adamPeerB] = /\*\*([\d.]+)×\*\* \(SGD: ([\d.]+) against ([\d.]+) s\) and \*\*([\d.]+)×\*\* \(Adam: ([\d.]+) against ([\d.]+) s\)/.exec(repeat)!;
    for (const [config, ratio, ours, peer] of [['e-sgd', sgdB, sgdOursB, sgdPeerB], ['e-adam', adamB, adamOursB, adamPeerB]] as const) {
      const fastest = fastestToGoal(run39b, config);
      nearPrinted(ours!, fastest.ours, `e-run-39b ${config}: our fastest`);
      nearPrinted(peer!, fastest.peer, `e-run-39b ${config}: the fastest peer`);
      nearPrinted(ratio!, fastest.peer / fastest.ours, `e-run-39b ${config}: the ratio`);
      expect(Number(ratio), config).toBeLessThan(2);
    }
    // The target table's e row, as bench/RESULTS.md keeps it, gives this run's verdict.
    const eRow = verdictHistory('e');
    expect(eRow).toMatch(new RegExp(`Before them, \\*\\*no\\*\\*: after stop 39's changes to \`fit\` \\(\`e-run-39\`, config e alone, below\\) ${sgd!.replace('.', '\\.')}× on SGD, not met, and ${adam!.replace('.', '\\.')}× on Adam, met by 1 % in one fit each; a second run \\(\`e-run-39b\`\\) ${sgdB!.replace('.', '\\.')}× and ${adamB!.replace('.', '\\.')}×`));
    const [, one1, one2, two1, two2] = /1 thread ([\d.]+)× \(SGD\) and ([\d.]+)× \(Adam\) against jax-js\s+on its main thread; 2 threads ([\d.]+)× and ([\d.]+)× against jax-js on 2 workers/.exec(text())!;
    const line = (config: string, two: boolean) => run39().targets.find((x) => x.config === config && (two ? x.threads === 2 : x.versusThreads === 0))!;
    nearPrinted(one1!, line('e-sgd', false).got!, 'SGD, 1 thread');
    nearPrinted(one2!, line('e-adam', false).got!, 'Adam, 1 thread');
    nearPrinted(two1!, line('e-sgd', true).got!, 'SGD, 2 threads');
    nearPrinted(two2!, line('e-adam', true).got!, 'Adam, 2 threads');
  });
});

/**
 * A series of four runs of the published config e command (bench/RESULTS.md's table of them, between `from` and `to`):
 * `checkRuns` — each its command but the name, one clean commit, every system agreed, its load and length as the
 * table gives them; `checkFits` — each fit's fastest of ours (ours-wasm on 2 threads) and fastest peer (jax-js wasm
 * on its main thread), their seconds and ratio as the table prints them, the ratios returned.
 */
function eRunSeries(names: string[], from: string, to: string) {
  const runs = once(() => names.map((name) => resultsFile(`${name}.json`)));
  const text = once(() => cut(RESULTS_TEXT, from, to));
  const lines = once(() => names.map((name) => tableIn(text(), '| run | load average').find((cells) => cells[0] === name)!));
  const command = 'npm run bench -- --configs e-sgd,e-adam --systems ours-webgpu,ours-wasm,ours-cpu,tfjs-webgl,jax-webgpu,jax-wasm --ours-wasm-threads 1,1,2 --jax-wasm-workers 0,1,2 --epochs 5 --name ';
  const checkRuns = (): void => {
    runs().forEach((run, k) => {
      expect(run.ok, names[k]).toBe(true);
      expect(run.failures).toEqual([]);
      expect(run.command).toBe(command + names[k]);
      expect(run.env.git?.dirty).toBe(false);
      expect(text()).toContain(`main at ${run.env.git?.commit} (clean)`);
      expect(run.rows.every((r) => r.status === 'ok' && r.agreement?.ok), names[k]).toBe(true);
      expect(lines()[k][1]).toBe(`${run.env.load!.start[0]} / ${run.env.load!.end![0]}, ${Math.round(run.seconds!)} s`);
    });
    expect(new Set(runs().map((r) => r.env.git?.commit)).size).toBe(1);
  };
  const checkFits = (): number[] => {
    const ratios: number[] = [];
    runs().forEach((run, k) => {
      for (const [config, cell] of [['e-sgd', lines()[k][2]], ['e-adam', lines()[k][3]]] as const) {
        const [, ours, peer, ratio] = /^([\d.]+) against ([\d.]+) s: \*\*([\d.]+)×\*\*$/.exec(cell!)!;
        const fastest = fastestToGoal(run, config);
        nearPrinted(ours!, fastest.ours, `${names[k]} ${config}: ours`);
        nearPrinted(peer!, fastest.peer, `${names[k]} ${config}: the peer`);
        nearPrinted(ratio!, fastest.peer / fastest.ours, `${names[k]} ${config}: the ratio`);
        ratios.push(fastest.peer / fastest.ours);
        // "ours-wasm on 2 threads in every run" against "jax-js wasm on its main thread in every run".
        const tta = (r: (typeof run.rows)[number]) => r.config === config && r.timeToAccuracy !== undefined;
        const best = (systems: string[]) => run.rows.filter((r) => tta(r) && systems.includes(r.system)).sort((a, b) => a.timeToAccuracy! - b.timeToAccuracy!)[0];
        const oursBest = best(['ours-wasm', 'ours-webgpu', 'ours-cpu']);
        expect([oursBest.system, oursBest.threads], `${names[k]} ${config}`).toEqual(['ours-wasm', 2]);
        expect(best(['tfjs-webgl', 'jax-webgpu', 'jax-wasm']), `${names[k]} ${config}`).toBe(rowIn(run)(config, 'jax-wasm', 0));
      }
    });
    return ratios;
  };
  /** "e-sgd a×, b×, …; e-adam …" as the target row lists a series. */
  const listed = (config: string): string => runs().map((run) => { const f = fastestToGoal(run, config); return `${(f.peer / f.ours).toFixed(2)}×`; }).join(', ');
  return { runs, text, checkRuns, checkFits, listed };
}

describe("bench/RESULTS.md's config e after stop 40 is bench/results/e-run-40{,b,c,d}.json's", () => {
  const names = ['e-run-40', 'e-run-40b', 'e-run-40c', 'e-run-40d'];
  const { runs, text, checkRuns, checkFits, listed } = eRunSeries(names, "**Config e after stop 40's changes to `fit` on wasm**", '\n## ');

  it('the four runs: the same command but the name, one clean commit, every system agreed, each load and length', () => {
    checkRuns();
  });

  it('each fit: our fastest and the fastest peer (which systems), their seconds, the ratio; the verdict, here and in the target table', () => {
    const ratios = checkFits();
    const met = ratios.filter((r) => r >= 2).length;
    expect(text()).toContain(`**met in ${met} of these ${ratios.length} fits**`);
    expect(met).toBe(5);
    const eRow = verdictHistory('e');
    expect(eRow).toMatch(new RegExp(`After stop 40's changes, met in ${met} of 8 fits \\(\`e-run-40\` … \`e-run-40d\`, below\\)`));
    expect(eRow).toContain(`e-sgd ${listed('e-sgd')}; e-adam ${listed('e-adam')}.`);
  });

  it("the misses' 2-thread fits against those that met; the ranges of both systems' SGD times", () => {
    const epochs = (run: BenchResult, config: string) => {
      const r = run.rows.find((x) => x.config === config && x.system === 'ours-wasm' && x.threads === 2)!;
      return { first: r.epochs![0].at, later: r.epochs!.slice(1).map((e, k) => e.at - r.epochs![k].at) };
    };
    const met = (run: BenchResult, config: string) => { const f = fastestToGoal(run, config); return f.peer / f.ours >= 2; };
    const range = (xs: number[], d = 3) => `${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)}`;
    // e-run-40's Adam: a slow epoch 1.
    expect(met(runs()[0], 'e-adam')).toBe(false);
    const adamFirsts = runs().slice(1).map((r) => epochs(r, 'e-adam').first);
    expect(text()).toContain(`e-run-40's Adam had an epoch 1 of ${epochs(runs()[0], 'e-adam').first.toFixed(3)} s\n(${range(adamFirsts)} s in the other runs)`);
    // e-run-40c's and e-run-40d's SGD: slower later epochs than the SGD fits that met.
    expect([met(runs()[0], 'e-sgd'), met(runs()[1], 'e-sgd'), met(runs()[2], 'e-sgd'), met(runs()[3], 'e-sgd')]).toEqual([true, true, false, false]);
    const slow = [runs()[2], runs()[3]].flatMap((r) => epochs(r, 'e-sgd').later);
    const fast = [runs()[0], runs()[1]].flatMap((r) => epochs(r, 'e-sgd').later);
    const mean = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3);
    expect(text()).toContain(`later epochs of ${mean(slow)} s on average (${mean(fast)} s in\nthe SGD fits that met)`);
    const sgd = runs().map((run) => fastestToGoal(run, 'e-sgd'));
    expect(text()).toContain(`SGD goal moved ${range(sgd.map((f) => f.peer), 2)} s and ours ${range(sgd.map((f) => f.ours), 2)} s`);
    // "e-run-40c's Adam met the line with our slowest later epochs of the eight".
    const laterMean = (run: BenchResult, config: string) => { const l = epochs(run, config).later; return l.reduce((a, b) => a + b, 0) / l.length; };
    const all = runs().flatMap((run) => ['e-sgd', 'e-adam'].map((config) => ({ run, config, mean: laterMean(run, config) })));
    const slowest = all.reduce((a, b) => (b.mean > a.mean ? b : a));
    expect([names[runs().indexOf(slowest.run)], slowest.config]).toEqual(['e-run-40c', 'e-adam']);
    expect(met(runs()[2], 'e-adam')).toBe(true);
  });
});

describe("bench/RESULTS.md's config e at the end of stop 41 is bench/results/e-run-41{,b,c,d}.json's", () => {
  const names = ['e-run-41', 'e-run-41b', 'e-run-41c', 'e-run-41d'];
  const { runs, text, checkRuns, checkFits, listed } = eRunSeries(names, '**Config e at the end of stop 41**', '\n## ');

  it('the four runs: the same command but the name, one clean commit, every system agreed, each load and length', () => {
    checkRuns();
  });

  it('each fit: our fastest and the fastest peer (which systems), their seconds, the ratio; the verdict, here and in the target table; the miss', () => {
    const ratios = checkFits();
    const met = ratios.filter((r) => r >= 2).length;
    expect(met).toBe(7);
    expect(text()).toContain(`**met in ${met} of these ${ratios.length} fits**`);
    const eRow = verdictHistory('e');
    expect(eRow).toContain(`At the end of stop 41, met in ${met} of 8 fits (\`e-run-41\` … \`e-run-41d\`, below): e-sgd ${listed('e-sgd')}; e-adam ${listed('e-adam')}. After stop 40's`);
    // The miss: e-run-41b's SGD, with our slowest epoch 1 of the four SGD fits and its peer's fastest time.
    const missed = runs().flatMap((run, k) => ['e-sgd', 'e-adam'].filter((config) => { const f = fastestToGoal(run, config); return f.peer / f.ours < 2; }).map((config) => `${names[k]} ${config}`));
    expect(missed).toEqual(['e-run-41b e-sgd']);
    const first = runs().map((run) => run.rows.find((r) => r.config === 'e-sgd' && r.system === 'ours-wasm' && r.threads === 2)!.epochs![0].at);
    const others = first.filter((_, k) => k !== 1);
    expect(Math.max(...others)).toBeLessThan(first[1]);
    expect(text()).toContain(`our slowest epoch 1 of\nthe four SGD fits (${first[1].toFixed(3)} s; ${Math.min(...others).toFixed(3)}–${Math.max(...others).toFixed(3)} s in the others)`);
    const peers = runs().map((run) => fastestToGoal(run, 'e-sgd').peer);
    expect(Math.min(...peers)).toBe(peers[1]);
    expect(text()).toContain(`its peer's fastest time to the goal (${peers[1].toFixed(3)} s)`);
  });
});

describe("bench/RESULTS.md's config e at the start of stop 42 is bench/results/e-run-42{a,b,c,d}.json's", () => {
  const names = ['e-run-42a', 'e-run-42b', 'e-run-42c', 'e-run-42d'];
  const { runs, text, checkRuns, checkFits, listed } = eRunSeries(names, '**Config e at the start of stop 42**', '\n## ');
  const ratio = (run: BenchResult, config: string) => { const f = fastestToGoal(run, config); return f.peer / f.ours; };

  it('the four runs: the same command but the name, one clean commit, every system agreed, each load and length', () => {
    checkRuns();
  });

  it('each fit: our fastest and the fastest peer (which systems), their seconds, the ratio; the verdict, here and in the target table', () => {
    const ratios = checkFits();
    const met = ratios.filter((r) => r >= 2).length;
    expect(met).toBe(5);
    expect(text()).toContain(`**met in ${met} of these ${ratios.length} fits**`);
    const eRow = verdictHistory('e');
    // The row's verdict (its last cell, after the seven empty config columns) leads with these runs.
    expect(eRow).toContain(`With one fit a system: met in ${met} of 8 fits at the start of stop 42`);
    expect(eRow).toContain(`e-sgd ${listed('e-sgd')}; e-adam ${listed('e-adam')}. At the end of stop 41`);
  });

  it("the misses: the Adam fits' later epochs, the SGD fit's time; the twelve runs of stops 40–42", () => {
    const missed = runs().flatMap((run, k) => ['e-sgd', 'e-adam'].filter((config) => ratio(run, config) < 2).map((config) => `${names[k]} ${config}`));
    expect(missed).toEqual(['e-run-42a e-sgd', 'e-run-42c e-adam', 'e-run-42d e-adam']);
    const later = (run: BenchResult) => {
      const r = run.rows.find((x) => x.config === 'e-adam' && x.system === 'ours-wasm' && x.threads === 2)!;
      return r.epochs!.slice(1).map((e, k) => e.at - r.epochs![k].at);
    };
    const mean = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(4);
    const means = runs().map((run) => mean(later(run)));
    expect(Math.min(Number(means[2]), Number(means[3]))).toBeGreaterThan(Math.max(Number(means[0]), Number(means[1])));
    expect(text()).toContain(`(epochs 2–5: ${means[2]} and ${means[3]} s on average against ${means[0]}\nand ${means[1]} s in the two that met; e-run-42d's epoch 4 took ${later(runs()[3])[2].toFixed(3)} s)`);
    const sgd = runs().map((run) => fastestToGoal(run, 'e-sgd').ours);
    const others = sgd.slice(1);
    expect(Math.max(...others)).toBeLessThan(sgd[0]);
    expect(text()).toContain(`our slowest SGD time to\nthe goal (${sgd[0].toFixed(3)} s; ${Math.min(...others).toFixed(3)}–${Math.max(...others).toFixed(3)} s in the others)`);
    const all = ['e-run-40', 'e-run-40b', 'e-run-40c', 'e-run-40d', 'e-run-41', 'e-run-41b', 'e-run-41c', 'e-run-41d', ...names]
      .map((name) => resultsFile(`${name}.json`)).flatMap((run) => ['e-sgd', 'e-adam'].map((config) => ratio(run, config)));
    expect(text()).toContain(`Across the twelve runs of stops 40–42, ${all.filter((r) => r >= 2).length} of ${all.length} fits met the target;\nthe ratios spread ${Math.min(...all).toFixed(2)}–${Math.max(...all).toFixed(2)}×`);
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


describe("README's issue-10 summary: the 1.25× target's ranges in fair-run-57, fair-run-52, fair-run-46, fair-run-45b, fair-run-45, fair-run-44 and fair-run-38", () => {
  it('ours-wasm against jax-js wasm on b–d: 1 thread (its main thread, both page loads) and 2 (2 workers), each range from its JSON', () => {
    const text = cut(README_TEXT, "Issue 10's targets: ≥ 1.25× jax-js wasm at the same count", '≥ 3× TF.js wasm').replace(/\s+/g, ' ');
    const configs = ['b-mse', 'b-ce', 'c-mse', 'c-ce', 'd-mse', 'd-ce'];
    const ratios = (name: string, threads: number) => {
      const r = resultsFile(name);
      const med = (c: string, s: string, t: number, k = 0) => r.rows.filter((x) => x.config === c && x.system === s && x.threads === t)[k]!.msPerStep!.median;
      return threads === 1 ? configs.flatMap((c) => [0, 1].map((k) => med(c, 'jax-wasm', 0) / med(c, 'ours-wasm', 1, k))) : configs.map((c) => med(c, 'jax-wasm', 2) / med(c, 'ours-wasm', 2));
    };
    const range = (printed: string, values: number[], what: string) => {
      const [lo, hi] = printed.split('–');
      nearPrinted(lo!, Math.min(...values), `${what}: low`);
      nearPrinted(hi!, Math.max(...values), `${what}: high`);
    };
    const m = /now \(`fair-run-57` [^]*?\*\*met at 1 thread\*\* \(([\d.–]+)× on b–d, in both page loads; ([\d.–]+)× in `fair-run-52`; ([\d.–]+)× in `fair-run-46`; ([\d.–]+)× in `fair-run-45b`; ([\d.–]+)× in `fair-run-45`; ([\d.–]+)× in `fair-run-44`, before those blocks; in `fair-run-38`, before stop 44's wasm kernels, ([\d.–]+)×, c-mse at ([\d.]+)× in one of its two page loads\) and met at 2 \(([\d.–]+)×; ([\d.–]+)× in fair-run-52, ([\d.–]+)× in fair-run-46, ([\d.–]+)× in fair-run-45b, ([\d.–]+)× in fair-run-45, ([\d.–]+)× in fair-run-44\)/.exec(text);
    expect(m, 'the summary sentence').not.toBeNull();
    const runs = ['fair-run-57', 'fair-run-52', 'fair-run-46', 'fair-run-45b', 'fair-run-45', 'fair-run-44'];
    runs.forEach((name, i) => range(m![1 + i]!, ratios(`${name}.json`, 1), `${name}, 1 thread`));
    range(m![7]!, ratios('fair-run-38.json', 1), 'fair-run-38, 1 thread');
    nearPrinted(m![8]!, Math.min(...ratios('fair-run-38.json', 1)), 'fair-run-38, c-mse');
    runs.forEach((name, i) => range(m![9 + i]!, ratios(`${name}.json`, 2), `${name}, 2 threads`));
    // "met": every ratio of the four runs at or above the line.
    for (const name of runs.map((n) => `${n}.json`)) for (const t of [1, 2]) expect(Math.min(...ratios(name, t)), `${name} ${t}`).toBeGreaterThanOrEqual(1.25);
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
