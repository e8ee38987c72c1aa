/**
 * Symbols as the lectures write them — a base letter or word, an optional superscript, an optional
 * subscript, an optional hat: w5, w¹₁₁, a_h1, z_out, ŷ, δ_h1, CGPA — rendered as plain text (Unicode),
 * as LaTeX (KaTeX), and matched from whatever spelling a person types ("w^1_11", "w_{5}", "\hat{y}", "yhat").
 */
import { describe } from '../checks.ts';
import { NotationError } from '../errors.ts';

export interface Sym {
  /** A letter ("w", "δ") or a word ("CGPA"). */
  base: string;
  /** Superscript, e.g. the layer in w¹₁₁ (from-to) or w²₁₁ (to-from). */
  sup?: string;
  /** Subscript: "5" (w5), "h1" (a_h1), "out" (z_out), "11" (w¹₁₁), "t" (y_t). */
  sub?: string;
  /** ŷ */
  hat?: boolean;
  /** Other spellings that name the same thing (e.g. O21 for ŷ in the regression lecture). */
  aliases?: string[];
}

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const SUBSCRIPT_DIGITS = '₀₁₂₃₄₅₆₇₈₉';
const GREEK_LATEX: Record<string, string> = {
  α: '\\alpha', β: '\\beta', γ: '\\gamma', δ: '\\delta', ε: '\\varepsilon', η: '\\eta', θ: '\\theta', λ: '\\lambda',
  μ: '\\mu', σ: '\\sigma', τ: '\\tau', φ: '\\varphi', ω: '\\omega', Δ: '\\Delta', Σ: '\\Sigma',
};

const isDigits = (s: string): boolean => /^[0-9]+$/.test(s);
const superscript = (digits: string): string => [...digits].map((d) => SUPERSCRIPT_DIGITS[Number(d)]).join('');
const subscript = (digits: string): string => [...digits].map((d) => SUBSCRIPT_DIGITS[Number(d)]).join('');

function baseText(s: Sym): string {
  return s.hat ? `${s.base}\u0302`.normalize('NFC') : s.base;
}

/** Plain text: w5, w¹₁₁, a_h1, z_out, ŷ, y_t, O11. */
export function symText(s: Sym): string {
  let out = baseText(s);
  if (s.sup !== undefined) out += isDigits(s.sup) ? superscript(s.sup) : `^${s.sup.length > 1 ? `(${s.sup})` : s.sup}`;
  if (s.sub !== undefined) {
    if (isDigits(s.sub)) out += s.sup !== undefined ? subscript(s.sub) : s.sub;
    else out += `_${s.sub}`;
  }
  return out;
}

function latexWord(w: string): string {
  if (w.length === 1) return GREEK_LATEX[w] ?? w;
  if (/^[0-9]+$/.test(w)) return w;
  return `\\mathrm{${w.replace(/_/g, '\\_')}}`;
}

/** A subscript's letters: "out" upright, "h1" as is, "10,3" as is. */
function latexSub(sub: string): string {
  return /^[A-Za-z]{2,}$/.test(sub) ? `\\mathrm{${sub}}` : sub.replace(/_/g, '\\_');
}

/** LaTeX: w_{5}, w^{1}_{11}, a_{h1}, z_{\mathrm{out}}, \hat{y}, \delta_{h1}, \mathrm{CGPA}. */
export function symLatex(s: Sym): string {
  let out = s.hat ? `\\hat{${latexWord(s.base)}}` : latexWord(s.base);
  if (s.sup !== undefined) out += `^{${latexSub(s.sup)}}`;
  if (s.sub !== undefined) out += `_{${latexSub(s.sub)}}`;
  return out;
}

