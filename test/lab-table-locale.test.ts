/**
 * The lab's Your data import (src/lab/table.ts) with files from spreadsheets in other locales: the file's bytes as
 * text (UTF-8 with or without its mark, UTF-16 "Unicode Text", a workbook or a Windows encoding refused by name), and
 * decimal commas. No DOM. The bytes are written out by hand (or by Node's own encoder) from the tables here.
 */
import { describe, expect, it } from 'vitest';
import { SpecError } from '../src/errors.ts';
import { fileName } from '../src/lab/files.ts';
import { buildDataset, cellNumber, checkCells, inferTask, parseTable, tableReading, tableText } from '../src/lab/table.ts';

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

  it('names the row of a Mac file (lines ended by CR alone: Excel for Mac\'s "CSV (Macintosh)", in Mac Roman)', () => {
    // 'x;y' CR '1;2' CR 'Gr' 9A 'e;1' CR: Mac Roman ö = 9A, on row 3 (it named row 1, after 'x;y1;2Gr').
    const mac = bytes(...ascii('x;y\r1;2\rGr'), 0x9a, ...ascii('e;1\r'));
    expect(() => tableText(mac, 'mac.csv')).toThrow(/^mac\.csv: is not UTF-8 text: row 3 has the byte 0x9A after 'Gr',/);
    // CRLF counts once: row 3 again.
    const crlf = bytes(...ascii('x;y\r\n1;2\r\nGr'), 0xf6, ...ascii('e;1\r\n'));
    expect(() => tableText(crlf, 'win.csv')).toThrow(/row 3 has the byte 0xF6 after 'Gr',/);
  });

  it('names the bad byte itself in a file that starts with UTF-8\'s mark (EF BB BF), not the byte 3 places before it', () => {
    // EF BB BF 'a;b' LF 'c' E9 ';1' LF: E9 (Windows-1252 é) on row 2, after 'c' (it named 0x62, the 'b' of the header).
    expect(() => tableText(bytes(0xef, 0xbb, 0xbf, ...ascii('a;b\nc'), 0xe9, ...ascii(';1\n')), 'bom.csv')).toThrow(/^bom\.csv: is not UTF-8 text: row 2 has the byte 0xE9 after 'c',/);
    // A real U+FFFD (EF BF BD) after the mark is text; the bad byte after it is named.
    expect(() => tableText(bytes(0xef, 0xbb, 0xbf, 0xef, 0xbf, 0xbd, 0x61, 0xe9), 'f.csv')).toThrow(/row 1 has the byte 0xE9 after '\uFFFDa'/);
  });

  it('refuses UTF-16 without its mark (zero bytes) by what it is, where it was read as UTF-8 text with NULs in every cell', () => {
    // 'x' TAB 'y' LF '1' TAB '0' LF '2' TAB '1' LF in UTF-16LE, no FF FE: 78 00 09 00 79 00 0A 00 … — the first 00 is
    // the file's byte 1, on row 1 after 'x'. It was parsed as a table, its names 'x\0', and refused as "row 4: has 1
    // cells" (the last line's lone 00) in a file of 3 rows.
    const le = bytes(0x78, 0, 0x09, 0, 0x79, 0, 0x0a, 0, 0x31, 0, 0x09, 0, 0x30, 0, 0x0a, 0, 0x32, 0, 0x09, 0, 0x31, 0, 0x0a, 0);
    expect(() => tableText(le, 'u16.txt')).toThrow(/^u16\.txt: is not UTF-8 text: row 1 has the byte 0x00 after 'x', .*UTF-16 without its byte-order mark/);
    // Big-endian: 00 78 …, the 00 first of all.
    expect(() => tableText(bytes(0, 0x78, 0, 0x09, 0, 0x79), 'be.txt')).toThrow(/row 1 has the byte 0x00 at its start/);
  });

  it('refuses a workbook by what it is (an .xlsx / .ods is a zip, an .xls an OLE file), not as a table of garbage', () => {
    expect(() => tableText(bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0), 'grades.xlsx')).toThrow(/^grades\.xlsx: is a spreadsheet workbook \(\.xlsx or \.ods\), not a CSV/);
    expect(() => tableText(bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1), 'old.xls')).toThrow(/^old\.xls: is an Excel 97–2003 workbook \(\.xls\), not a CSV/);
  });
});

