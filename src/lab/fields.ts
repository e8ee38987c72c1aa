/**
 * Reading the page's number fields (no DOM): an empty or non-numeric field is a typed error naming the field,
 * never a silent 0 (Number('') is 0: an empty learning rate trained with lr 0 and said nothing).
 */
import { SpecError } from '../errors.ts';

/** The number typed in a field; SpecError(field) when it is empty or not a finite number. Range checks are the engine's. */
export function readNumber(text: string, field: string): number {
  const t = text.trim();
  if (t === '') throw new SpecError(field, 'must be a number, got an empty field');
  const v = Number(t);
  if (!Number.isFinite(v)) throw new SpecError(field, `must be a number, got '${text}'`);
  return v;
}
