/**
 * A time limit on a browser's answer that may never come: WebGPU's requestAdapter or requestDevice that never settles
 * (a GPU process that hangs), and what waits on them (TF.js's and jax-js's webgpu set-up). Shared by the course lab
 * (src/lab/device.ts openWithin) and the bench page (bench/page/limits.ts). No DOM.
 */

/**
 * How long a page waits for WebGPU's adapter and device (and for a library's GPU set-up) before it goes on without
 * them. NOTE: a healthy probe takes well under a second (SwiftShader, headless Chromium 156: ~0.1–0.5 s; a hardware
 * adapter's first device, with its driver starting, a few seconds at most), so 15 s leaves a slow first start room
 * while a hung GPU process is said within a reader's patience. The limit is a race, never a sleep: an answer in time
 * goes on at once.
 */
export const GPU_PROBE_MS = 15_000;

/**
 * `opening`'s value or its failure when it settles within `ms`; else the error `timedOut()` makes, at `ms`. A value
 * that comes after that is given to `release` (the page has gone on without it: it is never used), a late failure
 * dropped.
 */
export function settleWithin<T>(opening: Promise<T>, ms: number, timedOut: () => Error, release: (late: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(timedOut());
    }, ms);
    opening.then((value) => {
      clearTimeout(timer);
      if (late) release(value);
      else resolve(value);
    }, (err: unknown) => {
      clearTimeout(timer);
      if (!late) reject(err);
    });
  });
}
