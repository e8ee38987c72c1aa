/**
 * Calls made without awaiting the ones before them, run the same way on cpu and wasm (test/lifecycle-queue.test.ts)
 * and on WebGPU in Node on Dawn (test/dawn/run.ts). Each check runs a model and a twin on the same backend: the twin makes
 * the same calls one at a time, awaiting each, with fresh data — so "calls run one at a time, in the order made"
 * (README §API) means the model ends bitwise where the twin does. Each check returns what went wrong, as strings
 * (none: passed). No vitest here. The model-and-twin pieces (pair, sameModel, Problems and the bit strings) are
 * test/lib/fit-failures.ts's too.
 */
import { BackpropError } from '../../src/errors.ts';
import type { Budget } from '../../src/budget.ts';
import { fitDataNeeds, needs, ownFitHostBytes, ownHostBytes } from '../../src/budget.ts';
import type { Model } from '../../src/model.ts';
import { validateNet, type NetworkSpec, type RowsSpec } from '../../src/spec.ts';
import { type EpochLog, epochOrder } from '../../src/train/fit.ts';
import type { OptimizerState } from '../../src/train/optimizers.ts';
import { bits } from './fit-nets.ts';

/** A model on the backend under test (a fresh one each call), with this budget when given. */
export type MakeModel = (spec: NetworkSpec, budget?: Partial<Budget>) => Promise<Model>;

/** An optimiser state's bits (its name, step count and slots), 'none' for no state. */
export const stateBits = (s: OptimizerState | undefined): string =>
  s === undefined ? 'none' : JSON.stringify({ name: s.name, t: s.t, slots: Object.entries(s.slots).map(([k, p]) => [k, bits(p)]) });
/** A fit's history: each epoch's losses, accuracies and max |θ|. */
export const lossBits = (h: EpochLog[]): string => JSON.stringify(h.map((e) => [e.epoch, e.loss, e.accuracy, e.valLoss, e.valAccuracy, e.maxAbsParam]));
export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
/** A typed error as its code and field ('SHAPE x[1]'); anything else 'untyped …'. */
export const codeOf = (err: unknown): string => (err instanceof BackpropError ? `${err.code} ${err.field ?? ''}`.trim() : `untyped ${String(err)}`);

/** The host bytes that decide whether a net of `spec` fits a budget, on make's backend: a step net of n examples, and fit's trainer (sgd) on nTrain examples at batches of batchSize. */
export interface HostCounts {
  step(n: number): number;
  fit(nTrain: number, batchSize: number): number;
  /** Whether the backend has a memory of its own (wasm): the counts are that memory's. */
  own: boolean;
}

/**
 * The host counts that decide on make's backend (one model of `spec` made to ask, then disposed): a backend with a
 * memory of its own (wasm) is held to that memory, in whole 64 KiB pages, and what stays beside it in JS (ownHostBytes,
 * ownFitHostBytes), which is over the portable count (needs, fitDataNeeds) the others are held to — a budget from the
 * portable count refuses any model there.
 */
export async function hostCounts(make: MakeModel, spec: NetworkSpec): Promise<HostCounts> {
  const probe = await make(spec);
  const own = probe.backend.ownMemory;
  probe.dispose();
  const net = validateNet(spec);
  if (!own) return { own: false, step: (n) => needs(net, n).hostBytes, fit: (nTrain, batchSize) => needs(net, batchSize).hostBytes + fitDataNeeds(net, nTrain, 0).hostBytes };
  return { own: true, step: (n) => ownHostBytes(net, n, own).hostBytes, fit: (nTrain, batchSize) => ownFitHostBytes(net, { nTrain, nVal: 0, slots: 0 }, batchSize, own) };
}

