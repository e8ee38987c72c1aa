/**
 * The worked-example checker: every claim's name is resolved through the spec's notation, its value taken
 * from a source (the scalar engine, or a matrix backend), and compared with what the text prints.
 *
 * - A printed value matches when |value − printed| ≤ ½·10^−decimals (+ the source's eps); an `exact` one
 *   when |value − printed| ≤ eps. A grader's `slack` (CheckOptions, `check --slack`) puts its units of the last
 *   printed digit for the ½ (not a claim with a recorded erratum: the notes' errata stay at the printed rounding).
 * - A formula is evaluated on the scalar engine's float64 values of the names it uses, per example when the
 *   claim lists examples; it matches when |value − formula| ≤ eps (+ ½·10^−decimals when its numbers are
 *   rounded). A formula that names something the net does not have (w²₂₂ in a net with only w²₂₁) cannot
 *   be evaluated: it is wrong, with the names it lacks.
 * - A claim with an erratum is a known error: it is confirmed when the claim is wrong and the correct value
 *   (or formula) matches, and every listed reading is wrong too; otherwise the erratum is stale.
 * A name the net does not have, a claim without a value, a malformed formula: errors naming the claim,
 * raised before anything is reported — no claim is ever skipped.
 */
import { BackpropError, ClaimError, NotationError, underField } from '../errors.ts';
import { type Expr, evalExpr, parseExpr } from '../notation/expr.ts';
import { Naming, type Ref } from '../notation/names.ts';
import { ScalarEngine } from '../notation/scalar.ts';
import { symText } from '../notation/symbols.ts';
import { validateSpec } from '../spec.ts';
import { type ValueSource, scalarSource } from './sources.ts';
import { type WorkedClaim, type WorkedExample, claimField, eachClaim, isFormulaClaim, refuseLecture } from './worked.ts';

/** A claim's verdict: 'match', 'wrong', 'known-erratum' (wrong as the text prints it, its recorded correction confirmed) or 'stale-erratum' (a recorded erratum that does not hold). */
export type Status = 'match' | 'wrong' | 'known-erratum' | 'stale-erratum';

export interface Shown {
  /** The printed value, or the printed formula's value (NaN when it cannot be evaluated). */
  value: number;
  /** Names of the formula that the net does not have. */
  unresolved: string[];
}

/** One claim checked: the value from the source, what the text shows, the tolerance, the error and the status. */
export interface ClaimCheck {
  /** The claim's index in the worked example's claims (0-based). */
  index: number;
  /** The claim checked. */
  claim: WorkedClaim;
  /** The example it is about (0-based), undefined for the batch. */
  example: number | undefined;
  /** The value of the claim's name, from the source. */
  value: number;
  /** What the text shows: its printed value (or its formula's value) and the names it lacks. */
  shown: Shown;
  /** The largest |shown − value| that matches (½·10^−decimals plus the source's precision). */
  tolerance: number;
  /** Does the text's value (or formula) match? */
  matches: boolean;
  /** shown − value. */
  error: number;
  /** For a claim with an erratum: the correct value, its tolerance, whether it matches, and each listed reading. */
  erratum?: {
    /** The correct value as the erratum records it (a formula claim: the corrected formula's value). */
    correct: number;
    /** The largest |correct − value| that matches (a formula claim: the claim's tolerance). */
    correctTolerance: number;
    /** Does the correct value match the source's? */
    matchesCorrect: boolean;
    /** Each listed reading of the printed formula, evaluated (none for a numeric claim). */
    readings: (Shown & {
      /** The reading's value does not match the source's (or is not finite). */
      differs: boolean;
    })[];
  };
  /** The verdict: 'match', 'wrong', 'known-erratum' or 'stale-erratum'. */
  status: Status;
}

/** What checkWorked returns: the worked example, the source's name and one ClaimCheck per claim. */
export interface WorkedCheck {
  /** The worked example checked. */
  worked: WorkedExample;
  /** The name of the value source (the CPU engine, or a backend). */
  source: string;
  /** One check per claim, in claim order. */
  checks: ClaimCheck[];
}

/** A worked example prepared for checking: spec validated, every claim resolved, every formula parsed. */
export interface Prepared {
  worked: WorkedExample;
  engine: ScalarEngine;
  naming: Naming;
  claims: { claim: WorkedClaim; field: string; ref: Ref; examples: (number | undefined)[]; formula?: Expr; correct?: Expr; readings: Expr[] }[];
}

/** An error in the spec of a worked file names its field as spec.<field> (same class and code). */
function inSpec<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof BackpropError) || err instanceof ClaimError) throw err;
    throw underField('spec', err);
  }
}