describe('decimal commas (a `;`- or tab-separated file whose numbers have a comma and none a point)', () => {
  const cellError = (text: string, features: number[], label: number): string => {
    const t = parseTable(text);
    try {
      checkCells(t, features, label, inferTask(t, label).task, false);
    } catch (err) {
      expect(err).toBeInstanceOf(SpecError);
      return (err as Error).message;
    }
    throw new Error('no cell refused');
  };

  it('German Excel\'s CSV: semicolons and decimal commas read as the numbers they are', () => {
    const t = parseTable('Größe;Gewicht;label\r\n1,72;65,3;a\r\n1,80;80;b\r\n-0,5;1,5E-3;a\r\n');
    expect(t.decimal).toBe(',');
    expect(tableReading(t)).toBe('semicolon-separated, decimal commas');
    // The cells stay as written (an error quotes them so); the numbers are 1.72, 65.3, 1.8, 80, −0.5, 0.0015.
    expect(t.rows[0]).toEqual(['1,72', '65,3', 'a']);
    const d = buildDataset(t, { features: [0, 1], label: 2 });
    expect(d.x).toEqual([[1.72, 65.3], [1.8, 80], [-0.5, 0.0015]]);
    expect(d.classNames).toEqual(['a', 'b']);
    expect(d.featureNames).toEqual(['Größe', 'Gewicht']);
  });

  it('Excel\'s Unicode Text (tab-separated) too; a label of decimal commas is a regression or classes by value', () => {
    const tsv = parseTable('x\ty\n1\t0,5\n2\t1,5\n3\t2,25\n');
    expect(tableReading(tsv)).toBe('tab-separated, decimal commas');
    const r = buildDataset(tsv, { features: [0], label: 1 });
    expect([r.task, r.y]).toEqual(['regression', [[0.5], [1.5], [2.25]]]);
    // Two label values, 0,5 and 1,5: two classes, named by their value.
    const two = parseTable('x;y\n1;0,5\n2;1,5\n3;0,5\n');
    expect(inferTask(two, 1)).toEqual({ task: 'binary', classNames: ['0.5', '1.5'], numeric: true });
    expect(buildDataset(two, { features: [0], label: 1 }).labels).toEqual([0, 1, 0]);
    // A decimal comma past any double is said so, as '1e400' is.
    expect(cellError('x;y\n1,5e400;a\n2;b\n', [0], 1)).toMatch(/'1,5e400' — too large for any number/);
  });

  it('a semicolon file whose header has a comma ("Gewicht, kg") is read semicolon-separated where only that fits every row', () => {
    const t = parseTable('Größe (m);Gewicht, kg;label\n1,72;65,3;a\n1,80;80,1;b\n');
    expect([t.delimiter, t.decimal, t.header]).toEqual([';', ',', ['Größe (m)', 'Gewicht, kg', 'label']]);
    expect(buildDataset(t, { features: [0, 1], label: 2 }).x).toEqual([[1.72, 65.3], [1.8, 80.1]]);
    // A comma file with a semicolon in a name: semicolons do not fit its rows (2 header cells, 1 a row): commas.
    expect(parseTable('a;b,c\n1,2\n3,4\n').header).toEqual(['a;b', 'c']);
    // Neither fits (a short row 3): read with commas, row 3 named (with semicolons row 2 would be, its one cell '1,2').
    expect(() => parseTable('a;b,c\n1,2\n3\n')).toThrow(/^row 3: has 1 cells but the header has 2 columns$/);
    // Both fit: the rule as before, a header with a comma is comma-separated.
    expect(parseTable('x;y,z\n1;2,3\n').header).toEqual(['x;y', 'z']);
  });

  it('how a file was read: its delimiter, and its decimals where a number has one', () => {
    expect(tableReading(parseTable('a,b\n1,2\n'))).toBe('comma-separated');
    expect(tableReading(parseTable('a,b\n1.5,2\n'))).toBe('comma-separated, decimal points');
    expect(tableReading(parseTable('a\tb\n1.5\t2\n'))).toBe('tab-separated, decimal points');
    expect(tableReading(parseTable('a;b\n1;2\n'))).toBe('semicolon-separated');
    expect(cellNumber('1,5', ',')).toBe(1.5);
    expect(cellNumber('1.5', ',')).toBeUndefined();
    expect(cellNumber('1,5')).toBeUndefined();
  });

  it('never guesses: a comma-separated file\'s "1,234" stays text, and a file with both a comma and a point is refused, the clash named', () => {
    const csv = parseTable('h,y\n"1,234",a\n"2,5",b\n');
    expect(csv.decimal).toBe('.');
    expect(csv.rows[0][0]).toBe('1,234');
    expect(cellError('h,y\n"1,234",a\n"2,5",b\n', [0], 1)).toBe("row 2, column 1 ('h'): '1,234' — not a number: a decimal comma or a thousands separator? In a comma-separated file the lab does not guess: write numbers with a decimal point and no thousands separator, or save the file semicolon-separated, where decimal commas are read");
    // One point among the commas: read with decimal points, and the first comma cell refused, naming the point.
    const mixed = 'Größe;Gewicht;label\n1,72;65.3;a\n1,80;80;b\n';
    expect(parseTable(mixed).decimal).toBe('.');
    expect(cellError(mixed, [0, 1], 2)).toBe("row 2, column 1 ('Größe'): '1,72' — not a number: it looks like a decimal comma, but row 2, column 2 ('Gewicht') has '65.3', a decimal point; a file is read with decimal commas only where no number in it has a decimal point: write every number one way");
  });

  it('a tab-separated file (a spreadsheet copied and pasted, "Unicode Text") whose every comma is a thousands separator\'s shape is not read as decimals', () => {
    // English Excel's counts as shown, copied: 1,234 people and 12,500 were read 1.234 and 12.5, without a word.
    const counts = 'town\tpeople\tclass\nA\t1,234\ta\nB\t12,500\tb\nC\t-7,000\ta\n';
    expect(parseTable(counts).decimal).toBe('.');
    expect(cellError(counts, [1], 2)).toBe("row 2, column 2 ('people'): '1,234' — not a number: a decimal comma or a thousands separator? Every comma in this tab-separated file stands before three digits, as a thousands separator does: the lab does not guess; write numbers with a decimal point and no thousands separator, or save the file semicolon-separated, where decimal commas are read");
    // One comma number that no thousands separator writes (not three digits after it: 0,5): decimal commas, 1,234 is 1.234.
    const t = parseTable('x\ty\n1,234\ta\n0,5\tb\n');
    expect(t.decimal).toBe(',');
    expect(buildDataset(t, { features: [0], label: 1 }).x).toEqual([[1.234], [0.5]]);
    // Four digits before the comma, or a leading 0, are not a thousands separator's either: 1234,567 and 0,125.
    expect(parseTable('x\ty\n1234,567\ta\n2\tb\n').decimal).toBe(',');
    expect(parseTable('x\ty\n0,125\ta\n2\tb\n').decimal).toBe(',');
    // A semicolon file is a decimal-comma locale's: its 1,250 is 1.25.
    expect(buildDataset(parseTable('x;y\n1,250;a\n2,500;b\n'), { features: [0], label: 1 }).x).toEqual([[1.25], [2.5]]);
  });

  it('reads a crafted cell at once: the decimal-mark scan of every cell does not backtrack (digits, a point, a letter)', () => {
    // '1' × 500 000 then '.x': the number pattern /\d+\.?\d*/ tried each split of the digits between \d+ and \d*
    // (~n²/2 steps: 100 000 digits took 11 s here, 300 000 107 s, past the tests' 90 s; a pasted cell of a million
    // digits froze the page for minutes at Read, before any column was chosen: isPointNumber tests every cell now).
    const cell = `${'1'.repeat(500_000)}.x`;
    const t = parseTable(`a\tb\n${cell}\t1\n2\t0\n`);
    expect([t.decimal, t.rows[0][0].length]).toEqual(['.', 500_002]);
    expect(cellNumber(cell)).toBeUndefined();
    // The pattern still reads what it read: '3.', '.5', '12.5e-1'; not '.', '1..2', 'e5'.
    expect(['3.', '.5', '12.5e-1', '+7'].map((c) => cellNumber(c))).toEqual([3, 0.5, 1.25, 7]);
    expect(['.', '1..2', 'e5', '1.2.3'].map((c) => cellNumber(c))).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('a thousands separator is not read, and is said so', () => {
    expect(cellError('a;y\n1.234,5;a\n2;b\n', [0], 1)).toBe("row 2, column 1 ('a'): '1.234,5' — not a number: it has both a point and a comma (a thousands separator?): write numbers without thousands separators");
    expect(cellError('a;y\n1,5;a\n1.234,5;b\n', [0], 1)).toMatch(/^row 3, column 1 \('a'\): '1\.234,5' — not a number: it has both a point and a comma/);
  });
});

describe('the files a net from your data is saved as (fileName): named by its letters, any script', () => {
  it('keeps letters and digits of any script, lower-cased; runs of anything else are one hyphen', () => {
    // The dialog names the net "<file name>: <sizes>": Größe-Daten.csv, 身高.csv, café.tsv.
    expect(fileName('Größe-Daten: 2-8-1', 'json')).toBe('größe-daten-2-8-1.json');
    expect(fileName('身高: 2-8-1-loss', 'csv')).toBe('身高-2-8-1-loss.csv');
    // A macOS name (decomposed: e + U+0301) is saved composed, as typed elsewhere: café.
    expect(fileName('Cafe\u0301: 3-8-1', 'png')).toBe('caf\u00e9-3-8-1.png');
    // Marks that no composed letter holds stay with their letter: Hindi ऊँचाई (U+0901, U+093E are marks).
    expect(fileName('\u090a\u0901\u091a\u093e\u0908', 'csv')).toBe('\u090a\u0901\u091a\u093e\u0908.csv');
    expect(fileName('??: 2', 'json')).toBe('2.json');
    expect(fileName('!!', 'json')).toBe('network.json');
  });

  it('at most 60 characters before the extension (a file system takes 255 bytes; 身 is 3 of UTF-8)', () => {
    // 100 × 身 is 300 bytes of UTF-8: saved as 60 of them, 180 bytes + ".json".
    const long = fileName(`${'身'.repeat(100)}: 2-8-1`, 'json');
    expect(long).toBe(`${'身'.repeat(60)}.json`);
    expect(new TextEncoder().encode(long).length).toBe(185);
    // 𠀀 (U+20000, 4 bytes, a surrogate pair in JavaScript) is counted as one character and never split.
    expect(fileName('𠀀'.repeat(61), 'csv')).toBe(`${'𠀀'.repeat(60)}.csv`);
    // A cut that ends on a hyphen drops it: 59 letters, then '-', then more.
    expect(fileName(`${'a'.repeat(59)} b`, 'json')).toBe(`${'a'.repeat(59)}.json`);
    expect(fileName('a'.repeat(60), 'json')).toBe(`${'a'.repeat(60)}.json`);
  });
});
