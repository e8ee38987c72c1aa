// One run through the package's public calls, bundled by esbuild from the packed tarball into both the page
// (worker-page.ts, main thread) and the module Web Worker (worker.ts) of test/browser/package.test.ts: lecture 001's
// 2-2-1 net — create, grad, train, fit, predict, save, load (on the same backend), train on — and wide.mjs's net
// on the same backend (past the wasm backend's one-thread cut-off, so that its threads compute).
import { Model, type ModelOptions, type Params } from 'backprop-webgpu';
import { lecture } from 'backprop-webgpu/lectures';
import { wideRun } from './wide.mjs';

/** train's steps and fit's epochs (one example, batch 1: one SGD step an epoch), both at LR. */
export const STEPS = 8;
export const EPOCHS = 4;
/** The lecture's own lr (1e-4) barely moves it; 0.5 does. */
export const LR = 0.5;

export interface PlainParams { W: number[][]; b: number[][] }

export interface LectureRun {
  kind: string;
  description: string;
  /** wasm: whether the calling thread (thread 0) sleeps at the barriers (it may in a worker, not on a page's main thread). */
  callerSleeps: boolean | null;
  first: { loss: number; Z: number[][]; A: number[][]; delta: number[][]; dW: number[][]; db: number[][] };
  /** After train (STEPS). */
  trained: PlainParams;
  /** After fit (EPOCHS more), when fit ran. */
  fitted: { params: PlainParams; loss: number[] } | null;
  /** predict(x) with the last parameters (`fitted`'s, else `trained`'s). */
  predicted: number[][];
  /** Model.load(save()) on the same backend: its parameters; then 2 more steps on each. */
  reloaded: PlainParams;
  continued: { saved: PlainParams; loaded: PlainParams };
  wide: { threads: number | null; params: PlainParams } | null;
}

const plain = (a: Float32Array[]): number[][] => a.map((v) => Array.from(v));
const plainParams = (p: Params): PlainParams => ({ W: plain(p.W), b: plain(p.b) });

export async function lectureRun(options: ModelOptions, also: { fit: boolean; wide: boolean }): Promise<LectureRun> {
  const spec = lecture('lecture-2-2-1').worked.spec;
  const data = { x: spec.x!, y: spec.y! };
  const model = await Model.create(spec, options);
  const g = await model.grad();
  await model.train({ steps: STEPS, lr: LR });
  const trained = plainParams(await model.getParams());
  const fitted = also.fit
    ? { loss: (await model.fit({ epochs: EPOCHS, batchSize: 1, shuffle: false, optimizer: { name: 'sgd', lr: LR } })).map((e) => e.loss), params: plainParams(await model.getParams()) }
    : null;
  const predicted = await model.predict(data.x);
  const loaded = await Model.load(await model.save(), { shared: model.backend });
  const reloaded = plainParams(await loaded.getParams());
  // A checkpoint keeps no data: both train on the spec's.
  await model.train({ steps: 2, lr: LR, ...data });
  await loaded.train({ steps: 2, lr: LR, ...data });
  const continued = { saved: plainParams(await model.getParams()), loaded: plainParams(await loaded.getParams()) };
  loaded.dispose();
  const backend = model.backend as { description: string; barrier?: { mainWaits: boolean } };
  const run: LectureRun = {
    kind: model.kind, description: backend.description, callerSleeps: backend.barrier?.mainWaits ?? null,
    first: { loss: g.loss, Z: plain(g.Z), A: plain(g.A), delta: plain(g.delta), dW: plain(g.dW), db: plain(g.db) },
    trained, fitted, predicted, reloaded, continued, wide: null,
  };
  if (also.wide) run.wide = (await wideRun(model.backend)) as LectureRun['wide'];
  model.dispose();
  return run;
}
