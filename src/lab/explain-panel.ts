/**
 * The course lab's explanation of one parameter's gradient, in two parts rendered with KaTeX:
 *  - "Scalar chain rule": the per-path expansion from src/notation (∂L/∂w5 = ∂L/∂ŷ · ∂ŷ/∂z_out · ∂z_out/∂w5
 *    = 0.7414 × 0.1868 × 0.5933 = 0.0822), in the spec's names or in a chosen convention;
 *  - "Matrix form": the same number as one entry of dW_l = scale·δ_l·A_{l−1}ᵀ (or of db_l = scale·δ_l·1;
 *    a shared bias is the sum of all of δ_l), with δ_l, A_{l−1}ᵀ and dW_l typeset and the row, column and
 *    entry that make it highlighted — read from a matrix backend's run (CPU, wasm or WebGPU).
 *    The layer's matrices and vectors are bold (layerLatex, as explain's LaTeX: \mathbf{db}_{2} is layer 2's
 *    bias gradient, never the flat parameter b2); the entry's sum prints explain's numbers (matrixNumbers).
 *
 * `explanationModel(args)` is pure (LaTeX strings and sentences; Node tests render them with KaTeX);
 * `renderExplanation` puts it in the page and never throws: a refused or failed expansion (NotationError,
 * e.g. too many paths) is shown as a <p role="alert">.
 *
 * Layout: examples are columns. δ_l and A_l are (units × n) row-major: δ_l[i][c] = delta[l−1][i * n + c];
 * A_0 = X. dW_l is (units × fanIn) row-major. In names layers are 1-based (δ₂, W₂); in arrays 0-based.
 *
 * CSS classes (optional; inline defaults keep it readable without a stylesheet):
 *   .explain-scalar, .explain-matrix   the two <section>s (each with an <h3>)
 *   .explain-role      what the parameter is ("w5 = W₂[0][0]: feeds z_out from a_h1")
 *   .explain-tex       a KaTeX display block (scrolls sideways when wider than the panel; style.css shades the
 *                      edge that has more formula beyond it)
 *   .explain-where     which entry of which product the gradient is
 *   .explain-matrices  the row of matrix blocks (wraps on narrow screens)
 *   .explain-check     scalar (float64) total against the backend's value
 *   .explain-numeric   the finite-difference check, on demand (./numeric-check.ts, which lists its classes)
 *   .explain-note      with several examples, which one the scalar chain rule works path by path
 *   .explain-at        after Update, that the gradient is the one at the weights before the step
 *   .explain-pending   "Run Backward to fill in the matrix form."
 *   .explain-error     a <p role="alert"> with an error message
 *   .explain-loading   "Loading the formulas…" while KaTeX comes (the first explanation of a page: see loadKatex); with
 *                      more than IN_VIEW_EXAMPLES examples, inViewLine until the tab is on the screen, then workingLine
 */
import type Katex from 'katex';
import { messageOf } from '../checks.ts';
import { readData } from '../data.ts';
import { groupDigits } from '../notation/cost.ts';
import { explainer } from '../notation/explain.ts';
import { displayLatex, itemText, latexBlocks, paramRole } from '../notation/format.ts';
import { layerLatex as bold, matrixNumbers } from '../notation/matrix-form.ts';
import { fmtFull, fmtGiven, fmtValue, latexFactor, latexNumber, scaledSum, SHOW_EXAMPLES, SHOW_PATHS, sumText } from '../notation/numbers.ts';
import { float32Bound, matrixLine, type MatrixRun } from '../notation/matrix.ts';
import { type Convention, Naming, type ParamId, paramPlace, subDigits } from '../notation/names.ts';
import { symLatex, symText } from '../notation/symbols.ts';
import { copyBar } from './copy-formula.ts';
import { afterPaint, alertEl, el } from './dom.ts';
import { loadCode } from './lazy.ts';
import { type NumericInputs, numericSection } from './numeric-check.ts';
import { fitFormulasForPrint } from './print.ts';
import { type Net, type NetworkSpec, validateNet } from '../spec.ts';
import { meanOver } from './words.ts';

