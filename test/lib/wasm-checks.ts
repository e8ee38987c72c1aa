/**
 * The wasm backend's checks, run the same way in Node (test/wasm.test.ts) and in headless Chromium
 * (test/browser/wasm.test.ts imports this file into the page through the Vite server). Each returns plain
 * JSON (what went wrong, as strings) so the test files only assert. No vitest here.
 */
import type { BackendNet, Readback } from '../../src/backend.ts';
import { BackpropError } from '../../src/errors.ts';
import { Model } from '../../src/model.ts';
import type { Batch, Net, Params } from '../../src/spec.ts';
import { validateSpec } from '../../src/spec.ts';
import { WasmBackend, type WasmNet } from '../../src/wasm/backend.ts';
import { type NetCase, randomSpec } from './random-nets.ts';
import { matrixChecks } from './matrix-checks.ts';
import { SATURATION_SPECS, saturatedScores } from './saturation.ts';
import { compareWithin, parityBounds, type Violation } from './tolerance.ts';

let shared: Promise<WasmBackend> | null = null;
/** One wasm backend with 3 threads (where memory can be shared) for every check. */
export function wasmBackend(): Promise<WasmBackend> {
  shared ??= WasmBackend.create({ threads: 3 });
  return shared;
}

export async function describeWasm(): Promise<{ description: string; threads: number; simd: string; isolated: boolean | undefined }> {
  const b = await wasmBackend();
  return { description: b.description, threads: b.threads, simd: b.simd, isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated };
}

const ALL = { loss: true, Z: true, A: true, delta: true, grads: true, params: true } as const;

async function runNet(net: Net, params: Params, batch: Batch, threads: number | null, steps: number, lr: number, update: boolean, dirty = false): Promise<Readback> {
  const b = await wasmBackend();
  if (dirty) {
    // Memory left over by earlier nets: every byte of the region this net will take NaN (a read before a write shows).
    const probe = b.compile(net, batch.n);
    const { start, end } = probe.region;
    probe.dispose();
    new Float32Array(b.memory.buffer, start, (end - start) / 4).fill(NaN);
  }
  const compiled = b.compile(net, batch.n);
  try {
    if (threads !== null) compiled.setThreads(Math.min(threads, b.threads));
    compiled.writeParams(params);
    compiled.writeBatch(batch);
    compiled.run(steps, lr, update);
    return await compiled.read(ALL);
  } finally {
    compiled.dispose();
  }
}

function report(violations: Violation[]): string[] {
  return violations.slice(0, 5).map((v) => `${v.what}[${v.index}]: wasm ${v.gpu} cpu ${v.cpu} |diff| ${v.diff.toExponential(2)} > bound ${v.bound.toExponential(2)}`);
}

/** One forward/backward pass on wasm against the CPU oracle, every element within test/lib/tolerance.ts's bound. */
export async function parity(c: NetCase): Promise<{ worst: number; violations: string[] }> {
  const spec = randomSpec(c);
  const valid = validateSpec(spec);
  const model = await Model.create(spec, { backend: 'cpu' });
  const cpu = await model.grad();
  model.dispose();
  const w = await runNet(valid.net, valid.params!, valid.batch!, null, 1, 0, false);
  const b = parityBounds(valid.net, valid.params!, valid.batch!.X, valid.batch!.Y, c.batch, cpu);
  const checks = [compareWithin('loss', [w.loss!], [cpu.loss], [b.loss])];
  valid.net.layers.forEach((_, l) => {
    checks.push(compareWithin(`Z${l + 1}`, w.Z![l], cpu.Z[l], b.Z[l]));
    checks.push(compareWithin(`A${l + 1}`, w.A![l], cpu.A[l], b.A[l]));
    checks.push(compareWithin(`delta${l + 1}`, w.delta![l], cpu.delta[l], b.delta[l]));
    checks.push(compareWithin(`dW${l + 1}`, w.dW![l], cpu.dW[l], b.dW[l]));
    checks.push(compareWithin(`db${l + 1}`, w.db![l], cpu.db[l], b.db[l]));
  });
  return { worst: Math.max(...checks.map((k) => k.worst)), violations: report(checks.flatMap((k) => k.violations)) };
}

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((x, k) => Object.is(x, b[k]));

