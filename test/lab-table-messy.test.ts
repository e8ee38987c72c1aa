/**
 * A student's real-world CSV in the lab's Your data (src/lab/table.ts): what a Kaggle or course-drive file brings —
 * a size near the lab's limit, Excel's trailing empty column, a file without a header row, missing values written
 * as NA, ? or null, a date or text feature, an ID column. Expected values are worked by hand from the text written
 * here (counts of rows, cells and characters counted from the loops that write them).
 */
import { describe, expect, it } from 'vitest';
import { specErrorOf } from './lib/typed.ts';
import { buildDataset, checkCells, columnNotes, inferTask, parseTable, tableReading, type Table } from '../src/lab/table.ts';

/** columnNotes with the label column's classes as the dialog asks them first (inferTask). */
const notes = (t: Table, features: number[], label: number, standardise?: boolean): string[] => columnNotes(t, features, inferTask(t, label), standardise);

const thrown = specErrorOf;

/** `rows` rows of `cols` cells, each the 7 characters '-0.1234' (a typical 4-decimal feature), a header 'c1,c2,…'. */
function table(rows: number, cols: number): string {
  const header = Array.from({ length: cols }, (_, j) => `c${j + 1}`).join(',');
  const line = Array.from({ length: cols }, () => '-0.1234').join(',');
  return `${header}\n${`${line}\n`.repeat(rows)}`;
}

describe('the size limit: 2 000 000 cells, as a file of ordinary numbers writes them', () => {
  it('reads 100 000 rows × 20 columns of 7-character numbers (2 000 000 cells, 16 MB): it was refused as "more than the lab holds (about 2000000 cells)"', () => {
    // 20 cells of 7 characters, 19 commas and a newline: 160 characters a row; 16 000 000 in all, twice the old 8 M cap.
    const t = parseTable(table(100_000, 20));
    expect([t.rows.length, t.header.length, t.rows[99_999][19]]).toEqual([100_000, 20, '-0.1234']);
  });

  it('refuses one row more (2 000 020 cells) by its rows × columns, saying how many rows of these columns fit', () => {
    const err = thrown(() => parseTable(table(100_001, 20)));
    expect(err.field).toBe('table');
    // 2 000 000 / 20 = 100 000 rows fit.
    expect(err.message).toBe('table: has 100001 rows × 20 columns = 2000020 cells, more than the 2000000 the lab holds: keep at most 100000 rows of these 20 columns (a random sample of the rows), or fewer columns');
  });
});

describe("Excel's trailing empty column ('a,b,label,')", () => {
  it('drops a last column empty in the header and every row, and says so: the Label menu defaulted to it ("the cell is empty — every example needs a label")', () => {
    const t = parseTable('a,b,label,\n1,2,0,\n3,4,1,\n');
    expect([t.header, t.rows, t.dropped]).toEqual([['a', 'b', 'label'], [['1', '2', '0'], ['3', '4', '1']], 1]);
    expect(tableReading(t)).toBe('comma-separated; its empty last column dropped');
    // The last column is the label again: two classes, 0 and 1.
    expect(buildDataset(t, { features: [0, 1], label: 2 }).classNames).toEqual(['0', '1']);
  });

  it('drops two, and only empty ones at the end: a named empty column, or one with a cell, stays', () => {
    const two = parseTable('a;label;;\n1,5;0;;\n2,5;1;;\n');
    expect([two.header, two.dropped, tableReading(two)]).toEqual([['a', 'label'], 2, 'semicolon-separated, decimal commas; its 2 empty last columns dropped']);
    // A header name: the column stays (its cells empty: a feature chosen there is named as an empty cell).
    expect(parseTable('a,b,note\n1,0,\n2,1,\n').header).toEqual(['a', 'b', 'note']);
    // One cell in the unnamed last column: it stays, named as the dialog names it.
    const kept = parseTable('a,b,\n1,0,\n2,1,x\n');
    expect([kept.header, kept.dropped]).toEqual([['a', 'b', 'column 3'], 0]);
  });
});

