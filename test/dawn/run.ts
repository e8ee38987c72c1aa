/**
 * Child process of test/dawn.test.ts: WebGPU in Node on Dawn (src/webgpu/gpu.ts), run as
 * `node --import ./bin/register-source.mjs test/dawn/run.ts` with the Vulkan loader's environment already set.
 * Prints one JSON line: the adapter, every lecture claim that failed on Dawn, and the parity violations of a sample
 * of the random nets of test/browser/parity.test.ts against the CPU oracle (bounds of test/lib/tolerance.ts),
 * `saturation`: what differs from the CPU oracle on the saturating nets of test/lib/saturation.ts, fused auto and off
 * (grad), and evaluate and fit's epoch sums (saturatedScores),
 * `optimizers`: a short fit per optimiser (sgd, momentum, Nesterov, adam, adamw, with weight decay) against the
 * same fit on the CPU oracle (the worst relative parameter difference and what is past the bound), Adam on the
 * saturated nets of test/lib/fit-nets.ts (fitBounds' A_ULPS assumption for WebGPU's tanh and exp), and
 * `edges`: the cases of test/model-sequences.test.ts and test/accuracy-rules.test.ts that reach WebGPU's own code (the
 * step net written by setParams / restore, evaluate right after train, the accuracy rule of shaders/epoch_sums.wgsl
 * at its ties, the same fit 10 times bitwise) and the public calls against the CPU oracle (test/lib/matrix-checks.ts), each
 * a line saying what differed (none when all hold); `fitFailures`:
 * fit's failure modes (test/lib/fit-failures.ts: bad x, y and a diverging fit; a device lost mid-fit, then rebuild onto
 * the CPU; dispose() while the fit reads its epoch sums back; the fit trainer after a call that failed part-way or a data
 * set disposed: test/dawn/trainer-failures.ts; predict, evaluate and restore refusing bad input before any GPU work:
 * test/lib/fit-failures.ts; the Model's calls disposed mid-read, over cycles of every call without a leaked buffer,
 * after a lost device, W or X past the binding limits, and a GPU error in a call: test/dawn/call-lifecycle.ts), each a
 * line saying what went wrong; `hostile`: hostile input on WebGPU, each case that did not end as it should (class-instance data, a Proxy's
 * length, typed-array subclasses given to setParams: as test/fuzz.test.ts asserts on cpu and wasm; a data set another
 * trainer uploaded: SpecError 'data');
 * what went wrong in each of test/lib/queue-checks.ts (calls not awaited end as a twin awaiting each, on WebGPU), and
 * `sums`: test/lib/large-sums.ts on WebGPU (grad's loss and db, fit's epoch loss and accuracy over 2¹⁸ examples), and
 * `variants`: matmul.wgsl's main_blocked, main_tiled and main_tiled4 (which the default device, with `subgroups`, never
 * runs) and train_small.wgsl's main_tiny and main_lanes on a shared-bias 'mean' net, each net's grad, train and fit against the CPU
 * oracle, with the entry points it used (test/dawn/variants.ts), and
 * `webgpuVariant`: the tiled kernels asked for through Model.create's `webgpuVariant`, reached, and kept by rebuild(), and
 * `fitData`: the device buffers fit, predict and evaluate make for their data against fitDataNeeds, a whole fit's and a
 * step net's against their checks' figures, the order let go after a fit, stepsPerSubmission's range (test/dawn/fit-buffers.ts), and
 * `unreached`: kernel code the rest never executes — main_single, main_group in workgroups of 64, main_tiny's other
 * branches, max_abs.wgsl past one invocation's vec4s — against the CPU oracle or exact values (test/dawn/unreached.ts).
 * `hostReads`: fit's epoch loss over 4096 batches, the third level of epoch_sums.wgsl's sum, against ln 2 worked by hand,
 * and max |θ| read back as Infinity where a parameter is NaN (test/dawn/host-reads.ts).
 */
