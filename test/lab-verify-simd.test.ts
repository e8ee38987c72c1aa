/**
 * Verify on a page with WebAssembly SIMD and no WebGPU (src/lab/device-panel.ts updateButtons): wasm is there to
 * compare with the CPU, so with a net loaded the button is on and says "Verify wasm = CPU" (README "Verify": on the
 * CPU without a WebGPU device, wasm), with no line under it; before a net is loaded it is off, "Verify against the
 * CPU". lab-touch-reasons covers the page without SIMD (page.ts's wasmSimd mocked false); here it is Node's own, true.
 */
import { describe, expect, it } from 'vitest';
import { drawDevice, wireDevice } from '../src/lab/device-panel.ts';
import { page, wasmSimd } from '../src/lab/page.ts';
import { devicePage } from './lib/device-page.ts';

const none = { available: false, reason: 'navigator.gpu is not defined' };

describe('Verify with WebAssembly SIMD and no WebGPU', () => {
  const el = devicePage({});

  it('a net on the CPU: Verify on, "Verify wasm = CPU", no line under it', () => {
    expect(wasmSimd).toBe(true);
    const session = { kind: 'cpu', wasm: null, description: 'CPU', history: [], verifyAgainst: () => 'wasm' };
    Object.assign(page, { adapter: none, session, gpu: null });
    wireDevice(async () => undefined, async () => undefined);
    drawDevice();
    expect(el('verify').disabled).toBe(false);
    expect(el('verify').textContent).toBe('Verify wasm = CPU');
    expect(el('verify-why').textContent).toBe('');
  });

  it('before a net is loaded: Verify off, naming no device', () => {
    Object.assign(page, { adapter: none, session: null, gpu: null });
    wireDevice(async () => undefined, async () => undefined);
    drawDevice();
    expect(el('verify').disabled).toBe(true);
    expect(el('verify').textContent).toBe('Verify against the CPU');
  });
});
