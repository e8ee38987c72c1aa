/**
 * The bench page's tab hidden during a run, for the hidden-tab tests (bench/page/hidden.ts; test/bench-page-hidden*):
 * a stand-in document whose visibility a scripted driver sets around the calls named, and measureAll run through
 * watchHidden as the page runs it. No engine; no timing asserted.
 */
import { measureAll, parseArgs } from '../../bench/bench.ts';
import type { EpochStat, FitRun } from '../../bench/fit-systems.ts';
import type { ProgressSink } from '../../bench/measure.ts';
import type { Driver } from '../../bench/protocol.ts';
import type { SystemId } from '../../bench/systems.ts';
import { watchHidden } from '../../bench/page/hidden.ts';
import { stubDriver } from './bench-stub.ts';

/** A document's visibility: set(state) sets it, then fires visibilitychange, as a browser does. */
export function fakeDoc() {
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

const SINK: ProgressSink = { show: () => undefined, done: () => undefined };
const ENV = { runner: 'browser' as const, cpu: { model: 'x', cores: 2 } };

/** The calls, numbered from 1 for each system, during which the tab is hidden (and shown again after). */
export type HiddenCalls = Partial<Record<SystemId, number[]>>;

/**
 * Config a on ours-cpu and ours-wasm, 3 repetitions of 5 steps, the tab hidden through the train calls listed for each
 * system: call 1 is the agreement run (untimed), 2–4 the timed repetitions (--rep-steps: no calibration).
 */
export async function runHiddenTrains(hide: HiddenCalls) {
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
      const hidden = hide[s]?.includes(k) ?? false;
      if (hidden) doc.set('hidden');
      const out = await base.train(id, steps);
      if (hidden) doc.set('visible');
      return out;
    },
  };
  const o = { ...parseArgs(['--configs', 'a', '--systems=ours-cpu,ours-wasm', '--rep-steps', '5', '--reps', '3'], 'browser'), quiet: true };
  return measureAll(watchHidden(driver, doc), o, o.configs, ENV, 'test', SINK);
}

/** Two epochs at 1 s and 2 s, test accuracy 0.90 then 0.93: a fit's record. */
export const twoEpochs = (): EpochStat[] => [1, 2].map((at, k) => ({ epoch: k + 1, at, loss: 0.5, testAccuracy: 0.9 + k * 0.03 }));

/** Config e-sgd (2 epochs) on `systems` with the flags `more`, the tab hidden through the fits listed for each system. */
export async function runHiddenFits(systems: SystemId[], hide: HiddenCalls, more: string[] = []) {
  const doc = fakeDoc();
  const count = new Map<SystemId, number>();
  const driver: Driver = {
    ...stubDriver({}),
    fit: async (system): Promise<FitRun> => {
      const k = (count.get(system) ?? 0) + 1;
      count.set(system, k);
      const hidden = hide[system]?.includes(k) ?? false;
      if (hidden) doc.set('hidden');
      const run = { description: system, epochs: twoEpochs() };
      if (hidden) doc.set('visible');
      return run;
    },
  };
  const o = { ...parseArgs(['--configs', 'e-sgd', '--epochs', '2', `--systems=${systems.join(',')}`, ...more], 'browser'), quiet: true };
  return measureAll(watchHidden(driver, doc), o, o.configs, ENV, 'test', SINK);
}
