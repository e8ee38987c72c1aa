/**
 * The lectures' ids in lecture order (000, 001, 002, 003 regression and classification, 004), without their JSON:
 * the engine and explain recognise a lecture id passed where a spec belongs (src/spec-holders.ts) without pulling in
 * the lectures. src/lectures/index.ts reads each id's file in this order (and refuses a file of another id).
 */
export const LECTURE_IDS: readonly string[] = [
  'lecture-study-hours-w7',
  'lecture-2-2-1',
  'lecture-2-2-1-nobias',
  'lecture-regression',
  'lecture-classification',
  'lecture-relu-exercise',
];
