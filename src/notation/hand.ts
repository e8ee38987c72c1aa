/**
 * Hand arithmetic on the numbers as printed, exact (decimal, in BigInt): every product and sum explain prints checks
 * by hand — multiplying and adding the numbers on the line gives the printed result within half a unit in its last
 * place.
 *
 * NOTE: how rounding works in explain's output (src/notation/format.ts).
 *  - Every result that is a value of the engine or of a backend (a path's product, a sum over groups or examples,
 *    the matrix line's entry, ∂L/∂p) is that float64 (backend: float32) value rounded once, at `decimals` decimals
 *    (at least three significant digits, and one decimal unless it is an integer: fmtValue); the full value follows
 *    on "scalar total, float64" and "cpu: …". A sum of the engine that is zero within its float64 rounding (a softmax
 *    layer's shared bias: Σ_j (a_j − y_j) = 0, ~1e-16 in float64) is printed as 0 at `decimals`, 0.0000 (noise.ts).
 *  - Its operands are printed at the same decimals when those give the result by hand; where they do not (rounding
 *    errors of several operands add up), the computed operands get as many more decimals as that takes (at most
 *    six more, counted from the decimals each prints, or as many as the result has decimals or digits, plus one: −1 +
 *    0.999999999813 = −0.000000000187; values given in the spec stay as written unless their float32 rounding shows
 *    in a path's product). So 0.0334 × 9 is never printed as 0.3003.
 *  - "step by step" multiplies one factor at a time, as the lectures do: each intermediate is the product of the
 *    previous intermediate and the next factor as printed, rounded half away from zero to at least four significant
 *    digits (fmtSig; past 20 decimals in exponent form, 5.3125e-22), never the hidden unrounded product; an exact tie gets one more decimal (it is then exact), an
 *    exact integer is printed as one (−1, as the result line prints it, not −1.0000). Its
 *    last number can differ from the path's value in the last digits: that is the rounding of the intermediates.
 */
import { fmtMore, fmtValue, sigDecimals } from './numbers.ts';

/** A decimal number, exactly: num / den (den > 0). */
interface Exact {
  num: bigint;
  den: bigint;
}

const pow10 = (k: number): bigint => 10n ** BigInt(k);
const abs = (v: bigint): bigint => (v < 0n ? -v : v);

/**
 * A number as printed ("−0.0495", "(−1.3989)", "3.3", "1", "5.310e-21"); undefined if it is not a decimal (Infinity).
 * In exponent form its last place is the mantissa's (5.310e-21: 10⁻²⁴), as a running product prints one past 20 decimals.
 */
export function parseShown(shown: string): Exact | undefined {
  const t = shown.replace(/^\((.*)\)$/, '$1').replace(/^[−-]/, '-');
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(t);
  if (!m) return undefined;
  const frac = m[3] ?? '';
  const exp = Number(m[4] ?? 0);
  const num = BigInt(m[2] + frac) * pow10(Math.max(exp, 0));
  return { num: m[1] === '-' ? -num : num, den: pow10(frac.length + Math.max(-exp, 0)) };
}

/** Decimals for four significant digits of the magnitude as rounded (0.099996: 0.1000), at least `decimals`. */
const fourDecimals = (magnitude: number, decimals: number): number => Math.min(Math.max(decimals, sigDecimals(magnitude, 4)), 20);

/** A computed value with at least four significant digits (and at least `decimals` decimals). */
export function fmtSig(v: number, decimals: number): string {
  if (!Number.isFinite(v) || v === 0 || Number.isInteger(v) || Math.abs(v) >= 1e7) return fmtValue(v, decimals);
  return fmtValue(v, fourDecimals(Math.abs(v), decimals));
}

/**
 * x rounded half away from zero to four significant digits (at least `decimals` decimals); a tie gets one more; an
 * exact integer (below 10⁷) as an integer.
 */
function showExact(x: Exact, decimals: number): string {
  if (x.num === 0n) return '0';
  const a = abs(x.num);
  // An exact integer as an integer, as fmtValue prints one: relu's (−1) × 1 = −1, never −1.0000 beside a result −1.
  if (a % x.den === 0n && a / x.den < 10_000_000n) return (x.num < 0n ? '−' : '') + (a / x.den).toString();
  // Four significant digits counted from the leading digit before rounding (0.099996: 5 decimals); a carry below. Not
  // an integer: at least one decimal, also at 0 decimals (1234.56 is 1234.6, not 1235, which would read as exact).
  // The leading digit's exponent e (10^e ≤ a/den < 10^(e+1)) exactly, from the digit counts: a float log10 of
  // Number(a) / Number(den) is NaN once den passes 1.8e308 (many factors of many decimals) and throws below.
  let e = a.toString().length - x.den.toString().length;
  if (e >= 0 ? a < x.den * pow10(e) : a * pow10(-e) < x.den) e--;
  const least = Math.max(decimals, a % x.den === 0n ? 0 : 1);
  // NOTE: four significant digits past 20 decimals (a running product of a saturated unit's f', below ~1e-17) in
  // exponent form, as fmtValue prints such a value (5.310e-21): capped at 20 decimals, 5.31e-21 printed
  // 0.00000000000000000001, one digit and that one wrong, and a negative one −0.00000000000000000000.
  if (3 - e > Math.max(20, decimals)) return (x.num < 0n ? '−' : '') + exponentForm(a, x.den, e);
  let d = Math.min(Math.max(least, 3 - e), 20);
  for (;;) {
    const scaled = a * pow10(d);
    let q = scaled / x.den;
    const twice = 2n * (scaled % x.den);
    if (twice === x.den && d < 40) { d++; continue; } // exactly half: one more decimal shows it exactly
    if (twice >= x.den) q++;
    // Rounded up to a power of ten (0.099996 → 0.10000): four significant digits need one decimal fewer (0.1000),
    // unless `decimals` asks for it. Only from a four-digit rounding: a tie's extra decimal keeps the digits exact.
    if (q === 10_000n && d > least) { q = 1000n; d--; }
    const digits = q.toString().padStart(d + 1, '0');
    const body = d === 0 ? digits : `${digits.slice(0, -d)}.${digits.slice(-d)}`;
    return (x.num < 0n ? '−' : '') + body; // trailing zeros kept: they are significant digits
  }
}

