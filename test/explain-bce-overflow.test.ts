/**
 * explain under bce where ∂L/∂ŷ overflows float64: a sigmoid output at |z| past ~709.78 and a 0/1 label it
 * contradicts has ∂L/∂ŷ = e^|z| (not finite), and its chain printed `Infinity × 0 × 1 = NaN` (|z| > 745) or
 * `Infinity × 2.03e-313 × 1 = Infinity` (709.78 < |z| < 745), so the CLI's explain exited 1 with the CPU backend's
 * right gradient "disagreeing". There the path's first two factors are given as one, ∂L/∂z_out = ŷ − y (as
 * softmax-cross-entropy's first factor is), with a line that says why; a chain that does not overflow prints as before.
 * Also: a value that is not finite prints with the text minus (−Infinity), as every other negative value.
 */
import katex from 'katex';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explain, explainer, mismatches } from '../src/notation/explain.ts';
import { latexBlocks, render } from '../src/notation/format.ts';
import { noiseBounds } from '../src/notation/noise.ts';
import { fmtValue } from '../src/notation/numbers.ts';
import { ScalarEngine } from '../src/notation/scalar.ts';
import type { NetworkSpec } from '../src/spec.ts';
import { cli, specFile } from './lib/cli-run.ts';
import { B, W, cpuRun, lossWrt, spec221 } from './lib/notation-common.ts';

/** A 1-1 net: one sigmoid unit under bce, z = w·x + b. */
const oneOne = (w: number, x: number[], y: number[], b = 0): NetworkSpec => ({
  inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', reduction: 'mean',
  params: { W: [[[w]]], b: [[b]] }, x: x.map((v) => [v]), y: y.map((v) => [v]),
});

/**
 * The reference, written from the formula, not from the engine: for one sigmoid unit under bce, ∂L_c/∂z = σ(z_c) − y_c,
 * so ∂L/∂w = mean_c (σ(z_c) − y_c)·x_c and ∂L/∂b = mean_c (σ(z_c) − y_c). σ(z) = 1/(1 + e^−z) (e^−z overflows to ∞ for
 * z < −709.78, giving 0, which is σ's float64 value there).
 */
function reference(w: number, b: number, x: number[], y: number[]): { dw: number; db: number } {
  const d = x.map((xc, c) => 1 / (1 + Math.exp(-(w * xc + b))) - y[c]);
  return { dw: d.reduce((s, dc, c) => s + dc * x[c], 0) / x.length, db: d.reduce((s, dc) => s + dc, 0) / x.length };
}

