/**
 * The course lab inside another page: an instructor's `<iframe src="https://host/lab/">` on a course page (Moodle,
 * Canvas) of another origin. The built lab as the other lab files serve it (lab-lib.ts: `vite preview` on
 * 127.0.0.1, with its COOP/COEP headers), inside a course page served by a second server here (its own port: another
 * origin), driven through the page's frames. README, "Embedding the lab in a course page (LMS)".
 */
import { createServer, type Server } from 'node:http';
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labReady, labUrl, newPage, useLab } from './lab-lib.ts';

useLab('framed');

/**
 * The course page: a heading, then the lab in an iframe 1000 × 600 with the `allow` and `sandbox` attributes of its
 * query (`?allow=…&sandbox=…`).
 */
let course: Server;
let courseUrl = '';
beforeAll(async () => {
  course = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const allow = query.get('allow') ?? '';
    const sandbox = query.get('sandbox');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><meta charset="utf-8"><title>ML 101</title></head><body><h1>ML 101, week 3</h1>
<iframe id="lab" src="${labUrl()}" title="Backprop lab"${allow ? ` allow="${allow}"` : ''}${sandbox !== null ? ` sandbox="${sandbox}"` : ''} style="width: 1000px; height: 600px"></iframe></body></html>`);
  });
  await new Promise<void>((resolve) => course.listen(0, '127.0.0.1', resolve));
  courseUrl = `http://127.0.0.1:${(course.address() as { port: number }).port}/`;
});
afterAll(async () => {
  course.closeAllConnections();
  await new Promise((resolve) => course.close(resolve));
});

/** The course page with the lab in its iframe, ready; the page and the lab's frame. */
async function openCourse(errors: string[]): Promise<{ page: Page; lab: Frame }> {
  const page = await newPage(errors);
  await page.goto(courseUrl);
  const lab = await (await page.waitForSelector('#lab'))!.contentFrame();
  if (!lab) throw new Error('the course page has no lab frame');
  await labReady(lab);
  return { page, lab };
}

const text = (f: Frame, selector: string) => f.$eval(selector, (e) => (e as HTMLElement).innerText);
const idle = (f: Frame) => f.waitForFunction(() => !document.body.dataset.busy, { timeout: 120_000, polling: 50 });

/** The Device & files tab shown (its link in the header, clicked as a user does), then Copy share link clicked. */
async function share(lab: Frame): Promise<void> {
  await lab.click('a[data-tab="tab-files"]');
  await lab.waitForFunction(() => !(document.getElementById('share') as HTMLButtonElement).disabled);
  await lab.click('#share');
  await idle(lab);
}

