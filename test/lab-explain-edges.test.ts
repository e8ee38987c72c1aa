/**
 * The explanation panel's edges (src/lab/explain-panel.ts) that test/lab-explain-panel.test.ts leaves open: a matrix
 * exactly as wide as the limit, a gap of one index, the 8-path line, the words for several examples and for a shared
 * bias's units, Aᵀ's layout with two examples, the products of a 4-example sum, and the float32 check's verdict.
 * Expected numbers by hand: lecture 001 (∂L/∂b1 = 0.0134 + 0.0150 = 0.0284, ∂L/∂w5 = 0.0822) and a 2-3-2 tanh net on
 * two examples whose A₁ is tanh(W₁x + b₁), worked in float64 below.
 */
import { describe, expect, it } from 'vitest';
import { exampleNote, explanationModel, pickIndices, USED_COLOR } from '../src/lab/explain-panel.ts';
import { lecture } from '../src/lectures/index.ts';
import { xorSpec } from './lib/lab-nets.ts';
import { B, cpuRun, s232, W } from './lib/explain-nets.ts';

const spec221 = lecture('lecture-2-2-1').worked.spec;
function matrixOf(e: ReturnType<typeof explanationModel>): { where: string; blocks: string[]; check: string | undefined } {
  if ('error' in e.matrix) throw new Error(e.matrix.error);
  return e.matrix;
}

/** A pmatrix's rows of cells, the colour wrappers taken off. */
const cells = (block: string): string[][] => {
  const body = block.slice(block.indexOf('\\begin{pmatrix}') + '\\begin{pmatrix}'.length, block.indexOf('\\end{pmatrix}'));
  const plain = body.replace(/\\textcolor\{[^}]*\}\{([^}]*)\}/g, '$1').replace(/\\colorbox\{[^}]*\}\{\$([^$]*)\$\}/g, '$1');
  return plain.split('\\\\').map((row) => row.split('&').map((c) => c.trim()));
};

describe('pickIndices at its edges', () => {
  it('a matrix exactly as wide as the limit is shown whole', () => {
    expect(pickIndices(6, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(pickIndices(6, 6, 4)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('one index left out between two shown is still a gap (⋯): 0 1 ⋯ 7 ⋯ 9, index 8 hidden', () => {
    expect(pickIndices(10, 6, 7)).toEqual([0, 1, null, 7, null, 9]);
  });
});

describe('exampleNote: "every path" holds up to SHOW_PATHS = 8 (README: more than 8 paths are cut)', () => {
  it('8 paths are all worked; 9 are cut to 8', () => {
    expect(exampleNote(2, 0, 8)).toBe('Every path is worked for example 1, example 2 by its total.');
    expect(exampleNote(2, 0, 9)).toBe("Up to 8 paths of a group are worked for example 1 (the rest only in the group's total), example 2 by its total.");
  });
});

describe('the matrix form in words and numbers', () => {
  it('two examples: "for each of the 2 examples", and A₁ᵀ has one row per example (tanh(W₁x + b₁) worked by hand)', async () => {
    const m = matrixOf(explanationModel({ spec: s232, param: W(1, 0, 0), run: await cpuRun(s232) }));
    expect(m.where).toContain('for each of the 2 examples');
    expect(m.where).not.toContain('the one example');
    // Example 1: z = (0.5 − 0.6 + 0.1, 0.2 + 1.6 − 0.1, −0.6 + 0.2 + 0.05) = (0, 1.7, −0.35) → tanh (0, 0.9354, −0.3364);
    // example 2: z = (−0.24, 0.04, 0.38) → tanh (−0.2355, 0.0400, 0.3627).
    const aT = cells(m.blocks[1]).map((row) => row.map((c) => Number(c.replace('−', '-'))));
    // (z = 0 in float32 is a rounding off 0: its cell shows a tiny number, as the engine's value is.)
    const want = [[0, 0.9354, -0.3364], [-0.2355, 0.04, 0.3627]];
    expect(aT.map((row) => row.length)).toEqual([3, 3]);
    want.forEach((row, c) => row.forEach((v, j) => expect(aT[c][j], `A₁ᵀ[${c}][${j}]`).toBeCloseTo(v, 4)));
  });

  it('a shared bias: "shared by the 2 units of layer 1", every entry of δ₁ marked as used', async () => {
    const m = matrixOf(explanationModel({ spec: spec221, param: B(0, 0), run: await cpuRun(spec221) }));
    expect(m.where).toContain('one bias shared by the 2 units of layer 1');
    // δ₁ is 2 × 1 (two units, one example): both entries go into db₁ = 0.0134 + 0.0150.
    expect(m.blocks[0].split(`\\textcolor{${USED_COLOR}}`).length - 1).toBe(2);
  });

  it('a mean over 4 examples (XOR) writes the entry\'s four products out', async () => {
    const spec = xorSpec();
    const m = matrixOf(explanationModel({ spec, param: W(0, 0, 0), run: await cpuRun(spec) }));
    const entry = m.blocks[3];
    expect(entry).toContain('\\begin{aligned}');
    expect(entry.split('\\times').length - 1).toBe(4);
  });

  it('the check says ✗ when the backend\'s entry is off by more than float32 rounding (8e-6 on w5 = 0.0822)', async () => {
    const run = await cpuRun(spec221);
    const ok = matrixOf(explanationModel({ spec: spec221, param: W(1, 0, 0), run }));
    expect(ok.check).toContain('✓');
    // The bound is 1e-6 + 1e-5 × (the sum of the paths' |products|, here 0.0822): 1.8e-6 < 8e-6.
    const dW = run.dW.map((a) => Float64Array.from(a));
    dW[1][0] += 8e-6;
    const off = matrixOf(explanationModel({ spec: spec221, param: W(1, 0, 0), run: { ...run, dW } }));
    expect(off.check).toContain('✗ they differ by more than float32 rounding');
  });
});
