/**
 * model.fit on WebGPU (SwiftShader here), in the page, against the CPU oracle in the same page:
 * - every optimiser (plain and Nesterov momentum), several epochs on seeded random nets (every activation, loss and
 *   bias mode; batch sizes that do and do not divide n; one run with dropLast): WebGPU within a bound that grows with
 *   the number of steps of the CPU's parameters and the whole history (loss, accuracy, valLoss, valAccuracy); the
 *   same fit with another shuffle seed lands far outside that bound (so the batches and their order are the same);
 *   predict on 300 examples (chunks of 4) against grad's A_L on the same x;
 * - fit(batchSize = n, shuffle false, sgd) is bitwise train({steps: epochs}) (per-kernel path on both);
 * - save → load → continue is bitwise the uninterrupted run, and a checkpoint loads bitwise on the other backend;
 * - bad options: a typed error naming the field, before any GPU work (no buffer made), the model unchanged; fit's
 *   data over the device budget: a LimitError naming x, no buffer made; a data set past the device's binding limit
 *   likewise, for fit, predict and evaluate;
 * - a 50-epoch fit leaks no buffers (the live count is the same after every epoch, and back after dispose);
 * - lrSchedule (test/fit-lr-schedule.test.ts on cpu and wasm): a 3-epoch step schedule within the bound of the CPU's
 *   fit, bitwise a chain of one-epoch fits at the scheduled lrs;
 * - earlyStopping with restoreBest (test/fit-early-stop.test.ts on cpu and wasm): it stops where Keras' rule over the
 *   unstopped WebGPU fit's history stops (and the CPU's history, in the same page, stops there too), with that
 *   history's entries bitwise, and the model holds the parameters onEpoch read at the best epoch;
 * - MNIST 784-128-10 Adam, 5 epochs: test accuracy ≥ MNIST_BAR (test/lib/mnist-fit.ts; BACKPROP_MNIST_FIT=0 skips it).
 */
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { MNIST_STANDARDIZE, MNIST_TEST, MNIST_TRAIN, mnistAll } from '../../src/node/mnist.ts';
import { useHarnessPage } from './lib.ts';
import { MNIST_BAR } from '../lib/mnist-fit.ts';
import { fitRel } from '../lib/fit-compare.ts';
import { ES_FIT, ES_SPEC, ES_TRAIN, ES_VAL, kerasStop } from '../lib/early-stop-fit.ts';

let page: Page;
const consoleErrors: string[] = [];
useHarnessPage(consoleErrors, (p) => {
  page = p;
});

/** Runs `body` in the page with the modules it needs (a plain import() would be rewritten by vitest). */
async function inPage<A, R>(arg: A, body: string): Promise<R> {
  return page.evaluate(async (a: unknown, src: string) => {
    const load = new Function('url', 'return import(url)') as (url: string) => Promise<Record<string, unknown>>;
    const mods = {
      Model: (await load('/src/model.ts')).Model,
      WebGpuBackend: (await load('/src/webgpu/backend.ts')).WebGpuBackend,
      mulberry32: (await load('/src/init.ts')).mulberry32,
    };
    const fn = new Function('m', 'arg', `return (async () => { ${src} })();`) as (m: unknown, arg: unknown) => Promise<unknown>;
    return fn(mods, a);
  }, arg as unknown, body) as Promise<R>;
}

/** Page-side helpers, prepended to each body: seeded data for a spec, bit strings, max relative difference. */
const HELPERS = `
const { Model, WebGpuBackend, mulberry32 } = m;
const dataFor = (spec, n, seed) => {
  const rand = mulberry32(seed);
  const outputs = spec.layers[spec.layers.length - 1].units;
  const x = Array.from({ length: n }, () => Array.from({ length: spec.inputs }, () => 2 * rand() - 1));
  const y = x.map((row, c) => spec.loss === 'softmax-cross-entropy' ? Array.from({ length: outputs }, (_, j) => (j === c % outputs ? 1 : 0))
    : spec.loss === 'bce' ? Array.from({ length: outputs }, (_, j) => (row[j % row.length] > 0 ? 1 : 0))
    : Array.from({ length: outputs }, (_, j) => Math.sin(row[0] + j)));
  return { x, y };
};
// One WebGPU backend (one device) for the file's tests but the one that wants its own (fused 'off'), made by the first:
// a fresh device compiles every pipeline again (~2 s a test on SwiftShader). Each test's counts are its own (buffers
// created between two reads), and the page's close ends the device.
const fileGpu = () => (globalThis.fitGpu ??= WebGpuBackend.create());
const bits = (p) => JSON.stringify([...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))));
const relDiff = (p, q) => {
  let worst = 0;
  [...p.W, ...p.b].forEach((a, i) => a.forEach((v, k) => { const w = [...q.W, ...q.b][i][k]; worst = Math.max(worst, Math.abs(v - w) / Math.max(1, Math.abs(w))); }));
  return worst;
};
`;