/** Collects what differs. */
export class Problems {
  readonly list: string[] = [];
  same(what: string, got: unknown, want: unknown): void {
    const [g, w] = [JSON.stringify(got), JSON.stringify(want)];
    if (g !== w) this.list.push(`${what}: got ${g.slice(0, 200)}, want ${w.slice(0, 200)}`);
  }
  check(what: string, ok: boolean): void {
    if (!ok) this.list.push(what);
  }
}

/** Runs `body` on a fresh model and twin of `spec` (a throw is a problem), then disposes both; what went wrong. */
export async function pair(make: MakeModel, spec: NetworkSpec, body: (model: Model, twin: Model, p: Problems) => Promise<void>): Promise<string[]> {
  const [model, twin] = [await make(spec), await make(spec)];
  const p = new Problems();
  try {
    await body(model, twin, p);
  } catch (err) {
    p.list.push(`threw ${codeOf(err)}`);
  } finally {
    model.dispose();
    twin.dispose();
  }
  return p.list;
}

/** y = 2x, one weight and bias: a step on x = 1, 2, 3, 4 in turn gives losses that tell the batches apart. */
const LINE: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[0]]], b: [[0]] }, lr: 0.1 };
const one = (v: number) => ({ examples: 1, data: Float32Array.of(v) });

/**
 * train, step and grad copy x and y when called: one buffer reused for four calls not awaited trains on each value
 * in turn, as fresh buffers awaited one by one do (a late read trained every call on the last value); data written
 * after the call returned changes nothing.
 */
export async function copiesAtCall(make: MakeModel): Promise<string[]> {
  return pair(make, LINE, async (model, twin, p) => {
    const xs = [1, 2, 3, 4];
    const xb = new Float32Array(1);
    const yb = new Float32Array(1);
    const reuse = (v: number) => {
      xb[0] = v;
      yb[0] = 2 * v;
      return { x: { examples: 1, data: xb }, y: { examples: 1, data: yb } };
    };
    const trains = xs.map((v) => model.train({ steps: 1, ...reuse(v) }));
    const steps = xs.map((v) => { const d = reuse(v); return model.step(0.05, d.x, d.y); });
    const grads = xs.map((v) => { const d = reuse(v); return model.grad(d.x, d.y); });
    const rows = [[5]];
    const late = model.train({ steps: 1, x: rows, y: [[10]] });
    rows[0][0] = NaN; // after the call: not what it trains on
    const got = { train: (await Promise.all(trains)).map((r) => r.loss), step: (await Promise.all(steps)).map((r) => r.loss), grad: (await Promise.all(grads)).map((r) => bits({ W: r.dW, b: r.db })) };
    const lateLoss = await late.then((r) => r.loss, codeOf);
    const want: typeof got = { train: [], step: [], grad: [] };
    for (const v of xs) want.train.push((await twin.train({ steps: 1, x: one(v), y: one(2 * v) })).loss);
    for (const v of xs) want.step.push((await twin.step(0.05, one(v), one(2 * v))).loss);
    for (const v of xs) { const g = await twin.grad(one(v), one(2 * v)); want.grad.push(bits({ W: g.dW, b: g.db })); }
    p.same('losses and gradients of calls on one reused buffer', got, want);
    p.same('train on rows set to NaN after the call', lateLoss, (await twin.train({ steps: 1, x: [[5]], y: [[10]] })).loss);
    p.same('parameters', bits(await model.getParams()), bits(await twin.getParams()));
  });
}

/**
 * Bad data for train, step or grad is refused when the call is made: it rejects (typed, naming the element) before a
 * fit queued ahead of it is done, and the model ends as the twin that never saw the bad calls. So is a fit whose
 * options fail whatever defaults it would take, on the 4 examples it is given: a batchSize over all of them, or over
 * the training side of the validation fraction it gives, and a fraction that leaves a side empty. (Without x, y the
 * data is the model's batch when the fit runs: fitTakesBatchAtTurn.)
 */
