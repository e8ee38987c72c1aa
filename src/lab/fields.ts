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
