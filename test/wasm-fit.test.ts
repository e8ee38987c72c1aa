/**
 * model.fit on the wasm backend in Node against the CPU oracle (which test/fit-reference.test.ts checks against PyTorch's
 * update rules in float64): every optimiser (plain and Nesterov momentum) on nets of every loss, batch sizes that do and
 * do not divide n; fit(batchSize = n, shuffle false, sgd) is bitwise train({steps}) on wasm; a checkpoint resumes bitwise; the MNIST
 * setup (test/lib/mnist-fit.ts) reaches MNIST_BAR test accuracy (BACKPROP_MNIST_FIT=0 skips it); a trainer whose optimiser
 * state does not fit the memory leaves none of it placed; a trainer whose backend was disposed refuses its calls as a CPU one; a trainer
 * holds a data set only until it is disposed; 20 cycles of every call leave the live placements and memory as they were;
 * a fit repeated 10 times on 3 threads, and on 1, is bitwise one run, within the bound of the CPU oracle's, and so is a fit on other
 * tilings (6 × 2, 5 × 1 KC 7).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import { type NetworkSpec, type Params, biasLength, cloneParams, validateNet } from '../src/spec.ts';
import { initParams, mulberry32 } from '../src/init.ts';
import { type OptimizerSpec, resolveOptimizer, stepScalars, zeroState } from '../src/train/optimizers.ts';
import { MNIST_BAR, formatMnist, mnistFit } from './lib/mnist-fit.ts';
import { adam, gather, momentum, transpose } from '../src/cpu/kernels.ts';
import { type TrainExports, WasmTrainer } from '../src/wasm/train.ts';
import { ModuleBuilder } from '../src/wasm/emit.ts';
import { type KernelOptions, Kernels } from '../src/wasm/kernels.ts';
import { type Allocations, counted } from './lib/count-allocations.ts';
import { wasmBackend } from './lib/wasm-checks.ts';
import { CpuBackend } from '../src/cpu/backend.ts';
import { checkForeignData } from './lib/foreign-data.ts';
import { backendArgProblems } from './lib/backend-args.ts';
import { WasmBackend } from '../src/wasm/backend.ts';
import { netThreads } from '../src/wasm/limits.ts';
import { RELAXED_TILING } from '../src/wasm/gemm.ts';
import { everyCall } from './lib/lifecycle-net.ts';
import { fitAgainstCpu } from './lib/fit-compare.ts';
import { fitRel } from './lib/fit-compare.ts';

afterAll(async () => (await wasmBackend()).dispose());

const bits = (p: Params): string => JSON.stringify([...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))));
const relDiff = (a: Params, b: Params): number => {
  let worst = 0;
  [...a.W, ...a.b].forEach((x, i) => x.forEach((v, q) => {
    const w = [...b.W, ...b.b][i][q];
    worst = Math.max(worst, Math.abs(v - w) / Math.max(1, Math.abs(w)));
  }));
  return worst;
};

/** Seeded data: x in [−1, 1], y fitting the loss. */
function dataFor(spec: NetworkSpec, n: number, seed: number): { x: number[][]; y: number[][] } {
  const rand = mulberry32(seed);
  const outputs = spec.layers[spec.layers.length - 1].units;
  const x = Array.from({ length: n }, () => Array.from({ length: spec.inputs }, () => 2 * rand() - 1));
  const y = x.map((row, c) => Array.from({ length: outputs }, (_, j) =>
    spec.loss === 'softmax-cross-entropy' ? (j === c % outputs ? 1 : 0) : spec.loss === 'bce' ? (row[j % row.length] > 0 ? 1 : 0) : Math.sin(row[0] + j)));
  return { x, y };
}

