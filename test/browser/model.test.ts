/**
 * The Model on WebGPU, in the page: bad input is refused before any GPU work with the parameters bitwise
 * unchanged; 'auto' falls back to the CPU with exactly one notice when WebGPU is missing; divergence restores
 * the last finite parameters; concurrent calls are serialised; no buffer leaks over 5 000 steps; a disposed shared
 * backend is refused at create.
 * (../shared/notes/reliability-checklist.md items 1–4, 7, 11, 13, 14.) The GPU work of each test runs inside
 * validation / out-of-memory / internal error scopes (WebGpuBackend.withErrorScopes).
 */
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { useHarnessPage } from './lib.ts';

let page: Page;
const consoleErrors: string[] = [];

useHarnessPage(consoleErrors, (p) => {
  page = p;
});

const SPEC = {
  inputs: 2,
  layers: [{ units: 3, activation: 'tanh', bias: 'per-unit' }, { units: 1, activation: 'sigmoid', bias: 'shared' }],
  loss: 'bce',
  init: { scheme: 'xavier', seed: 11 },
  x: [[0, 0], [0, 1], [1, 0], [1, 1]],
  y: [[0], [1], [1], [0]],
  lr: 0.5,
};

describe('Model on WebGPU', () => {
  it('refuses bad input before any GPU work, parameters bitwise unchanged, then still trains', async () => {
    const out = await page.evaluate(async (spec) => {
      // A plain import() would be rewritten by vitest's transform before the function reaches the page.
      const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
      const { Model } = (await load('/src/model.ts')) as typeof import('../../src/model.ts');
      const { WebGpuBackend } = (await load('/src/webgpu/backend.ts')) as typeof import('../../src/webgpu/backend.ts');
      const gpu = await WebGpuBackend.create();
      return gpu.withErrorScopes('bad input', async () => {
        const model = await Model.create(spec, { shared: gpu });
        await model.train({ steps: 3 });
        const bits = (p: { W: Float32Array[]; b: Float32Array[] }) => JSON.stringify([...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))));
        const before = bits(await model.getParams());
        const created = gpu.buffers.created;
        // Every kind of GPU work, counted from here: buffer writes, dispatches and queue submissions (besides creations).
        const work = { writes: 0, dispatches: 0, submits: 0, encoders: 0 };
        const wrap = <T extends object>(proto: T, name: keyof T & string, key: keyof typeof work): (() => void) => {
          const orig = proto[name] as unknown as (...args: unknown[]) => unknown;
          (proto as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) { work[key]++; return orig.apply(this, args); };
          return () => { (proto as Record<string, unknown>)[name] = orig; };
        };
        const unwrap = [
          wrap(GPUQueue.prototype, 'writeBuffer', 'writes'),
          wrap(GPUQueue.prototype, 'submit', 'submits'),
          wrap(GPUComputePassEncoder.prototype, 'dispatchWorkgroups', 'dispatches'),
          wrap(GPUDevice.prototype, 'createCommandEncoder', 'encoders'),
        ];
        const x = spec.x;
        const bad: [string, () => Promise<unknown>][] = [
          ['NaN in x', () => model.train({ steps: 1, x: [[0, 0], [NaN, 1], [1, 0], [1, 1]], y: spec.y })],
          ['Infinity in y', () => model.grad(x, [[0], [1], [Infinity], [0]])],
          ['label 1.5', () => model.train({ steps: 1, x, y: [[0], [1], [1.5], [0]] })],
          ['label −0.1', () => model.step(0.1, x, [[-0.1], [1], [1], [0]])],
          ['x row of length 3', () => model.grad([[0, 0, 0], [0, 1], [1, 0], [1, 1]], spec.y)],
          ['y with 3 examples', () => model.train({ steps: 1, x, y: [[0], [1], [1]] })],
          ['empty batch', () => model.train({ steps: 1, x: [], y: [] })],
          ['steps 0', () => model.train({ steps: 0 })],
          ['lr −1', () => model.train({ steps: 1, lr: -1 })],
          ['W of the wrong shape', () => model.setParams({ W: [[[1, 2]], [[1, 2, 3]]], b: [[0, 0, 0], 0] })],
          ['1e39 in x', () => model.grad([[0, 0], [0, 1e39], [1, 0], [1, 1]], spec.y)],
          ['a string in {examples, data}', () => model.grad({ examples: 4, data: [0, 0, 0, '1', 1, 0, 1, 1] as unknown as number[] }, spec.y)],
          ['lr 1e300', () => model.train({ steps: 1, lr: 1e300 })],
          ['2e9 examples', () => model.train({ steps: 1, x: { examples: 2e9, data: [] }, y: { examples: 2e9, data: [] } })],
        ];
        const errors: Record<string, string> = {};
        for (const [name, call] of bad) {
          try {
            await call();
            errors[name] = 'resolved';
          } catch (err) {
            const e = err as { name: string; code?: string; field?: string };
            errors[name] = `${e.name} ${e.code} ${e.field}`;
          }
        }
        unwrap.forEach((u) => u());
        const noGpuWork = gpu.buffers.created === created && work.writes + work.dispatches + work.submits + work.encoders === 0;
        const unchanged = bits(await model.getParams()) === before;
        const after = await model.train({ steps: 5 });
        model.dispose();
        return { errors, noGpuWork, unchanged, trainsAfter: Number.isFinite(after.loss) };
      }).finally(() => gpu.dispose());
    }, SPEC);
    expect(out.errors).toEqual({
      'NaN in x': 'NonFiniteError NON_FINITE x[1][0]',
      'Infinity in y': 'NonFiniteError NON_FINITE y[2][0]',
      'label 1.5': 'LabelRangeError LABEL_RANGE y[2][0]',
      'label −0.1': 'LabelRangeError LABEL_RANGE y[0][0]',
      'x row of length 3': 'ShapeError SHAPE x[0]',
      'y with 3 examples': 'ShapeError SHAPE y',
      'empty batch': 'EmptyBatchError EMPTY_BATCH x',
      'steps 0': 'SpecError SPEC steps',
      'lr −1': 'SpecError SPEC lr',
      'W of the wrong shape': 'ShapeError SHAPE params.W[0]',
      '1e39 in x': 'NonFiniteError NON_FINITE x[1][1]',
      'a string in {examples, data}': 'SpecError SPEC x[1][1]',
      'lr 1e300': 'SpecError SPEC lr',
      '2e9 examples': 'LimitError LIMIT x',
    });
    expect(out.noGpuWork, 'no GPU buffer created, written, encoded, dispatched or submitted by a refused call').toBe(true);
    expect(out.unchanged, 'parameters bitwise unchanged').toBe(true);
    expect(out.trainsAfter).toBe(true);
  });

  it('a disposed shared WebGpuBackend: create refuses it with DisposedError; a model made on it before rejects its calls with it', async () => {
    const out = await page.evaluate(async (spec) => {
      const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
      const { Model } = (await load('/src/model.ts')) as typeof import('../../src/model.ts');
      const { WebGpuBackend } = (await load('/src/webgpu/backend.ts')) as typeof import('../../src/webgpu/backend.ts');
      const gpu = await WebGpuBackend.create();
      const model = await Model.create(spec, { shared: gpu });
      await model.train({ steps: 1 });
      gpu.dispose();
      const outcome = (p: Promise<unknown>) => p.then(() => 'resolved', (e: { name: string; code?: string }) => `${e.name} ${e.code}`);
      const result = { create: await outcome(Model.create(spec, { shared: gpu })), grad: await outcome(model.grad()) };
      model.dispose();
      return result;
    }, SPEC);
    expect(out).toEqual({ create: 'DisposedError DISPOSED', grad: 'DisposedError DISPOSED' });
  });

  it("'auto' without a hardware GPU: wasm with exactly one notice (the CPU without wasm SIMD); 'webgpu' throws WebGPUUnavailableError", async () => {
    const out = await page.evaluate(async (spec) => {
      const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
      const { Model } = (await load('/src/model.ts')) as typeof import('../../src/model.ts');
      const gpu = navigator.gpu;
      const result: Record<string, unknown> = {};
      const attempt = async (label: string) => {
        const notices: string[] = [];
        const auto = await Model.create(spec, { backend: 'auto', onNotice: (m) => notices.push(m) });
        await auto.train({ steps: 2 });
        result[label] = { kind: auto.kind, notices: notices.length, notice: auto.notice, reason: auto.fallbackReason };
        auto.dispose();
        try {
          await Model.create(spec, { backend: 'webgpu' });
          result[`${label}: webgpu`] = 'resolved';
        } catch (err) {
          result[`${label}: webgpu`] = (err as Error).name;
        }
      };
      try {
        // 1. No navigator.gpu at all.
        Object.defineProperty(navigator, 'gpu', { value: undefined, configurable: true });
        await attempt('no navigator.gpu');
        // 2. navigator.gpu present, but no adapter (as headless Chromium without --enable-unsafe-webgpu).
        Object.defineProperty(navigator, 'gpu', { value: { requestAdapter: async () => null, getPreferredCanvasFormat: () => 'bgra8unorm' }, configurable: true });
        await attempt('null adapter');
        // 3. No WebGPU and no WebAssembly SIMD (an engine whose validate() refuses f32x4): the CPU.
        const validate = WebAssembly.validate;
        Object.defineProperty(navigator, 'gpu', { value: undefined, configurable: true });
        WebAssembly.validate = () => false;
        try {
          await attempt('no wasm SIMD');
        } finally {
          WebAssembly.validate = validate;
        }
      } finally {
        Object.defineProperty(navigator, 'gpu', { value: gpu, configurable: true });
      }
      const notices: string[] = [];
      const real = await Model.create(spec, { backend: 'auto', onNotice: (m) => notices.push(m) });
      const { WebGpuBackend } = (await load('/src/webgpu/backend.ts')) as typeof import('../../src/webgpu/backend.ts');
      const adapter = await WebGpuBackend.create();
      result.withWebGPU = { kind: real.kind, notices: notices.length, notice: real.notice, reason: real.fallbackReason, software: adapter.swiftshader };
      adapter.dispose();
      real.dispose();
      return result;
    }, SPEC);
    expect(out['no navigator.gpu']).toMatchObject({ kind: 'wasm', notices: 1, reason: 'no-webgpu', notice: expect.stringMatching(/WebGPU is unavailable.*WebAssembly SIMD instead/) });
    expect(out['no navigator.gpu: webgpu']).toBe('WebGPUUnavailableError');
    expect(out['null adapter']).toMatchObject({ kind: 'wasm', notices: 1, reason: 'no-adapter', notice: expect.stringMatching(/adapter/i) });
    expect(out['null adapter: webgpu']).toBe('WebGPUUnavailableError');
    expect(out['no wasm SIMD']).toMatchObject({ kind: 'cpu', notices: 1, reason: 'no-webgpu', notice: expect.stringMatching(/WebAssembly SIMD is unavailable.*CPU/) });
    // SwiftShader (the test machine has no GPU) is a software adapter: 'auto' takes wasm and says why.
    const real = out.withWebGPU as { kind: string; notices: number; notice?: string; reason?: string; software: boolean };
    // model.fallbackReason: the notice's reason as a code, for an app's own message.
    if (real.software) expect(real).toMatchObject({ kind: 'wasm', notices: 1, reason: 'software-adapter', notice: expect.stringMatching(/software/) });
    else expect(real).toMatchObject({ kind: 'webgpu', notices: 0, reason: undefined });
  });

  it('divergence: DivergedError, parameters restored bitwise to those before the call', async () => {
    const out = await page.evaluate(async (spec) => {
      const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
      const { Model } = (await load('/src/model.ts')) as typeof import('../../src/model.ts');
      // A linear net on large inputs: at lr = 1e3 each step multiplies the error by ~1e6 until it overflows.
      const { WebGpuBackend } = (await load('/src/webgpu/backend.ts')) as typeof import('../../src/webgpu/backend.ts');
      const gpu = await WebGpuBackend.create();
      return gpu.withErrorScopes('divergence', async () => {
        const model = await Model.create({ ...spec, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', x: [[30, -40]], y: [[1]] }, { shared: gpu });
        const bits = (p: { W: Float32Array[]; b: Float32Array[] }) => JSON.stringify([...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))));
        await model.train({ steps: 1, lr: 1e-4 });
        const before = bits(await model.getParams());
        let error = 'resolved';
        try {
          await model.train({ steps: 50, lr: 1e3 });
        } catch (err) {
          error = `${(err as Error).name}: ${(err as Error).message}`;
        }
        const restored = bits(await model.getParams()) === before;
        const again = await model.train({ steps: 2, lr: 1e-4 });
        model.dispose();
        return { error, restored, finiteAfter: Number.isFinite(again.loss) };
      }).finally(() => gpu.dispose());
    }, SPEC);
    expect(out.error).toMatch(/^DivergedError: training diverged/);
    expect(out.restored).toBe(true);
    expect(out.finiteAfter).toBe(true);
  });

  it('two train() calls at once are serialised: the same as one after the other', async () => {
    const out = await page.evaluate(async (spec) => {
      const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
      const { Model } = (await load('/src/model.ts')) as typeof import('../../src/model.ts');
      const { WebGpuBackend } = (await load('/src/webgpu/backend.ts')) as typeof import('../../src/webgpu/backend.ts');
      const gpu = await WebGpuBackend.create();
      return gpu.withErrorScopes('concurrent train', async () => {
        const a = await Model.create(spec, { shared: gpu });
        const [r1, r2] = await Promise.all([a.train({ steps: 7 }), a.train({ steps: 5 })]);
        const pa = await a.getParams();
        a.dispose();
        const b = await Model.create(spec, { shared: gpu });
        const s1 = await b.train({ steps: 7 });
        const s2 = await b.train({ steps: 5 });
        const pb = await b.getParams();
        b.dispose();
        const same = [...pa.W, ...pa.b].every((arr, i) => arr.every((v, k) => Object.is(v, [...pb.W, ...pb.b][i][k])));
        return { losses: [r1.loss, r2.loss], sequential: [s1.loss, s2.loss], same };
      }).finally(() => gpu.dispose());
    }, SPEC);
    expect(out.losses).toEqual(out.sequential);
    expect(out.same).toBe(true);
  });

  it('no buffer leaks: live buffers constant over 5 000 steps after warm-up, zero after dispose', async () => {
    const out = await page.evaluate(async (spec) => {
      const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
      const { Model } = (await load('/src/model.ts')) as typeof import('../../src/model.ts');
      const { WebGpuBackend } = (await load('/src/webgpu/backend.ts')) as typeof import('../../src/webgpu/backend.ts');
      const gpu = await WebGpuBackend.create();
      const live = () => gpu.buffers.created - gpu.buffers.destroyed;
      return gpu.withErrorScopes('5 000 steps', async () => {
        const model = await Model.create(spec, { shared: gpu });
        await model.train({ steps: 10 });
        await model.grad();
        await model.getParams();
        const warm = live();
        const counts: number[] = [];
        for (let k = 0; k < 50; k++) {
          await model.train({ steps: 100 });
          if (k % 10 === 9) {
            await model.grad();
            await model.getParams();
          }
          counts.push(live());
        }
        model.dispose();
        return { warm, min: Math.min(...counts), max: Math.max(...counts), afterDispose: live() };
      }).finally(() => gpu.dispose());
    }, SPEC);
    expect(out.min).toBe(out.warm);
    expect(out.max).toBe(out.warm);
    expect(out.afterDispose).toBe(0);
  });

  it('device lost: calls reject with DeviceLostError, the CPU copy of the weights survives, rebuild() goes on', async () => {
    const out = await page.evaluate(async (spec) => {
      const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
      const { Model } = (await load('/src/model.ts')) as typeof import('../../src/model.ts');
      const { WebGpuBackend } = (await load('/src/webgpu/backend.ts')) as typeof import('../../src/webgpu/backend.ts');
      const gpu = await WebGpuBackend.create();
      const model = await Model.create(spec, { backend: 'webgpu' });
      const name = (err: unknown) => (err instanceof Error ? err.name : String(err));
      const stepped = await gpu.withErrorScopes('two steps', async () => { await model.step(); return model.step(); });
      await model.train({ steps: 3 });
      const copy = model.lastKnownParams();
      (model.backend as unknown as { device: GPUDevice }).device.destroy();
      const lostTrain = await model.train({ steps: 1 }).then(() => 'resolved', name);
      const lostRead = await model.getParams().then(() => 'resolved', name);
      const after = model.lastKnownParams();
      const rebuilt = await model.rebuild({ backend: 'cpu' });
      const rebuiltParams = await rebuilt.getParams();
      const { loss } = await rebuilt.train({ steps: 5 });
      const oldDisposed = await model.grad().then(() => 'resolved', name);
      const trainedOnCpu = await rebuilt.getParams();
      const onGpu = await rebuilt.rebuild({ backend: 'webgpu' });
      const gpuParams = await onGpu.getParams();
      const flat = (p: { W: Float32Array[]; b: Float32Array[] }) => [...p.W.flatMap((w) => Array.from(w)), ...p.b.flatMap((b) => Array.from(b))];
      const result = {
        copyIsSecondStep: JSON.stringify(flat(copy.params)) === JSON.stringify(flat(stepped.params)),
        stepsSince: copy.stepsSince,
        lostTrain, lostRead,
        copyKept: JSON.stringify(flat(after.params)) === JSON.stringify(flat(copy.params)),
        rebuiltKind: rebuilt.kind,
        rebuiltFromCopy: JSON.stringify(flat(rebuiltParams)) === JSON.stringify(flat(copy.params)),
        rebuiltTrains: Number.isFinite(loss),
        oldDisposed,
        onGpuKind: onGpu.kind,
        onGpuFromCopy: JSON.stringify(flat(gpuParams)) === JSON.stringify(flat(trainedOnCpu)),
        cpuTrainingMoved: JSON.stringify(flat(trainedOnCpu)) !== JSON.stringify(flat(copy.params)),
      };
      onGpu.dispose();
      gpu.dispose();
      return result;
    }, SPEC);
    expect(out).toEqual({
      // The copy is the last read-back (the second step's parameters); the 3 train() steps after it are not in it.
      copyIsSecondStep: true, stepsSince: 3,
      lostTrain: 'DeviceLostError', lostRead: 'DeviceLostError', copyKept: true,
      rebuiltKind: 'cpu', rebuiltFromCopy: true, rebuiltTrains: true, oldDisposed: 'DisposedError',
      // Rebuilt again on a new WebGPU device from the CPU model's copy, which getParams() refreshed after 5 steps.
      onGpuKind: 'webgpu', onGpuFromCopy: true, cpuTrainingMoved: true,
    });
  });

  it('left no page errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