describe('the course lab in an iframe of another origin', () => {
  it('trains; says the frame keeps it to 1 thread (not the server) with a link to its own tab; Share refused the clipboard gives the link selected in a box', async () => {
    const errors: string[] = [];
    const { page, lab } = await openCourse(errors);
    expect(lab.url().startsWith(labUrl())).toBe(true);
    expect(new URL(lab.url()).origin).not.toBe(new URL(page.url()).origin);
    // The premise: the lab's server sent COOP/COEP (lab-lib.ts: vite preview), yet the frame is not isolated.
    expect(await lab.evaluate(() => crossOriginIsolated)).toBe(false);
    // One step trained in the frame.
    await lab.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '1'; });
    await lab.click('#train');
    await idle(lab);
    expect(await text(lab, '#train-out')).toMatch(/^1 step of SGD/);
    expect(await text(lab, '#device-badge')).toMatch(/^Training on wasm: .*, 1 thread$/);
    const why = await text(lab, '#device-why');
    // The reason is the frame, not the server's headers (it said "its server sent no … headers" to an instructor whose
    // server sent them).
    expect(why).toMatch(/1 thread because the lab is inside another page \(a frame\)/);
    expect(why).not.toMatch(/server sent no/);
    const own = await lab.$eval('#device-why a#own-tab', (a) => ({ href: (a as HTMLAnchorElement).href, target: (a as HTMLAnchorElement).target, text: a.textContent }));
    expect(own).toEqual({ href: labUrl(), target: '_blank', text: 'Open the lab in its own tab' });

    // Share: the frame's clipboard is refused (the iframe has no allow="clipboard-write"), and the link is in no
    // address bar the student sees: it is in a box, selected and focused, for Ctrl+C.
    await share(lab);
    const line = await text(lab, '#files-out');
    expect(line).not.toMatch(/address bar/);
    expect(line).toMatch(/^Copying was refused .*the link is selected in the box below — press Ctrl\+C/);
    const box = await lab.evaluate(() => {
      const b = document.querySelector<HTMLTextAreaElement>('#files-out ~ textarea');
      return b && { value: b.value, focused: document.activeElement === b, from: b.selectionStart, to: b.selectionEnd, label: b.getAttribute('aria-label'), at: location.href };
    });
    expect(box).not.toBeNull();
    expect(box!.value.startsWith(`${labUrl()}#spec=`)).toBe(true);
    expect(box!.value).toBe(box!.at);
    expect(box).toMatchObject({ focused: true, from: 0, to: box!.value.length, label: 'The share link' });
    // The course page's own address is untouched.
    expect(page.url()).toBe(courseUrl);
    // Another net: the box goes with the link.
    await lab.select('#preset', 'xor');
    await idle(lab);
    expect(await lab.$('#files-out ~ textarea')).toBeNull();
    // Chromium's own line for the refused writeText, the refusal the test is about; nothing else.
    expect(errors.filter((e) => !/^Permissions policy violation: The Clipboard API has been blocked/.test(e))).toEqual([]);
  });

  it('with allow="clipboard-write" (and the clipboard granted), Share copies the link and names no address bar', async () => {
    const errors: string[] = [];
    const page = await newPage(errors);
    const context = page.browserContext();
    const perms = ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write'] as const;
    await context.overridePermissions(new URL(courseUrl).origin, [...perms]);
    await context.overridePermissions(new URL(labUrl()).origin, [...perms]);
    try {
      await page.goto(`${courseUrl}?allow=clipboard-write`);
      const lab = (await (await page.waitForSelector('#lab'))!.contentFrame())!;
      await labReady(lab);
      await share(lab);
      expect(await text(lab, '#files-out')).toBe('Link copied: it opens the lab in a tab of its own.');
      expect(await lab.$('#files-out ~ textarea')).toBeNull();
      // Read back by the course page (the frame may not: its iframe allows writing alone).
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied.startsWith(`${labUrl()}#spec=`)).toBe(true);
    } finally {
      await context.clearPermissionOverrides();
    }
    expect(errors).toEqual([]);
  });

  it('sandboxed without allow-same-origin: the badge names the sandbox, not the address\'s slash', async () => {
    const errors: string[] = [];
    const page = await newPage(errors);
    await page.goto(`${courseUrl}?sandbox=allow-scripts`);
    const lab = (await (await page.waitForSelector('#lab'))!.contentFrame())!;
    await lab.waitForFunction(() => document.getElementById('device-badge')!.textContent !== 'Starting…', { timeout: 30_000 });
    const badge = await lab.$eval('#device-badge', (e) => e.textContent ?? '');
    expect(badge).toBe(`This page's script did not load: the lab is in a frame sandboxed without allow-same-origin, where browsers refuse its scripts. The page around it must give its iframe sandbox="allow-scripts allow-same-origin" (README: Embedding the lab in a course page), or open the lab in its own tab: ${labUrl()}`);
    expect(badge).not.toMatch(/slash/);
    // The browser's own line for the refused script (CORS, the frame's origin opaque) is all it logged.
    expect(errors.filter((e) => !/CORS|Failed to load resource/.test(e))).toEqual([]);
  });
});