const NETS = [
  {
    inputs: 3, layers: [{ units: 5, activation: 'tanh' }, { units: 4, activation: 'relu', bias: 'shared' }, { units: 3, activation: 'softmax', bias: 'none' }],
    loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 5 },
  },
  { inputs: 2, layers: [{ units: 4, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid', bias: 'shared' }], loss: 'bce', reduction: 'sum', init: { scheme: 'xavier', seed: 2 } },
  { inputs: 4, layers: [{ units: 3, activation: 'identity', bias: 'none' }, { units: 2, activation: 'identity' }], loss: 'mse', init: { scheme: 'uniform', seed: 9 } },
];
const OPTIMIZERS = [
  { name: 'sgd', lr: 0.1, weightDecay: 0.01 },
  { name: 'momentum', lr: 0.05, momentum: 0.9 }, // heavy ball: update.wgsl's non-Nesterov branch
  { name: 'momentum', lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.001 },
  { name: 'adam', lr: 0.01, weightDecay: 0.001 },
  { name: 'adamw', lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.05 },
];

type History = { epoch: number; loss: number; accuracy?: number; valLoss?: number; valAccuracy?: number }[];

describe('fit on WebGPU against the CPU oracle', () => {
  it('every optimiser, every net, batch sizes that do and do not divide n: within a bound growing with the steps', async () => {
    type Row = { name: string; B: number; dropLast: boolean; steps: number; diff: number; otherSeed: number; t: number[]; ha: History; hc: History; predict?: { n: number; worst: number } };
    const out = await inPage<{ nets: unknown[]; opts: unknown[] }, Row[]>({ nets: NETS, opts: OPTIMIZERS }, `${HELPERS}
      const gpu = await fileGpu();
      const rows = [];
      const plain = (h) => h.map((e) => ({ epoch: e.epoch, loss: e.loss, accuracy: e.accuracy, valLoss: e.valLoss, valAccuracy: e.valAccuracy }));
      await gpu.withErrorScopes('fit parity', async () => {
        // Every net with every optimiser; the batch size alternates between 4 (a partial last batch of 2) and 7;
        // the third run drops its partial last batch (dropLast).
        let k = 0;
        for (const spec of arg.nets) for (const opt of arg.opts) {
          const dropLast = k === 2;
          const B = k++ % 2 === 0 ? 4 : 7;
          const { x, y } = dataFor(spec, 14, 3);
          const run = { x, y, batchSize: B, epochs: 3, optimizer: opt, shuffle: { seed: 11 }, validation: dataFor(spec, 9, 5), dropLast };
          const a = await Model.create(spec, { shared: gpu });
          const c = await Model.create(spec, { backend: 'cpu' });
          const o = await Model.create(spec, { backend: 'cpu' });
          const ha = await a.fit(run);
          const hc = await c.fit(run);
          await o.fit({ ...run, shuffle: { seed: 12 } });
          const pa = await a.getParams(), pc = await c.getParams(), po = await o.getParams();
          const row = { name: spec.loss + ' ' + opt.name, B, dropLast, steps: 3 * (dropLast ? Math.floor(14 / B) : Math.ceil(14 / B)), diff: relDiff(pa, pc), otherSeed: relDiff(po, pc), t: [a.optimizerState().t, c.optimizerState().t], ha: plain(ha), hc: plain(hc) };
          if (k === 1) {
            // predict on n > batch (300 examples in chunks of the fit's 4) against grad's A_L on the same x
            const more = dataFor(spec, 300, 8);
            const rowsA = await a.predict(more.x);
            const g = await a.grad(more.x, more.y);
            const AL = g.A[g.A.length - 1];
            let worst = 0;
            rowsA.forEach((r, col) => r.forEach((v, i) => { worst = Math.max(worst, Math.abs(v - AL[i * 300 + col])); }));
            row.predict = { n: rowsA.length, worst };
          }
          rows.push(row);
          a.dispose(); c.dispose(); o.dispose();
        }
      });
      return rows;`);
    expect(out).toHaveLength(NETS.length * OPTIMIZERS.length);
    expect(out.filter((r) => r.dropLast).map((r) => [r.B, r.t[0]])).toEqual([[4, 9]]);
    for (const r of out) {
      // NOTE: float32 on both sides, different summation orders (reduce_rows' tree, the GPU's fused
      // multiply-adds, lr·g rounded in float32): ~1e-7 relative per step, compounding through the gradients.
      const bound = fitRel(r.steps); // test/lib/fit-compare.ts's NOTE
      const what = `${r.name} B=${r.B}${r.dropLast ? ' dropLast' : ''}`;
      expect(r.diff, what).toBeLessThan(bound);
      expect(r.otherSeed, `${what}: another order must differ`).toBeGreaterThan(10 * bound);
      expect(r.t).toEqual([r.steps, r.steps]);
      // The history (epoch_sums.wgsl, the validation pass): accuracies exactly (the same predictions counted), losses
      // within the parameters' bound (relative to max(1, |loss|)): the losses are computed from those parameters.
      expect(r.ha.map((h) => [h.epoch, h.accuracy, h.valAccuracy]), what).toEqual(r.hc.map((h) => [h.epoch, h.accuracy, h.valAccuracy]));
      expect(r.hc.every((h) => h.valLoss !== undefined && (h.accuracy === undefined) === r.name.startsWith('mse')), what).toBe(true);
      r.ha.forEach((h, e) => {
        for (const key of ['loss', 'valLoss'] as const) {
          expect(Math.abs(h[key]! - r.hc[e][key]!), `${what} epoch ${e + 1} ${key}: ${h[key]} vs ${r.hc[e][key]}`).toBeLessThan(bound * Math.max(1, Math.abs(r.hc[e][key]!)));
        }
      });
    }
    // NOTE: predict and grad on WebGPU run the forward kernels at other column counts (4 vs 300): float32 rounding
    // of a 3-5-4-3 net's A_L ∈ [0, 1], a few ulps (6e-8) per layer; 1e-6 absolute.
    const predicted = out.filter((r) => r.predict);
    expect(predicted.map((r) => r.predict!.n)).toEqual([300]);
    expect(predicted[0].predict!.worst).toBeLessThan(1e-6);
  });

  it('fit(batchSize = n, shuffle false, sgd) is bitwise train({steps: epochs}); checkpoints resume bitwise', async () => {
    const out = await inPage<unknown, Record<string, unknown>>(NETS[0], `${HELPERS}
      const spec = arg;
      // fused 'off': train() takes the per-kernel path that fit uses (the fused kernel sums in another order).
      const gpu = await WebGpuBackend.create({ fused: 'off' });
      try {
        return await gpu.withErrorScopes('fit bitwise', async () => {
          const { x, y } = dataFor(spec, 12, 4);
          const a = await Model.create({ ...spec, x, y }, { shared: gpu });
          const b = await Model.create({ ...spec, x, y }, { shared: gpu });
          await a.fit({ batchSize: 12, epochs: 6, shuffle: false, optimizer: { name: 'sgd', lr: 0.3 } });
          await b.train({ steps: 6, lr: 0.3 });
          const trainEqual = bits(await a.getParams()) === bits(await b.getParams());
          const resumed = {};
          // momentum (one state slot) and adamw (two); the CPU test covers all four.
          for (const opt of ['momentum', 'adamw']) {
            const run = { x, y, batchSize: 5, optimizer: opt, shuffle: { seed: 3 } };
            const whole = await Model.create(spec, { shared: gpu });
            await whole.fit({ ...run, epochs: 4 });
            const first = await Model.create(spec, { shared: gpu });
            await first.fit({ ...run, epochs: 2 });
            const bytes = await first.save();
            const again = await Model.load(bytes, { shared: gpu });
            const loaded = bits(await again.getParams()) === bits(await first.getParams());
            await again.fit({ ...run, epochs: 2 });
            const onCpu = await Model.load(bytes, { backend: 'cpu' });
            // and the other way: a CPU checkpoint loads on WebGPU with bitwise its parameters (read back from the GPU
            // after a grad, which writes them there and updates nothing), optimiser state and epochs; then 2 more epochs
            // on each stay within the fit bound below (6 steps), which they would not with the state lost
            const cpuFirst = await Model.create(spec, { backend: 'cpu' });
            await cpuFirst.fit({ ...run, epochs: 2 });
            const onGpu = await Model.load(await cpuFirst.save(), { shared: gpu });
            await onGpu.grad(x, y);
            const f32Bits = (_, v) => (v instanceof Float32Array ? Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length)) : v);
            const gpuLoad = bits(await onGpu.getParams()) === bits(await cpuFirst.getParams()) && JSON.stringify(onGpu.optimizerState(), f32Bits) === JSON.stringify(cpuFirst.optimizerState(), f32Bits) && onGpu.epochsTrained === 2;
            await onGpu.fit({ ...run, epochs: 2 });
            await cpuFirst.fit({ ...run, epochs: 2 });
            const gpuContinued = relDiff(await onGpu.getParams(), await cpuFirst.getParams()) < ${fitRel(6)} && onGpu.optimizerState().t === 12;
            resumed[opt] = { loaded, continued: bits(await again.getParams()) === bits(await whole.getParams()), cpuLoad: bits(await onCpu.getParams()) === bits(await first.getParams()), gpuLoad, gpuContinued, t: again.optimizerState().t };
            whole.dispose(); first.dispose(); again.dispose(); onCpu.dispose(); cpuFirst.dispose(); onGpu.dispose();
          }
          a.dispose(); b.dispose();
          return { trainEqual, resumed };
        });
      } finally { gpu.dispose(); }`);
    expect(out.trainEqual).toBe(true);
    const ok = { loaded: true, continued: true, cpuLoad: true, gpuLoad: true, gpuContinued: true, t: 12 };
    expect(out.resumed).toEqual({ momentum: ok, adamw: ok });
  });

  it('bad options: typed errors naming the field before any GPU work, model unchanged; 50 epochs leak no buffers', async () => {
    const out = await inPage<unknown, Record<string, unknown>>(NETS[0], `${HELPERS}
      const spec = arg;
      const gpu = await fileGpu();
      return await gpu.withErrorScopes('fit errors', async () => {
        const { x, y } = dataFor(spec, 12, 4);
        const model = await Model.create(spec, { shared: gpu });
        await model.fit({ x, y, batchSize: 5, epochs: 1, optimizer: 'adam' });
        const before = bits(await model.getParams());
        const created = gpu.buffers.created;
        const cases = [
          { batchSize: 0 }, { batchSize: 2.5 }, { batchSize: 13 }, { epochs: 0 }, { optimizer: 'rmsprop' },
          { optimizer: { name: 'adam', beta1: 1 } }, { optimizer: { name: 'adam', beta2: 1.5 } }, { optimizer: { name: 'adam', eps: 0 } },
          { optimizer: { name: 'adamw', weightDecay: -0.1 } }, { validation: { x: [[1, 2]], y: [[1, 0, 0]] } }, { validation: 0 },
          // fine in float64, changed by the float32 update.wgsl reads: fround(1e-46) = 0, fround(1 − 1e-9) = 1, fround(1e39) = Infinity
          { optimizer: { name: 'adam', eps: 1e-46 } }, { optimizer: { name: 'adam', beta1: 1 - 1e-9 } }, { optimizer: { name: 'sgd', lr: 1e39 } },
          { validation: { x: [[1, NaN, 3]], y: [[1, 0, 0]] } },
        ];
        const fields = [];
        for (const c of cases) {
          try { await model.fit({ x, y, ...c }); fields.push('resolved'); } catch (e) { fields.push(e.name + ' ' + e.field); }
        }
        const noGpuWork = gpu.buffers.created === created;
        const unchanged = bits(await model.getParams()) === before && model.epochsTrained === 1;
        model.dispose();
        // fit's data over the device budget (20 000 examples × 6 values; 256 KiB of GPU memory): refused first
        const small = await Model.create(spec, { shared: gpu, budget: { deviceBytes: 256 * 1024 } });
        const smallBefore = gpu.buffers.created;
        let budget = 'resolved';
        try {
          await small.fit({ x: { examples: 20000, data: new Float32Array(60000) }, y: { examples: 20000, data: new Float32Array(60000) } });
        } catch (e) { budget = e.name + ' ' + e.field + (/of GPU memory .* over the device budget of 256 KiB/.test(e.message) ? ' (GPU memory, bytes)' : ' ' + e.message); }
        const budgetNoGpuWork = gpu.buffers.created === smallBefore && small.epochsTrained === 0;
        small.dispose();
        // a data set past the device's binding limit (counted from examples, never allocated): refused naming x
        const roomy = await Model.create(spec, { shared: gpu, budget: { hostBytes: 1e15, deviceBytes: 1e15 } });
        const limit = Math.min(gpu.limits.maxStorageBufferBindingSize, gpu.limits.maxBufferSize);
        const nBig = Math.floor(limit / (4 * spec.inputs)) + 1;
        const roomyBefore = gpu.buffers.created;
        let binding = 'resolved';
        try {
          await roomy.fit({ x: { examples: nBig, data: [] }, y: { examples: nBig, data: [] } });
        } catch (e) { binding = e.name + ' ' + e.field + (/maxStorageBufferBindingSize/.test(e.message) ? ' (binding limit)' : ' ' + e.message); }
        // predict and evaluate bind their data whole too: the same refusal, before any buffer
        for (const call of [() => roomy.predict({ examples: nBig, data: [] }), () => roomy.evaluate({ examples: nBig, data: [] }, { examples: nBig, data: [] })]) {
          try { await call(); binding += ' resolved'; } catch (e) { binding += ' | ' + e.name + ' ' + e.field + (/maxStorageBufferBindingSize/.test(e.message) ? ' (binding limit)' : ' ' + e.message); }
        }
        const bindingNoGpuWork = gpu.buffers.created === roomyBefore && roomy.epochsTrained === 0;
        roomy.dispose();
        // 50 epochs, a partial batch and validation every epoch: the live buffer count after each epoch
        const live = () => gpu.buffers.created - gpu.buffers.destroyed;
        const start = live();
        const m2 = await Model.create(spec, { shared: gpu });
        const perEpoch = [];
        const history = await m2.fit({ x: x.slice(0, 8), y: y.slice(0, 8), batchSize: 3, epochs: 50, optimizer: 'momentum', validation: 0.25, onEpoch: () => { perEpoch.push(live()); } });
        m2.dispose();
        return { fields, noGpuWork, unchanged, budget, budgetNoGpuWork, binding, bindingNoGpuWork, perEpoch: [...new Set(perEpoch)], after: live() - start, epochs: history.length };
      });`);
    expect(out.fields).toEqual([
      'SpecError batchSize', 'SpecError batchSize', 'SpecError batchSize', 'SpecError epochs', 'SpecError optimizer.name',
      'SpecError optimizer.beta1', 'SpecError optimizer.beta2', 'SpecError optimizer.eps', 'SpecError optimizer.weightDecay',
      'ShapeError validation.x[0]', 'SpecError validation',
      'SpecError optimizer.eps', 'SpecError optimizer.beta1', 'SpecError optimizer.lr', 'NonFiniteError validation.x[0][1]',
    ]);
    expect(out.noGpuWork).toBe(true);
    expect(out.unchanged).toBe(true);
    expect(out.budget).toBe('LimitError x (GPU memory, bytes)');
    expect(out.budgetNoGpuWork).toBe(true);
    expect(out.binding).toBe('LimitError x (binding limit) | LimitError x (binding limit) | LimitError x (binding limit)');
    expect(out.bindingNoGpuWork).toBe(true);
    expect(out.epochs).toBe(50);
    expect((out.perEpoch as number[]).length).toBe(1);
    expect(out.after).toBe(0);
  });
});

describe('fit on WebGPU: optimiser state past float32 (test/fit.test.ts on cpu and wasm)', () => {
  // L = ½(W·x)² = 5e35 and g = W·x² = 1e21: Adam's v = (1 − β2)·g² = 1e39 overflows float32 while W stays 1e15.
  it('Adam state past float32 with finite parameters is a DivergedError naming the state, parameters as before', async () => {
    const out = await inPage<null, Record<string, unknown>>(null, `${HELPERS}
      const gpu = await fileGpu();
      return await gpu.withErrorScopes('state divergence', async () => {
        const model = await Model.create({ inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[1e15]]], b: [[0]] } }, { shared: gpu });
        const before = bits(await model.getParams());
        let error = 'resolved';
        try { await model.fit({ x: [[1000]], y: [[0]], epochs: 1, batchSize: 1, optimizer: 'adam' }); } catch (e) { error = e.name + ': ' + e.message; }
        const restored = bits(await model.getParams()) === before && model.epochsTrained === 0;
        model.dispose();
        return { error, restored };
      });`);
    expect(out.error).toMatch(/^DivergedError: .*the optimiser's v state became ±Infinity or NaN \(the loss was (4\.99\d*|5(\.0\d*)?)e\+35;/);
    expect(out.restored).toBe(true);
  });
});

describe('fit on WebGPU with earlyStopping (test/fit-early-stop.test.ts on cpu and wasm)', () => {
  it("stops where Keras' rule over the unstopped fit's history does; restoreBest puts back onEpoch's best epoch", async () => {
    type Run = { history: History; epochs: number; params: string; seen: string[] };
    const out = await inPage<unknown, { full: History; cpu: History; stopped: Run }>({ spec: ES_SPEC, train: ES_TRAIN, val: ES_VAL, fit: ES_FIT }, `${HELPERS}
      const { spec, train, val, fit } = arg;
      const opts = { ...fit, x: train.x, y: train.y, validation: { x: val.x, y: val.y }, epochs: 10 };
      const gpu = await fileGpu();
      const run = async (backend, extra) => {
        const model = await Model.create(spec, backend === 'cpu' ? { backend: 'cpu' } : { shared: gpu });
        try {
          const seen = [];
          const history = await model.fit({ ...opts, ...extra, onEpoch: async () => { seen.push(bits(await model.getParams())); } });
          return { history, epochs: model.epochsTrained, params: bits(await model.getParams()), seen };
        } finally { model.dispose(); }
      };
      const full = (await run('webgpu', {})).history, cpu = (await run('cpu', {})).history;
      const stopped = await run('webgpu', { earlyStopping: { patience: 2, minDelta: 0.01, restoreBest: true } });
      return { full, cpu, stopped };`);
    const want = kerasStop(out.full.map((e) => e.valLoss!), 2, 0.01, false);
    expect(kerasStop(out.cpu.map((e) => e.valLoss!), 2, 0.01, false)).toEqual(want);
    expect(want.best).toBeLessThan(want.epochs);
    expect(want.epochs).toBeLessThan(10);
    const { stopped } = out;
    const strip = ({ epoch, loss, accuracy, valLoss, valAccuracy }: History[number]) => ({ epoch, loss, accuracy, valLoss, valAccuracy });
    expect(stopped.history.map(strip)).toEqual(out.full.slice(0, want.epochs).map(strip));
    expect((stopped.history.at(-1) as { earlyStop?: unknown }).earlyStop).toEqual({ stopped: true, bestEpoch: want.best });
    expect(stopped.epochs).toBe(want.best);
    expect(stopped.seen).toHaveLength(want.epochs);
    expect(stopped.params).toBe(stopped.seen[want.best - 1]);
    expect(stopped.params).not.toBe(stopped.seen[want.epochs - 1]);
  });
});

describe('fit on WebGPU with lrSchedule (test/fit-lr-schedule.test.ts on cpu and wasm)', () => {
  it('a step schedule: the lrs halve, within the bound of the CPU\'s fit, bitwise a chain of one-epoch fits at those lrs', async () => {
    const out = await inPage<unknown, { lrs: number[][]; gpu: string; chain: string; cpuRel: number }>({ spec: ES_SPEC, train: ES_TRAIN }, `${HELPERS}
      const { spec, train } = arg;
      const opts = { x: train.x, y: train.y, batchSize: 4 };
      const adam = (lr) => ({ name: 'adam', lr });
      const gpu = await fileGpu();
      const made = [];
      const make = async (backend) => { const m = await Model.create(spec, backend === 'cpu' ? { backend: 'cpu' } : { shared: gpu }); made.push(m); return m; };
      try {
        const lrSchedule = { name: 'step', stepSize: 1, gamma: 0.5 };
        const [g, c, chain] = [await make('webgpu'), await make('cpu'), await make('webgpu')];
        const hg = await g.fit({ ...opts, epochs: 3, optimizer: adam(0.05), lrSchedule });
        const hc = await c.fit({ ...opts, epochs: 3, optimizer: adam(0.05), lrSchedule });
        for (const lr of [0.05, 0.025, 0.0125]) await chain.fit({ ...opts, epochs: 1, optimizer: adam(lr) });
        return { lrs: [hg.map((e) => e.lr), hc.map((e) => e.lr)], gpu: bits(await g.getParams()), chain: bits(await chain.getParams()),
          cpuRel: relDiff(await g.getParams(), await c.getParams()) };
      } finally { made.forEach((m) => m.dispose()); }`);
    expect(out.lrs).toEqual([[0.05, 0.025, 0.0125], [0.05, 0.025, 0.0125]]);
    expect(out.gpu).toBe(out.chain); // a fit that ran 0.05 throughout would not be the chain's
    expect(out.cpuRel).toBeLessThan(fitRel(18)); // 3 epochs of 6 steps: test/lib/fit-compare.ts's NOTE
  });
});

describe('the model life cycle on WebGPU (test/lifecycle-*.test.ts on cpu and wasm), each against a twin that never met the case (bitwise)', () => {
  it('a batch past the binding limit, onEpoch awaiting save / predict, a fit aborted mid-epoch', async () => {
    const out = await inPage<null, Record<string, unknown>>(null, `${HELPERS}
      const gpu = await fileGpu();
      // 1-4096-1 at a batch whose Z (4096 × n) is one float past the device's binding limit: LimitError from the
      // new step net; the model keeps its parameters and old batch, and makes a net for it again.
      const wide = { inputs: 1, layers: [{ units: 4096, activation: 'identity' }, { units: 1, activation: 'identity' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 }, lr: 1e-3, x: [[0.1], [0.2], [0.3], [0.4]], y: [[0], [1], [1], [0]] };
      const roomy = { shared: gpu, budget: { hostBytes: 1e15, deviceBytes: 1e15 } };
      const model = await Model.create(wide, roomy), twin = await Model.create(wide, roomy);
      await model.train({ steps: 1 });
      await twin.train({ steps: 1 });
      const n = Math.floor(gpu.maxBindingBytes / (4 * 4096)) + 1;
      let big = 'resolved';
      try { await model.train({ steps: 1, x: { examples: n, data: new Float32Array(n) }, y: { examples: n, data: new Float32Array(n) } }); } catch (e) { big = e.name + ' ' + e.field; }
      const after = (await model.train({ steps: 2 })).loss === (await twin.train({ steps: 2 })).loss && bits(await model.getParams()) === bits(await twin.getParams());
      model.dispose(); twin.dispose();
      // onEpoch awaiting save and predict: each checkpoint is the twin's after as many epochs of separate fits.
      const spec = { inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'xavier', seed: 3 } };
      const { x, y } = dataFor(spec, 9, 4);
      const opts = { x, y, batchSize: 4, shuffle: { seed: 7 }, optimizer: { name: 'adam', lr: 0.05 } };
      const a = await Model.create(spec, { shared: gpu }), b = await Model.create(spec, { shared: gpu });
      const seen = [];
      await a.fit({ ...opts, epochs: 2, onEpoch: async () => { seen.push({ ckpt: await a.save(), predict: await a.predict(x.slice(0, 3)), busy: await a.train({ steps: 1, lr: 0.1, x, y }).then(() => 'resolved', (e) => e.name) }); } });
      const epochs = [];
      for (const s of seen) {
        await b.fit({ ...opts, epochs: 1 });
        const ckpt = await b.save();
        epochs.push(s.ckpt.length === ckpt.length && s.ckpt.every((v, i) => v === ckpt[i]) && JSON.stringify(s.predict) === JSON.stringify(await b.predict(x.slice(0, 3))) && s.busy);
      }
      a.dispose(); b.dispose();
      // A fit stopped after 2 of its 5 batches, then a fit: the loss and accuracy of a fresh model of those parameters.
      const c = await Model.create(spec, { shared: gpu });
      const sgd = { x, y, batchSize: 2, batchesPerSubmission: 1, shuffle: false, optimizer: { name: 'sgd', lr: 0.5 } };
      let calls = 0;
      const signal = { aborted: false, throwIfAborted() { if (++calls === 3) this.aborted = true; if (this.aborted) throw new Error('stopped'); } };
      await c.fit({ ...sgd, signal }).catch(() => undefined);
      const { init, ...net } = spec;
      const d = await Model.create({ ...net, params: await c.getParamsSpec() }, { shared: gpu });
      const [hc] = await c.fit(sgd), [hd] = await d.fit(sgd);
      const resumed = [hc.loss, hc.accuracy, hd.loss, hd.accuracy];
      c.dispose(); d.dispose();
      return { big, after, epochs, resumed };`);
    expect(out.big).toBe('LimitError layers[0]');
    expect(out.after).toBe(true);
    expect(out.epochs).toEqual(['BusyError', 'BusyError']);
    const [lc, ac, ld, ad] = out.resumed as number[];
    expect([lc, ac]).toEqual([ld, ad]);
  });
});

describe('MNIST on WebGPU', () => {
  it.skipIf(process.env.BACKPROP_MNIST_FIT === '0')('784-128-10 relu/softmax, Adam lr 1e-3, batch 128, 5 epochs: test accuracy ≥ MNIST_BAR', async () => {
    const m = mnistAll();
    const images = Buffer.from(m.images).toString('base64');
    const labels = Buffer.from(m.labels).toString('base64');
    const { mean, std } = MNIST_STANDARDIZE;
    const out = await inPage<{ images: string; labels: string; train: number; test: number; mean: number; std: number }, { valAccuracy: number; seconds: number }[]>({ images, labels, train: MNIST_TRAIN, test: MNIST_TEST, mean, std }, `${HELPERS}
      const bytes = (s) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));
      const img = bytes(arg.images), lab = bytes(arg.labels);
      const part = (from, to) => {
        const n = to - from;
        const x = new Float32Array(n * 784), y = new Float32Array(n * 10);
        for (let c = 0; c < n; c++) { for (let p = 0; p < 784; p++) x[c * 784 + p] = (img[(from + c) * 784 + p] / 255 - arg.mean) / arg.std; y[c * 10 + lab[from + c]] = 1; }
        return { x: { examples: n, data: x }, y: { examples: n, data: y } };
      };
      const train = part(0, arg.train), test = part(arg.train, arg.train + arg.test);
      const gpu = await fileGpu();
      const model = await Model.create({ inputs: 784, layers: [{ units: 128, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 1 } }, { shared: gpu });
      const h = await gpu.withErrorScopes('mnist fit', () => model.fit({ ...train, validation: test, batchSize: 128, epochs: 5, optimizer: { name: 'adam', lr: 1e-3 }, shuffle: { seed: 1 } }));
      model.dispose();
      return h.map((e) => ({ valAccuracy: e.valAccuracy, seconds: e.seconds }));`);
    console.log(`MNIST fit on WebGPU: ${out.map((e) => `${(100 * e.valAccuracy).toFixed(2)} % (${e.seconds.toFixed(2)} s)`).join(', ')}`);
    expect(out[4].valAccuracy).toBeGreaterThanOrEqual(MNIST_BAR);
  }, 600_000);
});
