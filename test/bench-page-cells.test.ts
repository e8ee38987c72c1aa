/**
 * The bench page's own strings, cell by cell, as a user benchmarking in their browser reads them (bench/page/table.ts:
 * rowCells, envBlock, pageFiles, configTitle; bench/page/yield.ts taskYielder): the cases the mutation audit bpmut55
 * found unguarded (reviews/bpmut55.md). Every expected string is worked by hand from README's "In your own browser"
 * and the functions' own docs, not copied from their output.
 */
import { describe, expect, it } from 'vitest';
import type { EpochStat } from '../bench/fit-systems.ts';
import { QUICK_POLICY, type Row } from '../bench/protocol.ts';
import type { RunEnv } from '../bench/labels.ts';
import { configTitle, envBlock, pageFiles, pageTable, rowCells, TABLE_HEAD } from '../bench/page/table.ts';
import { taskYielder } from '../bench/page/yield.ts';
import { type BenchResult, describeConfigs } from '../bench/report.ts';
import { ALL_CONFIGS } from '../bench/configs.ts';

/** Epoch ends at `at` seconds with test accuracies `acc`. */
const ep = (at: number[], acc: number[]): EpochStat[] => at.map((t, k) => ({ epoch: k + 1, at: t, loss: 2 - k / 10, testAccuracy: acc[k] }));
const fitRow = (epochs: EpochStat[], extra: Partial<Row> = {}): Row => ({ system: 'ours-cpu', config: 'qe-sgd', status: 'ok', agreeSteps: 0, finalLoss: 2, epochs, ...extra });
const cell = (r: Row, head: string): string => rowCells(r)[TABLE_HEAD.indexOf(head)];

describe('a fit row\'s cells (config e): test accuracy and fit time', () => {
  it('two epochs read "after 2 epochs" (plural from 2 on), one "after 1 epoch"', () => {
    // 0.93 → 93.0%; 0.5 → 50.0%.
    expect(cell(fitRow(ep([1, 2], [0.5, 0.93])), 'test accuracy (e)')).toBe('93.0% after 2 epochs');
    expect(cell(fitRow(ep([1], [0.5])), 'test accuracy (e)')).toBe('50.0% after 1 epoch');
  });

  it('epoch 1\'s phases are rounded to the nearest ms, not cut (19.6 ms reads 20, 7.5 reads 8, 40.4 reads 40)', () => {
    const fitPhases = [{ phase: 'data', ms: 19.6 }, { phase: 'upload', ms: 7.5 }, { phase: 'epoch 1', ms: 40.4 }];
    // One epoch ending at 0.25 s: "0.25 s (1 epoch — data 20, upload 8, batches 40 ms)".
    expect(cell(fitRow(ep([0.25], [0.5]), { fitPhases }), 'fit time (e)')).toBe('0.25 s (1 epoch — data 20, upload 8, batches 40 ms)');
  });
});

describe('the agreement cell', () => {
  const step = (extra: Partial<Row>): Row => ({ system: 'ours-cpu', config: 'a', status: 'ok', agreeSteps: 10, finalLoss: 0.25, ...extra });

  it('the reference that is itself wrong names its loss', () => {
    const r = step({ agreement: { ref: 'ours-cpu', refLoss: 0.25, absErr: 0, relErr: 0, tol: 1e-5, ok: false, reference: true } });
    expect(cell(r, 'agreement')).toBe('WRONG (the reference, loss 0.25)');
  });

  it('a row whose loss agreed and parameters did not names the parameters\' distance to one significant digit after the point', () => {
    // The loss within tolerance (absErr 1e-7 ≤ tol 1e-5), the parameters 0.0123 off: 1.2e-2 (toExponential(1)).
    const r = step({ system: 'ours-wasm', agreement: { ref: 'ours-cpu', refLoss: 0.25, absErr: 1e-7, relErr: 4e-7, tol: 1e-5, ok: false },
      paramsAgreement: { ref: 'ours-cpu', absErr: 0.0123, tol: 1e-3, ok: false } });
    expect(cell(r, 'agreement')).toBe('WRONG vs ours-cpu (rel. err 4.0e-7; its parameters off ours-cpu\'s by 1.2e-2)');
  });
});

describe('a timed step\'s ms/step cell', () => {
  it('is the repetitions\' median (the head says so), not their fastest or slowest', () => {
    // Repetitions of 1.5, 2.25 and 6 ms: median 2.25 → "2.25 ms" (fmtMs: two decimals from 1 ms to 10 ms).
    const r: Row = { system: 'ours-cpu', config: 'a', status: 'ok', agreeSteps: 10, finalLoss: 0.25, stepsPerSec: 444, msPerStep: { median: 2.25, min: 1.5, max: 6 } };
    expect(cell(r, 'time/step (median)')).toBe('2.25 ms');
  });
});

