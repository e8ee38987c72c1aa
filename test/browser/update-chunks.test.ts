/**
 * The update kernels' chunked and folded paths (src/webgpu/update.ts) on a small net. On a real device they need
 * params past maxStorageBufferBindingSize (chunks) or past 65 535 workgroups × 128 vec4s ≈ 134 MB (folds); here
 * the backend's updateLimits are lowered to 4 864-byte chunks (19 × 256) and 2 workgroups per dimension, so the
 * 10 240 bytes of params below are 3 chunks, the first two of 3 workgroups folded into 2 × 2 (one of them past the
 * end: the kernels' bounds check), and max_abs loops over its chunks with 2 workgroups. For each of sgd (Model.train:
 * shaders/update.wgsl OPT sgd), fit's sgd / momentum (plain and Nesterov) / adam / adamw (OPT momentum, adam) and max |θ| (max_abs.wgsl):
 * - bitwise the same parameters (and optimiser state) as a backend with the device's limits (one chunk, no fold),
 *   whose kernels are the same per-element float32 arithmetic — any element a chunk or a fold skips, repeats or
 *   misplaces shows;
 * - within a stated bound of the CPU oracle (src/cpu);
 * - max |θ| equal to the host's max over the read-back parameters, with the largest |θ| placed in each chunk in turn
 *   and at the last float of the first two chunks.
 */
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import type { OptimizerSpec } from '../../src/train/optimizers.ts';
import { deviceUpdateLimits, planUpdate, type UpdateLimits } from '../../src/webgpu/update.ts';
import { useHarnessPage } from './lib.ts';
import { fitRel } from '../lib/fit-compare.ts';

let page: Page;
const consoleErrors: string[] = [];
useHarnessPage(consoleErrors, (p) => {
  page = p;
});

/**
 * SHARED: one backend with the device's limits and fused 'off' (globalThis.chunksGpu in the page), made by the first
 * test that wants it and kept for the next: a fresh device compiles every pipeline again (~1 s a device on SwiftShader).
 * The tests that change a backend's settings (stepsPerSubmission, updateLimits) make their own.
 */
const LOW: UpdateLimits = { chunkBytes: 19 * 256, groupsPerDimension: 2 };
/** 20-100-3: W_1 8 000 B (8 192 aligned), b_1 400 (512), W_2 1 200 (1 280), b_2 12 (256): 10 240 bytes of params. */
const SPEC = {
  inputs: 20, layers: [{ units: 100, activation: 'tanh' }, { units: 3, activation: 'identity' }], loss: 'mse',
  init: { scheme: 'xavier', seed: 4 },
};
const PARAM_BYTES = 10_240;
const OPTIMIZERS: OptimizerSpec[] = [
  { name: 'sgd', lr: 0.1, weightDecay: 0.01 },
  { name: 'momentum', lr: 0.05, momentum: 0.9 }, // heavy ball: update.wgsl's non-Nesterov branch
  { name: 'momentum', lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.001 },
  { name: 'adam', lr: 0.01, weightDecay: 0.001 },
  { name: 'adamw', lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.05 },
];

interface Row { what: string; steps: number; bitwise: boolean; state: boolean; cpuDiff: number; maxAbs: boolean }

