/**
 * check --json says what each claim claims (src/cli/check.ts checkJson): a formula claim's `formula`, and the
 * `decimals` a claim is printed at, beside `shown` (the printed value, or the formula's value at the net's values).
 * Task grade61: without them a gradebook made from the JSON told a student who wrote a formula "you wrote
 * 0.001336…", and could not give the correct value at the student's rounding without reading the file again.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/cli/check.ts';
import { lecture } from '../src/lectures/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'backprop-check-json-claim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Lecture 001's net by hand (float64): ∂L/∂w1 = (ŷ − y)·ŷ(1 − ŷ)·w5·a_h1(1 − a_h1)·x1, x1 = 0.05, x2 = 0.1.
const sig = (z: number): number => 1 / (1 + Math.exp(-z));
const aH1 = sig(0.05 * 0.15 + 0.1 * 0.2 + 0.35);
const aH2 = sig(0.05 * 0.25 + 0.1 * 0.3 + 0.35);
const yHat = sig(aH1 * 0.4 + aH2 * 0.45 + 0.6);
const dW1 = (yHat - 0.01) * yHat * (1 - yHat) * 0.4 * aH1 * (1 - aH1) * 0.05;

const claims = [
  { name: 'a_h1', printed: 0.5933, decimals: 4, line: 3 },
  // x2 where the path has x1: wrong, its value twice ∂L/∂w1
  { name: '∂L/∂w1', formula: '(ŷ − y)·ŷ(1 − ŷ)·w5·a_h1(1 − a_h1)·x2', line: 7 },
  { name: '∂L/∂w5', formula: '0.7414 × 0.1868 × 0.5933', decimals: 4, line: 9 },
];
const f = join(dir, 'student.worked.json');
writeFileSync(f, JSON.stringify({ format: 'backprop-worked-example/1', id: 'student', title: 'homework', source: 'homework 3', description: 'by hand', spec: lecture('lecture-2-2-1').worked.spec, claims }));

describe('check --json: each check says what its claim claims', () => {
  it('a formula claim has its formula, a claim with decimals its decimals, and neither where the claim has none', async () => {
    const out: string[] = [];
    expect(await runCheck([f], { backend: 'scalar', knownOk: false, errataMd: false, json: true }, (s) => out.push(s))).toBe(1);
    const checks = (JSON.parse(out.join('')) as { files: { checks: Record<string, unknown>[] }[] }).files[0]!.checks;
    const said = checks.map((c) => ({ name: c.name, line: c.line, formula: c.formula, decimals: c.decimals, matches: c.matches }));
    expect(said).toEqual([
      { name: 'a_h1', line: 3, formula: undefined, decimals: 4, matches: true },
      { name: '∂L/∂w1', line: 7, formula: claims[1]!.formula, decimals: undefined, matches: false },
      { name: '∂L/∂w5', line: 9, formula: claims[2]!.formula, decimals: 4, matches: true },
    ]);
    expect(['formula' in checks[0]!, 'decimals' in checks[1]!]).toEqual([false, false]);
    // The wrong formula's shown value is the formula worked out (x2 = 2·x1: twice the gradient), its value ∂L/∂w1.
    expect(checks[1]!.value as number).toBeCloseTo(dW1, 12);
    expect(checks[1]!.shown as number).toBeCloseTo(2 * dW1, 12);
  });
});
