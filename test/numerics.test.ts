/**
 * Numerics on the CPU oracle at the edges: saturated sigmoid / tanh, BCE at outputs that are exactly 0 or 1
 * in float32, softmax-cross-entropy with huge logits, and divergence (DivergedError, parameters restored).
 *
 * Expected values are computed here from the definitions in float64 and rounded to float32 where the engine
 * stores float32.
 */
import { describe, expect, it } from 'vitest';
import { DivergedError } from '../src/errors.ts';
import { Model } from '../src/model.ts';
import type { Activation, Loss, NetworkSpec, Params } from '../src/spec.ts';
import { largeSums } from './lib/large-sums.ts';

const f32 = Math.fround;
/** The smallest positive float32 (a denormal): the float32 spacing below 2^−126. */
const F32_DENORM = 2 ** -149;

/** A 1 → 1 net with W = 1 and no bias: Z equals the input, so A = f(x). */
function identityInto(activation: Activation, loss: Loss, x: number[], y: number[]): NetworkSpec {
  return {
    inputs: 1,
    layers: [{ units: 1, activation, bias: 'none' }],
    loss,
    reduction: 'sum',
    params: { W: [[[1]]], b: [[]] },
    x: x.map((v) => [v]),
    y: y.map((v) => [v]),
  };
}

const cpu = (spec: unknown) => Model.create(spec, { backend: 'cpu' });

describe('sigmoid saturates without overflow', () => {
  const zs = [88.7, -88.7, 89, -89, 100, -100, 1000, -1000];
  it.each(zs)('σ(%d)', async (z) => {
    const model = await cpu(identityInto('sigmoid', 'mse', [z], [0.5]));
    const g = await model.grad();
    const a = g.A[0][0];
    const zf = f32(z);
    expect(g.Z[0][0]).toBe(zf);
    expect(Number.isFinite(a)).toBe(true);
    // Reference: 1/(1 + e^−z) in float64 (e^1000 = Infinity gives exactly 0), rounded to float32.
    const expected = f32(1 / (1 + Math.exp(-zf)));
    if (z > 0) expect(a).toBe(1); // 1 − e^−88.7 rounds to 1 in float32 (and in float64 from z ≈ 37 on)
    else if (z === -1000) expect(a).toBe(0); // e^−1000 underflows float64 too
    else {
      // The right tiny value: e^z ≈ 3.0e−39 (z = −88.7), 2.2e−39 (−89), 3.7e−44 (−100), all float32 denormals.
      expect(a).toBeGreaterThan(0);
      expect(a).toBeLessThan(1e-38);
      expect(Math.abs(a - expected)).toBeLessThanOrEqual(F32_DENORM);
      expect(Math.abs(a - Math.exp(zf))).toBeLessThanOrEqual(F32_DENORM);
    }
    // Gradients stay finite: δ = (a − y)·a(1 − a).
    expect(Number.isFinite(g.delta[0][0])).toBe(true);
    expect(Number.isFinite(g.dW[0][0])).toBe(true);
    expect(Number.isFinite(g.loss)).toBe(true);
    expect(Math.abs(g.loss - 0.5 * (expected - 0.5) ** 2)).toBeLessThanOrEqual(1e-7);
    model.dispose();
  });
});

describe('tanh saturates to ±1', () => {
  it.each([100, -100, 1000, -1000, 20, -20])('tanh(%d)', async (z) => {
    const model = await cpu(identityInto('tanh', 'mse', [z], [0]));
    const g = await model.grad();
    expect(g.A[0][0]).toBe(Math.sign(z));
    expect(Number.isFinite(g.delta[0][0])).toBe(true);
    expect(Math.abs(g.delta[0][0])).toBe(0); // (a − y)·(1 − a²) with a² = 1 (−0 for a = −1)
    expect(g.loss).toBe(0.5);
    model.dispose();
  });
});

