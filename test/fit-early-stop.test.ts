/**
 * fit's earlyStopping option (README "Training on data: fit"; src/train/early-stop.ts), on cpu and wasm (Node):
 * - the patience count on scripted monitor values, worked by hand (earlyStopper: Keras 3's EarlyStopping rule);
 * - a fit with earlyStopping against a fit without it: the epochs run and the best epoch are those of Keras' rule
 *   (test/lib/early-stop-fit.ts kerasStop, written from Keras' source) over the unstopped fit's history; the stopped
 *   fit's history is that history's first entries (bitwise), its last marked `earlyStop`, and the model holds the
 *   bits of a fresh fit of exactly that many epochs; with restoreBest, the bits (save()'s bytes) onEpoch saved at the
 *   best epoch, as after a fresh fit of that many epochs;
 * - bad options: a SpecError naming the field before any work, the model unchanged; a validation monitor without a
 *   validation set, called with nothing ahead and queued behind another fit;
 * - restoreBest's copy of the best epoch (parameters and optimiser state) counted against the host budget.
 */
import { describe, expect, it } from 'vitest';
import { checkFitBudget, fitDataNeeds, fitTrainerNeeds, needs, ownFitHostBytes, type OwnMemory } from '../src/budget.ts';
import { Model } from '../src/model.ts';
import { validateNet } from '../src/spec.ts';
import { earlyStopper } from '../src/train/early-stop.ts';
import type { EarlyStopping, EpochLog } from '../src/train/fit.ts';
import { bits } from './lib/fit-nets.ts';
import { ES_FIT, ES_SPEC, ES_TRAIN, ES_VAL, kerasStop } from './lib/early-stop-fit.ts';
import { KINDS } from './lib/line-fit.ts';

/** earlyStopper's verdicts over `values` of monitor `monitor`: the 1-based epochs it called best, and the one it stopped at (0: none). */
function script(values: number[], config: { monitor: EarlyStopping['monitor']; patience: number; minDelta: number }): { best: number[]; stop: number } {
  const s = earlyStopper({ monitor: config.monitor ?? 'valLoss', patience: config.patience, minDelta: config.minDelta });
  const best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = s.see({ epoch: i + 1, loss: 0, lr: 0, maxAbsParam: 0, seconds: 0, [config.monitor ?? 'valLoss']: values[i] });
    if (v.best) best.push(i + 1);
    if (v.stop) return { best, stop: i + 1 };
  }
  return { best, stop: 0 };
}