export interface ExplainArgs {
  /** What the lecture's notes print about this gradient (views.ts lectureNotes): put under the scalar chain rule. */
  notes?: HTMLElement;
  /** A full spec with the current params and the batch x, y the step used; may carry notation (lecture names). */
  spec: NetworkSpec;
  param: ParamId;
  /** undefined → the spec's own notation. */
  convention?: Convention;
  /** The matrix backend's values for this batch, once a backward pass has run. */
  run?: MatrixRun;
  decimals?: number;
  /** The page's Naming for this net and convention, if it has one (else one is made and kept: see namingFor). */
  naming?: Naming;
  /** The example the diagram shows (0-based; the page's Example menu): the note says when it is not the one worked. */
  example?: number;
  /** Which weights the gradient is taken at, where the diagram shows others (after Update): a line above the chain rule. */
  weightsNote?: string;
}

/** Largest matrix typeset: rows and columns beyond these are elided with ⋯ / ⋮ / ⋱. */
const MAX_MATRIX = 6;
/** Colour of the row / column of δ_l and A_{l−1}ᵀ that the entry uses. */
export const USED_COLOR = '#7c3aed';
/** Background of the gradient entry itself. */
export const ENTRY_BACKGROUND = '#fde68a';

/**
 * The matrix form's LaTeX as Copy LaTeX gives it: its highlights in colours LaTeX's xcolor and KaTeX both read —
 * purple and yellow, of xcolor's base set — where the tab's `#rrggbb` colours are KaTeX's only (xcolor wants
 * `\textcolor[HTML]{7C3AED}`, which KaTeX refuses), so pasted into Overleaf it compiled nowhere.
 */
export function portableLatex(tex: string): string {
  return tex.replaceAll(`\\textcolor{${USED_COLOR}}`, '\\textcolor{purple}').replaceAll(`\\colorbox{${ENTRY_BACKGROUND}}`, '\\colorbox{yellow}');
}

export const PENDING = 'Run Backward to fill in the matrix form.';

// ——— matrices as LaTeX ———

/**
 * Which of `count` indices to typeset, at most `max` slots: all of them, or the first few, null for a gap
 * (⋯ or ⋮), and the last — always including `keep` (the row or column in use), with gaps around it.
 */
export function pickIndices(count: number, max: number, keep?: number): (number | null)[] {
  if (count <= max) return Array.from({ length: count }, (_, k) => k);
  let chosen = Array.from({ length: max - 2 }, (_, k) => k);
  chosen.push(count - 1);
  if (keep !== undefined && !chosen.includes(keep)) {
    chosen = Array.from({ length: Math.max(1, max - 4) }, (_, k) => k);
    chosen.push(keep, count - 1);
  }
  const out: (number | null)[] = [];
  chosen.forEach((k, pos) => {
    if (pos > 0 && k - chosen[pos - 1] > 1) out.push(null);
    out.push(k);
  });
  return out;
}

export interface TexMatrixInput {
  rows: number;
  cols: number;
  /** Value at row r, column c. */
  at: (r: number, c: number) => number;
  decimals: number;
  /** Values given in the spec (X), shown as written (0.05). */
  given?: boolean;
  /** The row, the column or every entry used (coloured USED_COLOR). */
  markRow?: number;
  markCol?: number;
  markAll?: boolean;
  /** The entry itself (on ENTRY_BACKGROUND). */
  entry?: { row: number; col: number };
  max?: number;
}

