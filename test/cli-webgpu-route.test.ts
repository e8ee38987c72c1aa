/**
 * `train --backend webgpu` passes the live line's onBatch to the WebGPU route (review mutants4, mutant C14b in
 * src/cli/train.ts), and --webgpu-variant's value; what grad, train and check --json say ran on that route (backend,
 * webgpuRoute, webgpuVariant: src/cli/ran.ts) and check's report naming the kernels. Its own file: the route is
 * replaced (vi.mock of src/cli/webgpu.ts) by the same work in Node on the CPU, every argument passed on, so that no
 * GPU is needed.
 */
import { expect, it, vi } from 'vitest';
import type { FitPayload } from '../src/browser/harness.ts';
import type { EpochLog, FitProgress } from '../src/train/fit.ts';
import type { NetworkSpec } from '../src/spec.ts';
import { lecture } from '../src/lectures/index.ts';

const LECTURE_SPEC = lecture('lecture-2-2-1').worked.spec;

// The WebGPU route without a GPU: openWebGpu's calls run the same work in Node on the CPU, passing every argument on;
// the route is named 'chromium' and its adapter reports the kernels it was opened with (auto: 'blocked-subgroup', as
// on SwiftShader), as the real routes do (src/cli/browser.ts, src/cli/dawn.ts).
const opened: unknown[][] = [];
vi.mock('../src/cli/webgpu.ts', async (original) => {
  const real = await original<typeof import('../src/cli/webgpu.ts')>();
  const { fitInNode, modelGrad, withNodeModel } = await import('../src/cli/in-node.ts');
  const { stepOf } = await import('../src/browser/plain.ts');
  const openWebGpu = async (...args: unknown[]) => (opened.push(args), {
    where: '(fake, in Node)',
    route: 'chromium' as const,
    adapter: async () => ({ available: true, variant: (args[0] as string | undefined) ?? 'blocked-subgroup' }),
    // The CPU's pass, named as the route's pass is (the backend the page made: 'webgpu').
    grad: async (spec: unknown) => ({ ...await modelGrad(spec, 'cpu'), backend: 'webgpu' }),
    step: (spec: unknown, lr?: number) => withNodeModel(spec, 'cpu', (m) => stepOf(m, lr)),
    fit: (spec: unknown, payload: FitPayload, options: object, save: boolean, onEpoch: (e: EpochLog) => void, onBatch?: (g: FitProgress) => void) =>
      fitInNode(spec, payload, options, save, onEpoch, 'cpu', {}, onBatch),
    close: async () => {},
  });
  return {
    // The flag's own check (webgpuVariantFlag) and what an open route ran on (ranOnGpu) are the real ones; the route
    // records what it was asked to open.
    webgpuVariantFlag: real.webgpuVariantFlag,
    ranOnGpu: real.ranOnGpu,
    openWebGpu,
    onWebGpu: async <T>(work: (gpu: Awaited<ReturnType<typeof openWebGpu>>) => Promise<T>, variant?: string) => work(await openWebGpu(variant)),
  };
});

it('--backend webgpu: the live line inside each epoch too (onBatch reaches the WebGPU route)', async () => {
  const { runTrain } = await import('../src/cli/train.ts');
  const x = Array.from({ length: 8 }, (_, k) => [k % 2, (k >> 1) % 2]);
  const spec = { inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 }, x, y: x.map(([a, b]) => [a ^ b]), batchSize: 2, epochs: 2 };
  const shown: string[] = [];
  const code = await runTrain(spec as NetworkSpec, { backend: 'webgpu', json: false }, () => {}, () => {}, { show: (t) => shown.push(t), clear: () => {} });
  expect(code).toBe(0);
  expect(shown.map((t) => /^epoch (\d)\/2 .* batch (\d\/\d)$/.exec(t)?.slice(1).join(' '))).toEqual(['1 4/4', '2 4/4']);
});

it('--webgpu-variant reaches the WebGPU route (openWebGpu opens that variant); without it, the route picks (undefined)', async () => {
  const { runTrain } = await import('../src/cli/train.ts');
  const spec = { inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 }, x: [[0, 1]], y: [[1]], epochs: 1 };
  opened.length = 0;
  for (const webgpuVariant of ['tiled', undefined]) {
    expect(await runTrain(spec as NetworkSpec, { backend: 'webgpu', webgpuVariant, json: false }, () => {}, () => {})).toBe(0);
  }
  expect(opened).toEqual([['tiled'], [undefined]]);
});

