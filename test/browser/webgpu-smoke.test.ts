/**
 * WebGPU smoke test (headless Chromium; SwiftShader when there is no GPU): the adapter, the 2-2-1 lecture
 * example, a handful of random nets against the CPU oracle (every kernel variant), train(k) in one submission
 * against k CPU steps, dispatches folded past 65535 workgroups, bitwise repeatability of the reductions, and the
 * harness's shared backend made again after its device is lost.
 * The wide parity suite lives elsewhere; this one stays small and fast. Every comparison with the CPU is within
 * the derived bounds of test/lib/tolerance.ts (as parity.test.ts's), except the saturation specs' (see there).
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterReport, PlainGrad } from '../../src/browser/harness.ts';
import { mulberry32 } from '../../src/init.ts';
import type { ActivationName, BiasMode, Loss, NetworkSpec, Reduction } from '../../src/spec.ts';
import { bpCall, unwrap, useHarnessPage } from './lib.ts';
import { lecture as lectureOf } from '../../src/lectures/index.ts';
import { type Bounds, compareWithin, describeViolations, gradWithin, worstRatio } from '../lib/tolerance.ts';
import { cpuSteps } from '../lib/cpu-steps.ts';
import type { GradResult } from '../../src/model.ts';
import { SATURATION_SPECS } from '../lib/saturation.ts';
import { lecture221Mismatches } from '../lib/lecture221.ts';
import type { KernelVariant } from '../../src/webgpu/backend.ts';
import { planMatmul } from '../../src/webgpu/matmul.ts';
import { isSoftwareAdapter } from '../../src/webgpu/software-adapter.ts';

let page: Page;
const consoleErrors: string[] = [];

useHarnessPage(consoleErrors, (p) => {
  page = p;
});

const useVariant = (variant: 'auto' | KernelVariant, fused: 'auto' | 'off' = 'auto'): Promise<AdapterReport> =>
  page.evaluate((v, f) => window.bp.useVariant(v, f), variant, fused);
const grad = async (spec: NetworkSpec, backend: 'cpu' | 'webgpu'): Promise<PlainGrad> => unwrap(await bpCall(page, 'grad', spec, backend));
/** The CPU oracle's grad of a case (in Node) and its bounds, computed once and compared with each kernel variant's. */
const cpuGrads = new Map<NetCase, Promise<{ grad: GradResult; bounds: Bounds }>>();
const cpuGrad = (c: NetCase): Promise<{ grad: GradResult; bounds: Bounds }> => {
  if (!cpuGrads.has(c)) cpuGrads.set(c, cpuSteps(randomSpec(c), 0, []));
  return cpuGrads.get(c)!;
};

/** The 2-2-1 net of lecture 001, from its single transcription (src/lectures/lecture-2-2-1.worked.json). */
const lecture: NetworkSpec = lectureOf('lecture-2-2-1').worked.spec;


/** Every element of a WebGPU grad within parityBounds (test/lib/tolerance.ts) of the CPU oracle's. */
function expectWithinBounds(gpu: PlainGrad, cpu: { grad: GradResult; bounds: Bounds }, what: string): void {
  const { violations } = gradWithin(gpu, cpu.grad, cpu.bounds);
  expect(violations, `${what}\n${describeViolations(violations)}`).toEqual([]);
}

/**
 * The saturation specs only: GPU ≈ CPU for every per-layer array of a grad result, atol scaled by the array's
 * largest magnitude. NOTE: not parityBounds: its elementwise fact (atol 1e-6 + rtol 1e-5 for exp, sigmoid, softmax)
 * was measured on moderate arguments, and at |z| ≥ 88.7 the kernels take other branches (the guarded sigmoid, BCE's
 * logit form, softmax's max-subtraction) with no measured fact of their own. What these specs check is the branch:
 * a wrong one gives NaN, ±Infinity or an O(1) error (the loss at z = 1000 is 1000), far above 1e-6·max(1, max|array|)
 * + 1e-5·|cpu|; with fanIn 1 and two examples there is no long sum whose rounding needs a derived bound.
 */
function expectClose(gpu: PlainGrad, cpu: PlainGrad, what: string, rtol: number, atol: number): void {
  expect(Math.abs(gpu.loss - cpu.loss), `${what}: loss ${gpu.loss} vs ${cpu.loss}`).toBeLessThanOrEqual(atol + rtol * Math.abs(cpu.loss));
  for (const key of ['Z', 'A', 'delta', 'dW', 'db'] as const) {
    gpu[key].forEach((g, l) => {
      const c = cpu[key][l];
      const scale = c.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
      const w = worstRatio(g, c, atol * scale, rtol);
      expect(w.ratio, `${what}: ${key}[${l}][${w.at}] gpu ${g[w.at]} cpu ${c[w.at]}`).toBeLessThanOrEqual(1);
    });
  }
}