describe('a file without a header row (its first row numbers)', () => {
  it('reads row 1 as data, columns named column 1 … n, and says so: row 1 was the header, the example lost and "0.525" a column name', () => {
    const t = parseTable('0.5,1.5,1\n2,3,0\n');
    expect([t.header, t.rows, t.lineOf, t.headerless]).toEqual([['column 1', 'column 2', 'column 3'], [['0.5', '1.5', '1'], ['2', '3', '0']], [1, 2], true]);
    expect(tableReading(t)).toBe('comma-separated, decimal points; no header row (row 1 is numbers): columns named column 1 … column 3');
    // A bad cell is named by its own row: the first example is row 1.
    expect(thrown(() => checkCells(parseTable('1,2,0\nx,3,1\n'), [0, 1], 2, 'binary', false)).field).toBe('row 2, column 1 (\'column 1\')');
  });

  it('keeps a header with one name that is not a number, and reads decimal commas in a headerless semicolon file', () => {
    expect(parseTable('1,2,label\n3,4,0\n').headerless).toBe(false);
    // (Row 1 without a comma: a comma in it would make the file comma-separated, as a header's would.)
    const semi = parseTable('1;2;0\n2,5;3;1\n');
    expect([semi.headerless, semi.rows.length, semi.decimal]).toEqual([true, 2, ',']);
  });
});

describe('missing values, a date, a text feature: refused saying what they are and what to do', () => {
  const FILL = "the lab does not fill in missing values (empty, NA, N/A, ?, null, NaN …)";
  it('names a missing feature value by its spelling, counts the rows of the chosen columns that have one and says how to remove them', () => {
    // Rows 3 and 5 (spreadsheet numbering) have a missing value in a chosen column; row 4's is in column c, not chosen.
    for (const gap of ['', 'NA', 'N/A', '?', 'null', 'NaN', 'nan', 'None', '#N/A']) {
      const t = parseTable(`a,b,c,label\n1,2,3,0\n${gap},2,3,1\n1,2,NA,0\n1,?,3,1\n`);
      const err = thrown(() => checkCells(t, [0, 1], 3, 'binary', false));
      const cell = gap === '' ? 'the cell is empty' : `'${gap}'`;
      expect(err.message).toBe(`row 3, column 1 ('a'): ${cell} — a missing value: ${FILL}; 2 rows of the chosen columns have one (rows 3, 5): delete those rows (pandas: df.dropna(); a spreadsheet: filter each column for them), or untick the columns that have them`);
    }
  });

  it('lists five rows of many, and names a missing value in a regression label', () => {
    const body = Array.from({ length: 8 }, (_, k) => `1,${k % 2 === 0 ? 'NA' : '2.5'}`).join('\n');
    // Label b is NA for k even: rows 2, 4, 6, 8 (k = 0, 2, 4, 6; row k + 2), then row 10 has 7.5 and row 11 NA: five
    // rows, all listed (half the cells NA: still a column of numbers, its NA missing, not a class); then a sixth.
    const t = parseTable(`a,b\n${body}\n3,7.5\n1,NA\n`);
    expect(thrown(() => buildDataset(t, { features: [0], label: 1 })).message).toBe(`row 2, column 2 ('b'): 'NA' — a missing label: ${FILL}; 5 rows have none (rows 2, 4, 6, 8, 11): delete those rows (pandas: df.dropna(); a spreadsheet: filter each column for them)`);
    const six = parseTable(`a,b\n${body}\n3,7.5\n1,NA\n2,?\n`);
    expect(thrown(() => buildDataset(six, { features: [0], label: 1 })).message).toMatch(/; 6 rows have none \(rows 2, 4, 6, 8, 11, …\): /);
  });

  it('one row: "row 9", "that row"', () => {
    const t = parseTable('a,b,label\n0.5,1,0\nNA,2,1\n');
    expect(thrown(() => checkCells(t, [0, 1], 2, 'binary', false)).message).toBe(`row 3, column 1 ('a'): 'NA' — a missing value: ${FILL}; 1 row of the chosen columns has one (row 3): delete that row (pandas: df.dropna(); a spreadsheet: filter each column for them), or untick the columns that have them`);
  });

  it('an empty text label: every example needs one, and how many rows have none', () => {
    const t = parseTable('a,label\n1,cat\n2,\n3,dog\n4,\n');
    expect(thrown(() => buildDataset(t, { features: [0], label: 1 })).message).toBe(`row 3, column 2 ('label'): the cell is empty — a missing label: ${FILL}; 2 rows have none (rows 3, 5): delete those rows (pandas: df.dropna(); a spreadsheet: filter each column for them)`);
  });

  it('a date feature and a text feature: what they are, that the lab does not convert them, and to untick the column', () => {
    const date = parseTable('when,a,label\n2024-01-31,1,0\n2024-02-01,2,1\n');
    expect(thrown(() => checkCells(date, [0, 1], 2, 'binary', false)).message).toBe("row 2, column 1 ('when'): '2024-01-31' — a date: features must be numbers, and the lab does not turn dates into numbers: untick column 'when', or replace it by a number first (days since the first date, the month, the weekday …)");
    const text = parseTable('colour,a,label\nred,1,0\ngreen,2,1\n');
    expect(thrown(() => checkCells(text, [0, 1], 2, 'binary', false)).message).toBe("row 2, column 1 ('colour'): 'red' — text: features must be numbers, and the lab does not encode text: untick column 'colour', or encode it as numbers first (one 0/1 column for each of its values)");
  });
});

