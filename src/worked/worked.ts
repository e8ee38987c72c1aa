/**
 * Worked-example files: a network spec (with its notation) and the claims a text makes about it — each a
 * name in the spec's notation and the value printed at the rounding printed, or a formula as printed — and,
 * where the text is wrong, the erratum (the correct value or formula, and why). Format: README, "Worked
 * examples". Validation here is structural; names are resolved by the checker (src/worked/check.ts).
 */
import { describe } from '../checks.ts';
import { BackpropError, ClaimError, SpecError } from '../errors.ts';
import { checkKnownKeys } from '../suggest.ts';
import type { NetworkSpec } from '../spec.ts';

/** The `format` a worked-example file must carry: "backprop-worked-example/1" (README, "Worked examples and check"). */
export const WORKED_FORMAT = 'backprop-worked-example/1';

export interface NumericErratum {
  /** The value the text should have printed (at correctDecimals). */
  correct: number;
  correctDecimals: number;
  why: string;
  /** Why the notes themselves may be right after all (a garbled OCR the transcription rests on, a truncation, not a slip): the erratum is then confirmed as transcribed only. */
  doubt?: string;
}

export interface FormulaErratum {
  /** The formula the text should have printed. */
  correct: string;
  /** Other readings of a garbled printed formula; each must be wrong too. */
  readings?: string[];
  why: string;
  /** As NumericErratum's: why the notes themselves may be right (a reading the OCR leaves open under which the claim matches). */
  doubt?: string;
}

interface ClaimCommon {
  /** What is claimed, in the spec's notation: "∂L/∂w5", "new w5", "a_h1", "∂ŷ/∂z_out", "L", "trainable parameters". */
  name: string;
  /** Check per example (names then mean that example's values; ∂L/∂p is ∂L_c/∂p). Default: the batch. */
  examples?: number[];
  /** Where the text prints it. */
  line?: number;
  /** The text's words where it prints it. */
  quote?: string;
  /** A remark on the claim. */
  note?: string;
}

/** A claim of a printed number: `printed` at `decimals` decimals, matching when |value − printed| ≤ ½·10^−decimals. */
export interface NumericClaim extends ClaimCommon {
  /** The number as the text prints it. */
  printed: number;
  /** The decimals it is printed at: it matches when |value − printed| ≤ ½·10^−decimals. */
  decimals: number;
  /** The printed value is exact (hand arithmetic on small integers): compared at the engine's precision. */
  exact?: boolean;
  /** A known error in the printed number: the value it should have printed and why. */
  erratum?: NumericErratum;
}

/** A claim of a printed formula, in the spec's names, evaluated on the net and compared with the claim's value. */
export interface FormulaClaim extends ClaimCommon {
  /** The formula as printed, in the spec's names (src/notation/expr.ts). */
  formula: string;
  /** The formula's numbers are rounded to this many decimals: compared at ½·10^−decimals. Default: exact. */
  decimals?: number;
  /** A known error in the printed formula: the formula it should have printed and why. */
  erratum?: FormulaErratum;
}

/** One claim a text makes about its net: a printed number or a printed formula. */
export type WorkedClaim = NumericClaim | FormulaClaim;

export interface Typo {
  line: number;
  quote: string;
  note: string;
}

/** A worked-example file (parseWorked's result): a spec and the claims a text makes about it, with its errata and typos. */
export interface WorkedExample {
  /** The worked-example format version (WORKED_FORMAT). */
  format: typeof WORKED_FORMAT;
  /** A short id ("lecture-2-2-1"). */
  id: string;
  /** A title for the example. */
  title: string;
  /** The text the claims come from (a path as a plain string; nothing reads it). */
  source: string;
  /** What the example shows. */
  description: string;
  /** The network spec the claims are about. */
  spec: NetworkSpec;
  /** The claims, in the order the text makes them. */
  claims: WorkedClaim[];
  /** Slips and remarks that change no number (wrong labels, garbled symbols, a note on the text): recorded by hand, not checked. */
  typos?: Typo[];
}