import { createBackend } from '../../src/backends.ts';
import type { Backend } from '../../src/backend.ts';
import { CpuBackend } from '../../src/cpu/backend.ts';
import { BackpropError } from '../../src/errors.ts';
import { mulberry32 } from '../../src/init.ts';
import { Model } from '../../src/model.ts';
import { type OptimizerSpec, resolveOptimizer } from '../../src/train/optimizers.ts';
import { type NetworkSpec, type Params, validateSpec } from '../../src/spec.ts';
import { WebGpuBackend } from '../../src/webgpu/backend.ts';
import { LECTURES, checkLecture, collectRuns, describeCheck, passes } from '../lib/claims.ts';
import { largeSums } from '../lib/large-sums.ts';
import { QUEUE_CHECKS } from '../lib/queue-checks.ts';
import { describeCase, parityCases, randomSpec } from '../lib/random-nets.ts';
import { SATURATION_SPECS, saturatedScores } from '../lib/saturation.ts';
import { compareWithin, parityBounds } from '../lib/tolerance.ts';
import { backendArgProblems } from '../lib/backend-args.ts';
import { fitAgainstCpu } from '../lib/fit-compare.ts';
import { SATURATED, saturatedFit } from '../lib/fit-nets.ts';
import { fitDiverges, fitRefusesBadData, readsRefuseBadData } from '../lib/fit-failures.ts';
import { counting } from '../lib/lifecycle-net.ts';
import { matrixChecks } from '../lib/matrix-checks.ts';
import { variantChecks, webgpuVariantOption } from './variants.ts';
import { fitDataBuffers } from './fit-buffers.ts';
import { unreachedChecks } from './unreached.ts';
import { hostReads } from './host-reads.ts';
import { trainerFailures } from './trainer-failures.ts';
import { bindingLimits, disposeDuringReads, failuresHoldNothing, gpuErrorCalls, liveBuffersSteady, lostDeviceCalls, lostDuringReads } from './call-lifecycle.ts';

/**
 * The parity sample: 8 of the 60 cases of test/lib/random-nets.ts, by index: batches 1, 3, 17, 64, 65, 100 with
 * reduction 'mean', 17 and 1024 with 'sum', every loss and bias mode, depths 1–4, each under ~25 000 multiply-adds a
 * pass (SwiftShader is slow). NOTE: batches > 1 under 'mean' are what check the 1/n of dW, db and the loss (matmul.wgsl's
 * grad_w epilogue, reduce_rows.wgsl's scale); every 7th case, the sample before, was batch 1 but for one 'sum' case.
 * DAWN_PARITY_SAMPLE=all runs all 60.
 */
/** What precedes the result's JSON on stdout (test/dawn.test.ts reads after the last one). */
const RESULT = 'dawn-run result: ';
/** Where the run is, on stderr (the test prints stdout and stderr when the run fails: a crash says where it was). */
const at = (what: string): void => void process.stderr.write(`dawn-run: ${what}\n`);
const SAMPLE = [21, 8, 30, 38, 25, 40, 44, 49];

// One device for every model (shaders compiled once; SwiftShader compiles slowly).
const shared = (await createBackend('webgpu')).backend as WebGpuBackend;
const adapter = shared.description;
const dawn = shared.dawn;
const onDawn = (spec: unknown) => Model.create(spec, { shared });

at('the lectures');
const lectures: { id: string; claims: number; failed: string[] }[] = [];
for (const l of LECTURES) {
  const runs = await collectRuns(onDawn, l.worked.spec);
  const results = checkLecture(l, 'webgpu', runs);
  lectures.push({ id: l.id, claims: results.length, failed: results.filter((r) => !passes(r) || (r.erratum && (!r.erratum.matchesCorrect || r.matches))).map(describeCheck) });
}

