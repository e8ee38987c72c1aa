/**
 * model.fit on the CPU oracle, its runs and their ends:
 * - fit(batchSize = n, shuffle false, sgd) is bitwise train({steps: epochs}); a partial last batch is the mean over its size;
 * - save → load → continue is bitwise the uninterrupted run; a restore into another net or a truncated file is refused;
 * - bad options: a typed error naming the field, the model unchanged;
 * - a diverging, aborted or throwing fit keeps a usable model; onBatch's reports and the stops it asks for;
 * - on cpu and wasm (test/lib/fit-failures.ts, which test/dawn/run.ts runs on WebGPU): fit's own x, y of the wrong
 *   shape, non-finite, out of bce's range or empty refused with the error naming the field, and a fit diverging in its third epoch, each
 *   leaving the model bitwise as a twin that never met it.
 */
import { describe, expect, it, vi } from 'vitest';
import { CpuTrainer } from '../src/cpu/train.ts';
import { BackpropError } from '../src/errors.ts';
import { Model } from '../src/model.ts';
import type { NetworkSpec } from '../src/spec.ts';
import { NETS, OPTIMIZERS, bits, dataFor } from './lib/fit-nets.ts';
import { fitDiverges, fitRefusesBadData, readsRefuseBadData } from './lib/fit-failures.ts';
import { counting } from './lib/lifecycle-net.ts';

