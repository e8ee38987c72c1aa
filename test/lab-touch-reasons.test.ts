/**
 * Reasons a touch user could not read (left60): each was a title alone, read on hover, and a tablet has none. Verify
 * off for want of WebGPU and WebAssembly SIMD said "needs WebGPU or WebAssembly SIMD" as its title only; the "Train on"
 * switch's wasm choice, off beside a GPU in a browser without SIMD, said "no WebAssembly SIMD here" as its title only
 * (the sentence under the switch named the GPU); the net editor's output units, "fixed by the labels y", as the
 * disabled field's title only. Now each is on the page: a line under Verify (#verify-why), a sentence after the one
 * under the switch, the layers table's caption. The drawn page on the stand-in DOM of test/lib/fake-dom.ts, in a
 * browser without WebAssembly SIMD (page.ts's wasmSimd mocked: Node has SIMD).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chooseDevice, switchOffLine, verifyOffLine, whyText } from '../src/lab/device.ts';
import { drawDevice, wireDevice } from '../src/lab/device-panel.ts';
import { NetEditor } from '../src/lab/editor.ts';
import { page } from '../src/lab/page.ts';
import { FakeElement, fakeDocument } from './lib/fake-dom.ts';
import { devicePage } from './lib/device-page.ts';
import { worked } from './lib/lab-nets.ts';

vi.mock('../src/lab/page.ts', async (original) => ({ ...(await original<typeof import('../src/lab/page.ts')>()), wasmSimd: false }));

const gpu = { available: true, description: 'NVIDIA GeForce RTX 3060', vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: false };
const none = { available: false, reason: 'navigator.gpu is not defined' };
const NO_SIMD = 'no WebAssembly SIMD here';

describe('the words (device.ts)', () => {
  it("wasm's reason is said after the sentence only where the sentence does not say it already: beside a GPU", () => {
    expect(switchOffLine(chooseDevice(gpu, false), false)).toBe(`The wasm choice is off: ${NO_SIMD}.`);
    expect(whyText(chooseDevice(gpu, false), 'webgpu')).not.toContain(NO_SIMD);
    // Without WebGPU the CPU's sentence says it (and the switch's wasm reason is the same words).
    expect(whyText(chooseDevice(none, false), 'cpu')).toContain(NO_SIMD);
    expect(switchOffLine(chooseDevice(none, false), false)).toBe('');
    // With SIMD the wasm choice is on.
    expect(switchOffLine(chooseDevice(gpu, true), true)).toBe('');
  });

  it("Verify's line only where it has nothing to compare with the CPU", () => {
    expect(verifyOffLine(none, false)).toMatch(/^Verify is off: .*neither WebGPU nor WebAssembly SIMD\.$/);
    expect(verifyOffLine(none, true)).toBe('');
    expect(verifyOffLine(gpu, false)).toBe('');
  });
});

describe('the page without WebAssembly SIMD', () => {
  const el = devicePage({});

  it('no WebGPU either: Verify off, and the line under it says why; the wasm radio off, its reason in the sentence', () => {
    Object.assign(page, { adapter: none, session: null, gpu: null });
    wireDevice(async () => undefined, async () => undefined);
    drawDevice();
    expect(el('verify').disabled).toBe(true);
    expect(el('verify-why').textContent).toBe(verifyOffLine(none, false));
    expect(el('verify-why').textContent).toContain('neither WebGPU nor WebAssembly SIMD');
    expect(el('backend-wasm').disabled).toBe(true);
    expect(el('device-why').textContent).toContain(NO_SIMD);
  });

  it('no WebGPU either, a net on the CPU: the button, off, names no device it cannot run ("Verify wasm = CPU" before)', () => {
    // A session on the CPU with no GPU: verify.ts verifyAgainst would pick wasm, which this browser cannot run.
    const session = { kind: 'cpu', wasm: null, description: 'CPU', history: [], verifyAgainst: () => 'wasm' };
    Object.assign(page, { adapter: none, session, gpu: null });
    wireDevice(async () => undefined, async () => undefined);
    drawDevice();
    expect(el('verify').disabled).toBe(true);
    expect(el('verify').textContent).toBe('Verify against the CPU');
  });

  it('beside a GPU: Verify on, no line under it; the wasm radio off and the sentence under the switch says why', () => {
    Object.assign(page, { adapter: gpu, session: null, gpu: null });
    wireDevice(async () => undefined, async () => undefined);
    drawDevice();
    expect(el('verify-why').textContent).toBe('');
    expect(el('backend-wasm').title).toBe(NO_SIMD);
    expect(el('device-why').textContent).toMatch(/^Training on the GPU \(NVIDIA GeForce RTX 3060\): .*\. The wasm choice is off: no WebAssembly SIMD here\.$/);
  });
});

describe("the net editor's caption", () => {
  beforeEach(() => vi.stubGlobal('document', fakeDocument));
  afterEach(() => vi.unstubAllGlobals());

  it('says the output units are fixed by the labels y, with their count (the field is disabled; its title is hover-only)', () => {
    const form = new FakeElement('form');
    const editor = new NetEditor(form as unknown as HTMLFormElement, () => undefined);
    // The 2-2-1 lecture: 2 inputs, 1 output unit.
    editor.show(worked.spec, 1, 1);
    const find = (e: FakeElement): FakeElement | undefined => e.children.find((c) => c.tagName === 'caption') ?? e.children.map(find).find(Boolean);
    expect(find(form)?.textContent).toBe('Layers (2 inputs, fixed by the data x; 1 output unit, by the labels y)');
  });
});
