/**
 * The benchmark's logic in Node (issue 4), its configs and measuring protocol: configs and their shared start, the
 * command line's options, and the protocol against a stub driver (calibration, the cap, round-robin repetitions, the
 * agreement rule that fails a run, the targets). The report files and the Node runner's --quick on the CPU systems
 * are test/bench-report.test.ts's; config e's time to accuracy, test/bench-tta.test.ts's. No timing is asserted
 * anywhere.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HelpRequested, measureAll, parseArgs, Progress } from '../bench/bench.ts';
import { CONFIG_A, CONFIG_E, CONFIG_F, CONFIG_F_MATMUL, QUICK_MATMUL, FULL_CONFIGS, flopsPerStep, materialize, QUICK_CONFIGS, selectConfigs, userConfigs } from '../bench/configs.ts';
import { Model } from '../src/model.ts';
import { agree, agreeStepsOf, CALIBRATION_CALLS, CALIBRATION_GROWTH, CALIBRATION_SPEEDUP, CALIBRATION_WARMUP, type Driver, FULL_POLICY, measureConfig, measureRow, QUICK_POLICY, type Row, stat } from '../bench/protocol.ts';
import { checkTargets, ratios } from '../bench/targets.ts';
import { type BenchResult, markdown, shortReps, wasmPeakLines } from '../bench/report.ts';
import { envLine } from '../bench/labels.ts';
import { RUNNER_SYSTEMS, SYSTEMS, type SystemId, unsupported } from '../bench/systems.ts';
import { stubDriver } from './lib/bench-stub.ts';

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
    expect(() => parseArgs(['--frobnicate'], 'node')).not.toThrow(HelpRequested);
    // --help or -h anywhere is the usage, as the developer tools' (src/node/flags.ts): `--frobnicate --help` was the
    // unknown option's error and -h a stray argument.
    expect(() => parseArgs(['--frobnicate', '--help'], 'node')).toThrow(HelpRequested);
    expect(() => parseArgs(['--quick', '-h'], 'node')).toThrow(HelpRequested);
    // --activation: every activation but softmax, all of them named when refused (linear was accepted but not named).
    expect(parseArgs(['--layers', '4,3,2', '--activation', 'linear'], 'node').configs[0].layers[0].activation).toBe('linear');
    expect(() => parseArgs(['--layers', '4,3,2', '--activation', 'softmax'], 'node')).toThrow("--activation wants identity, linear, sigmoid, relu, leaky_relu or tanh, got 'softmax'");
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
    // A bare matmul compares one product, the same at any N: --steps with it alone did nothing; beside a net it leaves its N at 1.
    expect(() => parseArgs(['--configs', 'q-matmul', '--steps', '3'], 'browser')).toThrow(/^--steps sets the agreement run .*a bare matmul its one product instead: it would do nothing/);
    const mixed = parseArgs(['--configs', 'a,q-matmul', '--steps', '3'], 'browser');
    expect(mixed.configs.map((c) => agreeStepsOf(c, mixed.policy))).toEqual([3, 1]);
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

  it('the bare matmul\'s skip reason names the GPU systems of the runner in use (the Dawn runner has no TF.js, no jax-js)', async () => {
    expect(unsupported('ours-cpu', QUICK_MATMUL)).toBe('the bare matmul row is for GPU systems (ours-webgpu, tfjs-webgpu, tfjs-webgl, jax-webgpu)');
    expect(unsupported('ours-cpu', QUICK_MATMUL, undefined, 'dawn')).toBe('the bare matmul row is for GPU systems (ours-webgpu)');
    // A Dawn run's ours-cpu row on q-matmul: measureAll asks for its runner's (env.runner) reason. (The stub driver
    // cannot check a bare matmul: the ours-webgpu row errs, which is not what this is about.)
    const o = { ...parseArgs(['--configs', 'q-matmul', '--systems', 'ours-webgpu,ours-cpu', '--rep-steps', '1', '--reps', '2', '--no-inspect'], 'dawn'), quiet: true };
    const result = await measureAll(stubDriver({}), o, o.configs, { runner: 'dawn', cpu: { model: 'x', cores: 1 } }, 'test', new Progress(true));
    expect(result.rows.filter((r) => r.system === 'ours-cpu').map((r) => [r.status, r.error])).toEqual([['skipped', 'the bare matmul row is for GPU systems (ours-webgpu)']]);
  });

  it("config e's skip reason names only the runner's systems: the browser runner's fit systems, and on the Node and Dawn runners none (it listed all six there)", () => {
    const e = CONFIG_E[0];
    expect(unsupported('tfjs-cpu', e)).toBe("config e-sgd runs on ours-webgpu, ours-wasm, ours-cpu, tfjs-webgl, jax-webgpu, jax-wasm (the systems with a fit of their own here)");
    expect(unsupported('ours-cpu', e)).toBeNull();
    // Each system's own fit runs in the bench page: on the other runners ours-cpu and ours-webgpu do not run it either.
    // The reason names the config, the runner in use and the one that runs it (not the other one), and none of the
    // systems only the browser runner has (TF.js's, jax-js's, ours-wasm); the command line refuses e there with the
    // same sentence after the ids.
    const after = (text: string): string => text.replace(/^.*? (is|are) /, '');
    for (const runner of ['node', 'dawn'] as const) {
      const why = RUNNER_SYSTEMS[runner].map((system) => unsupported(system, e, undefined, runner));
      expect(new Set(why).size, runner).toBe(1);
      const [reason] = why;
      expect(reason).toMatch(/^config e-sgd is /);
      expect(reason).toMatch(new RegExp(`\\b${runner} runner`));
      expect(reason).not.toMatch(runner === 'node' ? /dawn/ : /node/);
      expect(reason).toMatch(/browser runner \(npm run bench\)/);
      for (const other of SYSTEMS.filter((s) => !RUNNER_SYSTEMS[runner].includes(s))) expect(reason, `${runner}: ${other}`).not.toContain(other);
      let refused = '';
      try {
        parseArgs(['--configs', 'e'], runner);
      } catch (err) {
        refused = (err as Error).message;
      }
      expect(refused).toMatch(/^--configs: e-sgd, e-adam are /);
      expect(after(refused)).toBe(after(reason!));
    }
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
    expect(envLine(env)).toMatch(/ours-wasm 1 thread, wasm relaxed FMA peak [\d.]+ GFLOP\/s ·/);
    // Which GEMM block ours-wasm ran (records since stop 44's 6 × 2 say it).
    expect(envLine({ ...env, wasm: { ...env.wasm, tiling: '6 × 2' } })).toMatch(/ours-wasm 1 thread, wasm relaxed FMA peak [\d.]+ GFLOP\/s, GEMM blocks 6 × 2/);
    // Which fused kernel ours-webgpu's tiny nets (config a) ran (records since 2026-12-06 say it); older ones say nothing.
    const gpu = { available: true, vendor: 'google', architecture: 'swiftshader', variant: 'blocked-subgroup' };
    expect(envLine({ ...env, webgpu: { ...gpu, tinyNets: 'main_lanes' } })).toMatch(/ours-webgpu kernels blocked-subgroup \(picked by auto\), tiny nets on main_lanes ·/);
    expect(envLine({ ...env, webgpu: gpu })).not.toMatch(/tiny nets/);
  });
});
