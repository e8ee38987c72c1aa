/**
 * What Model.fit takes and gives (README, "Training on data: fit"): its options, the progress inside an epoch, an
 * epoch's history entry, and the AbortSignal it reads. The checks and the epoch loop that use them are fit.ts.
 */
import type { DataInput } from '../spec.ts';
import type { OptimizerName, OptimizerSpec } from './optimizers.ts';
import type { LrSchedule } from './lr-schedule.ts';

/** The options of Model.fit (README, "Training on data: fit"); every one optional, an absent one takes the spec's value or the default; an unknown key or a bad value is a SpecError naming it. */
export interface FitOptions {
  /**
   * Training data (rows, or {examples, data} example-major). Default: the model's current batch as it is when the
   * fit runs (its turn) — the x and y of the last train / step / grad that succeeded before it, else the spec's x and y.
   */
  x?: DataInput;
  /** Training targets, one row per example (or {examples, data}), as many examples as x; given with x. Default: as x. */
  y?: DataInput;
  /**
   * Examples per mini-batch, n the training examples (after validation's share): given here, 1 … n (past n is a
   * SpecError); by default the spec's batchSize, else 32, taken as n where it is past n.
   */
  batchSize?: number;
  /** Default: the spec's epochs, else 1. */
  epochs?: number;
  /** false keeps the given order; {seed} draws a permutation per epoch (default: the spec's, else {seed: 0}). */
  shuffle?: false | {
    /** The seed of the permutations, an integer 0 … 2³² − 1 (epochOrder). */
    seed: number;
  };
  /** {x, y}, or a fraction in (0, 1) held out from the END of the training data (default: the spec's). */
  validation?: number | {
    /** Validation inputs, one row per example (or {examples, data}). */
    x: DataInput;
    /** Validation targets, as many examples as its x. */
    y: DataInput;
  };
  /** Drop the last partial batch (default false: it is kept, its gradient the mean over its own size). */
  dropLast?: boolean;
  /** A name or {name, lr, …} (default: the last fit's optimiser, else the spec's optimizer, else 'sgd' with the spec's lr). */
  optimizer?: OptimizerName | OptimizerSpec;
  /** Mini-batches per submission (one runBatches call); default 16. */
  batchesPerSubmission?: number;
  /**
   * Called after each epoch with a copy of its history entry (writing to it changes nothing fit returns); awaited.
   * Meanwhile the model holds that epoch: getParams, save, predict and evaluate may be awaited here; train, step,
   * grad, fit, setParams, restore, rebuild reject with BusyError (they would wait for this fit). What it returns is
   * awaited (a promise holds the fit until it settles; any other value is ignored), so `(e) => log.push(e)` types too.
   */
  onEpoch?: (entry: EpochLog) => unknown;
  /**
   * Progress inside an epoch: called after each submission's mini-batches have run — on WebGPU once the device has
   * done them, so with onBatch fit waits for each submission (without it, it does not) — with the epoch (1-based, as
   * EpochLog's), the mini-batches of the epoch done so far and the epoch's count. Not awaited: the model is mid-epoch
   * (its calls made here wait for the fit to end — do not await them here). If it throws, or a promise it returns
   * rejects before the fit ends, the fit stops as when onEpoch throws (a rejection at its next submission or epoch
   * end): it rejects with that error, the model keeping the last finished step. Any other value it returns is ignored.
   */
  onBatch?: (progress: FitProgress) => unknown;
  /**
   * Stop when the monitored value has not improved for `patience` epochs, and resolve with the history so far (its
   * last entry's `earlyStop` says so); with restoreBest, the model then holds the best epoch. Keras' EarlyStopping,
   * built in (README "Training on data: fit"). Checked when fit is called: a SpecError naming the field.
   */
  earlyStopping?: EarlyStopping;
  /**
   * The lr of each epoch, from the optimiser's lr: PyTorch's StepLR, ExponentialLR, CosineAnnealingLR, LinearLR
   * (warm-up) and ReduceLROnPlateau with `scheduler.step()` once after each epoch (README "Optimisers"). The closed
   * forms count epochs across fit calls (EpochLog.epoch); plateau's count is this fit's. Default: the lr every epoch.
   */
  lrSchedule?: LrSchedule;
  /** Stops training between submissions: fit rejects with what signal.throwIfAborted() throws (an AbortSignal: its reason), the model keeps the last finished step. */
  signal?: AbortSignalLike;
}

