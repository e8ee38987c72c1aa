/**
 * Sequences of model calls whose later call must see what the earlier one left (cpu and wasm, Node):
 * - setParams(start) after train(), then train(): the run starts again from `start` (README §API: setParams replaces
 *   the parameters), bitwise a fresh model's train from `start`;
 * - restore(checkpoint) after train(), then train(): the same, from the checkpoint's parameters;
 * - evaluate() right after train() (no getParams between): the trained parameters, not those from before;
 * - getParams() inside onEpoch of a fit on a model that ran train() first: that epoch's parameters;
 * - restore() takes the checkpoint's run fields (batchSize, epochs, shuffle, validation: README §Checkpoints), so a
 *   fit() given only x, y after it is the fit after Model.load;
 * - a `validation` fraction is held out from the END of x, y (README §The spec): the training side is the first
 *   n − held examples, valLoss / valAccuracy those of the last held examples after the epoch.
 * Twins are models on the same backend running the same calls, so those comparisons are bitwise. Where a value is
 * checked against an independent one, it is the float64 forward pass of test/lib/forward64.ts (from README's equations).
 */
import { describe, expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import { type NetworkSpec, type Params, validateNet } from '../src/spec.ts';
import { exampleLoss, forward64, isCorrect } from './lib/forward64.ts';

const KINDS = ['cpu', 'wasm'] as const;

const bits = (p: Params): string => JSON.stringify([...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))));

// 8 examples of two classes; the first and the last examples differ, so which side is held out shows in valLoss.
const X = [[1, 0], [0, 1], [1, 1], [-1, 0.5], [0.5, -1], [-0.5, -0.5], [0.25, 0.75], [-1, -1]];
const Y = X.map(([a, b]) => (a + b > 0 ? [1, 0] : [0, 1]));
const SPEC: NetworkSpec = {
  inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy',
  init: { scheme: 'he', seed: 1 }, x: X, y: Y, lr: 0.5,
};

/** Mean loss and correct count of rows x, y by the float64 forward pass with parameters p. */
function score64(spec: NetworkSpec, p: Params, x: number[][], y: number[][]): { loss: number; correct: number } {
  const net = validateNet(spec);
  let loss = 0;
  let correct = 0;
  x.forEach((row, c) => {
    const a = forward64(net, p.W, p.b, row);
    loss += exampleLoss(net, a, y[c]);
    if (isCorrect(net, a, y[c])) correct++;
  });
  return { loss: loss / x.length, correct };
}

/**
 * NOTE: a float32 forward pass of this 2-3-2 net on |x| ≤ 1 against the float64 one: a few float32 roundings
 * (6e-8 relative each) through two layers and the log, so ~1e-7 on losses of O(1); 2e-6 leaves a 20× margin and is
 * still far below the gap between the two sides' losses (checked in the test, > 1e-2).
 */
const FORWARD_BOUND = 2e-6;

