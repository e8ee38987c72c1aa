/**
 * The model's life cycle on cpu and wasm (Node): dispose, rebuild and shared backends.
 * - calls queued before dispose() (or after rebuild()) reject with DisposedError when their turn comes, on an owned
 *   and on a shared backend alike, and the backend is asked for nothing more (no net, no trainer);
 * - a shared backend disposed before create, load or rebuild is refused there with DisposedError (rebuild: also when
 *   disposed while it waited its turn, the model going on as it was), and a model made on it before gets
 *   DisposedError from every call that runs (cpu as wasm; its fit trainer too), a failed restore or setParams leaving
 *   its lastKnownParams as they were; a fake shared backend is a SpecError.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../src/backend.ts';
import { createBackend } from '../src/backends.ts';
import { Model } from '../src/model.ts';
import { KINDS, SPEC, X, Y, counting, settle } from './lib/lifecycle-net.ts';
import { bits } from './lib/fit-nets.ts';

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

  it('a disposed model refuses train, step, grad, fit, setParams, restore, rebuild with DisposedError before reading their data (or counting it)', async () => {
    const model = await Model.create(spec, { backend: kind });
    const bytes = await model.save();
    model.dispose();
    const nan = [[NaN, 0]];
    // One argument too many (arity42's SpecError naming `arguments`) is bad input as the NaN is: DisposedError first.
    const extra = (call: unknown, ...a: unknown[]): Promise<unknown> => (call as (...b: unknown[]) => Promise<unknown>).apply(model, a);
    const calls = [
      model.train({ steps: 1, x: nan, y: [[1, 0]] }), model.step(0.1, nan, [[1, 0]]), model.grad(nan, [[1, 0]]), model.fit({ x: nan, y: [[1, 0]] }),
      model.setParams({ W: [], b: [] }), model.restore(new Uint8Array(4)), model.rebuild({ backend: 'none' as never }),
      extra(model.train, { steps: 1 }, 5), extra(model.step, 0.1, X, Y, 'extra'), extra(model.grad, X, Y, {}), extra(model.fit, {}, { epochs: 5 }),
      extra(model.setParams, model.lastKnownParams().params, {}), extra(model.restore, bytes, {}), extra(model.rebuild, { backend: kind }, {}),
      extra(model.predict, X, {}), extra(model.evaluate, X, Y, {}), extra(model.getParams, {}), extra(model.getParamsSpec, 1), extra(model.save, 'x'),
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
