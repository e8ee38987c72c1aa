/**
 * What the course-lab browser files share (lab.test.ts: the lecture net; lab-devices.test.ts: devices, files, share
 * links; lab-workspace.test.ts: the workspace): the lab (src/lab/), built with `vite build --mode lab` (once per run,
 * ./site.ts) and served by `vite preview`, driven in the shared headless Chromium (WebGPU on SwiftShader here).
 * Not a test file (the browser project includes only *.test.ts). Each file calls `useLab(name)`, which starts its own
 * server and connection before its tests and closes them after; the pages `openLab` opens are that file's.
 * Screenshots of the main views go to test-artifacts/lab/ (git-ignored); a file's downloads to
 * test-artifacts/lab/downloads/<name>/ (only that file's, emptied before it runs).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { inject } from 'vitest';
import { previewLabSite } from '../../src/node/lab-site.ts';
import { PROJECT_ROOT } from '../../src/node/server.ts';
import { lecture } from '../../src/lectures/index.ts';
import { builtSite } from './site.ts';
import type { NumericClaim } from '../../src/worked/worked.ts';

export const ARTIFACTS = join(PROJECT_ROOT, 'test-artifacts', 'lab');

/** The lecture's printed value of a claim (the first numeric claim of that name without an erratum). */
const worked = lecture('lecture-2-2-1').worked;
export function printed(name: string): { value: number; decimals: number } {
  const c = worked.claims.find((x): x is NumericClaim => x.name === name && 'printed' in x && !x.erratum);
  if (!c) throw new Error(`the 2-2-1 transcription has no clean claim '${name}'`);
  return { value: c.printed, decimals: c.decimals };
}
/** Does `text` show `value` at the lecture's rounding? (a number in the text within ½·10^−decimals of it) */
export function shows(text: string, name: string): boolean {
  const { value, decimals } = printed(name);
  const nums = (text.replace(/−/g, '-').match(/-?\d+\.\d+/g) ?? []).map(Number);
  return nums.some((v) => Math.abs(v - value) <= 0.5 * 10 ** -decimals + 1e-12);
}

/** The file's lab: its server, its connection to the shared Chromium, the pages it opened, its downloads folder. */
interface LabState {
  server?: PreviewServer;
  url: string;
  browser?: Browser;
  pages: Page[];
  downloads: string;
}
let lab: LabState = { url: '', pages: [], downloads: join(ARTIFACTS, 'downloads') };

/** The address this file's lab is served at (http://127.0.0.1:PORT/), once useLab's server has started. */
export const labUrl = (): string => lab.url;

/** A new page of this file's (closed after its tests), 1280 × 800, its console errors and uncaught errors put in `errors`. */
export async function newPage(errors: string[]): Promise<Page> {
  const page = await lab.browser!.newPage();
  lab.pages.push(page);
  await page.setViewport({ width: 1280, height: 800 });
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  return page;
}

/** Wait until the lab in a frame (a page's main frame, or an iframe holding the lab) is ready, its first explanation typeset. */
export async function labReady(page: Frame): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.ready === 'true', { timeout: 60_000 });
  // KaTeX comes after the page is ready, with the first explanation (src/lab/explain-panel.ts loadKatex): the tests
  // read the explanation as it is once it has.
  await page.waitForFunction(() => !document.querySelector('#explain .explain-loading'), { timeout: 60_000 });
}

export async function openLab(errors: string[], hash = '', beforeLoad?: (p: Page) => Promise<unknown>): Promise<Page> {
  const page = await newPage(errors);
  if (beforeLoad) await beforeLoad(page);
  await page.goto(lab.url + hash);
  await labReady(page.mainFrame());
  return page;
}

/**
 * Click a control and wait until the page's action is done (body[data-busy] cleared). The click is the element's
 * own (as a keyboard user's Enter), so controls in a tab that is not shown work too.
 */
export async function act(page: Page, selector: string): Promise<void> {
  await page.waitForFunction((s) => !(document.querySelector(s) as HTMLButtonElement | null)?.disabled, { timeout: 30_000 }, selector);
  await page.$eval(selector, (e) => (e as HTMLElement).click());
  await idle(page);
}

/** The five regions of the workspace, by their accessible names. */
export const REGIONS = ['Data', 'Network', 'Training', 'Loss', 'Output'] as const;

export async function idle(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.body.dataset.busy, { timeout: 120_000, polling: 50 });
}

export async function choosePreset(page: Page, id: string): Promise<void> {
  await page.select('#preset', id);
  await page.waitForFunction(() => document.body.dataset.busy === undefined, { timeout: 120_000, polling: 50 });
}

/** What the Preset menu stands on: its value ('' for your own data or net) and the option's text. */
/**
 * Links followed (`hashes`: each a new history entry and its hashchange; '' an address without a fragment) sent at
 * once inside an action — `start` a preset chosen, a '#…' link followed, 'start' the page before its first Load
 * (not ready, not busy) — where a paste's event comes a task later; what the page was busy with then.
 */
export const followDuring = (page: Page, start: string, ...hashes: string[]) => page.evaluate((how, hs) => {
  const went = (to: string): void => {
    const oldURL = location.href;
    history.pushState(history.state, '', to || `${location.pathname}${location.search}`);
    window.dispatchEvent(new HashChangeEvent('hashchange', { oldURL, newURL: location.href }));
  };
  if (how === 'start') delete document.body.dataset.ready;
  else if (how.startsWith('#')) went(how);
  else {
    const sel = document.getElementById('preset') as HTMLSelectElement;
    sel.value = how;
    sel.dispatchEvent(new Event('change'));
  }
  const busy = document.body.dataset.busy;
  for (const h of hs) went(h);
  if (how === 'start') document.body.dataset.ready = 'true';
  return how === 'start' ? document.body.dataset.busy : busy;
}, start, hashes);

