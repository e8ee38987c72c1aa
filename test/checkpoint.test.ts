/**
 * Checkpoints (src/train/safetensors.ts, src/train/checkpoint.ts, Model.save / load / restore), beyond the
 * save → load → continue equalities of fit-checkpoints.test.ts and wasm-fit.test.ts:
 * - bytes in any Uint8Array view load the same: a pooled Node Buffer, a view at an odd byteOffset (the expected
 *   values are the saving model's own parameters and state, read with getParams / optimizerState);
 * - a corrupt file, spec, parameter, optimiser state or epoch count is a typed error naming checkpoint.…, on load and
 *   on restore, and restore leaves the model bitwise as it was;
 * - the spec's top-level lr survives save → load (compared with the uninterrupted run); an older checkpoint without
 *   it still loads;
 * - restore then fit equals load then fit equals the uninterrupted model's fit, with no optimizer given (bitwise
 *   params, state, epochs), on cpu and wasm;
 * - Model.load validates with options.budget, restore with the model's;
 * - a wasm checkpoint loads bitwise on cpu and a cpu one on wasm, and continues bitwise on both.
 */
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { getBudget, setBudget } from '../src/budget.ts';
import { BackpropError, SpecError } from '../src/errors.ts';
import { Model } from '../src/model.ts';
import type { NetworkSpec, Params } from '../src/spec.ts';
import { validateNet } from '../src/spec.ts';
import { CHECKPOINT_FORMAT, loadCheckpoint, saveCheckpoint } from '../src/train/checkpoint.ts';
import { counted } from './lib/count-allocations.ts';
import type { OptimizerState } from '../src/train/optimizers.ts';
import { type Tensor, decodeSafetensors, encodeSafetensors } from '../src/train/safetensors.ts';

const u32 = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
const bits = (p: Params): string => JSON.stringify([...p.W, ...p.b].map(u32));
const stateBits = (s: OptimizerState | undefined): string =>
  JSON.stringify(s, (_, v) => (v instanceof Float32Array ? u32(v) : v));

const SPEC: NetworkSpec = {
  inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 },
};
const NO_BIAS: NetworkSpec = {
  inputs: 2, layers: [{ units: 3, activation: 'tanh', bias: 'none' }, { units: 1, activation: 'sigmoid', bias: 'none' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 },
};
const x = [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, -0.5], [-1, 0.25]];
const y = [[0], [1], [1], [0], [1], [0]];

/** The failure of a call as "Class field" (or 'resolved'). */
/** The checkpoint of SPEC on x, y after `epochs` epochs of `optimizer` in batches of 2, on the CPU. */
async function savedAfter(optimizer: 'adam' | 'momentum', epochs: number): Promise<Uint8Array> {
  const model = await Model.create({ ...SPEC, x, y }, { backend: 'cpu' });
  await model.fit({ epochs, batchSize: 2, optimizer });
  return model.save();
}

async function outcome(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
    return 'resolved';
  } catch (err) {
    const e = err as BackpropError;
    return `${e.name} ${e.field}`;
  }
}

/** A checkpoint's tensors and metadata with some replaced (the rest as saved). */
function edited(bytes: Uint8Array, tensors: Record<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const ck = decodeSafetensors(bytes);
  return encodeSafetensors({ ...ck.tensors, ...tensors }, { ...ck.metadata, ...metadata });
}

/** A copy of F32 tensor `name` of `bytes` with element k set to v. */
function f32With(bytes: Uint8Array, name: string, k: number, v: number): Tensor {
  const t = decodeSafetensors(bytes).tensors[name];
  const data = (t.data as Float32Array).slice();
  data[k] = v;
  return { dtype: 'F32', shape: t.shape, data };
}

/** A raw safetensors file: an 8-byte length, this header JSON, then `body`. */
function rawFile(header: unknown, body = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + body.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(body, 8 + json.length);
  return out;
}

/**
 * Each file given to restore (on a trained Adam model of SPEC, which must come out bitwise unchanged) and to
 * Model.load: the outcomes of both.
 */
async function refusals(cases: [string, Uint8Array][]): Promise<{ restored: string[]; loaded: string[] }> {
  const other = await Model.create({ ...SPEC, init: { scheme: 'he', seed: 7 }, x, y }, { backend: 'cpu' });
  await other.fit({ epochs: 3, batchSize: 3, optimizer: 'adam' });
  const before = { params: bits(await other.getParams()), state: stateBits(other.optimizerState()), epochs: other.epochsTrained };
  const restored: string[] = [];
  const loaded: string[] = [];
  for (const [, bytes] of cases) {
    restored.push(await outcome(() => other.restore(bytes)));
    loaded.push(await outcome(() => Model.load(bytes, { backend: 'cpu' })));
  }
  expect(bits(await other.getParams())).toBe(before.params);
  expect(stateBits(other.optimizerState())).toBe(before.state);
  expect(other.epochsTrained).toBe(before.epochs);
  other.dispose();
  return { restored, loaded };
}

describe('checkpoint bytes in any Uint8Array view', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`a pooled Node Buffer and a view at an odd byteOffset load the saved params and state bitwise (${backend})`, async () => {
      const adam = await Model.create({ ...SPEC, x, y }, { backend });
      await adam.fit({ epochs: 2, batchSize: 2, optimizer: 'adam' });
      const trained = await Model.create({ ...SPEC, x, y, lr: 0.5 }, { backend });
      await trained.train({ steps: 3 }); // no optimiser state
      const noBias = await Model.create(NO_BIAS, { backend });
      for (const model of [adam, trained, noBias]) {
        const bytes = await model.save();
        const saved = bits(await model.getParams());
        const pooled = Buffer.from(bytes);
        // Buffer.from of a small array is a view into Node's shared pool: the case this test is about.
        expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.length);
        const odd = Buffer.concat([Buffer.alloc(3), pooled]).subarray(3);
        expect(odd.byteOffset % 4).not.toBe(0);
        const inLarger = new Uint8Array(new ArrayBuffer(bytes.length + 13), 5, bytes.length);
        inLarger.set(bytes);
        // A browser's `await response.arrayBuffer()`: the file's bytes too (it was refused as "not a valid safetensors file").
        const buffer = bytes.slice().buffer;
        // Bytes from another realm (an iframe's, a vm context's): instanceof Uint8Array is false there, and the
        // message said the bytes must be "a Uint8Array …, got a Uint8Array".
        const realm = runInNewContext('(b) => [new Uint8Array(b), new Uint8Array(b).buffer]', {}) as (b: Uint8Array) => [Uint8Array, ArrayBuffer];
        const [foreignView, foreignBuffer] = realm(bytes);
        expect(foreignView instanceof Uint8Array).toBe(false);
        for (const view of [pooled, odd, inLarger, buffer, foreignView, foreignBuffer]) {
          const loaded = await Model.load(view, { backend });
          expect(bits(await loaded.getParams())).toBe(saved);
          expect(stateBits(loaded.optimizerState())).toBe(stateBits(model.optimizerState()));
          expect(loaded.epochsTrained).toBe(model.epochsTrained);
          loaded.dispose();
          await model.restore(view);
          expect(bits(await model.getParams())).toBe(saved);
        }
        model.dispose();
      }
    });
  }
});

