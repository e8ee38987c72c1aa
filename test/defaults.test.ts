/**
 * The documented defaults and the optimiser / spec guards that no other test reaches (cpu and wasm, Node).
 * - fit's defaults (README §The spec: batchSize 32, epochs 1, shuffle {seed: 0}; §Training on data: fit: dropLast
 *   false, batchesPerSubmission 16): a fit with them left out is bitwise the fit with them written out;
 * - the optimiser defaults (README §Optimisers: lr the optimiser's, else the spec's lr, else 1e-3; momentum 0.9;
 *   nesterov false; beta1 0.9, beta2 0.999, eps 1e-8; weightDecay 0, 0.01 for adamw; no optimizer: SGD with the
 *   spec's lr): the same, left out against written out, over several steps so that each value shows in the bits;
 * - optimiser keys: nesterov needs momentum > 0 and must be a boolean; a key the named optimiser does not use is a
 *   SpecError naming it; at fit (model unchanged) and at create;
 * - stepScalars: `lr / (1 − beta1^t)` and `√(1 − beta2^t)` in float64 (README §Optimisers), exactly;
 * - the spec: softmax only on the output layer with softmax-cross-entropy (README §The spec), so a softmax output with
 *   mse is refused; a cross-entropy label row must sum to 1 (README §Errors: LabelRangeError).
 * - fit's callbacks: an expression arrow that returns a value (`(e) => log.push(e)`) is a valid onEpoch / onBatch.
 * Every expected value is README's; the comparisons between two fits on one backend are bitwise.
 */
import { describe, expect, it } from 'vitest';
import { BackpropError } from '../src/errors.ts';
import { mulberry32 } from '../src/init.ts';
import { Model } from '../src/model.ts';
import type { NetworkSpec, Params } from '../src/spec.ts';
import type { EpochLog, FitProgress } from '../src/train/fit.ts';
import { type OptimizerSpec, resolveOptimizer, stepScalars } from '../src/train/optimizers.ts';

const KINDS = ['cpu', 'wasm'] as const;

const bits = (p: Params): string => JSON.stringify([...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))));

// 40 examples: more than the default batch of 32, so the default shows in the step count (ceil(40 / 32) = 2) and in
// which examples share a batch (the seed's order).
const rand = mulberry32(21);
const X = Array.from({ length: 40 }, () => [2 * rand() - 1, 2 * rand() - 1]);
const Y = X.map(([a, b]) => (a * b > 0 ? [1, 0] : [0, 1]));
const NET: NetworkSpec = {
  inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'xavier', seed: 6 },
};

