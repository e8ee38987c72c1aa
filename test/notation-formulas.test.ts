/**
 * The scalar notation's formulas, printed numbers and edges (src/notation/): formulas, the rounding rules of printed
 * numbers, a spec's notation checked by grad and train, and the parser, engine and naming at their edges.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGrad } from '../src/cli/grad.ts';
import { runTrain } from '../src/cli/train.ts';
import { LECTURES } from '../src/lectures/index.ts';
import { Model } from '../src/model.ts';
import { groupDigits } from '../src/notation/cost.ts';
import { explain, explainer, specOf } from '../src/notation/explain.ts';
import { evalExpr, namesIn, parseExpr } from '../src/notation/expr.ts';
import { factorView } from '../src/notation/format.ts';
import { fmtExact, fmtGiven, fmtValue, latexNumber } from '../src/notation/numbers.ts';
import { fmtSig, handResult, holds, sumTerms } from '../src/notation/hand.ts';
import { Naming, paramKey } from '../src/notation/names.ts';
import { ScalarEngine } from '../src/notation/scalar.ts';
import { symText } from '../src/notation/symbols.ts';
import { checkWorked } from '../src/worked/check.ts';
import { parseWorked, WORKED_FORMAT } from '../src/worked/worked.ts';
import { type NetworkSpec, validateNet } from '../src/spec.ts';
import { B, W, cpuRun, lossWrt, spec221 } from './lib/notation-common.ts';

describe('formulas', () => {
  const v: Record<string, number> = { A3: 0.6, y_t: 0.25, A1: 0.5, w31: 0.5, x1: 2, ŷ: 0.7, y: 1, 'w²₂₁': 0.7, IQ: 8, η: 0.1, '∂L/∂w²₁₁': 2, 'w²₁₁': 0.5 };
  const at = (f: string) => evalExpr(parseExpr(f, 'f'), (n) => (n === 'e' ? Math.E : v[n]));
  it('reads the lectures\' ways of writing products, powers, functions and derivatives', () => {
    expect(at('(A3 − y_t)(A3(1 − A3))(A1)')).toBeCloseTo(0.35 * 0.24 * 0.5, 15);
    expect(at('(A3 − y_t)(A3(1 − A3)) w31 A1(1 − A1) x1')).toBeCloseTo(0.35 * 0.24 * 0.5 * 0.25 * 2, 15);
    expect(at('−(y − ŷ)·w²₂₁·IQ')).toBeCloseTo(-0.3 * 0.7 * 8, 15);
    expect(at('½(y − ŷ)²')).toBeCloseTo(0.045, 15);
    expect(at('1/(1 + e^(−A1))')).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 15);
    expect(at('w²₁₁ − η·∂L/∂w²₁₁')).toBeCloseTo(0.3, 15);
    expect(at('−y log ŷ + (1 − y) log(1 − ŷ)')).toBeCloseTo(-Math.log(0.7), 15);
    expect(at('.7414 × .1868')).toBeCloseTo(0.7414 * 0.1868, 15);
    expect(namesIn(parseExpr('σ(z3)(1 − σ(z3)) + w¹₂₂', 'f'))).toEqual(['z3', 'z3', 'w¹₂₂']);
  });
  it('"∂L/∂b1 from h1" is one name in a formula, as in a claim\'s name (lecture 001, line 245)', () => {
    expect(namesIn(parseExpr('∂L/∂b1 from h1 + ∂L/∂b1 via h2', 'f'))).toEqual(['∂L/∂b1 from h1', '∂L/∂b1 via h2']);
    // A comparison right after the unit is not part of its name (review43).
    expect(namesIn(parseExpr('[∂L/∂b1 from h2>0] + [∂L/∂b1 via h1<=0]', 'f'))).toEqual(['∂L/∂b1 from h2', '∂L/∂b1 via h1']);
    const worked = {
      format: WORKED_FORMAT, id: 'b1', title: 'b1 from h1 and h2', source: 'lecture 001', description: 'a test', spec: spec221,
      claims: [{ name: '∂L/∂b1', formula: '∂L/∂b1 from h1 + ∂L/∂b1 from h2', line: 245 }, { name: '∂L/∂b1 from h2', formula: '∂L/∂b1 − ∂L/∂b1 from h1', line: 261 }],
    };
    const [sum, part] = checkWorked(parseWorked(worked)).checks;
    expect([sum.status, part.status]).toEqual(['match', 'match']);
    // Lecture 001, lines 255–265: 0.0134 (from h1) + 0.0150 (from h2) = 0.0284.
    expect(sum.shown.value.toFixed(4)).toBe('0.0284');
    expect(part.shown.value.toFixed(4)).toBe('0.0150');
  });

  it('every factor explain prints for a tanh/sigmoid net reads back through the parser to its value (a_h1² is (a_h1)²)', () => {
    // 2-3-2 tanh → softmax-CE and 2-3-3-1 sigmoid (shared bias) → tanh → sigmoid/BCE: explain prints tanh' as
    // "1 − a_h1²" (flat), "1 − a¹₁²" (to-from), "1 − o11²" (from-to); check must read each as the factor's value.
    const s232: NetworkSpec = {
      inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy',
      params: { W: [[[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]], [[0.7, -0.4, 0.3], [-0.2, 0.5, 0.9]]], b: [[0.1, -0.1, 0.05], [0, 0.2]] },
      x: [[1, 2], [-0.5, 0.3]], y: [[1, 0], [0, 1]],
    };
    const s2331: NetworkSpec = {
      inputs: 2, layers: [{ units: 3, activation: 'sigmoid', bias: 'shared' }, { units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce',
      params: { W: [[[0.15, -0.2], [0.25, 0.3], [-0.35, 0.4]], [[0.5, -0.6, 0.7], [0.8, 0.9, -1], [0.11, 0.12, 0.13]], [[1.5, -2.5, 0.75]]], b: [0.35, [0.1, -0.2, 0.3], [0.05]] },
      x: [[0.05, 0.1], [1.5, -2]], y: [[1], [0]],
    };
    // One tanh output (mse): flat names it ŷ, a bare-letter name, whose square explain writes (ŷ)² (review diff7 item 1).
    const s221: NetworkSpec = {
      inputs: 2, layers: [{ units: 2, activation: 'tanh' }, { units: 1, activation: 'tanh' }], loss: 'mse',
      params: { W: [[[0.3, -0.7], [0.45, 0.2]], [[0.9, -0.35]]], b: [[0.1, -0.2], [0.05]] }, x: [[0.6, -1.2], [0.25, 0.8]], y: [[0.4], [-0.3]],
    };
    // relu: explain prints its factor as the bracket "[z_h1 > 0]". On the example expanded (x = [−0.5, 0.3]) by hand:
    // z_h1 = −0.25 − 0.09 + 0.1 = −0.24 (off), z_h2 = 0.45 − 0.12 − 0.1 = 0.23 (on), z_h3 = −0.3 + 0.06 + 0.05 = −0.19.
    const s231: NetworkSpec = {
      inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], loss: 'bce',
      params: { W: [[[0.5, -0.3], [-0.9, -0.4], [0.6, 0.2]], [[0.7, -0.5, 0.3]]], b: [[0.1, -0.1, 0.05], [0.2]] },
      x: [[1, 2], [-0.5, 0.3]], y: [[1], [0]],
    };
    let read = 0;
    const tanhTexts = new Set<string>();
    const reluTexts = new Set<string>();
    for (const spec of [s232, s2331, s221, s231]) {
      const engine = new ScalarEngine(spec);
      for (const convention of ['flat', 'to-from', 'from-to'] as const) {
        const naming = new Naming(engine.net, undefined, convention);
        for (const p of naming.params()) {
          const ex = engine.expand(lossWrt(p), 1);
          for (const g of ex.examples[0].groups) {
            for (const path of g.paths) {
              ex.chain.factors(path.units).forEach((f, k) => {
                const text = factorView(f, naming, engine.net).text;
                if (f.kind === 'da/dz' && engine.net.layers[f.layer].activation === 'tanh') tanhTexts.add(text);
                if (f.kind === 'da/dz' && engine.net.layers[f.layer].activation === 'relu') reluTexts.add(`${text} = ${path.values[k]}`);
                const value = evalExpr(parseExpr(text, 'f'), (name) => engine.value(naming.resolve(name, 'f'), 1));
                expect(value, `${convention} ${paramKey(p)}: ${text}`).toBeCloseTo(path.values[k], 12);
                read++;
              });
            }
          }
        }
      }
    }
    expect(read).toBeGreaterThan(300);
    // Both sides of relu's bracket were read: a unit on (1) and one off (0).
    expect([...reluTexts]).toEqual(expect.arrayContaining(['[z_h1 > 0] = 0', '[z_h2 > 0] = 1', '[z¹₃ > 0] = 0']));
    expect([...tanhTexts]).toEqual(expect.arrayContaining(['1 − a_h1²', '1 − a¹₁²', '1 − o11²', '1 − a_h21²', '1 − a²₁²', '1 − o21²', '1 − (ŷ)²']));
    // A bare letter with a combining mark (notation.a x̂: x + U+0302) is a bare-letter name too: (x̂)², as (ŷ)² (review mut3 N5).
    const hat: NetworkSpec = { ...s221, x: [[0.6, -1.2]], y: [[0.4]], notation: { a: [['x\u0302', 'b'], ['ŷ']] } };
    expect(explain(hat, { param: 'w1' }, [], 'text')).toContain('(1 − (x\u0302)²)');
    // Names whose tail holds digits, subscripts or commas still read as one name.
    expect(namesIn(parseExpr('a_h1,11² + a_h1,11 + w_{5}² + a¹₁² + A3² + w¹₂₁ + δ_h1 + y_t + a_h1₂', 'f'))).toEqual(['a_h1,11', 'a_h1,11', 'w_{5}', 'a¹₁', 'A3', 'w¹₂₁', 'δ_h1', 'y_t', 'a_h1₂']);
  });

  it('a malformed formula is a ClaimError naming the field', () => {
    expect(() => parseExpr('(A3 − y_t', 'claims[2].formula')).toThrow(/claims\[2\]\.formula: cannot read the formula .*a "\)" is missing/);
    expect(() => parseExpr('A3 ~ 2', 'f')).toThrow(/unexpected '~'/);
    // The token as written, not its JSON ('{"k":"op","s":")"}'): one ")" too many, a superscript with no base.
    expect(() => parseExpr('(ŷ − y)·ŷ(1 − ŷ)·a_h1)', 'f')).toThrow(/: unexpected '\)' after a complete formula$/);
    expect(() => parseExpr('a_h1 + y 0.5 )', 'f')).toThrow(/: unexpected '\)' after a complete formula$/);
    expect(() => parseExpr('1 − ²', 'f')).toThrow(/: unexpected '²'$/);
    // A comparison only inside square brackets, one per bracket, and each bracket closed by its own kind.
    expect(() => parseExpr('z1 > 0', 'f')).toThrow(/: unexpected '>' after a complete formula$/);
    expect(() => parseExpr('[z1 > 0 > 1]', 'f')).toThrow(/: a "\]" is missing$/);
    expect(() => parseExpr('(z1 > 0)', 'f')).toThrow(/: a "\)" is missing$/);
    expect(() => parseExpr('[z1 + 1)', 'f')).toThrow(/: a "\]" is missing$/);
    const at0 = (f: string, z: number) => evalExpr(parseExpr(f, 'f'), () => z);
    expect([at0('[z > 0]', 0), at0('[z >= 0]', 0), at0('[z ≥ 0]', 0), at0('[z < 0]', -1), at0('[z ≤ -1]', -1), at0('[1 − z]²', 3)]).toEqual([0, 1, 1, 1, 1, 4]);
    // A function's arguments in square brackets, as in parentheses (square brackets read as parentheses before 7e5bb14:
    // σ[z] was σ(z); after it, the name σ times z): σ(0) = ½, max of 2 and 0, tanh(0) = 0, 1 − (σ(0))² = ¾.
    expect([at0('σ[z]', 0), at0('max[z, 0]', 2), at0('tanh[z]²', 0), at0('1 − σ[z]²', 0)]).toEqual([0.5, 2, 0, 0.75]);
    expect(namesIn(parseExpr('σ[z_h1] + log[ŷ]', 'f'))).toEqual(['z_h1', 'ŷ']);
    expect(() => parseExpr('σ[z)', 'f')).toThrow(/: a "\]" is missing after the arguments of σ$/);
  });
});

describe('the rounding rules of printed numbers (hand.ts NOTE, format.ts)', () => {
  it('holds: a result within half a unit in its last place, the half included', () => {
    // |0.25 − 0.2| = 0.05 = ½·10⁻¹: holds; 0.15 likewise; 0.26 and 0.1499 are past it.
    expect(holds([['0.25']], '0.2')).toBe(true);
    expect(holds([['0.15']], '0.2')).toBe(true);
    expect(holds([['0.26']], '0.2')).toBe(false);
    expect(holds([['0.1499']], '0.2')).toBe(false);
    // 0.5 × 0.25 = 0.125: exactly half a unit from 0.12 and from 0.13 at two decimals
    expect(holds([['0.5', '0.25']], '0.12')).toBe(true);
    expect(holds([['0.5', '0.25']], '0.13')).toBe(true);
    expect(holds([['0.5', '0.25']], '0.14')).toBe(false);
  });

  it('step by step: four significant digits, half away from zero; an exact tie gets one more decimal', () => {
    // 0.5 × 0.2469 = 0.12345 exactly, a tie at four significant digits (0.1234|5): shown exactly.
    expect(handResult([['0.5', '0.2469']], 4)).toBe('0.12345');
    expect(handResult([['−0.5', '0.2469']], 4)).toBe('−0.12345');
    // 0.5 × 0.24691 = 0.123455: past the tie, rounds up to 0.1235
    expect(handResult([['0.5', '0.24691']], 4)).toBe('0.1235');
    // 0.7414 × 0.1868 = 0.13849352 → 0.1385 (lecture 001's first intermediate)
    expect(handResult([['0.7414', '0.1868']], 4)).toBe('0.1385');
  });

  it('a computed value that rounds up to a power of ten keeps three significant digits of the rounded value, not four (or the decimals floor)', () => {
    // [value, decimals, as printed], each written from the rule: minSignificant digits (three; two below 3 decimals)
    // of the value as rounded, or `decimals` where it asks for more.
    const cases: [number, number, string][] = [
      // Rounding up to a power of ten: 0.0009996 → 0.00100 (10⁻³ at three significant digits: 5 decimals, not 6).
      [0.0009996, 4, '0.00100'], [-0.0009996, 4, '−0.00100'], [0.00099951, 4, '0.00100'], [0.09996, 3, '0.100'],
      [9.996e-7, 7, '0.00000100'], // the lab's step table (7 decimals)
      // Two significant digits below 3 decimals (the lab's dense nodes).
      [0.0996, 2, '0.10'], [0.00996, 2, '0.010'], [0.996, 1, '1.0'], [9.9996, 0, '10.0'],
      // Where `decimals` asks for more, it decides, as before.
      [0.09996, 4, '0.1000'], [-0.09996, 4, '−0.1000'], [0.0009996, 6, '0.001000'], [0.9999, 4, '0.9999'],
      [0.99996, 4, '1.0000'], [9.9996, 4, '9.9996'], [9.96, 1, '10.0'],
      // Not rounding up: unchanged (0.00134, lecture 001's ∂L/∂w2).
      [0.00134, 4, '0.00134'], [0.00099949, 4, '0.000999'],
    ];
    for (const [v, d, shown] of cases) expect(fmtValue(v, d), `${v} at ${d}`).toBe(shown);
    expect(fmtValue(-0.0009996, 4, 'latex')).toBe('-0.00100');
    // Step by step's four significant digits likewise: 0.099996 → 0.1000; 0.5 × 0.199996 = 0.099998 → 0.1000.
    expect(fmtSig(0.099996, 4)).toBe('0.1000');
    expect(fmtSig(-0.0099996, 4)).toBe('−0.01000');
    expect(fmtSig(9.9996, 0)).toBe('10.00');
    expect(handResult([['0.5', '0.199996']], 4)).toBe('0.1000');
    expect(handResult([['−0.5', '0.0199996']], 4)).toBe('−0.01000');
    expect(handResult([['0.5', '0.199996']], 5)).toBe('0.10000'); // the decimals floor
    expect(handResult([['0.5', '0.0199988']], 4)).toBe('0.009999'); // 0.0099994: no carry
  });

  it('step by step counts the leading digit exactly, also past float64 range (den above 10³⁰⁸)', () => {
    // Twenty factors of 21 decimals: the exact denominator is 10⁴²⁰. (1 + 10⁻²¹)²⁰ = 1.00000000000000000002…: 1.0000.
    expect(handResult([Array(20).fill('1.000000000000000000001')], 4)).toBe('1.0000');
    // 0.5²⁰ = 1/1048576 = 0.00000095367431640625; 0.500…001²⁰ is above it by 4·10⁻²⁶: 0.0000009537.
    expect(handResult([Array(20).fill('0.500000000000000000001')], 4)).toBe('0.0000009537');
    // Next to a power of ten: 0.999…9 (21 nines)²⁰ = 1 − 2·10⁻²⁰ + …: rounds up to 1.0000.
    expect(handResult([Array(20).fill('0.999999999999999999999')], 4)).toBe('1.0000');
  });

  it('at 0 decimals a value that is not an integer keeps one decimal: a bare integer is exact (fmt39)', () => {
    // 9.9996 rounds to 10 at 0 decimals, but "10" reads as exact, as relu's 1 is: rounded values show a decimal, as
    // at any other `decimals` (−9.500, 0.1000). Two significant digits below 9.5, as before (3.14159: 3.1).
    const cases: [number, string][] = [
      [9.9996, '10.0'], [-9.9996, '−10.0'], [12.3, '12.3'], [-220.47, '−220.5'], [999.96, '1000.0'], [3.14159, '3.1'],
      [20, '20'], [-1, '−1'], // exact integers stay bare
    ];
    for (const [v, shown] of cases) expect(fmtValue(v, 0), `${v}`).toBe(shown);
    // Step by step's four significant digits (fmtSig, handResult) likewise: 12345.6 is 12345.6, not 12346.
    expect(fmtSig(12345.6, 0)).toBe('12345.6');
    expect(handResult([['0.5', '2469.13']], 0)).toBe('1234.6'); // 1234.565
    expect(handResult([['0.5', '1999.96']], 0)).toBe('1000.0'); // 999.98: rounds up to 10³, still one decimal
    expect(handResult([['2', '3']], 0)).toBe('6');
    // README's example: lecture 003's ŷ − y = −18.791 (example 1) at 0 decimals.
    const regression = LECTURES.find((l) => l.id === 'lecture-regression')!.worked;
    expect(explain(regression, { param: 'w¹₁₁', decimals: 0 }, [], 'text')).toContain('= (−18.8) × 1 × 0.5 × 1 × 3.3\n');
    expect(explain(regression, { param: 'w¹₁₁', decimals: 4 }, [], 'text')).toContain('= (−18.7910) × 1 × 0.5 × 1 × 3.3\n');
  });

  it('values given in the spec are shown as written only within one float32 rounding of it', () => {
    // fround(0.4) = 0.4000000059604645: 6e-9 from 0.4, within 0.4·2⁻²⁴ = 2.4e-8 (one float32 rounding): "0.4"
    expect(fmtGiven(Math.fround(0.4), 4)).toBe('0.4');
    expect(fmtGiven(Math.fround(0.05), 4)).toBe('0.05');
    // 0.40000012 is 1.2e-7 from 0.4, five float32 roundings: a computed value at 4 decimals
    expect(fmtGiven(0.40000012, 4)).toBe('0.4000');
  });

  it('a given input of 5 or 6 decimals is shown as written at 4 decimals; one of 7 at the lecture\'s rounding (README; review mut3 N16)', () => {
    const at = (x1: number) => explain({ ...spec221, x: [[x1, 0.1]] }, { param: 'w1' }, [], 'text');
    expect(at(0.12345)).toContain('× 0.12345\n');
    expect(at(0.123456)).toContain('× 0.123456\n');
    expect(at(0.1234567)).toContain('× 0.1235\n');
    // README says so, the six included.
    expect(readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8').replace(/\s+/g, ' ')).toContain('given values as written (the fewest decimals that give their float32 back: the lecture\'s 3.3, never 3.29999995) when they have at most six decimals (or `decimals`, if more)');
  });

  it('a value that is not finite is \\text{…} in LaTeX, −Infinity as NaN (review mut3 N19)', () => {
    expect(latexNumber('NaN')).toBe('\\text{NaN}');
    expect(latexNumber('−Infinity')).toBe('\\text{-Infinity}');
    expect(latexNumber('Infinity')).toBe('\\text{Infinity}');
  });

  it('a value of 1e7 or more is a power of ten in LaTeX (KaTeX set 2.5000e+7 as the sum 2.5000e + 7), in parentheses as a factor', () => {
    expect(latexNumber('−2.0002e+11')).toBe('-2.0002 \\times 10^{11}');
    expect(fmtValue(123456789, 4, 'latex')).toBe('1.2346 \\times 10^{8}');
    // 1-1 identity, mse: z = 5000·5000 = 2.5·10⁷ = ∂L/∂ŷ (y = 0); ∂L/∂w1 = 2.5·10⁷ × 1 × 5000 = 1.25·10¹¹.
    const big: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[5000]]], b: [[0]] }, x: [[5000]], y: [[0]] };
    const latex = explain(big, { param: 'w1' }, [], 'latex');
    expect(latex).toContain('&= (2.5000 \\times 10^{7}) \\times 1 \\times 5000 = 1.2500 \\times 10^{11}');
    expect(latex).not.toMatch(/\de[-+]?\d/);
  });

  it('a value whose three significant digits lie past 20 decimals is in exponent form, not 0.00000000000000000000 (or −0.000…)', () => {
    expect([fmtValue(-9.859676544e-305, 4), fmtValue(1.954e-22, 4), fmtValue(1.954e-22, 4, 'latex')]).toEqual(['−9.86e-305', '1.95e-22', '1.95 \\times 10^{-22}']);
    expect(fmtValue(1.954e-18, 4)).toBe('0.00000000000000000195'); // 20 decimals still hold three digits
    // Asked for its decimals (a term of a sum that cancels, given more), it is written out: it must add up by hand.
    expect(fmtValue(1.954e-22, 25)).toBe('0.0000000000000000000001954');
    // −1.64e-11 + 1.53e-11 + 1.2345e-19 = −1.1e-12: at two significant digits −0.000000000016 + 0.000000000015 is
    // −1.0e-12, so each term gets more decimals, the smallest too (it went to exponent form, and the sum back to two).
    const result = fmtValue(-1.64e-11 + 1.53e-11 + 1.2345e-19, 2);
    const terms = sumTerms([-1.64e-11, 1.53e-11, 1.2345e-19], result, 2);
    const num = (t: string) => Number(t.replace('−', '-'));
    const unit = 10 ** -result.split('.')[1].length;
    expect(Math.abs(terms.reduce((a, t) => a + num(t), 0) - num(result)), `${terms.join(' + ')} = ${result}`).toBeLessThanOrEqual(unit / 2 * (1 + 1e-9));
    // 1-1 sigmoid, BCE, z = 700, y = 1: ∂ŷ/∂z = σ(700)·σ(−700) = e^−700 ≈ 9.86e-305; ∂L/∂w1 = −1 × 9.86e-305 × 1.
    const spec: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', params: { W: [[[700]]], b: [[0]] }, x: [[1]], y: [[1]] };
    const text = explain(spec, { param: 'w1' }, [], 'text');
    expect(text).toContain('= (−1) × 9.86e-305 × 1\n         = −9.86e-305\n');
    expect(text).not.toMatch(/0\.0{19}/);
  });

  it('a computed value of 1e7 or more keeps at least four significant digits (fmtSig), within half a unit of its last', () => {
    for (const v of [123456789.5, -98765432.1, 1.5e12 + 0.25]) {
      const shown = fmtSig(v, 4).replace('−', '-');
      const m = /^(-?)(\d)\.(\d+)e\+(\d+)$/.exec(shown);
      expect(m, `${v}: ${shown}`).not.toBeNull();
      const sig = 1 + m![3].length;
      expect(sig, `${v}: ${shown}`).toBeGreaterThanOrEqual(4);
      const unit = 10 ** (Number(m![4]) - m![3].length);
      expect(Math.abs(Number(shown) - v), `${v}: ${shown}`).toBeLessThanOrEqual(unit / 2);
      expect(fmtValue(v, 4)).toBe(fmtSig(v, 4));
    }
  });

  it("a given number (the lab's η) unrounded, its exponent without '+': the value it writes parses back to the number", () => {
    for (const v of [0.012345, 0.1, 1e30, 1.5e-7, 123456.789, 2 ** -20]) {
      const shown = fmtExact(v);
      expect(Number(shown), `${v}: ${shown}`).toBe(v);
      expect(shown, `${v}`).not.toMatch(/\+/);
    }
    expect(fmtExact(1e30)).toBe('1e30');
  });
});

describe('a spec\'s notation is checked by every command that reads a spec: grad and train as explain and check (review cli item 9)', () => {
  // The review's notation mutations: each one explain refuses with a NotationError naming the field.
  const BAD: [string, unknown][] = [
    ['notation.convention', { convention: 'xx' }],
    ['notation.decimals', { decimals: 1000 }],
    ['notation', { z: [['a', 'a'], ['q']] }], // a name given twice
    ['notation.params', { params: 'x' }],
    ['notation.units', { units: 5 }],
    ['notation.z', { z: [['a']] }], // one layer's names for a 2-layer net
  ];
  const caught = async (fn: () => unknown): Promise<{ name: string; code: unknown; field: unknown; message: string }> => {
    try {
      await fn();
    } catch (err) {
      return { name: (err as Error).name, code: (err as { code?: unknown }).code, field: (err as { field?: unknown }).field, message: (err as Error).message };
    }
    return { name: 'nothing thrown', code: undefined, field: undefined, message: '' };
  };

  it.each(BAD)('%s: grad and train refuse it with explain\'s NotationError, before printing anything; Model.create still ignores it', async (field, notation) => {
    const spec = { ...structuredClone(spec221), notation } as NetworkSpec;
    const expected = await caught(() => explainer(spec));
    expect(expected).toMatchObject({ name: 'NotationError', code: 'NOTATION', field });
    const printed: string[] = [];
    const write = (line: string) => void printed.push(line);
    expect(await caught(() => runGrad(spec, 'cpu', true, write))).toEqual(expected);
    expect(await caught(() => runTrain(spec, { json: true, epochs: '1' }, write, write))).toEqual(expected);
    expect(printed).toEqual([]);
    // The engine does not look inside notation (README, the spec's keys): the lab and Model.create are as before.
    const model = await Model.create(spec, { backend: 'cpu' });
    expect(Number.isFinite((await model.grad()).loss)).toBe(true);
    model.dispose();
  });

  it('backprop grad on such a spec: one error line, exit 2 (it printed the gradients, exit 0)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backprop-notation-'));
    try {
      const file = join(dir, 'bad.json');
      writeFileSync(file, JSON.stringify({ ...spec221, notation: { convention: 'xx' } }));
      const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'bin/backprop.js'), 'grad', file], { encoding: 'utf8', timeout: 60_000 });
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('error [NOTATION] notation.convention: must be flat, to-from or from-to, got "xx"\n');
      expect(r.status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parser, engine and naming edges (review mutn)', () => {
  const ev = (src: string): number => evalExpr(parseExpr(src, 'f'), () => NaN);

  it('+ and − associate to the left; a power takes a signed exponent; a sign applies to a power (−2² is −4)', () => {
    expect(ev('1 − 2 + 3')).toBe(2); // (1 − 2) + 3, not 1 − (2 + 3) = −4
    expect(ev('10 − 4 − 3')).toBe(3); // (10 − 4) − 3, not 10 − (4 − 3) = 9
    expect(ev('2^−1')).toBe(0.5);
    expect(ev('−2^2')).toBe(-4); // −(2²), as in mathematics
    expect(ev('− −3')).toBe(3);
    expect(ev('2 (3)^2')).toBe(18); // juxtaposition takes a power: 2·(3²)
    expect(ev('6 ÷ 3')).toBe(2);
    expect(ev('exp 0')).toBe(1); // a function applied to the number that follows, as to a name ("log ŷ")
  });

  it("σ', tanh' and relu' in a formula are the derivatives (float64 from the definitions; relu'(0) = 0 as the engine's)", () => {
    expect(ev("σ'(0)")).toBe(0.25); // σ(0) = ½: ½·(1 − ½)
    const s2 = Math.exp(-2) / (1 + Math.exp(-2)) ** 2; // σ'(z) = e^−z/(1 + e^−z)²
    expect(Math.abs(ev("σ'(2)") - s2)).toBeLessThan(1e-15);
    const sech2 = 4 / (Math.exp(0.5) + Math.exp(-0.5)) ** 2; // tanh' = sech² = 4/(eᶻ + e⁻ᶻ)²
    expect(Math.abs(ev("tanh'(0.5)") - sech2)).toBeLessThan(1e-15);
    expect([ev("relu'(0)"), ev("relu'(1e-300)"), ev("relu'(−1)")]).toEqual([0, 1, 0]);
  });

  // 1-1 sigmoid, BCE: z = w·x + b = 1·40 + 0 = 40, y = 0; σ(40) rounds to 1 in float64.
  const saturated: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', params: { W: [[[1]]], b: [[0]] }, x: [[40]], y: [[0]] };
  const valueOf = (spec: NetworkSpec, name: string): number => {
    const e = new ScalarEngine(spec);
    return e.value(new Naming(e.net, spec.notation).resolve(name, 'name'));
  };

  it('a saturated sigmoid: ∂ŷ/∂z = σ(z)·σ(−z) and BCE\'s ∂L/∂ŷ = (1 − y)/σ(−z) stay finite and non-zero (scalar.ts NOTE)', () => {
    const e40 = Math.exp(-40);
    const dadz = e40 / (1 + e40) ** 2; // σ(40)·σ(−40) = e^−40/(1 + e^−40)² ≈ 4.25e-18 (1 − σ(40) is 0 in float64)
    expect(Math.abs(valueOf(saturated, '∂ŷ/∂z_out') / dadz - 1)).toBeLessThan(1e-12);
    const dLda = 1 + Math.exp(40); // (1 − 0)/σ(−40) = 1 + e⁴⁰
    expect(Math.abs(valueOf(saturated, '∂L/∂ŷ') / dLda - 1)).toBeLessThan(1e-12);
    expect(Math.abs(valueOf(saturated, '∂L/∂w1') / (40 / (1 + e40)) - 1)).toBeLessThan(1e-12); // (ŷ − y)·x = σ(40)·40
  });

  it('past |z| = 745 a label the sigmoid agrees with gives BCE\'s ∂L/∂ŷ = ∓1 and ∂L/∂w = 0, as on the CPU backend (not 0/0 = NaN)', async () => {
    // z = ±1000: σ(z) is 1 (or 0) and 1 − σ(z) = σ(−z) is 0 (or 1) in float64; ∂L/∂w1 = (ŷ − y)·x = ∓σ(−1000) = ∓0.
    for (const [w, y, dLda] of [[1000, 1, -1], [-1000, 0, 1]]) {
      const spec: NetworkSpec = { ...saturated, params: { W: [[[w]]], b: [[0]] }, x: [[1]], y: [[y]] };
      expect(valueOf(spec, '∂L/∂ŷ'), `z = ${w}, y = ${y}`).toBe(dLda);
      expect(Math.abs(valueOf(spec, '∂L/∂w1')), `z = ${w}, y = ${y}`).toBe(0);
      expect((await cpuRun(spec)).dW[0][0]).toBe(0);
    }
  });

  it("relu'(0) = 0 in the engine, as on the CPU backend (src/cpu/kernels.ts)", async () => {
    // z_h1 = 1·0 + 0 = 0; ŷ = 2·relu(0) + 0 = 0, δ_out = ŷ − y = −1; ∂L/∂b1 = δ_out·w2·relu'(0)·1 = 0 (relu'(0) = 1: −2)
    const spec: NetworkSpec = {
      inputs: 1, layers: [{ units: 1, activation: 'relu' }, { units: 1, activation: 'identity' }], loss: 'mse',
      params: { W: [[[1]], [[2]]], b: [[0], [0]] }, x: [[0]], y: [[1]],
    };
    expect(valueOf(spec, '∂a_h1/∂z_h1')).toBe(0);
    expect(valueOf(spec, '∂L/∂b1')).toBe(0);
    expect((await cpuRun(spec)).db[0][0]).toBe(0);
  });

  it('trainable parameters of the 2-2-1 lecture: w1 … w6, one shared b1, b2 = 8', () => {
    expect(valueOf(spec221, 'trainable parameters')).toBe(8);
  });

  it('a shared bias of a one-unit layer has one unit to part at: its paths are grouped "via" the layer above', () => {
    const spec: NetworkSpec = {
      inputs: 1, layers: [{ units: 1, activation: 'sigmoid', bias: 'shared' }, { units: 2, activation: 'sigmoid' }], loss: 'mse',
      params: { W: [[[0.5]], [[0.1], [0.2]]], b: [0.3, [0, 0]] }, x: [[1]], y: [[0, 1]],
    };
    const words = new ScalarEngine(spec).expand(lossWrt(B(0, 0))).examples[0].groups.map((g) => g.word);
    expect(words).toEqual(['via', 'via']);
    expect(new ScalarEngine(spec221).expand(lossWrt(B(0, 0))).examples[0].groups.map((g) => g.word)).toEqual(['from', 'from']);
  });

  it('index pairs: single digits up to 9 are run together (w¹₉₁), from 10 on with a comma (w¹ 10,1)', () => {
    const net = validateNet({ inputs: 1, layers: [{ units: 10, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' });
    const n = new Naming(net, undefined, 'to-from');
    expect(symText(n.param(W(0, 8, 0)))).toBe('w¹₉₁');
    expect(symText(n.param(W(0, 9, 0)))).toMatch(/^w¹_?(10|₁₀),(1|₁)$/); // not w¹₁₀₁: unit 10 from input 1, or unit 1 from input 01
  });

  it('a name with a comma between subscripts resolves however it is spelt: w¹₁₀,₃ (as names.ts writes it), w¹_10,3, w^1_{10,3}', () => {
    const net = validateNet({ inputs: 3, layers: [{ units: 10, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' });
    const n = new Naming(net, undefined, 'to-from');
    for (const spelling of ['w¹₁₀,₃', 'w¹_10,3', 'w^1_{10,3}']) expect(n.resolveParam(spelling, 'f'), spelling).toEqual(W(0, 9, 2)); // unit 10 from input 3
  });

  it('a formula reads w¹_10,3 (as names.ts prints it) and w¹₁₀,₃ as one name each (and w¹₁₀ + ₃ is still refused)', () => {
    expect(namesIn(parseExpr('2·w¹₁₀,₃ + w¹_10,3 + w¹_{10,3}² + w¹₁₂', 'f'))).toEqual(['w¹₁₀,₃', 'w¹_10,3', 'w¹_{10,3}', 'w¹₁₂']);
    const net = validateNet({ inputs: 3, layers: [{ units: 10, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' });
    const naming = new Naming(net, undefined, 'to-from');
    for (const name of namesIn(parseExpr('w¹₁₀,₃ − w¹_10,3', 'f'))) expect(naming.resolveParam(name, 'f'), name).toEqual(W(0, 9, 2)); // unit 10 from input 3
    expect(namesIn(parseExpr('max(w¹₁₀, w¹₂₃)', 'f'))).toEqual(['w¹₁₀', 'w¹₂₃']);
    expect(() => parseExpr('w¹₁₀ + ₃', 'f')).toThrow(/subscript/);
  });

  it("to-from: a shared bias is b^l (b^l_j without j: b¹); from-to writes it b_l (b1, as its b11, b12)", () => {
    const net = validateNet({ inputs: 1, layers: [{ units: 2, activation: 'sigmoid', bias: 'shared' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' });
    expect(symText(new Naming(net, undefined, 'to-from').param(B(0, 0)))).toBe('b¹');
    expect(symText(new Naming(net, undefined, 'from-to').param(B(0, 0)))).toBe('b1');
  });

  it('notation.params: a row equal to the layer\'s units is outside the net (W[0][2][0] of a 2-unit layer)', () => {
    const net = validateNet({ inputs: 1, layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'mse' });
    expect(() => new Naming(net, { params: { q: 'W[0][2][0]' } })).toThrow(expect.objectContaining({ field: 'notation.params.q' }));
    expect(new Naming(net, { params: { q: 'W[0][1][0]' } }).resolveParam('q', 'f')).toEqual(W(0, 1, 0));
  });

  it('groupDigits: below 10¹⁵ grouped, from 10¹⁵ on in exponent form', () => {
    expect(groupDigits(999_999_999_999_999)).toBe('999 999 999 999 999');
    expect(groupDigits(1e15)).toBe('1.00e+15');
  });

  it('hand arithmetic divides by the mean\'s N: (0.1 + 0.3)/2 = 0.2', () => {
    expect(holds([['0.1'], ['0.3']], '0.2', 2)).toBe(true);
    expect(holds([['0.1'], ['0.3']], '0.4', 2)).toBe(false);
    expect(handResult([['0.1'], ['0.3']], 4, 2)).toBe('0.2000');
  });

  it('explain expands every parameter only while paths × examples ≤ 20 000 (a 1-1 net: 2 paths per example)', () => {
    // paths per example: w (1) + b (1) = 2; 2 × 10 000 = 20 000 is expanded, 2 × 10 001 = 20 002 is not
    const oneOne = (n: number): NetworkSpec => ({
      inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[1]]], b: [[0]] },
      x: Array.from({ length: n }, () => [1]), y: Array.from({ length: n }, () => [0]),
    });
    expect(explainer(oneOne(10_000)).params).toHaveLength(2);
    expect(explainer(oneOne(10_001)).params).toHaveLength(0);
    expect(explainer(oneOne(10_001)).doc([]).note).toMatch(/2 paths per example \(× 10 001 examples\)/);
  });

  it("explain rounds to the spec's notation.decimals unless decimals is given", () => {
    const spec = { ...spec221, notation: { ...spec221.notation, decimals: 2 } };
    expect(explainer(spec).doc([]).decimals).toBe(2);
    expect(explainer(spec, { decimals: 3 }).doc([]).decimals).toBe(3);
  });

  it('a file in the worked-example format without spec or claims is refused as one (ClaimError naming spec)', () => {
    expect(() => specOf({ format: WORKED_FORMAT, id: 'x' })).toThrow(expect.objectContaining({ name: 'ClaimError', field: 'spec' }));
  });
});