export const presetMenu = (page: Page) => page.$eval('#preset', (e) => { const s = e as HTMLSelectElement; return [s.value, s.selectedOptions[0]?.text]; });
export const text = (page: Page, selector: string) => page.$eval(selector, (e) => (e as HTMLElement).innerText ?? e.textContent ?? '');
export const errorNotice = (page: Page) => page.$eval('#notice', (e) => (e.classList.contains('error') && !(e as HTMLElement).hidden ? e.textContent ?? '' : ''));
/**
 * What the shown notice covers: the Train on switch (its whole fieldset) and every other control on screen (a button,
 * input, select, link, label or summary with a box, outside the notice; the part of it its region does not scroll
 * out of view), each as `tag#id "text"`. After two frames,
 * so that the strip the workspace gives up for it (style.css) is laid out.
 */
export const coveredByNotice = (page: Page) => page.evaluate(async () => {
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const notice = document.getElementById('notice')!;
  if (notice.hidden) throw new Error('no notice is shown');
  const n = notice.getBoundingClientRect();
  // The part of a control on screen: its box clipped by every scrolling ancestor (a region scrolls its overflow).
  const seen = (e: Element) => {
    let { left, top, right, bottom } = e.getBoundingClientRect();
    for (let p = e.parentElement; p; p = p.parentElement) {
      if (getComputedStyle(p).overflow === 'visible') continue;
      const c = p.getBoundingClientRect();
      left = Math.max(left, c.left); top = Math.max(top, c.top); right = Math.min(right, c.right); bottom = Math.min(bottom, c.bottom);
    }
    return { left, top, right, bottom };
  };
  const meets = (r: { left: number; top: number; right: number; bottom: number }) =>
    r.left < r.right && r.top < r.bottom && r.left < n.right && n.left < r.right && r.top < n.bottom && n.top < r.bottom;
  const controls = [document.querySelector('fieldset.switch')!, ...document.querySelectorAll('button, input, select, textarea, a[href], label, summary, [tabindex]:not([tabindex="-1"])')];
  return controls.filter((e) => !notice.contains(e) && meets(seen(e)))
    .map((e) => `${e.tagName.toLowerCase()}#${e.id} "${(e.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 30)}"`);
});
/** The TeX source of every KaTeX block in a host (KaTeX keeps it in a MathML annotation). */
export const tex = (page: Page, selector: string) => page.$$eval(`${selector} annotation[encoding="application/x-tex"]`, (els) => els.map((e) => e.textContent ?? '').join('\n'));

export async function shot(page: Page, name: string, selector?: string): Promise<void> {
  const path = join(ARTIFACTS, `${name}.png`) as `${string}.png`;
  if (selector) await (await page.$(selector))!.screenshot({ path });
  else await page.screenshot({ path, fullPage: false });
}

/**
 * Serve the built lab for this test file: before its tests, a `vite preview` of the site and a connection to the
 * shared Chromium; after them, its pages closed and both ended. Returns the folder its downloads go to
 * (test-artifacts/lab/downloads/<name>/, emptied first: only this file's outputs; lab-surface.test.ts and the other
 * lab files write beside them).
 */
export function useLab(name: string): { downloads: string } {
  const DOWNLOADS = join(ARTIFACTS, 'downloads', name);
  beforeAll(async () => {
    lab = { url: '', pages: [], downloads: DOWNLOADS };
    rmSync(DOWNLOADS, { recursive: true, force: true });
    mkdirSync(DOWNLOADS, { recursive: true });
    ({ url: lab.url, server: lab.server } = await previewLabSite(await builtSite()));
    lab.browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
  }, 180_000);
  afterAll(async () => {
    const { pages, browser, server } = lab;
    for (const p of pages) await within(5_000, p.close());
    await within(5_000, browser?.disconnect() ?? Promise.resolve());
    const http = server?.httpServer;
    if (http && 'closeAllConnections' in http) http.closeAllConnections();
    await within(5_000, new Promise<void>((resolve) => server?.httpServer.close(() => resolve())));
  });
  return { downloads: DOWNLOADS };
}

// NOTE: teardown is bounded: in one CI run (all 1322 tests passed) this hook hung for its whole 120 s. A page still
// busy may not close promptly, and http.Server.close waits for every keep-alive connection unless they are ended.
const within = (ms: number, work: Promise<unknown>): Promise<unknown> =>
  Promise.race([work.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, ms))]);

/** Click an export button and read the file it saves as `name` in the file's downloads folder (the page's download behaviour must be set). */
export async function downloaded(page: Page, selector: string, name: string): Promise<Buffer> {
  const path = join(lab.downloads, name);
  rmSync(path, { force: true });
  await act(page, selector);
  const t0 = Date.now();
  // Chromium creates the target as an empty placeholder when the download starts and writes NAME.crdownload,
  // renamed over it at the end: wait for the finished file, not just the name.
  const finished = () => existsSync(path) && statSync(path).size > 0 && !existsSync(`${path}.crdownload`);
  while (!finished() && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
  return readFileSync(path);
}

export async function download(page: Page, selector: string, name: string): Promise<Record<string, unknown>> {
  return JSON.parse((await downloaded(page, selector, name)).toString('utf8')) as Record<string, unknown>;
}