/** A pmatrix of the values, truncated to MAX_MATRIX × MAX_MATRIX, with the used row / column / entry highlighted. */
export function matrixTex(m: TexMatrixInput): string {
  const max = m.max ?? MAX_MATRIX;
  const rows = pickIndices(m.rows, max, m.entry?.row ?? m.markRow);
  const cols = pickIndices(m.cols, max, m.entry?.col ?? m.markCol);
  const cell = (r: number | null, c: number | null): string => {
    if (r === null && c === null) return '\\ddots';
    if (r === null) return '\\vdots';
    if (c === null) return '\\cdots';
    const v = m.at(r, c);
    const text = m.given ? fmtGiven(v, m.decimals, 'latex') : fmtValue(v, m.decimals, 'latex');
    if (m.entry && m.entry.row === r && m.entry.col === c) return `\\colorbox{${ENTRY_BACKGROUND}}{$${text}$}`;
    if (m.markAll || m.markRow === r || m.markCol === c) return `\\textcolor{${USED_COLOR}}{${text}}`;
    return text;
  };
  const body = rows.map((r) => cols.map((c) => cell(r, c)).join(' & ')).join(' \\\\ ');
  return `\\begin{pmatrix} ${body} \\end{pmatrix}`;
}

/** "\underset{2 \times 1}{\delta_{2}}": a matrix's name with its shape under it. */
function shaped(name: string, rows: number, cols: number): string {
  return `\\underset{${rows} \\times ${cols}}{${name}}`;
}

// ——— the model ———

export interface ScalarPart {
  /** KaTeX display blocks (one: latexBlocks of this parameter). */
  tex: string[];
  /** The chain rule in the CLI's text format (`backprop explain --format text`, this parameter's part): Copy text's, made when asked. */
  text: () => string;
  /** With several examples, which one is worked path by path (exampleNote); undefined with one. */
  note?: string;
}

export interface MatrixPart {
  /** "∂L/∂W₂ = dW₂ = δ₂A₁ᵀ" as LaTeX. */
  statement: string;
  /** Which entry of which product the gradient is, in the net's names. */
  where: string;
  /** The matrices and the entry's sum, as LaTeX; empty until a run is given. */
  blocks: string[];
  /** The scalar total against the backend's value; undefined until a run is given. */
  check: string | undefined;
  /** PENDING when no run is given. */
  pending: string | undefined;
}

export interface ExplanationModel {
  /** The parameter's name ("w5"), or its place when the names cannot be made. */
  name: string;
  /** "∂L/∂w5" in the net's letters (the copy buttons' words); "" when the names cannot be made. */
  derivative: string;
  /** "w5 = W₂[0][0]: feeds z_out from a_h1". */
  role: string;
  scalar: ScalarPart | { error: string };
  matrix: MatrixPart | { error: string };
  /** The finite-difference check's inputs (./numeric-check.ts): backprop's values as shown; none without a chain rule. */
  numeric?: NumericInputs;
}

interface Ctx {
  net: Net;
  naming: Naming;
  decimals: number;
  param: ParamId;
}

/**
 * The lab's names for `net` in `convention` (the spec's own without one): a chosen convention names everything its
 * own way and keeps only the spec's `notation.decimals`, as `backprop explain --convention` does (Naming applies that
 * rule). An edited net that no longer fits the lecture's own names gets the default ones (and default decimals).
 */
export function labNaming(net: Net, notation: unknown, convention: Convention | undefined): Naming {
  try {
    return new Naming(net, notation, convention);
  } catch {
    return new Naming(net, undefined, convention);
  }
}

/**
 * The last Naming made, by the net's shape, the notation and the convention: a Naming of a big net takes
 * long to make (every parameter's name is indexed: ~1 s for 784-32-10) and the lab explains one parameter
 * after another of the same net.
 */
let lastNaming: { key: string; naming: Naming } | undefined;

function namingFor(net: Net, spec: NetworkSpec, convention: Convention | undefined): Naming {
  const key = JSON.stringify([net.inputs, net.layers, spec.notation ?? null, convention ?? null]);
  if (lastNaming?.key !== key) lastNaming = { key, naming: new Naming(net, spec.notation, convention) };
  return lastNaming.naming;
}

/**
 * With n > 1 examples: the scalar chain rule works every path for example 1 only and gives the others by their totals
 * (latexBlocks); `shown` is the example the diagram shows. With Example 2 chosen, the diagram showed example 2's z, a
 * and δ while the chain rule's factors were example 1's, and nothing said so. `mostPaths`: the most paths one group
 * of example 1 has — past SHOW_PATHS latexBlocks works the first SHOW_PATHS and ends "+ … (k more paths)", so the
 * note does not say "every path" (a deeper net, as built in the lab's editor).
 */
