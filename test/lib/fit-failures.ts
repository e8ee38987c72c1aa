/**
 * fit's failure modes from the reliability checklist (../shared/notes/reliability-checklist.md), run the same way on
 * cpu and wasm (test/fit-checkpoints.test.ts) and on WebGPU in Node on Dawn (test/dawn/run.ts). Each check runs a
 * model and a twin on the same backend; the twin never meets the failure, so "the model is as before and still
 * trains" means the model ends bitwise where the twin does. Each returns what went wrong, as strings (none: passed).
 * No vitest here.
 * - fitRefusesBadData (items 1–4): x, y of the wrong shape, NaN / Infinity in x, bce labels −0.1 and 1.5, an empty
 *   batch, given to fit: the typed error naming the field (README §Errors), before any work (on WebGPU: no buffer
 *   made, `created`), the parameters, optimiser state and epoch count unchanged, and the next fit the twin's;
 * - fitDiverges (item 7): a fit that diverges after finishing an epoch or more (lr 3) rejects with DivergedError, the
 *   parameters, optimiser state and epoch count those before the call (finite ones: Model.fit's contract), and the next
 *   fit the twin's.
 */
import { BackpropError } from '../../src/errors.ts';
import type { Model } from '../../src/model.ts';
import type { NetworkSpec } from '../../src/spec.ts';
import type { EpochLog, FitOptions } from '../../src/train/fit.ts';
import { bits } from './fit-nets.ts';

/** A fresh model on the backend under test. */
export type MakeModel = (spec: NetworkSpec) => Promise<Model>;

const stateBits = (m: Model): string => {
  const s = m.optimizerState();
  return s === undefined ? 'none' : JSON.stringify({ name: s.name, t: s.t, slots: Object.entries(s.slots).map(([k, p]) => [k, bits(p)]) });
};
const what = (m: Model): string => `${bits(m.lastKnownParams().params)} ${stateBits(m)} epochs ${m.epochsTrained}`;
const outcome = (err: unknown): string => (err instanceof BackpropError ? `${err.name} ${err.field ?? ''}`.trim() : `untyped ${String(err)}`);
/** A fit's history as [epoch, loss, accuracy] rows, or how it failed. */
const history = (fit: Promise<EpochLog[]>): Promise<string> => fit.then((h) => JSON.stringify(h.map((e) => [e.epoch, e.loss, e.accuracy])), (e: unknown) => outcome(e));

const XOR: NetworkSpec = {
  inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 4 },
};
const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const Y = [[0], [1], [1], [0]];

/** Items 1–4 on fit's own x and y (validation's are in the bad-options lists). `created`: buffers made so far (WebGPU). */
export async function fitRefusesBadData(make: MakeModel, created: () => number = () => 0): Promise<string[]> {
  const problems: string[] = [];
  const [model, twin] = [await make(XOR), await make(XOR)];
  try {
    const run: FitOptions = { x: X, y: Y, batchSize: 2, epochs: 1, optimizer: { name: 'adam', lr: 0.05 }, shuffle: { seed: 2 } };
    await model.fit(run);
    await twin.fit(run);
    const before = what(model);
    const made = created();
    // README §Errors names the element (x[3][1], y[2][0]) and the array (x[1] of the wrong length, y of the wrong count).
    const cases: [string, FitOptions][] = [
      ['ShapeError x[1]', { x: [[0, 0], [0, 1, 1], [1, 0], [1, 1]], y: Y }],
      ['ShapeError y', { x: X, y: Y.slice(1) }],
      ['NonFiniteError x[2][1]', { x: [[0, 0], [0, 1], [1, NaN], [1, 1]], y: Y }],
      ['NonFiniteError x[0][0]', { x: [[Infinity, 0], [0, 1], [1, 0], [1, 1]], y: Y }],
      ['LabelRangeError y[1][0]', { x: X, y: [[0], [-0.1], [1], [0]] }],
      ['LabelRangeError y[3][0]', { x: X, y: [[0], [1], [1], [1.5]] }],
      ['EmptyBatchError x', { x: [], y: [] }],
    ];
    for (const [want, options] of cases) {
      const got = await model.fit({ ...run, ...options }).then(() => 'resolved', outcome);
      if (got !== want) problems.push(`fit ${JSON.stringify(options.x)}, ${JSON.stringify(options.y)}: ${got}, want ${want}`);
    }
    if (created() !== made) problems.push(`${created() - made} buffers made by the refused fits`);
    if (what(model) !== before) problems.push('the refused fits changed the model');
    const [h, ht] = [await history(model.fit({ ...run, epochs: 2 })), await history(twin.fit({ ...run, epochs: 2 }))];
    if (h !== ht || what(model) !== what(twin)) problems.push(`the fit after the refused ones is not the twin's: ${h}, the twin's ${ht}`);
  } finally {
    model.dispose();
    twin.dispose();
  }
  return problems;
}

/** Item 7: a fit that diverges (lr 3, after finished epochs) keeps the model as it was before the call; the next fit is the twin's. */
export async function fitDiverges(make: MakeModel): Promise<string[]> {
  const problems: string[] = [];
  const spec: NetworkSpec = { inputs: 4, layers: [{ units: 3, activation: 'identity', bias: 'none' }, { units: 2, activation: 'identity' }], loss: 'mse', init: { scheme: 'uniform', seed: 9 } };
  const x = Array.from({ length: 12 }, (_, c) => [0, 1, 2, 3].map((j) => Math.sin(c + 0.7 * j)));
  const y = x.map((r) => [r[0] - r[1], r[2] * r[3]]);
  const [model, twin] = [await make(spec), await make(spec)];
  try {
    const calm: FitOptions = { x, y, batchSize: 4, epochs: 1, optimizer: { name: 'momentum', lr: 0.01 }, shuffle: { seed: 3 } };
    await model.fit(calm);
    await twin.fit(calm);
    const before = what(model);
    // NOTE: lr 3 grows the weights by ~10× an epoch here: the loss is NaN in the call's third epoch (the CPU; measured),
    // so finished epochs of the call (which the model held, in onEpoch) must be put back too, not just a torn one.
    let finished = 0;
    const err = await model.fit({ ...calm, epochs: 10, optimizer: { name: 'momentum', lr: 3 }, onEpoch: () => { finished++; } }).then(() => undefined, (e: unknown) => e);
    if (!(err instanceof BackpropError && err.code === 'DIVERGED')) problems.push(`lr 3: ${err === undefined ? 'resolved' : outcome(err)}, want DivergedError`);
    if (finished < 1) problems.push(`lr 3 diverged before any epoch of the call finished (${finished}): nothing held to put back`);
    if (what(model) !== before) problems.push('after DivergedError: the parameters, state or epochs are not those before the call');
    const [h, ht] = [await history(model.fit(calm)), await history(twin.fit(calm))];
    if (h !== ht || what(model) !== what(twin)) problems.push(`the fit after the diverged one is not the twin's: ${h}, the twin's ${ht}`);
  } finally {
    model.dispose();
    twin.dispose();
  }
  return problems;
}
