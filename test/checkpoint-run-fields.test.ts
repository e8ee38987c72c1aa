/**
 * What a checkpoint carries and refuses (cpu and wasm, Node), from README §Checkpoints (fmut55's survivors of
 * src/train/checkpoint.ts):
 * - the spec's run fields (`batchSize`, `epochs`, `shuffle`, `validation`) are in the stored spec as given, and a
 *   model loaded from it fits in the spec's order when no shuffle is given (a float64 SGD reference in that order);
 * - the stored optimiser is the last fit's ("whose checkpoint stores the last fit's optimiser"), with every setting
 *   given to it, even where the spec names another optimiser;
 * - a tensor of the right number of values but the wrong shape (W_1 transposed, a slot flattened) is a ShapeError
 *   naming it ("a tensor missing or of the wrong shape is a ShapeError (checkpoint.W_2)");
 * - loadCheckpoint's `metadata` is every header entry besides format, spec and epochs: {} for Model.save()'s, the
 *   writer's own for saveCheckpoint's (README: "`{}` for `model.save()`'s");
 * - saveCheckpoint refuses an epoch count that is not an integer 0 … 2⁵³ − 1, naming `epochs`, as load would.
 */
import { describe, expect, it } from 'vitest';
import { ShapeError, SpecError } from '../src/errors.ts';
import { Model } from '../src/model.ts';
import { type NetworkSpec, validateNet } from '../src/spec.ts';
import { loadCheckpoint, saveCheckpoint } from '../src/train/checkpoint.ts';
import { decodeSafetensors, encodeSafetensors } from '../src/train/safetensors.ts';

import { B0, KINDS, LR, W0, XS, YS } from './lib/line-fit.ts';

const LINE: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[W0]]], b: [[B0]] } };
const TWO: NetworkSpec = { inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 } };
const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [[0], [1], [1], [0]];

describe.each(KINDS)('a checkpoint carries the run fields and the last optimiser (%s)', (backend) => {
  it('the spec\'s batchSize, epochs, shuffle, validation are stored as given; a loaded model fits in the spec\'s order (float64 reference)', async () => {
    const run = { batchSize: 2, epochs: 3, shuffle: false, validation: 0.25 } as const;
    const model = await Model.create({ ...LINE, ...run }, { backend });
    const bytes = await model.save();
    model.dispose();
    expect(loadCheckpoint(bytes).spec).toMatchObject(run);
    const loaded = await Model.load(bytes, { backend });
    try {
      await loaded.fit({ x: XS.map((v) => [v]), y: YS.map((v) => [v]), batchSize: 1, epochs: 2, validation: { x: [[0]], y: [[0]] }, optimizer: { name: 'sgd', lr: LR } });
      // SGD in batches of 1, the given order, two epochs, float64 (L = ½(a − y)², dW = (a − y)·x, db = a − y).
      let w = W0;
      let b = B0;
      for (let e = 0; e < 2; e++) {
        XS.forEach((v, c) => {
          const err = w * v + b - YS[c];
          w -= LR * err * v;
          b -= LR * err;
        });
      }
      const p = await loaded.getParams();
      expect(Math.abs(p.W[0][0] - w)).toBeLessThan(1e-5);
      expect(Math.abs(p.b[0][0] - b)).toBeLessThan(1e-5);
    } finally {
      loaded.dispose();
    }
  });

  it('the last fit\'s optimiser is stored, not the spec\'s, with its state: save works and load goes on with it', async () => {
    const model = await Model.create({ ...TWO, optimizer: { name: 'sgd', lr: 0.1 } }, { backend });
    try {
      await model.fit({ x, y, batchSize: 2, optimizer: { name: 'adam', lr: 0.01 } });
      const ck = loadCheckpoint(await model.save());
      expect(ck.run.optimizer).toMatchObject({ name: 'adam', lr: 0.01 });
      expect([ck.state?.name, ck.state?.t]).toEqual(['adam', 2]);
    } finally {
      model.dispose();
    }
  });

  it.each([
    { name: 'momentum', lr: 0.02, momentum: 0.5, nesterov: true, weightDecay: 0.2 },
    { name: 'adam', lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-3, weightDecay: 0.1 },
    { name: 'adamw', lr: 0.03, beta1: 0.7, beta2: 0.9, eps: 1e-4, weightDecay: 0.05 },
  ] as const)('every setting of the last fit\'s optimiser is stored: $name', async (optimizer) => {
    const model = await Model.create(TWO, { backend });
    try {
      await model.fit({ x, y, batchSize: 2, optimizer });
      const ck = loadCheckpoint(await model.save());
      expect(ck.spec.optimizer, 'the stored spec').toEqual(optimizer);
      expect(ck.run.optimizer, 'the optimiser a loaded model goes on with').toMatchObject(optimizer);
    } finally {
      model.dispose();
    }
  });
});

