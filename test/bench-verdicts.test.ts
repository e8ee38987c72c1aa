/**
 * The benchmark's verdicts against wrong answers (a mutation audit of bench/, bmut53: each test here failed on a mutant
 * the other node tests let through): the parameter check's sign and its config tolerance, an erred row with a loss,
 * calibration's half-target rule, the reference-only ours-cpu run,
 * config e's reference accuracy and medians, a fit cut short, the Markdown and the terminal's verdicts, and the
 * accuracy of a TF.js fit. Expected values are worked by hand in the comments; the drivers and fits are stubs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ALL_CONFIGS, type BenchConfig, CONFIG_A, CONFIG_E, type FitConfig, QUICK_E, startOf } from '../bench/configs.ts';
import { comparesParams, paramsAgreement } from '../bench/agree-params.ts';
import { medianEpochs, measureFits, timeToAccuracy } from '../bench/epochs.ts';
import { type EpochStat, tfFit } from '../bench/fit-systems.ts';
import { measureAll, summarize } from '../bench/measure.ts';
import { finish } from '../bench/output.ts';
import { agree, type Driver, FULL_POLICY, measureRow, type Policy, type Row } from '../bench/protocol.ts';
import { type BenchResult, describeConfigs, markdown, terminalTable } from '../bench/report.ts';
import type { SystemId } from '../bench/systems.ts';

const dir = mkdtempSync(join(tmpdir(), 'bench-verdicts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lossRow = (system: SystemId, finalLoss: number, extra: Partial<Row> = {}): Row => ({ system, config: 'a', status: 'ok', agreeSteps: 10, finalLoss, ...extra });
const ep = (at: number[], acc: number[], loss = 2): EpochStat[] => at.map((t, k) => ({ epoch: k + 1, at: t, loss, testAccuracy: acc[k] }));
const env = { runner: 'browser' as const, cpu: { model: 'x', cores: 2 } };

describe('the parameter check (agree-params.ts, protocol.ts agree)', () => {
  it('a parameter below the reference\'s fails as one above it does, under the config\'s rtol and atol, and the reason names what failed', () => {
    // rtol 0.5, atol 0.25, reference parameters (1, −4, 2): tol = 0.5·max|θ_ref| + 0.25 = 0.5·4 + 0.25 = 2.25 (exact).
    const c: BenchConfig = { ...CONFIG_A, rtol: 0.5, atol: 0.25 };
    const ref = Float32Array.from([1, -4, 2]);
    const rows = [
      lossRow('ours-cpu', 1, { agreeParams: ref }),
      lossRow('ours-wasm', 1, { agreeParams: Float32Array.from([1, -4, 2 + 2.25]) }), // off by exactly tol: agrees
      lossRow('tfjs-cpu', 1, { agreeParams: Float32Array.from([1, -4, 2 - 2.5]) }), // 2.5 below: wrong (2.5 > 2.25)
      lossRow('jax-wasm', 1, { agreeParams: Float32Array.from([1, -4 - 2.5, 2]) }), // 2.5 below a negative one: wrong
      // Loss off too (|3 − 1| = 2 > 0.5·1 + 0.25 = 0.75): its reason is the loss, not "its loss within tolerance".
      lossRow('tfjs-wasm', 3, { agreeParams: Float32Array.from([1, -4, 2 + 2.5]) }),
    ];
    agree(rows, c);
    expect(rows.map((r) => [r.status, r.paramsAgreement?.absErr, r.paramsAgreement?.tol])).toEqual([
      ['ok', 0, 2.25], ['ok', 2.25, 2.25], ['wrong', 2.5, 2.25], ['wrong', 2.5, 2.25], ['wrong', 2.5, 2.25],
    ]);
    const { failures } = summarize(rows, [c]);
    expect(failures).toEqual([
      "a tfjs-cpu: parameters after 10 steps off ours-cpu's by up to 2.50e+0 (> 2.25e+0), its loss within tolerance",
      "a jax-wasm: parameters after 10 steps off ours-cpu's by up to 2.50e+0 (> 2.25e+0), its loss within tolerance",
      'a tfjs-wasm: loss 3 vs ours-cpu 1 (rel. err 2.00e+0 > tolerance)',
    ]);
  });

  it('a NaN parameter is off by Infinity, not NaN; only a–d compare parameters, not a fit, a bare matmul or config f', () => {
    expect(paramsAgreement(Float32Array.from([1, NaN]), Float32Array.from([1, 2]), 1e-4, 1e-7)).toEqual({ absErr: Infinity, tol: 1e-4 * 2 + 1e-7, ok: false });
    // a–d and q: at most 2²² parameters (d: 2.1·10⁶); f (4096-wide: 3.4·10⁷) is past it; e, qe are fits; *-matmul a product.
    expect(ALL_CONFIGS.filter((c) => !comparesParams(c)).map((c) => c.id)).toEqual(['e-sgd', 'e-adam', 'qe-sgd', 'qe-adam', 'q-matmul', 'f', 'f-matmul']);
  });

  it('a row that erred after its agreement run is neither the reference nor judged: it stays an error', () => {
    // No ours-cpu: the reference is the first row with a loss that ran ok (ours-wasm), not the erred tfjs-cpu before it.
    const rows = [lossRow('tfjs-cpu', 0.9, { status: 'error', error: 'LimitError: out of memory' }), lossRow('ours-wasm', 0.5), lossRow('jax-wasm', 0.5)];
    agree(rows, CONFIG_A);
    expect(rows.map((r) => [r.status, r.agreement?.ref])).toEqual([['error', undefined], ['ok', 'ours-wasm'], ['ok', 'ours-wasm']]);
  });
});

describe('config e with several fits (protocol.ts agree, epochs.ts)', () => {
  const c = CONFIG_E[0]; // e-sgd: 2000 test digits, 5 epochs
  const acc = (k: number): number => k / c.fit!.test;

  it('the reference accuracy is its first fit\'s epoch 1, not the median of its fits', () => {
    // ours-cpu's fits at 1766, 1768, 1768 digits (each within 2 of its fit 1): their median 1768; jax-wasm's one fit at
    // 1764 is 2 off fit 1 (within FIT_ACCURACY_SLACK), 4 off the median.
    const fits = [1766, 1768, 1768].map((k) => ({ epochs: ep([1], [acc(k)], 0.7) }));
    const ref: Row = { system: 'ours-cpu', config: c.id, status: 'ok', agreeSteps: 63, finalLoss: 0.7, fits, epochs: medianEpochs(fits.map((f) => f.epochs)) };
    const rows = [ref, { system: 'jax-wasm', config: c.id, status: 'ok', agreeSteps: 63, finalLoss: 0.7, epochs: ep([1], [acc(1764)], 0.7) } as Row];
    agree(rows, c);
    expect(rows.map((r) => [r.status, r.agreement!.accuracyExamplesOff])).toEqual([['ok', 2], ['ok', 2]]);
  });

  it('medianEpochs takes each epoch\'s median by definition: the middle of three sorted values', () => {
    const m = medianEpochs([ep([3, 6], [0.8, 0.9], 1), ep([1, 8], [0.95, 0.7], 3), ep([2, 7], [0.85, 0.8], 2)]);
    // at: (3, 1, 2) → 2, (6, 8, 7) → 7; accuracy (0.8, 0.95, 0.85) → 0.85, (0.9, 0.7, 0.8) → 0.8; loss (1, 3, 2) → 2.
    expect(m).toEqual([{ epoch: 1, at: 2, loss: 2, testAccuracy: 0.85 }, { epoch: 2, at: 7, loss: 2, testAccuracy: 0.8 }]);
  });

  it('a row whose fits mostly never reached the goal has none (median of ∞, ∞, t); one whose count\'s peer never reached it meets the target', () => {
    // Peers: jax-wasm on 2 workers reaches 0.9 (goal 0.9 − 0.005 = 0.895) at 3 s; jax-wasm on 1 worker stays at 0.8.
    const peer2: Row = { system: 'jax-wasm', config: c.id, status: 'ok', agreeSteps: 63, threads: 2, epochs: ep([1, 3], [0.85, 0.9]), finalLoss: 2 };
    const peer1: Row = { system: 'jax-wasm', config: c.id, status: 'ok', agreeSteps: 63, threads: 1, epochs: ep([1, 3], [0.7, 0.8]), finalLoss: 2 };
    // ours-wasm on 1 thread: three fits, two never at the goal, one at 1 s; ours-wasm on 2 threads: one fit at the goal at 1 s.
    const fits = [[0.5, 0.6], [0.6, 0.9], [0.5, 0.6]].map((a) => ({ epochs: ep([0.5, 1], a) }));
    const ours1: Row = { system: 'ours-wasm', config: c.id, status: 'ok', agreeSteps: 63, threads: 1, fits, epochs: medianEpochs(fits.map((f) => f.epochs)), finalLoss: 2 };
    const ours2: Row = { system: 'ours-wasm', config: c.id, status: 'ok', agreeSteps: 63, threads: 2, epochs: ep([0.5, 1], [0.6, 0.9]), finalLoss: 2 };
    const t = timeToAccuracy([peer2, peer1, ours1, ours2], c)!;
    expect(ours1.fits!.map((f) => f.timeToAccuracy)).toEqual([null, 1, null]);
    expect(ours1.timeToAccuracy).toBeNull(); // the median of (∞, 1, ∞) is ∞: not reached
    // Count 1: ours-wasm 1 thread never reached it (null) vs jax-wasm 1 worker never: no ratio. Count 2: 3 / 1 = 3 ≥ 2.
    expect(t.checks.map((x) => [x.threads, x.got, x.met])).toEqual([[1, null, false], [2, 3, true]]);
    // Ours on 1 thread reaching it where jax-wasm on 1 worker never does: an unbounded ratio, the target met.
    ours1.fits = undefined;
    ours1.epochs = ep([0.5, 1], [0.6, 0.9]);
    const again = timeToAccuracy([peer2, peer1, ours1, ours2], c)!;
    expect(again.checks.map((x) => [x.threads, x.got, x.met])).toEqual([[1, Infinity, true], [2, 3, true]]);
  });

  it('a fit that ran fewer epochs than the config\'s is an error, not a row of fewer epochs', async () => {
    const fit = vi.fn(async () => ({ description: 'stub', epochs: ep([1], [0.9]) }));
    const [row] = await measureFits(fit, [{ system: 'ours-cpu' }], c, 1, () => () => undefined);
    expect([row.status, row.error]).toEqual(['error', `Error: ran 1 of ${c.fit!.epochs} epochs`]);
  });
});

describe('what the reports say of a wrong row and a missed target (report.ts, output.ts)', () => {
  /** Config a: ours-cpu 2 ms/step (500 steps/s), tfjs-cpu 100 ms/step (10 steps/s): 500 / 10 = 50 < the wanted 100×; jax-wasm 20 % off in loss. */
  function result(): BenchResult {
    const timed = (ms: number[]): Partial<Row> => ({ msPerStep: { median: ms[1], min: ms[0], max: ms[2] }, stepsPerSec: 1000 / ms[1] });
    const rows = [lossRow('ours-cpu', 0.5, timed([1, 2, 4])), lossRow('tfjs-cpu', 0.5, timed([90, 100, 110])), lossRow('jax-wasm', 0.6, timed([3, 3, 3]))];
    const { targets, failures, failedRows } = summarize(rows, [CONFIG_A]);
    return {
      tool: 'backprop-webgpu bench', version: 1, date: '2026-12-06T00:00:00.000Z', mode: 'custom', command: 'test', env, policy: FULL_POLICY,
      configs: describeConfigs([CONFIG_A]), systems: rows.map((r) => r.system), rows, targets, ok: failures.length === 0, failures, failedRows, seconds: 1,
    };
  }

  it('the Markdown marks the wrong row WRONG, says the run FAILED, the missed target "no", and the median ms/step', () => {
    const md = markdown(result());
    expect(md).toContain('FAILED: a jax-wasm: loss 0.6 vs ours-cpu 0.5');
    expect(md).not.toContain('every system agreed');
    expect(md).toMatch(/\| a \| jax-wasm \|.*\| WRONG 2\.0e-1 \|/);
    // ours-cpu's row: median 2 ms, min–max 1–4 ms.
    expect(md).toMatch(/\| a \| ours-cpu \| 2\.00 ms \| 1\.00 ms–4\.00 ms \|/);
    expect(md).toMatch(/\| a: ours-cpu vs tfjs-cpu \| ≥ 100× \| 50\.0× \| no \|/);
    expect(terminalTable(result())).toMatch(/jax-wasm .*WRONG 2\.0e-1/);
  });

  it('finish prints the missed target NOT met and exits 1', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(finish(result(), { dir, name: 'verdicts', stamped: false })).toBe(1);
      const lines = log.mock.calls.map((c) => String(c[0]));
      expect(lines.filter((l) => l.startsWith('target '))).toEqual(['target a: ours-cpu ≥ 100× tfjs-cpu: 50.0× NOT met']);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});

