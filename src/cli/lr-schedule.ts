/**
 * `backprop train --lr-schedule SPEC` (README "CLI"): fit's lrSchedule option (src/train/lr-schedule.ts) from one
 * word a user types — `cosine`, `cosine:20`, `step:10:0.1`, `exponential:0.95`, `warmup:5`, `plateau:3:0.5` —
 * checked before any work, and what the run then says of it: a line before the fit (lrScheduleLine), the epoch's lr
 * on each progress line (lrText), the plot's title line. The closed forms are functions of the model's epoch count, so
 * a run --resume continues (given the same --lr-schedule) runs the lrs of the uninterrupted run.
 */
import type { Net } from '../spec.ts';
import { checkLrSchedule, checkScheduleLr, LR_SCHEDULES, type LrScheduleConfig } from '../train/lr-schedule.ts';
import { inExponentForm } from './format.ts';
import { choice, UsageError } from './io.ts';

/** The flag as given (TrainFlags' field). */
export interface LrScheduleFlags {
  /** --lr-schedule NAME[:A[:B]]: the learning rate per epoch (default constant: the optimiser's lr every epoch). */
  lrSchedule?: string;
}

/** --lr-schedule's names: the library's, and `constant` (no schedule: the optimiser's lr every epoch). */
export const LR_SCHEDULE_NAMES = ['constant', ...LR_SCHEDULES] as const;

/** Each name's numbers after it, in order, as the usage writes them. */
const FORMS: Readonly<Record<(typeof LR_SCHEDULE_NAMES)[number], string>> = {
  constant: 'constant',
  step: 'step:EVERY[:GAMMA]',
  exponential: 'exponential:GAMMA',
  cosine: 'cosine[:EPOCHS[:MIN_LR]]',
  warmup: 'warmup[:EPOCHS[:START]]',
  plateau: 'plateau[:PATIENCE[:FACTOR]]',
};

/** The usage's forms, `constant | step:EVERY[:GAMMA] | …`, on two lines of the usage (`indent` before the second). */
export function lrScheduleForms(indent: string): string {
  const forms = LR_SCHEDULE_NAMES.map((n) => FORMS[n]);
  return `${forms.slice(0, 4).join(' | ')} |\n${indent}${forms.slice(4).join(' | ')}`;
}

/** What the run needs to know of itself to read the flag: whether it has a validation set, the epoch it ends at, the optimiser's lr. */
export interface ScheduleRun {
  /** The run has a validation set (the spec's fraction, or MNIST's test digits): plateau watches its loss. */
  validation: boolean;
  /** The model's epoch count when the run ends (the checkpoint's epochs plus those to run, with --resume): cosine's EPOCHS by default. */
  until: number;
  /** The optimiser's lr: cosine's MIN_LR may not be above it. */
  lr: number;
}

/**
 * --lr-schedule as fit's lrSchedule, or undefined without it (or with `constant`). Refused (a UsageError naming the
 * flag and the part that is wrong) before any work: an unknown name (with a did-you-mean), a name without the number
 * it needs (step's EVERY, exponential's GAMMA), more numbers than it takes, a number not written as one or out of its
 * range, cosine's MIN_LR above the optimiser's lr, plateau on a run with no validation set.
 */