describe('fit on the CPU: equalities and checkpoints', () => {
  const spec = NETS[0][1];
  const { x, y } = dataFor(spec, 12, 4);

  it('fit(batchSize = n, shuffle false, sgd) is bitwise train({steps: epochs})', async () => {
    const a = await Model.create({ ...spec, x, y }, { backend: 'cpu' });
    const b = await Model.create({ ...spec, x, y }, { backend: 'cpu' });
    const history = await a.fit({ batchSize: 12, epochs: 6, shuffle: false, optimizer: { name: 'sgd', lr: 0.3 } });
    const trained = await b.train({ steps: 6, lr: 0.3 });
    expect(bits(await a.getParams())).toBe(bits(await b.getParams()));
    // epoch 6's loss is that of the 6th step's forward pass, before its update: train's last loss (summed in
    // float32 on the epoch sums, in float64 by the loss reduction)
    expect(history).toHaveLength(6);
    expect(history[5].loss).toBeCloseTo(trained.loss, 6);
  });

  it('a partial last batch: its gradient is the mean over its own size; dropLast skips it', async () => {
    const a = await Model.create(spec, { backend: 'cpu' });
    await a.fit({ x, y, batchSize: 5, epochs: 1, shuffle: false, optimizer: { name: 'sgd', lr: 0.1 }, dropLast: true });
    expect(a.optimizerState()!.t).toBe(2);
    const b = await Model.create(spec, { backend: 'cpu' });
    await b.fit({ x, y, batchSize: 5, epochs: 1, shuffle: false, optimizer: { name: 'sgd', lr: 0.1 } });
    expect(b.optimizerState()!.t).toBe(3);
    // the same three steps by hand: train() on each batch (train uses the mean over its own batch)
    const c = await Model.create(spec, { backend: 'cpu' });
    for (const [s, e] of [[0, 5], [5, 10], [10, 12]]) await c.train({ steps: 1, lr: 0.1, x: x.slice(s, e), y: y.slice(s, e) });
    expect(bits(await b.getParams())).toBe(bits(await c.getParams()));
  });

  it('validation: a fraction is held out from the end (README): bitwise the fit on the first examples with the last as validation {x, y}', async () => {
    // 12 examples, 0.25: the last 3 held out, the first 9 trained on (batches of 4, 4, 1), over 2 shuffled epochs
    const run = { batchSize: 4, epochs: 2, optimizer: { name: 'momentum', lr: 0.1 } } as const;
    const a = await Model.create(spec, { backend: 'cpu' });
    const ha = await a.fit({ ...run, x, y, validation: 0.25 });
    const b = await Model.create(spec, { backend: 'cpu' });
    const hb = await b.fit({ ...run, x: x.slice(0, 9), y: y.slice(0, 9), validation: { x: x.slice(9), y: y.slice(9) } });
    expect(a.optimizerState()!.t).toBe(6);
    expect(bits(await a.getParams())).toBe(bits(await b.getParams()));
    const logged = (h: typeof ha) => h.map(({ seconds: _, ...rest }) => rest);
    expect(logged(ha)).toEqual(logged(hb));
  });

  for (const opt of OPTIMIZERS) {
    it(`save → load → continue is bitwise the uninterrupted run (${opt.name}${opt.nesterov ? ', nesterov' : ''})`, async () => {
      const run = { x, y, batchSize: 5, optimizer: opt, shuffle: { seed: 3 } };
      const whole = await Model.create(spec, { backend: 'cpu' });
      const h = await whole.fit({ ...run, epochs: 4 });
      const first = await Model.create(spec, { backend: 'cpu' });
      await first.fit({ ...run, epochs: 2 });
      const bytes = await first.save();
      const again = await Model.load(bytes, { backend: 'cpu' });
      expect(bits(await again.getParams())).toBe(bits(await first.getParams()));
      const h2 = await again.fit({ ...run, epochs: 2 });
      expect(bits(await again.getParams())).toBe(bits(await whole.getParams()));
      expect(h2.map((e) => [e.epoch, e.loss])).toEqual(h.slice(2).map((e) => [e.epoch, e.loss]));
      // the bytes themselves round-trip
      expect(Array.from(await (await Model.load(bytes, { backend: 'cpu' })).save())).toEqual(Array.from(bytes));
    });
  }

  it('refuses a checkpoint of another net, a truncated file and garbage, state unchanged', async () => {
    const model = await Model.create(spec, { backend: 'cpu' });
    await model.fit({ x, y, batchSize: 4, epochs: 1, optimizer: 'adam' });
    const before = bits(await model.getParams());
    const other = await Model.create(NETS[1][1], { backend: 'cpu' });
    const bytes = await model.save();
    const errors: string[] = [];
    for (const bad of [await other.save(), bytes.subarray(0, bytes.length - 9), bytes.subarray(0, 5), new Uint8Array(64)]) {
      try {
        await model.restore(bad);
        errors.push('resolved');
      } catch (err) {
        const e = err as BackpropError;
        errors.push(`${e.name} ${e.field}`);
      }
    }
    expect(errors).toEqual(['SpecError checkpoint.spec', 'SpecError checkpoint', 'SpecError checkpoint', 'SpecError checkpoint']);
    await expect(Model.load(bytes.subarray(0, 100))).rejects.toMatchObject({ code: 'SPEC', field: 'checkpoint' });
    expect(bits(await model.getParams())).toBe(before);
    expect(model.epochsTrained).toBe(1);
  });

  it('bad options: a typed error naming the field, the model unchanged', async () => {
    const model = await Model.create(spec, { backend: 'cpu' });
    await model.fit({ x, y, batchSize: 4, epochs: 1, optimizer: 'momentum' });
    const before = bits(await model.getParams());
    const state = JSON.stringify(model.optimizerState(), (_, v) => (v instanceof Float32Array ? Array.from(v) : v));
    const cases: [string, Parameters<Model['fit']>[0]][] = [
      ['batchSize', { x, y, batchSize: 0 }],
      ['batchSize', { x, y, batchSize: 2.5 }],
      ['batchSize', { x, y, batchSize: 13 }],
      ['epochs', { x, y, epochs: 0 }],
      ['optimizer.name', { x, y, optimizer: 'rmsprop' as never }],
      ['optimizer.beta1', { x, y, optimizer: { name: 'adam', beta1: 1 } }],
      ['optimizer.beta2', { x, y, optimizer: { name: 'adam', beta2: -0.1 } }],
      ['optimizer.eps', { x, y, optimizer: { name: 'adamw', eps: 0 } }],
      ['optimizer.weightDecay', { x, y, optimizer: { name: 'sgd', weightDecay: -1 } }],
      ['optimizer.momentum', { x, y, optimizer: { name: 'momentum', momentum: 1.5 } }],
      // Fine in float64, not as the float32 update.wgsl reads (float32 facts, not the engine's): fround(1e-46) = 0;
      // 1e-40 is below 2⁻¹²⁶, subnormal (WGSL may flush it to 0); 1 − 1e-9 is nearer 1 than the float32 below 1,
      // 1 − 2⁻²⁴; 1e39 > 3.40282e38; Adam's first step size 1e38 / (1 − 0.9) = 1e39.
      ['optimizer.eps', { x, y, optimizer: { name: 'adam', eps: 1e-46 } }],
      ['optimizer.eps', { x, y, optimizer: { name: 'adamw', eps: 1e-40 } }],
      ['optimizer.beta1', { x, y, optimizer: { name: 'adam', beta1: 1 - 1e-9 } }],
      ['optimizer.beta2', { x, y, optimizer: { name: 'adamw', beta2: 1 - 1e-9 } }],
      ['optimizer.momentum', { x, y, optimizer: { name: 'momentum', momentum: 1 - 1e-9 } }],
      ['optimizer.lr', { x, y, optimizer: { name: 'sgd', lr: 1e39 } }],
      ['optimizer.lr', { x, y, optimizer: { name: 'adam', lr: 1e38 } }],
      ['optimizer.weightDecay', { x, y, optimizer: { name: 'sgd', weightDecay: 1e39 } }],
      ['optimizer.weightDecay', { x, y, optimizer: { name: 'adamw', weightDecay: 1e39 } }],
      ['signal', { x, y, signal: { aborted: false } as never }],
      ['onBatch', { x, y, onBatch: 'log' as never }],
      ['dropLast', { x, y, dropLast: 'yes' as never }], // true or false only: 'yes' is no boolean (README: fit)
      ['signal', { x, y, signal: { aborted: 'no', throwIfAborted() {} } as never }],
      ['validation.x[0]', { x, y, validation: { x: [[1, 2]], y: [[1, 0, 0]] } }],
      ['validation.y[0]', { x, y, validation: { x: [[1, 2, 3]], y: [[1, 0]] } }],
      // Every error class names the field inside validation (README: validation.x[3]).
      ['validation.x[0][1]', { x, y, validation: { x: [[1, NaN, 3]], y: [[1, 0, 0]] } }],
      ['validation.x[0][0]', { x, y, validation: { x: { examples: 1, data: new Float64Array([1e39, 0, 0]) }, y: [[1, 0, 0]] } }],
      ['validation.y[0][0]', { x, y, validation: { x: [[1, 2, 3]], y: [[2, 0, 0]] } }],
      ['validation.y[0]', { x, y, validation: { x: [[1, 2, 3]], y: [[0.5, 0, 0]] } }],
      ['validation.y', { x, y, validation: { x: [[1, 2, 3]], y: [[1, 0, 0], [0, 1, 0]] } }],
      ['validation.x', { x, y, validation: { x: [], y: [] } }],
      ['validation.x.examples', { x, y, validation: { x: { examples: 0.5, data: [] }, y: [[1, 0, 0]] } }],
      ['validation', { x, y, validation: 1.5 }],
      ['shuffle.seed', { x, y, shuffle: { seed: 0.5 } }],
      ['y', { x, y: y.slice(1) }],
      // The cheap options are checked before the data is converted: a bad epoch count is named, not the NaN in x.
      ['epochs', { x: [[NaN, 0, 0], ...x.slice(1)], y, epochs: 0 }],
      ['batchSize', { x: [[NaN, 0, 0], ...x.slice(1)], y, batchSize: 2.5 }],
      ['optimizer.eps', { x: [[NaN, 0, 0], ...x.slice(1)], y, optimizer: { name: 'adam', eps: 0 } }],
      ['shuffle', { x: [[NaN, 0, 0], ...x.slice(1)], y, shuffle: true as never }],
      // An array is no options object (train() refuses one too): [] trained on the defaults, [x, y] named its key '0'.
      ['options', [] as never],
      ['options', [x, y] as never],
    ];
    const fields: string[] = [];
    for (const [, options] of cases) {
      try {
        await model.fit(options);
        fields.push('resolved');
      } catch (err) {
        expect(err).toBeInstanceOf(BackpropError);
        fields.push((err as BackpropError).field ?? '?');
      }
    }
    expect(fields).toEqual(cases.map(([f]) => f));
    expect(bits(await model.getParams())).toBe(before);
    // The float32 refusals are SpecErrors, as train()'s lr past the float32 range is (model.ts rate()).
    await expect(model.fit({ x, y, optimizer: { name: 'adam', eps: 1e-46 } })).rejects.toMatchObject({ name: 'SpecError', field: 'optimizer.eps' });
    await expect(model.fit({ x, y, signal: { aborted: false } as never })).rejects.toMatchObject({ name: 'SpecError', field: 'signal' });
    await expect(model.fit({ x, y, validation: { x: [[1, NaN, 3]], y: [[1, 0, 0]] } })).rejects.toMatchObject({ name: 'NonFiniteError' });
    await expect(model.fit({ x, y, validation: { x: [[1, 2, 3]], y: [[2, 0, 0]] } })).rejects.toMatchObject({ name: 'LabelRangeError' });
    await expect(model.fit({ x, y, validation: { x: [], y: [] } })).rejects.toMatchObject({ name: 'EmptyBatchError' });
    expect(bits(await model.getParams())).toBe(before);
    expect(JSON.stringify(model.optimizerState(), (_, v) => (v instanceof Float32Array ? Array.from(v) : v))).toBe(state);
    expect(model.epochsTrained).toBe(1);
    // spec fields are validated at create
    await expect(Model.create({ ...spec, optimizer: { name: 'adam', eps: -1 } }, { backend: 'cpu' })).rejects.toMatchObject({ field: 'optimizer.eps' });
    await expect(Model.create({ ...spec, optimizer: { name: 'adam', beta1: 1 - 1e-9 } }, { backend: 'cpu' })).rejects.toMatchObject({ field: 'optimizer.beta1' });
    await expect(Model.create({ ...spec, epochs: 0 }, { backend: 'cpu' })).rejects.toMatchObject({ field: 'epochs' });
    // Adam's step 1 takes lr / (1 − β1) = 1e39 past float32: the field is the spec's lr where the optimiser has none of its own
    await expect(Model.create({ ...spec, lr: 1e38, optimizer: 'adam' }, { backend: 'cpu' })).rejects.toMatchObject({ field: 'lr' });
    await expect(Model.create({ ...spec, lr: 0.1, optimizer: { name: 'adam', lr: 1e38 } }, { backend: 'cpu' })).rejects.toMatchObject({ field: 'optimizer.lr' });
    await expect(Model.create({ ...spec, validation: 0 }, { backend: 'cpu' })).rejects.toMatchObject({ field: 'validation' });
    // with the spec's own x (12 examples): a fraction that leaves no side, or a batch larger than the training side
    const four = { ...spec, x: x.slice(0, 4), y: y.slice(0, 4) };
    await expect(Model.create({ ...four, validation: 0.9 }, { backend: 'cpu' })).rejects.toMatchObject({ name: 'SpecError', field: 'validation', message: expect.stringMatching(/holds out 4 of 4 examples/) });
    await expect(Model.create({ ...four, validation: 0.1 }, { backend: 'cpu' })).rejects.toMatchObject({ name: 'SpecError', field: 'validation', message: expect.stringMatching(/holds out 0 of 4/) });
    await expect(Model.create({ ...four, validation: 0.5, batchSize: 3 }, { backend: 'cpu' })).rejects.toMatchObject({ name: 'SpecError', field: 'batchSize', message: expect.stringMatching(/more than the 2 training examples/) });
    // the same with x and y in the library's {examples, data} form
    const typed = { ...spec, x: { examples: 4, data: x.slice(0, 4).flat() }, y: { examples: 4, data: y.slice(0, 4).flat() } };
    await expect(Model.create({ ...typed, validation: 0.9 }, { backend: 'cpu' })).rejects.toMatchObject({ name: 'SpecError', field: 'validation' });
    await expect(Model.create({ ...typed, validation: 0.5, batchSize: 3 }, { backend: 'cpu' })).rejects.toMatchObject({ name: 'SpecError', field: 'batchSize' });
    const fits = await Model.create({ ...four, validation: 0.5, batchSize: 2 }, { backend: 'cpu' });
    expect((await fits.fit({ epochs: 1 }))[0].valLoss).toBeGreaterThan(0);
    fits.dispose();
  });

  it.each(['momentum', 'adamw'] as const)('a diverging fit (%s) rejects with DivergedError and restores the parameters and state from before the call', async (name) => {
    const mse = NETS[2][1];
    const d = dataFor(mse, 12, 4);
    const model = await Model.create(mse, { backend: 'cpu' });
    await model.fit({ ...d, batchSize: 4, epochs: 1, optimizer: { name, lr: 0.01 } });
    const before = bits(await model.getParams());
    const t = model.optimizerState()!.t;
    const checkpoint = await model.save(); // parameters, optimiser state (buf; AdamW's m, v, t) and epochs
    await expect(model.fit({ ...d, batchSize: 4, epochs: 3, optimizer: { name, lr: 1e30 } })).rejects.toMatchObject({ code: 'DIVERGED' });
    expect(bits(await model.getParams())).toBe(before);
    expect(model.optimizerState()!.t).toBe(t);
    expect(model.epochsTrained).toBe(1);
    expect(await model.save()).toEqual(checkpoint);
    expect((await model.fit({ ...d, batchSize: 4, epochs: 1, optimizer: { name, lr: 0.01 } }))[0].epoch).toBe(2);
  });

  // L = ½(W·x)² = 5e35 and g = ∂L/∂W = W·x² = 1e21 here: Adam's v = (1 − β2)·g² = 1e39 is past float32 (3.4e38) while
  // W (1e15) and the loss stay finite, and W's update m̂/(√v̂ + ε) is then 0: the run no longer trains.
  // AdamW's v is Adam's (its decay, lr·weightDecay·W = 1e-5·W, leaves W and the loss near where they were).
  it.each([['cpu', 'adam'], ['wasm', 'adam'], ['cpu', 'adamw'], ['wasm', 'adamw']] as const)('%s: %s state past float32 with finite parameters is a DivergedError naming the state; the saved model loads', async (backend, optimizer) => {
    const model = await Model.create({ inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[1e15]]], b: [[0]] } }, { backend });
    try {
      const before = bits(await model.getParams());
      const err = await model.fit({ x: [[1000]], y: [[0]], epochs: 1, batchSize: 1, optimizer }).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'DivergedError', code: 'DIVERGED', slot: 'v', message: expect.stringMatching(/the optimiser's v state became ±Infinity or NaN \(the loss was (4\.99\d*|5(\.0\d*)?)e\+35;/) });
      expect(bits(await model.getParams())).toBe(before);
      expect(model.epochsTrained).toBe(0);
      const loaded = await Model.load(await model.save(), { backend });
      expect(bits(await loaded.getParams())).toBe(before);
      loaded.dispose();
    } finally {
      model.dispose();
    }
  });

  it.each(['cpu', 'wasm'] as const)('%s: bad x, y given to fit (shape, NaN, Infinity, bce labels −0.1 and 1.5, empty): the error naming the field, the model as its twin', async (backend) => {
    expect(await fitRefusesBadData((s) => Model.create(s, { backend }))).toEqual([]);
  });

  it.each(['cpu', 'wasm'] as const)('%s: bad x, y given to predict and evaluate, bad checkpoints given to restore: the error naming the field, no net or trainer made, the model as its twin', async (backend) => {
    expect(await readsRefuseBadData((s) => Model.create(s, { backend }), (m) => counting(m.backend).made)).toEqual([]);
  });

  it.each([['cpu', 'momentum'], ['wasm', 'momentum'], ['cpu', 'adamw'], ['wasm', 'adamw']] as const)('%s: a fit diverging after finished epochs (%s) is a DivergedError, the model as before the call; the next fit is its twin\'s', async (backend, name) => {
    expect(await fitDiverges((s) => Model.create(s, { backend }), name)).toEqual([]);
  });

  it('an aborted fit rejects with the reason and keeps a usable model', async () => {
    const model = await Model.create(spec, { backend: 'cpu' });
    const controller = new AbortController();
    const run = model.fit({ x, y, batchSize: 2, epochs: 50, batchesPerSubmission: 1, optimizer: 'adam', onEpoch: (e) => { if (e.epoch === 2) controller.abort(new Error('stop')); }, signal: controller.signal });
    await expect(run).rejects.toThrow('stop');
    expect(model.epochsTrained).toBe(2);
    const t = model.optimizerState()!.t;
    expect(t).toBeGreaterThanOrEqual(12);
    const h = await model.fit({ x, y, batchSize: 2, epochs: 1, optimizer: 'adam' });
    expect(h[0].epoch).toBe(3);
  });

  it('a signal-like object without reason whose throwIfAborted throws its own error stops the fit: the model keeps the last finished step', async () => {
    const model = await Model.create(spec, { backend: 'cpu' });
    const before = bits(await model.getParams());
    let aborted = false;
    const signal = { get aborted() { return aborted; }, throwIfAborted() { if (aborted) throw new Error('halt'); } };
    const run = model.fit({ x, y, batchSize: 2, epochs: 5, optimizer: 'adam', signal, onEpoch: (e) => { if (e.epoch === 1) aborted = true; } });
    await expect(run).rejects.toThrow('halt');
    expect(model.epochsTrained).toBe(1);
    expect(model.optimizerState()!.t).toBeGreaterThan(0);
    expect(bits(await model.getParams())).not.toBe(before);
  });

  it('an onEpoch that throws stops the fit like an abort: the model keeps the last finished step', async () => {
    const model = await Model.create(spec, { backend: 'cpu' });
    const before = bits(await model.getParams());
    const run = model.fit({ x, y, batchSize: 2, epochs: 5, optimizer: 'adam', onEpoch: (e) => { if (e.epoch === 2) throw new Error('enough'); } });
    await expect(run).rejects.toThrow('enough');
    expect(model.epochsTrained).toBe(2);
    expect(model.optimizerState()!.t).toBeGreaterThan(0);
    expect(bits(await model.getParams())).not.toBe(before);
  });

  it("a stop after steps that took W past float32 before the epoch's end keeps the model as at its last finished epoch, not NaN: save() works, the next fit is a twin's", async () => {
    // A linear net on large inputs: one step at lr 1e38 takes W past the float32 range (hardening's class 2).
    const line: NetworkSpec = { inputs: 2, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[0.5, -0.25]]], b: [[0.1]] } };
    const data = { x: [[30, -40], [1, 2], [3, 4], [5, 6]], y: [[1], [2], [3], [4]] };
    const calm = { ...data, batchSize: 1, epochs: 1, shuffle: false, batchesPerSubmission: 1, optimizer: { name: 'momentum', lr: 1e-4 } } as const;
    const [model, twin] = [await Model.create(line, { backend: 'cpu' }), await Model.create(line, { backend: 'cpu' })];
    await model.fit(calm);
    await twin.fit(calm);
    const before = await model.save();
    const boom = new Error('stop');
    await expect(model.fit({ ...calm, optimizer: { name: 'momentum', lr: 1e38 }, onBatch: (g) => { if (g.batch === 2) throw boom; } })).rejects.toBe(boom);
    expect(Array.from(await model.save())).toEqual(Array.from(before));
    const [h, ht] = [await model.fit(calm), await twin.fit(calm)];
    expect(h.map((e) => e.loss)).toEqual(ht.map((e) => e.loss));
    expect(bits(await model.getParams())).toBe(bits(await twin.getParams()));
    model.dispose();
    twin.dispose();
  });

  it("a finished fit resolves even where a read of its trainer after the last epoch's would fail (a lost device): the model its twin's", async () => {
    const [model, twin] = [await Model.create(spec, { backend: 'cpu' }), await Model.create(spec, { backend: 'cpu' })];
    let lost = false;
    const read = CpuTrainer.prototype.read;
    const spy = vi.spyOn(CpuTrainer.prototype, 'read').mockImplementation(function (this: CpuTrainer) {
      return lost ? Promise.reject(new Error('device lost')) : read.call(this);
    });
    try {
      const run = { x, y, batchSize: 5, epochs: 2, optimizer: 'adam' } as const;
      const h = await model.fit({ ...run, onEpoch: (e) => { lost = e.epoch === 2; } });
      lost = false;
      expect(h.map((e) => e.loss)).toEqual((await twin.fit(run)).map((e) => e.loss));
      expect([model.epochsTrained, model.optimizerState()!.t]).toEqual([twin.epochsTrained, twin.optimizerState()!.t]);
      expect(bits(await model.getParams())).toBe(bits(await twin.getParams()));
    } finally {
      spy.mockRestore();
      model.dispose();
      twin.dispose();
    }
  });
});