export function exampleNote(n: number, shown: number, mostPaths: number): string | undefined {
  if (n <= 1) return undefined;
  // latexBlocks gives the first SHOW_EXAMPLES examples their own rows; the rest are only in the sum (MNIST's 96).
  const rows = Math.min(n, SHOW_EXAMPLES);
  const others = (rows === 2 ? 'example 2 by its total' : `examples 2 … ${rows} by their totals`) + (n > rows ? `, the other ${n - rows} in the sum` : '');
  const worked = mostPaths > SHOW_PATHS ? `Up to ${SHOW_PATHS} paths of a group are worked for example 1 (the rest only in the group's total)` : 'Every path is worked for example 1';
  return `${worked}, ${others}${shown > 0 ? ` (the diagram shows example ${shown + 1})` : ''}.`;
}

/**
 * The batch size the spec holds (for the scale before a run exists): its x's examples in either form the engine takes
 * (rows, or {examples, data}: readData counts them as the budget does; it read 1 for the latter, so the note and the
 * mean's N spoke of one example); 1 without an x.
 */
function batchSize(spec: NetworkSpec): number {
  const x = readData(spec.x, 'x');
  return x.form === 'other' ? 1 : x.count;
}

/** "\tfrac{1}{4}\," for a mean over 4 examples; "" for a sum or a single example. */
function scaleTex(net: Net, n: number): string {
  const N = meanOver(net, n);
  return N === undefined ? '' : `\\tfrac{1}{${N}}\\,`;
}

function scaleWords(net: Net, n: number): string {
  const N = meanOver(net, n);
  return N === undefined ? '' : `, divided by N = ${N} (mean)`;
}

function statementTex(ctx: Ctx, n: number): string {
  const { net, naming, param: p } = ctx;
  const l = p.layer + 1;
  const L = symLatex(naming.loss);
  const s = scaleTex(net, n);
  const d = bold('delta', l);
  if (p.kind === 'W') {
    return `\\frac{\\partial ${L}}{\\partial ${bold('W', l)}} = ${bold('dW', l)} = ${s}${d}\\,${bold('A', l - 1)}^{\\top}${l === 1 ? `\\quad (${bold('A', 0)} = ${bold('X')})` : ''}`;
  }
  const head = `\\frac{\\partial ${L}}{\\partial ${bold('b', l)}} = ${bold('db', l)} = ${s}`;
  if (net.layers[p.layer].bias === 'shared') return `${head}\\textstyle\\sum_{i}\\sum_{c} ${d}[i][c]`;
  return `${head}${d}\\,\\mathbf{1}\\quad(\\text{the row sums of } ${d})`;
}

function whereText(ctx: Ctx, n: number): string {
  const { net, naming, param: p } = ctx;
  const l = p.layer + 1;
  const name = symText(naming.param(p));
  const d = `δ${subDigits(l)}`;
  if (p.kind === 'W') {
    const a = `A${subDigits(l - 1)}`;
    const src = p.layer === 0 ? naming.node({ kind: 'x', index: p.col }) : naming.node({ kind: 'a', layer: p.layer - 1, unit: p.col });
    const each = n === 1 ? 'for the one example' : `for each of the ${n} examples`;
    return `${name} is entry [${p.row}][${p.col}] of dW${subDigits(l)}: row ${p.row} of ${d} (${symText(naming.delta(p.layer, p.row))} ${each}) times column ${p.col} of ${a}ᵀ, i.e. row ${p.col} of ${a}${l === 1 ? ' = X' : ''} (${symText(src)} ${each})${scaleWords(net, n)}.`;
  }
  const layer = net.layers[p.layer];
  if (layer.bias === 'shared') {
    return `${name} is one bias shared by the ${layer.units} unit${layer.units === 1 ? '' : 's'} of layer ${l}: its gradient is the sum of all of ${d} — every unit, every example${scaleWords(net, n)}.`;
  }
  const delta = symText(naming.delta(p.layer, p.index));
  // One example (the lecture nets): δ has one column, so its row is one number — no sum over the examples.
  if (n === 1) return `${name} is entry [${p.index}] of db${subDigits(l)}: row ${p.index} of ${d} (${delta} for the one example)${scaleWords(net, n)}.`;
  return `${name} is entry [${p.index}] of db${subDigits(l)}: the sum over the examples of row ${p.index} of ${d} (${delta})${scaleWords(net, n)}.`;
}

