/**
 * What Model keeps between fits and hands out (cpu and wasm, Node), from README §API / §Training on data: fit
 * (fmut55's survivors of src/model.ts):
 * - `model.optimizerState()` is "a copy of the optimiser state": writing to what it returns changes neither the next
 *   optimizerState() nor the checkpoint save() writes. The state after one Adam step is worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import { loadCheckpoint } from '../src/train/checkpoint.ts';

const KINDS = ['cpu', 'wasm'] as const;

describe.each(KINDS)("the model's fit state (%s)", (backend) => {
  it('optimizerState() is a copy: writing to it changes neither the model nor its checkpoint (Adam after one step, by hand)', async () => {
    // 1-1 identity, no bias, mse: L = ½(W·x − y)², g = (W·x − y)·x = (1·2 − 0)·2 = 4 at W = 1, x = 2, y = 0.
    // Adam's first step: m = (1 − 0.9)·4 = 0.4, v = (1 − 0.999)·16 = 0.016, t = 1.
    const model = await Model.create({ inputs: 1, layers: [{ units: 1, activation: 'identity', bias: 'none' }], loss: 'mse', params: { W: [[[1]]], b: [[]] } }, { backend });
    try {
      await model.fit({ x: [[2]], y: [[0]], optimizer: { name: 'adam', lr: 1e-3 } });
      const check = (s: ReturnType<Model['optimizerState']>, what: string) => {
        expect(s?.t, what).toBe(1);
        expect(Math.abs(s!.slots.m.W[0][0] - 0.4) / 0.4, what).toBeLessThan(1e-6);
        expect(Math.abs(s!.slots.v.W[0][0] - 0.016) / 0.016, what).toBeLessThan(1e-6);
      };
      const given = model.optimizerState()!;
      check(given, 'as fitted');
      given.t = 99;
      given.slots.m.W[0][0] = 7;
      given.slots.v.W[0][0] = 8;
      check(model.optimizerState(), 'optimizerState() after writing to the copy');
      check(loadCheckpoint(await model.save()).state, 'save() after writing to the copy');
    } finally {
      model.dispose();
    }
  });
});
