/**
 * explain's LaTeX for a group of several paths (nmut58 mutation audit): the group's first path row opens with "&=" and
 * each later one adds, "&+", as a sum is written by hand; then the group's sum. Checked on a 1-1-2-2 identity net
 * whose paths are products of small integers, worked by hand: a_h11 = 1, a_h2 = (2, 3), ŷ = (4·2 + 5·3, 6·2 + 7·3) =
 * (23, 33); ∂L/∂w1 via h21 = 23·4·2 + 33·6·2 = 184 + 396 = 580, via h22 = 23·5·3 + 33·7·3 = 345 + 693 = 1038.
 */
import { describe, expect, it } from 'vitest';
import { explain } from '../src/notation/index.ts';

const spec = {
  inputs: 1,
  layers: [{ units: 1, activation: 'identity' as const }, { units: 2, activation: 'identity' as const }, { units: 2, activation: 'identity' as const }],
  loss: 'mse' as const,
  params: { W: [[[1]], [[2], [3]], [[4, 5], [6, 7]]], b: [[0], [0, 0], [0, 0]] },
  x: [[1]], y: [[0, 0]],
};

describe("explain's LaTeX: a group's paths are summed row by row", () => {
  it('via h21: "&=\\ …(= … = 184)" then "&+\\ …(= … = 396)", and the group is 580; the whole is 580 + 1038 = 1618', () => {
    const latex = explain(spec, { param: 'w1' }, [], 'latex');
    const rows = latex.split(' \\\\\n');
    const i = rows.findIndex((r) => r.endsWith('= 23 \\times 1 \\times 4 \\times 1 \\times 2 \\times 1 \\times 1 = 184)'));
    expect(i, latex).toBeGreaterThanOrEqual(0);
    expect(rows[i]).toMatch(/\\left\.\\frac\{\\partial L\}\{\\partial w_\{1\}\}\\right\|_\{\\text\{via \} h_\{21\}\} &=\\ /);
    expect(rows[i + 1]).toMatch(/^ &\+\\ .*\(= 33 \\times 1 \\times 6 \\times 1 \\times 2 \\times 1 \\times 1 = 396\)$/);
    expect(rows[i + 2]).toMatch(/&= 580$/);
    expect(rows[i + 3]).toMatch(/via \} h_\{22\}\} &=\\ .*= 345\)$/);
    expect(rows[i + 4]).toMatch(/^ &\+\\ .*= 693\)$/);
    expect(latex).toContain('&= 580 + 1038 = 1618');
  });
});
