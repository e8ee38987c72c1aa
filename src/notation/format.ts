/**
 * Rendering an expansion and its matrix line (written by matrix-form.ts) as plain text, Markdown and LaTeX (KaTeX
 * renders every block).
 * The numbers in it are written as numbers.ts writes them; every printed product and
 * sum checks by hand: see the NOTE in hand.ts on how operands and intermediates are rounded.
 */
import { describe } from '../checks.ts';
import { NotationError } from '../errors.ts';
import { valueGuess } from '../suggest.ts';
import { LEAKY_SLOPE, type Net } from '../spec.ts';
import { groupDigits, type NotationCost } from './cost.ts';
import { fmtSig, handResult, holds, mostExtra, sumTerms } from './hand.ts';
import { lettersNote, nodeWithLetters } from './letters.ts';
import { isNoise, noiseBounds, noiseNote, zeroAt } from './noise.ts';
import type { MatrixLine } from './matrix.ts';
import { latexMatrix, matrixText } from './matrix-form.ts';
import { type Naming, type ParamId, paramPlace, subDigits } from './names.ts';
import { asGiven, fmtFull, fmtGiven, fmtMore, fmtValue, inProduct, latexFactor, latexNumber, scaledSum, SHOW_EXAMPLES, SHOW_PATHS, type Style, summand, sumText } from './numbers.ts';
import type { ExampleTerm, Expansion, FactorDesc, PathTerm, ScalarEngine } from './scalar.ts';
import { parseSym, type Sym, symLatex, symText } from './symbols.ts';
import type { NumericEntry } from './numeric.ts';
import { numericLatex, numericText } from './numeric-line.ts';


/** The output formats of explain and render: 'text', 'md' (Markdown) or 'latex'. */
export type Format = 'text' | 'md' | 'latex';
/** The formats explain and render take. */
export const FORMATS: readonly Format[] = Object.freeze(['text', 'md', 'latex']);

/** One parameter's part of an explanation: its path-by-path expansion of ∂L/∂p, and the dW or db entry of each matrix run. */
export interface ExplainItem {
  /** The parameter, W[layer][row][col] or b[layer][index] (0-based). */
  param: ParamId;
  /** Its ∂L/∂p path by path, per example, and their total. */
  expansion: Expansion;
  /** Its dW or db entry from each matrix run, with the delta and A rows it used. */
  matrix: MatrixLine[];
  /** Its centred difference (L(p + h) − L(p − h)) / 2h in float64, with explain's `numeric` option. */
  numeric?: NumericEntry;
}

/** The document explainer's doc(runs) builds and render prints: the items, the names, the scalar engine, the notation cost. */
export interface ExplainDoc {
  /** The document's heading. */
  title: string;
  /** The names it prints. */
  naming: Naming;
  /** The scalar engine whose forward pass and paths it shows. */
  engine: ScalarEngine;
  /** One item per expanded parameter. */
  items: ExplainItem[];
  /** What the scalar notation costs against the matrix form for this net (README, "Cost of notation"). */
  cost: NotationCost;
  /** Decimals the numbers are shown with. */
  decimals: number;
  /** Why not every parameter is expanded, when it is not. */
  note?: string;
}

interface FactorView {
  num: Sym;
  den: Sym;
  /** What the factor equals, e.g. "ŷ(1 − ŷ)" (text) and its LaTeX; atomic: needs no parentheses in a product. */
  text: string;
  latex: string;
  atomic: boolean;
  given: boolean;
}