/** Every array of two readbacks, bitwise; the names of those that differ. */
function bitwiseDiff(a: Readback, b: Readback): string[] {
  const out: string[] = [];
  if (!Object.is(a.loss, b.loss)) out.push(`loss ${a.loss} vs ${b.loss}`);
  for (const f of ['Z', 'A', 'delta', 'dW', 'db'] as const) a[f]!.forEach((x, l) => { if (!sameBits(x, b[f]![l])) out.push(`${f}${l + 1}`); });
  a.params!.W.forEach((x, l) => { if (!sameBits(x, b.params!.W[l])) out.push(`W${l + 1}`); });
  a.params!.b.forEach((x, l) => { if (!sameBits(x, b.params!.b[l])) out.push(`b${l + 1}`); });
  return out;
}

/**
 * forward() (fit's predict) against a whole step without update on the same compiled net and batch: a step runs
 * first and its Z, A, δ_L and per-example losses are kept; then every Z, A, δ, dW, db, the per-example losses and
 * the loss are set to NaN and forward() runs. Z, A, δ_L and the per-example losses must come back bitwise (`diff`),
 * and δ below the last layer, dW, db and the loss stay NaN (`touched`: what a forward that ran on would have written).
 */
export async function forwardOnly(c: NetCase, threads: number): Promise<{ diff: string[]; touched: string[] }> {
  const valid = validateSpec(randomSpec(c));
  const { net } = valid;
  const b = await wasmBackend();
  const compiled = b.compile(net, valid.batch!.n);
  try {
    compiled.setThreads(Math.min(threads, b.threads));
    compiled.writeParams(valid.params!);
    compiled.writeBatch(valid.batch!);
    const n = valid.batch!.n;
    const last = net.layers.length - 1;
    const arrays = (): Record<string, Float32Array> => {
      const at = compiled.layout;
      const f32 = (addr: number, length: number) => new Float32Array(b.memory.buffer, addr, length);
      return Object.fromEntries([
        ['lossPerExample', compiled.views().lossPerExample],
        // The step's loss (f64, thread 0's, after the gradients): as two f32 halves, NaN-filled as the rest.
        ['loss', f32(at.loss, 2)],
        ...net.layers.flatMap((layer, l) => [
          [`Z${l + 1}`, f32(at.layers[l].Z, layer.units * n)], [`A${l + 1}`, f32(at.layers[l].A, layer.units * n)],
          [`delta${l + 1}`, f32(at.layers[l].delta, layer.units * n)],
          [`dW${l + 1}`, f32(at.layers[l].dW, layer.units * layer.fanIn)], [`db${l + 1}`, f32(at.layers[l].db, compiled.views().grads.b[l].length)],
        ]),
      ]);
    };
    compiled.run(1, 0, false);
    const step = Object.fromEntries(Object.entries(arrays()).map(([k, v]) => [k, v.slice()]));
    for (const v of Object.values(arrays())) v.fill(NaN);
    compiled.forward();
    const now = arrays();
    const written = (k: string) => /^(Z|A)\d|^lossPerExample$/.test(k) || k === `delta${last + 1}`;
    const diff = Object.keys(now).filter(written).filter((k) => !sameBits(now[k], step[k]));
    const touched = Object.keys(now).filter((k) => !written(k) && now[k].some((v) => !Number.isNaN(v)));
    return { diff, touched };
  } finally {
    compiled.dispose();
  }
}

/**
 * k steps in one run against k runs of one step (bitwise: the same kernels in the same order), and the
 * parameters after k steps against k CPU steps within 2·k·lr·(the first step's gradient bound) + atol 1e-6 + rtol 1e-5.
 */
