/**
 * The lab's state and files, in Node (CPU backend): stepping, training, mini-batches, export, share links.
 * Expected numbers come from the lecture's transcription (what lecture 001 printed), not from the lab.
 */
import { describe, expect, it } from 'vitest';
import { DisposedError, DivergedError, LimitError, SpecError, WebGPUUnavailableError } from '../src/errors.ts';
import { generate2D } from '../src/lab/datasets.ts';
import { MAX_SHARE_CHARS, checkLink, dataFor, defaultFitLr, nextFitLr, fileName, parseSpecFile, readFragment, saveMark, shareFragment, unsavedTraining, type FitSettings } from '../src/lab/files.ts';
import { logTicks, lossCsv, stepTicks, tickLabels, ticks } from '../src/lab/loss-chart.ts';
import { checksSummary, examplesShown } from '../src/lab/words.ts';
import { readNumber } from '../src/lab/fields.ts';
import { architecture, editedName } from '../src/lab/editor.ts';
import { LabSession, batchPlan, checkLabSpec } from '../src/lab/session.ts';
import { showInstead, type Shown } from '../src/lab/swap.ts';
import type { ParamId } from '../src/notation/names.ts';
import { Model } from '../src/model.ts';
import { lecture } from '../src/lectures/index.ts';
import { explainer } from '../src/notation/explain.ts';
import { paramsToSpec, validateSpec, type NetworkSpec } from '../src/spec.ts';
import type { NumericClaim } from '../src/worked/worked.ts';
import type { OptimizerName } from '../src/train/optimizers.ts';

const worked = lecture('lecture-2-2-1').worked;
function printed(name: string): NumericClaim {
  const c = worked.claims.find((x): x is NumericClaim => x.name === name && 'printed' in x && !x.erratum);
  if (!c) throw new Error(`no clean claim ${name}`);
  return c;
}
const half = (c: NumericClaim) => 0.5 * 10 ** -c.decimals + 1e-9;

function xorSpec(): NetworkSpec {
  const d = generate2D('xor', 4, 1);
  return {
    name: 'xor', inputs: 2,
    layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
    loss: 'bce', init: { scheme: 'xavier', seed: 1 }, x: d.x, y: d.y, lr: 1,
  };
}

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
    b.continueFrom(a);
    expect([b.seed, b.written]).toEqual([a.seed, a.written]);
    expect(b.steps).toBe(5);
    // Train's first chunk is one step, the rest one chunk: two points, both run on the CPU.
    expect(b.history.map((p) => [p.step, p.kind])).toEqual([[0, 'cpu'], [4, 'cpu']]);
    expect(b.trail.length).toBeGreaterThan(1);
    await b.reset(); // back to the weights `a` was loaded with, not those b was opened with
    expect(Array.from(b.params.W[0])).toEqual(start);
    const c = await LabSession.open(checkLabSpec(a.toSpec()), 'cpu', null);
    c.continueFrom(a, { newCurve: true });
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

describe('editedName (the editor: a net of other shapes gets their name)', () => {
  it('replaces the sizes at the end of the name, or adds them; the same shapes keep the name', () => {
    expect(architecture(2, [{ units: 16 }, { units: 8 }, { units: 1 }])).toBe('2-16-8-1');
    expect(editedName('xor: 2-4-1', '2-4-1', '2-16-8-1')).toBe('xor: 2-16-8-1');
    expect(editedName('lecture-2-2-1-nobias', '2-2-1', '2-3-1')).toBe('lecture-2-2-1-nobias (2-3-1)');
    expect(editedName('xor: 2-4-1', '2-4-1', '2-4-1')).toBe('xor: 2-4-1');
  });
});

