/**
 * The worked-example checker (src/worked/check.ts) on claims about lecture 001's 2-2-1 net whose values are worked
 * by hand in float64 here (a mutation audit of the checker, nmut54: each test here failed on a mutant the other node
 * tests let through): the N of a formula is the batch's size, and a formula naming something the net does not have
 * is never a match, even where its arithmetic would hide the missing value; a listed reading of a garbled formula
 * that is off by twice the half-unit is wrong (the erratum holds); "log ŷ^2" is log(ŷ²), as a textbook reads it; a
 * matrix backend's ∂L/∂a of a hidden unit is Σ_m W_{l+1}[m][i]·δ_{l+1}[m] (column i of W_{l+1}, not row i), its local
 * factors ∂z/∂w and ∂z/∂b are those of the unit each parameter feeds, and "from h2" keeps the paths of the unit fed;
 * the report counts, tags and explains each verdict as it is (a known erratum is not a match; examples from 1); a
 * printed value JSON writes in exponent form (1.5e-7) has the decimals of 0.00000015, not none; a claim is a printed
 * value or a formula, never both, and only a printed value is exact.
 */
import { describe, expect, it } from 'vitest';
import { lecture } from '../src/lectures/index.ts';
import type { NetworkSpec } from '../src/spec.ts';
import { evalExpr, parseExpr } from '../src/notation/expr.ts';
import { Model } from '../src/model.ts';
import { checkWorked, prepare } from '../src/worked/check.ts';
import { errataText, reportText, verdictText } from '../src/worked/report.ts';
import { collectRuns } from '../src/worked/runs.ts';
import { matrixSource } from '../src/worked/sources.ts';
import { parseWorked, type WorkedExample } from '../src/worked/worked.ts';

const sig = (z: number): number => 1 / (1 + Math.exp(-z));

/** a_h1, a_h2 and δ_out = (ŷ − y)·ŷ(1 − ŷ) of lecture 001's net (w1 … w6 = 0.15, 0.2, 0.25, 0.3, 0.4, 0.45; b1 = 0.35 shared, b2 = 0.6). */
function by221(x1: number, x2: number, y: number): { h1: number; h2: number; dOut: number; d2: number } {
  const h1 = sig(0.15 * x1 + 0.2 * x2 + 0.35);
  const h2 = sig(0.25 * x1 + 0.3 * x2 + 0.35);
  const yh = sig(0.4 * h1 + 0.45 * h2 + 0.6);
  const dOut = (yh - y) * yh * (1 - yh);
  return { h1, h2, dOut, d2: dOut * 0.45 * h2 * (1 - h2) };
}
const deltaOut = (x1: number, x2: number, y: number): number => by221(x1, x2, y).dOut;

function worked(claims: unknown[], spec: NetworkSpec = lecture('lecture-2-2-1').worked.spec): WorkedExample {
  return parseWorked({
    format: 'backprop-worked-example/1', id: 'hand', title: 'hand-worked claims', source: 'lecture 001', description: 'a test',
    spec, claims,
  });
}

describe('a formula\'s N is the number of examples in the batch', () => {
  it('two examples, mean: ∂L/∂b2 = (δ_out,1 + δ_out,2)/N matches with N = 2, and the same sum over 1 is wrong', () => {
    const spec: NetworkSpec = { ...lecture('lecture-2-2-1').worked.spec, x: [[0.05, 0.1], [0.5, 0.2]], y: [[0.01], [0.99]] };
    // δ_out,1 = 0.1385… (lecture 001: 0.7414 × 0.1868), δ_out,2 < 0 (y = 0.99 above ŷ); ∂L/∂b2 = ½(δ_out,1 + δ_out,2).
    const d = [deltaOut(0.05, 0.1, 0.01), deltaOut(0.5, 0.2, 0.99)];
    expect(d[0]).toBeCloseTo(0.7414 * 0.1868, 4);
    const sum = `(${d[0]} + (${d[1]}))`;
    const r = checkWorked(worked([{ name: '∂L/∂b2', formula: `${sum}/N` }, { name: '∂L/∂b2', formula: `${sum}/1` }], spec));
    expect(r.checks.map((k) => k.status)).toEqual(['match', 'wrong']);
    expect(r.checks[0].shown.value).toBeCloseTo((d[0] + d[1]) / 2, 15);
  });
});

describe('a formula naming what the net does not have is wrong, whatever its arithmetic does with the gap', () => {
  it('[z_h3 > 0] (a relu\'s derivative) of a unit lecture 001\'s net lacks: not evaluable, never 0 added to a match', () => {
    // ∂ŷ/∂z_out = ŷ(1 − ŷ) = 0.7514 × (1 − 0.7514) = 0.1868 (lecture 001 lines 72–76); the net has units h1, h2 and out: no z_h3. NaN > 0 is false,
    // so an evaluation that went on with the missing value would add 0 and match, and ŷ(1 − ŷ)·q9⁰ would multiply by 1.
    for (const formula of ['ŷ(1 − ŷ) + [z_h3 > 0]', 'ŷ(1 − ŷ)·(q9)⁰']) {
      const [k] = checkWorked(worked([{ name: '∂ŷ/∂z_out', formula }])).checks;
      expect([k.status, k.matches, k.shown.value], formula).toEqual(['wrong', false, NaN]);
      expect(k.shown.unresolved.length, formula).toBe(1);
    }
  });
});

