/**
 * The built site (./site.ts) opened as files (file://), as someone double-clicking dist/index.html would: browsers
 * refuse module scripts there, so the pages cannot start; each must say so where its status shows (the lab's badge,
 * the bench page's environment line), not stay on "Starting…".
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { builtSite } from './site.ts';

let browser: Browser;
let dir: string;
beforeAll(async () => {
  dir = await builtSite();
  browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 120_000 });
}, 180_000);
afterAll(async () => {
  await browser?.disconnect();
});

describe('the built site opened from a folder (file://)', () => {
  it.each([['index.html', '#device-badge'], ['bench.html', '#env']])('%s says it must be served over http(s)', async (file, selector) => {
    const page = await browser.newPage();
    try {
      await page.goto(pathToFileURL(join(dir, file)).href);
      const text = await page.$eval(selector, (e) => e.textContent ?? '');
      expect(text).toMatch(/^This page must be served over http\(s\) — browsers refuse its module scripts from file:\/\/\. Run npm run preview/);
      // The lab's workspace and tabs, whose controls do nothing there, are hidden: the message is what shows.
      if (file === 'index.html') expect(await page.$$eval('#main, #more', (es) => es.map((e) => (e as HTMLElement).offsetHeight))).toEqual([0, 0]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