/**
 * a/den (> 0, leading digit at 10^e) to four significant digits, rounded half away from zero, in exponent form:
 * 5.310e-21 (a carry to 10.000 moves the exponent: 9.9996e-21 is 1.000e-20; an exact tie gets one more, 5.3125e-19).
 */
function exponentForm(a: bigint, den: bigint, e: number): string {
  let sig = 4;
  for (;;) {
    const scaled = a * pow10(sig - 1 - e); // sig − 1 − e > 0 here: a value below 1e-17
    let q = scaled / den;
    const twice = 2n * (scaled % den);
    if (twice === den && sig < 24) { sig++; continue; } // exactly half: one more digit shows it exactly, as showExact
    if (twice >= den) q++;
    if (q === pow10(sig)) { q = pow10(sig - 1); e++; }
    const digits = q.toString();
    return `${digits[0]}.${digits.slice(1)}e${e}`;
  }
}

/** Σ_k Π_j terms[k][j] / divisor, exactly, from the numbers as printed; undefined when one is not a plain decimal. */
function exactSum(terms: string[][], divisor: number): Exact | undefined {
  let num = 0n;
  let den = 1n;
  for (const term of terms) {
    let tn = 1n;
    let td = 1n;
    for (const s of term) {
      const x = parseShown(s);
      if (!x) return undefined;
      tn *= x.num;
      td *= x.den;
    }
    // num/den + tn/td, over a common power of ten (every den is one).
    if (td > den) { num *= td / den; den = td; } else tn *= den / td;
    num += tn;
  }
  return { num, den: den * BigInt(divisor) };
}

/**
 * Σ_k Π_j operands[k][j], divided by `divisor`, from the operands as printed, shown as fmtSig would; undefined when an
 * operand is not a plain decimal (then the caller shows the engine's value).
 */
export function handResult(operands: string[][], decimals: number, divisor = 1): string | undefined {
  const x = exactSum(operands, divisor);
  return x && showExact(x, decimals);
}

/** Does Σ_k Π_j terms[k][j] / divisor, from the numbers as printed, equal `result` within half a unit in its last place? */
export function holds(terms: string[][], result: string, divisor = 1): boolean {
  const r = parseShown(result);
  const x = exactSum(terms, divisor);
  // |x.num/x.den − r.num/r.den| ≤ 1/(2·r.den)  ⇔  2·|x.num·r.den − r.num·x.den| ≤ x.den
  return r !== undefined && x !== undefined && 2n * abs(x.num * r.den - r.num * x.den) <= x.den;
}

/**
 * How many more decimals than they print the operands of `result` may get (sumTerms, and a path's factors in
 * format.ts): six, or as many as the result has decimals — terms that cancel down to a result far below them (−1.0000
 * + 1.0000 = −0.000000000187, a shared bias's two groups) need them down to its last — or significant digits — factors
 * of a product of many digits (17255.4748 × 91.7 × 5.864978 = 9280312.9886) need as many of their own — plus one.
 */
export function mostExtra(result: string): number {
  const digits = result.replace(/[^0-9.]/g, '');
  return Math.max(6, (digits.split('.')[1] ?? '').length + 1, digits.replace('.', '').replace(/^0+/, '').length + 1);
}

/**
 * The terms of a printed sum whose result is the engine's value (∂L/∂b1 = 0.0134 + 0.0150 = 0.0284, the sum over
 * examples): each at `decimals` as on its own line, or, where those do not add up to `result` within half a unit
 * in its last place, with as many more decimals as that takes (at most six more, or as many as the result has where
 * the terms cancel down to it). A term given as a string (a value zero within its rounding, 0.0000: noise.ts) is
 * printed as given.
 */
export function sumTerms(values: readonly (number | string)[], result: string, decimals: number, divisor = 1): string[] {
  const at = (extra: number) => values.map((v) => (typeof v === 'string' ? v : fmtMore(v, decimals, extra)));
  const most = mostExtra(result);
  for (let extra = 0; extra <= most; extra++) {
    const shown = at(extra);
    if (holds(shown.map((t) => [t]), result, divisor)) return shown;
  }
  return at(0);
}