describe('an erratum\'s listed readings are judged at the claim\'s tolerance', () => {
  it('a reading off by twice the half-unit is wrong: the erratum is confirmed, not stale', () => {
    // ∂ŷ/∂z_out = ŷ(1 − ŷ) = 0.1868156 (lecture 001); at 4 decimals the tolerance is ½·10⁻⁴ = 5e-5. The reading
    // ŷ(1 − ŷ) + 0.0001 is 1e-4 off (2× it): wrong, so the erratum (printed ŷ − (1 − ŷ) = 0.7514 − 0.2486 = 0.5027, corrected ŷ(1 − ŷ))
    // holds. A reading 3e-5 off (within it) is right, and makes the erratum stale.
    const claim = (reading: string) => ({
      name: '∂ŷ/∂z_out', formula: 'ŷ − (1 − ŷ)', decimals: 4, erratum: { correct: 'ŷ(1 − ŷ)', readings: [reading], why: 'w' },
    });
    const statuses = checkWorked(worked([claim('ŷ(1 − ŷ) + 0.0001'), claim('ŷ(1 − ŷ) + 0.00003')])).checks.map((k) => k.status);
    expect(statuses).toEqual(['known-erratum', 'stale-erratum']);
  });
});

describe('a function applied without parentheses takes the power after its argument: log ŷ^2 = log(ŷ²)', () => {
  it('ŷ = 0.5: log ŷ^2 = log 0.25 = −1.3862944, not (log 0.5)² = 0.4804530', () => {
    const at = (text: string) => evalExpr(parseExpr(text, 'formula'), () => 0.5);
    expect(at('log ŷ^2')).toBeCloseTo(Math.log(0.25), 14);
    expect(at('ln ŷ^2')).toBeCloseTo(-1.3862943611, 10);
  });
});

describe('a matrix backend\'s derivatives (sources.ts): ∂L/∂a of a hidden unit, the local factors, "from" one unit', () => {
  it('lecture 001 on cpu: ∂L/∂a_h1 = δ_out·w5, ∂L/∂a_h2 = δ_out·w6 (float64 by hand, within float32\'s 1e-6 + 1e-5·|v|)', async () => {
    // δ_out = 0.7414 × 0.1868 = 0.1385 (lecture 001); ∂L/∂a_h1 = 0.1385 × 0.40 = 0.0554, ∂L/∂a_h2 = 0.1385 × 0.45 = 0.0623.
    const spec = lecture('lecture-2-2-1').worked.spec;
    const { dOut } = by221(0.05, 0.1, 0.01);
    const source = matrixSource('cpu', spec, await collectRuns((s) => Model.create(s, { backend: 'cpu' }), spec));
    const naming = prepare(worked([{ name: 'w5', printed: 0.4, decimals: 2 }])).naming;
    for (const [name, want] of [['∂L/∂a_h1', dOut * 0.4], ['∂L/∂a_h2', dOut * 0.45]] as const) {
      const got = source.value(naming.resolve(name, 'name'), undefined, 'name');
      expect(Math.abs(got - want), `${name}: ${got} vs ${want}`).toBeLessThan(1e-6 + 1e-5 * Math.abs(want));
    }
  });

  it('lecture 001 on cpu: local factors of the unit fed, and "∂L/∂w3 from h2" is all of ∂L/∂w3 (w3 feeds h2), from h1 0', async () => {
    // z_h1 = x1·w1 + x2·w2 + b1, z_h2 = x1·w3 + x2·w4 + b1 (one b1): ∂z_h2/∂b1 = 1, ∂z_h1/∂w3 = 0, ∂z_h2/∂w3 = x1 = 0.05.
    // ∂L/∂w3 = δ_h2·x1 = 0.7414 × 0.1868 × 0.45 × 0.2406 × 0.05 ≈ 0.00075 (ERRATA.md: δ_h2 = 0.0149960755).
    const spec = lecture('lecture-2-2-1').worked.spec;
    const { d2 } = by221(0.05, 0.1, 0.01);
    expect(d2).toBeCloseTo(0.0149960755, 10);
    const source = matrixSource('cpu', spec, await collectRuns((s) => Model.create(s, { backend: 'cpu' }), spec));
    const naming = prepare(worked([{ name: 'w5', printed: 0.4, decimals: 2 }])).naming;
    const cases = [['∂z_h2/∂b1', 1], ['∂z_h1/∂b1', 1], ['∂z_h1/∂w3', 0], ['∂z_h2/∂w3', 0.05], ['∂L/∂w3 from h2', d2 * 0.05], ['∂L/∂w3 from h1', 0]] as const;
    for (const [name, want] of cases) {
      const got = source.value(naming.resolve(name, 'name'), undefined, 'name');
      expect(Math.abs(got - want), `${name}: ${got} vs ${want}`).toBeLessThan(1e-6 + 1e-5 * Math.abs(want));
    }
  });
});

