/**
 * A browser session for Node callers (CLI, npm start): a Vite server on 127.0.0.1, headless Chromium with
 * WebGPU, and the harness page (src/browser/harness.html) loaded and ready. Page console errors are collected.
 */
import type { Browser, Page } from 'puppeteer-core';
import { launchChromium } from './chromium.ts';
import { HARNESS_PATH, startServer, type Served } from './server.ts';

export interface BrowserSession {
  page: Page;
  browser: Browser;
  url: string;
  consoleErrors: string[];
  close(): Promise<void>;
}


export async function openHarness(browser: Browser, baseUrl: string, consoleErrors: string[] = [], harness = HARNESS_PATH): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
  page.on('pageerror', (err) => consoleErrors.push(String(err)));
  await page.goto(new URL(harness, baseUrl).href);
  await page.waitForFunction(() => window.bp?.ready === true, { timeout: 60_000 });
  return page;
}

/** `dawnMissing`: launchChromium's (the CLI tried Dawn first, and the npm package webgpu did not load). */
export async function startBrowserSession(dawnMissing = false): Promise<BrowserSession> {
  let served: Served | undefined;
  let browser: Browser | undefined;
  try {
    served = await startServer();
    browser = await launchChromium({ probeUrl: new URL(served.harness ?? HARNESS_PATH, served.url).href, dawnMissing });
    const consoleErrors: string[] = [];
    const page = await openHarness(browser, served.url, consoleErrors, served.harness);
    const s = served;
    const b = browser;
    return { page, browser, url: served.url, consoleErrors, close: async () => { await b.close(); await s.close(); } };
  } catch (err) {
    await browser?.close();
    await served?.close();
    throw err;
  }
}