describe('the environment block of a page served without COOP/COEP', () => {
  it('a count the link asked for and got is not said as missed ("not oursWasmThreads=1" only where it got another)', () => {
    const env: RunEnv = {
      runner: 'browser', browser: 'Chrome/156.0.8078.114', cpu: { model: 'unknown (a page cannot see it)', cores: 2 }, crossOriginIsolated: false,
      tfjs: { version: '4.22.0', backends: {}, wasmThreads: 1, wasmThreadsRequested: 1 },
      jax: { version: '0.1.25', devices: ['cpu', 'wasm'], wasmWorkers: 0 },
      wasm: { threads: 1, threadsRequested: 1, simd: 'relaxed', peakGflops: 23.4 },
    };
    // Asked 1, 1 and 0 (jaxWorkers=0: no pool), got the same: the counts alone.
    expect(envBlock(env, 0)).toContain(' · NOT cross-origin isolated, so no wasm threads: ours-wasm on 1 thread, TF.js wasm on 1, jax-js wasm on the main thread (npm run preview sends the COOP/COEP headers that allow them)');
  });
});

describe('a fit config\'s title', () => {
  it('without agreeEpochs compares epoch 1 alone (the default, as bench/agree-epochs.ts reads it)', () => {
    const qe = ALL_CONFIGS.find((c) => c.id === 'qe-sgd')!;
    const fit = { ...qe.fit! };
    delete fit.agreeEpochs;
    // 2 epochs, no agreeEpochs: min(1, 2) = 1 → "compared at epoch 1"; with agreeEpochs 3: min(3, 2) = 2 → "epochs 1–2".
    expect(configTitle({ ...qe, fit })).toMatch(/, 2 epochs on 512 MNIST training digits, test accuracy on 256, loss and accuracy compared at epoch 1$/);
    expect(configTitle(qe)).toMatch(/, loss and accuracy compared at epochs 1–2$/);
  });
});

describe('the downloads\' media types', () => {
  it('JSON, Markdown and the two SVGs are offered as application/json, text/markdown (RFC 7763) and image/svg+xml', () => {
    const env: RunEnv = { runner: 'browser', browser: 'Chrome/156.0.8078.114', cpu: { model: 'unknown (a page cannot see it)', cores: 2 }, crossOriginIsolated: true };
    const result: BenchResult = {
      tool: 'backprop-webgpu bench', version: 1, date: '2026-12-05T02:30:00.000Z', mode: 'custom', command: 'bench.html?autorun=1', env, policy: QUICK_POLICY,
      configs: describeConfigs([ALL_CONFIGS.find((c) => c.id === 'a')!]), systems: ['ours-cpu'], targets: [], ok: true, failures: [], seconds: 7,
      rows: [{ system: 'ours-cpu', config: 'a', status: 'ok', agreeSteps: 10, finalLoss: 0.5, stepsPerSec: 1e5 }],
    };
    const files = pageFiles(result);
    expect(Object.fromEntries(Object.entries(files).map(([id, f]) => [id, f.type])))
      .toEqual({ 'dl-json': 'application/json', 'dl-md': 'text/markdown', 'dl-svg': 'image/svg+xml', 'dl-tta': 'image/svg+xml' });
  });
});

describe('the page\'s turn during a run (bench/page/yield.ts)', () => {
  it('by default at most every 50 ms: none at 49 ms, one at 50', async () => {
    let t = 0;
    const tasks: number[] = [];
    const pause = taskYielder(undefined, () => t, async () => { tasks.push(t); });
    t = 49;
    await pause();
    expect(tasks).toEqual([]);
    t = 50;
    await pause();
    expect(tasks).toEqual([50]);
  });
});

describe('the note under an ended run\'s table', () => {
  it('a run of timed steps alone says nothing of goals (a goal is config e\'s; no "no goal for a")', () => {
    const a = (system: Row['system']): Row => ({ system, config: 'a', status: 'ok', agreeSteps: 10, finalLoss: 0.25, stepsPerSec: 1e3, msPerStep: { median: 1, min: 1, max: 1 } });
    // Not capped, no policy (no † mark), no bare matmul: nothing to note.
    expect(pageTable([a('ours-cpu'), a('tfjs-cpu')], { goals: {} }).note).toBe('');
  });
});