describe('a TF.js fit\'s test accuracy (fit-systems.ts)', () => {
  it('is the share of test digits whose first maximum output is the label: zero weights, lr 0, every output 0, every guess class 0', async () => {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const c = { ...QUICK_E[0], lr: 0 } as BenchConfig & { fit: FitConfig };
    const { net, params } = startOf(c);
    const zero = { W: params.W.map((w) => new Float32Array(w.length)), b: params.b.map((b) => new Float32Array(b.length)) };
    // Ten test digits labelled 0, 0, 0, 3, 4, 5, 6, 7, 8, 9: guessing class 0 (the first of ten equal outputs) is right 3 of 10.
    const labels = [0, 0, 0, 3, 4, 5, 6, 7, 8, 9];
    const digits = (ls: number[]) => ({ n: ls.length, X: Float32Array.from({ length: ls.length * c.inputs }, (_, k) => (k % 97) / 97), Y: Float32Array.from({ length: ls.length * 10 }, (_, k) => (k % 10 === ls[Math.floor(k / 10)] ? 1 : 0)) });
    const run = await tfFit(tf, 'cpu', { config: { ...c, fit: { ...c.fit, train: 10, test: 10, epochs: 1 } }, m: { net, params: zero, X: new Float32Array(0), Y: new Float32Array(0) }, train: digits(labels), test: digits(labels) });
    expect(run.epochs.map((e) => e.testAccuracy)).toEqual([3 / 10]);
  }, 60_000);
});

