/**
 * The Fit panel's lr schedule (README "The course lab"): constant (no schedule), cosine, step, or plateau (where the
 * data set has a validation split), as fit's lrSchedule (src/train/lr-schedule.ts). A schedule is named, not
 * parametrised: its numbers follow from the Fit — the closed forms (cosine, step) span the net's epochs from its first
 * Fit to the end of this one (fit counts epochs across fits), so a Fit ends at cosine's floor, and a second Fit goes
 * on down from where the longer run is at its epoch; plateau watches this Fit's validation loss. What a Share link and
 * the kept entry carry is the name (an old link, without one: constant). No DOM.
 */
import { oneOf } from '../checks.ts';
import { SpecError } from '../errors.ts';
import type { LrSchedule } from '../train/lr-schedule.ts';

/** The panel's menu, in order: 'constant' is no schedule. */
export const FIT_SCHEDULES = ['constant', 'cosine', 'step', 'plateau'] as const;

/** A schedule the panel names (constant is none: absent from the settings). */
export type FitScheduleName = Exclude<(typeof FIT_SCHEDULES)[number], 'constant'>;

/** How the Fit line names each schedule (the menu names them by their names, its title saying what each does). */
export const SCHEDULE_LABELS: Readonly<Record<(typeof FIT_SCHEDULES)[number], string>> = {
  constant: 'constant', cosine: 'cosine', step: 'step ×0.1', plateau: 'plateau ×0.5',
};

/** plateau's numbers: the lr halves after PLATEAU_PATIENCE + 1 epochs in a row without a lower validation loss. */
const PLATEAU_PATIENCE = 2;
const PLATEAU_FACTOR = 0.5;

/** A link's or the kept entry's `fit.lrSchedule` (when present), checked: one of cosine, step, plateau (a SpecError naming fit.lrSchedule). */
export function checkFitSchedule(v: unknown): FitScheduleName {
  return oneOf(v, FIT_SCHEDULES.filter((n): n is FitScheduleName => n !== 'constant'), 'fit.lrSchedule');
}

/**
 * fit's lrSchedule for the panel's schedule `name` on a Fit that ends at the net's epoch `until` (its epochs trained
 * before plus this Fit's): cosine from the lr to 0 over `until` epochs; step ×0.1 every ⌈until / 3⌉ epochs (the lr,
 * then a tenth, then a hundredth); plateau ×0.5 after 3 epochs without a lower validation loss — refused (a SpecError
 * naming fit.lrSchedule) where the Fit has no validation set (`validation`).
 */
export function fitSchedule(name: FitScheduleName, until: number, validation: boolean): LrSchedule {
  switch (name) {
    case 'cosine': return { name: 'cosine', epochs: until };
    case 'step': return { name: 'step', stepSize: Math.max(1, Math.ceil(until / 3)), gamma: 0.1 };
    case 'plateau':
      if (!validation) throw new SpecError('fit.lrSchedule', 'plateau lowers the lr when the validation loss stops falling, and this data set has no validation split (Your data… holds one out: its Validation %): choose constant, cosine or step');
      return { name: 'plateau', patience: PLATEAU_PATIENCE, factor: PLATEAU_FACTOR };
  }
}

/**
 * The Fit line's words on the schedule: `, cosine to lr 0.000616` (the last epoch's lr; `at` for the line during the
 * Fit: `, cosine at lr 0.00905`), '' without one.
 */
export function scheduleWords(name: FitScheduleName | undefined, lr: number | undefined, word: 'to' | 'at' = 'to'): string {
  if (name === undefined || lr === undefined) return '';
  return `, ${SCHEDULE_LABELS[name]} ${word} lr ${lr === 0 ? '0' : lr.toPrecision(3)}`;
}
