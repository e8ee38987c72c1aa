/**
 * The lab's state in Node (CPU backend): stepping, training, mini-batches (LabSession, checkLabSpec), and the
 * explanation's float64 weights. Expected numbers come from the lecture's transcription (what lecture 001 printed), not
 * from the lab.
 */
import { describe, expect, it, vi } from 'vitest';
import { DisposedError, DivergedError, SpecError, WebGPUUnavailableError } from '../src/errors.ts';
import { generate2D } from '../src/lab/datasets.ts';
import { LabSession, checkLabSpec } from '../src/lab/session.ts';
import { batchPlan } from '../src/lab/words.ts';
import { Model } from '../src/model.ts';
import { explainer } from '../src/notation/explain.ts';
import { paramsToSpec, validateSpec, type NetworkSpec } from '../src/spec.ts';
import type { NumericClaim } from '../src/worked/worked.ts';
import { worked, xorSpec } from './lib/lab-nets.ts';

function printed(name: string): NumericClaim {
  const c = worked.claims.find((x): x is NumericClaim => x.name === name && 'printed' in x && !x.erratum);
  if (!c) throw new Error(`no clean claim ${name}`);
  return c;
}
const half = (c: NumericClaim) => 0.5 * 10 ** -c.decimals + 1e-9;

describe('checkLabSpec', () => {
  it('needs data, a valid batch size and a valid net, and names the field', () => {
    const { x, y, ...noData } = worked.spec;
    void x; void y;
    expect(() => checkLabSpec(noData)).toThrow(SpecError);
    expect(() => checkLabSpec(noData)).toThrow(/^x:/);
    expect(() => checkLabSpec(xorSpec(), 0)).toThrow(/batch size: must be an integer 1 … 4/);
    expect(() => checkLabSpec(xorSpec(), 5)).toThrow(/batch size/);
    expect(() => checkLabSpec({ ...xorSpec(), layers: [{ units: 4, activation: 'tanhh' }, { units: 1, activation: 'sigmoid' }] })).toThrow(/layers\[0\]\.activation/);
    expect(checkLabSpec(xorSpec(), 2).batchSize).toBe(2);
  });
});

