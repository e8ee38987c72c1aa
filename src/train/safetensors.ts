/**
 * The safetensors format (https://huggingface.co/docs/safetensors): an 8-byte little-endian header length N,
 * N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__: {string: string}} (padded
 * with spaces to a multiple of 8), then the tensors' bytes (offsets relative to the end of the header).
 * Only what checkpoints use: F32 and I64 tensors, little-endian.
 */
import { SpecError } from '../errors.ts';
import { describe, oneOf } from '../checks.ts';
import { checkKnownKeys } from '../suggest.ts';
import { typedArrayKind, typedLength } from '../data.ts';

/** A safetensors tensor (exported as SafetensorsTensor): F32 with a Float32Array or I64 with a BigInt64Array, `data` holding as many elements as `shape` (row-major). */
export type Tensor = {
  /** 32-bit floats. */
  dtype: 'F32';
  /** The dimensions, outermost first (non-negative integers; [] for a scalar). */
  shape: number[];
  /** The elements, row-major, as many as the product of `shape`. */
  data: Float32Array;
} | {
  /** 64-bit signed integers. */
  dtype: 'I64';
  /** The dimensions, outermost first (non-negative integers; [] for a scalar). */
  shape: number[];
  /** The elements, row-major, as many as the product of `shape`. */
  data: BigInt64Array;
};