export async function kSteps(c: NetCase, K: number): Promise<{ bitwise: string[]; violations: string[] }> {
  const spec = randomSpec(c);
  const valid = validateSpec(spec);
  const lr = spec.lr!;
  const b = await wasmBackend();
  const one = await runNet(valid.net, valid.params!, valid.batch!, null, K, lr, true);
  const compiled = b.compile(valid.net, valid.batch!.n);
  let single: Readback;
  try {
    compiled.writeParams(valid.params!);
    compiled.writeBatch(valid.batch!);
    for (let k = 0; k < K; k++) compiled.run(1, lr, true);
    single = await compiled.read(ALL);
  } finally {
    compiled.dispose();
  }
  const model = await Model.create(spec, { backend: 'cpu' });
  const first = await model.grad();
  await model.train({ steps: K });
  const cpuParams = await model.getParams();
  model.dispose();
  const bound = parityBounds(valid.net, valid.params!, valid.batch!.X, valid.batch!.Y, c.batch, first);
  const violations = valid.net.layers.flatMap((_, l) => [
    ...compareWithin(`W${l + 1}`, one.params!.W[l], cpuParams.W[l], bound.dW[l].map((e, k) => 2 * K * lr * e + 1e-6 + 1e-5 * Math.abs(cpuParams.W[l][k]))).violations,
    ...compareWithin(`b${l + 1}`, one.params!.b[l], cpuParams.b[l], bound.db[l].map((e, k) => 2 * K * lr * e + 1e-6 + 1e-5 * Math.abs(cpuParams.b[l][k]))).violations,
  ]);
  return { bitwise: bitwiseDiff(one, single), violations: report(violations) };
}

/**
 * `repeats` runs of `steps` training steps give the same bits; so do 1, 2 and 3 threads, and a net placed on
 * memory full of NaNs (what earlier nets leave behind is never read).
 */
export async function determinism(c: NetCase, repeats: number, steps: number): Promise<{ threads: number; repeats: string[]; threadCounts: string[]; dirty: string[] }> {
  const spec = randomSpec(c);
  const valid = validateSpec(spec);
  const b = await wasmBackend();
  const reference = await runNet(valid.net, valid.params!, valid.batch!, 1, steps, spec.lr!, true);
  const repeatsDiff: string[] = [];
  for (let r = 0; r < repeats; r++) {
    const again = await runNet(valid.net, valid.params!, valid.batch!, b.threads, steps, spec.lr!, true);
    repeatsDiff.push(...bitwiseDiff(reference, again).map((d) => `repeat ${r + 1}: ${d}`));
  }
  const threadCounts: string[] = [];
  for (let t = 2; t <= 3; t++) {
    const other = await runNet(valid.net, valid.params!, valid.batch!, t, steps, spec.lr!, true);
    threadCounts.push(...bitwiseDiff(reference, other).map((d) => `${t} threads: ${d}`));
  }
  const dirty = bitwiseDiff(reference, await runNet(valid.net, valid.params!, valid.batch!, 1, steps, spec.lr!, true, true));
  return { threads: b.threads, repeats: repeatsDiff, threadCounts, dirty };
}

/**
 * Barriers that sleep at once (barrier spins 0, on a backend of its own with 2 threads): `steps` runs of one step
 * give the bits of the 1-thread run, and say whether the calling thread may sleep (Node: yes; a page's main
 * thread: no, it only spins) and how often it did.
 */
export async function sleepingBarriers(c: NetCase, steps: number): Promise<{ threads: number; mainWaits: boolean; waits: number; diff: string[] }> {
  const raw = randomSpec(c);
  const spec = validateSpec(raw);
  const reference = await runNet(spec.net, spec.params!, spec.batch!, 1, steps, raw.lr!, true);
  const b = await WasmBackend.create({ threads: 2, barrier: { spins: 0 } });
  const compiled = b.compile(spec.net, spec.batch!.n);
  try {
    compiled.setThreads(b.threads);
    compiled.writeParams(spec.params!);
    compiled.writeBatch(spec.batch!);
    let waits = 0;
    for (let k = 0; k < steps; k++) {
      compiled.run(1, raw.lr!, true);
      waits += compiled.lastRunWaits;
    }
    return { threads: compiled.threads, mainWaits: b.barrier.mainWaits, waits, diff: bitwiseDiff(reference, await compiled.read(ALL)) };
  } finally {
    compiled.dispose();
    b.dispose();
  }
}