/** The symbols and the meaning of one local derivative, in the net's names. */
export function factorView(f: FactorDesc, naming: Naming, net: Net): FactorView {
  const L = net.layers.length - 1;
  const a = (l: number, u: number) => naming.node({ kind: 'a', layer: l, unit: u });
  const z = (l: number, u: number) => naming.node({ kind: 'z', layer: l, unit: u });
  const below = (l: number, j: number) => (l === 0 ? naming.node({ kind: 'x', index: j }) : a(l - 1, j));
  const T = symText;
  const X = symLatex;
  switch (f.kind) {
    case 'dL/da': {
      const av = a(L, f.unit);
      const yv = naming.node({ kind: 'y', index: f.unit });
      if (net.loss === 'bce') {
        return { num: naming.loss, den: av, text: `(${T(av)} − ${T(yv)})/(${T(av)}(1 − ${T(av)}))`, latex: `\\frac{${X(av)} - ${X(yv)}}{${X(av)}(1 - ${X(av)})}`, atomic: false, given: false };
      }
      return { num: naming.loss, den: av, text: `${T(av)} − ${T(yv)}`, latex: `${X(av)} - ${X(yv)}`, atomic: false, given: false };
    }
    case 'dL/dz': {
      const av = a(L, f.unit);
      const yv = naming.node({ kind: 'y', index: f.unit });
      return { num: naming.loss, den: z(L, f.unit), text: `${T(av)} − ${T(yv)}`, latex: `${X(av)} - ${X(yv)}`, atomic: false, given: false };
    }
    case 'da/dz': {
      const av = a(f.layer, f.unit);
      const zv = z(f.layer, f.unit);
      const base = { num: av, den: zv, given: false };
      const act = net.layers[f.layer].activation;
      switch (act) {
        case 'sigmoid': return { ...base, text: `${T(av)}(1 − ${T(av)})`, latex: `${X(av)}(1 - ${X(av)})`, atomic: true };
        // NOTE: a superscript right after a name's letters is part of the name to check's parser (w²₁₁, a¹₁), so a
        // bare-letter name (ŷ, IQ) is squared in parentheses: "1 − (ŷ)²" reads back as the factor, "1 − ŷ²" did not.
        // In LaTeX a name with a superscript (to-from's a^{2}_{1}) is too: a^{2}_{1}^{2} is a double superscript.
        case 'tanh': return { ...base, text: `1 − ${/\p{L}\p{M}*$/u.test(T(av)) ? `(${T(av)})` : T(av)}²`, latex: `1 - ${av.sup === undefined ? X(av) : `\\left(${X(av)}\\right)`}^{2}`, atomic: false };
        case 'relu': return { ...base, text: `[${T(zv)} > 0]`, latex: `[${X(zv)} > 0]`, atomic: true };
        case 'leaky_relu': return { ...base, text: `[${T(zv)} > 0] + ${LEAKY_SLOPE}·[${T(zv)} ≤ 0]`, latex: `[${X(zv)} > 0] + ${LEAKY_SLOPE} \\cdot [${X(zv)} \\le 0]`, atomic: false };
        case 'identity': case 'softmax': return { ...base, text: '1', latex: '1', atomic: true, given: true };
        default: {
          // NOTE: every activation by name: a `default` printed f' = 1 for an activation added without its case here.
          const missing: never = act;
          throw new Error(`explain has no f' for the activation '${String(missing)}' (src/notation/format.ts)`);
        }
      }
    }
    case 'dz/da': {
      const w = naming.param({ kind: 'W', layer: f.layer, row: f.unit, col: f.from });
      return { num: z(f.layer, f.unit), den: below(f.layer, f.from), text: T(w), latex: X(w), atomic: true, given: true };
    }
    case 'dz/dp': {
      const p = naming.param(f.param);
      if (f.param.kind === 'b') return { num: z(f.layer, f.unit), den: p, text: '1', latex: '1', atomic: true, given: true };
      const src = below(f.layer, f.param.col);
      return { num: z(f.layer, f.unit), den: p, text: T(src), latex: X(src), atomic: true, given: f.layer === 0 };
    }
  }
}

const dText = (num: Sym, den: Sym): string => `∂${symText(num)}/∂${symText(den)}`;
const dLatex = (num: Sym, den: Sym): string => `\\frac{\\partial ${symLatex(num)}}{\\partial ${symLatex(den)}}`;

/**
 * A factor's name in one example's row of a batch: the loss's own factor is that example's loss, ∂L₁/∂ŷ beside ∂L₁/∂w
 * (L, the batch's loss, is the sum or mean of the L_c); `example` undefined (one example) leaves ∂L/∂ŷ.
 */
function factorName(f: FactorView, naming: Naming, example: number | undefined, style: Style): string {
  if (example === undefined || f.num !== naming.loss) return style === 'latex' ? dLatex(f.num, f.den) : dText(f.num, f.den);
  if (style === 'text') return `∂${lossOfExample(naming, example)}/∂${symText(f.den)}`;
  return `\\frac{\\partial ${lossLatexOfExample(naming, example)}}{\\partial ${symLatex(f.den)}}`;
}

/** One example's loss in LaTeX, L_{1}; a loss with a subscript of its own (E_total) grouped first: {E_{total}}_{1}. */
function lossLatexOfExample(naming: Naming, c: number): string {
  return `${naming.loss.sub === undefined ? symLatex(naming.loss) : `{${symLatex(naming.loss)}}`}_{${c + 1}}`;
}

function unitLatex(label: string): string {
  try {
    return symLatex(parseSym(label, 'label'));
  } catch {
    return `\\text{${label.replace(/[\\{}$&#^_%~]/g, '')}}`;
  }
}

/** What a parameter does, in the net's names: "feeds z_out from a_h1", "the bias of z_h1 and z_h2". */
export function paramRole(p: ParamId, naming: Naming, net: Net): string {
  // A name whose letter is the other one says what it is in the engine's letters: "feeds a2 (= Z₂) from h1" (letters.ts).
  const z = (u: number) => nodeWithLetters(naming, net, 'z', p.layer, u);
  if (p.kind === 'W') {
    const src = p.layer === 0 ? symText(naming.node({ kind: 'x', index: p.col })) : nodeWithLetters(naming, net, 'a', p.layer - 1, p.col);
    return `feeds ${z(p.row)} from ${src}`;
  }
  const layer = net.layers[p.layer];
  if (layer.bias !== 'shared') return `the bias of ${z(p.index)}`;
  const units = Array.from({ length: layer.units }, (_, u) => z(u));
  return `the bias shared by ${units.length <= 4 ? units.join(', ') : `${units.slice(0, 3).join(', ')}, … (${units.length} units)`}`;
}