describe('the patience count (earlyStopper) on scripted values, worked by hand', () => {
  it('a loss: the wait resets on an improvement, the fit stops once `patience` epochs in a row did not improve', () => {
    // 1.0 best; 0.9 < 1.0 best; 0.95, 0.92 not below 0.9: waits 1, 2 → stop at epoch 4 (patience 2).
    expect(script([1, 0.9, 0.95, 0.92, 0.91, 0.85], { monitor: 'loss', patience: 2, minDelta: 0 })).toEqual({ best: [1, 2], stop: 4 });
    // patience 3: 0.91 is no improvement on 0.9 either (wait 3) → stop at 5.
    expect(script([1, 0.9, 0.95, 0.92, 0.91, 0.85], { monitor: 'valLoss', patience: 3, minDelta: 0 })).toEqual({ best: [1, 2], stop: 5 });
    // An equal value is no improvement (strictly below).
    expect(script([1, 1], { monitor: 'loss', patience: 1, minDelta: 0 })).toEqual({ best: [1], stop: 2 });
  });

  it('minDelta: a loss improves only where it is below the best by more than minDelta (value + minDelta < best)', () => {
    // 0.95 + 0.02 = 0.97 < 1 improves; 0.94 + 0.02 = 0.96 is not below 0.95: stop at 3 (patience 1).
    expect(script([1, 0.95, 0.94, 0.935], { monitor: 'loss', patience: 1, minDelta: 0.02 })).toEqual({ best: [1, 2], stop: 3 });
    expect(script([1, 0.95, 0.94, 0.935], { monitor: 'loss', patience: 1, minDelta: 0 })).toEqual({ best: [1, 2, 3, 4], stop: 0 });
  });

  it('an accuracy rises: value − minDelta > best', () => {
    expect(script([0.5, 0.6, 0.6, 0.7], { monitor: 'valAccuracy', patience: 1, minDelta: 0 })).toEqual({ best: [1, 2], stop: 3 });
    // 0.65 − 0.1 = 0.55 > 0.5 improves; 0.7 − 0.1 = 0.6 is not above 0.65: stop at 3.
    expect(script([0.5, 0.65, 0.7], { monitor: 'accuracy', patience: 1, minDelta: 0.1 })).toEqual({ best: [1, 2], stop: 3 });
  });

  it('patience 0 stops as 1 does (Keras); the first epoch never stops a fit and is the best until one improves', () => {
    expect(script([1, 0.9, 0.95, 0.8], { monitor: 'loss', patience: 0, minDelta: 0 })).toEqual({ best: [1, 2], stop: 3 });
    // A NaN first value improves on nothing (NaN < ∞ is false), yet it neither stops the fit nor leaves no best.
    expect(script([NaN, 1, 2], { monitor: 'valLoss', patience: 0, minDelta: 0 })).toEqual({ best: [1, 2], stop: 3 });
    expect(script([NaN, NaN], { monitor: 'valLoss', patience: 0, minDelta: 0 })).toEqual({ best: [1], stop: 2 });
  });
});

const DATA = { x: ES_TRAIN.x, y: ES_TRAIN.y, validation: { x: ES_VAL.x, y: ES_VAL.y }, ...ES_FIT };
const STEPS_PER_EPOCH = 24 / 4;

/** A history entry without its wall time and mark: what two fits of the same bits share. */
const numbers = (e: EpochLog) => ({ epoch: e.epoch, loss: e.loss, accuracy: e.accuracy, valLoss: e.valLoss, valAccuracy: e.valAccuracy, maxAbsParam: e.maxAbsParam });