/**
 * A worker that dies during a run: on a backend of its own (3 threads, barrier.stallMs `stallMs`), worker 2 ends
 * itself after `after` steps of a 10-step run (WasmBackend.injectFault(2, after, how), test-only; 'exit-releasing':
 * inside the next barrier, as the last thread to arrive, before releasing it). What the run threw (null if nothing),
 * whether the backend is disposed, and what a next run throws. Without the barriers' stall watch the run never ends:
 * the calling thread waits at a barrier for the dead worker (in a page, the page hangs).
 */
export async function workerDiesMidRun(c: NetCase, after: number, stallMs: number, how: 'exit' | 'exit-releasing' = 'exit'): Promise<{
  threads: number; error: { name: string; thread: unknown; threads: unknown; disposed: unknown; stalled: unknown; betweenRuns: unknown; message: string } | null;
  disposed: boolean; next: string;
}> {
  const raw = randomSpec(c);
  const spec = validateSpec(raw);
  const b = await WasmBackend.create({ threads: 3, barrier: { stallMs } });
  try {
    const compiled = b.compile(spec.net, spec.batch!.n);
    compiled.setThreads(b.threads);
    compiled.writeParams(spec.params!);
    compiled.writeBatch(spec.batch!);
    b.injectFault(2, after, how);
    let error = null;
    try {
      compiled.run(10, raw.lr!, true);
    } catch (err) {
      const e = err as Error & Record<string, unknown>;
      error = { name: e.name, thread: e.thread, threads: e.threads, disposed: e.disposed, stalled: e.stalled, betweenRuns: e.betweenRuns, message: e.message };
    }
    let next = 'nothing';
    try {
      compiled.run(1, raw.lr!, true);
    } catch (err) {
      next = (err as Error).name;
    }
    return { threads: compiled.threads, error, disposed: b.isDisposed, next };
  } finally {
    b.dispose();
  }
}

/** Wasm memory before and after `steps` training steps (in calls of `perCall`), and after a recompile for a new batch size. */
export async function memoryGrowth(c: NetCase, steps: number, perCall: number): Promise<{ first: number; after: number; calls: number }> {
  const spec = randomSpec(c);
  const b = await wasmBackend();
  const model = await Model.create(spec, { shared: b });
  try {
    await model.train({ steps: 1 });
    const first = b.memory.buffer.byteLength;
    let calls = 0;
    for (let k = 0; k < steps; k += perCall) {
      await model.train({ steps: perCall });
      calls++;
    }
    return { first, after: b.memory.buffer.byteLength, calls };
  } finally {
    model.dispose();
  }
}

/** What badInput must report: [attempt, error code, parameters and memory unchanged]. */
export const BAD_INPUT_EXPECTED: [string, string, boolean][] = [
  ['x with NaN', 'NON_FINITE', true],
  ['x of the wrong width', 'SHAPE', true],
  ['y without x', 'SPEC', true],
  ['setParams of the wrong shape', 'SHAPE', true],
  ['steps 0', 'SPEC', true],
];

/**
 * Bad input on a wasm model: each call must throw the named error (code, field) and leave the parameters
 * (bitwise) and the wasm memory as they were.
 */
