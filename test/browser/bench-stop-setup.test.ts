/**
 * The bench page's Stop while a run sets up, and one run at a time (bench/page/stop.ts, ui.ts start, run.ts
 * runInPage), in the built page: Stop pressed right after Run — the run still in its set-up (the page's environment,
 * then config e's digits), nothing measured — said "stopping after the measurement under way"; it now says it stops
 * before the first measurement and the run ends `stopped`, every row not run. And a driver's window.benchRun while a
 * form run goes on (Run is disabled then; benchRun was not) took the page's one Stop over: it is refused now
 * (RunUnderWayError, in the alert), the form run going on to its end with its Stop. Node's side:
 * test/bench-page-stop-setup.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../bench/bench.ts';
import type { RunRequest } from '../../bench/page/run.ts';
import { disconnectSitePages, withSitePage } from './site-page.ts';

afterAll(disconnectSitePages);

describe('the bench page\'s Stop during the set-up, and one run at a time', () => {
  it('Stop right after Run says it stops before the first measurement and the run ends stopped; benchRun during a run is refused', async () => {
    await withSitePage(async (page, siteUrl, errors) => {
      await page.goto(new URL('bench.html?configs=a,qe-sgd&systems=ours-cpu&quick=1', siteUrl).href, { timeout: 120_000 });
      await page.waitForFunction(() => document.body.dataset.state === 'ready', { timeout: 120_000, polling: 100 });
      // Run, then Stop in the same task: the run is in its set-up (it awaits the page's environment first).
      const stopped = await page.evaluate(() => new Promise<{ said: string | null; state?: string; rows?: string[]; stop: boolean }>((resolve) => {
        const stop = document.getElementById('stop') as HTMLButtonElement;
        (document.getElementById('run') as HTMLButtonElement).click();
        stop.click();
        const said = document.getElementById('status')!.textContent;
        const poll = setInterval(() => {
          if (document.body.dataset.state === 'running') return;
          clearInterval(poll);
          resolve({ said, state: document.body.dataset.state, rows: window.benchResults?.rows.map((r) => `${r.config} ${r.system} ${r.status}: ${r.error ?? ''}`), stop: stop.disabled });
        }, 50);
      }));
      expect(stopped).toEqual({
        said: 'stopping before the first measurement (nothing has been measured yet)',
        state: 'stopped',
        rows: ['a ours-cpu skipped: not run (the run was stopped)', 'qe-sgd ours-cpu skipped: not run (the run was stopped)'],
        stop: true,
      });
      // A form run on a, and a driver's request in the same task: refused, the form run untouched.
      const q = parseArgs(['--quick', '--configs', 'a', '--systems', 'ours-cpu'], 'browser');
      const request: RunRequest = { mode: q.mode, configs: q.configs, systems: q.systems, policy: q.policy, command: 'the test\'s driver' };
      const both = await page.evaluate(async (req) => {
        (document.getElementById('configs')!.querySelector('input[value="qe-sgd"]') as HTMLInputElement).checked = false;
        const stop = document.getElementById('stop') as HTMLButtonElement;
        (document.getElementById('run') as HTMLButtonElement).click();
        let refused = '';
        try {
          await window.benchRun!(req);
        } catch (err) {
          refused = `${(err as Error).name}: ${(err as Error).message}`;
        }
        const during = { stop: stop.disabled, state: document.body.dataset.state, alert: document.getElementById('error')!.hidden ? null : document.getElementById('error')!.textContent };
        await new Promise<void>((resolve) => {
          const poll = setInterval(() => {
            if (document.body.dataset.state === 'running') return;
            clearInterval(poll);
            resolve();
          }, 50);
        });
        return { refused, during, state: document.body.dataset.state, rows: window.benchResults?.rows.map((r) => `${r.config} ${r.system} ${r.status}`), command: window.benchResults?.command, stop: stop.disabled };
      }, request);
      expect(both.refused).toMatch(/^RunUnderWayError: a run is already under way on this page: this one started nothing/);
      expect(both.during).toEqual({ stop: false, state: 'running', alert: expect.stringMatching(/^a run is already under way on this page/) });
      expect([both.state, both.rows, both.stop]).toEqual(['done', ['a ours-cpu ok'], true]);
      expect(both.command).not.toBe('the test\'s driver');
      expect(errors).toEqual([]);
    });
  }, 300_000);
});
