/**
 * The page's turn during a run. A run's CPU and wasm systems train synchronously behind promises that are already
 * resolved, so without this a whole run is one task: the progress bar and the status line never paint until it ends,
 * and a click on Run while it goes on (a double click) waits in the queue until the run has re-enabled the button, then
 * starts a second run. ./run.ts's driver awaits `pause` before each call: at most every `everyMs` it gives the page one
 * task (fit's `tick`: a MessageChannel message in a browser, which a background tab does not throttle as it does
 * setTimeout), outside the timed calls.
 */
import { tick } from '../../src/train/fit.ts';

export function taskYielder(everyMs = 50, now: () => number = () => performance.now(), nextTask: () => Promise<void> = tick): () => Promise<void> {
  let last = now();
  return async () => {
    if (now() - last < everyMs) return;
    await nextTask();
    last = now();
  };
}
