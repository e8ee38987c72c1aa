/**
 * `check` reads leaky_relu back as it reads relu: the function and its derivative by name, and explain's printed f'
 * ("[z > 0] + 0.01·[z ≤ 0]") through its brackets. Values by hand from f(z) = z for z > 0, else 0.01·z; f'(z) = 1 for
 * z > 0, else 0.01 (0 counts as ≤ 0, as explain's bracket and the kernels' `z > 0` have it).
 */
import { describe, expect, it } from 'vitest';
import { evalExpr, parseExpr } from '../src/notation/expr.ts';

const at = (f: string, z: number) => evalExpr(parseExpr(f, 'f'), () => z);

describe('leaky_relu in a claim', () => {
  it('is a function, and its derivative too', () => {
    expect([at('leaky_relu(z)', 3), at('leaky_relu(z)', -2), at('leaky_relu(z)', 0)]).toEqual([3, -0.02, 0]);
    expect([at("leaky_relu'(z)", 3), at("leaky_relu'(z)", -2), at("leaky_relu'(z)", 0)]).toEqual([1, 0.01, 0.01]);
  });
  it("agrees with explain's bracket form of f' on both sides of 0", () => {
    for (const z of [-2, 0, 0.5]) expect(at('[z > 0] + 0.01·[z ≤ 0]', z)).toBe(at("leaky_relu'(z)", z));
  });
});
