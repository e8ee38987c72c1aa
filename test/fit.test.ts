/**
 * model.fit on the CPU oracle:
 * - every optimiser against a float64 reference written here from PyTorch's documented update rules
 *   (torch.optim.SGD / Adam / AdamW), on seeded random nets (every activation, loss and bias mode; batch sizes that
 *   do and do not divide n). The reference's gradients come from gradFloat64 (the engine's backprop in float64,
 *   itself checked against finite differences in gradcheck.test.ts); its batching, mean over a partial batch,
 *   and update rules are written from the docs, not from src/train or the kernels; its epoch orders are drawn as
 *   README states (readmeOrder); per epoch it logs the history README describes from float64 forward passes
 *   (test/lib/forward64.ts): loss and accuracy before each update, valLoss and valAccuracy after the epoch, compared
 *   with fit's history and evaluate();
 * - epochOrder is a permutation of 0 … n−1 (n 1 … 1000, several seeds and epochs); shuffle false is the identity;
 * - fit(batchSize = n, shuffle false, sgd) is bitwise train({steps: epochs});
 * - save → load → continue is bitwise the uninterrupted run; a restore into another net or a truncated file is refused;
 * - bad options: a typed error naming the field, the model unchanged;
 * - fit's data over the budget: a LimitError naming x / validation.x and the bytes, before any allocation;
 * - the per-step loop (CpuTrainer.runBatches) constructs no typed array or ArrayBuffer once warmed up;
 * - MNIST 784-128-10 with Adam, 5 epochs: test accuracy at least MNIST_BAR (93 %; test/lib/mnist-fit.ts has the measured figures).
 */
import { describe, expect, it, vi } from 'vitest';
import { checkFitBudget } from '../src/budget.ts';
import { CpuBackend, gradFloat64 } from '../src/cpu/backend.ts';
import { CpuTrainer } from '../src/cpu/train.ts';
import { checkForeignData } from './lib/foreign-data.ts';
import { backendArgProblems } from './lib/backend-args.ts';
import { BackpropError } from '../src/errors.ts';
import { mulberry32 } from '../src/init.ts';
import { Model } from '../src/model.ts';
import { MNIST_BAR, formatMnist, mnistFit } from './lib/mnist-fit.ts';
import { type Allocations, counted } from './lib/count-allocations.ts';
import type { NetworkSpec, Params } from '../src/spec.ts';
import { type Net, validateNet } from '../src/spec.ts';
import { exampleLoss, forward64, isCorrect } from './lib/forward64.ts';
import { epochOrder } from '../src/train/fit.ts'; // under test below; the reference draws its own orders
import type { OptimizerSpec } from '../src/train/optimizers.ts';

const bits = (p: Params): string => JSON.stringify([...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))));

/** A seeded data set for a net: x in [−1, 1], y fitting its loss. */
function dataFor(spec: NetworkSpec, n: number, seed: number): { x: number[][]; y: number[][] } {
  const rand = mulberry32(seed);
  const outputs = spec.layers[spec.layers.length - 1].units;
  const x = Array.from({ length: n }, () => Array.from({ length: spec.inputs }, () => 2 * rand() - 1));
  const y = x.map((row, c) => {
    if (spec.loss === 'softmax-cross-entropy') return Array.from({ length: outputs }, (_, j) => (j === c % outputs ? 1 : 0));
    if (spec.loss === 'bce') return Array.from({ length: outputs }, (_, j) => (row[j % row.length] > 0 ? 1 : 0));
    return Array.from({ length: outputs }, (_, j) => Math.sin(row[0] + j));
  });
  return { x, y };
}

