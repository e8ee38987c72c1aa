/**
 * `backprop train`'s early stopping (README "CLI"): --early-stop PATIENCE, --restore-best and --monitor as fit's
 * earlyStopping option (src/train/early-stop.ts: Keras 3's rule), checked before any work, and what the run then says
 * of it — the line after the fit, the plot's title line, the --json field — from the last history entry's earlyStop.
 */
import type { Net } from '../spec.ts';
import type { EarlyStopping, EarlyStoppingMonitor, EpochLog } from '../train/fit.ts';
import { accuracyRule } from '../train/accuracy.ts';
import { checkEarlyStopping, type EarlyStoppingConfig, isAccuracyMonitor, isValidationMonitor, MONITORS } from '../train/early-stop.ts';
import { choice, integerFlag, UsageError } from './io.ts';

/** The flags of early stopping as given (TrainFlags' fields). */
export interface EarlyStopFlags {
  /** --early-stop PATIENCE: the epochs in a row without improvement after which the fit stops. */
  earlyStop?: string;
  /** --restore-best: the model (and --save's checkpoint) is the best epoch's. */
  restoreBest?: boolean;
  /** --monitor: what improves (default valLoss). */
  monitor?: string;
}

/** How the progress lines name a monitor (`val_loss`, as the epoch lines print it). */
const SHOWN: Record<EarlyStoppingMonitor, string> = { valLoss: 'val_loss', loss: 'loss', valAccuracy: 'val_acc', accuracy: 'acc' };

/**
 * The flags as fit's earlyStopping, or undefined without --early-stop. Refused (a UsageError naming the flag) before
 * any work: --early-stop other than digits 1 or more (as --epochs; patience 0 stops as 1 does in fit, so it is not
 * offered), --restore-best or --monitor without --early-stop, a --monitor not one of fit's, a validation monitor
 * (the default valLoss too) on a run with no validation set (`validation`: whether the run has one), and an accuracy
 * monitor where the net's loss has none (checkEarlyStopping's check, worded for --monitor).
 */
export function earlyStopOption(f: EarlyStopFlags, net: Net, validation: boolean): EarlyStoppingConfig | undefined {
  const patience = integerFlag('early-stop', f.earlyStop, 1, Number.MAX_SAFE_INTEGER);
  const monitor = f.monitor === undefined ? undefined : choice('monitor', f.monitor, MONITORS);
  if (patience === undefined) {
    const alone = f.restoreBest ? '--restore-best' : monitor !== undefined ? '--monitor' : undefined;
    if (alone) throw new UsageError(`${alone} is for early stopping: give --early-stop PATIENCE too (the epochs without improvement after which the fit stops)`);
    return undefined;
  }
  const option: EarlyStopping = { patience, restoreBest: f.restoreBest ?? false, ...(monitor ? { monitor } : {}) };
  const watched = monitor ?? 'valLoss';
  if (!validation && isValidationMonitor(watched)) {
    const which = monitor === undefined ? '--early-stop watches the validation loss (val_loss, the default --monitor)' : `--monitor ${monitor} is a validation score`;
    throw new UsageError(`${which}, but this run has no validation set: give the spec "validation": 0.2 (a fraction of its x, y held out from the end), or --data mnist (its 2 000 test digits), or --monitor ${watched === 'valLoss' ? 'loss' : 'accuracy'} (the training ${watched === 'valLoss' ? 'loss' : 'accuracy'})`);
  }
  const outputs = net.layers[net.layers.length - 1].units;
  if (monitor !== undefined && isAccuracyMonitor(monitor) && accuracyRule(net) === 0) {
    throw new UsageError(`--monitor ${monitor}: this net's loss (${net.loss}, ${outputs} output${outputs === 1 ? '' : 's'}) has no accuracy (softmax-cross-entropy, or bce with one output, has one): --monitor ${monitor === 'valAccuracy' ? 'valLoss' : 'loss'}`);
  }
  return checkEarlyStopping(option, net);
}

/**
 * The run's line on early stopping (after the fit, `history` its entries; `planned` the epochs it was to run, `first`
 * the epochs before it): `early stop: val_loss did not improve for 3 epochs after epoch 7: stopped after epoch 10 of
 * 50; best epoch 7 (val_loss 0.4123), restored` — or `ran all 50 epochs; best epoch 48 …` (a stop at the run's last
 * epoch too: the run was not cut short). Undefined where the last
 * entry has no earlyStop (a run without early stopping, or ended by Ctrl-C before fit marked it).
 */
export function earlyStopLine(history: readonly EpochLog[], config: EarlyStoppingConfig, planned: number, first: number): string | undefined {
  const last = history.at(-1);
  const mark = last?.earlyStop;
  if (!last || !mark) return undefined;
  const shown = SHOWN[config.monitor];
  const best = history.find((e) => e.epoch === mark.bestEpoch);
  const value = best?.[config.monitor];
  const score = value === undefined ? '' : ` (${shown} ${isAccuracyMonitor(config.monitor) ? `${(100 * value).toFixed(2)} %` : value.toPrecision(4)})`;
  const waited = last.epoch - mark.bestEpoch;
  // Stopped at the run's last epoch (fit marks it so, as Keras' rule does): every epoch asked ran, no early stop.
  const how = mark.stopped && last.epoch < first + planned
    ? `${shown} did not improve for ${waited} epoch${waited === 1 ? '' : 's'} after epoch ${mark.bestEpoch}: stopped after epoch ${last.epoch} of ${first + planned}`
    : `ran all ${planned} epoch${planned === 1 ? '' : 's'}`;
  const kept = config.restoreBest ? (mark.bestEpoch === last.epoch ? 'the last, kept' : 'restored') : `not restored (the model is epoch ${last.epoch}'s; --restore-best keeps the best)`;
  return `early stop: ${how}; best epoch ${mark.bestEpoch}${score}, ${kept}`;
}

/**
 * The line where Ctrl-C ended a --restore-best run before early stopping did (`cutAt`: the last epoch run): fit restores
 * the best only where early stopping ends it, so the model (and checkpoint) is the last epoch's; undefined otherwise.
 */
export function cutShortLine(config: EarlyStoppingConfig | undefined, cutAt: number | undefined): string | undefined {
  if (!config?.restoreBest || cutAt === undefined) return undefined;
  return `early stop: Ctrl-C stopped the fit first, so nothing was restored: the model and its checkpoint are epoch ${cutAt}'s (--restore-best keeps the best where early stopping ends the run)`;
}

/** The epochs the model holds after the fit: the best epoch's count where --restore-best restored it, else the last entry's. */
export function epochsHeld(history: readonly EpochLog[], config: EarlyStoppingConfig | undefined): number | undefined {
  const last = history.at(-1);
  return config?.restoreBest && last?.earlyStop ? last.earlyStop.bestEpoch : last?.epoch;
}
