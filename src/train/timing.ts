/**
 * fit's phases on the User Timing timeline: a `performance.measure` named `backprop fit: <phase>` for each — the
 * data's checks and copies at the call, the trainer (its nets compiled), the upload of the data sets, and each epoch's
 * batches and validation pass — so that a browser's performance panel shows where a fit's time goes, and a
 * PerformanceObserver of 'measure' entries can collect them (bench/probes/fit-phases.ts). Each measure is cleared as
 * soon as it is made: a long training session keeps no growing list of entries (an observer and a recorded trace
 * still get every one). Where the engine has no `performance.measure`, or one that refuses the call, nothing is
 * recorded: a measure never fails a fit (User Timing's options form, `measure(name, { start, end })`, is newer than
 * the method: Firefox before 103 reads the object as a start mark's name and throws a SyntaxError).
 */

/** The prefix of every measure fit records. */
export const FIT_MEASURE = 'backprop fit: ';

/** Record the phase `phase` from `start` (a performance.now() reading) to now. */
export function measureFit(phase: string, start: number): void {
  const p = (globalThis as { performance?: Partial<Performance> }).performance;
  if (typeof p?.measure !== 'function' || typeof p.now !== 'function') return;
  const name = FIT_MEASURE + phase;
  try {
    p.measure(name, { start, end: p.now() });
    p.clearMeasures?.(name);
  } catch {
    // The timeline is optional: no measure rather than a fit that fails on one.
  }
}