describe('columnNotes: what trains but should not (an ID column, a constant column, classes told apart by case)', () => {
  it('an ID column (1 … n, one a row) among the features: said, with what to do; not when unticked', () => {
    const t = parseTable('id,a,label\n1,0.5,0\n2,0.1,1\n3,0.7,0\n4,0.2,1\n');
    expect(notes(t, [0, 1], 2)).toEqual(["Column 1 ('id') counts 1, 2, … 4, one a row: a row number or ID, not a measurement? Untick it: kept, the net learns the file's order (a file sorted by its label gives that away)."]);
    expect(notes(t, [1], 2)).toEqual([]);
    // Counting down, or from 1001, is an ID as well; a column of whole numbers with a repeat, or a gap, is not.
    expect(notes(parseTable('n,a,label\n1003,0.5,0\n1002,0.1,1\n1001,0.7,0\n'), [0, 1], 2)).toEqual(["Column 1 ('n') counts down 1003, 1002, 1001, one a row: a row number or ID, not a measurement? Untick it: kept, the net learns the file's order (a file sorted by its label gives that away)."]);
    expect(notes(parseTable('n,a,label\n1,0.5,0\n2,0.1,1\n2,0.7,0\n'), [0, 1], 2)).toEqual([]);
    expect(notes(parseTable('n,a,label\n1,0.5,0\n2,0.1,1\n4,0.7,0\n'), [0, 1], 2)).toEqual([]);
  });

  it('pandas\' saved index (\'Unnamed: 0\', from 0) is an ID too; two rows are too few to call a column one', () => {
    expect(notes(parseTable('Unnamed: 0,a,label\n0,1,0\n1,5,1\n2,3,0\n'), [0, 1], 2)[0]).toMatch(/^Column 1 \('Unnamed: 0'\) counts 0, 1, 2, one a row/);
    expect(notes(parseTable('n,a,label\n1,0.5,0\n2,0.1,1\n'), [0, 1], 2)).toEqual([]);
  });

  it('a constant feature: one value in every row carries nothing', () => {
    const t = parseTable('a,k,label\n0.5,5,0\n0.1,5,1\n0.7,5.0,0\n');
    expect(notes(t, [0, 1], 2)).toEqual(["Column 2 ('k') is 5 in every row: it carries nothing; untick it."]);
  });

  it('classes whose names differ only in case (or blanks, which are trimmed): said, they stay apart', () => {
    const t = parseTable('a,label\n0.3,Yes\n0.9,yes \n0.1,YES\n0.4,no\n0.2,No\n0.8,maybe\n');
    expect(notes(t, [0], 1)).toEqual(["Classes 'No', 'no' differ only in case, and 'YES', 'Yes', 'yes': the lab keeps them apart (6 classes); if each is one class, write it one way in the file."]);
    expect(notes(parseTable('a,label\n1,cat\n2,dog\n'), [0], 1)).toEqual([]);
  });
});

describe('columnNotes: a huge-magnitude feature with standardise off', () => {
  const t = parseTable('big,small,label\n-1197000,-0.000666,0\n1144000,0.000364,1\n-52.5,0.001,1\n');
  it('names the column and its largest |value|, and says to tick standardise (it trained 75 % where standardised gave 94 %)', () => {
    expect(notes(t, [0, 1], 2, false)).toEqual(["Standardise is off and column 1 ('big') reaches |x| = 1197000: tanh saturates on inputs past about 3, so the net barely learns, and it drowns the other features; tick standardise."]);
    // Standardised (the dialog's default), or the column unticked: no note.
    expect(notes(t, [0, 1], 2, true)).toEqual([]);
    expect(notes(t, [1], 2, false)).toEqual([]);
  });

  it('lists up to three such columns; |x| = 100 is the edge (99.5 is not noted)', () => {
    const four = parseTable('a,b,c,d,e,label\n100,-200,300,400,99.5,0\n1,2,3,4,5,1\n0,1,2,1,2,0\n');
    expect(notes(four, [0, 1, 2, 3, 4], 5, false)).toEqual(["Standardise is off and column 1 ('a') reaches |x| = 100, column 2 ('b') 200, column 3 ('c') 300, …: tanh saturates on inputs past about 3, so the net barely learns, and it drowns the other features; tick standardise."]);
  });
});
