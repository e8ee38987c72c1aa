/**
 * The lab's Fit with early stopping (src/lab/session.ts fit, the Fit panel's "early stop" and "keep the best epoch":
 * README "The lab", Fit): on the net and data of test/lib/early-stop-fit.ts (24 training rows, 24 validation rows),
 * the epochs the Fit runs and the best epoch are Keras' rule (kerasStop, apart from the engine) over the validation
 * losses of the same Fit without early stopping; with restoreBest the session's step count and both curves go back to
 * the best epoch, as the model's epoch count does. The Fit line's words (earlyStopMark), worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { checkLabSpec, LabSession } from '../src/lab/session.ts';
import { earlyStopMark } from '../src/lab/words.ts';
import type { EpochLog } from '../src/train/fit.ts';
import { ES_SPEC, ES_TRAIN, ES_VAL, kerasStop } from './lib/early-stop-fit.ts';

const FIT = { optimizer: { name: 'adam', lr: 0.02 }, batchSize: 4, epochs: 60, validation: ES_VAL } as const;
/** Mini-batches an epoch: 24 rows in batches of 4. */
const PER_EPOCH = 6;

async function session(): Promise<LabSession> {
  return LabSession.open(checkLabSpec({ ...ES_SPEC, ...ES_TRAIN }), 'cpu', null);
}

async function fitted(earlyStopping?: { patience: number; restoreBest: boolean }): Promise<{ s: LabSession; logs: EpochLog[] }> {
  const s = await session();
  const logs = await s.fit({ ...FIT, optimizer: { ...FIT.optimizer }, ...(earlyStopping && { earlyStopping }) }, () => undefined);
  return { s, logs };
}

describe("the lab's Fit with early stopping", () => {
  it('stops where Keras\' rule says; keep the best epoch takes the step count, the curves and the epoch count back to it', async () => {
    const plain = await fitted();
    const ref = kerasStop(plain.logs.map((e) => e.valLoss!), 3, 0, false);
    expect(ref.epochs).toBeLessThan(60); // the scenario stops early
    expect(ref.best).toBeLessThan(ref.epochs);

    const kept = await fitted({ patience: 3, restoreBest: true });
    expect(kept.logs.map((e) => e.valLoss)).toEqual(plain.logs.slice(0, ref.epochs).map((e) => e.valLoss));
    expect(kept.logs.at(-1)!.earlyStop).toEqual({ stopped: true, bestEpoch: ref.best });
    expect(kept.s.model.epochsTrained).toBe(ref.best);
    expect(kept.s.steps).toBe(ref.best * PER_EPOCH);
    // The curves: the loss before the Fit (step 0), then one point an epoch up to the best (its last step).
    expect(kept.s.history.map((p) => p.step)).toEqual([0, ...Array.from({ length: ref.best }, (_, k) => (k + 1) * PER_EPOCH - 1)]);
    expect(kept.s.validation.at(-1)).toEqual({ step: ref.best * PER_EPOCH - 1, loss: plain.logs[ref.best - 1].valLoss });
    expect(kept.s.validation).toHaveLength(ref.best + 1);

    // Without keep the best: every epoch run stays, as the model's.
    const last = await fitted({ patience: 3, restoreBest: false });
    expect(last.s.steps).toBe(ref.epochs * PER_EPOCH);
    expect(last.s.model.epochsTrained).toBe(ref.epochs);
    expect(last.s.history).toHaveLength(ref.epochs + 1);
    for (const r of [plain, kept, last]) r.s.dispose();
  }, 60_000);

  it("the Fit line's mark, worked by hand", () => {
    // A second Fit: the model's epochs 21 … 32, 12 in this Fit; the best, the model's 29th, is this Fit's 29 − 32 + 12 = 9th.
    expect(earlyStopMark({ done: 12, epoch: 32, mark: { stopped: true, bestEpoch: 29 }, restored: true, asked: 50 }))
      .toBe(' (stopped early: the validation loss did not improve for 3 epochs after epoch 9; the net holds epoch 9, the best)');
    expect(earlyStopMark({ done: 12, epoch: 12, mark: { stopped: true, bestEpoch: 11 }, restored: false, asked: 20 }))
      .toBe(' (stopped early: the validation loss did not improve for 1 epoch after epoch 11; epoch 11 was the best; the net holds the last)');
    expect(earlyStopMark({ done: 20, epoch: 20, mark: { stopped: false, bestEpoch: 18 }, restored: true, asked: 20 })).toBe(' (the best epoch, 18, kept)');
    expect(earlyStopMark({ done: 20, epoch: 20, mark: { stopped: false, bestEpoch: 18 }, restored: false, asked: 20 })).toBe(' (best validation loss at epoch 18)');
    expect(earlyStopMark({ done: 20, epoch: 20, mark: undefined, restored: true, asked: 20 })).toBe('');
    // Stopped at the Fit's last epoch (20 of 20 asked): every epoch ran, so not "stopped early".
    expect(earlyStopMark({ done: 20, epoch: 20, mark: { stopped: true, bestEpoch: 17 }, restored: true, asked: 20 })).toBe(' (the best epoch, 17, kept)');
    expect(earlyStopMark({ done: 20, epoch: 20, mark: { stopped: true, bestEpoch: 17 }, restored: false, asked: 20 })).toBe(' (best validation loss at epoch 17)');
    expect(earlyStopMark({ done: 19, epoch: 19, mark: { stopped: true, bestEpoch: 16 }, restored: false, asked: 20 }))
      .toBe(' (stopped early: the validation loss did not improve for 3 epochs after epoch 16; epoch 16 was the best; the net holds the last)');
  });
});
