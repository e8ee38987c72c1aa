/**
 * The device sentence names the device the net trains on (src/lab/device.ts whyText): on a software adapter, a
 * student who switches to the CPU is told "the CPU", not the WebGPU sentence meant for a switch to the emulated GPU;
 * and Verify's line gives each quantity its own measured difference (src/lab/words.ts verifyLine).
 */
import { describe, expect, it } from 'vitest';
import { chooseDevice, whyText } from '../src/lab/device.ts';
import { verifyLine } from '../src/lab/words.ts';

const swiftshader = { available: true, vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: false };

describe('whyText on a software adapter', () => {
  it("a switch to the CPU says the CPU as you chose, with auto's wasm and its reason; only a switch to WebGPU gets the emulation sentence", () => {
    const c = chooseDevice(swiftshader, true);
    expect(c.start).toBe('wasm');
    const cpu = whyText(c, 'cpu');
    expect(cpu).toMatch(/^Training on the CPU as you chose\. \(The engine's 'auto' takes WebAssembly SIMD: the adapter is SwiftShader/);
    expect(cpu).not.toMatch(/WebGPU as you chose/);
    expect(whyText(c, 'webgpu')).toMatch(/^Training on WebGPU as you chose: this adapter emulates a GPU on the CPU/);
  });
});

describe("Verify's line", () => {
  it('gives each of loss, Z, A, δ, dW and db its own difference (here 1 … 6 × 10⁻⁷), and the largest', () => {
    const r = { loss: 1e-7, Z: 2e-7, A: 3e-7, delta: 4e-7, dW: 5e-7, db: 6e-7, max: 6e-7, n: 4, against: 'wasm' as const };
    expect(verifyLine(r, { available: false, reason: 'none' })).toBe(
      'WebAssembly SIMD against the CPU: max |wasm − CPU| = 6.00e-7 over one forward and backward pass of 4 examples ' +
        '(loss 1.0e-7, Z 2.0e-7, A 3.0e-7, δ 4.0e-7, dW 5.0e-7, db 6.0e-7).',
    );
  });
});