describe('the report says what each verdict is: counts, the example counted from 1, why an erratum is stale', () => {
  // ∂L/∂w5 = δ_out·a_h1 = 0.1385 × 0.5933 = 0.0822 (lecture 001 line 98; 0.0821670406 in float64, below); z_h1 =
  // 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775. At 4 decimals a claim matches within ½·10⁻⁴ = 5e-5.
  const { h1, dOut } = by221(0.05, 0.1, 0.01);
  const claims = [
    { name: '∂L/∂w5', printed: 0.0822, decimals: 4 }, // |0.0822 − 0.0821670| = 3.3e-5: match
    { name: '∂L/∂w5', printed: 0.0823, decimals: 4, erratum: { correct: 0.0822, correctDecimals: 4, why: 'slip' } }, // 1.3e-4 off; correction holds
    { name: '∂L/∂w5', printed: 0.0822, decimals: 4, erratum: { correct: 0.0822, correctDecimals: 4, why: 'no slip' } }, // the text is right: stale
    { name: '∂L/∂w5', printed: 0.0823, decimals: 4, erratum: { correct: 0.0830, correctDecimals: 4, why: 'bad fix' } }, // correction 8.3e-4 off: stale
    { name: 'z_h1', printed: 0.38, decimals: 4, examples: [0] }, // 0.3800 vs 0.3775: wrong, not recorded
  ];

  it('five claims: 1 match, 4 wrong (1 known erratum, 1 not recorded, 2 stale); example index 0 is "example 1"', () => {
    expect(dOut * h1).toBeCloseTo(0.0821670406, 10);
    const r = checkWorked(worked(claims));
    expect(r.checks.map((k) => k.status)).toEqual(['match', 'known-erratum', 'stale-erratum', 'stale-erratum', 'wrong']);
    const text = reportText(r, 'f.json');
    expect(text).toContain('5 claims (5 checks): 1 match, 4 wrong (1 known errata confirmed, 1 not recorded, 2 stale errata)');
    expect(text).toMatch(/ z_h1 \[example 1\] /);
    expect(verdictText(r.checks[2])).toBe('✗ the recorded erratum does not hold: the text is right');
    expect(verdictText(r.checks[3])).toBe('✗ the recorded erratum does not hold: its correction gives 0.083, the engine 0.08216704');
    const errata = errataText([{ result: r, file: 'f.json' }]).split('\n').filter((line) => /^ +\d+\. /.test(line));
    expect(errata.map((line) => /\[(stale-erratum|wrong)\]$/.exec(line)?.[1] ?? 'confirmed')).toEqual(['confirmed', 'stale-erratum', 'stale-erratum', 'wrong']);
  });
});

describe('a claim\'s structure (worked.ts): decimals as JSON writes them (1.5e-7 is 0.00000015, 8), one kind of value', () => {
  it('printed 1.5e-7 at decimals 7 is refused as a slip naming claims[0].printed; at decimals 8 it is read', () => {
    const claim = (decimals: number) => [{ name: 'x1', printed: 1.5e-7, decimals }];
    expect(() => worked(claim(7))).toThrow(/^claims\[0\] \("x1"\)\.printed: 1\.5e-7 has 8 decimals, decimals says 7/);
    expect(worked(claim(8)).claims).toHaveLength(1);
  });

  it('a claim with both a printed value and a formula is refused, naming the claim (one of them would go unchecked)', () => {
    expect(() => worked([{ name: '∂ŷ/∂z_out', printed: 0.1868, decimals: 4, formula: 'ŷ(1 − ŷ)' }])).toThrow(/^claims\[0\] \("∂ŷ\/∂z_out"\): give printed or formula, not both/);
  });

  it('exact belongs to a printed value: a formula claim with exact: true is refused, naming its exact', () => {
    expect(() => worked([{ name: '∂ŷ/∂z_out', formula: 'ŷ(1 − ŷ)', exact: true }])).toThrow(/^claims\[0\] \("∂ŷ\/∂z_out"\)\.exact: only a printed value can be exact/);
  });

  it('one decimal too many is refused too: ∂L/∂w5 printed 0.08217 at decimals 4 (it would be judged as 0.0822)', () => {
    expect(() => worked([{ name: '∂L/∂w5', printed: 0.08217, decimals: 4 }])).toThrow(/^claims\[0\] \("∂L\/∂w5"\)\.printed: 0\.08217 has 5 decimals, decimals says 4/);
  });
});