export async function refusedAtCall(make: MakeModel): Promise<string[]> {
  const spec: NetworkSpec = { ...LINE, x: [[1], [2], [3], [4]], y: [[2], [4], [6], [8]] };
  return pair(make, spec, async (model, twin, p) => {
    const order: string[] = [];
    const fit = model.fit({ epochs: 3, batchSize: 1, batchesPerSubmission: 1, shuffle: false }).then(() => order.push('fit'));
    const bad = [
      model.train({ steps: 1, x: [[NaN]], y: [[1]] }),
      model.step(0.1, [[1]], [[Infinity]]),
      model.grad({ examples: 1, data: [1] }, { examples: 2, data: [1, 2] }),
      model.fit({ x: spec.x, y: spec.y, batchSize: 5 }),
      model.fit({ x: spec.x, y: spec.y, batchSize: 4, validation: 0.2 }),
      model.fit({ x: spec.x, y: spec.y, validation: 0.1 }),
    ].map((call, i) => call.then(() => 'resolved', codeOf).then((code) => { order.push(`bad ${i}`); return code; }));
    const codes = await Promise.all(bad);
    await fit;
    p.same('errors', codes, ['NON_FINITE x[0][0]', 'NON_FINITE y[0][0]', 'SHAPE y', 'SPEC batchSize', 'SPEC batchSize', 'SPEC validation']);
    p.same('order: each bad call rejects before the fit queued ahead of it is done', order, ['bad 0', 'bad 1', 'bad 2', 'bad 3', 'bad 4', 'bad 5', 'fit']);
    await twin.fit({ epochs: 3, batchSize: 1, batchesPerSubmission: 1, shuffle: false });
    p.same('parameters', bits(await model.getParams()), bits(await twin.getParams()));
  });
}

const XOR: RowsSpec = {
  inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 }, lr: 0.1,
  x: [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.25], [0.25, 1]], y: [[0], [1], [1], [0], [1], [1]],
};

/** The model is bitwise the twin: optimiser state, epochs, parameters (read back) and the checkpoint, byte for byte. */
export async function sameModel(p: Problems, what: string, model: Model, twin: Model): Promise<void> {
  p.same(`${what}: optimiser state`, stateBits(model.optimizerState()), stateBits(twin.optimizerState()));
  p.same(`${what}: epochs`, model.epochsTrained, twin.epochsTrained);
  p.same(`${what}: parameters`, bits(await model.getParams()), bits(await twin.getParams()));
  p.check(`${what}: checkpoints differ`, sameBytes(await model.save(), await twin.save()));
}

/**
 * A fit without optimizer queued behind a fit with adam, or behind a restore (of a checkpoint with momentum and run
 * fields batchSize 2, epochs 2, validation 1/3), goes on from it as when the caller awaits it: the defaults are
 * resolved when the fit runs.
 */
export async function queuedFitDefaults(make: MakeModel): Promise<string[]> {
  const behindFit = await pair(make, XOR, async (model, twin, p) => {
    const adam = { epochs: 1, batchSize: 2, optimizer: { name: 'adam', lr: 0.01 } } as const;
    const first = model.fit(adam);
    const second = model.fit({ epochs: 1, batchSize: 2 });
    const h = await Promise.all([first, second]);
    const w = [await twin.fit(adam), await twin.fit({ epochs: 1, batchSize: 2 })];
    p.same('histories', h.map(lossBits), w.map(lossBits));
    p.same('optimiser', model.optimizerState()?.name, 'adam');
    await sameModel(p, 'behind a fit', model, twin);
  });
  const source = await make({ ...XOR, batchSize: 2, epochs: 2, validation: 1 / 3 });
  let ck: Uint8Array;
  try {
    await source.fit({ optimizer: { name: 'momentum', lr: 0.05 } });
    ck = await source.save();
  } finally {
    source.dispose();
  }
  // The model holds out 1/2 when fit is called and the restore makes it 1/3: the fit takes the restored fraction (a
  // validation default filled when fit is called would hold out 3 of 6, not 2).
  const behindRestore = await pair(make, { ...XOR, validation: 1 / 2 }, async (model, twin, p) => {
    const restored = model.restore(ck);
    const h = await model.fit();
    await restored;
    await twin.restore(ck);
    const w = await twin.fit();
    p.same('history (the checkpoint\'s 2 epochs, batches of 2, 1/3 held out)', lossBits(h), lossBits(w));
    p.same('history has the checkpoint\'s epochs and validation', [h.length, h.every((e) => e.valLoss !== undefined)], [2, true]);
    p.same('optimiser', model.optimizerState()?.name, 'momentum');
    await sameModel(p, 'behind a restore', model, twin);
  });
  return [...behindFit, ...behindRestore];
}

