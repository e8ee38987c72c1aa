/**
 * fit's failure modes from the reliability checklist (../shared/notes/reliability-checklist.md), run the same way on
 * cpu and wasm (test/fit-checkpoints.test.ts) and on WebGPU in Node on Dawn (test/dawn/run.ts). Each check runs a
 * model and a twin on the same backend; the twin never meets the failure, so "the model is as before and still
 * trains" means the model ends bitwise where the twin does (test/lib/queue-checks.ts's pair and sameModel: the
 * optimiser state, epochs, parameters and checkpoint bytes). Each returns what went wrong, as strings (none: passed).
 * No vitest here.
 * - fitRefusesBadData (items 1–4): x, y of the wrong shape, NaN / Infinity in x, bce labels −0.1 and 1.5, an empty
 *   batch, given to fit: the typed error naming the field (README §Errors), before any work (on WebGPU: no buffer
 *   made, `created`), the parameters, optimiser state and epoch count unchanged, and the next fit the twin's;
 * - fitDiverges (item 7): a fit that diverges after finishing an epoch or more (momentum at lr 3, or AdamW) rejects with DivergedError, the
 *   parameters, optimiser state and epoch count those before the call (finite ones: Model.fit's contract), and the next
 *   fit the twin's;
 * - readsRefuseBadData (items 1–4 for predict, evaluate and restore): x, y of the wrong shape, NaN / ±Infinity / past
 *   float32 in x or y, bce labels −0.1 and 1.5, an empty batch, and checkpoints of another net, truncated or garbage:
 *   the typed error naming the field, before any work (`work`: what the backend was asked to make or do), the
 *   checkpoint (parameters, optimiser state, epochs) unchanged, and the fit and predict after them the twin's.
 */
import type { Model } from '../../src/model.ts';
import type { NetworkSpec } from '../../src/spec.ts';
import type { EpochLog, FitOptions } from '../../src/train/fit.ts';
import { codeOf, lossBits, type MakeModel, pair, sameBytes, sameModel } from './queue-checks.ts';

/** A fit's history (lossBits), or how it failed (codeOf). */
const settled = (fit: Promise<EpochLog[]>): Promise<string> => fit.then(lossBits, codeOf);

const XOR: NetworkSpec = {
  inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', init: { scheme: 'xavier', seed: 4 },
};
const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const Y = [[0], [1], [1], [0]];

/** Items 1–4 on fit's own x and y (validation's are in the bad-options lists). `created`: buffers made so far (WebGPU). */
export async function fitRefusesBadData(make: MakeModel, created: () => number = () => 0): Promise<string[]> {
  return pair(make, XOR, async (model, twin, p) => {
    const run: FitOptions = { x: X, y: Y, batchSize: 2, epochs: 1, optimizer: { name: 'adam', lr: 0.05 }, shuffle: { seed: 2 } };
    await model.fit(run);
    await twin.fit(run);
    const before = await model.save();
    const made = created();
    // README §Errors names the element (x[3][1], y[2][0]) and the array (x[1] of the wrong length, y of the wrong count).
    const cases: [string, FitOptions][] = [
      ['SHAPE x[1]', { x: [[0, 0], [0, 1, 1], [1, 0], [1, 1]], y: Y }],
      ['SHAPE y', { x: X, y: Y.slice(1) }],
      ['NON_FINITE x[2][1]', { x: [[0, 0], [0, 1], [1, NaN], [1, 1]], y: Y }],
      ['NON_FINITE x[0][0]', { x: [[Infinity, 0], [0, 1], [1, 0], [1, 1]], y: Y }],
      ['LABEL_RANGE y[1][0]', { x: X, y: [[0], [-0.1], [1], [0]] }],
      ['LABEL_RANGE y[3][0]', { x: X, y: [[0], [1], [1], [1.5]] }],
      ['EMPTY_BATCH x', { x: [], y: [] }],
    ];
    for (const [want, options] of cases) {
      p.same(`fit ${JSON.stringify(options.x)}, ${JSON.stringify(options.y)}`, await model.fit({ ...run, ...options }).then(() => 'resolved', codeOf), want);
    }
    // Counted before anything reads the model back (a read may make a buffer).
    p.same('buffers made by the refused fits', created() - made, 0);
    p.check('the refused fits changed the checkpoint', sameBytes(await model.save(), before));
    await sameModel(p, 'after the refused fits', model, twin);
    p.same('the fit after the refused ones (the twin\'s)', await settled(model.fit({ ...run, epochs: 2 })), await settled(twin.fit({ ...run, epochs: 2 })));
    await sameModel(p, 'after the next fit', model, twin);
  });
}

