/**
 * Bad input → a typed error naming the field (or the shape), thrown before anything runs, with the
 * parameters unchanged (bitwise) and the model still able to train afterwards.
 *
 * "Before anything runs" is observed directly: the model runs on a CPU backend wrapped to count every
 * compile / writeParams / writeBatch / run; a rejected call must not add to any count.
 */
import { afterAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { Backend, BackendKind, BackendNet, BackendTrainer } from '../src/backend.ts';
import type { OptimizerName } from '../src/train/optimizers.ts';
import { CpuBackend } from '../src/cpu/backend.ts';
import {
  BackpropError,
  ClaimError,
  DisposedError,
  DivergedError,
  EmptyBatchError,
  LabelRangeError,
  LimitError,
  NonFiniteError,
  NotationError,
  ShapeError,
  SpecError,
  underField,
} from '../src/errors.ts';
import { runGrad } from '../src/cli/grad.ts';
import { Model } from '../src/model.ts';
import { columnsFromRows, type Net, type NetworkSpec, type Params, toColumns, validateSpec } from '../src/spec.ts';
import { integerIn } from '../src/checks.ts';
import { wasmBackend } from './lib/wasm-checks.ts';

type ErrorClass = new (...args: never[]) => BackpropError;

afterAll(async () => (await wasmBackend()).dispose());

class CountingBackend implements Backend {
  readonly kind: BackendKind;
  readonly description = 'counting calls';
  calls = { compile: 0, writeParams: 0, writeBatch: 0, run: 0 };
  constructor(private readonly inner: Backend = new CpuBackend()) {
    this.kind = inner.kind;
  }
  compile(net: Net, n: number): BackendNet {
    this.calls.compile++;
    const inner = this.inner.compile(net, n);
    const calls = this.calls;
    return {
      kind: inner.kind,
      n,
      writeParams: (p) => { calls.writeParams++; inner.writeParams(p); },
      writeBatch: (b) => { calls.writeBatch++; inner.writeBatch(b); },
      run: (steps, lr, update) => { calls.run++; inner.run(steps, lr, update); },
      read: (r) => inner.read(r),
      saveParams: () => inner.saveParams(),
      restoreParams: () => inner.restoreParams(),
      dispose: () => inner.dispose(),
    };
  }
  trainer(net: Net, batchSize: number, optimizer: OptimizerName): BackendTrainer {
    this.calls.compile++;
    return this.inner.trainer(net, batchSize, optimizer);
  }
  dispose(): void {}
}

function bitsEqual(a: Params, b: Params): boolean {
  const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));
  return JSON.stringify([a.W.map(bits), a.b.map(bits)]) === JSON.stringify([b.W.map(bits), b.b.map(bits)]);
}

/** A small valid net: 2 → 2 sigmoid (per-unit) → 1 sigmoid (shared), BCE, 3 examples. */
function goodSpec(): NetworkSpec {
  return {
    inputs: 2,
    layers: [{ units: 2, activation: 'sigmoid', bias: 'per-unit' }, { units: 1, activation: 'sigmoid', bias: 'shared' }],
    loss: 'bce',
    reduction: 'mean',
    params: { W: [[[0.1, -0.2], [0.3, 0.4]], [[0.5, -0.6]]], b: [[0.01, -0.02], 0.03] },
    x: [[0, 1], [1, 0], [1, 1]],
    y: [[1], [1], [0]],
    lr: 0.5,
  };
}

/** What `f` throws (a test failure when it does not). */
function caughtSync(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

async function caught(p: Promise<unknown> | (() => Promise<unknown>)): Promise<unknown> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return err;
  }
  return undefined;
}

function expectError(err: unknown, Cls: ErrorClass, code: string, field: string | RegExp): void {
  expect(err, 'expected an error').toBeInstanceOf(Cls);
  const e = err as BackpropError;
  expect(e).toBeInstanceOf(BackpropError);
  expect(e.code).toBe(code);
  if (typeof field === 'string') expect(e.field).toBe(field);
  else expect(e.field).toMatch(field);
  expect(e.message).toContain(e.field!);
}