/**
 * A fit queued behind a restore is checked against the defaults that restore leaves, not those of the call — in the
 * direction where the call's would refuse it: the model holds out 1/2 of 6 examples (3 to train on) and the
 * checkpoint none, so fit({batchSize: 4}) runs, as when the restore is awaited. And a restore that changes the run
 * fields alone (epochs 3, no optimiser, into a model that never fitted) gives the queued fit() its 3 epochs.
 */
export async function queuedFitRestoredRun(make: MakeModel): Promise<string[]> {
  const source = await make({ ...XOR, epochs: 3 });
  let ck: Uint8Array;
  try {
    ck = await source.save(); // never fitted: run fields (epochs 3, no validation), no optimiser
  } finally {
    source.dispose();
  }
  return pair(make, { ...XOR, validation: 1 / 2 }, async (model, twin, p) => {
    const restored = model.restore(ck);
    const wide = model.fit({ batchSize: 4 }).then(lossBits, codeOf);
    const plain = model.fit({ shuffle: false }).then(lossBits, codeOf);
    await restored;
    await twin.restore(ck);
    const want = [lossBits(await twin.fit({ batchSize: 4 })), lossBits(await twin.fit({ shuffle: false }))];
    p.same('fit({batchSize: 4}), then fit(), behind the restore', [await wide, await plain], want);
    p.same('epochs run (the checkpoint\'s 3, twice)', model.epochsTrained, 6);
    await sameModel(p, 'behind a restore of run fields alone', model, twin);
  });
}

/**
 * A fit with another optimiser stopped before its first step (aborted while it waits its turn, or by a signal that
 * stops at its first check) leaves the optimiser, its state, the epochs and the parameters as they were: the next fit
 * without optimizer goes on with adam, as the twin (which never made the stopped call) does.
 */
export async function stopBeforeFirstStep(make: MakeModel): Promise<string[]> {
  return pair(make, XOR, async (model, twin, p) => {
    const adam = { epochs: 2, batchSize: 2, optimizer: { name: 'adam', lr: 0.01 } } as const;
    await model.fit(adam);
    await twin.fit(adam);
    const before = await model.save();
    const ac = new AbortController();
    const ahead = model.getParams();
    const stopped = model.fit({ epochs: 1, batchSize: 2, optimizer: 'sgd', signal: ac.signal });
    ac.abort();
    await ahead;
    p.same('queued fit aborted', await stopped.then(() => 'resolved', (e: unknown) => (e as Error).name), 'AbortError');
    const firstCheck = { aborted: false, throwIfAborted() { this.aborted = true; throw new Error('stop'); } };
    p.same('fit stopped at its first check', await model.fit({ epochs: 1, batchSize: 3, optimizer: { name: 'momentum', lr: 0.1 }, signal: firstCheck }).then(() => 'resolved', (e: unknown) => (e as Error).message), 'stop');
    p.check('checkpoint after the stopped fits differs from the one before', sameBytes(await model.save(), before));
    await sameModel(p, 'after the stopped fits', model, twin);
    const [h, w] = [await model.fit({ epochs: 1, batchSize: 2 }), await twin.fit({ epochs: 1, batchSize: 2 })];
    p.same('next fit', lossBits(h), lossBits(w));
    p.same('next fit optimiser', model.optimizerState()?.name, 'adam');
    await sameModel(p, 'after the next fit', model, twin);
  });
}

