/**
 * src/node/firefox.ts's finder and launcher (the bench's --browser firefox, test/browser/firefox.ts), in Node with the
 * file system's answers and puppeteer stood in for (mut63: nothing in Node reached them): FIREFOX_PATH first, an error
 * naming it where it names nothing; else the first of FIREFOX_CANDIDATES that exists, in order; no Firefox at all a
 * BROWSER error before puppeteer is asked; a launch is headless Firefox at the path found, with the prefs of
 * firefoxPrefs and the protocol time limit asked (600 s by default).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const present = new Set<string>();
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, existsSync: (p: string) => present.has(p) };
});
const launch = vi.fn(async (o: unknown) => ({ launched: o }));
vi.mock('../src/node/chromium.ts', () => ({ loadPuppeteer: async () => ({ launch }) }));

const { findFirefox, launchFirefox, NO_FIREFOX } = await import('../src/node/firefox.ts');
const { BackpropError } = await import('../src/errors.ts');

beforeEach(() => {
  present.clear();
  launch.mockClear();
  vi.stubEnv('FIREFOX_PATH', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('findFirefox', () => {
  it('the first usual path that exists, in order; undefined where none does', () => {
    expect(findFirefox()).toBeUndefined();
    present.add('/usr/lib/firefox-esr/firefox-esr');
    expect(findFirefox()).toBe('/usr/lib/firefox-esr/firefox-esr');
    present.add('/usr/bin/firefox');
    expect(findFirefox()).toBe('/usr/bin/firefox');
    present.add('/usr/bin/firefox-esr');
    expect(findFirefox()).toBe('/usr/bin/firefox-esr');
  });

  it('FIREFOX_PATH before them; one that names nothing is a BROWSER error naming it', () => {
    present.add('/usr/bin/firefox-esr');
    present.add('/opt/firefox/firefox');
    vi.stubEnv('FIREFOX_PATH', '/opt/firefox/firefox');
    expect(findFirefox()).toBe('/opt/firefox/firefox');
    vi.stubEnv('FIREFOX_PATH', '/opt/nightly/firefox');
    let err: unknown;
    try {
      findFirefox();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BackpropError);
    expect([(err as InstanceType<typeof BackpropError>).code, (err as Error).message]).toEqual(['BROWSER', 'FIREFOX_PATH is set to /opt/nightly/firefox, which does not exist']);
  });
});

describe('launchFirefox', () => {
  it('no Firefox: a BROWSER error saying where it looked, and puppeteer is not asked', async () => {
    const err = await launchFirefox().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackpropError);
    expect([(err as InstanceType<typeof BackpropError>).code, (err as Error).message]).toEqual(['BROWSER', NO_FIREFOX]);
    expect(launch).not.toHaveBeenCalled();
  });

  it("headless Firefox at the path found: WebGPU's prefs with webgpu, none without; the time limit asked, else 600 s", async () => {
    present.add('/usr/bin/firefox');
    await launchFirefox({ webgpu: true, protocolTimeout: 900_000 });
    await launchFirefox();
    expect(launch.mock.calls.map(([o]) => o)).toEqual([
      { browser: 'firefox', executablePath: '/usr/bin/firefox', headless: true, protocolTimeout: 900_000, extraPrefsFirefox: { 'dom.webgpu.enabled': true, 'gfx.webgpu.ignore-blocklist': true } },
      { browser: 'firefox', executablePath: '/usr/bin/firefox', headless: true, protocolTimeout: 600_000, extraPrefsFirefox: {} },
    ]);
  });
});

describe("firefoxSkipReason (test/browser/firefox.ts): the Firefox files' skip", () => {
  it('runs where Firefox is; skipped, saying where it looked, where it is not; REQUIRE_FIREFOX=1 throws instead', async () => {
    const { firefoxSkipReason } = await import('./browser/firefox.ts');
    vi.stubEnv('REQUIRE_FIREFOX', '');
    expect(firefoxSkipReason()).toBe(NO_FIREFOX);
    vi.stubEnv('REQUIRE_FIREFOX', '1');
    expect(() => firefoxSkipReason()).toThrow(`REQUIRE_FIREFOX=1 but ${NO_FIREFOX}`);
    present.add('/usr/bin/firefox-esr');
    expect(firefoxSkipReason()).toBeUndefined();
  });
});
