/**
 * model.fit on the CPU oracle and what it holds:
 * - fit's data over the budget: a LimitError naming x / validation.x and the bytes, before any allocation;
 * - the CPU trainer takes only the data sets it uploaded; the backend's compile and trainer check their arguments;
 * - what a fit holds during its epochs: one copy of its data (the plan's sets, which the trainer keeps: upload's
 *   `keep`) and the order, a held-out fraction too, within what fit's budget counts; predict and evaluate one copy
 *   of theirs (their converted data, kept);
 * - the per-step loop (CpuTrainer.runBatches) and each epoch's writeOrder construct no typed array or ArrayBuffer
 *   once warmed up;
 * - a promise onBatch returns that stays pending keeps no fit (its model) once the fit has ended;
 * - fit's turn of the event loop between submissions (tick) sets no timer: a browser holds a timer set from a
 *   timer's task 4 ms from the fifth nesting on (4.4 ms a tick measured in headless Chromium 156, 2026-12-05).
 */
import { describe, expect, it, vi } from 'vitest';
import { checkBudget, checkFitBudget, fitDataNeeds, fitTrainerNeeds, needs } from '../src/budget.ts';
import { CpuBackend } from '../src/cpu/backend.ts';
import { CpuTrainer } from '../src/cpu/train.ts';
import { checkForeignData } from './lib/foreign-data.ts';
import { backendArgProblems } from './lib/backend-args.ts';
import { Model } from '../src/model.ts';
import { type Allocations, collect, counted, trackBuffers } from './lib/count-allocations.ts';
import { type NetworkSpec, validateNet } from '../src/spec.ts';
import { fitFigure } from './lib/fit-figure.ts';
import { WasmBackend } from '../src/wasm/backend.ts';
import { tick } from '../src/train/fit.ts';
import { resolveOptimizer } from '../src/train/optimizers.ts';
import { NETS, OPTIMIZERS, bits, dataFor } from './lib/fit-nets.ts';