at('the parity sample');
const cases = parityCases();
const parity: { net: string; violations: string[] }[] = [];
for (const c of process.env.DAWN_PARITY_SAMPLE === 'all' ? cases : SAMPLE.map((i) => cases[i]!)) {
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

// The saturating nets of test/lib/saturation.ts (|z| up to 1000) on WebGPU against the CPU oracle, fused auto (the
// shared device: these nets take train_small.wgsl) and off (matmul.wgsl's forward epilogue, output.wgsl's softmax).
// NOTE: the bound of test/lib/wasm-checks.ts `saturation`: 1e-6 + 1e-5·|cpu| (~100 ulps), loose for rounding, tight for
// what a missing guard gives (NaN, ±Infinity, 0 for 1, a lost |z|). A thrown error (DivergedError on NaN) is listed.
at('saturation');
const saturation: string[] = [];
{
  const off = await WebGpuBackend.create({ fused: 'off' });
  for (const [fused, backend] of [['auto', shared], ['off', off]] as const) {
    for (const [i, spec] of SATURATION_SPECS.entries()) {
      const name = `#${i} ${spec.layers[0]!.activation} ${spec.loss} (fused ${fused})`;
      const c = await Model.create(spec, { backend: 'cpu' });
      const cpu = await c.grad();
      c.dispose();
      const g = await Model.create(spec, { shared: backend });
      try {
        const gpu = await g.grad();
        const within = (what: string, got: ArrayLike<number>, want: ArrayLike<number>) =>
          compareWithin(`${name} ${what}`, got, want, Array.from(want, (v) => 1e-6 + 1e-5 * Math.abs(v))).violations.slice(0, 2)
            .forEach((v) => saturation.push(`${v.what}[${v.index}]: gpu ${v.gpu} cpu ${v.cpu} > ${v.bound}`));
        within('loss', [gpu.loss], [cpu.loss]);
        for (const k of ['Z', 'A', 'delta', 'dW', 'db'] as const) cpu[k].forEach((a, l) => within(`${k}${l + 1}`, gpu[k][l]!, a));
      } catch (err) {
        saturation.push(`${name}: ${String(err)}`);
      } finally {
        g.dispose();
      }
    }
  }
  off.dispose();
  // evaluate() and fit's epoch sums (output.wgsl through epoch_sums.wgsl) on the same nets (test/lib/saturation.ts).
  saturation.push(...await saturatedScores(onDawn));
}

// Every optimiser's rule on WebGPU (shaders/update.wgsl, src/webgpu/train.ts's Step) against the CPU oracle: a short fit
// of test/lib/fit-nets.ts's softmax net (per-unit, shared and no bias), 14 examples in batches of 4 (a partial last batch),
// 2 epochs = 8 steps, weight decay on every optimiser. adam's eps is 1e-3: its placement (√v̂ + eps, not √v + eps before
// the bias correction) shows only where eps is near √v̂. Each run that differs is listed.
at('the optimisers');
const optimizers: { what: string; worst: number; problems: string[] }[] = [];
{
  const spec: NetworkSpec = {
    inputs: 3, layers: [{ units: 5, activation: 'tanh' }, { units: 4, activation: 'relu', bias: 'shared' }, { units: 3, activation: 'softmax', bias: 'none' }],
    loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 5 },
  };
  const data = (n: number, seed: number) => {
    const rand = mulberry32(seed);
    const x = Array.from({ length: n }, () => Array.from({ length: 3 }, () => 2 * rand() - 1));
    return { x, y: x.map((_, c) => [0, 1, 2].map((j) => (j === c % 3 ? 1 : 0))) };
  };
  const OPTS: OptimizerSpec[] = [
    { name: 'sgd', lr: 0.1, weightDecay: 0.01 },
    { name: 'momentum', lr: 0.05, momentum: 0.9, weightDecay: 0.01 },
    { name: 'momentum', lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.001 },
    { name: 'adam', lr: 0.01, eps: 1e-3, weightDecay: 0.001 },
    { name: 'adamw', lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.05 },
  ];
  const steps = 2 * Math.ceil(14 / 4);
  for (const optimizer of OPTS) {
    const what = `${optimizer.name}${optimizer.nesterov ? ' (nesterov)' : ''}`;
    const run = { ...data(14, 3), batchSize: 4, epochs: 2, optimizer, shuffle: { seed: 11 }, validation: data(9, 5) };
    const [g, c] = [await onDawn(spec), await Model.create(spec, { backend: 'cpu' })];
    // The bound (5e-6·steps relative, accuracies exact) and why: test/lib/fit-compare.ts.
    const { worst, problems } = await fitAgainstCpu(g, c, run, steps);
    optimizers.push({ what, worst, problems });
    g.dispose();
    c.dispose();
  }
  {
    // validation as a fraction (fit's own host-side split holds a quarter of x, y out) against the CPU, valLoss too.
    const run = { ...data(16, 3), batchSize: 4, epochs: 2, optimizer: OPTS[3], shuffle: { seed: 11 }, validation: 0.25 };
    const [g, c] = [await onDawn(spec), await Model.create(spec, { backend: 'cpu' })];
    const { worst, problems } = await fitAgainstCpu(g, c, run, 2 * Math.ceil(12 / 4));
    optimizers.push({ what: 'adam, validation 0.25', worst, problems });
    g.dispose();
    c.dispose();
  }
  // Saturated tanh and sigmoid units: fitBounds allows the engines' f' from their float32 A the rounding of A_ULPS
  // (forward64.ts's fPrimeShift), an assumption for WebGPU's tanh and exp (SwiftShader's measured envelope).
  for (const spec of SATURATED) {
    const run = saturatedFit(spec, { name: 'adam', lr: 0.02 });
    const [g, c] = [await onDawn(spec), await Model.create(spec, { backend: 'cpu' })];
    const { worst, problems } = await fitAgainstCpu(g, c, run, 6);
    optimizers.push({ what: `adam, saturated ${spec.layers[0].activation}`, worst, problems });
    g.dispose();
    c.dispose();
  }
}

