/**
 * Numbers as explain and the course lab print them. Values the engine computes are shown at `decimals` decimals (a
 * lecture's rounding; default 4), with more decimals where needed to show three significant digits (0.00134, not
 * 0.0013: lecture 001 prints 0.00135 for ∂L/∂w2, and a student comparing must see that the third digit differs;
 * two below 3 decimals, the lab's compact node values); values given in the spec (weights, inputs, the constant 1) are shown as given (0.4, 0.05). Every printed
 * product and sum checks by hand: see the NOTE in hand.ts on how operands and intermediates are rounded.
 */

/**
 * Paths shown per group (and terms of a sum over examples or of the matrix line's), and examples shown in full, before
 * the rest is summarised (the totals use all): explain's text, Markdown and LaTeX and the course lab's Notation tab.
 */
export const SHOW_PATHS = 8;
export const SHOW_EXAMPLES = 4;

/** A leading '-' as the Unicode minus, as the lectures and every printed value here write it. */
export const minus = (s: string): string => s.replace(/^-/, '−');

/** How a number is written: a text minus sign (−), or LaTeX's (-). */
export type Style = 'text' | 'latex';

/**
 * A number the user gave (a learning rate) exactly as JavaScript writes it, its exponent without `+`: `1e30`, not
 * `1e+30`; 0.012345 stays 0.012345 (a student checks W − η·dW with it, so no rounding).
 */
export function fmtExact(v: number): string {
  return String(v).replace('e+', 'e');
}

/** Significant digits a computed value keeps at `decimals` decimals: three, two below 3 decimals (the lab's dense nodes). */
export const minSignificant = (decimals: number): number => (decimals >= 3 ? 3 : 2);

/**
 * A computed value at `decimals` decimals, extended to minSignificant digits; an exact integer as an integer. The
 * digits are counted on the value as rounded: 0.0009996 at 4 decimals is 0.00100 (it rounds up to 10⁻³, three
 * significant digits at 5 decimals), not 0.001000; where `decimals` asks for more, they stay (0.09996 is 0.1000).
 * A value that is not an integer keeps at least one decimal, also at 0 decimals (9.9996 is 10.0, −220.47 is −220.5):
 * a bare integer is exact (relu' = 1), and "10" would read as one. From 10⁷ on, and below where three significant
 * digits fit in 20 decimals (~1e-18), in exponent form: 1.2346e+8, −9.86e-305.
 */
export function fmtValue(v: number, decimals: number, style: Style = 'text'): string {
  // −Infinity with the text minus, as every other negative value here (String gives an ASCII '-'); LaTeX's \text{-Infinity}.
  if (!Number.isFinite(v)) return style === 'latex' ? `\\text{${v}}` : String(v).replace('-', '−');
  if (v === 0) return '0';
  const mag = Math.abs(v);
  const minus = v < 0 ? (style === 'latex' ? '-' : '−') : '';
  if (Number.isInteger(v) && mag < 1e7) return minus + String(mag); // exact small integers (relu' = 1, t − z = 1)
  const sig = sigDecimals(mag, minSignificant(decimals));
  // From 10⁷ on, and where the significant digits lie past 20 decimals (a saturated unit's f', 1e-22), in exponent
  // form: at 20 decimals a value of 1e-25 printed 0.00000000000000000000, and a negative one −0.00000000000000000000.
  // Not where `decimals` asks for them (fmtMore's operands of a sum that cancels: 0.000000000000000000123 + …).
  const exp = mag >= 1e7 ? mag.toExponential(4) : sig > Math.max(20, decimals) ? mag.toExponential(minSignificant(decimals) - 1) : undefined;
  if (exp !== undefined) return style === 'latex' ? latexNumber(minus + exp) : minus + exp;
  return minus + mag.toFixed(Math.max(decimals, 1, sig));
}

/** Significant digits a float32 holds (24 bits: 7.2 decimal digits), as the CLI's grad prints a backend's numbers. */
export const FLOAT32_DIGITS = 7;

