/**
 * The bench page's tables on a phone (390 × 844), in the built page (src/lab/bench.html's style): the results table
 * scrolls sideways in its own box, and the browser still shrank its columns, breaking a system's name at its hyphen
 * ("ours-" over "wasm", "jax-wasm (1 worker)" on four lines) and a number from its sign or unit (the targets table's
 * "≥" over "1000×") — vis57's screenshots. Now a row header of the results table (config, system) and every number
 * cell of the targets table (td.num: wanted, measured) is one line (the results' ratios may still wrap at their
 * "(vs 1 thread)": kept whole they squeezed the agreement column at 1280 px). Lines are counted as the distinct tops of the text's boxes (a Range's
 * client rects: one per line the text takes). No timing is asserted.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { disconnectSitePages, withSitePage } from './site-page.ts';

afterAll(disconnectSitePages);

describe('the bench page\'s tables at 390 px wide', () => {
  it('a row header and a target\'s number stay on one line; the results table scrolls in its box, the page does not', async () => {
    await withSitePage(async (page, siteUrl, errors) => {
      await page.setViewport({ width: 390, height: 844 });
      // Config a on six systems: two targets (a: ours-webgpu vs jax-wasm (vs 1 worker), ≥ 1000×, its long name narrowing
      // the numbers' columns; a: ours-cpu vs tfjs-cpu, ≥ 100×) and eleven columns.
      await page.goto(new URL('bench.html?configs=a&systems=ours-webgpu,ours-cpu,ours-wasm,tfjs-cpu,tfjs-wasm,jax-wasm&quick=1&autorun=1', siteUrl).href, { timeout: 120_000 });
      await page.waitForFunction(() => ['done', 'stopped', 'error'].includes(document.body.dataset.state ?? ''), { timeout: 240_000, polling: 100 });
      expect(await page.evaluate(() => document.body.dataset.state)).toBe('done');
      const cells = await page.evaluate(() => {
        const lines = (cell: Element): number => {
          const range = document.createRange();
          range.selectNodeContents(cell);
          return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
        };
        const read = (sel: string) => [...document.querySelectorAll(sel)].filter((c) => (c.textContent ?? '') !== '').map((c) => ({ text: c.textContent ?? '', lines: lines(c) }));
        return {
          headers: read('#table tbody th'),
          targets: read('#targets td.num'),
          page: document.documentElement.scrollWidth,
          table: document.getElementById('table')!.scrollWidth,
        };
      });
      // Twelve row headers (a and the system, six rows), the targets' wanted and measured (≥ 1000×, ≥ 100×, the ratios).
      expect(cells.headers).toHaveLength(12);
      expect(cells.targets.map((c) => c.text)).toEqual(expect.arrayContaining(['≥ 1000×', '≥ 100×']));
      for (const c of [...cells.headers, ...cells.targets]) expect(c.lines, c.text).toBe(1);
      expect(cells.page).toBeLessThanOrEqual(390);
      expect(cells.table).toBeGreaterThan(390);
      expect(errors).toEqual([]);
    });
  }, 300_000);
});