interface Ctx {
  naming: Naming;
  net: Net;
  decimals: number;
  engine: ScalarEngine;
}

/** The factors of a path of example c (bce's first two are one where its ∂L/∂ŷ overflows for c: scalar.ts). */
function pathViews(e: Expansion, path: PathTerm, ctx: Ctx, c: number): FactorView[] {
  return e.chain.factors(path.units, c).map((f) => factorView(f, ctx.naming, ctx.net));
}

/**
 * Why a path of example c has one loss factor ∂L/∂z_k under bce (scalar.ts's NOTE), or undefined: its ∂L/∂ŷ is past
 * float64 (e^|z|), so ∂L/∂ŷ · ∂ŷ/∂z is given as what it equals, ŷ − y: "(∂L/∂ŷ overflows float64 at z_out = 800:
 * ∂L/∂ŷ · ∂ŷ/∂z_out = ∂L/∂z_out = ŷ − y)". `example`: as factorName's (undefined: one example, ∂L/∂ŷ).
 */
function overflowNote(e: Expansion, path: PathTerm, c: number, ctx: Ctx, example: number | undefined, style: Style): { unit: number; note: string } | undefined {
  const f = e.chain.factors(path.units, c)[0];
  if (ctx.net.loss !== 'bce' || f?.kind !== 'dL/dz') return undefined;
  const L = ctx.net.layers.length - 1;
  const [dLda, dadz, dLdz] = ([{ kind: 'dL/da', unit: f.unit }, { kind: 'da/dz', layer: L, unit: f.unit }, f] as const).map((d) => factorView(d, ctx.naming, ctx.net));
  const [a, b, d] = [dLda, dadz, dLdz].map((v) => factorName(v, ctx.naming, example, style));
  const z = fmtValue(ctx.engine.nodeValue({ kind: 'z', layer: L, unit: f.unit }, c), ctx.decimals, style);
  if (style === 'latex') return { unit: f.unit, note: `&\\quad \\left(${a} \\text{ overflows float64 at } ${symLatex(dLdz.den)} = ${z}\\text{: } ${a} \\cdot ${b} = ${d} = ${dLdz.latex}\\right)` };
  return { unit: f.unit, note: `(${a} overflows float64 at ${symText(dLdz.den)} = ${z}: ${a} · ${b} = ${d} = ${dLdz.text})` };
}

/**
 * A path's factor values as printed (text minus signs, not bracketed), and its product, the engine's value: each
 * computed factor at `decimals` decimals, or, where the factors so printed do not multiply to the product within half
 * a unit in its last place, with as many more decimals as that takes (at most mostExtra(result): hand.ts).
 */
function pathNumbers(path: PathTerm, views: FactorView[], ctx: Ctx): { factors: string[]; result: string } {
  const result = fmtValue(path.value, ctx.decimals);
  // A given value as written (0.4, 0.05); one with more decimals (xavier's float32 w = −0.06582…: 0.00458 printed for
  // factors giving 0.00457) gets the extra decimals as a computed one; so does one as written within a float32 rounding
  // (asGiven) where that shows in the float64 product (48.18764 of 48.187637329…; matrixNumbers' float32 result has it).
  const at = (extra: number, all = false) => path.values.map((v, k) => (views[k].given && !all ? asGiven(v, ctx.decimals) ?? fmtMore(v, ctx.decimals, extra) : fmtMore(v, ctx.decimals, extra)));
  for (const all of [false, true]) {
    for (let extra = 0; extra <= mostExtra(result) && path.values.length > 0; extra++) {
      const factors = at(extra, all);
      if (holds([factors], result)) return { factors, result };
    }
  }
  return { factors: at(0), result };
}

function groupLabel(g: ExampleTerm['groups'][number], ctx: Ctx): string {
  return g.via ? `${g.word} ${ctx.naming.unitLabel(g.via)}` : '';
}

function scaleText(e: Expansion, style: Style): string {
  if (!e.reduced || e.scale === 1) return '';
  const N = Math.round(1 / e.scale);
  return style === 'latex' ? `\\tfrac{1}{${N}}` : `(1/${N})·`;
}

/** A sum of the engine as printed: at `decimals` (fmtValue), or 0.0000 when it is zero within its float64 rounding (noise.ts). */
function sumValue(v: number, bound: number, ctx: Ctx, style: Style = 'text'): string {
  return isNoise(v, bound) ? zeroAt(ctx.decimals) : fmtValue(v, ctx.decimals, style);
}

