/**
 * Hostile and careless input (issue 11), one describe per class of failure found: each case ends in a typed error
 * naming its field — before anything is allocated or run — or in a correct, finite result. The CLI runs in
 * process (main() with stdout and stderr captured), so these stay fast.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { budgetFromEnv, checkFitBudget, DEFAULT_BUDGET, fitDataNeeds, fitTrainerNeeds, getBudget, needs, setBudget } from '../src/budget.ts';
import { chromiumChoice, installArg } from '../src/node/chromium.ts';
import { main } from '../src/cli/main.ts';
import { DivergedError, LimitError, NonFiniteError, ShapeError, SpecError, WebGPUUnavailableError } from '../src/errors.ts';
import { lecture } from '../src/lectures/index.ts';
import { Model } from '../src/model.ts';
import { explainer } from '../src/notation/explain.ts';
import { evalExpr, namesIn, parseExpr } from '../src/notation/expr.ts';
import { toColumns, validateNet, validateSpec, type NetworkSpec, type RowsSpec } from '../src/spec.ts';
import { epochOrder } from '../src/train/fit.ts';
import { checkWorked } from '../src/worked/check.ts';
import type { WorkedExample } from '../src/worked/worked.ts';
import { expectTyped, rejected, thrown } from './lib/typed.ts';

const dir = mkdtempSync(join(tmpdir(), 'backprop-harden-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  setBudget(DEFAULT_BUDGET);
});

let files = 0;
function file(content: unknown): string {
  const f = join(dir, `f-${files++}.json`);
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
}

/** Run the CLI in this process: exit status, stdout and stderr. */
export async function cli(args: string[], env: Record<string, string> = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { stdout += String(s); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { stderr += String(s); return true; });
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  try {
    const status = await main(args);
    return { status, stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    setBudget(DEFAULT_BUDGET);
  }
}

/** The 2-2-1 net of lecture 001 (sigmoid, mse, shared hidden bias, one example), from its single transcription. */
const LECTURE: RowsSpec = lecture('lecture-2-2-1').worked.spec;
const clone = <T>(v: T): T => structuredClone(v);
const bits = (p: { W: Float32Array[]; b: Float32Array[] }): string => JSON.stringify([...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))));

describe('class 1: values outside the float32 range are refused, naming the element', () => {
  const cases: [string, (s: Record<string, unknown>) => void, string][] = [
    ['1e39 in x', (s) => { (s.x as number[][])[0][1] = 1e39; }, 'x[0][1]'],
    ['-1e308 in y', (s) => { (s.y as number[][])[0][0] = -1e308; }, 'y[0][0]'],
    ['1e39 in W', (s) => { (s.params as { W: number[][][] }).W[1][0][1] = 1e39; }, 'params.W[1][0][1]'],
    ['1e308 as a shared bias', (s) => { (s.params as { b: unknown[] }).b[0] = 1e308; }, 'params.b[0][0]'],
    ['1e39 as lr', (s) => { s.lr = 1e39; }, 'lr'],
  ];
  for (const [what, mutate, field] of cases) {
    it(what, () => {
      const spec = clone(LECTURE) as unknown as Record<string, unknown>;
      mutate(spec);
      expectTyped(thrown(() => validateSpec(spec)), NonFiniteError, field, /float32 range/);
    });
  }

  it('in the {examples, data} form (Float64Array) and through the library', async () => {
    const model = await Model.create(LECTURE, { backend: 'cpu' });
    const err = await rejected(model.grad({ examples: 1, data: new Float64Array([0.05, 3.5e38]) }, [[0.01]]));
    expectTyped(err, NonFiniteError, 'x[0][1]', /float32 range/);
    expectTyped(await rejected(model.train({ steps: 1, lr: 1e300 })), SpecError, 'lr', /float32 range/);
    expectTyped(await rejected(model.setParams({ W: [[[1e39, 0], [0, 0]], [[0, 0]]], b: [0, [0]] })), NonFiniteError, 'params.W[0][0][0]');
    // The largest float32 itself is accepted.
    expect(Number.isFinite((await model.grad([[0.05, 3.4028234663852886e38]], [[0.01]])).loss)).toBe(true);
    model.dispose();
  });

  it('the CLI exits 2 naming the element (was: exit 0 with null gradients)', async () => {
    const spec = clone(LECTURE);
    spec.x![0][0] = 1e39;
    const r = await cli(['grad', file(spec), '--json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/NON_FINITE.*x\[0\]\[0\].*float32 range/);
  });
});

describe('class 2: divergence is checked on the parameters after the last update, and they are really restored', () => {
  /** A linear net on large inputs: one step at a huge rate takes W past the float32 range while the loss before it is finite. */
  const LINEAR: NetworkSpec = { inputs: 2, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[0.5, -0.25]]], b: [[0.1]] }, x: [[30, -40]], y: [[1]] };

  for (const call of ['train', 'step'] as const) {
    it(`${call}() at lr 1e38: DivergedError on this call, parameters bitwise as before, and the next call works`, async () => {
      const model = await Model.create(LINEAR, { backend: 'cpu' });
      const before = bits(await model.getParams());
      const err = await rejected(call === 'train' ? model.train({ steps: 1, lr: 1e38 }) : model.step(1e38));
      expect(err).toBeInstanceOf(DivergedError);
      expect((err as DivergedError).message).toMatch(/parameter became ±Infinity or NaN.*restored/);
      expect(Number.isFinite((err as DivergedError).loss), 'the loss before the update was finite').toBe(true);
      expect((err as DivergedError).maxAbs).toBe(Infinity);
      const after = await model.getParams();
      expect(bits(after), 'restored bitwise').toBe(before);
      // The next call starts from finite parameters: no DivergedError about an earlier call.
      const ok = await model.train({ steps: 1, lr: 1e-4 });
      expect(Number.isFinite(ok.loss)).toBe(true);
      model.dispose();
    });
  }

  it('fit(): a parameter past float32 after an epoch is a DivergedError, parameters restored; the history reports max |W|', async () => {
    const model = await Model.create(LINEAR, { backend: 'cpu' });
    const before = bits(await model.getParams());
    const err = await rejected(model.fit({ x: LINEAR.x, y: LINEAR.y, batchSize: 1, epochs: 1, optimizer: { name: 'sgd', lr: 1e38 } }));
    expect(err).toBeInstanceOf(DivergedError);
    expect(Number.isFinite((err as DivergedError).loss), 'the epoch loss (before the update) was finite').toBe(true);
    expect(bits(await model.getParams()), 'restored bitwise').toBe(before);
    const history = await model.fit({ x: LINEAR.x, y: LINEAR.y, batchSize: 1, epochs: 2, optimizer: { name: 'sgd', lr: 1e-4 } });
    const p = await model.getParams();
    expect(history[1].maxAbsParam).toBe(Math.max(...[...p.W, ...p.b].flatMap((a) => Array.from(a, Math.abs))));
    model.dispose();
  });

  it('train() reports max |W| after the last update: weights near 1e5 with a finite loss are not an error', async () => {
    // W·x with x = 0 leaves the loss untouched by W: only the bias learns; W is set large by hand.
    const spec: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[-1e5]]], b: [[0]] }, x: [[0]], y: [[1]], lr: 0.1 };
    const model = await Model.create(spec, { backend: 'cpu' });
    const r = await model.train({ steps: 3 });
    expect(r.maxAbsParam).toBe(1e5);
    expect(r.loss).toBeLessThan(1);
    model.dispose();
  });
});

