/**
 * toColumns' conversions (src/spec.ts) of example-major {examples, data} into the engine layout (features × n), each
 * value checked as a float32 (a NonFiniteError or SpecError naming the first bad one in reading order, x[c][j]);
 * and fit's and evaluate's data sets (ExampleMajorBatch), whose X stays example-major until something reads it in the
 * engine layout.
 */
import { float32, isFloat32 } from './checks.ts';
import { transpose } from './cpu/kernels.ts';
import type { Batch } from './spec.ts';

/**
 * NOTE: the conversion is a transpose (example-major in, one row per feature out). Walking it in blocks of TILE
 * examples writes TILE neighbours of a row at a time instead of one value per cache line; with MNIST's 8 000 × 784
 * the plain walk took about twice as long.
 */
const TILE = 16;

/** toColumns' conversion of an example-major number[] (each value checked as a float32, in blocks of TILE examples). */
export function arrayColumns(values: ArrayLike<unknown>, n: number, features: number, field: string): Float32Array {
  const data = new Float32Array(features * n);
  for (let c0 = 0; c0 < n; c0 += TILE) {
    const cEnd = Math.min(c0 + TILE, n);
    for (let j = 0; j < features; j++) {
      for (let c = c0; c < cEnd; c++) {
        const v = values[c * features + j];
        // Numbers only: no Number() coercion of strings, null, booleans or [], and a hole reads as undefined.
        // The element's name is built only for the error (built for each of fit's millions of values, it cost
        // more than the first epoch's training).
        data[j * n + c] = isFloat32(v) ? v : throwFirstBad(values, n, features, field, v, c, j);
      }
    }
  }
  return data;
}

/**
 * toColumns for a real Float32Array or Float64Array: the same transpose and the same errors, in a loop that reads
 * only numbers. NOTE: float32(v) is finite exactly when fround(v) − fround(v) is 0 (NaN and ±∞ give NaN); a float64
 * beyond float32's range rounds to ±∞ here, as isFloat32 refuses it. MNIST's 8 000 + 2 000 digits in headless
 * Chromium: 26 ms against 52 ms through the general loop (2026-12-05).
 */
export function typedColumns(src: Float32Array | Float64Array, n: number, features: number, field: string): Float32Array {
  const data = new Float32Array(features * n);
  for (let c0 = 0; c0 < n; c0 += TILE) {
    const end = Math.min(c0 + TILE, n);
    for (let j = 0; j < features; j++) {
      const out = j * n;
      for (let c = c0, k = c0 * features + j; c < end; c++, k += features) {
        // Read once: the value named is the one found bad (a SharedArrayBuffer's may change between two reads).
        const given = src[k];
        const v = Math.fround(given);
        if (v - v !== 0) throwFirstBad(src, n, features, field, given, c, j);
        data[out + c] = v;
      }
    }
  }
  return data;
}

/**
 * A checked example-major copy of a real Float32Array or Float64Array (n × features): the values as float32, the
 * same errors as typedColumns. No transpose: the engine's own conversion copies (float64 → float32 rounds to nearest,
 * as Math.fround; a value beyond float32's range becomes ±∞), then one pass looks for what is not finite.
 * NOTE: most of its time is the fresh array's page faults at the first write, whatever writes it: MNIST's 8 000
 * digits took 14–20 ms in Node this way, 15–20 ms with a loop that rounds, checks and writes (2026-12-05).
 */
export function typedExamples(src: Float32Array | Float64Array, n: number, features: number, field: string): Float32Array {
  const data = new Float32Array(src);
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    if (v - v !== 0) {
      // The caller's value for the message (a float64 past float32's range is named as given), unless it changed
      // since the copy (a SharedArrayBuffer written meanwhile): then the value copied, which is the one found bad.
      const given = src[k];
      throwFirstBad(src, n, features, field, isFloat32(given) ? v : given, Math.floor(k / features), k % features);
    }
  }
  return data;
}

/**
 * A data set (fit's, evaluate's) whose X is held example-major, as a typed x was given (checked and copied by
 * typedExamples), until X is first read: then it is transposed into the engine layout and the example-major copy is
 * let go, so that the batch holds one copy of x at a time (as the budget counts it). Y is small and kept in the
 * engine layout. The wasm trainer's upload takes the example-major copy as it is (writeExamples): its gather wants
 * that layout, and the conversion there and back cost ~40 ms of MNIST's first epoch (two transposes of 8 000 × 784).
 */
export class ExampleMajorBatch implements Batch {
  /** x, n × inputs, example-major; undefined once X has been made. */
  private examples: Float32Array | undefined;
  private columns: Float32Array | undefined;

  constructor(readonly n: number, private readonly inputs: number, examples: Float32Array, readonly Y: Float32Array) {
    this.examples = examples;
  }

  /** X (inputs × n), engine layout: made at the first read. */
  get X(): Float32Array {
    if (!this.columns) {
      this.columns = new Float32Array(this.inputs * this.n);
      transpose(this.examples!, this.n, this.inputs, this.columns);
      this.examples = undefined;
    }
    return this.columns;
  }

  /** x example-major while it is held so (before X is read), else undefined. */
  get exampleMajor(): Float32Array | undefined {
    return this.examples;
  }
}

/** x example-major (n × inputs) where `batch` holds it so (an ExampleMajorBatch whose X has not been read), else undefined. */
export function heldExamples(batch: Batch): Float32Array | undefined {
  return batch instanceof ExampleMajorBatch ? batch.exampleMajor : undefined;
}

/** X of `batch` example-major (n × inputs) into `dst`: a copy of what an ExampleMajorBatch holds so, else X transposed. */
export function writeExamples(batch: Batch, inputs: number, dst: Float32Array): void {
  const held = heldExamples(batch);
  if (held) dst.set(held);
  else transpose(batch.X, inputs, batch.n, dst);
}

/**
 * The error for the first bad value of example-major `src` in reading order (x[c][j], c first), as float32() words
 * it; the bad value read (v at c, j) when a second read finds none (an array whose elements change when read).
 */
function throwFirstBad(src: ArrayLike<unknown>, n: number, features: number, field: string, v: unknown, c: number, j: number): never {
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < features; i++) float32(src[k * features + i], `${field}[${k}][${i}]`);
  }
  float32(v, `${field}[${c}][${j}]`);
  throw new Error(`internal: ${field}[${c}][${j}] is a bad value that float32() accepts`);
}
