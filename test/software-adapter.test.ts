/**
 * One answer to "is this WebGPU adapter a software GPU?" (src/webgpu/software-adapter.ts isSoftwareAdapter): the
 * fallback flag, or SwiftShader (any case) named in the vendor, architecture, device or a description. And every
 * place that decides it uses that answer, so an adapter that names SwiftShader WITHOUT the flag (Chromium has reported
 * it both ways) is a software GPU for all of them: the engine's variant leniency (backend.ts), the lab's words and
 * start (lab/device.ts), the 3-D loss surface's refusal (lab/surface-gpu.ts), the demo's note (cli/demo.ts) and the
 * bench's config f skip (bench/measure.ts skipReason). Before, the last three looked at the flag alone, and the engine
 * at every name but the vendor. Expected values are worked by hand from that rule.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONFIG_F } from '../bench/configs.ts';
import { skipReason } from '../bench/measure.ts';
import { softwareNote } from '../src/cli/demo.ts';
import { LimitError, WebGPUUnavailableError } from '../src/errors.ts';
import { adapterWords, chooseDevice, fallbackRow, isSoftwareAdapter as labSoftware } from '../src/lab/device.ts';
import { startGpu, Unavailable } from '../src/lab/surface-gpu.ts';
import { engineDescription, WebGpuBackend } from '../src/webgpu/backend.ts';
import { isSoftwareAdapter } from '../src/webgpu/software-adapter.ts';

const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
afterEach(() => {
  vi.unstubAllGlobals();
  if (saved) Object.defineProperty(globalThis, 'navigator', saved);
  else delete (globalThis as { navigator?: unknown }).navigator;
});

const FIELDS = ['vendor', 'architecture', 'device', 'description', 'adapterDescription'] as const;
const NAMES = ['SwiftShader', 'swiftshader', 'SWIFTSHADER', 'Google SwiftShader', 'SwiftShader Device (Subzero)'];
const HARDWARE = { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H100', isFallbackAdapter: false };

describe('isSoftwareAdapter', () => {
  it('the fallback flag alone: software, whatever the names say', () => {
    expect(isSoftwareAdapter({ isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter({ ...HARDWARE, isFallbackAdapter: true })).toBe(true);
  });

  it('SwiftShader in any one field, in any case, flag false or absent: software', () => {
    for (const field of FIELDS) {
      for (const name of NAMES) {
        expect(isSoftwareAdapter({ [field]: name }), `${field}: ${name}`).toBe(true);
        expect(isSoftwareAdapter({ [field]: name, isFallbackAdapter: false }), `${field}: ${name}, flag false`).toBe(true);
      }
    }
  });

  it('a real GPU (nvidia hopper, NVIDIA H100), empty fields, no fields: not software', () => {
    expect(isSoftwareAdapter(HARDWARE)).toBe(false);
    expect(isSoftwareAdapter({ vendor: '', architecture: '', device: '', description: '', adapterDescription: '', isFallbackAdapter: false })).toBe(false);
    expect(isSoftwareAdapter({})).toBe(false);
    // 'swift' or 'shader' alone is not the name.
    expect(isSoftwareAdapter({ vendor: 'swift', architecture: 'shader', description: 'swift shader' })).toBe(false);
  });
});

/** Stand-in adapters that name SwiftShader in one field and do NOT set the flag (the case the sites missed). */
const UNFLAGGED = [
  { vendor: 'google', architecture: 'swiftshader', device: '', adapterDescription: '' },
  { vendor: 'google', architecture: '', device: 'SwiftShader Device', adapterDescription: '' },
  { vendor: 'google', architecture: '', device: '', adapterDescription: 'SwiftShader Device (Subzero)' },
].map((names) => ({ available: true, ...names, isFallbackAdapter: false }));

