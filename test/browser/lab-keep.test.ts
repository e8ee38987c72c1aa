/**
 * A reload keeps the net (src/lab/keep-page.ts; README "The course lab", **Back, reload and a second tab.**): the
 * lecture trained (Train, then a Fit of Adam), the Loss surface tab open, the page reloaded — the same weights (Export
 * spec's, bit for bit), the same loss curve (Export CSV's doubles), the tab, and the line saying so; the entry the page
 * keeps again is the one it read. Then a link the tab opens, other than the address the net was kept at, wins; Reset
 * leaves nothing kept.
 */
import { describe, expect, it } from 'vitest';
import { act, download, downloaded, errorNotice, labReady, labUrl, openLab, presetMenu, text, useLab } from './lab-lib.ts';

const { downloads } = useLab('keep');

describe('a reload of the lab', () => {
  it('brings back the trained net, its curve and tab; another link wins', async () => {
    const errors: string[] = [];
    const page = await openLab(errors);
    page.on('dialog', (d) => void d.accept()); // the leave-page question (main.ts beforeunload)
    await (await page.createCDPSession()).send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await page.$eval('#train-steps', (e) => { (e as HTMLInputElement).value = '30'; });
    await act(page, '#train');
    await page.$eval('#fit-epochs', (e) => { (e as HTMLInputElement).value = '5'; });
    await act(page, '#fit');
    await page.$eval('#tab-surface', (e) => (e as HTMLElement).click());
    const entry = () => page.evaluate(() => sessionStorage.getItem('backprop-lab:kept-net'));
    const place = () => page.evaluate(() => JSON.parse(sessionStorage.getItem('backprop-lab:kept-place') ?? 'null') as unknown);
    const spec = await download(page, '#export-spec', 'lecture-2-2-1.json');
    const csv = (await downloaded(page, '#export-csv', 'lecture-2-2-1-loss.csv')).toString('utf8');
    // Points of the Train (its chunks: at least its first step and its last) and one a Fit epoch (5).
    expect(csv.trim().split('\n').length - 1).toBeGreaterThanOrEqual(2 + 5);
    // Written when the page is idle after each action (the Exports too); the place with the tab open.
    await page.waitForFunction(() => (JSON.parse(sessionStorage.getItem('backprop-lab:kept-net') ?? '{}') as { steps?: number }).steps === 35);
    const kept = await entry();
    expect(JSON.parse(kept!)).toMatchObject({ steps: 35 });
    expect(await place()).toEqual({ address: '', tab: 'tab-surface' });
    const fitLine = await text(page, '#train-out'); // the Fit's summary, kept with the net (keep-page.ts)
    expect(fitLine).toMatch(/^5 epochs of Adam /);

    await page.reload();
    await labReady(page.mainFrame());
    expect(await text(page, '#train-out')).toBe(fitLine);
    expect(await text(page, '#stage-out')).toMatch(/^Restored your net from before the reload: 35 steps and its loss curve, on .*\. Reset starts over from its starting weights\.$/);
    expect(await download(page, '#export-spec', 'lecture-2-2-1.json')).toEqual(spec);
    expect((await downloaded(page, '#export-csv', 'lecture-2-2-1-loss.csv')).toString('utf8')).toBe(csv);
    expect(await page.$eval('#tab-surface', (e) => e.getAttribute('aria-selected'))).toBe('true');
    expect(JSON.parse((await entry())!)).toEqual(JSON.parse(kept!));
    expect(await place()).toEqual({ address: '', tab: 'tab-surface' });

    // Another page in the tab, then a link to the lab (a course page's): the link's net, not the one kept at ''.
    await page.goto('about:blank');
    await page.goto(`${labUrl()}#preset=xor`);
    await labReady(page.mainFrame());
    expect((await presetMenu(page))[0]).toBe('xor');
    expect(await page.$eval('#loss-chart', (c) => c.getAttribute('aria-label'))).toBe('Loss curve: no points yet');
    expect([await entry(), await place()]).toEqual([null, null]); // nothing trained on the link's net: nothing kept
    // Trained, the page never idle after (no idle callback comes): nothing written yet; then hidden (a phone's tab
    // switched away from, to be discarded): the Train's net written at once. Reset: nothing kept (a reload then opens
    // the link's net afresh).
    await page.evaluate(() => { window.requestIdleCallback = () => 0; });
    await act(page, '#train');
    expect(await entry()).toBeNull();
    await page.evaluate(() => dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false })));
    expect((JSON.parse((await entry())!) as { steps: number }).steps).toBeGreaterThan(0);
    expect(await place()).toEqual({ address: '#preset=xor', tab: 'tab-notation' });
    await act(page, '#reset');
    expect([await entry(), await place()]).toEqual([null, null]);
    expect(errors).toEqual([]);
  }, 60_000);

  // A reload offline (a phone on a train): the kept MNIST net's digits do not load. The entry stays, the notice says
  // so, an action on the net shown meanwhile (nothing trained) leaves it, and the next reload online restores it.
  it("keeps the net whose digits did not load at the reload, for the next one", async () => {
    const page = await openLab([]);
    page.on('dialog', (d) => void d.accept());
    await page.select('#preset', 'mnist');
    await page.waitForFunction(() => document.body.dataset.busy === undefined && (document.getElementById('preset') as HTMLSelectElement).value === 'mnist', { timeout: 60_000 });
    await page.$eval('#fit-epochs', (e) => { (e as HTMLInputElement).value = '1'; });
    await act(page, '#fit');
    await page.waitForFunction(() => sessionStorage.getItem('backprop-lab:kept-net') !== null, { timeout: 10_000 });
    const entry = () => page.evaluate(() => sessionStorage.getItem('backprop-lab:kept-net'));
    const kept = await entry();
    let offline = true;
    await page.setCacheEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (req) => void (offline && req.url().includes('/assets/virtual_mnist-subset-') ? req.abort('internetdisconnected') : req.continue()));
    await page.reload();
    await labReady(page.mainFrame());
    expect(await errorNotice(page)).toMatch(/^Restoring your net from before the reload failed — .*\. The MNIST digits did not load: check the connection\. Your net is still kept for this tab: reload the page to restore it \(the net shown meanwhile is not it\)\./s);
    expect(await entry()).toBe(kept);
    await act(page, '#step-forward');
    expect(await entry()).toBe(kept);
    await page.evaluate(() => dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false })));
    expect(await entry()).toBe(kept);
    offline = false;
    await page.reload();
    await labReady(page.mainFrame());
    expect(await text(page, '#stage-out')).toMatch(/^Restored your net from before the reload: 10 steps and its loss curve/);
    expect((await presetMenu(page))[0]).toBe('mnist');
  }, 120_000);

  // A frame whose browser blocks third-party storage (an LMS's iframe: reading sessionStorage throws a SecurityError):
  // nothing can be kept, and the page says so once, as when the storage refuses the entry.
  it('says the net is not kept where the page gets no storage', async () => {
    const errors: string[] = [];
    const page = await openLab(errors, '', (p) => p.evaluateOnNewDocument(() => {
      Object.defineProperty(window, 'sessionStorage', { get() { throw new DOMException('Access is denied for this document.', 'SecurityError'); } });
    }));
    await act(page, '#train');
    await page.waitForFunction(() => /not kept/.test(document.getElementById('train-out')!.textContent ?? ''), { timeout: 10_000 });
    expect(await text(page, '#train-out')).toMatch(/\. This net is not kept for a reload \(the browser gives this page no storage here\): Export spec keeps it\.$/);
    expect(errors).toEqual([]);
  }, 60_000);
});
