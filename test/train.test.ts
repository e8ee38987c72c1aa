/**
 * Training on the CPU: k steps in one train() call are the same computation as k step() calls (bitwise:
 * same kernels, same order), and training actually learns (an XOR-like problem).
 */
import { describe, expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import type { NetworkSpec, Params } from '../src/spec.ts';
import { lecture } from '../src/lectures/index.ts';

const cpu = (spec: unknown) => Model.create(spec, { backend: 'cpu' });

/** Bitwise equality of two parameter sets (distinguishes −0 from 0 and compares NaN payloads). */
function bitsEqual(a: Params, b: Params): boolean {
  const same = (x: Float32Array, y: Float32Array) =>
    x.length === y.length && new Uint32Array(x.buffer, x.byteOffset, x.length).every((v, i) => v === new Uint32Array(y.buffer, y.byteOffset, y.length)[i]);
  return a.W.length === b.W.length && a.W.every((w, l) => same(w, b.W[l])) && a.b.every((v, l) => same(v, b.b[l]));
}

const XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const XOR_Y = [[0], [1], [1], [0]];

const NETS: [string, NetworkSpec, number, number][] = [
  ['lecture 001 2-2-1 sigmoid (shared bias), lr 0.5', { ...lecture('lecture-2-2-1').worked.spec, lr: 0.5 }, 7, 0.5],
  [
    '3-layer tanh → relu → softmax, batch of 5, mean',
    {
      inputs: 3,
      layers: [{ units: 4, activation: 'tanh' }, { units: 3, activation: 'relu', bias: 'shared' }, { units: 3, activation: 'softmax', bias: 'none' }],
      loss: 'softmax-cross-entropy',
      reduction: 'mean',
      init: { scheme: 'he', seed: 42 },
      x: [[0.1, -0.2, 0.3], [1, 0.5, -0.5], [-1, 0, 0.25], [0.3, 0.3, 0.3], [0, -0.7, 0.9]],
      y: [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]],
    },
    10,
    0.3,
  ],
  [
    'XOR 2-4-1 tanh/sigmoid, bce, sum',
    {
      inputs: 2,
      layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
      loss: 'bce',
      reduction: 'sum',
      init: { scheme: 'xavier', seed: 7 },
      x: XOR_X,
      y: XOR_Y,
    },
    25,
    0.2,
  ],
  [
    'linear regression 2-1 identity, mse, mean',
    {
      inputs: 2,
      layers: [{ units: 1, activation: 'identity' }],
      loss: 'mse',
      init: { scheme: 'uniform', seed: 3 },
      x: [[1, 2], [2, 1], [3, 3], [-1, 0.5]],
      y: [[5], [4], [9], [0]],
    },
    12,
    0.05,
  ],
];

describe('train({steps: k}) = k × step()', () => {
  it.each(NETS)('%s', async (_, spec, k, lr) => {
    const a = await cpu(spec);
    const b = await cpu(spec);
    const c = await cpu(spec);
    const start = await a.getParams();

    const trained = await a.train({ steps: k, lr });
    let last: Awaited<ReturnType<Model['step']>> | undefined;
    for (let i = 0; i < k; i++) last = await b.step(lr);
    for (let i = 0; i < k; i++) await c.train({ steps: 1, lr });

    const pa = await a.getParams();
    const pb = await b.getParams();
    const pc = await c.getParams();
    expect(bitsEqual(pa, pb)).toBe(true);
    expect(bitsEqual(pa, pc)).toBe(true);
    expect(bitsEqual(pb, last!.params)).toBe(true);
    // train() returns the loss of its last step, computed before that step's update.
    expect(Object.is(trained.loss, last!.loss)).toBe(true);
    expect(trained.steps).toBe(k);
    // And the parameters did move.
    expect(bitsEqual(pa, start)).toBe(false);
    for (const m of [a, b, c]) m.dispose();
  });
});

describe('training learns', () => {
  it('XOR: the loss falls and every example is classified right', async () => {
    const model = await cpu({
      inputs: 2,
      layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
      loss: 'bce',
      reduction: 'mean',
      init: { scheme: 'xavier', seed: 1 },
      x: XOR_X,
      y: XOR_Y,
      lr: 1,
    });
    const before = (await model.grad()).loss;
    // An untrained net is near chance: BCE ≈ ln 2.
    expect(before).toBeGreaterThan(0.5);
    let loss = before;
    const history: number[] = [];
    for (let round = 0; round < 10; round++) {
      loss = (await model.train({ steps: 200 })).loss;
      history.push(loss);
    }
    const after = await model.grad();
    expect(after.loss, `loss history ${history.join(', ')}`).toBeLessThan(0.05);
    expect(after.loss).toBeLessThan(before / 10);
    const p = after.A[1];
    XOR_Y.forEach(([y], c) => expect(p[c] > 0.5 ? 1 : 0, `example ${c}: p = ${p[c]}`).toBe(y));
    model.dispose();
  });

  it('linear regression converges to the least-squares weights', async () => {
    // y = 2·x1 + 1·x2 + 0.5 exactly: gradient descent must find W = [2, 1], b = 0.5.
    const x = [[1, 2], [2, 1], [3, 3], [-1, 0.5], [0, -2]];
    const y = x.map(([a, b]) => [2 * a + b + 0.5]);
    const model = await cpu({ inputs: 2, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', init: { scheme: 'uniform', seed: 5 }, x, y, lr: 0.1 });
    await model.train({ steps: 2000 });
    const p = await model.getParams();
    expect(p.W[0][0]).toBeCloseTo(2, 4);
    expect(p.W[0][1]).toBeCloseTo(1, 4);
    expect(p.b[0][0]).toBeCloseTo(0.5, 4);
    model.dispose();
  });
});
