/**
 * The helpers every check of a caller's value shares: what a value is (isObject, isFloat32), how a bad one is shown in
 * a message (describe, shapeOf, float32Text), what a caught error says (messageOf, namedMessageOf, shownMessageOf),
 * reading an array's elements once (elementsOf), the option checks of a choice (oneOf) and of an options object
 * (checkOptions), an integer in a range (integerIn) and a number finite as float32 (float32, with FLOAT32_MAX). A leaf (it imports only errors.ts, suggest.ts and
 * data.ts), so that src/spec.ts, the backends, src/train/, src/lab/ and bench/ can all use it without a cycle.
 */
import { NonFiniteError, SpecError } from './errors.ts';
import { typedArrayKind, typedLength } from './data.ts';
import { unknownKeyError, valueGuess } from './suggest.ts';

/** A plain object: not null, not an array. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `v` if it is one of `allowed`, else a SpecError naming `field` that lists them (and the one `v` was likely meant as: valueGuess). */
export function oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new SpecError(field, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(v)}${valueGuess(v, allowed)}`);
  }
  return v as T;
}

/**
 * An options argument (of a backend's create, Model.create): undefined (→ {}) or a plain object whose keys are all in
 * `known` or `internal`. SpecError naming the argument (`field`) or the unknown key (`prefix` + key) otherwise; its
 * list of known options is `known` alone (`internal` ones are the library's own, not offered to users).
 */
export function checkOptions(v: unknown, field: string, known: readonly string[], prefix = '', internal: readonly string[] = []): Record<string, unknown> {
  if (v === undefined) return {};
  if (!isObject(v)) throw new SpecError(field, `must be an object, got ${describe(v)}`);
  for (const key of Object.keys(v)) {
    if (!known.includes(key) && !internal.includes(key)) throw unknownKeyError(key, known, prefix, `known: ${known.join(', ')}`, SpecError, 'unknown option');
  }
  return v;
}

/** A number finite as float32 (what float32() accepts without a word): the loops' cheap test before naming an element. */
export function isFloat32(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(Math.fround(v));
}

/**
 * The shortest decimal whose float32 is `v` (a float32 value): how a value stored as float32 is shown, so that a
 * label given as −1e-4 reads −0.0001 and not −0.00009999999747378752 (Math.fround(−1e-4) printed as a float64).
 */
export function float32Text(v: number): number {
  for (let p = 1; p <= 9; p++) {
    const d = Number(v.toPrecision(p));
    if (Math.fround(d) === v) return d;
  }
  return v;
}

/** A short description of a bad value for a message (JSON.stringify says "null" for Infinity and NaN). */
export function describe(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number' || typeof v === 'boolean' || v === undefined) return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (v === null) return 'null';
  // A typed array of the wrong kind says which (a Float64Array where a Float32Array belongs), not just "object". By
  // the intrinsic getters (data.ts), never the value's own `constructor` or `length`, which may be absent or throw:
  // this builds a typed error's message, and must not throw instead.
  const kind = typedArrayKind(v);
  if (kind) return `${/^[AEIO]/.test(kind) ? 'an' : 'a'} ${kind} of length ${typedLength(v)}`; // an Int8Array, a Uint8Array
  if (v instanceof DataView) return 'a DataView';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/**
 * What a caught value says, for a message that wraps it ("requestDevice failed: …"): an Error's `message` alone (not
 * its name), anything else thrown as String() writes it. The one spelling of
 * `err instanceof Error ? err.message : String(err)`.
 */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * What a caught value says with an Error's name before its message ("OperationError: …"), where the name tells the
 * reader which kind of error it was (a DOMException from the adapter or device request; a row's error in the bench).
 */
export function namedMessageOf(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** What namedMessageOf writes before a plain Error's message: it says only that it is an error, as the line around it does. */
const PLAIN_ERROR = 'Error: ';

/** namedMessageOf's text of an error with an empty (or blank) message: its name, then ": " and nothing. */
const NAME_ONLY = /^([A-Za-z_$][\w$]*):\s*$/;

/**
 * A caught value's text as a reader is shown it, one prefix rule for the lab and the bench: a named error's name before
 * its message ("SpecError: …", "OperationError: …": which kind it was), a plain Error's message alone ("error: Error:
 * jax-js could not start …", "Fit failed — Error: boom" said it twice), anything else thrown as String() writes it.
 */
export function shownMessageOf(err: unknown): string {
  return withoutPlainError(namedMessageOf(err));
}

/**
 * namedMessageOf's text kept as a string (a bench row's `error`, a worker's answer) as shownMessageOf shows it: without
 * a plain Error's "Error: ". An error without a message reads as its name alone: new Error() "Error", not nothing
 * ("Fit failed — "), new TypeError() "TypeError", not "TypeError: " with nothing after.
 */
export function withoutPlainError(text: string): string {
  const bare = NAME_ONLY.exec(text);
  if (bare) return bare[1];
  return text.startsWith(PLAIN_ERROR) ? text.slice(PLAIN_ERROR.length) : text;
}

/** Array nesting shown in a shape before it is cut with "…" (shapeOf iterates: any depth is safe). */
const SHAPE_DEPTH = 8;

/** The shape of a (nested) array along its first elements, e.g. "[3][2]"; "Float64Array(6)" for a typed array; "number" for a non-array. */
export function shapeOf(v: unknown): string {
  if (!Array.isArray(v)) {
    const kind = typedArrayKind(v);
    return kind ? `${kind}(${typedLength(v)})` : v === null ? 'null' : typeof v;
  }
  let out = '';
  let cur: unknown = v;
  for (let depth = 0; Array.isArray(cur); depth++) {
    if (depth === SHAPE_DEPTH) return `${out}…`;
    out += `[${cur.length}]`;
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return out;
}

/**
 * The elements of an array, each read once (its length once): a plain copy of the list, or undefined for a non-array
 * or one longer than `most` (the most the caller takes: the layers of params, a bias's units), which the caller then
 * refuses by its shape. NOTE: the bound comes before the copy: a sparse `[]` with `length = 2 ** 32 - 1` was copied
 * element by element, and the copy past V8's largest array ended the process (a fatal "invalid size error", no
 * exception); 1e8 took seconds and gigabytes before the ShapeError.
 */
export function elementsOf(v: unknown, most: number): unknown[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const length: unknown = v.length;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > most) return undefined;
  const out: unknown[] = [];
  for (let i = 0; i < length; i++) out.push(v[i]);
  return out;
}

/**
 * `v` if it is an integer lo … hi (a bound may be ±Infinity), else a SpecError naming `field`: "must be a positive
 * integer" (1 … ∞), "a non-negative integer" (0 … ∞), "an integer" (unbounded) or "an integer lo … hi", then `note`
 * in parentheses when given, then what it got. The one integer option check of the engine.
 */
export function integerIn(v: unknown, field: string, lo: number, hi: number, note?: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi) return v;
  const range = hi !== Infinity ? (lo === -Infinity ? `an integer ≤ ${hi}` : `an integer ${lo} … ${hi}`)
    : lo === 1 ? 'a positive integer'
      : lo === 0 ? 'a non-negative integer'
        : lo === -Infinity ? 'an integer' : `an integer ≥ ${lo}`;
  // Left out, it is said to be missing (it read "got undefined": a spec file without inputs, in the lab and the CLI).
  throw new SpecError(field, `must be ${range}${note ? ` (${note})` : ''}, ${v === undefined ? 'missing' : `got ${describe(v)}`}`);
}

/** The largest finite float32, 3.4028234663852886e38: larger magnitudes are stored as ±Infinity. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * A number that is finite as float32 (what every array stores): NaN, ±Infinity and |v| past the float32 range
 * are a NonFiniteError naming `field`. Checked on the value as stored (Math.fround), not on the float64 given.
 */
export function float32(v: unknown, field: string): number {
  if (typeof v !== 'number') throw new SpecError(field, `must be a number, got ${describe(v)}`);
  if (!Number.isFinite(v)) throw new NonFiniteError(field, v);
  if (!Number.isFinite(Math.fround(v))) throw new NonFiniteError(field, v, `outside the float32 range (|v| ≤ ${FLOAT32_MAX}): it would be stored as ${Math.fround(v)}`);
  return v;
}