describe('class 3: no coercion in the {examples, data} form, no sparse holes', () => {
  const bad: [string, unknown[], string][] = [
    ['a string', ['0.05', 0.1], 'x[0][0]'],
    ['null', [0.05, null], 'x[0][1]'],
    ['true', [true, 0.1], 'x[0][0]'],
    ['[]', [[], 0.1], 'x[0][0]'],
    // eslint-disable-next-line no-sparse-arrays
    ['a hole', [0.05, ,], 'x[0][1]'],
  ];
  for (const [what, data, field] of bad) {
    it(`${what} in data is refused`, () => {
      expectTyped(thrown(() => validateSpec({ ...LECTURE, x: { examples: 1, data } })), SpecError, field, /must be a number/);
    });
  }

  it('the first bad value in reading order is named (x[1][1] before x[2][0]), though the conversion walks by blocks', () => {
    // LECTURE has 2 inputs: example 1's second value and example 2's first are bad; example-major, x[1][1] comes first.
    const data = [0.05, 0.1, 0.2, 1e39, Number.NaN, 0.3];
    expectTyped(thrown(() => validateSpec({ ...LECTURE, x: { examples: 3, data } })), NonFiniteError, 'x[1][1]', /float32 range/);
  });

  it('typed data (its own loop, toColumns typedColumns) names the same first bad value, and converts as number[] does', () => {
    const data = [0.05, 0.1, 0.2, Number.POSITIVE_INFINITY, Number.NaN, 0.3];
    expectTyped(thrown(() => validateSpec({ ...LECTURE, x: { examples: 3, data: Float32Array.from(data) } })), NonFiniteError, 'x[1][1]', /is Infinity/);
    const wide = [0.05, 0.1, 0.2, 1e39, Number.NaN, 0.3];
    expectTyped(thrown(() => validateSpec({ ...LECTURE, x: { examples: 3, data: Float64Array.from(wide) } })), NonFiniteError, 'x[1][1]', /float32 range/);
    // 37 examples × 3 features: two whole blocks of 16 and a partial one; −0, a float64 that rounds, one that flushes to 0.
    const values = Array.from({ length: 37 * 3 }, (_, k) => (k === 5 ? -0 : k === 7 ? 1e-50 : k % 4 === 1 ? 0.1 + k / 3 : -k * 1.000000001));
    const plain = toColumns({ examples: 37, data: values }, 3, 'x').data;
    // float32's edge: 3.4028235e38 rounds to its largest value (taken), 3.4028235677973366e38 to Infinity (refused).
    const FLT_MAX = 3.4028234663852886e38;
    for (const data of [[0.5, 3.4028235e38], Float64Array.from([0.5, 3.4028235e38])]) {
      expect(toColumns({ examples: 1, data }, 2, 'x').data[1]).toBe(FLT_MAX);
    }
    for (const data of [[0.5, 3.4028235677973366e38], Float64Array.from([0.5, 3.4028235677973366e38])]) {
      expectTyped(thrown(() => toColumns({ examples: 1, data }, 2, 'x')), NonFiniteError, 'x[0][1]', /float32 range/);
    }
    for (const typed of [Float64Array.from(values), Float32Array.from(values)]) {
      const { n, data } = toColumns({ examples: 37, data: typed }, 3, 'x');
      expect(n).toBe(37);
      expect(Array.from(data).map((v) => Object.is(v, -0) ? '-0' : v)).toEqual(Array.from(plain).map((v) => Object.is(v, -0) ? '-0' : v));
    }
  });

  it('holes in rows, in W and in layers are refused (forEach would skip them)', () => {
    const holeRow = new Array(1) as number[][];
    expectTyped(thrown(() => validateSpec({ ...LECTURE, x: holeRow })), ShapeError, 'x[0]');
    const holeValue = [[0.05, undefined as unknown as number]];
    delete (holeValue[0] as unknown[])[1];
    expect(1 in holeValue[0]).toBe(false);
    expectTyped(thrown(() => validateSpec({ ...LECTURE, x: holeValue })), SpecError, 'x[0][1]');
    const W = clone(LECTURE.params!.W);
    delete (W[0][1] as unknown[])[0];
    expectTyped(thrown(() => validateSpec({ ...LECTURE, params: { ...LECTURE.params!, W } })), SpecError, 'params.W[0][1][0]');
    const layers = [...LECTURE.layers];
    delete (layers as unknown[])[0];
    expectTyped(thrown(() => validateNet({ ...LECTURE, layers })), SpecError, 'layers[0]');
  });
});

