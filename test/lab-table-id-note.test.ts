import { describe, expect, it } from 'vitest';
import { columnNotes, inferTask, parseTable, type Table } from '../src/lab/table';

/** columnNotes with the label column's classes as the dialog asks them first (inferTask). */
const notes = (t: Table, features: number[], label: number, standardise?: boolean): string[] => columnNotes(t, features, inferTask(t, label), standardise);

/**
 * The ID-column note is said only where another feature is ticked (a 1-D regression's only input, x = 1 … n, a time
 * index or a unit grid, is the data, not a row number: "Untick it" would leave nothing to train on), and a column that
 * counts down says so. Expected sentences are written by hand from the rows below.
 */
const TAIL = ", one a row: a row number or ID, not a measurement? Untick it: kept, the net learns the file's order (a file sorted by its label gives that away).";

describe('columnNotes: the ID note', () => {
  it('is not said of the only ticked feature (a 1-D regression on x = 1 … 5)', () => {
    const t = parseTable('x,y\n1,0.3\n2,0.9\n3,0.1\n4,1.7\n5,2.2\n');
    expect(notes(t, [0], 1)).toEqual([]);
  });

  it('is said when another feature is ticked beside it', () => {
    const t = parseTable('x,a,y\n1,0.5,0.3\n2,0.1,0.9\n3,0.7,0.1\n4,0.2,1.7\n5,0.4,2.2\n');
    expect(notes(t, [0, 1], 2)).toEqual([`Column 1 ('x') counts 1, 2, … 5${TAIL}`]);
  });

  it('a column counting down says "counts down", and three rows are written whole (no "…" that stands for nothing)', () => {
    const t = parseTable('n,a,label\n1003,0.5,0\n1002,0.1,1\n1001,0.7,0\n');
    expect(notes(t, [0, 1], 2)).toEqual([`Column 1 ('n') counts down 1003, 1002, 1001${TAIL}`]);
    const t4 = parseTable('n,a,label\n9,0.5,0\n8,0.1,1\n7,0.7,0\n6,0.3,1\n');
    expect(notes(t4, [0, 1], 2)).toEqual([`Column 1 ('n') counts down 9, 8, … 6${TAIL}`]);
  });

  it('a constant only feature is still said (it carries nothing, alone or not)', () => {
    expect(notes(parseTable('k,y\n5,0.3\n5,0.9\n5,0.1\n'), [0], 1)).toEqual(["Column 1 ('k') is 5 in every row: it carries nothing; untick it."]);
  });
});