export function prepare(worked: WorkedExample): Prepared {
  const { engine, naming } = inSpec(() => {
    const v = validateSpec(worked.spec);
    if (!v.params && !v.init) throw new ClaimError('spec.params', 'a worked example needs the parameters (params or init)');
    const naming = new Naming(v.net, worked.spec.notation);
    // The engine's errors write derivatives with the net's loss letter (∂E/∂…, not ∂L/∂…).
    return { engine: new ScalarEngine(worked.spec, { loss: symText(naming.loss) }), naming };
  });
  const lossText = symText(naming.loss);
  const claims = eachClaim(worked.claims, (claim, i) => {
    const field = claimField(i, claim);
    const ref = naming.resolve(claim.name, `${field}.name`);
    for (const c of claim.examples ?? []) if (c >= engine.n) throw new ClaimError(`${field}.examples`, `example ${c} does not exist: the batch has examples 0 … ${engine.n - 1} (0-based: the report counts from 1, its example 1 is index 0)`);
    const examples = claim.examples ?? [undefined];
    if (!isFormulaClaim(claim)) return { claim, field, ref, examples, readings: [] };
    const formula = parseExpr(claim.formula, `${field}.formula`, lossText);
    const correct = claim.erratum ? parseExpr(claim.erratum.correct, `${field}.erratum.correct`, lossText) : undefined;
    const readings = (claim.erratum?.readings ?? []).map((r, k) => parseExpr(r, `${field}.erratum.readings[${k}]`, lossText));
    return { claim, field, ref, examples, formula, correct, readings };
  });
  return { worked, engine, naming, claims };
}

/** The value of a formula on the scalar engine's numbers (names the net lacks are reported, not guessed). */
export function evalFormula(p: Prepared, e: Expr, example: number | undefined, field: string): Shown {
  const unresolved = new Set<string>();
  const lookup = (name: string): number => {
    let ref: Ref;
    try {
      ref = p.naming.resolve(name, field);
    } catch (err) {
      if (name === 'e') return Math.E;
      if (name === 'π') return Math.PI;
      if (name === 'N') return p.engine.n;
      if (err instanceof NotationError) { unresolved.add(name); return NaN; }
      throw err;
    }
    try {
      return p.engine.value(ref, example, field);
    } catch (err) {
      if (err instanceof NotationError && err.field === 'example') {
        throw new ClaimError(field, `the formula uses '${name}', a value per example, and the batch has ${p.engine.n} examples: give the claim "examples"`);
      }
      throw err;
    }
  };
  const value = evalExpr(e, lookup);
  return { value: unresolved.size > 0 ? NaN : value, unresolved: [...unresolved] };
}

function status(matches: boolean, erratum: ClaimCheck['erratum']): Status {
  if (!erratum) return matches ? 'match' : 'wrong';
  return !matches && erratum.matchesCorrect && erratum.readings.every((r) => r.differs) ? 'known-erratum' : 'stale-erratum';
}

const half = (decimals: number): number => 0.5 * 10 ** -decimals;

/** How checkWorked and checkPrepared judge a claim. */
export interface CheckOptions {
  /**
   * How far a claim's printed value or formula may be from the engine's, in units of its last printed digit:
   * 0.5 (the default) is the printed rounding itself; a grader allowing for a hand computation that rounded every
   * intermediate value to the printed decimals gives more (1, 2). 0.5 … 100; an `exact` claim stays exact, and a
   * claim with a recorded erratum, its correct value and its readings keep the printed rounding (the errata are the
   * notes', not the grader's: widened, a recorded slip a unit off matched and its erratum was stale).
   */
  slack?: number;
}

/** The largest slack: past 100 units of the last digit a claim's decimals say nothing. */
export const MAX_SLACK = 100;

/** `opts.slack` checked (a ClaimError naming `slack`), or 0.5 where none is given. */
function slackOf(opts: CheckOptions | undefined): number {
  if (opts === undefined) return 0.5;
  if (typeof opts !== 'object' || opts === null) throw new ClaimError('options', `must be an object {slack?}, got ${opts === null ? 'null' : typeof opts}`);
  const s = opts.slack;
  if (s === undefined) return 0.5;
  if (typeof s !== 'number' || !(s >= 0.5 && s <= MAX_SLACK)) throw new ClaimError('slack', `must be a number of units of the last printed digit, 0.5 (the printed rounding) … ${MAX_SLACK}, got ${typeof s === 'number' ? String(s) : typeof s}`);
  return s;
}

/**
 * Check every claim of a prepared worked example against a value source (default: the scalar engine); `opts.slack`
 * widens every claim's tolerance to that many units of its last printed digit (CheckOptions).
 */