describe("the bench's config f skip (bench/measure.ts skipReason)", () => {
  it('SwiftShader named, flag false: config f skipped as on a fallback adapter; a hardware adapter runs it', () => {
    for (const webgpu of UNFLAGGED) {
      expect(skipReason('ours-webgpu', CONFIG_F, false, { runner: 'browser', webgpu }), JSON.stringify(webgpu)).toMatch(/^config f skipped on a software GPU \(the fallback adapter or SwiftShader; npm run bench -- --configs f --gpu-sized-on-fallback runs it/);
      expect(skipReason('ours-webgpu', CONFIG_F, true, { runner: 'browser', webgpu })).toBeNull();
    }
    const { description, ...names } = HARDWARE;
    expect(skipReason('ours-webgpu', CONFIG_F, false, { runner: 'browser', webgpu: { available: true, ...names, adapterDescription: description } })).toBeNull();
  });
});

describe("the demo's note (src/cli/demo.ts softwareNote)", () => {
  const NOTE = '    The WebGPU adapter is a software fallback (e.g. SwiftShader runs WebGPU on the CPU): its speed says nothing about a GPU.';
  it('SwiftShader named, flag false: the note; flagged: the note; a hardware adapter or none: no note', () => {
    for (const a of UNFLAGGED) expect(softwareNote({ ...a, description: 'WebGPU: google, blocked kernels' }), JSON.stringify(a)).toBe(NOTE);
    expect(softwareNote({ available: true, vendor: 'google', architecture: '', isFallbackAdapter: true })).toBe(NOTE);
    expect(softwareNote({ available: true, ...HARDWARE })).toBeNull();
    expect(softwareNote(undefined)).toBeNull();
  });
});

describe("the lab's choice and words (src/lab/device.ts)", () => {
  it('SwiftShader named only in the device or the adapter\'s own description, flag false: software, starts on wasm, says SwiftShader', () => {
    // The report's `description` is the engine's (vendor and architecture), which names nothing here.
    for (const a of UNFLAGGED.slice(1).map((u) => ({ ...u, description: 'WebGPU: google, blocked kernels' }))) {
      expect(labSoftware(a), JSON.stringify(a)).toBe(true);
      expect(adapterWords(a)).toBe('SwiftShader, a GPU emulated on the CPU');
      const c = chooseDevice(a, true);
      expect([c.start, c.software, c.why]).toEqual(['wasm', true, 'Training on WebAssembly SIMD: the adapter is SwiftShader, a GPU emulated on the CPU; wasm SIMD is the fastest CPU path.']);
    }
  });

  it('a hardware adapter: WebGPU, by its name; an unavailable one is not software', () => {
    const a = { available: true, vendor: 'nvidia', architecture: 'hopper', device: '', adapterDescription: 'NVIDIA H100', isFallbackAdapter: false, description: 'NVIDIA H100' };
    expect(labSoftware(a)).toBe(false);
    expect(chooseDevice(a, true)).toMatchObject({ start: 'webgpu', software: false });
    expect(labSoftware({ available: false, architecture: 'swiftshader' })).toBe(false);
  });

  it("the device panel's 'WebGPU fallback adapter' row: the flag, and an unflagged SwiftShader said to be emulated all the same", () => {
    expect(fallbackRow({ available: true, vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true })).toBe('yes — a CPU emulation of a GPU: SwiftShader');
    expect(fallbackRow({ available: true, vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: false })).toBe('no, but it names SwiftShader: a CPU emulation of a GPU all the same');
    expect(fallbackRow({ available: true, vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false })).toBe('no');
  });
});

// ffleft64: the row said "(e.g. SwiftShader)" for any fallback adapter, and the engine's description "unknown adapter"
// where the browser names none: Firefox 153's fallback (Mesa's lavapipe) reports vendor, architecture, device and
// description all '' (bench/results/firefox-63-quick-webgpu.json's env.webgpu) and is neither SwiftShader nor unknown.
describe("a fallback adapter in the adapter info's own words (Firefox's: no name)", () => {
  const FIREFOX = { vendor: '', architecture: '', device: '', description: '', isFallbackAdapter: true };
  it("the device panel's row: SwiftShader only where the info names it; another's own name; none, said so", () => {
    expect(fallbackRow({ available: true, ...FIREFOX, description: 'WebGPU: unnamed adapter (fallback adapter), blocked kernels', adapterDescription: '' }))
      .toBe('yes — a CPU emulation of a GPU, which the browser does not name (no vendor, architecture or description)');
    expect(fallbackRow({ available: true, vendor: 'mesa', architecture: 'llvmpipe', isFallbackAdapter: true })).toBe('yes — a CPU emulation of a GPU: mesa llvmpipe');
    expect(fallbackRow({ available: true, vendor: '', architecture: '', adapterDescription: 'llvmpipe (LLVM 19.1.7, 256 bits)', isFallbackAdapter: true }))
      .toBe('yes — a CPU emulation of a GPU: llvmpipe (LLVM 19.1.7, 256 bits)');
  });

  it("the engine's description (WebGpuBackend.description): 'unnamed adapter' where the info names nothing, else its name", () => {
    expect(engineDescription(FIREFOX, 'blocked')).toBe('WebGPU: unnamed adapter (fallback adapter), blocked kernels');
    expect(engineDescription({ ...FIREFOX, vendor: 'google', architecture: 'swiftshader' }, 'blocked-subgroup')).toBe('WebGPU: google swiftshader (fallback adapter), blocked-subgroup kernels');
    expect(engineDescription({ ...FIREFOX, description: 'NVIDIA H100', isFallbackAdapter: false }, 'tiled')).toBe('WebGPU: NVIDIA H100, tiled kernels');
  });
});

/** navigator.gpu with one adapter: its info and features; requestDevice records the call and fails. */
function standIn(info: Record<string, unknown>, features: string[] = []): { requestDevice: unknown[] } {
  const calls = { requestDevice: [] as unknown[] };
  const adapter = {
    features: new Set(features),
    limits: { maxStorageBufferBindingSize: 1 << 27, maxBufferSize: 1 << 28, maxComputeWorkgroupStorageSize: 16384 },
    info,
    requestDevice: async (descriptor: unknown) => {
      calls.requestDevice.push(descriptor);
      throw new Error('stand-in adapter: no device');
    },
  };
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: { requestAdapter: async () => adapter, getPreferredCanvasFormat: () => 'bgra8unorm' } }, configurable: true, writable: true });
  return calls;
}

