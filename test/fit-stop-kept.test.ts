/**
 * What a stopped fit leaves in the model (cpu and wasm, Node), against float64 references worked from README
 * (fmut55's survivors of src/train/fit-stop.ts keepStopped):
 * - a fit stopped mid-epoch after steps ran keeps those steps (README §Training on data: fit: "the model keeping the
 *   parameters … of the last finished step") everywhere the model reads them: getParams, and grad() on the model's
 *   batch, which runs on the step net that an earlier grad() made — both the float64 SGD reference after those steps;
 * - a stop after a step that took Adam's v past float32 while W stayed finite keeps the last finished epoch (README:
 *   "steps that took a parameter or the optimiser state to ±Infinity or NaN before the epoch's end … are not kept:
 *   the last finished epoch is"): its t, m, v worked by hand, and save() still works.
 * The net: 1-1 identity under mse (README's equations: L = ½(a − y)², dW = (a − y)·x, db = a − y; loss the mean over
 * the examples).
 */
import { describe, expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import { loadCheckpoint } from '../src/train/checkpoint.ts';

import { B0, KINDS, LR, W0, XS, YS } from './lib/line-fit.ts';

describe.each(KINDS)('a stopped fit keeps its steps (%s)', (backend) => {
  it('stopped after 2 of 6 steps: getParams and grad() on the step net made before the fit see those 2 steps (float64 reference)', async () => {
    const model = await Model.create({
      inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[W0]]], b: [[B0]] },
      x: XS.map((v) => [v]), y: YS.map((v) => [v]),
    }, { backend });
    try {
      await model.grad(); // the step net, holding W0, b0 and the spec's batch
      const stop = new Error('stop');
      const run = model.fit({ batchSize: 1, epochs: 1, shuffle: false, batchesPerSubmission: 1, optimizer: { name: 'sgd', lr: LR },
        onBatch: (p) => { if (p.batch === 2) throw stop; } });
      await expect(run).rejects.toBe(stop);
      // SGD on examples 0 and 1, in that order (shuffle false), float64.
      let w = W0;
      let b = B0;
      for (const c of [0, 1]) {
        const e = w * XS[c] + b - YS[c];
        w -= LR * e * XS[c];
        b -= LR * e;
      }
      expect(model.epochsTrained).toBe(0);
      const p = await model.getParams();
      expect(Math.abs(p.W[0][0] - w)).toBeLessThan(1e-6);
      expect(Math.abs(p.b[0][0] - b)).toBeLessThan(1e-6);
      // grad() on the model's batch: the mean of ½(w·x + b − y)² over the 6 examples, at those parameters.
      const loss = XS.reduce((s, v, c) => s + 0.5 * (w * v + b - YS[c]) ** 2, 0) / XS.length;
      const g = await model.grad();
      expect(Math.abs(g.loss - loss) / loss).toBeLessThan(1e-5);
    } finally {
      model.dispose();
    }
  });

  it("a stop after a step that made Adam's v +Infinity (W finite) keeps the last finished epoch: t 1, m and v by hand; save() works", async () => {
    // L = ½(W·x)², g = W·x². Fit 1: x = 1, g = 1 → t = 1, m = (1 − 0.9)·1, v = (1 − 0.999)·1². Fit 2 stops after its
    // second step, x = 5e10: g = 2.5e21, v = 0.001·6.25e42 past float32 while W moves by about lr = 1e-30.
    const model = await Model.create({
      inputs: 1, layers: [{ units: 1, activation: 'identity', bias: 'none' }], loss: 'mse', params: { W: [[[1]]], b: [[]] },
    }, { backend });
    try {
      const optimizer = { name: 'adam', lr: 1e-30 } as const;
      await model.fit({ x: [[1]], y: [[0]], optimizer });
      const stop = new Error('stop');
      const run = model.fit({ x: [[1], [5e10]], y: [[0], [0]], batchSize: 1, shuffle: false, batchesPerSubmission: 1, optimizer,
        onBatch: (p) => { if (p.batch === 2) throw stop; } });
      await expect(run).rejects.toBe(stop);
      const s = model.optimizerState()!;
      expect(s.t).toBe(1);
      expect(Math.abs(s.slots.m.W[0][0] - 0.1) / 0.1).toBeLessThan(1e-6);
      expect(Math.abs(s.slots.v.W[0][0] - 0.001) / 0.001).toBeLessThan(1e-6);
      expect(model.epochsTrained).toBe(1);
      expect((await model.getParams()).W[0][0]).toBe(1);
      const ck = loadCheckpoint(await model.save());
      expect([ck.epochs, ck.state?.t]).toEqual([1, 1]);
    } finally {
      model.dispose();
    }
  });
});
