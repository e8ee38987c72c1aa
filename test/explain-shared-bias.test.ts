/**
 * explain's backend line names a shared bias's gradient as grad does and as params holds it: one value, `db₁`, not
 * an entry `db₁[0]` of a vector the net does not have (the 2-2-1 lecture's b1 read `cpu: db₁[0] = 0.0283…` beside
 * grad's `db₁ = ∂L/∂b₁ (layer 1's one shared bias)` and a params b[0] that is a number). A per-unit bias keeps its
 * entry (`db₂[0]`).
 */
import { describe, expect, it } from 'vitest';
import { Model, validateSpec } from '../src/index.ts';
import { explain } from '../src/notation/index.ts';
import { lecture } from '../src/lectures/index.ts';

describe("explain's backend line for a shared bias", () => {
  it("says db₁ for the 2-2-1 lecture's shared b1 (text and md; latex has no backend line), and db₂[0] for its per-unit b2", async () => {
    const { spec } = lecture('lecture-2-2-1').worked;
    const model = await Model.create(spec, { backend: 'cpu' });
    const { n, X } = validateSpec(spec).batch!;
    const run = { backend: model.kind, n, X, ...(await model.grad()) };
    model.dispose();
    for (const format of ['text', 'md'] as const) {
      const b1 = explain(spec, { param: 'b1' }, [run], format);
      // The lecture's ∂L/∂b1 = 0.0134 + 0.0150 = 0.0284 (line 265), as the CPU's float32 prints it.
      expect(b1, format).toMatch(/cpu: db₁ = 0\.0283\d+; /);
      expect(b1, format).not.toContain('db₁[');
      // The lecture's ∂L/∂b2 = 0.1385 (line 235): layer 2's bias is a vector of one.
      expect(explain(spec, { param: 'b2' }, [run], format), format).toMatch(/cpu: db₂\[0\] = 0\.1384\d+; /);
    }
  });

  it("with one unit, the sum of its row after 1/N is in one pair of parentheses (it printed (1/2)·((δ₁[0][0] + δ₁[0][1])))", async () => {
    const spec = {
      inputs: 1, layers: [{ units: 1, activation: 'sigmoid' as const, bias: 'shared' as const }], loss: 'mse' as const, reduction: 'mean' as const,
      params: { W: [[[0.5]]], b: [0.1] }, x: [[1], [2]], y: [[0], [1]],
    };
    const model = await Model.create(spec, { backend: 'cpu' });
    const { n, X } = validateSpec(spec).batch!;
    const run = { backend: model.kind, n, X, ...(await model.grad()) };
    model.dispose();
    const text = explain(spec, { param: 'b1' }, [run], 'text');
    const line = /= \(1\/2\)·\(δ₁\[0\]\[0\] \+ δ₁\[0\]\[1\]\) = \(1\/2\)·\((−?[\d.]+) \+ \(?(−?[\d.]+)\)?\) = (−?[\d.]+)\n/.exec(text);
    expect(line, text).not.toBeNull();
    // A layer of one unit: "the 1 unit", not "the 1 units" (the heading's place and the matrix line).
    expect(text).toContain('b₁ (shared by the 1 unit of layer 1)');
    expect(text).toContain('(one bias shared by the 1 unit of layer 1: the sum of all of δ₁)');
    // The printed numbers give the printed result by hand: (a + b) / 2 within half a unit of its 4th decimal.
    const num = (t: string) => Number(t.replace('−', '-'));
    expect(Math.abs((num(line![1]) + num(line![2])) / 2 - num(line![3]))).toBeLessThanOrEqual(0.00005 + 1e-12);
    const latex = explain(spec, { param: 'b1' }, [run], 'latex');
    expect(latex).toContain('= \\tfrac{1}{2}\\left(\\boldsymbol{\\delta}_{1}[0][0] + \\boldsymbol{\\delta}_{1}[0][1]\\right) = \\tfrac{1}{2}\\left(');
    expect(latex).not.toContain('\\left(\\left(');
  });
});
