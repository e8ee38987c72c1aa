/**
 * The built bench page from the keyboard, as a screen reader user drives it (a11y57; the words and rules are
 * bench/page/voice.ts's, tested in Node by test/bench-page-voice.test.ts; this file checks that ui.ts wires them):
 * Enter on Run hands the focus to Stop (it went to the page, Run being disabled), Space on Stop is heard on #said,
 * the run's end gives the focus back to Run and writes its last line with the status line no longer busy; a bad link's
 * alert has the focus at load. And the page in the dark scheme (dark, its chart on a white card), and its "Compare two
 * runs" box: a committed run uploaded as A against the page's stopped run (bench/page/compare-ui.ts). No timing is
 * asserted.
 */
import { join } from 'node:path';
import type { ElementHandle } from 'puppeteer-core';
import { afterAll, describe, expect, it } from 'vitest';
import { STOPPING } from '../../bench/page/stop.ts';
import { disconnectSitePages, withSitePage } from './site-page.ts';

afterAll(disconnectSitePages);

describe('the bench page from the keyboard', () => {
  it('Enter on Run: focus on Stop; Space on Stop: heard; the end: focus on Run, the last line heard; a bad link: focus on its alert', async () => {
    await withSitePage(async (page, siteUrl, errors) => {
      const focused = (): Promise<string> => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName || '');
      await page.goto(new URL('bench.html?configs=a,b-mse&systems=ours-cpu,tfjs-cpu&quick=1', siteUrl).href, { timeout: 120_000 });
      await page.waitForFunction(() => document.body.dataset.state === 'ready', { timeout: 120_000, polling: 100 });
      // Every write to #said, and each status line written while the status line was not busy (what is heard).
      await page.evaluate(() => {
        const [said, status] = [document.getElementById('said')!, document.getElementById('status')!];
        const heard: string[] = [];
        Object.assign(window, { heard });
        new MutationObserver(() => heard.push(`said: ${said.textContent}`)).observe(said, { childList: true, characterData: true, subtree: true });
        new MutationObserver(() => { if (status.getAttribute('aria-busy') !== 'true') heard.push(`status: ${status.textContent}`); }).observe(status, { childList: true, characterData: true, subtree: true });
      });
      await page.focus('#run');
      await page.keyboard.press('Enter');
      expect(await focused()).toBe('stop');
      // Space on Stop once a's two rows are in.
      await page.waitForFunction(() => [...document.querySelectorAll('#table tbody tr')].filter((tr) => tr.children[0]?.textContent === 'a' && !/running|waiting/.test(tr.textContent ?? '')).length === 2, { timeout: 120_000, polling: 20 });
      expect(await focused()).toBe('stop');
      await page.keyboard.press('Space');
      await page.waitForFunction(() => document.body.dataset.state !== 'running', { timeout: 120_000, polling: 100 });
      expect(await page.evaluate(() => document.body.dataset.state)).toBe('stopped');
      expect(await focused()).toBe('run');
      const heard = await page.evaluate(() => (window as unknown as { heard: string[] }).heard);
      expect(heard[0]).toBe('said: starting: a, b-mse on ours-cpu, tfjs-cpu …');
      expect(heard).toContain('said: 2 of 4 rows done');
      expect(heard).toContain(`said: ${STOPPING}`);
      expect(heard.filter((h) => h.startsWith('status: '))).toEqual([expect.stringMatching(/^status: stopped after \S+ s: 2 rows ran and agreed \(2 not run\)$/)]);
      expect(await page.$eval('#status', (e) => e.getAttribute('aria-busy'))).toBeNull();
      // A config box's description is its title (what the config is).
      expect(await page.$eval('input[name="config"][value="a"]', (e) => e.title)).toMatch(/^a: 2-/);
      expect(errors).toEqual([]);
      // The system prefers dark (README "In your own browser", under Benchmark): the page turns dark (#111827 =
      // rgb(17, 24, 39)) without a reload, the steps/s chart stays on its white card; back in the light scheme the page
      // is light again (the body's own background transparent over the white canvas). Print is not checked here: this
      // Chromium prints light even with a dark block that is not screen-only (tried). The colours' contrast:
      // test/bench-page-dark.test.ts.
      const look = () => page.evaluate(() => ({
        body: getComputedStyle(document.body).backgroundColor,
        cards: [...document.querySelectorAll('#chart svg')].map((s) => getComputedStyle(s).backgroundColor),
      }));
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
      const dark = await look();
      expect(dark.body).toBe('rgb(17, 24, 39)');
      expect(dark.cards.length).toBeGreaterThan(0);
      for (const c of dark.cards) expect(c).toBe('rgb(255, 255, 255)');
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
      expect((await look()).body).toBe('rgba(0, 0, 0, 0)');
      // Compare with a saved run (README "Comparing two runs"): a committed run picked as A, this page's stopped run
      // its B (no B file picked). A's cells are fair-run-57.json's own medians (a ours-cpu 0.000536…, b-mse 6.93…).
      const pick = await page.$('#cmp-a');
      await (pick as ElementHandle<HTMLInputElement>).uploadFile(join(import.meta.dirname, '..', '..', 'bench', 'results', 'fair-run-57.json'));
      await page.waitForFunction(() => document.querySelector('#compare table') !== null, { timeout: 30_000, polling: 100 });
      const compared = await page.evaluate(() => ({
        caption: document.querySelector('#compare caption')?.textContent,
        warnings: [...document.querySelectorAll('#compare li')].map((li) => li.textContent),
        rows: [...document.querySelectorAll('#compare tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent)),
        scrolls: getComputedStyle(document.getElementById('compare')!).overflowX,
        download: (document.getElementById('dl-cmp') as HTMLButtonElement).disabled,
        error: document.getElementById('cmp-error')!.hidden,
        // What a screen reader hears of the pick (bench/page/voice.ts note): its rows and warnings, as drawn.
        said: document.getElementById('said')!.textContent,
        counts: [document.querySelectorAll('#compare tbody tr').length, document.querySelectorAll('#compare li').length],
      }));
      expect(compared.said).toBe(`compared: ${compared.counts[0]} rows, ${compared.counts[1]} warning${compared.counts[1] === 1 ? '' : 's'}`);
      expect(compared.caption).toMatch(/^Run B against run A: a row for each config and system \(\d+ rows\)$/);
      expect(compared.warnings).toContain('warning: B was stopped before it finished: a partial run');
      expect(compared.rows).toContainEqual(['a', 'ours-cpu', '0.54 µs/step', expect.stringMatching(/ (µs|ms|s)\/step$/), expect.stringMatching(/× (slower|faster)$|\(same\)$/), '0.52 µs–0.54 µs (3 reps)', expect.stringMatching(/\(\d+ reps?\)$/), expect.any(String)]);
      expect(compared.rows).toContainEqual(['b-mse', 'ours-cpu', '6.93 ms/step', 'not run', '—', '6.88 ms–7.36 ms (3 reps)', '', 'no ratio: B not run']);
      expect(compared.rows).toContainEqual(['a', 'tfjs-cpu', '—', expect.stringMatching(/ (µs|ms|s)\/step$/), '—', '', expect.stringMatching(/\(\d+ reps?\)$/), 'only in B']);
      expect(compared).toMatchObject({ scrolls: 'auto', download: false, error: true });
      expect(errors).toEqual([]);
      await page.goto(new URL('bench.html?configs=zz', siteUrl).href, { timeout: 120_000 });
      await page.waitForFunction(() => document.body.dataset.state === 'error', { timeout: 120_000, polling: 100 });
      expect(await focused()).toBe('error');
    });
  }, 300_000);
});