describe('a corrupt checkpoint is a typed error naming checkpoint.…, the model unchanged', () => {
  it('parameters, optimiser state and epochs: finite values, Adam v ≥ 0, t an integer ≥ 0 (0 only with a zero state), epochs in decimal digits', async () => {
    const good = await savedAfter('adam', 2);
    const goodMomentum = await savedAfter('momentum', 1);
    const t = (v: bigint, shape: number[] = []): Tensor => ({ dtype: 'I64', shape, data: BigInt64Array.of(v) });
    const zeroM = (name: string): Tensor => { const s = decodeSafetensors(good).tensors[name]; return { dtype: 'F32', shape: s.shape, data: new Float32Array(s.data.length) }; };
    const cases: [string, Uint8Array][] = [
      ['NonFiniteError checkpoint.W_1[0][1]', edited(good, { W_1: f32With(good, 'W_1', 1, NaN) })],
      ['NonFiniteError checkpoint.W_2[0][2]', edited(good, { W_2: f32With(good, 'W_2', 2, -Infinity) })],
      ['NonFiniteError checkpoint.b_1[2]', edited(good, { b_1: f32With(good, 'b_1', 2, Infinity) })],
      ['NonFiniteError checkpoint.optimizer.m.W_1[1][0]', edited(good, { 'optimizer.m.W_1': f32With(good, 'optimizer.m.W_1', 2, NaN) })],
      ['NonFiniteError checkpoint.optimizer.v.b_2[0]', edited(good, { 'optimizer.v.b_2': f32With(good, 'optimizer.v.b_2', 0, Infinity) })],
      ['SpecError checkpoint.optimizer.v.b_1[1]', edited(good, { 'optimizer.v.b_1': f32With(good, 'optimizer.v.b_1', 1, -1) })],
      ['SpecError checkpoint.optimizer.v.W_2[0][0]', edited(good, { 'optimizer.v.W_2': f32With(good, 'optimizer.v.W_2', 0, -1e-30) })],
      ['NonFiniteError checkpoint.optimizer.buf.W_1[0][0]', edited(goodMomentum, { 'optimizer.buf.W_1': f32With(goodMomentum, 'optimizer.buf.W_1', 0, NaN) })],
      ['SpecError checkpoint.optimizer.t', edited(good, { 'optimizer.t': t(-1n) })],
      ['SpecError checkpoint.optimizer.t', edited(good, { 'optimizer.t': t(2n ** 62n) })],
      ['SpecError checkpoint.optimizer.t', edited(good, { 'optimizer.t': t(2n ** 53n) })], // one past 2⁵³ − 1, the most a count holds (README: Checkpoints)
      ['ShapeError checkpoint.optimizer.t', edited(good, { 'optimizer.t': t(4n, [1]) })],
      // t = 0 is a state before the first step: m and v must still be 0 (here m is, v is not)
      ['SpecError checkpoint.optimizer.v.W_1[0][0]', edited(good, { 'optimizer.t': t(0n), 'optimizer.m.W_1': zeroM('optimizer.m.W_1'), 'optimizer.m.b_1': zeroM('optimizer.m.b_1'), 'optimizer.m.W_2': zeroM('optimizer.m.W_2'), 'optimizer.m.b_2': zeroM('optimizer.m.b_2') })],
      ...['', '0x10', '1e300', '1.5', '-1', ' 3', '03', '9007199254740992', '9007199254740993', '1'.repeat(400)].map((e): [string, Uint8Array] => ['SpecError checkpoint.epochs', edited(good, {}, { epochs: e })]),
    ];
    const { restored, loaded } = await refusals(cases);
    expect(restored).toEqual(cases.map(([e]) => e));
    expect(loaded).toEqual(cases.map(([e]) => e));
  });

  it('t = 0 with a zero state (saved before the first step) loads, and fit continues as a fresh Adam', async () => {
    const model = await Model.create({ ...SPEC, x, y }, { backend: 'cpu' });
    await model.fit({ epochs: 1, batchSize: 2, optimizer: 'adam' });
    const good = await model.save();
    const zeros: Record<string, Tensor> = { 'optimizer.t': { dtype: 'I64', shape: [], data: BigInt64Array.of(0n) } };
    for (const [name, tensor] of Object.entries(decodeSafetensors(good).tensors)) {
      if (/^optimizer\.[mv]\./.test(name)) zeros[name] = { dtype: 'F32', shape: tensor.shape, data: new Float32Array(tensor.data.length) };
    }
    const loaded = await Model.load(edited(good, zeros, { epochs: '0' }), { backend: 'cpu' });
    const { init: _, ...net } = SPEC;
    const fresh = await Model.create({ ...net, params: await model.getParamsSpec() }, { backend: 'cpu' });
    const run = { x, y, epochs: 2, batchSize: 2, optimizer: 'adam' as const };
    await loaded.fit(run);
    await fresh.fit(run);
    expect(bits(await loaded.getParams())).toBe(bits(await fresh.getParams()));
    expect(stateBits(loaded.optimizerState())).toBe(stateBits(fresh.optimizerState()));
  });

  it('every tensor is accounted for: another tensor is refused naming it; optimiser slots without optimizer.t, or t without its slots, are refused', async () => {
    const good = await savedAfter('adam', 1);
    const goodMomentum = await savedAfter('momentum', 1);
    const plain = await (await Model.create({ ...SPEC, lr: 0.5 }, { backend: 'cpu' })).save(); // no optimiser state
    const noBias = await (await Model.create(NO_BIAS, { backend: 'cpu' })).save();
    const tensors = (bytes: Uint8Array) => decodeSafetensors(bytes).tensors;
    /** The file with the tensors whose names match `drop` left out. */
    const without = (bytes: Uint8Array, drop: RegExp): Uint8Array => {
      const ck = decodeSafetensors(bytes);
      return encodeSafetensors(Object.fromEntries(Object.entries(ck.tensors).filter(([name]) => !drop.test(name))), ck.metadata);
    };
    const cases: [string, Uint8Array][] = [
      ['ShapeError checkpoint.optimizer.t', without(good, /^optimizer\.t$/)], // m and v kept: the state would be dropped
      ['ShapeError checkpoint.optimizer.t', without(goodMomentum, /^optimizer\.t$/)],
      ['ShapeError checkpoint.optimizer.t', edited(plain, { 'optimizer.m.W_1': tensors(good)['optimizer.m.W_1'] })],
      ['ShapeError checkpoint.optimizer.m.W_1', without(good, /^optimizer\.[mv]\./)], // t without Adam's slots
      ['ShapeError checkpoint.optimizer.buf.W_1', without(goodMomentum, /^optimizer\.buf\./)],
      ['ShapeError checkpoint.optimizer.v.b_2', without(good, /^optimizer\.v\.b_2$/)],
      ['SpecError checkpoint.W_3', edited(good, { W_3: tensors(good).W_1 })],
      ['SpecError checkpoint.optimizer.buf.W_1', edited(good, { 'optimizer.buf.W_1': tensors(good).W_1 })],
      ['SpecError checkpoint.optimizer.m.W_1', edited(goodMomentum, { 'optimizer.m.W_1': tensors(good)['optimizer.m.W_1'] })],
      ['SpecError checkpoint.optimizer.W_1', edited(good, { 'optimizer.W_1': tensors(good).W_1 })],
      ['SpecError checkpoint.b_1', edited(noBias, { b_1: tensors(good).b_1 })], // a layer with bias 'none'
      ['SpecError checkpoint.w_1', edited(plain, { w_1: tensors(plain).W_1 })],
    ];
    const { restored, loaded } = await refusals(cases);
    // the no-bias file is of another net than the restoring model: restore names checkpoint.spec first
    expect(restored).toEqual(cases.map(([e]) => (e === 'SpecError checkpoint.b_1' ? 'SpecError checkpoint.spec' : e)));
    expect(loaded).toEqual(cases.map(([e]) => e));
    // the untouched files still load
    for (const bytes of [good, goodMomentum, plain, noBias]) expect(await outcome(() => Model.load(bytes, { backend: 'cpu' }))).toBe('resolved');
  });

  it('another net is named by what differs: a bias mode or the reduction, not two identical descriptions', async () => {
    const model = await Model.create(SPEC, { backend: 'cpu' });
    const message = async (spec: NetworkSpec): Promise<string> => {
      const other = await Model.create(spec, { backend: 'cpu' });
      return model.restore(await other.save()).then(() => 'resolved', (err: BackpropError) => `${err.field}: ${err.message}`);
    };
    // SPEC is 2 inputs → 3 tanh → 1 sigmoid, bce, per-unit biases, reduction mean (the defaults).
    expect(await message({ ...SPEC, reduction: 'sum' })).toBe('checkpoint.spec: checkpoint.spec: the checkpoint is of another net '
      + '(2-3 tanh-1 sigmoid, bce, reduction sum), not this one (2-3 tanh-1 sigmoid, bce, reduction mean)');
    expect(await message({ ...SPEC, layers: [{ units: 3, activation: 'tanh', bias: 'shared' }, { units: 1, activation: 'sigmoid' }] }))
      .toBe('checkpoint.spec: checkpoint.spec: the checkpoint is of another net '
        + '(2-3 tanh (bias shared)-1 sigmoid, bce, reduction mean), not this one (2-3 tanh-1 sigmoid, bce, reduction mean)');
    expect(await message(NO_BIAS)).toContain('(2-3 tanh (bias none)-1 sigmoid (bias none), bce, reduction mean), not this one');
  });

  it('a malformed safetensors header: SpecError naming checkpoint (no TypeError)', async () => {
    const model = await Model.create(SPEC, { backend: 'cpu' });
    const { metadata } = decodeSafetensors(await model.save());
    const cases: [string, Uint8Array][] = [
      ['null header', rawFile(null)],
      ['number header', rawFile(5)],
      ['array header', rawFile([])],
      ['null tensor entry', rawFile({ __metadata__: metadata, W_1: null })],
      ['string shape', rawFile({ __metadata__: metadata, W_1: { dtype: 'F32', shape: 'ab', data_offsets: [0, 0] } })],
      ['negative shape', rawFile({ __metadata__: metadata, W_1: { dtype: 'F32', shape: [-1, -6], data_offsets: [0, 24] } }, new Uint8Array(24))],
      ['fractional shape', rawFile({ __metadata__: metadata, W_1: { dtype: 'F32', shape: [1.5, 4], data_offsets: [0, 24] } }, new Uint8Array(24))],
      ['fractional data_offsets', rawFile({ __metadata__: metadata, W_1: { dtype: 'F32', shape: [1], data_offsets: [0.5, 4.5] } }, new Uint8Array(8))],
      ['negative data_offsets', rawFile({ __metadata__: metadata, W_1: { dtype: 'F32', shape: [1], data_offsets: [-4, 0] } }, new Uint8Array(8))],
      ['missing data_offsets', rawFile({ __metadata__: metadata, W_1: { dtype: 'F32', shape: [] } }, new Uint8Array(8))],
      ['metadata of non-strings', rawFile({ __metadata__: { ...metadata, spec: { inputs: 2 } } })],
      ['null metadata', rawFile({ __metadata__: null })],
      ['unknown dtype', rawFile({ __metadata__: metadata, W_1: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, new Uint8Array(8))],
    ];
    const got: string[] = [];
    for (const [, bytes] of cases) got.push(await outcome(() => Model.load(bytes, { backend: 'cpu' })));
    expect(got).toEqual(cases.map(() => 'SpecError checkpoint'));
    // __metadata__ is a map of string to string (the format): null is refused naming it, as a string or an array is;
    // a value that is not a string names its key. Absent, the metadata is {}.
    const decodeError = (bytes: Uint8Array): string => {
      try {
        decodeSafetensors(bytes);
        return 'decoded';
      } catch (e) {
        return `${(e as BackpropError).name} ${(e as BackpropError).field}: ${(e as Error).message}`;
      }
    };
    const invalid = 'SpecError checkpoint: checkpoint: not a valid safetensors file:';
    expect(decodeError(rawFile({ __metadata__: null }))).toBe(`${invalid} __metadata__ is null, not an object of strings`);
    expect(decodeError(rawFile({ __metadata__: 'a' }))).toBe(`${invalid} __metadata__ is "a", not an object of strings`);
    expect(decodeError(rawFile({ __metadata__: ['a'] }))).toBe(`${invalid} __metadata__ is an array of length 1, not an object of strings`);
    expect(decodeError(rawFile({ __metadata__: { a: 'b', n: null } }))).toBe(`${invalid} __metadata__.n is null, not a string`);
    expect(decodeSafetensors(rawFile({})).metadata).toEqual({});
    // A tensor's bytes are its dtype's size × the product of its shape (F32 4, I64 8; no other dtype): too few (a
    // typed array past its buffer), too many (bytes read as no value), or a dtype of another size, each named.
    const sizeCase = (dtype: string, shape: number[], bytes: number): string => decodeError(rawFile({ W_1: { dtype, shape, data_offsets: [0, bytes] } }, new Uint8Array(bytes)));
    expect(sizeCase('F32', [2], 4)).toBe(`${invalid} tensor W_1: dtype F32 with shape [2] does not fit 4 bytes (F32 and I64 only)`);
    expect(sizeCase('F32', [1], 8)).toBe(`${invalid} tensor W_1: dtype F32 with shape [1] does not fit 8 bytes (F32 and I64 only)`);
    expect(sizeCase('I64', [], 4)).toBe(`${invalid} tensor W_1: dtype I64 with shape [] does not fit 4 bytes (F32 and I64 only)`);
    expect(sizeCase('F16', [2], 4)).toBe(`${invalid} tensor W_1: dtype F16 with shape [2] does not fit 4 bytes (F32 and I64 only)`);
    expect(decodeSafetensors(rawFile({ W_1: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, new Uint8Array(8))).tensors.W_1.data).toEqual(new Float32Array(2));
    // A header length of 2⁶⁴ − 1: the message gives it exactly (18446744073709551615, not a double's 18446744073709552000).
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 64n - 1n, true);
    const err = await Model.load(huge, { backend: 'cpu' }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(BackpropError);
    expect((err as Error).message).toMatch(/the header says 18446744073709551615 bytes of JSON but the file has 8 after/);
    // Not bytes at all: said so, not "not a valid safetensors file" (which reads as a corrupt file).
    const bytes = await model.save();
    for (const [notBytes, got] of [[new DataView(bytes.buffer), 'a DataView'], [Array.from(bytes), `an array of length ${bytes.length}`], ['AAAA', '"AAAA"'], [new Uint16Array(2), 'a Uint16Array of length 2'], [new Int8Array(2), 'an Int8Array of length 2']] as const) {
      const e = await Model.load(notBytes as never, { backend: 'cpu' }).then(() => undefined, (x: unknown) => x);
      expect((e as Error).message).toBe(`checkpoint: must be the file's bytes, a Uint8Array (a Node Buffer is one) or an ArrayBuffer, got ${got}`);
    }
    model.dispose();
  });

  it('the stored spec holds the net, lr and run fields only: init, x, y, params are refused naming checkpoint.spec.<key>; its errors name checkpoint.spec.…', async () => {
    const model = await Model.create({ ...SPEC, lr: 0.1 }, { backend: 'cpu' });
    const good = await model.save();
    const spec = JSON.parse(decodeSafetensors(good).metadata.spec) as Record<string, unknown>;
    const withSpec = (s: unknown): Uint8Array => edited(good, {}, { spec: JSON.stringify(s) });
    const cases: [string, Uint8Array][] = [
      ['SpecError checkpoint.spec.init', withSpec({ ...spec, init: { scheme: 'he', seed: 1 } })],
      ['SpecError checkpoint.spec.x', withSpec({ ...spec, x, y })],
      ['SpecError checkpoint.spec.y', withSpec({ ...spec, y })],
      ['SpecError checkpoint.spec.params', withSpec({ ...spec, params: await model.getParamsSpec() })],
      ['SpecError checkpoint.spec.layers[1].activation', withSpec({ ...spec, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'swish' }] })],
      ['SpecError checkpoint.spec.lr', withSpec({ ...spec, lr: -1 })],
      ['SpecError checkpoint.spec', withSpec([1, 2])],
    ];
    const got: string[] = [];
    for (const [, bytes] of cases) got.push(await outcome(() => Model.load(bytes, { backend: 'cpu' })));
    expect(got).toEqual(cases.map(([e]) => e));
    // A file's megabyte-long key, or a tensor of such a name (checkpoint.NAME), or saveCheckpoint's metadata key: every error names its
    // field whole up to 200 characters, then cut with "…" (errors.ts shownField), the message (which starts with it)
    // under 1 kB — the field and message were a megabyte each.
    const long = 'k'.repeat(1 << 20);
    const cutAt200 = (prefix: string) => `${prefix}${'k'.repeat(200 - prefix.length)}…`;
    const named = (err: unknown) => [err instanceof SpecError, (err as SpecError).field, (err as SpecError).message.length < 1024];
    const rejects = (bytes: Uint8Array) => Model.load(bytes, { backend: 'cpu' }).then(() => undefined, (e: unknown) => e);
    expect(named(await rejects(withSpec({ ...spec, [long]: 1 })))).toEqual([true, cutAt200('checkpoint.spec.'), true]);
    expect(named(await rejects(edited(good, { [long]: { dtype: 'F32', shape: [1], data: new Float32Array(1) } })))).toEqual([true, cutAt200('checkpoint.'), true]);
    let meta: unknown;
    try {
      saveCheckpoint(model.net, { ...SPEC, lr: 0.1 }, await model.getParams(), undefined, 0, { [long]: 3 } as never);
    } catch (e) {
      meta = e;
    }
    expect(named(meta)).toEqual([true, cutAt200('metadata.'), true]);
  });
});

