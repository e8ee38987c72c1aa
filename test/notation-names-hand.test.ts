/**
 * Names and places of parameters and nodes (src/notation/names.ts, ids.ts) checked against the lectures' own writing
 * (a mutation audit of the scalar notation, nmut54: each test here failed on a mutant the other node tests let
 * through): the flat convention's outputs ŷ1, ŷ2 of a net with several, and a parameter's entry in engine-layout
 * arrays (the lab's course views read W and dW through it), and the matrix-form place W₂[0][1] a student copies from
 * explain: which parameter it is, and which row of δ and of A its gradient takes; w5 after the step is written w5'.
 */
import { describe, expect, it } from 'vitest';
import { explain } from '../src/notation/explain.ts';
import { Naming, paramValue } from '../src/notation/names.ts';
import { ScalarEngine } from '../src/notation/scalar.ts';
import { symText } from '../src/notation/symbols.ts';
import { validateNet } from '../src/spec.ts';
import { B, cpuRun, spec221, W } from './lib/notation-common.ts';

describe('the flat convention names several outputs ŷ1, ŷ2 (README, Naming conventions: z_o1/ŷ1 …), counted from 1', () => {
  it('a 2-2-2 net: the outputs are ŷ1 and ŷ2 (z_o1, z_o2), and ŷ2 resolves to the second output unit', () => {
    const net = validateNet({ inputs: 2, layers: [{ units: 2, activation: 'sigmoid' }, { units: 2, activation: 'sigmoid' }], loss: 'mse' });
    const naming = new Naming(net, undefined);
    expect([0, 1].map((unit) => symText(naming.node({ kind: 'a', layer: 1, unit })))).toEqual(['ŷ1', 'ŷ2']);
    expect([0, 1].map((unit) => symText(naming.node({ kind: 'z', layer: 1, unit })))).toEqual(['z_o1', 'z_o2']);
    expect(naming.resolve('ŷ2', 'name')).toEqual({ kind: 'node', node: { kind: 'a', layer: 1, unit: 1 } });
  });
});

describe('a parameter\'s entry in engine-layout arrays: W_l[row·fanIn + col] (ids.ts paramValue)', () => {
  it('lecture 001\'s W1 = [[w1, w2], [w3, w4]] flattened row by row: W[0][0][1] is w2 = 0.20, W[0][1][0] is w3 = 0.25', () => {
    // z_h1 = x1·w1 + x2·w2 + b1: w2 feeds h1 (row 0) from x2 (column 1); w3 feeds h2 (row 1) from x1 (column 0).
    const net = validateNet({ inputs: 2, layers: [{ units: 2, activation: 'sigmoid', bias: 'shared' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' });
    const arrays = { W: [Float64Array.of(0.15, 0.2, 0.25, 0.3), Float64Array.of(0.4, 0.45)], b: [Float64Array.of(0.35), Float64Array.of(0.6)] };
    const at = [W(0, 0, 0), W(0, 0, 1), W(0, 1, 0), W(0, 1, 1), W(1, 0, 1), B(0, 0), B(1, 0)].map((p) => paramValue(net, arrays, p));
    expect(at).toEqual([0.15, 0.2, 0.25, 0.3, 0.45, 0.35, 0.6]);
  });
});

describe('the matrix form\'s place of a parameter: W_l[row][col], layers from 1, row = the unit fed, column = the unit below', () => {
  // Lecture 001: z_h1 = x1·w1 + x2·w2 + b1, z_h2 = x1·w3 + x2·w4 + b1, z_out = a_h1·w5 + a_h2·w6 + b2. So W₁[0][1] is w2
  // (feeds h1 from x2), W₁[1][0] is w3 (feeds h2 from x1), W₂[0][1] is w6 (feeds out from a_h2).
  it('a student who types W₂[0][1] or W₁[1][0] (explain\'s names list) is told w6 and w3; dW₁[0][1] is ∂L/∂w2', () => {
    const naming = new Naming(new ScalarEngine(spec221).net, spec221.notation);
    const told = (text: string): string => {
      try {
        naming.resolve(text, 'name');
      } catch (err) {
        return (err as Error).message;
      }
      return 'resolved';
    };
    expect(told('W₂[0][1]')).toContain('W₂[0][1] is an entry of the matrix form, w6 in this net\'s names');
    expect(told('W₁[1][0]')).toContain('W₁[1][0] is an entry of the matrix form, w3 in this net\'s names');
    expect(told('dW₁[0][1]')).toContain('dW₁[0][1] is an entry of the matrix form, ∂L/∂w2 in this net\'s names');
  });

  it('explain\'s matrix line for w2, text and LaTeX: entry [0][1] of δ₁·A₀ᵀ, row 0 of δ₁ (h1\'s δ) times row 1 of A₀ (x2)', async () => {
    const runs = [await cpuRun(spec221)];
    expect(explain(spec221, { param: 'w2' }, runs, 'text')).toContain('w2 is entry [0][1]: row 0 of δ₁ times column 1 of A₀ᵀ (row 1 of A₀)');
    // The LaTeX line: (δ₁A₀ᵀ)_{[0][1]} = δ₁[0] A₀[1] = δ_h1 × x2 = 0.0134 × 0.1 (lecture 001 line 185's product).
    expect(explain(spec221, { param: 'w2' }, runs, 'latex')).toContain('\\right)_{[0][1]} = \\boldsymbol{\\delta}_{1}[0]\\, \\mathbf{A}_{0}[1] = 0.0134 \\times 0.1 =');
  });
});

describe('a parameter after one SGD step is named with a prime (lecture 001: "New w5"), and the name reads back', () => {
  it('lecture 001: the updated w5 is w5\', not w5 (the parameter itself); both resolve to what they name', () => {
    const naming = new Naming(new ScalarEngine(spec221).net, spec221.notation);
    const updated = { kind: 'updated', param: W(1, 0, 0) } as const;
    expect(naming.name(updated)).toBe("w5'");
    expect(naming.resolve(naming.name(updated), 'name')).toEqual(updated);
    expect(naming.resolve('w5', 'name')).toEqual({ kind: 'param', param: W(1, 0, 0) });
  });
});

describe('to-from\'s w²₁₁ typed with the subscript first, w_11^2, is the same name (symbols.ts normalizeName)', () => {
  it('lecture 001\'s net under to-from: w^2_11, w²₁₁ and w_11^2 all name W[1][0][0] (w5); w_12^2 names w6', () => {
    const naming = new Naming(new ScalarEngine(spec221).net, undefined, 'to-from');
    for (const text of ['w^2_11', 'w²₁₁', 'w_11^2']) expect(naming.resolve(text, 'name'), text).toEqual({ kind: 'param', param: W(1, 0, 0) });
    expect(naming.resolve('w_12^2', 'name')).toEqual({ kind: 'param', param: W(1, 0, 1) });
  });
});
