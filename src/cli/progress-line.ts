/**
 * `backprop train`'s progress lines (./train.ts): one a finished epoch (progressLine: the epoch, a bar, loss, accuracy,
 * validation, examples/s, the time left) and, on a terminal, the live line inside an epoch (batchLine); pure text.
 */
import type { EpochLog, FitProgress } from '../train/fit.ts';
import { inExponentForm } from './format.ts';
import { lrText } from './lr-schedule.ts';

const bar = (done: number, total: number, width = 20): string => {
  const full = Math.round((done / total) * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)}`;
};
const pct = (x: number | undefined): string => (x === undefined ? '' : `${(100 * x).toFixed(2)} %`);

/**
 * The live line inside an epoch (a terminal's, fit's onBatch): the epoch, the bar, and the epoch's mini-batches so far.
 * The bar is the whole run's, as on the epoch lines (the epochs done and this one's share of its batches), so it
 * never goes back between an epoch's live line and its closing line. `first`: the epochs trained before this command
 * (a resumed run's); the bar counts them too, as the numbers do (epoch 4/20 after 3: the bar from 3/20 on).
 */
export function batchLine(g: FitProgress, epochs: number, first: number): string {
  const total = first + epochs;
  const done = g.epoch - 1 + g.batch / g.batches;
  return `epoch ${String(g.epoch).padStart(String(total).length)}/${total} ${bar(done, total)}  batch ${g.batch}/${g.batches}`;
}

/** Seconds as the progress line's time left: `42 s` under a minute, else `m:ss` or `h:mm:ss` (`1:10:13`), whole seconds. */
export function timeLeft(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const two = (n: number): string => String(n).padStart(2, '0');
  const [h, m] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60)];
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

/**
 * A loss in the progress line: 4 decimals (as Keras prints), in exponent form past 1e7 or below 1e-4 — a diverging
 * loss printed in full was 26 digits wide (`loss 50000001002043867136.0000`), and a small one read `0.0000`.
 */
export function lossText(v: number): string {
  return inExponentForm(v) ? v.toExponential(4) : v.toFixed(4);
}

/**
 * One progress line: the epoch, a bar, loss, accuracy, validation, the epoch's lr (`showLr`: where --lr-schedule
 * changes it), examples/s and the time left. The epoch and the bar count the whole run (a resumed run's `first`
 * epochs too); the time left is this command's epochs to go at its pace.
 */
export function progressLine(e: EpochLog, epochs: number, first: number, examples: number, secondsSoFar: number, showLr = false): string {
  const done = e.epoch - first;
  const left = (secondsSoFar / done) * (epochs - done);
  const total = first + epochs;
  const parts = [
    `epoch ${String(e.epoch).padStart(String(total).length)}/${total} ${bar(e.epoch, total)}`,
    `loss ${lossText(e.loss)}`,
    e.accuracy !== undefined ? `acc ${pct(e.accuracy)}` : '',
    e.valLoss !== undefined ? `val_loss ${lossText(e.valLoss)}` : '',
    e.valAccuracy !== undefined ? `val_acc ${pct(e.valAccuracy)}` : '',
    showLr ? `lr ${lrText(e.lr)}` : '',
    `${Math.round(examples / e.seconds)} ex/s`,
    `${e.seconds.toFixed(2)} s`,
    // An epoch early stopping ended the fit after is its last (EpochLog.earlyStop): nothing left.
    done < epochs && !e.earlyStop?.stopped ? `~${timeLeft(left)} left` : 'done',
  ];
  return parts.filter(Boolean).join('  ');
}