describe('encodeSafetensors (exported) checks its arguments: a SpecError naming the field, never a file decodeSafetensors refuses', () => {
  it('bad tensors and metadata are refused by name; good ones round-trip', () => {
    const f32 = (n: number) => new Float32Array(n).fill(0.5);
    const cases: [string, unknown, unknown, string][] = [
      ['tensors null', null, {}, 'tensors'],
      ['a tensor that is a number', { W_1: 3 }, {}, 'tensors.W_1'],
      ['the metadata key as a tensor', { __metadata__: { dtype: 'F32', shape: [1], data: f32(1) } }, {}, 'tensors.__metadata__'],
      ['dtype F16', { W_1: { dtype: 'F16', shape: [1], data: f32(1) } }, {}, 'tensors.W_1.dtype'],
      ['shape a string', { W_1: { dtype: 'F32', shape: '2', data: f32(2) } }, {}, 'tensors.W_1.shape'],
      ['shape with -1', { W_1: { dtype: 'F32', shape: [-1, 2], data: f32(2) } }, {}, 'tensors.W_1.shape[0]'],
      ['shape with 1.5', { W_1: { dtype: 'F32', shape: [2, 1.5], data: f32(2) } }, {}, 'tensors.W_1.shape[1]'],
      ['an unknown key in a tensor', { W_1: { dtype: 'F32', shape: [1], data: f32(1), extra: 1 } }, {}, 'tensors.W_1.extra'],
      // eslint-disable-next-line no-sparse-arrays
      ['shape with a hole (JSON would write null)', { W_1: { dtype: 'F32', shape: [2, , 3], data: f32(6) } }, {}, 'tensors.W_1.shape[1]'],
      ['data a plain array', { W_1: { dtype: 'F32', shape: [2], data: [1, 2] } }, {}, 'tensors.W_1.data'],
      ['F32 data for I64', { t: { dtype: 'I64', shape: [], data: f32(1) } }, {}, 'tensors.t.data'],
      ['3 elements for shape [2]', { W_1: { dtype: 'F32', shape: [2], data: f32(3) } }, {}, 'tensors.W_1.data'],
      ['2 elements for shape [3]', { W_1: { dtype: 'F32', shape: [3], data: f32(2) } }, {}, 'tensors.W_1.data'],
      ['metadata null', { W_1: { dtype: 'F32', shape: [1], data: f32(1) } }, null, 'metadata'],
      ['metadata of a number', { W_1: { dtype: 'F32', shape: [1], data: f32(1) } }, { epochs: 3 }, 'metadata.epochs'],
    ];
    const got = cases.map(([, tensors, metadata]) => {
      try {
        encodeSafetensors(tensors as never, metadata as never);
        return 'wrote a file';
      } catch (err) {
        return `${(err as Error).name} ${(err as { field?: string }).field}`;
      }
    });
    expect(got).toEqual(cases.map(([, , , field]) => `SpecError ${field}`));
    // A typed array of the wrong kind is named (it said "got object"), by its intrinsic kind and length: one without a
    // prototype (no constructor, no length getter) is named all the same, not a TypeError in the message.
    const bare = Object.setPrototypeOf(new Float64Array(3), null) as unknown;
    expect(() => encodeSafetensors({ W_1: { dtype: 'F32', shape: [3], data: bare } } as never, {})).toThrow('tensors.W_1.data: must be a Float32Array (dtype F32), got a Float64Array of length 3');
    expect(() => encodeSafetensors({ t: { dtype: 'I64', shape: [1], data: new Int8Array(1) } } as never, {})).toThrow('got an Int8Array of length 1');
    // A dtype outside the two gets the list and a guess, as every fixed set of values does (it got none).
    expect(() => encodeSafetensors({ W_1: { dtype: 'f32', shape: [1], data: f32(1) } } as never, {})).toThrow("tensors.W_1.dtype: must be one of 'F32', 'I64', got \"f32\"; did you mean 'F32'?");
    // Read once: a tensor whose shape answers [1] to the check and [2] after gets the file of what was checked.
    let reads = 0;
    const shifty = { dtype: 'F32', data: f32(1), get shape() { reads++; return reads === 1 ? [1] : [2]; } };
    const once = decodeSafetensors(encodeSafetensors({ W_1: shifty } as never, {}));
    expect([reads, once.tensors.W_1.shape]).toEqual([1, [1]]);
    expect(() => encodeSafetensors({ W_1: { dtype: 'F32', shape: [2], data: new Float64Array(2) } } as never, {})).toThrow('tensors.W_1.data: must be a Float32Array (dtype F32), got a Float64Array of length 2');
    // The good case, written independently of the encoder: decode gives back the values, shapes and metadata.
    const W = new Float32Array([1.5, -2, 0.25, 8, 0, -0.125]);
    const t = new BigInt64Array([7n]);
    const back = decodeSafetensors(encodeSafetensors({ W_1: { dtype: 'F32', shape: [2, 3], data: W }, t: { dtype: 'I64', shape: [], data: t } }, { k: 'v' }));
    expect(back.metadata).toEqual({ k: 'v' });
    expect(back.tensors.W_1).toEqual({ dtype: 'F32', shape: [2, 3], data: W });
    expect(back.tensors.t).toEqual({ dtype: 'I64', shape: [], data: t });
  });

  // The format allows an empty tensor (a dimension 0): data_offsets [k, k], begin = end. encodeSafetensors takes
  // shape [0] (a dimension ≥ 0), so decode must give it back; the tensor after it must still be read from byte k.
  it('an empty tensor (shape [0], data_offsets [k, k]) round-trips, and the tensor after it keeps its bytes', () => {
    const a = new Float32Array([1, 2]);
    const c = new Float32Array([3]);
    const bytes = encodeSafetensors({ a: { dtype: 'F32', shape: [2], data: a }, e: { dtype: 'F32', shape: [0], data: new Float32Array(0) }, c: { dtype: 'F32', shape: [1], data: c } }, {});
    const length = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as Record<string, { data_offsets: number[] }>;
    // a: 2 floats = bytes [0, 8); e: none, [8, 8); c: 1 float, [8, 12).
    expect([header.a.data_offsets, header.e.data_offsets, header.c.data_offsets]).toEqual([[0, 8], [8, 8], [8, 12]]);
    const back = decodeSafetensors(bytes);
    expect(back.tensors.e).toEqual({ dtype: 'F32', shape: [0], data: new Float32Array(0) });
    expect([back.tensors.a.data, back.tensors.c.data]).toEqual([a, c]);
  });

  // The format (huggingface.co/docs/safetensors): the byte buffer is indexed whole, with no holes — so no file hides
  // bytes its header does not name — and no byte is two tensors' data.
  it('data not indexed whole — a gap, an overlap, bytes after the last tensor — is refused naming checkpoint; tensors in any header order are not', () => {
    const f32 = (...v: number[]) => new Uint8Array(new Float32Array(v).buffer);
    const body = new Uint8Array([...f32(1, 2), ...f32(3)]);
    const good = decodeSafetensors(rawFile({ c: { dtype: 'F32', shape: [1], data_offsets: [8, 12] }, a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, body));
    expect([good.tensors.a.data, good.tensors.c.data]).toEqual([new Float32Array([1, 2]), new Float32Array([3])]);
    const cases: [string, Uint8Array, string][] = [
      ['a gap', rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, c: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, body), 'tensor c begins at data byte 8, not 4: a gap before it'],
      ['a gap first', rawFile({ c: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, body), 'tensor c begins at data byte 8, not 0: a gap before it'],
      ['an overlap', rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, c: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, body.subarray(0, 8)), 'tensor c begins at data byte 4, not 8: it overlaps the tensor before it'],
      ['bytes after', rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, body), "the tensors' data ends at byte"],
    ];
    for (const [what, bytes, words] of cases) {
      expect(() => decodeSafetensors(bytes), what).toThrow(SpecError);
      expect(() => decodeSafetensors(bytes), what).toThrow(`checkpoint: not a valid safetensors file: ${words}`);
    }
  });

  // The header is padded with spaces to a multiple of 8, and no further: 0 … 7 spaces (safetensors' alignment rule).
  it('the header is padded to the next multiple of 8 bytes, with no padding when the JSON is already a multiple of 8', () => {
    // By hand: {"__metadata__":{"a":"bcdefgh"}} is 1 + 14 + 1 = 16 characters up to the inner '{', then
    // {"a":"bcdefgh"} 15 and the closing } 1: 32, a multiple of 8, so no padding: 8 + 32 bytes in all.
    const aligned = encodeSafetensors({}, { a: 'bcdefgh' });
    expect(aligned.length).toBe(40);
    expect(new DataView(aligned.buffer).getBigUint64(0, true)).toBe(32n);
    expect(new TextDecoder().decode(aligned.subarray(8))).toBe('{"__metadata__":{"a":"bcdefgh"}}');
    // {"__metadata__":{}} is 19 characters: 5 spaces make 24.
    const short = encodeSafetensors({}, {});
    expect(new TextDecoder().decode(short.subarray(8))).toBe('{"__metadata__":{}}     ');
    // Metadata values of 0 … 7 characters: every JSON length mod 8 once; each header is the JSON and 0 … 7 spaces.
    for (let k = 0; k < 8; k++) {
      const bytes = encodeSafetensors({}, { a: 'x'.repeat(k) });
      const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
      const text = new TextDecoder().decode(bytes.subarray(8, 8 + length));
      const json = text.trimEnd();
      expect(length % 8, `k = ${k}`).toBe(0);
      expect(length - json.length, `k = ${k}: padding`).toBeLessThan(8);
      expect(json.length, `k = ${k}`).toBe(25 + k); // {"__metadata__":{"a":""}}: 16 + 8 + 1 = 25 characters, + k
    }
  });

  it("a tensor or metadata key '__proto__' is a key like any other: written, read back as an own key, refused by name in a checkpoint", async () => {
    const own = <T>(value: T): Record<string, T> => Object.defineProperty({}, '__proto__', { value, enumerable: true }) as Record<string, T>;
    const five: Tensor = { dtype: 'F32', shape: [1], data: Float32Array.of(5) };
    const written = decodeSafetensors(encodeSafetensors(own(five), own('m')));
    expect([Object.keys(written.tensors), Object.keys(written.metadata)]).toEqual([['__proto__'], ['__proto__']]);
    // A header another tool wrote (JSON.parse gives the key as any other): an own key, the result's prototype untouched.
    const json = '{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
    const file = new Uint8Array(8 + 64 + 4);
    new DataView(file.buffer).setBigUint64(0, 64n, true);
    file.set(new TextEncoder().encode(json.padEnd(64)), 8);
    file.set(new Uint8Array(Float32Array.of(5).buffer), 72);
    const read = decodeSafetensors(file);
    expect(Object.getPrototypeOf(read.tensors)).toBe(Object.prototype);
    expect(Object.keys(read.tensors)).toEqual(['__proto__']);
    expect(read.tensors['__proto__'].data).toEqual(Float32Array.of(5));
    const plain = await (await Model.create({ ...SPEC, lr: 0.5 }, { backend: 'cpu' })).save();
    expect(await outcome(() => Model.load(edited(plain, own(five)), { backend: 'cpu' }))).toBe('SpecError checkpoint.__proto__');
  });
});

