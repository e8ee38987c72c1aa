/**
 * Reading the page's number fields (no DOM): an empty or non-numeric field is a typed error naming the field,
 * never a silent 0 (Number('') is 0: an empty learning rate trained with lr 0 and said nothing).
 */
import { SpecError } from '../errors.ts';

/**
 * A number field as read: its text, and for an `<input type="number">` its validity, whose badInput says the browser
 * holds typed text it cannot read as a number ("1e", "--"): its value is then '', as for an empty field.
 */
export interface FieldText {
  value: string;
  validity?: { badInput: boolean };
}

/** A field's text and badInput now (the editor reads its fields before Apply's action runs). */
export const fieldText = (input: Required<FieldText>): FieldText => ({ value: input.value, validity: { badInput: input.validity.badInput } });

/**
 * The number typed in a field (its text, or the field: an input element); SpecError(field) when it is empty, holds
 * text that is not a number (said so: it was "got an empty field" under a field showing "1e"; the browser hands
 * over 1e999 as empty too), or is not a finite
 * number. Range checks are the engine's.
 */
export function readNumber(input: string | FieldText, field: string): number {
  const text = typeof input === 'string' ? input : input.value;
  const t = text.trim();
  if (t === '') {
    const typedText = typeof input !== 'string' && input.validity?.badInput === true;
    throw new SpecError(field, typedText ? 'must be a number; what is typed there is not one (text, or beyond ±1.8e308)' : 'must be a number, got an empty field');
  }
  const v = Number(t);
  if (!Number.isFinite(v)) throw new SpecError(field, `must be a number, got '${text}'`);
  return v;
}

/**
 * The page's control that holds the value an error's field names (no DOM: the id), so that the control can be marked
 * invalid and described by the notice; null for a field no one control holds (a file's, a link's, the engine's own).
 * Steps; the Fit panel's fields (`fit.…`); the editor's learning rate, batch size, seed and layer units
 * (`layers[i].units`); the loss surface's row and column (`surface.p1.row`; a bias's index is its row field).
 */
export function fieldControl(field: string | undefined): string | null {
  if (field === undefined) return null;
  const fixed: Record<string, string> = {
    steps: 'train-steps',
    'fit.optimizer.lr': 'fit-lr',
    'fit.batchSize': 'fit-batch',
    'fit.epochs': 'fit-epochs',
    'fit.earlyStop.patience': 'fit-patience',
    'fit.earlyStop.restoreBest': 'fit-restore',
    'fit.lrSchedule': 'fit-schedule',
    lr: 'lr',
    'batch size': 'batch-size',
    seed: 'seed',
  };
  if (Object.hasOwn(fixed, field)) return fixed[field];
  const units = /^layers\[(\d+)\]\.units$/.exec(field);
  if (units) return `layer-${units[1]}-units`;
  const surface = /^surface\.p([12])\.(row|col|index)$/.exec(field);
  if (surface) return `surface-${surface[2] === 'col' ? 'c' : 'r'}${surface[1]}`;
  return null;
}

/**
 * Actions whose input is not the page's controls but a file or a link: an error's field is the file's or the link's
 * (an imported spec's `lr`, `layers[0].units`), and the editor's control of that name holds the page's own net's value.
 */
const FOREIGN_INPUT_ACTIONS: ReadonlySet<string> = new Set(['Import', 'Open link', 'Load']);

/**
 * The control to mark for action `what`'s error on `field` (device-panel.ts showActionError): fieldControl's, none for
 * an action that read a file or a link (FOREIGN_INPUT_ACTIONS): importing a spec with "lr": -1 marked the editor's lr,
 * which holds the page's net's valid η, invalid.
 */
export function actionControl(what: string, field: string | undefined): string | null {
  return FOREIGN_INPUT_ACTIONS.has(what) ? null : fieldControl(field);
}
