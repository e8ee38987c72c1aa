/**
 * bench/browser.ts with --browser firefox, up to the request it hands the bench page (mut63: only the browser test
 * test/browser/bench-firefox.test.ts reached this code, and it gives no --firefox-webgpu and no Firefox of its own).
 * Node, with stand-ins: the bench server, the launchers (src/node/firefox.ts launchFirefox, src/node/chromium.ts
 * launchChromium) and a browser that answers as puppeteer's Firefox over WebDriver BiDi does — version()
 * 'firefox/153.0', no CDP session, a process whose arguments are Firefox's — and a page that stops the run at the
 * request. What is checked: which launcher ran and with what; the prefs recorded (only for a Firefox launched here);
 * no Chromium flags read from a Firefox; the BiDi line on stderr, once, unless --quiet.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Browser } from 'puppeteer-core';

const launched: { firefox: unknown[]; chromium: unknown[] } = { firefox: [], chromium: [] };
let requests: { host: Record<string, unknown> }[] = [];

/** A browser as puppeteer's Firefox answers: no CDP, a process with Firefox's own arguments. */
function firefoxStandIn(): Browser {
  const page = {
    on: () => {}, goto: async () => {}, waitForFunction: async () => {}, exposeFunction: async () => {}, close: async () => {},
    evaluate: async (_fn: unknown, req?: { host: Record<string, unknown> }) => {
      if (req) requests.push(req);
      throw new Error('stand-in page: the run stops at its request');
    },
  };
  return {
    version: async () => 'firefox/153.0',
    newPage: async () => page,
    target: () => ({ createCDPSession: async () => { throw new Error('no CDP over WebDriver BiDi'); } }),
    process: () => ({ spawnargs: ['/usr/bin/firefox-esr', '--marionette', '--remote-debugging-port=0', '--headless'] }),
    close: async () => {},
  } as unknown as Browser;
}

vi.mock('../bench/server.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../bench/server.ts')>()),
  startBenchServer: async () => ({ url: 'http://127.0.0.1:9/', close: async () => {} }),
}));
vi.mock('../src/node/firefox.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../src/node/firefox.ts')>()),
  launchFirefox: async (o: unknown) => { launched.firefox.push(o); return firefoxStandIn(); },
}));
vi.mock('../src/node/chromium.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../src/node/chromium.ts')>()),
  launchChromium: async (o: unknown) => { launched.chromium.push(o); return firefoxStandIn(); },
}));

const { parseArgs } = await import('../bench/bench.ts');
const { BIDI_NO_COMMAND_LINE, runBrowserBench } = await import('../bench/browser.ts');

let stderr: string[];
beforeEach(() => {
  launched.firefox = [];
  launched.chromium = [];
  requests = [];
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { stderr.push(String(s)); return true; });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const options = (extra: string[], quiet = true) =>
  ({ ...parseArgs(['--quick', '--configs', 'a', '--systems', 'ours-cpu', ...extra], 'browser'), quiet });

async function run(o: ReturnType<typeof options>, browser?: Browser): Promise<void> {
  await expect(runBrowserBench(o, 'npm run bench', browser)).rejects.toThrow('stand-in page: the run stops at its request');
}

describe('--browser firefox up to the page request', () => {
  it('--firefox-webgpu: Firefox launched with WebGPU on, its two prefs recorded, no Chromium flags', async () => {
    await run(options(['--browser', 'firefox', '--firefox-webgpu']));
    expect(launched).toEqual({ firefox: [{ webgpu: true, protocolTimeout: 900_000 }], chromium: [] });
    expect(requests).toHaveLength(1);
    const { host } = requests[0];
    // No browser from the driver (its version() is 'firefox/153.0' here, 'firefox/153.8.0' in a real Firefox): the
    // page names it from its user agent (bench/page/run.ts envOf), one form with a page run by hand (ffleft64).
    expect(host).not.toHaveProperty('browser');
    expect(host.firefox).toEqual({ prefs: { 'dom.webgpu.enabled': true, 'gfx.webgpu.ignore-blocklist': true } });
    expect(host.chromium).toBeUndefined();
  });

  it('without --firefox-webgpu: launched with WebGPU as shipped, "prefs" none', async () => {
    await run(options(['--browser', 'firefox']));
    expect(launched).toEqual({ firefox: [{ webgpu: undefined, protocolTimeout: 900_000 }], chromium: [] });
    expect(requests[0].host.firefox).toEqual({ prefs: {} });
  });

  it("a Firefox handed in (a test's): nothing launched, its prefs unknown so none recorded, no Chromium flags", async () => {
    await run(options(['--browser', 'firefox']), firefoxStandIn());
    expect(launched).toEqual({ firefox: [], chromium: [] });
    expect('firefox' in requests[0].host).toBe(false);
    expect('chromium' in requests[0].host).toBe(false);
  });

  it('the BiDi line: once on stderr for a Firefox (named or handed in), none with --quiet', async () => {
    await run(options(['--browser', 'firefox'], false));
    await run(options([], false), firefoxStandIn());
    expect(stderr.filter((s) => s === `${BIDI_NO_COMMAND_LINE}\n`)).toHaveLength(2);
    stderr = [];
    await run(options(['--browser', 'firefox'], true));
    expect(stderr.join('')).not.toContain('WebDriver BiDi');
  });

  it('the progress line (on a terminal) names the browser started: Firefox, or Chromium without --browser', async () => {
    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    try {
      await run(options(['--browser', 'firefox'], false));
      expect(stderr.join('')).toContain('starting the bench server and Firefox');
      stderr = [];
      await run(options([], false));
      expect(stderr.join('')).toContain('starting the bench server and Chromium');
    } finally {
      if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
  });
});
