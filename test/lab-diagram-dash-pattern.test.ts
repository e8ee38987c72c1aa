/**
 * A negative weight's dash (src/lab/diagram-model.ts negativeDash), as its doc comment gives it: for
 * an edge `width` wide with round caps (each cap adds width/2 to each end of a dash), a dash of width + 6 and a gap
 * of width + 3 — so 6 + 2·width is seen dashed and 3 left open — written to 2 decimals; none for a positive or zero
 * weight; a negative bias's box, shared or per unit, "4 2.5". By hand: width 2.5 → "8.5 5.5"; width 1.234567 → 7.234567 and 4.234567 → "7.23 4.23".
 */
import { describe, expect, it } from 'vitest';
import { diagramModel, NEGATIVE_BOX_DASH, negativeDash } from '../src/lab/diagram-model.ts';
import { Naming } from '../src/notation/names.ts';
import { validateSpec } from '../src/spec.ts';

describe("a negative weight's dash pattern: dash width + 6, gap width + 3", () => {
  it('width 2.5: "8.5 5.5"; width 1 (the thinnest): "7 4"', () => {
    expect(negativeDash(-0.4, 2.5)).toBe('8.5 5.5');
    expect(negativeDash(-3, 1)).toBe('7 4');
  });

  it('written to 2 decimals: width 1.234567 → "7.23 4.23"', () => {
    expect(negativeDash(-1e-9, 1.234567)).toBe('7.23 4.23');
  });

  it('a positive or zero weight is solid (no pattern)', () => {
    expect(negativeDash(0.5, 2)).toBeUndefined();
    expect(negativeDash(0, 2)).toBeUndefined();
  });
});

describe("a shared bias's box is dashed by its sign too (one box for the layer)", () => {
  const boxes = (b: number) => {
    const v = validateSpec({
      inputs: 2, loss: 'mse', layers: [{ units: 2, activation: 'tanh', bias: 'shared' }, { units: 1, activation: 'identity', bias: 'per-unit' }],
      params: { W: [[[1, 1], [1, 1]], [[1, 1]]], b: [[b], [0.5]] }, x: [[0.5, -0.5]], y: [[1]],
    });
    return diagramModel({ net: v.net, naming: new Naming(v.net, undefined), params: v.params!, X: v.batch!.X, n: 1, example: 0, values: {} }).biases.map((x) => [x.value, x.dash]);
  };
  it('b₁ = −0.25 shared: its box "4 2.5" (the output\'s 0.5 solid); b₁ = 0.25: solid', () => {
    expect(NEGATIVE_BOX_DASH).toBe('4 2.5');
    expect(boxes(-0.25)).toEqual([[-0.25, '4 2.5'], [0.5, undefined]]);
    expect(boxes(0.25)).toEqual([[0.25, undefined], [0.5, undefined]]);
  });
});
