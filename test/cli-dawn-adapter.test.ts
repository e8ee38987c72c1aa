/**
 * The Dawn route's adapter report (src/cli/dawn.ts DawnGpu.adapter) passes on what the adapter says of itself: a
 * software adapter (SwiftShader, isFallbackAdapter true) is reported as such, a hardware one as hardware, and the
 * route names itself Dawn. A SwiftShader run reported as a hardware GPU would have a user read CPU-emulation timings
 * as their GPU's. WebGpuBackend is a stand-in here (no Dawn needed): create returns the adapter the test names.
 */
import { expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => ({ info: { vendor: '', architecture: '', device: '', description: '', isFallbackAdapter: false }, asked: [] as unknown[] }));

vi.mock('../src/webgpu/backend.ts', () => ({
  WebGpuBackend: {
    create: async (o: unknown) => {
      fake.asked.push(o);
      return { adapterInfo: fake.info, description: `WebGPU: ${fake.info.vendor} ${fake.info.architecture}`, variant: 'tiled' };
    },
  },
}));

const { DawnGpu } = await import('../src/cli/dawn.ts');

it.each([
  [{ vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader Device', isFallbackAdapter: true }],
  [{ vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H100', isFallbackAdapter: false }],
])('DawnGpu.adapter says what the adapter says of itself: %j', async (info) => {
  fake.info = info;
  const gpu = await DawnGpu.open('tiled');
  expect(fake.asked.at(-1)).toEqual({ variant: 'tiled' });
  expect([gpu.route, gpu.where]).toEqual(['dawn', 'in Node on Dawn (npm package webgpu)']);
  expect(await gpu.adapter()).toEqual({
    available: true, description: `WebGPU: ${info.vendor} ${info.architecture}`, vendor: info.vendor, architecture: info.architecture,
    device: info.device, adapterDescription: info.description,
    isFallbackAdapter: info.isFallbackAdapter, variant: 'tiled',
  });
});
