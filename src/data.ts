/**
 * The forms x and y come in — rows (number[][]) or {examples, data} (example-major) — read ONCE: one definition
 * that the resource budget counts from and the conversion (spec.ts toColumns) converts from, so that the count
 * checked is the count converted. A getter, a Proxy or a class instance is asked for each property once; what it
 * answers then is what the engine uses.
 *
 * And typed arrays read through %TypedArray%.prototype's own getters (brand, length) and copied by the engine
 * (new Float32Array(src)): a subclass overriding length, slice or Symbol.species, or a Proxy, cannot make the
 * values checked differ from the values used.
 */
import { ShapeError, SpecError } from './errors.ts';
import { checkKnownKeys } from './suggest.ts';
import type { Net } from './spec.ts';

const TypedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
const tagGetter = Object.getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag)!.get!;
const lengthGetter = Object.getOwnPropertyDescriptor(TypedArrayProto, 'length')!.get!;

/** 'Float32Array', 'Float64Array', … for a real typed array (a subclass's instance included), else undefined. */
export function typedArrayKind(v: unknown): string | undefined {
  return tagGetter.call(v) as string | undefined;
}

/** The length of a real typed array (typedArrayKind(v) defined), not what a subclass's `length` says. */
export function typedLength(v: unknown): number {
  return lengthGetter.call(v) as number;
}

/**
 * A Float32Array copy of a real Float32Array `v` (typedArrayKind 'Float32Array'), made from its internal length and
 * values: no `slice`, `constructor`, Symbol.species or `length` of the caller's is used. A detached one reads as empty.
 */
export function copyFloat32(v: Float32Array): Float32Array {
  return typedLength(v) === 0 ? new Float32Array(0) : new Float32Array(v);
}

/** x or y as read once: its form, its example count (0 when malformed: the conversion names the problem) and its parts. */
export type DataRead =
  | { readonly form: 'rows'; readonly count: number; readonly rows: readonly unknown[] | ArrayLike<unknown> }
  | { readonly form: 'examples'; readonly count: number; readonly examples: unknown; readonly data: unknown }
  | { readonly form: 'other'; readonly count: 0; readonly value: unknown };

const reads = new WeakSet<object>();

/** The keys of the {examples, data} form. */
const EXAMPLE_KEYS = ['examples', 'data'];

/**
 * Read x or y once. An array is rows (its length read once); a non-array object with `examples` or `data` (own or
 * inherited: a class's getters count) is the {examples, data} form, each read once, its own keys other than those
 * two refused (a SpecError naming `${field}.key`); anything else is 'other' (count 0; the conversion refuses it).
 * A DataRead given again is returned as it is.
 */
export function readData(input: unknown, field: string): DataRead {
  if (typeof input === 'object' && input !== null && reads.has(input)) return input as DataRead;
  let out: DataRead;
  if (Array.isArray(input)) {
    const length: unknown = input.length; // a Proxy's answer: checked like any other
    out = typeof length === 'number' && Number.isInteger(length) && length >= 0 ? { form: 'rows', count: length, rows: input } : { form: 'other', count: 0, value: input };
  } else if (typeof input === 'object' && input !== null && ('examples' in input || 'data' in input)) {
    checkKnownKeys(input, EXAMPLE_KEYS, `${field}.`, 'the example-major form has examples and data', SpecError);
    const { examples, data } = input as { examples?: unknown; data?: unknown };
    const count = typeof examples === 'number' && Number.isInteger(examples) && examples > 0 ? examples : 0;
    out = { form: 'examples', count, examples, data };
  } else {
    out = { form: 'other', count: 0, value: input };
  }
  reads.add(out);
  return out;
}

/** How a call takes x and y, as checkGiven words its error. */
export interface DataCall {
  /** The call as the message names it: 'grad', 'evaluate', "fit's validation data", 'the spec'. */
  readonly call: string;
  /** 'validation.' for fit's validation data; '' (the default) otherwise. */
  readonly prefix?: string;
  /** Both may be left out (undefined): train, step, grad and fit then run on the model's batch; a spec has none. */
  readonly optional?: boolean;
  /** What giving neither of an optional pair does, ending its message: "give neither for the model's batch" by default. */
  readonly neither?: string;
}

/** The shape a call's x or y must have: `[examples][inputs]` or `[examples][output units]`. */
function wanted(net: Net, side: 'x' | 'y'): string {
  return `[examples][${side === 'x' ? net.inputs : net.layers[net.layers.length - 1].units}]`;
}

const WHAT = { x: 'the inputs', y: 'the labels' } as const;
const absent = (v: unknown): boolean => v === undefined || v === null;

/**
 * One input of a call, there before anything is read: left out (undefined or null), a ShapeError naming it
 * (`prefix` + side) and saying it is missing — `x: missing — predict needs the inputs (expected shape [examples][2])`
 * — not a shape "got undefined". predict's x alone, and each of a pair that must be given (checkGiven).
 */
export function checkPresent(net: Net, side: 'x' | 'y', value: unknown, call: string, prefix = ''): void {
  if (!absent(value)) return;
  const expected = wanted(net, side);
  throw new ShapeError(`${prefix}${side}`, expected, String(value), `${call} needs ${WHAT[side]} (expected shape ${expected})`);
}

/**
 * x and y of a call, checked for being there before anything is read or counted: the one check of train, step, grad,
 * fit (its data and its validation data), evaluate and the spec (validateSpec). One left out (undefined or null) is
 * refused naming it and saying that it is missing, with the shape wanted — `y: missing — evaluate needs the labels
 * (expected shape [examples][2])` — not as a shape "got undefined". The class is the one each case had before: a
 * ShapeError, except one of an `optional` pair left undefined, a SpecError (an option given without its partner).
 * Returns false for an optional pair both undefined (the model's batch), true when both are given.
 */
export function checkGiven(net: Net, x: unknown, y: unknown, how: DataCall): boolean {
  const { call, prefix = '', optional = false, neither = "give neither for the model's batch" } = how;
  if (!optional) {
    checkPresent(net, 'x', x, call, prefix);
    checkPresent(net, 'y', y, call, prefix);
    return true;
  }
  if (x === undefined && y === undefined) return false;
  // One of the pair undefined first (the pair rule), then either one null.
  const left = x === undefined ? 'x' : y === undefined ? 'y' : x === null ? 'x' : y === null ? 'y' : undefined;
  if (left === undefined) return true;
  const [value, other, otherValue] = left === 'x' ? [x, 'y', y] : [y, 'x', x];
  const expected = wanted(net, left);
  // "with y" only where y was given: grad(null) is told the labels are missing, not that they go with an x it lacks.
  const words = `${call} needs ${WHAT[left]}${absent(otherValue) ? '' : ` with ${other}`} (expected shape ${expected}); ${neither}`;
  if (value === undefined) throw new SpecError(`${prefix}${left}`, `missing — ${words}`);
  throw new ShapeError(`${prefix}${left}`, expected, String(value), words);
}