describe("fit's data against the budget", () => {
  const spec = NETS[0][1]; // 3 inputs, 3 outputs
  const big = (n: number) => ({ x: { examples: n, data: new Float32Array(3 * n) }, y: { examples: n, data: new Float32Array(3 * n) } });
  const budget = { hostBytes: 256 * 1024 }; // the net and a small fit fit; 20 000 examples × 6 values × 4 bytes do not

  it('a data set over the host budget: LimitError naming x (or validation.x) and the bytes, before any allocation, model unchanged', async () => {
    const model = await Model.create(spec, { backend: 'cpu', budget });
    const { x, y } = dataFor(spec, 23, 4);
    await model.fit({ x, y, batchSize: 5, epochs: 1, optimizer: 'adam' });
    const before = bits(await model.getParams());
    const t = model.optimizerState()!.t;
    const cases: [string, Parameters<Model['fit']>[0]][] = [
      ['x', { ...big(20_000), batchSize: 5 }],
      ['x', { ...big(20_000), validation: 0.25 }],
      ['validation.x', { x, y, validation: big(20_000) }],
    ];
    for (const [field, options] of cases) {
      let run: Promise<unknown> = Promise.resolve();
      const made = counted(() => { run = model.fit({ ...options, optimizer: 'adam' }); });
      await expect(run).rejects.toMatchObject({ name: 'LimitError', field });
      await expect(run).rejects.toThrow(/fit's data needs [\d.]+ [KM]iB \([\d.e+]+ bytes\) of host memory \(\d+ training .* over the host budget of 256 KiB/);
      expect(made.what, field).toEqual([]);
    }
    expect(bits(await model.getParams())).toBe(before);
    expect(model.optimizerState()!.t).toBe(t);
    expect(model.epochsTrained).toBe(1);
    // The same model fits a data set inside the budget.
    expect((await model.fit({ x, y, batchSize: 5, epochs: 1, optimizer: 'adam' }))[0].epoch).toBe(2);
    model.dispose();
  });

  it('predict and evaluate check their data against the budget too: LimitError naming x, before any allocation', async () => {
    const model = await Model.create(spec, { backend: 'cpu', budget });
    const { x, y } = dataFor(spec, 23, 4);
    await model.fit({ x, y, batchSize: 5, epochs: 1, optimizer: 'adam' });
    const before = bits(await model.getParams());
    const data = big(20_000); // 20 000 × (3 + 3) float32 values are 469 KiB for one copy alone, over 256 KiB
    for (let c = 0; c < 20_000; c++) data.y.data[3 * c] = 1; // one-hot labels: valid, so only the budget can refuse them
    for (const [what, call] of [['predict', () => model.predict(data.x)], ['evaluate', () => model.evaluate(data.x, data.y)]] as const) {
      let run: Promise<unknown> = Promise.resolve();
      const made = counted(() => { run = call(); });
      await expect(run).rejects.toMatchObject({ name: 'LimitError', field: 'x' });
      await expect(run).rejects.toThrow(new RegExp(`^x: ${what}'s data needs [\\d.]+ [KM]iB .* of host memory \\(20000 examples .* over the host budget of 256 KiB`));
      expect(made.what, what).toEqual([]);
    }
    expect(bits(await model.getParams())).toBe(before);
    // Within the budget both run.
    const rows = await model.predict(x);
    expect(rows).toHaveLength(23);
    expect((await model.evaluate(x, y)).loss).toBeGreaterThan(0);
    model.dispose();
  });

  it('predict and evaluate queued behind an Adam fit are counted on the trainer that fit leaves, when they run', async () => {
    const net = validateNet(spec);
    const { x, y } = dataFor(spec, 5, 4);
    // At the call no trainer is there: counted as one made for them (SGD); they run on the fit's (Adam, its m and v).
    const predictOn = (optimizer: 'sgd' | 'adam') => needs(net, 5).hostBytes + fitTrainerNeeds(net, 5, 5, optimizer, 0).hostBytes + fitDataNeeds(net, 0, 5).hostBytes;
    const hostBytes = predictOn('adam') - 1;
    const budget = { hostBytes, deviceBytes: 2 ** 30, fileBytes: 2 ** 20 };
    // The scenario: the fit and the count at the call are within it.
    expect(() => checkFitBudget(net, 5, 0, 5, { budget, optimizer: 'adam' })).not.toThrow();
    expect(() => checkFitBudget(net, 5, 0, 5, { budget, what: 'predict', batchesPerSubmission: 0 })).not.toThrow();
    expect(predictOn('sgd')).toBeLessThanOrEqual(hostBytes);
    const model = await Model.create(spec, { backend: 'cpu', budget });
    try {
      const fit = model.fit({ x, y, batchSize: 5, epochs: 1, optimizer: 'adam' });
      const predicted = model.predict(x);
      const evaluated = model.evaluate(x, y);
      expect((await fit)[0].epoch).toBe(1);
      await expect(predicted).rejects.toMatchObject({ name: 'LimitError', field: 'x' });
      await expect(predicted).rejects.toThrow(/^x: predict's data needs .* of host memory \(5 examples/);
      await expect(evaluated).rejects.toMatchObject({ name: 'LimitError', field: 'x' });
      // Called now, after the fit, both are refused at the call, as they were when they ran.
      await expect(model.predict(x)).rejects.toMatchObject({ name: 'LimitError', field: 'x' });
    } finally {
      model.dispose();
    }
  });

  it("predict and evaluate called in a fit's onEpoch count the fit's data sets, which it holds there, beside their own", async () => {
    const net = validateNet(spec);
    const { x, y } = dataFor(spec, 40, 4);
    const v = dataFor(spec, 10, 5);
    const fitOn = fitFigure('host', net, 40, 10, 8);
    const predictAlone = fitFigure('host', net, 10, 0, 8, { what: 'predict', batchesPerSubmission: 0 });
    const inEpoch = predictAlone + fitDataNeeds(net, 40, 10).hostBytes; // the fit's sets and order, then predict's
    const hostBytes = inEpoch - 1;
    // The scenario: the fit alone and the predict alone are within the budget; the predict made in onEpoch is not.
    expect(Math.max(fitOn, predictAlone)).toBeLessThanOrEqual(hostBytes);
    const model = await Model.create(spec, { backend: 'cpu', budget: { hostBytes, deviceBytes: 2 ** 30, fileBytes: 2 ** 20 } });
    try {
      const seen: unknown[] = [];
      await model.fit({ x, y, validation: v, batchSize: 8, epochs: 1, onEpoch: async () => {
        for (const call of [() => model.predict(v.x), () => model.evaluate(v.x, v.y)]) seen.push(await call().then(() => 'resolved', (err: unknown) => err));
      } });
      expect(seen).toHaveLength(2);
      for (const err of seen) expect(err).toMatchObject({ name: 'LimitError', field: 'x' });
      // After the fit, its sets are let go: the same predict is within the budget.
      expect(await model.predict(v.x)).toHaveLength(10);
    } finally {
      model.dispose();
    }
  });

  it('the device budget is checked for a WebGPU model: GPU memory, the field and the bytes', () => {
    const net = validateNet(spec);
    expect(() => checkFitBudget(net, 20_000, 0, 32, { device: true, budget: { hostBytes: 2 ** 30, deviceBytes: 256 * 1024, fileBytes: 1 } }))
      .toThrow(/^x: fit's data needs .* of GPU memory \(20000 training examples × \(3 \+ 3\) values/);
    expect(() => checkFitBudget(net, 20_000, 0, 32, { device: false, budget: { hostBytes: 2 ** 30, deviceBytes: 256 * 1024, fileBytes: 1 } })).not.toThrow();
  });
});

describe('what a CPU fit holds during its epochs', () => {
  // 3 inputs, 3 outputs (softmax): a copy of n examples is (3 + 3)·n float32 values. During the epochs a fit needs the
  // sets the trainer uploaded (the data as converted, or a held-out fraction's two sides), which the CPU trainer keeps
  // rather than copies (a copy of them was a second x through the epochs), and the epoch's order in the trainer
  // (n_train u32): 4·(6·n + n_train) bytes. Buffers of 16 KiB or more are tracked (the net's arrays at batches of 50
  // are smaller; every data array here is 24 KiB or more).
  const spec = NETS[0][1];
  const n = 8000;
  const data = (count: number, typed: boolean, seed: number) => {
    const x = Float32Array.from({ length: 3 * count }, (_, k) => Math.sin(k * 0.37 + seed));
    const y = Float32Array.from({ length: 3 * count }, (_, k) => (k % 3 === Math.floor(k / 3) % 3 ? 1 : 0));
    if (typed) return { x: { examples: count, data: x }, y: { examples: count, data: y } };
    const rows = (a: Float32Array) => Array.from({ length: count }, (_, c) => Array.from(a.subarray(3 * c, 3 * c + 3)));
    return { x: rows(x), y: rows(y) };
  };
  for (const typed of [true, false]) {
    for (const held of ['none', 'fraction', 'set'] as const) {
      it(`${typed ? 'typed x' : 'rows'}, validation ${held}: one copy of the data and the order, within fit's budget`, async () => {
        const model = await Model.create(spec, { backend: 'cpu' });
        const nVal = held === 'none' ? 0 : n / 4;
        const nTrain = held === 'set' ? n : n - nVal;
        const given = data(n, typed, 1);
        const validation = held === 'fraction' ? 0.25 : held === 'set' ? data(nVal, typed, 2) : undefined;
        const run = { batchSize: 50, epochs: 1, shuffle: { seed: 1 } };
        await model.fit({ ...data(100, typed, 3), ...run }); // the trainer at batches of 50, made before the count
        let live = 0;
        const tracker = trackBuffers(16 * 1024);
        try {
          await model.fit({ ...given, ...run, validation, onEpoch: async () => {
            await new Promise((resolve) => setTimeout(resolve, 0));
            await collect();
            live = tracker.liveBytes();
          } });
        } finally {
          tracker.restore();
        }
        const copy = 4 * 6 * (nTrain + nVal);
        expect(live).toBeGreaterThanOrEqual(copy);
        expect(live).toBeLessThanOrEqual(copy + 4 * nTrain);
        expect(live).toBeLessThanOrEqual(fitDataNeeds(model.net, nTrain, nVal).hostBytes);
        // After the fit nothing of it is held: not its data, not the order (the trainer let go of it: dropOrder), which
        // a predict on this trainer is checked without (src/budget.ts checkFitBudget).
        await new Promise((resolve) => setTimeout(resolve, 0));
        await collect();
        expect(tracker.liveBytes()).toBe(0);
        model.dispose();
      });
    }
  }

  // predict and evaluate convert their data at the call (a copy) and hand it to the trainer's upload with `keep`: the
  // CPU trainer holds that copy, not a second one, while it runs (measured as the trainer's predict starts).
  for (const typed of [true, false]) {
    it(`${typed ? 'typed x' : 'rows'}: predict and evaluate hold one copy of their data while the trainer runs`, async () => {
      const model = await Model.create(spec, { backend: 'cpu' });
      const { x, y } = data(n, typed, 4);
      const predict = CpuTrainer.prototype.predict;
      const seen: number[] = [];
      let tracker: ReturnType<typeof trackBuffers> | undefined;
      const spy = vi.spyOn(CpuTrainer.prototype, 'predict').mockImplementation(async function (this: CpuTrainer, d) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        await collect();
        seen.push(tracker!.liveBytes());
        return predict.call(this, d);
      });
      try {
        for (const call of [() => model.predict(x), () => model.evaluate(x, y)]) {
          tracker = trackBuffers(16 * 1024);
          try {
            await call();
          } finally {
            tracker.restore();
          }
        }
      } finally {
        spy.mockRestore();
        model.dispose();
      }
      // X (3·n) and Y (3·n: evaluate's labels, predict's zeros), once each.
      const copy = 4 * 6 * n;
      expect(seen).toHaveLength(2);
      for (const live of seen) {
        expect(live).toBeGreaterThanOrEqual(copy);
        expect(live).toBeLessThan(copy + 4 * 3 * n);
      }
    });
  }
});

describe('a CPU trainer with partial batches holds what needs(net, batchSize) counts', () => {
  // Batches of 64: an epoch of 127 examples ends with a batch of 63, a predict of 126 with one of 62. Each used to
  // get a state of its own (X, Y, Z, A, delta, dW, db, scratch: 16 KiB or so apiece, two of them over the 27.5 KiB
  // that needs(net, 64) counts for the whole trainer); they are views of the main state's arrays now.
  it('the main state, the optimiser state and nothing more, after an epoch with a partial batch and a partial predict', async () => {
    const net = validateNet(NETS[0][1]);
    const B = 64;
    const set = (n: number) => {
      const { x, y } = dataFor(NETS[0][1], n, 8);
      const cols = (rows: number[][]) => Float32Array.from({ length: rows[0].length * n }, (_, k) => rows[k % n][Math.floor(k / n)]);
      return { n, X: cols(x), Y: cols(y) };
    };
    const train = set(2 * B - 1);
    const val = set(2 * B - 2);
    const order = Uint32Array.from({ length: train.n }, (_, c) => (c * 37) % train.n);
    const tracker = trackBuffers(1);
    let trainer: CpuTrainer | undefined;
    try {
      trainer = new CpuBackend().trainer(net, B, 'adam') as CpuTrainer;
      const data = trainer.upload(train, { keep: true });
      trainer.writeOrder(order);
      trainer.runBatches(data, 0, 2, resolveOptimizer(OPTIMIZERS[3], undefined));
      await trainer.predict(trainer.upload(val, { keep: true }));
    } finally {
      tracker.restore();
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    await collect();
    const live = tracker.liveBytes() - 4 * train.n; // the trainer's copy of the order: fitDataNeeds counts it
    const need = needs(net, B);
    expect(live).toBeGreaterThanOrEqual(4 * (need.data + 3 * need.activations)); // X, Y, Z, A, delta at batches of B
    expect(live).toBeLessThanOrEqual(need.hostBytes);
    expect(trainer.batchSize).toBe(B); // held to the count
  });
});

describe('a CPU model and its Adam fit hold what the fit check counts', () => {
  // The optimiser state is held by the trainer, the model (each epoch's read) and the model's from before the fit
  // (a failed fit puts it back): a second fit with the same optimiser holds all three. 100-200-10 (P = 22 210) at
  // batches of 32: what the model and its fit held at onEpoch was 1 306 544 bytes against a fit check of 1 158 192
  // (needs(net, 32) and fitDataNeeds, no optimiser state). A first fit held as much: fitModel kept the fresh state
  // it gave the trainer through the fit.
  it('a second fit with Adam: every buffer made from Model.create on and still held at onEpoch, within the host figure; a first fit one m and v less', async () => {
    const spec: NetworkSpec = {
      inputs: 100, layers: [{ units: 200, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 1 },
    };
    const { x, y } = dataFor(spec, 128, 1);
    const tracker = trackBuffers(1);
    const held: number[] = [];
    let model: Model | undefined;
    try {
      model = await Model.create(spec, { backend: 'cpu' });
      const onEpoch = async () => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        await collect();
        held.push(tracker.liveBytes());
      };
      await model.fit({ x, y, batchSize: 32, epochs: 1, optimizer: 'adam', onEpoch });
      await model.fit({ x, y, batchSize: 32, epochs: 2, optimizer: 'adam', onEpoch });
    } finally {
      tracker.restore();
    }
    const P = needs(model.net, 32).params;
    expect(held).toHaveLength(3);
    const [first, ...second] = held;
    // The trainer's, the model's and the earlier fit's m and v at least.
    expect(Math.min(...second)).toBeGreaterThanOrEqual(4 * 3 * 2 * P);
    expect(Math.max(...second)).toBeLessThanOrEqual(fitFigure('host', model.net, 128, 0, 32, { optimizer: 'adam' }));
    expect(first).toBeLessThanOrEqual(Math.min(...second) - 4 * 2 * P);
    model.dispose();
  });
});

describe('a wasm model and its fit hold what the fit check counts', () => {
  // 100-200-10 at batches of 32, 100 training and 30 validation examples: a partial batch of 4 and a validation pass
  // of 30. Each ran on a net of its own in the wasm memory (W, b, dW, db, X, Y, Z, A, delta, scratch): the memory grew
  // to 1 114 112 bytes, against 458 752 with no partial batch (128 examples), and with what JS held at onEpoch
  // (234 896) passed the fit check's 1 161 928. They run on the B net's arrays now (WasmBackend.compileOn).
  it('SGD with partial batches on both sets: the wasm memory and every buffer JS holds at onEpoch, within the host figure', async () => {
    const spec: NetworkSpec = {
      inputs: 100, layers: [{ units: 200, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 1 },
    };
    const { x, y } = dataFor(spec, 100, 1);
    const validation = dataFor(spec, 30, 2);
    const tracker = trackBuffers(1);
    const held: number[] = [];
    let model: Model | undefined;
    try {
      model = await Model.create(spec, { backend: 'wasm', threads: 1 });
      await model.fit({ x, y, validation, batchSize: 32, epochs: 2, optimizer: 'sgd', onEpoch: async () => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        await collect();
        held.push(tracker.liveBytes());
      } });
    } finally {
      tracker.restore();
    }
    const memory = (model.backend as WasmBackend).memory.buffer.byteLength; // never shrinks: its most
    expect(held).toHaveLength(2);
    expect(memory + Math.max(...held)).toBeLessThanOrEqual(fitFigure('host', model.net, 100, 30, 32, { optimizer: 'sgd' }));
    model.dispose();
  });

  it("the example order's region of the wasm memory is released when the fit ends (a predict after it is counted without it)", async () => {
    const spec = NETS[0][1];
    const model = await Model.create(spec, { backend: 'wasm', threads: 1 });
    const backend = model.backend as WasmBackend;
    const reserve = backend.reserve.bind(backend);
    const release = backend.release.bind(backend);
    const live = new Map<number, string>();
    const reserveSpy = vi.spyOn(backend, 'reserve').mockImplementation((bytes, what, field) => {
      const r = reserve(bytes, what, field);
      live.set(r.id, what);
      return r;
    });
    const releaseSpy = vi.spyOn(backend, 'release').mockImplementation((id) => {
      live.delete(id);
      release(id);
    });
    try {
      await model.fit({ ...dataFor(spec, 40, 3), batchSize: 8, epochs: 2 });
      const orders = () => [...live.values()].filter((what) => what.startsWith('the example order ('));
      expect([...new Set(reserveSpy.mock.calls.map((c) => c[1]))]).toContain('the example order (40 examples)');
      expect(orders()).toEqual([]);
      // A second fit writes an order again.
      await model.fit({ ...dataFor(spec, 40, 3), batchSize: 8, epochs: 1 });
      expect(orders()).toEqual([]);
    } finally {
      reserveSpy.mockRestore();
      releaseSpy.mockRestore();
      model.dispose();
    }
  });
});

describe("the caller's data written during a CPU fit changes nothing", () => {
  // fit copies x, y and a validation set at the call; the trainer keeps those copies (upload's keep), never the
  // caller's arrays: writing them once fit is called (before it uploads, and from onEpoch) changes nothing, bitwise.
  const spec = NETS[0][1];
  for (const typed of [true, false]) {
    for (const held of ['fraction', 'set'] as const) {
      it(`${typed ? 'typed x' : 'rows'}, validation ${held}: the same parameters and history as a fit left alone`, async () => {
        const make = () => {
          const { x, y } = dataFor(spec, 40, 6);
          const v = dataFor(spec, 10, 7);
          const typedOf = (rows: number[][]) => ({ examples: rows.length, data: Float32Array.from(rows.flat()) });
          return typed ? { x: typedOf(x), y: typedOf(y), v: { x: typedOf(v.x), y: typedOf(v.y) } } : { x, y, v };
        };
        const scribble = (d: ReturnType<typeof make>) => {
          for (const a of [d.x, d.y, d.v.x, d.v.y]) {
            if (Array.isArray(a)) for (const row of a) row.fill(7);
            else a.data.fill(7);
          }
        };
        const fitOnce = async (write: boolean) => {
          const model = await Model.create(spec, { backend: 'cpu' });
          const d = make();
          const run = model.fit({ x: d.x, y: d.y, validation: held === 'fraction' ? 0.25 : d.v, batchSize: 7, epochs: 3, optimizer: 'adam',
            shuffle: { seed: 4 }, onEpoch: () => { if (write) scribble(d); } });
          if (write) scribble(d);
          const history = await run;
          const out = { params: bits(await model.getParams()), history: history.map(({ seconds: _, ...e }) => e) };
          model.dispose();
          return out;
        };
        const alone = await fitOnce(false);
        expect(await fitOnce(true)).toEqual(alone);
      });
    }
  }
});

describe('the CPU trainer takes only the data sets it uploaded', () => {
  it("another trainer's data, another backend's and a plain object: SpecError on data before any work; the trainer still works after", async () => {
    await checkForeignData(new CpuBackend(), new CpuBackend());
  });
});

describe('the CPU and wasm trainers run batches only in an order written for their data set', () => {
  it.each(['cpu', 'wasm'] as const)('%s: none written, dropped (a fit ended) or of another length: an error before any step, the parameters and t as before (WebGPU refuses the same)', async (kind) => {
    const spec = NETS[0][1];
    const net = validateNet(spec);
    const backend = kind === 'cpu' ? new CpuBackend() : await WasmBackend.create({ threads: 1 });
    const trainer = backend.trainer(net, 2, 'adam');
    const data = trainer.upload({ n: 4, X: Float32Array.from({ length: 12 }, (_, k) => k / 12), Y: Float32Array.of(1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1) });
    const o = resolveOptimizer('adam', undefined);
    const before = await trainer.read();
    const orders: [string, () => void][] = [['none', () => {}], ['dropped', () => { trainer.writeOrder(Uint32Array.of(0, 1, 2, 3)); trainer.dropOrder(); }], ['of 3', () => trainer.writeOrder(Uint32Array.of(0, 1, 2))]];
    for (const [what, write] of orders) {
      write();
      expect(() => trainer.runBatches(data, 0, 1, o), what).toThrow('writeOrder for this data first');
      const after = await trainer.read();
      expect([bits(after.params), after.state.t], what).toEqual([bits(before.params), 0]);
    }
    trainer.writeOrder(Uint32Array.of(0, 1, 2, 3));
    trainer.runBatches(data, 0, 2, o);
    expect((await trainer.read()).state.t).toBe(2);
    backend.dispose();
  });
});

describe("the CPU backend's compile and trainer check their arguments (test/lib/backend-args.ts)", () => {
  it('a net written by hand is taken; a spec, a wrong fanIn, n or batchSize not a positive integer, an unknown optimiser, runBatches with another optimiser than the trainer\'s: SpecError naming it', () => {
    expect(backendArgProblems(new CpuBackend())).toEqual([]);
  });
});

describe('fit on the CPU: no allocation per step', () => {
  // Every optimiser, a partial last batch (23 = 4·5 + 3), several submissions per epoch. The first fit call is the
  // warm-up (it makes the trainer and, on first use, the partial batch's buffers); the next one's steps are counted.
  for (const opt of OPTIMIZERS) {
    it(`${JSON.stringify(opt)}: runBatches construct no typed array or ArrayBuffer after the first epoch, writeOrder after a fit's first`, async () => {
      const spec = NETS[0][1];
      const model = await Model.create(spec, { backend: 'cpu' });
      const { x, y } = dataFor(spec, 23, 4);
      const run = { x, y, batchSize: 5, optimizer: opt, batchesPerSubmission: 2, shuffle: { seed: 3 } };
      await model.fit({ ...run, epochs: 1 });
      const original = CpuTrainer.prototype.runBatches;
      const originalOrder = CpuTrainer.prototype.writeOrder;
      const calls: Allocations[] = [];
      const orders: Allocations[] = [];
      CpuTrainer.prototype.runBatches = function (this: CpuTrainer, ...args: Parameters<CpuTrainer['runBatches']>) {
        calls.push(counted(() => original.apply(this, args)));
      };
      // The epoch's order (made by epochOrder, outside the count) is copied into the trainer's own array.
      CpuTrainer.prototype.writeOrder = function (this: CpuTrainer, order: Uint32Array) {
        orders.push(counted(() => originalOrder.call(this, order)));
      };
      try {
        await model.fit({ ...run, epochs: 3 });
      } finally {
        CpuTrainer.prototype.runBatches = original;
        CpuTrainer.prototype.writeOrder = originalOrder;
      }
      expect(calls.length).toBe(3 * 3); // 5 batches an epoch, 2 per submission
      expect(calls.flatMap((c) => c.what)).toEqual([]);
      // The fit's first order is made anew (the last fit's went when its epochs ended: dropOrder), the next two reuse it.
      expect(orders.map((c) => c.what)).toEqual([['new Uint32Array'], [], []]);
      expect(model.optimizerState()!.t).toBe(4 * 5);
      model.dispose();
    });
  }
});

describe("fit's tick between submissions", () => {
  it('yields a turn and sets no timer: setImmediate in Node, a MessageChannel message where there is none (a browser)', async () => {
    const g = globalThis as { setImmediate?: unknown };
    const immediate = g.setImmediate;
    const timers = vi.spyOn(globalThis, 'setTimeout');
    try {
      // A turn, not a microtask: a task queued before the tick has run when it resolves.
      let ran = false;
      setImmediate(() => { ran = true; });
      await tick();
      expect(ran).toBe(true);
      g.setImmediate = undefined;
      ran = false;
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        ran = true;
        channel.port1.close();
      };
      channel.port2.postMessage(null);
      await tick();
      expect(ran).toBe(true);
      expect(timers).not.toHaveBeenCalled();
    } finally {
      g.setImmediate = immediate;
      timers.mockRestore();
    }
  });
});

describe('a promise that onBatch returns and that stays pending holds no fit after it ends', () => {
  it('one pending promise returned by every onBatch of several fits: the models fitted are collected; its rejection still stops a fit running', async () => {
    let cancel!: (err: Error) => void;
    const stop = new Promise<void>((_, reject) => { cancel = reject; });
    const spec = NETS[0][1];
    const { x, y } = dataFor(spec, 12, 5);
    const fitOnce = async (): Promise<WeakRef<Model>> => {
      const model = await Model.create(spec, { backend: 'cpu' });
      await model.fit({ x, y, batchSize: 4, epochs: 2, batchesPerSubmission: 1, onBatch: () => stop });
      model.dispose();
      return new WeakRef(model);
    };
    const fitted = [await fitOnce(), await fitOnce(), await fitOnce()];
    await new Promise((resolve) => setTimeout(resolve, 0)); // a WeakRef holds its target to the end of the job that made it
    await collect();
    expect(fitted.filter((ref) => ref.deref() !== undefined).length).toBe(0);
    const model = await Model.create(spec, { backend: 'cpu' });
    const onBatch = (p: { epoch: number }): Promise<void> => {
      if (p.epoch === 2) cancel(new RangeError('stopped'));
      return stop;
    };
    await expect(model.fit({ x, y, batchSize: 4, epochs: 50, batchesPerSubmission: 1, onBatch })).rejects.toThrow(RangeError);
    expect(model.epochsTrained).toBe(1);
    model.dispose();
  });
});

describe("budget messages: counts agree with their nouns (they read '1 example(s)')", () => {
  const net = validateNet({ inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse' });
  const tiny = { hostBytes: 1, deviceBytes: 1, fileBytes: 1 };
  const message = (f: () => unknown): string => {
    try {
      f();
    } catch (err) {
      return (err as Error).message;
    }
    return 'no error';
  };
  it('the step net\'s and the fit\'s', () => {
    expect(message(() => checkBudget(net, 1, { budget: tiny }))).toContain('(2 parameters, 1 example × 1 unit)');
    expect(message(() => checkBudget(net, 3, { budget: tiny }))).toContain('(2 parameters, 3 examples × 1 unit)');
    expect(message(() => checkFitBudget(net, 1, 0, 1, { budget: tiny }))).toContain('(1 training example × (1 + 1) values,');
    expect(message(() => checkFitBudget(net, 1, 1, 1, { budget: tiny }))).toContain('(1 training + 1 validation examples × (1 + 1) values,');
  });
});
