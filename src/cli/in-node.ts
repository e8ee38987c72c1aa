/**
 * The CLI's runs of a Model in this process — on the CPU, wasm, or WebGPU on Dawn (a `shared` WebGpuBackend, see
 * DawnGpu in src/cli/dawn.ts) — returning the same plain arrays as the harness page (src/browser/harness.ts) does,
 * through the same functions (src/browser/plain.ts), so a command prints one shape whichever backend and route ran.
 */
import type { Backend, BackendKind } from '../backend.ts';
import { Model } from '../model.ts';
import type { EpochLog, FitProgress } from '../train/fit.ts';
import type { FitPayload, PlainFitOptions, PlainGrad } from '../browser/harness.ts';
import { type EpochReply, fitModel, plainGrad, type FitOutcome } from '../browser/plain.ts';
import { ranOnBackend, type RanOn } from './ran.ts';

export type NodeBackend = BackendKind;

/** A Model on `backend` (on `shared` when given; wasm on `threads` when given), passed to `work`, then disposed. */
export async function withNodeModel<T>(spec: unknown, backend: NodeBackend, work: (m: Model) => Promise<T>, shared?: Backend, threads?: number): Promise<T> {
  const model = await Model.create(spec, { backend, shared, threads });
  try {
    return await work(model);
  } finally {
    model.dispose();
  }
}

/** One forward and backward pass (no update), and what it ran on (wasm's threads). */
export function modelGrad(spec: unknown, backend: NodeBackend): Promise<PlainGrad & { ran: RanOn }> {
  return withNodeModel(spec, backend, async (m) => ({ ...plainGrad(m, await m.grad()), ran: ranOnBackend(m.backend) }));
}

/**
 * Where fitInNode's model runs: a backend of `backend`'s kind to share (`shared`: the demo's one wasm backend, its
 * worker threads started once), or wasm's `threads` for a backend of the model's own; not both (Model.create refuses
 * threads with shared).
 */
export interface NodeFitOn {
  shared?: Backend;
  threads?: number;
}

/**
 * model.fit in Node (the CPU, or wasm: on `on.threads`, or on `on.shared`), on a payload (or the spec's data when it
 * is empty; its checkpoint restored first where it has one) with fit's `options`, and what it ran on (wasm's threads). onEpoch's reply 'stop' ends the fit after that epoch (fitModel).
 */
export function fitInNode(
  spec: unknown, payload: FitPayload, options: PlainFitOptions, save: boolean, onEpoch: (e: EpochLog) => EpochReply, backend: NodeBackend = 'cpu', on: NodeFitOn = {}, onBatch?: (g: FitProgress) => void,
): Promise<FitOutcome & { ran: RanOn }> {
  return withNodeModel(spec, backend, async (m) => ({ ...await fitModel(m, payload, options, save, onEpoch, onBatch), ran: ranOnBackend(m.backend) }), on.shared, on.threads);
}