/** A sum of the engine and its noise bound (noise.ts). */
type Bounded = [value: number, bound: number];

/** The summands of a printed sum (over groups or examples) and its result, the engine's value: they add up (hand.ts). */
function sumShown(values: Bounded[], [total, bound]: Bounded, ctx: Ctx, divisor = 1, complete = true): { terms: string[]; result: string } {
  const result = sumValue(total, bound, ctx);
  const terms = values.map(([v, b]) => (isNoise(v, b) ? zeroAt(ctx.decimals) : v));
  return { terms: complete ? sumTerms(terms, result, ctx.decimals, divisor) : terms.map((t) => (typeof t === 'string' ? t : fmtValue(t, ctx.decimals))), result };
}

/** The summands and result of an example's sum over its groups. */
function groupSum(e: Expansion, ex: ExampleTerm, ctx: Ctx): { terms: string[]; result: string } {
  const nb = noiseBounds(e, ctx.engine);
  return sumShown(ex.groups.map((g) => [g.value, nb.group(g)]), [ex.value, nb.example(ex)], ctx);
}

/** The summands and result of an expansion's sum over examples (the reduction's 1/N divides). */
function exampleSum(e: Expansion, ctx: Ctx): { terms: string[]; result: string } {
  const divisor = e.reduced && e.scale !== 1 ? Math.round(1 / e.scale) : 1;
  const nb = noiseBounds(e, ctx.engine);
  return sumShown(e.examples.slice(0, SHOW_PATHS).map((x) => [x.value, nb.example(x)]), [e.total, nb.total], ctx, divisor, e.examples.length <= SHOW_PATHS);
}

// ——— plain text ———

/** Running products ("step by step", as the lecture multiplies) are shown for expansions of at most this many paths. */
const STEPS_UP_TO_PATHS = 4;

function pathLinesText(e: Expansion, path: PathTerm, c: number, lead: string, pad: string, withExpr: boolean, ctx: Ctx, example?: number): string[] {
  const views = pathViews(e, path, ctx, c);
  const out: string[] = [];
  if (views.length === 0) return [`${lead}1`];
  out.push(`${lead}${views.map((f) => factorName(f, ctx.naming, example, 'text')).join(' · ')}`);
  if (withExpr) out.push(`${pad}= ${views.map((f) => (f.atomic || views.length === 1 ? f.text : `(${f.text})`)).join(' · ')}`);
  const nums = pathNumbers(path, views, ctx);
  const vals = nums.factors.map((v) => inProduct(v, 'text'));
  out.push(`${pad}= ${vals.join(' × ')}`);
  out.push(`${pad}= ${nums.result}`);
  if (path.values.length >= 4 && e.pathsPerExample <= STEPS_UP_TO_PATHS) {
    // The lecture's way: multiply one factor at a time, each step from the numbers shown (hand.ts: the NOTE on rounding).
    let p = path.values[0];
    let shownP = vals[0];
    const steps: string[] = [];
    for (let k = 1; k < path.values.length; k++) {
      p *= path.values[k];
      shownP = handResult([[shownP, vals[k]]], ctx.decimals) ?? fmtSig(p, ctx.decimals);
      steps.push(`${k === 1 ? `${vals[0]} ` : ''}× ${vals[k]} = ${shownP}`);
    }
    out.push(`${pad}  (step by step: ${steps.join('; ')})`);
  }
  return out;
}

function exampleHeader(c: number, engine: ScalarEngine, ctx: Ctx): string {
  const xs = engine.x[c].map((v) => fmtGiven(v, ctx.decimals)).join(', ');
  const ys = engine.y[c].map((v) => fmtGiven(v, ctx.decimals)).join(', ');
  return `example ${c + 1} of ${engine.n}: x = (${xs}), y = (${ys})`;
}

