/**
 * Edges of Your data's reading of other locales' files (src/lab/table.ts) that the mutation audit mut59 found
 * unguarded: how much of the row a bad byte's error quotes, a decimal comma with no digit before it, and a tab file's
 * decimal commas with two digits after them (not a thousands separator's three). Expected values by hand from the
 * tables written here.
 */
import { describe, expect, it } from 'vitest';
import { cellNumber, parseTable, tableReading, tableText } from '../src/lab/table.ts';

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

describe('a bad byte named in a long row (tableText)', () => {
  it('quotes the 20 characters before the byte, not the whole row', () => {
    // Row 2 is the alphabet, then Windows-1252's é (E9): the last 20 letters before it are g … z.
    const file = Uint8Array.from([...ascii('name,value\nabcdefghijklmnopqrstuvwxyz'), 0xe9, ...ascii(',1\n')]);
    expect(() => tableText(file, 'long.csv')).toThrow(/^long\.csv: is not UTF-8 text: row 2 has the byte 0xE9 after 'ghijklmnopqrstuvwxyz', which/);
  });
});

describe('decimal commas a spreadsheet writes (parseTable, cellNumber)', () => {
  it('a semicolon file whose only decimal comma has no digit before it (,5) is read with decimal commas', () => {
    const t = parseTable('x;y\n,5;1\n2;0\n');
    expect(t.decimal).toBe(',');
    expect(tableReading(t)).toBe('semicolon-separated, decimal commas');
    expect(cellNumber(t.rows[0][0], t.decimal)).toBe(0.5);
  });

  it('a tab file\'s 1,25 and 3,75 are decimal commas: a thousands separator has three digits after it', () => {
    const t = parseTable('x\ty\n1,25\t1\n3,75\t0\n');
    expect(t.decimal).toBe(',');
    expect(tableReading(t)).toBe('tab-separated, decimal commas');
    expect(t.rows.map((r) => cellNumber(r[0], t.decimal))).toEqual([1.25, 3.75]);
  });
});