describe('malformed spec → SpecError naming the field (Model.create)', () => {
  const base = goodSpec;
  const cases: [string, unknown, ErrorClass, string, string][] = [
    ['not an object (null)', null, SpecError, 'SPEC', 'spec'],
    ['not an object (array)', [], SpecError, 'SPEC', 'spec'],
    ['not an object (string)', 'net', SpecError, 'SPEC', 'spec'],
    ['unknown key', { ...base(), momentum: 0.9 }, SpecError, 'SPEC', 'momentum'],
    ['unknown layer key', { ...base(), layers: [{ units: 2, activation: 'sigmoid', dropout: 0.5 }, { units: 1, activation: 'sigmoid', bias: 'shared' }] }, SpecError, 'SPEC', 'layers[0].dropout'],
    ['missing inputs', (() => { const s: Partial<NetworkSpec> = base(); delete s.inputs; return s; })(), SpecError, 'SPEC', 'inputs'],
    ['inputs 0', { ...base(), inputs: 0 }, SpecError, 'SPEC', 'inputs'],
    ['layers empty', { ...base(), layers: [] }, SpecError, 'SPEC', 'layers'],
    ['layers missing', (() => { const s: Partial<NetworkSpec> = base(); delete s.layers; return s; })(), SpecError, 'SPEC', 'layers'],
    ['units 0', { ...base(), layers: [{ units: 0, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid', bias: 'shared' }] }, SpecError, 'SPEC', 'layers[0].units'],
    ['units 1.5', { ...base(), layers: [{ units: 2, activation: 'sigmoid' }, { units: 1.5, activation: 'sigmoid', bias: 'shared' }] }, SpecError, 'SPEC', 'layers[1].units'],
    ['unknown activation', { ...base(), layers: [{ units: 2, activation: 'gelu' }, { units: 1, activation: 'sigmoid', bias: 'shared' }] }, SpecError, 'SPEC', 'layers[0].activation'],
    ['unknown loss', { ...base(), loss: 'hinge' }, SpecError, 'SPEC', 'loss'],
    ['bad reduction', { ...base(), reduction: 'median' }, SpecError, 'SPEC', 'reduction'],
    ['bad bias mode', { ...base(), layers: [{ units: 2, activation: 'sigmoid', bias: 'per-layer' }, { units: 1, activation: 'sigmoid', bias: 'shared' }] }, SpecError, 'SPEC', 'layers[0].bias'],
    ['softmax on a hidden layer', { ...base(), loss: 'softmax-cross-entropy', layers: [{ units: 2, activation: 'softmax' }, { units: 2, activation: 'softmax' }], params: undefined, init: { scheme: 'xavier', seed: 1 }, y: [[1, 0], [0, 1], [1, 0]] }, SpecError, 'SPEC', 'layers[0].activation'],
    ['bce without a sigmoid output', { ...base(), layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'tanh', bias: 'shared' }] }, SpecError, 'SPEC', 'layers[1].activation'],
    ['softmax-cross-entropy without a softmax output', { ...base(), loss: 'softmax-cross-entropy' }, SpecError, 'SPEC', 'layers[1].activation'],
    // Over one unit softmax is e^z / e^z = 1 and the label must be 1: loss 0, δ_L = 0, nothing trains.
    ['a softmax output of one unit', { ...base(), loss: 'softmax-cross-entropy', layers: [{ units: 2, activation: 'sigmoid' }, { units: 1, activation: 'softmax' }], params: undefined, init: { scheme: 'xavier', seed: 1 }, y: [[1], [1], [1]] }, SpecError, 'SPEC', 'layers[1].units'],
    ['lr negative', { ...base(), lr: -0.1 }, SpecError, 'SPEC', 'lr'],
    ['lr NaN', { ...base(), lr: NaN }, NonFiniteError, 'NON_FINITE', 'lr'],
    ['neither params nor init', { ...base(), params: undefined }, SpecError, 'SPEC', 'params'],
    // Named before x and y are read and converted: an x that would not convert (NaN) is not what is reported.
    ['neither params nor init, a bad x', { ...base(), params: undefined, x: [[NaN, 0.1]], y: [[0.01]] }, SpecError, 'SPEC', 'params'],
    ['both params and init', { ...base(), init: { scheme: 'he', seed: 1 } }, SpecError, 'SPEC', 'init'],
    ['x without y', { ...base(), y: undefined }, SpecError, 'SPEC', 'y'],
  ];
  it.each(cases)('%s', async (_, spec, Cls, code, field) => {
    const backend = new CountingBackend();
    const err = await caught(Model.create(spec, { shared: backend }));
    expectError(err, Cls, code, field);
    expect(backend.calls).toEqual({ compile: 0, writeParams: 0, writeBatch: 0, run: 0 });
  });
});

describe('integerIn: the one integer option check', () => {
  it('returns an integer inside lo … hi, bounds included', () => {
    expect(integerIn(1, 'f', 1, 64)).toBe(1);
    expect(integerIn(64, 'f', 1, 64)).toBe(64);
    expect(integerIn(-7, 'f', -Infinity, Infinity)).toBe(-7);
    expect(integerIn(2 ** 40, 'f', 0, Infinity)).toBe(2 ** 40);
  });
  it.each([
    [0, 1, Infinity, undefined, 'must be a positive integer, got 0'],
    [-1, 0, Infinity, undefined, 'must be a non-negative integer, got -1'],
    [1.5, -Infinity, Infinity, undefined, 'must be an integer, got 1.5'],
    [65, 1, 64, undefined, 'must be an integer 1 … 64, got 65'],
    [0, 1, 4, 'the examples in x', 'must be an integer 1 … 4 (the examples in x), got 0'],
    [2, 3, Infinity, undefined, 'must be an integer ≥ 3, got 2'],
    [9, -Infinity, 5, undefined, 'must be an integer ≤ 5, got 9'],
    [Number.NaN, 1, 64, undefined, 'must be an integer 1 … 64, got NaN'],
    [Infinity, 1, Infinity, undefined, 'must be a positive integer, got Infinity'],
    ['3', 1, Infinity, undefined, 'must be a positive integer, got "3"'],
    [null, 0, 10, undefined, 'must be an integer 0 … 10, got null'],
  ] as const)('%s in %s … %s: a SpecError naming the field and the range', (v, lo, hi, note, message) => {
    let err: unknown;
    try {
      integerIn(v, 'some.field', lo, hi, note);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SpecError);
    expect(err).toMatchObject({ field: 'some.field', message: `some.field: ${message}` });
  });
});

describe('params of the wrong shape → ShapeError naming the array', () => {
  const withParams = (W: unknown, b: unknown) => ({ ...goodSpec(), params: { W, b } });
  const W = goodSpec().params!.W;
  const b = goodSpec().params!.b;
  const cases: [string, unknown, ErrorClass, string, string][] = [
    ['one matrix missing', withParams([W[0]], b), ShapeError, 'SHAPE', 'params.W'],
    ['W[0] has 3 rows, not 2', withParams([[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], W[1]], b), ShapeError, 'SHAPE', 'params.W[0]'],
    ['W[0] has 1 row, not 2', withParams([[[0.1, 0.2]], W[1]], b), ShapeError, 'SHAPE', 'params.W[0]'],
    ['W[0]’s second row has 3 values, not 2', withParams([[[0.1, 0.2], [0.3, 0.4, 0.5]], W[1]], b), ShapeError, 'SHAPE', 'params.W[0][1]'],
    ['W[1]’s row has 1 value, not 2', withParams([W[0], [[0.5]]], b), ShapeError, 'SHAPE', 'params.W[1][0]'],
    ['per-unit b[0] of length 1, not 2', withParams(W, [[0.01], 0.03]), ShapeError, 'SHAPE', 'params.b[0]'],
    ['per-unit b[0] as a number', withParams(W, [0.01, 0.03]), ShapeError, 'SHAPE', 'params.b[0]'],
    ['shared b[1] with 2 values', withParams(W, [[0.01, -0.02], [0.03, 0.04]]), ShapeError, 'SHAPE', 'params.b[1]'],
    ['one bias entry missing', withParams(W, [[0.01, -0.02]]), ShapeError, 'SHAPE', 'params.b'],
    ['a NaN weight', withParams([[[0.1, NaN], [0.3, 0.4]], W[1]], b), NonFiniteError, 'NON_FINITE', 'params.W[0][0][1]'],
    ['an infinite bias', withParams(W, [[0.01, Infinity], 0.03]), NonFiniteError, 'NON_FINITE', 'params.b[0][1]'],
    ['a string weight', withParams([[[0.1, '0.2'], [0.3, 0.4]], W[1]], b), SpecError, 'SPEC', 'params.W[0][0][1]'],
  ];
  it.each(cases)('Model.create: %s', async (_, spec, Cls, code, field) => {
    expectError(await caught(Model.create(spec, { backend: 'cpu' })), Cls, code, field);
  });

  it('bias none with a value, and bias none given a number', async () => {
    const spec = { ...goodSpec(), layers: [{ units: 2, activation: 'sigmoid', bias: 'none' }, { units: 1, activation: 'sigmoid', bias: 'shared' }] };
    expectError(await caught(Model.create({ ...spec, params: { W, b: [[0.1], 0.03] } }, { backend: 'cpu' })), ShapeError, 'SHAPE', 'params.b[0]');
    expectError(await caught(Model.create({ ...spec, params: { W, b: [0, 0.03] } }, { backend: 'cpu' })), ShapeError, 'SHAPE', 'params.b[0]');
    // [] is the way to write "no bias", and a shared bias may be a number or a one-element array.
    await expect(Model.create({ ...spec, params: { W, b: [[], [0.03]] } }, { backend: 'cpu' })).resolves.toBeInstanceOf(Model);
  });
});

describe.each(['cpu', 'wasm'] as const)('bad calls on a live model (%s): typed error, nothing run, parameters unchanged, still trains', (kind) => {
  let backend: CountingBackend;
  let model: Model;
  beforeEach(async () => {
    backend = new CountingBackend(kind === 'cpu' ? new CpuBackend() : await wasmBackend());
    model = await Model.create(goodSpec(), { shared: backend });
    expect(model.kind).toBe(kind);
    await model.train({ steps: 3 }); // move the parameters away from the spec's, so "unchanged" means something
  });

  async function expectClean(call: () => Promise<unknown>, Cls: ErrorClass, code: string, field: string): Promise<void> {
    const before = await model.getParams();
    const calls = { ...backend.calls };
    const err = await caught(call);
    expectError(err, Cls, code, field);
    expect(backend.calls, 'no backend work for a rejected call').toEqual(calls);
    expect(bitsEqual(await model.getParams(), before), 'parameters unchanged').toBe(true);
    const after = await model.train({ steps: 2 });
    expect(Number.isFinite(after.loss)).toBe(true);
    expect(bitsEqual(await model.getParams(), before), 'the model trained afterwards').toBe(false);
  }

  const x3 = [[0, 1], [1, 0], [1, 1]];
  const y3 = [[1], [1], [0]];
  const dataCases: [string, unknown, unknown, ErrorClass, string, string][] = [
    ['x not an array', 'x', y3, ShapeError, 'SHAPE', 'x'],
    ['an x row of the wrong length', [[0, 1], [1, 0, 1], [1, 1]], y3, ShapeError, 'SHAPE', 'x[1]'],
    ['an x row that is a number', [[0, 1], 1, [1, 1]], y3, ShapeError, 'SHAPE', 'x[1]'],
    ['a y row of the wrong length', x3, [[1], [1, 0], [0]], ShapeError, 'SHAPE', 'y[1]'],
    ['x and y with different example counts', x3, [[1], [0]], ShapeError, 'SHAPE', 'y'],
    ['NaN in x', [[0, 1], [NaN, 0], [1, 1]], y3, NonFiniteError, 'NON_FINITE', 'x[1][0]'],
    ['Infinity in x', [[0, Infinity], [1, 0], [1, 1]], y3, NonFiniteError, 'NON_FINITE', 'x[0][1]'],
    ['−Infinity in x', [[0, 1], [1, 0], [-Infinity, 1]], y3, NonFiniteError, 'NON_FINITE', 'x[2][0]'],
    ['NaN in y', x3, [[1], [NaN], [0]], NonFiniteError, 'NON_FINITE', 'y[1][0]'],
    ['Infinity in y', x3, [[1], [1], [Infinity]], NonFiniteError, 'NON_FINITE', 'y[2][0]'],
    ['−Infinity in y', x3, [[-Infinity], [1], [0]], NonFiniteError, 'NON_FINITE', 'y[0][0]'],
    ['BCE label −0.1', x3, [[1], [-0.1], [0]], LabelRangeError, 'LABEL_RANGE', 'y[1][0]'],
    ['BCE label 1.5', x3, [[1], [1], [1.5]], LabelRangeError, 'LABEL_RANGE', 'y[2][0]'],
    ['empty batch', [], [], EmptyBatchError, 'EMPTY_BATCH', 'x'],
    ['empty batch (typed form)', { examples: 0, data: new Float32Array(0) }, { examples: 0, data: new Float32Array(0) }, EmptyBatchError, 'EMPTY_BATCH', 'x'],
    ['y with no examples beside x', x3, [], ShapeError, 'SHAPE', 'y'], // a count mismatch, not an empty batch
    ['y with no examples beside x (typed form)', x3, { examples: 0, data: new Float32Array(0) }, ShapeError, 'SHAPE', 'y'],
    ['typed data of the wrong length', { examples: 3, data: new Float32Array(5) }, y3, ShapeError, 'SHAPE', 'x.data'],
    ['NaN in typed data', { examples: 3, data: Float32Array.from([0, 1, 1, 0, 1, NaN]) }, y3, NonFiniteError, 'NON_FINITE', 'x[2][1]'],
    ['x without y', x3, undefined, SpecError, 'SPEC', 'y'],
  ];

  it.each(dataCases)('train(): %s', async (_, x, y, Cls, code, field) => {
    await expectClean(() => model.train({ steps: 1, x: x as never, y: y as never }), Cls, code, field);
  });
  it.each(dataCases)('grad(): %s', async (_, x, y, Cls, code, field) => {
    await expectClean(() => model.grad(x as never, y as never), Cls, code, field);
  });
  it.each(dataCases)('step(): %s', async (_, x, y, Cls, code, field) => {
    await expectClean(() => model.step(0.1, x as never, y as never), Cls, code, field);
  });

  it('train(): steps 0, −1, 1.5, "3"', async () => {
    for (const steps of [0, -1, 1.5, '3']) await expectClean(() => model.train({ steps: steps as number }), SpecError, 'SPEC', 'steps');
  });
  it('train() / step(): lr negative, NaN, Infinity', async () => {
    for (const lr of [-0.1, NaN, Infinity]) {
      await expectClean(() => model.train({ steps: 1, lr }), SpecError, 'SPEC', 'lr');
      await expectClean(() => model.step(lr), SpecError, 'SPEC', 'lr');
    }
  });
  it('setParams(): wrong shapes and non-finite values', async () => {
    const p = await model.getParamsSpec();
    await expectClean(() => model.setParams({ W: [p.W[0]], b: p.b }), ShapeError, 'SHAPE', 'params.W');
    await expectClean(() => model.setParams({ W: [p.W[0].slice(0, 1), p.W[1]], b: p.b }), ShapeError, 'SHAPE', 'params.W[0]');
    await expectClean(() => model.setParams({ W: [[p.W[0][0], [1, 2, 3]], p.W[1]], b: p.b }), ShapeError, 'SHAPE', 'params.W[0][1]');
    await expectClean(() => model.setParams({ W: p.W, b: [[0], p.b[1]] }), ShapeError, 'SHAPE', 'params.b[0]');
    await expectClean(() => model.setParams({ W: p.W, b: [p.b[0], [1, 2]] }), ShapeError, 'SHAPE', 'params.b[1]');
    await expectClean(() => model.setParams({ W: [[p.W[0][0], [1, NaN]], p.W[1]], b: p.b }), NonFiniteError, 'NON_FINITE', 'params.W[0][1][1]');
    const typed = await model.getParams();
    await expectClean(() => model.setParams({ W: [typed.W[0].subarray(0, 3), typed.W[1]], b: typed.b }), ShapeError, 'SHAPE', 'params.W[0]');
    await expectClean(() => model.setParams({ W: typed.W, b: [typed.b[0], Float32Array.of(-Infinity)] }), NonFiniteError, 'NON_FINITE', 'params.b[1][0]');
  });
  it('softmax-cross-entropy: a label row that does not sum to 1', async () => {
    const spec = { ...goodSpec(), loss: 'softmax-cross-entropy', layers: [{ units: 2, activation: 'sigmoid' }, { units: 3, activation: 'softmax' }], params: undefined, init: { scheme: 'xavier', seed: 3 }, y: [[0, 1, 0], [0, 0, 1], [1, 0, 0]] } as NetworkSpec;
    const m = await Model.create(spec, { shared: backend });
    const before = await m.getParams();
    // [0, 0, 0] sums to 0: δ_L = A − Y would not be the gradient of the loss.
    expectError(await caught(m.train({ steps: 1, x: x3, y: [[0, 1, 0], [0, 0, 0], [1, 0, 0]] })), LabelRangeError, 'LABEL_RANGE', 'y[1]');
    expectError(await caught(m.grad(x3, [[0.5, 0.6, 0], [0, 0, 1], [1, 0, 0]])), LabelRangeError, 'LABEL_RANGE', 'y[0]');
    // The sum as the labels were written: 0.5 + 0.4 = 0.9 (not 0.9000000059604645, the float64 sum of their float32s).
    const short = await caught(m.grad(x3, [[0.5, 0.4, 0], [0, 0, 1], [1, 0, 0]]));
    expectError(short, LabelRangeError, 'LABEL_RANGE', 'y[0]');
    expect((short as Error).message).toBe('y[0] is 0.9; softmax-cross-entropy needs each label row to sum to 1 (this row sums to the value shown)');
    expect(bitsEqual(await m.getParams(), before)).toBe(true);
    await expect(m.grad(x3, [[0.5, 0.5, 0], [0, 0, 1], [1, 0, 0]])).resolves.toBeDefined();
  });
  it('a model without data: train() with no x, y', async () => {
    const m = await Model.create({ ...goodSpec(), x: undefined, y: undefined }, { shared: backend });
    const err = await caught(m.train({ steps: 1 }));
    expectError(err, SpecError, 'SPEC', 'x');
    await expect(m.train({ steps: 1, x: x3, y: y3 })).resolves.toMatchObject({ steps: 1 });
  });
});

describe('a row of the wrong kind says what to do (review ml2 item 2)', () => {
  it('a typed-array row of the right length: rows are plain arrays, typed data goes as {examples, data}', () => {
    const err = caughtSync(() => columnsFromRows([new Float32Array([0, 1])], 2, 'x'));
    expectError(err, ShapeError, 'SHAPE', 'x[0]');
    expect((err as Error).message).toBe('x[0]: expected shape [2], got Float32Array(2) (a row must be a plain array: give typed data as {examples, data})');
  });
  it('class indices where a label row has one value per output unit: one-hot rows (y only)', () => {
    for (const field of ['y', 'validation.y']) {
      const err = caughtSync(() => columnsFromRows([[2], [0]], 3, field));
      expectError(err, ShapeError, 'SHAPE', `${field}[0]`);
      expect((err as Error).message).toBe(`${field}[0]: expected shape [3], got [1] (one value per output unit: a class as a one-hot row of 3)`);
    }
    // An x row of one value is only the wrong shape.
    expect((caughtSync(() => columnsFromRows([[2]], 3, 'x')) as Error).message).toBe('x[0]: expected shape [3], got [1]');
    // Two outputs (a binary softmax) given class indices get the hint too; a y row of 2 values for 3 outputs is not
    // class indices, only the wrong shape (review mut3 S3, S4).
    expect((caughtSync(() => columnsFromRows([[1], [0]], 2, 'y')) as Error).message).toBe('y[0]: expected shape [2], got [1] (one value per output unit: a class as a one-hot row of 2)');
    expect((caughtSync(() => columnsFromRows([[1, 0]], 3, 'y')) as Error).message).toBe('y[0]: expected shape [3], got [2]');
    // A flat y of class indices, and one value per example in y's {examples, data}: the same hint.
    expect((caughtSync(() => columnsFromRows([2, 0], 3, 'validation.y')) as Error).message).toBe('validation.y[0]: expected shape [3], got number (one value per output unit: a class as a one-hot row of 3)');
    expect((caughtSync(() => toColumns({ examples: 2, data: [2, 0] }, 3, 'y')) as Error).message).toBe('y.data: expected shape 2×3 = 6 values (example-major), got 2 values (one value per output unit: a class as a one-hot row of 3)');
    expect((caughtSync(() => toColumns({ examples: 2, data: [2, 0] }, 3, 'x')) as Error).message).toBe('x.data: expected shape 2×3 = 6 values (example-major), got 2 values');
  });
});

describe('the errors about an input always name it', () => {
  it('their field is a string in the type (npm run typecheck) and set at run time; BackpropError\'s may be undefined', () => {
    const named = [
      new SpecError('layers[0].units', 'must be a positive integer'),
      new ShapeError('x', '[2][1]', '[3][1]'),
      new NonFiniteError('x[0][0]', NaN),
      new LabelRangeError('y[0][0]', 2, 'bce'),
      new EmptyBatchError('x'),
      new LimitError('views', 'too many'),
      new NotationError('--param', 'no such name'),
      new ClaimError('claims[3].name', 'no value'),
    ];
    for (const err of named) expectTypeOf(err.field).toEqualTypeOf<string>();
    expect(named.map((err) => err.field)).toEqual(['layers[0].units', 'x', 'x[0][0]', 'y[0][0]', 'x', 'views', '--param', 'claims[3].name']);
    expectTypeOf(underField('fit', new SpecError('batchSize', 'bad')).field).toEqualTypeOf<string>();
    expectTypeOf(new BackpropError('LIMIT', 'too big').field).toEqualTypeOf<string | undefined>();
  });
});

describe('underField: an error re-rooted under a larger input\'s field', () => {
  it('a SpecError stays a SpecError, its field and message under the prefix', () => {
    const err = underField('fit', new SpecError('batchSize', 'must be an integer 1 … 4, got 0'));
    expect(err).toBeInstanceOf(SpecError);
    expect(err.name).toBe('SpecError');
    expect(err.code).toBe('SPEC');
    expect(err.field).toBe('fit.batchSize');
    expect(err.message).toBe('fit.batchSize: must be an integer 1 … 4, got 0');
    expect(err.stack).toContain('fit.batchSize: must be');
  });
  it('keeps a subclass\'s own properties, and a message that names its field without a colon', () => {
    const err = underField('spec', new NonFiniteError('x[3][1]', NaN));
    expect(err).toBeInstanceOf(NonFiniteError);
    expect(err.message).toBe('spec.x[3][1] is NaN; every value must be finite');
    const shape = underField('spec', new ShapeError('params.W[0]', '[2][2]', '[1][2]'));
    expect([shape.field, shape.expected, shape.actual]).toEqual(['spec.params.W[0]', '[2][2]', '[1][2]']);
    expect(shape.message).toBe('spec.params.W[0]: expected shape [2][2], got [1][2]');
  });
  it('an error without a field, or whose message does not start with it, is prefixed with the new field', () => {
    const none = underField('spec', new BackpropError('LIMIT', 'too big'));
    expect([none.field, none.message]).toEqual(['spec', 'spec: too big']);
    const other = underField('spec', new BackpropError('NOTATION', 'no such name', 'notation.z'));
    expect([other.field, other.message]).toEqual(['spec.notation.z', 'spec.notation.z: no such name']);
  });
  it('a file in front (the CLI\'s check, several files): joined with ": ", as the CLI names a file elsewhere', () => {
    const err = underField('C.json', new NotationError('claims[3] ("∂L/∂w99").name', "'w99' is not a name"), ': ');
    expect(err).toBeInstanceOf(NotationError);
    expect([err.code, err.field]).toEqual(['NOTATION', 'C.json: claims[3] ("∂L/∂w99").name']);
    expect(err.message).toBe('C.json: claims[3] ("∂L/∂w99").name: \'w99\' is not a name');
    const none = underField('C.json', new DivergedError(Infinity, 'in a forward pass', { updates: false }), ': ');
    expect(none).toBeInstanceOf(DivergedError);
    expect([none.field, none.loss]).toEqual(['C.json', Infinity]);
    expect(none.message).toMatch(/^C\.json: the loss is not finite/);
  });
});

describe('a loss that is not finite in grad, which updates nothing: the message says so, not "training diverged" (review cli item 13)', () => {
  // mse of one identity unit: a = 3e38, y = −3e38, (a − y)² overflows float32 and float64 alike.
  const spec: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[1]]], b: [[0]] }, x: [[3e38]], y: [[-3e38]] };

  it.each(['cpu', 'wasm'] as const)('%s: Model.grad is a DivergedError saying the forward pass\'s loss is not finite, claiming no restore; train still says training diverged', async (backend) => {
    const model = await Model.create(spec, { backend });
    const before = await model.getParams();
    const err = await model.grad().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(DivergedError);
    expect((err as DivergedError).code).toBe('DIVERGED');
    expect(Number.isFinite((err as DivergedError).loss)).toBe(false);
    expect((err as Error).message).toMatch(/^the loss is not finite: (Infinity|NaN) \(in a forward pass\), so there are no gradients; nothing was updated \(the parameters are unchanged\)$/);
    expect((err as Error).message).not.toMatch(/diverged|restored/);
    expect(await model.getParams()).toEqual(before);
    // backprop grad prints this message (error [DIVERGED] …, exit 2): runGrad rejects with it before printing anything.
    const printed: string[] = [];
    await expect(runGrad(spec, backend, true, (line) => void printed.push(line))).rejects.toThrow((err as Error).message);
    expect(printed).toEqual([]);
    const trained = await model.train({ steps: 1, lr: 0.1 }).then(() => undefined, (e: unknown) => e);
    expect((trained as Error).message).toMatch(/^training diverged: the loss is (Infinity|NaN) .*the parameters were restored to those before the call$/);
    model.dispose();
  });
});