describe('train() past stepsPerSubmission (src/webgpu/net.ts run)', () => {
  it('10 steps at 3 a submission: 4 submissions, parameters and loss bitwise those of one submission', async () => {
    const out = await page.evaluate(async (spec) => {
      const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
      const { Model } = (await load('/src/model.ts')) as typeof import('../../src/model.ts');
      const { WebGpuBackend } = (await load('/src/webgpu/backend.ts')) as typeof import('../../src/webgpu/backend.ts');
      type P = { W: Float32Array[]; b: Float32Array[] };
      const bits = (p: P) => JSON.stringify([...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))));
      const x = Array.from({ length: 8 }, (_, i) => Array.from({ length: spec.inputs }, (_, j) => Math.sin(i + 0.3 * j)));
      const y = x.map((r) => [r[0], r[1] * r[2], Math.cos(r[3])]);
      // fused 'off': the per-kernel path, where the steps are encoded one by one. `one`: the file's shared backend (SHARED).
      const [one, split] = [await ((globalThis as unknown as { chunksGpu?: ReturnType<typeof WebGpuBackend.create> }).chunksGpu ??= WebGpuBackend.create({ fused: 'off' })), await WebGpuBackend.create({ fused: 'off' })];
      split.stepsPerSubmission = 3;
      try {
        const run = async (gpu: typeof one) => {
          const model = await Model.create({ ...spec, x, y, lr: 0.05 }, { shared: gpu });
          const submit = gpu.device.queue.submit.bind(gpu.device.queue);
          let submissions = 0;
          gpu.device.queue.submit = (buffers: Iterable<GPUCommandBuffer>) => { submissions++; submit(buffers); };
          const { loss } = await model.train({ steps: 10 });
          gpu.device.queue.submit = submit;
          const params = bits(await model.getParams());
          model.dispose();
          return { loss, params, submissions };
        };
        const [a, b] = [await run(one), await run(split)];
        return { a, b };
      } finally {
        split.dispose();
      }
    }, SPEC);
    // the train() call's own submissions: 1 with the default, ⌈10 / 3⌉ = 4 when split (reads come after)
    expect(out.b.submissions - out.a.submissions).toBe(3);
    expect(out.b.params).toBe(out.a.params);
    expect(Object.is(out.b.loss, out.a.loss)).toBe(true);
  });
});

describe('fit and predict past stepsPerSubmission (src/webgpu/train.ts runBatches, predict)', () => {
  it('fit (adam, batchesPerSubmission 10) and predict / evaluate at 3 batches a submission: bitwise those of one submission', async () => {
    const out = await page.evaluate(async (spec) => {
      const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
      const { Model } = (await load('/src/model.ts')) as typeof import('../../src/model.ts');
      const { WebGpuBackend } = (await load('/src/webgpu/backend.ts')) as typeof import('../../src/webgpu/backend.ts');
      type P = { W: Float32Array[]; b: Float32Array[] };
      const bits = (p: P) => JSON.stringify([...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))));
      const f32 = (rows: number[][]) => JSON.stringify(rows.map((r) => Array.from(new Uint32Array(Float32Array.from(r).buffer))));
      // 23 examples in batches of 2: 12 batches, the last of 1 (the remainder net) — 4 submissions of 3 when split
      const x = Array.from({ length: 23 }, (_, i) => Array.from({ length: spec.inputs }, (_, j) => Math.sin(i + 0.3 * j)));
      const y = x.map((r) => [r[0], r[1] * r[2], Math.cos(r[3])]);
      const [one, split] = [await WebGpuBackend.create(), await WebGpuBackend.create()];
      split.stepsPerSubmission = 3;
      try {
        const run = async (gpu: typeof one) => {
          const model = await Model.create({ ...spec, x, y, lr: 0.05 }, { shared: gpu });
          const submit = gpu.device.queue.submit.bind(gpu.device.queue);
          let fitSubmissions = 0;
          let predictSubmissions = 0;
          let counting: 'fit' | 'predict' | null = null;
          gpu.device.queue.submit = (buffers: Iterable<GPUCommandBuffer>) => {
            if (counting === 'fit') fitSubmissions++;
            if (counting === 'predict') predictSubmissions++;
            submit(buffers);
          };
          counting = 'fit';
          // Adam's per-step scalars (bias corrections) sit in the uniform slots: a slot misplaced across submissions shows.
          const history = await model.fit({ epochs: 2, batchSize: 2, shuffle: { seed: 5 }, batchesPerSubmission: 10, optimizer: { name: 'adam', lr: 0.01 } });
          counting = 'predict';
          const predicted = f32(await model.predict(x));
          const evaluated = await model.evaluate(x, y);
          counting = null;
          gpu.device.queue.submit = submit;
          const params = bits(await model.getParams());
          model.dispose();
          return { losses: history.map((e) => e.loss), params, predicted, evaluated: evaluated.loss, fitSubmissions, predictSubmissions };
        };
        return { a: await run(one), b: await run(split) };
      } finally {
        one.dispose();
        split.dispose();
      }
    }, SPEC);
    // per epoch, 12 batches as submissions of 10 and 2: unsplit 2, split ⌈10/3⌉ + ⌈2/3⌉ = 5, so 3 more an epoch (the
    // epoch-end reads alike); predict's 12 batches: 1 against ⌈12/3⌉ = 4, for predict and evaluate each
    expect(out.b.fitSubmissions - out.a.fitSubmissions).toBe(2 * 3);
    expect(out.b.predictSubmissions - out.a.predictSubmissions).toBe(2 * 3);
    expect(out.b.params).toBe(out.a.params);
    expect(out.b.losses).toEqual(out.a.losses);
    expect(out.b.predicted).toBe(out.a.predicted);
    expect(Object.is(out.b.evaluated, out.a.evaluated)).toBe(true);
  });
});

