/**
 * fit's lrSchedule option (README "Training on data: fit", "Optimisers"; src/train/lr-schedule.ts), on cpu and wasm:
 * - each schedule's lrs (the history's `lr`) against values worked by hand and against a float64 transcription of
 *   PyTorch's formulas written here (torch/optim/lr_scheduler.py: the closed forms `_get_closed_form_lr` of StepLR,
 *   ExponentialLR, CosineAnnealingLR, LinearLR; ReduceLROnPlateau's step(metric) as a class), not our code;
 * - a scheduled fit is bitwise a chain of one-epoch fits, each with the scheduled lr as its optimiser's constant lr
 *   (the existing constant-lr fit as the reference), for every optimiser;
 * - across fits: fit(k) then fit(N − k) is fit(N) bitwise, through save/load too; plateau's count is per fit;
 *   after earlyStopping's restoreBest the next fit's lr is the best epoch's successor's;
 * - bad options: a SpecError naming the field, before any work, the model unchanged.
 */
import { describe, expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import { SpecError } from '../src/errors.ts';
import { plateauStepper } from '../src/train/lr-schedule.ts';
import type { EpochLog, FitOptions } from '../src/train/fit.ts';
import type { LrSchedule } from '../src/train/lr-schedule.ts';
import type { OptimizerSpec } from '../src/train/optimizers.ts';
import { bits } from './lib/fit-nets.ts';
import { ES_SPEC, ES_TRAIN, ES_VAL } from './lib/early-stop-fit.ts';
import { KINDS } from './lib/line-fit.ts';

// PyTorch's closed forms, transcribed (last_epoch = e, base_lr = base).
const torchStep = (base: number, stepSize: number, gamma: number, e: number) => base * gamma ** Math.floor(e / stepSize);
const torchExp = (base: number, gamma: number, e: number) => base * gamma ** e;
const torchCos = (base: number, tMax: number, etaMin: number, e: number) => etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * e / tMax)) / 2;
const torchLinear = (base: number, start: number, end: number, total: number, e: number) => base * (start + (end - start) * Math.min(total, e) / total);

/** ReduceLROnPlateau (PyTorch), transcribed: step(metric) after each epoch, lr the group's lr. */
class TorchPlateau {
  lr: number;
  best: number;
  bad = 0;
  cooldownCounter = 0;
  constructor(lr: number, private mode: 'min' | 'max', private factor = 0.1, private patience = 10, private threshold = 1e-4,
    private thresholdMode: 'rel' | 'abs' = 'rel', private cooldown = 0, private minLr = 0, private eps = 1e-8) {
    this.lr = lr;
    this.best = mode === 'min' ? Infinity : -Infinity;
  }
  isBetter(a: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < this.best * (1.0 - this.threshold);
    if (this.mode === 'min') return a < this.best - this.threshold;
    if (this.thresholdMode === 'rel') return a > this.best * (this.threshold + 1.0);
    return a > this.best + this.threshold;
  }
  step(current: number): void {
    if (this.isBetter(current)) {
      this.best = current;
      this.bad = 0;
    } else this.bad += 1;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.bad = 0;
    }
    if (this.bad > this.patience) {
      const newLr = Math.max(this.lr * this.factor, this.minLr);
      if (this.lr - newLr > this.eps) this.lr = newLr;
      this.cooldownCounter = this.cooldown;
      this.bad = 0;
    }
  }
}

const DATA = { x: ES_TRAIN.x, y: ES_TRAIN.y, validation: { x: ES_VAL.x, y: ES_VAL.y }, batchSize: 4 } as const;
const lrsOf = (h: EpochLog[]) => h.map((e) => e.lr);

