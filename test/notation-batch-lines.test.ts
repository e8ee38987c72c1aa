/**
 * explain's lines for a batch (nmut58 mutation audit): the sum over examples names the spec's reduction ("sum over 10
 * examples", not "mean"), the matrix line's "… (2 more)" counts the examples left out of 10 when 8 are shown, and the
 * LaTeX matrix line keeps the mean's ½ before δ₁A₀ᵀ as the text line's (1/2)·. Expected values by hand on an identity
 * unit with w = 1, b = 0: ŷ = x, ∂L_c/∂w1 = (x_c − y_c)·1·x_c; for x = 1 … 10, y = 0, Σ_c c² = 385; for x = (1, 2),
 * y = (0, 1), the mean (1/2)·(1·1 + 1·2) = 1.5.
 */
import { describe, expect, it } from 'vitest';
import { Model, validateSpec, type NetworkSpec } from '../src/index.ts';
import { explain } from '../src/notation/index.ts';
import type { Format } from '../src/notation/format.ts';

function identitySpec(reduction: 'mean' | 'sum', x: number[][], y: number[][]): NetworkSpec {
  return { inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', reduction, params: { W: [[[1]]], b: [[0]] }, x, y };
}

async function explainCpu(spec: NetworkSpec, format: Format): Promise<string> {
  const model = await Model.create(spec, { backend: 'cpu' });
  const { n, X } = validateSpec(spec).batch!;
  const run = { backend: model.kind, n, X, ...(await model.grad()) };
  model.dispose();
  return explain(spec, { param: 'w1' }, [run], format);
}

describe("explain's batch lines", () => {
  it('reduction sum over 10 examples: "= 1 + 4 + … + 64 + … = 385   (sum over 10 examples)", the matrix line "+ … (2 more)"', async () => {
    const spec = identitySpec('sum', Array.from({ length: 10 }, (_, c) => [c + 1]), Array.from({ length: 10 }, () => [0]));
    const text = await explainCpu(spec, 'text');
    expect(text).toContain('  ∂L/∂w1 = 1 + 4 + 9 + 16 + 25 + 36 + 49 + 64 + … = 385   (sum over 10 examples)\n');
    expect(text).toContain('δ₁[0][7]·A₀[0][7] + … (2 more) = 1 × 1 + 2 × 2 + 3 × 3 + 4 × 4 + 5 × 5 + 6 × 6 + 7 × 7 + 8 × 8 + … (2 more) = 385\n');
    expect(text).not.toContain('mean over');
  });

  it('reduction mean over 2 examples: the LaTeX matrix line is ½(δ₁A₀ᵀ)[0][0] = ½(1 × 1 + 1 × 2) = 1.5000', async () => {
    const spec = identitySpec('mean', [[1], [2]], [[0], [1]]);
    const latex = await explainCpu(spec, 'latex');
    expect(latex).toContain('\\frac{\\partial L}{\\partial \\mathbf{W}_{1}} &= \\tfrac{1}{2}\\boldsymbol{\\delta}_{1} \\mathbf{A}_{0}^{\\top}:\\quad ');
    expect(latex).toContain('= \\tfrac{1}{2}\\left(\\boldsymbol{\\delta}_{1} \\mathbf{A}_{0}^{\\top}\\right)_{[0][0]} = \\tfrac{1}{2}\\left(');
    expect(latex).toContain('= \\tfrac{1}{2}\\left(1 \\times 1 + 1 \\times 2\\right) = 1.5000');
    const text = await explainCpu(spec, 'text');
    expect(text).toContain('= (1/2)·(1 × 1 + 1 × 2) = 1.5000\n');
    expect(text).toContain('  ∂L/∂w1 = (1/2)·(1 + 2) = 1.5000   (mean over 2 examples)\n');
  });
});