// Hostile input on WebGPU (review fuzz2 items 2, 5, 6; the node tests in test/fuzz.test.ts run it on cpu and wasm):
// a class instance's data counted by the budget, x read once, setParams copied from the arrays themselves.
at('hostile input');
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

  // A BackendData another trainer uploaded (another WebGPU trainer on this device, the CPU oracle's): runBatches and
  // predict throw SpecError 'data' before any work (without the check: the other trainer's buffers used as they are,
  // or a TypeError), and the trainer then trains as a twin that never saw it, bitwise.
  const valid = validateSpec({
    inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce',
    params: { W: [[[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], [[0.7, -0.8, 0.9]]], b: [[0.1, 0, -0.1], [0.2]] }, x: spec.x, y: spec.y,
  });
  const [net, batch, sgd] = [valid.net, valid.batch!, resolveOptimizer('sgd', 0.5)];
  const order = Uint32Array.from([2, 0, 3, 1]);
  const trainerOf = (backend: Backend) => {
    const t = backend.trainer(net, 2, 'sgd');
    t.writeParams(valid.params!);
    t.writeOrder(order);
    return t;
  };
  const [t, twin, other, cpu] = [trainerOf(shared), trainerOf(shared), trainerOf(shared), trainerOf(new CpuBackend())];
  for (const [whose, data] of [['another WebGPU trainer', other.upload(batch)], ['the cpu trainer', cpu.upload(batch)]] as const) {
    await expectError(`runBatches with data of ${whose}`, (async () => t.runBatches(data, 0, 2, sgd))(), 'SPEC', 'data');
    await expectError(`predict with data of ${whose}`, t.predict(data), 'SPEC', 'data');
  }
  const after: string[] = [];
  for (const trainer of [t, twin]) {
    const own = trainer.upload(batch);
    trainer.runBatches(own, 0, 2, sgd);
    const [sums, { params }, { A }] = [await trainer.readSums(), await trainer.read(), await trainer.predict(own)];
    after.push(JSON.stringify([sums, [...params.W, ...params.b, A].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length)))]));
  }
  if (after[0] !== after[1]) hostile.push(`after refusing another trainer's data: ${after[0]}, a twin that never saw it: ${after[1]}`);
  if (after[0].includes(JSON.stringify(Array.from(new Uint32Array(new Float32Array([0.7, -0.8, 0.9]).buffer))))) hostile.push('the trainer did not train');
  for (const tr of [t, twin, other, cpu]) tr.dispose();
  // compile and trainer check their arguments on WebGPU too (the node tests run the same on cpu and wasm).
  hostile.push(...backendArgProblems(shared));
}