describe('the lr of each epoch (the history\'s lr), worked by hand', () => {
  it('plateau (plateauStepper) on scripted values: patience, the rel threshold, cooldown, minLr', () => {
    const run = (values: number[], config: Partial<Parameters<typeof plateauStepper>[0]>) => {
      const p = plateauStepper({ name: 'plateau', monitor: 'loss', factor: 0.5, patience: 1, threshold: 0.1, thresholdMode: 'rel', cooldown: 0, minLr: 0, eps: 1e-8, ...config }, 1);
      return values.map((v) => {
        p.see({ epoch: 0, loss: v, lr: 0, maxAbsParam: 0, seconds: 0, accuracy: v });
        return p.lr;
      });
    };
    // best 1; 0.95 is not below 1·0.9 (bad 1, not > patience 1); 0.92 bad 2 > 1: halved, bad 0; 0.85 < 0.9 best;
    // 0.8 not below 0.765 (bad 1); 0.79 bad 2: halved again.
    expect(run([1, 0.95, 0.92, 0.85, 0.8, 0.79], {})).toEqual([1, 1, 0.5, 0.5, 0.5, 0.25]);
    // Where best is 2, rel and abs part: rel needs < 2·0.9 = 1.8 (1.85, 1.84 are not: cut, cut); abs < 2 − 0.1
    // (1.85 is: best 1.85; then 1.84 is not below 1.75: cut).
    expect(run([2, 1.85, 1.84], { patience: 0 })).toEqual([1, 0.5, 0.25]);
    expect(run([2, 1.85, 1.84], { patience: 0, thresholdMode: 'abs' })).toEqual([1, 1, 0.5]);
    // abs: 0.95 < 1 − 0.1 no (bad 1), 0.89 < 0.9 yes.
    expect(run([1, 0.95, 0.89, 0.88, 0.87], { thresholdMode: 'abs' })).toEqual([1, 1, 1, 1, 0.5]);
    // cooldown 2: after the cut at epoch 3, epochs 4 and 5 count no bad epochs; 6, 7 do: cut at 7.
    expect(run([1, 2, 2, 2, 2, 2, 2], { patience: 1, cooldown: 2 })).toEqual([1, 1, 0.5, 0.5, 0.5, 0.5, 0.25]);
    // minLr 0.3: 0.5 then max(0.25, 0.3) = 0.3, then no cut (0.3 − 0.3 = 0 ≤ eps).
    expect(run([1, 2, 2, 2, 2, 2, 2], { patience: 0, minLr: 0.3 })).toEqual([1, 0.5, 0.3, 0.3, 0.3, 0.3, 0.3]);
    // eps 0.5: a cut from 1 to 0.6 (by 0.4) is not made; from 1 to 0.4 (by 0.6) is.
    expect(run([1, 2, 2], { patience: 0, factor: 0.6, eps: 0.5 })).toEqual([1, 1, 1]);
    expect(run([1, 2, 2], { patience: 0, factor: 0.4, eps: 0.5 })).toEqual([1, 0.4, 0.4]);
    // An accuracy rises: 0.5 → best; 0.52 is not above 0.55 (bad 1 ≤ 1), 0.53 bad 2: cut.
    expect(run([0.5, 0.52, 0.53], { monitor: 'accuracy' })).toEqual([1, 1, 0.5]);
    // An accuracy, patience 0, threshold 0.1 (PyTorch's mode 'max'): abs needs > best + 0.1 — 0.57 is not above 0.6
    // (cut), 0.58 not (cut), 0.62 is (best, no cut); rel needs > best·1.1 — 0.57 is above 0.55 (best), 0.58 not above
    // 0.627 (cut), 0.62 not (cut).
    expect(run([0.5, 0.57, 0.58, 0.62], { monitor: 'accuracy', patience: 0, thresholdMode: 'abs' })).toEqual([1, 0.5, 0.25, 0.25]);
    expect(run([0.5, 0.57, 0.58, 0.62], { monitor: 'accuracy', patience: 0 })).toEqual([1, 1, 0.5, 0.25]);
  });

  it.each(KINDS)('step, exponential, cosine, warmup on a fit (%s): hand values and PyTorch\'s closed forms', async (backend) => {
    const model = await Model.create(ES_SPEC, { backend });
    try {
      const fit = async (lrSchedule: LrSchedule, lr: number, epochs = 7) => lrsOf(await model.fit({ ...DATA, epochs, optimizer: { name: 'sgd', lr }, lrSchedule }));
      // Powers of 2: exact. step 2, gamma 0.5 over epochs 0 … 6.
      const before = model.epochsTrained;
      expect(before).toBe(0);
      expect(await fit({ name: 'step', stepSize: 2, gamma: 0.5 }, 1)).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25, 0.125]);
      // The next fit goes on from epoch 7: exponential 0.5 from 1 → 2⁻⁷ …
      expect(await fit({ name: 'exponential', gamma: 0.5 }, 1, 3)).toEqual([2 ** -7, 2 ** -8, 2 ** -9]);
    } finally {
      model.dispose();
    }
    const fresh = async (lrSchedule: LrSchedule, lr: number, epochs: number) => {
      const m = await Model.create(ES_SPEC, { backend });
      try {
        return lrsOf(await m.fit({ ...DATA, epochs, optimizer: { name: 'sgd', lr }, lrSchedule }));
      } finally {
        m.dispose();
      }
    };
    // cosine, T_max 4, from 1 to 0: 1, (1 + √2/2)/2, 1/2, (1 − √2/2)/2, 0, then rising again (PyTorch's is periodic).
    const cos = await fresh({ name: 'cosine', epochs: 4 }, 1, 6);
    const h = Math.SQRT1_2;
    [1, (1 + h) / 2, 0.5, (1 - h) / 2, 0, (1 - h) / 2].forEach((v, i) => expect(cos[i]).toBeCloseTo(v, 15));
    expect(cos).toEqual([0, 1, 2, 3, 4, 5].map((e) => torchCos(1, 4, 0, e)));
    expect(await fresh({ name: 'cosine', epochs: 5, minLr: 0.01 }, 0.1, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((e) => torchCos(0.1, 5, 0.01, e)));
    // warmup 4 epochs from a quarter: 0.25, 0.4375, 0.625, 0.8125, 1, 1 (times 1; sixteenths: exact).
    expect(await fresh({ name: 'warmup', epochs: 4, startFactor: 0.25 }, 1, 6)).toEqual([0.25, 0.4375, 0.625, 0.8125, 1, 1]);
    expect(await fresh({ name: 'warmup' }, 0.3, 7)).toEqual([0, 1, 2, 3, 4, 5, 6].map((e) => torchLinear(0.3, 1 / 3, 1, 5, e)));
    expect(await fresh({ name: 'step', stepSize: 3 }, 0.3, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((e) => torchStep(0.3, 3, 0.1, e)));
    expect(await fresh({ name: 'exponential', gamma: 0.9 }, 0.05, 6)).toEqual([0, 1, 2, 3, 4, 5].map((e) => torchExp(0.05, 0.9, e)));
  });
});

