/**
 * The network diagram tells a weight's sign by more than its hue (WCAG 1.4.1; src/lab/diagram-model.ts): a negative
 * weight's edge is dashed as well as orange, a positive one solid blue, and a negative bias's box has a dashed edge.
 * Blue #2563eb and orange #ea580c were the only difference: under achromatopsia they are two greys 0.15 and 0.25 in
 * relative luminance, and in a forced-colours theme or a greyscale print they are one line. The dash is drawn with
 * round caps (diagram-svg.ts), which eat half the line's width at each end of every dash: the gap left is the
 * pattern's gap less the width, so it must stay open at the widest edge (MAX_WIDTH 6). On a 2-3-1 net whose weights'
 * signs are set by hand: W₁ = [[1, −2], [0, 3], [−4, 5]], W₂ = [[−1, 2, 3]], b₁ = [0.5, −0.5, 0], b₂ = [−1].
 */
import { describe, expect, it } from 'vitest';
import { diagramModel } from '../src/lab/diagram-model.ts';
import { Naming } from '../src/notation/names.ts';
import { type NetworkSpec, validateSpec } from '../src/spec.ts';

const spec: NetworkSpec = {
  name: 'signs', inputs: 2, loss: 'bce',
  layers: [{ units: 3, activation: 'tanh', bias: 'per-unit' }, { units: 1, activation: 'sigmoid', bias: 'per-unit' }],
  params: { W: [[[1, -2], [0, 3], [-4, 5]], [[-1, 2, 3]]], b: [[0.5, -0.5, 0], [-1]] },
  x: [[0.5, -0.5]], y: [[1]],
};

const model = () => {
  const v = validateSpec(spec);
  return diagramModel({ net: v.net, naming: new Naming(v.net, undefined), params: v.params!, X: v.batch!.X, n: 1, example: 0, values: {} });
};

/** A dash pattern's [dash, gap] lengths, or null for none. */
const pattern = (dash: string | undefined): [number, number] | null => {
  if (dash === undefined) return null;
  const parts = dash.trim().split(/[\s,]+/).map(Number);
  expect(parts, dash).toHaveLength(2);
  return [parts[0], parts[1]];
};

describe('the sign of a weight or bias, not only its colour', () => {
  it('the three negative weights (W₁[0][1], W₁[2][0], W₂[0][0]) dashed, the six others solid', () => {
    const m = model();
    expect(m.edges).toHaveLength(9);
    const dashed = m.edges.filter((e) => pattern(e.dash) !== null).map((e) => e.value).sort((a, b) => a - b);
    expect(dashed).toEqual([-4, -2, -1]);
    const solid = m.edges.filter((e) => pattern(e.dash) === null).map((e) => e.value).sort((a, b) => a - b);
    expect(solid).toEqual([0, 1, 2, 3, 3, 5]);
  });

  it("each dash and each gap still open under round caps: gap − width ≥ 2 and dash > 0, the widest edge (|w| = 5, −4's 5.0) included", () => {
    for (const e of model().edges) {
      const p = pattern(e.dash);
      if (p === null) continue;
      expect(p[0], e.key).toBeGreaterThan(0);
      expect(p[1] - e.width, `${e.key}: gap ${p[1]} at width ${e.width}`).toBeGreaterThanOrEqual(2);
    }
    // −4 in a layer whose largest |w| is 5: width 1 + 5 · 4/5 = 5 (MIN_WIDTH 1, MAX_WIDTH 6).
    const w = model().edges.find((e) => e.value === -4)!;
    expect(w.width).toBeCloseTo(5, 9);
  });

  it('the negative biases b₁[1] = −0.5 and b₂[0] = −1 have a dashed box, the others not', () => {
    const m = model();
    expect(m.biases).toHaveLength(4);
    const dashed = m.biases.filter((b) => pattern(b.dash) !== null).map((b) => b.value).sort((a, b) => a - b);
    expect(dashed).toEqual([-1, -0.5]);
  });

  it('the caption says which is which: blue +, dashed orange − (one line at 1280 × 800, as before the dash)', () => {
    expect(model().caption).toBe('Every weight is an edge (blue +, dashed orange −, width ∝ |w|); boxes are biases.');
  });
});
