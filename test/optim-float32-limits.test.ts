/**
 * resolveOptimizer's float32 refusals at their boundaries, as README §Training on data: fit states them: "eps below
 * 2⁻¹²⁶ ≈ 1.18e-38, the smallest normal float32" and, "for adam/adamw, a first step size lr / (1 − beta1) past the
 * float32 range" (3.40282e38) are SpecErrors naming the field (the optimiser's lr, or the spec's `lr` where the
 * optimiser has none of its own). The values either side of each boundary are worked here from those float32 facts:
 * 2⁻¹²⁶ itself is normal (accepted), 0.75·2⁻¹²⁶ is subnormal (refused); lr 1e38 / (1 − 0.5) = 2e38 is a float32
 * (accepted), 3e38 / (1 − 0.5) = 6e38 and 3.5e37 / (1 − 0.9) = 3.5e38 are not (refused), though 3e38 and 3.5e37
 * themselves are.
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { resolveOptimizer } from '../src/train/optimizers.ts';

const refusal = (f: () => unknown): { name: string; field: string } | null => {
  try {
    f();
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return { name: (err as SpecError).name, field: (err as SpecError).field };
  }
};

describe('resolveOptimizer at the float32 boundaries README names', () => {
  it('eps: 2⁻¹²⁶ accepted, 0.75·2⁻¹²⁶ (subnormal, nonzero in float32) a SpecError naming optimizer.eps', () => {
    expect(Math.fround(0.75 * 2 ** -126)).toBeGreaterThan(0); // not a float64-only value: float32 holds it, as a subnormal
    for (const name of ['adam', 'adamw'] as const) {
      expect(resolveOptimizer({ name, eps: 2 ** -126 }, undefined).eps).toBe(2 ** -126);
      expect(refusal(() => resolveOptimizer({ name, eps: 0.75 * 2 ** -126 }, undefined))).toEqual({ name: 'SpecError', field: 'optimizer.eps' });
      expect(refusal(() => resolveOptimizer({ name, eps: 0.51 * 2 ** -126 }, undefined))).toEqual({ name: 'SpecError', field: 'optimizer.eps' });
    }
  });

  it("adam's first step size lr / (1 − beta1): 2e38 accepted; 6e38 and 3.5e38 SpecErrors naming the lr given", () => {
    for (const name of ['adam', 'adamw'] as const) {
      expect(resolveOptimizer({ name, lr: 1e38, beta1: 0.5 }, undefined).lr).toBe(1e38);
      expect(refusal(() => resolveOptimizer({ name, lr: 3e38, beta1: 0.5 }, undefined))).toEqual({ name: 'SpecError', field: 'optimizer.lr' });
      // The spec's lr (the optimiser has none): the error names `lr`; default beta1 0.9.
      expect(refusal(() => resolveOptimizer({ name }, 3.5e37))).toEqual({ name: 'SpecError', field: 'lr' });
      expect(resolveOptimizer({ name }, 3e37).lr).toBe(3e37); // 3e38: a float32
    }
    // Not a rule of momentum or sgd: lr 3e38 is a float32 and has no step size of its own.
    expect(resolveOptimizer({ name: 'momentum', lr: 3e38 }, undefined).lr).toBe(3e38);
    expect(resolveOptimizer({ name: 'sgd', lr: 3e38 }, undefined).lr).toBe(3e38);
  });
});
