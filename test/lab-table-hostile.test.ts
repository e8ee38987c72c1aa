/**
 * The lab's CSV import (src/lab/table.ts) against a crafted file a student sends a classmate: work that grew as the
 * square of the file, freezing the page for minutes before any refusal. Expected values are worked by hand from
 * the bytes written here. No timing is asserted: each big case took minutes before its fix (a vitest timeout), and
 * a small case beside it checks the same rule's result.
 */
import { describe, expect, it } from 'vitest';
import { specErrorOf } from './lib/typed.ts';
import { cellNumber, MAX_COLUMNS, parseTable, tableText } from '../src/lab/table.ts';

const thrown = specErrorOf;

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

  it('reads a cell of 800 000 quotes in one pass (400 000 took about a minute: each quote copied the cell so far)', () => {
    // 'x' then 800 000 quotes: one unquoted cell, quotes and all (an 800 kB file, under the lab's 8 M characters).
    // NOTE: 400 000 took the old code 84 s here, under 3 times the timeout: a faster machine might have passed it;
    // 800 000 is 4 times that work, as the old code grew with the square (0.1 s in one pass).
    const quotes = '"'.repeat(800_000);
    const t = parseTable(`a,b\nx${quotes},1\n`);
    expect(t.rows.length).toBe(1);
    expect(t.rows[0][0]).toBe(`x${quotes}`);
    expect(t.rows[0][1]).toBe('1');
  }, 30_000);
});

describe('a file that is not UTF-8 after many real U+FFFD characters (tableText encoded the text again per U+FFFD)', () => {
  it('names the first bad byte after real U+FFFD (EF BF BD), 2- and 4-byte characters', () => {
    // 'é' C3 A9 (2 bytes), '😀' F0 9F 98 80 (4 bytes, a surrogate pair in the text), a real U+FFFD EF BF BD, 'ab', then
    // 0x80, a continuation byte with no lead: the bad byte, at offset 2 + 4 + 3 + 2 = 11.
    const bytes = Uint8Array.from([0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80, 0xef, 0xbf, 0xbd, 0x61, 0x62, 0x80, 0x0a]);
    expect(thrown(() => tableText(bytes, 'e.csv')).message).toMatch(/^e\.csv: is not UTF-8 text: row 1 has the byte 0x80 after 'é😀\uFFFDab', which UTF-8 does not allow there/);
    // EF BF then 'A' (41) is no character: its first byte, EF, is the bad one, though it starts as U+FFFD's bytes do.
    expect(thrown(() => tableText(Uint8Array.from([0x61, 0xef, 0xbf, 0x41]), 'c.csv')).message).toMatch(/^c\.csv: is not UTF-8 text: row 1 has the byte 0xEF after 'a',/);
    // A real U+FFFD on row 2, then the bad byte 0xFE on row 3 at its start.
    const rows = Uint8Array.from([0x61, 0x0a, 0xef, 0xbf, 0xbd, 0x0a, 0xfe]);
    expect(thrown(() => tableText(rows, 'r.csv')).message).toMatch(/^r\.csv: is not UTF-8 text: row 3 has the byte 0xFE at its start/);
  });

  it('names the bad byte after 200 000 real U+FFFD in one pass (it was about a minute)', () => {
    // 200 000 × EF BF BD (600 kB of text the lab reads as U+FFFD), then 0xFF: row 1, after the last 20 of them.
    const n = 200_000;
    const bytes = new Uint8Array(n * 3 + 1);
    for (let k = 0; k < n; k++) bytes.set([0xef, 0xbf, 0xbd], k * 3);
    bytes[n * 3] = 0xff;
    const err = thrown(() => tableText(bytes, 'big.csv'));
    expect(err.field).toBe('big.csv');
    expect(err.message).toMatch(new RegExp(`^big\\.csv: is not UTF-8 text: row 1 has the byte 0xFF after '${'\uFFFD'.repeat(20)}', which`));
  }, 30_000);
});

describe('a table of very many columns (the dialog lays out a box and a Label choice for each)', () => {
  it('offers 10 000 columns, and refuses 10 001 by the header\'s row before any is offered', () => {
    expect(MAX_COLUMNS).toBe(10_000);
    // 10 000 columns: 'c', then 9 999 blank names ('column 2' …), one row of 1s.
    const row = (n: number): string => Array(n).fill('1').join(',');
    expect(parseTable(`c${','.repeat(9_999)}\n${row(10_000)}\n`).header.length).toBe(10_000);
    // One more: refused naming row 1 (the header), after two blank lines row 3.
    const err = thrown(() => parseTable(`c${','.repeat(10_000)}\n${row(10_001)}\n`));
    expect(err.field).toBe('row 1');
    expect(err.message).toBe('row 1: the header has 10001 columns, more than the 10000 the lab offers: keep the feature columns you need and the label');
    expect(thrown(() => parseTable(`\n\nc${','.repeat(10_000)}\n${row(10_001)}\n`)).field).toBe('row 3');
    // 500 000 columns of three rows (1.5 M cells, within the cell count): refused the same way (a minute's layout).
    expect(thrown(() => parseTable(`c${','.repeat(499_999)}\n${row(500_000)}\n${row(500_000)}\n`)).message).toMatch(/^row 1: the header has 500000 columns, more than the 10000/);
  });
});

describe('a cell of many digits that is not a number (NUMBER_SYNTAX backtracked: \\d+ then \\d* split the digits every way)', () => {
  it('reads the numbers it read, and refuses what it refused', () => {
    expect(['1', '-0.5', '+2', '.5', '3.', '1e-3', '1.5E+3', '007'].map((c) => cellNumber(c))).toEqual([1, -0.5, 2, 0.5, 3, 0.001, 1500, 7]);
    expect(['.', '1.2.3', 'e5', '1e', '+', '', '1 2', '1.5e3.0', '--1'].map((c) => cellNumber(c))).toEqual(Array(9).fill(undefined));
    // A decimal comma where the table's decimal mark is ',': '1,5' is 1.5, '1,' is 1 (as '1.' is).
    expect(['1,5', '1,', ',5'].map((c) => cellNumber(c, ','))).toEqual([1.5, 1, 0.5]);
  });

  it('refuses a cell of 400 000 digits and a letter in one pass (200 000 took about a minute, a million half an hour)', () => {
    // NOTE: the old pattern took 11 s at 100 000 here, ~45 s at 200 000: under 1.5 times the timeout; 400 000
    // is 4 times that work (it grew with the square), so a faster machine fails it too; 0.01 s in one pass.
    const digits = '1'.repeat(400_000);
    expect(cellNumber(`${digits}x`)).toBeUndefined();
    expect(cellNumber(`${digits},x`, ',')).toBeUndefined();
    // As many digits and nothing else: a number (1.11…e399999, past any double: Infinity, not a number here).
    expect(cellNumber(digits)).toBeUndefined();
    expect(cellNumber(`0.${digits}`)).toBeCloseTo(0.1111111111111111, 15);
  }, 30_000);
});
