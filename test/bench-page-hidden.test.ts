/**
 * The bench page's tab hidden during timed work (bench/page/hidden.ts): a timed repetition or a config e fit that
 * overlapped a hidden period is counted in its row's hiddenReps; a call before or after one, or an untimed call (the
 * agreement run), is not. A stand-in document: its visibilityState and visibilitychange listeners, the event after
 * the state as a browser gives them. Scripted drivers (no engine); no timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import { measureAll, parseArgs } from '../bench/bench.ts';
import type { EpochStat, FitRun } from '../bench/fit-systems.ts';
import { mergeFitRounds, type ProgressSink } from '../bench/measure.ts';
import type { Driver } from '../bench/protocol.ts';
import type { SystemId } from '../bench/systems.ts';
import { hiddenWatch, watchHidden } from '../bench/page/hidden.ts';
import { stubDriver } from './lib/bench-stub.ts';

/** A document's visibility: hide() and show() set the state, then fire visibilitychange, as a browser does. */
function fakeDoc() {
  const listeners: (() => void)[] = [];
  const doc = {
    visibilityState: 'visible' as string,
    addEventListener: (_type: 'visibilitychange', fn: () => void): void => void listeners.push(fn),
    set(state: 'visible' | 'hidden'): void {
      doc.visibilityState = state;
      for (const fn of listeners) fn();
    },
  };
  return doc;
}

const work = (during: () => void = () => undefined) => async (): Promise<number> => {
  during();
  return 7;
};

describe('hiddenWatch: whether the page was hidden at any moment of a call', () => {
  it('visible throughout: not hidden; hidden at its start, at its end, or hidden and shown again inside it: hidden', async () => {
    const doc = fakeDoc();
    const during = hiddenWatch(doc);
    expect(await during(work())).toEqual({ value: 7, hidden: false });
    // Hidden and back in front within the call: the page ended visible, yet it was hidden.
    expect(await during(work(() => { doc.set('hidden'); doc.set('visible'); }))).toEqual({ value: 7, hidden: true });
    // Hidden as it ran: hidden at its end.
    expect(await during(work(() => doc.set('hidden')))).toEqual({ value: 7, hidden: true });
    // Began hidden, shown inside it.
    expect(await during(work(() => doc.set('visible')))).toEqual({ value: 7, hidden: true });
    // A hidden period over before the call began does not mark it.
    doc.set('hidden');
    doc.set('visible');
    expect(await during(work())).toEqual({ value: 7, hidden: false });
    // Began hidden and stayed so (no event during it).
    doc.set('hidden');
    expect(await during(work())).toEqual({ value: 7, hidden: true });
  });
});

/** measureAll on config a (fixed steps, 3 repetitions), the stand-in document hidden through the n-th train call of `system`. */
async function runHiding(system: SystemId, call: number): Promise<Awaited<ReturnType<typeof measureAll>>> {
  const doc = fakeDoc();
  const base = stubDriver({ 'ours-cpu': 0.5, 'ours-wasm': 0.5 });
  const systems = new Map<number, SystemId>();
  const calls = new Map<SystemId, number>();
  const driver: Driver = {
    ...base,
    async open(s, c) {
      const o = await base.open(s, c);
      systems.set(o.id, s);
      return o;
    },
    async train(id, steps) {
      const s = systems.get(id)!;
      const k = (calls.get(s) ?? 0) + 1;
      calls.set(s, k);
      if (s === system && k === call) doc.set('hidden');
      const out = await base.train(id, steps);
      if (s === system && k === call) doc.set('visible');
      return out;
    },
  };
  const o = { ...parseArgs(['--configs', 'a', '--systems=ours-cpu,ours-wasm', '--rep-steps', '5', '--reps', '3'], 'browser'), quiet: true };
  const sink: ProgressSink = { show: () => undefined, done: () => undefined };
  return measureAll(watchHidden(driver, doc), o, o.configs, { runner: 'browser', cpu: { model: 'x', cores: 2 } }, 'test', sink);
}

