/**
 * The character cap of the lab's Your data (src/lab/table.ts MAX_CHARS) holds a table of the lab's 2 000 000 cells as
 * pandas writes it: `DataFrame.to_csv` writes each float64 by its shortest round-trip repr, up to 17 significant
 * digits. NOTE: the cap was 16 characters a cell, so a 100 000 × 20 table of such floats (38 MB) was refused on its
 * characters though it has 2 000 000 cells. Characters are counted by hand from the strings written here.
 */
import { describe, expect, it } from 'vitest';
import { specErrorOf } from './lib/typed.ts';
import { parseTable } from '../src/lab/table.ts';

const thrown = specErrorOf;

function table(rows: number, cols: number, cell: string, eol: string): string {
  const header = Array.from({ length: cols }, (_, j) => `c${j + 1}`).join(',');
  const line = Array.from({ length: cols }, () => cell).join(',');
  return `${header}${eol}${`${line}${eol}`.repeat(rows)}`;
}

describe("the character cap holds 2 000 000 cells of pandas' full-precision floats", () => {
  it('reads pandas\' 100 000 × 20 table of 16-decimal floats (38 MB), refused before on its characters', () => {
    // '0.7193837462910284' is 2 + 16 = 18 characters; with its comma or newline 19 a cell:
    // 100 000 rows × 20 × 19 = 38 000 000 characters, and the header 'c1,…,c20\n' 9×2 + 11×3 + 19 + 1 = 71.
    const text = table(100_000, 20, '0.7193837462910284', '\n');
    expect(text.length).toBe(38_000_071);
    const t = parseTable(text);
    expect([t.rows.length, t.header.length, t.rows[99_999][19]]).toEqual([100_000, 20, '0.7193837462910284']);
  });

  it("reads the longest repr, negative, 17 digits and an exponent, in a Windows file (CRLF): 200 rows × 10 000 columns", () => {
    // '-1.2345678901234567e-05': sign 1 + 17 digits + point 1 + 'e-05' 4 = 23 characters. A row: 10 000 cells,
    // 9 999 commas and '\r\n' = 230 000 + 9 999 + 2 = 240 001; 200 rows 48 000 200. The header: c1 … c10000 with
    // 9 999 commas and '\r\n': 9×2 + 90×3 + 900×4 + 9 000×5 + 1×6 = 48 894, + 9 999 + 2 = 58 895.
    const text = table(200, 10_000, '-1.2345678901234567e-05', '\r\n');
    expect(text.length).toBe(48_000_200 + 58_895);
    const t = parseTable(text);
    expect([t.rows.length, t.header.length, t.rows[199][9_999]]).toEqual([200, 10_000, '-1.2345678901234567e-05']);
  });

  it('refuses a text past 25 characters a cell (50 000 000) by its length, before splitting, keeping the advice', () => {
    // 'a,b\n' and 12 500 000 rows of '1,2\n': 4 + 50 000 000 characters.
    const err = thrown(() => parseTable(`a,b\n${'1,2\n'.repeat(12_500_000)}`));
    expect(err.field).toBe('table');
    expect(err.message).toBe('table: is 50000004 characters, more than the 50000000 the lab reads (2000000 cells at most): keep fewer rows (a random sample of them) or fewer columns');
  });
});