describe.each(KINDS)('defaults (%s)', (backend) => {
  /** The parameters, history and optimiser step count after one fit on a fresh model of `spec`. */
  const fitted = async (spec: NetworkSpec, options: Parameters<Model['fit']>[0]) => {
    const model = await Model.create(spec, { backend });
    try {
      const history = await model.fit({ x: X, y: Y, ...options });
      const state = model.optimizerState()!;
      return { params: bits(await model.getParams()), history: history.map((h) => [h.epoch, h.loss, h.accuracy]), t: state.t, name: state.name };
    } finally {
      model.dispose();
    }
  };

  it('fit without batchSize, epochs, shuffle, dropLast, batchesPerSubmission: bitwise the fit with README\'s defaults written out', async () => {
    const optimizer = { name: 'sgd', lr: 0.3 } as const;
    const left = await fitted(NET, { optimizer });
    const written = await fitted(NET, { optimizer, batchSize: 32, epochs: 1, shuffle: { seed: 0 }, dropLast: false, batchesPerSubmission: 16 });
    expect(left).toEqual(written);
    expect(left.history).toHaveLength(1);
    expect(left.t).toBe(2); // ceil(40 / 32): the partial batch of 8 kept
  });

  // Each pair trains 2 epochs in batches of 10 (8 steps): enough for momentum's mu (from step 2), Adam's betas and
  // AdamW's decay to change float32 bits.
  const run = { batchSize: 10, epochs: 2, shuffle: { seed: 4 } } as const;
  const pairs: [string, NetworkSpec, OptimizerSpec | 'sgd' | 'adam' | undefined, OptimizerSpec][] = [
    ['momentum', NET, { name: 'momentum', lr: 0.05 }, { name: 'momentum', lr: 0.05, momentum: 0.9, nesterov: false, weightDecay: 0 }],
    ['adamw', NET, { name: 'adamw', lr: 0.01 }, { name: 'adamw', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 }],
    ['adam (a name), no lr anywhere', NET, 'adam', { name: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }],
    ['sgd (a name), no lr anywhere', NET, 'sgd', { name: 'sgd', lr: 1e-3, weightDecay: 0 }],
    ['sgd (a name), the spec\'s lr', { ...NET, lr: 0.2 }, 'sgd', { name: 'sgd', lr: 0.2 }],
    ['no optimizer: sgd with the spec\'s lr', { ...NET, lr: 0.2 }, undefined, { name: 'sgd', lr: 0.2 }],
    ['no optimizer, no lr: sgd at 1e-3', NET, undefined, { name: 'sgd', lr: 1e-3 }],
  ];
  it.each(pairs)('optimizer %s: bitwise the fit with README\'s defaults written out', async (_, spec, left, written) => {
    const a = await fitted(spec, left === undefined ? run : { ...run, optimizer: left });
    const b = await fitted(NET, { ...run, optimizer: written });
    expect(a).toEqual(b);
    expect(a.t).toBe(8);
  });

  it('optimiser keys: nesterov needs momentum > 0 and a boolean; a key the optimiser does not use is refused; the model unchanged', async () => {
    const model = await Model.create(NET, { backend });
    try {
      await model.fit({ x: X, y: Y, batchSize: 10, optimizer: { name: 'momentum', lr: 0.05 } });
      const before = bits(await model.getParams());
      const state = model.optimizerState()!;
      const cases: [string, unknown][] = [
        ['optimizer.nesterov', { name: 'momentum', momentum: 0, nesterov: true }],
        ['optimizer.nesterov', { name: 'momentum', nesterov: 'yes' }],
        ['optimizer.nesterov', { name: 'momentum', nesterov: 1 }],
        ['optimizer.momentum', { name: 'adam', momentum: 0.9 }],
        ['optimizer.momentum', { name: 'sgd', momentum: 0.9 }],
        ['optimizer.nesterov', { name: 'sgd', nesterov: true }],
        ['optimizer.beta1', { name: 'sgd', beta1: 0.9 }],
        ['optimizer.beta2', { name: 'momentum', beta2: 0.99 }],
        ['optimizer.eps', { name: 'momentum', eps: 1e-8 }],
      ];
      const got: string[] = [];
      for (const [, optimizer] of cases) {
        const err = await model.fit({ x: X, y: Y, optimizer: optimizer as OptimizerSpec }).then(() => undefined, (e: unknown) => e);
        got.push(err instanceof BackpropError ? `${err.name} ${err.field}` : String(err));
      }
      expect(got).toEqual(cases.map(([field]) => `SpecError ${field}`));
      expect(bits(await model.getParams())).toBe(before);
      expect(model.optimizerState()!.t).toBe(state.t);
      expect(model.epochsTrained).toBe(1);
      // the same keys in a spec: refused at create
      for (const [field, optimizer] of cases) {
        await expect(Model.create({ ...NET, optimizer: optimizer as OptimizerSpec }, { backend })).rejects.toMatchObject({ name: 'SpecError', field });
      }
      // their valid neighbours run
      for (const optimizer of [{ name: 'momentum', momentum: 0.5, nesterov: true }, { name: 'momentum', nesterov: false }, { name: 'adam', beta1: 0.8, eps: 1e-6 }] as const) {
        expect(await model.fit({ x: X, y: Y, epochs: 1, optimizer })).toHaveLength(1);
      }
    } finally {
      model.dispose();
    }
  });

  // FitOptions typed onEpoch / onBatch as returning void | Promise<void>: README's `onBatch: (p) => bar.update(…)` with
  // an update that returns a value, or `onEpoch: (e) => log.push(e)`, did not compile (TS2322). tsc checks this file.
  it('onEpoch and onBatch may be expression arrows that return a value (it is ignored): they type-check and run', async () => {
    const model = await Model.create(NET, { backend });
    try {
      const log: EpochLog[] = [];
      const progress: FitProgress[] = [];
      const history = await model.fit({ x: X, y: Y, epochs: 2, batchSize: 8, batchesPerSubmission: 2, onEpoch: (e) => log.push(e), onBatch: (p) => progress.push(p) });
      expect(log).toEqual(history);
      expect(progress.map((p) => `${p.epoch}:${p.batch}/${p.batches}`)).toEqual(['1:2/5', '1:4/5', '1:5/5', '2:2/5', '2:4/5', '2:5/5']);
    } finally {
      model.dispose();
    }
  });

  it('a softmax output with loss mse is a SpecError naming the layer\'s activation; a cross-entropy label row off 1 by 1e-4 is a LabelRangeError naming the row', async () => {
    await expect(Model.create({ ...NET, loss: 'mse' }, { backend })).rejects.toMatchObject({ name: 'SpecError', field: 'layers[1].activation' });
    await expect(Model.create({ ...NET, loss: 'bce' }, { backend })).rejects.toMatchObject({ name: 'SpecError', field: 'layers[1].activation' });
    // NOTE: labels are float32; a row of two labels that sum to 1 in decimal (0.1 + 0.9, 0.3 + 0.7) sums to 1 within a
    // couple of float32 roundings (~1e-7), and must be accepted. 0.5001 + 0.5 is off by 1e-4, a thousand such
    // roundings: a row that does not sum to 1.
    const y = (first: number[]) => [first, ...Y.slice(1)];
    await expect(Model.create({ ...NET, x: X, y: y([0.5001, 0.5]) }, { backend })).rejects.toMatchObject({ name: 'LabelRangeError', field: 'y[0]' });
    await expect(Model.create({ ...NET, x: X, y: y([0.4999, 0.5]) }, { backend })).rejects.toMatchObject({ name: 'LabelRangeError', field: 'y[0]' });
    for (const row of [[0.1, 0.9], [0.3, 0.7]]) {
      const model = await Model.create({ ...NET, x: X, y: y(row) }, { backend });
      const err = await model.fit({ validation: { x: X.slice(0, 1), y: [[0.5001, 0.5]] } }).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'LabelRangeError', field: 'validation.y[0]' });
      model.dispose();
    }
  });
});