/** Where a LaTeX command that only wraps letters opens its argument: `\mathrm{`, `\text {`, … */
const WRAPPER = /\\(?:mathrm|text|mathit|operatorname)\s*\{/g;

/**
 * `s` with each \mathrm{…} (\text, \mathit, \operatorname) replaced by what it wraps, up to the first } after it
 * (`\mathrm{a{b}}` is `a{b` and a }), as s.replace(/\\(?:mathrm|…)\s*\{([^}]*)\}/g, '$1') gives it, in one pass: a
 * command with no } after it is left as written, and so is every one after it.
 */
function unwrap(s: string): string {
  let out = '';
  let last = 0;
  WRAPPER.lastIndex = 0;
  for (let m = WRAPPER.exec(s); m !== null; m = WRAPPER.exec(s)) {
    const open = m.index + m[0].length;
    const close = s.indexOf('}', open);
    if (close < 0) break;
    out += s.slice(last, m.index) + s.slice(open, close);
    last = close + 1;
    WRAPPER.lastIndex = last;
  }
  return out + s.slice(last);
}

/**
 * One spelling of a name, reduced to a canonical key: NFC, no spaces, no braces, LaTeX commands and
 * Unicode super/subscript digits turned into ^ and _ ("w^{1}_{11}", "w¹₁₁", "w¹11" → "w^1_11"; "\hat{y}", "yhat" → "ŷ").
 */
export function normalizeName(text: string): string {
  let s = text.normalize('NFC').trim();
  // NOTE: every LaTeX rewrite below starts at a backslash; most names have none, and this runs for every
  // key of every parameter (a 784-input net: ~10⁵ calls), so they are skipped then.
  if (s.includes('\\')) {
    // NOTE: the blanks after a brace only after one (`\s*\{?\s*` split a run of blanks every way: 400 000 after a
    // \hat took a minute), and each \mathrm{ unwrapped up to its first } by unwrap (a regexp looked for that } from
    // every \mathrm{: 160 000 of them without one took a minute). Names come from share links and spec files.
    s = s.replace(/\\hat\s*(?:\{\s*)?([A-Za-z])\s*\}?/g, '$1\u0302');
    s = unwrap(s);
    s = s.replace(/\\partial\s*/g, '∂');
    for (const [ch, cmd] of Object.entries(GREEK_LATEX)) s = s.split(`${cmd}`).join(ch);
    s = s.replace(/\\varepsilon/g, 'ε').replace(/\\epsilon/g, 'ε').replace(/\\phi/g, 'φ');
  }
  s = s.replace(/[{}\s]/g, '');
  // Plain digits right after superscript ones are the subscript: "w¹21", as the worked examples' descriptions write
  // lecture 003's weights, is w^1_21 (it was read as w^221, a name no net has).
  s = s.replace(/([⁰¹²³⁴⁵⁶⁷⁸⁹]+)([0-9]?)/g, (_m, sup: string, next: string) => `^${[...sup].map((c) => SUPERSCRIPT_DIGITS.indexOf(c)).join('')}${next === '' ? '' : `_${next}`}`);
  // A comma between subscript digits stays inside the one subscript: "w¹₁₀,₃" is w^1_10,3 (names.ts: index pairs).
  s = s.replace(/[₀₁₂₃₄₅₆₇₈₉]+(?:,[₀₁₂₃₄₅₆₇₈₉]+)*/g, (m) => `_${[...m].map((c) => (c === ',' ? ',' : SUBSCRIPT_DIGITS.indexOf(c))).join('')}`);
  // "w^1_11" written sup-after-sub ("w_11^1") reads the same.
  s = s.replace(/^([^_^]+)_([^_^]+)\^([^_^]+)$/, '$1^$3_$2');
  s = s.replace(/^([A-Za-z])_?hat$/, '$1\u0302').replace(/^([A-Za-z])\^$/, '$1\u0302');
  return s.normalize('NFC');
}

/** Every key a symbol answers to (its text, its LaTeX, its aliases, "w_5" for "w5"), normalized. */
export function symKeys(s: Sym): string[] {
  const keys = new Set<string>();
  const base = baseText(s);
  let canonical = base;
  if (s.sup !== undefined) canonical += `^${s.sup}`;
  if (s.sub !== undefined) canonical += `_${s.sub}`;
  keys.add(normalizeName(canonical));
  keys.add(normalizeName(symText(s)));
  keys.add(normalizeName(symLatex(s)));
  if (s.sub !== undefined && s.sup === undefined && isDigits(s.sub)) keys.add(normalizeName(`${base}${s.sub}`));
  for (const a of s.aliases ?? []) keys.add(normalizeName(a));
  return [...keys];
}

const LETTERS = /^(\p{L}\p{M}*)+/u;

/**
 * Read a symbol someone wrote in a spec ("w7", "a_h1", "z_out", "ŷ|O21", "w¹₁₁", "CGPA", "y_t"):
 * a base word, then optional superscript digits, then an optional subscript (digits, or _x / _{x}).
 * "a|b|c" gives aliases. Throws NotationError naming `field` when the text is not a symbol.
 */
export function parseSym(text: string, field: string): Sym {
  if (typeof text !== 'string' || text.trim() === '') throw new NotationError(field, `must be a non-empty name, got ${describe(text)}`);
  const [first, ...aliases] = text.split('|').map((t) => t.trim());
  const s = normalizeName(first);
  const m = LETTERS.exec(s);
  if (!m) throw new NotationError(field, `'${first}' does not start with a letter`);
  let base = m[0];
  let rest = s.slice(base.length);
  let hat = false;
  if (base.length === 2 && base.endsWith('\u0302')) { base = base[0]; hat = true; }
  else if (/^[A-Za-z]\u0302$/.test(base.normalize('NFD'))) { base = base.normalize('NFD')[0]; hat = true; }
  const sym: Sym = { base };
  if (hat) sym.hat = true;
  const sup = /^\^([0-9A-Za-z]+)/.exec(rest);
  if (sup) { sym.sup = sup[1]; rest = rest.slice(sup[0].length); }
  if (rest !== '') {
    const sub = /^_?([\p{L}\p{N},]+)$/u.exec(rest);
    if (!sub || (rest[0] !== '_' && !isDigits(sub[1]))) throw new NotationError(field, `cannot read '${first}' as a name (a letter or word, then ^superscript and _subscript)`);
    sym.sub = sub[1];
  }
  if (aliases.length > 0) sym.aliases = aliases.filter((a) => a !== '');
  return sym;
}