describe('BCE at saturated outputs: finite and equal to the logit form', () => {
  // L = −[y log p + (1 − y) log(1 − p)], p = σ(z), which in the logit form is max(z, 0) − z·y + log(1 + e^−|z|).
  const analytic = (z: number, y: number) => Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
  const cases: [number, number][] = [];
  for (const z of [100, -100, 1000, -1000]) for (const y of [0, 1]) cases.push([z, y]);
  it.each(cases)('z = %d, y = %d', async (z, y) => {
    const model = await cpu(identityInto('sigmoid', 'bce', [z], [y]));
    const g = await model.grad();
    const p = g.A[0][0];
    if (z > 0) expect(p).toBe(1); // p = 1 exactly: log(1 − p) would be −∞
    if (z === -1000) expect(p).toBe(0); // p = 0 exactly: log(p) would be −∞
    if (z === -100) expect(p).toBeLessThan(1e-43); // a float32 denormal, log(p) ≈ −100
    const expected = analytic(z, y);
    expect(Number.isFinite(g.loss)).toBe(true);
    expect(Math.abs(g.loss - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
    // The naive form would not be finite here (or would lose everything to rounding); the engine's is.
    expect(g.delta[0][0]).toBe(f32(p - y)); // δ = p − y for BCE on a sigmoid output
    expect(Number.isFinite(g.dW[0][0])).toBe(true);
    model.dispose();
  });

  it('a batch of all eight, reduction sum and mean', async () => {
    const zs = cases.map(([z]) => z);
    const ys = cases.map(([, y]) => y);
    const total = cases.reduce((s, [z, y]) => s + analytic(z, y), 0); // 0 + 100 + 0 + 100 + 0 + 1000 + 0 + 1000 (+ tiny)
    const sum = await cpu(identityInto('sigmoid', 'bce', zs, ys));
    expect(Math.abs((await sum.grad()).loss - total)).toBeLessThanOrEqual(1e-6 * total);
    const mean = await cpu({ ...identityInto('sigmoid', 'bce', zs, ys), reduction: 'mean' });
    expect(Math.abs((await mean.grad()).loss - total / 8)).toBeLessThanOrEqual(1e-6 * total);
  });
});

describe('softmax-cross-entropy with huge logits', () => {
  it('logits (1000, 0, −1000): finite loss and probabilities', async () => {
    const model = await cpu({
      inputs: 1,
      layers: [{ units: 3, activation: 'softmax', bias: 'none' }],
      loss: 'softmax-cross-entropy',
      reduction: 'sum',
      params: { W: [[[1000], [0], [-1000]]], b: [[]] },
      x: [[1], [1]],
      y: [[1, 0, 0], [0, 0, 1]],
    });
    const g = await model.grad();
    // Column 0: p = (1, 0, 0), loss 0. Column 1: the target is the −1000 logit: loss = logsumexp − (−1000) = 2000.
    expect(Array.from({ length: 3 }, (_, i) => g.A[0][i * 2])).toEqual([1, 0, 0]);
    expect(g.loss).toBe(2000);
    for (const d of g.delta[0]) expect(Number.isFinite(d)).toBe(true);
    model.dispose();
  });
});

describe('divergence', () => {
  function bitsEqual(a: Params, b: Params): boolean {
    const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));
    return JSON.stringify([a.W.map(bits), a.b.map(bits)]) === JSON.stringify([b.W.map(bits), b.b.map(bits)]);
  }

  // wasm too: its net keeps its own copy for the restore and reduces max |θ| itself (src/wasm/backend.ts).
  it.each(['cpu', 'wasm'] as const)('%s: lr = 1e3 on a linear net: DivergedError, parameters as before the call, and it trains again', async (backend) => {
    // L = ½(w·10 + b)², ∂L/∂w = 10(10w + b): each step multiplies w by about (1 − 1e3·100) = −99999, so float32
    // overflows (|w| > 3.4e38) within 8 steps; after that the loss is ±∞ or NaN.
    const model = await Model.create({
      inputs: 1,
      layers: [{ units: 1, activation: 'identity' }],
      loss: 'mse',
      params: { W: [[[1]]], b: [[0.1]] },
      x: [[10]],
      y: [[0]],
    }, { backend });
    expect(model.kind).toBe(backend);
    await model.train({ steps: 2, lr: 1e-3 }); // a normal call first, so the parameters are not the spec's
    const before = await model.getParams();
    let err: unknown;
    try {
      await model.train({ steps: 50, lr: 1e3 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergedError);
    expect((err as DivergedError).code).toBe('DIVERGED');
    expect(Number.isFinite((err as DivergedError).loss)).toBe(false);
    expect(bitsEqual(await model.getParams(), before)).toBe(true);
    // Still usable: a sane learning rate trains from the restored parameters.
    const ok = await model.train({ steps: 5, lr: 1e-3 });
    expect(Number.isFinite(ok.loss)).toBe(true);
    model.dispose();
  });

  it('large weights into a sigmoid + BCE at lr = 1e3 stay finite (the logit-form BCE cannot overflow)', async () => {
    // Saturated sigmoid + BCE is stable by construction (logit form): the loss stays finite, so this must NOT
    // throw, and the parameters must stay finite.
    const model = await cpu({
      inputs: 2,
      layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
      loss: 'bce',
      params: { W: [[[50, -40], [30, 20], [-60, 10]], [[80, -90, 70]]], b: [[1, -1, 0.5], [2]] },
      x: [[1, 2], [-1, 0.5], [0.3, -2]],
      y: [[1], [0], [1]],
    });
    const r = await model.train({ steps: 20, lr: 1e3 });
    expect(Number.isFinite(r.loss)).toBe(true);
    const p = await model.getParams();
    for (const a of [...p.W, ...p.b]) for (const v of a) expect(Number.isFinite(v)).toBe(true);
    model.dispose();
  });

  // README (§Training on data: fit): Adam's v = (1 − β2)·g², taken in that order, is past float32 (3.4e38) where
  // |g| > √(3.4e38 / (1 − β2)) ≈ 5.83e20 at β2 = 0.999 — not where g² alone is (1.8e19, README's figure before).
  // L = ½(W·x)², g = W·x²: W = 1 and x = 2e10 give g = 4e20 (v = 1.6e38, finite), x = 5e10 g = 2.5e21 (v = 6.25e39).
  it.each(['cpu', 'wasm'] as const)('%s: Adam v overflows where (1 − β2)·g² passes float32, not g²: g = 4e20 fits, g = 2.5e21 is a DivergedError naming v', async (backend) => {
    for (const [x, slot] of [[2e10, undefined], [5e10, 'v']] as const) {
      const model = await Model.create({ inputs: 1, layers: [{ units: 1, activation: 'identity', bias: 'none' }], loss: 'mse', params: { W: [[[1]]], b: [[]] } }, { backend });
      const err = await model.fit({ x: [[x]], y: [[0]], optimizer: { name: 'adam', lr: 1e-30 } }).then(() => undefined, (e: unknown) => e);
      if (slot === undefined) {
        expect(err).toBeUndefined();
        expect(model.optimizerState()!.slots.v.W[0][0] / 1.6e38).toBeCloseTo(1, 5); // v = (1 − 0.999)·(4e20)²
      } else expect(err).toMatchObject({ name: 'DivergedError', slot });
      model.dispose();
    }
  });

  // The loss check of each epoch (fit.ts runFit), apart from the parameters': L = ½(W·x)² with W = 1e20 and x = 1 is
  // 5e39, past float32 (3.4e38), so the per-example loss the backend stores is +Infinity, while g = 1e20 at lr = 1e-30
  // moves W by 1e-10: W stays 1e20, finite, and SGD keeps no state. Only the loss can say the fit diverged.
  it.each(['cpu', 'wasm'] as const)('%s: a fit whose loss passes float32 while W stays finite is a DivergedError on the loss', async (backend) => {
    const model = await Model.create({ inputs: 1, layers: [{ units: 1, activation: 'identity', bias: 'none' }], loss: 'mse', params: { W: [[[1e20]]], b: [[]] } }, { backend });
    const err = await model.fit({ x: [[1]], y: [[0]], optimizer: { name: 'sgd', lr: 1e-30 } }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DivergedError);
    expect((err as DivergedError).loss).toBe(Infinity);
    expect([(err as DivergedError).maxAbs, (err as DivergedError).slot]).toEqual([undefined, undefined]);
    expect((await model.getParams()).W[0][0]).toBe(f32(1e20)); // as before the fit
    model.dispose();
  });

  it('step() and grad() also report divergence and keep the parameters', async () => {
    const model = await cpu({
      inputs: 1,
      layers: [{ units: 1, activation: 'identity', bias: 'none' }],
      loss: 'mse',
      params: { W: [[[3e38]]], b: [[]] },
      x: [[10]],
      y: [[0]],
    });
    const before = await model.getParams();
    // z = 3e39 overflows float32 → loss = ∞ on the very first forward pass.
    await expect(model.grad()).rejects.toBeInstanceOf(DivergedError);
    expect(bitsEqual(await model.getParams(), before)).toBe(true);
    await expect(model.step(0.1)).rejects.toBeInstanceOf(DivergedError);
    expect(bitsEqual(await model.getParams(), before)).toBe(true);
    model.dispose();
  });
});

describe('sums over 2^18 examples against float64 (test/lib/large-sums.ts: grad loss and db, fit epoch loss and accuracy)', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`${backend}: within relative 2e-5 of the float64 values`, async () => {
      expect(await largeSums((spec) => Model.create(spec, { backend }))).toEqual([]);
    }, 60_000);
  }
});

