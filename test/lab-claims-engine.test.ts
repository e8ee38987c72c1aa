/**
 * The Lecture checks table's engine column rounds each quantity one way (src/worked/report.ts engineDecimals,
 * claimEngine; src/lab/words.ts claimRows): it gave lecture 001's L as 0.274811 on line 46 (printed at 4 decimals:
 * two more) and 0.2748111 on line 60 (a formula: 7 significant digits), z_h1 as 0.377500 and 0.3775. The rule (README):
 * every row of a quantity (its name and example) at the same decimals, the most any of its rows needs: 7 significant
 * digits, and two more decimals than any of its rows is printed at. Expected values worked by hand (float64 formulas of
 * lecture 001's net: x = (0.05, 0.10), w1…w4 = 0.15, 0.20, 0.25, 0.30, b1 = 0.35, w5 = 0.40, w6 = 0.45, b2 = 0.60, y = 0.01).
 */
import { describe, expect, it } from 'vitest';
import { claimRows } from '../src/lab/words.ts';
import { LECTURES, lecture } from '../src/lectures/index.ts';
import { checkWorked } from '../src/worked/check.ts';
import { isFormulaClaim } from '../src/worked/worked.ts';

const σ = (z: number): number => 1 / (1 + Math.exp(-z));
const zh1 = 0.05 * 0.15 + 0.1 * 0.2 + 0.35; // 0.3775
const zh2 = 0.05 * 0.25 + 0.1 * 0.3 + 0.35; // 0.3925
const yhat = σ(0.4 * σ(zh1) + 0.45 * σ(zh2) + 0.6);
const L = 0.5 * (0.01 - yhat) ** 2; // 0.27481106…

function rowsOf(id: string): string[][] {
  return claimRows(checkWorked(lecture(id).worked).checks);
}

const decimalsOf = (t: string): number => (t.split('.')[1] ?? '').length;

describe('the Lecture checks engine column: one rounding a quantity', () => {
  it("lecture 001: L on lines 46 and 60 all 0.2748111, z_h1 on lines 27, 152 and 239 all 0.3775000 (7 significant digits)", () => {
    const rows = rowsOf('lecture-2-2-1');
    const engine = (name: string) => rows.filter((r) => r[1] === name).map((r) => r[3]);
    expect(L.toFixed(7)).toBe('0.2748111'); // the hand formula agrees with the digits written below
    expect(engine('L')).toEqual(['0.2748111', '0.2748111', '0.2748111']); // lines 46 (printed, formula), 60
    expect(zh1).toBeCloseTo(0.3775, 15);
    expect(engine('z_h1')).toEqual(['0.3775000', '0.3775000', '0.3775000', '0.3775000']); // lines 27 (printed, formula), 152, 239
  });

  it('a quantity printed at 8 decimals somewhere (new w5, line 104) shows 10 on every row of it', () => {
    // ∂L/∂w5 = (ŷ − y)·ŷ(1 − ŷ)·a_h1 = 0.0821670…; new w5 = 0.40 − 0.0001 × that = 0.39999178329…
    const dw5 = (yhat - 0.01) * yhat * (1 - yhat) * σ(zh1);
    const w5 = 0.4 - 0.0001 * dw5;
    expect(w5.toFixed(10)).toBe('0.3999917833');
    const cells = rowsOf('lecture-2-2-1').filter((r) => r[1] === 'new w5').map((r) => r[3]);
    expect(cells).toEqual(['0.3999917833', '0.3999917833', '0.3999917833', '0.3999917833']);
  });

  it("a small value is written out, not in exponent form: lecture study-hours' ∂L/∂w7 −0.0000426218 (hand: (−0.003)(0.002991)(4.75))", () => {
    const cells = rowsOf('lecture-study-hours-w7').filter((r) => r[1] === '∂L/∂w7').map((r) => r[3]);
    expect(cells.length).toBe(4); // lines 11, 13, 24, 42
    for (const c of cells) expect(c).toMatch(/^−0\.0000426217\d$/); // 7 significant digits: 11 decimals
  });

  it('an exact claim on a whole number is shown whole: lecture 001 line 233\'s ∂z_out/∂b2 = 1 (z_out = … + b2), not 1.000000', () => {
    const cells = rowsOf('lecture-2-2-1').filter((r) => r[1] === '∂z_out/∂b2').map((r) => r[3]);
    expect(cells).toEqual(['1']);
  });

  it('every lecture: each quantity at one decimals, at least 7 significant digits and two more than any of its rows is printed at', () => {
    for (const l of LECTURES) {
      const checks = checkWorked(l.worked).checks;
      const rows = claimRows(checks);
      const byQuantity = new Map<string, number[]>();
      checks.forEach((k, i) => {
        const key = `${k.claim.name}|${k.example ?? ''}`;
        byQuantity.set(key, [...(byQuantity.get(key) ?? []), i]);
      });
      for (const [q, idx] of byQuantity) {
        const cells = idx.map((i) => rows[i][3]).filter((t) => t !== 'not evaluable');
        const places = new Set(cells.map(decimalsOf));
        expect(places.size, `${l.id} ${q}: ${cells.join(', ')}`).toBeLessThanOrEqual(1);
        for (const i of idx) {
          const k = checks[i];
          const t = rows[i][3];
          if (t === 'not evaluable') continue;
          const d = decimalsOf(t);
          const digits = t.replace(/^−/, '').replace('.', '').replace(/^0+/, '').length;
          // A quantity whose every row is an exact claim on a whole number is shown whole (the test above); every other
          // row as the rule says.
          const whole = idx.every((j) => { const c = checks[j]; return !isFormulaClaim(c.claim) && c.claim.exact === true && Number.isInteger(c.value); });
          if (whole) expect(t, `${l.id} line ${k.claim.line} ${q}`).toBe(String(k.value));
          if (k.value !== 0 && !whole) expect(digits, `${l.id} line ${k.claim.line} ${q}: ${t}`).toBeGreaterThanOrEqual(7);
          const printed = k.claim.decimals;
          if (printed !== undefined && !whole) expect(d, `${l.id} line ${k.claim.line} ${q}: ${t}`).toBeGreaterThanOrEqual(printed + 2);
          expect(Math.abs(Number(t.replace('−', '-')) - k.value)).toBeLessThanOrEqual(0.5 * 10 ** -d * (1 + 1e-9));
        }
      }
    }
  });
});
