/**
 * A page of the built site (site.ts) served by its own `vite preview`, in the run's Chromium, its page errors
 * collected, closed after `use` (the page, then the server): the set-up the bench page's browser files each wrote out
 * (connect, preview, a page, its error list: duplicates D1–D3 at the end of stop 57). A file lets go of the browser in
 * its afterAll with disconnectSitePages().
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { inject } from 'vitest';
import { previewLabSite } from '../../src/node/lab-site.ts';
import { builtSite } from './site.ts';

let browser: Browser | undefined;

/** The site's base URL, as previewLabSite serves it (pages are `new URL('bench.html?…', siteUrl)`). */
type SiteUrl = Awaited<ReturnType<typeof previewLabSite>>['url'];

export async function withSitePage<T>(use: (page: Page, siteUrl: SiteUrl, errors: string[]) => Promise<T>): Promise<T> {
  browser ??= await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
  const { url, server } = await previewLabSite(await builtSite());
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  try {
    return await use(page, url, errors);
  } finally {
    await page.close();
    await server.close();
  }
}

export async function disconnectSitePages(): Promise<void> {
  await browser?.disconnect();
  browser = undefined;
}
