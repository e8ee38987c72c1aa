/**
 * Finding and launching Chromium for the WebGPU path (Node side). Never downloads a browser:
 * CHROME_PATH first, then the usual system paths; none found is a BackpropError naming what to install.
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';
import { BackpropError } from '../errors.ts';

export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export function findChromium(): string {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new BackpropError('BROWSER', `CHROME_PATH is set to ${fromEnv}, which does not exist`);
  }
  const found = CHROMIUM_CANDIDATES.find((p) => existsSync(p));
  if (found) return found;
  throw new BackpropError(
    'BROWSER',
    `no Chromium found (looked at CHROME_PATH and ${CHROMIUM_CANDIDATES.join(', ')}). ` +
      "Install Debian's package: apt-get install chromium — or set CHROME_PATH to a Chrome/Chromium binary.",
  );
}

/**
 * Flags: --enable-unsafe-webgpu gives headless Chromium a WebGPU adapter (SwiftShader when there is no GPU);
 * the rest keep a root/CI run quiet and offline.
 */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  const extra = (process.env.CHROME_ARGS ?? '').split(' ').filter(Boolean);
  return puppeteer.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, ...extra], protocolTimeout: 600_000 });
}
