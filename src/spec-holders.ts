/**
 * What validateSpec and explain say when they are given the thing that holds a spec instead of the spec: a worked
 * example {format, id, …, spec, claims} — `lecture(id).worked` —, a lecture {id, file, worked} of
 * backprop-webgpu/lectures — `lecture(id)` — or a lecture's id. These were "format: unknown key", "id: unknown key"
 * and "spec: must be a JSON object". Only errors.ts and the lectures' ids are imported: the engine's entry pulls in
 * neither the lectures nor the notation.
 */
import { SpecError } from './errors.ts';
import { LECTURE_IDS } from './lectures/ids.ts';

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

/**
 * A SpecError naming `spec` when raw is a lecture's id ('lecture-2-2-1'), saying to pass `lecture(id).${pass}` of
 * backprop-webgpu/lectures: 'worked' where a worked example will do (explain), 'worked.spec' where only a spec will
 * (Model.create, validateSpec); else undefined.
 */
export function lectureIdError(raw: unknown, pass: 'worked' | 'worked.spec'): SpecError | undefined {
  if (typeof raw !== 'string' || !LECTURE_IDS.includes(raw)) return undefined;
  const what = pass === 'worked' ? 'its worked example' : 'the spec of its worked example';
  return new SpecError('spec', `'${raw}' is a lecture's id, not a network spec: pass ${what}, lecture('${raw}').${pass} (import { lecture } from 'backprop-webgpu/lectures')`);
}
