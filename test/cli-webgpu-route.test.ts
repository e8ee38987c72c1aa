/**
 * `train --backend webgpu` passes the live line's onBatch to the WebGPU route (review mutants4, mutant C14b in
 * src/cli/train.ts), and --webgpu-variant's value. Its own file: the route is replaced (vi.mock of src/cli/webgpu.ts) by the same fit in Node on the
 * CPU, every argument passed on, so that no GPU is needed.
 */
import { expect, it, vi } from 'vitest';
import type { FitPayload } from '../src/browser/harness.ts';
import type { EpochLog, FitProgress } from '../src/train/fit.ts';
import type { NetworkSpec } from '../src/spec.ts';

// The WebGPU route without a GPU: openWebGpu's fit runs the same fit in Node on the CPU, passing every argument on.
const opened: unknown[][] = [];
vi.mock('../src/cli/webgpu.ts', async (original) => {
  const { fitInNode } = await import('../src/cli/in-node.ts');
  return {
    // The flag's own check (webgpuVariantFlag) is the real one; the route records what it was asked to open.
    webgpuVariantFlag: (await original<typeof import('../src/cli/webgpu.ts')>()).webgpuVariantFlag,
    openWebGpu: async (...args: unknown[]) => (opened.push(args), {
      where: '(fake, in Node)',
      fit: (spec: unknown, payload: FitPayload, _o: object, save: boolean, onEpoch: (e: EpochLog) => void, onBatch?: (g: FitProgress) => void) =>
        fitInNode(spec, payload, save, onEpoch, 'cpu', {}, onBatch),
      close: async () => {},
    }),
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