/**
 * A value a backend computed in float32 (the lab's loss on the stage line, its table of parameters after an Update):
 * as fmtValue at `decimals`, but never past FLOAT32_DIGITS significant digits — 1370.445, not 1370.4451 (lecture
 * 003's summed loss, 1370.444953 in float64, is 1370.44507 in float32: a 4th decimal float32 does not have, and one
 * that disagrees with the hand work); −101.8594, not −101.8594055 (the float32 of −101.8594, its last digits those of
 * the binary fraction). Below the cap (|v| < 1 at 7 decimals, the loss under 1000 at 4) as fmtValue. NOTE: from 10⁶
 * to 10⁷ a value that is not an integer keeps one decimal (fmtValue's: a bare integer reads as exact), 8 significant
 * digits — float32's step there is 1/16 to 1/2, so that decimal is roughly right; from 10⁷ on, exponent form.
 */
export function fmtStored(v: number, decimals: number, style: Style = 'text'): string {
  if (!Number.isFinite(v) || v === 0) return fmtValue(v, decimals, style);
  return fmtValue(v, Math.min(decimals, Math.max(0, sigDecimals(Math.abs(v), FLOAT32_DIGITS))), style);
}

/**
 * A run's loss before → after, as the lab's Training line prints it: 5 significant digits, more (up to the
 * FLOAT32_DIGITS a backend's float32 loss holds) while the two would print alike but differ — lecture 001's two steps
 * at its η = 0.0001 moved L from 0.2748111 to 0.2748077, which at 5 digits read "loss 0.27481 → 0.27481", as if the
 * steps had done nothing. Undefined (no loss) stays undefined.
 */
export function fmtLossChange(start: number | undefined, end: number | undefined): [string | undefined, string | undefined] {
  const at = (p: number): [string | undefined, string | undefined] => [start?.toPrecision(p), end?.toPrecision(p)];
  let p = 5;
  while (p < FLOAT32_DIGITS && start !== end && at(p)[0] === at(p)[1]) p++;
  return at(p);
}

/**
 * v as fmtValue prints it at `decimals`, with `extra` more decimals than that print has: the operands of a printed
 * product or sum that do not give its result at `decimals` (hand.ts). Counted from the decimals printed, not from
 * `decimals`: a value below 10^−decimals already prints more (8.46e-11 at 4: 0.0000000000846, 13), and fmtValue at
 * decimals + 6 added none of them, so such a sum (0.0000000000783 + 0.0000000000108 + (−0.00000000000457) =
 * 0.0000000000846) never added up by hand. An integer or a value not finite: as fmtValue's; one in exponent form gets `extra` more mantissa digits.
 */
export function fmtMore(v: number, decimals: number, extra: number): string {
  const shown = fmtValue(v, decimals);
  const point = shown.indexOf('.');
  if (extra === 0 || point < 0) return shown;
  // NOTE: a value in exponent form gets `extra` more digits of its mantissa: a saturated sigmoid's bce factors
  // (−1.0962e+7) × 0.0000000228 multiplied by hand to −0.2499, not the path's −0.25 (their product is ŷ − y).
  const e = shown.indexOf('e');
  if (e >= 0) return (v < 0 ? '−' : '') + Math.abs(v).toExponential(Math.min(e - point - 1 + extra, 100));
  return fmtValue(v, shown.length - point - 1 + extra);
}

/**
 * Decimals that show `sig` significant digits of mag > 0, counted after rounding to them: the exponent of
 * mag.toExponential(sig − 1), which is 10⁻³ for 0.0009996 at three (1.00e-3), so 5 decimals, not 6. Below 0 for a
 * large mag (1234.5 at three: −1); the caller's floor of `decimals` (≥ 0) takes over.
 */
export function sigDecimals(mag: number, sig: number): number {
  return sig - 1 - Number(mag.toExponential(sig - 1).split('e')[1]);
}