const NETS: NetworkSpec[] = [
  { inputs: 3, layers: [{ units: 5, activation: 'tanh' }, { units: 4, activation: 'relu', bias: 'shared' }, { units: 3, activation: 'softmax', bias: 'none' }], loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 5 } },
  { inputs: 2, layers: [{ units: 4, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid', bias: 'shared' }], loss: 'bce', reduction: 'sum', init: { scheme: 'xavier', seed: 2 } },
  { inputs: 20, layers: [{ units: 33, activation: 'relu' }, { units: 2, activation: 'identity' }], loss: 'mse', init: { scheme: 'uniform', seed: 9 } },
];
const OPTIMIZERS: OptimizerSpec[] = [
  { name: 'sgd', lr: 0.1, weightDecay: 0.01 },
  { name: 'momentum', lr: 0.05, momentum: 0.9 }, // heavy ball: the kernel's non-Nesterov branch
  { name: 'momentum', lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.001 },
  { name: 'adam', lr: 0.01, weightDecay: 0.001 },
  { name: 'adamw', lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.05 },
];

describe('fit on wasm against the CPU oracle', () => {
  let k = 0;
  for (const spec of NETS) {
    for (const opt of OPTIMIZERS) {
      const dropLast = k === 2; // one run drops its partial last batch
      const B = k++ % 2 === 0 ? 4 : 7; // 4: a partial last batch of 2; 7 divides 14
      it(`${spec.loss} ${opt.name}${opt.nesterov ? ' (nesterov)' : ''} B=${B}${dropLast ? ' dropLast' : ''}: within a bound growing with the steps; another shuffle differs`, async () => {
        const { x, y } = dataFor(spec, 14, 3);
        const run = { x, y, batchSize: B, epochs: 3, optimizer: opt, shuffle: { seed: 11 }, validation: dataFor(spec, 9, 5), dropLast };
        const w = await Model.create(spec, { shared: await wasmBackend() });
        const c = await Model.create(spec, { backend: 'cpu' });
        const o = await Model.create(spec, { backend: 'cpu' });
        const hw = await w.fit(run);
        const hc = await c.fit(run);
        await o.fit({ ...run, shuffle: { seed: 12 } });
        const [pw, pc, po] = [await w.getParams(), await c.getParams(), await o.getParams()];
        const steps = 3 * (dropLast ? Math.floor(14 / B) : Math.ceil(14 / B));
        // NOTE: float32 sums in another order than the oracle's float64 ones (~1e-7 relative per step, compounding
        // through the gradients); the optimiser arithmetic itself is the oracle's (wasm twins, bitwise: below).
        const bound = fitRel(steps); // test/lib/fit-compare.ts's NOTE: SGD's, and Adam's on these small nets
        expect(relDiff(pw, pc)).toBeLessThan(bound);
        expect(relDiff(po, pc), 'another order must differ').toBeGreaterThan(10 * bound);
        expect(w.optimizerState()!.t).toBe(steps);
        // The whole history: the accuracies exactly (the same predictions counted), the losses within the bound.
        expect(hw.map((h) => [h.epoch, h.accuracy, h.valAccuracy])).toEqual(hc.map((h) => [h.epoch, h.accuracy, h.valAccuracy]));
        expect(hc.every((h) => h.valLoss !== undefined && (spec.loss === 'mse') === (h.accuracy === undefined))).toBe(true);
        hw.forEach((h, e) => {
          expect(Math.abs(h.loss - hc[e].loss), `epoch ${e + 1} loss`).toBeLessThan(bound * Math.max(1, Math.abs(hc[e].loss)));
          expect(Math.abs(h.valLoss! - hc[e].valLoss!), `epoch ${e + 1} valLoss`).toBeLessThan(bound * Math.max(1, Math.abs(hc[e].valLoss!)));
        });
        w.dispose(); c.dispose(); o.dispose();
      });
    }
  }
});

describe('fit on wasm, bitwise', () => {
  it('fit(batchSize = n, shuffle false, sgd) is train({steps: epochs}); save → load → continue is the uninterrupted run', async () => {
    const spec = NETS[0];
    const { x, y } = dataFor(spec, 12, 4);
    const shared = await wasmBackend();
    const a = await Model.create({ ...spec, x, y }, { shared });
    const b = await Model.create({ ...spec, x, y }, { shared });
    await a.fit({ batchSize: 12, epochs: 6, shuffle: false, optimizer: { name: 'sgd', lr: 0.3 } });
    await b.train({ steps: 6, lr: 0.3 });
    expect(bits(await a.getParams())).toBe(bits(await b.getParams()));
    a.dispose(); b.dispose();
    for (const opt of ['momentum', 'adamw'] as const) {
      const run = { x, y, batchSize: 5, optimizer: opt, shuffle: { seed: 3 } };
      const whole = await Model.create(spec, { shared });
      await whole.fit({ ...run, epochs: 4 });
      const first = await Model.create(spec, { shared });
      await first.fit({ ...run, epochs: 2 });
      const again = await Model.load(await first.save(), { shared });
      await again.fit({ ...run, epochs: 2 });
      expect(bits(await again.getParams()), opt).toBe(bits(await whole.getParams()));
      whole.dispose(); first.dispose(); again.dispose();
    }
  });
});

describe('MNIST on wasm', () => {
  it.skipIf(process.env.BACKPROP_MNIST_FIT === '0')('784-128-10 relu/softmax, Adam lr 1e-3, batch 128, 5 epochs: test accuracy ≥ MNIST_BAR', async () => {
    const history = await mnistFit({ shared: await wasmBackend() });
    console.log(`MNIST fit on wasm: ${formatMnist(history)}`);
    expect(history[4].valAccuracy!).toBeGreaterThanOrEqual(MNIST_BAR);
  }, 300_000);
});

describe('the wasm trainer kernels equal their CPU twins bitwise', () => {
  // Values that bite: ±0 (dW + 0·p is +0 when dW is −0), denormals, large and small magnitudes.
  const rand = mulberry32(21);
  const COUNT = 257;
  const values = (): Float32Array => Float32Array.from({ length: COUNT }, (_, k) =>
    k === 0 ? -0 : k === 1 ? 0 : k === 2 ? 1e-40 : k === 3 ? -3e38 : (rand() - 0.5) * 10 ** Math.floor(rand() * 8 - 4));
  const bitsOf = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

  /** gather (the trainer's), momentum and adam (what the nets' runs call: src/wasm/program.ts optimiserPhase) in a module of their own. */
  function kernelModule(o: KernelOptions & { shared: boolean; maxPages: number }): Uint8Array<ArrayBuffer> {
    const m = new ModuleBuilder();
    m.importMemory(1, o.maxPages, o.shared);
    const k = new Kernels(m, o);
    void [k.gather, k.momentum, k.adam];
    return m.bytes();
  }
  interface KernelExports extends TrainExports {
    momentum(p: number, dW: number, buf: number, count: number, lr: number, mu: number, weightDecay: number, nesterov: number, first: number): void;
    adam(p: number, dW: number, m: number, v: number, count: number, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number,
      decoupled: number, stepSize: number, bias2Sqrt: number): void;
  }

  async function setup(arrays: number) {
    const b = await wasmBackend();
    const ops = b.instantiate(kernelModule) as unknown as KernelExports;
    const r = b.reserve(arrays * COUNT * 4 + 16 * arrays, 'test arrays');
    const at = (q: number) => r.at + q * (COUNT * 4 + 16);
    const view = (q: number) => new Float32Array(b.memory.buffer, at(q), COUNT);
    return { ops, at, view, done: () => b.release(r.id) };
  }

  const MOMENTUM_CASES = [
    { lr: 0.1, mu: 0, wd: 0, nesterov: false, first: false },
    { lr: 0.05, mu: 0.9, wd: 0.001, nesterov: true, first: true },
    { lr: 0.05, mu: 0.9, wd: 0.001, nesterov: true, first: false },
    { lr: 0.3, mu: 0.5, wd: 0, nesterov: false, first: false },
  ];
  it.each(MOMENTUM_CASES)('momentum %o', async (c) => {
    const { ops, at, view, done } = await setup(3);
    const [p, g, buf] = [values(), values(), values()];
    [p, g, buf].forEach((a, q) => view(q).set(a));
    momentum(p, g, buf, c.lr, c.mu, c.wd, c.nesterov, c.first);
    ops.momentum(at(0), at(1), at(2), COUNT, c.lr, c.mu, c.wd, c.nesterov ? 1 : 0, c.first ? 1 : 0);
    expect(bitsOf(view(0))).toEqual(bitsOf(p));
    expect(bitsOf(view(2))).toEqual(bitsOf(buf));
    done();
  });

  it.each([false, true])('adam (decoupled %s), steps 1 and 7', async (decoupled) => {
    const { ops, at, view, done } = await setup(4);
    const [p, g, m, v] = [values(), values(), values(), values().map(Math.abs)];
    [p, g, m, v].forEach((a, q) => view(q).set(a));
    const [lr, beta1, beta2, eps, wd] = [0.01, 0.8, 0.99, 1e-6, 0.05];
    for (const t of [1, 7]) {
      const stepSize = lr / (1 - beta1 ** t);
      const bias2Sqrt = Math.sqrt(1 - beta2 ** t);
      adam(p, g, m, v, lr, beta1, beta2, eps, wd, decoupled, stepSize, bias2Sqrt);
      ops.adam(at(0), at(1), at(2), at(3), COUNT, lr, beta1, beta2, eps, wd, decoupled ? 1 : 0, stepSize, bias2Sqrt);
    }
    expect(bitsOf(view(0))).toEqual(bitsOf(p));
    expect(bitsOf(view(2))).toEqual(bitsOf(m));
    expect(bitsOf(view(3))).toEqual(bitsOf(v));
    done();
  });

  // The wasm trainer keeps a data set example-major (transposed at upload) and gathers from it; the oracle's gather reads the
  // engine layout. 37 examples from 7: two whole blocks of 16 and a partial one, order not monotone; 3, 4 and 5 rows (the
  // kernel moves four examples' four rows at a time, the rest one by one; rows·n within the test's arrays of COUNT).
  it.each([3, 4, 5])('gather from the example-major data set = the oracle gather from the engine layout, %i rows', async (rows) => {
    const n = 51;
    const [start, count] = [7, 37];
    const { ops, at, view, done } = await setup(3);
    const src = values().subarray(0, rows * n);
    const order = Uint32Array.from({ length: n }, (_, c) => (c * 37) % n);
    transpose(src, rows, n, view(0));
    new Uint32Array(view(2).buffer, at(2), n).set(order);
    const want = new Float32Array(rows * count);
    gather(src, want, order, start, count, rows, n);
    ops.gather(at(0), at(1), at(2), start, count, rows);
    expect(bitsOf(view(1).subarray(0, rows * count))).toEqual(bitsOf(want));
    done();
  });
});

describe("fit's optimiser inside the run (RUN_MODE.optimise) = the step, then the CPU twin, bitwise", () => {
  // Odd counts in every array (7·9 + 9, 9·5 + 1 shared, 5·3 + none): each thread's part starts at an odd element or
  // ends with a lone one; 3 threads (forced: the net is under THREAD_MIN_WORK).
  const SPEC: NetworkSpec = {
    inputs: 7, layers: [{ units: 9, activation: 'relu' }, { units: 5, activation: 'tanh', bias: 'shared' }, { units: 3, activation: 'softmax', bias: 'none' }],
    loss: 'softmax-cross-entropy',
  };
  const CASES: [OptimizerSpec, number][] = [
    [{ name: 'sgd', lr: 0.1, weightDecay: 0.01 }, 4],
    [{ name: 'momentum', lr: 0.05, momentum: 0.9 }, 1], // first step: buf ← g
    [{ name: 'momentum', lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.001 }, 3],
    [{ name: 'adam', lr: 0.01, weightDecay: 0.001 }, 1],
    [{ name: 'adam', lr: 0.01 }, 7],
    [{ name: 'adamw', lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.05 }, 4],
  ];
  it.each(CASES)('%o at step %i', async (spec, t) => {
    const net = validateNet(SPEC);
    const b = await wasmBackend();
    const rand = mulberry32(t);
    const params = initParams(net, 'he', 3);
    const n = 6;
    const batch = { n, X: Float32Array.from({ length: 7 * n }, () => 2 * rand() - 1), Y: Float32Array.from({ length: 3 * n }, (_, k) => (Math.floor(k / n) === k % 3 ? 1 : 0)) };
    const total = net.layers.reduce((sum, layer) => sum + layer.units * layer.fanIn + biasLength(layer), 0);
    const slotValues = Float32Array.from({ length: 2 * total }, (_, k) => (k < total ? rand() - 0.5 : rand() * 1e-3));
    const o = resolveOptimizer(spec, undefined);
    // Expected: the step's dW, db (step mode), then the CPU twin on copies of W, b and the slots.
    const ref = b.compile(net, n);
    ref.setThreads(3);
    ref.writeParams(params);
    ref.writeBatch(batch);
    ref.run(1, 0, false);
    const read = await ref.read({ grads: true });
    const grads: Params = { W: read.dW!, b: read.db! };
    ref.dispose();
    const want = cloneParams(params);
    const slots = slotValues.slice();
    const { stepSize, bias2Sqrt, first } = stepScalars(o, t);
    let offset = 0;
    net.layers.forEach((layer, l) => {
      for (const [p, g] of [[want.W[l], grads.W[l]], [want.b[l], grads.b[l]]]) {
        const s0 = slots.subarray(offset, offset + p.length);
        const s1 = slots.subarray(total + offset, total + offset + p.length);
        if (o.name === 'sgd' || o.name === 'momentum') momentum(p, g, o.name === 'sgd' ? new Float32Array(p.length) : s0, o.lr, o.momentum, o.weightDecay, o.nesterov, first);
        else adam(p, g, s0, s1, o.lr, o.beta1, o.beta2, o.eps, o.weightDecay, o.name === 'adamw', stepSize, bias2Sqrt);
        offset += p.length;
      }
    });
    // Got: the same net in RUN_MODE.optimise, its slots in the backend's memory.
    const r = b.reserve(2 * total * 4, 'test slots');
    new Float32Array(b.memory.buffer, r.at, 2 * total).set(slotValues);
    const wasm = b.compile(net, n);
    wasm.setThreads(3);
    wasm.writeParams(params);
    wasm.writeBatch(batch);
    wasm.optimise(o, t, r.at);
    const got = await wasm.read({ params: true, grads: true });
    expect(bits({ W: got.dW!, b: got.db! })).toBe(bits(grads));
    expect(bits(got.params!)).toBe(bits(want));
    const gotSlots = new Float32Array(b.memory.buffer, r.at, 2 * total);
    expect(Array.from(new Uint32Array(gotSlots.slice().buffer))).toEqual(Array.from(new Uint32Array(slots.buffer)));
    wasm.dispose();
    b.release(r.id);
  });
});

describe('the wasm trainer takes only the data sets it uploaded', () => {
  it("another trainer's data, a CPU trainer's and a plain object: SpecError on data before any work; the trainer still works after", async () => {
    await checkForeignData(await wasmBackend(), new CpuBackend());
  });
});

describe("the wasm backend's compile and trainer check their arguments (test/lib/backend-args.ts)", () => {
  it('a net written by hand is taken; a spec, a wrong fanIn, n or batchSize not a positive integer, an unknown optimiser, runBatches with another optimiser than the trainer\'s: SpecError naming it', async () => {
    expect(backendArgProblems(await wasmBackend())).toEqual([]);
  });
});

describe('a wasm trainer whose optimiser state does not fit the memory', () => {
  it('an Adam fit: LimitError naming optimizer; then an SGD fit that fits runs, as on a backend that never failed', async () => {
    const net: NetworkSpec = {
      inputs: 100, layers: [{ units: 100, activation: 'tanh' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy',
      init: { scheme: 'xavier', seed: 1 },
    };
    const spec = { ...net, ...dataFor(net, 8, 6) };
    const b = await WasmBackend.create({ threads: 1 });
    const model = await Model.create(spec, { shared: b });
    const reference = await Model.create(spec, { backend: 'wasm', threads: 1 });
    // 3 pages, all free, and the memory may not grow: the trainer's net of 8 (143 KiB) fits, with Adam's m and v
    // (87 KiB) it does not; SGD keeps no state.
    b.release(b.reserve(150_000, 'room').id);
    expect(b.memory.buffer.byteLength).toBe(3 * 65536);
    Object.defineProperty(b.memory, 'grow', { value: () => { throw new RangeError('refused by the test'); }, configurable: true });
    try {
      await expect(model.fit({ epochs: 1, batchSize: 8, optimizer: 'adam' })).rejects.toMatchObject({ name: 'LimitError', field: 'optimizer' });
      const sgd = { epochs: 2, batchSize: 8, optimizer: { name: 'sgd', lr: 0.1 } } as const;
      expect(await model.fit(sgd)).toEqual((await reference.fit(sgd)).map((e) => ({ ...e, seconds: expect.any(Number) })));
      expect(bits(await model.getParams())).toBe(bits(await reference.getParams()));
    } finally {
      model.dispose();
      reference.dispose();
      b.dispose();
    }
  });
});

describe('a wasm trainer after its backend is disposed', () => {
  it('every call but dispose and dropOrder throws DisposedError, as a CPU trainer after its backend', async () => {
    const spec = validateNet(NETS[0]);
    const p = initParams(spec, 'he', 5);
    const { x, y } = dataFor(NETS[0], 12, 3);
    // Engine layout: one column per example.
    const columns = (rows: number[][]): Float32Array => Float32Array.from({ length: rows.length * rows[0].length }, (_, k) => rows[k % rows.length][Math.floor(k / rows.length)]);
    const batch = { n: 12, X: columns(x), Y: columns(y) };
    const outcomes = async (backend: CpuBackend | WasmBackend): Promise<Record<string, string>> => {
      const t = backend.trainer(spec, 4, 'adam');
      t.writeParams(p);
      const data = t.upload(batch);
      const order = Uint32Array.from({ length: 12 }, (_, c) => c);
      t.writeOrder(order);
      t.runBatches(data, 0, 3, resolveOptimizer('adam', 0.01));
      backend.dispose();
      const calls: Record<string, () => unknown> = {
        read: () => t.read(), readSums: () => t.readSums(), settled: () => t.settled(), predict: () => t.predict(data),
        writeParams: () => t.writeParams(p), writeState: () => t.writeState(zeroState('adam', p)), writeOrder: () => t.writeOrder(order),
        runBatches: () => t.runBatches(data, 0, 1, resolveOptimizer('adam', 0.01)), upload: () => t.upload(batch),
        dropOrder: () => t.dropOrder(), dispose: () => t.dispose(),
      };
      const out: Record<string, string> = {};
      for (const [name, call] of Object.entries(calls)) {
        try {
          await call();
          out[name] = 'returned';
        } catch (err) {
          out[name] = (err as Error).name;
        }
      }
      return out;
    };
    const wasm = await outcomes(await WasmBackend.create({ threads: 2 }));
    expect(wasm).toEqual(await outcomes(new CpuBackend()));
    expect(Object.values(wasm).filter((o) => o === 'DisposedError')).toHaveLength(9);
  });
});

describe('the wasm trainer holds the data sets it uploaded only until they are disposed', () => {
  it("during a fit its two sets; after fits, predicts and evaluates none", async () => {
    const spec = NETS[1];
    const { x, y } = dataFor(spec, 12, 7);
    const model = await Model.create(spec, { shared: await wasmBackend() });
    try {
      const held = (): number => (model as unknown as { fitState: { trainer: { datas: Set<unknown> } } }).fitState.trainer.datas.size;
      const during: number[] = [];
      for (let k = 0; k < 3; k++) {
        await model.fit({ x, y, batchSize: 4, validation: 0.25, optimizer: { name: 'sgd', lr: 0.1 }, onEpoch: () => { during.push(held()); } });
        await model.predict(x);
        await model.evaluate(x, y);
      }
      expect(during).toEqual([2, 2, 2]);
      expect(held()).toBe(0);
    } finally {
      model.dispose();
    }
  });
});

describe('no leak on wasm over every call (reliability checklist item 13)', () => {
  it('live placements (nets, fit reservations) and memory constant over 20 cycles of every call after warm-up, none after dispose', async () => {
    const spec = NETS[1];
    const { x, y } = dataFor(spec, 12, 7);
    const backend = await WasmBackend.create({ threads: 2 });
    const placed = (): number => (backend as unknown as { placed: unknown[] }).placed.length;
    const model = await Model.create({ ...spec, lr: 0.1, x, y }, { shared: backend });
    const ck = await model.save();
    const cycle = (): Promise<void> => everyCall(model, x, y, ck, 4, 25);
    try {
      await cycle();
      await cycle();
      const warm = [placed(), backend.memory.buffer.byteLength];
      const counts: number[][] = [];
      for (let k = 0; k < 20; k++) {
        await cycle();
        counts.push([placed(), backend.memory.buffer.byteLength]);
      }
      expect(new Set(counts.map((c) => c.join())), JSON.stringify(warm)).toEqual(new Set([warm.join()]));
      model.dispose();
      expect(placed()).toBe(0);
    } finally {
      model.dispose();
      backend.dispose();
    }
  });
});

describe('fit on wasm: no allocation per step', () => {
  // As test/fit-resources.test.ts does for the CPU: a partial last batch (23 = 4·5 + 3), several submissions per epoch; the
  // first fit call is the warm-up (it makes the trainer and the partial batch's net), the next one's are counted.
  for (const opt of OPTIMIZERS) {
    it(`${opt.name}${opt.nesterov ? ' (nesterov)' : ''}: runBatches constructs no typed array or ArrayBuffer after the first epoch`, async () => {
      const spec = NETS[0];
      const model = await Model.create(spec, { shared: await wasmBackend() });
      const { x, y } = dataFor(spec, 23, 4);
      const run = { x, y, batchSize: 5, optimizer: opt, batchesPerSubmission: 2, shuffle: { seed: 3 } };
      await model.fit({ ...run, epochs: 1 });
      const original = WasmTrainer.prototype.runBatches;
      const calls: Allocations[] = [];
      WasmTrainer.prototype.runBatches = function (this: WasmTrainer, ...args: Parameters<WasmTrainer['runBatches']>) {
        calls.push(counted(() => original.apply(this, args)));
      };
      try {
        await model.fit({ ...run, epochs: 3 });
      } finally {
        WasmTrainer.prototype.runBatches = original;
      }
      expect(calls.length).toBe(3 * 3);
      expect(calls.flatMap((c) => c.what)).toEqual([]);
      model.dispose();
    });
  }
});

describe('fit on wasm is deterministic (reliability checklist item 15: 10 repeats bitwise)', () => {
  it("10 repeats of one fit on 3 threads (Adam, a partial last batch, a held-out fraction), and the same fit on 1 thread, give the same bits, within fit-compare.ts's bound of the CPU's", async () => {
    // 32-64-10 at batches of 128: 344 064 multiply-adds a step, past THREAD_MIN_WORK, so the batch nets run on 3 threads.
    const spec: NetworkSpec = { inputs: 32, layers: [{ units: 64, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 2 } };
    expect(netThreads(validateNet(spec), 128, 3)).toBe(3);
    const rand = mulberry32(3);
    const x = Array.from({ length: 600 }, () => Array.from({ length: 32 }, () => 2 * rand() - 1));
    const y = x.map((_, c) => Array.from({ length: 10 }, (_, j) => (j === c % 10 ? 1 : 0)));
    const run = { x, y, batchSize: 128, epochs: 2, optimizer: { name: 'adam' as const, lr: 0.01 }, shuffle: { seed: 3 }, validation: 0.2 };
    const runs = new Set<string>();
    for (const threads of [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1]) {
      const backend = await WasmBackend.create({ threads });
      expect(backend.threads).toBe(threads);
      const model = await Model.create(spec, { shared: backend });
      const h = await model.fit(run);
      const s = model.optimizerState()!;
      runs.add(JSON.stringify([bits(await model.getParams()), bits(s.slots.m!), bits(s.slots.v!), h.map((e) => [e.loss, e.accuracy, e.valLoss, e.valAccuracy, e.maxAbsParam]), await model.evaluate(x, y)]));
      model.dispose();
      backend.dispose();
    }
    expect(runs.size).toBe(1);
    // And that one run against the oracle: the fit tests above use nets small enough to run on one thread whatever the
    // backend's count, so here a fit whose full batches run on 3 threads meets the CPU itself (480 training examples in
    // batches of 128: 4 a epoch, 8 steps), within test/lib/fit-compare.ts's bound.
    const backend = await WasmBackend.create({ threads: 3 });
    const [w, c] = [await Model.create(spec, { shared: backend }), await Model.create(spec, { backend: 'cpu' })];
    try {
      expect((await fitAgainstCpu(w, c, run, 8)).problems).toEqual([]);
    } finally {
      w.dispose();
      c.dispose();
      backend.dispose();
    }
  });

  it("the same fit on another tiling (Chromium's 6 × 2, 5 × 1 with K blocks of 7) gives the default's bits, its partial-batch nets on 2 threads too", async () => {
    // 784-16-10, 300 examples at batches of 64 (Adam): 4 full batches and one of 44, both past THREAD_MIN_WORK, so the
    // partial-batch net (on the full net's arrays, src/wasm/train.ts) runs on 2 threads, with the tiling's strips.
    const spec: NetworkSpec = { inputs: 784, layers: [{ units: 16, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 4 } };
    expect([netThreads(validateNet(spec), 64, 2), netThreads(validateNet(spec), 44, 2)]).toEqual([2, 2]);
    const rand = mulberry32(8);
    const x = Array.from({ length: 300 }, () => Array.from({ length: 784 }, () => rand()));
    const y = x.map((_, c) => Array.from({ length: 10 }, (_, j) => (j === c % 10 ? 1 : 0)));
    const run = { x, y, batchSize: 64, epochs: 2, optimizer: { name: 'adam' as const, lr: 0.01 }, shuffle: { seed: 5 } };
    const runs: string[] = [];
    for (const tiling of [undefined, RELAXED_TILING, { MR: 5, NV: 1, KC: 7 }]) {
      const backend = await WasmBackend.create({ threads: 2, ...(tiling ? { tiling } : {}) });
      const model = await Model.create(spec, { shared: backend });
      const h = await model.fit(run);
      runs.push(JSON.stringify([bits(await model.getParams()), bits(model.optimizerState()!.slots.v!), h.map((e) => [e.loss, e.accuracy]), await model.evaluate(x, y)]));
      model.dispose();
      backend.dispose();
    }
    expect(runs.map((r) => r === runs[0])).toEqual([true, true, true]);
  });
});