describe('class 4: no prototype lookups in the formula evaluator', () => {
  const worked = lecture('lecture-2-2-1').worked;
  for (const fn of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf']) {
    it(`"${fn}(w5) * 0 + 0.0822" is not a function call, and not judged ✓`, () => {
      const e = parseExpr(`${fn}(w5) * 0 + 0.0822`, 'f');
      expect(JSON.stringify(e)).not.toContain('"call"');
      expect(namesIn(e)).toContain(fn);
      expect(() => evalExpr({ t: 'call', fn, args: [{ t: 'num', v: 1 }] }, () => 0)).toThrow(/not a function/);
      const w: WorkedExample = { ...worked, claims: [{ name: '∂L/∂w5', formula: `${fn}(w5) * 0 + 0.0822`, decimals: 4 }] };
      const [check] = checkWorked(w).checks;
      expect(check.status, 'an unknown name is never a match').toBe('wrong');
      expect(check.shown).toMatchObject({ unresolved: [fn] });
    });
  }
});

describe('class 5: no recursion on untrusted depth', () => {
  it('x nested 10 000 deep: a ShapeError with a cut shape, no stack overflow', () => {
    let deep: unknown = 1;
    for (let k = 0; k < 10_000; k++) deep = [deep];
    const err = thrown(() => validateSpec({ ...LECTURE, x: deep }));
    expectTyped(err, ShapeError, 'x[0]');
    expect((err as Error).message).toMatch(/\[1\]\[1\].*…/);
    expectTyped(thrown(() => validateSpec({ ...LECTURE, params: { W: deep, b: [0, [0]] } })), ShapeError, 'params.W');
  });

  it('a formula of 100 000 nested parentheses, or 100 000 signs: a ClaimError, no stack overflow', () => {
    const parens = `${'('.repeat(100_000)}1${')'.repeat(100_000)}`;
    expect(thrown(() => parseExpr(parens, 'f'))).toMatchObject({ name: 'ClaimError', message: expect.stringMatching(/characters long/) });
    const nested = `${'('.repeat(300)}1${')'.repeat(300)}`;
    expect(thrown(() => parseExpr(nested, 'f'))).toMatchObject({ name: 'ClaimError', message: expect.stringMatching(/more than 200 deep/) });
    expect(thrown(() => parseExpr(`${'-'.repeat(5000)}1`, 'f'))).toMatchObject({ name: 'ClaimError', message: expect.stringMatching(/more than 200 deep/) });
    // 199 levels are fine.
    expect(evalExpr(parseExpr(`${'('.repeat(199)}2${')'.repeat(199)}`, 'f'), () => 0)).toBe(2);
    // A long flat chain (within the length bound) evaluates without overflow.
    expect(evalExpr(parseExpr(Array(4000).fill('1').join('+'), 'f'), () => 0)).toBe(4000);
  });

  it('the CLI: a 10 000-deep x exits 2 with a ShapeError', async () => {
    // Written as text: JSON.stringify itself recurses.
    const text = JSON.stringify({ ...LECTURE, x: 'DEEP' }).replace('"DEEP"', `${'['.repeat(10_000)}1${']'.repeat(10_000)}`);
    const r = await cli(['grad', file(text)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/SHAPE.*x\[0\]/);
  });
});

describe('class 6: a budget from the shapes alone, refused before allocating', () => {
  const wide = (units: number): NetworkSpec => ({
    inputs: 1, layers: [{ units, activation: 'tanh' }, { units: 1, activation: 'identity' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 },
  });

  for (const units of [1e8, 1e9, 1e20]) {
    it(`${units} units with init: a LimitError naming layers[0].units and the bytes, nothing allocated`, async () => {
      const before = process.memoryUsage().arrayBuffers;
      // Validation alone refuses it (without this, init would allocate gigabytes in Model.create).
      expectTyped(thrown(() => validateSpec(wide(units))), LimitError, 'layers[0].units');
      const err = await rejected(Model.create(wide(units), { backend: 'cpu' }));
      expectTyped(err, LimitError, 'layers[0].units', /needs .* bytes\) of host memory.*over the host budget/);
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(50 * 2 ** 20);
    });
  }

  it('counts the batch: {examples: 1e9} is refused naming x before its data is read', async () => {
    const err = thrown(() => validateSpec({ ...LECTURE, x: { examples: 1e9, data: [] }, y: { examples: 1e9, data: [] } }));
    expectTyped(err, LimitError, 'x', /host memory/);
    const model = await Model.create(LECTURE, { backend: 'cpu' });
    expectTyped(await rejected(model.train({ steps: 1, x: { examples: 2e9, data: [] }, y: { examples: 2e9, data: [] } })), LimitError, 'x');
    model.dispose();
  });

  it('the figures follow the documented formula, and the budget is configurable (setBudget, ModelOptions.budget)', async () => {
    // 2-2-1 with a shared bias: P = 4 + 1 + 2 + 1 = 8; Act = 3 units × n; D = (2 + 1) × n.
    const net = validateNet(LECTURE);
    const n = 5;
    const need = needs(net, n);
    expect(need).toMatchObject({ params: 8, activations: 15, data: 15 });
    // scratch: T1 = max(n·fanIn, units·fanIn) = 10, T2 = max(n·units) = 10, S = max(units·n, fanIn·n, units·fanIn) = 10.
    expect(need.hostBytes).toBe(4 * (6 * 8 + 2 * 15 + 6 * 15 + n) + 4 * (10 + 10) + 8 * 10);
    // device: 4·(D + 6·Act + n + 1) = 4·(15 + 90 + 5 + 1) = 444; W_1, b_1, W_2, b_2 one 256-byte block each, P_256 = 1024,
    // five params-sized buffers 5120; row sums 4·U = 12 (U = 3); S_net = 3·2 + 2 + 1 = 9 uniform blocks, c = 1 chunk:
    // 256·(9 + 1 + 2·1) = 3072 (dims and max |θ|'s dims); 64 of placeholders and 4-byte readbacks: 8712.
    expect(need.deviceBytes).toBe(444 + 5120 + 12 + 3072 + 64);
    const err = await rejected(Model.create(LECTURE, { backend: 'cpu', budget: { hostBytes: 100 } }));
    expectTyped(err, LimitError, 'layers[0].units', /over the host budget of 100 bytes/);
    setBudget({ hostBytes: 100 });
    expect(getBudget().hostBytes).toBe(100);
    expect(thrown(() => validateSpec(LECTURE))).toBeInstanceOf(LimitError);
    setBudget(DEFAULT_BUDGET);
    expect(validateSpec(LECTURE).net.layers.length).toBe(2);
    expectTyped(thrown(() => setBudget({ hostBytes: -1 })), LimitError, 'budget.hostBytes');
    // validateSpec's budget is checked as ModelOptions.budget is (was: 'layers[0].units: … over the host budget of -1 bytes').
    expectTyped(thrown(() => validateSpec(LECTURE, { hostBytes: -1 })), LimitError, 'budget.hostBytes');
    expectTyped(thrown(() => validateSpec(LECTURE, { hostByte: 1 } as never)), LimitError, 'budget.hostByte');
    expectTyped(thrown(() => validateSpec(LECTURE, { hostBytes: 100 })), LimitError, 'layers[0].units', /over the host budget of 100 bytes/);
  });

  it("fit's data bytes follow README's formula: host 4·(3·D_fit + 2·n_train + (outputs + 1)·n_val), device 4·(D_fit + n_train + (outputs + 2)·n_val)", () => {
    // 2-2-1: inputs 2, outputs 1. 7 training + 3 validation examples: D_fit = (2 + 1) × (7 + 3) = 30.
    // host = 4·(3·30 + 2·7 + (1 + 1)·3) = 4·(90 + 14 + 6) = 440; device = 4·(30 + 7 + (1 + 2)·3) = 4·46 = 184 (WebGPU's
    // validation pass: an identity order of 3, A_L 1 × 3 and 3 losses, beside X, Y and the order).
    const net = validateNet(LECTURE);
    expect(fitDataNeeds(net, 7, 3)).toEqual({ hostBytes: 440, deviceBytes: 184 });
    // No validation set: D_fit = 3 × 7 = 21; host = 4·(63 + 14) = 308, device = 4·(21 + 7) = 112.
    expect(fitDataNeeds(net, 7, 0)).toEqual({ hostBytes: 308, deviceBytes: 112 });
  });

  it("fit's trainer bytes follow README's formula: host 4·4k·P, device 2k·P_256 + 2·(256·(S_net + 1 + c) + 64) + 112 + 256·S·(1 + c)", () => {
    // 2-2-1, layer 1 a shared bias, layer 2 per-unit: P = 4 + 1 + 2 + 1 = 8; W_1, b_1, W_2, b_2 one 256-byte block
    // each, P_256 = 1024; S_net = 3·2 + 2 + 1 = 9 uniform blocks, c = 1: 256·11 + 64 = 2880 a partial-batch net.
    // Adam (k = 2), batches of 5, 3 validation examples, 16 a submission: S = max(16, ⌈3 / 5⌉) = 16 slots.
    // host = 4·4·2·8 = 256; device = 4·1024 + 2·2880 + 112 + 256·16·2 = 4096 + 5760 + 112 + 8192 = 18160.
    const net = validateNet(LECTURE);
    expect(fitTrainerNeeds(net, 5, 3, 'adam', 16)).toEqual({ hostBytes: 256, deviceBytes: 18160 });
    // SGD (k = 0): host 0, device 5760 + 112 + 8192 = 14064; 1000 validation examples: S = ⌈1000 / 5⌉ = 200
    // slots, 256·200·2 = 102400 for them; 100 batches a submission: S = 100.
    expect(fitTrainerNeeds(net, 5, 3, 'sgd', 16)).toEqual({ hostBytes: 0, deviceBytes: 14064 });
    expect(fitTrainerNeeds(net, 5, 1000, 'sgd', 16).deviceBytes).toBe(14064 - 8192 + 102400);
    expect(fitTrainerNeeds(net, 5, 3, 'sgd', 100).deviceBytes).toBe(14064 - 8192 + 51200);
    // More than 4096 (STEPS_PER_SUBMISSION) batches a submission: the trainer submits 4096 at most, S = 4096.
    expect(fitTrainerNeeds(net, 5, 3, 'sgd', 10_000).deviceBytes).toBe(14064 - 8192 + 256 * 4096 * 2);
    expect(fitTrainerNeeds(net, 5, 3, 'momentum', 16)).toEqual({ hostBytes: 128, deviceBytes: 14064 + 2 * 1024 });
    // fit's check adds it to the net at batches of 5 (needs: host 852, device 8712) and the data (440, 184): host
    // 852 + 256 + 440 = 1548, device 8712 + 18160 + 184 = 27056, each taken at that many bytes and refused at one fewer
    // (naming validation.x: without the 3 validation examples the fit would fit).
    const budget = (hostBytes: number, deviceBytes: number) => ({ hostBytes, deviceBytes, fileBytes: 1 });
    const fit = (hostBytes: number, deviceBytes: number) => () => checkFitBudget(net, 7, 3, 5, { device: true, optimizer: 'adam', budget: budget(hostBytes, deviceBytes) });
    expect(fit(1548, 27056)).not.toThrow();
    expectTyped(thrown(fit(1547, 27056)), LimitError, 'validation.x', /^validation\.x: fit's data needs 1\.51 KiB \(1\.548e\+3 bytes\) of host memory/);
    expectTyped(thrown(fit(1548, 27055)), LimitError, 'validation.x', /^validation\.x: fit's data needs 26\.4 KiB \(2\.706e\+4 bytes\) of GPU memory/);
  });

  it("predict's and evaluate's data are counted as fit's validation set: on WebGPU an identity order, A_L and the losses beside X and Y, on a trainer", () => {
    // 2-2-1 at batches of 5: needs(net, 5).deviceBytes = 8712 (above). 10 examples: D = 3 × 10 = 30,
    // device 4·(30 + (1 + 2)·10) = 240 (X, Y; identity order, A_L, losses: src/webgpu/train.ts predict); the trainer
    // it runs on (an SGD one made for it: fitTrainerNeeds, S = max(16, ⌈10 / 5⌉) = 16 slots) 14064: 23016 in all.
    const net = validateNet(LECTURE);
    const budget = (deviceBytes: number) => ({ hostBytes: 2 ** 30, deviceBytes, fileBytes: 1 });
    for (const what of ['predict', 'evaluate'] as const) {
      expect(() => checkFitBudget(net, 10, 0, 5, { what, device: true, budget: budget(23016) })).not.toThrow();
      expectTyped(thrown(() => checkFitBudget(net, 10, 0, 5, { what, device: true, budget: budget(23015) })), LimitError, 'x', new RegExp(`^x: ${what}'s data needs 22\\.5 KiB \\(2\\.302e\\+4 bytes\\) of GPU memory \\(10 examples`));
      // On an Adam fit's trainer (its state m, v and their staging, four params-sized buffers of 256-byte blocks):
      // 4·1024 more, 18160 for the trainer, 27112 in all.
      expect(() => checkFitBudget(net, 10, 0, 5, { what, device: true, optimizer: 'adam', budget: budget(27112) })).not.toThrow();
      expectTyped(thrown(() => checkFitBudget(net, 10, 0, 5, { what, device: true, optimizer: 'adam', budget: budget(27111) })), LimitError, 'x');
    }
  });

  it('a net has at most 1000 layers: 1000 validate, 1001 is a LimitError naming layers', () => {
    const deep = (count: number) => ({ inputs: 1, layers: Array.from({ length: count }, () => ({ units: 1, activation: 'identity' as const })), loss: 'mse' as const });
    expect(validateNet(deep(1000)).layers).toHaveLength(1000);
    expectTyped(thrown(() => validateNet(deep(1001))), LimitError, 'layers', /1001 layers; at most 1000/);
  });

  it('the budget setter a LimitError names is importable from the package entry (README: setBudget)', async () => {
    const entry: Record<string, unknown> = await import('../src/index.ts');
    const err = await rejected(Model.create(LECTURE, { backend: 'cpu', budget: { hostBytes: 100 } }));
    expectTyped(err, LimitError, 'layers[0].units', /over the host budget/);
    const named = /(\w+)\(\{hostBytes\}\)/.exec((err as Error).message)?.[1];
    expect(named).toBe('setBudget');
    expect(entry[named!]).toBe(setBudget);
    expect(entry.getBudget).toBe(getBudget);
    expect(entry.DEFAULT_BUDGET).toBe(DEFAULT_BUDGET);
  });

  it('spec files are read with a size cap: a big file and /dev/zero exit 2 with LIMIT, quickly', async () => {
    const r = await cli(['grad', file(LECTURE)], { BACKPROP_MAX_FILE_BYTES: '50' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/LIMIT.*larger than the budget's fileBytes, 50 bytes/);
    const z = await cli(['grad', '/dev/zero'], { BACKPROP_MAX_FILE_BYTES: String(2 ** 20) });
    expect(z.status).toBe(2);
    expect(z.stderr).toMatch(/LIMIT.*\/dev\/zero/);
    const h = await cli(['grad', file({ ...wide(1e8), x: [[1]], y: [[1]] })]);
    expect(h.status).toBe(2);
    expect(h.stderr).toMatch(/LIMIT.*layers\[0\]\.units/);
    const bad = await cli(['grad', file(LECTURE)], { BACKPROP_MAX_HOST_BYTES: 'lots' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/BACKPROP_MAX_HOST_BYTES/);
    // Whole decimal bytes only, as the CLI's integer flags (Number() took '1.5', '0x100', ' 500'); --help and --version
    // are not hidden by a bad value (review cli 6).
    for (const raw of ['1.5', '0x100', ' 500', '1e9', '0']) {
      const r = await cli(['grad', file(LECTURE)], { BACKPROP_MAX_FILE_BYTES: raw });
      expect([r.status, r.stderr]).toEqual([2, `error [LIMIT] BACKPROP_MAX_FILE_BYTES: must be a whole number of bytes 1 … 2⁵³ − 1 in decimal digits, got '${raw}'\n`]);
    }
    for (const args of [['--help'], ['--version'], ['grad', '--help']]) {
      const r = await cli(args, { BACKPROP_MAX_FILE_BYTES: 'lots' });
      expect([r.status, r.stderr]).toEqual([0, '']);
    }
    // The route variables: a misspelt value is refused before any work, not taken as unset (review cli 16).
    const route = await cli(['grad', file(LECTURE)], { BACKPROP_WEBGPU: 'brower' });
    expect([route.status, route.stdout, route.stderr]).toEqual([2, '', "error [SPEC] BACKPROP_WEBGPU: must be browser or unset, got 'brower'; did you mean 'browser'?\n"]);
    const chromium = await cli(['grad', file(LECTURE)], { BACKPROP_CHROMIUM: 'sytem' });
    expect([chromium.status, chromium.stdout, chromium.stderr]).toEqual([2, '', "error [BROWSER] BACKPROP_CHROMIUM must be bundled, system or unset, got 'sytem'; did you mean 'system'?\n"]);
    for (const env of [{ BACKPROP_WEBGPU: 'browser' }, { BACKPROP_WEBGPU: '' }, { BACKPROP_CHROMIUM: 'bundled' }, { BACKPROP_CHROMIUM: 'system' }] as Record<string, string>[]) {
      expect((await cli(['grad', file(LECTURE)], env)).status, JSON.stringify(env)).toBe(0);
    }
  });

  it('explain on a 50 000-example batch prints its summary without computing every example', { timeout: 60_000 }, async () => {
    const n = 50_000;
    const x = Array.from({ length: n }, (_, c) => [Math.sin(c), Math.cos(c)]);
    const y = Array.from({ length: n }, () => [0.5]);
    const before = process.memoryUsage().heapUsed;
    const r = await cli(['explain', file({ ...LECTURE, x, y }), '--backend', 'none']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Not expanded/);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 2 ** 20);
    // The summary computes no example's forward pass; expanding one parameter computes them all, once.
    const ex = explainer({ ...LECTURE, x, y });
    expect(ex.params).toEqual([]);
    expect(ex.engine.forwardPasses).toBe(0);
    const one = explainer({ ...LECTURE, x: x.slice(0, 3), y: y.slice(0, 3) }, { param: 'w5' });
    one.doc([]);
    one.doc([]);
    expect(one.engine.forwardPasses).toBe(3);
  });
});

describe('class 7: exit codes do not hide failures', () => {
  it('grad with a non-finite gradient (finite loss) exits 1 and says where', async () => {
    // A1 = W1·x is tiny, A2 = W2·A1 is 3 (finite loss), but δ1 = W2ᵀ·δ2 overflows float32.
    const spec: NetworkSpec = {
      inputs: 1, layers: [{ units: 1, activation: 'identity', bias: 'none' }, { units: 1, activation: 'identity', bias: 'none' }], loss: 'mse',
      params: { W: [[[1e-38]], [[3e38]]], b: [[], []] }, x: [[1]], y: [[-10]],
    };
    for (const json of [false, true]) {
      const r = await cli(['grad', file(spec), ...(json ? ['--json'] : [])]);
      expect(r.status).toBe(1);
      // named as grad's tables name it: layer 1 as delta₁, unit and example counted from 1 (was delta[0], 0-based)
      expect(r.stderr).toMatch(/not finite: cpu delta₁ unit 1, ex 1 .*exit status 1/);
    }
  });
  it('a non-finite dW entry is named by unit and input (columns of dW are inputs, not examples; review mutn)', async () => {
    // z1 = 0·1 + 0·1e10 = 0, ŷ = 0, δ2 = ŷ − y = 1, δ1 = W2·δ2 = 1e38 (finite); dW1 = δ1·x = [1e38, 1e48 → Infinity in float32]
    const spec: NetworkSpec = {
      inputs: 2, layers: [{ units: 1, activation: 'identity', bias: 'none' }, { units: 1, activation: 'identity', bias: 'none' }], loss: 'mse',
      params: { W: [[[0, 0]], [[1e38]]], b: [[], []] }, x: [[1, 1e10]], y: [[-1]],
    };
    const r = await cli(['grad', file(spec)]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not finite: cpu dW₁ unit 1, in 2 /);
  });
  // explain's ✗ MISMATCH → exit 1: test/cli-exit.test.ts (it needs a backend that disagrees).
});

describe('class 8: backend names are validated', () => {
  for (const name of ['gpu', 'CPU', 'WebGPU', '', 'wasm ']) {
    it(`backend '${name}' is a SpecError naming backend, before any work`, async () => {
      expectTyped(await rejected(Model.create(LECTURE, { backend: name as 'cpu' })), SpecError, 'backend', /must be one of 'auto', 'cpu', 'webgpu'/);
    });
  }
  it("in Node, backend 'webgpu' runs on Dawn (the npm package webgpu) or is a WebGPUUnavailableError saying why — never a loader error", async () => {
    // Dawn (the webgpu devDependency) is tried in this process, whose Vulkan loader has no SwiftShader: no adapter on
    // a machine without a GPU (test/dawn.test.ts runs Dawn with SwiftShader in a child process); with a GPU it runs.
    const out = await Model.create(LECTURE, { backend: 'webgpu' }).then((m) => { const kind = m.kind; m.dispose(); return kind; }, (err: unknown) => err);
    if (out !== 'webgpu') {
      expect(out).toBeInstanceOf(WebGPUUnavailableError);
      expect((out as Error).message).toMatch(/npm package '?webgpu'?|adapter/);
    }
  }, 60_000);
});

describe('class 9: clear messages', () => {
  it('--decimals -1 and --decimals "" say what is wanted', async () => {
    const f = file(LECTURE);
    for (const v of ['-1', '', '1.5', '1e1', ' 3']) {
      const r = await cli(['explain', f, '--decimals', v, '--backend', 'none']);
      expect(r.status, v).toBe(2);
      expect(r.stderr, v).toContain(`--decimals must be an integer 0 … 12, got '${v}'`);
    }
    const ok = await cli(['explain', f, '--decimals', '3', '--backend', 'none']);
    expect(ok.status).toBe(0);
  });

  it("a spec's validation is a fraction only: {x, y} there is not offered as an alternative (fit's option takes both)", async () => {
    const set = { x: [[0.05, 0.1]], y: [[0.01]] };
    const err = thrown(() => validateSpec({ ...LECTURE, validation: set }));
    expectTyped(err, SpecError, 'validation', /must be a fraction in \(0, 1\)/);
    expect((err as Error).message).not.toMatch(/or \{x, y\}, got/);
    expect((err as Error).message).toMatch(/model\.fit/);
    const model = await Model.create(LECTURE, { backend: 'cpu' });
    expectTyped(await rejected(model.fit({ validation: 'x' as unknown as number })), SpecError, 'validation', /a fraction in \(0, 1\) or \{x, y\}/);
    model.dispose();
  });

  it('steps: Infinity, NaN and "3" are reported as they are (not "null")', async () => {
    const model = await Model.create(LECTURE, { backend: 'cpu' });
    expectTyped(await rejected(model.train({ steps: Infinity })), SpecError, 'steps', /got Infinity/);
    expectTyped(await rejected(model.train({ steps: NaN })), SpecError, 'steps', /got NaN/);
    expectTyped(await rejected(model.train({ steps: '3' as unknown as number })), SpecError, 'steps', /got "3"/);
    expectTyped(thrown(() => validateSpec({ ...LECTURE, inputs: Infinity })), SpecError, 'inputs', /got Infinity/);
    model.dispose();
  });

  it('train(): steps past 2²⁰ and unknown option keys are SpecErrors naming them, before any work, parameters unchanged', async () => {
    const model = await Model.create(LECTURE, { backend: 'cpu' });
    const before = bits(await model.getParams());
    // 2²⁰ + 1 and 1e8: one past the bound, and the reviewer's runaway count (one encoder on WebGPU's per-kernel path).
    expectTyped(await rejected(model.train({ steps: 2 ** 20 + 1 })), SpecError, 'steps', /1 … 1048576 .*got 1048577/);
    expectTyped(await rejected(model.train({ steps: 1e8 })), SpecError, 'steps', /got 100000000/);
    // fit refuses a key it does not know; so does train (learningRate is not lr: it was ignored, lr taken from the spec).
    expectTyped(await rejected(model.train({ steps: 1, learningRate: 100 } as never)), SpecError, 'learningRate', /unknown option; known: steps, lr, x, y/);
    expectTyped(await rejected(model.train(null as never)), SpecError, 'options');
    expect(bits(await model.getParams())).toBe(before);
    expect((await model.train({ steps: 2 })).steps).toBe(2);
    model.dispose();
  });

  it('setParams with W or b missing: a ShapeError naming it (was: a TypeError from the copy), parameters unchanged', async () => {
    const model = await Model.create(LECTURE, { backend: 'cpu' });
    const p = await model.getParams();
    const before = bits(p);
    expectTyped(await rejected(model.setParams({ W: p.W } as never)), ShapeError, 'params.b');
    expectTyped(await rejected(model.setParams({ W: p.W, b: [p.b[0]] })), ShapeError, 'params.b');
    expectTyped(await rejected(model.setParams({ b: p.b } as never)), ShapeError, 'params.W');
    expect(bits(await model.getParams())).toBe(before);
    model.dispose();
  });

  it.each(['cpu', 'wasm'] as const)("%s: model.net is read-only — changing it would have the model check new data against a net it does not run", async (backend) => {
    const model = await Model.create(LECTURE, { backend });
    const loaded = await Model.load(await model.save(), { backend });
    const before = await model.grad();
    for (const m of [model, loaded]) {
      // The types say so too (Net's fields are readonly); these casts stand for a JavaScript caller.
      // Was: m.net.inputs = 5 was kept, and grad on 5-wide rows ran the 2-input net on them (a finite, wrong loss).
      expect(() => { (m.net as { inputs: number }).inputs = 5; }).toThrow(TypeError);
      expect(() => { (m.net.layers[0] as { activation: string }).activation = 'relu'; }).toThrow(TypeError);
      expect(() => { (m.net.layers as unknown[]).pop(); }).toThrow(TypeError);
      expect(() => { (m.net as { loss: string }).loss = 'bce'; }).toThrow(TypeError);
      expectTyped(await rejected(m.grad([[1, 2, 3, 4, 5]], [[0.01]])), ShapeError, 'x[0]', /expected shape \[2\], got \[5\]/);
    }
    expect((await model.grad()).loss).toBe(before.loss);
    model.dispose();
    loaded.dispose();
  });

  it('seeds outside 32 bits are refused (seed 1 and 2³² + 1 would give the same weights)', () => {
    const spec = { ...LECTURE, params: undefined, init: { scheme: 'xavier', seed: 2 ** 32 + 1 } };
    expectTyped(thrown(() => validateSpec(spec)), SpecError, 'init.seed', /0 … 4294967295/);
    expectTyped(thrown(() => validateSpec({ ...spec, init: { scheme: 'xavier', seed: -1 } })), SpecError, 'init.seed');
    expect(validateSpec({ ...spec, init: { scheme: 'xavier', seed: 2 ** 32 - 1 } }).init!.seed).toBe(2 ** 32 - 1);
  });

  it('shuffle seeds outside 32 bits are refused too (−1 and 2³² − 1, 1 and 2³² + 1 would draw the same orders)', () => {
    // the aliasing the guard prevents: the order's generator reduces the seed to 32 bits (−1 | 0 = (2³² − 1) | 0),
    // so epochOrder itself refuses such a seed
    expect((2 ** 32 - 1) | 0).toBe(-1 | 0);
    expect(() => epochOrder(20, { seed: -1 }, 0)).toThrow(SpecError);
    for (const seed of [-1, 2 ** 32, 2 ** 32 + 1]) {
      expectTyped(thrown(() => validateSpec({ ...LECTURE, shuffle: { seed } })), SpecError, 'shuffle.seed', /0 … 4294967295/);
    }
    expect(validateSpec({ ...LECTURE, shuffle: { seed: 2 ** 32 - 1 } }).run.shuffle).toEqual({ seed: 2 ** 32 - 1 });
    expect(validateSpec({ ...LECTURE, shuffle: { seed: 0 } }).run.shuffle).toEqual({ seed: 0 });
  });

  it('check on a plain spec says it is a network spec, not a worked example', async () => {
    const r = await cli(['check', file(LECTURE)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/this is a network spec, not a worked example/);
  });

  it('a worked file without spec is not read as a network spec', async () => {
    const { spec: _spec, ...noSpec } = lecture('lecture-2-2-1').worked;
    for (const cmd of ['grad', 'explain']) {
      const r = await cli([cmd, file(noSpec)]);
      expect(r.status, cmd).toBe(2);
      expect(r.stderr, cmd).toMatch(/CLAIM.*spec.*worked-example file has no spec/);
    }
  });
});

describe('the environment variables at their edges (review mutants5)', () => {
  it('BACKPROP_MAX_*_BYTES past 2⁵³ − 1 is a LimitError naming it; an empty value is unset', () => {
    expect(() => budgetFromEnv({ BACKPROP_MAX_FILE_BYTES: '99999999999999999999' })).toThrow(LimitError);
    expect(() => budgetFromEnv({ BACKPROP_MAX_FILE_BYTES: '9007199254740992' })).toThrow(/BACKPROP_MAX_FILE_BYTES/);
    expect(budgetFromEnv({ BACKPROP_MAX_FILE_BYTES: '9007199254740991' })).toEqual({ fileBytes: 9007199254740991 });
    expect(budgetFromEnv({ BACKPROP_MAX_HOST_BYTES: '', BACKPROP_MAX_DEVICE_BYTES: '', BACKPROP_MAX_FILE_BYTES: '' })).toEqual({});
  });

  it('the install line names the versions for this Node: a bare npm install on Node 20 took puppeteer-core 25 (Node ≥ 22.12) and @sparticuz/chromium 147.0.1+ (≥ 22.17)', () => {
    // The engines each package declares (`npm view puppeteer-core@25 engines`, `npm view @sparticuz/chromium@147.0.1 engines`).
    expect(['20.19.0', '22.11.9', '22.12.0', '24.1.0'].map((v) => installArg('puppeteer-core', v))).toEqual(['puppeteer-core@24', 'puppeteer-core@24', 'puppeteer-core', 'puppeteer-core']);
    expect(['20.19.0', '22.16.3', '22.17.0', '23.0.0'].map((v) => installArg('@sparticuz/chromium', v))).toEqual(['@sparticuz/chromium@143', '@sparticuz/chromium@143', '@sparticuz/chromium', '@sparticuz/chromium']);
  });

  it("BACKPROP_CHROMIUM empty is unset, as BACKPROP_WEBGPU's", () => {
    expect(chromiumChoice({ BACKPROP_CHROMIUM: '' })).toBeUndefined();
    expect(chromiumChoice({})).toBeUndefined();
  });
});
