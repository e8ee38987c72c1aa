/**
 * The lab's Your data import (src/lab/table.ts) with files from spreadsheets in other locales: the file's bytes as
 * text (UTF-8 with or without its mark, UTF-16 "Unicode Text", a workbook or a Windows encoding refused by name), and
 * decimal commas. No DOM. The bytes are written out by hand (or by Node's own encoder) from the tables here.
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { tableText } from '../src/lab/table.ts';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

describe('a file\'s bytes as a table\'s text (tableText)', () => {
  it('reads UTF-8, with or without its byte-order mark, and UTF-16 with its mark (Excel\'s "Unicode Text")', () => {
    // 'Größe' in UTF-8: ö = C3 B6, ß = C3 9F.
    const utf8 = [0x47, 0x72, 0xc3, 0xb6, 0xc3, 0x9f, 0x65, ...ascii(';y\n1;0\n')];
    expect(tableText(bytes(...utf8), 'a.csv')).toBe('Größe;y\n1;0\n');
    expect(tableText(bytes(0xef, 0xbb, 0xbf, ...utf8), 'a.csv')).toBe('Größe;y\n1;0\n');
    // UTF-16LE with FF FE: 'ö' is F6 00; big-endian with FE FF: 00 F6.
    expect(tableText(bytes(0xff, 0xfe, 0x61, 0, 0xf6, 0, 0x09, 0, 0x62, 0), 'u.txt')).toBe('aö\tb');
    expect(tableText(bytes(0xfe, 0xff, 0, 0x61, 0, 0xf6, 0, 0x09, 0, 0x62), 'u.txt')).toBe('aö\tb');
    expect(tableText(Buffer.from('\ufeff身高\tcafé\n', 'utf16le'), 'cjk.txt')).toBe('身高\tcafé\n');
  });

  it('refuses a file that is not UTF-8 (a Windows encoding), naming the row and the byte, not mojibake', () => {
    // 'x;y\nGröße;1' in Windows-1252: ö = F6, ß = DF. Row 2, after 'Gr'.
    const cp1252 = bytes(...ascii('x;y\nGr'), 0xf6, 0xdf, ...ascii('e;1\n'));
    const err = (() => { try { tableText(cp1252, 'de.csv'); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(SpecError);
    expect((err as SpecError).field).toBe('de.csv');
    expect((err as SpecError).message).toMatch(/^de\.csv: is not UTF-8 text: row 2 has the byte 0xF6 after 'Gr'/);
    expect((err as SpecError).message).toMatch(/CSV UTF-8/);
    // A real U+FFFD (EF BF BD) in the file is text, not the bad byte: the bad byte after it is named.
    expect(() => tableText(bytes(0xef, 0xbf, 0xbd, 0x0a, 0x61, 0xe9), 'f.csv')).toThrow(/row 2 has the byte 0xE9 after 'a'/);
    // The first byte of a line: nothing before it.
    expect(() => tableText(bytes(0xc9, 0x74), 'e.csv')).toThrow(/row 1 has the byte 0xC9 at its start/);
  });

  it('refuses a workbook by what it is (an .xlsx / .ods is a zip, an .xls an OLE file), not as a table of garbage', () => {
    expect(() => tableText(bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0), 'grades.xlsx')).toThrow(/^grades\.xlsx: is a spreadsheet workbook \(\.xlsx or \.ods\), not a CSV/);
    expect(() => tableText(bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1), 'old.xls')).toThrow(/^old\.xls: is an Excel 97–2003 workbook \(\.xls\), not a CSV/);
  });
});
