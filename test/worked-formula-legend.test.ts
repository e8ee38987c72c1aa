/**
 * check's text report prints a formula claim as `formula = value`, the value being the formula worked on the net's
 * numbers, not a number the text prints (usr56b: read as the lecture's own figure); a line under the table says so
 * where the report has a formula claim, and only there.
 */
import { expect, it } from 'vitest';
import { lecture } from '../src/lectures/index.ts';
import { checkWorked } from '../src/worked/check.ts';
import { errataMarkdown, reportText } from '../src/worked/report.ts';
import { isFormulaClaim, type WorkedExample } from '../src/worked/worked.ts';

const LEGEND = `(a formula's "= value" is the formula worked out, its names at this net's values; the text prints the formula only)`;

it('lecture 000 (formula claims such as ½(y − ŷ)²): the legend under the table', () => {
  const w = lecture('lecture-study-hours-w7').worked;
  expect(w.claims.some(isFormulaClaim)).toBe(true);
  const text = reportText(checkWorked(w), 'w7.json');
  expect(text).toContain(`\n  ${LEGEND}\n`);
  // It sits under the rows, above the count line.
  expect(text.indexOf(LEGEND)).toBeLessThan(text.indexOf(' claims ('));
});

it('the same worked example with its numeric claims only: no legend', () => {
  const w = lecture('lecture-study-hours-w7').worked;
  const numbers: WorkedExample = { ...w, claims: w.claims.filter((c) => !isFormulaClaim(c)) };
  expect(numbers.claims.length).toBeGreaterThan(0);
  expect(reportText(checkWorked(numbers), 'w7.json')).not.toContain('formula worked out');
});

it("the errata page of a user's own files says it too, above its tables (src/lectures/ERRATA.md's is checked current by test/worked.test.ts)", () => {
  const w = lecture('lecture-study-hours-w7').worked;
  const page = errataMarkdown([{ result: checkWorked(w), file: 'w7.json' }]);
  const note = 'In the "printed" column a formula\'s "= value" is the formula worked out, its names at the net\'s values (the notes print the formula only)';
  expect(page).toContain(note);
  expect(page.indexOf(note)).toBeLessThan(page.indexOf('| line | claim | printed |'));
});
