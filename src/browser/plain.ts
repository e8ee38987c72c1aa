/**
 * A Model's results as plain JSON (every typed array a number[]: float32 values are exact in a double), and fit's
 * data from a JSON payload: the one place both the harness page (./harness.ts, driven by puppeteer) and the CLI's
 * runs in Node (src/cli/in-node.ts: the CPU, wasm, WebGPU on Dawn) make them, so every route returns one shape.
 * No DOM and no Node API: it runs in both.
 */
import { fromBase64 } from '../base64.ts';
import type { GradResult, Model } from '../model.ts';
import type { DataInput } from '../spec.ts';
import { dataFromBytes } from '../train/bytes.ts';
import type { EpochLog, FitProgress } from '../train/fit.ts';
import type { FitPart, FitPayload, PlainFitOptions, PlainGrad, PlainParams } from './harness.ts';

/** What fit returns on every route: the history, the final parameters, the checkpoint with save, the backend. */
export interface FitOutcome { history: EpochLog[]; params: PlainParams; checkpoint?: Uint8Array; description: string }

export const plain = (arrays: ArrayLike<number>[]): number[][] => arrays.map((a) => Array.from(a));

/** One pass of `model` (its grad or step result) as plain arrays. */
export function plainGrad(model: Model, g: GradResult): PlainGrad {
  return {
    backend: model.kind, description: model.backend.description, loss: g.loss,
    Z: plain(g.Z), A: plain(g.A), delta: plain(g.delta), dW: plain(g.dW), db: plain(g.db),
  };
}

/** One SGD step of `model` at `lr` (the spec's when absent): its pass and the updated parameters. */
export async function stepOf(model: Model, lr?: number): Promise<PlainGrad & { params: PlainParams }> {
  const g = await model.step(lr);
  return { ...plainGrad(model, g), params: { W: plain(g.params.W), b: plain(g.params.b) } };
}

/** A payload part as fit's data: float32 example-major, or MNIST bytes (`u8`: pixels, labels one-hot). */
export function dataOf(part: FitPart, inputs: number, outputs: number): { x: DataInput; y: DataInput } {
  if (!part.u8) return { x: { examples: part.n, data: new Float32Array(fromBase64(part.x).buffer) }, y: { examples: part.n, data: new Float32Array(fromBase64(part.y).buffer) } };
  return dataFromBytes(fromBase64(part.x), fromBase64(part.y), part.n, inputs, outputs, part.standardize);
}

/**
 * What fitModel's onEpoch may return (or resolve to): 'stop' ends the fit at the end of that epoch — the CLI's first
 * Ctrl-C (src/cli/train.ts) — where the model holds the epochs done (parameters, optimiser state, epoch count: what a
 * checkpoint of them resumes from); anything else goes on.
 */
export type EpochReply = 'stop' | void;

/**
 * model.fit on `payload` (or the spec's x, y when it has no train part), after restoring its `resume` checkpoint where it has one, then the parameters and, with save, the
 * checkpoint. Where onEpoch replies 'stop' the fit ends after that epoch (fit's signal, aborted there, is read before the
 * next epoch's first submission: nothing runs in between), and the outcome is that of the epochs done.
 */
export async function fitModel(
  model: Model, payload: FitPayload, options: PlainFitOptions, save: boolean, onEpoch: (e: EpochLog) => EpochReply | Promise<EpochReply>, onBatch?: (g: FitProgress) => void,
): Promise<FitOutcome> {
  const outputs = model.net.layers[model.net.layers.length - 1].units;
  const train = payload.train ? dataOf(payload.train, model.net.inputs, outputs) : {};
  const validation = payload.val ? dataOf(payload.val, model.net.inputs, outputs) : options.validation;
  // train --resume: the checkpoint's parameters, optimiser state, epochs and run fields, put into the model made
  // from its spec (as Model.load would make it), before the fit that continues them.
  if (payload.resume !== undefined) await model.restore(fromBase64(payload.resume));
  const ended = new AbortController();
  const done: EpochLog[] = [];
  const epochEnd = async (e: EpochLog): Promise<void> => {
    done.push(e);
    if ((await onEpoch(e)) === 'stop') ended.abort();
  };
  let history: EpochLog[];
  try {
    history = await model.fit({ ...options, ...train, ...(validation !== undefined ? { validation } : {}), onEpoch: epochEnd, signal: ended.signal, ...(onBatch ? { onBatch } : {}) });
  } catch (err) {
    if (!ended.signal.aborted || err !== ended.signal.reason) throw err;
    history = done;
  }
  const p = await model.getParams();
  return { history, params: { W: plain(p.W), b: plain(p.b) }, checkpoint: save ? await model.save() : undefined, description: model.backend.description };
}
