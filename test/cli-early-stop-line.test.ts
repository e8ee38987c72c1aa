/**
 * `train --early-stop`'s words and marks apart from a run (src/cli/early-stop.ts earlyStopLine, src/cli/plot.ts's
 * best-epoch line), on histories made by hand: an accuracy monitor's score in %, one epoch waited, a best epoch that is
 * the last one kept, a resumed run's epochs (numbered on from the checkpoint's), and the plot's dotted line at the
 * first and last epoch drawn and none outside them. Review mut64b (reviews/mut64b.md): each pins a mutant that
 * test/cli-train-early-stop.test.ts let through.
 */
import { describe, expect, it } from 'vitest';
import { earlyStopLine } from '../src/cli/early-stop.ts';
import { learningCurvesSvg } from '../src/cli/plot.ts';
import type { EarlyStoppingConfig } from '../src/train/early-stop.ts';
import type { EpochLog } from '../src/train/fit.ts';

/** An epoch's entry with the fields the line reads (the others are not read). */
function entry(epoch: number, fields: Partial<EpochLog>): EpochLog {
  return { epoch, loss: 1, seconds: 0.1, ...fields } as EpochLog;
}

const config = (over: Partial<EarlyStoppingConfig>): EarlyStoppingConfig => ({ monitor: 'valLoss', patience: 1, minDelta: 0, restoreBest: false, ...over });

describe('earlyStopLine, worked by hand', () => {
  it('an accuracy monitor: its score in % (0.8125 → 81.25 %), "1 epoch" waited', () => {
    const h = [entry(1, { accuracy: 0.5 }), entry(2, { accuracy: 0.8125 }), entry(3, { accuracy: 0.75, earlyStop: { stopped: true, bestEpoch: 2 } })];
    expect(earlyStopLine(h, config({ monitor: 'accuracy', restoreBest: true }), 10, 0))
      .toBe('early stop: acc did not improve for 1 epoch after epoch 2: stopped after epoch 3 of 10; best epoch 2 (acc 81.25 %), restored');
  });

  it('--restore-best where the best is the last epoch: "the last, kept" (nothing went back)', () => {
    const h = [entry(1, { valLoss: 0.5 }), entry(2, { valLoss: 0.375 }), entry(3, { valLoss: 0.25, earlyStop: { stopped: false, bestEpoch: 3 } })];
    expect(earlyStopLine(h, config({ restoreBest: true }), 3, 0)).toBe('early stop: ran all 3 epochs; best epoch 3 (val_loss 0.2500), the last, kept');
  });

  it('a resumed run (10 epochs before it): "ran all" its own 5, a stop "of" the 10 + 50 the run ends at', () => {
    const all = [11, 12, 13, 14, 15].map((k) => entry(k, { valLoss: k === 12 ? 0.125 : 0.5 }));
    all[4] = { ...all[4], earlyStop: { stopped: false, bestEpoch: 12 } };
    expect(earlyStopLine(all, config({}), 5, 10))
      .toBe("early stop: ran all 5 epochs; best epoch 12 (val_loss 0.1250), not restored (the model is epoch 15's; --restore-best keeps the best)");
    const cut = [...all.slice(0, 3), { ...all[3], earlyStop: { stopped: true, bestEpoch: 12 } }];
    expect(earlyStopLine(cut, config({ patience: 2 }), 50, 10))
      .toBe("early stop: val_loss did not improve for 2 epochs after epoch 12: stopped after epoch 14 of 60; best epoch 12 (val_loss 0.1250), not restored (the model is epoch 14's; --restore-best keeps the best)");
  });
});

describe("the plot's best-epoch line", () => {
  // Epochs 11 … 14 (a resumed run's): the loss panel only (no accuracy, no validation).
  const h = [11, 12, 13, 14].map((k) => entry(k, { loss: 1 / k }));
  const marks = (best: number | undefined): number => (learningCurvesSvg(h, ['t'], best).match(/data-best-epoch=/g) ?? []).length;
  it('drawn at the first and the last epoch, once a panel; none outside the epochs drawn, none without a best', () => {
    expect(marks(11)).toBe(1);
    expect(marks(14)).toBe(1);
    expect(marks(12)).toBe(1);
    expect(marks(10)).toBe(0);
    expect(marks(15)).toBe(0);
    expect(marks(undefined)).toBe(0);
  });
});
