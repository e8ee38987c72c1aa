/**
 * A Run that finds nothing to run (usr56m): the state went to `error` while window.benchResults and the table still
 * held the previous run's. bench/page/attempt.ts beginAttempt clears the last run first, on every attempt.
 */
import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../bench/report.ts';
import { type AttemptPage, beginAttempt } from '../bench/page/attempt.ts';

/** A page after an earlier run: its result in the globals, its view on the page (`view`), state done. */
function pageAfterRun(): AttemptPage & { said: string[]; view: string } {
  const page = {
    globals: { benchResults: { ok: true } as BenchResult, benchError: 'an earlier error' } as { benchResults?: BenchResult; benchError?: string },
    dataset: { state: 'done' } as { state?: string },
    said: [] as string[],
    view: 'the last run',
    clearLastRun() { page.view = 'cleared'; },
    say(text: string) { page.said.push(text); },
  };
  return page;
}

describe('beginAttempt: every Run first clears the last run', () => {
  it('nothing to run: the last result, error and view gone, why said, state error, false', () => {
    const page = pageAfterRun();
    expect(beginAttempt({ configs: [], systems: ['ours-cpu'] }, page)).toBe(false);
    expect('benchResults' in page.globals).toBe(false);
    expect(page.view).toBe('cleared');
    const why = 'nothing to run: no config selected — tick at least one system and one config';
    expect(page.said).toEqual([why]);
    expect(page.globals.benchError).toBe(why);
    expect(page.dataset.state).toBe('error');
  });
  it('ours-webgpu with no kernel variant is nothing to run too, and clears alike', () => {
    const page = pageAfterRun();
    expect(beginAttempt({ configs: [{}], systems: ['ours-webgpu'], webgpuVariants: [] }, page)).toBe(false);
    expect(page.globals.benchResults).toBeUndefined();
    expect(page.view).toBe('cleared');
    expect(page.globals.benchError).toMatch(/^nothing to run for ours-webgpu: no kernel variant selected/);
  });
  it('something to run: cleared, nothing said, no error, the state left to the run, true', () => {
    const page = pageAfterRun();
    expect(beginAttempt({ configs: [{}], systems: ['ours-cpu'] }, page)).toBe(true);
    expect(page.globals).toEqual({});
    expect(page.view).toBe('cleared');
    expect(page.said).toEqual([]);
    expect(page.dataset.state).toBe('done');
  });
});
