/**
 * The course lab's start (src/lab/device-panel.ts probeGpu) in a browser without WebGPU — Firefox, an older Safari,
 * and every browser on a lab served over plain http from a LAN address (not a secure context: no navigator.gpu) —
 * does not fetch the WebGPU backend's code (its chunk and the kernels', ~60 kB gzipped; on Slow 3G a round trip of
 * 2 s and ~1 s of transfer before the page is ready), and says why there is no WebGPU as before. The backend's module
 * is a stand-in here that counts its imports: in a page each import of it is a fetch of its chunk.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const imported = { count: 0 };

/** The lab's modules afresh, the backend's a stand-in whose factory counts the imports of it. */
async function lab(): Promise<{ probeGpu: typeof import('../src/lab/device-panel.ts').probeGpu; page: typeof import('../src/lab/page.ts').page }> {
  vi.resetModules();
  vi.doMock('../src/webgpu/backend.ts', () => {
    imported.count++;
    return { WebGpuBackend: { create: () => Promise.reject(new Error('the stand-in backend: no device here')) } };
  });
  const { probeGpu } = await import('../src/lab/device-panel.ts');
  const { page } = await import('../src/lab/page.ts');
  return { probeGpu, page };
}

// The words getGpu (src/webgpu/gpu.ts) has for each case, as README's lab section quotes them.
const NO_GPU = 'navigator.gpu is not defined (a browser without WebGPU, or WebGPU disabled)';
const INSECURE = 'navigator.gpu is not defined: the page is not a secure context (WebGPU needs https, or http://localhost / 127.0.0.1)';

describe('probeGpu without navigator.gpu', () => {
  beforeEach(() => {
    imported.count = 0;
  });
  afterEach(() => {
    vi.doUnmock('../src/webgpu/backend.ts');
    vi.unstubAllGlobals();
  });

  it("a browser without WebGPU: the reason, and the backend's code never fetched", async () => {
    vi.stubGlobal('navigator', {});
    const { probeGpu, page } = await lab();
    await probeGpu(() => {});
    expect(page.gpu).toBeNull();
    expect(page.adapter).toEqual({ available: false, reason: NO_GPU });
    expect(imported.count).toBe(0);
  });

  // Firefox 153 on Linux (Debian's firefox-esr, run headless: fflab63) has WebGPU off and navigator.gpu undefined;
  // its user agent as that Firefox sent it. The reason says where to switch it on; Chromium's user agent gets no such clause.
  const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0';
  const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
  it('Firefox without WebGPU: the reason says to set dom.webgpu.enabled in about:config; Chrome without it: as before', async () => {
    vi.stubGlobal('navigator', { userAgent: FIREFOX_LINUX });
    const firefox = await lab();
    await firefox.probeGpu(() => {});
    expect(firefox.page.adapter).toEqual({
      available: false,
      reason: `${NO_GPU}; in Firefox, where it is off by default on Linux (and on Windows before version 141), set dom.webgpu.enabled to true in about:config`,
    });
    vi.stubGlobal('navigator', { userAgent: CHROME_LINUX });
    const chrome = await lab();
    await chrome.probeGpu(() => {});
    expect(chrome.page.adapter).toEqual({ available: false, reason: NO_GPU });
    expect(imported.count).toBe(0);
  });

  // read63b: Firefox for Android sends `Firefox/` too (its user agent's form as Mozilla documents it), and its release
  // builds do not open about:config, so the switch cannot be told there; Firefox on iOS is WebKit (FxiOS/, no Firefox/).
  it('Firefox for Android and Firefox on iOS without WebGPU: the reason, no about:config clause', async () => {
    for (const ua of [
      'Mozilla/5.0 (Android 15; Mobile; rv:153.0) Gecko/153.0 Firefox/153.0',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/153.0 Mobile/15E148 Safari/605.1.15',
    ]) {
      vi.stubGlobal('navigator', { userAgent: ua });
      const { probeGpu, page } = await lab();
      await probeGpu(() => {});
      expect(page.adapter, ua).toEqual({ available: false, reason: NO_GPU });
    }
  });

  it("Firefox on a plain-http LAN page: the origin is the reason, not the switch (switching WebGPU on would not help)", async () => {
    vi.stubGlobal('navigator', { userAgent: FIREFOX_LINUX });
    vi.stubGlobal('isSecureContext', false);
    const { probeGpu, page } = await lab();
    await probeGpu(() => {});
    expect(page.adapter).toEqual({ available: false, reason: INSECURE });
  });

  it("a page over plain http on a LAN address: the origin as the reason, the backend's code never fetched", async () => {
    vi.stubGlobal('navigator', {});
    vi.stubGlobal('isSecureContext', false);
    const { probeGpu, page } = await lab();
    await probeGpu(() => {});
    expect(page.adapter).toEqual({ available: false, reason: INSECURE });
    expect(imported.count).toBe(0);
  });

  it("with navigator.gpu it does fetch the backend's code (the probe opens the device with it)", async () => {
    vi.stubGlobal('navigator', { gpu: {} });
    const { probeGpu, page } = await lab();
    await probeGpu(() => {});
    expect(imported.count).toBe(1);
    expect(page.adapter).toEqual({ available: false, reason: 'the stand-in backend: no device here' });
  });
});

describe("probeGpu when the WebGPU backend's code does not come (a dropped connection at start)", () => {
  afterEach(() => {
    vi.doUnmock('../src/webgpu/backend.ts');
    vi.unstubAllGlobals();
  });

  it('says the code did not load and that a reload tries again, not only the browser\'s "Failed to fetch"', async () => {
    vi.stubGlobal('navigator', { gpu: {} });
    vi.resetModules();
    // Chromium's words for a chunk that did not come (vitest wraps a factory's throw in an error of its own: the words
    // in the parentheses are vitest's here, the browser's on a page).
    vi.doMock('../src/webgpu/backend.ts', () => {
      throw new TypeError('Failed to fetch dynamically imported module: http://127.0.0.1/assets/backend-x.js');
    });
    const { probeGpu } = await import('../src/lab/device-panel.ts');
    const { page } = await import('../src/lab/page.ts');
    await probeGpu(() => {});
    expect(page.gpu).toBeNull();
    expect(page.adapter?.available).toBe(false);
    const reason = (page.adapter as { reason: string }).reason;
    expect(reason).toMatch(/^the WebGPU backend's code did not load \(.+\); check the connection and reload the page to try again$/s);
  });
});
