/**
 * The model's life cycle on cpu and wasm (Node), each checked against a twin model that never met the case: calls
 * during a fit and calls queued behind each other.
 * - onEpoch may await getParams, save, predict and evaluate: the fit completes, each checkpoint is the bytes the
 *   twin saves after the same number of epochs of separate fit calls, predict / evaluate there are the twin's, and
 *   the fit ends where the twin's does; train, step, grad, fit, setParams, restore and rebuild there reject with
 *   BusyError (they would wait for this fit), before their data is read (bad data too), as a disposed model's
 *   DisposedError comes before it;
 * - calls made without awaiting the ones before them end where a twin awaiting each ends (test/lib/queue-checks.ts,
 *   also run on Dawn by test/dawn/run.ts): data copied and checked when the call is made, a queued fit's defaults
 *   taken, and checked, when it runs (a fit valid after a restore runs behind it, the budget of the restored batchSize
 *   included; a fit without x, y trains on the batch of a train queued ahead, checked against it then, the budget
 *   included), a fit stopped before its first step or a failed train/step/grad changing nothing;
 * - a fit aborted mid-epoch: the next fit's first epoch reports the loss and accuracy of the twin (a fresh model of
 *   the aborted one's parameters), not sums left over from the abort.
 * Twins run the same operations on the same backend, so the comparisons are bitwise (no tolerance needed).
 */
import { describe, expect, it } from 'vitest';
import { fitDataNeeds, needs } from '../src/budget.ts';
import { BackpropError } from '../src/errors.ts';
import { Model } from '../src/model.ts';
import { type NetworkSpec, validateNet } from '../src/spec.ts';
import { type HostCounts, QUEUE_CHECKS, hostCounts } from './lib/queue-checks.ts';
import { KINDS, SPEC, X, Y, codeOf, settle } from './lib/lifecycle-net.ts';
import { bits } from './lib/fit-nets.ts';

const settleField = (p: Promise<unknown>): Promise<string> => p.then(() => 'resolved', (err: unknown) => `${codeOf(err) ?? String(err)} ${(err as BackpropError).field}`);

