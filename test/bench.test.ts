/**
 * The benchmark's logic in Node (issue 4): configs and their shared start, the measuring protocol against a stub
 * driver, the agreement rule that fails a run, the report files, and the Node runner's --quick on the CPU systems.
 * No timing is asserted anywhere.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HelpRequested, measureAll, parseArgs, Progress } from '../bench/bench.ts';
import { mergeRuns, summarize } from '../bench/measure.ts';
import { type BenchConfig, CONFIG_A, CONFIG_E, CONFIG_F, CONFIG_F_MATMUL, QUICK_MATMUL, type FitConfig, FULL_CONFIGS, flopsPerStep, materialize, QUICK_CONFIGS, QUICK_E, selectConfigs, startOf, userConfigs } from '../bench/configs.ts';
import { timeToAccuracy } from '../bench/epochs.ts';
import { digitsOf, type EpochStat, oursFit } from '../bench/fit-systems.ts';
import { runNodeBench } from '../bench/node.ts';
import { Model } from '../src/model.ts';
import { mnistAll } from '../src/node/mnist.ts';
import { mnistSplitOf } from '../src/train/mnist.ts';
import { agree, CALIBRATION_CALLS, CALIBRATION_GROWTH, CALIBRATION_SPEEDUP, CALIBRATION_WARMUP, checkTargets, type Driver, FIT_ACCURACY_SLACK, FULL_POLICY, measureConfig, measureRow, QUICK_POLICY, type Row, ratios, stat } from '../bench/protocol.ts';
import { writeOutputs } from '../bench/output.ts';
import { type BenchResult, envLine, markdown, policyLine, rowColor, shortReps, svgChart, systemLabel, ttaSvg, wasmPeakLines } from '../bench/report.ts';
import { type SystemId, tfTrainer, unsupported } from '../bench/systems.ts';
import { doneLine, nothingToRun, pageCharts, pageTable, rowCells, TABLE_HEAD } from '../bench/page/table.ts';
import { BenchLinkError, formLink, type PageQuery, parseQuery, queryOf } from '../bench/page/query.ts';

const out = mkdtempSync(join(tmpdir(), 'bench-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('configs', () => {
  it('has the issue\'s a–d (b–d with MSE and softmax-CE) and the FLOP count 6·batch·Σ in·out', () => {
    expect(FULL_CONFIGS.map((c) => c.id)).toEqual(['a', 'b-mse', 'b-ce', 'c-mse', 'c-ce', 'd-mse', 'd-ce']);
    expect(flopsPerStep(CONFIG_A)).toBe(6 * 4 * (2 * 2 + 2 * 1));
    const c = FULL_CONFIGS.find((x) => x.id === 'c-ce')!;
    expect(flopsPerStep(c)).toBe(6 * 256 * (784 * 256 + 256 * 256 + 256 * 10));
    expect(c.layers.at(-1)!.activation).toBe('softmax');
    expect(selectConfigs(['b', 'a']).map((x) => x.id)).toEqual(['b-mse', 'b-ce', 'a']);
    expect(() => selectConfigs(['z'])).toThrow(/unknown config 'z'/);
    expect(userConfigs({ layers: [784, 256, 10], batch: 256, activation: 'relu', loss: 'both' }).map((x) => x.id)).toEqual(['user-mse', 'user-ce']);
  });

  it('materializes the same weights and batch every time (the lecture net: its weights, XOR)', () => {
    const a1 = materialize(CONFIG_A);
    const a2 = materialize(CONFIG_A);
    expect(Array.from(a1.params.W[0])).toEqual(Array.from(Float32Array.from([0.15, 0.2, 0.25, 0.3])));
    expect(Array.from(a1.X)).toEqual([0, 0, 0, 1, 1, 0, 1, 1]);
    expect(Array.from(a1.Y)).toEqual([0, 1, 1, 0]);
    expect(a2.params.W[1]).toEqual(a1.params.W[1]);
    const q = QUICK_CONFIGS[1];
    const m1 = materialize(q);
    const m2 = materialize(q);
    expect(m1.X).toEqual(m2.X);
    expect(m1.params.W[0]).toEqual(m2.params.W[0]);
    // one-hot labels
    for (let c = 0; c < q.batch; c++) expect(m1.Y.slice(c * 10, c * 10 + 10).reduce((s, v) => s + v, 0)).toBe(1);
  });

  it('config a compares before XOR\'s plateau: lr ×0.9, ×1.1 and ×2 (a gradient 2× too big) move its loss after N ≥ 10× rtol', async () => {
    const c = CONFIG_A;
    const m = materialize(c);
    const lossAfter = async (lr: number): Promise<number> => {
      const model = await Model.create({ inputs: c.inputs, layers: c.layers, loss: c.loss, reduction: c.reduction, init: { scheme: 'uniform', seed: 1 } }, { backend: 'cpu' });
      await model.setParams(m.params);
      const { loss } = await model.train({ steps: c.agreeSteps, lr, x: { examples: c.batch, data: m.X }, y: { examples: c.batch, data: m.Y } });
      model.dispose();
      return loss;
    };
    const base = await lossAfter(c.lr);
    for (const f of [0.9, 1.1, 2]) expect(Math.abs((await lossAfter(c.lr * f)) - base), `lr ×${f}`).toBeGreaterThan(10 * (c.rtol * base + c.atol));
  });

  it('parses options', () => {
    const o = parseArgs(['--quick', '--systems', 'ours-cpu,tfjs-cpu'], 'browser');
    expect(o.mode).toBe('quick');
    expect(o.configs.map((c) => c.id)).toEqual(['a', 'q-mse', 'q-ce', 'qe-sgd', 'qe-adam', 'q-matmul']);
    expect(o.systems).toEqual(['ours-cpu', 'tfjs-cpu']);
    const u = parseArgs(['--layers', '784,256,10', '--batch', '256', '--activation', 'relu', '--loss', 'ce', '--steps', '3'], 'browser');
    expect(u.mode).toBe('custom');
    expect(u.configs.map((c) => [c.id, c.batch, c.agreeSteps])).toEqual([['user-ce', 256, 3]]);
    expect(() => parseArgs(['--systems', 'ours-webgpu'], 'node')).toThrow(/not|unknown/);
    expect(() => parseArgs(['--frobnicate'], 'browser')).toThrow(/unknown option/);
    // --help is its own class (the runners print the usage on stdout and exit 0); an unknown option is not.
    expect(() => parseArgs(['--help'], 'node')).toThrow(HelpRequested);
    expect(() => parseArgs(['--frobnicate', '--help'], 'node')).not.toThrow(HelpRequested);
    // --activation: every activation but softmax, all of them named when refused (linear was accepted but not named).
    expect(parseArgs(['--layers', '4,3,2', '--activation', 'linear'], 'node').configs[0].layers[0].activation).toBe('linear');
    expect(() => parseArgs(['--layers', '4,3,2', '--activation', 'softmax'], 'node')).toThrow("--activation wants identity, linear, sigmoid, relu or tanh, got 'softmax'");
    const spec = parseArgs(['--spec', 'test/fixtures/lecture-2-2-1.json'], 'browser');
    expect(spec.configs[0].batch).toBe(1);
    const worked = parseArgs(['--spec', 'src/lectures/lecture-2-2-1.worked.json'], 'browser');
    expect(worked.configs[0].batch).toBe(1);
  });

  it('refuses --steps below 2: N = 1 compares only the start loss, no update inside it (review bench2 item 4)', () => {
    expect(() => parseArgs(['--configs', 'a', '--steps', '1'], 'browser')).toThrow(/--steps wants 2 or more, got 1/);
    expect(() => parseArgs(['--layers', '4,3,2', '--steps', '1'], 'node')).toThrow(/--steps wants 2 or more/);
    expect(parseArgs(['--configs', 'a', '--steps', '2'], 'browser').policy.agreeSteps).toBe(2);
    // Options no selected config takes (review diff6 item 2): refused, naming the option; accepted where one takes them.
    expect(() => parseArgs(['--configs', 'e', '--steps', '5'], 'browser')).toThrow(/^--steps sets the agreement run .*it would do nothing/);
    expect(parseArgs(['--configs', 'a,e', '--steps', '5'], 'browser').policy.agreeSteps).toBe(5);
    expect(() => parseArgs(['--configs', 'a,b', '--peak-gflops', '100'], 'browser')).toThrow(/^--peak-gflops reports .*no selected config is d or f/);
    expect(parseArgs(['--configs', 'd-mse', '--peak-gflops', '100'], 'browser').peakGflops).toBe(100);
    expect(parseArgs(['--configs', 'f-matmul', '--peak-gflops', '100'], 'browser').peakGflops).toBe(100);
    expect(() => parseArgs(['--configs', 'a,d', '--mnist'], 'browser')).toThrow(/^--mnist gives MNIST digits .*no selected config has them/);
    expect(() => parseArgs(['--configs', 'e', '--mnist'], 'browser')).toThrow(/^--mnist/);
    expect(parseArgs(['--configs', 'a,b', '--mnist'], 'browser').mnist).toBe(true);
    expect(parseArgs(['--mnist'], 'browser').mnist).toBe(true);
  });

  it('refuses flags that would be ignored or turn another off, naming the flag (review bench2 item 5)', () => {
    for (const k of ['--target-ms', '--budget-s']) {
      expect(() => parseArgs(['--configs', 'a', '--rep-steps', '3', k, '5'], 'browser')).toThrow(new RegExp(`--rep-steps with ${k}: .*no calibration and no cap rule`));
    }
    expect(parseArgs(['--configs', 'a', '--rep-steps', '3'], 'browser').policy.fixedStepsPerRep).toBe(3);
    // A spec without its own x and y takes --batch random examples; the lecture file has x and y (1 example).
    const noData = join(out, 'no-data.json');
    writeFileSync(noData, JSON.stringify({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse' }));
    for (const [k, val] of [['--batch', '8'], ['--lr', '0.1']]) {
      expect(() => parseArgs(['--configs', 'a', k, val], 'browser')).toThrow(new RegExp(`^${k} applies to your own net only: give it with --layers or --spec`));
      expect(() => parseArgs(['--spec', noData, k, val], 'browser')).not.toThrow();
    }
    expect(parseArgs(['--spec', noData, '--batch', '8'], 'browser').configs[0].batch).toBe(8);
    expect(parseArgs(['--spec', 'test/fixtures/lecture-2-2-1.json', '--lr', '0.25'], 'browser').configs[0].lr).toBe(0.25);
    expect(() => parseArgs(['--spec', 'test/fixtures/lecture-2-2-1.json', '--batch', '8'], 'browser')).toThrow(/^--batch: lecture-2-2-1.json has its own x and y \(1 example\), so --batch would do nothing/);
    expect(parseArgs(['--spec', 'test/fixtures/lecture-2-2-1.json', '--layers', '4,3,2', '--batch', '8'], 'browser').configs.map((c) => c.batch)).toEqual([8, 8, 1]);
    for (const [k, val] of [['--activation', 'tanh'], ['--loss', 'ce']]) {
      expect(() => parseArgs(['--configs', 'a', k, val], 'browser')).toThrow(new RegExp(`^${k} applies to --layers only`));
      expect(() => parseArgs(['--spec', 'test/fixtures/lecture-2-2-1.json', k, val], 'browser')).toThrow(new RegExp(`^${k} applies to --layers only \\(a --spec file sets its own\\)`));
      expect(() => parseArgs(['--layers', '4,3,2', k, val], 'browser')).not.toThrow();
    }
    expect(() => parseArgs(['--configs', 'a', '--epochs', '3'], 'browser')).toThrow(/^--epochs sets config e's epochs .*no selected config/);
    expect(() => parseArgs(['--configs', 'a', '--epochs', '3'], 'node')).toThrow(/^--epochs/);
    expect(parseArgs(['--quick', '--epochs', '2'], 'browser').configs.filter((c) => c.fit).map((c) => c.fit!.epochs)).toEqual([2, 2]);
    // The Node and Dawn runners have no fit: e and qe are refused before anything runs.
    expect(() => parseArgs(['--quick', '--configs', 'qe-sgd'], 'node')).toThrow(/^--configs: qe-sgd is time to accuracy .*only the browser runner \(npm run bench\) has, not the node runner/);
    expect(() => parseArgs(['--configs', 'a,e'], 'dawn')).toThrow(/^--configs: e-sgd, e-adam are time to accuracy .*not the dawn runner/);
    expect(parseArgs(['--configs', 'a,e'], 'browser').configs.map((c) => c.id)).toEqual(['a', 'e-sgd', 'e-adam']);
  });

  it('config f (4096³, issue 14) is by name only, for GPU systems, and skipped on a fallback adapter unless asked', () => {
    expect(FULL_CONFIGS.map((c) => c.id)).not.toContain('f');
    expect(selectConfigs(['f'])).toEqual([CONFIG_F, CONFIG_F_MATMUL]);
    expect(flopsPerStep(CONFIG_F_MATMUL)).toBe(2 * 4096 ** 3);
    expect(unsupported('ours-webgpu', CONFIG_F_MATMUL, { fallback: true, allowFallback: false })).toMatch(/fallback adapter/);
    expect(unsupported('jax-wasm', QUICK_MATMUL)).toMatch(/GPU systems/);
    expect(unsupported('ours-webgpu', QUICK_MATMUL, { fallback: true, allowFallback: false })).toBeNull();
    expect(CONFIG_F.layers.map((l) => l.units)).toEqual([4096, 4096]);
    expect(CONFIG_F.batch).toBe(4096);
    expect(flopsPerStep(CONFIG_F)).toBe(6 * 4096 * 2 * 4096 * 4096);
    expect(unsupported('ours-cpu', CONFIG_F)).toMatch(/GPU systems/);
    expect(unsupported('jax-wasm', CONFIG_F)).toMatch(/GPU systems/);
    expect(unsupported('ours-webgpu', CONFIG_F, { fallback: true, allowFallback: false })).toMatch(/fallback adapter/);
    expect(unsupported('jax-webgpu', CONFIG_F, { fallback: true, allowFallback: true })).toBeNull();
    expect(unsupported('tfjs-webgl', CONFIG_F, { fallback: false, allowFallback: false })).toBeNull();
    expect(unsupported('ours-cpu', FULL_CONFIGS[1], { fallback: true, allowFallback: false })).toBeNull();
    expect(parseArgs(['--configs', 'f', '--gpu-sized-on-fallback'], 'browser').gpuSizedOnFallback).toBe(true);
    expect(parseArgs(['--configs', 'f'], 'browser').gpuSizedOnFallback).toBe(false);
    expect(parseArgs(['--quick'], 'browser').jaxWasmWorkers).toBe(1);
    expect(parseArgs(['--quick', '--jax-wasm-workers', '2'], 'browser').jaxWasmWorkers).toBe(2);
    expect(() => parseArgs(['--jax-wasm-workers', '2'], 'node')).toThrow(/browser runner/);
    expect(parseArgs(['--quick'], 'browser').oursWasmThreads).toBe(1);
    expect(parseArgs(['--quick', '--ours-wasm-threads', '2'], 'browser').oursWasmThreads).toBe(2);
    expect(() => parseArgs(['--ours-wasm-threads', '2'], 'node')).toThrow(/browser runner/);
    expect(parseArgs(['--systems', 'ours-wasm'], 'browser').systems).toEqual(['ours-wasm']);
  });

  it('parses --tfjs-wasm-threads: a positive integer, browser runner only; absent means TF.js\'s default', () => {
    expect(parseArgs(['--quick'], 'browser').tfjsWasmThreads).toBeUndefined();
    expect(parseArgs(['--quick'], 'browser')).not.toHaveProperty('tfjsWasmThreads');
    expect(parseArgs(['--configs', 'b', '--tfjs-wasm-threads', '2'], 'browser').tfjsWasmThreads).toBe(2);
    expect(parseArgs(['--tfjs-wasm-threads=4'], 'browser').tfjsWasmThreads).toBe(4);
    for (const bad of ['0', '-1', '1.5', 'two', '']) {
      expect(() => parseArgs(['--tfjs-wasm-threads', bad], 'browser'), bad).toThrow(/--tfjs-wasm-threads wants a positive integer/);
    }
    expect(() => parseArgs(['--tfjs-wasm-threads'], 'browser')).toThrow(/--tfjs-wasm-threads needs a value/);
    expect(() => parseArgs(['--tfjs-wasm-threads', '2'], 'node')).toThrow(/--tfjs-wasm-threads is for the browser runner/);
    expect(() => parseArgs(['--tfjs-wasm-threads', '2'], 'dawn')).toThrow(/--tfjs-wasm-threads is for the browser runner/);
  });
});

/** A driver whose systems return scripted losses and times (no engine). */
function stubDriver(losses: Partial<Record<SystemId, number>>, msPerStep = 1): Driver {
  const open = new Map<number, SystemId>();
  let id = 0;
  return {
    async open(system) {
      open.set(++id, system);
      return { id, description: system };
    },
    async train(i, steps) {
      return { loss: losses[open.get(i)!] ?? 1, ms: steps * msPerStep };
    },
    async close(i) {
      open.delete(i);
    },
  };
}