export function lrScheduleOption(raw: string | undefined, net: Net, run: ScheduleRun): LrScheduleConfig | undefined {
  if (raw === undefined) return undefined;
  const [word, ...nums] = raw.split(':');
  const name = choice('lr-schedule', word, LR_SCHEDULE_NAMES);
  const form = FORMS[name];
  const most = form.split(':').length - 1;
  if (nums.length > most) throw new UsageError(`--lr-schedule ${raw}: ${name} takes ${most === 0 ? 'no numbers' : `at most ${most} number${most === 1 ? '' : 's'}`} (${form}), got ${nums.length}`);
  if (name === 'constant') return undefined;
  /** The `i`th number's part of the form (`EVERY`), for the errors. */
  const part = (i: number): string => form.split(':')[i + 1].replace(/[[\]]/g, '');
  const given = (i: number): string | undefined => {
    if (nums[i] === undefined) return undefined;
    if (nums[i] === '') throw new UsageError(`--lr-schedule ${raw}: ${part(i)} is empty (${form})`);
    return nums[i];
  };
  /** A number the form requires (step's EVERY, exponential's GAMMA), refused where it is not given. */
  const needed = (x: number | undefined, i: number): number => {
    if (x !== undefined) return x;
    throw new UsageError(`--lr-schedule ${raw}: ${name} needs its ${part(i)} (${form}, e.g. ${EXAMPLES[name]})`);
  };
  // A number not given is left undefined: checkLrSchedule fills in the library's default (one place for them).
  const integer = (i: number, lo: number): number | undefined => {
    const v = given(i);
    if (v === undefined) return undefined;
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (!(n >= lo && n <= Number.MAX_SAFE_INTEGER)) throw new UsageError(`--lr-schedule ${raw}: ${part(i)} must be an integer ${lo} or more, got '${v}'`);
    return n;
  };
  const decimal = (i: number, ok: (x: number) => boolean, range: string): number | undefined => {
    const v = given(i);
    if (v === undefined) return undefined;
    const x = /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v) ? Number(v) : NaN;
    if (!(Number.isFinite(x) && ok(x))) throw new UsageError(`--lr-schedule ${raw}: ${part(i)} must be a number ${range}, got '${v}'`);
    return x;
  };
  const factor = (i: number): number | undefined => decimal(i, (x) => x > 0 && x <= 1, 'in (0, 1]');
  let option: unknown;
  switch (name) {
    case 'step': option = { name, stepSize: needed(integer(0, 1), 0), gamma: factor(1) }; break;
    case 'exponential': option = { name, gamma: needed(factor(0), 0) }; break;
    case 'cosine': {
      // cosine's EPOCHS is the flag's own default (the library has none): the epoch the run ends at.
      const epochs = integer(0, 1) ?? run.until;
      const minLr = decimal(1, (x) => x >= 0, '≥ 0');
      if (minLr !== undefined && minLr > run.lr) throw new UsageError(`--lr-schedule ${raw}: MIN_LR ${minLr} is above the optimiser's lr ${run.lr} (cosine runs from the lr down to MIN_LR)`);
      option = { name, epochs, minLr };
      break;
    }
    case 'warmup': option = { name, epochs: integer(0, 1), startFactor: factor(1) }; break;
    case 'plateau': {
      const patience = integer(0, 0);
      const f = decimal(1, (x) => x > 0 && x < 1, 'in (0, 1)');
      if (!run.validation) {
        throw new UsageError(`--lr-schedule ${raw}: plateau lowers the lr when the validation loss stops falling, but this run has no validation set: give the spec "validation": 0.2 (a fraction of its x, y held out from the end), or --data mnist (its 2 000 test digits)`);
      }
      option = { name, patience, factor: f };
      break;
    }
  }
  // The library's own check after the flag's (the same ranges: a net check, not a second set of words).
  const config = checkLrSchedule(option, net);
  checkScheduleLr(config, run.lr);
  return config;
}

/** An example of each form, for the error of a missing number. */
const EXAMPLES: Readonly<Record<(typeof LR_SCHEDULE_NAMES)[number], string>> = {
  constant: 'constant', step: 'step:10:0.1', exponential: 'exponential:0.95', cosine: 'cosine:20', warmup: 'warmup:5', plateau: 'plateau:3:0.5',
};

/** An lr as the lines print it: 3 significant digits (`0.0500`), exponent form below 1e-4 (`6.16e-5`), `0` as 0. */
export function lrText(lr: number): string {
  if (lr === 0) return '0';
  return inExponentForm(lr) ? lr.toExponential(2) : lr.toPrecision(3);
}

/**
 * The line before the fit naming the schedule from the optimiser's `lr` (and the plot's title line):
 * `lr schedule: cosine from 0.100 to 0 over 20 epochs (CosineAnnealingLR)`.
 */
export function lrScheduleLine(config: LrScheduleConfig, lr: number): string {
  const epochs = (n: number): string => `${n} epoch${n === 1 ? '' : 's'}`;
  const what = ((): string => {
    switch (config.name) {
      case 'step': return `step, ×${config.gamma} every ${epochs(config.stepSize)} (StepLR)`;
      case 'exponential': return `exponential, ×${config.gamma} every epoch (ExponentialLR)`;
      case 'cosine': return `cosine from ${lrText(lr)} to ${lrText(config.minLr)} over ${epochs(config.epochs)} (CosineAnnealingLR)`;
      case 'warmup': return `warm-up from ${lrText(lr * config.startFactor)} to ${lrText(lr)} over ${epochs(config.epochs)} (LinearLR)`;
      case 'plateau': return `plateau, ×${config.factor} after ${config.patience + 1} epochs in a row without a lower val_loss (ReduceLROnPlateau, patience ${config.patience})`;
    }
  })();
  return `lr schedule: ${what}`;
}
