/**
 * `npm run bench` (bench/browser.ts runBrowserBench) in Chromium, the lines it writes beside its progress line
 * (runOnePage; bench.ts Progress.line). When its page's Stop ends the run: the line saying so, and the partial result
 * marked stopped (pageOutcome). On a terminal, a --mnist data note clears the progress line first. mut58: both are
 * reached only in Chromium (runOnePage), and no test read them.
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

describe('npm run bench in Chromium: its lines beside the progress line', () => {
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

  it('on a terminal: the --mnist note clears the progress line before it (the two ran together on one line)', async () => {
    browser ??= await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
    // Config a has 2 inputs: --mnist gives b-ce the digits, leaves a its own data, and says so (bench.ts prepareData's note). Not quiet, so
    // the progress line is drawn; stderr a terminal, so it is drawn in place (`\r`, ESC [ K clears the line).
    const o = parseArgs(['--quick', '--mnist', '--configs', 'a,b-ce', '--systems', 'ours-cpu'], 'browser');
    const written: string[] = [];
    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (written.push(String(s)), true));
    try {
      await runBrowserBench(o, 'npm run bench', browser);
    } finally {
      spy.mockRestore();
      if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
    const note = written.indexOf('--mnist: a keep their own data (MNIST needs 784 inputs and 10 outputs)\n');
    expect(note).toBeGreaterThan(1);
    // Drawn first: the progress line "[0:00] starting the bench server and Chromium", in place; then cleared; then the note.
    expect(written.slice(0, note + 1)).toEqual(['\r\x1b[K[0:00] starting the bench server and Chromium', '\r\x1b[K', written[note]]);
  }, 300_000);
});
