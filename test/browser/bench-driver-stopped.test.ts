/**
 * `npm run bench` (bench/browser.ts runBrowserBench) when its page's Stop ends the run: the line saying so is written
 * beside the progress line, and the partial result comes back marked stopped (runOnePage, pageOutcome). mut58: the
 * line's writing (runOnePage: `if (line) progress.line(line)`) is reached only in Chromium, and no test read it.
 * The driver's page is found as the run opens it and its Stop clicked once it runs; the repetitions' target is 60 s, so
 * no row can finish before the press (no timing is asserted: only that the press comes before a minute's repetition).
 */
import puppeteer, { type Browser, type Target } from 'puppeteer-core';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { parseArgs } from '../../bench/bench.ts';
import { runBrowserBench } from '../../bench/browser.ts';

let browser: Browser | undefined;
afterAll(async () => {
  await browser?.disconnect();
});

describe('npm run bench with its page stopped', () => {
  it('says the run was stopped, counting the rows, and returns the partial result marked stopped', async () => {
    browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
    const parsed = parseArgs(['--quick', '--configs', 'a', '--systems', 'ours-cpu,tfjs-cpu'], 'browser');
    const o = { ...parsed, quiet: true, policy: { ...parsed.policy, targetRepMs: 60_000, rowBudgetMs: 600_000 } };
    const press = async (t: Target): Promise<void> => {
      const p = await t.page();
      if (!p) return;
      await p.waitForFunction(() => document.body?.dataset.state === 'running', { timeout: 120_000, polling: 20 });
      await p.click('#stop');
    };
    const onTarget = (t: Target): void => void press(t).catch(() => undefined);
    browser.on('targetcreated', onTarget);
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (written.push(String(s)), true));
    try {
      const { result } = await runBrowserBench(o, 'npm run bench', browser);
      expect(result.stopped).toBe(true);
      expect(result.rows.map((r) => `${r.config} ${r.system} ${r.status}`)).toEqual(['a ours-cpu skipped', 'a tfjs-cpu skipped']);
    } finally {
      spy.mockRestore();
      browser.off('targetcreated', onTarget);
    }
    // Pressed before any row finished: none finished, both of the plan's rows not run.
    expect(written).toContain("the bench page's run was stopped (Stop pressed): 0 rows finished, 2 rows not run; the partial result follows, marked stopped\n");
  }, 300_000);
});
