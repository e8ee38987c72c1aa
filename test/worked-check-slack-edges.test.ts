/**
 * A grader's slack at its edges (src/worked/check.ts CheckOptions.slack, slackOf; src/cli/main.ts slackFlag): 0.5 and
 * 100 units are allowed (the bounds are inclusive), an exact claim stays exact, a formula claim's rounded numbers get
 * the slack, and an erratum's correction and readings keep the printed rounding whatever the slack. The values are
 * lecture 001's net worked by hand in float64 (x = (0.05, 0.1), its printed weights; as test/cli-check-slack.test.ts),
 * never the engine's output.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lecture } from '../src/lectures/index.ts';
import { ClaimError } from '../src/errors.ts';
import { checkWorked } from '../src/notation/index.ts';
import { parseWorked } from '../src/worked/worked.ts';
import { cli } from './lib/cli-run.ts';

const sig = (z: number): number => 1 / (1 + Math.exp(-z));
const aH1 = sig(0.05 * 0.15 + 0.1 * 0.2 + 0.35);
const aH2 = sig(0.05 * 0.25 + 0.1 * 0.3 + 0.35);
const dLdyHat = sig(aH1 * 0.4 + aH2 * 0.45 + 0.6) - 0.01; // ŷ − y = 0.7413650695…

const worked = (claims: unknown[]) => parseWorked({ format: 'backprop-worked-example/1', id: 'student', title: 'homework', source: 'homework 3', description: 'by hand', spec: lecture('lecture-2-2-1').worked.spec, claims }, 'student.worked.json');

describe('the slack\'s bounds, 0.5 and 100, are allowed', () => {
  it('checkWorked: 0.5 is the default\'s tolerance (½·10⁻⁴), 100 is 100·10⁻⁴ = 0.01', () => {
    // ∂L/∂ŷ printed 0.7313: 0.0100651 below the value, just past 100 units; 0.7314 is 0.0099651 below, within.
    const w = worked([{ name: '∂L/∂ŷ', printed: 0.7413, decimals: 4 }, { name: '∂L/∂ŷ', printed: 0.7314, decimals: 4 }, { name: '∂L/∂ŷ', printed: 0.7313, decimals: 4 }]);
    expect(dLdyHat - 0.7314).toBeLessThan(0.01);
    expect(dLdyHat - 0.7313).toBeGreaterThan(0.01);
    const half = checkWorked(w, undefined, { slack: 0.5 });
    expect(half.checks[0]!.tolerance).toBeCloseTo(0.5e-4, 9);
    expect(half.checks.map((c) => c.matches)).toEqual([false, false, false]);
    const most = checkWorked(w, undefined, { slack: 100 });
    expect(most.checks[0]!.tolerance).toBeCloseTo(0.01, 9);
    expect(most.checks.map((c) => c.matches)).toEqual([true, true, false]);
  });

  it('the CLI takes --slack 0.5 and --slack 100, and refuses 0 as a usage error before any file is read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backprop-slack-edges-'));
    try {
      const f = join(dir, 'student.worked.json');
      writeFileSync(f, JSON.stringify({ format: 'backprop-worked-example/1', id: 'student', title: 'homework', source: 'homework 3', description: 'by hand', spec: lecture('lecture-2-2-1').worked.spec, claims: [{ name: '∂L/∂ŷ', printed: 0.7314, decimals: 4 }] }));
      const half = cli('check', f, '--slack', '0.5', '--json');
      expect(half.status).toBe(1); // 0.0099651 off: wrong at the printed rounding
      expect(JSON.parse(half.stdout).slack).toBe(0.5);
      const most = cli('check', f, '--slack', '100', '--json');
      expect(most.status).toBe(0);
      expect(JSON.parse(most.stdout).slack).toBe(100);
      const zero = cli('check', join(dir, 'no-such-file.json'), '--slack', '0');
      expect(zero.status).toBe(2);
      expect(zero.stderr).toMatch(/--slack must be 0\.5 \(the printed rounding\) … 100 units/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bad slack is refused before the example is prepared: its error, not the example\'s (a claim naming w99)', () => {
    const w = worked([{ name: '∂L/∂w99', printed: 0.1, decimals: 4 }]);
    let e: unknown;
    try {
      checkWorked(w, undefined, { slack: 1000 });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(ClaimError);
    expect((e as ClaimError).field).toBe('slack');
  });
});

describe('what the slack widens, and what it does not', () => {
  it('an exact claim stays exact: x1 = 0.0501 at 4 decimals is wrong with any slack (its tolerance the engine\'s eps)', () => {
    const w = worked([{ name: 'x1', printed: 0.0501, decimals: 4, exact: true }]);
    const c = checkWorked(w, undefined, { slack: 2 }).checks[0]!;
    expect(c.matches).toBe(false);
    expect(c.tolerance).toBeLessThan(1e-9);
  });

  it('a formula claim\'s rounded numbers get the slack: 0.7413 at 4 decimals, 6.5e-5 off, matches with slack 1', () => {
    const w = worked([{ name: '∂L/∂ŷ', formula: '0.7413', decimals: 4 }]);
    expect(checkWorked(w).checks[0]!.matches).toBe(false);
    const c = checkWorked(w, undefined, { slack: 1 }).checks[0]!;
    expect(c.matches).toBe(true);
    expect(c.tolerance).toBeCloseTo(1e-4, 9);
  });

  it('an erratum\'s correction and readings at the printed rounding (½·10⁻⁴), not at the slack', () => {
    // The correction 0.7414 is 3.5e-5 off: right at ½ unit. The reading 0.74145 is 8.5e-5 off: within one unit, yet
    // past ½, so it differs (the notes' errata are judged as the notes print, not as a grader allows).
    const w = worked([{ name: '∂L/∂ŷ', formula: '0.7413', decimals: 4, erratum: { correct: '0.7414', readings: ['0.74145'], why: 'a slip' } }]);
    const e = checkWorked(w, undefined, { slack: 1 }).checks[0]!.erratum!;
    expect(e.correctTolerance).toBeCloseTo(0.5e-4, 9);
    expect(e.matchesCorrect).toBe(true);
    expect(e.readings.map((r) => r.differs)).toEqual([true]);
  });
});