export function isFormulaClaim(c: WorkedClaim): c is FormulaClaim {
  return 'formula' in c;
}

const TOP_KEYS = ['format', 'id', 'title', 'source', 'description', 'spec', 'claims', 'typos'];
const CLAIM_KEYS = ['name', 'printed', 'decimals', 'exact', 'formula', 'examples', 'line', 'quote', 'note', 'erratum'];
const NUMERIC_ERRATUM_KEYS = ['correct', 'correctDecimals', 'why', 'doubt'];
const FORMULA_ERRATUM_KEYS = ['correct', 'readings', 'why', 'doubt'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isDecimals = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 15;

/** The decimals a number is written with, as JSON gives it back (its shortest round-trip decimal: 0.4500 is 0.45, 2). */
export function writtenDecimals(v: number): number {
  const [mantissa, exp] = String(Math.abs(v)).split('e');
  return Math.max(0, (mantissa.split('.')[1] ?? '').length - Number(exp ?? 0));
}

/**
 * A ClaimError naming `field` when `value` has more decimals than `decimals` says it is printed at: `printed` is the
 * value as the text prints it, so −0.1079529 at 4 decimals is a slip in one of them (judged at 4 decimals it would be
 * shown, and checked, as −0.1080, a value the file does not hold). Fewer is fine: JSON drops trailing zeros (0.4500).
 */
function checkWritten(value: number, decimals: number, field: string, decimalsKey: string): void {
  const d = writtenDecimals(value);
  if (d > decimals) {
    throw new ClaimError(field, `${JSON.stringify(value)} has ${d} decimals, ${decimalsKey} says ${decimals}: give the value as printed (${value.toFixed(decimals)} at ${decimals}) or the decimals it is printed at (${decimalsKey}: ${d})`);
  }
}

/** The field name of a claim in messages: claims[3] ("∂L/∂w5"). */
export function claimField(i: number, c: { name?: unknown }): string {
  return `claims[${i}]${typeof c?.name === 'string' ? ` ("${c.name}")` : ''}`;
}

function checkClaim(raw: unknown, i: number): WorkedClaim {
  if (!isRecord(raw)) throw new ClaimError(`claims[${i}]`, 'must be an object {name, printed, decimals} or {name, formula}');
  const f = claimField(i, raw);
  checkKnownKeys(raw, CLAIM_KEYS, `${f}.`, `a claim has ${CLAIM_KEYS.join(', ')}`, ClaimError);
  if (raw.name !== undefined && typeof raw.name !== 'string') throw new ClaimError(`claims[${i}].name`, `must be a string (what the claim is about, e.g. "∂L/∂w5"), got ${describe(raw.name)}`);
  if (typeof raw.name !== 'string' || raw.name.trim() === '') throw new ClaimError(`claims[${i}].name`, 'every claim needs a name (what it is about, e.g. "∂L/∂w5")');
  const hasPrinted = raw.printed !== undefined;
  const hasFormula = raw.formula !== undefined;
  if (!hasPrinted && !hasFormula) throw new ClaimError(f, 'the claim has no value: give printed (and decimals), or formula');
  if (hasPrinted && hasFormula) throw new ClaimError(f, 'give printed or formula, not both');
  if (raw.examples !== undefined && !(Array.isArray(raw.examples) && raw.examples.length > 0 && raw.examples.every((c) => Number.isInteger(c) && (c as number) >= 0))) {
    throw new ClaimError(`${f}.examples`, 'must be a non-empty array of example indices (0-based)');
  }
  // The first index given before (a Set: indexOf for each was quadratic, 16 s on a link's 200 000 indices).
  const seen = new Set<number>();
  const twice = (raw.examples as number[] | undefined)?.find((c) => seen.has(c) || (seen.add(c), false));
  if (twice !== undefined) throw new ClaimError(`${f}.examples`, `example ${twice} is given twice`);
  if (raw.line !== undefined && !(Number.isInteger(raw.line) && (raw.line as number) > 0)) throw new ClaimError(`${f}.line`, 'must be a positive integer');
  for (const key of ['quote', 'note'] as const) if (raw[key] !== undefined && typeof raw[key] !== 'string') throw new ClaimError(`${f}.${key}`, 'must be a string');
  const e = raw.erratum;
  if (e !== undefined) {
    if (!isRecord(e)) throw new ClaimError(`${f}.erratum`, 'must be an object {correct, …, why}');
    if (typeof e.why !== 'string' || e.why.trim() === '') throw new ClaimError(`${f}.erratum.why`, 'an erratum says why the text is wrong');
    if (e.doubt !== undefined && (typeof e.doubt !== 'string' || e.doubt.trim() === '')) throw new ClaimError(`${f}.erratum.doubt`, `a doubt says why the notes may be right after all (a non-empty string), got ${describe(e.doubt)}`);
  }
  if (hasPrinted) {
    if (typeof raw.printed !== 'number' || !Number.isFinite(raw.printed)) throw new ClaimError(`${f}.printed`, `must be a finite number, got ${describe(raw.printed)}`);
    if (!isDecimals(raw.decimals)) throw new ClaimError(`${f}.decimals`, `the rounding the value is printed at is needed (an exact value too): an integer 0 … 15, got ${describe(raw.decimals)}`);
    checkWritten(raw.printed, raw.decimals, `${f}.printed`, 'decimals');
    if (raw.exact !== undefined && typeof raw.exact !== 'boolean') throw new ClaimError(`${f}.exact`, 'must be true or false');
    if (isRecord(e)) {
      checkKnownKeys(e, NUMERIC_ERRATUM_KEYS, `${f}.erratum.`, 'a numeric erratum has correct, correctDecimals, why, doubt', ClaimError);
      if (typeof e.correct !== 'number' || !Number.isFinite(e.correct)) throw new ClaimError(`${f}.erratum.correct`, 'must be the correct value (a number)');
      if (!isDecimals(e.correctDecimals)) throw new ClaimError(`${f}.erratum.correctDecimals`, 'must be an integer 0 … 15');
      checkWritten(e.correct, e.correctDecimals, `${f}.erratum.correct`, 'correctDecimals');
    }
  } else {
    if (typeof raw.formula !== 'string' || raw.formula.trim() === '') throw new ClaimError(`${f}.formula`, 'must be the formula as printed (a string)');
    if (raw.decimals !== undefined && !isDecimals(raw.decimals)) throw new ClaimError(`${f}.decimals`, 'must be an integer 0 … 15');
    if (raw.exact !== undefined) throw new ClaimError(`${f}.exact`, 'only a printed value can be exact');
    if (isRecord(e)) {
      checkKnownKeys(e, FORMULA_ERRATUM_KEYS, `${f}.erratum.`, 'a formula erratum has correct, readings, why, doubt', ClaimError);
      if (typeof e.correct !== 'string' || e.correct.trim() === '') throw new ClaimError(`${f}.erratum.correct`, 'must be the correct formula (a string)');
      if (e.readings !== undefined && !(Array.isArray(e.readings) && e.readings.every((r) => typeof r === 'string'))) throw new ClaimError(`${f}.erratum.readings`, 'must be an array of formulas');
    }
  }
  return raw as unknown as WorkedClaim;
}

/**
 * `check` on every claim in turn, so that a file's mistakes are reported at once, not one a run: the first claim's
 * error is thrown (its class, code and field), its message followed by each other claim's.
 */
export function eachClaim<C, T>(claims: readonly C[], check: (claim: C, i: number) => T): T[] {
  const out: T[] = [];
  const errors: BackpropError[] = [];
  for (let i = 0; i < claims.length; i++) {
    try {
      out.push(check(claims[i]!, i));
    } catch (err) {
      if (!(err instanceof BackpropError)) throw err;
      errors.push(err);
    }
  }
  const [first, ...rest] = errors;
  if (!first) return out;
  if (rest.length > 0) first.message += `\n  and ${rest.length} more claim${rest.length === 1 ? '' : 's'} to fix:\n${rest.map((e) => `  ${e.message}`).join('\n')}`;
  throw first;
}

/**
 * A ClaimError naming `format` unless a worked-example file's format is this version (check and explain both refuse
 * another); one left out is said to be missing (a hand-made {spec, claims} file read "got undefined").
 */
export function checkWorkedFormat(raw: Record<string, unknown>): void {
  if (raw.format === undefined) throw new ClaimError('format', `missing: a worked-example file gives its format, "format": "${WORKED_FORMAT}"`);
  if (raw.format !== WORKED_FORMAT) throw new ClaimError('format', `must be "${WORKED_FORMAT}", got ${describe(raw.format)}`);
}

/**
 * Throws a ClaimError (or `Err`, the class the caller throws for a bad argument: a spec's SpecError) naming `field`
 * when raw is a lecture of backprop-webgpu/lectures — {id, file, worked}, what lecture(id) returns, as an object or
 * written to a file — where its worked example belongs: passed as it is, a lecture was refused as a spec with an
 * unknown key `id`, as a worked example with "got object" or an unknown key `file`.
 */
export function refuseLecture(raw: unknown, field: string, Err: typeof ClaimError | typeof SpecError = ClaimError): void {
  if (isRecord(raw) && Object.hasOwn(raw, 'worked') && Object.hasOwn(raw, 'id') && !Object.hasOwn(raw, 'claims')) {
    const id = typeof raw.id === 'string' ? raw.id : 'ID';
    throw new Err(field, `this is a lecture {id, file, worked} (what lecture('${id}') returns), not a worked example or a spec: use its worked example, lecture('${id}').worked`);
  }
}

/**
 * Check a worked-example file's structure (not its names: the checker resolves those) and return it typed; every
 * claim is looked at before an error, which names the first and lists the others.
 * @param file how an error about the whole of `raw` names it: the file it was read from (the CLI, a lecture); by
 *   default `worked`, as checkWorked names its argument (a field is an argument's name or a path in it, no spaces)
 * @throws {ClaimError} naming the key or claim (`claims[3].printed`, `spec`, `format`); a network spec or a lecture given instead is told what to pass (naming `worked`, or the file).
 */
export function parseWorked(raw: unknown, file = 'worked'): WorkedExample {
  refuseLecture(raw, file);
  if (!isRecord(raw)) throw new ClaimError(file, 'a worked-example file is a JSON object {format, id, title, source, description, spec, claims}');
  if (!Object.hasOwn(raw, 'claims') && !Object.hasOwn(raw, 'format') && (Object.hasOwn(raw, 'layers') || Object.hasOwn(raw, 'inputs'))) {
    throw new ClaimError(file, `this is a network spec, not a worked example: a worked-example file is {format: "${WORKED_FORMAT}", id, title, source, description, spec, claims} with the network spec under spec (README, "Worked examples")`);
  }
  checkKnownKeys(raw, TOP_KEYS, '', `a worked example has ${TOP_KEYS.join(', ')}`, ClaimError);
  checkWorkedFormat(raw);
  for (const key of ['id', 'title', 'source', 'description'] as const) {
    if (typeof raw[key] !== 'string' || (raw[key] as string).trim() === '') throw new ClaimError(key, 'must be a non-empty string');
  }
  if (!isRecord(raw.spec)) throw new ClaimError('spec', 'must be a network spec (an object)');
  if (!Array.isArray(raw.claims) || raw.claims.length === 0) throw new ClaimError('claims', 'must be a non-empty array');
  eachClaim(raw.claims, checkClaim); // by index: a hole is a claim (undefined), refused
  if (raw.typos !== undefined) {
    if (!Array.isArray(raw.typos)) throw new ClaimError('typos', 'must be an array of {line, quote, note}');
    raw.typos.forEach((t, i) => {
      if (!isRecord(t) || !Number.isInteger(t.line) || typeof t.quote !== 'string' || typeof t.note !== 'string') throw new ClaimError(`typos[${i}]`, 'must be {line, quote, note}');
    });
  }
  return raw as unknown as WorkedExample;
}