describe.each(KINDS)('onEpoch awaiting model calls (%s)', (backend) => {
  const fitOptions = { x: X, y: Y, batchSize: 4, shuffle: { seed: 7 }, optimizer: { name: 'adam', lr: 0.05 } } as const;

  // In epoch 2 of 3 (the next epoch's work throws) and of 2 (nothing is left to run, so nothing throws).
  it.each([3, 2])('dispose() inside onEpoch of epoch 2 of %i ends the fit with DisposedError (this model); lastKnownParams holds the finished epochs, as the twin has them', async (epochs) => {
    const model = await Model.create(SPEC, { backend });
    const twin = await Model.create(SPEC, { backend });
    try {
      const err = await model.fit({ ...fitOptions, epochs, onEpoch: (e) => { if (e.epoch === 2) model.dispose(); } }).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'DisposedError', message: expect.stringMatching(/^this model was disposed/) });
      await twin.fit({ ...fitOptions, epochs: 2 });
      expect(bits(model.lastKnownParams().params)).toBe(bits(await twin.getParams()));
      expect(model.lastKnownParams().stepsSince).toBe(0);
    } finally {
      model.dispose();
      twin.dispose();
    }
  });

  it('save, getParams, predict, evaluate inside onEpoch: the fit completes and each equals the twin after that many epochs', async () => {
    const model = await Model.create(SPEC, { backend });
    const twin = await Model.create(SPEC, { backend });
    try {
      const seen: { ckpt: Uint8Array; params: string; predict: number[][]; evaluate: unknown; t: number | undefined; epochs: number }[] = [];
      const history = await model.fit({
        ...fitOptions, epochs: 3, onEpoch: async () => {
          // Not awaited one by one: they queue among themselves and finish before the fit goes on.
          const [ckpt, params, predict, evaluate] = await Promise.all([model.save(), model.getParams(), model.predict(X.slice(0, 3)), model.evaluate(X, Y)]);
          seen.push({ ckpt, params: bits(params), predict, evaluate, t: model.optimizerState()?.t, epochs: model.epochsTrained });
        },
      });
      expect(history.map((e) => e.epoch)).toEqual([1, 2, 3]);
      expect(seen).toHaveLength(3);
      for (let e = 0; e < 3; e++) {
        const [h] = await twin.fit({ ...fitOptions, epochs: 1 });
        expect(h.loss).toBe(history[e].loss);
        const ckpt = await twin.save();
        expect(Buffer.from(seen[e].ckpt).equals(Buffer.from(ckpt))).toBe(true);
        expect(seen[e].params).toBe(bits(await twin.getParams()));
        expect(seen[e].predict).toEqual(await twin.predict(X.slice(0, 3)));
        expect(seen[e].evaluate).toEqual(await twin.evaluate(X, Y));
        expect(seen[e].t).toBe(twin.optimizerState()?.t);
        expect(seen[e].epochs).toBe(e + 1);
      }
      expect(bits(await model.getParams())).toBe(bits(await twin.getParams()));
    } finally {
      model.dispose();
      twin.dispose();
    }
  });

  it('train, step, grad, fit, setParams, restore, rebuild inside onEpoch reject with BusyError (before their data is read: bad data, and too many arguments, too); the fit goes on unchanged', async () => {
    const model = await Model.create(SPEC, { backend });
    const twin = await Model.create(SPEC, { backend });
    try {
      const before = await model.save();
      const params = await model.getParams();
      let outcomes: string[] = [];
      await model.fit({
        ...fitOptions, epochs: 2, onEpoch: async (e) => {
          if (e.epoch !== 1) return;
          const nan = [[NaN, 0]];
          outcomes = await Promise.all([
            model.train({ steps: 1 }), model.step(), model.grad(), model.fit({ x: X, y: Y, epochs: 1 }), model.setParams(params), model.restore(before), model.rebuild({ backend }),
            // Refused before the data is read or converted: BusyError, not the NonFiniteError / SpecError the data would give.
            model.train({ steps: 1, x: nan, y: [[1, 0]] }), model.step(0.1, nan, [[1, 0]]), model.grad(nan, [[1, 0]]), model.fit({ x: nan, y: [[1, 0]] }),
            model.setParams({ W: [], b: [] }), model.restore(new Uint8Array(4)), model.rebuild({ backend: 'none' as never }),
            // One argument too many (a SpecError naming `arguments` on an idle model): BusyError first, as for bad data.
            ...[[model.train, { steps: 1 }, 5], [model.step, 0.1, X, Y, 'extra'], [model.grad, X, Y, {}], [model.fit, {}, { epochs: 5 }],
              [model.setParams, params, {}], [model.restore, before, {}], [model.rebuild, { backend }, {}]]
              .map(([call, ...a]) => (call as (...b: unknown[]) => Promise<unknown>).apply(model, a)),
          ].map(settle));
        },
      });
      expect(outcomes).toEqual(Array(21).fill('BUSY'));
      await twin.fit({ ...fitOptions, epochs: 2 });
      expect(bits(await model.getParams())).toBe(bits(await twin.getParams()));
      expect((await model.train({ steps: 1, x: X, y: Y })).loss).toBe((await twin.train({ steps: 1, x: X, y: Y })).loss);
    } finally {
      model.dispose();
      twin.dispose();
    }
  });

  it('a fit that fails in its second epoch puts back the parameters from before it, on the step net too (which held the first epoch)', async () => {
    const model = await Model.create(SPEC, { backend });
    try {
      await model.train({ steps: 1, x: X, y: Y }); // a step net: getParams reads it
      const before = bits(await model.getParams());
      let calls = 0;
      // A throwIfAborted that throws with aborted false: a failure, not a stop (batchSize 4 on 9 examples: 3 submissions an epoch).
      const signal = { aborted: false, throwIfAborted() { if (++calls === 5) throw new Error('failed'); } };
      await expect(model.fit({ ...fitOptions, batchesPerSubmission: 1, epochs: 2, signal, onEpoch: async () => { await model.getParams(); } })).rejects.toThrow('failed');
      expect(model.epochsTrained).toBe(0);
      expect(bits(await model.getParams())).toBe(before);
    } finally {
      model.dispose();
    }
  });
});

