/**
 * train's progress line (src/cli/progress-line.ts progressLine) with every field it can show: accuracy, the validation loss
 * and accuracy beside the loss, each the epoch's own number in its own place. test/cli-train-line.test.ts checks the
 * bar and the time left; here the numbers a student reads off the line (review cmut54: a line printing the training
 * accuracy as val_acc, or the loss as val_loss, or dropping a field, passed every test). Expected lines worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { progressLine } from '../src/cli/progress-line.ts';

describe('the progress line, every field', () => {
  it('loss, acc, val_loss and val_acc, each from its own field, in that order', () => {
    const e = { epoch: 1, loss: 0.5, lr: 0.1, accuracy: 0.75, valLoss: 0.25, valAccuracy: 0.5, maxAbsParam: 1, seconds: 2 };
    // Epoch 1 of 2: bar round(1/2 · 20) = 10 cells full; 100 examples / 2 s = 50 ex/s; 1 epoch left at 2 s/epoch = 2 s.
    expect(progressLine(e, 2, 0, 100, 2)).toBe(
      `epoch 1/2 ${'█'.repeat(10)}${'░'.repeat(10)}  loss 0.5000  acc 75.00 %  val_loss 0.2500  val_acc 50.00 %  50 ex/s  2.00 s  ~2 s left`,
    );
  });

  it('accuracy in percent with two decimals, rounded (0.123456 → 12.35 %, 1 → 100.00 %)', () => {
    const e = { epoch: 3, loss: 0.125, lr: 0.1, accuracy: 0.123456, valAccuracy: 1, maxAbsParam: 1, seconds: 0.5 };
    // Epoch 3 of 3 (none before): the bar full, 10 / 0.5 s = 20 ex/s, no epoch left: 'done'. No valLoss: no val_loss.
    expect(progressLine(e, 3, 0, 10, 1.5)).toBe(`epoch 3/3 ${'█'.repeat(20)}  loss 0.1250  acc 12.35 %  val_acc 100.00 %  20 ex/s  0.50 s  done`);
  });
});
