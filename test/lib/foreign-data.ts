/**
 * A trainer takes only the data sets it uploaded itself (BackendTrainer.runBatches and predict): another
 * trainer's, another backend's or a plain object is refused with a SpecError on `data`, before any work — the
 * parameters, the optimiser state and the epoch sums unchanged — and the trainer still works after. Used by
 * test/fit-resources.test.ts (CPU) and test/wasm-fit.test.ts (wasm).
 */
import { expect } from 'vitest';
import type { Backend, BackendData } from '../../src/backend.ts';
import { SpecError } from '../../src/errors.ts';
import { type Batch, type Params, validateNet } from '../../src/spec.ts';
import { resolveOptimizer } from '../../src/train/optimizers.ts';

const NET = validateNet({ inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'identity' }], loss: 'mse' });
const PARAMS: Params = {
  W: [Float32Array.from([0.5, -0.25, 0.75, 0.125, -0.5, 0.375]), Float32Array.from([0.25, -0.75, 0.5])],
  b: [Float32Array.from([0.1, -0.2, 0.05]), Float32Array.from([0.3])],
};
const BATCH: Batch = { n: 4, X: Float32Array.from([1, -1, 0.5, 0.25, -0.5, 2, 0, 1]), Y: Float32Array.from([0.5, -1, 0.25, 1]) };
const ORDER = Uint32Array.from([2, 0, 3, 1]);
const MESSAGE = 'data: not a data set this trainer uploaded (pass what its own upload() returned)';

const bits = (p: Params): number[][] => [...p.W, ...p.b].map((a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length)));

async function refused(what: string, call: () => unknown): Promise<void> {
  let error: unknown = null;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  expect(error, what).toBeInstanceOf(SpecError);
  expect((error as SpecError).field, what).toBe('data');
  expect((error as SpecError).message, what).toBe(MESSAGE);
}

/**
 * On `backend`: data from another trainer of it, from a trainer of `other` (another backend) and a plain object
 * are refused by runBatches and predict; then two epochs on the trainer's own data give bitwise the parameters of
 * a fresh trainer that never saw a refused call.
 */
export async function checkForeignData(backend: Backend, other: Backend): Promise<void> {
  const opt = resolveOptimizer({ name: 'momentum', momentum: 0.9 }, 0.1);
  const fresh = () => {
    const t = backend.trainer(NET, 2, opt.name);
    t.writeParams(PARAMS);
    return t;
  };
  const trainer = fresh();
  const mine = trainer.upload(BATCH);
  trainer.writeOrder(ORDER);
  trainer.runBatches(mine, 0, 2, opt); // one epoch first: the optimiser state is not all zeros
  await trainer.readSums();
  const sibling = fresh();
  const otherTrainer = other.trainer(NET, 2, opt.name);
  const foreign: [string, BackendData][] = [
    ['another trainer of this backend', sibling.upload(BATCH)],
    [`a ${other.kind} trainer's`, otherTrainer.upload(BATCH)],
    ['a plain object', { n: 4, dispose() {} }],
  ];
  const before = await trainer.read();
  for (const [what, data] of foreign) {
    await refused(`runBatches, ${what}`, () => trainer.runBatches(data, 0, 2, opt));
    await refused(`predict, ${what}`, () => trainer.predict(data));
  }
  const after = await trainer.read();
  expect(bits(after.params), 'parameters unchanged').toEqual(bits(before.params));
  expect(after.state.t, 'optimiser steps unchanged').toBe(before.state.t);
  expect(bits(after.state.slots.buf), 'momentum buffers unchanged').toEqual(bits(before.state.slots.buf));
  expect(await trainer.readSums(), 'epoch sums unchanged').toEqual({ loss: 0, correct: 0 });

  // Still works: its second epoch is a fresh trainer's second epoch, bitwise.
  const reference = fresh();
  const refData = reference.upload(BATCH);
  reference.writeOrder(ORDER);
  reference.runBatches(refData, 0, 2, opt);
  for (const [t, d] of [[trainer, mine], [reference, refData]] as const) {
    t.writeOrder(ORDER);
    t.runBatches(d, 0, 2, opt);
  }
  const [got, want] = [await trainer.read(), await reference.read()];
  expect(bits(got.params)).toEqual(bits(want.params));
  expect(bits(before.params), 'the second epoch moved the parameters').not.toEqual(bits(got.params));
  expect((await trainer.predict(mine)).A).toEqual((await reference.predict(refData)).A);
  for (const t of [trainer, sibling, reference, otherTrainer]) t.dispose();
}
