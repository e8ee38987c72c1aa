/**
 * The lab's 1-thread sentence (src/lab/device.ts threadsText) and the wasm backend's description (src/wasm/backend.ts)
 * on a page that IS cross-origin isolated in a browser that offers no SharedArrayBuffer there: WebKitGTK 2.50.6
 * (MiniBrowser, the lab served by `npx vite preview --mode lab`, COOP/COEP sent) reads `crossOriginIsolated === true`
 * and `typeof SharedArrayBuffer === 'undefined'` (test/browser/webkit.test.ts). The lab said "the page is not
 * cross-origin isolated: its server sent no … headers" there — false, and it sent a TA after headers already sent.
 * Without SharedArrayBuffer there is no shared WebAssembly.Memory, so no wasm threads, whatever the server sends.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { threadsText } from '../src/lab/device.ts';
import { WasmBackend } from '../src/wasm/backend.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

const TRUE_SENTENCE = 'It runs on 1 thread: the browser offers no SharedArrayBuffer on this page though it is cross-origin isolated, so no wasm threads (nothing the server sends changes that).';

describe('wasm on 1 thread on a cross-origin isolated page without SharedArrayBuffer (WebKitGTK)', () => {
  it('the backend names the browser, not the headers; the sentence under the switch says so', async () => {
    vi.stubGlobal('crossOriginIsolated', true);
    vi.stubGlobal('isSecureContext', true);
    vi.stubGlobal('SharedArrayBuffer', undefined);
    const b = await WasmBackend.create({ threads: 2 });
    try {
      expect(b.threads).toBe(1);
      expect(b.singleThreadReason).not.toMatch(/not cross-origin isolated|COOP|COEP|headers/);
      expect(b.description).toContain('1 thread (the browser offers no SharedArrayBuffer on this page though it is cross-origin isolated');
      expect(threadsText('wasm', { threads: b.threads, singleThreadReason: b.singleThreadReason }, false)).toBe(TRUE_SENTENCE);
      // In a frame too: an isolated frame is isolated, so the frame sentence (the page around it) would be false.
      expect(threadsText('wasm', { threads: b.threads, singleThreadReason: b.singleThreadReason }, true)).toBe(TRUE_SENTENCE);
    } finally {
      b.dispose();
    }
  });

  it('not isolated and no SharedArrayBuffer (Chromium without the headers): still the headers sentence', async () => {
    vi.stubGlobal('crossOriginIsolated', false);
    vi.stubGlobal('isSecureContext', true);
    vi.stubGlobal('SharedArrayBuffer', undefined);
    const b = await WasmBackend.create({ threads: 2 });
    try {
      expect(b.threads).toBe(1);
      expect(threadsText('wasm', { threads: b.threads, singleThreadReason: b.singleThreadReason }, false)).toMatch(/^It runs on 1 thread because the page is not cross-origin isolated: its server sent no Cross-Origin-Opener-Policy/);
    } finally {
      b.dispose();
    }
  });
});

// mut63: the isolated reason only where the page says it is isolated (`=== true`): a browser too old to have the
// crossOriginIsolated property at all (undefined: Safari before 15.2) and no SharedArrayBuffer gets the headers' reason.
describe('no SharedArrayBuffer and no crossOriginIsolated property', () => {
  it('1 thread, for want of COOP/COEP headers: not "though it is cross-origin isolated"', async () => {
    vi.stubGlobal('crossOriginIsolated', undefined);
    vi.stubGlobal('SharedArrayBuffer', undefined);
    const b = await WasmBackend.create({ threads: 2 });
    try {
      expect(b.threads).toBe(1);
      expect(b.singleThreadReason).toBe('no SharedArrayBuffer: the page is not cross-origin isolated, no COOP/COEP headers');
    } finally {
      b.dispose();
    }
  });
});
