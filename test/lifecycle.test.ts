/**
 * The model's life cycle on cpu and wasm (Node), each checked against a twin model that never met the case:
 * - a batch too large for the wasm memory: LimitError naming x before anything changes; the model then trains,
 *   grads and reads its parameters on its old batch exactly as the twin does (bitwise, same backend);
 * - onEpoch may await getParams, save, predict and evaluate: the fit completes, each checkpoint is the bytes the
 *   twin saves after the same number of epochs of separate fit calls, predict / evaluate there are the twin's, and
 *   the fit ends where the twin's does; train, step, grad, fit, setParams, restore and rebuild there reject with
 *   BusyError (they would wait for this fit), before their data is read (bad data too), as a disposed model's
 *   DisposedError comes before it;
 * - a fit aborted mid-epoch: the next fit's first epoch reports the loss and accuracy of the twin (a fresh model of
 *   the aborted one's parameters), not sums left over from the abort;
 * - calls queued before dispose() (or after rebuild()) reject with DisposedError when their turn comes, on an owned
 *   and on a shared backend alike, and the backend is asked for nothing more (no net, no trainer);
 * - a shared backend disposed before create, load or rebuild is refused there with DisposedError (rebuild: also when
 *   disposed while it waited its turn, the model going on as it was), and a model made on it before gets
 *   DisposedError from every call that runs (cpu as wasm; its fit trainer too), a failed restore or setParams leaving
 *   its lastKnownParams as they were; a fake shared backend is a SpecError.
 * - calls made without awaiting the ones before them end where a twin awaiting each ends (test/lib/queue-checks.ts,
 *   also run on Dawn by test/dawn/run.ts): data copied and checked when the call is made, a queued fit's defaults
 *   taken, and checked, when it runs (a fit valid after a restore runs behind it, the budget of the restored batchSize
 *   included; a fit without x, y trains on the batch of a train queued ahead, checked against it then, the budget
 *   included), a fit stopped before its first step or a failed train/step/grad changing nothing.
 * - two batch sizes that alternate (3 examples, then 1, a setParams between) swap a spare step net instead of
 *   compiling: the backend compiles twice, and the parameters are bitwise a twin's made afresh for every call; with a
 *   budget that holds one net but not both no spare is kept, and a net that cannot be made beside the spare
 *   (LimitError) is made alone — the same parameters either way, no net left after dispose; a new net that fails
 *   otherwise beside the old one (its compile or its first parameter write) leaves the old net in use: no compile
 *   more when the old size comes back.
 * Twins run the same operations on the same backend, so the comparisons are bitwise (no tolerance needed).
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../src/backend.ts';
import { createBackend } from '../src/backends.ts';
import { fitDataNeeds, needs } from '../src/budget.ts';
import { BackpropError, LimitError } from '../src/errors.ts';
import { Model } from '../src/model.ts';
import { type NetworkSpec, type Params, validateNet } from '../src/spec.ts';
import { QUEUE_CHECKS } from './lib/queue-checks.ts';

const KINDS = ['cpu', 'wasm'] as const;

const bits = (p: Params): string => JSON.stringify([...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))));
const codeOf = (err: unknown): string | undefined => (err instanceof BackpropError ? err.code : undefined);
const settle = (p: Promise<unknown>): Promise<string> => p.then(() => 'resolved', (err: unknown) => codeOf(err) ?? String(err));
const settleField = (p: Promise<unknown>): Promise<string> => p.then(() => 'resolved', (err: unknown) => `${codeOf(err) ?? String(err)} ${(err as BackpropError).field}`);

const SPEC: NetworkSpec = {
  inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'xavier', seed: 3 }, lr: 0.5,
};
const X = [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, -1], [-0.5, 1], [1, -0.25], [-1, -1], [0.25, 0.75]];
const Y = X.map(([a, b]) => ((a > 0.5) !== (b > 0.5) ? [0, 1] : [1, 0]));

describe('a batch too large for the wasm memory', () => {
  it('LimitError naming x, before anything changes: the model then trains, grads and reads its parameters on its old batch as a twin does', async () => {
    const spec = { inputs: 1, layers: [{ units: 4096, activation: 'identity' }, { units: 1, activation: 'identity' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 }, lr: 1e-3 } as const;
    const small = { x: [[0.1], [0.2], [0.3], [0.4]], y: [[0], [1], [1], [0]] };
    // A host budget past the batch's bytes, so the 2 GiB wasm memory is the limit met (4096 units × 50 000 examples × 4 B × 3 arrays).
    const options = { backend: 'wasm', budget: { hostBytes: 16 * 2 ** 30 } } as const;
    const model = await Model.create({ ...spec, ...small }, options);
    const twin = await Model.create({ ...spec, ...small }, options);
    try {
      await model.train({ steps: 1 });
      await twin.train({ steps: 1 });
      const n = 50_000;
      const big = { examples: n, data: new Float32Array(n) };
      const err = await model.train({ steps: 1, x: big, y: big }).catch((e: unknown) => e);
      expect(codeOf(err)).toBe('LIMIT');
      expect((err as BackpropError).field).toBe('x');
      expect((err as Error).message).toMatch(/50000 examples/);
      const [a, b] = [await model.train({ steps: 2 }), await twin.train({ steps: 2 })];
      expect(a.loss).toBe(b.loss);
      const [ga, gb] = [await model.grad(), await twin.grad()];
      expect(ga.loss).toBe(gb.loss);
      expect(bits({ W: ga.dW, b: ga.db })).toBe(bits({ W: gb.dW, b: gb.db }));
      expect(bits(await model.getParams())).toBe(bits(await twin.getParams()));
    } finally {
      model.dispose();
      twin.dispose();
    }
  });
});

describe('batch sizes that alternate on wasm (a partial last batch)', () => {
  // The wasm backend places nets like a stack: a net made while the old one still lived would sit above it, and
  // each change of size would climb (1-1024-1 at 999/1000 examples reached the 2 GiB limit in ~100 calls).
  // A 1-1024-1 net on a wasm backend of its own; `memory()`: the bytes of that backend's memory.
  const wide = async () => {
    const { backend } = await createBackend('wasm');
    const model = await Model.create({ inputs: 1, layers: [{ units: 1024, activation: 'tanh' }, { units: 1, activation: 'identity' }], loss: 'mse', init: { scheme: 'xavier', seed: 2 }, lr: 1e-3 }, { shared: backend });
    const memory = () => (backend as unknown as { memory: WebAssembly.Memory }).memory.buffer.byteLength;
    return { backend, model, memory };
  };
  const batch = (n: number) => ({ x: { examples: n, data: new Float32Array(n).fill(0.5) }, y: { examples: n, data: new Float32Array(n) } });

  it('the wasm memory stays where the first two sizes put it over 60 changes of size', async () => {
    const { backend, model, memory } = await wide();
    try {
      await model.train({ steps: 1, ...batch(999) });
      await model.train({ steps: 1, ...batch(1000) });
      const settled = memory();
      for (let k = 0; k < 60; k++) await model.train({ steps: 1, ...batch(k % 2 === 0 ? 999 : 1000) });
      expect(memory()).toBe(settled);
    } finally {
      model.dispose();
      backend.dispose();
    }
  });

  // Three sizes in turn: each matches neither kept net, so both go before the new one is made (a net is made
  // only while at most one lives): the memory stays within the first rounds' reach (a spare left undisposed climbs).
  it('three sizes in turn: the wasm memory stays where the first rounds put it', async () => {
    const { backend, model, memory } = await wide();
    const sizes = [998, 999, 1000];
    try {
      for (let k = 0; k < 6; k++) await model.train({ steps: 1, ...batch(sizes[k % 3]) });
      const settled = memory();
      for (let k = 6; k < 45; k++) await model.train({ steps: 1, ...batch(sizes[k % 3]) });
      expect(memory()).toBe(settled);
    } finally {
      model.dispose();
      backend.dispose();
    }
  });

  // The step net and fit's trainer change size in turn: each is freed below the other's newest placement, so only
  // placing into the lowest gap that holds it (first fit) keeps the memory from climbing a step net per round.
  it('with a fit trainer changing batch size in between: the memory stays where the first rounds put it', async () => {
    const { backend, model, memory } = await wide();
    const round = async (k: number) => {
      await model.train({ steps: 1, ...batch(k % 2 === 0 ? 999 : 1000) });
      await model.fit({ ...batch(64), batchSize: k % 2 === 0 ? 16 : 32, epochs: 1 });
    };
    try {
      for (let k = 0; k < 4; k++) await round(k);
      const settled = memory();
      for (let k = 4; k < 40; k++) await round(k);
      expect(memory()).toBe(settled);
    } finally {
      model.dispose();
      backend.dispose();
    }
  });

  // dispose() frees everything the model placed on a shared backend, fit's trainer (its net, data, order and
  // optimiser slots) included: a model made, fitted and disposed 12 times over leaves the memory where the first did
  // (a trainer left placed puts the next model's nets above it: ~1.5 MB more a round at batches of 64 × 1024 units).
  it('models made, fitted and disposed in turn on one shared backend: the memory stays where the first put it', async () => {
    const { backend } = await createBackend('wasm');
    const memory = () => (backend as unknown as { memory: WebAssembly.Memory }).memory.buffer.byteLength;
    const spec = { inputs: 1, layers: [{ units: 1024, activation: 'tanh' }, { units: 1, activation: 'identity' }], loss: 'mse', init: { scheme: 'xavier', seed: 2 }, lr: 1e-3 } as const;
    const round = async () => {
      const model = await Model.create(spec, { shared: backend });
      try {
        await model.fit({ ...batch(1000), batchSize: 64, epochs: 1, optimizer: 'adam' });
      } finally {
        model.dispose();
      }
    };
    try {
      await round();
      const settled = memory();
      for (let k = 0; k < 12; k++) await round();
      expect(memory()).toBe(settled);
    } finally {
      backend.dispose();
    }
  });
});

describe.each(KINDS)('two batch sizes that alternate (%s): a spare step net', (kind) => {
  it('train on 3 examples, then 1, 20 times (a setParams between): bitwise the params of a twin made afresh per call, two compiles', async () => {
    const counted = counting((await createBackend(kind)).backend);
    const model = await Model.create(SPEC, { shared: counted.backend });
    const rows = (k: number, n: number) => {
      const at = (k * 2) % (X.length - n + 1);
      return { x: X.slice(at, at + n), y: Y.slice(at, at + n) };
    };
    try {
      let p = await model.getParams();
      for (let k = 0; k < 40; k++) {
        const data = rows(k, k % 2 === 0 ? 3 : 1);
        if (k === 21) {
          // New parameters while the other size's net is the spare: it must take these, not its own stale ones.
          p = { W: p.W.map((w) => w.map((v) => v * 0.5)), b: p.b.map((b) => b.map((v) => v - 0.25)) };
          await model.setParams(p);
        }
        await model.train({ steps: 1, ...data });
        const twin = await Model.create(SPEC, { backend: kind });
        await twin.setParams(p);
        await twin.train({ steps: 1, ...data });
        p = await twin.getParams();
        twin.dispose();
        if (k % 5 === 4) expect(bits(await model.getParams())).toBe(bits(p));
      }
      expect(bits(await model.getParams())).toBe(bits(p));
      expect(counted.made()).toBe(2);
    } finally {
      model.dispose();
      counted.backend.dispose();
    }
  });

  // The twin: the same calls on a plain backend of this kind (one net per size, kept or not, computes the same).
  const twinRun = async (sizes: number[]): Promise<string> => {
    const twin = await Model.create(SPEC, { backend: kind });
    try {
      for (const [k, n] of sizes.entries()) await twin.train({ steps: 1, x: X.slice(k % 2, k % 2 + n), y: Y.slice(k % 2, k % 2 + n) });
      return bits(await twin.getParams());
    } finally {
      twin.dispose();
    }
  };
  const sizes = Array.from({ length: 12 }, (_, k) => (k % 2 === 0 ? 3 : 1));

  it('a budget that holds one net but not both: no spare is kept (a compile per change of size), the same parameters', async () => {
    const net = validateNet(SPEC);
    const hostBytes = needs(net, 3).hostBytes + needs(net, 1).hostBytes - 1;
    const counted = counting((await createBackend(kind)).backend);
    const model = await Model.create(SPEC, { shared: counted.backend, budget: { hostBytes } });
    try {
      for (const [k, n] of sizes.entries()) await model.train({ steps: 1, x: X.slice(k % 2, k % 2 + n), y: Y.slice(k % 2, k % 2 + n) });
      expect(counted.made()).toBe(sizes.length);
      expect(bits(await model.getParams())).toBe(await twinRun(sizes));
    } finally {
      model.dispose();
      counted.backend.dispose();
    }
  });

  it('fit\'s trainer is made with the spare step net gone (it may need that memory): one step net live, the same parameters', async () => {
    const { backend } = await createBackend(kind);
    let live = 0;
    let liveAtTrainer = -1;
    const compile = backend.compile.bind(backend);
    backend.compile = (...args) => {
      const made = compile(...args);
      const dispose = made.dispose.bind(made);
      live++;
      made.dispose = () => (live--, dispose());
      return made;
    };
    const trainer = backend.trainer.bind(backend);
    backend.trainer = (...args) => ((liveAtTrainer = live), trainer(...args));
    const model = await Model.create(SPEC, { shared: backend });
    const twin = await Model.create(SPEC, { backend: kind });
    try {
      for (const m of [model, twin]) {
        for (const [k, n] of sizes.slice(0, 4).entries()) await m.train({ steps: 1, x: X.slice(k % 2, k % 2 + n), y: Y.slice(k % 2, k % 2 + n) });
        await m.fit({ x: X.slice(0, 4), y: Y.slice(0, 4), batchSize: 2, epochs: 2, shuffle: false });
      }
      expect(liveAtTrainer).toBe(1);
      expect(bits(await model.getParams())).toBe(bits(await twin.getParams()));
    } finally {
      model.dispose();
      twin.dispose();
      backend.dispose();
    }
  });

  it('a net that cannot be made beside the spare (LimitError) is made alone: the same parameters, no net left over', async () => {
    const { backend } = await createBackend(kind);
    let live = 0;
    let attempts = 0;
    const compile = backend.compile.bind(backend);
    // A memory that holds one net only: a second, while one lives, is refused as the wasm memory refuses one.
    backend.compile = (...args) => {
      attempts++;
      if (live > 0) throw new LimitError('x', 'no room beside the live net (test)');
      const made = compile(...args);
      const dispose = made.dispose.bind(made);
      live++;
      made.dispose = () => (live--, dispose());
      return made;
    };
    const model = await Model.create(SPEC, { shared: backend });
    try {
      for (const [k, n] of sizes.entries()) await model.train({ steps: 1, x: X.slice(k % 2, k % 2 + n), y: Y.slice(k % 2, k % 2 + n) });
      expect(attempts).toBe(2 * sizes.length - 1);
      expect(live).toBe(1);
      expect(bits(await model.getParams())).toBe(await twinRun(sizes));
      model.dispose();
      expect(live).toBe(0);
    } finally {
      model.dispose();
      backend.dispose();
    }
  });
  // The old net is kept beside the new one: a failure other than LimitError (the compile, or the new net's first
  // parameter write) must leave it the current net, not the spare of a model with none (which compiles once more).
  it.each(['compile', 'writeParams'])('a new size whose %s fails once beside the kept net: the model as before (the old net current, no compile more), the same parameters', async (fails) => {
    const { backend } = await createBackend(kind);
    let live = 0;
    let compiles = 0;
    const compile = backend.compile.bind(backend);
    backend.compile = (...args) => {
      if (++compiles === 2 && fails === 'compile') throw new Error('compile failed (test)');
      const made = compile(...args);
      const [dispose, write] = [made.dispose.bind(made), made.writeParams.bind(made)];
      live++;
      made.dispose = () => (live--, dispose());
      made.writeParams = compiles === 2 ? () => { made.writeParams = write; throw new Error('write failed (test)'); } : write;
      return made;
    };
    const model = await Model.create(SPEC, { shared: backend });
    try {
      await model.train({ steps: 1, x: X.slice(0, 3), y: Y.slice(0, 3) });
      await expect(model.train({ steps: 1, x: X.slice(1, 2), y: Y.slice(1, 2) })).rejects.toThrow(/failed \(test\)/);
      expect([compiles, live]).toEqual([2, 1]);
      // The old size runs on the old net; then the sizes alternate as if the failed call had not been made.
      for (const [k, n] of sizes.entries()) await model.train({ steps: 1, x: X.slice(k % 2, k % 2 + n), y: Y.slice(k % 2, k % 2 + n) });
      expect([compiles, live]).toEqual([3, 2]);
      const twin = await Model.create(SPEC, { backend: kind });
      try {
        await twin.train({ steps: 1, x: X.slice(0, 3), y: Y.slice(0, 3) });
        for (const [k, n] of sizes.entries()) await twin.train({ steps: 1, x: X.slice(k % 2, k % 2 + n), y: Y.slice(k % 2, k % 2 + n) });
        expect(bits(await model.getParams())).toBe(bits(await twin.getParams()));
      } finally {
        twin.dispose();
      }
    } finally {
      model.dispose();
      backend.dispose();
    }
  });
});

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

  it('train, step, grad, fit, setParams, restore, rebuild inside onEpoch reject with BusyError (before their data is read: bad data too); the fit goes on unchanged', async () => {
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
          ].map(settle));
        },
      });
      expect(outcomes).toEqual(Array(14).fill('BUSY'));
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

  /** 64 examples, a checkpoint of SPEC with `batchSize`, and a host budget with room for them in batches of 32, not of 64. */
  const budgetCase = async (batchSize: number) => {
    const x = Array.from({ length: 64 }, (_, i) => [Math.sin(i), Math.cos(i)]);
    const y = x.map(([a]) => (a > 0 ? [1, 0] : [0, 1]));
    const source = await Model.create({ ...SPEC, batchSize }, { backend });
    const ck = await source.save();
    source.dispose();
    const net = validateNet(SPEC);
    const budget = { hostBytes: needs(net, 32).hostBytes + fitDataNeeds(net, 64, 0).hostBytes };
    expect(needs(net, 64).hostBytes + fitDataNeeds(net, 64, 0).hostBytes).toBeGreaterThan(budget.hostBytes);
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
    const net = validateNet(SPEC);
    const x = Array.from({ length: 64 }, (_, i) => [Math.sin(i), Math.cos(i)]);
    const y = x.map(([a]) => (a > 0 ? [1, 0] : [0, 1]));
    // Room for train's step net of 64, not for fit's 64 examples beside its batches of 64 (the spec's batchSize); the
    // 9 examples of the batch before, in batches of 9, fit.
    const budget = { hostBytes: needs(net, 64).hostBytes };
    expect(needs(net, 64).hostBytes + fitDataNeeds(net, 64, 0).hostBytes).toBeGreaterThan(budget.hostBytes);
    expect(needs(net, 9).hostBytes + fitDataNeeds(net, 9, 0).hostBytes).toBeLessThanOrEqual(budget.hostBytes);
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

/** A backend whose compile and trainer calls are counted (what a model asks it to allocate). */
function counting(backend: Backend): { backend: Backend; made: () => number } {
  let made = 0;
  const compile = backend.compile.bind(backend);
  const trainer = backend.trainer.bind(backend);
  backend.compile = (...args) => (made++, compile(...args));
  backend.trainer = (...args) => (made++, trainer(...args));
  return { backend, made: () => made };
}

describe.each(KINDS)('calls queued before dispose() or rebuild() (%s)', (kind) => {
  const spec = { ...SPEC, x: X, y: Y };
  const queue = (m: Model): Promise<string>[] =>
    [m.fit({ epochs: 1, batchSize: 4 }), m.train({ steps: 1 }), m.predict(X), m.evaluate(X, Y), m.save(), m.getParams(), m.grad(), m.setParams({ W: [[[1, 0], [0, 1], [1, 1]], [[1, 0, 0], [0, 1, 0]]], b: [[0, 0, 0], [0, 0]] })].map(settle);

  it.each([false, true])('shared backend %s: every call not started rejects with DisposedError; nothing is made after dispose', async (shared) => {
    const owned = shared ? undefined : await Model.create(spec, { backend: kind });
    const sharedBackend = shared ? counting((await createBackend(kind)).backend) : undefined;
    const model = owned ?? await Model.create(spec, { shared: sharedBackend!.backend });
    const { made } = sharedBackend ?? counting(model.backend);
    try {
      await model.getParams(); // a call that finished: the rest are queued behind the first below
      const outcomes = queue(model);
      model.dispose();
      const count = made();
      expect(await Promise.all(outcomes)).toEqual(Array(8).fill('DISPOSED'));
      expect(made()).toBe(count);
    } finally {
      model.dispose();
      sharedBackend?.backend.dispose();
    }
  });

  it('a disposed model refuses train, step, grad, fit, setParams, restore, rebuild with DisposedError before reading their data', async () => {
    const model = await Model.create(spec, { backend: kind });
    model.dispose();
    const nan = [[NaN, 0]];
    const calls = [
      model.train({ steps: 1, x: nan, y: [[1, 0]] }), model.step(0.1, nan, [[1, 0]]), model.grad(nan, [[1, 0]]), model.fit({ x: nan, y: [[1, 0]] }),
      model.setParams({ W: [], b: [] }), model.restore(new Uint8Array(4)), model.rebuild({ backend: 'none' as never }),
    ];
    expect(await Promise.all(calls.map(settle))).toEqual(Array(calls.length).fill('DISPOSED'));
  });

  it('a call in flight when dispose() runs (it is reading parameters back) makes no net or trainer after it', async () => {
    for (const call of ['predict', 'train on a batch of another size'] as const) {
      const { backend, made } = counting((await createBackend(kind)).backend);
      const model = await Model.create(spec, { shared: backend });
      try {
        await model.train({ steps: 1 }); // a step net, with steps not read back: the next call reads them first
        // dispose() lands while the step net's read is pending.
        const readsThenDisposes = (net: ReturnType<Backend['compile']>): void => {
          const read = net.read.bind(net);
          net.read = (r) => read(r).finally(() => model.dispose());
        };
        const count = made();
        readsThenDisposes((model as unknown as { nets: { current: ReturnType<Backend['compile']> } }).nets.current);
        const run = call === 'predict' ? model.predict(X) : model.train({ steps: 1, x: X.slice(0, 4), y: Y.slice(0, 4) });
        expect(await settle(run)).toBe('DISPOSED');
        expect(made()).toBe(count);
      } finally {
        model.dispose();
        backend.dispose();
      }
    }
  });

  it('rebuild: the calls before it finish first, those after it reject with DisposedError, the old backend makes nothing after', async () => {
    const { backend, made } = counting((await createBackend(kind)).backend);
    const model = await Model.create(spec, { shared: backend });
    let next: Model | undefined;
    try {
      const first = model.fit({ epochs: 1, batchSize: 4 });
      const rebuilt = model.rebuild({ backend: 'cpu' });
      const later = queue(model);
      const history = await first;
      next = await rebuilt;
      const count = made();
      expect(await Promise.all(later)).toEqual(Array(8).fill('DISPOSED'));
      expect(made()).toBe(count);
      // The new model holds the parameters the fit left (its CPU copy, read back after the fit).
      expect(history).toHaveLength(1);
      expect(bits(await next.getParams())).toBe(bits(model.lastKnownParams().params));
    } finally {
      next?.dispose();
      model.dispose();
      backend.dispose();
    }
  });
});

describe.each(KINDS)('a disposed shared backend (%s)', (kind) => {
  const spec = { ...SPEC, x: X, y: Y };

  it('create, load and rebuild refuse it with DisposedError before any work; a model already on it refuses every call that runs', async () => {
    const { backend } = await createBackend(kind);
    const model = await Model.create(spec, { shared: backend });
    const other = await Model.create(spec, { backend: 'cpu' });
    const bytes = await model.save();
    try {
      await model.train({ steps: 1 });
      backend.dispose();
      expect(backend.isDisposed).toBe(true);
      expect(await settle(Model.create(spec, { shared: backend }))).toBe('DISPOSED');
      expect(await settle(Model.load(bytes, { shared: backend }))).toBe('DISPOSED');
      // rebuild onto it: refused, and `other` goes on on its own backend
      expect(await settle(other.rebuild({ shared: backend }))).toBe('DISPOSED');
      expect(await settle(other.train({ steps: 1 }))).toBe('resolved');
      // the model made on it before: every call that runs on the backend rejects (none resolves on a disposed one)
      const calls = [model.grad(), model.train({ steps: 1 }), model.step(), model.fit({ epochs: 1, batchSize: 4 }), model.predict(X), model.evaluate(X, Y)];
      expect(await Promise.all(calls.map(settle))).toEqual(Array(calls.length).fill('DISPOSED'));
    } finally {
      model.dispose();
      other.dispose();
    }
  });

  it("a model that fitted on it: predict, evaluate and fit on its fit trainer reject; a failed restore or setParams leaves the model as it was", async () => {
    const { backend } = await createBackend(kind);
    const model = await Model.create(spec, { shared: backend });
    const source = await Model.create(spec, { backend: 'cpu' });
    try {
      await source.fit({ epochs: 3, batchSize: 4, optimizer: 'adam' });
      const ck = await source.save(); // other parameters, adam, 3 epochs
      await model.train({ steps: 1 }); // a step net: restore and setParams write to it
      await model.fit({ epochs: 1, batchSize: 4 }); // reads the step back; its trainer is kept for the calls below
      const before = bits(model.lastKnownParams().params);
      backend.dispose();
      // predict and evaluate first: they run on the fit trainer (a failed fit drops it), which must refuse itself.
      const calls = [model.predict(X), model.evaluate(X, Y), model.fit({ epochs: 1, batchSize: 4 }), model.restore(ck), model.setParams(await source.getParams())];
      expect(await Promise.all(calls.map(settle))).toEqual(Array(calls.length).fill('DISPOSED'));
      expect(bits(model.lastKnownParams().params)).toBe(before);
      expect([model.epochsTrained, model.optimizerState()?.name]).toEqual([1, 'sgd']);
    } finally {
      model.dispose();
      source.dispose();
    }
  });

  it('disposed while a rebuild onto it waits its turn: the rebuild rejects with DisposedError and the model goes on as it was', async () => {
    const model = await Model.create(spec, { backend: 'cpu' });
    const twin = await Model.create(spec, { backend: 'cpu' });
    const { backend } = await createBackend(kind);
    try {
      const ahead = model.train({ steps: 1 });
      const rebuilt = model.rebuild({ shared: backend }); // checked at the call: live then
      backend.dispose();
      await ahead;
      expect(await settle(rebuilt)).toBe('DISPOSED');
      await twin.train({ steps: 1 });
      expect((await model.train({ steps: 1 })).loss).toBe((await twin.train({ steps: 1 })).loss);
      expect(bits(await model.getParams())).toBe(bits(await twin.getParams()));
    } finally {
      model.dispose();
      twin.dispose();
    }
  });
});

describe('a shared backend that is not one', () => {
  const none = (): undefined => undefined;
  it.each<[string, unknown]>([
    ['{kind, compile} only', { kind: 'cpu', compile: none }],
    ['no dispose', { kind: 'cpu', compile: none, trainer: none }],
    ['isDisposed not a boolean', { kind: 'cpu', compile: none, trainer: none, dispose: none, isDisposed: 'no' }],
  ])('%s: SpecError naming shared at create, not a TypeError later', async (_what, fake) => {
    const err = await Model.create({ ...SPEC, x: X, y: Y }, { shared: fake as Backend }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'SpecError', field: 'shared' });
  });
});
