/**
 * The demo's lecture (src/cli/lecture.ts loadLecture): its claims are the worked example's numeric claims about the
 * batch — formula claims and per-example claims (`examples`: checked by `backprop check` on each example's own pass)
 * left out — in the file's order, and the checker's prepared claims (the demo's verdicts) are the same ones. Review
 * surv55: a mutant dropping or inverting the per-example filter passed every test (no shipped lecture has a numeric
 * per-example claim), so a stand-in lecture has one (vi.mock of src/lectures/index.ts, every real lecture kept).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import type { WorkedExample } from '../src/worked/worked.ts';

vi.mock('../src/lectures/index.ts', async (original) => {
  const real = await original<typeof import('../src/lectures/index.ts')>();
  const base = real.lecture('lecture-2-2-1');
  // Lecture 001's net and batch (one example), with three claims of its own: L about the batch, the same L about
  // example 0 alone (a per-example claim), and a formula.
  const worked: WorkedExample = {
    ...base.worked, id: 'stand-in',
    claims: [
      { name: 'L', printed: 0.2748, decimals: 4, line: 1 },
      { name: 'L', printed: 0.2748, decimals: 4, line: 2, examples: [0] },
      { name: 'z_h1', formula: 'x1·w1 + x2·w2 + b1', line: 3 },
    ],
  };
  return { ...real, lecture: (id: string) => (id === 'stand-in' ? { id, file: 'stand-in.worked.json', worked } : real.lecture(id)) };
});

const { loadLecture } = await import('../src/cli/lecture.ts');

describe("the demo's lecture claims: numeric, about the batch", () => {
  it('a stand-in lecture: only the batch claim (line 1), not its per-example twin (line 2) nor the formula (line 3)', () => {
    const l = loadLecture('stand-in');
    expect(l.claims.map((c) => [c.name, c.line, c.printed])).toEqual([['L', 1, 0.2748]]);
    expect(l.prepared.claims.map((c) => c.claim.line)).toEqual([1]);
  });

  it("lecture 001: every numeric claim of its file, in its order, and the checker's the same (none per example there)", () => {
    // Read from the file itself: the claims without a formula (lecture 001 has no per-example claim).
    const file = JSON.parse(readFileSync('src/lectures/lecture-2-2-1.worked.json', 'utf8')) as { claims: { name: string; line: number; formula?: string; examples?: number[] }[] };
    const numeric = file.claims.filter((c) => c.formula === undefined);
    expect(file.claims.filter((c) => c.examples !== undefined)).toEqual([]);
    expect(numeric.length).toBe(48);
    const l = loadLecture('lecture-2-2-1');
    expect(l.claims.map((c) => [c.name, c.line])).toEqual(numeric.map((c) => [c.name, c.line]));
    expect(l.prepared.claims.map((c) => [c.claim.name, c.claim.line])).toEqual(numeric.map((c) => [c.name, c.line]));
  });
});
