/**
 * x and y in the example-major form {examples, data}: data must hold examples × features values exactly (review
 * cmut54b: a longer data was taken, its extra values dropped without a word — a column count off by one, or one
 * example too many, trained as if it were right). Rows of the wrong length are test/errors.test.ts's.
 */
import { describe, expect, it } from 'vitest';
import { ShapeError, SpecError } from '../src/errors.ts';
import { toColumns } from '../src/spec.ts';
import { expectTyped, thrown } from './lib/typed.ts';

describe('{examples, data}: the data length is examples × features, no more and no less', () => {
  it('3 examples × 2 features: 6 values convert (engine layout: one row per feature), 5 and 7 are refused naming x.data', () => {
    // Example-major [[1, 2], [3, 4], [5, 6]] → features × n: [1, 3, 5, 2, 4, 6].
    expect(Array.from(toColumns({ examples: 3, data: [1, 2, 3, 4, 5, 6] }, 2, 'x').data)).toEqual([1, 3, 5, 2, 4, 6]);
    for (const data of [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6, 7], new Float32Array(7), new Float64Array(8)]) {
      expectTyped(thrown(() => toColumns({ examples: 3, data }, 2, 'x')), ShapeError, 'x.data', /3×2 = 6 values/);
    }
  });

  it('a data of 3 features read as 2 (9 values for 3 examples) is refused, not cut to the first 6', () => {
    expectTyped(thrown(() => toColumns({ examples: 3, data: new Float32Array(9) }, 2, 'y')), ShapeError, 'y.data', /got 9 values/);
  });

  it('one value is "1 value", in what is expected and in what was given (usr57d: "1 values")', () => {
    // 1 example × 1 feature given 2 values; 1 example × 2 features given a nested row: data.length is 1.
    expect((thrown(() => toColumns({ examples: 1, data: [0.5, 0.25] }, 1, 'x')) as Error).message)
      .toBe('x.data: expected shape 1×1 = 1 value (example-major), got 2 values');
    expect((thrown(() => toColumns({ examples: 1, data: [[0.5, 0.25]] }, 2, 'x')) as Error).message)
      .toBe('x.data: expected shape 1×2 = 2 values (example-major), got 1 value');
  });

  it('another typed array: a SpecError naming x.data that says how to convert it; y of one value per example: one-hot rows', () => {
    expect((thrown(() => toColumns({ examples: 1, data: new Uint8Array(4) }, 4, 'x')) as Error).message)
      .toBe('x.data: must be a Float32Array, Float64Array or number[], got a Uint8Array of length 4; Float32Array.from(x.data) converts it');
    // 3 class indices for 3 examples of a 3-unit output.
    const labels = thrown(() => toColumns({ examples: 3, data: new Uint8Array([0, 2, 1]) }, 3, 'validation.y'));
    expectTyped(labels, SpecError, 'validation.y.data');
    expect((labels as Error).message)
      .toBe('validation.y.data: must be a Float32Array, Float64Array or number[], got a Uint8Array of length 3 (one value per output unit: a class as a one-hot row of 3)');
    // BigInt values cannot go through Float32Array.from: no advice.
    expect((thrown(() => toColumns({ examples: 1, data: new BigInt64Array(2) }, 2, 'x')) as Error).message)
      .toBe('x.data: must be a Float32Array, Float64Array or number[], got a BigInt64Array of length 2');
  });
});