/**
 * The gradient entry as a sum: "lhs = symbolic sum" and, on a second line (narrow panels), "= the numbers =
 * value", the value on ENTRY_BACKGROUND like its entry in the matrix.
 */
function entryTex(lhs: string, symbolic: string, terms: string | undefined, value: string): string {
  const boxed = `\\colorbox{${ENTRY_BACKGROUND}}{$${value}$}`;
  if (terms === undefined) return `${lhs} = ${symbolic} = ${boxed}`;
  return `\\begin{aligned} ${lhs} &= ${symbolic} \\\\ &= ${terms} = ${boxed} \\end{aligned}`;
}

/**
 * The matrices and the entry's sum, from a run. The sum's numbers are explain's (matrixNumbers, src/notation/hand.ts):
 * at `decimals`, or with more decimals where those would not give the printed result by hand; after its 1/N the sum is
 * in parentheses as explain writes it (scaledSum; a 1/N comes only with n > 1 examples, so never around one term).
 */
function matrixBlocks(ctx: Ctx, run: MatrixRun): string[] {
  const { net, decimals, param: p } = ctx;
  const n = run.n;
  const l = p.layer + 1;
  const layer = net.layers[p.layer];
  const delta = run.delta[p.layer];
  const need = (arr: ArrayLike<number> | undefined, len: number, what: string): ArrayLike<number> => {
    if (!arr || arr.length < len) throw new Error(`the run has no ${what} of ${len} values (was it made for this net and batch?)`);
    return arr;
  };
  need(delta, layer.units * n, `δ${subDigits(l)}`);
  const s = scaleTex(net, n);
  const d = bold('delta', l);
  const dTex = matrixTex({
    rows: layer.units, cols: n, at: (r, c) => delta[r * n + c], decimals,
    markRow: p.kind === 'W' ? p.row : p.kind === 'b' && layer.bias !== 'shared' ? p.index : undefined,
    markAll: p.kind === 'b' && layer.bias === 'shared',
  });
  const deltaBlock = `${shaped(d, layer.units, n)} = ${dTex}`;
  const line = matrixLine(net, p, run);
  const nums = matrixNumbers(line, decimals);
  const value = latexNumber(nums.result);
  if (p.kind === 'W') {
    const prev = need(p.layer === 0 ? run.X : run.A[p.layer - 1], layer.fanIn * n, `A${subDigits(l - 1)}`);
    const dW = need(run.dW[p.layer], layer.units * layer.fanIn, `dW${subDigits(l)}`);
    const aT = matrixTex({ rows: n, cols: layer.fanIn, at: (c, j) => prev[j * n + c], decimals, given: p.layer === 0, markCol: p.col });
    const dWTex = matrixTex({ rows: layer.units, cols: layer.fanIn, at: (i, j) => dW[i * layer.fanIn + j], decimals, entry: { row: p.row, col: p.col } });
    const a = p.layer === 0 ? bold('X') : bold('A', l - 1);
    const products = nums.terms.map(([dv, av]) => `${latexFactor(dv)} \\times ${latexFactor(av)}`);
    return [
      deltaBlock,
      `${shaped(`${a}^{\\top}`, n, layer.fanIn)} = ${aT}`,
      `${shaped(bold('dW', l), layer.units, layer.fanIn)} = ${s}${d}\\,${a}^{\\top} = ${dWTex}`,
      entryTex(`${bold('dW', l)}[${p.row}][${p.col}]`, `${s}\\textstyle\\sum_{c} ${d}[${p.row}][c]\\; ${a}[${p.col}][c]`, n <= 4 ? scaledSum(s, products.join(' + '), 'latex') : undefined, value),
    ];
  }
  const db = need(run.db[p.layer], layer.bias === 'shared' ? 1 : layer.units, `db${subDigits(l)}`);
  if (layer.bias === 'shared') {
    const terms = nums.terms.length > 0 && nums.terms.length <= 6 ? scaledSum(s, sumText(nums.terms.map(([x]) => x), 'latex'), 'latex') : undefined;
    return [deltaBlock, entryTex(bold('db', l), `${s}\\textstyle\\sum_{i}\\sum_{c} ${d}[i][c]`, terms, value)];
  }
  const dbTex = matrixTex({ rows: layer.units, cols: 1, at: (i) => db[i], decimals, entry: { row: p.index, col: 0 } });
  const terms = n <= 6 && n > 1 ? scaledSum(s, sumText(nums.terms.map(([x]) => x), 'latex'), 'latex') : undefined;
  return [
    deltaBlock,
    `${shaped(bold('db', l), layer.units, 1)} = ${s}${d}\\,\\mathbf{1} = ${dbTex}`,
    entryTex(`${bold('db', l)}[${p.index}]`, `${s}\\textstyle\\sum_{c} ${d}[${p.index}][c]`, terms, value),
  ];
}