describe('onBatch (fit.ts runFit)', () => {
  it('is called only once trainer.settled() has resolved for the submission it reports', async () => {
    const model = await Model.create(NETS[0][1], { backend: 'cpu' });
    const events: string[] = [];
    const settled = CpuTrainer.prototype.settled;
    const spy = vi.spyOn(CpuTrainer.prototype, 'settled').mockImplementation(function (this: CpuTrainer) {
      return settled.call(this).then(() => { events.push('settled'); });
    });
    try {
      const data = dataFor(NETS[0][1], 5, 9);
      await model.fit({ ...data, batchSize: 2, batchesPerSubmission: 2, epochs: 1, onBatch: (g) => { events.push(`${g.batch}/${g.batches}`); } });
      expect(events).toEqual(['settled', '2/3', 'settled', '3/3']);
      // Without onBatch fit does not wait on the trainer (WebGPU's submissions stay queued back to back).
      events.length = 0;
      await model.fit({ ...data, batchSize: 2, batchesPerSubmission: 2, epochs: 1 });
      expect(events).toEqual([]);
    } finally {
      spy.mockRestore();
      model.dispose();
    }
  });
});

// 2-3-2, 9 examples: batch size 1 → 9 mini-batches an epoch, 2 per submission → reports at 2, 4, 6, 8, 9.
const STOP_SPEC: NetworkSpec = {
  inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'identity' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 },
};
const stopX = Array.from({ length: 9 }, (_, k) => [Math.sin(k), Math.cos(3 * k)]);
const stopY = stopX.map(([a, b]) => [a * b, a - b]);
const RUN = { x: stopX, y: stopY, batchSize: 1, batchesPerSubmission: 2, epochs: 1, optimizer: 'adam' as const, shuffle: false as const };

