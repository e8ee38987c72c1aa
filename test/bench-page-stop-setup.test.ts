/**
 * The bench page's Stop pressed while a run still sets up (bench/page/stop.ts; run.ts runInPage): before any
 * measurement — the page's environment, config e's MNIST digits loading — its status line said "stopping after the
 * measurement under way" when nothing was being measured. It now says it stops before the first measurement, the digits
 * are not loaded (or no longer waited for), and measureAll, its signal aborted, opens nothing: the run ends `stopped`
 * at once. And one run at a time: one RunStop serves the page, so a driver's window.benchRun while a form run went on
 * took the first run's Stop over, and the first run's end disabled Stop for the second; RunStop.begin now refuses a
 * second run while one goes on (RunUnderWayError), the run under way untouched. Words written from what the page should
 * say; the drivers are stubs that log their calls (no timing is asserted).
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../bench/bench.ts';
import type { EpochStat } from '../bench/fit-systems.ts';
import { measureAll, type ProgressSink } from '../bench/measure.ts';
import type { Driver } from '../bench/protocol.ts';
import type { SystemId } from '../bench/systems.ts';
import { endAttempt } from '../bench/page/attempt.ts';
import { RunStop, RunUnderWayError, setUpRun } from '../bench/page/stop.ts';

const env = { runner: 'browser' as const, cpu: { model: 'x', cores: 2 } };
const SETUP = 'stopping before the first measurement (nothing has been measured yet)';
const MEASURING = 'stopping after the measurement under way (the finished rows are kept)';
const LOADING = 'loading the MNIST digits (mnist.gz)';

/** A page of plain objects: Stop's button and the status lines said. */
function stopPage() {
  const said: string[] = [];
  const page = { button: { disabled: false }, say: (t: string) => void said.push(t) };
  return { page, said, stop: new RunStop(page) };
}

/** A promise and its resolve / reject, settled by the test. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

/** A driver whose every call is logged: config e's fits and the other configs' opens. */
function loggingDriver(epochs: EpochStat[]) {
  const log: string[] = [];
  const driver: Driver = {
    open: async (system: SystemId) => (log.push(`open ${system}`), { id: log.length, description: system }),
    train: async (id) => (log.push(`train ${id}`), { loss: 1, ms: 1 }),
    close: async (id) => void log.push(`close ${id}`),
    fit: async (system: SystemId) => (log.push(`fit ${system}`), { description: system, epochs }),
  };
  return { driver, log };
}
const sink = (): ProgressSink => ({ show: () => undefined, done: () => undefined });
const epochs: EpochStat[] = [{ epoch: 1, at: 1, loss: 0.5, testAccuracy: 0.8 }];
/** A fit config (qe-sgd) and a timed one (a): both need the run's set-up, the digits for qe-sgd. */
const o = { ...parseArgs(['--configs', 'a,qe-sgd', '--systems', 'ours-cpu,jax-wasm'], 'browser'), quiet: true };

describe('Stop pressed while the run sets up says so', () => {
  it('before measuring(): "stopping before the first measurement", its progress lines too; it stays so once measureAll is reached', () => {
    const { page, said, stop } = stopPage();
    const signal = stop.begin();
    stop.press();
    expect([signal.aborted, page.button.disabled]).toEqual([true, true]);
    expect(said).toEqual([SETUP]);
    expect(stop.line(LOADING)).toBe(`${SETUP}: ${LOADING}`);
    // The set-up ends (runInPage calls measuring before measureAll): nothing will be measured, the words stay.
    stop.measuring();
    expect(stop.line('1/4 a · ours-cpu · preparing')).toBe(`${SETUP}: 1/4 a · ours-cpu · preparing`);
    stop.end();
    // The next run, pressed once it measures: the measurement under way's words.
    stop.begin();
    stop.measuring();
    stop.press();
    expect(said).toEqual([SETUP, MEASURING]);
    expect(stop.line('2/4 a · jax-wasm · rep 1/2')).toBe(`${MEASURING}: 2/4 a · jax-wasm · rep 1/2`);
    stop.end();
    // And the run after that starts in its set-up again.
    stop.begin();
    stop.press();
    expect(said).toEqual([SETUP, MEASURING, SETUP]);
  });
});