describe('readNumber (the page\'s number fields)', () => {
  it('an empty or non-numeric field is a SpecError naming it, never a silent 0; a number is read as typed', () => {
    expect(() => readNumber('', 'lr')).toThrow(SpecError);
    expect(() => readNumber('  ', 'lr')).toThrow(/^lr: must be a number, got an empty field/);
    expect(() => readNumber('abc', 'batchSize')).toThrow(/^batchSize: must be a number, got 'abc'/);
    expect(() => readNumber('Infinity', 'epochs')).toThrow(/^epochs:/);
    expect([readNumber('0', 'lr'), readNumber(' 0.05 ', 'lr'), readNumber('1e-3', 'lr'), readNumber('-1', 'lr')]).toEqual([0, 0.05, 0.001, -1]);
  });
});

describe('showInstead (a net goes on the page only once every view has drawn it)', () => {
  const wider = (): NetworkSpec => ({ ...xorSpec(), name: 'xor-wide', layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }] });
  type Page = Shown<LabSession, string, ParamId>;

  it('a view that throws leaves the previous session, data, example and selection, drawn again; the new session is disposed', async () => {
    const old = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    const next = await LabSession.open(checkLabSpec(wider()), 'cpu', null);
    const selected: ParamId = { kind: 'W', layer: 1, row: 0, col: 3 };
    const state: Page = { session: old, data: 'xor data', example: 2, selected };
    const drawn: (string | undefined)[] = [];
    const draw = () => {
      drawn.push(state.session?.net.layers[0].units === 8 ? 'new' : 'old');
      // As the boundary did for a 2-100000-1 net: an allocation the view could not make.
      if (state.session === next) throw new RangeError('Array buffer allocation failed');
    };
    // The Loss surface pickers: reset by every draw (fillSurfaceParams), put back after the old net's redraw.
    let picks = 'W₂[0][3], b₁[2]';
    const kept = { save: () => picks, restore: (p: string) => { drawn.push('restored'); picks = p; } };
    const drawing = () => { picks = 'the net\'s defaults'; draw(); };
    const swap = () => showInstead(state, { session: next, data: 'wide data', example: 0, selected: undefined }, drawing, kept);
    expect(swap).toThrow(LimitError);
    expect(drawn).toEqual(['new', 'old', 'restored']);
    expect(picks).toBe('W₂[0][3], b₁[2]');
    expect(state).toEqual({ session: old, data: 'xor data', example: 2, selected });
    expect(state.session).toBe(old);
    // The old session still steps; the new one is gone.
    await old.forward();
    expect(old.pass?.loss).toBeGreaterThan(0);
    await expect(next.forward()).rejects.toThrow(DisposedError);
    old.dispose();
  });

  it('says so in a LimitError naming views; an error that is not about room passes through as it is', async () => {
    const old = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    const state: Page = { session: old, data: 'xor', example: 0, selected: undefined };
    const failing = (err: Error) => async () => {
      const next = await LabSession.open(checkLabSpec(wider()), 'cpu', null);
      showInstead(state, { session: next, data: 'wide', example: 0, selected: undefined }, () => {
        if (state.session === next) throw err;
      });
    };
    await expect(failing(new RangeError('Invalid typed array length: 10000000000'))()).rejects.toThrow(
      /^views: the page could not draw this net \(RangeError: Invalid typed array length: 10000000000\), so it stays on the previous one$/,
    );
    const typed = new SpecError('surface', 'choose two different parameters');
    await expect(failing(typed)()).rejects.toBe(typed);
    expect(state.session).toBe(old);
    old.dispose();
  });

  it('on success the new net is shown and the previous session disposed', async () => {
    const old = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    const next = await LabSession.open(checkLabSpec(wider()), 'cpu', null);
    const state: Page = { session: old, data: 'xor', example: 3, selected: undefined };
    const drawn: (LabSession | null)[] = [];
    showInstead(state, { session: next, data: 'wide', example: 0, selected: { kind: 'b', layer: 0, index: 7 } }, () => drawn.push(state.session));
    expect(drawn).toEqual([next]);
    expect(state).toEqual({ session: next, data: 'wide', example: 0, selected: { kind: 'b', layer: 0, index: 7 } });
    await expect(old.forward()).rejects.toThrow(DisposedError);
    await next.forward();
    next.dispose();
  });
});