interface NetCase {
  inputs: number;
  layers: { units: number; activation: ActivationName; bias: BiasMode }[];
  loss: Loss;
  reduction: Reduction;
  n: number;
  seed: number;
}

/** A spec with seeded init and random data (labels valid for the loss). */
function randomSpec(c: NetCase): NetworkSpec {
  const rand = mulberry32(c.seed * 7919 + 1);
  const outputs = c.layers[c.layers.length - 1].units;
  const x: number[][] = [];
  const y: number[][] = [];
  for (let e = 0; e < c.n; e++) {
    x.push(Array.from({ length: c.inputs }, () => 4 * rand() - 2));
    if (c.loss === 'softmax-cross-entropy') {
      const row = new Array<number>(outputs).fill(0);
      row[Math.floor(rand() * outputs)] = 1;
      y.push(row);
    } else if (c.loss === 'bce') {
      y.push(Array.from({ length: outputs }, () => (rand() < 0.5 ? 0 : 1)));
    } else {
      y.push(Array.from({ length: outputs }, () => 2 * rand() - 1));
    }
  }
  return {
    inputs: c.inputs, layers: c.layers, loss: c.loss, reduction: c.reduction,
    init: { scheme: c.layers.some((l) => l.activation === 'relu') ? 'he' : 'xavier', seed: c.seed }, x, y, lr: 0.05,
  };
}

const CASES: NetCase[] = [
  { inputs: 1, layers: [{ units: 1, activation: 'identity', bias: 'none' }], loss: 'mse', reduction: 'mean', n: 1, seed: 1 },
  { inputs: 3, layers: [{ units: 17, activation: 'tanh', bias: 'per-unit' }, { units: 3, activation: 'softmax', bias: 'shared' }], loss: 'softmax-cross-entropy', reduction: 'mean', n: 65, seed: 2 },
  { inputs: 17, layers: [{ units: 65, activation: 'relu', bias: 'shared' }, { units: 1, activation: 'sigmoid', bias: 'per-unit' }], loss: 'bce', reduction: 'sum', n: 257, seed: 3 },
  { inputs: 65, layers: [{ units: 257, activation: 'sigmoid', bias: 'none' }, { units: 17, activation: 'identity', bias: 'per-unit' }], loss: 'mse', reduction: 'mean', n: 1024, seed: 4 },
  {
    inputs: 257,
    layers: [{ units: 3, activation: 'relu', bias: 'per-unit' }, { units: 65, activation: 'tanh', bias: 'shared' }, { units: 1, activation: 'linear', bias: 'none' }],
    loss: 'mse', reduction: 'sum', n: 3, seed: 5,
  },
  { inputs: 2, layers: [{ units: 1024, activation: 'sigmoid', bias: 'per-unit' }, { units: 2, activation: 'sigmoid', bias: 'shared' }], loss: 'bce', reduction: 'mean', n: 17, seed: 6 },
  // Every contiguous dimension a multiple of 4 (none of 64): the tiled variant's vec4 loads (matmul.wgsl main_tiled4)
  // in forward, backward and grad_w, with partial tiles at every edge.
  { inputs: 68, layers: [{ units: 132, activation: 'relu', bias: 'per-unit' }, { units: 12, activation: 'softmax', bias: 'per-unit' }], loss: 'softmax-cross-entropy', reduction: 'mean', n: 20, seed: 7 },
];

const describeCase = (c: NetCase): string =>
  `${c.inputs}-${c.layers.map((l) => `${l.units}${l.activation[0]}/${l.bias}`).join('-')} ${c.loss}/${c.reduction} n=${c.n}`;

