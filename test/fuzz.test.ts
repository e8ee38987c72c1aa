/**
 * The fuzz suite (issue 11): seeded mutations of valid specs, data and worked-example files (test/lib/fuzz.ts)
 * through validation, the library on the CPU and the CLI (in process). Every case must end in a typed error
 * naming its field (BackpropError with a field; DivergedError for a non-finite loss), or in a finite result equal
 * to the float64 oracle's (gradFloat64, within float32 rounding); never another exception, a hang, an allocation
 * over the budget, or a non-finite number printed with exit 0.
 * `npm test` runs a fast count; FUZZ_COUNT=2000 (and FUZZ_SEED=n) for a longer run. WebGPU: test/browser/fuzz.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_BUDGET, setBudget } from '../src/budget.ts';
import { main } from '../src/cli/main.ts';
import { gradFloat64 } from '../src/cpu/backend.ts';
import { BackpropError, ClaimError, DivergedError, LabelRangeError, LimitError, NonFiniteError, NotationError, ShapeError, SpecError } from '../src/errors.ts';
import { initParams } from '../src/init.ts';
import { type ModelOptions, createBackend } from '../src/backends.ts';
import { Model } from '../src/model.ts';
import { type NetworkSpec, validateNet, validateSpec } from '../src/spec.ts';
import { batchScale } from '../src/backend.ts';
import { loadCheckpoint, saveCheckpoint } from '../src/train/checkpoint.ts';
import { epochOrder } from '../src/train/fit.ts';
import { resolveOptimizer, stepScalars } from '../src/train/optimizers.ts';
import { decodeSafetensors, encodeSafetensors } from '../src/train/safetensors.ts';
import { readResume } from '../src/cli/resume.ts';
import { runTrain } from '../src/cli/train.ts';
import { checkWorked } from '../src/worked/check.ts';
import { explain } from '../src/notation/explain.ts';
import { lecture } from '../src/lectures/index.ts';
import { parseWorked } from '../src/worked/worked.ts';
import { BACKEND_OPTIONS, fuzzCount, fuzzSeed, specCase, toJsonText, unstorable, workedCase } from './lib/fuzz.ts';
import { mulberry32 } from '../src/init.ts';
import { expectTyped, rejected, thrown } from './lib/typed.ts';

const SEED = fuzzSeed();
const COUNT = fuzzCount(120);
/** A small budget for the suite, so that an allocation past it shows in arrayBuffers. */
const HOST_BUDGET = 64 * 2 ** 20;

const dir = mkdtempSync(join(tmpdir(), 'backprop-fuzz-'));
beforeAll(() => {
  setBudget({ hostBytes: HOST_BUDGET });
});
afterAll(() => {
  setBudget(DEFAULT_BUDGET);
  rmSync(dir, { recursive: true, force: true });
});

/** An error the engine threw on purpose, naming what it is about. */
function typedProblem(err: unknown): string | undefined {
  if (err instanceof DivergedError) return undefined;
  if (!(err instanceof BackpropError)) return `untyped ${err instanceof Error ? `${err.name}: ${err.message.slice(0, 200)}` : String(err)}`;
  if (typeof err.field !== 'string' || err.field === '') return `${err.name} without a field: ${err.message.slice(0, 200)}`;
  return undefined;
}

