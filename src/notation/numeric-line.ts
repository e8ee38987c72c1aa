/**
 * explain --numeric's line under a chain: ∂L/∂w5 ≈ (L(w5 + h) − L(w5 − h)) / 2h = 0.08216704 beside the scalar total,
 * in text, Markdown and LaTeX (src/notation/numeric.ts computes it; format.ts places it).
 */
import { fmtFull, latexNumber } from './numbers.ts';
import type { Naming } from './names.ts';
import { agrees, type NumericEntry, relativeError, relText, smallText } from './numeric.ts';
import { symLatex, symText } from './symbols.ts';



/** The verdict on the numeric value against the scalar total, or why there is none (a kink). */
function verdict(n: NumericEntry, total: number, naming: Naming, style: 'text' | 'latex'): string {
  if (n.kink) {
    const z = naming.node({ kind: 'z', layer: n.kink.layer, unit: n.kink.unit });
    const zs = style === 'latex' ? symLatex(z) : symText(z);
    return style === 'latex'
      ? `\\text{kink: } p \\pm h \\text{ moves } ${zs} \\text{ (example ${n.kink.example + 1}) across 0: not judged}`
      : `kink: p ± h moves ${zs} (example ${n.kink.example + 1}) across 0, so the difference is neither side's slope — not judged`;
  }
  const r = relativeError(total, n.value);
  const mark = agrees(total, n.value) ? '✓' : '✗';
  return style === 'latex' ? `\\text{relative error to the scalar total } ${latexNumber(relText(r))}\\ ${mark === '✓' ? '\\checkmark' : '\\times'}` : `relative error to the scalar total ${relText(r)} ${mark}`;
}

/** h in LaTeX: 10^{-5}, 2.5 \times 10^{-6}, 0.01. */
function latexH(h: number): string {
  const t = smallText(h);
  const m = /^(\d(?:\.\d+)?)e([-+]?\d+)$/.exec(t);
  return m ? `${m[1] === '1' ? '' : `${m[1]} \\times `}10^{${m[2]}}` : t;
}

/** The text line (also the Markdown one, `md`: the value bold). */
export function numericText(n: NumericEntry, pname: string, loss: string, total: number, naming: Naming, md = false): string {
  const v = fmtFull(n.value);
  return `${md ? 'Numeric (float64): ' : 'numeric, float64: '}∂${loss}/∂${pname} ≈ (${loss}(${pname} + h) − ${loss}(${pname} − h)) / 2h = ${md ? `**${v}**` : v} (h = ${smallText(n.h)}); ${verdict(n, total, naming, 'text')}`;
}

/** The LaTeX row (one row of the aligned block): its numbers as latexNumber sets them (1.2 \times 10^{-5}, not 1.2e-5). */
export function numericLatex(n: NumericEntry, p: string, loss: string, total: number, naming: Naming): string {
  return `\\frac{\\partial ${loss}}{\\partial ${p}} &\\approx \\frac{${loss}(${p} + h) - ${loss}(${p} - h)}{2h} = ${latexNumber(fmtFull(n.value))} \\quad (h = ${latexH(n.h)});\\ ${verdict(n, total, naming, 'latex')}`;
}