export function itemText(item: ExplainItem, doc: ExplainDoc): string {
  const ctx: Ctx = { naming: doc.naming, net: doc.engine.net, decimals: doc.decimals, engine: doc.engine };
  const e = item.expansion;
  const pname = symText(doc.naming.param(item.param));
  const dname = `∂${symText(doc.naming.loss)}/∂${pname}`;
  const nf = e.examples[0]?.groups[0]?.paths[0] ? e.chain.factors(e.examples[0].groups[0].paths[0].units).length : 0;
  const lines = [`${dname}   (${pname} = ${paramPlace(ctx.net, item.param)}: ${paramRole(item.param, ctx.naming, ctx.net)}; ${e.pathsPerExample} path${e.pathsPerExample === 1 ? '' : 's'} of ${nf} factors per example)`];
  const N = e.examples.length;
  const shownExamples = e.examples.slice(0, SHOW_EXAMPLES);
  shownExamples.forEach((ex, exIndex) => {
    let ind = '  ';
    if (N > 1) { lines.push(`  ${exampleHeader(ex.example, doc.engine, ctx)}`); ind = '    '; }
    const single = ex.groups.length === 1 && ex.groups[0].paths.length === 1;
    const noted = new Set<number>();
    for (const g of ex.groups) {
      let gind = ind;
      if (ex.groups.length > 1) { lines.push(`${ind}${groupLabel(g, ctx)}:`); gind = `${ind}  `; }
      g.paths.slice(0, SHOW_PATHS).forEach((path, k) => {
        const lead = single ? `${gind}${N > 1 ? `∂${lossOfExample(doc.naming, ex.example)}/∂${pname}` : dname} = ` : `${gind}`;
        const pad = ' '.repeat(single ? lead.length - 2 : gind.length);
        lines.push(...pathLinesText(e, path, ex.example, lead, pad, exIndex === 0 && k < 2, ctx, N > 1 ? ex.example : undefined));
        const why = overflowNote(e, path, ex.example, ctx, N > 1 ? ex.example : undefined, 'text');
        if (why && !noted.has(why.unit)) { noted.add(why.unit); lines.push(`${pad}  ${why.note}`); } // once per output unit
      });
      if (g.paths.length > SHOW_PATHS) lines.push(`${gind}… ${g.paths.length - SHOW_PATHS} more paths`);
      if (g.paths.length > 1) lines.push(`${gind}sum of the ${g.paths.length} paths${g.via ? ` ${groupLabel(g, ctx)}` : ''} = ${sumValue(g.value, noiseBounds(e, ctx.engine).group(g), ctx)}`);
    }
    if (ex.groups.length > 1) {
      const name = N > 1 ? `∂${lossOfExample(doc.naming, ex.example)}/∂${pname}` : dname;
      const sum = groupSum(e, ex, ctx);
      lines.push(`${ind}${name} = ${sumText(sum.terms, 'text')} = ${sum.result}`);
    }
  });
  if (N > SHOW_EXAMPLES) lines.push(`  … ${N - SHOW_EXAMPLES} more examples (in the total below)`);
  if (N > 1) {
    const sum = exampleSum(e, ctx);
    const terms = sumText(sum.terms, 'text') + (N > SHOW_PATHS ? ' + …' : '');
    lines.push(`  ${dname} = ${scaledSum(scaleText(e, 'text'), terms, 'text')} = ${sum.result}   (${ctx.net.reduction} over ${N} examples)`);
  }
  lines.push(`  scalar total, float64: ${fmtFull(e.total)}${noiseNote(e.total, noiseBounds(e, ctx.engine).total)}`);
  if (item.numeric) lines.push(`  ${numericText(item.numeric, pname, symText(ctx.naming.loss), e.total, ctx.naming)}`);
  for (const m of item.matrix) lines.push(...matrixText(m, pname, ctx.naming.loss, ctx.decimals, e).map((s) => `  ${s}`));
  return lines.join('\n');
}

/** `n` of `noun`, digits grouped: '1 multiplication', '1 234 multiplications'. */
const counted = (n: number, noun: string): string => `${groupDigits(n)} ${noun}${n === 1 ? '' : 's'}`;

export function costText(cost: NotationCost, title: string): string {
  const rows = [['layer', 'parameters', 'paths per weight', 'factors per path', 'multiplications'], ...cost.layers.map((l) => [String(l.layer), String(l.params), groupDigits(l.pathsPerWeight), String(l.factors), groupDigits(l.multiplications)])];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const table = rows.map((r) => `  ${r.map((cell, c) => cell.padStart(widths[c])).join('  ')}`).join('\n');
  return [
    `Cost of notation for ${title}, per example (src/notation/cost.ts):`,
    table,
    `  per-path expansion of every gradient: ${counted(cost.paths, 'path')}, ${counted(cost.scalar, 'multiplication')}`,
    `  matrix form (δ_l = (W_{l+1}ᵀ·δ_{l+1}) ⊙ f', dW_l = δ_l·A_{l−1}ᵀ): ${counted(cost.matrix, 'multiplication')}`,
    `  (the forward pass, ${counted(cost.forward, 'multiplication')}, is shared by both); ratio ${(cost.scalar / Math.max(cost.matrix, 1)).toFixed(1)}×`,
  ].join('\n');
}

/** The parameters whose names are listed: the expanded ones (all of them when none is expanded, up to 64), and the count of all. */
function namesShown(doc: ExplainDoc): { shown: ParamId[]; more: string | undefined } {
  const all = doc.naming.params();
  const shown = doc.items.length > 0 ? doc.items.map((i) => i.param) : all.slice(0, 64);
  return { shown, more: shown.length < all.length ? `… ${all.length} parameters in all (convention ${conventionText(doc.naming)})` : undefined };
}

/** The names of the parameters namesShown lists, a line each, then the count of all. */
function namingTable(doc: ExplainDoc): string[] {
  const net = doc.engine.net;
  const { shown, more } = namesShown(doc);
  const lines = shown.map((p) => `${symText(doc.naming.param(p)).padEnd(8)} ${paramPlace(net, p)}: ${paramRole(p, doc.naming, net)}`);
  return more === undefined ? lines : [...lines, more];
}

