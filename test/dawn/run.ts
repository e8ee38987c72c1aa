/**
 * Child process of test/dawn.test.ts: WebGPU in Node on Dawn (src/webgpu/gpu.ts), run as
 * `node --import ./bin/register-source.mjs test/dawn/run.ts` with the Vulkan loader's environment already set.
 * Prints one JSON line: the adapter, every lecture claim that failed on Dawn, and the parity violations of a sample
 * of the random nets of test/browser/parity.test.ts against the CPU oracle (bounds of test/lib/tolerance.ts).
 */
import { createBackend } from '../../src/backends.ts';
import { BackpropError } from '../../src/errors.ts';
import { Model } from '../../src/model.ts';
import { validateSpec } from '../../src/spec.ts';
import type { WebGpuBackend } from '../../src/webgpu/backend.ts';
import { LECTURES, checkLecture, collectRuns, describeCheck, passes } from '../lib/claims.ts';
import { describeCase, parityCases, randomSpec } from '../lib/random-nets.ts';
import { compareWithin, parityBounds } from '../lib/tolerance.ts';

const SAMPLE = Number(process.env.DAWN_PARITY_SAMPLE ?? 8);

// One device for every model (shaders compiled once; SwiftShader compiles slowly).
const shared = (await createBackend('webgpu')).backend as WebGpuBackend;
const adapter = shared.description;
const dawn = shared.dawn;
const onDawn = (spec: unknown) => Model.create(spec, { shared });

const lectures: { id: string; claims: number; failed: string[] }[] = [];
for (const l of LECTURES) {
  const runs = await collectRuns(onDawn, l.worked.spec);
  const results = checkLecture(l, 'webgpu', runs);
  lectures.push({ id: l.id, claims: results.length, failed: results.filter((r) => !passes(r) || (r.erratum && (!r.erratum.matchesCorrect || r.matches))).map(describeCheck) });
}

const cases = parityCases();
const step = Math.max(1, Math.floor(cases.length / SAMPLE));
const parity: { net: string; violations: string[] }[] = [];
for (const c of cases.filter((_, i) => i % step === 0).slice(0, SAMPLE)) {
  const spec = randomSpec(c);
  const valid = validateSpec(spec);
  const cpuModel = await Model.create(spec, { backend: 'cpu' });
  const cpu = await cpuModel.grad();
  cpuModel.dispose();
  const gpuModel = await onDawn(spec);
  const gpu = await gpuModel.grad();
  gpuModel.dispose();
  const b = parityBounds(valid.net, valid.params!, valid.batch!.X, valid.batch!.Y, c.batch, cpu);
  const checks = [compareWithin('loss', [gpu.loss], [cpu.loss], [b.loss])];
  valid.net.layers.forEach((_, l) => {
    for (const k of ['Z', 'A', 'delta', 'dW', 'db'] as const) checks.push(compareWithin(`${k}${l + 1}`, gpu[k][l]!, cpu[k][l]!, b[k][l]!));
  });
  parity.push({ net: describeCase(c), violations: checks.flatMap((k) => k.violations).slice(0, 3).map((v) => `${v.what}[${v.index}]: gpu ${v.gpu} cpu ${v.cpu} > ${v.bound}`) });
}

// Hostile input on WebGPU (review fuzz2 items 2, 5, 6; the node tests in test/fuzz.test.ts run it on cpu and wasm):
// a class instance's data counted by the budget, x read once, setParams copied from the arrays themselves.
const hostile: string[] = [];
{
  const expectError = async (what: string, p: Promise<unknown>, code: string, field: string): Promise<void> => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    const got = err instanceof BackpropError ? `${err.code} ${err.field}` : String(err);
    if (got !== `${code} ${field}`) hostile.push(`${what}: expected ${code} ${field}, got ${got}`);
  };
  class Examples {
    readonly #n: number;
    readonly #d: Float32Array;
    constructor(n: number, d: Float32Array) { this.#n = n; this.#d = d; }
    get examples(): number { return this.#n; }
    get data(): Float32Array { return this.#d; }
  }
  const spec = { inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 }, lr: 0.1, x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]] };
  const n = 20_000;
  const x = new Examples(n, new Float32Array(2 * n));
  const y = new Examples(n, new Float32Array(n));
  const budget = { hostBytes: 500_000 };
  await expectError('create with class x', Model.create({ ...spec, x, y }, { shared, budget }), 'LIMIT', 'x');
  const m = await Model.create(spec, { shared, budget });
  await expectError('fit with class x', m.fit({ x, y }), 'LIMIT', 'x');
  await expectError('train with class x', m.train({ steps: 1, x, y }), 'LIMIT', 'x');
  await expectError('predict with class x', m.predict(x), 'LIMIT', 'x');
  let lengthReads = 0;
  const rows = Array.from({ length: n }, () => [0, 0]);
  const px = new Proxy(rows, { get(t, k, r) { if (k === 'length') return ++lengthReads === 1 ? 1 : t.length; return Reflect.get(t, k, r) as unknown; } });
  const predicted = await m.predict(px);
  if (predicted.length !== 1 || lengthReads !== 1) hostile.push(`predict Proxy: ${predicted.length} rows, length read ${lengthReads} times (want 1, 1)`);
  class Sneaky extends Float32Array {
    override slice(): Float32Array<ArrayBuffer> { return new Float32Array(6).fill(Number.NaN); }
  }
  class Liar extends Float32Array { override get length(): number { return 3; } }
  const good = () => ({ W: [new Sneaky([1, 2, 3, 4, 5, 6]) as Float32Array, new Float32Array(3).fill(0.5)], b: [new Float32Array(3), new Float32Array(1)] });
  await m.setParams(good());
  const W0 = Array.from((await m.getParams()).W[0]);
  if (W0.join() !== '1,2,3,4,5,6') hostile.push(`setParams Sneaky: W[0] = ${W0.join()}`);
  const lying = good();
  lying.b[0] = new Liar(1000);
  await expectError('setParams b[0] Liar', m.setParams(lying), 'SHAPE', 'params.b[0]');
  m.dispose();
}

shared.dispose();
process.stdout.write(`${JSON.stringify({ adapter, dawn, lectures, parity, hostile })}\n`);
