/**
 * test/lib/fit-compare.ts fitBounds at leaky_relu's kink, as test/fit-bounds.test.ts's "a ReLU unit whose Z is within
 * noise of 0": such a unit may be on the z > 0 side on one backend and on the z ≤ 0 side on the other — f' 1 against
 * 0.01, A ~noise against ~0.01·noise — so its row, its bias and the next layer's weights from it get the cap. Before,
 * the switch was relu's only: a leaky unit at its kink kept the small allowance of its own terms, and a right backend
 * whose Z rounded to the other side would read as wrong.
 *
 * The net: 3-4 leaky_relu-3 softmax, he (seed 4), unit 0 of the leaky layer with W1 row 0 = 0 and b1[0] = 0: Z = 0 on
 * every example, within any noise of 0. The cap is lr·2·max(1, (1 − beta1)/√(1 − beta2)) a step (fit-compare.ts): at
 * lr 0.02 over 6 steps at least 6·0.02·2 = 0.24 on each.
 */
import { expect, it } from 'vitest';
import { Model } from '../src/model.ts';
import type { NetworkSpec } from '../src/spec.ts';
import type { FitOptions } from '../src/train/fit.ts';
import { fitBounds, longestSum } from './lib/fit-compare.ts';
import { dataFor } from './lib/fit-nets.ts';

const SPEC: NetworkSpec = {
  inputs: 3, layers: [{ units: 4, activation: 'leaky_relu' }, { units: 3, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 4 },
};
/** W1 row 0 and b1[0] (in), W2 column 0 (out): [param index in W_l-then-b_l order, element]. */
const AT_KINK: [number, number][] = [[0, 0], [0, 1], [0, 2], [2, 0], [1, 0], [1, 4], [1, 8]];

it("fitBounds: a leaky_relu unit whose Z is within noise of 0 gets the cap on its row, its bias and the next layer's weights from it", async () => {
  const m = await Model.create(SPEC, { backend: 'cpu' });
  try {
    const p = await m.getParams();
    p.W[0].set([0, 0, 0], 0);
    p.b[0][0] = 0;
    await m.setParams(p);
    const run: FitOptions = { ...dataFor(SPEC, 12, 7), batchSize: 4, epochs: 2, shuffle: { seed: 3 }, optimizer: { name: 'adam', lr: 0.02 } };
    const bounds = await fitBounds(await m.save(), run, 6, longestSum(m.net, 4));
    expect(AT_KINK.map(([i, k]) => bounds.abs[i][k] >= 0.24)).toEqual(AT_KINK.map(() => true));
    // The other units' weights in W2 keep their own allowance.
    expect([1, 2, 3].every((k) => bounds.abs[1][k] < 1e-3)).toBe(true);
  } finally {
    m.dispose();
  }
});
