/**
 * Without WebGPU the sentence under the "Train on" switch (src/lab/device.ts whyText, device-panel.ts drawWhy) leaves
 * WebGPU's reason to the notice while the notice shows it: it repeated the notice's whole reason, ~4 lines (75 px) at
 * 1280 × 800, taken from the Network region's diagram (its text 7–10 px). The full sentence stays its title (hover, a
 * screen reader's description) and comes back once the notice is dismissed with its ×. The drawn page on the stand-in
 * DOM of test/lib/fake-dom.ts.
 */
import { describe, expect, it } from 'vitest';
import { chooseDevice, whyText } from '../src/lab/device.ts';
import { drawDevice, hideError, showError, wireDevice } from '../src/lab/device-panel.ts';
import { page } from '../src/lab/page.ts';
import { devicePage } from './lib/device-page.ts';

/** The browser's reason, as headless Chromium without --enable-unsafe-webgpu gives it (abridged). */
const REASON = 'requestAdapter returned null: this browser offers no WebGPU adapter (a headless Chromium needs --enable-unsafe-webgpu)';
const none = { available: false, reason: REASON };

describe('whyText with the notice showing the reason', () => {
  it("on what 'auto' takes: the device and that the notice says why, not the reason; without the notice, the reason", () => {
    for (const simd of [true, false]) {
      const c = chooseDevice(none, simd);
      const device = simd ? 'WebAssembly SIMD' : 'the CPU';
      const then = simd ? 'wasm SIMD is the fastest CPU path' : 'no WebAssembly SIMD here';
      // On wasm, why wasm over the CPU waits in the title with the reason (one line); without SIMD the notice does not
      // say why the CPU, so the sentence does.
      expect(whyText(c, c.start, null, true)).toBe(`Training on ${device}: WebGPU is unavailable here (the notice says why)${simd ? '' : `; ${then}`}.`);
      expect(whyText(c, c.start, null, false)).toBe(`Training on ${device}: no WebGPU device here (${REASON}); ${then}.`);
    }
  });

  it('the student\'s own CPU: "as you chose", auto\'s reason left to the notice; the 1-thread reason stays (the notice has none)', () => {
    const c = chooseDevice(none, true);
    expect(whyText(c, 'cpu', null, true)).toBe("Training on the CPU as you chose. (The engine's 'auto' takes WebAssembly SIMD: WebGPU is unavailable here (the notice says why).)");
    expect(whyText(c, 'wasm', { threads: 1, singleThreadReason: 'no Worker here' }, true)).toMatch(/^Training on WebAssembly SIMD: WebGPU is unavailable here \(the notice says why\)\. It runs on 1 thread: no Worker here\.$/);
  });

  it('with WebGPU there is no reason to leave out (a software adapter: no notice shows it)', () => {
    const sw = { available: true, description: 'WebGPU: google swiftshader', vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true };
    const c = chooseDevice(sw, true);
    expect(whyText(c, c.start, null, true)).toBe(whyText(c, c.start, null, false));
    expect(whyText(c, c.start, null, true)).toMatch(/SwiftShader, a GPU emulated on the CPU/);
  });
});

describe('the page: short while the notice shows the reason, whole once it is dismissed', () => {
  const el = devicePage({ adapter: none, session: null, gpu: null });

  it('the notice on: the sentence short, its title the full one; × pressed: the full sentence, no title', () => {
    wireDevice(async () => undefined, async () => undefined);
    drawDevice();
    const full = whyText(chooseDevice(none, true), 'wasm');
    expect(full).toContain(REASON);
    expect(el('notice').hidden).toBe(false);
    expect(el('notice-text').textContent).toContain(REASON);
    expect(el('device-why').textContent).toBe('Training on WebAssembly SIMD: WebGPU is unavailable here (the notice says why).');
    expect(el('device-why').title).toBe(full);
    el('notice-close').click();
    expect(el('notice').hidden).toBe(true);
    expect(el('device-why').textContent).toBe(full);
    expect(el('device-why').title).toBe('');
    // Drawn again after the next action: the dismissed notice stays dismissed, the sentence whole.
    drawDevice();
    expect(el('device-why').textContent).toBe(full);
  });

  it("an action's error takes the warning's place: the notice no longer says why, so the sentence is whole at once", () => {
    // A reason of its own: the page shows a warning once per reason (device-panel.ts warnedReason), and the case above
    // showed REASON's.
    const lost = { available: false, reason: 'the GPU device was lost (a test)' };
    Object.assign(page, { adapter: lost });
    wireDevice(async () => undefined, async () => undefined);
    drawDevice();
    const full = whyText(chooseDevice(lost, true), 'wasm');
    expect(full).toBe('Training on WebAssembly SIMD: no WebGPU device here (the GPU device was lost (a test)); wasm SIMD is the fastest CPU path.');
    expect(el('notice-text').textContent).toContain(lost.reason);
    expect(el('device-why').textContent).toBe('Training on WebAssembly SIMD: WebGPU is unavailable here (the notice says why).');
    // Not dismissed: a Train with Steps 0 failed, and its error replaced the warning on the notice.
    showError('Train', new Error('steps must be at least 1'));
    expect(el('notice').hidden).toBe(false);
    expect(el('notice-text').textContent).toBe('Train failed — steps must be at least 1');
    expect(el('notice-text').textContent).not.toContain(lost.reason);
    expect(el('device-why').textContent).toBe(full);
    expect(el('device-why').title).toBe('');
    // The error gone with the next action (hideError), the warning stays dismissed (once per reason): whole still.
    hideError();
    drawDevice();
    expect(el('notice').hidden).toBe(true);
    expect(el('device-why').textContent).toBe(full);
    expect(el('device-why').title).toBe('');
  });
});
