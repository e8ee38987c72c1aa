/**
 * The benchmark's results in Node (issue 4): the Node runner's --quick on the CPU systems, the report files, the
 * Markdown and the steps/s chart, the bench page's table, status line and link (bench/page/), and merged wasm passes
 * at two thread counts (issue 14). The configs and the measuring protocol are test/bench.test.ts's. No timing is
 * asserted anywhere.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { measureAll, parseArgs, Progress } from '../bench/bench.ts';
import { mergeRuns } from '../bench/measure.ts';
import { type BenchConfig, CONFIG_A, type FitConfig, FULL_CONFIGS, materialize, QUICK_CONFIGS, QUICK_E, selectConfigs, startOf } from '../bench/configs.ts';
import { tfFit } from '../bench/fit-systems.ts';
import { runNodeBench } from '../bench/node.ts';
import { agree, type Driver, FULL_POLICY, type Row } from '../bench/protocol.ts';
import { checkTargets, ratios } from '../bench/targets.ts';
import { finish, writeOutputs } from '../bench/output.ts';
import { type BenchResult, describeConfigs, markdown, policyLine, wasmPeakLines, targetRatio } from '../bench/report.ts';
import { envLine, type RunEnv, systemLabel } from '../bench/labels.ts';
import { fewestCounts, rowColor, svgChart } from '../bench/chart.ts';
import { type SystemId, tfTrainer } from '../bench/systems.ts';
import { doneLine, nothingToRun, pageTable, rowCells, TABLE_HEAD } from '../bench/page/table.ts';
import { BenchLinkError, formLink, type PageQuery, parseQuery, queryOf } from '../bench/page/query.ts';
import { stubDriver } from './lib/bench-stub.ts';

const out = mkdtempSync(join(tmpdir(), 'bench-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('Node runner (--quick on the CPU systems)', () => {
  it('TF.js systems open together each run on their own backend (its backend is global; repetitions go round-robin)', async () => {
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm');
    const m = materialize(CONFIG_A);
    const cpu = await tfTrainer(tf, 'cpu', CONFIG_A, m);
    const wasm = await tfTrainer(tf, 'wasm', CONFIG_A, m); // opening it made wasm current
    // A step runs its ops on the backend current when it starts: train makes its own current first.
    await cpu.train(1);
    expect(tf.getBackend()).toBe('cpu');
    await wasm.train(1);
    expect(tf.getBackend()).toBe('wasm');
    await wasm.activate!();
    expect(tf.getBackend()).toBe('wasm');
    await cpu.activate!();
    expect(tf.getBackend()).toBe('cpu');
    cpu.dispose();
    wasm.dispose();
  }, 60_000);

  it('a TF.js system leaves no tensor behind once closed: a page that reruns holds no more than it did before (benchsoak51)', async () => {
    // The bench page keeps one TF.js for all its runs; each run opens and closes a trainer per config and backend. A
    // tensor left over each time is GPU memory on webgpu (12 buffers, 204 kB a run of a and q on SwiftShader).
    const tf = await import('@tensorflow/tfjs');
    for (const c of [CONFIG_A, ...QUICK_CONFIGS]) {
      await tf.setBackend('cpu');
      const before = tf.memory();
      const t = await tfTrainer(tf, 'cpu', c, materialize(c));
      await t.train(2);
      await t.inspect?.();
      await t.kernelMs?.(1);
      t.dispose();
      expect({ config: c.id, tensors: tf.memory().numTensors, bytes: tf.memory().numBytes }).toEqual({ config: c.id, tensors: before.numTensors, bytes: before.numBytes });
    }
  }, 60_000);

  it('a TF.js fit (config e) leaves no tensor behind either (benchsoak51)', async () => {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    for (const c of QUICK_E) {
      const f = c.fit!;
      // Any digits do: only what the fit leaves behind is looked at. One-hot labels, pixels in [0, 1).
      const digits = (n: number) => ({ n, X: Float32Array.from({ length: n * c.inputs }, (_, k) => (k % 97) / 97), Y: Float32Array.from({ length: n * 10 }, (_, k) => (k % 10 === Math.floor(k / 10) % 10 ? 1 : 0)) });
      const before = tf.memory();
      const { net, params } = startOf(c);
      await tfFit(tf, 'cpu', { config: c as BenchConfig & { fit: FitConfig }, m: { net, params, X: new Float32Array(0), Y: new Float32Array(0) }, train: digits(f.train), test: digits(f.test) });
      expect({ config: c.id, tensors: tf.memory().numTensors, bytes: tf.memory().numBytes }).toEqual({ config: c.id, tensors: before.numTensors, bytes: before.numBytes });
    }
  }, 60_000);

  it('every system runs every quick config and they agree; the JSON, Markdown and SVG are written', async () => {
    const o = { ...parseArgs(['--quick', '--out', out, '--target-ms', '5'], 'node'), quiet: true };
    const result = await runNodeBench(o, 'test');
    expect(result.failures).toEqual([]);
    expect(result.rows).toHaveLength(QUICK_CONFIGS.length * 4);
    for (const r of result.rows) {
      if (r.system === 'scalar' && r.config !== 'a') {
        expect(r.status).toBe('skipped');
        continue;
      }
      expect(r.status, `${r.config} ${r.system}: ${r.error ?? ''}`).toBe('ok');
      expect(r.agreement?.ok).toBe(true);
      expect(r.stepsPerSec).toBeGreaterThan(0);
      expect(r.reps).toBeGreaterThanOrEqual(5);
    }
    const files = writeOutputs(result, out, 'node-test', false);
    for (const f of files) expect(existsSync(f)).toBe(true);
    const json = JSON.parse(readFileSync(join(out, 'node-test.json'), 'utf8'));
    expect(json.rows[0]).toHaveProperty('msPerStep.median');
    expect(json.env.cpu.cores).toBeGreaterThan(0);
    expect(markdown(result)).toContain('| a | ours-cpu |');
    expect(svgChart(result)).toContain('<svg');
  }, 120_000);
});

describe('the output files', () => {
  it('a run without config e removes the NAME-tta.svg an earlier run of the same name wrote', () => {
    // A committed full run (fixture) has config e rows, so it writes a tta chart; the same run without them must not
    // leave that chart beside its own files.
    const withE = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'bench', 'results', 'fair-run.json'), 'utf8')) as BenchResult;
    const dir = mkdtempSync(join(tmpdir(), 'bench-out-'));
    try {
      expect(writeOutputs(withE, dir, 'run', false)).toContain(join(dir, 'run-tta.svg'));
      expect(existsSync(join(dir, 'run-tta.svg'))).toBe(true);
      const withoutE = { ...withE, rows: withE.rows.filter((r) => !r.config.startsWith('e-')) };
      expect(writeOutputs(withoutE, dir, 'run', false)).not.toContain(join(dir, 'run-tta.svg'));
      expect(existsSync(join(dir, 'run-tta.svg'))).toBe(false);
      // e rows of one epoch each (the quick qe): no chart to write either.
      writeOutputs(withE, dir, 'run', false);
      const oneEpoch = { ...withE, rows: withE.rows.map((r) => ({ ...r, epochs: r.epochs?.slice(0, 1) })) };
      expect(writeOutputs(oneEpoch, dir, 'run', false)).not.toContain(join(dir, 'run-tta.svg'));
      expect(existsSync(join(dir, 'run-tta.svg'))).toBe(false);
      expect(existsSync(join(dir, 'run.json'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the Markdown says how the rows were timed', () => {
  it('repetitions, their calibrated length and the cap budget (or --rep-steps), and that config e is one fit a system', () => {
    const fair = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'bench', 'results', 'fair-run.json'), 'utf8')) as BenchResult;
    // The fair run's command: --reps 3 --budget-s 15, the full policy's 200 ms repetitions, calibrated by the rule of
    // its day (no repMs in its rows), with config e.
    expect(fair.rows.some((r) => r.repMs)).toBe(false);
    expect(markdown(fair)).toContain('Timing: 3 timed repetitions a row, their steps calibrated toward 200 ms from the first warm-up call that lasted ≥ 100 ms (the rule before 2026-12-03; at most 1048576 steps); a row whose repetitions would take over 15 s gets max(2, ⌊15 s / step time⌋) repetitions of one step (`*`); config e: one fit per system, the systems one after another.');
    // A run of today's rule (rows with repMs) without config e.
    const today = { ...fair, rows: fair.rows.filter((r) => !/^e-/.test(r.config)).map((r) => ({ ...r, repMs: { median: 1, min: 1, max: 1 } })) };
    expect(markdown(today)).toContain('Timing: 3 timed repetitions a row, their steps calibrated toward 200 ms (a warm-up call of that many lasted ≥ 100 ms at a steady speed after a warm-up, or a calibration bound was hit: at most 1048576 steps; `†`: a median repetition under 100 ms); a row whose repetitions would take over 15 s gets max(2, ⌊15 s / step time⌋) repetitions of one step (`*`).\n');
    // Config e alone (review bench47 item 6): no row timed in repetitions, so no calibration rule — not the rule
    // before 2026-12-03 that a run without repMs rows was taken for — only its fits.
    const eAlone = { ...fair, rows: fair.rows.filter((r) => /^e-/.test(r.config)) };
    expect(eAlone.rows.length).toBeGreaterThan(0);
    expect(markdown(eAlone).split('\n').filter((l) => l.startsWith('Timing:'))).toEqual(['Timing: config e: one fit per system, the systems one after another.']);
    const fixed = parseArgs(['--quick', '--rep-steps', '7'], 'node').policy;
    expect(policyLine(fixed, { repMs: true, fit: false })).toBe('Timing: 5 timed repetitions a row, 7 steps each (--rep-steps: no calibration, no cap rule).');
  });

  it('--reps 1: a capped row runs one repetition, and the Timing line says so (it said max(2, …) repetitions)', async () => {
    const o = { ...parseArgs(['--configs', 'a', '--systems', 'ours-cpu', '--reps', '1', '--budget-s', '3'], 'node'), quiet: true };
    // 10 s a step: one repetition at the first calibration call's step time already passes the 3 s budget, so the row is capped.
    const result = await measureAll(stubDriver({}, 10_000), o, o.configs, { runner: 'node', cpu: { model: 'x', cores: 2 } }, 'test', new Progress(true));
    expect(result.rows.map((r) => [r.capped, r.reps, r.stepsPerRep])).toEqual([[true, 1, 1]]);
    expect(markdown(result)).toContain('Timing: 1 timed repetition a row, their steps calibrated toward 200 ms');
    expect(markdown(result)).toContain('a row whose repetitions would take over 3 s gets 1 repetition of one step (`*`).');
  });

  it('a run whose only config e row failed before its first epoch still says config e is one fit a system (review mut3 R8)', () => {
    const policy = { reps: 5, targetRepMs: 10, maxStepsPerRep: 1e6, rowBudgetMs: 1000, minReps: 2, inspect: false };
    const a: Row = { system: 'ours-cpu', config: 'a', status: 'ok', agreeSteps: 5, repMs: { median: 10, min: 10, max: 10 }, msPerStep: { median: 1, min: 1, max: 1 }, reps: 5, stepsPerRep: 10, capped: false };
    const e: Row = { system: 'ours-cpu', config: 'e-sgd', status: 'error', error: 'x', agreeSteps: 0 };
    const result = { mode: 'custom', date: 'd', command: 'c', env: { runner: 'node', cpu: { model: 'x', cores: 1 } }, policy, configs: [], systems: [], targets: [], ok: false, failures: ['x'], seconds: 0 } as unknown as BenchResult;
    expect(markdown({ ...result, rows: [a, e] })).toContain('config e: one fit per system');
    expect(markdown({ ...result, rows: [a] })).not.toContain('config e');
  });
});

describe('the steps/s chart', () => {
  // A committed full run (fixture): ours-wasm at 1 and 2 threads, jax-wasm at 1 and 2 workers, a long environment line.
  const result = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'bench', 'results', 'full-run.json'), 'utf8')) as BenchResult;
  const svg = svgChart(result);
  const fillOf = (title: string) => svg.match(new RegExp(`fill="(#[0-9a-f]{6})"[^>]*><title>${title.replace(/[()]/g, '\\$&')}:`))?.[1];
  const legendFill = (label: string) => svg.match(new RegExp(`fill="(#[0-9a-f]{6})"/>\\n<text[^>]*>${label.replace(/[()]/g, '\\$&')}</text>`))?.[1];

  it('a second thread count is its own colour (the same hue, half-way to white), in the bars and the legend', () => {
    expect(rowColor({ system: 'ours-wasm', threads: 1 })).toBe('#7f7f7f');
    expect(rowColor({ system: 'ours-wasm', threads: 2 })).toBe('#bfbfbf'); // 0x7f / 2 + 255 / 2 = 191 = 0xbf
    for (const [one, two] of [['ours-wasm (1 thread)', 'ours-wasm (2 threads)'], ['jax-wasm (1 worker)', 'jax-wasm (2 workers)']]) {
      const [a, b] = [fillOf(`b-mse ${one}`), fillOf(`b-mse ${two}`)];
      expect(a).toBeDefined();
      expect(b).toBeDefined();
      expect(a).not.toBe(b);
      expect(legendFill(one)).toBe(a);
      expect(legendFill(two)).toBe(b);
    }
  });

  it('jax-wasm\'s 0, 1 and 2 workers are three colours: its hue, half-way to white, 70 % of the way (0 and 1 were one)', () => {
    // jax-wasm #bcbd22: 0 workers (its main thread) the hue itself; 1 worker 0xbc/2 + 255/2 = 221.5 → 222 = 0xde,
    // 0xbd → 222 = 0xde, 0x22 → 144.5 → 145 = 0x91; 2 workers 0.3·0xbc + 0.7·255 = 234.9 → 0xeb, 0.3·0xbd + 178.5 =
    // 235.2 → 0xeb, 0.3·0x22 + 178.5 = 188.7 → 0xbd.
    expect(rowColor({ system: 'jax-wasm', threads: 0 })).toBe('#bcbd22');
    expect(rowColor({ system: 'jax-wasm', threads: 1 })).toBe('#dede91');
    expect(rowColor({ system: 'jax-wasm', threads: 2 })).toBe('#ebebbd');
    // ours-wasm counts from 1 thread: 3 threads 0.3·0x7f + 178.5 = 216.6 → 0xd9.
    expect(rowColor({ system: 'ours-wasm', threads: 3 })).toBe('#d9d9d9');
    // The published run's chart: no two legend entries of jax-wasm share a swatch.
    const fair = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'bench', 'results', 'fair-run-52.json'), 'utf8')) as BenchResult;
    const chart = svgChart(fair);
    const swatches = [...chart.matchAll(/fill="(#[0-9a-f]{6})"\/>\n<text[^>]*>(jax-wasm[^<]*)<\/text>/g)].map(([, fill]) => fill);
    expect(swatches).toHaveLength(3);
    expect(new Set(swatches).size).toBe(3);
    expect(swatches[0]).toBe('#bcbd22'); // 0 workers, the run's fewest: the hue itself
  });

  it('a run at the default 1 worker alone draws jax-wasm in its own hue (the run\'s fewest count), 2 workers beside it lighter', () => {
    const row = (threads: number): Row => ({ system: 'jax-wasm', config: 'b-mse', status: 'ok', agreeSteps: 2, threads, stepsPerSec: 100 });
    expect(rowColor(row(1), fewestCounts([row(1)]))).toBe('#bcbd22');
    // 1 and 2 workers: 1 the hue, 2 half-way to white (0xbc/2 + 127.5 = 221.5 → 0xde; 0x22 → 144.5 → 0x91).
    const both = fewestCounts([row(1), row(2)]);
    expect([rowColor(row(1), both), rowColor(row(2), both)]).toEqual(['#bcbd22', '#dede91']);
    // An erred 0-worker row draws nothing: the 1-worker row drawn is the base (read56b: it came out pale).
    const erred: Row = { ...row(0), status: 'error', stepsPerSec: undefined };
    expect(rowColor(row(1), fewestCounts([erred, row(1)]))).toBe('#bcbd22');
    // The chart of such a run: its one jax-wasm swatch is the hue.
    const chart = svgChart({ ...result, rows: [row(1)], configs: result.configs } as BenchResult);
    expect(chart).toMatch(/fill="#bcbd22"\/>\n<text[^>]*>jax-wasm \(1 worker\)<\/text>/);
  });

  it('a label measured twice in a config (ours-wasm on 1 thread in two page loads) has a bar for each, in the legend too', () => {
    // The published run: --ours-wasm-threads 1,1,2, so each config has two ours-wasm (1 thread) rows (the chart drew the first only).
    const fair = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'bench', 'results', 'fair-run-52.json'), 'utf8')) as BenchResult;
    const chart = svgChart(fair);
    const twice = fair.rows.filter((r) => r.config === 'b-mse' && systemLabel(r) === 'ours-wasm (1 thread)');
    expect(twice).toHaveLength(2);
    const titles = [...chart.matchAll(/<title>b-mse ours-wasm \(1 thread\)([^:]*): ([\d.]+)(k?) steps\/s<\/title>/g)];
    expect(titles.map(([, more]) => more)).toEqual(['', ', 2nd row']);
    // Each bar's printed steps/s (3 significant digits) is its own row's.
    titles.forEach(([, , value, k], j) => expect(Math.abs(Number(value) * (k ? 1000 : 1) / twice[j].stepsPerSec! - 1)).toBeLessThan(0.005));
    expect(chart).toMatch(/<text[^>]*>ours-wasm \(1 thread\), 2nd row<\/text>/);
  });

  it('the environment footer wraps to the chart\'s width instead of widening it', () => {
    const width = Number(svg.match(/<svg[^>]* width="(\d+)"/)![1]);
    const footer = [...svg.matchAll(/<text x="(\d+)" y="[\d.]+" fill="#555">([^<]*)<\/text>/g)];
    expect(footer.length).toBeGreaterThan(1);
    // ~6 px a character at font-size 11 (the chart's own estimate); unescape &quot; etc. before counting.
    for (const [, x, t] of footer) expect(Number(x) + 6 * t.replace(/&[a-z]+;/g, '_').length).toBeLessThanOrEqual(width);
    expect(footer.map(([, , t]) => t).join(' · ').replace(/&quot;/g, '"')).toBe(envLine(result.env));
  });

  it('a part longer than the chart is wide (a WebGL renderer string) wraps at its spaces, nothing clipped (review page item 7)', () => {
    const renderer = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver-5.0.0) and a WordLongerThanAnyLineOfTheFooter'.padEnd(180, 'x');
    const long = { ...result, env: { ...result.env, tfjs: { ...result.env.tfjs, webglRenderer: renderer, webglVendor: 'Google Inc. (Google)' } } };
    const one = { ...long, configs: long.configs.filter((c) => c.id === 'a'), rows: long.rows.filter((r) => r.config === 'a') };
    const small = svgChart(one);
    const width = Number(small.match(/<svg[^>]* width="(\d+)"/)![1]);
    const footer = [...small.matchAll(/<text x="(\d+)" y="[\d.]+" fill="#555">([^<]*)<\/text>/g)].map(([, x, t]) => [Number(x), t.replace(/&quot;/g, '"')] as const);
    for (const [x, t] of footer) expect(x + 6 * t.length, t).toBeLessThanOrEqual(width);
    // Every character is there, in order (the cuts fall at ' · ', at spaces, or inside a word longer than a line).
    const squash = (t: string) => t.replace(/ · | /g, '');
    expect(squash(footer.map(([, t]) => t).join(''))).toBe(squash(envLine(long.env)));
    expect(footer.some(([, t]) => t.startsWith('(Subzero)') || t.includes('SwiftShader driver-5.0.0)'))).toBe(true);
  });

  it("an apostrophe in the environment (an adapter's name) is escaped as in the CLI's plot: & < > \" ' all five", () => {
    const named = { ...result, env: { ...result.env, webgpu: { available: true, vendor: 'acme', adapterDescription: `Acme's <GPU> & "co"` } } };
    const footer = [...svgChart(named).matchAll(/<text x="\d+" y="[\d.]+" fill="#555">([^<]*)<\/text>/g)].map(([, t]) => t).join(' ');
    expect(footer).toContain('&quot;Acme&#39;s &lt;GPU&gt; &amp; &quot;co&quot;&quot;');
    expect(footer).not.toContain("'");
  });

  it('a run of one config is wide enough for its title (8 px a character at the least, bold 14 px; in DejaVu Sans: bench-chart-text-width.test.ts)', () => {
    const one = { ...result, configs: result.configs.filter((c) => c.id === 'a'), rows: result.rows.filter((r) => r.config === 'a') };
    const small = svgChart(one);
    const width = Number(small.match(/<svg[^>]* width="(\d+)"/)![1]);
    const [, x, title] = small.match(/<text x="(\d+)" y="20" font-size="14" font-weight="bold">([^<]*)<\/text>/)!;
    expect(title).toMatch(/^steps\/s per config and system/);
    expect(Number(x) + 8 * title.length).toBeLessThanOrEqual(width);
  });
});

describe('the bench page\'s Run and its status line (bench/page/table.ts)', () => {
  it('Run with no system or no config says so instead of starting', () => {
    expect(nothingToRun(0, 3)).toBe('nothing to run: no config selected — tick at least one system and one config');
    expect(nothingToRun(2, 0)).toBe('nothing to run: no system selected — tick at least one system and one config');
    expect(nothingToRun(0, 0)).toBe('nothing to run: no system and no config selected — tick at least one system and one config');
    expect(nothingToRun(1, 1)).toBeNull();
  });

  it('the table says each wasm row\'s count and has the Markdown\'s `vs X` ratio columns, "(vs 1 worker)" where the row has no count (review page item 2)', () => {
    const row = (system: SystemId, stepsPerSec: number, threads?: number): Row => ({ system, config: 'b-mse', status: 'ok', agreeSteps: 20, stepsPerSec, ...(threads ? { threads } : {}) });
    const rows = [row('ours-webgpu', 2000), row('ours-wasm', 10, 1), row('tfjs-wasm', 5, 1), row('jax-wasm', 1, 1)];
    ratios(rows);
    const { head, body } = pageTable(rows);
    // No row fitted (config e) and none has a loss: e's columns are left out (test/bench-page.test.ts).
    expect(head).toEqual(['config', 'system', 'time/step (median)', 'steps/s', 'loss after N', 'agreement', 'vs tfjs-wasm', 'vs jax-wasm']);
    expect(body.map((c) => [c[1], ...c.slice(-2)])).toEqual([
      ['ours-webgpu', '400× (vs 1 thread)', '2000× (vs 1 worker)'],
      ['ours-wasm (1 thread)', '2.00×', '10.0×'],
      ['tfjs-wasm (1 thread)', '—', '5.00×'],
      ['jax-wasm (1 worker)', '0.20×', '—'],
    ]);
    // The Markdown's table says the same (one formatting code for both).
    const md = markdown({ mode: 'quick', date: 'd', command: 'c', env: { runner: 'browser', cpu: { model: 'x', cores: 2 } }, configs: [], rows, targets: [], ok: true, failures: [], seconds: 0 } as unknown as BenchResult);
    expect(md).toContain('| ours-webgpu |');
    expect(md).toMatch(/\| 400× \(vs 1 thread\) \| 2000× \(vs 1 worker\) \|/);
  });

  it('the page\'s table marks a capped row * and a row of short repetitions †, as the Markdown does, with a note saying what they mean', () => {
    const policy = { reps: 5, targetRepMs: 200, maxStepsPerRep: 1e6, rowBudgetMs: 45_000, minReps: 2, inspect: false };
    const row = (system: SystemId, repMs: number, capped = false): Row => ({
      system, config: 'b-mse', status: 'ok', agreeSteps: 20, stepsPerSec: 100, msPerStep: { median: 10, min: 10, max: 10 }, capped, reps: 5, stepsPerRep: 6,
      repMs: { median: repMs, min: repMs, max: repMs },
    });
    const rows = [row('ours-cpu', 190), row('ours-wasm', 60), row('tfjs-wasm', 10, true)];
    const ms = TABLE_HEAD.indexOf('time/step (median)');
    const { body, note } = pageTable(rows, { policy });
    expect(body.map((c) => c[ms])).toEqual(['10.0 ms', '10.0 ms†', '10.0 ms*']);
    expect(note).toBe('*: capped, repetitions of one step (the row would have passed its time budget) · †: the median repetition lasted under half the 200 ms target (the JSON\'s repMs)');
    // The same rows in the Markdown: the same marks (one rule, report.ts shortReps).
    expect(markdown({ mode: 'full', date: 'd', command: 'c', env: { runner: 'browser', cpu: { model: 'x', cores: 2 } }, policy, configs: [], rows, targets: [], ok: true, failures: [], seconds: 0 } as unknown as BenchResult)).toMatch(/ours-wasm .*†/);
    expect(pageTable(rows.slice(0, 1), { policy }).note).toBe('');
  });

  it('without ours-cpu the agreement is against another system, and the table and the Markdown footnote name it (review page item 5)', () => {
    const row = (system: SystemId, config: string, finalLoss: number): Row => ({ system, config, status: 'ok', agreeSteps: 10, finalLoss, stepsPerSec: 1 });
    const a = selectConfigs(['a'])[0];
    const rows = [row('ours-webgpu', 'a', 0.25), row('jax-wasm', 'a', 0.25 * (1 + 1e-6))];
    agree(rows, a);
    const cell = (r: Row) => rowCells(r)[TABLE_HEAD.indexOf('agreement')];
    expect(cell(rows[0])).toBe('reference (the others are judged against it)');
    expect(cell(rows[1])).toBe('agrees with ours-webgpu (rel. err 1.0e-6)');
    const md = (rs: Row[]) => markdown({ mode: 'quick', date: 'd', command: 'c', env: { runner: 'browser', cpu: { model: 'x', cores: 2 } }, configs: [], rows: rs, targets: [], ok: true, failures: [], seconds: 0 } as unknown as BenchResult);
    expect(md(rows)).toContain('after N steps, ref = ours-webgpu (ours-cpu was not in the run: the first row with a loss).');
    expect(md(rows)).not.toContain('ref = ours-cpu');
    // With ours-cpu on one config only (f-like: GPU systems), each config's reference is said.
    const b = selectConfigs(['b-mse'])[0];
    const withCpu = [row('ours-cpu', 'b-mse', 1), row('ours-webgpu', 'b-mse', 1)];
    agree(withCpu, b);
    expect(cell(withCpu[1])).toBe('agrees with ours-cpu (rel. err 0.0e+0)');
    expect(md(withCpu)).toContain('after N steps, ref = ours-cpu.');
    expect(md([...withCpu, ...rows])).toContain('ref = ours-cpu, or where it did not run the first row with a loss: a ours-webgpu.');
  });

  it('ours-webgpu\'s auto row names the kernels auto picked on the run\'s adapter (env.webgpu.variant), in the page\'s table and the Markdown alike (review benchpolish35 item 1)', () => {
    const row = (variant: 'auto' | 'tiled', config: string, finalLoss: number, more: Partial<Row> = {}): Row => ({ system: 'ours-webgpu', variant, config, status: 'ok', agreeSteps: 10, finalLoss, stepsPerSec: 1, ...more });
    const [b, e] = selectConfigs(['b-mse', 'e-sgd']);
    // No ours-cpu: the auto row is b-mse's reference, so the tiled row's agreement cell names it too.
    const inspect = { dispatchesPerStep: 1, kernels: [{ label: 'forward', count: 1, us: 10, bytes: 4096, workgroups: 4 }] };
    // The auto row's repetitions were short (†): the Markdown's note and the terminal's line name it too.
    const rows = [row('auto', 'b-mse', 0.25, { inspect, repMs: { median: 20, min: 20, max: 20 } }), row('tiled', 'b-mse', 0.25 * (1 + 1e-6))];
    agree(rows, b);
    const epochs = [{ epoch: 1, at: 2, loss: 0.5, testAccuracy: 0.8 }, { epoch: 2, at: 3, loss: 0.4, testAccuracy: 0.9 }];
    const fit = row('auto', 'e-sgd', 0.4, { epochs, timeToAccuracy: 3 });
    // As the page records it on SwiftShader with the subgroups feature (bench/page/main.ts env: the backend's variant).
    const env: RunEnv = { runner: 'browser', cpu: { model: 'x', cores: 2 }, webgpu: { available: true, vendor: 'google', architecture: 'swiftshader', variant: 'blocked-subgroup' } };
    const result = { mode: 'quick', date: 'd', command: 'c', env, policy: FULL_POLICY, configs: describeConfigs([b, e]), rows: [...rows, fit], targets: [], ok: true, failures: [], seconds: 0 } as unknown as BenchResult;
    const { body } = pageTable(result.rows, { env });
    const at = (h: string) => TABLE_HEAD.indexOf(h);
    expect(body.map((c) => [c[at('system')], c[at('agreement')]])).toEqual([
      ['ours-webgpu (auto: blocked-subgroup)', 'reference (the others are judged against it)'],
      ['ours-webgpu (tiled)', 'agrees with ours-webgpu (auto: blocked-subgroup) (rel. err 1.0e-6)'],
      ['ours-webgpu (auto: blocked-subgroup)', '…'],
    ]);
    const md = markdown(result);
    expect(md).toContain('| b-mse | ours-webgpu (auto: blocked-subgroup) |');
    expect(md).toContain('| b-mse | ours-webgpu (tiled) |');
    expect(md).toContain('ref = ours-webgpu (auto: blocked-subgroup) (ours-cpu was not in the run');
    expect(md).toContain('| ours-webgpu (auto: blocked-subgroup) | 2.00 s |'); // config e's epoch table
    expect(md).toContain('**b-mse** ours-webgpu (auto: blocked-subgroup) — 1 dispatches'); // the per-dispatch profile
    expect(md).toContain('under half the 200 ms target (b-mse ours-webgpu (auto: blocked-subgroup) 20.0 ms)');
    expect(md).not.toMatch(/ours-webgpu \(auto\)/);
    // The terminal's lines at the end of a run (bench/output.ts finish): the † line and config e's epochs line.
    const dir = mkdtempSync(join(tmpdir(), 'bench-auto-'));
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { lines.push(a.join(' ')); });
    try {
      finish(result, { dir, name: 'auto', stamped: false });
    } finally {
      log.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(lines.find((l) => l.startsWith('†:'))).toContain('(b-mse ours-webgpu (auto: blocked-subgroup))');
    expect(lines.find((l) => l.startsWith('e-sgd '))).toMatch(/^e-sgd ours-webgpu \(auto: blocked-subgroup\): 2\.00 s 80\.0%/);
    expect(lines.join('\n')).not.toMatch(/ours-webgpu \(auto\)/);
    // An env that does not name the kernels (a result written before it did): the row is `auto`, as before.
    const bare = { ...env, webgpu: { available: true } };
    expect(pageTable(rows, { env: bare }).body[0][at('system')]).toBe('ours-webgpu (auto)');
    expect(markdown({ ...result, env: bare })).toContain('| b-mse | ours-webgpu (auto) |');
  });

  it('not cross-origin isolated, jax-wasm on 0 workers (its main thread: one thread of compute) is paired with ours-wasm on 1 thread, and says so (review page item 6)', () => {
    const row = (system: SystemId, stepsPerSec: number, threads?: number): Row => ({ system, config: 'b-mse', status: 'ok', agreeSteps: 20, stepsPerSec, ...(threads !== undefined ? { threads } : {}) });
    const rows = [row('ours-webgpu', 300), row('ours-wasm', 30, 1), row('tfjs-wasm', 10, 1), row('jax-wasm', 20, 0)];
    ratios(rows);
    expect(rows[1].ratios?.['jax-wasm']).toBeCloseTo(1.5, 12);
    expect(rows[3].ratios?.['tfjs-wasm']).toBeCloseTo(2, 12);
    const { body } = pageTable(rows);
    expect(body.map((c) => [c[1], ...c.slice(-2)])).toEqual([
      ['ours-webgpu', '30.0× (vs 1 thread)', '15.0× (vs 0 workers: its main thread)'],
      ['ours-wasm (1 thread)', '3.00×', '1.50× (vs 0 workers: its main thread)'],
      ['tfjs-wasm (1 thread)', '—', '0.50× (vs 0 workers: its main thread)'],
      ['jax-wasm (0 workers: its main thread)', '2.00× (vs 1 thread)', '—'],
    ]);
    const targets = checkTargets(rows, selectConfigs(['b-mse']));
    // Each side's count, as config e's lines name them (review bench46 item 6: the line named only jax-wasm's).
    expect(targets.find((t) => t.system === 'ours-wasm' && t.versus === 'jax-wasm')).toMatchObject({ got: 1.5, met: true, systemThreads: 1, versusThreads: 0 });
    expect(targets.find((t) => t.system === 'ours-wasm' && t.versus === 'tfjs-wasm')).toMatchObject({ got: 3, threads: 1 });
    const md = markdown({ mode: 'quick', date: 'd', command: 'c', env: { runner: 'browser', cpu: { model: 'x', cores: 2 }, crossOriginIsolated: false }, configs: [], rows, targets, ok: true, failures: [], seconds: 0 } as unknown as BenchResult);
    expect(md).toContain('| b-mse: ours-wasm (1 thread) vs jax-wasm (vs 0 workers: its main thread) | ≥ 1.25× | 1.50× | yes |');
    expect(md).toContain('| b-mse: ours-wasm vs tfjs-wasm (both 1) | ≥ 3× | 3.00× | yes |');
    expect(md).toContain('`jax-wasm (0 workers: its main thread)`: not cross-origin isolated, jax-js has no worker pool and runs each kernel on the page\'s main thread');
    // ours-wasm with 2 threads asked whose net ran on 1 (too small to split: its label says so) is named by the 1 it ran
    // on (review bench47 item 5: the line said `ours-wasm (2 threads) vs tfjs-wasm (vs 1 thread)`).
    const small = [{ ...row('ours-wasm', 30, 2), netThreads: 1 }, row('tfjs-wasm', 10, 1), row('jax-wasm', 15, 0)];
    ratios(small);
    const lines = markdown({ mode: 'quick', date: 'd', command: 'c', env: { runner: 'browser', cpu: { model: 'x', cores: 2 }, crossOriginIsolated: false }, configs: [], rows: small, targets: checkTargets(small, selectConfigs(['b-mse'])), ok: true, failures: [], seconds: 0 } as unknown as BenchResult)
      .split('\n').filter((l) => l.startsWith('| b-mse: ours-wasm'));
    expect(lines).toEqual([
      '| b-mse: ours-wasm vs tfjs-wasm (both 1) | ≥ 3× | 3.00× | yes |',
      '| b-mse: ours-wasm (1 thread) vs jax-wasm (vs 0 workers: its main thread) | ≥ 1.25× | 2.00× | yes |',
    ]);
  });

  it('the env line names how TF.js\'s wasm threads were asked for: the page\'s tfjsThreads, or npm run bench\'s flag (review page item 9)', () => {
    const tfjs = { version: '4.22.0', wasmThreads: 2, wasmThreadsRequested: 2, wasmHardwareConcurrencyShown: 4 };
    const page = envLine({ runner: 'browser', cpu: { model: 'x', cores: 4 }, tfjs });
    expect(page).toContain('TF.js 4.22.0 (wasm threads: 2, tfjsThreads=2, its module shown hardwareConcurrency 4)');
    expect(page).not.toContain('--tfjs-wasm-threads');
    const cli = envLine({ runner: 'browser', cpu: { model: 'x', cores: 4 }, tfjs, chromium: { flags: ['--enable-unsafe-webgpu'], commandLine: [] } });
    expect(cli).toContain('TF.js 4.22.0 (wasm threads: 2, --tfjs-wasm-threads 2, its module shown hardwareConcurrency 4)');
  });

  it('a run in which nothing ran does not say every system agreed', () => {
    const base = { ok: true, failures: [], seconds: 0.2 } as unknown as BenchResult;
    expect(doneLine({ ...base, rows: [] })).toBe('done in 0.2 s: nothing ran');
    const skipped: Row = { system: 'scalar', config: 'b-mse', status: 'skipped', agreeSteps: 5, error: 'too big' };
    expect(doneLine({ ...base, rows: [skipped] })).toBe('done in 0.2 s: nothing ran (1 skipped)');
    const ran: Row = { system: 'ours-cpu', config: 'b-mse', status: 'ok', agreeSteps: 5 };
    expect(doneLine({ ...base, rows: [ran, ran, skipped] })).toBe('done in 0.2 s: 2 rows ran and agreed (1 skipped)');
    expect(doneLine({ ...base, ok: false, failures: ['a jax-wasm: loss 1 vs ours-cpu 2'], rows: [ran] })).toBe('done: a jax-wasm: loss 1 vs ours-cpu 2');
    // One decimal under 10 s (a quick run read "done in 0 s"), whole seconds from 10 on.
    expect(doneLine({ ...base, seconds: 9.96, rows: [ran] })).toBe('done in 10.0 s: 1 row ran and agreed');
    expect(doneLine({ ...base, seconds: 417.4, rows: [ran] })).toBe('done in 417 s: 1 row ran and agreed');
  });
});

describe('the bench page\'s link (bench/page/query.ts)', () => {
  it('reads configs, systems, quick, autorun and the counts', () => {
    expect(parseQuery('')).toEqual({ quick: false, autorun: false, driven: false });
    expect(parseQuery('?configs=a,%20b-mse&systems=ours-cpu,jax-wasm&quick=1&autorun=1&jaxWorkers=2&oursWasmThreads=3&tfjsThreads=1')).toEqual({
      configs: ['a', 'b-mse'], systems: ['ours-cpu', 'jax-wasm'], quick: true, autorun: true, driven: false, jaxWorkers: 2, oursWasmThreads: 3, tfjsThreads: 1 });
  });

  it('an unknown config or system, or a count that is not a positive integer, is an error naming the parameter (review page item 4)', () => {
    const bad = (search: string): BenchLinkError => {
      try {
        parseQuery(search);
      } catch (err) {
        expect(err).toBeInstanceOf(BenchLinkError);
        return err as BenchLinkError;
      }
      throw new Error(`${search}: no error`);
    };
    expect(bad('?configs=a,zz&systems=ours-cpu').message).toMatch(/^the link's configs: unknown config 'zz'; known: a, /);
    expect(bad('?configs=a,zz').param).toBe('configs');
    const sys = bad('?configs=a&systems=ours-cpu,bogus,jax-wams');
    expect(sys.param).toBe('systems');
    expect(sys.message).toMatch(/^the link's systems: unknown systems 'bogus', 'jax-wams'; known: ours-webgpu, /);
    for (const v of ['-1', '1.5', 'x', '']) expect(bad(`?jaxWorkers=${v}`).param).toBe('jaxWorkers');
    for (const v of ['0', '']) expect(bad(`?oursWasmThreads=${v}`).param).toBe('oursWasmThreads');
    expect(bad('?oursWasmThreads=two').message).toBe("the link's oursWasmThreads: wants a positive integer, got 'two'");
  });
});

describe('the bench page\'s link, written (review page item 3)', () => {
  it('a query written by queryOf reads back the same (parseQuery), and a link reads back to itself', () => {
    const qs: PageQuery[] = [
      { quick: false, autorun: false, driven: false },
      { configs: ['a', 'b'], systems: ['ours-webgpu', 'jax-wasm'], quick: true, autorun: true, driven: false },
      { configs: ['qe-sgd'], systems: ['scalar'], quick: false, autorun: true, driven: true, jaxWorkers: 2, tfjsThreads: 3, oursWasmThreads: 4 },
    ];
    for (const q of qs) expect(parseQuery(queryOf(q))).toEqual(q);
    for (const search of ['?configs=a,b-mse&systems=ours-webgpu,ours-cpu&quick=1&jaxWorkers=2&autorun=1', '']) expect(queryOf(parseQuery(search))).toBe(search);
  });

  it('a run from the form is recorded as the link of its choices and the page\'s counts, with autorun', () => {
    const loaded = parseQuery('?configs=a&systems=ours-cpu,scalar&quick=1&autorun=1&oursWasmThreads=2&jaxWorkers=2');
    const link = formLink('http://127.0.0.1:4317/bench.html', { configs: ['b-mse'], systems: ['ours-webgpu', 'ours-cpu'], quick: false }, loaded);
    expect(link).toBe('http://127.0.0.1:4317/bench.html?configs=b-mse&systems=ours-webgpu,ours-cpu&jaxWorkers=2&oursWasmThreads=2&autorun=1');
    expect(parseQuery(new URL(link).search)).toEqual({ configs: ['b-mse'], systems: ['ours-webgpu', 'ours-cpu'], quick: false, autorun: true, driven: false, jaxWorkers: 2, oursWasmThreads: 2 });
    // Opened without a query, the page still records what ran.
    expect(formLink('http://h/bench.html', { configs: ['a'], systems: ['ours-cpu'], quick: true }, parseQuery(''))).toBe('http://h/bench.html?configs=a&systems=ours-cpu&quick=1&autorun=1');
  });
});

describe('wasm passes: ours-wasm and jax-wasm at 1 and 2 threads in one run (issue 14)', () => {
  it('--ours-wasm-threads 1,2 --jax-wasm-workers 1,2 asks for a second page load; a single count applies to every pass', () => {
    expect(parseArgs(['--quick'], 'browser').wasmPasses).toEqual([]);
    expect(parseArgs(['--ours-wasm-threads', '1,2', '--jax-wasm-workers', '1,2'], 'browser')).toMatchObject({
      oursWasmThreads: 1, jaxWasmWorkers: 1, wasmPasses: [{ oursWasmThreads: 2, jaxWasmWorkers: 2 }] });
    expect(parseArgs(['--ours-wasm-threads', '1,2'], 'browser').wasmPasses).toEqual([{ oursWasmThreads: 2, jaxWasmWorkers: 1 }]);
    expect(() => parseArgs(['--ours-wasm-threads', '1,2', '--jax-wasm-workers', '1,2,4'], 'browser')).toThrow(/--ours-wasm-threads: 2 counts/);
    expect(() => parseArgs(['--jax-wasm-workers', '1,x'], 'browser')).toThrow(/non-negative integer or a list/);
  });

  it('merged passes: each ours-wasm row is compared with the jax-wasm row of its own count, and the rows say the count', async () => {
    const b = FULL_CONFIGS.find((c) => c.group === 'b')!;
    const pass = async (threads: number, ms: Partial<Record<SystemId, number>>): Promise<BenchResult> => {
      const o = { ...parseArgs(['--configs', 'b-mse', '--systems', Object.keys(ms).join(','), '--target-ms', '5'], 'browser'), quiet: true };
      const env = { runner: 'browser' as const, cpu: { model: 'x', cores: 2 }, wasm: { threads, peakGflops: 10 * threads }, jax: { wasmWorkers: threads } };
      const driver: Driver = {
        ...stubDriver({}),
        open: async (system) => ({ id: Object.keys(ms).indexOf(system), description: system }),
        train: async (id, steps) => ({ loss: 1, ms: steps * Object.values(ms)[id]! }),
      };
      return measureAll(driver, o, o.configs, env, 'test', new Progress(true));
    };
    const one = await pass(1, { 'ours-cpu': 3, 'ours-wasm': 1, 'jax-wasm': 1.5 });
    const two = await pass(2, { 'ours-wasm': 0.6, 'jax-wasm': 0.5 });
    const merged = mergeRuns([one, two], [b]);
    expect(merged.rows.map(systemLabel)).toEqual(['ours-cpu', 'ours-wasm (1 thread)', 'jax-wasm (1 worker)', 'ours-wasm (2 threads)', 'jax-wasm (2 workers)']);
    expect(merged.rows.every((r) => r.agreement?.ref === 'ours-cpu')).toBe(true);
    const t = merged.targets.filter((x) => x.system === 'ours-wasm' && x.versus === 'jax-wasm');
    expect(t.map((x) => [x.threads, x.met])).toEqual([[1, true], [2, false]]);
    expect(t[0].got).toBeCloseTo(1.5, 9);
    expect(t[1].got).toBeCloseTo(0.5 / 0.6, 9);
    expect(merged.env.wasmPasses).toEqual([{ oursWasmThreads: 1, jaxWasmWorkers: 1 }, { oursWasmThreads: 2, jaxWasmWorkers: 2 }]);
    expect(wasmPeakLines(merged)[1]).toMatch(/of the 20\.0 GFLOP\/s .*\(2 threads\); on the FLOPs/);
    expect(markdown(merged)).toContain('| b-mse: ours-wasm vs jax-wasm (both 2) | ≥ 1.25× | 0.83× | no |');
  });

  it('ratios and targets pair only rows of one thread count: TF.js wasm rows state theirs; a row without one is against the fewest and says so', async () => {
    const configs = selectConfigs(['a', 'b-mse']);
    const pass = async (threads: number, ms: Partial<Record<SystemId, number>>): Promise<BenchResult> => {
      const o = { ...parseArgs(['--configs', 'a,b-mse', '--systems', Object.keys(ms).join(','), '--target-ms', '5'], 'browser'), quiet: true };
      const env = { runner: 'browser' as const, cpu: { model: 'x', cores: 2 }, wasm: { threads }, jax: { wasmWorkers: threads }, tfjs: { version: 'v', wasmThreads: 1 } };
      const driver: Driver = {
        ...stubDriver({}),
        open: async (system) => ({ id: Object.keys(ms).indexOf(system), description: system }),
        train: async (id, steps) => ({ loss: 1, ms: steps * Object.values(ms)[id]! }),
      };
      return measureAll(driver, o, o.configs, env, 'test', new Progress(true));
    };
    // TF.js wasm runs in the first pass only, at 1 thread; the second pass is ours-wasm and jax-wasm at 2.
    const one = await pass(1, { 'ours-webgpu': 0.001, 'ours-wasm': 1, 'tfjs-wasm': 4, 'jax-wasm': 2 });
    const two = await pass(2, { 'ours-wasm': 0.5, 'jax-wasm': 1 });
    const merged = mergeRuns([one, two], configs);
    const b = merged.rows.filter((r) => r.config === 'b-mse');
    expect(b.map(systemLabel)).toEqual(['ours-webgpu', 'ours-wasm (1 thread)', 'tfjs-wasm (1 thread)', 'jax-wasm (1 worker)', 'ours-wasm (2 threads)', 'jax-wasm (2 workers)']);
    expect(b[1].ratios?.['tfjs-wasm']).toBeCloseTo(4, 9);
    expect(b[4].ratios).not.toHaveProperty('tfjs-wasm'); // 2 threads: no TF.js wasm row of that count
    expect(b[4].ratios?.['jax-wasm']).toBeCloseTo(2, 9);
    const wasmTargets = merged.targets.filter((t) => t.config === 'b-mse' && t.system === 'ours-wasm');
    expect(wasmTargets.map((t) => [t.versus, t.threads])).toEqual([['tfjs-wasm', 1], ['jax-wasm', 1], ['jax-wasm', 2]]);
    // ours-webgpu states no count: against jax-wasm's 1-worker row (the fewest), which its ratio and target say.
    const a = merged.rows.find((r) => r.config === 'a' && r.system === 'ours-webgpu')!;
    expect(a.ratioThreads).toEqual({ 'tfjs-wasm': 1, 'jax-wasm': 1 });
    expect(a.ratios?.['jax-wasm']).toBeCloseTo(2000, 6);
    expect(merged.targets.find((t) => t.config === 'a' && t.versus === 'jax-wasm')).toMatchObject({ system: 'ours-webgpu', versusThreads: 1, met: true });
    const md = markdown(merged);
    expect(md).toContain('| a: ours-webgpu vs jax-wasm (vs 1 worker) | ≥ 1000× |');
    expect(md).toMatch(/\| 2000× \(vs 1 worker\) \|/);
  });
});

describe('targetRatio: a target\'s ratio never rounds onto the other side of the target', () => {
  it('adds decimals only where the usual rounding would cross it', () => {
    // A qe-sgd smoke run (2026-12-05) printed "2.0× NOT met" for a ratio of 1.9919 against 2.
    expect(targetRatio(1.9918832229865107, 2)).toBe('1.99×');
    expect(targetRatio(1.9996, 2)).toBe('1.9996×');
    expect(targetRatio(2.004, 2)).toBe('2.00×');
    expect(targetRatio(2, 2)).toBe('2.00×');
    expect(targetRatio(1.2496, 1.25)).toBe('1.2496×');
    expect(targetRatio(1.24, 1.25)).toBe('1.24×');
    expect(targetRatio(999.6, 1000)).toBe('999.600×');
    expect(targetRatio(385.2, 1000)).toBe('385×');
  });
});