describe.each(KINDS)('calls made without awaiting the ones before them (%s)', (backend) => {
  it.each(Object.keys(QUEUE_CHECKS))('%s: as the twin awaiting each call', async (name) => {
    expect(await QUEUE_CHECKS[name]((spec, budget) => Model.create(spec, { backend, ...(budget ? { budget } : {}) }))).toEqual([]);
  });

  const make = (spec: NetworkSpec) => Model.create(spec, { backend });
  const net = validateNet(SPEC);
  /** On wasm the own-memory count decides (hostCounts): the portable count of the refused case is within the budget. */
  const portableWithin = (counts: HostCounts, portable: number, budget: { hostBytes: number }): void => {
    if (counts.own) expect(portable).toBeLessThanOrEqual(budget.hostBytes);
  };

  /**
   * 64 examples, a checkpoint of SPEC with `batchSize`, and a host budget with room for them in batches of 32, not of 64
   * (in the count that decides on the backend: on wasm its memory, in whole 64 KiB pages, and what stays beside it).
   */
  const budgetCase = async (batchSize: number) => {
    const x = Array.from({ length: 64 }, (_, i) => [Math.sin(i), Math.cos(i)]);
    const y = x.map(([a]) => (a > 0 ? [1, 0] : [0, 1]));
    const source = await Model.create({ ...SPEC, batchSize }, { backend });
    const ck = await source.save();
    source.dispose();
    const counts = await hostCounts(make, SPEC);
    const budget = { hostBytes: counts.fit(64, 32) };
    expect(counts.fit(64, 64)).toBeGreaterThan(budget.hostBytes);
    portableWithin(counts, needs(net, 64).hostBytes + fitDataNeeds(net, 64, 0).hostBytes, budget);
    return { x, y, ck, budget };
  };

  it("a fit queued behind a restore whose batchSize is over the budget: LimitError naming x, as when the restore is awaited", async () => {
    // Batches of 32 (the default without the checkpoint's batchSize) fit the budget; the checkpoint's 64 do not.
    const { x, y, ck, budget } = await budgetCase(64);
    const [model, twin] = [await Model.create(SPEC, { backend, budget }), await Model.create(SPEC, { backend, budget })];
    try {
      await model.fit({ x, y, epochs: 1 });
      await twin.fit({ x, y, epochs: 1 });
      const restored = model.restore(ck);
      const queued = await settleField(model.fit({ x, y, epochs: 1 }));
      await restored;
      await twin.restore(ck);
      expect(queued).toBe(await settleField(twin.fit({ x, y, epochs: 1 })));
      expect(queued).toBe('LIMIT x');
      expect(bits(await model.getParams())).toBe(bits(await twin.getParams()));
      expect(model.epochsTrained).toBe(twin.epochsTrained);
    } finally {
      model.dispose();
      twin.dispose();
    }
  });

  it("a fit queued behind a restore, the model's batchSize over the budget and the checkpoint's within it: it runs, as when the restore is awaited", async () => {
    // Batches of 32 (the checkpoint's) fit the budget; the model's spec's 64 do not.
    const { x, y, ck, budget } = await budgetCase(32);
    const [model, twin] = [await Model.create({ ...SPEC, batchSize: 64 }, { backend, budget }), await Model.create({ ...SPEC, batchSize: 64 }, { backend, budget })];
    try {
      expect(await settleField(twin.fit({ x, y, epochs: 1 }))).toBe('LIMIT x'); // the model's own batchSize: refused
      // Nothing queued ahead: that budget is checked from the counts when fit is called, before the data is read
      // (data that would not convert: a ShapeError had it been read first).
      const counted = { examples: 64, data: new Float32Array(0) };
      await twin.getParams(); // a call that ran and ended: nothing is queued after it
      expect(await settleField(twin.fit({ x: counted, y: counted }))).toBe('LIMIT x');
      const restored = model.restore(ck);
      const queued = await model.fit({ x, y, epochs: 1 });
      await restored;
      await twin.restore(ck);
      const awaited = await twin.fit({ x, y, epochs: 1 });
      expect(queued.map((e) => e.loss)).toEqual(awaited.map((e) => e.loss));
      expect(bits(await model.getParams())).toBe(bits(await twin.getParams()));
      expect(model.epochsTrained).toBe(1);
    } finally {
      model.dispose();
      twin.dispose();
    }
  });

  it("a fit without x, y queued behind a train whose 64 examples are over fit's budget: LimitError naming x when it runs, as when the train is awaited", async () => {
    const x = Array.from({ length: 64 }, (_, i) => [Math.sin(i), Math.cos(i)]);
    const y = x.map(([a]) => (a > 0 ? [1, 0] : [0, 1]));
    // Room for train's step net of 64, not for fit's 64 examples beside its batches of 64 (the spec's batchSize); the
    // 9 examples of the batch before, in batches of 9, fit (in the count that decides on the backend, as budgetCase).
    const counts = await hostCounts(make, SPEC);
    const budget = { hostBytes: counts.step(64) };
    expect(counts.fit(64, 64)).toBeGreaterThan(budget.hostBytes);
    expect(counts.fit(9, 9)).toBeLessThanOrEqual(budget.hostBytes);
    portableWithin(counts, needs(net, 64).hostBytes + fitDataNeeds(net, 64, 0).hostBytes, budget);
    const spec = { ...SPEC, batchSize: 64 };
    const [model, twin] = [await Model.create(spec, { backend, budget }), await Model.create(spec, { backend, budget })];
    try {
      await model.train({ steps: 1, x: X, y: Y });
      await twin.train({ steps: 1, x: X, y: Y });
      const trained = model.train({ steps: 1, x, y });
      const queued = await settleField(model.fit({ epochs: 1 }));
      await trained;
      await twin.train({ steps: 1, x, y });
      expect(queued).toBe(await settleField(twin.fit({ epochs: 1 })));
      expect(queued).toBe('LIMIT x');
      expect(bits(await model.getParams())).toBe(bits(await twin.getParams()));
      expect([model.epochsTrained, model.optimizerState()]).toEqual([0, undefined]);
    } finally {
      model.dispose();
      twin.dispose();
    }
  });
});