describe('protocol', () => {
  const policy = { reps: 5, targetRepMs: 10, maxStepsPerRep: 1000, rowBudgetMs: 1000, minReps: 2, inspect: false };

  it('calibrates steps per repetition, takes ≥ 5 repetitions and reports median, min and max', async () => {
    const row = await measureRow(stubDriver({}, 0.5), 'ours-cpu', CONFIG_A, policy, () => undefined);
    expect(row.status).toBe('ok');
    expect(row.reps).toBe(5);
    expect(row.stepsPerRep).toBe(20);
    expect(row.msPerStep).toEqual({ median: 0.5, min: 0.5, max: 0.5 });
    expect(row.stepsPerSec).toBe(2000);
    expect(row.gflops).toBeCloseTo((2000 * flopsPerStep(CONFIG_A)) / 1e9, 12);
    expect(stat([3, 1, 2, 10])).toEqual({ median: 2.5, min: 1, max: 10 });
  });

  it('caps a row whose repetitions would exceed the budget, and says so', async () => {
    const row = await measureRow(stubDriver({}, 400), 'tfjs-cpu', CONFIG_A, policy, () => undefined);
    expect(row).toMatchObject({ capped: true, reps: 2, stepsPerRep: 1 });
    // never more repetitions than asked for (--reps 1), capped or not
    const one = await measureRow(stubDriver({}, 1500), 'tfjs-cpu', CONFIG_A, { ...policy, reps: 1 }, () => undefined);
    expect(one).toMatchObject({ capped: true, reps: 1, stepsPerRep: 1 });
    expect(one.times).toHaveLength(1);
  });

  it('the cap rule decides from the first calibration call, not from the agreement run (its compiles)', async () => {
    // The agreement run takes 10 s (compiles), every later call 0.5 ms a step: 5 × 1 s/step of the agreement run would
    // exceed the 1 s budget, the real speed does not.
    const driver = stubDriver({}, 0.5);
    let calls = 0;
    const train = driver.train.bind(driver);
    driver.train = async (i, steps) => (calls++ === 0 ? { loss: 1, ms: 10_000 } : train(i, steps));
    const row = await measureRow(driver, 'ours-webgpu', CONFIG_A, policy, () => undefined);
    expect(row).toMatchObject({ status: 'ok', capped: false, reps: 5, stepsPerRep: 20 });
  });

  /** A driver whose ms/step is msOfCall(k) on its k-th train call (0: the agreement run): a system warming up. */
  const warmingDriver = (msOfCall: (k: number) => number) => {
    const calls: { steps: number; ms: number }[] = [];
    const driver: Driver = {
      ...stubDriver({}),
      train: async (_i, steps) => {
        const ms = steps * msOfCall(calls.length);
        calls.push({ steps, ms });
        return { loss: 1, ms };
      },
    };
    return { driver, calls };
  };

  it('calibration goes on while the speed rises (JIT warm-up): the repetitions last ≥ targetRepMs / 2 (review bench2 item 1)', async () => {
    // The reviewer's run: agreement 0.35 ms/step, first warm-up call 0.2 (long enough: it lasted ≥ target / 2), then the
    // code warm and 20× faster. Stopping at that first call left repetitions of 1/20 of the target.
    const perStep = [0.35, 0.2, 0.05, 0.02];
    const { driver, calls } = warmingDriver((k) => perStep[k] ?? 0.01);
    const wide = { ...policy, maxStepsPerRep: 1e6 };
    const row = await measureRow(driver, 'ours-cpu', CONFIG_A, wide, () => undefined);
    expect(row.status).toBe('ok');
    expect(row.capped).toBe(false);
    expect(row.repMs!.min).toBeGreaterThanOrEqual(wide.targetRepMs / 2);
    // repMs is each repetition's whole wall time: times × stepsPerRep, and the driver's own figures.
    const timed = calls.slice(-row.reps!);
    expect(timed.every((c) => c.steps === row.stepsPerRep)).toBe(true);
    expect(row.repMs).toEqual(stat(timed.map((c) => c.ms)));
    expect(row.repMs!.median).toBeCloseTo(row.msPerStep!.median * row.stepsPerRep!, 9);
    // Calibration's last call ran the repetitions' step count.
    expect(calls.at(-row.reps! - 1)!.steps).toBe(row.stepsPerRep);
  });

  it('two slow calls in a row do not end calibration before CALIBRATION_WARMUP targets of warm-up (review diff6 item 1)', async () => {
    // Agreement and the first two calibration calls at 0.2 ms/step (each long enough, and steady), then 10× faster:
    // converging on the second call left repetitions of a tenth of the target.
    const { driver, calls } = warmingDriver((k) => (k <= 2 ? 0.2 : 0.02));
    const wide = { ...policy, maxStepsPerRep: 1e6 };
    const row = await measureRow(driver, 'ours-cpu', CONFIG_A, wide, () => undefined);
    expect(row).toMatchObject({ status: 'ok', capped: false });
    expect(row.repMs!.min).toBeGreaterThanOrEqual(wide.targetRepMs / 2);
    const calibration = calls.slice(1, -row.reps!);
    expect(calibration.reduce((t, c) => t + c.ms, 0)).toBeGreaterThanOrEqual(CALIBRATION_WARMUP * wide.targetRepMs);
  });

  it('a calibration call that reads 0 ms (a coarse clock) grows the steps at most CALIBRATION_GROWTH× (review diff6 item 6)', async () => {
    // The first calibration call reads 0 ms, later ones 1 ms a step: jumping to maxStepsPerRep would run 10⁶ steps (1000 s)
    // against a 1 s budget.
    const { driver, calls } = warmingDriver((k) => (k === 1 ? 0 : 1));
    const row = await measureRow(driver, 'ours-cpu', CONFIG_A, { ...policy, maxStepsPerRep: 1e6 }, () => undefined);
    expect(row.status).toBe('ok');
    expect(calls[2].steps).toBeLessThanOrEqual(calls[1].steps * CALIBRATION_GROWTH);
    expect(calls.slice(1, -row.reps!).reduce((t, c) => t + c.ms, 0)).toBeLessThanOrEqual(policy.rowBudgetMs);
  });

  it('calibration stops after CALIBRATION_CALLS calls, and before its calls would pass the row budget', async () => {
    // Never steady: every call twice as fast as the one before.
    const endless = warmingDriver((k) => 2 ** -k);
    const row = await measureRow(endless.driver, 'ours-cpu', CONFIG_A, { ...policy, maxStepsPerRep: 1e12, rowBudgetMs: 1e9 }, () => undefined);
    expect(row.status).toBe('ok');
    expect(endless.calls.length - 1 - row.reps!).toBe(CALIBRATION_CALLS);
    // Budget 1 s, repetitions of 400 ms wanted, each call twice as fast: the calibration calls' time stays within it.
    const tight = { ...policy, reps: 2, targetRepMs: 400, rowBudgetMs: 1000 };
    const budget = warmingDriver((k) => 10 * 2 ** -k);
    const r2 = await measureRow(budget.driver, 'ours-cpu', CONFIG_A, tight, () => undefined);
    expect(r2).toMatchObject({ status: 'ok', capped: false });
    const calibration = budget.calls.slice(1, -r2.reps!);
    expect(calibration.length).toBeGreaterThan(1);
    expect(calibration.length).toBeLessThan(CALIBRATION_CALLS);
    expect(calibration.reduce((t, c) => t + c.ms, 0)).toBeLessThanOrEqual(tight.rowBudgetMs);
  });

  // The calibration cases below are traced by hand from README's rule (target 10 ms, agreement N steps, s starts at
  // 10 × N / agreement ms): a call converges when it lasted ≥ 5 ms, its ms/step is at most 1.5× faster than the call
  // before, and the calls have run 4 targets (40 ms) in all (review mut3).
  const roomy = { ...policy, maxStepsPerRep: 1e6 };
  const calibrationOf = (calls: { steps: number; ms: number }[], row: Row) => calls.slice(1, -row.reps!);

  it('a warm call 1.8× faster than the one before is not steady: calibration goes on to the speed that holds (review mut3 P7)', async () => {
    // ms/step: agreement 1, then 1.2 × 3 (36 ms, not warm), 0.667 (42.7 ms: warm, 6.7 ms ≥ 5, but 1.8× faster),
    // 0.1 from then on: s = 10, 10, 10, 10, 15, then 10 ms / 0.1 = 100, whose 10 ms call is steady.
    const { driver } = warmingDriver((k) => (k === 0 ? 1 : k <= 3 ? 1.2 : k === 4 ? 1.2 / 1.8 : 0.1));
    const row = await measureRow(driver, 'ours-cpu', CONFIG_A, roomy, () => undefined);
    expect(row).toMatchObject({ status: 'ok', capped: false, stepsPerRep: 100 });
    expect(row.repMs!.min).toBeGreaterThanOrEqual(roomy.targetRepMs / 2);
  });

  it('steady is judged against the call before, not the agreement run (review mut3 P8)', async () => {
    // Agreement 10 ms/step (compiles), then 0.5: s = 1 (0.5 ms, 20× faster: not steady), then 20 steps (10 ms) four
    // times, the fourth completing 40.5 ms of warm-up: 5 calls. Against the agreement run no call is ever steady.
    const { driver, calls } = warmingDriver((k) => (k === 0 ? 10 : 0.5));
    const row = await measureRow(driver, 'ours-cpu', CONFIG_A, roomy, () => undefined);
    expect(calibrationOf(calls, row).map((c) => c.steps)).toEqual([1, 20, 20, 20, 20]);
    expect(row.stepsPerRep).toBe(20);
  });

  it('a slow system steady from the agreement run converges on its first call (review mut3 P9)', async () => {
    // 100 ms/step throughout: s = ⌈10 / 100⌉ = 1; that call lasts 100 ms (≥ 5, ≥ 40 in all) at the agreement's speed.
    const { driver, calls } = warmingDriver(() => 100);
    const row = await measureRow(driver, 'ours-cpu', CONFIG_A, { ...roomy, rowBudgetMs: 1e6 }, () => undefined);
    expect(row).toMatchObject({ status: 'ok', capped: false, stepsPerRep: 1 });
    expect(calibrationOf(calls, row)).toHaveLength(1);
  });

  it('s never shrinks: a call slower than the one before keeps s (review mut3 P12)', async () => {
    // 1 ms/step but 2 on the second calibration call: 10 ms / 2 would be 5 steps; s stays 10, and the fourth call (the
    // third, 2× faster than the second, was not steady) converges.
    const { driver, calls } = warmingDriver((k) => (k === 2 ? 2 : 1));
    const row = await measureRow(driver, 'ours-cpu', CONFIG_A, roomy, () => undefined);
    expect(calibrationOf(calls, row).map((c) => c.steps)).toEqual([10, 10, 10, 10]);
  });

  it('when s reaches maxStepsPerRep a call runs at it before calibration stops there (review mut3 P14)', async () => {
    // The first call reads 0.001 ms/step: s would be 10 000, grows to 64 × 10 = 640, clamped to 100; the next call,
    // 100 steps at 1 ms, is the repetitions' s.
    const { driver, calls } = warmingDriver((k) => (k === 1 ? 0.001 : 1));
    const row = await measureRow(driver, 'ours-cpu', CONFIG_A, { ...roomy, maxStepsPerRep: 100 }, () => undefined);
    expect(row.stepsPerRep).toBe(100);
    expect(calibrationOf(calls, row).map((c) => c.steps)).toEqual([10, 100]);
  });

  it('a steady, warm call that lasted ≥ half the target ends calibration, though under the target (review mut3 P16)', async () => {
    // 1.2 ms/step × 3 calls of 10 steps (36 ms), then 1.4× faster: 8.6 ms ≥ 5, 44.6 ms in all, steady: the 4th converges.
    const { driver, calls } = warmingDriver((k) => (k === 0 ? 1 : k <= 3 ? 1.2 : 1.2 / 1.4));
    const row = await measureRow(driver, 'ours-cpu', CONFIG_A, roomy, () => undefined);
    expect(calibrationOf(calls, row)).toHaveLength(4);
    expect(row.stepsPerRep).toBe(10);
  });

  it('README states the calibration constants the code uses (review mut3 P1–P4)', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain(`calibration also stops at ${CALIBRATION_CALLS} calls`);
    expect(readme).toContain(`at most ${CALIBRATION_SPEEDUP}× faster than the call before`);
    expect(readme).toContain(`the calls have run ${CALIBRATION_WARMUP} targets (${CALIBRATION_WARMUP * FULL_POLICY.targetRepMs} ms)`);
    expect(readme).toContain(`at most ${CALIBRATION_GROWTH}× a call`);
    expect(readme).toContain(`to ${FULL_POLICY.targetRepMs} ms (\`--target-ms\`; ${QUICK_POLICY.targetRepMs} ms with \`--quick\`)`);
  });

  it('† goes by the median repetition, under half the target: not the min, not at exactly half; the note names the median (review mut3 R3, R4, R6)', () => {
    const row = (repMs: { median: number; min: number; max: number }): Row => ({ system: 'ours-cpu', config: 'a', status: 'ok', agreeSteps: 5, repMs,
      msPerStep: { median: 1, min: 1, max: 1 }, reps: 5, stepsPerRep: 10, capped: false });
    // target 10 ms: half is 5
    expect(shortReps(row({ median: 5, min: 5, max: 5 }), policy)).toBe(false);
    expect(shortReps(row({ median: 6, min: 2, max: 8 }), policy)).toBe(false);
    expect(shortReps(row({ median: 4.9, min: 4.9, max: 4.9 }), policy)).toBe(true);
    const result = { mode: 'custom', date: 'd', command: 'c', env: { runner: 'node', cpu: { model: 'x', cores: 1 } }, policy, configs: [], systems: [],
      rows: [row({ median: 3, min: 1, max: 4 })], targets: [], ok: true, failures: [], seconds: 0 } as unknown as BenchResult;
    expect(markdown(result)).toMatch(/\(a ours-cpu 3(\.0+)? ms\)/);
  });

  it('the Markdown flags an uncapped row whose repetitions ran under half the target, and says why under the table', async () => {
    // Target 1 s. ours-cpu: calibrated at 1 ms/step (1000 steps), then 10× faster: repetitions of 100 ms (one of 1 s).
    // tfjs-cpu: 450 ms a step, capped (5 × 450 ms > 2 s): repetitions of 1 step, 450 ms, short too but capped.
    // scalar: 0.5 ms/step throughout: 2000 steps, 1 s repetitions.
    const p = { ...policy, targetRepMs: 1000, rowBudgetMs: 2000, maxStepsPerRep: 1e6 };
    const fast = warmingDriver((k) => (k < 3 ? 1 : 0.1));
    const rows = [await measureRow(fast.driver, 'ours-cpu', CONFIG_A, p, () => undefined), await measureRow(stubDriver({}, 450), 'tfjs-cpu', CONFIG_A, p, () => undefined),
      await measureRow(stubDriver({}, 0.5), 'scalar', CONFIG_A, p, () => undefined)];
    expect(rows.map((r) => [r.capped, r.repMs!.median])).toEqual([[false, 100], [true, 450], [false, 1000]]);
    const result = { mode: 'custom', date: 'd', command: 'c', env: { runner: 'node', cpu: { model: 'x', cores: 1 } }, policy: p, configs: [], systems: [], rows, targets: [], ok: true, failures: [], seconds: 0 } as unknown as BenchResult;
    const md = markdown(result);
    expect(md).toContain('| 5×1000† |');
    expect(md).toContain('| 4×1* |');
    expect(md).toContain('| 5×2000 |');
    expect(md).toMatch(/`†`: the median repetition lasted under half the 1000 ms target \(a ours-cpu 100\.0 ms\)/);
    // With --rep-steps there is no target: no flag.
    expect(markdown({ ...result, policy: { ...p, fixedStepsPerRep: 10 } })).not.toContain('†');
  });

  it('repetitions go round-robin across a config\'s systems after each one\'s warm-up, a capped row dropping out; times[] kept', async () => {
    const ms: Partial<Record<SystemId, number>> = { 'ours-cpu': 0.5, 'tfjs-cpu': 400, scalar: 1 };
    const systems = Object.keys(ms) as SystemId[];
    const order: string[] = [];
    const driver: Driver = {
      ...stubDriver({}),
      open: async (system) => ({ id: systems.indexOf(system), description: system }),
      train: async (id, steps) => {
        order.push(systems[id]);
        return { loss: 1, ms: steps * ms[systems[id]]! };
      },
    };
    const rows = await measureConfig(driver, systems, CONFIG_A, policy, () => () => undefined);
    const A = 'ours-cpu', B = 'tfjs-cpu', C = 'scalar';
    // The 12 timed calls (tfjs-cpu capped at 2), after the warm-up: each system's agreement run and calibration calls
    // in turn (tfjs-cpu capped after its first calibration call).
    expect(order.slice(-12)).toEqual([A, B, C, A, B, C, A, C, A, C, A, C]);
    const warm = order.slice(0, -12);
    expect(warm).toEqual([...warm].sort((x, y) => systems.indexOf(x as SystemId) - systems.indexOf(y as SystemId)));
    expect(warm.filter((x) => x === B)).toHaveLength(2);
    expect(rows.map((r) => [r.system, r.reps, r.capped, r.times?.length])).toEqual([[A, 5, false, 5], [B, 2, true, 2], [C, 5, false, 5]]);
    for (const r of rows) expect(r.msPerStep).toEqual(stat(r.times!));
    expect(rows[1].times).toEqual([400, 400]);
  });

  it('the progress bar and its k/N counter only move forward, though the repetitions go round-robin (review page item 1)', async () => {
    // a and b-mse on three systems (scalar skipped on b-mse; tfjs-cpu capped to 2 repetitions), and jax-wasm's
    // 6th call on b-mse (a timed repetition) fails: every line's fraction and counter at least the previous one's, never past N/N.
    const ms: Partial<Record<SystemId, number>> = { 'ours-cpu': 0.5, 'tfjs-cpu': 400, 'jax-wasm': 1, scalar: 1 };
    const systems = Object.keys(ms) as SystemId[];
    const calls = new Map<number, number>();
    const driver: Driver = {
      ...stubDriver({}),
      open: async (system, c) => ({ id: systems.indexOf(system) + (c.id === 'a' ? 0 : 10), description: system }),
      train: async (id, steps) => {
        calls.set(id, (calls.get(id) ?? 0) + 1);
        if (id === 12 && calls.get(id) === 6) return { loss: NaN, ms: 1 };
        return { loss: 1, ms: steps * ms[systems[id % 10]]! };
      },
    };
    const o = { ...parseArgs(['--configs', 'a,b-mse', '--systems', systems.join(','), '--target-ms', '10', '--budget-s', '1'], 'browser'), quiet: true };
    const seen: [string, number][] = [];
    const result = await measureAll(driver, o, o.configs, { runner: 'browser', cpu: { model: 'x', cores: 2 } }, 'test', { show: (t, f) => seen.push([t, f!]), done: () => undefined });
    expect(result.rows.find((r) => r.config === 'b-mse' && r.system === 'jax-wasm')?.error).toMatch(/diverged while timed/);
    expect(result.rows.find((r) => r.config === 'a' && r.system === 'tfjs-cpu')?.capped).toBe(true);
    const N = 7 * (4 + 3); // reps + 2 units a system: 4 systems on a, 3 on b-mse
    const counts = seen.map(([t]) => /^(\d+)\/(\d+) /.exec(t)!.slice(1).map(Number));
    expect(new Set(counts.map(([, n]) => n))).toEqual(new Set([N]));
    expect(seen.some(([t]) => / · rep 2\/5/.test(t))).toBe(true);
    for (let k = 1; k < seen.length; k++) {
      expect(seen[k][1], `${seen[k - 1][0]} → ${seen[k][0]}`).toBeGreaterThanOrEqual(seen[k - 1][1]);
      expect(counts[k][0], `${seen[k - 1][0]} → ${seen[k][0]}`).toBeGreaterThanOrEqual(counts[k - 1][0]);
    }
    // The last line is b-mse's last repetition (the finishes say nothing without inspect); progress.done fills the bar.
    expect(seen.at(-1)![0]).toMatch(/^\d+\/49 b-mse · \S+ · rep 5\/5/);
    expect(counts.every(([k]) => k >= 1 && k <= N)).toBe(true);
    expect(seen.every(([, f]) => f >= 0 && f < 1)).toBe(true);
  });

  it('a system whose loss turns non-finite during the timed repetitions fails its row (as ours would throw)', async () => {
    const driver = stubDriver({}, 0.5);
    let calls = 0;
    const train = driver.train.bind(driver);
    driver.train = async (i, steps) => ({ ...(await train(i, steps)), ...(++calls >= 5 ? { loss: NaN } : {}) });
    const row = await measureRow(driver, 'jax-wasm', CONFIG_A, policy, () => undefined);
    expect(row.status).toBe('error');
    expect(row.error).toMatch(/timed repetition \d is NaN \(diverged while timed\)/);
  });

  it('marks a system whose loss after N steps is off as wrong, and the run fails', async () => {
    const rows: Row[] = [];
    for (const system of ['ours-cpu', 'ours-webgpu', 'tfjs-cpu'] as SystemId[]) rows.push(await measureRow(stubDriver({ 'ours-cpu': 0.5, 'ours-webgpu': 0.50001, 'tfjs-cpu': 0.51 }), system, CONFIG_A, policy, () => undefined));
    agree(rows, CONFIG_A);
    expect(rows.map((r) => r.status)).toEqual(['ok', 'ok', 'wrong']);
    expect(rows[2].agreement).toMatchObject({ ref: 'ours-cpu', ok: false });

    const o = { ...parseArgs(['--configs', 'a', '--systems', 'ours-cpu,tfjs-cpu', '--target-ms', '5'], 'node'), quiet: true };
    const result = await measureAll(stubDriver({ 'ours-cpu': 0.5, 'tfjs-cpu': 0.6 }, 0.1), o, o.configs, { runner: 'node', cpu: { model: 'x', cores: 1 }, node: 'v', os: 'o' }, 'test', new Progress(true));
    expect(result.ok).toBe(false);
    expect(result.failures[0]).toMatch(/a tfjs-cpu: loss 0.6 vs ours-cpu 0.5/);
  });

  it('ours-wasm: targets against tfjs-wasm (3×) and jax-wasm (1.25×) on b–d, and its GFLOP/s as a share of the wasm peak', async () => {
    const b = FULL_CONFIGS.find((c) => c.group === 'b')!;
    const ms: Partial<Record<SystemId, number>> = { 'ours-wasm': 1, 'tfjs-wasm': 4, 'jax-wasm': 1.1 };
    const rows: Row[] = [];
    for (const system of Object.keys(ms) as SystemId[]) rows.push(await measureRow(stubDriver({}, ms[system]), system, b, policy, () => undefined));
    ratios(rows);
    const targets = checkTargets(rows, [b]).filter((t) => t.system === 'ours-wasm');
    expect(targets.map((t) => [t.versus, t.want, t.met])).toEqual([['tfjs-wasm', 3, true], ['jax-wasm', 1.25, false]]);
    expect(targets[0].got).toBeCloseTo(4, 9);
    expect(targets[1].got).toBeCloseTo(1.1, 9);
    const env = { runner: 'browser' as const, cpu: { model: 'x', cores: 2 }, wasm: { threads: 1, simd: 'relaxed', peakGflops: 2 * rows[0].gflops! } };
    const result = { rows, env } as unknown as BenchResult;
    expect(wasmPeakLines(result)).toEqual([expect.stringMatching(/^b-mse ours-wasm: .* GFLOP\/s = 50\.0% of the .* GFLOP\/s wasm relaxed FMA peak \(1 thread\)$/)]);
    expect(envLine(env)).toMatch(/ours-wasm 1 thread, wasm relaxed FMA peak/);
  });
});

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
    const e = rows.find((r) => r[0]!.startsWith('e: '))!.at(-1)!;
    for (const [name, config] of [['SGD', 'e-sgd'], ['Adam', 'e-adam']]) {
      const [, ours, peer, ratio] = new RegExp(`${name} ([\\d.]+) vs ([\\d.]+) s \\(([\\d.]+)×\\)`).exec(e)!;
      const times = (mine: boolean) => fair.rows.filter((r) => r.config === config && r.system.startsWith('ours-') === mine).map((r) => r.timeToAccuracy!);
      near(ours!, Math.min(...times(true)), `${name}: our fastest`);
      near(peer!, Math.min(...times(false)), `${name}: the fastest peer`);
      near(ratio!, Math.min(...times(false)) / Math.min(...times(true)), `${name}: the ratio`);
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
    const fixed = parseArgs(['--quick', '--rep-steps', '7'], 'node').policy;
    expect(policyLine(fixed, { repMs: true, fit: false })).toBe('Timing: 5 timed repetitions a row, 7 steps each (--rep-steps: no calibration, no cap rule).');
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

  it('a run of one config is wide enough for its title (~8 px a character, bold 14 px)', () => {
    const one = { ...result, configs: result.configs.filter((c) => c.id === 'a'), rows: result.rows.filter((r) => r.config === 'a') };
    const small = svgChart(one);
    const width = Number(small.match(/<svg[^>]* width="(\d+)"/)![1]);
    const [, x, title] = small.match(/<text x="(\d+)" y="20" font-size="14" font-weight="bold">([^<]*)<\/text>/)!;
    expect(title).toMatch(/^steps\/s per config and system/);
    expect(Number(x) + 8 * title.length).toBeLessThanOrEqual(width);
  });
});

