/**
 * explain's printed sums and running products on nets that are not the lectures' (explain52 audit): the matrix line's
 * result is the backend's value (or 0 where its terms cancel within float32's rounding, as the scalar sum beside it),
 * never a hand sum of its operands far from it; and a running product past 20 decimals keeps its digits. The
 * expected values are computed here in float64 from the formulas (softmax, a − y, σ'), not read from the code.
 */
import { describe, expect, it } from 'vitest';
import { Model, validateSpec, type NetworkSpec } from '../src/index.ts';
import { explain } from '../src/notation/index.ts';

/** explain's text with the CPU backend's run; `dWScale` multiplies its dW (a wrong backend, its value off δ·A). */
async function text(spec: NetworkSpec, param: string, dWScale = 1): Promise<string> {
  const model = await Model.create(spec, { backend: 'cpu' });
  const { n, X } = validateSpec(spec).batch!;
  const run = { backend: model.kind, n, X, ...(await model.grad()) };
  model.dispose();
  const dW = run.dW.map((w) => Float64Array.from(w, (v) => v * dWScale));
  return explain(spec, { param }, [{ ...run, dW }], 'text');
}

/** A printed number ("(−0.5295)", "5.3125e-22") and the place of its last digit. */
function printed(s: string): { v: number; half: number } {
  const t = s.replace(/^\((.*)\)$/, '$1').replace('−', '-');
  const [mant, exp] = t.split('e');
  return { v: Number(t), half: 0.5 * 10 ** (-((mant.split('.')[1] ?? '').length) + Number(exp ?? 0)) };
}