/**
 * train, step or grad with new x, y that fails (DivergedError) leaves the model's batch as it was: grad() and a
 * fit without x, y afterwards run on the spec's 2 examples, as on the twin that never made the failed calls.
 */
export async function failedCallKeepsBatch(make: MakeModel): Promise<string[]> {
  const spec: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[1]]], b: [[0]] }, lr: 0.1, x: [[1], [2]], y: [[1], [2]] };
  return pair(make, spec, async (model, twin, p) => {
    const three = { x: [[1e3], [2e3], [3e3]], y: [[1], [1], [1]] };
    const huge = { x: [[1e30], [2e30], [3e30]], y: [[1], [1], [1]] }; // loss (1e30)² overflows float32
    const codes = await Promise.all([
      model.train({ steps: 100, lr: 1e37, ...three }),
      model.step(1e37, three.x, three.y),
      model.grad(huge.x, huge.y),
    ].map((c) => c.then(() => 'resolved', codeOf)));
    p.same('the failed calls', codes, ['DIVERGED', 'DIVERGED', 'DIVERGED']);
    const [g, gt] = [await model.grad(), await twin.grad()];
    p.same('grad() afterwards: examples', g.A[0].length, 2);
    p.same('grad() afterwards', [g.loss, bits({ W: g.dW, b: g.db })], [gt.loss, bits({ W: gt.dW, b: gt.db })]);
    const [h, w] = [await model.fit({ epochs: 1, batchSize: 2, shuffle: false }), await twin.fit({ epochs: 1, batchSize: 2, shuffle: false })];
    p.same('fit() on the default batch afterwards', lossBits(h), lossBits(w));
    p.same('parameters', bits(await model.getParams()), bits(await twin.getParams()));
  });
}

/**
 * A fit without x, y trains on the model's batch as it is when the fit runs: behind a train on 3 new examples, not
 * awaited, on those (a fit that took the batch at the call trained on the spec's 4); behind a train that fails after
 * it, on the batch before that one; with no batch at the call, on the one a train ahead gives. What depends on that
 * data is checked then, as for an awaited train: batchSize 4 over its 3 examples, a fraction 0.15 that holds out none
 * of them (SpecError, the model unchanged), and batchSize 5 over the spec's 4 examples but within the train's 6 (runs).
 */