/** The scalar total (float64) against the backend's entry, within float32 rounding (float32Bound). */
function checkText(total: number, mass: number, value: number, backend: string): string {
  const diff = Math.abs(total - value);
  const bound = float32Bound(mass);
  const ok = diff <= bound;
  return `Scalar chain rule (float64): ${fmtFull(total)}; ${backend}: ${fmtFull(value)}; |difference| = ${diff.toExponential(1)} ${ok ? '≤' : '>'} ${bound.toExponential(1)} ${ok ? '✓ the same number, to float32 rounding' : '✗ they differ by more than float32 rounding'}.`;
}

/** Everything the panel shows for one parameter, as LaTeX and sentences. Pure; never throws. */
export function explanationModel(args: ExplainArgs): ExplanationModel {
  const { spec, param } = args;
  let ctx: Ctx;
  try {
    const net = validateNet(spec);
    const naming = args.naming ?? namingFor(net, spec, args.convention);
    naming.param(param); // throws when the parameter is not in this net
    ctx = { net, naming, decimals: args.decimals ?? naming.decimals ?? 4, param };
  } catch (err) {
    const error = messageOf(err);
    return { name: JSON.stringify(param), derivative: '', role: '', scalar: { error }, matrix: { error } };
  }
  const name = symText(ctx.naming.param(param));
  const role = `${name} = ${paramPlace(ctx.net, param)}: ${paramRole(param, ctx.naming, ctx.net)}`;

  let scalar: ExplanationModel['scalar'];
  let expansion: { total: number; mass: number } | undefined;
  try {
    const ex = explainer(spec, { param: name, convention: args.convention, decimals: ctx.decimals, naming: ctx.naming });
    const doc = ex.doc([]);
    expansion = doc.items[0]?.expansion;
    const mostPaths = Math.max(0, ...(doc.items[0]?.expansion.examples[0]?.groups.map((g) => g.paths.length) ?? []));
    scalar = { tex: latexBlocks(doc), text: () => itemText(doc.items[0], doc), note: exampleNote(batchSize(spec), args.example ?? 0, mostPaths) };
  } catch (err) {
    scalar = { error: messageOf(err) };
  }

  let matrix: ExplanationModel['matrix'];
  let value: number | undefined;
  try {
    const n = args.run?.n ?? batchSize(spec);
    const base = { statement: statementTex(ctx, n), where: whereText(ctx, n) };
    if (!args.run) matrix = { ...base, blocks: [], check: undefined, pending: PENDING };
    else {
      const blocks = matrixBlocks(ctx, args.run);
      value = matrixLine(ctx.net, param, args.run).value;
      const check = expansion ? checkText(expansion.total, expansion.mass, value, args.run.backend) : undefined;
      matrix = { ...base, blocks, check, pending: undefined };
    }
  } catch (err) {
    matrix = { error: messageOf(err) };
  }
  const numeric = expansion && { spec, net: ctx.net, param, naming: ctx.naming, total: expansion.total, ...(value === undefined ? {} : { run: args.run, value }) };
  return { name, derivative: `∂${symText(ctx.naming.loss)}/∂${name}`, role, scalar, matrix, numeric };
}

