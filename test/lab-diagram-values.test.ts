/**
 * The network diagram puts each weight's and bias's value on its own edge and box (src/lab/diagram-model.ts), on a
 * 2-3-1 net whose values say where they belong: W₁[i][j] = 10·(i + 1) + (j + 1) (11, 12; 21, 22; 31, 32), so a
 * transposed read of the non-square W₁ gives another number; b₁[i] = (i + 1) / 10.
 */
import { describe, expect, it } from 'vitest';
import { diagramModel } from '../src/lab/diagram-model.ts';
import { Naming } from '../src/notation/names.ts';
import { type NetworkSpec, validateSpec } from '../src/spec.ts';

const spec: NetworkSpec = {
  name: 'where', inputs: 2, loss: 'bce',
  layers: [{ units: 3, activation: 'tanh', bias: 'per-unit' }, { units: 1, activation: 'sigmoid', bias: 'per-unit' }],
  params: { W: [[[11, 12], [21, 22], [31, 32]], [[1, 2, 3]]], b: [[0.1, 0.2, 0.3], [0.5]] },
  x: [[0.5, -0.5]], y: [[1]],
};

describe('diagram values on their own edges and boxes', () => {
  it('edge W₁[i][j] shows 10·(i + 1) + (j + 1); W₂[0][j] shows j + 1; bias box b₁[i] shows (i + 1) / 10', () => {
    const v = validateSpec(spec);
    const m = diagramModel({ net: v.net, naming: new Naming(v.net, undefined), params: v.params!, X: v.batch!.X, n: 1, example: 0, values: {} });
    expect(m.edges).toHaveLength(9);
    for (const e of m.edges) {
      if (e.param.kind !== 'W') throw new Error('a weight edge with a bias id');
      const want = e.param.layer === 0 ? 10 * (e.param.row + 1) + (e.param.col + 1) : e.param.col + 1;
      expect(e.value, e.key).toBe(want);
    }
    const b1 = m.biases.filter((b) => b.param.kind === 'b' && b.param.layer === 0);
    expect(b1).toHaveLength(3);
    for (const b of b1) {
      if (b.param.kind !== 'b') throw new Error('a bias box with a weight id');
      expect(b.value, b.key).toBeCloseTo((b.param.index + 1) / 10, 6); // float32: 0.1 is 0.100000001…
    }
  });

  it("each bias box's label gives its own gradient: ∂L/∂b₁[i] = 0.25, 0.5, 0.75 for i = 0, 1, 2", () => {
    const v = validateSpec(spec);
    const db = [Float32Array.from([0.25, 0.5, 0.75]), Float32Array.from([1])];
    const m = diagramModel({ net: v.net, naming: new Naming(v.net, undefined), params: v.params!, X: v.batch!.X, n: 1, example: 0, values: { db } });
    const labels = m.biases.filter((b) => b.param.kind === 'b' && b.param.layer === 0).map((b) => b.ariaLabel);
    expect(labels).toHaveLength(3);
    ['0.25', '0.5', '0.75'].forEach((g, i) => expect(labels[i]).toMatch(new RegExp(`; ∂\\S+/∂\\S+ = ${g.replace('.', '\\.')}0*$`)));
  });
});