export async function fitTakesBatchAtTurn(make: MakeModel): Promise<string[]> {
  const spec: NetworkSpec = { ...LINE, x: [[1], [2], [3], [4]], y: [[2], [4], [6], [8]] };
  const three = { steps: 1, x: [[0.5], [-1], [1.5]], y: [[1], [-2], [3]] };
  const six = { steps: 1, x: [[0.5], [-1], [1.5], [2.5], [-0.5], [1]], y: [[1], [-2], [3], [5], [-1], [2]] };
  const diverges = { steps: 100, lr: 1e37, x: [[1e3], [2e3]], y: [[1], [1]] };
  const opts = { epochs: 2, batchSize: 2, shuffle: false } as const;
  const settled = (call: Promise<EpochLog[] | unknown>): Promise<string> => call.then((h) => (Array.isArray(h) ? lossBits(h) : 'resolved'), codeOf);
  const compare = async (p: Problems, what: string, model: Model, twin: Model, got: string[], want: string[]): Promise<void> => {
    p.same(what, got, want);
    await sameModel(p, what, model, twin);
    const [g, gt] = [await model.grad(), await twin.grad()];
    p.same(`${what}: the batch afterwards`, [g.A[0].length, bits({ W: g.dW, b: g.db })], [gt.A[0].length, bits({ W: gt.dW, b: gt.db })]);
  };
  const behindTrain = await pair(make, spec, async (model, twin, p) => {
    const got = await Promise.all([model.train(three), model.fit(opts), model.train(diverges), model.fit(opts)].map(settled));
    const want: string[] = [];
    for (const call of [() => twin.train(three), () => twin.fit(opts), () => twin.train(diverges), () => twin.fit(opts)]) want.push(await settled(call()));
    p.same('the failed train', got[2], 'DIVERGED');
    await compare(p, 'fit() behind a train, then behind a failed train', model, twin, got, want);
  });
  const noBatch = await pair(make, LINE, async (model, twin, p) => {
    const got = await Promise.all([model.train(three), model.fit(opts)].map(settled));
    const want = [await settled(twin.train(three)), await settled(twin.fit(opts))];
    await compare(p, 'fit() with no batch at the call, behind a train', model, twin, got, want);
  });
  const checkedAtTurn = await pair(make, spec, async (model, twin, p) => {
    const calls = [() => model.train(three), () => model.fit({ batchSize: 4 }), () => model.fit({ validation: 0.15 }), () => model.train(six), () => model.fit({ epochs: 1, batchSize: 5 })];
    const got = await Promise.all(calls.map((c) => settled(c())));
    const want: string[] = [];
    for (const call of [() => twin.train(three), () => twin.fit({ batchSize: 4 }), () => twin.fit({ validation: 0.15 }), () => twin.train(six), () => twin.fit({ epochs: 1, batchSize: 5 })]) want.push(await settled(call()));
    p.same('refused at their turn', [got[1], got[2]], ['SPEC batchSize', 'SPEC validation']);
    await compare(p, 'fits checked against the batch at their turn', model, twin, got, want);
  });
  return [...behindTrain, ...noBatch, ...checkedAtTurn];
}

/**
 * A fit queued behind a call that changes nothing (setParams with the model's own parameters) is refused with the
 * same typed error — code, field and message — as the same fit made with nothing ahead, and runs when that one runs:
 * for x omitted it is checked at its turn in the order a call with nothing ahead is checked at the call (the budget
 * in full, no data, the validation set given, batchSize and the fraction against the examples). The grid: a spec
 * without data, with 64 examples, and with 64 examples and the run fields batchSize 48, validation 0.25; the default
 * budget and a host budget that fits the 64 examples as one training set only (a step net of 64 in the count that
 * decides on the backend: hostCounts), under which some fits are refused (LimitError) and some run; fit options where
 * one check, two or none fail.
 */
export async function queuedFitErrorsAsAwaited(make: MakeModel): Promise<string[]> {
  const net: NetworkSpec = { inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'xavier', seed: 3 }, lr: 0.5 };
  const x = Array.from({ length: 64 }, (_, i) => [Math.sin(i), Math.cos(i)]);
  const y = x.map(([a]) => (a > 0 ? [1, 0] : [0, 1]));
  const specs: NetworkSpec[] = [net, { ...net, x, y }, { ...net, x, y, batchSize: 48, validation: 0.25 }];
  const tight = { hostBytes: (await hostCounts(make, net)).step(64) };
  const options = [{}, { batchSize: 65 }, { batchSize: 64 }, { validation: 0.001 }, { validation: 0.5, batchSize: 40 }, { validation: 0.001, batchSize: 65 }, { validation: { x: [[1, 2]], y: [[1, 0]] } }, { validation: { x: [[1]], y: [[1, 0]] } }];
  const outcome = (call: Promise<EpochLog[]>): Promise<string> =>
    call.then((h) => `ran ${lossBits(h)}`, (err: unknown) => (err instanceof BackpropError ? `${err.code} ${err.field ?? ''}: ${err.message}` : `untyped ${String(err)}`));
  const problems: string[] = [];
  const underTight = new Set<string>(); // 'ran', 'LIMIT', …: what the fits made alone did under the tight budget
  for (const [s, spec] of specs.entries()) {
    for (const budget of [undefined, tight]) {
      for (const o of options) {
        const [model, twin] = [await make(spec, budget), await make(spec, budget)];
        try {
          const params = await model.getParams();
          const ahead = model.setParams(params);
          const queued = await outcome(model.fit({ epochs: 1, ...o }));
          await ahead;
          const alone = await outcome(twin.fit({ epochs: 1, ...o }));
          if (budget) underTight.add(alone.split(' ')[0]);
          if (queued !== alone) problems.push(`spec ${s}, ${budget ? 'tight' : 'default'} budget, ${JSON.stringify(o)}: queued ${queued.slice(0, 120)}, alone ${alone.slice(0, 120)}`);
          // Without data every fit is refused naming x, before its validation set is looked at (README: x, y).
          if (s === 0 && alone !== 'SPEC x: x: no data: give x and y (here or in the spec)') problems.push(`no data, ${JSON.stringify(o)}: ${alone.slice(0, 120)}`);
        } finally {
          model.dispose();
          twin.dispose();
        }
      }
    }
  }
  if (!underTight.has('LIMIT') || !underTight.has('ran')) problems.push(`the tight budget refuses no fit or runs none: ${[...underTight].join(', ')}`);
  return problems;
}

