/**
 * Which device the lab trains on, and why — in words a student can read. No DOM (test/lab-device.test.ts).
 *
 * The engine's `'auto'` (src/model.ts, createBackend) takes WebGPU whenever an adapter gives a device, and the CPU
 * otherwise. On a software adapter — SwiftShader, Chromium's CPU emulation of a GPU, reported as a fallback
 * adapter or with architecture 'swiftshader' — that is the slow choice: every kernel is emulated on the CPU
 * behind a GPU driver model, so the lab's small nets train many times faster on the plain CPU path
 * (`npm run bench` measures the ratio on this machine). There the lab starts on the CPU and says so.
 */
import type { AdapterReport } from '../browser/harness.ts';

export type LabDevice = 'webgpu' | 'cpu';

export interface DeviceChoice {
  /** What the lab starts on. */
  start: LabDevice;
  /** What the engine's 'auto' would pick here, and why. */
  auto: LabDevice;
  autoWhy: string;
  /** One sentence for the page: where the lab trains and why. */
  why: string;
  /** A software (emulated) adapter. */
  software: boolean;
}

/** SwiftShader or another fallback adapter: a GPU emulated on the CPU. */
export function isSoftwareAdapter(a: AdapterReport): boolean {
  return a.available && (a.isFallbackAdapter === true || /swiftshader/i.test(`${a.architecture ?? ''} ${a.description ?? ''} ${a.vendor ?? ''}`));
}

export function chooseDevice(a: AdapterReport): DeviceChoice {
  if (!a.available) {
    const autoWhy = `no WebGPU device here (${a.reason ?? 'unknown reason'})`;
    return { start: 'cpu', auto: 'cpu', autoWhy, why: `Training on the CPU: ${autoWhy}.`, software: false };
  }
  const name = a.description || [a.vendor, a.architecture].filter(Boolean).join(' ') || 'a WebGPU adapter';
  if (isSoftwareAdapter(a)) {
    const which = /swiftshader/i.test(`${name} ${a.architecture ?? ''}`) ? 'SwiftShader' : 'a fallback adapter';
    const autoWhy = `an adapter (${which}) gave a device`;
    return {
      start: 'cpu', auto: 'webgpu', autoWhy, software: true,
      why: `The WebGPU adapter here is ${which}, a GPU emulated on the CPU: the CPU path is faster here, so the lab starts on the CPU. The engine's 'auto' would take WebGPU (${autoWhy}).`,
    };
  }
  const autoWhy = `an adapter (${name}) gave a device`;
  return { start: 'webgpu', auto: 'webgpu', autoWhy, software: false, why: `Training on the GPU (${name}): the engine's 'auto' choice, because ${autoWhy}.` };
}
