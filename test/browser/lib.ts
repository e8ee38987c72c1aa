/** Helpers for browser tests: a harness page in the shared Chromium, and typed calls into window.bp. */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, inject } from 'vitest';
import type { PlainError, Result } from '../../src/browser/harness.ts';
import { openHarness } from '../../src/node/session.ts';

let browser: Browser | undefined;

export async function harnessPage(consoleErrors: string[] = []): Promise<Page> {
  browser ??= await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
  return openHarness(browser, inject('baseUrl'), consoleErrors);
}

/** One harness page for a test file: opened before its tests (handed to `use`), closed after them. */
export function useHarnessPage(consoleErrors: string[], use: (page: Page) => void): void {
  let page: Page | undefined;
  beforeAll(async () => {
    page = await harnessPage(consoleErrors);
    use(page);
  });
  afterAll(async () => {
    await page?.close();
  });
}

export class PageError extends Error {
  readonly plain: PlainError;
  constructor(plain: PlainError) {
    super(`${plain.name}${plain.code ? ` [${plain.code}]` : ''}: ${plain.message}`);
    this.plain = plain;
  }
}

/** Unwrap a harness Result, throwing the page's error (with its code and field) on failure. */
export function unwrap<T>(r: Result<T>): T {
  if ('error' in r) throw new PageError(r.error);
  return r.ok;
}
