/**
 * The lecture notes' worked examples (../shared/lectures/000 … 004, by `source` only: nothing reads them),
 * one worked-example file each — the single transcription of the lectures: their nets, every number and
 * formula they print, and their errata. Imported as JSON modules, so this works in Node and in a page (the
 * course lab uses them as presets). Format: README, "Worked examples".
 */
import { SpecError } from '../errors.ts';
import type { RowsSpec } from '../spec.ts';
import type { WorkedExample } from '../worked/worked.ts';
import { LECTURE_IDS } from './ids.ts';
import { lectureOf } from './load.ts';
import study from './lecture-study-hours-w7.worked.json';
import net221 from './lecture-2-2-1.worked.json';
import nobias from './lecture-2-2-1-nobias.worked.json';
import regression from './lecture-regression.worked.json';
import classification from './lecture-classification.worked.json';
import relu from './lecture-relu-exercise.worked.json';

/**
 * A lecture's worked example: a WorkedExample whose spec's x and y are rows (RowsSpec: the lecture files are rows by
 * construction, checked as they load), so `lecture(id).worked.spec.x![0]` is a row. Still a WorkedExample, its spec
 * still a NetworkSpec: pass either wherever those are taken.
 */
export interface LectureExample extends WorkedExample {
  /** The lecture's network spec, its x and y one row per example. */
  spec: RowsSpec;
}

/** One lecture's worked example: its id, its file, and the parsed WorkedExample (pass `.worked` to explain or checkWorked, `.worked.spec` to Model.create). */
export interface Lecture {
  /** The lecture's id, its file name without `.worked.json` ('lecture-2-2-1', …). */
  id: string;
  /** Path from the project root. */
  file: string;
  /** The parsed worked example (its spec's x and y rows): pass it to explain or checkWorked, its `.spec` to Model.create. */
  worked: LectureExample;
}

export { LECTURE_DIR } from './load.ts';

/** In lecture order (LECTURE_IDS'): 000, 001, 002, 003 (regression, classification), 004. */
const FILES: readonly unknown[] = [study, net221, nobias, regression, classification, relu];
if (FILES.length !== LECTURE_IDS.length) throw new Error(`src/lectures: ${FILES.length} files, ${LECTURE_IDS.length} ids in ids.ts`);
/** Every lecture, in lecture order (000 … 004); frozen deep (structuredClone gives a copy to change). */
export const LECTURES: readonly Lecture[] = Object.freeze(LECTURE_IDS.map((id, k) => lectureOf(FILES[k], id)));

/**
 * The lecture with this id ('lecture-2-2-1', …).
 * @throws {SpecError} naming `id` when there is no such lecture (the message lists them).
 */
export function lecture(id: string): Lecture {
  const l = LECTURES.find((x) => x.id === id);
  if (!l) throw new SpecError('id', `no lecture '${id}'; there are ${LECTURES.map((x) => x.id).join(', ')}`);
  return l;
}
