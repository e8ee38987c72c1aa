/**
 * The marks beside a lab value that the lecture notes print (src/lab/notes-marks.ts): what the notes print, and
 * whether it is an erratum or the value to the notes' digits. Expected rows from src/lectures/ERRATA.md by hand
 * (lecture 001 lines 106, 108, 120–124, 185, 187, 201, 219; lecture 000 line 13) and the values from the float64
 * formulas of lecture 001's net (x = (0.05, 0.10), w1…w4 = 0.15, 0.20, 0.25, 0.30, b1 = 0.35, w5 = 0.40, w6 = 0.45,
 * b2 = 0.60, y = 0.01, η = 0.0001), as ERRATA.md gives them: ∂L/∂w5 = 0.0821670406, new w5 = 0.3999917833, new w6 =
 * 0.4499917332, ∂L/∂w2 = 0.00133679204, ∂L/∂w4 = 0.00149960755.
 */
import { describe, expect, it } from 'vitest';
import { atLectureStep, groupMarks, notesMarks, notesMarkText } from '../src/lab/notes-marks.ts';
import { claimRows } from '../src/lab/words.ts';
import { lecture } from '../src/lectures/index.ts';
import { Naming } from '../src/notation/names.ts';
import { validateSpec, type RowsSpec } from '../src/spec.ts';
import { checkWorked } from '../src/worked/check.ts';

function marksOf(id: string, name: string, shown: number | undefined, example?: number) {
  const w = lecture(id).worked;
  const naming = new Naming(validateSpec(w.spec).net, w.spec.notation);
  const checks = checkWorked(w).checks;
  const marks = notesMarks(checks, naming, naming.resolve(name, 'test'), shown, example);
  const rows = claimRows(checks);
  // Each mark's row is the Lecture checks row of its line and its printed text.
  for (const m of marks) {
    expect(rows[m.row][0]).toBe(m.line === undefined ? '' : String(m.line));
    expect(rows[m.row][2]).toBe(m.printed);
  }
  return marks.map((m) => ({ line: m.line, printed: m.printed, verdict: m.verdict, doubted: m.doubted }));
}

