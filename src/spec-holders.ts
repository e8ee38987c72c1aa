/**
 * What validateSpec says when it is given the thing that holds a spec instead of the spec (asked on its first unknown
 * key, so a spec pays nothing): a worked example {format, id, …, spec, claims} — `lecture(id).worked` — or a lecture
 * {id, file, worked} of backprop-webgpu/lectures — `lecture(id)`. Both were "format: unknown key" / "id: unknown key".
 * Only errors.ts is imported: the engine's entry pulls in neither the lectures nor the notation.
 */
import { SpecError } from './errors.ts';

/** A SpecError naming `spec` that says what raw is and what to pass instead, when it holds a spec; else undefined. */
export function specHolderError(raw: Record<string, unknown>): SpecError | undefined {
  const has = (key: string): boolean => Object.hasOwn(raw, key);
  const lecture = has('worked') && has('id') && !has('claims');
  const worked = has('claims') && has('spec');
  if (!lecture && !worked) return undefined;
  const id = typeof raw.id === 'string' ? raw.id : 'ID';
  if (lecture) {
    return new SpecError('spec', `this is a lecture {id, file, worked} (what lecture('${id}') returns), not a network spec: pass the spec of its worked example, lecture('${id}').worked.spec`);
  }
  return new SpecError('spec', `this is a worked example {format, id, title, source, description, spec, claims}, not a network spec: pass the spec it holds — for lecture('${id}').worked, lecture('${id}').worked.spec`);
}