describe.each(KINDS)('a fit aborted mid-epoch (%s)', (backend) => {
  it("the next fit's first epoch reports the loss and accuracy of a fresh model of the same parameters", async () => {
    const model = await Model.create(SPEC, { backend });
    const options = { x: X, y: Y, batchSize: 2, batchesPerSubmission: 1, shuffle: false, optimizer: { name: 'sgd', lr: 0.5 } } as const;
    let calls = 0;
    const signal = { aborted: false, throwIfAborted() { if (++calls === 3) this.aborted = true; if (this.aborted) throw new Error('stopped'); } };
    // Two of the epoch's five batches run, then the stop: their loss and correct count were summed.
    await expect(model.fit({ ...options, epochs: 1, signal })).rejects.toThrow('stopped');
    expect(model.epochsTrained).toBe(0);
    const { init: _, ...net } = SPEC;
    const twin = await Model.create({ ...net, params: await model.getParamsSpec() }, { backend });
    try {
      const [a] = await model.fit({ ...options, epochs: 1 });
      const [b] = await twin.fit({ ...options, epochs: 1 });
      expect(bits(await model.getParams())).toBe(bits(await twin.getParams()));
      expect([a.loss, a.accuracy]).toEqual([b.loss, b.accuracy]);
    } finally {
      model.dispose();
      twin.dispose();
    }
  });
});
