/**
 * What every press of Run (and every driver's request) does first, before it knows whether anything can run: the last
 * run's result and error go from the page's globals and its table, targets and chart from the page, so a Run that
 * finds nothing to run leaves `state` `error` beside no earlier run's result (usr56m: window.benchResults and the
 * table still held the previous run's). No DOM here: ui.ts hands over the page (test/bench-page-attempt.test.ts).
 */
import type { BenchResult } from '../report.ts';
import { nothingToRun } from './table.ts';

/** The page as a Run attempt touches it: window's globals, document.body.dataset, and ui.ts's DOM work. */
export interface AttemptPage {
  /** window: what a driver polls. */
  globals: { benchResults?: BenchResult; benchError?: string };
  /** document.body.dataset. */
  dataset: { state?: string };
  /** Empties the run's table, its targets (hidden) and its chart, and greys out the downloads (the last run's files). */
  clearLastRun(): void;
  /** Puts a line on the status line. */
  say(text: string): void;
}

/**
 * Clears the last run (its result, its error, its view), then checks that the request has something to run
 * (table.ts nothingToRun): if not, says why on the status line and in benchError, state `error`, and returns false.
 */
export function beginAttempt(req: { configs: readonly unknown[]; systems: readonly string[]; webgpuVariants?: readonly string[] }, page: AttemptPage): boolean {
  delete page.globals.benchResults;
  delete page.globals.benchError;
  page.clearLastRun();
  const empty = nothingToRun(req.configs.length, req.systems.length, req.systems.includes('ours-webgpu') ? (req.webgpuVariants?.length ?? 1) : undefined);
  if (empty === null) return true;
  // Nothing started: said on the page, and to a driver polling the state (npm run bench).
  page.say(empty);
  page.globals.benchError = empty;
  page.dataset.state = 'error';
  return false;
}

/**
 * A run's end (run.ts runInPage): its result in `window.benchResults` for a driver to read, and the state `done`, or
 * `stopped` for a run the page's Stop ended before it finished (BenchResult.stopped: a partial run, its rows not run
 * marked). Returns the state set.
 */
export function endAttempt(result: BenchResult, page: Pick<AttemptPage, 'globals' | 'dataset'>): 'done' | 'stopped' {
  page.globals.benchResults = result;
  const state = result.stopped ? 'stopped' : 'done';
  page.dataset.state = state;
  return state;
}
