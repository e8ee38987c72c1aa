/**
 * fit's and evaluate's data sets (dataSetFrom): a typed x is kept example-major (ExampleMajorBatch) until something
 * reads X, and the wasm trainer uploads it as it is. Checked against batchFrom's engine layout (the conversion every
 * other call uses) and against fits and evaluations of the same data given as rows: the same values bitwise, the same
 * errors, and the wasm upload never making X.
 */
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { ExampleMajorBatch, writeExamples } from '../src/columns.ts';
import { NonFiniteError, ShapeError, SpecError } from '../src/errors.ts';
import { mulberry32 } from '../src/init.ts';
import { Model } from '../src/model.ts';
import { type Batch, type NetworkSpec, type Params, batchFrom, dataSetFrom, validateNet } from '../src/spec.ts';
import { wasmBackend } from './lib/wasm-checks.ts';
import { type ErrorClass, expectTyped, thrown } from './lib/typed.ts';

afterAll(async () => (await wasmBackend()).dispose());

const SPEC: NetworkSpec = {
  inputs: 3, layers: [{ units: 5, activation: 'tanh' }, { units: 3, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 5 },
};
const NET = validateNet(SPEC);
const N = 37; // two whole blocks of 16 and a partial one (the transposes walk blocks of 16)

/** 37 examples of SPEC: x example-major (−0, a value float32 rounds and one it flushes to 0 among them) and one-hot y, as rows. */
function rowsData(): { x: number[][]; y: number[][] } {
  const rand = mulberry32(4);
  const x = Array.from({ length: N }, (_, c) => Array.from({ length: 3 }, (_, j) => (c === 1 && j === 2 ? -0 : c === 2 && j === 1 ? 1e-50 : (2 * rand() - 1) * 1.000000001)));
  const y = x.map((_, c) => [0, 1, 2].map((j) => (j === c % 3 ? 1 : 0)));
  return { x, y };
}

const typed = (Ctor: typeof Float32Array | typeof Float64Array, rows: number[][]): { examples: number; data: Float32Array | Float64Array } => ({ examples: rows.length, data: Ctor.from(rows.flat()) });
const bitsOf = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
const paramBits = (p: Params): string => JSON.stringify([...p.W, ...p.b].map(bitsOf));

describe('dataSetFrom', () => {
  it('a typed x stays example-major until X is read, then X is batchFrom\'s bitwise and the example-major copy is let go', () => {
    const { x, y } = rowsData();
    const want = batchFrom(NET, x, y);
    for (const Ctor of [Float32Array, Float64Array]) {
      const set = dataSetFrom(NET, typed(Ctor, x), typed(Ctor, y));
      expect(set).toBeInstanceOf(ExampleMajorBatch);
      const held = (set as ExampleMajorBatch).exampleMajor!;
      // The copy is the float32 values in the caller's order, not the caller's array.
      expect(bitsOf(held)).toEqual(bitsOf(Float32Array.from(x.flat())));
      expect(set.n).toBe(N);
      expect(bitsOf(set.Y)).toEqual(bitsOf(want.Y));
      expect(bitsOf(set.X)).toEqual(bitsOf(want.X));
      expect((set as ExampleMajorBatch).exampleMajor, 'one copy of x at a time').toBeUndefined();
      expect(set.X).toBe(set.X);
    }
    // Rows and number[] data are converted as before: a plain batch.
    expect(dataSetFrom(NET, x, y)).not.toBeInstanceOf(ExampleMajorBatch);
    expect(dataSetFrom(NET, { examples: N, data: x.flat() }, y)).not.toBeInstanceOf(ExampleMajorBatch);
  });

  it('names the same first bad value, shape and count as batchFrom', () => {
    const { y } = rowsData();
    const y3 = y.slice(0, 3);
    const cases: [string, unknown, unknown, ErrorClass, string][] = [
      // Example 1's second value and example 2's first are bad: example-major, x[1][1] comes first.
      ['Infinity, then NaN', Float32Array.from([0.05, 0.1, 0.2, 0.3, Infinity, 0.4, NaN, 0.5, 0.6]), y3, NonFiniteError, 'x[1][1]'],
      ['beyond float32 (float64 data)', Float64Array.from([0.05, 0.1, 0.2, 0.3, 3.4028235677973366e38, 0.4, NaN, 0.5, 0.6]), y3, NonFiniteError, 'x[1][1]'],
      ['the wrong length', new Float32Array(8), y3, ShapeError, 'x.data'],
      ['not typed or number[]', new Int32Array(9), y3, SpecError, 'x.data'],
      ['y of another count', new Float32Array(9), y.slice(0, 4), ShapeError, 'y'],
    ];
    for (const [what, data, labels, Type, field] of cases) {
      const given = { examples: 3, data };
      const want = thrown(() => batchFrom(NET, given, labels));
      expectTyped(want, Type, field);
      const got = thrown(() => dataSetFrom(NET, given, labels));
      expect((got as Error).constructor, what).toBe((want as Error).constructor);
      expect((got as Error).message, what).toBe((want as Error).message);
      const prefixed = thrown(() => dataSetFrom(NET, given, labels, 'validation.'));
      expectTyped(prefixed, Type, `validation.${field}`);
    }
    // Another kind of data is named as given (README: a SpecError says what is allowed and what was given).
    for (const [data, got] of [[new Uint8Array(9), 'a Uint8Array of length 9; Float32Array.from(x.data) converts it'], [new Int32Array(9), 'an Int32Array of length 9; Float32Array.from(x.data) converts it'], [{ length: 9 }, 'an object'], ['x', '"x"']] as const) {
      const err = thrown(() => dataSetFrom(NET, { examples: 3, data }, y3));
      expectTyped(err, SpecError, 'x.data');
      expect((err as Error).message).toBe(`x.data: must be a Float32Array, Float64Array or number[], got ${got}`);
    }
    // float32's largest value is taken.
    const edge = dataSetFrom(validateNet({ ...SPEC, inputs: 2, layers: [{ units: 1, activation: 'identity' }], loss: 'mse' }), { examples: 1, data: Float64Array.from([0.5, 3.4028235e38]) }, [[0]]);
    expect(edge.X[1]).toBe(3.4028234663852886e38);
  });

  it("reads a number[] data's length once, as batchFrom does (README: x and y are read once; a Proxy's first answer is the one used)", async () => {
    const { x, y } = rowsData();
    const flat = x.flat();
    // The right length at the first read, one more after: only a second read sees the wrong one.
    let reads = 0;
    const lying = () => new Proxy(flat, { get(t, k, r) { return k === 'length' ? (++reads === 1 ? t.length : t.length + 1) : Reflect.get(t, k, r) as unknown; } });
    const want = batchFrom(NET, { examples: N, data: lying() }, y);
    expect(reads).toBe(1);
    for (const prefix of ['', 'validation.']) {
      reads = 0;
      const set = dataSetFrom(NET, { examples: N, data: lying() }, y, prefix);
      expect(reads, prefix).toBe(1);
      expect(bitsOf(set.X), prefix).toEqual(bitsOf(want.X));
    }
    // Through evaluate, as through predict: the same proxy is taken, not refused.
    const model = await Model.create(SPEC, { backend: 'cpu' });
    reads = 0;
    const got = await model.evaluate({ examples: N, data: lying() }, y);
    expect(reads).toBe(1);
    expect(got).toEqual(await model.evaluate(x, y));
    model.dispose();
  });
});

describe('writeExamples', () => {
  it('copies what an ExampleMajorBatch holds, and transposes X of any other batch (or of one whose X was read)', () => {
    const { x, y } = rowsData();
    const want = Float32Array.from(x.flat());
    const plain = batchFrom(NET, x, y);
    const held = dataSetFrom(NET, typed(Float32Array, x), y);
    const read = dataSetFrom(NET, typed(Float32Array, x), y);
    void read.X;
    for (const [what, batch] of [['plain', plain], ['held', held], ['read', read]] as [string, Batch][]) {
      const dst = new Float32Array(N * 3);
      writeExamples(batch, 3, dst);
      expect(bitsOf(dst), what).toEqual(bitsOf(want));
    }
    expect((held as ExampleMajorBatch).exampleMajor, 'writeExamples does not make X').toBeDefined();
  });
});

describe('the wasm trainer uploads an example-major data set as it is', () => {
  it('without making X; predict on it = predict on the engine-layout batch, bitwise', async () => {
    const { x, y } = rowsData();
    const backend = await wasmBackend();
    const trainer = backend.trainer(NET, 8, 'sgd');
    const model = await Model.create(SPEC, { backend: 'cpu' });
    trainer.writeParams(await model.getParams());
    const set = dataSetFrom(NET, typed(Float32Array, x), y);
    const fromSet = await trainer.predict(trainer.upload(set));
    expect((set as ExampleMajorBatch).exampleMajor, 'upload made X').toBeDefined();
    const fromPlain = await trainer.predict(trainer.upload(batchFrom(NET, x, y)));
    expect(bitsOf(fromSet.A)).toEqual(bitsOf(fromPlain.A));
    expect(bitsOf(fromSet.losses)).toEqual(bitsOf(fromPlain.losses));
    trainer.dispose();
    model.dispose();
  });
});

describe('fit and evaluate on typed data = on the same data as rows, bitwise', () => {
  for (const kind of ['cpu', 'wasm'] as const) {
    it(`${kind}: a held-out fraction (slices of the example-major copy), a validation set, and evaluate`, async () => {
      const { x, y } = rowsData();
      const make = async () => Model.create(SPEC, kind === 'wasm' ? { shared: await wasmBackend() } : { backend: 'cpu' });
      const run = { batchSize: 5, epochs: 2, optimizer: { name: 'adam', lr: 0.01 }, shuffle: { seed: 3 } } as const;
      const asRows = [
        { ...run, x, y, validation: 0.3 },
        { ...run, x: x.slice(0, 30), y: y.slice(0, 30), validation: { x: x.slice(30), y: y.slice(30) } },
      ];
      const asTyped = [
        { ...run, x: typed(Float32Array, x), y: typed(Float32Array, y), validation: 0.3 },
        { ...run, x: typed(Float64Array, x.slice(0, 30)), y: y.slice(0, 30), validation: { x: typed(Float32Array, x.slice(30)), y: y.slice(30) } },
      ];
      // How often an ExampleMajorBatch's X is made: never in a fit on wasm (its upload takes x example-major).
      const getter = Object.getOwnPropertyDescriptor(ExampleMajorBatch.prototype, 'X')!;
      let made = 0;
      Object.defineProperty(ExampleMajorBatch.prototype, 'X', { ...getter, get(this: ExampleMajorBatch) {
        if (this.exampleMajor) made++;
        return getter.get!.call(this);
      } });
      try {
        for (let k = 0; k < asRows.length; k++) {
          const a = await make();
          const b = await make();
          const ha = await a.fit(asRows[k]);
          made = 0;
          const hb = await b.fit(asTyped[k]);
          expect(made, `fit ${k}: X made`).toBe(kind === 'wasm' ? 0 : 2);
          expect(paramBits(await b.getParams()), `fit ${k}`).toBe(paramBits(await a.getParams()));
          expect(hb.map(({ seconds: _, ...h }) => h), `fit ${k}`).toEqual(ha.map(({ seconds: _, ...h }) => h));
          expect(await b.evaluate(typed(Float32Array, x), y)).toEqual(await a.evaluate(x, y));
          a.dispose();
          b.dispose();
        }
      } finally {
        Object.defineProperty(ExampleMajorBatch.prototype, 'X', getter);
      }
    });
  }
});

it('ExampleMajorBatch\'s X is the engine layout: X[j][c] = x[c][j] as float32', () => {
  const { x, y } = rowsData();
  const set = dataSetFrom(NET, typed(Float64Array, x), y);
  for (let c = 0; c < N; c++) for (let j = 0; j < 3; j++) expect(Object.is(set.X[j * N + c], Math.fround(x[c][j]))).toBe(true);
});

it('typed data on a SharedArrayBuffer another thread writes: a bad value found is a NonFiniteError, never an internal Error', async () => {
  // A worker sets x's last value to NaN and back to 0, over and over: a conversion that read the NaN names it, though
  // a second read of the caller's array (the message's value) may find 0 there again. A race: each conversion that
  // meets the NaN is one try, until a wrong error or enough tries.
  const net = validateNet({ inputs: 4, layers: [{ units: 1, activation: 'identity' }], loss: 'mse' });
  const n = 256;
  const last = n * 4 - 1;
  const flags = new Int32Array(new SharedArrayBuffer(8)); // [0]: stop, [1]: the worker runs
  for (const Ctor of [Float32Array, Float64Array]) {
    flags.fill(0);
    const sab = new SharedArrayBuffer(n * 4 * Ctor.BYTES_PER_ELEMENT);
    const view = (): Float32Array | Float64Array => (Ctor === Float32Array ? new Float32Array(sab) : new Float64Array(sab));
    const worker = new Worker(`const { workerData: w } = require('node:worker_threads'); const d = new ${Ctor.name}(w.sab); const f = new Int32Array(w.flags);
      Atomics.store(f, 1, 1); while (Atomics.load(f, 0) === 0) { d[${last}] = NaN; Atomics.load(f, 0); d[${last}] = 0; for (let i = 0; i < 20; i++) Atomics.load(f, 0); }`, { eval: true, workerData: { sab, flags: flags.buffer } });
    try {
      while (Atomics.load(flags, 1) === 0) await new Promise((r) => setTimeout(r, 5));
      const seen = { typed: 0, other: [] as string[] };
      // 0.5 s of tries, longer (up to 10 s) until the NaN is first read: the worker may wait for a core meanwhile.
      const start = performance.now();
      const going = (): boolean => performance.now() - start < (seen.typed === 0 ? 10_000 : 500);
      while (seen.typed < 150 && seen.other.length === 0 && going()) {
        for (const convert of [batchFrom, dataSetFrom]) {
          const err = thrown(() => convert(net, { examples: n, data: view() }, { examples: n, data: new Float32Array(n) }));
          if (err instanceof NonFiniteError && err.field === `x[${n - 1}][3]`) seen.typed++;
          else if (err !== undefined) seen.other.push(String(err));
        }
      }
      expect(seen.other, Ctor.name).toEqual([]);
      expect(seen.typed, `${Ctor.name}: the worker's NaN was never read`).toBeGreaterThan(0);
    } finally {
      Atomics.store(flags, 0, 1);
      await worker.terminate();
    }
  }
});
