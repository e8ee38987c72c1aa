/**
 * The lab's device choice (src/lab/device.ts), the engine's 'auto' (src/backends.ts, createBackend): WebGPU on a
 * hardware adapter; on a software adapter or without WebGPU the wasm backend, saying why; the CPU only without
 * WebAssembly SIMD.
 */
import { describe, expect, it } from 'vitest';
import { chooseDevice, deviceName, isSoftwareAdapter } from '../src/lab/device.ts';

const swiftshader = [
  { available: true, vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: false },
  { available: true, vendor: 'google', architecture: '', isFallbackAdapter: true },
];
const hardware = { available: true, vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false, description: 'NVIDIA H200' };

describe('chooseDevice', () => {
  it('no WebGPU: wasm SIMD with the reason; the CPU where wasm SIMD is missing too', () => {
    const none = { available: false, reason: 'navigator.gpu is undefined' };
    const c = chooseDevice(none, true);
    expect(c).toMatchObject({ start: 'wasm', software: false });
    expect(c.why).toMatch(/navigator\.gpu is undefined.*fastest CPU path/);
    const plain = chooseDevice(none, false);
    expect(plain.start).toBe('cpu');
    expect(plain.why).toMatch(/navigator\.gpu is undefined.*no WebAssembly SIMD/);
  });

  it('SwiftShader (a fallback adapter, or architecture swiftshader): starts on wasm and says why; the CPU without wasm SIMD', () => {
    for (const a of swiftshader) {
      expect(isSoftwareAdapter(a)).toBe(true);
      const c = chooseDevice(a, true);
      expect(c).toMatchObject({ start: 'wasm', software: true });
      expect(c.why).toMatch(/^Training on WebAssembly SIMD: .*(SwiftShader|fallback adapter).*emulated on the CPU.*fastest CPU path/);
      expect(chooseDevice(a, false)).toMatchObject({ start: 'cpu', software: true });
    }
  });

  it('a hardware adapter: WebGPU, with or without wasm SIMD', () => {
    expect(isSoftwareAdapter(hardware)).toBe(false);
    for (const simd of [true, false]) {
      const c = chooseDevice(hardware, simd);
      expect(c).toMatchObject({ start: 'webgpu', software: false });
      expect(c.why).toMatch(/NVIDIA H200/);
    }
  });

  it('names each device in words', () => {
    expect([deviceName('webgpu'), deviceName('wasm'), deviceName('cpu')]).toEqual(['WebGPU', 'WebAssembly SIMD', 'the CPU']);
  });
});