describe('update kernels: chunked and folded dispatches (lowered limits) against one dispatch and the CPU', () => {
  it('the lowered limits plan 3 chunks, two folded into 2-D; the device limits plan one unfolded dispatch', () => {
    const low = planUpdate(PARAM_BYTES, LOW);
    expect(low.map((c) => [c.start, c.size, c.count, c.groups.x, c.groups.y, c.maxAbsGroups])).toEqual([
      [0, 4864, 304, 2, 2, 2], [4864, 4864, 304, 2, 2, 2], [9728, 512, 32, 1, 1, 1],
    ]);
    const device = planUpdate(PARAM_BYTES, deviceUpdateLimits(1 << 27));
    expect(device.map((c) => [c.start, c.size, c.groups.y])).toEqual([[0, PARAM_BYTES, 1]]);
  });

  it("updateLimits: past the device's binding, not whole 256-byte blocks, or no workgroups is a SpecError naming the field, the limits kept", async () => {
    const out = await page.evaluate(async (low) => {
      const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
      const { WebGpuBackend } = (await load('/src/webgpu/backend.ts')) as typeof import('../../src/webgpu/backend.ts');
      const gpu = await WebGpuBackend.create({ fused: 'off' });
      try {
        const device = { ...gpu.updateLimits };
        const binding = gpu.limits.maxStorageBufferBindingSize;
        const tries: [string, unknown][] = [
          ['one block past the binding', { chunkBytes: Math.floor(binding / 256) * 256 + 256, groupsPerDimension: 2 }],
          ['300 bytes', { chunkBytes: 300, groupsPerDimension: 2 }],
          ['0 bytes', { chunkBytes: 0, groupsPerDimension: 2 }],
          ['0 workgroups', { chunkBytes: 256, groupsPerDimension: 0 }],
          ['65 536 workgroups', { chunkBytes: 256, groupsPerDimension: 65_536 }],
        ];
        const refused = tries.map(([what, limits]) => {
          try {
            gpu.updateLimits = limits as typeof low;
            return { what, error: 'none' };
          } catch (e) {
            return { what, error: `${(e as Error).name} ${(e as { field?: string }).field}` };
          }
        });
        const kept = { ...gpu.updateLimits };
        gpu.updateLimits = low;
        // Frozen: set whole, through the check (page.evaluate's function is sloppy code, where writing to it is ignored).
        const frozen = Object.isFrozen(gpu.updateLimits);
        (gpu.updateLimits as { chunkBytes: number }).chunkBytes = 300;
        return { binding, device, refused, kept, lowered: { ...gpu.updateLimits }, frozen };
      } finally {
        gpu.dispose();
      }
    }, LOW);
    expect(out.device).toEqual({ chunkBytes: Math.floor(out.binding / 256) * 256, groupsPerDimension: 65535 });
    expect(out.refused).toEqual([
      { what: 'one block past the binding', error: 'SpecError updateLimits.chunkBytes' },
      { what: '300 bytes', error: 'SpecError updateLimits.chunkBytes' },
      { what: '0 bytes', error: 'SpecError updateLimits.chunkBytes' },
      { what: '0 workgroups', error: 'SpecError updateLimits.groupsPerDimension' },
      { what: '65 536 workgroups', error: 'SpecError updateLimits.groupsPerDimension' },
    ]);
    expect(out.kept).toEqual(out.device);
    expect(out.lowered).toEqual(LOW);
    expect(out.frozen).toBe(true);
  });

  it('sgd (train), fit with sgd / momentum / adam / adamw, max |θ|: bitwise one dispatch, within the bound of the CPU', async () => {
    const rows = await page.evaluate(async (spec, low, optimizers) => {
      const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
      const { Model } = (await load('/src/model.ts')) as typeof import('../../src/model.ts');
      const { WebGpuBackend } = (await load('/src/webgpu/backend.ts')) as typeof import('../../src/webgpu/backend.ts');
      const { mulberry32 } = (await load('/src/init.ts')) as typeof import('../../src/init.ts');
      type P = { W: Float32Array[]; b: Float32Array[] };
      const bits = (p: P) => JSON.stringify([...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))));
      const relDiff = (p: P, q: P) => {
        let worst = 0;
        const qs = [...q.W, ...q.b];
        [...p.W, ...p.b].forEach((a, i) => a.forEach((v, k) => { worst = Math.max(worst, Math.abs(v - qs[i][k]) / Math.max(1, Math.abs(qs[i][k]))); }));
        return worst;
      };
      const hostMax = (p: P) => Math.max(...[...p.W, ...p.b].map((a) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
      const rand = mulberry32(21);
      const n = 8;
      const x = Array.from({ length: n }, () => Array.from({ length: spec.inputs }, () => 2 * rand() - 1));
      const y = x.map((r) => [Math.sin(r[0]), Math.cos(r[1]), r[2] * r[3]]);
      // fused 'off': Model.train takes the per-kernel path (update.wgsl); fit always does. `ref`: the file's shared backend (SHARED).
      const ref = await ((globalThis as unknown as { chunksGpu?: ReturnType<typeof WebGpuBackend.create> }).chunksGpu ??= WebGpuBackend.create({ fused: 'off' }));
      const lowered = await WebGpuBackend.create({ fused: 'off' });
      lowered.updateLimits = low;
      const out: Row[] = [];
      try {
        await lowered.withErrorScopes('chunked updates', async () => {
          const make = async () => [
            await Model.create({ ...spec, x, y }, { shared: lowered }),
            await Model.create({ ...spec, x, y }, { shared: ref }),
            await Model.create({ ...spec, x, y }, { backend: 'cpu' }),
          ];
          // sgd: Model.train, 6 steps; its max |θ| is max_abs over the chunks.
          {
            const [a, r, c] = await make();
            const steps = 6;
            const ta = await a.train({ steps, lr: 0.2 });
            await r.train({ steps, lr: 0.2 });
            await c.train({ steps, lr: 0.2 });
            const pa = await a.getParams();
            out.push({ what: 'sgd (train)', steps, bitwise: bits(pa) === bits(await r.getParams()), state: true, cpuDiff: relDiff(pa, await c.getParams()), maxAbs: ta.maxAbsParam === hostMax(pa) });
            a.dispose(); r.dispose(); c.dispose();
          }
          // fit: batch 3 of 8 examples (a partial last batch: the remainder net's grads update through the chunks too).
          for (const optimizer of optimizers) {
            const [a, r, c] = await make();
            const run = { batchSize: 3, epochs: 2, optimizer, shuffle: { seed: 5 } };
            await a.fit(run);
            await r.fit(run);
            await c.fit(run);
            const pa = await a.getParams();
            const sa = a.optimizerState()!;
            const sr = r.optimizerState()!;
            const stateEqual = Object.keys(sr.slots).every((k) => bits(sa.slots[k]) === bits(sr.slots[k])) && sa.t === sr.t;
            out.push({ what: `fit ${optimizer.name}${optimizer.nesterov ? ' (nesterov)' : ''}`, steps: 6, bitwise: bits(pa) === bits(await r.getParams()), state: stateEqual, cpuDiff: relDiff(pa, await c.getParams()), maxAbs: true });
            a.dispose(); r.dispose(); c.dispose();
          }
          // max |θ| with the largest |θ| (−50) in chunk 1 (W_1[0][7]), chunk 2 (W_1[75][0], byte 6 000) and chunk 3 (b_2[2]),
          // then at the last float of chunk 1 (W_1 flat 1 215: byte 4 860) and of chunk 2 (W_2 at float 2 176, flat 255:
          // float 2 431, byte 9 724), each in its chunk's last vec4 (max_abs.wgsl reads vec4s up to the chunk's count).
          const [m, mRef, mCpu] = await make();
          mRef.dispose();
          mCpu.dispose();
          const p0 = await m.getParams();
          for (const [what, place] of [
            ['max |θ|, chunk 1', (p: P) => { p.W[0][7] = -50; }],
            ['max |θ|, chunk 2', (p: P) => { p.W[0][1500] = -50; }],
            ['max |θ|, chunk 3', (p: P) => { p.b[1][2] = -50; }],
            ['max |θ|, last float of chunk 1', (p: P) => { p.W[0][1215] = -50; }],
            ['max |θ|, last float of chunk 2', (p: P) => { p.W[1][255] = -50; }],
          ] as const) {
            const p = { W: p0.W.map((a) => a.slice()), b: p0.b.map((a) => a.slice()) };
            place(p);
            await m.setParams(p);
            const t = await m.train({ steps: 1, lr: 1e-6 });
            const after = await m.getParams();
            out.push({ what, steps: 1, bitwise: true, state: true, cpuDiff: 0, maxAbs: t.maxAbsParam === hostMax(after) && hostMax(after) > 49 });
          }
          m.dispose();
        });
      } finally {
        lowered.dispose();
      }
      return out;
    }, SPEC, LOW, OPTIMIZERS);
    // NOTE: the CPU rounds p − lr·g once from float64 and sums in another order; the GPU rounds lr·g to float32
    // first (update.wgsl's NOTE): ~1e-7 relative per step, compounding through the gradients — fit.test.ts's bound.
    const ok = rows.map((r) => ({ what: r.what, bitwise: r.bitwise, state: r.state, nearCpu: r.cpuDiff < fitRel(r.steps), maxAbs: r.maxAbs }));
    expect(ok).toEqual(rows.map((r) => ({ what: r.what, bitwise: true, state: true, nearCpu: true, maxAbs: true })));
  });

  it("Adam's and AdamW's first step: within a few float32 roundings of the CPU's (no bias from 1 − β in float32)", async () => {
    const worst = await page.evaluate(async () => {
      const load = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
      const { Model } = (await load('/src/model.ts')) as typeof import('../../src/model.ts');
      const { WebGpuBackend } = (await load('/src/webgpu/backend.ts')) as typeof import('../../src/webgpu/backend.ts');
      const spec = { inputs: 3, layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'identity' }], loss: 'mse', init: { scheme: 'xavier', seed: 9 } } as const;
      const x = [[0.5, -1, 0.25], [1, 0.75, -0.5], [-0.25, 0.5, 1], [0.8, -0.6, 0.3]];
      const y = [[1, 0], [0, 1], [0.5, -0.5], [-1, 0.25]];
      const gpu = await ((globalThis as unknown as { chunksGpu?: ReturnType<typeof WebGpuBackend.create> }).chunksGpu ??= WebGpuBackend.create({ fused: 'off' })); // the file's shared backend (SHARED)
      const out: Record<string, number> = {};
      for (const optimizer of [{ name: 'adam', lr: 0.1 }, { name: 'adamw', lr: 0.1, weightDecay: 0.5 }] as const) {
        const run = { x, y, batchSize: 4, epochs: 1, shuffle: false as const, optimizer };
        const [g, c] = [await Model.create(spec, { shared: gpu }), await Model.create(spec, { backend: 'cpu' })];
        await g.fit(run);
        await c.fit(run);
        const [pg, pc] = [await g.getParams(), await c.getParams()];
        const cs = [...pc.W, ...pc.b];
        // |gpu − cpu| in units of (one float32 ulp of p + 1e-6·lr)
        let w = 0;
        [...pg.W, ...pg.b].forEach((a, i) => a.forEach((v, k) => {
          const p = cs[i][k];
          const ulp = 2 ** (Math.floor(Math.log2(Math.max(Math.abs(p), 2 ** -126))) - 23);
          w = Math.max(w, Math.abs(v - p) / (ulp + 1e-6 * optimizer.lr));
        }));
        out[optimizer.name] = w;
        g.dispose(); c.dispose();
      }
      return out;
    });
    // NOTE: Adam's first step is lr·m̂/(√v̂ + eps) ≈ lr·sign(dW) here (every |dW| ≫ eps), so the GPU's other summation
    // order barely moves it: what is left is p's rounding (an ulp) and a few float32 roundings of the step (1e-6·lr).
    // Measured 0.26 (adam) and 0.46 (adamw) of these units; with 1 − β2 taken in float32 from β2 = 0.999 (1.29e-5
    // too small) the step was 6.4e-6 too large: 6.5 and 6.4 units.
    expect(worst).toEqual({ adam: expect.any(Number), adamw: expect.any(Number) });
    expect(worst.adam).toBeLessThanOrEqual(1);
    expect(worst.adamw).toBeLessThanOrEqual(1);
  });

  it('left no page errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
