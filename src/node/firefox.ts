/**
 * Finding and launching Firefox (Node side): the bench's `--browser firefox` (bench/browser.ts) and the browser tests
 * that check a second engine (test/browser/firefox.ts). Debian's `firefox-esr` (apt), driven by puppeteer-core over
 * WebDriver BiDi (Firefox has no CDP); never downloaded.
 *
 * NOTE: Firefox ESR 153 on Linux ships with WebGPU off (`navigator.gpu` undefined); Firefox on Windows (≥ 141) and
 * macOS has it on. `webgpu: true` sets `dom.webgpu.enabled` (and ignores the GPU blocklist, which lists lavapipe,
 * Mesa's CPU Vulkan: the adapter on a machine without a GPU), so a run reaches the implementation those users run.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'puppeteer-core';
import { BackpropError } from '../errors.ts';
import { loadPuppeteer } from './chromium.ts';

/** The usual Debian paths, in order. */
export const FIREFOX_CANDIDATES = ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/usr/lib/firefox-esr/firefox-esr'];

/** FIREFOX_PATH (a BROWSER error where it names nothing), else the first usual path that exists; undefined where none does. */
export function findFirefox(): string | undefined {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new BackpropError('BROWSER', `FIREFOX_PATH is set to ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  return FIREFOX_CANDIDATES.find((p) => existsSync(p));
}

/** Where findFirefox looked, and what to install: the one wording for a missing Firefox. */
export const NO_FIREFOX = `no Firefox (looked at FIREFOX_PATH and ${FIREFOX_CANDIDATES.join(', ')}; Debian: apt-get install firefox-esr mesa-vulkan-drivers)`;

export interface FirefoxOptions {
  /** Switch Firefox's WebGPU on (see the NOTE above). */
  webgpu?: boolean;
  /** puppeteer's time limit of one protocol call (default 600 s). */
  protocolTimeout?: number;
}

/** The prefs a launch sets (FirefoxOptions.webgpu): recorded in a bench run's env, as Chromium's flags are. */
export function firefoxPrefs(options: FirefoxOptions = {}): Record<string, boolean> {
  return options.webgpu ? { 'dom.webgpu.enabled': true, 'gfx.webgpu.ignore-blocklist': true } : {};
}

/** Headless Firefox over WebDriver BiDi; a BROWSER error where there is none. */
export async function launchFirefox(options: FirefoxOptions = {}): Promise<Browser> {
  const executablePath = findFirefox();
  if (!executablePath) throw new BackpropError('BROWSER', NO_FIREFOX);
  const puppeteer = await loadPuppeteer();
  return puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    protocolTimeout: options.protocolTimeout ?? 600_000,
    extraPrefsFirefox: firefoxPrefs(options),
  });
}