describe('epochs and optimizer.t up to 2^53 − 1: what load accepts, a model saves and loads again', () => {
  const LAST = 2 ** 53 - 1; // the largest count a checkpoint holds (README: Checkpoints)
  const ofModel = async (m: Model) => ({ params: bits(await m.getParams()), state: stateBits(m.optimizerState()), epochs: m.epochsTrained });

  it('epochs: a fit up to 2^53 − 1 runs and its save loads; one epoch more is refused before any work, the model unchanged', async () => {
    const model = await Model.create({ ...SPEC, x, y }, { backend: 'cpu' });
    await model.fit({ epochs: 1, batchSize: 2, optimizer: 'adam' });
    const near = await Model.load(edited(await model.save(), {}, { epochs: String(LAST - 2) }), { backend: 'cpu' });
    await near.fit({ x, y, epochs: 2, batchSize: 2 });
    expect(near.epochsTrained).toBe(LAST);
    const again = await Model.load(await near.save(), { backend: 'cpu' });
    expect(again.epochsTrained).toBe(LAST);
    for (const m of [near, again]) {
      const before = await ofModel(m);
      expect(await outcome(() => m.fit({ x, y, epochs: 1, batchSize: 2 }))).toBe('SpecError epochs');
      expect(await ofModel(m)).toEqual(before);
    }
    // a file past it is refused (2^53 is the first count a double cannot step past)
    const past = edited(await near.save(), {}, { epochs: String(2 ** 53) });
    expect(await outcome(() => Model.load(past, { backend: 'cpu' }))).toBe('SpecError checkpoint.epochs');
  });

  it('optimizer.t: the steps of a fit count (6 examples in batches of 2: 3 a epoch); another optimiser starts at 0', async () => {
    const model = await Model.create({ ...SPEC, x, y }, { backend: 'cpu' });
    await model.fit({ epochs: 1, batchSize: 2, optimizer: 'adam' });
    const t = (v: number): Tensor => ({ dtype: 'I64', shape: [], data: BigInt64Array.of(BigInt(v)) });
    const near = await Model.load(edited(await model.save(), { 'optimizer.t': t(LAST - 3) }), { backend: 'cpu' });
    const before = await ofModel(near);
    // 2 epochs × 3 steps would reach LAST + 3; 1 epoch (3 steps) reaches LAST
    expect(await outcome(() => near.fit({ x, y, epochs: 2, batchSize: 2 }))).toBe('SpecError epochs');
    expect(await ofModel(near)).toEqual(before);
    await near.fit({ x, y, epochs: 1, batchSize: 2 });
    expect(near.optimizerState()!.t).toBe(LAST);
    const again = await Model.load(await near.save(), { backend: 'cpu' });
    expect(again.optimizerState()!.t).toBe(LAST);
    expect(stateBits(again.optimizerState())).toBe(stateBits(near.optimizerState()));
    const full = await ofModel(again);
    expect(await outcome(() => again.fit({ x, y, epochs: 1, batchSize: 6 }))).toBe('SpecError epochs'); // 1 step more
    expect(await ofModel(again)).toEqual(full);
    // momentum is another state, from t = 0: it runs
    await again.fit({ x, y, epochs: 1, batchSize: 2, optimizer: 'momentum' });
    expect(again.optimizerState()).toMatchObject({ name: 'momentum', t: 3 });
  });
});