describe('setUpRun: a Stop during the set-up ends the run promptly, stopped, nothing opened', () => {
  it('pressed while the environment sets up: the digits are never loaded, and measureAll opens and fits nothing; the state is stopped', async () => {
    const { stop } = stopPage();
    const signal = stop.begin();
    const envReady = deferred<typeof env>();
    let loads = 0;
    const shown: string[] = [];
    const setUp = setUpRun({ env: () => envReady.promise, digits: async () => (loads++, 'split'), show: (t) => void shown.push(t) }, signal, LOADING);
    stop.press();
    envReady.resolve(env);
    const { env: got, split } = await setUp;
    expect([got, split, loads, shown]).toEqual([env, undefined, 0, []]);
    const { driver, log } = loggingDriver(epochs);
    const result = await measureAll(driver, o, o.configs, got, 'test', sink(), signal);
    expect(log).toEqual([]);
    expect(result.rows.map((r) => `${r.config} ${r.system} ${r.status}`)).toEqual(['a ours-cpu skipped', 'a jax-wasm skipped', 'qe-sgd ours-cpu skipped', 'qe-sgd jax-wasm skipped']);
    const page = { globals: {}, dataset: {} as { state?: string } };
    expect(endAttempt(result, page)).toBe('stopped');
  });

  it('pressed while the digits load: no longer waited for (a load that never ends), split undefined; a late failure of that load goes nowhere', async () => {
    const { stop } = stopPage();
    const signal = stop.begin();
    const never = deferred<string>();
    const shown: string[] = [];
    const setUp = setUpRun({ env: async () => env, digits: () => never.promise, show: (t) => void shown.push(t) }, signal, LOADING);
    // The load has begun (its line shown) once the environment is set up.
    await new Promise((r) => setTimeout(r, 0));
    expect(shown).toEqual([LOADING]);
    stop.press();
    expect(await setUp).toEqual({ env, split: undefined });
    // The abandoned load fails later: handled (vitest fails a run on an unhandled rejection).
    never.reject(new Error('could not fetch the MNIST digits file'));
    await new Promise((r) => setTimeout(r, 0));
  });

  it('not pressed: the environment, then the digits loaded; without a fit config, no digits; a failed load is the run\'s error', async () => {
    const { stop } = stopPage();
    const signal = stop.begin();
    const order: string[] = [];
    const steps = { env: async () => (order.push('env'), env), digits: async () => (order.push('digits'), 'split'), show: (t: string) => void order.push(t) };
    expect(await setUpRun(steps, signal, LOADING)).toEqual({ env, split: 'split' });
    expect(order).toEqual(['env', LOADING, 'digits']);
    expect(await setUpRun({ env: steps.env, show: steps.show }, signal, LOADING)).toEqual({ env, split: undefined });
    expect(await setUpRun(steps, undefined, LOADING)).toEqual({ env, split: 'split' });
    await expect(setUpRun({ ...steps, digits: async () => { throw new Error('mnist.gz is not the MNIST digits file'); } }, signal, LOADING)).rejects.toThrow('mnist.gz is not the MNIST digits file');
  });
});

describe('one run at a time (RunStop.begin)', () => {
  it('a second begin while a run goes on is refused, the first run\'s Stop untouched; after its end a run begins again', () => {
    const { page, said, stop } = stopPage();
    const first = stop.begin();
    stop.measuring();
    let err: unknown;
    try {
      stop.begin();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RunUnderWayError);
    expect((err as Error).name).toBe('RunUnderWayError');
    expect((err as Error).message).toMatch(/^a run is already under way on this page: this one started nothing/);
    // The first run keeps its Stop: enabled, its signal live, and a press stops it (with the measuring words).
    expect([page.button.disabled, first.aborted]).toEqual([false, false]);
    stop.press();
    expect([first.aborted, said]).toEqual([true, [MEASURING]]);
    stop.end();
    // The page's next run gets a fresh signal and Stop.
    const next = stop.begin();
    expect([next.aborted, page.button.disabled]).toEqual([false, false]);
  });
});