describe("the engine's variant leniency (WebGpuBackend.create, softwareFallback: 'auto' on a software adapter)", () => {
  // A subgroup variant on an adapter without `subgroups`: a LimitError on a hardware adapter; on a software one under
  // createBackend's 'auto' (softwareFallback) the engine takes a variant it can run, and asks for a device.
  it('SwiftShader named only as the vendor, flag false: no LimitError, a device is asked for', async () => {
    const calls = standIn({ vendor: 'SwiftShader', architecture: '', device: '', description: '', isFallbackAdapter: false });
    const err = await WebGpuBackend.create({ variant: 'subgroup', softwareFallback: true }).catch((e: unknown) => e);
    expect([(err as Error).name, (err as WebGPUUnavailableError).reason]).toEqual(['WebGPUUnavailableError', 'device']);
    expect(calls.requestDevice).toHaveLength(1);
  });

  it('a hardware adapter: the LimitError naming variant, before any device', async () => {
    const calls = standIn({ ...HARDWARE });
    const err = await WebGpuBackend.create({ variant: 'subgroup', softwareFallback: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LimitError);
    expect((err as LimitError).field).toBe('variant');
    expect(calls.requestDevice).toEqual([]);
  });
});

describe("the 3-D loss surface's refusal (src/lab/surface-gpu.ts startGpu)", () => {
  const REFUSAL = 'the adapter is a fallback (software) adapter, where a WebGPU canvas can lose the device and take training with it; tick "3-D on a software adapter" to try anyway';
  it('SwiftShader named, flag false: refused before any device unless allowed', async () => {
    for (const info of [{ vendor: 'google', architecture: 'swiftshader' }, { vendor: 'google', architecture: '', description: 'SwiftShader Device' }, { vendor: 'google', device: 'SwiftShader' }]) {
      const calls = standIn({ ...info, isFallbackAdapter: false });
      const err = await startGpu({} as HTMLCanvasElement, {}).catch((e: unknown) => e);
      expect(err, JSON.stringify(info)).toBeInstanceOf(Unavailable);
      expect((err as Error).message).toBe(REFUSAL);
      expect(calls.requestDevice).toEqual([]);
      // Allowed: the device is asked for (the stand-in's fails, so the heatmap says that instead).
      const allowed = await startGpu({} as HTMLCanvasElement, { allowFallbackAdapter: true }).catch((e: unknown) => e);
      expect((allowed as Error).message).toBe('requestDevice failed: stand-in adapter: no device');
      expect(calls.requestDevice).toHaveLength(1);
    }
  });

  it('a hardware adapter: not refused, the device is asked for', async () => {
    const calls = standIn({ ...HARDWARE });
    const err = await startGpu({} as HTMLCanvasElement, {}).catch((e: unknown) => e);
    expect((err as Error).message).toBe('requestDevice failed: stand-in adapter: no device');
    expect(calls.requestDevice).toHaveLength(1);
  });
});