/**
 * Example c's loss in text, L₁ for c = 0: a loss with a subscript of its own is put in parentheses first, (E_total)₁,
 * as the LaTeX groups it ({E_{total}}_{1}): E_total₁ reads as one subscript "total1".
 */
function lossOfExample(naming: Naming, c: number): string {
  const L = symText(naming.loss);
  return `${naming.loss.sub === undefined ? L : `(${L})`}${subDigits(c + 1)}`;
}

/** The naming's convention as the headers give it, with global numbering where the spec asks for it (lecture 002's). */
function conventionText(naming: Naming): string {
  return naming.numbering === 'global' ? `${naming.convention}, numbering global` : naming.convention;
}

export function renderText(doc: ExplainDoc): string {
  const out = [
    `${doc.title}: ${[doc.engine.net.inputs, ...doc.engine.net.layers.map((l) => l.units)].join('-')} net, ${doc.engine.net.loss} (${doc.engine.net.reduction} over ${doc.engine.n} example${doc.engine.n === 1 ? '' : 's'}), convention ${conventionText(doc.naming)}`,
    'names:',
    ...namingTable(doc).map((s) => `  ${s}`),
    ...[lettersNote(doc.naming, doc.engine.net)].filter((s) => s !== undefined).map((s) => `letters: ${s}`),
    '',
  ];
  for (const item of doc.items) out.push(itemText(item, doc), '');
  if (doc.note) out.push(doc.note, '');
  out.push(costText(doc.cost, doc.title));
  return out.join('\n');
}

// ——— Markdown ———

const code = (s: string): string => `\`${s}\``;

export function renderMarkdown(doc: ExplainDoc): string {
  const ctx: Ctx = { naming: doc.naming, net: doc.engine.net, decimals: doc.decimals, engine: doc.engine };
  const net = ctx.net;
  const names = namesShown(doc);
  const out = [
    `## ${doc.title}: the chain rule, path by path, beside the matrix form`,
    '',
    `${[net.inputs, ...net.layers.map((l) => l.units)].join('-')} net, ${net.loss} (${net.reduction} over ${doc.engine.n} example${doc.engine.n === 1 ? '' : 's'}), convention **${conventionText(doc.naming)}**.`,
    '',
    '| name | place | role |',
    '|---|---|---|',
    ...names.shown.map((p) => `| ${code(symText(doc.naming.param(p)))} | ${paramPlace(net, p)} | ${paramRole(p, doc.naming, net)} |`),
    '',
    ...(names.more === undefined ? [] : [names.more, '']),
    ...[lettersNote(doc.naming, net)].filter((s) => s !== undefined).flatMap((s) => [`**Letters:** ${s}.`, '']),
  ];
  for (const item of doc.items) {
    const e = item.expansion;
    const pname = symText(doc.naming.param(item.param));
    const dname = `∂${symText(doc.naming.loss)}/∂${pname}`;
    out.push(`### ${code(dname)} — ${code(pname)} = ${paramPlace(net, item.param)}`, '');
    for (const ex of e.examples.slice(0, SHOW_EXAMPLES)) {
      if (e.examples.length > 1) out.push(`**${exampleHeader(ex.example, doc.engine, ctx)}**`, '');
      const many = ex.groups.length > 1;
      out.push(`| ${many ? 'group | ' : ''}path (loss → parameter) | = | values | product |`, `|${many ? '---|' : ''}---|---|---|---:|`);
      const notes = new Map<number, string>(); // overflowNote's, one per output unit, under the table
      for (const g of ex.groups) {
        for (const path of g.paths.slice(0, SHOW_PATHS)) {
          const views = pathViews(e, path, ctx, ex.example);
          const why = overflowNote(e, path, ex.example, ctx, e.examples.length > 1 ? ex.example : undefined, 'text');
          if (why && !notes.has(why.unit)) notes.set(why.unit, why.note);
          const names = views.map((f) => factorName(f, ctx.naming, e.examples.length > 1 ? ex.example : undefined, 'text')).join(' · ') || '1';
          const exprs = views.map((f) => (f.atomic || views.length === 1 ? f.text : `(${f.text})`)).join(' · ') || '1';
          const nums = pathNumbers(path, views, ctx);
          const vals = nums.factors.map((v) => inProduct(v, 'text')).join(' × ') || '1';
          out.push(`| ${many ? `${groupLabel(g, ctx)} | ` : ''}${code(names)} | ${code(exprs)} | ${vals} | ${nums.result} |`);
        }
        if (g.paths.length > SHOW_PATHS) out.push(`| ${many ? `${groupLabel(g, ctx)} | ` : ''}… ${g.paths.length - SHOW_PATHS} more paths | | | |`);
      }
      out.push('', ...[...notes.values()].flatMap((n) => [n.replace(/^\((.*)\)$/, '$1.'), '']));
      const sum = groupSum(e, ex, ctx);
      // As the text form writes it: example c's own loss (∂L₁/∂b1), a later negative term in parentheses.
      const name = e.examples.length > 1 ? `∂${lossOfExample(doc.naming, ex.example)}/∂${pname}` : dname;
      if (many) out.push(`${code(name)} = ${ex.groups.map((g, k) => `${summand(sum.terms[k], k, 'text')} (${groupLabel(g, ctx)})`).join(' + ')} = **${sum.result}**`, '');
    }
    if (e.examples.length > SHOW_EXAMPLES) out.push(`… ${e.examples.length - SHOW_EXAMPLES} more examples (in the total).`, '');
    if (e.examples.length > 1) {
      const sum = exampleSum(e, ctx);
      out.push(`${code(dname)} = ${scaledSum(scaleText(e, 'text'), `${sumText(sum.terms, 'text')}${e.examples.length > SHOW_PATHS ? ' + …' : ''}`, 'text')} = **${sum.result}**`, '');
    }
    out.push(`Scalar total (float64): **${fmtFull(e.total)}**${noiseNote(e.total, noiseBounds(e, ctx.engine).total)}`, '');
    if (item.numeric) out.push(numericText(item.numeric, pname, symText(ctx.naming.loss), e.total, ctx.naming, true), '');
    for (const m of item.matrix) {
      const [what, value, check] = matrixText(m, pname, ctx.naming.loss, ctx.decimals, e);
      out.push(`- **${what.replace(/^matrix: /, 'Matrix form:** ')}`, `  ${value.trim()}`, `  (${check.trim()})`);
    }
    out.push('');
  }
  if (doc.note) out.push(doc.note, '');
  out.push(`### Cost of notation (per example)`, '', '| layer | parameters | paths per weight | factors per path | multiplications |', '|---:|---:|---:|---:|---:|');
  for (const l of doc.cost.layers) out.push(`| ${l.layer} | ${l.params} | ${groupDigits(l.pathsPerWeight)} | ${l.factors} | ${groupDigits(l.multiplications)} |`);
  out.push('', `Per-path expansion of every gradient: ${groupDigits(doc.cost.paths)} paths, **${groupDigits(doc.cost.scalar)}** multiplications; matrix form: **${groupDigits(doc.cost.matrix)}** (forward pass, shared: ${groupDigits(doc.cost.forward)}).`);
  return out.join('\n');
}