async function cliRun(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { stdout += String(s); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { stderr += String(s); return true; });
  try {
    return { status: await main(args), stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
    setBudget({ hostBytes: HOST_BUDGET }); // main() sets the budget from the environment
  }
}

/** The CLI's invariants: exit 0 with finite JSON, 1 saying what is not finite or wrong, 2 with a typed error; no internal error. */
function cliProblem(r: { status: number; stdout: string; stderr: string }, json: boolean): string | undefined {
  if (r.stderr.includes('internal error')) return `internal error: ${r.stderr.slice(0, 300)}`;
  if (r.status === 2 && !/^error(:| \[[A-Z_]+\])/.test(r.stderr)) return `exit 2 without a typed error: ${r.stderr.slice(0, 200)}`;
  if (r.status === 0 && json && /null|NaN|Infinity/.test(r.stdout)) return `exit 0 with a non-finite number: ${r.stdout.slice(0, 200)}`;
  if (r.status === 0 && !json && /\bNaN\b|Infinity/.test(r.stdout)) return `exit 0 printing NaN/Infinity: ${r.stdout.slice(0, 200)}`;
  if (![0, 1, 2].includes(r.status)) return `exit ${r.status}`;
  return undefined;
}

const allFinite = (arrays: Float32Array[]): boolean => arrays.every((a) => a.every(Number.isFinite));

describe(`fuzz (seed ${SEED}, ${COUNT} cases each)`, () => {
  it('specs and data: validation, Model on the CPU (vs the float64 oracle), CLI grad and explain', { timeout: 600_000 }, async () => {
    const failures: string[] = [];
    const outcomes = { error: 0, ok: 0 };
    for (let index = 0; index < COUNT; index++) {
      const c = specCase(SEED, index);
      const fail = (what: string) => failures.push(`case ${index} (${c.what}): ${what}`);
      try {
        await specOnce(index, c, fail, outcomes);
      } catch (err) {
        fail(`escaped: ${err instanceof Error ? err.stack : String(err)}`);
      }
    }
    expect(failures).toEqual([]);
    // The mutations reach both outcomes.
    expect(outcomes.error).toBeGreaterThan(COUNT / 4);
    expect(outcomes.ok).toBeGreaterThan(0);
  });

  async function specOnce(index: number, c: ReturnType<typeof specCase>, fail: (what: string) => void, outcomes: { error: number; ok: number }): Promise<void> {
    {
      const before = process.memoryUsage().arrayBuffers;
      const t0 = performance.now();
      // Validation.
      let valid: ReturnType<typeof validateSpec> | undefined;
      try {
        valid = validateSpec(c.spec);
        // Accepted: every number it stores is a number, finite as float32 (no coercion, no overflow to ±Infinity).
        const where = unstorable(c.spec);
        if (where) fail(`validateSpec accepted ${where}, which float32 cannot store as given`);
      } catch (err) {
        const p = typedProblem(err);
        if (p) fail(`validateSpec: ${p}`);
      }
      // The library on the CPU (now and then with a misspelt backend, which must be refused).
      const backend = BACKEND_OPTIONS[Math.floor(mulberry32(index)() * BACKEND_OPTIONS.length)];
      try {
        const model = await Model.create(c.spec, { backend: backend as 'cpu' });
        if (backend !== 'cpu') fail(`backend '${backend}' accepted (${model.kind})`);
        try {
          const g = await model.grad();
          outcomes.ok++;
          if (!Number.isFinite(g.loss) || !allFinite([...g.Z, ...g.A, ...g.delta, ...g.dW, ...g.db])) fail('grad resolved with a non-finite number');
          // The float64 oracle on the same (validated) parameters and batch.
          const params = valid!.params ?? initParams(valid!.net, valid!.init!.scheme, valid!.init!.seed);
          const f64 = (a: Float32Array) => Float64Array.from(a);
          const b = valid!.batch!;
          const ref = gradFloat64(valid!.net, params.W.map(f64), params.b.map(f64), f64(b.X), f64(b.Y), b.n);
          // NOTE: every loss is a sum of non-negative terms: float32 is within a few ulps per operation of float64.
          if (Math.abs(g.loss - ref.loss) > 1e-4 * (1 + Math.abs(ref.loss))) fail(`loss ${g.loss} vs the float64 oracle's ${ref.loss}`);
          if (valid!.lr !== undefined) {
            const t = await model.train({ steps: 2 });
            if (!Number.isFinite(t.loss) || !Number.isFinite(t.maxAbsParam)) fail(`train resolved with loss ${t.loss}, max |θ| ${t.maxAbsParam}`);
          }
        } finally {
          model.dispose();
        }
      } catch (err) {
        outcomes.error++;
        const p = typedProblem(err);
        if (p) fail(`Model: ${p}`);
      }
      // The CLI, on the case as JSON text.
      const text = toJsonText(c.spec);
      if (text === undefined) return;
      const file = join(dir, `case-${index}.json`);
      writeFileSync(file, text);
      const json = index % 2 === 0;
      const r = await cliRun(['grad', file, '--backend', 'cpu', ...(json ? ['--json'] : [])]);
      const p = cliProblem(r, json);
      if (p) fail(`grad: ${p}`);
      if (index % 4 === 0) {
        const e = await cliRun(['explain', file, '--backend', index % 8 === 0 ? 'cpu' : 'none']);
        const q = cliProblem(e, false);
        if (q) fail(`explain: ${q}`);
        if (e.status === 1 && !e.stderr.includes('disagree')) fail(`explain exit 1 without saying why: ${e.stderr.slice(0, 200)}`);
      }
      const grown = process.memoryUsage().arrayBuffers - before;
      if (grown > 2 * HOST_BUDGET) fail(`arrayBuffers grew by ${grown} bytes, past the budget`);
      const ms = performance.now() - t0;
      if (ms > 20_000) fail(`took ${ms.toFixed(0)} ms`);
    }
  }

  it('worked-example files: parseWorked and checkWorked, CLI check', { timeout: 600_000 }, async () => {
    const failures: string[] = [];
    const count = Math.max(1, Math.floor(COUNT / 2));
    for (let index = 0; index < count; index++) {
      const c = workedCase(SEED, index);
      const fail = (what: string) => failures.push(`worked case ${index} (${c.what}): ${what}`);
      try {
        const result = checkWorked(parseWorked(c.spec, 'fuzz'));
        for (const check of result.checks) {
          if (!['match', 'wrong', 'known-erratum', 'stale-erratum'].includes(check.status)) fail(`status ${check.status}`);
          // Object.prototype's methods are not formula functions: a formula using one is never a match.
          const formula = (check.claim as { formula?: unknown }).formula;
          if (check.status === 'match' && typeof formula === 'string' && /constructor|toString/.test(formula)) fail(`'${formula}' judged a match`);
          if (check.status === 'match' && !Number.isFinite(check.value)) fail(`a match on a non-finite value ${check.value}`);
        }
      } catch (err) {
        const p = typedProblem(err);
        if (p) fail(`checkWorked: ${p}`);
      }
      const text = toJsonText(c.spec);
      if (text === undefined) continue;
      const file = join(dir, `worked-${index}.json`);
      writeFileSync(file, text);
      const r = await cliRun(['check', file]);
      const p = cliProblem(r, false);
      if (p) fail(`check: ${p}`);
    }
    expect(failures).toEqual([]);
  });
});

// ——— Hostile objects (review fuzz2, items 2, 5, 6, 15, 17): getters, Proxies, class instances and typed-array
// subclasses get a typed error naming the field, or are used as read once; the budget counts what is converted. ———

const XOR = {
  inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce',
  init: { scheme: 'xavier', seed: 1 }, lr: 0.1, x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]],
} as const;
const xorSpec = (): Record<string, unknown> => JSON.parse(JSON.stringify(XOR)) as Record<string, unknown>;

