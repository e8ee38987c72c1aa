/**
 * Verify's button says what it compares (src/lab/verify.ts verifyAgainst, src/lab/device.ts verifyLabel, LabSession.verifyAgainst):
 * on the CPU it read "Verify device = CPU" while it compared WebGPU (or, without a usable GPU, wasm) with the CPU.
 * The rule, from README ("Verify"): the session's own device when it is WebGPU or wasm; on the CPU, the page's WebGPU
 * device while it is not lost, else wasm.
 */
import { describe, expect, it } from 'vitest';
import { verifyLabel } from '../src/lab/device.ts';
import { verifyAgainst } from '../src/lab/verify.ts';
import { checkLabSpec, LabSession } from '../src/lab/session.ts';
import { xorSpec } from './lib/lab-nets.ts';

describe("Verify's button label", () => {
  it('on the CPU with a usable WebGPU device it compares WebGPU with the CPU, and says so', () => {
    expect(verifyAgainst('cpu', true)).toBe('webgpu');
    expect(verifyLabel('webgpu')).toBe('Verify WebGPU = CPU');
  });

  it('on the CPU without one (none, or lost) it compares wasm; on wasm, wasm; on WebGPU, WebGPU', () => {
    expect(verifyAgainst('cpu', false)).toBe('wasm');
    expect(verifyAgainst('wasm', true)).toBe('wasm');
    expect(verifyAgainst('wasm', false)).toBe('wasm');
    expect(verifyAgainst('webgpu', true)).toBe('webgpu');
    expect(verifyLabel('wasm')).toBe('Verify wasm = CPU');
  });

  it('before a net is loaded it names no device it cannot know', () => {
    expect(verifyLabel(null)).toBe('Verify against the CPU');
  });

  it('a CPU session in a page without WebGPU checks against wasm, and its Verify reports the same', async () => {
    const s = await LabSession.open(checkLabSpec(xorSpec()), 'cpu', null);
    expect(s.verifyAgainst()).toBe('wasm');
    expect((await s.verify()).against).toBe('wasm');
    s.dispose();
  });
});