it('train --resume --backend webgpu: the checkpoint (payload.resume) and the epochs to run more (options) reach the WebGPU route', async () => {
  const { runTrain } = await import('../src/cli/train.ts');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const x = Array.from({ length: 8 }, (_, k) => [k % 2, (k >> 1) % 2]);
  const spec = { inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 1 }, x, y: x.map(([a, b]) => [a ^ b]), batchSize: 2, epochs: 2 };
  const ckpt = join(mkdtempSync(join(tmpdir(), 'backprop-route-')), 'run.ckpt');
  const run = async (s: NetworkSpec | undefined, flags: object) => {
    const out: string[] = [];
    expect(await runTrain(s, { backend: 'webgpu', json: true, ...flags }, (t) => out.push(t), () => {})).toBe(0);
    return JSON.parse(out.join('')) as { history: { epoch: number }[]; params: unknown };
  };
  await run(spec as NetworkSpec, { save: ckpt });
  const resumed = await run(undefined, { resume: ckpt, epochs: '3' });
  expect(resumed.history.map((e) => e.epoch)).toEqual([3, 4, 5]);
  expect(resumed.params).toEqual((await run(spec as NetworkSpec, { epochs: '5' })).params);
});

// What ran, in --json (review cliprov35): the backend, and on WebGPU the route and kernels, as the text states them
// (the route's line and the backend's description) and as check --json names them (backend, webgpuVariant).
it('train --backend webgpu --json says what ran: backend, webgpuRoute and webgpuVariant (the route\'s report)', async () => {
  const { runTrain } = await import('../src/cli/train.ts');
  const spec = { inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'mse', init: { scheme: 'xavier', seed: 1 }, x: [[0, 1]], y: [[1]], epochs: 1 };
  const ran = async (webgpuVariant?: string) => {
    const out: string[] = [];
    expect(await runTrain(spec as NetworkSpec, { backend: 'webgpu', webgpuVariant, json: true }, (s) => out.push(s), () => {})).toBe(0);
    const { backend, threads, webgpuRoute, webgpuVariant: v } = JSON.parse(out.join('')) as Record<string, unknown>;
    return { backend, threads, webgpuRoute, webgpuVariant: v };
  };
  expect(await ran('tiled')).toEqual({ backend: 'webgpu', threads: undefined, webgpuRoute: 'chromium', webgpuVariant: 'tiled' });
  expect(await ran()).toEqual({ backend: 'webgpu', threads: undefined, webgpuRoute: 'chromium', webgpuVariant: 'blocked-subgroup' });
});

it('grad --backend both --json: each pass says what ran; maxAbsDiff compares the numbers only (0: the stand-in runs the CPU)', async () => {
  const { runGrad } = await import('../src/cli/grad.ts');
  const out: string[] = [];
  expect(await runGrad(LECTURE_SPEC, 'both', true, (s) => out.push(s), 'blocked')).toBe(0);
  const both = JSON.parse(out.join('')) as { cpu: Record<string, unknown>; webgpu: Record<string, unknown>; maxAbsDiff: number };
  expect([both.cpu.backend, both.cpu.threads, both.cpu.webgpuRoute, both.cpu.webgpuVariant]).toEqual(['cpu', undefined, undefined, undefined]);
  expect([both.webgpu.backend, both.webgpu.webgpuRoute, both.webgpu.webgpuVariant]).toEqual(['webgpu', 'chromium', 'blocked']);
  // The same CPU pass twice: the same numbers, so 0 (not Infinity: what ran differs, and is not a number to compare).
  expect(both.maxAbsDiff).toBe(0);
  const text: string[] = [];
  await runGrad(LECTURE_SPEC, 'both', false, (s) => text.push(s));
  expect(text.join('\n')).toMatch(/overall 0$/m);
});

it('check --backend webgpu: --json says the route and kernels beside the backend; the text names the kernels', async () => {
  const { runCheck } = await import('../src/cli/check.ts');
  const file = 'src/lectures/lecture-2-2-1.worked.json';
  const json: string[] = [];
  await runCheck([file], { backend: 'webgpu', knownOk: true, errataMd: false, json: true, webgpuVariant: 'tiled' }, (s) => json.push(s));
  expect(JSON.parse(json.join(''))).toMatchObject({ backend: 'webgpu', webgpuRoute: 'chromium', webgpuVariant: 'tiled', failed: false });
  const text: string[] = [];
  await runCheck([file], { backend: 'webgpu', knownOk: true, errataMd: false, webgpuVariant: 'tiled' }, (s) => text.push(s));
  expect(text.join('\n')).toMatch(/; values: the webgpu backend \(float32, tiled kernels\)$/m);
});
