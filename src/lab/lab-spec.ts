/**
 * What the lab loads and runs, checked before anything changes (typed errors naming the field): a spec with its data
 * (checkLabSpec → LabNet), the learning rate it trains at (labLr), a Train's steps (checkTrainSteps) and a Fit's options
 * and epochs (LabFit, fitEpochs). No DOM and no Model: the session (./session.ts, which exports these too), the editor,
 * Import and a link's parameters check through the same rules.
 */
import { integerIn } from '../checks.ts';
import { checkedRows, validateSpecFor, type Net, type NetworkSpec, type RowsSpec } from '../spec.ts';
import type { EarlyStopping } from '../train/fit.ts';
import type { OptimizerSpec } from '../train/optimizers.ts';
import type { FitScheduleName } from './fit-schedule.ts';

/** What the Training region's Fit asks for (Model.fit: shuffled mini-batches with an optimiser). */
export interface LabFit {
  optimizer: OptimizerSpec;
  batchSize: number;
  epochs: number;
  /** Rows held out (your data's validation part): fit reports their loss and accuracy after each epoch. */
  validation?: { x: number[][]; y: number[][] };
  /** fit's earlyStopping (on the validation loss: the Fit panel offers it only with a validation split). */
  earlyStopping?: EarlyStopping;
  /** The Fit panel's lr schedule (./fit-schedule.ts fitSchedule: its numbers from the Fit); absent: constant. */
  lrSchedule?: FitScheduleName;
}

/** One lab net: the spec (architecture, lr, notation, names) and the whole data set; params live in the Model. */
export interface LabNet {
  /** The spec, its x and y as rows (checkLabSpec converted an {examples, data} one): `x` and `y` below. */
  spec: RowsSpec;
  net: Net;
  /** Every example of the data set, as rows. */
  x: number[][];
  y: number[][];
  /**
   * Examples per step (≤ x.length); the data set is cut into ⌈N / batchSize⌉ mini-batches, in order, the last
   * keeping the N mod batchSize examples left over (as Model.fit's default, dropLast false): every example trains
   * once a pass.
   */
  batchSize: number;
}

/** The lab's learning rate for a spec without one (Update, Train and the editor's field; the engine itself requires one). */
export const LAB_DEFAULT_LR = 0.1;

/** The learning rate the lab trains `spec` at: its own, or LAB_DEFAULT_LR. */
export function labLr(spec: NetworkSpec): number {
  return spec.lr ?? LAB_DEFAULT_LR;
}

/** The most steps one Train takes (the Steps field's max: a typo such as 1e9 would run for hours). */
export const MAX_TRAIN_STEPS = 100_000;

/** A Train's step count checked: a whole number 1 … MAX_TRAIN_STEPS, else a SpecError naming `steps` (Train checks it before it starts). */
export function checkTrainSteps(steps: unknown): number {
  return integerIn(steps, 'steps', 1, MAX_TRAIN_STEPS);
}
/** The most epochs one Fit takes (the Fit panel's epochs field's max, and a link's: a typo such as 1e9 would run for hours). */
export const MAX_FIT_EPOCHS = 10_000;

/** A Fit's epochs: whole, 1 … MAX_FIT_EPOCHS (the one rule for the panel, Share and a link); a SpecError naming `field`. */
export function fitEpochs(epochs: unknown, field = 'epochs'): number {
  return integerIn(epochs, field, 1, MAX_FIT_EPOCHS, 'the Fit panel\'s most');
}

/**
 * Check a spec the lab can load: it must carry parameters (or init) and data. Throws typed errors naming the field;
 * the batch size is named `batchField` (the editor's 'batch size'; a link's parameter is 'batch'). x and y in either
 * form the engine takes (README, "The network spec"): an example-major {examples, data} (an imported file's, a link's)
 * is converted to rows here, once, so that every later part of the lab (the batches, the views, the lecture
 * comparison, the class colours, Export and Share) sees rows; the returned spec (a shallow copy) holds them.
 */
export function checkLabSpec(spec: unknown, batchSize?: number, batchField = 'batch size'): LabNet {
  const valid = validateSpecFor(spec, undefined, { params: 'give params {W, b} or init {scheme, seed}', batch: 'the lab needs data: give x and y (one row per example, or {examples, data})' });
  const s = spec as NetworkSpec;
  // Checked by validateSpecFor above: converted to rows, not checked again.
  const x = checkedRows(s.x, valid.net.inputs, 'x');
  const y = checkedRows(s.y, valid.net.layers[valid.net.layers.length - 1].units, 'y');
  const n = valid.batch.n;
  const size = batchSize ?? n;
  return { spec: { ...s, x, y }, net: valid.net, x, y, batchSize: integerIn(size, batchField, 1, n, 'the examples in x') };
}