describe('fit({onBatch}): stops, and what it reports (review mutants4)', () => {
  it('a promise onBatch returns that rejects stops the fit at the next submission: rejects with it, the model keeps the steps run', async () => {
    const model = await Model.create(STOP_SPEC, { backend: 'cpu' });
    try {
      const boom = new Error('late');
      const seen: number[] = [];
      const run = model.fit({ ...RUN, onBatch: (g) => { seen.push(g.batch); return g.batch === 2 ? Promise.reject(boom) : undefined; } });
      await expect(run).rejects.toBe(boom);
      expect(seen).toEqual([2]); // stopped before the second submission
      expect(model.optimizerState()?.t).toBe(2); // a stop: the 2 steps run are kept (a failure would put back null)
      expect(model.epochsTrained).toBe(0);
    } finally {
      model.dispose();
    }
  });

  it('a thenable onBatch returns that rejects inside its own then (at once, not later) stops the fit as a promise does', async () => {
    const model = await Model.create(STOP_SPEC, { backend: 'cpu' });
    try {
      const boom = new Error('at once');
      const now = { then: (_: unknown, rejected: (err: unknown) => void) => { rejected(boom); } };
      const run = model.fit({ ...RUN, onBatch: (g) => (g.batch === 2 ? now : undefined) });
      await expect(run).rejects.toBe(boom);
      expect(model.optimizerState()?.t).toBe(2);
    } finally {
      model.dispose();
    }
  });

  it('a thenable whose then throws fails every fit that returns it, not only the first (review51)', async () => {
    const thrown = new TypeError('then threw');
    const broken = { then: () => { throw thrown; } };
    for (const k of [1, 2]) {
      const model = await Model.create(STOP_SPEC, { backend: 'cpu' });
      try {
        // The second fit resolved: the thenable stayed in the list of watched promises, so its then was not called again.
        await expect(model.fit({ ...RUN, onBatch: () => broken }), `fit ${k}`).rejects.toBe(thrown);
      } finally {
        model.dispose();
      }
    }
  });

  it("a rejection after the epoch's last submission stops the fit at the epoch's end (the fit does not resolve)", async () => {
    const model = await Model.create(STOP_SPEC, { backend: 'cpu' });
    try {
      const boom = new Error('last');
      const run = model.fit({ ...RUN, onBatch: (g) => (g.batch === g.batches ? Promise.reject(boom) : undefined) });
      await expect(run).rejects.toBe(boom);
      expect(model.epochsTrained).toBe(0);
      expect(model.optimizerState()?.t).toBe(9);
    } finally {
      model.dispose();
    }
  });

  it('onBatch that throws stops the fit as a stop (the steps run are kept), not as a failure (the model put back)', async () => {
    const model = await Model.create(STOP_SPEC, { backend: 'cpu' });
    try {
      const boom = new Error('sync');
      await expect(model.fit({ ...RUN, onBatch: (g) => { if (g.batch === 4) throw boom; } })).rejects.toBe(boom);
      expect(model.optimizerState()?.t).toBe(4);
    } finally {
      model.dispose();
    }
  });

  it('two rejections before the next check: the fit rejects with the first', async () => {
    const model = await Model.create(STOP_SPEC, { backend: 'cpu' });
    try {
      const first = new Error('first');
      const second = new Error('second');
      let rejectFirst: (e: unknown) => void = () => {};
      const run = model.fit({
        ...RUN,
        onBatch: (g) => {
          if (g.batch === 2) return new Promise<void>((_, reject) => { rejectFirst = reject; });
          if (g.batch === 4) {
            rejectFirst(first);
            return Promise.reject(second);
          }
          return undefined;
        },
      });
      await expect(run).rejects.toBe(first);
    } finally {
      model.dispose();
    }
  });

  it("progress.epoch is 1-based and counts the model's epochs across fit calls (as EpochLog's)", async () => {
    const model = await Model.create(STOP_SPEC, { backend: 'cpu' });
    try {
      const epochs: number[] = [];
      const entries = await model.fit({ ...RUN, epochs: 2, onBatch: (g) => { epochs.push(g.epoch); } });
      await model.fit({ ...RUN, onBatch: (g) => { epochs.push(g.epoch); } });
      expect(epochs).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3]);
      expect(entries.map((e) => e.epoch)).toEqual([1, 2]);
    } finally {
      model.dispose();
    }
  });

  it('onBatch that disposes the model and throws: the fit rejects with what it threw', async () => {
    const model = await Model.create(STOP_SPEC, { backend: 'cpu' });
    const boom = new Error('disposed, then threw');
    await expect(model.fit({ ...RUN, onBatch: () => { model.dispose(); throw boom; } })).rejects.toBe(boom);
  });
});
