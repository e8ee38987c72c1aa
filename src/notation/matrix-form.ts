/**
 * The matrix line as explain prints it, beside the scalar chain rule (format.ts): the entry of δ_l·A_{l−1}ᵀ (a weight),
 * of δ_l·1 (a bias) or the sum of all of δ_l (a shared bias) that a parameter's gradient is, in plain text and in
 * LaTeX, with the numbers the course lab's matrix form prints too (matrixNumbers; src/lab/explain-panel.ts). Every
 * printed sum checks by hand: see the NOTE in hand.ts on how operands and intermediates are rounded.
 */
import { handResult, holds, parseShown } from './hand.ts';
import { float32Bound, type MatrixLine } from './matrix.ts';
import { zeroAt } from './noise.ts';
import { subDigits } from './names.ts';
import { asGiven, fmtFull, fmtMore, fmtValue, inProduct, latexFactor, latexNumber, scaledSum, SHOW_PATHS, sumText } from './numbers.ts';
import type { Expansion } from './scalar.ts';
import { type Sym, symLatex, symText } from './symbols.ts';

/**
 * A matrix line's numbers as printed (text minus signs) and its result, the backend's value at `decimals`: δ (and
 * A_{l−1} for a weight; given inputs as written) at `decimals` decimals, or, where those do not give the result by
 * hand within half a unit in its last place, with as many more decimals as that takes (at most six more; hand.ts).
 * terms: one [δ, A] pair per example (W), one [δ] per example (b; none for one example), one [δ] per entry of
 * δ_l, unit by unit and example by example (a shared bias); at most SHOW_PATHS of them. Used by explain's text,
 * Markdown and LaTeX and by the course lab's matrix form (src/lab/explain-panel.ts), so both print the same numbers.
 */
export function matrixNumbers(m: MatrixLine, decimals: number): { terms: string[][]; result: string } {
  const shownN = Math.min(m.n, SHOW_PATHS);
  const result = fmtValue(m.value, decimals);
  let complete = m.n === shownN;
  let build: (extra: number) => string[][];
  const f = (v: number, extra: number) => fmtMore(v, decimals, extra);
  if (m.form === 'W') build = (e) => Array.from({ length: shownN }, (_, c) => [f(m.deltaRows[0][c], e), m.layer === 0 ? asGiven(m.aRow![c], decimals) ?? f(m.aRow![c], e) : f(m.aRow![c], e)]);
  else if (m.form === 'b') build = (e) => (m.n === 1 ? [] : Array.from({ length: shownN }, (_, c) => [f(m.deltaRows[0][c], e)]));
  else {
    complete = m.deltaRows.length * m.n <= SHOW_PATHS;
    build = (e) => (complete ? m.deltaRows.flatMap((r) => r.map((x) => [f(x, e)])) : []);
  }
  const divisor = m.n > 1 && m.scale !== 1 ? m.n : 1;
  const attempt = (shown: string): { terms: string[][]; result: string } | undefined => {
    for (let extra = 0; extra <= 6 && complete; extra++) {
      const terms = build(extra);
      if (terms.length === 0 || holds(terms, shown, divisor)) return { terms, result: shown };
    }
    return undefined;
  };
  const exact = attempt(result);
  if (exact) return exact;
  const terms = build(0);
  if (!complete) return { terms, result };
  // The float32 rounding a sum of these terms can carry (see the NOTE): 2⁻²⁴ per rounding, k as noise.ts counts them.
  const size = terms.reduce((s, t) => s + Math.abs(t.reduce((p, x) => p * Number(x.replace('−', '-')), 1)), 0) / divisor;
  const rounding = 2 * (terms.length + 2 + Math.max(m.deltaRows.length, 4)) * 2 ** -24 * size;
  // NOTE: a sum whose terms cancel to within float32's rounding (a softmax layer's shared bias, Σ_j (a_j − y_j) = 0,
  // 5.6e-9 from the CPU) has no significant digit: printed as 0 at `decimals`, as the scalar sum beside it is
  // (noise.ts), where its terms give that by hand.
  const zero = terms.length > 1 && Math.abs(m.value) <= rounding ? attempt(zeroAt(decimals)) : undefined;
  if (zero) return zero;
  // NOTE: past float32's ~7 significant digits (--decimals 5 and more on values of tens) the backend's value carries
  // its own float32 rounding, which no printing of its operands reproduces (−18.79100 + −48.86500 is −67.65600, the
  // float32 sum −67.65601): the line then gives the operands' sum by hand, and the backend's value stays on its own
  // line below (`cpu: db₂[0] = −67.65600586`). Only where that sum is the backend's value within float32's rounding,
  // its operands given as many more decimals as that takes: at `decimals`, terms that cancel (0.5200 + 0.00952 +
  // (−0.5295)) summed to 0.00002000 beside a value of 5.6e-9, and (−1162.8883) × (−7.4609) to 8676.1933 beside
  // 8676.2510 (A₁ = −7.460950).
  for (let extra = 0; extra <= 6; extra++) {
    const shown = build(extra);
    const hand = handResult(shown, decimals, divisor);
    const place = hand === undefined ? undefined : parseShown(hand);
    if (hand === undefined || !place) break;
    // Its last place from the number as printed: in exponent form the mantissa's (−5.310e-22: 10⁻²⁵), not the
    // digits after the point (10⁻⁷, under which any hand product of that size passed, beside a value twice it).
    if (Math.abs(Number(hand.replace('−', '-')) - m.value) <= 0.5 / Number(place.den) + rounding) return { terms: shown, result: hand };
  }
  return { terms, result };
}

