/**
 * The lab's CSV import (src/lab/table.ts) against a crafted file a student sends a classmate: work that grew as the
 * square of the file, freezing the page for minutes before any refusal. Expected values are worked by hand from
 * the bytes written here. No timing is asserted: each big case took minutes before its fix (a vitest timeout), and
 * a small case beside it checks the same rule's result.
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { parseTable } from '../src/lab/table.ts';

const thrown = (f: () => unknown): SpecError => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return err as SpecError;
  }
  throw new Error('expected a SpecError');
};

describe('a cell of many quotes (splitCells asked cell.trim() at every quote)', () => {
  it('keeps the quotes inside an unquoted cell as text, and opens a quoted field only where the cell is blank so far', () => {
    // An unquoted cell: its quotes are its own characters ('x"y"' stays as written).
    expect(parseTable('a,b\nx"y",1\n').rows).toEqual([['x"y"', '1']]);
    // Blanks before a quote: the field is quoted (its comma is text); blanks after it are trimmed.
    expect(parseTable('a,b\n  "p,q" ,2\n').rows).toEqual([['p,q', '2']]);
    // A tab and a no-break space are blanks too (String.prototype.trim's): still a quoted field.
    expect(parseTable('a;b\n\t\u00a0"p;q";3\n').rows).toEqual([['p;q', '3']]);
    // After a quoted field closed, a quote is text: '"p" "q"' is p, a blank, a quote, q, a quote.
    expect(parseTable('a,b\n"p" "q",4\n').rows).toEqual([['p "q"', '4']]);
    // A quoted field of one doubled quote is the text '"': not blank, so the quote after it is text as well.
    expect(parseTable('a,b\n"""" "q",5\n').rows).toEqual([['" "q"', '5']]);
    // The next cell starts blank again: its quote opens a quoted field.
    expect(parseTable('a,b\nz,"5,6"\n').rows).toEqual([['z', '5,6']]);
  });

  it('reads a cell of 400 000 quotes in one pass (it was about a minute: each quote copied the cell so far)', () => {
    // 'x' then 400 000 quotes: one unquoted cell, quotes and all (a 400 kB file, well under the lab's 8 M characters).
    const quotes = '"'.repeat(400_000);
    const t = parseTable(`a,b\nx${quotes},1\n`);
    expect(t.rows.length).toBe(1);
    expect(t.rows[0][0]).toBe(`x${quotes}`);
    expect(t.rows[0][1]).toBe('1');
  }, 30_000);
});
