/**
 * Whether a WebGPU request of this page still has no answer: the page's own probe (device-panel.ts probeGpu) or a loss
 * surface view's adapter and device (surface-gpu.ts startGpu), each given up after GPU_PROBE_MS (device.ts openWithin
 * notes it here). No DOM; loaded at start with device.ts, outside the lazily loaded surface code, so that the first
 * Draw after a probe that timed out knows of it (test/lab-device.test.ts).
 */

/** The requests given up on that have not settled since, and the reason the last of them was given up. */
let waiting = 0;
let reason = '';

/**
 * Why a WebGPU request of the page was given up on, while one still has no answer; null once all have answered
 * (however late: the page released what they gave), when asking again may be worth it.
 */
export function unansweredGpu(): string | null {
  return waiting > 0 ? reason : null;
}

/** `opening` was given up on with `why`: it is unanswered (unansweredGpu) until it settles. */
export function noteUnanswered(opening: Promise<unknown>, why: string): void {
  waiting++;
  reason = why;
  const answered = (): void => {
    waiting--;
  };
  opening.then(answered, answered);
}