describe.each(KINDS)('fit with earlyStopping (%s)', (backend) => {
  /** A fresh model of ES_SPEC fitted `epochs` epochs with `extra` options; its history and parameter bits. */
  async function fitted<T>(epochs: number, extra: Parameters<Model['fit']>[0], then?: (m: Model, h: EpochLog[]) => Promise<T>) {
    const model = await Model.create(ES_SPEC, { backend });
    try {
      const history = await model.fit({ ...DATA, epochs, ...extra });
      const params = bits(await model.getParams());
      return { history, params, epochs: model.epochsTrained, t: model.optimizerState()?.t, more: then ? await then(model, history) : undefined };
    } finally {
      model.dispose();
    }
  }

  it("stops where Keras' rule over the unstopped fit's history stops, with that history's entries and a fit of that many epochs' bits", async () => {
    const full = await fitted(20, {});
    const cases: EarlyStopping[] = [{ patience: 2 }, { patience: 2, minDelta: 0.01 }, { monitor: 'loss', patience: 1 }, { monitor: 'valAccuracy', patience: 2 }];
    const stops: number[] = [];
    for (const es of cases) {
      const monitor = es.monitor ?? 'valLoss';
      const want = kerasStop(full.history.map((e) => e[monitor]!), es.patience ?? 0, es.minDelta ?? 0, monitor.endsWith('ccuracy'));
      const got = await fitted(20, { earlyStopping: es });
      expect(got.history.map(numbers), JSON.stringify(es)).toEqual(full.history.slice(0, want.epochs).map(numbers));
      expect(got.history.at(-1)!.earlyStop).toEqual({ stopped: want.epochs < 20, bestEpoch: want.best });
      expect(got.history.slice(0, -1).every((e) => e.earlyStop === undefined)).toBe(true);
      const plain = await fitted(want.epochs, {});
      expect([got.params, got.epochs, got.t]).toEqual([plain.params, want.epochs, want.epochs * STEPS_PER_EPOCH]);
      stops.push(want.epochs);
    }
    // The scenario stops early, at different epochs (minDelta moves the stop): not a test every rule passes.
    expect(stops.every((k) => k < 20)).toBe(true);
    expect(stops[0]).not.toBe(stops[1]);
  });

  it('restoreBest: the model holds the best epoch — the bytes onEpoch saved there, the bits of a fit of that many epochs', async () => {
    const full = await fitted(20, {});
    const want = kerasStop(full.history.map((e) => e.valLoss!), 2, 0.01, false);
    expect(want.best).toBeLessThan(want.epochs); // a restore that changes something
    const model = await Model.create(ES_SPEC, { backend });
    try {
      const saves: Uint8Array[] = [];
      const history = await model.fit({ ...DATA, epochs: 20, earlyStopping: { patience: 2, minDelta: 0.01, restoreBest: true },
        onEpoch: async () => { saves.push(await model.save()); } });
      expect(history.length).toBe(want.epochs);
      expect(history.at(-1)!.earlyStop).toEqual({ stopped: true, bestEpoch: want.best });
      const plain = await fitted(want.best, {});
      expect([bits(await model.getParams()), model.epochsTrained, model.optimizerState()!.t]).toEqual([plain.params, want.best, want.best * STEPS_PER_EPOCH]);
      expect(Buffer.from(await model.save()).equals(Buffer.from(saves[want.best - 1]))).toBe(true);
      // The next fit goes on from that epoch: as a model fitted `best` epochs, then 1 more.
      await model.fit({ ...DATA, epochs: 1 });
      const again = await fitted(want.best, {}, async (m) => { await m.fit({ ...DATA, epochs: 1 }); return bits(await m.getParams()); });
      expect(bits(await model.getParams())).toBe(again.more);
    } finally {
      model.dispose();
    }
  });

  it('a fit that runs all its epochs: its last entry says so, and restoreBest still puts back the best (Keras 3 restores at the end either way)', async () => {
    const full = await fitted(8, {});
    const want = kerasStop(full.history.map((e) => e.valLoss!), 10, 0, false);
    expect(want).toEqual({ epochs: 8, best: want.best });
    expect(want.best).toBeLessThan(8);
    const seen: EpochLog[] = [];
    const got = await fitted(8, { earlyStopping: { patience: 10, restoreBest: true }, onEpoch: (e) => {
      seen.push(structuredClone(e));
      if (e.earlyStop) e.earlyStop.stopped = true; // onEpoch's copy: the history keeps its own
    } });
    expect(got.history.at(-1)!.earlyStop).toEqual({ stopped: false, bestEpoch: want.best });
    expect(seen.at(-1)!.earlyStop).toEqual({ stopped: false, bestEpoch: want.best });
    expect(seen.slice(0, -1).every((e) => e.earlyStop === undefined)).toBe(true);
    const plain = await fitted(want.best, {});
    expect([got.params, got.epochs]).toEqual([plain.params, want.best]);
    // Without restoreBest the last epoch stays.
    const last = await fitted(8, { earlyStopping: { patience: 10 } });
    expect([last.params, last.epochs]).toEqual([full.params, 8]);
  });

  it('bad options: a SpecError naming the field, before any work, the model unchanged', async () => {
    const model = await Model.create(ES_SPEC, { backend });
    try {
      const before = bits(await model.getParams());
      const bad: [unknown, string][] = [
        [3, 'earlyStopping'], [null, 'earlyStopping'], [{ patience: -1 }, 'earlyStopping.patience'], [{ patience: 1.5 }, 'earlyStopping.patience'],
        [{ minDelta: -0.1 }, 'earlyStopping.minDelta'], [{ minDelta: NaN }, 'earlyStopping.minDelta'], [{ minDelta: '0.1' }, 'earlyStopping.minDelta'],
        [{ monitor: 'val_loss' }, 'earlyStopping.monitor'], [{ restoreBest: 1 }, 'earlyStopping.restoreBest'], [{ pateince: 2 }, 'earlyStopping.pateince'],
      ];
      for (const [earlyStopping, field] of bad) {
        await expect(model.fit({ ...DATA, earlyStopping: earlyStopping as EarlyStopping }), JSON.stringify(earlyStopping)).rejects.toMatchObject({ name: 'SpecError', field });
      }
      // The monitor must exist: valLoss (the default) without validation; an accuracy under mse.
      const { validation: _, ...noVal } = DATA;
      await expect(model.fit({ ...noVal, earlyStopping: {} })).rejects.toMatchObject({ name: 'SpecError', field: 'earlyStopping.monitor' });
      await expect(model.fit({ ...noVal, earlyStopping: { monitor: 'valAccuracy' } })).rejects.toMatchObject({ field: 'earlyStopping.monitor' });
      expect([bits(await model.getParams()), model.epochsTrained, model.optimizerState()]).toEqual([before, 0, undefined]);
      // Queued behind a fit (not awaited): refused at its turn, the model as that fit left it.
      const first = model.fit({ ...noVal, epochs: 1 });
      const second = model.fit({ ...noVal, epochs: 1, earlyStopping: { patience: 1 } });
      await first;
      const after = bits(await model.getParams());
      await expect(second).rejects.toMatchObject({ name: 'SpecError', field: 'earlyStopping.monitor' });
      expect([bits(await model.getParams()), model.epochsTrained]).toEqual([after, 1]);
      // 'loss' needs no validation.
      await expect(model.fit({ ...noVal, epochs: 1, earlyStopping: { monitor: 'loss' } })).resolves.toHaveLength(1);
    } finally {
      model.dispose();
    }
    const mse = await Model.create({ ...ES_SPEC, loss: 'mse' }, { backend });
    try {
      await expect(mse.fit({ ...DATA, earlyStopping: { monitor: 'accuracy' } })).rejects.toMatchObject({ name: 'SpecError', field: 'earlyStopping.monitor' });
      expect(mse.epochsTrained).toBe(0);
    } finally {
      mse.dispose();
    }
  });

  it("the spec's validation fraction is a validation set for the default monitor, queued or not", async () => {
    const model = await Model.create({ ...ES_SPEC, validation: 0.25 }, { backend });
    try {
      const { validation: _, ...noVal } = DATA;
      const first = model.fit({ ...noVal, epochs: 1 });
      const second = model.fit({ ...noVal, epochs: 3, earlyStopping: { patience: 5 } }); // queued
      await first;
      expect((await second).at(-1)!.earlyStop?.stopped).toBe(false);
      expect((await model.fit({ ...noVal, epochs: 1, earlyStopping: {} })).at(-1)!.valLoss).toBeDefined();
    } finally {
      model.dispose();
    }
  });
});