/**
 * A layer's matrix or vector in LaTeX, bold — \mathbf{W}_{2}, \mathbf{db}_{1}, \boldsymbol{\delta}_{2},
 * \mathbf{X} (no layer) — so that it is never written like a parameter's own name (the flat b_{2} is one number).
 */
export function layerLatex(name: 'W' | 'b' | 'dW' | 'db' | 'delta' | 'A' | 'X', layer?: number): string {
  const sym = name === 'delta' ? '\\boldsymbol{\\delta}' : `\\mathbf{${name}}`;
  return layer === undefined ? sym : `${sym}_{${layer}}`;
}

/**
 * The matrix line in plain text (explain's text and Markdown): which entry of δ_l·A_{l−1}ᵀ (or of δ_l·1, or the sum of
 * all of δ_l for a shared bias) the gradient is, that entry's sum with the numbers of matrixNumbers, and the backend's
 * value against the scalar total within float32Bound. `pname`: the parameter's name; `scalar`: its expansion.
 */
export function matrixText(m: MatrixLine, pname: string, loss: Sym, decimals: number, scalar: Expansion): string[] {
  const l = m.layer + 1;
  const d = `δ${subDigits(l)}`;
  const a = `A${subDigits(l - 1)}`;
  const scale = m.n > 1 && m.scale !== 1 ? `(1/${m.n})·` : '';
  const shown = matrixNumbers(m, decimals);
  const t = (s: string) => inProduct(s, 'text');
  const cols = (row: number[]) => (m.n === 1 ? [''] : row.map((_, c) => `[${c}]`));
  const shownN = Math.min(m.n, SHOW_PATHS);
  const more = m.n > shownN ? ` + … (${m.n - shownN} more)` : '';
  const lines: string[] = [];
  if (m.form === 'W') {
    const i = m.param.kind === 'W' ? m.param.row : 0;
    const j = m.param.kind === 'W' ? m.param.col : 0;
    lines.push(`matrix: ∂${symText(loss)}/∂W${subDigits(l)} = ${scale}${d}·${a}ᵀ${l === 1 ? ' (A₀ = X)' : ''}; ${pname} is entry [${i}][${j}]: row ${i} of ${d} times column ${j} of ${a}ᵀ (row ${j} of ${a})`);
    const idx = cols(m.deltaRows[0]).slice(0, shownN);
    const sym = idx.map((c) => `${d}[${i}]${c}·${a}[${j}]${c}`).join(' + ') + more;
    const num = shown.terms.map(([dv, av]) => `${t(dv)} × ${t(av)}`).join(' + ') + more;
    lines.push(m.n === 1 ? `      = ${sym.replace('·', ' × ')} = ${num} = ${shown.result}` : `      = ${scaledSum(scale, sym, 'text')} = ${scaledSum(scale, num, 'text')} = ${shown.result}`);
  } else if (m.form === 'b') {
    const i = m.param.kind === 'b' ? m.param.index : 0;
    lines.push(`matrix: ∂${symText(loss)}/∂b${subDigits(l)} = ${scale}${d}·1 (the row sums of ${d}); ${pname} is entry [${i}]: the sum of row ${i} of ${d}`);
    const idx = cols(m.deltaRows[0]).slice(0, shownN);
    if (m.n === 1) lines.push(`      = ${d}[${i}] = ${fmtValue(m.value, decimals)}`);
    else lines.push(`      = ${scaledSum(scale, `${idx.map((c) => `${d}[${i}]${c}`).join(' + ')}${more}`, 'text')} = ${scaledSum(scale, `${sumText(shown.terms.map(([dv]) => dv), 'text')}${more}`, 'text')} = ${shown.result}`);
  } else {
    const units = m.deltaRows.length;
    lines.push(`matrix: ∂${symText(loss)}/∂b${subDigits(l)} = ${scale}Σ_i Σ_c ${d}[i][c] (one bias shared by the ${units} unit${units === 1 ? '' : 's'} of layer ${l}: the sum of all of ${d})`);
    if (m.n === 1 && units <= SHOW_PATHS) {
      lines.push(`      = ${m.deltaRows.map((_, i) => `${d}[${i}]`).join(' + ')} = ${sumText(shown.terms.map(([dv]) => dv), 'text')} = ${shown.result}`);
    } else if (shown.terms.length === units * m.n) {
      // Every δ term fits (matrixNumbers gives them row by row): the sum of each unit's row, then of the rows. One unit's
      // row is the whole sum, in no parentheses of its own: (1/2)·((δ₁[0][0] + δ₁[0][1])) had two pairs.
      const row = (x: string) => (units > 1 ? `(${x})` : x);
      const rows = (term: (i: number, c: number) => string) => m.deltaRows.map((r, i) => row(r.map((_, c) => term(i, c)).join(' + '))).join(' + ');
      const rowSums = m.deltaRows.map((r, i) => row(sumText(r.map((_, c) => shown.terms[i * m.n + c][0]), 'text'))).join(' + ');
      lines.push(`      = ${scaledSum(scale, rows((i, c) => `${d}[${i}][${c}]`), 'text')} = ${scaledSum(scale, rowSums, 'text')} = ${shown.result}`);
    } else {
      lines.push(`      = ${scaledSum(scale, `${m.deltaRows.map((_, i) => `Σ_c ${d}[${i}][c]`).slice(0, SHOW_PATHS).join(' + ')}${units > SHOW_PATHS ? ' + …' : ''}`, 'text')} = ${fmtValue(m.value, decimals)}`);
    }
  }
  const bound = float32Bound(scalar.mass);
  const diff = Math.abs(scalar.total - m.value);
  const place = m.form === 'W' && m.param.kind === 'W' ? `dW${subDigits(l)}[${m.param.row}][${m.param.col}]` : m.form === 'shared' ? `db${subDigits(l)}` : `db${subDigits(l)}[${m.param.kind === 'b' ? m.param.index : 0}]`;
  lines.push(`      ${m.backend}: ${place} = ${fmtFull(m.value)}; |scalar − ${m.backend}| = ${diff.toExponential(1)} ${diff <= bound ? '≤' : '>'} ${bound.toExponential(1)} ${diff <= bound ? '✓' : '✗ MISMATCH'}`);
  return lines;
}

