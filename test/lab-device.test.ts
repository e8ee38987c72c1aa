/** The lab's device choice (src/lab/device.ts): a software adapter starts on the CPU and says why. */
import { describe, expect, it } from 'vitest';
import { chooseDevice, isSoftwareAdapter } from '../src/lab/device.ts';

describe('chooseDevice', () => {
  it('no WebGPU: the CPU, with the reason', () => {
    const c = chooseDevice({ available: false, reason: 'navigator.gpu is undefined' });
    expect(c).toMatchObject({ start: 'cpu', auto: 'cpu', software: false });
    expect(c.why).toMatch(/navigator\.gpu is undefined/);
  });

  it('SwiftShader (a fallback adapter, or architecture swiftshader): auto says WebGPU, the lab starts on the CPU', () => {
    for (const a of [
      { available: true, vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: false },
      { available: true, vendor: 'google', architecture: '', isFallbackAdapter: true },
    ]) {
      expect(isSoftwareAdapter(a)).toBe(true);
      const c = chooseDevice(a);
      expect(c).toMatchObject({ start: 'cpu', auto: 'webgpu', software: true });
      expect(c.why).toMatch(/CPU path is faster here/);
    }
  });

  it('a hardware adapter: WebGPU, the engine\'s auto choice', () => {
    const c = chooseDevice({ available: true, vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false, description: 'NVIDIA H200' });
    expect(c).toMatchObject({ start: 'webgpu', auto: 'webgpu', software: false });
    expect(c.why).toMatch(/NVIDIA H200/);
  });
});
