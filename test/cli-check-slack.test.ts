/**
 * A grader's slack (src/worked/check.ts CheckOptions.slack, `check --slack U`): a claim matches within U units of its
 * last printed digit, where the default is the printed rounding itself (½ unit). Task grade61: a student who rounded
 * every intermediate value to 4 decimals, as the lectures do, can land a unit off in the last digit (ŷ 0.3469 where
 * the net gives 0.346955), and the default marked that hand work wrong. The values below are lecture 001's net worked
 * by hand in float64 (x = (0.05, 0.1), its printed weights), never the engine's output.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/cli/check.ts';
import { ClaimError } from '../src/errors.ts';
import { lecture } from '../src/lectures/index.ts';
import { type CheckOptions, checkWorked, MAX_SLACK } from '../src/notation/index.ts';
import { parseWorked } from '../src/worked/worked.ts';
import { cli } from './lib/cli-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'backprop-check-slack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sig = (z: number): number => 1 / (1 + Math.exp(-z));
const aH1 = sig(0.05 * 0.15 + 0.1 * 0.2 + 0.35);
const aH2 = sig(0.05 * 0.25 + 0.1 * 0.3 + 0.35);
const dLdyHat = sig(aH1 * 0.4 + aH2 * 0.45 + 0.6) - 0.01; // ŷ − y = 0.7413650695…

// ∂L/∂ŷ written one unit low in the 4th decimal (0.7413: 6.5e-5 below it, past ½·10⁻⁴), a_h1 rounded right (0.5933).
const claims = [
  { name: '∂L/∂ŷ', printed: 0.7413, decimals: 4, line: 1 },
  { name: 'a_h1', printed: 0.5933, decimals: 4, line: 2 },
];
const worked = { format: 'backprop-worked-example/1', id: 'student', title: 'homework', source: 'homework 3', description: 'by hand', spec: lecture('lecture-2-2-1').worked.spec, claims };
const f = join(dir, 'student.worked.json');
writeFileSync(f, JSON.stringify(worked));

async function json(slack?: number): Promise<{ code: number; out: { slack?: number; files: { checks: { name: string; tolerance: number; matches: boolean }[] }[] } }> {
  const out: string[] = [];
  const code = await runCheck([f], { backend: 'scalar', knownOk: false, errataMd: false, json: true, slack }, (s) => out.push(s));
  return { code, out: JSON.parse(out.join('')) };
}

describe('check --slack: a claim within U units of its last printed digit', () => {
  it('the hand values: ∂L/∂ŷ is 6.5e-5 above 0.7413, past the printed rounding, past 0.6 units, within one unit', () => {
    expect(dLdyHat - 0.7413).toBeGreaterThan(0.6e-4);
    expect(dLdyHat - 0.7413).toBeLessThan(1e-4);
    expect(Math.abs(aH1 - 0.5933)).toBeLessThan(0.5e-4);
  });

  it('by default ∂L/∂ŷ = 0.7413 is wrong (exit 1); with --slack 1 it matches (exit 0), its tolerance one unit, 1e-4', async () => {
    const plain = await json();
    expect(plain.code).toBe(1);
    expect(plain.out.slack).toBeUndefined();
    expect(plain.out.files[0]!.checks.map((c) => c.matches)).toEqual([false, true]);
    expect(plain.out.files[0]!.checks[0]!.tolerance).toBeCloseTo(0.5e-4, 9);
    const one = await json(1);
    expect(one.code).toBe(0);
    expect(one.out.slack).toBe(1);
    expect(one.out.files[0]!.checks.map((c) => c.matches)).toEqual([true, true]);
    expect(one.out.files[0]!.checks[0]!.tolerance).toBeCloseTo(1e-4, 9);
  });

  it('--slack 0.6 (6e-5) still leaves 6.5e-5 wrong', async () => {
    expect((await json(0.6)).out.files[0]!.checks.map((c) => c.matches)).toEqual([false, true]);
  });

  it('the text says the slack once, above the report (bin/backprop.js)', () => {
    const r = cli('check', f, '--slack', '2');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('slack: a claim matches within 2 units of its last printed digit (--slack; the printed rounding is 0.5)');
    expect(r.stdout.split('slack:').length).toBe(2);
  });

  it.each([['0.4'], ['101'], ['-1'], ['abc'], ['']])('--slack %j is a usage error naming --slack, before any file is read', (raw) => {
    const r = cli('check', join(dir, 'no-such-file.json'), '--slack', raw);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--slack must be/);
  });

  it('the package\'s notation entry exports the options type and the largest slack (100 units, as README says)', () => {
    const most: CheckOptions = { slack: MAX_SLACK };
    expect(most.slack).toBe(100);
    expect(checkWorked(parseWorked(worked, 'student.worked.json'), undefined, most).checks.every((c) => c.matches)).toBe(true);
  });

  it('checkWorked takes the slack too, and refuses a bad one as a ClaimError naming slack', () => {
    const w = parseWorked(worked, 'student.worked.json');
    expect(checkWorked(w).checks.map((c) => c.matches)).toEqual([false, true]);
    expect(checkWorked(w, undefined, { slack: 1 }).checks.map((c) => c.matches)).toEqual([true, true]);
    for (const slack of [0.25, 1000, Number.NaN, '1' as unknown as number]) {
      let e: unknown;
      try {
        checkWorked(w, undefined, { slack });
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(ClaimError);
      expect((e as ClaimError).field).toBe('slack');
    }
  });
});