/**
 * The matrix line in LaTeX. The whole matrix or vector is bold (\mathbf{W}_{l}, \mathbf{b}_{l}, \boldsymbol{\delta}_{l},
 * \mathbf{A}_{l}: layer l's, as W₂, b₁, δ₂, A₁ in the text form; the lab writes them the same way), so that it is never written like a parameter's own name (the flat b_{1} is one number); the
 * parameter's entry is written as its own derivative, ∂L/∂w₅ = (δ₂A₁ᵀ)_{[0][0]} = …, never as the parameter.
 */
export function latexMatrix(m: MatrixLine, pLatex: string, loss: Sym, decimals: number): string {
  const l = m.layer + 1;
  const d = layerLatex('delta', l);
  const a = layerLatex('A', l - 1);
  const Ls = symLatex(loss);
  const dp = `\\frac{\\partial ${Ls}}{\\partial ${pLatex}}`;
  const scale = m.n > 1 && m.scale !== 1 ? `\\tfrac{1}{${m.n}}` : '';
  const nums = matrixNumbers(m, decimals);
  const v = (x: string) => latexFactor(x);
  const shown = Math.min(m.n, SHOW_PATHS);
  const more = m.n > shown ? ' + \\dots' : '';
  const c = (k: number) => (m.n === 1 ? '' : `[${k}]`);
  // The sum over examples in parentheses only after its 1/N (as scaledSum): a sum needs none of its own.
  const paren = (x: string) => (m.n > 1 && scale ? `\\left(${x}\\right)` : x);
  const value = latexNumber(nums.result);
  if (m.form === 'W' && m.param.kind === 'W') {
    const { row: i, col: j } = m.param;
    const terms = nums.terms.map(([dv, av]) => `${v(dv)} \\times ${v(av)}`).join(' + ') + more;
    const syms = Array.from({ length: shown }, (_, k) => `${d}[${i}]${c(k)}\\, ${a}[${j}]${c(k)}`).join(' + ') + more;
    return `\\frac{\\partial ${Ls}}{\\partial ${layerLatex('W', l)}} &= ${scale}${d} ${a}^{\\top}:\\quad ${dp} = ${scale}\\left(${d} ${a}^{\\top}\\right)_{[${i}][${j}]} = ${scale}${paren(syms)} = ${scale}${paren(terms)} = ${value}`;
  }
  if (m.form === 'b' && m.param.kind === 'b') {
    const i = m.param.index;
    const head = `\\frac{\\partial ${Ls}}{\\partial ${layerLatex('b', l)}} &= ${scale}${d} \\mathbf{1}:\\quad ${dp}`;
    if (m.n === 1) return `${head} = ${d}[${i}] = ${value}`;
    const terms = sumText(nums.terms.map(([dv]) => dv), 'latex') + more;
    return `${head} = ${scale}\\textstyle\\sum_c ${d}[${i}][c] = ${scale}${paren(terms)} = ${value}`;
  }
  const units = m.deltaRows.length;
  // One unit's row is the whole sum, in no parentheses of its own (as in the text line).
  const group = (x: string) => (units > 1 ? `\\left(${x}\\right)` : x);
  const rows = (term: (i: number, k: number) => string) => m.deltaRows.map((row, i) => group(row.map((_, k) => term(i, k)).join(' + '))).join(' + ');
  let terms = '';
  if (m.n === 1 && units <= SHOW_PATHS) terms = ` = ${m.deltaRows.map((_, i) => `${d}[${i}]`).join(' + ')} = ${sumText(nums.terms.map(([dv]) => dv), 'latex')}`;
  // Every δ term fits (as in the text line): each unit's row summed, then the rows.
  else if (nums.terms.length === units * m.n) {
    const rowSums = m.deltaRows.map((row, i) => group(sumText(row.map((_, k) => nums.terms[i * m.n + k][0]), 'latex'))).join(' + ');
    terms = ` = ${scaledSum(scale, rows((i, k) => `${d}[${i}][${k}]`), 'latex')} = ${scaledSum(scale, rowSums, 'latex')}`;
  }
  return `\\frac{\\partial ${Ls}}{\\partial ${layerLatex('b', l)}} &= ${scale}\\textstyle\\sum_i \\sum_c ${d}[i][c]:\\quad ${dp}${terms} = ${value}`;
}