describe.each(KINDS)('model call sequences (%s)', (backend) => {
  const make = (spec: NetworkSpec = SPEC) => Model.create(spec, { backend });

  // Each way back to the start after train(3): the next train(1) must be bitwise a fresh model's train(1).
  const resets: [string, (m: Model, start: { typed: Params; spec: Awaited<ReturnType<Model['getParamsSpec']>>; ck: Uint8Array }) => Promise<void>][] = [
    ['setParams(start) (Float32Arrays)', (m, s) => m.setParams(s.typed)],
    ['setParams(start) (spec form)', (m, s) => m.setParams(s.spec)],
    ['restore(checkpoint)', (m, s) => m.restore(s.ck)],
  ];
  it.each(resets)('%s after train(3), then train(1): bitwise a fresh model\'s train(1)', async (_, reset) => {
    const [a, b] = [await make(), await make()];
    try {
      const start = { typed: await a.getParams(), spec: await a.getParamsSpec(), ck: await a.save() };
      await a.train({ steps: 3 });
      expect(bits(await a.getParams())).not.toBe(bits(start.typed)); // the 3 steps moved it (so the reset is observable)
      await reset(a, start);
      const [ra, rb] = [await a.train({ steps: 1 }), await b.train({ steps: 1 })];
      expect(ra.loss).toBe(rb.loss);
      expect(bits(await a.getParams())).toBe(bits(await b.getParams()));
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('evaluate right after train(5) sees the trained parameters: equal to a twin\'s evaluate after getParams, and to float64', async () => {
    const [a, b] = [await make(), await make()];
    try {
      const before = await a.evaluate(X, Y);
      await a.train({ steps: 5 });
      const got = await a.evaluate(X, Y); // no getParams between train and evaluate
      await b.train({ steps: 5 });
      const trained = await b.getParams();
      expect(got).toEqual(await b.evaluate(X, Y));
      const want = score64(SPEC, trained, X, Y);
      expect(Math.abs(got.loss - want.loss)).toBeLessThan(FORWARD_BOUND * Math.max(1, want.loss));
      expect(got.accuracy).toBe(want.correct / X.length);
      // 5 steps at lr 0.5 moved the loss far beyond the bound: the check above can tell the two parameter sets apart
      expect(Math.abs(got.loss - before.loss)).toBeGreaterThan(1e-2);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('getParams inside onEpoch, after train() made the step net, is that epoch\'s parameters', async () => {
    const [a, b] = [await make(), await make()];
    try {
      const run = { batchSize: 3, shuffle: { seed: 2 }, optimizer: { name: 'sgd', lr: 0.5 } } as const;
      await a.train({ steps: 1 });
      const seen: string[] = [];
      await a.fit({ ...run, epochs: 2, onEpoch: async () => { seen.push(bits(await a.getParams())); } });
      await b.train({ steps: 1 });
      const twin: string[] = [];
      for (let e = 0; e < 2; e++) {
        await b.fit({ ...run, epochs: 1 });
        twin.push(bits(await b.getParams()));
      }
      expect(twin[0]).not.toBe(twin[1]);
      expect(seen).toEqual(twin);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('restore takes the checkpoint\'s run fields: a fit given only x, y is the fit after Model.load', async () => {
    // The saved model's spec has batchSize 2, epochs 2, shuffle {seed: 5}, validation 0.25 (2 of 8 held out);
    // the model restored into has none of them (defaults: 32, 1, {seed: 0}, no validation).
    const saved = await make({ ...SPEC, batchSize: 2, epochs: 2, shuffle: { seed: 5 }, validation: 0.25, optimizer: { name: 'sgd', lr: 0.2 } });
    const ck = await saved.save();
    saved.dispose();
    const restored = await make();
    const loaded = await Model.load(ck, { backend });
    try {
      await restored.restore(ck);
      const [hr, hl] = [await restored.fit({ x: X, y: Y }), await loaded.fit({ x: X, y: Y })]; // a checkpoint carries no data
      expect(hr).toHaveLength(2);
      expect(hr.map((h) => [h.epoch, h.loss, h.accuracy, h.valLoss, h.valAccuracy])).toEqual(hl.map((h) => [h.epoch, h.loss, h.accuracy, h.valLoss, h.valAccuracy]));
      expect(hr[0].valLoss).toBeDefined();
      expect(bits(await restored.getParams())).toBe(bits(await loaded.getParams()));
      expect(restored.optimizerState()!.t).toBe(2 * Math.ceil(6 / 2)); // 2 epochs of 6 training examples in batches of 2
    } finally {
      restored.dispose();
      loaded.dispose();
    }
  });

  it('a validation fraction is held out from the end: train on the first n − held, score the last held', async () => {
    // 8 examples, validation 0.25: 2 held out, the last two. One epoch in one batch of the 6 others, in order, sgd.
    const model = await make({ ...SPEC, validation: 0.25 });
    const twin = await make();
    try {
      const [h] = await model.fit({ epochs: 1, batchSize: 6, shuffle: false, optimizer: { name: 'sgd', lr: 0.5 } });
      // the training side: one step on examples 0 … 5, as train() on them takes it (mean over the batch)
      await twin.train({ steps: 1, lr: 0.5, x: X.slice(0, 6), y: Y.slice(0, 6) });
      const after = await twin.getParams();
      expect(bits(await model.getParams())).toBe(bits(after));
      expect(model.optimizerState()!.t).toBe(1);
      // the validation side: the last 2 examples, after the epoch
      const last = score64(SPEC, after, X.slice(6), Y.slice(6));
      const first = score64(SPEC, after, X.slice(0, 2), Y.slice(0, 2));
      expect(Math.abs(last.loss - first.loss)).toBeGreaterThan(1e-2);
      expect(Math.abs(h.valLoss! - last.loss)).toBeLessThan(FORWARD_BOUND * Math.max(1, last.loss));
      expect(h.valAccuracy).toBe(last.correct / 2);
    } finally {
      model.dispose();
      twin.dispose();
    }
  });
});
