/**
 * fit's earlyStopping (src/train/early-stop.ts, src/train/fit.ts), the edges mut64's mutants found unpinned by
 * test/fit-early-stop.test.ts (reviews/mut64.md):
 * - the least values that are allowed (patience 0, minDelta 0: Keras' defaults, given explicitly) and Infinity refused;
 * - 'valAccuracy' under a loss with no accuracy (mse) refused, not only 'accuracy';
 * - monitorHasData's words: "(the default)" for valLoss, not for a monitor the caller named;
 * - restoreBest puts the best epoch into the step net too (a model that stepped before the fit): the next step()
 *   starts from the best epoch, as on a fresh model stepped, fitted `best` epochs and stepped again;
 * - a fit queued behind another, given data and restoreBest over the budget: refused at its call (the copy in the
 *   count checkFit makes of what the call gives), before the fit ahead settles;
 * - the copy is host memory only: a fit on a device at its GPU budget's edge runs with restoreBest as without.
 */
import { describe, expect, it } from 'vitest';
import { checkFitBudget, fitDataNeeds, fitTrainerNeeds, needs } from '../src/budget.ts';
import { Model } from '../src/model.ts';
import { validateNet } from '../src/spec.ts';
import type { EarlyStopping } from '../src/train/fit.ts';
import { bits } from './lib/fit-nets.ts';
import { ES_FIT, ES_SPEC, ES_TRAIN, ES_VAL, kerasStop } from './lib/early-stop-fit.ts';
import { KINDS } from './lib/line-fit.ts';

const DATA = { x: ES_TRAIN.x, y: ES_TRAIN.y, validation: { x: ES_VAL.x, y: ES_VAL.y }, ...ES_FIT };
const { validation: _, ...NO_VAL } = DATA;

describe.each(KINDS)('earlyStopping edges (%s)', (backend) => {
  it('patience 0 and minDelta 0 given explicitly are allowed (the defaults); minDelta Infinity is refused', async () => {
    const model = await Model.create(ES_SPEC, { backend });
    try {
      await expect(model.fit({ ...DATA, epochs: 1, earlyStopping: { patience: 0 } })).resolves.toHaveLength(1);
      await expect(model.fit({ ...DATA, epochs: 1, earlyStopping: { minDelta: 0 } })).resolves.toHaveLength(1);
      await expect(model.fit({ ...DATA, epochs: 1, earlyStopping: { minDelta: Infinity } })).rejects.toMatchObject({ name: 'SpecError', field: 'earlyStopping.minDelta' });
      expect(model.epochsTrained).toBe(2);
    } finally {
      model.dispose();
    }
  });

  it("'valAccuracy' under mse (no accuracy) is refused, naming earlyStopping.monitor", async () => {
    const mse = await Model.create({ ...ES_SPEC, loss: 'mse' }, { backend });
    try {
      await expect(mse.fit({ ...DATA, earlyStopping: { monitor: 'valAccuracy' } })).rejects.toMatchObject({ name: 'SpecError', field: 'earlyStopping.monitor' });
      expect(mse.epochsTrained).toBe(0);
    } finally {
      mse.dispose();
    }
  });

  it("a validation monitor without validation: '(the default)' said of valLoss, not of a monitor the caller named", async () => {
    const model = await Model.create(ES_SPEC, { backend });
    try {
      await expect(model.fit({ ...NO_VAL, earlyStopping: {} })).rejects.toThrow("is 'valLoss' (the default), but the fit has no validation set");
      const named = model.fit({ ...NO_VAL, earlyStopping: { monitor: 'valAccuracy' } });
      await expect(named).rejects.toThrow("is 'valAccuracy', but the fit has no validation set");
    } finally {
      model.dispose();
    }
  });

  it('restoreBest on a model that stepped before: the next step() starts from the best epoch', async () => {
    const stepX = [ES_TRAIN.x[0]];
    const stepY = [ES_TRAIN.y[0]];
    /** A fresh model stepped once on (stepX, stepY) at lr 0.1, then `then`. */
    async function stepped<T>(then: (m: Model) => Promise<T>): Promise<T> {
      const m = await Model.create(ES_SPEC, { backend });
      try {
        await m.step(0.1, stepX, stepY);
        return await then(m);
      } finally {
        m.dispose();
      }
    }
    const es: EarlyStopping = { patience: 2, minDelta: 0.01, restoreBest: true };
    const full = await stepped((m) => m.fit({ ...DATA, epochs: 20 }));
    const want = kerasStop(full.map((e) => e.valLoss!), 2, 0.01, false);
    expect(want.best).toBeLessThan(want.epochs); // a restore that changes something
    const after = async (m: Model) => {
      const s = await m.step(0.1, stepX, stepY);
      return [s.loss, bits(s.params)];
    };
    const got = await stepped(async (m) => {
      expect((await m.fit({ ...DATA, epochs: 20, earlyStopping: es })).length).toBe(want.epochs);
      return after(m);
    });
    const ref = await stepped(async (m) => {
      await m.fit({ ...DATA, epochs: want.best });
      return after(m);
    });
    expect(got).toEqual(ref);
  });
});

describe('restoreBest in the count a queued fit gets at its call', () => {
  it('given data and validation: refused at the call (before the fit ahead settles), the fit ahead unharmed', async () => {
    // The count with data and restoreBest, as test/fit-early-stop.test.ts works it: the fit of DATA under Adam
    // needs 8520 bytes on the host (its net, trainer extras and data) and restoreBest 4·(1 + 2)·65 = 780 more.
    const model = await Model.create(ES_SPEC, { backend: 'cpu', budget: { hostBytes: 8520 + 780 - 1, deviceBytes: 2 ** 30, fileBytes: 2 ** 20 } });
    try {
      const order: string[] = [];
      const first = model.fit({ ...DATA, epochs: 1 }).then(() => order.push('first'));
      const second = model.fit({ ...DATA, epochs: 3, earlyStopping: { restoreBest: true } }).catch((err: unknown) => {
        order.push('second');
        throw err;
      });
      await expect(second).rejects.toMatchObject({ name: 'LimitError', field: 'validation.x' });
      await first;
      expect(order).toEqual(['second', 'first']);
      expect(model.epochsTrained).toBe(1);
    } finally {
      model.dispose();
    }
  });
});

describe("restoreBest's copy is host memory, not GPU memory", () => {
  it('at the GPU budget exactly (the net, the trainer extras, the data on the device), restoreBest is allowed as without it', () => {
    const net = validateNet(ES_SPEC);
    const edge = needs(net, 4).deviceBytes + fitTrainerNeeds(net, 4, 24, 'adam', 16).deviceBytes + fitDataNeeds(net, 24, 24).deviceBytes;
    const at = (deviceBytes: number, restoreBest: boolean) => () =>
      checkFitBudget(net, 24, 24, 4, { device: true, budget: { hostBytes: 2 ** 30, deviceBytes, fileBytes: 2 ** 20 }, optimizer: 'adam', restoreBest });
    for (const restoreBest of [false, true]) {
      expect(at(edge, restoreBest)).not.toThrow();
      expect(at(edge - 1, restoreBest)).toThrow(/GPU memory/);
    }
  });
});