describe('optimiser defaults and step scalars (host side)', () => {
  it('resolveOptimizer fills in README\'s defaults', () => {
    expect(resolveOptimizer('sgd', undefined)).toMatchObject({ name: 'sgd', lr: 1e-3, nesterov: false, weightDecay: 0 });
    expect(resolveOptimizer('sgd', 0.25)).toMatchObject({ lr: 0.25 });
    expect(resolveOptimizer({ name: 'sgd', lr: 0.5 }, 0.25)).toMatchObject({ lr: 0.5 });
    expect(resolveOptimizer('momentum', undefined)).toMatchObject({ name: 'momentum', lr: 1e-3, momentum: 0.9, nesterov: false, weightDecay: 0 });
    expect(resolveOptimizer('adam', undefined)).toMatchObject({ name: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 });
    expect(resolveOptimizer('adamw', undefined)).toMatchObject({ name: 'adamw', lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 });
  });

  it('a NaN or ±Infinity fallback lr (the spec\'s, unchecked here) is a NonFiniteError naming lr, as a given optimizer.lr is: not "outside the float32 range"', () => {
    // Unreachable from Model (create refuses the spec's NaN lr first): resolveOptimizer by itself.
    const thrown = (f: () => unknown): string => {
      try {
        f();
        return 'returned';
      } catch (e) {
        return `${(e as BackpropError).name} ${(e as Error).message}`;
      }
    };
    expect(thrown(() => resolveOptimizer('sgd', NaN))).toBe('NonFiniteError lr is NaN; every value must be finite');
    expect(thrown(() => resolveOptimizer('adam', Infinity))).toBe('NonFiniteError lr is Infinity; every value must be finite');
    expect(thrown(() => resolveOptimizer({ name: 'sgd', lr: NaN }, 1))).toBe('NonFiniteError optimizer.lr is NaN; every value must be finite');
    // A finite lr past float32's range is still refused as such.
    expect(thrown(() => resolveOptimizer('sgd', 1e39))).toMatch(/^SpecError lr: 1e\+39 is outside the float32 range/);
  });

  it('momentum, beta1 and beta2 of exactly 1 are outside [0, 1): said so (not that 1 rounds to 1 in float32)', () => {
    expect(() => resolveOptimizer({ name: 'momentum', momentum: 1 }, undefined)).toThrow('optimizer.momentum: must be in [0, 1), got 1');
    expect(() => resolveOptimizer({ name: 'adam', beta1: 1 }, undefined)).toThrow('optimizer.beta1: must be in [0, 1), got 1');
    expect(() => resolveOptimizer({ name: 'adamw', beta2: 1 }, undefined)).toThrow('optimizer.beta2: must be in [0, 1), got 1');
    // just under 1, where float32 rounds to 1: the float32 rule's message
    expect(() => resolveOptimizer({ name: 'adam', beta2: 1 - 1e-9 }, undefined)).toThrow(/^optimizer\.beta2: 0\.999999999 rounds to 1 in float32/);
  });

  it('stepScalars: lr / (1 − beta1^t) and √(1 − beta2^t) in float64, exactly', () => {
    const o = resolveOptimizer({ name: 'adam', lr: 1e-3 }, undefined);
    for (const t of [1, 2, 3, 10, 1000, 100000]) {
      const s = stepScalars(o, t);
      expect(s.stepSize, `t = ${t}`).toBe(1e-3 / (1 - 0.9 ** t));
      expect(s.bias2Sqrt, `t = ${t}`).toBe(Math.sqrt(1 - 0.999 ** t));
      expect(s.first).toBe(t === 1);
    }
  });
});
