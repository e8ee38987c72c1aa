/**
 * `train --lr-schedule S` (src/cli/lr-schedule.ts; README "CLI"), in process on the CPU and wasm: each epoch's lr on
 * the progress line and in --json, worked by hand from PyTorch's formulas (StepLR, ExponentialLR, CosineAnnealingLR,
 * LinearLR; ReduceLROnPlateau's rule written out here over the run's own validation losses), the same lrs as
 * Model.fit's with the library's lrSchedule, --resume going on from the checkpoint's epoch count, --plot's title line.
 * Bad values: exit 2 naming --lr-schedule and what is wrong, before any line is printed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { mainRun as cliRun } from './lib/main-run.ts';
import { runTrain, type TrainFlags } from '../src/cli/train.ts';
import { lrText } from '../src/cli/lr-schedule.ts';
import { Model } from '../src/model.ts';
import type { NetworkSpec } from '../src/spec.ts';
import type { EpochLog } from '../src/train/fit.ts';

const dir = mkdtempSync(join(tmpdir(), 'backprop-train-lrs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** y = 2x on 8 points, the last 2 held out; SGD at lr 0.1 (the lrs below are fractions of it). */
const SPEC: NetworkSpec = {
  inputs: 1, layers: [{ units: 1, activation: 'linear' }], loss: 'mse', init: { scheme: 'xavier', seed: 3 },
  x: [[0.1], [0.2], [0.3], [0.4], [0.5], [0.6], [0.7], [0.8]], y: [[0.2], [0.4], [0.6], [0.8], [1], [1.2], [1.4], [1.6]],
  validation: 0.25, batchSize: 2, epochs: 4, optimizer: { name: 'sgd', lr: 0.1 },
};
const { validation: _v, ...NO_VALIDATION } = SPEC;

/** runTrain's exit status, its lines, the epoch lines' `lr …` words, and the --json result where asked. */
async function train(spec: NetworkSpec | undefined, flags: Partial<TrainFlags>) {
  const lines: string[] = [];
  const status = await runTrain(spec, { json: false, ...flags }, (t) => lines.push(t), (t) => lines.push(t));
  const json = flags.json ? JSON.parse(lines.find((l) => l.startsWith('{'))!) as { history: EpochLog[]; lrSchedule?: unknown } : undefined;
  const shown = lines.filter((l) => l.startsWith('epoch')).map((l) => / lr (\S+) /.exec(l)?.[1]);
  return { status, lines, json, shown };
}

const c = Math.SQRT1_2; // cos(π/4)