/**
 * The diverging fits of fitDiverges, each after finished epochs of the call: momentum at lr 3; AdamW at lr 2 with
 * weightDecay 10 (W ← (1 − lr·weightDecay)·W − …, 19× a step). NOTE: both lose a finite loss in the call's third
 * epoch on the CPU and wasm (measured: AdamW's second ends at loss 3.0e23, its third is Infinity).
 */
const WILD = { momentum: { name: 'momentum', lr: 3 }, adamw: { name: 'adamw', lr: 2, weightDecay: 10 } } as const;

/** Item 7: a fit that diverges (after finished epochs: WILD) keeps the model, its optimiser state included, as it was before the call; the next fit is the twin's. */
export async function fitDiverges(make: MakeModel, name: keyof typeof WILD = 'momentum'): Promise<string[]> {
  const spec: NetworkSpec = { inputs: 4, layers: [{ units: 3, activation: 'identity', bias: 'none' }, { units: 2, activation: 'identity' }], loss: 'mse', init: { scheme: 'uniform', seed: 9 } };
  const x = Array.from({ length: 12 }, (_, c) => [0, 1, 2, 3].map((j) => Math.sin(c + 0.7 * j)));
  const y = x.map((r) => [r[0] - r[1], r[2] * r[3]]);
  return pair(make, spec, async (model, twin, p) => {
    const calm: FitOptions = { x, y, batchSize: 4, epochs: 1, optimizer: { name, lr: 0.01 }, shuffle: { seed: 3 } };
    await model.fit(calm);
    await twin.fit(calm);
    const before = await model.save();
    // NOTE: lr 3 grows the weights by ~10× an epoch here: the loss is NaN in the call's third epoch (the CPU; measured),
    // so finished epochs of the call (which the model held, in onEpoch) must be put back too, not just a torn one.
    let finished = 0;
    const wild = JSON.stringify(WILD[name]);
    const got = await model.fit({ ...calm, epochs: 10, optimizer: WILD[name], onEpoch: () => { finished++; } }).then(() => 'resolved', codeOf);
    p.same(wild, got, 'DIVERGED');
    p.check(`${wild} diverged before any epoch of the call finished (${finished}): nothing held to put back`, finished >= 1);
    p.check('after DivergedError: the checkpoint (parameters, state, epochs) is not the one before the call', sameBytes(await model.save(), before));
    await sameModel(p, 'after DivergedError', model, twin);
    p.same('the fit after the diverged one (the twin\'s)', await settled(model.fit(calm)), await settled(twin.fit(calm)));
    await sameModel(p, 'after the next fit', model, twin);
  });
}

/**
 * Items 1–4 on predict, evaluate and restore (no test named them before: fit, train, step and grad had theirs). The
 * model holds a fit's parameters, optimiser state and epoch (restored from a checkpoint: no fit trainer is kept, so a
 * refused predict or evaluate that went through would ask the backend for one) and has trained since (a step net);
 * `work(model)` starts counting what the model's backend is asked to make or do and returns the count so far (cpu and
 * wasm: nets and trainers made; WebGPU: buffers made, written and submitted too). Every refusal: its code and field
 * (README §Errors), no work, the checkpoint bytes as before; then the model's next fit, predict and evaluate are the
 * twin's, which never saw the bad calls.
 */