describe('notesMarks: the notes beside a lecture value', () => {
  it("lecture 004's h1 = 1, printed as exact (hand arithmetic: max(0, 1.1 + 0.0) = 1): ✓ at 1, not at 1.3 (within ±0.5)", () => {
    expect(marksOf('lecture-relu-exercise', 'h1', 1).map((m) => [m.line, m.verdict])).toEqual([[14, 'as-printed']]);
    expect(marksOf('lecture-relu-exercise', 'h1', 1.3).map((m) => [m.line, m.verdict])).toEqual([[14, 'differs']]);
    // Without a value shown: the Lecture checks row's verdict (the scalar engine's h1 is 1).
    expect(marksOf('lecture-relu-exercise', 'h1', undefined).map((m) => [m.line, m.verdict])).toEqual([[14, 'as-printed']]);
  });

  it("lecture 001's new w5 = 0.3999918: errata on lines 106 (0.40 − (0.00000000)) and 108 (0.399927), no ✓", () => {
    expect(marksOf('lecture-2-2-1', 'new w5', 0.3999917833)).toEqual([
      { line: 106, printed: '0.40 − (0.00000000)', verdict: 'erratum', doubted: false },
      { line: 108, printed: '0.399927', verdict: 'erratum', doubted: false },
    ]);
  });

  it("lecture 001's ∂L/∂w5 = 0.08216704: ✓ on lines 98 and 225 (0.0822); another rounding 'differs'", () => {
    expect(marksOf('lecture-2-2-1', '∂L/∂w5', 0.0821670406)).toEqual([
      { line: 98, printed: '0.0822', verdict: 'as-printed', doubted: false },
      { line: 225, printed: '0.0822', verdict: 'as-printed', doubted: false },
    ]);
    // 0.08226 rounds to 0.0823 at the notes' 4 decimals: not the notes' number.
    expect(marksOf('lecture-2-2-1', '∂L/∂w5', 0.08226).map((m) => m.verdict)).toEqual(['differs', 'differs']);
  });

  it("lecture 001's new w6 = 0.4499917: errata on 120 and 124 with a doubt, 122 too", () => {
    expect(marksOf('lecture-2-2-1', "w6'", 0.4499917332)).toEqual([
      { line: 120, printed: '0.45 − (∂L/∂w6)', verdict: 'erratum', doubted: true },
      { line: 122, printed: '0.45 − (−0.0001 × 0.0827)', verdict: 'erratum', doubted: true },
      { line: 124, printed: '0.4499', verdict: 'erratum', doubted: true },
    ]);
  });

  it("lecture 001's ∂L/∂w2 (0.00135 on 185, 187, 219) and ∂L/∂w4 (−0.00150 on 201; ✓ .00150 on 223)", () => {
    expect(marksOf('lecture-2-2-1', '∂L/∂w2', 0.00133679204).map((m) => [m.line, m.printed, m.verdict])).toEqual([
      [185, '0.00135', 'erratum'], [187, '0.00135', 'erratum'], [219, '0.00135', 'erratum'],
    ]);
    const w4 = marksOf('lecture-2-2-1', '∂L/∂w4', 0.00149960755);
    expect(w4.find((m) => m.line === 201)).toEqual({ line: 201, printed: '−0.00150', verdict: 'erratum', doubted: true });
    expect(w4.find((m) => m.line === 223)).toEqual({ line: 223, printed: '0.00150', verdict: 'as-printed', doubted: false });
  });

  it("lecture 000's ∂L/∂w7 = −4.262175e-5: the chain of line 13 an erratum (doubted), line 42's −4.26e-05 ✓", () => {
    const m = marksOf('lecture-study-hours-w7', '∂L/∂w7', -4.262175e-5);
    expect(m.filter((x) => x.verdict === 'erratum')).toEqual([{ line: 13, printed: '∂L/∂ŷ · ∂z/∂z · ∂z/∂w7', verdict: 'erratum', doubted: true }]);
    expect(m.filter((x) => x.verdict === 'as-printed').map((x) => x.line)).toEqual([42]);
  });

  it("without a shown value, the engine's own (the Notation tab's chain rule): ∂L/∂w2 errata, ∂L/∂w5 ✓", () => {
    expect(marksOf('lecture-2-2-1', '∂L/∂w2', undefined).map((m) => m.verdict)).toEqual(['erratum', 'erratum', 'erratum']);
    expect(marksOf('lecture-2-2-1', '∂L/∂w5', undefined).map((m) => m.verdict)).toEqual(['as-printed', 'as-printed']);
  });

  it('a value the notes print nothing about, and another example, get no marks', () => {
    expect(marksOf('lecture-2-2-1', 'b2', 0.6)).toEqual([]);
    expect(marksOf('lecture-2-2-1', 'new w5', 0.3999917833, 1)).toEqual([]);
    expect(marksOf('lecture-2-2-1', 'new w5', Number.NaN)).toEqual([]);
  });

  it('the words: one line for a number printed on several lines, the erratum, its doubt, the ✓', () => {
    const w = lecture('lecture-2-2-1').worked;
    const naming = new Naming(validateSpec(w.spec).net, w.spec.notation);
    const checks = checkWorked(w).checks;
    const text = (name: string, v: number) => groupMarks(notesMarks(checks, naming, naming.resolve(name, 't'), v)).map(notesMarkText);
    expect(text('new w5', 0.3999917833)).toEqual(['the notes print 0.40 − (0.00000000) (line 106): an erratum', 'the notes print 0.399927 (line 108): an erratum']);
    expect(text('new w6', 0.4499917332)[2]).toBe('the notes print 0.4499 (line 124): an erratum, doubted');
    expect(text('∂L/∂w2', 0.00133679204)).toEqual(['the notes print 0.00135 (lines 185, 187, 219): an erratum']);
    expect(text('∂L/∂w5', 0.0821670406)).toEqual(['✓ as in the notes (lines 98, 225)']);
    expect(text('∂L/∂w5', 0.08226)).toEqual(['the notes print 0.0822 (lines 98, 225)']);
    // The button opens the group's first row: line 185's.
    const g = groupMarks(notesMarks(checks, naming, naming.resolve('∂L/∂w2', 't'), 0.00133679204));
    expect(g[0].rows.map((r) => checks[r].claim.line)).toEqual([185, 187, 219]);
  });
});

describe("atLectureStep: only the lecture's own step shows the notes' values", () => {
  const spec = lecture('lecture-2-2-1').worked.spec as RowsSpec;
  it("the lecture's spec as it is: yes; one weight moved (after an Update) or a smaller batch: no", () => {
    expect(atLectureStep(structuredClone(spec), undefined, spec)).toBe(true);
    const moved = structuredClone(spec);
    moved.params!.W[1][0][0] = 0.3999918;
    expect(atLectureStep(moved, undefined, spec)).toBe(false);
    const lr = structuredClone(spec);
    lr.lr = 0.5;
    expect(atLectureStep(lr, undefined, spec)).toBe(false);
  });
});