describe('explain52: printed results on nets that are not the lectures', () => {
  it("a softmax layer's shared bias: the matrix line's sum is 0.0000 as the scalar's (its terms' hand sum was 0.00002000)", async () => {
    const spec: NetworkSpec = {
      inputs: 1, layers: [{ units: 3, activation: 'softmax', bias: 'shared' }], loss: 'softmax-cross-entropy',
      params: { W: [[[2], [-2], [1.9]]], b: [0] }, x: [[1]], y: [[0, 0, 1]],
    };
    const out = await text(spec, 'b1');
    // float64: a = softmax(2, −2, 1.9), δ = a − y; Σ δ = 1 − 1 = 0.
    const e = [2, -2, 1.9].map(Math.exp);
    const sum = e.reduce((s, v) => s + v, 0);
    const delta = e.map((v, j) => v / sum - [0, 0, 1][j]);
    const line = /= δ₁\[0\] \+ δ₁\[1\] \+ δ₁\[2\] = (\S+) \+ (\S+) \+ (\S+) = (\S+)\n/.exec(out);
    expect(line, out).not.toBeNull();
    const [t0, t1, t2, r] = line!.slice(1).map(printed);
    [t0, t1, t2].forEach((t, j) => expect(Math.abs(t.v - delta[j])).toBeLessThanOrEqual(t.half + 1e-6));
    expect(Math.abs(r.v - 0)).toBeLessThanOrEqual(r.half); // the gradient, 0 (it printed 0.00002000)
    expect(line![4]).toBe('0.0000'); // as the scalar sum: ∂L/∂b1 = … = 0.0000
    expect(out).toMatch(/∂L\/∂b1 = 0\.5200 \+ 0\.00952 \+ \(−0\.5295\) = 0\.0000\n/);
    expect(Math.abs(t0.v + t1.v + t2.v - r.v)).toBeLessThanOrEqual(r.half + 1e-12); // by hand
  });

  it('a weight past float32’s digits: the matrix entry is the backend’s 8676.25, not its operands at 4 decimals (8676.1933)', async () => {
    const spec: NetworkSpec = {
      inputs: 1, layers: [{ units: 1, activation: 'identity', bias: 'none' }, { units: 1, activation: 'identity', bias: 'none' }], loss: 'mse',
      params: { W: [[[-7.46095]], [[1]]], b: [[], []] }, x: [[1]], y: [[1155.42735]],
    };
    const out = await text(spec, 'w2');
    const a1 = -7.46095;
    const want = (a1 - 1155.42735) * a1; // ∂L/∂w2 = (ŷ − y)·a_h1 = 8676.2515 in float64
    const line = /= δ₂\[0\] × A₁\[0\] = \((\S+)\) × \((\S+)\) = (\S+)\n/.exec(out);
    expect(line, out).not.toBeNull();
    const [d, a, r] = line!.slice(1).map(printed);
    expect(Math.abs(r.v - want)).toBeLessThanOrEqual(0.002); // float32 of a value of 8676: ulp 0.001 (it printed 8676.1933)
    expect(Math.abs(d.v * a.v - r.v)).toBeLessThanOrEqual(r.half + 1e-9); // by hand
  });

  it('a running product below 1e-20 keeps four digits in exponent form (it printed −0.00000000000000000000)', async () => {
    const spec: NetworkSpec = {
      inputs: 1, layers: [{ units: 1, activation: 'sigmoid', bias: 'none' }, { units: 1, activation: 'sigmoid', bias: 'none' }], loss: 'mse',
      params: { W: [[[-40000]], [[1]]], b: [[], []] }, x: [[0.001]], y: [[1]],
    };
    const out = await text(spec, 'w1');
    // float64: z_h1 = −40, a_h1 = σ(−40); ŷ = σ(a_h1) = 0.5; (ŷ − y)·ŷ(1 − ŷ)·w2·a_h1(1 − a_h1)·x1.
    const a = 1 / (1 + Math.exp(40));
    const want = (0.5 - 1) * 0.25 * 1 * a * (1 - a) * 0.001; // −5.3104e-22
    const steps = /\(step by step: (.*)\)\n/.exec(out);
    expect(steps, out).not.toBeNull();
    const last = steps![1].split(' = ').pop()!;
    expect(last).not.toMatch(/^−?0\.0+$/);
    // From the factors as printed (σ' as 0.00000000000000000425): within 0.1% of the float64 product.
    expect(Math.abs(printed(last).v - want)).toBeLessThanOrEqual(1e-3 * Math.abs(want));
    expect(out).not.toMatch(/−0\.0+(?![\d])/);
  });

  it('a matrix entry in exponent form is the backend’s value where the hand product of its operands is not (it printed the product, beside a value twice it)', async () => {
    // The net above: δ₁[0] = −5.31e-19, A₀[0] = x1 = 0.001. A backend whose dW₁ is twice δ·A: the line's result must be
    // that value, not the operands' product by hand (the check "within float32's rounding" took 10⁻⁷ as the last place
    // of −5.310e-22, so any hand product of that size passed it).
    const spec: NetworkSpec = {
      inputs: 1, layers: [{ units: 1, activation: 'sigmoid', bias: 'none' }, { units: 1, activation: 'sigmoid', bias: 'none' }], loss: 'mse',
      params: { W: [[[-40000]], [[1]]], b: [[], []] }, x: [[0.001]], y: [[1]],
    };
    const a = 1 / (1 + Math.exp(40));
    const want = 2 * (0.5 - 1) * 0.25 * 1 * a * (1 - a) * 0.001; // twice ∂L/∂w1 in float64, −1.0621e-21
    const line = /= δ₁\[0\] × A₀\[0\] = \((\S+)\) × (\S+) = (\S+)\n/.exec(await text(spec, 'w1', 2));
    expect(line).not.toBeNull();
    const r = printed(line![3]);
    expect(Math.abs(r.v - want), line![0]).toBeLessThanOrEqual(r.half + 1e-6 * Math.abs(want));
    // The backend that is right keeps the line that checks by hand.
    const right = /= δ₁\[0\] × A₀\[0\] = \((\S+)\) × (\S+) = (\S+)\n/.exec(await text(spec, 'w1'))!;
    const [d, x, p] = right.slice(1).map(printed);
    expect(Math.abs(d.v * x.v - p.v)).toBeLessThanOrEqual(p.half);
    expect(Math.abs(p.v - want / 2)).toBeLessThanOrEqual(p.half + 1e-6 * Math.abs(want));
  });

  it("bce's saturated factors in exponent form get more digits until they multiply to the path by hand (3.6387e+8 × 0.00000000206 gave 0.7496)", async () => {
    const spec: NetworkSpec = {
      inputs: 1, layers: [{ units: 1, activation: 'sigmoid', bias: 'none' }], loss: 'bce',
      params: { W: [[[20]]], b: [[]] }, x: [[1]], y: [[0.25]], notation: { decimals: 6 },
    };
    const out = await text(spec, 'w1');
    // float64: ŷ = σ(20), 1 − ŷ = σ(−20); ∂L/∂ŷ = −y/ŷ + (1 − y)/(1 − ŷ); ∂ŷ/∂z = ŷ(1 − ŷ); x1 = 1; product ŷ − y.
    const sig = (z: number) => 1 / (1 + Math.exp(-z));
    const want = [-0.25 / sig(20) + 0.75 / sig(-20), sig(20) * sig(-20), 1];
    const line = /= \(\(ŷ − y\)\/\(ŷ\(1 − ŷ\)\)\) · ŷ\(1 − ŷ\) · x1\n\s+= (\S+) × (\S+) × (\S+)\n\s+= (\S+)\n/.exec(out);
    expect(line, out).not.toBeNull();
    const [f0, f1, f2, r] = line!.slice(1).map(printed);
    [f0, f1, f2].forEach((f, k) => expect(Math.abs(f.v - want[k])).toBeLessThanOrEqual(f.half * (1 + 1e-9)));
    expect(Math.abs(r.v - (sig(20) - 0.25))).toBeLessThanOrEqual(r.half);
    expect(Math.abs(f0.v * f1.v * f2.v - r.v)).toBeLessThanOrEqual(r.half); // by hand (it gave 0.74957 for 0.750000)
  });
});
