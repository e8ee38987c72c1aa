/**
 * The history's accuracy rule, its denominators and maxAbsParam at their edges (cpu and wasm, Node), from README
 * §Training on data: fit:
 * - "argmax for softmax (the first index on ties)": a tie in Y, and a tie in A_L, take index 0;
 * - "a single sigmoid output thresholded at 0.5 (a ≥ 0.5 against y ≥ 0.5)": A_L exactly 0.5 (all-zero parameters,
 *   sigmoid(0) = 0.5 exactly in float32) counts as 1;
 * - "absent for regression": and for bce with several outputs (README §Training: no rule for it; accuracy.ts);
 * - `loss` and `accuracy` are over "the epoch's examples": with dropLast, the examples of the whole batches only;
 * - `maxAbsParam` is "max |W|, |b| after the epoch": a bias counts.
 * The rules are checked on evaluate(), on valAccuracy and on the training accuracy (the epoch-sum kernels) with lr 0,
 * so the two counts must agree on the same data. Expected values are worked by hand from those rules, or from the
 * float64 forward pass of test/lib/forward64.ts.
 */
import { describe, expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import { type NetworkSpec, type Params, validateNet } from '../src/spec.ts';
import { exampleLoss, forward64, isCorrect } from './lib/forward64.ts';

const KINDS = ['cpu', 'wasm'] as const;

/**
 * NOTE: float32 forward passes of these small nets on |x| ≤ 1 against float64 ones: a few roundings (6e-8 relative)
 * per layer and in the log, so ~1e-7 on an O(1) loss; 2e-6 leaves a 20× margin, and the mistakes it must see
 * (a mean over 12 examples instead of 10: 17 %) are far outside it.
 */
const FORWARD_BOUND = 2e-6;

describe.each(KINDS)('accuracy rules and history denominators (%s)', (backend) => {
  const lr0 = { epochs: 1, shuffle: false, optimizer: { name: 'sgd', lr: 0 } } as const;

  it('softmax: a tie in Y or in A_L takes the first index (evaluate, valAccuracy and the training accuracy agree)', async () => {
    // 1 input, 2 softmax units, W = [[1], [0]], b = 0: z = [x, 0], so x > 0 puts A's argmax at 0, x < 0 at 1, x = 0 ties.
    const spec: NetworkSpec = { inputs: 1, layers: [{ units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy', params: { W: [[[1], [0]]], b: [[0, 0]] } };
    const model = await Model.create(spec, { backend });
    try {
      const tie = [0.5, 0.5];
      expect((await model.evaluate([[1], [2]], [tie, tie])).accuracy).toBe(1); // Y's tie → 0 = A's argmax
      expect((await model.evaluate([[-1]], [tie])).accuracy).toBe(0); // Y's tie → 0 ≠ A's argmax 1
      expect((await model.evaluate([[0]], [[1, 0]])).accuracy).toBe(1); // A's tie → 0
      expect((await model.evaluate([[0]], [[0, 1]])).accuracy).toBe(0);
      // 5 examples, 3 right by the rule: [1]/tie, [2]/tie, [0]/[1, 0]; wrong: [−1]/tie, [0]/[0, 1]
      const x = [[1], [2], [-1], [0], [0]];
      const y = [tie, tie, tie, [1, 0], [0, 1]];
      const [h] = await model.fit({ ...lr0, x, y, batchSize: 5, validation: { x, y } });
      expect([h.accuracy, h.valAccuracy]).toEqual([3 / 5, 3 / 5]);
    } finally {
      model.dispose();
    }
  });

  it('a single sigmoid output at exactly 0.5 counts as 1 (a ≥ 0.5 against y ≥ 0.5)', async () => {
    const spec: NetworkSpec = { inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', params: { W: [[[0, 0]]], b: [[0]] } };
    const model = await Model.create(spec, { backend });
    try {
      expect((await model.predict([[1, 1]]))[0][0]).toBe(0.5); // sigmoid(0)
      expect((await model.evaluate([[1, 1]], [[1]])).accuracy).toBe(1);
      expect((await model.evaluate([[1, 1]], [[0.5]])).accuracy).toBe(1); // y = 0.5 is on the 1 side too
      expect((await model.evaluate([[1, 1]], [[0]])).accuracy).toBe(0);
      // A = 0.5 on every example: right against y = 1 (twice), wrong against y = 0 (a rule of A > 0.5 would get 1 of 3)
      const x = [[1, 1], [0.5, -1], [-1, 0.25]];
      const y = [[1], [1], [0]];
      const [h] = await model.fit({ ...lr0, x, y, batchSize: 3, validation: { x, y } });
      expect([h.accuracy, h.valAccuracy]).toEqual([2 / 3, 2 / 3]);
    } finally {
      model.dispose();
    }
  });

  it('bce with two sigmoid outputs has no accuracy (history, validation, evaluate)', async () => {
    const spec: NetworkSpec = { inputs: 2, layers: [{ units: 2, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'he', seed: 1 } };
    const model = await Model.create(spec, { backend });
    try {
      const [h] = await model.fit({ x: [[1, 0], [0, 1]], y: [[1, 0], [0, 1]], epochs: 1, batchSize: 2, validation: { x: [[1, 1]], y: [[1, 1]] } });
      expect(h.loss).toBeGreaterThan(0);
      expect([h.accuracy, h.valAccuracy]).toEqual([undefined, undefined]);
      expect((await model.evaluate([[1, 1]], [[1, 0]])).accuracy).toBeUndefined();
    } finally {
      model.dispose();
    }
  });

  it('dropLast: loss and accuracy are the means over the examples of the whole batches (10 of 12), before each update', async () => {
    const spec: NetworkSpec = {
      inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'xavier', seed: 8 },
    };
    const x = Array.from({ length: 12 }, (_, c) => [Math.cos(c), Math.sin(2 * c)]);
    const y = x.map(([a, b]) => (a > b ? [1, 0] : [0, 1]));
    const model = await Model.create(spec, { backend });
    const twin = await Model.create(spec, { backend });
    try {
      const [h] = await model.fit({ x, y, batchSize: 5, epochs: 1, shuffle: false, dropLast: true, optimizer: { name: 'sgd', lr: 0.5 } });
      expect(model.optimizerState()!.t).toBe(2);
      // The parameters before each of the two updates: the start, and after one step on examples 0 … 4 (train()
      // takes that step as fit does: the mean over the batch).
      const p0 = await twin.getParams();
      await twin.train({ steps: 1, lr: 0.5, x: x.slice(0, 5), y: y.slice(0, 5) });
      const p1 = await twin.getParams();
      const net = validateNet(spec);
      let loss = 0;
      let correct = 0;
      const add = (p: Params, from: number, to: number) => {
        for (let c = from; c < to; c++) {
          const a = forward64(net, p.W, p.b, x[c]);
          loss += exampleLoss(net, a, y[c]);
          if (isCorrect(net, a, y[c])) correct++;
        }
      };
      add(p0, 0, 5);
      add(p1, 5, 10);
      expect(correct).toBeGreaterThan(0); // so a wrong denominator shows
      expect(h.accuracy).toBe(correct / 10);
      expect(Math.abs(h.loss - loss / 10)).toBeLessThan(FORWARD_BOUND * Math.max(1, loss / 10));
    } finally {
      model.dispose();
      twin.dispose();
    }
  });

  it('maxAbsParam counts the biases (fit and train), and the weights', async () => {
    // 1-1 identity net, lr 0: the parameters stay as given. |b| = 5 is the largest; then |W| = 3 is.
    for (const [W, b, want] of [[0.1, 5, 5], [-3, 0.5, 3], [0.25, -7, 7]]) {
      const model = await Model.create({ inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[W]]], b: [[b]] } }, { backend });
      try {
        const [h] = await model.fit({ x: [[0.5]], y: [[1]], epochs: 1, batchSize: 1, optimizer: { name: 'sgd', lr: 0 } });
        expect(h.maxAbsParam, `W ${W}, b ${b}`).toBe(want);
        expect((await model.train({ steps: 1, lr: 0, x: [[0.5]], y: [[1]] })).maxAbsParam, `train: W ${W}, b ${b}`).toBe(want);
      } finally {
        model.dispose();
      }
    }
  });
});