describe('a row whose timed repetitions overlapped a hidden period (Row.hiddenReps)', () => {
  it("counts the hidden repetitions of that row alone; the agreement run (untimed) hidden marks nothing", async () => {
    // ours-wasm's train calls: 1 the agreement run, 2–4 its three timed repetitions (--rep-steps: no calibration).
    const second = await runHiding('ours-wasm', 3);
    expect(second.rows.map((r) => [r.system, r.status, r.reps, r.hiddenReps])).toEqual([['ours-cpu', 'ok', 3, undefined], ['ours-wasm', 'ok', 3, 1]]);
    // The times themselves are as measured (the stub's 1 ms/step): nothing is changed, only marked.
    expect(second.rows[1].times).toEqual([1, 1, 1]);
    const agreement = await runHiding('ours-wasm', 1);
    expect(agreement.rows.map((r) => r.hiddenReps)).toEqual([undefined, undefined]);
    expect(agreement.rows.map((r) => r.status)).toEqual(['ok', 'ok']);
  });
});

describe('a config e fit that overlapped a hidden period', () => {
  const ep = (at: number[]): EpochStat[] => at.map((t, k) => ({ epoch: k + 1, at: t, loss: 0.5, testAccuracy: 0.9 + k * 0.03 }));
  /** A driver whose fit hides the stand-in document through the fits named in `hideIn` (system: fit numbers from 1). */
  function fitting(doc: ReturnType<typeof fakeDoc>, hideIn: Partial<Record<SystemId, number[]>>): Driver {
    const count = new Map<SystemId, number>();
    return {
      ...stubDriver({}),
      fit: async (system): Promise<FitRun> => {
        const k = (count.get(system) ?? 0) + 1;
        count.set(system, k);
        const hide = hideIn[system]?.includes(k) ?? false;
        if (hide) doc.set('hidden');
        const run = { description: system, epochs: ep([1, 2]) };
        if (hide) doc.set('visible');
        return run;
      },
    };
  }
  const sink: ProgressSink = { show: () => undefined, done: () => undefined };
  const env = { runner: 'browser' as const, cpu: { model: 'x', cores: 2 } };

  it('counts its hidden fits in hiddenReps (fits=3: fit 2 hidden); a row of fits never hidden has none', async () => {
    const doc = fakeDoc();
    const o = { ...parseArgs(['--configs', 'e-sgd', '--epochs', '2', '--systems=ours-cpu,tfjs-webgl', '--fits', '3'], 'browser'), quiet: true };
    const result = await measureAll(watchHidden(fitting(doc, { 'tfjs-webgl': [2] }), doc), o, o.configs, env, 'test', sink);
    expect(result.rows.map((r) => [r.system, r.fits?.length, r.hiddenReps])).toEqual([['ours-cpu', 3, undefined], ['tfjs-webgl', 3, 1]]);
  });

  it('npm run bench --fits N (mergeFitRounds): the rounds\' hidden fits added up, not round 1\'s taken', async () => {
    const o = { ...parseArgs(['--configs', 'e-sgd', '--epochs', '2', '--systems=ours-cpu,tfjs-webgl'], 'browser'), quiet: true };
    const round = async (hideIn: Partial<Record<SystemId, number[]>>) => {
      const doc = fakeDoc();
      return measureAll(watchHidden(fitting(doc, hideIn), doc), o, o.configs, env, 'test', sink);
    };
    // ours-cpu hidden in rounds 1 and 3, tfjs-webgl in round 2 alone.
    const rounds = [await round({ 'ours-cpu': [1] }), await round({ 'tfjs-webgl': [1] }), await round({ 'ours-cpu': [1] })];
    const merged = mergeFitRounds(rounds, parseArgs(['--configs', 'e-sgd', '--epochs', '2', '--systems=ours-cpu,tfjs-webgl', '--fits', '3'], 'browser').configs);
    expect(merged.rows.map((r) => [r.system, r.fits?.length, r.hiddenReps])).toEqual([['ours-cpu', 3, 2], ['tfjs-webgl', 3, 1]]);
  });
});