/** The keys of a tensor given to encodeSafetensors. */
const TENSOR_KEYS = ['dtype', 'shape', 'data'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `record[key] = value` as an own property whatever the key: a tensor or metadata key `__proto__` (JSON.parse and
 * Object.entries give it as any other) set the object's prototype by assignment — encode left the tensor out of the
 * header (its bytes written) or the metadata entry out, decode the tensor out of its result (whose prototype it
 * became), and a checkpoint with such a tensor loaded with it dropped in silence, where any other name is refused.
 */
function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * encodeSafetensors' arguments, checked before anything is written, so that it never writes a file decodeSafetensors
 * refuses: SpecError naming `tensors`, `tensors.NAME` (`.dtype`, `.shape`, `.shape[i]`, `.data`, or an unknown key
 * `.KEY`), `metadata` or `metadata.KEY`. Each field is read once, and what was checked is what is returned (a getter
 * or Proxy cannot answer the check one thing and the encoder another): the tensors in their key order, each shape a
 * copy, and the metadata copied.
 */
function checkTensors(tensors: unknown, metadata: unknown): { tensors: [string, Tensor][]; metadata: Record<string, string> } {
  if (!isObject(tensors)) throw new SpecError('tensors', `must be an object {name: {dtype, shape, data}}, got ${describe(tensors)}`);
  const out: [string, Tensor][] = [];
  for (const [name, t] of Object.entries(tensors)) {
    const field = `tensors.${name}`;
    if (name === '__metadata__') throw new SpecError(field, 'is the header\'s metadata key: pass metadata as the second argument');
    if (!isObject(t)) throw new SpecError(field, `must be an object {dtype, shape, data}, got ${describe(t)}`);
    checkKnownKeys(t, TENSOR_KEYS, `${field}.`, `a tensor has ${TENSOR_KEYS.join(', ')}`, SpecError);
    const { shape: given, data } = t;
    // As every fixed set of values: the list, and a guess ('f32' → 'F32'; it got none).
    const dtype = oneOf(t.dtype, ['F32', 'I64'] as const, `${field}.dtype`);
    if (!Array.isArray(given)) throw new SpecError(`${field}.shape`, `must be an array of non-negative integers, got ${describe(given)}`);
    // By index, not forEach or every: those skip a sparse array's holes, which JSON writes as null.
    const shape: number[] = [];
    for (let i = 0; i < given.length; i++) {
      const d: unknown = given[i];
      if (!(Number.isSafeInteger(d) && (d as number) >= 0)) throw new SpecError(`${field}.shape[${i}]`, `must be a non-negative integer, got ${describe(d)}`);
      shape.push(d as number);
    }
    const kind = dtype === 'F32' ? 'Float32Array' : 'BigInt64Array';
    if (typedArrayKind(data) !== kind) throw new SpecError(`${field}.data`, `must be a ${kind} (dtype ${dtype}), got ${describe(data)}`);
    const count = shape.reduce((a, d) => a * d, 1);
    const length = typedLength(data);
    if (length !== count) throw new SpecError(`${field}.data`, `has ${length} elements; shape [${shape}] needs ${count}`);
    out.push([name, { dtype, shape, data } as Tensor]);
  }
  if (!isObject(metadata)) throw new SpecError('metadata', `must be an object of strings, got ${describe(metadata)}`);
  const meta: Record<string, string> = {};
  for (const [key, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new SpecError(`metadata.${key}`, `must be a string, got ${describe(v)}`);
    setOwn(meta, key, v);
  }
  return { tensors: out, metadata: meta };
}

/**
 * A safetensors file of `tensors` (in their key order) and `metadata`; bad arguments: SpecError (checkTensors).
 * @throws {SpecError} naming `tensors.NAME.dtype`, `.shape` (`.shape[i]`: an entry that is not a non-negative integer)
 * or `.data` (a Float32Array for F32, a BigInt64Array for I64, as many elements as the shape), an unknown key of a
 * tensor (`tensors.NAME.KEY`), or `metadata.KEY` (not a string).
 */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata: Record<string, string>): Uint8Array {
  const checked = checkTensors(tensors, metadata);
  const header: Record<string, unknown> = { __metadata__: checked.metadata };
  let offset = 0;
  for (const [name, t] of checked.tensors) {
    setOwn(header, name, { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] });
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  const raw = new TextEncoder().encode(json);
  json += ' '.repeat((8 - (raw.length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const [, t] of checked.tensors) {
    const d = t.data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), at);
    at += d.byteLength;
  }
  return out;
}

/**
 * Parse a safetensors file. Throws SpecError('checkpoint…') on a truncated or malformed file: a header that is not
 * a JSON object, a `__metadata__` that is not {string: string} (null included; absent reads as {}), a tensor entry that is not an object, a shape that is not an
 * array of non-negative integers, data_offsets that are not two integers 0 ≤ begin ≤ end inside the file, a dtype
 * other than F32 / I64, a byte count that does not fit the shape, or data not indexed whole (a gap, an overlap, bytes
 * after the last tensor). Each tensor's data is a copy, so `given` may be
 * any Uint8Array view (a Node Buffer from a pool, at any byteOffset) or an ArrayBuffer. `checkMetadata` runs on the
 * header's metadata before any tensor is read or copied.
 * @throws {SpecError} naming `checkpoint…` for a truncated or malformed file.
 */
export function decodeSafetensors(given: Uint8Array | ArrayBuffer, checkMetadata?: (metadata: Record<string, string>) => void): {
  /** The tensors by name, each a copy. */
  tensors: Record<string, Tensor>;
  /** The header's `__metadata__` ({} without one). */
  metadata: Record<string, string>;
} {
  const bad = (why: string): never => {
    throw new SpecError('checkpoint', `not a valid safetensors file: ${why}`);
  };
  const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  // An ArrayBuffer (a browser's `await response.arrayBuffer()`) is the file's bytes too; anything else is not bytes.
  // By the intrinsic tags, not instanceof: a Uint8Array or an ArrayBuffer from another realm (an iframe, a vm context)
  // is bytes too, and must not be told it should be a Uint8Array.
  const tag = Object.prototype.toString.call(given);
  const asBytes: unknown = tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]' ? new Uint8Array(given as ArrayBufferLike) : given;
  if (typedArrayKind(asBytes) !== 'Uint8Array') {
    throw new SpecError('checkpoint', `must be the file's bytes, a Uint8Array (a Node Buffer is one) or an ArrayBuffer, got ${describe(given)}`);
  }
  const bytes = asBytes as Uint8Array;
  if (bytes.length < 8) bad(`${bytes.length} bytes, shorter than the 8-byte header length`);
  const length = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  // The length as written (a bigint, exact up to 2⁶⁴ − 1), not rounded through a double, in the message.
  if (length > BigInt(bytes.length - 8)) bad(`the header says ${length} bytes of JSON but the file has ${bytes.length - 8} after the length (truncated?)`);
  const n = Number(length);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch {
    return bad('the header is not JSON');
  }
  if (!isObject(header)) return bad('the header is not a JSON object');
  const base = 8 + n;
  // Absent is no metadata ({}); present, it must be a map of string to string as the format says: a null is refused
  // as any other non-object (`?? {}` read `"__metadata__": null` as {}).
  const metadata: unknown = Object.hasOwn(header, '__metadata__') ? header.__metadata__ : {};
  if (!isObject(metadata)) return bad(`__metadata__ is ${describe(metadata)}, not an object of strings`);
  for (const [key, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') bad(`__metadata__.${key} is ${describe(v)}, not a string`);
  }
  // The caller's check of the metadata (a checkpoint's spec against the budget) before any tensor is copied.
  checkMetadata?.(metadata as Record<string, string>);
  // Every entry checked, and the data's layout, before any tensor is copied.
  const entries: { name: string; dtype: 'F32' | 'I64'; shape: number[]; count: number; begin: number; end: number }[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (!isObject(info)) return bad(`tensor ${name} is not an object {dtype, shape, data_offsets}`);
    const { dtype, shape, data_offsets: offsets } = info;
    if (!Array.isArray(shape) || !shape.every(isIndex)) return bad(`tensor ${name} has shape ${JSON.stringify(shape)}, not an array of non-negative integers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex) || offsets[0] > offsets[1]) {
      return bad(`tensor ${name} has data_offsets ${JSON.stringify(offsets)}, not two integers 0 ≤ begin ≤ end`);
    }
    const [begin, end] = offsets as [number, number];
    if (base + end > bytes.length) bad(`tensor ${name} ends at byte ${base + end} but the file has ${bytes.length} (truncated?)`);
    const count = shape.reduce((a, b) => a * b, 1);
    const size = dtype === 'F32' ? 4 : dtype === 'I64' ? 8 : NaN;
    if (end - begin !== size * count) bad(`tensor ${name}: dtype ${dtype} with shape [${shape}] does not fit ${end - begin} bytes (F32 and I64 only)`);
    entries.push({ name, dtype: dtype as 'F32' | 'I64', shape, count, begin, end });
  }
  // NOTE: the format's rule: the data after the header is indexed whole, with no holes and no overlaps, so a file
  // holds nothing its header does not name (no second file hidden in a gap) and no byte is two tensors' data.
  let at = 0;
  for (const e of [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end)) {
    if (e.begin !== at) bad(`tensor ${e.name} begins at data byte ${e.begin}, not ${at}: ${e.begin > at ? 'a gap before it' : 'it overlaps the tensor before it'} (the data is indexed whole, with no holes or overlaps)`);
    at = e.end;
  }
  if (base + at !== bytes.length) bad(`the tensors' data ends at byte ${base + at} but the file has ${bytes.length} (bytes no tensor names)`);
  const tensors: Record<string, Tensor> = {};
  for (const { name, dtype, shape, count, begin, end } of entries) {
    // NOTE: a copy into a fresh ArrayBuffer, never `bytes.buffer`: a Node Buffer is a view into a shared pool (its
    // slice() is not a copy), and its byteOffset need not be a multiple of 4 or 8 as Float32Array / BigInt64Array need.
    const copy = new Uint8Array(end - begin);
    copy.set(bytes.subarray(base + begin, base + end));
    setOwn(tensors, name, dtype === 'F32' ? { dtype, shape, data: new Float32Array(copy.buffer, 0, count) } : { dtype: 'I64', shape, data: new BigInt64Array(copy.buffer, 0, count) });
  }
  return { tensors, metadata: metadata as Record<string, string> };
}

/**
 * Do `bytes` start as a safetensors file does (its header parses: decodeSafetensors)? Read up to the header only. The
 * CLI (src/cli/io.ts readJsonFile) and the lab's import (src/lab/files.ts importedData) name a checkpoint given for a spec.
 */
export function isSafetensors(bytes: Uint8Array): boolean {
  const header = new Error('the header parsed');
  try {
    decodeSafetensors(bytes, () => {
      throw header;
    });
  } catch (err) {
    return err === header;
  }
  return true;
}

/**
 * Do `bytes` begin as a safetensors file, whole or not: a header length (8 bytes, little-endian) of at most 2⁵³ − 1,
 * then the header's '{' — a checkpoint cut short inside its header too (a copy stopped early), which isSafetensors is
 * not. Text is not: its top length bytes are not 0 (no JSON or CSV file starts so).
 */
export function startsAsSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 9 || bytes[8] !== 0x7b) return false;
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true) <= BigInt(Number.MAX_SAFE_INTEGER);
}