// NOTE (src/cpu/step.ts): WebGPU hands back its loss from a float32 buffer and wasm rounds its float64 sum on read, so
// the CPU oracle rounds its float64 sum of the per-example losses once, to float32, to give the same number.
describe("a step's loss is a float32: the float64 mean of the per-example losses, rounded once", () => {
  it.each(['cpu', 'wasm'] as const)('%s: grad, step and train on three examples', async (backend) => {
    // 1 → 1 identity net, W = 1, b = 0, y = 0: L_c = ½ x_c² (x_c as float32); the mean of three is no float32 itself.
    const x = [0.1, 0.7, 1.3];
    const mean64 = x.reduce((s, v) => s + 0.5 * f32(v) * f32(v), 0) / x.length;
    expect(f32(mean64)).not.toBe(mean64); // so a float64 loss handed back unrounded shows
    const model = await Model.create({
      inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[1]]], b: [[0]] }, x: x.map((v) => [v]), y: x.map(() => [0]),
    }, { backend });
    const losses = [(await model.grad()).loss, (await model.step(0)).loss, (await model.train({ steps: 1, lr: 0 })).loss];
    for (const loss of losses) {
      expect(f32(loss)).toBe(loss);
      // each L_c rounded to float32 once (2⁻²⁴ relative), then the sum: within 2⁻²² of the float64 mean
      expect(Math.abs(loss / mean64 - 1)).toBeLessThan(2 ** -22);
    }
    model.dispose();
  });
});