/**
 * fit reads options.onEpoch and options.signal once: an onEpoch that replaces or deletes options.onEpoch, or a
 * signal getter that gives something else on a second read, changes nothing; onEpoch gets a copy of each entry, so
 * writing to it does not change the history fit returns.
 */
export async function fitReadsOptionsOnce(make: MakeModel): Promise<string[]> {
  return pair(make, XOR, async (model, twin, p) => {
    const base = { epochs: 3, batchSize: 2, optimizer: { name: 'adam', lr: 0.01 } } as const;
    const seen: number[] = [];
    const replaced: Record<string, unknown> = { ...base };
    replaced.onEpoch = (e: EpochLog) => {
      seen.push(e.epoch);
      replaced.onEpoch = 'not a function';
      e.loss = NaN;
      (e as unknown as Record<string, unknown>).accuracy = 'written';
    };
    const h1 = await model.fit(replaced as never).catch((e: unknown) => codeOf(e));
    const deleting: Record<string, unknown> = { ...base };
    deleting.onEpoch = () => { delete deleting.onEpoch; };
    const h2 = await model.fit(deleting as never).catch((e: unknown) => codeOf(e));
    let reads = 0;
    const getter = { ...base, get signal() { return ++reads > 1 ? ({} as AbortSignal) : undefined; } };
    const h3 = await model.fit(getter).catch((e: unknown) => codeOf(e));
    p.same('onEpoch calls', seen, [1, 2, 3]);
    const w = [await twin.fit(base), await twin.fit(base), await twin.fit(base)];
    p.same('histories (onEpoch wrote NaN into its entries)', [h1, h2, h3].map((h) => (Array.isArray(h) ? lossBits(h) : h)), w.map(lossBits));
    p.same('signal getter reads', reads, 1);
    await sameModel(p, 'after the fits', model, twin);
  });
}

/**
 * onBatch reports each submission's mini-batches once they have run, between the epochs' onEpoch calls, and changes
 * no number (the history and parameters are the twin's without it); an onBatch that throws stops the fit there:
 * it rejects with that error and the model keeps the last finished step — bitwise the twin fitted on just the
 * examples of the batches that ran (the epoch's order, unshuffled), with the epoch count unmoved.
 */
