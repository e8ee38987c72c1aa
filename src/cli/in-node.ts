/**
 * The CLI's runs of a Model in this process — on the CPU, wasm, or WebGPU on Dawn (a `shared` WebGpuBackend, see
 * DawnGpu in src/cli/dawn.ts) — returning the same plain arrays as the harness page (src/browser/harness.ts) does, so
 * a command prints one shape whichever backend and route ran.
 */
import type { Backend } from '../backend.ts';
import { Model, type GradResult } from '../model.ts';
import type { EpochLog } from '../train/fit.ts';
import { dataFromBytes } from '../train/bytes.ts';
import type { FitPayload, PlainFitOptions, PlainGrad, PlainParams } from '../browser/harness.ts';

export type NodeBackend = 'cpu' | 'webgpu' | 'wasm';

/** What fit returns here and in the page: the history, the final parameters, the checkpoint with save, the backend. */
export interface FitOutcome { history: EpochLog[]; params: PlainParams; checkpoint?: Uint8Array; description: string }

const plain = (arrays: ArrayLike<number>[]): number[][] => arrays.map((a) => Array.from(a));

/** One pass of `model` (its grad or step result) as the page returns it. */
export function plainGrad(model: Model, g: GradResult): PlainGrad {
  return {
    backend: model.kind, description: model.backend.description, loss: g.loss,
    Z: plain(g.Z), A: plain(g.A), delta: plain(g.delta), dW: plain(g.dW), db: plain(g.db),
  };
}

/** A Model on `backend` (on `shared` when given), passed to `work`, then disposed. */
export async function withNodeModel<T>(spec: unknown, backend: NodeBackend, work: (m: Model) => Promise<T>, shared?: Backend): Promise<T> {
  const model = await Model.create(spec, { backend, shared });
  try {
    return await work(model);
  } finally {
    model.dispose();
  }
}

/** One forward and backward pass (no update). */
export function modelGrad(spec: unknown, backend: NodeBackend): Promise<PlainGrad> {
  return withNodeModel(spec, backend, async (m) => plainGrad(m, await m.grad()));
}

/** One SGD step of `model` at `lr`: its pass and the updated parameters. */
export async function stepOf(model: Model, lr: number): Promise<PlainGrad & { params: PlainParams }> {
  const g = await model.step(lr);
  return { ...plainGrad(model, g), params: { W: plain(g.params.W), b: plain(g.params.b) } };
}

/** model.fit on a model, on a payload of MNIST bytes (or the spec's data when it is empty). */
export async function fitModel(model: Model, payload: FitPayload, options: PlainFitOptions, save: boolean, onEpoch: (e: EpochLog) => void): Promise<FitOutcome> {
  const outputs = model.net.layers[model.net.layers.length - 1].units;
  const fromBytes = (part: FitPayload['train']) => part && dataFromBytes(Buffer.from(part.x, 'base64'), Buffer.from(part.y, 'base64'), part.n, model.net.inputs, outputs, part.standardize);
  const train = fromBytes(payload.train);
  const validation = fromBytes(payload.val) ?? options.validation;
  const history = await model.fit({ ...options, ...train, ...(validation !== undefined ? { validation } : {}), onEpoch });
  const p = await model.getParams();
  return { history, params: { W: plain(p.W), b: plain(p.b) }, checkpoint: save ? await model.save() : undefined, description: model.backend.description };
}

/** model.fit in Node (the CPU, or wasm), on a payload (or the spec's data when it is empty). */
export function fitInNode(spec: unknown, payload: FitPayload, save: boolean, onEpoch: (e: EpochLog) => void, backend: NodeBackend = 'cpu'): Promise<FitOutcome> {
  return withNodeModel(spec, backend, (m) => fitModel(m, payload, {}, save, onEpoch));
}
