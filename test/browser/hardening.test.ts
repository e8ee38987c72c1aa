/**
 * Issue 11 on WebGPU, in the page: divergence caught on the call that makes a parameter non-finite (the max |θ|
 * reduction of shaders/max_abs.wgsl, read with the loss) and a real, bitwise restore, on both run paths (fused
 * small-net kernel and per-kernel dispatches); the reduction equal to the host's max over the read-back parameters;
 * the device budget refused before any GPU buffer; backend names refused; two batch sizes in turn compile two
 * step nets (a spare swapped in), the live buffers then steady, none left after dispose.
 */
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { useHarnessPage } from './lib.ts';

let page: Page;
const consoleErrors: string[] = [];

useHarnessPage(consoleErrors, (p) => {
  page = p;
});

/** A linear net on large inputs: one step at lr 1e38 takes W past the float32 range; the loss before it is finite. */
const LINEAR = { inputs: 2, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[0.5, -0.25]]], b: [[0.1]] }, x: [[30, -40]], y: [[1]] };

describe('WebGPU: divergence after the update, max |θ|', () => {
  for (const fused of ['on', 'off'] as const) {
    it(`fused ${fused}: train and step at lr 1e38 throw DivergedError on that call, restored bitwise; max |θ| is the host's`, async () => {
      const out = await page.evaluate(async (spec, mode) => {
        const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
        const { Model } = (await load('/src/model.ts')) as typeof import('../../src/model.ts');
        const { WebGpuBackend } = (await load('/src/webgpu/backend.ts')) as typeof import('../../src/webgpu/backend.ts');
        const gpu = await WebGpuBackend.create({ fused: mode });
        const bits = (p: { W: Float32Array[]; b: Float32Array[] }) => JSON.stringify([...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))));
        const hostMax = (p: { W: Float32Array[]; b: Float32Array[] }) => {
          let m = 0;
          for (const a of [...p.W, ...p.b]) for (const v of a) m = Math.max(m, Math.abs(v));
          return m;
        };
        return gpu.withErrorScopes('divergence', async () => {
          const result: Record<string, unknown> = {};
          const model = await Model.create(spec, { shared: gpu });
          for (const call of ['train', 'step'] as const) {
            const before = bits(await model.getParams());
            try {
              if (call === 'train') await model.train({ steps: 1, lr: 1e38 });
              else await model.step(1e38);
              result[call] = 'resolved';
            } catch (err) {
              const e = err as { name: string; loss: number; maxAbs: number };
              result[call] = `${e.name} loss finite ${Number.isFinite(e.loss)} maxAbs ${e.maxAbs}`;
            }
            result[`${call} restored`] = bits(await model.getParams()) === before;
          }
          const ok = await model.train({ steps: 3, lr: 1e-4 });
          result.next = Number.isFinite(ok.loss) && ok.maxAbsParam === hostMax(await model.getParams());
          model.dispose();
          // Weights near 1e5 with a finite loss: not an error, reported.
          const big = await Model.create({ inputs: 1, layers: [{ units: 1, activation: 'identity' }], loss: 'mse', params: { W: [[[-1e5]]], b: [[0]] }, x: [[0]], y: [[1]], lr: 0.1 }, { shared: gpu });
          result.big = (await big.train({ steps: 3 })).maxAbsParam;
          big.dispose();
          // A wider net (22 000 parameters: many invocations, each looping) after 20 steps: the reduction equals the host's max.
          const wide = await Model.create({
            inputs: 64, layers: [{ units: 300, activation: 'tanh' }, { units: 10, activation: 'identity', bias: 'shared' }], loss: 'mse',
            init: { scheme: 'xavier', seed: 5 }, x: Array.from({ length: 4 }, (_, c) => Array.from({ length: 64 }, (_, j) => Math.sin(c * 64 + j))),
            y: Array.from({ length: 4 }, (_, c) => Array.from({ length: 10 }, (_, j) => Math.cos(c + j))), lr: 0.05,
          }, { shared: gpu });
          const r = await wide.train({ steps: 20 });
          const p = await wide.getParams();
          result.wide = { reduced: r.maxAbsParam, host: hostMax(p), count: [...p.W, ...p.b].reduce((s, a) => s + a.length, 0) };
          wide.dispose();
          return result;
        }).finally(() => gpu.dispose());
      }, LINEAR as unknown, fused);
      expect(out.train).toBe('DivergedError loss finite true maxAbs Infinity');
      expect(out.step).toBe('DivergedError loss finite true maxAbs Infinity');
      expect(out['train restored']).toBe(true);
      expect(out['step restored']).toBe(true);
      expect(out.next).toBe(true);
      expect(out.big).toBe(1e5);
      const wide = out.wide as { reduced: number; host: number; count: number };
      expect(wide.count).toBe(64 * 300 + 300 + 300 * 10 + 1);
      expect(wide.reduced).toBe(wide.host);
    });
  }

  it('a budget over the device: LimitError before any GPU buffer (create and rebuild, whose model goes on); backend names refused', async () => {
    const out = await page.evaluate(async (spec) => {
      const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
      const { Model } = (await load('/src/model.ts')) as typeof import('../../src/model.ts');
      const { WebGpuBackend } = (await load('/src/webgpu/backend.ts')) as typeof import('../../src/webgpu/backend.ts');
      const gpu = await WebGpuBackend.create();
      const created = gpu.buffers.created;
      const outcome = async (make: () => Promise<{ dispose(): void }>) => {
        try {
          (await make()).dispose();
          return 'resolved';
        } catch (err) {
          const e = err as { name: string; field?: string; message: string };
          return `${e.name} ${e.field}: ${e.message}`;
        }
      };
      const tryCreate = (options: object) => outcome(() => Model.create(spec, options));
      const onCpu = await Model.create(spec, { backend: 'cpu' });
      const result = {
        device: await tryCreate({ shared: gpu, budget: { deviceBytes: 100 } }),
        rebuild: await outcome(() => onCpu.rebuild({ shared: gpu, budget: { deviceBytes: 100 } })),
        noBuffers: gpu.buffers.created === created,
        cpuGoesOn: await outcome(() => onCpu.grad().then(() => onCpu)),
        gpu: await tryCreate({ backend: 'gpu' }),
        CPU: await tryCreate({ backend: 'CPU' }),
      };
      gpu.dispose();
      return result;
    }, LINEAR as unknown);
    expect(out.device).toMatch(/^LimitError x: .*GPU memory.*over the device budget of 100 bytes/);
    expect(out.rebuild).toBe(out.device);
    expect(out.noBuffers).toBe(true);
    expect(out.cpuGoesOn).toBe('resolved');
    expect(out.gpu).toMatch(/^SpecError backend: .*must be one of 'auto', 'cpu', 'webgpu'.*got "gpu"/);
    expect(out.CPU).toMatch(/^SpecError backend: .*got "CPU"/);
  });

  it('two batch sizes that alternate (3 examples, then 1): two compiles, live buffers steady, none left after dispose', async () => {
    const out = await page.evaluate(async () => {
      const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
      const { Model } = (await load('/src/model.ts')) as typeof import('../../src/model.ts');
      const { WebGpuBackend } = (await load('/src/webgpu/backend.ts')) as typeof import('../../src/webgpu/backend.ts');
      const gpu = await WebGpuBackend.create();
      let compiles = 0;
      const compile = gpu.compile.bind(gpu);
      gpu.compile = (...args) => (compiles++, compile(...args));
      const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
      const Y = [[0], [1], [1], [0]];
      const model = await Model.create({ inputs: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 }, lr: 0.5 }, { shared: gpu });
      const before = gpu.buffers.created - gpu.buffers.destroyed;
      const pass = async () => {
        await model.train({ steps: 1, x: X.slice(0, 3), y: Y.slice(0, 3) });
        await model.train({ steps: 1, x: X.slice(3), y: Y.slice(3) });
      };
      const live: number[] = [];
      for (let k = 0; k < 10; k++) {
        await pass();
        live.push(gpu.buffers.created - gpu.buffers.destroyed);
      }
      const result = { compiles, live, liveBefore: before, liveAfterDispose: -1 };
      model.dispose();
      result.liveAfterDispose = gpu.buffers.created - gpu.buffers.destroyed;
      gpu.dispose();
      return result;
    });
    expect(out.compiles).toBe(2);
    // From the second pass on (each net's params staging buffer is made on its first read, at the first swap).
    expect(out.live.slice(1)).toEqual(out.live.slice(1).map(() => out.live[1]));
    expect(out.live[1]).toBeGreaterThan(out.liveBefore);
    expect(out.liveAfterDispose).toBe(out.liveBefore);
  });

  it('left no page errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