describe('LimitError names the field that sets the size when the parameters dominate (README, Resource budget; review cli item 13)', () => {
  const limit = (inputs: number, units: number[]): unknown => {
    try {
      validateSpec({ inputs, layers: units.map((u) => ({ units: u, activation: 'tanh' as const })), loss: 'mse', init: { scheme: 'xavier', seed: 1 } });
    } catch (err) {
      return err instanceof LimitError ? err.field : err;
    }
    return 'accepted';
  };

  it('inputs when the first layer\'s fan-in is its larger factor; a layer\'s units when they are; the layer below\'s units when its fan-in is', () => {
    expect(limit(1e9, [2, 1])).toBe('inputs'); // 2 × 1e9 weights in layer 1: its 2 units are not the cost
    expect(limit(1, [1e8, 1])).toBe('layers[0].units'); // README's 1-100000000-1 example
    expect(limit(1, [1e6, 1000])).toBe('layers[0].units'); // layer 2 holds 1e9 weights, 1000 × the 1e6 units below it
    expect(limit(1, [1000, 1e6])).toBe('layers[1].units');
    expect(limit(30000, [30000])).toBe('layers[0].units'); // a tie names the layer's own units
    // Σ units past 1.8e308 (Infinity): no batch is no activations, not Infinity × 0 = NaN (it named x and NaN bytes).
    expect(limit(1, [1e308, 1e308])).toBe('layers[0].units');
    expect(() => validateSpec({ inputs: 1, layers: [{ units: 1e308, activation: 'tanh' }, { units: 1e308, activation: 'tanh' }], loss: 'mse' })).toThrow(/needs Infinity EiB \(Infinity bytes\) of host memory \(Infinity parameters, no batch yet\)/);
  });
});