describe('train --lr-schedule: the epoch\'s lr on the line and in --json, by the formulas', () => {
  it('cosine (EPOCHS default --epochs: 4): 0.1·(1 + cos(π·e/4))/2 = 0.1, 0.0854, 0.05, 0.0146', async () => {
    const r = await train(SPEC, { lrSchedule: 'cosine', json: true });
    expect(r.status).toBe(0);
    const want = [0.1, 0.1 * (1 + c) / 2, 0.05, 0.1 * (1 - c) / 2];
    r.json!.history.forEach((e, i) => expect(e.lr).toBeCloseTo(want[i], 15));
    expect(r.shown).toEqual(['0.100', '0.0854', '0.0500', '0.0146']);
    expect(r.json!.lrSchedule).toEqual({ name: 'cosine', epochs: 4, minLr: 0 });
    expect(r.lines).toContain('lr schedule: cosine from 0.100 to 0 over 4 epochs (CosineAnnealingLR)');
    // Below 1e-4 in exponent form (a cosine's last epochs: 0.0000616 read "0.0000616" at 3 digits, wider than the rest).
    expect([lrText(6.156e-5), lrText(0.05), lrText(0)]).toEqual(['6.16e-5', '0.0500', '0']);
  });

  it('step:2:0.5, exponential:0.5, warmup:2 (start 1/3), cosine:2:0.02 (periodic past EPOCHS), on wasm too', async () => {
    expect((await train(SPEC, { lrSchedule: 'step:2:0.5' })).shown).toEqual(['0.100', '0.100', '0.0500', '0.0500']);
    expect((await train(SPEC, { lrSchedule: 'step:3', backend: 'wasm' })).shown).toEqual(['0.100', '0.100', '0.100', '0.0100']);
    expect((await train(SPEC, { lrSchedule: 'exponential:0.5' })).shown).toEqual(['0.100', '0.0500', '0.0250', '0.0125']);
    // 0.1·(1/3 + (2/3)·min(2, e)/2): 0.0333, 0.0667, 0.1, 0.1.
    expect((await train(SPEC, { lrSchedule: 'warmup:2' })).shown).toEqual(['0.0333', '0.0667', '0.100', '0.100']);
    // 0.02 + 0.08·(1 + cos(π·e/2))/2: 0.1, 0.06, 0.02, 0.06 (the cosine rises again after EPOCHS, as PyTorch's).
    expect((await train(SPEC, { lrSchedule: 'cosine:2:0.02', backend: 'wasm' })).shown).toEqual(['0.100', '0.0600', '0.0200', '0.0600']);
  });

  it('plateau:0:0.5: ×0.5 after each epoch whose val_loss is not below the best·(1 − 1e-4) (ReduceLROnPlateau, written out here)', async () => {
    const r = await train({ ...SPEC, epochs: 8, optimizer: { name: 'sgd', lr: 3 } }, { lrSchedule: 'plateau:0:0.5', json: true });
    expect(r.status).toBe(0);
    const h = r.json!.history;
    let [lr, best] = [3, Infinity];
    const want: number[] = [];
    for (const e of h) {
      want.push(lr);
      if (e.valLoss! < best * (1 - 1e-4)) best = e.valLoss!;
      else lr *= 0.5; // patience 0: the first epoch without improvement
    }
    // The scenario must reduce (lr 3 overshoots on this data, the validation loss rises).
    expect(new Set(want).size).toBeGreaterThan(1);
    expect(h.map((e) => e.lr)).toEqual(want);
    expect(r.shown).toEqual(want.map(lrText));
  });

  it('the lrs are Model.fit\'s with the library\'s lrSchedule; without --lr-schedule the line has no lr', async () => {
    const r = await train(SPEC, { lrSchedule: 'step:1:0.5', json: true });
    const m = await Model.create(SPEC);
    const h = await m.fit({ lrSchedule: { name: 'step', stepSize: 1, gamma: 0.5 }, validation: 0.25 });
    m.dispose();
    expect(r.json!.history.map((e) => e.lr)).toEqual(h.map((e) => e.lr));
    const plain = await train(SPEC, {});
    expect(plain.shown).toEqual([undefined, undefined, undefined, undefined]);
    expect(plain.lines.some((l) => l.startsWith('lr schedule'))).toBe(false);
    expect((await train(SPEC, { lrSchedule: 'constant' })).shown).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('--resume goes on from the checkpoint\'s epoch count: cosine (EPOCHS default: the epoch the run ends at, 2 + 2) as one run of 4; --plot names it', async () => {
    const ckpt = join(dir, 'two.ckpt');
    const first = await train(SPEC, { epochs: '2', lrSchedule: 'cosine:4', save: ckpt });
    expect(first.shown).toEqual(['0.100', '0.0854']);
    const plot = join(dir, 'rest.svg');
    const rest = await train(undefined, { resume: ckpt, epochs: '2', lrSchedule: 'cosine', json: true, plot });
    expect(rest.status).toBe(0);
    expect(rest.json!.history.map((e) => e.epoch)).toEqual([3, 4]);
    expect(rest.shown).toEqual(['0.0500', '0.0146']);
    expect(readFileSync(plot, 'utf8')).toContain('lr schedule: cosine from 0.100 to 0 over 4 epochs (CosineAnnealingLR)');
  });
});

describe('train --lr-schedule: bad values exit 2 naming the flag, before any line', () => {
  const file = join(dir, 'spec.json');
  const noVal = join(dir, 'noval.json');
  writeFileSync(file, JSON.stringify(SPEC));
  writeFileSync(noVal, JSON.stringify(NO_VALIDATION));
  it.each([
    ['cosin', file, "--lr-schedule must be constant, step, exponential, cosine, warmup or plateau, got 'cosin'; did you mean 'cosine'?"],
    ['step', file, '--lr-schedule step: step needs its EVERY (step:EVERY[:GAMMA], e.g. step:10:0.1)'],
    ['exponential', file, '--lr-schedule exponential: exponential needs its GAMMA (exponential:GAMMA, e.g. exponential:0.95)'],
    ['step:0', file, "--lr-schedule step:0: EVERY must be an integer 1 or more, got '0'"],
    ['step:2.5', file, "--lr-schedule step:2.5: EVERY must be an integer 1 or more, got '2.5'"],
    ['step:2:1.5', file, "--lr-schedule step:2:1.5: GAMMA must be a number in (0, 1], got '1.5'"],
    ['exponential:0', file, "--lr-schedule exponential:0: GAMMA must be a number in (0, 1], got '0'"],
    ['exponential:x', file, "--lr-schedule exponential:x: GAMMA must be a number in (0, 1], got 'x'"],
    ['warmup:2:0', file, "--lr-schedule warmup:2:0: START must be a number in (0, 1], got '0'"],
    ['plateau:-1', file, "--lr-schedule plateau:-1: PATIENCE must be an integer 0 or more, got '-1'"],
    ['plateau:2:1', file, "--lr-schedule plateau:2:1: FACTOR must be a number in (0, 1), got '1'"],
    ['cosine:4:0.5', file, "--lr-schedule cosine:4:0.5: MIN_LR 0.5 is above the optimiser's lr 0.1 (cosine runs from the lr down to MIN_LR)"],
    ['cosine:', file, '--lr-schedule cosine:: EPOCHS is empty (cosine[:EPOCHS[:MIN_LR]])'],
    ['warmup:1:0.5:2', file, '--lr-schedule warmup:1:0.5:2: warmup takes at most 2 numbers (warmup[:EPOCHS[:START]]), got 3'],
    ['constant:1', file, '--lr-schedule constant:1: constant takes no numbers (constant), got 1'],
    ['plateau', noVal, '--lr-schedule plateau: plateau lowers the lr when the validation loss stops falling, but this run has no validation set: give the spec "validation": 0.2'],
  ])('--lr-schedule %s', async (value, spec, words) => {
    const r = await cliRun(['train', spec, '--lr-schedule', value]);
    expect(r.status).toBe(2);
    expect(r.err).toContain(`error: ${words}`);
    expect(r.out + r.err).not.toMatch(/^(net|epoch|backend)/m);
  });
});
