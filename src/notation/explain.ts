/**
 * `explain`: every parameter's chain-rule expansion (scalar engine, float64) beside its matrix line (from
 * one or more matrix backend runs), and the cost of notation. Browser-safe: no Node APIs here; the CLI
 * (src/cli/explain.ts) adds the files and the backends.
 */
import { describe } from '../checks.ts';
import { ClaimError, NotationError, SpecError } from '../errors.ts';
import { checkWorkedFormat, refuseLecture, WORKED_FORMAT } from '../worked/worked.ts';
import type { Net, NetworkSpec } from '../spec.ts';
import { lectureIdError } from '../spec-holders.ts';
import { checkKnownKeys } from '../suggest.ts';
import { architectureOf, groupDigits, notationCost } from './cost.ts';
import { checkFormat, type ExplainDoc, type ExplainItem, type Format, render } from './format.ts';
import { checkRuns, float32Bound, matrixLine, type MatrixRun } from './matrix.ts';
import { type Convention, Naming, type ParamId } from './names.ts';
import { ScalarEngine } from './scalar.ts';
import { agrees, checkH, checkNumericRun, GRAD_CHECK_REL, NUMERIC_H, numericGrad, relativeError } from './numeric.ts';

/** The options of explain and explainer; another key is a NotationError naming it (`options.parm`). */
export interface ExplainOptions {
  /** One parameter by name (w5, w¹₁₁, ∂L/∂w5); default: every parameter (if the net is small enough). */
  param?: string;
  /** How parameters and nodes are named (README, "Naming conventions"). Default: the spec's notation.convention, else the default convention. */
  convention?: Convention;
  /** Decimals for the numbers shown (default: the spec's notation.decimals, else 4). */
  decimals?: number;
  /**
   * The names to use, already built for this net (and notation and convention): building a Naming indexes every
   * parameter's name, about a second for a 784-input net, so a page that explains one parameter after another
   * makes it once. Default: new Naming(net, spec.notation, convention).
   */
  naming?: Naming;
  /** Add under each chain its centred difference (L(p + h) − L(p − h)) / 2h in float64, h = `numeric.h` (default 1e-5). */
  numeric?: {
    /** h, finite and > 0 (default NUMERIC_H, 1e-5). */
    h?: number;
  };
  /** How errors name `param`, `decimals` and `convention` (default: their own names; the CLI gives its flags, '--param'). */
  fields?: {
    /** The name errors give `param` ('--param'). */
    param: string;
    /** The name errors give `decimals`. */
    decimals: string;
    /** The name errors give `convention` (default 'convention'). */
    convention?: string;
    /** The name errors give `numeric.h` (default 'numeric.h'). */
    numericH?: string;
    /** The name a check over the work limit gives `numeric` (default 'numeric'). */
    numeric?: string;
  };
}

/** ExplainOptions' keys: another (`parm`, `backend`) is a NotationError naming it, not an option silently dropped. */
const OPTION_KEYS: readonly string[] = ['param', 'convention', 'decimals', 'naming', 'fields', 'numeric'];

/** Without --param, every parameter is expanded only if all their paths (× examples) are at most this many. */
export const MAX_PATHS_ALL = 20_000;

/** A spec, or a worked-example file ({spec, claims}) whose spec is explained. */
export function specOf(raw: unknown): NetworkSpec {
  const id = lectureIdError(raw, 'worked'); // explain('lecture-2-2-1', …) was "spec: must be a JSON object"
  if (id) throw id;
  refuseLecture(raw, 'spec', SpecError);
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const has = (key: string) => Object.hasOwn(raw, key);
    if (has('claims') && has('spec')) {
      checkWorkedFormat(raw as Record<string, unknown>); // another version's spec may mean something else: refused, as check does
      return (raw as { spec: NetworkSpec }).spec;
    }
    // A worked-example file without its spec is not a network spec (it would fail as "format: unknown key").
    if (has('claims') || (raw as { format?: unknown }).format === WORKED_FORMAT) {
      throw new ClaimError('spec', 'this worked-example file has no spec: a worked example holds the network spec it is about under spec');
    }
  }
  return raw as NetworkSpec;
}

