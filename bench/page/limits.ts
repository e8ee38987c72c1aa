/**
 * The bench page's set-up steps that wait on the GPU, each within GPU_PROBE_MS (src/browser/within.ts): ours-webgpu's
 * adapter and device, jax-js's webgpu device, TF.js's webgpu and webgl backends. A browser whose WebGPU never answers
 * (requestAdapter or requestDevice that never settles: a hung GPU process) held the page at "setting up TF.js, jax-js
 * and WebGPU…" for good; now the piece that did not answer is unavailable with the reason, as a piece the browser lacks
 * is, and the others run. No DOM, no TF.js or jax-js import (test/bench-page-limits.test.ts gives them stand-ins).
 *
 * What happens to an answer that comes after the limit: it is never used.
 *  - ours-webgpu: the backend that comes late is disposed (main.ts ourGpu: settleWithin's release).
 *  - TF.js: its pending set-up is made obsolete at the limit (tf.removeBackend: TF.js's engine then drops the backend
 *    that comes, neither registering it nor making it current; without that, a late webgpu backend became the engine's
 *    current backend under another backend's name, in the middle of a later row), and the name leaves TF.js's registry.
 *  - jax-js: its devices are the ones started within the limit (loadJax's env.devices, read by every jax row); a
 *    webgpu device that comes later joins jax-js's own list but no row asks for it (jax-js's default device stays wasm).
 * NOTE: a race ends a wait on a promise, not a set-up that blocks the page's thread (WebGL's context is made
 * synchronously): none did in the probes (requestAdapter or requestDevice replaced by a promise that never settles).
 * Once WebGPU itself has not answered (ours-webgpu's probe, the first step), jax-js's and TF.js's webgpu set-ups are not
 * tried: they would wait on the same hung requestAdapter, 15 s more each.
 */
import { GPU_PROBE_MS, settleWithin } from '../../src/browser/within.ts';
import type { SystemId } from '../systems.ts';

/** A set-up step that gave no answer within its limit; `what` names it ("WebGPU", "TF.js's webgpu backend"). */
export class NoAnswerError extends Error {
  constructor(readonly what: string, readonly ms: number) {
    super(`${what} did not answer within ${ms / 1000} s (the browser's GPU process may hang)`);
    this.name = 'NoAnswerError';
  }
}

/** `opening` within `ms`, else a NoAnswerError naming `what`; a value that comes later goes to `release`. */
export function answerWithin<T>(opening: Promise<T>, what: string, release: (late: T) => void = () => undefined, ms = GPU_PROBE_MS): Promise<T> {
  return settleWithin(opening, ms, () => new NoAnswerError(what, ms), release);
}

/** The part of TF.js a backend's set-up uses (tf.setBackend, tf.removeBackend). */
export interface TfSetUp {
  setBackend(name: string): Promise<boolean>;
  removeBackend(name: string): void;
}

/** TF.js's backends that wait on the GPU as they start; cpu and wasm are not raced. */
export const TF_GPU_BACKENDS: readonly string[] = ['webgpu', 'webgl'];

/**
 * tf.setBackend(`name`) within `ms` for a GPU backend (TF_GPU_BACKENDS; others as they are). At the limit TF.js's
 * pending set-up is made obsolete and `name` removed (tf.removeBackend; see the file's note), then the NoAnswerError.
 */
export async function setBackendWithin(tf: TfSetUp, name: string, ms = GPU_PROBE_MS): Promise<boolean> {
  if (!TF_GPU_BACKENDS.includes(name)) return tf.setBackend(name);
  try {
    return await answerWithin(tf.setBackend(name), `TF.js's ${name} backend`, () => undefined, ms);
  } catch (err) {
    if (err instanceof NoAnswerError) tf.removeBackend(name);
    throw err;
  }
}

/**
 * jax-js's devices (`init`: jax.init): wasm (and cpu) first, then webgpu within `ms` — not tried where `skip` (WebGPU's
 * own NoAnswerError) says it did not answer. `webgpuError`: why there is no webgpu device, where it is known;
 * `noAnswer`: the NoAnswerError behind it (the page gives up on jax-webgpu with it).
 */
export async function jaxDevicesWithin(init: (...devices: ('wasm' | 'webgpu')[]) => Promise<string[]>, skip?: NoAnswerError, ms = GPU_PROBE_MS): Promise<{ devices: string[]; webgpuError?: string; noAnswer?: NoAnswerError }> {
  const devices = await init('wasm');
  if (skip) return { devices, webgpuError: notTried(skip.message), noAnswer: skip };
  try {
    return { devices: await answerWithin(init('webgpu'), "jax-js's webgpu device", () => undefined, ms) };
  } catch (err) {
    return { devices, webgpuError: err instanceof Error ? err.message : String(err), ...(err instanceof NoAnswerError ? { noAnswer: err } : {}) };
  }
}

/** The words for a set-up not tried because WebGPU itself did not answer (`reason`: its NoAnswerError's message). */
export const notTried = (reason: string): string => `not tried: ${reason}`;

/**
 * The systems env() gave up on (a set-up step with no answer), each with its NoAnswerError; open() and fit() throw it
 * at once (the row's error says why), where they would otherwise wait on the same hung set-up again.
 */
export class GaveUp {
  private readonly errors = new Map<SystemId, NoAnswerError>();

  add(systems: readonly SystemId[], err: NoAnswerError): void {
    for (const s of systems) if (!this.errors.has(s)) this.errors.set(s, err);
  }

  /** Throws the NoAnswerError of a system given up on; nothing otherwise. */
  refuse(system: SystemId): void {
    const err = this.errors.get(system);
    if (err) throw err;
  }
}
