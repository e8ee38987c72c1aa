/**
 * The Markdown's note under its run table explains the step columns (reps×steps, `vs X`, the round-robin of
 * repetitions) only where the table has them (read56c): a run of fit configs alone lost those columns (read56b) but
 * its note still explained them.
 */
import { describe, expect, it } from 'vitest';
import { QUICK_POLICY, type Row } from '../bench/protocol.ts';
import { type BenchResult, markdown } from '../bench/report.ts';

const fit: Row = { config: 'qe-sgd', system: 'ours-cpu', status: 'ok', agreeSteps: 4, finalLoss: 0.5, epochs: [{ epoch: 1, at: 1, loss: 0.5, testAccuracy: 0.9 }] };
const step: Row = { config: 'a', system: 'ours-cpu', status: 'ok', agreeSteps: 100, finalLoss: 0.25, reps: 3, stepsPerRep: 10, stepsPerSec: 1000, msPerStep: { median: 1, min: 1, max: 1 } };
const result = (rows: Row[]): BenchResult => ({
  tool: 'backprop-webgpu bench', version: 1, date: 'd', mode: 'custom', command: 'c', env: { runner: 'browser', browser: 'Chrome/1', cpu: { model: 'x', cores: 2 } }, policy: QUICK_POLICY,
  configs: [], systems: [], rows, targets: [], ok: true, failures: [], seconds: 0,
});
const sentences = ['`reps×steps`: timed repetitions', '`vs X`: steps/s ÷ X\'s steps/s', 'Repetitions ran round-robin'];

describe('the Markdown\'s note under the run table', () => {
  it('a run of fit configs alone: no sentence on the step columns it has not, the rel. err one kept', () => {
    const md = markdown(result([fit]));
    for (const s of sentences) expect(md).not.toContain(s);
    expect(md).toContain('`rel. err`: |loss − ref| / |ref|');
  });
  it('a run with a timed step, fits among it or not: every sentence, as its table has every column', () => {
    for (const rows of [[step], [step, fit]]) {
      const md = markdown(result(rows));
      for (const s of sentences) expect(md).toContain(s);
    }
  });
});