describe('x or y left out (undefined or null), predict\'s x too: the error says it is missing, not "got undefined"', () => {
  // goodSpec's net: 2 inputs, 1 output (bce). Each case: the call, the class and field it always had, the whole message.
  const x3 = [[0, 1], [1, 0], [1, 1]];
  const y3 = [[1], [1], [0]];
  const pair = (call: string, what: string, other: string, n: number) => `missing — ${call} needs ${what} with ${other} (expected shape [examples][${n}]); give neither for the model's batch`;
  const cases: [string, (m: Model) => Promise<unknown>, ErrorClass, string, string][] = [
    ['evaluate(x)', (m) => m.evaluate(x3, undefined as never), ShapeError, 'y', 'y: missing — evaluate needs the labels (expected shape [examples][1])'],
    ['evaluate(x, null)', (m) => m.evaluate(x3, null as never), ShapeError, 'y', 'y: missing — evaluate needs the labels (expected shape [examples][1])'],
    ['evaluate(undefined, y)', (m) => m.evaluate(undefined as never, y3), ShapeError, 'x', 'x: missing — evaluate needs the inputs (expected shape [examples][2])'],
    ['grad(x)', (m) => m.grad(x3), SpecError, 'y', `y: ${pair('grad', 'the labels', 'x', 1)}`],
    ['grad(undefined, y)', (m) => m.grad(undefined, y3), SpecError, 'x', `x: ${pair('grad', 'the inputs', 'y', 2)}`],
    ['grad(x, null)', (m) => m.grad(x3, null as never), ShapeError, 'y', `y: ${pair('grad', 'the labels', 'x', 1)}`],
    // The partner not given either: no "with x" (grad(null) has no x for the labels to go with).
    ['grad(null)', (m) => m.grad(null as never), SpecError, 'y', "y: missing — grad needs the labels (expected shape [examples][1]); give neither for the model's batch"],
    ['grad(null, null)', (m) => m.grad(null as never, null as never), ShapeError, 'x', "x: missing — grad needs the inputs (expected shape [examples][2]); give neither for the model's batch"],
    ['step(lr, x)', (m) => m.step(0.1, x3), SpecError, 'y', `y: ${pair('step', 'the labels', 'x', 1)}`],
    ['train({x})', (m) => m.train({ steps: 1, x: x3 }), SpecError, 'y', `y: ${pair('train', 'the labels', 'x', 1)}`],
    ['fit({x})', (m) => m.fit({ x: x3 }), SpecError, 'y', `y: ${pair('fit', 'the labels', 'x', 1)}`],
    ['fit({x, y: null})', (m) => m.fit({ x: x3, y: null as never }), ShapeError, 'y', `y: ${pair('fit', 'the labels', 'x', 1)}`],
    ['fit({validation: {x}})', (m) => m.fit({ validation: { x: x3 } as never }), ShapeError, 'validation.y', "validation.y: missing — fit's validation data needs the labels (expected shape [examples][1])"],
    ['predict()', (m) => m.predict(undefined as never), ShapeError, 'x', 'x: missing — predict needs the inputs (expected shape [examples][2])'],
    ['predict(null)', (m) => m.predict(null as never), ShapeError, 'x', 'x: missing — predict needs the inputs (expected shape [examples][2])'],
    ['fit({validation: {y}})', (m) => m.fit({ validation: { y: y3 } as never }), ShapeError, 'validation.x', "validation.x: missing — fit's validation data needs the inputs (expected shape [examples][2])"],
    // grad and step called as train is, with one object: it was read as x, and the error said y was missing.
    ['grad({x, y})', (m) => m.grad({ x: x3, y: y3 } as never), SpecError, 'x', 'x: grad(x, y) takes its arguments in order, not one object (got { x, y }); train and fit take an options object'],
    ['step({lr, x, y})', (m) => m.step({ lr: 0.1, x: x3, y: y3 } as never), SpecError, 'lr', 'lr: step(lr, x, y) takes its arguments in order, not one object (got { lr, x, y }); train and fit take an options object'],
    ['step(lr, {x, y})', (m) => m.step(0.1, { x: x3, y: y3 } as never), SpecError, 'x', 'x: step(lr, x, y) takes its arguments in order, not one object (got { x, y }); train and fit take an options object'],
    // predict and evaluate too (as fit's validation set is written): evaluate's said y was missing, predict's x was "got object".
    ['evaluate({x, y})', (m) => m.evaluate({ x: x3, y: y3 } as never, undefined as never), SpecError, 'x', 'x: evaluate(x, y) takes its arguments in order, not one object (got { x, y }); train and fit take an options object'],
    ['predict({x})', (m) => m.predict({ x: x3 } as never), SpecError, 'x', 'x: predict(x) takes its arguments in order, not one object (got { x }); train and fit take an options object'],
  ];

  it("fit refuses x without y before it reads the validation data (no getter of validation's asked)", async () => {
    const model = await Model.create(goodSpec(), { backend: 'cpu' });
    const read: string[] = [];
    const validation = { get x() { read.push('x'); return x3; }, get y() { read.push('y'); return y3; } };
    const err = await caught(() => model.fit({ x: x3, validation }));
    expectError(err, SpecError, 'SPEC', 'y');
    expect(read).toEqual([]);
    model.dispose();
  });

  it('a spec with x and no y (or y and no x) says which is missing and what giving neither does, before any backend work', async () => {
    const words = (what: string, other: string, n: number) => `missing — the spec needs ${what} with ${other} (expected shape [examples][${n}]); give neither and pass x and y to each call`;
    const cases: [unknown, ErrorClass, string, string][] = [
      [{ ...goodSpec(), y: undefined }, SpecError, 'y', `y: ${words('the labels', 'x', 1)}`],
      [{ ...goodSpec(), x: undefined }, SpecError, 'x', `x: ${words('the inputs', 'y', 2)}`],
      [{ ...goodSpec(), x: null }, ShapeError, 'x', `x: ${words('the inputs', 'y', 2)}`],
    ];
    for (const [spec, Cls, field, message] of cases) {
      const backend = new CountingBackend();
      const err = await caught(Model.create(spec as NetworkSpec, { shared: backend }));
      expectError(err, Cls, Cls === ShapeError ? 'SHAPE' : 'SPEC', field);
      expect((err as Error).message).toBe(message);
      expect(backend.calls).toEqual({ compile: 0, writeParams: 0, writeBatch: 0, run: 0 });
    }
  });

  it.each(['cpu', 'wasm'] as const)('%s: each call refuses it by name, before any backend work (cpu counted), the model unchanged', async (kind) => {
    const counting = new CountingBackend();
    const model = await Model.create(goodSpec(), kind === 'cpu' ? { shared: counting } : { backend: kind });
    await model.train({ steps: 2 });
    const before = await model.getParams();
    const work = { ...counting.calls };
    for (const [name, call, Cls, field, message] of cases) {
      const err = await caught(() => call(model));
      expectError(err, Cls, Cls === ShapeError ? 'SHAPE' : 'SPEC', field);
      expect((err as Error).message, name).toBe(message);
      if (err instanceof ShapeError) expect([err.expected, err.actual], name).toEqual([message.match(/\[examples\]\[\d\]/)![0], /null/.test(name) ? 'null' : 'undefined']);
    }
    if (kind === 'cpu') expect(counting.calls, 'no backend work for a rejected call').toEqual(work);
    expect(bitsEqual(await model.getParams(), before), 'parameters unchanged').toBe(true);
    expect((await model.evaluate(x3, y3)).loss).toBeGreaterThan(0);
    model.dispose();
  });
});

