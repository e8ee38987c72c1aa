/**
 * fit's earlyStopping option (README, "Training on data: fit"): its check (checkEarlyStopping, before any work), the
 * check that its monitor exists for the fit (monitorHasData), and the patience count itself (earlyStopper, a pure
 * function of the monitored values, which runFit feeds one per epoch). Keras 3's EarlyStopping
 * (keras/src/callbacks/early_stopping.py) is the reference: the same comparison, counting and stop; what differs
 * (the restore, the options offered) is in README "Against PyTorch and Keras".
 */
import { describe, integerIn, isObject, oneOf } from '../checks.ts';
import { SpecError } from '../errors.ts';
import type { Net } from '../spec.ts';
import { checkKnownKeys } from '../suggest.ts';
import { accuracyRule } from './accuracy.ts';
import type { EarlyStopping, EarlyStoppingMonitor, EpochLog } from './fit-types.ts';

/** earlyStopping.monitor's values (the CLI's --monitor takes the same). */
export const MONITORS: readonly EarlyStoppingMonitor[] = ['valLoss', 'loss', 'valAccuracy', 'accuracy'];
const KEYS = ['monitor', 'patience', 'minDelta', 'restoreBest'];

/** Whether `monitor` is an accuracy (higher is better), not a loss. */
export const isAccuracyMonitor = (monitor: EarlyStoppingMonitor): boolean => monitor === 'accuracy' || monitor === 'valAccuracy';

/** Whether `monitor` is read from the validation pass, not the training batches. */
export const isValidationMonitor = (monitor: EarlyStoppingMonitor): boolean => monitor === 'valLoss' || monitor === 'valAccuracy';

/** earlyStopping as checked: every field filled in (monitor 'valLoss', patience 0, minDelta 0, restoreBest false, as Keras' defaults). */
export type EarlyStoppingConfig = Required<EarlyStopping>;

/**
 * earlyStopping's fields read once and checked against the net: a SpecError naming the field (`earlyStopping`,
 * `earlyStopping.patience`, …) for an unknown key or a bad value, or an accuracy monitor where the loss has none.
 */
export function checkEarlyStopping(v: unknown, net: Net): EarlyStoppingConfig {
  if (!isObject(v)) throw new SpecError('earlyStopping', `must be an object {monitor, patience, minDelta, restoreBest}, got ${describe(v)}`);
  checkKnownKeys(v, KEYS, 'earlyStopping.', `known: ${KEYS.join(', ')}`, SpecError, 'unknown earlyStopping option');
  const { monitor, patience, minDelta, restoreBest } = v; // each read once
  const out: EarlyStoppingConfig = {
    monitor: checkMonitor(monitor, net, 'earlyStopping.monitor'),
    patience: patience === undefined ? 0 : integerIn(patience, 'earlyStopping.patience', 0, Number.MAX_SAFE_INTEGER),
    minDelta: 0,
    restoreBest: false,
  };
  if (minDelta !== undefined) {
    if (typeof minDelta !== 'number' || !Number.isFinite(minDelta) || minDelta < 0) {
      throw new SpecError('earlyStopping.minDelta', `must be a finite number ≥ 0 (the least change that counts as an improvement), got ${describe(minDelta)}`);
    }
    out.minDelta = minDelta;
  }
  if (restoreBest !== undefined) {
    if (typeof restoreBest !== 'boolean') throw new SpecError('earlyStopping.restoreBest', `must be true or false, got ${describe(restoreBest)}`);
    out.restoreBest = restoreBest;
  }
  return out;
}

/**
 * A monitor option (earlyStopping.monitor, lrSchedule.monitor) read and checked against the net: one of MONITORS
 * (default 'valLoss'), and an accuracy only where the net's loss has one — else a SpecError naming `field`.
 */
export function checkMonitor(v: unknown, net: Net, field: string): EarlyStoppingMonitor {
  const monitor = v === undefined ? 'valLoss' : oneOf(v, MONITORS, field);
  if (isAccuracyMonitor(monitor) && accuracyRule(net) === 0) {
    throw new SpecError(field, `is '${monitor}', but this net's loss has no accuracy (softmax-cross-entropy, or bce with one output, has one): monitor 'loss' or 'valLoss'`);
  }
  return monitor;
}

/** A monitor of the validation pass ('valLoss', 'valAccuracy') on a fit without validation: a SpecError naming `field` (earlyStopping.monitor, lrSchedule.monitor). */
export function monitorHasData(config: { monitor: EarlyStoppingMonitor }, validation: boolean, field = 'earlyStopping.monitor'): void {
  if (!validation && isValidationMonitor(config.monitor)) {
    throw new SpecError(field, `is '${config.monitor}'${config.monitor === 'valLoss' ? ' (the default)' : ''}, but the fit has no validation set: give validation (a fraction or {x, y}), or monitor 'loss' or 'accuracy'`);
  }
}

/** What earlyStopper says of an epoch: whether it is the best so far (its parameters are the ones restoreBest keeps), and whether the fit stops after it. */
export interface EarlyStopVerdict {
  best: boolean;
  stop: boolean;
}

/**
 * The patience count of one fit, as Keras' EarlyStopping.on_epoch_end: `best` starts at +∞ (a loss) or −∞ (an
 * accuracy); an epoch improves where value + minDelta < best (value − minDelta > best for an accuracy), and resets
 * the wait to 0; any other epoch adds 1 to it, and the fit stops once the wait reaches `patience` (0 and 1 alike:
 * at the first epoch without improvement) — never after the fit's first epoch. The first epoch is the best until one
 * improves (Keras keeps its weights so, even where it did not improve on ±∞: a non-finite valLoss). `see` takes one
 * epoch's entry.
 */
export function earlyStopper(config: Pick<EarlyStoppingConfig, 'monitor' | 'patience' | 'minDelta'>): { see(entry: EpochLog): EarlyStopVerdict } {
  const max = isAccuracyMonitor(config.monitor);
  let best = max ? -Infinity : Infinity;
  let wait = 0;
  let seen = 0;
  return {
    see(entry: EpochLog): EarlyStopVerdict {
      const value = entry[config.monitor] ?? NaN; // present: checkEarlyStopping and monitorHasData saw to that
      seen++;
      wait++;
      const improved = max ? value - config.minDelta > best : value + config.minDelta < best;
      if (improved) {
        best = value;
        wait = 0;
        return { best: true, stop: false };
      }
      return { best: seen === 1, stop: seen > 1 && wait >= config.patience };
    },
  };
}