/** What earlyStopping watches: a field of the epoch's history entry. */
export type EarlyStoppingMonitor = 'valLoss' | 'loss' | 'valAccuracy' | 'accuracy';

/** fit's earlyStopping option (Keras' EarlyStopping(monitor, patience, min_delta, restore_best_weights)). */
export interface EarlyStopping {
  /** The history field watched (default 'valLoss', as Keras' 'val_loss': a fit without validation is a SpecError then); losses fall, accuracies rise. */
  monitor?: EarlyStoppingMonitor;
  /** Epochs without improvement after which the fit stops, an integer ≥ 0 (default 0: 0 and 1 both stop at the first such epoch, as in Keras). */
  patience?: number;
  /** The least change that counts as an improvement, ≥ 0 (default 0): a loss improves where loss + minDelta < the best so far. */
  minDelta?: number;
  /**
   * At the fit's end (stopped early or not), put back the best epoch's parameters, optimiser state and epoch count —
   * the model a fit of that many epochs leaves (Keras restores the weights only). Default false: the last epoch's.
   */
  restoreBest?: boolean;
}

/** Where a fit is inside an epoch (FitOptions.onBatch): `batch` of the epoch's `batches` mini-batches have run. */
export interface FitProgress {
  /** The epoch, 1-based and counted across fit calls (as EpochLog.epoch). */
  epoch: number;
  /** Mini-batches of the epoch that have run so far. */
  batch: number;
  /** Mini-batches in the epoch. */
  batches: number;
}

/** One epoch of the history. epoch counts every epoch this model has trained (1-based, across fit calls). */
export interface EpochLog {
  /** The epoch, 1-based, counted across every fit call of this model. */
  epoch: number;
  /** Mean per-example loss over the epoch's examples, each from its batch's forward pass before its update. */
  loss: number;
  /** The learning rate the epoch's steps used: the optimiser's, or lrSchedule's for the epoch. */
  lr: number;
  /** Fraction (0 … 1) of the epoch's examples predicted right by those forward passes: argmax for softmax-cross-entropy, a ≥ 0.5 against y ≥ 0.5 for bce with one output; absent otherwise. */
  accuracy?: number;
  /** Mean per-example loss of a forward pass over the validation set after the epoch; absent without validation. */
  valLoss?: number;
  /** Accuracy (as `accuracy`) of that validation pass; absent without validation or where accuracy is. */
  valAccuracy?: number;
  /**
   * max |W|, |b| after the epoch's last update: weights that grow large while the loss stays finite are not an
   * error, and show here. A parameter that is ±Infinity or NaN is a DivergedError.
   */
  maxAbsParam: number;
  /**
   * On the last entry of a fit with earlyStopping (onEpoch's copy too): whether early stopping ended it before its
   * `epochs` (`stopped`), and the best epoch by the monitor (`bestEpoch`, counted as `epoch`) — the one the model
   * holds after the fit where restoreBest is set. Absent on the other entries and without earlyStopping.
   */
  earlyStop?: {
    /** True where early stopping ended the fit after this epoch, before its `epochs`; false where it ran them all. */
    stopped: boolean;
    /** The best epoch by the monitor (1-based, as `epoch`): the first until one improves; what restoreBest puts back. */
    bestEpoch: number;
  };
  /** Wall-clock seconds the epoch took: its mini-batches, its sums read back and its validation pass. */
  seconds: number;
}

/**
 * What fit reads of an AbortSignal (a structural type, so the package's types need neither the DOM lib nor
 * @types/node: a consumer compiling with lib es2022 alone passes a real AbortSignal just the same).
 */
export interface AbortSignalLike {
  /** True once aborted: fit then stops between submissions. */
  readonly aborted: boolean;
  /** Why it was aborted (what throwIfAborted throws); fit does not read it. */
  readonly reason?: unknown;
  /** Throws the abort reason when aborted; fit rejects with what it throws. */
  throwIfAborted(): void;
}
