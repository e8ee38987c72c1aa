/**
 * The lab's 1-thread sentence (src/lab/device.ts threadsText) on a page served over plain http from an address other
 * than localhost (a course server's LAN address): browsers honour Cross-Origin-Opener-Policy and
 * Cross-Origin-Embedder-Policy only in a secure context (HTML: "obtain a cross-origin opener policy" and "obtain an
 * embedder policy" return unsafe-none there), so such a page is never cross-origin isolated, whatever its server
 * sends. The sentence said "its server sent no … headers" to a TA who had sent them (read58a).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { threadsText } from '../src/lab/device.ts';
import { WasmBackend } from '../src/wasm/backend.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('wasm on 1 thread on a page that is not a secure context', () => {
  it('says the page must be https (or localhost) for the headers to count, not that the server sent none', async () => {
    vi.stubGlobal('crossOriginIsolated', false);
    vi.stubGlobal('isSecureContext', false);
    // The backend as such a page makes it: no shared memory, WasmBackend's own reason.
    const b = await WasmBackend.create({ threads: 2 });
    try {
      const text = threadsText('wasm', { threads: b.threads, singleThreadReason: b.singleThreadReason });
      expect(text).toBe('It runs on 1 thread because the page is not cross-origin isolated: served over plain http from an address other than localhost, it cannot be (browsers honour the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers only over https, or on http://localhost / 127.0.0.1).');
    } finally {
      b.dispose();
    }
  });

  it('a secure context without isolation: the headers sentence, as before', () => {
    vi.stubGlobal('isSecureContext', true);
    expect(threadsText('wasm', { threads: 1, singleThreadReason: 'the page is not cross-origin isolated (COOP/COEP headers)' })).toMatch(/^It runs on 1 thread because the page is not cross-origin isolated: its server sent no Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp headers/);
  });

  it('a secure context without isolation: the whole sentence, ending where a TA finds how to send the headers', () => {
    // mut58: the sentence's tail (npm run preview, README) was checked by no test.
    vi.stubGlobal('isSecureContext', true);
    expect(threadsText('wasm', { threads: 1, singleThreadReason: 'the page is not cross-origin isolated (COOP/COEP headers)' })).toBe(
      'It runs on 1 thread because the page is not cross-origin isolated: its server sent no Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp headers (npm run preview sends them; README says how on a web server).',
    );
  });

  it('not a secure context, but 1 thread for another reason: that reason, not the https sentence', () => {
    // The insecure-context sentence is about isolation alone: a page without workers is not helped by https.
    vi.stubGlobal('isSecureContext', false);
    expect(threadsText('wasm', { threads: 1, singleThreadReason: 'no Worker here' })).toBe('It runs on 1 thread: no Worker here.');
  });
});
