/**
 * An installed backprop-webgpu with neither optional package (webgpu, puppeteer-core): the Chromium path's error —
 * the demo's `webgpu: UNAVAILABLE` line — names both ways to WebGPU, each once, in plain words (no parentheses inside
 * parentheses); where only Chromium will do (the bench, BACKPROP_WEBGPU=browser) it names puppeteer-core alone.
 * puppeteer-core and webgpu are made to fail to load here (mocks that throw) as where they are not installed, and the
 * CLI's server for the page is a stand-in (launchChromium fails before it is asked for anything).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openWebGpu } from '../src/cli/webgpu.ts';
import { BackpropError } from '../src/errors.ts';
import { installArg, launchChromium, loadPuppeteer } from '../src/node/chromium.ts';
import { getGpu } from '../src/webgpu/gpu.ts';

vi.mock('puppeteer-core', () => {
  throw new Error("Cannot find package 'puppeteer-core'");
});
vi.mock('webgpu', () => {
  throw new Error("Cannot find package 'webgpu'");
});
vi.mock('../src/node/server.ts', async (original) => ({
  ...(await original<typeof import('../src/node/server.ts')>()),
  startServer: async () => ({ url: 'http://127.0.0.1:9/', close: async () => {} }),
}));

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const messageOf = (p: Promise<unknown>) => p.then(() => '', (e: unknown) => (e instanceof BackpropError ? e.message : String(e)));
const alone = `Headless Chromium needs it: npm install ${installArg('puppeteer-core')}; for a global backprop-webgpu, install it with npm install -g.`;

/** How deep parentheses nest in `text`. */
function depth(text: string): number {
  let d = 0;
  let most = 0;
  for (const c of text) {
    if (c === '(') most = Math.max(most, ++d);
    if (c === ')') d--;
  }
  return most;
}

describe('getGpu in Node without the npm package webgpu', () => {
  it('says why it did not load as its own clause, then how to install it (no parentheses side by side)', async () => {
    const message = await getGpu().then(() => '', (e: unknown) => (e instanceof Error ? e.message : String(e)));
    // The cause here is vitest's (the mock's throw, wrapped): any cause stands between 'did not load: ' and '. npm'.
    expect(message).toMatch(/^WebGPU is unavailable: in Node, WebGPU comes from the npm package 'webgpu' \(Dawn\), which did not load: \S.*[^.]\. npm install webgpu \(npm install -g webgpu for a global backprop-webgpu\)$/);
    expect(message).not.toContain(') (');
    expect(depth(message)).toBe(1);
  });
});

describe('loadPuppeteer without puppeteer-core', () => {
  it('names either package as a way to WebGPU, and why puppeteer-core did not load', async () => {
    const err = await loadPuppeteer(true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackpropError);
    expect((err as BackpropError).code).toBe('BROWSER');
    const message = (err as BackpropError).message;
    // vitest words the failed import its own way (a mocked module's error); the first line of it is the cause given.
    expect(message).toMatch(/^the npm package puppeteer-core did not load: \S.*\. Either /);
    expect(message).toContain('Either npm install webgpu (WebGPU on Dawn in Node) or ');
    expect(message).toContain(`npm install ${installArg('puppeteer-core')} (headless Chromium) gives WebGPU`);
    expect(message).toContain('npm install -g');
    expect(depth(message)).toBe(1);
  });

  it('where only Chromium will do (the bench, BACKPROP_WEBGPU=browser), names puppeteer-core alone', async () => {
    for (const message of [await messageOf(loadPuppeteer()), await messageOf(launchChromium())]) {
      expect(message).toMatch(/^the npm package puppeteer-core did not load: \S.*\. Headless Chromium needs it: /);
      expect(message.endsWith(alone), message).toBe(true);
      expect(message).not.toContain(`npm install webgpu`);
    }
  });

  it("the CLI's route: both where the npm package webgpu did not load; puppeteer-core alone under BACKPROP_WEBGPU=browser", async () => {
    const notices: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => notices.push(String(s)) > 0);
    const both = await messageOf(openWebGpu());
    expect(notices.join('')).toMatch(/^backprop: .*npm package 'webgpu' \(Dawn\), which did not load.* — trying headless Chromium instead\.\n$/);
    expect(both).toContain(`Either npm install webgpu (WebGPU on Dawn in Node) or npm install ${installArg('puppeteer-core')} (headless Chromium) gives WebGPU`);
    vi.stubEnv('BACKPROP_WEBGPU', 'browser');
    const browser = await messageOf(openWebGpu());
    expect(browser.endsWith(alone), browser).toBe(true);
    expect(browser).not.toContain('npm install webgpu');
  });
});
