/**
 * A file without a header row whose label column is names (UCI's iris.data: '5.1,3.5,1.4,0.2,Iris-setosa'): row 1
 * is an example, not a header (src/lab/table.ts parseTable, headerless). Expected values are worked by hand from the
 * text written here.
 */
import { describe, expect, it } from 'vitest';
import { parseTable, tableReading } from '../src/lab/table.ts';

const IRIS = '5.1,3.5,1.4,0.2,Iris-setosa\n4.9,3.0,1.4,0.2,Iris-setosa\n7.0,3.2,4.7,1.4,Iris-versicolor\n';

describe('a header-less file with a column of names', () => {
  it("reads iris.data's row 1 as an example (its name is one its column holds below), columns named column 1 …", () => {
    const t = parseTable(IRIS);
    // NOTE: row 1 was the header: its example lost, '5.1' … 'Iris-setosa' offered as the columns' names.
    expect([t.headerless, t.rows.length, t.lineOf, t.header]).toEqual([true, 3, [1, 2, 3], ['column 1', 'column 2', 'column 3', 'column 4', 'column 5']]);
    expect(t.rows[0]).toEqual(['5.1', '3.5', '1.4', '0.2', 'Iris-setosa']);
    expect(tableReading(t)).toBe("comma-separated, decimal points; no header row (row 1 is an example: its numbers and names are its columns' values): columns named column 1 … column 5");
  });

  it("keeps a header of numbers beside a name no row holds ('1,2,label'), and a header of names", () => {
    expect(parseTable('1,2,label\n3,4,a\n5,6,b\n').headerless).toBe(false);
    expect(parseTable('x,y,label\n3,4,a\n5,6,b\n').headerless).toBe(false);
    // A name row 1 shares with a row below, but a header cell that is no number: still a header ('a' a column's name).
    expect(parseTable('a,2,k\n3,4,a\n5,6,k\n').headerless).toBe(false);
    // A row 1 of names only is a header, even of names its columns hold below.
    expect(parseTable('red,big,yes\nblue,big,no\nred,small,yes\n').headerless).toBe(false);
  });
});
