/**
 * Boundaries of a stopped run (the first two from mutation audit mut57: each went unnoticed).
 *
 * Stop pressed during the last row's preparation: the config's untimed settle (Driver.settle, SETTLE_MS = 2 s in the
 * page) is not waited for — no repetition follows it, so the run would end 2 s after the press for nothing
 * (protocol.ts measureConfig). Stop pressed during that settle: it is not waited out either (soak58: the page sat
 * idle for the rest of the 2 s, then said stopped).
 *
 * A fit config (e) stopped after a system's fit erred: the erred row keeps its error in the stopped run's result —
 * measureFits makes not run only the rows still `ok` with fewer fits than asked (bench/epochs.ts). Replacing an erred
 * row by "not run (the run was stopped)" would hide the error from the table, the Markdown and the status line.
 * Stub drivers.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../bench/bench.ts';
import { measureAll } from '../bench/measure.ts';
import type { Driver } from '../bench/protocol.ts';
import type { EpochStat } from '../bench/fit-systems.ts';

const env = { runner: 'browser' as const, cpu: { model: 'x', cores: 2 } };
const NOT_RUN = 'not run (the run was stopped)';
const epochs: EpochStat[] = [{ epoch: 1, at: 1, loss: 0.5, testAccuracy: 0.8 }, { epoch: 2, at: 2, loss: 0.4, testAccuracy: 0.9 }];

describe('a stopped fit config keeps an erred row\'s error', () => {
  it('jax-wasm\'s fit throws, Stop pressed during ours-cpu\'s: jax-wasm erred, ours-cpu ok, ours-wasm not run', async () => {
    const stop = new AbortController();
    const calls: string[] = [];
    const driver: Driver = {
      open: async () => { throw new Error('no steps in a fit config'); },
      train: async () => { throw new Error('no steps in a fit config'); },
      close: async () => undefined,
      fit: async (system) => {
        calls.push(system);
        if (system === 'jax-wasm') throw new Error('jax-js failed to load');
        if (system === 'ours-cpu') stop.abort();
        return { description: system, epochs };
      },
    };
    const o = { ...parseArgs(['--configs', 'qe-sgd', '--systems', 'jax-wasm,ours-cpu,ours-wasm'], 'browser'), quiet: true };
    const result = await measureAll(driver, o, o.configs, env, 'test', { show: () => undefined, done: () => undefined }, stop.signal);
    expect(calls).toEqual(['jax-wasm', 'ours-cpu']);
    expect(result.rows.map((r) => [r.system, r.status])).toEqual([['jax-wasm', 'error'], ['ours-cpu', 'ok'], ['ours-wasm', 'skipped']]);
    expect(result.rows[0].error).toContain('jax-js failed to load');
    expect(result.rows[2].error).toBe(NOT_RUN);
    expect(result.stopped).toBe(true);
  });
});

describe('a run stopped during the last row\'s preparation', () => {
  it('does not wait for the settle: no settle, no repetition, both rows not run, both closed', async () => {
    const stop = new AbortController();
    const log: string[] = [];
    let opened = 0;
    const driver: Driver = {
      open: async (system) => (log.push(`open ${system}`), { id: opened++, description: system }),
      train: async (id, steps) => {
        log.push(`train ${id}`);
        // Train 1: tfjs-cpu's agreement steps, the last row's preparation.
        if (id === 1) stop.abort();
        return { loss: 1, ms: steps };
      },
      close: async (id) => void log.push(`close ${id}`),
      params: async (id) => (log.push(`params ${id}`), new Float32Array(9)),
      settle: async (ms) => void log.push(`settle ${ms}`),
    };
    const o = { ...parseArgs(['--configs', 'a', '--systems', 'ours-cpu,tfjs-cpu', '--rep-steps', '1', '--reps', '2'], 'browser'), quiet: true };
    const result = await measureAll(driver, o, o.configs, env, 'test', { show: () => undefined, done: () => undefined }, stop.signal);
    expect(log).toEqual(['open ours-cpu', 'train 0', 'params 0', 'open tfjs-cpu', 'train 1', 'params 1', 'close 0', 'close 1']);
    expect(result.rows.map((r) => r.error)).toEqual([NOT_RUN, NOT_RUN]);
    // The same run unstopped settles once, before its first repetition (so the settle's absence above is the stop's doing).
    const whole: string[] = [];
    let n = 0;
    await measureAll({ ...driver, open: async (system) => ({ id: n++, description: system }), train: async (id, steps) => (whole.push(`train ${id}`), { loss: 1, ms: steps }), settle: async (ms) => void whole.push(`settle ${ms}`) }, o, o.configs, env, 'test', { show: () => undefined, done: () => undefined });
    expect(whole.slice(0, 3)).toEqual(['train 0', 'train 1', 'settle 2000']);
  });
});

describe('a run stopped during the config\'s settle', () => {
  it('ends at the press: the settle is not waited out (soak58: Stop there held the page for the rest of its 2 s)', async () => {
    const stop = new AbortController();
    const log: string[] = [];
    let opened = 0;
    // The page's settle is a 2 s timer; here it ends only when the test ends it, after the run is looked at.
    let endSettle = (): void => undefined;
    const driver: Driver = {
      open: async (system) => (log.push(`open ${system}`), { id: opened++, description: system }),
      train: async (id, steps) => (log.push(`train ${id}`), { loss: 1, ms: steps }),
      close: async (id) => void log.push(`close ${id}`),
      params: async (id) => (log.push(`params ${id}`), new Float32Array(9)),
      settle: (ms) => {
        log.push(`settle ${ms}`);
        setImmediate(() => stop.abort()); // Stop pressed while the page idles, a task later
        return new Promise<void>((resolve) => { endSettle = resolve; });
      },
    };
    const o = { ...parseArgs(['--configs', 'a', '--systems', 'ours-cpu,tfjs-cpu', '--rep-steps', '1', '--reps', '2'], 'browser'), quiet: true };
    let ended = false;
    const run = measureAll(driver, o, o.configs, env, 'test', { show: () => undefined, done: () => undefined }, stop.signal)
      .finally(() => { ended = true; });
    // Every stub answers at once: a run that does not wait on the settle has ended after a few turns of the event loop.
    for (let k = 0; k < 6 && !ended; k++) await new Promise((r) => setImmediate(r));
    const endedBeforeSettle = ended;
    endSettle();
    const result = await run;
    expect(endedBeforeSettle).toBe(true);
    // No repetition after the settle; both rows closed and not run.
    expect(log).toEqual(['open ours-cpu', 'train 0', 'params 0', 'open tfjs-cpu', 'train 1', 'params 1', 'settle 2000', 'close 0', 'close 1']);
    expect(result.rows.map((r) => r.error)).toEqual([NOT_RUN, NOT_RUN]);
    expect(result.stopped).toBe(true);
  });
});