describe('a checkpoint refuses a tensor of the wrong shape, and saveCheckpoint a bad epoch count', () => {
  it('W_1 transposed or flattened, or an Adam slot flattened (the same number of values): a ShapeError naming it', async () => {
    const model = await Model.create(TWO, { backend: 'cpu' });
    await model.fit({ x, y, batchSize: 2, optimizer: 'adam' });
    const bytes = await model.save();
    model.dispose();
    const ck = decodeSafetensors(bytes);
    const reshaped = (name: string, shape: number[]) => encodeSafetensors({ ...ck.tensors, [name]: { ...ck.tensors[name], shape } }, ck.metadata);
    expect(ck.tensors.W_1.shape).toEqual([3, 2]); // units × fanIn (README)
    for (const [name, shape] of [['W_1', [2, 3]], ['W_1', [6]], ['optimizer.m.W_1', [6]], ['optimizer.v.W_2', [3, 1]]] as const) {
      const err = (() => { try { loadCheckpoint(reshaped(name, [...shape])); } catch (e) { return e; } })();
      expect(err, `${name} as [${shape}]`).toBeInstanceOf(ShapeError);
      expect((err as ShapeError).field).toBe(`checkpoint.${name}`);
    }
  });

  it("loadCheckpoint's metadata: {} for Model.save()'s file, the writer's entries alone for saveCheckpoint's", async () => {
    const model = await Model.create(TWO, { backend: 'cpu' });
    await model.fit({ x, y, batchSize: 2, epochs: 2, optimizer: 'adam' });
    const saved = loadCheckpoint(await model.save());
    model.dispose();
    expect(saved.metadata).toEqual({});
    expect(saved.epochs).toBe(2);
    const net = validateNet(TWO);
    const written = saveCheckpoint(net, saved.spec, saved.params, saved.state, 2, { note: 'hello', run: '{"epoch":2}' });
    expect(loadCheckpoint(written).metadata).toEqual({ note: 'hello', run: '{"epoch":2}' });
  });

  it('saveCheckpoint: epochs −1, 1.5, NaN, 2⁵³ are a SpecError naming epochs; 2⁵³ − 1 is written and loads', () => {
    const net = validateNet(TWO);
    const params = { W: [new Float32Array(6), new Float32Array(3)], b: [new Float32Array(3), new Float32Array(1)] };
    const spec = { inputs: 2, layers: TWO.layers, loss: TWO.loss };
    for (const epochs of [-1, 1.5, NaN, 2 ** 53]) {
      const err = (() => { try { saveCheckpoint(net, spec, params, undefined, epochs); } catch (e) { return e; } })();
      expect(err, `epochs ${epochs}`).toBeInstanceOf(SpecError);
      expect((err as SpecError).field).toBe('epochs');
    }
    expect(loadCheckpoint(saveCheckpoint(net, spec, params, undefined, 2 ** 53 - 1)).epochs).toBe(2 ** 53 - 1);
  });
});