// ——— LaTeX (KaTeX) ———

/** One display block per parameter, without the $$ delimiters (KaTeX: renderToString(block, {displayMode: true})). */
export function latexBlocks(doc: ExplainDoc): string[] {
  const ctx: Ctx = { naming: doc.naming, net: doc.engine.net, decimals: doc.decimals, engine: doc.engine };
  return doc.items.map((item) => {
    const e = item.expansion;
    const p = doc.naming.param(item.param);
    const Ls = doc.naming.loss;
    const dname = dLatex(Ls, p);
    const rows: string[] = [];
    for (const ex of e.examples.slice(0, SHOW_EXAMPLES)) {
      // A loss with a subscript of its own (E_total) is grouped before the example's: E_{total}_{1} does not render.
      const lhs = e.examples.length > 1 ? `\\frac{\\partial ${lossLatexOfExample(doc.naming, ex.example)}}{\\partial ${symLatex(p)}}` : dname;
      if (ex !== e.examples[0]) {
        // Every path is shown for the first example; the others by their totals (the text format shows them all).
        rows.push(`${lhs} &= ${sumValue(ex.value, noiseBounds(e, ctx.engine).example(ex), ctx, 'latex')}`);
        continue;
      }
      const single = ex.groups.length === 1 && ex.groups[0].paths.length === 1;
      const notes = new Map<number, string>(); // overflowNote's, one per output unit, after the example's rows
      for (const g of ex.groups) {
        const glhs = g.via ? `\\left.${lhs}\\right|_{\\text{${g.word} } ${unitLatex(ctx.naming.unitLabel(g.via))}}` : lhs;
        g.paths.slice(0, SHOW_PATHS).forEach((path, k) => {
          const views = pathViews(e, path, ctx, ex.example);
          const why = overflowNote(e, path, ex.example, ctx, e.examples.length > 1 ? ex.example : undefined, 'latex');
          if (why && !notes.has(why.unit)) notes.set(why.unit, why.note);
          const names = views.map((f) => factorName(f, ctx.naming, e.examples.length > 1 ? ex.example : undefined, 'latex')).join(' \\cdot ') || '1';
          const nums = pathNumbers(path, views, ctx);
          const values = `${nums.factors.map((x) => latexFactor(x)).join(' \\times ') || '1'} = ${latexNumber(nums.result)}`;
          if (single) {
            rows.push(`${glhs} &= ${names}`);
            if (views.length > 0 && ex === e.examples[0]) rows.push(`&= ${views.map((f) => (f.atomic || views.length === 1 ? f.latex : `\\left(${f.latex}\\right)`)).join(' \\cdot ')}`);
            rows.push(`&= ${values}`);
          } else {
            // Several paths: one row each, summed.
            rows.push(`${k === 0 ? glhs : ''} &${k === 0 ? '=' : '+'}\\ ${names} \\;(= ${values})`);
          }
        });
        if (g.paths.length > SHOW_PATHS) rows.push(`&\\quad + \\dots\\ (\\text{${g.paths.length - SHOW_PATHS} more paths})`);
        if (g.paths.length > 1) rows.push(`${glhs} &= ${sumValue(g.value, noiseBounds(e, ctx.engine).group(g), ctx, 'latex')}`);
      }
      if (ex.groups.length > 1) {
        const sum = groupSum(e, ex, ctx);
        rows.push(`${lhs} &= ${sumText(sum.terms, 'latex')} = ${latexNumber(sum.result)}`);
      }
      rows.push(...notes.values());
    }
    if (e.examples.length > SHOW_EXAMPLES) rows.push(`&\\quad \\dots\\ (\\text{${e.examples.length - SHOW_EXAMPLES} more examples})`);
    if (e.examples.length > 1) {
      const sum = exampleSum(e, ctx);
      const terms = sumText(sum.terms, 'latex') + (e.examples.length > SHOW_PATHS ? ' + \\dots' : '');
      rows.push(`${dname} &= ${scaledSum(scaleText(e, 'latex'), terms, 'latex')} = ${latexNumber(sum.result)}`);
    }
    if (item.numeric) rows.push(numericLatex(item.numeric, symLatex(p), symLatex(ctx.naming.loss), e.total, ctx.naming));
    for (const m of item.matrix) rows.push(latexMatrix(m, symLatex(p), ctx.naming.loss, ctx.decimals));
    return `\\begin{aligned}\n${rows.join(' \\\\\n')}\n\\end{aligned}`;
  });
}