export async function badInput(c: NetCase): Promise<{ errors: { what: string; code: string | undefined; field: string | undefined; unchanged: boolean }[] }> {
  const spec = randomSpec(c);
  const b = await wasmBackend();
  const model = await Model.create(spec, { shared: b });
  const inputs = spec.inputs;
  const outputs = spec.layers[spec.layers.length - 1].units;
  try {
    await model.train({ steps: 1 });
    const before = await model.getParams();
    const bytes = b.memory.buffer.byteLength;
    const errors = [];
    const attempts: [string, () => Promise<unknown>][] = [
      ['x with NaN', () => model.train({ steps: 3, x: [[...Array(inputs - 1).fill(0), NaN]], y: [Array(outputs).fill(0)] })],
      ['x of the wrong width', () => model.train({ steps: 3, x: [Array(inputs + 1).fill(0)], y: [Array(outputs).fill(0)] })],
      ['y without x', () => model.train({ steps: 3, y: [Array(outputs).fill(0)] })],
      ['setParams of the wrong shape', () => model.setParams({ W: [new Float32Array(1)], b: [] })],
      ['steps 0', () => model.train({ steps: 0 })],
    ];
    for (const [what, fn] of attempts) {
      let err: unknown = null;
      try {
        await fn();
      } catch (e) {
        err = e;
      }
      const after = await model.getParams();
      const unchanged = after.W.every((w, l) => sameBits(w, before.W[l])) && after.b.every((v, l) => sameBits(v, before.b[l])) && b.memory.buffer.byteLength === bytes;
      errors.push({ what, code: err instanceof BackpropError ? err.code : err ? `not a BackpropError: ${String(err)}` : undefined, field: err instanceof BackpropError ? err.field : undefined, unchanged });
    }
    return { errors };
  } finally {
    model.dispose();
  }
}

/**
 * The saturation nets (test/lib/saturation.ts, |z| up to 1000) on wasm against the CPU oracle: loss, Z, A, δ, dW,
 * db; then evaluate and a fit's epoch loss and accuracy (saturatedScores). Returns what differs (a thrown error, e.g. a
 * DivergedError from a NaN, included).
 * NOTE: past |z| ≈ 88.7 exp over- or underflows in float32; the values there are 0, ±1, |z| (BCE's logit form) or
 * near them, computed on both sides by the same guarded formulas, so they agree to a few ulps. 1e-6 + 1e-5·|cpu| is
 * ~100 ulps: loose for rounding, tight for what a missing guard gives (NaN, ±Infinity, 0 for 1, a lost |z|).
 */
export async function saturation(): Promise<string[]> {
  const out: string[] = [];
  for (const spec of SATURATION_SPECS) {
    const name = `${spec.layers[0].activation} ${spec.loss}`;
    const cpuModel = await Model.create(spec, { backend: 'cpu' });
    const cpu = await cpuModel.grad();
    cpuModel.dispose();
    const model = await Model.create(spec, { shared: await wasmBackend() });
    try {
      const w = await model.grad();
      const within = (what: string, got: ArrayLike<number>, want: ArrayLike<number>) =>
        report(compareWithin(`${name} ${what}`, got, want, Array.from(want, (v) => 1e-6 + 1e-5 * Math.abs(v))).violations).forEach((v) => out.push(v));
      within('loss', [w.loss], [cpu.loss]);
      for (const key of ['Z', 'A', 'delta', 'dW', 'db'] as const) cpu[key].forEach((a, l) => within(`${key}[${l}]`, w[key][l], a));
    } catch (err) {
      out.push(`${name}: ${String(err)}`);
    } finally {
      model.dispose();
    }
  }
  // evaluate and fit's epoch sums on the same nets (the trainer's forward pass, not grad's)
  out.push(...await saturatedScores(async (spec) => Model.create(spec, { shared: await wasmBackend() })));
  return out;
}

/**
 * The public calls against the CPU oracle (test/lib/matrix-checks.ts: init, step, train, setParams, predict, evaluate,
 * fit with a held-out fraction, onEpoch and onBatch, shuffle false, an aborted fit, rebuild; each with its bound) on the
 * shared wasm backend. test/backend-matrix.test.ts runs them in Node; in Chromium they meet relaxed SIMD's fused kernels.
 */
export async function publicCalls(): Promise<string[]> {
  return matrixChecks({ shared: await wasmBackend() });
}

export type { BackendNet, WasmNet };