describe('saveCheckpoint (the public function) given a whole spec', () => {
  it('writes the keys a checkpoint holds (name kept; init, x, y left out), and the file loads', async () => {
    const spec = { ...SPEC, name: 'tiny', description: 'a test net', init: { scheme: 'he' as const, seed: 4 }, x, y, lr: 0.25 };
    const model = await Model.create(spec, { backend: 'cpu' });
    const net = validateNet(spec);
    const bytes = saveCheckpoint(net, spec, await model.getParams(), undefined, 0);
    const stored = JSON.parse(decodeSafetensors(bytes).metadata.spec) as Record<string, unknown>;
    expect(Object.keys(stored).sort()).toEqual(['description', 'inputs', 'layers', 'loss', 'lr', 'name']);
    const loaded = await Model.load(bytes, { backend: 'cpu' });
    expect(bits(await loaded.getParams())).toBe(bits(await model.getParams()));
    expect(loaded.lr).toBe(0.25);
  });
});

describe('save → load keeps the spec', () => {
  it("the top-level lr survives: fit's default SGD and train() after load run as the uninterrupted model", async () => {
    const spec = { ...SPEC, lr: 0.5 };
    const whole = await Model.create({ ...spec, x, y }, { backend: 'cpu' });
    const loaded = await Model.load(await (await Model.create(spec, { backend: 'cpu' })).save(), { backend: 'cpu' });
    expect(loaded.lr).toBe(0.5);
    const run = { x, y, epochs: 2, batchSize: 3, shuffle: false as const };
    await whole.fit(run);
    await loaded.fit(run);
    expect(bits(await loaded.getParams())).toBe(bits(await whole.getParams()));
    await whole.train({ steps: 2 });
    await loaded.train({ steps: 2, x, y });
    expect(bits(await loaded.getParams())).toBe(bits(await whole.getParams()));
  });

  it('a checkpoint written without lr (before it was stored) still loads, with no lr', async () => {
    const model = await Model.create({ ...SPEC, lr: 0.5 }, { backend: 'cpu' });
    const bytes = await model.save();
    const { lr: _, ...spec } = JSON.parse(decodeSafetensors(bytes).metadata.spec) as Record<string, unknown>;
    expect(_).toBe(0.5);
    const loaded = await Model.load(edited(bytes, {}, { spec: JSON.stringify(spec) }), { backend: 'cpu' });
    expect(loaded.lr).toBeUndefined();
    expect(bits(await loaded.getParams())).toBe(bits(await model.getParams()));
  });
});