describe('LabSession on the CPU', () => {
  it('steps through the 2-2-1 lecture: forward, loss, backward, update', async () => {
    const s = await LabSession.open(checkLabSpec(structuredClone(worked.spec)), 'cpu', null);
    expect(s.kind).toBe('cpu');
    expect(() => s.reveal('loss')).toThrow(/stage: run Forward first/);
    await s.forward();
    expect(s.stage).toBe('forward');
    const L = printed('L');
    expect(Math.abs(s.pass!.loss - L.printed)).toBeLessThanOrEqual(half(L));
    const yhat = printed('ŷ');
    expect(Math.abs(s.pass!.A[1][0] - yhat.printed)).toBeLessThanOrEqual(half(yhat));
    s.reveal('loss');
    s.reveal('backward');
    const dw5 = worked.claims.find((c): c is NumericClaim => c.name === '∂L/∂w5' && 'printed' in c && c.decimals === 4)!;
    expect(Math.abs(s.pass!.dW[1][0] - dw5.printed)).toBeLessThanOrEqual(half(dw5));
    await s.update();
    expect(s.stage).toBe('update');
    // new w5 = w5 − η·∂L/∂w5 = 0.40 − 0.0001 × 0.0822 (the lecture's expression).
    expect(Math.abs(s.params.W[1][0] - (0.4 - 0.0001 * dw5.printed))).toBeLessThanOrEqual(0.0001 * half(dw5) + 1e-7);
    expect(s.before!.W[1][0]).toBeCloseTo(0.4, 7);
    expect(s.history).toEqual([{ step: 0, loss: s.pass!.loss, kind: 'cpu' }]);
    s.dispose();
  });

  it('trains full-batch in chunks (one loss point per chunk) and the loss falls; the first point is the loss before training', async () => {
    const spec = xorSpec();
    // The loss before any step, from a model of its own (Model.grad: a forward pass, no update).
    const oracle = await Model.create(spec, { backend: 'cpu' });
    const L0 = (await oracle.grad(spec.x!, spec.y!)).loss;
    oracle.dispose();
    const s = await LabSession.open(checkLabSpec(spec), 'cpu', null);
    const seen: number[] = [];
    const done = await s.train(500, (k) => seen.push(k), undefined, 10);
    expect(done).toBe(500);
    // A first chunk of one step (the step-0 point), then chunks of 10, the last of 9: 1 + 49 × 10 + 9.
    expect(seen.length).toBe(51);
    expect(seen[seen.length - 1]).toBe(500);
    expect(s.history.map((p) => p.step).slice(0, 3)).toEqual([0, 10, 20]);
    expect(s.history[0].loss).toBe(L0);
    expect(s.history[s.history.length - 1].step).toBe(499);
    expect(s.history[s.history.length - 1].loss).toBeLessThan(s.history[0].loss / 4);
    // A second Train starts its curve at the step it starts from.
    await s.train(20, () => undefined, undefined, 10);
    expect(s.history.slice(51).map((p) => p.step)).toEqual([500, 510, 519]);
    s.dispose();
  });

  it('without a chunk size, grows the chunks while they are fast: fewer points, the same steps', async () => {
    const s = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    const done = await s.train(5000, () => undefined);
    expect(done).toBe(5000);
    // No chunk is over 5000/50 = 100 steps, so ≥ 50 points. 4 XOR examples on the CPU take microseconds a
    // step, far under 20 ms a chunk, so chunks double from 10 to 100: 10 + 20 + 40 + 80, then 100s → 53 points.
    expect(s.history.length).toBeGreaterThanOrEqual(50);
    expect(s.history.length).toBeLessThan(500);
    expect(s.history[0].step).toBe(0);
    expect(s.history[s.history.length - 1].step).toBe(4999);
    expect(s.steps).toBe(5000);
    s.dispose();
  });

  it('trains in mini-batches: one step per batch, in order, and can be stopped', async () => {
    const d = generate2D('circle', 200, 7);
    const spec: NetworkSpec = { inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 }, x: d.x, y: d.y, lr: 0.5 };
    const s = await LabSession.open(checkLabSpec(spec, 50), 'cpu', null);
    expect(s.batches).toBe(4);
    expect(s.currentRows().x).toEqual(d.x.slice(0, 50));
    let calls = 0;
    const done = await s.train(10, () => { calls++; }, () => calls >= 6);
    expect(done).toBe(6);
    expect(s.history.length).toBe(6);
    expect(s.batchIndex).toBe(6 % 4);
    expect(s.currentRows().x).toEqual(d.x.slice(100, 150));
    s.dispose();
  });

  it('a batch size that does not divide N: the last mini-batch holds the rest, so every example trains each pass', async () => {
    expect(batchPlan(4, 4)).toBe('full batch');
    expect(batchPlan(4, 3)).toBe('2 mini-batches a pass: 1 of 3 examples and a last one of 1');
    expect(batchPlan(200, 50)).toBe('4 mini-batches of 50 examples a pass');
    // MNIST's editor at batch size 1: it read "1000 mini-batches of 1 examples a pass".
    expect(batchPlan(1000, 1)).toBe('1000 mini-batches of 1 example a pass');
    expect(batchPlan(200, 64)).toBe('4 mini-batches a pass: 3 of 64 examples and a last one of 8');
    const spec = xorSpec();
    const s = await LabSession.open(checkLabSpec(spec, 3), 'cpu', null);
    expect(s.batches).toBe(2);
    expect(s.currentRows().x).toEqual(spec.x!.slice(0, 3));
    await s.train(4, () => undefined);
    expect(s.batchIndex).toBe(0);
    // The same four steps by hand on a model of its own: rows 1-3, row 4, rows 1-3, row 4.
    const oracle = await Model.create(spec, { backend: 'cpu' });
    const losses: number[] = [];
    for (const [a, b] of [[0, 3], [3, 4], [0, 3], [3, 4]]) losses.push((await oracle.step(spec.lr!, spec.x!.slice(a, b), spec.y!.slice(a, b))).loss);
    expect(s.history.map((p) => p.loss)).toEqual(losses);
    const mine = s.params;
    const theirs = await oracle.getParams();
    expect(mine.W.map((w) => Array.from(w))).toEqual(theirs.W.map((w) => Array.from(w)));
    // Forward on the last mini-batch shows its one example.
    await s.train(1, () => undefined);
    await s.forward();
    expect(s.shownRows().x).toEqual(spec.x!.slice(3, 4));
    expect(s.pass!.A[1].length).toBe(1);
    oracle.dispose();
    s.dispose();
  });

  it('keeps a trail of the weights for the loss surface: the start, each Update, each chunk; none for big nets', async () => {
    const s = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    const start = s.params;
    await s.update();
    await s.train(30, () => undefined, undefined, 10);
    // Start, after the Update, then after each of the 4 chunks (1, 10, 10 and 9 steps).
    expect(s.trail.length).toBe(6);
    expect(Array.from(s.trail[0].W[0])).toEqual(Array.from(start.W[0]));
    expect(Array.from(s.trail[5].W[0])).toEqual(Array.from(s.params.W[0]));
    expect(s.trail[1].W[0]).not.toEqual(s.trail[0].W[0]);
    await s.setParams(start);
    expect(s.trail).toEqual([]);
    s.dispose();
    // 784-8-10 has 6370 parameters, over TRAIL_MAX_PARAMS: no read-back per chunk, no trail.
    const big = await LabSession.open(checkLabSpec({
      inputs: 784, layers: [{ units: 8, activation: 'sigmoid' }, { units: 10, activation: 'softmax' }], loss: 'softmax-cross-entropy',
      init: { scheme: 'xavier', seed: 1 }, x: [Array(784).fill(0.5)], y: [[1, 0, 0, 0, 0, 0, 0, 0, 0, 0]], lr: 0.1,
    }), 'cpu', null);
    expect(big.tracksTrail).toBe(false);
    await big.train(20, () => undefined, undefined, 10);
    expect(big.trail).toEqual([]);
    big.dispose();
  });

  it('Reset returns bit for bit to the starting weights and the first mini-batch: the same steps give the same run', async () => {
    const d = generate2D('circle', 40, 3);
    const spec: NetworkSpec = {
      inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce',
      init: { scheme: 'xavier', seed: 9 }, x: d.x, y: d.y, lr: 0.5,
    };
    const s = await LabSession.open(checkLabSpec(spec, 10), 'cpu', null);
    const bits = (p: { W: Float32Array[]; b: Float32Array[] }) => [...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength))));
    const start = bits(s.params);
    await s.train(7, () => undefined);
    const first = s.history.map((p) => p.loss);
    const end = bits(s.params);
    expect(end).not.toEqual(start);
    await s.reset();
    expect(bits(s.params)).toEqual(start);
    expect(s.history).toEqual([]);
    expect(s.batchIndex).toBe(0);
    await s.train(7, () => undefined);
    expect(s.history.map((p) => p.loss)).toEqual(first);
    expect(bits(s.params)).toEqual(end);
    s.dispose();
  });

  it('fit with each optimiser lowers the loss; Reset after a fit gives the same run again (fresh optimiser state)', async () => {
    const d = generate2D('circle', 60, 3);
    const spec: NetworkSpec = {
      inputs: 2, layers: [{ units: 6, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce',
      init: { scheme: 'xavier', seed: 4 }, x: d.x, y: d.y, lr: 0.5,
    };
    for (const name of ['sgd', 'momentum', 'adam', 'adamw'] as const) {
      const s = await LabSession.open(checkLabSpec(spec), 'cpu', null);
      const lr = name === 'sgd' || name === 'momentum' ? 0.5 : 0.02;
      const logs = await s.fit({ optimizer: { name, lr }, batchSize: 16, epochs: 6 }, () => undefined);
      expect(logs).toHaveLength(6);
      expect(logs[5].loss, name).toBeLessThan(logs[0].loss);
      // The loss before the fit at step 0 (the mean over the 60 rows: a forward pass of a model of its own), then
      // one point per epoch, at the steps so far: 4 mini-batches of ≤ 16 per epoch of 60 rows.
      expect(s.history.map((p) => p.step)).toEqual([0, 3, 7, 11, 15, 19, 23]);
      const oracle = await Model.create(spec, { backend: 'cpu' });
      expect(s.history[0].loss).toBeCloseTo((await oracle.grad(d.x, d.y)).loss, 6);
      oracle.dispose();
      if (name === 'adam') {
        const bits = (p: { W: Float32Array[] }) => p.W.map((a) => Array.from(new Uint32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength))));
        const end = bits(s.params);
        await s.reset();
        expect(bits(s.params)).toEqual(bits(s.initial));
        const again = await s.fit({ optimizer: { name, lr }, batchSize: 16, epochs: 6 }, () => undefined);
        expect(again.map((e) => e.loss)).toEqual(logs.map((e) => e.loss));
        expect(bits(s.params)).toEqual(end);
      }
      s.dispose();
    }
    // Your data's validation rows (they carry class labels too, which fit does not take): a loss per epoch.
    const v = await LabSession.open(checkLabSpec({ ...spec, x: d.x.slice(0, 40), y: d.y.slice(0, 40) }), 'cpu', null);
    const withVal = await v.fit({ optimizer: { name: 'adam', lr: 0.02 }, batchSize: 16, epochs: 2, validation: { x: d.x.slice(40), y: d.y.slice(40), labels: d.labels.slice(40) } as never }, () => undefined);
    expect(withVal.every((e) => Number.isFinite(e.valLoss) && e.valAccuracy !== undefined)).toBe(true);
    expect(v.validation.map((p) => p.step)).toEqual(v.history.map((p) => p.step));
    expect(v.validation.map((p) => p.step)).toEqual([0, 2, 5]);
    v.dispose();
  });

  it('a Fit that diverges after some epochs leaves the step count, the curve and the weights as before it', async () => {
    // ŷ = w·x, MSE, x = 10: each SGD step at lr 1 multiplies w's error by |1 − lr·x²| = 99 (the mean over a batch of one
    // example), so epochs of 4 steps end finite for a while, then float32 overflows: a DivergedError some epochs in.
    const spec: NetworkSpec = {
      inputs: 1, layers: [{ units: 1, activation: 'identity', bias: 'none' }], loss: 'mse',
      params: { W: [[[0.5]]], b: [[]] }, x: [[10], [10], [10], [10]], y: [[1], [1], [1], [1]], lr: 0.001,
    };
    const s = await LabSession.open(checkLabSpec(spec), 'cpu', null);
    await s.train(3, () => undefined);
    const before = { steps: s.steps, history: s.history.map((p) => p.step), validation: s.validation.length, W: Array.from(s.params.W[0]) };
    let epochs = 0;
    await expect(s.fit({ optimizer: { name: 'sgd', lr: 1 }, batchSize: 1, epochs: 40 }, () => { epochs += 1; })).rejects.toThrow(DivergedError);
    expect(epochs, 'epochs finished (and drawn) before the divergence').toBeGreaterThan(0);
    expect({ steps: s.steps, history: s.history.map((p) => p.step), validation: s.validation.length, W: Array.from(s.params.W[0]) }).toEqual(before);
    await s.train(2, () => undefined);
    expect(s.steps).toBe(5);
    s.dispose();
  });

  it('a refused Fit (batch 0, an empty batch field, epochs 0) changes nothing: the step count stays a number, training goes on', async () => {
    const s = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    await s.train(20, () => undefined);
    const before = { steps: s.steps, history: s.history.length, trail: s.trail.length, W: Array.from(s.params.W[0]) };
    for (const [batchSize, epochs, field] of [[0, 2, 'batchSize'], [Number(''), 2, 'batchSize'], [Number('x'), 2, 'batchSize'], [2, 0, 'epochs']] as const) {
      await expect(s.fit({ optimizer: { name: 'adam', lr: 0.02 }, batchSize, epochs }, () => undefined)).rejects.toThrow(new RegExp(`^${field}:`));
      expect({ steps: s.steps, history: s.history.length, trail: s.trail.length, W: Array.from(s.params.W[0]) }).toEqual(before);
    }
    // So is a Train past the Steps field's max (1e9 steps would run for hours), before any step, and a Fit past the
    // Fit panel's epochs (the same rule as a link's: fitEpochs).
    await expect(s.train(1e9, () => undefined)).rejects.toThrow(/^steps: must be an integer 1 … 100000, got 1000000000/);
    await expect(s.fit({ optimizer: { name: 'adam', lr: 0.02 }, batchSize: 2, epochs: 10_001 }, () => undefined)).rejects.toThrow(/^epochs: must be an integer 1 … 10000 \(the Fit panel's most\), got 10001/);
    expect({ steps: s.steps, history: s.history.length, trail: s.trail.length, W: Array.from(s.params.W[0]) }).toEqual(before);
    await s.train(10, () => undefined);
    expect(s.steps).toBe(30);
    // Each point names the backend it ran on (the chart's axis: curveBackends).
    expect(s.history.every((p) => p.kind === 'cpu')).toBe(true);
    expect(s.history.every((p) => Number.isInteger(p.step))).toBe(true);
    s.dispose();
  });

  it('exports the current state in the CLI format; Verify without WebGPU compares wasm with the CPU', async () => {
    const s = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    await s.train(20, () => undefined);
    const out = s.toSpec();
    expect(out.init).toBeUndefined();
    const v = validateSpec(JSON.parse(JSON.stringify(out)));
    expect(Array.from(v.params!.W[0])).toEqual(Array.from(s.params.W[0]));
    expect(v.batch!.n).toBe(4);
    const r = await s.verify();
    expect(r.against).toBe('wasm');
    // NOTE: wasm sums the same float32 products in a different order (f32x4 lanes, FMA where relaxed SIMD is
    // there); on the 2-2-1 XOR net every value is below 10 and every sum has at most 4 terms: 1e-5 is a few ulps.
    expect(r.max).toBeLessThan(1e-5);
    await expect(LabSession.open(checkLabSpec(xorSpec()), 'webgpu', null)).rejects.toBeInstanceOf(WebGPUUnavailableError);
    s.dispose();
  });

  it('continueFrom (a backend switch): the curve, steps and Reset weights go on; with newCurve the curve starts again', async () => {
    const a = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    const start = Array.from(a.params.W[0]);
    await a.train(5, () => undefined);
    const b = await LabSession.open(checkLabSpec({ ...a.toSpec(), name: 'xor' }), 'wasm', null);
    // Reset's weights come with their seed and their numbers as written (a's: drawn from a seed; b's: a's trained ones).
    expect([b.seed, b.written]).not.toEqual([a.seed, a.written]);
    await b.continueFrom(a);
    expect([b.seed, b.written]).toEqual([a.seed, a.written]);
    expect(b.steps).toBe(5);
    // Train's first chunk is one step, the rest one chunk: two points, both run on the CPU.
    expect(b.history.map((p) => [p.step, p.kind])).toEqual([[0, 'cpu'], [4, 'cpu']]);
    expect(b.trail.length).toBeGreaterThan(1);
    await b.reset(); // back to the weights `a` was loaded with, not those b was opened with
    expect(Array.from(b.params.W[0])).toEqual(start);
    const c = await LabSession.open(checkLabSpec(a.toSpec()), 'cpu', null);
    await c.continueFrom(a, { newCurve: true });
    expect({ history: c.history.length, validation: c.validation.length, steps: c.steps }).toEqual({ history: 0, validation: 0, steps: 5 });
    for (const s of [a, b, c]) s.dispose();
  });

  it('on wasm: trains (the loss falls), Verify against the CPU, and Reset after Fit returns to the start', async () => {
    const s = await LabSession.open(checkLabSpec(xorSpec()), 'wasm', null);
    expect(s.kind).toBe('wasm');
    expect(s.description).toMatch(/WebAssembly: f32x4 SIMD.*thread/);
    // XOR's net at its batch is a few dozen multiply-adds a step, under THREAD_MIN_WORK (2¹⁸): one thread.
    expect(s.wasm?.netThreads).toBe(1);
    const start = s.params.W[0].slice();
    await s.train(50, () => undefined);
    expect(s.history.at(-1)!.loss).toBeLessThan(s.history[0].loss);
    const r = await s.verify();
    expect(r.against).toBe('wasm');
    expect(r.max).toBeLessThan(1e-5);
    await s.fit({ optimizer: { name: 'adam', lr: 0.02 }, batchSize: 4, epochs: 2 }, () => undefined);
    await s.reset();
    expect(Array.from(s.params.W[0])).toEqual(Array.from(start));
    s.dispose();
  });

  it('Verify whose CPU model cannot be made disposes the device model it made first', async () => {
    const s = await LabSession.open(checkLabSpec(xorSpec()), 'wasm', null);
    const create = Model.create.bind(Model);
    const made: Model[] = [];
    const spy = vi.spyOn(Model, 'create').mockImplementation(async (spec, options) => {
      if (options?.backend === 'cpu') throw new SpecError('spec', 'a CPU model that cannot be made (test)');
      const m = await create(spec, options);
      made.push(m);
      return m;
    });
    try {
      await expect(s.verify()).rejects.toThrow('a CPU model that cannot be made (test)');
    } finally {
      spy.mockRestore();
    }
    expect(made).toHaveLength(1);
    await expect(made[0].getParams()).rejects.toBeInstanceOf(DisposedError);
    s.dispose();
  });
});

describe('writtenParams (the explanation\'s float64 weights)', () => {
  it('the scalar total is the CLI explain\'s (on the spec as written) until the weights change; then the float32 weights', async () => {
    const total = (spec: NetworkSpec) => explainer(spec, { param: 'w5' }).doc([]).items[0].expansion!.total;
    // The reference: the CLI's explain reads the spec's numbers (0.15, 0.40, …) as float64.
    const cli = total(structuredClone(worked.spec));
    const s = await LabSession.open(checkLabSpec(structuredClone(worked.spec)), 'cpu', null);
    const { init, ...rest } = worked.spec;
    void init;
    expect(total({ ...rest, params: s.writtenParams(s.params) })).toBe(cli);
    // The float32 weights give another float64 total (the 10th digit): the reason for writtenParams.
    expect(total({ ...rest, params: paramsToSpec(s.net, s.params) })).not.toBe(cli);
    await s.update();
    expect(s.writtenParams(s.params)).toEqual(paramsToSpec(s.net, s.params));
    s.dispose();
  });
});