// ——— DOM ———

/** KaTeX, once loadKatex has brought it. */
let katex: typeof Katex | undefined;
let katexLoading: Promise<typeof Katex> | undefined;

/**
 * KaTeX (499 kB of script, 110 kB gzipped as a server sends it, and its fonts), fetched by the first explanation, not with the page: the
 * Notation tab sits under the workspace, below the first screen, and on a slow school link every kilobyte before the
 * page is ready is the student's wait (README's lab section; test/lab-start-graph.test.ts). Once; a failed fetch may
 * be retried by the next call (a LazyCodeError naming it).
 */
function loadKatex(): Promise<typeof Katex> {
  if (!katexLoading) {
    const pending = loadCode('the formulas\' typesetting (KaTeX)', () => import('katex'), () => {}).then((m) => (katex = m.default));
    pending.catch(() => {
      if (katexLoading === pending) katexLoading = undefined;
    });
    katexLoading = pending;
  }
  return katexLoading;
}

/** One KaTeX display block; a LaTeX error becomes an alert instead. */
function typesetEl(tex: string, typeset: typeof Katex): HTMLElement {
  const div = el('div', 'explain-tex');
  div.style.overflowX = 'auto';
  div.style.overflowY = 'hidden';
  try {
    typeset.render(tex, div, { displayMode: true, throwOnError: true });
  } catch (err) {
    div.replaceChildren(alertEl(`Cannot typeset this formula: ${messageOf(err)}`));
  }
  return div;
}

/**
 * Render the explanation of args.param into host (its previous content is replaced). Never throws. Before KaTeX has
 * come (loadKatex), a line says the formulas load, and the explanation replaces it once they have — unless the host
 * was written since (a newer explanation, "Select a weight or bias"); a KaTeX that did not come is an alert there.
 * A batch of more than IN_VIEW_EXAMPLES examples (Your data's) is worked only once host is on the screen (whenInView).
 */
export function renderExplanation(host: HTMLElement, args: ExplainArgs): void {
  waiting.get(host)?.();
  waiting.delete(host);
  let n = 0;
  try {
    n = batchSize(args.spec);
  } catch {
    // a bad x: renderNow says what is wrong with it
  }
  // NOTE: the scalar chain rule works every example of the batch (its total, the check against the matrix form): on
  // Your data's 80 000 examples that was ~0.6 s of every load and step, the Notation tab below the first screen.
  if (n > IN_VIEW_EXAMPLES && typeof IntersectionObserver !== 'undefined') {
    whenInView(host, n, () => renderNow(host, args));
    return;
  }
  renderNow(host, args);
}

/**
 * Batches of more examples than this are worked when the Notation tab is on the screen (whenInView), not at every
 * load and step: the scalar chain rule reads every example (its total is over the batch), ~7 µs each on wasm's page.
 */
export const IN_VIEW_EXAMPLES = 1000;

/** The host's explanation waiting to come into view: what stops the wait (a newer explanation replaces it). */
const waiting = new WeakMap<HTMLElement, () => void>();

/** The line while a big batch's chain rule waits for the tab to be on the screen. */
export function inViewLine(n: number): string {
  return `The chain rule over the batch's ${groupDigits(n)} examples is worked when this tab is on the screen.`;
}

/** The line while it is worked (painted first: a frame and a task before the work). */
export function workingLine(n: number): string {
  return `Working the chain rule over ${groupDigits(n)} examples…`;
}

/**
 * Show inViewLine in host, and `render` once host is on the screen (an IntersectionObserver: the Notation tab shown
 * and scrolled to), after workingLine has been painted.
 */