// Edges, on one backend each side so bitwise: what got differs from want (as JSON) is listed.
at('edges');
const edges: string[] = [];
const differs = (what: string, got: unknown, want: unknown) => {
  if (JSON.stringify(got) !== JSON.stringify(want)) edges.push(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
};
const bits = (p: Params) => JSON.stringify([...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))));
const seqSpec: NetworkSpec = {
  inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy',
  init: { scheme: 'he', seed: 1 }, x: [[1, 0], [0, 1], [1, 1], [-1, 0.5]], y: [[1, 0], [0, 1], [1, 0], [0, 1]], lr: 0.5,
};
for (const reset of ['setParams', 'restore', 'evaluate'] as const) {
  const [a, b] = [await onDawn(seqSpec), await onDawn(seqSpec)];
  const [start, ck] = [await a.getParams(), await a.save()];
  await a.train({ steps: 3 });
  if (reset === 'evaluate') {
    // evaluate right after train (no getParams between) sees the trained parameters, as b's after getParams
    const got = await a.evaluate(seqSpec.x as number[][], seqSpec.y as number[][]);
    await b.train({ steps: 3 });
    await b.getParams();
    differs('evaluate after train(3)', got, await b.evaluate(seqSpec.x as number[][], seqSpec.y as number[][]));
  } else {
    // back to the start, then train(1): a fresh model's train(1)
    await (reset === 'setParams' ? a.setParams(start) : a.restore(ck));
    await a.train({ steps: 1 });
    await b.train({ steps: 1 });
    differs(`${reset} after train(3), then train(1)`, bits(await a.getParams()), bits(await b.getParams()));
  }
  a.dispose();
  b.dispose();
}
// README's accuracy rule at its ties, with lr 0 (the training accuracy is epoch_sums.wgsl's count, valAccuracy the host's):
// softmax z = [x, 0]: Y's tie and A's tie (x = 0) take index 0, so 4 of 5 are right (both A ties against y = [1, 0]:
// the last index on A's ties, epoch_sums.wgsl's `>` as `>=`, gives 2 of 5; with one against [0, 1] it gave 3 either
// way); a sigmoid at exactly 0.5 counts as 1, right against y = 1 twice and wrong against y = 0, so 2 of 3 (A > 0.5
// would give 1 of 3).
at('the accuracy ties');
const tie = [0.5, 0.5];
const ties: [NetworkSpec, number[][], number[][], number][] = [
  [{ inputs: 1, layers: [{ units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy', params: { W: [[[1], [0]]], b: [[0, 0]] } },
    [[1], [2], [-1], [0], [0]], [tie, tie, tie, [1, 0], [1, 0]], 4 / 5],
  [{ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', params: { W: [[[0, 0]]], b: [[0]] } },
    [[1, 1], [0.5, -1], [-1, 0.25]], [[1], [1], [0]], 2 / 3],
];
for (const [spec, x, y, want] of ties) {
  const m = await onDawn(spec);
  const [h] = await m.fit({ x, y, batchSize: x.length, epochs: 1, shuffle: false, optimizer: { name: 'sgd', lr: 0 }, validation: { x, y } });
  differs(`${spec.loss} accuracy at ties`, [h.accuracy, h.valAccuracy], [want, want]);
  m.dispose();
}

// Checklist item 15 for fit: the same fit 10 times (a partial last batch, adam, validation) is bitwise the same run —
// parameters, optimiser state and history — every reduction a fixed-order one (reduce_rows, epoch_sums), no atomics.
{
  const spec: NetworkSpec = { inputs: 3, layers: [{ units: 17, activation: 'tanh' }, { units: 3, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 8 } };
  const x = Array.from({ length: 45 }, (_, c) => [Math.sin(c), Math.cos(3 * c), Math.sin(0.5 * c + 1)]);
  const y = x.map((_, c) => [0, 1, 2].map((j) => (j === c % 3 ? 1 : 0)));
  const run = { x, y, batchSize: 20, epochs: 2, shuffle: { seed: 9 }, optimizer: { name: 'adam' as const, lr: 0.01 }, validation: 0.2 };
  const runs = new Set<string>();
  for (let r = 0; r < 10; r++) {
    const m = await onDawn(spec);
    const h = await m.fit(run);
    const s = m.optimizerState()!;
    runs.add(JSON.stringify([bits(await m.getParams()), bits(s.slots.m!), bits(s.slots.v!), h.map((e) => [e.loss, e.accuracy, e.valLoss, e.valAccuracy, e.maxAbsParam])]));
    m.dispose();
  }
  differs('distinct results of 10 repeats of one fit', runs.size, 1);
}

// The public calls that other checks see on WebGPU only against WebGPU itself (a twin, grad's A_L) — init, step, train,
// grad after setParams, predict, evaluate, fit with a held-out fraction and onEpoch / onBatch, shuffle false with
// dropLast, an aborted fit, a fit across rebuild — against the CPU oracle (test/lib/matrix-checks.ts: the bounds).
at('the public calls against the CPU');
edges.push(...(await matrixChecks({ shared })).map((p) => `against the CPU, ${p}`));

// fit's onBatch reports a submission only once the queue has done it (WebGpuTrainer.settled awaits
// onSubmittedWorkDone); a model disposed while that wait runs ends the fit with DisposedError and no report after.
{
  const spec = { inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 } };
  const x = [[0, 0], [0, 1], [1, 0], [1, 1]], y = [[0], [1], [1], [0]];
  const options = { x, y, batchSize: 1, batchesPerSubmission: 2, epochs: 1, shuffle: false as const, optimizer: 'sgd' as const };
  const q = shared.device.queue;
  const done = q.onSubmittedWorkDone;
  const log: string[] = [];
  let onDone = (): void => {};
  q.onSubmittedWorkDone = function (this: GPUQueue) {
    return done.call(this).then(() => { log.push('done'); onDone(); return undefined; });
  };
  try {
    const m = await onDawn(spec);
    await m.fit({ ...options, onBatch: (g) => { log.push(`${g.batch}/${g.batches}`); } });
    differs('onBatch after the queue has done each submission', log, ['done', '2/4', 'done', '4/4']);
    log.length = 0;
    let waits = 0;
    onDone = () => { if (++waits === 2) m.dispose(); };
    const end = await m.fit({ ...options, onBatch: (g) => { log.push(`${g.batch}/${g.batches}`); } }).then(() => 'resolved', (e: Error) => e.name);
    differs('a model disposed while onBatch waits for the queue', [end, log], ['DisposedError', ['done', '2/4', 'done']]);
    m.dispose();
  } finally {
    q.onSubmittedWorkDone = done;
  }
}

// fit's failure modes (test/lib/fit-failures.ts; cpu and wasm in test/fit-checkpoints.test.ts): bad x, y refused before
// any buffer is made, a diverging fit put back; and a device lost mid-fit (its own device: the shared one goes on).
// What went wrong, one a line.
at('fit failures');
const fitFailures: string[] = [
  ...(await fitRefusesBadData(onDawn, () => shared.buffers.created)).map((p) => `bad data: ${p}`),
  ...(await fitDiverges(onDawn)).map((p) => `divergence: ${p}`),
  ...(await fitDiverges(onDawn, 'adamw')).map((p) => `divergence, adamw: ${p}`),
];
{
  // predict, evaluate and restore refuse bad input before any GPU work: no net or trainer made, and no buffer made,
  // written or submitted on the shared device (its queue counted while the check runs).
  const q = shared.device.queue;
  const [writeBuffer, submit] = [q.writeBuffer, q.submit];
  let queued = 0;
  q.writeBuffer = function (this: GPUQueue, ...a: Parameters<GPUQueue['writeBuffer']>) { queued++; return writeBuffer.apply(this, a); };
  q.submit = function (this: GPUQueue, ...a: Parameters<GPUQueue['submit']>) { queued++; return submit.apply(this, a); };
  try {
    const work = (m: Model) => {
      const { made } = counting(m.backend);
      return () => made() + shared.buffers.created + queued;
    };
    fitFailures.push(...(await readsRefuseBadData(onDawn, work)).map((p) => `bad data (predict, evaluate, restore): ${p}`));
  } finally {
    [q.writeBuffer, q.submit] = [writeBuffer, submit];
    for (const method of ['compile', 'trainer']) Reflect.deleteProperty(shared, method); // counting's own methods: the class's again
  }
}
{
  // Device lost mid-epoch (onBatch of the call's epoch 2 destroys it): the fit rejects with DeviceLostError, as does a
  // call made behind it that needs the device; the model keeps its CPU copy from before the call (Model.fit: a failure puts back the parameters,
  // state and epochs), and rebuild() onto the CPU goes on from it as the checkpoint saved before the fit does.
  const own = await WebGpuBackend.create();
  const spec: NetworkSpec = { inputs: 2, layers: [{ units: 4, activation: 'relu' }, { units: 2, activation: 'softmax' }], loss: 'softmax-cross-entropy', init: { scheme: 'he', seed: 6 } };
  const x = Array.from({ length: 10 }, (_, c) => [Math.sin(c), Math.cos(2 * c)]);
  const run = { x, y: x.map((r) => (r[0] > r[1] ? [1, 0] : [0, 1])), batchSize: 2, batchesPerSubmission: 1, shuffle: { seed: 4 }, optimizer: { name: 'adam' as const, lr: 0.02 } };
  const m = await Model.create(spec, { shared: own });
  await m.fit({ ...run, epochs: 1 });
  const [ck, before] = [await m.save(), bits(m.lastKnownParams().params)];
  const name = (e: unknown) => (e instanceof Error ? e.name : String(e));
  const fit = m.fit({ ...run, epochs: 3, onBatch: (p) => { if (p.epoch === 3 && p.batch === 2) own.device.destroy(); } }).then(() => 'resolved', name);
  const behind = m.predict(x).then(() => 'resolved', name); // runs on the device (getParams reads the CPU copy)
  const ends = [await fit, await behind];
  if (ends.join() !== 'DeviceLostError,DeviceLostError') fitFailures.push(`device lost mid-fit: the fit and a call behind it ended ${ends.join(', ')}`);
  if (bits(m.lastKnownParams().params) !== before || m.epochsTrained !== 1 || m.optimizerState()?.t !== 5) {
    fitFailures.push(`device lost mid-fit: lastKnownParams ${bits(m.lastKnownParams().params) === before ? 'as' : 'not as'} before the call, epochs ${m.epochsTrained} (want 1), t ${m.optimizerState()?.t} (want 5)`);
  }
  // README (Errors): a model with no step net (this one has only run fit) answers getParams() and save() from its CPU copy.
  const read = await m.getParams().then((p) => bits(p), name);
  // save(): the checkpoint from before the call, byte for byte (the fit put back parameters, state and epochs).
  const saved = await m.save().then((s) => (Buffer.from(s).equals(Buffer.from(ck)) ? 'as before the call' : 'another checkpoint'), name);
  if (read !== before || saved !== 'as before the call') fitFailures.push(`device lost mid-fit: getParams ${read === before ? 'as before the call' : read}, save ${saved}`);
  const onCpu = await m.rebuild({ backend: 'cpu' });
  const twin = await Model.load(ck, { backend: 'cpu' });
  const [h, ht] = [await onCpu.fit({ ...run, epochs: 1 }), await twin.fit({ ...run, epochs: 1 })];
  if (h[0]!.epoch !== 2 || h[0]!.loss !== ht[0]!.loss || bits(await onCpu.getParams()) !== bits(await twin.getParams())) {
    fitFailures.push(`device lost mid-fit: rebuild onto the CPU, then fit: epoch ${h[0]!.epoch} loss ${h[0]!.loss}, the checkpoint's ${ht[0]!.epoch} ${ht[0]!.loss}`);
  }
  onCpu.dispose();
  twin.dispose();
  own.dispose();
}
for (const what of ['model', 'backend'] as const) {
  // Checklist 12 for fit: dispose() — of the model, or of its backend — while the epoch's sums are being read back
  // (called as the first mapAsync starts, readSums'): the fit rejects with DisposedError, nothing unhandled (node would
  // exit), a second dispose() is a no-op. And the staging buffer (or the device) is destroyed only once its map has
  // settled: destroyed while the map was pending, Dawn crashed the process now and then (WebGpuBackend's `maps`).
  const own = await WebGpuBackend.create();
  const create = own.device.createBuffer.bind(own.device);
  const events: string[] = [];
  let maps = 0;
  let m: Model | undefined;
  own.device.createBuffer = (d: GPUBufferDescriptor) => {
    const buffer = create(d);
    const [map, destroy] = [buffer.mapAsync.bind(buffer), buffer.destroy.bind(buffer)];
    let mapped = false;
    buffer.mapAsync = (...a: Parameters<GPUBuffer['mapAsync']>) => {
      const pending = map(...a);
      if (++maps === 1) {
        mapped = true;
        void pending.then(() => events.push('map settled'), () => events.push('map settled'));
        // Once mapAsync has returned, as a caller's dispose() comes (no caller's code runs inside mapAsync).
        queueMicrotask(() => (what === 'model' ? m!.dispose() : own.dispose()));
      }
      return pending;
    };
    buffer.destroy = () => { if (mapped) events.push('buffer destroyed'); destroy(); };
    return buffer;
  };
  const destroyDevice = own.device.destroy.bind(own.device);
  own.device.destroy = () => { events.push('device destroyed'); destroyDevice(); };
  m = await Model.create({ inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 } }, { shared: own });
  const end = await m.fit({ x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]], batchSize: 2, epochs: 2 }).then(() => 'resolved', (e: unknown) => (e instanceof Error ? e.name : String(e)));
  let again = 'no-op';
  try { m.dispose(); } catch (e) { again = String(e); }
  own.dispose();
  await new Promise((r) => setTimeout(r, 50)); // the destroys that wait for the map
  // The map settles first; then the buffer (the model's, or with the model's dispose after the fit) and the device go.
  const order = events[0] === 'map settled' && events.includes('buffer destroyed') && events.includes('device destroyed');
  if (`${end} ${again} ${maps}` !== 'DisposedError no-op 1' || !order) {
    fitFailures.push(`dispose of the ${what} while fit reads its sums back: the fit ${end}, a second dispose ${again}, ${maps} maps, ${events.join(', ')} (want DisposedError, no-op, 1, the map settled before any destroy)`);
  }
}

{
  // The same for a net's read (NetReader, behind getParams after train): its backend disposed while the read's maps are
  // in flight — the read rejects with DisposedError (the device goes only once the maps settle, so the read itself
  // would otherwise have gone on and resolved).
  const own = await WebGpuBackend.create();
  const m = await Model.create({ inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 }, lr: 0.1, x: [[0, 1], [1, 0]], y: [[1], [0]] }, { shared: own });
  await m.train({ steps: 2 });
  const create = own.device.createBuffer.bind(own.device);
  let maps = 0;
  own.device.createBuffer = (d: GPUBufferDescriptor) => {
    const buffer = create(d);
    const map = buffer.mapAsync.bind(buffer);
    buffer.mapAsync = (...a: Parameters<GPUBuffer['mapAsync']>) => {
      if (++maps === 1) queueMicrotask(() => own.dispose());
      return map(...a);
    };
    return buffer;
  };
  const end = await m.getParams().then(() => 'resolved', (e: unknown) => (e instanceof Error ? e.name : String(e)));
  if (`${end} ${maps > 0}` !== 'DisposedError true') fitFailures.push(`dispose of the backend while getParams reads a net back: ${end} after ${maps} maps (want DisposedError after ≥ 1)`);
  m.dispose();
}
// The Model's calls on their own devices: disposed while predict, evaluate, step or grad reads back, live buffers over
// cycles of every call, the device lost mid-read and every call after, W and X past the binding limits (call-lifecycle.ts:
// checklist items 12, 13, 10, 8), and a GPU error in train, grad, fit and predict on the shared device.
fitFailures.push(...(await disposeDuringReads()).map((p) => `dispose during a read: ${p}`));
fitFailures.push(...(await liveBuffersSteady()).map((p) => `leaks: ${p}`));
fitFailures.push(...(await failuresHoldNothing()).map((p) => `leaks: ${p}`));
fitFailures.push(...(await lostDuringReads()).map((p) => `device lost mid-read: ${p}`));
fitFailures.push(...(await lostDeviceCalls()).map((p) => `device lost: ${p}`));
fitFailures.push(...(await bindingLimits(shared)).map((p) => `binding limits: ${p}`));
fitFailures.push(...(await gpuErrorCalls(shared)).map((p) => `GPU error: ${p}`));
// The fit trainer after a call that failed part-way or a data set disposed (test/dawn/trainer-failures.ts), on its own device.
{
  const own = await WebGpuBackend.create();
  fitFailures.push(...(await trainerFailures(own)).map((p) => `trainer: ${p}`));
  own.dispose();
}

