/**
 * Firefox's WebGPU poll, taken out of a wait on the GPU (README Benchmark, **In Firefox.**).
 *
 * Firefox settles a WebGPU promise that waits on the GPU (mapAsync, onSubmittedWorkDone) only when its GPU process
 * polls wgpu's devices: on a 100 ms timer (`POLL_TIME_MS` in `WebGPUParent.cpp`; Mozilla bug 1870699 "Don't poll
 * WebGPU from a timer"; gfx-rs/wgpu#6660), and after a `queue.submit`. So every readback of ours waited up to 100 ms
 * there: `Model.train` of 1 step took 100 ms in Firefox ESR 153.8.0 against 3.6 ms in headless Chromium 156, and a
 * mapAsync with an empty submit on each turn of the event loop while it was pending 0.8 ms
 * (bench/probes/readback-latency.ts, 2026-12-07, lavapipe). `settleNudged` does that: while the wait is pending, an
 * empty submit (an encoder with no commands) after a turn of the event loop, at most one a millisecond for the first
 * 20 ms, then one every 5 ms, until 1 s has passed; after that it only waits. jax-js does the same in Firefox
 * (`mapAsyncRead` in its `firefoxPoll.ts`, ekzhang/jax-js#124); these constants are its, as a starting point.
 *
 * NOTE: Firefox only (by its user agent). In headless Chromium 156 (Dawn) an empty submit each turn made the map
 * slower, 11.7 ms against 2.9 ms (the same probe): Dawn settles maps without being nudged, and the submits cost.
 */
import { userAgent } from './gpu.ts';

/** Between two empty submits, at least (ms). */
export const NUDGE_EVERY_MS = 1;
/** For this long (ms) a nudge waits one turn of the event loop (a message), after it a BACKOFF_MS timeout. */
export const BUSY_MS = 20;
/** The wait between nudges (ms) once BUSY_MS have passed. */
export const BACKOFF_MS = 5;
/** No nudge after this long (ms): a wait that has not settled by then is awaited as it is (Firefox's poll settles it). */
export const DEADLINE_MS = 1000;

/** The part of a GPUDevice a nudge uses. */
export interface NudgeDevice {
  createCommandEncoder(): { finish(): GPUCommandBuffer };
  readonly queue: { submit(buffers: Iterable<GPUCommandBuffer>): undefined | void };
}

/** What a nudge loop reads from its environment; tests pass their own. */
export interface NudgeEnv {
  /** The user agent (navigator.userAgent); '' where there is none (Node). */
  userAgent: string;
  /** A clock in ms (performance.now). */
  now(): number;
  /** One turn of the event loop (a MessageChannel message: no 4 ms clamp, no timer). */
  turn(): Promise<void>;
  /** A timeout of `ms`. */
  sleep(ms: number): Promise<void>;
  /** Called once the loop ends: lets go of what turn() made. */
  close?(): void;
}

/** Whether `userAgent` is Firefox's (Gecko's WebGPU, wgpu): "Firefox" in it, and not SeaMonkey's. */
export function isFirefoxAgent(userAgent: string): boolean {
  return userAgent.includes('Firefox') && !userAgent.toLowerCase().includes('seamonkey');
}

/** The page's own environment: its user agent, performance.now, a MessageChannel turn and setTimeout. */
function pageEnv(): NudgeEnv {
  let channel: MessageChannel | null = null;
  let woken: (() => void) | null = null;
  return {
    userAgent: userAgent() ?? '',
    now: () => performance.now(),
    turn: () => {
      if (!channel) {
        channel = new MessageChannel();
        channel.port1.onmessage = () => woken?.();
      }
      const port = channel.port2;
      return new Promise<void>((resolve) => {
        woken = resolve;
        port.postMessage(0);
      });
    },
    sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    // NOTE: closed as the loop ends: an open port with a handler would outlive it (and keeps Node alive).
    close: () => {
      channel?.port1.close();
      channel?.port2.close();
      channel = null;
    },
  };
}

/** A wait being nudged: settled once its promise settles; its own start, for its deadline and its busy window. */
interface Wait {
  start: number;
  settled: boolean;
}

/** A device's one nudge loop: the waits it nudges for, and a wake for the pause it is in (a wait settled). */
interface Loop {
  waits: Set<Wait>;
  wake(): void;
}

/**
 * The loop nudging each device now. One a device: a readback of several buffers (src/webgpu/readback.ts, a fit's
 * params) maps them all at once, and a loop each had made as many empty submits as maps (16 maps: 36 submits and
 * 4.0 ms, against 1 and 0.7 ms with one loop, Firefox ESR 153.8.0 on lavapipe; ffleft64).
 */
const loops = new WeakMap<NudgeDevice, Loop>();

/**
 * `pending` (a mapAsync, or an onSubmittedWorkDone, on `device`), settled as it settles, with empty submits on
 * `device` while it is pending — in Firefox only (the module's comment). One loop a device: a wait while the device's
 * loop runs joins it (its `env` unused), and the loop goes on while any of its waits is pending and under
 * DEADLINE_MS old (a turn a pause while any is under BUSY_MS old). No submit after they settle; a submit that throws
 * (a device gone) ends the nudging, and `pending` is still what is returned.
 */
export function settleNudged<T>(device: NudgeDevice, pending: Promise<T>, env?: NudgeEnv): Promise<T> {
  const own = env ?? pageEnv();
  if (!isFirefoxAgent(own.userAgent)) return pending;
  const wait: Wait = { start: own.now(), settled: false };
  const done = (): void => {
    wait.settled = true;
    loops.get(device)?.wake();
  };
  void pending.then(done, done);
  const running = loops.get(device);
  if (running) {
    running.waits.add(wait);
    // Out of a backoff sleep: this wait is in its busy window.
    running.wake();
    own.close?.();
  } else {
    void nudge(device, wait, own);
  }
  return pending;
}

/** The device's loop, from its first wait (`first`) until none is left pending and in time. */
async function nudge(device: NudgeDevice, first: Wait, env: NudgeEnv): Promise<void> {
  const loop: Loop = { waits: new Set([first]), wake: () => undefined };
  loops.set(device, loop);
  // NOTE: each pause is raced against a wait's settling, so the loop sees it at once (a 5 ms sleep after BUSY_MS
  // otherwise held it); made in the same task as the check before it, so no settle falls between the two.
  const woken = () => new Promise<void>((resolve) => { loop.wake = resolve; });
  try {
    let last = -Infinity;
    // One turn first: a wait that settles by itself then costs no submit.
    await Promise.race([env.turn(), woken()]);
    for (;;) {
      const now = env.now();
      for (const w of loop.waits) if (w.settled || now - w.start >= DEADLINE_MS) loop.waits.delete(w);
      if (loop.waits.size === 0) break;
      if (now - last >= NUDGE_EVERY_MS) {
        last = now;
        try {
          device.queue.submit([device.createCommandEncoder().finish()]);
        } catch {
          break;
        }
      }
      const busy = [...loop.waits].some((w) => now - w.start < BUSY_MS);
      await Promise.race([busy ? env.turn() : env.sleep(BACKOFF_MS), woken()]);
    }
  } finally {
    if (loops.get(device) === loop) loops.delete(device);
    env.close?.();
  }
}