const NETS: [string, NetworkSpec][] = [
  ['3-5 tanh-4 relu (shared)-3 softmax (none), mean', {
    inputs: 3, layers: [{ units: 5, activation: 'tanh' }, { units: 4, activation: 'relu', bias: 'shared' }, { units: 3, activation: 'softmax', bias: 'none' }],
    loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 5 },
  }],
  ['2-4 sigmoid-1 sigmoid, bce, sum', {
    inputs: 2, layers: [{ units: 4, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid', bias: 'shared' }], loss: 'bce', reduction: 'sum', init: { scheme: 'xavier', seed: 2 },
  }],
  ['4-3 identity-2 identity, mse', {
    inputs: 4, layers: [{ units: 3, activation: 'identity', bias: 'none' }, { units: 2, activation: 'identity' }], loss: 'mse', init: { scheme: 'uniform', seed: 9 },
  }],
];

const OPTIMIZERS: OptimizerSpec[] = [
  { name: 'sgd', lr: 0.1, weightDecay: 0.01 },
  { name: 'momentum', lr: 0.05, momentum: 0.9 },
  { name: 'momentum', lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.001 },
  { name: 'adam', lr: 0.01, weightDecay: 0.001 },
  { name: 'adamw', lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.05 },
];

/**
 * The order of epoch `epoch` as README §Training on data: fit states it (written from that text, not from
 * src/train/fit.ts): mulberry32 (the init generator) seeded with (imul(seed, 0x9e3779b1) ^ imul(epoch + 1,
 * 0x85ebca6b)) >>> 0, then a Fisher–Yates shuffle from the top: for i = n−1 … 1, swap order[i] and order[⌊rand()·(i+1)⌋].
 */
function readmeOrder(n: number, seed: number, epoch: number): number[] {
  const rand = mulberry32((Math.imul(seed, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0);
  const order = Array.from({ length: n }, (_, c) => c);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

describe('epochOrder: the seeded permutation of each epoch', () => {
  it('is a permutation of 0 … n−1 for every n, seed and epoch; epochs and seeds differ; false is the identity; README\'s recipe', () => {
    const seeds = [0, 1, 11, 0xffffffff];
    for (const n of [1, 2, 7, 100, 1000]) {
      const identity = Array.from({ length: n }, (_, c) => c);
      expect(Array.from(epochOrder(n, false, 0)), `n = ${n}, shuffle false`).toEqual(identity);
      expect(Array.from(epochOrder(n, false, 5)), `n = ${n}, shuffle false, epoch 5`).toEqual(identity);
      for (const seed of seeds) {
        const seen = new Set<string>();
        for (const e of [0, 1, 2, 37]) {
          const order = Array.from(epochOrder(n, { seed }, e));
          expect([...order].sort((p, q) => p - q), `n = ${n}, seed ${seed}, epoch ${e}`).toEqual(identity);
          expect(order, `n = ${n}, seed ${seed}, epoch ${e}: README's recipe`).toEqual(readmeOrder(n, seed, e));
          seen.add(order.join());
        }
        // 4 epochs' orders: all different where n! allows it (7! = 5040; the chance of a repeat is ~1e-3 there).
        if (n >= 7) expect(seen.size, `n = ${n}, seed ${seed}: the epochs' orders`).toBe(4);
        if (n >= 7) expect(seen.has(identity.join()), `n = ${n}, seed ${seed}: an identity order`).toBe(false);
      }
      if (n >= 7) {
        const bySeed = new Set(seeds.map((seed) => epochOrder(n, { seed }, 3).join()));
        expect(bySeed.size, `n = ${n}: the seeds' orders of epoch 3`).toBe(seeds.length);
      }
    }
    // n = 2: both orders occur over the epochs
    expect(new Set(Array.from({ length: 20 }, (_, e) => epochOrder(2, { seed: 1 }, e).join())).size).toBe(2);
  });
});

/** What the reference logs per epoch (README: loss and accuracy over the forward passes before each update; val after the epoch). */
interface EpochRef { loss: number; correct: number | undefined; valLoss: number; valCorrect: number | undefined }

/** Mean loss and correct count of the examples x, y by the float64 forward pass (forward64) with parameters p. */
function scoreOn(net: Net, p: Float64Array[], x: number[][], y: number[][]): { loss: number; correct: number | undefined } {
  const L = net.layers.length;
  let loss = 0;
  let correct: number | undefined;
  x.forEach((row, c) => {
    const a = forward64(net, p.slice(0, L), p.slice(L), row);
    loss += exampleLoss(net, a, y[c]);
    const ok = isCorrect(net, a, y[c]);
    if (ok !== undefined) correct = (correct ?? 0) + (ok ? 1 : 0);
  });
  return { loss: loss / x.length, correct };
}

/**
 * The float64 reference: PyTorch's update rules (one param group; W and b alike), mini-batches of `order` with the
 * last one's gradient the mean over its own examples. Per epoch, the history README §Training on data: fit
 * describes, from the float64 forward passes (test/lib/forward64.ts): the mean loss and the correct count over
 * each batch's forward pass before its update, and the validation set's after the epoch.
 */
function reference(spec: NetworkSpec, start: Params, x: number[][], y: number[][], B: number, epochs: number, opt: OptimizerSpec, seed: number,
  val: { x: number[][]; y: number[][] }): { params: Float64Array[]; log: EpochRef[] } {
  const net = validateNet(spec);
  const n = x.length;
  const outputs = net.layers[net.layers.length - 1].units;
  const p = [...start.W, ...start.b].map((a) => Float64Array.from(a));
  const L = net.layers.length;
  const buf = p.map((a) => new Float64Array(a.length));
  const m = p.map((a) => new Float64Array(a.length));
  const v = p.map((a) => new Float64Array(a.length));
  const lr = opt.lr!;
  const wd = opt.weightDecay ?? (opt.name === 'adamw' ? 0.01 : 0);
  const mu = opt.momentum ?? 0.9;
  const b1 = opt.beta1 ?? 0.9;
  const b2 = opt.beta2 ?? 0.999;
  const eps = opt.eps ?? 1e-8;
  let t = 0;
  const log: EpochRef[] = [];
  for (let e = 0; e < epochs; e++) {
    const order = readmeOrder(n, seed, e);
    let lossSum = 0;
    let correct: number | undefined;
    for (let s = 0; s < n; s += B) {
      const idx = order.slice(s, Math.min(s + B, n));
      const k = idx.length;
      const before = scoreOn(net, p, idx.map((ex) => x[ex]), idx.map((ex) => y[ex]));
      lossSum += before.loss * k;
      if (before.correct !== undefined) correct = (correct ?? 0) + before.correct;
      const X = new Float64Array(net.inputs * k);
      const Y = new Float64Array(outputs * k);
      idx.forEach((ex, c) => {
        x[ex].forEach((val, j) => { X[j * k + c] = val; });
        y[ex].forEach((val, j) => { Y[j * k + c] = val; });
      });
      const g = gradFloat64(net, p.slice(0, L), p.slice(L), X, Y, k);
      const grads = [...g.dW, ...g.db];
      t += 1;
      p.forEach((param, i) => {
        for (let q = 0; q < param.length; q++) {
          let gq = grads[i][q];
          if (opt.name === 'adamw') param[q] *= 1 - lr * wd;
          else gq += wd * param[q];
          if (opt.name === 'momentum') {
            buf[i][q] = t === 1 ? gq : mu * buf[i][q] + gq;
            gq = opt.nesterov ? gq + mu * buf[i][q] : buf[i][q];
          }
          if (opt.name === 'adam' || opt.name === 'adamw') {
            m[i][q] = b1 * m[i][q] + (1 - b1) * gq;
            v[i][q] = b2 * v[i][q] + (1 - b2) * gq * gq;
            const mHat = m[i][q] / (1 - b1 ** t);
            const vHat = v[i][q] / (1 - b2 ** t);
            param[q] -= lr * mHat / (Math.sqrt(vHat) + eps);
          } else {
            param[q] -= lr * gq;
          }
        }
      });
    }
    const after = scoreOn(net, p, val.x, val.y);
    log.push({ loss: lossSum / n, correct, valLoss: after.loss, valCorrect: after.correct });
  }
  return { params: p, log };
}

/**
 * NOTE: the history's losses against the float64 ones, relative to max(1, |loss|), times the run's steps: the float32
 * forward pass rounds at ~1e-7 relative (a few ulps through 2–3 layers and the log), and the float32 parameters drift
 * from the float64 ones with each step (~1e-8 relative per step here, below the 2e-6 parameter bound), which moves a
 * loss of these O(1)-weight nets on |x| ≤ 1 by the same order. Measured worst on these 15 × 2 runs: 1.6e-8 × steps.
 */
const LOSS_BOUND = 2e-7;

describe('fit on the CPU against a float64 reference of the PyTorch update rules', () => {
  for (const [name, spec] of NETS) {
    for (const opt of OPTIMIZERS) {
      it(`${name}: ${JSON.stringify(opt)}`, async () => {
        const n = 14;
        const { x, y } = dataFor(spec, n, 3);
        const validation = dataFor(spec, 9, 5);
        for (const B of [4, 7]) { // 4 leaves a partial batch of 2; 7 divides 14
          const model = await Model.create(spec, { backend: 'cpu' });
          const start = await model.getParams();
          const epochs = 3;
          const history = await model.fit({ x, y, batchSize: B, epochs, optimizer: opt, shuffle: { seed: 11 }, validation });
          expect(history.map((h) => h.epoch)).toEqual([1, 2, 3]);
          const got = await model.getParams();
          const { params: want, log } = reference(spec, start, x, y, B, epochs, opt, 11, validation);
          const steps = epochs * Math.ceil(n / B);
          // NOTE: float32 against float64: each step's gradient and update round at ~6e-8 relative; the
          // differences compound through the later gradients, so the bound grows with the number of steps.
          const bound = 2e-6 * steps;
          let worst = 0;
          [...got.W, ...got.b].forEach((a, i) => a.forEach((val, q) => {
            worst = Math.max(worst, Math.abs(val - want[i][q]) / Math.max(1, Math.abs(want[i][q])));
          }));
          expect(worst, `B = ${B}`).toBeLessThan(bound);
          expect(model.optimizerState()!.t).toBe(steps);
          // The history: accuracies exactly (counts of the same predictions; no example sits within the float32
          // differences of a tie or of 0.5 here), losses within LOSS_BOUND (below) of the float64 ones.
          const rows = history.map((h) => [h.loss, h.accuracy, h.valLoss, h.valAccuracy]);
          const wantRows = log.map((r) => [r.loss, r.correct === undefined ? undefined : r.correct / n, r.valLoss, r.valCorrect === undefined ? undefined : r.valCorrect / 9]);
          rows.forEach((row, e) => {
            expect([row[1], row[3]], `B = ${B}, epoch ${e + 1}: accuracy, valAccuracy`).toEqual([wantRows[e][1], wantRows[e][3]]);
            for (const i of [0, 2]) {
              const diff = Math.abs(row[i]! - wantRows[e][i]!) / Math.max(1, Math.abs(wantRows[e][i]!));
              expect(diff, `B = ${B}, epoch ${e + 1}: ${i ? 'valLoss' : 'loss'} ${row[i]} vs ${wantRows[e][i]}`).toBeLessThan(LOSS_BOUND * steps);
            }
          });
          if (spec.loss === 'mse') expect(rows.flatMap((r) => [r[1], r[3]])).toEqual(Array(6).fill(undefined));
          // evaluate() on the validation set: the last epoch's reference values
          const ev = await model.evaluate(validation.x, validation.y);
          expect(ev.accuracy).toEqual(wantRows[epochs - 1][3]);
          expect(Math.abs(ev.loss - log[epochs - 1].valLoss) / Math.max(1, log[epochs - 1].valLoss)).toBeLessThan(LOSS_BOUND * steps);
          model.dispose();
        }
      });
    }
  }
});

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

  it('a diverging fit rejects with DivergedError and restores the parameters and state from before the call', async () => {
    const mse = NETS[2][1];
    const d = dataFor(mse, 12, 4);
    const model = await Model.create(mse, { backend: 'cpu' });
    await model.fit({ ...d, batchSize: 4, epochs: 1, optimizer: { name: 'momentum', lr: 0.01 } });
    const before = bits(await model.getParams());
    const t = model.optimizerState()!.t;
    await expect(model.fit({ ...d, batchSize: 4, epochs: 3, optimizer: { name: 'momentum', lr: 1e30 } })).rejects.toMatchObject({ code: 'DIVERGED' });
    expect(bits(await model.getParams())).toBe(before);
    expect(model.optimizerState()!.t).toBe(t);
    expect(model.epochsTrained).toBe(1);
    expect((await model.fit({ ...d, batchSize: 4, epochs: 1, optimizer: { name: 'momentum', lr: 0.01 } }))[0].epoch).toBe(2);
  });

  // L = ½(W·x)² = 5e35 and g = ∂L/∂W = W·x² = 1e21 here: Adam's v = (1 − β2)·g² = 1e39 is past float32 (3.4e38) while
  // W (1e15) and the loss stay finite, and W's update m̂/(√v̂ + ε) is then 0: the run no longer trains.
  it.each(['cpu', 'wasm'] as const)('%s: Adam state past float32 with finite parameters is a DivergedError naming the state; the saved model loads', async (backend) => {
    const model = await Model.create({ inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[1e15]]], b: [[0]] } }, { backend });
    try {
      const before = bits(await model.getParams());
      const err = await model.fit({ x: [[1000]], y: [[0]], epochs: 1, batchSize: 1, optimizer: 'adam' }).catch((e: unknown) => e);
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
      await expect(run).rejects.toThrow(new RegExp(`^x: ${what}'s data needs [\\d.]+ [KM]iB .* of host memory \\(20000 example\\(s\\) .* over the host budget of 256 KiB`));
      expect(made.what, what).toEqual([]);
    }
    expect(bits(await model.getParams())).toBe(before);
    // Within the budget both run.
    const rows = await model.predict(x);
    expect(rows).toHaveLength(23);
    expect((await model.evaluate(x, y)).loss).toBeGreaterThan(0);
    model.dispose();
  });

  it('the device budget is checked for a WebGPU model: GPU memory, the field and the bytes', () => {
    const net = validateNet(spec);
    expect(() => checkFitBudget(net, 20_000, 0, 32, { device: true, budget: { hostBytes: 2 ** 30, deviceBytes: 256 * 1024, fileBytes: 1 } }))
      .toThrow(/^x: fit's data needs .* of GPU memory \(20000 training example\(s\) × \(3 \+ 3\) values/);
    expect(() => checkFitBudget(net, 20_000, 0, 32, { device: false, budget: { hostBytes: 2 ** 30, deviceBytes: 256 * 1024, fileBytes: 1 } })).not.toThrow();
  });
});

