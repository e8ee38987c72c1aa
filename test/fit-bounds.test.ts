/**
 * test/lib/fit-compare.ts's fitBounds itself: Adam's absolute allowance is taken per parameter and per step from the
 * terms of that parameter's gradient (its NOTE), so a parameter whose terms are all exactly 0 — a ReLU unit off on
 * every example, its incoming weights and bias and its outgoing weights — gets none, and a backend that moved it
 * would be caught (the layer-wide allowance it replaces gave those the whole cap, lr·2 a step).
 */
import { describe, expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import type { NetworkSpec, Params } from '../src/spec.ts';
import type { FitOptions } from '../src/train/fit.ts';
import { fitBounds, longestSum, paramsWithin } from './lib/fit-compare.ts';
import { dataFor } from './lib/fit-nets.ts';

/**
 * 3-4 relu-3 softmax, he; unit 0 of the ReLU layer gets W1 row 0 = [0.1, −0.2, 0.3] and b1[0] = −0.7, so its
 * Z ≤ −0.1 on every x in [−1, 1]³ (all below 1 in size: the relative part, 5e-6·steps of max(1, |value|), stays 3e-5).
 */
const SPEC: NetworkSpec = {
  inputs: 3, layers: [{ units: 4, activation: 'relu' }, { units: 3, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 4 },
};

async function deadUnitModel(): Promise<Model> {
  const m = await Model.create(SPEC, { backend: 'cpu' });
  const p = await m.getParams();
  p.W[0].set([0.1, -0.2, 0.3], 0);
  p.b[0][0] = -0.7;
  await m.setParams(p);
  return m;
}

/** W1 row 0 and b1[0] (in), W2 column 0 (out): [param index in W_l-then-b_l order, element]. */
const DEAD: [number, number][] = [[0, 0], [0, 1], [0, 2], [2, 0], [1, 0], [1, 4], [1, 8]];

describe("fitBounds: Adam's allowance from each parameter's own gradient terms", () => {
  for (const optimizer of [{ name: 'adam', lr: 0.02, weightDecay: 0 }, { name: 'adamw', lr: 0.02 }] as const) {
    it(`${optimizer.name}: a ReLU unit off on every example gets allowance exactly 0 on its weights and bias, and a move of 1e-4 there is caught`, async () => {
      // 12 examples in batches of 4, 2 epochs: 6 steps.
      const run: FitOptions = { ...dataFor(SPEC, 12, 7), batchSize: 4, epochs: 2, shuffle: { seed: 3 }, optimizer };
      const start = await deadUnitModel();
      const bounds = await fitBounds(await start.save(), run, 6, longestSum(start.net, 4));
      const abs = (i: number, k: number) => bounds.abs[i][k];
      expect(DEAD.map(([i, k]) => abs(i, k))).toEqual(DEAD.map(() => 0));
      // The live units keep an allowance (the bound is not zero everywhere): W1 rows 1-3 and b1[1..3].
      expect([3, 4, 5, 6, 7, 8, 9, 10, 11].every((k) => abs(0, k) > 0) && [1, 2, 3].every((k) => abs(2, k) > 0)).toBe(true);

      // The same fit twice on the CPU: within the bound; the second with a dead-unit parameter moved by 1e-4: not.
      const [a, b] = [await deadUnitModel(), await deadUnitModel()];
      await a.fit(run);
      await b.fit(run);
      const [pa, pb] = [await a.getParams(), await b.getParams()];
      expect(paramsWithin(pb, pa, bounds).problems).toEqual([]);
      expect(pa.b[0][0] + Math.abs(pa.W[0][0]) + Math.abs(pa.W[0][1]) + Math.abs(pa.W[0][2])).toBeLessThan(0); // still off
      for (const [i, k] of DEAD) {
        const moved: Params = { W: pb.W.map((w) => w.slice()), b: pb.b.map((q) => q.slice()) };
        const flat = [...moved.W, ...moved.b];
        flat[i][k] += 1e-4;
        const { problems } = paramsWithin(moved, pa, bounds);
        expect(problems.length, `param ${i}[${k}] moved by 1e-4`).toBe(1);
        expect(problems[0]).toMatch(new RegExp(`^param ${i}\\[${k}\\]:`));
      }
      for (const m of [start, a, b]) m.dispose();
    });
  }
});