/** A fresh ES_SPEC model on `backend`, `run` on it, then its bits, epoch count and optimiser step count. */
async function withModel(backend: 'cpu' | 'wasm', run: (m: Model) => Promise<unknown>) {
  const model = await Model.create(ES_SPEC, { backend });
  try {
    const out = await run(model);
    return { out, params: bits(await model.getParams()), epochs: model.epochsTrained, t: model.optimizerState()?.t };
  } finally {
    model.dispose();
  }
}

const CASES: [OptimizerSpec, LrSchedule][] = [
  [{ name: 'sgd', lr: 0.5 }, { name: 'step', stepSize: 2, gamma: 0.3 }],
  [{ name: 'momentum', lr: 0.2, nesterov: true }, { name: 'exponential', gamma: 0.7 }],
  [{ name: 'adam', lr: 0.05 }, { name: 'cosine', epochs: 4, minLr: 0.001 }],
  [{ name: 'adamw', lr: 0.05, weightDecay: 0.1 }, { name: 'warmup', epochs: 3, startFactor: 0.2 }],
  [{ name: 'adam', lr: 0.05 }, { name: 'plateau', patience: 0, factor: 0.5, threshold: 0.01 }],
];

describe.each(KINDS)('a scheduled fit (%s)', (backend) => {
  it.each(CASES)('%o with %o: bitwise a chain of one-epoch fits at the scheduled lrs, as PyTorch sets them', async (optimizer, lrSchedule) => {
    const epochs = 6;
    const scheduled = await withModel(backend, (m) => m.fit({ ...DATA, epochs, optimizer, lrSchedule }));
    const history = scheduled.out as EpochLog[];
    // The lrs, from the transcriptions (plateau: PyTorch's class over the fit's own valLoss).
    let want: number[];
    if (lrSchedule.name === 'plateau') {
      const torch = new TorchPlateau(optimizer.lr!, 'min', 0.5, 0, 0.01);
      want = history.map((e) => {
        const lr = torch.lr;
        torch.step(e.valLoss!);
        return lr;
      });
      expect(new Set(want).size).toBeGreaterThan(1); // the plateau is reached: not a test a constant lr passes
    } else {
      want = Array.from({ length: epochs }, (_, e) => {
        const base = optimizer.lr!;
        if (lrSchedule.name === 'step') return torchStep(base, lrSchedule.stepSize, lrSchedule.gamma!, e);
        if (lrSchedule.name === 'exponential') return torchExp(base, lrSchedule.gamma, e);
        if (lrSchedule.name === 'cosine') return torchCos(base, lrSchedule.epochs, lrSchedule.minLr!, e);
        return torchLinear(base, (lrSchedule as { startFactor: number }).startFactor, 1, (lrSchedule as { epochs: number }).epochs, e);
      });
    }
    expect(lrsOf(history)).toEqual(want);
    const chain = await withModel(backend, async (m) => {
      const h: EpochLog[] = [];
      for (const lr of want) h.push(...await m.fit({ ...DATA, epochs: 1, optimizer: { ...optimizer, lr } }));
      return h;
    });
    expect(lrsOf(chain.out as EpochLog[])).toEqual(want);
    expect([scheduled.params, scheduled.epochs, scheduled.t]).toEqual([chain.params, chain.epochs, chain.t]);
    expect((chain.out as EpochLog[]).map((e) => e.loss)).toEqual(history.map((e) => e.loss));
    // …and not the constant-lr fit's bits (the schedule changed something).
    const constant = await withModel(backend, (m) => m.fit({ ...DATA, epochs, optimizer }));
    expect(constant.params).not.toBe(scheduled.params);
  });

  it('across fits: fit(k) then fit(N − k) is fit(N) bitwise, through save() and load() too; plateau starts again each fit', async () => {
    const fit = (epochs: number, lrSchedule: LrSchedule): FitOptions => ({ ...DATA, epochs, optimizer: { name: 'adam', lr: 0.05 }, lrSchedule });
    const cosine: LrSchedule = { name: 'cosine', epochs: 6 };
    const whole = await withModel(backend, (m) => m.fit(fit(6, cosine)));
    const split = await withModel(backend, async (m) => [...await m.fit(fit(2, cosine)), ...await m.fit(fit(4, cosine))]);
    expect([split.params, split.epochs, split.t]).toEqual([whole.params, whole.epochs, whole.t]);
    expect(lrsOf(split.out as EpochLog[])).toEqual(lrsOf(whole.out as EpochLog[]));
    const saved = await withModel(backend, async (m) => {
      await m.fit(fit(3, cosine));
      return m.save();
    });
    const loaded = await Model.load(saved.out as Uint8Array, { backend });
    try {
      await loaded.fit(fit(3, cosine));
      expect(bits(await loaded.getParams())).toBe(whole.params);
    } finally {
      loaded.dispose();
    }
    // plateau: its count is the fit's own — a second fit starts at the optimiser's lr, with best unknown.
    const plateau: LrSchedule = { name: 'plateau', patience: 0, factor: 0.5, threshold: 0.01 };
    const twice = await withModel(backend, async (m) => [await m.fit(fit(6, plateau)), await m.fit(fit(2, plateau))]);
    const [first, second] = twice.out as EpochLog[][];
    expect(first.at(-1)!.lr).toBeLessThan(0.05);
    expect(second[0].lr).toBe(0.05);
  });

  it('plateau on valAccuracy: PyTorch\'s mode \'max\' over the fit\'s own valAccuracy', async () => {
    const lrSchedule: LrSchedule = { name: 'plateau', monitor: 'valAccuracy', patience: 0, factor: 0.5, threshold: 0.01 };
    const run = await withModel(backend, (m) => m.fit({ ...DATA, epochs: 8, optimizer: { name: 'adam', lr: 0.05 }, lrSchedule }));
    const history = run.out as EpochLog[];
    const torch = new TorchPlateau(0.05, 'max', 0.5, 0, 0.01);
    const want = history.map((e) => {
      const lr = torch.lr;
      torch.step(e.valAccuracy!);
      return lr;
    });
    expect(new Set(want).size).toBeGreaterThan(1); // the plateau is reached
    // …and mode 'min' over the same values would not give these lrs (the accuracy is read as one that rises).
    const min = new TorchPlateau(0.05, 'min', 0.5, 0, 0.01);
    expect(history.map((e) => [min.lr, min.step(e.valAccuracy!)][0])).not.toEqual(want);
    expect(lrsOf(history)).toEqual(want);
  });

  it('the model keeps the optimiser as given, its own lr — after a scheduled fit, and after one stopped mid-epoch, whose epoch runs again at its lr', async () => {
    const step: LrSchedule = { name: 'step', stepSize: 1, gamma: 0.5 };
    const model = await Model.create(ES_SPEC, { backend });
    try {
      // A finished fit at 1, 0.5, 0.25: the next fit without optimizer or schedule runs the optimiser's lr, 1 — also
      // from a save() (the lr stored is the optimiser's, not the last epoch's).
      expect(lrsOf(await model.fit({ ...DATA, epochs: 3, optimizer: { name: 'sgd', lr: 1 }, lrSchedule: step }))).toEqual([1, 0.5, 0.25]);
      const loaded = await Model.load(await model.save(), { backend });
      try {
        expect(lrsOf(await loaded.fit({ ...DATA, epochs: 1 }))).toEqual([1]);
      } finally {
        loaded.dispose();
      }
      expect(lrsOf(await model.fit({ ...DATA, epochs: 1 }))).toEqual([1]);
      // Epochs 5, 6 of a step schedule (lr 2⁻⁴, 2⁻⁵), stopped after 2 of epoch 6's 6 mini-batches: the model has trained
      // 5 epochs, so the next fit's first epoch is epoch 6 again, at 2⁻⁵; its optimiser still has lr 1.
      const controller = new AbortController();
      const stopped = await model.fit({
        ...DATA, epochs: 2, batchesPerSubmission: 1, lrSchedule: step, signal: controller.signal,
        onBatch: ({ epoch, batch }) => { if (epoch === 6 && batch === 2) controller.abort(new Error('stop')); },
      }).catch((e: unknown) => e);
      expect((stopped as Error).message).toBe('stop');
      expect(model.epochsTrained).toBe(5);
      const next = await model.fit({ ...DATA, epochs: 1, lrSchedule: step });
      expect(next.map((e) => [e.epoch, e.lr])).toEqual([[6, 2 ** -5]]);
      expect(lrsOf(await model.fit({ ...DATA, epochs: 1 }))).toEqual([1]);
    } finally {
      model.dispose();
    }
  });

  it('after earlyStopping\'s restoreBest, the next fit goes on at the best epoch\'s schedule: a fresh fit of that many epochs, then more', async () => {
    const step: LrSchedule = { name: 'step', stepSize: 1, gamma: 0.5 };
    const opts = (epochs: number): FitOptions => ({ ...DATA, epochs, optimizer: { name: 'adam', lr: 0.05 }, lrSchedule: step });
    const restored = await withModel(backend, async (m) => {
      const h = await m.fit({ ...opts(20), earlyStopping: { patience: 1, restoreBest: true } });
      const best = h.at(-1)!.earlyStop!.bestEpoch;
      return { best, ran: h.length, next: await m.fit(opts(2)) };
    });
    const { best, ran, next } = restored.out as { best: number; ran: number; next: EpochLog[] };
    expect(best).toBeLessThan(ran); // the restore changes something
    expect(lrsOf(next)).toEqual([torchStep(0.05, 1, 0.5, best), torchStep(0.05, 1, 0.5, best + 1)]);
    const fresh = await withModel(backend, async (m) => {
      await m.fit(opts(best));
      return m.fit(opts(2));
    });
    expect([restored.params, restored.epochs]).toEqual([fresh.params, best + 2]);
  });
});