/**
 * A value given in the spec: as written (0.4, 0.05) when it has at most max(decimals, 6) decimals — also when
 * it went through float32 (a backend's X), which moves it by at most one float32 rounding — else like fmtValue.
 */
export function fmtGiven(v: number, decimals: number, style: Style = 'text'): string {
  return asGiven(v, decimals, style) ?? fmtValue(v, decimals, style);
}

/**
 * A given number as written (a float32 of at most max(decimals, 6) decimals: the fewest decimals that give it back
 * within one float32 rounding, so 3.3 stays 3.3 at 8 decimals, not 3.29999995), or undefined when it has more.
 */
export function asGiven(v: number, decimals: number, style: Style = 'text'): string | undefined {
  if (!Number.isFinite(v)) return undefined;
  for (let d = 0; d <= Math.max(decimals, 6); d++) {
    const r = Number(v.toFixed(d));
    if (Math.abs(r - v) <= Math.abs(v) * 2 ** -24) return (r < 0 ? (style === 'latex' ? '-' : '−') : '') + String(Math.abs(r));
  }
  return undefined;
}

/** Full float64 precision (10 significant digits), for the totals. */
export function fmtFull(v: number): string {
  if (v === 0) return '0';
  const mag = Math.abs(v);
  return (v < 0 ? '−' : '') + (mag < 1e-4 || mag >= 1e7 ? mag.toExponential(9) : String(Number(mag.toPrecision(10))));
}

/** A printed number as a factor of a product: a negative one in parentheses. */
export const inProduct = (s: string, style: Style): string => (s.startsWith(style === 'latex' ? '-' : '−') ? `(${s})` : s);

/**
 * Printed numbers (text minus signs) as the terms of a sum, as written by hand: the first as printed, a later negative
 * one in parentheses — `−0.2506 + 0.6340`, `0.5543 + (−0.8047)` — so that every term still reads as added.
 */
export function sumText(terms: readonly string[], style: Style): string {
  return terms.map((t, k) => summand(t, k, style)).join(' + ');
}

/** Term k of a sum as sumText writes it (Markdown's sum over groups labels each: `0.2951 (from o1) + (−0.4833) (from o2)`). */
export function summand(t: string, k: number, style: Style): string {
  if (style === 'latex') return k === 0 ? latexNumber(t) : latexFactor(t);
  return k === 0 ? t : inProduct(t, 'text');
}

/** A sum times its scale: in parentheses after (1/N)·, bare when there is no scale (a sum needs none of its own). */
export function scaledSum(scale: string, sum: string, style: Style): string {
  if (!scale) return sum;
  return style === 'latex' ? `${scale}\\left(${sum}\\right)` : `${scale}(${sum})`;
}

/**
 * A number printed as text (fmtValue's text style) in LaTeX: a leading − as -, a value that is not finite as
 * \text{…} (KaTeX would set a bare NaN as the product N·a·N), and an exponent form (fmtValue's from 10⁷ on) as
 * 1.2346 \times 10^{8} (KaTeX set 1.2346e+8 as the sum 1.2346e + 8). Used by explain's LaTeX and the lab's matrix form.
 */
export function latexNumber(s: string): string {
  if (/^[-−]?(?:NaN|Infinity)$/.test(s)) return `\\text{${s.replace('−', '-')}}`;
  const e = /^([-−]?)(\d+(?:\.\d+)?)e([-+]?)(\d+)$/.exec(s);
  if (e) return `${e[1] === '' ? '' : '-'}${e[2]} \\times 10^{${e[3] === '-' ? '-' : ''}${e[4]}}`;
  return s.replace(/^−/, '-');
}
/** latexNumber as a factor of a product: a negative one, or one with a power of ten, in parentheses. */
export const latexFactor = (s: string): string => {
  const l = latexNumber(s);
  return l.includes('\\times') ? `(${l})` : inProduct(l, 'latex');
};
