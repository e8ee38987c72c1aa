/**
 * A grader's slack (`check --slack U`, checkWorked's {slack}) is for hand work that rounded its intermediates: it is
 * not the notes' errata. A claim with a recorded erratum says "this printed value is wrong at its printed rounding";
 * widened to U units, one a unit off (lecture 001's new w6 = 0.4499 for 0.4499917) matched, its erratum turned
 * stale, and `check src/lectures/*.json --known-ok --slack 1` exited 1 on the notes' own errata (read61b). Such a
 * claim is judged at the printed rounding whatever the slack; and --errata-md, whose page says every claim is judged
 * at half a unit of its last digit, refuses --slack.
 * The values below are lecture 001's 2-2-1 sigmoid net worked by hand in float64 (x = (0.05, 0.1), y = 0.01, its
 * printed weights, L = ½(y − ŷ)², lr 0.0001), never the engine's output.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../src/cli/check.ts';
import { LECTURES, lecture } from '../src/lectures/index.ts';
import { checkWorked } from '../src/notation/index.ts';
import { cli, ROOT } from './lib/cli-run.ts';

const sig = (z: number): number => 1 / (1 + Math.exp(-z));
const aH2 = sig(0.05 * 0.25 + 0.1 * 0.3 + 0.35);
const aH1 = sig(0.05 * 0.15 + 0.1 * 0.2 + 0.35);
const yHat = sig(aH1 * 0.4 + aH2 * 0.45 + 0.6);
const deltaOut = (yHat - 0.01) * yHat * (1 - yHat);
/** w6 after one step: 0.45 − 0.0001·∂L/∂w6, ∂L/∂w6 = δ_out·a_h2 (the notes print 0.4499). */
const newW6 = 0.45 - 0.0001 * deltaOut * aH2;
/** ∂L/∂b1 through h2: δ_out·w6·a_h2(1 − a_h2) (the notes print the product .7414 × .1868 × .45 × .2417 × 1). */
const dB1FromH2 = deltaOut * 0.45 * aH2 * (1 - aH2);
const printedProduct = 0.7414 * 0.1868 * 0.45 * 0.2417 * 1;

describe('--slack leaves the notes\' errata at the printed rounding', () => {
  it('the hand values: both printed values are off by more than half a unit of their 4th decimal and less than one', () => {
    for (const off of [Math.abs(0.4499 - newW6), Math.abs(printedProduct - dB1FromH2)]) {
      expect(off).toBeGreaterThan(0.5e-4);
      expect(off).toBeLessThan(1e-4);
    }
  });

  it('checkWorked with slack 1: a printed value and a formula with an erratum are still wrong as recorded, at ½ unit', () => {
    const checks = checkWorked(lecture('lecture-2-2-1').worked, undefined, { slack: 1 }).checks;
    const w6 = checks.find((c) => c.claim.name === 'new w6' && c.claim.line === 124)!;
    const b1 = checks.find((c) => c.claim.name === '∂L/∂b1 from h2' && 'formula' in c.claim && c.claim.line === 259)!;
    for (const c of [w6, b1]) {
      expect(c.matches).toBe(false);
      expect(c.status).toBe('known-erratum');
      expect(c.tolerance).toBeLessThan(0.51e-4);
    }
    expect(w6.value).toBeCloseTo(newW6, 12);
    expect(b1.shown.value).toBeCloseTo(printedProduct, 12);
  });

  it('an `exact` claim stays exact under any slack: a_h1 printed 0.5933 "exact" is 3.0e-5 off, wrong at slack 100 too', () => {
    expect(Math.abs(0.5933 - aH1)).toBeGreaterThan(2.9e-5);
    const base = lecture('lecture-2-2-1').worked;
    const worked = { ...base, claims: [{ name: 'a_h1', printed: 0.5933, decimals: 4, exact: true }, { name: 'a_h1', printed: 0.5933, decimals: 4 }] };
    for (const slack of [undefined, 1, 100]) {
      const checks = checkWorked(worked as typeof base, undefined, slack === undefined ? undefined : { slack }).checks;
      expect(checks.map((c) => c.matches), String(slack)).toEqual([false, true]);
    }
  });

  it('check of every lecture file --known-ok --slack 2 --json: no recorded erratum is stale, exit 0', async () => {
    const files = LECTURES.map((l) => join(ROOT, l.file));
    const out: string[] = [];
    const code = await runCheck(files, { backend: 'scalar', knownOk: true, errataMd: false, json: true, slack: 2 }, (s) => out.push(s));
    const r = JSON.parse(out.join('')) as { counts: Record<string, number>; files: { checks: { status: string }[] }[] };
    expect(r.counts['stale-erratum']).toBe(0);
    expect(r.counts['known-erratum']).toBeGreaterThan(0);
    expect(code).toBe(0);
  });

  it('--errata-md --slack is a usage error naming both (the page is at the printed rounding)', () => {
    const r = cli('check', join(ROOT, LECTURES[0]!.file), '--errata-md', '--slack', '1');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--slack.*--errata-md|--errata-md.*--slack/);
    expect(r.stdout).toBe('');
  });
});