/** What explainer returns: the scalar engine, the names, the parameters to expand, and `doc(runs)`. */
export interface Explainer {
  /** The scalar engine on the spec's net, W, b and batch. */
  engine: ScalarEngine;
  /** The names of every parameter and node of the net. */
  naming: Naming;
  /** The parameters to expand: the one of `param`, else every one. */
  params: ParamId[];
  /** Builds the document once the matrix runs (zero or more) are there. */
  doc(runs: MatrixRun[]): ExplainDoc;
}

/** A net's shape as names depend on it: its inputs, and each layer's units and bias mode ("2-2 shared-1 shared"). */
function shapeOf(net: Net): string {
  return [String(net.inputs), ...net.layers.map((l) => `${l.units}${l.bias === 'per-unit' ? '' : ` ${l.bias}`}`)].join('-');
}

/**
 * Validate the spec and the options (before any backend runs), and say which parameters will be expanded; its
 * `doc(runs)` builds the document explain renders. Throws as explain does (but for `format`).
 * @throws {NotationError} naming `options`, an unknown option, `param`, `decimals` or `convention`.
 * @throws {SpecError} a bad spec (`spec`, `params`, `x`, …). {@link ClaimError} a worked-example file without its spec.
 */
export function explainer(raw: unknown, opts: ExplainOptions = {}): Explainer {
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw new NotationError('options', `must be an object {${OPTION_KEYS.join(', ')}} or undefined, got ${describe(opts)}`);
  checkKnownKeys(opts, OPTION_KEYS, 'options.', `explain takes ${OPTION_KEYS.join(', ')}`, NotationError, 'unknown option');
  const fields = opts.fields ?? { param: 'param', decimals: 'decimals' };
  if (opts.naming !== undefined && !(opts.naming instanceof Naming)) throw new NotationError('naming', `must be a Naming built for this net (new Naming(net, spec.notation, convention)), got ${describe(opts.naming)}`);
  const spec = specOf(raw);
  const engine = new ScalarEngine(spec);
  // A Naming of another net (a page's cached one, after an edit) would name this net's parameters wrongly, without a word.
  if (opts.naming !== undefined && shapeOf(opts.naming.net) !== shapeOf(engine.net)) {
    throw new NotationError('naming', `is a Naming of another net (${shapeOf(opts.naming.net)}), not of this spec's (${shapeOf(engine.net)})`);
  }
  const naming = opts.naming ?? new Naming(engine.net, spec.notation, opts.convention, fields.convention ?? 'convention');
  if (opts.decimals !== undefined && !(Number.isInteger(opts.decimals) && opts.decimals >= 0 && opts.decimals <= 12)) {
    throw new NotationError(fields.decimals, `must be an integer 0 … 12, got ${describe(opts.decimals)}`);
  }
  const decimals = opts.decimals ?? naming.decimals ?? 4;
  if (opts.numeric !== undefined) {
    if (typeof opts.numeric !== 'object' || opts.numeric === null || Array.isArray(opts.numeric)) throw new NotationError('numeric', `must be an object {h} (h optional), got ${describe(opts.numeric)}`);
    checkKnownKeys(opts.numeric, ['h'], 'numeric.', 'numeric takes h', NotationError, 'unknown option');
    if (opts.numeric.h !== undefined) checkH(opts.numeric.h, fields.numericH ?? 'numeric.h');
  }
  const cost = notationCost(architectureOf(engine.net));
  let params: ParamId[];
  let note: string | undefined;
  if (opts.param !== undefined) params = [naming.resolveParam(opts.param, fields.param)];
  else if (cost.paths * engine.n > MAX_PATHS_ALL) {
    params = [];
    note = `Not expanded: every gradient of this net has ${groupDigits(cost.paths)} paths per example (× ${groupDigits(engine.n)} example${engine.n === 1 ? '' : 's'}) in all, more than ${groupDigits(MAX_PATHS_ALL)}; give ${fields.param} NAME to expand one.`;
  } else params = naming.params();
  // The check's work and its h against each entry, before any backend runs (doc() would find them after the runs).
  if (opts.numeric && params.length > 0) checkNumericRun(engine, opts.numeric.h ?? NUMERIC_H, params, { h: fields.numericH ?? 'numeric.h', work: fields.numeric ?? 'numeric' });
  // The header: the spec's name; a worked file's spec without one, the file's title ("Lecture 001: …"); else "the net".
  const fileTitle = raw !== spec ? (raw as { title?: unknown }).title : undefined;
  const title = typeof spec.name === 'string' ? spec.name : typeof fileTitle === 'string' && fileTitle !== '' ? fileTitle : 'the net';
  return {
    engine, naming, params,
    doc(runs: MatrixRun[]): ExplainDoc {
      checkRuns(engine.net, engine.n, runs);
      const numeric = opts.numeric && params.length > 0 ? numericGrad(spec, { ...opts.numeric, params }).entries : undefined;
      const items: ExplainItem[] = params.map((p, k) => ({
        param: p,
        expansion: engine.expand({ kind: 'deriv', of: 'loss', wrt: { kind: 'param', param: p } }, undefined, opts.param !== undefined ? fields.param : 'param'),
        matrix: runs.map((r) => matrixLine(engine.net, p, r)),
        ...(numeric ? { numeric: numeric[k] } : {}),
      }));
      return { title, naming, engine, items, cost, decimals, note };
    },
  };
}