/** x or y as a class instance: examples and data are prototype getters, the fields private (no own keys). */
class Examples {
  readonly #n: number;
  readonly #d: Float32Array;
  constructor(n: number, d: Float32Array) {
    this.#n = n;
    this.#d = d;
  }
  get examples(): number { return this.#n; }
  get data(): Float32Array { return this.#d; }
}

const paramsJson = async (m: Model): Promise<string> => {
  const p = await m.getParams();
  return JSON.stringify([...p.W, ...p.b].map((a) => Array.from(a)));
};

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`hostile objects on ${backend}`, () => {
    it('Model options are read once (getters asked once): create, load and rebuild use what they checked', async () => {
      const shared = (await createBackend(backend)).backend;
      const reads: Record<string, number> = {};
      // A getter for each option; shared is the backend on its first read only (a second read would see none, and
      // the model would think it owns the backend, or make its own).
      const options = (): ModelOptions => {
        const o = {};
        const values: Record<string, () => unknown> = { backend: () => backend, shared: () => (reads.shared === 1 ? shared : undefined), onNotice: () => undefined, budget: () => ({ hostBytes: 2 ** 30 }) };
        for (const [key, value] of Object.entries(values)) {
          Object.defineProperty(o, key, { enumerable: true, get: () => { reads[key] = (reads[key] ?? 0) + 1; return value(); } });
        }
        return o as ModelOptions;
      };
      const once = (what: string) => {
        expect(reads, what).toEqual({ backend: 1, shared: 1, onNotice: 1, budget: 1 });
        for (const key of Object.keys(reads)) delete reads[key];
      };
      const m = await Model.create(xorSpec(), options());
      once('create');
      const ck = await m.save();
      const loaded = await Model.load(ck, options());
      once('load');
      const rebuilt = await m.rebuild(options());
      once('rebuild');
      for (const model of [loaded, rebuilt]) model.dispose();
      // Each model was on the shared backend and did not own it: it lives on after they are disposed.
      const other = await Model.create(xorSpec(), { shared });
      expect(Number.isFinite((await other.grad()).loss)).toBe(true);
      other.dispose();
      shared.dispose();
    });

    it('data given as a class instance (prototype getters) is counted by the budget as it is converted', async () => {
      const n = 20_000;
      const budget = { hostBytes: 500_000 };
      const x = new Examples(n, new Float32Array(2 * n));
      const y = new Examples(n, new Float32Array(n));
      const m = await Model.create(xorSpec(), { backend, budget });
      const before = await paramsJson(m);
      for (const [call, p] of [
        ['fit', () => m.fit({ x, y, epochs: 1, batchSize: 32 })], ['train', () => m.train({ steps: 1, x, y })],
        ['step', () => m.step(0.1, x, y)], ['grad', () => m.grad(x, y)], ['predict', () => m.predict(x)], ['evaluate', () => m.evaluate(x, y)],
      ] as const) {
        expectTyped(await rejected(p()), LimitError, 'x', /budget/);
        expect(await paramsJson(m), call).toBe(before);
      }
      expectTyped(await rejected(Model.create({ ...xorSpec(), x, y }, { backend, budget })), LimitError, 'x', /budget/);
      // Within the budget the same form trains: the count and the conversion agree.
      const small = new Examples(4, Float32Array.from([0, 0, 0, 1, 1, 0, 1, 1]));
      const labels = new Examples(4, Float32Array.from([0, 1, 1, 0]));
      expect((await m.predict(small)).length).toBe(4);
      expect(Number.isFinite((await m.evaluate(small, labels)).loss)).toBe(true);
      expect((await m.fit({ x: small, y: labels, epochs: 1 })).length).toBe(1);
      m.dispose();
    });

    it('x and y are read once: a getter or Proxy is asked once, and what it answered then is what is counted and used', async () => {
      const big = Array.from({ length: 20_000 }, () => [0, 0]);
      const bigY = big.map(() => [0]);
      const budget = { hostBytes: 200_000 };
      // create: spec.x small at its first read, big after.
      let reads = 0;
      const spec = { ...xorSpec(), get x() { return ++reads === 1 ? [[0, 0]] : big; }, y: bigY };
      expectTyped(await rejected(Model.create(spec, { backend, budget })), ShapeError, 'y', /1 example .*got 20000/);
      expect(reads).toBe(1);
      // fit: options.x and options.batchSize.
      const m = await Model.create(xorSpec(), { backend, budget });
      const before = await paramsJson(m);
      reads = 0;
      let batchReads = 0;
      const opts = { get x() { return ++reads === 1 ? [[0, 0]] : big; }, y: bigY, epochs: 1, get batchSize() { batchReads++; return 1; } };
      expectTyped(await rejected(m.fit(opts as never)), ShapeError, 'y', /1 example .*got 20000/);
      expect([reads, batchReads]).toEqual([1, 1]);
      expect(await paramsJson(m)).toBe(before);
      // fit's validation set: its x and y are asked once too (each was asked twice, to see it was given and to read
      // it: a getter that answered rows, then undefined, was refused as "validation.x: expected shape …, got undefined").
      const vReads = { x: 0, y: 0 };
      const validation = { get x() { return ++vReads.x === 1 ? [[0, 1]] : undefined; }, get y() { return ++vReads.y === 1 ? [[1]] : undefined; } };
      const [entry] = await m.fit({ x: [[0, 0], [1, 1]], y: [[0], [0]], epochs: 1, validation } as never);
      expect(vReads).toEqual({ x: 1, y: 1 });
      expect(Number.isFinite(entry.valLoss)).toBe(true);
      // predict: rows whose length is 1 at the first read: one row is predicted, 20 000 were never counted.
      let lengthReads = 0;
      const px = new Proxy(big, { get(t, k, r) { if (k === 'length') return ++lengthReads === 1 ? 1 : t.length; return Reflect.get(t, k, r) as unknown; } });
      expect((await m.predict(px)).length).toBe(1);
      expect(lengthReads).toBe(1);
      // A y of more examples than x (which the budget counted) is refused before it is converted (here: past any
      // array's length, so converting it would be an untyped RangeError).
      const hugeY = new Proxy([] as number[][], { get(t, k, r) { return k === 'length' ? 2 ** 40 : Reflect.get(t, k, r) as unknown; } });
      expectTyped(await rejected(m.evaluate([[0, 0]], hugeY)), ShapeError, 'y', /1 example .*got 1099511627776/);
      expectTyped(await rejected(m.grad([[0, 0]], hugeY)), ShapeError, 'y');
      m.dispose();
    });

    it("the optimizer's fields are read once too (README: every spec field and option), in the spec and in fit's options", async () => {
      // resolveOptimizer read name up to 3 times and lr, nesterov, beta1, beta2, eps twice: a getter's later answer
      // was used (or refused) instead of the one checked. Here each getter answers a good value first, a bad one after.
      const reads: Record<string, number> = {};
      const optimizer = (): unknown => {
        const o = {};
        const values: Record<string, [unknown, unknown]> = { name: ['adam', 'rmsprop'], lr: [0.01, -1], beta1: [0.8, 2], eps: [1e-6, 0] };
        for (const [key, [first, later]] of Object.entries(values)) {
          Object.defineProperty(o, key, { enumerable: true, get: () => (reads[key] = (reads[key] ?? 0) + 1) === 1 ? first : later });
        }
        return o;
      };
      const once = (what: string) => {
        expect(reads, what).toEqual({ name: 1, lr: 1, beta1: 1, eps: 1 });
        for (const key of Object.keys(reads)) delete reads[key];
      };
      const m = await Model.create({ ...xorSpec(), optimizer: optimizer() }, { backend });
      once('spec');
      await m.fit({ epochs: 1 });
      expect(m.optimizerState()!.name).toBe('adam');
      await m.fit({ epochs: 1, optimizer: optimizer() as never });
      once('fit');
      const saved = JSON.parse(decodeSafetensors(await m.save()).metadata.spec) as { optimizer: unknown };
      expect(saved.optimizer).toMatchObject({ name: 'adam', lr: 0.01, beta1: 0.8, eps: 1e-6 });
      m.dispose();
    });

    it('setParams copies first (no caller slice, length or Symbol.species), reads each property once, then checks the copy', async () => {
      const m = await Model.create(xorSpec(), { backend });
      const good = () => ({ W: [new Float32Array(6).fill(0.25), new Float32Array(3).fill(0.5)], b: [new Float32Array(3), new Float32Array(1)] });
      const before = await paramsJson(m);
      // A b[0] that says it has 3 values and has 1000.
      class Liar extends Float32Array { override get length(): number { return 3; } }
      const lying = good();
      lying.b[0] = new Liar(1000);
      expectTyped(await rejected(m.setParams(lying)), ShapeError, 'params.b[0]', /Float32Array\(1000\)/);
      expect(await paramsJson(m)).toBe(before);
      // A W getter with good arrays at the first read and NaN after.
      let reads = 0;
      const g = good();
      const nan = [new Float32Array(6).fill(Number.NaN), new Float32Array(3).fill(Number.NaN)];
      await m.setParams({ get W() { return ++reads === 1 ? g.W : nan; }, b: g.b } as never);
      expect(reads).toBe(1);
      expect(Array.from((await m.getParams()).W[0])).toEqual(Array.from(g.W[0]));
      // NaN at the first read: refused, naming the element.
      reads = 0;
      expectTyped(await rejected(m.setParams({ get W() { return ++reads === 1 ? nan : g.W; }, b: g.b } as never)), NonFiniteError, 'params.W[0][0][0]');
      // A subclass whose slice and species give NaN: the values used are its own.
      class Sneaky extends Float32Array {
        override slice(): Float32Array<ArrayBuffer> { return new Float32Array(6).fill(Number.NaN); }
        static get [Symbol.species](): unknown { return class extends Float32Array { constructor(n: number) { super(n); this.fill(Number.NaN); } }; }
      }
      const sneaky = good();
      sneaky.W[0] = new Sneaky([1, 2, 3, 4, 5, 6]);
      await m.setParams(sneaky);
      expect(Array.from((await m.getParams()).W[0])).toEqual([1, 2, 3, 4, 5, 6]);
      // Nested form: a b row whose iterator yields other values than its elements.
      const nested = { W: [[[0, 0], [0, 0], [0, 0]], [[0, 0, 0]]], b: [[1, 2, 3], [4]] };
      Object.defineProperty(nested.b[0], Symbol.iterator, { value: function* () { yield Number.NaN; } });
      await m.setParams(nested);
      expect(Array.from((await m.getParams()).b[0])).toEqual([1, 2, 3]);
      const set = await paramsJson(m);
      // Unknown keys: refused in the engine form as in the nested form.
      expectTyped(await rejected(m.setParams({ ...good(), extra: 1 } as never)), SpecError, 'params.extra');
      expectTyped(await rejected(m.setParams({ ...nested, extra: 1 } as never)), SpecError, 'params.extra');
      expect(await paramsJson(m)).toBe(set);
      m.dispose();
    });

    it('a params list or bias of any length is refused by its length before its elements are read (a sparse one of length 2³² − 1 ended the process)', async () => {
      // An array that says it holds 2³² − 1 elements and throws when one past the first is read (the first is its shape's,
      // in the message): the list copy (elementsOf) read them all before the shape was checked — on a real sparse
      // array, a fatal V8 "invalid size error" (no exception).
      const long = (): unknown[] => new Proxy([] as unknown[], {
        get(t, k, r) {
          if (k === 'length') return 2 ** 32 - 1;
          if (typeof k === 'string' && /^[1-9]\d*$/.test(k)) throw new Error(`element ${k} was read`);
          return Reflect.get(t, k, r) as unknown;
        },
      });
      const m = await Model.create(xorSpec(), { backend });
      const before = await paramsJson(m);
      const engine = await m.getParams();
      const nested = await m.getParamsSpec();
      const tooLong = /got \[4294967295\]/;
      expectTyped(await rejected(m.setParams({ W: long(), b: engine.b } as never)), ShapeError, 'params.W', tooLong);
      expectTyped(await rejected(m.setParams({ W: engine.W, b: long() } as never)), ShapeError, 'params.b', tooLong);
      expectTyped(await rejected(m.setParams({ W: nested.W, b: long() } as never)), ShapeError, 'params.b', tooLong);
      expectTyped(await rejected(m.setParams({ W: nested.W, b: [long(), nested.b[1]] } as never)), ShapeError, 'params.b[0]', tooLong);
      expect(await paramsJson(m)).toBe(before);
      const { init: _init, ...withoutInit } = xorSpec();
      expectTyped(await rejected(Model.create({ ...withoutInit, params: { W: nested.W, b: [long(), nested.b[1]] } }, { backend })), ShapeError, 'params.b[0]', tooLong);
      const net = m.net;
      const spec: NetworkSpec = { inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', optimizer: 'momentum' };
      expectTyped(thrown(() => saveCheckpoint(net, spec, { W: long(), b: engine.b } as never, undefined, 0)), ShapeError, 'params.W', tooLong);
      expectTyped(thrown(() => saveCheckpoint(net, spec, engine, { name: 'momentum', t: 1, slots: { buf: { W: engine.W, b: long() } } } as never, 0)), ShapeError, 'state.slots.buf.b', tooLong);
      // A real sparse array of that length: refused at once.
      const sparse: unknown[] = [];
      sparse.length = 2 ** 32 - 1;
      expectTyped(await rejected(m.setParams({ W: sparse, b: engine.b } as never)), ShapeError, 'params.W', tooLong);
      // One matrix too many or too few, of Float32Arrays or nested: the same words (too many went to the nested form's
      // check and said "one matrix per layer (2)", too few "2 matrices": review50); the nested form's shape says more.
      for (const W of [engine.W, nested.W]) {
        for (const list of [[...W, W[0]], [W[0]]]) {
          expectTyped(await rejected(m.setParams({ W: list, b: engine.b } as never)), ShapeError, 'params.W', new RegExp(`^params\\.W: expected shape one matrix per layer \\(2\\), got \\[${list.length}\\]`));
        }
      }
      expect(await paramsJson(m)).toBe(before);
      m.dispose();
    });
  });
}

describe('hostile objects: order, nulls, unknown keys, messages', () => {
  it('a spec\'s cheap fields are checked before params and x, y are converted', () => {
    const nanX = { ...xorSpec(), x: [[Number.NaN, 0], [0, 1], [1, 0], [1, 1]] };
    expectTyped(thrown(() => validateSpec(nanX)), NonFiniteError, 'x[0][0]');
    expectTyped(thrown(() => validateSpec({ ...nanX, optimizer: 'adan' })), SpecError, 'optimizer.name');
    expectTyped(thrown(() => validateSpec({ ...nanX, lr: 'fast' })), SpecError, 'lr');
    expectTyped(thrown(() => validateSpec({ ...nanX, name: 1 })), SpecError, 'name');
    expectTyped(thrown(() => validateSpec({ ...nanX, batchSize: 5 })), SpecError, 'batchSize', /more than the 4 examples/);
    const nanParams = { ...xorSpec(), init: undefined, params: { W: [[[Number.NaN, 0], [0, 0], [0, 0]], [[0, 0, 0]]], b: [[0, 0, 0], [0]] } };
    expectTyped(thrown(() => validateSpec(nanParams)), NonFiniteError, 'params.W[0][0][0]');
    expectTyped(thrown(() => validateSpec({ ...nanParams, epochs: 0 })), SpecError, 'epochs');
  });

  it('null is refused where absent means a default: fit validation, train and step lr', async () => {
    const m = await Model.create({ ...xorSpec(), validation: 0.25 }, { backend: 'cpu' });
    expectTyped(await rejected(m.fit({ validation: null } as never)), SpecError, 'validation', /got null/);
    expectTyped(await rejected(m.train({ steps: 1, lr: null } as never)), SpecError, 'lr', /got null/);
    expectTyped(await rejected(m.step(null as never)), SpecError, 'lr', /got null/);
    expect(m.epochsTrained).toBe(0);
    m.dispose();
  });

  it('the {examples, data} form refuses unknown keys, and a bigint is shown as one', () => {
    expectTyped(thrown(() => validateSpec({ ...xorSpec(), x: { examples: 4, data: new Float32Array(8), features: 2 } })), SpecError, 'x.features', /unknown key/);
    expectTyped(thrown(() => validateSpec({ ...xorSpec(), x: { examples: 4, data: [0n, 0, 0, 1, 1, 0, 1, 1] } })), SpecError, 'x[0][0]', /got 0n/);
    expectTyped(thrown(() => validateSpec({ ...xorSpec(), inputs: 2n })), SpecError, 'inputs', /got 2n/);
    // A label is shown as given (the shortest decimal of its float32), not as the float32's float64 digits.
    expectTyped(thrown(() => validateSpec({ ...xorSpec(), y: [[0], [1], [-1e-4], [0]] })), LabelRangeError, 'y[2][0]', /is -0\.0001;/);
  });

  it('a bigint or a cyclic array in these fields is named and shown (5n, an array of length 1), never a TypeError from JSON.stringify', async () => {
    // These messages were built with JSON.stringify, which throws on a bigint ("Do not know how to serialize a BigInt")
    // and on a cycle: a TypeError reached the caller instead of the typed error naming the field.
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    const worked = lecture('lecture-2-2-1').worked;
    const spec = worked.spec as unknown as Record<string, unknown>;
    const m = await Model.create(xorSpec(), { backend: 'cpu' });
    for (const [v, shown] of [[5n, /got 5n$/], [cyclic, /got an array of length 1$/]] as const) {
      expectTyped(thrown(() => validateSpec({ ...xorSpec(), shuffle: v })), SpecError, 'shuffle', shown);
      expectTyped(await rejected(m.fit({ shuffle: v } as never)), SpecError, 'shuffle', shown);
      expectTyped(thrown(() => epochOrder(3, v as never, 0)), SpecError, 'shuffle', shown);
      expectTyped(thrown(() => validateSpec({ ...xorSpec(), optimizer: { name: 'adam', lr: v } })), SpecError, 'optimizer.lr', shown);
      expectTyped(await rejected(m.fit({ optimizer: { name: v } } as never)), SpecError, 'optimizer.name', shown);
      expectTyped(await rejected(m.fit({ optimizer: { name: 'momentum', nesterov: v } } as never)), SpecError, 'optimizer.nesterov', shown);
      expectTyped(thrown(() => explain(spec, {}, [], v as never)), NotationError, 'format', shown);
      expectTyped(thrown(() => explain(spec, { convention: v } as never, [], 'text')), NotationError, 'convention', shown);
      for (const key of ['convention', 'numbering', 'decimals']) {
        expectTyped(thrown(() => explain({ ...spec, notation: { [key]: v } }, {}, [], 'text')), NotationError, `notation.${key}`, shown);
      }
      expectTyped(thrown(() => parseWorked({ ...worked, format: v })), ClaimError, 'format', shown);
    }
    expectTyped(thrown(() => explain(spec, 5n as never, [], 'text')), NotationError, 'options', /got 5n$/);
    expectTyped(thrown(() => explain({ ...spec, notation: { params: { w1: 5n } } }, {}, [], 'text')), NotationError, 'notation.params.w1', /got 5n$/);
    m.dispose();
  });
});

describe('hostile objects: the exported helpers check their arguments at entry', () => {
  const net = validateNet({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce' });
  const spec = { inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', optimizer: 'adam' } as NetworkSpec;
  const params = () => ({ W: [new Float32Array([0.5, -0.5])], b: [new Float32Array(1)] });

  it('epochOrder, mulberry32, initParams: n, epoch, seed and scheme', () => {
    expectTyped(thrown(() => epochOrder(-1, false, 0)), SpecError, 'n');
    expectTyped(thrown(() => epochOrder(2.5, { seed: 1 }, 0)), SpecError, 'n');
    expectTyped(thrown(() => epochOrder(3, { seed: 2 ** 32 }, 0)), SpecError, 'shuffle.seed');
    expectTyped(thrown(() => epochOrder(3, { seed: Number.NaN }, 0)), SpecError, 'shuffle.seed');
    expectTyped(thrown(() => epochOrder(3, false, -1)), SpecError, 'epoch');
    expect(Array.from(epochOrder(3, false, 0))).toEqual([0, 1, 2]);
    expectTyped(thrown(() => mulberry32('x' as never)), SpecError, 'seed');
    expectTyped(thrown(() => mulberry32(-1)), SpecError, 'seed');
    expectTyped(thrown(() => initParams(net, 'bad' as never, 1)), SpecError, 'scheme');
    expectTyped(thrown(() => initParams(net, 'he', Number.NaN)), SpecError, 'seed');
    expectTyped(thrown(() => initParams(net, 'he', 2 ** 32)), SpecError, 'seed');
    expect(initParams(net, 'he', 2 ** 32 - 1).W[0].length).toBe(2);
  });

  it('initParams and batchScale: a net that is not one (a spec, null, a layer without fanIn or of a bad size) is a SpecError naming net.…', () => {
    // Was: initParams(spec) — a spec's layers have no fanIn — gave W of length units × undefined = 0 in silence,
    // a negative units a RangeError, and null a TypeError.
    expectTyped(thrown(() => initParams(spec as never, 'he', 1)), SpecError, 'net.layers[0].fanIn', /must be 2 \(the units below it\), got undefined/);
    expectTyped(thrown(() => initParams(null as never, 'he', 1)), SpecError, 'net');
    const bad = (change: Record<string, unknown>) => ({ ...net, layers: [{ ...net.layers[0], ...change }] }) as never;
    expectTyped(thrown(() => initParams(bad({ units: -1 }), 'he', 1)), SpecError, 'net.layers[0].units');
    expectTyped(thrown(() => initParams(bad({ fanIn: 3 }), 'he', 1)), SpecError, 'net.layers[0].fanIn', /must be 2 .*got 3/);
    expectTyped(thrown(() => initParams(bad({ activation: 'gelu' }), 'he', 1)), SpecError, 'net.layers[0].activation');
    expectTyped(thrown(() => batchScale({ ...net, reduction: 'avg' } as never, 4)), SpecError, 'net.reduction');
    expectTyped(thrown(() => batchScale(undefined as never, 4)), SpecError, 'net');
    // A net written by hand, as the Net type allows, in any key order, is one.
    const byHand = { reduction: 'sum', loss: 'bce', layers: [{ bias: 'none', activation: 'sigmoid', fanIn: 2, units: 1 }], inputs: 2 } as const;
    expect(initParams(byHand, 'he', 1).W[0].length).toBe(2);
    expect(initParams(byHand, 'he', 1).b[0].length).toBe(0);
    expect(batchScale(byHand, 4)).toBe(1);
    // A misspelt key of the net or a layer is named, with the guess: it was dropped unread ("reduce": 'sum' gave the
    // mean's scale, 1/4, in silence).
    expectTyped(thrown(() => batchScale({ ...byHand, reduce: 'sum' } as never, 4)), SpecError, 'net.reduce', /^net\.reduce: unknown key; a net has inputs, layers, loss, reduction$/);
    expectTyped(thrown(() => initParams({ ...byHand, layers: [{ ...byHand.layers[0], bais: 'none' }] } as never, 'he', 1)), SpecError, 'net.layers[0].bais', /did you mean 'bias'\?/);
  });

  it('stepScalars and batchScale: t and n of 0 are refused (not a step size or scale of Infinity)', () => {
    const adam = resolveOptimizer('adam', 0.1);
    expectTyped(thrown(() => stepScalars(adam, 0)), SpecError, 't');
    expectTyped(thrown(() => stepScalars(adam, 1.5)), SpecError, 't');
    // config: not resolveOptimizer's result (was a TypeError reading lr of undefined, or a NaN step size).
    for (const config of [undefined, null, {}, { ...adam, beta1: '0.9' }]) expectTyped(thrown(() => stepScalars(config as never, 1)), SpecError, 'config');
    // Outside resolveOptimizer's ranges: a step size of Infinity (beta1 1), a bias2Sqrt of NaN (beta2 1.5), a negative
    // step size (lr −1, beta1 1.5) were returned as numbers.
    for (const [key, v] of [['beta1', 1], ['beta1', 1.5], ['beta1', -0.5], ['beta2', 1.5], ['beta2', 1], ['lr', -1]] as const) {
      expectTyped(thrown(() => stepScalars({ ...adam, [key]: v }, 1)), SpecError, `config.${key}`, new RegExp(`got ${v}$`));
    }
    // Step 1 of Adam: stepSize lr / (1 − β1) (PyTorch's bias correction), bias2Sqrt √(1 − β2).
    expect(stepScalars(adam, 1).stepSize).toBeCloseTo(0.1 / (1 - 0.9), 12);
    // Read once: an lr that answers 0.1 to the check and NaN after gives the checked step size, not NaN.
    let reads = 0;
    const shifty = { ...adam, get lr() { reads++; return reads === 1 ? 0.1 : Number.NaN; } };
    expect([stepScalars(shifty, 1).stepSize, reads]).toEqual([stepScalars(adam, 1).stepSize, 1]);
    expectTyped(thrown(() => batchScale(net, 0)), SpecError, 'n');
    expectTyped(thrown(() => batchScale(net, Number.NaN)), SpecError, 'n');
    expect(batchScale(net, 4)).toBe(0.25);
  });

  it('saveCheckpoint refuses NaN epochs or parameters, another net, a bad spec and a state that does not match it', () => {
    expectTyped(thrown(() => saveCheckpoint(net, spec, params(), undefined, Number.NaN)), SpecError, 'epochs');
    expectTyped(thrown(() => saveCheckpoint(net, spec, params(), undefined, -1)), SpecError, 'epochs');
    const nan = params();
    nan.W[0][1] = Number.NaN;
    expectTyped(thrown(() => saveCheckpoint(net, spec, nan, undefined, 0)), NonFiniteError, 'params.W[0][0][1]');
    expectTyped(thrown(() => saveCheckpoint(net, spec, { W: [new Float32Array(3)], b: [new Float32Array(1)] }, undefined, 0)), ShapeError, 'params.W[0]');
    expectTyped(thrown(() => saveCheckpoint(net, { ...spec, inputs: 3 }, params(), undefined, 0)), SpecError, 'spec');
    expectTyped(thrown(() => saveCheckpoint(net, { ...spec, lr: -1 }, params(), undefined, 0)), SpecError, 'lr');
    const state = { name: 'adam' as const, t: 1, slots: { m: params(), v: { W: [new Float32Array([0.25, 0])], b: [new Float32Array(1)] } } };
    expectTyped(thrown(() => saveCheckpoint(net, spec, params(), { ...state, name: 'sgd' }, 0)), SpecError, 'state.name');
    expectTyped(thrown(() => saveCheckpoint(net, spec, params(), { ...state, t: -1 }, 0)), SpecError, 'state.t');
    expectTyped(thrown(() => saveCheckpoint(net, spec, params(), { ...state, slots: { m: params() } } as never, 0)), SpecError, 'state.slots.v');
    // The value rules loadCheckpoint applies: t = 0 means no step ran, so every slot value is 0; Adam's v is ≥ 0.
    expectTyped(thrown(() => saveCheckpoint(net, spec, params(), { ...state, t: 0 }, 0)), SpecError, 'state.slots.m.W[0][0]');
    const negative = { ...state, slots: { m: params(), v: { W: [new Float32Array([0.25, -1e-3])], b: [new Float32Array(1)] } } };
    expectTyped(thrown(() => saveCheckpoint(net, spec, params(), negative, 0)), SpecError, 'state.slots.v.W[0][1]');
    // A good one round-trips.
    const ck = loadCheckpoint(saveCheckpoint(net, spec, params(), state, 2));
    expect([ck.epochs, ck.state?.t, Array.from(ck.params.W[0])]).toEqual([2, 1, [0.5, -0.5]]);
    // net is checked as initParams checks it (was: null a TypeError; the same net written with its keys in another
    // order "of another net (2-1 sigmoid, bce), not net (2-1 sigmoid, bce)").
    expectTyped(thrown(() => saveCheckpoint(null as never, spec, params(), undefined, 0)), SpecError, 'net');
    expectTyped(thrown(() => loadCheckpoint(saveCheckpoint(net, spec, params(), undefined, 0), spec as never)), SpecError, 'net.layers[0].fanIn');
    const byHand = { reduction: 'mean', loss: 'bce', layers: [{ bias: 'per-unit', activation: 'sigmoid', fanIn: 2, units: 1 }], inputs: 2 } as const;
    expect(loadCheckpoint(saveCheckpoint(byHand, spec, params(), undefined, 3), byHand).epochs).toBe(3);
  });

  it('a checkpoint whose metadata lacks format or epochs, or whose run record lacks until, names it as missing, not "got undefined" (fuzzcli50)', () => {
    // A byte flipped in a checkpoint's header key ("formct") leaves the format out: `train --resume` printed
    // `checkpoint.format: expected "backprop-webgpu/checkpoint 1", got undefined`.
    const { tensors, metadata } = decodeSafetensors(saveCheckpoint(net, spec, params(), undefined, 2, { run: '{"data":"mnist"}' }));
    for (const key of ['format', 'epochs']) {
      const { [key]: _, ...rest } = metadata;
      expectTyped(thrown(() => loadCheckpoint(encodeSafetensors(tensors, rest))), SpecError, `checkpoint.${key}`, /, missing from the metadata$/);
    }
    const file = join(dir, 'no-until.ckpt');
    writeFileSync(file, encodeSafetensors(tensors, metadata));
    expectTyped(thrown(() => readResume(file)), SpecError, 'checkpoint.run.until', /: must be an integer ≥ the epochs trained \(2\), missing$/);
    // A key of the record flipped ("untal") is named as unknown, with the guess (it was ignored, and until said missing).
    writeFileSync(file, encodeSafetensors(tensors, { ...metadata, run: '{"data":"mnist","untal":4}' }));
    expectTyped(thrown(() => readResume(file)), SpecError, 'checkpoint.run.untal', /^checkpoint\.run\.untal: unknown key; did you mean 'until'\? The run record has data, until$/);
    writeFileSync(file, encodeSafetensors(tensors, { ...metadata, run: '{"data":{"x":[[0,1]],"y":[[1]],"z":1},"until":4}' }));
    expectTyped(thrown(() => readResume(file)), SpecError, 'checkpoint.run.data.z', /^checkpoint\.run\.data\.z: unknown key; the run's data has x, y$/);
  });

  it("train --resume: an error about the checkpoint's run data or its batchSize against it names checkpoint.…, not the bare y[0][0] or batchSize (fuzzcli50)", async () => {
    // A digit flipped in the run record (y 1 → 3), or a stored batchSize past the record's examples: `train --resume`
    // printed `error [LABEL_RANGE] y[0][0] is 3; …`, `error [SPEC] batchSize: is 5, …` — fields the command was not given.
    const run = (y: number[][]) => JSON.stringify({ data: { x: [[0, 1], [1, 0]], y }, until: 4 });
    const failure = async (file: string, bytes: Uint8Array) => {
      writeFileSync(file, bytes);
      return rejected(runTrain(undefined, { resume: file, json: true }, () => {}, () => {}));
    };
    const label = await failure(join(dir, 'resume-label.ckpt'), saveCheckpoint(net, spec, params(), undefined, 2, { run: run([[3], [0]]) }));
    expectTyped(label, LabelRangeError, 'checkpoint.run.data.y[0][0]', /^checkpoint\.run\.data\.y\[0\]\[0\] is 3; bce needs labels in \[0, 1\]/);
    const batch = await failure(join(dir, 'resume-batch.ckpt'), saveCheckpoint(net, { ...spec, batchSize: 5 }, params(), undefined, 2, { run: run([[1], [0]]) }));
    expectTyped(batch, SpecError, 'checkpoint.spec.batchSize', /^checkpoint\.spec\.batchSize: is 5, more than the 2 examples of x/);
  });

  it("saveCheckpoint's metadata: string entries in the header that loadCheckpoint returns; a key of the format's own is refused by name", () => {
    const bytes = saveCheckpoint(net, spec, params(), undefined, 2, { run: '{"until":3}', note: 'by hand', ['__proto__']: 'own' });
    // In the file's header beside the format's own entries, read here without loadCheckpoint.
    expect(decodeSafetensors(bytes).metadata).toMatchObject({ epochs: '2', run: '{"until":3}', note: 'by hand' });
    const ck = loadCheckpoint(bytes);
    expect([ck.epochs, Object.entries(ck.metadata)]).toEqual([2, [['run', '{"until":3}'], ['note', 'by hand'], ['__proto__', 'own']]]);
    expect(loadCheckpoint(saveCheckpoint(net, spec, params(), undefined, 2)).metadata).toEqual({});
    for (const key of ['format', 'spec', 'epochs']) {
      expectTyped(thrown(() => saveCheckpoint(net, spec, params(), undefined, 0, { note: 'x', [key]: 'mine' })), SpecError, `metadata.${key}`, /is a key of the checkpoint format's own/);
    }
    expectTyped(thrown(() => saveCheckpoint(net, spec, params(), undefined, 0, { note: 3 } as never)), SpecError, 'metadata.note');
    expectTyped(thrown(() => saveCheckpoint(net, spec, params(), undefined, 0, null as never)), SpecError, 'metadata');
    // A Map's entries are not its keys: it would have written nothing.
    expectTyped(thrown(() => saveCheckpoint(net, spec, params(), undefined, 0, new Map([['note', 'x']]) as never)), SpecError, 'metadata', /must be a plain object of strings/);
  });
});