at('the queue checks');
const queue: Record<string, string[]> = {};
for (const [name, check] of Object.entries(QUEUE_CHECKS)) queue[name] = await check((spec, budget) => Model.create(spec, { shared, ...(budget ? { budget } : {}) }));

// Sums over 2¹⁸ examples (reduce_rows.wgsl, epoch_sums.wgsl) against float64 values (test/lib/large-sums.ts).
at('large sums');
const sums = await largeSums(onDawn);

// matmul.wgsl's own entry points (variant 'blocked', 'tiled') and main_tiny's and main_lanes' shared db, against the CPU oracle
// (test/dawn/variants.ts: why the default device never reaches them, the nets, the bounds).
at('the kernel variants');
const variants = await variantChecks(shared);
// The same kernels picked through Model.create's webgpuVariant, and kept by rebuild().
const webgpuVariant = await webgpuVariantOption();

// The device buffers that fit, predict and evaluate make for their data, against the budget's count (test/dawn/fit-buffers.ts).
at('fit data buffers');
const fitData = await fitDataBuffers(shared);

// Kernel code nothing above executes (test/dawn/unreached.ts): main_single, main_group in workgroups of 64, main_tiny's
// other branches, max_abs.wgsl past one invocation's vec4s.
at('unreached kernels');
const unreached = await unreachedChecks(shared);

// fit's epoch loss past 4096 batches, where epoch_sums.wgsl's third level holds it, and max |θ| of a NaN parameter (test/dawn/host-reads.ts).
at('epoch sums past 4096 batches, max |θ| of NaN');
const hostReadsProblems = await hostReads(shared);

shared.dispose();

process.stdout.write(`\n${RESULT}${JSON.stringify({ adapter, dawn, lectures, parity, saturation, optimizers, hostile, edges, fitFailures, queue, sums, variants, webgpuVariant, fitData, unreached, hostReads: hostReadsProblems })}\n`);