/**
 * The scalar chain rule beside the matrix form, in one call: each ∂L/∂W and ∂L/∂b of `raw` (a spec, or a worked
 * example's {spec, claims}) expanded path by path in float64, beside the dW and db of each matrix run in `runs`
 * (zero or more, e.g. from Model.grad on each backend), compared under the float32 bound, rendered as `format`
 * ('text', 'md' or 'latex'). README, "Scalar notation beside the matrix form: explain".
 * @throws {NotationError} naming `format`, `options` or an unknown option (`options.parm`), `runs` (a run by its
 * field, `runs[0].n`), `param` (a name the net does not have), `decimals` or `convention`.
 * @throws {SpecError} a bad spec, named as Model.create names it (`spec` for a lecture given where its spec belongs;
 * `params` or `x` when it has no parameters or no batch).
 * @throws {ClaimError} a worked-example file without its spec (`spec`).
 */
export function explain(raw: unknown, opts: ExplainOptions, runs: MatrixRun[], format: Format): string {
  checkFormat(format);
  const ex = explainer(raw, opts);
  checkRuns(ex.engine.net, ex.engine.n, runs); // before any expansion
  return render(ex.doc(runs), format);
}

/**
 * The matrix values of a document that disagree with the scalar engine (|scalar − matrix| over the float32 bound,
 * or not finite): what text output marks ✗ MISMATCH. The CLI exits 1 when there is any.
 */
export function mismatches(doc: ExplainDoc): string[] {
  const out: string[] = [];
  for (const item of doc.items) {
    for (const m of item.matrix) {
      const diff = Math.abs(item.expansion.total - m.value);
      const bound = float32Bound(item.expansion.mass);
      if (!(diff <= bound)) out.push(`${doc.naming.name({ kind: 'param', param: item.param })} on ${m.backend}: scalar ${item.expansion.total}, matrix ${m.value}, |difference| ${diff} > ${bound.toExponential(1)}`);
    }
    const n = item.numeric;
    if (n && !n.kink && !agrees(item.expansion.total, n.value)) {
      out.push(`${doc.naming.name({ kind: 'param', param: item.param })}: scalar ${item.expansion.total}, numeric ${n.value} (h = ${n.h}), relative error ${relativeError(item.expansion.total, n.value).toExponential(1)} > ${GRAD_CHECK_REL}`);
    }
  }
  return out;
}