describe('restore then fit continues as load then fit', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`bitwise the same params, optimiser state and epochs (${backend})`, async () => {
      const first = await Model.create({ ...SPEC, x, y }, { backend });
      await first.fit({ epochs: 2, batchSize: 2, optimizer: { name: 'adam', lr: 0.05 }, shuffle: { seed: 4 } });
      const ck = await first.save();
      const loaded = await Model.load(ck, { backend });
      // another model of the same net: other weights, no optimiser in its spec (its fit would default to SGD)
      const restored = await Model.create({ ...SPEC, init: { scheme: 'he', seed: 3 }, x, y }, { backend });
      await restored.restore(ck);
      await loaded.fit({ x, y, epochs: 2, batchSize: 2 });
      await restored.fit({ x, y, epochs: 2, batchSize: 2 });
      expect(bits(await restored.getParams())).toBe(bits(await loaded.getParams()));
      // and as the uninterrupted model goes on: a fit without optimizer keeps the last fit's (Adam), everywhere
      await first.fit({ x, y, epochs: 2, batchSize: 2 });
      expect(bits(await first.getParams())).toBe(bits(await loaded.getParams()));
      expect(stateBits(first.optimizerState())).toBe(stateBits(loaded.optimizerState()));
      expect(restored.optimizerState()!.name).toBe('adam');
      expect(restored.optimizerState()!.t).toBe(12);
      expect(stateBits(restored.optimizerState())).toBe(stateBits(loaded.optimizerState()));
      expect(restored.epochsTrained).toBe(4);
      // and what it saves next names the optimiser it ran
      expect(JSON.parse(decodeSafetensors(await restored.save()).metadata.spec).optimizer).toMatchObject({ name: 'adam', lr: 0.05 });
      for (const m of [first, loaded, restored]) m.dispose();
    });
  }
});