describe('measuring (protocol.ts calibration, measure.ts the reference-only run)', () => {
  /** A driver whose k-th train call (0: the agreement run) lasts ms(k, steps); it logs each call's steps and each open. */
  function scripted(ms: (k: number, steps: number) => number) {
    const opened: SystemId[] = [];
    const calls: number[] = [];
    const driver: Driver = {
      open: async (system) => ({ id: opened.push(system) - 1, description: system }),
      train: async (_id, steps) => ({ loss: 1, ms: ms(calls.push(steps) - 1, steps) }),
      params: async () => Float32Array.from([1, 2]),
      close: async () => undefined,
    };
    return { driver, calls, opened };
  }

  it('a steady, warmed-up calibration call under half the target does not end calibration: the steps grow to the target', async () => {
    // Target 100 ms. The agreement run: 10 steps in 10 s (1000 ms/step) → s = ⌈100·10 / 10000⌉ = 1. Call 1: 450 ms/step
    // (spent 450 ≥ 4·100: warm from here; not steady, 450·1.5 < 1000): s = ⌈100 / 450⌉ = 1. Call 2: 0.1 ms/step (not
    // steady: 0.15 < 450): s = min(100 / 0.1, 64·1) = 64. Call 3: 64 steps, 6.4 ms, steady and warm but under 100 / 2:
    // s = min(100 / 0.1, 64·64) = 1000. Call 4: 1000 steps, 100 ms ≥ 50: done; the repetition runs 1000 steps.
    const policy: Policy = { reps: 1, targetRepMs: 100, maxStepsPerRep: 1 << 20, rowBudgetMs: 1e6, minReps: 1, agreeSteps: 10, inspect: false };
    const { driver, calls } = scripted((k, steps) => (k === 0 ? 10_000 : k === 1 ? 450 * steps : 0.1 * steps));
    const row = await measureRow(driver, 'ours-cpu', CONFIG_A, policy, () => undefined);
    expect([row.stepsPerRep, calls]).toEqual([1000, [10, 1, 1, 64, 1000, 1000]]);
  });

  it('a run with ours-cpu in --systems runs no reference-only ours-cpu beside its row (oracleReference)', async () => {
    const { driver, opened } = scripted((_k, steps) => steps);
    const policy: Policy = { reps: 1, targetRepMs: 1, maxStepsPerRep: 4, rowBudgetMs: 1e6, minReps: 1, inspect: false };
    const sink = { show: () => undefined, done: () => undefined };
    await measureAll(driver, { mode: 'custom', systems: ['ours-cpu', 'tfjs-cpu'], policy, oracleReference: true }, [CONFIG_A], env, 'test', sink);
    expect(opened).toEqual(['ours-cpu', 'tfjs-cpu']);
    // Without ours-cpu in --systems, it runs once, first (its N steps and parameters, no row).
    const other = scripted((_k, steps) => steps);
    const result = await measureAll(other.driver, { mode: 'custom', systems: ['tfjs-cpu'], policy, oracleReference: true }, [CONFIG_A], env, 'test', sink);
    expect([other.opened, result.rows.map((r) => [r.system, r.agreement?.ref])]).toEqual([['ours-cpu', 'tfjs-cpu'], [['tfjs-cpu', 'tfjs-cpu']]]);
  });
});
