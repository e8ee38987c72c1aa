/**
 * Firefox for the browser tests that check a second engine: Gecko's layout and SpiderMonkey's wasm, and — with its
 * WebGPU switched on — wgpu's WebGPU (naga compiles our WGSL, where Chromium's Tint does; on a machine without a GPU,
 * Mesa's lavapipe, a CPU Vulkan). Debian's `firefox-esr` (apt), driven by puppeteer-core over WebDriver BiDi; never
 * downloaded. Each file launches its own Firefox (one BiDi session a browser) against the project's Vite server.
 *
 * NOTE: Firefox ESR 153 on Linux ships with WebGPU off (`navigator.gpu` undefined); Firefox on Windows (≥ 141) and
 * macOS has it on. `webgpu: true` sets `dom.webgpu.enabled` (and ignores the GPU blocklist, which lists lavapipe), so
 * the tests reach the implementation those users run; the lab without it is what a Linux Firefox student sees.
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';

const CANDIDATES = ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/usr/lib/firefox-esr/firefox-esr'];

/** FIREFOX_PATH, else the first of the usual Debian paths that exists; undefined where there is none. */
export function findFirefox(): string | undefined {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`FIREFOX_PATH is set to ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  return CANDIDATES.find((p) => existsSync(p));
}

/**
 * Why the Firefox files are skipped here, or undefined when they run. CI sets REQUIRE_FIREFOX=1 (.ci/run installs
 * firefox-esr), where a missing Firefox throws instead: a skip there would hide that the second engine went unchecked.
 */
export function firefoxSkipReason(): string | undefined {
  if (findFirefox()) return undefined;
  const why = `no Firefox (looked at FIREFOX_PATH and ${CANDIDATES.join(', ')}; Debian: apt-get install firefox-esr mesa-vulkan-drivers)`;
  if (process.env.REQUIRE_FIREFOX === '1') throw new Error(`REQUIRE_FIREFOX=1 but ${why}`);
  return why;
}

export interface FirefoxOptions {
  /** Switch Firefox's WebGPU on (see the NOTE above). */
  webgpu?: boolean;
}

export async function launchFirefox(options: FirefoxOptions = {}): Promise<Browser> {
  const executablePath = findFirefox();
  if (!executablePath) throw new Error(firefoxSkipReason() ?? 'no Firefox');
  return puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    protocolTimeout: 600_000,
    extraPrefsFirefox: options.webgpu ? { 'dom.webgpu.enabled': true, 'gfx.webgpu.ignore-blocklist': true } : {},
  });
}
