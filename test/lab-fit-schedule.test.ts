/**
 * The lab Fit panel's lr schedule (src/lab/fit-schedule.ts; README "The course lab"), in Node on the CPU: the fit gets
 * the schedule (each epoch's lr, worked by hand from PyTorch's formulas over the net's epochs up to the Fit's end —
 * a second Fit going on down the longer run's cosine — and ReduceLROnPlateau's rule written out here for plateau),
 * plateau refused without a validation split before anything changes, the schedule's words on the Fit line, and
 * Share links and the kept entry carrying it (an old link: constant).
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { checkFitSettings, checkLink, type FitSettings, isLink, readFragment, shareFragment, shareLink } from '../src/lab/files.ts';
import { scheduleWords } from '../src/lab/fit-schedule.ts';
import { keptBody, keptOf, readKept, writeKept, type KeepStorage } from '../src/lab/keep.ts';
import { checkLabSpec, LabSession } from '../src/lab/session.ts';
import { ES_SPEC, ES_TRAIN, ES_VAL } from './lib/early-stop-fit.ts';
import { xorSpec } from './lib/lab-nets.ts';

const LR = 0.02;
const FIT = { optimizer: { name: 'adam', lr: LR }, batchSize: 4 } as const;

async function session(): Promise<LabSession> {
  return LabSession.open(checkLabSpec({ ...ES_SPEC, ...ES_TRAIN }), 'cpu', null);
}

describe("the lab's Fit with an lr schedule", () => {
  it('cosine: from the lr down over the Fit (4 epochs); a second Fit of 4 goes on down the cosine of 8 from its epoch 4', async () => {
    const s = await session();
    const first = await s.fit({ ...FIT, optimizer: { ...FIT.optimizer }, epochs: 4, lrSchedule: 'cosine' }, () => undefined);
    const c = Math.SQRT1_2; // cos(π/4)
    [LR, LR * (1 + c) / 2, LR / 2, LR * (1 - c) / 2].forEach((lr, i) => expect(first[i].lr).toBeCloseTo(lr, 15));
    const second = await s.fit({ ...FIT, optimizer: { ...FIT.optimizer }, epochs: 4, lrSchedule: 'cosine' }, () => undefined);
    // 0.02·(1 + cos(π·e/8))/2 for e = 4 … 7: cos(π/2) = 0, cos(5π/8) = −sin(π/8), cos(3π/4) = −cos(π/4), cos(7π/8) = −cos(π/8).
    const [s8, c8] = [Math.sin(Math.PI / 8), Math.cos(Math.PI / 8)];
    [LR / 2, LR * (1 - s8) / 2, LR * (1 - c) / 2, LR * (1 - c8) / 2].forEach((lr, i) => expect(second[i].lr).toBeCloseTo(lr, 15));
    s.dispose();
  });

  it('step: ×0.1 every ⌈7/3⌉ = 3 epochs; constant (none): the lr every epoch', async () => {
    const s = await session();
    const logs = await s.fit({ ...FIT, optimizer: { ...FIT.optimizer }, epochs: 7, lrSchedule: 'step' }, () => undefined);
    expect(logs).toHaveLength(7);
    [LR, LR, LR, LR / 10, LR / 10, LR / 10, LR / 100].forEach((lr, i) => expect(logs[i].lr).toBeCloseTo(lr, 15));
    const plain = await s.fit({ ...FIT, optimizer: { ...FIT.optimizer }, epochs: 2 }, () => undefined);
    expect(plain.map((e) => e.lr)).toEqual([LR, LR]);
    s.dispose();
  });

  it('plateau: ×0.5 after 3 epochs in a row without a lower validation loss (rel 1e-4, as ReduceLROnPlateau, written out)', async () => {
    const s = await session();
    const logs = await s.fit({ optimizer: { name: 'adam', lr: 0.05 }, batchSize: 4, epochs: 30, validation: ES_VAL, lrSchedule: 'plateau' }, () => undefined);
    let [lr, best, bad] = [0.05, Infinity, 0];
    const want: number[] = [];
    for (const e of logs) {
      want.push(lr);
      if (e.valLoss! < best * (1 - 1e-4)) [best, bad] = [e.valLoss!, 0];
      else bad++;
      if (bad > 2) [lr, bad] = [lr * 0.5, 0];
    }
    expect(new Set(want).size).toBeGreaterThan(1); // the scenario reduces
    expect(logs.map((e) => e.lr)).toEqual(want);
    s.dispose();
  });

  it('plateau without validation rows: a SpecError naming fit.lrSchedule, before anything changes', async () => {
    const s = await session();
    const fit = s.fit({ ...FIT, optimizer: { ...FIT.optimizer }, epochs: 3, lrSchedule: 'plateau' }, () => undefined);
    await expect(fit).rejects.toThrow(new SpecError('fit.lrSchedule', 'plateau lowers the lr when the validation loss stops falling, and this data set has no validation split (Your data… holds one out: its Validation %): choose constant, cosine or step'));
    expect([s.steps, s.fits, s.history.length, s.model.epochsTrained]).toEqual([0, 0, 0, 0]);
    s.dispose();
  });

  it('the Fit line\'s words: the schedule as its menu names it and the last lr', () => {
    expect(scheduleWords('cosine', 0.000616)).toBe(', cosine to lr 0.000616');
    expect(scheduleWords('step', 0.0002, 'at')).toBe(', step ×0.1 at lr 0.000200');
    expect(scheduleWords('plateau', 0.0125)).toBe(', plateau ×0.5 to lr 0.0125');
    expect(scheduleWords(undefined, 0.01)).toBe('');
  });
});

describe('the schedule in Share links and the kept entry', () => {
  const spec = xorSpec();
  const fit: FitSettings = { optimizer: { name: 'adam', lr: 0.01 }, batchSize: 2, epochs: 6, lrSchedule: 'cosine' };

  it('a link carries it; an old link (none) is constant; a bad one is refused naming fit.lrSchedule', () => {
    expect(checkLink(readFragment(`#${shareFragment(spec, { batchSize: 2, fit })}`)).fit).toEqual(fit);
    const { lrSchedule: _s, ...old } = fit;
    expect(checkLink(readFragment(`#${shareFragment(spec, { batchSize: 2, fit: old })}`)).fit?.lrSchedule).toBeUndefined();
    const lab = checkLabSpec(spec, 2);
    expect(() => checkFitSettings(lab, { ...fit, lrSchedule: 'cosin' })).toThrow(/^fit\.lrSchedule: must be one of 'cosine', 'step', 'plateau'.*did you mean 'cosine'/);
    // constant is no schedule: written as none, so a link never carries it.
    expect(() => checkFitSettings(lab, { ...fit, lrSchedule: 'constant' })).toThrow(/^fit\.lrSchedule: must be one of/);
    // Share's words where the link leaves the validation rows out: plateau has nothing to watch where it opens.
    expect(shareLink(spec, { batchSize: 2, fit: { ...fit, lrSchedule: 'plateau' } }, undefined, 3).leftOut).toMatch(/Fit has no validation loss, and no plateau schedule \(it watches the validation loss: Fit refuses it there\)\.$/);
    expect(shareLink(spec, { batchSize: 2, fit }, undefined, 3).leftOut).not.toMatch(/plateau/);
  });

  it('the kept entry carries it and gives it back as a link does', async () => {
    const lab = checkLabSpec(spec, 2);
    const s = await LabSession.open(lab, 'cpu', null);
    await s.fit({ optimizer: { name: 'adam', lr: 0.01 }, batchSize: 2, epochs: 2, lrSchedule: 'step' }, () => undefined);
    const map = new Map<string, string>();
    const storage: KeepStorage = { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => { map.set(k, v); }, removeItem: (k) => { map.delete(k); } };
    const stepping: FitSettings = { ...fit, lrSchedule: 'step' };
    writeKept(storage, keptBody((await keptOf({ session: s, data: { kind: 'custom', spec: lab.spec, batchSize: 2 }, fit: stepping, menu: '' }))!), { address: '', tab: 'tab-surface' });
    const read = readKept(storage, '', isLink, () => {})!;
    expect(checkLink({ spec: read.spec, batchSize: read.batchSize, fit: read.fit }).fit?.lrSchedule).toBe('step');
    s.dispose();
  });
});
