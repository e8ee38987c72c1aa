/**
 * Reading a lecture file (src/lectures/load.ts lectureOf): a file whose spec's x or y is not rows, or whose id is not
 * its name, is refused with the project's typed error naming the file and the field (it was a plain Error).
 */
import { describe, expect, it } from 'vitest';
import { ClaimError, SpecError } from '../src/errors.ts';
import { lectureOf } from '../src/lectures/load.ts';
import raw from '../src/lectures/lecture-2-2-1.worked.json';

/** The 2-2-1 lecture's file as read, a copy to change (the module's own is frozen once loaded). */
const file = (): { id: string; spec: Record<string, unknown> } => structuredClone(raw) as never;

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('lectureOf: a lecture file that is not what a lecture is', () => {
  it('the file as it is reads as the lecture (its x a row of 2)', () => {
    const l = lectureOf(file(), 'lecture-2-2-1');
    expect(l.file).toBe('src/lectures/lecture-2-2-1.worked.json');
    expect(l.worked.spec.x).toEqual([[0.05, 0.1]]);
  });

  it('a spec without x or without y: read as it is (checked to be rows only where given)', () => {
    // mut58: the rows check refused a spec without the side (LectureExample's x and y are rows where given).
    for (const side of ['x', 'y'] as const) {
      const f = file();
      delete f.spec[side];
      const l = lectureOf(f, 'lecture-2-2-1');
      expect(l.worked.spec[side], side).toBeUndefined();
      expect(l.worked.spec[side === 'x' ? 'y' : 'x'], side).toEqual(side === 'x' ? [[0.01]] : [[0.05, 0.1]]);
    }
  });

  for (const side of ['x', 'y'] as const) {
    it(`spec.${side} as {examples, data}: a SpecError naming the file and spec.${side}`, () => {
      const f = file();
      f.spec[side] = side === 'x' ? { examples: 1, data: [0.05, 0.1] } : { examples: 1, data: [0.01] };
      const err = thrown(() => lectureOf(f, 'lecture-2-2-1'));
      expect(err).toBeInstanceOf(SpecError);
      expect(err).toMatchObject({
        code: 'SPEC',
        field: `src/lectures/lecture-2-2-1.worked.json: spec.${side}`,
        message: `src/lectures/lecture-2-2-1.worked.json: spec.${side}: should be rows, one per example (a lecture's data is not {examples, data})`,
      });
    });
  }

  it('an id other than the name: a ClaimError naming the file\'s id', () => {
    const f = file();
    f.id = 'lecture-2-2-2';
    const err = thrown(() => lectureOf(f, 'lecture-2-2-1'));
    expect(err).toBeInstanceOf(ClaimError);
    expect(err).toMatchObject({
      code: 'CLAIM',
      field: 'src/lectures/lecture-2-2-1.worked.json: id',
      message: "src/lectures/lecture-2-2-1.worked.json: id: is 'lecture-2-2-2', should be 'lecture-2-2-1' (a lecture file's id is its name)",
    });
  });
});