export async function readsRefuseBadData(make: MakeModel, work: (model: Model) => () => number): Promise<string[]> {
  const run: FitOptions = { x: X, y: Y, batchSize: 2, epochs: 1, optimizer: { name: 'adamw', lr: 0.05 }, shuffle: { seed: 5 } };
  const [source, other] = [await make(XOR), await make({ ...XOR, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }] })];
  await source.fit(run);
  const [fitted, otherNet] = [await source.save(), await other.save()];
  source.dispose();
  other.dispose();
  return pair(make, XOR, async (model, twin, p) => {
    for (const m of [model, twin]) {
      await m.restore(fitted);
      await m.train({ steps: 3, lr: 0.5, x: X, y: Y });
    }
    const before = await model.save();
    const empty = { examples: 0, data: new Float32Array(0) };
    const cases: [string, string, () => Promise<unknown>][] = [
      ['SHAPE x[1]', 'predict, a row of 3', () => model.predict([[0, 0], [0, 1, 1], [1, 0]])],
      ['NON_FINITE x[2][1]', 'predict, NaN', () => model.predict([[0, 0], [0, 1], [1, NaN]])],
      ['NON_FINITE x[0][0]', 'predict, −Infinity', () => model.predict([[-Infinity, 0]])],
      ['NON_FINITE x[1][0]', 'predict, 1e39', () => model.predict([[0, 0], [1e39, 0]])],
      ['EMPTY_BATCH x', 'predict, []', () => model.predict([])],
      ['EMPTY_BATCH x', 'predict, 0 examples typed', () => model.predict(empty)],
      ['SHAPE y', 'evaluate, 3 labels for 4 examples', () => model.evaluate(X, Y.slice(1))],
      ['SHAPE y[2]', 'evaluate, a label row of 2', () => model.evaluate(X, [[0], [1], [1, 0], [0]])],
      ['NON_FINITE x[3][1]', 'evaluate, NaN in x', () => model.evaluate([[0, 0], [0, 1], [1, 0], [1, NaN]], Y)],
      ['NON_FINITE y[1][0]', 'evaluate, Infinity in y', () => model.evaluate(X, [[0], [Infinity], [1], [0]])],
      ['LABEL_RANGE y[1][0]', 'evaluate, label −0.1', () => model.evaluate(X, [[0], [-0.1], [1], [0]])],
      ['LABEL_RANGE y[3][0]', 'evaluate, label 1.5', () => model.evaluate(X, [[0], [1], [1], [1.5]])],
      ['EMPTY_BATCH x', 'evaluate, [] []', () => model.evaluate([], [])],
      ['EMPTY_BATCH x', 'evaluate, 0 examples typed', () => model.evaluate(empty, empty)],
      ['SPEC checkpoint.spec', 'restore, another net\'s', () => model.restore(otherNet)],
      ['SPEC checkpoint', 'restore, truncated', () => model.restore(fitted.subarray(0, fitted.length - 9))],
      ['SPEC checkpoint', 'restore, 64 zero bytes', () => model.restore(new Uint8Array(64))],
    ];
    const done = work(model);
    const start = done();
    for (const [want, what, call] of cases) p.same(what, await call().then(() => 'resolved', codeOf), want);
    // Counted before anything reads the model back (a read may make a buffer).
    p.same('work the backend was asked for by the refused calls', done() - start, 0);
    p.check('the refused calls changed the checkpoint', sameBytes(await model.save(), before));
    await sameModel(p, 'after the refused calls', model, twin);
    p.same('predict and evaluate after the refused calls (the twin\'s)', [await model.predict(X), await model.evaluate(X, Y)], [await twin.predict(X), await twin.evaluate(X, Y)]);
    p.same('the fit after the refused calls (the twin\'s)', await settled(model.fit({ ...run, epochs: 2 })), await settled(twin.fit({ ...run, epochs: 2 })));
    p.check('the fit after the refused calls left the checkpoint as it was', !sameBytes(await model.save(), before));
    await sameModel(p, 'after the next fit', model, twin);
  });
}