describe("explain: bce's ∂L/∂ŷ overflowing float64 (sigmoid output, |z| > 709.78, a label it contradicts)", () => {
  it('1-1 net, w = 800, x = 1, y = 0: the chain is ∂L/∂z_out · ∂z_out/∂w1 = (ŷ − y) · x1 = 1 × 1 = 1, with the line that says why', () => {
    const text = explain(oneOne(800, [1], [0]), { param: 'w1' }, [], 'text');
    expect(text).toContain([
      '  ∂L/∂w1 = ∂L/∂z_out · ∂z_out/∂w1',
      '         = (ŷ − y) · x1',
      '         = 1 × 1',
      '         = 1',
      '           (∂L/∂ŷ overflows float64 at z_out = 800: ∂L/∂ŷ · ∂ŷ/∂z_out = ∂L/∂z_out = ŷ − y)',
      '  scalar total, float64: 1',
    ].join('\n'));
    expect(text).not.toMatch(/NaN|Infinity/);
  });

  // 720: ∂L/∂ŷ = 1/σ(−720) = ∞ while ŷ(1 − ŷ) = 2.03e-313 (the product printed Infinity); 800: ŷ(1 − ŷ) = 0 (NaN);
  // −800 with y = 1: −y/ŷ = −∞ as ŷ = σ(−800) is 0 (NaN). A batch mixes them with examples that do not overflow.
  it.each([
    [720, [1, 0.5, -0.25], [0, 0, 0], '720.5000'],
    [800, [1, 0.5, -0.25], [0, 1, 0], '800.5000'],
    [-800, [1, 0.5, 2], [1, 1, 0], '−799.5000'],
  ])('w = %d, x = %j, y = %j: ∂L/∂w1 and ∂L/∂b1 equal mean_c (σ(z_c) − y_c)·x_c in float64, and the CPU backend agrees', async (w, x, y, z1) => {
    const spec = oneOne(w, x, y, 0.5);
    const ref = reference(w, 0.5, x, y);
    const ex = explainer(spec, {});
    const doc = ex.doc([await cpuRun(spec)]);
    const dw = ex.engine.expand(lossWrt(W(0, 0, 0))).total;
    const db = ex.engine.expand(lossWrt(B(0, 0))).total;
    expect(Math.abs(dw - ref.dw), `${dw} vs ${ref.dw}`).toBeLessThanOrEqual(1e-12 * Math.abs(ref.dw));
    expect(Math.abs(db - ref.db), `${db} vs ${ref.db}`).toBeLessThanOrEqual(1e-12 * Math.abs(ref.db));
    const value = ex.engine.value(lossWrt(W(0, 0, 0))); // derivative() takes the same factors as expand()
    expect(Math.abs(value - ref.dw)).toBeLessThanOrEqual(1e-12 * Math.abs(ref.dw));
    expect(mismatches(doc)).toEqual([]);
    for (const format of ['text', 'md', 'latex'] as const) {
      const out = render(doc, format);
      expect(out, format).not.toMatch(/NaN|Infinity/);
      expect(out, format).toContain(format === 'latex' ? '\\text{ overflows float64 at }' : `∂L₁/∂ŷ overflows float64 at z_out = ${z1}: ∂L₁/∂ŷ · ∂ŷ/∂z_out = ∂L₁/∂z_out = ŷ − y`);
    }
    // Example 1 overflows (one loss factor); example 2 (|z| ≤ 400.5) keeps the lectures' two.
    const text = render(doc, 'text');
    expect(text).toContain('∂L₁/∂w1 = ∂L₁/∂z_out · ∂z_out/∂w1\n');
    expect(text).toContain('∂L₂/∂w1 = ∂L₂/∂ŷ · ∂ŷ/∂z_out · ∂z_out/∂w1\n');
    for (const b of latexBlocks(doc)) expect(() => katex.renderToString(b, { throwOnError: true, displayMode: true }), b).not.toThrow();
  });

  it('a chain that does not overflow is as before: z = 709 (∂L/∂ŷ = 8.2e+307), z = 1000 with the label it agrees with (∂L/∂ŷ = −1)', () => {
    for (const [w, y] of [[709, 0], [1000, 1]]) {
      const text = explain(oneOne(w, [1], [y]), { param: 'w1' }, [], 'text');
      expect(text, `${w}`).toContain('  ∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂z_out · ∂z_out/∂w1\n         = ((ŷ − y)/(ŷ(1 − ŷ))) · ŷ(1 − ŷ) · x1\n');
      expect(text, `${w}`).not.toContain('overflows');
    }
  });

  it('the noise bound of a sum over fused paths takes their factors: (1/2)·(1 + (−1)) cancels to 0.0000, a zero from cancelling terms', () => {
    // z = ±800 with the labels they contradict: ∂L_c/∂b1 = ŷ − y = 1 and −1. The bound sizes each path by its own
    // factors (|ŷ| + |y| = 1 for ŷ − y); sized by the lectures' three, against two values, it was NaN and printed 0.
    const spec = oneOne(800, [1, -1], [0, 1]);
    const engine = new ScalarEngine(spec);
    const e = engine.expand(lossWrt(B(0, 0)));
    expect(e.total).toBe(0);
    const bound = noiseBounds(e, engine).total;
    expect(Number.isFinite(bound) && bound > 0, `${bound}`).toBe(true);
    expect(explain(spec, { param: 'b1' }, [], 'text')).toContain('  ∂L/∂b1 = (1/2)·(1 + (−1)) = 0.0000   (mean over 2 examples)\n');
  });

  it("a 5-2-5-3 net (identity, identity, sigmoid; bce; weights to ±12, shared biases 9) as the audit's: every parameter agrees with the CPU", async () => {
    let s = 7;
    const r = () => { s = (s * 16807) % 2147483647; return s / 2147483647; };
    const m = (rows: number, cols: number) => Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.round((r() * 24 - 12) * 100) / 100));
    const spec: NetworkSpec = {
      inputs: 5, loss: 'bce',
      layers: [{ units: 2, activation: 'identity', bias: 'shared' }, { units: 5, activation: 'identity', bias: 'shared' }, { units: 3, activation: 'sigmoid', bias: 'shared' }],
      params: { W: [m(2, 5), m(5, 2), m(3, 5)], b: [9, 9, 9] }, x: [[1, 2, -3, 4, 0.5], [0.1, 0.2, 0.1, -0.1, 0.3]], y: [[0, 1, 0], [1, 0, 1]],
    };
    const ex = explainer(spec, {});
    const doc = ex.doc([await cpuRun(spec)]);
    expect(ex.params).toHaveLength(38); // 5·2 + 1, 2·5 + 1, 5·3 + 1
    expect(render(doc, 'text')).toContain('overflows float64');
    expect(render(doc, 'text')).not.toMatch(/NaN|Infinity/);
    expect(mismatches(doc)).toEqual([]);
  });

  it('`backprop explain` on the 1-1 net (w = 800, x = 1, y = 0) exits 0: the CPU\'s gradient agrees with the scalar chain', () => {
    const r = cli('explain', specFile(oneOne(800, [1], [0])));
    expect(r.stderr).not.toContain('disagree');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('cpu: dW₁[0][0] = 1; |scalar − cpu| = 0.0e+0 ≤');
    expect(r.stdout).toContain('(∂L/∂ŷ overflows float64 at z_out = 800: ∂L/∂ŷ · ∂ŷ/∂z_out = ∂L/∂z_out = ŷ − y)');
  });

  it('README says what explain prints there', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme.includes('(∂L/∂ŷ overflows float64 at z_out = 800: ∂L/∂ŷ · ∂ŷ/∂z_out = ∂L/∂z_out = ŷ − y)'), 'README, explain').toBe(true);
  });
});

describe('a value that is not finite is printed with the text minus', () => {
  it('fmtValue(−∞) is −Infinity (text), \\text{-Infinity} (LaTeX)', () => {
    expect(fmtValue(-Infinity, 4)).toBe('−Infinity');
    expect(fmtValue(-Infinity, 4, 'latex')).toBe('\\text{-Infinity}');
    expect(fmtValue(Infinity, 4)).toBe('Infinity');
  });

  it("a backend's −Infinity in the matrix line: (−Infinity) × 0.5933 = −Infinity, a negative factor in parentheses", async () => {
    const run = await cpuRun(spec221);
    const delta = run.delta.map((d) => Float64Array.from(d));
    const dW = run.dW.map((w) => Float64Array.from(w));
    delta[1][0] = -Infinity; // δ₂[0], which w5's matrix line multiplies by A₁[0]
    dW[1][0] = -Infinity;
    const text = explain(spec221, { param: 'w5' }, [{ ...run, delta, dW }], 'text');
    expect(text).toContain('= δ₂[0] × A₁[0] = (−Infinity) × 0.5933 = −Infinity\n');
    expect(text).toContain('cpu: dW₂[0][0] = −Infinity;');
    expect(text).not.toContain('-Infinity');
  });
});
