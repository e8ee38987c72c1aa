/**
 * Which backend createBackend('auto') makes where navigator.gpu is there (a browser), in Node: the WebGPU backend
 * module is replaced by a stand-in whose create() answers as a hardware adapter, a software (SwiftShader / fallback)
 * adapter, or fails. The rule is README's ("API", backend 'auto'): WebGPU on a hardware adapter, with no notice; on a
 * software adapter or without one, wasm with one notice saying why, and `fallback` naming the reason. An explicit
 * 'webgpu' is never fallen back from. The real adapters are exercised in the browser tests (test/browser/model.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebGPUUnavailableError } from '../src/errors.ts';

/** What the stand-in's next create() does: make an adapter of this kind, or throw this error. */
let next: { swiftshader: boolean } | { error: unknown };
const made: { swiftshader: boolean; disposed: boolean; options: unknown }[] = [];

vi.mock('../src/webgpu/backend.ts', () => ({
  WebGpuBackend: {
    create: async (options: unknown) => {
      if ('error' in next) throw next.error;
      const gpu = {
        kind: 'webgpu', swiftshader: next.swiftshader, options, disposed: false,
        description: next.swiftshader ? 'WebGPU: google swiftshader (fallback adapter)' : 'WebGPU: nvidia ampere',
        dispose() { gpu.disposed = true; },
      };
      made.push(gpu);
      return gpu;
    },
  },
}));

/** When set, the wasm backend cannot be made (an engine without WebAssembly SIMD). */
let noWasm = false;
vi.mock('../src/wasm/backend.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/wasm/backend.ts')>();
  const { WasmUnavailableError } = await import('../src/errors.ts');
  const create: typeof real.WasmBackend.create = async (options) => {
    if (noWasm) throw new WasmUnavailableError('this engine has no SIMD (stand-in)');
    return real.WasmBackend.create(options);
  };
  return { ...real, WasmBackend: { create } };
});

const { checkModelOptions, createBackend } = await import('../src/backends.ts');
const { CpuBackend } = await import('../src/cpu/backend.ts');

beforeEach(() => {
  made.length = 0;
  noWasm = false;
  vi.stubGlobal('navigator', { gpu: {} });
});
afterEach(() => vi.unstubAllGlobals());

describe("createBackend('auto') where navigator.gpu exists", () => {
  it('a hardware adapter: WebGPU, no notice, no fallback, the backend kept', async () => {
    next = { swiftshader: false };
    const notices: string[] = [];
    const r = await createBackend('auto', (m) => notices.push(m), { threads: 1 });
    expect(r.backend.kind).toBe('webgpu');
    expect(r.backend).toBe(made[0]);
    expect([r.notice, r.fallback, notices, made[0].disposed]).toEqual([undefined, undefined, [], false]);
  });

  it('a software (SwiftShader) adapter: wasm, one notice naming the adapter, fallback software-adapter, the GPU backend disposed', async () => {
    next = { swiftshader: true };
    const notices: string[] = [];
    const r = await createBackend('auto', (m) => notices.push(m), { threads: 1 });
    try {
      expect(r.backend.kind).toBe('wasm');
      expect(r.fallback).toBe('software-adapter');
      expect(notices).toEqual([r.notice]);
      expect(r.notice).toContain('google swiftshader (fallback adapter)');
      expect(r.notice).toContain('training on WebAssembly SIMD instead');
      expect(made).toHaveLength(1);
      expect(made[0].disposed).toBe(true);
    } finally {
      r.backend.dispose();
    }
  });

  it("an explicit 'webgpu' on a software adapter is that adapter's WebGPU (chosen, not fallen back from)", async () => {
    next = { swiftshader: true };
    const r = await createBackend('webgpu');
    expect([r.backend.kind, r.notice, r.fallback, made[0].disposed]).toEqual(['webgpu', undefined, undefined, false]);
  });

  it("the adapter failing: 'auto' says why and which reason (the error's, else adapter-failed); 'webgpu' throws it", async () => {
    const cases: [unknown, string][] = [
      [new WebGPUUnavailableError('no adapter was found', 'no-adapter'), 'no-adapter'],
      [new WebGPUUnavailableError('requestDevice failed', 'device'), 'device'],
      [new Error('adapter lost'), 'adapter-failed'],
    ];
    for (const [error, reason] of cases) {
      next = { error };
      const notices: string[] = [];
      const r = await createBackend('auto', (m) => notices.push(m), { threads: 1 });
      try {
        expect([r.backend.kind, r.fallback, notices.length]).toEqual(['wasm', reason, 1]);
        expect(r.notice).toContain((error as Error).message);
      } finally {
        r.backend.dispose();
      }
      await expect(createBackend('webgpu')).rejects.toBe(error);
    }
  });

  it('a software adapter where wasm SIMD is missing too: the CPU, and the notice says the CPU (not WebAssembly)', async () => {
    next = { swiftshader: true };
    noWasm = true;
    const notices: string[] = [];
    const r = await createBackend('auto', (m) => notices.push(m));
    expect([r.backend.kind, r.fallback, notices]).toEqual(['cpu', 'software-adapter', [r.notice]]);
    expect(r.notice).toMatch(/no SIMD \(stand-in\) — training on the CPU instead\.$/);
    expect(r.notice).not.toContain('WebAssembly SIMD instead');
  });

  it('navigator.gpu present but undefined is no WebGPU: no adapter is asked for, wasm with the no-webgpu reason', async () => {
    vi.stubGlobal('navigator', { gpu: undefined });
    next = { swiftshader: false };
    const r = await createBackend('auto', () => {}, { threads: 1 });
    try {
      expect([r.backend.kind, r.fallback, made.length]).toEqual(['wasm', 'no-webgpu', 0]);
    } finally {
      r.backend.dispose();
    }
  });
});

it("backend 'auto' beside a shared backend is taken (the shared one's kind is what runs); another kind is refused", () => {
  const shared = new CpuBackend();
  expect(checkModelOptions({ backend: 'auto', shared }).options.shared).toBe(shared);
  expect(() => checkModelOptions({ backend: 'wasm', shared })).toThrow(/the shared backend is 'cpu'/);
});