describe('a checkpoint loads across backends (wasm → cpu, cpu → wasm)', () => {
  // NOTE: cpu and wasm do not train bitwise alike (wasm-fit.test.ts compares them within a bound), so "continues the
  // same" is checked on one backend at a time: a checkpoint that went to the other backend and back continues
  // bitwise as the uninterrupted run there, and the other backend's own load continues as its restore does.
  for (const [from, to] of [['wasm', 'cpu'], ['cpu', 'wasm']] as const) {
    it(`a ${from} checkpoint loads bitwise on ${to} (params, Adam state, epochs, the file it saves) and continues bitwise on both`, async () => {
      const run = { x, y, epochs: 2, batchSize: 2, shuffle: { seed: 5 } };
      const first = await Model.create({ ...SPEC, x, y }, { backend: from });
      await first.fit({ ...run, optimizer: { name: 'adam', lr: 0.05 } });
      const ck = await first.save();
      const there = await Model.load(ck, { backend: to });
      expect(bits(await there.getParams())).toBe(bits(await first.getParams()));
      expect(there.optimizerState()!.t).toBe(6);
      expect(stateBits(there.optimizerState())).toBe(stateBits(first.optimizerState()));
      expect(there.epochsTrained).toBe(2);
      const back = await there.save();
      expect(Buffer.from(back).equals(Buffer.from(ck))).toBe(true);
      // on `to`: load then fit equals restore (into a model of other weights) then fit
      const restored = await Model.create({ ...SPEC, init: { scheme: 'he', seed: 3 } }, { backend: to });
      await restored.restore(ck);
      await there.fit(run);
      await restored.fit(run);
      expect(bits(await restored.getParams())).toBe(bits(await there.getParams()));
      // on `from`: the checkpoint saved on `to`, loaded back, continues as the uninterrupted run
      const home = await Model.load(back, { backend: from });
      await home.fit(run);
      await first.fit(run);
      expect(bits(await home.getParams())).toBe(bits(await first.getParams()));
      expect(stateBits(home.optimizerState())).toBe(stateBits(first.optimizerState()));
      expect(home.epochsTrained).toBe(4);
      for (const m of [first, there, restored, home]) m.dispose();
    });
  }
});