function whenInView(host: HTMLElement, n: number, render: () => void): void {
  const line = el('p', 'explain-loading', inViewLine(n));
  host.replaceChildren(line);
  const current = (): boolean => host.children.length === 1 && host.children[0] === line;
  const win = typeof window === 'undefined' ? undefined : window;
  const stop = (): void => {
    observer.disconnect();
    win?.removeEventListener('beforeprint', print);
    waiting.delete(host);
  };
  // NOTE: printing lays the page out without scrolling it: a page printed above the tab printed this line in place of
  // the chain rule. Worked now, and its formulas fitted to the paper (this listener runs after print.ts's).
  const print = (): void => {
    stop();
    if (!current()) return;
    render();
    fitFormulasForPrint(host);
  };
  const observer = new IntersectionObserver((entries) => {
    // The host written since ("Select a weight or bias in the diagram."): nothing to wait for any more.
    if (!current()) return stop();
    if (!entries.some((e) => e.isIntersecting)) return;
    stop();
    line.textContent = workingLine(n);
    void afterPaint().then(() => { if (current()) render(); });
  });
  observer.observe(host);
  win?.addEventListener('beforeprint', print);
  waiting.set(host, stop);
}

function renderNow(host: HTMLElement, args: ExplainArgs): void {
  if (!katex) {
    const waiting = el('p', 'explain-loading', 'Loading the formulas…');
    host.replaceChildren(waiting);
    const current = (): boolean => host.children.length === 1 && host.children[0] === waiting;
    loadKatex().then(
      () => { if (current()) renderNow(host, args); },
      (err: unknown) => { if (current()) host.replaceChildren(alertEl(`${messageOf(err)} (select a weight or bias in the diagram to try again)`)); },
    );
    return;
  }
  const typeset = katex;
  const texEl = (tex: string): HTMLElement => typesetEl(tex, typeset);
  let model: ExplanationModel;
  try {
    model = explanationModel(args);
  } catch (err) {
    host.replaceChildren(alertEl(messageOf(err)));
    return;
  }
  const scalar = el('section', 'explain-scalar');
  scalar.append(el('h3', undefined, 'Scalar chain rule'));
  if (model.role) scalar.append(el('p', 'explain-role', model.role));
  if (args.weightsNote) scalar.append(el('p', 'explain-at', args.weightsNote));
  if ('error' in model.scalar) scalar.append(alertEl(model.scalar.error));
  else {
    for (const tex of model.scalar.tex) scalar.append(texEl(tex));
    scalar.append(copyBar([{ what: 'LaTeX', value: displayLatex(model.scalar.tex) }, { what: 'text', value: model.scalar.text }], `${model.derivative}'s chain rule`));
    if (model.scalar.note) scalar.append(el('p', 'explain-note', model.scalar.note));
    if (args.notes) scalar.append(args.notes);
  }

  const matrix = el('section', 'explain-matrix');
  matrix.append(el('h3', undefined, 'Matrix form'));
  if ('error' in model.matrix) matrix.append(alertEl(model.matrix.error));
  else {
    const m = model.matrix;
    matrix.append(texEl(m.statement), el('p', 'explain-where', m.where));
    if (m.pending) matrix.append(el('p', 'explain-pending', m.pending));
    if (m.blocks.length > 0) {
      const row = el('div', 'explain-matrices');
      Object.assign(row.style, { display: 'flex', flexWrap: 'wrap', gap: '0 1.5em', alignItems: 'center' });
      for (const tex of m.blocks.slice(0, -1)) {
        const block = texEl(tex);
        block.style.maxWidth = '100%';
        row.append(block);
      }
      matrix.append(row, texEl(m.blocks[m.blocks.length - 1]));
    }
    matrix.append(copyBar([{ what: 'LaTeX', value: portableLatex(displayLatex([m.statement, ...m.blocks])) }], `${model.derivative}'s matrix form`));
    if (m.check) matrix.append(el('p', 'explain-check', m.check));
  }
  host.replaceChildren(scalar, matrix, ...(model.numeric ? [numericSection(model.numeric)] : []));
}