describe('config e: time to accuracy (issue 14)', () => {
  const ep = (at: number[], acc: number[], loss = 2): EpochStat[] => at.map((t, k) => ({ epoch: k + 1, at: t, loss, testAccuracy: acc[k] }));
  const row = (system: SystemId, epochs: EpochStat[], config = 'e-sgd'): Row => ({ system, config, status: 'ok', agreeSteps: 63, epochs, finalLoss: epochs[0].loss });

  it('e is in the browser runner\'s default (SGD lr 0.1, Adam lr 1e-3; 8000/2000, batch 128, 5 epochs), not the Node runner\'s; --epochs changes it', () => {
    expect(CONFIG_E.map((c) => [c.id, c.fit!.optimizer, c.lr, c.fit!.train, c.fit!.test, c.fit!.epochs, c.batch])).toEqual([
      ['e-sgd', 'sgd', 0.1, 8000, 2000, 5, 128], ['e-adam', 'adam', 1e-3, 8000, 2000, 5, 128]]);
    expect(CONFIG_E[0].layers.map((l) => `${l.units} ${l.activation}`)).toEqual(['128 relu', '10 softmax']);
    expect(parseArgs([], 'browser').configs.map((c) => c.id)).toEqual([...FULL_CONFIGS.map((c) => c.id), 'e-sgd', 'e-adam']);
    expect(parseArgs([], 'node').configs.map((c) => c.id)).toEqual(FULL_CONFIGS.map((c) => c.id));
    expect(parseArgs(['--quick'], 'browser').configs.map((c) => c.id)).toEqual(['a', 'q-mse', 'q-ce', 'qe-sgd', 'qe-adam', 'q-matmul']);
    expect(parseArgs(['--configs', 'e', '--epochs', '2'], 'browser').configs.map((c) => c.fit!.epochs)).toEqual([2, 2]);
    expect(unsupported('tfjs-cpu', CONFIG_E[0])).toMatch(/runs on ours-webgpu/);
    expect(unsupported('jax-wasm', CONFIG_E[0])).toBeNull();
  });

  it('the goal is the best peer\'s final accuracy − 0.5 point; each system\'s time is its first epoch end at the goal; ours ≤ ½ the fastest peer', () => {
    const c = CONFIG_E[0];
    const rows = [
      row('ours-cpu', ep([1, 2, 3], [0.80, 0.90, 0.92])),
      row('ours-wasm', ep([0.5, 1, 1.5], [0.80, 0.88, 0.916])),
      row('tfjs-webgl', ep([4, 8, 12], [0.85, 0.91, 0.92])),
      row('jax-wasm', ep([1, 2, 3], [0.86, 0.915, 0.921])),
    ];
    const t = timeToAccuracy(rows, c)!;
    expect(t.goal).toBeCloseTo(0.916, 12); // 0.921 − 0.005
    expect(rows.map((r) => r.timeToAccuracy)).toEqual([3, 1.5, 12, 3]);
    expect(t.check).toMatchObject({ config: 'e-sgd', system: 'ours-wasm', versus: 'jax-wasm', want: 2, met: true });
    expect(t.check.got).toBeCloseTo(2, 12);
    // Just short of the goal: never reached.
    rows[1].epochs![2].testAccuracy = 0.9159;
    const u = timeToAccuracy(rows, c)!;
    expect(rows[1].timeToAccuracy).toBeNull();
    expect(u.check).toMatchObject({ system: 'ours-cpu', got: 1, met: false });
    // No peer: no goal.
    expect(timeToAccuracy(rows.slice(0, 2), c)).toBeNull();
  });

  it('a run with e rows: agreement on epoch 1\'s loss, the target, the Markdown section and the accuracy-vs-seconds SVG', async () => {
    const runs: Partial<Record<SystemId, EpochStat[]>> = {
      'ours-cpu': ep([1, 2], [0.9, 0.93], 0.5), 'tfjs-webgl': ep([3, 6], [0.9, 0.93], 0.5002), 'jax-wasm': ep([2, 4], [0.9, 0.925], 0.5006),
    };
    const driver: Driver = { ...stubDriver({}), fit: async (system) => ({ description: system, epochs: runs[system]! }) };
    const o = { ...parseArgs(['--configs', 'e-sgd', '--epochs', '2', '--systems', 'ours-cpu,tfjs-webgl,jax-wasm,tfjs-cpu'], 'browser'), quiet: true };
    const result = await measureAll(driver, o, o.configs, { runner: 'browser', cpu: { model: 'x', cores: 2 } }, 'test', new Progress(true));
    expect(result.rows.map((r) => r.status)).toEqual(['ok', 'ok', 'wrong', 'skipped']); // 0.5006 is 1.2e-3 off: past rtol 1e-3
    expect(result.goals).toEqual({ 'e-sgd': expect.closeTo(0.925, 12) });
    expect(result.targets).toEqual([expect.objectContaining({ config: 'e-sgd', system: 'ours-cpu', versus: 'tfjs-webgl', got: 3, met: true })]);
    const md = markdown(result);
    expect(md).toContain('## Time to accuracy: e-sgd');
    // goal 92.5% (tfjs-webgl's 93.0%; jax-wasm disagreed, so it is no peer here): ours-cpu at 2 s, tfjs-webgl at 6 s.
    expect(md).toContain('| ours-cpu | 1.00 s | 1.00 | 2.00 s | 0.500000 | 90.0%, 93.0% | 2.00 s |');
    const svg = ttaSvg(result)!;
    expect(svg.match(/<polyline/g)).toHaveLength(3); // one line per system that trained (the wrong one too)
    expect(svg).toContain('stroke-dasharray');
    // One epoch a row (the quick qe, --epochs 1): one dot per system says nothing, so no chart; the epoch table stays.
    const firstEpoch = (r: Row, config = r.config): Row => ({ ...r, config, epochs: r.epochs?.slice(0, 1) });
    const one = { ...result, rows: result.rows.map((r) => firstEpoch(r)) };
    expect(ttaSvg(one)).toBeNull();
    expect(markdown(one)).toContain('| ours-cpu | 1.00 s | — | 1.00 s | 0.500000 | 90.0% |');
    // Beside a config of more epochs, the one-epoch config gets no panel: the chart is e-sgd's alone.
    const qe = { ...result.configs[0], id: 'qe-sgd' };
    const mixed = ttaSvg({ ...result, configs: [...result.configs, qe], rows: [...result.rows, ...result.rows.map((r) => firstEpoch(r, 'qe-sgd'))] })!;
    expect(mixed.match(/font-weight="bold">(q?e-sgd)</g)).toEqual(['font-weight="bold">e-sgd<']);
    expect(mixed.match(/<polyline/g)).toHaveLength(3);
  });

  it('the batch order matters: under another shuffle seed ours-cpu\'s epoch 1 fails the agreement (qe-sgd and qe-adam)', async () => {
    for (const c of QUICK_E as (BenchConfig & { fit: FitConfig })[]) {
      const split = mnistSplitOf(mnistAll(), c.fit.train, c.fit.test);
      const { net, params } = startOf(c);
      const input = { config: c, m: { net, params, X: new Float32Array(0), Y: new Float32Array(0) }, train: digitsOf(split.train, c.fit.train, split.standardize), test: digitsOf(split.test, c.fit.test, split.standardize) };
      const a = await oursFit('cpu', input);
      const b = await oursFit('cpu', { ...input, config: { ...c, fit: { ...c.fit, shuffleSeed: c.fit.shuffleSeed + 1 } } });
      const again = await oursFit('cpu', input);
      expect(again.epochs[0].loss, c.id).toBe(a.epochs[0].loss);
      expect(a.epochs[0].testAccuracy, c.id).toBeGreaterThan(0.1);
      // The same order agrees with itself; another order is 'wrong' (its epoch-1 loss, its accuracy or both).
      const rows = [row('ours-cpu', a.epochs, c.id), row('jax-wasm', again.epochs, c.id), row('tfjs-webgl', b.epochs, c.id)];
      agree(rows, c);
      expect(rows.map((r) => r.status), c.id).toEqual(['ok', 'ok', 'wrong']);
    }
  }, 60_000);

  it('e: a row whose epoch-1 test accuracy is more than FIT_ACCURACY_SLACK test examples off is wrong, even with the loss in tolerance', () => {
    const c = CONFIG_E[1]; // e-adam: 2000 test digits
    const at = (k: number): number => k / c.fit!.test;
    const rows = [row('ours-cpu', ep([1], [at(1766)], 0.7), 'e-adam'), row('jax-wasm', ep([2], [at(1766 + FIT_ACCURACY_SLACK)], 0.7), 'e-adam'),
      row('tfjs-webgl', ep([3], [at(1766 - FIT_ACCURACY_SLACK - 1)], 0.7), 'e-adam'), row('jax-webgpu', ep([3], [at(1785)], 0.7001), 'e-adam')];
    agree(rows, c);
    expect(rows.map((r) => [r.status, r.agreement?.accuracyExamplesOff])).toEqual([['ok', 0], ['ok', 2], ['wrong', 3], ['wrong', 19]]);
    expect(rows[3].agreement!.relErr).toBeLessThan(c.rtol); // another batch order (19 digits, measured) that the loss alone lets through
    // Only epoch 1 is compared (later Adam epochs drift apart by a few digits, float32 differences compounding).
    const later = [row('ours-cpu', ep([1, 2], [at(1766), at(1800)], 0.7), 'e-adam'), row('jax-wasm', ep([1, 2], [at(1766), at(1805)], 0.7), 'e-adam')];
    agree(later, c);
    expect(later[1].status).toBe('ok');
    const { failures } = summarize(rows, [c]);
    expect(failures).toEqual([
      "e-adam tfjs-webgl: epoch-1 test accuracy 3 test examples off ours-cpu's (> 2: another batch order?)",
      "e-adam jax-webgpu: epoch-1 test accuracy 19 test examples off ours-cpu's (> 2: another batch order?)",
    ]);
  });

  it('the page\'s table shows an e row\'s test accuracy, fit time (total, epoch 1, later epochs\' mean) and time to goal', () => {
    // Epoch ends at 1.2, 2.0 and 2.8 s: total 2.80 s, epoch 1 1.20 s, later epochs (2.8 − 1.2) / 2 = 0.80 s each.
    const r = { ...row('ours-cpu', ep([1.2, 2.0, 2.8], [0.9, 0.93, 0.925], 0.5)), timeToAccuracy: 2 };
    const cells = Object.fromEntries(TABLE_HEAD.map((h, k) => [h, rowCells(r)[k]]));
    expect(cells).toMatchObject({
      'ms/step (median)': '—', 'loss after N (e: epoch 1)': '0.5', 'test accuracy (e)': '92.5% after 3 epochs',
      'fit time (e)': '2.80 s (epoch 1 1.20 s, then 0.80 s/epoch)', 'time to goal (e)': '2.00 s',
    });
    expect(rowCells({ ...row('jax-wasm', ep([0.51], [0.578])), timeToAccuracy: null }).slice(5, 8)).toEqual(['57.8% after 1 epoch', '0.51 s (1 epoch)', 'not reached']);
    // A step row (config a) has none of them.
    const a: Row = { system: 'ours-cpu', config: 'a', status: 'ok', agreeSteps: 63, msPerStep: stat([0.002]), stepsPerSec: 5e5, finalLoss: 0.125 };
    expect(rowCells(a).slice(3, 8)).toEqual(['5.00e+5', '0.125', '—', '—', '—']);
    expect(rowCells(a)).toHaveLength(TABLE_HEAD.length);
  });

  it('a fit reports each epoch to the run\'s progress line (the page\'s status and bar), the bar moving within the row', async () => {
    const runs: Partial<Record<SystemId, EpochStat[]>> = { 'ours-cpu': ep([1, 2], [0.9, 0.93]), 'jax-wasm': ep([3, 6], [0.88, 0.92]) };
    const driver: Driver = {
      ...stubDriver({}),
      fit: async (system, _c, onEpoch) => {
        for (const e of runs[system]!) onEpoch?.(e);
        return { description: system, epochs: runs[system]! };
      },
    };
    const o = { ...parseArgs(['--configs', 'e-sgd', '--epochs', '2', '--systems', 'ours-cpu,jax-wasm'], 'browser'), quiet: true };
    const seen: [string, number | undefined][] = [];
    await measureAll(driver, o, o.configs, { runner: 'browser', cpu: { model: 'x', cores: 2 } }, 'test', { show: (t, f) => seen.push([t, f]), done: () => undefined });
    const epochLines = seen.filter(([t]) => /epoch \d\/2/.test(t));
    expect(epochLines).toEqual([
      ['1/2 e-sgd · ours-cpu · fit, epoch 1/2: 1.0 s, 90.0% test accuracy', 0.25],
      ['1/2 e-sgd · ours-cpu · fit, epoch 2/2: 2.0 s, 93.0% test accuracy', 0.5],
      ['2/2 e-sgd · jax-wasm · fit, epoch 1/2: 3.0 s, 88.0% test accuracy', 0.75],
      ['2/2 e-sgd · jax-wasm · fit, epoch 2/2: 6.0 s, 92.0% test accuracy', 1],
    ]);
  });

  it('the page\'s charts: no empty steps/s axis for an e-only run, the accuracy-vs-seconds chart instead', async () => {
    const runs: Partial<Record<SystemId, EpochStat[]>> = { 'ours-cpu': ep([1, 2], [0.9, 0.93]) };
    const driver: Driver = { ...stubDriver({}), fit: async (system) => ({ description: system, epochs: runs[system]! }) };
    const o = { ...parseArgs(['--configs', 'e-sgd', '--epochs', '2', '--systems', 'ours-cpu'], 'browser'), quiet: true };
    const result = await measureAll(driver, o, o.configs, { runner: 'browser', cpu: { model: 'x', cores: 2 } }, 'test', new Progress(true));
    const svg = pageCharts(result);
    expect(svg).toContain('test accuracy vs seconds');
    expect(svg).not.toContain('steps/s per config');
    expect(pageCharts({ ...result, rows: [{ system: 'ours-cpu', config: 'a', status: 'ok', agreeSteps: 63, stepsPerSec: 5e5 }], configs: [{ ...result.configs[0], id: 'a' }] })).toContain('steps/s per config');
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
    expect(head).toEqual([...TABLE_HEAD, 'vs tfjs-wasm', 'vs jax-wasm']);
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
    const ms = TABLE_HEAD.indexOf('ms/step (median)');
    const { body, note } = pageTable(rows, policy);
    expect(body.map((c) => c[ms])).toEqual(['10.0 ms', '10.0 ms†', '10.0 ms*']);
    expect(note).toBe('*: capped, repetitions of one step (the row would have passed its time budget) · †: the median repetition lasted under half the 200 ms target (the JSON\'s repMs)');
    // The same rows in the Markdown: the same marks (one rule, report.ts shortReps).
    expect(markdown({ mode: 'full', date: 'd', command: 'c', env: { runner: 'browser', cpu: { model: 'x', cores: 2 } }, policy, configs: [], rows, targets: [], ok: true, failures: [], seconds: 0 } as unknown as BenchResult)).toMatch(/ours-wasm .*†/);
    expect(pageTable(rows.slice(0, 1), policy).note).toBe('');
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
    expect(targets.find((t) => t.system === 'ours-wasm' && t.versus === 'jax-wasm')).toMatchObject({ got: 1.5, met: true, versusThreads: 0 });
    const md = markdown({ mode: 'quick', date: 'd', command: 'c', env: { runner: 'browser', cpu: { model: 'x', cores: 2 } }, configs: [], rows, targets, ok: true, failures: [], seconds: 0 } as unknown as BenchResult);
    expect(md).toContain('| b-mse: ours-wasm vs jax-wasm (vs 0 workers: its main thread) | ≥ 1.25× | 1.50× | yes |');
    expect(md).toContain('`jax-wasm (0 workers: its main thread)`: not cross-origin isolated, jax-js has no worker pool and runs each kernel on the page\'s main thread');
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
    expect(doneLine({ ...base, rows: [] })).toBe('done in 0 s: nothing ran');
    const skipped: Row = { system: 'scalar', config: 'b-mse', status: 'skipped', agreeSteps: 5, error: 'too big' };
    expect(doneLine({ ...base, rows: [skipped] })).toBe('done in 0 s: nothing ran (1 skipped)');
    const ran: Row = { system: 'ours-cpu', config: 'b-mse', status: 'ok', agreeSteps: 5 };
    expect(doneLine({ ...base, rows: [ran, ran, skipped] })).toBe('done in 0 s: 2 rows ran and agreed (1 skipped)');
    expect(doneLine({ ...base, ok: false, failures: ['a jax-wasm: loss 1 vs ours-cpu 2'], rows: [ran] })).toBe('done: a jax-wasm: loss 1 vs ours-cpu 2');
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
    for (const v of ['0', '-1', '1.5', 'x', '']) expect(bad(`?jaxWorkers=${v}`).param).toBe('jaxWorkers');
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
    expect(() => parseArgs(['--jax-wasm-workers', '1,x'], 'browser')).toThrow(/positive integer or a list/);
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
    expect(wasmPeakLines(merged)[1]).toMatch(/of the 20\.0 GFLOP\/s .*\(2 threads\)$/);
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
