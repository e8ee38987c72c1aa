/**
 * The explanation panel tests' nets and run (test/lab-explain-panel.test.ts, test/lab-explain-edges.test.ts): a 2-3-2
 * tanh / softmax net on 2 examples (mean) — flat names b1…b3 (layer 1), b4, b5 (layer 2); W₁ rows [0.5, −0.3],
 * [0.2, 0.8], [−0.6, 0.1], b₁ [0.1, −0.1, 0.05]; x = [1, 2] and [−0.5, 0.3] — parameter ids, and a CPU run's matrices.
 */
import { Model } from '../../src/model.ts';
import type { MatrixRun } from '../../src/notation/matrix.ts';
import type { ParamId } from '../../src/notation/names.ts';
import { type NetworkSpec, validateSpec } from '../../src/spec.ts';

export const s232: NetworkSpec = {
  inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy',
  params: { W: [[[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]], [[0.7, -0.4, 0.3], [-0.2, 0.5, 0.9]]], b: [[0.1, -0.1, 0.05], [0, 0.2]] },
  x: [[1, 2], [-0.5, 0.3]], y: [[1, 0], [0, 1]],
};
export const W = (layer: number, row: number, col: number): ParamId => ({ kind: 'W', layer, row, col });
export const B = (layer: number, index: number): ParamId => ({ kind: 'b', layer, index });

/** The spec's forward and backward pass on the CPU, as the panel receives it. */
export async function cpuRun(spec: NetworkSpec): Promise<MatrixRun> {
  const model = await Model.create(spec, { backend: 'cpu' });
  const g = await model.grad();
  model.dispose();
  const batch = validateSpec(spec).batch!;
  return { backend: 'cpu', n: batch.n, X: batch.X, A: g.A, delta: g.delta, dW: g.dW, db: g.db };
}