describe('files and links', () => {
  it('a lecture\'s net from a link is the lecture (its checks) only while unchanged: not after a step or another lr', async () => {
    const s = await LabSession.open(checkLabSpec(structuredClone(worked.spec)), 'cpu', null);
    // Exported as it loaded: float32 weights (0.15 is 0.1500000059604645 there), still the lecture.
    const shared = readFragment(`#${shareFragment(s.toSpec())}`).spec as NetworkSpec;
    expect(shared.params!.W[0][0][0]).not.toBe(worked.spec.params!.W[0][0][0]);
    expect(dataFor(shared)).toMatchObject({ kind: 'lecture', worked: { title: worked.title } });
    expect(dataFor(shared).changedLecture).toBeUndefined();
    expect(dataFor({ ...shared, lr: 0.5 })).toMatchObject({ kind: 'custom', changedLecture: worked.title });
    expect(dataFor({ ...shared, lr: 0.5 }).worked).toBeUndefined();
    await s.update();
    expect(dataFor(s.toSpec())).toMatchObject({ kind: 'custom', changedLecture: worked.title });
    // Not a lecture's name: no lecture, nothing changed.
    expect(dataFor(xorSpec()).changedLecture).toBeUndefined();
    s.dispose();
  });

  it('a share link round-trips a spec, names included', () => {
    const spec = structuredClone(worked.spec);
    const frag = shareFragment(spec);
    expect(frag).toMatch(/^spec=[A-Za-z0-9_-]+$/);
    expect(readFragment(`#${frag}`).spec).toEqual(spec);
    expect(readFragment('#preset=xor')).toEqual({ preset: 'xor' });
    expect(readFragment('')).toEqual({ preset: undefined });
    // The page's own anchors (#main, #more: the skip and tab links without script) are no link either.
    expect(readFragment('#main')).toEqual({});
    expect(readFragment('#more')).toEqual({});
  });

  it('refuses a hand-edited or cut link: an unknown or repeated parameter, batch without fit, a preset with a spec', () => {
    const fit: FitSettings = { optimizer: { name: 'adam', lr: 0.01 }, batchSize: 4, epochs: 20 };
    const frag = `#${shareFragment(xorSpec(), { batchSize: 2, fit })}`;
    expect(checkLink(readFragment(frag)).lab.batchSize).toBe(2);
    expect(() => readFragment(`${frag}&epochs=99`)).toThrow(/^epochs: unknown link parameter; a link is #spec=…&batch=N&fit=… \(Copy share link\) or #preset=ID/);
    expect(() => readFragment('#preset=xor&foo=1')).toThrow(/^foo: unknown link parameter/);
    // A link cut after '&fi' leaves an unknown 'fi'; one cut after '&batch=16' has no fit (Share writes both).
    expect(() => readFragment(frag.replace(/&fit=.*$/, '&fi'))).toThrow(/^fi: unknown link parameter/);
    expect(() => readFragment(frag.replace(/&fit=.*$/, ''))).toThrow(/^fit: missing: a link has &batch=N and &fit=… together .*only &batch=/);
    expect(() => readFragment(frag.replace(/&batch=\d+/, ''))).toThrow(/^batch: missing: .*only &fit=/);
    expect(() => readFragment(frag.replace('&batch=2', '&batch=3&batch=2'))).toThrow(/^batch: given 2 times in the link/);
    expect(() => readFragment('#preset=xor&preset=circle')).toThrow(/^preset: given 2 times/);
    expect(() => readFragment(`${frag}&preset=circle`)).toThrow(/^preset: goes alone \(#preset=ID\), not with a #spec= link/);
    for (const bad of [`${frag}&epochs=99`, frag.replace(/&fit=.*$/, ''), `${frag}&preset=circle`]) {
      expect(() => readFragment(bad)).toThrow(SpecError);
    }
  });

  it('refuses a spec too big for a link, and a garbled link, naming what', () => {
    const big = { ...xorSpec(), description: 'x'.repeat(MAX_SHARE_CHARS) };
    expect(() => shareFragment(big)).toThrow(/share link: .*Export spec JSON/);
    expect(() => readFragment('#spec=!!!notbase64')).toThrow(SpecError);
  });

  it('a share link carries the batch size and the Fit settings; a link without them opens with the defaults', () => {
    const spec = xorSpec();
    const fit: FitSettings = { optimizer: { name: 'momentum', lr: 0.05 }, batchSize: 3, epochs: 7 };
    const frag = shareFragment(spec, { batchSize: 2, fit });
    expect(frag).toMatch(/^spec=[A-Za-z0-9_-]+&batch=2&fit=[A-Za-z0-9_-]+$/);
    const read = readFragment(`#${frag}`);
    expect(read).toEqual({ spec, batchSize: 2, fit });
    const link = checkLink(read);
    expect(link.lab.batchSize).toBe(2);
    expect(link.fit).toEqual(fit);
    // An old link (spec only): full batch, no Fit settings (the panel keeps its defaults for the net).
    const old = checkLink(readFragment(`#${shareFragment(spec)}`));
    expect(old.lab.batchSize).toBe(4);
    expect(old.fit).toBeUndefined();
  });

  it('refuses a link\'s bad batch size or Fit setting by the engine\'s rules, naming the field', () => {
    const spec = xorSpec();
    const good: FitSettings = { optimizer: { name: 'adam', lr: 0.01 }, batchSize: 4, epochs: 20 };
    const open = (batch: string | null, fit: unknown) => () => {
      const enc = Buffer.from(JSON.stringify(fit)).toString('base64url');
      return checkLink(readFragment(`#${shareFragment(spec)}&batch=${batch ?? '4'}&fit=${enc}`));
    };
    // The editor's batch size: digits, as Copy share link writes it, then 1 … N (checkLabSpec).
    for (const typed of ['', 'two', '1.5', '0x2', '2e0', ' 2', '2 ']) {
      expect(open(typed, good)).toThrow(new RegExp(`^batch: must be a whole number in digits \\(Copy share link writes &batch=16\\), got '${typed}'`));
    }
    expect(open('5', good)).toThrow(/^batch: must be an integer 1 … 4/);
    expect(open('0', good)).toThrow(/^batch: must be an integer 1 … 4/);
    // Fit: the engine's checks (checkFit / resolveOptimizer), named under fit.
    expect(open(null, { ...good, batchSize: 5 })).toThrow(/^fit\.batchSize: is 5, more than the 4 examples/);
    expect(open(null, { ...good, batchSize: 0 })).toThrow(/^fit\.batchSize: must be a positive integer/);
    expect(open(null, { ...good, epochs: 2.5 })).toThrow(/^fit\.epochs: must be a positive integer/);
    // Epochs at most the Fit panel's (its field's max): 1e9 would run for hours.
    expect(open(null, { ...good, epochs: 1e9 })).toThrow(/^fit\.epochs: must be an integer 1 … 10000 \(the Fit panel's most\), got 1000000000/);
    expect(open(null, { ...good, epochs: 10_001 })).toThrow(/^fit\.epochs: must be an integer 1 … 10000/);
    expect(open(null, { ...good, epochs: 10_000 })().fit?.epochs).toBe(10_000);
    expect(open(null, { ...good, optimizer: { name: 'lbfgs', lr: 0.01 } })).toThrow(/^fit\.optimizer\.name: must be one of 'sgd'/);
    expect(open(null, { ...good, optimizer: { name: 'adam', lr: -1 } })).toThrow(/^fit\.optimizer\.lr: must be ≥ 0, got -1/);
    expect(open(null, { ...good, optimizer: { name: 'adam', lr: '0.1' } })).toThrow(/^fit\.optimizer\.lr: must be a number/);
    // The panel's shape: no key it has no field for, none missing.
    expect(open(null, { ...good, shuffle: false })).toThrow(/^fit\.shuffle: unknown key/);
    expect(open(null, { ...good, optimizer: { name: 'momentum', lr: 0.1, momentum: 0.5 } })).toThrow(/^fit\.optimizer\.momentum: unknown key/);
    expect(open(null, { optimizer: good.optimizer, batchSize: 4 })).toThrow(/^fit\.epochs: missing/);
    expect(open(null, [1])).toThrow(/^fit: must be \{optimizer/);
    // Every refusal is a SpecError; a fit that is not base64url JSON, or settings without a spec, too.
    expect(open('9', good)).toThrow(SpecError);
    expect(() => readFragment(`#${shareFragment(spec)}&batch=2&fit=!!!`)).toThrow(/^fit: the &fit= part is not base64url JSON/);
    expect(() => readFragment('#preset=xor&batch=2')).toThrow(/^batch: goes with a #spec= link/);
  });

  it('the Fit lr follows the optimiser only while it is the default of the optimiser it was set for (a link\'s too)', () => {
    // The net's lr 0.5 (SGD's and momentum's default); Adam's and AdamW's is 0.01 (README).
    const at = (name: OptimizerName, specLr = 0.5) => ({ name, specLr });
    expect(defaultFitLr('sgd', 0.5)).toBe(0.5);
    expect(defaultFitLr('adamw', 0.5)).toBe(0.01);
    // The reviewer's case B: SGD with lr 0.01 typed (not SGD's default), then momentum: the lr stays. Taken as
    // Adam's default (the restore's old basis) it became 0.5, 50 × the instructor's.
    expect(nextFitLr('0.01', at('sgd'), at('momentum'))).toBe('0.01');
    expect(nextFitLr('0.01', at('adam'), at('momentum'))).toBe('0.5');
    // Case C: momentum at its default 0.5, then Adam: Adam's 0.01, as on the page that made the link.
    expect(nextFitLr('0.5', at('momentum'), at('adam'))).toBe('0.01');
    expect(nextFitLr('0.5', at('adam'), at('adamw'))).toBe('0.5');
    // The default as a number ("0.50" is 0.5); an empty field is no default (Number('') is 0), it stays.
    expect(nextFitLr('0.50', at('sgd'), at('adam'))).toBe('0.01');
    expect(nextFitLr('', at('sgd', 0), at('adam', 0))).toBe('');
    // The net's lr edited (same shapes): SGD's default follows it; an lr typed stays.
    expect(nextFitLr('0.5', at('sgd'), at('sgd', 0.3))).toBe('0.3');
    expect(nextFitLr('0.2', at('sgd'), at('sgd', 0.3))).toBe('0.2');
  });

  it('training is unsaved after a step until Export or Share marks it; a fresh or Reset net has none', async () => {
    const s = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    expect(unsavedTraining(s, null)).toBe(false);
    await s.update();
    expect(unsavedTraining(s, null)).toBe(true);
    let mark = saveMark(s);
    expect(unsavedTraining(s, mark)).toBe(false);
    await s.train(3, () => {});
    expect(unsavedTraining(s, mark)).toBe(true);
    mark = saveMark(s);
    await s.reset();
    expect(unsavedTraining(s, mark)).toBe(false);
    // As many steps again after Reset: another curve, so not the one saved.
    await s.update();
    await s.train(3, () => {});
    expect(unsavedTraining(s, mark)).toBe(true);
    s.dispose();
  });

  it('a running Fit is unsaved training from its first mini-batch (its steps are counted at its end), and one stopped before an epoch ended', async () => {
    const d = generate2D('circle', 40, 3);
    const spec: NetworkSpec = {
      inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce',
      init: { scheme: 'xavier', seed: 4 }, x: d.x, y: d.y, lr: 0.5,
    };
    const s = await LabSession.open(checkLabSpec(spec), 'cpu', null);
    const fresh = saveMark(s);
    expect(unsavedTraining(s, null)).toBe(false);
    // A Fit refused (lr −1), or stopped before its first step (aborted at once), ran nothing: nothing to lose.
    await expect(s.fit({ optimizer: { name: 'adam', lr: -1 }, batchSize: 8, epochs: 3 }, () => {})).rejects.toMatchObject({ field: 'optimizer.lr' });
    const ac = new AbortController();
    ac.abort();
    await s.fit({ optimizer: { name: 'adam', lr: 0.02 }, batchSize: 8, epochs: 3 }, () => {}, ac.signal);
    expect([s.fits, unsavedTraining(s, null)]).toEqual([0, false]);
    // During the fit (the page's beforeunload runs between its epochs): steps is still 0, the weights have moved.
    const during: boolean[][] = [];
    await s.fit({ optimizer: { name: 'adam', lr: 0.02 }, batchSize: 8, epochs: 3 }, () => {
      during.push([unsavedTraining(s, null), unsavedTraining(s, fresh)]);
    });
    expect(during).toEqual([[true, true], [true, true], [true, true]]);
    expect(unsavedTraining(s, fresh)).toBe(true);
    // Saved after the fit. A fit started since (running before its first epoch ends, or stopped then: no point
    // added, steps unchanged, the weights moved) is unsaved again.
    const saved = saveMark(s);
    expect(unsavedTraining(s, saved)).toBe(false);
    expect(unsavedTraining({ steps: s.steps, history: s.history, fits: s.fits + 1 }, saved)).toBe(true);
    expect(unsavedTraining({ steps: 0, history: [], fits: 1 }, null)).toBe(true);
    // A switch keeps it (continueFrom), Reset clears it.
    const t = await LabSession.open(checkLabSpec(spec), 'cpu', null);
    t.continueFrom(s);
    expect(t.fits).toBe(1);
    await s.reset();
    expect(unsavedTraining(s, null)).toBe(false);
    for (const x of [s, t]) x.dispose();
  });

  it('reads a spec file or a worked-example file, and names a file that is not JSON', () => {
    const spec = structuredClone(worked.spec);
    expect(parseSpecFile(JSON.stringify(spec), 'a.json')).toEqual(spec);
    expect(parseSpecFile(JSON.stringify(worked), 'w.json')).toEqual(worked.spec);
    expect(() => parseSpecFile('{nope', 'bad.json')).toThrow(/^bad\.json: is not JSON/);
    expect(fileName('MNIST: 784-32-10', 'json')).toBe('mnist-784-32-10.json');
    expect(fileName(undefined, 'csv')).toBe('network.csv');
  });

  it('the loss curve as CSV, and round ticks', () => {
    expect(lossCsv([{ step: 0, loss: 0.5 }, { step: 9, loss: 0.25 }])).toBe('step,loss\n0,0.5\n9,0.25\n');
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(0, 200)).toEqual([0, 50, 100, 150, 200]);
    // The step axis: whole steps only (one Update gives a curve over steps 0 … 1, which ticks marks 0, 0.2, … 1).
    expect(stepTicks(0, 1)).toEqual([0, 1]);
    expect(stepTicks(5, 8)).toEqual([5, 6, 7, 8]);
    expect(stepTicks(0, 200)).toEqual([0, 50, 100, 150, 200]);
    // Log axis: powers of ten over ≥ 2 decades; within one, round values: (0.69 − 0.32)/5 = 0.074 → step 0.1 → 0.4, 0.5, 0.6.
    expect(logTicks(-3, 0)).toEqual([-3, -2, -1, 0]);
    expect(logTicks(Math.log10(0.32), Math.log10(0.69)).map((t) => Number((10 ** t).toPrecision(6)))).toEqual([0.4, 0.5, 0.6]);
  });

  it("the views' counted sentences agree with their counts: '1 is an erratum', 'its one example'", () => {
    // lecture-2-2-1-nobias and relu-exercise have one erratum each: it read "1 are errata".
    expect(checksSummary(12, { match: 11, erratum: 1, wrong: 0 })).toMatch(/^12 printed values and formulas: 11 match, 1 is an erratum \(the lecture is wrong/);
    expect(checksSummary(77, { match: 65, erratum: 12, wrong: 0 })).toMatch(/^77 printed values and formulas: 65 match, 12 are errata .* 0 unexplained\./);
    expect(checksSummary(1, { match: 1, erratum: 0, wrong: 0 })).toMatch(/^1 printed value or formula: 1 matches, 0 are errata/);
    // The Output table: it read "first 1 of 1 examples".
    expect(examplesShown(1, 1)).toBe('its one example');
    expect(examplesShown(3, 3)).toBe('all 3 examples');
    expect(examplesShown(8, 200)).toBe('first 8 of 200 examples');
    expect(examplesShown(1, 5)).toBe('the first of 5 examples');
  });

  it('tick labels never repeat: the log axis of the lecture after Train 200 (loss 0.27481 → 0.27414) and of XOR (0.69316 → 0.69315)', () => {
    // What the chart does for the log axis: ticks in log₁₀ units, labelled at their values (3 digits at least).
    const logLabels = (lo: number, hi: number) => tickLabels(logTicks(Math.log10(lo), Math.log10(hi)).map((t) => 10 ** t), 3);
    // (0.27481 − 0.27414)/5 = 1.3e-4 → step 2e-4: 0.2742 … 0.2748, which at 3 digits read 0.274, 0.274, 0.275, 0.275.
    expect(logLabels(0.27414, 0.27481)).toEqual(['0.2742', '0.2744', '0.2746', '0.2748']);
    // 1e-5 / 5 = 2e-6 → step 2e-6: 0.693152 … 0.69316 (10^log₁₀(0.69315) comes back a hair above 0.69315, so the
    // first tick is the next), all 0.693 at 3 digits.
    expect(logLabels(0.69315, 0.69316)).toEqual(['0.693152', '0.693154', '0.693156', '0.693158', '0.69316']);
    // Labels that differ at 3 digits keep 3 (0.4, 0.5, 0.6; powers of ten), and the linear axis its 4.
    expect(logLabels(0.32, 0.69)).toEqual(['0.4', '0.5', '0.6']);
    expect(tickLabels(logTicks(-3, 0).map((t) => 10 ** t), 3)).toEqual(['0.001', '0.01', '0.1', '1']);
    expect(tickLabels(ticks(0, 1), 4)).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    expect(tickLabels([0.27415, 0.27416], 4)).toEqual(['0.27415', '0.27416']);
  });
});

describe('showInstead with the same session (review mutants4)', () => {
  const session = () => ({ disposed: 0, dispose() { this.disposed++; } });
  type S = ReturnType<typeof session>;

  it('a redraw of the shown session (other data) that succeeds disposes nothing', () => {
    const s = session();
    const state: Shown<S, string, never> = { session: s, data: 'a', example: 0, selected: undefined };
    showInstead(state, { session: s, data: 'b', example: 1, selected: undefined }, () => {});
    expect([s.disposed, state.data]).toEqual([0, 'b']);
  });

  it('a redraw of the shown session that fails puts the state back and disposes nothing', () => {
    const s = session();
    const state: Shown<S, string, never> = { session: s, data: 'a', example: 0, selected: undefined };
    const err = new Error('draw');
    expect(() => showInstead(state, { session: s, data: 'b', example: 1, selected: undefined }, () => { if (state.data === 'b') throw err; })).toThrow(err);
    expect([s.disposed, state.data]).toEqual([0, 'a']);
  });
});