describe('the CPU trainer takes only the data sets it uploaded', () => {
  it("another trainer's data, another backend's and a plain object: SpecError on data before any work; the trainer still works after", async () => {
    await checkForeignData(new CpuBackend(), new CpuBackend());
  });
});

describe("the CPU backend's compile and trainer check their arguments (test/lib/backend-args.ts)", () => {
  it('a net written by hand is taken; a spec, a wrong fanIn, n or batchSize not a positive integer, an unknown optimiser: SpecError naming it', () => {
    expect(backendArgProblems(new CpuBackend())).toEqual([]);
  });
});

describe('fit on the CPU: no allocation per step', () => {
  // Every optimiser, a partial last batch (23 = 4·5 + 3), several submissions per epoch. The first fit call is the
  // warm-up (it makes the trainer and, on first use, the partial batch's buffers); the next one's steps are counted.
  for (const opt of OPTIMIZERS) {
    it(`${JSON.stringify(opt)}: runBatches constructs no typed array or ArrayBuffer after the first epoch`, async () => {
      const spec = NETS[0][1];
      const model = await Model.create(spec, { backend: 'cpu' });
      const { x, y } = dataFor(spec, 23, 4);
      const run = { x, y, batchSize: 5, optimizer: opt, batchesPerSubmission: 2, shuffle: { seed: 3 } };
      await model.fit({ ...run, epochs: 1 });
      const original = CpuTrainer.prototype.runBatches;
      const calls: Allocations[] = [];
      CpuTrainer.prototype.runBatches = function (this: CpuTrainer, ...args: Parameters<CpuTrainer['runBatches']>) {
        calls.push(counted(() => original.apply(this, args)));
      };
      try {
        await model.fit({ ...run, epochs: 3 });
      } finally {
        CpuTrainer.prototype.runBatches = original;
      }
      expect(calls.length).toBe(3 * 3); // 5 batches an epoch, 2 per submission
      expect(calls.flatMap((c) => c.what)).toEqual([]);
      expect(model.optimizerState()!.t).toBe(4 * 5);
      model.dispose();
    });
  }
});

describe('MNIST on the CPU', () => {
  it('784-128-10 relu/softmax, Adam lr 1e-3, batch 128, 5 epochs: test accuracy ≥ MNIST_BAR', async () => {
    const history = await mnistFit({ backend: 'cpu' });
    console.log(`MNIST fit on the CPU: ${formatMnist(history)}`);
    expect(history[4].valAccuracy!).toBeGreaterThanOrEqual(MNIST_BAR);
  }, 120_000);
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