export function renderLatex(doc: ExplainDoc): string {
  return latexBlocks(doc).map((b) => `$$\n${b}\n$$`).join('\n\n');
}

/** A NotationError naming `format` unless it is one of FORMATS (and the one it was likely meant as: valueGuess). */
export function checkFormat(format: unknown): asserts format is Format {
  if (!(FORMATS as readonly unknown[]).includes(format)) throw new NotationError('format', `must be ${FORMATS.map((f) => `'${f}'`).join(', ')}, got ${describe(format)}${valueGuess(format, FORMATS)}`);
}

/** A NotationError naming `doc` unless it has an ExplainDoc's parts (explain's string is told it is rendered already). */
function checkDoc(doc: unknown): asserts doc is ExplainDoc {
  const d = doc as Partial<ExplainDoc> | null;
  const ok = typeof d === 'object' && d !== null && typeof d.title === 'string' && Array.isArray(d.items) && typeof d.decimals === 'number'
    && typeof d.naming === 'object' && d.naming !== null && typeof d.engine === 'object' && d.engine !== null
    && typeof d.engine.net === 'object' && d.engine.net !== null && typeof d.cost === 'object' && d.cost !== null;
  if (!ok) {
    const got = typeof doc === 'string' ? 'a string: explain returns the text already rendered; render is for explainer(spec, options).doc(runs)' : Array.isArray(doc) ? 'an array' : typeof doc === 'object' && doc !== null ? 'an object without its title, items, decimals, naming, engine and cost' : describe(doc);
    throw new NotationError('doc', `must be an ExplainDoc (explainer(spec, options).doc(runs)), got ${got}`);
  }
}

/**
 * Print an ExplainDoc — explainer(spec, options).doc(runs) — as 'text', 'md' or 'latex' (explain(spec, options, runs,
 * format) is the two in one call, and returns this string).
 * @throws {NotationError} naming `format` when it is not one of FORMATS, then `doc` when it is not an ExplainDoc.
 */
export function render(doc: ExplainDoc, format: Format): string {
  checkFormat(format);
  checkDoc(doc);
  return format === 'text' ? renderText(doc) : format === 'md' ? renderMarkdown(doc) : renderLatex(doc);
}

/**
 * Display blocks as one LaTeX display that KaTeX and amsmath both typeset (no $$ delimiters): one block as it is,
 * several one under another in a gathered. What the lab's Copy LaTeX writes (src/lab/copy-formula.ts): the blocks
 * the Notation tab rendered, to paste between \[ \] in Overleaf or into a slide's equation box.
 */
export function displayLatex(blocks: readonly string[]): string {
  if (blocks.length === 1) return blocks[0];
  return `\\begin{gathered}\n${blocks.join(' \\\\\n')}\n\\end{gathered}`;
}
