/**
 * The lab's loss curve is one quantity, the mean loss per example Σ_c L_c / n, under either reduction
 * (src/lab/session.ts: Update's and Train's points, as Fit's epoch points, Model.evaluate and the validation loss
 * are): under reduction 'sum' a Train's points were the step's summed loss, n times a Fit's for the same weights.
 *
 * The net, worked by hand: one identity unit, mse (L_c = ½(a − y)², README), W = 0, b = 0, x = (1, 2), y = (1, 3),
 * η = 0.1, so a = W·x + b. Under 'sum' a step's gradient is the sum over the examples, dW = Σ_c (a_c − y_c)·x_c,
 * db = Σ_c (a_c − y_c):
 *   at W = 0, b = 0:         a = (0, 0),       r = a − y = (−1, −3),   L_c = (0.5, 4.5),       Σ = 5,     mean 2.5;
 *                            dW = −1 − 6 = −7, db = −4 → W = 0.7, b = 0.4;
 *   at W = 0.7, b = 0.4:     a = (1.1, 1.8),   r = (0.1, −1.2),        L_c = (0.005, 0.72),    Σ = 0.725, mean 0.3625;
 *                            dW = 0.1 − 2.4 = −2.3, db = −1.1 → W = 0.93, b = 0.51;
 *   at W = 0.93, b = 0.51:   a = (1.44, 2.37), r = (0.44, −0.63),      L_c = (0.0968, 0.19845), Σ = 0.29525, mean 0.147625.
 * Under 'mean' the gradient is halved (1/n), so only the first point (the loss before any step) is worked: 2.5.
 */
import { describe, expect, it } from 'vitest';
import { startsNewCurve } from '../src/lab/eval.ts';
import { checkLabSpec, LabSession } from '../src/lab/session.ts';
import type { NetworkSpec } from '../src/spec.ts';

function spec(reduction: 'sum' | 'mean', rows: { x: number[][]; y: number[][] } = { x: [[1], [2]], y: [[1], [3]] }): NetworkSpec {
  return {
    name: 'per-example', inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', reduction,
    params: { W: [[[0]]], b: [[0]] }, lr: 0.1, ...rows,
  };
}

describe("the lab's loss curve: the mean per example under either reduction", () => {
  it("'sum': Train, then Fit, then Train on one curve read 2.5, 0.3625, 0.147625 (the per-example means, not the sums 5, 0.725, 0.29525)", async () => {
    const s = await LabSession.open(checkLabSpec(spec('sum')), 'cpu', null);
    try {
      // One step of Train: its one point is the loss before the step.
      await s.train(1, () => undefined);
      // One epoch of Fit in one batch of both rows, SGD at η = 0.1: the same step as Train's; its point is the epoch's
      // loss (before its update), Model.fit's per-example mean.
      await s.fit({ optimizer: { name: 'sgd', lr: 0.1 }, batchSize: 2, epochs: 1 }, () => undefined);
      await s.train(1, () => undefined);
      expect(s.history.map((p) => p.step)).toEqual([0, 1, 2]);
      const losses = s.history.map((p) => p.loss);
      expect(losses[0]).toBeCloseTo(2.5, 6);
      expect(losses[1]).toBeCloseTo(0.3625, 6);
      expect(losses[2]).toBeCloseTo(0.147625, 6);
      // The reduction still trains: the weights are those of three summed-gradient steps, the third's
      // dW = 0.44·1 − 0.63·2 = −0.82: W = 0.93 − 0.1·(−0.82) = 1.012.
      expect(s.params.W[0][0]).toBeCloseTo(1.012, 5);
    } finally {
      s.dispose();
    }
  });

  it("'sum': Update's point is the per-example mean too (2.5), while the pass it shows keeps the reduction's L (5)", async () => {
    const s = await LabSession.open(checkLabSpec(spec('sum')), 'cpu', null);
    try {
      await s.update();
      expect(s.history).toHaveLength(1);
      expect(s.history[0].loss).toBeCloseTo(2.5, 6);
      expect(s.pass?.loss).toBeCloseTo(5, 6);
    } finally {
      s.dispose();
    }
  });

  it("'sum' in mini-batches with a smaller last one: each point is its own batch's sum over its own size", async () => {
    // x = (1, 2, 3), y = (1, 3, 0), batch size 2: the batches are rows 0–1 (the worked net's first point, 2.5) and
    // row 2 alone, at W = 0.7, b = 0.4: a = 2.5, r = 2.5, L = 3.125 over one example (its sum and its mean).
    const s = await LabSession.open(checkLabSpec(spec('sum', { x: [[1], [2], [3]], y: [[1], [3], [0]] }), 2), 'cpu', null);
    try {
      await s.train(2, () => undefined);
      const losses = s.history.map((p) => p.loss);
      expect(losses).toHaveLength(2);
      expect(losses[0]).toBeCloseTo(2.5, 6);
      expect(losses[1]).toBeCloseTo(3.125, 6);
    } finally {
      s.dispose();
    }
  });

  it("'mean': the points are the engine's L unchanged, 2.5 exactly (a float32 value: nothing divides it again)", async () => {
    const s = await LabSession.open(checkLabSpec(spec('mean')), 'cpu', null);
    try {
      await s.update();
      await s.train(1, () => undefined);
      expect(s.history[0].loss).toBe(2.5);
      // The Train's point: at W = 0.35, b = 0.2 (the mean's step, half the sum's): a = (0.55, 0.9), r = (−0.45, −2.1),
      // L = (0.10125 + 2.205) / 2 = 1.153125.
      expect(s.history[1].loss).toBeCloseTo(1.153125, 6);
    } finally {
      s.dispose();
    }
  });

  it('an edit of the reduction keeps the curve (the same quantity, per example); another loss function starts a new one', () => {
    const mse = { loss: 'mse', reduction: 'mean' } as const;
    expect(startsNewCurve(mse, { loss: 'mse', reduction: 'sum' } as const)).toBe(false);
    expect(startsNewCurve({ loss: 'mse', reduction: 'sum' } as const, mse)).toBe(false);
    expect(startsNewCurve(mse, mse)).toBe(false);
    expect(startsNewCurve(mse, { loss: 'bce', reduction: 'mean' } as const)).toBe(true);
    expect(startsNewCurve({ loss: 'softmax-cross-entropy', reduction: 'sum' } as const, { loss: 'mse', reduction: 'sum' } as const)).toBe(true);
  });
});
