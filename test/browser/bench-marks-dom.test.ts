/**
 * The bench page's time/step cell with a mark, as the page draws it (bench/page/ui.ts renderRows, markSpan; the
 * pieces from table.ts cellParts): the mark is seen and hidden from a screen reader (aria-hidden), and the words it
 * stands for, those of the note under the table, are read and not seen (the visually-hidden class). mut58: nothing
 * in Node reaches the DOM half, and no browser test read a marked cell (a † depends on the run's speed). Here the
 * driver's policy makes the † certain: repetitions of at most 1 step against a 60 s target, so each lasts far under
 * half of it (report.ts shortReps), and 5 of them stay under the 2 s row budget (not capped, which would be `*`). The
 * second case reads the tab hidden through a run (bench/page/hidden.ts): nothing in Node reaches run.ts's wiring or ‡ drawn.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../bench/bench.ts';
import type { RunRequest } from '../../bench/page/run.ts';
import { disconnectSitePages, withSitePage } from './site-page.ts';

afterAll(disconnectSitePages);

describe('a marked time/step cell on the page', () => {
  it('† seen but hidden from a screen reader; "(repetitions under half the target)" read but not seen', async () => {
    await withSitePage(async (page, siteUrl, errors) => {
      await page.goto(new URL('bench.html?driven=1', siteUrl).href, { timeout: 120_000 });
      // Before any run: the results and charts regions are hidden (an empty region was announced).
      expect(await page.evaluate(() => ['table', 'chart'].map((id) => document.getElementById(id)!.hidden))).toEqual([true, true]);
      const q = parseArgs(['--quick', '--configs', 'a', '--systems', 'ours-cpu'], 'browser');
      const request: RunRequest = {
        mode: q.mode, configs: q.configs, systems: q.systems, policy: { ...q.policy, targetRepMs: 60_000, maxStepsPerRep: 1 }, command: 'the test\'s driver',
        env: { jaxWasmWorkers: 0, oursWasmThreads: 1 }, host: { cpu: { model: 'the driver\'s CPU', cores: 2 } },
      };
      const cell = await page.evaluate(async (req) => {
        await window.benchRun!(req);
        const table = document.getElementById('table')!;
        const col = [...table.querySelectorAll('thead th')].findIndex((th) => th.textContent === 'time/step (median)');
        const td = table.querySelector('tbody tr')!.children[col] as HTMLElement;
        const spans = [...td.querySelectorAll('span')];
        return {
          shown: !table.hidden,
          nodes: [...td.childNodes].map((n) => (n instanceof HTMLElement ? `${n.tagName.toLowerCase()}${n.className ? `.${n.className}` : ''}${n.getAttribute('aria-hidden') ? `[aria-hidden=${n.getAttribute('aria-hidden')}]` : ''}: ${n.textContent}` : `text: ${n.textContent}`)),
          seen: spans.map((s) => s.getBoundingClientRect().width > 1),
        };
      }, request);
      expect(cell.shown).toBe(true);
      expect(cell.nodes).toHaveLength(3);
      expect(cell.nodes[0]).toMatch(/^text: [\d.]+ (µs|ms|s)$/);
      expect(cell.nodes.slice(1)).toEqual(['span[aria-hidden=true]: †', 'span.visually-hidden:  (repetitions under half the target)']);
      // The mark takes room on the screen; the words take none (1 px, clipped).
      expect(cell.seen).toEqual([true, false]);
      expect(errors).toEqual([]);
    });
  }, 300_000);

  it('a run while the tab reads hidden (bench/page/hidden.ts, wired in run.ts): every repetition counted, ‡ seen and "(timed while the tab was hidden)" read, the status line says to rerun', async () => {
    await withSitePage(async (page, siteUrl, errors) => {
      await page.goto(new URL('bench.html?driven=1', siteUrl).href, { timeout: 120_000 });
      const q = parseArgs(['--quick', '--configs', 'a', '--systems', 'ours-cpu', '--rep-steps', '3', '--reps', '2'], 'browser');
      const request: RunRequest = {
        mode: q.mode, configs: q.configs, systems: q.systems, policy: q.policy, command: 'the test\'s driver',
        env: { jaxWasmWorkers: 0, oursWasmThreads: 1 }, host: { cpu: { model: 'the driver\'s CPU', cores: 2 } },
      };
      const out = await page.evaluate(async (req) => {
        // The tab hidden for the whole run: the state a background tab reads (no event: it was hidden before the run).
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        const result = await window.benchRun!(req);
        delete (document as { visibilityState?: string }).visibilityState;
        const table = document.getElementById('table')!;
        const col = [...table.querySelectorAll('thead th')].findIndex((th) => th.textContent === 'time/step (median)');
        const td = table.querySelector('tbody tr')!.children[col] as HTMLElement;
        return { hiddenReps: result.rows[0].hiddenReps, spans: [...td.querySelectorAll('span')].map((n) => `${n.className}${n.getAttribute('aria-hidden') ? '[aria-hidden]' : ''}: ${n.textContent}`), status: document.getElementById('status')!.textContent };
      }, request);
      expect(out.hiddenReps).toBe(2);
      expect(out.spans).toEqual(['[aria-hidden]: ‡', 'visually-hidden:  (timed while the tab was hidden)']);
      expect(out.status).toMatch(/: 1 row ran and agreed; the tab was hidden during 1 row \(‡\); their times may be throttled — rerun with the tab in front$/);
      expect(errors).toEqual([]);
    });
  }, 300_000);
});
