/**
 * The built site (./site.ts) served where its files are not: a host that answers `…/lab` (no slash) with the page
 * itself, so `./assets/` means one folder up, or a copy of the pages without `assets/`. Here: a server that has the two
 * pages and nothing else (every other path 404). The pages' module scripts fail to load, so nothing of theirs starts;
 * each must say so where it shows its state (the lab's badge, the bench page's environment line) and how to fix it,
 * not stay on "Starting…" (deploy58: README "Putting the lab on a course's web server").
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { builtSite } from './site.ts';

let browser: Browser;
let server: Server;
let base: string;
beforeAll(async () => {
  const dir = await builtSite();
  const pages: Record<string, Buffer> = {
    '/course/lab/index.html': readFileSync(join(dir, 'index.html')),
    '/course/lab/bench.html': readFileSync(join(dir, 'bench.html')),
  };
  server = createServer((req, res) => {
    const page = pages[req.url ?? ''];
    res.writeHead(page ? 200 : 404, { 'Content-Type': page ? 'text/html; charset=utf-8' : 'text/plain' });
    res.end(page ?? 'not found');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/course/lab/`;
  browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 120_000 });
}, 180_000);
afterAll(async () => {
  await browser?.disconnect();
  await new Promise((ok) => server?.close(ok));
});

describe('the built pages served without their assets/', () => {
  it.each([['index.html', '#device-badge'], ['bench.html', '#env']])('%s says its script did not load and what to do', async (file, selector) => {
    const page = await browser.newPage();
    try {
      await page.goto(base + file);
      await page.waitForFunction((s) => /did not load/.test(document.querySelector(s)?.textContent ?? ''), { timeout: 20_000 }, selector);
      const text = await page.$eval(selector, (e) => e.textContent ?? '');
      // The failed script named by its address under the page's folder, then what to do.
      expect(text).toMatch(new RegExp(`^This page's script did not load \\(${base.replace(/[.]/g, '\\.')}assets/[^)]+\\.js\\)\\. The page looks for its files beside it`));
      // The lab is opened by its folder's address, so a missing slash is the likelier cause; the bench page by its file's.
      if (file === 'index.html') expect(text).toMatch(/beside it: if its address does not end in a slash, add one \(…\/lab\/, not …\/lab\) or open …\/index\.html; otherwise copy the whole built folder, assets\/ with it\.$/);
      else expect(text).toMatch(/beside it, in assets\/: copy the whole built folder there, assets\/ with it\.$/);
      // The lab's workspace and tabs, whose controls would do nothing, are hidden (as opened from file://).
      if (file === 'index.html') expect(await page.$$eval('#main, #more', (es) => es.map((e) => (e as HTMLElement).offsetHeight))).toEqual([0, 0]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