export async function fitProgress(make: MakeModel): Promise<string[]> {
  const base = { epochs: 2, batchSize: 1, batchesPerSubmission: 4, shuffle: { seed: 3 }, optimizer: { name: 'adam', lr: 0.05 } } as const;
  const reported = await pair(make, XOR, async (model, twin, p) => {
    const events: string[] = [];
    const h = await model.fit({ ...base, onBatch: (g) => { events.push(`${g.epoch}: ${g.batch}/${g.batches}`); }, onEpoch: (e) => { events.push(`epoch ${e.epoch}`); } });
    p.same('onBatch and onEpoch calls', events, ['1: 4/6', '1: 6/6', 'epoch 1', '2: 4/6', '2: 6/6', 'epoch 2']);
    p.same('history with onBatch', lossBits(h), lossBits(await twin.fit(base)));
    await sameModel(p, 'after the fits', model, twin);
  });
  const stopped = await pair(make, XOR, async (model, twin, p) => {
    const stop = new Error('enough');
    const r = await model.fit({ ...base, batchesPerSubmission: 2, onBatch: (g) => { if (g.batch === 4) throw stop; } }).then(() => 'resolved', (e: unknown) => e);
    p.check(`the fit rejects with onBatch's error (got ${String(r)})`, r === stop);
    p.same('epochs after a stop mid-epoch', model.epochsTrained, 0);
    const order = Array.from(epochOrder(XOR.x!.length, base.shuffle, 0)).slice(0, 4);
    await twin.fit({ ...base, epochs: 1, shuffle: false, x: order.map((c) => XOR.x![c]), y: order.map((c) => XOR.y![c]) });
    p.same('optimiser state (4 steps)', stateBits(model.optimizerState()), stateBits(twin.optimizerState()));
    p.same('parameters (the 4 batches that ran)', bits(await model.getParams()), bits(await twin.getParams()));
  });
  // An async onBatch is not awaited: its rejection stops the fit at the next submission, as a throw there does.
  const rejected = await pair(make, XOR, async (model, twin, p) => {
    const stop = new Error('enough, later');
    const r = await model.fit({ ...base, batchesPerSubmission: 2, onBatch: async (g) => { if (g.batch === 4) throw stop; } }).then(() => 'resolved', (e: unknown) => e);
    p.check(`the fit rejects with onBatch's rejection (got ${String(r)})`, r === stop);
    const order = Array.from(epochOrder(XOR.x!.length, base.shuffle, 0)).slice(0, 4);
    await twin.fit({ ...base, epochs: 1, shuffle: false, x: order.map((c) => XOR.x![c]), y: order.map((c) => XOR.y![c]) });
    p.same('epochs after the stop', model.epochsTrained, 0);
    p.same('parameters (the 4 batches that ran)', bits(await model.getParams()), bits(await twin.getParams()));
  });
  return [...reported, ...stopped.map((s) => `stopped by onBatch: ${s}`), ...rejected.map((s) => `stopped by a rejection: ${s}`)];
}

/** Every check here, by what it shows. */
export const QUEUE_CHECKS: Record<string, (make: MakeModel) => Promise<string[]>> = {
  'train, step, grad copy x and y when called (one buffer reused, calls not awaited)': copiesAtCall,
  'train, step, grad refuse bad data, fit options bad whatever its defaults, when called, before a fit queued ahead is done': refusedAtCall,
  'a fit queued behind a fit or a restore takes its defaults when it runs': queuedFitDefaults,
  'a fit queued behind a restore is checked against the restored defaults; run fields alone carry over': queuedFitRestoredRun,
  'a fit with another optimiser stopped before its first step changes nothing': stopBeforeFirstStep,
  'train, step, grad with new x, y that fail leave the model\'s batch': failedCallKeepsBatch,
  'a fit without x, y takes the model\'s batch when it runs, and is checked against it then': fitTakesBatchAtTurn,
  'a fit queued behind a call that changes nothing is refused with the error it gets with nothing ahead': queuedFitErrorsAsAwaited,
  'fit reads onEpoch and signal once; onEpoch gets copies of the history entries': fitReadsOptionsOnce,
  'onBatch reports the batches that ran and changes nothing; throwing (or rejecting) there stops the fit at the last finished step': fitProgress,
};