export function checkPrepared(p: Prepared, source: ValueSource = scalarSource(p.engine), opts?: CheckOptions): WorkedCheck {
  const slack = slackOf(opts);
  // A claim with a recorded erratum is the notes' (wrong at its printed rounding, as recorded), not the grader's: it
  // keeps ½ unit whatever the slack, or one a unit off (lecture 001's new w6 = 0.4499) matched and its erratum was stale.
  const unit = (decimals: number, claim: WorkedClaim): number => (claim.erratum ? 0.5 : slack) * 10 ** -decimals;
  const checks: ClaimCheck[] = [];
  p.claims.forEach((c, index) => {
    for (const example of c.examples) {
      let value: number;
      try {
        value = source.value(c.ref, example, `${c.field}.name`);
      } catch (err) {
        if (err instanceof NotationError && err.field === 'example') {
          throw new ClaimError(`${c.field}.examples`, `'${c.claim.name}' is a value per example and the batch has ${p.engine.n} examples: give the claim "examples"`);
        }
        throw err;
      }
      const claim = c.claim;
      if (!isFormulaClaim(claim)) {
        const tolerance = (claim.exact ? 0 : unit(claim.decimals, claim)) + source.eps(claim.printed);
        const matches = Math.abs(value - claim.printed) <= tolerance;
        let erratum: ClaimCheck['erratum'];
        if (claim.erratum) {
          const correctTolerance = half(claim.erratum.correctDecimals) + source.eps(claim.erratum.correct);
          erratum = { correct: claim.erratum.correct, correctTolerance, matchesCorrect: Math.abs(value - claim.erratum.correct) <= correctTolerance, readings: [] };
        }
        checks.push({ index, claim, example, value, shown: { value: claim.printed, unresolved: [] }, tolerance, matches, error: claim.printed - value, erratum, status: status(matches, erratum) });
        continue;
      }
      const tol = (v: number) => (claim.decimals === undefined ? 0 : unit(claim.decimals, claim)) + source.eps(v);
      const shown = evalFormula(p, c.formula!, example, `${c.field}.formula`);
      const tolerance = tol(value);
      const matches = Number.isFinite(shown.value) && Math.abs(value - shown.value) <= tolerance;
      let erratum: ClaimCheck['erratum'];
      if (claim.erratum) {
        // `tolerance` is the printed rounding's here, whatever the slack (unit): so are the correction's and the readings'.
        const correct = evalFormula(p, c.correct!, example, `${c.field}.erratum.correct`);
        if (correct.unresolved.length > 0) throw new ClaimError(`${c.field}.erratum.correct`, `the corrected formula names ${correct.unresolved.join(', ')}, which this net does not have`);
        const readings = c.readings.map((r, k) => {
          const s = evalFormula(p, r, example, `${c.field}.erratum.readings[${k}]`);
          return { ...s, differs: !Number.isFinite(s.value) || Math.abs(value - s.value) > tolerance };
        });
        erratum = { correct: correct.value, correctTolerance: tolerance, matchesCorrect: Math.abs(value - correct.value) <= tolerance, readings };
      }
      checks.push({ index, claim, example, value, shown, tolerance, matches, error: shown.value - value, erratum, status: status(matches, erratum) });
    }
  });
  return { worked: p.worked, source: source.name, checks };
}

/**
 * Check every claim of a worked example against a value source (default: the scalar engine, in float64; scalarSource / matrixSource for another). Every claim is looked at before an error, which names the first claim and lists the others.
 * @throws {ClaimError} naming `worked` when it is not a parsed worked example (a lecture is told to pass `lecture(id).worked`), or a malformed claim;
 * naming `source` when it is not a function (a ValueSource itself is told to pass `p => it`) or what it returns is not a ValueSource.
 * @throws {NotationError} a claim's name that does not resolve (`claims[3].name`).
 * @throws {SpecError} the spec's errors (and ShapeError, NonFiniteError, …: same class) named under `spec.` (`spec.layers[0].units`).
 */
export function checkWorked(worked: WorkedExample, source?: (p: Prepared) => ValueSource, opts?: CheckOptions): WorkedCheck {
  refuseLecture(worked, 'worked');
  slackOf(opts);
  if (typeof worked !== 'object' || worked === null || !Array.isArray(worked.claims)) {
    throw new ClaimError('worked', `must be a worked example (parseWorked's result: {spec, claims, …}), got ${worked === null ? 'null' : typeof worked}`);
  }
  if (source !== undefined && typeof source !== 'function') {
    const isSource = typeof source === 'object' && source !== null && typeof (source as Partial<ValueSource>).value === 'function';
    throw new ClaimError('source', `must be a function (p) => ValueSource (p => scalarSource(p.engine), p => matrixSource(…)) or undefined (the scalar engine), got ${isSource ? 'a ValueSource object: pass p => it' : source === null ? 'null' : typeof source}`);
  }
  const p = prepare(worked);
  return checkPrepared(p, source === undefined ? undefined : madeSource(source(p)), opts);
}

/** What checkWorked's `source` made, checked to be a ValueSource before any claim is looked at. */
function madeSource(s: unknown): ValueSource {
  const v = s as Partial<ValueSource> | null;
  if (typeof v !== 'object' || v === null || typeof v.name !== 'string' || typeof v.value !== 'function' || typeof v.eps !== 'function') {
    throw new ClaimError('source', `must return a ValueSource {name, value(ref, example, field), eps(v)}, got ${v === null ? 'null' : typeof v !== 'object' ? typeof v : `an object with ${Object.keys(v).join(', ') || 'no keys'}`}`);
  }
  return v as ValueSource;
}

/** Exit status of `backprop check`: 1 when a claim is wrong (with knownOk: unless it is a confirmed, recorded erratum). */
export function failed(results: WorkedCheck[], knownOk = false): boolean {
  return results.some((r) => r.checks.some((c) => c.status === 'wrong' || c.status === 'stale-erratum' || (!knownOk && c.status === 'known-erratum')));
}