describe('WebGPU backend (smoke)', () => {
  it('has an adapter and describes it', async () => {
    const report = await useVariant('auto');
    expect(report.available, report.reason).toBe(true);
    expect(report.description).toMatch(/^WebGPU: /);
    expect(['blocked', 'blocked-subgroup', 'tiled', 'subgroup']).toContain(report.variant);
    // The engine's own test of a software adapter (the fallback flag, or SwiftShader by name).
    if (isSoftwareAdapter(report)) {
      // SwiftShader exposes `subgroups`: 'auto' picks 'blocked-subgroup', and the 'subgroup' variant below runs
      // here, it is not skipped.
      expect(report.subgroups).toBe(true);
      expect(report.variant).toBe('blocked-subgroup');
    } else {
      expect(report.variant).toBe(report.subgroups ? 'subgroup' : 'tiled');
    }
  });

  // 'subgroup' and 'blocked-subgroup' (matmul_subgroups.wgsl) need the device feature; SwiftShader has it (checked
  // above). They run with the fused small-net kernel off, so that every net below, the lecture's too, goes through
  // main_subgroup / main_blocked_subgroup.
  for (const variant of ['blocked', 'blocked-subgroup', 'tiled', 'subgroup'] as const) {
    describe(`${variant} kernels`, () => {
      beforeAll(async () => {
        const fused = variant === 'subgroup' || variant === 'blocked-subgroup' ? 'off' : 'auto';
        expect((await useVariant(variant, fused)).variant).toBe(variant);
      });
      afterAll(async () => {
        await useVariant('auto');
      });

      it('reproduces the 2-2-1 lecture example', async () => {
        const g = await grad(lecture, 'webgpu');
        expect(g.backend).toBe('webgpu');
        expect(g.description).toContain(`${variant} kernels`);
        // The lecture's chain rule by hand in float64 (test/lib/lecture221.ts), not the engine's numbers.
        expect(lecture221Mismatches(g)).toEqual([]);
      });

      for (const c of CASES) {
        it(`matches the CPU: ${describeCase(c)}`, async () => {
          expectWithinBounds(await grad(randomSpec(c), 'webgpu'), await cpuGrad(c), `${variant}: ${describeCase(c)}`);
        });
      }
    });
  }

  // NOTE: these nets are small enough for the fused kernel (train_small.wgsl); with it off they take the per-kernel
  // path every larger net uses, so the guards of matmul.wgsl (forward epilogue) and output.wgsl are checked too.
  for (const fused of ['auto', 'off'] as const) it(`matches the CPU where activations saturate (|z| up to 1000), fused ${fused}`, async () => {
    await useVariant('auto', fused);
    try {
      for (const spec of SATURATION_SPECS) expectClose(await grad(spec, 'webgpu'), await grad(spec, 'cpu'), `${spec.layers[0].activation} ${spec.loss} (fused ${fused})`, 1e-5, 1e-6);
    } finally {
      await useVariant('auto');
    }
  });

  // NOTE: parity.test.ts's k-step bound (test/lib/tolerance.ts kStepBounds): the parameters after K steps within
  // 2·K·lr·(the first step's dW/db bound) + 1e-6 + 1e-5·|p|; the loss of step K within its own bound at the CPU's
  // parameters plus Σ |∂L/∂θ|·(the parameters' bound after K − 1 steps) (stepLossBound).
  it('train(k) in one submission equals k CPU steps', async () => {
    for (const c of [CASES[1], CASES[2], CASES[4]]) {
      const spec = randomSpec(c);
      const k = 25;
      const lr = c.reduction === 'sum' ? 0.05 / c.n : 0.05;
      const gpu = unwrap(await bpCall(page, 'train', spec, 'webgpu', k, 2, lr));
      const cpu = await cpuSteps(spec, lr, [k, 2 * k]);
      gpu.losses.forEach((l, i) => {
        const o = cpu.after[i];
        expect(Math.abs(l - o.loss), `${describeCase(c)} loss of step ${o.steps}: ${l} vs ${o.loss}`).toBeLessThanOrEqual(o.lossBound);
      });
      const last = cpu.after[1];
      const violations = last.params.W.flatMap((_, l) => [
        ...compareWithin(`W${l + 1}`, gpu.params.W[l], last.params.W[l], last.bound.W[l]).violations,
        ...compareWithin(`b${l + 1}`, gpu.params.b[l], last.params.b[l], last.bound.b[l]).violations,
      ]);
      expect(violations, `${describeCase(c)} after ${2 * k} steps\n${describeViolations(violations)}`).toEqual([]);
    }
  });

  // NOTE: the 2^21 + 5 batch runs on 'auto' ('blocked-subgroup' on SwiftShader) and on 'blocked': each covers 32 columns
  // per workgroup, so its forward GEMM over the batch needs 65 537 workgroups and folds (checked below on the plans);
  // 'tiled' (64 columns) and 'subgroup' (256) stay under 65 535 here, so a third run would not reach another fold.
  it("folds dispatches past 65535 workgroups (70000 units; 2^21 + 5 examples on 'auto' and 'blocked')", async () => {
    await useVariant('auto');
    const wide: NetworkSpec = {
      inputs: 1, layers: [{ units: 70_000, activation: 'tanh', bias: 'per-unit' }, { units: 1, activation: 'identity', bias: 'shared' }],
      loss: 'mse', init: { scheme: 'xavier', seed: 9 }, x: [[0.5], [-1]], y: [[0.25], [0.5]],
    };
    expectWithinBounds(await grad(wide, 'webgpu'), await cpuSteps(wide, 0, []), 'wide');
    const n = 2 ** 21 + 5;
    for (const variant of ['blocked-subgroup', 'blocked'] as const) {
      const plan = planMatmul(variant, 'forward', [2, 1, n], 1, { transL: false, transR: false }, {});
      expect(plan.groups.y, `${variant}: forward over ${n} columns`).toBeGreaterThan(1);
    }
    // The batch is built in the page: 2^21 + 5 examples are too many to send as JSON rows. The CPU oracle runs once.
    const results = await page.evaluate(async (n) => {
      const data = new Float32Array(n);
      const labels = new Float32Array(n);
      for (let c = 0; c < n; c++) {
        data[c] = Math.sin(c) * 2;
        labels[c] = Math.cos(c);
      }
      const spec = {
        inputs: 1, layers: [{ units: 2, activation: 'tanh', bias: 'per-unit' }, { units: 1, activation: 'identity', bias: 'shared' }], loss: 'mse',
        params: { W: [[[0.7], [-0.4]], [[0.9, 0.3]]], b: [[0.1, -0.2], 0.05] },
        x: { examples: n, data }, y: { examples: n, data: labels },
      };
      const cpu = await window.bp.grad(spec, 'cpu');
      if ('error' in cpu) return cpu;
      const tail = (r: typeof cpu) => r.ok.delta.map((d) => d.slice(-3));
      // 'blocked' first, then back to 'auto' for the tests after this one.
      const gpus: { variant: string; loss: number; dW: number[][]; db: number[][]; tail: number[][] }[] = [];
      for (const variant of ['blocked', 'auto'] as const) {
        const report = await window.bp.useVariant(variant, 'auto');
        const gpu = await window.bp.grad(spec, 'webgpu');
        if ('error' in gpu) return gpu;
        gpus.push({ variant: `${variant} (${report.variant})`, loss: gpu.ok.loss, dW: gpu.ok.dW, db: gpu.ok.db, tail: tail(gpu) });
      }
      // The checklist's bound for an n-term float32 sum: 2·√n·2⁻²³·Σ|terms| (here scale = 1/n, mean).
      const ulps = (2 * Math.sqrt(n)) / 2 ** 23 / n;
      const units = [2, 1];
      const aPrev = [[Array.from(data)], [cpu.ok.A[0].slice(0, n), cpu.ok.A[0].slice(n)]];
      const fanIn = [1, 2];
      const dWBound = units.map((M, l) => {
        const b: number[] = [];
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < fanIn[l]; j++) {
            let sum = 0;
            for (let c = 0; c < n; c++) sum += Math.abs(cpu.ok.delta[l][i * n + c] * aPrev[l][j][c]);
            b.push(ulps * sum);
          }
        }
        return b;
      });
      const dbBound = units.map((M, l) => {
        const b: number[] = [];
        for (let i = 0; i < M; i++) {
          let sum = 0;
          for (let c = 0; c < n; c++) sum += Math.abs(cpu.ok.delta[l][i * n + c]);
          b.push(ulps * sum);
        }
        return b; // layer 2's shared bias sums its single row: the same bound
      });
      return {
        ok: {
          gpus,
          cpu: { loss: cpu.ok.loss, dW: cpu.ok.dW, db: cpu.ok.db, tail: tail(cpu) },
          bound: { loss: ulps * n * cpu.ok.loss, dW: dWBound, db: dbBound },
        },
      };
    }, n);
    const { gpus, cpu, bound } = unwrap(results);
    expect(gpus.map((g) => g.variant)).toEqual(['blocked (blocked)', expect.stringMatching(/^auto \(blocked(-subgroup)?\)$/)]);
    for (const gpu of gpus) {
      expect(Math.abs(gpu.loss - cpu.loss), `${gpu.variant}: loss`).toBeLessThanOrEqual(bound.loss + 1e-6);
      for (const key of ['dW', 'db'] as const) {
        gpu[key].forEach((g, l) => {
          g.forEach((v, k) => {
            const c = cpu[key][l][k];
            expect(Math.abs(v - c), `${gpu.variant}: ${key}[${l}][${k}]: ${v} vs ${c}`).toBeLessThanOrEqual(bound[key][l][k] + 1e-6 + 1e-5 * Math.abs(c));
          });
        });
      }
      gpu.tail.forEach((g, l) => {
        const w = worstRatio(g, cpu.tail[l], 1e-6, 1e-5);
        expect(w.ratio, `${gpu.variant}: delta[${l}] tail`).toBeLessThanOrEqual(1);
      });
    }
  });

  it('repeats db and the loss bitwise over 10 runs', async () => {
    await useVariant('auto');
    const spec = randomSpec({
      inputs: 5, layers: [{ units: 33, activation: 'tanh', bias: 'shared' }, { units: 7, activation: 'softmax', bias: 'per-unit' }],
      loss: 'softmax-cross-entropy', reduction: 'mean', n: 1000, seed: 11,
    });
    const runs = unwrap(await page.evaluate(async (s) => {
      const out: { loss: number; db: number[][]; dW: number[][] }[] = [];
      for (let k = 0; k < 10; k++) {
        const r = await window.bp.grad(s, 'webgpu');
        if ('error' in r) return r;
        out.push({ loss: r.ok.loss, db: r.ok.db, dW: r.ok.dW });
      }
      return { ok: out };
    }, spec as unknown));
    const bits = (v: number): number => new Uint32Array(new Float32Array([v]).buffer)[0];
    for (const r of runs.slice(1)) {
      expect(bits(r.loss)).toBe(bits(runs[0].loss));
      expect(r.db.map((d) => d.map(bits))).toEqual(runs[0].db.map((d) => d.map(bits)));
      expect(r.dW.map((d) => d.map(bits))).toEqual(runs[0].dW.map((d) => d.map(bits)));
    }
  });

  it('lifecycle: serialised reads, dispose during a read, device loss, limits, no leaked buffers', async () => {
    const report = unwrap(await page.evaluate(async () => {
      type BackendModule = typeof import('../../src/webgpu/backend.ts');
      type SpecModule = typeof import('../../src/spec.ts');
      type InitModule = typeof import('../../src/init.ts');
      type KernelsModule = typeof import('../../src/webgpu/kernels.ts');
      // A plain import() here would be rewritten by vitest's transform before the function reaches the page.
      const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
      const { WebGpuBackend } = (await load('/src/webgpu/backend.ts')) as BackendModule;
      const { validateSpec } = (await load('/src/spec.ts')) as SpecModule;
      const { initParams } = (await load('/src/init.ts')) as InitModule;
      const { compileChecked } = (await load('/src/webgpu/kernels.ts')) as KernelsModule;
      const errName = async (p: Promise<unknown> | (() => unknown)): Promise<string> => {
        try {
          await (typeof p === 'function' ? p() : p);
          return 'resolved';
        } catch (err) {
          return err instanceof Error ? err.name : String(err);
        }
      };
      const v = validateSpec({
        inputs: 3, layers: [{ units: 5, activation: 'tanh' }, { units: 2, activation: 'sigmoid', bias: 'shared' }], loss: 'bce',
        init: { scheme: 'xavier', seed: 3 }, x: [[1, 2, 3], [0, -1, 0.5]], y: [[0, 1], [1, 1]],
      });
      const be = await WebGpuBackend.create();
      const out: Record<string, unknown> = {};
      const before = be.buffers.created - be.buffers.destroyed;
      const net = be.compile(v.net, 2);
      net.writeParams(initParams(v.net, 'xavier', 3));
      net.writeBatch(v.batch!);
      net.run(3, 0.1, true);
      // Two reads at once: serialised, both resolve with the same loss.
      const [r1, r2] = await Promise.all([net.read({ loss: true, params: true }), net.read({ loss: true, grads: true })]);
      out.concurrentReads = r1.loss === r2.loss && Number.isFinite(r1.loss) && r2.dW?.length === 2;
      // save / run / restore puts the parameters back bitwise.
      net.saveParams();
      net.run(5, 0.5, true);
      net.restoreParams();
      const restored = await net.read({ params: true });
      out.restored = restored.params!.W.every((w, l) => w.every((x, k) => Object.is(x, r1.params!.W[l][k])));
      // dispose while a read is pending: DisposedError, and dispose is idempotent.
      net.run(1, 0.1, true);
      const pending = errName(net.read({ loss: true, Z: true }));
      net.dispose();
      net.dispose();
      out.pendingRead = await pending;
      out.afterDispose = await errName(() => net.run(1, 0.1, true));
      out.leaked = be.buffers.created - be.buffers.destroyed - before;
      // A layer beyond the device's limits: LimitError before any allocation.
      // WGSL that does not compile: ShaderCompileError with label:line:col for each error.
      try {
        await compileChecked(be.device, [{ label: 'ok.wgsl', code: '@compute @workgroup_size(1) fn main() {}' }, { label: 'broken.wgsl', code: 'fn f() -> f32 {\n  return 1u;\n}' }]);
        out.compileError = 'resolved';
      } catch (err) {
        out.compileError = err instanceof Error ? `${err.name}: ${err.message.split('\n').slice(1).map((l) => l.split(' ')[0]).join(' ')}` : String(err);
      }
      out.limit = await errName(() => be.compile({ inputs: 70000, layers: [{ units: 70000, fanIn: 70000, activation: 'identity', bias: 'none' }], loss: 'mse', reduction: 'mean' }, 1));
      // The device destroyed while a read's mapAsync is pending: Chromium rejects the map (AbortError) before
      // device.lost resolves (mapOrder; the NOTE on LOST_GRACE_MS in src/webgpu/backend.ts), and the read still
      // rejects with DeviceLostError.
      const net2 = be.compile(v.net, 2);
      net2.writeBatch(v.batch!);
      net2.run(1, 0.1, true);
      const mapOrder: Promise<string>[] = [];
      const mapRead = be.mapRead.bind(be);
      be.mapRead = (buffer: GPUBuffer) => {
        const map = mapRead(buffer);
        mapOrder.push(map.then(() => 'mapped', () => (be.lost ? 'lost first' : 'map first')));
        return map;
      };
      const midRead = errName(net2.read({ loss: true }));
      be.device.destroy();
      out.lostMidRead = await midRead;
      out.mapOrder = await Promise.all(mapOrder);
      // Device loss: every later call throws DeviceLostError (submit itself would not throw).
      await be.device.lost;
      out.lostRun = await errName(() => net2.run(1, 0.1, true));
      out.lostRead = await errName(net2.read({ loss: true }));
      out.lostScopes = await errName(be.withErrorScopes('x', async () => 1));
      be.dispose();
      be.dispose();
      out.disposedCompile = await errName(() => be.compile(v.net, 2));
      return { ok: out };
    }));
    expect(report).toEqual({
      concurrentReads: true, restored: true, pendingRead: 'DisposedError', afterDispose: 'DisposedError', leaked: 0,
      compileError: expect.stringMatching(/^ShaderCompileError: broken\.wgsl:2:\d+$/), limit: 'LimitError', lostMidRead: 'DeviceLostError', mapOrder: ['map first'], lostRun: 'DeviceLostError', lostRead: 'DeviceLostError', lostScopes: 'DeviceLostError', disposedCompile: 'DisposedError',
    });
  });

  it("the page's shared backend is made again once its device is lost: the next call runs on a new device, not DeviceLostError", async () => {
    const ends = await page.evaluate(async (spec) => {
      // The shared backend's device, caught as the harness asks for it (useVariant makes the page's backend anew).
      const devices: GPUDevice[] = [];
      const request = GPUAdapter.prototype.requestDevice;
      GPUAdapter.prototype.requestDevice = async function (this: GPUAdapter, d?: GPUDeviceDescriptor) {
        const device = await request.call(this, d);
        devices.push(device);
        return device;
      };
      const end = (r: { ok: unknown } | { error: { name: string } }): string => ('ok' in r ? 'ok' : r.error.name);
      try {
        await window.bp.useVariant('auto');
        const before = end(await window.bp.grad(spec, 'webgpu'));
        devices[0]!.destroy();
        await devices[0]!.lost;
        return { before, after: end(await window.bp.grad(spec, 'webgpu')), devices: devices.length };
      } finally {
        GPUAdapter.prototype.requestDevice = request;
      }
    }, lecture);
    expect(ends).toEqual({ before: 'ok', after: 'ok', devices: 2 });
  });

  it('left no page errors', () => {
    expect(consoleErrors.filter((e) => !/favicon|Failed to load resource/.test(e))).toEqual([]);
  });
});
