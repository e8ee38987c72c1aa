/**
 * The bench page's tab hidden during timed work (bench/page/hidden.ts): a timed repetition or a config e fit that
 * overlapped a hidden period is counted in its row's hiddenReps; a call before or after one, or an untimed call (the
 * agreement run), is not. A stand-in document: its visibilityState and visibilitychange listeners, the event after
 * the state as a browser gives them. Scripted drivers (no engine); no timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../bench/bench.ts';
import { mergeFitRounds } from '../bench/measure.ts';
import type { SystemId } from '../bench/systems.ts';
import { hiddenWatch } from '../bench/page/hidden.ts';
import { fakeDoc, type HiddenCalls, runHiddenFits, runHiddenTrains } from './lib/bench-hidden.ts';

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
const runHiding = (system: SystemId, call: number) => runHiddenTrains({ [system]: [call] });

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
  it('counts its hidden fits in hiddenReps (fits=3: fit 2 hidden); a row of fits never hidden has none', async () => {
    const result = await runHiddenFits(['ours-cpu', 'tfjs-webgl'], { 'tfjs-webgl': [2] }, ['--fits', '3']);
    expect(result.rows.map((r) => [r.system, r.fits?.length, r.hiddenReps])).toEqual([['ours-cpu', 3, undefined], ['tfjs-webgl', 3, 1]]);
  });

  it('npm run bench --fits N (mergeFitRounds): the rounds\' hidden fits added up, not round 1\'s taken', async () => {
    const round = (hideIn: HiddenCalls) => runHiddenFits(['ours-cpu', 'tfjs-webgl'], hideIn);
    // ours-cpu hidden in rounds 1 and 3, tfjs-webgl in round 2 alone.
    const rounds = [await round({ 'ours-cpu': [1] }), await round({ 'tfjs-webgl': [1] }), await round({ 'ours-cpu': [1] })];
    const merged = mergeFitRounds(rounds, parseArgs(['--configs', 'e-sgd', '--epochs', '2', '--systems=ours-cpu,tfjs-webgl', '--fits', '3'], 'browser').configs);
    expect(merged.rows.map((r) => [r.system, r.fits?.length, r.hiddenReps])).toEqual([['ours-cpu', 3, 2], ['tfjs-webgl', 3, 1]]);
  });
});
