/**
 * Reading one lecture file (./index.ts reads them all as the module loads): parsed as a worked example, its spec's x
 * and y checked to be rows and its id to be its file's, and frozen. Not part of the package's API: exported for
 * ./index.ts and the tests (test/lectures-load.test.ts).
 */
import { ClaimError, SpecError } from '../errors.ts';
import { parseWorked, type WorkedExample } from '../worked/worked.ts';
import type { Lecture, LectureExample } from './index.ts';

/** The folder the lecture files are in, from the project root. */
export const LECTURE_DIR = 'src/lectures';

/**
 * Freeze `v` and everything it holds. The lectures are one set of objects per process (lecture(id), LECTURES, the
 * lab's presets, `check`'s comparison): a write by one caller would change them for every later one.
 */
function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/**
 * A lecture's worked example, its spec's x and y checked to be rows where given (what LectureExample says they are).
 * @throws {SpecError} naming the file and the field (`src/lectures/NAME.worked.json: spec.x`) where one is {examples, data}.
 */
function lectureExample(worked: WorkedExample, file: string): LectureExample {
  for (const side of ['x', 'y'] as const) {
    const data = worked.spec[side];
    if (data !== undefined && !Array.isArray(data)) throw new SpecError(`${file}: spec.${side}`, `should be rows, one per example (a lecture's data is not {examples, data})`);
  }
  return worked as LectureExample;
}

/**
 * The lecture `name` from its file's parsed JSON `raw`: its worked example checked (parseWorked, then rows), frozen deep.
 * @throws {ClaimError} from parseWorked, or naming `FILE: id` where the file's id is not `name`.
 * @throws {SpecError} naming `FILE: spec.x` or `FILE: spec.y` where it is not rows.
 */
export function lectureOf(raw: unknown, name: string): Lecture {
  const file = `${LECTURE_DIR}/${name}.worked.json`;
  const worked = lectureExample(parseWorked(raw, file), file);
  if (worked.id !== name) throw new ClaimError(`${file}: id`, `is '${worked.id}', should be '${name}' (a lecture file's id is its name)`);
  return deepFreeze({ id: name, file, worked });
}
