import type { Net } from '../spec.ts';

/**
 * The most threads a wasm backend may be asked for: each is a worker with its own instance of every net's module,
 * and past the machine's cores more threads only wait at the barriers. Its own module so that the options' checks
 * (src/backends.ts) need not load the wasm backend; so are the rule for the threads a net runs on (the CLI's
 * train reports it).
 */
export const MAX_THREADS = 64;

/**
 * Below this much work per step (Σ units·fanIn·n multiply-adds, forward only) a net runs on one thread: waking
 * workers and the barriers between phases cost more than they save.
 */
export const THREAD_MIN_WORK = 1 << 18;

/**
 * The threads a net of `net` at a batch of `n` examples runs on, on a backend of `threads`: those, or 1 where a step
 * is under THREAD_MIN_WORK multiply-adds (Σ units·fanIn·n, forward only). WasmBackend.threadsFor's rule, here
 * for the CLI's train, which reports it after its backend is gone.
 */
export function netThreads(net: Net, n: number, threads: number): number {
  const work = net.layers.reduce((s, layer) => s + layer.units * layer.fanIn * n, 0);
  return work < THREAD_MIN_WORK ? 1 : threads;
}
