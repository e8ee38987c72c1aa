/**
 * The rules of src/lab/notes-marks.ts at their edges (mut60b's survivors): a number exactly half a unit of the notes'
 * last digit away (a tie, that rounds either way: ✓), float32's own step around a value the notes print as exact
 * (lecture 004's h1 = max(0, 1) = 1: one float32 step away is ✓, two are not), the Lecture checks row's own verdict
 * where no value is shown (a row judged wrong is no ✓), and an erratum with a doubt kept apart from one without.
 * Expected values worked by hand from those rules: 0.08225 is 0.0822 + ½·10⁻⁴; float32's step above 1 is 2⁻²³, below
 * it 2⁻²⁴.
 */
import { describe, expect, it } from 'vitest';
import { groupMarks, notesMarks, notesMarkText, type NotesMark } from '../src/lab/notes-marks.ts';
import { lecture } from '../src/lectures/index.ts';
import { Naming } from '../src/notation/names.ts';
import { validateSpec } from '../src/spec.ts';
import { checkWorked, type ClaimCheck } from '../src/worked/check.ts';
import { isFormulaClaim, type NumericErratum } from '../src/worked/worked.ts';

function setup(id: string) {
  const w = lecture(id).worked;
  const naming = new Naming(validateSpec(w.spec).net, w.spec.notation);
  return { naming, checks: checkWorked(w).checks };
}

const verdicts = (id: string, name: string, shown: number | undefined, edit?: (c: ClaimCheck) => ClaimCheck) => {
  const { naming, checks } = setup(id);
  const edited = edit ? checks.map(edit) : checks;
  return notesMarks(edited, naming, naming.resolve(name, 'test'), shown).map((m) => [m.line, m.verdict]);
};

describe('notesMarks at the edges of its rules', () => {
  it("lecture 001's ∂L/∂w5, printed 0.0822: 0.08225 and 0.08215 (a tie at the 5th decimal) are ✓, 0.082251 is not", () => {
    // 0.08225 − 0.0822 is 0.00005000000000000837 in binary, a hair past ½·10⁻⁴: the tie still rounds to 0.0822.
    expect(verdicts('lecture-2-2-1', '∂L/∂w5', 0.08225)).toEqual([[98, 'as-printed'], [225, 'as-printed']]);
    expect(verdicts('lecture-2-2-1', '∂L/∂w5', 0.08215)).toEqual([[98, 'as-printed'], [225, 'as-printed']]);
    expect(verdicts('lecture-2-2-1', '∂L/∂w5', 0.082251)).toEqual([[98, 'differs'], [225, 'differs']]);
  });

  it("lecture 004's h1 = 1, printed as exact: a float32 step either side (1 + 2⁻²³, 1 − 2⁻²⁴) is ✓, two steps up are not", () => {
    expect(verdicts('lecture-relu-exercise', 'h1', 1 + 2 ** -23)).toEqual([[14, 'as-printed']]);
    expect(verdicts('lecture-relu-exercise', 'h1', 1 - 2 ** -24)).toEqual([[14, 'as-printed']]);
    expect(verdicts('lecture-relu-exercise', 'h1', 1 + 2 ** -22)).toEqual([[14, 'differs']]);
  });

  it('without a value shown, a claim its Lecture checks row judges wrong is marked "differs", not ✓', () => {
    // The row's verdict (check.ts) is the mark's, whatever the number: line 98's claim as a row that did not match.
    const wrong = (c: ClaimCheck): ClaimCheck => (c.claim.line === 98 ? { ...c, matches: false, status: 'wrong' } : c);
    expect(verdicts('lecture-2-2-1', '∂L/∂w5', undefined, wrong)).toEqual([[98, 'differs'], [225, 'as-printed']]);
    // And a row that matched is ✓ even where its engine value sits past the notes' half unit (the row's own tolerance).
    const matched = (c: ClaimCheck): ClaimCheck => (c.claim.line === 98 ? { ...c, value: 0.09, matches: true } : c);
    expect(verdicts('lecture-2-2-1', '∂L/∂w5', undefined, matched)).toEqual([[98, 'as-printed'], [225, 'as-printed']]);
  });

  it('a doubt belongs to a confirmed erratum only: a stale erratum with a doubt groups with the plain ✓ beside it', () => {
    const { naming, checks } = setup('lecture-2-2-1');
    // Line 225's 0.0822 recorded as an erratum (correct 0.0822 itself) with a doubt, which Lecture checks found stale.
    const erratum: NumericErratum = { correct: 0.0822, correctDecimals: 4, why: 'a stand-in', doubt: 'as transcribed' };
    const stale = checks.map((c): ClaimCheck => (c.claim.line === 225 && !isFormulaClaim(c.claim)
      ? { ...c, status: 'stale-erratum', claim: { ...c.claim, erratum } }
      : c));
    const marks = notesMarks(stale, naming, naming.resolve('∂L/∂w5', 'test'), 0.0821670406);
    expect(marks.map((m) => m.doubted)).toEqual([false, false]);
    expect(groupMarks(marks).map(notesMarkText)).toEqual(['✓ as in the notes (lines 98, 225)']);
  });
});

describe('groupMarks: an erratum with a doubt and one without are two groups', () => {
  it("the notes print 0.4499 on lines 120 (doubted) and 124 (not): two lines of words, each its own", () => {
    const mark = (row: number, line: number, doubted: boolean): NotesMark => ({ row, line, printed: '0.4499', verdict: 'erratum', doubted });
    const groups = groupMarks([mark(3, 120, true), mark(5, 124, false), mark(7, 130, true)]);
    expect(groups.map((g) => [g.rows, g.lines])).toEqual([[[3, 7], [120, 130]], [[5], [124]]]);
    expect(groups.map(notesMarkText)).toEqual([
      'the notes print 0.4499 (lines 120, 130): an erratum, doubted',
      'the notes print 0.4499 (line 124): an erratum',
    ]);
  });
});
