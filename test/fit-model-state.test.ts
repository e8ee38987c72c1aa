/**
 * What Model keeps between fits and hands out (cpu and wasm, Node), from README §API / §Training on data: fit
 * (fmut55's survivors of src/model.ts):
 * - `model.optimizerState()` is "a copy of the optimiser state": writing to what it returns changes neither the next
 *   optimizerState() nor the checkpoint save() writes. The state after one Adam step is worked by hand;
 * - `restore` puts in the checkpoint's "optimiser (settings and state)" (README §Checkpoints), replacing the model's
 *   own last optimiser: a fit without `optimizer` after it goes on with the checkpoint's (its step count t going on
 *   from the checkpoint's), and save() then stores it;
 * - after `restore`, `lastKnownParams()` is the checkpoint's parameters with 0 train() steps since (README §API:
 *   "with how many train() steps ran since (not in the copy)"), however many train() steps ran before the restore;
 * - `rebuild()` makes the new model "from the CPU copy of the parameters …, optimiser state and epoch count" (README
 *   §Training on data: fit): its epochsTrained, optimiser state and checkpoint are the old model's.
 */
import { describe, expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import type { NetworkSpec } from '../src/spec.ts';
import { loadCheckpoint } from '../src/train/checkpoint.ts';

const KINDS = ['cpu', 'wasm'] as const;

describe.each(KINDS)("the model's fit state (%s)", (backend) => {
  it('optimizerState() is a copy: writing to it changes neither the model nor its checkpoint (Adam after one step, by hand)', async () => {
    // 1-1 identity, no bias, mse: L = ½(W·x − y)², g = (W·x − y)·x = (1·2 − 0)·2 = 4 at W = 1, x = 2, y = 0.
    // Adam's first step: m = (1 − 0.9)·4 = 0.4, v = (1 − 0.999)·16 = 0.016, t = 1.
    const model = await Model.create({ inputs: 1, layers: [{ units: 1, activation: 'identity', bias: 'none' }], loss: 'mse', params: { W: [[[1]]], b: [[]] } }, { backend });
    try {
      await model.fit({ x: [[2]], y: [[0]], optimizer: { name: 'adam', lr: 1e-3 } });
      const check = (s: ReturnType<Model['optimizerState']>, what: string) => {
        expect(s?.t, what).toBe(1);
        expect(Math.abs(s!.slots.m.W[0][0] - 0.4) / 0.4, what).toBeLessThan(1e-6);
        expect(Math.abs(s!.slots.v.W[0][0] - 0.016) / 0.016, what).toBeLessThan(1e-6);
      };
      const given = model.optimizerState()!;
      check(given, 'as fitted');
      given.t = 99;
      given.slots.m.W[0][0] = 7;
      given.slots.v.W[0][0] = 8;
      check(model.optimizerState(), 'optimizerState() after writing to the copy');
      check(loadCheckpoint(await model.save()).state, 'save() after writing to the copy');
    } finally {
      model.dispose();
    }
  });

  it("restore replaces the model's last optimiser with the checkpoint's: the next fit goes on with it, and save() stores it", async () => {
    const spec: NetworkSpec = { inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 3 } };
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const y = [[0], [1], [1], [1]];
    const momentum = { name: 'momentum', lr: 0.02, momentum: 0.5 } as const;
    const source = await Model.create(spec, { backend });
    const model = await Model.create(spec, { backend });
    try {
      await source.fit({ x, y, batchSize: 2, optimizer: momentum }); // 2 steps: t = 2
      await model.fit({ x, y, batchSize: 2, optimizer: { name: 'adam', lr: 0.01 } });
      await model.restore(await source.save());
      await model.fit({ x, y, batchSize: 2 }); // no optimizer: the checkpoint's, 2 more steps
      const s = model.optimizerState()!;
      expect([s.name, s.t]).toEqual(['momentum', 4]);
      expect(loadCheckpoint(await model.save()).run.optimizer).toMatchObject(momentum);
    } finally {
      source.dispose();
      model.dispose();
    }
  });

  it('restore after train(): lastKnownParams() is the checkpoint\'s parameters, 0 steps since', async () => {
    const spec: NetworkSpec = { inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 3 }, lr: 0.1, x: [[0, 1], [1, 0]], y: [[1], [0]] };
    const source = await Model.create({ ...spec, init: { scheme: 'xavier', seed: 9 } }, { backend });
    const bytes = await source.save();
    source.dispose();
    const model = await Model.create(spec, { backend });
    try {
      await model.train({ steps: 3 });
      expect(model.lastKnownParams().stepsSince).toBe(3);
      await model.restore(bytes);
      const known = model.lastKnownParams();
      const stored = loadCheckpoint(bytes).params;
      expect(known.stepsSince).toBe(0);
      expect([...known.params.W, ...known.params.b].map((a) => Array.from(a))).toEqual([...stored.W, ...stored.b].map((a) => Array.from(a)));
    } finally {
      model.dispose();
    }
  });

  it("rebuild() carries the epoch count and the optimiser (settings and state): the new model's checkpoint is the old one's", async () => {
    const spec: NetworkSpec = { inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 3 } };
    const model = await Model.create(spec, { backend });
    await model.fit({ x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [1]], batchSize: 2, epochs: 2, optimizer: { name: 'adam', lr: 0.01 } });
    const before = await model.save();
    const next = await model.rebuild();
    try {
      expect(next.epochsTrained).toBe(2);
      expect(next.optimizerState()?.t).toBe(4); // 2 epochs of 2 batches
      const a = loadCheckpoint(before);
      const b = loadCheckpoint(await next.save());
      expect([b.epochs, b.run.optimizer, b.state?.name, b.state?.t]).toEqual([a.epochs, a.run.optimizer, 'adam', 4]);
      expect(Array.from(b.state!.slots.v.W[0])).toEqual(Array.from(a.state!.slots.v.W[0]));
    } finally {
      next.dispose();
    }
  });
});