describe('the budget of a load', () => {
  // A 30 000 × 30 000 net (3.6 GB of W) over the default 2 GiB host budget; the file holds its spec only.
  const big = encodeSafetensors({}, { format: CHECKPOINT_FORMAT, spec: JSON.stringify({ inputs: 30000, layers: [{ units: 30000, activation: 'identity' }], loss: 'mse' }), epochs: '0' });

  it('Model.load checks the spec with options.budget, not the process-wide one', async () => {
    expect(await outcome(() => Model.load(big, { backend: 'cpu' }))).toBe('LimitError layers[0].units');
    // with a budget that allows it, the load goes on to the tensors (none here)
    expect(await outcome(() => Model.load(big, { backend: 'cpu', budget: { hostBytes: 1e12 } }))).toBe('ShapeError checkpoint.W_1');
    // and a small budget refuses what the default allows
    const bytes = await (await Model.create(SPEC, { backend: 'cpu' })).save();
    expect(await outcome(() => Model.load(bytes, { backend: 'cpu', budget: { hostBytes: 64 } }))).toMatch(/^LimitError /);
  });

  it('a load over the budget copies no tensor first: LimitError from the header alone', async () => {
    const model = await Model.create({ ...SPEC, inputs: 100, layers: [{ units: 200, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }] } as NetworkSpec, { backend: 'cpu' });
    const bytes = await model.save();
    model.dispose();
    let err: unknown;
    const made = counted(() => { try { loadCheckpoint(bytes, undefined, { ...getBudget(), hostBytes: 64 }); } catch (e) { err = e; } });
    expect(err).toBeInstanceOf(BackpropError);
    expect((err as BackpropError).code).toBe('LIMIT');
    expect(made.what.filter((what) => !what.endsWith('#subarray'))).toEqual([]); // the header's view only; it copied W_1, b_1, W_2 and b_2 (new Uint8Array each) before the spec was checked
  });

  it("restore checks with the model's own budget, not the process-wide one", async () => {
    const model = await Model.create(SPEC, { backend: 'cpu' });
    const bytes = await model.save();
    const saved = getBudget();
    setBudget({ hostBytes: 64 }); // the model keeps the budget it was made with
    try {
      expect(await outcome(() => model.restore(bytes))).toBe('resolved');
      expect(await outcome(() => Model.load(bytes, { backend: 'cpu' }))).toMatch(/^LimitError /);
    } finally {
      setBudget(saved);
    }
  });
});
