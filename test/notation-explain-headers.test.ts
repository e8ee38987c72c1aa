/**
 * What explain's text prints around the paths (nmut58 mutation audit): each example's header counts from 1 ("example 1
 * of 2", as the report's [example 1] and the lab do; the claims' "examples" are 0-based, the printed text is not), and
 * the cost of notation's ratio is the per-path multiplications over the matrix form's (README, "Cost of notation":
 * 2-2-1, 30 against 11, 2.7×). Expected numbers by hand from the README's counting rules.
 */
import { describe, expect, it } from 'vitest';
import { explain } from '../src/notation/index.ts';
import { lecture } from '../src/lectures/index.ts';

describe("explain's text: example headers and the cost ratio", () => {
  it('two examples: "example 1 of 2: x = (1), y = (0)" then "example 2 of 2: x = (2), y = (1)"', () => {
    const spec = {
      inputs: 1, layers: [{ units: 1, activation: 'identity' as const }], loss: 'mse' as const, reduction: 'mean' as const,
      params: { W: [[[1]]], b: [[0]] }, x: [[1], [2]], y: [[0], [1]],
    };
    const text = explain(spec, { param: 'w1' }, [], 'text');
    expect(text).toContain('\n  example 1 of 2: x = (1), y = (0)\n');
    expect(text).toContain('\n  example 2 of 2: x = (2), y = (1)\n');
    expect(text).not.toContain('example 0 of 2');
    // ∂L₁/∂w1 = (ŷ − y)·1·x = (1 − 0)·1·1 = 1, ∂L₂/∂w1 = (2 − 1)·1·2 = 2; the mean: (1/2)·(1 + 2) = 1.5.
    expect(text).toContain('∂L/∂w1 = (1/2)·(1 + 2) = 1.5000   (mean over 2 examples)');
  });

  it("the 2-2-1 lecture's roles: z_h1 = x1·w1 + x2·w2 + b1, z_h2 = x1·w3 + x2·w4 + b1, z_out = a_h1·w5 + a_h2·w6 + b2", () => {
    const spec = lecture('lecture-2-2-1').worked.spec;
    const roles: [string, string][] = [
      ['w1', 'W₁[0][0]: feeds z_h1 from x1'], ['w2', 'W₁[0][1]: feeds z_h1 from x2'],
      ['w3', 'W₁[1][0]: feeds z_h2 from x1'], ['w4', 'W₁[1][1]: feeds z_h2 from x2'],
      ['w5', 'W₂[0][0]: feeds z_out from a_h1'], ['w6', 'W₂[0][1]: feeds z_out from a_h2'],
    ];
    for (const [name, role] of roles) {
      const text = explain(spec, { param: name }, [], 'text');
      expect(text).toContain(`\n  ${name.padEnd(8)} ${role}\n`);
      expect(text).toContain(`(${name} = ${role};`);
    }
  });

  it('the 2-2-1 lecture: 9 paths, 30 multiplications; matrix form 11; forward 6; ratio 2.7× (README table)', () => {
    // Per path (README): layer 1, t = 2, factors 2 + 2·1 + 1 = 5; paths 4 weights + 2 (b1 shared by 2 units) = 6: 6·4 = 24.
    // Layer 2: factors 3; paths 2 weights + 1 bias = 3: 3·2 = 6. 30 in all, 9 paths.
    // Matrix form: mse n_2 = 1, + (n_2·n_1 + n_1) = 4, + n_1·n_0 + n_2·n_1 = 4 + 2: 11. Forward 4 + 2 = 6. 30/11 = 2.73.
    const text = explain(lecture('lecture-2-2-1').worked.spec, { param: 'w5' }, [], 'text');
    expect(text).toContain('  per-path expansion of every gradient: 9 paths, 30 multiplications\n');
    expect(text).toContain(': 11 multiplications\n');
    expect(text).toContain('  (the forward pass, 6 multiplications, is shared by both); ratio 2.7×');
  });
});