// A spec file without inputs read "inputs: must be a positive integer, got undefined" (in the lab and the CLI: fuzzlab50).
describe('an integer field left out is said to be missing', () => {
  it('a spec without inputs, a layer without units; a value given is still quoted', () => {
    expect(() => validateSpec({ layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce' })).toThrow(/^inputs: must be a positive integer, missing$/);
    expect(() => validateSpec({ inputs: 2, layers: [{ activation: 'sigmoid' }], loss: 'bce' })).toThrow(/^layers\[0\]\.units: must be a positive integer.*, missing$/);
    expect(() => validateSpec({ inputs: 'two', layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce' })).toThrow(/^inputs: must be a positive integer, got "two"$/);
  });
});

describe('a call given more arguments than it takes: a SpecError naming the call, before any work, the model unchanged (review arity42)', () => {
  // Each one was dropped without a word: fit({ x, y }, { epochs: 5 }) trained one epoch, predict(x, { batchSize: 2 })
  // ran at the usual size. Each row: the call, its arguments with one too many, the whole message, sync (throws, not rejects).
  const x3 = [[0, 1], [1, 0], [1, 1]];
  const y3 = [[1], [1], [0]];
  type Ctx = { shared: Backend; bytes: Uint8Array; params: Params };
  const OPTIONS = 'options {backend, shared, threads, …}';
  const cases: [string, (c: Ctx) => unknown[], string, boolean][] = [
    ['fit', () => [{ x: x3, y: y3 }, { epochs: 5 }], 'fit takes one argument (options {x, y, epochs, …}); got 2: put epochs in options, the first', false],
    ['train', () => [{ steps: 1, x: x3, y: y3, lr: 0.1 }, 5], 'train takes one argument (options {steps, lr, x, y}); got 2: nothing reads 5 after options', false],
    ['step', () => [0.1, x3, y3, 'extra'], 'step takes at most 3 arguments (lr, x, y); got 4: nothing reads "extra" after y', false],
    ['grad', () => [x3, y3, { steps: 2 }], 'grad takes at most 2 arguments (x, y); got 3: nothing reads { steps } after y', false],
    ['predict', () => [x3, { batchSize: 2 }], 'predict takes one argument (x); got 2: nothing reads { batchSize } after x', false],
    ['evaluate', () => [x3, y3, { batchSize: 2 }], 'evaluate takes at most 2 arguments (x, y); got 3: nothing reads { batchSize } after y', false],
    ['setParams', (c) => [c.params, c.params], 'setParams takes one argument (params); got 2: nothing reads { W, b } after params', false],
    ['getParams', () => [{ copy: false }], 'getParams takes no arguments; got 1: nothing reads { copy }', false],
    ['getParamsSpec', () => [1], 'getParamsSpec takes no arguments; got 1: nothing reads 1', false],
    ['save', () => ['model.safetensors'], 'save takes no arguments; got 1: nothing reads "model.safetensors"', false],
    ['restore', (c) => [c.bytes, { epochs: 0 }], 'restore takes one argument (bytes); got 2: nothing reads { epochs } after bytes', false],
    ['rebuild', () => [{ backend: 'cpu' }, { threads: 2 }], `rebuild takes one argument (${OPTIONS}); got 2: put threads in options, the first`, false],
    ['lastKnownParams', () => [true], 'lastKnownParams takes no arguments; got 1: nothing reads true', true],
    ['optimizerState', () => [null], 'optimizerState takes no arguments; got 1: nothing reads null', true],
    ['Model.create', (c) => [goodSpec(), { shared: c.shared }, { threads: 2 }], `Model.create takes at most 2 arguments (spec, ${OPTIONS}); got 3: put threads in options, the second`, false],
    ['Model.load', (c) => [c.bytes, { shared: c.shared }, { backend: 'cpu' }], `Model.load takes at most 2 arguments (bytes, ${OPTIONS}); got 3: put backend in options, the second`, false],
  ];
  /** Call `name` on `model` (Model.… on the class) with `args`, past the types, which refuse them already. */
  function invoke(model: Model, name: string, args: unknown[]): unknown {
    const [on, method] = name.startsWith('Model.') ? [Model, name.slice(6)] : [model, name];
    return (on[method as keyof typeof on] as unknown as (...a: unknown[]) => unknown).apply(on, args);
  }

  it.each(cases)('%s', async (name, args, message, sync) => {
    const backend = new CountingBackend();
    const model = await Model.create(goodSpec(), { shared: backend });
    await model.train({ steps: 3 });
    await model.fit({ epochs: 1, batchSize: 3 }); // an optimiser state and an epoch count, to stay as they are
    const ctx: Ctx = { shared: backend, bytes: await model.save(), params: await model.getParams() };
    const before = { params: ctx.params, epochs: model.epochsTrained, state: model.optimizerState(), known: model.lastKnownParams(), calls: { ...backend.calls } };
    let err: unknown;
    if (sync) err = caughtSync(() => invoke(model, name, args(ctx)));
    else {
      const result = invoke(model, name, args(ctx)); // an async call rejects (as for every other bad argument), never throws
      expect(result).toBeInstanceOf(Promise);
      err = await caught(result as Promise<unknown>);
    }
    expectError(err, SpecError, 'SPEC', 'arguments');
    expect((err as Error).message).toBe(`arguments: ${message}`);
    expect(backend.calls, 'no backend work').toEqual(before.calls);
    expect(model.epochsTrained).toBe(before.epochs);
    expect(model.optimizerState()).toEqual(before.state);
    expect(model.lastKnownParams()).toEqual(before.known);
    expect(bitsEqual(await model.getParams(), before.params), 'parameters unchanged').toBe(true);
    await model.fit({ epochs: 1, batchSize: 3 }); // still usable
    expect(model.epochsTrained).toBe(before.epochs + 1);
    model.dispose();
  });

  it('the ordinary calls still run: optional arguments left out, or given as undefined in their place', async () => {
    const backend = new CountingBackend();
    const model = await Model.create(goodSpec(), { shared: backend });
    await model.grad();
    await model.grad(undefined, undefined);
    await model.grad(x3, y3);
    await model.step();
    await model.step(undefined, x3, y3);
    await model.train({ steps: 2, lr: 0.1, x: x3, y: y3 });
    expect(await model.fit({ x: x3, y: y3, epochs: 2, batchSize: 3 })).toHaveLength(2);
    expect(await model.predict(x3)).toHaveLength(3);
    expect((await model.evaluate(x3, y3)).loss).toBeGreaterThan(0);
    await model.setParams(await model.getParamsSpec());
    expect(model.lastKnownParams().stepsSince).toBe(0);
    expect(model.optimizerState()?.name).toBe('sgd');
    const bytes = await model.save();
    await model.restore(bytes);
    const loaded = await Model.load(bytes, undefined); // options given as undefined: the defaults ('auto': wasm in Node)
    expect(bitsEqual(await loaded.getParams(), await model.getParams())).toBe(true);
    loaded.dispose();
    const next = await model.rebuild(undefined);
    expect(next.kind).toBe('cpu');
    expect((await next.fit({ epochs: 1, batchSize: 3 })).length).toBe(1);
    // dispose ignores arguments (a listener or callback is given one): it disposes, and again is a no-op.
    (next.dispose as (...a: unknown[]) => void)(new Event('pagehide'));
    await expect(next.getParams()).rejects.toBeInstanceOf(DisposedError);
    next.dispose(); // idempotent
  });
});
