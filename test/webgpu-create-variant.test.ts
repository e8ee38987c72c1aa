/**
 * Which kernel variant WebGpuBackend.create picks (src/webgpu/backend.ts), with no GPU: a stand-in navigator.gpu whose
 * adapter hands out a stand-in device (shader modules that compile clean, layouts as plain objects), so that create()
 * runs to the end and the backend's `variant` and description can be read (review wgmut55: with 'auto''s hardware
 * branches swapped the Dawn run stays green — SwiftShader is a software adapter — and so did every stand-in test, whose
 * requestDevice fails before the choice). The rule, README / WebGpuOptions.variant: on a software adapter
 * 'blocked-subgroup' with the `subgroups` feature and 'blocked' without; otherwise 'subgroup' with it, 'tiled' without;
 * createBackend's softwareFallback keeps 'auto''s pick where a subgroup variant asked for cannot run.
 * And the binding limit compile checks against (maxBindingBytes, the smaller of maxStorageBufferBindingSize and
 * maxBufferSize): a W between the two is refused with LimitError before any buffer (the Dawn run's limit checks use
 * sizes past both, so the larger of the two went through it green; on a device the bind would fail instead).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LimitError } from '../src/errors.ts';
import { validateSpec } from '../src/spec.ts';
import { WebGpuBackend } from '../src/webgpu/backend.ts';

const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
const savedStage = (globalThis as { GPUShaderStage?: unknown }).GPUShaderStage;

beforeEach(() => {
  (globalThis as { GPUShaderStage?: unknown }).GPUShaderStage = { VERTEX: 1, FRAGMENT: 2, COMPUTE: 4 };
});
afterEach(() => {
  if (saved) Object.defineProperty(globalThis, 'navigator', saved);
  else delete (globalThis as { navigator?: unknown }).navigator;
  (globalThis as { GPUShaderStage?: unknown }).GPUShaderStage = savedStage;
});

/** navigator.gpu with one adapter (`features`, SwiftShader or a hardware name) whose devices are stand-ins; requestDevice's descriptors. */
function standInGpu(features: string[], software: boolean): { requested: GPUDeviceDescriptor[] } {
  const requested: GPUDeviceDescriptor[] = [];
  const limits = { maxStorageBufferBindingSize: 1 << 27, maxBufferSize: 1 << 28, maxComputeWorkgroupStorageSize: 32768 };
  const adapter = {
    features: new Set(features),
    limits,
    info: software
      ? { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: false }
      : { vendor: 'nvidia', architecture: 'ampere', device: '', description: '', isFallbackAdapter: false },
    requestDevice: async (descriptor: GPUDeviceDescriptor) => {
      requested.push(descriptor);
      return {
        features: new Set(descriptor.requiredFeatures ?? []),
        limits,
        lost: new Promise(() => undefined),
        pushErrorScope: () => undefined,
        popErrorScope: async () => null,
        createShaderModule: () => ({ getCompilationInfo: async () => ({ messages: [] }) }),
        createBindGroupLayout: () => ({}),
        createPipelineLayout: () => ({}),
        destroy: () => undefined,
      };
    },
  };
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: { requestAdapter: async () => adapter } }, configurable: true, writable: true });
  return { requested };
}

describe("WebGpuBackend.create's kernel variant on a stand-in device (src/webgpu/backend.ts)", () => {
  const cases: [string, string[], boolean, string][] = [
    ['a GPU with subgroups', ['subgroups'], false, 'subgroup'],
    ['a GPU without subgroups', [], false, 'tiled'],
    ['SwiftShader with subgroups', ['subgroups'], true, 'blocked-subgroup'],
    ['SwiftShader without subgroups', [], true, 'blocked'],
  ];
  for (const [what, features, software, want] of cases) {
    it(`'auto' on ${what}: '${want}', the feature requested where the adapter has it`, async () => {
      const { requested } = standInGpu(features, software);
      const gpu = await WebGpuBackend.create();
      try {
        expect(gpu.variant).toBe(want);
        expect(gpu.swiftshader).toBe(software);
        expect(gpu.description.endsWith(`, ${want} kernels`)).toBe(true);
        expect(requested.map((d) => d.requiredFeatures)).toEqual([features]);
      } finally {
        gpu.dispose();
      }
    });
  }

  it("a variant asked for is kept; softwareFallback on SwiftShader without subgroups takes 'auto''s 'blocked' for 'subgroup'", async () => {
    standInGpu(['subgroups'], false);
    const tiled = await WebGpuBackend.create({ variant: 'tiled' });
    expect(tiled.variant).toBe('tiled');
    tiled.dispose();
    standInGpu([], true);
    const fallback = await WebGpuBackend.create({ variant: 'subgroup', softwareFallback: true });
    expect(fallback.variant).toBe('blocked');
    fallback.dispose();
  });
});

describe('the binding limit compile checks W against (src/webgpu/backend.ts maxBindingBytes, net.ts planLayout)', () => {
  it('2²⁷-byte bindings in 2²⁸-byte buffers: a W of 8192 × 4097 floats (2²⁷ + 32 768 bytes) is a LimitError naming layers[0], no buffer made', async () => {
    standInGpu([], false);
    const gpu = await WebGpuBackend.create();
    try {
      expect(gpu.maxBindingBytes).toBe(2 ** 27);
      const { net } = validateSpec({ inputs: 4097, layers: [{ units: 8192, activation: 'identity' }], loss: 'mse' });
      const err = (() => { try { gpu.compile(net, 1); return null; } catch (e) { return e; } })();
      expect(err).toBeInstanceOf(LimitError);
      expect((err as LimitError).field).toBe('layers[0]');
      expect(gpu.buffers.created).toBe(0);
    } finally {
      gpu.dispose();
    }
  });
});