describe('bad lrSchedule: a SpecError naming the field, before any work, the model unchanged', () => {
  const bad: [unknown, string, RegExp, Partial<FitOptions>?][] = [
    ['cosine', 'lrSchedule', /must be an object/],
    [{ name: 'cosin', epochs: 3 }, 'lrSchedule.name', /did you mean 'cosine'/],
    [{ name: 'step' }, 'lrSchedule.stepSize', /positive integer/],
    [{ name: 'step', stepSize: 2, gama: 0.5 }, 'lrSchedule.gama', /did you mean 'gamma'/],
    [{ name: 'step', stepSize: 2, gamma: 1.5 }, 'lrSchedule.gamma', /\(0, 1\]/],
    [{ name: 'exponential' }, 'lrSchedule.gamma', /missing/],
    [{ name: 'exponential', gamma: 0 }, 'lrSchedule.gamma', /\(0, 1\]/],
    [{ name: 'cosine', epochs: 0 }, 'lrSchedule.epochs', /positive integer/],
    [{ name: 'cosine', epochs: 4, minLr: 0.5 }, 'lrSchedule.minLr', /above the optimiser's lr 0.1/],
    [{ name: 'warmup', startFactor: 0 }, 'lrSchedule.startFactor', /\(0, 1\]/],
    [{ name: 'plateau', factor: 1 }, 'lrSchedule.factor', /\(0, 1\)/],
    [{ name: 'plateau', patience: -1 }, 'lrSchedule.patience', /non-negative integer/],
    [{ name: 'plateau', thresholdMode: 'relative' }, 'lrSchedule.thresholdMode', /'rel', 'abs'/],
    [{ name: 'plateau', minLr: -1 }, 'lrSchedule.minLr', /≥ 0/],
    [{ name: 'plateau', threshold: -0.1 }, 'lrSchedule.threshold', /≥ 0/],
    [{ name: 'plateau', cooldown: 1.5 }, 'lrSchedule.cooldown', /non-negative integer/],
    [{ name: 'plateau', eps: NaN }, 'lrSchedule.eps', /≥ 0/],
    [{ name: 'plateau', monitor: 'val_loss' }, 'lrSchedule.monitor', /did you mean 'valLoss'/],
    [{ name: 'plateau', patience: 2, minDelta: 0.1 }, 'lrSchedule.minDelta', /unknown option of the 'plateau' schedule/],
    [{ name: 'warmup', epochs: 0 }, 'lrSchedule.epochs', /positive integer/],
    [{ name: 'cosine', epochs: 4, minLr: -0.01 }, 'lrSchedule.minLr', /≥ 0/],
    [{ name: 'step', stepSize: 1.5 }, 'lrSchedule.stepSize', /positive integer/],
    [{ name: 'exponential', gamma: 1.01 }, 'lrSchedule.gamma', /\(0, 1\]/],
    [{ name: 'cosine', epochs: 4, gamma: 0.5 }, 'lrSchedule.gamma', /unknown option of the 'cosine' schedule/],
    [{ name: 'plateau' }, 'lrSchedule.monitor', /no validation set/, { validation: undefined }],
    [{ name: 'plateau', monitor: 'valAccuracy' }, 'lrSchedule.monitor', /has no accuracy/, { mse: true } as Partial<FitOptions>],
  ];
  it.each(bad)('%o → %s', async (lrSchedule, field, message, extra) => {
    const { mse, ...rest } = (extra ?? {}) as Partial<FitOptions> & { mse?: boolean };
    const model = await Model.create(mse ? { ...ES_SPEC, loss: 'mse' } : ES_SPEC, { backend: 'cpu' });
    try {
      const before = bits(await model.getParams());
      const err = await model.fit({ ...DATA, epochs: 2, optimizer: { name: 'sgd', lr: 0.1 }, lrSchedule: lrSchedule as LrSchedule, ...rest }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SpecError);
      expect((err as SpecError).field).toBe(field);
      expect((err as Error).message).toMatch(message);
      expect([bits(await model.getParams()), model.epochsTrained, model.optimizerState()]).toEqual([before, 0, undefined]);
    } finally {
      model.dispose();
    }
  });

  it('each field read once (a getter asked once): what is checked is what runs', async () => {
    const reads: Record<string, number> = {};
    const values: Record<string, unknown[]> = { name: ['step', 'cosine'], stepSize: [1, 0], gamma: [0.5, 7] };
    const lrSchedule = Object.defineProperties({}, Object.fromEntries(Object.keys(values).map((k) => [k, {
      enumerable: true, get: () => values[k][Math.min((reads[k] = (reads[k] ?? 0) + 1) - 1, 1)],
    }])));
    const model = await Model.create(ES_SPEC, { backend: 'cpu' });
    try {
      const history = await model.fit({ ...DATA, epochs: 2, optimizer: { name: 'sgd', lr: 1 }, lrSchedule: lrSchedule as LrSchedule });
      expect(lrsOf(history)).toEqual([1, 0.5]);
      expect(reads).toEqual({ name: 1, stepSize: 1, gamma: 1 });
    } finally {
      model.dispose();
    }
  });

  it('queued behind another fit: a plateau on valLoss without a validation set is refused at its turn, the model as the first fit left it', async () => {
    const model = await Model.create(ES_SPEC, { backend: 'cpu' });
    try {
      const first = model.fit({ ...DATA, epochs: 1 });
      const second = model.fit({ epochs: 1, lrSchedule: { name: 'plateau' } }).catch((e: unknown) => e);
      await first;
      const after = bits(await model.getParams());
      const err = await second;
      expect((err as SpecError).field).toBe('lrSchedule.monitor');
      expect([bits(await model.getParams()), model.epochsTrained]).toEqual([after, 1]);
    } finally {
      model.dispose();
    }
  });
});