// read64a: the best epoch's copies restoreBest keeps beside the last epoch's (fitModel's `best`) were in no count: a
// fit at the host budget's edge held 4·(1 + k)·P bytes past it. Worked by hand for ES_SPEC (2-16 tanh-1 sigmoid):
// P = 2·16 + 16 + 16·1 + 1 = 65 parameters; Adam's k = 2 slots (m, v): 4·(1 + 2)·65 = 780 bytes; SGD's: 4·65 = 260.
describe("restoreBest's copy of the best epoch against the host budget", () => {
  const net = validateNet(ES_SPEC);
  const KEPT_ADAM = 780;
  const KEPT_SGD = 260;
  /** The host count of DATA's fit (batches of 4, 24 + 24 examples) without restoreBest: the net, the trainer's extras, the data. */
  const base = (optimizer: 'adam' | 'sgd') => needs(net, 4).hostBytes + fitTrainerNeeds(net, 4, 24, optimizer, 16).hostBytes + fitDataNeeds(net, 24, 24).hostBytes;
  const budgetOf = (hostBytes: number) => ({ hostBytes, deviceBytes: 2 ** 30, fileBytes: 2 ** 20 });

  it('fit with restoreBest needs 4·(1 + k)·P bytes more than without: a LimitError one byte short (naming validation.x: without it the fit would fit), the model unchanged', async () => {
    const edge = base('adam') + KEPT_ADAM;
    const short = await Model.create(ES_SPEC, { backend: 'cpu', budget: budgetOf(edge - 1) });
    try {
      const before = bits(await short.getParams());
      await expect(short.fit({ ...DATA, epochs: 3, earlyStopping: { restoreBest: true } })).rejects.toMatchObject({ name: 'LimitError', field: 'validation.x' });
      expect([bits(await short.getParams()), short.epochsTrained]).toEqual([before, 0]);
      // Without restoreBest, or with earlyStopping that keeps no copy, the same budget runs it.
      await expect(short.fit({ ...DATA, epochs: 1, earlyStopping: { restoreBest: false } })).resolves.toHaveLength(1);
      await expect(short.fit({ ...DATA, epochs: 1 })).resolves.toHaveLength(1);
    } finally {
      short.dispose();
    }
    // Queued behind a fit, taking the spec's batchSize and validation fraction: counted in full when it runs (resolveFit).
    const spec = { ...ES_SPEC, batchSize: 4, validation: 0.5 };
    const all = { x: [...ES_TRAIN.x, ...ES_VAL.x], y: [...ES_TRAIN.y, ...ES_VAL.y], optimizer: ES_FIT.optimizer };
    const queued = await Model.create(spec, { backend: 'cpu', budget: budgetOf(edge - 1) });
    try {
      const first = queued.fit({ ...all, epochs: 1 });
      const second = queued.fit({ ...all, epochs: 3, earlyStopping: { restoreBest: true } });
      await first;
      await expect(second).rejects.toMatchObject({ name: 'LimitError', field: 'validation.x' });
      expect(queued.epochsTrained).toBe(1);
    } finally {
      queued.dispose();
    }
    const enough = await Model.create(ES_SPEC, { backend: 'cpu', budget: budgetOf(edge) });
    try {
      await expect(enough.fit({ ...DATA, epochs: 3, earlyStopping: { restoreBest: true } })).resolves.toHaveLength(3);
    } finally {
      enough.dispose();
    }
  });

  it('counted with the optimiser the fit runs (SGD: the parameters alone), and on a backend with its own memory too', () => {
    const sgd = base('sgd');
    const opts = (hostBytes: number, own?: OwnMemory) => ({ budget: budgetOf(hostBytes), optimizer: 'sgd' as const, restoreBest: true, own });
    expect(() => checkFitBudget(net, 24, 24, 4, opts(sgd + KEPT_SGD - 1))).toThrow(/^validation\.x: fit's data needs/);
    expect(() => checkFitBudget(net, 24, 24, 4, opts(sgd + KEPT_SGD))).not.toThrow();
    // A backend's own memory (wasm's) of 1 MB makes its count the larger: the copy is JS memory beside it, counted there too.
    const own: OwnMemory = { name: 'a stand-in memory', memoryBytes: () => 1_000_000 };
    const withOwn = (restoreBest: boolean, hostBytes: number) => () => checkFitBudget(net, 24, 24, 4, { ...opts(hostBytes, own), restoreBest });
    // The own count without the copy (the memory and what stays beside it in JS: src/budget.ts ownFitHostBytes).
    const hi = ownFitHostBytes(net, { nTrain: 24, nVal: 24, slots: 0 }, 4, own);
    expect(withOwn(false, hi)).not.toThrow();
    expect(withOwn(false, hi - 1)).toThrow(/a stand-in memory/);
    expect(hi).toBeGreaterThan(sgd + KEPT_SGD); // the own count is the one that binds here
    expect(withOwn(true, hi + KEPT_SGD - 1)).toThrow(/a stand-in memory/);
    expect(withOwn(true, hi + KEPT_SGD)).not.toThrow();
  });
});
