/**
 * What ran, as `grad --json`, `train --json` and `check --json` say it (README, CLI): the backend, and what the text
 * output states beside it — wasm's threads, WebGPU's route (Dawn in Node or headless Chromium) and kernel variant —
 * under one set of names for the three commands, so that a script comparing runs can tell them apart.
 */
import type { Backend } from '../backend.ts';
import type { Net } from '../spec.ts';
import type { WasmBackend } from '../wasm/backend.ts';
import { netThreads } from '../wasm/limits.ts';

/** WebGPU's route: Dawn in Node (src/cli/dawn.ts) or headless Chromium (src/cli/browser.ts). */
export type WebGpuRouteName = 'dawn' | 'chromium';

/** What a run ran on, beyond its backend's kind. */
export interface RanOn {
  /** wasm: the backend's threads, the calling thread included (the text's "N threads on shared memory", "1 thread"). */
  threads?: number;
  /**
   * wasm: the threads the net ran on (WasmBackend.threadsFor) — train's at fit's batches, grad's at its batch, check's
   * the most of its nets at theirs: fewer than `threads` where a step is under THREAD_MIN_WORK multiply-adds (the
   * text's "this net runs on 1 …": netThreadsNote).
   */
  netThreads?: number;
  /** WebGPU: the route (the text's "in Node on Dawn …" or "in headless Chromium"). */
  route?: WebGpuRouteName;
  /** WebGPU: the GEMM kernels that ran (the text's "…, tiled kernels"). */
  variant?: string;
}

/** The fields of a command's --json that say what ran: `backend`, and with wasm `threads` and `netThreads`, with WebGPU `webgpuRoute` and `webgpuVariant`. */
export interface RanJson {
  backend: string;
  threads?: number;
  netThreads?: number;
  webgpuRoute?: WebGpuRouteName;
  webgpuVariant?: string;
}

export function ranJson(backend: string, on: RanOn = {}): RanJson {
  return {
    backend,
    ...(on.threads !== undefined ? { threads: on.threads } : {}),
    ...(on.netThreads !== undefined ? { netThreads: on.netThreads } : {}),
    ...(on.route !== undefined ? { webgpuRoute: on.route } : {}),
    ...(on.variant !== undefined ? { webgpuVariant: on.variant } : {}),
  };
}

/** A backend made in this process: a wasm backend's threads (the CPU's: nothing more to say). */
export function ranOnBackend(b: Backend): RanOn {
  return b.kind === 'wasm' ? { threads: (b as WasmBackend).threads } : {};
}

/**
 * `ran` with wasm's netThreads: the threads a net of `net` at batches of `n` runs on, on `ran.threads` (the rule of
 * WasmBackend.threadsFor, src/wasm/limits.ts, applied after the backend is gone); `ran` itself where no wasm ran.
 */
export function withNetThreads(ran: RanOn, net: Net, n: number): RanOn {
  return ran.threads !== undefined ? { ...ran, netThreads: netThreads(net, n, ran.threads) } : ran;
}

/**
 * What the text adds to wasm's description where the net ran on fewer threads than the backend has (train's line
 * after the fit, grad's and check's backend line), `at` saying at which batch size ("at batches of 4"), `net` which
 * net ("each net" where check ran several); else ''.
 */
export function netThreadsNote(ran: RanOn, at: string, net = 'this net'): string {
  return ran.netThreads !== undefined && ran.netThreads < (ran.threads ?? 1)
    ? `; ${net} runs on ${ran.netThreads} ${at}: a step of it is under 2¹⁸ multiply-adds, too little to split` : '';
}
