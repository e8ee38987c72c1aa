/**
 * WebGpuBackend.create's variant guard, with no GPU: a stand-in navigator.gpu whose adapter lacks the `subgroups`
 * feature. Asking for a subgroup variant there must throw LimitError naming 'variant' before any device is made
 * (the stand-in's requestDevice records the call and fails). The variants themselves run against the CPU oracle in
 * test/browser/webgpu-smoke.test.ts (SwiftShader has `subgroups`, so it cannot show this error).
 * An unknown option or value (variant, fused, fusedEntry) is a SpecError naming it, before any adapter is asked for.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LimitError, SpecError, WebGPUUnavailableError } from '../src/errors.ts';
import { WebGpuBackend } from '../src/webgpu/backend.ts';

const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');

afterEach(() => {
  if (saved) Object.defineProperty(globalThis, 'navigator', saved);
  else delete (globalThis as { navigator?: unknown }).navigator;
});

/** navigator.gpu with one adapter of the given features; returns the requestAdapter count and requestDevice calls. */
function fakeGpu(features: string[]): { requestAdapter: number; requestDevice: unknown[] } {
  const calls: { requestAdapter: number; requestDevice: unknown[] } = { requestAdapter: 0, requestDevice: [] };
  const adapter = {
    features: new Set(features),
    limits: { maxStorageBufferBindingSize: 1 << 27, maxBufferSize: 1 << 28, maxComputeWorkgroupStorageSize: 16384 },
    info: { vendor: 'test', architecture: 'stand-in', device: '', description: 'no subgroups', isFallbackAdapter: false },
    requestDevice: async (descriptor: unknown) => {
      calls.requestDevice.push(descriptor);
      throw new Error('stand-in adapter: requestDevice is not expected here');
    },
  };
  const gpu = {
    requestAdapter: async () => {
      calls.requestAdapter++;
      return adapter;
    },
  };
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  return calls;
}

describe('WebGPU kernel variant needing subgroups, on an adapter without them', () => {
  for (const variant of ['subgroup', 'blocked-subgroup'] as const) {
    it(`'${variant}': LimitError naming 'variant', before any device`, async () => {
      const calls = fakeGpu(['timestamp-query']);
      const err = await WebGpuBackend.create({ variant }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LimitError);
      expect((err as LimitError).field).toBe('variant');
      expect((err as Error).message).toContain(`'${variant}'`);
      expect(calls.requestDevice).toEqual([]);
    });
  }

  it("'auto' and 'blocked' go on to request a device (the stand-in's fails: WebGPUUnavailableError, reason 'device')", async () => {
    for (const variant of ['auto', 'blocked'] as const) {
      const calls = fakeGpu([]);
      const err = await WebGpuBackend.create({ variant }).catch((e: unknown) => e);
      expect((err as Error).name).toBe('WebGPUUnavailableError');
      expect((err as WebGPUUnavailableError).reason).toBe('device');
      expect(calls.requestDevice).toHaveLength(1);
    }
  });
});

describe('WebGPUUnavailableError.reason (what the CLI acts on: src/cli/dawn.ts reruns on SwiftShader only for no-adapter)', () => {
  const withAdapter = (requestAdapter: () => Promise<unknown>) => Object.defineProperty(globalThis, 'navigator', { value: { gpu: { requestAdapter } }, configurable: true, writable: true });
  it("requestAdapter gives null: 'no-adapter'", async () => {
    withAdapter(async () => null);
    const err = await WebGpuBackend.create().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebGPUUnavailableError);
    expect((err as WebGPUUnavailableError).reason).toBe('no-adapter');
  });
  it("requestAdapter throws: 'adapter-failed'", async () => {
    withAdapter(async () => { throw new Error('stand-in: no'); });
    const err = await WebGpuBackend.create().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebGPUUnavailableError);
    expect((err as WebGPUUnavailableError).reason).toBe('adapter-failed');
  });
});

describe('WebGpuBackend.create: an unknown option or value is a SpecError naming it, before any adapter is asked for', () => {
  const bad: [string, unknown, string][] = [
    ["variant 'nonsense'", { variant: 'nonsense' }, 'variant'],
    ["variant 'Blocked'", { variant: 'Blocked' }, 'variant'],
    ["fused 'yes'", { fused: 'yes' }, 'fused'],
    ['fusedEntry 3', { fusedEntry: 3 }, 'fusedEntry'],
    ['an unknown option', { varient: 'blocked' }, 'varient'],
    ['options not an object', 'blocked', 'options'],
  ];
  for (const [what, options, field] of bad) {
    it(`${what}: SpecError naming '${field}'`, async () => {
      const calls = fakeGpu(['subgroups']);
      const err = await WebGpuBackend.create(options as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SpecError);
      expect((err as SpecError).field).toBe(field);
      expect(calls.requestAdapter).toBe(0);
      expect(calls.requestDevice).toEqual([]);
    });
  }
});
